"""What the warehouse derives from a paper's texts once they are all loaded.

A paper's texts arrive from several pages (the paper page, its main
document, its attachments), so the findings that need all of them run after
the load, inside the same transaction:

* ``signatories``  from the main document's text, else from the inline sections;
* ``topics`` / ``topicTerms``  the topic taxonomy on title, sections and document texts, told the
  committees the paper passes (its consultations' organizations): their names printed in the texts
  are not evidence, a committee for the topic itself is (``match_topic``'s ``bodies``);
* ``references``   mentions of other papers, linked to the paper when it is in the warehouse;
* ``agenda_item.parent`` for sub-items whose page did not say ("Ö 2.1" under "Ö 2").

These columns are derived: they are not part of a row's content hash, and
recomputing them gives the same values, so re-loading stays idempotent.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from pipelines.normalise.references import find_paper_references, reference_keys
from pipelines.normalise.signatories import find_signatories
from pipelines.normalise.topics import load_taxonomy, match_topic, normalise_text
from schemas.warehouse import REFERENCE_TYPE, SIGNATORY_TYPE, q, record_fingerprint, stored_fingerprint

SECTION_COLUMNS = ("sachverhalt", "beschlussvorschlag", "begruendung", "beschluss")


BATCH = 500  # papers held in Python at a time

# Raise when what _derive computes changes (not for a taxonomy edit: the file's bytes are in the fingerprint).
DERIVATION_VERSION = "2"  # 2: the committees a paper passes go to the topic matcher


def derivation_fingerprint(taxonomy_path: str | Path) -> str:
    """Return what the derived columns depend on besides the paper: the taxonomy file and this code's version."""
    digest = hashlib.sha256(Path(taxonomy_path).read_bytes())
    digest.update(DERIVATION_VERSION.encode())
    return digest.hexdigest()


