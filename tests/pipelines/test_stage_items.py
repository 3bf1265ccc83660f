"""pipelines.crawl.stage_items: a page's items reach items.jsonl through the pipelines, without Scrapy's item machinery."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import DropItem

from pipelines.crawl.stage_items import PageItemsMiddleware, StagingPipeline
from schemas.items import Meeting
from schemas.staging import StagedLines, StagingArea, utcnow
from pipelines.normalise.items import normalised_lines


def _middleware(*pipelines) -> PageItemsMiddleware:
    crawler = SimpleNamespace(engine=SimpleNamespace(scraper=SimpleNamespace(
        itemproc=SimpleNamespace(middlewares=pipelines))))
    return PageItemsMiddleware(crawler)


def _page(n: int) -> StagedLines:
    """Return a page's items as reading the page hands them on."""
    lines = normalised_lines([Meeting(source="musterstadt", system="allris_classic", systemId=str(i), dateRaw="15.09.2026")
                              for i in range(n)], utcnow())
    assert lines is not None
    return lines


def test_a_pages_items_are_normalised_and_staged_while_the_callback_runs(tmp_path):
    staging = StagingArea(tmp_path, "c").create()
    stage = StagingPipeline(staging)
    spider = Spider("t")
    stage.open_spider(spider)
    middleware = _middleware(stage)
    follow = Request("http://127.0.0.1/next")
    output = middleware.process_spider_output(None, iter([_page(3), follow]), spider)
    assert next(output) is follow  # requests go on to Scrapy ...
    staged = list(staging.read_items())  # ... after the page's items are in items.jsonl, flushed
    assert [(i["type"], i["systemId"], i["date"]) for i in staged] == [("Meeting", str(i), "2026-09-15") for i in range(3)]
    assert list(output) == []
    assert stage.counts == {"Meeting": 3}
    stage.close_spider(spider)


def test_batches_go_to_scrapy_when_a_pipeline_is_a_coroutine():
    class Async:
        async def process_item(self, item, spider):
            return item

    batch = _page(1)
    middleware = _middleware(Async())
    assert list(middleware.process_spider_output(None, iter([batch]), Spider("t"))) == [batch]


def test_a_dropped_page_is_logged_and_not_staged(caplog):
    class Drop:
        def process_item(self, item, spider):
            raise DropItem("not wanted")

    class Never:
        def process_item(self, item, spider):
            raise AssertionError("reached after a drop")

    middleware = _middleware(Drop(), Never())
    assert list(middleware.process_spider_output(None, iter([_page(2)]), Spider("t"))) == []
    assert "not wanted" in caplog.text


def test_a_failing_pipeline_ends_the_callback_with_its_error():
    class Broken:
        def process_item(self, item, spider):
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        list(_middleware(Broken()).process_spider_output(None, iter([_page(1)]), Spider("t")))


def test_a_staged_line_holds_the_fields_with_a_value_and_loads_the_others_as_null(tmp_path):
    from pipelines.warehouse.load import connect, load_crawl
    from schemas.items import item_from_dict

    staging = StagingArea(tmp_path, "c").create()
    staging.update_manifest(crawlId="c", source="musterstadt", startedAt="2026-11-01T02:00:00+00:00", status="finished")
    stage = StagingPipeline(staging)
    spider = Spider("t")
    stage.open_spider(spider)
    meeting = Meeting(source="musterstadt", system="allris_classic", systemId="7", name="Integrationsrat", cancelled=False)
    stage.process_item(meeting, spider)
    stage.close_spider(spider)
    from schemas.items import ITEM_FIELDS

    assert staging.read_manifest()["itemFields"] == ITEM_FIELDS  # what the load compares with its own
    # Every key of the lines, so the load reads only these fields.
    assert staging.staged_keys() == ["cancelled", "deleted", "isStub", "name", "source", "system", "systemId", "type"]
    (line,) = list(staging.read_items())
    assert line == {"type": "Meeting", "source": "musterstadt", "system": "allris_classic", "systemId": "7",
                    "name": "Integrationsrat", "cancelled": False, "deleted": False, "isStub": False}
    assert item_from_dict(line) == meeting  # the line is the whole item
    con = connect(tmp_path / "w.duckdb")
    load_crawl(staging, con)
    name, cancelled, locality, date = con.execute('SELECT "name", "cancelled", "locality", "date" FROM meeting').fetchone()
    assert (name, cancelled, locality, date) == ("Integrationsrat", False, None, None)


def test_a_resumed_crawl_lists_no_staged_keys_its_run_did_not_see_written(tmp_path):
    """A second run appends to items.jsonl: the keys of the first run's lines are not known to it."""
    staging = StagingArea(tmp_path, "c").create()
    spider = Spider("t")
    first = StagingPipeline(staging)
    first.open_spider(spider)
    first.process_item(Meeting(source="musterstadt", system="allris_classic", systemId="7", room="Saal 1"), spider)
    first.close_spider(spider)
    assert "room" in staging.staged_keys()
    second = StagingPipeline(staging)  # resumed after a kill: the first run's manifest still lists its keys
    second.open_spider(spider)
    assert staging.read_manifest()["stagedKeys"] is None and staging.staged_keys() is None
    second.process_item(Meeting(source="musterstadt", system="allris_classic", systemId="8", name="Rat"), spider)
    second.close_spider(spider)
    assert staging.staged_keys() is None  # the load reads every field
