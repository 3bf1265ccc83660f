"""Parse a crawl's stored raw pages again with today's parsers, without the network.

Every page a crawl fetched sits in the raw store under its SHA-256 and is
listed in the crawl's ``pages.jsonl``. Re-parsing reads those bodies, runs the
crawl's dialect on each, normalises the items like the crawl does and stages
them as a new crawl (``<old id>-reparse-<time>``) that the loader merges like
any other: a parser fix reaches the warehouse without fetching anything.

Each page is read as the crawl reads it (``spiders.parse_worker.read_page``):
an answer cut short or not decodable, an empty body, a login form, the
dialect's access-denied page or an error page in the page's place is
recorded as failed, not parsed; the parser gets the meta the link to the
page carried (from the crawl's frontier), and the session's notes (repairs)
are recorded as the crawl records them. A page that no longer parses is
recorded in the new crawl's failures, with its SHA-256, as in a crawl. The
new crawl's manifest has its parse rates (``pagesByKind``, ``fieldCounts``,
each page counted once), so the load's parse-rate watch judges today's parsers.

Downloaded documents are not pages of the dialect: their File items (text,
text status, checksum) are carried over from the original crawl unchanged.
"""

from __future__ import annotations

import datetime as dt
import logging
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapy.utils.gz import gunzip

from schemas.items import ITEM_FIELDS
from schemas.raw_store import RawStore, location_of
from schemas.staging import JsonlWriter, StagingArea, list_crawls, utcnow
from spiders.crawl import project_settings
from spiders.dialects import by_name
from spiders.dialects.base import CrawlSession, Dialect, PageSession, fallback_urls
from spiders.frontier import link_metas, tally_parses
from spiders.middlewares import taken_for_meta_refresh
from spiders.parse_worker import ACCESS_DENIED, TRUNCATED, UNDECODABLE, PageReading, read_page, undecodable

logger = logging.getLogger(__name__)

# Pages that are documents, not pages of the dialect (their File items are carried over).
DOCUMENT_KINDS = {"file"}
# What the crawl fetched but never read as a page of its dialect (``kind`` is the link kind of its line in
# pages.jsonl): documents; robots.txt and the base URL's page fetched to detect the system (no link);
# the OParl System an HTML page links, asked whether the crawl can use it.
NOT_PAGES = {*DOCUMENT_KINDS, None, "oparl_system"}

GZIP_MAGIC = b"\x1f\x8b"  # how every gzip stream begins (no page does)
MAX_DECODED_BYTES = 64 * 2**20  # a stored gzip body decoded for a re-parse: no page is larger


class ReparseError(Exception):
    """A crawl cannot be re-parsed (not staged, no system known)."""


@dataclass
class ReparseReport:
    crawl_id: str
    reparsed_from: str
    pages: int = 0
    items: int = 0
    failures: int = 0
    missing_bodies: int = 0

    def as_dict(self) -> dict:
        return {
            "crawlId": self.crawl_id,
            "reparsedFrom": self.reparsed_from,
            "pages": self.pages,
            "items": self.items,
            "failures": self.failures,
            "missingBodies": self.missing_bodies,
        }


def reparse_crawl(data_dir: Path, crawl_id: str, now: dt.datetime | None = None) -> ReparseReport:
    """Stage a new crawl made by re-parsing ``crawl_id``'s raw pages; return what it holds."""
    old = StagingArea(data_dir, crawl_id)
    manifest = old.read_manifest()
    if not manifest:
        raise ReparseError(f"no crawl {crawl_id!r} staged under {data_dir / 'staging'}")
    system, source = manifest.get("system"), manifest.get("source")
    if not system or not source:
        raise ReparseError(f"crawl {crawl_id} does not say which system or source it crawled")
    dialect = by_name(system)
    session = reading_session(dialect)
    settings = project_settings()
    metas = link_metas(old)
    faults = answer_faults(old)
    stamp = (now or utcnow()).strftime("%Y%m%dT%H%M%SZ")
    new = StagingArea(data_dir, f"{crawl_id.split('-reparse-')[0]}-reparse-{stamp}").create()
    report = ReparseReport(crawl_id=new.crawl_id, reparsed_from=crawl_id)
    store = RawStore(data_dir)
    items = JsonlWriter(new.items_path)
    pages = JsonlWriter(new.pages_path)
    failures = JsonlWriter(new.failures_path)
    # The URL the crawl asked for -> (page kind, fields found) of its page: its parse rates count each page once.
    pages_read: dict[str, tuple[str, dict[str, bool]]] = {}
    try:
        for record in old.read_pages():
            pages.write(record)
            if record.get("kind") in NOT_PAGES:
                continue  # the crawl did not read it as a page of its dialect either
            report.pages += 1
            asked = record.get("redirectedFrom") or record.get("requestUrl") or record["url"]
            link_meta = metas.get(asked)
            reading = _reparse_page(record, dialect, session, source, store, link_meta, faults, settings, report)
            if reading is None:
                continue
            if reading.refused:
                if fallback_urls(link_meta):
                    continue  # the crawl went on to the link's next URL (a page of pages.jsonl too), recording nothing
                reading.failure = ACCESS_DENIED
            if reading.failure is not None:
                report.failures += 1
                failures.write(_failure_line(record, reading.failure))
                continue
            for note in reading.notes:  # parsed, with something to record (a repair)
                report.failures += 1
                failures.write(_failure_line(record, note, note.outcome, note.url))
            assert reading.parsed is not None and reading.page_kind is not None
            pages_read[asked] = (reading.page_kind, reading.parsed.fields_seen)
            if reading.staged is not None:
                items.write_lines(reading.staged)
                report.items += sum(reading.staged.counts.values())
        document_urls = {p.get("url") for p in old.read_pages() if p.get("kind") in DOCUMENT_KINDS}
        for item in old.read_items():
            if item.get("type") == "File" and (item.get("textStatus") or item.get("url") in document_urls):
                items.write(item)
                report.items += 1
    finally:
        for writer in (items, pages, failures):
            writer.close()
        store.close()
    pages_by_kind, field_counts = tally_parses(pages_read.values())
    new.update_manifest(
        crawlId=new.crawl_id,
        source=source,
        system=system,
        baseUrl=manifest.get("baseUrl"),
        startedAt=manifest.get("startedAt"),
        finishedAt=utcnow().isoformat(),
        status=manifest.get("status"),
        reparsedFrom=crawl_id,
        failures=report.failures,
        # Parse rates as the crawl counts them (each page once): the load's parse-rate watch sees today's parsers.
        pagesByKind=pages_by_kind,
        fieldCounts=field_counts,
        # Its pages' items are today's; the documents' File lines are copied as the old crawl staged them.
        itemFields=ITEM_FIELDS if manifest.get("itemFields") in (None, ITEM_FIELDS) else "mixed",
    )
    new.record_staged_keys(items.staged_keys())
    new.update_manifest(itemCounts=new.object_counts())  # counted as a crawl's summary counts them
    return report


