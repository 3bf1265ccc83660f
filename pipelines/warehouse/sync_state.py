"""OParl in the warehouse: the per-list sync state, and what a loaded OParl crawl implies.

An incremental OParl crawl asks each external list only for the objects
changed since its last complete walk (``modified_since``, see
``spiders.dialects.oparl``). What that needs is kept in ``oparl_list_state``,
one row per (source, list URL). The crawl runs in its own process and must
not open the warehouse, so:

* before a crawl, ``crawl_settings`` writes the source's list state to a JSON
  file in the crawl's staging folder and names it in the Scrapy setting
  ``RATSINFO_SYNC_STATE``;
* the crawl records its list walks in its manifest (``oparl`` in crawl.json);
* after the upserts of a load, ``apply_oparl_crawl`` (called by
  ``pipelines.warehouse.load`` inside the load's transaction) writes the state back and
  settles what the crawl implies:

  - embedded objects that vanished from a parent the crawl saw again
    (a consultation dropped from a paper, the files of a deleted paper) are
    marked deleted: OParl 1.0 has no tombstones for them (not when the parent
    embedded an object without id this time: its list was not seen in full);
  - after a complete walk of a list without filter (or with a filter the
    server ignored), the list's objects the walk did not meet are marked
    deleted (complete: no loop, no skipped page, no failed page, its count
    agrees with ``totalElements``; see ``spiders.dialects.oparl.walks``): such servers never send tombstones, so this is the only way a
    deletion reaches the warehouse (unless more than half of the live rows
    would go: a list that shrank so much was more likely cut short);
  - references to organizations and persons that no list carries (404 at
    the server, OParl pitfall 2) get stub rows (``isStub = true``) instead of
    dangling;
  - names the HTML dialects read from the page and OParl gives only as
    references are filled in: committee names of meetings and
    consultations, the agenda item's paper (through its consultation), the
    lead office (``underDirectionOf``) of papers;
  - the Body's name and AGS go to the ``source`` row when it has none.

Everything is restricted to the crawl's source and to rows of system
``oparl``, and runs again with the same result when a crawl is loaded twice.
Rows marked deleted here get their content hash cleared, so that an object
that comes back is updated (undeleted) by the next load.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import duckdb

from pipelines.warehouse.db import NO_DOWNLOADS
from schemas.items import ITEM_TYPES

logger = logging.getLogger(__name__)

STATE_FILE = "sync_state.json"
SYSTEM = "oparl"

# Lists whose complete unfiltered walk shows every live object of a table.
_LIST_TABLES = {"paper": "paper", "meeting": "meeting", "organization": "organization", "person": "person"}
# (child table, column naming the parent, parent table, File.parentType): embedded objects.
_EMBEDDED = (
    ("consultation", "paper", "paper", None),
    ("agenda_item", "meeting", "meeting", None),
    ("membership", "person", "person", None),
    ("file", "parent", "paper", "Paper"),
    ("file", "parent", "meeting", "Meeting"),
    ("file", "parent", "agenda_item", "AgendaItem"),
)
# (table, column, holds a JSON list, referenced table): stubs go only to tables with ``isStub``.
_REFERENCES = (
    ("meeting", "organization", False, "organization"),
    ("consultation", "organization", False, "organization"),
    ("membership", "organization", False, "organization"),
    ("membership", "onBehalfOf", False, "organization"),
    ("paper", "underDirectionOf", True, "organization"),
    ("membership", "person", False, "person"),
    ("consultation", "paper", False, "paper"),
    ("agenda_item", "paper", False, "paper"),
    ("consultation", "meeting", False, "meeting"),
)
# A complete walk that misses more than this share of a table's live rows is not trusted to delete them.
RECONCILE_MAX_SHARE = 0.5
_STUB_TABLES = {t.table for t in ITEM_TYPES if "isStub" in {f.name for f in dataclasses.fields(t)}}


# --------------------------------------------------------------------------
# Before the crawl


def read_list_state(con: duckdb.DuckDBPyConnection, source: str) -> dict[str, dict[str, Any]]:
    """Return a source's list state: ``{list URL: {lastWalkStartedAt, lastFullWalkStartedAt, …}}``."""
    rows = con.execute(
        """SELECT "listUrl", "list", "body", "lastWalkStartedAt", "lastFullWalkStartedAt", "lastModifiedSince",
                  "lastComplete", "filterIgnored", "pages", "objects"
           FROM oparl_list_state WHERE "source" = ?""",
        [source],
    ).fetchall()
    names = ("list", "body", "lastWalkStartedAt", "lastFullWalkStartedAt", "lastModifiedSince",
             "lastComplete", "filterIgnored", "pages", "objects")
    return {row[0]: {n: (v.isoformat() if isinstance(v, dt.datetime) else v) for n, v in zip(names, row[1:])} for row in rows}


