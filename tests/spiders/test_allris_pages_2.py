"""ALLRIS pages of a second round of towns outside the corpus (provenance in ``pages/SOURCES.tsv``).

Real pages whose repository grants no licence to redistribute them are
restored by ``python -m tests.spiders.pages.restore`` and their tests skip
while they are missing; what they taught is kept in CI by variants written by
hand in the same structure (``pages/allris_classic/variants/``, and ALLRIS 4
pages built below in the markup of ``shared/corpus/allris4``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spiders.dialects import allris4, allris_classic, detect
from spiders.dialects.base import Page
from tests.spiders.pages.restore import restored_path

PAGES = Path(__file__).parent / "pages"
VARIANTS = PAGES / "allris_classic" / "variants"


def _restored(relative: str, url: str) -> Page:
    path = restored_path(relative)
    return Page.from_bytes(url, path.read_bytes())


def _of(parsed, type_name: str) -> list:
    return [i for i in parsed.items if i.type == type_name]


def _parsed(page: Page, dialect: str, source: str):
    """Return the page parsed by the dialect ``detect`` chooses, which must be ``dialect``."""
    module, evidence = detect(page)
    assert module.NAME == dialect, evidence
    return module.parse(page, source)


# ---------------------------------------------------------------- Hildesheim (Ratslotse, AGPL: restore only)


def test_hildesheim_excerpt_in_the_town_cms_gives_result_resolution_and_vote() -> None:
    """to020 inside www.stadt-hildesheim.de's page frame: TOP "Ö 9", paper 25/085, the three text sections."""
    page = _restored("allris_classic/hildesheim_to020-76127.html",
                     "https://www.stadt-hildesheim.de/allris/to020.asp?TOLFDNR=76127")
    (item,) = _of(_parsed(page, "allris_classic", "hildesheim"), "AgendaItem")
    assert (item.systemId, item.meeting, item.number, item.public, item.paper, item.paperReference) == (
        "76127", "3712", "Ö 9", True, "8931", "25/085")
    assert (item.name, item.resultRaw) == ("Annahme von Zuwendungen durch den Rat", "ungeändert beschlossen")
    assert item.resolutionText == "Beschluss:\nDer Annahme der Zuwendungen wird zugestimmt."
    assert item.voteRaw == "Abstimmungsergebnis:\neinstimmig mit zwei Enthaltungen"
    assert item.protocolText == "Frau N. referierte die Vorlage."


def test_hildesheim_agenda_titles_keep_the_presenter_note_as_hamburg_s_do() -> None:
    """Ö 8 "Resolution des Rates …" carries "(Referent: …)" in a span titled Zusatzinfo inside its link.

    The note stays in the name, as the Hamburg golden files keep theirs (authors,
    "Eine Ergänzung folgt."): AgendaItem has no field of its own for it.
    """
    page = _restored("allris_classic/hildesheim_to010-3712.html",
                     "https://www.stadt-hildesheim.de/allris/to010.asp?SILFDNR=3712")
    items = {i.systemId: i for i in _of(allris_classic.parse(page, "hildesheim"), "AgendaItem")}
    assert items["76156"].name == (
        "Resolution des Rates der Stadt Hildesheim: Bosch-Standort Hildesheim nicht weiter schwächen (Referent: Dr. Ingo Meyer)")
    assert (items["76121"].paper, items["76121"].paperReference) == (None, None)


# ---------------------------------------------------------------- variants in CI


def _variant(name: str, url: str) -> Page:
    return Page.from_bytes(url, (VARIANTS / name).read_bytes())


