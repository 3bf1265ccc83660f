"""End to end: a crawl of an ALLRIS 4 install (``/public/``, Wicket) loads everything the site holds.

The site is "Gemeinde Probstedt" (``tests/sites/build_allris4.py``), built into a
temporary folder and served by ``flows.demo_site``. Its calendar answers its table
only to a Wicket Ajax request, as real installs do.
"""

from __future__ import annotations

import http.client
import subprocess
from urllib.parse import urlsplit

import pytest

from flows.demo_site import serve_demo
from pipelines.warehouse.load import connect, load_crawl
from pipelines.crawl.parse_rate import degraded_fields
from schemas.staging import StagingArea
from spiders.dialects import Page, detect
from tests.conftest import PROJECT_ROOT
from tests.sites import build_allris4
from tests.sites.common import assert_reparse_stages_the_same, crawl_command, load_and_fetch_documents

SOURCE = "probstedt"
CRAWL_ID = "allris4-e2e"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_allris4.build(tmp_path_factory.mktemp("allris4-site"))


def fetch(base_url: str, target: str, headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    """Return status, Content-Type and body of one GET."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", target, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        conn.close()


AJAX_HEADERS = {"Wicket-Ajax": "true", "Wicket-Ajax-BaseURL": "si010?MM=10&YY=2026",
                "X-Requested-With": "XMLHttpRequest"}


def test_the_calendar_table_comes_only_to_a_wicket_ajax_request(site):
    calendar, ajax = f"{site.base_path}si010?MM=10&YY=2026", f"{site.base_path}si010?0-1.0-&MM=10&YY=2026"
    with serve_demo(root=site.root) as server:
        shell = fetch(server.base_url, calendar)
        listener_without_headers = fetch(server.base_url, ajax)
        answer = fetch(server.base_url, ajax, AJAX_HEADERS)
    assert shell[0] == 200 and shell[1] == "text/html; charset=utf-8"
    assert b"calenderView" not in shell[2] and b'"u":"./si010?0-1.0-&MM=10&YY=2026"' in shell[2]
    assert listener_without_headers[2] == shell[2]  # Wicket renders the page for a plain request
    assert answer[0] == 200 and answer[1] == "text/xml; charset=utf-8"
    assert answer[2].startswith(b'<?xml version="1.0" encoding="UTF-8"?><ajax-response>')
    assert b'class="calenderView' in answer[2]


def test_the_base_url_page_is_recognised_as_allris4(site):
    with serve_demo(root=site.root) as server:
        status, content_type, body = fetch(server.base_url, site.base_path)
        page = Page.from_bytes(server.base_url + site.base_path, body, content_type)
    assert status == 200
    module, evidence = detect(page)
    assert module.NAME == "allris4", evidence


@pytest.mark.slow
def test_a_crawl_loads_every_meeting_agenda_item_paper_consultation_and_file(site, tmp_path):
    with serve_demo(root=site.root) as server:
        command = crawl_command(source=SOURCE, base_url=server.base_url + site.base_path, system="allris4",
                                months=site.months, data_dir=tmp_path, crawl_id=CRAWL_ID)
        run = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
        requests = server.requests.with_headers()
        # The documents stage downloads the main documents after the load (pipelines.warehouse.document_stage).
        documents = load_and_fetch_documents(tmp_path, CRAWL_ID, tmp_path / "warehouse.duckdb") if run.returncode == 0 else {}
    assert run.returncode == 0, run.stderr[-3000:]
    staging = StagingArea(tmp_path, CRAWL_ID)
    manifest = staging.read_manifest()
    assert manifest["status"] == "finished"
    assert staging.failures_path.read_text() == ""
    assert manifest["failures"] == 0
    assert_reparse_stages_the_same(tmp_path, CRAWL_ID)

    con = connect(tmp_path / "warehouse.duckdb")
    report = load_crawl(staging, con)
    assert report.failures == 0
    assert con.execute("SELECT count(*) FROM parse_failure").fetchone()[0] == 0
    loaded = {table: con.execute(f'SELECT count(*) FROM {table} WHERE "source" = ?', [SOURCE]).fetchone()[0]
              for table in site.counts}
    assert loaded == site.counts

    downloaded = dict(con.execute('SELECT "systemId", text FROM file WHERE sha256 IS NOT NULL AND "textStatus" = ?',
                                  ["ok"]).fetchall())
    assert sorted(downloaded) == sorted(site.downloads)
    assert documents["pendingDocuments"] == 0 and documents["failed"] == documents["refused"] == 0, documents
    for file_id, phrase in site.downloads.items():
        assert phrase in downloaded[file_id], file_id

    # Every page kind was reached as often as the site has such pages, and no field went missing.
    assert manifest["pagesByKind"] == site.pages_by_kind
    assert degraded_fields(manifest["fieldCounts"]) == []

    # The calendar's table was asked for as the browser asks for it: a Wicket Ajax request.
    ajax = [(target, {k.lower(): v for k, v in headers.items()}) for _, target, headers in requests
            if target.startswith(f"{site.base_path}si010?0-")]
    assert len(ajax) == site.pages_by_kind["si010_ajax"]
    for target, headers in ajax:
        month_query = target.split("&", 1)[1]  # "MM=10&YY=2026"
        assert headers.get("wicket-ajax") == "true", target
        assert headers.get("wicket-ajax-baseurl") == f"si010?{month_query}", target
        assert headers.get("x-requested-with") == "XMLHttpRequest", target
    shells = [headers for _, target, headers in requests if target.startswith(f"{site.base_path}si010?MM=")]
    assert len(shells) == site.pages_by_kind["si010"]
    assert not any("wicket-ajax" in {k.lower() for k in headers} for headers in shells)
    # Wicket listener links of attachments expire with their page: never fetched.
    assert not any("attachment-link" in target for _, target, _ in requests)
