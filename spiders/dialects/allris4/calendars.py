"""Where a crawl starts and the month calendar (the Wicket shell page and its Ajax answer)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from schemas.items import Item, Meeting
from spiders.dialects.allris4.fields import NAME, unique_links, url_param
from spiders.dialects.base import Link, Page, Parsed, ParseError, year_months
from spiders.dialects.html import Element, parse_html, select, select_one
from spiders.dialects.html_text import one_line


_AJAX_CALENDAR = re.compile(r"\"u\":\"\./(si010\?[0-9.-]+-&[^\"]*)\"")


_CDATA_COMPONENT = re.compile(r"<component\b[^>]*><!\[CDATA\[(.*?)\]\]></component>", re.S)


def start_urls(base_url: str, months: list[tuple[int, int]] | None = None) -> list[Link]:
    """Return the month calendars ``si010?MM=&YY=`` for each (year, month).

    The calendar page is the entry because ALLRIS 4 has no list that reaches
    every meeting otherwise; its table arrives by a Wicket Ajax request the
    calendar page names (followed as ``si010_ajax``).
    """
    base = public_base(base_url)
    links = []
    for year, month in year_months(months or []):
        links.append(Link(url=f"{base}si010?MM={month}&YY={year}", kind="si010", meta={"year": year, "month": month}))
    return links


def public_base(base_url: str) -> str:
    """Return the install's ``…/public/`` folder URL from any URL inside it."""
    parts = urlsplit(base_url)
    path = parts.path
    if "/public/" in path or path.endswith("/public"):
        path = path[: path.index("/public")] + "/public/"
    elif not path.endswith("/"):
        path = path.rsplit("/", 1)[0] + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def parse_calendar(page: Page, source: str) -> Parsed:
    """Return a Meeting per calendar row and the agenda pages to follow.

    Rows of meetings whose agenda is not published carry ``a#si_N`` without
    href; they still become Meetings (date, time, room), as the calendar is the
    only place that lists them. The date is the tooltip's ("Mi., 21.10.2026")
    where there is one; otherwise it is composed from the day cell and the
    month asked for (``MM``/``YY`` of the request), as "dd.mm.yyyy".
    """
    html = _calendar_html(page)
    soup = parse_html(html)
    table = select_one(soup, "table.calenderView")
    if table is None:
        if is_ajax_response(page):
            raise ParseError(f"ALLRIS 4 calendar Ajax answer without table.calenderView: {page.url}")
        # The shell is the calendar's normal first answer, not a page without its table: the
        # table is counted on the Ajax answer; the shell is expected to name that call.
        names_call = _AJAX_CALENDAR.search(page.text) is not None
        return Parsed(follow=_calendar_ajax_links(page), fields_seen={"calendarAjaxCall": names_call})
    year, month = _calendar_month(page.url, table)
    base = public_base(page.url)
    items: list[Item] = []
    follow: list[Link] = []
    day: int | None = None
    for tr in select(table, "tr"):
        dom = select_one(tr, "span.dom")
        if dom is not None and (one_line(dom) or "").isdigit():
            day = int(one_line(dom) or 0)
        anchors = _meeting_anchors(tr)
        # A day with several meetings lists them one below the other, each in its own
        # block of the time, meeting and room cells: the n-th time is the n-th meeting's.
        times = _blocks(select_one(tr, "td.time"))
        rooms = _blocks(select_one(tr, "td.raum"))
        for index, (silfdnr, anchor) in enumerate(anchors):
            tooltip = anchor.get("data-simpletooltip-text", "")
            m = re.search(r"am\s+(.*?\d{1,2}\.\d{1,2}\.\d{4})", tooltip)
            if m:
                date_raw: str | None = m.group(1).strip()
            elif day and month and year:
                date_raw = f"{day:02d}.{month:02d}.{year}"
            else:
                date_raw = None
            items.append(
                Meeting(
                    source=source,
                    system=NAME,
                    systemId=silfdnr,
                    url=page.url,
                    name=one_line(anchor),
                    dateRaw=date_raw,
                    timeRaw=_nth(times, index, len(anchors)),
                    room=_nth(rooms, index, len(anchors)),
                )
            )
            if anchor.get("href"):
                follow.append(Link(url=f"{base}to010?SILFDNR={silfdnr}", kind="to010"))
    # A month without meetings is no failure; the table itself is what is expected.
    return Parsed(items=items, follow=unique_links(follow), fields_seen={"calendarTable": True})


def _meeting_anchors(tr: Element) -> list[tuple[str, Element]]:
    """Return (SILFDNR, link) of every meeting a calendar row lists: ``a#si_<n>``, else a ``to010`` link's SILFDNR."""
    out: dict[str, Element] = {}
    for a in select(tr, "td.textCol a, a[id^=si_], a[href*='SILFDNR=']"):
        element_id = (a.get("id") or "").removeprefix("si_")
        silfdnr = element_id if (a.get("id") or "").startswith("si_") and element_id.isdigit() else None
        if silfdnr is None and "to010" in (a.get("href") or ""):
            silfdnr = url_param(a.get("href"), "SILFDNR")
        if silfdnr and silfdnr.isdigit():
            out.setdefault(silfdnr, a)
    return list(out.items())


def _blocks(cell: Element | None) -> list[str | None]:
    """Return the texts of a cell's ``div`` blocks (one per meeting), or the cell's text as one block."""
    if cell is None:
        return []
    divs = [div for div in cell if isinstance(div.tag, str) and div.tag == "div"]
    return [one_line(div) for div in divs] if len(divs) > 1 else [one_line(cell)]


def _nth(blocks: list[str | None], index: int, count: int) -> str | None:
    """Return the block of the index-th meeting; with one block for several meetings, none can be told apart."""
    if len(blocks) == count:
        return blocks[index]
    return blocks[0] if count == 1 and blocks else None


def _calendar_html(page: Page) -> str:
    """Return the calendar markup: the CDATA components of a Wicket Ajax answer, or the page."""
    if is_ajax_response(page):
        return "\n".join(_CDATA_COMPONENT.findall(page.text))
    return page.text


def _calendar_month(url: str, table: Element) -> tuple[int | None, int | None]:
    """Return the (year, month) shown: from the request's MM/YY, else from a tooltip date."""
    month, year = url_param(url, "MM"), url_param(url, "YY")
    if month and year and month.isdigit() and year.isdigit():
        return int(year), int(month)
    for a in select(table, "a[data-simpletooltip-text]"):
        m = re.search(r"\d{1,2}\.(\d{1,2})\.(\d{4})", a.get("data-simpletooltip-text"))
        if m:
            return int(m.group(2)), int(m.group(1))
    return None, None


def _calendar_ajax_links(page: Page) -> list[Link]:
    """Return the Ajax request that loads the calendar table of a shell page ``si010?MM=&YY=``."""
    m = _AJAX_CALENDAR.search(page.text)
    base = public_base(page.url)
    if m:
        path = m.group(1).replace("&amp;", "&")
    else:
        month, year = url_param(page.url, "MM"), url_param(page.url, "YY")
        if not (month and year):
            return []
        path = f"si010?0-1.0-&MM={month}&YY={year}"
    shell = page.url.rsplit("/", 1)[-1]
    headers = {"Wicket-Ajax": "true", "Wicket-Ajax-BaseURL": shell, "X-Requested-With": "XMLHttpRequest"}
    return [Link(url=f"{base}{path}", kind="si010_ajax", meta={"headers": headers, "cookies_from": page.url})]


def is_ajax_response(page: Page) -> bool:
    return "<ajax-response>" in page.text[:500]
