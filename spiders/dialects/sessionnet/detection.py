"""Whether a page is SessionNet, which program it is, whether it is a refusal, and which generation printed it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from spiders.dialects.base import Page

_META_VERSION = re.compile(r"<meta\b[^>]*\bname=[\"']sessionnet[\"'][^>]*\bcontent=[\"']([^\"']+)[\"']", re.I)
_META_AUTHOR = re.compile(r"<meta\b[^>]*\bcontent=[\"']([^\"']*SessionNet Version [^\"']*)[\"']", re.I)
PROGRAM_URL = re.compile(r"/([a-z]{2}\d{4}|info|error\d*|getfile)\.(asp|php)$", re.I)
_PAGE_CLASS = re.compile(r"\bsmc_page_([a-z]+\d*)_layout")


def detect(page: Page) -> str | None:
    """Return why the page is SessionNet, or None.

    The version meta tags are the evidence; a SessionNet program URL counts
    only together with SessionNet's page class, because content management
    systems echo any requested address (``…/si0040.asp``) in their own pages.
    """
    head = page.text[:20000]
    version = _META_VERSION.search(head)
    author = _META_AUTHOR.search(head)
    if version or author:
        parts = []
        if version:
            parts.append(f"meta sessionnet {version.group(1)!r}")
        if author:
            parts.append(f"{author.group(1).split(',')[-1].strip()!r}")
        return "; ".join(parts)
    path = urlsplit(page.url).path
    if PROGRAM_URL.search(path) and _PAGE_CLASS.search(page.text):
        return f"URL shape {path} with SessionNet page class smc_page_…_layout"
    return None


def page_kind(page: Page) -> str | None:
    """Return the SessionNet program of the page (``vo0050``, ``si0057``, ``error`` …)."""
    m = _PAGE_CLASS.search(page.text)
    if m:
        kind = m.group(1)
        return "logon" if kind == "ylogon" else kind
    m = PROGRAM_URL.search(urlsplit(page.url).path)
    if m:
        name = m.group(1).lower()
        return "error" if name.startswith("error") else name
    if "SessionNet Fehlermeldung" in page.text:
        return "error"
    return None


def is_refused(page: Page) -> bool:
    """Return True for SessionNet's error, login and access-denied answers.

    SessionNet answers ``si0057`` without the anonymous session cookie of the
    calendar with its error page (HTTP 200 or a redirect to ``error2.php``),
    titled "SessionNet Fehlermeldung"; members' pages answer with the login
    page (``smc-pagetype-logon``); some installs print "Keine Berechtigung".
    """
    text = page.text
    if re.search(r"/error\d*\.(asp|php)$", urlsplit(page.url).path, re.I):
        return True
    # Each test looks for a literal first: a pattern that opens with ``\b`` or an
    # alternation is tried at every position of the page (a millisecond a page).
    if _ERROR_TITLE.search(text) or (_ERROR_CLASS_HINT.search(text) and _ERROR_CLASS.search(text)):
        return True
    if "smc-pagetype-logon" in text or ("smc_page_ylogon_" in text and _LOGON_CLASS.search(text)):
        return True
    if re.match(r"\s*<\?(?!xml)", text):  # unprocessed program code instead of a page
        return True
    # A real content page may well contain the words (in a paper's text), so
    # the denial text counts only on pages that are no SessionNet content page.
    if re.search(r"\bsmc_page_[a-z]{2}\d{4}_layout", text):
        return False
    return bool(re.search(r"Keine Berechtigung|Sie haben keine Berechtigung", _visible_text(text)))


_ERROR_TITLE = re.compile(r"<title>[^<]*SessionNet Fehlermeldung", re.I)
_ERROR_CLASS = re.compile(r"\bsmc_page_error_", re.I)
_ERROR_CLASS_HINT = re.compile(r"_page_error_", re.I)  # opens with a character without case: searched fast
_LOGON_CLASS = re.compile(r"\bsmc_page_ylogon_")


def _visible_text(html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return re.sub(r"<[^>]+>", " ", body)


def generation(page: Page) -> str:
    """Return the SessionNet version, layout and program extension the page shows, e.g. 'SessionNet 5.5.4 (Layout 6), .asp'."""
    head = page.text[:20000]
    parts = ["SessionNet"]
    author = _META_AUTHOR.search(head)
    code = _META_VERSION.search(head)
    version = layout = None
    if author:
        m = re.search(r"SessionNet Version (\d+(?:\.\d+)+).*?\(Layout (\d+)\)", author.group(1))
        if m:
            version, layout = m.group(1), m.group(2)
    if version is None and code:
        m = re.match(r"V:(\d{2})(\d{2})(\d{2})", code.group(1))
        if m:
            version = ".".join(str(int(x)) for x in m.groups())
    if version:
        parts.append(version)
    if layout:
        parts.append(f"(Layout {layout})")
    program = PROGRAM_URL.search(urlsplit(page.url).path)
    ext = program.group(2).lower() if program else None
    if ext is None:
        asp, php = len(re.findall(r"\b[a-z]{2}\d{4}\.asp\b", page.text)), len(re.findall(r"\b[a-z]{2}\d{4}\.php\b", page.text))
        ext = "php" if php > asp else "asp" if asp else None
    return " ".join(parts) + (f", .{ext}" if ext else "")
