"""Tests for pipelines.warehouse.document_stage: which documents are pending, and what their load feeds.

These tests stage crawls by hand (what ``spiders.ris`` and ``spiders.documents``
write) and load them with the real loader into a real DuckDB file; the
downloads themselves are tested in ``tests/faults/test_documents.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.warehouse.document_stage import (
    download_mode,
    pending_count,
    pending_files,
    source_base_url,
    unloaded_document_crawls,
)
from pipelines.warehouse.load import connect, load_crawl
from schemas.staging import StagingArea

SOURCE = "teststadt"
COMMON = {"source": SOURCE, "system": "allris_classic"}


def stage(data_dir: Path, crawl_id: str, items: list[dict], *, started: str, **manifest) -> StagingArea:
    staging = StagingArea(data_dir, crawl_id).create()
    staging.update_manifest(crawlId=crawl_id, source=SOURCE, startedAt=started, status="finished", **manifest)
    with staging.items_path.open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    return staging


def paper(pid: str, **fields) -> dict:
    return {"type": "Paper", "systemId": pid, "name": f"Vorlage {pid}", **COMMON, **fields}


def file(fid: str, parent: str, role: str, url: str | None, **fields) -> dict:
    return {"type": "File", "systemId": fid, "parentType": "Paper", "parent": parent, "role": role,
            "fileName": f"{fid}.pdf", "accessUrl": url, **COMMON, **fields}


def update(fid: str, url: str, attempts: int, at: str, **fields) -> dict:
    """A File update as spiders.documents stages it (text filled by the DocumentTextPipeline)."""
    # Like the spider's, an update names no page it was read from (no "url"): it only fills in the row.
    common = {k: v for k, v in COMMON.items() if k != "url"}
    return {"type": "File", "systemId": fid, "accessUrl": url, "textUrl": url, "textAttempts": attempts,
            "crawledAt": at, **common, **fields}


@pytest.fixture
def warehouse(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    items = [
        paper("p1"), file("f1", "p1", "mainFile", "http://ris.example/doc/1.pdf"),
        file("a1", "p1", "auxiliaryFile", "http://ris.example/doc/a1.pdf"),
        paper("p2"), file("f2", "p2", "mainFile", "http://ris.example/doc/2.pdf"),
        # two files behind one URL: fetched once
        paper("p3"), file("f3", "p3", "mainFile", "http://ris.example/doc/2.pdf"),
        paper("p4"), file("f4", "p4", "mainFile", None),  # nothing to fetch
    ]
    load_crawl(stage(tmp_path, "c1-meta", items, started="2026-11-01T00:00:00+00:00",
                     baseUrl="http://ris.example/bi/", system="allris_classic"), con)
    yield con, tmp_path
    con.close()


def urls(work: list[dict]) -> list[str]:
    return sorted(w["url"] for w in work)


def test_main_mode_picks_main_files_once_per_url(warehouse):
    con, _ = warehouse
    work = pending_files(con, SOURCE, "main")
    assert urls(work) == ["http://ris.example/doc/1.pdf", "http://ris.example/doc/2.pdf"]
    shared = next(w for w in work if w["url"].endswith("2.pdf"))
    assert sorted(f["systemId"] for f in shared["files"]) == ["f2", "f3"]
    assert all(f["textAttempts"] == 1 for w in work for f in w["files"])
    assert pending_count(con, SOURCE, "main") == 3


def test_all_and_none_modes(warehouse):
    con, _ = warehouse
    assert "http://ris.example/doc/a1.pdf" in urls(pending_files(con, SOURCE, "all"))
    assert pending_files(con, SOURCE, "none") == []
    assert pending_count(con, SOURCE, "none") == 0


def test_limit_counts_urls(warehouse):
    con, _ = warehouse
    assert len(pending_files(con, SOURCE, "main", limit=1)) == 1


def test_download_mode_is_checked():
    assert download_mode({"RATSINFO_DOWNLOAD_FILES": "ALL"}) == "all"
    with pytest.raises(ValueError, match="main, all or none"):
        download_mode({"RATSINFO_DOWNLOAD_FILES": "some"})


def test_base_url_comes_from_the_latest_crawl(warehouse):
    con, _ = warehouse
    assert source_base_url(con, SOURCE) == "http://ris.example/bi/"
    assert source_base_url(con, "elsewhere") is None


def test_loaded_documents_feed_signatories_topics_and_stop_being_pending(warehouse):
    con, tmp = warehouse
    text = "Der Integrationsrat empfiehlt Sprachkurse für Geflüchtete.\n\ngez. Dr. Jürgen Weiß\nBürgermeister"
    url = "http://ris.example/doc/1.pdf"
    load_crawl(stage(tmp, "c2-documents", [update("f1", url, 1, "2026-11-02T00:00:00+00:00", text=text,
                                                  textStatus="ok", sha256="ab" * 32, size=1234)],
                     started="2026-11-02T00:00:00+00:00", stage="documents"), con)
    signatories, topics, terms = con.execute(
        'SELECT "signatories", "topics", "topicTerms" FROM paper WHERE "systemId" = ?', ["p1"]).fetchone()
    assert signatories[0]["name"] == "Dr. Jürgen Weiß"
    assert topics == ["integration"]
    assert "Integrationsrat" in terms
    assert url not in urls(pending_files(con, SOURCE, "main"))
    # The next metadata crawl stages the file without text: the text stays.
    load_crawl(stage(tmp, "c3-meta", [paper("p1"), file("f1", "p1", "mainFile", url)],
                     started="2026-11-03T00:00:00+00:00", system="allris_classic"), con)
    assert con.execute('SELECT "text", "textStatus" FROM file WHERE "systemId" = ?', ["f1"]).fetchone() == (text, "ok")
    assert url not in urls(pending_files(con, SOURCE, "main"))


def test_a_changed_access_url_is_fetched_again(warehouse):
    con, tmp = warehouse
    old, new = "http://ris.example/doc/1.pdf", "http://ris.example/doc/1-v2.pdf"
    load_crawl(stage(tmp, "c2-documents", [update("f1", old, 1, "2026-11-02T00:00:00+00:00", text="alt",
                                                  textStatus="ok")], started="2026-11-02T00:00:00+00:00"), con)
    load_crawl(stage(tmp, "c3-meta", [file("f1", "p1", "mainFile", new)], started="2026-11-03T00:00:00+00:00"), con)
    work = {w["url"]: w for w in pending_files(con, SOURCE, "main")}
    assert new in work
    assert work[new]["files"][0]["textAttempts"] == 1


def test_failures_are_retried_up_to_the_bound_and_final_statuses_never(warehouse):
    con, tmp = warehouse
    one, two = "http://ris.example/doc/1.pdf", "http://ris.example/doc/2.pdf"
    at = "2026-11-02T00:00:00+00:00"
    load_crawl(stage(tmp, "c2-documents", [
        update("f1", one, 2, at, textStatus="login_page"),
        update("f2", two, 1, at, textStatus="no_text_layer"),
        update("f3", two, 1, at, textStatus="no_text_layer"),
    ], started=at), con)
    work = pending_files(con, SOURCE, "main", attempts=3)
    assert urls(work) == [one]
    assert work[0]["files"][0]["textAttempts"] == 3
    assert pending_files(con, SOURCE, "main", attempts=2) == []
    assert pending_count(con, SOURCE, "main", attempts=2) == 0


def test_a_staged_but_unloaded_documents_crawl_is_found(warehouse):
    con, tmp = warehouse
    stage(tmp, "c2-documents", [], started="2026-11-02T00:00:00+00:00", stage="documents")
    found = unloaded_document_crawls(con, tmp, SOURCE)
    assert [s.crawl_id for s in found] == ["c2-documents"]
    load_crawl(found[0], con)
    assert unloaded_document_crawls(con, tmp, SOURCE) == []


def test_the_documents_crawl_runs_where_its_module_is_found(tmp_path, monkeypatch):
    """``python -m spiders.documents`` starts in the project's folder, as the page crawl does.

    It started in ``pipelines/`` (the stage moved one folder down): from a checkout that is not
    installed, ``ratsinfo documents`` then failed every download with "No module named 'spiders'".
    """
    import subprocess

    from pipelines.warehouse import document_stage

    staging = StagingArea(tmp_path / "data", "c2-documents").create()
    staging.update_manifest(crawlId="c2-documents", source=SOURCE, baseUrl="http://ris.example/bi/", urls=0)
    started = {}

    def run(command, **kwargs):
        started.update(command=command, **kwargs)
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(document_stage.subprocess, "run", run)
    monkeypatch.chdir(tmp_path)
    document_stage.download_documents(staging)
    module = started["command"][started["command"].index("-m") + 1]
    assert (Path(started["cwd"]) / (module.replace(".", "/") + ".py")).is_file()
