"""SessionNet pages of towns outside the corpus (Speyer, Koblenz, Sulzberg): what they print that the corpus towns don't.

The real pages come from public scraper projects without a licence
(``tests/spiders/pages/SOURCES.tsv``): restored by
``python -m tests.spiders.pages.restore``, never committed, skipped while
missing. Each feature that broke the parser also has a hand-written variant
in the real structure under ``pages/sessionnet/variants/`` that runs in CI.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.normalise.items import normalise_item
from schemas.items import AgendaItem, File, Paper
from spiders.dialects import Page, detect
from spiders.dialects import sessionnet
from tests.spiders.pages.restore import restored_path

PAGES = Path(__file__).parent / "pages"
VARIANTS = PAGES / "sessionnet" / "variants"


def _page(path: Path, url: str) -> Page:
    return Page.from_bytes(url, path.read_bytes())


def _restored(name: str, url: str) -> Page:
    path = restored_path("sessionnet/" + name)
    page = _page(path, url)
    assert detect(page)[0].NAME == "sessionnet"
    return page


def _parsed(page: Page, source: str) -> list:
    """Return the page's items as a crawl stages them (dates, times and votes normalised)."""
    return [normalise_item(item) for item in sessionnet.parse(page, source).items]


def _agenda(items) -> list[tuple]:
    return [(i.systemId, i.number, i.public, i.parent, i.paper) for i in items if isinstance(i, AgendaItem)]


# ---------------------------------------------------------------- variants (in CI)


def test_items_added_late_without_a_number_keep_apart_and_sub_items_name_their_parent() -> None:
    """Speyer prints an item added late as a badge with the part's letter only ("Ö "); two of them must not share an id.

    Sub-items ("Ö 2.1", "N 25.1") belong to the item their number heads, in their own part.
    """
    page = _page(VARIANTS / "si0057_late-item-without-number_sub-items.html",
                 "https://ris.example.test/si0057.php?__ksinr=4730&smcspf=4")
    items = sessionnet.parse(page, "beispielstadt").items
    agenda = _agenda(items)
    assert agenda == [
        ("4730-Ö1", "Ö 1", True, None, None),
        ("4730-Ö2", "Ö 2", True, None, "11267"),
        ("4730-Ö2.1", "Ö 2.1", True, "4730-Ö2", None),
        ("4730-Ö24", "Ö 24", True, None, None),
        ("4730-pos5", None, True, None, "11278"),
        ("4730-pos6", None, True, None, "11228"),
        ("4730-N25", "N 25", False, None, None),
        ("4730-N25.1", "N 25.1", False, "4730-N25", None),
        ("4730-N2", "N 2", False, None, None),
        ("4730-N2.1", "N 2.1", False, "4730-N2", None),
    ]
    assert len({row[0] for row in agenda}) == len(agenda)
    # The livestream link is no document of the meeting; the getfile documents are.
    assert [(f.systemId, f.parentType, f.parent) for f in items if isinstance(f, File)] == [
        ("85553", "Meeting", "4730"), ("85592", "Paper", "11278")]


def test_card_agenda_counts_persoenlich_beteiligt_as_biased_and_links_sub_items() -> None:
    """Bavarian installs print "Persönlich beteiligt" (Art. 49 GO) in the vote line where others print "Befangen"."""
    page = _page(VARIANTS / "si0056_cards_persoenlich-beteiligt.html",
                 "https://ris.example.test/si0056.asp?__ksinr=161")
    items = _parsed(page, "beispielmarkt")
    first = next(i for i in items if isinstance(i, AgendaItem))
    assert (first.result, first.votesYes, first.votesNo, first.votesBiased) == ("accepted", 14, 2, 1)
    assert _agenda(items)[1:] == [("2591", "N 1", False, None, None), ("2592", "N 1.1", False, "2591", None)]


# ---------------------------------------------------------------- real pages (restored, not in CI)


def test_restored_sulzberg_si0056_cards_with_votes() -> None:
    page = _restored("sulzberg_si0056-161.html", "https://buergerinfo-sulzberg.digitalfabrix.de/si0056.asp?__ksinr=161")
    items = _parsed(page, "sulzberg")
    meeting = items[0].to_dict()
    assert items[0].type == "Meeting"
    assert (meeting["systemId"], meeting["date"], meeting["start"], meeting["end"]) == (
        "161", "2026-08-13", "2026-08-13T19:30:00+02:00", "2026-08-13T22:03:00+02:00")
    agenda = [i for i in items if isinstance(i, AgendaItem)]
    assert [(i.systemId, i.number, i.public, i.result, i.unanimous) for i in agenda] == [
        ("2577", "Ö 1", True, "accepted", True), ("2578", "Ö 2", True, "accepted", False)]
    assert (agenda[1].votesYes, agenda[1].votesNo, agenda[1].votesBiased) == (16, 1, 0)


def test_restored_speyer_si0057_late_items_and_sub_items() -> None:
    page = _restored("speyer_si0057-4730.php.html", "https://buergerinfo2.speyer.de/si0057.php?__ksinr=4730&smcspf=4")
    items = _parsed(page, "speyer")
    meeting = items[0].to_dict()
    assert (meeting["shortName"], meeting["organizationName"], meeting["date"], meeting["room"]) == (
        "SR/025/2026", "Stadtrat", "2026-10-01", "67346 Speyer, Stadtratssitzungssaal, Rathaus, Maximilianstraße 12")
    agenda = {i.systemId: i for i in items if isinstance(i, AgendaItem)}
    assert len(agenda) == sum(isinstance(i, AgendaItem) for i in items)
    late = next(i for i in agenda.values() if i.paper == "11278")
    assert (late.number, late.public, late.paperReference) == (None, True, "0914/2026/1")
    assert (agenda["4730-N25.1"].parent, agenda["4730-N26.1"].parent) == ("4730-N25", "4730-N26")
    assert agenda["4730-Ö2"].paper == "11267"


