"""Whether a page is regisafe RIS-Portal, which answer it is, and which generation printed it."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from spiders.dialects.base import Page

NAME = "regisafe"

_CALENDAR = re.compile(r"\A\s*\[\s*(?:\]|\{[^{}]*?\"sitzungId\"\s*:)", re.S)
# The portlet's markup, its assets, or the portlet's own links (every item and document link carries p_p_id=RisSitzung).
_PORTLET = re.compile(r"\bp_p_id_RisSitzung_|/o/ris-sitzung/|\bportlet_RisSitzung\b|[?&](?:amp;)?p_p_id=RisSitzung&")
_THEME = re.compile(r"/o/obis-theme/")
_HOST = re.compile(r"(?:^|\.)ris-portal\.de$", re.I)


def detect(page: Page) -> str | None:
    """Return why the page is RIS-Portal, or None: the calendar JSON's shape, the RisSitzung portlet, the host."""
    head = page.text[:4000]
    if _CALENDAR.match(head) and "sitzungId" in head:
        return "calendar JSON of events with sitzungId and sessionLink"
    m = _PORTLET.search(page.text[:200000])
    if m:
        return f"Liferay portlet RisSitzung ({m.group(0)!r})"
    host = urlsplit(page.url).hostname or ""
    if _HOST.search(host):
        return f"host {host} (RIS-Portal)"
    if _THEME.search(page.text[:30000]) and "ris-portal" in page.text[:30000]:
        return "comundus obis-theme with ris-portal links"
    return None


def page_kind(page: Page) -> str | None:
    """Return ``calendar``, ``sitzung`` (a meeting page) or ``start``."""
    if _CALENDAR.match(page.text[:4000]):
        return "calendar"
    query = parse_qs(urlsplit(page.url).query)
    if "rp-session-details" in page.text or "rp-top-list" in page.text or "sitzungId" in query:
        return "sitzung"
    if query.get("_RisSitzung_resource") == ["loadSessions"]:
        return "calendar"
    return "start" if detect(page) else None


def is_refused(page: Page) -> bool:
    """Return True for Liferay's login form and the access-denied answer (HTTP 403 pages from outside Europe)."""
    text = page.text[:60000]
    return bool(re.search(r"portlet_com_liferay_login_web_portlet_LoginPortlet|<title>[^<]*(?:403|Zugriff verweigert)",
                          text, re.I))


def generation(page: Page) -> str:
    return "regisafe RIS-Portal (Liferay, RisSitzung)" + (" calendar JSON" if page_kind(page) == "calendar" else "")
