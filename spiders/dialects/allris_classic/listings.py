"""Listing pages (``fr010``, ``au010``, ``vo040``): Links to the pages they list, with what the rows say of each."""

from __future__ import annotations

import re
from typing import Callable

from spiders.dialects.allris_classic.doc import Doc, absolute_url, url_param
from spiders.dialects.allris_classic.text import line_text, node_text
from spiders.dialects.base import Link, Parsed
from spiders.dialects.html import Element, ancestor, find, find_all, select, select_one


def listing_parser(
    target_kind: str, program: str, id_param: str, meta_of: Callable[[Element, Element | None], dict]
) -> Callable[[Doc], Parsed]:
    """Return a parser for a listing page that follows links to ``program`` pages."""

    def parse_listing(doc: Doc) -> Parsed:
        links: list[Link] = []
        seen: set[str] = set()
        for link in find_all(doc.soup, "a", href=re.compile(program, re.I)):
            number = url_param(link.get("href"), id_param)
            if not number or number in seen:
                continue
            seen.add(number)
            links.append(Link(absolute_url(doc, link.get("href")), target_kind, meta_of(link, ancestor(link, "tr"))))
        for form in select(doc.soup, f'form[action*="{program}"]'):
            field = find(form, "input", name=id_param)
            number = field.get("value") if field is not None else None
            if number and number not in seen:
                seen.add(number)
                links.append(Link(absolute_url(doc, f"{program}.asp?{id_param}={number}"), target_kind, {}))
        return Parsed(follow=links, fields_seen={"links": bool(links)})

    return parse_listing


def paper_list_meta(link: Element, row: Element | None) -> dict:
    """Return what a ``vo040`` row says of a paper: reference, name, date, paper type."""
    text = node_text(link, keep_newlines=True)
    reference, _, name = text.replace("\u00a0", " ", 1).partition(" ")
    cells = select(row, "td.text2") if row is not None else []
    return {
        "reference": reference or None,
        "name": name.strip() or None,
        "dateRaw": line_text(cells[0]) if cells else None,
        "paperType": line_text(cells[1]) if len(cells) > 1 else None,
    }


def organization_list_meta(link: Element, row: Element | None) -> dict:
    """Return what an ``au010`` / ``fr010`` row says of an organization: name and note."""
    note = line_text(select_one(row, "td.text5")) if row is not None else None
    return {"name": line_text(link), "note": note}
