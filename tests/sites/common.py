"""What the site builders share: the demo's PDF writer, writing files, what a site contains."""

from __future__ import annotations

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


def load_and_fetch_documents(data_dir: Path, crawl_id: str, db_path: Path, settings: dict[str, str] | None = None) -> dict:
    """Load a staged crawl, then run the documents stage for its source without waits; return the stage's report."""
    from pipelines.warehouse.document_stage import run_documents_stage
    from pipelines.warehouse.load import connect, load_crawl
    from schemas.staging import StagingArea

    staging = StagingArea(data_dir, crawl_id)
    con = connect(db_path)
    try:
        load_crawl(staging, con)
    finally:
        con.close()
    return run_documents_stage(
        staging.read_manifest()["source"], data_dir=data_dir, db_path=db_path,
        settings={"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", **(settings or {})},
    )


def fetch_documents(source: str, data_dir: Path, db_path: Path, settings: dict[str, str] | None = None) -> dict:
    """Run the documents stage for a loaded source without waits; return the stage's report."""
    from pipelines.warehouse.document_stage import run_documents_stage

    return run_documents_stage(
        source, data_dir=data_dir, db_path=db_path,
        settings={"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", **(settings or {})},
    )


@dataclass
class CrawlRun:
    """A site crawled, loaded and its documents fetched, with the invariants every complete crawl meets checked."""

    manifest: dict
    con: object  # the warehouse, open
    requests: list[tuple[str, str, dict[str, str]]]  # (method, target, headers) the crawl sent, before the documents stage
    downloaded: dict[str, str]  # file systemId -> text of the documents fetched with status ok


def crawl_load_and_fetch(server, site: SiteContents, *, source: str, system: str, crawl_id: str, data_dir: Path,
                         base_url: str | None = None) -> CrawlRun:
    """Crawl ``site`` on ``server``, load it, run the documents stage; assert all of it went through, completely."""
    import subprocess

    from pipelines.warehouse.load import connect, load_crawl
    from schemas.staging import StagingArea

    command = crawl_command(source=source, base_url=base_url or server.base_url + site.base_path, system=system,
                            months=site.months, data_dir=data_dir, crawl_id=crawl_id)
    run = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=90)
    requests = server.requests.with_headers()
    assert run.returncode == 0, run.stderr[-3000:]
    staging = StagingArea(data_dir, crawl_id)
    manifest = staging.read_manifest()
    assert manifest["status"] == "finished"
    assert staging.failures_path.read_text() == ""
    db = data_dir / "warehouse.duckdb"
    con = connect(db)
    try:
        assert load_crawl(staging, con).failures == 0
        loaded = {table: con.execute(f'SELECT count(*) FROM {table} WHERE "source" = ?', [source]).fetchone()[0]
                  for table in site.counts}
    finally:
        con.close()
    assert loaded == site.counts
    assert manifest["pagesByKind"] == site.pages_by_kind
    # The documents stage downloads the main documents after the load (pipelines.warehouse.document_stage).
    documents = fetch_documents(source, data_dir, db)
    assert documents["pendingDocuments"] == 0 and documents["failed"] == documents["refused"] == 0, documents
    con = connect(db)
    downloaded = dict(con.execute('SELECT "systemId", text FROM file WHERE sha256 IS NOT NULL AND "textStatus" = ?',
                                  ["ok"]).fetchall())
    assert sorted(downloaded) == sorted(site.downloads)
    return CrawlRun(manifest=manifest, con=con, requests=requests, downloaded=downloaded)
