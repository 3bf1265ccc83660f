"""Views for the common questions, over the warehouse tables (``create_views``).

* ``resolution``      one row per decided agenda item, with its votes, its
  paper and its meeting: an item with a result (the vote normaliser gives
  every result text one, "unknown" at worst, except "(offen)" and the like,
  which say that nothing was decided yet) or with a decision text;
* ``paper_decision``  one row per paper with the agenda item that decided it
  (the one with a result, preferring the authoritative consultation, then
  the latest meeting), as the journalists' export and the web page show it;
* ``paper_topic``     papers unnested by topic, with the terms that fired;
* ``signatory``       papers' signatories unnested, one row per signature.

``resolution`` and ``paper_decision`` are tables derived at the end of every
load (``create_views``), like the search index: joining and ranking every
paper's treatments again on each web page or feed would be too slow. A load
rebuilds only the rows of the sources it touched (every row of both is one
source's: each join stays within a source); all of them when the queries
below changed (their fingerprint is kept in table ``derivation``) or when no
sources are named. A warehouse loaded before they existed gets them as
temporary views of the same query (``ensure_views``), so every reader sees the
same columns.

List columns (``topics``, ``topicTerms``, ``signatories``) are read through
the casts in ``LIST_COLUMNS``: they accept the JSON text stored today and a
typed DuckDB list alike, so the views need no change when the columns become
typed lists.
"""

from __future__ import annotations

import hashlib
from typing import Iterable

from schemas.warehouse import record_fingerprint, stored_fingerprint

# How each view reads a list column (JSON text or typed list; the cast is a no-op on the latter).
LIST_COLUMNS = {
    "topics": 'CAST(p."topics" AS VARCHAR[])',
    "topicTerms": 'CAST(p."topicTerms" AS VARCHAR[])',
    "signatories": 'CAST(p."signatories" AS STRUCT("order" BIGINT, "name" VARCHAR, "role" VARCHAR, '
    '"representation" VARCHAR)[])',
}

VIEWS: dict[str, str] = {
    "resolution": """
SELECT ai."source", ai."systemId" AS "agendaItem", ai."meeting", m."date" AS "meetingDate",
       coalesce(m."organizationName", c."organizationName") AS "committee", m."organization" AS "committeeId",
       m."name" AS "meetingName", ai."number", ai."name" AS "agendaItemName", ai."public",
       coalesce(ai."paper", c."paper") AS "paper", p."reference" AS "paperReference", p."name" AS "paperName",
       p."paperType", ai."result", ai."resultRaw", ai."unanimous", ai."votesYes", ai."votesNo", ai."votesAbstain",
       ai."votesBiased", ai."voteRaw", coalesce(ai."resolutionText", p."beschluss") AS "resolutionText",
       ai."firstSeen", ai."lastSeen", ai."crawlId"
FROM agenda_item ai
LEFT JOIN consultation c ON c."source" = ai."source" AND c."systemId" = ai."consultation"
LEFT JOIN meeting m ON m."source" = ai."source" AND m."systemId" = ai."meeting"
LEFT JOIN paper p ON p."source" = ai."source" AND p."systemId" = coalesce(ai."paper", c."paper")
WHERE NOT coalesce(ai."deleted", false)
  AND (ai."result" IS NOT NULL OR ai."resolutionText" IS NOT NULL)
""",
    "paper_decision": """
WITH treatments AS (
    SELECT c."source", c."paper", c."agendaItem" AS agenda_item, c."authoritative", c."organizationName" AS c_org,
           c."date" AS c_date, c."result" AS c_result, c."resultRaw" AS c_result_raw
    FROM consultation c WHERE c."paper" IS NOT NULL AND NOT coalesce(c."deleted", false)
    UNION ALL
    SELECT ai."source", ai."paper", ai."systemId", NULL, NULL, NULL, NULL, NULL
    FROM agenda_item ai WHERE ai."paper" IS NOT NULL AND NOT coalesce(ai."deleted", false)
),
ranked AS (
    -- The result the Beratungsfolge prints counts where the agenda item is not in the warehouse (not crawled).
    SELECT t.*, coalesce(ai."result", t.c_result) AS "result", coalesce(ai."resultRaw", t.c_result_raw) AS "resultRaw",
           ai."unanimous", ai."votesYes", ai."votesNo", ai."votesAbstain",
           ai."votesBiased", ai."resolutionText", m."date" AS m_date, m."organizationName" AS m_org,
           row_number() OVER (
               PARTITION BY t."source", t."paper"
               ORDER BY (coalesce(ai."result", t.c_result) IS NOT NULL) DESC, coalesce(t."authoritative", false) DESC,
                        coalesce(m."date", t.c_date) DESC NULLS LAST, t.agenda_item
           ) AS rank
    FROM treatments t
    LEFT JOIN agenda_item ai ON ai."source" = t."source" AND ai."systemId" = t.agenda_item
    LEFT JOIN meeting m ON m."source" = ai."source" AND m."systemId" = ai."meeting"
)
SELECT p."source", p."systemId" AS "paper", p."system", coalesce(s."name", p."source") AS "municipality",
       coalesce(r.m_date, r.c_date, p."date") AS "date", coalesce(r.m_org, r.c_org) AS "committee",
       p."reference", p."name" AS "title", p."paperType",
       coalesce(p."leadOfficeName", p."leadOfficeRaw") AS "leadOffice", p."leadOfficeCode",
       r.agenda_item AS "agendaItem", r."result", r."resultRaw", r."unanimous", r."votesYes", r."votesNo",
       r."votesAbstain", r."votesBiased", coalesce(r."resolutionText", p."beschluss") AS "resolutionText",
       p."topics", p."topicTerms", coalesce(p."web", p."url") AS "url", p."url" AS "objectUrl",
       coalesce(cr."baseUrl", s."baseUrl") AS "baseUrl", p."firstSeen", p."lastSeen", p."crawlId"
FROM paper p
LEFT JOIN ranked r ON r."source" = p."source" AND r."paper" = p."systemId" AND r.rank = 1
LEFT JOIN source s ON s."source" = p."source"
LEFT JOIN crawl cr ON cr."crawlId" = p."crawlId"
WHERE NOT coalesce(p."deleted", false) AND NOT coalesce(p."isStub", false)
""",
    "paper_topic": f"""
SELECT p."source", p."systemId" AS "paper", p."reference", p."name" AS "title", p."paperType", p."date",
       t."topic", {LIST_COLUMNS["topicTerms"]} AS "topicTerms"
FROM paper p, unnest({LIST_COLUMNS["topics"]}) AS t("topic")
WHERE NOT coalesce(p."deleted", false) AND NOT coalesce(p."isStub", false)
""",
    "signatory": f"""
SELECT p."source", p."systemId" AS "paper", p."reference", s."order", s."name", s."role", s."representation"
FROM paper p, unnest({LIST_COLUMNS["signatories"]}) AS u(s)
WHERE NOT coalesce(p."deleted", false)
""",
}


