"""regisafe RIS-Portal: golden test on the real Kirchheimbolanden calendar, a meeting page variant, the restored pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spiders.dialects import Page, by_name, detect
from spiders.dialects import regisafe
from tests.golden import assert_matches_golden
from tests.spiders.pages.restore import restored_path

GOLDEN = Path(__file__).parent / "golden" / "regisafe"
VARIANTS = Path(__file__).parent / "pages" / "regisafe" / "variants"


@pytest.mark.parametrize("name", sorted(p.stem for p in GOLDEN.glob("*.json")))
def test_real_corpus_page_matches_its_golden_file(corpus_dir, name):
    golden = json.loads((GOLDEN / f"{name}.json").read_text())
    assert golden["checked"] and golden["checked"] != "TODO"
    page = Page.from_bytes(golden["url"], (corpus_dir / golden["page"]).read_bytes())
    module, evidence = detect(page)
    assert module.NAME == "regisafe", evidence
    assert regisafe.page_kind(page) == golden["kind"]
    parsed = regisafe.parse(page, golden["source"])
    assert_matches_golden(parsed.items, GOLDEN / f"{name}.json")
    assert [[link.kind, link.url] for link in parsed.follow] == golden["follow"]


def test_every_regisafe_corpus_page_has_a_golden_file(corpus_dir):
    pages = {p.stem for p in (corpus_dir / "regisafe").iterdir() if p.is_file()}
    assert pages and pages <= {p.stem for p in GOLDEN.glob("*.json")}


def test_a_meeting_page_with_both_parts_a_sub_item_and_a_meeting_document():
    page = Page.from_bytes("https://steinbach.ris-portal.de/web/guest/sitzungen?sitzungId=230001",
                           (VARIANTS / "sitzung_two-parts_subitem_meeting-document.html").read_bytes())
    module, evidence = detect(page)
    assert module.NAME == "regisafe" and "RisSitzung" in evidence
    parsed = regisafe.parse(page, "steinbach")
    by_type: dict[str, list] = {}
    for item in parsed.items:
        by_type.setdefault(item.type, []).append(item)
    (meeting,) = by_type["Meeting"]
    assert (meeting.systemId, meeting.name) == ("230001", "Sitzung Gemeinderat Steinbach am 29.09.2026")
    assert [(a.systemId, a.number, a.order, a.public, a.parent, a.paper, a.name) for a in by_type["AgendaItem"]] == [
        ("1950001", "1.", 0, True, None, None, "Einwohnerfragestunde"),
        ("1950002", "2.", 1, True, None, "2026/0101", "Bebauungsplan „Am Dorfplatz“, Aufstellungsbeschluss"),
        ("1950003", "3.", 2, True, None, "2026/0102", "Umgestaltung des Dorfplatzes"),
        ("1950004", "3.1", 3, True, "1950003", None, "Vergabe der Planungsleistungen"),
        ("1950009", "4.", 4, False, None, None, "Grundstücksangelegenheiten"),
    ]
    assert [(p.systemId, p.paperType, p.name) for p in by_type["Paper"]] == [
        ("2026/0101", "Sitzungsvorlage", "Bebauungsplan „Am Dorfplatz“, Aufstellungsbeschluss"),
        ("2026/0102", "Sitzungsvorlage", "Umgestaltung des Dorfplatzes")]
    assert [(c.systemId, c.meeting, c.agendaItem) for c in by_type["Consultation"]] == [
        ("2026/0101/1950002", "230001", "1950002"), ("2026/0102/1950003", "230001", "1950003")]
    files = {(f.systemId, f.parentType, f.parent, f.role) for f in by_type["File"]}
    assert files == {("3100001", "Paper", "2026/0101", "mainFile"), ("3100003", "AgendaItem", "1950002", "resolutionFile"),
                     ("3100002", "Paper", "2026/0102", "mainFile"), ("3100004", "AgendaItem", "1950003", "auxiliaryFile"),
                     ("3100000", "Meeting", "230001", "invitation")}
    assert all(link.url.startswith("https://steinbach.ris-portal.de/sitzungen?") and "singleDocument" in link.url
               for link in parsed.follow)


@pytest.mark.parametrize("base_url, root", [
    ("https://kirchheimbolanden.ris-portal.de/", "https://kirchheimbolanden.ris-portal.de/"),
    ("https://kirchheimbolanden.ris-portal.de/startseite", "https://kirchheimbolanden.ris-portal.de/"),
    ("https://hinte.ris-portal.de/web/ratsinformation/startseite", "https://hinte.ris-portal.de/web/ratsinformation/"),
])
def test_the_calendar_is_asked_per_month_under_the_site_the_base_url_names(base_url, root):
    links = regisafe.start_urls(base_url, [(2026, 1), (2026, 12)])
    assert [link.url.split("?")[0] for link in links] == [root + "sitzungen"] * 2
    assert "_RisSitzung_month=0&" in links[0].url and "_RisSitzung_month=11&" in links[1].url
    assert by_name("regisafe") is regisafe


@pytest.mark.parametrize("name, sid, public, non_public", [
    ("kirchheimbolanden_sitzung-221058.html", "221058", 4, None),
    ("kirchheimbolanden_sitzung-223573.html", "223573", None, 1),
])
def test_restored_kirchheimbolanden_meeting_pages(name, sid, public, non_public):
    """Ratsblick's pages carry no licence: restored by tests/spiders/pages/restore.py, never committed."""
    path = restored_path("regisafe/" + name)
    page = Page.from_bytes(f"https://kirchheimbolanden.ris-portal.de/web/guest/sitzungen?sitzungId={sid}", path.read_bytes())
    items = regisafe.parse(page, "kirchheimbolanden").items
    agenda = [i for i in items if i.type == "AgendaItem"]
    if public is not None:
        assert [a.number for a in agenda[:public]] == ["1.", "2.", "3.", "4."]
        assert any(i.type == "Paper" and i.systemId == "2026/0023" for i in items)
    if non_public is not None:
        assert agenda[0].public is False


