"""What the warehouse derives from a paper's texts once they are all loaded.

A paper's texts arrive from several pages (the paper page, its main
document, its attachments), so the findings that need all of them run after
the load, inside the same transaction:

* ``signatories``  from the main document's text, else from the inline sections;
* ``topics`` / ``topicTerms``  the topic taxonomy on title, sections and document texts;
* ``references``   mentions of other papers, linked to the paper when it is in the warehouse;
* ``agenda_item.parent`` for sub-items whose page did not say ("Ö 2.1" under "Ö 2").

These columns are derived: they are not part of a row's content hash, and
recomputing them gives the same values, so re-loading stays idempotent.
"""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from pipelines.normalise.references import find_paper_references, reference_keys
from pipelines.normalise.signatories import find_signatories
from pipelines.normalise.topics import load_taxonomy, match_topic, normalise_text
from schemas.warehouse import REFERENCE_TYPE, SIGNATORY_TYPE

SECTION_COLUMNS = ("sachverhalt", "beschlussvorschlag", "begruendung", "beschluss")


BATCH = 500  # papers held in Python at a time


def enrich_loaded_rows(con, crawl_id: str) -> int:
    """Derive agenda nesting, signatories, topics and references for what a crawl touched; return the papers done."""
    link_nested_agenda_items(con, crawl_id)
    # The papers the crawl changed, or whose documents it changed, each with its document texts; streamed.
    con.execute(
        """CREATE OR REPLACE TEMP TABLE enrich_papers AS
           SELECT p."source", p."systemId" FROM paper p WHERE p."crawlId" = $crawl
           UNION
           SELECT f."source", f."parent" FROM file f
           WHERE f."crawlId" = $crawl AND f."parentType" = 'Paper' AND f."parent" IS NOT NULL""",
        {"crawl": crawl_id},
    )
    sources = [row[0] for row in con.execute('SELECT DISTINCT "source" FROM enrich_papers ORDER BY 1').fetchall()]
    if not sources:
        return 0
    index = _reference_index(con, sources)
    taxonomy = load_taxonomy()
    any_term = _any_term_pattern(taxonomy)
    # Streamed in batches (no other statement runs on con until the result is read out; a cursor would
    # be another connection, outside the load's transaction).
    papers = con.execute(
        f"""SELECT p."source", p."systemId", p."name", {", ".join(f'p."{c}"' for c in SECTION_COLUMNS)}, p."otherText",
                   (SELECT list({{'role': coalesce(f."role", ''), 'text': f."text"}}
                                ORDER BY f."position" NULLS LAST, f."systemId")
                    FROM file f WHERE f."source" = p."source" AND f."parentType" = 'Paper'
                      AND f."parent" = p."systemId" AND f."text" IS NOT NULL) AS documents
            FROM paper p SEMI JOIN enrich_papers e ON e."source" = p."source" AND e."systemId" = p."systemId" """
    )
    done = 0
    with tempfile.TemporaryDirectory(prefix="ratsinfo-enrich-") as tmp:
        path = Path(tmp) / "enrich.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            while batch := papers.fetchmany(BATCH):
                for source, system_id, name, *sections, other, documents in batch:
                    row = _derive(taxonomy, any_term, index, source, system_id, name, sections, other, documents or [])
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                    done += 1
        if done:
            _write_back(con, path)
    con.execute("DROP TABLE enrich_papers")
    return done


def _derive(taxonomy, any_term, index, source, system_id, name, sections, other, documents) -> dict[str, Any]:
    """Return the derived columns of one paper."""
    section_texts = [t for t in sections if t]
    if other:  # MAP(VARCHAR, VARCHAR): label → text
        section_texts += [str(v) for v in other.values() if v]
    main_texts = [d["text"] for d in documents if d["role"] == "mainFile"]
    signatories = []
    for text in main_texts + section_texts:
        signatories = find_signatories(text)
        if signatories:
            break
    all_texts = section_texts + [d["text"] for d in documents]
    if any_term is not None and not _has_any_term(any_term, [name or "", *all_texts]):
        match = None  # no term anywhere: match_topic would find nothing either (it only counts term hits)
    else:
        match = match_topic(taxonomy, title=name or "", texts=all_texts)
    references = _references(all_texts, source, system_id, index)
    return {
        "source": source,
        "systemId": system_id,
        "signatories": [dataclasses.asdict(s) for s in signatories] or None,
        "topics": [match.topic] if match and match.matched else None,
        "topicTerms": list(match.terms) or None if match else None,
        "references": references or None,
    }