def write_state_file(db_path: Path, source: str, path: Path) -> Path:
    """Write a source's list state from the warehouse to ``path`` (empty without a warehouse); return it."""
    lists: dict[str, dict[str, Any]] = {}
    if db_path.exists():
        try:
            con = duckdb.connect(str(db_path), read_only=True, config=NO_DOWNLOADS)
        except duckdb.Error as exc:  # locked by another writer: this crawl is a full one
            logger.warning("could not read the sync state from %s (%s); the OParl crawl will be full", db_path, exc)
        else:
            try:
                lists = read_list_state(con, source)
            except duckdb.CatalogException:
                lists = {}  # a warehouse from before oparl_list_state
            finally:
                con.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"source": source, "lists": lists}, ensure_ascii=False, indent=1, default=str))
    return path


def crawl_settings(db_path: Path | str, source: str, staging_dir: Path | str) -> dict[str, str]:
    """Return the Scrapy settings that hand a crawl its source's sync state (``RATSINFO_SYNC_STATE``)."""
    path = write_state_file(Path(db_path), source, Path(staging_dir) / STATE_FILE)
    return {"RATSINFO_SYNC_STATE": str(path.resolve())}


# --------------------------------------------------------------------------
# After the load


def apply_oparl_crawl(
    con: duckdb.DuckDBPyConnection,
    manifest: dict[str, Any],
    tables: dict[str, dict[tuple[str, str], dict[str, Any]]] | None,
    crawl_time: str,
) -> dict[str, int]:
    """Settle what a loaded OParl crawl implies (see the module docstring); return counts of what changed.

    ``tables`` are the crawl's merged staged items (``pipelines.warehouse.load.merge_items``), or None when the
    caller already holds the staged ids in the temp tables ``oparl_staged_<table>`` (``pipelines.warehouse.load``).
    Does nothing for crawls of other systems.
    """
    if manifest.get("system") != SYSTEM or not manifest.get("source"):
        return {}
    source = manifest["source"]
    crawl_id = manifest.get("crawlId")
    oparl = manifest.get("oparl") or {}
    used = {c for c, _, _, _ in _EMBEDDED} | {p for _, _, p, _ in _EMBEDDED} | set(_LIST_TABLES.values())
    if tables is None:  # pipelines.warehouse.load made the temp tables oparl_staged_<table> in SQL
        staged = {table: _changed(con.execute(f"SELECT count(*) FROM {_staged(table)}")) for table in used}
    else:
        staged = {
            table: [key[1] for key, row in rows.items() if key[0] == source and row.get("system") == SYSTEM]
            for table, rows in tables.items()
        }
        for table in used:
            _ids_table(con, _staged(table), staged.get(table, []))
    # Parents with an embedded object without id: their embedded lists were not seen in full.
    _ids_table(con, "oparl_partial_parents", list(oparl.get("partialParents") or []))
    counts = {"childrenDeleted": _delete_dropped_children(con, source, staged)}
    counts["reconciledDeleted"] = _reconcile_complete_walks(con, source, oparl.get("lists") or {})
    counts["childrenDeleted"] += _delete_children_of_deleted(con, source)
    counts["stubs"] = _create_stubs(con, source, crawl_id, crawl_time)
    _fill_names_and_links(con, source)
    _record_list_state(con, source, crawl_id, oparl.get("lists") or {})
    _record_source(con, source, manifest, oparl.get("bodies") or [])
    if any(counts.values()):
        logger.info("oparl load of %s: %s", crawl_id, counts)
    return counts


def _ids_table(con, name: str, ids: list[str]) -> None:
    """(Re)create temp table ``name`` with one ``id`` column holding ``ids``."""
    # Through a file: DuckDB converts a Python list parameter value by value, far too slowly for 50,000 ids.
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as fh:
        for value in ids:
            fh.write(json.dumps({"id": value}) + "\n")
        path = fh.name
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} (id VARCHAR)")
        if ids:
            con.execute(f"INSERT INTO {name} SELECT id FROM read_json(?, format='newline_delimited', columns={{'id': 'VARCHAR'}})", [path])
    finally:
        os.unlink(path)


