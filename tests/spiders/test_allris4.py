"""Tests of the ALLRIS 4 dialect: golden files for every corpus page, plus its pitfalls one by one."""

from __future__ import annotations

from pathlib import Path

import pytest

from spiders.dialects import allris4, detect
from spiders.dialects.base import Page, ParseError
from tests.golden import CorpusGoldens, assert_matches_golden

GOLDEN_DIR = Path(__file__).parent / "golden" / "allris4"
CORPUS_FOLDER = "allris4"
GOLDENS = CorpusGoldens(allris4, CORPUS_FOLDER, GOLDEN_DIR)
_golden = GOLDENS.golden
_golden_page = GOLDENS.page


@pytest.mark.parametrize("name", GOLDENS.names())
def test_corpus_page_matches_its_golden_file(corpus_dir: Path, name: str) -> None:
    GOLDENS.check_page(corpus_dir, name)


def test_every_corpus_page_has_a_golden_file(corpus_dir: Path) -> None:
    GOLDENS.check_complete(corpus_dir)
LAATZEN_VO020 = "laatzen-allris-4.1.5_vo020_vorlage-1000238.html"
TRIER_TO010 = "trier-allris-4.1.7_to010_sitzung-1000264_LF.html"
TRIER_CALENDAR = "trier-allris-4.1.7_si010_calendar-ajax-2026-10.xml"


def _corpus_page(corpus_dir: Path, file_name: str, url: str) -> Page:
    return Page.from_bytes(url, (corpus_dir / CORPUS_FOLDER / file_name).read_bytes())


# ---------------------------------------------------------------- detection


def test_the_version_is_the_evidence(corpus_dir: Path) -> None:
    page = _corpus_page(corpus_dir, TRIER_TO010, "https://gremieninfo.trier.de/public/to010?SILFDNR=1000264")
    assert "ALLRIS net Version 4.1.7" in allris4.detect(page)


def test_a_wicket_calendar_answer_is_recognised_by_its_content(corpus_dir: Path) -> None:
    page = _golden_page(corpus_dir, TRIER_CALENDAR)
    assert allris4.page_kind(page) == "si010_ajax"
    stripped = Page(url=page.url, text=page.text.replace("ALLRIS net Version", "ALLRIS"))
    assert allris4.detect(stripped) is not None


def test_a_page_that_only_echoes_the_address_is_not_allris4() -> None:
    page = Page(url="https://cms.example.test/public/vo020", text="<html><body><h1>Seite nicht gefunden</h1></body></html>")
    assert allris4.detect(page) is None


# ---------------------------------------------------------------- paper (vo020)


def _laatzen_paper(corpus_dir: Path, replace: tuple[str, str] | None = None):
    page = _golden_page(corpus_dir, LAATZEN_VO020)
    if replace:
        page = Page(url=page.url, text=page.text.replace(*replace))
    return allris4.parse(page, "laatzen")


def test_english_locale_dates_are_kept_as_printed(corpus_dir: Path) -> None:
    # Wolfsburg prints "Jan 29, 2026", Trier "2026 Oct 21": kept raw for the date normaliser.
    for printed in ("Jan 29, 2026", "2026 Oct 21"):
        parsed = _laatzen_paper(corpus_dir, ("<div>25.08.2026</div>", f"<div>{printed}</div>"))
        first = next(i for i in parsed.items if i.type == "Consultation" and i.position == 1)
        assert first.dateRaw == printed
        assert first.date is None


def test_lead_office_is_read_by_id_whatever_the_label(corpus_dir: Path) -> None:
    for label in ("Federführung:", "Federführende Organisationseinheit:"):
        parsed = _laatzen_paper(corpus_dir, ("Federführend:", label))
        (paper,) = [i for i in parsed.items if i.type == "Paper"]
        assert paper.leadOfficeRaw == "40 Bildung und Sport"


def test_a_station_with_two_meetings_gives_two_consultations(corpus_dir: Path) -> None:
    consultations = [i for i in _laatzen_paper(corpus_dir).items if i.type == "Consultation"]
    school = [c for c in consultations if c.organizationName == "Schulausschuss"]
    assert [(c.dateRaw, c.resultRaw, c.state) for c in school] == [
        ("29.06.2026", "vertagt", "Erledigt"),
        ("01.09.2026", None, "Erledigt"),
        (None, None, "Gestoppt"),
    ]


