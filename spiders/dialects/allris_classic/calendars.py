"""Where a crawl of an install starts (month calendars with fallbacks, listings), and the ``si010`` calendar pages.

Installs refuse some calendar programs and answer others, differently per
install (primer §2.2), so each month's Link names the other programs as
fallbacks. A calendar page yields ``to010`` Links for meetings with a
published agenda and Meeting items for the rows without one.
"""

from __future__ import annotations

import hashlib
import re
from typing import Iterable
from urllib.parse import urljoin, urlsplit

from schemas.items import Item, Meeting
from spiders.dialects.allris_classic.doc import Doc, absolute_url, id_in, unique_links, url_param
from spiders.dialects.allris_classic.meetings import cancelled_from_name, name_key
from spiders.dialects.allris_classic.text import line_text, node_text
from spiders.dialects.base import Link, Parsed
from spiders.dialects.html import Element, ancestor, children, classes, find, find_all, first_found, select, select_one

# Month-calendar programs, in the order a crawl tries them: installs refuse
# some of them ("Zugriff verweigert (Programm si010_r.asp)"), and which one
# answers differs per install (primer §2.2). The spider moves on to the next
# URL in the calendar Link's ``meta["fallbacks"]`` on a refusal or a 404.
CALENDAR_PROGRAMS: tuple[str, ...] = ("si010_e.asp", "si010_j.asp", "si010.asp", "si010_r.asp")

# Listing programs a crawl starts from besides the calendar.
LISTING_PROGRAMS: tuple[tuple[str, str], ...] = (("au010.asp", "au010"), ("fr010.asp", "fr010"))

# A day-of-month cell ("01", "1.") and a time cell ("17:00", "17.00 Uhr", "17:00 - 19:00") of a plain calendar row.
_DAY_CELL = re.compile(r"^(\d{1,2})\.?$")
_TIME_CELL = re.compile(r"^\d{1,2}[:.]\d{2}(?:\s*Uhr)?(?:\s*[-–]\s*\d{1,2}[:.]\d{2}(?:\s*Uhr)?)?$")

_GERMAN_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("januar", "februar", "märz", "april", "mai", "juni", "juli",
         "august", "september", "oktober", "november", "dezember")
    )
}


def start_urls(base_url: str, months: Iterable[tuple[int, int]] = ()) -> list[Link]:
    """Return the Links a crawl of an install starts from: month calendars, then au010 and fr010.

    ``months`` are ``(year, month)`` pairs. Each calendar Link asks for the
    first program of ``CALENDAR_PROGRAMS`` (``si010_e.asp?MM=<m>&YY=<y>``);
    its ``meta["fallbacks"]`` lists the same month in the other programs, to
    try in order when the install refuses one (``is_refused``) or answers 404.
    ``base_url`` may name any page of the install; the members' area ``/ri/``
    is mapped to the public ``/bi/``.
    """
    base = public_base(base_url)
    links = []
    for year, month in months:
        urls = [calendar_url(base, program, year, month) for program in CALENDAR_PROGRAMS]
        links.append(Link(urls[0], "calendar", {"year": year, "month": month, "fallbacks": urls[1:]}))
    links.extend(Link(urljoin(base, program), kind) for program, kind in LISTING_PROGRAMS)
    return links


def public_base(base_url: str) -> str:
    """Return the folder of an install's public programs (``…/bi/``) for any URL inside it."""
    parts = urlsplit(base_url)
    path = parts.path or "/"
    if not path.endswith("/"):
        last = path.rsplit("/", 1)[-1]
        path = path.rsplit("/", 1)[0] + "/" if "." in last else path + "/"
    path = re.sub(r"/ri/$", "/bi/", path)
    return f"{parts.scheme}://{parts.netloc}{path}"


def calendar_url(base: str, program: str, year: int, month: int) -> str:
    """Return the URL of one month in one calendar program."""
    return urljoin(base, f"{program}?MM={month}&YY={year}")


def _calendar_month(doc: Doc) -> tuple[int, int] | None:
    """Return the (year, month) a calendar page shows: its heading, else its URL, else its nav links."""
    for h2 in find_all(doc.soup, "h2"):
        found = re.match(r"(\w+)\s+(\d{4})$", line_text(h2) or "")
        if found and found.group(1).lower() in _GERMAN_MONTHS:
            return int(found.group(2)), _GERMAN_MONTHS[found.group(1).lower()]
    month, year = url_param(doc.page.url, "MM"), url_param(doc.page.url, "YY")
    if month and year and month.isdigit() and year.isdigit():
        return int(year), int(month)
    for link in find_all(doc.soup, "a", href=True):
        title = (link.get("title") or "").lower()
        month, year = url_param(link.get("href"), "MM"), url_param(link.get("href"), "YY")
        if month and year and month.isdigit() and year.isdigit() and title in ("vorheriger monat", "nächster monat"):
            index = int(year) * 12 + int(month) - 1 + (1 if title.startswith("vorheriger") else -1)
            return index // 12, index % 12 + 1
    return None


