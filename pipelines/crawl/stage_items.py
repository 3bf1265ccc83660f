"""Crawl-time step: append every item the spider yields to the crawl's ``items.jsonl``.

The staging area itself (folder layout, writers, readers) is the contract in
``schemas.staging``; this is the Scrapy item pipeline that writes into it.
"""

from __future__ import annotations

import time
from pathlib import Path

from schemas.items import ItemBatch
from schemas.staging import JsonlWriter, StagingArea

SYNC_SECONDS = 5.0  # how often the staged items are fsync'd while a crawl runs


class StagingPipeline:
    """Scrapy item pipeline: append every item to the crawl's items.jsonl."""

    def __init__(self, staging: StagingArea):
        self.staging = staging
        self.writer: JsonlWriter | None = None
        self.counts: dict[str, int] = {}
        self._synced = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        return cls(StagingArea(Path(settings["RATSINFO_DATA_DIR"]), settings["RATSINFO_CRAWL_ID"]))

    def open_spider(self, spider):
        self.writer = JsonlWriter(self.staging.create().items_path)

    def close_spider(self, spider):
        if self.writer:
            self.writer.close()

    def process_item(self, item, spider):
        assert self.writer is not None
        rows = [one.to_dict() for one in item.items] if isinstance(item, ItemBatch) else [item.to_dict()]
        self.writer.write_many(rows)  # flushed: the frontier marks the page done only after this
        for data in rows:
            self.counts[data["type"]] = self.counts.get(data["type"], 0) + 1
        now = time.monotonic()
        if now - self._synced > SYNC_SECONDS:
            self.writer.sync()
            self._synced = now
        return item
