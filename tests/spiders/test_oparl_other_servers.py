"""OParl answers of servers outside the corpus: more! rubin's OParl 1.0 server (anonymised by its fixture author).

The real answers come from mandari's test fixtures (AGPL, not a licence the
pages here may carry): restored by ``python -m tests.spiders.pages.restore``,
never committed, skipped while missing. What broke the mapping also has a
hand-written variant in the real structure under ``pages/oparl/variants/``
that runs in CI.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas.items import Consultation, File, Meeting, Organization, Paper
from spiders.dialects import detect, oparl
from spiders.dialects.base import Page
from tests.spiders.pages.restore import restored_path

PAGES = Path(__file__).parent / "pages"
VARIANTS = PAGES / "oparl" / "variants"


def _page(path: Path, url: str) -> Page:
    return Page.from_bytes(url, path.read_bytes(), "application/json")


def _restored(name: str, url: str) -> Page:
    path = restored_path("oparl/" + name)
    page = _page(path, url)
    assert detect(page)[0].NAME == "oparl"
    return page


def _of(items, cls) -> list:
    return [i for i in items if isinstance(i, cls)]


def test_a_meeting_end_at_or_before_its_start_is_no_end() -> None:
    """more! rubin and SessionNet (Karlsruhe) write midnight of the meeting day as the end of a meeting whose end was not recorded."""
    page = _page(VARIANTS / "meeting-list_end-at-midnight-before-start.json",
                 "https://ris.example.test/oparl/body/BS/meeting/page/1")
    meetings = _of(oparl.parse(page, "beispielstadt", {"list": "meeting"}).items, Meeting)
    assert [(m.systemId.rsplit("/", 1)[1], m.start.isoformat(), m.end and m.end.isoformat()) for m in meetings] == [
        ("2026-HA-7", "2026-12-17T17:30:00+01:00", None),
        ("2026-RAT-9", "2026-11-05T18:00:00+01:00", None),
        ("2026-BA-3", "2026-10-08T17:00:00+02:00", "2026-10-08T19:15:00+02:00"),
    ]
    assert (meetings[0].room, meetings[0].locality) == ("Ratssaal", "Marktplatz 1, 55999 Beispielstadt")


def test_restored_rubin_meeting_list() -> None:
    page = _restored("rubin-musterstadt_meeting-page1.json", "https://mandant-a.gremien.example/oparl/body/KH/meeting/page/1")
    parsed = oparl.parse(page, "musterstadt", {"list": "meeting"})
    meetings = _of(parsed.items, Meeting)
    assert [(m.name, m.start.isoformat(), m.end, m.room, m.meetingState) for m in meetings] == [
        ("Sitzung der Gesellschafterversammlung der Stadtwerke", "2026-12-17T17:30:00+01:00", None, "Stadtwerke Musterstadt", "terminiert"),
        ("Sitzung des Aufsichtsrates der Stadtwerke / KNM", "2026-12-17T17:00:00+01:00", None, "Stadtwerke Musterstadt", "terminiert"),
    ]
    assert meetings[0].organization == "https://mandant-a.gremien.example/oparl/organization/GVSWK"
    assert "https://mandant-a.gremien.example/oparl/body/KH/meeting/page/2" in [link.url for link in parsed.follow]


def test_restored_rubin_paper_list_with_files_and_consultations() -> None:
    page = _restored("rubin-musterstadt_paper-page1.json", "https://mandant-a.gremien.example/oparl/body/KH/paper/page/1")
    items = oparl.parse(page, "musterstadt", {"list": "paper"}).items
    papers = _of(items, Paper)
    assert [(p.reference, p.paperType, p.underDirectionOf) for p in papers] == [
        ("18/403", "Beschlussvorlage", ["https://mandant-a.gremien.example/oparl/person/100"]),
        ("18/394", "Beschlussvorlage", ["https://mandant-a.gremien.example/oparl/person/101"]),
        ("18/401", "Anträge und Anfragen", ["https://mandant-a.gremien.example/oparl/person/102"]),
    ]
    files = _of(items, File)
    assert [(f.role, f.parent.rsplit("/", 1)[1], f.fileName) for f in files] == [
        ("mainFile", "00810100289", "00810100289"), ("mainFile", "00811100331", "00811100331"),
        ("mainFile", "01311100340", "01311100340"), ("auxiliaryFile", "01311100340", "20181113074811.pdf")]
    consultations = _of(items, Consultation)
    assert [(c.role, c.authoritative, c.agendaItem.rsplit("/", 1)[1]) for c in consultations] == [
        ("vorberatend", False, "2018-PLUV-8%7C00810100289%7C1"),
        ("vorberatend", False, "2018-PLUV-8%7C00811100331%7C1"),
        ("beschließend", False, "2018-PLUV-8%7C01311100340%7C1"),
    ]


def test_restored_rubin_organization_list_without_timestamps() -> None:
    page = _restored("rubin-musterstadt_organization-page1.json",
                     "https://mandant-a.gremien.example/oparl/body/KH/organization/page/1")
    orgs = _of(oparl.parse(page, "musterstadt", {"list": "organization"}).items, Organization)
    assert [(o.shortName, o.organizationType, o.modified) for o in orgs] == [("WBKSE", "Gremium", None), ("KRN", "Gremium", None)]


# ---------------------------------------------------------------- System and Body answers of 24 SD.NET RIM towns (MIT, in CI)

_STERNBERG_TOWNS = sorted({p.name.split("-sternberg-")[0] for p in (PAGES / "oparl").glob("*-sternberg-oparl10-system.json")})


def _saved(name: str) -> tuple[Page, dict]:
    import json

    raw = (PAGES / "oparl" / name).read_bytes()
    data = json.loads(raw)
    return _page(PAGES / "oparl" / name, data["id"]), data


def test_the_sternberg_towns_of_meine_stadt_transparent_are_all_here() -> None:
    assert len(_STERNBERG_TOWNS) == 24
    for town in _STERNBERG_TOWNS:
        assert (PAGES / "oparl" / f"{town}-sternberg-oparl10-body.json").is_file(), town


@pytest.mark.parametrize("town", _STERNBERG_TOWNS)
def test_sternberg_system_and_body_of_a_town_outside_the_corpus(town: str) -> None:
    """KDVZ Frechen's installs and others: AGS without its leading zero, [lat, lon] points, a postcode ending in NBSP."""
    system_page, system = _saved(f"{town}-sternberg-oparl10-system.json")
    assert detect(system_page)[0].NAME == "oparl"
    parsed = oparl.parse(system_page, town)
    assert [(link.url, link.meta.get("list"), link.meta.get("vendor")) for link in parsed.follow] == [
        (system["body"], "body", "sternberg")]

    body_page, body = _saved(f"{town}-sternberg-oparl10-body.json")
    parsed = oparl.parse(body_page, town, {"list": "body", "vendor": "sternberg"})
    assert parsed.items == []
    assert sorted((link.meta["list"], link.url) for link in parsed.follow) == sorted(
        (name, body[name]) for name in ("organization", "person", "meeting", "paper"))
    assert {link.meta["body"] for link in parsed.follow} == {body["id"]}

    summary = oparl.body_summary(body)
    assert summary["name"] == body["name"]
    if body.get("ags"):
        assert summary["ags"] is not None and len(summary["ags"]) == 8 and summary["ags"].lstrip("0") == body["ags"].lstrip("0")
    if summary["lon"] is not None:
        assert 5.8 < summary["lon"] < 15.1 and 47.2 < summary["lat"] < 55.1, (summary["lon"], summary["lat"])
    assert summary["postalCode"] is None or summary["postalCode"].isdigit()


