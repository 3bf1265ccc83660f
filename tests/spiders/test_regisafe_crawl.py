"""End to end: a crawl of a regisafe RIS-Portal loads every meeting, agenda item, paper, consultation and file.

The site is "VG Steinbach" (``tests/sites/build_regisafe.py``) at the root of a local
server (as Kirchheimbolanden's portal is), written for its address and served by
``flows.demo_site``. The crawl asks each month's calendar JSON, every meeting page
it lists, then the papers' documents ("Sitzungsvorlage (2026/0101)").
"""

from __future__ import annotations

import subprocess

import pytest

from flows.demo_site import serve_demo
from pipelines.load import connect, load_crawl
from pipelines.staging import StagingArea
from tests.conftest import PROJECT_ROOT
from tests.sites import build_regisafe
from tests.sites.common import crawl_command, fetch_documents

SOURCE = "steinbach"
CRAWL_ID = "regisafe-e2e"


@pytest.fixture()
def served(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    with serve_demo(root=root) as server:
        yield server, build_regisafe.build(root, server.base_url)


@pytest.mark.slow
def test_a_crawl_loads_every_meeting_agenda_item_paper_consultation_and_file(served, tmp_path):
    server, site = served
    command = crawl_command(source=SOURCE, base_url=server.base_url + site.base_path, system="regisafe",
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

    # One calendar request per month of the window, months counted from 0 as the portal does.
    calendars = sorted(t for t in requests if "loadSessions" in t)
    assert len(calendars) == 2 and all("_RisSitzung_month=8" in t or "_RisSitzung_month=9" in t for t in calendars)
    assert con.execute('SELECT count(*) FROM agenda_item WHERE public = false').fetchone()[0] == 1
    assert con.execute('SELECT count(*) FROM agenda_item WHERE parent IS NOT NULL').fetchone()[0] == 1
    # The paper on two agendas: one paper, two consultations, each on its agenda item.
    rows = con.execute('''SELECT c.paper, a."systemId" IS NOT NULL FROM consultation c
                          LEFT JOIN agenda_item a ON a."systemId" = c."agendaItem"''').fetchall()
    assert sorted(p for p, _ in rows) == ["2026/0101", "2026/0101", "2026/0102"] and all(found for _, found in rows)
    names = dict(con.execute('SELECT "systemId", "organizationName" FROM meeting').fetchall())
    assert names["230001"] == "Gemeinderat Steinbach"
    starts = con.execute('SELECT count(*) FROM meeting WHERE "start" IS NOT NULL').fetchone()[0]
    assert starts == site.counts["meeting"]

