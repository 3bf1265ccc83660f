"""Crawl-time step: append every item the spider yields to the crawl's ``items.jsonl``.

The staging area itself (folder layout, writers, readers) is the contract in
``schemas.staging``; this is the Scrapy item pipeline that writes into it.
"""

from __future__ import annotations

import inspect
import logging
import time
from pathlib import Path
from typing import Any

from scrapy.exceptions import DropItem
from twisted.internet.defer import Deferred

from schemas.items import ITEM_FIELDS
from schemas.staging import JsonlWriter, StagedLines, StagingArea

logger = logging.getLogger(__name__)

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
        # stagedKeys of an earlier run goes first: this run appends lines it does not list.
        self.staging.create().update_manifest(itemFields=ITEM_FIELDS, stagedKeys=None, stagedKeysBytes=None)
        self.writer = JsonlWriter(self.staging.items_path)

    def close_spider(self, spider):
        if self.writer:
            self.writer.close()
            # The load reads only these fields: known only when this run wrote items.jsonl from its first line.
            self.staging.record_staged_keys(self.writer.staged_keys())

    def process_item(self, item, spider):
        assert self.writer is not None
        if isinstance(item, StagedLines):  # a page's items, normalised and written out by reading the page
            self.writer.write_lines(item)  # flushed: the frontier marks the page done only after this
            counts = item.counts
        else:  # an item (the documents spider's)
            data = item.to_staged()
            self.writer.write(data)
            counts = {data["type"]: 1}
        for kind, count in counts.items():
            self.counts[kind] = self.counts.get(kind, 0) + count
        now = time.monotonic()
        if now - self._synced > SYNC_SECONDS:
            self.writer.sync()
            self._synced = now
        return item


class PageItemsMiddleware:
    """Spider middleware: run a page's items (``StagedLines``) through the item pipelines as its callback yields them.

    Scrapy's item machinery costs a page's batch two trips through asyncio
    futures, a chain of deferreds, a log record and a signal: more than
    appending its lines to items.jsonl. The crawl's pipelines are plain
    functions, so a batch is handed to them here, in order, while the
    callback's output is read. The frontier's contract holds unchanged:
    the page's items are flushed to ``items.jsonl`` before its callback has
    run to its end. An exception in a pipeline ends the callback as an
    error, recorded with the page (Scrapy would log it and mark the page
    done). Anything but a batch goes on to Scrapy as before, and so does
    every batch when a pipeline is a coroutine function.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self._pipelines: list | None = None  # the item pipelines' process_item, or [] to leave batches to Scrapy

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _steps(self) -> list:
        if self._pipelines is None:
            manager = self.crawler.engine.scraper.itemproc
            steps = [pipe.process_item for pipe in manager.middlewares if hasattr(pipe, "process_item")]
            plain = all(not inspect.iscoroutinefunction(step) and not inspect.isasyncgenfunction(step)
                        for step in steps)
            self._pipelines = steps if plain and steps else []
        return self._pipelines

    def _stage(self, batch: StagedLines, spider) -> bool:
        """Pass ``batch`` through the pipelines; False when Scrapy has to (a pipeline answered with a Deferred)."""
        steps = self._steps()
        if not steps:
            return False
        item: Any = batch
        for step in steps:
            try:
                item = step(item, spider)
            except DropItem as exc:
                logger.warning("dropped the items of a page: %s", exc)
                return True
            if isinstance(item, Deferred) or inspect.isawaitable(item):
                raise TypeError(f"item pipeline {step!r} returned {item!r} for a page's items: not supported here")
        return True

    def process_spider_output(self, response, result, spider):
        for output in result:
            if isinstance(output, StagedLines) and self._stage(output, spider):
                continue
            yield output

    async def process_spider_output_async(self, response, result, spider):
        async for output in result:
            if isinstance(output, StagedLines) and self._stage(output, spider):
                continue
            yield output
