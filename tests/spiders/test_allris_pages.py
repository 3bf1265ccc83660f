"""ALLRIS pages of towns outside the corpus: golden files for the saved ones, checks on the restored ones.

The corpus (``shared/corpus/allris3``, ``allris4``) holds the towns the
parsers were written on. These pages come from other installs, found in
public scrapers' test fixtures (provenance in ``pages/SOURCES.tsv``): the ones
whose repository's licence allows it are saved under ``pages/allris_classic/``
and compared with a golden file; the others are fetched by
``python -m tests.spiders.pages.restore`` and their tests skip while missing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.normalise.items import normalise_item
from spiders.dialects import detect
from spiders.dialects import allris4, allris_classic
from spiders.dialects.base import Page
from tests.golden import assert_matches_golden
from tests.spiders.pages.restore import restored_path

PAGES = Path(__file__).parent / "pages"
GOLDEN = Path(__file__).parent / "golden" / "allris_pages"
SAVED_FOLDERS = ("allris_classic", "allris4")


def page_at(path: Path, url: str) -> Page:
    return Page.from_bytes(url, path.read_bytes())


def restored(relative: str, url: str) -> Page:
    path = restored_path(relative)
    return page_at(path, url)


def _items(parsed, type_name: str) -> list:
    return [i for i in parsed.items if i.type == type_name]


@pytest.mark.parametrize("name", sorted(p.stem for p in GOLDEN.glob("*.json")))
def test_saved_page_of_another_town_matches_its_golden_file(name: str) -> None:
    golden = json.loads((GOLDEN / f"{name}.json").read_text())
    assert golden["checked"] and golden["checked"] != "TODO"
    page = page_at(PAGES / golden["page"], golden["url"])
    module, evidence = detect(page)
    assert module.NAME == golden["page"].split("/", 1)[0], evidence
    assert module.page_kind(page) == golden["kind"]
    parsed = module.parse(page, golden["source"])
    assert_matches_golden(parsed.items, GOLDEN / f"{name}.json")
    assert [[link.kind, link.url] for link in parsed.follow] == golden["follow"]


def test_every_saved_page_has_a_golden_file() -> None:
    pages = {f"{folder}/{p.name}" for folder in SAVED_FOLDERS if (PAGES / folder).is_dir()
             for p in (PAGES / folder).iterdir() if p.is_file()}
    goldens = {json.loads(p.read_text())["page"] for p in GOLDEN.glob("*.json")}
    assert pages and pages == goldens


# ---------------------------------------------------------------- Hamburg-Harburg, -Wandsbek (bv-hh, MIT)


def test_a_paper_answering_another_names_it_as_related_paper() -> None:
    """Harburg's answer 22-1940.01 links the question 22-1940 in a "Bezüglich:" cell (VO button + link)."""
    page = page_at(PAGES / "allris_classic" / "hamburg-harburg_vo020.html",
                   "https://sitzungsdienst-harburg.hamburg.de/bi/vo020.asp?VOLFDNR=1014761")
    (paper,) = _items(allris_classic.parse(page, "hamburg-harburg"), "Paper")
    assert (paper.reference, paper.relatedPaper) == ("22-1940.01", ["1014743"])


def test_bezueglich_with_several_papers_and_a_form_only_link() -> None:
    """Variant: two related papers, one named only by its VO button's hidden VOLFDNR."""
    html = """<?xml version="1.0" encoding="iso-8859-1"?><html><head>
<meta name="description" content="ALLRIS net Version 3.9.4 (191209m)" /></head><body>
<div id="allriscontainer" class="vo020"><div id="risname"><h1>Vorlage - VO/2026/12&nbsp;&nbsp;</h1></div>
<table class="tk1"><tr><td class="ko1"><table class="tk1">
<tr><td class="kb1">Betreff:</td><td class="text1" colspan="3">Antwort der Verwaltung</td></tr>
<tr><td class="kb1">Status:</td><td class="text3">öffentlich</td><td class="kb1">Vorlage-Art:</td><td class="text4">Mitteilung</td></tr>
<tr><td class="kb1">Bezüglich:</td><td class="text4"><table class="tk1"><tr>
<td><form action="vo020.asp" method="post"><input type="hidden" name="VOLFDNR" value="501" /><input type="submit" class="il1_vo" value="VO" /></form></td>
<td><a href="vo020.asp?VOLFDNR=501">AN/2026/3</a></td></tr><tr>
<td><form action="vo020.asp" method="post"><input type="hidden" name="VOLFDNR" value="502" /><input type="submit" class="il1_vo" value="VO" /></form></td>
</tr></table></td></tr>
<tr><td class="kb1">Federführend:</td><td class="text4"><a href="kp020.asp?KPLFDNR=9">Amt 10</a></td></tr>
</table></td></tr></table></div></body></html>"""
    page = Page.from_bytes("https://ris.example.test/bi/vo020.asp?VOLFDNR=503", html.encode("iso-8859-1"))
    (paper,) = _items(allris_classic.parse(page, "test"), "Paper")
    assert paper.relatedPaper == ["501", "502"]
    assert paper.leadOfficeRaw == "Amt 10"


