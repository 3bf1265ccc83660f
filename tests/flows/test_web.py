"""`ratsinfo web` over HTTP: search with filters, the paper page, downloads, feeds, errors (real server on port 0)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
import zipfile

import duckdb
import pytest

from flows.web.server import WebServer

ATOM = "{http://www.w3.org/2005/Atom}"


def get(site, path, **params):
    url = site.url + path + ("?" + urllib.parse.urlencode(params) if params else "")
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def text(body: bytes) -> str:
    return body.decode("utf-8")


def test_search_page_lists_every_paper_with_german_labels(site):
    status, headers, body = get(site, "/")
    page = text(body)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    for label in ("Suchbegriff", "Kommune", "Gremium", "Thema", "Ergebnis", "von", "bis", "Auswahl herunterladen"):
        assert label in page
    assert "<code>Flüchtlinge -Ukraine</code> ohne „Ukraine“" in page  # how to search more precisely
    assert "<strong>5</strong> Vorlagen" in page
    assert "Straßenbau in der Hauptstraße" in page and "abgelehnt" in page
    assert "=HYPERLINK(&#34;x&#34;)" in page  # escaped, shown as text
    # A topic is offered under its label (data/topics/*.toml), not its key.
    assert '<option value="integration" >Integration, Migration, Flucht</option>' in page


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"q": "Flüchtlingsunterkunft"}, {"BV/2026/7"}),
        ({"q": "Unterkunft"}, {"BV/2026/7"}),  # the last part of a compound
        ({"q": "Geflüchtete"}, {"BV/2026/7"}),  # a synonym's compound (data/search/vocabulary.toml)
        ({"q": "Integrationsbeirat"}, {"VO/1"}),  # another state's name of the Integrationsrat
        ({"q": "BV/2026/7"}, {"BV/2026/7"}),  # a Drucksache number, found by its reference
        ({"q": "Unterkunft -Bahnhof"}, set()),  # a word left out
        ({"q": '"Unterkunft"'}, set()),  # quoted: the word itself, not its compounds
        ({"q": "Integrationsbeirat ODER Unterkunft"}, {"VO/1", "BV/2026/7"}),
        ({"municipality": "musterstadt"}, {"VO/1", "VO/2", "VO/3"}),
        ({"committee": "Bauausschuss"}, {"VO/2"}),
        ({"topic": "integration"}, {"VO/1", "BV/2026/7"}),
        ({"result": "accepted"}, {"VO/1", "BV/2026/7"}),
        ({"since": "2026-10-02", "until": "2026-12-31"}, {"VO/2", "BV/2026/7"}),
        ({"q": "Konzept", "topic": "integration", "municipality": "musterstadt"}, {"VO/1"}),
        ({"q": "gibtesnicht"}, set()),
    ],
)
def test_filters_narrow_the_results(site, params, expected):
    status, _, body = get(site, "/", **params)
    page = text(body)
    assert status == 200
    shown = {ref for ref in ("VO/1", "VO/2", "VO/3", "BV/2026/7") if f'<td class="nowrap">{ref}</td>' in page}
    assert shown == expected
    if not expected:
        assert "Keine Vorlagen gefunden" in page


def test_a_search_says_which_synonyms_it_searched_too(site):
    # A paper that does not hold the typed word must not puzzle the reader: the page names the other words.
    page = text(get(site, "/", q="Flüchtlinge Bahnhof", municipality="beispielheim")[2])
    assert ('<p class="also" id="also-searched">Auch gesucht: Geflüchtete, Flüchtende, Schutzsuchende, Asylsuchende,'
            ' Asylbewerber, Asylbegehrende (für „Flüchtlinge“, <a href="/?q=%22Fl%C3%BCchtlinge%22+Bahnhof&amp;'
            'municipality=beispielheim">nur „Flüchtlinge“ suchen</a>)</p>') in page
    assert '<td class="nowrap">BV/2026/7</td>' in page  # "Neue Flüchtlingsunterkunft am Bahnhof"
    assert 'id="also-searched"' not in text(get(site, "/", q="Bahnhof")[2])
    # The link searches the word as written: not in "Flüchtlingsunterkunft", and no synonyms named.
    page = text(get(site, "/", q='"Flüchtlinge" Bahnhof', municipality="beispielheim")[2])
    assert '<td class="nowrap">BV/2026/7</td>' not in page and 'id="also-searched"' not in page


def test_the_words_a_search_found_are_marked_in_the_titles(site):
    # "Geflüchtete" found the paper through "Flüchtlingsunterkunft": the reader sees which word it was.
    page = text(get(site, "/", q="Geflüchtete")[2])
    assert '">Neue <mark>Flüchtlingsunterkunft</mark> am Bahnhof</a>' in page
    page = text(get(site, "/", q="Konzept")[2])
    assert '"><mark>Integrationskonzept</mark></a>' in page  # a compound of the word
    assert '">=HYPERLINK(&#34;x&#34;)</a>' in page  # found in its text: its title unmarked, escaped as before
    assert "<mark>" not in text(get(site, "/", municipality="beispielheim")[2])  # no search, nothing marked


def test_a_bad_date_is_ignored_not_an_error(site):
    status, _, body = get(site, "/", since="gestern")
    assert status == 200 and "<strong>5</strong>" in text(body)


def test_paper_page_shows_consultations_votes_signatories_documents_history(site):
    status, _, body = get(site, "/paper", source="musterstadt", id="1")
    page = text(body)
    assert status == 200
    assert "Beratungsfolge" in page and "Integrationsrat" in page and "Entscheidung (entscheidend)" in page
    assert "Beschlüsse und Abstimmungen" in page and "angenommen" in page and "vertagt" in page
    assert "<td>22</td><td>0</td>" in page
    assert "Der Rat beschließt das Integrationskonzept" in page
    assert "i.V. Erika Muster, Oberbürgermeisterin" in page
    assert 'href="http://x/bi/do027.asp?DOLFDNR=901"' in page and "Hauptdokument" in page
    assert "Verlauf" in page and "zuerst erfasst: 01.11.2026" in page and "Abrufe der Seite (2)" in page
    assert "ID allris_classic:x/bi:1" in page
    assert "<dt>Themen</dt><dd>Integration, Migration, Flucht" in page  # the topic's label


def test_unknown_paper_and_page_are_404(site):
    assert get(site, "/paper", source="musterstadt", id="nope")[0] == 404
    assert get(site, "/paper")[0] == 404
    assert get(site, "/wp-admin")[0] == 404
    assert get(site, "/static/../server.py")[0] == 404


def test_csv_download_of_the_selection_is_excel_safe(site):
    status, headers, body = get(site, "/export.csv", municipality="musterstadt")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert "attachment" in headers["Content-Disposition"]
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["ID", "Kommune", "Datum"]
    by_ref = {r[4]: r for r in rows[1:]}
    assert set(by_ref) == {"VO/1", "VO/2", "VO/3"}
    assert by_ref["VO/1"][5] == "'=HYPERLINK(\"x\")"
    assert by_ref["VO/3"][5] == "A;'@SUM(1) und x,'=1+2"
    assert by_ref["VO/2"][9] == "abgelehnt"


def test_xlsx_download_of_the_selection(site):
    status, headers, body = get(site, "/export.xlsx", topic="integration")
    assert status == 200 and headers["Content-Type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        strings = z.read("xl/sharedStrings.xml").decode()
    assert "Neue Flüchtlingsunterkunft am Bahnhof" in strings and "Straßenbau" not in strings


@pytest.mark.parametrize(
    "path, params, titles",
    [
        ("/feeds/topic/integration.atom", {}, {"angenommen: =HYPERLINK(\"x\")", "vertagt: =HYPERLINK(\"x\")",
                                               "angenommen: Neue Flüchtlingsunterkunft am Bahnhof"}),
        ("/feeds/municipality/beispielheim.atom", {}, {"angenommen: Neue Flüchtlingsunterkunft am Bahnhof"}),
        ("/feeds/committee/Bauausschuss.atom", {}, {"abgelehnt: Straßenbau in der Hauptstraße"}),
        ("/feeds/search.atom", {"q": "Hauptstraße"}, {"abgelehnt: Straßenbau in der Hauptstraße"}),
    ],
)
def test_feeds(site, path, params, titles):
    status, headers, body = get(site, path, **params)
    assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(body)
    entries = feed.findall(f"{ATOM}entry")
    assert {e.findtext(f"{ATOM}title") for e in entries} == titles
    for entry in entries:
        link = entry.find(f"{ATOM}link").get("href")
        assert link.startswith(site.url + "/paper?")
        assert get(site, link[len(site.url):].split("?")[0], **dict(urllib.parse.parse_qsl(link.split("?", 1)[1])))[0] == 200


def test_feed_committee_name_with_spaces(site):
    assert get(site, "/feeds/committee/" + urllib.parse.quote("Gibt es nicht") + ".atom")[0] == 200
    assert get(site, "/feeds/nonsense/x.atom")[0] == 404


def test_a_load_holding_the_file_gives_503_not_a_crash(tmp_path, warehouse):
    db = tmp_path / "w.duckdb"
    shutil.copy(warehouse, db)
    # Another process holds the file for writing, as the nightly load does.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); sys.stdin.read()",
         str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with WebServer(db) as server:
            status, headers, body = get(server, "/")
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert status == 503 and headers["Retry-After"] == "10"
    assert "Die Datenbank wird gerade aktualisiert" in text(body)
    with WebServer(db) as server:  # and once the load is done, the page is back
        assert get(server, "/")[0] == 200


def test_no_warehouse_is_a_clear_page(tmp_path):
    with WebServer(tmp_path / "missing.duckdb") as server:
        status, _, body = get(server, "/")
    assert status == 503 and "no warehouse at" in text(body)


def test_the_site_lets_go_of_the_file_when_idle_so_a_load_can_write(tmp_path, warehouse):
    from flows.web.server import IDLE_SECONDS

    db = tmp_path / "w.duckdb"
    shutil.copy(warehouse, db)
    write = [sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1]).execute('CREATE TABLE t (x INT)')", str(db)]
    with WebServer(db) as server:
        assert get(server, "/")[0] == 200
        assert subprocess.run(write, capture_output=True, timeout=60).returncode != 0  # held right after a request
        deadline = time.monotonic() + IDLE_SECONDS + 10
        while subprocess.run(write, capture_output=True, timeout=60).returncode != 0:
            assert time.monotonic() < deadline, "the web page still holds the warehouse"
            time.sleep(0.5)
        assert get(server, "/")[0] == 200  # and reads again after the write


def test_a_hostile_link_from_a_source_is_not_a_link(tmp_path, warehouse):
    db = tmp_path / "w.duckdb"
    shutil.copy(warehouse, db)
    con = duckdb.connect(str(db))
    con.execute("""UPDATE file SET "accessUrl" = 'javascript:alert(document.cookie)' WHERE "systemId" = '901'""")
    con.execute("""UPDATE paper SET "url" = 'JavaScript:alert(1)' WHERE "source" = 'musterstadt' AND "systemId" = '1'""")
    con.close()
    with WebServer(db) as server:
        pages = [text(get(server, "/paper", source="musterstadt", id="1")[2]), text(get(server, "/")[2]),
                 text(get(server, "/feeds/topic/integration.atom")[2])]
    assert all("javascript:" not in page.lower() for page in pages)
    assert "Vorlage</a>" not in pages[0] and "Vorlage" in pages[0]  # the document is listed, without a link


def test_paper_history_shows_the_warehouse_changes(tmp_path, warehouse):
    """The paper page lists the paper's own rows of the ``changes`` view (pipelines.warehouse.history)."""
    db = tmp_path / "w.duckdb"
    shutil.copy(warehouse, db)
    con = duckdb.connect(str(db))
    con.execute("""INSERT INTO history VALUES
        ('paper', 'musterstadt', '1', 'changed', [{'field': 'name', 'before': '"Integrationskonzept (Entwurf)"',
          'after': '"Integrationskonzept"'}], 'crawl-2', TIMESTAMPTZ '2026-12-01 02:00:00+00', now()),
        ('agenda_item', 'musterstadt', '1', 'changed', [], 'crawl-2', TIMESTAMPTZ '2026-12-01 02:00:00+00', now())""")
    con.close()
    with WebServer(db) as server:
        page = text(get(server, "/paper", source="musterstadt", id="1")[2])
    history = page[page.index('id="history"'):]
    assert "<th>kind</th>" in history and "<td>changed</td>" in history and "Integrationskonzept (Entwurf)" in history
    assert "<td>agenda_item</td>" not in history  # the paper's own changes, not another table's row with its id
    assert "<td>agenda_item</td>" not in history  # the paper's own changes, not another table's row with its id
