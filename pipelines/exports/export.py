"""Exports for journalists and analysts: one row per paper with its resolution.

The rows come from the ``paper_decision`` view (``schemas/views.py``): "its
resolution" is the agenda item that decided the paper (among the agenda items
that treat it, the one with a result, preferring the authoritative
consultation and then the latest meeting). The same query serves the CSV,
XLSX and Parquet exports and the web page's result list, so a download is
exactly the selection on screen.

CSV opens cleanly in German Excel: ``;`` by default, UTF-8 with a byte-order
mark. No cell can run as a formula whatever separator Excel splits on: where
a field, or a part of it after a ``,`` or ``;``, starts with ``=``, ``+``,
``-``, ``@``, tab or carriage return, an apostrophe goes in front of that
part (OWASP's advice against CSV injection, applied to both separators
because a ``,`` file opened by German Excel is split on ``;``). XLSX cells are
written as strings, never as formulas.

Ids are stable across slugs: ``system:base:systemId`` (the base URL without
scheme and file name), or ``system:URL`` where the system's own id is a URL
(OParl), so the same paper crawled under two slugs has one id.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Iterator

from pipelines.warehouse.search import has_index, hits_sql
from schemas.views import LIST_COLUMNS, ensure_views

COLUMNS = [
    "id",
    "municipality",
    "date",
    "committee",
    "reference",
    "title",
    "paper_type",
    "lead_office",
    "lead_office_code",
    "result",
    "result_text",
    "unanimous",
    "votes_yes",
    "votes_no",
    "votes_abstain",
    "votes_biased",
    "decision_text",
    "topic_terms",
    "topic_matches",
    "document_url",
    "url",
    "source",
]

GERMAN_HEADERS = {
    "id": "ID",
    "municipality": "Kommune",
    "date": "Datum",
    "committee": "Gremium",
    "reference": "Drucksache",
    "title": "Betreff",
    "paper_type": "Vorlagenart",
    "lead_office": "Federführung",
    "lead_office_code": "Amt (Kennziffer)",
    "result": "Ergebnis",
    "result_text": "Ergebnis (Wortlaut)",
    "unanimous": "einstimmig",
    "votes_yes": "Ja-Stimmen",
    "votes_no": "Nein-Stimmen",
    "votes_abstain": "Enthaltungen",
    "votes_biased": "Befangen",
    "decision_text": "Beschlusstext",
    "topic_terms": "Themenbegriffe",
    "topic_matches": "Fundstellen",
    "document_url": "Dokument",
    "url": "Link",
    "source": "Quelle",
}

# The normalised result classes (schemas.items.AgendaItem.result) in German.
RESULT_DE = {
    "accepted": "angenommen",
    "rejected": "abgelehnt",
    "postponed": "vertagt",
    "noted": "zur Kenntnis genommen",
    "amended": "geändert beschlossen",
    "withdrawn": "zurückgezogen",
    "unknown": "unbekannt",
}
YES_NO = {"de": ("ja", "nein"), "en": ("yes", "no")}
LANGUAGES = ("de", "en")

# A field, or a part of it after either separator, that a spreadsheet would read as a formula.
_FORMULA_PART = re.compile(r"(^|[,;])(?=[=+\-@\t\r])")

SECTION_FIELDS = {
    "name": "Titel",
    "sachverhalt": "Sachverhalt",
    "beschlussvorschlag": "Beschlussvorschlag",
    "begruendung": "Begründung",
    "beschluss": "Beschluss",
}


@dataclass(frozen=True)
class ExportQuery:
    """A selection of papers: every field that is set narrows it."""

    topic: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    municipality: str | None = None  # source slug or municipality name
    text: str | None = None  # full-text query (BM25 index, else substring)
    committee: str | None = None  # the deciding committee, as named
    result: str | None = None  # accepted, rejected … (the normalised class)
    paper: tuple[str, str] | None = None  # (source, systemId): one paper

    def without(self, **fields: Any) -> "ExportQuery":
        return replace(self, **fields)


def query_problems(con, query: ExportQuery) -> list[str]:
    """Return what a query names that nothing can match (a topic, municipality or result unknown here), or []."""
    from pipelines.normalise.topics import topic_names
    from pipelines.normalise.votes import RESULTS

    problems = []
    if query.since and query.until and query.since > query.until:  # swapped dates: an empty file, not a selection
        problems.append(f"since {query.since.isoformat()} is after until {query.until.isoformat()}")
    if query.topic and query.topic not in (topics := topic_names()):
        problems.append(f"no topic {query.topic!r} (topics: {', '.join(topics)})")
    if query.result and query.result not in RESULTS:
        problems.append(f"no result {query.result!r} (results: {', '.join(RESULTS)})")
    if query.municipality:
        ensure_views(con)
        found = con.execute(
            """SELECT count(*) FROM paper_decision WHERE "source" = ? OR lower("municipality") = lower(?)""",
            [query.municipality, query.municipality],
        ).fetchone()[0]
        if not found:
            known = con.execute(
                """SELECT "source", any_value("municipality") FROM paper_decision GROUP BY 1 ORDER BY 1 LIMIT 21"""
            ).fetchall()
            names = [f"{slug} ({name})" if name else slug for slug, name in known]
            listed = ", ".join(names[:20]) + (", …" if len(names) > 20 else "")
            problems.append(f"no papers of municipality {query.municipality!r} in the warehouse (sources: {listed or 'none'})")
    if query.committee:
        ensure_views(con)
        names = [row[0] for row in con.execute(
            """SELECT DISTINCT "committee" FROM paper_decision WHERE "committee" IS NOT NULL
               UNION SELECT DISTINCT "committee" FROM resolution WHERE "committee" IS NOT NULL"""
        ).fetchall()]
        if query.committee.lower() not in {name.lower() for name in names}:
            import difflib

            close = difflib.get_close_matches(query.committee, names, n=5, cutoff=0.5)
            close += [n for n in names if query.committee.lower() in n.lower() and n not in close][: 5 - len(close)]
            hint = f"similar: {', '.join(close)}" if close else f"{len(names)} committees known"
            problems.append(f"no committee {query.committee!r} decided any paper in the warehouse ({hint})")
    return problems


# -- the query ------------------------------------------------------------

# Two steps: choose and order the papers on narrow columns (with the selection's size), then fetch
# the wide columns and the document link for the chosen page only.
_SELECT = """
{with_} sel AS MATERIALIZED (
    SELECT d."source", d."paper", {score} AS score, d."date", d."reference", count(*) OVER () AS total
    FROM paper_decision d {join}
    WHERE {where}
    ORDER BY {order}
    {limit}
)
SELECT d."source", d."paper", d."system", d."municipality", d."date", d."committee", d."reference", d."title",
       d."paperType", d."leadOffice", d."leadOfficeCode", d."result", d."resultRaw", d."unanimous",
       d."votesYes", d."votesNo", d."votesAbstain", d."votesBiased", d."resolutionText",
       {topic_terms} AS "topicTerms", doc."accessUrl", d."url", d."baseUrl", sel.total
