"""Faults of the OParl preference: the linked OParl server missing, or not on the source's hosts.

The crawl falls back to the page's HTML dialect, records why in failures.jsonl
and in the crawl summary (``dialect.fallback``), and never fetches another host.
"""

from __future__ import annotations

import json

import pytest

from flows.source_run import run_source
from flows.sources import Source
from tests.oparl_server import OParlTestServer
from tests.spiders.test_oparl_preferred import FAST, html_page_linking


@pytest.fixture(scope="module")
def server(corpus_dir):
    with OParlTestServer(corpus_dir, karlsruhe_papers=0, page_size=100) as srv:
        yield srv


def crawl(server, tmp_path, href: str):
    html_url = server.serve_bytes(f"/fault{len(server.documents)}/vorgang/", html_page_linking(href))
    mark = len(server.requests)
    result = run_source(Source(slug="teststadt", base_url=html_url), tmp_path / "data", tmp_path / "w.duckdb",
                        settings=FAST)
    failures = [json.loads(line) for line in
                (tmp_path / "data" / "staging" / result.crawl_id / "failures.jsonl").read_text().splitlines()]
    return result, failures, server.requests_since(mark)


@pytest.mark.fault(kind="linked OParl server answers 404", outcome="recorded")
def test_a_missing_oparl_server_is_recorded_and_the_html_dialect_crawls(server, tmp_path):
    result, failures, requests = crawl(server, tmp_path, "/nowhere/webservice/oparl/v1.0/system")
    dialect = result.manifest["dialect"]
    assert result.manifest["system"] == "sdnet" and dialect["used"] == "sdnet" and dialect["detected"] == "sdnet"
    assert dialect["fallback"] == f"{server.base}/nowhere/webservice/oparl/v1.0/system: HTTP 404"
    (record,) = [f for f in failures if f["kind"] == "oparl_system"]
    assert record["outcome"] == "failed" and record["status"] == 404 and record["error"] == "fetch failed: HTTP 404"
    # The SD.NET crawl went on from the page: its calendar export was asked for.
    assert any("termine" in r["path"] or r["path"].endswith(".ics") for r in requests), requests


@pytest.mark.fault(kind="linked OParl endpoint is no System", outcome="recorded")
def test_an_oparl_link_to_something_else_is_recorded_and_the_html_dialect_crawls(server, tmp_path):
    # The interface is down for maintenance: an HTML page with status 200 where the System should be.
    url = server.serve_bytes("/odd/webservice/oparl/v1.0/system", b"<html><body>Wartungsarbeiten</body></html>")
    result, failures, _ = crawl(server, tmp_path, "/odd/webservice/oparl/v1.0/system")
    assert result.manifest["dialect"]["used"] == "sdnet"
    assert result.manifest["dialect"]["fallback"] == f"{url} is no OParl System (page kind not OParl, HTTP 200)"
    (record,) = [f for f in failures if f["kind"] == "oparl_system"]
    assert record["outcome"] == "failed" and record["error"].startswith("OParl server unusable: ")


@pytest.mark.fault(kind="linked OParl server on another host", outcome="refused")
def test_an_oparl_server_off_the_sources_hosts_is_refused_and_the_html_dialect_crawls(server, tmp_path):
    result, failures, requests = crawl(server, tmp_path, "https://oparl.elsewhere.example/webservice/oparl/v1.0/system")
    dialect = result.manifest["dialect"]
    assert dialect["used"] == "sdnet" and dialect["fallback"].startswith("OParl server refused: ")
    (record,) = [f for f in failures if f["kind"] == "oparl_system"]
    assert record["outcome"] == "refused" and record["url"] == "https://oparl.elsewhere.example/webservice/oparl/v1.0/system"
    assert all(not r["path"].startswith("/webservice") for r in requests)
