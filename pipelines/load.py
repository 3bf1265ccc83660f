"""Load one staged crawl into the DuckDB warehouse, in a single transaction.

* Items of one crawl that share a natural key ``(source, systemId)`` are
  merged field by field (a meeting seen in the calendar and on its own page,
  an agenda item seen on the agenda and on its excerpt page): later non-empty
  values win, empty values never erase.
* Each merged row carries a hash of its content. A row whose hash equals the
  warehouse's is left alone (only ``lastSeen`` moves on), so loading the same
  crawl twice changes nothing; a changed row is updated, with empty staged
  fields keeping what the warehouse knew (a later crawl that did not reach a
  page must not wipe what an earlier one found).
* An older crawl never overwrites what a newer one loaded.
* Pages, parse failures and parse rates of the crawl replace any earlier load
  of the same crawl, so re-loading after a crash mid-load is safe.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import duckdb

from schemas.items import ITEM_TYPES_BY_NAME
from schemas.views import create_views
from schemas.warehouse import BOOKKEEPING_COLUMNS, create_schema, item_columns, q, table_columns
from pipelines.enrich import enrich_loaded_rows
from pipelines.staging import StagingArea, utcnow
from pipelines.sync_state import apply_oparl_crawl

logger = logging.getLogger(__name__)

NON_CONTENT_FIELDS = {"crawledAt"}
DEFAULT_DB = Path("data") / "ratsinfo.duckdb"


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "crawlId": self.crawl_id,
            "source": self.source,
            "pages": self.pages,
            "failures": self.failures,
            "tables": {k: vars(v) for k, v in self.tables.items()},
        }


def connect(db_path: Path = DEFAULT_DB) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse and make sure its schema is current."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path))
    create_schema(con)
    return con


def merge_items(items: Iterable[dict[str, Any]]) -> dict[str, dict[tuple[str, str], dict[str, Any]]]:
    """Return staged items grouped by table and merged per natural key."""
    tables: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
    for item in items:
        item_type = ITEM_TYPES_BY_NAME.get(item.get("type", ""))
        if item_type is None:
            logger.warning("skipping staged object of unknown type %r", item.get("type"))
            continue
        rows = tables.setdefault(item_type.table, {})
        key = (item["source"], str(item["systemId"]))
        row = rows.get(key)
        if row is None:
            rows[key] = {k: v for k, v in item.items() if k != "type"}
            continue
        for name, value in item.items():
            if name == "type" or _is_empty(value):
                continue
            row[name] = value
    return tables


def content_hash(row: dict[str, Any]) -> str:
    content = {k: v for k, v in row.items() if k not in NON_CONTENT_FIELDS and k not in BOOKKEEPING_COLUMNS}
    blob = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def load_crawl(staging: StagingArea, con: duckdb.DuckDBPyConnection) -> LoadReport:
    """Merge one staged crawl into the warehouse and return what changed."""
    manifest = staging.read_manifest()
    if not manifest:
        raise FileNotFoundError(f"no crawl staged at {staging.path}")
    crawl_id = manifest.get("crawlId", staging.crawl_id)
    crawl_time = manifest.get("startedAt") or utcnow().isoformat()
    report = LoadReport(crawl_id=crawl_id, source=manifest.get("source"))
    tables = merge_items(staging.read_items())
    con.execute("BEGIN TRANSACTION")
    try:
        with tempfile.TemporaryDirectory(prefix="ratsinfo-load-") as tmp:
            for table, rows in tables.items():
                item_type = next(t for t in ITEM_TYPES_BY_NAME.values() if t.table == table)
                report.tables[table] = _upsert(con, item_type, rows.values(), crawl_id, crawl_time, Path(tmp))
            report.pages = _replace_crawl_rows(con, "page", crawl_id, _page_rows(staging, crawl_id), Path(tmp))
            report.failures = _replace_crawl_rows(
                con, "parse_failure", crawl_id, _failure_rows(staging, crawl_id, manifest.get("source")), Path(tmp)
            )
        apply_oparl_crawl(con, manifest, tables, crawl_time)  # OParl: list state, deletions, stubs (no-op otherwise)
        _record_crawl(con, manifest, report)
        enrich_loaded_rows(con, crawl_id)
        create_views(con)  # the analysts' views and derived tables (schemas/views.py)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return report


def _upsert(con, item_type, rows: Iterable[dict[str, Any]], crawl_id: str, crawl_time: str, tmp: Path) -> TableCounts:
    columns = table_columns(item_type)
    fields = item_columns(item_type)
    path = tmp / f"{item_type.table}.jsonl"
    counts = TableCounts()
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            out = {name: row.get(name) for name in fields}
            out["contentHash"] = content_hash(out)
            out["crawlId"] = crawl_id
            seen = out.get("crawledAt") or crawl_time
            out["firstSeen"] = seen
            out["lastSeen"] = seen
            fh.write(json.dumps(out, ensure_ascii=False, default=str) + "\n")
            counts.staged += 1
    if not counts.staged:
        return counts
    table = item_type.table
    spec = "{" + ", ".join(f"'{name}': '{sql}'" for name, sql in columns.items()) + "}"
    con.execute("DROP TABLE IF EXISTS stg")
    con.execute(
        f"CREATE TEMP TABLE stg AS SELECT * FROM read_json(?, format='newline_delimited', columns={spec})",
        [str(path)],
    )
    key = '"source", "systemId"'
    counts.inserted = con.execute(
        f"SELECT count(*) FROM stg WHERE ({key}) NOT IN (SELECT ({key}) FROM {table})"
    ).fetchone()[0]
    counts.updated = con.execute(
        f"""SELECT count(*) FROM stg JOIN {table} t USING ("source", "systemId")
            WHERE t."contentHash" IS DISTINCT FROM stg."contentHash"
              AND coalesce(stg."lastSeen" >= t."lastSeen", true)"""
    ).fetchone()[0]
    counts.unchanged = counts.staged - counts.inserted - counts.updated
    content_cols = [c for c in fields if c not in ("source", "systemId")]
    updates = ", ".join(
        [f"{q(c)} = excluded.{q(c)}" if c == "deleted" else f"{q(c)} = coalesce(excluded.{q(c)}, {table}.{q(c)})" for c in content_cols]
        + [
            f'"contentHash" = excluded."contentHash"',
            f'"crawlId" = excluded."crawlId"',
            f'"lastSeen" = greatest(excluded."lastSeen", {table}."lastSeen")',
        ]
    )
    names = ", ".join(q(c) for c in columns)
    con.execute(
        f"""INSERT INTO {table} ({names}) SELECT {names} FROM stg
            ON CONFLICT ("source", "systemId") DO UPDATE SET {updates}
            WHERE {table}."contentHash" IS DISTINCT FROM excluded."contentHash"
              AND coalesce(excluded."lastSeen" >= {table}."lastSeen", true)"""
    )
    # Unchanged rows were still seen by this crawl.
    con.execute(
        f"""UPDATE {table} SET "lastSeen" = stg."lastSeen" FROM stg
            WHERE {table}."source" = stg."source" AND {table}."systemId" = stg."systemId"
              AND stg."lastSeen" > {table}."lastSeen" """
    )
    con.execute("DROP TABLE stg")
    return counts


def _page_rows(staging: StagingArea, crawl_id: str) -> Iterable[dict[str, Any]]:
    for page in staging.read_pages():
        yield {
            "crawlId": crawl_id,
            "url": page.get("url"),
            "fetchedAt": page.get("fetchedAt"),
            "status": page.get("status"),
            "contentType": page.get("contentType"),
            "kind": page.get("kind"),
            "sha256": page.get("sha256"),
            "bytes": page.get("bytes"),
        }


def _failure_rows(staging: StagingArea, crawl_id: str, source: str | None) -> Iterable[dict[str, Any]]:
    for failure in staging.read_failures():
        yield {
            "crawlId": crawl_id,
            "source": source,
            "url": failure.get("url"),
            "kind": failure.get("kind"),
            "status": failure.get("status"),
            "error": failure.get("error"),
            "sha256": failure.get("sha256"),
            "at": failure.get("at"),
        }


def _replace_crawl_rows(con, table: str, crawl_id: str, rows: Iterable[dict[str, Any]], tmp: Path) -> int:
    """Replace a crawl's rows in a bookkeeping table; return how many were written."""
    con.execute(f'DELETE FROM {table} WHERE "crawlId" = ?', [crawl_id])
    path = tmp / f"{table}.jsonl"
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            n += 1
    if n:
        cols = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
        spec = "{" + ", ".join(f"'{c}': '{t}'" for c, t in cols) + "}"
        names = ", ".join(q(c) for c, _ in cols)
        con.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM read_json(?, format='newline_delimited', columns={spec})",
            [str(path)],
        )
    return n


def _record_crawl(con, manifest: dict[str, Any], report: LoadReport) -> None:
    con.execute('DELETE FROM crawl WHERE "crawlId" = ?', [report.crawl_id])
    con.execute(
        """INSERT INTO crawl ("crawlId", "source", "system", "baseUrl", "startedAt", "finishedAt", "status",
               "itemCounts", "requests", "failures", "loadedAt", "loadCounts", "degraded")
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
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
            json.dumps(report.as_dict()["tables"]),
            json.dumps(manifest.get("degraded") or []),
        ],
    )


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}
