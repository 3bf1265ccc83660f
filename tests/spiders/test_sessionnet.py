"""Tests of the SessionNet dialect: golden files for every corpus page, plus its pitfalls one by one."""

from __future__ import annotations

from pathlib import Path

import pytest

from spiders.dialects import detect, sessionnet
from spiders.dialects.base import Page, ParseError
from tests.golden import CorpusGoldens, assert_matches_golden

GOLDEN_DIR = Path(__file__).parent / "golden" / "sessionnet"
CORPUS_FOLDER = "sessionnet"
GOLDENS = CorpusGoldens(sessionnet, CORPUS_FOLDER, GOLDEN_DIR)
_golden = GOLDENS.golden
_golden_page = GOLDENS.page


@pytest.mark.parametrize("name", GOLDENS.names())
def test_corpus_page_matches_its_golden_file(corpus_dir: Path, name: str) -> None:
    GOLDENS.check_page(corpus_dir, name)


def test_every_corpus_page_has_a_golden_file(corpus_dir: Path) -> None:
    GOLDENS.check_complete(corpus_dir)
ESCHWEILER_VO0050 = "eschweiler-php-5.5.5_vo0050_vorlage-12546.html"
KAISERSLAUTERN_VO0050 = "kaiserslautern-asp-5.4.6_vo0050_vorlage-19902.html"
KAISERSLAUTERN_SI0057 = "kaiserslautern-asp-5.4.6_si0057_agenda-2331.html"
HALLE_TO0040 = "halle-asp-5.3.3-layout4_to0040_agenda-with-votes_EXCERPT.html"
LUEDENSCHEID_CALENDAR = "luedenscheid-asp-5.5.4_si0040_calendar-2026-07.html"
LUEDENSCHEID_KP0040 = "luedenscheid-asp-5.5.4_kp0040_committee-members-2.html"
SCHIFFWEILER_SI0057 = "schiffweiler-php-4.9.6-layout5_si0057_agenda_EXCERPT.html"


def _parse(corpus_dir: Path, file_name: str, replace: tuple[str, str] | None = None):
    page = _golden_page(corpus_dir, file_name)
    if replace:
        page = Page(url=page.url, text=page.text.replace(*replace))
    return sessionnet.parse(page, "test")


# ---------------------------------------------------------------- detection


def test_the_version_and_layout_are_the_evidence(corpus_dir: Path) -> None:
    evidence = sessionnet.detect(_golden_page(corpus_dir, LUEDENSCHEID_CALENDAR))
    assert "V:050504" in evidence and "(Layout 6)" in evidence


def test_a_cms_page_echoing_a_sessionnet_address_is_not_sessionnet() -> None:
    page = Page(url="https://www.example.test/sessionnet/si0040.asp", text="<html><body><h1>Willkommen</h1></body></html>")
    assert sessionnet.detect(page) is None


# ---------------------------------------------------------------- .asp and .php


def test_links_keep_the_extension_of_the_install(corpus_dir: Path) -> None:
    php = _parse(corpus_dir, ESCHWEILER_VO0050).follow
    asp = _parse(corpus_dir, KAISERSLAUTERN_VO0050).follow
    assert [l.url for l in php][:2] == [
        "https://rat.eschweiler.de/bi/vo0053.php?__kvonr=12546",
        "https://rat.eschweiler.de/bi/getfile.php?id=100958&type=do",
    ]
    assert all(".asp?" in l.url for l in asp) and not any(".php" in l.url for l in asp)


def test_start_urls_take_the_extension_from_the_base_url_or_the_first_page() -> None:
    months = [(2026, 9), (2026, 10)]
    php = sessionnet.start_urls("https://rat.eschweiler.de/bi/info.php", months)
    assert [(l.kind, l.url) for l in php] == [
        ("si0040", "https://rat.eschweiler.de/bi/si0040.php?__cjahr=2026&__cmonat=9&__canz=1&__cselect=0"),
        ("si0040", "https://rat.eschweiler.de/bi/si0040.php?__cjahr=2026&__cmonat=10&__canz=1&__cselect=0"),
        ("gr0040", "https://rat.eschweiler.de/bi/gr0040.php"),
    ]
    first = Page(url="https://rat.eschweiler.de/bi/info.php", text='<a href="si0040.php">Kalender</a>')
    from_page = sessionnet.start_urls("https://rat.eschweiler.de/bi/", months, first_page=first)
    assert [l.url for l in from_page] == [l.url for l in php]
    assert sessionnet.start_urls("https://ris.example.test/buergerinfo/", months)[0].url.startswith(
        "https://ris.example.test/buergerinfo/si0040.asp?"
    )


# ---------------------------------------------------------------- paper (vo0050)


def test_paper_type_sort_prefixes_are_dropped(corpus_dir: Path) -> None:
    parsed = _parse(corpus_dir, KAISERSLAUTERN_VO0050, ('vovaname">Beschlussvorlage', 'vovaname">02_Beschlussvorlage'))
    (paper,) = [i for i in parsed.items if i.type == "Paper"]
    assert paper.paperType == "Beschlussvorlage"


def test_inline_word_texts_are_kept_in_order_under_neutral_labels(corpus_dir: Path) -> None:
    (paper,) = [i for i in _parse(corpus_dir, ESCHWEILER_VO0050).items if i.type == "Paper"]
    assert list(paper.otherText) == ["Text 1", "Text 2", "Text 3", "Text 4"]
    assert paper.otherText["Text 3"] == "Keine finanziellen Auswirkungen."
    # Word wraps lines inside a paragraph; those breaks are no paragraph breaks.
    assert paper.otherText["Text 1"].startswith(
        "Die Ausschussmitglieder, die bisher noch nicht eingeführt und verpflichtet wurden,"
    )
    assert paper.sachverhalt is None and paper.beschlussvorschlag is None


def test_attachments_are_auxiliary_and_the_first_document_is_the_main_file(corpus_dir: Path) -> None:
    files = [i for i in _parse(corpus_dir, KAISERSLAUTERN_VO0050).items if i.type == "File"]
    assert [(f.systemId, f.role) for f in files] == [
        ("128429", "mainFile"),
        ("128575", "auxiliaryFile"),
        ("128576", "auxiliaryFile"),
    ]


