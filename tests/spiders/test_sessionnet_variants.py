"""SessionNet pages in forms other installs print: the parser keys on what the system writes, not on one town's layout.

Each page is written by hand in the structure of the real pages under
``shared/corpus/sessionnet`` (field classes ``tofnum``/``tobetr``/``tovo``,
``smc-table-cell`` pairs, ``__ksinr``/``__ktonr``/``__kvonr`` ids in links,
``div.smcdocmsword`` Word texts), changed the way another install changes it.
"""

from __future__ import annotations

from spiders.dialects import sessionnet
from spiders.dialects.base import Page

_META = ('<meta name="author" content="Somacos GmbH &amp; Co. KG, SessionNet Version 5.5.4 KP4 bi (Layout 6)"/>'
         '<meta name="sessionnet" content="V:050504"/>')


def _page(url: str, body: str, encoding: str = "utf-8") -> Page:
    html = (f'<!DOCTYPE html><html lang="de"><head><meta charset="{encoding}"/>{_META}'
            f"<title>SessionNet | Sitzung</title></head><body>{body}</body></html>")
    return Page.from_bytes(url, html.encode(encoding, "xmlcharrefreplace"))


def _cell(field: str, label: str, value: str) -> str:
    return (f'<div class="smc-table-row"><div class="smc-table-cell smc-cell-head {field}_title">{label}</div>'
            f'<div class="smc-table-cell {field}">{value}</div></div>')


def _meeting_header() -> str:
    return ('<h1 class="smc_h1">Rat - 22.09.2026 - 17:00 Uhr</h1><div class="smc-table">'
            + _cell("siname", "Sitzung", "Rat/005/2026")
            + _cell("sigrname", "Gremium", '<a href="kp0040.asp?__kgrnr=1">Rat</a>')
            + _cell("sidat", "Datum", "22.09.2026")
            + _cell("yytime", "Zeit", "17:00-19:30")
            + "</div>")


def _agenda(page: Page) -> list[tuple]:
    return [(i.systemId, i.number, i.name, i.public, i.paper, i.resultRaw, i.voteRaw)
            for i in sessionnet.parse(page, "test").items if i.type == "AgendaItem"]


# ---------------------------------------------------------------- agendas (si0057)


def test_agenda_in_a_cms_page_with_a_table_of_its_own_and_numbers_without_badges_or_classes() -> None:
    """No ``#page-content``, no ``smc_page_si0057_contenttable`` id, numbers as plain cell text."""
    body = (
        '<div id="cms-main"><div class="cms-article">' + _meeting_header()
        + '<table class="cms-table">'
        '<tr><td colspan="3"><h2>Öffentlicher Teil:</h2></td></tr>'
        '<tr id="smc_contol_to_1_9001"><td>1</td><td><a href="to0050.asp?__ktonr=9001">Eröffnung</a></td><td></td></tr>'
        '<tr><td>2.</td><td><a href="to0050.asp?__ktonr=9002">Haushalt 2027</a></td>'
        '<td><a href="vo0050.asp?__kvonr=4711">0473/2026</a></td></tr>'
        '<tr><td colspan="3"><h2>Nicht öffentlicher Teil:</h2></td></tr>'
        '<tr><td>3</td><td>Grundstücksangelegenheiten</td><td></td></tr>'
        '</table></div></div>'
    )
    page = _page("https://ris.example.test/bi/si0057.asp?__ksinr=2331", body)
    assert _agenda(page) == [
        ("9001", "1", "Eröffnung", True, None, None, None),
        ("9002", "2.", "Haushalt 2027", True, "4711", None, None),
        ("2331-3", "3", "Grundstücksangelegenheiten", False, None, None, None),
    ]
    meeting = sessionnet.parse(page, "test").items[0]
    assert (meeting.shortName, meeting.organizationName, meeting.dateRaw, meeting.timeRaw) == (
        "Rat/005/2026", "Rat", "22.09.2026", "17:00-19:30")


