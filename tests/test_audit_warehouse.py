"""What analysts and journalists get out of the warehouse: defects an audit of the views, exports, feeds and web page found.

Each test is one defect, on the small warehouse of ``tests/web_seed.py`` plus the rows the case needs.
"""

from __future__ import annotations

import datetime as dt
import shutil
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from pipelines.exports.export import ExportQuery, export_rows, query_problems
from pipelines.exports.feeds import atom_feed, feed_entries
from pipelines.warehouse.load import connect
from schemas.views import create_views
from tests.web_seed import C2, C2_TIME, seed_warehouse

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    return seed_warehouse(tmp_path_factory.mktemp("audit") / "w.duckdb")


@pytest.fixture
def con(seeded, tmp_path):
    shutil.copy(seeded, tmp_path / "w.duckdb")
    con = connect(tmp_path / "w.duckdb")
    yield con
    con.close()


# -- views ---------------------------------------------------------------------------

def test_an_item_still_open_is_no_resolution(con):
    # ALLRIS prints "(offen)" for an item not decided yet; the vote normaliser gives it no result. It was a row of
    # `resolution`, so the feeds announced "(offen): Straßenbau…" as a new resolution.
    con.execute(f"""INSERT INTO meeting ("source", "system", "systemId", "name", "organizationName", "date", "deleted", "crawlId")
                    VALUES ('musterstadt', 'allris_classic', '13', 'Rat', 'Rat', DATE '2026-12-10', false, '{C2}')""")
    con.execute(f"""INSERT INTO agenda_item ("source", "system", "systemId", "meeting", "number", "paper", "result", "resultRaw",
                    "deleted", "crawlId", "firstSeen", "lastSeen")
                    VALUES ('musterstadt', 'allris_classic', '103', '13', 'Ö 1', '2', NULL, '(offen)', false, '{C2}',
                            TIMESTAMPTZ '{C2_TIME}', TIMESTAMPTZ '{C2_TIME}')""")
    create_views(con)
    items = {r[0] for r in con.execute("""SELECT "agendaItem" FROM resolution WHERE "source" = 'musterstadt'""").fetchall()}
    assert items == {"100", "101", "102"}
    entries = feed_entries(con, ExportQuery(municipality="musterstadt"))
    assert "103" not in {e["agendaItem"] for e in entries}
    # the paper keeps the rejection that decided it
    (row,) = [r for r in export_rows(con, ExportQuery(municipality="musterstadt")) if r["reference"] == "VO/2"]
    assert row["result"] == "rejected"


# -- export ----------------------------------------------------------------------------

def test_a_topic_match_is_shown_where_the_term_stands_as_a_word(con):
    # The matcher stored "Integration" (a whole word of the Sachverhalt); the title only has "Integrationsrates".
    con.execute("""UPDATE paper SET "name" = 'Bildung eines Integrationsrates',
                   "sachverhalt" = 'Der Rat fördert die Integration aller Zugewanderten.',
                   "topicTerms" = '["Integration", "Zugewander"]'
                   WHERE "source" = 'musterstadt' AND "systemId" = '1'""")
    create_views(con)
    (row,) = [r for r in export_rows(con, ExportQuery(municipality="musterstadt", topic="integration"))]
    matches = row["topic_matches"].split(" | ")
    assert matches[0] == "Integration (Sachverhalt: …Der Rat fördert die Integration aller Zugewanderten.…)"
    # a term found only inside a longer word is still shown there
    assert matches[1].startswith("Zugewander (Sachverhalt: …")


def test_search_without_index_takes_percent_and_underscore_as_text(tmp_path):
    con = connect(seed_warehouse(tmp_path / "w.duckdb", search_index=False))
    try:
        assert export_rows(con, ExportQuery(text="%")) == []  # was every paper: LIKE '%%%'
        assert export_rows(con, ExportQuery(text="_")) == []
        assert [r["reference"] for r in export_rows(con, ExportQuery(text="hauptstraße"))] == ["VO/2"]
    finally:
        con.close()


def test_committee_in_any_case_and_an_unknown_one_is_named(con):
    assert [r["reference"] for r in export_rows(con, ExportQuery(committee="bauausschuss"))] == ["VO/2"]
    assert query_problems(con, ExportQuery(committee="BAUAUSSCHUSS")) == []
    (problem,) = query_problems(con, ExportQuery(committee="Bauauschuss"))
    assert "no committee 'Bauauschuss'" in problem and "Bauausschuss" in problem
    entries = feed_entries(con, ExportQuery(committee="bauausschuss"))
    assert [e["agendaItem"] for e in entries] == ["102"]


