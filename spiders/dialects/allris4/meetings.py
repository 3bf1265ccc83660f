"""``to010`` (Meeting and its agenda tree) and ``to020`` (one agenda item)."""

from __future__ import annotations

import re

from schemas.items import AgendaItem, File, Item, Meeting
from spiders.dialects.allris4.calendars import public_base
from spiders.dialects.allris4.documents import document_files, file_links, unique_files
from spiders.dialects.allris4.fields import NAME, field_text, first_id_in_page, joined_status, section_title, unique_links, url_param
from spiders.dialects.base import Link, Page, Parsed, ParseError
from spiders.dialects.html import Element, classes, find, next_sibling, select, select_one
from spiders.dialects.html_text import one_line, paragraphs


def parse_to010(page: Page, source: str, soup: Element) -> Parsed:
    silfdnr = url_param(page.url, "SILFDNR") or first_id_in_page(page.text, "SILFDNR")
    if not silfdnr:
        raise ParseError(f"ALLRIS 4 to010 page without SILFDNR: {page.url}")
    if find(soup, id="sibetreff") is None and select_one(soup, "table#toTreeTable") is None:
        raise ParseError(f"ALLRIS 4 to010 page without #sibetreff and table#toTreeTable: {page.url}")
    gremium = select_one(soup, '#sigremium a[href*="GRLFDNR="]')
    state = joined_status(soup, "sistatus", "sistat")
    meeting = Meeting(
        source=source,
        system=NAME,
        systemId=silfdnr,
        url=page.url,
        name=field_text(soup, "sibetreff"),
        organization=f"gr-{url_param(gremium.get('href'), 'GRLFDNR')}" if gremium else None,
        organizationName=field_text(soup, "sigremium"),
        dateRaw=field_text(soup, "sidatum"),
        timeRaw=field_text(soup, "sizeit"),
        room=field_text(soup, "siraum"),
        locality=field_text(soup, "siort"),
        meetingState=state,
        cancelled=True if state and re.search(r"abgesagt|entfällt|entfallen|ausgefallen", state, re.I) else None,
    )
    items: list[Item] = [meeting]
    head = select_one(soup, "#dokumenteHeaderPanel")
    files = document_files(head, page, source, "Meeting", silfdnr) if head else []
    agenda, agenda_files, follow = _agenda(soup, page, source, silfdnr)
    items += files + agenda + agenda_files
    follow += file_links(files + agenda_files)
    fields_seen = {
        "name": meeting.name is not None,
        "organization": meeting.organization is not None,
        "dateRaw": meeting.dateRaw is not None,
        "agenda": bool(agenda),
    }
    return Parsed(items=items, follow=unique_links(follow), fields_seen=fields_seen)


def _agenda(soup: Element, page: Page, source: str, silfdnr: str) -> tuple[list[AgendaItem], list[File], list[Link]]:
    """Return the AgendaItems of ``table#toTreeTable``, their documents and the links to follow.

    Section rows (``tr.beratung``: "Öffentlicher Teil") say whether items are
    public where the number lacks its Ö/N prefix. Sub-items (``data-tt-parent-id``)
    are ordinary rows; their number ("Ö 2.1") carries the nesting.
    """
    table = select_one(soup, "table#toTreeTable")
    items: list[AgendaItem] = []
    files: list[File] = []
    follow: list[Link] = []
    if table is None:
        return items, files, follow
    base = public_base(page.url)
    section_public: bool | None = None
    by_tree_id: dict[str, str] = {}  # data-tt-id -> systemId, to resolve data-tt-parent-id
    for tr in select(table, "tbody > tr"):
        if "beratung" in classes(tr) and not (tr.get("data-tt-id") is not None):
            section_public = _public_from_heading(one_line(tr))
            continue
        if not (tr.get("data-tt-id") is not None):
            continue
        number_cell = select_one(tr, "td.tonr")
        number_raw = one_line(number_cell)
        prefix, number = _split_top_number(number_raw)
        betreff = select_one(tr, "td.tobetreff")
        to020 = select_one(betreff, 'a[href*="TOLFDNR="]') if betreff else None
        anchor = select_one(number_cell, "a[id^=link_]") if number_cell else None
        tolfdnr = (
            (anchor.get("id").removeprefix("link_") if anchor and anchor.get("id").removeprefix("link_").isdigit() else None)
            or (url_param(to020.get("href"), "TOLFDNR") if to020 else None)
            or next((url_param(a.get("href"), "TOLFDNR") for a in select(tr, 'a[href*="TOLFDNR="]')), None)
        )
        order = len(items) + 1
        paper_link = select_one(tr, 'td.tovonr a[href*="VOLFDNR="]')
        volfdnr = url_param(paper_link.get("href"), "VOLFDNR") if paper_link else None
        item = AgendaItem(
            source=source,
            system=NAME,
            systemId=tolfdnr or f"{silfdnr}-{prefix or ''}{number or order}",
            url=page.url,
            meeting=silfdnr,
            number=number_raw,
            order=order - 1,  # OParl: 0-based position in the meeting
            parent=by_tree_id.get(tr.get("data-tt-parent-id", "")),
            name=one_line(betreff),
            public={"Ö": True, "N": False}.get(prefix or "", section_public),
            paper=volfdnr,
            paperReference=one_line(paper_link) if paper_link else None,
        )
        items.append(item)
        by_tree_id[tr.get("data-tt-id")] = item.systemId
        doc_cell = select_one(tr, "td.toDoc")
        if doc_cell is not None:
            parent_type, parent = ("Paper", volfdnr) if volfdnr else ("AgendaItem", item.systemId)
            files += document_files(doc_cell, page, source, parent_type, parent, paper_roles=bool(volfdnr))
        if volfdnr:
            follow.append(Link(url=f"{base}vo020?VOLFDNR={volfdnr}", kind="vo020"))
        if to020 is not None and tolfdnr:
            follow.append(Link(url=f"{base}to020?TOLFDNR={tolfdnr}", kind="to020"))
    return items, unique_files(files), follow