def _items(page: Page, source: str) -> tuple:
    parsed = regisafe.parse(page, source)
    by_type: dict[str, list] = {}
    for item in parsed.items:
        by_type.setdefault(item.type, []).append(item)
    return parsed, by_type


def test_the_redesigned_theme_lists_parts_and_items_in_one_list_and_names_documents_by_their_link():
    page = Page.from_bytes("https://ris.beispielheim.de/web/guest/sitzungen?sitzungId=5120",
                           (VARIANTS / "sitzung_redesign-theme_parts_subitem.html").read_bytes())
    module, evidence = detect(page)
    assert module.NAME == "regisafe" and "p_p_id=RisSitzung" in evidence
    assert regisafe.page_kind(page) == "sitzung"
    parsed, items = _items(page, "beispielheim")
    assert [(a.systemId, a.number, a.order, a.public, a.parent, a.paper, a.name) for a in items["AgendaItem"]] == [
        ("40101", "1.", 0, True, None, "StR-0301", "Radverkehrskonzept Fortschreibung 2027"),
        ("40102", "1.1", 1, True, "40101", None, "Maßnahmen in der Altstadt"),
        ("40109", "2.", 2, False, None, None, "Personalangelegenheit"),
    ]
    assert [(p.systemId, p.paperType, p.name) for p in items["Paper"]] == [
        ("StR-0301", "Sitzungsvorlage", "Radverkehrskonzept Fortschreibung 2027")]
    assert [(f.systemId, f.parentType, f.parent, f.role, f.name) for f in items["File"]] == [
        ("77001", "Paper", "StR-0301", "mainFile", "Sitzungsvorlage (StR-0301)"),
        ("77002", "AgendaItem", "40101", "auxiliaryFile", "Karte Radnetz"),
    ]
    # The Gesamtdokument (topDocument) is no single document: neither a file of the item nor of the meeting.
    assert [link.url.rsplit("=", 1)[1] for link in parsed.follow] == ["77001", "77002"]