def test_a_paper_without_bezueglich_has_no_related_paper() -> None:
    page = page_at(PAGES / "allris_classic" / "hamburg-wandsbek_vo020.html",
                   "https://sitzungsdienst-wandsbek.hamburg.de/bi/vo020.asp?VOLFDNR=1025666")
    (paper,) = _items(allris_classic.parse(page, "hamburg-wandsbek"), "Paper")
    assert paper.relatedPaper is None


# ---------------------------------------------------------------- restored pages (no licence: never committed)


def test_wolfsburg_allris4_paper_with_english_date_and_participating_offices() -> None:
    page = restored("allris4/wolfsburg_vo020-1010527.html", "https://ratsinfob.stadt.wolfsburg.de/vo020?VOLFDNR=1010527")
    module, _ = detect(page)
    assert module is allris4
    parsed = allris4.parse(page, "wolfsburg")
    (paper,) = _items(parsed, "Paper")
    assert (paper.reference, paper.name, paper.paperType, paper.leadOfficeRaw) == (
        "K 2026/0725", "Einrichtung von Trinkwasserbrunnen im Innenstadtbereich", "Schriftliche Kenntnisgabe",
        "Geschäftsbereich Straßenbau und Projektkoordination")
    assert paper.participatingOffices == ["Geschäftsbereich Rats- und Rechtsangelegenheiten", "Dezernat I"]
    assert paper.begruendung.startswith("Trinkwasserbrunnen im Stadtgebiet werden")
    (consultation,) = _items(parsed, "Consultation")
    assert (consultation.organizationName, consultation.role, consultation.state, consultation.dateRaw,
            consultation.meeting, consultation.agendaItem, consultation.resultRaw) == (
        "Planungs- und Bauausschuss", "Kenntnisnahme", "Erledigt", "Jan 29, 2026", "1002876", "1089482",
        "zur Kenntnis genommen")
    normalised = normalise_item(consultation)  # as the crawl stages it: the English date is read too
    assert (normalised.date.isoformat(), normalised.result) == ("2026-01-29", "noted")
    assert [(f.role, f.name, f.systemId) for f in _items(parsed, "File")] == [
        ("mainFile", "Vorlage", "doc3513223"), ("auxiliaryFile", "Sammeldokument öffentlich", "doc3513220")]


def test_agenda_with_gaps_in_numbering_non_public_rows_and_an_item_linking_a_meeting() -> None:
    """An ALLRIS 3.9.4 agenda (trimmed by the fixture's author): Ö 3 links the earlier meeting whose minutes it approves."""
    page = restored("allris_classic/nsh_to010-3345.html", "https://ris.example.invalid/bi/to010.asp?SILFDNR=3345")
    parsed = allris_classic.parse(page, "nsh")
    (meeting,) = _items(parsed, "Meeting")
    assert (meeting.organizationName, meeting.organization, meeting.dateRaw) == ("Hauptausschuss", "au-1", "Mi, 02.09.2026")
    assert [(i.number, i.public, i.paper, i.resultRaw) for i in _items(parsed, "AgendaItem")] == [
        ("Ö 3", True, None, "(offen)"),
        ("Ö 4", True, None, "(offen)"),
        ("Ö 6", True, "4445", "zur Kenntnis genommen"),
        ("N 10", False, None, None),
        ("N 11", False, None, None),
        ("Ö 15", True, None, "(offen)"),
    ]


def test_hohenhameln_calendar_without_month_heading_takes_the_month_from_its_url() -> None:
    page = restored("allris_classic/hohenhameln_si010-2026-09.html", "https://www.hohenhameln.de/bi/si010.asp?MM=9&YY=2026")
    parsed = allris_classic.parse(page, "hohenhameln")
    (meeting,) = _items(parsed, "Meeting")  # the Kulturverein's meeting has no agenda link
    assert (meeting.systemId, meeting.name, meeting.dateRaw, meeting.timeRaw) == (
        "1293", "Sitzung Kulturverein", "01.09.2026", "17:00 - 19:00")
    assert [(link.url.rsplit("=", 1)[1], link.meta["name"], link.meta["dateRaw"], link.meta["timeRaw"])
            for link in parsed.follow] == [
        ("1206", "Sitzung des Ortsrates Harber", "03.09.2026", "18:00 - 18:41"),
        ("1207", "Sitzung des Ortsrates Hohenhameln", "03.09.2026", "18:00 - 19:29"),
    ]


