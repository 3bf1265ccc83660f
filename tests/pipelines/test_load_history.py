"""History, vanished objects, conflicting duplicates and ``modified`` for HTML sources."""

from __future__ import annotations

import datetime as dt
import json

from flows.cli import main
from pipelines.warehouse.load import connect, load_crawl
from schemas.staging import JsonlWriter, StagingArea
from schemas.items import Meeting, Paper

CALENDAR = "http://x/si010.asp?MM=11&YY=2026"


def stage(tmp, crawl_id, items, started, status="finished", source="musterstadt") -> StagingArea:
    staging = StagingArea(tmp, crawl_id).create()
    staging.update_manifest(crawlId=crawl_id, source=source, startedAt=started, status=status, system="allris_classic")
    writer = JsonlWriter(staging.items_path)
    for item in items:
        writer.write(item.to_dict() if hasattr(item, "to_dict") else item)
    writer.close()
    return staging


def meeting(system_id, **kw) -> Meeting:
    return Meeting(source="musterstadt", system="allris_classic", systemId=system_id, url=CALENDAR, **kw)


def paper(**kw) -> Paper:
    base = dict(source="musterstadt", system="allris_classic", systemId="5001", url="http://x/vo020.asp?VOLFDNR=5001",
                reference="VO/2026/001", name="Integrationskonzept")
    return Paper(**{**base, **kw})


def history(con, table="meeting"):
    return con.execute(
        'SELECT "systemId", "kind", "crawlId" FROM history WHERE "table" = ? ORDER BY "seenAt", "systemId", "kind"', [table]
    ).fetchall()


