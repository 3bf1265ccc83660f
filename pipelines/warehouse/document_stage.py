"""The documents stage: download pending documents after the metadata load, resumably.

A first sync of a large body must be queryable in minutes, not after hours of
PDFs at one polite request a second. So the metadata crawl only stages File
items (name, role, ``accessUrl``), and this stage runs after their load:

1. load any earlier documents crawl of the source that was staged but never
   loaded (an interrupted run: what it downloaded is kept, not fetched again);
2. pick the pending files from the warehouse (:func:`pending_files`): the
   roles ``RATSINFO_DOWNLOAD_FILES`` asks for (``main``: the main files of
   papers, ``all``, ``none``), never tried, or whose
   ``accessUrl`` changed since, or whose last try failed and has tries left
   (``RATSINFO_DOCUMENT_ATTEMPTS``, default 3);
3. write them as a work list into a new staging folder and run
   ``spiders.documents`` on it in a child process (the project's Scrapy
   settings: robots.txt, politeness, raw store, URL policy);
4. load that folder like any crawl: its File updates (``text``,
   ``textStatus``, ``sha256``, ``size``, ``mimeType``, ``textUrl``,
   ``textAttempts``) merge into the file rows, its failures into
   ``parse_failure``, and the load's enrichment reads signatories and topics
   of the papers whose documents arrived.

The warehouse is open only while picking and loading, never during downloads.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
from pathlib import Path
from typing import Any

from schemas.staging import StagingArea, list_crawls, new_crawl_id, utcnow

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STAGE = "documents"
WORKLIST = "documents.jsonl"
DEFAULT_MODE = "main"
DEFAULT_MAX_ATTEMPTS = 3
# Statuses after which a document is done: a new try would give the same answer.
FINAL_STATUSES = ("ok", "no_text_layer", "unsupported", "too_large")
_ROLE_FILTER = {"main": "\"role\" = 'mainFile'", "all": "true", "none": "false"}


def download_mode(settings: dict[str, str] | None = None) -> str:
    """Return which documents to download: ``main``, ``all`` or ``none`` (setting, else environment, else main)."""
    value = (settings or {}).get("RATSINFO_DOWNLOAD_FILES") or os.environ.get("RATSINFO_DOWNLOAD_FILES") or DEFAULT_MODE
    mode = str(value).strip().lower()
    if mode not in _ROLE_FILTER:
        raise ValueError(f"RATSINFO_DOWNLOAD_FILES must be main, all or none, not {value!r}")
    return mode


def max_attempts(settings: dict[str, str] | None = None) -> int:
    """Return how often a failing document is tried per accessUrl (setting, else environment, else 3)."""
    value = (settings or {}).get("RATSINFO_DOCUMENT_ATTEMPTS") or os.environ.get("RATSINFO_DOCUMENT_ATTEMPTS")
    if not value:
        return DEFAULT_MAX_ATTEMPTS
    try:
        attempts = int(value)
    except ValueError:
        attempts = 0
    if attempts < 1:
        raise ValueError(f"RATSINFO_DOCUMENT_ATTEMPTS must be a whole number of at least 1, not {value!r}")
    return attempts


def documents_budget(value: str) -> float:
    """Return ``RATSINFO_DOCUMENTS_BUDGET_S`` as seconds; ValueError naming it when it is none."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise ValueError(f"RATSINFO_DOCUMENTS_BUDGET_S must be a number of seconds more than 0, not {value!r}")
    return seconds


def check_settings(settings: dict[str, str] | None = None) -> None:
    """Raise ValueError naming the first of the stage's settings (given, else environment) that holds a bad value."""
    download_mode(settings)
    max_attempts(settings)
    budget = (settings or {}).get("RATSINFO_DOCUMENTS_BUDGET_S") or os.environ.get("RATSINFO_DOCUMENTS_BUDGET_S")
    if budget:
        documents_budget(budget)


def _pending_where(mode: str) -> str:
    finals = ", ".join(f"'{s}'" for s in FINAL_STATUSES)
    return f"""f."source" = ? AND NOT coalesce(f."deleted", false) AND f."accessUrl" IS NOT NULL
        AND {_ROLE_FILTER[mode]}
        AND (f."textStatus" IS NULL
             OR (f."textUrl" IS NOT NULL AND f."textUrl" <> f."accessUrl")
             OR (f."textStatus" NOT IN ({finals}) AND coalesce(f."textAttempts", 0) < ?))"""


