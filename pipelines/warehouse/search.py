"""Full-text search over papers and their documents (DuckDB's fts extension, offline).

``search_document`` holds one row per paper: its title, its text sections and
the text extracted from its documents; ``rebuild_search_index`` refreshes it
and the BM25 index (German stemmer) after loads. The extension comes from the
``duckdb-extension-fts`` wheel, so nothing is downloaded at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

SEARCH_TABLE = "search_document"


def load_fts(con) -> None:
    """Install and load the fts extension shipped in the duckdb-extension-fts wheel."""
    import duckdb_extension_fts

    path = next(Path(duckdb_extension_fts.__file__).parent.glob("extensions/*/fts.duckdb_extension"))
    con.execute(f"INSTALL '{path}'")
    con.execute("LOAD fts")


def rebuild_search_index(con) -> int:
    """Rebuild the search documents and their BM25 index; return how many papers are indexed."""
    load_fts(con)
    con.execute(
        f"""CREATE OR REPLACE TABLE {SEARCH_TABLE} AS
        SELECT p."source" || ':' || p."systemId" AS "docId", p."source", p."systemId", p."reference",
               p."name" AS "title",
               concat_ws(chr(10), p."sachverhalt", p."beschlussvorschlag", p."begruendung", p."beschluss",
                         CAST(p."otherText" AS VARCHAR), f.texts) AS "body"
        FROM paper p
        LEFT JOIN (SELECT "source", "parent", string_agg("text", chr(10)) AS texts FROM file
                   WHERE "parentType" = 'Paper' AND "text" IS NOT NULL GROUP BY ALL) f
               ON f."source" = p."source" AND f."parent" = p."systemId"
        WHERE NOT p."deleted" AND NOT coalesce(p."isStub", false) """
    )
    con.execute(f"COMMENT ON TABLE {SEARCH_TABLE} IS 'Full-text search documents: one row per live paper (title, sections, document texts); BM25 index fts_main_{SEARCH_TABLE}.'")
    count = con.execute(f"SELECT count(*) FROM {SEARCH_TABLE}").fetchone()[0]
    if count:
        con.execute(
            f"PRAGMA create_fts_index('{SEARCH_TABLE}', 'docId', 'title', 'body', stemmer = 'german', overwrite = 1)"
        )
    return count


class SearchIndexMissing(LookupError):
    """The warehouse has no search index yet (a read-only connection cannot build one)."""


@dataclass(frozen=True)
class Hit:
    id: str
    reference: str | None
    title: str | None
    score: float


def search(con, query: str, limit: int = 20, source: str | None = None) -> list[Hit]:
    """Return the papers that best match ``query`` (BM25 on title, sections and document texts)."""
    load_fts(con)
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [SEARCH_TABLE]
    ).fetchone()[0]
    if not exists:
        try:
            rebuild_search_index(con)
        except duckdb.InvalidInputException as exc:  # read-only: the loader builds the index
            raise SearchIndexMissing("the warehouse has no search index yet; run `ratsinfo load` once") from exc
    rows = con.execute(
        f"""SELECT "docId", "reference", "title", score FROM (
                SELECT *, fts_main_{SEARCH_TABLE}.match_bm25("docId", ?, conjunctive := 1) AS score FROM {SEARCH_TABLE}
            ) WHERE score IS NOT NULL AND (? IS NULL OR "source" = ?)
            ORDER BY score DESC LIMIT ?""",
        [query.lower(), source, source, limit],  # the index holds lower-case terms; the query is not folded
    ).fetchall()
    return [Hit(*row) for row in rows]
