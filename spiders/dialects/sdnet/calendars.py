"""Where an SD.NET RIM crawl starts, and the calendar export (``termine/ics/SD.NET_RIM.ics``).

SD.NET's month calendar pages address months by opaque tokens, but every
install publishes its calendar as iCalendar under a fixed address. Each event
names the committee (SUMMARY), the time span, the place and, in its
DESCRIPTION, the address of the agenda ("Link zur Tagesordnung:
https://…/tops/?__=<token>"); a meeting whose agenda is not published yet has
no such address. The export holds the install's whole published calendar
(years of meetings), so the crawl keeps only the meetings of its month window:
the start link carries the window, and the crawl session hands it to the parser.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urljoin, urlsplit, urlunsplit

import icalendar

from schemas.items import Meeting
from spiders.dialects.base import Link, Page, Parsed, ParseError, year_months
from spiders.dialects.sdnet.common import clean_place, token
from spiders.dialects.sdnet.detection import NAME

CALENDAR_EXPORT = "termine/ics/SD.NET_RIM.ics"
_PROGRAM_SEGMENTS = {"startseite", "termine", "sitzungen", "tops", "vorgang", "vorlagen", "gremien", "personen",
                     "fraktionen", "recherche", "diverses"}
_AGENDA_LINK = re.compile(r"(https?://\S+/tops/\?__=[\w-]+|/tops/\?__=[\w-]+)")
_CANCELLED = re.compile(r"\bfindet\b[^.]{0,120}\bnicht statt\b|\bentfällt\b|\babgesagt\b|\bfällt aus\b", re.I)


def portal_root(base_url: str) -> str:
    """Return the install's root address: the base URL up to its first SD.NET program segment, with a slash."""
    parts = urlsplit(base_url)
    kept = []
    for segment in parts.path.split("/"):
        if segment.lower() in _PROGRAM_SEGMENTS:
            break
        kept.append(segment)
    path = "/".join(kept).rstrip("/") + "/"
    return urlunsplit((parts.scheme, parts.netloc, path if path.startswith("/") else "/" + path, "", ""))


def start_urls(base_url: str, months=()) -> list[Link]:
    """Return the calendar export of the install at ``base_url``, with the crawl's month window."""
    window = sorted(year_months(list(months)))
    meta = {"months": [f"{y}-{m:02d}" for y, m in window]} if window else {}
    return [Link(urljoin(portal_root(base_url), CALENDAR_EXPORT), "termine_ics", meta)]


def parse_calendar(page: Page, source: str, months: list[str] | None = None) -> Parsed:
    """Return a Meeting per event of the export and the agenda pages of those that have one.

    ``months`` ("2026-09", …) keeps only the meetings of those months; without it every event is read.
    """
    try:
        calendar = icalendar.Calendar.from_ical(page.text)
    except ValueError as exc:
        raise ParseError(f"not a readable iCalendar export: {exc}") from exc
    parsed = Parsed()
    seen = set()
    for event in calendar.walk("VEVENT"):
        if months is not None and _month_of(event) not in months:
            continue
        meeting, agenda_url = _meeting(event, page, source)
        if meeting.systemId in seen:
            continue
        seen.add(meeting.systemId)
        parsed.items.append(meeting)
        if agenda_url:
            parsed.follow.append(Link(agenda_url, "tops"))
    parsed.fields_seen = {"meetings": bool(parsed.items), "agendaLinks": bool(parsed.follow)}
    return parsed


def _meeting(event, page: Page, source: str) -> tuple[Meeting, str | None]:
    description = str(event.get("DESCRIPTION") or "")
    link = _AGENDA_LINK.search(description)
    agenda_url = urljoin(page.url, link.group(1)) if link else None
    meeting_id = token(agenda_url) or f"uid-{event.get('UID')}"
    start = _value(event.get("DTSTART"))
    end = _value(event.get("DTEND"))
    day = start.date() if isinstance(start, dt.datetime) else start
    time_raw = None
    if isinstance(start, dt.datetime):
        time_raw = f"{start:%H:%M}" + (f" - {end:%H:%M}" if isinstance(end, dt.datetime) and end != start else "") + " Uhr"
    remark = description.split("Bemerkung:", 1)[1] if "Bemerkung:" in description else ""
    return (
        Meeting(
            source=source,
            system=NAME,
            systemId=meeting_id,
            url=page.url,
            web=agenda_url,
            organizationName=str(event.get("SUMMARY") or "").strip() or None,
            dateRaw=f"{day:%d.%m.%Y}" if isinstance(day, dt.date) else None,
            timeRaw=time_raw,
            locality=clean_place(str(event.get("LOCATION") or "")),
            cancelled=True if _CANCELLED.search(remark) else None,
        ),
        agenda_url,
    )


def _value(prop):
    return getattr(prop, "dt", None)


def _month_of(event) -> str | None:
    start = _value(event.get("DTSTART"))
    return f"{start.year}-{start.month:02d}" if isinstance(start, dt.date) else None