def test_a_link_from_the_paper_column_to_another_meeting_is_neither_paper_nor_id() -> None:
    """A postponed item links, in the paper column, the meeting and TOP it comes from."""
    body = (
        '<div id="page-content">' + _meeting_header()
        + '<table id="smc_page_si0057_contenttable1" class="smctablesitzung">'
        '<tr><td class="tofnum"><span class="badge">Ö 4</span></td>'
        '<td class="tobetr"><div class="smc-card-header-title-simple">Parkraumkonzept</div></td>'
        '<td class="tovo"><a href="to0050.asp?__ktonr=8555">vertagt aus</a> '
        '<a href="si0057.asp?__ksinr=2300">Rat 01.07.2026</a></td><td class="sidocs"></td></tr>'
        '</table></div>'
    )
    page = _page("https://ris.example.test/bi/si0057.asp?__ksinr=2331", body)
    assert _agenda(page) == [("2331-Ö4", "Ö 4", "Parkraumkonzept", True, None, None, None)]


def test_result_and_vote_table_in_word_markup_on_the_agenda_item_page() -> None:
    """to0050: the Beschluss text is Word HTML; its vote counts stand in an ``MsoNormalTable``."""
    body = (
        '<div id="page-content"><h1 class="smc_h1">Radverkehrsplan</h1><div class="smc-table">'
        + _cell("tofnum", "TOP", "Ö 7")
        + _cell("tobetr", "Betreff", "Radverkehrsplan")
        + _cell("tobeschluss", "Beschluss", "mehrheitlich beschlossen")
        + '</div><a href="si0057.asp?__ksinr=2331">Sitzung</a>'
        '<div class="smcdocmsword" id="smcdocid77"><p class=MsoNormal>Der Rat beschließt den Radverkehrsplan.</p>'
        '<table class=MsoNormalTable border=1><tr><td><p class=MsoNormal>Dafür</p></td><td><p class=MsoNormal>Dagegen</p></td>'
        '<td><p class=MsoNormal>Enthaltungen</p></td></tr><tr><td><p class=MsoNormal>30</p></td>'
        '<td><p class=MsoNormal>10</p></td><td><p class=MsoNormal>0</p></td></tr></table></div></div>'
    )
    (item,) = sessionnet.parse(_page("https://ris.example.test/bi/to0050.asp?__ktonr=9100", body), "test").items
    assert (item.systemId, item.meeting, item.number, item.public, item.resultRaw) == (
        "9100", "2331", "Ö 7", True, "mehrheitlich beschlossen")
    assert item.voteRaw == "Dafür | Dagegen | Enthaltungen\n30 | 10 | 0"
    assert item.resolutionText.startswith("Der Rat beschließt den Radverkehrsplan.")


# ---------------------------------------------------------------- calendars (si0040)


def test_calendar_in_another_table_with_two_meetings_in_one_row() -> None:
    """SessionNet 4 prints its month in a ``table.smccontenttable``; a day cell may list two meetings."""
    body = (
        '<div id="smccontent"><h1>Sitzungskalender 2026 September</h1><table class="smccontenttable">'
        '<tr><td class="smc_fct_day">Di 22</td><td>'
        '<a href="si0057.asp?__ksinr=2331" title="Details anzeigen: Rat 22.09.2026">Sitzung des Rates</a><br/>'
        '<a href="si0057.asp?__ksinr=2332" title="Details anzeigen: Bauausschuss 22.09.2026">Sitzung des Bauausschusses</a>'
        '</td></tr>'
        '<tr><td class="smc_fct_day">Do 24</td><td><a href="to0040.asp?__ksinr=2333">Sitzung des Jugendhilfeausschusses</a></td></tr>'
        '</table></div>'
    )
    parsed = sessionnet.parse(_page("https://ris.example.test/bi/si0040.asp?__cjahr=2026&__cmonat=9", body), "test")
    meetings = [(m.systemId, m.name, m.organizationName, m.dateRaw) for m in parsed.items if m.type == "Meeting"]
    assert meetings == [
        ("2331", "Sitzung des Rates", "Rat", "22.09.2026"),
        ("2332", "Sitzung des Bauausschusses", "Bauausschuss", "22.09.2026"),
        ("2333", "Sitzung des Jugendhilfeausschusses", None, "24.09.2026"),
    ]
    assert [link.url.rsplit("/", 1)[1] for link in parsed.follow] == [
        "si0057.asp?__ksinr=2331", "si0057.asp?__ksinr=2332", "to0040.asp?__ksinr=2333"]


# ---------------------------------------------------------------- papers (vo0050) and encodings


