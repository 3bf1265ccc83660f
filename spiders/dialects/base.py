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
* ``is_refused(page) -> bool`` (optional) tells an access-denied or error page.

Parsers are pure: no network, no clock. The Scrapy spiders only fetch what
``Parsed.follow`` names and hand the answers back, so the crawl logic of a
dialect is tested by parsing pages, and end to end against a local server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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


@dataclass
class Parsed:
    """What a parser found on one page."""

    items: list[Item] = field(default_factory=list)
    follow: list[Link] = field(default_factory=list)
    # Field names the page type is expected to fill, mapped to whether it did
    # (feeds the parse-rate watch).
    fields_seen: dict[str, bool] = field(default_factory=dict)


class UnknownDialect(ValueError):
    """No dialect recognised the page."""


class ParseError(ValueError):
    """The page is of a known dialect but could not be parsed."""


def decode_page(body: bytes, content_type: str | None = None) -> str:
    """Return the page's text, trusting the bytes over the declared charset.

    ALLRIS classic declares ISO-8859-1; some installs are ISO-8859-15, and
    captured copies are often UTF-8 while still declaring ISO-8859-1. Text
    that decodes as UTF-8 is UTF-8 (Latin-1 umlauts almost never form valid
    UTF-8 sequences); otherwise the declared charset is used, with cp1252 as
    the superset of ISO-8859-1 that also covers the € sign and typographic quotes.
    """
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(body, content_type)
    if declared in {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252", None}:
        return body.decode("cp1252", errors="replace")
    try:
        return body.decode(declared, errors="replace")
    except LookupError:
        return body.decode("cp1252", errors="replace")


def _declared_charset(body: bytes, content_type: str | None) -> str | None:
    if content_type and "charset=" in content_type.lower():
        return content_type.lower().split("charset=", 1)[1].split(";")[0].strip().strip("\"'")
    head = body[:4096]
    for pattern in (_XML_DECL, _META_CHARSET):
        m = pattern.search(head)
        if m:
            return m.group(1).decode("ascii", "replace").lower()
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