def test_a_finished_crawl_marks_vanished_what_a_re_read_page_no_longer_shows(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    load_crawl(stage(tmp_path, "c1", [meeting("1", name="Rat"), meeting("2", name="HFA")], "2026-11-01T02:00:00+00:00"), con)
    report = load_crawl(stage(tmp_path, "c2", [meeting("1", name="Rat")], "2026-11-02T02:00:00+00:00"), con)
    assert report.vanished == 1
    rows = dict(con.execute('SELECT "systemId", "vanishedAt" FROM meeting').fetchall())
    assert rows["1"] is None and rows["2"].date() == dt.date(2026, 11, 2)
    assert ("2", "vanished", "c2") in history(con)
    # Seen again later: it reappears.
    load_crawl(stage(tmp_path, "c3", [meeting("1", name="Rat"), meeting("2", name="HFA")], "2026-11-03T02:00:00+00:00"), con)
    assert con.execute("""SELECT "vanishedAt" FROM meeting WHERE "systemId" = '2'""").fetchone()[0] is None
    assert ("2", "reappeared", "c3") in history(con)


def test_an_unfinished_crawl_marks_nothing_vanished(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    load_crawl(stage(tmp_path, "c1", [meeting("1"), meeting("2")], "2026-11-01T02:00:00+00:00"), con)
    report = load_crawl(stage(tmp_path, "c2", [meeting("1")], "2026-11-02T02:00:00+00:00", status="interrupted"), con)
    assert report.vanished == 0
    assert con.execute('SELECT count(*) FROM meeting WHERE "vanishedAt" IS NOT NULL').fetchone()[0] == 0


def test_a_page_that_was_not_read_again_is_no_evidence(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    other = "http://x/si010.asp?MM=12&YY=2026"
    load_crawl(stage(tmp_path, "c1", [meeting("1"), Meeting(source="musterstadt", system="allris_classic", systemId="9",
                                                             url=other)], "2026-11-01T02:00:00+00:00"), con)
    load_crawl(stage(tmp_path, "c2", [meeting("1")], "2026-11-02T02:00:00+00:00"), con)
    assert con.execute('SELECT count(*) FROM meeting WHERE "vanishedAt" IS NOT NULL').fetchone()[0] == 0


def test_two_pages_with_different_values_for_one_object_are_recorded_and_the_last_wins(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    first = meeting("7", name="Rat", room="Saal 1")
    second = Meeting(source="musterstadt", system="allris_classic", systemId="7", url="http://x/to010.asp?SILFDNR=7",
                     name="Rat der Stadt", room="Saal 1")
    report = load_crawl(stage(tmp_path, "c1", [first, second], "2026-11-01T02:00:00+00:00"), con)
    assert report.conflicts == 1
    field, values, winner, winner_url, rule = con.execute(
        'SELECT "field", "values", "winner", "winnerUrl", "rule" FROM load_conflict'
    ).fetchone()
    assert field == "name"
    assert [(v["url"], json.loads(v["value"])) for v in values] == [
        (CALENDAR, "Rat"), ("http://x/to010.asp?SILFDNR=7", "Rat der Stadt")
    ]
    assert (json.loads(winner), winner_url) == ("Rat der Stadt", "http://x/to010.asp?SILFDNR=7")
    assert "read last wins" in rule
    assert con.execute('SELECT "name", "room" FROM meeting').fetchone() == ("Rat der Stadt", "Saal 1")
    # Loading the crawl again records the conflict once, not twice.
    load_crawl(StagingArea(tmp_path, "c1"), con)
    assert con.execute("SELECT count(*) FROM load_conflict").fetchone()[0] == 1


def test_modified_is_first_seen_then_last_changed_for_html_sources(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    load_crawl(stage(tmp_path, "c1", [paper()], "2026-11-01T02:00:00+00:00"), con)
    load_crawl(stage(tmp_path, "c2", [paper()], "2026-11-02T02:00:00+00:00"), con)
    assert con.execute('SELECT "modified" FROM paper').fetchone()[0].date() == dt.date(2026, 11, 1)
    load_crawl(stage(tmp_path, "c3", [paper(status="erledigt")], "2026-11-03T02:00:00+00:00"), con)
    assert con.execute('SELECT "modified" FROM paper').fetchone()[0].date() == dt.date(2026, 11, 3)
    assert [k for _, k, _ in history(con, "paper")] == ["new", "changed"]


def test_a_tombstone_marks_deleted_and_keeps_the_values(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    load_crawl(stage(tmp_path, "c1", [paper(sachverhalt="Text")], "2026-11-01T02:00:00+00:00"), con)
    tomb = {"type": "Paper", "source": "musterstadt", "system": "allris_classic", "systemId": "5001",
            "url": "http://x/vo020.asp?VOLFDNR=5001", "deleted": True}
    load_crawl(stage(tmp_path, "c2", [tomb], "2026-11-02T02:00:00+00:00"), con)
    assert con.execute('SELECT "deleted", "name", "sachverhalt" FROM paper').fetchone() == (True, "Integrationskonzept", "Text")
    assert history(con, "paper")[-1][1:] == ("deleted", "c2")


def test_an_older_crawl_leaves_no_history(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    load_crawl(stage(tmp_path, "c2", [paper(status="neu")], "2026-11-02T02:00:00+00:00"), con)
    load_crawl(stage(tmp_path, "c1", [paper(status="alt")], "2026-11-01T02:00:00+00:00"), con)
    assert history(con, "paper") == [("5001", "new", "c2")]


def test_changes_command_lists_new_changed_and_cleared_fields(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    con = connect(db)
    load_crawl(stage(tmp_path, "c1", [paper(sachverhalt="Text")], "2026-11-01T02:00:00+00:00"), con)
    load_crawl(stage(tmp_path, "c2", [paper(status="erledigt")], "2026-11-05T02:00:00+00:00"), con)
    con.close()
    assert main(["changes", "--since", "2026-11-03", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    seen, table, source, system_id, kind, fields = lines[0].split("\t")
    assert (table, source, system_id, kind) == ("paper", "musterstadt", "5001", "changed")
    assert fields == "status, -sachverhalt"
    assert main(["changes", "--since", "2026-10-01", "--table", "paper", "--db", str(db)]) == 0
    assert [line.split("\t")[4] for line in capsys.readouterr().out.strip().splitlines()] == ["changed", "new"]
    assert main(["changes", "--since", "2026-10-01", "--table", "nope", "--db", str(db)]) == 2


def test_oparl_deletions_settled_by_the_sync_are_kept_in_history(tmp_path):
    def oparl_stage(crawl_id, ids, started):
        staging = StagingArea(tmp_path, crawl_id).create()
        walk = {"list": "paper", "complete": True, "full": True, "startedAt": started}
        staging.update_manifest(crawlId=crawl_id, source="ka", system="oparl", startedAt=started, status="finished",
                                oparl={"lists": {"http://o/papers": walk}})
        writer = JsonlWriter(staging.items_path)
        for i in ids:
            writer.write(Paper(source="ka", system="oparl", systemId=f"http://o/p/{i}", url=f"http://o/p/{i}",
                               name=f"P{i}").to_dict())
        writer.close()
        return staging

    con = connect(tmp_path / "w.duckdb")
    load_crawl(oparl_stage("c1", [1, 2, 3], "2026-11-01T02:00:00+00:00"), con)
    load_crawl(oparl_stage("c2", [1, 2], "2026-11-02T02:00:00+00:00"), con)
    assert con.execute("""SELECT "systemId" FROM paper WHERE "deleted" """).fetchall() == [("http://o/p/3",)]
    assert con.execute(
        """SELECT "systemId", "kind", "crawlId" FROM history WHERE "kind" = 'deleted'"""
    ).fetchall() == [("http://o/p/3", "deleted", "c2")]
    load_crawl(StagingArea(tmp_path, "c2"), con)  # again: no second entry
    assert con.execute("""SELECT count(*) FROM history WHERE "kind" = 'deleted'""").fetchone()[0] == 1
