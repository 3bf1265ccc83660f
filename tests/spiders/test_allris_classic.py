"""Tests of the ALLRIS classic dialect: golden files for every corpus page, plus the pitfalls one by one."""

from __future__ import annotations

from pathlib import Path

import pytest

from spiders.dialects import allris_classic as ac
from spiders.dialects.base import Page, ParseError
from tests.golden import CorpusGoldens, assert_matches_golden

GOLDEN_DIR = Path(__file__).parent / "golden" / "allris_classic"
CORPUS_FOLDER = "allris3"
GOLDENS = CorpusGoldens(ac, CORPUS_FOLDER, GOLDEN_DIR)
_golden = GOLDENS.golden
_golden_page = GOLDENS.page


@pytest.mark.parametrize("name", GOLDENS.names())
def test_corpus_page_matches_its_golden_file(corpus_dir: Path, name: str) -> None:
    GOLDENS.check_page(corpus_dir, name)


def test_every_corpus_page_has_a_golden_file(corpus_dir: Path) -> None:
    GOLDENS.check_complete(corpus_dir)


# ---------------------------------------------------------------- text sections


def _vo020(body: str, url: str = "https://ris.example.test/bi/vo020.asp?VOLFDNR=77") -> Page:
    """A minimal classic vo020 page around ``body`` (the part after the metadata table)."""
    html = f"""<?xml version="1.0" encoding="iso-8859-1"?>
<html><head><meta name="description" content="ALLRIS net Version 3.9.5 (221117m)" /></head><body>
<div id="allriscontainer" class="vo020"><div id="risname"><h1>Vorlage - 2026/1&nbsp;&nbsp;</h1></div>
<table class="tk1"><tr><td class="ko1"><table class="tk1">
<tr><td class="kb1">Betreff:</td><td class="text1" colspan="3"><script>function checkClickResult() {{}}</script>
Neubau Mobilitätsstation<br />Antrag</td></tr>
<tr><td class="kb1">Status:</td><td class="text3">öffentlich</td><td class="kb1">Vorlage-Art:</td><td class="text4">Antrag</td></tr>
{body}
</td></tr></table></div></body></html>"""
    return Page.from_bytes(url, html.encode("utf-8"))


def _paper(page: Page):
    (paper,) = [i for i in ac.parse(page, "test").items if i.type == "Paper"]
    return paper


def test_inline_markup_inside_a_word_keeps_the_word_whole() -> None:
    page = _vo020(
        """</table></td></tr></table><hr />
<a name="allrisSV"></a>
<?xml version="1.0" encoding="iso-8859-1"?><!DOCTYPE html><html><head><title></title></head><body><div>
<p><span style="font-weight:bold">Der Mobilitä</span><span>tsausschuss</span><span> empfiehlt</span></p>
<p><span>&#xa0;</span></p>
<p>Zweiter   Absatz mit <a href="si010_e.asp?YY=2026&amp;MM=1&amp;DD=2">02.01.2026</a>.</p></div></body></html>
<a name="allrisBV"></a>
<?xml version="1.0"?><html><body><p>Be</p></body></html>"""
    )
    paper = _paper(page)
    assert paper.sachverhalt == "Der Mobilitätsausschuss empfiehlt\nZweiter Absatz mit 02.01.2026."
    # The next section starts its own document: nothing of it leaks into the one before.
    assert paper.beschlussvorschlag == "Be"
    assert paper.name == "Neubau Mobilitätsstation\nAntrag"  # the checkClickResult script is gone


def test_node_text_breaks_lines_only_at_blocks() -> None:
    soup = ac._soup("<div>a<b>b</b>c<br/>d<p>e</p><span> f </span>g</div>")
    assert ac.node_text(soup) == "abc\nd\ne\nf g"


def test_ordered_lists_keep_the_numbers_the_browser_prints() -> None:
    soup = ac._soup('<ol type="I"><li>Fragen:<ol start="6" type="1"><li>Wer?</li><li>Wie?</li></ol></li></ol>')
    assert ac.node_text(soup) == "I. Fragen:\n6. Wer?\n7. Wie?"