FROM sel
JOIN paper_decision d ON d."source" = sel."source" AND d."paper" = sel."paper"
LEFT JOIN (
    SELECT f."source", f."parent", arg_min(f."accessUrl", (CASE WHEN f."role" = 'mainFile' THEN 0 ELSE 1 END,
                                                         coalesce(f."position", 1e9))) AS "accessUrl"
    FROM file f JOIN sel ON f."source" = sel."source" AND f."parent" = sel."paper"
    WHERE f."parentType" = 'Paper' AND f."accessUrl" IS NOT NULL AND NOT coalesce(f."deleted", false)
    GROUP BY ALL
) doc ON doc."source" = d."source" AND doc."parent" = d."paper"
ORDER BY {outer_order}
"""
_ORDER = 'd."date" DESC NULLS LAST, d."source", d."reference", d."paper"'


def _where(con, query: ExportQuery) -> tuple[str, str, list[Any], bool]:
    """Return (hits CTE, WHERE clause, parameters, ranked by score) for a query."""
    clauses: list[str] = ["true"]
    params: list[Any] = []
    cte, ranked = "", False
    if query.text and query.text.strip():
        if has_index(con):
            hits, hit_params = hits_sql(con, query.text)
            cte = f"WITH hits AS MATERIALIZED ({hits})"
            params += hit_params
            ranked = True
        else:  # no index (a warehouse never indexed): a plain substring search on title and sections
            # contains(), not LIKE: "%" or "_" in a query is text, not a wildcard matching every paper.
            needle = query.text.strip().lower()
            clauses.append(
                """(contains(lower(d."title"), ?) OR contains(lower(d."reference"), ?)
                    OR contains(lower(d."resolutionText"), ?))"""
            )
            params += [needle, needle, needle]
    if query.topic:
        clauses.append(f"list_contains({LIST_COLUMNS['topics'].replace('p.', 'd.')}, ?)")
        params.append(query.topic)
    if query.municipality:
        clauses.append("""(d."source" = ? OR lower(d."municipality") = lower(?))""")
        params += [query.municipality, query.municipality]
    if query.since:
        clauses.append('d."date" >= CAST(? AS DATE)')
        params.append(query.since)
    if query.until:
        clauses.append('d."date" <= CAST(? AS DATE)')
        params.append(query.until)
    if query.committee:  # as named, in any case ("gemeinderat" is the Gemeinderat)
        clauses.append('lower(d."committee") = lower(?)')
        params.append(query.committee)
    if query.result:
        clauses.append('d."result" = ?')
        params.append(query.result)
    if query.paper:
        clauses.append('d."source" = ? AND d."paper" = ?')
        params += list(query.paper)
    return cte, " AND ".join(clauses), params, ranked


def select_sql(con, query: ExportQuery, limit: int | None = None, offset: int = 0) -> tuple[str, list[Any]]:
    """Return the SQL and parameters of a selection (for exports that stream it themselves)."""
    ensure_views(con)
    cte, where, params, ranked = _where(con, query)
    order = f"h.score DESC, {_ORDER}" if ranked else _ORDER
    sql = _SELECT.format(
        with_=f"{cte}," if cte else "WITH",
        score="h.score" if ranked else "NULL",
        join='JOIN hits h ON h."source" = d."source" AND h."systemId" = d."paper"' if cte else "",
        where=where,
        order=order,
        limit=f"LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else "",
        topic_terms=LIST_COLUMNS["topicTerms"].replace("p.", "d."),
        outer_order=("sel.score DESC, " if ranked else "")
        + 'sel."date" DESC NULLS LAST, sel."source", sel."reference", sel."paper"',
    )
    return sql, params


def count_rows(con, query: ExportQuery) -> int:
    """Return how many papers a selection holds."""
    ensure_views(con)
    cte, where, params, _ = _where(con, query)
    join = ' JOIN hits h ON h."source" = d."source" AND h."systemId" = d."paper"' if cte else ""
    return con.execute(f"{cte} SELECT count(*) FROM paper_decision d{join} WHERE {where}", params).fetchone()[0]


def export_rows(
    con, query: ExportQuery, *, limit: int | None = None, offset: int = 0, with_matches: bool = True
) -> list[dict[str, Any]]:
    """Return the selection's rows as dicts keyed by COLUMNS (values typed, untranslated).

    ``with_matches`` adds where each topic term matched (costs a read of the
    matched papers' texts; the web page's list leaves it out).
    """
    return page_of_rows(con, query, limit=limit, offset=offset, with_matches=with_matches)[0]


def page_of_rows(
    con, query: ExportQuery, *, limit: int | None = None, offset: int = 0, with_matches: bool = False
) -> tuple[list[dict[str, Any]], int]:
    """Return one page of the selection's rows and the size of the whole selection (one query)."""
    sql, params = select_sql(con, query, limit, offset)
    rows, total = [], 0
    for r in con.execute(sql, params).fetchall():
        (source, paper, system, municipality, date, committee, reference, title, paper_type, office, office_code,
         result, result_raw, unanimous, yes, no, abstain, biased, decision, terms, document, url, base_url, total) = r
        rows.append(
            {
                "id": stable_id(system, paper, base_url),
                "municipality": municipality,
                "date": date,
                "committee": committee,
                "reference": reference,
                "title": title,
                "paper_type": paper_type,
                "lead_office": office,
                "lead_office_code": office_code,
                "result": result,
                "result_text": result_raw,
                "unanimous": unanimous,
                "votes_yes": yes,
                "votes_no": no,
                "votes_abstain": abstain,
                "votes_biased": biased,
                "decision_text": decision,
                "topic_terms": ", ".join(terms) if terms else None,
                "topic_matches": None,
                "document_url": document,
                "url": url,
                "source": source,
                "_key": (source, paper),
            }
        )
    if with_matches:
        _add_topic_matches(con, rows)
    if not rows and offset:
        total = count_rows(con, query)
    return rows, total