def _calendar_rows(soup: Element) -> list[Element]:
    """Return the calendar's rows: those of ``table.tl1`` / ``table.calenderView``, else any innermost row naming a meeting."""
    rows = select(soup, "table.tl1 tr, table.calenderView tr")
    if not rows:
        # A calendar in another table class (a city CMS re-styles it): any row that names a meeting.
        rows = [tr for tr in find_all(soup, "tr") if _meeting_ids(tr)]
    # A row that holds a table of its own is a frame; its inner rows are read instead.
    return [tr for tr in rows if find(tr, "tr") is None]


def _meeting_ids(node: Element) -> list[str]:
    """Return the SILFDNR ids a node names in links and form fields, in page order, each once."""
    ids: list[str] = []
    for el in node.iterdescendants("a", "input"):
        if el.tag == "a":
            value = url_param(el.get("href"), "SILFDNR")
        else:
            value = el.get("value") if (el.get("name") or "").upper() == "SILFDNR" else None
        if value and value not in ids:
            ids.append(value)
    return ids


def parse_calendar(doc: Doc) -> Parsed:
    """Return the calendar's meetings without agenda link as Meetings, and Links to the others' ``to010`` pages."""
    month = _calendar_month(doc)
    items: list[Item] = []
    follow: list[Link] = []
    day: int | None = None
    seen: set[str | None] = set()
    for tr in _calendar_rows(doc.soup):
        cells = children(tr, "td")
        if not cells:
            continue
        # A month grid prints a week per row, one cell per day, each cell opening with its day.
        grid = len(cells) >= 5 and sum(1 for c in cells if _cell_day(c) is not None) >= 3
        if not grid:
            day = _row_day(tr, cells) or day
        ids = _meeting_ids(tr)
        if not ids:
            # Empty days and holidays have no time; a row with time and name is a
            # meeting the install lists without any id (a cancelled one, Mainz-Bingen).
            meeting = _meeting_without_id(doc, tr, cells, day, month) if not grid else None
            if meeting is not None:
                items.append(meeting)
            continue
        if len(ids) == 1 and not grid:
            entries = [(_row_entry(tr, cells), tr, day)]
        else:
            # Several meetings in one row (a grid week, or meetings side by side): one entry per meeting.
            entries = [_unit_entry(tr, silfdnr, None if grid else day) for silfdnr in ids]
        for (name, time_raw, room), unit, unit_day in entries:
            silfdnr = id_in(unit, "SILFDNR")
            if silfdnr in seen:
                continue  # a continuation row of a meeting above (its minutes button, a second line)
            seen.add(silfdnr)
            link = find(unit, "a", href=re.compile(r"to010", re.I))
            date_raw = f"{unit_day:02d}.{month[1]:02d}.{month[0]}" if unit_day and month else None
            context = {"name": name or None, "dateRaw": date_raw, "timeRaw": time_raw, "room": room}
            if link is not None:
                follow.append(Link(absolute_url(doc, link.get("href")), "to010", context))
            elif _agenda_button(unit):
                # Only a "TO" button leads to the agenda: follow it as the link would.
                follow.append(Link(absolute_url(doc, f"to010.asp?SILFDNR={silfdnr}"), "to010", context))
            else:
                # Listed without agenda link: this row is all the install shows of the meeting.
                items.append(Meeting(**doc.base(silfdnr), cancelled=cancelled_from_name(name), **context))
    follow = unique_links(follow)
    return Parsed(items=items, follow=follow, fields_seen={"month": month is not None, "meetings": bool(follow or items)})


def _meeting_without_id(
    doc: Doc, tr: Element, cells: list[Element], day: int | None, month: tuple[int, int] | None
) -> Meeting | None:
    """Return the Meeting of a list row that names a meeting at a time but links nothing, or None.

    Its systemId is made of date, start time and the name without
    cancellation words ("2026-09-17-1630-<8 hex>"), so the row keys the same
    meeting before and after "(ABGESAGT!!)" is added to it.
    """
    name, time_raw, room = _row_entry(tr, cells)
    start = re.match(r"(\d{1,2})[:.](\d{2})", time_raw or "")
    if not (name and start and day and month):
        return None
    year, month_number = month
    digest = hashlib.sha1(name_key(name).encode("utf-8")).hexdigest()[:8]
    system_id = f"{year:04d}-{month_number:02d}-{day:02d}-{int(start.group(1)):02d}{start.group(2)}-{digest}"
    return Meeting(
        **doc.base(system_id), name=name, dateRaw=f"{day:02d}.{month_number:02d}.{year}", timeRaw=time_raw, room=room,
        cancelled=cancelled_from_name(name),
    )


