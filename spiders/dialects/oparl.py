"""OParl 1.0 and 1.1, the JSON API of council information systems, as items.

The crawl starts at a ``System`` and walks System → Body → the Body's
external lists (organization, person, meeting, paper; and the 1.1 lists
membership, agendaItem, consultation, file where the Body names them). Each
list is followed page by page through ``links.next``; page URLs are never
built here. Objects embedded in others (Consultation in Paper, AgendaItem in
Meeting, Membership in Person, File in Paper/Meeting/AgendaItem) become
items of their own with a reference to their parent, as in the HTML
dialects, so OParl and HTML sources fill the same tables.

Mapping: the object's URL (``id``) is the item's ``systemId`` (and ``url``);
OParl fields map to the item fields of the same name. Where an item has one
reference and OParl a list (``Meeting.organization``,
``Consultation.organization``), the first entry is kept: OParl orders them
with the lead committee first. ``AgendaItem.order`` is the 0-based position in the meeting (as the spec
defines it and every dialect counts); ``Consultation.position`` /
``File.position`` count from 1 in every dialect; the vendor's own ``order``
numbers are not comparable (``100001`` at CC e-gov, 1-based at SOMACOS,
absent in 1.0). Referenced objects are not fetched (dangling references
become stub rows at load time); only an object of an embedded type that a
server gives as a bare URL instead of embedding it is fetched on its own.
A ``Body`` is no item: its name and AGS go to the crawl manifest and from
there into the warehouse's ``source`` table (``pipelines.sync_state``).

Real servers are lenient about the standard, so is this module (see the
pitfall catalogue of the OParl primer): invalid JSON with raw control
characters is repaired and reported; broken date-times (``+01::00``, ``""``,
date-times where a date belongs) are read leniently; ``"N/A"`` and empty
strings are no value; an object where an array belongs is a one-element
array; tombstones (``deleted: true``) become items with ``deleted=True``,
typed from the list or their URL when they lack ``type``; ``mimeType: "pdf"``
becomes ``application/pdf``; an AGS that lost its leading zero is padded;
GeoJSON points written ``[lat, lon]`` are turned round.

The crawl-wide side (``modified_since`` for incremental runs, per-list
bookkeeping, progress lines) is ``OParlSync``, which the generic spider
creates through ``crawl_session``. Everything above it is pure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote, urlsplit

from schemas.items import AgendaItem, Consultation, File, Item, Meeting, Membership, Organization, Paper, Person
from spiders.dialects.base import Link, Page, Parsed, ParseError
from pipelines.normalise.dates import BERLIN, parse_datetime_lenient

logger = logging.getLogger(__name__)

NAME = "oparl"

# The Body's external lists this crawl understands, and the type of their objects.
MANDATORY_LISTS = ("organization", "person", "meeting", "paper")
OPTIONAL_LISTS = ("membership", "agendaItem", "consultation", "file")  # new in 1.1
LIST_TYPES = {
    "organization": "Organization",
    "person": "Person",
    "meeting": "Meeting",
    "paper": "Paper",
    "membership": "Membership",
    "agendaItem": "AgendaItem",
    "consultation": "Consultation",
    "file": "File",
    "body": "Body",
}
_TYPES = (
    "System", "Body", "LegislativeTerm", "Organization", "Person", "Membership", "Meeting",
    "AgendaItem", "Paper", "Consultation", "File", "Location", "Error",
)
_TYPE_BY_LOWER = {t.lower(): t for t in _TYPES}
# URL path words that name a type (Sternberg /paper/1, SessionNet /papers/vo/1,
# ALLRIS papers.asp?id=1, ALLRIS 4 /oparl/papers?id=1): used for tombstones without type.
_TYPE_BY_PATH_WORD = {
    **{t.lower(): t for t in _TYPES},
    **{t.lower() + "s": t for t in _TYPES},
    "people": "Person",
    "bodies": "Body",
    "agendaitems": "AgendaItem",
    "legislativeterms": "LegislativeTerm",
}

_OPARL_TYPE = re.compile(r'"type"\s*:\s*"https?:\\?/\\?/schema\.oparl\.org\\?/(1\.[01])\\?/(\w+)"')
_LIST_SHAPE = re.compile(r'"data"\s*:\s*\[')
_LIST_KEYS = re.compile(r'"(?:pagination|links)"\s*:\s*\{')
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES_NBSP = re.compile(r"[\u00a0\u2007\u202f]")
_PLACEHOLDERS = {"", "n/a", "n.a.", "-"}
_MIME_BY_EXTENSION = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain",
    "rtf": "application/rtf",
    "htm": "text/html",
    "html": "text/html",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "zip": "application/zip",
    "msg": "application/vnd.ms-outlook",
    "eml": "message/rfc822",
}
# A list walk keeps this many recent page URLs to refuse a ``next`` that loops back.
_RECENT_PAGES = 20


# --------------------------------------------------------------------------
# JSON


def load_json(text: str) -> tuple[Any, str | None]:
    """Return the decoded JSON of a page and a note when it had to be repaired.

    CC e-gov servers have sent strings with raw control characters
    (Braunschweig, U+0001–U+0006), which strict JSON forbids: those strings are
    read as they are (``strict=False``), and control characters between tokens
    are dropped. Raises ParseError when even that does not give JSON.
    """
    try:
        return json.loads(text), None
    except json.JSONDecodeError as first:
        error = first
    found = ", ".join(sorted({f"U+{ord(c):04X}" for c in text if ord(c) < 0x20 and c not in "\t\n\r"}))
    try:
        data = json.loads(text, strict=False)
        return data, f"unescaped control characters in strings ({found or 'line breaks or tabs'}), first at line {error.lineno}"
    except json.JSONDecodeError:
        pass
    try:
        data = json.loads(_CONTROL.sub("", text), strict=False)
        return data, f"control characters between tokens removed ({found}), first at line {error.lineno}"
    except json.JSONDecodeError as last:
        raise ParseError(f"invalid JSON: {last.msg} at line {last.lineno} column {last.colno}") from last


# --------------------------------------------------------------------------
# Detection


def detect(page: Page) -> str | None:
    """Return why the page is OParl (the schema URL of its type, or the list shape), or None."""
    head = page.text[:65536].lstrip()
    if not head.startswith(("{", "[")):
        return None
    m = _OPARL_TYPE.search(head)
    if m:
        return f"JSON with type https://schema.oparl.org/{m.group(1)}/{m.group(2)}"
    if _LIST_SHAPE.search(head) and _LIST_KEYS.search(head):
        return "JSON list page with data, pagination and links"
    return None


_kind_cache: tuple[int, str, str | None] | None = None


def page_kind(page: Page) -> str | None:
    """Return the page kind: ``system``, ``body``, ``body_list``, ``<list>_list`` or the object's type."""
    if _kind_cache is not None and _kind_cache[0] == id(page.text) and _kind_cache[1] == page.url:
        return _kind_cache[2]
    try:
        data, _ = load_json(page.text)
    except ParseError:
        return None
    return document_kind(data, page.url, {})


