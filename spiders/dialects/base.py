"""What every dialect module works with: a fetched page in, items and links out.

A dialect module (``allris_classic``, ``allris4``, ``sessionnet``, ``oparl``)
holds all knowledge of how one system generation builds its pages. It exposes

* ``NAME``                          the dialect's name, as stored in ``Item.system``;
* ``detect(page) -> str | None``    evidence that the page is of this dialect, or None;
* ``page_kind(page) -> str | None`` which page type it is (``vo020``, ``to010`` …);
* ``parse(page, source) -> Parsed`` the items on the page and the links to follow;
* ``start_urls(base_url, months) -> list[Link]`` where a crawl begins, for the
  calendar months ``[(year, month), …]``; a Link may carry ``meta["fallbacks"]``,
  alternative URLs the spider tries when the first is refused or missing;
* ``is_refused(page) -> bool`` (optional) tells an access-denied or error page;
* the rest of the ``Dialect`` protocol at the end of this module (``FIRST_PAGE``,
  ``generation``, ``oparl_system_url``, ``crawl_session``), with defaults a
  package binds when it has no use for a part.

Parsers are pure: no network, no clock. The Scrapy spiders only fetch what
``Parsed.follow`` names and hand the answers back, so the crawl logic of a
dialect is tested by parsing pages, and end to end against a local server.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol, runtime_checkable
from urllib.parse import parse_qsl, urljoin, urlsplit

from schemas.items import Item

_XML_DECL = re.compile(rb"<\?xml[^>]*encoding=[\"']([\w.-]+)[\"']", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w.-]+)", re.I)


@dataclass(frozen=True)
class Page:
    """A fetched page: its URL, its decoded text and its raw bytes."""

    url: str
    text: str
    body: bytes = b""
    content_type: str | None = None

    @classmethod
    def from_bytes(cls, url: str, body: bytes, content_type: str | None = None) -> "Page":
        return cls(url=url, text=decode_page(body, content_type), body=body, content_type=content_type)


@dataclass(frozen=True)
class Link:
    """A URL the crawl should fetch next, and what the dialect expects there."""

    url: str
    kind: str  # page kind, e.g. "vo020", "calendar", "file"
    # Context handed to the parser of the linked page (e.g. the parent paper of a file).
    meta: dict = field(default_factory=dict, compare=False, hash=False)


def fallback_urls(meta: dict | None) -> list[str]:
    """Return the URLs a link's meta names to try in turn when its page is refused or fails (another calendar program)."""
    meta = meta or {}
    urls = list(meta.get("fallbacks") or [])
    if meta.get("fallback"):  # a single alternative (SessionNet si0057 -> to0040)
        urls.append(meta["fallback"])
    return urls


@dataclass
class Parsed:
    """What a parser found on one page."""

    items: list[Item] = field(default_factory=list)
    follow: list[Link] = field(default_factory=list)
    # Field names the page type is expected to fill, mapped to whether it did
    # (feeds the parse-rate watch).
    fields_seen: dict[str, bool] = field(default_factory=dict)
    # Hosts the install's own configuration names as its interface ("serviceUrl" of an app):
    # the crawl may fetch them like the base URL's host (still never an internal address).
    hosts: list[str] = field(default_factory=list)


def query_value(url: str, name: str, ignore_case: bool = False) -> str | None:
    """Return the first non-empty value of the query parameter ``name`` in ``url``, as ``urllib.parse`` reads it, or None.

    The parsers read ids from thousands of links a page; a plain ASCII URL
    (nothing to unescape, strip or check in the host) is split here directly,
    which gives what ``parse_qsl(urlsplit(url).query)`` gives at a fraction of
    the cost. Any other URL goes through ``urllib.parse``.
    """
    lowered = name.lower() if ignore_case else name
    if url.isascii() and not any(c in url for c in _NOT_PLAIN):
        if (lowered not in url.lower()) if ignore_case else (name not in url):
            return None
        pairs = (pair.partition("=")[::2] for pair in url.partition("#")[0].partition("?")[2].split("&"))
    else:
        pairs = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    for key, value in pairs:
        if value and (key.lower() == lowered if ignore_case else key == name):
            return value
    return None


# What urllib.parse unescapes ("%", "+"), removes (tab, line breaks) or checks (IPv6 brackets) in a URL.
_NOT_PLAIN = ("%", "+", "[", "]", "\t", "\r", "\n")


