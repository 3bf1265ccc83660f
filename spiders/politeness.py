"""Back off from a struggling server instead of hammering it with retries.

Scrapy's stock RetryMiddleware re-queues a failed request at once. Council
servers that answer 429 or 5xx are usually overloaded, so this middleware
waits before each retry: the server's ``Retry-After`` when it sends one,
otherwise an exponential delay (base · 2^attempt, capped). It also raises
the host's download delay so the other queued requests slow down too.
"""

from __future__ import annotations

import email.utils
import logging
import time

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.defer import deferred_from_coro, deferred_to_future
from scrapy.utils.response import response_status_message

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Return the wait a ``Retry-After`` header asks for, in seconds, or None."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings, crawler=None):
        super().__init__(settings)
        self.crawler = crawler
        self.base = settings.getfloat("RATSINFO_RETRY_BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("RATSINFO_RETRY_BACKOFF_MAX", 300.0)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings, crawler)

    def backoff_seconds(self, request, response=None) -> float:
        """Return how long to wait before retrying ``request``."""
        attempt = request.meta.get("retry_times", 0)
        asked = retry_after_seconds(response.headers.get("Retry-After")) if response is not None else None
        if asked is not None:
            return min(asked, self.cap)
        return min(self.base * (2**attempt), self.cap)

    # Plain methods, not coroutines: Scrapy runs a coroutine middleware method as an asyncio
    # task, two trips through the event loop for every response. Only a retry, which has to
    # wait, goes that way (a Deferred of the coroutine below).
    def process_response(self, request, response, spider):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status), spider)
        if retry is None:
            return response
        return deferred_from_coro(self._after_wait(retry, request, self.backoff_seconds(request, response), spider))

    def process_exception(self, request, exception, spider):
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        retry = self._retry(request, exception, spider)
        if retry is None:
            return None
        return deferred_from_coro(self._after_wait(retry, request, self.backoff_seconds(request), spider))

    async def _after_wait(self, retry, request, seconds: float, spider):
        await self._wait(request, seconds, spider)
        return retry

    async def _wait(self, request, seconds: float, spider) -> None:
        logger.info("backing off %.1fs before retrying %s", seconds, request.url)
        self._slow_down_host(request, seconds)
        # Imported here: importing the reactor at module level (Scrapy's spider loader imports
        # every module under spiders/) would install the default reactor before Scrapy's asyncio one.
        from twisted.internet import reactor, task

        await deferred_to_future(task.deferLater(reactor, seconds, lambda: None))

    def _slow_down_host(self, request, seconds: float) -> None:
        engine = getattr(self.crawler, "engine", None) if self.crawler else None
        downloader = getattr(engine, "downloader", None)
        if downloader is None:
            return
        key = request.meta.get("download_slot") or downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay = min(max(slot.delay, seconds / 2), self.cap)
