"""``to010`` (Meeting and its agenda tree) and ``to020`` (one agenda item)."""

from __future__ import annotations

import re

from schemas.items import AgendaItem, File, Item, Meeting
from spiders.dialects.allris4.calendars import public_base
from spiders.dialects.allris4.documents import document_files, file_links, unique_files
from spiders.dialects.allris4.fields import NAME, by_id_below, field_text, first_id_in_page, joined_status, section_title, unique_links, url_param
from spiders.dialects.base import Link, Page, Parsed, ParseError
from spiders.dialects.html import Element, classes, find, first_found, next_sibling, select, select_one
from spiders.dialects.html_text import one_line, paragraphs, vote_table_text


def parse_to010(page: Page, source: str, soup: Element) -> Parsed:
    silfdnr = url_param(page.url, "SILFDNR") or first_id_in_page(page.text, "SILFDNR")
    if not silfdnr:
        raise ParseError(f"ALLRIS 4 to010 page without SILFDNR: {page.url}")
    if by_id_below(soup, "sibetreff") is None and _agenda_table(soup) is None:
        raise ParseError(f"ALLRIS 4 to010 page without #sibetreff and an agenda table (table#toTreeTable, tr[data-tt-id]): {page.url}")
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
    table = _agenda_table(soup)
    items: list[AgendaItem] = []
    files: list[File] = []
    follow: list[Link] = []
    if table is None:
        return items, files, follow
    base = public_base(page.url)
    section_public: bool | None = None
    by_tree_id: dict[str, str] = {}  # data-tt-id -> systemId, to resolve data-tt-parent-id
    for tr in select(table, "tr"):
        if find(tr, "tr") is not None or tr.getparent().tag == "thead" or find(tr, "th") is not None:
            continue  # header rows and frames
        is_item = tr.get("data-tt-id") is not None
        if "beratung" in classes(tr) and not is_item:
            section_public = _public_from_heading(one_line(tr))
            continue
        number_cell = select_one(tr, "td.tonr") or _unmarked_number_cell(tr)
        if not is_item and number_cell is None:
            heading = _public_from_heading(one_line(tr))
            if heading is not None and len(one_line(tr) or "") < 60:
                section_public = heading
            continue
        number_raw = one_line(number_cell)
        prefix, number = _split_top_number(number_raw)
        betreff = select_one(tr, "td.tobetreff") or _unmarked_title_cell(tr, number_cell)
        to020 = select_one(betreff, 'a[href*="TOLFDNR="]') if betreff else None
        anchor = select_one(number_cell, "a[id^=link_]") if number_cell else None
        tolfdnr = (
            (anchor.get("id").removeprefix("link_") if anchor and anchor.get("id").removeprefix("link_").isdigit() else None)
            or (url_param(to020.get("href"), "TOLFDNR") if to020 else None)
            or next((url_param(a.get("href"), "TOLFDNR") for a in select(tr, 'a[href*="to020"][href*="TOLFDNR="]')), None)
        )
        order = len(items) + 1
        paper_link = select_one(tr, 'td.tovonr a[href*="VOLFDNR="]') or select_one(tr, 'a[href*="vo020"][href*="VOLFDNR="]')
        volfdnr = url_param(paper_link.get("href"), "VOLFDNR") if paper_link else None
        item = AgendaItem(
            source=source,
            system=NAME,
            systemId=tolfdnr or f"{silfdnr}-{prefix or ''}{number or order}",
            url=page.url,
            meeting=silfdnr,
            number=number_raw,
            order=order - 1,  # OParl: 0-based position in the meeting
            parent=by_tree_id.get(tr.get("data-tt-parent-id") or ""),
            name=one_line(betreff),
            public={"Ö": True, "N": False}.get(prefix or "", section_public),
            paper=volfdnr,
            paperReference=one_line(paper_link) if paper_link else None,
        )
        items.append(item)
        if is_item:
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


# An agenda number as printed: "Ö 2.1", "N 3", "4.", "10a".
_TOP_NUMBER = re.compile(r"^(?:[ÖN]\s*)?\d{1,3}[a-z]?(?:\.\d{1,3}[a-z]?)*\.?$")


