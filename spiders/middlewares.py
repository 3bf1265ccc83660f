"""Downloader middlewares that keep a crawl on its source and stop it when the source is gone.

* :class:`UrlPolicyMiddleware` refuses, before anything is fetched (robots.txt
  included), every request the spider's :class:`~spiders.url_policy.UrlPolicy`
  does not allow. It sees every request: the spider's, redirected ones and
  meta-refresh targets.
* :class:`PolicyRedirectMiddleware` / :class:`PolicyMetaRefreshMiddleware`
  replace Scrapy's redirect middlewares: a redirect to a refused URL (another
  host, ``file://``) is refused with the redirect named in the reason;
  redirected requests bypass the duplicate filter, so several URLs that
  redirect to one error page are each answered and recorded under their own
  URL (``redirect_urls``); a loop ends at ``REDIRECT_MAX_TIMES`` with a
  :class:`RedirectLoop` failure.
* :class:`ContentDecodingMiddleware` decodes a gzip/deflate/br body before the
  raw archive keeps it, and passes on one it cannot decode, with the reason.
* :class:`HostCookiesMiddleware` is Scrapy's cookies middleware without the
  public-suffix lookup for host-only cookies (whose outcome changes nothing for
  them): the lookup builds tldextract's suffix trie on first use, tens of
  milliseconds of every crawl for SessionNet's one session cookie.
* :class:`ReachabilityMiddleware` closes the spider with ``unreachable: …``
  after ``RATSINFO_MAX_CONSECUTIVE_FAILURES`` connection-level failures in a
  row (distinct URLs, no answer in between; or as many attempts when the
  source never answered at all, server errors such as a maintenance 503
  included), so an unreachable town stops in seconds. Requests that wait in
  the downloader's queue at that moment are recorded as failed, not sent.

A refusal raises :class:`~spiders.url_policy.RefusedRequest` (an
``IgnoreRequest``), which Scrapy hands to the request's errback; the spider's
``on_error`` records it with ``"outcome": "refused"``.
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin, urlsplit

from scrapy.downloadermiddlewares.cookies import CookiesMiddleware
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers, HtmlResponse
from scrapy.responsetypes import responsetypes
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import get_meta_refresh
from twisted.internet import error as net_error
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived
from w3lib.url import safe_url_string

from spiders.url_policy import RefusedRequest, UrlPolicy

logger = logging.getLogger(__name__)

DECODING_ERROR = "content_decoding_error"  # request meta: why the body's Content-Encoding did not decode

CONNECTION_ERRORS = (
    net_error.TimeoutError,
    net_error.DNSLookupError,
    net_error.ConnectError,  # includes ConnectionRefusedError, TCPTimedOutError
    net_error.ConnectionDone,
    net_error.ConnectionLost,
    ResponseFailed,
    ResponseNeverReceived,
    TimeoutError,
    ConnectionError,
)


class RedirectLoop(IgnoreRequest):
    """A chain of redirects that did not end within REDIRECT_MAX_TIMES."""


class SourceUnreachable(IgnoreRequest):
    """The source stopped answering: the crawl is closed."""


def policy_of(spider) -> UrlPolicy | None:
    """Return the spider's URL policy, built once from its ``base_url`` and ``extra_hosts``."""
    policy = getattr(spider, "_url_policy", None)
    if policy is None and getattr(spider, "base_url", None):
        policy = UrlPolicy.for_spider(spider)
        spider._url_policy = policy
    return policy


class UrlPolicyMiddleware:
    """Refuses requests to other hosts, other schemes and internal addresses."""

    def process_request(self, request, spider):
        policy = policy_of(spider)
        if policy is not None:
            policy.check(request.url)
        return None


class _PolicyRedirectMixin:
    def _redirect(self, redirected, request, spider, reason):
        policy = policy_of(spider)
        reason_text = f"redirect ({reason}) from {request.url}"
        if policy is not None:
            refusal = policy.refusal(redirected.url)
            if refusal is not None:
                raise RefusedRequest(redirected.url, f"{reason_text}: {refusal}")
        try:
            result = super()._redirect(redirected, request, spider, reason)  # type: ignore[misc]
        except IgnoreRequest as exc:
            chain = [*request.meta.get("redirect_urls", []), request.url, redirected.url]
            raise RedirectLoop(
                f"redirect loop: more than {self.max_redirect_times} redirects "  # type: ignore[attr-defined]
                f"({' -> '.join(chain[:4])}{' …' if len(chain) > 4 else ''})"
            ) from exc
        # Bypass the duplicate filter: another URL may have redirected here already, and this
        # one must be answered (and recorded) under its own URL too. REDIRECT_MAX_TIMES bounds loops.
        result.dont_filter = True
        return result


