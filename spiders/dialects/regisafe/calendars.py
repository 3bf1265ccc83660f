"""Where a RIS-Portal crawl starts, and the month calendar's JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit


from schemas.items import Meeting
from spiders.dialects.base import Link, Page, Parsed, ParseError, year_months
from spiders.dialects.html_text import one_line
from spiders.dialects.regisafe.detection import NAME
from spiders.dialects.html import parse_html, select, select_one

_SITE = re.compile(r"^(.*?/web/[^/]+/)")


def portal_root(base_url: str) -> str:
    """Return the site's address: ``https://host/web/<site>/`` where the URL names a site, else ``https://host/``."""
    parts = urlsplit(base_url)
    m = _SITE.match(parts.path)
    return urlunsplit((parts.scheme, parts.netloc, m.group(1) if m else "/", "", ""))


def month_url(root: str, year: int, month: int) -> str:
    """Return the calendar JSON address of a month (1-12; the portal counts months from 0)."""
    query = {"p_p_id": "RisSitzung", "p_p_lifecycle": "2", "p_p_state": "normal", "p_p_mode": "view",
             "p_p_cacheability": "cacheLevelPage", "_RisSitzung_resource": "loadSessions",
             "_RisSitzung_year": str(year), "_RisSitzung_month": str(month - 1), "_RisSitzung_day": "1",
             "_RisSitzung_filterGremiumIds": "", "_RisSitzung_filterTypeOfRisCalendarItems": "",
             "_RisSitzung_viewMode": "month"}
    return urljoin(root, "sitzungen?" + urlencode(query))


def start_urls(base_url: str, months=()) -> list[Link]:
    """Return the calendar of each month of the window."""
    window = year_months(list(months))
    if not window:
        raise ValueError("RIS-Portal needs a month window (--months)")
    root = portal_root(base_url)
    return [Link(month_url(root, y, m), "calendar") for y, m in window]


def parse_calendar(page: Page, source: str) -> Parsed:
    """Return a Meeting per calendar event and its meeting page."""
    try:
        events = json.loads(page.text)
    except ValueError as exc:
        raise ParseError(f"RIS-Portal calendar is no JSON: {exc}") from exc
    if not isinstance(events, list):
        raise ParseError("RIS-Portal calendar is no list of events")
    parsed = Parsed()
    seen = set()
    for event in events:
        if not isinstance(event, dict) or event.get("sitzungId") in (None, ""):
            continue  # other calendar items (holidays, notes) carry no meeting
        meeting_id = str(event["sitzungId"])
        if meeting_id in seen:
            continue
        seen.add(meeting_id)
        link = urljoin(page.url, event.get("sessionLink") or f"web/guest/sitzungen?sitzungId={meeting_id}")
        parsed.items.append(_meeting(event, meeting_id, link, page.url, source))
        parsed.follow.append(Link(link, "sitzung"))
    parsed.fields_seen = {"meetings": bool(parsed.items)}
    return parsed


def _meeting(event: dict, meeting_id: str, link: str, url: str, source: str) -> Meeting:
    snippet = parse_html(event.get("text") or "")
    badges = [one_line(b) for b in select(snippet, "div.rp-gremium-badge")]
    committee = next((b for b in badges if b and not re.fullmatch(r"[\w-]{1,12}", b)), None)
    if committee is None:
        # The redesigned theme has no badges; the entry's link names the body: "Sitzung Stadtrat am 14.10.2026".
        m = re.match(r"Sitzung\s+(.+?)\s+am\s+\d{1,2}\.\d{1,2}\.\d{4}", one_line(select_one(snippet, "a")) or "")
        committee = m.group(1) if m else None
    start = _start(event.get("start"))
    end_text = one_line(select_one(snippet, ".end-time"))
    time_raw = None
    if start and not event.get("allDay"):
        time_raw = f"{start:%H:%M}" + (f" - {end_text}" if end_text and re.fullmatch(r"\d{1,2}:\d{2}", end_text) else "") + " Uhr"
    return Meeting(
        source=source, system=NAME, systemId=meeting_id, url=url, web=link,
        shortName=_text(event.get("label")),
        organizationName=committee,
        dateRaw=f"{start:%d.%m.%Y}" if start else None,
        timeRaw=time_raw,
        locality=_text(event.get("location")),
    )


def _text(value) -> str | None:
    return re.sub(r"\s+", " ", str(value)).strip() or None if value else None


def _start(value) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