def test_a_vo0050_page_without_fields_is_a_parse_error(corpus_dir: Path) -> None:
    with pytest.raises(ParseError, match="vo0050"):
        _parse(corpus_dir, KAISERSLAUTERN_VO0050, ("smc-table-cell", "x-cell"))


# ---------------------------------------------------------------- agendas


def test_layout4_result_rows_give_result_and_vote(corpus_dir: Path) -> None:
    items = {i.number: i for i in _parse(corpus_dir, HALLE_TO0040).items if i.type == "AgendaItem"}
    assert (items["4.1"].resultRaw, items["4.1"].voteRaw) == (
        "einstimmig zugestimmt",
        "Ja: 4, Nein: 0, Enthaltungen: 6, Befangen: 0",
    )
    assert items["1"].resultRaw is None and items["1"].voteRaw is None
    # "Nachtrag: 01.09.2026 *" is a note beside the number, not part of it.
    assert "3.1" in items


def test_layout4_section_rows_make_later_items_non_public(corpus_dir: Path) -> None:
    items = [i for i in _parse(corpus_dir, HALLE_TO0040).items if i.type == "AgendaItem"]
    assert [(i.number, i.public) for i in items] == [
        ("1", True), ("3.1", True), ("4.1", True), ("5.1", True), ("10", False), ("11", False),
    ]


def test_agenda_items_without_ids_get_ids_from_meeting_and_printed_number(corpus_dir: Path) -> None:
    items = [i for i in _parse(corpus_dir, SCHIFFWEILER_SI0057).items if i.type == "AgendaItem"]
    assert [i.systemId for i in items] == ["1192-Ö1", "1192-Ö2", "1192-Ö4"]


def test_layout6_inline_results_are_read() -> None:
    page = Page(
        url="https://ris.example.test/bi/si0057.asp?__ksinr=5",
        text="""<html><head><meta name="sessionnet" content="V:050504"/></head><body>
<div id="wrapper" class="smclayout smc_page_si0057_layout"><div id="page-content">
<table id="smc_page_si0057_contenttable1" class="smctablesitzung"><tbody>
<tr><td class="totrenn" colspan="4"><h2>Nicht&ouml;ffentlicher Teil:</h2></td></tr>
<tr class="smc-t-r-l"><td class="tofnum"><span class="badge">7</span></td><td class="tobetr">
<a href="to0050.asp?__ktonr=4711" class="smc_datatype_to">Haushalt</a>
<p class="smc_field_smcdv0_box2_beschluss"><strong>Beschluss:</strong> ungeändert beschlossen</p>
<p class="smc_field_smcdv0_box2_abstimmung"><strong>Abstimmung:</strong> Ja:&nbsp;20, Nein:&nbsp;4</p></td></tr>
</tbody></table></div></div></body></html>""",
    )
    parsed = sessionnet.parse(page, "example")
    (item,) = [i for i in parsed.items if i.type == "AgendaItem"]
    assert (item.systemId, item.name, item.public) == ("4711", "Haushalt", False)
    assert (item.resultRaw, item.voteRaw) == ("ungeändert beschlossen", "Ja: 20, Nein: 4")
    assert ("to0050", "https://ris.example.test/bi/to0050.asp?__ktonr=4711") in [(l.kind, l.url) for l in parsed.follow]


def test_documents_of_a_paper_on_the_agenda_belong_to_the_paper(corpus_dir: Path) -> None:
    parsed = _parse(corpus_dir, KAISERSLAUTERN_SI0057)
    files = {f.systemId: f for f in parsed.items if f.type == "File"}
    assert (files["128429"].parentType, files["128429"].parent) == ("Paper", "19902")
    assert (files["128711"].parentType, files["128711"].role) == ("Meeting", "invitation")


# ---------------------------------------------------------------- calendar, committees, members


def test_calendar_meetings_have_the_id_of_their_meeting_page(corpus_dir: Path) -> None:
    parsed = _parse(corpus_dir, LUEDENSCHEID_CALENDAR)
    meetings = [i for i in parsed.items if i.type == "Meeting"]
    followed = [l for l in parsed.follow if l.kind == "si0057"]
    assert [m.systemId for m in meetings] == [l.url.rsplit("=", 1)[-1] for l in followed]
    # The meeting page needs the calendar's session; to0040 is the way round it.
    assert followed[0].meta["fallback"] == "https://buergerinfo.luedenscheid.de/to0040.asp?__ksinr=7235"


def test_calendar_date_falls_back_to_day_cell_and_month(corpus_dir: Path) -> None:
    parsed = _parse(corpus_dir, LUEDENSCHEID_CALENDAR, ("Details anzeigen: Hauptausschuss 06.07.2026", "Hauptausschuss"))
    meeting = next(i for i in parsed.items if i.type == "Meeting" and i.systemId == "7193")
    assert meeting.dateRaw == "06.07.2026"


def test_members_get_voting_right_from_their_group_and_ids_even_without_person_page(corpus_dir: Path) -> None:
    items = _parse(corpus_dir, LUEDENSCHEID_KP0040).items
    memberships = {m.person: m for m in items if m.type == "Membership" and m.endDate is None}
    assert memberships["2158"].votingRight is True
    assert memberships["2-frauke-daeumer"].votingRight is True
    assert memberships["2-johannes-bock"].votingRight is False
    assert memberships["261"].role == "Vorsitz"
    assert memberships["2-aida-jukic"].onBehalfOfName == "Agentur für Arbeit"


def test_ended_memberships_carry_their_dates(corpus_dir: Path) -> None:
    ended = [m for m in _parse(corpus_dir, LUEDENSCHEID_KP0040).items if m.type == "Membership" and m.endDate]
    assert [(m.person, m.startDate.isoformat(), m.endDate.isoformat()) for m in ended] == [
        ("2-antje-korreck", "2025-11-17", "2025-12-11"),
        ("2-jochen-gruen", "2025-11-17", "2026-04-13"),
        ("2-guelpasa-erdogan", "2025-12-15", "2026-01-29"),
    ]


