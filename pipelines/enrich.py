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
import tempfile
from pathlib import Path
from typing import Any

from pipelines.normalise.references import find_paper_references, reference_keys
from pipelines.normalise.signatories import find_signatories
from pipelines.normalise.topics import load_taxonomy, match_topic
from schemas.warehouse import REFERENCE_TYPE, SIGNATORY_TYPE

SECTION_COLUMNS = ("sachverhalt", "beschlussvorschlag", "begruendung", "beschluss")


def enrich_loaded_rows(con, crawl_id: str) -> int:
    """Derive agenda nesting, signatories, topics and references for what a crawl touched; return the papers done."""
    link_nested_agenda_items(con, crawl_id)
    papers = con.execute(
        f"""SELECT p."source", p."systemId", p."name", {", ".join(f'p."{c}"' for c in SECTION_COLUMNS)}, p."otherText"
            FROM paper p
            WHERE p."crawlId" = ?
               OR EXISTS (SELECT 1 FROM file f WHERE f."crawlId" = ? AND f."source" = p."source"
                          AND f."parentType" = 'Paper' AND f."parent" = p."systemId")""",
        [crawl_id, crawl_id],
    ).fetchall()
    if not papers:
        return 0
    sources = sorted({row[0] for row in papers})
    files = _file_texts(con, sources)
    index = _reference_index(con, sources)
    taxonomy = load_taxonomy()
    rows = []
    for source, system_id, name, *sections, other in papers:
        section_texts = [t for t in sections if t]
        if other:  # MAP(VARCHAR, VARCHAR): label → text
            section_texts += [str(v) for v in other.values() if v]
        documents = files.get((source, system_id), [])
        main_texts = [text for role, text in documents if role == "mainFile"]
        signatories = []
        for text in main_texts + section_texts:
            signatories = find_signatories(text)
            if signatories:
                break
        all_texts = section_texts + [text for _, text in documents]
        match = match_topic(taxonomy, title=name or "", texts=all_texts)
        references = _references(all_texts, source, system_id, index)
        rows.append(
            {
                "source": source,
                "systemId": system_id,
                "signatories": [dataclasses.asdict(s) for s in signatories] or None,
                "topics": [match.topic] if match.matched else None,
                "topicTerms": list(match.terms) or None,
                "references": references or None,
            }
        )
    _write_back(con, rows)
    return len(rows)


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


def _file_texts(con, sources: list[str]) -> dict[tuple[str, str], list[tuple[str, str]]]:
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    result = con.execute(
        """SELECT "source", "parent", "role", "text" FROM file
           WHERE "parentType" = 'Paper' AND "text" IS NOT NULL AND "source" IN (SELECT unnest(?))
           ORDER BY "position" NULLS LAST, "systemId" """,
        [sources],
    ).fetchall()
    for source, parent, role, text in result:
        out.setdefault((source, parent), []).append((role or "", text))
    return out


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


def _write_back(con, rows: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory(prefix="ratsinfo-enrich-") as tmp:
        path = Path(tmp) / "enrich.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        con.execute(
            f"""CREATE TEMP TABLE enrich AS SELECT * FROM read_json(?, format='newline_delimited',
               columns={{'source': 'VARCHAR', 'systemId': 'VARCHAR', 'signatories': '{SIGNATORY_TYPE}',
                        'topics': 'VARCHAR[]', 'topicTerms': 'VARCHAR[]', 'references': '{REFERENCE_TYPE}'}})""",
            [str(path)],
        )
        con.execute(
            """UPDATE paper SET "signatories" = e."signatories", "topics" = e."topics",
                   "topicTerms" = e."topicTerms", "references" = e."references"
               FROM enrich e WHERE paper."source" = e."source" AND paper."systemId" = e."systemId" """
        )
        con.execute("DROP TABLE enrich")
