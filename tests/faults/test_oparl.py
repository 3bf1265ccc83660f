"""OParl faults: list walks that cannot prove they saw the whole list, and bad list pages.

Each test is one kind of fault, served by ``tests/oparl_server.py`` on port 0
(a slice of the real Karlsruhe dump, 30 papers in pages of 10; or the real
Hürtgenwald pages), crawled with ``ratsinfo crawl`` in a child process and
loaded into a DuckDB file. Where deletion is at stake, the crawl is a full
one (``--full``) over a copy of a warehouse that already holds every paper
from a clean crawl: a walk that is not proven complete must delete nothing.
The assertions are on the real outcome: exit code and status of the crawl,
its failures.jsonl, and the warehouse.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.oparl_server import HW, KA, OParlTestServer

pytestmark = pytest.mark.slow

PAPERS = f"{KA}/bodies/0001/papers"
FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False", "--set", "RATSINFO_DOWNLOAD_FILES=none"]


@dataclass
class Crawl:
    code: int
    manifest: dict
    failures: list[dict]
    db: Path
    stderr: str

    def live_papers(self) -> set[str]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            rows = con.execute('SELECT "systemId" FROM paper WHERE NOT "deleted" AND NOT "isStub"').fetchall()
        return {r[0] for r in rows}

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def failures_with(self, text: str) -> list[dict]:
        return [f for f in self.failures if text in f["error"]]


def crawl(url: str, folder: Path, *extra: str, warehouse: Path | None = None) -> Crawl:
    """Run ``ratsinfo crawl`` into ``folder`` (starting from a copy of ``warehouse``); return what it left."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "w.duckdb"
    if warehouse is not None:
        shutil.copy(warehouse, db)
    result = subprocess.run(
        [sys.executable, "-m", "flows.cli", "crawl", url, "--data-dir", str(folder / "data"), "--db", str(db), *FAST, *extra],
        cwd=folder, capture_output=True, text=True, timeout=180, env={**os.environ, "RATSINFO_LOG_LEVEL": "INFO"},
    )
    (staging,) = [p for p in (folder / "data" / "staging").iterdir() if (p / "crawl.json").exists()]
    failures_path = staging / "failures.jsonl"
    failures = [json.loads(line) for line in failures_path.read_text().splitlines()] if failures_path.exists() else []
    return Crawl(result.returncode, json.loads((staging / "crawl.json").read_text()), failures, db, result.stderr)


@pytest.fixture(scope="module")
def server(corpus_dir):
    with OParlTestServer(corpus_dir, karlsruhe_papers=30, page_size=10) as srv:
        yield srv


@pytest.fixture
def srv(server):
    """The module's server, its faults and documents reset after each test."""
    documents = json.loads(json.dumps({k: v for k, v in server.documents.items() if not isinstance(v, bytes)}))
    yield server
    server.page_edits.clear()
    server.raw_pages.clear()
    server._faults.clear()
    server.filter_mode = "honour"
    server.documents.update(documents)


@pytest.fixture(scope="module")
def baseline(server, tmp_path_factory) -> Crawl:
    """A clean crawl of the 30 papers, loaded: the warehouse the deletion faults start from."""
    clean = crawl(server.karlsruhe_system, tmp_path_factory.mktemp("baseline"))
    assert clean.code == 0 and clean.manifest["status"] == "finished", clean.stderr[-3000:]
    assert len(clean.live_papers()) == 30 and clean.failures == []
    return clean


def assert_incomplete_and_nothing_deleted(run: Crawl, baseline: Crawl, reason: str) -> None:
    """The crawl is not finished, says why, recorded the reason as a failure, and deleted no paper."""
    assert run.code == 1, run.stderr[-3000:]
    assert run.manifest["status"].startswith("incomplete:") and reason in run.manifest["status"]
    recorded = run.failures_with(reason)
    assert recorded and all(f["outcome"] in ("failed", "refused") for f in recorded)
    assert run.live_papers() == baseline.live_papers()
    (complete,) = run.query('SELECT "lastComplete" FROM oparl_list_state WHERE "list" = \'paper\'')[0]
    assert complete is False


