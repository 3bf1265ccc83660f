"""Meetings: the meeting pages (``si0057``, ``si0056`` cards, ``si0050``, ``to0040``) with their header, documents and agenda.

A meeting page prints the meeting's short name (``siname``, "Rat/005/2026",
"HuFA 08.09.2026") but not the name the calendar lists it under ("öffentliche
Sitzung des Rates …"). So the page fills ``shortName`` and leaves ``name`` to
the calendar: each of the two fields has one page kind that fills it, and the
merged meeting is the same whichever page is loaded last.
"""

from __future__ import annotations

import re

from schemas.items import Item, Meeting
from spiders.dialects.base import Parsed, ParseError
from spiders.dialects.html import find, select_one
from spiders.dialects.html_text import one_line
from spiders.dialects.sessionnet.agenda import agenda_entries, agenda_scope
from spiders.dialects.sessionnet.context import PageContext, param, unique_items, unique_links
from spiders.dialects.sessionnet.documents import documents, file_links
from spiders.dialects.sessionnet.layout import field_cells, says_no_data

_HEADING_DATE = re.compile(r"^(.*?)\s+-?\s*(\d{1,2}\.\d{1,2}\.\d{4})(?:\s+-\s+(.+))?$")


def parse_meeting(ctx: PageContext) -> Parsed:
    """Return the Meeting, its documents and its agenda items (with theirs), and the pages they link."""
    ksinr = ctx.id_from_page("__ksinr")
    if not ksinr:
        raise ParseError(f"SessionNet meeting page without __ksinr: {ctx.page.url}")
    meeting = _meeting_header(ctx, ksinr)
    agenda = agenda_scope(ctx.soup)
    tops = agenda_entries(ctx, ksinr, agenda)
    # The meeting's own documents: those of the page outside the agenda.
    files = documents(select_one(ctx.soup, "#page-content") or find(ctx.soup, "body") or ctx.soup, ctx, "Meeting", ksinr, leave_out=agenda)
    items: list[Item] = [meeting, *files]
    follow = file_links(files)
    for top, top_files, links in tops:
        items.append(top)
        items += top_files
        follow += links + file_links(top_files)
    if not tops and agenda is None and meeting.dateRaw is None:
        raise ParseError(f"SessionNet meeting page with neither header nor agenda: {ctx.page.url}")
    fields_seen = {
        "organizationName": meeting.organizationName is not None,
        "dateRaw": meeting.dateRaw is not None,
    }
    # A meeting whose agenda is not published yet says so; only other pages
    # are expected to show agenda items.
    if agenda is not None or not says_no_data(ctx.soup):
        fields_seen["agenda"] = bool(tops)
    return Parsed(items=unique_items(items), follow=unique_links(follow), fields_seen=fields_seen)


def _meeting_header(ctx: PageContext, ksinr: str) -> Meeting:
    """Return the Meeting from the header fields, else from the heading "<Gremium> - dd.mm.yyyy - hh:mm Uhr".

    ``name`` stays empty: it is the calendar's (see the module docstring).
    """
    cells = field_cells(ctx.soup)
    heading = one_line(select_one(ctx.soup, "h1.smc_h1")) or re.sub(r"^SessionNet\s*\|\s*", "", one_line(find(ctx.soup, "title")) or "")
    h = _HEADING_DATE.match(heading or "")
    committee_a = select_one(ctx.soup, '.sigrname a[href*="__kgrnr="]')
    place_label = (one_line(select_one(ctx.soup, ".siort_title")) or "").lower()
    place = cells.get("siort")
    return Meeting(
        **ctx.common(),
        systemId=ksinr,
        shortName=cells.get("siname"),
        organization=param(committee_a.get("href"), "__kgrnr") if committee_a else None,
        organizationName=cells.get("sigrname") or (h.group(1).strip() if h else None),
        dateRaw=cells.get("sidat") or (h.group(2) if h else None),
        timeRaw=cells.get("yytime") or (h.group(3) if h else None),
        room=None if place_label.startswith("ort") else place,
        locality=place if place_label.startswith("ort") else None,
    )
