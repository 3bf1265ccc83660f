"""The ``ratsinfo`` command."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shlex
import sys
from pathlib import Path
from typing import Any

from flows.sources import DEFAULT_SOURCES
from schemas.env import FALSE_WORDS, TRUE_WORDS, EnvSettingError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# The first run in a fresh PREFECT_HOME migrates Prefect's database; on a busy machine that takes
# longer than Prefect's 20 s default for its temporary server.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    # Prefect keeps its state (database, profiles) inside the data directory unless told otherwise,
    # so two checkouts never share it. Prefect reads this once, when the command first imports it.
    uses_prefect = args.handler in (cmd_run, cmd_schedule)
    if uses_prefect and "PREFECT_HOME" not in os.environ and "prefect" not in sys.modules:
        home = args.data_dir.resolve() / "prefect" / "home"
        with contextlib.suppress(OSError):
            home.mkdir(parents=True, exist_ok=True)  # Prefect makes only the last folder
        os.environ["PREFECT_HOME"] = str(home)
    try:
        return args.handler(args) or 0
    except KeyboardInterrupt:
        return 130
    except CliError as exc:
        print(f"ratsinfo: {exc}", file=sys.stderr)
        return 2
    except EnvSettingError as exc:  # a RATSINFO_* variable with a value its setting cannot take
        print(f"ratsinfo: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        from flows.sources import SourceError

        if not isinstance(exc, SourceError):
            raise
        for error in exc.errors:
            print(f"ratsinfo: {error}", file=sys.stderr)
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

    def sources_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--sources", type=Path, default=DEFAULT_SOURCES,
                       help="sources file naming a source's slug, AGS and extra document hosts (default: data/sources.toml)")

    def db_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", type=Path, default=Path("data/ratsinfo.duckdb"), help="DuckDB file (default: data/ratsinfo.duckdb)")

    def data_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--data-dir", type=Path, default=Path("data"), help="staging and raw store root (default: data)")
        db_option(p)

    p = command("crawl", "Crawl one council information system from its base URL, then load it into DuckDB.", cmd_crawl)
    p.add_argument("url", help="base URL, e.g. https://ratsinfo.wuerselen.de/bi/ or an OParl System URL")
    p.add_argument("--source", help="slug stored with every item (default: a configured source with this URL, else derived from the host)")
    p.add_argument("--system", help="skip detection: allris_classic, allris4, sessionnet, oparl, sdnet, rubin, regisafe, kic")
    p.add_argument("--months", help="month range of the calendar crawl, e.g. 2026-09..2026-11")
    p.add_argument("--months-back", type=int, help="calendar window start, months before today (default: the configured source's, else 3)")
    p.add_argument("--months-ahead", type=int, help="calendar window end, months after today (default: the configured source's, else 2)")
    p.add_argument("--resume", metavar="CRAWL_ID", help="continue an interrupted crawl")
    p.add_argument("--no-load", action="store_true", help="stage only; load later with `ratsinfo load`")
    p.add_argument("--full", action="store_true", help="OParl: read every list whole instead of only what changed")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="Scrapy setting, repeatable")
    sources_option(p)
    data_options(p)

    p = command("load", "Merge staged crawls into the DuckDB file (idempotent).", cmd_load)
    p.add_argument("crawl_ids", nargs="*", metavar="CRAWL_ID", help="crawls to load (default: all staged crawls)")
    data_options(p)

    p = command("reparse", "Parse stored raw pages again with today's parsers and reload them (no network).", cmd_reparse)
    p.add_argument("crawl_ids", nargs="*", metavar="CRAWL_ID", help="crawls to re-parse")
    p.add_argument("--source", help="re-parse every staged crawl of this source slug")
    p.add_argument("--no-load", action="store_true", help="stage only; load later with `ratsinfo load`")
    data_options(p)

    p = command("documents", "Download the pending documents (main PDFs) of loaded sources, read their text, load them.",
                cmd_documents)
    p.add_argument("--source", action="append", default=[], metavar="S",
                   help="source slug, repeatable (default: every source with files in the warehouse)")
    p.add_argument("--limit", type=_at_least_one, help="at most this many documents per source in this run")
    p.add_argument("--retry-failed", action="store_true", help="try failed documents again, whatever their tries so far")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="Scrapy setting, repeatable (e.g. RATSINFO_DOWNLOAD_FILES=all)")
    sources_option(p)
    data_options(p)

    p = command("export", "Write papers with their resolutions (CSV, XLSX or Parquet), for a topic or a search.", cmd_export)
    p.add_argument("--topic", default=None, help="topic from data/topics/, e.g. integration (default: all papers)")
    p.add_argument("--since", type=_iso_date, help="first decision date, YYYY-MM-DD")
    p.add_argument("--until", type=_iso_date, help="last decision date, YYYY-MM-DD")
    p.add_argument("--municipality", help="source slug or municipality name")
    p.add_argument("--committee", help="the deciding committee, as named")
    p.add_argument("--result", help="accepted, rejected, postponed, noted, amended, withdrawn, unknown")
    p.add_argument("--query", help="full-text search (as `ratsinfo search`)")
    p.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    p.add_argument("--format", choices=["csv", "xlsx", "parquet"], help="default: from the file name, else csv")
    p.add_argument("--sep", choices=[",", ";"], help="CSV separator (default ';', as German Excel expects; with --tables ',')")
    p.add_argument("--headers", default="en", choices=["en", "de"], help="column headers, result and yes/no in English or German")
    p.add_argument("--tables", action="store_true", help="write every table and view into the folder -o names (parquet or csv)")
    db_option(p)

    p = command("parse", "Detect the dialect of a saved page and print its items as JSON lines.", cmd_parse)
    p.add_argument("file", type=Path)
    p.add_argument("--url", help="the URL the page was fetched from (resolves its links)")
    p.add_argument("--source", default="local", help="slug to stamp on the items (default: local)")

    p = command("detect", "Tell which council information system a URL or saved page is, with the evidence.", cmd_detect)
    p.add_argument("target", help="URL or file")

    def nightly_options(p: argparse.ArgumentParser) -> None:
        from flows.nightly_defaults import DEFAULT_PARALLEL, DEFAULT_TIME_BUDGET_MINUTES

        p.add_argument("--sources", type=Path, default=DEFAULT_SOURCES, help="sources file")
        p.add_argument("--export", type=Path, default=Path("data/exports/integration.csv"), help="CSV export path")
        p.add_argument("--parallel", type=int,
                       help=f"sources crawled at once, each still one request at a time per host (default {DEFAULT_PARALLEL}, $RATSINFO_PARALLEL)")
        p.add_argument("--time-budget", type=float, metavar="MINUTES",
                       help=f"stop a source's crawl after this long (default {DEFAULT_TIME_BUDGET_MINUTES:g}, "
                            "$RATSINFO_TIME_BUDGET_MINUTES; time_budget_minutes in sources.toml per source)")
        p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="Scrapy setting for every crawl, repeatable")
        p.add_argument("--work-pool", metavar="NAME",
                       help="run the crawls on this Prefect process work pool (needs --api-url or $PREFECT_API_URL; "
                            "--data-dir must be shared with the workers)")
        p.add_argument("--api-url", help="Prefect API URL (default: $PREFECT_API_URL, else a local one)")
        data_options(p)

    p = command("run", "Run the nightly flow once: crawl, load and export every configured source.", cmd_run)
    p.add_argument("--demo", action="store_true", help="serve the bundled demo site on 127.0.0.1 and crawl it")
    p.add_argument("--full", action="store_true", help="full reconciliation for incremental (OParl) sources")
    nightly_options(p)

    p = command("schedule", "Serve the nightly flow on a cron schedule against a local Prefect server.", cmd_schedule)
    p.add_argument("--cron", default="0 2 * * *", help="daily schedule (default: 0 2 * * *)")
    p.add_argument("--full-cron", default="0 3 * * 0", help="weekly full reconciliation (default: Sundays 03:00)")
    p.add_argument("--timezone", default="Europe/Berlin")
    p.add_argument("--port", type=_port, default=4200, help="port of the local Prefect server it starts (and of its UI; 0: any free port)")
    nightly_options(p)

    p = command("demo", "Serve the bundled demo council information systems on 127.0.0.1.", cmd_demo)
    p.add_argument("--port", type=_port, default=8765)

    p = command("sources", "List the configured sources, or add one by URL (the system is detected).", cmd_sources)
    p.add_argument("action", choices=["list", "add"])
    p.add_argument("url", nargs="?")
    p.add_argument("--slug")
    p.add_argument("--name")
    p.add_argument("--ags")
    p.add_argument("--file", type=Path, default=Path("data/sources.toml"))

    p = command("search", "Full-text search over papers and their documents (German words in their forms, compounds and synonyms; BM25).", cmd_search)
    p.add_argument("query", help='words a paper must hold; "word" as written, "a phrase", -word (NOT word) left out, a OR b')
    p.add_argument("--limit", type=_at_least_one, default=20)
    p.add_argument("--municipality", help="source slug")
    db_option(p)

    p = command("sql", "Query the warehouse read-only: one query, or an interactive prompt without one.", cmd_sql)
    p.add_argument("query", nargs="?", help="SQL (default: an interactive prompt; end statements with ';')")
    p.add_argument("--csv", action="store_true", help="print the result as CSV instead of a table")
    db_option(p)

    p = command("web", "Serve a local web site over the warehouse: search, papers, downloads, feeds (read-only).", cmd_web)
    p.add_argument("--port", type=_port, default=8080, help="port on 127.0.0.1 (default 8080; 0: any free port)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    db_option(p)

    p = command("feeds", "Write Atom feeds of new and changed resolutions per topic, municipality, committee and saved search.", cmd_feeds)
    p.add_argument("-o", "--output", type=Path, help="folder (default: feeds/ in --data-dir)")
    p.add_argument("--search", action="append", default=[], metavar="NAME=QUERY",
                   help="a saved search: a name and the web page's query string, e.g. fluechtlinge='q=Flüchtlinge&topic=integration'")
    p.add_argument("--web-url", help="link entries to `ratsinfo web` at this URL instead of the source pages")
    data_options(p)

    p = command("changes", "List what is new, changed (which fields), cleared, deleted or vanished since a date.", cmd_changes)
    p.add_argument("--since", type=_iso_date, required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--table", help="item table: paper, meeting, agenda_item, consultation, file, organization, person, membership")
    p.add_argument("--source", help="source slug")
    p.add_argument("--limit", type=_at_least_one, default=None, help="at most this many entries (newest first)")
    db_option(p)

    p = command("analyse", "Print what the pipeline finds in one document (text, HTML or PDF) as JSON.", cmd_analyse)
    p.add_argument("file", type=Path)
    return parser


# -- commands -------------------------------------------------------------

def cmd_crawl(args) -> int:
    import dataclasses
    import functools

    from flows.source_run import run_crawl_process, run_source
    from flows.sources import Source, slug_for_url
    from schemas.staging import StagingArea, new_crawl_id

    settings = _scrapy_settings(args.set)
    _check_source_options(url=args.url, source=args.source, system=args.system, months=args.months,
                          months_back=args.months_back, months_ahead=args.months_ahead)
    known = {s.base_url: s for s in _configured_sources(args.sources)}.get(args.url)
    source = known or Source(slug=slug_for_url(args.url), base_url=args.url)
    # The window: the options given, else the configured source's (its fixed months, its window, its time budget).
    window_given = args.months_back is not None or args.months_ahead is not None
    source = dataclasses.replace(
        source,
        slug=args.source or source.slug,
        system=args.system or source.system,
        months=args.months or (None if window_given else source.months),
        months_back=source.months_back if args.months_back is None else args.months_back,
        months_ahead=source.months_ahead if args.months_ahead is None else args.months_ahead,
    )
    if args.resume and not StagingArea(args.data_dir, args.resume).read_manifest():
        raise CliError(f"no crawl {args.resume!r} to resume under {args.data_dir / 'staging'}")
    crawl_id = args.resume or new_crawl_id(source.slug)
    print(f"crawling {args.url} as source {source.slug!r}, crawl {crawl_id}", file=sys.stderr)
    try:
        result = run_source(
            source, args.data_dir, args.db, crawl_id=crawl_id, settings=settings,
            full=args.full, load=not args.no_load, crawl=functools.partial(run_crawl_process, stderr=sys.stderr),
            time_budget_s=60 * source.time_budget_minutes if source.time_budget_minutes else None,
        )
    except OSError as exc:
        raise CliError(f"cannot crawl into {args.data_dir}: {exc}") from exc
    manifest = result.manifest
    print(json.dumps({k: manifest.get(k) for k in ("crawlId", "system", "dialect", "status", "urls", "itemCounts", "requests", "failures")},
                     ensure_ascii=False))
    if result.crawl_error and not manifest.get("itemCounts"):
        print(f"crawl failed; resume with: ratsinfo crawl {_resume_options(args, source)} --resume {crawl_id}",
              file=sys.stderr)
        return 1
    if result.load is not None:
        print(json.dumps(result.load, ensure_ascii=False))
    if result.load_error:
        raise CliError(f"load of {crawl_id} failed: {result.load_error}")
    if not args.no_load:
        _hint_pending_documents(args.db, source.slug, result.crawl_settings, _path_options(args))
    return 0 if result.crawl.get("exitCode") == 0 and not result.crawl_error else 1


# Command-line options and the sources.toml field whose rules they follow.
_SOURCE_FIELDS = {"url": "base_url", "source": "slug", "slug": "slug", "system": "system", "months": "months",
                  "months_back": "months_back", "months_ahead": "months_ahead", "ags": "ags"}


def _check_source_options(**options: Any) -> None:
    """Raise CliError for the first option that sources.toml would refuse as the field it stands for."""
    from flows.sources import option_problem

    for option, value in options.items():
        if value is None:
            continue
        field = _SOURCE_FIELDS[option]
        problem = option_problem(field, value)
        if problem:
            name = option if option == "url" else "--" + option.replace("_", "-")
            raise CliError(name + problem.removeprefix(field))


# The ratsinfo settings a --set may give: name -> (type of its value or None for text, what it takes).
_SET_SETTINGS: dict[str, tuple[type | None, str]] = {
    "RATSINFO_OPARL_FULL": (bool, "yes or no (1, true, on; 0, false, off)"), "RATSINFO_OPARL_LISTS": (None, ""), "RATSINFO_EXTRA_HOSTS": (None, ""),
    "RATSINFO_DOWNLOAD_FILES": (None, ""),  # checked by the documents stage (main, all, none)
    "RATSINFO_OPARL_FULL_AFTER_DAYS": (float, "a number of days"),
    "RATSINFO_OPARL_OVERLAP_HOURS": (float, "a number of hours"),
    "RATSINFO_MAX_FILE_BYTES": (int, "a whole number of bytes"),
    "RATSINFO_MAX_CONSECUTIVE_FAILURES": (int, "a whole number (0: never)"),
    "RATSINFO_RETRY_BACKOFF_BASE": (float, "a number of seconds"),
    "RATSINFO_RETRY_BACKOFF_MAX": (float, "a number of seconds"),
    "RATSINFO_DOCUMENT_ATTEMPTS": (int, "a whole number"),
    "RATSINFO_DOCUMENTS_BUDGET_S": (float, "a number of seconds"),
    "RATSINFO_DOCUMENT_TEXT_TIMEOUT": (float, "a number of seconds"),
    "RATSINFO_PARSE_WORKERS": (int, "0 or 1"),
    "RATSINFO_FRONTIER_COMMIT_SECONDS": (float, "a number of seconds"),
    "RATSINFO_FRONTIER_COMMIT_ROWS": (int, "a whole number"),
}
# Read from the environment only (by the load, the run or the CLI), or set by ratsinfo itself: a --set of them did nothing.
_NOT_SET_SETTINGS = {
    "RATSINFO_PARSE_RATE_THRESHOLD": "each load reads it from the environment; export it instead",
    "RATSINFO_LOCK_WAIT": "the load reads it from the environment; export it instead",
    "RATSINFO_LOAD_MEMORY": "the load reads it from the environment; export it instead",
    "RATSINFO_LOAD_THREADS": "the load reads it from the environment; export it instead",
    "RATSINFO_PARALLEL": "use --parallel", "RATSINFO_TIME_BUDGET_MINUTES": "use --time-budget",
    "RATSINFO_USER_AGENT": "export it, or --set USER_AGENT=…", "RATSINFO_LOG_LEVEL": "export it, or --set LOG_LEVEL=…",
    "RATSINFO_DATA_DIR": "use --data-dir", "RATSINFO_CRAWL_ID": "use --resume", "RATSINFO_SYNC_STATE": "ratsinfo keeps it itself",
}


def _scrapy_settings(pairs: list[str]) -> dict[str, str]:
    """Return ``--set NAME=VALUE`` options as a dict; raise CliError for one without ``=`` or a bad ratsinfo setting."""
    import difflib

    bad = [pair for pair in pairs if "=" not in pair]
    if bad:
        raise CliError(f"--set needs NAME=VALUE, not {bad[0]!r}")
    settings = dict(pair.split("=", 1) for pair in pairs)
    for name, value in settings.items():
        if name in _NOT_SET_SETTINGS:
            raise CliError(f"--set {name} has no effect: {_NOT_SET_SETTINGS[name]}")
        if name.startswith("RATSINFO_") and name not in _SET_SETTINGS:  # a typo would do nothing without a word
            close = difflib.get_close_matches(name, list(_SET_SETTINGS), n=1)
            raise CliError(f"--set {name}: no such ratsinfo setting" + (f" (did you mean {close[0]}?)" if close else ""))
        problem = _setting_problem(name, value)
        if problem:
            raise CliError(f"--set {problem}")
    # The crawl settings the crawl processes also read from the environment (spiders.crawl.ENVIRONMENT_SETTINGS).
    from spiders.crawl import ENVIRONMENT_SETTINGS

    for name in ENVIRONMENT_SETTINGS:
        problem = _setting_problem(name, os.environ.get(name, ""))
        if problem and name not in settings:
            raise CliError(f"${problem}")
    return settings


def _setting_problem(name: str, value: str) -> str | None:
    """Return "NAME must be …, not 'value'" when a numeric or yes/no ratsinfo setting cannot take ``value``, else None."""
    kind, what = _SET_SETTINGS.get(name, (None, ""))
    if kind is None or not value.strip():
        return None
    if kind is bool:  # read by the crawl as yes only for these words: "maybe" would have been a quiet no
        return None if value.strip().lower() in TRUE_WORDS | FALSE_WORDS else f"{name} must be {what}, not {value!r}"
    try:
        number = kind(value)
    except ValueError:
        number = -1
    if number < 0 or (name == "RATSINFO_PARSE_WORKERS" and number > 1):
        return f"{name} must be {what}, not {value!r}"
    return None


def _port(text: str) -> int:
    """argparse type: a TCP port (0: any free one)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is between 0 and 65535, not {port}")
    return port


