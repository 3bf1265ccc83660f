"""Load one staged crawl into the DuckDB warehouse, in a single transaction, merging in SQL.

The staged ``items.jsonl`` is read by DuckDB, once (``read_json`` with the
warehouse's column types), never into Python objects, so memory stays flat in
the crawl's size (DuckDB spills to disk past ``RATSINFO_LOAD_MEMORY``). Each
item table's rows are merged in a view: rows the table lacks are inserted from
it directly, only the others are compared with their stored version; only what
the load changed is enriched again, and the derived tables are rebuilt for the
sources it touched. ``tests/benchmarks/bench_load.py`` measures it.

The rules, all in SQL:

* **Within one crawl** items that share a natural key ``(source, systemId)``
  are merged field by field: a meeting seen in the calendar and on its own
  page, an agenda item seen on the agenda and on its excerpt page. The
  non-empty value read last wins (items are staged in the order their pages
  were read); where two items disagree on a non-empty value, both values and
  their URLs go to ``load_conflict`` with the winner (never a silent last-win).
* **Against the warehouse** a crawl that re-read every page the stored row
  was read from (``pageUrls``) replaces the row's values: a field cleared
  upstream is cleared. A crawl that saw the object on fewer pages (its own
  page failed, only the calendar listed it) fills in what it read and keeps
  the rest; an OParl tombstone only sets ``deleted``. Columns the load derives
  (``schemas.warehouse.DERIVED_COLUMNS``, and the names OParl gives only as
  references, filled by ``pipelines.warehouse.sync_state``) are never cleared by a crawl.
* Every change goes to ``history`` with the fields' values before and after
  (``pipelines.warehouse.history``); loading the same crawl twice changes nothing; an
  older crawl never overwrites what a newer one loaded.
* A finished crawl that re-read a page that showed an object, and did not
  meet the object anywhere, marks it vanished (``vanishedAt``); an
  unfinished crawl marks nothing. OParl deletions are settled by
  ``pipelines.warehouse.sync_state``.
* ``modified`` is the source's own date where it has one; for HTML sources
  it is when ratsinfo first saw the object or saw it change.
* Pages, parse failures and broken staged lines of the crawl replace any
  earlier load of the same crawl, so re-loading after a crash mid-load is safe.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import duckdb

from schemas.items import ITEM_FIELDS, ITEM_TYPES, ITEM_TYPES_BY_NAME, Item
from schemas.warehouse import (
    DERIVED_COLUMNS,
    content_columns,
    content_hash_sql,
    item_columns,
    key_duplicates,
    q,
    stored_fingerprint,
    table_columns,
)
from schemas.env import EnvSettingError, env_number
from schemas.views import create_views
from pipelines.warehouse.db import DEFAULT_DB, connect_writable, open_reader, open_writer, publish  # noqa: F401 (re-exported)
from pipelines.warehouse.enrich import enrich_loaded_rows
from pipelines.warehouse.history import record_changes, record_sync_deletions
from schemas.staging import StagingArea, utcnow
from pipelines.warehouse.sync_state import _FILLS, apply_oparl_crawl

logger = logging.getLogger(__name__)

# Largest staged line DuckDB reads; a longer one is recorded as broken.
MAX_LINE_BYTES = 16 * 1024 * 1024
CONFLICT_RULE = "the non-empty value read last wins (items are staged in the order their pages were read)"
# Columns pipelines.warehouse.sync_state fills for OParl rows from other tables: a re-read object does not clear them.
OPARL_FILLED: dict[str, set[str]] = {}
for _table, _column, *_ in _FILLS:
    OPARL_FILLED.setdefault(_table, set()).add(_column)
OPARL_FILLED.setdefault("paper", set()).update({"leadOfficeKind", "leadOfficeCode", "leadOfficeName"})
# Columns pipelines.warehouse.enrich fills for every system where the page gave nothing (the parent of "Ö 2.1").
LOAD_FILLED: dict[str, set[str]] = {"agenda_item": {"parent"}}
# Columns the documents stage (pipelines.warehouse.document_stage) fills from the downloaded document: a crawl
# that reads the file's page again does not carry them, so its empty values keep the stored ones (a changed
# accessUrl makes the document pending again: textUrl names the address the text came from).
DOCUMENTS_FILLED: dict[str, set[str]] = {
    "file": {"text", "textStatus", "sha256", "size", "mimeType", "textUrl", "textAttempts"},
}
# Tables whose changed rows pipelines.warehouse.enrich derives from (temp table load_changed).
ENRICH_INPUTS = ("paper", "file", "consultation")


@dataclass
class TableCounts:
    staged: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LoadReport:
    crawl_id: str
    source: str | None
    tables: dict[str, TableCounts] = field(default_factory=dict)
    failures: int = 0
    pages: int = 0
    brokenLines: int = 0
    conflicts: int = 0
    vanished: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "crawlId": self.crawl_id,
            "source": self.source,
            "pages": self.pages,
            "failures": self.failures,
            "brokenLines": self.brokenLines,
            "conflicts": self.conflicts,
            "vanished": self.vanished,
            "tables": {k: vars(v) for k, v in self.tables.items()},
        }


def connect(db_path: Path = DEFAULT_DB) -> duckdb.DuckDBPyConnection:
    """Open this file read-write (waiting for its lock), creating it and its schema if needed."""
    return connect_writable(db_path)


# --------------------------------------------------------------------------
# Reading and merging the staged items


def _is_typed(sql: str) -> bool:
    return "[" in sql or "(" in sql


def _non_empty(column: str, sql: str) -> str:
    """Return a SQL condition: the column holds a value (not NULL, '', [] or {})."""
    c = q(column)
    if sql == "VARCHAR":
        return f"({c} IS NOT NULL AND {c} <> '')"
    if sql.endswith("[]"):
        return f"({c} IS NOT NULL AND len({c}) > 0)"
    if sql.startswith("MAP"):
        return f"({c} IS NOT NULL AND cardinality({c}) > 0)"
    if sql == "JSON":
        return f"({c} IS NOT NULL AND CAST({c} AS VARCHAR) NOT IN ('\"\"', '[]', '{{}}', 'null'))"
    return f"({c} IS NOT NULL)"


def _staged_columns() -> dict[str, str]:
    """Return ``{column: DuckDB type}`` of every item type's fields together, ``type`` first.

    A field two item types type differently (``status``: text for papers, a list for persons) is read as
    JSON and converted per item type (``_raw_column``).
    """
    columns: dict[str, str] = {"type": "VARCHAR"}
    for item_type in ITEM_TYPES:
        for name, sql in item_columns(item_type).items():
            columns[name] = sql if columns.get(name, sql) == sql else "JSON"
    return columns


STAGED_COLUMNS = _staged_columns()


def staged_columns(keys: list[str] | None) -> dict[str, str]:
    """Return the columns of ``staged`` for a crawl whose lines hold ``keys``: those fields (every field if None).

    A field no line holds would be NULL in every row; leaving it out saves the JSON reader and the temp
    table most of their work (the Karlsruhe crawl's lines hold 46 of the 98 fields). ``read_json`` passes
    over a key it is not given without a word, so only the list of a writer that saw every line will do
    (``StagingArea.staged_keys``, kept by ``schemas.staging.JsonlWriter``), never a sample.
    """
    if keys is None:
        return STAGED_COLUMNS
    return {n: s for n, s in STAGED_COLUMNS.items() if n in keys or n in ("type", "source", "systemId")}


def _raw_column(name: str, sql: str, columns: dict[str, str]) -> str:
    """Return the SQL that reads one field of an item type, typed, from the temp table ``staged``."""
    if name not in columns:  # no staged line holds it
        return f"CAST(NULL AS {sql}) AS {q(name)}"
    if STAGED_COLUMNS[name] == sql:
        return q(name)
    if sql == "VARCHAR":
        return f"({q(name)} ->> '$') AS {q(name)}"
    return f"CAST({q(name)} AS {sql}) AS {q(name)}"


def stage_items(con, items_path: Path, columns: dict[str, str] = STAGED_COLUMNS) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """Read a staged items.jsonl into the temp table ``staged``, with one view ``raw_<table>`` per item table.

    The file is read once, by ``read_json`` with the warehouse's column types, in file order (``rowid``);
    ``columns`` are the fields read (``staged_columns``), the others are NULL in the views.
    Only when that fails (a broken line: a write cut short by a crash) or a line names an unknown item type
    is it read again line by line, to load the good lines and name the others. Must run outside a
    transaction (a failed statement would abort it). Returns the staged row count per table and the
    broken lines as ``(line number, reason)``.
    """
    broken: list[tuple[int, str]] = []
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE staged ({', '.join(f'{q(n)} {s}' for n, s in columns.items())})"
    )
    known = [t.__name__ for t in ITEM_TYPES]
    if items_path.exists() and items_path.stat().st_size:
        try:
            con.execute(
                f"""INSERT INTO staged SELECT * FROM read_json(?, format='newline_delimited', columns=?,
                                                             maximum_object_size={MAX_LINE_BYTES})""",
                [str(items_path), columns],
            )
            unknown = con.execute(
                "SELECT count(*) FROM staged WHERE type IS NULL OR NOT list_contains(?, type)", [known]
            ).fetchone()[0]
        except duckdb.Error:  # a broken line, a value of the wrong type: the line-by-line read names it or fails
            unknown = -1
        if unknown:
            broken = _stage_line_by_line(con, items_path, known, columns)
    counts: dict[str, int] = {}
    for item_type in ITEM_TYPES:
        select = ", ".join(_raw_column(n, s, columns) for n, s in item_columns(item_type).items())
        con.execute(
            f"""CREATE OR REPLACE TEMP VIEW raw_{item_type.table} AS
                SELECT rowid AS rn, {select} FROM staged
                WHERE type = '{item_type.__name__}' AND "source" IS NOT NULL AND "systemId" IS NOT NULL"""
        )
    for table, n in con.execute("SELECT type, count(*) FROM staged WHERE \"source\" IS NOT NULL AND \"systemId\" IS NOT NULL GROUP BY ALL").fetchall():
        if table in ITEM_TYPES_BY_NAME:
            counts[ITEM_TYPES_BY_NAME[table].table] = n
    return {t.table: counts.get(t.table, 0) for t in ITEM_TYPES}, broken


class StagedFieldsError(RuntimeError):
    """A staged crawl holds fields the item types of this code do not have (see ``unknown_staged_fields``)."""


def unknown_staged_fields(con, items_path: Path) -> list[str]:
    """Return the keys of a staged items.jsonl that no item type has, sorted.

    ``read_json`` with ``columns`` passes over a key it is not given without a word, so a crawl staged by a
    ratsinfo whose items have a field this one lacks would lose that field in the load. Run only when the
    crawl's manifest says its items had other fields (``schemas.items.ITEM_FIELDS``): it reads the file once more.
    """
    if not items_path.exists() or not items_path.stat().st_size:
        return []
    keys = con.execute(
        f"""SELECT DISTINCT unnest(json_keys(json)) FROM read_json_objects(?, format='newline_delimited',
                                                                       ignore_errors=true,
                                                                       maximum_object_size={MAX_LINE_BYTES})""",
        [str(items_path)],
    ).fetchall()
    return sorted(key for (key,) in keys if key not in STAGED_COLUMNS)


def _stage_line_by_line(con, items_path: Path, known: list[str], columns: dict[str, str]) -> list[tuple[int, str]]:
    """Fill ``staged`` from the file's good lines, one JSON document per line; return the others (number, reason)."""
    con.execute("DELETE FROM staged")
    con.execute("CREATE OR REPLACE TEMP TABLE staged_lines (line VARCHAR, type VARCHAR, ok BOOLEAN, blank BOOLEAN)")
    # One row per line, rowids in file order: chr(1) never occurs unescaped in valid JSON, so it
    # cuts only lines that are broken anyway; blank lines come through as NULL.
    con.execute(
        f"""INSERT INTO staged_lines
            SELECT line, CASE WHEN json_valid(line) THEN line->>'$.type' END, coalesce(json_valid(line), false),
                   trim(coalesce(line, '')) = ''
            FROM read_csv(?, columns={{'line': 'VARCHAR'}}, delim=chr(1), quote='', escape='', header=false,
                          auto_detect=false, strict_mode=false, null_padding=true, comment='',
                          max_line_size={MAX_LINE_BYTES}, buffer_size={2 * MAX_LINE_BYTES})""",
        [str(items_path)],
    )
    broken = [
        (number + 1, reason)
        for number, reason in con.execute(
            """SELECT rowid - (SELECT min(rowid) FROM staged_lines), CASE WHEN NOT ok THEN 'broken JSON line (interrupted write?)'
                                  ELSE 'unknown item type ' || coalesce(type, 'NULL') END
               FROM staged_lines
               WHERE NOT blank AND (NOT ok OR type IS NULL OR NOT list_contains(?, type))
               ORDER BY rowid""",
            [known],
        ).fetchall()
    ]
    spec = json.dumps({n: ("JSON" if _is_typed(s) else s) for n, s in columns.items()})
    select = ", ".join(f"CAST(j.{q(n)} AS {s})" if _is_typed(s) else f"j.{q(n)}" for n, s in columns.items())
    con.execute(
        f"""INSERT INTO staged SELECT {select} FROM (
                SELECT rowid AS line_number, json_transform(line, ?) AS j FROM staged_lines
                WHERE ok AND list_contains(?, type))
            ORDER BY line_number""",
        [spec, known],
    )
    con.execute("DROP TABLE staged_lines")
    return broken


def merge_staged(con, item_type: type[Item], crawl_time: str) -> int:
    """Define the view ``merged_<table>``: ``raw_<table>`` merged per natural key (last non-empty value wins).

    Leaves the temp table ``twice_<table>``: the keys staged more than once (``record_conflicts`` and ``upsert`` read it);
    returns how many there are.

    A view, not a table: the upsert reads it once, and a copy of every staged row would cost as much again.
    """
    table = item_type.table
    columns = {n: s for n, s in item_columns(item_type).items() if n not in ("source", "systemId", "crawledAt")}
    merged = ", ".join(f"arg_max({q(n)}, rn) FILTER (WHERE {_non_empty(n, s)}) AS {q(n)}" for n, s in columns.items())
    single = ", ".join(f"CASE WHEN {_non_empty(n, s)} THEN {q(n)} END AS {q(n)}" for n, s in columns.items())
    time = "CAST('" + crawl_time.replace("'", "''") + "' AS TIMESTAMPTZ)"
    # Most keys are read once: those skip the aggregation. The keys read more than once are found once,
    # for the view, the conflicts and the upsert (temp table twice_<table>).
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE twice_{table} AS
            SELECT "source", "systemId" FROM raw_{table} GROUP BY ALL HAVING count(*) > 1"""
    )
    twice = con.execute(f"SELECT count(*) FROM twice_{table}").fetchone()[0]
    once = f"""SELECT "source", "systemId", {single},
                      coalesce("crawledAt", {time}) AS "lastSeen",
                      CASE WHEN "url" IS NULL THEN [] ELSE ["url"] END AS "pageUrls"
               FROM raw_{table}"""
    if not twice:  # every key read once (a crawl that reads each object from one page): nothing to aggregate,
        # and the statements that read the view are planned without the aggregation's two columns per field
        con.execute(f"CREATE OR REPLACE TEMP VIEW merged_{table} AS {once}")
        return 0
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW merged_{table} AS
            {once} ANTI JOIN twice_{table} USING ("source", "systemId")
            UNION ALL BY NAME
            SELECT "source", "systemId", {merged},
                   coalesce(max("crawledAt"), {time}) AS "lastSeen",
                   coalesce(list_sort(list_distinct(list("url") FILTER (WHERE "url" IS NOT NULL))), []) AS "pageUrls"
            FROM raw_{table} SEMI JOIN twice_{table} USING ("source", "systemId")
            GROUP BY "source", "systemId" """
    )
    return twice


