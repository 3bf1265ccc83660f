"""The item types every spider yields and every warehouse table holds.

The vocabulary is OParl 1.1 (Paper, Consultation, Meeting, AgendaItem,
Organization, Person, Membership, File) with camelCase field names as in the
OParl specification, so that HTML and OParl sources land in the same tables.
Where OParl has no field (lead office, vote counts, signatories, text sections,
the source system's own ids), the model extends it.

Conventions shared by all items:

* ``source``   the municipality slug from ``data/sources.toml`` (or derived
  from the host for ad-hoc crawls).
* ``system``   the dialect that produced the item (``allris_classic``,
  ``allris4``, ``sessionnet``, ``oparl``).
* ``systemId`` the source system's own id for the object: VOLFDNR, SILFDNR,
  TOLFDNR, DOLFDNR, KPLFDNR for ALLRIS; ``__kvonr`` etc. for SessionNet; the
  object URL for OParl. Where a system has no id for an object (a station of
  a Beratungsfolge), the parser derives one from its parent and position.
  ``(source, systemId)`` is the natural key of every table.
* References to other objects (``paper``, ``meeting``, ``organization`` …)
  hold the referenced object's ``systemId`` in the same source.
* ``url``      the page or API object the item was read from.
* Fields ending in ``Raw`` keep the string exactly as the page printed it;
  the normalised value sits beside it (``date`` next to ``dateRaw``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, ClassVar

# A JSON value stored as-is (lists of dicts, etc.).
JSON = Any


@dataclass(kw_only=True)
class Item:
    """Fields every item carries."""

    table: ClassVar[str] = ""

    source: str
    system: str
    systemId: str
    url: str | None = None
    web: str | None = None  # the human-readable page, where different from url
    deleted: bool = False
    created: dt.datetime | None = None
    modified: dt.datetime | None = None
    # Set by the crawl, not by parsers: when the page behind this item was fetched.
    crawledAt: dt.datetime | None = None

    @property
    def type(self) -> str:
        return type(self).__name__

    def to_dict(self) -> dict[str, Any]:
        """Return the item as a JSON-ready dict with its ``type``."""
        return self._json_fields(with_empty=True)

    def to_staged(self) -> dict[str, Any]:
        """Return the item as a line of a crawl's ``items.jsonl``: ``to_dict`` without the fields that hold no
        value. The load reads a missing field as NULL; most fields of most items are empty, and every
        byte left out is one the crawl need not write nor the load read."""
        return self._json_fields(with_empty=False)

    def _json_fields(self, *, with_empty: bool) -> dict[str, Any]:
        # Called once per staged item: field names are looked up once per class,
        # and only values that are no JSON scalar go through _jsonable.
        cls = type(self)
        names = _FIELD_NAMES.get(cls) or _field_names(cls)
        values = self.__dict__
        out: dict[str, Any] = {"type": cls.__name__}
        for name in names:
            value = values[name]
            if value is not None or with_empty:
                out[name] = value if value.__class__ in _SCALARS else _jsonable(value)
        return out


@dataclass(kw_only=True)
class Organization(Item):
    """A committee (Gremium/Ausschuss), faction, party or office."""

    table: ClassVar[str] = "organization"

    name: str | None = None
    shortName: str | None = None
    organizationType: str | None = None  # Gremium, Fraktion, Verwaltungsbereich …
    classification: str | None = None
    startDate: dt.date | None = None
    endDate: dt.date | None = None
    isStub: bool = False  # created for a dangling reference, not seen itself


@dataclass(kw_only=True)
class Person(Item):
    table: ClassVar[str] = "person"

    name: str | None = None
    familyName: str | None = None
    givenName: str | None = None
    formOfAddress: str | None = None
    title: JSON = None  # list[str]
    affix: str | None = None
    gender: str | None = None
    status: JSON = None  # list[str]
    isStub: bool = False


@dataclass(kw_only=True)
class Membership(Item):
    table: ClassVar[str] = "membership"

    person: str | None = None  # Person.systemId
    organization: str | None = None  # Organization.systemId
    role: str | None = None
    votingRight: bool | None = None
    startDate: dt.date | None = None
    endDate: dt.date | None = None
    onBehalfOf: str | None = None  # faction the person sits for
    onBehalfOfName: str | None = None


@dataclass(kw_only=True)
class Meeting(Item):
    table: ClassVar[str] = "meeting"

    name: str | None = None
    shortName: str | None = None  # SessionNet siname "Rat/005/2026"
    organization: str | None = None  # committee systemId
    organizationName: str | None = None
    dateRaw: str | None = None
    date: dt.date | None = None
    datePrecision: str | None = None  # day, month, year
    timeRaw: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    room: str | None = None
    locality: str | None = None  # Ort
    meetingState: str | None = None
    cancelled: bool | None = None
    isStub: bool = False  # created for a dangling reference, not seen itself


@dataclass(kw_only=True)
class AgendaItem(Item):
    table: ClassVar[str] = "agenda_item"

    meeting: str | None = None
    number: str | None = None
    order: int | None = None
    parent: str | None = None  # systemId of the enclosing agenda item (nested TOPs such as "Ö 2.1")
    name: str | None = None
    public: bool | None = None
    paper: str | None = None  # Paper.systemId, when linked
    paperReference: str | None = None
    consultation: str | None = None  # Consultation.systemId (OParl links agenda item → consultation → paper)
    resultRaw: str | None = None
    # Normalised result: accepted, rejected, postponed, noted, amended,
    # withdrawn, unknown; NULL while undecided ("(offen)").
    result: str | None = None
    unanimous: bool | None = None
    votesYes: int | None = None
    votesNo: int | None = None
    votesAbstain: int | None = None
    votesBiased: int | None = None
    voteRaw: str | None = None  # the Abstimmungsergebnis text, where separate
    # Votes on motions about the proposal in the same text (Änderungs-, Zusatzantrag …):
    # [{result, unanimous, yes, no, abstain, biased, raw}], the main resolution above.
    otherVotes: JSON = None
    resolutionText: str | None = None  # Beschluss
    protocolText: str | None = None  # Wortprotokoll / Beratung


@dataclass(kw_only=True)
class Paper(Item):
    """A Vorlage / Drucksache / Antrag."""

    table: ClassVar[str] = "paper"

    reference: str | None = None
    name: str | None = None  # Betreff
    paperType: str | None = None
    status: str | None = None
    dateRaw: str | None = None
    date: dt.date | None = None
    datePrecision: str | None = None
    author: str | None = None  # Verfasser / Berichterstatter
    clerk: str | None = None  # Bearbeiter/-in
    leadOfficeRaw: str | None = None
    leadOfficeKind: str | None = None  # Amt, Fachbereich, Dezernat, Stabsstelle …
    leadOfficeCode: str | None = None
    leadOfficeName: str | None = None
    participatingOffices: JSON = None  # list[str] as printed (ALLRIS 4 #vobamt)
    fileNumber: str | None = None  # Aktenzeichen (SessionNet voakz)
    underDirectionOf: JSON = None  # OParl Organization ids (list[str])
    sachverhalt: str | None = None
    beschlussvorschlag: str | None = None
    begruendung: str | None = None
    beschluss: str | None = None
    otherText: JSON = None  # {section label: text} for sections without a column
    signatories: JSON = None  # list[{order, name, role, representation}]
    relatedPaper: JSON = None  # list[str]
    superordinatedPaper: JSON = None
    subordinatedPaper: JSON = None
    references: JSON = None  # list[{raw, reference, paper}] found in the texts
    topics: JSON = None  # list[str] topic names
    topicTerms: JSON = None  # list[str] terms that fired
    isStub: bool = False  # created for a dangling reference, not seen itself


@dataclass(kw_only=True)
class Consultation(Item):
    """One station of a paper's Beratungsfolge."""

    table: ClassVar[str] = "consultation"

    paper: str | None = None
    position: int | None = None
    meeting: str | None = None
    agendaItem: str | None = None
    organization: str | None = None
    organizationName: str | None = None
    role: str | None = None  # Entscheidung, Vorberatung, Kenntnisnahme …
    authoritative: bool | None = None
    state: str | None = None  # Erledigt, Geplant, Bereit …
    dateRaw: str | None = None
    date: dt.date | None = None
    datePrecision: str | None = None
    resultRaw: str | None = None
    result: str | None = None


