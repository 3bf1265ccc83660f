"""The DuckDB schema: one table per item type, plus the crawl bookkeeping.

Item tables are derived from ``schemas.items`` so the two can never drift:
every dataclass field becomes a column (quoted, camelCase as in OParl), and
each table gets the bookkeeping columns below. ``(source, systemId)`` is the
primary key everywhere, which makes loading idempotent.

Bookkeeping columns on every item table:

* ``crawlId``      the crawl that last changed the row
* ``contentHash``  hash of the row's content as staged (change detection)
* ``firstSeen``    when the object was first crawled
* ``lastSeen``     when it was last crawled (changes even when content doesn't)
"""

from __future__ import annotations

import dataclasses
from typing import Iterable

from schemas.items import ITEM_TYPES, Item

BOOKKEEPING_COLUMNS: dict[str, str] = {
    "crawlId": "VARCHAR",
    "contentHash": "VARCHAR",
    "firstSeen": "TIMESTAMPTZ",
    "lastSeen": "TIMESTAMPTZ",
}

_TYPE_MAP = (
    ("dt.datetime", "TIMESTAMPTZ"),
    ("dt.date", "DATE"),
    ("bool", "BOOLEAN"),
    ("int", "BIGINT"),
    ("JSON", "JSON"),
    ("str", "VARCHAR"),
)


def sql_type(annotation: object) -> str:
    """Return the DuckDB type for a dataclass field annotation."""
    text = str(annotation)
    for prefix, sql in _TYPE_MAP:
        if text.startswith(prefix):
            return sql
    raise TypeError(f"no DuckDB type for annotation {text!r}")


def item_columns(item_type: type[Item]) -> dict[str, str]:
    """Return ``{column: DuckDB type}`` for an item type, in field order."""
    return {f.name: sql_type(f.type) for f in dataclasses.fields(item_type)}


def table_columns(item_type: type[Item]) -> dict[str, str]:
    """Return all columns of an item table: the item's fields, then bookkeeping."""
    return {**item_columns(item_type), **BOOKKEEPING_COLUMNS}


def q(identifier: str) -> str:
    """Return a quoted SQL identifier (``order`` is a keyword; camelCase is kept)."""
    return '"' + identifier.replace('"', '""') + '"'


def item_table_ddl(item_type: type[Item]) -> str:
    cols = ",\n    ".join(f"{q(name)} {sql}" for name, sql in table_columns(item_type).items())
    return (
        f"CREATE TABLE IF NOT EXISTS {item_type.table} (\n    {cols},\n"
        f'    PRIMARY KEY ("source", "systemId")\n);'
    )


META_DDL = """
CREATE TABLE IF NOT EXISTS source (
    "source" VARCHAR PRIMARY KEY,
    "name" VARCHAR,
    "ags" VARCHAR,
    "system" VARCHAR,
    "baseUrl" VARCHAR
);
CREATE TABLE IF NOT EXISTS crawl (
    "crawlId" VARCHAR PRIMARY KEY,
    "source" VARCHAR,
    "system" VARCHAR,
    "baseUrl" VARCHAR,
    "startedAt" TIMESTAMPTZ,
    "finishedAt" TIMESTAMPTZ,
    "status" VARCHAR,
    "itemCounts" JSON,
    "requests" BIGINT,
    "failures" BIGINT,
    "loadedAt" TIMESTAMPTZ,
    "loadCounts" JSON,
    "degraded" JSON
);
-- Every fetched page of every loaded crawl; the body is in data/raw/<sha256[:2]>/<sha256>.gz
CREATE TABLE IF NOT EXISTS page (
    "crawlId" VARCHAR,
    "url" VARCHAR,
    "fetchedAt" TIMESTAMPTZ,
    "status" INTEGER,
    "contentType" VARCHAR,
    "kind" VARCHAR,
    "sha256" VARCHAR,
    "bytes" BIGINT
);
-- Pages that were fetched but could not be parsed (or were refused); kept in the raw store
CREATE TABLE IF NOT EXISTS parse_failure (
    "crawlId" VARCHAR,
    "source" VARCHAR,
    "url" VARCHAR,
    "kind" VARCHAR,
    "status" INTEGER,
    "error" VARCHAR,
    "sha256" VARCHAR,
    "at" TIMESTAMPTZ
);
-- Share of pages of a kind on which each expected field was found, per crawl
CREATE TABLE IF NOT EXISTS parse_rate (
    "crawlId" VARCHAR,
    "source" VARCHAR,
    "pageKind" VARCHAR,
    "field" VARCHAR,
    "found" BIGINT,
    "total" BIGINT,
    "rate" DOUBLE,
    PRIMARY KEY ("crawlId", "pageKind", "field")
);
-- OParl incremental sync: one row per external list of a source (pipelines.sync_state)
CREATE TABLE IF NOT EXISTS oparl_list_state (
    "source" VARCHAR,
    "listUrl" VARCHAR,              -- the list URL as the Body names it (no filter)
    "list" VARCHAR,                 -- paper, meeting, organization, person, membership …
    "body" VARCHAR,
    "lastWalkStartedAt" TIMESTAMPTZ,     -- start of the last walk that reached the list's end
    "lastFullWalkStartedAt" TIMESTAMPTZ, -- … of the last such walk without filter (or with one ignored)
    "lastModifiedSince" VARCHAR,    -- the modified_since the last walk sent (NULL: it asked for all)
    "lastComplete" BOOLEAN,
    "lastStopped" VARCHAR,          -- why the last walk stopped before the end, if it did
    "filterIgnored" BOOLEAN,        -- the server answered the filtered request with older objects
    "pages" BIGINT,
    "objects" BIGINT,
    "deleted" BIGINT,
    "crawlId" VARCHAR,
    "updatedAt" TIMESTAMPTZ,
    PRIMARY KEY ("source", "listUrl")
);
"""

ITEM_TABLES: dict[str, type[Item]] = {t.table: t for t in ITEM_TYPES}


def all_ddl(item_types: Iterable[type[Item]] = ITEM_TYPES) -> str:
    """Return the whole schema as one SQL script."""
    return "\n\n".join([*(item_table_ddl(t) for t in item_types), META_DDL])


def create_schema(con) -> None:
    """Create every table that does not exist yet, and add columns new item fields need."""
    con.execute(all_ddl())
    for item_type in ITEM_TYPES:
        existing = {
            row[0]
            for row in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [item_type.table]
            ).fetchall()
        }
        for name, sql in table_columns(item_type).items():
            if name not in existing:
                con.execute(f"ALTER TABLE {item_type.table} ADD COLUMN {q(name)} {sql}")


if __name__ == "__main__":  # print the DDL: python -m schemas.warehouse
    print(all_ddl())