def record_conflicts(con, item_type: type[Item], crawl_id: str) -> int:
    """Write to ``load_conflict`` the fields on which items of one object disagreed within the crawl; return how many.

    Reads the keys staged more than once (``twice_<table>``); the load runs it only when ``merge_staged`` found some.
    """
    table = item_type.table
    columns = {n: s for n, s in item_columns(item_type).items() if n not in ("source", "systemId", "url", "crawledAt")}
    as_text = ", ".join(
        f"CASE WHEN {_non_empty(n, s)} THEN CAST(to_json({q(n)}) AS VARCHAR) END AS {q(n)}" for n, s in columns.items()
    )
    before = con.execute("SELECT count(*) FROM load_conflict WHERE \"crawlId\" = ?", [crawl_id]).fetchone()[0]
    con.execute(
        f"""INSERT INTO load_conflict
            WITH v AS (
                SELECT r.rn, r."source", r."systemId", r."url", {as_text}
                FROM raw_{table} r SEMI JOIN twice_{table} USING ("source", "systemId")),
            u AS (UNPIVOT v ON {", ".join(q(n) for n in columns)} INTO NAME "field" VALUE "value")
            SELECT ?, ?, "source", "systemId", "field",
                   list({{'url': "url", 'value': CAST("value" AS JSON)}} ORDER BY rn),
                   CAST(arg_max("value", rn) AS JSON), arg_max("url", rn), ?
            FROM u GROUP BY "source", "systemId", "field"
            HAVING count(DISTINCT "value") > 1""",
        [crawl_id, table, CONFLICT_RULE],
    )
    return con.execute("SELECT count(*) FROM load_conflict WHERE \"crawlId\" = ?", [crawl_id]).fetchone()[0] - before


