"""Agenda items: the rows of a meeting's agenda in every layout, and the ``to0050`` detail page of one item."""

from __future__ import annotations

import re

from schemas.items import AgendaItem, File
from spiders.dialects.base import Link, Parsed, ParseError
from spiders.dialects.html import Element, classes, next_sibling, outer_html, select, select_one
from spiders.dialects.html_text import one_line, vote_table_text
from spiders.dialects.sessionnet.context import PageContext, param, unique_links
from spiders.dialects.sessionnet.documents import documents, file_links, word_texts
from spiders.dialects.sessionnet.layout import field_cells, strip_label
from spiders.dialects.sessionnet.links import MEETING_LINK, linked_paper, paper_links

_TOP_NUMBER = re.compile(r"^([ÖN])\s*(.*)$")


def agenda_scope(soup: Element) -> Element | None:
    """Return the element holding the agenda: the TOP table, or the card accordion of si0056."""
    for selector in ("table[id^=smc_page_si0057_contenttable]", "table[id^=smc_page_to0040_contenttable]",
                     "table[id^=smc_page_si0050_contenttable]", "table.smctablesitzung", "#smcaccordion"):
        found = select_one(soup, selector)
        if found is not None:
            return found
    # Another table (a CMS re-styles it, an older layout): the one that holds the TOP rows or TOP links.
    marker = select_one(soup, "tr[id^=smc_contol_to_], td.tofnum, td.smc_tophn") or select_one(soup, 'a[href*="to0050."][href*="__ktonr="]')
    return next(marker.iterancestors("table"), None) if marker is not None else None


def agenda_entries(ctx: PageContext, ksinr: str, scope: Element | None) -> list[tuple[AgendaItem, list[File], list[Link]]]:
    """Return each agenda item with its documents and links, in page order.

    Section rows ("Öffentlicher Teil:", "Nicht öffentlicher Teil: Beginn 18:17 Uhr")
    set whether the following items are public where the number carries no Ö/N.
    """
    if scope is None:
        return []
    out: list[tuple[AgendaItem, list[File], list[Link]]] = []
    public: bool | None = None
    rows = select(scope, "div.card") if scope.tag == "div" else select(scope, "tr")
    for row in rows:
        section = _section_heading(row)
        if section is not None:
            public = _public_from_heading(section)
            continue
        if _is_result_row(row):
            if out:
                _apply_result_row(out[-1][0], row)
            continue
        number_raw = _top_number(row)
        name = _top_name(row)
        if number_raw is None and name is None:
            continue
        prefix, number = _split_top_number(number_raw)
        # A badge with the part's letter only ("Ö ", an item added late) prints no number.
        number_raw = number_raw if number else None
        order = len(out) + 1
        ktonr = _ktonr(row)
        paper_id, paper_a = linked_paper(row)
        item = AgendaItem(
            **ctx.common(),
            systemId=ktonr or _derived_top_id(ksinr, number_raw, order),
            meeting=ksinr,
            number=number_raw,
            order=order - 1,  # OParl: 0-based position in the meeting
            parent=_parent_id([entry[0] for entry in out], prefix, number),
            name=name,
            public={"Ö": True, "N": False}.get(prefix or "", public),
            paper=paper_id,
            paperReference=one_line(paper_a) if paper_a else None,
        )
        _apply_inline_result(item, row)
        parent_type, parent = ("Paper", paper_id) if paper_id else ("AgendaItem", item.systemId)
        files = documents(row, ctx, parent_type, parent, paper_roles=bool(paper_id))
        links = paper_links(ctx, row)
        if ktonr and select_one(row, 'a[href*="to0050."]') is not None:
            links.append(Link(url=ctx.program_url("to0050", __ktonr=ktonr), kind="to0050"))
        out.append((item, files, links))
    return out


def _section_heading(row: Element) -> str | None:
    """Return the text of a section row ("Öffentlicher Teil:"), or None for other rows."""
    if row.tag == "tr":
        if "smcrowh" in classes(row) or select_one(row, "td.totrenn") is not None:
            return one_line(row) or ""
        # Rows without the section classes: the heading's wording is SessionNet's own, in a row without links.
        if select_one(row, "a[href]") is not None:
            return None
        text = one_line(row) or ""
        return text if _SECTION_WORDING.match(text) else None
    if select_one(row, ".badge") is None and select_one(row, ".card-header-title") is not None:
        return one_line(select_one(row, ".card-header-title")) or ""
    return None


