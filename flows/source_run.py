"""Crawl → load → search index (→ documents) for one source: the one way through, for the CLI, the flow and the tests.

``run_source`` is the sequence; its steps are public so a caller that runs
many sources can interleave them (the nightly flow crawls several sources at
once and loads them one at a time, then indexes once and fetches documents
after every load):

* ``crawl_settings_for`` — the Scrapy settings of one crawl: the source's
  sync state (OParl), its extra hosts, a full reconciliation, the caller's
  overrides, in that order;
* ``run_crawl_process`` — the crawl itself, in a child process
  (``python -m spiders.crawl``: Twisted's reactor cannot be restarted);
  the same crawl id resumes an interrupted crawl;
* ``load_staged`` — register the source and merge the staged crawl into the
  warehouse (one writer at a time: ``pipelines.warehouse.db.open_writer``),
  with the parse-rate findings;
* ``rebuild_index`` — the full-text search index;
* ``fetch_documents`` — the documents stage (``pipelines.warehouse.document_stage``).

Every step records what it did in a ``SourceRunResult``; a failing crawl
still has what it staged loaded, and nothing here raises for a failing host.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable

from flows.sources import Source
from schemas.staging import StagingArea, new_crawl_id
from spiders.crawl import crawl_command

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# After the budget the spider closes itself (CLOSESPIDER_TIMEOUT); the process gets this long to finish writing.
STOP_GRACE_SECONDS = 90


class CrawlCrashed(RuntimeError):
    """The crawl process died without recording how it ended (the nightly flow retries it)."""


@dataclass
class SourceRunResult:
    """What one run of one source did, step by step (None: the step did not run)."""

    source: str
    crawl_id: str
    crawl_settings: dict[str, str] = field(default_factory=dict)  # the Scrapy settings the crawl was given
    crawl: dict[str, Any] = field(default_factory=dict)  # {crawlId, status, exitCode[, flowRun]}
    crawl_error: str | None = None  # the crawl step raised (crashed, timed out on the work pool …)
    manifest: dict[str, Any] = field(default_factory=dict)  # the staging folder's crawl.json after the crawl
    load: dict[str, Any] | None = None  # load report with "degraded" and "status"
    load_error: str | None = None
    load_seconds: float | None = None
    search_index: int | None = None  # papers in the index after the rebuild
    documents: dict[str, Any] | None = None  # the documents stage's report

    @property
    def system(self) -> str | None:
        return self.manifest.get("system")

    @property
    def crawl_status(self) -> str | None:
        return self.manifest.get("status")

    @property
    def ok(self) -> bool:
        """True when the crawl finished with an exit code of 0 and its load went through."""
        return (not self.crawl_error and self.crawl.get("exitCode", 0) == 0 and self.load_error is None
                and self.crawl_status == "finished")


def crawl_settings_for(
    source: Source, db_path: Path | str, data_dir: Path | str, crawl_id: str,
    settings: dict[str, str] | None = None, *, full: bool = False,
) -> dict[str, str]:
    """Return the Scrapy settings of one crawl: sync state, the source's own, ``full``, then ``settings``."""
    from pipelines.warehouse.sync_state import crawl_settings as sync_settings

    merged = sync_settings(db_path, source.slug, StagingArea(Path(data_dir), crawl_id).path)
    merged.update(source.crawl_settings())  # extra hosts of a configured source
    if full:
        merged["RATSINFO_OPARL_FULL"] = "1"
    merged.update(settings or {})
    return merged


# The crawl processes this process started and that still run (stopped when the flow is interrupted).
_RUNNING: set[subprocess.Popen] = set()
_RUNNING_LOCK = threading.Lock()