def test_cms_agenda_with_presenter_note_and_minutes_item_without_paper() -> None:
    """A to010 embedded in a town CMS (Hildesheim's structure).

    The presenter note ``<span title="Zusatzinfo">(Referent: …)</span>`` inside
    the title link stays in the name (as in Hamburg's golden files); an item approving the minutes of an
    earlier meeting links that meeting (to010 "SI/058/26") in the paper column,
    which is no paper; the row below it holding only a document belongs to it.
    """
    page = _variant("to010_cms_presenter-note_minutes-of-an-earlier-meeting.html",
                    "https://www.stadt-beispiel.test/allris/to010.asp?SILFDNR=4712")
    parsed = _parsed(page, "allris_classic", "beispielstadt")
    (meeting,) = _of(parsed, "Meeting")
    assert (meeting.systemId, meeting.dateRaw, meeting.timeRaw, meeting.room) == (
        "4712", "Mo, 30.03.2026", "18:00 - 22:00", "Sitzungssaal im Rathaus")
    items = {i.systemId: i for i in _of(parsed, "AgendaItem")}
    assert list(items) == ["86116", "86121", "86156", "86158"]
    assert items["86156"].name == (
        "Resolution des Rates der Stadt Beispielstadt: Erhalt des Industriestandorts (Referent: Dr. Erika Muster)")
    assert (items["86156"].paper, items["86156"].paperReference, items["86156"].resultRaw) == (
        "9979", "26/132", "ungeändert beschlossen")
    assert (items["86121"].paper, items["86121"].paperReference) == (None, None)
    assert (items["86158"].resultRaw, items["86158"].paperReference) == ("zurückgezogen", "26/134")
    files = {f.systemId: f for f in _of(parsed, "File")}
    assert (files["532210"].parentType, files["532210"].parent) == ("AgendaItem", "86121")
    assert {l.url for l in parsed.follow} >= {
        "https://www.stadt-beispiel.test/allris/to020.asp?TOLFDNR=86156",
        "https://www.stadt-beispiel.test/allris/vo020.asp?VOLFDNR=9979",
    }


# ALLRIS 4 in the markup of shared/corpus/allris4 (Trier 4.1.7: td.tonr / td.tobetreff with
# span.zusatzinfo in every title link), installed under a town site's own path instead of /public/.
_A4_HEAD = '<meta name="description" content="ALLRIS net Version 4.1.7 (4170039) - 04.06.2026"/>'


def _a4_row(tree_id: str, tolfdnr: str, number: str, title: str, note: str) -> str:
    return (
        f'<tr class="odd numodd" data-tt-id="{tree_id}"><td class="expandCloseCol"></td><td class="tonr"><div>'
        f'<a href="#" id="link_{tolfdnr}">{number}</a></div></td><td class="tobetreff"><div>'
        f'<a href="./to020?TOLFDNR={tolfdnr}&amp;SILFDNR=4021" id="betreff_{tolfdnr}">{title}'
        f'<span class="zusatzinfo">{note}</span> </a>'
        '<div hidden="" data-wicket-placeholder=""></div></div></td><td class="attach"></td>'
        '<td class="tobahint"></td><td class="tovonr"></td><td class="toDoc"></td><td class="tozunr"></td></tr>'
    )


def test_allris4_agenda_under_a_town_site_path_keeps_the_zusatzinfo_note_like_classic() -> None:
    rows = (
        '<tr class="beratung"><td class="expandCloseCol"></td><td class="tonr"></td>'
        '<td class="tobetreff"><div><p>Öffentlicher Teil</p></div></td></tr>'
        + _a4_row("1", "48521", "Ö 1", "Feststellung der Beschlussfähigkeit", "")
        + _a4_row("2", "48522", "Ö 2", "Haushaltssatzung 2027", " (Berichterstatter: Stadtkämmerer)")
    )
    html = (
        f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"/>{_A4_HEAD}</head><body>'
        '<h1>Stadt Beispielstein</h1><div id="allris" class="to010 normal"><main>'
        '<h1 class="title">Tagesordnung - Ortsbeirat Mitte</h1>'
        f'<table id="toTreeTable" class="toTable"><thead><tr><th>TOP</th></tr></thead><tbody>{rows}</tbody></table>'
        '</main></div></body></html>'
    )
    page = Page.from_bytes("https://www.beispielstein.test/allris/to010?SILFDNR=4021", html.encode())
    parsed = _parsed(page, "allris4", "beispielstein")
    names = {i.systemId: i.name for i in _of(parsed, "AgendaItem")}
    assert names == {"48521": "Feststellung der Beschlussfähigkeit",
                     "48522": "Haushaltssatzung 2027 (Berichterstatter: Stadtkämmerer)"}
    assert "https://www.beispielstein.test/allris/to020?TOLFDNR=48522" in {l.url for l in parsed.follow}