def test_iso_8859_1_bytes_decode_to_umlauts() -> None:
    html = (
        '<?xml version="1.0" encoding="iso-8859-1"?><html><head>'
        '<meta http-equiv="content-type" content="text/html; charset=iso-8859-1" />'
        '<meta name="description" content="ALLRIS net Version 3.9.5 (221117m)" /></head><body>'
        '<div id="allriscontainer" class="au020"><div id="risname"><h1>Ausschuss für Grünflächen&nbsp;&nbsp;</h1></div>'
        '<table class="tl1"><tr class="zl12"><td><a href="kp020.asp?KPLFDNR=5">Müller, Jürgen</a></td>'
        '<td class="text1"><div>Ausschussmitglied</div></td><td class="text4"><div>Fraktion GRÜNE</div></td></tr></table>'
        "</div></body></html>"
    ).encode("iso-8859-1")
    page = Page.from_bytes("https://ris.example.test/bi/au020.asp?AULFDNR=9", html)
    items = {i.type: i for i in ac.parse(page, "test").items}
    assert items["Organization"].name == "Ausschuss für Grünflächen"
    assert (items["Person"].familyName, items["Person"].givenName) == ("Müller", "Jürgen")
    assert items["Membership"].onBehalfOfName == "Fraktion GRÜNE"


def test_iso_8859_15_calendar_decodes_with_its_declared_charset() -> None:
    html = (
        '<!DOCTYPE HTML><html><head><meta charset="ISO-8859-15"></head><body><div id="allris" class="si010 normal">'
        '<table class="calenderView"><tbody><tr class="wed even"><td><span class="dow">Mi</span><span class="dom">2</span></td>'
        '<td class="time"><div>19:00</div></td><td class="textCol"><a href="to010_r.asp?SILFDNR=21">Sitzung des Ortsrates Groß Förste</a></td>'
        '<td class="raum"><div>Saal (Miete 50 €)</div></td></tr></tbody></table></div></body></html>'
    ).encode("iso-8859-15")
    page = Page.from_bytes("https://www.example.test/buergerinfo/si010_r.asp?MM=9&YY=2026", html)
    (link,) = ac.parse(page, "test").follow
    assert link.url == "https://www.example.test/buergerinfo/to010_r.asp?SILFDNR=21"
    assert link.meta == {"name": "Sitzung des Ortsrates Groß Förste", "dateRaw": "02.09.2026", "timeRaw": "19:00", "room": "Saal (Miete 50 €)"}


# ---------------------------------------------------------------- Beratungsfolge


def _station_a(committee: str, role: str, state: str = "Geplant") -> str:
    return (
        f'<tr valign="top" class="zl12"><td bgcolor="#73d216" title="{state}"></td>'
        f'<td class="text1" colspan="3">{committee}</td><td class="text1" colspan="3">{role}</td></tr>'
    )


def _station_b(date: str, silfdnr: str, tolfdnr: str, result: str, state: str = "Erledigt") -> str:
    return (
        f'<tr valign="top" class="zl12"><td bgcolor="#ffffff" title="{state}"></td><td class="text2">{date}&nbsp;</td>'
        f'<td><form action="to010.asp?topSelected={tolfdnr}" method="post"><input type="hidden" name="SILFDNR" value="{silfdnr}" /></form></td>'
        f'<td><a href="to010.asp?SILFDNR={silfdnr}">Sitzung</a></td><td class="text3">{result}&nbsp;</td><td>&nbsp;</td>'
        f'<td><form action="to020.asp" method="post"><input type="hidden" name="TOLFDNR" value="{tolfdnr}" />'
        f'<input type="submit" class="il1_naz" value="PA" title="Auszug" /></form></td></tr>'
    )


def test_beratungsfolge_pairs_rows_when_row_b_is_missing() -> None:
    table = "".join(
        [
            _station_a("Bauausschuss", "Vorberatung", "Erledigt"),
            _station_b("03.09.2026", "11", "111", "ungeändert beschlossen"),
            _station_a("Hauptausschuss", "Vorberatung"),  # not yet scheduled: no row B
            _station_a("Rat", "Entscheidung"),
            _station_b("28.09.2026", "13", "133", ""),
            _station_a("Ortsrat", "Anhörung"),  # last station without row B
        ]
    )
    page = _vo020(
        '<tr><td class="kb1" colspan="4">Beratungsfolge:</td></tr>'
        f'<tr><td valign="top" colspan="4"><table cellspacing="0">{table}</table></td></tr></table></td></tr></table>'
    )
    stations = [i for i in ac.parse(page, "test").items if i.type == "Consultation"]
    got = [(c.position, c.organizationName, c.role, c.dateRaw, c.meeting, c.agendaItem, c.resultRaw, c.authoritative) for c in stations]
    assert got == [
        (1, "Bauausschuss", "Vorberatung", "03.09.2026", "11", "111", "ungeändert beschlossen", False),
        (2, "Hauptausschuss", "Vorberatung", None, None, None, None, False),
        (3, "Rat", "Entscheidung", "28.09.2026", "13", "133", None, True),
        (4, "Ortsrat", "Anhörung", None, None, None, None, False),
    ]
    assert [c.systemId for c in stations] == ["77-1", "77-2", "77-3", "77-4"]
    assert stations[0].state == "Erledigt" and stations[1].state == "Geplant"