def test_paper_without_documents_and_texts_and_in_iso_8859_1() -> None:
    """An older install: ISO-8859-1, entities mixed with literal umlauts, no documents, no Word texts."""
    body = (
        '<div id="page-content"><h1 class="smc_h1">Vorlage - 0463/2026</h1><div class="smc-table">'
        + _cell("vobetr", "Betreff", "Stra&szlig;enausbau Gr&#246;&szlig;enweg, Bürgerbeteiligung")
        + _cell("voname", "Vorlage", "0463/2026")
        + _cell("vovaname", "Art", "02_Beschlussvorlage")
        + "</div></div>"
    )
    latin = sessionnet.parse(_page("https://ris.example.test/bi/vo0050.asp?__kvonr=4711", body, "iso-8859-1"), "test")
    utf8 = sessionnet.parse(_page("https://ris.example.test/bi/vo0050.asp?__kvonr=4711", body, "utf-8"), "test")
    assert latin.items == utf8.items
    (paper,) = latin.items
    assert (paper.systemId, paper.reference, paper.name, paper.paperType, paper.otherText) == (
        "4711", "0463/2026", "Straßenausbau Größenweg, Bürgerbeteiligung", "Beschlussvorlage", None)
    assert [link.kind for link in latin.follow] == ["vo0053"]


def test_beratungen_in_a_table_without_sessionnet_ids_or_classes() -> None:
    """vo0053 embedded in a CMS: a plain table, one dated row per station, the meeting linked by ``__ksinr``."""
    body = (
        '<div class="cms"><ul id="smcregister"><li><a href="vo0050.asp?__kvonr=4711">Informationen</a></li>'
        '<li><a href="vo0053.asp?__kvonr=4711">Beratungen</a></li></ul><table class="cms-table">'
        '<tr><th>Datum</th><th>Gremium</th><th>Sitzung</th></tr>'
        '<tr><td>10.06.2026</td><td><a href="kp0040.asp?__kgrnr=7">Sportausschuss</a></td>'
        '<td><a href="si0057.asp?__ksinr=2290" title="Details anzeigen: Sportausschuss 10.06.2026">Sitzung</a></td></tr>'
        '<tr><td>22.09.2026</td><td><a href="kp0040.asp?__kgrnr=1">Rat</a></td>'
        '<td><a href="to0040.asp?__ksinr=2331">Sitzung</a> <a href="to0050.asp?__ktonr=9002">TOP 2</a></td></tr>'
        '</table></div>'
    )
    parsed = sessionnet.parse(_page("https://ris.example.test/bi/vo0053.asp?__kvonr=4711", body), "test")
    assert [(c.systemId, c.meeting, c.agendaItem, c.organization, c.organizationName, c.dateRaw) for c in parsed.items] == [
        ("4711-1", "2290", None, "7", "Sportausschuss", "10.06.2026"),
        ("4711-2", "2331", "9002", "1", "Rat", "22.09.2026"),
    ]


def test_meeting_header_as_a_label_table() -> None:
    """A table layout: label cells ("Sitzungsdatum:", "Uhrzeit:", "Ort:") before the values, no field classes."""
    body = (
        '<div id="page-content"><table class="smctablesitzungsdaten">'
        '<tr><td>Gremium:</td><td>Rat</td></tr><tr><td>Sitzungsdatum:</td><td>22.09.2026</td></tr>'
        '<tr><td>Uhrzeit:</td><td>17:00 Uhr</td></tr><tr><td>Ort:</td><td>Ratssaal</td></tr></table>'
        '<table id="smc_page_si0057_contenttable1"><tr><td class="tofnum">Ö 1</td>'
        '<td class="tobetr"><a href="to0050.asp?__ktonr=9001">Eröffnung</a></td></tr></table></div>'
    )
    items = sessionnet.parse(_page("https://ris.example.test/bi/si0057.asp?__ksinr=2331", body), "test").items
    meeting = items[0]
    assert (meeting.organizationName, meeting.dateRaw, meeting.timeRaw, meeting.room) == (
        "Rat", "22.09.2026", "17:00 Uhr", "Ratssaal")
    assert [(i.systemId, i.number, i.name) for i in items if i.type == "AgendaItem"] == [("9001", "Ö 1", "Eröffnung")]