_SECTION_WORDING = re.compile(r"^(?:nicht\s*-?\s*)?öffentliche[rs]?\s+(?:teil|sitzung)\b", re.I)


def _public_from_heading(text: str) -> bool | None:
    if re.search(r"nicht\s*-?\s*öffentlich|nichtöffentlich|vertraulich", text, re.I):
        return False
    if re.search(r"öffentlich", text, re.I):
        return True
    return None


# An agenda number as printed: "Ö 2.1", "N 3", "4.", "10a".
_PLAIN_NUMBER = re.compile(r"^(?:[ÖN]\s*)?\d{1,3}[a-z]?(?:\.\d{1,3}[a-z]?)*\.?$")


def _unmarked_number_cell(row: Element) -> Element | None:
    """Return the number cell of a table row without ``td.tofnum``: a first cell that reads as a TOP number.

    Only rows in a table of their own count (not the rows of a document box),
    and only when the row has more to say than the number.
    """
    if row.tag != "tr" or any(t.tag == "table" and "smcdocbox" in classes(t) for t in row.iterancestors("table")):
        return None
    cells = [td for td in row if isinstance(td.tag, str) and td.tag == "td"]
    first = next((td for td in cells if one_line(td)), None)
    if first is None or not _PLAIN_NUMBER.match(one_line(first) or "") or first is cells[-1]:
        return None
    return first


def _top_number(row: Element) -> str | None:
    """Return the printed agenda number ("Ö 1", "3.1"), without addendum notes ("Nachtrag: …")."""
    cell = (
        select_one(row, "td.tofnum, td.smc_tophn")
        or select_one(row, ".card-header .badge:not(.smc-badge-count)")
        or _unmarked_number_cell(row)
    )
    if cell is None:
        return None
    badge = select_one(cell, "span.badge") or cell
    return one_line(badge, without=".smcf_tondat, .smcf_tondat_star")


def _top_name(row: Element) -> str | None:
    cell = select_one(row, "td.tobetr, td.smc_topht") or select_one(row, ".smc-card-text-title") or _unmarked_title_cell(row)
    if cell is None:
        return None
    title = select_one(cell, ".smc-card-header-title-simple")
    if title is not None:
        return one_line(title)
    return one_line(cell, without="p[class*=smc_field_smcdv0_], .smc-documents, table.smcdocbox")


def _unmarked_title_cell(row: Element) -> Element | None:
    """Return the title cell of a row numbered without ``td.tofnum``: the first cell with text after the number that links no paper."""
    number = _unmarked_number_cell(row)
    if number is None:
        return None
    cells = [td for td in row if isinstance(td.tag, str) and td.tag == "td"]
    rest = cells[cells.index(number) + 1:]
    return next((td for td in rest if one_line(td) and select_one(td, 'a[href*="__kvonr="], a[href*="__kagnr="]') is None), None)


def _split_top_number(raw: str | None) -> tuple[str | None, str | None]:
    """Return (Ö/N prefix, number) of a printed agenda number; ``number`` itself stays as printed ("Ö 1")."""
    if not raw:
        return None, None
    m = _TOP_NUMBER.match(raw)
    if m:
        return m.group(1), m.group(2).strip() or None
    return None, raw


def _parent_id(items: list[AgendaItem], prefix: str | None, number: str | None) -> str | None:
    """Return the id of the item whose number heads this one's ("Ö 2" for "Ö 2.1"), in the same part."""
    head = (number or "").strip(".").rpartition(".")[0]
    if not head:
        return None
    for item in reversed(items):
        item_prefix, item_number = _split_top_number(item.number)
        if item_prefix == prefix and (item_number or "").strip(".") == head:
            return item.systemId
    return None


def _ktonr(row: Element) -> str | None:
    """Return the agenda item's number: its to0050 link, the row id or the card's to0058 request."""
    # Not from the paper column: a postponed item links there the TOP it comes from.
    a = next((a for a in select(row, 'a[href*="__ktonr="]') if not any("tovo" in classes(td) for td in a.iterancestors("td"))), None)
    if a is not None:
        return param(a.get("href"), "__ktonr")
    m = re.match(r"smc_contol_to_\d+_(\d+)$", row.get("id", ""))
    if m:
        return m.group(1)
    m = re.search(r"to0058\.(?:asp|php)\?smctonr=(\d+)", outer_html(onclick) if (onclick := select_one(row, "[onclick]")) is not None else "")
    return m.group(1) if m else None


