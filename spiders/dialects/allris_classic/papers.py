"""``vo020`` / ``vo020_r`` paper pages: the Paper, its text sections, its Beratungsfolge (Consultations) and Files.

The Beratungsfolge has two rows per station (committee and role; date,
meeting and result), row B missing while the station is unscheduled; the
classic pages mark the rows by cell class, the responsive ones use a
``table.bfTable`` with column headings.
"""

from __future__ import annotations

import re

from schemas.items import Consultation, Paper
from spiders.dialects.allris_classic.doc import (
    Doc,
    headline_text,
    id_in,
    label_key,
    label_values,
    meta_object_id,
    url_param,
)
from spiders.dialects.allris_classic.documents import anlagen_in, do027_documents_in, file_items, paper_document_role
from spiders.dialects.allris_classic.text import html_text, line_text, node_text, section_content
from spiders.dialects.base import ParseError, Parsed
from spiders.dialects.html import Element, ancestor, children, find, find_all, next_sibling, select, select_one

# Section names for pages that do not list their sections as links (Hildesheim in its CMS).
_SECTION_NAMES = {
    "SV": "Sachverhalt",
    "BV": "Beschlussvorschlag",
    "BG": "Begründung",
    "BS": "Beschluss",
    "AN": "Anlagen",
    "WP": "Protokoll",
    "AE": "Abstimmungsergebnis",
}
_PAPER_SECTION_FIELDS = {"SV": "sachverhalt", "BV": "beschlussvorschlag", "BG": "begruendung", "BS": "beschluss"}


def _paper_field(label: str) -> str | None:
    if label == "betreff":
        return "name"
    if label == "status":
        return "status"
    if label.endswith("-art") or label in ("art", "vorlagenart", "vorlageart"):
        return "paperType"
    if label.startswith(("verfasser", "berichterstatt", "vorstand", "antragsteller", "einreicher")):
        return "author"
    if label.startswith("federführ"):
        return "leadOfficeRaw"
    if label.startswith(("bearbeiter", "sachbearbeiter")):
        return "clerk"
    return None


def _vo020_ids(node: Element) -> list[str]:
    """Return the VOLFDNRs of the vo020 links and VO buttons inside ``node``, in page order."""
    ids: list[str] = []
    for element in find_all(node, ["a", "form"]):
        is_link = element.tag == "a"
        target = element.get("href") if is_link else element.get("action")
        if not target or "vo020" not in target.lower():
            continue
        volfdnr = id_in(element, "VOLFDNR", anchors=[element] if is_link else [], forms=[] if is_link else [element])
        if volfdnr and volfdnr not in ids:
            ids.append(volfdnr)
    return ids


def _related_papers(doc: Doc, pairs: list[tuple[str, Element | None]], volfdnr: str) -> list[str]:
    """Return the VOLFDNRs of the papers this one refers to ("Bezüglich:") and of its family ("Stammbaum:").

    "Bezüglich:" names the paper answered, amended or continued; the
    "Stammbaum:" table below the texts lists every paper of the family, this
    one as the row without a link.
    """
    related: list[str] = []
    for label, cell in pairs:
        if cell is not None and label.startswith(("bezüglich", "bezug")):
            related += _vo020_ids(cell)
    for cell in select(doc.soup, "td.kb1"):
        if label_key(cell) != "stammbaum":
            continue
        row = ancestor(cell, "tr")
        for sibling in row.itersiblings("tr") if row is not None else ():
            related += _vo020_ids(sibling)
    return [r for i, r in enumerate(related) if r != volfdnr and r not in related[:i]]


