"""ALLRIS classic pages in forms other installs print: the parser keys on what the system writes, not on one town's layout.

Each page is written by hand in the structure of the real pages under
``shared/corpus/allris3`` (cell classes ``kb1``/``text1``…, ``…LFDNR`` ids in
links and hidden fields, ``<a name="allris…">`` text sections), changed the way
another install changes it: another calendar program or table class, a
city-CMS frame instead of ALLRIS' own, optional blocks left out, cells
without classes, Word markup in the texts, another encoding.
"""

from __future__ import annotations

from spiders.dialects import allris_classic as ac
from spiders.dialects.base import Page

_META = '<meta name="description" content="ALLRIS net Version 3.9.4 (191209m)" />'


def _page(url: str, body: str, encoding: str = "iso-8859-1", head: str = _META) -> Page:
    html = (f'<?xml version="1.0" encoding="{encoding}"?><html><head>'
            f'<meta http-equiv="content-type" content="text/html; charset={encoding}" />{head}</head>'
            f"<body>{body}</body></html>")
    return Page.from_bytes(url, html.encode(encoding))


def _to_button(silfdnr: str) -> str:
    return (f'<form action="to010.asp" method="post" style="margin:0"><input type="hidden" name="SILFDNR" value="{silfdnr}" />'
            '<input type="submit" class="il1_to" value="TO" title="Tagesordnung" /></form>')


def _follow_summary(parsed) -> list[tuple]:
    return [(link.url.rsplit("SILFDNR=", 1)[1], link.meta["name"], link.meta["dateRaw"], link.meta["timeRaw"])
            for link in parsed.follow]


# ---------------------------------------------------------------- month calendars


def test_month_grid_with_several_meetings_per_day_yields_every_meeting() -> None:
    """A grid calendar: one row per week, one cell per day, each day cell listing its meetings."""
    week = (
        '<tr><td class="zl12"><span class="dom">7</span></td>'
        '<td class="zl12"><div>8</div><div>17:00 <a href="to010.asp?SILFDNR=501">Rat der Stadt</a></div>'
        '<div>18:30 <a href="to010.asp?SILFDNR=502">Jugendhilfeausschuss</a></div></td>'
        '<td class="zl12">9</td>'
        f'<td class="zl12">10<br/>16:00 Integrationsrat {_to_button("503")}</td>'
        '<td class="zl12">11<br/>19:00 Fraktionssitzung SPD</td>'
        '<td class="zl16">12</td><td class="zl17">13</td></tr>'
    )
    week2 = ('<tr><td>14</td><td>15</td><td>16<br/><a href="to010.asp?SILFDNR=504">Bauausschuss</a></td>'
             '<td>17</td><td>18</td><td>19</td><td>20</td></tr>')
    page = _page(
        "https://ris.example.test/bi/si010_a.asp?MM=9&YY=2026",
        '<div id="allriscontainer" class="si010"><h2>September 2026</h2>'
        f'<table class="tl1"><tr><th>Mo</th><th>Di</th><th>Mi</th><th>Do</th><th>Fr</th><th>Sa</th><th>So</th></tr>{week}{week2}</table></div>',
    )
    parsed = ac.parse(page, "test")
    assert _follow_summary(parsed) == [
        ("501", "Rat der Stadt", "08.09.2026", "17:00"),
        ("502", "Jugendhilfeausschuss", "08.09.2026", "18:30"),
        ("503", "Integrationsrat", "10.09.2026", "16:00"),
        ("504", "Bauausschuss", "16.09.2026", None),
    ]
    assert parsed.items == []  # the Fraktionssitzung names no SILFDNR: nothing to key it on


def test_two_meetings_side_by_side_in_one_list_row_are_both_read() -> None:
    page = _page(
        "https://ris.example.test/bi/si010_e.asp?MM=9&YY=2026",
        '<div id="allriscontainer" class="si010"><table class="tl1">'
        '<tr class="zl11"><td class="text2">Di</td><td class="text2">&nbsp;&nbsp;1</td>'
        '<td><table class="tl2"><tr><td class="text2">17:00</td><td><a href="to010.asp?SILFDNR=601">Rat</a></td></tr>'
        '<tr><td class="text2">19:00</td><td><a href="to010.asp?SILFDNR=602">Sportausschuss</a></td></tr></table></td></tr>'
        '</table></div>',
    )
    assert [(s, n, t) for s, n, _, t in _follow_summary(ac.parse(page, "test"))] == [
        ("601", "Rat", "17:00"),
        ("602", "Sportausschuss", "19:00"),
    ]


