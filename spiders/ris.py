"""The crawl of one council information system, whatever its dialect.

The dialect module (``spiders/dialects/``) knows the pages: where a crawl
starts, what each page holds, which links lead on. This spider only fetches
what the dialect names, hands each answer back to it, and keeps the books:

* every page body goes to the raw store first (``RawArchiveMiddleware``);
* pages are read (decoded, checked, parsed, their items normalised and
  written out as items.jsonl lines) in the parse worker (``spiders.parse_worker``)
  when the dialect's session allows it, else here;
* a page that fails to parse is recorded in ``failures.jsonl`` with its
  SHA-256, never silently dropped;
* per page kind it counts how often each expected field was found, for the
  parse-rate watch (``pipelines.crawl.parse_rate``);
* only the source's own host(s) are fetched (``base_url`` and ``extra_hosts``,
  enforced by ``spiders.middlewares``); every request that ends without a usable
  page is a line in ``failures.jsonl`` with ``"outcome": "failed"`` (fetched or
  tried, but nothing usable: a network error, an HTTP error, a truncated, login
  or error page, a parse error) or ``"outcome": "refused"`` (never made: another
  host, another scheme, robots.txt), and the reason.

Documents (PDFs) are not downloaded here: the crawl stages their File items,
and the documents stage (``pipelines.warehouse.document_stage``, ``spiders.documents``)
fetches them after the load, so the data is there before the documents are.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError

from pipelines.normalise.dates import BERLIN
from schemas.items import Item
from spiders.dialects import Dialect, Link, Page, UnknownDialect, by_name, detect, html_dialect
from spiders.dialects.base import CrawlSession, fallback_urls
from spiders.middlewares import DECODING_ERROR, RedirectLoop, SourceUnreachable, policy_of
from spiders.parse_worker import ACCESS_DENIED, PageReading, ParseWorker, WorkerFailed, WorkerGone, read_page, undecodable
from spiders.url_policy import RefusedRequest, parse_hosts
from schemas.staging import JsonlWriter, StagingArea, utcnow

logger = logging.getLogger(__name__)
OPARL = "oparl"


def council_today() -> dt.date:
    """Return today's date where the councils meet (Europe/Berlin), whatever the machine's time zone.

    A machine kept in UTC is still on the day before for the first one or two hours of a German day:
    a run then, on the 1st, took last month's calendar window.
    """
    return dt.datetime.now(BERLIN).date()


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
        extra_hosts: str | list[str] | None = None,
        parse_worker: ParseWorker | None = None,
        *args: Any,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.source = source
        self.base_url = base_url
        # Hosts besides the base URL's this crawl may fetch (a separate document server):
        # the spider argument and the setting RATSINFO_EXTRA_HOSTS (see spiders.url_policy).
        self.extra_hosts: list[str] = parse_hosts(extra_hosts)
        self.system = system or None
        day = dt.date.fromisoformat(today) if today else council_today()
        self.months = parse_month_range(months) if months else _as_months(
            month_window(day, int(months_back), int(months_ahead))
        )
        self.dialect: Dialect | None = by_name(self.system) if self.system else None
        self.field_counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
        self.pages_by_kind: dict[str, int] = defaultdict(int)
        self.failures = 0
        # The dialect's crawl-wide state (OParl: modified_since from the last run, list bookkeeping),
        # made when the crawl starts (Dialect.crawl_session).
        self.session: CrawlSession | None = None
        # The worker process that reads pages (spiders.parse_worker; started by spiders.crawl.run_crawl), or None.
        self.parse_worker = parse_worker

    # -- set-up ------------------------------------------------------------
    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.staging = StagingArea(Path(settings["RATSINFO_DATA_DIR"]), settings["RATSINFO_CRAWL_ID"]).create()
        spider.failure_log = JsonlWriter(spider.staging.failures_path)
        for host in parse_hosts(settings.getlist("RATSINFO_EXTRA_HOSTS")):
            if host not in spider.extra_hosts:
                spider.extra_hosts.append(host)
        spider._continue_counts(spider.staging.read_manifest())
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
        if self.dialect is None or self.dialect.FIRST_PAGE:
            yield scrapy.Request(
                self.base_url, callback=self.detect_and_start, errback=self.start_without_page, dont_filter=True
            )
            return
        for request in self._start_requests():
            yield request

    def _start_requests(self, first_page: Page | None = None, entry: str | None = None):
        """Yield the dialect's start requests from the base URL (``entry``: from this URL instead)."""
        assert self.dialect is not None
        self.staging.update_manifest(system=self.dialect.NAME)
        self.session = self.dialect.crawl_session(self.settings, self.staging)
        links = self.dialect.start_urls(entry or self.base_url, self.months, first_page=first_page)
        for link in links:
            request = self._request(link)
            if request is not None:
                yield request

    def detect_and_start(self, response):
        page = Page.from_bytes(response.url, response.body, _content_type(response))
        if self.dialect is None:
            try:
                self.dialect, evidence = detect(page)
            except UnknownDialect as exc:
                self._record_failure(response, "detect", str(exc))
                raise scrapy.exceptions.CloseSpider("unknown system") from exc
            logger.info("%s is %s (%s)", self.base_url, self.dialect.NAME, evidence)
            html = html_dialect(page) if self.dialect.NAME == OPARL else None
            if html is not None:  # an HTML page that links its install's OParl server: OParl preferred
                yield from self._try_oparl(page, html[0])
                return
        yield from self._start_requests(first_page=page)

    # -- OParl preferred ---------------------------------------------------
    def _try_oparl(self, page: Page, html: Dialect) -> Iterable[scrapy.Request]:
        """Ask the OParl System the page links; crawl it when it answers, else crawl the page's HTML dialect.

        The System must be on the source's hosts like every URL of the crawl;
        a refused or failing System is recorded, and the crawl goes on as HTML.
        """
        system_url = html.oparl_system_url(page)
        assert system_url is not None
        choice = {"detected": html.NAME, "oparlSystem": system_url}
        refusal = policy_of(self).refusal(system_url)
        if refusal is not None:
            self._log_failure(system_url, "oparl_system", f"refused: {refusal}", outcome="refused")
            yield from self._fall_back(page, html, choice, f"OParl server refused: {refusal}")
            return
        yield scrapy.Request(system_url, callback=self._oparl_answered, errback=self._oparl_failed, dont_filter=True,
                             meta={"link_kind": "oparl_system", "first_page": page, "html_dialect": html.NAME,
                                   "dialect_choice": choice})

    def _oparl_answered(self, response):
        meta = response.meta
        page = Page.from_bytes(response.url, response.body, _content_type(response))
        oparl = by_name(OPARL)
        kind = oparl.page_kind(page) if oparl.detect(page) else None
        if kind != "system":
            reason = f"{response.url} is no OParl System (page kind {kind or 'not OParl'}, HTTP {response.status})"
            self._record_failure(response, "oparl_system", f"OParl server unusable: {reason}")
            yield from self._fall_back(meta["first_page"], by_name(meta["html_dialect"]), meta["dialect_choice"], reason)
            return
        logger.info("%s links its OParl server %s: crawling OParl", self.base_url, response.url)
        self.dialect = oparl
        self.staging.update_manifest(dialect={**meta["dialect_choice"], "used": OPARL, "fallback": None})
        yield from self._start_requests(entry=response.url)

    def _oparl_failed(self, failure):
        meta = failure.request.meta
        yield from self.on_error(failure)  # recorded like any request that gave no page
        reason = f"{failure.request.url}: {describe_failure(failure.value)}"
        yield from self._fall_back(meta["first_page"], by_name(meta["html_dialect"]), meta["dialect_choice"], reason)

    def _fall_back(self, page: Page, html: Dialect, choice: dict, reason: str) -> Iterable[scrapy.Request]:
        logger.warning("not crawling the OParl server %s (%s): crawling %s as %s", choice["oparlSystem"], reason,
                       self.base_url, html.NAME)
        self.dialect = html
        self.staging.update_manifest(dialect={**choice, "used": html.NAME, "fallback": reason})
        yield from self._start_requests(first_page=page)

    def start_without_page(self, failure):
        """The base URL did not answer: start from the configured dialect's defaults, if there is one."""
        if self.dialect is None or failure.check(SourceUnreachable, RefusedRequest):
            yield from self.on_error(failure)
            raise scrapy.exceptions.CloseSpider(f"could not fetch {self.base_url} to detect its system")
        logger.info("%s did not answer (%s); starting from the dialect's default URLs", self.base_url, failure.value)
        yield from self._start_requests()

    # -- pages -------------------------------------------------------------
    def _request(self, link: Link, **meta: Any) -> scrapy.Request | None:
        """Return the request for a link, or None (and the refusal recorded) when the URL policy forbids it.

        Checked here as well as in the downloader: Scrapy cannot even build a request
        for ``javascript:`` or ``data:`` URLs, and one bad link must not end the page.
        Scrapy ignores the None a callback yields.
        """
        if self.session is not None:
            link = self.session.request_for(link)  # e.g. a list URL with modified_since
        refusal = policy_of(self).refusal(link.url)
        if refusal is not None:
            logger.warning("refused %s: %s", link.url, refusal)
            self._log_failure(link.url, link.kind, f"refused: {refusal}", outcome="refused")
            return None
        return scrapy.Request(
            link.url,
            callback=self.parse_page,
            errback=self.on_error,
            headers=link.meta.get("headers"),  # ALLRIS 4 calendars answer only Wicket Ajax requests
            meta={"link_kind": link.kind, "link_meta": link.meta, **meta},
        )

    async def parse_page(self, response) -> list:
        """Return a fetched page's items (as lines) and the requests for its links, read in the parse worker if there is one.

        A coroutine returning a list, not an async generator: Scrapy's adapter
        for an async generator's output keeps CONCURRENT_ITEMS (100) Deferreds
        waiting per page, which cost the crawl's process more than the parse.
        """
        kind = response.meta.get("link_kind")
        reading = await self._read(response, kind)
        return list(self._use_reading(response, kind, reading))

    async def _read(self, response, kind: str | None) -> PageReading:
        """Return ``read_page`` of the response: in the parse worker if the session allows it, else here."""
        assert self.dialect is not None and self.session is not None
        if response.meta.get(DECODING_ERROR):  # kept in the raw store as it came
            return undecodable(response.meta[DECODING_ERROR])
        args = (self.source, response.url, response.body, _content_type(response), response.status,
                "dataloss" in (response.flags or []), kind, response.meta.get("link_meta"),
                response.meta.get("fetched_at") or utcnow())
        if self.parse_worker is not None and self.session.parses_alone:
            try:
                return await self.parse_worker.read(self.dialect, self.session, *args)
            except WorkerGone as exc:
                # Nothing is lost: the page is here, read it here (and every page after it).
                if self.parse_worker is not None:
                    logger.warning("%s: reading %s and the rest of the crawl's pages in the crawl's process",
                                   exc, response.url)
                    self.parse_worker = None
                self.crawler.stats.inc_value("parse_worker/read_here_after_its_death")
            except WorkerFailed as exc:
                logger.info("%s (%s): reading it in the crawl's process", exc, response.url)
        return read_page(self.dialect, self.session, *args)

    def _use_reading(self, response, kind: str | None, reading: PageReading):
        """Yield what a page read gives: its items (as lines) and the requests for its links, or a fallback request."""
        assert self.dialect is not None and self.session is not None
        if reading.refused:
            fallback = self._fallback(response.meta)
            if fallback is not None:
                # Installs refuse some calendar programs ("Zugriff verweigert (Programm si010_r.asp)").
                logger.info("%s refused, trying %s", response.url, fallback.url)
                yield fallback
                return
            self._record_failure(response, kind, ACCESS_DENIED)
            return
        if reading.failure is not None:
            if reading.parse_error:
                logger.warning("could not parse %s: %s", response.url, reading.failure)
            self._record_failure(response, kind, reading.failure)
            return
        parsed = reading.parsed
        assert parsed is not None and reading.page_kind is not None
        self._allow_hosts(parsed.hosts, response.url)
        for note in reading.notes:
            # Parsed, but with something to record: a repair ("repaired: …"), an incomplete OParl list walk …
            self._log_failure(note.url or response.url, kind, note, status=response.status,
                              sha256=response.meta.get("raw_sha256"), outcome=note.outcome)
        page_kind = reading.page_kind
        # The frontier keeps them with the page's row: parse rates that survive a killed crawl.
        response.meta["page_fields"] = (page_kind, {f: bool(v) for f, v in parsed.fields_seen.items()})
        self.pages_by_kind[page_kind] += 1
        for field, found in parsed.fields_seen.items():
            counts = self.field_counts[page_kind][field]
            counts[0] += int(bool(found))
            counts[1] += 1
        if reading.staged is not None:
            yield reading.staged  # the page's items, handed to the staging pipeline as one
        for link in parsed.follow:
            if link.kind == "file":
                continue  # fetched by the documents stage after the load
            yield self._request(link)

    def _fallback(self, meta: dict) -> scrapy.Request | None:
        """Return a request for the next alternative URL of a link (e.g. another calendar program), if any."""
        link_meta = dict(meta.get("link_meta") or {})
        fallbacks = fallback_urls(link_meta)
        if not fallbacks:
            return None
        link_meta.pop("fallback", None)
        link_meta["fallbacks"] = fallbacks[1:]
        return self._request(Link(fallbacks[0], meta.get("link_kind") or "calendar", link_meta))

    def on_error(self, failure):
        """Record a request that gave no page: refused (never made) or failed (with the reason)."""
        request = failure.request
        if failure.check(RefusedRequest):
            self._log_refusal(request, failure.value)
            return
        if failure.check(scrapy.exceptions.IgnoreRequest) and "robots.txt" in str(failure.value):
            self._log_failure(_original_url(request), request.meta.get("link_kind"),
                              "refused: forbidden by robots.txt", outcome="refused")
            return
        # Only a Scrapy response can be read again; Twisted's failures may carry their own
        # response object (ResponseFailed) or the partial body (PartialDownloadError).
        response = getattr(failure.value, "response", None)
        if not isinstance(response, Response):
            response = None
        if self.session is not None and response is not None:
            # Some answers are errors only in form (Sternberg's 404 for a filtered list that is empty).
            parsed = self.session.recover(request.url, response.status, response.body, request.meta.get("link_meta"))
            if parsed is not None:
                logger.info("%s answered %s: read as an empty page", request.url, response.status)
                for link in parsed.follow:
                    yield self._request(link)
                return
        fallback = None if failure.check(SourceUnreachable) else self._fallback(request.meta)
        if fallback is not None:
            logger.info("%s failed (%s), trying %s", request.url, failure.value, fallback.url)
            yield fallback
            return
        reason = describe_failure(failure.value)
        logger.warning("giving up on %s: %s", request.url, reason)
        self._log_failure(_original_url(request), request.meta.get("link_kind"), f"fetch failed: {reason}",
                          status=response.status if response is not None else None,
                          final_url=request.url)

    def _allow_hosts(self, hosts: list[str], declared_by: str) -> None:
        """Let the crawl fetch hosts the install's own configuration names as its interface."""
        new = [h for h in parse_hosts(hosts) if h not in self.extra_hosts]
        if new:
            logger.info("%s names its interface host(s) %s: allowed for this crawl", declared_by, ", ".join(new))
            self.extra_hosts.extend(new)
            self._url_policy = None  # policy_of builds it again with the new hosts

    def _record_failure(self, response, kind: str | None, error: str) -> None:
        """Record a fetched page that could not be used; its body stays in the raw store."""
        self._log_failure(_original_url(response), kind, error, status=response.status, sha256=response.meta.get("raw_sha256"),
                          final_url=response.url)

    def _log_refusal(self, request, refusal: RefusedRequest) -> None:
        logger.warning("refused %s: %s", refusal.url, refusal.reason)
        self._log_failure(_original_url(request), request.meta.get("link_kind"), f"refused: {refusal.reason}",
                          outcome="refused", final_url=refusal.url)

    def _log_failure(self, url: str, kind: str | None, error: str, *, status: int | None = None,
                     sha256: str | None = None, outcome: str = "failed", final_url: str | None = None) -> None:
        """Write one failures.jsonl record; ``url`` is the URL the crawl asked for (before redirects)."""
        self.failures += 1
        record = {"url": url, "kind": kind, "status": status, "outcome": outcome, "error": error[:2000],
                  "sha256": sha256, "at": utcnow().isoformat()}
        if final_url and final_url != url:
            record["finalUrl"] = final_url  # where a redirect led, or the refused target
        self.failure_log.write(record)

    def _closed(self, spider, reason):
        if spider is not self:
            return
        # Failures that show only at the end (an OParl list walk that never reached its last page …).
        for note in self.session.close_notes(reason) if self.session is not None else ():
            self._log_failure(note.url or self.base_url, "list", note, outcome=note.outcome)
        self.failure_log.close()
        self.staging.update_manifest(
            pagesByKind=dict(self.pages_by_kind),
            fieldCounts={k: {f: list(v) for f, v in fields.items()} for k, fields in self.field_counts.items()},
            failures=self.failures,
            **(self.session.manifest() if self.session is not None else {}),
        )