# Derived at each load rather than computed per query (see the module's docstring).
MATERIALISED = ("paper_decision", "resolution")

# What each one holds, stored with COMMENT ON so `duckdb_views()` / `duckdb_tables()` describe them.
DESCRIPTIONS = {
    "resolution": "One row per decided agenda item: result, votes, decision text, its paper and meeting "
                  "(derived at each load).",
    "paper_decision": "One row per paper with the agenda item that decided it, as the export and the web page "
                      "show it (derived at each load).",
    "paper_topic": "Papers unnested by topic, with the terms that fired.",
    "signatory": "Signatures of papers, one row each (order, name, role, representation).",
}


def views_fingerprint() -> str:
    """Return the SHA-256 of the derived tables' queries: another one means rebuilding them whole."""
    return hashlib.sha256("\0".join(VIEWS[name] for name in MATERIALISED).encode()).hexdigest()


def create_views(con, sources: Iterable[str] | None = None) -> list[str]:
    """Create or replace every view and rebuild the derived tables (idempotent); return their names.

    With ``sources``, the derived tables are rebuilt for those sources only, when they exist and were built
    by today's queries (table ``derivation``, name ``views``); otherwise whole.
    """
    views = {row[0] for row in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()}
    fingerprint = views_fingerprint()
    stored = stored_fingerprint(con, "views") if "derivation" in tables else None
    whole = sources is None or stored != fingerprint or not set(MATERIALISED) <= tables
    touched = sorted(set(sources or ()))
    for name, sql in VIEWS.items():
        if name in MATERIALISED:
            if name in views:
                con.execute(f"DROP VIEW {name}")
            if whole:
                con.execute(f"CREATE OR REPLACE TABLE {name} AS {sql}")
            elif touched:
                con.execute(f'DELETE FROM {name} WHERE "source" IN (SELECT unnest(CAST(? AS VARCHAR[])))', [touched])
                con.execute(
                    f'INSERT INTO {name} SELECT * FROM ({sql}) WHERE "source" IN (SELECT unnest(CAST(? AS VARCHAR[])))',
                    [touched],
                )
        else:
            con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")
        kind = "TABLE" if name in MATERIALISED else "VIEW"
        con.execute(f"COMMENT ON {kind} {name} IS '{DESCRIPTIONS[name]}'")
    if whole and "derivation" in tables:
        record_fingerprint(con, "views", fingerprint)
    return list(VIEWS)


def ensure_views(con) -> None:
    """Create, for this connection only, the views a warehouse loaded before they existed lacks (read-only safe)."""
    existing = {row[0] for row in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal UNION ALL SELECT table_name FROM duckdb_tables()"
    ).fetchall()}
    for name, sql in VIEWS.items():
        if name not in existing:
            con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")
