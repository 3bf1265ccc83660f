"""End to end: a crawl of an SD.NET RIM install loads every meeting, agenda item, paper, consultation and file.

The site is "Stadt Sternhagen" (``tests/sites/build_sdnet.py``) under ``/rim4711/``,
written for the address of the local server (SD.NET prints absolute links) and
served by ``flows.demo_site``. The crawl starts at the calendar export, reads the
meeting pages it links, the processes of their papers and the papers' documents.
"""

from __future__ import annotations

import http.client
import subprocess
from urllib.parse import urlsplit

import pytest

from flows.demo_site import serve_demo
from pipelines.load import connect, load_crawl
from pipelines.parse_rate import degraded_fields
from pipelines.staging import StagingArea
from spiders.dialects import Page, detect
from tests.conftest import PROJECT_ROOT
from tests.sites import build_sdnet
from tests.sites.common import crawl_command, fetch_documents

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
    command = crawl_command(source=SOURCE, base_url=server.base_url + site.base_path, system="sdnet",
                            months=site.months, data_dir=tmp_path / "data", crawl_id=CRAWL_ID)
    run = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=90)
    requests = [target for _, target in server.requests.entries()]
    assert run.returncode == 0, run.stderr[-3000:]
    staging = StagingArea(tmp_path / "data", CRAWL_ID)
    manifest = staging.read_manifest()
    assert manifest["status"] == "finished"
    assert staging.failures_path.read_text() == ""

    con = connect(tmp_path / "data" / "warehouse.duckdb")
    report = load_crawl(staging, con)
    assert report.failures == 0
    loaded = {table: con.execute(f'SELECT count(*) FROM {table} WHERE "source" = ?', [SOURCE]).fetchone()[0]
              for table in site.counts}
    assert loaded == site.counts
    assert manifest["pagesByKind"] == site.pages_by_kind
    assert degraded_fields(manifest["fieldCounts"]) == []

    # The documents stage downloads the main documents after the load (pipelines.document_stage).
    con.close()
    documents = fetch_documents(SOURCE, tmp_path / "data", tmp_path / "data" / "warehouse.duckdb")
    assert documents["pendingDocuments"] == 0 and documents["failed"] == documents["refused"] == 0, documents
    con = connect(tmp_path / "data" / "warehouse.duckdb")
    downloaded = dict(con.execute('SELECT "systemId", text FROM file WHERE sha256 IS NOT NULL AND "textStatus" = ?',
                                  ["ok"]).fetchall())
    assert sorted(downloaded) == sorted(site.downloads)
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