def stable_id(system: str | None, system_id: str, base_url: str | None) -> str:
    """Return an id that is the same for the same object whatever slug it was crawled under."""
    if system_id.startswith(("http://", "https://")):
        return f"{system}:{system_id.split('://', 1)[1]}"
    base = (base_url or "").split("://", 1)[-1].split("?", 1)[0].split("#", 1)[0]
    host, _, folder = base.partition("/")
    parts = [p for p in folder.split("/") if p]
    if parts and "." in parts[-1]:  # a file name: ".../bi/allris.net.asp" is the folder ".../bi"
        parts.pop()
    return f"{system}:{'/'.join([host.lower(), *parts])}:{system_id}"


# -- where the topic terms matched ---------------------------------------------

def _add_topic_matches(con, rows: list[dict[str, Any]]) -> None:
    """Fill ``topic_matches`` with where each topic term fired: "term (field: …snippet…)".

    The terms are the surface forms the topic matcher stored (``topicTerms``),
    so finding them again is a text search over the same fields; the snippet
    quotes the field as it is written (``snippet``).
    """
    keys = [row["_key"] for row in rows if row["topic_terms"]]
    if not keys:
        return
    # The keys as two strings split in SQL: row-by-row inserts are slow in DuckDB, and so is binding
    # Python lists (it probes for numpy/pandas types element by element).
    key_table = """(SELECT unnest(string_split(?, chr(31))) AS "source", unnest(string_split(?, chr(31))) AS "systemId")"""
    key_params = [chr(31).join(k[0] for k in keys), chr(31).join(k[1] for k in keys)]
    texts: dict[tuple[str, str], list[tuple[str, str]]] = {}
    terms: dict[tuple[str, str], list[str]] = {}
    for source, paper, term_list, *sections in con.execute(
        f"""SELECT p."source", p."systemId", {LIST_COLUMNS['topicTerms']}, {", ".join(f'p."{c}"' for c in SECTION_FIELDS)}
            FROM paper p JOIN {key_table} k ON k."source" = p."source" AND k."systemId" = p."systemId" """,
        key_params,
    ).fetchall():
        terms[(source, paper)] = list(term_list or [])
        texts[(source, paper)] = [(label, text) for label, text in zip(SECTION_FIELDS.values(), sections) if text]
    for source, paper, name, text in con.execute(
        f"""SELECT f."source", f."parent", coalesce(f."name", f."fileName", 'Dokument'), f."text"
            FROM file f JOIN {key_table} k ON k."source" = f."source" AND k."systemId" = f."parent"
            WHERE f."parentType" = 'Paper' AND f."text" IS NOT NULL ORDER BY f."position" """,
        key_params,
    ).fetchall():
        texts.setdefault((source, paper), []).append((f"Dokument „{name}“", text))
    bodies = _committees_passed(con, key_table, key_params)
    for row in rows:
        key = row["_key"]
        found = []
        for term in terms.get(key, []):
            place = _evidence(term, texts.get(key, []), bodies.get(key, []))
            if place:
                found.append(f"{term} ({place[0]}: …{snippet(place[1], term, span=place[2])}…)")
            elif any(term.casefold() == body.casefold() for body in bodies.get(key, [])):
                found.append(f"{term} (Beratungsfolge)")  # the committee the paper passes (the matcher's bodies)
            else:
                found.append(f"{term} (Dokumenttext)")  # matched in a text the warehouse no longer holds
        row["topic_matches"] = " | ".join(found) or None


