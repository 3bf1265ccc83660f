"""Committees and their members: the committee list ``gr0040`` and the member list ``kp0040``."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from schemas.items import Item, Meeting, Membership, Organization, Person
from spiders.dialects.base import Link, Parsed, ParseError
from spiders.dialects.html import Element, classes, select, select_one
from spiders.dialects.html_text import one_line
from spiders.dialects.sessionnet.context import PageContext, param, unique_items, unique_links
from spiders.dialects.sessionnet.links import MEETING_LINK, details_title


def parse_gr0040(ctx: PageContext) -> Parsed:
    """Return an Organization per row of the committee list, its last meeting, and the member lists to follow.

    Committees and factions share the list; the page does not say which is
    which, so ``organizationType`` stays empty. A row without a member-list link
    ("Dringlichkeitssitzung") still names its number in the meetings link
    (``__ksigrnr``).
    """
    table = select_one(ctx.soup, "table[id^=smc_page_gr0040_contenttable]")
    if table is None:
        raise ParseError(f"SessionNet gr0040 page without table#smc_page_gr0040_contenttable1: {ctx.page.url}")
    items: list[Item] = []
    follow: list[Link] = []
    for tr in select(table, "tr"):
        cell = select_one(tr, "td.grname")
        if cell is None:
            continue
        member_a = select_one(cell, 'a[href*="__kgrnr="]')
        grnr = param(member_a.get("href"), "__kgrnr") if member_a else None
        if grnr is None:
            grnr = next((param(a.get("href"), k) for a in select(tr, "a[href]") for k in ("__ksigrnr", "__kgsgrnr", "__kgrnr")
                         if param(a.get("href"), k)), None)
        if grnr is None:
            continue
        name = one_line(cell)
        items.append(Organization(**ctx.common(), systemId=grnr, name=name))
        if member_a is not None:
            follow.append(Link(url=ctx.program_url("kp0040", __kgrnr=grnr), kind="kp0040"))
        # The "last meeting" link is the one place that ties a meeting to its
        # committee's number (meeting pages name the committee only in words).
        for a in select(tr, "td.silast a[href]"):
            m = MEETING_LINK.search(a.get("href"))
            if m:
                _, title_date = details_title(a)
                items.append(Meeting(**ctx.common(), systemId=m.group(2), organization=grnr, organizationName=name,
                                     dateRaw=title_date or one_line(a)))
    organizations = sum(isinstance(i, Organization) for i in items)
    return Parsed(items=unique_items(items), follow=unique_links(follow), fields_seen={"organizations": organizations > 0})


def parse_kp0040(ctx: PageContext) -> Parsed:
    """Return the committee, its members (Persons) and their Memberships.

    Group header rows ("Vorsitz:", "Ausschussmitglieder mit Stimmrecht:",
    "… mit beratender Stimme:") give the voting right and, where they name a
    function rather than a kind of member, the role. Members without a person
    page (sachkundige Bürger) get the id "<kgrnr>-<name slug>". The second table
    ("Mitgliedschaft beendet") holds ended memberships with their dates.
    """
    grnr = ctx.id_from_page("__kgrnr")
    if not grnr:
        raise ParseError(f"SessionNet kp0040 page without __kgrnr: {ctx.page.url}")
    tables = select(ctx.soup, "table[id^=smc_page_kp0040_contenttable]")
    if not tables:
        raise ParseError(f"SessionNet kp0040 page without table#smc_page_kp0040_contenttable1: {ctx.page.url}")
    items: list[Item] = [Organization(**ctx.common(), systemId=grnr, name=one_line(select_one(ctx.soup, "h1.smc_h1")))]
    membership_ids: set[str] = set()
    for table in tables:
        header = ""
        for tr in select(table, "tr"):
            head_cell = select_one(tr, "td[class*=puname]")
            if head_cell is not None:
                header = one_line(head_cell) or ""
                continue
            name_cell = select_one(tr, "td.pename")
            if name_cell is None:
                continue
            items += _member(ctx, grnr, tr, name_cell, header, membership_ids)
    persons = sum(isinstance(i, Person) for i in items)
    return Parsed(items=unique_items(items), fields_seen={"members": persons > 0})


def _member(ctx: PageContext, grnr: str, tr: Element, name_cell: Element, header: str, membership_ids: set[str]) -> list[Item]:
    name = one_line(name_cell)
    if not name:
        return []
    person_a = select_one(name_cell, 'a[href*="__kpenr="]')
    person_id = param(person_a.get("href"), "__kpenr") if person_a else f"{grnr}-{_slug(name)}"
    amname = one_line(_first_cell(tr, "amname"))
    party = one_line(_first_cell(tr, "pepartei"))
    start, end = _date(one_line(_first_cell(tr, "mgadat"))), _date(one_line(_first_cell(tr, "mgedat")))
    membership_id = f"{grnr}-{person_id}" + (f"-{start.isoformat()}" if end else "")
    while membership_id in membership_ids:
        membership_id += "+"
    membership_ids.add(membership_id)
    person = Person(**ctx.common(), systemId=person_id, name=name)
    membership = Membership(
        **ctx.common(),
        systemId=membership_id,
        person=person_id,
        organization=grnr,
        role=_member_role(header, amname),
        votingRight=_voting_right(header, amname),
        startDate=start,
        endDate=end,
        onBehalfOfName=party,
    )
    return [person, membership]


def _first_cell(tr: Element, cls: str) -> Element | None:
    """Return the row's cell of this class, skipping the duplicate SessionNet prints for small screens."""
    for td in select(tr, f"td.{cls}"):
        if "smc-table-cell-block-991" not in classes(td):
            return td
    return None


def _member_role(header: str, amname: str | None) -> str | None:
    """Return the member's role: the group header where it names a function ("Vorsitz"), else "Art der Mitarbeit"."""
    function = header.rstrip(":").strip()
    if function and not re.search(r"mitglied|stimm", function, re.I):
        return function
    return amname


def _voting_right(header: str, amname: str | None) -> bool | None:
    both = f"{header} {amname or ''}"
    if re.search(r"beratend", both, re.I):
        return False
    if re.search(r"mit Stimmr", both, re.I):
        return True
    return None


def _slug(name: str) -> str:
    """Return a lower-case ASCII slug of a name ("Frauke Däumer" → "frauke-daeumer")."""
    text = name.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _date(raw: str | None) -> dt.date | None:
    m = re.search(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", raw or "")
    return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else None
