"""Where a crawl starts (month calendars and the committee list) and the month calendar ``si0040``."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from schemas.items import Item, Meeting
from spiders.dialects.base import Link, Page, Parsed, ParseError, year_months
from spiders.dialects.html import Element, find, parse_html, select, select_one
from spiders.dialects.html_text import one_line
from spiders.dialects.sessionnet.context import PageContext, extension_of, param, unique_links
from spiders.dialects.sessionnet.detection import PROGRAM_URL
from spiders.dialects.sessionnet.documents import documents, file_links
from spiders.dialects.sessionnet.links import MEETING_LINK, details_title, meeting_link, paper_links

_TIME = re.compile(r"\d{1,2}:\d{2}")
_MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]


def start_urls(base_url: str, months: list[tuple[int, int]] | None = None, first_page: Page | None = None) -> list[Link]:
    """Return the month calendars (``si0040``) for each (year, month) and the committee list (``gr0040``).

    The program extension (``asp``/``php``) is taken from ``base_url`` when it
    names a program, else from ``first_page`` (the page the crawl fetched to
    detect the dialect: its URL after redirects, else its own links). With
    neither, ``asp`` is assumed, the older and more common variant.
    """
    folder, ext = _folder_and_extension(base_url)
    if ext is None and first_page is not None:
        ext = extension_of(first_page)
        if urlsplit(first_page.url).netloc == urlsplit(base_url).netloc and PROGRAM_URL.search(urlsplit(first_page.url).path):
            folder = first_page.url.split("?", 1)[0].rsplit("/", 1)[0] + "/"
    ext = ext or "asp"
    clients = _all_clients(first_page) if first_page is not None else None
    every_client = f"&__cmandant={clients}" if clients else ""
    links = [
        Link(
            url=f"{folder}si0040.{ext}?__cjahr={year}&__cmonat={month}&__canz=1&__cselect=0{every_client}",
            kind="si0040",
            meta={"year": year, "month": month},
        )
        for year, month in year_months(months or [])
    ]
    links.append(Link(url=f"{folder}gr0040.{ext}", kind="gr0040"))
    return links


def _all_clients(page: Page) -> str | None:
    """Return the ``__cmandant`` value of the page's "Alle Mandanten" link, or None.

    An install that serves several clients (a Verbandsgemeinde with its
    Ortsgemeinden, Zweckverbände; Gerolstein, Trier-Land, Landstuhl) shows one
    client's meetings unless the calendar asks for all of them as its own
    "Alle Mandanten" link does (``si0040.asp?__cmandant=2&__cselect=0``).
    """
    if "smcfiltermenumandant" not in page.text:
        return None
    for a in select(parse_html(page.text), "a.smcfiltermenumandant[href]"):
        value = param(a.get("href"), "__cmandant")
        if value and value.isdigit():
            return value
    return None


def _folder_and_extension(url: str) -> tuple[str, str | None]:
    """Return the install folder URL (ending in '/') and the extension a program URL names."""
    path_url = url.split("?", 1)[0].split("#", 1)[0]
    m = re.search(r"/[^/]+\.(asp|php)$", path_url, re.I)
    if m:
        return path_url.rsplit("/", 1)[0] + "/", m.group(1).lower()
    return (path_url if path_url.endswith("/") else path_url + "/"), None


def parse_si0040(ctx: PageContext) -> Parsed:
    """Return a Meeting per calendar entry and the agenda pages to follow.

    The calendar entry has the same id (``__ksinr``) as the meeting page, so
    the two merge. The link text is the meeting's ``name`` ("öffentliche
    Sitzung des Rates …"); the calendar is the one page that fills it, as the
    meeting page fills ``shortName`` instead (see ``meetings``). Its date comes
    from the link title "Details anzeigen: <Gremium> <dd.mm.yyyy>", else from
    the day cell and the month of the page.
    Meetings are followed on ``si0057`` (or ``to0040`` where the calendar links
    that); because ``si0057`` needs the calendar's session cookie and some
    installs refuse it anyway, the link carries ``to0040`` as ``meta["fallback"]``.
    """
    table = select_one(ctx.soup, "table[id^=smc_page_si0040_contenttable]") or _table_with_meeting_links(ctx.soup)
    if table is None:
        raise ParseError(f"SessionNet si0040 page without table#smc_page_si0040_contenttable1: {ctx.page.url}")
    year, month = _calendar_month(ctx)
    items: list[Item] = []
    follow: list[Link] = []
    seen: set[str] = set()
    day: int | None = None
    for tr in select(table, "tr"):
        day_cell = select_one(tr, "td.smc_fct_day")
        if day_cell is not None:
            m = re.search(r"(?:^|\s)(\d{1,2})\b", one_line(day_cell) or "")
            if m:
                day = int(m.group(1))
        # Every meeting the row links (a day cell may list several), else the one its iCal link names.
        links: dict[str, Element | None] = {}
        for a in select(tr, "a[href]"):
            found = MEETING_LINK.search(a.get("href"))
            if found:
                links.setdefault(found.group(2), a)
        if not links and _ics_key(tr):
            links[_ics_key(tr)] = None
        single = len(links) == 1
        for ksinr, link in links.items():
            if ksinr in seen:
                continue
            seen.add(ksinr)
            committee, date_raw = details_title(link)
            if date_raw is None and day and month and year:
                date_raw = f"{day:02d}.{month:02d}.{year}"
            time_raw, room = _calendar_time_and_room(tr) if single else (None, None)
            meeting = Meeting(
                **ctx.common(),
                systemId=ksinr,
                name=one_line(link) if link is not None else one_line(select_one(tr, "td.silink .smc-el-h, td.silink h4, td.silink")),
                organizationName=committee,
                dateRaw=date_raw,
                timeRaw=time_raw,
                room=room,
            )
            items.append(meeting)
            if single:
                # Documents and papers of a row belong to its meeting only when the row has one.
                docs_cell = select_one(tr, "td.sidocs") or tr
                files = documents(docs_cell, ctx, "Meeting", ksinr)
                items += files
                follow += file_links(files) + paper_links(ctx, tr)
            if link is not None:
                follow.append(meeting_link(ctx, ksinr, tr if single else link))
    # A month without meetings is no failure; the table itself is checked above.
    return Parsed(items=items, follow=unique_links(follow), fields_seen={"calendarTable": True})


def _table_with_meeting_links(soup: Element) -> Element | None:
    """Return the innermost table that links meetings (a calendar without SessionNet 5's table id), or None."""
    for a in select(soup, "a[href]"):
        if MEETING_LINK.search(a.get("href")):
            return next(a.iterancestors("table"), None)
    return None


def _calendar_month(ctx: PageContext) -> tuple[int | None, int | None]:
    """Return the (year, month) a calendar page shows: from its URL, else from its heading."""
    year, month = param(ctx.page.url, "__cjahr"), param(ctx.page.url, "__cmonat")
    if year and month and year.isdigit() and month.isdigit():
        return int(year), int(month)
    heading = one_line(select_one(ctx.soup, "h1")) or one_line(find(ctx.soup, "title")) or ""
    m = re.search(r"(\d{4})\s+(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)", heading)
    if m:
        return int(m.group(1)), _MONTHS.index(m.group(2)) + 1
    return None, None


def _ics_key(tr: Element) -> str | None:
    """Return the meeting number of a calendar entry without agenda link, from its iCal export link."""
    a = select_one(tr, 'a[href*="yvcs."][href*="key="]')
    return param(a.get("href"), "key") if a else None


def _calendar_time_and_room(tr: Element) -> tuple[str | None, str | None]:
    """Return (time, room) of a calendar entry: the detail list (Layouts 5/6) or the time cell (Layout 4)."""
    time_cell = select_one(tr, "td.smc_field_yytime")
    if time_cell is not None:
        return one_line(time_cell), None
    details = [one_line(li) for li in select(tr, "ul.smc-detail-list > li")]
    details = [d for d in details if d]
    time_raw = details.pop(0) if details and _TIME.search(details[0]) else None
    return time_raw, (details[0] if details else None)
