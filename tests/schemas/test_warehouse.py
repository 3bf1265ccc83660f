import duckdb

from schemas.items import ITEM_TYPES, Paper, item_from_dict
from schemas.warehouse import create_schema, table_columns


def test_every_item_type_has_a_table_with_its_fields_and_natural_key():
    con = duckdb.connect()
    create_schema(con)
    for item_type in ITEM_TYPES:
        cols = [r[0] for r in con.execute(f"DESCRIBE {item_type.table}").fetchall()]
        assert cols == list(table_columns(item_type))
        assert cols[:3] == ["source", "system", "systemId"]


def test_items_round_trip_through_json():
    import datetime as dt

    p = Paper(source="s", system="allris_classic", systemId="1", date=dt.date(2026, 1, 2), signatories=[{"order": 1}])
    assert item_from_dict(p.to_dict()) == p
    assert p.to_dict()["type"] == "Paper"


def test_every_table_and_column_is_documented_in_the_database():
    from schemas.warehouse import TABLE_DOCS

    con = duckdb.connect()
    create_schema(con)
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE comment IS NULL").fetchall()}
    assert tables == set()
    missing = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main' AND NOT internal "
        "AND table_name IN (SELECT unnest(?)) AND (comment IS NULL OR comment = '')",
        [list(TABLE_DOCS)],
    ).fetchall()
    assert missing == []
    assert con.execute("SELECT comment FROM duckdb_views() WHERE view_name = 'changes'").fetchone()[0]


def test_lists_are_typed_not_json():
    con = duckdb.connect()
    create_schema(con)
    types = dict(con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'paper'").fetchall())
    assert types["topics"] == "VARCHAR[]"
    assert types["signatories"].startswith("STRUCT(") and types["signatories"].endswith("[]")
    assert types["otherText"] == "MAP(VARCHAR, VARCHAR)"
    assert "JSON" not in {
        t for (t,) in con.execute("SELECT data_type FROM duckdb_columns() WHERE table_name IN "
                                  "('paper', 'person', 'meeting', 'agenda_item', 'file', 'consultation')").fetchall()
    }


def test_a_warehouse_with_json_lists_is_migrated_in_place(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("""CREATE TABLE paper ("source" VARCHAR, "system" VARCHAR, "systemId" VARCHAR, "topics" JSON,
                   "signatories" JSON, PRIMARY KEY ("source", "systemId"))""")
    con.execute("""INSERT INTO paper VALUES ('s', 'oparl', '1', '["integration"]',
                   '[{"order": 1, "name": "R. Lindemann", "role": "Bürgermeister", "representation": "i.V."}]')""")
    create_schema(con)
    topics, signatories = con.execute('SELECT "topics", "signatories" FROM paper').fetchone()
    assert topics == ["integration"]
    assert signatories == [{"order": 1, "name": "R. Lindemann", "role": "Bürgermeister", "representation": "i.V."}]
