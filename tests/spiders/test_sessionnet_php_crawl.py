"""End to end: a crawl of a SessionNet ``.php`` install from a base URL without a program loads the whole site.

The site is "Stadt Kranichfelde" (``tests/sites/build_sessionnet_php.py``), built
into a temporary folder and served by ``flows.demo_site`` with the session rule
on: ``si0057.php`` answers only within the ``PHPSESSID`` session the calendar
opens. The spider fetches the base URL first and learns the extension from the
page it lands on (``info.php``); with cookies off, every ``si0057.php`` is
refused and the agenda comes from ``to0040.php`` instead.
"""

from __future__ import annotations

import http.client
import subprocess
from urllib.parse import urlsplit

import pytest

from flows.demo_site import serve_demo
from pipelines.warehouse.load import connect, load_crawl
from pipelines.crawl.parse_rate import degraded_fields
from schemas.staging import StagingArea
from tests.conftest import PROJECT_ROOT
from tests.sites import build_sessionnet_php
from tests.sites.common import assert_reparse_stages_the_same, crawl_command, load_and_fetch_documents

SOURCE = "kranichfelde"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_sessionnet_php.build(tmp_path_factory.mktemp("sessionnet-php-site"))


def fetch(base_url: str, target: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """Return status, headers (lower-case names) and body of one GET."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", target, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def test_the_agenda_answers_only_within_the_php_session(site):
    base = site.base_path
    with serve_demo(root=site.root) as server:
        redirect = fetch(server.base_url, base)
        _, _, refused = fetch(server.base_url, f"{base}si0057.php?__ksinr=4101")
        _, calendar_headers, _ = fetch(server.base_url, f"{base}si0040.php?__cjahr=2026&__cmonat=10")
        cookie = calendar_headers["set-cookie"].split(";")[0]
        _, _, agenda = fetch(server.base_url, f"{base}si0057.php?__ksinr=4101", {"Cookie": cookie})
        _, _, without_session = fetch(server.base_url, f"{base}to0040.php?__ksinr=4101")
    assert redirect[0] == 302 and redirect[1]["location"] == f"{base}info.php"
    assert cookie.startswith("PHPSESSID=")
    assert b"smc_page_error_layout" in refused and b'href="si0040.php"' in refused
    assert b'id="smc_page_si0057_contenttable1"' in agenda
    assert b'id="smc_page_to0040_contenttable1"' in without_session


@pytest.mark.slow
@pytest.mark.parametrize("cookies", [True, False], ids=["in-session", "cookie-missing"])
def test_a_crawl_from_the_bare_base_url_finds_the_php_programs_and_loads_everything(site, tmp_path, cookies):
    crawl_id = f"sessionnet-php-{'session' if cookies else 'nocookie'}"
    with serve_demo(root=site.root, require_session_cookie=True) as server:
        command = crawl_command(source=SOURCE, base_url=server.base_url + site.base_path, system="sessionnet",
                                months=site.months, data_dir=tmp_path, crawl_id=crawl_id,
                                settings={"COOKIES_ENABLED": str(cookies)})
        run = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
        requests = server.requests.with_headers()
        # The documents stage downloads the main documents after the load (pipelines.warehouse.document_stage).
        documents = load_and_fetch_documents(tmp_path, crawl_id, tmp_path / "warehouse.duckdb",
                                             settings={"COOKIES_ENABLED": str(cookies)}) if run.returncode == 0 else {}
    assert run.returncode == 0, run.stderr[-3000:]
    staging = StagingArea(tmp_path, crawl_id)
    manifest = staging.read_manifest()
    assert manifest["status"] == "finished"
    assert staging.failures_path.read_text() == ""
    assert manifest["failures"] == 0
    assert_reparse_stages_the_same(tmp_path, crawl_id)

    con = connect(tmp_path / "warehouse.duckdb")
    report = load_crawl(staging, con)
    assert report.failures == 0
    assert con.execute("SELECT count(*) FROM parse_failure").fetchone()[0] == 0
    loaded = {table: con.execute(f'SELECT count(*) FROM {table} WHERE "source" = ?', [SOURCE]).fetchone()[0]
              for table in site.counts}
    assert loaded == site.counts

    downloaded = dict(con.execute('SELECT "systemId", text FROM file WHERE sha256 IS NOT NULL AND "textStatus" = ?',
                                  ["ok"]).fetchall())
    assert sorted(downloaded) == sorted(site.downloads)
    assert documents["pendingDocuments"] == 0 and documents["failed"] == documents["refused"] == 0, documents
    for file_id, phrase in site.downloads.items():
        assert phrase in downloaded[file_id], file_id

    # Without the session cookie each agenda comes from to0040 instead of si0057, and nothing is lost.
    expected_kinds = dict(site.pages_by_kind)
    if not cookies:
        expected_kinds["to0040"] = expected_kinds.pop("si0057")
    assert manifest["pagesByKind"] == expected_kinds
    assert degraded_fields(manifest["fieldCounts"]) == []

    # The base URL was fetched first; every program after it was asked for as .php.
    targets = [target for _, target, _ in requests if target != "/robots.txt"]
    assert targets[:2] == [site.base_path, f"{site.base_path}info.php"]
    assert not any(".asp" in target for target in targets)
    agendas = [(target, headers) for _, target, headers in requests if "/si0057.php?" in target]
    fallbacks = [target for target in targets if "/to0040.php?" in target]
    assert len(agendas) == site.pages_by_kind["si0057"]
    if cookies:
        assert all("PHPSESSID=" in headers.get("Cookie", "") for _, headers in agendas)
        assert fallbacks == []
    else:
        assert not any("Cookie" in headers for _, headers in agendas)
        assert sorted(fallbacks) == sorted(target.replace("/si0057.php?", "/to0040.php?") for target, _ in agendas)