# ---------------------------------------------------------------- refused pages


ERROR_PAGE_6 = (
    '<!DOCTYPE html><html lang="de"><head><meta name="sessionnet" content="V:050503"/>'
    "<title>SessionNet | SessionNet Fehlermeldung</title></head><body>"
    '<div id="wrapper" class="smclayout smc_page_error_layout"></div></body></html>'
)
LOGIN_PAGE = (
    '<html><head><meta name="sessionnet" content="V:050501"/><title>SessionNet</title></head><body>'
    '<div id="wrapper" class="smclayout smc-pagetype-logon smc_page_ylogon_layout2"></div></body></html>'
)


@pytest.mark.parametrize(
    "url, text",
    [
        ("https://ris.example.test/bi/si0057.asp?__ksinr=1", ERROR_PAGE_6),
        ("https://ris.example.test/bi/si0057.asp?__ksinr=1", LOGIN_PAGE),
        ("https://biswl.example.test/error2.php", "<html><body>Fehler</body></html>"),
        ("https://ris.example.test/bi/vo0050.asp?__kvonr=1", "<html><body><p>Keine Berechtigung</p></body></html>"),
    ],
)
def test_error_login_and_denied_pages_are_refused(url: str, text: str) -> None:
    page = Page(url=url, text=text)
    assert sessionnet.is_refused(page)
    with pytest.raises(ParseError, match="refused"):
        sessionnet.parse(page, "example")


def test_corpus_pages_are_not_refused(corpus_dir: Path) -> None:
    for path in sorted((corpus_dir / CORPUS_FOLDER).iterdir()):
        assert not sessionnet.is_refused(Page.from_bytes(path.as_uri(), path.read_bytes())), path.name


# ---------------------------------------------------------------- consultations (vo0053) and TOP pages (to0050)


def _layout6_page(url: str, content: str) -> Page:
    return Page(
        url=url,
        text='<html><head><meta name="sessionnet" content="V:050504"/></head><body>'
        f'<div id="wrapper" class="smclayout smc_page_{url.rsplit("/", 1)[1][:6]}_layout">'
        f'<div id="page-content">{content}</div></div></body></html>',
    )


def test_vo0053_cards_with_field_cells() -> None:
    card = """<div class="card card-light"><div class="card-header"><h2 class="card-header-title"><button class="btn btn-link">
17.09.2026 Ausschuss f&#252;r Integration TOP 2 &#246;ffentlich - einstimmig zugestimmt
<span class="smc-badges"><span class="badge">2 Dok.</span></span></button></h2></div><div class="card-body">
<div class="smc-table-row"><div class="smc-table-cell smc-cell-head sidat_title">Datum</div><div class="smc-table-cell sidat">17.09.2026</div></div>
<div class="smc-table-row"><div class="smc-table-cell siname"><a href="si0057.asp?__ksinr=7301"
 title="Details anzeigen: Ausschuss f&#252;r Integration 17.09.2026">Zur Sitzung ACI/005/2026</a></div></div>
<div class="smc-table-row"><div class="smc-table-cell grname">Ausschuss f&#252;r Integration</div></div>
<div class="smc-table-row"><div class="smc-table-cell bfrolle">Vorberatung</div></div>
<div class="smc-table-row"><div class="smc-table-cell tofnum"><a href="to0050.asp?__ktonr=40102">&Ouml; 2</a></div></div>
<div class="smc-table-row"><div class="smc-table-cell tobeschluss">einstimmig zugestimmt</div></div>
</div></div>"""
    parsed = sessionnet.parse(_layout6_page("https://ris.example.test/bi/vo0053.asp?__kvonr=20101", card), "example")
    (c,) = parsed.items
    assert (c.systemId, c.paper, c.position, c.meeting, c.agendaItem) == ("20101-1", "20101", 1, "7301", "40102")
    assert (c.organizationName, c.role, c.authoritative, c.dateRaw, c.resultRaw) == (
        "Ausschuss für Integration", "Vorberatung", False, "17.09.2026", "einstimmig zugestimmt",
    )
    kinds = {(l.kind, l.url) for l in parsed.follow}
    assert ("si0057", "https://ris.example.test/bi/si0057.asp?__ksinr=7301") in kinds
    assert ("to0050", "https://ris.example.test/bi/to0050.asp?__ktonr=40102") in kinds


def test_vo0053_card_header_alone_gives_committee_date_and_planned_role() -> None:
    card = """<div class="card card-light"><div class="card-header"><button class="btn btn-link">
05.05.2026 Verwaltungsausschuss nicht&ouml;ffentlich - Vorberatung</button></div><div class="card-body"></div></div>"""
    (c,) = sessionnet.parse(_layout6_page("https://ris.example.test/bi/vo0053.asp?__kvonr=9", card), "example").items
    assert (c.organizationName, c.dateRaw, c.role, c.meeting, c.resultRaw) == (
        "Verwaltungsausschuss", "05.05.2026", "Vorberatung", None, None,
    )


def test_to0050_gives_result_vote_and_resolution_text() -> None:
    content = """<div class="smc-table-row"><div class="smc-table-cell tofnum">&Ouml; 2</div></div>
<div class="smc-table-row"><div class="smc-table-cell tobetr">Integrationsmanagement</div></div>
<div class="smc-table-row"><div class="smc-table-cell siname"><a href="si0050.asp?__ksinr=7301">ACI/005/2026</a></div></div>
<div class="smc-table-row"><div class="smc-table-cell voname"><a href="vo0050.asp?__kvonr=20101">0231/2026</a></div></div>
<div class="smc-table-row"><div class="smc-table-cell tobeschluss">einstimmig zugestimmt</div></div>
<div class="smc-table-row"><div class="smc-table-cell toabstimmung">Ja:&nbsp;5, Nein:&nbsp;0</div></div>
<div class="smcdocmsword"><p class=MsoNormal>Der Rat beschlie&szlig;t
die Fortf&uuml;hrung.</p></div>"""
    (item,) = sessionnet.parse(_layout6_page("https://ris.example.test/bi/to0050.asp?__ktonr=40102", content), "example").items
    assert (item.systemId, item.meeting, item.number, item.public, item.paper, item.paperReference) == (
        "40102", "7301", "Ö 2", True, "20101", "0231/2026",
    )
    assert (item.resultRaw, item.voteRaw, item.resolutionText) == (
        "einstimmig zugestimmt", "Ja: 5, Nein: 0", "Der Rat beschließt die Fortführung.",
    )


