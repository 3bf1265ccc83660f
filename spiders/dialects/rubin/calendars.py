"""Where a more! rubin crawl starts, and the calendar answer of its interface.

The interface ``api.php`` answers the calendar of a span of months as JSON:
``api.php?json=true&id=calendar&action=get&from=YYYY-MM&to=YYYY-MM&view=list``
(the address Ratsmonitor's importer asks). The answer is
``{"first_day", "last_day", "meetings": […], "holidays": […], "room_events": […]}``;
each meeting has its number ``nummer`` ("2026-VGRATNPL-61", the id everywhere),
``datum``, ``titel``, ``beginn``/``ende`` ("00:00:00" = not set), committee codes
``gremium_1…5``, ``room`` and ``full_url`` (the meeting's page). A session's
non-public part may be listed as its own entry "ni_<nummer>" with
``nummer_si`` naming the session; it is the same meeting, and its detail is
not public, so it is not fetched.

The meeting's detail is asked from the same interface,
``api.php?json=true&id=meetings&action=get&meeting_id=<nummer>&with_agenda_item_documents=1``
(agenda items with their papers, documents and votes; the address Ratsmonitor's
notes record for rockenhausen.gremien.info, 01.10.2026), with the meeting page
``full_url`` as the fallback, whose script holds the same JSON. The install's
robots.txt closes only ``/config/`` and ``/documents.php``.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from schemas.items import Meeting
from spiders.dialects.base import Link, Page, Parsed, ParseError, year_months
from spiders.dialects.rubin.common import german_date, one_line, time_span, web_url
from spiders.dialects.rubin.detection import NAME


def portal_root(base_url: str) -> str:
    """Return the install's root: scheme, host and the path up to ``api.php`` or ``meeting``, with a slash."""
    parts = urlsplit(base_url)
    path = parts.path or "/"
    for marker in ("api.php", "meeting", "calendar", "webservice-mobile"):
        if marker in path:
            path = path[: path.index(marker)]
    if not path.endswith("/"):
        path = path + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def calendar_url(root: str, first: tuple[int, int], last: tuple[int, int]) -> str:
    return urljoin(root, f"api.php?json=true&id=calendar&action=get&from={first[0]}-{first[1]:02d}"
                         f"&to={last[0]}-{last[1]:02d}&view=list")


def meeting_url(root: str, number: str) -> str:
    return urljoin(root, f"api.php?json=true&id=meetings&action=get&meeting_id={quote(number)}&with_agenda_item_documents=1")


def start_urls(base_url: str, months=()) -> list[Link]:
    """Return one calendar request for the whole month window."""
    window = sorted(year_months(list(months)))
    if not window:
        raise ValueError("more! rubin needs a month window (--months)")
    return [Link(calendar_url(portal_root(base_url), window[0], window[-1]), "calendar")]


def parse_calendar(page: Page, source: str) -> Parsed:
    """Return a Meeting per calendar entry and the detail requests of the public ones."""
    try:
        data = json.loads(page.text)
    except ValueError as exc:
        raise ParseError(f"more! rubin calendar is no JSON: {exc}") from exc
    if isinstance(data, dict) and isinstance(data.get("calendar"), dict):
        data = data["calendar"]
    if not isinstance(data, dict) or not isinstance(data.get("meetings"), list):
        raise ParseError("more! rubin calendar without a meetings list")
    root = portal_root(page.url)
    parsed = Parsed()
    seen = set()
    for entry in data["meetings"]:
        meeting = meeting_from(entry, page.url, source)
        if meeting is None or meeting.systemId in seen:
            continue
        seen.add(meeting.systemId)
        parsed.items.append(meeting)
        number = str(entry.get("nummer") or "")
        if not number.startswith("ni_"):
            fallback = web_url(entry.get("full_url"))
            meta = {"fallbacks": [fallback]} if fallback else {}
            parsed.follow.append(Link(meeting_url(root, number), "meeting", meta))
    parsed.fields_seen = {"meetings": bool(data["meetings"])}
    return parsed


_CANCELLED = re.compile(r"(?:abgesagt|entfällt|fällt aus|ausgefallen)\b", re.I)


def meeting_from(entry: dict, page_url: str, source: str, committee_name: str | None = None) -> Meeting | None:
    """Return the Meeting of a calendar entry or a meeting answer (the same fields in both)."""
    number = str(entry.get("nummer") or "")
    if not number:
        return None
    if number.startswith("ni_"):
        number = str(entry.get("nummer_si") or number[3:])
    room = entry.get("room") if isinstance(entry.get("room"), dict) else {}
    address = room.get("address") if isinstance(room.get("address"), dict) else {}
    locality = ", ".join(p for p in (one_line(address.get("street") or room.get("Strasse")),
                                     " ".join(x for x in (address.get("zip_code") or room.get("PLZ"),
                                                           address.get("location") or room.get("Ort")) if x))
                         if p) or None
    title = one_line(entry.get("titel"))
    return Meeting(
        source=source,
        system=NAME,
        systemId=number,
        url=page_url,
        web=web_url(entry.get("full_url")),
        name=title,
        # A cancelled meeting keeps its entry, its title prefixed: "Abgesagt - 8. Sitzung des …" (lauenburg.gremien.info).
        cancelled=True if title and _CANCELLED.match(title) else None,
        organization=entry.get("gremium_1") or None,
        organizationName=committee_name,
        dateRaw=german_date(entry.get("datum")),
        timeRaw=time_span(entry.get("beginn"), entry.get("ende")),
        room=one_line(room.get("name") or room.get("Bezeichnung")),
        locality=locality,
    )
