"""The nightly flow: crawl every configured source, load each crawl as it ends, then documents and export.

Each crawl runs in its own process (``python -m spiders.crawl``) because
Twisted's reactor cannot be restarted inside one process. Different sources
are different hosts, so up to ``parallel`` crawls run at once (Prefect
tasks on a thread pool, each waiting on its child process); inside a crawl
the per-host politeness of ``spiders/settings.py`` is unchanged. Loads
are serialised: each source runs ``flows.source_run.run_source`` (the
sequence the CLI and the tests run too), which takes a lock shared by the
flow's sources to load its finished crawl into DuckDB (one writer) while the
other crawls go on.

With ``work_pool`` the crawls run as flow runs of the ``ratsinfo-crawl``
deployment on a Prefect work pool instead (workers on other machines), and
write their staging folders and raw pages to ``data_dir``, which must then
be a path every worker and this flow share; this flow stays the one loader.

A crawl that crashes is retried by Prefect, resuming the same crawl id. A
crawl that used up its time budget is stopped and reported failed with that
reason; what it fetched is still loaded. One failing source, load, search
index, documents stage or export never stops the rest, and the run report
(``<data_dir>/runs/<run id>.json`` and ``.txt``) is always written.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any, Iterator

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows import source_run
from flows.nightly_defaults import DEFAULT_PARALLEL, DEFAULT_TIME_BUDGET_MINUTES
from flows.run_report import finish_report, source_entry
from flows.source_run import (  # noqa: F401 - CrawlCrashed and register_source stay importable from here
    STOP_GRACE_SECONDS, CrawlCrashed, SourceRunResult, register_source, run_crawl_process, stop_running_crawls,
)
from flows.sources import DEFAULT_SOURCES, Alert, Source, SourceError, load_config
from pipelines.exports.feeds import send_digest
from schemas.staging import StagingArea, new_crawl_id

CRAWL_FLOW_NAME = "ratsinfo-crawl"
CRAWL_DEPLOYMENT_NAME = "crawl"
LOCK_FILE = "nightly.lock"


@task(retries=2, retry_delay_seconds=30, retry_condition_fn=lambda _t, _r, state: _crashed(state),
      task_run_name="crawl {source.slug}", cache_policy=NO_CACHE)
def crawl_source(
    source: Source, data_dir: str, crawl_id: str, settings: dict[str, str] | None = None,
    time_budget_s: float | None = None,
) -> dict[str, Any]:
    """Crawl one source in a child process on this machine; return how it ended."""
    get_run_logger().info("crawling %s (%s) as %s", source.slug, source.base_url, crawl_id)
    return run_crawl_process(source, data_dir, crawl_id, settings, time_budget_s)


def _crashed(state) -> bool:
    try:
        state.result()
    except CrawlCrashed:
        return True
    except Exception:
        return False
    return False


@flow(name=CRAWL_FLOW_NAME, log_prints=True)
def crawl_flow(
    source: dict[str, Any], data_dir: str, crawl_id: str, settings: dict[str, str] | None = None,
    time_budget_s: float | None = None,
) -> dict[str, Any]:
    """Crawl one source on a work-pool worker into the shared ``data_dir``; return how it ended."""
    return crawl_source(Source(**source), data_dir, crawl_id, settings, time_budget_s)


@task(task_run_name="crawl {source.slug} on the work pool", cache_policy=NO_CACHE)
def crawl_on_work_pool(
    source: Source, data_dir: str, crawl_id: str, settings: dict[str, str] | None, time_budget_s: float | None,
    deployment: str,
) -> dict[str, Any]:
    """Run one crawl as a flow run of ``deployment`` on its work pool and wait for it; return how it ended."""
    from prefect.deployments import run_deployment

    timeout = (time_budget_s or DEFAULT_TIME_BUDGET_MINUTES * 60) + STOP_GRACE_SECONDS + 600
    run = run_deployment(
        deployment,
        parameters={"source": asdict(source), "data_dir": data_dir, "crawl_id": crawl_id,
                    "settings": settings, "time_budget_s": time_budget_s},
        timeout=timeout,
        poll_interval=2,
        flow_run_name=f"crawl {source.slug}",
    )
    if run.state is None or not run.state.is_completed():
        state = run.state.name if run.state else "unknown"
        message = (run.state.message if run.state else None) or "no message"
        raise RuntimeError(f"crawl flow run {run.name} on the work pool ended {state}: {message}")
    manifest = StagingArea(Path(data_dir), crawl_id).read_manifest()
    return {"crawlId": crawl_id, "status": manifest.get("status"), "flowRun": str(run.id)}


# Held while a source's crawl settings are read from the warehouse and while its crawl is loaded: one writer.
_LOAD_LOCK = threading.Lock()


@task(task_run_name="run {source.slug}", cache_policy=NO_CACHE)
def run_source_task(
    source: Source, data_dir: str, db_path: str, crawl_id: str, settings: dict[str, str] | None,
    time_budget_s: float | None, work_pool_deployment: str | None = None,
) -> SourceRunResult:
    """Crawl one source (here or on the work pool) and load it, one load at a time (flows.source_run.run_source)."""
    def crawl(source: Source, data_dir: str, crawl_id: str, settings: dict[str, str], time_budget_s: float | None):
        if work_pool_deployment:
            return crawl_on_work_pool(source, data_dir, crawl_id, settings, time_budget_s, work_pool_deployment)
        return crawl_source(source, data_dir, crawl_id, settings, time_budget_s)

    # The search index and the documents stage run once after every load (_after_loads), not per source.
    return source_run.run_source(
        source, data_dir, db_path, crawl_id=crawl_id, settings=settings, time_budget_s=time_budget_s,
        index=False, documents=False, crawl=crawl, load_lock=_LOAD_LOCK,
    )


@task(cache_policy=NO_CACHE)
def rebuild_search(db_path: str) -> int:
    """Refresh the full-text index after the loads; return how many papers it holds."""
    return source_run.rebuild_index(db_path)


@task(task_run_name="documents {source.slug}", cache_policy=NO_CACHE)
def fetch_documents(source: Source, data_dir: str, db_path: str, settings: dict[str, str] | None = None) -> dict[str, Any]:
    """Download, read and load one source's pending documents (pipelines.warehouse.document_stage); return its report."""
    return source_run.fetch_documents(source, data_dir, db_path, settings)