@dataclass(kw_only=True)
class File(Item):
    """A document: main file, attachment, invitation, protocol."""

    table: ClassVar[str] = "file"

    parentType: str | None = None  # Paper, Meeting, AgendaItem
    parent: str | None = None  # parent systemId
    role: str | None = None  # mainFile, auxiliaryFile, invitation, resultsProtocol …
    position: int | None = None
    name: str | None = None
    fileName: str | None = None
    mimeType: str | None = None
    dateRaw: str | None = None
    date: dt.date | None = None
    size: int | None = None
    accessUrl: str | None = None
    downloadUrl: str | None = None
    sha256: str | None = None  # of the downloaded bytes, when downloaded
    text: str | None = None  # extracted text, when extracted
    textStatus: str | None = None  # ok, no_text_layer, too_large, timeout, error, login_page, fetch_failed …
    # Set by the documents stage (pipelines.warehouse.document_stage), not by parsers:
    textUrl: str | None = None  # the accessUrl that text/textStatus were got from (a new accessUrl is fetched again)
    textAttempts: int | None = None  # documents-stage attempts on textUrl so far (bounded retries of failures)


ITEM_TYPES: tuple[type[Item], ...] = (
    Organization,
    Person,
    Membership,
    Meeting,
    AgendaItem,
    Paper,
    Consultation,
    File,
)
ITEM_TYPES_BY_NAME: dict[str, type[Item]] = {t.__name__: t for t in ITEM_TYPES}
# Which fields the item types have, in short: a crawl's manifest records the one its items were staged with
# (``itemFields``), so that a load by a ratsinfo whose items have other fields can tell (another version on
# another machine) instead of reading the lines as if they were its own.
ITEM_FIELDS = hashlib.sha256(
    json.dumps({t.__name__: [f.name for f in dataclasses.fields(t)] for t in ITEM_TYPES}, sort_keys=True).encode()
).hexdigest()[:16]


def item_from_dict(data: dict[str, Any]) -> Item:
    """Return the item a ``to_dict`` output describes (dates parsed back)."""
    cls = ITEM_TYPES_BY_NAME[data["type"]]
    kwargs: dict[str, Any] = {}
    hints = {f.name: f for f in dataclasses.fields(cls)}
    for key, value in data.items():
        if key == "type" or key not in hints:
            continue
        kwargs[key] = _from_json(hints[key].type, value)
    return cls(**kwargs)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_SCALARS = frozenset({str, type(None), bool, int, float})


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _from_json(type_name: Any, value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    annotation = str(type_name)
    if annotation.startswith("dt.datetime"):
        return dt.datetime.fromisoformat(value)
    if annotation.startswith("dt.date"):
        return dt.date.fromisoformat(value)
    return value


__all__ = [
    "Item",
    "Organization",
    "Person",
    "Membership",
    "Meeting",
    "AgendaItem",
    "Paper",
    "Consultation",
    "File",
    "ITEM_TYPES",
    "ITEM_TYPES_BY_NAME",
    "item_from_dict",
    "field",
]