def _staged(table: str) -> str:
    """Return the name of the temp table holding the ids of ``table`` the crawl staged."""
    return f"oparl_staged_{table}"


def _changed(result) -> int:
    row = result.fetchone()
    return int(row[0]) if row else 0


def _delete_dropped_children(con, source: str, staged: dict[str, list[str]]) -> int:
    """Mark deleted the embedded objects of re-crawled parents that the parents no longer embed."""
    total = 0
    # Only children this crawl did not stage can go: where there are none (a first load, most full
    # crawls) the table's updates are not run (each joins the whole table with three id lists).
    unstaged = {
        child: _changed(con.execute(
            f"""SELECT count(*) FROM {child} WHERE "source" = ? AND "system" = ? AND NOT coalesce("deleted", false)
                  AND "systemId" NOT IN (SELECT id FROM {_staged(child)})""",
            [source, SYSTEM],
        ))
        for child in sorted({c for c, _, p, _ in _EMBEDDED if staged.get(p)})
    }
    for child, column, parent, parent_type in _EMBEDDED:
        if not staged.get(parent) or not unstaged[child]:
            continue
        type_filter = 'AND "parentType" = ?' if parent_type else ""
        total += _changed(
            con.execute(
                f"""UPDATE {child} SET "deleted" = true, "contentHash" = NULL
                    WHERE "source" = ? AND "system" = ? AND NOT coalesce("deleted", false) {type_filter}
                      AND "{column}" IN (SELECT id FROM {_staged(parent)})
                      AND "{column}" NOT IN (SELECT id FROM oparl_partial_parents)
                      AND "systemId" NOT IN (SELECT id FROM {_staged(child)})""",
                [source, SYSTEM, *([parent_type] if parent_type else [])],
            )
        )
    return total


def _delete_children_of_deleted(con, source: str) -> int:
    """Mark deleted the embedded objects of deleted parents (unless this crawl saw them elsewhere)."""
    total = 0
    for child, column, parent, parent_type in _EMBEDDED:  # agenda items before their files
        if not _changed(con.execute(f'SELECT count(*) FROM {parent} WHERE "source" = ? AND "deleted"', [source])):
            continue  # no deleted parent (the usual case): nothing to join
        type_filter = 'AND c."parentType" = ?' if parent_type else ""
        total += _changed(
            con.execute(
                f"""UPDATE {child} AS c SET "deleted" = true, "contentHash" = NULL
                    FROM {parent} AS p
                    WHERE p."source" = c."source" AND p."systemId" = c."{column}" AND p."deleted"
                      AND c."source" = ? AND c."system" = ? AND NOT coalesce(c."deleted", false) {type_filter}
                      AND c."systemId" NOT IN (SELECT id FROM {_staged(child)})""",
                [source, SYSTEM, *([parent_type] if parent_type else [])],
            )
        )
    return total


def _reconcile_complete_walks(con, source: str, walks: dict[str, dict]) -> int:
    """Mark deleted the objects a complete unfiltered walk of their list no longer showed."""
    by_list: dict[str, list[dict]] = {}
    for walk in walks.values():
        by_list.setdefault(walk.get("list") or "", []).append(walk)
    total = 0
    for name, table in _LIST_TABLES.items():
        lists = by_list.get(name)
        if not lists or not all(w.get("complete") and (w.get("full") or w.get("filterIgnored")) for w in lists):
            continue
        not_stub = 'AND NOT coalesce("isStub", false)' if table in _STUB_TABLES else ""
        live = f"""FROM {table} WHERE "source" = ? AND "system" = ? AND NOT coalesce("deleted", false) {not_stub}"""
        alive, missing = con.execute(
            f"""SELECT count(*), count(*) FILTER (WHERE "systemId" NOT IN (SELECT id FROM {_staged(table)})) {live}""",
            [source, SYSTEM],
        ).fetchone()
        if missing > RECONCILE_MAX_SHARE * alive:
            # A list that shrank this much is more likely cut short by the server than emptied.
            logger.warning("not reconciling %s of %s: %d of %d live rows missing from the walk", table, source, missing, alive)
            continue
        total += _changed(
            con.execute(
                f"""UPDATE {table} SET "deleted" = true, "contentHash" = NULL
                    WHERE "source" = ? AND "systemId" IN (
                        SELECT "systemId" {live} AND "systemId" NOT IN (SELECT id FROM {_staged(table)}))""",
                [source, source, SYSTEM],
            )
        )
    return total


