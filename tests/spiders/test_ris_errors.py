"""``RisSpider.on_error`` never crashes, records every failure with its outcome, and recovers only real responses."""

from __future__ import annotations

import json

import scrapy
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionLost, DNSLookupError, TimeoutError as TwistedTimeout
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed
from twisted.web.client import PartialDownloadError

from schemas.staging import JsonlWriter
from spiders.middlewares import RedirectLoop
from spiders.ris import RisSpider
from spiders.url_policy import RefusedRequest


class RecordingSession:
    """An OParl-like session whose ``recover`` notes what it was handed."""

    def __init__(self):
        self.handed = []

    def recover(self, url, status, body, meta):
        self.handed.append((status, body))
        return None


class TwistedResponse:
    """What twisted.web hands in ResponseFailed.response: no ``.status``, ``.code`` instead."""

    code = 200


def _spider(tmp_path):
    spider = RisSpider(source="s", base_url="http://127.0.0.1:8765/oparl/")
    spider.failure_log = JsonlWriter(tmp_path / "failures.jsonl")
    spider.session = RecordingSession()
    return spider


def _fail(spider, exc, url="http://127.0.0.1:8765/oparl/papers", **meta):
    failure = Failure(exc)
    failure.request = scrapy.Request(url, meta={"link_kind": "list", **meta})
    assert list(spider.on_error(failure)) == []


def test_every_kind_of_failure_is_recorded_without_crashing(tmp_path):
    spider = _spider(tmp_path)
    reset = ResponseFailed([Failure(ConnectionLost("reset"))], response=TwistedResponse())
    partial = PartialDownloadError(b"200", b"OK", b"<html><body>half")
    partial.response = b"<html><body>half"  # Twisted's partial body, not a response
    not_found = HtmlResponse("http://127.0.0.1:8765/oparl/papers", status=404, body=b"nope")
    _fail(spider, reset)
    _fail(spider, partial)
    _fail(spider, DNSLookupError("no such host"))
    _fail(spider, TwistedTimeout("took longer than 60 seconds"))
    _fail(spider, HttpError(not_found, "Ignoring non-200 response"))
    _fail(spider, RedirectLoop("redirect loop: more than 10 redirects (a -> b)"))
    _fail(spider, RefusedRequest("file:///etc/passwd", "scheme file:// is not fetched"),
          url="http://127.0.0.1:8765/oparl/x", redirect_urls=["http://127.0.0.1:8765/oparl/first"])
    _fail(spider, scrapy.exceptions.IgnoreRequest("Forbidden by robots.txt"))
    spider.failure_log.close()
    records = [json.loads(line) for line in (tmp_path / "failures.jsonl").read_text().splitlines()]
    assert [r["outcome"] for r in records] == ["failed"] * 6 + ["refused"] * 2
    errors = [r["error"] for r in records]
    assert "connection broke during the response" in errors[0] and "ConnectionLost" in errors[0]
    assert "PartialDownloadError" in errors[1]
    assert errors[2].startswith("fetch failed: DNS lookup failed")
    assert errors[3].startswith("fetch failed: timeout")
    assert errors[4] == "fetch failed: HTTP 404" and records[4]["status"] == 404
    assert "redirect loop" in errors[5]
    assert records[6]["url"] == "http://127.0.0.1:8765/oparl/first" and records[6]["finalUrl"] == "file:///etc/passwd"
    assert errors[7] == "refused: forbidden by robots.txt"
    # Only the Scrapy response (the 404) was handed to the recovery path.
    assert spider.session.handed == [(404, b"nope")]
    assert spider.failures == 8
