"""Sternberg SD.NET RIM (3 and 4, on ``ratsinfomanagement.net``, on town hosts and embedded in town CMSs).

SD.NET names every object by an opaque, stable token in its address
(``/tops/?__=UGhV…``); the token is the object's id here. Page programs are
path segments: ``tops`` (a meeting with its agenda), ``vorgang`` (a process:
the paper and its Beratungsfolge), ``gremien``, ``personen``; documents are
``/sdnetrim/<token>/<file name>``. The crawl starts from the calendar export
``termine/ics/SD.NET_RIM.ics`` (the whole published calendar; the crawl session
keeps the meetings of the month window) and follows meetings → papers → documents.

Agenda items carry SD.NET's own number (``data-ivs-id``, or the n of
``data-vorgang-id="200_<n>"``), which the Beratungsfolge of a process names
too, so consultations link to their agenda items.

Fields a meeting gets from two pages are filled the same way by both
(committee name, day, place), or by one only: the time span comes from the
calendar export, the meeting's name ("Rat, 8. Sitzung") from its page.

Many SD.NET installs also run an OParl server (``…/webservice/oparl/v1.1/system``
or ``/oparl``); where a page links it, ``oparl_system_url`` returns it, and
detection prefers OParl (see ``spiders/dialects/__init__.py``).

Modules: ``detection`` (is it SD.NET, which page, refused, generation),
``common`` (tokens, label/value tables, documents), ``calendars`` (start and
calendar export), ``meetings`` (``tops``), ``papers`` (``vorgang``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin

from spiders.dialects.base import Page, Parsed, ParseError
from spiders.dialects.base import SessionDefaults, ignoring_first_page
from spiders.dialects.sdnet.calendars import parse_calendar, portal_root, start_urls
from spiders.dialects.sdnet.detection import NAME, detect, generation, is_refused, page_kind
from spiders.dialects.sdnet.meetings import parse_tops
from spiders.dialects.sdnet.papers import parse_vorgang

PARSERS: dict[str, Callable[[Page, str], Parsed]] = {
    "termine_ics": parse_calendar,
    "tops": parse_tops,
    "vorgang": parse_vorgang,
}

_OPARL_LINK = re.compile(r"""href=["']([^"']*/(?:webservice/)?oparl(?:/v?1\.[01])?(?:/system)?/?)["']""", re.I)


def parse(page: Page, source: str) -> Parsed:
    """Return the items and follow-up links of one SD.NET RIM page."""
    if is_refused(page):
        raise ParseError(f"SD.NET refused the page (firewall check or login page): {page.url}")
    kind = page_kind(page)
    parser = PARSERS.get(kind or "")
    if parser is None:
        raise ParseError(f"no SD.NET parser for page kind {kind!r}: {page.url}")
    return parser(page, source)


class SdnetSession(SessionDefaults):
    """The crawl-wide state of an SD.NET crawl: hands the month window of the start link to the calendar's parser."""

    parses_alone = True  # the window comes with the link's meta: nothing is kept between pages

    def request_for(self, link):
        return link

    def parse(self, page: Page, source: str, meta: dict | None) -> Parsed:
        if page_kind(page) == "termine_ics" and meta and meta.get("months") is not None:
            if is_refused(page):
                raise ParseError(f"SD.NET refused the page (firewall check or login page): {page.url}")
            return parse_calendar(page, source, months=list(meta["months"]))
        return parse(page, source)

    def manifest(self) -> dict:
        return {}


def crawl_session(settings, staging) -> SdnetSession:
    """Return the session the generic spider keeps for an SD.NET crawl (its optional dialect hook)."""
    return SdnetSession()


def oparl_system_url(page: Page) -> str | None:
    """Return the OParl System URL the page links, if it links one."""
    m = _OPARL_LINK.search(page.text)
    return urljoin(page.url, m.group(1)) if m else None


# The dialect contract (spiders.dialects.base.Dialect):
# the parts this system has no use for get the defaults.
FIRST_PAGE = False
start_urls = ignoring_first_page(start_urls)

__all__ = ["NAME", "PARSERS", "SdnetSession", "crawl_session", "detect", "generation", "is_refused", "oparl_system_url", "page_kind", "parse",
           "portal_root", "start_urls"]
