"""The page as the parsers read it (``Doc``), and how ids, labels and links are read from it.

ALLRIS classic names its objects by ``…LFDNR`` ids in links, hidden form
fields and the ``objectID`` meta tag, and labels its fields with cells
(``td.kb1`` "Federführend:") or, in the responsive programs, with
``a[aria-describedby]`` links; the helpers here read both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from spiders.dialects.allris_classic.text import node_text
from spiders.dialects.base import Link, Page, join_url, query_value
from spiders.dialects.html import Element, by_id, find, find_all, first_found, next_sibling, select, select_one


@dataclass
class Doc:
    """A page split into its shell (parsed) and its embedded text sections."""

    page: Page
    source: str
    system: str  # the dialect's NAME, which every item carries
    soup: Element  # the parsed shell
    sections: list[tuple[str, str]]  # (anchor code, raw HTML) in page order

    def base(self, system_id: str, **fields) -> dict:
        """Return the fields every item of this page shares, for ``system_id``."""
        return {"source": self.source, "system": self.system, "systemId": system_id, "url": self.page.url, **fields}


def url_param(url: str | None, name: str) -> str | None:
    """Return a query parameter of a URL, matched case-insensitively."""
    return query_value(url, name, ignore_case=True) if url else None


def id_in(
    node: Element, name: str, program: str | None = None, anchors: list[Element] | None = None, forms: list[Element] | None = None
) -> str | None:
    """Return an ``…LFDNR`` id from a link or a hidden form field inside ``node``.

    ``anchors`` and ``forms`` are the node's ``a[href]`` and ``form`` elements
    when the caller has them already (an agenda row asks for several ids).
    """
    for a in find_all(node, "a", href=True) if anchors is None else anchors:
        href = a.get("href")
        if program and program not in href.lower():
            continue
        value = url_param(href, name)
        if value:
            return value
    for form in find_all(node, "form") if forms is None else forms:
        if program and program not in (form.get("action") or "").lower():
            continue
        field = find(form, "input", name=re.compile(f"^{name}$", re.I))
        if field is not None and field.get("value"):
            return field.get("value")
    return None


def meta_object_id(doc: Doc) -> str | None:
    """Return the id the page names in its ``objectID`` meta tag, or None."""
    tag = find(doc.soup, "meta", name="objectID")
    return tag.get("content") if tag is not None and tag.get("content") else None


def headline_text(doc: Doc) -> str | None:
    """Return the page's headline (``#risname h1``, ``h1.title`` or the first ``h1``), or None."""
    h1 = first_found(select_one(doc.soup, "#risname h1, #risname_raw h1, h1.title"), find(doc.soup, "h1"))
    text = node_text(h1, keep_newlines=True)
    return text or None


def label_values(soup: Element) -> list[tuple[str, Element | None]]:
    """Return (label, value element) pairs: ``td.kb1`` + next cell, ``a[aria-describedby]`` + target."""
    pairs: list[tuple[str, Element | None]] = []
    for cell in select(soup, "td.kb1"):
        label = label_key(cell)
        if label:
            pairs.append((label, next_sibling(cell, "td")))
    for link in select(soup, "[aria-describedby]"):
        label = label_key(link)
        target = by_id(soup, link.get("aria-describedby"))
        if label and target is not None:
            pairs.append((label, target))
    return pairs


def label_key(node: Element) -> str:
    """Return a label as a lookup key: one line, lower case, without the colon ("federführend")."""
    return node_text(node).replace("\n", " ").strip().rstrip(":").strip().lower()


def first_value(pairs: list[tuple[str, Element | None]], test: Callable[[str], bool]) -> Element | None:
    """Return the value element of the first label that passes ``test``, or None."""
    for label, value in pairs:
        if value is not None and test(label):
            return value
    return None


def absolute_url(doc: Doc, href: str) -> str:
    """Return ``href`` resolved against the page's URL."""
    return join_url(doc.page.url, href)


def unique_links(links: list[Link]) -> list[Link]:
    """Return the links without repeated URLs, first occurrence kept."""
    seen: set[str] = set()
    unique = []
    for link in links:
        if link.url not in seen:
            seen.add(link.url)
            unique.append(link)
    return unique