class PolicyRedirectMiddleware(_PolicyRedirectMixin, RedirectMiddleware):
    """Scrapy's RedirectMiddleware, refusing redirects the URL policy does not allow."""

    def process_response(self, request, response, spider):
        location = response.headers.get("Location")
        if (
            response.status in (301, 302, 303, 307, 308)
            and location
            and not request.meta.get("dont_redirect", False)
            and not request.meta.get("handle_httpstatus_all", False)
            and response.status not in getattr(spider, "handle_httpstatus_list", [])
            and response.status not in request.meta.get("handle_httpstatus_list", [])
        ):
            target = safe_url_string(location)
            if location.startswith(b"//"):
                target = request.url.split(":", 1)[0] + ":" + target
            target = urljoin(request.url, target)
            policy = policy_of(spider)
            refusal = policy.refusal(target) if policy is not None else None
            if refusal is not None:
                # Scrapy itself would hand the 3xx on for a non-http target; say why instead.
                raise RefusedRequest(target, f"redirect ({response.status}) from {request.url}: {refusal}")
        return super().process_response(request, response, spider)


class PolicyMetaRefreshMiddleware(_PolicyRedirectMixin, MetaRefreshMiddleware):
    """Scrapy's MetaRefreshMiddleware, refusing refresh targets the URL policy does not allow."""


def taken_for_meta_refresh(url: str, body: bytes, content_type: str | None, settings) -> bool:
    """Tell whether the crawl took this answer for a redirect, not a page: a meta refresh it follows (or refuses).

    Scrapy's MetaRefreshMiddleware, as the crawl runs it, decides the same way:
    an HTML answer (by Scrapy's response types) with a refresh to an http(s)
    URL sooner than ``METAREFRESH_MAXDELAY``. A re-parse passes over it as
    over a 3xx answer.
    """
    if not settings.getbool("METAREFRESH_ENABLED"):
        return False
    headers = Headers({"Content-Type": content_type} if content_type else {})
    response_class = responsetypes.from_args(headers=headers, url=url, body=body)
    if not issubclass(response_class, HtmlResponse):
        return False
    interval, target = get_meta_refresh(response_class(url=url, body=body, headers=headers),
                                        ignore_tags=settings.getlist("METAREFRESH_IGNORE_TAGS"))
    return bool(target) and urlsplit(target).scheme in ("http", "https") and interval < settings.getint(
        "METAREFRESH_MAXDELAY")


class ContentDecodingMiddleware(HttpCompressionMiddleware):
    """Scrapy's HttpCompressionMiddleware, placed before the raw archive and keeping what it cannot decode.

    In the response's path it runs before ``RawArchiveMiddleware`` (a higher
    number in ``DOWNLOADER_MIDDLEWARES``), so the raw store keeps the page a
    server sent gzip- (or deflate-, br-) encoded as the page itself: the body
    the parser reads and a re-parse reads again. A body that does not decode
    (garbage under ``Content-Encoding: gzip``) goes on as it came, with the
    reason in ``meta["content_decoding_error"]``: the raw archive keeps it
    and the spider records the page as failed. A body that would decode to
    more than DOWNLOAD_MAXSIZE still ends the request, as in Scrapy.
    """

    def process_response(self, request, response, spider):
        try:
            return super().process_response(request, response, spider)
        except IgnoreRequest:
            raise
        except Exception as exc:
            encoding = b", ".join(response.headers.getlist("Content-Encoding")).decode("latin-1")
            request.meta[DECODING_ERROR] = f"Content-Encoding {encoding}: {type(exc).__name__}: {exc}"[:500]
            return response


