"""Full-text search over papers and their documents (DuckDB's fts extension, offline).

``search_document`` holds one row per paper: its title, its text sections and
the text extracted from its documents; ``rebuild_search_index`` refreshes it
and the BM25 index (German stemmer) after loads. The extension comes from the
``duckdb-extension-fts`` wheel, so nothing is downloaded at run time.

A query is read as German is written (:func:`query_terms`): each of its words
must be in a paper (a search box narrows with every word), and a word is found
in its inflected forms (the stemmer), in the compounds that contain it
("Flüchtling" in "Flüchtlingsunterkunft", "Unterkunft" in "Notunterkunft"),
in its gender forms ("Migrantinnen") and as any word of its group in
``data/search/vocabulary.toml`` ("Geflüchtete"). Papers are ranked by BM25,
each word's group scoring as one term (:func:`hits_sql`) in which a compound
counts :data:`COMPOUND_WEIGHT` of the word itself. As in the common web
searches, a reader can say more (``search_words.parse_query``): ``"Flüchtlinge"``
finds the word in its own forms only, ``"Haus der Kulturen"`` the phrase,
``-Ukraine`` leaves out papers with "Ukraine" or its compounds, ``Integrationsrat OR
Migrationsbeirat`` finds either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.warehouse.search_words import (
    MIN_COMPOUND_PART, ParsedQuery, contains_word, is_form, load_vocabulary, parse_query,
)

SEARCH_TABLE = "search_document"
INDEX = f"fts_main_{SEARCH_TABLE}"
STOPWORDS = "search_stopword"

# Tokens are runs of letters: typographic quotes, dashes, "§" and digits separate words
# (the extension's default keeps „ “ – in a token, so „Radweg“ could not be found).
TOKEN_SEPARATORS = r"[^\p{L}]+"
# BM25 as the extension's match_bm25 computes it (its defaults).
BM25_K, BM25_B = 1.2, 0.75
# A compound counts this much of the word it contains; the word's own forms and its synonyms count 1.
COMPOUND_WEIGHT = 0.5
# How far a query's word reaches (query_groups): as typed in quotes, its own forms only; left
# out (-word), its forms and compounds; else also its synonyms and their compounds.
WORD, COMPOUNDS, SYNONYMS = "word", "compounds", "synonyms"
# A query's words after these are left out: each word is a scan of the index's terms, and a
# search box never needs as many (a 1 MB query must not hold the web page for minutes).
MAX_QUERY_WORDS = 32


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
    con.execute(f"COMMENT ON TABLE {SEARCH_TABLE} IS 'Full-text search documents: one row per live paper (title, sections, document texts); BM25 index {INDEX}.'")
    count = con.execute(f"SELECT count(*) FROM {SEARCH_TABLE}").fetchone()[0]
    if count:
        # The index compares its stop words with tokens, i.e. lower-case and without accents ("fur").
        con.execute(f"CREATE OR REPLACE TABLE {STOPWORDS} AS SELECT DISTINCT strip_accents(lower(w)) AS sw"
                    " FROM (SELECT unnest(?::VARCHAR[]) AS w)", [list(load_vocabulary().stopwords)])
        con.execute(f"COMMENT ON TABLE {STOPWORDS} IS 'Stop words of the search index (data/search/vocabulary.toml).'")
        con.execute(
            f"PRAGMA create_fts_index('{SEARCH_TABLE}', 'docId', 'title', 'body', stemmer = 'german', "
            f"stopwords = '{STOPWORDS}', ignore = '{TOKEN_SEPARATORS}', overwrite = 1)"
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


def has_index(con) -> bool:
    """Return whether the warehouse holds the BM25 index (and load the extension if so)."""
    found = con.execute(
        f"SELECT count(*) FROM duckdb_tables() WHERE schema_name = '{INDEX}' AND table_name = 'docs'"
    ).fetchone()[0]
    if not found:
        return False
    try:
        con.execute("LOAD fts")  # fast once this process has loaded it
    except duckdb.Error:
        load_fts(con)
    return True


def search(con, query: str, limit: int = 20, source: str | None = None) -> list[Hit]:
    """Return the papers that best match ``query`` (BM25 on title, sections and document texts)."""
    if not has_index(con):
        indexed = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [SEARCH_TABLE]
        ).fetchone()[0]
        if indexed:  # the index of a warehouse without papers: nothing to find
            return []
        try:
            rebuild_search_index(con)
        except duckdb.InvalidInputException as exc:  # read-only: the loader builds the index
            raise SearchIndexMissing("the warehouse has no search index yet; run `ratsinfo load` once") from exc
        if not has_index(con):
            return []
    hits, params = hits_sql(con, query)
    rows = con.execute(
        f"""WITH hits AS ({hits})
            SELECT s."docId", s."reference", s."title", h.score FROM hits h
            JOIN {SEARCH_TABLE} s ON s."source" = h."source" AND s."systemId" = h."systemId"
            WHERE (? IS NULL OR s."source" = ?)
            ORDER BY h.score DESC, s."docId" LIMIT ?""",
        [*params, source, source, limit],
    ).fetchall()
    return [Hit(*row) for row in rows]


def hits_sql(con, query: str) -> tuple[str, list]:
    """Return a SELECT of ("source", "systemId", score) of the papers that match ``query``, and its parameters.

    Each word of the query is a group of index terms (:func:`query_groups`); a
    paper matches when it holds a term of every group and no term of a left-out
    word's, each part of the query with a digit in its reference or title, and
    each quoted phrase in its text (:func:`paper_filters`). A group scores as one
    term would (Lucene's synonym query): its term frequency in a paper is the
    weighted count of its terms there, its document frequency the number of
    papers holding any of them; the score is BM25 with the k and b of the
    extension's ``match_bm25``, computed over the index's own tables. So a
    word without compounds or synonyms scores exactly as ``match_bm25`` scores it.
    """
    parsed = parse_query(query)
    groups, left_out = query_groups(con, parsed)
    if (not groups and not parsed.numbers) or any(not terms for terms in groups):
        return 'SELECT NULL::VARCHAR AS "source", NULL::VARCHAR AS "systemId", NULL::DOUBLE AS score WHERE false', []
    filters, filter_params = paper_filters(parsed, sorted(termid for termid, _ in left_out))
    where = ("WHERE " + " AND ".join(filters)) if filters else ""
    if not groups:
        return f'SELECT s."source", s."systemId", 1.0::DOUBLE AS score FROM {SEARCH_TABLE} s {where}', filter_params
    rows = [(number, termid, weight) for number, terms in enumerate(groups) for (termid, _), weight in terms.items()]
    sql = f"""
        WITH query_term AS (
            SELECT unnest(?::INTEGER[]) AS word, unnest(?::BIGINT[]) AS termid, unnest(?::DOUBLE[]) AS weight),
        occurrence AS (
            SELECT t.docid, q.word, q.weight FROM {INDEX}.terms t JOIN query_term q ON q.termid = t.termid),
        word_tf AS (SELECT docid, word, sum(weight) AS tf FROM occurrence GROUP BY docid, word),
        word_df AS (SELECT word, count(DISTINCT docid) AS df FROM occurrence GROUP BY word),
        matched AS (SELECT docid FROM word_tf GROUP BY docid HAVING count(*) = ?),
        scored AS (
            SELECT w.docid, sum(log(((st.num_docs - f.df) + 0.5) / (f.df + 0.5) + 1)
                       * (w.tf * ({BM25_K} + 1)) / (w.tf + {BM25_K} * (1 - {BM25_B} + {BM25_B} * docs.len / st.avgdl))) AS score
            FROM word_tf w JOIN matched m ON m.docid = w.docid
            JOIN word_df f ON f.word = w.word
            JOIN {INDEX}.docs docs ON docs.docid = w.docid
            CROSS JOIN {INDEX}.stats st
            GROUP BY w.docid)
        SELECT s."source", s."systemId", scored.score FROM scored
        JOIN {INDEX}.docs docs ON docs.docid = scored.docid
        JOIN {SEARCH_TABLE} s ON s."docId" = docs."name" {where}"""
    return sql, [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], len(groups), *filter_params]


# A search document's title and text as a quoted phrase is compared with them (search_words.phrase_text):
# lower case, every run of characters other than letters and digits one space, a space at each end.
PHRASE_TEXT = ("(' ' || regexp_replace(lower(concat_ws(' ', s.\"title\", s.\"body\")), '[^\\p{L}\\p{N}]+', ' ', 'g')"
               " || ' ')")


def paper_filters(parsed: ParsedQuery, left_out_termids: list[int]) -> tuple[list[str], list]:
    """Return the conditions on a search document ``s`` besides its words, and their parameters.

    A number must stand (left out: must not stand) in the paper's reference or
    title; a quoted phrase in its title or text, word by word in that order
    (:data:`PHRASE_TEXT`); a left-out word's terms must not be in the paper.
    """
    filters: list[str] = []
    params: list = []
    in_reference = 'contains(lower(concat_ws(chr(10), s."reference", s."title")), ?)'
    for numbers, negation in ((parsed.numbers, ""), (parsed.excluded_numbers, "NOT ")):
        filters += [negation + in_reference] * len(numbers)
        params += numbers
    for phrases, negation in ((parsed.phrases, ""), (parsed.excluded_phrases, "NOT ")):
        # Tested on the papers the words found, not on every paper's text: a condition on the search
        # documents alone would be moved down to their scan, one that names the score too stays after
        # the join (hits_sql never gives a NULL score, so the OR changes no result).
        filters += [f"({negation}contains({PHRASE_TEXT}, ?) OR score IS NULL)"] * len(phrases)
        params += [f" {phrase} " for phrase in phrases]
    if left_out_termids:
        filters.append(f"""s."docId" NOT IN (SELECT docs."name" FROM {INDEX}.docs docs JOIN {INDEX}.terms t
                               ON t.docid = docs.docid WHERE t.termid IN (SELECT unnest(?::BIGINT[])))""")
        params.append(left_out_termids)
    return filters, params


def query_terms(con, query: str) -> list[dict[tuple[int, str], float]]:
    """Return per word ``query`` requires the index terms that find it, as (term id, term), with their weights."""
    return query_groups(con, parse_query(query))[0]


def query_groups(con, parsed: ParsedQuery) -> tuple[list[dict[tuple[int, str], float]], dict[tuple[int, str], float]]:
    """Return the term groups of a query's required words, and the terms that find its left-out words.

    A word is one group per distinct stem of it (:func:`term_stems`); words
    joined by OR make one group together. A group holds the word's own term (weight 1),
    its synonyms' terms (1) and every term that is a compound or a gender
    form of either (``search_words.contains_word``, weight COMPOUND_WEIGHT); a
    quoted word's group only its own term. A left-out word finds its own term and
    its compounds, not its synonyms ("Flüchtlinge -Asylbewerber" keeps the papers
    on refugees that do not say "Asylbewerber"). A word the index does not know
    gives an empty group. Stems after the query's first MAX_QUERY_WORDS are left out.
    """
    terms = [*(term for clause in parsed.required for term in clause), *parsed.excluded]
    stems_of_term = dict(zip(terms, term_stems(con, [term.text for term in terms]))) if terms else {}
    seen: set[str] = set()

    def within_bound(stems: list[str]) -> bool:
        seen.update(stems)
        return len(seen) <= MAX_QUERY_WORDS

    units: list[tuple[tuple[str, str], ...]] = []  # per required group: its alternatives (stem, reach)
    for clause in parsed.required:
        alternatives = [(stem, WORD if term.exact else SYNONYMS) for term in clause for stem in stems_of_term[term]]
        if not alternatives:  # stop words only
            continue
        if not within_bound([stem for stem, _ in alternatives]):
            break
        units += [tuple(dict.fromkeys(alternatives))] if len(clause) > 1 else [(one,) for one in alternatives]
    left_out = tuple((stem, WORD if term.exact else COMPOUNDS) for term in parsed.excluded
                     if within_bound(stems_of_term[term]) for stem in stems_of_term[term])
    *groups, left_out_terms = term_groups(con, [*dict.fromkeys(units), left_out])
    return groups, left_out_terms


def term_groups(con, units: list[tuple[tuple[str, str], ...]]) -> list[dict[tuple[int, str], float]]:
    """Return per unit (stems, each with its reach: WORD, COMPOUNDS, SYNONYMS) the index terms that find any, weighted."""
    vocabulary = vocabulary_stems(con)
    bases = {(stem, reach): {stem, *synonyms_for(stem, vocabulary.synonyms)} if reach == SYNONYMS else {stem}
             for unit in units for stem, reach in unit}
    every_base = sorted(set().union(*bases.values()))
    candidates = con.execute(
        f"""SELECT b.base, d.termid, d.term FROM {INDEX}.dict d, (SELECT unnest(?::VARCHAR[]) AS base) b
            WHERE d.term = b.base OR (length(b.base) >= {MIN_COMPOUND_PART}
                                      AND (starts_with(d.term, b.base) OR ends_with(d.term, b.base)))""",
        [every_base],
    ).fetchall() if every_base else []
    by_base: dict[str, list[tuple[tuple[int, str], float]]] = {}
    for base, termid, term in candidates:
        if term == base:
            by_base.setdefault(base, []).append(((termid, term), 1.0))
        elif contains_word(term, base, vocabulary.not_compounds):
            by_base.setdefault(base, []).append(((termid, term), COMPOUND_WEIGHT))
    groups = []
    for unit in units:
        terms: dict[tuple[int, str], float] = {}
        for stem, reach in unit:
            for base in bases[(stem, reach)]:
                for key, weight in by_base.get(base, ()):
                    if reach != WORD or key[1] == stem:  # quoted: the word's own term only
                        terms[key] = max(weight, terms.get(key, 0.0))
        groups.append(terms)
    return groups


def marked_words(con, query: str, texts: list[str]) -> list[list[tuple[str, bool]]] | None:
    """Return each text cut into pieces, each piece with whether it is a word ``query`` found; None without a search.

    A word is marked when its stem (as the index makes it) is one of the terms
    the query's words were searched as (:func:`query_terms`): in
    "Neue Flüchtlingsunterkunft" for "Geflüchtete" that is "Flüchtlingsunterkunft".
    Joining a text's pieces gives the text back.
    """
    if not query.strip() or not has_index(con):
        return None
    found = {term for terms in query_terms(con, query) for _, term in terms}
    if not found:
        return None
    pieces = [re.split(r"([^\W\d_]+)", text or "") for text in texts]  # odd places hold the words
    words = sorted({piece for parts in pieces for piece in parts[1::2]})
    hit = {word for word, stem in zip(words, stems_of(con, words) if words else []) if stem in found}
    return [[(piece, at % 2 == 1 and piece in hit) for at, piece in enumerate(parts) if piece] for parts in pieces]


def synonyms_of_query(con, query: str) -> list[tuple[str, list[str]]]:
    """Return the words of ``query`` that have synonyms, each with them as the vocabulary writes them (for people).

    "Flüchtlinge Karlsruhe" gives ``[("Flüchtlinge", ["Geflüchtete", "Flüchtende", …])]``; words
    after the first MAX_QUERY_WORDS are left out, as the search leaves them out, and so are
    synonyms the query leaves out ("Flüchtlinge -Asylbewerber" does not name "Asylbewerber").
    """
    if not has_index(con):
        return []
    parsed = parse_query(query)
    searched = " ".join(term.text for clause in parsed.required for term in clause if not term.exact)
    words = list(dict.fromkeys(re.findall(r"[^\W\d_]+", searched)))[:MAX_QUERY_WORDS]
    if not words:
        return []
    vocabulary = vocabulary_stems(con)
    left_out = {stem for stems in term_stems(con, [term.text for term in parsed.excluded]) for stem in stems} \
        if parsed.excluded else set()
    spelled = [w for group in load_vocabulary().groups for w in group
               if not any(vocabulary.stem_of[w] == out or contains_word(vocabulary.stem_of[w], out, vocabulary.not_compounds)
                          for out in left_out)]
    found = []
    for word, stem in zip(words, stems_of(con, words)):
        group = synonyms_for(stem, vocabulary.synonyms)
        others = [w for w in spelled if vocabulary.stem_of[w] in group and not is_form(stem, vocabulary.stem_of[w])]
        if others:
            found.append((word, list(dict.fromkeys(others))))
    return found


def synonyms_for(stem: str, synonyms: dict[str, frozenset[str]]) -> frozenset[str]:
    """Return the stems of the synonym groups of ``stem``, also when it is a form the stemmer kept apart ("kitas")."""
    if stem in synonyms:
        return synonyms[stem]
    return frozenset().union(*(group for word, group in synonyms.items() if is_form(stem, word)))


def term_stems(con, texts: list[str]) -> list[list[str]]:
    """Return the distinct stems of each text's words, stop words left out, as the index made them of the papers.

    Tokenised, stop words dropped and stemmed as the index did it (its own
    tokenizer and stop word table), so "Flüchtlinge in Karlsruhe" is
    "fluchtling", "karlsruh", whatever list the index was built with.
    """
    stemmed = con.execute(
        f"""SELECT list_transform(?::VARCHAR[], text -> list_transform(
                       list_filter({INDEX}.tokenize(text), t -> t <> '' AND NOT list_contains(stop, t)),
                       t -> stem(t, 'german')))
            FROM (SELECT coalesce((SELECT list(sw) FROM {INDEX}.stopwords), []) AS stop)""", [texts]).fetchone()[0]
    return [list(dict.fromkeys(stems or ())) for stems in stemmed]


@dataclass(frozen=True)
class VocabularyStems:
    """The search vocabulary (``search_words.load_vocabulary``) stemmed as the index stems."""

    stem_of: dict[str, str]  # each word of its groups and false compounds -> its stem
    synonyms: dict[str, frozenset[str]]  # each synonym's stem -> the stems of its groups
    not_compounds: frozenset[str]  # the stems of its false compounds


def vocabulary_stems(con) -> VocabularyStems:
    """Return the vocabulary stemmed by the index's tokenizer and stemmer."""
    vocabulary = load_vocabulary()
    words = sorted({word for group in vocabulary.groups for word in group} | set(vocabulary.not_compounds))
    stem_of = dict(zip(words, stems_of(con, words)))
    synonyms: dict[str, frozenset[str]] = {}
    for group in vocabulary.groups:
        stems = frozenset(stem_of[word] for word in group)
        for stem in stems:
            synonyms[stem] = synonyms.get(stem, frozenset()) | stems
    return VocabularyStems(stem_of, synonyms, frozenset(stem_of[word] for word in vocabulary.not_compounds))


def stems_of(con, words: list[str]) -> list[str]:
    """Return the stem of each single word as the index makes it (its tokenizer, then the German stemmer)."""
    return con.execute(
        f"SELECT list_transform(?::VARCHAR[], w -> stem({INDEX}.tokenize(w)[1], 'german'))", [words]).fetchone()[0]
