"""Links from one SessionNet page to another: meetings, Vorlagen, Anträge and the Beratungen tab.

A meeting link's title ("Details anzeigen: <Gremium> <dd.mm.yyyy>") is often
the only place a page names the meeting's committee and date, so it is read here too.
"""

from __future__ import annotations

import re

from spiders.dialects.base import Link, join_url
from spiders.dialects.html import Element, select, select_one
from spiders.dialects.html_text import one_line
from spiders.dialects.sessionnet.context import PageContext, param, unique_links

MEETING_LINK = re.compile(r"\b(si0050|si0056|si0057|to0040)\.(?:asp|php)\?(?:[^\"'#]*&)?__ksinr=(\d+)")
_DETAILS_TITLE = re.compile(r"^\s*Details anzeigen:\s*(.*?)\s+(\d{1,2}\.\d{1,2}\.\d{4})\s*$")
_PROGRAM_HREF = re.compile(r"(?:^|/)([a-z]{2}\d{4})\.(?:asp|php)\b", re.I)
_VORLAGE_LINK = 'a[href*="vo0050."][href*="__kvonr="]'
_ANTRAG_LINK = 'a[href*="ag0050."][href*="__kagnr="]'


def antrag_id(kagnr: str) -> str:
    """Return the Paper id of an Antrag: "ag-<kagnr>", since ``__kagnr`` and ``__kvonr`` count separately."""
    return f"ag-{kagnr}"


def linked_paper(scope: Element) -> tuple[str | None, Element | None]:
    """Return (Paper id, link) of the paper an agenda row or TOP page links, else (None, None).

    A Vorlage comes before an Antrag: an item that names both is about the
    Vorlage (the administration's paper on the Antrag); the Antrag is still followed.
    """
    a = select_one(scope, _VORLAGE_LINK)
    if a is not None:
        return param(a.get("href"), "__kvonr"), a
    a = select_one(scope, _ANTRAG_LINK)
    if a is not None:
        kagnr = param(a.get("href"), "__kagnr")
        return (antrag_id(kagnr) if kagnr else None), a
    return None, None


def paper_links(ctx: PageContext, scope: Element) -> list[Link]:
    """Return a vo0050 or ag0050 Link for every Vorlage and Antrag linked in ``scope``, in page order."""
    links = []
    for a in select(scope, f"{_VORLAGE_LINK}, {_ANTRAG_LINK}"):
        kvonr, kagnr = param(a.get("href"), "__kvonr"), param(a.get("href"), "__kagnr")
        if "vo0050." in a.get("href") and kvonr:
            links.append(Link(url=ctx.program_url("vo0050", __kvonr=kvonr), kind="vo0050"))
        elif kagnr:
            links.append(Link(url=ctx.program_url("ag0050", __kagnr=kagnr), kind="ag0050"))
    return unique_links(links)


def meeting_link(ctx: PageContext, ksinr: str, scope: Element) -> Link:
    """Return the agenda page of a meeting, preferring what the page links (si0057, si0056 or to0040)."""
    anchors = [scope] if scope.tag == "a" else select(scope, "a[href]")
    programs = {m.group(1) for a in anchors for m in [MEETING_LINK.search(a.get("href") or "")] if m}
    fallback = ctx.program_url("to0040", __ksinr=ksinr)
    if "si0057" in programs or not programs or programs == {"si0050"}:
        return Link(url=ctx.program_url("si0057", __ksinr=ksinr), kind="si0057", meta={"fallback": fallback})
    if "to0040" in programs:
        return Link(url=fallback, kind="to0040")
    return Link(url=ctx.program_url("si0056", __ksinr=ksinr), kind="si0056", meta={"fallback": fallback})


def details_title(a: Element | None) -> tuple[str | None, str | None]:
    """Return (committee, date) from a meeting link title "Details anzeigen: <Gremium> <dd.mm.yyyy>"."""
    if a is None:
        return None, None
    m = _DETAILS_TITLE.match(a.get("title", ""))
    return (m.group(1) or None, m.group(2)) if m else (None, None)


def consultations_tab_links(ctx: PageContext, program: str) -> list[Link]:
    """Return the page's "Beratungen" tab as a Link of the kind its address names (``ag0053`` …).

    The address is the one the tab links: what program shows an Antrag's
    consultations is the install's choice, not ours to guess.
    """
    links = []
    for a in select(ctx.soup, "#smcregister a[href]"):
        m = _PROGRAM_HREF.search(a.get("href"))
        label = f"{one_line(a) or ''} {a.get('title', '')}"
        if m and m.group(1).lower() != program and re.search(r"Beratung", label, re.I):
            links.append(Link(url=join_url(ctx.page.url, a.get("href").replace("&amp;", "&")), kind=m.group(1).lower()))
    return links