def merge_items(items: Iterable[dict[str, Any]]) -> dict[str, dict[tuple[str, str], dict[str, Any]]]:
    """Return staged items grouped by table and merged per natural key, by the load's own SQL (for tests and tools)."""
    con = duckdb.connect()
    with tempfile.TemporaryDirectory(prefix="ratsinfo-merge-") as tmp:
        path = Path(tmp) / "items.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for item in items:
                fh.write(json.dumps(item, ensure_ascii=False, default=str) + "\n")
        counts, _ = stage_items(con, path)
    out: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
    for item_type in ITEM_TYPES:
        if not counts[item_type.table]:
            continue
        merge_staged(con, item_type, utcnow().isoformat())
        result = con.execute(f"SELECT * FROM merged_{item_type.table}")
        names = [d[0] for d in result.description]
        out[item_type.table] = {(r[0], r[1]): dict(zip(names, r)) for r in result.fetchall()}
    con.close()
    return out


# --------------------------------------------------------------------------
# Against the warehouse


def _keeps_stored(item_type: type[Item], column: str) -> str:
    """Return the SQL condition under which a stored value survives an empty staged one."""
    if column == "deleted":
        return "false"
    always = "NOT e_full"
    if column in LOAD_FILLED.get(item_type.table, set()) or column in DOCUMENTS_FILLED.get(item_type.table, set()):
        return "true"
    if column in OPARL_FILLED.get(item_type.table, set()):
        always += " OR s.\"system\" = 'oparl'"
    return always