def test_day_cells_spanning_several_meeting_rows_keep_day_time_and_name_apart() -> None:
    """si010_e of another install: weekday and day cells with ``rowspan``, so later rows of the day start with the time."""
    ics = ('<form action="to010.asp" method="post"><input type="hidden" name="SILFDNR" value="{0}"/>'
           '<input type="hidden" name="selfaction" value="Termin exportieren"/><input type="hidden" name="template" value="ics"/>'
           '<input type="image" src="images/calexp.gif"/></form>')
    rows = (
        '<tr class="zl11"><td class="text2" rowspan="3">Mi</td><td class="text2" rowspan="3">&nbsp;&nbsp;4</td>'
        f'<td class="text2">16:00&nbsp;</td><td>{ics.format("801")}</td><td>{_to_button("801")}</td>'
        '<td><a href="to010.asp?SILFDNR=801">Sitzung des Haushaltsausschusses</a></td><td class="text4">Saal 1</td></tr>'
        f'<tr class="zl11"><td class="text2">18:00 - 18:30&nbsp;</td><td>{ics.format("802")}</td><td>&nbsp;</td>'
        '<td>Sitzung des Vorstandes</td><td class="text4">Raum 2</td></tr>'
        f'<tr class="zl11"><td class="text2">19:00&nbsp;</td><td>{ics.format("803")}</td><td>{_to_button("803")}</td>'
        '<td>Sitzung des Seniorenbeirates</td><td class="text4">Raum 3</td></tr>'
        '<tr class="zl12"><td class="text2">Do</td><td class="text2">&nbsp;&nbsp;5</td>'
        f'<td class="text2">17:00&nbsp;</td><td>{ics.format("804")}</td><td>{_to_button("804")}</td>'
        '<td><a href="to010.asp?SILFDNR=804">Sitzung des Rates</a></td><td class="text4">Ratssaal</td></tr>'
    )
    page = _page("https://ris.example.test/bi/si010_e.asp?MM=11&YY=2026",
                 f'<div id="allriscontainer" class="si010"><table class="tl1">{rows}</table></div>')
    parsed = ac.parse(page, "test")
    assert [(*summary, link.meta["room"]) for summary, link in zip(_follow_summary(parsed), parsed.follow)] == [
        ("801", "Sitzung des Haushaltsausschusses", "04.11.2026", "16:00", "Saal 1"),
        ("803", "Sitzung des Seniorenbeirates", "04.11.2026", "19:00", "Raum 3"),
        ("804", "Sitzung des Rates", "05.11.2026", "17:00", "Ratssaal"),
    ]
    assert [(m.systemId, m.name, m.dateRaw, m.timeRaw, m.room) for m in parsed.items] == [
        ("802", "Sitzung des Vorstandes", "04.11.2026", "18:00 - 18:30", "Raum 2")]


