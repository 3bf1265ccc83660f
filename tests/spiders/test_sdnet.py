"""SD.NET RIM: golden tests on real pages, variants a real install shows, detection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spiders.dialects import Page, UnknownDialect, by_name, describe, detect
from spiders.dialects import sdnet
from tests.golden import assert_matches_golden
from tests.spiders.pages.restore import restored_path

PAGES = Path(__file__).parent / "pages"
GOLDEN = Path(__file__).parent / "golden" / "sdnet"
VARIANTS = PAGES / "sdnet" / "variants"


def page_at(path: Path, url: str) -> Page:
    return Page.from_bytes(url, path.read_bytes())


@pytest.mark.parametrize("name", sorted(p.stem for p in GOLDEN.glob("*.json")))
def test_real_page_matches_its_golden_file(name):
    golden = json.loads((GOLDEN / f"{name}.json").read_text())
    assert golden["checked"] and golden["checked"] != "TODO"
    page = page_at(PAGES / golden["page"], golden["url"])
    module, evidence = detect(page)
    assert module.NAME == "sdnet", evidence
    assert sdnet.page_kind(page) == golden["kind"]
    parsed = sdnet.parse(page, golden["source"])
    assert_matches_golden(parsed.items, GOLDEN / f"{name}.json")
    assert [[link.kind, link.url] for link in parsed.follow] == golden["follow"]
    assert all(parsed.fields_seen.values()), parsed.fields_seen


def test_every_saved_real_page_has_a_golden_file():
    pages = {p.name for p in (PAGES / "sdnet").iterdir() if p.is_file()}
    goldens = {json.loads(p.read_text())["page"].split("/", 1)[1] for p in GOLDEN.glob("*.json")}
    assert pages == goldens


def test_a_cms_embedded_agenda_with_its_own_table_class_non_public_part_and_sub_items():
    url = "https://www.beispielstedt.de/rathaus/ratsinfo/tops/?__=UGhVM0hpd2NXNFdFcExjZVARIANT0001"
    page = page_at(VARIANTS / "cms-embedded_tops_nonpublic-subitems.html", url)
    module, evidence = detect(page)
    assert module.NAME == "sdnet" and "URL shape" in evidence
    parsed = sdnet.parse(page, "beispielstedt")
    meeting = next(i for i in parsed.items if i.type == "Meeting")
    assert (meeting.systemId, meeting.organizationName, meeting.dateRaw, meeting.locality) == (
        "UGhVM0hpd2NXNFdFcExjZVARIANT0001", "Gemeinderat", "05.11.2026", None)
    items = [i for i in parsed.items if i.type == "AgendaItem"]
    assert [(i.systemId, i.number, i.public, i.parent, i.paper, i.paperReference) for i in items] == [
        ("902", "1", True, None, None, None),
        ("UGhVM0hpd2NXNFdFcExjZVARIANT0001-505_3301", "2", True, None, "UGhVM0hpd2NXNFdFcExjZVORGANG002", "GV/2026/044"),
        ("904", "2.1", True, "UGhVM0hpd2NXNFdFcExjZVARIANT0001-505_3301", None, None),
        ("905", "2.2", True, "UGhVM0hpd2NXNFdFcExjZVARIANT0001-505_3301", None, None),
        ("UGhVM0hpd2NXNFdFcExjZVARIANT0001-505_3302", "3", True, None, None, "AN/2026/009"),
        ("UGhVM0hpd2NXNFdFcExjZVARIANT0001-505_3310", "4", False, None, None, "GV/2026/050"),
    ]
    files = {f.systemId: (f.parentType, f.role, f.accessUrl) for f in parsed.items if f.type == "File"}
    assert files == {
        "UGhVM0hpd2NXNFdFcExjZDOCEINL01": ("Meeting", "invitation", "https://www.beispielstedt.de/sdnetrim/UGhVM0hpd2NXNFdFcExjZDOCEINL01/Einladung_Gemeinderat_05.11.2026.pdf"),
        "UGhVM0hpd2NXNFdFcExjZDOCVORL02": ("Paper", "mainFile", "https://www.beispielstedt.de/sdnetrim/UGhVM0hpd2NXNFdFcExjZDOCVORL02/Vorlage_GV-2026-044.pdf"),
    }
    assert [link.kind for link in parsed.follow] == ["vorgang", "file", "file"]


def test_an_agenda_without_item_ids_whose_non_public_part_restarts_numbering_and_links_processes():
    """Wesel prints no data-ivs-id, numbers the non-public part from 1 again, links its processes, and prints "5.1" on level 1."""
    url = "https://ris.beispielstedt.de/tops/?__=UGhVM0hpd2NXNFdFcExjZVARIANT0003"
    page = page_at(VARIANTS / "tops_no-item-ids_nonpublic-processes.html", url)
    parsed = sdnet.parse(page, "beispielstedt")
    items = [(i.systemId, i.number, i.public, i.parent, i.paper) for i in parsed.items if i.type == "AgendaItem"]
    meeting = "UGhVM0hpd2NXNFdFcExjZVARIANT0003"
    assert items == [
        ("17001", "1.", True, None, None),
        (f"{meeting}-505_9401", "2.", True, None, "UGhVM0hpd2NXNFdFcExjZVORGANG201"),
        (f"{meeting}-505_9402", "2.1", True, f"{meeting}-505_9401", "UGhVM0hpd2NXNFdFcExjZVORGANG202"),
        ("17010", "1.", False, None, None),
        (f"{meeting}-505_9410", "2.", False, None, None),
    ]
    assert len({i[0] for i in items}) == len(items)
    assert [link.url.rsplit("=", 1)[1] for link in parsed.follow if link.kind == "vorgang"] == [
        "UGhVM0hpd2NXNFdFcExjZVORGANG201", "UGhVM0hpd2NXNFdFcExjZVORGANG202"]


def test_a_process_with_other_labels_a_written_resolution_and_an_unscheduled_station():
    page = page_at(VARIANTS / "vorgang_without-paper_decided.html",
                   "https://ris.beispielstedt.de/vorgang/?__=UGhVM0hpd2NXNFdFcExjZVORGANG009")
    parsed = sdnet.parse(page, "beispielstedt")
    paper = parsed.items[0]
    assert (paper.type, paper.paperType, paper.reference, paper.name, paper.status, paper.author, paper.leadOfficeRaw) == (
        "Paper", "Antrag", "AN/2026/009", "Antrag auf Errichtung eines Bürgerbusses", "öffentlich", "Fraktion Bürgerliste", None)
    consultations = [i for i in parsed.items if i.type == "Consultation"]
    assert [(c.systemId, c.meeting, c.agendaItem, c.organizationName, c.dateRaw, c.resultRaw) for c in consultations] == [
        ("UGhVM0hpd2NXNFdFcExjZVORGANG009/906", "UGhVM0hpd2NXNFdFcExjZVARIANT0001", "906", "Gemeinderat", "05.11.2026",
         "Der Antrag wird an den Hauptausschuss verwiesen.; mehrheitlich"),
        ("UGhVM0hpd2NXNFdFcExjZVORGANG009/2", None, None, "Hauptausschuss", None, None),
    ]
    assert parsed.follow == []
    assert parsed.fields_seen == {"reference": True, "name": True, "leadOfficeRaw": False, "consultations": True}


def test_a_calendar_export_with_folded_lines_an_all_day_event_and_a_meeting_without_agenda():
    page = page_at(VARIANTS / "termine_no-agenda_all-day_folded.ics", "https://ris.beispielstedt.de/termine/ics/SD.NET_RIM.ics")
    assert detect(page)[0].NAME == "sdnet"
    parsed = sdnet.parse(page, "beispielstedt")
    assert [(m.systemId, m.organizationName, m.dateRaw, m.timeRaw, m.locality, m.cancelled) for m in parsed.items] == [
        ("uid-2026120001", "Ausschuss für Umwelt, Klima und Mobilität", "01.12.2026", "16:30 - 18:30 Uhr", "Rathaus, Ratssaal", None),
        ("UGhVM0hpd2NXNFdFcExjZVARIANT0002", "Gemeinderat", "10.12.2026", None, None, True),
    ]
    assert [(link.kind, link.url) for link in parsed.follow] == [
        ("tops", "https://ris.beispielstedt.de/tops/?__=UGhVM0hpd2NXNFdFcExjZVARIANT0002")]


@pytest.mark.parametrize("base_url, expected", [
    ("https://ris.wesel.de/", "https://ris.wesel.de/termine/ics/SD.NET_RIM.ics"),
    ("https://ris.wesel.de/startseite", "https://ris.wesel.de/termine/ics/SD.NET_RIM.ics"),
    ("https://sdnetrim.kdvz-frechen.de/rim4883/gremien", "https://sdnetrim.kdvz-frechen.de/rim4883/termine/ics/SD.NET_RIM.ics"),
    ("https://velbert.ratsinfomanagement.net", "https://velbert.ratsinfomanagement.net/termine/ics/SD.NET_RIM.ics"),
])
def test_a_crawl_starts_at_the_calendar_export_of_the_install(base_url, expected):
    links = sdnet.start_urls(base_url, [(2026, 9), (2026, 10)])
    assert [(link.kind, link.url, link.meta) for link in links] == [("termine_ics", expected, {"months": ["2026-09", "2026-10"]})]


def test_the_crawl_session_keeps_only_the_meetings_of_the_window():
    page = page_at(PAGES / "sdnet" / "teststadt_termine-ics_EXCERPT.ics", "https://ris.teststadt.de/termine/ics/SD.NET_RIM.ics")
    session = sdnet.crawl_session(None, None)
    assert session.parse(page, "teststadt", {"months": ["2024-10"]}).items  # all five events are of October 2024
    assert session.parse(page, "teststadt", {"months": ["2026-09"]}).items == []
    assert len(session.parse(page, "teststadt", {}).items) == 5  # no window: the whole export


def test_the_firewall_check_page_is_a_refusal_not_a_parse():
    page = Page("https://x.ratsinfomanagement.net/tops/?__=abc",
                "<html><head><title>SD.NET RIM 4 | Stadt X</title></head><body>Verifying your browser …</body></html>")
    assert sdnet.is_refused(page)


def test_a_page_that_links_an_oparl_server_is_detected_as_oparl_with_its_system_url():
    text = (VARIANTS.parent / "teststadt_vorgang-926_EXCERPT.html").read_text().replace(
        "</body>", '<a href="/webservice/oparl/v1.1/system">OParl-Schnittstelle</a></body>')
    page = Page("https://ris.teststadt.de/vorgang/?__=x", text)
    description = describe(page)
    assert description["system"] == "oparl"
    assert description["oparlSystem"] == "https://ris.teststadt.de/webservice/oparl/v1.1/system"
    assert "sdnet" in description["evidence"] and "OParl" in description["evidence"]
    assert detect(page)[0].NAME == "oparl"


def test_sdnet_is_registered():
    assert by_name("sdnet") is sdnet


@pytest.mark.parametrize("name, url, check", [
    ("wesel_termine.ics", "https://ris.wesel.de/termine/ics/SD.NET_RIM.ics",
     lambda items: [m.organizationName for m in items] == ["Haupt- und Finanzausschuss", "Schul- und Sportausschuss", "Rat",
                                                           "Haupt- und Finanzausschuss"]),
    ("wesel_vorgang.html", "https://ris.wesel.de/vorgang/?__=UGhVM0hpd2NXNFdFcExjZZX_vMqiAbzwPeEl-j4Ermw",
     lambda items: (items[0].reference, items[0].paperType, items[0].leadOfficeRaw) == (
         "T 02/325/26", "Vorlage zur Kenntnis", "Büro des Bürgermeisters")
     and [(c.organizationName, c.dateRaw, c.agendaItem) for c in items if c.type == "Consultation"] == [("Rat", "29.09.2026", "16983")]),
    ("wesel_tagesordnung-rat.html", "https://ris.wesel.de/tops/?__=UGhVM0hpd2NXNFdFcExjZYWuCQwzOiw2bkwmCBDEezw",
     lambda items: any(i.type == "AgendaItem" and i.number == "3." and i.paperReference == "T 02/325/26"
                       and i.name == "Neu-/Umbesetzung von Ausschüssen Auswirkungen der Bildung der Gruppe AfW Aktiv für Wesel"
                       for i in items)
     and sum(i.type == "AgendaItem" and i.public is False for i in items) == 11),
])
def test_restored_wesel_pages(name, url, check):
    """Ratsmonitor's Wesel pages carry no licence: restored by tests/spiders/pages/restore.py, never committed."""
    path = restored_path("sdnet/" + name)
    page = page_at(path, url)
    assert detect(page)[0].NAME == "sdnet"
    assert check(sdnet.parse(page, "wesel").items)


