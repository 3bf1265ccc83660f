"""`ratsinfo web` in a real headless Chromium (Debian's chromium + chromedriver, driven by Selenium).

search → results → paper page → CSV download, and a screenshot of the search
page. The Makefile's ``test`` target installs Chromium where it is missing;
without it these tests skip with the reason, except under ``CI=true``, where
they fail.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import struct
import time
from pathlib import Path

import pytest


CHROMIUM = Path(os.environ.get("RATSINFO_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("RATSINFO_CHROMEDRIVER", "/usr/bin/chromedriver"))
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-dev-shm-usage",
                  "--window-size=1280,900", "--lang=de-DE"]

pytestmark = pytest.mark.slow


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        return f"{CHROMIUM} or {CHROMEDRIVER} missing (apt-get install chromium chromium-driver; `make test` does it)"
    return None


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads),
        "download.prompt_for_download": False,
        "safebrowsing.enabled": False,
    })
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(predicate, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_search_then_paper_then_csv_download(browser, site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(site.url + "/")
    assert "Vorlagen und Beschlüsse durchsuchen" in browser.find_element(By.TAG_NAME, "h1").text
    box = browser.find_element(By.ID, "q")
    box.send_keys("Konzept")
    Select(browser.find_element(By.ID, "municipality")).select_by_visible_text("Stadt Musterstadt")
    browser.find_element(By.ID, "search-button").click()
    wait_for(lambda: "q=Konzept" in browser.current_url)
    assert "1 Vorlage" in browser.find_element(By.ID, "count").text
    links = browser.find_elements(By.CSS_SELECTOR, "#results a.paper-link")
    assert [a.text for a in links] == ['=HYPERLINK("x")']

    links[0].click()
    wait_for(lambda: "/paper?" in browser.current_url)
    assert browser.find_element(By.ID, "paper-title").text == '=HYPERLINK("x")'
    votes = browser.find_element(By.ID, "votes").text
    assert "angenommen" in votes and "vertagt" in votes
    assert "Erika Muster" in browser.find_element(By.ID, "signatories").text
    doc = browser.find_element(By.CSS_SELECTOR, "#documents a")
    assert doc.get_attribute("href") == "http://x/bi/do027.asp?DOLFDNR=901"

    browser.back()
    wait_for(lambda: browser.find_elements(By.ID, "download-csv"))
    browser.find_element(By.ID, "download-csv").click()
    files = wait_for(lambda: [p for p in browser.downloads.glob("*.csv")])
    data = files[0].read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["ID", "Kommune"]
    assert [r[0] for r in rows[1:]] == ["allris_classic:x/bi:1"]
    assert rows[1][5] == "'=HYPERLINK(\"x\")"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_screenshot_of_the_search_page(browser, site, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(site.url + "/?topic=integration")
    wait_for(lambda: browser.find_elements(By.ID, "results"))
    body = browser.find_element(By.TAG_NAME, "body").text
    for expected in ("Suchbegriff", "Kommune", "Gremium", "2 Vorlagen", "Neue Flüchtlingsunterkunft am Bahnhof",
                     "angenommen", "CSV (Excel)", "XLSX"):
        assert expected in body
    path = tmp_path / "search.png"
    assert browser.save_screenshot(str(path))
    data = path.read_bytes()
    width, height = png_size(data)
    assert width >= 800 and height >= 500
    assert len(data) > 20_000  # a rendered page, not a blank image
    if os.environ.get("RATSINFO_SCREENSHOT"):  # refresh the README's picture on purpose only
        shutil.copy(path, os.environ["RATSINFO_SCREENSHOT"])
