"""Loading staged crawls into DuckDB: idempotent, merging, never losing what was known."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipelines.warehouse.load import connect, load_crawl, merge_items
from schemas.staging import JsonlWriter, StagingArea
from schemas.items import AgendaItem, Consultation, Meeting, Paper


def stage(tmp: Path, crawl_id: str, items, started: str, failures=()) -> StagingArea:
    staging = StagingArea(tmp, crawl_id).create()
    staging.update_manifest(crawlId=crawl_id, source="musterstadt", startedAt=started, status="finished")
    writer = JsonlWriter(staging.items_path)
    for item in items:
        writer.write(item.to_dict())
    writer.close()
    fw = JsonlWriter(staging.failures_path)
    for failure in failures:
        fw.write(failure)
    fw.close()
    return staging


def paper(**kw) -> Paper:
    base = dict(source="musterstadt", system="allris_classic", systemId="5001", url="http://x/vo020.asp?VOLFDNR=5001",
                reference="VO/2026/001", name="Integrationskonzept", paperType="Beschlussvorlage")
    base.update(kw)
    return Paper(**base)


def test_loading_the_same_crawl_twice_changes_nothing(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    staging = stage(tmp_path, "c1", [paper(), Consultation(source="musterstadt", system="allris_classic",
                                                           systemId="5001-1", paper="5001", role="Entscheidung")],
                    "2026-11-01T02:00:00+00:00")
    first = load_crawl(staging, con)
    before = con.execute("SELECT * FROM paper ORDER BY ALL").fetchall()
    second = load_crawl(staging, con)
    after = con.execute("SELECT * FROM paper ORDER BY ALL").fetchall()
    assert first.tables["paper"].inserted == 1
    assert (second.tables["paper"].inserted, second.tables["paper"].updated, second.tables["paper"].unchanged) == (0, 0, 1)
    assert before == after
    assert con.execute("SELECT count(*) FROM consultation").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM crawl").fetchone()[0] == 1


def test_a_later_crawl_updates_changed_rows_and_keeps_first_seen(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    load_crawl(stage(tmp_path, "c1", [paper()], "2026-11-01T02:00:00+00:00"), con)
    report = load_crawl(stage(tmp_path, "c2", [paper(status="erledigt")], "2026-11-02T02:00:00+00:00"), con)
    assert report.tables["paper"].updated == 1
    status, first, last = con.execute('SELECT "status", "firstSeen", "lastSeen" FROM paper').fetchone()
    assert status == "erledigt"
    assert first.date() == dt.date(2026, 11, 1) and last.date() == dt.date(2026, 11, 2)


def test_a_field_cleared_upstream_is_cleared_when_the_page_is_read_again(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    load_crawl(stage(tmp_path, "c1", [paper(sachverhalt="Der Rat möge …")], "2026-11-01T02:00:00+00:00"), con)
    load_crawl(stage(tmp_path, "c2", [paper(name="Integrationskonzept 2027")], "2026-11-02T02:00:00+00:00"), con)
    assert con.execute('SELECT "name", "sachverhalt" FROM paper').fetchone() == ("Integrationskonzept 2027", None)
    kind, fields = con.execute(
        """SELECT "kind", "fields" FROM history WHERE "crawlId" = 'c2' AND "table" = 'paper'"""
    ).fetchone()
    assert kind == "changed"
    assert {f["field"]: (f["before"], f["after"]) for f in fields} == {
        "name": ('"Integrationskonzept"', '"Integrationskonzept 2027"'),
        "sachverhalt": ('"Der Rat möge …"', None),
    }


def test_empty_fields_of_a_crawl_that_read_fewer_pages_do_not_erase_known_values(tmp_path):
    calendar = "http://x/si010.asp"
    own_page = "http://x/to010.asp?SILFDNR=7"
    full = [Meeting(source="musterstadt", system="allris_classic", systemId="7", url=calendar, name="Rat"),
            Meeting(source="musterstadt", system="allris_classic", systemId="7", url=own_page, room="Saal 1")]
    con = connect(tmp_path / "w.duckdb")
    load_crawl(stage(tmp_path, "c1", full, "2026-11-01T02:00:00+00:00"), con)
    # The meeting's own page failed this time: only the calendar row was read.
    load_crawl(stage(tmp_path, "c2", full[:1], "2026-11-02T02:00:00+00:00"), con)
    assert con.execute('SELECT "name", "room", "pageUrls" FROM meeting').fetchone() == ("Rat", "Saal 1", [calendar, own_page])


def test_an_older_crawl_never_overwrites_a_newer_one(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    load_crawl(stage(tmp_path, "c2", [paper(status="neu")], "2026-11-02T02:00:00+00:00"), con)
    load_crawl(stage(tmp_path, "c1", [paper(status="alt")], "2026-11-01T02:00:00+00:00"), con)
    assert con.execute('SELECT "status" FROM paper').fetchone()[0] == "neu"


def test_items_of_one_crawl_with_the_same_key_are_merged_field_by_field():
    a = AgendaItem(source="s", system="allris_classic", systemId="7", number="Ö 3", name="Integrationsrat")
    b = AgendaItem(source="s", system="allris_classic", systemId="7", resolutionText="Der Rat beschließt …")
    merged = merge_items([a.to_dict(), b.to_dict()])["agenda_item"][("s", "7")]
    assert (merged["number"], merged["name"], merged["resolutionText"]) == ("Ö 3", "Integrationsrat", "Der Rat beschließt …")


def test_parse_failures_and_pages_are_kept_and_replaced_on_reload(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    failure = {"url": "http://x/vo020.asp?VOLFDNR=9", "kind": "vo020", "error": "ParseError: no Betreff", "sha256": "ab" * 32}
    staging = stage(tmp_path, "c1", [Meeting(source="musterstadt", system="allris_classic", systemId="1")],
                    "2026-11-01T02:00:00+00:00", failures=[failure])
    load_crawl(staging, con)
    load_crawl(staging, con)
    rows = con.execute('SELECT "url", "error", "sha256" FROM parse_failure').fetchall()
    assert rows == [(failure["url"], failure["error"], failure["sha256"])]


def test_a_truncated_last_line_is_skipped_not_fatal(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    staging = stage(tmp_path, "c1", [paper()], "2026-11-01T02:00:00+00:00")
    with staging.items_path.open("a") as fh:
        fh.write('{"type": "Paper", "source": "musterstadt", "systemId": "50')  # crash mid-write
    report = load_crawl(staging, con)
    assert report.tables["paper"].staged == 1


def test_a_failing_load_rolls_back_completely(tmp_path, monkeypatch):
    con = connect(tmp_path / "w.duckdb")
    staging = stage(tmp_path, "c1", [paper()], "2026-11-01T02:00:00+00:00")

    def boom(con, crawl_id):
        raise RuntimeError("crash mid-load")

    monkeypatch.setattr("pipelines.warehouse.load.enrich_loaded_rows", boom)
    with pytest.raises(RuntimeError):
        load_crawl(staging, con)
    assert con.execute("SELECT count(*) FROM paper").fetchone()[0] == 0
    monkeypatch.undo()
    load_crawl(staging, con)
    assert con.execute("SELECT count(*) FROM paper").fetchone()[0] == 1


def test_derived_tables_are_rebuilt_for_the_loaded_source_only_and_whole_when_their_queries_change(tmp_path, monkeypatch):
    from schemas import views

    con = connect(tmp_path / "w.duckdb")
    other = StagingArea(tmp_path, "o1").create()
    other.update_manifest(crawlId="o1", source="nachbarort", startedAt="2026-11-01T01:00:00+00:00", status="finished")
    writer = JsonlWriter(other.items_path)
    writer.write(paper(source="nachbarort", name="Radweg").to_dict())
    writer.close()
    load_crawl(other, con)
    load_crawl(stage(tmp_path, "c1", [paper()], "2026-11-01T02:00:00+00:00"), con)
    titles = 'SELECT "source", "title" FROM paper_decision ORDER BY ALL'
    assert con.execute(titles).fetchall() == [("musterstadt", "Integrationskonzept"), ("nachbarort", "Radweg")]
    # A row of the other source the load does not touch stays as it is: the load rebuilt musterstadt's rows only.
    con.execute("""UPDATE paper_decision SET "title" = 'kept' WHERE "source" = 'nachbarort'""")
    load_crawl(stage(tmp_path, "c2", [paper(name="Integrationskonzept 2030")], "2026-11-02T02:00:00+00:00"), con)
    assert con.execute(titles).fetchall() == [("musterstadt", "Integrationskonzept 2030"), ("nachbarort", "kept")]
    # Other queries (a new release): the next load rebuilds the tables whole.
    monkeypatch.setitem(views.VIEWS, "paper_decision", views.VIEWS["paper_decision"] + " ")
    load_crawl(stage(tmp_path, "c3", [paper(name="Integrationskonzept 2030")], "2026-11-03T02:00:00+00:00"), con)
    assert con.execute(titles).fetchall() == [("musterstadt", "Integrationskonzept 2030"), ("nachbarort", "Radweg")]


def test_a_later_crawl_updates_changed_rows_in_place_one_row_per_key(tmp_path):
    """The item tables have no PRIMARY KEY: a changed object is updated, never stored a second time."""
    from schemas.warehouse import key_duplicates

    con = connect(tmp_path / "w.duckdb")
    load_crawl(stage(tmp_path, "c1", [paper(), paper(systemId="5002", url="http://x/vo020.asp?VOLFDNR=5002")],
                     "2026-11-01T02:00:00+00:00"), con)
    report = load_crawl(stage(tmp_path, "c2", [paper(status="erledigt"), paper(systemId="5003", url="http://x/3")],
                              "2026-11-02T02:00:00+00:00"), con)
    assert (report.tables["paper"].inserted, report.tables["paper"].updated) == (1, 1)
    rows = con.execute('SELECT "systemId", "status", "crawlId" FROM paper ORDER BY 1').fetchall()
    assert rows == [("5001", "erledigt", "c2"), ("5002", None, "c1"), ("5003", None, "c2")]
    assert key_duplicates(con, "paper") == 0


def test_a_load_that_would_store_a_key_twice_fails_and_loads_nothing(tmp_path):
    from pipelines.warehouse.load import LoadKeyError

    con = connect(tmp_path / "w.duckdb")
    load_crawl(stage(tmp_path, "c1", [paper()], "2026-11-01T02:00:00+00:00"), con)
    # A defect elsewhere (or a hand-made insert) left the key twice: the next load of that source says so.
    con.execute('INSERT INTO paper ("source", "system", "systemId") VALUES (\'musterstadt\', \'allris_classic\', \'5001\')')
    with pytest.raises(LoadKeyError, match="paper: a \\(source, systemId\\) key of musterstadt"):
        load_crawl(stage(tmp_path, "c2", [paper(systemId="5009", url="http://x/9")], "2026-11-02T02:00:00+00:00"), con)
    assert con.execute("SELECT count(*) FROM paper WHERE \"systemId\" = '5009'").fetchone()[0] == 0
    assert con.execute("SELECT list(\"crawlId\") FROM crawl").fetchone()[0] == ["c1"]


def test_a_warehouse_created_with_the_primary_key_loads_changed_rows(tmp_path):
    """Warehouses created before December 2026 keep PRIMARY KEY ("source", "systemId"): changed rows, lists
    among them, are updated there as well."""
    import duckdb

    from schemas.items import Paper as PaperItem
    from schemas.warehouse import table_columns, q

    path = tmp_path / "w.duckdb"
    raw = duckdb.connect(str(path))
    columns = ", ".join(f"{q(n)} {s}" for n, s in table_columns(PaperItem).items())
    raw.execute(f'CREATE TABLE paper ({columns}, PRIMARY KEY ("source", "systemId"))')
    raw.close()
    con = connect(path)
    load_crawl(stage(tmp_path, "c1", [paper(relatedPaper=["5000"]), paper(systemId="5002", url="http://x/2")],
                     "2026-11-01T02:00:00+00:00"), con)
    report = load_crawl(stage(tmp_path, "c2", [paper(relatedPaper=["5000", "4999"], name="Integrationskonzept 2027"),
                                               paper(systemId="5002", url="http://x/2")],
                              "2026-11-02T02:00:00+00:00"), con)
    assert (report.tables["paper"].updated, report.tables["paper"].unchanged) == (1, 1)
    assert con.execute('SELECT "name", "relatedPaper" FROM paper WHERE "systemId" = \'5001\'').fetchone() == (
        "Integrationskonzept 2027", ["5000", "4999"])
    assert con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'paper' "
                       "AND constraint_type = 'PRIMARY KEY'").fetchone()[0] == 1


def test_a_crawl_staged_with_fields_this_ratsinfo_does_not_know_is_refused_whole(tmp_path):
    """DuckDB's read_json passes over a key it is not given: a field of another version would vanish unnoticed."""
    from pipelines.warehouse.load import StagedFieldsError

    con = connect(tmp_path / "w.duckdb")
    staging = stage(tmp_path, "c1", [paper()], "2026-11-01T02:00:00+00:00")
    with staging.items_path.open("a", encoding="utf-8") as fh:
        fh.write('{"type": "Meeting", "source": "musterstadt", "systemId": "9", "name": "Rat", "mandant": "VG Nord"}\n')
    staging.update_manifest(itemFields="staged-by-another-version")
    with pytest.raises(StagedFieldsError, match=r"c1 holds item fields this ratsinfo does not know \(mandant\)"):
        load_crawl(staging, con)
    assert con.execute("SELECT count(*) FROM paper").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM crawl").fetchone()[0] == 0


