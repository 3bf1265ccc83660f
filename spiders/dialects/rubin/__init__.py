"""more! rubin (gremien.info, more-rubin1.de, KISA): the interface ``api.php`` and its JSON.

A crawl asks the calendar for the month window, then each public meeting's
detail (the whole meeting as JSON: agenda items, papers with their
Beratungsfolge, documents), then the documents. The meeting page
(``meeting?id=<nummer>``) holds the same JSON in a ``<script>`` and is the
fallback. Ids are rubin's own: the meeting number ``nummer``, the agenda item's
``id``, the paper's ``submission.id``, the committee code, the document's
``compositeId``.

Modules: ``detection``, ``common`` (fields and documents), ``calendars``
(start and calendar), ``meetings`` (the meeting answer or page).
"""

from __future__ import annotations

from spiders.dialects.base import Page, Parsed, ParseError
from spiders.dialects.base import ignoring_first_page, no_oparl_link, page_sessions
from spiders.dialects.rubin.calendars import parse_calendar, portal_root, start_urls
from spiders.dialects.rubin.detection import NAME, detect, generation, is_refused, page_kind
from spiders.dialects.rubin.meetings import meeting_json, parse_meeting

PARSERS = {"calendar": parse_calendar, "meeting": parse_meeting}


def parse(page: Page, source: str) -> Parsed:
    """Return the items and follow-up links of one more! rubin answer or page."""
    if is_refused(page):
        raise ParseError(f"more! rubin answered with an error object: {page.url}")
    kind = page_kind(page)
    parser = PARSERS.get(kind or "")
    if parser is None:
        raise ParseError(f"no more! rubin parser for page kind {kind!r}: {page.url}")
    return parser(page, source)


# The dialect contract (spiders.dialects.base.Dialect):
# the parts this system has no use for get the defaults.
FIRST_PAGE = False
start_urls = ignoring_first_page(start_urls)
oparl_system_url = no_oparl_link
crawl_session = page_sessions(parse)

__all__ = ["NAME", "PARSERS", "detect", "generation", "is_refused", "meeting_json", "page_kind", "parse",
           "portal_root", "start_urls"]
