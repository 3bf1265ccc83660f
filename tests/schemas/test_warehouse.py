import duckdb

from schemas.items import ITEM_TYPES, Paper, item_from_dict
from schemas.warehouse import create_schema, table_columns


def test_every_item_type_has_a_table_with_its_fields_and_natural_key():
    con = duckdb.connect()
    create_schema(con)
    for item_type in ITEM_TYPES:
        cols = [r[0] for r in con.execute(f"DESCRIBE {item_type.table}").fetchall()]
        assert cols == list(table_columns(item_type))
        pk = con.execute(
            "SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'",
            [item_type.table],
        ).fetchone()[0]
        assert pk == ["source", "systemId"]


def test_items_round_trip_through_json():
    import datetime as dt

    p = Paper(source="s", system="allris_classic", systemId="1", date=dt.date(2026, 1, 2), signatories=[{"order": 1}])
    assert item_from_dict(p.to_dict()) == p
    assert p.to_dict()["type"] == "Paper"