def _derived_top_id(ksinr: str, number_raw: str | None, order: int) -> str:
    """Return an id for an agenda item the page shows without one: meeting number and printed number.

    The printed number ("Ö 1", "N 1") is what the same item shows on every
    agenda page of the meeting (si0057 and to0040), unlike the position.
    """
    number = re.sub(r"\s+", "", number_raw or "")
    return f"{ksinr}-{number or f'pos{order}'}"


def _is_result_row(row: Element) -> bool:
    return row.tag == "tr" and "smc_tophz" in classes(row)


def _apply_result_row(item: AgendaItem, row: Element) -> None:
    """Take "Beschluss:" / "Abstimmung:" from a Layout 4 result row into the agenda item before it."""
    label_cell = select_one(row, "td.smc_topr")
    if label_cell is None:
        return
    value_cell = next_sibling(label_cell, "td")
    label, value = (one_line(label_cell) or "").rstrip(": ").lower(), one_line(value_cell)
    if label.startswith("beschluss") and item.resultRaw is None:
        item.resultRaw = value
    elif label.startswith("abstimmung") and item.voteRaw is None:
        item.voteRaw = value


def _apply_inline_result(item: AgendaItem, row: Element) -> None:
    """Take the result paragraphs Layout 6 prints in the row (``p.smc_field_smcdv0_box2_beschluss`` …)."""
    for p in select(row, "p[class*=smc_field_smcdv0_]"):
        names = " ".join(classes(p))
        value = one_line(p)
        if value is None:
            continue
        if "_beschluss" in names and item.resultRaw is None:
            item.resultRaw = re.sub(r"^Beschluss:\s*", "", value) or None
        elif "_abstimmung" in names and item.voteRaw is None:
            item.voteRaw = re.sub(r"^Abstimmung:\s*", "", value) or None


def parse_to0050(ctx: PageContext) -> Parsed:
    """Return the agenda item of a TOP detail page: result, vote and resolution text."""
    ktonr = ctx.id_from_page("__ktonr")
    if not ktonr:
        raise ParseError(f"SessionNet to0050 page without __ktonr: {ctx.page.url}")
    cells = field_cells(ctx.soup)
    meeting_a = next((a for a in select(ctx.soup, "a[href]") if MEETING_LINK.search(a.get("href"))), None)
    paper_id, paper_a = linked_paper(ctx.soup)
    number_raw = cells.get("tofnum") or cells.get("tonr")
    prefix, _ = _split_top_number(number_raw)
    item = AgendaItem(
        **ctx.common(),
        systemId=ktonr,
        meeting=MEETING_LINK.search(meeting_a.get("href")).group(2) if meeting_a else None,
        number=number_raw,
        name=cells.get("tobetr") or one_line(select_one(ctx.soup, "h1.smc_h1")),
        public={"Ö": True, "N": False}.get(prefix or ""),
        paper=paper_id,
        paperReference=one_line(paper_a) if paper_a else None,
        resultRaw=strip_label(cells.get("tobeschluss") or cells.get("beschluss"), "Beschluss"),
        voteRaw=strip_label(cells.get("toabstimmung") or cells.get("abstimmung"), "Abstimmung"),
    )
    _apply_inline_result(item, ctx.soup)
    for row in select(ctx.soup, "tr.smc_tophz"):
        _apply_result_row(item, row)
    item.resolutionText = "\n\n".join(word_texts(ctx.soup)) or None
    if item.voteRaw is None:
        # Minutes written in Word: the counts stand in a table inside the text.
        item.voteRaw = next((v for block in select(ctx.soup, "div.smcdocmsword") if (v := vote_table_text(block))), None)
    # As on the agenda page: documents of an item with a paper are the paper's.
    parent_type, parent = ("Paper", item.paper) if item.paper else ("AgendaItem", ktonr)
    scope = select_one(ctx.soup, "#page-content") or ctx.soup
    files = documents(scope, ctx, parent_type, parent, paper_roles=bool(item.paper))
    # Items of meetings still to come have no result and no text yet: those
    # fields count only where the page has a place for them.
    fields_seen = {"name": item.name is not None}
    if _has_result_field(ctx.soup):
        fields_seen["resultRaw"] = item.resultRaw is not None
    follow = paper_links(ctx, ctx.soup) + file_links(files)
    return Parsed(items=[item, *files], follow=unique_links(follow), fields_seen=fields_seen)


def _has_result_field(soup: Element) -> bool:
    """Return whether a TOP page has a place for a result (label cell, result paragraph or result row)."""
    return select_one(soup, ".tobeschluss_title, .tobeschluss, p[class*=_beschluss], tr.smc_tophz") is not None