def test_calendar_in_a_cms_table_of_its_own_class_is_read() -> None:
    """Embedded in a city CMS: no ALLRIS frame, the CMS's table class, the CMS's URL."""
    body = (
        '<div id="cms-content"><div class="allriscontent"><h2>Oktober 2026</h2>'
        '<p><a href="/bi/si010_e.asp?MM=9&amp;YY=2026" title="Vorheriger Monat">&lt;</a></p>'
        '<table class="cms-table">'
        '<tr><td>Mo</td><td>5</td><td>17:00 - 18:00</td><td><a href="/bi/to010.asp?SILFDNR=701">Hauptausschuss</a></td>'
        f'<td>{_to_button("701")}</td><td class="text4">Ratssaal</td></tr>'
        '<tr><td>Di</td><td>6</td><td>18:00</td><td>Ortsrat Nord (ENTFÄLLT!)</td>'
        '<td><form action="/bi/si018.asp" method="post"><input type="hidden" name="SILFDNR" value="702"/></form></td><td></td></tr>'
        '</table></div></div>'
    )
    page = _page("https://www.stadt.example.test/politik/sitzungskalender", body)
    assert ac.page_kind(page) == "calendar"
    parsed = ac.parse(page, "test")
    assert _follow_summary(parsed) == [("701", "Hauptausschuss", "05.10.2026", "17:00 - 18:00")]
    assert parsed.follow[0].url == "https://www.stadt.example.test/bi/to010.asp?SILFDNR=701"
    assert parsed.follow[0].meta["room"] == "Ratssaal"
    assert [(m.systemId, m.name, m.dateRaw, m.cancelled) for m in parsed.items] == [
        ("702", "Ortsrat Nord (ENTFÄLLT!)", "06.10.2026", True)]


# ---------------------------------------------------------------- agendas (to010)

_TO010_URL = "https://ris.example.test/bi/to010.asp?SILFDNR=900"


def _to010(rows: str, table_class: str = "tl1", frame: bool = True, encoding: str = "iso-8859-1") -> Page:
    head = ('<table class="tk1"><tr><td class="kb1">Gremium:</td><td class="text2"><a href="au020.asp?AULFDNR=5">Rat der Stadt</a></td></tr>'
            '<tr><td class="kb1">Datum:</td><td class="text2">Di, 01.09.2026</td>'
            '<td class="kb1">Zeit:</td><td class="text2">17:00 - 19:00</td></tr>'
            '<tr><td class="kb1">Raum:</td><td class="text2">Großer Saal</td></tr></table>')
    inner = f'{head}<table class="{table_class}">{rows}</table>'
    if frame:
        body = f'<div id="allriscontainer" class="to010"><div id="risname"><h1>Tagesordnung - Rat der Stadt</h1></div>{inner}</div>'
    else:
        body = f'<div class="allriscontent"><div id="risname_raw"><h1>Tagesordnung - Rat der Stadt</h1></div>{inner}</div>'
    return _page(_TO010_URL, body, encoding=encoding)


def _agenda(page: Page) -> list[tuple]:
    return [(i.systemId, i.number, i.name, i.public, i.paper) for i in ac.parse(page, "test").items if i.type == "AgendaItem"]


def test_agenda_numbers_without_cell_classes_are_read_from_their_text() -> None:
    rows = (
        '<tr><th>TOP</th><th>Betreff</th><th>Vorlage</th></tr>'
        '<tr><td colspan="3">Öffentlicher Teil</td></tr>'
        '<tr><td>1</td><td><a href="to020.asp?TOLFDNR=11">Eröffnung der Sitzung</a></td><td></td></tr>'
        '<tr><td>2.1</td><td><a href="to020.asp?TOLFDNR=12">Haushalt 2027</a></td>'
        '<td><a href="vo020.asp?VOLFDNR=77">2026/123</a></td></tr>'
        '<tr><td colspan="3">Nichtöffentlicher Teil</td></tr>'
        '<tr><td>3.</td><td><a href="to020.asp?TOLFDNR=13">Grundstücksangelegenheit</a></td><td></td></tr>'
    )
    assert _agenda(_to010(rows, table_class="agenda", frame=False)) == [
        ("11", "1", "Eröffnung der Sitzung", True, None),
        ("12", "2.1", "Haushalt 2027", True, "77"),
        ("13", "3.", "Grundstücksangelegenheit", False, None),
    ]


