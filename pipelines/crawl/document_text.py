"""Crawl-time step of the documents stage: judge each downloaded document and read its text.

``spiders.documents`` yields a File update per downloaded document with the
SHA-256 of its bytes in the raw store; this item pipeline reads the bytes
back, decides what they are (``pipelines.crawl.documents.document_from_download``:
the document, a login page, an HTML error page, a truncated PDF, a scan
without text layer …) and fills ``text`` and ``textStatus``. Bytes that are
not the document are recorded in the stage's ``failures.jsonl`` (outcome
``failed``) and never stored as text. Extraction runs in a worker thread so
downloads go on meanwhile.
"""

from __future__ import annotations

from pathlib import Path

from twisted.internet import threads

from schemas.items import File
from pipelines.crawl.documents import DocumentText, document_from_download
from schemas.raw_store import RawStore

# Statuses that say what a real document holds: not failures (a scan has no text, a
# Word file is not read, a huge file is not parsed; nothing would change on a retry).
DOCUMENT_STATUSES = frozenset({"ok", "no_text_layer", "unsupported"})


class DocumentTextPipeline:
    """Scrapy item pipeline: fill ``text``/``textStatus`` of downloaded File updates from the raw store."""

    def __init__(self, data_dir: Path, max_bytes: int, timeout_s: float):
        self.store = RawStore(data_dir)
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s
        self._recorded: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(
            Path(settings["RATSINFO_DATA_DIR"]),
            settings.getint("RATSINFO_MAX_FILE_BYTES", 20_000_000),
            settings.getfloat("RATSINFO_DOCUMENT_TEXT_TIMEOUT", 30.0),
        )

    async def process_item(self, item, spider):
        if not isinstance(item, File) or item.textStatus is not None or not item.sha256:
            return item  # not downloaded (already judged by the spider: refused, fetch_failed …)
        from scrapy.utils.defer import deferred_to_future

        result: DocumentText = await deferred_to_future(threads.deferToThread(self.judge, item))
        item.text = result.text or None
        item.textStatus = result.status
        if result.status not in DOCUMENT_STATUSES and item.textUrl not in self._recorded:
            self._recorded.add(item.textUrl or "")
            error = f"{result.status}: {result.detail or 'not the document'}"
            spider.record_failure(item.textUrl or item.accessUrl or "", error, sha256=item.sha256, outcome="failed")
        return item

    def judge(self, item: File) -> DocumentText:
        """Return what the stored bytes of a downloaded File are, with their text."""
        return document_from_download(
            self.store.get(item.sha256 or ""),
            file_name=item.fileName,
            mime_type=item.mimeType,
            url=item.accessUrl,
            max_bytes=self.max_bytes,
            timeout_s=self.timeout_s,
        )
