"""Run one crawl of one source in this process: ``python -m spiders.crawl``.

Twisted's reactor cannot be restarted, so every crawl gets its own process;
the flows and the CLI start this module with ``subprocess``. The crawl's
staging folder records how it ended, so an interrupted crawl, even one
killed with ``kill -9``, can be resumed (``--crawl-id`` of the interrupted
one): its frontier (``spiders.frontier``) holds every request it planned
and which of them are done; the loader merges items a resumed crawl staged
twice.

The summary in ``crawl.json`` (also printed as JSON) counts the URLs the
crawl meant to fetch: ``urls = {planned, loaded, failed, refused, pending}``,
planned being the sum of the other four. A crawl is "finished" only when
Scrapy finished it and nothing is pending.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from schemas.staging import StagingArea, new_crawl_id, utcnow

SETTINGS_MODULE = "spiders.settings"
# Crawl settings an operator may also give in the environment (README, the OParl settings table); --set wins.
ENVIRONMENT_SETTINGS = ("RATSINFO_OPARL_FULL", "RATSINFO_OPARL_FULL_AFTER_DAYS", "RATSINFO_OPARL_OVERLAP_HOURS",
                        "RATSINFO_OPARL_LISTS", "RATSINFO_MAX_FILE_BYTES")


def project_settings():
    """Return the project's Scrapy settings (``spiders.settings``), wherever the process was started.

    Scrapy's ``get_project_settings`` finds them through a ``scrapy.cfg`` in the working
    directory or above it: a crawl started anywhere else ran on Scrapy's defaults without a
    word (robots.txt not read, Scrapy's user agent, no frontier to resume from), and one
    started inside another Scrapy project would take that project's settings. Scrapy reads
    no environment variables for them: those of ``ENVIRONMENT_SETTINGS`` are read here.
    """
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule(SETTINGS_MODULE, priority="project")
    for name in ENVIRONMENT_SETTINGS:
        if os.environ.get(name, "").strip():
            settings.set(name, os.environ[name].strip(), priority="project")
    return settings


def crawl_command(
    *,
    source: str,
    base_url: str,
    data_dir: Path | str,
    crawl_id: str,
    system: str | None = None,
    months: str | None = None,
    months_back: int = 3,
    months_ahead: int = 2,
    settings: dict[str, str] | None = None,
) -> list[str]:
    """Return the command line that runs one crawl in a child process (this module's ``main``).

    The data folder is given as an absolute path: the child may run in another working directory.
    It is told this process's folder too (``--workdir``), so a relative path in a setting
    (``LOG_FILE=crawl.log``) means what it meant to the caller.
    """
    command = [
        sys.executable, "-m", "spiders.crawl", "--source", source, "--base-url", base_url,
        "--data-dir", str(Path(data_dir).absolute()), "--crawl-id", crawl_id, "--workdir", os.getcwd(),
        "--months-back", str(months_back), "--months-ahead", str(months_ahead),
    ]
    if system:
        command += ["--system", system]
    if months:
        command += ["--months", months]
    for key, value in (settings or {}).items():
        command += ["--set", f"{key}={value}"]
    return command


def run_crawl(
    *,
    source: str,
    base_url: str,
    data_dir: Path,
    system: str | None = None,
    crawl_id: str | None = None,
    months_back: int = 3,
    months_ahead: int = 2,
    today: str | None = None,
    months: str | None = None,
    settings: dict | None = None,
) -> StagingArea:
    """Crawl ``base_url`` into a staging folder and return it (blocks until done)."""
    from scrapy.crawler import CrawlerProcess

    from spiders.parse_worker import start_worker
    from spiders.ris import RisSpider

    crawl_id = crawl_id or new_crawl_id(source)
    staging = StagingArea(data_dir, crawl_id).create()
    previous = staging.read_manifest()
    staging.update_manifest(
        crawlId=crawl_id,
        source=source,
        baseUrl=base_url,
        system=system or previous.get("system"),
        startedAt=previous.get("startedAt") or utcnow().isoformat(),
        resumedAt=utcnow().isoformat() if previous else None,
        status="running",
    )
    project = project_settings()
    project.set("RATSINFO_DATA_DIR", str(data_dir))
    project.set("RATSINFO_CRAWL_ID", crawl_id)
    for key, value in (settings or {}).items():
        project.set(key, value)
    no_callback_sleep()
    # What is imported by now lives as long as the process: out of the collector's sight, full
    # collections during the crawl do not walk it, nor write to its pages (which the worker
    # forked below shares with this process until either writes to them).
    gc.freeze()
    # The parse worker is forked now, before Scrapy and its reactor start threads (spiders.parse_worker).
    worker = start_worker(project.get("RATSINFO_PARSE_WORKERS"))
    try:
        process = CrawlerProcess(project, install_root_handler=True)
        crawler = process.create_crawler(RisSpider)
        process.crawl(
            crawler,
            source=source,
            base_url=base_url,
            system=system or previous.get("system"),
            months_back=months_back,
            months_ahead=months_ahead,
            today=today,
            months=months,
            parse_worker=worker,
        )
        # Scrapy sets the root logger to NOTSET and leaves the filtering to its handlers, so each
        # DEBUG call (one per response, one per item) builds a record only to drop it. The crawler
        # has installed its handlers by now (Crawler.crawl applies its settings before it yields):
        # filter at the logger instead, to the same level the handlers keep.
        logging.root.setLevel(project.get("LOG_LEVEL") or "DEBUG")
        # Scrapy sets its own logger to DEBUG: it would build two or more records a page only to drop them.
        logging.getLogger("scrapy").setLevel(project.get("LOG_LEVEL") or "DEBUG")
        process.start()
    finally:
        if worker is not None:
            worker.close()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    staging.update_manifest(finishedAt=utcnow().isoformat(), **crawl_summary(staging, stats))
    return staging


def no_callback_sleep() -> None:
    """Let Scrapy call a page's callback as soon as the reactor has served its readers and writers.

    Scrapy before 2.18 waits 100 ms (``scrapy.utils.defer._DEFER_DELAY``)
    before every callback and errback. A crawl that learns its URLs from its
    pages waits that long on each step down the tree (calendar, meeting,
    agenda item, paper) whenever the queue has run dry. Scrapy 2.18 dropped
    the wait (scrapy/scrapy#8019) for two turns of the event loop; a delay of
    0 gives one: the reactor still serves every ready socket first.
    """
    import scrapy.utils.defer

    scrapy.utils.defer._DEFER_DELAY = 0


def crawl_summary(staging: StagingArea, stats: dict[str, Any]) -> dict[str, Any]:
    """Return how the crawl ended, counted from what it staged and its frontier (not from memory).

    Counted from disk, the figures cover every run of a resumed crawl, also runs
    that were killed: a page fetched again after a kill counts once.
    """
    from spiders.frontier import parse_counts, read_counts

    reason = stats.get("finish_reason", "unknown")
    urls = read_counts(staging) or {}
    pending = urls.get("pending", 0)
    # A dialect names what the crawl did not get (an OParl list walk cut short …): not finished then.
    incomplete = staging.read_manifest().get("incomplete") or []
    if reason != "finished":
        status = f"stopped: {reason}"
    elif pending:
        status = f"incomplete: {pending} planned requests pending"
    elif incomplete:
        more = f" (and {len(incomplete) - 3} more)" if len(incomplete) > 3 else ""
        status = "incomplete: " + "; ".join(incomplete[:3]) + more
    else:
        status = "finished"
    failures = {(f.get("url"), f.get("kind"), f.get("error")) for f in staging.read_failures()}
    summary: dict[str, Any] = {
        "status": status,
        "urls": urls,
        "itemCounts": staging.object_counts(),
        "failures": len(failures),
        "requests": stats.get("downloader/request_count", 0),
        "responses": stats.get("downloader/response_count", 0),
        "retries": stats.get("retry/count", 0),
        "robotsForbidden": stats.get("robotstxt/forbidden", 0),
        "requeued": stats.get("frontier/requeued", 0),
    }
    if urls:
        pages, fields = parse_counts(staging)
        summary.update(pagesByKind=pages, fieldCounts=fields)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spiders.crawl", description=__doc__)
    parser.add_argument("--source", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    parser.add_argument("--system")
    parser.add_argument("--crawl-id")
    parser.add_argument("--months-back", type=int, default=3)
    parser.add_argument("--months-ahead", type=int, default=2)
    parser.add_argument("--today", help="ISO date the month window is computed from (default: today)")
    parser.add_argument("--months", help="fixed month range instead of the window, e.g. 2026-09..2026-11")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="Scrapy setting")
    parser.add_argument("--workdir", type=Path, help="folder relative paths are read against (default: the current one)")
    args = parser.parse_args(argv)
    if args.workdir:  # started in the project's folder (to import it), working in the caller's
        os.chdir(args.workdir)
    settings = dict(s.split("=", 1) for s in args.set)
    staging = run_crawl(
        source=args.source,
        base_url=args.base_url,
        data_dir=args.data_dir,
        system=args.system,
        crawl_id=args.crawl_id,
        months_back=args.months_back,
        months_ahead=args.months_ahead,
        today=args.today,
        months=args.months,
        settings=settings,
    )
    manifest = staging.read_manifest()
    print(json.dumps(manifest, ensure_ascii=False, default=str))
    return 0 if manifest.get("status") == "finished" else 1


if __name__ == "__main__":
    sys.exit(main())
