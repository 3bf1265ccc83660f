"""OParl 1.0 and 1.1, the JSON API of council information systems, as items.

The crawl starts at a ``System`` and walks System → Body → the Body's
external lists (organization, person, meeting, paper; and the 1.1 lists
membership, agendaItem, consultation, file where the Body names them). Each
list is followed page by page through ``links.next``; page URLs are never
built here. Objects embedded in others (Consultation in Paper, AgendaItem in
Meeting, Membership in Person, File in Paper/Meeting/AgendaItem) become
items of their own with a reference to their parent, as in the HTML
dialects, so OParl and HTML sources fill the same tables.

Mapping: the object's URL (``id``) is the item's ``systemId`` (and ``url``);
OParl fields map to the item fields of the same name. Where an item has one
reference and OParl a list, the first (lead) entry is kept.
``AgendaItem.order`` counts from 0, ``Consultation.position`` /
``File.position`` from 1, as in every dialect. Referenced objects are not
fetched (dangling references become stub rows at load time); only an object
of an embedded type that a server gives as a bare URL is fetched on its own.
A ``Body`` is no item: its name and AGS go to the crawl manifest and from
there into the warehouse's ``source`` table (``pipelines.warehouse.sync_state``).
Real servers are lenient about the standard, so is this dialect (invalid
JSON repaired, ``"N/A"`` is no value, broken date-times read, tombstones
typed from their list or URL …).

The modules, in the order data passes them:

* ``lenient``    JSON repair and lenient values (text, dates, lists, MIME, AGS, GeoJSON);
* ``vocabulary`` the OParl types and Body lists, the type of an object;
* ``servers``    System and Body summaries, the server family;
* ``objects``    OParl objects → items, embedded objects flattened;
* ``lists``      list pages, the Body's lists, the guarded step to ``links.next``;
* ``walks``      whether a list walk saw the whole list (the evidence a deletion needs);
* ``documents``  a decoded document → items and links, and its page kind;
* ``session``    ``OParlSync``, the crawl-wide side (``modified_since``, list
  bookkeeping, progress lines), which the generic spider creates through
  ``crawl_session``; everything else is pure;
* ``generation`` the OParl version and server product of a page.

This module holds the dialect contract (``spiders/dialects/base.py``) and
re-exports what other modules and the tests use.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Iterable
from urllib.parse import urlsplit

from spiders.dialects.base import Link, Page, Parsed, ParseError
from spiders.dialects.base import ignoring_first_page, never_refused, no_oparl_link
from spiders.dialects.oparl.documents import document_kind, known_kind, parse_decoded, parse_document
from spiders.dialects.oparl.generation import generation_of
from spiders.dialects.oparl.lenient import (
    as_list,
    clean_text,
    load_json,
    mime_type,
    normalise_ags,
    parse_datetime,
    parse_day,
    point_lon_lat,
)
from spiders.dialects.oparl.lists import next_page, page_id_digests
from spiders.dialects.oparl.servers import body_summary, system_summary, vendor_of
from spiders.dialects.oparl.session import OParlSync, modified_since_value, with_modified_since
from spiders.dialects.oparl.vocabulary import NAME, SCHEMA_TYPE, type_from_url, type_name

logger = logging.getLogger(__name__)

_LIST_SHAPE = re.compile(r'"data"\s*:\s*\[')
_LIST_KEYS = re.compile(r'"(?:pagination|links)"\s*:\s*\{')
# "/webservice/oparl/v1.0/…" (SD.NET RIM), "/oparl/bodies/0001/…" (SessionNet), "/bi/oparl/1.0/….asp" (ALLRIS), "/public/oparl/…" (ALLRIS 4)
_OPARL_PATH = re.compile(r"/oparl(?:/|$)", re.I)


def detect(page: Page) -> str | None:
    """Return why the page is OParl (the schema URL of its type, or the list shape), or None."""
    head = page.text[:65536].lstrip()
    if not head.startswith(("{", "[")):
        return None
    m = SCHEMA_TYPE.search(head)
    if m:
        return f"JSON with type https://schema.oparl.org/{m.group(1)}/{m.group(2)}"
    if _LIST_SHAPE.search(head) and _LIST_KEYS.search(head):
        return "JSON list page with data, pagination and links"
    # Answers that carry no type: Sternberg's "[]" for an empty list and its tombstones
    # without "type" (meine-stadt-transparent works around both); the address is an OParl server's.
    path = urlsplit(page.url).path
    if _OPARL_PATH.search(path):
        return f"JSON at an OParl server address ({path})"
    return None


def page_kind(page: Page) -> str | None:
    """Return the page kind: ``system``, ``body``, ``body_list``, ``<list>_list`` or the object's type."""
    known = known_kind(page)
    if known is not None:
        return known.kind
    try:
        data, _ = load_json(page.text)
    except ParseError:
        return None
    return document_kind(data, page.url, {})


def parse(page: Page, source: str, context: dict | None = None) -> Parsed:
    """Return the items and links of an OParl page (System, Body, list page or object).

    ``context`` is what the link to the page carried (list name, page number,
    vendor, recent pages); without it the page is read on its own.
    """
    data, note = load_json(page.text)
    if note:
        logger.warning("repaired invalid JSON at %s: %s", page.url, note)
    return parse_decoded(page, data, source, context or {})


def start_urls(base_url: str, months: Iterable[tuple[int, int]] = ()) -> list[Link]:
    """Return the entry point: the URL given (a System, a Body list, a Body or a list).

    OParl needs no month window: lists are complete, and incremental runs ask
    for changes (``modified_since``) instead.
    """
    return [Link(base_url, "entry", meta={"vendor": vendor_of(url=base_url)})]


def generation(page: Page) -> str:
    """Return the OParl version and server product of a page, e.g. 'OParl 1.1 (Somacos SessionNet)'."""
    return generation_of(page.text, page.url)


def crawl_session(settings: Any, staging: Any) -> OParlSync:
    """Return the session the generic spider keeps for an OParl crawl (its optional dialect hook)."""
    return OParlSync.from_settings(settings, staging)


# The dialect contract (spiders.dialects.base.Dialect):
# an OParl page is its own entry; the parts this system has no use for get the defaults.
FIRST_PAGE = False
start_urls = ignoring_first_page(start_urls)
is_refused = never_refused  # an OParl error answer is an HTTP error or JSON without a type: parse reports it
oparl_system_url = no_oparl_link

__all__ = [
    "NAME",
    "OParlSync",
    "as_list",
    "body_summary",
    "clean_text",
    "crawl_session",
    "detect",
    "document_kind",
    "generation",
    "load_json",
    "mime_type",
    "modified_since_value",
    "next_page",
    "normalise_ags",
    "page_id_digests",
    "page_kind",
    "parse",
    "parse_datetime",
    "parse_day",
    "parse_document",
    "point_lon_lat",
    "start_urls",
    "system_summary",
    "type_from_url",
    "type_name",
    "vendor_of",
    "with_modified_since",
]
