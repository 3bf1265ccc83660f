"""ALLRIS 4 pages in forms other installs print: the parser keys on what the system writes, not on one town's layout.

Each page is written by hand in the structure of the real pages under
``shared/corpus/allris4`` (Wicket shell, ``#headLeft dl > dt/dd`` with field
ids ``#sidatum`` …, ``table#toTreeTable`` rows with ``data-tt-id``,
``div.compFull`` text blocks), changed the way another install changes it.
"""

from __future__ import annotations

from spiders.dialects import allris4
from spiders.dialects.base import Page

_HEAD = '<meta name="description" content="ALLRIS net Version 4.1.7 (4170041) - 08.07.2026"/>'


def _page(url: str, body: str, encoding: str = "utf-8") -> Page:
    html = (f'<!DOCTYPE html><html lang="de"><head><meta charset="{encoding}"/>{_HEAD}</head>'
            f'<body><div id="allris" class="to020 normal"><main>{body}</main></div></body></html>')
    return Page.from_bytes(url, html.encode(encoding))


def _field(label: str, element_id: str, value: str) -> str:
    return (f'<div class="row"><dl><dt class="colTitle"><span class="label">{label}</span></dt>'
            f'<dd class="colEntry"><span class="text4" id="{element_id}">{value}</span></dd></dl></div>')


# ---------------------------------------------------------------- excerpts (to020)


def test_excerpt_keeps_its_meeting_date_and_result_from_the_meeting_fields_in_the_right_column() -> None:
    """The meeting's fields sit in ``#headRight`` and the result carries no "Beschlussart:" label but its field id."""
    body = (
        '<h1 class="title">Auszug - Schulausschuss - 01.09.2026</h1>'
        '<div id="head"><div id="headLeft"><div class="headLeftInner">'
        + _field("TOP:", "tonr", "Ö 4")
        + _field("Betreff:", "tobetreff", "<p>Schulentwicklungsplan</p>")
        + '</div></div><div id="headRight">'
        + _field("Sitzung:", "sibetreff", '<a href="./to010?SILFDNR=1000073&amp;TOLFDNR=1001060">Sitzung des Schulausschusses</a>')
        + _field("Gremium:", "sigremium", '<a href="./gr020?GRLFDNR=33">Schulausschuss</a>')
        + _field("Datum:", "sidatum", '<a href="./si010?DD=1&amp;MM=9&amp;YY=2026">Di., 01.09.2026</a>')
        + _field("Zeit:", "sizeit", "18:00")
        + _field("Beschluss:", "tobeschluss", "geändert beschlossen")
        + "</div></div>"
        '<div class="compFull"><h2 class="expandedTitle">Beschluss</h2><div class="docPart" id="htm1">'
        '<p class="MsoNormal">Der Ausschuss empfiehlt den Plan mit Änderungen.</p></div></div>'
    )
    parsed = allris4.parse(_page("https://ris.example.test/public/to020?TOLFDNR=1001060", body), "test")
    item, meeting = parsed.items
    assert (item.systemId, item.meeting, item.number, item.public, item.name, item.resultRaw) == (
        "1001060", "1000073", "Ö 4", True, "Schulentwicklungsplan", "geändert beschlossen")
    assert item.resolutionText == "Der Ausschuss empfiehlt den Plan mit Änderungen."
    assert (meeting.type, meeting.systemId, meeting.dateRaw, meeting.timeRaw, meeting.organization, meeting.organizationName) == (
        "Meeting", "1000073", "Di., 01.09.2026", "18:00", "gr-33", "Schulausschuss")
    assert parsed.fields_seen["resultRaw"] and parsed.fields_seen["meetingDate"]


def test_excerpt_with_english_locale_date_and_a_vote_table_in_word_markup() -> None:
    body = (
        '<h1 class="title">Auszug - Rat - Sep 22, 2026</h1><div id="headLeft">'
        + _field("TOP:", "tonr", "Ö 12")
        + _field("Betreff:", "tobetreff", "Klimaschutzkonzept")
        + _field("Datum:", "sidatum", "Tue, Sep 22, 2026")
        + _field("Beschlussart:", "tobeschlussart", "mehrheitlich beschlossen")
        + '</div><a href="./to010?SILFDNR=55">zur Sitzung</a>'
        '<div class="compFull"><h2 class="expandedTitle">Protokoll</h2><div class="docPart" id="htm2">'
        '<p class="MsoNormal">Nach Aussprache stimmt der Rat ab.</p>'
        '<table class="MsoNormalTable" border=1 cellpadding=0><tr><td><p class="MsoNormal">Ja-Stimmen</p></td>'
        '<td><p class="MsoNormal">31</p></td></tr><tr><td><p class="MsoNormal">Nein-Stimmen</p></td><td><p class="MsoNormal">12</p></td></tr>'
        '<tr><td><p class="MsoNormal">Enthaltungen</p></td><td><p class="MsoNormal">1</p></td></tr></table></div></div>'
    )
    parsed = allris4.parse(_page("https://ris.example.test/public/to020?TOLFDNR=88", body), "test")
    item, meeting = parsed.items
    assert (item.meeting, item.resultRaw, item.voteRaw) == (
        "55", "mehrheitlich beschlossen", "Ja-Stimmen | 31\nNein-Stimmen | 12\nEnthaltungen | 1")
    assert item.protocolText.startswith("Nach Aussprache stimmt der Rat ab.")
    assert meeting.dateRaw == "Tue, Sep 22, 2026"


