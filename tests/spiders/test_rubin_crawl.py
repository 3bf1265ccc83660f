"""End to end: a crawl of a more! rubin install loads every meeting, agenda item, paper, consultation, committee and file.

The site is "VG Nordhang" (``tests/sites/build_rubin.py``) under ``/nordhang/``,
written for the address of the local server and served by ``flows.demo_site``.
The crawl asks the interface's calendar for the month window, each public
meeting's answer (one is missing, so the crawl reads the meeting page's
embedded JSON instead), then the papers' main documents.
"""

from __future__ import annotations


import pytest

from flows.demo_site import serve_demo
from tests.sites import build_rubin
from tests.sites.common import crawl_load_and_fetch

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
    run = crawl_load_and_fetch(server, site, source=SOURCE, system="rubin", crawl_id=CRAWL_ID,
                               data_dir=tmp_path / "data")
    con, downloaded, requests = run.con, run.downloaded, [target for _, target, _ in run.requests]
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
