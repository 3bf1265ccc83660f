"""An interrupted crawl resumes where it stopped and loads without duplicates or losses."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import pytest

from flows.demo_site import DEFAULT_EXPECTED, DEMO_SOURCES, serve_demo
from pipelines.warehouse.load import connect, load_crawl
from schemas.staging import StagingArea
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


@pytest.mark.slow
def test_crawl_stopped_early_is_not_finished_and_its_resume_completes_it(tmp_path):
    """Pages still planned when a crawl stops count as pending; the crawl is not "finished" until they are done."""
    from tests.sites import build_allris_classic_large
    from tests.sites.common import crawl_command as site_crawl_command

    site = build_allris_classic_large.build(tmp_path / "site", 6, excerpt_every=3)
    with serve_demo(site.root) as server:
        def run(**settings):
            command = site_crawl_command(source="musterstadt", base_url=server.base_url + site.base_path,
                                         system="allris_classic", months=site.months, data_dir=tmp_path,
                                         crawl_id="early", settings={"RATSINFO_DOWNLOAD_FILES": "none", **settings})
            done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
            return done.returncode, json.loads(done.stdout)

        code, stopped = run(CLOSESPIDER_PAGECOUNT="5", CONCURRENT_REQUESTS_PER_DOMAIN="1")
        requests_before = len(server.requests)
        code_resumed, resumed = run()
        fetched_again = len(server.requests) - requests_before
    urls = stopped["urls"]
    assert code == 1 and stopped["status"] == "stopped: closespider_pagecount"
    assert urls["pending"] > 0 and urls["loaded"] >= 5
    assert urls["planned"] == urls["loaded"] + urls["failed"] + urls["refused"] + urls["pending"]
    assert code_resumed == 0 and resumed["status"] == "finished"
    done = resumed["urls"]
    assert done["pending"] == 0 and done["failed"] == done["refused"] == 0 and done["loaded"] == done["planned"]
    assert done["planned"] > urls["planned"]  # the pages found by the resumed run were planned too
    # robots.txt and the pages in flight at the stop are the only requests made twice
    assert requests_before + fetched_again <= done["planned"] + 2 + 2, (requests_before, fetched_again)
    assert resumed["itemCounts"]["Paper"] == 6
    assert resumed["pagesByKind"]["vo020"] == 6