def test_a_published_vote_in_the_items_side_panel_is_the_items_result():
    page = Page.from_bytes("https://beispieltal.ris-portal.de/web/guest/sitzungen?sitzungId=99001",
                           (VARIANTS / "sitzung_published-votes.html").read_bytes())
    _, items = _items(page, "beispieltal")
    voted, plain = items["AgendaItem"]
    assert (voted.name, voted.paper, voted.resultRaw, voted.voteRaw) == (
        "Zuschuss für den Sportverein - Beratung und Beschlussfassung", "GR-2026-12",
        "Dem Beschlussvorschlag wird zugestimmt.", "Ja: 9, Nein: 2, Enthalten: 2, Befangen: 0, Ausgeschlossen: 0")
    assert (plain.resultRaw, plain.voteRaw) == (None, None)


def test_a_calendar_entry_of_the_redesigned_theme_names_its_body_in_the_link():
    events = [{"allDay": False, "sitzungId": 5120, "sessionLink": "https://ris.beispielheim.de/web/guest/sitzungen?sitzungId=5120",
               "start": "2026-11-04T18:00", "location": "Rathaus", "label": "StR 04.11.2026",
               "text": "<span class='mbsc-hide-in-eventlist'>18:00 StR </span><a href='https://ris.beispielheim.de/web/guest/"
                       "sitzungen?sitzungId=5120'>Sitzung Stadtrat am 04.11.2026</a>"}]
    page = Page("https://ris.beispielheim.de/sitzungen?p_p_id=RisSitzung&p_p_lifecycle=2&_RisSitzung_resource=loadSessions",
                json.dumps(events))
    (meeting,) = regisafe.parse(page, "beispielheim").items
    assert (meeting.organizationName, meeting.dateRaw, meeting.timeRaw, meeting.shortName) == (
        "Stadtrat", "04.11.2026", "18:00 Uhr", "StR 04.11.2026")


def _restored(name: str) -> Path:
    return restored_path("regisafe/" + name)


def test_restored_dachau_calendar_and_meeting_of_the_redesigned_theme():
    """Ratsmonitor's RIS-Portal fixtures carry no licence: restored by tests/spiders/pages/restore.py, never committed."""
    calendar = Page.from_bytes(regisafe.calendars.month_url("https://ris.dachau.de/", 2026, 10),
                               _restored("dachau_sessions-2026-10.json").read_bytes())
    assert detect(calendar)[0].NAME == "regisafe"
    parsed = regisafe.parse(calendar, "dachau")
    assert [(m.systemId, m.organizationName, m.dateRaw, m.timeRaw) for m in parsed.items] == [
        ("2762", "Stadtrat", "14.10.2026", "18:00 Uhr")]
    page = Page.from_bytes(parsed.follow[0].url, _restored("dachau_sitzung-2762.html").read_bytes())
    assert detect(page)[0].NAME == "regisafe"
    _, items = _items(page, "dachau")
    assert [(a.systemId, a.number, a.public, a.paper) for a in items["AgendaItem"]] == [
        ("18591", "1.", True, "StR-1716"), ("18592", "2.", True, "StR-1717"), ("18593", "3.", True, "StR-1718")]
    assert items["AgendaItem"][1].name == ("Änderung der Geschäftsordnung Zuständigkeit des Oberbürgermeisters in "
                                           "Personalangelegenheiten")
    assert sorted(f.systemId for f in items["File"]) == ["30039", "30112", "30113", "30116"]


def test_restored_hexental_meeting_with_published_votes():
    page = Page.from_bytes("https://vghexental.ris-portal.de/web/guest/sitzungen?sitzungId=192529",
                           _restored("vghexental_sitzung-192529.html").read_bytes())
    assert detect(page)[0].NAME == "regisafe"
    _, items = _items(page, "vghexental")
    agenda = items["AgendaItem"]
    assert [a.number for a in agenda] == ["1.", "2.", "3.", "4.", "5.", "6.", "7.", "8."]
    assert all(a.public for a in agenda)
    votes = {a.number: (a.paper, a.resultRaw, a.voteRaw) for a in agenda if a.voteRaw}
    assert votes == {
        "3.": ("GR Mrz-2026-38", "Dem Beschlussvorschlag wird zugestimmt.",
               "Ja: 9, Nein: 2, Enthalten: 2, Befangen: 0, Ausgeschlossen: 0"),
        "4.": ("GR Mrz-2026-37", "Dem Beschlussvorschlag wird zugestimmt.",
               "Ja: 11, Nein: 1, Enthalten: 1, Befangen: 0, Ausgeschlossen: 0"),
        "5.": ("GR Mrz-2026-36", "Dem Beschlussvorschlag wird zugestimmt.",
               "Ja: 8, Nein: 3, Enthalten: 1, Befangen: 1, Ausgeschlossen: 0"),
    }
    assert {f.role for f in items["File"] if f.parentType == "AgendaItem"} == {"auxiliaryFile", "resolutionFile"}


