"""A decoded OParl document (System, Body, list page or object) as items and links, and its page kind.

The crawl walks System → Body list → Body → the Body's lists (organization,
person, meeting, paper; and the 1.1 lists membership, agendaItem,
consultation, file where the Body names them) → their objects. Referenced
objects are not fetched (dangling references become stub rows at load time).
"""

from __future__ import annotations

import logging
from typing import Any, NamedTuple

from spiders.dialects.base import Link, Page, Parsed, ParseError
from spiders.dialects.oparl.lenient import as_url, clean_text
from spiders.dialects.oparl.lists import carry, follow_body_lists, is_list_page, list_entries, list_name, parse_list_page
from spiders.dialects.oparl.objects import MAPPED_TYPES, ObjectItems, Parent
from spiders.dialects.oparl.servers import system_summary
from spiders.dialects.oparl.vocabulary import type_name

logger = logging.getLogger(__name__)


class KnownKind(NamedTuple):
    """The page kind of the page parsed last, keyed by the identity of its text and its URL."""

    textId: int
    url: str
    kind: str | None


# The spider asks page_kind right after parse for the same page: remembering the
# kind spares decoding a large list page twice.
_last_kind: KnownKind | None = None


def parse_decoded(page: Page, data: Any, source: str, context: dict, out: ObjectItems | None = None) -> Parsed:
    """Return the items and links of a page already decoded to ``data``, remembering its kind.

    ``out`` collects, besides items and links, what could not become an item
    (``ObjectItems.problems``); without it such problems are logged.
    """
    global _last_kind
    parsed = parse_document(data, page.url, source, context, out)
    _last_kind = KnownKind(id(page.text), page.url, document_kind(data, page.url, context))
    return parsed


def known_kind(page: Page) -> KnownKind | None:
    """Return the remembered kind when ``page`` is the page parsed last, else None."""
    if _last_kind is not None and _last_kind.textId == id(page.text) and _last_kind.url == page.url:
        return _last_kind
    return None


def parse_document(data: Any, url: str, source: str, context: dict, out: ObjectItems | None = None) -> Parsed:
    """Return the items and links of a decoded OParl document (collected in ``out`` when given)."""
    own = out is None
    out = ObjectItems(source) if out is None else out
    out.where = f"the object at {url}"
    fields_seen: dict[str, bool] = {}
    if is_list_page(data):
        parse_list_page(out, data, url, context, fields_seen)
    elif isinstance(data, dict):
        kind = type_name(data, context.get("expect"), url)
        if kind == "Error":
            raise ParseError(f"the server answered with an OParl Error: {clean_text(data.get('message'))}")
        if kind == "System":
            system = system_summary(data)
            body_list = as_url(data.get("body"))
            if body_list:
                out.follow.append(Link(body_list, "list", meta=carry(context, list="body", listUrl=body_list, page=1, vendor=system["family"])))
        elif kind == "Body":
            follow_body_lists(out, data, context)
        elif kind in MAPPED_TYPES:
            out.add(data, kind, _parent_from_context(context))
        elif kind is None:
            raise ParseError("not an OParl document: no type, no data list")
    else:
        raise ParseError(f"not an OParl document: top-level {type(data).__name__}")
    if own:
        for problem in out.problems:
            logger.warning("%s: %s", url, problem)
    return Parsed(items=out.items, follow=_unique(out.follow), fields_seen=fields_seen)


def document_kind(data: Any, url: str, context: dict) -> str | None:
    """Return the page kind of a decoded OParl document."""
    if is_list_page(data):
        name = list_name(list_entries(data), url, context)
        return f"{name}_list" if name else "list"
    if isinstance(data, dict):
        kind = type_name(data, None, url)
        if kind:
            return kind[0].lower() + kind[1:]
    return None


def _parent_from_context(context: dict) -> Parent | None:
    """Return the parent an object fetched on its own was embedded in (carried by its link)."""
    if context.get("parentType") and context.get("parent"):
        return Parent(context["parentType"], context["parent"], context.get("role"), context.get("position"))
    return None


def _unique(links: list[Link]) -> list[Link]:
    """Return the links with each (url, kind) once, the first kept."""
    seen: set[tuple[str, str]] = set()
    out = []
    for link in links:
        if (link.url, link.kind) not in seen:
            seen.add((link.url, link.kind))
            out.append(link)
    return out


__all__ = ["KnownKind", "document_kind", "known_kind", "parse_decoded", "parse_document"]
