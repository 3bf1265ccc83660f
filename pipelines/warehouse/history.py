"""Every change of a warehouse row, kept in ``history``, and what changed since a date.

One ``history`` row per change of an item row, with the crawl that saw it:

* ``new``        the object was seen for the first time;
* ``changed``    fields got other values (``fields``: name, JSON before and
  after; ``after`` NULL means the source cleared the field);
* ``deleted`` / ``restored``  the source marked the object deleted (an OParl
  tombstone, a complete list that no longer has it, a re-read parent that no
  longer embeds it) or brought it back;
* ``vanished``   a finished crawl re-read a page that used to show the object
  and met the object nowhere; ``reappeared`` when a later crawl sees it again.

The current row plus the ``before`` values of its history give every earlier
version. The view ``changes`` (``schemas.warehouse``) lists it for people:
changed and cleared field names per entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from schemas.items import ITEM_TYPES
from schemas.warehouse import ITEM_TABLES, content_hash_sql


def record_changes(con, table: str, crawl_id: str) -> tuple[int, int]:
    """Write history rows for the load's temp table ``eff`` of ``table``; return (new rows, changed rows).

    ``eff`` holds one row per staged object: ``e_new``, ``e_diff`` (the
    changed fields), ``o:deleted`` / ``deleted`` and ``o:vanishedAt``.
    """
    con.execute(
        f"""INSERT INTO history
            SELECT '{table}', "source", "systemId",
                   CASE WHEN e_new THEN 'new'
                        WHEN "deleted" AND NOT coalesce("o:deleted", false) THEN 'deleted'
                        WHEN NOT coalesce("deleted", false) AND "o:deleted" THEN 'restored'
                        ELSE 'changed' END,
                   CASE WHEN e_new THEN NULL ELSE e_diff END,
                   ?, "lastSeen", current_timestamp
            FROM eff WHERE e_new OR len(e_diff) > 0
            UNION ALL
            SELECT '{table}', "source", "systemId", 'reappeared', NULL, ?, "lastSeen", current_timestamp
            FROM eff WHERE "o:vanishedAt" IS NOT NULL""",
        [crawl_id, crawl_id],
    )
    new, changed = con.execute(
        "SELECT count(*) FILTER (WHERE e_new), count(*) FILTER (WHERE NOT e_new AND len(e_diff) > 0) FROM eff"
    ).fetchone()
    return int(new), int(changed)


def record_sync_deletions(con, source: str, crawl_id: str, seen_at: str) -> int:
    """Write history for rows ``pipelines.warehouse.sync_state`` just marked deleted (it clears their hash); return how many."""
    total = 0
    for item_type in ITEM_TYPES:
        table = item_type.table
        where = f"""FROM {table} WHERE "source" = ? AND "deleted" AND "contentHash" IS NULL"""
        n = con.execute(f"SELECT count(*) {where}", [source]).fetchone()[0]
        if not n:
            continue
        con.execute(
            f"""INSERT INTO history
                SELECT '{table}', "source", "systemId", 'deleted',
                       [{{'field': 'deleted', 'before': to_json(false), 'after': to_json(true)}}],
                       ?, CAST(? AS TIMESTAMPTZ), current_timestamp {where}""",
            [crawl_id, seen_at, source],
        )
        con.execute(
            f"""UPDATE {table} SET "contentHash" = {content_hash_sql(item_type)}
                WHERE "source" = ? AND "deleted" AND "contentHash" IS NULL""",
            [source],
        )
        total += n
    return total


def list_changes(
    con, since: dt.date | dt.datetime, table: str | None = None, source: str | None = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Return the entries of the view ``changes`` seen since ``since``, newest first."""
    if table is not None and table not in ITEM_TABLES:
        raise ValueError(f"no item table {table!r}; one of {', '.join(ITEM_TABLES)}")
    result = con.execute(
        f"""SELECT "seenAt", "table", "source", "systemId", "kind", "changedFields", "clearedFields", "crawlId"
            FROM changes
            WHERE "seenAt" >= CAST(? AS TIMESTAMPTZ) AND (? IS NULL OR "table" = ?) AND (? IS NULL OR "source" = ?)
            ORDER BY "seenAt" DESC, "table", "source", "systemId"
            {'LIMIT ' + str(int(limit)) if limit else ''}""",
        [since.isoformat(), table, table, source, source],
    )
    names = [d[0] for d in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]