def test_excerpt_without_result_label_takes_the_wording_of_its_own_result_link() -> None:
    body = (
        '<h1 class="title">Auszug - Bauausschuss - 03.11.2026</h1><div id="headLeft">'
        + _field("TOP:", "tonr", "N 3")
        + _field("Betreff:", "tobetreff", "Bauvoranfrage")
        + '</div><table class="bfTable"><tbody><tr><td class="date">03.11.2026</td>'
        '<td><a href="./to010?SILFDNR=77&amp;TOLFDNR=99">Bauausschuss</a></td>'
        '<td><a href="./to020?TOLFDNR=99">zurückgestellt</a></td>'
        '<td class="toLink"><a class="objAnchor" href="./to020?TOLFDNR=99">NA</a></td></tr></tbody></table>'
    )
    (item,) = allris4.parse(_page("https://ris.example.test/public/to020?TOLFDNR=99", body), "test").items
    assert (item.meeting, item.number, item.public, item.resultRaw) == ("77", "N 3", False, "zurückgestellt")


# ---------------------------------------------------------------- agendas (to010)


def _to010(table: str, encoding: str = "utf-8") -> Page:
    body = (
        '<h1 class="title">Sitzung des Rates - 22.09.2026</h1><div id="headLeft">'
        + _field("Betreff:", "sibetreff", "<p>Sitzung des Rates</p>")
        + _field("Datum:", "sidatum", "Sep 22, 2026")
        + _field("Raum:", "siraum", "Ratssaal, Rathaus Große Straße")
        + f"</div>{table}"
    )
    return _page("https://ris.example.test/public/to010?SILFDNR=300", body, encoding)


def _agenda(page: Page) -> list[tuple]:
    return [(i.systemId, i.number, i.name, i.public, i.paper, i.paperReference)
            for i in allris4.parse(page, "test").items if i.type == "AgendaItem"]


def test_agenda_without_number_classes_and_tbody_is_read_from_the_rows() -> None:
    """Another table id, no ``td.tonr``/``td.tobetreff`` classes, no ``tbody``: numbers are read from their text."""
    table = (
        '<table class="dataTable toTable" id="agendaTable"><tr><th>TOP</th><th>Betreff</th><th>Vorlage</th></tr>'
        '<tr class="beratung"><td></td><td><p>Öffentlicher Teil</p></td><td></td></tr>'
        '<tr data-tt-id="1"><td><a href="#" id="link_5001">1</a></td><td><a href="./to020?TOLFDNR=5001">Eröffnung</a></td><td></td></tr>'
        '<tr data-tt-id="2"><td><a href="#" id="link_5002">2</a></td><td><a href="./to020?TOLFDNR=5002">Radverkehrsplan</a></td>'
        '<td><a href="./vo020?VOLFDNR=6001">VO/2026/17</a></td></tr>'
        '<tr class="beratung"><td></td><td><p>Nichtöffentlicher Teil</p></td><td></td></tr>'
        '<tr data-tt-id="3"><td><a href="#" id="link_5003">3</a></td><td>Personalangelegenheit</td><td></td></tr>'
        '</table>'
    )
    page = _to010(table)
    assert _agenda(page) == [
        ("5001", "1", "Eröffnung", True, None, None),
        ("5002", "2", "Radverkehrsplan", True, "6001", "VO/2026/17"),
        ("5003", "3", "Personalangelegenheit", False, None, None),
    ]
    meeting = allris4.parse(page, "test").items[0]
    assert (meeting.name, meeting.dateRaw) == ("Sitzung des Rates", "Sep 22, 2026")


def test_a_meeting_link_in_the_paper_column_is_no_paper() -> None:
    """A postponed item links the meeting it comes from where the paper would stand."""
    table = (
        '<table id="toTreeTable"><tbody>'
        '<tr data-tt-id="1"><td class="tonr"><a href="#" id="link_7001">Ö 5</a></td>'
        '<td class="tobetreff"><a>Parkraumkonzept</a></td>'
        '<td class="tovonr"><a href="./to010?SILFDNR=290&amp;TOLFDNR=6999">vertagt aus 01.09.2026</a></td></tr>'
        '</tbody></table>'
    )
    assert _agenda(_to010(table)) == [("7001", "Ö 5", "Parkraumkonzept", True, None, None)]


