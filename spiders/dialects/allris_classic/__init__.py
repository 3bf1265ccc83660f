"""ALLRIS net classic (3.x, ``/bi/*.asp``): detection, page kinds, parsers, crawl start.

One package for every classic variant: the framed 3.9.x pages (``div#allriscontainer``,
``table.risdeco``), pages embedded in a city CMS without the frame
(``div.allriscontent``, ``#risname_raw``) and the responsive ``*_r.asp``
programs (``div#allris``, label links ``a[aria-describedby]``, ``table.bfTable``).
Everything is keyed by what the system writes into the page, never by
position: label text (``td.kb1`` "Federführend:"), cell classes (``td.text4``
= TOP number), element ids (``#vobetreff``) and the ``…LFDNR`` ids in links
and hidden form fields (primer §3.1, §3.5).

Page kinds and what ``parse`` makes of them:

* ``vo020``   one Paper, its Consultations (Beratungsfolge, two rows per
  station, row B missing while unscheduled) and Files (``do027`` documents,
  Anlagen); the papers of "Bezüglich:" and of the "Stammbaum:" table as
  ``relatedPaper``; follows its files.
* ``to010``   one Meeting and its AgendaItems (+ Files of the meeting and of
  single TOPs; a sub-item's ``parent`` from its number, "Ö 4.1" under "Ö 4");
  follows ``to020`` and ``vo020`` and the files.
* ``to020``   one AgendaItem with result, Beschluss, Wortprotokoll and
  Abstimmungsergebnis, and what the page shows of its meeting (Gremium,
  Datum, Zeit, Raum, Ort) as a Meeting, which the load merges with the
  meeting's own page.
* ``au020`` / ``fr020``  the committee / faction, its Persons and Memberships.
* ``calendar`` (``si010``, ``si010_e``, ``si010_j``, ``si010_r``)  follows the
  meetings whose agenda is published; a meeting the calendar lists without an
  agenda link (not yet published, cancelled "ENTFÄLLT!", faction-internal)
  becomes a Meeting item from the calendar row, since no other page shows it;
  a row with time and name but no SILFDNR at all gets an id made of date,
  start and name.
* ``fr010`` / ``au010`` / ``vo040``  listings: follow ``fr020`` / ``au020`` /
  ``vo020`` (the link meta carries what the listing says about the target).

Text sections (``<a name="allrisSV">`` + an embedded Aspose ``<html>``
document each) are cut out of the raw page text *before* HTML parsing, since
an HTML parser merges the nested ``<html>`` trees.

This module is the dialect's contract (``NAME``, ``detect``, ``page_kind``,
``parse``, ``start_urls``, ``is_refused``, ``generation``); the work is done in

* ``detection``  detect, page_kind, generation, is_refused;
* ``text``       the shell / text-section split, element text;
* ``doc``        the parsed page (``Doc``), its ids, labels and links;
* ``documents``  do027 documents, Anlagen, File items;
* ``papers``     vo020 and its Beratungsfolge;
* ``meetings``   to010 and to020;
* ``rosters``    au020 / fr020;
* ``calendars``  the crawl start and the si010 calendars;
* ``listings``   fr010 / au010 / vo040.
"""

from __future__ import annotations

from typing import Callable

from spiders.dialects.allris_classic.calendars import (
    CALENDAR_PROGRAMS,
    calendar_url,
    parse_calendar,
    public_base,
    start_urls,
)
from spiders.dialects.allris_classic.detection import detect, generation, is_refused, page_kind
from spiders.dialects.allris_classic.doc import Doc
from spiders.dialects.allris_classic.listings import listing_parser, organization_list_meta, paper_list_meta
from spiders.dialects.allris_classic.meetings import parse_agenda_item, parse_meeting
from spiders.dialects.allris_classic.papers import parse_paper
from spiders.dialects.allris_classic.rosters import parse_roster, split_person_name
from spiders.dialects.allris_classic.text import node_text, parse_html, split_sections
from spiders.dialects.base import Page, Parsed, ParseError
from spiders.dialects.base import ignoring_first_page, no_oparl_link, page_sessions
from spiders.dialects.html import find_all, remove

NAME = "allris_classic"

# The tests parse HTML fragments under the name the single-file module gave it.
_soup = parse_html


def parse(page: Page, source: str) -> Parsed:
    """Return the items and links of an ALLRIS classic page; raise ParseError if it has none."""
    kind = page_kind(page)
    if kind is None:
        raise ParseError(f"{page.url}: not a page of ALLRIS classic (no container class, program URL or headline)")
    parser = _PARSERS.get(kind)
    if parser is None:
        return Parsed()  # a known program this dialect does not read (kp020, si018 …)
    shell, sections = split_sections(page.text)
    soup = parse_html(shell)
    for tag in find_all(soup, ("script", "style", "noscript")):
        remove(tag)
    return parser(Doc(page=page, source=source, system=NAME, soup=soup, sections=sections))


_PARSERS: dict[str, Callable[[Doc], Parsed]] = {
    "vo020": parse_paper,
    "to010": parse_meeting,
    "to020": parse_agenda_item,
    "au020": lambda doc: parse_roster(doc, "au", "AULFDNR", "Gremium"),
    "fr020": lambda doc: parse_roster(doc, "fr", "FRLFDNR", "Fraktion"),
    "calendar": parse_calendar,
    "fr010": listing_parser("fr020", "fr020", "FRLFDNR", organization_list_meta),
    "au010": listing_parser("au020", "au020", "AULFDNR", organization_list_meta),
    "vo040": listing_parser("vo020", "vo020", "VOLFDNR", paper_list_meta),
}


# The dialect contract (spiders.dialects.base.Dialect):
# the parts this system has no use for get the defaults.
FIRST_PAGE = False
start_urls = ignoring_first_page(start_urls)
oparl_system_url = no_oparl_link
crawl_session = page_sessions(parse)

__all__ = [
    "NAME",
    "CALENDAR_PROGRAMS",
    "detect",
    "generation",
    "page_kind",
    "parse",
    "is_refused",
    "start_urls",
    "public_base",
    "calendar_url",
    "node_text",
    "split_person_name",
]