def test_a_link_from_the_paper_column_to_an_earlier_meeting_is_no_id_of_the_item() -> None:
    """The paper column may point at the meeting an item was postponed from (to010 with its TOLFDNR)."""
    rows = (
        '<tr class="zl11"><td class="text4"><a href="to020.asp?TOLFDNR=21">Ö&nbsp;4</a></td>'
        '<td><a href="to010.asp?SILFDNR=850&amp;TOLFDNR=777">vertagt aus der Sitzung vom 01.07.2026</a></td>'
        '<td><form action="to020.asp" method="post"><input type="hidden" name="TOLFDNR" value="21"/>'
        '<input type="submit" class="il1_naz" value="NA" title="ungeändert beschlossen"/></form></td>'
        '<td><a href="to020.asp?TOLFDNR=21">Radweg Südstadt</a></td></tr>'
    )
    parsed = ac.parse(_to010(rows), "test")
    (item,) = [i for i in parsed.items if i.type == "AgendaItem"]
    assert (item.systemId, item.meeting, item.number, item.name, item.paper, item.resultRaw) == (
        "21", "900", "Ö 4", "Radweg Südstadt", None, "ungeändert beschlossen")


def test_utf8_and_iso_8859_1_pages_give_the_same_items() -> None:
    rows = ('<tr class="zl11"><td class="text4">Ö&nbsp;1</td>'
            '<td><a href="to020.asp?TOLFDNR=31">Förderung der Ökologie, Straßenbäume</a></td></tr>')
    latin = ac.parse(_to010(rows, encoding="iso-8859-1"), "test").items
    utf8 = ac.parse(_to010(rows, encoding="utf-8"), "test").items
    assert latin == utf8
    meeting = latin[0]
    assert (meeting.room, meeting.dateRaw) == ("Großer Saal", "Di, 01.09.2026")
    assert latin[1].name == "Förderung der Ökologie, Straßenbäume"


# ---------------------------------------------------------------- papers (vo020)

_VO020_URL = "https://ris.example.test/bi/vo020.asp?VOLFDNR=1234"


def _vo020(rows: str, after: str = "", frame: bool = True, me1: str = "") -> Page:
    table = (f'<table class="tk1"><tr><td class="ko1"><table class="tk1">'
             '<tr><td class="kb1">Betreff:</td><td class="text1" colspan="3">Spielplatz am Markt</td></tr>'
             '<tr><td class="kb1">Status:</td><td class="text3">öffentlich</td>'
             '<td class="kb1">Vorlage-Art:</td><td class="text4">Beschlussvorlage</td></tr>'
             f'{rows}</table></td><td class="me1">{me1}</td></tr></table>{after}')
    if frame:
        body = (f'<div id="allriscontainer" class="vo020"><div id="risname"><h1>Vorlage - VO/2026/17</h1></div>'
                f'<table class="risdeco"><tr><td>{table}</td></tr></table></div>')
    else:
        body = f'<div class="allriscontent"><div id="risname_raw"><h1>Vorlage - VO/2026/17</h1></div>{table}</div>'
    return _page(_VO020_URL, body)


def test_paper_without_beratungsfolge_documents_and_texts_is_still_a_paper() -> None:
    parsed = ac.parse(_vo020('<tr><td class="kb1">Federführend:</td><td class="text4">Amt 51</td></tr>'), "test")
    (paper,) = parsed.items
    assert (paper.systemId, paper.reference, paper.name, paper.paperType, paper.leadOfficeRaw) == (
        "1234", "VO/2026/17", "Spielplatz am Markt", "Beschlussvorlage", "Amt 51")
    assert (paper.sachverhalt, paper.beschlussvorschlag) == (None, None)
    assert parsed.follow == []
    assert parsed.fields_seen["consultations"] is False and parsed.fields_seen["mainFile"] is False


def test_paper_in_a_cms_page_with_only_a_beschlussvorschlag_and_an_unscheduled_station() -> None:
    rows = ('<tr><td class="kb1" colspan="4">Beratungsfolge:</td></tr><tr><td colspan="4"><table>'
            '<tr class="zl12"><td bgcolor="#ffffff" title="Geplant"></td><td class="text1">Bauausschuss</td>'
            '<td class="text1">Vorberatung</td></tr>'
            '<tr class="zl12"><td bgcolor="#ffffff" title="Geplant"></td><td class="text1">Rat der Stadt</td>'
            '<td class="text1">Entscheidung</td></tr>'
            '<tr class="zl12"><td bgcolor="#ffffff" title="Geplant"></td><td class="text2">03.11.2026</td>'
            '<td><a href="to010.asp?SILFDNR=88">Sitzung des Rates</a></td><td class="text3"></td></tr>'
            '</table></td></tr>')
    after = ('<hr/><a name="allrisBV"></a><?xml version="1.0" encoding="iso-8859-1"?><html><body>'
             '<p class="MsoNormal">Der Rat beschließt den Spielplatz.</p></body></html>')
    parsed = ac.parse(_vo020(rows, after, frame=False), "test")
    paper = parsed.items[0]
    assert (paper.reference, paper.sachverhalt, paper.beschlussvorschlag) == (
        "VO/2026/17", None, "Der Rat beschließt den Spielplatz.")
    stations = [(c.organizationName, c.role, c.meeting, c.dateRaw) for c in parsed.items if c.type == "Consultation"]
    assert stations == [("Bauausschuss", "Vorberatung", None, None), ("Rat der Stadt", "Entscheidung", "88", "03.11.2026")]


