"""The process page ``vorgang/?__=<token>``: the paper, its documents and its Beratungsfolge.

Header: ``table.table-details``; the first row's label is the paper type and
its value the paper number ("Drucksache XI.: 926 /XI.", "Vorlage zur
Kenntnis: T 02/325/26"); then "Betreff:" (lines), "Federführung:", and
"Dokument:" with the paper (``vorlage-link``) and its attachments
(``vorlage-attachment-link``). Further rows some installs print ("Status:",
"Datum:", "Verfasser:", "Aktenzeichen:") are read by their label.

Beratungsfolge: ``table.table-vorgang`` (caption "Beratungsfolge"), one row per
consultation with ``td.column-beginn`` (date, link to the meeting),
``td.column-gremium`` (committee link), ``td.column-beschluss`` (resolution text
and/or the "Beschlusstext" document) and ``td.column-ergebnis`` (vote). The
row's ``data-vorgang-id`` "200_<n>" names the agenda item the consultation was.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin


from schemas.items import Consultation, Item, Paper
from spiders.dialects.base import Link, Page, Parsed, ParseError
from spiders.dialects.html_text import one_line, paragraphs
from spiders.dialects.sdnet.common import (date_and_time, details, file_item, file_role, is_document, token,
                                           unique_items, unique_links)
from spiders.dialects.sdnet.detection import NAME
from spiders.dialects.html import Element, copy_without, find, find_all, parse_html, select, select_one

# Labels with a Paper field; any other label before "Betreff" is the paper type.
FIELDS = {
    "betreff": "name",
    "federführung": "leadOfficeRaw",
    "federführend": "leadOfficeRaw",
    "status": "status",
    "datum": "dateRaw",
    "erstellt am": "dateRaw",
    "verfasser": "author",
    "antragsteller": "author",
    "einreicher": "author",
    "bearbeiter": "clerk",
    "sachbearbeiter": "clerk",
    "aktenzeichen": "fileNumber",
}
DOCUMENT_LABELS = ("dokument", "dokumente", "anlagen", "unterlagen")
_HEADING = re.compile(r"^Vorgang\s+(.+)$")


def parse_vorgang(page: Page, source: str) -> Parsed:
    """Return the paper, its documents and consultations, and the links to the documents."""
    paper_id = token(page.url)
    if not paper_id:
        raise ParseError(f"SD.NET process page without its ?__= token: {page.url}")
    soup = parse_html(page.text)
    values: dict[str, str | None] = {}
    paper_type = reference = None
    items: list[Item] = []
    follow: list[Link] = []
    position = 0
    for label, td in details(soup):
        key = label.lower()
        if key in DOCUMENT_LABELS or any(is_document(a) for a in find_all(td, "a", href=True)):
            for a in find_all(td, "a", href=True):
                if is_document(a):
                    position += 1
                    f = file_item(a, page.url, source, "Paper", paper_id, position, file_role(a))
                    items.append(f)
                    follow.append(Link(f.accessUrl, "file"))
            continue
        field = FIELDS.get(key)
        if field:
            values.setdefault(field, one_line(td))
        elif paper_type is None and "name" not in values:
            paper_type, reference = label, one_line(td)
    if reference is None:
        heading = _HEADING.match(one_line(select_one(soup, "#div-content h1, h1.heading")) or "")
        reference = heading.group(1).strip() if heading else None
    paper = Paper(source=source, system=NAME, systemId=paper_id, url=page.url, reference=reference,
                  paperType=paper_type, **values)
    consultations, files = _consultations(soup, paper_id, page, source)
    items = [paper, *items, *consultations, *files]
    follow += [Link(f.accessUrl, "file") for f in files]
    parsed = Parsed(items=unique_items(items), follow=unique_links(follow))
    parsed.fields_seen = {
        "reference": paper.reference is not None,
        "name": paper.name is not None,
        "leadOfficeRaw": paper.leadOfficeRaw is not None,
        "consultations": bool(consultations),
    }
    return parsed


def _consultations(soup, paper_id: str, page: Page, source: str) -> tuple[list[Consultation], list]:
    out, files = [], []
    rows = [tr for tr in select(soup, "tr") if select_one(tr, "td.column-gremium")]
    for position, tr in enumerate(rows, start=1):
        begin = select_one(tr, "td.column-beginn")
        meeting_a = find(begin, "a", href=True) if begin else None
        committee_a = select_one(tr, "td.column-gremium a[href]")
        vid = tr.get("data-vorgang-id") or ""
        agenda_item = vid.split("_", 1)[1] if vid.startswith("200_") else None
        day, _ = date_and_time(one_line(begin))
        decision = select_one(tr, "td.column-beschluss")
        for a in find_all(decision, "a", href=True) if decision else []:
            if is_document(a):
                parent_type, parent = ("AgendaItem", agenda_item) if agenda_item else ("Paper", paper_id)
                files.append(file_item(a, page.url, source, parent_type, parent, 1, file_role(a)))
        result = "; ".join(t for t in (_text_without_links(decision), one_line(select_one(tr, "td.column-ergebnis"))) if t)
        out.append(Consultation(
            source=source, system=NAME, systemId=f"{paper_id}/{agenda_item or position}", url=page.url,
            paper=paper_id, position=position,
            meeting=token(urljoin(page.url, meeting_a.get("href"))) if meeting_a else None,
            agendaItem=agenda_item,
            organization=token(committee_a.get("href")) if committee_a else None,
            organizationName=one_line(select_one(tr, "td.column-gremium")),
            dateRaw=day, resultRaw=result or None,
        ))
    return out, files


def _text_without_links(td: Element | None) -> str | None:
    """Return a cell's own text, without the labels of the document links in it."""
    if td is None:
        return None
    return paragraphs(copy_without(td, "a"))
