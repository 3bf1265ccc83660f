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
    heading = one_line(select_one(soup, "div.rp-session-head h2, .session-head-title h2"))
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
    """Return each part of the agenda: whether it is public (None without a heading) and its item elements."""
    wrappers = select(soup, "div.rp-top-list-wrapper") or select(soup, "div.rp-top-list")
    if wrappers:
        out = []
        for wrapper in wrappers:
            part = one_line(find(wrapper, ["h3", "h4"]))
            out.append((None if part is None else not _NON_PUBLIC.match(part), select(wrapper, "li.rp-lis-item")))
        return out
    # The redesigned theme: headings and items follow each other in one list (document order).
    parts: list[tuple[bool | None, list[Element]]] = []
    for node in select(soup, "h3.accordion-list-header, div.rp-session-top-result"):
        if node.tag == "h3":
            part = one_line(node)
            parts.append((None if part is None else not _NON_PUBLIC.match(part), []))
        else:
            if not parts:
                parts.append((None, []))
            parts[-1][1].append(node)
    return parts


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
    for n, doc in enumerate(documents, start=1):
        doc_title = _doc_title(doc) or ""
        m = _PAPER_DOC.match(doc_title)
        if m and paper_id is None:
            paper_id = m.group(2).strip()
            out.append(Paper(source=source, system=NAME, systemId=paper_id, url=url, reference=paper_id,
                             paperType=m.group(1), name=title))
            out.append(Consultation(source=source, system=NAME, systemId=f"{paper_id}/{item_id}", url=url,
                                    paper=paper_id, meeting=meeting_id, agendaItem=item_id))
            files.append(_file(doc, url, source, "Paper", paper_id, 1, "mainFile"))
        else:
            files.append(_file(doc, url, source, "AgendaItem", item_id, n, _role(doc, "auxiliaryFile")))
    result, vote = _vote(li, soup)
    out.insert(0, AgendaItem(source=source, system=NAME, systemId=item_id, url=url, meeting=meeting_id,
                             number=number, order=order, parent=parents.get(level - 1), name=title,
                             public=public, paper=paper_id, paperReference=paper_id, resultRaw=result, voteRaw=vote))
    return out + files


def _file(button: Element, url: str, source: str, parent_type: str, parent: str, position: int, role: str) -> File:
    href = urljoin(url, button.get("data-href"))
    doc_id = button.get("data-docid") or (parse_qs(urlsplit(href).query).get("_RisSitzung_schriftgutId") or [href])[0]
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
