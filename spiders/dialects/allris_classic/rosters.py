"""``au020`` / ``fr020`` roster pages: the committee or faction, its Persons and Memberships; person names split."""

from __future__ import annotations

import re

from schemas.items import Membership, Organization, Person
from spiders.dialects.allris_classic.doc import Doc, id_in, meta_object_id, url_param
from spiders.dialects.allris_classic.text import line_text
from spiders.dialects.base import ParseError, Parsed
from spiders.dialects.html import ancestor, find, find_all, first_found, select_one

_NAME_TITLES = re.compile(r"^((?:Prof\.|Dr\.(?:\s?[a-z]+\.)*|Dipl\.-[\wäöü]+\.?)\s+)+")
_NAME_PARTICLES = frozenset(("von", "van", "de", "der", "den", "zu", "vom", "zur", "ten", "ter", "di", "da", "del"))


def split_person_name(name: str | None) -> tuple[str | None, str | None, list[str] | None]:
    """Return (familyName, givenName, titles) of "Nachname, Vorname" or "Vorname Nachname"."""
    if not name:
        return None, None, None
    titles: list[str] = []
    rest = name.strip()
    if "," in rest:
        family, given = (part.strip() for part in rest.split(",", 1))
        leading = _NAME_TITLES.match(given)
        if leading:
            titles = leading.group(0).split()
            given = given[leading.end():].strip()
        return family or None, given or None, titles or None
    leading = _NAME_TITLES.match(rest)
    if leading:
        titles = leading.group(0).split()
        rest = rest[leading.end():].strip()
    tokens = rest.split()
    if not tokens:
        return None, None, titles or None
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].lower() in _NAME_PARTICLES:
        start -= 1
    family = " ".join(tokens[start:])
    given = " ".join(tokens[:start]) or None
    return family, given, titles or None


def parse_roster(doc: Doc, prefix: str, id_param: str, organization_type: str) -> Parsed:
    """Return the Organization, its Persons and Memberships of an ``au020`` / ``fr020`` page."""
    number = meta_object_id(doc) or url_param(doc.page.url, id_param) or id_in(doc.soup, id_param)
    if not number:
        raise ParseError(f"{doc.page.url}: roster page without {id_param}")
    org_id = f"{prefix}-{number}"
    name = line_text(first_found(select_one(doc.soup, "#risname h1, #risname_raw h1, h1.title"), find(doc.soup, "h1")))
    organization = Organization(**doc.base(org_id), name=name, organizationType=organization_type)
    persons: dict[str, Person] = {}
    memberships: list[Membership] = []
    seen_ids: dict[str, int] = {}
    for link in find_all(doc.soup, "a", href=re.compile(r"kp020", re.I)):
        kplfdnr = url_param(link.get("href"), "KPLFDNR")
        row = ancestor(link, "tr")
        if not kplfdnr or row is None:
            continue
        person_name = line_text(link)
        family, given, titles = split_person_name(person_name)
        persons.setdefault(
            kplfdnr,
            Person(**doc.base(kplfdnr), name=person_name, familyName=family, givenName=given, title=titles),
        )
        membership_id = f"{org_id}-{kplfdnr}"
        seen_ids[membership_id] = seen_ids.get(membership_id, 0) + 1
        if seen_ids[membership_id] > 1:  # the same person in a second role
            membership_id = f"{membership_id}-{seen_ids[membership_id]}"
        memberships.append(
            Membership(
                **doc.base(membership_id),
                person=kplfdnr,
                organization=org_id,
                role=line_text(select_one(row, "td.text1")),
                onBehalfOfName=line_text(select_one(row, "td.text4")),
            )
        )
    if not (name or memberships):
        raise ParseError(f"{doc.page.url}: roster page without name and members")
    fields_seen = {"name": bool(name), "members": bool(memberships)}
    return Parsed(items=[organization, *persons.values(), *memberships], fields_seen=fields_seen)
