"""The dialect's name, field values by element id, URL parameters and link lists, shared by the page parsers.

``NAME`` lives here, in a module every parser imports, so that the package's
``__init__`` can import the parsers without an import cycle.
"""

from __future__ import annotations

import re

from lxml import etree

from spiders.dialects.base import Link, query_value
from spiders.dialects.html import Element, select_one
from spiders.dialects.html_text import one_line

NAME = "allris4"


def field_text(soup: Element, element_id: str) -> str | None:
    """Return the text of the element with this id, whitespace folded to single spaces."""
    return one_line(by_id_below(soup, element_id))


def by_id_below(soup: Element, element_id: str | None) -> Element | None:
    """Return the first element below ``soup`` with this id, as ``find(soup, id=element_id)`` does.

    A page is asked for a dozen fields by id; the ids below ``soup`` are read
    in one walk the first time and kept on it (the parsers never change the tree).
    """
    ids = getattr(soup, "_ids_below", None)
    if ids is None:
        ids = {}
        for el in soup.iterdescendants(etree.Element):  # elements only
            found = el.get("id")
            if found is not None and found not in ids:
                ids[found] = el
        soup._ids_below = ids
    return ids.get(element_id)


def joined_status(soup: Element, main_id: str, detail_id: str) -> str | None:
    """Return status and its workflow note as printed side by side ("öffentlich (Vorlage freigegeben)")."""
    parts = [p for p in (field_text(soup, main_id), field_text(soup, detail_id)) if p]
    return " ".join(parts) or None


def url_param(url: str, name: str) -> str | None:
    """Return one query parameter of a URL (``&amp;`` tolerated)."""
    return query_value(url.replace("&amp;", "&"), name)


def first_id_in_page(text: str, name: str) -> str | None:
    m = re.search(rf"\b{name}=(\d+)", text)
    return m.group(1) if m else None


def unique_links(links: list[Link]) -> list[Link]:
    seen: dict[tuple[str, str], Link] = {}
    for link in links:
        seen.setdefault((link.url, link.kind), link)
    return list(seen.values())


def section_title(block: Element) -> str | None:
    """Return a section's title: its h2, or (when the h2 is empty) the show/hide link's tooltip."""
    title = one_line(select_one(block, "h2.expandedTitle"))
    if title:
        return title
    toggle = select_one(block, "a[id^=showHideLink][data-simpletooltip-text]")
    if toggle is not None:
        tip = re.sub(r"\s+(ausblenden|einblenden|anzeigen)\s*$", "", toggle.get("data-simpletooltip-text").strip())
        return tip or None
    return None