def _effective(item_type: type[Item], column: str) -> str:
    """Return the SQL value a stored row (``t``) takes from the merged staged one (``s``) for a column."""
    value = f"CASE WHEN {_keeps_stored(item_type, column)} THEN coalesce(s.{q(column)}, t.{q(column)}) ELSE s.{q(column)} END"
    if column == "url":
        # An object read from several pages keeps the url it has while that page still shows it: which of
        # them Scrapy read last varies from night to night, and would make it "changed" every time.
        value = f'CASE WHEN t."url" IS NOT NULL AND list_contains(s."pageUrls", t."url") THEN t."url" ELSE {value} END'
    return value


def upsert(con, item_type: type[Item], crawl_id: str, crawl_time: str, twice: int = 1) -> TableCounts:
    """Merge the view ``merged_<table>`` into the table; write history; return the counts.

    Rows the table does not hold yet go in straight from the view; only the others are compared, in the temp
    table ``eff``. Leaves the temp table ``stg_<table>``: the staged keys with their system and pages (and
    whether they were new), for the later steps. ``twice``: how many keys were staged more than once
    (``merge_staged``; when none, the keys need no aggregation).
    """
    table = item_type.table
    # The staged keys as merge_staged merges them, with their system, pages and time, and which of them the
    # table lacks: narrow columns only (the merged view would compute every column), joined on the keys alone.
    time = "CAST('" + crawl_time.replace("'", "''") + "' AS TIMESTAMPTZ)"
    keys = f"""SELECT "source", "systemId", CASE WHEN {_non_empty("system", "VARCHAR")} THEN "system" END AS "system",
                      CASE WHEN "url" IS NULL THEN [] ELSE ["url"] END AS "pageUrls",
                      coalesce("crawledAt", {time}) AS "lastSeen"
               FROM raw_{table}"""
    if twice:
        keys = f"""{keys} ANTI JOIN twice_{table} USING ("source", "systemId")
                UNION ALL
                SELECT "source", "systemId", arg_max("system", rn) FILTER (WHERE {_non_empty("system", "VARCHAR")}),
                       coalesce(list_sort(list_distinct(list("url") FILTER (WHERE "url" IS NOT NULL))), []),
                       coalesce(max("crawledAt"), {time})
                FROM raw_{table} SEMI JOIN twice_{table} USING ("source", "systemId") GROUP BY "source", "systemId" """
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE stg_{table} AS
            SELECT s.*, t."source" IS NULL AS e_new FROM ({keys}) s
            LEFT JOIN {table} t ON t."source" = s."source" AND t."systemId" = s."systemId" """
    )
    counts = TableCounts()
    counts.staged, new = con.execute(f"SELECT count(*), count(*) FILTER (WHERE e_new) FROM stg_{table}").fetchone()
    content = content_columns(item_type)
    derived = DERIVED_COLUMNS.get(table, ())
    compared = [c for c in content if c != "modified"]
    effective = ",\n".join(f"{_effective(item_type, c)} AS {q(c)}" for c in compared)
    stored = ", ".join(f"t.{q(c)} AS {q('o:' + c)}" for c in [*compared, "modified"])
    joined = f"""
            SELECT s."source", s."systemId",
                   t."source" IS NULL AS e_new,
                   t."source" IS NULL
                     OR (NOT coalesce(s."deleted", false) AND t."pageUrls" IS NOT NULL
                         AND len(s."pageUrls") > 0  -- an update read from no page (a document's text) only fills in
                         AND list_has_all(s."pageUrls", t."pageUrls")) AS e_full,
                   t."source" IS NOT NULL AND s."lastSeen" < t."lastSeen" AS e_older,
                   s."modified" AS "s:modified", s."lastSeen" AS "lastSeen",
                   CASE WHEN e_full THEN s."pageUrls"
                        ELSE list_sort(list_distinct(list_concat(t."pageUrls", s."pageUrls"))) END AS "pageUrls",
                   t."firstSeen" AS "o:firstSeen", t."lastSeen" AS "o:lastSeen", t."pageUrls" AS "o:pageUrls",
                   t."vanishedAt" AS "o:vanishedAt",
                   {effective},
                   {stored}
            FROM merged_{table} s JOIN {table} t ON t."source" = s."source" AND t."systemId" = s."systemId" """
    diff = ", ".join(
        f"""CASE WHEN {q(c)} IS DISTINCT FROM {q('o:' + c)}
                 THEN {{'field': '{c}', 'before': to_json({q('o:' + c)}), 'after': to_json({q(c)})}} END"""
        for c in compared
    )
    # Most rows of a reload or a nightly crawl are unchanged: one comparison of the whole row sorts them out
    # before the field-by-field list is built.
    now_row = ", ".join(f"{q(c)} := {q(c)}" for c in compared)
    stored_row = ", ".join(f"{q(c)} := {q('o:' + c)}" for c in compared)
    same = f"struct_pack({now_row}) IS NOT DISTINCT FROM struct_pack({stored_row})"
    with_diff = f"""SELECT *, CASE WHEN e_same THEN []
                                   ELSE list_filter([{diff}], x -> x IS NOT NULL) END AS e_diff
                    FROM (SELECT *, e_new OR {same} AS e_same FROM ({joined}))"""
    # A row seen again unchanged keeps only its key and bookkeeping in eff: its values are not written again.
    kept = """NOT e_new AND e_same AND ("s:modified" IS NULL OR "s:modified" IS NOT DISTINCT FROM "o:modified")"""
    wide = [*compared, *(f"o:{c}" for c in compared)]
    narrowed = ", ".join(f"CASE WHEN {kept} THEN NULL ELSE {q(c)} END AS {q(c)}" for c in wide)
    # Rows the table holds already are compared in eff; a table that holds none of the staged keys (a first
    # load) has nothing to compare, and planning the comparison alone cost 0.05 s over the six tables.
    existing = counts.staged - new
    if existing:
        # modified: the source's own date where it gives one, else when ratsinfo first saw the object or saw it change.
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE eff AS
                SELECT * EXCLUDE (e_diff, e_same, {", ".join(q(c) for c in wide)}), {narrowed}, CASE
                        WHEN "s:modified" IS NOT NULL THEN "s:modified"
                        WHEN e_new OR len(e_diff) > 0 THEN "lastSeen"
                        ELSE "o:modified" END AS "modified",
                    CASE WHEN NOT e_new AND "s:modified" IS NOT NULL AND "s:modified" IS DISTINCT FROM "o:modified"
                         THEN list_append(e_diff, {{'field': 'modified', 'before': to_json("o:modified"),
                                                   'after': to_json("s:modified")}})
                         ELSE e_diff END AS e_diff
                FROM ({with_diff})"""
        )
        older = con.execute("SELECT count(*) FILTER (WHERE e_older) FROM eff").fetchone()[0]
        if older:  # an older crawl never overwrites what a newer one loaded
            con.execute("DELETE FROM eff WHERE e_older")
        _, counts.updated = record_changes(con, table, crawl_id)
    counts.inserted = new
    if new:
        con.execute(
            f"""INSERT INTO history SELECT '{table}', "source", "systemId", 'new', NULL, ?, "lastSeen", current_timestamp
                FROM stg_{table} WHERE e_new""",
            [crawl_id],
        )
    if table in ENRICH_INPUTS and new:
        con.execute(f"""INSERT INTO load_changed SELECT '{table}', "source", "systemId" FROM stg_{table} WHERE e_new""")
    if table in ENRICH_INPUTS and counts.updated:
        con.execute(f"""INSERT INTO load_changed SELECT '{table}', "source", "systemId" FROM eff WHERE len(e_diff) > 0""")
    counts.unchanged = counts.staged - counts.inserted - counts.updated
    columns = list(table_columns(item_type))
    values = {
        "source": '"source"',
        "systemId": '"systemId"',
        **{c: q(c) for c in content},
        **{d: "NULL" for d in derived},  # a changed row keeps them (not in the update below)
        "crawledAt": '"lastSeen"',
        "crawlId": "?",
        "contentHash": content_hash_sql(item_type),
        "firstSeen": 'coalesce("o:firstSeen", "lastSeen")',
        "lastSeen": '"lastSeen"',
        "pageUrls": '"pageUrls"',
        "vanishedAt": "NULL",
    }
    names = ", ".join(q(c) for c in columns)
    # Derived columns stay as stored: eff does not carry them (enrich derives the changed rows again).
    updated = [c for c in columns if c not in ("source", "systemId", *derived)]
    seen_again = """NOT e_new AND len(e_diff) = 0
              AND ("lastSeen" > "o:lastSeen" OR "pageUrls" IS DISTINCT FROM "o:pageUrls" OR "o:vanishedAt" IS NOT NULL)"""
    touched = con.execute(f"SELECT count(*) FILTER (WHERE {seen_again}) FROM eff").fetchone()[0] if existing else 0
    # New rows by a plain append (it can spill to disk); changed rows, usually few, by upsert. A statement
    # with nothing to do is not run: each one joins or scans the whole table.
    if new:  # the staged values as they are, modified where the source gave none: when first seen
        fresh = {**values, "firstSeen": '"lastSeen"'}
        # Every staged row new (a first load): no join with the keys to pick them out.
        only_new = "" if new == counts.staged else f"""SEMI JOIN stg_{table} n
                        ON n.e_new AND n."source" = s."source" AND n."systemId" = s."systemId" """
        con.execute(
            f"""INSERT INTO {table} ({names})
                SELECT {", ".join(f"{fresh[c]} AS {q(c)}" for c in columns)}
                FROM (SELECT s.* REPLACE (coalesce(s."modified", s."lastSeen") AS "modified")
                      FROM merged_{table} s {only_new})""",
            [crawl_id],
        )
    if counts.updated:
        con.execute(
            f"""UPDATE {table} SET {", ".join(f"{q(c)} = u.{q(c)}" for c in updated)}
                FROM (SELECT "source", "systemId", {", ".join(f"{values[c]} AS {q(c)}" for c in updated)}
                      FROM eff WHERE NOT e_new AND len(e_diff) > 0) u
                WHERE {table}."source" = u."source" AND {table}."systemId" = u."systemId" """,
            [crawl_id],
        )
    if touched:  # unchanged rows were still seen by this crawl, maybe on more pages
        con.execute(
            f"""UPDATE {table} SET "lastSeen" = e."lastSeen", "pageUrls" = e."pageUrls", "vanishedAt" = NULL
                FROM (SELECT "source", "systemId", "lastSeen", "pageUrls" FROM eff WHERE {seen_again}) e
                WHERE {table}."source" = e."source" AND {table}."systemId" = e."systemId" """
        )
    if existing:
        con.execute("DROP TABLE eff")
    return counts


