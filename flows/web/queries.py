"""What the web pages read from the warehouse: the filter choices and one paper with all it links to.

Every column the pages show is named here (and in ``pipelines.exports.export`` for
the result list), so a schema change is adapted in one module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipelines.exports.export import topic_terms_list
from schemas.views import LIST_COLUMNS

SECTIONS = {
    "sachverhalt": "Sachverhalt",
    "beschlussvorschlag": "Beschlussvorschlag",
    "begruendung": "Begründung",
    "beschluss": "Beschluss",
}


@dataclass
class Facets:
    """The choices of the search form's filters."""

    municipalities: list[tuple[str, str]] = field(default_factory=list)  # (source, name)
    committees: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    results: list[str] = field(default_factory=list)
    papers: int = 0


def facets(con) -> Facets:
    """Return the filter choices: municipalities, deciding committees, topics, results."""
    out = Facets()
    out.municipalities = con.execute(
        """SELECT DISTINCT "source", "municipality" FROM paper_decision ORDER BY 2"""
    ).fetchall()
    out.committees = [r[0] for r in con.execute(
        """SELECT "committee" FROM paper_decision WHERE "committee" IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 400"""
    ).fetchall()]
    out.committees.sort()
    out.topics = [r[0] for r in con.execute('SELECT DISTINCT "topic" FROM paper_topic ORDER BY 1').fetchall()]
    out.results = [r[0] for r in con.execute(
        'SELECT DISTINCT "result" FROM paper_decision WHERE "result" IS NOT NULL ORDER BY 1'
    ).fetchall()]
    out.papers = con.execute("SELECT count(*) FROM paper_decision").fetchone()[0]
    return out


def _dicts(cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def paper_page(con, source: str, system_id: str) -> dict[str, Any] | None:
    """Return one paper with its consultations, votes, signatories, documents and history; None if unknown."""
    papers = _dicts(con.execute(
        f"""SELECT p.*, coalesce(s."name", p."source") AS "municipality", {LIST_COLUMNS['topics']} AS "topicList",
                   {LIST_COLUMNS['topicTerms']} AS "termList", {LIST_COLUMNS['signatories']} AS "signatoryList",
                   cr."startedAt" AS "changedAt", coalesce(cr."baseUrl", s."baseUrl") AS "baseUrl"
            FROM paper p LEFT JOIN source s ON s."source" = p."source"
            LEFT JOIN crawl cr ON cr."crawlId" = p."crawlId"
            WHERE p."source" = ? AND p."systemId" = ?""",
        [source, system_id],
    ))
    if not papers:
        return None
    paper = papers[0]
    paper["sections"] = [(label, paper.get(col)) for col, label in SECTIONS.items() if paper.get(col)]
    paper["topicList"] = topic_terms_list(paper["topicList"])
    paper["termList"] = topic_terms_list(paper["termList"])
    paper["signatoryList"] = list(paper["signatoryList"] or [])
    paper["consultations"] = _dicts(con.execute(
        """SELECT c."position", coalesce(m."date", c."date") AS "date", coalesce(c."organizationName", m."organizationName")
                  AS "committee", c."role", c."authoritative", c."state", coalesce(ai."result", c."result") AS "result",
                  coalesce(ai."resultRaw", c."resultRaw") AS "resultRaw", m."name" AS "meetingName", ai."number",
                  coalesce(m."web", m."url") AS "meetingUrl"
           FROM consultation c
           LEFT JOIN agenda_item ai ON ai."source" = c."source" AND ai."systemId" = c."agendaItem"
           LEFT JOIN meeting m ON m."source" = c."source" AND m."systemId" = coalesce(c."meeting", ai."meeting")
           WHERE c."source" = ? AND c."paper" = ? AND NOT coalesce(c."deleted", false)
           ORDER BY c."position" NULLS LAST, 2 NULLS LAST""",
        [source, system_id],
    ))
    paper["votes"] = _dicts(con.execute(
        """SELECT * FROM resolution WHERE "source" = ? AND "paper" = ? ORDER BY "meetingDate" NULLS LAST, "agendaItem" """,
        [source, system_id],
    ))
    paper["documents"] = _dicts(con.execute(
        """SELECT f."name", f."fileName", f."role", f."mimeType", f."size", f."accessUrl", f."downloadUrl", f."textStatus",
                  f."date"
           FROM file f WHERE f."source" = ? AND f."parentType" = 'Paper' AND f."parent" = ? AND NOT coalesce(f."deleted", false)
           ORDER BY (f."role" = 'mainFile') DESC, f."position" NULLS LAST, f."name" """,
        [source, system_id],
    ))
    paper["history"] = history(con, source, system_id, paper.get("url"))
    return paper


def history(con, source: str, system_id: str, url: str | None) -> dict[str, Any]:
    """Return what the warehouse knows of a paper's past.

    ``changes``: rows of a ``changes`` view where the warehouse has one
    (shown column by column, whatever it holds); ``fetches``: every loaded
    crawl that fetched the paper's page, from the page table.
    """
    out: dict[str, Any] = {"changes": [], "changeColumns": [], "fetches": []}
    views = {r[0] for r in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal UNION ALL SELECT table_name FROM duckdb_tables()"
    ).fetchall()}
    if "changes" in views:
        columns = [r[0] for r in con.execute("DESCRIBE changes").fetchall()]
        key = next((c for c in ("systemId", "system_id", "id") if c in columns), None)
        table = next((c for c in ("table", "tableName", "table_name") if c in columns), None)
        if "source" in columns and key:
            where = f'"source" = ? AND "{key}" = ?' + (f' AND "{table}" = \'paper\'' if table else "")
            # newest first, and the newest 200 (without an order, any 200 in any order)
            when = [f'"{c}" DESC NULLS LAST' for c in ("seenAt", "loadedAt") if c in columns]
            order = f" ORDER BY {', '.join(when)}" if when else ""
            cursor = con.execute(f"SELECT * FROM changes WHERE {where}{order} LIMIT 200", [source, system_id])
            out["changes"] = [list(r) for r in cursor.fetchall()]
            out["changeColumns"] = columns
    if url:
        out["fetches"] = _dicts(con.execute(
            """SELECT pg."fetchedAt", pg."status", pg."crawlId", cr."status" AS "crawlStatus"
               FROM page pg LEFT JOIN crawl cr ON cr."crawlId" = pg."crawlId"
               WHERE pg."url" = ? ORDER BY pg."fetchedAt" DESC LIMIT 50""",
            [url],
        ))
    return out