@task(cache_policy=NO_CACHE)
def export_topic(db_path: str, out_path: str, topic: str, delimiter: str = ";") -> int:
    """Write the topic's CSV export; return its row count."""
    from pipelines.warehouse.db import open_reader
    from pipelines.exports.export import ExportQuery, export_rows, write_csv

    con = open_reader(Path(db_path))
    try:
        return write_csv(export_rows(con, ExportQuery(topic=topic)), Path(out_path), delimiter)
    finally:
        con.close()


@contextmanager
def nightly_lock(data_dir: Path) -> Iterator[str | None]:
    """Hold ``<data_dir>/nightly.lock`` for one run; yield None, or who holds it when another run does."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_FILE
    with path.open("a+", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            yield fh.read().strip() or "another process"
            return
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {dt.datetime.now(dt.timezone.utc).isoformat(timespec='seconds')}")
        fh.flush()
        try:
            yield None
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)


@flow(name="ratsinfo-nightly", log_prints=True)
def nightly(
    sources_file: str = str(DEFAULT_SOURCES),
    data_dir: str = "data",
    db_path: str = "data/ratsinfo.duckdb",
    export_path: str = "data/exports/integration.csv",
    topic: str = "integration",
    sources: list[dict[str, Any]] | None = None,
    crawl_settings: dict[str, str] | None = None,
    full: bool = False,
    parallel: int = DEFAULT_PARALLEL,
    time_budget_minutes: float = DEFAULT_TIME_BUDGET_MINUTES,
    work_pool_deployment: str | None = None,
) -> dict[str, Any]:
    """Crawl, load and export every enabled source; return the run report (also written to ``<data_dir>/runs/``).

    ``sources`` (a list of source dicts) overrides ``sources_file``; ``full``
    asks incremental sources (OParl) for a full reconciliation; ``parallel``
    crawls run at once; ``work_pool_deployment`` ("ratsinfo-crawl/crawl")
    runs the crawls on that deployment's work pool.
    """
    logger = get_run_logger()
    started = time.monotonic()
    summary: dict[str, Any] = {
        "startedAt": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "sources": {}, "errors": {}, "db": db_path,
        "export": {"path": export_path, "topic": topic, "rows": None},
    }
    with nightly_lock(Path(data_dir)) as holder:
        if holder is not None:
            message = f"another nightly run is in progress ({holder}, lock {Path(data_dir) / LOCK_FILE}); this run is skipped"
            logger.warning(message)
            return {**summary, "skipped": message, "failed": [], "degraded": []}
        alert = Alert()
        enabled: list[Source] = []
        try:
            if sources is not None:
                configured = [Source(**s) for s in sources]
            else:
                config = load_config(Path(sources_file))
                configured, alert = config.sources, config.alert
            enabled = [s for s in configured if s.enabled]
            try:
                _crawl_and_load(
                    enabled, summary, data_dir=data_dir, db_path=db_path,
                    crawl_settings=crawl_settings, full=full, parallel=parallel,
                    time_budget_minutes=time_budget_minutes, work_pool_deployment=work_pool_deployment,
                )
            except BaseException:  # interrupted (Ctrl-C, cancelled): leave no crawl behind
                stop_running_crawls()
                raise
        except SourceError as exc:
            summary["errors"]["sources"] = str(exc)
            logger.error("%s", exc)
        except Exception as exc:  # the report is written whatever went wrong
            summary["errors"]["run"] = f"{type(exc).__name__}: {exc}"[-2000:]
            logger.exception("the nightly run failed")
        if summary["sources"]:
            _after_loads(summary, enabled, data_dir=data_dir, db_path=db_path, export_path=export_path, topic=topic,
                         settings=dict(crawl_settings or {}))
        summary["seconds"] = round(time.monotonic() - started, 1)
        finish_report(summary, Path(data_dir), alert)
    logger.info(
        "%d source(s) crawled, %d failed, %d degraded; %s %s papers exported to %s; report %s",
        len(summary["sources"]), len(summary["failed"]), len(summary["degraded"]),
        summary["export"]["rows"], topic, export_path, summary.get("report"),
    )
    return summary


def _crawl_and_load(
    enabled: list[Source], summary: dict[str, Any], *, data_dir: str, db_path: str,
    crawl_settings: dict[str, str] | None, full: bool, parallel: int, time_budget_minutes: float,
    work_pool_deployment: str | None,
) -> None:
    """Run the sources concurrently (run_source_task: crawl, then load one at a time); record each in ``summary``."""
    from prefect.futures import as_completed
    from prefect.task_runners import ThreadPoolTaskRunner

    logger = get_run_logger()
    settings = dict(crawl_settings or {})
    if full:
        settings["RATSINFO_OPARL_FULL"] = "1"
    if work_pool_deployment:
        data_dir = str(Path(data_dir).resolve())  # the workers run elsewhere: hand them an absolute path
    with ThreadPoolTaskRunner(max_workers=max(1, parallel)) as runner:
        try:
            futures = {}
            for source in enabled:
                crawl_id = new_crawl_id(source.slug)
                budget_s = 60 * (source.time_budget_minutes or time_budget_minutes)
                summary["sources"][source.slug] = source_entry(source, crawl_id, budget_s)
                parameters = {"source": source, "data_dir": data_dir, "db_path": db_path, "crawl_id": crawl_id,
                              "settings": settings, "time_budget_s": budget_s,
                              "work_pool_deployment": work_pool_deployment}
                futures[runner.submit(run_source_task, parameters)] = source.slug
            for future in as_completed(list(futures)):
                slug = futures[future]
                entry = summary["sources"][slug]
                try:
                    _record(entry, future.result())
                except Exception as exc:  # run_source records a failing source; this is a bug in the task itself
                    logger.error("run of %s failed: %s", slug, exc)
                    entry["error"] = f"run failed: {type(exc).__name__}: {exc}"[-1000:]
        except BaseException:
            # Interrupted (Ctrl-C, SIGTERM, cancelled): stop the crawls now, or leaving the pool waits for them.
            stop_running_crawls()
            raise


def _record(entry: dict[str, Any], result: SourceRunResult) -> None:
    """Copy what run_source did into the source's report entry."""
    entry.update(result.crawl)
    if result.crawl_error:
        get_run_logger().error("crawl of %s failed: %s", result.source, result.crawl_error)
        entry["error"] = f"crawl failed: {result.crawl_error}"[-1000:]
    entry["system"] = result.system or entry.get("system")
    entry["crawlStatus"] = result.crawl_status
    if result.load is not None:
        entry.update(result.load)
    if result.load_error:
        get_run_logger().error("load of %s failed: %s", result.crawl_id, result.load_error)
        entry["loadError"] = result.load_error
    if result.load_seconds is not None:
        entry["loadSeconds"] = result.load_seconds