def _create_stubs(con, source: str, crawl_id: str | None, crawl_time: str) -> int:
    """Insert stub rows for referenced objects the warehouse does not hold; return how many."""
    total = 0
    for target in sorted({t for *_, t in _REFERENCES} & _STUB_TABLES):
        selects = []
        for table, column, is_list, referenced in _REFERENCES:
            if referenced != target:
                continue
            value = f'unnest(CAST("{column}" AS VARCHAR[]))' if is_list else f'"{column}"'
            selects.append(
                f"""SELECT {value} AS ref FROM {table}
                    WHERE "source" = $source AND "system" = $system AND NOT coalesce("deleted", false)"""
            )
        total += _changed(
            con.execute(
                f"""INSERT INTO {target} ("source", "system", "systemId", "url", "deleted", "isStub",
                                          "crawlId", "firstSeen", "lastSeen")
                    SELECT DISTINCT $source, $system, ref, ref, false, true, $crawl, $time, $time
                    FROM ({" UNION ALL ".join(selects)})
                    WHERE ref IS NOT NULL AND ref <> ''
                      AND ref NOT IN (SELECT "systemId" FROM {target} WHERE "source" = $source)""",
                {"source": source, "system": SYSTEM, "crawl": crawl_id, "time": crawl_time},
            )
        )
    return total


# (table to fill, its column, table it comes from, that table's column, how the two join) — within one source.
_FILLS = (
    ("meeting", "organizationName", "organization", "name", 'o."systemId" = t."organization"'),
    ("consultation", "organizationName", "organization", "name", 'o."systemId" = t."organization"'),
    ("membership", "onBehalfOfName", "organization", "name", 'o."systemId" = t."onBehalfOf"'),
    ("agenda_item", "paper", "consultation", "paper", 'o."systemId" = t."consultation"'),
    ("agenda_item", "paperReference", "paper", "reference", 'o."systemId" = t."paper"'),
    ("consultation", "date", "meeting", "date", 'o."systemId" = t."meeting"'),
    # underDirectionOf lists the lead office first.
    ("paper", "leadOfficeRaw", "organization", "name", 'o."systemId" = CAST(t."underDirectionOf" AS VARCHAR[])[1]'),
)


def _fill_names_and_links(con, source: str) -> None:
    """Fill the names and links OParl gives only as references (committee names, paper of a TOP …)."""
    for table, column, other, other_column, join in _FILLS:
        con.execute(
            f"""UPDATE {table} AS t SET "{column}" = o."{other_column}"
                FROM {other} AS o
                WHERE {join} AND o."source" = t."source" AND t."source" = ? AND t."system" = ?
                  AND o."{other_column}" IS NOT NULL
                  AND t."{column}" IS DISTINCT FROM o."{other_column}" """,
            [source, SYSTEM],
        )
    _fill_lead_offices(con, source)


def _fill_lead_offices(con, source: str) -> None:
    """Read kind, code and name of the lead offices filled from ``underDirectionOf``."""
    try:
        from pipelines.normalise.offices import office_from_label
    except ImportError:  # the office normaliser is optional here
        return
    labels = [
        row[0]
        for row in con.execute(
            """SELECT DISTINCT "leadOfficeRaw" FROM paper
               WHERE "source" = ? AND "system" = ? AND "leadOfficeRaw" IS NOT NULL AND "leadOfficeName" IS NULL""",
            [source, SYSTEM],
        ).fetchall()
    ]
    offices = [(label, office) for label in labels if (office := office_from_label(label)) is not None]
    if not offices:
        return
    # One UPDATE for all labels (a statement per label cost more than the rest of the OParl settling).
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as fh:
        for label, office in offices:
            fh.write(json.dumps({"label": label, "kind": office.kind, "code": office.code, "name": office.name}) + "\n")
        path = fh.name
    try:
        # Into a temp table first: joined to read_json directly, the UPDATE took 40 times as long on the
        # rows the load had just inserted (0.25 s of a Karlsruhe load; the planner cannot size the file).
        con.execute(
            """CREATE OR REPLACE TEMP TABLE lead_offices AS SELECT * FROM read_json(?, format='newline_delimited',
                   columns={'label': 'VARCHAR', 'kind': 'VARCHAR', 'code': 'VARCHAR', 'name': 'VARCHAR'})""",
            [path],
        )
    finally:
        os.unlink(path)
    con.execute(
        """UPDATE paper SET "leadOfficeKind" = o.kind, "leadOfficeCode" = o.code, "leadOfficeName" = o.name
           FROM lead_offices o
           WHERE paper."source" = ? AND paper."system" = ? AND paper."leadOfficeRaw" = o.label
             AND paper."leadOfficeName" IS NULL""",
        [source, SYSTEM],
    )
    con.execute("DROP TABLE lead_offices")