# An excerpt (to020) in the field ids a Homburg (Saar) scraper reads from its pages (span#toname for the
# TOP number, div#vobetreff > a > p for the paper's subject, span#voart, span#toBeschlussart, the text in
# div.docPart) and with the vote counts in a Word table, as Taunusstein's (4.1.7) excerpts print them.


def _a4_field(label: str, value: str) -> str:
    return (f'<div class="row"><dl><dt class="colTitle"><span class="label">{label}</span></dt>'
            f'<dd class="colEntry">{value}</dd></dl></div>')


def _a4_excerpt(fields: str, text: str) -> Page:
    html = (
        f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"/>{_A4_HEAD}</head><body>'
        '<div id="allris" class="to020 normal"><main><h1 class="title">Auszug - Stadtrat - 21.10.2026</h1>'
        f'<div id="head"><div id="headLeft"><div class="headLeftInner">{fields}</div></div>'
        '<div id="headRight">'
        + _a4_field("Sitzung:", '<span class="text4" id="sibetreff"><a href="./to010?SILFDNR=7001&amp;TOLFDNR=9005">'
                    'Sitzung des Stadtrates</a></span>')
        + _a4_field("Datum:", '<span class="text4" id="sidatum"><a href="./si010?DD=21&amp;MM=10&amp;YY=2026">'
                    'Mi, 21.10.2026</a></span>')
        + '</div></div>'
        f'<div class="compFull"><h2 class="expandedTitle">Beschluss</h2><div class="docPart" id="htm1">{text}</div></div>'
        '</main></div></body></html>'
    )
    return Page.from_bytes("https://www.beispielstein.test/allris/to020?TOLFDNR=9005", html.encode())


_VOTE_TABLE = (
    '<p class="MsoNormal">Der Stadtrat beschließt die Haushaltssatzung 2027.</p>'
    '<table class="MsoNormalTable"><tr><td><p>Abstimmung:</p></td><td><p>Dafür:</p></td><td><p>25</p></td>'
    '<td><p>Dagegen:</p></td><td><p>8</p></td><td><p>Enthaltungen:</p></td><td><p>0</p></td></tr></table>'
)


def test_allris4_excerpt_number_from_toname_and_no_subject_as_paper_reference() -> None:
    fields = (
        _a4_field("TOP:", '<span class="text4" id="toname">Ö 5</span>')
        + _a4_field("Betreff:", '<div id="vobetreff"><a href="./vo020?VOLFDNR=9918&amp;refresh=false">'
                    '<p>Haushaltssatzung und Haushaltsplan 2027</p></a></div>')
        + _a4_field("Vorlage-Art:", '<span class="text4" id="voart">Beschlussvorlage</span>')
        + _a4_field("Beschlussart:", '<span class="text4" id="toBeschlussart">ungeändert beschlossen</span>')
    )
    parsed = allris4.parse(_a4_excerpt(fields, _VOTE_TABLE), "beispielstein")
    (item,) = _of(parsed, "AgendaItem")
    assert (item.systemId, item.meeting, item.number, item.public) == ("9005", "7001", "Ö 5", True)
    assert item.name == "Haushaltssatzung und Haushaltsplan 2027"
    assert (item.paper, item.paperReference) == ("9918", None)
    assert item.resultRaw == "ungeändert beschlossen"
    assert item.voteRaw == "Abstimmung: | Dafür: | 25 | Dagegen: | 8 | Enthaltungen: | 0"


