"""ALLRIS net 4.x (``/public/``, Apache Wicket): papers, meetings, agendas, calendar.

Pages and what they give:

* ``vo020?VOLFDNR=``  Paper + its Beratungsfolge (Consultations) + stable documents.
* ``to010?SILFDNR=``  Meeting + AgendaItems (``table#toTreeTable``) + documents.
* ``to020?TOLFDNR=``  AgendaItem detail (result, resolution text); no page of this
  kind is in the corpus, so that parser reads labels, section titles and the
  field ids other installs' pages are known to carry (``#toname`` for the TOP
  number, ``#toBeschlussart``, ``div#vobetreff > a`` the paper's subject, not its
  reference).
* ``si010?MM=&YY=``   the month calendar. The page itself is a shell: Wicket loads
  the table by an Ajax request (``si010?0-1.0-&MM=&YY=``) that needs the session
  cookie of the shell page. The shell names that request; we follow it as kind
  ``si010_ajax`` with the Wicket headers in ``Link.meta["headers"]``.

Everything is keyed by element ids (``#vobetreff``, ``#vofamt``, ``#sidatum`` …)
and classes (``table.bfTable``, ``td.tonr``), which ALLRIS keeps across installs,
while labels (``Federführend:`` / ``Federführung:``) and columns vary.

Identifiers: VOLFDNR (Paper), SILFDNR (Meeting), TOLFDNR (AgendaItem), GRLFDNR as
``gr-<n>`` (Organization), ``doc<NNN>`` (File). Only documents under
``wicket/resource/org.apache.wicket.Application/docNNN.<ext>`` are recorded:
Wicket listener links (``vo020?0--attachments-…-link``) belong to one page
instance and expire with it, so they are neither identifiers nor URLs to store.

This package is the dialect's contract (``NAME``, ``detect``, ``page_kind``, ``parse``,
``start_urls``, ``is_refused``, ``generation``); the work is done in ``detection``,
``calendars``, ``papers``, ``meetings``, ``documents`` and ``fields``.
"""

from __future__ import annotations

from spiders.dialects.allris4.calendars import parse_calendar, start_urls
from spiders.dialects.allris4.fields import NAME
from spiders.dialects.allris4.detection import detect, generation, is_refused, page_kind, refused_page
from spiders.dialects.allris4.meetings import parse_to010, parse_to020
from spiders.dialects.allris4.papers import offices_list, parse_vo020
from spiders.dialects.allris_classic.text import has_private_use, resolve_symbol_fonts
from spiders.dialects.base import Page, Parsed, ParseError
from spiders.dialects.base import ignoring_first_page, no_oparl_link, page_sessions
from spiders.dialects.html import parse_html


def parse(page: Page, source: str) -> Parsed:
    """Return the items and follow-up links of one ALLRIS 4 page."""
    kind = page_kind(page)
    if kind in ("si010_ajax", "si010"):
        return parse_calendar(page, source)
    soup = parse_html(page.text)
    if has_private_use(page.text):
        resolve_symbol_fonts(soup)  # Word's Wingdings/Symbol glyphs in the text blocks, as the classic pages write them
    if refused_page(page, soup):
        raise ParseError(f"ALLRIS 4 refused the page (access denied or expired): {page.url}")
    if kind == "vo020":
        return parse_vo020(page, source, soup)
    if kind == "to010":
        return parse_to010(page, source, soup)
    if kind == "to020":
        return parse_to020(page, source, soup)
    raise ParseError(f"no ALLRIS 4 parser for page kind {kind!r}: {page.url}")


# The dialect contract (spiders.dialects.base.Dialect):
# the parts this system has no use for get the defaults.
FIRST_PAGE = False
start_urls = ignoring_first_page(start_urls)
oparl_system_url = no_oparl_link
crawl_session = page_sessions(parse)

__all__ = ["NAME", "detect", "generation", "is_refused", "offices_list", "page_kind", "parse", "start_urls"]
