"""The nightly flow: for each configured source crawl → load, then export.

Each crawl runs in its own process (``python -m spiders.crawl``) because
Twisted's reactor cannot be restarted inside one process. A crawl that
fails is retried by Prefect, resuming the same crawl id (Scrapy's JOBDIR
keeps its queue), so nothing is fetched twice and nothing is loaded twice.
Loads run one after the other: DuckDB has one writer. A failing or degraded
source is reported and does not stop the others.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from dataclasses import asdict
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task

from flows.sources import DEFAULT_SOURCES, Source, load_sources
from pipelines.staging import StagingArea, new_crawl_id
from spiders.crawl import crawl_command

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@task(retries=2, retry_delay_seconds=30, task_run_name="crawl {source.slug}")
def crawl_source(source: Source, data_dir: str, crawl_id: str, settings: dict[str, str] | None = None) -> str:
    """Crawl one source in a child process into staging; return the crawl id."""
    logger = get_run_logger()
    command = crawl_command(
        source=source.slug,
        base_url=source.base_url,
        data_dir=data_dir,
        crawl_id=crawl_id,
        system=source.system,
        months=source.months,
        months_back=source.months_back,
        months_ahead=source.months_ahead,
        settings=settings,
    )
    logger.info("crawling %s (%s) as %s", source.slug, source.base_url, crawl_id)
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        tail = (result.stderr or result.stdout)[-3000:]
        raise RuntimeError(f"crawl of {source.slug} failed (exit {result.returncode}):\n{tail}")
    return crawl_id


@task(task_run_name="load {crawl_id}")
def load_staged_crawl(crawl_id: str, data_dir: str, db_path: str, source: Source | None = None) -> dict[str, Any]:
    """Merge a staged crawl into the warehouse; return the load report with parse-rate findings."""
    from pipelines.db import open_writer
    from pipelines.load import load_crawl
    from pipelines.parse_rate import record_parse_rates

    with open_writer(Path(db_path)) as con:  # waits for another writer; readers keep the published snapshot
        if source is not None:
            register_source(con, source)
        staging = StagingArea(Path(data_dir), crawl_id)
        report = load_crawl(staging, con).as_dict()
        report["degraded"] = record_parse_rates(con, staging)
        report["status"] = staging.read_manifest().get("status")
        return report


@task
def rebuild_search(db_path: str) -> int:
    """Refresh the full-text index after the loads; return how many papers it holds."""
    from pipelines.db import open_writer
    from pipelines.search import rebuild_search_index

    with open_writer(Path(db_path)) as con:
        return rebuild_search_index(con)


@task
def export_topic(db_path: str, out_path: str, topic: str, delimiter: str = ",") -> int:
    """Write the topic's CSV export; return its row count."""
    from pipelines.db import open_reader
    from pipelines.export import ExportQuery, export_rows, write_csv

    con = open_reader(Path(db_path))
    try:
        return write_csv(export_rows(con, ExportQuery(topic=topic)), Path(out_path), delimiter)
    finally:
        con.close()


def register_source(con, source: Source) -> None:
    con.execute('DELETE FROM source WHERE "source" = ?', [source.slug])
    con.execute(
        'INSERT INTO source ("source", "name", "ags", "system", "baseUrl") VALUES (?, ?, ?, ?, ?)',
        [source.slug, source.name, source.ags, source.system, source.base_url],
    )


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
) -> dict[str, Any]:
    """Crawl, load and export every enabled source; return a summary.

    ``sources`` (a list of source dicts) overrides ``sources_file``; ``full``
    asks incremental sources (OParl) for a full reconciliation.
    """
    logger = get_run_logger()
    configured = [Source(**s) for s in sources] if sources is not None else load_sources(Path(sources_file))
    enabled = [s for s in configured if s.enabled]
    settings = dict(crawl_settings or {})
    if full:
        settings["RATSINFO_OPARL_FULL"] = "1"
    summary: dict[str, Any] = {"startedAt": dt.datetime.now(dt.timezone.utc).isoformat(), "sources": {}}
    for source in enabled:
        crawl_id = new_crawl_id(source.slug)
        entry: dict[str, Any] = {"crawlId": crawl_id, "baseUrl": source.base_url, "system": source.system}
        from pipelines.sync_state import crawl_settings  # OParl: hand the crawl its last sync state

        source_settings = {**crawl_settings(db_path, source.slug, StagingArea(Path(data_dir), crawl_id).path), **settings}
        try:
            crawl_source(source, data_dir, crawl_id, source_settings)
        except Exception as exc:  # one broken source must not stop the others
            logger.error("crawl of %s failed: %s", source.slug, exc)
            entry["error"] = str(exc)[-1000:]
        staged = StagingArea(Path(data_dir), crawl_id)
        if staged.read_manifest():
            entry.update(load_staged_crawl(crawl_id, data_dir, db_path, source))
        entry["system"] = staged.read_manifest().get("system") or source.system
        summary["sources"][source.slug] = entry
    summary["searchIndex"] = rebuild_search(db_path)
    summary["export"] = {"path": export_path, "topic": topic, "rows": export_topic(db_path, export_path, topic)}
    summary["db"] = db_path
    summary["degraded"] = sorted(slug for slug, e in summary["sources"].items() if e.get("degraded"))
    summary["failed"] = sorted(slug for slug, e in summary["sources"].items() if e.get("error"))
    logger.info(
        "%d source(s) crawled, %d failed, %d degraded; %d %s papers exported to %s",
        len(summary["sources"]), len(summary["failed"]), len(summary["degraded"]),
        summary["export"]["rows"], topic, export_path,
    )
    return summary


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