def test_allris4_excerpt_number_only_in_its_field_id() -> None:
    """No "TOP:" label the parser knows ("Tagesordnungspunkt-Nr.:"): the number is read from span#toname."""
    fields = (
        _a4_field("TO-Punkt:", '<span class="text4" id="toname">N 2.1</span>')
        + _a4_field("Betreff:", '<span class="text4" id="tobetreff">Grundstücksangelegenheit</span>')
        + _a4_field("Beschlussart:", '<span class="text4" id="toBeschlussart">zurückgestellt</span>')
    )
    (item, _meeting) = allris4.parse(_a4_excerpt(fields, "<p>Vertagt.</p>"), "beispielstein").items
    assert (item.number, item.public, item.name, item.resultRaw) == (
        "N 2.1", False, "Grundstücksangelegenheit", "zurückgestellt")


# ---------------------------------------------------------------- classic excerpts (to020) name their meeting


def test_classic_excerpt_gives_what_it_shows_of_its_meeting_as_a_meeting() -> None:
    """A to020 page prints its meeting's committee, date, time, room and place (Hildesheim's CMS page).

    They become a Meeting of that SILFDNR (as ALLRIS 4's excerpts do), which the load
    merges with the meeting's own page field by field: a meeting whose agenda page
    is not crawled (reached from a paper's Beratungsfolge) keeps its date.
    """
    page = _variant("to020_cms_meeting-fields_vote-in-words.html",
                    "https://www.stadt-beispiel.test/allris/to020.asp?TOLFDNR=86127")
    parsed = _parsed(page, "allris_classic", "beispielstadt")
    (item,) = _of(parsed, "AgendaItem")
    assert (item.systemId, item.meeting, item.number, item.paper, item.paperReference, item.resultRaw) == (
        "86127", "4712", "Ö 9", "9931", "26/085", "ungeändert beschlossen")
    assert item.voteRaw == "Abstimmungsergebnis:\nmehrheitlich bei 3 Gegenstimmen und 2 Enthaltungen"
    (meeting,) = _of(parsed, "Meeting")
    assert (meeting.systemId, meeting.name, meeting.organization, meeting.organizationName) == (
        "4712", "Sitzung des Rates der Stadt Beispielstadt", "pa-1", "Rat der Stadt Beispielstadt")
    assert (meeting.dateRaw, meeting.timeRaw, meeting.room, meeting.locality) == (
        "Mo, 30.03.2026", "18:00 - 22:00", "Sitzungssaal im Rathaus", "12345 Beispielstadt, Markt 1")


def test_classic_excerpt_without_meeting_date_gives_no_meeting() -> None:
    """No "Datum:" on the page: the meeting link alone makes no Meeting item (the agenda item still names it)."""
    raw = (VARIANTS / "to020_cms_meeting-fields_vote-in-words.html").read_text()
    raw = raw.replace('<td class="kb1">Datum:</td>', '<td class="kb1">&nbsp;</td>')
    page = Page.from_bytes("https://www.stadt-beispiel.test/allris/to020.asp?TOLFDNR=86127", raw.encode())
    parsed = allris_classic.parse(page, "beispielstadt")
    assert [i.type for i in parsed.items] == ["AgendaItem"]
    assert parsed.items[0].meeting == "4712"


# ---------------------------------------------------------------- a responsive page saved without its address


def _responsive_search_page_is_classic(page: Page) -> None:
    module, evidence = detect(page)
    assert module.NAME == "allris_classic", evidence
    assert module.page_kind(page) == "yw040"
    assert module.parse(page, "x").items == []  # a known program this dialect does not read


def test_responsive_search_page_in_a_town_cms_is_detected_without_its_address() -> None:
    """The frame ``div#allris`` with the program as class plus ALLRIS' own script name it, no .asp address needed.

    A saved page (``ratsinfo detect FILE``) has only a file: URL; its links name
    programs without ids (``si010_r.asp``), so the link rule cannot see it.
    """
    path = VARIANTS / "yw040_r_search-page-in-town-cms.html"
    _responsive_search_page_is_classic(Page.from_bytes(path.as_uri(), path.read_bytes()))


