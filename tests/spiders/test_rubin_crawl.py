"""End to end: a crawl of a more! rubin install loads every meeting, agenda item, paper, consultation, committee and file.

The site is "VG Nordhang" (``tests/sites/build_rubin.py``) under ``/nordhang/``,
written for the address of the local server and served by ``flows.demo_site``.
The crawl asks the interface's calendar for the month window, each public
meeting's answer (one is missing, so the crawl reads the meeting page's
embedded JSON instead), then the papers' main documents.
"""

from __future__ import annotations

import subprocess

import pytest

from flows.demo_site import serve_demo
from pipelines.load import connect, load_crawl
from pipelines.staging import StagingArea
from tests.conftest import PROJECT_ROOT
from tests.sites import build_rubin
from tests.sites.common import crawl_command, fetch_documents

SOURCE = "nordhang"
CRAWL_ID = "rubin-e2e"


@pytest.fixture()
def served(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    with serve_demo(root=root) as server:
        yield server, build_rubin.build(root, server.base_url)


@pytest.mark.slow
def test_a_crawl_loads_every_meeting_agenda_item_paper_consultation_and_file(served, tmp_path):
    server, site = served
    command = crawl_command(source=SOURCE, base_url=server.base_url + site.base_path, system="rubin",
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

    # The documents stage downloads the main documents after the load (pipelines.document_stage).
    con.close()
    documents = fetch_documents(SOURCE, tmp_path / "data", tmp_path / "data" / "warehouse.duckdb")
    assert documents["pendingDocuments"] == 0 and documents["failed"] == documents["refused"] == 0, documents
    con = connect(tmp_path / "data" / "warehouse.duckdb")
    downloaded = dict(con.execute('SELECT "systemId", text FROM file WHERE sha256 IS NOT NULL AND "textStatus" = ?',
                                  ["ok"]).fetchall())
    assert sorted(downloaded) == sorted(site.downloads)
    for file_id, phrase in site.downloads.items():
        assert phrase.split(" (")[0] in downloaded[file_id], file_id

    # One calendar request for the whole window, as Ratsmonitor's importer asks it.
    calendar = [t for t in requests if "id=calendar" in t]
    assert calendar == [f"{site.base_path}api.php?json=true&id=calendar&action=get&from=2026-09&to=2026-10&view=list"]
    # The meeting whose interface answer is missing was read from its page; the non-public twin was never asked.
    assert f"{site.base_path}meeting?id={site.notes['page_only']}" in requests
    assert not any("ni_" in t for t in requests)
    # The links hold together: the paper discussed in two meetings has both consultations, each on its agenda item.
    rows = con.execute('''SELECT c."meeting", c."agendaItem", a."systemId" IS NOT NULL FROM consultation c
                          LEFT JOIN agenda_item a ON a."systemId" = c."agendaItem" ORDER BY c.position''').fetchall()
    assert all(found for _, _, found in rows), rows
    assert con.execute('SELECT count(*) FROM agenda_item WHERE public = false').fetchone()[0] == 1
    assert con.execute('SELECT count(*) FROM agenda_item WHERE parent IS NOT NULL').fetchone()[0] == 1
    names = dict(con.execute('SELECT "systemId", "organizationName" FROM meeting').fetchall())
    assert names["2026-VGRAT-12"] == "Verbandsgemeinderat Nordhang"
    starts = con.execute('SELECT count(*) FROM meeting WHERE "start" IS NOT NULL').fetchone()[0]
    assert starts == site.counts["meeting"]