def test_a_crawl_staged_by_another_version_with_known_fields_loads(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    staging = stage(tmp_path, "c1", [paper()], "2026-11-01T02:00:00+00:00")
    staging.update_manifest(itemFields="staged-by-another-version")
    assert load_crawl(staging, con).tables["paper"].inserted == 1


def test_a_crawl_read_by_the_keys_its_lines_hold_loads_as_one_read_by_every_field(tmp_path):
    """``stagedKeys`` narrows the load's read to the fields the lines hold: no value may change by it.

    Real parsed items of every dialect (the golden files), normalised as a crawl normalises them.
    """
    import json

    from pipelines.normalise.items import normalise_item
    from pipelines.warehouse.load import STAGED_COLUMNS, staged_columns
    from schemas.items import ITEM_TYPES, item_from_dict

    golden = Path(__file__).resolve().parent.parent / "spiders" / "golden"
    lines = [normalise_item(item_from_dict(item)).to_staged()
             for path in sorted(golden.glob("*/*.json")) for item in json.loads(path.read_text())["items"]]
    assert {line["type"] for line in lines} == {t.__name__ for t in ITEM_TYPES}
    stored = {}
    for name in ("every field", "staged keys"):
        staging = StagingArea(tmp_path / name, "c1").create()
        writer = JsonlWriter(staging.items_path)
        writer.write_many(lines)
        writer.close()
        staging.update_manifest(crawlId="c1", startedAt="2026-11-01T02:00:00+00:00", status="finished")
        if name == "staged keys":
            staging.record_staged_keys(writer.staged_keys())
        con = connect(tmp_path / name / "w.duckdb")
        report = load_crawl(staging, con)
        stored[name] = (report.tables, {t.table: con.execute(f'SELECT * FROM {t.table} ORDER BY "source", "systemId"').fetchall()
                                        for t in ITEM_TYPES})
        con.close()
    assert 3 < len(staged_columns(staging.staged_keys())) < len(STAGED_COLUMNS)  # the narrower read ran
    assert stored["staged keys"] == stored["every field"]
    assert sum(len(rows) for rows in stored["every field"][1].values()) > 1000


def test_a_crawl_whose_staged_keys_name_an_unknown_field_is_refused_without_reading_it(tmp_path):
    from pipelines.warehouse.load import StagedFieldsError

    con = connect(tmp_path / "w.duckdb")
    staging = stage(tmp_path, "c1", [paper()], "2026-11-01T02:00:00+00:00")
    staging.record_staged_keys(["mandant", "name", "source", "systemId", "type"])
    with pytest.raises(StagedFieldsError, match=r"c1 holds item fields this ratsinfo does not know \(mandant\)"):
        load_crawl(staging, con)
    assert con.execute("SELECT count(*) FROM paper").fetchone()[0] == 0


def test_keys_read_once_and_twice_in_one_crawl_each_load_whole(tmp_path):
    """A table whose keys were all read once skips the aggregation; one with a key read twice merges only that key."""
    con = connect(tmp_path / "w.duckdb")
    calendar, own = "http://x/si010.asp", "http://x/to010.asp?SILFDNR=7"
    items = [Meeting(source="musterstadt", system="allris_classic", systemId="7", url=calendar, name="Rat"),
             Meeting(source="musterstadt", system="allris_classic", systemId="8", url=calendar, name="Integrationsrat"),
             Meeting(source="musterstadt", system="allris_classic", systemId="7", url=own, room="Saal 1"),
             paper()]
    report = load_crawl(stage(tmp_path, "c1", items, "2026-11-01T02:00:00+00:00"), con)
    assert report.tables["meeting"].inserted == 2 and report.tables["paper"].inserted == 1
    assert con.execute('SELECT "systemId", "name", "room", "pageUrls" FROM meeting ORDER BY 1').fetchall() == [
        ("7", "Rat", "Saal 1", [calendar, own]), ("8", "Integrationsrat", None, [calendar])]
    assert con.execute('SELECT "name", "pageUrls" FROM paper').fetchone() == (
        "Integrationskonzept", ["http://x/vo020.asp?VOLFDNR=5001"])
    assert load_crawl(StagingArea(tmp_path, "c1"), con).tables["meeting"].unchanged == 2


def test_lines_appended_after_the_keys_were_listed_are_read_by_every_field(tmp_path):
    """A writer that did not list its keys (another version resuming the crawl, a tool) makes the list stale."""
    con = connect(tmp_path / "w.duckdb")
    staging = stage(tmp_path, "c1", [paper()], "2026-11-01T02:00:00+00:00")
    staging.record_staged_keys(["name", "paperType", "reference", "source", "system", "systemId", "type", "url"])
    assert staging.staged_keys() is not None
    with staging.items_path.open("a", encoding="utf-8") as fh:
        fh.write('{"type": "Meeting", "source": "musterstadt", "systemId": "9", "name": "Rat", "room": "Saal 1"}\n')
    assert staging.staged_keys() is None
    load_crawl(staging, con)
    assert con.execute('SELECT "name", "room" FROM meeting').fetchone() == ("Rat", "Saal 1")