def _row_entry(tr: Element, cells: list[Element]) -> tuple[str, str | None, str | None]:
    """Return (name, time, room) of a row that lists one meeting."""
    time_cell = first_found(
        select_one(tr, "td.time"),
        cells[2] if len(cells) > 2 and "text2" in classes(cells[2]) else None,
        next((c for c in cells[:4] if _TIME_CELL.match(line_text(c) or "")), None),  # cells without classes
    )
    room_cell = select_one(tr, "td.raum, td.text4")
    link = find(tr, "a", href=re.compile(r"to010", re.I))
    if link is not None:
        name = node_text(link, keep_newlines=True)
    else:
        name = next(
            (
                text
                for c in cells[3:]
                if c is not room_cell and find(c, "form") is None and (text := node_text(c, keep_newlines=True))
            ),
            "",
        )
    return name, line_text(time_cell), line_text(room_cell)


_TIME_IN_TEXT = re.compile(r"\b\d{1,2}[:.]\d{2}(?:\s*Uhr)?(?:\s*[-–]\s*\d{1,2}[:.]\d{2}(?:\s*Uhr)?)?")


def _unit_entry(tr: Element, silfdnr: str, row_day: int | None) -> tuple[tuple[str, str | None, str | None], Element, int | None]:
    """Return ((name, time, room), the element holding one of several meetings of a row, its day)."""
    unit = _unit_of(tr, silfdnr)
    cell = unit if unit.tag == "td" else ancestor(unit, "td")
    day = _cell_day(cell) if cell is not None and row_day is None else None
    link = unit if unit.tag == "a" else find(unit, "a", href=re.compile(r"to010", re.I))
    text = node_text(unit, keep_newlines=True)
    time = _TIME_IN_TEXT.search(text)
    if link is not None and "to010" in (link.get("href") or "").lower():
        name = node_text(link, keep_newlines=True)
    else:
        lines = (_TIME_IN_TEXT.sub("", line).strip() for line in text.split("\n") if not _DAY_CELL.match(line))
        name = "\n".join(line for line in lines if line)
    room = line_text(select_one(unit, ".raum, .text4"))
    time_raw = time.group(0) if time else None
    # Responsive rows list a day's meetings one below the other in each column
    # (time, meeting, room): the n-th block of the time column is the n-th meeting's.
    ids = _meeting_ids(tr)
    if row_day is not None and len(ids) > 1:
        index = ids.index(silfdnr)
        time_raw = time_raw or _nth_block(select_one(tr, "td.time"), index, len(ids))
        room = room or _nth_block(select_one(tr, "td.raum"), index, len(ids))
    return (name, time_raw, room), unit, day or row_day


def _nth_block(cell: Element | None, index: int, count: int) -> str | None:
    """Return the text of the index-th ``div`` of a cell that holds one block per meeting, else None."""
    if cell is None:
        return None
    blocks = children(cell, "div")
    return line_text(blocks[index]) if len(blocks) == count else None


def _unit_of(tr: Element, silfdnr: str) -> Element:
    """Return the largest element inside ``tr`` that names ``silfdnr`` and no other meeting."""
    start = next(
        el for el in tr.iterdescendants("a", "input")
        if url_param(el.get("href"), "SILFDNR") == silfdnr
        or ((el.get("name") or "").upper() == "SILFDNR" and el.get("value") == silfdnr)
    )
    unit = start
    while True:
        parent = unit.getparent()
        if parent is None or parent is tr or _meeting_ids(parent) != [silfdnr]:
            return unit
        unit = parent


def _cell_day(cell: Element) -> int | None:
    """Return the day a month-grid cell is for: ``span.dom``, or a first line that is a day number alone ("8", "8.")."""
    marked = select_one(cell, "span.dom")
    text = line_text(marked) if marked is not None else node_text(cell).split("\n")[0]
    found = _DAY_CELL.match(text or "")
    return int(found.group(1)) if found and 1 <= int(found.group(1)) <= 31 else None


def _agenda_button(tr: Element) -> bool:
    """Return whether the row has a form that opens the agenda (to010), not the iCal export posted to the same program."""
    for form in find_all(tr, "form"):
        if "to010" not in (form.get("action") or "").lower():
            continue
        names = {(field.get("name") or "").lower() for field in find_all(form, "input")}
        if not names & {"selfaction", "template"}:
            return True
    return False


def _row_day(tr: Element, cells: list[Element]) -> int | None:
    marked = select_one(tr, "span.dom")
    if marked is not None:
        text = line_text(marked) or ""
        return int(text) if text.isdigit() else None
    if len(cells) > 1 and "text2" in classes(cells[1]):
        text = line_text(cells[1]) or ""
        return int(text) if text.isdigit() else None
    # Installs with plain cells: the day is the first short number in the first cells ("01", "1.").
    for cell in cells[:3]:
        day = _DAY_CELL.match(line_text(cell) or "")
        if day and 1 <= int(day.group(1)) <= 31:
            return int(day.group(1))
    return None
