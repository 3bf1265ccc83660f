"""HTML trees for the dialects: lxml, with CSS selectors compiled once.

The HTML dialects parse a page once with lxml and ask the tree for elements
by CSS selector or by tag and attribute. Every search looks at an element's
descendants, not at the element itself, the way the parsers read a row or a
cell.

A selector is parsed by cssselect once. The forms the dialects use (tags,
classes, ids, attribute tests, ``:not()``, descendant and child combinators,
groups) are then matched by walking the tree with lxml's own iterators,
which finds the same elements in the same order as cssselect's XPath
translation but without an XPath evaluation per call: most searches look at
one table row, where setting up the XPath context cost more than the search,
and ``select_one`` stops at the first match. Any other selector is evaluated
through its XPath translation.
"""

from __future__ import annotations

import re
from copy import deepcopy
from functools import lru_cache
from typing import Callable, Iterator

import cssselect
import lxml.html
from cssselect import HTMLTranslator
from lxml import etree



class Element(lxml.html.HtmlElement):
    """An lxml HTML element that is always true, so ``if cell:`` means "found" (lxml's own is false without children)."""

    # Set on the root by ``parse_html``: every element below it, kept alive.
    descendants: list[Element]

    def __bool__(self) -> bool:
        return True


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_blank_text=False)
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(element=Element, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction)
)


def parse_html(html: str) -> Element:
    """Return the root of an HTML document or fragment given as decoded text.

    The root holds on to a Python object for every element of the tree. lxml
    makes one each time a search visits an element and drops it when the
    search is done; the parsers search the same tree many times, and reusing
    the objects makes each walk about three times faster. The root holds only
    its descendants (none of them refers back to it), so the tree is freed
    when the root is.
    """
    # The text is already decoded: tell lxml so, whatever the page declares.
    data = _XML_DECLARATION.sub("", html, count=1).encode("utf-8", "surrogatepass")
    try:
        root = lxml.html.document_fromstring(data, parser=_PARSER)
    except etree.ParserError:  # nothing but white space and comments
        root = lxml.html.document_fromstring(b"<html></html>", parser=_PARSER)
    root.descendants = list(root.iterdescendants())
    return root


def select(node: Element | None, css: str) -> list[Element]:
    """Return the descendants of ``node`` that match ``css``, in document order."""
    return [] if node is None else _compiled(css)[0](node)


def select_one(node: Element | None, css: str) -> Element | None:
    """Return the first descendant of ``node`` that matches ``css``, or None."""
    return None if node is None else _compiled(css)[1](node)


_ElementTest = Callable[[etree._Element], bool]
# A compiled selector: a function returning all matches below an element, and one returning the first.
_Searchers = tuple[Callable[[etree._Element], list], Callable[[etree._Element], "etree._Element | None"]]


@lru_cache(maxsize=512)
def _compiled(css: str) -> _Searchers:
    """Return the search functions for ``css``: tree walks for the forms the matcher knows, else its XPath translation."""
    matcher = _matcher(css)
    if matcher is not None:
        return _searchers(*matcher)
    xpath = etree.XPath(HTMLTranslator().css_to_xpath(css, prefix="descendant::"))

    def first(node):
        found = xpath(node)
        return found[0] if found else None
    return xpath, first


def xpath_select(node: Element, css: str) -> list[Element]:
    """Return what cssselect's XPath translation of ``css`` finds below ``node`` (what ``select`` must agree with)."""
    return etree.XPath(HTMLTranslator().css_to_xpath(css, prefix="descendant::"))(node)