def test_restored_koblenz_si0057_results_and_votes() -> None:
    page = _restored("koblenz_si0057-9693.php.html", "https://rat.koblenz.de/bi/si0057.php?__ksinr=9693")
    items = _parsed(page, "koblenz")
    meeting = items[0].to_dict()
    assert (meeting["shortName"], meeting["start"], meeting["end"]) == (
        "2026/018/SR", "2026-09-03T15:00:00+02:00", "2026-09-03T22:00:00+02:00")
    agenda = {i.systemId: i for i in items if isinstance(i, AgendaItem)}
    third = agenda["9693-Ö3"]
    assert (third.paper, third.paperReference, third.result) == ("43287", "BV/0494/2026/2", "accepted")
    assert (third.votesYes, third.votesNo, third.votesAbstain, third.votesBiased) == (20, 4, 22, 0)
    assert (agenda["9693-Ö2"].resultRaw, agenda["9693-Ö2"].result) == ("Kenntnis genommen", "noted")


def test_restored_koblenz_vo0050_type_with_sort_prefix() -> None:
    page = _restored("koblenz_vo0050-43205.php.html", "https://rat.koblenz.de/bi/vo0050.php?__kvonr=43205")
    items = _parsed(page, "koblenz")
    paper = items[0]
    assert isinstance(paper, Paper)
    assert (paper.reference, paper.paperType, paper.to_dict()["modified"]) == ("UV/0190/2026", "Unterrichtungsvorlage", "2026-09-30T17:01:12")
    assert [(f.systemId, f.role) for f in items if isinstance(f, File)] == [("386541", "mainFile")]


def test_an_install_serving_several_clients_is_crawled_for_all_of_them() -> None:
    """A Verbandsgemeinde's install lists its Ortsgemeinden as clients: the calendars ask for all, as "Alle Mandanten" does."""
    first = _page(VARIANTS / "info_several-clients.html", "https://session.example.test/bi/info.asp")
    links = sessionnet.start_urls("https://session.example.test/bi/", [(2026, 10)], first_page=first)
    assert [link.url for link in links] == [
        "https://session.example.test/bi/si0040.asp?__cjahr=2026&__cmonat=10&__canz=1&__cselect=0&__cmandant=2",
        "https://session.example.test/bi/gr0040.asp",
    ]


def test_an_install_with_one_client_keeps_its_calendar_address() -> None:
    first = _page(VARIANTS / "si0057_late-item-without-number_sub-items.html", "https://ris.example.test/si0057.php?__ksinr=4730")
    links = sessionnet.start_urls("https://ris.example.test/", [(2026, 10)], first_page=first)
    assert links[0].url == "https://ris.example.test/si0040.php?__cjahr=2026&__cmonat=10&__canz=1&__cselect=0"


@pytest.mark.parametrize("name, url", [
    ("gerolstein_si0040-2026-10.html", "http://session.gerolstein.de/bi/si0040.asp?__cjahr=2026&__cmonat=10&__canz=1&__cselect=0"),
    ("trier-land_si0040-2026-10.html", "https://trier-land.example.invalid/si0040.asp?__cjahr=2026&__cmonat=10&__canz=1&__cselect=0"),
])
def test_restored_calendars_of_installs_with_several_clients(name: str, url: str) -> None:
    """Both months were captured empty: no meetings and no failure; the calendars to crawl ask for all clients."""
    page = _restored(name, url)
    parsed = sessionnet.parse(page, "vg")
    assert parsed.items == [] and parsed.fields_seen == {"calendarTable": True}
    assert sessionnet.start_urls(url, [(2026, 11)], first_page=page)[0].url.endswith("&__cmandant=2")


def test_restored_landstuhl_client_menu() -> None:
    path = restored_path("sessionnet/landstuhl_mandanten.html")
    page = _page(path, "https://landstuhl.example.invalid/bi/info.asp")
    assert sessionnet.start_urls("https://landstuhl.example.invalid/bi/", [(2026, 9)], first_page=page)[0].url.endswith(
        "&__cmandant=2")


def test_restored_koblenz_calendar_links_si0056() -> None:
    page = _restored("koblenz_si0040-2026-09.php.html", "https://rat.koblenz.de/bi/si0040.php?__cjahr=2026&__cmonat=9&__canz=1&__cselect=0")
    parsed = sessionnet.parse(page, "koblenz")
    meetings = {m.systemId: m for m in parsed.items if m.type == "Meeting"}
    assert (meetings["9693"].organizationName, meetings["9693"].dateRaw, meetings["9693"].timeRaw) == (
        "Stadtrat", "03.09.2026", "15:00-22:00 Uhr")
    assert meetings["10090"].room == "Stolzenfels, in den Sitzungssaal der ehem. Schule von Stolzenfels, Rhenser Straße 54, 56075 Koblenz"
    assert "https://rat.koblenz.de/bi/si0056.php?__ksinr=9693" in [link.url for link in parsed.follow]