def test_iso_8859_1_page_decodes_like_the_utf8_page() -> None:
    table = ('<table id="toTreeTable"><tbody><tr data-tt-id="1"><td class="tonr"><a href="#" id="link_8001">Ö 1</a></td>'
             '<td class="tobetreff"><a>Straßenausbau Größenweg</a></td></tr></tbody></table>')
    utf8 = allris4.parse(_to010(table, "utf-8"), "test").items
    latin = allris4.parse(_to010(table, "iso-8859-1"), "test").items
    assert utf8 == latin
    assert utf8[1].name == "Straßenausbau Größenweg"


# ---------------------------------------------------------------- papers (vo020)


def _vo020(extra: str) -> Page:
    body = (
        '<h1 class="title">Beschlussvorlage - VO/2026/17</h1><div id="headLeft">'
        '<div class="row"><dl><dt class="colTitle"><span class="label"><a aria-describedby="vobetreff">Betreff:</a></span></dt>'
        '<dd><span id="vobetreff"><p>Radverkehrsplan</p></span></dd></dl></div>'
        '<div class="row"><dl><dt><span class="label"><a aria-describedby="vofamt">Federführende Organisationseinheit:</a></span></dt>'
        '<dd><span id="vofamt">FB 61 Stadtplanung</span></dd></dl></div>'
        '<div data-wicket-placeholder="" hidden="" id="id9"></div></div>' + extra
    )
    return _page("https://ris.example.test/public/vo020?VOLFDNR=6001", body)


def test_paper_without_beratungsfolge_documents_and_sachverhalt() -> None:
    parsed = allris4.parse(_vo020(""), "test")
    (paper,) = parsed.items
    assert (paper.reference, paper.paperType, paper.name, paper.leadOfficeRaw, paper.sachverhalt) == (
        "VO/2026/17", "Beschlussvorlage", "Radverkehrsplan", "FB 61 Stadtplanung", None)
    assert parsed.follow == []


def test_paper_with_only_a_beschlussvorschlag_and_an_unscheduled_station() -> None:
    extra = (
        '<div class="compFull"><h2 class="expandedTitle">Beschlussvorschlag</h2><div class="docPart" id="htm9">'
        '<p class="MsoNormal">Der Rat beschließt den Plan.</p></div></div>'
        '<div class="compFull"><h2 class="expandedTitle">Sachverhalt</h2></div>'
        '<div id="bfTable"><table class="bfTable"><thead><tr><th>Status</th><th>Datum</th><th>Gremium</th><th>Beschluss</th><th></th></tr></thead>'
        '<tbody><tr><td><span class="wfcolorDesc">Geplant</span></td><td></td><td>Rat der Stadt</td><td>Entscheidung</td><td></td></tr>'
        '</tbody></table></div>'
    )
    parsed = allris4.parse(_vo020(extra), "test")
    paper = parsed.items[0]
    assert (paper.beschlussvorschlag, paper.sachverhalt) == ("Der Rat beschließt den Plan.", None)
    assert [(c.organizationName, c.role, c.state, c.meeting, c.dateRaw) for c in parsed.items if c.type == "Consultation"] == [
        ("Rat der Stadt", "Entscheidung", "Geplant", None, None)]


# ---------------------------------------------------------------- calendars (si010 Ajax answer)


def _calendar_answer(rows: str) -> Page:
    table = ('<div id="id2a"><table id="id2d" class="calenderView hoverRow stickyHeader"><thead><tr class="headers">'
             '<th class="dateCol">Date</th><th class="time">Time</th><th class="textCol">Meeting</th><th class="raum">Room</th>'
             f"</tr></thead><tbody>{rows}</tbody></table></div>")
    text = f'<?xml version="1.0" encoding="UTF-8"?><ajax-response><component id="id2a" ><![CDATA[{table}]]></component></ajax-response>'
    return Page.from_bytes("https://ris.example.test/public/si010?0-1.0-&MM=10&YY=2026", text.encode("utf-8"))


