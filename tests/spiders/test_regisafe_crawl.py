"""End to end: a crawl of a regisafe RIS-Portal loads every meeting, agenda item, paper, consultation and file.

The site is "VG Steinbach" (``tests/sites/build_regisafe.py``) at the root of a local
server (as Kirchheimbolanden's portal is), written for its address and served by
``flows.demo_site``. The crawl asks each month's calendar JSON, every meeting page
it lists, then the papers' documents ("Sitzungsvorlage (2026/0101)").
"""

from __future__ import annotations


import pytest

from flows.demo_site import serve_demo
from tests.sites import build_regisafe
from tests.sites.common import crawl_load_and_fetch

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
    run = crawl_load_and_fetch(server, site, source=SOURCE, system="regisafe", crawl_id=CRAWL_ID,
                               data_dir=tmp_path / "data")
    con, downloaded, requests = run.con, run.downloaded, [target for _, target, _ in run.requests]
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