def parse_paper(doc: Doc) -> Parsed:
    """Return the Paper, its Consultations and Files of a ``vo020`` page, and Links to the files."""
    values: dict[str, str | None] = {}
    pairs = label_values(doc.soup)
    for label, cell in pairs:
        field = _paper_field(label)
        if field is None or cell is None or field in values:
            continue
        if field == "name":
            values[field] = node_text(cell, keep_newlines=True) or None
        elif field == "author":
            values[field] = "; ".join(node_text(cell, keep_newlines=True).split("\n")) or None
        else:
            values[field] = line_text(cell)
    headline = headline_text(doc)
    if not values.get("name") and not (headline and values):
        raise ParseError(f"{doc.page.url}: vo020 page without Betreff and without headline plus label cells")
    volfdnr = meta_object_id(doc) or url_param(doc.page.url, "VOLFDNR") or id_in(doc.soup, "VOLFDNR", "vo021")
    if not volfdnr:
        raise ParseError(f"{doc.page.url}: vo020 page without VOLFDNR (meta objectID, URL or Beschlüsse form)")
    reference = _reference_from_headline(headline, values.get("paperType"), responsive=select_one(doc.soup, "h1.title") is not None)

    texts, other = _paper_texts(doc)
    paper = Paper(
        **doc.base(volfdnr),
        reference=reference,
        otherText=other or None,
        relatedPaper=_related_papers(doc, pairs, volfdnr) or None,
        **values,
        **texts,
    )
    consultations = _consultations(doc, volfdnr)
    files, file_links = file_items(
        doc, "Paper", volfdnr, do027_documents_in(doc, doc.soup), anlagen_in(doc, doc.soup), paper_document_role
    )
    fields_seen = {
        "reference": bool(reference),
        "name": bool(paper.name),
        "paperType": bool(paper.paperType),
        "status": bool(paper.status),
        "author": bool(paper.author),
        "leadOfficeRaw": bool(paper.leadOfficeRaw),
        "consultations": bool(consultations),
        "mainFile": any(f.role == "mainFile" for f in files),
        "text": bool(texts or other),
    }
    return Parsed(items=[paper, *consultations, *files], follow=file_links, fields_seen=fields_seen)


def _reference_from_headline(headline: str | None, paper_type: str | None, responsive: bool) -> str | None:
    """Return the paper number from "Drucksache - 22-2362" (classic) or "VO/2026/181 - Art" (responsive)."""
    if not headline:
        return None
    first_line = headline.split("\n")[0]
    if " - " not in first_line:
        return first_line.strip() or None
    left, right = (part.strip() for part in first_line.split(" - ", 1))
    if paper_type and right.lower() == paper_type.lower():
        return left
    if paper_type and left.lower() == paper_type.lower():
        return right
    # Paper numbers carry digits, the type words in front of or behind them do not.
    left_digit, right_digit = any(c.isdigit() for c in left), any(c.isdigit() for c in right)
    if left_digit != right_digit:
        return left if left_digit else right
    return left if responsive else right


def _section_labels(doc: Doc) -> dict[str, str]:
    labels = {}
    for link in select(doc.soup, 'a[href^="#allris"]'):
        text = line_text(link)
        if text:
            labels.setdefault(link.get("href")[len("#allris"):], text)
    return labels


def _paper_texts(doc: Doc) -> tuple[dict[str, str], dict[str, str]]:
    """Return the text sections with a Paper column, and the others as {label: text}."""
    labels = _section_labels(doc)
    texts: dict[str, str] = {}
    other: dict[str, str] = {}
    for code, html in doc.sections:
        text = section_content(html_text(html))
        if not text:
            continue
        label = labels.get(code) or _SECTION_NAMES.get(code.upper()) or f"allris{code}"
        field = _PAPER_SECTION_FIELDS.get(code.upper())
        if field is None and label.lower().startswith("begründung"):
            field = "begruendung"
        if field and field not in texts:
            texts[field] = text
        else:
            other[label] = text
    return texts, other


def _consultations(doc: Doc, volfdnr: str) -> list[Consultation]:
    stations = _classic_stations(doc.soup)
    if stations is None:
        stations = _responsive_stations(doc.soup)
    items = []
    for position, station in enumerate(stations, start=1):
        role = station.get("role")
        items.append(
            Consultation(
                **doc.base(f"{volfdnr}-{position}"),
                paper=volfdnr,
                position=position,
                meeting=station.get("meeting"),
                agendaItem=station.get("agendaItem"),
                organizationName=station.get("organizationName"),
                role=role,
                authoritative=(role == "Entscheidung") if role else None,
                state=station.get("state"),
                dateRaw=station.get("dateRaw"),
                resultRaw=station.get("resultRaw"),
            )
        )
    return items