# ---------------------------------------------------------------- excerpts (to020)


def test_vote_table_in_word_markup_inside_the_beschluss_becomes_the_vote_text() -> None:
    """No Abstimmungsergebnis section: the counts stand in a Word table inside the Beschluss text."""
    body = (
        '<div id="allriscontainer" class="to020"><div id="risname"><h1>Auszug - Radweg Südstadt</h1></div>'
        '<table class="tk1"><tr><td class="kb1">TOP:</td><td class="text2">Ö 4</td></tr>'
        '<tr><td class="kb1">Beschlussart:</td><td class="text2">mehrheitlich beschlossen</td></tr>'
        '<tr><td class="kb1">Gremium:</td><td class="text2"><a href="au020.asp?AULFDNR=5">Rat</a></td></tr></table>'
        '<a href="to010.asp?SILFDNR=900">Sitzung</a>'
        '<hr/><a name="allrisBS"></a><?xml version="1.0" encoding="iso-8859-1"?><html><body>'
        '<p class="MsoNormal">Der Rat beschließt den Radweg.</p>'
        '<table class="MsoNormalTable" border=1><tr><td><p class="MsoNormal">Ja</p></td><td><p class="MsoNormal">Nein</p></td>'
        '<td><p class="MsoNormal">Enthaltung</p></td></tr>'
        '<tr><td><p class="MsoNormal">25</p></td><td><p class="MsoNormal">7</p></td><td><p class="MsoNormal">2</p></td></tr></table>'
        '</body></html></div>'
    )
    parsed = ac.parse(_page("https://ris.example.test/bi/to020.asp?TOLFDNR=21", body), "test")
    (item,) = parsed.items
    assert (item.systemId, item.meeting, item.number, item.resultRaw) == ("21", "900", "Ö 4", "mehrheitlich beschlossen")
    assert item.resolutionText.startswith("Der Rat beschließt den Radweg.")
    assert item.voteRaw == "Ja | Nein | Enthaltung\n25 | 7 | 2"


def test_excerpt_with_other_labels_for_number_result_and_vote() -> None:
    """Installs label the grid differently: "Tagesordnungspunkt:", "Ergebnis:", "Abstimmung:" in a label cell."""
    body = (
        '<div class="allriscontent"><div id="risname_raw"><h1>Auszug - Haushalt 2027</h1></div>'
        '<table class="tk1"><tr><td class="kb1">Tagesordnungspunkt:</td><td class="text2">N 7</td></tr>'
        '<tr><td class="kb1">Ergebnis:</td><td class="text2">abgelehnt</td>'
        '<td class="kb1">Abstimmung:</td><td class="text2">Ja: 3, Nein: 9</td></tr></table>'
        '<form action="to010.asp" method="post"><input type="hidden" name="SILFDNR" value="901"/>'
        '<input type="submit" class="il1_to" value="TO"/></form></div>'
    )
    (item,) = ac.parse(_page("https://ris.example.test/bi/to020.asp?TOLFDNR=22", body), "test").items
    assert (item.systemId, item.meeting, item.number, item.public, item.name, item.resultRaw, item.voteRaw) == (
        "22", "901", "N 7", False, "Haushalt 2027", "abgelehnt", "Ja: 3, Nein: 9")


