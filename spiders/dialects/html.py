"""HTML trees for the dialects: lxml, with CSS selectors compiled once.

The HTML dialects parse a page once with lxml and ask the tree for elements
by CSS selector (translated to XPath by cssselect and compiled on first use)
or by tag and attribute. Every search looks at an element's descendants, not
at the element itself, the way the parsers read a row or a cell.
"""

from __future__ import annotations

import re
from copy import deepcopy
from functools import lru_cache
from typing import Iterator

import lxml.html
from cssselect import HTMLTranslator
from lxml import etree



class Element(lxml.html.HtmlElement):
    """An lxml HTML element that is always true, so ``if cell:`` means "found" (lxml's own is false without children)."""

    def __bool__(self) -> bool:
        return True


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_blank_text=False)
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(element=Element, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction)
)


def parse_html(html: str) -> Element:
    """Return the root of an HTML document or fragment given as decoded text."""
    # The text is already decoded: tell lxml so, whatever the page declares.
    data = _XML_DECLARATION.sub("", html, count=1).encode("utf-8", "surrogatepass")
    try:
        return lxml.html.document_fromstring(data, parser=_PARSER)
    except etree.ParserError:  # nothing but white space and comments
        return lxml.html.document_fromstring(b"<html></html>", parser=_PARSER)


@lru_cache(maxsize=512)
def _compiled(css: str) -> etree.XPath:
    return etree.XPath(HTMLTranslator().css_to_xpath(css, prefix="descendant::"))


def select(node: Element | None, css: str) -> list[Element]:
    """Return the descendants of ``node`` that match ``css``, in document order."""
    if node is None:
        return []
    return _compiled(css)(node)


def select_one(node: Element | None, css: str) -> Element | None:
    """Return the first descendant of ``node`` that matches ``css``, or None."""
    found = select(node, css)
    return found[0] if found else None


def first_found(*elements: Element | None) -> Element | None:
    """Return the first element that is not None (lxml elements without children are falsy)."""
    return next((el for el in elements if el is not None), None)


def find_all(node: Element | None, tag: str | tuple[str, ...] | list[str] | None = None, **attrs: object) -> list[Element]:
    """Return the descendants with tag ``tag`` whose attributes pass ``attrs``.

    An attribute test is ``True`` (present), a string (equal) or a compiled
    regular expression (searched in the value).
    """
    if node is None:
        return []
    tags = (tag,) if isinstance(tag, str) else tag
    found = []
    for el in node.iterdescendants(*(tags or ())):
        if not isinstance(el.tag, str):
            continue
        if all(_attr_matches(el.get(_attr_name(name)), test) for name, test in attrs.items()):
            found.append(el)
    return found


def find(node: Element | None, tag: str | tuple[str, ...] | list[str] | None = None, **attrs: object) -> Element | None:
    """Return the first descendant ``find_all`` would return, or None."""
    if node is None:
        return None
    tags = (tag,) if isinstance(tag, str) else tag
    for el in node.iterdescendants(*(tags or ())):
        if isinstance(el.tag, str) and all(_attr_matches(el.get(_attr_name(n)), t) for n, t in attrs.items()):
            return el
    return None


def _attr_name(name: str) -> str:
    # ``class_`` and ``data_x`` as keyword arguments stand for ``class`` and ``data-x``.
    return name.rstrip("_").replace("_", "-")


def _attr_matches(value: str | None, test: object) -> bool:
    if value is None:
        return False
    if test is True:
        return True
    if isinstance(test, re.Pattern):
        return bool(test.search(value))
    return value == test


def children(node: Element, tag: str | tuple[str, ...] | None = None) -> list[Element]:
    """Return the child elements of ``node`` (with tag ``tag``), not deeper ones."""
    tags = (tag,) if isinstance(tag, str) else tag
    return [c for c in node if isinstance(c.tag, str) and (not tags or c.tag in tags)]


def classes(node: Element | None) -> list[str]:
    """Return the element's classes."""
    return (node.get("class") or "").split() if node is not None else []


def has_class(node: Element | None, name: str) -> bool:
    return name in classes(node)


def ancestor(node: Element, tag: str, class_: str | None = None) -> Element | None:
    """Return the nearest ancestor with tag ``tag`` (and class ``class_``), or None."""
    for el in node.iterancestors(tag):
        if class_ is None or class_ in classes(el):
            return el
    return None


def next_sibling(node: Element, tag: str | tuple[str, ...] | list[str]) -> Element | None:
    """Return the next sibling element with one of the tags, or None."""
    tags = (tag,) if isinstance(tag, str) else tag
    for el in node.itersiblings():
        if isinstance(el.tag, str) and el.tag in tags:
            return el
    return None


def previous_siblings(node: Element, tag: str) -> Iterator[Element]:
    """Yield the preceding sibling elements with tag ``tag``, nearest first."""
    return node.itersiblings(tag, preceding=True)


def remove(node: Element) -> None:
    """Remove ``node`` from its tree, keeping the text that follows it."""
    node.drop_tree()


def outer_html(node: Element) -> str:
    """Return the element's own markup (without the text that follows it)."""
    return lxml.html.tostring(node, encoding="unicode", with_tail=False)


def copy_without(node: Element, css: str) -> Element:
    """Return a copy of ``node`` without its descendants that match ``css``."""
    copy = deepcopy(node)
    copy.tail = None
    for found in select(copy, css):
        remove(found)
    return copy


def by_id(root: Element, element_id: str) -> Element | None:
    """Return the element of the tree with id ``element_id``, or None."""
    found = root.xpath("//*[@id=$id]", id=element_id)
    return found[0] if found else None
