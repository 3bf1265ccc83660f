"""Downloader middleware: keep every fetched page before anything parses it."""

from __future__ import annotations

from pathlib import Path

from scrapy import signals

from schemas.raw_store import RawStore
from schemas.staging import JsonlWriter, StagingArea, utcnow
from spiders.middlewares import DECODING_ERROR


class RawArchiveMiddleware:
    """Stores each response body in the raw store and logs it in pages.jsonl.

    The body is in the raw store (written and flushed) before its line in
    ``pages.jsonl``, and both before the response goes on to be parsed.
    """

    def __init__(self, data_dir: Path, crawl_id: str):
        self.store = RawStore(data_dir, crawl_id)
        self.pages = JsonlWriter(StagingArea(data_dir, crawl_id).create().pages_path)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        middleware = cls(Path(settings["RATSINFO_DATA_DIR"]), settings["RATSINFO_CRAWL_ID"])
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_closed(self, spider):
        self.store.close()
        self.pages.close()

    def process_response(self, request, response, spider):
        fetched_at = utcnow()
        body = response.body
        sha256, location = self.store.store(body)
        record = {
            "url": response.url,
            "requestUrl": request.url,
            "fetchedAt": fetched_at.isoformat(),
            "status": response.status,
            "contentType": (response.headers.get("Content-Type") or b"").decode("latin-1"),
            "sha256": sha256,
            "kind": request.meta.get("link_kind"),
            "bytes": len(body),
        }
        if location is not None:  # where the raw store keeps it (RawStore.get reads it back from there)
            record.update(rawPack=location.pack, rawOffset=location.offset, rawLength=location.length)
        if request.meta.get("redirect_urls"):  # the URL the crawl asked for (its frontier row), redirected here
            record["redirectedFrom"] = request.meta["redirect_urls"][0]
        # What is wrong with the answer itself: the spider never reads it as the page, nor does a re-parse.
        if "dataloss" in (response.flags or []):
            record["truncated"] = True  # shorter than its Content-Length
        if request.meta.get(DECODING_ERROR):
            record["decodingError"] = request.meta[DECODING_ERROR]  # kept as it came
        self.pages.write(record)
        # The response is tied to its request only after the middlewares: write to the request's meta.
        request.meta["raw_sha256"] = sha256
        request.meta["fetched_at"] = fetched_at
        return response
