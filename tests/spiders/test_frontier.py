"""The frontier's grouped commits: what a killed process leaves on disk, and the cheap request records."""

from __future__ import annotations

import inspect
import sqlite3

import pytest
import scrapy
from scrapy import Request
from scrapy.utils.misc import is_generator_with_return_value

from spiders.documents import DocumentsSpider
from spiders.frontier import Frontier, request_record
from spiders.ris import RisSpider


def _committed(path) -> dict[str, str]:
    """Return key -> state as another process sees the file (committed rows only)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dict(con.execute("SELECT key, state FROM request").fetchall())
    finally:
        con.close()


def _kill(frontier: Frontier) -> None:
    """Drop the connection the way a kill -9 does: the open transaction is never committed."""
    frontier.db.close()


def test_a_kill_loses_the_open_group_whole_never_a_planned_request_of_a_done_page(tmp_path):
    path = tmp_path / "frontier.sqlite"
    frontier = Frontier(path)
    frontier.plan("parent|parse_page", Request("http://x/parent"), b"parent")
    frontier.commit()
    # The parent's page yields a child, then ends: both in the open group.
    frontier.plan("child|parse_page", Request("http://x/child"), b"child")
    frontier.finish("parent|parse_page", "done")
    assert frontier.state("parent|parse_page") == "done"  # the crawl itself sees its own writes
    assert _committed(path) == {"parent|parse_page": "pending"}  # nobody else does yet
    _kill(frontier)

    resumed = Frontier(path)
    # The parent is queued again and will yield its child again: nothing lost, one page fetched twice.
    assert list(resumed.pending()) == [("parent|parse_page", b"parent")]
    assert resumed.state("child|parse_page") is None
    resumed.db.close()


def test_a_commit_makes_the_group_visible_and_rows_commit_by_count(tmp_path):
    path = tmp_path / "frontier.sqlite"
    frontier = Frontier(path, commit_rows=3)
    for i in range(7):
        frontier.plan(f"k{i}|parse_page", Request(f"http://x/{i}"), None)
    for i in range(3):
        frontier.finish(f"k{i}|parse_page", "done")
    # The third request to end committed the group, the plans of all seven with it.
    assert _committed(path) == {**{f"k{i}|parse_page": "done" for i in range(3)},
                                **{f"k{i}|parse_page": "pending" for i in range(3, 7)}}
    frontier.finish("k3|parse_page", "failed", "HTTP 500")
    assert _committed(path)["k3|parse_page"] == "pending"
    frontier.close()  # closing commits
    assert _committed(path)["k3|parse_page"] == "failed"
    assert frontier.commits == 2


def test_states_are_read_once_and_follow_the_writes(tmp_path):
    path = tmp_path / "frontier.sqlite"
    first = Frontier(path)
    first.plan("a|parse_page", Request("http://x/a"), None)
    first.finish("a|parse_page", "done")
    first.close()
    frontier = Frontier(path)
    assert frontier.state("a|parse_page") == "done"
    frontier.reopen("a|parse_page")
    assert frontier.state("a|parse_page") == "pending"
    frontier.plan("b|parse_page", Request("http://x/b"), None)
    assert frontier.state("b|parse_page") == "pending"
    frontier.close()


class _Spider(scrapy.Spider):
    name = "records"

    def parse_page(self, response):
        yield None

    def on_error(self, failure):
        return None


def _elsewhere(response):
    return None


@pytest.mark.parametrize("request_", [
    Request("http://x/a?b=1", meta={"link_kind": "vo020", "link_meta": {"n": 1}}, headers={"Wicket-Ajax": "true"},
            priority=3, dont_filter=True),
    Request("http://x/"),
    scrapy.FormRequest("http://x/form", formdata={"a": "1"}),
], ids=["callbacks", "no callbacks", "form request"])
def test_request_records_equal_scrapys_own(request_):
    spider = _Spider()
    request_ = request_.replace(callback=spider.parse_page, errback=spider.on_error) if "a?b" in request_.url else request_
    assert request_record(request_, spider) == request_.to_dict(spider=spider)


def test_a_callback_that_is_no_spider_method_is_refused_as_scrapy_refuses_it():
    with pytest.raises(ValueError):
        request_record(Request("http://x/", callback=_elsewhere), _Spider())


def test_no_spider_callback_is_a_generator_returning_a_value():
    """Scrapy's per-response check is off (WARN_ON_GENERATOR_RETURN_VALUE); it is made here, once per callback."""
    def returns_a_value(response):
        yield 1
        return 2  # Scrapy would drop this value: what the check is for

    assert is_generator_with_return_value(returns_a_value)
    checked = 0
    for spider_class in (RisSpider, DocumentsSpider):
        for name, function in inspect.getmembers(spider_class, inspect.isfunction):
            if inspect.isgeneratorfunction(function):
                checked += 1
                assert not is_generator_with_return_value(function), f"{spider_class.__name__}.{name}"
    assert checked >= 4