def _agenda_table(soup: Element) -> Element | None:
    """Return the agenda: ``table#toTreeTable``, else the table whose rows carry ``data-tt-id`` or class ``toTable``."""
    table = select_one(soup, "table#toTreeTable")
    if table is not None:
        return table
    row = select_one(soup, "tr[data-tt-id]")
    if row is not None:
        return next(row.iterancestors("table"), None)
    return select_one(soup, "table.toTable")


def _unmarked_number_cell(tr: Element) -> Element | None:
    """Return the first cell of a row whose text is a TOP number, where the install gives it no class."""
    for td in tr:
        if not isinstance(td.tag, str) or td.tag != "td":
            continue
        text = one_line(td)
        if text:
            return td if _TOP_NUMBER.match(text) else None
    return None


def _unmarked_title_cell(tr: Element, number_cell: Element | None) -> Element | None:
    """Return the title cell of a row without ``td.tobetreff``: the first cell with text after the number."""
    cells = [td for td in tr if isinstance(td.tag, str) and td.tag == "td"]
    start = cells.index(number_cell) + 1 if number_cell in cells else 0
    return next((td for td in cells[start:] if one_line(td) and select_one(td, 'a[href*="VOLFDNR="]') is None), None)


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


# Labels of the result on excerpt pages ("Beschlussart:" on most installs).
_RESULT_LABELS = ("beschlussart", "beschluss", "ergebnis", "beschlussergebnis", "entscheidung", "beratungsergebnis")
# Ids an install may give the result field instead of (or besides) a label.
_RESULT_ID = re.compile(r"^(?:to)?(?:beschlussart|beschlart|beschluss|ergebnis)$", re.I)
# Button texts of excerpt links: no result wording.
_BUTTON_TEXTS = frozenset(("na", "pa", "auszug", "beschluss", "niederschrift"))
_DATE_IN_TEXT = re.compile(r"\b(\d{1,2}\.\d{1,2}\.\d{4}|[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})\b")


def parse_to020(page: Page, source: str, soup: Element) -> Parsed:
    """Return the AgendaItem of an excerpt page (and what it shows of its meeting as a Meeting) plus its files."""
    tolfdnr = url_param(page.url, "TOLFDNR") or first_id_in_page(page.text, "TOLFDNR")
    if not tolfdnr:
        raise ParseError(f"ALLRIS 4 to020 page without TOLFDNR: {page.url}")
    labels = _labelled_values(soup)
    sections = [(section_title(b) or "", select_one(b, "div.docPart")) for b in select(soup, "div.compFull")]
    texts = {title.lower(): paragraphs(part) for title, part in sections if part is not None}
    meeting_link = first_found(
        select_one(soup, 'a[href*="to010?"][href*="SILFDNR="]'), select_one(soup, 'a[href*="SILFDNR="]')
    )
    silfdnr = url_param(meeting_link.get("href"), "SILFDNR") if meeting_link else None
    paper_links = select(soup, 'a[href*="vo020?"][href*="VOLFDNR="]')
    paper_link = paper_links[0] if paper_links else None
    # The paper's subject field (``div#vobetreff > a``) links the paper with its title as text, not its reference.
    reference_link = next((a for a in paper_links if not _in_subject_field(a)), None)
    number_raw = (
        labels.get("top") or labels.get("tagesordnungspunkt") or field_text(soup, "tonr") or field_text(soup, "toname")
    )
    prefix, _ = _split_top_number(number_raw)
    vote_text = next((t for k, t in texts.items() if "abstimmung" in k), None) or next(
        (v for k, v in labels.items() if k.startswith("abstimmung")), None
    )
    if vote_text is None:
        # Minutes written in Word: the counts stand in a table inside the Beschluss or Protokoll.
        vote_text = next((v for _, part in sections if part is not None and (v := vote_table_text(part))), None)
    item = AgendaItem(
        source=source,
        system=NAME,
        systemId=tolfdnr,
        url=page.url,
        meeting=silfdnr,
        number=number_raw,
        name=labels.get("betreff") or field_text(soup, "tobetreff"),
        public={"Ö": True, "N": False}.get(prefix or ""),
        paper=url_param(paper_link.get("href"), "VOLFDNR") if paper_link else None,
        paperReference=one_line(reference_link) if reference_link is not None else None,
        resultRaw=_excerpt_result(soup, labels, tolfdnr),
        voteRaw=vote_text,
        resolutionText=next((t for k, t in texts.items() if k.startswith("beschluss")), None),
        protocolText=next((t for k, t in texts.items() if "protokoll" in k or k.startswith("beratung")), None),
    )
    items: list[Item] = [item]
    meeting = _excerpt_meeting(page, source, soup, labels, silfdnr)
    if meeting is not None:
        items.append(meeting)
    files = document_files(select_one(soup, "main") or soup, page, source, "AgendaItem", tolfdnr)
    # A result is only expected where the page has a label for it.
    fields_seen = {"name": item.name is not None}
    if any(k in labels for k in _RESULT_LABELS):
        fields_seen["resultRaw"] = item.resultRaw is not None
    if silfdnr:
        fields_seen["meetingDate"] = meeting is not None and meeting.dateRaw is not None
    return Parsed(items=[*items, *files], follow=file_links(files), fields_seen=fields_seen)