def request_headers(data_dir: Path, source: str) -> dict[str, dict[str, str]]:
    """Return the headers the source's newest crawl needed per URL prefix (an app interface's keys), else {}."""
    for staging in reversed(list_crawls(data_dir)):
        manifest = staging.read_manifest()
        if manifest.get("source") == source and manifest.get("requestHeaders"):
            return manifest["requestHeaders"]
    return {}


def pending_files(con, source: str, mode: str = DEFAULT_MODE, attempts: int = DEFAULT_MAX_ATTEMPTS,
                  limit: int | None = None) -> list[dict[str, Any]]:
    """Return the work list of a source: one entry per distinct URL, ``{"url", "files": [...]}``, newest first.

    Each file carries its key, its metadata and ``textAttempts``, the number
    this try will be (1 again when the accessUrl changed).
    """
    if mode == "none":
        return []
    rows = con.execute(
        f"""SELECT f."source", f."system", f."systemId", f."fileName", f."mimeType", f."accessUrl",
                   CASE WHEN f."textUrl" IS NOT DISTINCT FROM f."accessUrl" OR f."textUrl" IS NULL
                        THEN coalesce(f."textAttempts", 0) + 1 ELSE 1 END AS "textAttempts"
            FROM file f
            WHERE {_pending_where(mode)}
            ORDER BY f."date" DESC NULLS LAST, f."systemId" """,
        [source, attempts],
    ).fetchall()
    names = ("source", "system", "systemId", "fileName", "mimeType", "accessUrl", "textAttempts")
    by_url: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        record = dict(zip(names, row))
        if record["accessUrl"] not in by_url and limit is not None and len(by_url) >= limit:
            continue
        by_url.setdefault(record["accessUrl"], []).append(record)
    return [{"url": url, "files": files} for url, files in by_url.items()]


def pending_count(con, source: str, mode: str = DEFAULT_MODE, attempts: int = DEFAULT_MAX_ATTEMPTS) -> int:
    """Return how many files of a source are still waiting for their document."""
    if mode == "none":
        return 0
    return con.execute(f"SELECT count(*) FROM file f WHERE {_pending_where(mode)}", [source, attempts]).fetchone()[0]


def source_base_url(con, source: str) -> str | None:
    """Return the base URL the warehouse knows for a source (its registration, else its latest crawl)."""
    row = con.execute('SELECT "baseUrl" FROM source WHERE "source" = ?', [source]).fetchone()
    if row and row[0]:
        return row[0]
    row = con.execute(
        """SELECT "baseUrl" FROM crawl WHERE "source" = ? AND "baseUrl" IS NOT NULL
           ORDER BY "startedAt" DESC NULLS LAST LIMIT 1""",
        [source],
    ).fetchone()
    return row[0] if row else None


def unloaded_document_crawls(con, data_dir: Path, source: str) -> list[StagingArea]:
    """Return the source's documents crawls that were staged but never loaded (interrupted runs), oldest first."""
    loaded = {row[0] for row in con.execute('SELECT "crawlId" FROM crawl WHERE "source" = ?', [source]).fetchall()}
    out = []
    for staging in list_crawls(data_dir):
        manifest = staging.read_manifest()
        if manifest.get("stage") == STAGE and manifest.get("source") == source and staging.crawl_id not in loaded:
            out.append(staging)
    return out


def run_documents_stage(
    source: str,
    *,
    data_dir: Path,
    db_path: Path,
    settings: dict[str, str] | None = None,
    limit: int | None = None,
    base_url: str | None = None,
    extra_hosts: list[str] | None = None,
    retry_failed: bool = False,
) -> dict[str, Any]:
    """Download and load the pending documents of one source; return what happened and what is still pending.

    The three steps are separate functions so a flow can run the downloads of
    several sources at once and their loads one after the other (one writer):
    :func:`stage_pending_documents`, :func:`download_documents`, ``pipelines.warehouse.load.load_crawl``.
    """
    from pipelines.warehouse.db import open_reader, open_writer
    from pipelines.warehouse.load import load_crawl

    data_dir, db_path = Path(data_dir), Path(db_path)
    check_settings(settings)
    with open_writer(db_path) as con:  # it may load an interrupted documents crawl first
        report = stage_pending_documents(con, source, data_dir, settings=settings, limit=limit, base_url=base_url,
                                         retry_failed=retry_failed)
    if report["crawlId"]:
        staging = StagingArea(data_dir, report["crawlId"])
        report.update(download_documents(staging, extra_hosts=extra_hosts, settings=settings))
        with open_writer(db_path) as con:
            load_crawl(staging, con)
    con = open_reader(db_path)
    try:
        report["pendingDocuments"] = pending_count(con, source, report["mode"], report["attempts"])
    finally:
        con.close()
    return report