def join_url(base: str, href: str) -> str:
    """Return ``urljoin(base, href)``.

    The links of a page are mostly a program and its query beside the page
    (``to020.asp?TOLFDNR=1``); such a link on a plain http(s) page address
    is put in the page's folder here, which is what ``urljoin`` gives (no dot
    segments, parameters or empty segments to resolve). Everything else goes
    through ``urljoin``.
    """
    if _PLAIN_LINK.fullmatch(href) and href.partition("?")[0] not in (".", "..") and base.isascii():
        scheme_end = 8 if base.startswith("https://") else 7 if base.startswith("http://") else 0
        host_end = min((i for i in (base.find(c, scheme_end) for c in "/?#") if i >= 0), default=-1) if scheme_end else -1
        if host_end >= 0 and base[host_end] == "/":
            path = base[host_end:].partition("#")[0].partition("?")[0]
            folder = path[: path.rfind("/") + 1]
            if not any(c in base[:host_end] for c in _NOT_PLAIN_HOST) and ";" not in path and "//" not in folder \
                    and "/./" not in folder and "/../" not in folder and not any(c in base for c in "\t\r\n"):
                return base[:host_end] + folder + href
    return urljoin(base, href)


# A link that is one path segment and a query: no scheme, no folder, no fragment, nothing urllib strips.
_PLAIN_LINK = re.compile(r"[\w.-]+(?:\?[^#\s]+)?", re.ASCII)
_NOT_PLAIN_HOST = ("[", "]", "@", "\\")


class UnknownDialect(ValueError):
    """No dialect recognised the page."""


class ParseError(ValueError):
    """The page is of a known dialect but could not be parsed."""


def decode_page(body: bytes, content_type: str | None = None) -> str:
    """Return the page's text, trusting the bytes over the declared charset.

    ALLRIS classic declares ISO-8859-1; some installs are ISO-8859-15, and
    captured copies are often UTF-8 while still declaring ISO-8859-1. Servers
    also send ``charset=utf-8`` in the header for pages written in ISO-8859-1.
    Text that decodes as UTF-8 is UTF-8 (Latin-1 umlauts almost never form
    valid UTF-8 sequences); otherwise the first declared charset (header, then
    the page's own ``<meta>``/XML declaration) that is not UTF-8 and decodes the
    bytes is used, and cp1252 (the superset of ISO-8859-1 that also covers the
    € sign and typographic quotes; its five undefined bytes read as ISO-8859-1),
    which decodes any bytes: the text never gets U+FFFD from a wrong header.
    """
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for declared in declared_charsets(body, content_type):
        charset = _LATIN1_FAMILY.get(declared, declared)
        if charset in {"utf-8", "utf8"}:
            continue  # declared, but the bytes are not UTF-8
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", errors=_LATIN1_FALLBACK)


def _latin1_for_undefined(error: UnicodeDecodeError) -> tuple[str, int]:
    # The five bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) read as ISO-8859-1 does.
    return error.object[error.start:error.end].decode("iso-8859-1"), error.end


_LATIN1_FALLBACK = "ratsinfo-latin1-fallback"
codecs.register_error(_LATIN1_FALLBACK, _latin1_for_undefined)


_LATIN1_FAMILY = {name: "cp1252" for name in
                  ("iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252")}


def declared_charsets(body: bytes, content_type: str | None) -> list[str]:
    """Return the charsets the header and the page itself declare, header first, lower-case."""
    found = []
    if content_type and "charset=" in content_type.lower():
        found.append(content_type.lower().split("charset=", 1)[1].split(";")[0].strip().strip("\"'"))
    head = body[:4096]
    for pattern in (_XML_DECL, _META_CHARSET):
        m = pattern.search(head)
        if m:
            found.append(m.group(1).decode("ascii", "replace").lower())
    return [c for i, c in enumerate(found) if c and c not in found[:i]]


# --------------------------------------------------------------------------
# Answers that are not the page asked for
# --------------------------------------------------------------------------

_HTML_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<!DOCTYPE\s+html|\A\s*<html\b", re.I | re.S)
_HTML_END = re.compile(r"</html\s*>\s*(?:<!--.*?-->\s*)*\Z", re.I | re.S)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_HEADING = re.compile(r"<h[12][^>]*>(.*?)</h[12]>", re.I | re.S)
_PASSWORD_INPUT = re.compile(r"<input\b[^>]*\btype\s*=\s*[\"']?password", re.I)
_ERROR_WORDS = re.compile(
    r"\b(?:Anmeldung|Login|Log-in|Logon|Einloggen|Zugriff\s+verweigert|Zugang\s+verweigert|Access\s+denied|"
    r"Forbidden|Nicht\s+angemeldet|Wartungsarbeiten|Wartungsmodus|Wartung|Maintenance|"
    r"vor(?:ü|&uuml;|ue)bergehend\s+nicht\s+verf(?:ü|&uuml;|ue)gbar|Service\s+(?:Temporarily\s+)?Unavailable|"
    r"Internal\s+Server\s+Error|Fehler|Error)\b",
    re.I,
)