def _any_term_pattern(taxonomy) -> list[re.Pattern] | None:
    """Return case-sensitive patterns that find a superset of the taxonomy's terms in lower-cased text.

    Python's re is several times slower with IGNORECASE; lower-casing the text once and the
    patterns' letters (not their escapes: ``\\W`` stays) keeps every hit. A quick pre-check
    only: a paper with a hit still goes through ``match_topic``. None if a pattern does not convert.
    """
    def lower(source: str) -> str:
        return re.sub(r"\\.|[^\\]+", lambda m: m.group(0) if m.group(0).startswith("\\") else m.group(0).lower(), source)

    try:
        return [re.compile(lower(term.pattern.pattern)) for term in taxonomy.terms]
    except re.error:
        return None


def _has_any_term(patterns: list[re.Pattern], texts: list[str]) -> bool:
    lowered = [normalise_text(t).lower() for t in texts if t]
    return any(p.search(t) for t in lowered for p in patterns)


def link_nested_agenda_items(con, crawl_id: str) -> None:
    """Point sub-items ("Ö 2.1", "10.1") to the item numbered without the last part, where the page gave no parent."""
    con.execute(
        """UPDATE agenda_item SET "parent" = p."systemId"
           FROM agenda_item p
           WHERE agenda_item."crawlId" = ? AND agenda_item."parent" IS NULL
             AND regexp_matches(agenda_item."number", '\\.[^.\\s]+$')
             AND p."source" = agenda_item."source" AND p."meeting" = agenda_item."meeting"
             AND p."systemId" <> agenda_item."systemId"
             AND p."number" = regexp_replace(agenda_item."number", '\\.[^.\\s]+$', '')""",
        [crawl_id],
    )


def _reference_index(con, sources: list[str]) -> dict[tuple[str, str], str]:
    index: dict[tuple[str, str], str] = {}
    for source, system_id, reference in con.execute(
        """SELECT "source", "systemId", "reference" FROM paper
           WHERE "reference" IS NOT NULL AND "source" IN (SELECT unnest(?))""",
        [sources],
    ).fetchall():
        for key in reference_keys(reference):
            index.setdefault((source, key), system_id)
    return index


def _references(texts: list[str], source: str, own_id: str, index: dict[tuple[str, str], str]) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for text in texts:
        for ref in find_paper_references(text):
            if ref.reference in found:
                continue
            target = next((index[(source, k)] for k in reference_keys(ref.reference) if (source, k) in index), None)
            if target == own_id:
                continue
            found[ref.reference] = {"raw": ref.raw, "reference": ref.reference, "paper": target}
    return list(found.values())


def _write_back(con, path: Path) -> None:
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE enrich AS SELECT * FROM read_json(?, format='newline_delimited',
           columns={{'source': 'VARCHAR', 'systemId': 'VARCHAR', 'signatories': '{SIGNATORY_TYPE}',
                    'topics': 'VARCHAR[]', 'topicTerms': 'VARCHAR[]', 'references': '{REFERENCE_TYPE}'}})""",
        [str(path)],
    )
    con.execute(
        """UPDATE paper SET "signatories" = e."signatories", "topics" = e."topics",
               "topicTerms" = e."topicTerms", "references" = e."references"
           FROM enrich e WHERE paper."source" = e."source" AND paper."systemId" = e."systemId"
             AND (paper."signatories", paper."topics", paper."topicTerms", paper."references")
                 IS DISTINCT FROM (e."signatories", e."topics", e."topicTerms", e."references")"""
    )
    con.execute("DROP TABLE enrich")