def _searchers(tags: tuple, test: Callable | None, with_scope: bool) -> _Searchers:
    """Return the search functions walking ``tags`` below an element with ``test`` (None: all match).

    A test that takes the scope gets the element searched from; a single
    attribute test (``td.text4``, ``a[href*="x"]``) is written into the walk
    rather than called per element.
    """
    kind, name, value = getattr(test, "simple", (None, None, None))
    if kind == "token":  # [name~=value], .value
        def all_token(node):
            return [el for el in node.iterdescendants(*tags)
                    if value in (found := el.get(name) or "") and value in found.translate(_XML_SPACE).split(" ")]

        def first_token(node):
            for el in node.iterdescendants(*tags):
                if value in (found := el.get(name) or "") and value in found.translate(_XML_SPACE).split(" "):
                    return el
            return None
        return all_token, first_token
    if kind == "contains":  # [name*=value]
        def all_containing(node):
            return [el for el in node.iterdescendants(*tags) if value in (el.get(name) or "")]

        def first_containing(node):
            for el in node.iterdescendants(*tags):
                if value in (el.get(name) or ""):
                    return el
            return None
        return all_containing, first_containing
    if kind == "equals":  # [name=value], #value
        def all_equal(node):
            return [el for el in node.iterdescendants(*tags) if el.get(name) == value]

        def first_equal(node):
            for el in node.iterdescendants(*tags):
                if el.get(name) == value:
                    return el
            return None
        return all_equal, first_equal
    if test is None:
        return (lambda node: list(node.iterdescendants(*tags))), (lambda node: next(node.iterdescendants(*tags), None))
    if with_scope:
        def all_below(node):
            return [el for el in node.iterdescendants(*tags) if test(el, node)]

        def first_below(node):
            for el in node.iterdescendants(*tags):
                if test(el, node):
                    return el
            return None
        return all_below, first_below

    def all_passing(node):
        return [el for el in node.iterdescendants(*tags) if test(el)]

    def first_passing(node):
        for el in node.iterdescendants(*tags):
            if test(el):
                return el
        return None
    return all_passing, first_passing


def _matcher(css: str) -> tuple[tuple, Callable | None, bool] | None:
    """Return (tags to walk, test, whether the test takes the scope) for ``css``, or None for forms left to XPath.

    lxml's Element factory as the tag walks every element (no comments or
    processing instructions).
    """
    try:
        selectors = cssselect.parse(css)
    except cssselect.SelectorError:
        return None
    alternatives = []
    for selector in selectors:
        if selector.pseudo_element is not None:
            return None
        compiled = _combined(selector.parsed_tree)
        if compiled is None:
            return None
        alternatives.append(compiled)
    tags = {tag for tag, _, _ in alternatives}
    walk: tuple = (etree.Element,) if None in tags else tuple(sorted(tags))
    if len(alternatives) == 1:
        _, test, with_scope = alternatives[0]
        return walk, test, with_scope
    # A group: the walk visits the union of the tags, so each alternative checks its own tag.
    if any(with_scope for _, _, with_scope in alternatives):
        def any_of_below(el, scope):
            for tag, test, with_scope in alternatives:
                if (tag is None or el.tag == tag) and (test is None or (test(el, scope) if with_scope else test(el))):
                    return True
            return False
        return walk, any_of_below, True
    tokens = [getattr(test, "simple", (None,)) for _, test, _ in alternatives]
    if all(kind == "token" for kind, *_ in tokens) and len({name for _, name, _ in tokens}) == 1:
        return walk, _any_token(tokens[0][1], [(tag, token) for (tag, _, _), (_, _, token) in zip(alternatives, tokens)]), False
    simple = [(tag, test) for tag, test, _ in alternatives]

    def any_of(el):
        for tag, test in simple:
            if (tag is None or el.tag == tag) and (test is None or test(el)):
                return True
        return False
    return walk, any_of, False


def _any_token(name: str, wanted: list[tuple[str | None, str]]) -> _ElementTest:
    """Return a test for a group of ``tag.token`` alternatives on one attribute (``td.a, div.b``): the attribute is read once."""
    def any_token(el):
        value = el.get(name)
        if not value:
            return False
        split = None
        for tag, token in wanted:
            if (tag is None or el.tag == tag) and token in value:
                if split is None:
                    split = value.translate(_XML_SPACE).split(" ")
                if token in split:
                    return True
        return False
    return any_token


