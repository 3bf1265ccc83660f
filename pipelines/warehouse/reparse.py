"""Parse a crawl's stored raw pages again with today's parsers, without the network.

Every page a crawl fetched sits in the raw store under its SHA-256 and is
listed in the crawl's ``pages.jsonl``. Re-parsing reads those bodies, runs the
crawl's dialect on each, normalises the items like the crawl does and stages
them as a new crawl (``<old id>-reparse-<time>``) that the loader merges like
any other: a parser fix reaches the warehouse without fetching anything.

Downloaded documents are not pages of the dialect: their File items (text,
text status, checksum) are carried over from the original crawl unchanged.
A page that no longer parses is recorded in the new crawl's failures, with
its SHA-256, as in a crawl.
"""

from __future__ import annotations

import datetime as dt
import logging
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.utils.gz import gunzip

from pipelines.normalise.items import normalised_lines
from schemas.items import ITEM_FIELDS
from schemas.raw_store import RawStore, location_of
from schemas.staging import JsonlWriter, StagingArea, list_crawls, utcnow
from spiders.dialects import by_name
from spiders.dialects.base import Page

logger = logging.getLogger(__name__)

# Pages that are documents, not pages of the dialect (their File items are carried over).
DOCUMENT_KINDS = {"file"}

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
    stamp = (now or utcnow()).strftime("%Y%m%dT%H%M%SZ")
    new = StagingArea(data_dir, f"{crawl_id.split('-reparse-')[0]}-reparse-{stamp}").create()
    report = ReparseReport(crawl_id=new.crawl_id, reparsed_from=crawl_id)
    store = RawStore(data_dir)
    items = JsonlWriter(new.items_path)
    pages = JsonlWriter(new.pages_path)
    failures = JsonlWriter(new.failures_path)
    try:
        for record in old.read_pages():
            pages.write(record)
            if record.get("kind") in DOCUMENT_KINDS or _is_robots_txt(record.get("url")):
                continue  # not a page of the system: the crawl did not parse it either
            report.pages += 1
            error = _reparse_page(record, dialect, source, store, items, report)
            if error:
                report.failures += 1
                failures.write({"url": record.get("url"), "kind": record.get("kind"), "status": record.get("status"),
                                "error": error[:2000], "sha256": record.get("sha256"), "outcome": "failed",
                                "at": utcnow().isoformat()})
        document_urls = {p.get("url") for p in old.read_pages() if p.get("kind") in DOCUMENT_KINDS}
        for item in old.read_items():
            if item.get("type") == "File" and (item.get("textStatus") or item.get("url") in document_urls):
                items.write(item)
                report.items += 1
    finally:
        for writer in (items, pages, failures):
            writer.close()
        store.close()
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
        # Its pages' items are today's; the documents' File lines are copied as the old crawl staged them.
        itemFields=ITEM_FIELDS if manifest.get("itemFields") in (None, ITEM_FIELDS) else "mixed",
    )
    new.record_staged_keys(items.staged_keys())
    return report


def _reparse_page(record: dict, dialect, source: str, store: RawStore, items: JsonlWriter,
                  report: ReparseReport) -> str | None:
    """Parse one stored page into ``items``; return why it could not be, or None."""
    sha256 = record.get("sha256")
    try:
        body = store.get(sha256, location_of(record)) if sha256 else None
    except (OSError, zlib.error):  # gone, or no longer whole
        body = None
    if body is None:
        report.missing_bodies += 1
        return "raw body missing from the raw store"
    status = record.get("status") or 200
    if status >= 300:
        return None  # redirects and error answers were never parsed
    page = Page.from_bytes(record["url"], as_page(body), record.get("contentType") or None)
    try:
        parsed = dialect.parse(page, source)
    except Exception as exc:  # a page today's parser cannot read is recorded, never dropped
        return f"{type(exc).__name__}: {exc}"
    fetched_at = record.get("fetchedAt")
    try:
        lines = normalised_lines(parsed.items, dt.datetime.fromisoformat(fetched_at) if fetched_at else None)
    except Exception as exc:  # as in the crawl: recorded with the page
        return f"normalising its items: {type(exc).__name__}: {exc}"
    if lines is not None:
        items.write_lines(lines)
        report.items += sum(lines.counts.values())
    return None


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


def _is_robots_txt(url: str | None) -> bool:
    """Is ``url`` a host's robots.txt (fetched by Scrapy's robots.txt middleware and stored like every answer)?"""
    if not url:
        return False
    parts = urlsplit(url)
    return parts.path == "/robots.txt" and not parts.query


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
