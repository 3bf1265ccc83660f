"""What the site builders share: the demo's PDF writer, writing files, what a site contains."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import spiders.crawl as spiders_crawl

from tests.sites.demo import pdf_document  # noqa: F401 - the demo generator's PDF writer, for the other sites

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class SiteContents:
    """What a built site holds and where: the numbers a complete crawl must load."""

    root: Path
    base_path: str  # "/probstedt/public/"
    months: str  # the month range the site's calendars cover, for --months
    counts: dict[str, int]  # warehouse table -> rows a complete crawl loads
    downloads: dict[str, str]  # file systemId -> text the document holds, for those a crawl downloads
    pages_by_kind: dict[str, int]  # page kind -> pages a complete crawl parses
    notes: dict[str, object] = field(default_factory=dict)


def write_files(root: Path, files: dict[str, bytes | str]) -> int:
    """Write ``files`` (path below root -> content) under ``root``; return the bytes written."""
    total = 0
    for rel, content in sorted(files.items()):
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        total += len(data)
    return total


def crawl_command(*, source: str, base_url: str, system: str, months: str, data_dir: Path, crawl_id: str,
                  settings: dict[str, str] | None = None) -> list[str]:
    """Return the command line of one crawl without waits (``python -m spiders.crawl``)."""
    return spiders_crawl.crawl_command(
        source=source, base_url=base_url, system=system, months=months, data_dir=data_dir, crawl_id=crawl_id,
        settings={"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", **(settings or {})},
    )


FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False"}


def done_pages(frontier_db: Path) -> int:
    """Return how many requests a running crawl's frontier has done (0 while the file does not exist yet)."""
    if not frontier_db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{frontier_db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM request WHERE state = 'done'").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:  # the crawl is creating the file
        return 0


def load_and_fetch_documents(data_dir: Path, crawl_id: str, db_path: Path, settings: dict[str, str] | None = None) -> dict:
    """Load a staged crawl, then run the documents stage for its source without waits; return the stage's report."""
    from flows.source_run import load_staged
    from flows.sources import Source
    from schemas.staging import StagingArea

    manifest = StagingArea(data_dir, crawl_id).read_manifest()
    source = Source(slug=manifest["source"], base_url=manifest["baseUrl"])
    load_staged(source, crawl_id, data_dir, db_path)
    return fetch_documents(source.slug, data_dir, db_path, settings, base_url=source.base_url)


def fetch_documents(source: str, data_dir: Path, db_path: Path, settings: dict[str, str] | None = None,
                    base_url: str | None = None) -> dict:
    """Run the documents stage for a loaded source without waits; return the stage's report."""
    from pipelines.warehouse.document_stage import run_documents_stage

    return run_documents_stage(source, data_dir=data_dir, db_path=db_path, settings={**FAST, **(settings or {})},
                               base_url=base_url)


@dataclass
class CrawlRun:
    """A site crawled, loaded and its documents fetched, with the invariants every complete crawl meets checked."""

    manifest: dict
    con: object  # the warehouse, open
    requests: list[tuple[str, str, dict[str, str]]]  # (method, target, headers) the crawl sent, before the documents stage
    downloaded: dict[str, str]  # file systemId -> text of the documents fetched with status ok


def crawl_load_and_fetch(server, site: SiteContents, *, source: str, system: str, crawl_id: str, data_dir: Path,
                         base_url: str | None = None) -> CrawlRun:
    """Crawl ``site`` on ``server``, load it, run the documents stage; assert all of it went through, completely.

    The sequence is ``flows.source_run.run_source``, the one the CLI and the nightly flow run.
    """
    from flows.source_run import run_source
    from flows.sources import Source
    from pipelines.warehouse.load import connect
    from schemas.staging import StagingArea

    db = data_dir / "warehouse.duckdb"
    target = Source(slug=source, base_url=base_url or server.base_url + site.base_path, system=system, months=site.months)
    result = run_source(target, data_dir, db, crawl_id=crawl_id, settings=FAST, time_budget_s=90,
                        documents=True, documents_settings=FAST)
    requests = server.requests.with_headers()
    staging = StagingArea(data_dir, crawl_id)
    log = (staging.path / "crawl.log").read_text(errors="replace")[-3000:]
    assert result.crawl_error is None and result.crawl["exitCode"] == 0, result.crawl_error or log
    manifest = result.manifest
    assert manifest["status"] == "finished"
    assert_reparse_stages_the_same(data_dir, crawl_id)
    assert staging.failures_path.read_text() == ""
    assert result.load_error is None and result.load["failures"] == 0, result.load_error or result.load
    con = connect(db)
    try:
        loaded = {table: con.execute(f'SELECT count(*) FROM {table} WHERE "source" = ?', [source]).fetchone()[0]
                  for table in site.counts}
        assert con.execute('SELECT "system", "baseUrl" FROM source WHERE "source" = ?', [source]).fetchone() == (
            system, target.base_url)
    finally:
        con.close()
    assert loaded == site.counts
    assert manifest["pagesByKind"] == site.pages_by_kind
    # The documents stage downloads the main documents after the load (pipelines.warehouse.document_stage).
    documents = result.documents
    assert documents["pendingDocuments"] == 0 and documents["failed"] == documents["refused"] == 0, documents
    # The search index was rebuilt after the documents: every paper the site has is in it.
    assert result.search_index == (site.counts.get("paper") and loaded["paper"]) or not site.counts.get("paper"), (
        result.search_index)
    con = connect(db)
    downloaded = dict(con.execute('SELECT "systemId", text FROM file WHERE sha256 IS NOT NULL AND "textStatus" = ?',
                                  ["ok"]).fetchall())
    assert sorted(downloaded) == sorted(site.downloads)
    return CrawlRun(manifest=manifest, con=con, requests=requests, downloaded=downloaded)


def assert_reparse_stages_the_same(data_dir: Path, crawl_id: str) -> None:
    """A re-parse of the crawl's stored pages, without the network, stages the crawl's items again, line for line.

    Every page as the crawl read it: with its link's meta (SD.NET's calendar window, without which the
    export's archived meeting came back), none of the answers the crawl did not read as pages (robots.txt,
    the base URL's page fetched to detect the system, an OParl System it asked) taken for one.
    """
    from pipelines.warehouse.reparse import reparse_crawl
    from schemas.staging import StagingArea

    report = reparse_crawl(data_dir, crawl_id)
    assert (report.failures, report.missing_bodies) == (0, 0), report

    def lines(staging: StagingArea) -> list[str]:
        return sorted(json.dumps(item, sort_keys=True) for item in staging.read_items())

    reparsed, crawled = StagingArea(data_dir, report.crawl_id), StagingArea(data_dir, crawl_id)
    assert lines(reparsed) == lines(crawled)
    # The parse rates too: a parser change shows in them (and in the load's degraded fields) after a re-parse.
    for counts in ("pagesByKind", "fieldCounts", "itemCounts"):
        assert reparsed.read_manifest()[counts] == crawled.read_manifest()[counts], counts