def _in_subject_field(link: Element) -> bool:
    """Return True for a link inside a subject field (``#vobetreff``, ``#tobetreff``): its text is a title."""
    return any(a.get("id") in ("vobetreff", "tobetreff") for a in link.iterancestors())


def _excerpt_result(soup: Element, labels: dict[str, str], tolfdnr: str) -> str | None:
    """Return the result wording: a result label, a result field id, or the text of the excerpt's own result link."""
    for label in _RESULT_LABELS:
        if labels.get(label):
            return labels[label]
    by_id = find(soup, id=_RESULT_ID)
    if by_id is not None and one_line(by_id):
        return one_line(by_id)
    for link in select(soup, 'a[href*="to020?"]'):
        text = one_line(link)
        if url_param(link.get("href"), "TOLFDNR") == tolfdnr and text and text.lower() not in _BUTTON_TEXTS:
            return text
    return None


def _excerpt_meeting(page: Page, source: str, soup: Element, labels: dict[str, str], silfdnr: str | None) -> Meeting | None:
    """Return what an excerpt page shows of its meeting (date, committee) as a Meeting, or None without its id.

    The load merges it with the meeting's own page field by field, so a date
    shown only here is kept and nothing the agenda page says is overwritten.
    """
    if not silfdnr:
        return None
    # The meeting's own fields only (``#sidatum``, "Datum:", a dated "Sitzung:"); the
    # headline's date alone ("Auszug - Rat - 21.10.2026") makes no Meeting item.
    date = field_text(soup, "sidatum") or labels.get("datum") or labels.get("sitzungsdatum") or _date_in(labels.get("sitzung"))
    if not date:
        return None
    committee = field_text(soup, "sigremium") or labels.get("gremium")
    gremium = select_one(soup, '#sigremium a[href*="GRLFDNR="]') or select_one(soup, 'a[href*="gr020?"][href*="GRLFDNR="]')
    return Meeting(
        source=source,
        system=NAME,
        systemId=silfdnr,
        url=page.url,
        organization=f"gr-{url_param(gremium.get('href'), 'GRLFDNR')}" if gremium else None,
        organizationName=committee,
        dateRaw=date,
        timeRaw=field_text(soup, "sizeit") or labels.get("uhrzeit") or labels.get("zeit"),
    )


def _date_in(text: str | None) -> str | None:
    found = _DATE_IN_TEXT.search(text or "")
    return found.group(1) if found else None


def _labelled_values(soup: Element) -> dict[str, str]:
    """Return label → value text pairs: Grunddaten ``dt``/``dd`` (``#headLeft`` first, then any) and ``aria-describedby`` links."""
    out: dict[str, str] = {}
    for dt in [*select(soup, "#headLeft dt"), *select(soup, "dt")]:
        dd = next_sibling(dt, "dd")
        label = (one_line(dt) or "").rstrip(":").strip().lower()
        value = one_line(dd)
        if label and value and label not in out:
            out[label] = value
    for link in select(soup, "[aria-describedby]"):
        label = (one_line(link) or "").rstrip(":").strip().lower()
        target = by_id_below(soup, link.get("aria-describedby"))
        value = one_line(target)
        if label and value and label not in out:
            out[label] = value
    return out