def test_volatile_wicket_attachment_links_are_not_recorded(corpus_dir: Path) -> None:
    parsed = _laatzen_paper(corpus_dir)
    urls = [i.accessUrl for i in parsed.items if i.type == "File"] + [link.url for link in parsed.follow]
    assert urls and not any("attachment" in u or "anlagenHeaderPanel" in u for u in urls)
    assert all("/wicket/resource/org.apache.wicket.Application/doc" in i.accessUrl for i in parsed.items if i.type == "File")


def test_a_section_without_heading_takes_its_title_from_the_toggle(corpus_dir: Path) -> None:
    parsed = _laatzen_paper(corpus_dir, ("Sachverhalt ausblenden", "Begründung ausblenden"))
    (paper,) = [i for i in parsed.items if i.type == "Paper"]
    assert paper.sachverhalt is None
    assert paper.begruendung.startswith("Antrag:\nBitte beachten Sie")


def test_a_vo020_page_without_its_fields_is_a_parse_error(corpus_dir: Path) -> None:
    page = _golden_page(corpus_dir, LAATZEN_VO020)
    broken = Page(url=page.url, text=page.text.replace('class="title"', 'class="x"').replace('id="vobetreff"', 'id="x"'))
    with pytest.raises(ParseError, match="vo020"):
        allris4.parse(broken, "laatzen")


# ---------------------------------------------------------------- meeting (to010)


def _trier_meeting(corpus_dir: Path):
    return allris4.parse(_golden_page(corpus_dir, TRIER_TO010), "trier")


def test_nested_agenda_items_keep_their_numbers_and_page_order(corpus_dir: Path) -> None:
    items = [i for i in _trier_meeting(corpus_dir).items if i.type == "AgendaItem"]
    numbers = [i.number for i in items]
    assert numbers[:6] == ["Ö 1", "Ö 2", "Ö 2.1", "Ö 2.2", "Ö 3", "Ö 4"]
    assert numbers[numbers.index("Ö 18") + 1] == "Ö 18.1"
    assert [i.order for i in items] == list(range(len(items)))
    sub = next(i for i in items if i.number == "Ö 2.1")
    assert (sub.systemId, sub.paper, sub.paperReference) == ("1008697", "1001540", "469/2026")


def test_literal_line_breaks_in_subjects_become_spaces(corpus_dir: Path) -> None:
    items = {i.number: i for i in _trier_meeting(corpus_dir).items if i.type == "AgendaItem"}
    assert items["Ö 6"].name == "Förderung aus dem Investitionsstock des Landes; Förderverfahren 2027; Maßnahmen und Festlegung einer Priorität"
    assert "\n" not in items["Ö 2.1"].name


def test_non_public_items_follow_their_number_prefix(corpus_dir: Path) -> None:
    items = [i for i in _trier_meeting(corpus_dir).items if i.type == "AgendaItem"]
    assert [(i.number, i.public) for i in items if not i.public] == [("N 20", False), ("N 21", False)]


def test_the_section_row_decides_when_numbers_have_no_prefix(corpus_dir: Path) -> None:
    page = _golden_page(corpus_dir, TRIER_TO010)
    unprefixed = Page(url=page.url, text=page.text.replace(">N 2", ">2").replace(">Ö ", ">"))
    items = [i for i in allris4.parse(unprefixed, "trier").items if i.type == "AgendaItem"]
    assert [i.public for i in items].count(False) == 2 and items[0].public is True


def test_meeting_links_papers_and_excerpts_by_canonical_url(corpus_dir: Path) -> None:
    follow = _trier_meeting(corpus_dir).follow
    assert ("vo020", "https://gremieninfo.trier.de/public/vo020?VOLFDNR=1001540") in [(l.kind, l.url) for l in follow]
    assert ("to020", "https://gremieninfo.trier.de/public/to020?TOLFDNR=1008697") in [(l.kind, l.url) for l in follow]
    # Non-public items have no excerpt link on the page, so none is followed.
    assert not any(l.url.endswith("TOLFDNR=1008627") for l in follow)


# ---------------------------------------------------------------- calendar (si010)


def test_calendar_rows_without_agenda_are_meetings_but_not_followed(corpus_dir: Path) -> None:
    parsed = allris4.parse(_golden_page(corpus_dir, TRIER_CALENDAR), "trier")
    meetings = {m.systemId: m for m in parsed.items}
    followed = {link.url.rsplit("=", 1)[-1] for link in parsed.follow}
    assert "1000649" in meetings and "1000649" not in followed
    assert meetings["1000649"].dateRaw == "14.10.2026"  # composed: day cell + month asked for
    assert meetings["1000264"].dateRaw == "Mi., 21.10.2026"  # from the tooltip, as the meeting page prints it
    assert "1000264" in followed


