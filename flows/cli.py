"""The ``ratsinfo`` command."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return args.handler(args) or 0
    except KeyboardInterrupt:
        return 130
    except CliError as exc:
        print(f"ratsinfo: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        from flows.sources import SourceError

        if not isinstance(exc, SourceError):
            raise
        print(f"ratsinfo: {exc}", file=sys.stderr)
        return 2


class CliError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ratsinfo",
        description="Get German municipal council data (ALLRIS, SessionNet, OParl) into DuckDB and CSV.",
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, help_text: str, handler) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    def data_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--data-dir", type=Path, default=Path("data"), help="staging and raw store root (default: data)")
        p.add_argument("--db", type=Path, default=Path("data/ratsinfo.duckdb"), help="DuckDB file (default: data/ratsinfo.duckdb)")

    p = command("crawl", "Crawl one council information system from its base URL, then load it into DuckDB.", cmd_crawl)
    p.add_argument("url", help="base URL, e.g. https://ratsinfo.wuerselen.de/bi/ or an OParl System URL")
    p.add_argument("--source", help="slug stored with every item (default: a configured source with this URL, else derived from the host)")
    p.add_argument("--system", help="skip detection: allris_classic, allris4, sessionnet, oparl")
    p.add_argument("--months", help="month range of the calendar crawl, e.g. 2026-09..2026-11")
    p.add_argument("--months-back", type=int, default=3, help="calendar window start, months before today (default 3)")
    p.add_argument("--months-ahead", type=int, default=2, help="calendar window end, months after today (default 2)")
    p.add_argument("--resume", metavar="CRAWL_ID", help="continue an interrupted crawl")
    p.add_argument("--no-load", action="store_true", help="stage only; load later with `ratsinfo load`")
    p.add_argument("--full", action="store_true", help="OParl: read every list whole instead of only what changed")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="Scrapy setting, repeatable")
    data_options(p)

    p = command("load", "Merge staged crawls into the DuckDB file (idempotent).", cmd_load)
    p.add_argument("crawl_ids", nargs="*", metavar="CRAWL_ID", help="crawls to load (default: all staged crawls)")
    data_options(p)

    p = command("export", "Write a CSV of papers with their resolutions, for a topic.", cmd_export)
    p.add_argument("--topic", default=None, help="topic from data/topics/, e.g. integration (default: all papers)")
    p.add_argument("--since", type=dt.date.fromisoformat, help="first decision date, YYYY-MM-DD")
    p.add_argument("--until", type=dt.date.fromisoformat, help="last decision date, YYYY-MM-DD")
    p.add_argument("--municipality", help="source slug or municipality name")
    p.add_argument("-o", "--output", type=Path, required=True, help="CSV file to write")
    p.add_argument("--sep", default=",", choices=[",", ";"], help="separator; ';' for German Excel")
    data_options(p)

    p = command("parse", "Detect the dialect of a saved page and print its items as JSON lines.", cmd_parse)
    p.add_argument("file", type=Path)
    p.add_argument("--url", help="the URL the page was fetched from (resolves its links)")
    p.add_argument("--source", default="local", help="slug to stamp on the items (default: local)")

    p = command("detect", "Tell which council information system a URL or saved page is, with the evidence.", cmd_detect)
    p.add_argument("target", help="URL or file")

    p = command("run", "Run the nightly flow once: crawl, load and export every configured source.", cmd_run)
    p.add_argument("--demo", action="store_true", help="serve the bundled demo site on 127.0.0.1 and crawl it")
    p.add_argument("--sources", type=Path, default=Path("data/sources.toml"), help="sources file")
    p.add_argument("--export", type=Path, default=Path("data/exports/integration.csv"), help="CSV export path")
    p.add_argument("--full", action="store_true", help="full reconciliation for incremental (OParl) sources")
    data_options(p)

    p = command("schedule", "Serve the nightly flow on a cron schedule against a local Prefect server.", cmd_schedule)
    p.add_argument("--cron", default="0 2 * * *", help="daily schedule (default: 0 2 * * *)")
    p.add_argument("--full-cron", default="0 3 * * 0", help="weekly full reconciliation (default: Sundays 03:00)")
    p.add_argument("--timezone", default="Europe/Berlin")
    p.add_argument("--sources", type=Path, default=Path("data/sources.toml"))
    p.add_argument("--api-url", help="Prefect API URL (default: $PREFECT_API_URL, else start a local server)")
    p.add_argument("--port", type=int, default=4200, help="port of the local Prefect server it starts")
    data_options(p)

    p = command("demo", "Serve the bundled demo council information systems on 127.0.0.1.", cmd_demo)
    p.add_argument("--port", type=int, default=8765)

    p = command("sources", "List the configured sources, or add one by URL (the system is detected).", cmd_sources)
    p.add_argument("action", choices=["list", "add"])
    p.add_argument("url", nargs="?")
    p.add_argument("--slug")
    p.add_argument("--name")
    p.add_argument("--ags")
    p.add_argument("--file", type=Path, default=Path("data/sources.toml"))

    p = command("search", "Full-text search over papers and their documents (German stemming, BM25).", cmd_search)
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--municipality", help="source slug")
    data_options(p)

    p = command("changes", "List what is new, changed (which fields), cleared, deleted or vanished since a date.", cmd_changes)
    p.add_argument("--since", type=dt.date.fromisoformat, required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--table", help="item table: paper, meeting, agenda_item, consultation, file, organization, person, membership")
    p.add_argument("--source", help="source slug")
    p.add_argument("--limit", type=int, default=None, help="at most this many entries (newest first)")
    data_options(p)

    p = command("analyse", "Print what the pipeline finds in one document (text, HTML or PDF) as JSON.", cmd_analyse)
    p.add_argument("file", type=Path)
    return parser


# -- commands -------------------------------------------------------------

def cmd_crawl(args) -> int:
    from flows.sources import load_sources, slug_for_url
    from spiders.crawl import crawl_command
    from pipelines.staging import StagingArea, new_crawl_id

    configured = {s.base_url: s for s in load_sources()}
    known = configured.get(args.url)
    slug = args.source or (known.slug if known else slug_for_url(args.url))
    crawl_id = args.resume or new_crawl_id(slug)
    from pipelines.sync_state import crawl_settings  # OParl: hand the crawl its last sync state

    settings = crawl_settings(args.db, slug, StagingArea(args.data_dir, crawl_id).path)
    if args.full:
        settings["RATSINFO_OPARL_FULL"] = "1"
    settings.update(s.split("=", 1) for s in args.set)
    command = crawl_command(
        source=slug, base_url=args.url, data_dir=args.data_dir, crawl_id=crawl_id,
        system=args.system or (known.system if known else None), months=args.months,
        months_back=args.months_back, months_ahead=args.months_ahead, settings=settings,
    )
    print(f"crawling {args.url} as source {slug!r}, crawl {crawl_id}", file=sys.stderr)
    code = subprocess.call(command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL)
    staging = StagingArea(args.data_dir, crawl_id)
    manifest = staging.read_manifest()
    print(json.dumps({k: manifest.get(k) for k in ("crawlId", "system", "status", "itemCounts", "requests", "failures")},
                     ensure_ascii=False))
    if code != 0 and not manifest.get("itemCounts"):
        print(f"crawl failed; resume with: ratsinfo crawl {args.url} --resume {crawl_id}", file=sys.stderr)
        return 1
    if not args.no_load:
        _load([crawl_id], args.data_dir, args.db)
    return 0 if code == 0 else 1


def cmd_load(args) -> int:
    from pipelines.staging import list_crawls

    ids = args.crawl_ids or [s.crawl_id for s in list_crawls(args.data_dir)]
    if not ids:
        raise CliError(f"no staged crawls under {args.data_dir / 'staging'}")
    _load(ids, args.data_dir, args.db)
    return 0


def _load(crawl_ids: list[str], data_dir: Path, db: Path) -> None:
    from pipelines.db import WarehouseBusy, open_writer
    from pipelines.load import load_crawl
    from pipelines.parse_rate import record_parse_rates
    from pipelines.search import rebuild_search_index
    from pipelines.staging import StagingArea

    try:
        with open_writer(db) as con:  # a working copy, published over db when done: readers are never blocked
            for crawl_id in crawl_ids:
                staging = StagingArea(data_dir, crawl_id)
                if not staging.read_manifest():
                    raise CliError(f"no staged crawl {crawl_id!r} under {data_dir / 'staging'}")
                report = load_crawl(staging, con).as_dict()
                report["degraded"] = record_parse_rates(con, staging)
                print(json.dumps(report, ensure_ascii=False))
            rebuild_search_index(con)
    except WarehouseBusy as exc:
        raise CliError(str(exc)) from exc


def cmd_export(args) -> int:
    from pipelines.export import ExportQuery, export_rows, write_csv

    con = _open_reader(args.db)
    try:
        rows = export_rows(con, ExportQuery(topic=args.topic, since=args.since, until=args.until, municipality=args.municipality))
    finally:
        con.close()
    n = write_csv(rows, args.output, args.sep)
    print(f"wrote {n} rows to {args.output}", file=sys.stderr)
    return 0


def cmd_parse(args) -> int:
    from pipelines.normalise_items import normalise_item
    from spiders.dialects import Page, UnknownDialect, detect

    if not args.file.is_file():
        raise CliError(f"no such file: {args.file}")
    page = Page.from_bytes(args.url or args.file.resolve().as_uri(), args.file.read_bytes())
    try:
        module, evidence = detect(page)
    except UnknownDialect as exc:
        raise CliError(str(exc)) from exc
    print(f"{module.NAME} ({evidence}); page kind {module.page_kind(page)}", file=sys.stderr)
    parsed = module.parse(page, args.source)
    for item in parsed.items:
        print(json.dumps(normalise_item(item).to_dict(), ensure_ascii=False, default=str))
    return 0


def cmd_detect(args) -> int:
    from spiders.dialects import Page, UnknownDialect, describe

    target = args.target
    if Path(target).is_file():
        page = Page.from_bytes(Path(target).resolve().as_uri(), Path(target).read_bytes())
    elif target.startswith(("http://", "https://")):
        page = _fetch_page(target)
    else:
        raise CliError(f"neither a file nor an http(s) URL: {target}")
    try:
        description = describe(page)
    except UnknownDialect as exc:
        raise CliError(str(exc)) from exc
    print(json.dumps(description, ensure_ascii=False))
    return 0


def _fetch_page(url: str):
    """Fetch one page politely (robots.txt, our user agent) and return it as a Page."""
    import urllib.request
    import urllib.robotparser
    from urllib.parse import urljoin

    from spiders.dialects import Page
    from spiders.settings import USER_AGENT

    robots = urllib.robotparser.RobotFileParser(urljoin(url, "/robots.txt"))
    try:
        robots.read()
    except OSError:
        pass
    else:
        if not robots.can_fetch(USER_AGENT, url):
            raise CliError(f"robots.txt of {url} disallows fetching it")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return Page.from_bytes(response.geturl(), response.read(), response.headers.get("Content-Type"))
    except OSError as exc:
        raise CliError(f"could not fetch {url}: {exc}") from exc


def cmd_run(args) -> int:
    from flows.nightly import demo_sources, nightly

    kwargs: dict[str, Any] = {
        "sources_file": str(args.sources),
        "data_dir": str(args.data_dir),
        "db_path": str(args.db),
        "export_path": str(args.export),
        "full": args.full,
    }
    if args.demo:
        from flows.demo_site import serve_demo

        with _serve_demo_on_stable_port(serve_demo) as server:
            print(f"demo site serving at {server.base_url}", file=sys.stderr)
            # The demo is ours and local: no need to wait between requests.
            kwargs["sources"] = demo_sources(server.base_url)
            kwargs["crawl_settings"] = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False",
                                        "CONCURRENT_REQUESTS_PER_DOMAIN": "4"}
            summary = nightly(**kwargs)
    else:
        summary = nightly(**kwargs)
    print_summary(summary)
    return 1 if summary.get("failed") else 0


@contextlib.contextmanager
def _serve_demo_on_stable_port(serve_demo, port: int = 8765):
    """Serve the demo on ``port`` when it is free (URLs, and so rows, stay the same across runs), else any port."""
    try:
        context = serve_demo(port=port)
        server = context.__enter__()
    except OSError:
        with serve_demo() as server:
            yield server
        return
    try:
        yield server
    finally:
        context.__exit__(None, None, None)


def print_summary(summary: dict[str, Any]) -> None:
    """Print a person-readable summary of a nightly run."""
    print()
    print("ratsinfo run summary")
    print("=" * 60)
    for slug, entry in summary["sources"].items():
        print(f"{slug}  [{entry.get('system') or '?'}]  {entry.get('baseUrl')}")
        if entry.get("error"):
            print(f"  FAILED: {entry['error'].splitlines()[-1] if entry['error'] else ''}")
        tables = entry.get("tables") or {}
        if tables:
            parts = [f"{t}: {c['staged']} ({c['inserted']} new, {c['updated']} changed)" for t, c in sorted(tables.items())]
            print("  loaded   " + "\n           ".join(parts))
        print(f"  pages    {entry.get('pages', 0)} fetched, {entry.get('failures', 0)} could not be parsed")
        for finding in entry.get("degraded") or []:
            print(f"  DEGRADED {finding['pageKind']}.{finding['field']}: {finding['found']}/{finding['total']} pages")
    print(f"warehouse  {Path(summary['db']).resolve()}")
    export = summary["export"]
    print(f"export     {Path(export['path']).resolve()}  ({export['rows']} {export['topic']} papers)")
    if summary.get("degraded"):
        print(f"degraded   {', '.join(summary['degraded'])}")
    if summary.get("failed"):
        print(f"failed     {', '.join(summary['failed'])}")


def cmd_schedule(args) -> int:
    from flows.schedule import serve_schedule

    return serve_schedule(
        cron=args.cron,
        full_cron=args.full_cron,
        timezone=args.timezone,
        sources_file=str(args.sources),
        data_dir=str(args.data_dir),
        db_path=str(args.db),
        api_url=args.api_url,
        port=args.port,
    )


def cmd_demo(args) -> int:
    from flows.demo_site import main as demo_main

    return demo_main(["--port", str(args.port)]) or 0


def cmd_sources(args) -> int:
    from flows.sources import Source, append_source, load_sources, slug_for_url
    from spiders.dialects import UnknownDialect, detect

    if args.action == "list":
        for s in load_sources(args.file):
            print(f"{s.slug:24} {s.system or '(detect)':16} {'on ' if s.enabled else 'off'} {s.base_url}  {s.name or ''}")
        return 0
    if not args.url:
        raise CliError("sources add needs a URL")
    page = _fetch_page(args.url)
    try:
        module, evidence = detect(page)
    except UnknownDialect as exc:
        raise CliError(str(exc)) from exc
    source = Source(slug=args.slug or slug_for_url(args.url), base_url=args.url, name=args.name, ags=args.ags, system=module.NAME)
    append_source(source, args.file)
    print(f"added {source.slug} ({module.NAME}: {evidence}) to {args.file}")
    return 0


def cmd_search(args) -> int:
    from pipelines.search import SearchIndexMissing, search

    con = _open_reader(args.db)
    try:
        hits = search(con, args.query, args.limit, args.municipality)
    except SearchIndexMissing as exc:
        raise CliError(str(exc)) from exc
    finally:
        con.close()
    for hit in hits:
        print(f"{hit.score:6.2f}  {hit.id:32} {hit.reference or '':16} {(hit.title or '').splitlines()[0][:100]}")
    if not hits:
        print("no matches", file=sys.stderr)
    return 0


def _open_reader(db: Path):
    """Open the published warehouse read-only, or fail with one clear line."""
    from pipelines.db import WarehouseBusy, open_reader

    try:
        return open_reader(db)
    except (FileNotFoundError, WarehouseBusy) as exc:
        raise CliError(str(exc)) from exc


def cmd_changes(args) -> int:
    from pipelines.history import list_changes

    con = _open_reader(args.db)
    try:
        rows = list_changes(con, args.since, args.table, args.source, args.limit)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    finally:
        con.close()
    for row in rows:
        fields = ", ".join(row["changedFields"] or [])
        cleared = ", ".join(f"-{f}" for f in row["clearedFields"] or [])
        print("\t".join([row["seenAt"].isoformat(), row["table"], row["source"], row["systemId"], row["kind"],
                         ", ".join(x for x in (fields, cleared) if x)]))
    print(f"{len(rows)} change(s) since {args.since}", file=sys.stderr)
    return 0


def cmd_analyse(args) -> int:
    from pipelines.analyse import AnalyseError, analyse_file

    try:
        result = analyse_file(args.file)
    except AnalyseError as exc:
        raise CliError(str(exc)) from exc
    print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
