"""One module per system dialect, and detection of the dialect from a page.

Add a dialect by writing its module (see ``base.py`` for what it exposes) and
listing it in ``DIALECT_MODULES``. Order matters only where two dialects could
both claim a page: the more specific one comes first.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from spiders.dialects.base import Link, Page, Parsed, ParseError, UnknownDialect, decode_page

DIALECT_MODULES: tuple[str, ...] = (
    "spiders.dialects.oparl",  # JSON: unambiguous, so it goes first
    "spiders.dialects.sessionnet",
    "spiders.dialects.allris4",
    "spiders.dialects.allris_classic",
    "spiders.dialects.sdnet",
)


def dialects() -> list[ModuleType]:
    """Return the dialect modules, in detection order."""
    return [importlib.import_module(name) for name in DIALECT_MODULES]


def by_name(name: str) -> ModuleType:
    """Return the dialect module whose ``NAME`` is ``name``."""
    for module in dialects():
        if module.NAME == name:
            return module
    raise KeyError(f"no dialect named {name!r}; known: {[m.NAME for m in dialects()]}")


def detect(page: Page) -> tuple[ModuleType, str]:
    """Return the dialect module for a page and the evidence it was chosen on.

    Raises UnknownDialect naming what was seen when no dialect claims the page.
    """
    for module in dialects():
        evidence = module.detect(page)
        if evidence:
            return module, evidence
    raise UnknownDialect(_describe_unknown(page))


def describe(page: Page) -> dict[str, str | None]:
    """Return the system, generation, page kind and detection evidence of a page."""
    module, evidence = detect(page)
    generation = getattr(module, "generation", None)
    return {
        "system": module.NAME,
        "generation": generation(page) if generation else None,
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


__all__ = ["Link", "Page", "Parsed", "ParseError", "UnknownDialect", "decode_page", "describe", "detect", "dialects", "by_name"]
