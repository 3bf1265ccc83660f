"""Whether a page is ALLRIS classic, which page kind it is, which generation, and whether it is a refusal.

A page is recognised by its meta description ("ALLRIS net Version 3.9.5"),
else by a program URL (``vo020.asp``) plus markup only ALLRIS classic writes,
else (embedded in a city CMS, or a saved page) by that markup and links to the
classic programs. ALLRIS 4 names itself the same way and is left to the
``allris4`` dialect.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from spiders.dialects.allris_classic.text import ANCHOR, split_sections
from spiders.dialects.base import Page

# ALLRIS program names: two letters, three digits, an optional variant letter.
_PROGRAM = re.compile(r"/([a-z]{2}\d{3})(?:_([a-z]))?\.asp\b", re.I)
_PROGRAM_LINK = re.compile(r"\b[a-z]{2}\d{3}(?:_[a-z])?\.asp\?[A-Z]{2}LFDNR=\d+")
_VERSION = re.compile(r"ALLRIS\s*(?:&reg;|®)?\s*net\s+Version\s+(\d+(?:\.\d+)*)", re.I)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
# Markup only ALLRIS classic writes; one of them plus a program URL is enough.
_MARKERS: tuple[str, ...] = (
    'id="allriscontainer"',
    'class="allriscontent"',
    'id="risname',
    "ALLRIS.ico",
    "allrisnet.js",
    "allris.net.asp",
    'class="kb1"',
    "il1_to",
)
_FRAME_MARKERS: tuple[str, ...] = ('id="allriscontainer"', 'class="allriscontent"', 'id="risname')
_CELL_MARKERS: tuple[str, ...] = ('class="kb1"', 'class="il1_to"', '<a name="allris')
_REFUSED = re.compile(r"Zugriff\s+verweigert|Keine\s+Information\s+verf(?:ü|&uuml;|ue)gbar", re.I)


def detect(page: Page) -> str | None:
    """Return why the page is ALLRIS classic (meta version, or program URL + markup), or None."""
    head = page.text[:10000]
    version = _allris_version(head)
    if version:
        # ALLRIS 4 names itself the same way; it belongs to the allris4 dialect.
        return f"meta description 'ALLRIS net Version {version}'" if int(version.split(".")[0]) < 4 else None
    if _looks_like_allris4(page):
        return None
    program = _PROGRAM.search(urlsplit(page.url).path)
    if not program:
        # Embedded in a city CMS under the CMS's own URL: the frame and the
        # label cells together are still unmistakable.
        frame = next((m for m in _FRAME_MARKERS if m in page.text), None)
        cells = next((m for m in _CELL_MARKERS if m in page.text), None)
        if frame and cells:
            return f"ALLRIS classic markup {frame!r} and {cells!r}"
        # A saved page without meta tags (responsive excerpts): links to the
        # classic .asp programs with their LFDNR ids, plus an ALLRIS marker.
        link = _PROGRAM_LINK.search(page.text)
        marker = next((m for m in (*_MARKERS, 'id="allris"') if m in page.text), None)
        if link and marker:
            return f"links to ALLRIS classic program {link.group(0)!r} and {marker!r}"
        # The responsive frame names its program as a class (div#allris.yw040) and loads
        # ALLRIS' own script: a page without ids in its links (a search page) is still classic.
        container = _container_program(page.text[:20000])
        return f"frame div#allris of program {container!r} and 'allrisnet.js'" if container and "allrisnet.js" in page.text else None
    for marker in _MARKERS:
        if marker in page.text:
            return f"URL program {program.group(0).lstrip('/')} and {marker!r} in the page"
    if "Zugriff verweigert (Programm" in page.text:
        return f"URL program {program.group(0).lstrip('/')} answered with the ALLRIS refusal text"
    return None


def page_kind(page: Page) -> str | None:
    """Return the page kind (``vo020``, ``to010``, ``calendar`` …) from container class, URL or headline."""
    container = _container_program(page.text[:20000])
    if container:
        return _kind_of_program(container)
    program = _PROGRAM.search(urlsplit(page.url).path)
    if program:
        return _kind_of_program(program.group(1))
    if ANCHOR.search(page.text) and re.search(r">\s*Betreff:\s*<", page.text):
        return "vo020"
    headline = re.search(r"<h1[^>]*>\s*(Tagesordnung|Auszug)\b", page.text)
    if headline:
        return "to010" if headline.group(1) == "Tagesordnung" else "to020"
    # A calendar in a CMS page: links to agendas and to the other months of the calendar program.
    if _CALENDAR_NAV.search(page.text) and "SILFDNR" in page.text and 'class="kb1"' not in page.text:
        return "calendar"
    return None


_CALENDAR_NAV = re.compile(r"si010(?:_[a-z])?\.asp\?(?:[^\"'>]*&(?:amp;)?)?MM=\d", re.I)


def is_refused(page: Page) -> bool:
    """Return True for ALLRIS' refusal pages: noauth.asp, "Zugriff verweigert", "Keine Information verfügbar"."""
    if re.search(r"/noauth\.asp", urlsplit(page.url).path, re.I):
        return True
    shell, _ = split_sections(page.text)
    # Only the page shell counts: a paper's own text may quote these words.
    return bool(_REFUSED.search(re.sub(r"<[^>]+>", " ", shell)))


def _allris_version(head: str) -> str | None:
    for tag in _META_TAG.findall(head):
        if re.search(r"\bname\s*=\s*[\"']?description", tag, re.I):
            found = _VERSION.search(tag)
            if found:
                return found.group(1)
    return None


def _looks_like_allris4(page: Page) -> bool:
    path = urlsplit(page.url).path
    if "/public/" in path and not path.lower().endswith(".asp"):
        return True
    return "wicket" in page.text[:20000].lower()


def _container_program(text: str) -> str | None:
    for tag in re.findall(r"<div\b[^>]*\bid\s*=\s*[\"']allris(?:container)?[\"'][^>]*>", text, re.I):
        classes = re.search(r"\bclass\s*=\s*[\"']([^\"']*)", tag, re.I)
        for token in (classes.group(1).split() if classes else []):
            if re.fullmatch(r"[a-z]{2}\d{3}(?:_[a-z])?", token, re.I):
                return token
    return None


def _kind_of_program(program: str) -> str:
    base = program.lower()[:5]
    return "calendar" if base == "si010" else base


def generation(page: Page) -> str:
    """Return the ALLRIS classic version and variant, e.g. 'ALLRIS net 3.9.5 classic' or '… responsive (_r)'."""
    version = _allris_version(page.text[:10000])
    name = f"ALLRIS net {version}" if version else "ALLRIS net 3.x"
    path = urlsplit(page.url).path
    responsive = bool(re.search(r"_r\.asp$", path)) or bool(re.search(r"\b[a-z]{2}\d{3}_r\.asp\?", page.text))
    if responsive:
        return f"{name} responsive (_r)"
    if not any(m in page.text for m in _FRAME_MARKERS) and not _PROGRAM.search(path):
        return f"{name} classic, embedded in a CMS page"
    return f"{name} classic"
