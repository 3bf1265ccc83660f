"""SessionNet (Somacos) 4.9–5.5, Layouts 4, 5 and 6, ``.asp`` and ``.php``.

One dialect for all layouts: the page programs (``si0040``, ``si0057``,
``to0040``, ``vo0050``, ``ag0050`` …) and the field classes (``siname``, ``vobetr``,
``tofnum``, ``smc_tophn`` …) are SessionNet's own and survive layout changes,
so the parsers key on those and branch only where the markup differs:

* Layout 6 (5.4–5.5): ``div.smc-table-cell.<field>`` pairs, agenda rows
  ``td.tofnum span.badge`` ("Ö 1"), documents ``div.smc-d-el``.
* Layout 5 (4.9, Schiffweiler): the same cell classes on ``td.smc-table-cell_r``.
* Layout 4 (5.3, Halle): table layout; agenda rows ``tr.smc_toph`` with
  ``td.smc_tophn`` / ``td.smc_topht``, result rows ``tr.smc_tophz`` ("Beschluss:",
  "Abstimmung:"), section rows ``tr.smcrowh``, documents ``table.smcdocbox``.
* Card layout (``si0056``, 5.5): one ``div.card`` per agenda item.

Identifiers: ``__kvonr`` (Paper: Vorlage, ``vo0050``), ``__kagnr`` (Paper: Antrag,
``ag0050``; Anträge are numbered apart from Vorlagen, so their Paper id is
"ag-<kagnr>"), ``__ksinr`` (Meeting), ``__ktonr`` (AgendaItem; also printed as
``tr#smc_contol_to_1_<ktonr>`` and ``to0058?smctonr=``), ``__kgrnr``
(Organization), ``__kpenr`` (Person), ``getfile?id=`` (File).
Where a page shows no id, one is derived from the parent and the printed
number or name (see the functions that build them).

The ``.asp`` and ``.php`` installs print the same markup; links are built
with the extension of the page they were found on.

Meeting names: the calendar (``si0040``) and the meeting pages print
different names for a meeting, and the loader's merge lets the page loaded
last win. So each name has one page kind that fills it: ``name`` is the
calendar's link text ("öffentliche Sitzung des Rates …"), ``shortName`` the
meeting pages' ``siname`` ("Rat/005/2026"); other pages fill neither.

This module is the dialect's contract (see ``spiders/dialects/base.py``); the
work is done by one module per job:

* ``detection``     is it SessionNet, which program, refused, which generation;
* ``context``       the page being parsed, its ids and addresses;
* ``layout``        field values across Layouts 4–6;
* ``documents``     ``getfile`` documents and inline Word texts;
* ``links``         links to meetings, papers and tabs;
* ``papers``        ``vo0050`` (Vorlage) and ``ag0050`` (Antrag);
* ``consultations`` ``vo0053`` / ``ag0053`` (Beratungen);
* ``meetings``      ``si0057`` / ``si0056`` / ``si0050`` / ``to0040``;
* ``agenda``        agenda rows and ``to0050`` (one agenda item);
* ``calendars``     start URLs and ``si0040`` (month calendar);
* ``rosters``       ``gr0040`` (committees) and ``kp0040`` (members).
"""

from __future__ import annotations

from collections.abc import Callable

from spiders.dialects.base import Page, Parsed, ParseError
from spiders.dialects.base import linked_oparl_system, page_sessions
from spiders.dialects.html import parse_html
from spiders.dialects.sessionnet.agenda import parse_to0050
from spiders.dialects.sessionnet.calendars import parse_si0040, start_urls
from spiders.dialects.sessionnet.consultations import parse_vo0053
from spiders.dialects.sessionnet.context import NAME, PageContext
from spiders.dialects.sessionnet.detection import detect, generation, is_refused, page_kind
from spiders.dialects.sessionnet.meetings import parse_meeting
from spiders.dialects.sessionnet.papers import parse_ag0050, parse_vo0050
from spiders.dialects.sessionnet.rosters import parse_gr0040, parse_kp0040

# The parser of each page kind; the Beratungen of an Antrag look like a Vorlage's.
PARSERS: dict[str, Callable[[PageContext], Parsed]] = {
    "vo0050": parse_vo0050,
    "vo0053": parse_vo0053,
    "ag0050": parse_ag0050,
    "ag0053": parse_vo0053,
    "si0040": parse_si0040,
    "si0057": parse_meeting,
    "si0056": parse_meeting,
    "si0050": parse_meeting,
    "to0040": parse_meeting,
    "to0050": parse_to0050,
    "gr0040": parse_gr0040,
    "kp0040": parse_kp0040,
}


def parse(page: Page, source: str) -> Parsed:
    """Return the items and follow-up links of one SessionNet page."""
    if is_refused(page):
        raise ParseError(f"SessionNet refused the page (error or login page; session cookie missing?): {page.url}")
    kind = page_kind(page)
    parser = PARSERS.get(kind or "")
    if parser is None:
        raise ParseError(f"no SessionNet parser for page kind {kind!r}: {page.url}")
    return parser(PageContext(page, source, parse_html(page.text)))


# The dialect contract (spiders.dialects.base.Dialect):
# SessionNet links its OParl server where the install has one; the parts this system has no use for get the defaults.
FIRST_PAGE = True  # start_urls learns .asp or .php from the base URL's page
oparl_system_url = linked_oparl_system
crawl_session = page_sessions(parse)

__all__ = ["NAME", "PARSERS", "detect", "generation", "is_refused", "page_kind", "parse", "start_urls"]