def _with_tag(tag: str | None, test: Callable | None, with_scope: bool) -> Callable:
    if with_scope:
        return test if tag is None else lambda el, scope: el.tag == tag and test(el, scope)
    if test is None:
        return (lambda el, scope: True) if tag is None else lambda el, scope: el.tag == tag
    return (lambda el, scope: test(el)) if tag is None else lambda el, scope: el.tag == tag and test(el)


def _combined(tree) -> tuple[str | None, Callable | None, bool] | None:
    """Return (tag or None, test, whether it takes the scope) for a selector with `` `` and ``>`` combinators.

    The test does not check the tag (the walk does). As in cssselect's
    translation (``descendant::A/descendant::B``), the elements a combinator
    climbs to must lie below the element searched from.
    """
    if not isinstance(tree, cssselect.parser.CombinedSelector):
        compound = _compound(tree)
        return None if compound is None else (*compound, False)
    right = _compound(tree.subselector)
    left = _combined(tree.selector)
    if right is None or left is None or tree.combinator not in (" ", ">"):
        return None
    tag, right_test = right
    left_test = _with_tag(*left)
    if tree.combinator == ">":
        def child_of(el, scope):
            if right_test is not None and not right_test(el):
                return False
            parent = el.getparent()
            return parent is not None and parent is not scope and left_test(parent, scope)
        return tag, child_of, True

    def descendant_of(el, scope):
        if right_test is not None and not right_test(el):
            return False
        for up in el.iterancestors():
            if up is scope:
                return False
            if left_test(up, scope):
                return True
        return False
    return tag, descendant_of, True


def _compound(tree) -> tuple[str | None, _ElementTest | None] | None:
    """Return (tag or None, test of the rest or None) for ``td.a[href]:not(.b)``, or None for other forms."""
    tests: list[_ElementTest] = []
    while not isinstance(tree, cssselect.parser.Element):
        if isinstance(tree, cssselect.parser.Class):
            test = _token_test("class", tree.class_name)
        elif isinstance(tree, cssselect.parser.Hash):
            test = _equals_test("id", tree.id)
        elif isinstance(tree, cssselect.parser.Attrib):
            test = _attribute_test(tree)
        elif isinstance(tree, cssselect.parser.Negation):
            inner = _compound(tree.subselector)
            if inner is None:
                return None
            test = _negation_test(*inner)
        else:
            return None  # pseudo-classes, functions: left to XPath
        if test is None:
            return None
        tests.insert(0, test)
        tree = tree.selector
    if tree.namespace is not None:
        return None
    tag = tree.element.lower() if tree.element else None
    if not tests:
        return tag, None
    if len(tests) == 1:
        return tag, tests[0]
    if len(tests) == 2:
        first, second = tests
        return tag, lambda el: first(el) and second(el)
    return tag, lambda el: all(test(el) for test in tests)


def _negation_test(tag: str | None, test: _ElementTest | None) -> _ElementTest:
    if tag is None:
        return (lambda el: False) if test is None else lambda el: not test(el)
    if test is None:
        return lambda el: el.tag != tag
    return lambda el: not (el.tag == tag and test(el))


# XPath's normalize-space() folds these, and only these, into spaces.
_XML_SPACE = str.maketrans("\t\n\r", "   ")
_CSS_SPACE = re.compile(r"[ \t\r\n\f]")


def _token_test(name: str, token: str) -> _ElementTest | None:
    """Return a test for ``[name~=token]`` (``.token`` for ``class``)."""
    if not token or _CSS_SPACE.search(token):
        return None

    def has_token(el):
        value = el.get(name)
        return value is not None and token in value and token in value.translate(_XML_SPACE).split(" ")
    has_token.simple = ("token", name, token)  # type: ignore[attr-defined]  # lets the walk test it inline
    return has_token