def stage_pending_documents(
    con,
    source: str,
    data_dir: Path,
    *,
    settings: dict[str, str] | None = None,
    limit: int | None = None,
    base_url: str | None = None,
    retry_failed: bool = False,
) -> dict[str, Any]:
    """Load interrupted documents crawls of a source, then stage the work list of what is pending.

    Returns the start of the stage's report: ``crawlId`` of the new staging
    folder (None when nothing is pending), ``urls``, ``files``, ``mode``,
    ``attempts`` and ``resumedCrawls`` (interrupted crawls loaded now).
    """
    from pipelines.warehouse.load import load_crawl

    mode = download_mode(settings)
    attempts = 10**6 if retry_failed else max_attempts(settings)
    report: dict[str, Any] = {"source": source, "mode": mode, "attempts": attempts, "crawlId": None}
    resumed = [load_crawl(s, con).crawl_id for s in unloaded_document_crawls(con, data_dir, source)]
    if resumed:
        report["resumedCrawls"] = resumed
    work = pending_files(con, source, mode, attempts, limit)
    report.update(urls=len(work), files=sum(len(w["files"]) for w in work), statuses={})
    if not work:
        return report
    base_url = base_url or source_base_url(con, source)
    if not base_url:
        raise ValueError(f"no base URL known for source {source!r}: crawl it first or register it in sources.toml")
    staging = StagingArea(data_dir, new_crawl_id(f"{source}-{STAGE}")).create()
    staging.update_manifest(crawlId=staging.crawl_id, source=source, stage=STAGE, baseUrl=base_url,
                            startedAt=utcnow().isoformat(), status="staged", urls=len(work))
    headers_by_prefix = request_headers(data_dir, source)
    tmp = staging.path / (WORKLIST + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for entry in work:
            headers = next((h for prefix, h in headers_by_prefix.items() if entry["url"].startswith(prefix)), None)
            fh.write(json.dumps({**entry, "headers": headers} if headers else entry, ensure_ascii=False) + "\n")
    tmp.replace(staging.path / WORKLIST)
    report["crawlId"] = staging.crawl_id
    return report


def download_documents(staging: StagingArea, *, extra_hosts: list[str] | None = None,
                       settings: dict[str, str] | None = None) -> dict[str, Any]:
    """Run the documents spider on a staged work list in a child process; return its outcome (no warehouse access)."""
    from spiders.documents import documents_command

    manifest = staging.read_manifest()
    settings = dict(settings or {})
    budget = settings.pop("RATSINFO_DOCUMENTS_BUDGET_S", None) or os.environ.get("RATSINFO_DOCUMENTS_BUDGET_S")
    if budget:  # a time budget for this source's downloads; what is left stays pending for the next run
        settings["CLOSESPIDER_TIMEOUT"] = str(documents_budget(budget))
    command = documents_command(source=manifest["source"], base_url=manifest["baseUrl"], data_dir=staging.data_dir,
                                crawl_id=staging.crawl_id, extra_hosts=extra_hosts, settings=settings)
    logger.info("downloading %s document(s) of %s as %s", manifest.get("urls"), manifest["source"], staging.crawl_id)
    run = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True)
    manifest = staging.read_manifest()
    statuses: dict[str, int] = {}
    for item in staging.read_items():
        status = item.get("textStatus") or "none"
        statuses[status] = statuses.get(status, 0) + 1
    outcomes = {"failed": 0, "refused": 0}
    for failure in staging.read_failures():
        outcomes["refused" if failure.get("outcome") == "refused" else "failed"] += 1
    out: dict[str, Any] = {"status": manifest.get("status"), "statuses": statuses,
                           "requests": manifest.get("requests", 0), **outcomes}
    if run.returncode != 0:
        out["error"] = (run.stderr or run.stdout)[-1000:]
        logger.warning("documents crawl of %s ended with exit %s", manifest["source"], run.returncode)
    return out