def link_next(page: int):
    """Return a page edit that points ``links.next`` at ``page`` of the same list."""
    def edit(document: dict, url: str) -> dict:
        document["links"]["next"] = url.split("?", 1)[0] + f"?page={page}"
        return document
    return edit


# ---------------------------------------------------------------- paging faults


@pytest.mark.fault(kind="oparl: next skips a page", outcome="recorded")
def test_next_that_skips_a_page_deletes_nothing(srv, baseline, tmp_path):
    srv.page_edits[(PAPERS, 1)] = link_next(3)  # page 2's ten papers are never seen
    run = crawl(srv.karlsruhe_system, tmp_path, "--full", warehouse=baseline.db)
    assert_incomplete_and_nothing_deleted(run, baseline, "the page numbers jump from 1 to 3")
    assert run.failures_with("walked 20 objects")  # the count disagrees with totalElements too


@pytest.mark.fault(kind="oparl: real SD.NET pages with next from page 1 to 84", outcome="recorded")
def test_captured_pages_with_a_jump_are_an_incomplete_walk(srv, tmp_path):
    srv.serve_captured_paper_pages()
    try:
        run = crawl(srv.huertgenwald_system, tmp_path)
    finally:
        srv._load_huertgenwald()  # the consistent splice again
    assert run.code == 1 and "pages 2–83 skipped" in run.manifest["status"]
    assert run.failures_with("walked 65 objects (10 of them deleted), the server announced 2115")
    assert len(run.live_papers()) == 55  # what was seen is loaded
    assert run.query('SELECT "lastComplete", "lastWalkStartedAt" FROM oparl_list_state WHERE "list" = \'paper\'') == [(False, None)]


@pytest.mark.fault(kind="oparl: next loops back to an earlier page", outcome="recorded")
def test_next_loop_is_a_recorded_failure_and_deletes_nothing(srv, baseline, tmp_path):
    srv.page_edits[(PAPERS, 3)] = link_next(1)
    run = crawl(srv.karlsruhe_system, tmp_path, "--full", warehouse=baseline.db)
    assert_incomplete_and_nothing_deleted(run, baseline, "leads back to a page already walked")
    assert run.manifest["failures"] == len(run.failures) >= 1  # the crawl's count says so too


@pytest.mark.fault(kind="oparl: next == self", outcome="recorded")
def test_next_pointing_at_the_page_itself(srv, baseline, tmp_path):
    srv.page_edits[(PAPERS, 2)] = link_next(2)
    run = crawl(srv.karlsruhe_system, tmp_path, "--full", warehouse=baseline.db)
    assert_incomplete_and_nothing_deleted(run, baseline, "is the page itself")
    assert sum(1 for r in srv.requests if r["path"] == PAPERS and r["query"].endswith("page=2")) >= 1


@pytest.mark.fault(kind="oparl: next leads to another host", outcome="refused")
def test_next_to_another_host_is_not_followed(srv, baseline, tmp_path):
    def elsewhere(document: dict, url: str) -> dict:
        document["links"]["next"] = url.replace("127.0.0.1", "localhost").split("?", 1)[0] + "?page=2"
        return document

    srv.page_edits[(PAPERS, 1)] = elsewhere
    mark = len(srv.requests)
    run = crawl(srv.karlsruhe_system, tmp_path, "--full", warehouse=baseline.db)
    assert_incomplete_and_nothing_deleted(run, baseline, "leads to another host")
    assert {f["outcome"] for f in run.failures_with("leads to another host")} == {"refused"}
    # The list was not walked on: no later page was asked for, from either host.
    assert [r["query"] for r in srv.requests_since(mark) if r["path"] == PAPERS and "page=" in r["query"]] == []


