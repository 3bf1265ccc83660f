"""Whether a page is more! rubin, which answer it is, and which generation printed it."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

from spiders.dialects.base import Page

NAME = "rubin"

# The hosts of the platform (Ratsmonitor's catalogue: gremien.info, more-rubin1.de, KISA's zv-kisa.de).
HOSTS = re.compile(r"(?:^|\.)(?:gremien\.info|more-rubin1\.de|zv-kisa\.de)$", re.I)
_CALENDAR = re.compile(r"\A\s*\{\s*\"first_day\"\s*:\s*\"\d{4}-\d{2}-\d{2}\"")
_MEETING_KEYS = ("\"nummer\"", "\"agenda_items\"")
_PRODUCT = re.compile(r"more!\s*rubin", re.I)


def detect(page: Page) -> str | None:
    """Return why the page is more! rubin, or None.

    The answers of its interface have their own shapes: the calendar
    ``{"first_day", "last_day", "meetings", "holidays", "room_events"}``, a
    meeting ``{"nummer", …, "agenda_items": […]}`` (also embedded in the
    meeting page's script); a page on one of the platform's hosts counts, and
    the product name in the page.
    """
    head = page.text[:4000]
    if _CALENDAR.match(head) and "\"meetings\"" in page.text[:200000]:
        return "calendar JSON {first_day, last_day, meetings}"
    host = urlsplit(page.url).hostname or ""
    if page_kind(page) == "meeting":
        return "meeting JSON {nummer, agenda_items}" + (f" on {host}" if HOSTS.search(host) else "")
    if HOSTS.search(host):
        return f"host {host} (more! rubin platform)"
    m = _PRODUCT.search(page.text[:30000])
    if m and "<" in head:
        return f"page names {m.group(0)!r}"
    return None


def page_kind(page: Page) -> str | None:
    """Return ``calendar``, ``meeting`` (JSON or a page embedding it) or None."""
    text = page.text.lstrip()
    if _CALENDAR.match(text[:4000]):
        return "calendar"
    if all(k in page.text for k in _MEETING_KEYS):
        return "meeting"
    query = parse_qs(urlsplit(page.url).query)
    if query.get("id") == ["calendar"]:
        return "calendar"
    if query.get("id") == ["meetings"] or urlsplit(page.url).path.rstrip("/").endswith(("meeting", "meeting.php")):
        return "meeting"
    return None


def is_refused(page: Page) -> bool:
    """Return True for the interface's error answers (``[{"ErrorCode": 101}]``, an empty list)."""
    text = page.text.strip()
    if text in ("[]", "{}"):
        return True
    try:
        data = json.loads(text) if text[:1] in "[{" else None
    except ValueError:
        return False
    if isinstance(data, list) and data and isinstance(data[0], dict) and "ErrorCode" in data[0]:
        return True
    return isinstance(data, dict) and "ErrorCode" in data


def generation(page: Page) -> str:
    """Return e.g. 'more! rubin (api.php JSON)'."""
    kind = page_kind(page)
    if page.text.lstrip().startswith("{"):
        return "more! rubin (api.php JSON)"
    return "more! rubin" + (" (meeting page with embedded JSON)" if kind == "meeting" else "")