def mark_vanished(con, source: str, crawl_id: str, seen_at: str) -> int:
    """Mark vanished the rows of ``source`` a page of this (finished) crawl used to show and no longer did."""
    candidates = " UNION ALL ".join(
        f"""SELECT count(*) AS n FROM {t.table} WHERE "source" = $source AND "system" <> 'oparl' AND "vanishedAt" IS NULL
                AND NOT coalesce("deleted", false) AND "lastSeen" < CAST($seen AS TIMESTAMPTZ)"""
        for t in ITEM_TYPES
    )
    if not con.execute(f"SELECT sum(n) FROM ({candidates})", {"source": source, "seen": seen_at}).fetchone()[0]:
        return 0  # nothing this crawl did not see again (a first crawl, an OParl crawl: settled by sync_state)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE read_urls AS SELECT DISTINCT url FROM ("
        + " UNION ALL ".join(f'SELECT unnest("pageUrls") AS url FROM stg_{t.table}' for t in ITEM_TYPES)
        + ")"
    )
    total = 0
    for item_type in ITEM_TYPES:
        table = item_type.table
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE gone AS
                SELECT DISTINCT p."systemId" FROM (
                    SELECT "systemId", unnest("pageUrls") AS url FROM {table}
                    WHERE "source" = ? AND "system" <> 'oparl' AND "vanishedAt" IS NULL
                      AND NOT coalesce("deleted", false) AND "lastSeen" < CAST(? AS TIMESTAMPTZ)) p
                SEMI JOIN read_urls r ON r.url = p.url
                ANTI JOIN stg_{table} s ON s."source" = ? AND s."systemId" = p."systemId" """,
            [source, seen_at, source],
        )
        n = con.execute("SELECT count(*) FROM gone").fetchone()[0]
        if n:
            con.execute(
                f"""INSERT INTO history SELECT '{table}', ?, "systemId", 'vanished', NULL, ?, CAST(? AS TIMESTAMPTZ),
                           current_timestamp FROM gone""",
                [source, crawl_id, seen_at],
            )
            con.execute(
                f"""UPDATE {table} SET "vanishedAt" = CAST(? AS TIMESTAMPTZ)
                    WHERE "source" = ? AND "systemId" IN (SELECT "systemId" FROM gone)""",
                [seen_at, source],
            )
        total += n
    con.execute("DROP TABLE IF EXISTS gone")
    return total


def _oparl_staged_ids(con, source: str) -> None:
    """Hand pipelines.warehouse.sync_state the ids this crawl staged per table (temp tables ``oparl_staged_<table>``)."""
    for item_type in ITEM_TYPES:
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE oparl_staged_{item_type.table} AS
                SELECT "systemId" AS id FROM stg_{item_type.table} WHERE "source" = ? AND "system" = 'oparl'""",
            [source],
        )


