"""Run one crawl of one source in this process: ``python -m spiders.crawl``.

Twisted's reactor cannot be restarted, so every crawl gets its own process;
the flows and the CLI start this module with ``subprocess``. The crawl's
staging folder records how it ended, so an interrupted crawl can be resumed
(``--crawl-id`` of the interrupted one: Scrapy's JOBDIR keeps the queue and
the seen-request filter, and the loader drops duplicate items).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipelines.staging import StagingArea, new_crawl_id, utcnow


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
    """Return the command line that runs one crawl in a child process (this module's ``main``)."""
    command = [
        sys.executable, "-m", "spiders.crawl", "--source", source, "--base-url", base_url,
        "--data-dir", str(data_dir), "--crawl-id", crawl_id,
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
    from scrapy.utils.project import get_project_settings

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
    project = get_project_settings()
    project.set("RATSINFO_DATA_DIR", str(data_dir))
    project.set("RATSINFO_CRAWL_ID", crawl_id)
    project.set("JOBDIR", str(staging.job_dir))
    for key, value in (settings or {}).items():
        project.set(key, value)
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
    )
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    reason = stats.get("finish_reason", "unknown")
    counts: dict[str, int] = {}
    for item in staging.read_items():
        counts[item["type"]] = counts.get(item["type"], 0) + 1
    # A dialect names what the crawl did not get (an OParl list walk cut short …): not finished then.
    incomplete = staging.read_manifest().get("incomplete") or []
    status = "finished" if reason == "finished" else f"stopped: {reason}"
    if status == "finished" and incomplete:
        more = f" (and {len(incomplete) - 3} more)" if len(incomplete) > 3 else ""
        status = "incomplete: " + "; ".join(incomplete[:3]) + more
    staging.update_manifest(
        finishedAt=utcnow().isoformat(),
        status=status,
        itemCounts=counts,
        requests=stats.get("downloader/request_count", 0),
        responses=stats.get("downloader/response_count", 0),
        retries=stats.get("retry/count", 0),
        robotsForbidden=stats.get("robotstxt/forbidden", 0),
    )
    return staging


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
    args = parser.parse_args(argv)
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