def _committees_passed(con, key_table: str, key_params: list[str]) -> dict[tuple[str, str], list[str]]:
    """Return the names of the committees each paper passes, as the topic matcher was given them."""
    from pipelines.warehouse.enrich import committees_passed_sql

    return {(source, paper): names or [] for source, paper, names
            in con.execute(committees_passed_sql(key_table), key_params).fetchall()}


def _evidence(term: str, texts: list[tuple[str, str]], bodies: list[str]) -> tuple[str, str, tuple[int, int]] | None:
    """Return (field label, text, span) of the first place a term stands where the topic matcher counted it, or None.

    The whole word first (the matcher stored the whole word it hit: "Integration" is not where the title says
    "Integrationsrat"), a part of a word only where no text has it whole; in the title anywhere, in the other
    texts not where they name a body rather than their subject (a letterhead, a Beratungsfolge row, a
    committee the paper passes: ``non_evidence_spans``), unless the term stands nowhere else.
    """
    first = None
    for whole in (True, False):
        for label, text in texts:
            spans = list(term_spans(text, term, whole=whole))
            if not spans:
                continue
            first = first or (label, text, spans[0])
            if label == SECTION_FIELDS["name"]:
                return label, text, spans[0]
            ignored = _non_evidence(text, bodies)
            counted = [s for s in spans if not any(a <= s[0] < b for a, b in ignored)]
            if counted:
                return label, text, counted[0]
    return first


