"""regisafe RIS-Portal (comundus; Liferay portlet ``RisSitzung`` on ``<town>.ris-portal.de``).

Everything public is answered without login (as Ratsblick's notes on
Kirchheimbolanden record, 02.10.2026):

* the month calendar as JSON, a Liferay resource of the portlet:
  ``sitzungen?p_p_id=RisSitzung&p_p_lifecycle=2&p_p_state=normal&p_p_mode=view&p_p_cacheability=cacheLevelPage
  &_RisSitzung_resource=loadSessions&_RisSitzung_year=YYYY&_RisSitzung_month=M&_RisSitzung_day=1
  &_RisSitzung_filterGremiumIds=&_RisSitzung_filterTypeOfRisCalendarItems=&_RisSitzung_viewMode=month``
  with the month counted from 0; an array of calendar events (``sitzungId``,
  ``sessionLink``, ``start`` "2026-09-29T19:30", ``location``, ``label``
  "06-GR 29.09.2026", and ``text``, an HTML snippet naming the committee in
  ``div.rp-gremium-badge``);
* the meeting ``web/<site>/sitzungen?sitzungId=N``: heading
  ``div.rp-session-head h2``, agenda ``div.rp-top-list-wrapper`` (one per part,
  headed "Öffentlicher Teil" / "Nichtöffentlicher Teil") with ``li.rp-lis-item``
  (``data-top-number``, ``data-sort``, ``data-level``, anchor ``#top_id_<id>``),
  documents as ``button.document-button[data-href][data-docid][data-type]``
  (``…_RisSitzung_resource=singleDocument&_RisSitzung_schriftgutId=N``).

Papers have no page of their own: an item's document "Sitzungsvorlage
(2026/0013)" names the paper, whose number is its id here; the item is then a
consultation of that paper in the meeting.

Note for operators: Ratsmonitor's catalogue records that RIS-Portal installs
disallow programs in their robots.txt; ratsinfo obeys robots.txt, so a real
install is crawled only with the operator's permission (or through OParl where
offered). The dialect is complete for when that is given.

Fields a meeting gets from both answers are split: the calendar fills the
committee, day, time and place, the meeting page the name.
"""

from __future__ import annotations

from spiders.dialects.base import Page, Parsed, ParseError
from spiders.dialects.base import ignoring_first_page, no_oparl_link, page_sessions
from spiders.dialects.regisafe.calendars import parse_calendar, portal_root, start_urls
from spiders.dialects.regisafe.detection import NAME, detect, generation, is_refused, page_kind
from spiders.dialects.regisafe.meetings import parse_sitzung

PARSERS = {"calendar": parse_calendar, "sitzung": parse_sitzung}


def parse(page: Page, source: str) -> Parsed:
    """Return the items and follow-up links of one RIS-Portal answer."""
    if is_refused(page):
        raise ParseError(f"RIS-Portal refused the page (login or error page): {page.url}")
    kind = page_kind(page)
    parser = PARSERS.get(kind or "")
    if parser is None:
        raise ParseError(f"no RIS-Portal parser for page kind {kind!r}: {page.url}")
    return parser(page, source)


# The dialect contract (spiders.dialects.base.Dialect):
# the parts this system has no use for get the defaults.
FIRST_PAGE = False
start_urls = ignoring_first_page(start_urls)
oparl_system_url = no_oparl_link
crawl_session = page_sessions(parse)

__all__ = ["NAME", "PARSERS", "detect", "generation", "is_refused", "page_kind", "parse", "portal_root", "start_urls"]
