"""Downloader middleware: keep every fetched page before anything parses it.

The body is written to the raw store by a thread of its own: creating and
renaming a file costs about a millisecond a page on a busy disk, time in which
the reactor goes on downloading and parsing other pages. The response itself
waits for its body to be stored, so a page is still parsed (and its request
marked done in the frontier) only after its raw body is on disk.
"""

from __future__ import annotations

from pathlib import Path

from scrapy import signals

from schemas.raw_store import RawStore
from schemas.staging import JsonlWriter, StagingArea, utcnow


class RawArchiveMiddleware:
    """Stores each response body in the raw store and logs it in pages.jsonl."""

    def __init__(self, data_dir: Path, crawl_id: str):
        self.store = RawStore(data_dir)
        self.pages = JsonlWriter(StagingArea(data_dir, crawl_id).create().pages_path)
        self._writer = None  # one thread: bodies are stored, and their pages logged, in the order they came
        self._trigger = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        middleware = cls(Path(settings["RATSINFO_DATA_DIR"]), settings["RATSINFO_CRAWL_ID"])
        crawler.signals.connect(middleware.engine_stopped, signal=signals.engine_stopped)
        return middleware

    def process_response(self, request, response, spider):
        # Imported here: importing the reactor at module level (Scrapy's spider loader imports
        # every module under spiders/) would install the default reactor before Scrapy's asyncio one.
        from twisted.internet import reactor
        from twisted.internet.threads import deferToThreadPool
        from twisted.python.threadpool import ThreadPool

        if self._writer is None:
            self._writer = ThreadPool(minthreads=1, maxthreads=1, name="raw-store")
            self._writer.start()
            # Stopped with the engine; should the reactor stop without it, its thread must not keep
            # the process alive.
            self._trigger = reactor.addSystemEventTrigger("during", "shutdown", self._stop_writer)
        fetched_at = utcnow()
        stored = deferToThreadPool(reactor, self._writer, self.store.put, response.body)
        return stored.addCallback(self._stored, request, response, fetched_at)

    def _stored(self, sha256: str, request, response, fetched_at):
        self.pages.write(
            {
                "url": response.url,
                "requestUrl": request.url,
                "fetchedAt": fetched_at.isoformat(),
                "status": response.status,
                "contentType": (response.headers.get("Content-Type") or b"").decode("latin-1"),
                "sha256": sha256,
                "kind": request.meta.get("link_kind"),
                "bytes": len(response.body),
            }
        )
        # The response is tied to its request only after the middlewares: write to the request's meta.
        request.meta["raw_sha256"] = sha256
        request.meta["fetched_at"] = fetched_at
        return response

    def engine_stopped(self):
        if self._writer is not None:
            from twisted.internet import reactor

            reactor.removeSystemEventTrigger(self._trigger)
            self._stop_writer()
        self.pages.close()

    def _stop_writer(self):
        if self._writer is not None:
            self._writer.stop()  # every body is stored by now: each response waited for its own
            self._writer = None