class HostCookiesMiddleware(CookiesMiddleware):
    """Scrapy's CookiesMiddleware, asking the public suffix list only about cookies for other domains.

    Scrapy keeps a cookie whose domain is a public suffix only for exactly that
    host. A host-only cookie (no Domain attribute: its domain is the request's
    host) is kept for that host either way, so its answer is not needed.
    """

    def _process_cookies(self, cookies, *, jar, request):
        host = (urlparse_cached(request).hostname or "").lower()
        others = []
        for cookie in cookies:
            if cookie.domain == host:
                jar.set_cookie_if_ok(cookie, request)
            else:
                others.append(cookie)
        if others:
            super()._process_cookies(others, jar=jar, request=request)


class ReachabilityMiddleware:
    """Closes the spider when the source stops answering at the connection level."""

    def __init__(self, crawler, limit: int):
        self.crawler = crawler
        self.limit = limit
        self.failed_urls: set[str] = set()
        self.attempts = 0
        self.answered = False
        self.closing = False
        self.reason = ""

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getint("RATSINFO_MAX_CONSECUTIVE_FAILURES", 5))

    def process_response(self, request, response, spider):
        if not self.answered and (response.status >= 500 or response.status == 429) and self.limit > 0:
            # A source that has never answered but with server errors (down for maintenance)
            # is as unreachable as one that refuses connections.
            self.failed_urls.add(request.url)
            self.attempts += 1
            if self.attempts >= self.limit and not self.closing:
                self._close(spider, f"unreachable: {self.attempts} answers with HTTP {response.status} and no other "
                                    f"answer (last on {request.url})")
                raise SourceUnreachable(self.reason)
            return response
        self.answered = True
        self.failed_urls.clear()
        self.attempts = 0
        return response

    def process_request(self, request, spider):
        if self.closing:
            raise SourceUnreachable(f"not fetched: the crawl was closed ({self.reason})")
        return None

    def process_exception(self, request, exception, spider):
        if self.limit <= 0 or not isinstance(exception, CONNECTION_ERRORS):
            return None
        if self.closing:  # no retries any more: say what happened and why the crawl stopped
            raise SourceUnreachable(f"{_describe(exception)}; the crawl was closed ({self.reason})")
        self.failed_urls.add(request.url)
        self.attempts += 1
        count = len(self.failed_urls)
        if count < self.limit and (self.answered or self.attempts < self.limit):
            return None
        what = f"{count} consecutive connection failures" if count >= self.limit else (
            f"{self.attempts} connection failures and no answer")
        self._close(spider, f"unreachable: {what} (last: {_describe(exception)} on {request.url})")
        # Raised instead of retrying: the errback records this URL as failed with the reason.
        raise SourceUnreachable(self.reason)

    def _close(self, spider, reason: str) -> None:
        self.closing = True
        self.reason = reason
        logger.error("closing the crawl: %s", reason)
        from twisted.internet import reactor  # imported here: at module level it would install the default reactor

        queued = self._take_queued()
        reactor.callLater(0, self._fail_unsent, queued)
        self.crawler.engine.close_spider(spider, reason[:300])

    def _take_queued(self) -> list:
        """Take the requests waiting in the downloader's queues out of them, unsent: the source is down.

        They passed ``process_request`` before the crawl was closed, and
        Scrapy's downloader would still send each of them (a burst, with the
        politeness delay between them gone once the crawl closes). They are
        taken at once, so that no answer arriving before they are failed can
        make room for one of them; requests already on the wire are answered
        as usual.
        """
        downloader = getattr(self.crawler.engine, "downloader", None)
        taken = []
        for slot in list(getattr(downloader, "slots", {}).values()):
            queue = getattr(slot, "queue", None)
            while queue:
                taken.append(queue.popleft())
        return taken

    def _fail_unsent(self, taken: list) -> None:
        """End each taken request at its errback as failed with the reason, like one refused after the close.

        Called on the reactor's next turn, outside the answer that closed the crawl.
        """
        for _request, deferred in taken:
            deferred.errback(SourceUnreachable(f"not fetched: the crawl was closed ({self.reason})"))


def _describe(exception: BaseException) -> str:
    """Return an exception as one short line, its class name first."""
    text = str(exception).strip() or type(exception).__name__
    return f"{type(exception).__name__}: {text}"[:200] if type(exception).__name__ not in text else text[:200]