def test_a_continuation_row_of_a_meeting_is_no_second_meeting() -> None:
    """Some installs print a meeting on two rows: the second holds only its minutes button (si016)."""
    rows = (
        '<tr class="zl11"><td class="text2">Mo</td><td class="text2">9</td><td class="text2">17:00</td>'
        '<td><a href="to010.asp?SILFDNR=811">Sitzung des Umweltausschusses</a></td></tr>'
        '<tr class="zl11"><td></td><td></td><td></td><td><form action="si016.asp?SELECT=1" method="post">'
        '<input type="hidden" name="SILFDNR" value="811"/><input type="submit" class="il1_ns" value="Pro" title="Niederschrift"/></form></td></tr>'
    )
    page = _page("https://ris.example.test/bi/si010_e.asp?MM=11&YY=2026",
                 f'<div id="allriscontainer" class="si010"><table class="tl1">{rows}</table></div>')
    parsed = ac.parse(page, "test")
    assert _follow_summary(parsed) == [("811", "Sitzung des Umweltausschusses", "09.11.2026", "17:00")]
    assert parsed.items == []


def test_responsive_excerpt_reads_labels_linked_to_their_fields() -> None:
    """``to020_r.asp``: label links ``a[aria-describedby]`` point at ``span#…`` fields, texts in ``div#allris…`` blocks."""
    body = (
        '<div id="allris" class="to020 normal"><h1 class="title">Auszug - Spielplatzkonzept</h1>'
        '<div class="row"><div class="label"><a aria-describedby="totop">TOP:</a></div><span class="text4" id="totop">Ö 6</span></div>'
        '<div class="row"><div class="label"><a aria-describedby="tobeschlussart">Beschlussart:</a></div>'
        '<span class="text4" id="tobeschlussart">ungeändert beschlossen</span></div>'
        '<a href="to010_r.asp?SILFDNR=920">Sitzung des Jugendhilfeausschusses</a>'
        '<a href="vo020_r.asp?VOLFDNR=4444">VO/2026/44 Spielplatzkonzept</a></div>'
    )
    parsed = ac.parse(_page("https://ris.example.test/bi/to020_r.asp?TOLFDNR=23", body, head=""), "test")
    (item,) = parsed.items
    assert (item.systemId, item.meeting, item.number, item.public, item.name, item.resultRaw, item.paper, item.paperReference) == (
        "23", "920", "Ö 6", True, "Spielplatzkonzept", "ungeändert beschlossen", "4444", "VO/2026/44")


def test_beratungsfolge_whose_cells_carry_no_classes_is_read_by_its_ids() -> None:
    """An install without ``text1``/``text2``/``text3`` cell classes: rows told apart by SILFDNR and TOLFDNR."""
    rows = ('<tr><td class="kb1" colspan="4">Beratungsfolge:</td></tr><tr><td colspan="4"><table>'
            '<tr class="zl12"><td bgcolor="#ffffff" title="Erledigt"></td><td>Bauausschuss</td><td>Vorberatung</td></tr>'
            '<tr class="zl12"><td bgcolor="#ffffff" title="Erledigt"></td>'
            '<td><a href="si010_e.asp?YY=2026&amp;MM=08&amp;DD=20">20.08.2026</a></td>'
            f'<td>{_to_button("61")}</td><td><a href="to010.asp?SILFDNR=61">Sitzung des Bauausschusses</a></td>'
            '<td>ungeändert beschlossen</td><td><form action="to020.asp" method="post"><input type="hidden" name="TOLFDNR" value="71"/>'
            '<input type="submit" class="il1_naz" value="NA" title="Auszug"/></form></td></tr>'
            '<tr class="zl12"><td bgcolor="#ffffff" title="Geplant"></td><td>Rat der Stadt</td><td>Entscheidung</td></tr>'
            '</table></td></tr>')
    parsed = ac.parse(_vo020(rows), "test")
    assert [(c.organizationName, c.role, c.state, c.meeting, c.agendaItem, c.dateRaw, c.resultRaw)
            for c in parsed.items if c.type == "Consultation"] == [
        ("Bauausschuss", "Vorberatung", "Erledigt", "61", "71", "20.08.2026", "ungeändert beschlossen"),
        ("Rat der Stadt", "Entscheidung", "Geplant", None, None, None, None),
    ]


