"""End to end: a crawl of an SD.NET RIM install loads every meeting, agenda item, paper, consultation and file.

The site is "Stadt Sternhagen" (``tests/sites/build_sdnet.py``) under ``/rim4711/``,
written for the address of the local server (SD.NET prints absolute links) and
served by ``flows.demo_site``. The crawl starts at the calendar export, reads the
meeting pages it links, the processes of their papers and the papers' documents.
"""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest

from flows.demo_site import serve_demo
from pipelines.crawl.parse_rate import degraded_fields
from spiders.dialects import Page, detect
from tests.sites import build_sdnet
from tests.sites.common import crawl_load_and_fetch

SOURCE = "sternhagen"
CRAWL_ID = "sdnet-e2e"


@pytest.fixture()
def served(tmp_path):
    """The Sternhagen site, written for and served by one local server (port 0)."""
    root = tmp_path / "site"
    root.mkdir()
    with serve_demo(root=root) as server:
        yield server, build_sdnet.build(root, server.base_url)


def fetch(base_url: str, target: str) -> tuple[int, str, bytes]:
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", target)
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        conn.close()


def test_the_start_page_is_recognised_as_sdnet(served):
    server, site = served
    status, content_type, body = fetch(server.base_url, site.base_path)
    module, evidence = detect(Page.from_bytes(server.base_url + site.base_path, body, content_type))
    assert status == 200
    assert module.NAME == "sdnet" and "SD.NET RIM" in evidence


@pytest.mark.slow
def test_a_crawl_loads_every_meeting_agenda_item_paper_consultation_and_file(served, tmp_path):
    server, site = served
    run = crawl_load_and_fetch(server, site, source=SOURCE, system="sdnet", crawl_id=CRAWL_ID,
                               data_dir=tmp_path / "data")
    con, downloaded, requests = run.con, run.downloaded, [target for _, target, _ in run.requests]
    assert degraded_fields(run.manifest["fieldCounts"]) == []
    for file_id, phrase in site.downloads.items():
        assert phrase in downloaded[file_id], file_id

    # The links hold together: agenda items name their papers, consultations their meetings and agenda items.
    assert con.execute('SELECT count(*) FROM agenda_item WHERE paper IS NOT NULL').fetchone()[0] == 4
    dangling = con.execute('''SELECT count(*) FROM consultation c
                              WHERE NOT EXISTS (SELECT 1 FROM meeting m WHERE m."systemId" = c.meeting)
                                 OR NOT EXISTS (SELECT 1 FROM agenda_item a WHERE a."systemId" = c."agendaItem")''').fetchone()[0]
    assert dangling == 0
    non_public = con.execute('SELECT count(*) FROM agenda_item WHERE public = false').fetchone()[0]
    assert non_public == site.notes["non_public_items"]
    cancelled = con.execute('SELECT count(*) FROM meeting WHERE cancelled').fetchone()[0]
    assert cancelled == 1
    starts = con.execute('SELECT count(*) FROM meeting WHERE "start" IS NOT NULL AND "end" IS NOT NULL').fetchone()[0]
    assert starts == site.counts["meeting"]

    # The export's archived meeting lies outside the window: neither loaded nor fetched.
    assert not any(site.notes["archived_token"] in t for t in requests)
    # Processes of agenda items without a paper are not fetched, and nothing outside the install is.
    assert sum("/vorgang/" in t for t in requests) == site.pages_by_kind["vorgang"]
    assert all(t.startswith(site.base_path) or t == "/robots.txt" for t in requests), requests