def test_sub_items_of_a_classic_agenda_name_the_item_they_belong_to() -> None:
    """Wandsbek groups 18 petitions under "Ö 4 Eingaben", one of them with a statement "Ö 4.17.1"."""
    page = page_at(PAGES / "allris_classic" / "hamburg-wandsbek_to010.html",
                   "https://sitzungsdienst-wandsbek.hamburg.de/bi/to010.asp?SILFDNR=1003545")
    items = {i.number: i for i in _items(allris_classic.parse(page, "hamburg-wandsbek"), "AgendaItem")}
    assert items["Ö 4"].parent is None
    assert {items[f"Ö 4.{n}"].parent for n in range(1, 19)} == {items["Ö 4"].systemId}
    assert items["Ö 4.17.1"].parent == items["Ö 4.17"].systemId
    assert items["Ö 5.1"].parent == items["Ö 5"].systemId


def test_sub_item_numbers_without_prefix_and_without_their_parent_on_the_page() -> None:
    """Variant: numbers printed "3." / "3.1" (no Ö/N), a non-public "N 5.1" whose "N 5" is not listed, and "Ö 10a"."""
    def row(number: str, tolfdnr: str, title: str) -> str:
        return (f'<tr class="zl11"><td class="text4"><a href="to010.asp?SILFDNR=7&amp;TOLFDNR={tolfdnr}#beschluss">{number}</a></td>'
                f'<td><a href="to020.asp?TOLFDNR={tolfdnr}">{title}</a></td></tr>')
    rows = "".join(row(n, t, f"Punkt {n}") for n, t in
                   [("3.", "31"), ("3.1", "32"), ("3.1.1", "33"), ("3.2", "34"), ("N 5.1", "51"), ("Ö 10", "100"), ("Ö 10a", "101")])
    html = f"""<?xml version="1.0" encoding="iso-8859-1"?><html><head>
<meta name="description" content="ALLRIS net Version 3.9.4 (191209m)" /></head><body>
<div id="allriscontainer" class="to010"><div id="risname"><h1>Tagesordnung - Sitzung des Rates</h1></div>
<table class="tk1"><tr><td class="kb1">Gremium:</td><td class="text1"><a href="au020.asp?AULFDNR=1">Rat</a></td></tr>
<tr><td class="kb1">Datum:</td><td class="text2">Mi, 02.09.2026</td></tr></table>
<table class="tl1">{rows}</table></div></body></html>"""
    page = Page.from_bytes("https://ris.example.test/bi/to010.asp?SILFDNR=7", html.encode("iso-8859-1"))
    items = _items(allris_classic.parse(page, "test"), "AgendaItem")
    assert [(i.number, i.parent) for i in items] == [
        ("3.", None), ("3.1", "31"), ("3.1.1", "32"), ("3.2", "31"), ("N 5.1", None), ("Ö 10", None), ("Ö 10a", None)]


def test_stammbaum_below_the_texts_names_the_papers_of_the_family() -> None:
    """Variant in Harburg's structure: the "Stammbaum:" table lists the question, this answer (no link) and a follow-up."""
    def family_row(reference: str, volfdnr: str | None, title: str) -> str:
        cell = (lambda text: f'<a href="vo020.asp?VOLFDNR={volfdnr}">{text}</a>') if volfdnr else (lambda text: text)
        return (f'<tr valign="top"><td class="text3">{cell(reference)}</td><td class="text3">&nbsp;</td>'
                f'<td class="text3">{cell(title)}</td><td class="text3">Amt 61</td></tr>')
    html = f"""<?xml version="1.0" encoding="iso-8859-1"?><html><head>
<meta name="description" content="ALLRIS net Version 3.9.5 (221117m)" /></head><body>
<div id="allriscontainer" class="vo020"><div id="risname"><h1>Drucksache - 22-100.01&nbsp;&nbsp;</h1></div>
<table class="tk1"><tr><td class="ko1"><table class="tk1">
<tr><td class="kb1">Betreff:</td><td class="text1" colspan="3">Antwort auf Anfrage</td></tr>
<tr><td class="kb1">Status:</td><td class="text3">öffentlich</td><td class="kb1">Drucksache-Art:</td><td class="text4">Antwort</td></tr>
</table></td></tr></table><hr />
<a name="allrisSV"></a><?xml version="1.0" encoding="iso-8859-1"?><html><body><p>Die Antwort.</p></body></html>
<table><tr><td><table class="tk1">
<tr valign="top"><td class="kb1" colspan="7">Stammbaum:</td></tr>
{family_row("22-100", "700", "Anfrage")}{family_row("22-100.01", None, "Antwort auf Anfrage")}{family_row("22-100.02", "702", "Nachfrage")}
</table></td></tr></table></div></body></html>"""
    page = Page.from_bytes("https://ris.example.test/bi/vo020.asp?VOLFDNR=701", html.encode("iso-8859-1"))
    (paper,) = _items(allris_classic.parse(page, "test"), "Paper")
    assert paper.relatedPaper == ["700", "702"]
    assert paper.sachverhalt == "Die Antwort."  # the family table is no part of the last text