def load_crawl(staging: StagingArea, con: duckdb.DuckDBPyConnection) -> LoadReport:
    """Merge one staged crawl into the warehouse and return what changed."""
    manifest = staging.read_manifest()
    if not manifest:
        raise FileNotFoundError(f"no crawl staged at {staging.path}")
    crawl_id = manifest.get("crawlId", staging.crawl_id)
    crawl_time = manifest.get("startedAt") or utcnow().isoformat()
    source = manifest.get("source")
    report = LoadReport(crawl_id=crawl_id, source=source)
    _tune(con)
    keys = staging.staged_keys(manifest)
    columns = staged_columns(keys)
    if keys is not None:  # the crawl's own list of its keys
        unknown = sorted(set(keys) - set(STAGED_COLUMNS))
    elif manifest.get("itemFields", ITEM_FIELDS) != ITEM_FIELDS:  # staged by a ratsinfo with other item fields
        unknown = unknown_staged_fields(con, staging.items_path)
    else:
        unknown = []
    if unknown:
        raise StagedFieldsError(
            f"{crawl_id} holds item fields this ratsinfo does not know ({', '.join(unknown)}): it was staged by "
            "another version; load it with that one or a newer one (nothing was loaded)"
        )
    try:
        staged, broken = stage_items(con, staging.items_path, columns)  # temp tables only, before the transaction
        con.execute("BEGIN TRANSACTION")
        con.execute('CREATE OR REPLACE TEMP TABLE load_changed ("table" VARCHAR, "source" VARCHAR, "systemId" VARCHAR)')
    except BaseException:
        _drop_staged(con)
        raise
    try:
        con.execute('DELETE FROM load_conflict WHERE "crawlId" = ?', [crawl_id])
        for item_type in ITEM_TYPES:
            twice = merge_staged(con, item_type, crawl_time)
            if not staged[item_type.table]:  # an empty stg_ table: the later steps read them all
                con.execute(
                    f"""CREATE OR REPLACE TEMP TABLE stg_{item_type.table} AS
                        SELECT "source", "systemId", "system", "pageUrls" FROM merged_{item_type.table} LIMIT 0"""
                )
                continue
            if twice:  # objects read more than once: their fields may disagree
                report.conflicts += record_conflicts(con, item_type, crawl_id)
            report.tables[item_type.table] = upsert(con, item_type, crawl_id, crawl_time, twice)
        report.pages = _replace_crawl_rows(con, "page", crawl_id, staging.pages_path, _PAGE_COLUMNS)
        report.failures = _replace_crawl_rows(
            con, "parse_failure", crawl_id, staging.failures_path, _FAILURE_COLUMNS, source=source
        )
        report.brokenLines = _record_broken_lines(con, staging, crawl_id, source, broken)
        if source and manifest.get("status") == "finished":
            report.vanished = mark_vanished(con, source, crawl_id, crawl_time)
        if manifest.get("system") == "oparl" and source:
            _oparl_staged_ids(con, source)
            apply_oparl_crawl(con, manifest, None, crawl_time)  # list state, deletions, stubs
            record_sync_deletions(con, source, crawl_id, crawl_time)
        _record_crawl(con, manifest, report)
        # The sources this load wrote to: the derived tables are rebuilt for those (schemas/views.py).
        touched = {source} if source else set()
        touched.update(
            row[0] for row in con.execute(
                " UNION ".join(f'SELECT DISTINCT "source" FROM stg_{t.table}' for t in ITEM_TYPES)
            ).fetchall()
        )
        _check_keys(con, touched)
        before = stored_fingerprint(con, "paper")
        enrich_loaded_rows(con, crawl_id)
        every_paper = stored_fingerprint(con, "paper") != before  # a new taxonomy: every source's topics
        for item_type in ITEM_TYPES:
            con.execute(f"DROP TABLE IF EXISTS stg_{item_type.table}")
        create_views(con, None if every_paper else touched)  # the analysts' views and derived tables
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        _drop_staged(con)
    if broken:
        logger.warning("%s: %d broken line(s) in %s recorded in parse_failure", crawl_id, len(broken), staging.items_path)
    return report