def run_crawl_process(
    source: Source, data_dir: Path | str, crawl_id: str, settings: dict[str, str] | None = None,
    time_budget_s: float | None = None, *, stderr: IO[str] | None = None,
) -> dict[str, Any]:
    """Crawl one source in a child process into staging; return how it ended ({crawlId, status, exitCode}).

    ``settings`` are passed as they are (see ``crawl_settings_for``). The
    process's output goes to ``crawl.log`` in the staging folder, its log to
    ``stderr`` instead when given (the CLI shows the crawl's progress). Raises
    CrawlCrashed when the process ended without a final status (a crash,
    not a failing host: those are recorded by the crawl itself).
    """
    settings = dict(settings or {})
    if time_budget_s:
        settings["CLOSESPIDER_TIMEOUT"] = f"{max(0.1, time_budget_s):g}"
    command = crawl_command(
        source=source.slug, base_url=source.base_url, data_dir=data_dir, crawl_id=crawl_id, system=source.system,
        months=source.months, months_back=source.months_back, months_ahead=source.months_ahead, settings=settings,
    )
    staging = StagingArea(Path(data_dir), crawl_id)
    log_path = staging.create().path / "crawl.log"
    if stderr is not None and not _has_fileno(stderr):
        stderr = None  # a captured stream (pytest, a notebook): the log goes to crawl.log
    with log_path.open("ab") as log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=log,
                                   stderr=stderr if stderr is not None else subprocess.STDOUT)
        with _RUNNING_LOCK:
            _RUNNING.add(process)
        hard_stop = (time_budget_s + STOP_GRACE_SECONDS) if time_budget_s else None
        try:
            code = process.wait(timeout=hard_stop)
        except subprocess.TimeoutExpired:
            code = _stop(process)
        except BaseException:  # interrupted: do not leave the crawl behind
            _stop(process)
            raise
        finally:
            with _RUNNING_LOCK:
                _RUNNING.discard(process)
    status = staging.read_manifest().get("status")
    if not status or status == "running":
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise CrawlCrashed(f"crawl of {source.slug} ended without a status (exit {code}):\n{tail}")
    return {"crawlId": crawl_id, "status": status, "exitCode": code}


def _has_fileno(stream: IO[str]) -> bool:
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both OSError and ValueError
        return False
    return True


def stop_running_crawls() -> None:
    """Stop every crawl process this process started that is still running (in parallel: each may take seconds)."""
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for process in running:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 10
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _stop(process: subprocess.Popen) -> int:
    """Ask a crawl to shut down (Scrapy closes cleanly on SIGINT), kill it if it will not; return its exit code."""
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def register_source(con, source: Source, system: str | None = None) -> None:
    """Write the source's row (slug, name, AGS, system, base URL); what the source does not say keeps its old value.

    An ad-hoc crawl (``ratsinfo crawl URL``) knows no name or AGS; a row an
    earlier configured run or an OParl Body wrote keeps them.
    """
    con.execute(
        """INSERT INTO source ("source", "name", "ags", "system", "baseUrl") VALUES (?, ?, ?, ?, ?)
           ON CONFLICT ("source") DO UPDATE SET
               "name" = coalesce(excluded."name", source."name"),
               "ags" = coalesce(excluded."ags", source."ags"),
               "system" = coalesce(excluded."system", source."system"),
               "baseUrl" = excluded."baseUrl"
        """,
        [source.slug, source.name, source.ags, source.system or system, source.base_url],
    )


def load_staged(
    source: Source | None, crawl_id: str, data_dir: Path | str, db_path: Path | str, *, con=None,
) -> dict[str, Any]:
    """Register the source and merge a staged crawl into the warehouse; return the load report.

    The report has the parse-rate findings (``degraded``) and the crawl's
    ``status``. ``con``: load on this writer connection instead of opening
    one on ``db_path`` (several crawls in one publish).
    """
    from pipelines.crawl.parse_rate import record_parse_rates
    from pipelines.warehouse.db import open_writer
    from pipelines.warehouse.load import load_crawl

    staging = StagingArea(Path(data_dir), crawl_id)
    manifest = staging.read_manifest()
    if not manifest:
        raise FileNotFoundError(f"no staged crawl {crawl_id!r} under {Path(data_dir) / 'staging'}")
    with (contextlib.nullcontext(con) if con is not None else open_writer(Path(db_path))) as writer:
        if source is not None:
            register_source(writer, source, manifest.get("system"))
        report = load_crawl(staging, writer).as_dict()
        report["degraded"] = record_parse_rates(writer, staging)
        report["status"] = manifest.get("status")
        return report


