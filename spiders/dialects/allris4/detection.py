"""Whether a page is ALLRIS 4, which page kind, which version, and whether it is a refusal."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from spiders.dialects.allris4.calendars import is_ajax_response
from spiders.dialects.base import Page
from spiders.dialects.html import Element, find, parse_html, select_one


_VERSION_META = re.compile(r"<meta\b[^>]*\bcontent=\"(ALLRIS net Version 4[^\"]*)\"[^>]*>", re.I)


_PUBLIC_PAGE = re.compile(r"/public/(vo020|to010|to020|si010|gr020|gr010|kp020|si018|vo040)(?:[?#]|$)")


_REFUSED = re.compile(
    r"Zugriff verweigert|Keine Berechtigung|nicht berechtigt|Access Denied|Seite ist abgelaufen|Page Expired",
    re.I,
)


def detect(page: Page) -> str | None:
    """Return why the page is ALLRIS net 4.x, or None."""
    m = _VERSION_META.search(page.text)
    if m:
        return f"meta description {m.group(1)!r}"
    if is_ajax_response(page) and "calenderView" in page.text:
        return "Wicket Ajax response with an ALLRIS calendar (table.calenderView)"
    path = urlsplit(page.url).path
    if _PUBLIC_PAGE.search(path + "?") and ('id="allris"' in page.text or "wicket" in page.text):
        return f"URL shape {path} with the Wicket page frame div#allris"
    return None


def page_kind(page: Page) -> str | None:
    """Return the ALLRIS program of the page (``vo020``, ``to010``, ``si010_ajax`` …)."""
    if is_ajax_response(page):
        return "si010_ajax" if "calenderView" in page.text else "ajax"
    program = urlsplit(page.url).path.rstrip("/").rsplit("/", 1)[-1]
    if re.fullmatch(r"[a-z]{2}\d{3}", program):
        return program
    # Pages saved or redirected without their program name: recognise by ids.
    for marker, kind in (('id="vobetreff"', "vo020"), ('id="toTreeTable"', "to010"), ("calenderView", "si010")):
        if marker in page.text:
            return kind
    return None


def is_refused(page: Page) -> bool:
    """Return True for ALLRIS' access-denied and expired-page answers."""
    if is_ajax_response(page):
        return False
    return refused_page(page, parse_html(page.text))


# The text a reader sees in the body (not scripts, styles or comments).
_BODY_TEXT = etree.XPath("//body//text()[not(ancestor::script) and not(ancestor::style)]")


def refused_page(page: Page, soup: Element) -> bool:
    # A page with its object heading is a real page, whatever its text says.
    if select_one(soup, "h1.title") is not None:
        return False
    path = urlsplit(page.url).path.lower()
    if re.search(r"accessdenied|pageexpired|/login", path):
        return True
    body = " ".join(_BODY_TEXT(soup)) if find(soup, "body") is not None else page.text
    return bool(_REFUSED.search(body))


def generation(page: Page) -> str:
    """Return the ALLRIS 4 version the page names, e.g. 'ALLRIS net 4.1.7 (4170041)'."""
    m = re.search(r"ALLRIS net Version (4[\d.]*(?: \(\d+\))?)", page.text)
    return f"ALLRIS net {m.group(1)}" if m else "ALLRIS net 4"
