"""The meeting page ``tops/?__=<token>`` ("Sitzungstermin"): the meeting, its documents and its agenda.

Header: ``table.table-details`` rows "Sitzung:" (committee link ``gremien/?__=``
and the meeting's name), "Termin:" ("Mi, 09.10.2024 17:00 Uhr", a link to the
page itself), "Ort:" (lines), and document rows ("Tagesordnung:",
"Einladung:", "Niederschriften:", "Sitzungspaket:").

Agenda: one row per item with the cells ``td.column-topnrtext`` (number),
``td.column-bezeichnung`` (subject), ``td.column-nummer`` (paper number, may be
empty) and ``td.column-dokumente`` (documents and the link to the item's
process ``vorgang/?__=``). The row's class says public or not
(``top-oeff-*`` / ``top-noeff-*``), section header or item (``*-head`` /
``*-data``) and the level (``ebene1-3``: level 1, the 4th row). The row's
``data-vorgang-id`` is "505_<n>" for an item with a paper and "200_<n>" for
one without, where n is the agenda item's own number (also ``data-ivs-id``
where printed). Rows are found by their cells, not by the table's class.

The process of an item without a paper is the agenda item itself; only
processes of items with a paper number (or a "505_" id) are papers.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin


from schemas.items import AgendaItem, File, Item, Meeting
from spiders.dialects.base import Link, Page, Parsed, ParseError
from spiders.dialects.html_text import one_line
from spiders.dialects.sdnet.common import (date_and_time, details, file_item, file_role, is_document, place, token,
                                           unique_items, unique_links)
from spiders.dialects.sdnet.detection import NAME
from spiders.dialects.html import Element, classes, find, find_all, parse_html, select, select_one

_LEVEL = re.compile(r"\bebene(\d+)-")
_SECTION_TITLE = re.compile(r"^(nicht\s*)?öffentliche[rn]?\s+(sitzung|teil)\b", re.I)
_NON_PUBLIC = re.compile(r"^nicht\s*öffentlich", re.I)
_PAPER_ROLES = {"mainFile", "auxiliaryFile"}


def parse_tops(page: Page, source: str) -> Parsed:
    """Return the meeting, its documents, its agenda items and the links to their papers and documents."""
    soup = parse_html(page.text)
    rows = dict(details(soup))
    termin = rows.get("Termin")
    termin_a = find(termin, "a", href=True) if termin else None
    meeting_id = token(termin_a.get("href") if termin_a else None) or token(page.url)
    if not meeting_id:
        raise ParseError(f"SD.NET meeting page without its ?__= token: {page.url}")
    meeting = _meeting(soup, rows, meeting_id, page, source)
    items: list[Item] = [meeting]
    follow: list[Link] = []
    position = 0
    for label, td in details(soup):
        for a in find_all(td, "a", href=True):
            if is_document(a):
                position += 1
                f = file_item(a, page.url, source, "Meeting", meeting_id, position)
                items.append(f)
                follow.append(Link(f.accessUrl, "file"))
    agenda = _agenda(soup, meeting_id, page, source)
    for item in agenda:
        items.append(item)
        if isinstance(item, File):
            follow.append(Link(item.accessUrl, "file"))
    papers = [i.paper for i in agenda if isinstance(i, AgendaItem) and i.paper]
    paper_urls = _paper_urls(soup, page)
    follow[:0] = [Link(paper_urls[p], "vorgang") for p in dict.fromkeys(papers) if p in paper_urls]
    parsed = Parsed(items=unique_items(items), follow=unique_links(follow))
    parsed.fields_seen = {
        "organizationName": meeting.organizationName is not None,
        "dateRaw": meeting.dateRaw is not None,
        "agenda": any(isinstance(i, AgendaItem) for i in agenda),
    }
    return parsed


def _meeting(soup, rows: dict[str, Element], meeting_id: str, page: Page, source: str) -> Meeting:
    sitzung = rows.get("Sitzung")
    committee_a = find(sitzung, "a", href=True) if sitzung else None
    day, _ = date_and_time(one_line(rows.get("Termin")))
    heading = one_line(select_one(soup, "#div-content h1, h1.heading"))
    return Meeting(
        source=source,
        system=NAME,
        systemId=meeting_id,
        url=page.url,
        name=one_line(sitzung),
        organization=token(committee_a.get("href")) if committee_a else None,
        organizationName=one_line(committee_a) if committee_a else _before_comma(one_line(sitzung)),
        dateRaw=day,
        locality=place(rows.get("Ort")),
        meetingState=heading if heading in ("Sitzungsverlauf", "Tagesordnung") else None,
    )


def _before_comma(text: str | None) -> str | None:
    """Return the committee of a "Sitzung:" value printed without a link ("Gemeinderat, 12. Sitzung")."""
    return text.split(",", 1)[0].strip() or None if text and "," in text else None


def _agenda(soup, meeting_id: str, page: Page, source: str) -> list[Item]:
    out: list[Item] = []
    public: bool | None = None
    parents: dict[int, str] = {}
    order = 0
    for tr in select(soup, "tr"):
        number_td = select_one(tr, "td.column-topnrtext")
        title_td = select_one(tr, "td.column-bezeichnung")
        if title_td is None:
            continue
        row_classes = " ".join(classes(tr))
        number = one_line(number_td)
        title = one_line(title_td)
        reference = one_line(select_one(tr, "td.column-nummer"))
        row_public = False if "noeff" in row_classes else True if "oeff" in row_classes else None
        if "-head" in row_classes or (_SECTION_TITLE.match(title or "") and not reference):
            public = row_public if row_public is not None else not _NON_PUBLIC.match(title or "")
            continue
        if row_public is not None:
            public = row_public
        vid = tr.get("data-vorgang-id") or ""
        # Not every install prints data-ivs-id; the numbering restarts in the non-public part ("1." twice),
        # so an item without SD.NET's own number is named by its process id within the meeting.
        item_id = tr.get("data-ivs-id") or (vid.split("_", 1)[1] if vid.startswith("200_") else None)
        item_id = item_id or (f"{meeting_id}-{vid}" if vid else f"{meeting_id}-{'' if public is not False else 'N'}{number or order}")
        level_m = _LEVEL.search(row_classes)
        level = int(level_m.group(1)) if level_m else 1
        parent = parents.get(level - 1) if level > 1 else _numbered_parent(out, number, public)
        parents[level] = item_id
        process = _process_link(tr)
        has_paper = bool(reference) or (bool(vid) and not vid.startswith("200_"))
        # Processes of the non-public part are not read (their pages are not meant for the public).
        paper = token(process) if process and has_paper and public is not False else None
        out.append(AgendaItem(
            source=source, system=NAME, systemId=item_id, url=page.url,
            meeting=meeting_id, number=number, order=order, parent=parent,
            name=title, public=public, paper=paper, paperReference=reference,
        ))
        order += 1
        positions = {"Paper": 0, "AgendaItem": 0}
        docs = select_one(tr, "td.column-dokumente") or tr
        for a in find_all(docs, "a", href=True):
            if not is_document(a):
                continue
            role = file_role(a)
            owner_type, owner = ("Paper", paper) if paper and role in _PAPER_ROLES else ("AgendaItem", item_id)
            positions[owner_type] += 1
            out.append(file_item(a, page.url, source, owner_type, owner, positions[owner_type], role))
    return out


def _numbered_parent(items: list[Item], number: str | None, public: bool | None) -> str | None:
    """Return the item whose number heads this one's ("5." for "5.1") in the same part, for installs that print sub-items on level 1."""
    if not number or "." not in number.strip("."):
        return None
    head = number.strip(".").rsplit(".", 1)[0]
    for item in reversed(items):
        if isinstance(item, AgendaItem) and item.public == public and (item.number or "").strip(".") == head:
            return item.systemId
    return None


def _process_link(tr: Element) -> str | None:
    """Return the href of the row's "Vorgang öffnen" link (the icon link, not the hidden attachment bundle)."""
    fallback = None
    for a in find_all(tr, "a", href=True):
        if "/vorgang/" not in a.get("href"):
            continue
        if select_one(a, "span.vorgang-link") is not None:
            return a.get("href")
        fallback = fallback or a.get("href")
    return fallback


def _paper_urls(soup, page: Page) -> dict[str, str]:
    urls = {}
    for a in select(soup, 'a[href*="/vorgang/"]'):
        url = urljoin(page.url, a.get("href"))
        t = token(url)
        if t:
            urls.setdefault(t, url)
    return urls