def test_a_list_row_with_numbered_name_and_room_is_no_month_grid() -> None:
    rows = ('<tr><td>Mi</td><td>4</td><td>18:00</td><td><a href="to010.asp?SILFDNR=821">2. Sitzung des Rates</a></td>'
            '<td>3. OG</td><td>1. Sitzungssaal</td></tr>')
    page = _page("https://ris.example.test/bi/si010.asp?MM=11&YY=2026",
                 f'<div id="allriscontainer" class="si010"><table class="tl1">{rows}</table></div>')
    assert _follow_summary(ac.parse(page, "test")) == [("821", "2. Sitzung des Rates", "04.11.2026", "18:00")]


def test_responsive_calendar_day_with_two_meetings_pairs_times_and_rooms() -> None:
    """si010_r: a day's meetings stacked as blocks in the time, meeting and room columns of one row."""
    rows = (
        '<tr class="wed even"><td class="nowrapContent"><span class="dow">Mi</span><span class="dom">2</span></td>'
        '<td class="time"><div>17:00</div><div>19:00</div></td>'
        '<td class="textCol"><div><a href="/bi/to010_r.asp?SILFDNR=2160">Sitzung des Ortsrates Giesen</a></div>'
        '<div><a href="/bi/to010_r.asp?SILFDNR=2161">Sitzung des Schulausschusses</a></div></td>'
        '<td class="raum"><div>Rathaus, Sitzungssaal</div><div>Grundschule, Aula</div></td></tr>'
    )
    page = _page("https://ris.example.test/bi/si010_r.asp?MM=9&YY=2026",
                 f'<div id="allris" class="si010 normal"><table class="calenderView hoverRow"><tbody>{rows}</tbody></table></div>',
                 encoding="iso-8859-15")
    parsed = ac.parse(page, "test")
    assert [(*summary, link.meta["room"]) for summary, link in zip(_follow_summary(parsed), parsed.follow)] == [
        ("2160", "Sitzung des Ortsrates Giesen", "02.09.2026", "17:00", "Rathaus, Sitzungssaal"),
        ("2161", "Sitzung des Schulausschusses", "02.09.2026", "19:00", "Grundschule, Aula"),
    ]


def test_meeting_header_labels_of_other_installs() -> None:
    """"Sitzung:", "Sitzungsdatum:", "Beginn:", "Sitzungsraum:", "Sitzungsort:" instead of Bezeichnung/Datum/Zeit/Raum/Ort."""
    body = (
        '<div class="allriscontent"><div id="risname_raw"><h1>Tagesordnung - Rat</h1></div><table class="tk1">'
        '<tr><td class="kb1">Sitzung:</td><td class="text1">12. Sitzung des Rates</td></tr>'
        '<tr><td class="kb1">Gremium:</td><td class="text2"><a href="au020.asp?AULFDNR=5">Rat der Stadt</a></td></tr>'
        '<tr><td class="kb1">Sitzungsdatum:</td><td class="text2">Do, 24.09.2026</td>'
        '<td class="kb1">Beginn:</td><td class="text2">17:00 Uhr</td></tr>'
        '<tr><td class="kb1">Sitzungsraum:</td><td class="text2">Ratssaal</td>'
        '<td class="kb1">Sitzungsort:</td><td class="text2">Rathaus, Markt 1</td></tr></table>'
        '<table class="tl1"><tr><td class="text4">Ö 1</td><td><a href="to020.asp?TOLFDNR=41">Eröffnung</a></td></tr></table></div>'
    )
    meeting = ac.parse(_page(_TO010_URL, body), "test").items[0]
    assert (meeting.name, meeting.organization, meeting.organizationName, meeting.dateRaw, meeting.timeRaw,
            meeting.room, meeting.locality) == (
        "12. Sitzung des Rates", "au-5", "Rat der Stadt", "Do, 24.09.2026", "17:00 Uhr", "Ratssaal", "Rathaus, Markt 1")