class LoadKeyError(RuntimeError):
    """A load would have stored one object's key twice (a defect of the load, never of the crawl)."""


def _check_keys(con, sources: set[str]) -> None:
    """Fail the load (it rolls back) if an item table holds a key twice for a source it wrote to.

    The tables have no PRIMARY KEY (``schemas.warehouse.item_table_ddl``): the merge keeps the key, and this
    says so before anything is committed.
    """
    for item_type in ITEM_TYPES:
        if key_duplicates(con, item_type.table, sources):
            raise LoadKeyError(f"{item_type.table}: a (source, systemId) key of {', '.join(sorted(sources))} "
                               "would be stored twice; nothing of this crawl was loaded")


def _drop_staged(con) -> None:
    """Drop the temp table ``staged`` and its views (they outlive the load's transaction)."""
    with contextlib.suppress(duckdb.Error):  # a broken connection: its temp tables are gone with it
        for item_type in ITEM_TYPES:
            con.execute(f"DROP VIEW IF EXISTS merged_{item_type.table}")
            con.execute(f"DROP TABLE IF EXISTS twice_{item_type.table}")
            con.execute(f"DROP VIEW IF EXISTS raw_{item_type.table}")
        con.execute("DROP TABLE IF EXISTS staged")
        con.execute("DROP TABLE IF EXISTS load_changed")


