"""OParl list pages: their objects, the Body's lists to walk, and the guarded step to ``links.next``.

Each list is followed page by page through ``links.next``; page URLs are
never built here. A link to the next page hands on the walk's context (list
name, list URL, page number, the recent pages and the ids of this page), so
that ``next_page`` can stop a walk that loops or repeats itself.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from spiders.dialects.base import Link
from spiders.dialects.oparl.lenient import as_bool, as_int, as_list, as_url, clean_text
from spiders.dialects.oparl.objects import ObjectItems
from spiders.dialects.oparl.vocabulary import LIST_TYPES, MANDATORY_LISTS, OPTIONAL_LISTS, list_of_type, type_from_url, type_name

# A list walk keeps this many recent page URLs to refuse a ``next`` that loops back.
RECENT_PAGES = 20
# Fields whose share on list pages feeds the parse-rate watch.
_EXPECTED_FIELDS = {
    "Paper": ("name", "reference"),
    "Meeting": ("name", "start"),
    "Organization": ("name",),
    "Person": ("name",),
}


def is_list_page(data: Any) -> bool:
    """Return whether a decoded document is a list page (``data`` without ``id``, or a bare array)."""
    # Sternberg answers [] instead of an empty page when a filter matches nothing.
    return isinstance(data, list) or (isinstance(data, dict) and "data" in data and "id" not in data)


def list_entries(data: Any) -> list:
    """Return the objects of a list page."""
    return as_list(data.get("data")) if isinstance(data, dict) else as_list(data)


def list_name(entries: list, url: str, context: dict) -> str | None:
    """Return which Body list a page belongs to: from the walk, else its objects' type, else its URL."""
    if context.get("list"):
        return context["list"]
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("type"), str):
            kind = type_name(entry, None)
            return list_of_type(kind)
    return list_of_type(type_from_url(url))


def parse_list_page(out: ObjectItems, data: Any, url: str, context: dict, fields_seen: dict[str, bool]) -> None:
    """Add a list page's objects (or a Body list's lists to walk) and the link to its next page."""
    entries = list_entries(data)
    name = list_name(entries, url, context)
    expected = LIST_TYPES.get(name or "")
    if expected == "Body":
        for entry in entries:
            if isinstance(entry, dict):
                follow_body_lists(out, entry, context)
    else:
        for position, entry in enumerate(entries, 1):
            out.where = f"entry {position} of the list page {url}"
            out.add(entry, expected)
    wanted = _EXPECTED_FIELDS.get(expected or "")
    live = [e for e in entries if isinstance(e, dict) and not as_bool(e.get("deleted"))]
    if wanted and live:
        for field_name in wanted:
            fields_seen[field_name] = any(clean_text(e.get(field_name)) for e in live)
    next_url, _ = next_page(data, url, context)
    if next_url:
        out.follow.append(
            Link(
                next_url,
                "list",
                meta=carry(
                    context,
                    list=name,
                    listUrl=context.get("listUrl") or url,
                    page=page_number(data, context) + 1,
                    recent=[*(context.get("recent") or []), url][-RECENT_PAGES:],
                    prevIds=page_id_digests(entries),
                ),
            )
        )


def page_number(data: Any, context: dict) -> int:
    """Return the number of a list page: the walk's count, else the server's ``currentPage``, else 1."""
    pagination = data.get("pagination") if isinstance(data, dict) and isinstance(data.get("pagination"), dict) else {}
    return int(context.get("page") or as_int(pagination.get("currentPage")) or 1)


def follow_body_lists(out: ObjectItems, body: dict, context: dict) -> None:
    """Add links to the first pages of a Body's lists (those the crawl wants, default all it knows)."""
    if as_bool(body.get("deleted")):
        return
    body_id = as_url(body.get("id"))
    wanted = context.get("lists") or (*MANDATORY_LISTS, *OPTIONAL_LISTS)
    for name in wanted:
        list_url = as_url(body.get(name))
        if list_url:
            out.follow.append(Link(list_url, "list", meta=carry(context, list=name, listUrl=list_url, body=body_id, page=1)))


def carry(context: dict, **fields: Any) -> dict[str, Any]:
    """Return the context a followed link hands on: crawl-wide keys plus ``fields``."""
    kept = {k: context[k] for k in ("vendor", "lists") if context.get(k)}
    return {**kept, **fields}


def page_id_digests(entries: list) -> list[str]:
    """Return short digests of the object ids on a list page (to notice a repeated page)."""
    ids = (as_url(e.get("id")) if isinstance(e, dict) else as_url(e) for e in entries)
    return [hashlib.blake2b(i.encode(), digest_size=6).hexdigest() for i in ids if i]


def next_page(data: Any, url: str, context: dict) -> tuple[str | None, str | None]:
    """Return (the next page to fetch, why the walk stops before the list's end).

    The walk follows ``links.next`` only. It stops safely, and says why, when
    ``next`` leads to another host, when it points to the page itself or to a page already walked, when a
    page brings no ids the previous page did not have, when an empty page
    still has a ``next`` (unless the pagination says more pages follow), and
    when there are far more pages than the server announced. No ``next`` is
    the regular end: (None, None).
    """
    if not isinstance(data, dict) or not isinstance(data.get("links"), dict):
        return None, None
    links = data["links"]
    target = as_url(links.get("next"))
    if not target:
        return None, None
    if (urlsplit(target).hostname or "").lower() != (urlsplit(url).hostname or "").lower():
        # A list's pages come from the list's server; another host's objects are not this list's.
        return None, f"next link {target} leads to another host than the list page {url}"
    if target in {url, as_url(links.get("self"))}:
        return None, f"next link {target} is the page itself"
    if target in (context.get("recent") or []):
        return None, f"next link {target} leads back to a page already walked"
    digests = page_id_digests(list_entries(data))
    previous = set(context.get("prevIds") or [])
    if digests and previous and set(digests) <= previous:
        return None, f"page {url} repeats the objects of the page before"
    pagination = data.get("pagination") if isinstance(data.get("pagination"), dict) else {}
    total, current = as_int(pagination.get("totalPages")), as_int(pagination.get("currentPage"))
    if not digests and not (total and current and current < total):
        return None, f"page {url} is empty but has a next link"
    number = page_number(data, context)
    if total and number > 2 * total + 10:
        return None, f"walked {number} pages, the server announced {total}"
    return target, None


# Query parameters that number list pages (Sternberg/SessionNet ``page``, ALLRIS .asp ``p``).
_PAGE_PARAMETERS = ("page", "p", "pageNumber")


def page_of_url(url: str) -> tuple[str, int] | None:
    """Return (the URL without its page number, the page number) when the query numbers the page, else None."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    for key in _PAGE_PARAMETERS:
        values = [v for k, v in pairs if k == key]
        if len(values) == 1 and values[0].isdigit():
            rest = sorted((k, v) for k, v in pairs if k != key)
            return f"{parts.scheme}://{parts.netloc}{parts.path}?{rest}", int(values[0])
    return None


__all__ = [
    "RECENT_PAGES",
    "carry",
    "follow_body_lists",
    "is_list_page",
    "list_entries",
    "list_name",
    "next_page",
    "page_id_digests",
    "page_number",
    "page_of_url",
    "parse_list_page",
]
