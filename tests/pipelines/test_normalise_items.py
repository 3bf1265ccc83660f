"""The normalise step fills values from raw strings, with a municipality's own office table."""

from __future__ import annotations

import datetime as dt

from pipelines.normalise import items as normalise_items
from pipelines.normalise.items import normalise_item
from schemas.items import AgendaItem, Meeting, Paper


def test_paper_office_and_date_from_raw_strings():
    paper = normalise_item(Paper(source="x", system="allris_classic", systemId="1", leadOfficeRaw="A51", dateRaw="Mrz 2024"))
    assert (paper.leadOfficeKind, paper.leadOfficeCode, paper.leadOfficeName) == ("Amt", "51", "Jugendamt")
    assert (paper.date, paper.datePrecision) == (dt.date(2024, 3, 1), "month")


def test_a_municipality_overrides_office_names(tmp_path, monkeypatch):
    (tmp_path / "musterstadt.csv").write_text("code,name\n51,Amt für Kinder, Jugend und Familie\n".replace(
        "Amt für Kinder, Jugend und Familie", '"Amt für Kinder, Jugend und Familie"'))
    monkeypatch.setattr(normalise_items, "OFFICE_OVERRIDES", tmp_path)
    normalise_items.municipal_offices.cache_clear()
    try:
        own = normalise_item(Paper(source="musterstadt", system="s", systemId="1", leadOfficeRaw="Amt 51"))
        other = normalise_item(Paper(source="anderswo", system="s", systemId="1", leadOfficeRaw="Amt 51"))
    finally:
        normalise_items.municipal_offices.cache_clear()
    assert own.leadOfficeName == "Amt für Kinder, Jugend und Familie"
    assert other.leadOfficeName == "Jugendamt"


def test_meeting_times_and_agenda_votes():
    meeting = normalise_item(Meeting(source="x", system="s", systemId="1", dateRaw="Di., 01.09.2026", timeRaw="17:00 - 18:55 Uhr"))
    assert meeting.start.isoformat() == "2026-09-01T17:00:00+02:00"
    assert meeting.end.isoformat() == "2026-09-01T18:55:00+02:00"
    item = normalise_item(AgendaItem(source="x", system="s", systemId="1", resultRaw="ungeändert beschlossen",
                                     voteRaw="Ja: 22, Nein: 0, Enthaltungen: 11"))
    assert (item.result, item.votesYes, item.votesNo, item.votesAbstain, item.unanimous) == ("accepted", 22, 0, 11, True)
    undecided = normalise_item(AgendaItem(source="x", system="s", systemId="2", resultRaw="(offen)"))
    assert undecided.result is None


def test_votes_on_motions_are_kept_beside_the_main_resolution():
    item = normalise_item(AgendaItem(
        source="x", system="sessionnet", systemId="1",
        resultRaw="Der Änderungsantrag der SPD wurde mit 5 Ja und 10 Nein abgelehnt. "
                  "Der Beschlussvorschlag wurde einstimmig beschlossen.",
    ))
    assert (item.result, item.unanimous) == ("accepted", True)
    assert item.otherVotes == [{"result": "rejected", "unanimous": False, "yes": 5, "no": 10, "abstain": None,
                                "biased": None, "raw": "Der Änderungsantrag der SPD wurde mit 5 Ja und 10 Nein abgelehnt."}]


def test_municipal_office_tables_are_read_from_the_projects_data_offices():
    """``data/offices/<slug>.csv`` (its README is there) is where the crawl looks, whatever folder it runs in.

    Since the step moved to ``pipelines/crawl/`` it looked in ``pipelines/data/offices``, which does not
    exist: every municipality's own table was ignored and its papers got the KGSt names.
    """
    from tests.conftest import PROJECT_ROOT

    assert normalise_items.OFFICE_OVERRIDES == PROJECT_ROOT / "data" / "offices"
    assert (normalise_items.OFFICE_OVERRIDES / "README.md").is_file()
