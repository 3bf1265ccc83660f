"""``to010`` agenda pages (Meeting, AgendaItems, Files) and ``to020`` excerpts (one AgendaItem with its texts).

Agenda rows are recognised by their number cell (``td.text4`` / ``td.tonr``);
"Öffentlicher Teil" / "Nichtöffentlicher Teil" rows set whether the items
below are public when the number carries no Ö/N prefix.
"""

from __future__ import annotations

import re

from schemas.items import AgendaItem, File, Item, Meeting
from spiders.dialects.allris_classic.doc import (
    Doc,
    absolute_url,
    first_value,
    headline_text,
    id_in,
    label_values,
    meta_object_id,
    unique_links,
    url_param,
)
from spiders.dialects.allris_classic.documents import anlagen_in, do027_documents_in, file_items, meeting_file_role
from spiders.dialects.allris_classic.text import line_text, node_text, parse_html, section_content
from spiders.dialects.html_text import vote_table_text
from spiders.dialects.base import Link, ParseError, Parsed
from spiders.dialects.html import Element, ancestor, children, classes, find, find_all, select, select_one

# Button titles that name the button, not a result ("Auszug" in Hildesheim's Beratungsfolge).
_GENERIC_BUTTON_TITLES = frozenset(
    ("", "auszug", "beschluss", "beschlüsse", "protokoll", "niederschrift", "tagesordnung", "drucksache", "vorlage")
)
_CANCELLED = re.compile(r"\b(entf[äa]llt|abgesagt|ausgefallen)\b", re.I)


def cancelled_from_name(name: str | None) -> bool | None:
    """Return True when a meeting's name says it is cancelled ("ENTFÄLLT!"), else None (not known)."""
    return True if _CANCELLED.search(name or "") else None


def name_key(name: str) -> str:
    """Return a meeting name without cancellation words, punctuation and case ("(ABGESAGT!!)" makes no other key)."""
    return re.sub(r"\W+", "", _CANCELLED.sub("", name)).lower()


def _organization_id(cell: Element | None) -> str | None:
    """Return "au-<AULFDNR>" / "gr-<GRLFDNR>" / "pa-<PALFDNR>" from the committee link in a cell."""
    if cell is None:
        return None
    for link in find_all(cell, "a", href=True):
        for param, prefix in (("AULFDNR", "au"), ("GRLFDNR", "gr"), ("PALFDNR", "pa")):
            value = url_param(link.get("href"), param)
            if value:
                return f"{prefix}-{value}"
    return None


def _meeting_values(pairs: list[tuple[str, Element | None]]) -> dict:
    def value(*labels: str) -> Element | None:
        return first_value(pairs, lambda label: label in labels)

    committee = value("gremium")
    return {
        "name": line_text(value("bezeichnung", "betreff", "sitzung")),
        "organization": _organization_id(committee),
        "organizationName": line_text(committee),
        "dateRaw": line_text(value("datum", "sitzungsdatum", "termin")),
        "timeRaw": line_text(value("zeit", "uhrzeit", "beginn", "sitzungsbeginn")),
        "room": line_text(value("raum", "sitzungsraum")),
        "locality": line_text(value("ort", "sitzungsort")),
    }


def parse_meeting(doc: Doc) -> Parsed:
    """Return the Meeting, AgendaItems and Files of a ``to010`` page, and Links to to020, vo020 and the files."""
    silfdnr = meta_object_id(doc) or url_param(doc.page.url, "SILFDNR") or id_in(doc.soup, "SILFDNR")
    if not silfdnr:
        raise ParseError(f"{doc.page.url}: to010 page without SILFDNR")
    values = _meeting_values(label_values(doc.soup))
    if not values["name"]:
        headline = (headline_text(doc) or "").replace("\n", " ")
        headline = re.sub(r"^Tagesordnung\s+-\s+", "", headline)
        values["name"] = headline or None
    cancelled = cancelled_from_name(values["name"])
    meeting = Meeting(**doc.base(silfdnr), cancelled=cancelled, **values)

    agenda, row_files, follow = _agenda(doc, silfdnr)
    if not (values["name"] or values["dateRaw"] or agenda):
        raise ParseError(f"{doc.page.url}: to010 page without Bezeichnung, Datum and agenda")
    row_file_ids = {f.systemId for f in row_files}
    documents = [d for d in do027_documents_in(doc, doc.soup) if d["id"] not in row_file_ids]
    files, file_links = file_items(doc, "Meeting", silfdnr, documents, [], meeting_file_role)
    fields_seen = {
        "name": bool(meeting.name),
        "organizationName": bool(meeting.organizationName),
        "dateRaw": bool(meeting.dateRaw),
        "timeRaw": bool(meeting.timeRaw),
        "room": bool(meeting.room),
        "agendaItems": bool(agenda),
    }
    items: list[Item] = [meeting, *agenda, *files, *row_files]
    links = follow + file_links + [
        Link(f.accessUrl, "file", {"parent": f.parent, "parentType": f.parentType, "fileSystemId": f.systemId})
        for f in row_files
        if f.accessUrl
    ]
    return Parsed(items=items, follow=unique_links(links), fields_seen=fields_seen)