def _classic_stations(soup: Element) -> list[dict] | None:
    """Return the Beratungsfolge stations of a classic page (None when it has no such label)."""
    label = next((cell for cell in select(soup, "td.kb1") if label_key(cell) == "beratungsfolge"), None)
    if label is None:
        return None
    row = ancestor(label, "tr")
    holder = next_sibling(row, "tr") if row is not None else None
    table = find(holder, "table") if holder is not None else None
    if table is None:
        return []
    stations: list[dict] = []
    for tr in find_all(table, "tr"):
        date_cell = select_one(tr, "td.text2") or _unmarked_date_cell(tr)
        if date_cell is not None:  # row B: date, meeting, result
            if not stations or "dateRaw" in stations[-1]:
                stations.append({})
            station = stations[-1]
            station["dateRaw"] = line_text(date_cell)
            station["meeting"] = id_in(tr, "SILFDNR")
            station["agendaItem"] = id_in(tr, "TOLFDNR", "to020") or url_param(
                next((f.get("action") for f in find_all(tr, "form") if "topselected" in (f.get("action") or "").lower()), None),
                "topSelected",
            )
            station["resultRaw"] = line_text(select_one(tr, "td.text3") or _unmarked_result_cell(tr))
            station.setdefault("state", _state_of(tr))
        elif (names := select(tr, "td.text1") or _unmarked_text_cells(tr)):  # row A: committee and role
            stations.append(
                {
                    "organizationName": line_text(names[0]),
                    "role": line_text(names[1]) if len(names) > 1 else None,
                    "state": _state_of(tr),
                }
            )
    return stations


_DATE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}$")


def _cells(tr: Element) -> list[Element]:
    return [td for td in tr if isinstance(td.tag, str) and td.tag == "td"]


def _unmarked_date_cell(tr: Element) -> Element | None:
    """Return the date cell of a row B whose cells carry no classes: a cell that is only a date, in a row naming a meeting."""
    if select_one(tr, "td.text1, td.text2, td.text3") is not None or not id_in(tr, "SILFDNR"):
        return None
    return next((td for td in _cells(tr) if _DATE.match(line_text(td) or "")), None)


def _unmarked_result_cell(tr: Element) -> Element | None:
    """Return the result cell of a classless row B: the first cell with text after the meeting link, without a form."""
    cells = _cells(tr)
    link_at = next((i for i, td in enumerate(cells) if find(td, "a", href=re.compile(r"to010", re.I)) is not None), None)
    if link_at is None:
        return None
    return next((td for td in cells[link_at + 1:] if find(td, "form") is None and line_text(td)), None)


def _unmarked_text_cells(tr: Element) -> list[Element]:
    """Return the committee and role cells of a classless row A (cells with text, no ids, no forms)."""
    if select_one(tr, "td.text1, td.text2, td.text3") is not None or id_in(tr, "SILFDNR") or find(tr, "form") is not None:
        return []
    return [td for td in _cells(tr) if line_text(td)]


def _state_of(tr: Element) -> str | None:
    cell = find(tr, "td", title=True)
    return (cell.get("title") or "").strip() or None if cell is not None else None


def _responsive_stations(soup: Element) -> list[dict]:
    """Return the stations of a responsive ``table.bfTable`` (two rows per station)."""
    table = select_one(soup, "table.bfTable")
    if table is None:
        return []
    headers = [label_key(th) for th in select(table, "thead th")]
    column = {name: i for i, name in enumerate(headers)}
    stations: list[dict] = []
    for tr in select(table, "tbody tr"):
        cells = children(tr, "td")

        def cell(name: str) -> Element | None:
            index = column.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        if select_one(tr, "td.date") is not None:
            if not stations or "dateRaw" in stations[-1]:
                stations.append({})
            station = stations[-1]
            station["dateRaw"] = line_text(select_one(tr, "td.date"))
            station["meeting"] = id_in(tr, "SILFDNR")
            station["agendaItem"] = id_in(tr, "TOLFDNR")
            station["resultRaw"] = line_text(cell("beschluss"))
        else:
            status = select_one(tr, "[aria-label]")
            stations.append(
                {
                    "organizationName": line_text(cell("gremium")),
                    "role": line_text(cell("beschluss")),
                    "state": (status.get("aria-label") or "").strip() or None if status is not None else None,
                }
            )
    return stations