def test_a_calendar_shell_page_leads_to_its_ajax_table() -> None:
    shell = Page(
        url="https://ris.example.test/public/si010?MM=10&YY=2026",
        text='<html><head><meta name="description" content="ALLRIS net Version 4.1.7 (4170041)"/></head><body>'
        '<div id="allris"><script>Wicket.Ajax.ajax({"u":"./si010?0-1.0-&amp;MM=10&amp;YY=2026","c":"id2a"});</script>'
        "</div></body></html>",
    )
    parsed = allris4.parse(shell, "example")
    (link,) = parsed.follow
    assert (link.kind, link.url) == ("si010_ajax", "https://ris.example.test/public/si010?0-1.0-&MM=10&YY=2026")
    assert link.meta["headers"]["Wicket-Ajax"] == "true"
    assert parsed.items == []


def test_start_urls_are_month_calendars_under_public() -> None:
    links = allris4.start_urls("https://gremieninfo.trier.de/public/si010", [(2026, 10), (2026, 11)])
    assert [(l.kind, l.url) for l in links] == [
        ("si010", "https://gremieninfo.trier.de/public/si010?MM=10&YY=2026"),
        ("si010", "https://gremieninfo.trier.de/public/si010?MM=11&YY=2026"),
    ]


# ---------------------------------------------------------------- refused pages and to020


def test_access_denied_is_refused_and_not_parsed() -> None:
    page = Page(
        url="https://ris.example.test/public/vo020?VOLFDNR=5",
        text='<html><head><meta name="description" content="ALLRIS net Version 4.1.7"/></head>'
        '<body><div id="allris"><main><p>Zugriff verweigert</p></main></div></body></html>',
    )
    assert allris4.is_refused(page)
    with pytest.raises(ParseError, match="refused"):
        allris4.parse(page, "example")


def test_to020_reads_result_and_texts_by_labels() -> None:
    page = Page(
        url="https://ris.example.test/public/to020?TOLFDNR=77",
        text="""<html><head><meta name="description" content="ALLRIS net Version 4.1.7"/></head><body><div id="allris">
<h1 class="title">Auszug - Stadtrat - 21.10.2026</h1>
<div id="headLeft"><dl><dt>TOP:</dt><dd><span>Ö 5</span></dd></dl><dl><dt>Betreff:</dt><dd><span>Haushalt</span></dd></dl>
<dl><dt>Beschlussart:</dt><dd><span>ungeändert beschlossen</span></dd></dl>
<dl><dt>Sitzung:</dt><dd><a href="./to010?SILFDNR=9">Sitzung</a></dd></dl></div>
<div class="compFull"><h2 class="expandedTitle">Beschluss</h2><div class="docPart"><p>Der Rat beschließt.</p></div></div>
<div class="compFull"><h2 class="expandedTitle">Abstimmungsergebnis</h2><div class="docPart"><p>einstimmig</p></div></div>
</div></body></html>""",
    )
    (item,) = allris4.parse(page, "example").items
    assert (item.systemId, item.meeting, item.number, item.public) == ("77", "9", "Ö 5", True)
    assert (item.resultRaw, item.resolutionText, item.voteRaw) == ("ungeändert beschlossen", "Der Rat beschließt.", "einstimmig")


def test_corpus_pages_are_not_refused(corpus_dir: Path) -> None:
    for path in sorted((corpus_dir / CORPUS_FOLDER).iterdir()):
        assert not allris4.is_refused(Page.from_bytes(path.as_uri(), path.read_bytes())), path.name


def test_nested_agenda_items_point_to_their_parent(corpus_dir: Path) -> None:
    page = _golden_page(corpus_dir, TRIER_TO010)
    items = {i.number: i for i in allris4.parse(page, "trier").items if i.type == "AgendaItem"}
    assert items["Ö 2.1"].parent == items["Ö 2"].systemId
    assert items["Ö 2.2"].parent == items["Ö 2"].systemId
    assert items["Ö 18.1"].parent == items["Ö 18"].systemId
    assert items["Ö 2"].parent is None


def test_participating_offices_are_a_list() -> None:
    assert allris4.offices_list("FB 1 Finanzen; FB 3 Ordnung ;") == ["FB 1 Finanzen", "FB 3 Ordnung"]
    assert allris4.offices_list(None) is None
