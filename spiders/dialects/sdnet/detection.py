"""Whether a page is Sternberg SD.NET RIM, which page it is, and which generation printed it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from spiders.dialects.base import Page

NAME = "sdnet"

_GENERATOR = re.compile(r"<meta\b[^>]*\bname=[\"']generator[\"'][^>]*\bcontent=[\"']([^\"']*SD\.NET RIM[^\"']*)[\"']", re.I)
_TITLE = re.compile(r"<title>([^<]*SD\.NET RIM[^<]*)</title>", re.I)
_ICS = re.compile(r"\ABEGIN:VCALENDAR\b.*?^PRODID:([^\r\n]*SD\.NET RIM[^\r\n]*)", re.S | re.M)
# The page programs are path segments with an opaque ``?__=`` token: /tops/?__=…, /vorgang/?__=…
_PROGRAM = re.compile(r"/(tops|vorgang|gremien|personen|termine|sitzungen|vorlagen|recherche)(?:/|$)", re.I)
_CONTENT_CLASS = re.compile(r"<div\b[^>]*\bid=[\"']div-content[\"'][^>]*\bclass=[\"']([\w-]+)", re.I)
_MARKUP = re.compile(r"\bid=[\"']rimcontent[\"']|\bsdnetrim-menu|/sdnetrim/[\w-]{20,}/")
_ASSET_VERSION = re.compile(r"/library/media/[\w/.-]+\?(\d+\.\d+(?:\.\d+)?)")


def detect(page: Page) -> str | None:
    """Return why the page is SD.NET RIM, or None.

    The generator meta tag, the ``SD.NET RIM`` page title and the iCalendar
    export's PRODID are the evidence; otherwise the URL shape (``/tops/?__=``)
    counts only together with SD.NET's own markup (``div#rimcontent``, the
    ``sdnetrim-menu`` classes, ``/sdnetrim/<token>/`` documents), because a
    town's CMS may embed the pages without the generator tag.
    """
    head = page.text[:20000]
    m = _GENERATOR.search(head)
    if m:
        return f"meta generator {m.group(1)!r}"
    m = _TITLE.search(head)
    if m:
        return f"title {m.group(1).strip()!r}"
    m = _ICS.search(page.text[:4000])
    if m:
        return f"iCalendar PRODID {m.group(1).strip()!r}"
    path = urlsplit(page.url).path
    program = _PROGRAM.search(path)
    markup = _MARKUP.search(page.text)
    if program and markup and "__=" in page.url:
        return f"URL shape {path}?__=… with SD.NET markup {markup.group(0)!r}"
    if markup and _CONTENT_CLASS.search(page.text) and "/sdnetrim/" in page.text:
        return f"SD.NET markup {markup.group(0)!r} and div#div-content"
    return None


def page_kind(page: Page) -> str | None:
    """Return the page kind: ``termine_ics`` (calendar export), ``tops`` (meeting), ``vorgang`` (paper) or another program."""
    if page.text.lstrip().startswith("BEGIN:VCALENDAR"):
        return "termine_ics"
    m = _CONTENT_CLASS.search(page.text)
    if m:
        return m.group(1).lower()
    m = _PROGRAM.search(urlsplit(page.url).path)
    return m.group(1).lower() if m else None


def is_refused(page: Page) -> bool:
    """Return True for the answers that are no content: the firewall's browser check and the login page.

    Many installs on ratsinfomanagement.net sit behind a web application
    firewall that answers with a "Verifying your browser" page instead.
    """
    head = page.text[:20000]
    if re.search(r"Verifying your browser|Browserprüfung|challenge-platform", head, re.I):
        return True
    return page_kind(page) in {"login", "anmeldung"}


def generation(page: Page) -> str:
    """Return e.g. 'SD.NET RIM 4 (library 26.2.1)': the product, its major version where the title names it, the asset version."""
    head = page.text[:30000]
    parts = ["SD.NET RIM"]
    title = _TITLE.search(head)
    major = re.search(r"SD\.NET RIM (\d+)", title.group(1)) if title else None
    if major:
        parts.append(major.group(1))
    version = _ASSET_VERSION.search(head)
    if version:
        parts.append(f"(library {version.group(1)})")
    if page.text.lstrip().startswith("BEGIN:VCALENDAR"):
        parts.append("iCalendar export")
    return " ".join(parts)