def _record_list_state(con, source: str, crawl_id: str | None, walks: dict[str, dict]) -> None:
    """Write the crawl's list walks to ``oparl_list_state``; only complete walks move the sync point."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for list_url, walk in walks.items():
        started = walk.get("startedAt")
        complete = bool(walk.get("complete"))
        full = complete and bool(walk.get("full") or walk.get("filterIgnored"))
        con.execute(
            """INSERT INTO oparl_list_state ("source", "listUrl", "list", "body", "lastWalkStartedAt",
                   "lastFullWalkStartedAt", "lastModifiedSince", "lastComplete", "lastStopped", "filterIgnored",
                   "pages", "objects", "deleted", "crawlId", "updatedAt")
               VALUES ($source, $url, $list, $body, $walk, $full, $since, $complete, $stopped, $ignored,
                       $pages, $objects, $deleted, $crawl, $now)
               ON CONFLICT ("source", "listUrl") DO UPDATE SET
                   "list" = excluded."list",
                   "body" = coalesce(excluded."body", oparl_list_state."body"),
                   "lastWalkStartedAt" = CASE WHEN excluded."lastWalkStartedAt" IS NULL
                       THEN oparl_list_state."lastWalkStartedAt"
                       ELSE greatest(excluded."lastWalkStartedAt", oparl_list_state."lastWalkStartedAt") END,
                   "lastFullWalkStartedAt" = CASE WHEN excluded."lastFullWalkStartedAt" IS NULL
                       THEN oparl_list_state."lastFullWalkStartedAt"
                       ELSE greatest(excluded."lastFullWalkStartedAt", oparl_list_state."lastFullWalkStartedAt") END,
                   "lastModifiedSince" = excluded."lastModifiedSince",
                   "lastComplete" = excluded."lastComplete",
                   "lastStopped" = excluded."lastStopped",
                   "filterIgnored" = excluded."filterIgnored",
                   "pages" = excluded."pages",
                   "objects" = excluded."objects",
                   "deleted" = excluded."deleted",
                   "crawlId" = excluded."crawlId",
                   "updatedAt" = excluded."updatedAt"
            """,
            {
                "source": source,
                "url": list_url,
                "list": walk.get("list"),
                "body": walk.get("body"),
                "walk": started if complete else None,
                "full": started if full else None,
                "since": walk.get("modifiedSince"),
                "complete": complete,
                "stopped": walk.get("stopped") or "; ".join(walk.get("problems") or []) or None,
                "ignored": bool(walk.get("filterIgnored")),
                "pages": walk.get("pages"),
                "objects": walk.get("objects"),
                "deleted": walk.get("deleted"),
                "crawl": crawl_id,
                "now": now,
            },
        )


def _record_source(con, source: str, manifest: dict[str, Any], bodies: list[dict]) -> None:
    """Give the source row the Body's name and AGS where it has none (an ad-hoc crawl has no row)."""
    body = next((b for b in bodies if b.get("id")), None)
    if body is None:
        return
    con.execute(
        """INSERT INTO source ("source", "name", "ags", "system", "baseUrl") VALUES (?, ?, ?, ?, ?)
           ON CONFLICT ("source") DO UPDATE SET
               "name" = coalesce(source."name", excluded."name"),
               "ags" = coalesce(source."ags", excluded."ags"),
               "system" = coalesce(source."system", excluded."system"),
               "baseUrl" = coalesce(source."baseUrl", excluded."baseUrl")""",
        [source, body.get("name"), body.get("ags"), SYSTEM, manifest.get("baseUrl")],
    )


__all__ = ["STATE_FILE", "apply_oparl_crawl", "crawl_settings", "read_list_state", "write_state_file"]