def document_kind(data: Any, url: str, context: dict) -> str | None:
    """Return the page kind of a decoded OParl document."""
    if _is_list_page(data):
        name = _list_name(_entries(data), url, context)
        return f"{name}_list" if name else "list"
    if isinstance(data, dict):
        kind = type_name(data, None, url)
        if kind:
            return kind[0].lower() + kind[1:]
    return None


def start_urls(base_url: str, months: Iterable[tuple[int, int]] = ()) -> list[Link]:
    """Return the entry point: the URL given (a System, a Body list, a Body or a list).

    OParl needs no month window: lists are complete, and incremental runs ask
    for changes (``modified_since``) instead.
    """
    return [Link(base_url, "entry", meta={"vendor": vendor_of(url=base_url)})]


# --------------------------------------------------------------------------
# Lenient values


def clean_text(value: Any) -> str | None:
    """Return a string value without control characters, NBSP and placeholders, or None.

    ``""``, ``"N/A"`` and whitespace-only strings mean no value; line breaks
    inside a value are kept.
    """
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = _CONTROL.sub("", str(value))
    text = _SPACES_NBSP.sub(" ", text).strip()
    return None if text.lower() in _PLACEHOLDERS else text


def _url(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    text = clean_text(value)
    return text if text and "://" in text else None


def as_list(value: Any) -> list:
    """Return a list value as a list: an object where an array belongs is a one-element array."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [v for v in value if v is not None and v != ""]
    return [value]


def _refs(value: Any) -> list[str]:
    return [u for u in (_url(v) for v in as_list(value)) if u]


def _first_ref(value: Any) -> str | None:
    refs = _refs(value)
    return refs[0] if refs else None


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = clean_text(value)
    if text is None:
        return None
    return {"true": True, "false": False, "1": True, "0": False}.get(text.lower())


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = clean_text(value)
    return int(text) if text and re.fullmatch(r"-?\d+", text) else None


def parse_datetime(value: Any) -> dt.datetime | None:
    """Return an OParl date-time (tz-aware), repairing ``+01::00``; ``""`` and garbage give None."""
    text = clean_text(value)
    return parse_datetime_lenient(text) if text else None


def parse_day(value: Any) -> dt.date | None:
    """Return an OParl date; a date-time where a date belongs gives its day at its own offset."""
    text = clean_text(value)
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    moment = parse_datetime_lenient(text)
    return moment.date() if moment else None


def mime_type(value: Any, file_name: str | None = None) -> str | None:
    """Return a MIME type; a bare extension (``"pdf"``, ``"docx"``) becomes its MIME type."""
    text = clean_text(value)
    if text and "/" in text:
        return text.lower().split(";")[0].strip()
    extension = (text or "").lower().lstrip(".")
    if not extension and file_name and "." in file_name:
        extension = file_name.rsplit(".", 1)[1].lower()
    if not extension:
        return None
    return _MIME_BY_EXTENSION.get(extension) or mimetypes.types_map.get("." + extension)


def normalise_ags(ags: Any, rgs: Any = None) -> str | None:
    """Return the 8-digit Amtlicher Gemeindeschlüssel of a Body.

    Sternberg servers print it as a number and lose the leading zero
    (``5358016`` → ``05358016``). A 12-digit Regionalschlüssel holds the AGS as
    its first five and last three digits; a 9-digit value (Krefeld ``051140000``)
    is read through the RGS when there is one. Kreise have only 5 digits
    (OParl/spec#401): those are kept as they are.
    """
    digits = re.sub(r"\D", "", str(ags)) if ags is not None else ""
    rgs_digits = re.sub(r"\D", "", str(rgs)) if rgs is not None else ""
    if len(rgs_digits) == 11:
        rgs_digits = "0" + rgs_digits
    if len(digits) == 7:
        return "0" + digits
    if len(digits) in (5, 8):
        return digits
    if len(digits) == 4:
        return "0" + digits
    if len(rgs_digits) == 12:
        return rgs_digits[:5] + rgs_digits[9:]
    if len(digits) == 12:
        return digits[:5] + digits[9:]
    return digits or None


def point_lon_lat(geojson: Any) -> tuple[float, float] | None:
    """Return a GeoJSON point as (lon, lat), turning round points written [lat, lon].

    GeoJSON wants [lon, lat]; SD.NET writes [lat, lon]. In Germany longitude
    is 5–16 and latitude 47–56, so a first value in 47–56 with a second in
    5–16 can only be [lat, lon]. Coordinates given as strings are read too.
    """
    if not isinstance(geojson, dict):
        return None
    geometry = geojson.get("geometry") if geojson.get("type") == "Feature" else geojson
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        return None
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        return None
    try:
        first, second = float(coordinates[0]), float(coordinates[1])
    except (TypeError, ValueError):
        return None
    if 47.0 <= first <= 56.0 and 5.0 <= second <= 16.0:
        return second, first
    return first, second


# --------------------------------------------------------------------------
# Types


def type_name(obj: dict, expected: str | None, url: str | None = None) -> str | None:
    """Return an object's type (``Paper`` …): its ``type``, else the list's, else its URL's."""
    declared = obj.get("type")
    if isinstance(declared, str) and declared.strip():
        short = declared.rstrip("/").rsplit("/", 1)[-1]
        found = _TYPE_BY_LOWER.get(short.lower())
        if found:
            return found
    if expected:
        return expected
    for candidate in (_url(obj.get("id")), url):
        if candidate:
            found = type_from_url(candidate)
            if found:
                return found
    return None


def type_from_url(url: str) -> str | None:
    """Return the type a URL's path names (``…/paper/3775``, ``…/papers/vo/1``, ``papers.asp``)."""
    words = re.split(r"[/.?&=]+", urlsplit(url).path.lower())
    for word in reversed(words):
        if word in _TYPE_BY_PATH_WORD:
            return _TYPE_BY_PATH_WORD[word]
    return None


# --------------------------------------------------------------------------
# System and Body


def vendor_of(system: dict | None = None, url: str | None = None) -> str:
    """Return the server family (``sternberg``, ``somacos``, ``ccegov``, ``generic``).

    Read from the System's vendor/product/contact, else from the URL shape:
    SD.NET serves ``…/webservice/oparl/v1.x/``, SessionNet ``…/oparl/bodies/0001``,
    ALLRIS classic ``….asp``.
    """
    if system:
        text = " ".join(str(system.get(k) or "") for k in ("vendor", "product", "contactName")).lower()
        if "sternberg" in text or "sitzungsdienst.net" in text:
            return "sternberg"
        if "somacos" in text:
            return "somacos"
        if "cc-egov" in text:
            return "ccegov"
    if url:
        path = urlsplit(url).path.lower()
        if "/webservice/oparl/" in path:
            return "sternberg"
        if re.search(r"/oparl/bodies(/\d{4})?(/|$)", path) and not urlsplit(url).query:
            return "somacos"
        if path.endswith(".asp"):
            return "ccegov"
    return "generic"


def system_summary(system: dict) -> dict[str, Any]:
    """Return what the crawl keeps of a System: id, version, name, vendor (placeholders dropped)."""
    return {
        "id": _url(system.get("id")),
        "oparlVersion": clean_text(system.get("oparlVersion")),
        "name": clean_text(system.get("name")),
        "website": _url(system.get("website")),
        "vendor": clean_text(system.get("vendor")),
        "product": clean_text(system.get("product")),
        "family": vendor_of(system, _url(system.get("id"))),
    }


def body_summary(body: dict) -> dict[str, Any]:
    """Return what the crawl keeps of a Body: id, names, AGS (8 digits), place and dates."""
    location = body.get("location") if isinstance(body.get("location"), dict) else {}
    point = point_lon_lat(location.get("geojson"))
    return {
        "id": _url(body.get("id")),
        "name": clean_text(body.get("name")),
        "shortName": clean_text(body.get("shortName")),
        "ags": normalise_ags(body.get("ags"), body.get("rgs")),
        "agsRaw": clean_text(body.get("ags")),
        "rgs": clean_text(body.get("rgs")),
        "website": _url(body.get("website")),
        "postalCode": clean_text(location.get("postalCode")),
        "locality": clean_text(location.get("locality")),
        "streetAddress": clean_text(location.get("streetAddress")),
        "lon": point[0] if point else None,
        "lat": point[1] if point else None,
        "created": _iso(parse_datetime(body.get("created"))),
        "modified": _iso(parse_datetime(body.get("modified"))),
        "lists": {name: url for name in (*MANDATORY_LISTS, *OPTIONAL_LISTS) if (url := _url(body.get(name)))},
    }


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


# --------------------------------------------------------------------------
# Objects → items ("externalize": embedded objects become rows of their own)


@dataclass(frozen=True)
class _Parent:
    type: str
    id: str
    role: str | None = None
    position: int | None = None


class _Items:
    """Collects the items and links of one page."""

    def __init__(self, source: str):
        self.source = source
        self.items: list[Item] = []
        self.follow: list[Link] = []

    def base(self, obj: dict, object_id: str) -> dict[str, Any]:
        return {
            "source": self.source,
            "system": NAME,
            "systemId": object_id,
            "url": object_id,
            "web": _url(obj.get("web")),
            "deleted": bool(_bool(obj.get("deleted"))),
            "created": parse_datetime(obj.get("created")),
            "modified": parse_datetime(obj.get("modified")),
        }

    def add(self, obj: Any, expected: str | None, parent: _Parent | None = None) -> None:
        """Add the items of one object (and of the objects embedded in it)."""
        if isinstance(obj, str):
            self._fetch_later(obj, expected, parent)
            return
        if not isinstance(obj, dict):
            return
        object_id = _url(obj.get("id"))
        kind = type_name(obj, expected, object_id)
        if not object_id or kind not in _BUILDERS:
            return
        base = self.base(obj, object_id)
        if base["deleted"]:
            # A tombstone keeps id, type and dates; anything else it carries is
            # placeholder ("" at SessionNet) and must not overwrite what we know.
            self.items.append(_ITEM_CLASSES[kind](**base, **_parent_fields(kind, parent, obj)))
            return
        _BUILDERS[kind](self, obj, base, parent)

    def _fetch_later(self, url: str, expected: str | None, parent: _Parent | None) -> None:
        # An embedded-type object given only by URL is fetched: nothing else carries it.
        target = _url(url)
        if not target:
            return
        meta: dict[str, Any] = {"expect": expected}
        if parent is not None:
            meta.update(parentType=parent.type, parent=parent.id, role=parent.role, position=parent.position)
        self.follow.append(Link(target, "object", meta=meta))

    def files(self, obj: dict, parent_type: str, parent_id: str, roles: Iterable[str]) -> None:
        for role in roles:
            for position, entry in enumerate(as_list(obj.get(role)), 1):
                self.add(entry, "File", _Parent(parent_type, parent_id, role, position))


def _parent_fields(kind: str, parent: _Parent | None, obj: dict) -> dict[str, Any]:
    """Return the back-reference fields of an object: from the object, else from its parent.

    Embedded objects usually omit their back-reference (the spec allows it);
    the position in the parent's list becomes ``order`` (AgendaItem, from 0) or
    ``position`` (Consultation, File, from 1).
    """
    position = parent.position if parent is not None else None
    parent_id = parent.id if parent is not None else None
    if kind == "File":
        if parent is not None:
            return {"parentType": parent.type, "parent": parent.id, "role": parent.role, "position": position}
        for key, parent_type in (("paper", "Paper"), ("meeting", "Meeting"), ("agendaItem", "AgendaItem"), ("person", "Person")):
            ref = _first_ref(obj.get(key))
            if ref:
                return {"parentType": parent_type, "parent": ref}
        return {}
    if kind == "Consultation":
        return {"paper": _first_ref(obj.get("paper")) or parent_id, "position": position}
    if kind == "AgendaItem":
        # OParl 1.1: order is the 0-based position; vendors' own numbers are not comparable.
        return {"meeting": _first_ref(obj.get("meeting")) or parent_id, "order": position - 1 if position else position}
    if kind == "Membership":
        return {"person": _first_ref(obj.get("person")) or parent_id}
    return {}


def _organization(out: _Items, obj: dict, base: dict, parent: _Parent | None) -> None:
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


def _person(out: _Items, obj: dict, base: dict, parent: _Parent | None) -> None:
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
    for position, membership in enumerate(as_list(obj.get("membership")), 1):
        out.add(membership, "Membership", _Parent("Person", base["systemId"], "membership", position))


def _membership(out: _Items, obj: dict, base: dict, parent: _Parent | None) -> None:
    out.items.append(
        Membership(
            **base,
            **_parent_fields("Membership", parent, obj),
            organization=_first_ref(obj.get("organization")),
            role=clean_text(obj.get("role")),
            votingRight=_bool(obj.get("votingRight")),
            startDate=parse_day(obj.get("startDate")),
            endDate=parse_day(obj.get("endDate")),
            onBehalfOf=_first_ref(obj.get("onBehalfOf")),
        )
    )


def _meeting(out: _Items, obj: dict, base: dict, parent: _Parent | None) -> None:
    start = parse_datetime(obj.get("start"))
    location = obj.get("location") if isinstance(obj.get("location"), dict) else {}
    out.items.append(
        Meeting(
            **base,
            name=clean_text(obj.get("name")),
            organization=_first_ref(obj.get("organization")),
            dateRaw=clean_text(obj.get("start")),
            date=start.astimezone(BERLIN).date() if start else None,
            datePrecision="day" if start else None,
            start=start,
            end=parse_datetime(obj.get("end")),
            room=clean_text(location.get("room")) or clean_text(location.get("description")),
            locality=_address(location),
            meetingState=clean_text(obj.get("meetingState")),
            cancelled=_bool(obj.get("cancelled")),
        )
    )
    out.files(obj, "Meeting", base["systemId"], ("invitation", "resultsProtocol", "verbatimProtocol", "auxiliaryFile"))
    for position, agenda_item in enumerate(as_list(obj.get("agendaItem")), 1):
        out.add(agenda_item, "AgendaItem", _Parent("Meeting", base["systemId"], "agendaItem", position))


def _address(location: dict) -> str | None:
    """Return a Location's address as one line: street, postal code and locality."""
    street = clean_text(location.get("streetAddress"))
    locality = clean_text(location.get("locality")) or clean_text(location.get("subLocality"))
    place = " ".join(p for p in (clean_text(location.get("postalCode")), locality) if p)
    return ", ".join(p for p in (street, place) if p) or None


def _agenda_item(out: _Items, obj: dict, base: dict, parent: _Parent | None) -> None:
    out.items.append(
        AgendaItem(
            **base,
            **_parent_fields("AgendaItem", parent, obj),
            number=clean_text(obj.get("number")),
            name=clean_text(obj.get("name")),
            public=_bool(obj.get("public")),
            consultation=_first_ref(obj.get("consultation")),
            resultRaw=clean_text(obj.get("result")),
            resolutionText=clean_text(obj.get("resolutionText")),
        )
    )
    out.files(obj, "AgendaItem", base["systemId"], ("resolutionFile", "auxiliaryFile"))


def _paper(out: _Items, obj: dict, base: dict, parent: _Parent | None) -> None:
    out.items.append(
        Paper(
            **base,
            reference=clean_text(obj.get("reference")),
            name=clean_text(obj.get("name")),
            paperType=clean_text(obj.get("paperType")),
            dateRaw=clean_text(obj.get("date")),
            date=parse_day(obj.get("date")),
            datePrecision="day" if parse_day(obj.get("date")) else None,
            underDirectionOf=_refs(obj.get("underDirectionOf")) or None,
            relatedPaper=_refs(obj.get("relatedPaper")) or None,
            superordinatedPaper=_refs(obj.get("superordinatedPaper")) or None,
            subordinatedPaper=_refs(obj.get("subordinatedPaper")) or None,
        )
    )
    out.files(obj, "Paper", base["systemId"], ("mainFile", "auxiliaryFile"))
    for position, consultation in enumerate(as_list(obj.get("consultation")), 1):
        out.add(consultation, "Consultation", _Parent("Paper", base["systemId"], "consultation", position))


def _consultation(out: _Items, obj: dict, base: dict, parent: _Parent | None) -> None:
    out.items.append(
        Consultation(
            **base,
            **_parent_fields("Consultation", parent, obj),
            meeting=_first_ref(obj.get("meeting")),
            agendaItem=_first_ref(obj.get("agendaItem")),
            organization=_first_ref(obj.get("organization")),
            role=clean_text(obj.get("role")),
            authoritative=_bool(obj.get("authoritative")),
        )
    )


def _file(out: _Items, obj: dict, base: dict, parent: _Parent | None) -> None:
    file_name = clean_text(obj.get("fileName"))
    size = _int(obj.get("size"))
    item = File(
        **base,
        **_parent_fields("File", parent, obj),
        name=clean_text(obj.get("name")),
        fileName=file_name,
        mimeType=mime_type(obj.get("mimeType"), file_name),
        dateRaw=clean_text(obj.get("date")),
        date=parse_day(obj.get("date")),
        # CC e-gov writes size 0 for files it has not measured.
        size=size if size else None,
        accessUrl=_url(obj.get("accessUrl")),
        downloadUrl=_url(obj.get("downloadUrl")),
        text=clean_text(obj.get("text")),
    )
    out.items.append(item)
    if item.accessUrl:
        out.follow.append(Link(item.accessUrl, "file"))


_BUILDERS = {
    "Organization": _organization,
    "Person": _person,
    "Membership": _membership,
    "Meeting": _meeting,
    "AgendaItem": _agenda_item,
    "Paper": _paper,
    "Consultation": _consultation,
    "File": _file,
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
# Fields whose share on list pages feeds the parse-rate watch.
_EXPECTED_FIELDS = {
    "Paper": ("name", "reference"),
    "Meeting": ("name", "start"),
    "Organization": ("name",),
    "Person": ("name",),
}


# --------------------------------------------------------------------------
# Pages


def parse(page: Page, source: str, context: dict | None = None) -> Parsed:
    """Return the items and links of an OParl page (System, Body, list page or object).

    ``context`` is what the link to the page carried (list name, page number,
    vendor, recent pages); without it the page is read on its own.
    """
    global _kind_cache
    data, note = load_json(page.text)
    if note:
        logger.warning("repaired invalid JSON at %s: %s", page.url, note)
    parsed = parse_document(data, page.url, source, context or {})
    _kind_cache = (id(page.text), page.url, document_kind(data, page.url, context or {}))
    return parsed


def parse_document(data: Any, url: str, source: str, context: dict) -> Parsed:
    """Return the items and links of a decoded OParl document."""
    out = _Items(source)
    fields_seen: dict[str, bool] = {}
    if _is_list_page(data):
        _parse_list_page(out, data, url, context, fields_seen)
    elif isinstance(data, dict):
        kind = type_name(data, context.get("expect"), url)
        if kind == "Error":
            raise ParseError(f"the server answered with an OParl Error: {clean_text(data.get('message'))}")
        if kind == "System":
            system = system_summary(data)
            body_list = _url(data.get("body"))
            if body_list:
                out.follow.append(Link(body_list, "list", meta=_carry(context, list="body", listUrl=body_list, page=1, vendor=system["family"])))
        elif kind == "Body":
            _follow_body_lists(out, data, context)
        elif kind in _BUILDERS:
            out.add(data, kind, _parent_from_context(context))
        elif kind is None:
            raise ParseError("not an OParl document: no type, no data list")
    else:
        raise ParseError(f"not an OParl document: top-level {type(data).__name__}")
    return Parsed(items=out.items, follow=_unique(out.follow), fields_seen=fields_seen)


def _is_list_page(data: Any) -> bool:
    # Sternberg answers [] instead of an empty page when a filter matches nothing.
    return isinstance(data, list) or (isinstance(data, dict) and "data" in data and "id" not in data)


def _entries(data: Any) -> list:
    return as_list(data.get("data")) if isinstance(data, dict) else as_list(data)


def _list_name(entries: list, url: str, context: dict) -> str | None:
    if context.get("list"):
        return context["list"]
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("type"), str):
            kind = type_name(entry, None)
            return _list_of_type(kind)
    return _list_of_type(type_from_url(url))


def _list_of_type(kind: str | None) -> str | None:
    return next((name for name, t in LIST_TYPES.items() if t == kind), None)


def _parse_list_page(out: _Items, data: Any, url: str, context: dict, fields_seen: dict[str, bool]) -> None:
    entries = _entries(data)
    name = _list_name(entries, url, context)
    expected = LIST_TYPES.get(name or "")
    if expected == "Body":
        for entry in entries:
            if isinstance(entry, dict):
                _follow_body_lists(out, entry, context)
    else:
        for entry in entries:
            out.add(entry, expected)
    wanted = _EXPECTED_FIELDS.get(expected or "")
    live = [e for e in entries if isinstance(e, dict) and not _bool(e.get("deleted"))]
    if wanted and live:
        for field_name in wanted:
            fields_seen[field_name] = any(clean_text(e.get(field_name)) for e in live)
    next_url, _ = next_page(data, url, context)
    if next_url:
        out.follow.append(
            Link(
                next_url,
                "list",
                meta=_carry(
                    context,
                    list=name,
                    listUrl=context.get("listUrl") or url,
                    page=_page_number(data, context) + 1,
                    recent=[*(context.get("recent") or []), url][-_RECENT_PAGES:],
                    prevIds=page_id_digests(entries),
                ),
            )
        )


def _page_number(data: Any, context: dict) -> int:
    pagination = data.get("pagination") if isinstance(data, dict) and isinstance(data.get("pagination"), dict) else {}
    return int(context.get("page") or _int(pagination.get("currentPage")) or 1)


def _follow_body_lists(out: _Items, body: dict, context: dict) -> None:
    if _bool(body.get("deleted")):
        return
    body_id = _url(body.get("id"))
    wanted = context.get("lists") or (*MANDATORY_LISTS, *OPTIONAL_LISTS)
    for name in wanted:
        list_url = _url(body.get(name))
        if list_url:
            out.follow.append(Link(list_url, "list", meta=_carry(context, list=name, listUrl=list_url, body=body_id, page=1)))


def _carry(context: dict, **fields: Any) -> dict[str, Any]:
    """Return the context a followed link hands on: crawl-wide keys plus ``fields``."""
    kept = {k: context[k] for k in ("vendor", "lists") if context.get(k)}
    return {**kept, **fields}


def _parent_from_context(context: dict) -> _Parent | None:
    if context.get("parentType") and context.get("parent"):
        return _Parent(context["parentType"], context["parent"], context.get("role"), context.get("position"))
    return None


def _unique(links: list[Link]) -> list[Link]:
    seen: set[tuple[str, str]] = set()
    out = []
    for link in links:
        if (link.url, link.kind) not in seen:
            seen.add((link.url, link.kind))
            out.append(link)
    return out


def page_id_digests(entries: list) -> list[str]:
    """Return short digests of the object ids on a list page (to notice a repeated page)."""
    ids = (_url(e.get("id")) if isinstance(e, dict) else _url(e) for e in entries)
    return [hashlib.blake2b(i.encode(), digest_size=6).hexdigest() for i in ids if i]


def next_page(data: Any, url: str, context: dict) -> tuple[str | None, str | None]:
    """Return (the next page to fetch, why the walk stops before the list's end).

    The walk follows ``links.next`` only. It stops safely, and says why, when
    ``next`` points to the page itself or to a page already walked, when a
    page brings no ids the previous page did not have, when an empty page
    still has a ``next`` (unless the pagination says more pages follow), and
    when there are far more pages than the server announced. No ``next`` is
    the regular end: (None, None).
    """
    if not isinstance(data, dict) or not isinstance(data.get("links"), dict):
        return None, None
    links = data["links"]
    target = _url(links.get("next"))
    if not target:
        return None, None
    if target in {url, _url(links.get("self"))}:
        return None, f"next link {target} is the page itself"
    if target in (context.get("recent") or []):
        return None, f"next link {target} leads back to a page already walked"
    digests = page_id_digests(_entries(data))
    previous = set(context.get("prevIds") or [])
    if digests and previous and set(digests) <= previous:
        return None, f"page {url} repeats the objects of the page before"
    pagination = data.get("pagination") if isinstance(data.get("pagination"), dict) else {}
    total, current = _int(pagination.get("totalPages")), _int(pagination.get("currentPage"))
    if not digests and not (total and current and current < total):
        return None, f"page {url} is empty but has a next link"
    page_number = _page_number(data, context)
    if total and page_number > 2 * total + 10:
        return None, f"walked {page_number} pages, the server announced {total}"
    return target, None


# --------------------------------------------------------------------------
# Incremental sync: modified_since


def modified_since_value(moment: dt.datetime) -> str:
    """Return a ``modified_since`` value: UTC, seconds precision (Wuppertal rejects microseconds)."""
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()


def with_modified_since(url: str, moment: dt.datetime, vendor: str) -> str:
    """Return a list URL asking only for objects changed since ``moment``.

    The spec wants the value percent-encoded; SOMACOS SessionNet answers 404
    to ``%3A``/``%2B`` and needs the literal ``:`` and ``+``.
    """
    value = modified_since_value(moment)
    encoded = value if vendor == "somacos" else quote(value, safe="")
    base, _, fragment = url.partition("#")
    separator = "&" if urlsplit(base).query else ("" if base.endswith("?") else "?")
    return f"{base}{separator}modified_since={encoded}" + (f"#{fragment}" if fragment else "")


# --------------------------------------------------------------------------
# The crawl-wide side


def crawl_session(settings: Any, staging: Any) -> "OParlSync":
    """Return the session the generic spider keeps for an OParl crawl (its optional dialect hook)."""
    return OParlSync.from_settings(settings, staging)


class OParlSync:
    """Incremental requests, per-list bookkeeping and progress of one OParl crawl.

    * ``request_for`` adds ``modified_since`` (last complete walk's start minus
      the overlap, default one day) to the first page of every list that has
      state, unless the crawl is a full one (``RATSINFO_OPARL_FULL``, no state
      for the list, or no full walk for ``RATSINFO_OPARL_FULL_AFTER_DAYS``).
    * ``parse`` parses a page, counts pages and objects per list, logs one
      progress line per list page and notices a server that ignores the filter
      (it returns objects older than ``modified_since``).
    * ``recover`` turns Sternberg's 404 "code 802" answer to a filtered list
      that matches nothing into an empty page.
    * ``manifest`` is what the crawl records (``oparl`` in crawl.json); the
      load turns it into ``oparl_list_state`` rows (``pipelines.sync_state``).
    """

    def __init__(
        self,
        *,
        state: dict | None = None,
        full: bool = False,
        started_at: dt.datetime | None = None,
        overlap: dt.timedelta = dt.timedelta(days=1),
        full_after: dt.timedelta | None = dt.timedelta(days=8),
        lists: tuple[str, ...] | None = None,
        resumed: dict | None = None,
        staging: Any = None,
    ):
        self.state = (state or {}).get("lists") or {}
        self.full = full
        self.started_at = started_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        self.overlap = overlap
        self.full_after = full_after
        self.lists_wanted = lists
        self.staging = staging
        self.notes: list[str] = []
        resumed = resumed or {}
        self.lists: dict[str, dict[str, Any]] = resumed.get("lists") or {}
        self.bodies: dict[str, dict[str, Any]] = {b["id"]: b for b in resumed.get("bodies") or [] if b.get("id")}
        self.system: dict[str, Any] | None = resumed.get("system")
        self._pages_since_flush = 0

    @classmethod
    def from_settings(cls, settings: Any, staging: Any = None) -> "OParlSync":
        state_path = settings.get("RATSINFO_SYNC_STATE")
        state = json.loads(Path(state_path).read_text()) if state_path and Path(state_path).exists() else {}
        manifest = staging.read_manifest() if staging is not None else {}
        started = parse_datetime(manifest.get("startedAt"))
        lists = tuple(x.strip() for x in str(settings.get("RATSINFO_OPARL_LISTS") or "").split(",") if x.strip()) or None
        full_after_days = float(settings.get("RATSINFO_OPARL_FULL_AFTER_DAYS") or 8)
        return cls(
            state=state,
            full=str(settings.get("RATSINFO_OPARL_FULL") or "").lower() in {"1", "true", "yes", "on"},
            started_at=started,
            overlap=dt.timedelta(hours=float(settings.get("RATSINFO_OPARL_OVERLAP_HOURS") or 24)),
            full_after=dt.timedelta(days=full_after_days) if full_after_days > 0 else None,
            lists=lists,
            resumed=manifest.get("oparl") if manifest.get("resumedAt") else None,
            staging=staging,
        )

    # -- requests ----------------------------------------------------------
    def request_for(self, link: Link) -> Link:
        """Return the link to request: list first pages get ``modified_since`` when a later run can use it."""
        if link.kind == "entry" and self.lists_wanted:
            return Link(link.url, link.kind, meta={**link.meta, "lists": list(self.lists_wanted)})
        if link.kind != "list" or link.meta.get("list") in (None, "body") or int(link.meta.get("page") or 1) != 1:
            return link
        list_url = link.meta.get("listUrl") or link.url
        since = self._modified_since(list_url)
        self.lists[list_url] = {
            "list": link.meta.get("list"),
            "body": link.meta.get("body"),
            "startedAt": self.started_at.isoformat(),
            "modifiedSince": modified_since_value(since) if since else None,
            "full": since is None,
            "pages": 0,
            "objects": 0,
            "deleted": 0,
            "totalPages": None,
            "complete": False,
            "stopped": None,
            "filterIgnored": False,
        }
        if since is None:
            return link
        vendor = link.meta.get("vendor") or "generic"
        return Link(with_modified_since(link.url, since, vendor), link.kind, meta=dict(link.meta))

    def _modified_since(self, list_url: str) -> dt.datetime | None:
        entry = self.state.get(list_url) or {}
        last = parse_datetime(entry.get("lastWalkStartedAt"))
        if self.full or last is None:
            return None
        last_full = parse_datetime(entry.get("lastFullWalkStartedAt"))
        if self.full_after is not None and (last_full is None or self.started_at - last_full > self.full_after):
            return None
        return last - self.overlap

    # -- pages -------------------------------------------------------------
    def parse(self, page: Page, source: str, meta: dict | None) -> Parsed:
        """Return the page's items and links, keeping the crawl's books on the way."""
        global _kind_cache
        meta = meta or {}
        data, note = load_json(page.text)
        if note:
            self.notes.append(f"repaired: {note}")
        parsed = parse_document(data, page.url, source, meta)
        _kind_cache = (id(page.text), page.url, document_kind(data, page.url, meta))
        self._remember_system_and_bodies(data)
        if _is_list_page(data) and meta.get("list") not in (None, "body"):
            self._count_list_page(data, page.url, meta)
        return parsed

    def drain_notes(self) -> list[str]:
        """Return (and forget) the warnings about pages parsed since the last call."""
        notes, self.notes = self.notes, []
        return notes

    def recover(self, url: str, status: int | None, body: bytes, meta: dict | None) -> Parsed | None:
        """Return an empty page for Sternberg's 404 (error code 802) to a filtered list; else None."""
        meta = meta or {}
        if status != 404 or "modified_since=" not in url or meta.get("list") in (None, "body"):
            return None
        try:
            answer = json.loads(body.decode("utf-8", "replace"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            return None
        if not isinstance(answer, dict) or str(answer.get("code")) != "802":
            return None
        self._count_list_page([], url, meta)
        return Parsed()

    def _remember_system_and_bodies(self, data: Any) -> None:
        if isinstance(data, dict) and type_name(data, None) == "System":
            self.system = system_summary(data)
            return
        entries = _entries(data) if _is_list_page(data) else [data]
        for entry in entries:
            if isinstance(entry, dict) and type_name(entry, None) == "Body" and not _bool(entry.get("deleted")):
                summary = body_summary(entry)
                if summary["id"]:
                    self.bodies[summary["id"]] = summary

    def _count_list_page(self, data: Any, url: str, meta: dict) -> None:
        list_url = meta.get("listUrl") or url
        walk = self.lists.setdefault(
            list_url,
            {"list": meta.get("list"), "body": meta.get("body"), "startedAt": self.started_at.isoformat(),
             "modifiedSince": None, "full": True, "pages": 0, "objects": 0, "deleted": 0, "totalPages": None,
             "complete": False, "stopped": None, "filterIgnored": False},
        )
        entries = _entries(data)
        walk["pages"] += 1
        walk["objects"] += len(entries)
        walk["deleted"] += sum(1 for e in entries if isinstance(e, dict) and _bool(e.get("deleted")))
        pagination = data.get("pagination") if isinstance(data, dict) and isinstance(data.get("pagination"), dict) else {}
        walk["totalPages"] = _int(pagination.get("totalPages")) or walk["totalPages"]
        since = parse_datetime(walk.get("modifiedSince"))
        if since is not None and not walk["filterIgnored"]:
            # Objects changed before modified_since: the server ignored the filter
            # and sent the whole list (Karlsruhe's organizations do).
            for entry in entries:
                modified = parse_datetime(entry.get("modified")) if isinstance(entry, dict) else None
                if modified is not None and modified < since:
                    walk["filterIgnored"] = True
                    break
        next_url, stopped = next_page(data, url, meta)
        if next_url is None:
            walk["complete"] = stopped is None
            walk["stopped"] = stopped
            walk["finishedAt"] = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
            if stopped:
                logger.warning("stopped walking the %s list %s: %s", walk["list"], list_url, stopped)
        # One line per list page, for a person watching a crawl that takes hours.
        number = _int(pagination.get("currentPage")) or walk["pages"]
        of = f" of {walk['totalPages']}" if walk["totalPages"] else ""
        logger.info(
            "oparl %s list: page %d%s (%d fetched), %d objects on it, %d so far%s%s",
            walk["list"], number, of, walk["pages"], len(entries), walk["objects"],
            f", changed since {walk['modifiedSince']}" if walk.get("modifiedSince") else "",
            ", done" if next_url is None else "",
        )
        self._pages_since_flush += 1
        if self.staging is not None and self._pages_since_flush >= 25:
            self._pages_since_flush = 0
            self.staging.update_manifest(**self.manifest())

    # -- the record ----------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        """Return the crawl's OParl record for crawl.json: system, bodies, list walks."""
        return {
            "oparl": {
                "startedAt": self.started_at.isoformat(),
                "full": self.full,
                "system": self.system,
                "bodies": list(self.bodies.values()),
                "lists": self.lists,
            }
        }


__all__ = [
    "NAME",
    "OParlSync",
    "as_list",
    "body_summary",
    "clean_text",
    "crawl_session",
    "detect",
    "document_kind",
    "load_json",
    "mime_type",
    "modified_since_value",
    "next_page",
    "normalise_ags",
    "page_kind",
    "parse",
    "parse_datetime",
    "parse_day",
    "parse_document",
    "point_lon_lat",
    "start_urls",
    "system_summary",
    "type_from_url",
    "type_name",
    "vendor_of",
    "with_modified_since",
]
