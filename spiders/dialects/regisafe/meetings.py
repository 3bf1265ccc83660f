"""The RIS-Portal meeting page ``sitzungen?sitzungId=N``: name, agenda, papers named by their documents, documents.

Two themes print the agenda. The classic one (obis-theme) has a ``div.rp-top-list-wrapper`` per part, its
heading, and ``li.rp-lis-item`` per item with the title in ``.top-item-content`` spans and the documents as
``button.document-button``. The redesigned one (ris-redesign-theme, Dachau) lists the items as
``div.rp-session-top-result`` after the part's ``h3.accordion-list-header`` in one list, the title in the
item's ``h3 > a`` and the documents as ``a.document-link`` whose text names them ("Sitzungsvorlage (StR-1716)").
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit


from schemas.items import AgendaItem, Consultation, File, Item, Meeting, Paper
from spiders.dialects.base import Link, Page, Parsed, ParseError
from spiders.dialects.html_text import one_line
from spiders.dialects.regisafe.detection import NAME
from spiders.dialects.html import Element, find, parse_html, select, select_one

_PAPER_DOC = re.compile(r"^(Sitzungsvorlage|Beschlussvorlage|Informationsvorlage|Vorlage|Antrag|Anfrage)\s*\(([^)]+)\)\s*$")
# data-type of a document -> File role.
ROLES = (("sitzungsvorlage", "mainFile"), ("vorlage", "mainFile"), ("antrag", "mainFile"),
         ("beschluss", "resolutionFile"), ("bekanntmachung", "invitation"), ("einladung", "invitation"),
         ("tagesordnung", "invitation"), ("niederschriftsauszug", "auxiliaryFile"), ("niederschrift", "resultsProtocol"),
         ("protokoll", "resultsProtocol"))
_NON_PUBLIC = re.compile(r"^\s*nicht\s*-?\s*öffentlich", re.I)


def parse_sitzung(page: Page, source: str) -> Parsed:
    """Return the meeting, its agenda items, the papers their documents name, consultations and documents."""
    soup = parse_html(page.text)
    meeting_id = _meeting_id(page, soup)
    if not meeting_id:
        raise ParseError(f"RIS-Portal meeting page without sitzungId: {page.url}")
    heading = one_line(select_one(soup, "div.rp-session-head h2, .session-head-title h2") or select_one(soup, "h2.h1"))
    items: list[Item] = [Meeting(source=source, system=NAME, systemId=meeting_id, url=page.url, name=heading)]
    in_agenda = set()
    order = 0
    for public, entries in _parts(soup):
        parents: dict[int, str] = {}
        for li in entries:
            in_agenda.update(select(li, "[data-href]"))  # the elements themselves: ids of lxml proxies are reused
            items += _agenda_item(li, order, public, parents, meeting_id, page.url, source, soup)
            order += 1
    position = 0
    for button in select(soup, "[data-href]"):
        if button in in_agenda or "singleDocument" not in button.get("data-href"):
            continue
        position += 1
        items.append(_file(button, page.url, source, "Meeting", meeting_id, position, _role(button, "auxiliaryFile")))
    items = _unique(items)
    parsed = Parsed(items=items, follow=[Link(i.accessUrl, "file") for i in items if isinstance(i, File)])
    parsed.fields_seen = {"name": heading is not None, "agenda": order > 0}
    return parsed


def _parts(soup: Element) -> list[tuple[bool | None, list[Element]]]:
    """Return each part of the agenda: whether it is public (None without a heading) and its item elements.

    A part begins at its heading (``h3``/``h4`` of class ``accordion-list-header``) and runs to the next one, in
    document order: the classic theme gives each part a ``div.rp-top-list-wrapper`` of its own or puts both parts
    in one (Welver), the redesigned theme lists headings and items in one list.
    """
    containers = select(soup, "div.rp-top-list-wrapper") or select(soup, "div.rp-top-list") or [soup]
    parts: list[tuple[bool | None, list[Element]]] = []
    for container in containers:
        nodes = select(container, "h3.accordion-list-header, h4.accordion-list-header, li.rp-lis-item, "
                                  "div.rp-session-top-result")
        if nodes and nodes[0].tag not in ("h3", "h4"):
            # No part heading of the theme's class: the container's first heading, if any, names the part.
            part = one_line(find(container, ["h3", "h4"])) if container is not soup else None
            parts.append((None if part is None else not _NON_PUBLIC.match(part), []))
        for node in nodes:
            if node.tag in ("h3", "h4"):
                part = one_line(node)
                parts.append((None if part is None else not _NON_PUBLIC.match(part), []))
            else:
                parts[-1][1].append(node)
    return [part for part in parts if part[1]]


def _agenda_item(li: Element, order: int, public: bool | None, parents: dict[int, str], meeting_id: str,
                 url: str, source: str, soup: Element | None = None) -> list[Item]:
    anchor = select_one(li, "[id^=top_id_]")
    item_id = anchor.get("id").removeprefix("top_id_") if anchor else None
    button = select_one(li, "[data-top-id]")
    item_id = item_id or (button.get("data-top-id") if button is not None else f"{meeting_id}-{order}")
    spans = select(li, ".top-item-content p > span")
    number = li.get("data-top-number") or (one_line(spans[0]) if spans else None)
    title = one_line(spans[-1]) if len(spans) > 1 else (button.get("data-top-title") if button else None)
    title = title or one_line(select_one(li, "h3 a, h3"))
    try:
        level = int(li.get("data-level") or 1)
    except ValueError:
        level = 1
    parents[level] = item_id
    out: list[Item] = []
    paper_id = None
    files = []
    documents = [d for d in select(li, ".hidden-document-container [data-href], .top-document-list [data-href], "
                                       "a.document-link[data-href]") if "singleDocument" in d.get("data-href")]
    paper_reference = paper_doc = None
    for n, doc in enumerate(documents, start=1):
        doc_title = _doc_title(doc) or ""
        attachment = _is_attachment(doc)
        m = _PAPER_DOC.match(doc_title)
        kind = doc.get("data-type") or ""
        # The paper's own document: "Sitzungsvorlage (2026/0101)"; some installs print no number ("Sitzungsvorlage",
        # Welver): then the document's id names the paper, which keeps it in every meeting that discusses it.
        unnumbered = not m and _PAPER_TYPE.fullmatch(kind) and doc_title in ("", kind)
        if (m or unnumbered) and paper_id is None and not attachment:
            paper_reference = m.group(2).strip() if m else None
            paper_doc = _doc_id(doc, url)
            paper_id = paper_reference or f"document-{paper_doc}"
            out.append(Paper(source=source, system=NAME, systemId=paper_id, url=url, reference=paper_reference,
                             paperType=m.group(1) if m else kind, name=title))
            out.append(Consultation(source=source, system=NAME, systemId=f"{paper_id}/{item_id}", url=url,
                                    paper=paper_id, meeting=meeting_id, agendaItem=item_id))
            files.append(_file(doc, url, source, "Paper", paper_id, 1, "mainFile"))
        elif attachment:
            # An attachment (li.facilities) belongs to the document listed before it: the paper's go to the paper.
            of_paper = paper_doc is not None and _main_document(doc, url) == paper_doc
            files.append(_file(doc, url, source, "Paper" if of_paper else "AgendaItem", paper_id if of_paper else item_id,
                               n, "auxiliaryFile"))
        else:
            files.append(_file(doc, url, source, "AgendaItem", item_id, n, _role(doc, "auxiliaryFile")))
    result, vote = _vote(li, soup)
    out.insert(0, AgendaItem(source=source, system=NAME, systemId=item_id, url=url, meeting=meeting_id,
                             number=number, order=order, parent=parents.get(level - 1), name=title,
                             public=public, paper=paper_id, paperReference=paper_reference, resultRaw=result, voteRaw=vote))
    return out + files


_PAPER_TYPE = re.compile(r"Sitzungsvorlage|Beschlussvorlage|Informationsvorlage|Vorlage|Antrag|Anfrage", re.I)


def _is_attachment(doc: Element) -> bool:
    """Return True for a document listed as an attachment of the one before it (``li.facilities``)."""
    return any("facilities" in (a.get("class") or "").split() for a in doc.iterancestors("li"))


def _main_document(doc: Element, url: str) -> str | None:
    """Return the id of the document an attachment is listed under (the entry before its ``li.facilities``)."""
    facilities = next((a for a in doc.iterancestors("li") if "facilities" in (a.get("class") or "").split()), None)
    entry = facilities.getprevious() if facilities is not None else None
    main = select_one(entry, "[data-href]") if entry is not None else None
    return _doc_id(main, url) if main is not None else None


def _doc_id(button: Element, url: str) -> str:
    href = urljoin(url, button.get("data-href"))
    return str(button.get("data-docid") or (parse_qs(urlsplit(href).query).get("_RisSitzung_schriftgutId") or [href])[0])


def _file(button: Element, url: str, source: str, parent_type: str, parent: str, position: int, role: str) -> File:
    href = urljoin(url, button.get("data-href"))
    doc_id = _doc_id(button, url)
    name = _doc_title(button)
    return File(source=source, system=NAME, systemId=str(doc_id), url=url, parentType=parent_type, parent=parent,
                role=role, position=position, name=name, mimeType="application/pdf" if "(PDF)" in (one_line(button) or "") else None,
                accessUrl=href, downloadUrl=href)


# The counts of a published vote, in the order and with the labels the panel prints.
_VOTE_COUNTS = (("yes", "Ja"), ("no", "Nein"), ("contain", "Enthalten"), ("biased", "Befangen"), ("exclusion", "Ausgeschlossen"))


def _vote(li: Element, soup: Element | None) -> tuple[str | None, str | None]:
    """Return the published vote of an item: the panel's Abstimmungstext and its counts ("Ja: 9, Nein: 2, …").

    Where the municipality publishes votes, the item has a button whose ``data-target`` names a side panel
    ``div#offcanvas-abstimmung<N>`` after the agenda, with ``.rp-poll-text``/``.rp-poll-text-answer`` pairs and the
    counts in ``ul.chart-result-labels`` (``li.yes``, ``li.no``, ``li.contain``, ``li.biased``, ``li.exclusion``).
    """
    button = select_one(li, "[data-target^=offcanvas-abstimmung]")
    if button is None or soup is None:
        return None, None
    panel = select_one(soup, f"div#{button.get('data-target')}")
    if panel is None:
        return None, None
    said = None
    for entry in select(panel, "ul.rp-poll-list > li"):
        label = (one_line(select_one(entry, ".rp-poll-text")) or "").lower()
        if label.startswith("abstimmungstext"):
            said = one_line(select_one(entry, ".rp-poll-text-answer"))
    counts = []
    for kind, label in _VOTE_COUNTS:
        value = one_line(select_one(panel, f"ul.chart-result-labels li.{kind} > div:not(.rp-label)"))
        if value and value.isdigit():
            counts.append(f"{label}: {value}")
    return said, (", ".join(counts) or None)


def _doc_title(doc: Element) -> str | None:
    """Return a document's title: its hidden ``.doc-title`` (classic theme), the link's text (redesign), or its type."""
    title = one_line(select_one(doc, ".doc-title"))
    if not title and doc.tag == "a":
        title = one_line(doc)
    return title or doc.get("data-type")


def _role(button: Element, default: str) -> str:
    kind = (button.get("data-type") or one_line(select_one(button, ".doc-title")) or "").lower()
    for marker, role in ROLES:
        if marker in kind:
            return role
    return default


def _meeting_id(page: Page, soup) -> str | None:
    query = parse_qs(urlsplit(page.url).query)
    for key in ("sitzungId", "_RisSitzung_sitzungId"):
        if query.get(key):
            return query[key][0]
    for el in select(soup, "[data-href], a[href]"):
        m = re.search(r"_RisSitzung_sitzungId=(\d+)", el.get("data-href") or el.get("href") or "")
        if m:
            return m.group(1)
    return None


def _unique(items: list[Item]) -> list[Item]:
    seen: dict[tuple[str, str], Item] = {}
    for item in items:
        seen.setdefault((item.type, item.systemId), item)
    return list(seen.values())
