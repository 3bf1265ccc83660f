"""Council information systems of the census that ratsinfo names but cannot crawl yet.

Each entry is a system with the signs its pages show (generator or author meta
tags, product names in titles and scripts, URL shapes). ``unsupported_system``
turns a page of such a system into an ``UnsupportedSystem`` error whose one-line
message names the system and the evidence: "Kommune aktiv detected (evidence …):
not supported yet".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from spiders.dialects.base import Page, UnknownDialect


class UnsupportedSystem(UnknownDialect):
    """The page belongs to a known council information system that ratsinfo cannot crawl yet."""

    def __init__(self, system: str, evidence: str, url: str):
        super().__init__(f"{system} detected (evidence: {evidence}): not supported yet ({url})")
        self.system = system
        self.evidence = evidence


@dataclass(frozen=True)
class Signature:
    system: str
    text: tuple[str, ...] = ()  # regular expressions on the page's first 30,000 characters
    url: tuple[str, ...] = ()  # regular expressions on the page's address


SIGNATURES: tuple[Signature, ...] = (
    Signature("SessionNet 6", text=(r"<meta\b[^>]*SessionNet Version 6[\d.]*[^>]*>", r"<meta\b[^>]*name=[\"']sessionnet[\"'][^>]*content=[\"']V:06\d{4}",)),
    Signature("Kommune aktiv", text=(r"<meta\b[^>]*content=[\"'][^\"']*Kommune[ -]?aktiv[^\"']*[\"']",
                                     r"<title>[^<]*Kommune[ -]?aktiv[^<]*</title>"),
              url=(r"kommune-aktiv\.de/", r"/kommune-aktiv/")),
    Signature("Provox", text=(r"<meta\b[^>]*content=[\"'][^\"']*PROVOX[^\"']*[\"']", r"<title>[^<]*Provox[^<]*</title>"),
              url=(r"/provox/",)),
    Signature("PARLIS", text=(r"<title>[^<]*PARLIS[^<]*</title>", r"<meta\b[^>]*content=[\"'][^\"']*PARLIS[^\"']*[\"']"),
              url=(r"/parlis\d*/",)),
    Signature("PIWi", text=(r"<title>[^<]*PIWi[^<]*</title>", r"<meta\b[^>]*content=[\"'][^\"']*PIWi[^\"']*[\"']"),
              url=(r"/piwi/",)),
    Signature("Lotus Domino", text=(r"<meta\b[^>]*content=[\"'][^\"']*(?:Lotus|HCL) Domino[^\"']*[\"']",
                                    r"/\w+\.nsf/\w+\?OpenDocument", r"\bdomino\.js\b"),
              url=(r"\.nsf(?:/|$|\?)",)),
    Signature("more! rubin", text=(r"<meta\b[^>]*content=[\"'][^\"']*more!\s*rubin[^\"']*[\"']",
                                   r"\A\s*\{\s*\"first_day\"\s*:", r"more!\s*rubin"),
              url=(r"\.gremien\.info/",)),
    Signature("regisafe RIS-Portal", text=(r"\"sessionLink\"\s*:\s*\"https?://[\w.-]+\.ris-portal\.de/", r"regisafe",
                                           r"portlet[_-]ris[_-]sitzung"),
              url=(r"\.ris-portal\.de/",)),
    Signature("komuna/KIC", text=(r"<meta\b[^>]*content=[\"'][^\"']*komuna[^\"']*[\"']", r"<title>[^<]*(?:komuna|KIC)[^<]*</title>",
                                  r"\bkomuna\b"),
              url=(r"\.komuna\.net/", r"/kic/")),
)


def unsupported_system(page: Page) -> UnsupportedSystem | None:
    """Return the UnsupportedSystem error for a page of a census system ratsinfo cannot crawl yet, or None."""
    head = page.text[:30000]
    address = urlsplit(page.url)
    url = f"{address.netloc}{address.path}" + (f"?{address.query}" if address.query else "")
    for sig in SIGNATURES:
        for pattern in sig.text:
            m = re.search(pattern, head, re.I)
            if m:
                return UnsupportedSystem(sig.system, f"page text {_short(m.group(0))!r}", page.url)
        for pattern in sig.url:
            m = re.search(pattern, url, re.I)
            if m:
                return UnsupportedSystem(sig.system, f"URL {url!r}", page.url)
    return None


def _short(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= 100 else text[:97] + "…"