def truncation(page: Page) -> str | None:
    """Return why an HTML page looks cut short (no closing ``</html>``), or None.

    Every page of the HTML dialects ends with ``</html>`` (checked on the whole
    corpus and the demo site), so an HTML document that does not lost its end on
    the way. The end must be the page's own: ALLRIS embeds Word documents whose
    ``</body></html>`` stand in the middle of the page.
    """
    text = page.text
    if not _HTML_START.match(text[:2000]):
        return None
    if _HTML_END.search(text[-4096:]):
        return None
    return f"truncated HTML page: {len(page.body)} bytes, not ending with </html>"


def login_form(page: Page) -> str | None:
    """Return a reason when the page holds a password field: no public council page does (corpus-checked)."""
    if _PASSWORD_INPUT.search(page.text[:200_000]):
        return "a login form (password field) instead of the page"
    return None


def error_page_reason(page: Page) -> str | None:
    """Return what kind of stand-in page this is (login, access denied, maintenance, error), or None.

    Only the page's title and top headings count, and the spider asks only
    about pages whose parse found none of the expected fields: a paper's own
    title may well speak of "Wartungsarbeiten".
    """
    head = page.text[:200_000]
    reason = login_form(page)
    if reason:
        return reason
    for pattern, where in ((_TITLE, "title"), (_HEADING, "heading")):
        for match in pattern.finditer(head):
            label = re.sub(r"<[^>]+>|&nbsp;|\s+", " ", match.group(1)).strip()
            if _ERROR_WORDS.search(label) and len(label) <= 160:
                return f"an error/login page ({where}: {label[:80]!r}) instead of the page"
            if pattern is _TITLE:
                break  # the first title only
    return None