def enrich_loaded_rows(con, crawl_id: str) -> int:
    """Derive agenda nesting, signatories, topics and references for what a load changed; return the papers done.

    The papers are those the load inserted or changed, and those whose documents it inserted or changed: the
    load's temp table ``load_changed`` (``table``, ``source``, ``systemId``) names them. Loading a crawl again
    changes nothing, so it derives nothing again, unless the taxonomy (or the derivation code) changed since
    the warehouse was last derived (table ``derivation``): then every paper of the warehouse is derived again.
    """
    link_nested_agenda_items(con, crawl_id)
    taxonomy = load_taxonomy()
    fingerprint = derivation_fingerprint(taxonomy.source)
    every_paper = stored_fingerprint(con, "paper") != fingerprint
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE enrich_papers AS
           SELECT "source", "systemId" FROM load_changed WHERE "table" = 'paper'
           UNION
           SELECT f."source", f."parent" FROM file f
           SEMI JOIN load_changed c ON c."table" = 'file' AND c."source" = f."source" AND c."systemId" = f."systemId"
           WHERE f."parentType" = 'Paper' AND f."parent" IS NOT NULL
           UNION
           SELECT c."source", c."paper" FROM consultation c
           SEMI JOIN load_changed l ON l."table" = 'consultation' AND l."source" = c."source" AND l."systemId" = c."systemId"
           WHERE c."paper" IS NOT NULL
           {'UNION SELECT "source", "systemId" FROM paper' if every_paper else ''}"""
    )
    if every_paper:
        record_fingerprint(con, "paper", fingerprint)
    sources = [row[0] for row in con.execute('SELECT DISTINCT "source" FROM enrich_papers ORDER BY 1').fetchall()]
    if not sources:
        con.execute("DROP TABLE enrich_papers")
        return 0
    prefilter = _term_prefilter(taxonomy)
    # Each paper's document texts, gathered once for all the papers (not a subquery per paper).
    con.execute(
        """CREATE OR REPLACE TEMP TABLE enrich_documents AS
           SELECT f."source", f."parent",
                  list({'role': coalesce(f."role", ''), 'text': f."text"} ORDER BY f."position" NULLS LAST, f."systemId")
                      AS documents
           FROM file f SEMI JOIN enrich_papers e ON e."source" = f."source" AND e."systemId" = f."parent"
           WHERE f."parentType" = 'Paper' AND f."text" IS NOT NULL
           GROUP BY ALL"""
    )
    texts = " OR ".join(
        [*(f"coalesce({q(c)}, '') <> ''" for c in SECTION_COLUMNS),
         "list_bool_or([coalesce(v, '') <> '' FOR v IN map_values(\"otherText\")])",
         "list_bool_or([coalesce(d.text, '') <> '' FOR d IN documents])"]
    )
    every_text = (
        f"concat_ws({_TEXT_SEPARATOR}, \"name\", {', '.join(q(c) for c in SECTION_COLUMNS)}, "
        f"array_to_string(map_values(\"otherText\"), {_TEXT_SEPARATOR}), "
        f"array_to_string([d.text FOR d IN documents], {_TEXT_SEPARATOR}))"
    )
    # The texts joined once, in the inner query: spelled into each of the pre-check's regular expressions,
    # the join ran once per expression (0.1 s of a Karlsruhe load).
    hit = "NULL" if prefilter is None else prefilter.sql("every_text")
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE enrich_input AS
            SELECT * EXCLUDE (every_text), coalesce({texts}, false) AS has_text, {hit} AS hit FROM (
                SELECT p."source", p."systemId", p."name", {", ".join(f'p."{c}"' for c in SECTION_COLUMNS)},
                       p."otherText", d.documents, {every_text} AS every_text
                FROM paper p SEMI JOIN enrich_papers e ON e."source" = p."source" AND e."systemId" = p."systemId"
                LEFT JOIN enrich_documents d ON d."source" = p."source" AND d."parent" = p."systemId")"""
    )
    con.execute("DROP TABLE enrich_documents")
    # A paper without any text and without a possible term in its title derives nothing: done in SQL.
    con.execute(
        """UPDATE paper SET "signatories" = NULL, "topics" = NULL, "topicTerms" = NULL, "references" = NULL
           FROM enrich_input e WHERE paper."source" = e."source" AND paper."systemId" = e."systemId"
             AND NOT e.has_text AND e.hit IS NOT DISTINCT FROM false
             AND ("signatories" IS NOT NULL OR "topics" IS NOT NULL OR "topicTerms" IS NOT NULL OR "references" IS NOT NULL)"""
    )
    # The committees each paper the matcher reads passes.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE enrich_bodies AS "
        + committees_passed_sql("""(SELECT "source", "systemId" FROM enrich_input WHERE has_text OR hit IS DISTINCT FROM false)""")
    )
    considered, with_text = con.execute("SELECT count(*), count(*) FILTER (WHERE has_text) FROM enrich_input").fetchone()
    index = _reference_index(con, sources) if with_text else {}  # references come from texts only
    any_term = _any_term_pattern(taxonomy)
    # Streamed in batches (no other statement runs on con until the result is read out; a cursor would
    # be another connection, outside the load's transaction).
    papers = con.execute(
        f"""SELECT e."source", e."systemId", "name", {", ".join(q(c) for c in SECTION_COLUMNS)}, "otherText", documents,
                   b.bodies, hit
            FROM enrich_input e LEFT JOIN enrich_bodies b ON b."source" = e."source" AND b."paper" = e."systemId"
            WHERE has_text OR hit IS DISTINCT FROM false"""
    )
    derived = 0
    with tempfile.TemporaryDirectory(prefix="ratsinfo-enrich-") as tmp:
        path = Path(tmp) / "enrich.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            while batch := papers.fetchmany(BATCH):
                for source, system_id, name, *sections, other, documents, bodies, hit in batch:
                    row = _derive(taxonomy, any_term, index, source, system_id, name, sections, other, documents or [], hit,
                                  bodies=bodies or ())
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                    derived += 1
        if derived:
            _write_back(con, path)
    con.execute("DROP TABLE enrich_bodies")
    con.execute("DROP TABLE enrich_input")
    con.execute("DROP TABLE enrich_papers")
    return int(considered)


def _derive(taxonomy, any_term, index, source, system_id, name, sections, other, documents, hit=None, *,
            bodies=()) -> dict[str, Any]:
    """Return the derived columns of one paper (``hit``: whether the SQL pre-check found a possible term, None: not run;
    ``bodies``: the names of the committees it passes).

    The pre-checks stay sound with ``bodies``: a committee counts as a weak term at most, so a match still
    needs a term in the title or a text.
    """
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
    if hit is False or (hit is None and any_term is not None and not _has_any_term(any_term, [name or "", *all_texts])):
        match = None  # no term anywhere: match_topic would find nothing either (it only counts term hits)
    else:
        match = match_topic(taxonomy, title=name or "", texts=all_texts, bodies=bodies)
    references = _references(all_texts, source, system_id, index)
    return {
        "source": source,
        "systemId": system_id,
        "signatories": [dataclasses.asdict(s) for s in signatories] or None,
        "topics": [match.topic] if match and match.matched else None,
        "topicTerms": list(match.terms) or None if match else None,
        "references": references or None,
    }


