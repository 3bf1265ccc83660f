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
    before: bool = False  # checked before the dialects (a later generation of a supported system)


SIGNATURES: tuple[Signature, ...] = (
    # Somacos' generation after SessionNet 5; its version tags say 6 (checked before the SessionNet 4/5 dialect).
    Signature("SessionNet 6", text=(r"<meta\b[^>]*SessionNet Version 6[\d.]*[^>]*>",
                                    r"<meta\b[^>]*name=[\"']sessionnet[\"'][^>]*content=[\"']V:06\d{4}"), before=True),
    # Hosted as <town>.ris.kommune-aktiv.de, calendar /kalender/de/rathaus/<n>/…/calendar_search.
    Signature("Kommune aktiv", text=(r"<meta\b[^>]*content=[\"'][^\"']*Kommune[ -]?aktiv[^\"']*[\"']",
                                     r"<title>[^<]*Kommune[ -]?aktiv[^<]*</title>"),
              url=(r"\.ris\.kommune-aktiv\.de/", r"kommune-aktiv\.de/", r"/kalender/de/rathaus/\d+/")),
    Signature("Provox", text=(r"<meta\b[^>]*content=[\"'][^\"']*PROVOX[^\"']*[\"']", r"<title>[^<]*Provox[^<]*</title>",
                              r"\bprovox\.(?:de|net)\b"),
              url=(r"/provox/",)),
    # Frankfurt am Main: /parlis2/parlis.html, result lists ../PARLISLINK/SDF?DOKUMENTTYP=…, titles "PARLIS - Trefferliste".
    Signature("PARLIS", text=(r"<title>[^<]*PARLIS[^<]*</title>", r"/PARLISLINK/[A-Z]{3}\?", r"/parlis2/"),
              url=(r"/parlis\d*/", r"/PARLISLINK/")),
    Signature("PIWi", text=(r"<title>[^<]*PIWi[^<]*</title>", r"<meta\b[^>]*content=[\"'][^\"']*PIWi[^\"']*[\"']"),
              url=(r"/piwi/",)),
    # Dortmund (…/dosys/gremniedweb1.nsf/), Hannover (…/lhhsimwebre.nsf/TermineAktuell.xsp): Notes databases.
    Signature("Lotus Domino", text=(r"<meta\b[^>]*content=[\"'][^\"']*(?:Lotus|HCL) Domino[^\"']*[\"']",
                                    r"/[\w-]+\.nsf/[^\"'\s]*\?Open(?:Document|View)"),
              url=(r"\.nsf(?:/|$|\?)",)),
)


def unsupported_system(page: Page, *, before_only: bool = False) -> UnsupportedSystem | None:
    """Return the UnsupportedSystem error for a page of a census system ratsinfo cannot crawl yet, or None.

    ``before_only`` checks only the systems that must be told apart before the dialects run.
    """
    head = page.text[:30000]
    address = urlsplit(page.url)
    url = f"{address.netloc}{address.path}" + (f"?{address.query}" if address.query else "")
    for sig in SIGNATURES:
        if before_only and not sig.before:
            continue
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