def _non_evidence(text: str, bodies: list[str]) -> list[tuple[int, int]]:
    from pipelines.normalise.topics import default_taxonomy, non_evidence_spans

    return non_evidence_spans(default_taxonomy(), text, bodies=bodies)  # the taxonomy the load matched with


# What the topic matcher reads past inside a word (pipelines.normalise.topics.normalise_text): a soft hyphen,
# a hyphenated line break ("Flücht-\nlinge"), a gender marker ("Ausländer*innenbehörde" is "Ausländerbehörde").
_INSIDE_WORD = r"(?:\u00ad|[-\u00ad][ \t]*\n\s*|[*:_·]in(?:nen)?|Innen)?"
_LETTER = r"[^\W\d_]"


def term_span(text: str, form: str, *, whole: bool = True) -> tuple[int, int] | None:
    """Return where ``form`` (a surface form the topic matcher stored) first stands in ``text`` as written, or None.

    The form is found across what the matcher reads past inside a word and across any whitespace where
    it has a space; with ``whole``, only as a whole word (not inside a longer word).
    """
    return next(term_spans(text, form, whole=whole), None)


def term_spans(text: str, form: str, *, whole: bool = True) -> Iterator[tuple[int, int]]:
    """Yield every place ``form`` stands in ``text`` as written, in text order (see ``term_span``)."""
    parts = [r"\s+" if ch == " " else re.escape(ch) for ch in form]
    body = _INSIDE_WORD.join(parts)
    if whole:
        body = rf"(?<!{_LETTER})(?<!{_LETTER}-){body}(?!{_LETTER})(?!-{_LETTER})"
    return (hit.span() for hit in re.finditer(body, text))