# Python's \s (str.isspace), spelled out for RE2, whose \s is ASCII only.
_RE2_SPACE = r"[\t\n\x{0b}\f\r\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]"
# Between a paper's texts when they are tested as one: no term literal holds a line break.
_TEXT_SEPARATOR = "chr(10) || chr(10)"


@dataclasses.dataclass(frozen=True)
class TermLiterals:
    """What every hit of one term contains: one literal of each clause (lower-cased if ``folded``)."""

    clauses: tuple[frozenset[str], ...]
    folded: bool


@dataclasses.dataclass(frozen=True)
class TermPrefilter:
    """A pre-check in SQL that a text may hold a topic term: never false where ``match_topic`` finds one."""

    terms: tuple[TermLiterals, ...]

    def sql(self, column: str) -> str:
        """Return a SQL condition on a text column (NULL counts as no text)."""
        # Hyphenation is undone as normalise_text does it, by dropping every hyphen line break, and the text
        # is also tested as it is (a literal never spans a break that normalise_text keeps).
        joined = f"regexp_replace(replace({column}, chr(173), ''), '-{_RE2_SPACE}*\\n{_RE2_SPACE}*', '', 'g')"
        needs_join = (f"(contains({column}, chr(173)) OR (CASE WHEN contains({column}, chr(10)) "
                      f"THEN regexp_matches({column}, '-{_RE2_SPACE}*\\n') ELSE false END))")
        return f"coalesce({self._on(column)} OR (CASE WHEN {needs_join} THEN {self._on(joined)} ELSE false END), false)"

    def _on(self, text: str) -> str:
        def test(literals: frozenset[str], folded: bool) -> str:
            return f"regexp_matches({'lower(' + text + ')' if folded else text}, {_re2_alternation(literals)})"

        # The first (most selective) clause of every term, in two regular expressions. Testing each term in
        # full as well let 40 % fewer titles through, but compiling its 150 expressions cost more than
        # find_hits spends on those titles (it skips a term whose literals a text lacks).
        coarse = []
        for folded in (True, False):
            firsts = frozenset().union(*(t.clauses[0] for t in self.terms if t.folded == folded))
            if firsts:
                coarse.append(test(firsts, folded))
        return f"({' OR '.join(coarse) or 'false'})"


def _re2_alternation(literals: frozenset[str]) -> str:
    body = "|".join("".join(c if c.isalnum() else "\\x{%x}" % ord(c) for c in lit) for lit in sorted(literals))
    return "'" + body.replace("'", "''") + "'"


@functools.lru_cache(maxsize=8)  # per taxonomy (load_taxonomy gives the same one while its file is unchanged)
def _term_prefilter(taxonomy) -> TermPrefilter | None:
    """Return the pre-check for a taxonomy's terms, or None if a term has no literal every hit contains."""
    if not all(term.required for term in taxonomy.terms):
        return None
    return TermPrefilter(tuple(TermLiterals(term.required, term.folded) for term in taxonomy.terms))


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


def committees_passed_sql(papers: str) -> str:
    """Return a query of (``source``, ``paper``, ``bodies``): the names of the committees each paper of ``papers``
    (a relation with ``source`` and ``systemId``) passes, by its consultations' names, else their meetings'.

    What the topic matcher is given as ``bodies``; the export's snippets read the same (``topic_matches``).
    """
    return f"""SELECT c."source", c."paper", list(DISTINCT coalesce(c."organizationName", m."organizationName") ORDER BY 1)
                          FILTER (WHERE coalesce(c."organizationName", m."organizationName") IS NOT NULL) AS bodies
               FROM consultation c
               SEMI JOIN {papers} k ON k."source" = c."source" AND k."systemId" = c."paper"
               LEFT JOIN meeting m ON m."source" = c."source" AND m."systemId" = c."meeting"
               GROUP BY ALL"""


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