def test_other_systems_pages_are_not_taken_for_sdnet(corpus_dir):
    for path in sorted(corpus_dir.glob("*/*")):
        if path.is_file():
            page = Page.from_bytes(path.as_uri(), path.read_bytes())
            assert not sdnet.detect(page), path
    with pytest.raises(UnknownDialect):
        detect(Page("https://example.org/", "<html><title>Stadt</title></html>"))


def test_a_calendar_export_with_blank_lines_between_events_an_unknown_place_and_a_cancellation_note():
    """As the VG Oberes Glantal's export prints it: a blank line after each event, LOCATION "in Klärung, , in Klärung"
    while the place is open, and the note "DIE SITZUNG WURDE ABGESAGT" after the agenda link."""
    page = page_at(VARIANTS / "termine_blank-lines_place-unknown_cancelled.ics",
                   "https://vgbt.ratsinfomanagement.net/termine/ics/SD.NET_RIM.ics")
    assert detect(page)[0].NAME == "sdnet"
    parsed = sdnet.parse(page, "beispieltal")
    assert [(m.systemId, m.organizationName, m.dateRaw, m.timeRaw, m.locality, m.cancelled) for m in parsed.items] == [
        ("UGhVM0hpd2NXNFdFcExjZVARIANT0031", "Verbandsgemeinderat Beispieltal", "20.10.2026", "19:00 - 20:40 Uhr", "in Klärung", None),
        ("UGhVM0hpd2NXNFdFcExjZVARIANT0032", "Werkausschuss Beispieltal", "03.11.2026", "19:00 - 20:13 Uhr",
         "Rathaus Beispieltal, 66999 Beispieltal, Sitzungssaal", True),
    ]
    assert [link.url.rsplit("=", 1)[1] for link in parsed.follow] == [
        "UGhVM0hpd2NXNFdFcExjZVARIANT0031", "UGhVM0hpd2NXNFdFcExjZVARIANT0032"]