def snippet(text: str, form: str, width: int = 60, *, span: tuple[int, int] | None = None) -> str:
    """Return the words of ``text`` around the first occurrence of ``form``, as the text writes them, on one line.

    ``span`` is where the form stands, when the caller found it already (``term_span``).
    """
    if span is None:
        span = term_span(text, form) or term_span(text, form, whole=False)
    if span is None:
        at = text.lower().find(form.lower())
        span = (max(at, 0), max(at, 0) + len(form))
    at, after = span
    start, end = max(0, at - width // 2), min(len(text), after + width // 2)
    if start > 0 and (gap := re.search(r"\s", text[start:at])):  # whole words only
        start += gap.end()
    if end < len(text) and (gaps := [m.start() for m in re.finditer(r"\s", text[after:end])]):
        end = after + gaps[-1]
    return re.sub(r"\s+", " ", text[start:end].replace("\u00ad", "")).strip()


# -- cells and files -----------------------------------------------------------

def headers_for(language: str) -> list[str]:
    """Return the column headers in ``de`` or ``en``."""
    if language not in LANGUAGES:
        raise ValueError(f"headers must be one of {', '.join(LANGUAGES)}, not {language!r}")
    return [GERMAN_HEADERS[c] for c in COLUMNS] if language == "de" else list(COLUMNS)


def display_value(column: str, value: Any, language: str = "en") -> Any:
    """Return a value as the export shows it: dates ISO, booleans and results in the headers' language."""
    if value is None:
        return None
    if isinstance(value, bool):
        return YES_NO[language][0 if value else 1]
    if column == "result" and language == "de":
        return RESULT_DE.get(value, value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def neutralise(value: Any, language: str = "de") -> str:
    """Return a cell's text, with an apostrophe before every part a spreadsheet would run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES_NO[language][0 if value else 1]
    return _FORMULA_PART.sub(lambda m: m.group(1) + "'", str(value))


def write_csv(rows: Iterable[dict[str, Any]], path: Path, delimiter: str = ";", headers: str = "en") -> int:
    """Write rows as an Excel-safe CSV (UTF-8 with BOM); return how many rows were written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        return write_csv_to(rows, fh, delimiter, headers)


def write_csv_to(rows: Iterable[dict[str, Any]], fh, delimiter: str = ";", headers: str = "en") -> int:
    """Write rows as CSV to an open text file (the caller writes the BOM); return the row count."""
    writer = csv.writer(fh, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(headers_for(headers))
    n = 0
    for row in rows:
        writer.writerow([neutralise(display_value(c, row.get(c), headers), headers) for c in COLUMNS])
        n += 1
    return n


EXCEL_CELL_CHARS = 32767
_CUT = {"de": " … [gekürzt: eine Excel-Zelle fasst 32.767 Zeichen; CSV und Parquet enthalten den ganzen Text]",
        "en": " … [cut: an Excel cell holds 32,767 characters; the CSV and Parquet hold the whole text]"}


def _within_excel_cell(text: str, headers: str) -> str:
    """Return ``text``, or its start with a note that says it was cut, when it is longer than a cell can hold."""
    if len(text) <= EXCEL_CELL_CHARS:
        return text
    note = _CUT.get(headers, _CUT["en"])
    return text[:EXCEL_CELL_CHARS - len(note)] + note


def write_xlsx(rows: Iterable[dict[str, Any]], target, headers: str = "de") -> int:
    """Write rows as an XLSX workbook (a path or a binary file object); return the row count.

    Every text is written as a string cell, so nothing in the data can become a formula or a link; numbers
    and dates are number and date cells.
    """
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        target if isinstance(target, (str, Path)) else target,
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "in_memory": True},
    )
    sheet = workbook.add_worksheet("Vorlagen" if headers == "de" else "papers")
    bold = workbook.add_format({"bold": True})
    # Dates are date cells (sortable and filterable as dates), shown as in the CSV; wide enough not to show "###".
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for col, title in enumerate(headers_for(headers)):
        sheet.write_string(0, col, title, bold)
        if COLUMNS[col] == "date":
            sheet.set_column(col, col, 11)
    n = 0
    for n, row in enumerate(rows, start=1):
        for col, column in enumerate(COLUMNS):
            raw = row.get(column)
            if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
                sheet.write_datetime(n, col, dt.datetime(raw.year, raw.month, raw.day), day)
                continue
            value = display_value(column, raw, headers)
            if value is None:
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(n, col, value)
            else:
                sheet.write_string(n, col, _within_excel_cell(str(value), headers))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(n, 1), len(COLUMNS) - 1)
    workbook.close()
    return n