@pytest.mark.fault(kind="oparl: totalElements larger than the objects walked", outcome="recorded")
def test_count_that_disagrees_with_total_elements(srv, baseline, tmp_path):
    def more(document: dict, url: str) -> dict:
        document["pagination"]["totalElements"] += 5  # five objects the walk never met
        return document

    for page in (1, 2, 3):
        srv.page_edits[(PAPERS, page)] = more
    run = crawl(srv.karlsruhe_system, tmp_path, "--full", warehouse=baseline.db)
    assert_incomplete_and_nothing_deleted(run, baseline, "walked 30 objects (0 of them deleted), the server announced 35")


@pytest.mark.fault(kind="oparl: list shrinks while walked", outcome="recorded")
def test_total_that_shrinks_during_the_walk(srv, baseline, tmp_path):
    def fewer(document: dict, url: str) -> dict:
        document["pagination"]["totalElements"] -= 1
        return document

    srv.page_edits[(PAPERS, 2)] = srv.page_edits[(PAPERS, 3)] = fewer
    run = crawl(srv.karlsruhe_system, tmp_path, "--full", warehouse=baseline.db)
    assert_incomplete_and_nothing_deleted(run, baseline, "the list shrank while it was walked")


@pytest.mark.fault(kind="oparl: paper gone from a complete list", outcome="ok")
def test_a_complete_walk_still_reconciles(srv, baseline, tmp_path):
    # The evidence case: the server's count agrees and no page is missing, so a missing paper is gone.
    name, papers = srv.somacos_lists[PAPERS]
    srv.somacos_lists[PAPERS] = (name, papers[:-1])
    try:
        run = crawl(srv.karlsruhe_system, tmp_path, "--full", warehouse=baseline.db)
    finally:
        srv.somacos_lists[PAPERS] = (name, papers)
    assert run.code == 0 and run.manifest["status"] == "finished" and run.failures == []
    assert run.live_papers() == baseline.live_papers() - {papers[-1]["id"]}


# ---------------------------------------------------------------- bad pages


@pytest.mark.fault(kind="oparl: list page with invalid JSON", outcome="recorded")
def test_invalid_json_list_page(srv, baseline, tmp_path):
    srv.raw_pages[(PAPERS, 2)] = (200, b'{"data": [{"id": "http://x/1", "name": "cut', "application/json")
    run = crawl(srv.karlsruhe_system, tmp_path, "--full", warehouse=baseline.db)
    assert_incomplete_and_nothing_deleted(run, baseline, "without reaching the list's last page")
    (bad,) = run.failures_with("ParseError: invalid JSON")
    assert bad["url"].endswith("page=2") and bad["sha256"]  # the page is kept in the raw store


@pytest.mark.fault(kind="oparl: HTML error page instead of a JSON list page", outcome="recorded")
def test_html_error_page_instead_of_json(srv, baseline, tmp_path):
    html = "<html><body><h1>Wartungsarbeiten</h1><p>Bitte später wieder versuchen.</p></body></html>".encode()
    srv.raw_pages[(PAPERS, 2)] = (200, html, "text/html; charset=utf-8")
    run = crawl(srv.karlsruhe_system, tmp_path, "--full", warehouse=baseline.db)
    assert_incomplete_and_nothing_deleted(run, baseline, "without reaching the list's last page")
    assert [f["url"] for f in run.failures if f["kind"] == "list" and "ParseError" in f["error"]] == [
        f"{srv.base}{PAPERS}?page=2"]


@pytest.mark.fault(kind="oparl: list page 500, then ok", outcome="ok")
def test_list_page_500_then_ok_is_retried(srv, baseline, tmp_path):
    srv.fail_next(PAPERS, status=500, retry_after="0", times=1)
    run = crawl(srv.karlsruhe_system, tmp_path, "--full", warehouse=baseline.db)
    assert run.code == 0 and run.manifest["status"] == "finished" and run.failures == []
    assert run.live_papers() == baseline.live_papers()
    assert run.query('SELECT "lastComplete", "pages", "objects" FROM oparl_list_state WHERE "list" = \'paper\'') == [(True, 3, 30)]