def _equals_test(name: str, expected: str) -> _ElementTest:
    def equals(el):
        return el.get(name) == expected
    equals.simple = ("equals", name, expected)  # type: ignore[attr-defined]
    return equals


def _attribute_test(attrib) -> _ElementTest | None:
    if attrib.namespace is not None or attrib.flag is not None:
        return None
    name = attrib.attrib.lower()
    if attrib.operator == "exists":
        return lambda el: el.get(name) is not None
    value = attrib.value.value
    if attrib.operator == "=":
        return _equals_test(name, value)
    if attrib.operator == "~=":
        return _token_test(name, value)
    if not value:
        return None  # cssselect makes "[a^='']" and the like match nothing; leave such oddities to it
    if attrib.operator == "^=":
        return lambda el: (el.get(name) or "").startswith(value)
    if attrib.operator == "$=":
        return lambda el: (el.get(name) or "").endswith(value)
    if attrib.operator == "*=":
        def contains(el):
            return value in (el.get(name) or "")
        contains.simple = ("contains", name, value)  # type: ignore[attr-defined]
        return contains
    if attrib.operator == "|=":
        prefix = value + "-"
        return lambda el: (found := el.get(name)) is not None and (found == value or found.startswith(prefix))
    return None


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
    walk = node.iterdescendants(*_walked_tags(tag))
    checks = _attribute_checks(attrs)
    if not checks:
        return list(walk)
    if len(checks) == 1:  # the common case, tested here rather than in a call per element
        name, test = checks[0]
        if isinstance(test, str):
            return [el for el in walk if el.get(name) == test]
        if isinstance(test, re.Pattern):
            return [el for el in walk if (value := el.get(name)) is not None and test.search(value)]
        if test is True:
            return [el for el in walk if el.get(name) is not None]
    return [el for el in walk if _passes(el, checks)]


def find(node: Element | None, tag: str | tuple[str, ...] | list[str] | None = None, **attrs: object) -> Element | None:
    """Return the first descendant ``find_all`` would return, or None."""
    if node is None:
        return None
    walk = node.iterdescendants(*_walked_tags(tag))
    checks = _attribute_checks(attrs)
    if not checks:
        return next(walk, None)
    if len(checks) == 1:  # the common case, tested here rather than in a call per element
        name, test = checks[0]
        if isinstance(test, str):
            return next((el for el in walk if el.get(name) == test), None)
        if isinstance(test, re.Pattern):
            return next((el for el in walk if (value := el.get(name)) is not None and test.search(value)), None)
        if test is True:
            return next((el for el in walk if el.get(name) is not None), None)
    return next((el for el in walk if _passes(el, checks)), None)


def _walked_tags(tag: str | tuple[str, ...] | list[str] | None) -> tuple:
    # No tag: every element (lxml's Element factory leaves out comments and processing instructions).
    if isinstance(tag, str):
        return (tag,)
    return tuple(tag) if tag else (etree.Element,)


def _attribute_checks(attrs: dict[str, object]) -> list[tuple[str, object]]:
    return [(_attr_name(name), test) for name, test in attrs.items()]


def _passes(el: Element, checks: list[tuple[str, object]]) -> bool:
    for name, test in checks:
        if not _attr_matches(el.get(name), test):
            return False
    return True


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


def ancestor(node: Element, tag: str, class_: str | None = None, up_to: Element | None = None) -> Element | None:
    """Return the nearest ancestor with tag ``tag`` (and class ``class_``), or None; not above ``up_to`` when given."""
    if up_to is None:
        for el in node.iterancestors(tag):
            if class_ is None or class_ in classes(el):
                return el
        return None
    for el in node.iterancestors():
        if el.tag == tag and (class_ is None or class_ in classes(el)):
            return el
        if el is up_to:
            return None
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
    top = root.getroottree().getroot()
    return next((el for el in top.iter(etree.Element) if el.get("id") == element_id), None)
