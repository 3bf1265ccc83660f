"""Consultations (Beratungsfolge stations) of a Vorlage or an Antrag: the ``vo0053``/``ag0053`` tab and older layouts' inline tables."""

from __future__ import annotations

import re

from schemas.items import Consultation, Item
from spiders.dialects.base import Link, Parsed, ParseError
from spiders.dialects.html import Element, find, select, select_one
from spiders.dialects.html_text import one_line
from spiders.dialects.sessionnet.context import PageContext, param, unique_links
from spiders.dialects.sessionnet.detection import page_kind
from spiders.dialects.sessionnet.layout import DATE, field_cells, first_value, says_no_data, strip_label
from spiders.dialects.sessionnet.links import MEETING_LINK, antrag_id, details_title, meeting_link


# Tables of an older layout's page that list consultations ("Inhalt der Tabelle: Beratungen der Vorlage").
CONSULTATION_TABLES = 'table[summary*="Beratung"]'


# A Layout 6 consultation card header: "10.06.2026 Sportausschuss TOP 8.1 öffentlich - Kenntnisnahme".
_CARD_HEADER = re.compile(
    r"^(?P<date>\d{1,2}\.\d{1,2}\.\d{4})\s+(?P<committee>.*?)"
    r"(?:\s+TOP\s+(?P<top>\S+))?(?:\s+(?:nicht\s*)?öffentlich)?(?:\s+-\s+(?P<role>.+))?$",
    re.I,
)


def parse_vo0053(ctx: PageContext) -> Parsed:
    """Return the consultations of a paper's or an Antrag's "Beratungen" tab.

    Each station is a ``div.card`` (Layout 6) or a table row (older layouts)
    holding a date, the meeting (``si0057/to0040?__ksinr=``, whose link title
    reads "Details anzeigen: <Gremium> <dd.mm.yyyy>"), possibly the agenda item
    (``to0050?__ktonr=``), the committee (``kp0040?__kgrnr=``) and the role or
    result text. Stations are numbered in page order (the position); the
    Consultation id is "<paper id>-<position>" ("ag-<kagnr>-<position>" for an Antrag).
    """
    paper_id = _paper_id_of_page(ctx)
    if not paper_id:
        raise ParseError(f"SessionNet {page_kind(ctx.page)} page without __kvonr or __kagnr: {ctx.page.url}")
    entries = _consultation_entries(ctx.soup)
    out: list[Item] = []
    follow: list[Link] = []
    for position, entry in enumerate(entries, 1):
        consultation = consultation_from_entry(ctx, entry, paper_id, position)
        out.append(consultation)
        if consultation.meeting:
            follow.append(meeting_link(ctx, consultation.meeting, entry))
        if consultation.agendaItem and select_one(entry, 'a[href*="to0050."]') is not None:
            follow.append(Link(url=ctx.program_url("to0050", __ktonr=consultation.agendaItem), kind="to0050"))
    # Documents shown with a station are the paper's (listed on vo0050, with
    # their roles) or the agenda item's (listed on the meeting page); they are
    # read there, not here, so each keeps one parent and one role.
    fields_seen = {} if says_no_data(ctx.soup) else {"consultations": bool(entries)}
    return Parsed(items=out, follow=unique_links(follow), fields_seen=fields_seen)


def inline_consultations(ctx: PageContext, paper_id: str) -> list[tuple[Consultation, Element]]:
    """Return the consultations an older layout lists on the paper page itself, with their rows.

    Only tables that say in their summary that they hold Beratungen count; a
    row is a station when it shows a date.
    """
    rows = [tr for table in select(ctx.soup, CONSULTATION_TABLES) for tr in select(table, "tr")
            if find(tr, "td") is not None and DATE.search(one_line(tr) or "")]
    return [(consultation_from_entry(ctx, tr, paper_id, position), tr) for position, tr in enumerate(rows, 1)]


def _paper_id_of_page(ctx: PageContext) -> str | None:
    """Return the Paper id a Beratungen page is about: "ag-<kagnr>" where its address names an Antrag, else the __kvonr."""
    kagnr = param(ctx.page.url, "__kagnr")
    if kagnr:
        return antrag_id(kagnr)
    kvonr = ctx.id_from_page("__kvonr")
    if kvonr:
        return kvonr
    kagnr = ctx.id_from_page("__kagnr")
    return antrag_id(kagnr) if kagnr else None


def _consultation_entries(soup: Element) -> list[Element]:
    """Return the page elements that each describe one consultation."""
    scope = select_one(soup, "#page-content") or soup
    cards = [c for c in select(scope, "div.card") if DATE.search(_header_text(c) or "")]
    if cards:
        return cards
    rows = []
    for table in select(scope, "table[id^=smc_page_vo0053_contenttable], table.smccontenttable"):
        rows += [tr for tr in select(table, "tr") if find(tr, "td") is not None and DATE.search(one_line(tr) or "")]
    if not rows:
        # A table of another class (a CMS, an older layout): the dated rows that link a meeting.
        rows = [tr for tr in select(scope, "tr")
                if find(tr, "tr") is None and DATE.search(one_line(tr) or "")
                and any(MEETING_LINK.search(a.get("href")) for a in select(tr, "a[href]"))]
    return rows


def _header_text(card: Element) -> str | None:
    header = select_one(card, ".card-header") or select_one(card, "button")
    if header is None:
        return None
    return one_line(header, without=".smc-badges, .badge.smc-badge-count")


def consultation_from_entry(ctx: PageContext, entry: Element, paper_id: str, position: int) -> Consultation:
    """Return one consultation from its card or row.

    The fields come from the entry's own cells (``sidat``, ``grname``,
    ``bfrolle``, ``tobeschluss``) where it has them; otherwise from the meeting
    link's title and, for cards, the header line.
    """
    cells = field_cells(entry)
    meeting_a = next((a for a in select(entry, "a[href]") if MEETING_LINK.search(a.get("href"))), None)
    ksinr = MEETING_LINK.search(meeting_a.get("href")).group(2) if meeting_a else None
    top_a = select_one(entry, 'a[href*="__ktonr="]')
    committee_a = select_one(entry, 'a[href*="__kgrnr="]')
    title_committee, title_date = details_title(meeting_a)
    text = _header_text(entry) if entry.tag == "div" else one_line(entry)
    header = _CARD_HEADER.match(text or "") if entry.tag == "div" else None
    date_match = DATE.search(text or "")
    role = first_value(cells, "bfrolle", "bfrol", "bfost")
    result = strip_label(first_value(cells, "tobeschluss", "bfbeschluss", "beschluss"), "Beschluss")
    if header and role is None and result is None:
        # Without cells, the header's last part is the role the station was planned with.
        role = header.group("role")
    return Consultation(
        **ctx.common(),
        systemId=f"{paper_id}-{position}",
        paper=paper_id,
        position=position,
        meeting=ksinr,
        agendaItem=param(top_a.get("href"), "__ktonr") if top_a else None,
        organization=param(committee_a.get("href"), "__kgrnr") if committee_a else None,
        organizationName=(
            first_value(cells, "grname", "sigrname")
            or (one_line(committee_a) if committee_a else None)
            or title_committee
            or (header.group("committee") if header else None)
        ),
        role=role,
        authoritative=(role == "Entscheidung") if role else None,
        dateRaw=cells.get("sidat") or title_date or (date_match.group(0) if date_match else None),
        resultRaw=result,
    )