def _after_loads(summary: dict[str, Any], enabled: list[Source], *, data_dir: str, db_path: str, export_path: str,
                 topic: str, settings: dict[str, str]) -> None:
    """Search index, documents stage, export and digest after the loads, recording (not raising) what fails."""
    try:
        summary["searchIndex"] = rebuild_search(db_path)
    except Exception as exc:
        summary["errors"]["searchIndex"] = f"{type(exc).__name__}: {exc}"[-1000:]
    # Documents after the data: a first sync is queryable before its PDFs arrive (pipelines.warehouse.document_stage).
    for source in enabled:
        entry = summary["sources"].get(source.slug)
        if entry is None or entry.get("loadError"):
            continue
        try:
            entry["documents"] = fetch_documents(source, data_dir, db_path, settings)
            entry["pendingDocuments"] = entry["documents"]["pendingDocuments"]
        except Exception as exc:  # documents never cost a source its data
            entry["documents"] = {"error": f"{type(exc).__name__}: {exc}"[-1000:]}
    summary["pendingDocuments"] = sum(e.get("pendingDocuments") or 0 for e in summary["sources"].values())
    if any((e.get("documents") or {}).get("crawlId") for e in summary["sources"].values()):
        try:
            summary["searchIndex"] = rebuild_search(db_path)  # now with the documents' text
        except Exception as exc:
            summary["errors"]["searchIndex"] = f"{type(exc).__name__}: {exc}"[-1000:]
    try:
        summary["export"]["rows"] = export_topic(db_path, export_path, topic)
    except Exception as exc:
        summary["errors"]["export"] = f"{type(exc).__name__}: {exc}"[-1000:]
    summary["digest"] = send_digest(db_path, summary["startedAt"], None)  # e-mail/webhook digest, if configured
    if summary["digest"].get("error"):  # a digest misconfigured in the environment
        summary["errors"]["digest"] = summary["digest"]["error"]


def demo_sources(base_url: str) -> list[dict[str, Any]]:
    """Return the demo site's municipalities as source dicts pointing at ``base_url``."""
    from flows.demo_site import DEFAULT_EXPECTED, DEMO_SOURCES

    months = json.loads(Path(DEFAULT_EXPECTED).read_text(encoding="utf-8"))["months"]
    return [
        asdict(
            Source(
                slug=d.slug,
                base_url=d.base_url(base_url),
                name=d.name,
                ags=d.ags,
                system=d.system,
                months=f"{months[0]}..{months[-1]}",
            )
        )
        for d in DEMO_SOURCES
    ]