@pytest.mark.fault(kind="oparl: list page 500 on every try", outcome="recorded")
def test_list_page_that_keeps_failing(srv, baseline, tmp_path):
    srv.page_edits[(PAPERS, 1)] = link_next(2)
    srv.raw_pages[(PAPERS, 2)] = (500, b"Internal Server Error", "text/plain")
    run = crawl(srv.karlsruhe_system, tmp_path, "--full", "--set", "RETRY_TIMES=1", "--set", "RATSINFO_RETRY_BACKOFF_BASE=0.1",
                warehouse=baseline.db)
    assert_incomplete_and_nothing_deleted(run, baseline, "without reaching the list's last page")
    assert [f["status"] for f in run.failures if f["url"].endswith("page=2")] == [500]


# ---------------------------------------------------------------- objects


@pytest.mark.fault(kind="oparl: list object without id, with embedded objects", outcome="recorded")
def test_object_without_id_is_recorded_and_its_embedded_objects_kept(srv, baseline, tmp_path):
    name, papers = srv.somacos_lists[PAPERS]
    paper_id = papers[0]["id"]
    consultation_id = f"{srv.base}{KA}/bodies/0001/consultations/999001"

    def without_id(document: dict, url: str) -> dict:
        paper = document["data"][0]
        paper["consultation"] = [{"id": consultation_id, "type": "https://schema.oparl.org/1.1/Consultation",
                                  "paper": paper_id, "role": "Entscheidung"}]
        del paper["id"]
        return document

    srv.page_edits[(PAPERS, 1)] = without_id
    run = crawl(srv.karlsruhe_system, tmp_path, "--full", warehouse=baseline.db)
    assert_incomplete_and_nothing_deleted(run, baseline, "1 of its objects have no id")
    (record,) = run.failures_with("a Paper without id was not stored")
    assert record["url"] == f"{srv.base}{PAPERS}" and "entry 1 of the list page" in record["error"]
    assert "the 3 objects embedded in it that have ids were kept" in record["error"]
    # The consultation names its paper itself: the reference is kept.
    assert run.query('SELECT "paper", "role" FROM consultation WHERE "systemId" = ?', [consultation_id]) == [(paper_id, "Entscheidung")]
    files = run.query('SELECT "parentType", "role", "position", "crawlId" FROM file WHERE "systemId" IN ({})'.format(
        ", ".join("?" * len(papers[0]["auxiliaryFile"]))), [f["id"] for f in papers[0]["auxiliaryFile"]])
    assert len(files) == len(papers[0]["auxiliaryFile"]) and {f[:2] for f in files} == {("Paper", "auxiliaryFile")}
    assert {f[3] for f in files} == {run.manifest["crawlId"]}  # written by this crawl, not left from the baseline


@pytest.mark.fault(kind="oparl: tombstone without type", outcome="ok")
def test_tombstone_without_type_deletes_its_paper(srv, baseline, tmp_path):
    name, papers = srv.somacos_lists[PAPERS]
    gone = papers[4]["id"]

    def tombstone(document: dict, url: str) -> dict:
        document["data"][4] = {"id": gone, "deleted": True, "modified": "2026-01-01T00:00:00+01:00"}
        return document

    srv.page_edits[(PAPERS, 1)] = tombstone
    run = crawl(srv.karlsruhe_system, tmp_path, "--full", warehouse=baseline.db)
    assert run.code == 0 and run.manifest["status"] == "finished", run.manifest["status"]
    assert run.live_papers() == baseline.live_papers() - {gone}
    deleted, paper_name = run.query('SELECT "deleted", "name" FROM paper WHERE "systemId" = ?', [gone])[0]
    assert deleted is True and paper_name == papers[4]["name"]  # deleted, what was known kept