def test_card_agenda_of_si0056_reads_badges_results_and_item_numbers() -> None:
    content = """<div class="accordion" id="smcaccordion">
<div class="card card-light smcbox"><div class="card-header"><h2 class="mb-0 card-header-title"><button>&Ouml;ffentlicher Teil:</button></h2></div></div>
<div class="card card-light"><div class="card-header" onclick="smcAjaxDV('to0058.asp?smctonr=2577&smcajax=11t', 'x', 'y')">
<h3 class="mb-0 card-header-title"><button> <span class="badge">&Ouml; 1</span> <span class="smc-badges"><span class="badge smc-badge-count smc-badge-text">Texte</span></span>
<div class="smc-card-text-title">Bauantrag - Dorfstra&#223;e 25</div></button></h3></div>
<div class="collapse"><div class="card-body"><p class="smc_field_smcdv0_box2_beschluss"><strong>Beschluss:</strong> Einstimmig beschlossen</p></div></div></div>
</div>"""
    parsed = sessionnet.parse(_layout6_page("https://ris.example.test/bi/si0056.asp?__ksinr=161", content), "example")
    (item,) = [i for i in parsed.items if i.type == "AgendaItem"]
    assert (item.systemId, item.number, item.public, item.name, item.resultRaw) == (
        "2577", "Ö 1", True, "Bauantrag - Dorfstraße 25", "Einstimmig beschlossen",
    )


def test_a_paper_that_mentions_missing_permission_is_not_refused(corpus_dir: Path) -> None:
    page = _golden_page(corpus_dir, ESCHWEILER_VO0050)
    mentions = Page(url=page.url, text=page.text.replace("Keine finanziellen Auswirkungen.", "Keine Berechtigung zur Zufahrt."))
    assert not sessionnet.is_refused(mentions)


def test_table_layout_paper_fields_are_read_by_their_labels() -> None:
    page = Page(
        url="https://ris.example.test/bi/vo0050.asp?__kvonr=32100",
        text='<html><head><meta name="Generator" content="SessionNet Version 5.3.3 bi (Layout 4)"></head><body>'
        '<div id="smclayout" class="smclayout smc_page_vo0050_layout"><table id="smc_page_vo0050_contenttable1">'
        '<tr><td class="smctablehead">Betreff:</td><td class="smctablebody">Neufassung der Entgeltordnung</td></tr>'
        '<tr><td class="smctablehead">Vorlage:</td><td>VIII/2026/02530</td>'
        '<td class="smctablehead">Art:</td><td>Beschlussvorlage</td></tr></table>'
        '<a href="getfile.asp?id=340369&amp;type=do&amp;">Beschlussvorlage VIII/2026/02530</a></div></body></html>',
    )
    (paper, main) = sessionnet.parse(page, "example").items
    assert (paper.name, paper.reference, paper.paperType) == ("Neufassung der Entgeltordnung", "VIII/2026/02530", "Beschlussvorlage")
    assert (main.systemId, main.role, main.accessUrl) == ("340369", "mainFile", "https://ris.example.test/bi/getfile.asp?id=340369&type=do")


# ---------------------------------------------------------------- parse-rate fields


def test_an_agenda_not_yet_published_is_not_counted_as_missing() -> None:
    header = '<div class="smc-table-cell sidat">30.11.2026</div><div class="smc-table-cell sigrname">Umweltausschuss</div>'
    unpublished = _layout6_page(
        "https://ris.example.test/bi/si0057.asp?__ksinr=7307",
        header + '<p class="smc-no-data">Zu dieser Sitzung ist noch keine Tagesordnung ver&ouml;ffentlicht.</p>',
    )
    broken = _layout6_page("https://ris.example.test/bi/si0057.asp?__ksinr=7307", header + "<table><tr><td>?</td></tr></table>")
    assert "agenda" not in sessionnet.parse(unpublished, "example").fields_seen
    assert sessionnet.parse(broken, "example").fields_seen["agenda"] is False


def test_a_result_is_expected_only_where_the_page_has_a_place_for_it() -> None:
    future = _layout6_page(
        "https://ris.example.test/bi/to0050.asp?__ktonr=40132", '<div class="smc-table-cell tobetr">Einbürgerungsfeier</div>'
    )
    decided = _layout6_page(
        "https://ris.example.test/bi/to0050.asp?__ktonr=40102",
        '<div class="smc-table-cell tobetr">KIM</div><div class="smc-table-cell smc-cell-head tobeschluss_title">Beschluss</div>'
        '<div class="smc-table-cell tobeschluss"></div>',
    )
    assert sessionnet.parse(future, "example").fields_seen == {"name": True}
    assert sessionnet.parse(decided, "example").fields_seen == {"name": True, "resultRaw": False}


# ---------------------------------------------------------------- Anträge (ag0050)
#
# No real ag0050 page is in the corpus. The Layout 6 page below is the
# Kaiserslautern vo0050 page's structure (tabs, field-cell table, document
# block, footer) with the field classes renamed to ag…; the SessionNet 4 page
# has the label table the old Köln/Halle and Dresden scrapers read
# (table#smctablevorgang, td.smctablehead "Name:", "Datum:", "Betreff:", "Gremien:").


