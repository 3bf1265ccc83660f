"""End to end: a crawl of a komuna/KIC install loads every meeting, agenda item, paper, consultation and file.

The site is "Markt Kicheim" (``tests/sites/build_kic.py``): the app shell under
``/kicheim/`` and its guest interface under ``/kicapi/``, which answers only
requests with the app's ``x-orgkey`` header, served by ``flows.demo_site`` on one
local server (a real install has the interface on a host of its own). The crawl
reads the shell, the configuration it names, the meeting list of the window, the
meetings and their public items, then the papers' main documents.
"""

from __future__ import annotations


import pytest

from flows.demo_site import serve_demo
from tests.sites import build_kic
from tests.sites.common import crawl_load_and_fetch

SOURCE = "kicheim"
CRAWL_ID = "kic-e2e"


@pytest.fixture()
def served(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    with serve_demo(root=root) as server:
        yield server, build_kic.build(root, server.base_url)


@pytest.mark.slow
def test_a_crawl_loads_every_meeting_agenda_item_paper_consultation_and_file(served, tmp_path):
    server, site = served
    run = crawl_load_and_fetch(server, site, source=SOURCE, system="kic", crawl_id=CRAWL_ID,
                               data_dir=tmp_path / "data", base_url=server.base_url + site.base_path + "app/dashboard")
    con, downloaded, requests = run.con, run.downloaded, run.requests
    for file_id, phrase in site.downloads.items():
        assert phrase in downloaded[file_id], file_id

    # Every request to the interface carried the app's headers; the non-public-only and the cancelled meeting were not asked.
    api = [(target, {k.lower(): v for k, v in headers.items()}) for _, target, headers in requests if target.startswith("/kicapi/")]
    assert api and all(h.get("x-orgkey") == site.notes["org_key"] and h.get("x-uniqueid", "").endswith("/kicheim")
                       and h.get("accept") == "application/json" for _, h in api), api
    assert not any(t.endswith(("/500102", "/500103")) for t, _ in api)
    # The non-public item is listed without its title being read further; the paper of two meetings has both consultations.
    assert con.execute('SELECT count(*) FROM agenda_item WHERE public = false').fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM consultation WHERE paper = 'conorder-900127'").fetchone()[0] == 2
    result, resolution = con.execute("""SELECT "resultRaw", "resolutionText" FROM agenda_item WHERE "systemId" = '500100-2'""").fetchone()
    assert result == "Ja: 14, Nein: 3" and "beschließt den Bebauungsplan" in resolution
    assert con.execute("""SELECT parent FROM agenda_item WHERE "systemId" = '500100-4'""").fetchone()[0] == "500100-3"
    assert con.execute('SELECT count(*) FROM meeting WHERE cancelled').fetchone()[0] == 1