@pytest.mark.fault(kind="oparl: same object on two pages with different values", outcome="recorded")
def test_duplicate_with_different_values_is_recorded(srv, baseline, tmp_path):
    name, papers = srv.somacos_lists[PAPERS]
    twice = papers[0]["id"]

    def repeated(document: dict, url: str) -> dict:
        document["data"].append({**papers[0], "name": "Changed while the list was walked"})
        return document

    srv.page_edits[(PAPERS, 2)] = repeated
    run = crawl(srv.karlsruhe_system, tmp_path, "--full", warehouse=baseline.db)
    (record,) = run.failures_with("with different values")
    assert twice in record["error"] and record["url"].endswith("page=2") and record["outcome"] == "failed"
    assert run.query('SELECT "name" FROM paper WHERE "systemId" = ?', [twice]) == [("Changed while the list was walked",)]
    # Counted once: the walk's count agrees with totalElements, nothing is missing.
    assert run.manifest["oparl"]["lists"][f"{srv.base}{PAPERS}"]["complete"] is True


# ---------------------------------------------------------------- system and bodies


@pytest.mark.fault(kind="oparl: Body list empty", outcome="recorded")
def test_empty_body_list_is_not_finished(srv, tmp_path):
    srv.documents[f"{KA}/bodies"]["data"] = []
    run = crawl(srv.karlsruhe_system, tmp_path)
    assert run.code == 1 and run.manifest["status"].startswith("incomplete: the Body list")
    (record,) = run.failures_with("is empty")
    assert record["url"] == f"{srv.base}{KA}/bodies" and record["outcome"] == "failed"
    assert run.manifest["itemCounts"] == {}


@pytest.mark.fault(kind="oparl: System without bodies", outcome="recorded")
def test_system_without_bodies_is_not_finished(srv, tmp_path):
    del srv.documents[f"{KA}/system"]["body"]
    run = crawl(srv.karlsruhe_system, tmp_path)
    assert run.code == 1 and "names no Body list" in run.manifest["status"]
    assert run.failures_with("names no Body list")[0]["url"] == srv.karlsruhe_system


@pytest.mark.fault(kind="oparl: modified_since ignored by the server", outcome="ok")
def test_server_that_ignores_modified_since(srv, baseline, tmp_path):
    srv.filter_mode = "ignore"
    run = crawl(srv.karlsruhe_system, tmp_path, warehouse=baseline.db)  # incremental: the baseline has state
    assert run.code == 0 and run.manifest["status"] == "finished" and run.failures == []
    walk = run.manifest["oparl"]["lists"][f"{srv.base}{PAPERS}"]
    assert walk["modifiedSince"] and walk["filterIgnored"] and walk["complete"] and walk["objects"] == 30
    assert run.live_papers() == baseline.live_papers()


@pytest.mark.fault(kind="oparl: embedded object without id", outcome="recorded")
def test_embedded_object_without_id_deletes_none_of_its_siblings(srv, baseline, tmp_path):
    name, papers = srv.somacos_lists[PAPERS]
    paper = papers[0]
    files = [f["id"] for f in paper["auxiliaryFile"]]
    assert len(files) == 2

    def file_without_id(document: dict, url: str) -> dict:
        del document["data"][0]["auxiliaryFile"][0]["id"]
        return document

    srv.page_edits[(PAPERS, 1)] = file_without_id
    run = crawl(srv.karlsruhe_system, tmp_path, "--full", warehouse=baseline.db)
    (record,) = run.failures_with("a File without id was not stored")
    assert f"auxiliaryFile 1 of the Paper {paper['id']}" in record["error"] and record["outcome"] == "failed"
    # The paper's file list was not seen in full: the file it lost the id of is not taken for deleted.
    assert run.query('SELECT "systemId", "deleted" FROM file WHERE "parent" = ? ORDER BY "position"', [paper["id"]]) == [
        (files[0], False), (files[1], False)]
    assert run.manifest["oparl"]["partialParents"] == [paper["id"]]
    assert run.live_papers() == baseline.live_papers()
