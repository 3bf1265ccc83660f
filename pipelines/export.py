"""CSV export for journalists: one row per paper with its resolution.

The file opens cleanly in German Excel: UTF-8 with a byte-order mark, and
``;`` as separator on request (German Excel expects it). No cell can run as
a formula: a value starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return gets a leading apostrophe (OWASP's advice against CSV injection).

"Its resolution" is the agenda item that decided the paper: among the agenda
items that treat it (linked directly, or through a consultation), the one
with a result, preferring the authoritative consultation and then the latest
meeting.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    "topic_terms",
    "url",
]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

EXPORT_SQL = """
WITH treatments AS (
    SELECT p."source", p."systemId" AS paper, ai."systemId" AS agenda_item, c."authoritative", c."organizationName" AS c_org,
           c."date" AS c_date
    FROM paper p
    JOIN consultation c ON c."source" = p."source" AND c."paper" = p."systemId"
    LEFT JOIN agenda_item ai ON ai."source" = c."source" AND ai."systemId" = c."agendaItem"
    UNION ALL
    SELECT ai."source", ai."paper", ai."systemId", NULL, NULL, NULL
    FROM agenda_item ai WHERE ai."paper" IS NOT NULL
),
ranked AS (
    SELECT t.*, ai."result", ai."resultRaw", ai."unanimous", ai."votesYes", ai."votesNo", ai."votesAbstain",
           ai."votesBiased", m."date" AS m_date, m."organizationName" AS m_org,
           row_number() OVER (
               PARTITION BY t."source", t.paper
               ORDER BY (ai."result" IS NOT NULL) DESC, coalesce(t."authoritative", false) DESC,
                        coalesce(m."date", t.c_date) DESC NULLS LAST, t.agenda_item
           ) AS rank
    FROM treatments t
    LEFT JOIN agenda_item ai ON ai."source" = t."source" AND ai."systemId" = t.agenda_item
    LEFT JOIN meeting m ON m."source" = ai."source" AND m."systemId" = ai."meeting"
)
SELECT p."source", p."systemId", coalesce(s."name", p."source") AS municipality,
       coalesce(r.m_date, r.c_date, p."date") AS date,
       coalesce(r.m_org, r.c_org) AS committee,
       p."reference", p."name", p."paperType",
       coalesce(p."leadOfficeName", p."leadOfficeRaw") AS lead_office, p."leadOfficeCode",
       r."result", r."resultRaw", r."unanimous", r."votesYes", r."votesNo", r."votesAbstain", r."votesBiased",
       p."topicTerms", coalesce(p."web", p."url") AS url
FROM paper p
LEFT JOIN ranked r ON r."source" = p."source" AND r.paper = p."systemId" AND r.rank = 1
LEFT JOIN source s ON s."source" = p."source"
WHERE NOT p."deleted" AND NOT coalesce(p."isStub", false)
  AND (? IS NULL OR list_contains(CAST(p."topics" AS VARCHAR[]), ?))
  AND (? IS NULL OR p."source" = ? OR lower(s."name") = lower(?))
  AND (CAST(? AS DATE) IS NULL OR coalesce(r.m_date, r.c_date, p."date") >= CAST(? AS DATE))
  AND (CAST(? AS DATE) IS NULL OR coalesce(r.m_date, r.c_date, p."date") <= CAST(? AS DATE))
ORDER BY date DESC NULLS LAST, p."source", p."reference"
"""


@dataclass(frozen=True)
class ExportQuery:
    topic: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    municipality: str | None = None


def neutralise(value: Any) -> str:
    """Return a cell's text, with a leading apostrophe where a spreadsheet would see a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def export_rows(con, query: ExportQuery) -> list[dict[str, Any]]:
    """Return the export's rows (as dicts keyed by COLUMNS) for a query."""
    params = [
        query.topic,
        query.topic,
        query.municipality,
        query.municipality,
        query.municipality,
        query.since,
        query.since,
        query.until,
        query.until,
    ]
    rows = []
    for r in con.execute(EXPORT_SQL, params).fetchall():
        (source, system_id, municipality, date, committee, reference, title, paper_type, office, office_code,
         result, result_raw, unanimous, yes, no, abstain, biased, terms, url) = r
        rows.append(
            {
                "id": f"{source}:{system_id}",
                "municipality": municipality,
                "date": date.isoformat() if date else None,
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
                "topic_terms": ", ".join(terms if isinstance(terms, list) else json.loads(terms)) if terms else None,
                "url": url,
            }
        )
    return rows


def write_csv(rows: list[dict[str, Any]], path: Path, delimiter: str = ",") -> int:
    """Write rows as an Excel-safe CSV (UTF-8 with BOM); return how many rows were written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([neutralise(row.get(c)) for c in COLUMNS])
    return len(rows)