def _tune(con) -> None:
    """Bound DuckDB's memory and threads for the load (it spills to disk beyond the limit).

    With one thread and 320MB a 4× Karlsruhe crawl (391k rows) peaks below 500 MB RSS
    (tests/benchmarks/bench_load.py); more threads need more memory per thread (with two
    threads and 320MB the 4× crawl ran out of memory in the upsert).
    """
    limit = os.environ.get("RATSINFO_LOAD_MEMORY", "").strip() or "320MB"
    threads = env_number("RATSINFO_LOAD_THREADS", 1, kind=int, minimum=1, what="a whole number of threads")
    try:
        con.execute("SET memory_limit = ?", [limit])
    except duckdb.Error:
        raise EnvSettingError(f"$RATSINFO_LOAD_MEMORY must be a size like 320MB or 2GB, not {limit!r}") from None
    con.execute(f"SET threads = {threads}")
    con.execute("SET preserve_insertion_order = true")  # staged order decides which value wins


_PAGE_COLUMNS = {
    "url": "VARCHAR", "fetchedAt": "TIMESTAMPTZ", "status": "INTEGER", "contentType": "VARCHAR",
    "kind": "VARCHAR", "sha256": "VARCHAR", "bytes": "BIGINT",
}
_FAILURE_COLUMNS = {
    "url": "VARCHAR", "kind": "VARCHAR", "status": "INTEGER", "error": "VARCHAR", "sha256": "VARCHAR", "at": "TIMESTAMPTZ",
}


def _replace_crawl_rows(con, table: str, crawl_id: str, path: Path, columns: dict[str, str], source: str | None = None) -> int:
    """Replace a crawl's rows in a bookkeeping table from a staged JSON-lines file; return how many were written."""
    con.execute(f'DELETE FROM {table} WHERE "crawlId" = ?', [crawl_id])
    if not path.exists() or not path.stat().st_size:
        return 0
    spec = "{" + ", ".join(f"'{c}': '{t}'" for c, t in columns.items()) + "}"
    names = ", ".join(q(c) for c in columns)
    with_source = table == "parse_failure"
    con.execute(
        f"""INSERT INTO {table} ("crawlId", {'"source", ' if with_source else ''}{names})
            SELECT ?, {'?, ' if with_source else ''}{names}
            FROM read_json(?, format='newline_delimited', columns={spec}, ignore_errors=true,
                           maximum_object_size={MAX_LINE_BYTES})""",
        [crawl_id, *([source] if with_source else []), str(path)],
    )
    return con.execute(f'SELECT count(*) FROM {table} WHERE "crawlId" = ?', [crawl_id]).fetchone()[0]


def _record_broken_lines(con, staging: StagingArea, crawl_id: str, source: str | None, broken: list[tuple[int, str]]) -> int:
    """Record staged lines the load could not read in ``parse_failure`` (kind ``staged-line``)."""
    for number, reason in broken:
        con.execute(
            """INSERT INTO parse_failure ("crawlId", "source", "url", "kind", "status", "error", "sha256", "at")
               VALUES (?, ?, ?, 'staged-line', NULL, ?, NULL, current_timestamp)""",
            [crawl_id, source, f"{staging.items_path}#line={number}", reason],
        )
    return len(broken)


def _record_crawl(con, manifest: dict[str, Any], report: LoadReport) -> None:
    con.execute('DELETE FROM crawl WHERE "crawlId" = ?', [report.crawl_id])
    counts = {k: vars(v) for k, v in report.tables.items()}
    con.execute(
        """INSERT INTO crawl ("crawlId", "source", "system", "baseUrl", "startedAt", "finishedAt", "status",
               "itemCounts", "requests", "failures", "loadedAt", "loadCounts", "degraded")
           VALUES (?, ?, ?, ?, ?, ?, ?, CAST(CAST(? AS JSON) AS MAP(VARCHAR, BIGINT)), ?, ?, ?,
                   CAST(CAST(? AS JSON) AS MAP(VARCHAR, STRUCT("staged" BIGINT, "inserted" BIGINT, "updated" BIGINT,
                                                               "unchanged" BIGINT))), ?)""",
        [
            report.crawl_id,
            manifest.get("source"),
            manifest.get("system"),
            manifest.get("baseUrl"),
            manifest.get("startedAt"),
            manifest.get("finishedAt"),
            manifest.get("status"),
            json.dumps(manifest.get("itemCounts") or {}),
            manifest.get("requests"),
            report.failures,
            utcnow().isoformat(),
            json.dumps(counts),
            json.dumps(manifest.get("degraded") or []),
        ],
    )


__all__ = ["LoadReport", "TableCounts", "connect", "load_crawl", "merge_items", "open_reader", "open_writer", "publish"]