def test_both_parts_in_one_list_wrapper_an_unnumbered_paper_and_its_attachments():
    page = Page.from_bytes("https://beispielwelde.ris-portal.de/web/ratsinformation/sitzungen?sitzungId=218800",
                           (VARIANTS / "sitzung_one-wrapper-both-parts_unnumbered-paper_attachments.html").read_bytes())
    assert detect(page)[0].NAME == "regisafe"
    _, items = _items(page, "beispielwelde")
    assert items["Meeting"][0].name == "Sitzung Rat am 08.10.2026"
    assert [(a.systemId, a.number, a.public, a.paper, a.paperReference) for a in items["AgendaItem"]] == [
        ("770001", "1.", True, "document-3300101", None),
        ("770002", "2.", True, None, None),
        ("770009", "1.", False, None, None),
    ]
    assert [(p.systemId, p.reference, p.paperType, p.name) for p in items["Paper"]] == [
        ("document-3300101", None, "Sitzungsvorlage", "Neubau der Kindertagesstätte hier: Vergabe der Planungsleistungen")]
    assert [(f.systemId, f.parentType, f.parent, f.role) for f in items["File"]] == [
        ("3300101", "Paper", "document-3300101", "mainFile"),
        ("3300102", "Paper", "document-3300101", "auxiliaryFile"),
        ("3300103", "AgendaItem", "770001", "auxiliaryFile"),
        ("3300104", "AgendaItem", "770001", "auxiliaryFile"),
    ]


def test_restored_welver_meeting_with_both_parts_in_one_wrapper():
    page = Page.from_bytes("https://welver.ris-portal.de/web/ratsinformation/sitzungen?sitzungId=216451",
                           _restored("welver_sitzung-216451.html").read_bytes())
    assert detect(page)[0].NAME == "regisafe"
    _, items = _items(page, "welver")
    assert items["Meeting"][0].name == "Sitzung Rat am 03.09.2026"
    assert [(a.number, a.public, a.paper) for a in items["AgendaItem"]] == [
        ("1.", True, None), ("2.", True, "document-2828454"), ("3.", True, "document-2828458"), ("4.", True, None),
        ("1.", False, None), ("2.", False, None), ("3.", False, None), ("4.", False, None)]
    paper_files = sorted(f.systemId for f in items["File"] if f.parentType == "Paper")
    assert paper_files == ["2828454", "2828455", "2828456", "2828457", "2828458", "2828459"]
    assert [f.systemId for f in items["File"] if f.role == "mainFile"] == ["2828454", "2828458"]
    assert len(items["File"]) == 16


def test_restored_grossefehn_meeting_whose_items_carry_the_members_voting_form():
    """Großefehn heads its public part "Öffentlich" and puts the members' voting form (offcanvas-top-votes_…) into
    every item: a form is no published vote, and its list entries are no agenda items."""
    page = Page.from_bytes("https://grossefehn.ris-portal.de/web/ratsinformation/sitzungen?sitzungId=221624",
                           _restored("grossefehn_sitzung-221624.html").read_bytes())
    assert detect(page)[0].NAME == "regisafe"
    _, items = _items(page, "grossefehn")
    assert items["Meeting"][0].name == "Sitzung Rat der Gemeinde Großefehn am 23.09.2026"
    agenda = items["AgendaItem"]
    assert [(a.systemId, a.number, a.public) for a in agenda[:3]] == [
        ("1916265", "1.", True), ("1916266", "2.", True), ("1916267", "3.", True)]
    assert agenda[1].paper == "document-2862516" and agenda[1].name == "Feststellung der Tagesordnung - öffentlich -"
    assert all(a.resultRaw is None and a.voteRaw is None for a in agenda[:3])
    assert len({a.systemId for a in agenda}) == len(agenda)
