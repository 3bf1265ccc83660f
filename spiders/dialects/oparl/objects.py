"""OParl objects as items, one builder per type; embedded objects become items of their own.

Mapping: the object's URL (``id``) is the item's ``systemId`` (and ``url``);
OParl fields map to the item fields of the same name. Where an item has one
reference and OParl a list (``Meeting.organization``,
``Consultation.organization``), the first entry is kept: OParl orders them
with the lead committee first.

Objects embedded in others (Consultation in Paper, AgendaItem in Meeting,
Membership in Person, File in Paper/Meeting/AgendaItem) become items with a
reference to their parent ("externalize"), as in the HTML dialects.
``AgendaItem.order`` is the 0-based position in the meeting (as the spec
defines it and every dialect counts); ``Consultation.position`` /
``File.position`` count from 1 in every dialect; the vendor's own ``order``
numbers are not comparable (``100001`` at CC e-gov, 1-based at SOMACOS,
absent in 1.0). An object of an embedded type that a server gives as a bare
URL instead of embedding it becomes a link to fetch. Tombstones
(``deleted: true``) become items with ``deleted=True``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable

from pipelines.normalise.dates import BERLIN
from schemas.items import AgendaItem, Consultation, File, Item, Meeting, Membership, Organization, Paper, Person
from spiders.dialects.base import Link
from spiders.dialects.oparl.lenient import (
    as_bool,
    as_int,
    as_list,
    as_url,
    as_urls,
    clean_text,
    first_url,
    mime_type,
    parse_datetime,
    parse_day,
    parse_stamp,
)
from spiders.dialects.oparl.vocabulary import NAME, type_name


@dataclass(frozen=True)
class Parent:
    """The object an embedded object sits in, and where (list role, 1-based position)."""

    type: str
    id: str | None  # None: the parent has no id (its embedded objects are kept all the same)
    role: str | None = None
    position: int | None = None


class ObjectItems:
    """Collects the items and links of one page, and what on it could not become an item.

    ``problems`` names every object of a mapped type that has no ``id`` (its
    place on the page, its type); the objects embedded in it that have ids are
    kept. ``partial_parents`` are the ids of objects with an embedded object
    that has no id: their embedded lists were not seen in full, so nothing
    may be concluded from what they lack. ``where`` is set by the list-page
    reader to name the entry being read.
    """

    def __init__(self, source: str):
        self.source = source
        self.items: list[Item] = []
        self.follow: list[Link] = []
        self.problems: list[str] = []
        self.partial_parents: set[str] = set()
        self.where = "the page's object"

    def base(self, obj: dict, object_id: str) -> dict[str, Any]:
        """Return the fields every item of an object carries (ids, dates, deleted)."""
        return {
            "source": self.source,
            "system": NAME,
            "systemId": object_id,
            "url": object_id,
            "web": as_url(obj.get("web")),
            "deleted": bool(as_bool(obj.get("deleted"))),
            "created": parse_stamp(obj.get("created")),
            "modified": parse_stamp(obj.get("modified")),
        }

    def add(self, obj: Any, expected: str | None, parent: Parent | None = None) -> None:
        """Add the items of one object (and of the objects embedded in it)."""
        if isinstance(obj, str):
            self._fetch_later(obj, expected, parent)
            return
        if not isinstance(obj, dict):
            return
        object_id = as_url(obj.get("id"))
        kind = type_name(obj, expected, object_id)
        if kind not in _BUILDERS:
            return
        if not object_id:
            self._unidentified(obj, kind, parent)
            return
        base = self.base(obj, object_id)
        if base["deleted"]:
            # A tombstone keeps id, type and dates; anything else it carries is
            # placeholder ("" at SessionNet) and must not overwrite what we know.
            self.items.append(_ITEM_CLASSES[kind](**base, **parent_fields(kind, parent, obj)))
            return
        _BUILDERS[kind](self, obj, base, parent)

    def _unidentified(self, obj: dict, kind: str, parent: Parent | None) -> None:
        """Record an object without id; keep the objects embedded in it that have ids."""
        if parent is None:
            where = self.where
        else:
            where = f"{parent.role} {parent.position} of the {parent.type} {parent.id or '(itself without id)'}"
            if parent.id:
                self.partial_parents.add(parent.id)
        before = len(self.items)
        children = _CHILDREN.get(kind)
        if children is not None and not as_bool(obj.get("deleted")):
            children(self, obj, None)
        kept = len(self.items) - before
        self.problems.append(
            f"{where}: a {kind} without id was not stored"
            + (f"; the {kept} objects embedded in it that have ids were kept" if kept else "")
        )

    def _fetch_later(self, url: str, expected: str | None, parent: Parent | None) -> None:
        # An embedded-type object given only by URL is fetched: nothing else carries it.
        target = as_url(url)
        if not target:
            return
        meta: dict[str, Any] = {"expect": expected}
        if parent is not None:
            meta.update(parentType=parent.type, parent=parent.id, role=parent.role, position=parent.position)
        self.follow.append(Link(target, "object", meta=meta))

    def files(self, obj: dict, parent_type: str, parent_id: str | None, roles: Iterable[str]) -> None:
        """Add the File objects an object holds under each of ``roles`` (mainFile, auxiliaryFile …)."""
        for role in roles:
            for position, entry in enumerate(as_list(obj.get(role)), 1):
                self.add(entry, "File", Parent(parent_type, parent_id, role, position))


def parent_fields(kind: str, parent: Parent | None, obj: dict) -> dict[str, Any]:
    """Return the back-reference fields of an object: from the object, else from its parent.

    Embedded objects usually omit their back-reference (the spec allows it);
    the position in the parent's list becomes ``order`` (AgendaItem, from 0) or
    ``position`` (Consultation, File, from 1).
    """
    position = parent.position if parent is not None else None
    parent_id = parent.id if parent is not None else None
    if kind == "File":
        if parent_id:
            return {"parentType": parent.type, "parent": parent_id, "role": parent.role, "position": position}
        # Fetched alone, or embedded in an object without id: the File's own back-reference.
        place = {"role": parent.role, "position": position} if parent is not None else {}
        for key, parent_type in (("paper", "Paper"), ("meeting", "Meeting"), ("agendaItem", "AgendaItem"), ("person", "Person")):
            ref = first_url(obj.get(key))
            if ref:
                return {"parentType": parent_type, "parent": ref, **place}
        return {"parentType": parent.type, **place} if parent is not None else {}
    if kind == "Consultation":
        return {"paper": first_url(obj.get("paper")) or parent_id, "position": position}
    if kind == "AgendaItem":
        # OParl 1.1: order is the 0-based position; vendors' own numbers are not comparable.
        return {"meeting": first_url(obj.get("meeting")) or parent_id, "order": position - 1 if position else position}
    if kind == "Membership":
        return {"person": first_url(obj.get("person")) or parent_id}
    return {}


def _organization(out: ObjectItems, obj: dict, base: dict, parent: Parent | None) -> None:
    out.items.append(
        Organization(
            **base,
            name=clean_text(obj.get("name")),
            shortName=clean_text(obj.get("shortName")),
            organizationType=clean_text(obj.get("organizationType")),
            classification=clean_text(obj.get("classification")),
            startDate=parse_day(obj.get("startDate")),
            endDate=parse_day(obj.get("endDate")),
        )
    )


def _person(out: ObjectItems, obj: dict, base: dict, parent: Parent | None) -> None:
    out.items.append(
        Person(
            **base,
            name=clean_text(obj.get("name")),
            familyName=clean_text(obj.get("familyName")),
            givenName=clean_text(obj.get("givenName")),
            formOfAddress=clean_text(obj.get("formOfAddress")),
            title=[t for t in (clean_text(v) for v in as_list(obj.get("title"))) if t] or None,
            affix=clean_text(obj.get("affix")),
            gender=clean_text(obj.get("gender")),
            status=[s for s in (clean_text(v) for v in as_list(obj.get("status"))) if s] or None,
        )
    )
    _person_children(out, obj, base["systemId"])


def _person_children(out: ObjectItems, obj: dict, person_id: str | None) -> None:
    for position, membership in enumerate(as_list(obj.get("membership")), 1):
        out.add(membership, "Membership", Parent("Person", person_id, "membership", position))


def _membership(out: ObjectItems, obj: dict, base: dict, parent: Parent | None) -> None:
    out.items.append(
        Membership(
            **base,
            **parent_fields("Membership", parent, obj),
            organization=first_url(obj.get("organization")),
            role=clean_text(obj.get("role")),
            votingRight=as_bool(obj.get("votingRight")),
            startDate=parse_day(obj.get("startDate")),
            endDate=parse_day(obj.get("endDate")),
            onBehalfOf=first_url(obj.get("onBehalfOf")),
        )
    )


def _meeting(out: ObjectItems, obj: dict, base: dict, parent: Parent | None) -> None:
    start = parse_datetime(obj.get("start"))
    location = obj.get("location") if isinstance(obj.get("location"), dict) else {}
    out.items.append(
        Meeting(
            **base,
            name=clean_text(obj.get("name")),
            organization=first_url(obj.get("organization")),
            dateRaw=clean_text(obj.get("start")),
            date=start.astimezone(BERLIN).date() if start else None,
            datePrecision="day" if start else None,
            start=start,
            end=_meeting_end(start, parse_datetime(obj.get("end"))),
            room=clean_text(location.get("room")) or clean_text(location.get("description")),
            locality=_address(location),
            meetingState=clean_text(obj.get("meetingState")),
            cancelled=as_bool(obj.get("cancelled")),
        )
    )
    _meeting_children(out, obj, base["systemId"])


def _meeting_end(start: datetime | None, end: datetime | None) -> datetime | None:
    """Return the meeting's end, or None where it is no end: at or before the start.

    Servers write midnight of the meeting day ("17:30" to "00:00" the same
    day) when no end was recorded: more! rubin, and SessionNet (1,206 of
    Karlsruhe's 2,609 meetings with an end).
    """
    if start is not None and end is not None and end <= start:
        return None
    return end


def _meeting_children(out: ObjectItems, obj: dict, meeting_id: str | None) -> None:
    out.files(obj, "Meeting", meeting_id, ("invitation", "resultsProtocol", "verbatimProtocol", "auxiliaryFile"))
    first = len(out.items)
    entries = [entry for entry in as_list(obj.get("agendaItem")) if not _section_heading(entry)]
    for position, agenda_item in enumerate(entries, 1):
        out.add(agenda_item, "AgendaItem", Parent("Meeting", meeting_id, "agendaItem", position))
    _link_sub_items([item for item in out.items[first:] if isinstance(item, AgendaItem)])


# SessionNet's part headings ("Öffentliche Sitzung", "Nichtöffentliche Sitzung"), as its HTML pages print them.
_SECTION_WORDING = re.compile(r"^(?:nicht\s*-?\s*)?öffentliche[rs]?\s+(?:teil|sitzung)\b", re.I)


def _section_heading(obj: Any) -> bool:
    """Return whether an agenda entry is a part heading, not an item.

    SessionNet's OParl server lists the headings of the public and the
    non-public part as AgendaItems without number (Magdeburg: "Öffentliche
    Sitzung", order 1, before item "1"); its HTML pages print them as section
    rows, which no dialect stores. Only a bare heading is left out: one that
    carries a consultation, a result, a text or a file is kept as an item.
    """
    if not isinstance(obj, dict) or clean_text(obj.get("number")) or as_bool(obj.get("deleted")):
        return False
    if any(obj.get(key) for key in ("consultation", "result", "resolutionText", "resolutionFile", "auxiliaryFile")):
        return False
    return bool(_SECTION_WORDING.match(clean_text(obj.get("name")) or ""))


def _link_sub_items(items: list[AgendaItem]) -> None:
    """Give each sub-item ("7.4.1") the item its number heads ("7.4") as ``parent``, in the same part.

    OParl has no field for it; the HTML dialects link sub-items the same way.
    The nearest earlier item with that number wins (numbers restart in the
    non-public part).
    """
    for index, item in enumerate(items):
        head = (item.number or "").strip(".").rpartition(".")[0]
        if not head or item.parent:
            continue
        for earlier in reversed(items[:index]):
            same_part = earlier.public is None or item.public is None or earlier.public == item.public
            if same_part and (earlier.number or "").strip(".") == head:
                item.parent = earlier.systemId
                break


def _address(location: dict) -> str | None:
    """Return a Location's address as one line: street, postal code and locality."""
    street = clean_text(location.get("streetAddress"))
    locality = clean_text(location.get("locality")) or clean_text(location.get("subLocality"))
    place = " ".join(p for p in (clean_text(location.get("postalCode")), locality) if p)
    return ", ".join(p for p in (street, place) if p) or None


def _agenda_item(out: ObjectItems, obj: dict, base: dict, parent: Parent | None) -> None:
    if _section_heading(obj):
        return  # on the agendaItem list as in the meeting: a part heading is no item
    out.items.append(
        AgendaItem(
            **base,
            **parent_fields("AgendaItem", parent, obj),
            number=clean_text(obj.get("number")),
            name=clean_text(obj.get("name")),
            public=as_bool(obj.get("public")),
            consultation=first_url(obj.get("consultation")),
            resultRaw=clean_text(obj.get("result")),
            resolutionText=clean_text(obj.get("resolutionText")),
        )
    )
    _agenda_item_children(out, obj, base["systemId"])


def _agenda_item_children(out: ObjectItems, obj: dict, agenda_item_id: str | None) -> None:
    out.files(obj, "AgendaItem", agenda_item_id, ("resolutionFile", "auxiliaryFile"))


def _paper(out: ObjectItems, obj: dict, base: dict, parent: Parent | None) -> None:
    day = parse_day(obj.get("date"))
    out.items.append(
        Paper(
            **base,
            reference=clean_text(obj.get("reference")),
            name=clean_text(obj.get("name")),
            paperType=clean_text(obj.get("paperType")),
            dateRaw=clean_text(obj.get("date")),
            date=day,
            datePrecision="day" if day else None,
            underDirectionOf=as_urls(obj.get("underDirectionOf")) or None,
            relatedPaper=as_urls(obj.get("relatedPaper")) or None,
            superordinatedPaper=as_urls(obj.get("superordinatedPaper")) or None,
            subordinatedPaper=as_urls(obj.get("subordinatedPaper")) or None,
        )
    )
    _paper_children(out, obj, base["systemId"])


def _paper_children(out: ObjectItems, obj: dict, paper_id: str | None) -> None:
    out.files(obj, "Paper", paper_id, ("mainFile", "auxiliaryFile"))
    treatments: dict[str, tuple] = {}
    for position, consultation in enumerate(as_list(obj.get("consultation")), 1):
        consultation = _own_id(consultation, position, treatments)
        out.add(consultation, "Consultation", Parent("Paper", paper_id, "consultation", position))


def _own_id(consultation: Any, position: int, treatments: dict[str, tuple]) -> Any:
    """Return an embedded consultation, under an id of its own when an earlier one of the paper has its id.

    A server may give every treatment of a paper the id of the first when the
    paper comes back (deferred, referred): Karlsruhe's SessionNet export has
    121 such consultations in 89 ids, each with its own meeting, agenda item
    and position. Under one id all but the last would be lost. The first keeps
    the id; each later one that names another meeting or agenda item becomes
    ``<id>#treatment=<its agenda item's, else meeting's, last path segment>``
    (its position when both are missing), the same from crawl to crawl. The
    same consultation given twice (same meeting and agenda item) keeps the id.
    """
    if not isinstance(consultation, dict):
        return consultation
    object_id = as_url(consultation.get("id"))
    if not object_id:
        return consultation
    agenda_item, meeting = first_url(consultation.get("agendaItem")), first_url(consultation.get("meeting"))
    first = treatments.setdefault(object_id, (agenda_item, meeting))
    if first == (agenda_item, meeting):
        return consultation
    named = (agenda_item or meeting or "").rstrip("/").rsplit("/", 1)[-1]
    own = f"{object_id}#treatment={named or position}"
    if own in treatments:
        own = f"{object_id}#treatment={position}"
    treatments[own] = (agenda_item, meeting)
    return {**consultation, "id": own}


def _consultation(out: ObjectItems, obj: dict, base: dict, parent: Parent | None) -> None:
    out.items.append(
        Consultation(
            **base,
            **parent_fields("Consultation", parent, obj),
            meeting=first_url(obj.get("meeting")),
            agendaItem=first_url(obj.get("agendaItem")),
            organization=first_url(obj.get("organization")),
            role=clean_text(obj.get("role")),
            authoritative=as_bool(obj.get("authoritative")),
        )
    )


def _file(out: ObjectItems, obj: dict, base: dict, parent: Parent | None) -> None:
    file_name = clean_text(obj.get("fileName"))
    size = as_int(obj.get("size"))
    item = File(
        **base,
        **parent_fields("File", parent, obj),
        name=clean_text(obj.get("name")),
        fileName=file_name,
        mimeType=mime_type(obj.get("mimeType"), file_name),
        dateRaw=clean_text(obj.get("date")),
        date=parse_day(obj.get("date")),
        # CC e-gov writes size 0 for files it has not measured.
        size=size if size else None,
        accessUrl=as_url(obj.get("accessUrl")),
        downloadUrl=as_url(obj.get("downloadUrl")),
        text=clean_text(obj.get("text")),
    )
    out.items.append(item)
    if item.accessUrl:
        out.follow.append(Link(item.accessUrl, "file"))


_BUILDERS: dict[str, Callable[[ObjectItems, dict, dict, Parent | None], None]] = {
    "Organization": _organization,
    "Person": _person,
    "Membership": _membership,
    "Meeting": _meeting,
    "AgendaItem": _agenda_item,
    "Paper": _paper,
    "Consultation": _consultation,
    "File": _file,
}
# The objects embedded in each type (walked also when the object itself has no id).
_CHILDREN: dict[str, Callable[[ObjectItems, dict, str | None], None]] = {
    "Person": _person_children,
    "Meeting": _meeting_children,
    "AgendaItem": _agenda_item_children,
    "Paper": _paper_children,
}
_ITEM_CLASSES: dict[str, type[Item]] = {
    "Organization": Organization,
    "Person": Person,
    "Membership": Membership,
    "Meeting": Meeting,
    "AgendaItem": AgendaItem,
    "Paper": Paper,
    "Consultation": Consultation,
    "File": File,
}
# The OParl types that become items (System, Body, LegislativeTerm, Location do not).
MAPPED_TYPES: tuple[str, ...] = tuple(_BUILDERS)

__all__ = ["MAPPED_TYPES", "ObjectItems", "Parent", "parent_fields"]
