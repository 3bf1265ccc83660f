"""komuna / KIC (KIC Software's council information app; hosted as ``ris.komuna.net/<town>/`` or on a town's host).

The public pages are a React app shell (``<title>Ratsinformationssystem</title>``,
an empty ``div#root``, assets under ``/<version>/static/js/index-….js``); the data
comes from the guest interface named in ``<base><version>/webconfig.json``
(``serviceUrl``, ``org_key``), asked with the app's headers ``x-orgkey``,
``x-uniqueid`` (host and path of the install), ``x-customname`` and
``Accept: application/json`` (as Ratsmonitor's importer records, October 2026):

* ``web/guestmeetings?from=YYYY-MM-DD&until=YYYY-MM-DD`` – ``{"items": [meeting…]}``;
* ``web/guestmeetings/<id>`` – a meeting with ``parts[].agendaitems[]``
  (``protectedpart`` marks the non-public part, ``restricted`` an item);
* ``web/guestagendaitems/<meeting>-<item>`` – an item with its Beratungsfolge
  (``conorderitems``), ``votings`` and ``documents`` (``guestvisible``);
* ``web/guestagendaitems/documents/<id>`` – a document.

The interface lives on its own host (``risapi1.komuna.net``), so a crawl of a
KIC install fetches from two hosts: the app's and the one its configuration
names. The headers are added by the crawl session (``crawl_session``), which
keeps the configuration read from ``webconfig.json``.

Ids are KIC's: meeting ``id``, agenda item ``<meeting>-<item>``, document ``id``.
KIC shows no papers of their own: a matter is its Beratungsfolge (``conorderid``,
the same on every item of the sequence), so an item with a Beratungsfolge gets the
paper "conorder-<conorderid>". An item's ``globalid`` ("126/2026",
"UKVS/4/2/26") numbers the item (every item of a meeting has its own, in
sequence), not a paper, and is not used as one.
"""

from __future__ import annotations

from typing import Any

from spiders.dialects.base import Link, Page, Parsed, ParseError
from spiders.dialects.base import SessionDefaults, no_oparl_link
from spiders.dialects.kic.detection import NAME, detect, generation, is_refused, page_kind
from spiders.dialects.kic.guest import (parse_agendaitem, parse_meeting, parse_meetings, parse_webconfig, portal_base,
                                        start_urls)

PARSERS = {"guestmeetings": parse_meetings, "guestmeeting": parse_meeting, "guestagendaitem": parse_agendaitem}


def parse(page: Page, source: str) -> Parsed:
    """Return the items and follow-up links of one answer of the guest interface (or the webconfig)."""
    if is_refused(page):
        raise ParseError(f"KIC refused the request (error answer): {page.url}")
    kind = page_kind(page)
    if kind == "webconfig":
        return parse_webconfig(page, source)
    if kind == "shell":
        return Parsed()
    parser = PARSERS.get(kind or "")
    if parser is None:
        raise ParseError(f"no KIC parser for page kind {kind!r}: {page.url}")
    return parser(page, source)


class KicSession(SessionDefaults):
    """The crawl-wide state of a KIC crawl: the configuration, and the app's headers on every request to the interface."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}
        self.api: str | None = None
        self.notes: list[str] = []

    def request_for(self, link: Link) -> Link:
        if self.api and link.url.startswith(self.api) and self.headers:
            return Link(link.url, link.kind, meta={**link.meta, "headers": {**self.headers, **(link.meta.get("headers") or {})}})
        return link

    def parse(self, page: Page, source: str, meta: dict | None) -> Parsed:
        meta = meta or {}
        if page_kind(page) == "webconfig":
            parsed = parse_webconfig(page, source, window=meta.get("window"), unique_id=meta.get("uniqueId"),
                                     custom_name=meta.get("customName", ""))
            self.api = parsed.follow[0].url.split("web/guestmeetings", 1)[0] if parsed.follow else None
            self.headers = parsed.follow[0].meta.get("headers", {}) if parsed.follow else {}
            return parsed
        return parse(page, source)

    def drain_notes(self) -> list[str]:
        notes, self.notes = self.notes, []
        return notes

    def manifest(self) -> dict[str, Any]:
        # The interface answers only requests with the app's headers: its documents too (documents stage).
        headers = {"requestHeaders": {self.api: self.headers}} if self.api and self.headers else {}
        return {"kic": {"api": self.api}, **headers}


def crawl_session(settings: Any, staging: Any) -> KicSession:
    """Return the session the generic spider keeps for a KIC crawl (its optional dialect hook)."""
    return KicSession()


# The dialect contract (spiders.dialects.base.Dialect):
# the parts this system has no use for get the defaults.
FIRST_PAGE = True  # start_urls reads the app's identity from the base URL's page
oparl_system_url = no_oparl_link

__all__ = ["NAME", "PARSERS", "KicSession", "crawl_session", "detect", "generation", "is_refused", "page_kind", "parse",
           "portal_base", "start_urls"]