def _at_least_one(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def _configured_sources(path: Path) -> list:
    """Return the sources of a ``--sources`` file; none when the default file does not exist, an error for another."""
    from flows.sources import load_sources

    if path != DEFAULT_SOURCES and not path.exists():
        raise CliError(f"no sources file at {path}")
    return load_sources(path)


def _path_options(args) -> str:
    """Return the ``--sources``, ``--data-dir`` and ``--db`` options of a command that did not use the defaults (for a hint)."""
    options = []
    if getattr(args, "sources", DEFAULT_SOURCES) != DEFAULT_SOURCES:
        options += ["--sources", str(args.sources)]
    if args.data_dir != Path("data"):
        options += ["--data-dir", str(args.data_dir)]
    if args.db != Path("data/ratsinfo.duckdb"):
        options += ["--db", str(args.db)]
    return shlex.join(options)


def _resume_options(args, source) -> str:
    """Return the options of a ``ratsinfo crawl`` that continue this one: the same source, window, settings and paths."""
    options = [args.url, "--source", source.slug]
    if args.system:
        options += ["--system", args.system]
    if source.months:
        options += ["--months", source.months]
    else:
        options += ["--months-back", str(source.months_back), "--months-ahead", str(source.months_ahead)]
    for pair in args.set:
        options += ["--set", pair]
    if args.full:
        options.append("--full")
    if args.no_load:
        options.append("--no-load")
    return " ".join(filter(None, [shlex.join(options), _path_options(args)]))


def _hint_pending_documents(db: Path, slug: str, settings: dict[str, str], path_options: str = "") -> None:
    """Tell how many documents of a freshly loaded source wait for the documents stage."""
    from pipelines.warehouse.document_stage import download_mode, pending_count
    from pipelines.warehouse.load import connect

    con = connect(db)
    try:
        pending = pending_count(con, slug, download_mode(settings))
    finally:
        con.close()
    if pending:
        command = " ".join(filter(None, ["ratsinfo documents --source", shlex.quote(slug), path_options]))
        print(f"{pending} document(s) pending; fetch them with: {command}", file=sys.stderr)


def cmd_load(args) -> int:
    from schemas.staging import list_crawls

    ids = args.crawl_ids or [s.crawl_id for s in list_crawls(args.data_dir)]
    if not ids:
        raise CliError(f"no staged crawls under {args.data_dir / 'staging'}")
    _load(ids, args.data_dir, args.db)
    return 0


def cmd_reparse(args) -> int:
    from pipelines.warehouse.reparse import ReparseError, crawls_of_source, reparse_crawl

    ids = list(args.crawl_ids)
    if args.source:
        of_source = crawls_of_source(args.data_dir, args.source)
        if not of_source:
            raise CliError(f"no staged crawl of source {args.source!r} under {args.data_dir / 'staging'}")
        ids += of_source
    if not ids:
        raise CliError("name a crawl id or --source (see `ratsinfo reparse --help`)")
    new_ids = []
    for crawl_id in ids:
        try:
            report = reparse_crawl(args.data_dir, crawl_id)
        except ReparseError as exc:
            raise CliError(str(exc)) from exc
        print(json.dumps(report.as_dict(), ensure_ascii=False))
        new_ids.append(report.crawl_id)
    if not args.no_load:
        _load(new_ids, args.data_dir, args.db)
    return 0


def _load(crawl_ids: list[str], data_dir: Path, db: Path) -> None:
    from flows.source_run import load_staged
    from pipelines.warehouse.db import WarehouseBusy, open_writer, working_path
    from pipelines.warehouse.search import rebuild_search_index
    from schemas.staging import StagingArea

    import duckdb

    if db.is_dir():
        raise CliError(f"--db {db} is a folder, not a DuckDB file")
    try:
        with open_writer(db) as con:  # a working copy, published over db when done: readers are never blocked
            for crawl_id in crawl_ids:
                if not StagingArea(data_dir, crawl_id).read_manifest():
                    raise CliError(f"no staged crawl {crawl_id!r} under {data_dir / 'staging'}")
                print(json.dumps(load_staged(None, crawl_id, data_dir, db, con=con), ensure_ascii=False))
            rebuild_search_index(con)
    except WarehouseBusy as exc:
        raise CliError(str(exc)) from exc
    except duckdb.IOException as exc:  # not a DuckDB file, a disk that cannot hold it …
        reason = str(exc).splitlines()[0].replace(str(working_path(db)), str(db))  # the copy it loads into
        raise CliError(f"cannot load into {db}: {reason}") from exc


def cmd_documents(args) -> int:
    from pipelines.warehouse.document_stage import check_settings, run_documents_stage

    settings = _scrapy_settings(args.set)
    configured = {s.slug: s for s in _configured_sources(args.sources)}  # for a source's extra document hosts
    if not args.db.exists():
        raise CliError(f"no warehouse at {args.db}; run `ratsinfo crawl` or `ratsinfo run` first")
    try:
        check_settings(settings)  # also when no source has documents
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    sources = args.source
    con = _open_reader(args.db)
    try:
        _check_known_sources(con, sources or [], args.db)
        if not sources:
            sources = [row[0] for row in con.execute('SELECT DISTINCT "source" FROM file ORDER BY 1').fetchall()]
    finally:
        con.close()
    pending = 0
    for slug in sources:
        known = configured.get(slug)
        try:
            report = run_documents_stage(
                slug, data_dir=args.data_dir, db_path=args.db, settings=settings, limit=args.limit,
                extra_hosts=list(getattr(known, "extra_hosts", None) or []), retry_failed=args.retry_failed,
            )
        except ValueError as exc:
            raise CliError(str(exc)) from exc
        pending += report["pendingDocuments"]
        print(json.dumps(report, ensure_ascii=False))
    print(f"{pending} document(s) still pending", file=sys.stderr)
    return 0


def _check_known_sources(con, named: list[str], db: Path) -> None:
    """Raise CliError when a source named on the command line was never loaded into this warehouse (a typo)."""
    known = [row[0] for row in con.execute(
        'SELECT "source" FROM source UNION SELECT DISTINCT "source" FROM crawl WHERE "source" IS NOT NULL ORDER BY 1'
    ).fetchall()]
    unknown = [slug for slug in named if slug not in known]
    if unknown:
        listed = ", ".join(known[:20]) + (", …" if len(known) > 20 else "")
        raise CliError(f"no source {unknown[0]!r} in {db} (sources: {listed or 'none'})")


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _open_reader(db: Path):
    """Open the published warehouse read-only (with the views) for a read command; a one-line CliError when it cannot."""
    import duckdb

    from pipelines.warehouse.db import WarehouseBusy
    from pipelines.exports.export import open_warehouse

    try:
        return open_warehouse(db)
    except (FileNotFoundError, WarehouseBusy) as exc:
        raise CliError(str(exc)) from exc
    except duckdb.Error as exc:
        raise CliError(f"cannot read {db}: {str(exc).splitlines()[0]}") from exc


def cmd_export(args) -> int:
    import duckdb

    from pipelines.exports.export import ExportQuery, export_rows, query_problems, write_export

    if args.tables:
        return _export_tables(args)
    fmt = args.format or {".xlsx": "xlsx", ".parquet": "parquet"}.get(args.output.suffix.lower(), "csv")
    query = ExportQuery(topic=args.topic, since=args.since, until=args.until, municipality=args.municipality,
                        committee=args.committee, result=args.result, text=args.query)
    con = _open_reader(args.db)
    try:
        problems = query_problems(con, query)
        if problems:  # a typo would otherwise be an empty file
            raise CliError("; ".join(problems))
        rows = export_rows(con, query)
    except duckdb.Error as exc:
        raise CliError(f"export failed: {str(exc).splitlines()[0]}") from exc
    finally:
        con.close()
    try:
        n = write_export(rows, args.output, fmt, delimiter=args.sep or ";", headers=args.headers)
    except OSError as exc:
        raise CliError(f"cannot write {args.output}: {exc}") from exc
    print(f"wrote {n} rows to {args.output} ({fmt})", file=sys.stderr)
    return 0


def _export_tables(args) -> int:
    import duckdb

    from pipelines.exports.export import export_tables

    fmt = args.format or "parquet"
    if fmt not in ("parquet", "csv"):
        raise CliError("--tables writes parquet or csv")
    # The tables go out whole: a filter or German headers given with --tables would be dropped without a word.
    unused = [option for option, value in (
        ("--topic", args.topic), ("--since", args.since), ("--until", args.until), ("--municipality", args.municipality),
        ("--committee", args.committee), ("--result", args.result), ("--query", args.query),
        ("--headers", None if args.headers == "en" else args.headers),
    ) if value is not None]
    if unused:
        raise CliError(f"--tables writes every table whole; {', '.join(unused)} select papers for the one-file export only")
    con = _open_reader(args.db)
    try:
        counts = export_tables(con, args.output, fmt, delimiter=args.sep or ",")
    except (duckdb.Error, OSError) as exc:
        raise CliError(f"export failed: {str(exc).splitlines()[0]}") from exc
    finally:
        con.close()
    print(f"wrote {len(counts)} tables and views ({sum(counts.values())} rows) to {args.output}/ ({fmt})", file=sys.stderr)
    return 0


def cmd_sql(args) -> int:
    con = _open_reader(args.db)
    try:
        if args.query:
            return _run_sql(con, args.query, args.csv)
        return _sql_prompt(con, args.csv)
    finally:
        con.close()


def _run_sql(con, query: str, as_csv: bool) -> int:
    """Run one query and print its result; an error is one line on stderr and exit 1."""
    import csv

    import duckdb

    try:
        relation = con.sql(query)
        if relation is None:
            return 0
        if as_csv:
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(relation.columns)
            writer.writerows(relation.fetchall())
        else:
            relation.show(max_rows=200, max_col_width=60)
    except duckdb.Error as exc:
        print(f"ratsinfo sql: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 1
    return 0


def _sql_prompt(con, as_csv: bool) -> int:
    """Read statements (ending in ';') until EOF or .quit, run each and print the result."""
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401 — line editing and history for input()
    interactive = sys.stdin.isatty()
    if interactive:
        print("ratsinfo sql (read-only). Views: resolution, paper_decision, paper_topic, signatory. "
              "End a statement with ';', quit with .quit or Ctrl-D.", file=sys.stderr)
    buffer: list[str] = []
    status = 0
    while True:
        try:
            line = input("sql> " if not buffer else "...> ") if interactive else sys.stdin.readline()
        except EOFError:
            line = ""
            if interactive:
                print(file=sys.stderr)
        if not interactive and line == "":
            break
        if interactive and line == "" and not buffer:
            continue
        if line.strip() in (".quit", ".exit", "\\q") and not buffer:
            break
        buffer.append(line.rstrip("\n"))
        if line.rstrip().endswith(";"):
            status = _run_sql(con, "\n".join(buffer), as_csv) or status
            buffer = []
    if buffer and "\n".join(buffer).strip():
        status = _run_sql(con, "\n".join(buffer), as_csv) or status
    return status


def cmd_web(args) -> int:
    from flows.web.server import make_server

    if not args.db.exists():
        raise CliError(f"no warehouse at {args.db}; run `ratsinfo crawl` or `ratsinfo run` first")
    try:
        server = make_server(args.db, args.host, args.port)
    except OSError as exc:
        raise CliError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from exc
    host, port = server.server_address[:2]
    print(f"ratsinfo web: open http://{host}:{port}/ in a browser (Ctrl-C stops it); reading {args.db.resolve()}",
          file=sys.stderr)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


def cmd_feeds(args) -> int:
    from pipelines.exports.feeds import write_feeds

    searches = {}
    for spec in args.search:
        name, sep, query = spec.partition("=")
        if not sep or not name.strip():
            raise CliError(f"--search needs NAME=QUERY, not {spec!r}")
        searches[name.strip()] = query
    _open_reader(args.db).close()  # a clear error before any file is written
    args.output = args.output or args.data_dir / "feeds"
    try:
        written = write_feeds(args.db, args.output, searches=searches, web_base=args.web_url)
    except OSError as exc:
        raise CliError(f"cannot write feeds under {args.output}: {exc}") from exc
    print(f"wrote {len(written)} feeds under {args.output}", file=sys.stderr)
    return 0


def cmd_parse(args) -> int:
    from pipelines.normalise.items import normalise_item
    from spiders.dialects import Page, UnknownDialect, detect
    from spiders.dialects.base import ParseError

    if not args.file.is_file():
        raise CliError(f"no such file: {args.file}")
    page = Page.from_bytes(args.url or args.file.resolve().as_uri(), args.file.read_bytes())
    try:
        module, evidence = detect(page)
    except UnknownDialect as exc:
        raise CliError(str(exc)) from exc
    print(f"{module.NAME} ({evidence}); page kind {module.page_kind(page)}", file=sys.stderr)
    try:
        parsed = module.parse(page, args.source)
    except ParseError as exc:
        raise CliError(f"{module.NAME} cannot parse {args.file}: {exc}") from exc
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
    from flows.nightly import demo_sources

    kwargs = _nightly_parameters(args)
    kwargs["full"] = args.full
    if args.demo:
        from flows.demo_site import serve_demo

        if args.sources != DEFAULT_SOURCES:  # it would be passed over without a word
            raise CliError("--demo crawls the bundled demo sites and reads no --sources; leave one of them out")
        with _serve_demo_on_stable_port(serve_demo) as server:
            print(f"demo site serving at {server.base_url}", file=sys.stderr)
            # The demo is ours and local: no need to wait between requests.
            kwargs["sources"] = demo_sources(server.base_url)
            kwargs["crawl_settings"] = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False",
                                        "CONCURRENT_REQUESTS_PER_DOMAIN": "4", **kwargs["crawl_settings"]}
            summary = _run_nightly(args, kwargs)
    else:
        _check_sources(args.sources)
        summary = _run_nightly(args, kwargs)
    print_summary(summary)
    if summary.get("skipped"):
        return 0
    return 1 if summary.get("failed") or summary.get("errors") else 0


def _check_sources(path: Path) -> None:
    """Refuse a missing sources file; raise SourceError naming every problem of a bad one."""
    from flows.sources import load_config

    if not path.is_file():
        raise CliError(f"no sources file at {path}; add a source with `ratsinfo sources add URL --file {path}`")
    load_config(path)


def _nightly_parameters(args) -> dict[str, Any]:
    """Return the nightly flow's parameters from the run/schedule options."""
    from flows.nightly_defaults import default_parallel, default_time_budget_minutes

    settings = _scrapy_settings(args.set)
    # Unset options take the environment's defaults, read now: a bad value there is one line (main), not a traceback.
    if args.parallel is None:
        args.parallel = default_parallel()
    if args.time_budget is None:
        args.time_budget = default_time_budget_minutes()
    if args.parallel < 1:
        raise CliError("--parallel must be at least 1")
    if args.time_budget <= 0:
        raise CliError("--time-budget must be more than 0 minutes")
    if args.work_pool and not (args.api_url or os.environ.get("PREFECT_API_URL")):
        raise CliError("--work-pool needs the Prefect server its workers poll: --api-url or $PREFECT_API_URL")
    # Absolute paths: scheduled runs and work-pool workers do not share our working directory.
    return {
        "sources_file": str(args.sources.resolve()),
        "data_dir": str(args.data_dir.resolve()),
        "db_path": str(args.db.resolve()),
        "export_path": str(args.export.resolve()),
        "parallel": args.parallel,
        "time_budget_minutes": args.time_budget,
        "crawl_settings": settings,
    }


def _run_nightly(args, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Run the nightly flow once in this process (against --api-url's server when given)."""
    from flows.nightly import nightly

    api_url = args.api_url or os.environ.get("PREFECT_API_URL")
    if not api_url:
        return nightly(**kwargs)
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_url}):
        if args.work_pool:
            from flows.schedule import register_crawl_deployment

            kwargs["work_pool_deployment"] = register_crawl_deployment(args.work_pool)
        return nightly(**kwargs)


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
    from flows.run_report import format_summary

    print(format_summary(summary), end="")


def cmd_schedule(args) -> int:
    from flows.schedule import PrefectServerUnavailable, schedule_problem, serve_schedule

    problem = schedule_problem(args.cron, args.full_cron, args.timezone)
    if problem:
        raise CliError(problem)
    parameters = _nightly_parameters(args)
    _check_sources(args.sources)  # before the server starts
    try:
        return serve_schedule(
            cron=args.cron,
            full_cron=args.full_cron,
            timezone=args.timezone,
            parameters=parameters,
            data_dir=str(args.data_dir),
            api_url=args.api_url,
            port=args.port,
            work_pool=args.work_pool,
        )
    except PrefectServerUnavailable as exc:
        raise CliError(str(exc)) from exc


def cmd_demo(args) -> int:
    from flows.demo_site import main as demo_main

    return demo_main(["--port", str(args.port)]) or 0


def cmd_sources(args) -> int:
    from flows.sources import Source, append_source, load_sources, slug_for_url
    from spiders.dialects import UnknownDialect, detect, html_dialect

    if args.action == "list":
        _check_sources(args.file)
        for s in load_sources(args.file):
            print(f"{s.slug:24} {s.system or '(detect)':16} {'on ' if s.enabled else 'off'} {s.base_url}  {s.name or ''}")
        return 0
    if not args.url:
        raise CliError("sources add needs a URL")
    _check_source_options(url=args.url, slug=args.slug, ags=args.ags)
    page = _fetch_page(args.url)
    try:
        module, evidence = detect(page)
    except UnknownDialect as exc:
        raise CliError(str(exc)) from exc
    base_url, system = args.url, module.NAME
    html = html_dialect(page) if module.NAME == "oparl" else None
    if html is not None:  # an HTML page that links its OParl server: store the server when it answers as one
        system_url = html[0].oparl_system_url(page) or ""
        unusable = _oparl_unusable(system_url, args.url)
        if unusable is None:
            base_url, evidence = system_url, f"{html[0].NAME} page links its OParl server {system_url}: OParl preferred"
        else:
            system, evidence = html[0].NAME, f"{html[1]}; its OParl server {system_url} not used: {unusable}"
    source = Source(slug=args.slug or slug_for_url(args.url), base_url=base_url, name=args.name, ags=args.ags, system=system)
    append_source(source, args.file)
    print(f"added {source.slug} ({system} at {base_url}: {evidence}) to {args.file}")
    return 0


def _oparl_unusable(system_url: str, page_url: str) -> str | None:
    """Return why the OParl System an HTML page links cannot be the source (another host, no System), or None."""
    from spiders.dialects import by_name
    from spiders.url_policy import UrlPolicy

    refusal = UrlPolicy(page_url).refusal(system_url)
    if refusal is not None:
        return f"refused: {refusal}"
    try:
        answer = _fetch_page(system_url)
    except CliError as exc:
        return str(exc)
    oparl = by_name("oparl")
    if not oparl.detect(answer) or oparl.page_kind(answer) != "system":
        return "it answers with no OParl System"
    return None


def cmd_search(args) -> int:
    from pipelines.warehouse.search import SearchIndexMissing, search, synonyms_of_query

    con = _open_reader(args.db)
    try:
        hits = search(con, args.query, args.limit, args.municipality)
        also = synonyms_of_query(con, args.query)
    except SearchIndexMissing as exc:
        raise CliError(str(exc)) from exc
    finally:
        con.close()
    for hit in hits:
        print(f"{hit.score:6.2f}  {hit.id:32} {hit.reference or '':16} {(hit.title or '').splitlines()[0][:100]}")
    for word, others in also:
        print(f"also searched for {word!r}: {', '.join(others)}", file=sys.stderr)
    if not hits:
        print("no matches", file=sys.stderr)
    return 0


def cmd_changes(args) -> int:
    from pipelines.warehouse.history import list_changes

    con = _open_reader(args.db)
    try:
        _check_known_sources(con, [args.source] if args.source else [], args.db)
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
    from pipelines.crawl.analyse import AnalyseError, analyse_file

    try:
        result = analyse_file(args.file)
    except AnalyseError as exc:
        raise CliError(str(exc)) from exc
    print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
