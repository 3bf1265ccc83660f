"""OParl crawls end to end against a local server built from the real corpus JSON.

Each crawl is ``ratsinfo crawl <System URL>`` in a child process (Twisted's
reactor cannot restart inside pytest), loading into a DuckDB file in the
test's folder. The server (``tests/oparl_server.py``) serves the real
Hürtgenwald pages (SD.NET, OParl 1.0) and a subset of the real Karlsruhe dump
(SessionNet, OParl 1.1) and counts the requests.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from schemas.raw_store import RawStore
from tests.oparl_server import HW, KA, OParlTestServer, expected_rows

pytestmark = pytest.mark.slow

FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False", "--set", "RATSINFO_DOWNLOAD_FILES=none"]
TABLES = ("organization", "person", "membership", "meeting", "agenda_item", "paper", "consultation", "file")


@pytest.fixture
def server(corpus_dir):
    with OParlTestServer(corpus_dir, karlsruhe_papers=300, page_size=100) as srv:
        yield srv


def crawl(url: str, folder: Path, *extra: str, code: int = 0) -> subprocess.CompletedProcess:
    """Run ``ratsinfo crawl`` on ``url`` with the warehouse and data under ``folder``; expect exit ``code``."""
    folder.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [sys.executable, "-m", "flows.cli", "crawl", url, "--data-dir", str(folder / "data"),
         "--db", str(folder / "w.duckdb"), *FAST, *extra],
        cwd=folder, capture_output=True, text=True, timeout=300, env={**os.environ, "RATSINFO_LOG_LEVEL": "INFO"},
    )
    assert result.returncode == code, result.stderr[-4000:]
    return result


def live_ids(con, table: str) -> set[str]:
    stub = ' AND NOT "isStub"' if table in ("organization", "person", "paper", "meeting") else ""
    return {r[0] for r in con.execute(f'SELECT "systemId" FROM {table} WHERE NOT "deleted"{stub}').fetchall()}


def loaded_equals_served(con, server: OParlTestServer) -> None:
    expected = expected_rows(server.served)
    for table in TABLES:
        assert live_ids(con, table) == expected[table], table


# ---------------------------------------------------------------- Hürtgenwald (SD.NET, OParl 1.0)


def test_end_to_end_huertgenwald_loads_every_served_object_into_the_html_tables(server, tmp_path):
    result = crawl(server.huertgenwald_system, tmp_path)
    assert "oparl paper list: page 2 of 3" in result.stderr  # progress a person can watch
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    loaded_equals_served(con, server)
    assert len(live_ids(con, "paper")) == 55 and len(live_ids(con, "membership")) == 354
    # The ten tombstones of page 84 (no type) are soft deletes.
    assert con.execute('SELECT count(*) FROM paper WHERE "deleted"').fetchone()[0] == 10
    # The body's AGS lost its leading zero on the server; the source row has it back.
    assert con.execute('SELECT "name", "ags", "system" FROM source').fetchone() == ("Gemeinde Hürtgenwald", "05358016", "oparl")
    # Names the HTML dialects read from the page are filled from the references.
    assert con.execute('SELECT "organizationName" FROM meeting WHERE NOT "isStub"').fetchone()[0] == "Gemeinderat"
    # Only System, Body list and list pages were fetched: everything else was embedded.
    paths = [r["path"] for r in server.requests if r["path"] != "/robots.txt"]
    assert set(paths) <= {f"{HW}/system", f"{HW}/body"} | {f"{HW}/body/1/{n}" for n in ("organization", "person", "meeting", "paper")}
    state = con.execute('SELECT "list", "lastComplete", "pages", "lastModifiedSince" FROM oparl_list_state ORDER BY 1').fetchall()
    assert state == [("meeting", True, 1, None), ("organization", True, 1, None), ("paper", True, 3, None), ("person", True, 1, None)]
    # An analyst's export does not care that the papers came from OParl.
    from pipelines.exports.export import ExportQuery, export_rows

    rows = export_rows(con, ExportQuery())
    assert len(rows) == 55 and {r["municipality"] for r in rows} == {"Gemeinde Hürtgenwald"}


def test_incremental_huertgenwald_asks_sternberg_for_changes_only(server, tmp_path):
    crawl(server.huertgenwald_system, tmp_path)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    first_start = con.execute('SELECT min("lastWalkStartedAt") FROM oparl_list_state').fetchone()[0]
    con.close()
    changed = f"{server.base}{HW}/body/1/paper/3803"  # on page 85
    gone = f"{server.base}{HW}/body/1/paper/3757"  # on page 84, with a main file and a consultation
    server.touch(changed, name="Antrag der FFH Fraktion (geändert)")
    server.delete(gone)
    server.touch(f"{server.base}{HW}/body/1/person/13", familyName="Huppertz-Neu")
    mark = len(server.requests)

    crawl(server.huertgenwald_system, tmp_path)

    second = [r for r in server.requests_since(mark) if r["path"] != "/robots.txt"]
    lists = [r for r in second if "modified_since=" in r["query"]]
    assert len(second) == 3 + 4  # System (twice: detection), Body list, one page per list
    assert {r["path"].rsplit("/", 1)[1] for r in lists} == {"organization", "person", "meeting", "paper"}
    since = (first_start - dt.timedelta(days=1)).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H%%3A%M%%3A%S%%2B00%%3A00")
    assert all(r["query"] == f"modified_since={since}" for r in lists)  # percent-encoded, no microseconds
    by_list = {r["path"].rsplit("/", 1)[1]: r for r in lists}
    assert (by_list["paper"]["status"], by_list["paper"]["objects"]) == (200, 2)
    assert (by_list["person"]["status"], by_list["person"]["objects"]) == (200, 1)
    assert by_list["organization"]["status"] == 404  # SD.NET's "code 802" for nothing changed
    assert (by_list["meeting"]["status"], by_list["meeting"]["objects"]) == (200, None)  # SD.NET's []

    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute('SELECT "name" FROM paper WHERE "systemId" = ?', [changed]).fetchone()[0] == "Antrag der FFH Fraktion (geändert)"
    assert con.execute('SELECT "deleted", "reference" FROM paper WHERE "systemId" = ?', [gone]).fetchone() == (True, "111/2021")
    # What the deleted paper embedded goes with it.
    assert con.execute('SELECT bool_and("deleted"), count(*) FROM file WHERE "parent" = ?', [gone]).fetchone() == (True, 1)
    assert con.execute('SELECT bool_and("deleted") FROM consultation WHERE "paper" = ?', [gone]).fetchone()[0] is True
    assert con.execute('SELECT "familyName" FROM person WHERE "systemId" LIKE ?', ["%/person/13"]).fetchone()[0] == "Huppertz-Neu"
    assert len(live_ids(con, "paper")) == 54
    assert con.execute('SELECT count(*) FROM parse_failure').fetchone()[0] == 0  # the 404/802 and [] are no failures
    assert con.execute('SELECT bool_and("lastComplete"), count(DISTINCT "lastWalkStartedAt") FROM oparl_list_state').fetchone() == (True, 1)
    assert con.execute('SELECT min("lastWalkStartedAt") FROM oparl_list_state').fetchone()[0] > first_start


# ---------------------------------------------------------------- Karlsruhe (SessionNet, OParl 1.1)


def test_end_to_end_and_incremental_karlsruhe(server, tmp_path):
    crawl(server.karlsruhe_system, tmp_path)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    loaded_equals_served(con, server)
    assert len(live_ids(con, "paper")) == 300
    first_start = con.execute('SELECT min("lastWalkStartedAt") FROM oparl_list_state').fetchone()[0]
    papers = sorted(live_ids(con, "paper"))
    con.close()

    touched, gone = papers[10:13], papers[20:22]
    for paper_id in touched:
        server.touch(paper_id, name="Geändert: " + paper_id.rsplit("/", 1)[1])
    for paper_id in gone:
        server.delete(paper_id)
    mark = len(server.requests)

    crawl(server.karlsruhe_system, tmp_path)

    second = [r for r in server.requests_since(mark) if r["path"] != "/robots.txt"]
    assert [r["path"] for r in second][:3] == [f"{KA}/system", f"{KA}/system", f"{KA}/bodies"]
    lists = {r["path"].rsplit("/", 1)[1]: r for r in second[3:]}
    assert len(second) == 3 + 4 and set(lists) == {"papers", "meetings", "organizations", "people"}
    since = (first_start - dt.timedelta(days=1)).astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()
    assert all(r["query"] == f"modified_since={since}" for r in lists.values())  # literal ":" and "+" for SOMACOS
    assert lists["papers"]["objects"] == len(touched) + len(gone)  # only what changed, tombstones included
    assert lists["meetings"]["objects"] == 0
    assert lists["organizations"]["objects"] == 97  # Karlsruhe's organizations ignore the filter

    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    for paper_id in touched:
        assert con.execute('SELECT "name" FROM paper WHERE "systemId" = ?', [paper_id]).fetchone()[0].startswith("Geändert: ")
    for paper_id in gone:
        deleted, name = con.execute('SELECT "deleted", "name" FROM paper WHERE "systemId" = ?', [paper_id]).fetchone()
        assert deleted is True and name  # the tombstone's "" fields did not erase what was known
    assert live_ids(con, "paper") == set(papers) - set(gone)
    ignored = con.execute('SELECT "list" FROM oparl_list_state WHERE "filterIgnored"').fetchall()
    assert ignored == [("organization",)]


def test_incremental_sync_ends_correct_when_the_server_ignores_the_filter(server, tmp_path):
    server.filter_mode = "ignore"
    crawl(server.karlsruhe_system, tmp_path)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    papers = sorted(live_ids(con, "paper"))
    meetings = sorted(live_ids(con, "meeting"))
    con.close()
    server.touch(papers[0], name="Neu")
    for paper_id in papers[5:8]:
        server.delete(paper_id)  # gone from the unfiltered list, and no tombstone will come
    server.delete(meetings[0])
    mark = len(server.requests)

    crawl(server.karlsruhe_system, tmp_path)

    assert all("modified_since=" in r["query"] for r in server.requests_since(mark) if r["path"].endswith("/papers") and "page" not in r["query"])
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert live_ids(con, "paper") == set(papers) - set(papers[5:8])
    assert live_ids(con, "meeting") == set(meetings) - {meetings[0]}
    assert con.execute('SELECT "name" FROM paper WHERE "systemId" = ?', [papers[0]]).fetchone()[0] == "Neu"
    # The deleted meeting's agenda items went with it.
    assert con.execute('SELECT bool_and("deleted") FROM agenda_item WHERE "meeting" = ?', [meetings[0]]).fetchone()[0] is True
    assert con.execute('SELECT bool_and("filterIgnored") FROM oparl_list_state WHERE "list" <> \'person\'').fetchone()[0] is True
    con.close()

    # A deleted object that comes back is live again.
    server.filter_mode = "honour"
    server.touch(papers[5], deleted=False, name="Wieder da", reference="2013/0001")
    crawl(server.karlsruhe_system, tmp_path)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute('SELECT "deleted", "name" FROM paper WHERE "systemId" = ?', [papers[5]]).fetchone() == (False, "Wieder da")


def test_a_list_cut_short_by_the_server_deletes_nothing(server, tmp_path):
    server.filter_mode = "ignore"
    crawl(server.karlsruhe_system, tmp_path)
    name, papers = server.somacos_lists[f"{KA}/bodies/0001/papers"]
    server.somacos_lists[f"{KA}/bodies/0001/papers"] = (name, papers[:100])  # two thirds silently missing
    result = crawl(server.karlsruhe_system, tmp_path)
    assert "not reconciling paper" in result.stderr
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert len(live_ids(con, "paper")) == 300


def test_forced_full_run_asks_every_list_for_everything(server, tmp_path):
    crawl(server.karlsruhe_system, tmp_path)
    mark = len(server.requests)
    crawl(server.karlsruhe_system, tmp_path, "--full")
    second = server.requests_since(mark)
    assert not any("modified_since" in r["query"] for r in second)
    assert sum(1 for r in second if r["path"] == f"{KA}/bodies/0001/papers") == 3
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    full = con.execute('SELECT count(*) FROM oparl_list_state WHERE "lastFullWalkStartedAt" = "lastWalkStartedAt"').fetchone()[0]
    assert full == 4


def test_a_server_that_repeats_its_first_page_is_walked_safely(server, tmp_path):
    server.repeat_pages = True  # every ?page=N answers the objects of page 1, with a next link
    crawl(server.karlsruhe_system, tmp_path, code=1)  # loaded, but the crawl is not finished
    paper_pages = [r for r in server.requests if r["path"] == f"{KA}/bodies/0001/papers"]
    assert len(paper_pages) == 2  # page 1, then page 2 that repeats it: stop
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert len(live_ids(con, "paper")) == 100
    complete, stopped, walk = con.execute(
        'SELECT "lastComplete", "lastStopped", "lastWalkStartedAt" FROM oparl_list_state WHERE "list" = \'paper\'').fetchone()
    # An unfinished walk does not move the sync point: the next run asks for everything again.
    assert complete is False and "repeats the objects of the page before" in stopped and walk is None


# ---------------------------------------------------------------- politeness and broken pages


def test_retries_a_busy_server_after_its_retry_after(server, tmp_path):
    server.fail_next(f"{KA}/bodies/0001/papers", status=503, retry_after="1", times=1)
    server.fail_next(f"{KA}/bodies/0001/meetings", status=429, retry_after="1", times=1)
    result = crawl(server.karlsruhe_system, tmp_path)
    assert "backing off 1.0s" in result.stderr
    statuses = [r["status"] for r in server.requests if r["path"] == f"{KA}/bodies/0001/papers"]
    assert statuses[:2] == [503, 200]
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert len(live_ids(con, "paper")) == 300 and len(live_ids(con, "meeting")) == 10


def test_repaired_json_is_loaded_and_recorded_and_broken_json_is_quarantined(server, corpus_dir, tmp_path):
    name = "braunschweig-ccegov-allris-oparl10-paper-1664-INVALID-control-chars.json.broken"
    url = server.serve_file(name, "https://ratsinfo.braunschweig.de")
    crawl(url, tmp_path)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute('SELECT "reference" FROM paper').fetchall() == [("1664/99",)]
    (error,) = con.execute('SELECT "error" FROM parse_failure').fetchone()
    assert error.startswith("repaired: unescaped control characters")
    con.close()

    cut = (corpus_dir / "oparl" / name).read_bytes()[:300]  # the real file, cut short: beyond repair
    broken = server.serve_bytes("/bi/oparl/1.0/papers.asp?id=1665", cut)
    crawl(broken, tmp_path / "cut")
    con = duckdb.connect(str(tmp_path / "cut" / "w.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM paper").fetchone()[0] == 0
    error, sha256 = con.execute('SELECT "error", "sha256" FROM parse_failure').fetchone()
    assert error.startswith("ParseError: invalid JSON") and re.fullmatch(r"[0-9a-f]{64}", sha256)
    assert RawStore(tmp_path / "cut" / "data").get(sha256) == cut  # the raw body is kept