_SECTION_HEADING = re.compile(r"^(nicht\s*-?\s*öffentliche?r?|öffentliche?r?)\s+(teil|sitzung)", re.I)


def _agenda_rows(soup: Element) -> list[Element]:
    rows = select(soup, "table.tl1 tr, table.toTable tr")
    # An install with another table class: any row outside the header column will do,
    # since agenda rows are recognised by their number cell anyway.
    return rows or [tr for tr in find_all(soup, "tr") if ancestor(tr, "td", class_="ko1") is None]


def _agenda(doc: Doc, silfdnr: str) -> tuple[list[AgendaItem], list[File], list[Link]]:
    """Return the agenda items, the files hung on single items, and the to020/vo020 links."""
    items: list[AgendaItem] = []
    row_files: list[File] = []
    follow: list[Link] = []
    section_public: bool | None = None
    for tr in _agenda_rows(doc.soup):
        cells = children(tr, "td")
        if not cells:
            continue
        first = cells[0]
        first_classes = set(classes(first))
        number = line_text(first) if first_classes & {"text4", "tonr"} else _unmarked_number(tr, first)
        if not number:
            heading = line_text(tr) or ""
            if _SECTION_HEADING.match(heading):
                section_public = not heading.lower().startswith("nicht")
                continue
            if first_classes & {"text4", "tonr"}:
                # A row without number holds a document of the item above (the
                # Niederschrift whose approval that item is).
                parent_type, parent = ("AgendaItem", items[-1].systemId) if items else ("Meeting", silfdnr)
                files, _ = file_items(
                    doc, parent_type, parent, do027_documents_in(doc, tr), [], lambda _: "auxiliaryFile"
                )
                row_files.extend(files)
            continue
        item, links = _agenda_item_from_row(doc, tr, cells, number, silfdnr, len(items), section_public)
        items.append(item)
        follow.extend(links)
    _link_sub_items(items)
    return items, row_files, follow


def _number_path(number: str) -> tuple[str, tuple[str, ...]] | None:
    """Return ("Ö", ("4", "17", "1")) for "Ö 4.17.1", ("", ("3",)) for "3.", None for a number of another shape."""
    match = re.match(r"^([ÖN]?)\s*(\d{1,3}[a-z]?(?:\.\d{1,3}[a-z]?)*)\.?$", number)
    return (match.group(1), tuple(match.group(2).split("."))) if match else None


def _link_sub_items(items: list[AgendaItem]) -> None:
    """Set ``parent`` of each sub-item ("Ö 4.1", "Ö 4.17.1") to the nearest item above it numbered one level up.

    Classic agendas print the nesting only in the numbers (ALLRIS 4 has
    ``data-tt-parent-id``); an item whose parent is not on the page keeps none.
    """
    above: dict[tuple[str, tuple[str, ...]], str] = {}
    for item in items:
        path = _number_path(item.number or "")
        if path is None:
            continue
        prefix, parts = path
        if len(parts) > 1:
            item.parent = above.get((prefix, parts[:-1]))
        above[path] = item.systemId


# Links to the programs, in any case ("TO020.ASP" in some installs).
_TO020 = re.compile(r"to020", re.I)
_VO020 = re.compile(r"vo020", re.I)
_TO020_OR_VO020 = re.compile(r"to020|vo020", re.I)
_VO020_OR_TO010 = re.compile(r"vo020|to010", re.I)

# An agenda number as printed: "Ö 2.1", "N 3", "4.", "10a".
_TOP_NUMBER = re.compile(r"^(?:[ÖN]\s*)?\d{1,3}[a-z]?(?:\.\d{1,3}[a-z]?)*\.?$")