def write_parquet(rows: Iterable[dict[str, Any]], path: Path) -> int:
    """Write rows as Parquet with typed columns (dates, integers, booleans); return the row count."""
    import tempfile

    import duckdb

    types = {"date": "DATE", "unanimous": "BOOLEAN", "votes_yes": "BIGINT", "votes_no": "BIGINT",
             "votes_abstain": "BIGINT", "votes_biased": "BIGINT"}
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = "{" + ", ".join(f"'{c}': '{types.get(c, 'VARCHAR')}'" for c in COLUMNS) + "}"
    n = 0
    # Through a JSON-lines file: DuckDB reads it in one go (row-by-row inserts are far slower).
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as tmp:
        for row in rows:
            tmp.write(json.dumps({c: row.get(c) for c in COLUMNS}, ensure_ascii=False, default=str) + "\n")
            n += 1
        tmp.flush()
        mem = duckdb.connect()
        try:
            mem.execute(
                f"COPY (SELECT * FROM read_json('{_sql_string(tmp.name)}', format = 'newline_delimited', "
                f"columns = {columns})) TO '{_sql_string(str(path))}' (FORMAT parquet)"
            )
        finally:
            mem.close()
    return n


def _sql_string(text: str) -> str:
    return text.replace("'", "''")


def write_export(rows: list[dict[str, Any]], path: Path, fmt: str, *, delimiter: str = ";", headers: str = "en") -> int:
    """Write rows in ``csv``, ``xlsx`` or ``parquet``; return the row count."""
    if fmt == "csv":
        return write_csv(rows, path, delimiter, headers)
    if fmt == "xlsx":
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_xlsx(rows, path, headers)
    if fmt == "parquet":
        return write_parquet(rows, path)
    raise ValueError(f"unknown export format {fmt!r} (csv, xlsx, parquet)")


def topic_terms_list(value: Any) -> list[str]:
    """Return a list column's value as a list, whether it is stored as JSON text or as a typed list."""
    if value is None:
        return []
    if isinstance(value, str):
        return list(json.loads(value))
    return list(value)


def open_warehouse(db_path: Path, wait: float | None = None):
    """Return a read-only connection to the published warehouse (``pipelines.warehouse.db.open_reader``), with the views.

    Raises ``FileNotFoundError`` when there is no warehouse and ``pipelines.warehouse.db.WarehouseBusy``
    when something holds it for writing longer than ``wait`` seconds (default ``RATSINFO_LOCK_WAIT``).
    """
    from pipelines.warehouse.db import open_reader

    con = open_reader(db_path, wait=wait)
    ensure_views(con)
    return con


def export_tables(con, folder: Path, fmt: str = "parquet", delimiter: str = ",") -> dict[str, int]:
    """Write every table and view of the warehouse to ``folder/<name>.<fmt>`` (parquet or csv); return rows per file.

    Runs on a read-only connection: DuckDB writes the files itself. The full-text
    index's internal tables are left out.
    """
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"tables export as parquet or csv, not {fmt!r}")
    ensure_views(con)
    folder.mkdir(parents=True, exist_ok=True)
    names = [row[0] for row in con.execute(
        """SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal
           UNION SELECT view_name FROM duckdb_views() WHERE NOT internal AND schema_name IN ('main', 'temp')
           ORDER BY 1"""
    ).fetchall()]
    options = "FORMAT parquet" if fmt == "parquet" else f"FORMAT csv, HEADER true, DELIMITER '{_sql_string(delimiter)}'"
    counts = {}
    for name in names:
        path = folder / f"{name}.{fmt}"
        con.execute(f"""COPY (SELECT * FROM "{name}") TO '{_sql_string(str(path))}' ({options})""")
        counts[name] = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
    return counts