def test_mering_search_page_is_detected_without_its_address() -> None:
    page = _restored("allris_classic/mering_yw040_r.html", "file:///saved/mering_yw040_r.html")
    _responsive_search_page_is_classic(page)


# ---------------------------------------------------------------- Word's symbol fonts in the text sections


def test_wingdings_and_symbol_glyphs_become_the_characters_they_show() -> None:
    """Aspose writes Word's bullets and marks as private-use characters in Wingdings/Symbol spans.

    In the structure of Harburg's Drucksache 22-1460.01 (bv-hh, ``cases/harburg_wingdings_bullets``:
    ``<span style="font-family:Wingdings">&#xF0A7;</span>`` before each listed place) and of
    Hamburg-Mitte's footnote mark set in the Symbol font.
    """
    page = _variant("vo020_word-symbol-fonts_wingdings-bullets.html",
                    "https://bv.example.test/bi/vo020.asp?VOLFDNR=2014776")
    (paper,) = _of(allris_classic.parse(page, "beispiel"), "Paper")
    assert paper.sachverhalt == (
        "Sachverhalt:\nNach § 2 Absatz 1 der Verordnung* sind Infostände genehmigungspflichtig.\n"
        "• an Wochenenden\n➢ in der Ferienzeit")
    assert "\n▪ Marktplatz im Bereich Einkaufszentrum\n▪ Bahnhofstraße / Ecke Kirchweg\n✓ geprüft" in paper.beschlussvorschlag
    texts = f"{paper.sachverhalt}{paper.beschlussvorschlag}"
    assert not any("\uf000" <= c <= "\uf0ff" for c in texts)


def test_symbol_font_letters_are_greek_and_other_fonts_keep_their_characters() -> None:
    from spiders.dialects.allris_classic.text import html_text

    assert html_text('<p><span style="font-family:Symbol">&#xF061;</span> = 0,5; '
                     '<span style="font-family:\'Wingdings 2\'">&#xF050;</span></p>') == "α = 0,5; \uf050"


def test_allris4_text_blocks_resolve_wingdings_bullets_too() -> None:
    fields = (_a4_field("TOP:", '<span class="text4" id="tonr">Ö 3</span>')
              + _a4_field("Betreff:", '<span class="text4" id="tobetreff">Standorte</span>'))
    text = ('<p class="MsoNormal">Geprüft werden:</p><p class="MsoListParagraph">'
            '<span style="font-family:Wingdings">&#xF0A7;</span><span style="font:7pt \'Times New Roman\'">&#xa0; </span>'
            'Marktplatz</p>')
    (item, _meeting) = allris4.parse(_a4_excerpt(fields, text), "beispielstein").items
    assert item.resolutionText == "Geprüft werden:\n▪ Marktplatz"


# ---------------------------------------------------------------- empty sections


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Sachverhalt:", False),                       # Hamburg-Nord 1016851, Regensburg
        ("Petitum/Beschluss:\n---", False),            # Bergedorf 1009235 (bv-hh case "placeholders")
        ("Anlage/n: -", False),
        ("–", False),
        ("Anlage/n: keine", True),                     # a word is content
        ("Der Ausschuss beschließt: Zustimmung.", True),
        ("Beschluss:\nEinstimmig beschlossen.", True),
    ],
)
def test_a_section_with_only_its_label_and_a_placeholder_is_no_text(text: str, kept: bool) -> None:
    from spiders.dialects.allris_classic.text import section_content

    assert section_content(text) == (text if kept else None)


def test_excerpt_resolution_placeholder_is_no_resolution_text() -> None:
    raw = (VARIANTS / "to020_cms_meeting-fields_vote-in-words.html").read_text()
    raw = raw.replace("Der Annahme der Spenden wird zugestimmt.", "---")
    page = Page.from_bytes("https://www.stadt-beispiel.test/allris/to020.asp?TOLFDNR=86127", raw.encode())
    (item,) = _of(allris_classic.parse(page, "beispielstadt"), "AgendaItem")
    assert item.resolutionText is None
    assert item.protocolText == "Frau M. stellt die Spenderliste vor."
