"""The crawl of one council information system, whatever its dialect.

The dialect module (``spiders/dialects/``) knows the pages: where a crawl
starts, what each page holds, which links lead on. This spider only fetches
what the dialect names, hands each answer back to it, and keeps the books:

* every page body goes to the raw store first (``RawArchiveMiddleware``);
* a page that fails to parse is recorded in ``failures.jsonl`` with its
  SHA-256, never silently dropped;
* per page kind it counts how often each expected field was found, for the
  parse-rate watch (``pipelines.parse_rate``);
* papers' main documents are downloaded, checked to be documents and not
  HTML error pages, and their text extracted.
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from collections import defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any, Iterable

import scrapy

from schemas.items import File, Item, item_from_dict
from spiders.dialects import Link, Page, UnknownDialect, by_name, detect
from pipelines.staging import JsonlWriter, StagingArea, utcnow

logger = logging.getLogger(__name__)


def month_window(today: dt.date, back: int, ahead: int) -> list[tuple[int, int]]:
    """Return the (year, month) pairs from ``back`` months before ``today`` to ``ahead`` after."""
    index = today.year * 12 + today.month - 1
    return [divmod(i, 12) for i in range(index - back, index + ahead + 1)]


def parse_month_range(text: str) -> list[tuple[int, int]]:
    """Return the months of a range written ``2026-09..2026-11`` (or a single ``2026-09``)."""
    first, _, last = text.partition("..")
    y1, m1 = (int(x) for x in first.split("-"))
    y2, m2 = (int(x) for x in (last or first).split("-"))
    return [(i // 12, i % 12 + 1) for i in range(y1 * 12 + m1 - 1, y2 * 12 + m2)]


def _as_months(pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(y, m + 1) for y, m in pairs]


class RisSpider(scrapy.Spider):
    """Crawls one source: ``scrapy crawl ris -a source=… -a base_url=… [-a system=…]``."""

    name = "ris"

    def __init__(
        self,
        source: str,
        base_url: str,
        system: str | None = None,
        months_back: int | str = 3,
        months_ahead: int | str = 2,
        today: str | None = None,
        months: str | None = None,
        *args: Any,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.source = source
        self.base_url = base_url
        self.system = system or None
        day = dt.date.fromisoformat(today) if today else dt.date.today()
        self.months = parse_month_range(months) if months else _as_months(
            month_window(day, int(months_back), int(months_ahead))
        )
        self.dialect: ModuleType | None = by_name(self.system) if self.system else None
        self.field_counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
        self.pages_by_kind: dict[str, int] = defaultdict(int)
        self.failures = 0
        # Optional dialect hook ``crawl_session(settings, staging)``: crawl-wide state of a
        # dialect that needs it (OParl: modified_since from the last run, list bookkeeping).
        self.session: Any = None

    # -- set-up ------------------------------------------------------------
    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.staging = StagingArea(Path(settings["RATSINFO_DATA_DIR"]), settings["RATSINFO_CRAWL_ID"]).create()
        spider.failure_log = JsonlWriter(spider.staging.failures_path)
        spider._continue_counts(spider.staging.read_manifest())
        spider.download_files = str(settings.get("RATSINFO_DOWNLOAD_FILES", "main")).lower()
        spider.max_file_bytes = settings.getint("RATSINFO_MAX_FILE_BYTES", 20_000_000)
        crawler.signals.connect(spider._closed, signal=scrapy.signals.spider_closed)
        return spider

    def _continue_counts(self, manifest: dict) -> None:
        """Start from an interrupted run's counts: a resumed crawl does not fetch those pages again."""
        for kind, n in (manifest.get("pagesByKind") or {}).items():
            self.pages_by_kind[kind] += n
        for kind, fields in (manifest.get("fieldCounts") or {}).items():
            for field, (found, total) in fields.items():
                self.field_counts[kind][field][0] += found
                self.field_counts[kind][field][1] += total
        self.failures += manifest.get("failures") or 0

    async def start(self):
        # The base URL's page is fetched first when the dialect must be detected, or
        # when the dialect learns from it where the crawl starts (SessionNet: .asp or .php).
        if self.dialect is None or _wants_first_page(self.dialect):
            yield scrapy.Request(
                self.base_url, callback=self.detect_and_start, errback=self.start_without_page, dont_filter=True
            )
            return
        for request in self._start_requests():
            yield request

    def _start_requests(self, first_page: Page | None = None):
        assert self.dialect is not None
        self.staging.update_manifest(system=self.dialect.NAME)
        factory = getattr(self.dialect, "crawl_session", None)
        self.session = factory(self.settings, self.staging) if factory else None
        if first_page is not None and _wants_first_page(self.dialect):
            links = self.dialect.start_urls(self.base_url, self.months, first_page=first_page)
        else:
            links = self.dialect.start_urls(self.base_url, self.months)
        for link in links:
            yield self._request(link)

    def detect_and_start(self, response):
        page = Page.from_bytes(response.url, response.body, _content_type(response))
        if self.dialect is None:
            try:
                self.dialect, evidence = detect(page)
            except UnknownDialect as exc:
                self._record_failure(response, "detect", str(exc))
                raise scrapy.exceptions.CloseSpider("unknown system") from exc
            logger.info("%s is %s (%s)", self.base_url, self.dialect.NAME, evidence)
        yield from self._start_requests(first_page=page)

    def start_without_page(self, failure):
        """The base URL did not answer: start from the configured dialect's defaults, if there is one."""
        if self.dialect is None:
            yield from self.on_error(failure)
            raise scrapy.exceptions.CloseSpider(f"could not fetch {self.base_url} to detect its system")
        logger.info("%s did not answer (%s); starting from the dialect's default URLs", self.base_url, failure.value)
        yield from self._start_requests()

    # -- pages -------------------------------------------------------------
    def _request(self, link: Link, **meta: Any) -> scrapy.Request:
        if self.session is not None:
            link = self.session.request_for(link)  # e.g. a list URL with modified_since
        callback = self.parse_file if link.kind == "file" else self.parse_page
        return scrapy.Request(
            link.url,
            callback=callback,
            errback=self.on_error,
            headers=link.meta.get("headers"),  # ALLRIS 4 calendars answer only Wicket Ajax requests
            meta={"link_kind": link.kind, "link_meta": link.meta, **meta},
        )

    def parse_page(self, response):
        assert self.dialect is not None
        kind = response.meta.get("link_kind")
        page = Page.from_bytes(response.url, response.body, _content_type(response))
        refused = getattr(self.dialect, "is_refused", None)
        if refused and refused(page):
            fallback = self._fallback(response.meta)
            if fallback is not None:
                # Installs refuse some calendar programs ("Zugriff verweigert (Programm si010_r.asp)").
                logger.info("%s refused, trying %s", response.url, fallback.url)
                yield fallback
                return
            self._record_failure(response, kind, "refused: the server answered with an access/error page")
            return
        try:
            if self.session is not None:
                parsed = self.session.parse(page, self.source, response.meta.get("link_meta"))
            else:
                parsed = self.dialect.parse(page, self.source)
        except Exception as exc:  # a broken page must not end the crawl
            logger.warning("could not parse %s: %s", response.url, exc)
            self._record_failure(response, kind, f"{type(exc).__name__}: {exc}")
            return
        for note in self.session.drain_notes() if self.session is not None else ():
            self._record_failure(response, kind, note)  # parsed, but only after a repair ("repaired: …")
        page_kind = self.dialect.page_kind(page) or kind or "unknown"
        # The frontier keeps them with the page's row: parse rates that survive a killed crawl.
        response.meta["page_fields"] = (page_kind, {f: bool(v) for f, v in parsed.fields_seen.items()})
        self.pages_by_kind[page_kind] += 1
        for field, found in parsed.fields_seen.items():
            counts = self.field_counts[page_kind][field]
            counts[0] += int(bool(found))
            counts[1] += 1
        fetched_at = response.meta.get("fetched_at") or utcnow()
        files_by_url = {i.accessUrl: i for i in parsed.items if isinstance(i, File) and i.accessUrl}
        for item in parsed.items:
            item.crawledAt = fetched_at
            yield item
        for link in parsed.follow:
            if link.kind == "file":
                file_item = files_by_url.get(link.url)
                if file_item is None or not self._wants_file(file_item):
                    continue
                yield self._request(link, file_item=file_item.to_dict())
            else:
                yield self._request(link)

    def _wants_file(self, item: File) -> bool:
        if self.download_files == "all":
            return True
        if self.download_files == "main":
            return item.role == "mainFile"
        return False

    def parse_file(self, response):
        """Yield the File item of a downloaded document, with its text."""
        from pipelines.documents import extract_text, looks_like_html_error

        item = item_from_dict(response.meta["file_item"])
        assert isinstance(item, File)
        item.crawledAt = response.meta.get("fetched_at") or utcnow()
        item.sha256 = response.meta.get("raw_sha256")
        item.size = len(response.body)
        body = response.body
        if looks_like_html_error(body):
            item.textStatus = "html_error_page"
            self._record_failure(response, "file", "expected a document, got an HTML page")
            yield item
            return
        content_type = _content_type(response)
        result = extract_text(
            body,
            file_name=item.fileName or response.url,
            mime_type=content_type,
            max_bytes=self.max_file_bytes,
        )
        item.text = result.text or None
        item.textStatus = result.status
        if not item.mimeType and content_type:
            item.mimeType = content_type.split(";")[0].strip()
        yield item

    def _fallback(self, meta: dict) -> scrapy.Request | None:
        """Return a request for the next alternative URL of a link (e.g. another calendar program), if any."""
        link_meta = dict(meta.get("link_meta") or {})
        fallbacks = list(link_meta.get("fallbacks") or [])
        if link_meta.get("fallback"):  # a single alternative (SessionNet si0057 -> to0040)
            fallbacks.append(link_meta.pop("fallback"))
        if not fallbacks:
            return None
        link_meta["fallbacks"] = fallbacks[1:]
        return self._request(Link(fallbacks[0], meta.get("link_kind") or "calendar", link_meta))

    def on_error(self, failure):
        request = failure.request
        response = getattr(failure.value, "response", None)
        recover = getattr(self.session, "recover", None)
        if recover is not None and response is not None:
            # Some answers are errors only in form (Sternberg's 404 for a filtered list that is empty).
            parsed = recover(request.url, response.status, response.body, request.meta.get("link_meta"))
            if parsed is not None:
                logger.info("%s answered %s: read as an empty page", request.url, response.status)
                for link in parsed.follow:
                    yield self._request(link)
                return
        fallback = self._fallback(request.meta)
        if fallback is not None:
            logger.info("%s failed (%s), trying %s", request.url, failure.value, fallback.url)
            yield fallback
            return
        logger.warning("giving up on %s: %s", request.url, failure.value)
        self._log_failure(request.url, request.meta.get("link_kind"), f"fetch failed: {failure.value!r}"[:500],
                          status=response.status if response is not None else None)

    def _record_failure(self, response, kind: str | None, error: str) -> None:
        """Record a fetched page that could not be used; its body stays in the raw store."""
        self._log_failure(response.url, kind, error, status=response.status, sha256=response.meta.get("raw_sha256"))

    def _log_failure(self, url: str, kind: str | None, error: str, *, status: int | None = None,
                     sha256: str | None = None) -> None:
        self.failures += 1
        self.failure_log.write(
            {"url": url, "kind": kind, "status": status, "error": error[:2000], "sha256": sha256,
             "at": utcnow().isoformat()}
        )

    def _closed(self, spider, reason):
        if spider is not self:
            return
        self.failure_log.close()
        self.staging.update_manifest(
            pagesByKind=dict(self.pages_by_kind),
            fieldCounts={k: {f: list(v) for f, v in fields.items()} for k, fields in self.field_counts.items()},
            failures=self.failures,
            **(self.session.manifest() if self.session is not None else {}),
        )


def _wants_first_page(dialect: ModuleType) -> bool:
    return "first_page" in inspect.signature(dialect.start_urls).parameters


def _content_type(response) -> str | None:
    value = response.headers.get("Content-Type")
    return value.decode("latin-1") if value else None


__all__ = ["RisSpider", "month_window", "Item"]