def _split_top_number(raw: str | None) -> tuple[str | None, str | None]:
    """Return (Ö/N prefix, number) from an agenda number like ``Ö 2.1``.

    ``AgendaItem.number`` keeps the number as printed ("Ö 2.1", as the other
    dialects do); the prefix only decides ``public``.
    """
    if not raw:
        return None, None
    m = re.match(r"^([ÖN])\s*(.*)$", raw)
    if m:
        return m.group(1), m.group(2).strip() or None
    return None, raw


def _public_from_heading(text: str | None) -> bool | None:
    """Return whether a section heading opens the public (True) or non-public (False) part."""
    if not text:
        return None
    if re.search(r"nicht\s*-?\s*öffentlich|nichtöffentlich|vertraulich", text, re.I):
        return False
    if re.search(r"öffentlich", text, re.I):
        return True
    return None


def parse_to020(page: Page, source: str, soup: Element) -> Parsed:
    tolfdnr = url_param(page.url, "TOLFDNR") or first_id_in_page(page.text, "TOLFDNR")
    if not tolfdnr:
        raise ParseError(f"ALLRIS 4 to020 page without TOLFDNR: {page.url}")
    labels = _labelled_values(soup)
    texts = {(section_title(b) or "").lower(): paragraphs(select_one(b, "div.docPart")) for b in select(soup, "div.compFull")
             if select_one(b, "div.docPart") is not None}
    meeting_link = select_one(soup, 'a[href*="to010?"][href*="SILFDNR="]')
    paper_link = select_one(soup, 'a[href*="vo020?"][href*="VOLFDNR="]')
    number_raw = labels.get("top")
    prefix, _ = _split_top_number(number_raw)
    item = AgendaItem(
        source=source,
        system=NAME,
        systemId=tolfdnr,
        url=page.url,
        meeting=url_param(meeting_link.get("href"), "SILFDNR") if meeting_link else None,
        number=number_raw,
        name=labels.get("betreff"),
        public={"Ö": True, "N": False}.get(prefix or ""),
        paper=url_param(paper_link.get("href"), "VOLFDNR") if paper_link else None,
        paperReference=one_line(paper_link) if paper_link else None,
        resultRaw=labels.get("beschlussart") or labels.get("beschluss") or labels.get("ergebnis"),
        voteRaw=next((t for k, t in texts.items() if "abstimmung" in k), None) or labels.get("abstimmung"),
        resolutionText=next((t for k, t in texts.items() if k.startswith("beschluss")), None),
        protocolText=next((t for k, t in texts.items() if "protokoll" in k or k.startswith("beratung")), None),
    )
    files = document_files(select_one(soup, "main") or soup, page, source, "AgendaItem", tolfdnr)
    # A result is only expected where the page has a label for it.
    fields_seen = {"name": item.name is not None}
    if any(k in labels for k in ("beschlussart", "beschluss", "ergebnis")):
        fields_seen["resultRaw"] = item.resultRaw is not None
    return Parsed(items=[item, *files], follow=file_links(files), fields_seen=fields_seen)


def _labelled_values(soup: Element) -> dict[str, str]:
    """Return the Grunddaten ``dt`` label → ``dd`` text pairs, labels lower-cased without colon."""
    out: dict[str, str] = {}
    for dt in select(soup, "#headLeft dt"):
        dd = next_sibling(dt, "dd")
        label = (one_line(dt) or "").rstrip(":").strip().lower()
        value = one_line(dd)
        if label and value and label not in out:
            out[label] = value
    return out
