"""A crawl killed with SIGKILL at any moment resumes without losing anything or fetching twice.

A 600-paper ALLRIS classic site (the demo's Musterstadt, scaled) is crawled
once without interruption as the reference. The same site is crawled again
and the crawl's process is killed with ``kill -9`` when about 10 %, 50 % and
90 % of the pages are done (read from its frontier), each time resumed with
the same crawl id. The loaded warehouse must equal the reference's, every
planned URL must have ended loaded, and a page is fetched again only if it
was in flight (fetched, not yet done on disk: downloading, being parsed, or
done in the frontier's last commit group, which a kill loses) at a kill.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from flows.demo_site import serve_demo
from pipelines.warehouse.load import connect, load_crawl
from schemas.staging import StagingArea
from spiders import settings as frontier_settings
from spiders.frontier import frontier_path
from tests.conftest import PROJECT_ROOT
from tests.sites import build_allris_classic_large
from tests.sites.common import crawl_command, done_pages

PAPERS = 600
CONCURRENCY = 8
# A response waits in Scrapy's scraper queue until its callback runs; with the queue
# limited to about one page, the pages in flight at a kill are the downloads (CONCURRENCY)
# plus the pages whose callbacks are running or waiting.
SETTINGS = {
    "CONCURRENT_REQUESTS": str(CONCURRENCY),
    "CONCURRENT_REQUESTS_PER_DOMAIN": str(CONCURRENCY),
    "SCRAPER_SLOT_MAX_ACTIVE_SIZE": "20000",
    "RATSINFO_DOWNLOAD_FILES": "none",
}
# A kill also loses the frontier's open commit group: at most RATSINFO_FRONTIER_COMMIT_ROWS
# requests that ended but are still pending on disk, fetched again like those in flight.
MAX_IN_FLIGHT = 2 * CONCURRENCY + 2 + frontier_settings.RATSINFO_FRONTIER_COMMIT_ROWS
TABLES = ("paper", "meeting", "agenda_item", "consultation", "file", "organization", "person", "membership")
# The page an object was last read from: a person is on several rosters, an agenda item on its
# agenda and its excerpt, a meeting on its agenda and its items' excerpts (which name its date,
# room and committee), and the loader keeps the last one staged, so this column follows the
# order in which pages were parsed and differs between two uninterrupted crawls as well.
ORDER_DEPENDENT = {("person", "url"), ("agenda_item", "url"), ("meeting", "url")}


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def _rows(db: Path, where: str) -> set[str]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return {_path(url) for (url,) in con.execute(f"SELECT url FROM request WHERE {where}")}
    finally:
        con.close()


def _warehouse(tmp_path: Path, staging: StagingArea, name: str) -> dict[str, list[tuple]]:
    """Return every content row of the item tables after loading the crawl (bookkeeping columns left out)."""
    con = connect(tmp_path / f"{name}.duckdb")
    load_crawl(staging, con)
    # When and by which crawl; for an HTML source "modified" is when ratsinfo first saw the object.
    skip = {"crawledAt", "firstSeen", "lastSeen", "crawlId", "contentHash", "modified"}
    tables = {}
    for table in TABLES:
        columns = [c for (c,) in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [table]).fetchall() if c not in skip]
        names = ", ".join(f'"{c}" IS NOT NULL' if (table, c) in ORDER_DEPENDENT else f'"{c}"' for c in columns)
        tables[table] = con.execute(f"SELECT {names} FROM {table} ORDER BY ALL").fetchall()
    con.close()
    return tables


def _fetched(server, since: int) -> list[str]:
    return [path for _method, path in server.requests.entries()[since:] if path != "/robots.txt"]


@pytest.mark.slow
def test_crawl_killed_three_times_loads_what_an_uninterrupted_crawl_loads(tmp_path):
    site = build_allris_classic_large.build(tmp_path / "site", PAPERS)
    expected = site.notes["expected"]["counts"]
    with serve_demo(site.root) as server:
        def command(crawl_id: str) -> list[str]:
            return crawl_command(source="musterstadt", base_url=server.base_url + site.base_path,
                                 system="allris_classic", months=site.months, data_dir=tmp_path,
                                 crawl_id=crawl_id, settings=SETTINGS)

        # The reference: one crawl, not interrupted.
        reference = subprocess.run(command("reference"), cwd=PROJECT_ROOT, capture_output=True, text=True,
                                   timeout=180)
        assert reference.returncode == 0, reference.stderr[-3000:]
        summary = json.loads(reference.stdout)
        planned = summary["urls"]["planned"]
        assert summary["urls"] == {"planned": planned, "loaded": planned, "failed": 0, "refused": 0,
                                   "pending": 0, "refusedBy": {}}
        assert summary["pagesByKind"]["vo020"] == PAPERS
        reference_fetches = Counter(_fetched(server, 0))
        assert all(n == 1 for n in reference_fetches.values()), reference_fetches.most_common(3)

        # The same crawl, killed three times.
        staging = StagingArea(tmp_path, "killed")
        db = frontier_path(staging)
        fetches: Counter[str] = Counter()
        in_flight_at_kills: list[set[str]] = []
        done_before: set[str] = set()
        for share in (0.1, 0.5, 0.9):
            start = len(server.requests)
            crawl = subprocess.Popen(command("killed"), cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 120
            while done_pages(db) < share * planned and crawl.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
            assert crawl.poll() is None, f"the crawl ended before {share:.0%} of its pages were done"
            crawl.send_signal(signal.SIGKILL)
            crawl.wait(timeout=30)
            fetched = _fetched(server, start)
            fetches.update(fetched)
            # Nothing a previous run finished was fetched again.
            assert not done_before & set(fetched), sorted(done_before & set(fetched))[:5]
            done_before = _rows(db, "state != 'pending'")
            in_flight = set(fetched) & _rows(db, "state = 'pending'")
            assert len(in_flight) <= MAX_IN_FLIGHT, (share, len(in_flight))
            in_flight_at_kills.append(in_flight)
            assert StagingArea(tmp_path, "killed").read_manifest()["status"] == "running"

        start = len(server.requests)
        resumed = subprocess.run(command("killed"), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180)
        assert resumed.returncode == 0, resumed.stderr[-3000:]
        fetched = _fetched(server, start)
        fetches.update(fetched)
        assert not done_before & set(fetched), sorted(done_before & set(fetched))[:5]

    manifest = staging.read_manifest()
    assert manifest["status"] == "finished"
    assert manifest["urls"] == summary["urls"]
    assert manifest["pagesByKind"] == summary["pagesByKind"]
    assert manifest["fieldCounts"] == summary["fieldCounts"]
    assert manifest["itemCounts"] == summary["itemCounts"]
    assert manifest["itemCounts"]["Paper"] == PAPERS
    # Every page was fetched once, and once more for each kill that caught it in flight.
    assert set(fetches) == set(reference_fetches)
    for path, n in fetches.items():
        assert n <= 1 + sum(path in s for s in in_flight_at_kills), (path, n)
    refetched = sum(fetches.values()) - len(fetches)
    assert refetched <= sum(len(s) for s in in_flight_at_kills)
    print(f"{planned} planned requests; in flight at the kills: {[len(s) for s in in_flight_at_kills]}; "
          f"fetched again: {refetched}")

    killed = _warehouse(tmp_path, staging, "killed")
    assert killed == _warehouse(tmp_path, StagingArea(tmp_path, "reference"), "reference")
    assert len(killed["paper"]) == expected["papers"] == PAPERS
    assert len(killed["agenda_item"]) == expected["agendaItems"]
    assert len(killed["consultation"]) == expected["consultations"]