def _unmarked_number(tr: Element, first: Element) -> str | None:
    """Return the number of an agenda row whose number cell has no class: a TOP number in the first cell of an item's row."""
    text = line_text(first)
    if not text or not _TOP_NUMBER.match(text) or classes(first):
        return None
    refers = id_in(tr, "TOLFDNR") or find(tr, "a", href=_TO020_OR_VO020) is not None
    return text if refers else None


def _agenda_item_from_row(
    doc: Doc, tr: Element, cells: list[Element], number: str, silfdnr: str, order: int, section_public: bool | None
) -> tuple[AgendaItem, list[Link]]:
    anchors, forms = find_all(tr, "a", href=True), find_all(tr, "form")  # looked at by every question below
    # The row's own id is in its to020 link or form; another TOLFDNR may name the meeting an item came from.
    tolfdnr = id_in(tr, "TOLFDNR", "to020", anchors, forms) or id_in(tr, "TOLFDNR", None, anchors, forms)
    to020_links = [a for a in anchors if _TO020.search(a.get("href"))]
    # A linked number ("Ö 4") is no title: the title is the first to020 link with other text.
    titled = next((a for a in to020_links if line_text(a) != number), None)
    to020_link = titled if titled is not None else (to020_links[0] if to020_links else None)
    title_cell = select_one(tr, "td.tobetreff")
    if titled is not None:
        name = node_text(titled, keep_newlines=True)
    elif title_cell is not None:
        name = node_text(title_cell, keep_newlines=True)
    else:
        name = next(
            (
                text
                for c in cells[1:]
                if find(c, "a", href=_VO020_OR_TO010) is None and find(c, "form") is None
                and (text := node_text(c, keep_newlines=True))
            ),
            "",
        )
    paper_link = next((a for a in anchors if _VO020.search(a.get("href"))), None)
    volfdnr = id_in(tr, "VOLFDNR", "vo020", anchors, forms)
    result_button = next(
        (i for f in forms if "to020" in (f.get("action") or "").lower() for i in find_all(f, "input") if i.get("type") == "submit"),
        None,
    )
    result = (result_button.get("title") or "").strip() if result_button is not None else ""
    prefix = re.match(r"^(Ö|N)\b", number)
    public = (prefix.group(1) == "Ö") if prefix else section_public
    item = AgendaItem(
        **doc.base(tolfdnr or f"{silfdnr}-{number}"),
        meeting=silfdnr,
        number=number,
        order=order,
        name=name or None,
        public=public,
        paper=volfdnr,
        paperReference=line_text(paper_link) if paper_link is not None else None,
        resultRaw=result if result.lower() not in _GENERIC_BUTTON_TITLES else None,
    )
    links = []
    has_to020_form = any("to020" in (f.get("action") or "").lower() for f in forms)
    if to020_link is not None:
        links.append(Link(absolute_url(doc, to020_link.get("href")), "to020"))
    elif tolfdnr and has_to020_form:
        links.append(Link(absolute_url(doc, f"to020.asp?TOLFDNR={tolfdnr}"), "to020"))
    if paper_link is not None:
        links.append(Link(absolute_url(doc, paper_link.get("href")), "vo020"))
    elif volfdnr:
        links.append(Link(absolute_url(doc, f"vo020.asp?VOLFDNR={volfdnr}"), "vo020"))
    return item, links


_RESULT_LABELS = ("beschlussart", "beschluss", "ergebnis", "beschlussergebnis", "entscheidung")
_AGENDA_SECTION_FIELDS = {"WP": "protocolText", "BS": "resolutionText", "AE": "voteRaw"}