def year_months(months: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the calendar months to crawl as (year, month) pairs; pairs given as (month, year) are turned round."""
    out = []
    for a, b in months:
        year, month = (a, b) if a > 12 else (b, a)
        if not 1 <= month <= 12:
            raise ValueError(f"not a (year, month) pair: {(a, b)!r}")
        out.append((year, month))
    return out


# --------------------------------------------------------------------------
# The contract every dialect package meets (checked by tests/spiders/test_dialect_contract.py)
# --------------------------------------------------------------------------


class Note(str):
    """A failure to record, as its reason; ``outcome`` is ``failed`` or ``refused``."""

    outcome = "failed"
    url: str | None = None

    @classmethod
    def of(cls, reason: str, *, url: str | None = None, refused: bool = False) -> "Note":
        note = cls(reason)
        note.url = url
        if refused:
            note.outcome = "refused"
        return note


class CrawlSession(Protocol):
    """The crawl-wide state a dialect keeps for one crawl; the spider calls every method of it.

    ``SessionDefaults`` gives the optional parts; ``PageSession`` is the whole
    session of a dialect that reads every page on its own.
    """

    # True when ``parse`` neither reads nor changes anything the session keeps across pages, and
    # ``drain_notes`` gives only what that parse left: then a copy of the session in a worker
    # process reads a page as the session itself would (``spiders.parse_worker``). False keeps
    # every page of the crawl in the crawl's process (OParl's list walks, KIC's learnt headers).
    parses_alone: bool

    def request_for(self, link: Link) -> Link:
        """Return the link as it is to be requested (e.g. a list URL with modified_since, the app's headers)."""
        ...

    def parse(self, page: Page, source: str, meta: dict | None) -> Parsed:
        """Return what the page holds; ``meta`` is what the link to it carried."""
        ...

    def drain_notes(self) -> list[Note]:
        """Return (and forget) what the last parse wants recorded in failures.jsonl (repairs, incomplete walks)."""
        ...

    def close_notes(self, reason: str) -> list[Note]:
        """Return what shows only when the crawl ends (a list walk that never reached its last page)."""
        ...

    def recover(self, url: str, status: int | None, body: bytes, meta: dict | None) -> Parsed | None:
        """Return a page read from an HTTP error answer that is an error only in form, or None."""
        ...

    def manifest(self) -> dict[str, Any]:
        """Return what the crawl summary (crawl.json) keeps of the session."""
        ...


class SessionDefaults:
    """The optional parts of a CrawlSession: no rewriting, no notes, no recovery, nothing for the manifest.

    A session is taken to keep state between pages (``parses_alone = False``) unless it says otherwise.
    """

    parses_alone = False

    def request_for(self, link: Link) -> Link:
        return link

    def drain_notes(self) -> list[Note]:
        return []

    def close_notes(self, reason: str = "finished") -> list[Note]:
        return []

    def recover(self, url: str, status: int | None, body: bytes, meta: dict | None) -> Parsed | None:
        return None

    def manifest(self) -> dict[str, Any]:
        return {}


class PageSession(SessionDefaults):
    """The session of a dialect without crawl-wide state: each page parsed on its own by the dialect's ``parse``."""

    parses_alone = True

    def __init__(self, parse: Callable[[Page, str], Parsed]) -> None:
        self._parse = parse

    def parse(self, page: Page, source: str, meta: dict | None) -> Parsed:
        return self._parse(page, source)


@runtime_checkable
class Dialect(Protocol):
    """What a dialect package (``spiders/dialects/<name>/__init__.py``) exposes, its optional parts included.

    A package that has no use for an optional part binds the default below
    (``no_generation``, ``never_refused``, ``no_oparl_link``,
    ``page_sessions(parse)``), so the spider calls every member directly.
    """

    NAME: str
    # True when start_urls reads the base URL's page (first_page): the spider fetches it first.
    FIRST_PAGE: bool

    def detect(self, page: Page) -> str | None:
        """Return evidence that the page is of this dialect, or None."""
        ...

    def page_kind(self, page: Page) -> str | None:
        """Return which page type the page is (``vo020``, ``to010`` …), or None."""
        ...

    def parse(self, page: Page, source: str) -> Parsed:
        """Return the items on the page and the links to follow (pure: no network, no clock)."""
        ...

    def start_urls(self, base_url: str, months: list[tuple[int, int]], first_page: Page | None = None) -> list[Link]:
        """Return where a crawl of the install at ``base_url`` begins, for the (year, month) pairs."""
        ...

    def generation(self, page: Page) -> str | None:
        """Return the system's version/generation the page shows, or None."""
        ...

    def is_refused(self, page: Page) -> bool:
        """Tell an access-denied or error page that stands in for the page asked for."""
        ...

    def oparl_system_url(self, page: Page) -> str | None:
        """Return the URL of the install's OParl System the page links, or None."""
        ...

    def crawl_session(self, settings: Any, staging: Any) -> CrawlSession:
        """Return the state the spider keeps for one crawl of this dialect."""
        ...


def no_generation(page: Page) -> str | None:
    """Default ``generation``: the pages do not tell."""
    return None


def never_refused(page: Page) -> bool:
    """Default ``is_refused``: the system has no stand-in pages of its own (the generic checks still apply)."""
    return False


def no_oparl_link(page: Page) -> str | None:
    """Default ``oparl_system_url``: the system's pages do not link an OParl server."""
    return None


_OPARL_SYSTEM_LINK = re.compile(
    r"""href\s*=\s*["']((?:[^"'#?]*/)?oparl(?:/v?1\.[01])?(?:/system(?:\.(?:asp|php))?)?/?)["']""", re.I)


def linked_oparl_system(page: Page) -> str | None:
    """Return the absolute URL of an OParl endpoint the page links (``…/oparl[/1.x][/system[.asp|.php]]``), or None."""
    m = _OPARL_SYSTEM_LINK.search(page.text)
    return urljoin(page.url, m.group(1)) if m else None


def page_sessions(parse: Callable[[Page, str], Parsed]) -> Callable[[Any, Any], CrawlSession]:
    """Return a ``crawl_session`` for a dialect without crawl-wide state (a PageSession over ``parse``)."""
    def crawl_session(settings: Any, staging: Any) -> CrawlSession:
        return PageSession(parse)
    return crawl_session


def ignoring_first_page(start_urls: Callable[..., list[Link]]) -> Callable[..., list[Link]]:
    """Return ``start_urls`` with the contract's ``first_page`` argument, for a dialect that plans without the page."""
    def with_first_page(base_url: str, months: Any = (), first_page: Page | None = None) -> list[Link]:
        return start_urls(base_url, months)
    with_first_page.__doc__ = start_urls.__doc__  # not functools.wraps: the signature must stay the contract's
    return with_first_page
