"""One module per system dialect, and detection of the dialect from a page.

Add a dialect by writing its package (it meets ``base.Dialect``, the typed
contract; ``tests/spiders/test_dialect_contract.py`` checks every one) and
listing it in ``DIALECT_MODULES``. Order matters only where two dialects could
both claim a page: the more specific one comes first.
"""

from __future__ import annotations

import importlib
from typing import cast

from spiders.dialects.base import Dialect, Link, Page, Parsed, ParseError, UnknownDialect, decode_page

DIALECT_MODULES: tuple[str, ...] = (
    "spiders.dialects.oparl",  # JSON: unambiguous, so it goes first
    "spiders.dialects.sessionnet",
    "spiders.dialects.allris4",
    "spiders.dialects.allris_classic",
    "spiders.dialects.sdnet",
    "spiders.dialects.rubin",
    "spiders.dialects.regisafe",
    "spiders.dialects.kic",
)


def dialects() -> list[Dialect]:
    """Return the dialect packages, in detection order (each meets the Dialect protocol)."""
    return [cast(Dialect, importlib.import_module(name)) for name in DIALECT_MODULES]


def by_name(name: str) -> Dialect:
    """Return the dialect module whose ``NAME`` is ``name``."""
    for module in dialects():
        if module.NAME == name:
            return module
    raise KeyError(f"no dialect named {name!r}; known: {[m.NAME for m in dialects()]}")


def detect(page: Page) -> tuple[Dialect, str]:
    """Return the dialect module for a page and the evidence it was chosen on.

    A page of an HTML dialect that links its install's OParl server is
    answered with the OParl dialect: OParl is the complete, structured source
    (see ``oparl_entry`` for the address to start from). Raises UnknownDialect
    naming what was seen when no dialect claims the page; for systems of the
    census that ratsinfo cannot crawl yet, the message names the system.
    """
    from spiders.dialects.census import unsupported_system

    newer = unsupported_system(page, before_only=True)
    if newer is not None:
        raise newer
    for module in dialects():
        evidence = module.detect(page)
        if evidence:
            system_url = module.oparl_system_url(page)
            if system_url:
                return by_name("oparl"), f"{module.NAME} page ({evidence}) links its OParl server {system_url}: OParl preferred"
            return module, evidence
    raise unsupported_system(page) or UnknownDialect(_describe_unknown(page))


def oparl_entry(page: Page) -> str | None:
    """Return the OParl System URL to crawl instead of a page's HTML dialect, or None.

    The crawl's start (``spiders/ris.py``) uses it when detection prefers OParl for
    an HTML page: the page's URL is no OParl entry point, its linked System is.
    """
    for module in dialects():
        if module.detect(page):
            return module.oparl_system_url(page)
    return None


def html_dialect(page: Page) -> tuple[Dialect, str] | None:
    """Return the HTML dialect that claims a page and its evidence, not preferring OParl; None when none does."""
    for module in dialects():
        if module.NAME != "oparl":
            evidence = module.detect(page)
            if evidence:
                return module, evidence
    return None


def describe(page: Page) -> dict[str, str | None]:
    """Return the system, generation, page kind and detection evidence of a page."""
    module, evidence = detect(page)
    system_url = oparl_entry(page) if module.NAME == "oparl" else None
    if system_url:  # an HTML page that links its OParl server: describe the HTML, name the server
        html_module = next(m for m in dialects() if m.NAME != "oparl" and m.detect(page))
        return {
            "system": "oparl",
            "generation": html_module.generation(page),
            "pageKind": html_module.page_kind(page),
            "evidence": evidence,
            "url": page.url,
            "oparlSystem": system_url,
        }
    return {
        "system": module.NAME,
        "generation": module.generation(page),
        "pageKind": module.page_kind(page),
        "evidence": evidence,
        "url": page.url,
    }


def _describe_unknown(page: Page) -> str:
    import re

    head = page.text[:5000]
    seen = []
    for m in re.finditer(r"<meta\s+[^>]*(?:name|property)=[\"']?(generator|description|author|sessionnet)[\"']?[^>]*>", head, re.I):
        seen.append(m.group(0)[:160])
    title = re.search(r"<title>(.*?)</title>", head, re.I | re.S)
    if title:
        seen.append(f"title {title.group(1).strip()[:80]!r}")
    what = "; ".join(seen) if seen else f"no generator meta tag, first bytes {page.text[:60]!r}"
    return f"unknown council information system at {page.url}: {what}"


__all__ = ["Dialect", "Link", "Page", "Parsed", "ParseError", "UnknownDialect", "decode_page", "describe", "detect", "dialects", "by_name",
           "html_dialect", "oparl_entry"]