def _original_url(request_or_response) -> str:
    """Return the URL the crawl asked for: the first of a redirect chain."""
    chain = request_or_response.meta.get("redirect_urls") or []
    return chain[0] if chain else request_or_response.url


def describe_failure(exc: BaseException) -> str:
    """Return one line saying why a request gave no response (network error, HTTP status, redirect loop)."""
    from twisted.internet import error as net_error
    from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

    if isinstance(exc, HttpError):
        return f"HTTP {exc.response.status}"
    if isinstance(exc, (RedirectLoop, SourceUnreachable)):
        return str(exc)
    if isinstance(exc, (ResponseFailed, ResponseNeverReceived)):
        reasons = "; ".join(_reason_text(r.value) for r in getattr(exc, "reasons", []) or [])
        if "DataLoss" in reasons:
            if "ConnectionLost" in reasons:
                return f"connection lost after the headers, body incomplete ({reasons})"
            return f"truncated: the body is shorter than its Content-Length ({reasons})"
        what = ("the connection broke during the response" if isinstance(exc, ResponseFailed)
                else "no response: the connection closed before an answer")
        return f"{what} ({reasons or type(exc).__name__})"
    if isinstance(exc, net_error.DNSLookupError):
        return f"DNS lookup failed: {exc}"
    if isinstance(exc, (net_error.TimeoutError, net_error.TCPTimedOutError)):
        return f"timeout: {exc}"
    if isinstance(exc, net_error.ConnectionRefusedError):
        return f"connection refused: {exc}"
    return _reason_text(exc)


def _reason_text(exc: BaseException) -> str:
    text = str(exc).strip()
    name = type(exc).__name__
    return f"{name}: {text}" if text and name not in text else (text or name)


def _content_type(response) -> str | None:
    value = response.headers.get("Content-Type")
    return value.decode("latin-1") if value else None


__all__ = ["RisSpider", "month_window", "Item"]
