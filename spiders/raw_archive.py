"""Downloader middleware: keep every fetched page before anything parses it."""

from __future__ import annotations

from pathlib import Path

from schemas.raw_store import RawStore
from schemas.staging import JsonlWriter, StagingArea, utcnow


class RawArchiveMiddleware:
    """Stores each response body in the raw store and logs it in pages.jsonl."""

    def __init__(self, data_dir: Path, crawl_id: str):
        self.store = RawStore(data_dir)
        self.pages = JsonlWriter(StagingArea(data_dir, crawl_id).create().pages_path)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(Path(settings["RATSINFO_DATA_DIR"]), settings["RATSINFO_CRAWL_ID"])

    def process_response(self, request, response, spider):
        fetched_at = utcnow()
        sha256 = self.store.put(response.body)
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