def rebuild_index(db_path: Path | str) -> int:
    """Refresh the full-text search index; return how many papers it holds."""
    from pipelines.warehouse.db import open_writer
    from pipelines.warehouse.search import rebuild_search_index

    with open_writer(Path(db_path)) as con:
        return rebuild_search_index(con)


def fetch_documents(
    source: Source, data_dir: Path | str, db_path: Path | str, settings: dict[str, str] | None = None,
    *, limit: int | None = None, retry_failed: bool = False,
) -> dict[str, Any]:
    """Download, read and load one source's pending documents; return the documents stage's report."""
    from pipelines.warehouse.document_stage import run_documents_stage

    return run_documents_stage(
        source.slug, data_dir=Path(data_dir), db_path=Path(db_path), settings=settings, limit=limit,
        base_url=source.base_url, extra_hosts=list(source.extra_hosts), retry_failed=retry_failed,
    )


CrawlStep = Callable[..., dict[str, Any]]  # (source, data_dir, crawl_id, settings, time_budget_s) -> {crawlId, status, …}


def run_source(
    source: Source,
    data_dir: Path | str,
    db_path: Path | str,
    *,
    crawl_id: str | None = None,
    settings: dict[str, str] | None = None,
    full: bool = False,
    time_budget_s: float | None = None,
    load: bool = True,
    index: bool = True,
    documents: bool = False,
    documents_settings: dict[str, str] | None = None,
    crawl: CrawlStep | None = None,
    load_lock: threading.Lock | None = None,
) -> SourceRunResult:
    """Crawl one source, load it, rebuild the search index and (with ``documents``) fetch its documents.

    ``crawl_id`` of an interrupted crawl resumes it. ``settings`` override
    the crawl's Scrapy settings (``crawl_settings_for``). ``crawl`` replaces
    the crawl step (default ``run_crawl_process``; the nightly flow passes
    its Prefect task, which retries a crashed crawl, or the work-pool one).
    ``load_lock`` is held while loading, so callers that run sources in
    threads load one crawl at a time while the other crawls go on. A crawl
    that fails or crashes still has what it staged loaded; its error is in
    the result, never raised (except KeyboardInterrupt and the like).
    """
    data_dir, db_path = Path(data_dir), Path(db_path)
    crawl_id = crawl_id or new_crawl_id(source.slug)
    result = SourceRunResult(source=source.slug, crawl_id=crawl_id)
    with load_lock or contextlib.nullcontext():  # the sync state is read from the warehouse: not while a load writes
        result.crawl_settings = crawl_settings_for(source, db_path, data_dir, crawl_id, settings, full=full)
    try:
        result.crawl = (crawl or run_crawl_process)(source, str(data_dir), crawl_id, result.crawl_settings, time_budget_s)
    except Exception as exc:  # one broken source must not stop the others: record it, load what it staged
        result.crawl_error = f"{type(exc).__name__}: {exc}"[-1000:]
    staging = StagingArea(data_dir, crawl_id)
    result.manifest = staging.read_manifest()
    if not load or not result.manifest:
        return result
    started = time.monotonic()
    try:
        with load_lock or contextlib.nullcontext():
            result.load = load_staged(source, crawl_id, data_dir, db_path)
    except Exception as exc:
        result.load_error = f"{type(exc).__name__}: {exc}"[-1000:]
    result.load_seconds = round(time.monotonic() - started, 1)
    if result.load_error:
        return result
    if index:
        with load_lock or contextlib.nullcontext():
            result.search_index = rebuild_index(db_path)
    if documents:
        result.documents = fetch_documents(source, data_dir, db_path, documents_settings)
        if index and (result.documents or {}).get("crawlId"):
            with load_lock or contextlib.nullcontext():
                result.search_index = rebuild_index(db_path)  # now with the documents' text
    return result