# ---------------------------------------------------------------- answers without a type (Sternberg)


@pytest.mark.parametrize("name, url, kind", [
    # An empty list answered as a bare array, not as a list object (meine-stadt-transparent's SternbergLoader works around it).
    ("meeting-list_empty-array.json",
     "https://ris.example.test/webservice/oparl/v1.0/body/1/meeting?modified_since=2019-05-09T20%3A51%3A54%2B00%3A00",
     "meeting_list"),
    # A tombstone without "type".
    ("file_tombstone-without-type.json", "https://ris.example.test/webservice/oparl/v1.0/body/1/file/2-19309", "file"),
])
def test_an_answer_without_a_type_at_an_oparl_address_is_oparl(name: str, url: str, kind: str) -> None:
    """Without the address, "[]" at ``…/body/1/meeting`` was taken for a more! rubin meeting answer, the tombstone for nothing."""
    page = _page(VARIANTS / name, url)
    module, evidence = detect(page)
    assert module.NAME == "oparl", evidence
    assert oparl.page_kind(page) == kind


def test_the_empty_list_gives_nothing_and_the_tombstone_a_deleted_file() -> None:
    empty = _page(VARIANTS / "meeting-list_empty-array.json", "https://ris.example.test/webservice/oparl/v1.0/body/1/meeting")
    assert oparl.parse(empty, "beispiel", {"list": "meeting"}).items == []
    tomb = _page(VARIANTS / "file_tombstone-without-type.json", "https://ris.example.test/webservice/oparl/v1.0/body/1/file/2-19309")
    (item,) = oparl.parse(tomb, "beispiel").items
    assert (item.type, item.deleted, item.systemId) == ("File", True, "https://ris.example.test/webservice/oparl/v1.0/body/1/file/2-19309")


def test_json_elsewhere_is_not_taken_for_oparl_by_its_address() -> None:
    """more! rubin's interface answers "[]" too, at ``api.php``: no OParl address, not OParl."""
    page = Page.from_bytes("https://ris.example.test/api.php?id=meetings&meeting_id=7", b"[]", "application/json")
    assert oparl.detect(page) is None
