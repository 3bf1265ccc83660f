"""OParl preferred automatically: an HTML page that links its install's OParl server is crawled through OParl.

A local OParl server (tests/oparl_server.py, Hürtgenwald's SD.NET OParl 1.0)
also serves an SD.NET page (or a SessionNet one) linking its System; the crawl
starts from the HTML page, detects SD.NET, asks the System and crawls OParl.
Faults (the System missing, off the source's hosts) are in
tests/faults/test_dialect_choice.py.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.source_run import run_source
from flows.sources import Source
from tests.oparl_server import HW, OParlTestServer, expected_rows
from tests.sites.common import assert_reparse_stages_the_same

SDNET_PAGE = Path(__file__).parent / "pages" / "sdnet" / "teststadt_vorgang-926_EXCERPT.html"
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "RATSINFO_DOWNLOAD_FILES": "none"}
TABLES = ("organization", "person", "membership", "meeting", "agenda_item", "paper", "consultation", "file")
SESSIONNET_PAGE = """<!DOCTYPE html><html><head><meta name="generator" content="SessionNet Version 5.5.4 (Layout 6)">
<title>SessionNet | Informationen</title></head><body>
<a href="si0040.asp">Sitzungskalender</a> <a href="{href}">OParl-Schnittstelle</a></body></html>"""


def html_page_linking(href: str) -> bytes:
    """Return the SD.NET page with a link to ``href`` (as installs show their OParl interface)."""
    text = SDNET_PAGE.read_text(encoding="utf-8")
    return text.replace("</body>", f'<a href="{href}">OParl-Schnittstelle</a></body>').encode("utf-8")


def live_ids(con, table: str) -> set[str]:
    stub = ' AND NOT "isStub"' if table in ("organization", "person", "paper", "meeting") else ""
    return {r[0] for r in con.execute(f'SELECT "systemId" FROM {table} WHERE NOT "deleted"{stub}').fetchall()}


@pytest.fixture
def server(corpus_dir):
    with OParlTestServer(corpus_dir, karlsruhe_papers=30, page_size=100) as srv:
        yield srv


@pytest.mark.parametrize("kind", ["sdnet", "sessionnet"])
def test_an_html_page_linking_its_oparl_server_is_crawled_through_oparl(server, tmp_path, kind):
    if kind == "sdnet":
        html_url = server.serve_bytes(f"{HW.rsplit('/webservice', 1)[0]}/vorgang/", html_page_linking(f"{HW}/system"))
    else:
        html_url = server.serve_bytes("/bi/info.asp", SESSIONNET_PAGE.format(href=f"{HW}/system").encode())
    result = run_source(Source(slug="huertgenwald", base_url=html_url), tmp_path / "data", tmp_path / "w.duckdb",
                        settings=FAST)
    assert result.crawl_error is None and result.load_error is None, result.crawl_error or result.load_error
    # The crawl summary says which dialect it used, which it detected, and why.
    manifest = result.manifest
    assert manifest["system"] == "oparl" and manifest["status"] == "finished"
    assert manifest["dialect"] == {"detected": kind, "oparlSystem": server.huertgenwald_system, "used": "oparl",
                                   "fallback": None}
    assert_reparse_stages_the_same(tmp_path / "data", manifest["crawlId"])
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    expected = expected_rows(server.served)
    for table in TABLES:
        assert live_ids(con, table) == expected[table], table
    assert len(live_ids(con, "paper")) == 55 and len(live_ids(con, "membership")) == 354
    assert con.execute('SELECT "system", "baseUrl" FROM source').fetchall() == [("oparl", html_url)]
    # The HTML page once to detect, the System once to check it and once as the crawl's entry: no HTML crawl.
    paths = [r["path"] for r in server.requests if r["path"] != "/robots.txt"]
    assert paths.count(html_url.replace(server.base, "")) == 1
    assert not [p for p in paths if not p.startswith(HW) and p != html_url.replace(server.base, "")]


def test_sources_add_stores_the_linked_oparl_server_and_detect_shows_it(server, tmp_path, capsys):
    import json

    from flows.cli import main
    from flows.sources import load_sources

    html_url = server.serve_bytes("/rim4220/vorgang/", html_page_linking(f"{HW}/system"))
    assert main(["detect", html_url]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["system"], shown["oparlSystem"]) == ("oparl", server.huertgenwald_system)
    sources = tmp_path / "sources.toml"
    assert main(["sources", "add", html_url, "--slug", "huertgenwald", "--file", str(sources)]) == 0
    assert "sdnet page links its OParl server" in capsys.readouterr().out
    (source,) = load_sources(sources)
    assert (source.system, source.base_url) == ("oparl", server.huertgenwald_system)
    # A link to an endpoint that is no OParl System: the HTML dialect is stored, with the reason shown.
    broken = server.serve_bytes("/other/vorgang/", html_page_linking("/other/webservice/oparl/v1.0/system"))
    assert main(["sources", "add", broken, "--slug", "other", "--file", str(sources)]) == 0
    assert "not used: could not fetch" in capsys.readouterr().out
    assert [(s.slug, s.system, s.base_url) for s in load_sources(sources)][1] == ("other", "sdnet", broken)