def test_calendar_day_with_several_meetings_yields_each_with_its_time_and_room() -> None:
    """English locale (weekday "Thu", English tooltip), two meetings on one day, one link without ``id="si_…"``."""
    rows = (
        '<tr class="thu odd"><td class="nowrapContent"><span class="dow">Thu</span><span class="dom">01</span></td>'
        '<td class="time"><div>17:00</div><div>19:00</div></td>'
        '<td class="textCol"><div><a href="./to010?SILFDNR=1000686&amp;refresh=false" id="si_1000686" '
        'data-simpletooltip-text=" on Thu, Oct 1, 2026 at 5:00 PM.">Finanzausschuss</a></div>'
        '<div><a href="./to010?SILFDNR=1000690&amp;refresh=false">Ortsbeirat Mitte</a></div></td>'
        '<td class="raum"><div>Rathaus, Großer Saal</div><div>Bürgerhaus Mitte</div></td></tr>'
        '<tr class="fri even emptyRow"><td class="nowrapContent"><span class="dow">Fri</span><span class="dom">02</span></td>'
        '<td colspan="3"><div> </div></td></tr>'
        '<tr class="mon odd"><td class="nowrapContent"><span class="dow">Mon</span><span class="dom">05</span></td>'
        '<td class="time"><div>18:00</div></td><td class="textCol"><div><a id="si_1000700">Jugendhilfeausschuss</a></div></td>'
        '<td class="raum"><div>Raum 3</div></td></tr>'
    )
    parsed = allris4.parse(_calendar_answer(rows), "test")
    assert [(m.systemId, m.name, m.dateRaw, m.timeRaw, m.room) for m in parsed.items] == [
        ("1000686", "Finanzausschuss", "01.10.2026", "17:00", "Rathaus, Großer Saal"),
        ("1000690", "Ortsbeirat Mitte", "01.10.2026", "19:00", "Bürgerhaus Mitte"),
        ("1000700", "Jugendhilfeausschuss", "05.10.2026", "18:00", "Raum 3"),
    ]
    assert [link.url for link in parsed.follow] == [
        "https://ris.example.test/public/to010?SILFDNR=1000686", "https://ris.example.test/public/to010?SILFDNR=1000690"]


def test_beratungsfolge_with_unmarked_excerpt_buttons_and_english_dates() -> None:
    """The "NA" button without ``objAnchor`` class is no result; a station put on two meetings gives two rows."""
    extra = (
        '<div id="bfTable"><table class="bfTable"><thead><tr><th>Status</th><th>Datum</th><th>Gremium</th><th>Beschluss</th><th>NA</th></tr></thead>'
        '<tbody><tr><td><span class="wfcolorDesc">Erledigt</span></td><td></td><td>Bauausschuss</td><td>Vorberatung</td><td></td></tr>'
        '<tr><td></td><td class="date">Aug 20, 2026</td><td><a href="./to010?SILFDNR=501&amp;TOLFDNR=601">Bauausschuss</a></td>'
        '<td><a href="./to020?TOLFDNR=601">vertagt</a></td><td class="toLink"><a href="./to020?TOLFDNR=601">NA</a></td></tr>'
        '<tr><td></td><td class="date">Sep 17, 2026</td><td><a href="./to010?SILFDNR=502&amp;TOLFDNR=602">Bauausschuss</a></td>'
        '<td></td><td class="toLink"><a href="./to020?TOLFDNR=602">NA</a></td></tr>'
        '</tbody></table></div>'
    )
    parsed = allris4.parse(_vo020(extra), "test")
    assert [(c.organizationName, c.role, c.meeting, c.agendaItem, c.dateRaw, c.resultRaw)
            for c in parsed.items if c.type == "Consultation"] == [
        ("Bauausschuss", "Vorberatung", "501", "601", "Aug 20, 2026", "vertagt"),
        ("Bauausschuss", "Vorberatung", "502", "602", "Sep 17, 2026", None),
    ]


def test_agenda_page_without_betreff_field_is_read_from_its_tree_rows() -> None:
    """No ``#sibetreff`` (an install hides it) and no ``#toTreeTable`` id: the ``data-tt-id`` rows still make the agenda."""
    body = (
        '<h1 class="title">Sitzung des Rates - 22.09.2026</h1><div id="headLeft">'
        + _field("Datum:", "sidatum", "Di., 22.09.2026")
        + '</div><table class="toTable"><tbody>'
        '<tr data-tt-id="1"><td class="tonr"><a href="#" id="link_9101">Ö 1</a></td><td class="tobetreff"><a>Eröffnung</a></td></tr>'
        '<tr data-tt-id="2" data-tt-parent-id="1"><td class="tonr"><a href="#" id="link_9102">Ö 1.1</a></td>'
        '<td class="tobetreff"><a>Feststellung der Beschlussfähigkeit</a></td></tr></tbody></table>'
    )
    items = allris4.parse(_page("https://ris.example.test/public/to010?SILFDNR=301", body), "test").items
    assert (items[0].type, items[0].dateRaw) == ("Meeting", "Di., 22.09.2026")
    assert [(i.systemId, i.number, i.name, i.parent) for i in items[1:]] == [
        ("9101", "Ö 1", "Eröffnung", None), ("9102", "Ö 1.1", "Feststellung der Beschlussfähigkeit", "9101")]