def test_restored_oberes_glantal_calendar_export():
    """Ratsblick's export of vgog.ratsinfomanagement.net carries no licence: restored, never committed."""
    path = restored_path("sdnet/oberes-glantal_termine.ics")
    page = page_at(path, "https://vgog.ratsinfomanagement.net/termine/ics/SD.NET_RIM.ics")
    assert detect(page)[0].NAME == "sdnet" and sdnet.page_kind(page) == "termine_ics"
    parsed = sdnet.parse(page, "vgog")
    assert len(parsed.items) == len(parsed.follow) == len({m.systemId for m in parsed.items})
    assert all(link.url.startswith("https://vgog.ratsinfomanagement.net/tops/?__=") for link in parsed.follow)
    by_id = {m.systemId: m for m in parsed.items}
    cancelled = by_id["UGhVM0hpd2NXNFdFcExjZYEeakzcftvhwL6ra84l-pg"]
    assert (cancelled.organizationName, cancelled.dateRaw, cancelled.timeRaw, cancelled.cancelled) == (
        "Schulträgerausschuss Oberes Glantal", "03.02.2025", "18:00 - 19:40 Uhr", True)
    assert [m.systemId for m in parsed.items if m.cancelled] == ["UGhVM0hpd2NXNFdFcExjZYEeakzcftvhwL6ra84l-pg"]
    assert by_id["UGhVM0hpd2NXNFdFcExjZfxKVDnFYVBloYRkjLpSuvs"].locality == "in Klärung"
    window = sdnet.crawl_session(None, None).parse(page, "vgog", {"months": ["2026-09", "2026-10"]}).items
    assert [(m.organizationName, m.dateRaw) for m in window] == [
        ("Verbandsgemeinderat Oberes Glantal", "01.09.2026"), ("Fachausschuss Dorfentwicklung", "14.09.2026"),
        ("Haupt-, Finanz, Bau- & Umweltausschuss Oberes Glantal", "29.09.2026"),
        ("Verbandsgemeinderat Oberes Glantal", "20.10.2026")]