# ---------------------------------------------------------------- calendar rows that name a meeting without any id

VARIANTS = PAGES / "allris_classic" / "variants"


def test_calendar_rows_with_time_and_name_but_no_id_are_meetings() -> None:
    """Variant in Mainz-Bingen's structure: a cancelled meeting and a second one of the day listed without link or form."""
    page = page_at(VARIANTS / "si010_meetings-without-id_cancelled_holiday.html",
                   "https://www.landkreis-beispiel.sitzung-online.de/bi/si010.asp?MM=10&YY=2026")
    parsed = allris_classic.parse(page, "test")
    assert [link.url.rsplit("=", 1)[1] for link in parsed.follow] == ["7101"]
    meetings = _items(parsed, "Meeting")
    assert [(m.name, m.dateRaw, m.timeRaw, m.room, m.cancelled) for m in meetings] == [
        ("öffentliche Sitzung des Schulträgerausschusses (ENTFÄLLT!)", "07.10.2026", "16:30 - 18:00", "Kreistagssaal", True),
        ("Sitzung des Seniorenbeirates", "07.10.2026", "18:30", "Raum 458", None),
    ]
    # The holiday row has text but no time: no meeting. Ids are date, start and the name's key.
    assert [m.systemId[:16] for m in meetings] == ["2026-10-07-1630-", "2026-10-07-1830-"]


def test_a_meeting_without_id_keeps_its_id_when_the_install_marks_it_cancelled() -> None:
    page = page_at(VARIANTS / "si010_meetings-without-id_cancelled_holiday.html",
                   "https://www.landkreis-beispiel.sitzung-online.de/bi/si010.asp?MM=10&YY=2026")
    before = page.body.replace(" (ENTF\xc4LLT!)".encode("iso-8859-1"), b"")
    assert before != page.body
    cancelled = _items(allris_classic.parse(page, "test"), "Meeting")[0]
    announced = _items(allris_classic.parse(Page.from_bytes(page.url, before), "test"), "Meeting")[0]
    assert (announced.cancelled, cancelled.cancelled) == (None, True)
    assert announced.systemId == cancelled.systemId


def test_mainz_bingen_calendar_keeps_the_cancelled_meeting_listed_without_id() -> None:
    page = restored("allris_classic/mainz-bingen_si010_e-2026-09.html",
                    "https://www.landkreis-mainz-bingen.sitzung-online.de/bi/si010_e.asp?MM=9&YY=2026")
    parsed = allris_classic.parse(page, "mainz-bingen")
    assert [link.url.rsplit("=", 1)[1] for link in parsed.follow] == ["5564", "5556", "5557", "5558", "5620", "5560", "5567"]
    (meeting,) = _items(parsed, "Meeting")
    assert (meeting.name, meeting.dateRaw, meeting.timeRaw, meeting.room, meeting.cancelled) == (
        "öffentliche Sitzung des Schulträgerausschusses (ABGESAGT!!)", "17.09.2026", "16:30 - 18:00",
        "Kreistagssaal (Raum 023, EG)", True)


def test_bitburg_pruem_calendar_with_start_times_only() -> None:
    page = restored("allris_classic/bitburg-pruem_si010-2026-09.html",
                    "https://www.bitburg-pruem.sitzung-online.de/bi/si010.asp?MM=9&YY=2026")
    parsed = allris_classic.parse(page, "bitburg-pruem")
    assert not _items(parsed, "Meeting")  # every meeting has its agenda link
    assert [(link.url.rsplit("=", 1)[1], link.meta["dateRaw"], link.meta["timeRaw"]) for link in parsed.follow] == [
        ("1741", "01.09.2026", "14:30 - 16:20"), ("1649", "07.09.2026", "14:30 - 17:10"),
        ("1700", "21.09.2026", "15:00 - 16:20"), ("1716", "24.09.2026", "14:30"),
        ("1659", "28.09.2026", "11:00"), ("1704", "30.09.2026", "14:00"),
    ]