def reading_session(dialect: Dialect) -> CrawlSession:
    """Return the session a re-parse reads pages with: the crawl's own where it keeps nothing between pages.

    A session that does (OParl's list walks, KIC's learnt headers) cannot be
    replayed page by page: those pages are read by the dialect's ``parse``.
    """
    session = dialect.crawl_session({}, None)
    return session if session.parses_alone else PageSession(dialect.parse)


def answer_faults(staging: StagingArea) -> dict[str, str]:
    """Return the crawl's failures for answers that were not the whole page (cut short, not decodable), by body SHA-256.

    Crawls staged before December 2026 said so only in failures.jsonl, not in
    the page's line of pages.jsonl (``truncated``, ``decodingError``).
    """
    return {record["sha256"]: record["error"] for record in staging.read_failures()
            if record.get("sha256") and str(record.get("error") or "").startswith((TRUNCATED, UNDECODABLE))}


def _failure_line(record: dict, error: str, outcome: str = "failed", url: str | None = None) -> dict:
    """Return the failures.jsonl record of a stored page (``url``: a note's own URL instead of the page's)."""
    return {"url": url or record.get("url"), "kind": record.get("kind"), "status": record.get("status"),
            "error": error[:2000], "sha256": record.get("sha256"), "outcome": outcome, "at": utcnow().isoformat()}


def _reparse_page(record: dict, dialect: Dialect, session: CrawlSession, source: str, store: RawStore,
                  link_meta: dict | None, faults: dict[str, str], settings: Any,
                  report: ReparseReport) -> PageReading | None:
    """Return what one stored page gives when read today, or None when the crawl did not read it either."""
    sha256 = record.get("sha256")
    try:
        body = store.get(sha256, location_of(record)) if sha256 else None
    except (OSError, zlib.error):  # gone, or no longer whole
        body = None
    if body is None:
        report.missing_bodies += 1
        return PageReading(failure="raw body missing from the raw store")
    status = record.get("status") or 200
    if status >= 300:
        return None  # redirects and error answers were never parsed
    if record.get("decodingError"):
        return undecodable(record["decodingError"])
    if sha256 in faults:
        return PageReading(failure=faults[sha256])
    body, content_type = as_page(body), record.get("contentType") or None
    if taken_for_meta_refresh(record["url"], body, content_type, settings):
        return None  # a redirect too: followed (its target is a page of its own) or refused
    fetched_at = record.get("fetchedAt")
    return read_page(dialect, session, source, record["url"], body, content_type, status,
                     bool(record.get("truncated")), record.get("kind"), link_meta,
                     dt.datetime.fromisoformat(fetched_at) if fetched_at else None)


def as_page(body: bytes) -> bytes:
    """Return a stored body as the page it holds.

    Crawls before December 2026 archived an answer sent with
    ``Content-Encoding: gzip`` as it came, gzip bytes; a page never starts
    with gzip's magic number, so such a body is decompressed here (up to
    MAX_DECODED_BYTES). Anything else is the page already.
    """
    if not body.startswith(GZIP_MAGIC):
        return body
    try:
        return gunzip(body, max_size=MAX_DECODED_BYTES)
    except Exception:  # not gzip after all, or too large: read as it is (and most likely recorded as failed)
        return body


def crawls_of_source(data_dir: Path, source: str) -> list[str]:
    """Return the ids of the original (not re-parsed) staged page crawls of ``source``, oldest first.

    A documents stage's folder (``stage`` in its manifest) holds downloaded documents, not pages a
    dialect parses: ``reparse --source`` after ``ratsinfo documents`` stopped at it and loaded nothing.
    """
    manifests = ((s.crawl_id, s.read_manifest()) for s in list_crawls(data_dir))
    return [
        crawl_id for crawl_id, manifest in manifests
        if manifest.get("source") == source and not manifest.get("reparsedFrom") and not manifest.get("stage")
    ]