def _antrag_layout6(rows: str, ext: str = "asp", kagnr: str = "812", extra: str = "") -> Page:
    """A Layout 6 Antrag page with the given field rows (pairs of head and value cells)."""
    return Page(
        url=f"https://ris.example.test/bi/ag0050.{ext}?__kagnr={kagnr}",
        text=f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<meta name="author" content="Somacos GmbH & Co. KG,https://www.somacos.de, SessionNet Version 5.4.6 KP2 bi (Layout 6)">
<meta name="sessionnet" content="V:050406"/><title>SessionNet | Radweg an der Lauter</title></head><body id="smc_body" class="smc-body">
<div id="wrapper" class="smclayout smc_page_ag0050_layout"><div class="page-title"><h1 class="smc_h1">Radweg an der Lauter</h1></div>
<div id="page-content" role="main" aria-label="Informationen">
<ul class="nav nav-tabs smcnoprint" id="smcregister" aria-label="Tab Navigation">
<li class="nav-item active smc-ct1" aria-selected="true"><a href="ag0050.{ext}?__kagnr={kagnr}" title="Informationen" class="smce-a-u nav-link">Informationen</a></li><li class="nav-item"><a href="ag0053.{ext}?__kagnr={kagnr}" title="Beratungen" aria-label="Beratungen" class="smce-a-u nav-link">Beratungen</a></li>
</ul>
<div class="row"><div class="col-sm-12"><div id="smcpanel1" class="card card-light"><div class="card-header"><h2 class="mb-0 card-header-title"><button class="btn btn-link">Antrag</button></h2></div>
<div class="collapse show"><div class="card-body">
<div id="smc_page_ag0050_contenttable1" class="smc-table smc-table-striped smccontenttable smc_page_ag0050_contenttable">
{rows}
</div></div></div></div></div>
<div class="col-sm-12"><div id="smcpanel2" class="card card-light smc-pr-n"><div class="card-header"><h2 class="mb-0 card-header-title"><button class="btn btn-link">2 Dokumente</button></h2></div>
<div class="collapse show"><div class="card-body"><div class="smc-dg-c-1-10 smc-documents smc-pr-n row">
<div id="smcy00090000128801" class="smc-dg-ds-1 col-lg-6 smc-d-el"><div class="smc-xxdat smc-default default smc-box-type-1 smc-dg-b1"><div class="smc smc-doc-icon"><i class="smc smc-doc-dakurz smc-doc-symbol smc_field_danr_4" aria-hidden="true">AN</i></div><div class="smc-doc-content"><div class="smc-action-group"><a href="getfile.{ext}?id=128801&type=do" title="Dokument Download Dateityp: pdf" role="button" class="btn btn-blue"><i class="smc smc-download" aria-hidden="true"></i></a></div><div class="smc-el-h smc-link-normal smc_datatype_do"><a href="getfile.{ext}?id=128801&type=do" title="Dokument Download Dateityp: pdf" class="smce-a-u smc-link-normal smc_datatype_do">Antrag der Fraktion</a></div></div></div></div>
<div id="smcy00090000128802" class="smc-dg-ds-1 col-lg-6 smc-d-el smc-d-ex"><div class="smc-xxdat smc-default default smc-box-type-1 smc-dg-b1"><div class="smc smc-doc-icon"><i class="smc smc-document" aria-hidden="true"></i></div><div class="smc-doc-content"><div class="smc-action-group"><a href="getfile.{ext}?id=128802&type=do" title="Dokument Download Dateityp: pdf" role="button" class="btn btn-blue"><i class="smc smc-download" aria-hidden="true"></i></a></div><div class="smc-el-h smc-link-normal smc_datatype_do"><a href="getfile.{ext}?id=128802&type=do" title="Dokument Download Dateityp: pdf" class="smce-a-u smc-link-normal smc_datatype_do">Anlage 1: Lageplan</a></div></div></div></div>
</div></div></div></div></div></div>{extra}
</div></div>
<footer><div id="smcmenubottom"><ul class="list-inline"><li>Letzte &Auml;nderung: 21.07.2026 09:12:05</li></ul></div></footer></body></html>""",
    )


def _row(cls: str, label: str, value: str) -> str:
    return (f'<div class="smc-table-row"><div class="smc-table-cell smc-cell-head {cls}_title">{label}</div>'
            f'<div class="smc-table-cell {cls}">{value}</div>\n</div>')


ANTRAG_ROWS = "\n".join([
    _row("agbetr", "Betreff", "Radweg an der Lauter"),
    _row("agname", "Antrag", "AN/0031/2026"),
    _row("agdat", "Datum", "14.07.2026"),
    _row("agantr", "Antragsteller", "Fraktion B&#252;ndnis 90/Die Gr&#252;nen"),
    _row("agstatus", "Status", "in Beratung"),
])


def test_layout6_antrag_page_gives_a_paper_of_its_own_number_space() -> None:
    page = _antrag_layout6(ANTRAG_ROWS)
    assert sessionnet.detect(page) and sessionnet.page_kind(page) == "ag0050"
    parsed = sessionnet.parse(page, "example")
    (paper,) = [i for i in parsed.items if i.type == "Paper"]
    assert paper.systemId == "ag-812"
    assert paper.reference == "AN/0031/2026"
    assert paper.name == "Radweg an der Lauter"
    assert paper.paperType == "Antrag"
    assert paper.dateRaw == "14.07.2026"
    assert paper.author == "Fraktion Bündnis 90/Die Grünen"
    assert paper.status == "in Beratung"
    assert paper.modified.isoformat() == "2026-07-21T09:12:05"
    assert parsed.fields_seen == {"name": True, "reference": True}


def test_an_antrag_page_naming_its_art_keeps_it_as_the_type() -> None:
    rows = ANTRAG_ROWS + _row("agvaname", "Art", "03_Antrag gem. &#167; 14 GeschO")
    (paper,) = [i for i in sessionnet.parse(_antrag_layout6(rows), "example").items if i.type == "Paper"]
    assert paper.paperType == "Antrag gem. § 14 GeschO"


def test_antrag_documents_belong_to_the_antrag_and_the_beratungen_tab_is_followed_by_its_href() -> None:
    parsed = sessionnet.parse(_antrag_layout6(ANTRAG_ROWS, ext="php", kagnr="77"), "example")
    files = [i for i in parsed.items if i.type == "File"]
    assert [(f.systemId, f.parentType, f.parent, f.role, f.name) for f in files] == [
        ("128801", "Paper", "ag-77", "mainFile", "Antrag der Fraktion"),
        ("128802", "Paper", "ag-77", "auxiliaryFile", "Anlage 1: Lageplan"),
    ]
    assert [(l.kind, l.url) for l in parsed.follow] == [
        ("ag0053", "https://ris.example.test/bi/ag0053.php?__kagnr=77"),
        ("file", "https://ris.example.test/bi/getfile.php?id=128801&type=do"),
        ("file", "https://ris.example.test/bi/getfile.php?id=128802&type=do"),
    ]


def test_antrag_page_without_a_beratungen_tab_follows_none() -> None:
    page = _antrag_layout6(ANTRAG_ROWS)
    text = page.text.replace('title="Beratungen" aria-label="Beratungen"', "").replace(">Beratungen<", ">Mitteilungen<")
    page = Page(url=page.url, text=text)
    assert [l.kind for l in sessionnet.parse(page, "example").follow] == ["file", "file"]


def test_antrag_inline_word_texts_are_kept_like_a_vorlage_s() -> None:
    word = ('<div class="smcdocmsword" id="smcdocid901"><p class=MsoNormal>Die Verwaltung wird beauftragt,\n'
            "einen Radweg zu planen.</p></div><hr/><div class=\"smcdocmsword\" id=\"smcdocid902\"><p class=MsoNormal>Begr&uuml;ndung folgt.</p></div>")
    (paper,) = [i for i in sessionnet.parse(_antrag_layout6(ANTRAG_ROWS, extra=word), "example").items if i.type == "Paper"]
    assert paper.otherText == {"Text 1": "Die Verwaltung wird beauftragt, einen Radweg zu planen.", "Text 2": "Begründung folgt."}


def test_antrag_labels_decide_and_cell_classes_fill_in() -> None:
    # An install with its own labels: "Kennung" is no known label, so the
    # class agname gives the number; "Antragsdatum" is a known label on an
    # unknown class.
    rows = "\n".join([
        _row("agbetr", "Betreff", "Radweg an der Lauter"),
        _row("agname", "Kennung", "AN/0031/2026"),
        _row("agxdat", "Antragsdatum", "14.07.2026"),
    ])
    (paper,) = [i for i in sessionnet.parse(_antrag_layout6(rows), "example").items if i.type == "Paper"]
    assert (paper.reference, paper.dateRaw, paper.author) == ("AN/0031/2026", "14.07.2026", None)


def test_an_antrag_page_without_fields_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="ag0050"):
        sessionnet.parse(_antrag_layout6(""), "example")


SESSIONNET4_ANTRAG = """<html><head><meta name="generator" content="SessionNet Version 4.3.2 bi"><title>SessionNet | Antrag</title></head><body>
<div id="smccontent"><h1 class="smc_h1">Schlie&szlig;ung Wachsfabrik</h1>
<table id="smctablevorgang" class="smctablevorgang" summary="Tabelle enth&auml;lt Informationen zum Antrag">
<tr><td class="smctablehead">Name:</td><td class="smctablebody">AN/0856/2011</td></tr>
<tr><td class="smctablehead">Datum:</td><td class="smctablebody">18.05.2011</td></tr>
<tr><td class="smctablehead">Betreff:</td><td class="smctablebody">Schlie&szlig;ung<br>Wachsfabrik K&ouml;ln</td></tr>
<tr><td class="smctablehead">Gremien:</td><td class="smctablebody">Rat, Bezirksvertretung Rodenkirchen</td></tr>
</table>
<table class="smcdocbox" summary="Tabelle enth&auml;lt zum aufgerufenen Element zugeordnete Dokumente und damit verbundene Aktionen.">
<tr><td class="smcdocname"><a href="getfile.asp?id=301455&amp;type=do" title="AN/0856/2011">AN/0856/2011</a> <span class="smcdosize">(42 KB)</span></td></tr>
<tr><td class="smcdocname"><a href="getfile.asp?id=301456&amp;type=do" title="Anlage Stellungnahme">Anlage Stellungnahme</a></td></tr>
</table>
<table class="smccontenttable" summary="Inhalt der Tabelle: Beratungen des Antrags">
<tr><th>Datum</th><th>Gremium</th><th>Sitzung</th><th>Beschluss</th></tr>
<tr valign="top"><td>19.05.2011</td><td><a href="kp0040.asp?__kgrnr=1">Rat</a></td>
<td><a href="to0040.asp?__ksinr=4532" title="Details anzeigen: Rat 19.05.2011">Rat/0042/2011</a></td><td>ungeändert beschlossen</td>
<td class="smcdocname"><a href="getfile.asp?id=301999&amp;type=do" title="Niederschrift">Niederschrift</a></td></tr>
</table></div></body></html>"""


def test_sessionnet4_antrag_label_table_gives_the_paper_files_and_consultations() -> None:
    page = Page(url="https://ratsinformation.example.test/ag0050.asp?__kagnr=28125", text=SESSIONNET4_ANTRAG)
    assert sessionnet.page_kind(page) == "ag0050"
    parsed = sessionnet.parse(page, "example")
    (paper,) = [i for i in parsed.items if i.type == "Paper"]
    assert paper.systemId == "ag-28125"
    assert paper.reference == "AN/0856/2011"
    assert paper.name == "Schließung Wachsfabrik Köln"
    assert paper.paperType == "Antrag"
    assert paper.dateRaw == "18.05.2011"
    # The meeting's Niederschrift in the Beratungen row is not the Antrag's.
    files = [i for i in parsed.items if i.type == "File"]
    assert [(f.systemId, f.parent, f.role, f.name) for f in files] == [
        ("301455", "ag-28125", "mainFile", "AN/0856/2011"),
        ("301456", "ag-28125", "auxiliaryFile", "Anlage Stellungnahme"),
    ]
    (consultation,) = [i for i in parsed.items if i.type == "Consultation"]
    assert (consultation.systemId, consultation.paper, consultation.meeting, consultation.organization, consultation.dateRaw) == (
        "ag-28125-1", "ag-28125", "4532", "1", "19.05.2011",
    )
    assert ("to0040", "https://ratsinformation.example.test/to0040.asp?__ksinr=4532") in [(l.kind, l.url) for l in parsed.follow]


def test_table_antrag_cells_without_head_class_count_as_labels_only_with_a_colon() -> None:
    text = SESSIONNET4_ANTRAG.replace(' class="smctablehead"', "").replace(
        '<tr><td>Name:</td>', '<tr><td>Betreff</td><td>Name</td></tr><tr><td>Name:</td>')
    page = Page(url="https://ratsinformation.example.test/ag0050.asp?__kagnr=28125", text=text)
    (paper,) = [i for i in sessionnet.parse(page, "example").items if i.type == "Paper"]
    assert (paper.reference, paper.name, paper.dateRaw) == ("AN/0856/2011", "Schließung Wachsfabrik Köln", "18.05.2011")


def test_beratungen_tab_of_an_antrag_gives_consultations_of_the_antrag() -> None:
    card = """<div class="card card-light"><div class="card-header"><h2 class="card-header-title"><button class="btn btn-link">
22.09.2026 Bauausschuss TOP 4 &#246;ffentlich - Vorberatung</button></h2></div><div class="card-body">
<div class="smc-table-row"><div class="smc-table-cell siname"><a href="si0057.asp?__ksinr=2401"
 title="Details anzeigen: Bauausschuss 22.09.2026">Zur Sitzung BA/007/2026</a></div></div></div></div>"""
    parsed = sessionnet.parse(_layout6_page("https://ris.example.test/bi/ag0053.asp?__kagnr=812", card), "example")
    (c,) = parsed.items
    assert (c.systemId, c.paper, c.meeting, c.organizationName, c.dateRaw, c.role) == (
        "ag-812-1", "ag-812", "2401", "Bauausschuss", "22.09.2026", "Vorberatung",
    )


# An agenda row linking an Antrag: Layout 6 (si0057), Layout 5 (.php) and Layout 4 (to0040).
LAYOUT6_AGENDA_WITH_ANTRAG = """<table id="smc_page_si0057_contenttable1" class="table smc-table smctablesitzung"><tbody>
<tr><td class="totrenn" colspan="4"><h2>&Ouml;ffentlicher Teil:</h2></td></tr>
<tr class="smc-t-r-l"><td class="tofnum"><span class="badge">&Ouml; 4</span></td><td class="tobetr"><div class="margin-bottom smc-card-header-title-simple">Radweg an der Lauter</div></td>
<td data-label="Antrag" class="smc-t-cl991 tovo"> <a href="ag0050.asp?__kagnr=812" title="Antrag anzeigen: Radweg an der Lauter" class="smce-a-u smc-link-procedure smc_doc smc_field_agname smcnowrap smc_datatype_ag">AN/0031/2026</a></td>
<td class="smc-t-cl991 sidocs"><div class="smc-documents"><div class="smc-d-el"><a href="getfile.asp?id=128801&type=do" title="Dokument Download Dateityp: pdf">Antrag der Fraktion</a></div></div></td></tr>
</tbody></table>"""


def test_layout6_agenda_row_linking_an_antrag_gives_paper_ag_n_and_follows_ag0050() -> None:
    page = _layout6_page("https://ris.example.test/bi/si0057.asp?__ksinr=2331", LAYOUT6_AGENDA_WITH_ANTRAG)
    parsed = sessionnet.parse(page, "example")
    (item,) = [i for i in parsed.items if i.type == "AgendaItem"]
    assert (item.number, item.paper, item.paperReference) == ("Ö 4", "ag-812", "AN/0031/2026")
    (f,) = [i for i in parsed.items if i.type == "File"]
    assert (f.parentType, f.parent, f.role) == ("Paper", "ag-812", "mainFile")
    assert ("ag0050", "https://ris.example.test/bi/ag0050.asp?__kagnr=812") in [(l.kind, l.url) for l in parsed.follow]
    assert not [l for l in parsed.follow if l.kind == "vo0050"]


@pytest.mark.parametrize(
    "file_name, vorlage_href, antrag_href, number",
    [
        (KAISERSLAUTERN_SI0057, 'href="vo0050.asp?__kvonr=19902"', 'href="ag0050.asp?__kagnr=812"', "Ö 4"),
        (SCHIFFWEILER_SI0057, 'href="vo0050.php?__kvonr=3194"', 'href="ag0050.php?__kagnr=812"', "Ö 2"),
        (HALLE_TO0040, 'href="vo0050.asp?__kvonr=32100&voselect=21804"', 'href="ag0050.asp?__kagnr=812&voselect=21804"', "5.1"),
    ],
    ids=["layout6-si0057-asp", "layout5-si0057-php", "layout4-to0040-asp"],
)
def test_corpus_agenda_rows_linking_an_antrag_instead_of_a_vorlage(
    corpus_dir: Path, file_name: str, vorlage_href: str, antrag_href: str, number: str
) -> None:
    page = _golden_page(corpus_dir, file_name)
    assert page.text.count(vorlage_href) == 1
    parsed = sessionnet.parse(Page(url=page.url, text=page.text.replace(vorlage_href, antrag_href)), "test")
    (item,) = [i for i in parsed.items if i.type == "AgendaItem" and i.number == number]
    assert item.paper == "ag-812" and item.paperReference
    ext = antrag_href.split(".")[1][:3]
    folder = page.url.split("?", 1)[0].rsplit("/", 1)[0]
    assert [l.url for l in parsed.follow if l.kind == "ag0050"] == [f"{folder}/ag0050.{ext}?__kagnr=812"]
    kvonr = vorlage_href.split("__kvonr=")[1].split("&")[0].rstrip('"')
    assert not [l for l in parsed.follow if l.kind == "vo0050" and l.url.endswith(f"__kvonr={kvonr}")]


def test_a_top_page_linking_an_antrag_names_it_as_the_paper() -> None:
    content = """<div class="smc-table-row"><div class="smc-table-cell tofnum">&Ouml; 4</div></div>
<div class="smc-table-row"><div class="smc-table-cell tobetr">Radweg an der Lauter</div></div>
<div class="smc-table-row"><div class="smc-table-cell agname"><a href="ag0050.asp?__kagnr=812">AN/0031/2026</a></div></div>"""
    parsed = sessionnet.parse(_layout6_page("https://ris.example.test/bi/to0050.asp?__ktonr=40110", content), "example")
    (item,) = parsed.items
    assert (item.paper, item.paperReference) == ("ag-812", "AN/0031/2026")
    assert [(l.kind, l.url) for l in parsed.follow] == [("ag0050", "https://ris.example.test/bi/ag0050.asp?__kagnr=812")]


# ---------------------------------------------------------------- meeting names (shortName) and file numbers (fileNumber)


def _meeting_page_layout6(ksinr: str, siname: str) -> Page:
    """A Layout 6 si0057 page of meeting ``ksinr`` whose header names it ``siname``, with an empty agenda."""
    header = "\n".join([
        _row("siname", "Sitzung", siname),
        _row("sigrname", "Gremium", "Hauptausschuss"),
        _row("sidat", "Datum", "06.07.2026"),
    ])
    agenda = '<table id="smc_page_si0057_contenttable1" class="smctablesitzung"><tbody></tbody></table>'
    return _layout6_page(f"https://buergerinfo.luedenscheid.de/si0057.asp?__ksinr={ksinr}", header + agenda)


def test_meeting_pages_give_siname_as_short_name_and_leave_the_name_to_the_calendar(corpus_dir: Path) -> None:
    (meeting,) = [i for i in _parse(corpus_dir, KAISERSLAUTERN_SI0057).items if i.type == "Meeting"]
    assert (meeting.shortName, meeting.name) == ("HuFA 08.09.2026", None)
    (meeting,) = [i for i in sessionnet.parse(_meeting_page_layout6("7193", "HA/004/2026"), "t").items if i.type == "Meeting"]
    assert (meeting.shortName, meeting.name) == ("HA/004/2026", None)


def test_table_layout_meeting_page_gives_the_sitzung_label_as_short_name() -> None:
    page = Page(
        url="https://ris.example.test/bi/to0040.asp?__ksinr=4532",
        text="""<html><head><meta name="sessionnet" content="V:050303"></head><body>
<div id="smclayout" class="smclayout smc_page_to0040_layout"><table class="smctablesitzungsinfo"><tbody>
<tr><td class="smctablehead">Sitzung:</td><td class="smctablebody">Rat/0042/2011</td></tr>
<tr><td class="smctablehead">Gremium:</td><td class="smctablebody">Rat</td></tr>
<tr><td class="smctablehead">Datum:</td><td class="smctablebody">19.05.2011</td></tr>
</tbody></table></div></body></html>""",
    )
    (meeting,) = [i for i in sessionnet.parse(page, "t").items if i.type == "Meeting"]
    assert (meeting.shortName, meeting.name, meeting.organizationName, meeting.dateRaw) == (
        "Rat/0042/2011", None, "Rat", "19.05.2011",
    )


def test_calendar_entries_are_named_by_their_link_text_and_have_no_short_name(corpus_dir: Path) -> None:
    meeting = next(i for i in _parse(corpus_dir, LUEDENSCHEID_CALENDAR).items if i.type == "Meeting" and i.systemId == "7193")
    assert meeting.name == "öffentliche/nicht öffentliche Sitzung des Hauptausschusses der Stadt Lüdenscheid"
    assert meeting.shortName is None


@pytest.mark.parametrize("calendar_first", [True, False], ids=["calendar-first", "meeting-page-first"])
def test_merged_meeting_names_do_not_depend_on_which_page_loads_last(corpus_dir: Path, calendar_first: bool) -> None:
    from pipelines.warehouse.load import merge_items

    calendar = [i.to_dict() for i in _parse(corpus_dir, LUEDENSCHEID_CALENDAR).items if i.type == "Meeting"]
    meeting_page = [i.to_dict() for i in sessionnet.parse(_meeting_page_layout6("7193", "HA/004/2026"), "test").items]
    staged = calendar + meeting_page if calendar_first else meeting_page + calendar
    merged = merge_items(staged)["meeting"][("test", "7193")]
    assert merged["name"] == "öffentliche/nicht öffentliche Sitzung des Hauptausschusses der Stadt Lüdenscheid"
    assert merged["shortName"] == "HA/004/2026"


def test_paper_file_number_comes_from_the_aktenzeichen_cell_where_shown(corpus_dir: Path) -> None:
    (paper,) = [i for i in _parse(corpus_dir, KAISERSLAUTERN_VO0050).items if i.type == "Paper"]
    assert paper.fileNumber == "11.1 st"
    (paper,) = [i for i in _parse(corpus_dir, ESCHWEILER_VO0050).items if i.type == "Paper"]
    assert paper.fileNumber is None


def test_table_layout_paper_gives_the_aktenzeichen_label_as_file_number() -> None:
    page = Page(
        url="https://ris.example.test/bi/vo0050.asp?__kvonr=1001",
        text="""<html><head><meta name="generator" content="SessionNet Version 4.3.2 bi"></head><body>
<table id="smctablevorgang" class="smctablevorgang"><tbody>
<tr><td class="smctablehead">Vorlage:</td><td class="smctablebody">VO/0815/2011</td></tr>
<tr><td class="smctablehead">Betreff:</td><td class="smctablebody">Radweg an der Lauter</td></tr>
<tr><td class="smctablehead">Aktenzeichen:</td><td class="smctablebody">61.2-Ba</td></tr>
</tbody></table></body></html>""",
    )
    (paper,) = [i for i in sessionnet.parse(page, "t").items if i.type == "Paper"]
    assert (paper.reference, paper.name, paper.fileNumber) == ("VO/0815/2011", "Radweg an der Lauter", "61.2-Ba")


@pytest.mark.parametrize(
    "row",
    [_row("agakz", "Aktenzeichen", "32.1/0815"), _row("agxyz", "Az.", "32.1/0815"), _row("agakz", "Zeichen", "32.1/0815")],
    ids=["label-and-class", "label-only", "class-only"],
)
def test_antrag_file_number_comes_from_the_aktenzeichen_label_or_cell(row: str) -> None:
    (paper,) = [i for i in sessionnet.parse(_antrag_layout6(ANTRAG_ROWS + row), "example").items if i.type == "Paper"]
    assert paper.fileNumber == "32.1/0815"
