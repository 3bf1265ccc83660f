"""The page being parsed: its install folder and program extension, its ids, and the fields every item shares.

Every SessionNet page parser works on a ``PageContext``; the helpers here are
the ones all of them need (query parameters, links and items once each).
``NAME`` lives here, in the module every other one imports, so that the
package's ``__init__`` can import the parsers without an import cycle.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from schemas.items import Item
from spiders.dialects.base import Link, Page, query_value
from spiders.dialects.html import Element, select

NAME = "sessionnet"


class PageContext:
    """The page being parsed, with what every parser needs from it."""

    def __init__(self, page: Page, source: str, soup: Element) -> None:
        self.page = page
        self.source = source
        self.soup = soup
        self.folder = page.url.split("?", 1)[0].rsplit("/", 1)[0] + "/"
        self.ext = extension_of(page) or "asp"

    def program_url(self, program: str, **params: str) -> str:
        """Return the address of a program of this install, with this page's extension (``vo0050.php?__kvonr=1``)."""
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return f"{self.folder}{program}.{self.ext}" + (f"?{query}" if query else "")

    def common(self) -> dict:
        """Return the fields every item of this page carries (source, system, url)."""
        return {"source": self.source, "system": NAME, "url": self.page.url}

    def id_from_page(self, name: str) -> str | None:
        """Return an id parameter from the page URL, else from the page's own tab links."""
        value = param(self.page.url, name)
        if value:
            return value
        for a in select(self.soup, "#smcregister a[href]"):
            value = param(a.get("href"), name)
            if value:
                return value
        return None


def extension_of(page: Page) -> str | None:
    """Return the extension of a SessionNet page: from its URL, else the one its links use most."""
    m = re.search(r"\.(asp|php)$", urlsplit(page.url).path, re.I)
    if m:
        return m.group(1).lower()
    asp = len(re.findall(r"href=[\"'][a-z]{2}\d{4}\.asp", page.text))
    php = len(re.findall(r"href=[\"'][a-z]{2}\d{4}\.php", page.text))
    if asp or php:
        return "php" if php > asp else "asp"
    return None


def param(url: str, name: str) -> str | None:
    """Return one query parameter of a URL (``&amp;`` tolerated)."""
    return query_value(url.replace("&amp;", "&"), name)


def unique_links(links: list[Link]) -> list[Link]:
    """Return the links with each (url, kind) once, the first kept, in order."""
    seen: dict[tuple[str, str], Link] = {}
    for link in links:
        seen.setdefault((link.url, link.kind), link)
    return list(seen.values())


def unique_items(items: list[Item]) -> list[Item]:
    """Return the items with each (type, systemId) once, the first kept."""
    seen: dict[tuple[str, str], Item] = {}
    for item in items:
        seen.setdefault((item.type, item.systemId), item)
    return list(seen.values())