# -- feeds -------------------------------------------------------------------------------

def _entry(**fields):
    base = {"id": "allris_classic:x/bi:101", "source": "musterstadt", "paper": "1", "title": "Konzept",
            "result": "accepted", "resultRaw": "angenommen", "isNew": True, "url": "http://x/bi/vo020.asp?VOLFDNR=1",
            "changedAt": dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.timezone.utc),
            "firstSeen": dt.datetime(2026, 12, 1, 2, 7, tzinfo=dt.timezone.utc)}
    return {**base, **fields}


def test_a_new_entry_is_not_updated_before_it_was_published():
    # A new item is first seen during the crawl, after the crawl's start (the entry's "changed" time).
    feed = ET.fromstring(atom_feed([_entry()], title="t", feed_id="urn:x"))
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}published") == "2026-12-01T02:07:00Z"
    assert entry.findtext(f"{ATOM}updated") >= entry.findtext(f"{ATOM}published")
    assert feed.findtext(f"{ATOM}updated") == "2026-12-01T02:07:00Z"


def test_an_entry_without_a_link_carries_content_and_control_characters_are_dropped():
    body = atom_feed([_entry(url=None, title="Vorlage\x0b mit\x01 Steuerzeichen")], title="Gremium\x02", feed_id="urn:x")
    feed = ET.fromstring(body)  # raised "not well-formed" with the control characters
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link") is None
    # RFC 4287 4.1.1: no alternate link, so the text is content
    assert entry.find(f"{ATOM}summary") is None and entry.findtext(f"{ATOM}content").startswith("Neu")
    assert entry.findtext(f"{ATOM}title") == "angenommen: Vorlage mit Steuerzeichen"
    assert feed.findtext(f"{ATOM}title") == "Gremium"


# -- web page -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(seeded):
    from flows.web.server import WebServer

    with WebServer(seeded) as server:
        yield server