# ---------------------------------------------------------------- agenda variants


def test_agenda_sub_heading_decides_public_when_numbers_have_no_prefix() -> None:
    rows = (
        '<tr class="zl12"><td class="text4"><a href="to010.asp?SILFDNR=5&amp;TOLFDNR=51">1</a></td><td>&nbsp;</td>'
        '<td><form action="to020.asp" method="post"><input type="hidden" name="TOLFDNR" value="51" />'
        '<input type="submit" class="il1_naz" value="PA" title="(offen)" /></form></td>'
        '<td><a href="to020.asp?TOLFDNR=51">Eröffnung</a></td></tr>'
        '<tr class="zl11"><td colspan="8"><b>Nicht öffentlicher Teil</b></td></tr>'
        '<tr class="zl12"><td class="text4">2</td><td>&nbsp;</td><td>&nbsp;</td><td>Grundstücksangelegenheit</td></tr>'
    )
    html = (
        '<html><head><meta name="description" content="ALLRIS net Version 3.9.4 (191209m)" /></head><body>'
        '<div id="allriscontainer" class="to010"><div id="risname"><h1>Tagesordnung - Sitzung des Rates</h1></div>'
        f'<table class="tl1">{rows}</table></div></body></html>'
    )
    page = Page.from_bytes("https://ris.example.test/bi/to010.asp?SILFDNR=5", html.encode("utf-8"))
    items = ac.parse(page, "test").items
    meeting = items[0]
    agenda = [i for i in items if i.type == "AgendaItem"]
    assert meeting.name == "Sitzung des Rates"
    assert [(a.systemId, a.number, a.name, a.public, a.resultRaw, a.order) for a in agenda] == [
        ("51", "1", "Eröffnung", None, "(offen)", 0),
        ("5-2", "2", "Grundstücksangelegenheit", False, None, 1),
    ]


def test_responsive_agenda_reads_cells_by_class() -> None:
    html = (
        '<html><head><link rel="shortcut icon" href="./images/ALLRIS.ico" /></head><body><div id="allris" class="to010 normal">'
        '<h1 class="title">Kreistag - 28.09.2026</h1>'
        '<div id="head"><div class="row"><a aria-describedby="sigremium">Gremium:</a> <span id="sigremium">'
        '<a href="pa020_r.asp?PALFDNR=1">Kreistag</a></span></div>'
        '<div class="row"><a aria-describedby="sidatum">Datum:</a> <span id="sidatum">Mo, 28.09.2026</span></div></div>'
        '<table class="dataTable toTable"><tbody>'
        '<tr><td class="tonr"><a href="to010_r.asp?SILFDNR=1543&TOLFDNR=24130#beschluss">Ö 3.1</a></td>'
        '<td class="tobetreff"><div>Antrag der Gruppe</div></td><td class="toanlagen"></td>'
        '<td class="tovonr"><a href="vo020_r.asp?VOLFDNR=3999">VO/2026/171</a></td></tr>'
        "</tbody></table></div></body></html>"
    )
    page = Page.from_bytes("https://kis.example.test/bi/to010_r.asp?SILFDNR=1543", html.encode("utf-8"))
    assert ac.detect(page) and ac.page_kind(page) == "to010"
    parsed = ac.parse(page, "test")
    meeting, item = parsed.items
    assert (meeting.systemId, meeting.organization, meeting.organizationName, meeting.dateRaw) == (
        "1543", "pa-1", "Kreistag", "Mo, 28.09.2026"
    )
    assert (item.systemId, item.number, item.name, item.public, item.paper, item.paperReference) == (
        "24130", "Ö 3.1", "Antrag der Gruppe", True, "3999", "VO/2026/171"
    )
    assert [(link.kind, link.url) for link in parsed.follow] == [("vo020", "https://kis.example.test/bi/vo020_r.asp?VOLFDNR=3999")]