def parse_agenda_item(doc: Doc) -> Parsed:
    """Return the AgendaItem (result, Beschluss, Wortprotokoll, Abstimmung) and Files of a ``to020`` page."""
    tolfdnr = (
        meta_object_id(doc)
        or url_param(doc.page.url, "TOLFDNR")
        or url_param(next((f.get("action") for f in select(doc.soup, 'form[action*="topSelected"]')), None), "topSelected")
    )
    if not tolfdnr:
        raise ParseError(f"{doc.page.url}: to020 page without TOLFDNR")
    pairs = label_values(doc.soup)
    number = line_text(first_value(pairs, lambda label: label in ("top", "tagesordnungspunkt", "top-nr.", "top-nr")))
    # "Beschlussart:" on most installs; others print "Beschluss:", "Ergebnis:" or "Entscheidung:".
    result = line_text(first_value(pairs, lambda label: label in _RESULT_LABELS))
    vote_label = line_text(first_value(pairs, lambda label: label.startswith("abstimmung")))
    headline = headline_text(doc) or ""
    name = re.sub(r"^Auszug\s+-\s+", "", headline) or None
    if not (number or result or name):
        raise ParseError(f"{doc.page.url}: to020 page without TOP, Beschlussart and headline")
    meeting = id_in(doc.soup, "SILFDNR", "to010")
    paper_link = find(doc.soup, "a", href=_VO020)
    volfdnr = id_in(doc.soup, "VOLFDNR", "vo020")
    texts: dict[str, str] = {}
    table_votes: str | None = None
    for code, html in doc.sections:
        field = _AGENDA_SECTION_FIELDS.get(code.upper())
        tree = parse_html(html)  # parsed once for its text and its vote table
        text = section_content(node_text(tree))
        if field and text and field not in texts:
            texts[field] = text
        votes = vote_table_text(tree) if code.upper() in ("BS", "WP") else None
        if votes:
            table_votes = table_votes or votes
    if "voteRaw" not in texts and vote_label:
        texts["voteRaw"] = vote_label
    if "voteRaw" not in texts and table_votes:
        # No Abstimmungsergebnis section: the counts stand in a table inside the Beschluss or Protokoll.
        texts["voteRaw"] = table_votes
    prefix = re.match(r"^(Ö|N)\b", number or "")
    item = AgendaItem(
        **doc.base(tolfdnr),
        meeting=meeting,
        number=number,
        name=name,
        public=(prefix.group(1) == "Ö") if prefix else None,
        paper=volfdnr,
        paperReference=_reference_in_link(paper_link, name),
        resultRaw=result,
        **texts,
    )
    files, file_links = file_items(
        doc,
        "AgendaItem",
        tolfdnr,
        do027_documents_in(doc, doc.soup),
        anlagen_in(doc, doc.soup),
        lambda _: "auxiliaryFile",
    )
    follow = list(file_links)
    if paper_link is not None:
        follow.append(Link(absolute_url(doc, paper_link.get("href")), "vo020"))
    fields_seen = {
        "number": bool(number),
        "name": bool(name),
        "meeting": bool(meeting),
        "resultRaw": bool(result),
    }
    if not _undecided(result):
        # An undecided item ("(offen)") has no Beschluss yet: not a parse miss.
        fields_seen["text"] = bool(texts)
    of_meeting = _excerpt_meeting(doc, pairs, meeting)
    return Parsed(items=[item, *([of_meeting] if of_meeting else []), *files], follow=follow, fields_seen=fields_seen)


def _excerpt_meeting(doc: Doc, pairs: list[tuple[str, Element | None]], silfdnr: str | None) -> Meeting | None:
    """Return what a to020 page shows of its meeting (committee, date, time, room) as a Meeting, or None.

    Only with the meeting's id and date. The load merges it with the meeting's
    own page field by field (as ALLRIS 4's excerpts), so a meeting whose agenda
    page is not crawled keeps its date, and nothing the agenda page says is lost.
    The meeting's name is the text of its to010 link; "Betreff" on this page
    belongs to the item or its paper.
    """
    if not silfdnr:
        return None
    values = _meeting_values(pairs)
    if not values["dateRaw"]:
        return None
    link = next(
        (a for a in find_all(doc.soup, "a", href=True)
         if "to010" in a.get("href").lower() and url_param(a.get("href"), "SILFDNR") == silfdnr),
        None,
    )
    values["name"] = line_text(link) if link is not None else None
    return Meeting(**doc.base(silfdnr), cancelled=cancelled_from_name(values["name"]), **values)


def _undecided(result: str | None) -> bool:
    return (result or "").strip().strip("()").strip().lower() in {"offen", ""}


def _reference_in_link(link: Element | None, name: str | None) -> str | None:
    """Return the paper number from a "<Nummer> <Betreff>" link (to020, vo040)."""
    if link is None:
        return None
    text = node_text(link, keep_newlines=True)
    first_line = text.split("\n")[0]
    title = (name or "").split("\n")[0]
    if title and title in first_line and first_line.index(title) > 0:
        return first_line[: first_line.index(title)].strip() or None
    return re.split(r"[\s\u00a0]+", first_line, maxsplit=1)[0] or None