def status_of(site, path: str) -> int:
    try:
        with urllib.request.urlopen(site.url + path, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_huge_page_number_is_a_page_not_an_error(site):
    assert status_of(site, "/?page=99999999999999999999") == 200  # was 500 (OFFSET out of INT64)
    assert status_of(site, "/?page=99999999999999999999&q=Bahnhof") == 200


def test_a_feed_of_an_unknown_topic_is_not_found(site):
    assert status_of(site, "/feeds/topic/integraton.atom") == 404  # a typo: was an empty feed forever
    assert status_of(site, "/feeds/topic/integration.atom") == 200


def test_xlsx_dates_are_date_cells(con, tmp_path):
    # Text dates cannot be filtered or sorted as dates in Excel; the CSV's ISO form stays the shown format.
    import re
    import zipfile

    from pipelines.exports.export import COLUMNS, write_xlsx

    out = tmp_path / "out.xlsx"
    write_xlsx(export_rows(con, ExportQuery(municipality="musterstadt", topic="integration")), out, headers="de")
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        styles = z.read("xl/styles.xml").decode()
    column = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[COLUMNS.index("date")]
    serial = (dt.date(2026, 10, 1) - dt.date(1899, 12, 30)).days  # Excel's day number
    cell = re.search(rf'<c r="{column}2"[^>]*>(.*?)</c>', sheet)
    assert cell and cell.group(1) == f"<v>{serial}</v>" and 't="s"' not in cell.group(0)
    assert "yyyy-mm-dd" in styles


def test_a_result_printed_in_the_beratungsfolge_counts_without_its_agenda_item(con):
    # ALLRIS 4 prints each station's result in the paper's Beratungsfolge; where the agenda item itself was not
    # crawled, the paper was exported as undecided although the warehouse holds its result.
    con.execute("""INSERT INTO consultation ("source", "system", "systemId", "paper", "meeting", "agendaItem", "organizationName",
                   "role", "authoritative", "position", "date", "result", "resultRaw", "deleted")
                   VALUES ('musterstadt', 'allris_classic', '3-1', '3', '14', '199', 'Hauptausschuss', 'Entscheidung', true,
                           1, DATE '2026-11-05', 'accepted', 'ungeändert beschlossen', false)""")
    create_views(con)
    (row,) = [r for r in export_rows(con, ExportQuery(municipality="musterstadt")) if r["reference"] == "VO/3"]
    assert (row["result"], row["result_text"], row["committee"], row["date"]) == (
        "accepted", "ungeändert beschlossen", "Hauptausschuss", dt.date(2026, 11, 5))


def test_a_topic_snippet_quotes_the_text_as_written(con):
    # The matcher reads "Ausländer*innenbehörde" as "Ausländerbehörde" and "Flücht-\nlinge" as "Flüchtlinge"; the
    # snippet quoted that reading, a text the document does not contain (a journalist's search for it fails).
    from pipelines.normalise.topics import load_taxonomy, match_topic

    text = "Die Ausländer*innenbehörde meldet neue Zahlen. Im Mai kamen 40 Flücht-\n  linge an. Migrant:innen beraten mit."
    terms = list(match_topic(load_taxonomy(), title="Bericht", texts=[text]).terms)
    assert terms == ["Ausländerbehörde", "Flüchtlinge", "Migrant"]
    con.execute("""UPDATE paper SET "name" = 'Bericht', "sachverhalt" = ?, "topicTerms" = ?
                   WHERE "source" = 'musterstadt' AND "systemId" = '1'""", [text, str(terms).replace("'", '"')])
    create_views(con)
    (row,) = export_rows(con, ExportQuery(municipality="musterstadt", topic="integration"))
    assert row["topic_matches"].split(" | ") == [
        "Ausländerbehörde (Sachverhalt: …Die Ausländer*innenbehörde meldet neue Zahlen. Im Mai…)",
        "Flüchtlinge (Sachverhalt: …neue Zahlen. Im Mai kamen 40 Flücht- linge an. Migrant:innen beraten…)",
        "Migrant (Sachverhalt: …kamen 40 Flücht- linge an. Migrant:innen beraten mit.…)",
    ]


def test_the_paper_page_shows_moments_in_german_time(site):
    # "laut Quelle geändert" of a Karlsruhe paper whose OParl "modified" is 09:49:33+01:00 read 08:49 (UTC, unlabelled).
    with urllib.request.urlopen(site.url + "/paper?source=musterstadt&id=1", timeout=30) as response:
        page = response.read().decode()
    # first seen 2026-11-01 02:00 UTC, last seen 2026-12-01 02:00 UTC: 03:00 in Germany (CET) on both days
    assert "zuerst erfasst: 01.11.2026 03:00" in page and "zuletzt gesehen: 01.12.2026 03:00" in page


def test_the_result_list_shows_unknown_vote_counts_as_unknown(seeded, tmp_path):
    # "mit 20 Ja-Stimmen angenommen" gives yes 20 and no count of no votes: the list showed "20 : 0 : 0".
    from flows.web.server import WebServer

    db = tmp_path / "w.duckdb"
    shutil.copy(seeded, db)
    con = connect(db)
    con.execute("""UPDATE agenda_item SET "votesYes" = 20, "votesNo" = NULL, "votesAbstain" = NULL, "resultRaw" = 'mit 20 Ja-Stimmen angenommen'
                   WHERE "source" = 'musterstadt' AND "systemId" = '101'""")
    con.execute("""UPDATE agenda_item SET "votesYes" = NULL, "votesNo" = 3, "votesAbstain" = NULL
                   WHERE "source" = 'musterstadt' AND "systemId" = '102'""")
    create_views(con)
    con.close()
    with WebServer(db) as server:
        with urllib.request.urlopen(server.url + "/?municipality=musterstadt", timeout=30) as response:
            page = response.read().decode()
        with urllib.request.urlopen(server.url + "/?committee=Nicht+in+der+Liste", timeout=30) as response:
            form = response.read().decode()
    assert "20 : – : –" in page and "20 : 0 : 0" not in page
    assert "– : 3 : –" in page  # a count of no votes alone is shown too
    assert '<option value="Nicht in der Liste" selected>' in form


def test_the_nightly_integration_csv_opens_in_german_excel(seeded, tmp_path):
    # The nightly run's data/exports/integration.csv is the first file a journalist opens; it was split on ",",
    # which German Excel (list separator ";") shows as one column. The README promises ";" by default.
    from flows.nightly import export_topic

    out = tmp_path / "integration.csv"
    assert export_topic.fn(str(seeded), str(out), "integration") == 2
    header = out.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.split(";")[:3] == ["id", "municipality", "date"]


def test_the_page_of_a_deleted_or_vanished_paper_says_so(seeded, tmp_path):
    # Reached from an old feed entry or a bookmark, it read like a current paper (search and exports leave it out).
    from flows.web.server import WebServer

    db = tmp_path / "w.duckdb"
    shutil.copy(seeded, db)
    con = connect(db)
    con.execute("""UPDATE paper SET "deleted" = true WHERE "source" = 'musterstadt' AND "systemId" = '2'""")
    con.execute("""UPDATE paper SET "vanishedAt" = TIMESTAMPTZ '2026-12-02 02:00:00+00'
                   WHERE "source" = 'musterstadt' AND "systemId" = '3'""")
    create_views(con)
    con.close()
    with WebServer(db) as server:
        def page(paper_id):
            with urllib.request.urlopen(f"{server.url}/paper?source=musterstadt&id={paper_id}", timeout=30) as response:
                return response.read().decode()

        assert "im Ratsinformationssystem gelöscht" in page("2")
        assert "seit 02.12.2026 03:00 im Ratsinformationssystem nicht mehr zu finden" in page("3")
        assert 'id="gone"' not in page("1")


def test_a_saved_search_feed_is_titled_in_words(site):
    # The title was the percent-encoded query string: "Suche: q=Fl%C3%BCchtlinge&topic=integration".
    with urllib.request.urlopen(site.url + "/feeds/search.atom?q=Fl%C3%BCchtlingsunterkunft&topic=integration&since=2026-01-01",
                                timeout=30) as response:
        feed = ET.fromstring(response.read())
    assert feed.findtext(f"{ATOM}title") == "ratsinfo – Suche: „Flüchtlingsunterkunft“, Thema integration, ab 01.01.2026"
    assert len(feed.findall(f"{ATOM}entry")) == 1


def test_a_committee_or_municipality_feed_holds_decisions_without_a_paper(con):
    # 11 % of Karlsruhe's resolutions (e.g. 120 rejected motions on the budget) have no paper: the Gemeinderat's
    # feed left them all out.
    con.execute(f"""INSERT INTO agenda_item ("source", "system", "systemId", "meeting", "number", "name", "paper", "result",
                    "resultRaw", "deleted", "crawlId", "firstSeen", "lastSeen")
                    VALUES ('musterstadt', 'allris_classic', '105', '11', 'Ö 9', 'Antrag zum Haushalt: Sozialticket', NULL,
                            'rejected', 'mehrheitlich abgelehnt', false, '{C2}', TIMESTAMPTZ '{C2_TIME}', TIMESTAMPTZ '{C2_TIME}')""")
    con.execute("""UPDATE meeting SET "url" = 'http://x/bi/to010.asp?SILFDNR=11' WHERE "source" = 'musterstadt' AND "systemId" = '11'""")
    create_views(con)
    for query in (ExportQuery(committee="Rat"), ExportQuery(municipality="Stadt Musterstadt"), ExportQuery()):
        entries = {e["agendaItem"]: e for e in feed_entries(con, query)}
        assert "105" in entries, query
    (entry,) = [e for e in feed_entries(con, ExportQuery(committee="Rat")) if e["agendaItem"] == "105"]
    assert (entry["agendaItem"], entry["title"], entry["paperId"]) == ("105", "Antrag zum Haushalt: Sozialticket", None)
    assert entry["id"] == "allris_classic:x/bi:105" and entry["municipality"] == "Stadt Musterstadt"
    feed = ET.fromstring(atom_feed([entry], title="t", feed_id="urn:x", web_base="http://localhost:8080"))
    link = feed.find(f"{ATOM}entry/{ATOM}link")
    assert link.get("href") == "http://x/bi/to010.asp?SILFDNR=11"  # its meeting: there is no paper page
    assert feed.findtext(f"{ATOM}entry/{ATOM}title") == "abgelehnt: Antrag zum Haushalt: Sozialticket"
    # a selection of papers still holds papers' resolutions only
    assert "105" not in {e["agendaItem"] for e in feed_entries(con, ExportQuery(municipality="musterstadt", result="rejected"))}


def test_the_paper_page_lists_its_changes_newest_first(con):
    from flows.web.queries import paper_page

    for n, day in enumerate((5, 1, 9, 3)):  # inserted out of order, as loads of older crawls can
        con.execute(f"""INSERT INTO history VALUES ('paper', 'musterstadt', '1', 'changed', NULL, 'c{n}',
                        TIMESTAMPTZ '2026-11-0{day} 02:00:00+00', TIMESTAMPTZ '2026-11-0{day} 03:00:00+00')""")
    history = paper_page(con, "musterstadt", "1")["history"]
    at = history["changeColumns"].index("seenAt")
    days = [row[at].day for row in history["changes"]]
    assert days == sorted(days, reverse=True) and days[:4] == [9, 5, 3, 1]


def test_swapped_dates_are_a_problem_not_an_empty_export(con):
    assert query_problems(con, ExportQuery(since=dt.date(2026, 1, 1), until=dt.date(2025, 1, 1))) == [
        "since 2026-01-01 is after until 2025-01-01"]
    assert query_problems(con, ExportQuery(since=dt.date(2026, 1, 1), until=dt.date(2026, 1, 1))) == []