# ---------------------------------------------------------------- detection, refusal, errors


def test_detect_leaves_allris4_and_sessionnet_pages_alone(corpus_dir: Path) -> None:
    laatzen = (corpus_dir / "allris4" / "laatzen-allris-4.1.5_vo020_vorlage-1000238.html").read_bytes()
    for url in ("https://sitzungsdienst.laatzen.de/public/vo020?VOLFDNR=1000238", "https://ris.example.test/bi/vo020.asp"):
        assert ac.detect(Page.from_bytes(url, laatzen)) is None
    sessionnet = (corpus_dir / "sessionnet" / "kaiserslautern-asp-5.4.6_vo0050_vorlage-19902.html").read_bytes()
    assert ac.detect(Page.from_bytes("https://ris.kaiserslautern.de/vo0050.asp?__kvonr=19902", sessionnet)) is None


def test_detect_names_its_evidence() -> None:
    page = _vo020("</table></td></tr></table>")
    assert ac.detect(page) == "meta description 'ALLRIS net Version 3.9.5'"
    plain = Page("https://ris.example.test/bi/si010_e.asp", '<table><tr><td class="kb1">Gremium:</td></tr></table>')
    assert ac.detect(plain) == "URL program si010_e.asp and 'class=\"kb1\"' in the page"
    assert ac.detect(Page("https://www.example.test/bi/si010_e.asp", "<html><h1>Seite nicht gefunden</h1></html>")) is None
    # Embedded in a city CMS under the CMS's URL: frame and label cells together decide.
    embedded = Page("https://www.example.test/portal/ratsinfo.html", '<div class="allriscontent"><td class="kb1">Betreff:</td></div>')
    assert ac.detect(embedded) == "ALLRIS classic markup 'class=\"allriscontent\"' and 'class=\"kb1\"'"
    assert ac.detect(Page("https://www.example.test/portal/ratsinfo.html", '<td class="kb1">Betreff:</td>')) is None


def test_refused_pages_are_told_apart(corpus_dir: Path) -> None:
    assert ac.is_refused(Page("https://ris.example.test/bi/si010_r.asp", "Zugriff verweigert (Programm si010_r.asp).<br>"))
    assert ac.is_refused(Page("https://ris.example.test/bi/noauth.asp", "<html></html>"))
    assert ac.is_refused(Page("https://ris.example.test/bi/vo020.asp?VOLFDNR=1", "<p>Keine Information verf&uuml;gbar</p>"))
    real = corpus_dir / "allris3" / "hamburg-altona_vo020.html"
    assert not ac.is_refused(Page.from_bytes("https://sitzungsdienst-altona.hamburg.de/bi/vo020.asp", real.read_bytes()))


@pytest.mark.parametrize(
    "url, text",
    [
        ("https://ris.example.test/bi/vo020.asp?VOLFDNR=1", "<html><body><p>Wartungsarbeiten</p></body></html>"),
        ("https://ris.example.test/bi/to010.asp", "<html><body><h1>Tagesordnung - </h1></body></html>"),
        ("https://www.example.test/index.html", "<html><body>nichts</body></html>"),
        ("https://ris.example.test/bi/to020.asp", "\x00\x01garbage"),
        ("https://ris.example.test/bi/vo020.asp?VOLFDNR=1", "<html><body><h1>Fehler</h1></body></html>"),
        ("https://ris.example.test/bi/to010.asp?SILFDNR=1", "<html><body><p>Keine Daten</p></body></html>"),
        ("https://ris.example.test/bi/au020.asp?AULFDNR=1", "<html><body></body></html>"),
    ],
)
def test_unparseable_pages_raise_parse_error(url: str, text: str) -> None:
    with pytest.raises(ParseError):
        ac.parse(Page(url, text), "test")


# ---------------------------------------------------------------- crawl start, names


