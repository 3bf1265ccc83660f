"""An interrupted crawl resumes where it stopped and loads without duplicates or losses."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import pytest

from flows.demo_site import DEFAULT_EXPECTED, DEMO_SOURCES, serve_demo
from pipelines.load import connect, load_crawl
from pipelines.staging import StagingArea
import spiders.crawl as spiders_crawl
from tests.conftest import PROJECT_ROOT

# robots.txt + 3 calendars + 2 lists + 13 rosters + 10 agendas + 27 excerpts + 22 papers + 22 main documents
FULL_CRAWL_REQUESTS = 100
EXPECTED = {m["slug"]: m["counts"] for m in json.loads(DEFAULT_EXPECTED.read_text(encoding="utf-8"))["municipalities"]}


def crawl_command(source, base_url, data_dir, crawl_id, delay):
    return spiders_crawl.crawl_command(
        source=source.slug, base_url=base_url, system=source.system, data_dir=data_dir, crawl_id=crawl_id,
        months="2026-09..2026-11",
        settings={"DOWNLOAD_DELAY": str(delay), "AUTOTHROTTLE_ENABLED": "False", "RANDOMIZE_DOWNLOAD_DELAY": "False"},
    )


@pytest.mark.slow
def test_interrupted_crawl_resumes_without_duplicates(tmp_path):
    source = next(s for s in DEMO_SOURCES if s.slug == "musterstadt")
    staging = StagingArea(tmp_path, "resume-test")
    with serve_demo() as server:
        base_url = source.base_url(server.base_url)
        first = subprocess.Popen(crawl_command(source, base_url, tmp_path, "resume-test", 0.05), cwd=PROJECT_ROOT,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if staging.items_path.exists() and sum(1 for _ in staging.items_path.open()) > 40:
                break
            time.sleep(0.05)
        first.send_signal(signal.SIGINT)  # what Ctrl-C or a cancelled flow run sends
        first.wait(timeout=60)
        interrupted = staging.read_manifest()
        requests_before = len(server.requests)
        assert interrupted["status"] != "finished", "the crawl ended before it could be interrupted"
        resumed = subprocess.run(crawl_command(source, base_url, tmp_path, "resume-test", 0), cwd=PROJECT_ROOT,
                                 capture_output=True, text=True, timeout=120)
        assert resumed.returncode == 0, resumed.stderr[-2000:]
        # The resumed run fetched only what the first one had not.
        fetched_again = len(server.requests) - requests_before
    manifest = staging.read_manifest()
    assert manifest["status"] == "finished"
    # The parse-rate counts cover the whole crawl, not just the resumed part.
    assert manifest["pagesByKind"]["vo020"] == EXPECTED["musterstadt"]["papers"]
    assert manifest["fieldCounts"]["vo020"]["name"] == [EXPECTED["musterstadt"]["papers"]] * 2
    # The two runs together fetch the site about once: only requests in flight at
    # the interruption (and robots.txt) are fetched twice.
    assert requests_before > 10
    assert requests_before + fetched_again <= FULL_CRAWL_REQUESTS + 6, (requests_before, fetched_again)
    con = connect(tmp_path / "w.duckdb")
    load_crawl(staging, con)
    counts = EXPECTED["musterstadt"]
    for table, key in (("paper", "papers"), ("meeting", "meetings"), ("agenda_item", "agendaItems"),
                       ("consultation", "consultations"), ("person", "persons")):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == counts[key], table