def test_start_urls_name_calendar_fallbacks_and_listings() -> None:
    links = ac.start_urls("https://ris.example.test/ri/allris.net.asp", [(2026, 9), (2026, 10)])
    assert [(link.kind, link.url) for link in links] == [
        ("calendar", "https://ris.example.test/bi/si010_e.asp?MM=9&YY=2026"),
        ("calendar", "https://ris.example.test/bi/si010_e.asp?MM=10&YY=2026"),
        ("au010", "https://ris.example.test/bi/au010.asp"),
        ("fr010", "https://ris.example.test/bi/fr010.asp"),
    ]
    assert links[0].meta["fallbacks"] == [
        "https://ris.example.test/bi/si010_j.asp?MM=9&YY=2026",
        "https://ris.example.test/bi/si010.asp?MM=9&YY=2026",
        "https://ris.example.test/bi/si010_r.asp?MM=9&YY=2026",
    ]
    assert ac.public_base("https://www.example.test/allris") == "https://www.example.test/allris/"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Strate, Henrik", ("Strate", "Henrik", None)),
        ("van den Heuvel, Jan", ("van den Heuvel", "Jan", None)),
        ("Dr. Anıl Kaputanoğlu", ("Kaputanoğlu", "Anıl", ["Dr."])),
        ("Franziska von Schlippe", ("von Schlippe", "Franziska", None)),
        ("Karl Wilhelm Albert Woller", ("Woller", "Karl Wilhelm Albert", None)),
        ("Brettschneider", ("Brettschneider", None, None)),
        (None, (None, None, None)),
    ],
)
def test_split_person_name(name: str | None, expected: tuple) -> None:
    assert ac.split_person_name(name) == expected


# --- month calendars in the forms installs print them ---------------------------------

_CALENDAR_URL = "https://ris.example.test/bi/si010.asp?MM=9&YY=2026"


def _calendar(rows: str, table_class: str = "tl1") -> Page:
    html = (
        '<?xml version="1.0" encoding="iso-8859-1"?><html><head>'
        '<meta name="description" content="ALLRIS net Version 3.9.3 (200101m)" /></head><body>'
        f'<div id="allriscontainer" class="si010"><h2>September 2026</h2><table class="{table_class}">{rows}</table>'
        "</div></body></html>"
    )
    return Page.from_bytes(_CALENDAR_URL, html.encode("iso-8859-1"))


def _to_button(silfdnr: str) -> str:
    return (f'<form action="to010.asp" method="post"><input type="hidden" name="SILFDNR" value="{silfdnr}" />'
            '<input type="submit" value="TO" title="Tagesordnung" /></form>')


def _ics_button(silfdnr: str) -> str:
    return (f'<form action="to010.asp" method="post"><input type="hidden" name="SILFDNR" value="{silfdnr}" />'
            '<input type="hidden" name="selfaction" value="Termin exportieren" />'
            '<input type="hidden" name="template" value="ics" /><input type="image" src="images/calexp.gif" /></form>')


def test_a_plain_calendar_without_cell_classes_yields_every_meeting() -> None:
    """si010 with plain cells: weekday, day, time, a to010 link or only a TO button, room."""
    parsed = ac.parse(_calendar(
        f'<tr><td>Di</td><td>01</td><td>17:00</td><td><a href="to010.asp?SILFDNR=4711">Rat der Stadt</a></td>'
        f'<td>Ratssaal</td><td>{_to_button("4711")}</td></tr>'
        f'<tr><td>Mi</td><td>2.</td><td>18:00 Uhr</td><td><a href="to010.asp?SILFDNR=4712">Integrationsrat</a></td>'
        f'<td>Raum 1</td><td>{_to_button("4712")}</td></tr>'
        f'<tr><td></td><td></td><td>19:00 - 21:00</td><td>Bauausschuss</td><td>Raum 2</td><td>{_to_button("4713")}</td></tr>'
    ), "test")
    assert parsed.items == []
    assert [(link.url.rsplit("=", 1)[1], link.meta["name"], link.meta["dateRaw"], link.meta["timeRaw"])
            for link in parsed.follow] == [
        ("4711", "Rat der Stadt", "01.09.2026", "17:00"),
        ("4712", "Integrationsrat", "02.09.2026", "18:00 Uhr"),
        ("4713", "Bauausschuss", "02.09.2026", "19:00 - 21:00"),  # the day carries over; only a TO button
    ]


def test_an_ical_export_button_is_no_agenda_and_the_meeting_stays_an_item() -> None:
    parsed = ac.parse(_calendar(
        f'<tr><td>Do</td><td>03</td><td>17:00</td><td>Fraktionssitzung</td><td>{_ics_button("4720")}</td></tr>',
        table_class="calenderView",
    ), "test")
    assert parsed.follow == []
    assert [(m.systemId, m.name, m.dateRaw, m.timeRaw) for m in parsed.items] == [
        ("4720", "Fraktionssitzung", "03.09.2026", "17:00")]
