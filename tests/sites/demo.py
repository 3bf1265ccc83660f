"""Write the demo council information system (static pages and expected.json).

Reads the fictional council matter in ``data/demo/content.json`` and writes

* ``site/``          static pages, one folder per municipality, in the markup of
  ALLRIS net 3.9.5 (ISO-8859-1, CRLF, Aspose sub-documents) and SessionNet
  5.5.4 Layout 6 (UTF-8 with entities), plus small PDFs for every document;
* ``expected.json``  what the site contains, counted from the same data, so an
  end-to-end crawl can be compared with it.

Query URLs are stored as files named after their identifying query
parameters: ``/musterstadt/bi/vo020.asp?VOLFDNR=5001`` is
``site/musterstadt/bi/vo020.asp/VOLFDNR=5001.html``, a page without
parameters is ``.../au010.asp/index.html``. Documents are small PDFs written
here (Helvetica, WinAnsiEncoding): ALLRIS ``do027.asp?DOLFDNR=N&options=64``
is ``do027.asp/DOLFDNR=N.pdf``, ALLRIS Anlagen keep the real session-style
path ``___tmp/tmp/45-181-136/<token>/…/NN-Anlagen/01/<name>.pdf``, SessionNet
``getfile.asp?id=N&type=do`` is ``getfile.asp/id=N&type=do.pdf``. ``flows/demo_site.py`` serves the
folder with that mapping. The output is deterministic: no clock, no
randomness, sorted iteration, so running the generator again gives
byte-identical files (the tests check this).

Usage: ``python -m tests.sites.demo [--out DIR] [--expected FILE]``
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import hashlib
import html
import json
import re
import shutil
import textwrap
import types
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
DEFAULT_OUT = DEMO / "site"
DEFAULT_EXPECTED = DEMO / "expected.json"
DEFAULT_CONTENT = DEMO / "content.json"


def load_content(path: Path = DEFAULT_CONTENT) -> Any:
    """Return the demo council matter (``data/demo/content.json``) as attributes TODAY, CALENDAR_MONTHS …"""
    data = json.loads(path.read_text(encoding="utf-8"))
    return types.SimpleNamespace(
        TODAY=data["today"],
        CALENDAR_MONTHS=data["calendarMonths"],
        SIGNATURES=data["signatures"],
        MUNICIPALITIES=data["municipalities"],
    )


# ===========================================================================
# Model: the content with ids assigned and cross references resolved
# ===========================================================================


@dataclass
class Committee:
    key: str
    id: int
    name: str
    meeting_name: str
    room: str
    prefix: str = ""


@dataclass
class Faction:
    key: str
    id: int
    name: str


@dataclass
class Person:
    key: str
    id: int
    family: str
    given: str
    faction: Faction | None
    list_name: str | None  # Integrationsrat list for members without faction

    def display(self, fmt: str) -> str:
        return f"{self.family}, {self.given}" if fmt == "last_first" else f"{self.given} {self.family}"


@dataclass
class Doc:
    """A downloadable document (always a PDF in the demo)."""

    id: int | None  # DOLFDNR / getfile id; None for ALLRIS Anlagen (temp paths)
    kind: str  # mainFile, collection, attachment, invitation, agenda, minutes
    name: str
    url: str  # relative to the municipality base path
    file: str  # path of the PDF below site/
    position: int = 0
    lines: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Station:
    paper: "Paper"
    position: int
    committee: Committee
    role: str
    meeting: "Meeting | None"
    result: str | None
    vote: str | None
    item: "AgendaItem | None" = None

    @property
    def state(self) -> str:
        if self.meeting is None:
            return "Bereit"
        return "Erledigt" if self.meeting.held else "Geplant"


@dataclass
class AgendaItem:
    id: int
    meeting: "Meeting"
    number: str
    order: int
    title: str
    public: bool
    kind: str  # detail, plain, heading, nonpublic
    paper: "Paper | None" = None
    result: str | None = None
    vote: str | None = None
    resolution: list[str] = field(default_factory=list)
    protocol: list[str] = field(default_factory=list)
    addendum: bool = False

    @property
    def has_detail(self) -> bool:
        return self.kind == "detail"


@dataclass
class Meeting:
    key: str
    id: int
    committee: Committee
    date: dt.date
    start: str
    end: str | None
    agenda: str  # published, none, cancelled
    today: dt.date
    items: list[AgendaItem] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return self.date < self.today and self.agenda != "cancelled"

    @property
    def time_text(self) -> str:
        return f"{self.start} - {self.end}" if self.end and self.held else self.start


@dataclass
class Paper:
    key: str
    id: int
    ref: str
    date: dt.date
    type: str
    subject: str
    author: str | None
    clerk: str | None
    lead: str
    topic: str | None
    pdf: str
    collection: bool
    attachments: list[str]
    bv: list[str]
    sv: list[str]
    akz: str | None
    addendum: str | None
    stations: list[Station] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)
    text_ids: dict[str, int] = field(default_factory=dict)

    @property
    def is_motion(self) -> bool:
        return self.type in ("Antrag", "Anfrage")

    @property
    def main_doc(self) -> Doc:
        return next(d for d in self.docs if d.kind == "mainFile")


@dataclass
class Municipality:
    raw: dict
    slug: str
    name: str
    system: str
    base_path: str
    ags: str
    today: dt.date
    committees: list[Committee]
    factions: list[Faction]
    persons: list[Person]
    meetings: list[Meeting]
    papers: list[Paper]
    rosters: dict[str, list[tuple[Person, str, str]]]  # org key -> (person, role, section)
    signatures: list

    @property
    def style(self) -> dict:
        return self.raw.get("style", {})

    def committee(self, key: str) -> Committee:
        return next(c for c in self.committees if c.key == key)

    def meeting(self, key: str) -> Meeting:
        return next(m for m in self.meetings if m.key == key)


def parse_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def build_municipality(raw: dict, content: Any) -> Municipality:
    """Return the municipality with ids assigned, agendas built and documents listed."""
    today = parse_date(content.TODAY)
    ids = raw["ids"]
    committees = [
        Committee(key=c[0], id=ids["committee"] + i, name=c[1], meeting_name=c[2], room=c[3],
                  prefix=c[4] if len(c) > 4 else "")
        for i, c in enumerate(raw["committees"])
    ]
    factions = [Faction(key=f[0], id=ids["faction"] + i, name=f[1]) for i, f in enumerate(raw["factions"])]
    by_faction = {f.key: f for f in factions}
    persons = []
    for i, (key, family, given, group) in enumerate(raw["persons"]):
        faction = by_faction.get(group)
        persons.append(Person(key=key, id=ids["person"] + i, family=family, given=given, faction=faction,
                              list_name=group[1:] if group.startswith("=") else None))
    by_person = {p.key: p for p in persons}

    muni = Municipality(
        raw=raw, slug=raw["slug"], name=raw["name"], system=raw["system"], base_path=raw["basePath"],
        ags=raw["ags"], today=today, committees=committees, factions=factions, persons=persons,
        meetings=[], papers=[], rosters={}, signatures=content.SIGNATURES.get(raw["slug"], []),
    )

    # Meetings get SILFDNRs in date order, as the source system would.
    meeting_rows = sorted(raw["meetings"], key=lambda m: (m[2], m[3], m[0]))
    for i, (key, committee, date, start, end, agenda) in enumerate(meeting_rows):
        muni.meetings.append(Meeting(key=key, id=ids["meeting"] + i, committee=muni.committee(committee),
                                     date=parse_date(date), start=start, end=end, agenda=agenda, today=today))

    # Papers get VOLFDNRs in order of their date.
    paper_rows = sorted(raw["papers"], key=lambda p: (p["date"], p["ref"]))
    for i, p in enumerate(paper_rows):
        paper = Paper(
            key=p["key"], id=ids["paper"] + i, ref=p["ref"], date=parse_date(p["date"]), type=p["type"],
            subject=p["subject"], author=p.get("author"), clerk=p.get("clerk"), lead=p["lead"],
            topic=p.get("topic"), pdf=p.get("pdf", "plain"), collection=bool(p.get("collection")),
            attachments=list(p.get("attachments", [])), bv=list(p["bv"]), sv=list(p["sv"]),
            akz=p.get("akz"), addendum=p.get("addendum"),
        )
        for pos, (committee, role, meeting, result, vote) in enumerate(p["stations"], start=1):
            m = muni.meeting(meeting) if meeting else None
            if m is not None and not m.held:
                result, vote = None, None  # not decided yet
            paper.stations.append(Station(paper=paper, position=pos, committee=muni.committee(committee),
                                          role=role, meeting=m, result=result, vote=vote))
        muni.papers.append(paper)

    if muni.system == "allris_classic":
        for org_key, rows in raw["rosters"].items():
            muni.rosters[org_key] = [(by_person[pk], role, "") for pk, role in rows]
        chairs = set(raw.get("factionChairs", []))
        for faction in factions:
            members = [p for p in persons if p.faction is faction]
            members.sort(key=lambda p: (p.key not in chairs, p.family, p.given))
            muni.rosters[faction.key] = [
                (p, "Fraktionsvorsitzende/r" if p.key in chairs else
                 ("Sachkundige/r Bürger/in" if p.key not in {r[0] for r in raw["rosters"]["rat"]}
                  else "Fraktionsmitglied"), "")
                for p in members
            ]
    else:
        for org_key, sections in raw["rosters"].items():
            muni.rosters[org_key] = [(by_person[pk], role, heading)
                                     for heading, rows in sections for pk, role in rows]

    build_agendas(muni, ids["item"])
    build_documents(muni, ids["doc"])
    if muni.system == "allris_classic":
        text_id = ids["text"]
        for paper in muni.papers:
            for part in ("SV", "BV", "AN"):
                paper.text_ids[part] = text_id
                text_id += 1
    return muni


NONPUBLIC_NUMBERING_RESTARTS = {"sessionnet"}


def build_agendas(muni: Municipality, first_item_id: int) -> None:
    """Fill each published meeting's agenda: formal items, papers, non-public items."""
    item_id = first_item_id
    numbering = muni.style.get("agendaNumbering", "flat")
    previous: dict[str, dt.date] = {}
    nonpublic = muni.raw.get("nonPublic", [])
    for meeting in muni.meetings:
        # The minutes to approve are those of the committee's previous meeting (a June date for the first).
        first_minutes = dt.date(2026, 6, 15 + muni.committees.index(meeting.committee))
        prev_date = previous.get(meeting.committee.key) or first_minutes
        previous[meeting.committee.key] = meeting.date
        if meeting.agenda != "published":
            continue
        held = meeting.held
        stations = [s for p in muni.papers for s in p.stations if s.meeting is meeting]
        rows: list[dict] = []
        rows.append(dict(title="Eröffnung der Sitzung, Feststellung der ordnungsgemäßen Einberufung und der "
                               "Beschlussfähigkeit", kind="plain"))
        if muni.system == "allris_classic":
            rows.append(dict(title=f"Genehmigung der Niederschrift über die Sitzung vom {prev_date:%d.%m.%Y}",
                             kind="detail" if muni.style.get("minutesItemPage") else "plain",
                             result="ungeändert beschlossen", vote="einstimmig",
                             resolution=[f"Die Niederschrift über die Sitzung vom {prev_date:%d.%m.%Y} wird "
                                         f"genehmigt."]))
        if meeting.committee.key == "rat":
            rows.append(dict(title="Einwohnerfragestunde", kind="plain"))
        motions = [s for s in stations if s.paper.is_motion]
        others = [s for s in stations if not s.paper.is_motion]
        if numbering == "grouped":
            if others:
                rows.append(dict(title="Vorlagen der Verwaltung", kind="heading",
                                 children=[station_row(s) for s in others]))
            if motions:
                rows.append(dict(title="Anträge und Anfragen", kind="heading",
                                 children=[station_row(s) for s in motions]))
        else:
            rows.extend(station_row(s) for s in others + motions)
        rows.append(dict(title="Mitteilungen der Verwaltung", kind="plain"))

        order = 0
        number = 0
        for row in rows:
            number += 1
            order += 1
            item = make_item(muni, meeting, item_id, f"Ö {number}", order, row, held)
            item_id += 1
            meeting.items.append(item)
            for sub, child in enumerate(row.get("children", []), start=1):
                order += 1
                item = make_item(muni, meeting, item_id, f"Ö {number}.{sub}", order, child, held)
                item_id += 1
                meeting.items.append(item)
        np_number = 0 if muni.system in NONPUBLIC_NUMBERING_RESTARTS else number
        for title, keys in nonpublic:
            if meeting.key in keys:
                np_number += 1
                order += 1
                meeting.items.append(AgendaItem(id=item_id, meeting=meeting, number=f"N {np_number}", order=order,
                                                title=title, public=False, kind="nonpublic"))
                item_id += 1


def station_row(station: Station) -> dict:
    paper = station.paper
    return dict(title=paper.subject, kind="detail", paper=paper, station=station, result=station.result,
                vote=station.vote, addendum=paper.addendum == (station.meeting.key if station.meeting else None))


def make_item(muni: Municipality, meeting: Meeting, item_id: int, number: str, order: int, row: dict,
              held: bool) -> AgendaItem:
    """Return one public agenda item with result, vote and texts for a held meeting."""
    item = AgendaItem(id=item_id, meeting=meeting, number=number, order=order, title=row["title"], public=True,
                      kind=row["kind"], paper=row.get("paper"), addendum=bool(row.get("addendum")))
    station = row.get("station")
    if station is not None:
        station.item = item
    if item.kind != "detail":
        return item
    if not held:
        return item  # undecided: "(offen)" on the page, no texts
    item.result = row.get("result")
    item.vote = row.get("vote")
    item.protocol = list(row.get("protocol", []))
    if item.paper is not None:
        item.resolution = resolution_text(item.paper, meeting.committee, item.result)
        if item.id % 7 == 0:
            item.protocol = [f"Die Verwaltung erläutert die {muni.style.get('paperWord', 'Vorlage')} "
                             f"{item.paper.ref}. Es schließt sich eine Aussprache an."]
    else:
        item.resolution = list(row.get("resolution", []))
    return item


def resolution_text(paper: Paper, committee: Committee, result: str | None) -> list[str]:
    """Return the Beschluss text an agenda item records for a paper and a result."""
    body = [t for t in paper.bv if not t.endswith(":")]
    if not result:
        return []
    if "Kenntnis" in result:
        return [f"Das Gremium {committee.name} nimmt die Vorlage zur Kenntnis."]
    if result == "vertagt":
        return ["Die Beratung wird vertagt."]
    if result == "abgelehnt":
        return ["Der Antrag wird abgelehnt."]
    if result.startswith("geändert"):
        return body + ["Mit folgender Änderung: Die Verwaltung berichtet halbjährlich über den Sachstand."]
    return body


def build_documents(muni: Municipality, first_doc_id: int) -> None:
    """List every document of papers and meetings with its URL, file path and PDF text."""
    doc_id = first_doc_id
    base = muni.slug + muni.base_path[len("/" + muni.slug):]  # "musterstadt/bi/"
    allris = muni.system == "allris_classic"

    def new_doc(kind: str, name: str, position: int = 0) -> Doc:
        nonlocal doc_id
        if allris:
            url = f"do027.asp?DOLFDNR={doc_id}&options=64"
            file = f"{base}do027.asp/DOLFDNR={doc_id}.pdf"
        else:
            url = f"getfile.asp?id={doc_id}&type=do"
            file = f"{base}getfile.asp/id={doc_id}&type=do.pdf"
        doc = Doc(id=doc_id, kind=kind, name=name, url=url, file=file, position=position)
        doc_id += 1
        return doc

    word = muni.style.get("paperWord", "Vorlage")
    for paper in muni.papers:
        main_name = word if allris else paper.type
        main = new_doc("mainFile", main_name)
        main.lines = paper_pdf_lines(muni, paper)
        paper.docs.append(main)
        if allris and paper.collection:
            coll_name = "Vorlage mit Anlagen" if word == "Vorlage" else f"{word}-Sammeldokument"
            coll = new_doc("collection", coll_name)
            coll.lines = paper_pdf_lines(muni, paper) + [("", "")] + [
                ("b", f"Anlage {i}: {name}") for i, name in enumerate(paper.attachments, start=1)]
            paper.docs.append(coll)
        for i, name in enumerate(paper.attachments, start=1):
            if allris:
                token = hashlib.sha1(f"{muni.slug}/{paper.id}".encode()).hexdigest()
                slug_name = re.sub(r"[^A-Za-z0-9]+", "", ascii_fold(name))[:40] or f"Anlage{i}"
                url = (f"___tmp/tmp/45-181-136/{token[:40]}/{token[:8]}/{paper.id % 100:02d}-Anlagen/"
                       f"{i:02d}/{slug_name}.pdf")
                doc = Doc(id=None, kind="attachment", name=name, url=url, file=base + url, position=i)
            else:
                doc = new_doc("attachment", name, position=i)
            doc.lines = [("h1", muni.name), ("b", f"Anlage {i} zu {word} {paper.ref}"), ("b", name), ("", ""),
                         ("p", f"Diese Anlage gehört zur {word} \"{one_line(paper.subject)}\". Sie ist ein "
                               f"Beispieldokument der Demo-Installation.")]
            paper.docs.append(doc)
    for meeting in muni.meetings:
        if meeting.agenda != "published":
            continue
        invitation = new_doc("invitation" if allris else "agenda",
                             "Einladung" if allris else "Tagesordnung öffentlich")
        invitation.lines = meeting_pdf_lines(muni, meeting, minutes=False)
        meeting.docs.append(invitation)
        if meeting.held and muni.raw.get("minutesDocuments", True):
            minutes = new_doc("minutes", "Niederschrift öffent. Teil" if allris else "Niederschrift öffentlich")
            minutes.lines = meeting_pdf_lines(muni, meeting, minutes=True)
            meeting.docs.append(minutes)


def ascii_fold(text: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss",
                           "–": "-"})
    return text.translate(table)


def one_line(text: str) -> str:
    return " ".join(text.split())


def paper_pdf_lines(muni: Municipality, paper: Paper) -> list[tuple[str, str]]:
    """Return the text lines of a paper's main document (Würselen-like layout)."""
    word = muni.style.get("paperWord", "Vorlage") if muni.system == "allris_classic" else "Vorlage"
    lines: list[tuple[str, str]] = [
        ("h1", muni.name),
        ("p", "Die Bürgermeisterin" if muni.slug == "musterstadt" else
         ("Der Bürgermeister" if muni.slug == "beispielhausen" else "Die Oberbürgermeisterin")),
        ("", ""),
        ("b", f"{word} {paper.ref}"),
        ("p", f"{paper.type} - öffentlich"),
        ("p", f"Datum: {paper.date:%d.%m.%Y}"),
        ("p", f"Federführend: {paper.lead}"),
        ("", ""),
        ("b", "Betreff:"),
    ]
    lines += [("p", part) for part in paper.subject.split("\n")]
    lines += [("", ""), ("b", "Beratungsfolge:")]
    for s in paper.stations:
        when = f"{s.meeting.date:%d.%m.%Y}" if s.meeting else "(noch nicht terminiert)"
        lines.append(("p", f"{when}  {s.committee.name}  {s.role}"))
    lines += [("", "")]
    for text in paper.bv:
        lines.append(("b" if text.endswith(":") else "p", text))
    if not any(t.endswith(":") for t in paper.bv):
        lines.insert(len(lines) - len(paper.bv), ("b", "Beschlussvorschlag:"))
    if paper.pdf == "signed" and muni.signatures:
        lines.append(("", ""))
        for left, right in muni.signatures:
            lines.append(("p", f"{signature_text(left)} . {signature_text(right)} ."))
            lines.append(("p", f"{left[2]} {right[2]}"))
    if paper.sv:
        lines += [("", ""), ("b", "Darstellung des Vorgangs:" if muni.slug == "musterstadt" else "Sachverhalt:")]
        lines += [("b" if t.endswith(":") else "p", t) for t in paper.sv]
    return lines


def signature_text(entry: tuple) -> str:
    representation, name, _role = entry
    return f"gez. {representation} {name}" if representation else f"gez. {name}"


def paper_signatories(muni: Municipality, paper: Paper) -> list[dict] | None:
    """Return the signatories the main document names, in reading order (None without a block)."""
    if paper.pdf != "signed" or not muni.signatures:
        return None
    out = []
    for left, right in muni.signatures:
        for representation, name, role in (left, right):
            out.append({"order": len(out) + 1, "name": name, "role": role, "representation": representation})
    return out


def meeting_pdf_lines(muni: Municipality, meeting: Meeting, minutes: bool) -> list[tuple[str, str]]:
    title = "Niederschrift" if minutes else "Einladung"
    lines: list[tuple[str, str]] = [
        ("h1", muni.name), ("b", f"{title} zur Sitzung: {meeting.committee.name}"),
        ("p", f"Datum: {meeting.date:%d.%m.%Y}, Beginn: {meeting.start} Uhr"),
        ("p", f"Ort: {meeting.committee.room}, {muni.raw['place'][1]}"), ("", ""), ("b", "Tagesordnung:"),
    ]
    for item in meeting.items:
        if not item.public:
            continue
        lines.append(("p", f"{item.number}  {one_line(item.title)}"))
        if minutes and item.result:
            lines.append(("p", f"      Ergebnis: {item.result}" + (f" ({item.vote})" if item.vote else "")))
    return lines


# ===========================================================================
# Text helpers
# ===========================================================================


def esc(text: str) -> str:
    """Escape for HTML text and attributes (quotes included)."""
    return html.escape(text, quote=True)


def hex_entities(text: str) -> str:
    """Return text with characters outside ISO-8859-1 as hex references (Aspose style)."""
    return "".join(c if ord(c) < 256 else f"&#x{ord(c):X};" for c in text)


def num_entities(text: str) -> str:
    """Return text with every non-ASCII character as a decimal reference (SessionNet style)."""
    return "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in text)


NAMED = {"ä": "&auml;", "ö": "&ouml;", "ü": "&uuml;", "Ä": "&Auml;", "Ö": "&Ouml;", "Ü": "&Uuml;", "ß": "&szlig;"}


def named_entities(text: str) -> str:
    return "".join(NAMED.get(c, c) for c in text)


def split_runs(text: str, limit: int = 3) -> list[str]:
    """Split text into Word-export runs right after non-ASCII letters (as Aspose output does)."""
    runs: list[str] = []
    start = 0
    for i, ch in enumerate(text):
        if len(runs) >= limit:
            break
        if ord(ch) > 127 and ch.isalpha() and 0 < i + 1 < len(text):
            runs.append(text[start:i + 1])
            start = i + 1
    runs.append(text[start:])
    return [r for r in runs if r]


DATE_RE = re.compile(r"\b(\d{2})\.(\d{2})\.(\d{4})\b")


def link_dates(escaped: str) -> str:
    """Link dd.mm.yyyy in escaped text to the ALLRIS calendar (Hildesheim style)."""
    return DATE_RE.sub(lambda m: (f'<a href="si010_e.asp?YY={m[3]}&amp;MM={m[2]}&amp;DD={m[1]}" '
                                  f'title="Sitzungskalender {m[2]}/{m[3]} anzeigen">{m[0]}</a>'), escaped)


def german_weekday(d: dt.date) -> str:
    return ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"][d.weekday()]


GERMAN_WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
GERMAN_MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                 "November", "Dezember"]
HOLIDAYS = {dt.date(2026, 10, 3): "Tag der Deutschen Einheit", dt.date(2026, 11, 1): "Allerheiligen"}
SCHOOL_HOLIDAYS = {dt.date(2026, 10, 12): "Herbstferien"}


def query_file(page: str, params: dict[str, Any], ext: str = "html") -> str:
    """Return the file name the server maps ``page?params`` to (params sorted, values quoted)."""
    if not params:
        return f"{page}/index.{ext}"
    name = "&".join(f"{k}={quote(str(v), safe='')}" for k, v in sorted(params.items()))
    return f"{page}/{name}.{ext}"


# ===========================================================================
# ALLRIS net 3.9.5 pages
# ===========================================================================

ALLRIS_META = "ALLRIS net Version 3.9.5 (221117m)"
SUBDOC_HEAD = ('<?xml version="1.0" encoding="iso-8859-1" standalone="no"?><!DOCTYPE html PUBLIC '
               '"-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
               '<html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" '
               'content="text/html; charset=iso-8859-1" /><meta http-equiv="Content-Style-Type" content="text/css" />'
               '<meta name="generator" content="Aspose.Words for .NET 19.1" /><title></title></head>')
P_STYLE = "margin-top:0pt; margin-bottom:8pt; line-height:108%; font-size:11pt"
EMPTY_P = f'<p style="{P_STYLE}"><span style="font-family:Arial; -aw-import:ignore">&#xa0;</span></p>'
STATE_COLORS = {"Erledigt": "#ffffff", "Geplant": "#73d216", "Bereit": "#edd400"}


class AllrisSite:
    """Renders the pages of one ALLRIS classic municipality."""

    def __init__(self, muni: Municipality) -> None:
        self.m = muni
        self.base = muni.base_path  # "/musterstadt/bi/"
        self.dir = muni.base_path.strip("/") + "/"  # "musterstadt/bi/"
        self.word = muni.style["paperWord"]
        self.fmt = muni.style["personFormat"]
        self.p_style = muni.style.get("paragraphStyle", P_STYLE)
        self.files: dict[str, bytes] = {}

    # -- shell ---------------------------------------------------------------

    def write(self, page: str, params: dict, title: str, h1: str, kind: str, body: str,
              object_id: int | None = None) -> None:
        self.files[self.dir + query_file(page, params)] = self.page(title, h1, kind, body, object_id)

    def page(self, title: str, h1: str, kind: str, body: str, object_id: int | None) -> bytes:
        obj = f'\n\t<meta name="objectID" content="{object_id}" />' if object_id else ""
        menu = f"""<li><strong>Bürgerinfo</strong>
	<ul>
	<li><a href="au010.asp?T1=Aussch%FCsse&amp;AU=Ausschuss&amp;SORTVON=1&amp;SORTBIS=400">Ausschüsse</a></li>
	<li><a href="fr010.asp?SELECT=1" title="Fraktionen/Gruppen">Fraktionen</a></li>
	<li><a href="si010_e.asp" title="Sitzungstermine aller Gremien">Kalender</a></li>
	<li><a href="vo040.asp" title="Recherche nach wählbaren Suchkriterien">{self.word}n</a></li>
	<li><a href="ri/logon.asp" title="Anmeldung für Mandatsträgerinnen und Mandatsträger">Anmelden</a></li>
	</ul>
</li>"""
        # Installs embedded in a town website show no ALLRIS menu and no bookmark bar.
        with_menu = self.m.style.get("menu", True)
        left = f"""<div id="risleft"><div id="rislogo"></div>
<div id="riswrap"><div id="rismenu"><ul id="menu">
{menu}
</ul>
</div></div>
</div>
""" if with_menu else ""
        navi = '<div id="risnavi"><ul id="navi_right"></ul>\n</div>\n' if with_menu else ""
        text = f"""<?xml version="1.0" encoding="iso-8859-1"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="de" lang="de">
<head>
	<link rel="stylesheet" href="conf/styles/defaults/styles.css" />
	<meta http-equiv="content-type" content="text/html; charset=iso-8859-1" />
	<title>{esc(title)}</title>
	<meta name="description" content="{ALLRIS_META}" />
	<meta name="language" content="de" />
	<meta name="keywords" content="Ratsinformationssystem, Ratsinfo, Sitzungsdienst, ALLRIS" />
	<meta name="classification" content="Government" />
	<meta name="rating" content="Safe For Kids" />
	<link rel="shortcut icon" type="image/x-icon" href="images/ALLRIS.ico" />
	<link rel="stylesheet" href="conf/_styles.css" />{obj}
	<meta name="infoID" content="33.3950002.0" />
</head><body ><div>
<div id="allriscontainer" class="{kind}">
<div class="borderframe"><div class="mainframe"><div class="header"></div>{left}<div id="risright"><div id="rishead"><p class="topHeadline">{esc(self.m.raw['headline'])}</p></div>
{navi}<div id="risname"><h1>{esc(h1)}&nbsp;&nbsp;</h1></div>
<div id="risprop"></div>
<div id="rismain"><div id="posOuterLocator"></div>{body}
</div>
<div id="risfoot"><div id="foot_right"><p></p></div>
<div id="foot_center" ><p><a href="" target="_blank" title=""></a></p></div><div id="foot_left" ><p></p></div></div>
</div>
</div>
</div>
</div>
</body>
</html>
"""
        return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("iso-8859-1", errors="xmlcharrefreplace")

    def deco(self, inner: str, frame: str = "clip") -> str:
        """Return the content inside the decorative frame, or bare where the install has none."""
        if not self.m.style.get("decoFrame", True):
            return inner
        return self.deco_frame(inner, frame)

    @staticmethod
    def deco_frame(inner: str, frame: str = "clip") -> str:
        return f"""<table class="risdeco" cellspacing="0" cellpadding="0" border="0">
	<tr>
		<td><img src="images/deco/{frame}/nw.gif" alt=""  /></td>
		<td width="100%" style="background: URL(images/deco/{frame}/n.gif) repeat-x">&nbsp;</td>
		<td><img src="images/deco/{frame}/ne.gif" alt=""  /></td>
	</tr>
	<tr>
		<td style="background: URL(images/deco/{frame}/w.gif) repeat-y">&nbsp;</td>
		<td bgcolor="white">{inner}</td>
<td style="background: URL(images/deco/{frame}/e.gif) repeat-y">&nbsp;</td>
	</tr>
	<tr>
		<td><img src="images/deco/{frame}/sw.gif" alt=""  /></td>
		<td width="100%" style="background: URL(images/deco/{frame}/s.gif) repeat-x">&nbsp;</td>
		<td><img src="images/deco/{frame}/se.gif" alt=""  /></td>
	</tr>
</table>"""

    # -- Aspose sub-documents ------------------------------------------------

    def subdoc(self, paragraphs: list[str], first: bool = False, bold_labels: bool = True) -> str:
        """Return an Aspose.Words HTML sub-document with runs split like a Word export."""
        parts = []
        for text in paragraphs:
            if not text:
                parts.append(EMPTY_P.replace(P_STYLE, self.p_style))
                continue
            weight = "; font-weight:bold" if (bold_labels and text.endswith(":")) else ""
            spans = []
            for run in split_runs(text):
                run_html = hex_entities(esc(run).replace("&quot;", '"').replace("&#x27;", "'"))
                if self.m.style.get("dateLinks"):
                    run_html = link_dates(run_html)
                spans.append(f'<span style="font-family:Arial{weight}">{run_html}</span>')
            parts.append(f'<p style="{self.p_style}">{"".join(spans)}</p>')
        rule = "" if first else " <hr />"
        return f'{SUBDOC_HEAD}<body>{rule}<div>{"".join(parts)}</div></body></html>'

    def section(self, anchor: str, text_id: int, paragraphs: list[str], first: bool = False) -> str:
        return (f"<!-- ### {anchor}{text_id}.rtf -->\n<a name=\"allris{anchor}\"></a>\n"
                f"{self.subdoc(paragraphs, first=first)}")

    # -- helpers -------------------------------------------------------------

    def person_name(self, p: Person) -> str:
        return p.display(self.fmt)

    def doc_form(self, doc: Doc, button_class: str = "il2_p", extra: str = "") -> str:
        typ = '<input type="hidden" name="typ" value="130"  />' if doc.kind == "collection" else ""
        title = f"{doc.name} (Öffnet PDF-Datei in neuem Fenster)"
        return (f'<form action="do027.asp" method="post" style="margin:0" target="_blank"><input type="hidden" '
                f'name="DOLFDNR" value="{doc.id}"  /><input type="hidden" name="options" value="64"  />{typ}{extra}'
                f'<input type="submit" class="{button_class}" value="{esc(doc.name)}" title="{esc(title)}"  /></form>')

    def date_cell(self, d: dt.date) -> str:
        if self.m.style.get("dateLinks"):
            return (f'<a href="si010_e.asp?YY={d.year}&amp;MM={d.month:02d}&amp;DD={d.day:02d}" '
                    f'title="Sitzungskalender {d.month:02d}/{d.year} anzeigen">{d:%d.%m.%Y}</a> ')
        return f"{d:%d.%m.%Y}&nbsp;"

    def meeting_title(self, meeting: Meeting) -> str:
        return meeting.committee.meeting_name

    # -- pages ---------------------------------------------------------------

    def render(self) -> dict[str, bytes]:
        for paper in self.m.papers:
            self.vo020(paper)
        for meeting in self.m.meetings:
            if meeting.agenda == "published":
                self.to010(meeting)
                for item in meeting.items:
                    if item.has_detail:
                        self.to020(item)
        months = sorted({(d.year, d.month) for d in month_starts(self.m)})
        for year, month in months:
            self.si010(year, month, params={"MM": month, "YY": year})
        today = self.m.today
        self.files[self.dir + "si010_e.asp/index.redirect"] = f"si010_e.asp?MM={today.month}&YY={today.year}\n".encode()
        # The install's base URL (".../bi/") forwards to the calendar, as real installs forward to a start page.
        self.files[self.dir + "index.redirect"] = b"si010_e.asp\n"
        self.au010()
        self.fr010()
        for committee in self.m.committees:
            self.roster(committee.key, committee.id, committee.name, "au020", "AULFDNR")
        for faction in self.m.factions:
            self.roster(faction.key, faction.id, faction.name, "fr020", "FRLFDNR")
        self.vo040()
        self.logon()
        for paper in self.m.papers:
            for doc in paper.docs:
                self.files[doc.file] = pdf_document(doc.lines, title=doc.name)
        for meeting in self.m.meetings:
            for doc in meeting.docs:
                self.files[doc.file] = pdf_document(doc.lines, title=doc.name)
        return self.files

    def vo020(self, paper: Paper) -> None:
        word = self.word
        subject_html = esc(paper.subject).replace("\n", "<br  />")
        script = ("\n<script language=\"Javascript\" type=\"text/javascript\"><!--\n//<![CDATA[\n"
                  "\tfunction checkClickResult(id, clicked, value) {\n\t}\n\n\n//]]>\n--></script>\n")
        rows = [f"""	<tr>
		<td class="kb1">Betreff:</td>
		<td class="text1" colspan="3">{script}{subject_html}</td>
	</tr>
	<tr><td class="kb1">Status:</td><td class="text3">öffentlich</td><td class="kb1">{word}-Art:</td><td class="text4">{esc(paper.type)}</td></tr>
"""]
        if paper.author:
            rows.append(f'<tr><td class="kb1">{self.m.style["authorLabel"]}</td>'
                        f'<td class="text4">{esc(paper.author)}</td></tr>\n')
        clerk_label, clerk = ("Bearbeiter/-in:", esc(paper.clerk)) if paper.clerk else ("&nbsp;", "&nbsp;")
        rows.append(f"""<tr>
<td class="kb1">Federführend:</td><td class="text4">{esc(paper.lead)}</td>
<td class="kb1">{clerk_label}</td><td class="text4">{clerk}</td>
</tr>
""")
        folge = []
        for s in paper.stations:
            color = STATE_COLORS[s.state]
            seq = ' title="Folgenummer 0"' if self.m.style.get("dateLinks") else ""
            folge.append(f"""				<tr valign="top" class="zl12"{seq}>
					<td bgcolor="{color}" title="{s.state}"></td>
					<td class="text1" colspan="3">{esc(s.committee.name)}</td>
					<td class="text1" colspan="3" nowrap="nowrap">{esc(s.role)}</td>
				</tr>""")
            if s.meeting is None:
                continue
            mt = esc(self.meeting_title(s.meeting))
            if s.item is None:  # agenda not yet published
                to_form, link = "<td>&nbsp;</td>", f"<td>{mt}</td>"
            else:
                to_form = (f'<td><form action="to010.asp?topSelected={s.item.id}" method="post" style="margin:0">'
                           f'<input type="hidden" name="SILFDNR" value="{s.meeting.id}"  /><input type="submit" '
                           f'class="il1_to" value="TO" title="Tagesordnung"  /></form></td>')
                link = f'<td><a href="to010.asp?SILFDNR={s.meeting.id}">{mt}</a></td>'
            if s.item is not None and s.meeting.held:
                value, title = ("NA", "Beschluss") if self.m.style.get("dateLinks") else ("PA", "Auszug")
                pa = (f'<td><form action="to020.asp" method="post" style="margin:0"><input type="hidden" '
                      f'name="TOLFDNR" value="{s.item.id}"  /><input type="submit" class="il1_naz" value="{value}" '
                      f'title="{title}"  /></form></td>')
            else:
                pa = "<td>&nbsp;</td>"
            result = esc(s.result) if s.result else ""
            folge.append(f"""				<tr valign="top" class="zl12">
					<td bgcolor="{color}" title="{s.state}"></td>
					<td class="text2">{self.date_cell(s.meeting.date)}</td>
{to_form}
{link}
					<td class="text3">{result}&nbsp;</td>
					<td>&nbsp;</td>
{pa}
				</tr>""")
        rows.append(f"""

	<tr>
		<td class="kb1" colspan="4">Beratungsfolge:</td>
	</tr>
	<tr>
		<td valign="top" colspan="4">
			<table cellspacing="0" cellpadding="3" border="0">
				<tr>
					<td><img src="images/einpix.gif" alt="" width="1" height="1" border="0"  /></td>
					<td colspan="6"><img src="images/einpix.gif" alt="" width="1" height="1" border="0"  /></td>
				</tr>
{chr(10).join(folge)}
			</table>
		</td>
	</tr>
<tr><td><img src="images/einpix.gif" width="1" height="1" alt="" border="0"  /></td><td width="45%"><img src="images/einpix.gif" width="1" height="1" alt="" border="0"  /></td><td><img src="images/einpix.gif" width="1" height="1" alt="" border="0"  /></td><td width="45%"><img src="images/einpix.gif" width="1" height="1" alt="" border="0"  /></td></tr>
""")
        forms = [self.doc_form(d) for d in paper.docs if d.kind in ("mainFile", "collection")]
        if any(s.item is not None and s.meeting is not None and s.meeting.held for s in paper.stations):
            forms.append(f'<form action="vo021.asp" method="post" style="margin:0"><input type="hidden" '
                         f'name="VOLFDNR" value="{paper.id}"  /><input type="submit" class="il2_s" '
                         f'value="Beschlüsse" title="Beschlüsse"  /></form>')
        anchors = []
        if paper.sv:
            anchors.append('<br /><a href="#allrisSV">Sachverhalt</a>')
        anchors.append('<br /><a href="#allrisBV">Beschlussvorschlag</a>')
        if paper.attachments:
            anchors.append('<br /><a href="#allrisAN">Anlage/n</a>')
        attachments = ""
        atts = [d for d in paper.docs if d.kind == "attachment"]
        if atts:
            att_rows = "\n".join(
                f"""	<tr valign="top">
		<td class="text3"><a href="{d.url}" target="_blank"  title="Anlage {d.position} (öffentlich; {paper.date:%d.%m.%Y} 10:{10 + d.position:02d}:{(paper.id * 7 + d.position) % 60:02d}) &ouml;ffnen
(Öffnet Dokument in neuem Fenster)
" onmouseover="status='{esc(d.name)}'; return true;" onmouseout="status=''; return true;">{esc(d.name)}</a></td>
		<td class="text3">&nbsp;</td>
	</tr>""" for d in atts)
            attachments = f"""<table class="tk1" cellspacing="0" cellpadding="3" border="0">
	<tr><td colspan="2"><img src="images/einpix.gif" alt="" width="1" height="1" /></td></tr>
	<tr valign="top">
		<td class="kb1" colspan="1">Anlagen:</td>
	</tr>
{att_rows}
</table>
"""
        me1 = f"""		<td class="ko2"></td>
		<td class="me1">
			<table class="tk1" cellspacing="0" cellpadding="0" border="0">
				<tr><td><img src="images/einpix.gif" alt="" width="165" height="1" border="0"  /></td></tr>
				<tr>
					<td class="me1"> {chr(10).join(forms)}
  
					</td>				</tr>
				<tr>
					<td class="me1">						{'						'.join(anchors)}					</td>				</tr>
				<tr>
					<td class="me1" align="center">{attachments}					</td>				</tr>
			</table>
		</td>"""
        sections = []
        sv = list(paper.sv)
        if sv and self.m.style.get("writesSachverhaltLabel") and not sv[0].endswith(":"):
            sv = ["Sachverhalt:", ""] + sv
        if sv:
            sections.append(self.section("SV", paper.text_ids["SV"], sv, first=True))
        bv = list(paper.bv)
        if not bv[0].endswith(":"):
            bv = ["Beschlussvorschlag:", ""] + bv
        sections.append(self.section("BV", paper.text_ids["BV"], bv, first=not sections))
        if paper.attachments:
            sections.append(self.section("AN", paper.text_ids["AN"],
                                         ["Anlage/n:"] + [f"{i}. {n}" for i, n in enumerate(paper.attachments, 1)]))
        main = f"""<table class="tk1" cellspacing="0" cellpadding="0" border="0">
	<tr>
		<td class="ko1" valign="top"><table class="tk1" cellspacing="0" cellpadding="3" border="0">
{''.join(rows)}</table>
</td>
{me1}
	</tr>
</table>
<hr  />
{''.join(sections)}<!-- ### AN0.rtf -->
"""
        h1 = f"{word} - {paper.ref}"
        self.write("vo020.asp", {"VOLFDNR": paper.id}, word, h1, "vo020", self.deco(main), object_id=paper.id)

    def meeting_header(self, meeting: Meeting, with_name: bool = True) -> str:
        c = meeting.committee
        au = (f"au020.asp?T1=Ausschuss&amp;history=switch&amp;tsDD={meeting.date.day}&amp;tsMM={meeting.date.month}"
              f"&amp;tsYYYY={meeting.date.year}&amp;AULFDNR={c.id}&amp;altoption=Gremium")
        name_row = f"""	<tr valign="top">
		<td class="kb1">Bezeichnung:</td>
<td class="text1" colspan="3">{esc(self.meeting_title(meeting))}</td>
	</tr>
""" if with_name else ""
        return f"""{name_row}	<tr valign="top">
		<td class="kb1">Gremium:</td>
		<td class="text1" colspan="3"><a href="{au}">{esc(c.name)}</a></td>
	</tr>
	<tr valign="top">
		<td class="kb1">Datum:</td>
		<td class="text2" nowrap="nowrap">{german_weekday(meeting.date)}, {meeting.date:%d.%m.%Y}</td>
		<td class="kb1">Status:</td>
		<td class="text3">öffentlich/nichtöffentlich</td>	</tr>
	<tr valign="top">
		<td class="kb1">Zeit:</td>
		<td class="text2" nowrap="nowrap">{meeting.time_text}</td>
		<td class="kb1">Anlass:</td>
		<td class="text4">Sitzung</td>
	</tr>
	<tr valign="top">
		<td class="kb1">Raum:</td>
		<td colspan="3" class="text2">{esc(c.room)}</td>
	</tr>
	<tr valign="top">
		<td class="kb1">Ort:</td>
		<td colspan="3" class="text2">{esc(self.m.raw['place'][0])}, {esc(self.m.raw['place'][1])}</td>
	</tr>
"""

    def to010(self, meeting: Meeting) -> None:
        forms = "\n".join(self.doc_form(d) for d in meeting.docs)
        rows = []
        for i, item in enumerate(meeting.items):
            cls = "zl12" if i % 2 == 0 else "zl11"
            number = item.number.replace(" ", "&nbsp;")
            bes = f"to010.asp?SILFDNR={meeting.id}&TOLFDNR={item.id}&BES=1#beschluss"
            if item.addendum:
                number_cell = (f'<a href="{bes}" title="Beschlüsse anzeigen (Nachtrags-TOP)"><span '
                               f'style="background-color:#8ae234" title="Nachtrags-TOP">{number}</span></a>')
            else:
                number_cell = f'<a href="{bes}" title="Beschlüsse anzeigen">{number}</a>'
            if item.has_detail:
                result = item.result or "(offen)"
                pa = (f'<td><form action="to020.asp" method="post" style="margin:0"><input type="hidden" '
                      f'name="TOLFDNR" value="{item.id}"  /><input type="submit" class="il1_naz" value="PA" '
                      f'title="{esc(result)}"  /></form></td>')
                title = f'<td><a href="to020.asp?TOLFDNR={item.id}">{esc(item.title)}</a></td>'
            else:
                pa = "<td>&nbsp;</td>"
                title = f"<td>{esc(item.title)}</td>"
            if item.paper is not None:
                att = ('<img src="images/attmnt.gif" alt="Enthält Anlagen" title="Enthält Anlagen"  />'
                       if item.paper.attachments else "")
                vo = (f'<td nowrap="nowrap"><form action="vo020.asp" method="post" style="margin:0"><input '
                      f'type="hidden" name="VOLFDNR" value="{item.paper.id}"  /><input type="submit" class="il1_vo" '
                      f'value="VO" title="{self.word}"  />{att}</form></td>\n'
                      f'<td nowrap="nowrap"><a href="vo020.asp?VOLFDNR={item.paper.id}">{esc(item.paper.ref)}</a></td>')
            else:
                vo = "<td>&nbsp;</td>\n<td></td>"
            rows.append(f"""	<tr class="{cls}">
		<td class="text4" nowrap="nowrap">{number_cell}</td>
		<td>&nbsp;</td>
{pa}
{title}
<!--{item.id} -->
<td>&nbsp;</td>
{vo}
<td>&nbsp;</td>
	</tr>""")
        body = f"""<table class="tk1" cellspacing="0" cellpadding="0">
	<tr>
		<td class="ko1" valign="top"><table class="tk1" cellspacing="0" cellpadding="3" border="0">
{self.meeting_header(meeting)}
</table>
</td>
		<td class="ko2"></td>
		<td class="me1">			<table class="tk1" cellspacing="0" cellpadding="0" border="0">
				<tr><td><img src="images/einpix.gif" alt="" width="165" height="1" border="0"  /></td></tr>
				<tr>
					<td class="me1" align="left">{forms}
					</td>				</tr>
			</table>
</td>
	</tr>
</table>
<hr  />
<table class="tl1" cellspacing="0" cellpadding="1" border="0">
	<tr class="zk1">
		<th width="1%">TOP</th>
		<th colspan="2" width="1%">&nbsp;</th>
		<th colspan="2">Betreff</th>
		<th colspan="3">{self.word}</th>
	</tr>
	<tr>
		<td colspan="8"><hr  /></td>
	</tr>
{chr(10).join(rows)}
</table>
<hr />
"""
        h1 = f"Tagesordnung - {self.meeting_title(meeting)}"
        self.write("to010.asp", {"SILFDNR": meeting.id}, "Tagesordnung", h1, "to010", self.deco(body),
                   object_id=meeting.id)

    def to020(self, item: AgendaItem) -> None:
        meeting = item.meeting
        result = item.result or "(offen)"
        head = f"""	<tr valign="top">
<td><form action="to010.asp?topSelected={item.id}" method="post" style="margin:0"><input type="hidden" name="SILFDNR" value="{meeting.id}"  /><input type="submit" class="il1_to" value="TO" title="Tagesordnung"  /></form></td>
		<td class="text1" colspan="3"><a href="to010.asp?SILFDNR={meeting.id}">{esc(self.meeting_title(meeting))}</a></td>
	</tr>
	<tr valign="top">
		<td class="kb1">TOP:</td>
		<td class="text1" colspan="3">{item.number.replace(' ', '&nbsp;')}</td>
	</tr>
"""
        header = self.meeting_header(meeting, with_name=False).replace(
            f'<td class="text1" colspan="3"><a href="au020.asp',
            f'<td class="text1"><a href="au020.asp', 1)
        header = header.replace(f"{esc(meeting.committee.name)}</a></td>\n\t</tr>",
                                f"{esc(meeting.committee.name)}</a></td>\n\t\t<td class=\"kb1\">Beschlussart:</td>\n"
                                f"\t\t<td class=\"text3\">{esc(result)}</td>\n\t</tr>", 1)
        paper_rows = ""
        if item.paper is not None:
            p = item.paper
            paper_rows = f"""	<tr>
<td><form action="vo020.asp" method="post" style="margin:0"><input type="hidden" name="VOLFDNR" value="{p.id}"  /><input type="submit" class="il1_vo" value="VO" title="{self.word}"  /></form></td>
		<td class="text1"><a href="vo020.asp?VOLFDNR={p.id}">{esc(p.ref)} {esc(p.subject).replace(chr(10), '<br  />')}</a></td>
		<td class="kb1">&nbsp;</td>
		<td class="text1" colspan="2">&nbsp;</td>
	</tr>
	<tr><td class="kb1">Status:</td><td class="text3">öffentlich</td><td class="kb1">{self.word}-Art:</td><td class="text4">{esc(p.type)}</td></tr>
"""
        links = []
        if item.protocol:
            links.append('<br /><a href="#allrisWP">Protokoll</a>')
        if item.resolution:
            links.append('<br /><a href="#allrisBS">Beschluss</a>')
        if item.vote:
            links.append('<br /><a href="#allrisAE">Abstimmungsergebnis</a>')
        base_id = item.id * 10
        sections = []
        sections.append(f"<!-- ### WP{base_id + 1 if item.protocol else 0}.rtf -->\n<a name=\"allrisWP\"></a>\n"
                        + (self.subdoc(item.protocol, first=True) if item.protocol else ""))
        sections.append(f"<!-- ### BS{base_id + 2 if item.resolution else 0}.rtf -->\n<a name=\"allrisBS\"></a>\n"
                        + (self.subdoc(item.resolution, first=not item.protocol) if item.resolution else ""))
        sections.append("<!-- ### AN0.rtf -->\n")
        if item.vote:
            sections.append(f"<!-- ### AE{base_id + 3}.rtf -->\n<a name=\"allrisAE\"></a>\n"
                            + self.subdoc([item.vote], first=False))
        else:
            sections.append("<!-- ### AE0.rtf -->\n<a name=\"allrisAE\"></a>\n")
        body = f"""<table class="tk1" cellspacing="0" cellpadding="0" border="0">
	<tr>
		<td class="ko1" valign="top"><table class="tk1" cellspacing="0" cellpadding="3" border="0">
{head}{header}{paper_rows}<tr><td><img src="images/einpix.gif" width="1" height="1" alt="" border="0"  /></td><td width="45%"><img src="images/einpix.gif" width="1" height="1" alt="" border="0"  /></td><td><img src="images/einpix.gif" width="1" height="1" alt="" border="0"  /></td><td width="45%"><img src="images/einpix.gif" width="1" height="1" alt="" border="0"  /></td></tr>
</table>
</td>
		<td class="ko2">&nbsp;</td>
		<td class="me1">
					{'					'.join(links)}		</td>
	</tr>
</table>
<hr  />
{''.join(sections)}"""
        title_line = item.title.split("\n")[0]
        self.write("to020.asp", {"TOLFDNR": item.id}, "Auszug", f"Auszug - {title_line}", "to020",
                   self.deco(body), object_id=item.id)

    def si010(self, year: int, month: int, params: dict) -> None:
        meetings = [m for m in self.m.meetings if (m.date.year, m.date.month) == (year, month)]
        by_day: dict[int, list[Meeting]] = {}
        for m in sorted(meetings, key=lambda m: (m.date, m.start, m.id)):
            by_day.setdefault(m.date.day, []).append(m)
        rows = []
        toggle = False
        for day in range(1, calendar.monthrange(year, month)[1] + 1):
            d = dt.date(year, month, day)
            wd = german_weekday(d)
            daynum = f"&nbsp;&nbsp;{day}" if day < 10 else str(day)
            if d == self.m.today:
                wd_cell = f'<span style="background-color:#fce94f" title="heute">{wd}</span>'
                day_cell = f'<span style="background-color:#fce94f" title="heute">{daynum}</span>'
            else:
                wd_cell, day_cell = wd, daynum
            date_cells = (f'<td class="text2" width="20">{wd_cell}</td>'
                          f'<td class="text2" width="20">{day_cell}</td>')
            if d.weekday() == 5:
                cls = "zl16"
            elif d.weekday() == 6 or d in HOLIDAYS:
                cls = "zl17"
            else:
                toggle = not toggle
                cls = "zl11" if toggle else "zl12"
            marker = HOLIDAYS.get(d) or SCHOOL_HOLIDAYS.get(d)
            if marker and d in SCHOOL_HOLIDAYS:
                cls = "zl1m"
            day_meetings = by_day.get(day, [])
            if not day_meetings and not marker:
                rows.append(f'\t<tr class="{cls}">\n{date_cells}\n\t\t<td colspan="8">&nbsp;</td>\n\t</tr>')
                continue
            first = True
            if marker:
                rows.append(f"""	<tr class="{cls}" valign="top">
{date_cells}
		<td class="text2">&nbsp;</td>
<td>&nbsp;</td>
<td>&nbsp;</td>
<td>{esc(marker)}</td>
<td>&nbsp;</td>
<td>&nbsp;</td>

		<td class="text4">&nbsp;</td>
	</tr>""")
                first = False
            for m in day_meetings:
                cells = date_cells if first else "\t\t<td>&nbsp;</td>\n\t\t<td>&nbsp;</td>"
                first = False
                ics = (f'<td><form action="to010.asp" method="post" style="margin:0"><input type="hidden" '
                       f'name="SILFDNR" value="{m.id}"  /><input type="hidden" name="selfaction" value="Termin '
                       f'exportieren"  /><input type="hidden" name="template" value="ics"  /><input type="image" '
                       f'class="il1" src="images/calexp.gif" alt="Sitzungstermin im Outlook-kompatiblen Format '
                       f'exportieren" title="Sitzungstermin im Outlook-kompatiblen Format exportieren"  /></form></td>')
                name = esc(self.meeting_title(m))
                if m.agenda == "published":
                    to = (f'<td><form action="to010.asp" method="post" style="margin:0"><input type="hidden" '
                          f'name="SILFDNR" value="{m.id}"  /><input type="submit" class="il1_to" value="TO" '
                          f'title="Tagesordnung"  /></form></td>')
                    link = f'<td><a href="to010.asp?SILFDNR={m.id}">{name}</a></td>'
                else:
                    to = "<td>&nbsp;</td>"
                    link = f"<td>{'ENTFÄLLT! ' if m.agenda == 'cancelled' else ''}{name}</td>"
                pro = (f'<td><form action="si016.asp?SELECT=1" method="post" style="margin:0"><input type="hidden" '
                       f'name="SILFDNR" value="{m.id}"  /><input type="submit" class="il1_ns" value="Pro" '
                       f'title="Niederschrift"  /></form></td>') if m.held else "<td>&nbsp;</td>"
                rows.append(f"""	<tr class="{cls}" valign="top">
{cells}
		<td class="text2">{m.time_text}&nbsp;</td>
{ics}
{to}
{link}
{pro}
<td>&nbsp;</td>
		<td class="text4">{esc(m.committee.room)}</td>
	</tr>""")
        prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
        next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
        cal = f"{self.base}si010_e.asp"
        month_cells = []
        for mm in range(1, 13):
            label = GERMAN_MONTHS[mm - 1][:3].replace("Mär", "Mar")
            if mm == month:
                month_cells.append(f'<td class="zl17" align="center" style="border: 1px solid #888a85;" '
                                   f'width="8%">{label}</td>')
            else:
                month_cells.append(f'<td align="center" style="border: 1px solid #888a85;" width="8%"><a '
                                   f'href="{cal}?MM={mm}&amp;YY={year}" title="{GERMAN_MONTHS[mm - 1]} {year}" '
                                   f'style="display: block;">{label}</a></td>')
        last_day = calendar.monthrange(year, month)[1]
        body = f"""<script type="text/javascript" language="Javascript" src="opt/forum/calControl.js"></script>
	<table width="100%" cellspacing="0" cellpadding="0" border="0">
	<tr>
		<td width="50%">&nbsp;</td>		<td nowrap="nowrap"><h2 align="center">{GERMAN_MONTHS[month - 1]}&nbsp;{year}</h2>		</td>		<td width="50%">&nbsp;</td>	</tr>
	</table>
	<table width="100%" cellspacing="2" cellpadding="1" border="0">
	<tr>
		<td><div id="posInnerLocator" style="position:absolute;"></div>&nbsp;</td>		<td align="center" style="border: 1px solid #888a85; vertical-align: middle;" class="zl17" >{year}</td>		<td align="right" colspan="11"><form method="post" action="{cal}" name="kaldatform" id="kaldatform" style="margin:0">Zeitraum:&nbsp;<input type="text" size="9" name="kaldatvon" id="kaldatvon" value="01.{month:02d}.{year}"  /> - <input type="text" size="9" name="kaldatbis" id="kaldatbis" value="{last_day}.{month:02d}.{year}"  />
<input type="image" class="il1" src="images/lupe.gif" alt="Datumsbereich auswählen"  /><input type="hidden" name="SEL_PAGE_N" value="SI010"  /></form></td>		<td>&nbsp;</td>	</tr>
	<tr>
		<td align="center" style="border: 1px solid #888a85;" width="1%"><a href="{cal}?MM={prev_m}&amp;YY={prev_y}" title="Vorheriger Monat" style="display: block;">&lt;</a></td>		{'		'.join(month_cells)}		<td align="center" style="border: 1px solid #888a85;" width="1%"><a href="{cal}?MM={next_m}&amp;YY={next_y}" title="Nächster Monat" style="display: block;">&gt;</a></td>	</tr>
	</table>
<table class="tl1" cellspacing="0" cellpadding="1" border="0">
	<tr class="zw1"><th colspan="2">Datum</th><th>Uhrzeit</th><th>&nbsp;</th><th colspan="4" width="65%">Sitzung</th><th>Raum</th>	</tr>
{chr(10).join(rows)}
</table>
"""
        self.write("si010_e.asp", params, "Sitzungskalender", "Sitzungskalender", "si010", self.deco(body, "spir"))

    def org_list(self, page: str, key: str, detail: str, orgs: list, title: str, button: str, altoption: str,
                 counts: dict[str, int]) -> None:
        rows = []
        for i, org in enumerate(orgs):
            held = [m for m in self.m.meetings if m.committee is org and m.held] if page == "au010" else []
            coming = [m for m in self.m.meetings if m.committee is org and not m.held
                      and m.agenda != "cancelled"] if page == "au010" else []
            last = f"{held[-1].date:%d.%m.%Y}" if held else ""
            nxt = f"{coming[0].date:%d.%m.%Y}" if coming else ""
            rows.append(f"""	<tr class="{'zl12' if i % 2 == 0 else 'zl11'}">
<td><form action="{detail}.asp" method="post" style="margin:0"><input type="hidden" name="{key}" value="{org.id}"  /><input type="hidden" name="altoption" value="{altoption}"  /><input type="submit" class="{button}" value="{'GR' if page == 'au010' else 'FR'}" title="{altoption}"  /></form></td>
		<td class="text1"><a href="{detail}.asp?{key}={org.id}&amp;altoption={altoption}">{esc(org.name)}</a></td>
		<td class="text5" align="right" nowrap="nowrap">{counts[org.key]}
</td>
<td>&nbsp;</td>
		<td class="text2" width="1%">{last}</td>
		<td>&nbsp;</td>
		<td class="text2" width="1%">{nxt}</td>
		<td>&nbsp;</td>
	</tr>""")
        body = f"""<table class="tl1" cellspacing="0" cellpadding="1" border="0">
	<tr class="zk1">
		<th colspan="2">&nbsp;</th>
		<th>&nbsp;Mitglieder<br  />({self.m.today:%d.%m.%Y})</th>
		<th>&nbsp;</th>
		<th colspan="2">Letzte Sitzung</th>
		<th colspan="2">Nächste Sitzung</th>
	</tr>
	<tr>
		<td colspan="8"><hr  /></td>
	</tr>
{chr(10).join(rows)}
</table>
"""
        self.write(f"{page}.asp", {}, title, title, page, body)

    def au010(self) -> None:
        counts = {k: len(v) for k, v in self.m.rosters.items()}
        self.org_list("au010", "AULFDNR", "au020", self.m.committees, "Ausschüsse", "il1_au", "Gremium", counts)

    def fr010(self) -> None:
        counts = {k: len(v) for k, v in self.m.rosters.items()}
        self.org_list("fr010", "FRLFDNR", "fr020", self.m.factions, "Fraktionen/Gruppen", "il1_fr",
                      "Fraktion/Gruppe", counts)

    def roster(self, key: str, org_id: int, name: str, page: str, param: str) -> None:
        rows = []
        for i, (person, role, _section) in enumerate(self.m.rosters[key]):
            group = person.faction.name if person.faction else (person.list_name or "")
            nowrap = ' nowrap="nowrap"' if len(self.person_name(person)) < 24 else ""
            rows.append(f"""	<tr class="{'zl12' if i % 2 == 0 else 'zl11'}">
<td><form action="kp020.asp" method="post" style="margin:0"><input type="hidden" name="KPLFDNR" value="{person.id}"  /><input type="submit" class="il1_kp" value="" title="{esc(role)}"  /></form></td>
		<td>&nbsp;</td>
<td{nowrap}><a href="kp020.asp?KPLFDNR={person.id}">{esc(self.person_name(person))}</a></td>
		<td class="text1"><div>{esc(role)}</div></td>
		<td class="text4"><div>{esc(group)}</div></td>
	</tr>""")
        mail = "".join(f"&#{ord(c)};" for c in f"gremien@{self.m.slug}.example")
        mailto = "".join(f"&#{ord(c)};" for c in "MaIltO") + ":" + mail
        sort = f"{self.base}{page}.asp?{param}={org_id}&amp;SORT="
        address = f"""<h3>Anschrift</h3>
<table class="tk1" cellspacing="0" cellpadding="1">
	<tr><td><table cellspacing="4" cellpadding="1" border="0">
	<tr><td class="text4" colspan="4">{esc(name)}</td></tr>
	<tr>
		<td class="lb1"><img src="images/email.gif" alt="E-Mail 1" title="E-Mail 1"  /></td>
		<td class="text4" colspan="3"><a href="{mailto}">{mail}</a></td>
	</tr>
</table>
</td></tr>
</table>
""" if page == "au020" else ""
        body = address + f"""<h3>Mitglieder</h3>
<table class="tl1" cellspacing="0" cellpadding="2" border="0">
	<tr class="zk1">
		<th width="3%"><img src="images/einpix.gif" width="20" height="1" alt=""  /></th>
		<th width="3%"><img src="images/einpix.gif" width="20" height="1" alt=""  /></th>
		<th nowrap="nowrap">Name&nbsp;<a href="{sort}1ad_nv"><img class="iso1" src="images/sort1.gif" alt="aufsteigend sortieren"  /></a>&nbsp;</th>
		<th nowrap="nowrap"><span title="aktuell">Art der Mitarbeit</span>&nbsp;<a href="{sort}1am_sskn"><img class="iso1" src="images/sort1.gif" alt="aufsteigend sortieren"  /></a>&nbsp;</th>
		<th nowrap="nowrap"><span title="">Funktion</span>&nbsp;<a href="{sort}1mgfnkt"><img class="iso1" src="images/sort1.gif" alt="aufsteigend sortieren"  /></a>&nbsp;</th>
	</tr>
	<tr>
		<td colspan="5"><hr  /></td>
	</tr>
{chr(10).join(rows)}
</table>
"""
        self.write(f"{page}.asp", {param: org_id}, name, name, page, body)

    def vo040(self) -> None:
        papers = sorted(self.m.papers, key=lambda p: (p.date, p.id), reverse=True)
        rows = []
        for i, p in enumerate(papers):
            att = ('<img src="images/attmnt.gif" alt="Enthält Anlagen" title="Enthält Anlagen"  />'
                   if p.attachments else "")
            rows.append(f'\t<tr class="{"zl12" if i % 2 == 0 else "zl11"}"><td nowrap="nowrap"><form '
                        f'action="vo020.asp" method="post" style="margin:0"><input type="hidden" name="VOLFDNR" '
                        f'value="{p.id}"  /><input type="submit" class="il1_vo" value="VO" title="{self.word}"  />'
                        f'{att}</form></td><td><a href="vo020.asp?VOLFDNR={p.id}">{esc(p.ref)}&nbsp;'
                        f'{esc(p.subject)}</a></td><td>&nbsp;</td>\t\t<td class="text2">{p.date:%d.%m.%Y}</td>'
                        f'\t\t<td class="text2">{esc(p.type)}</td>\t</tr>')
        n = len(papers)
        body = f"""<table class="tl1" cellspacing="0" cellpadding="2" border="0">
	<thead>
	<tr class="zk1">
		<th colspan="3" nowrap="nowrap">{self.word}&nbsp;</th>
		<th nowrap="nowrap">Angel.&nbsp;</th>
		<th nowrap="nowrap">{self.word[0]}.-Art&nbsp;</th>
	</tr>
</thead>
<tbody>
	<tr class="zl11">
		<td class="kb1" colspan="5">
Ergebnisse 1-{n} von {n}
		</td>
	</tr>
{chr(10).join(rows)}
</tbody>
</table>
"""
        self.write("vo040.asp", {}, f"{self.word}n", f"{self.word}n - Übersicht", "vo040", body)

    def logon(self) -> None:
        body = """<form method="post" action="logon.asp"><table class="tk1" cellspacing="0" cellpadding="3" border="0">
	<tr><td class="kb1">Benutzer:</td><td><input type="text" name="LOGINNAME" size="20"  /></td></tr>
	<tr><td class="kb1">Kennwort:</td><td><input type="password" name="LOGINPW" size="20"  /></td></tr>
	<tr><td>&nbsp;</td><td><input type="submit" value="Anmelden"  /></td></tr>
</table></form>
"""
        self.files[self.dir + "ri/" + query_file("logon.asp", {})] = self.page(
            "Anmeldung", "Anmeldung Ratsinformationssystem", "logon", body, None)


def month_starts(muni: Municipality) -> list[dt.date]:
    content_months = muni.raw.get("_calendarMonths", [])
    return [dt.date(int(m[:4]), int(m[5:7]), 1) for m in content_months]


# ===========================================================================
# SessionNet 5.5.4 (Layout 6) pages
# ===========================================================================

SN_AUTHOR = "Somacos GmbH & Co. KG,https://www.somacos.de, SessionNet Version 5.5.4 KP4 bi (Layout 6)"
SN_DESCRIPTIONS = {
    "si0040": "Diese Seite enthält eine kalendarische Übersicht der Sitzungstermine für einen Monat.",
    "si0050": "Diese Seite zeigt die Informationen zu einer Sitzung an.",
    "si0057": "Diese Seite zeigt die Tagesordnung einer Sitzung an.",
    "to0050": "Diese Seite zeigt die Detailinformationen zu einem Tagesordnungspunkt an.",
    "vo0050": "Diese Seite zeigt die Detailinformationen zu einer Vorlage an. Neben allgemeinen Informationen und "
              "Dokumenten wird die Beratungsfolge der Vorlage dargestellt.",
    "vo0053": "Diese Seite zeigt die Beratungsfolge einer Vorlage an.",
    "gr0040": "Diese Seite zeigt eine Liste der Gremien, für die im Sitzungsdienst Informationen verwaltet werden.",
    "kp0040": "Diese Seite zeigt die Mitglieder eines Gremiums an.",
}
DAKURZ = {"mainFile": ("VO", 2), "attachment": (None, 0), "agenda": ("TÖ", 7), "minutes": ("NÖ", 9)}


class SessionNetSite:
    """Renders the pages of one SessionNet municipality."""

    def __init__(self, muni: Municipality) -> None:
        self.m = muni
        self.dir = muni.base_path.strip("/") + "/"
        self.files: dict[str, bytes] = {}

    def write(self, page: str, params: dict, kind: str, title: str, h1: str, body: str,
              tabs: str = "", changed: str | None = None) -> None:
        self.files[self.dir + query_file(page, params)] = self.page(kind, title, h1, body, tabs, changed)

    def page(self, kind: str, title: str, h1: str, body: str, tabs: str, changed: str | None) -> bytes:
        desc = named_entities(esc(SN_DESCRIPTIONS.get(kind, "")))
        changed_li = (f'<li><i class="fa fa-clock-o" aria-hidden="true"></i>&nbsp;Letzte &Auml;nderung:&nbsp;'
                      f'{changed}</li>') if changed else ""
        nav = "".join(
            f'<li class="nav-item smc-nav-online"><a  href="{href}" title="{named_entities(esc(SN_DESCRIPTIONS[k]))}" '
            f'class="smce-a-u nav-link smcmenu1 smc-ct1" ><i class="smc {icon}" aria-hidden="true"></i>{label}</a></li>'
            for href, k, icon, label in (("si0040.asp", "si0040", "smc-calendar", "Kalender"),
                                         ("gr0040.asp", "gr0040", "smc-network-connection", "Gremien")))
        text = f"""<!DOCTYPE html><html lang="de"  x-ms-format-detection="none"><head><meta charset="utf-8"><meta http-equiv="X-UA-Compatible" content="IE=edge"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="description" content="{desc}"><meta name="author" content="{SN_AUTHOR}"><meta name="sessionnet" content="V:050504"/><link rel="shortcut icon" href="im/browser.ico" type="image/x-icon"/><title>SessionNet | {num_entities(esc(title))}</title>
<script type="text/javascript" src="yjavascript.js"></script><link href="css/styles6.css" rel="stylesheet"></head><body id="smc_body" class="smc-body">
<!-- #wrapper --><div id="wrapper" class="smclayout smc_page_{kind}_layout"><div id="sidebar-wrapper" role="navigation" aria-label="Hauptmenü" class="smc-nav-config smc-pr-n"><ul id="sidebar-nav" class="nav nav-pills nav-stacked">{nav}</ul></div>
<div id="page-content-wrapper">
<div class="page-title" role="navigation" aria-label="Seitentitel und Oberes Menü"><h1 class="smc_h1">{num_entities(esc(h1)).replace(' Uhr', '&nbsp;Uhr')}</h1></div>

<div id="page-content" role="main" aria-label="Informationen">
{tabs}{body}
</div><!-- /page-content-1 -->
</div><!-- /page-content-wrapper -->
<footer aria-label="Fusszeile mit Seiteninformationen"><div class="d-flex justify-content-between"><div id="smcmenubottom"><ul class="list-inline">{changed_li}</ul></div><div id="smcsomacosinfo" class="text-right"><span lang="en">Software: </span><a href="https://somacos.de/loesungen/sitzungsmanagement/session/" class="smc-link-normal" target="_blank">Sitzungsdienst <span lang="en">Session</span></a></div></div></footer>
</div><!-- /wrapper -->
</body></html>
"""
        return text.encode("utf-8")

    @staticmethod
    def tabs(items: list[tuple[str, str, bool]]) -> str:
        lis = []
        for href, label, active in items:
            cls = 'nav-item active smc-ct1" aria-selected="true' if active else "nav-item"
            lis.append(f'<li class="{cls}"><a  href="{href}" title="{label}" aria-label="{label}" '
                       f'class="smce-a-u nav-link" >{label}</a></li>')
        return f'<ul class="nav nav-tabs smcnoprint" id="smcregister" aria-label="Tab Navigation">\n{"".join(lis)}\n</ul>\n'

    @staticmethod
    def row(field_name: str, label: str, value_html: str) -> str:
        return (f'<div class="smc-table-row"><div class="smc-table-cell smc-cell-head {field_name}_title">{label}'
                f'</div><div class="smc-table-cell {field_name}">{value_html}</div>\n</div>\n')

    @staticmethod
    def panel(n: int, heading: str, inner: str, extra_class: str = "") -> str:
        return (f'<div class="col-sm-12">\n\n<div id="smcpanel{n}" class="card card-light{extra_class}"><div '
                f'class="card-header" data-toggle="collapse" href="#smcacchead{n}" aria-expanded="true" '
                f'aria-controls="smcacchead{n}" ><h2 class="mb-0 card-header-title" id="smc-hn-{n}"><button '
                f'class="btn btn-link btn-block text-left" type="button" data-toggle="collapse" '
                f'data-target="#smcacchead{n}" aria-expanded="true" aria-controls="smcacchead{n}">{heading}'
                f'</button></h2></div><div id="smcacchead{n}" class="collapse show" aria-labelledby="smcacchead{n}" '
                f'data-parent="#smcpanel{n}" ><div class="card-body">\n{inner}</div></div></div>\n</div>\n')

    def doc_box(self, doc: Doc, layout: str = "col-lg-6") -> str:
        code, danr = DAKURZ.get(doc.kind, ("V", 2))
        ex = " smc-d-ex" if doc.kind == "attachment" else ""
        icon = (f'<i class="smc smc-doc-dakurz smc-doc-dakurz-1 smc-doc-symbol  smc_field_danr_{danr}" '
                f'aria-hidden="true">{code}</i>') if code else '<i class="smc smc-document" aria-hidden="true"></i>'
        ident = f"{doc.id:014d}"
        title = "Dokument Download Dateityp: pdf"
        return (f'<div id="smcy{ident}" class="smc-dg-ds-1 {layout} smc-d-el{ex}"><div id="smcb{ident}" '
                f'class="smc-xxdat smc-default default smc-box-type-1 smc-dg-b1"><div class="smc smc-doc-icon">{icon}'
                f'</div><div class="smc-doc-content smcc-s1-n smce-m-1"><div id="smcg{ident}"  class="smc-action-group '
                f'smc-action-group-lg ml-auto" role="group"><a href="{doc.url}" title="{title}" aria-label="{title}" '
                f'role="button" class="btn btn-blue" id="smcs{ident}" ><i role="button" class="smc smc-download" '
                f'aria-hidden="true"></i></a></div><div class="smc-el-h smc-link-normal smc_datatype_do smc-t-r991">'
                f'<a href="{doc.url}" title="{title}" aria-label="{title}" class="smce-a-u smc-link-normal '
                f'smc_datatype_do smc-t-r991" >{num_entities(esc(doc.name))}</a></div></div></div>\n</div>\n')

    def docs_block(self, docs: list[Doc], layout: str = "col-lg-6") -> str:
        inner = "".join(self.doc_box(d, layout) for d in docs)
        return f'<div class="smc-dg-c-1-10 smc-documents smc-pr-n row">\n{inner}<!--SMCPHDOCFCT--></div>\n'

    def render(self) -> dict[str, bytes]:
        for paper in self.m.papers:
            self.vo0050(paper)
            self.vo0053(paper)
        for meeting in self.m.meetings:
            self.si0050(meeting)
            self.si0057(meeting)
            for item in meeting.items:
                if item.has_detail:
                    self.to0050(item)
        for first in month_starts(self.m):
            self.si0040(first.year, first.month, {"__cjahr": first.year, "__cmonat": first.month})
        today = self.m.today
        self.files[self.dir + "si0040.asp/index.redirect"] = (
            f"si0040.asp?__cjahr={today.year}&__cmonat={today.month}\n".encode())
        self.files[self.dir + "index.redirect"] = b"si0040.asp\n"
        self.gr0040()
        for committee in self.m.committees:
            self.kp0040(committee.key, committee.id, committee.name)
        for faction in self.m.factions:
            self.kp0040(faction.key, faction.id, faction.name)
        for paper in self.m.papers:
            for doc in paper.docs:
                self.files[doc.file] = pdf_document(doc.lines, title=doc.name)
        for meeting in self.m.meetings:
            for doc in meeting.docs:
                self.files[doc.file] = pdf_document(doc.lines, title=doc.name)
        return self.files

    def meeting_label(self, m: Meeting) -> str:
        return f"{m.committee.name} {m.date:%d.%m.%Y}"

    def siname(self, m: Meeting) -> str:
        same = [x for x in self.m.meetings if x.committee is m.committee]
        return f"{m.committee.prefix}/{same.index(m) + 5:03d}/{m.date.year}"

    def meeting_info(self, m: Meeting) -> str:
        time = (f"{m.start}-{m.end}&nbsp;Uhr" if m.end and m.held else f"{m.start}&nbsp;Uhr")
        return (self.row("siname", "Sitzung", esc(self.siname(m)))
                + self.row("sigrname", "Gremium", num_entities(esc(m.committee.name)))
                + self.row("siort", "Raum", num_entities(esc(m.committee.room)))
                + self.row("sidat", "Datum", f"{m.date:%d.%m.%Y}")
                + self.row("yytime", "Zeit", time))

    def si0050(self, m: Meeting) -> None:
        tabs = self.tabs([(f"si0050.asp?__ksinr={m.id}", "Informationen", True),
                          (f"si0057.asp?__ksinr={m.id}", "Tagesordnung", False)])
        body = '<div class="row">\n\n' + self.panel(1, "Informationen", self.meeting_info(m))
        if m.docs:
            body += self.panel(2, f"{len(m.docs)} Dokument{'e' if len(m.docs) > 1 else ''}",
                               self.docs_block(m.docs), " smc-pr-n")
        body += "</div><!-- /meta-row -->\n"
        title = f"{m.committee.name} - {m.date:%d.%m.%Y} - {m.start} Uhr"
        self.write("si0050.asp", {"__ksinr": m.id}, "si0050", title, title, body, tabs)

    def si0057(self, m: Meeting) -> None:
        tabs = self.tabs([(f"si0050.asp?__ksinr={m.id}", "Informationen", False),
                          (f"si0057.asp?__ksinr={m.id}", "Tagesordnung", True)])
        body = '<div class="row">\n\n' + self.panel(1, "Informationen", self.meeting_info(m))
        if m.docs:
            body += self.panel(2, f"{len(m.docs)} Dokument{'e' if len(m.docs) > 1 else ''}",
                               self.docs_block(m.docs), " smc-pr-n")
        body += "</div><!-- /meta-row -->\n"
        rows = []
        public_started = nonpublic_started = False
        for item in m.items:
            if item.public and not public_started:
                public_started = True
                rows.append('<tr class="smc-t-r-l"><td colspan="4" class="totrenn"><h2 class="smc_h2">'
                            '&Ouml;ffentlicher Teil:</h2></td>\n</tr>')
            if not item.public and not nonpublic_started:
                nonpublic_started = True
                rows.append('<tr class="smc-t-r-l"><td colspan="4" class="totrenn"><h2 class="smc_h2">'
                            'Nicht &ouml;ffentlicher Teil:</h2></td>\n</tr>')
            number = item.number.replace("Ö", "&Ouml;")
            title = num_entities(esc(item.title))
            if item.has_detail:
                title = (f'<a href="to0050.asp?__ktonr={item.id}" title="Details anzeigen: {title}" '
                         f'aria-label="Details anzeigen: {title}" class="smce-a-u smc-link-normal smc_doc '
                         f'smc_datatype_to" >{title}</a>')
            if item.paper is not None:
                p = item.paper
                pt = num_entities(esc(one_line(p.subject)))
                vo = (f'<td data-label="Vorlage" class="smc-t-cl991 tovo"> <a href="vo0050.asp?__kvonr={p.id}" '
                      f'title="Vorlage anzeigen: {pt}" aria-label="Vorlage anzeigen: {pt}" class="smce-a-u '
                      f'smc-link-procedure smc_doc smc_field_voname smcnowrap smc_datatype_vo" >{esc(p.ref)}</a></td>')
                docs = ('<td class="smc-t-cl991 sidocs"><div class="smc-dg-c-3-12 smc-documents smce-do-1 '
                        'smc-pr-nsmc-doc-dakurz-box smc-doc-size-1 flex-column">\n'
                        + self.doc_box(p.main_doc) + '<!--SMCPHDOCFCT--></div></td>')
            else:
                vo = '<td class="toxx">&nbsp;</td>'
                docs = '<td class="smc-t-cl991 sidocs"></td>'
            rows.append(f'<tr class="smc-t-r-l"><td class="tofnum"><span class="badge">{number}</span></td>'
                        f'<td class="tobetr"><div class="margin-bottom smc-card-header-title-simple">{title}</div>'
                        f'</td>{vo}{docs}\n</tr>')
        table = ('<!-- table-responsive --><table id="smc_page_si0057_contenttable1" class="table table-striped '
                 'smc-table smc-table-striped smc-table-responsive smctablesitzung">\n<tbody>\n'
                 + "\n".join(rows) + '\n</tbody>\n</table><!-- /table-responsive -->\n')
        if not m.items:
            table = '<p class="smc-no-data">Zu dieser Sitzung ist noch keine Tagesordnung ver&ouml;ffentlicht.</p>\n'
        title = f"{m.committee.name} - {m.date:%d.%m.%Y} - {m.start} Uhr"
        self.write("si0057.asp", {"__ksinr": m.id}, "si0057", title, title, body + table, tabs)

    def to0050(self, item: AgendaItem) -> None:
        m = item.meeting
        info = (self.row("tofnum", "TOP", item.number.replace("Ö", "&Ouml;"))
                + self.row("tobetr", "Betreff", esc(item.title))
                + self.row("siname", "Sitzung", f'<a href="si0050.asp?__ksinr={m.id}" title="Details anzeigen: '
                                                f'{num_entities(esc(self.meeting_label(m)))}" class="smce-a-u '
                                                f'smc-link-normal smc_doc smc_datatype_si" >{esc(self.siname(m))}</a>')
                + self.row("sigrname", "Gremium", num_entities(esc(m.committee.name)))
                + self.row("sidat", "Datum", f"{m.date:%d.%m.%Y}"))
        if item.paper is not None:
            info += self.row("voname", "Vorlage", f'<a href="vo0050.asp?__kvonr={item.paper.id}" class="smce-a-u '
                                                  f'smc-link-procedure smc_doc smc_datatype_vo" >'
                                                  f'{esc(item.paper.ref)}</a>')
        body = '<div class="row">\n\n' + self.panel(1, "Informationen", info)
        if item.result:
            res = self.row("tobeschluss", "Beschluss", num_entities(esc(item.result)))
            if item.vote:
                res += self.row("toabstimmung", "Abstimmung", esc(item.vote).replace(": ", ":&nbsp;"))
            body += self.panel(2, "Beschluss", res)
        body += "</div><!-- /meta-row -->\n"
        if item.resolution or item.protocol:
            blocks = []
            for n, paragraphs in enumerate((item.resolution, item.protocol)):
                if not paragraphs:
                    continue
                ps = "\n".join(f"<p class=MsoNormal style='text-align:justify'>{esc(t)}</p>" for t in paragraphs)
                blocks.append(f'<!--smcdocmsword--><div class="smcdocmsword" id="smcdocid{item.id * 10 + n:08d}">\n'
                              f'<div class=WordSection1>\n{ps}\n<p class=MsoNormal></p>\n</div>\n</div>\n')
            body += ('<!-- data-row --><div class="row">\n\n<div class="col-md-12">\n\n<div class="card card-light '
                     'smcbox"><div class="panel-body"><div class="smcboxcontent card-body">'
                     + "<hr />".join(blocks) + '\n</div></div></div>\n</div>\n</div><!-- /data-row -->\n')
        self.write("to0050.asp", {"__ktonr": item.id}, "to0050", one_line(item.title), one_line(item.title), body)

    def vo0050(self, paper: Paper) -> None:
        rows = (self.row("vobetr", "Betreff", esc(one_line(paper.subject)))
                + self.row("voname", "Vorlage", esc(paper.ref))
                + (self.row("voakz", "Aktenzeichen", esc(paper.akz)) if paper.akz else "")
                + self.row("vovaname", "Art", esc(paper.type)))
        table = (f'<div id="smc_page_vo0050_contenttable1" class="smc-table smc-table-striped smccontenttable '
                 f'smc_page_vo0050_contenttable">\n{rows}</div>\n')
        body = '<div class="row">\n\n' + self.panel(1, "Vorlage", table)
        n = len(paper.docs)
        body += self.panel(2, f"{n} Dokument{'e' if n > 1 else ''}", self.docs_block(paper.docs), " smc-pr-n")
        body += "</div><!-- /meta-row -->\n"
        if self.m.raw.get("inlineTexts"):
            blocks = []
            for n, paragraphs in enumerate((paper.bv, paper.sv)):
                if not paragraphs:
                    continue
                ps = "\n".join(f"<p class=MsoNormal style='text-align:justify'><span style='mso-bidi-font-weight:\n"
                               f"bold'>{esc(t)}<o:p></o:p></span></p>" for t in paragraphs)
                blocks.append(f'<!--smcdocmsword--><div class="smcdocmsword" id="smcdocid{paper.id * 10 + n:08d}">'
                              f'\n<div class=WordSection1>\n{ps}\n<p class=MsoNormal></p>\n</div>\n</div>\n')
            body += ('<!-- data-row --><div class="row">\n\n<div class="col-md-12">\n\n<div class="card card-light '
                     'smcbox"><div class="panel-body"><div class="smcboxcontent card-body">'
                     + "<hr />".join(blocks) + '\n</div></div></div>\n</div>\n</div><!-- /data-row -->\n')
        tabs = self.tabs([(f"vo0050.asp?__kvonr={paper.id}", "Informationen", True),
                          (f"vo0053.asp?__kvonr={paper.id}", "Beratungen", False)])
        # "Letzte Änderung" stamp: two days after the paper date, a time derived from the id.
        stamp = dt.datetime.combine(paper.date + dt.timedelta(days=2),
                                    dt.time(9 + paper.id % 8, paper.id % 60, (paper.id * 7) % 60))
        changed = f"{stamp:%d.%m.%Y %H:%M:%S}"
        self.write("vo0050.asp", {"__kvonr": paper.id}, "vo0050", one_line(paper.subject), one_line(paper.subject),
                   body, tabs, changed)

    def vo0053(self, paper: Paper) -> None:
        cards = []
        for n, s in enumerate([s for s in paper.stations if s.item is not None], start=1):
            m, item = s.meeting, s.item
            assert m is not None and item is not None
            head = f"{m.date:%d.%m.%Y} {num_entities(esc(m.committee.name))} TOP {item.number.split(' ')[1]} " \
                   f"&#246;ffentlich"
            if s.result:
                head += f" - {num_entities(esc(s.result))}"
            n_docs = len(m.docs)
            head += f' <span class="smc-badges"><span class="badge">{n_docs} Dok.</span></span>'
            label = num_entities(esc(self.meeting_label(m)))
            inner = (self.row("sidat", "Datum", f"{m.date:%d.%m.%Y}")
                     + self.row("siname", "Sitzung", f'<a href="si0057.asp?__ksinr={m.id}" title="Details anzeigen: '
                                                     f'{label}" aria-label="Details anzeigen: {label}" class="smce-a-u '
                                                     f'smc-link-normal smc_doc smc_datatype_si" >Zur Sitzung '
                                                     f'{esc(self.siname(m))}</a>')
                     + self.row("grname", "Gremium", num_entities(esc(m.committee.name)))
                     + self.row("bfrolle", "Rolle", esc(s.role))
                     + self.row("tofnum", "TOP", f'<a href="to0050.asp?__ktonr={item.id}" class="smce-a-u '
                                                 f'smc-link-normal smc_doc smc_datatype_to" >'
                                                 f'{item.number.replace("Ö", "&Ouml;")}</a>'))
            if s.result:
                inner += self.row("tobeschluss", "Ergebnis", num_entities(esc(s.result)))
            cards.append(self.panel(n, head, inner))
        body = '<div class="row">\n\n' + "".join(cards) + "</div><!-- /meta-row -->\n"
        tabs = self.tabs([(f"vo0050.asp?__kvonr={paper.id}", "Informationen", False),
                          (f"vo0053.asp?__kvonr={paper.id}", "Beratungen", True)])
        self.write("vo0053.asp", {"__kvonr": paper.id}, "vo0053", one_line(paper.subject), one_line(paper.subject),
                   body, tabs)

    def si0040(self, year: int, month: int, params: dict) -> None:
        q = "si0040.asp?__cjahr={y}&__cmonat={m}&__canz=1&__cselect=0"

        def link(y: int, mm: int, cls: str, text: str) -> str:
            return (f'<a  href="{q.format(y=y, m=mm)}" title="Jahr: {y} Monat: {mm}" aria-label="Jahr: {y} Monat: '
                    f'{mm}" class="smce-a-u {cls}" >{text}</a>')

        prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
        next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
        months = "".join(link(year, mm, "dropdown-item smcfiltermenumonth" + (" smcfiltermenuselected"
                                                                                if mm == month else ""),
                              named_entities(GERMAN_MONTHS[mm - 1])) for mm in range(1, 13))
        prev_link = link(prev_y, prev_m, "nav-link smcfiltermenuprev",
                         '<i class="fa fa-chevron-circle-left smcfontawesome"></i>')
        next_link = link(next_y, next_m, "nav-link smcfiltermenunext",
                         '<i class="fa fa-chevron-circle-right smcfontawesome"></i>')
        filt = (f'<div id="smcfiltermenu" class="smcnoprint smc-filter-bar"><ul class="nav nav-pills">\n\n'
                f'<li class="nav-item">{prev_link}</li>'
                f'<li class="nav-item dropdown"><a x="y" id="smce09060000000012" aria-expanded="false" aria-haspopup="true" '
                f'aria-label="Monat auswählen" title="Monat auswählen" role="button" data-toggle="dropdown" '
                f'class="nav-link dropdown-toggle" href="#">{named_entities(GERMAN_MONTHS[month - 1])} <span class="caret"></span></a>'
                f'<div class="smcfiltermenumonth dropdown-menu dropdown-menu-right" aria-labelledby="smce09060000000012">{months}</div></li>'
                f'<li class="nav-item">{next_link}</li>'
                f'<li class="nav-item"><a  href="{q.format(y=self.m.today.year, m=self.m.today.month)}" title="Monat: Aktuell" '
                f'aria-label="Monat: Aktuell" class="smce-a-u nav-link smcfiltermenunow" >Aktuell</a></li>\n'
                f'</ul>\n</div>\n<br />\n')
        rows = []
        for day in range(1, calendar.monthrange(year, month)[1] + 1):
            d = dt.date(year, month, day)
            wd = GERMAN_WEEKDAYS[d.weekday()]
            cls = "holiday smc-status-holiday" if d.weekday() >= 5 or d in HOLIDAYS else "weekday"
            day_meetings = sorted([m for m in self.m.meetings if m.date == d], key=lambda m: (m.start, m.id))
            first = True
            for m in day_meetings or [None]:
                if first:
                    lead = (f'<td data-label="&nbsp;" class="smc-table-cell-block-991 smc-table-cell-heading '
                            f'smc_fct_day_991"><span class="weekday">{day}</span> <a title="{wd}" class="{cls}">'
                            f'{wd[:2]}</a></td><td data-label="&nbsp;" class="smc-t-cn991 smc_fct_day"><span '
                            f'class="weekday">{day}</span></td><td data-label="&nbsp;" class="smc-t-cn991 '
                            f'smc_fct_daytext"><a title="{wd}" class="{cls}">{wd[:2]}</a></td>')
                else:
                    lead = ('<td data-label="&nbsp;" class="smc-table-cell-block-991 smc-table-cell-heading '
                            'smc_fct_day_991"></td><td data-label="&nbsp;" class="smc-t-cn991 smc_fct_day"></td>'
                            '<td data-label="&nbsp;" class="smc-t-cn991 smc_fct_daytext"></td>')
                first = False
                if m is None:
                    rows.append(f'<tr>{lead}<td data-label="Sitzung" class="smc-t-cn991 silink"></td><td '
                                f'data-label="Termin" class="smc-t-cn991 sitermin"></td><td data-label="Dokumente" '
                                f'class="smc-t-cn991 sidocs"></td>\n\n</tr>')
                    continue
                label = num_entities(esc(self.meeting_label(m)))
                time = f"{m.start}-{m.end}&nbsp;Uhr" if m.end and m.held else f"{m.start}&nbsp;Uhr"
                docs = [d_ for d_ in m.docs if d_.kind == "agenda"]
                docs_html = ('<div class="smc-dg-c-3-12 smc-documents smce-do-1 smc-pr-nsmc-doc-dakurz-box '
                             'smc-doc-size-1 flex-column">\n' + "".join(self.doc_box(x, "col-lg-12") for x in docs)
                             + '<!--SMCPHDOCFCT--></div>') if docs else ""
                rows.append(f'<tr>{lead}<td data-label="Sitzung" class="smc-t-cl991 silink"><div class="smc-el-h ">'
                            f'<a  href="si0057.asp?__ksinr={m.id}" title="Details anzeigen: {label}" '
                            f'aria-label="Details anzeigen: {label}" class="smce-a-u smc-link-normal smc_doc '
                            f'smc_datatype_si" >{num_entities(esc(m.committee.meeting_name))}</a></div><ul '
                            f'class="list-inline smc-detail-list"><li class="list-inline-item">{time}</li><li '
                            f'class="list-inline-item">{num_entities(esc(m.committee.room))}</li></ul></td><td '
                            f'data-label="Termin" class="smc-t-cl991 sitermin"></td><td data-label="Dokumente" '
                            f'class="smc-t-cl991 sidocs">{docs_html}</td>\n\n</tr>')
        table = ('<!-- table-responsive --><table id="smc_page_si0040_contenttable1" class="table table-striped '
                 'smc-table smc-table-striped smc-table-responsive smctablesitzungen">\n<tbody>\n\n'
                 + "\n".join(rows) + "\n</tbody>\n</table><!-- /table-responsive -->\n")
        tabs = self.tabs([("si0040.asp", "Kalender", True)])
        title = f"Kalender {year} {GERMAN_MONTHS[month - 1]}"
        self.write("si0040.asp", params, "si0040", title, title, filt + table, tabs)

    def gr0040(self) -> None:
        rows = []
        for org in list(self.m.committees) + list(self.m.factions):
            meetings = [m for m in self.m.meetings if m.committee is org]
            held = [m for m in meetings if m.held]
            coming = [m for m in meetings if not m.held]
            name = num_entities(esc(org.name))
            last = (f'<a  href="si0057.asp?__ksinr={held[-1].id}" title="Details anzeigen: '
                    f'{num_entities(esc(self.meeting_label(held[-1])))}" class="smce-a-u smc-link-normal smc_doc '
                    f'smc_datatype_si" >{held[-1].date:%d.%m.%Y}</a>') if held else ""
            nxt = f"{coming[0].date:%d.%m.%Y}" if coming else ""
            rows.append(f'<tr class="smc-t-r-l"><td data-label="" class="smc-t-cl991 grname"><a  href="kp0040.asp?'
                        f'__kgrnr={org.id}&" title="Details anzeigen: {name}" aria-label="Details anzeigen: {name}" '
                        f'class="smce-a-u smc-link-normal" >{name}</a></td><td data-label="" class="smc-t-cn991 '
                        f'silast">{last}</td><td data-label="" class="smc-t-cn991 sinext">{nxt}</td>\n</tr>')
        table = ('<!-- table-responsive --><table id="smc_page_gr0040_contenttable1" class="table table-striped '
                 'smc-table smc-table-striped smc-table-responsive smctablegremien">\n<thead class="smc-t-r-l"><tr>'
                 '<th class="grname">Name</th><th class="silast">Letzte Sitzung</th><th class="sinext">Nächste '
                 'Sitzung</th>\n</tr><!-- /tr-responsive --></thead>\n<tbody>\n' + "\n".join(rows)
                 + "\n</tbody>\n</table><!-- /table-responsive -->\n")
        self.write("gr0040.asp", {}, "gr0040", "Gremien", "Gremien", table)

    def kp0040(self, key: str, org_id: int, name: str) -> None:
        rows = []
        section = None
        labels = self.m.raw.get("partyLabels", {})
        for person, role, heading in self.m.rosters[key]:
            if heading != section:
                section = heading
                rows.append(f'<tr class="smc-t-r-l"><td data-label="Personenüberschrift" class="smc-t-cl991 '
                            f'smc-table-cell-th-991 smc-table-cell-th-z smcfield_puname" colspan="3">'
                            f'{num_entities(esc(heading))}</td>\n</tr>')
            party = num_entities(esc(labels.get(person.faction.key, "") if person.faction else ""))
            full = num_entities(esc(f"{person.given} {person.family}"))
            rows.append(f'<tr class="smc-t-r-l"><td data-label="Name" class="pename"><a  href="pe0051.asp?__kpenr='
                        f'{person.id}" title="Details anzeigen: {full}" aria-label="Details anzeigen: {full}" '
                        f'class="smce-a-u smc-link-normal" >{full}</a></td><td data-label="Mitgliedschaft" '
                        f'class="smc-t-cn991 pepartei">{party}</td><td data-label="Mitgliedschaft" '
                        f'class="smc-table-cell-block-991 pepartei">{party} {num_entities(esc(role))}</td><td '
                        f'data-label="Mitarbeit" class="smc-t-cn991 amname">{num_entities(esc(role))}</td>\n</tr>')
        table = ('<br /><h2 class="smc_h2">Mandatstr&auml;ger:</h2>\n<!-- table-responsive --><table '
                 'id="smc_page_kp0040_contenttable1" class="table table-striped smc-table smc-table-striped '
                 'smc-table-responsive xxx">\n<thead class="smc-t-r-l"><tr><th class="pename">Name</th><th '
                 'class="pepartei">Mitgliedschaft</th><th class="amname">Art der Mitarbeit</th>\n</tr><!-- '
                 '/tr-responsive --></thead>\n<tbody>\n' + "\n".join(rows)
                 + "\n</tbody>\n</table><!-- /table-responsive -->\n")
        tabs = self.tabs([(f"kp0040.asp?__kgrnr={org_id}", "Mitglieder", True)])
        self.write("kp0040.asp", {"__kgrnr": org_id}, "kp0040", name, name, table, tabs)


# ===========================================================================
# PDF writer (Helvetica, WinAnsiEncoding, one Flate stream per page)
# ===========================================================================

PAGE_W, PAGE_H, MARGIN = 595, 842, 56
STYLES = {"h1": ("F1", 14, 20), "b": ("F1", 11, 15), "p": ("F1", 10.5, 14), "": ("F1", 10.5, 10)}


def pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_document(lines: list[tuple[str, str]], title: str = "") -> bytes:
    """Return a small PDF that prints the given (style, text) lines; text extractable with umlauts."""
    wrapped: list[tuple[str, str]] = []
    for style, text in lines:
        if style == "p" and len(text) > 88:
            wrapped.extend((style, part) for part in textwrap.wrap(text, 88))
        else:
            wrapped.append((style, text))
    pages: list[bytes] = []
    ops: list[bytes] = []
    y = PAGE_H - MARGIN
    for style, text in wrapped:
        font, size, leading = STYLES[style]
        if y - leading < MARGIN:
            pages.append(b"\n".join(ops))
            ops, y = [], PAGE_H - MARGIN
        y -= leading
        if text:
            ops.append(b"BT /%s %s Tf %d %d Td %s Tj ET" % (font.encode(), str(size).encode(), MARGIN, y,
                                                           pdf_string(text)))
    pages.append(b"\n".join(ops))

    objects: list[bytes] = []
    n_pages = len(pages)
    page_ids = [5 + 2 * i for i in range(n_pages)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % i for i in page_ids), n_pages))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Title %s >>" % pdf_string(title))
    for i, content in enumerate(pages):
        stream = zlib.compress(content, 9)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R >> >> "
                       b"/Contents %d 0 R >>" % (PAGE_W, PAGE_H, page_ids[i] + 1))
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# ===========================================================================
# Site-wide files and expected.json
# ===========================================================================


def robots_txt(munis: list[Municipality]) -> bytes:
    """Return robots.txt: public areas allowed, members' areas (…/bi/ri/) disallowed.

    Explicit per-town lines come first for first-match parsers (urllib.robotparser),
    the wildcard lines serve longest-match parsers (Protego, used by Scrapy).
    """
    lines = ["# Demo council information systems (ratsinfo)", "User-agent: *"]
    for m in munis:
        if m.system == "allris_classic":
            lines.append(f"Disallow: {m.base_path}ri/")
    lines += ["Disallow: /*/bi/ri/", "Disallow: /intern/", "Allow: /*/bi/", "Allow: /*/buergerinfo/", ""]
    return "\n".join(lines).encode("ascii")


def start_page(munis: list[Municipality]) -> bytes:
    items = []
    for m in munis:
        start = "si010_e.asp" if m.system == "allris_classic" else "si0040.asp"
        items.append(f'<li><a href="{m.base_path}{start}">{esc(m.name)}</a> ({m.system}, AGS {m.ags})</li>')
    text = ("<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\"><title>ratsinfo Demo</title></head>"
            "<body><h1>ratsinfo: Demo-Ratsinformationssysteme</h1>\n<p>Erfundene Kommunen, erfundene Inhalte.</p>\n"
            f"<ul>\n{chr(10).join(items)}\n</ul>\n</body></html>\n")
    return text.encode("utf-8")


def expected_for(m: Municipality, months: list[str]) -> dict:
    """Return what a full crawl of one municipality should load, counted from the model."""
    allris = m.system == "allris_classic"
    items = [i for meeting in m.meetings for i in meeting.items]
    docs = [d for p in m.papers for d in p.docs] + [d for mt in m.meetings for d in mt.docs]
    members = {p.id for rows in m.rosters.values() for p, _r, _s in rows}
    by_kind: dict[str, int] = {}
    for d in docs:
        by_kind[d.kind] = by_kind.get(d.kind, 0) + 1
    used_months = sorted({f"{mt.date:%Y-%m}" for mt in m.meetings})
    return {
        "slug": m.slug,
        "name": m.name,
        "system": m.system,
        "basePath": m.base_path,
        "ags": m.ags,
        "startUrls": ([f"{m.base_path}si010_e.asp?MM={int(x[5:])}&YY={x[:4]}" for x in used_months]
                      + [f"{m.base_path}au010.asp", f"{m.base_path}fr010.asp"]) if allris else
                     ([f"{m.base_path}si0040.asp?__cjahr={x[:4]}&__cmonat={int(x[5:])}" for x in used_months]
                      + [f"{m.base_path}gr0040.asp"]),
        "months": used_months,
        "counts": {
            "papers": len(m.papers),
            "consultations": sum(len(p.stations) for p in m.papers),
            "consultationsWithMeeting": sum(1 for p in m.papers for s in p.stations if s.meeting is not None),
            "meetings": len(m.meetings),
            "meetingsWithAgenda": sum(1 for mt in m.meetings if mt.agenda == "published"),
            "meetingsCancelled": sum(1 for mt in m.meetings if mt.agenda == "cancelled"),
            "agendaItems": len(items),
            "agendaItemsPublic": sum(1 for i in items if i.public),
            "agendaItemsWithDetailPage": sum(1 for i in items if i.has_detail),
            "agendaItemsWithPaper": sum(1 for i in items if i.paper is not None),
            "persons": len(members),
            "organizations": len(m.committees) + len(m.factions),
            "committees": len(m.committees),
            "factions": len(m.factions),
            "memberships": sum(len(rows) for rows in m.rosters.values()),
            "files": len(docs),
            "filesByKind": dict(sorted(by_kind.items())),
        },
        "integrationPapers": [str(p.id) for p in m.papers if p.topic == "integration"],
        "falseFriendPapers": [str(p.id) for p in m.papers if p.topic == "false_friend"],
        "papers": [
            {
                "systemId": str(p.id), "reference": p.ref, "name": one_line(p.subject), "paperType": p.type,
                "date": p.date.isoformat(), "leadOfficeRaw": p.lead if allris else None,
                "leadOfficeInPdf": p.lead, "author": p.author, "clerk": p.clerk,
                "topic": p.topic, "consultations": len(p.stations),
                "mainFile": str(p.main_doc.id), "mainFileUrl": m.base_path + p.main_doc.url,
                "files": len(p.docs), "signatories": paper_signatories(m, p),
            }
            for p in m.papers
        ],
        "meetings": [
            {
                "systemId": str(mt.id), "date": mt.date.isoformat(), "organization": str(mt.committee.id),
                "organizationName": mt.committee.name, "agenda": mt.agenda, "cancelled": mt.agenda == "cancelled",
                "agendaItems": len(mt.items),
            }
            for mt in m.meetings
        ],
        "agendaItems": [
            {
                # SessionNet shows __ktonr only in the link to to0050; rows without one have no id on the page.
                "systemId": str(i.id) if allris or i.has_detail else None, "meeting": str(i.meeting.id),
                "number": i.number, "public": i.public, "paper": str(i.paper.id) if i.paper else None,
                "resultRaw": item_result_raw(i, allris), "voteRaw": i.vote, "detailPage": i.has_detail,
            }
            for i in items
        ],
    }


def item_result_raw(item: AgendaItem, allris: bool) -> str | None:
    """Return the result as the pages print it: ALLRIS prints "(offen)" while undecided."""
    if not item.has_detail:
        return None
    if item.result is None and allris:
        return "(offen)"
    return item.result


def build_all(content: Any) -> tuple[list[Municipality], dict[str, bytes], dict]:
    """Return the municipalities, every site file (path -> bytes) and the expected.json data."""
    munis = []
    for raw in content.MUNICIPALITIES:
        raw = dict(raw, _calendarMonths=content.CALENDAR_MONTHS)
        munis.append(build_municipality(raw, content))
    files: dict[str, bytes] = {"robots.txt": robots_txt(munis), "index.html": start_page(munis)}
    for m in munis:
        site = AllrisSite(m) if m.system == "allris_classic" else SessionNetSite(m)
        files.update(site.render())
    per_muni = [expected_for(m, content.CALENDAR_MONTHS) for m in munis]
    keys = list(per_muni[0]["counts"])
    totals = {k: sum(e["counts"][k] for e in per_muni) for k in keys if k != "filesByKind"}
    expected = {
        "generatedBy": "tests/sites/demo.py from data/demo/content.json",
        "today": content.TODAY,
        "months": sorted({mo for e in per_muni for mo in e["months"]}),
        "calendarMonthsServed": content.CALENDAR_MONTHS,
        "urlMapping": ("/<path>?<query> -> site/<path>/<identifying params sorted, k=v joined by &>.<html|pdf>; "
                       "pages without parameters -> site/<path>/index.html; see flows/demo_site.py"),
        "definitions": {
            "consultations": "stations of all Beratungsfolgen (including stations not yet scheduled)",
            "meetings": "all calendar entries, including cancelled ones and ones without published agenda",
            "agendaItems": "numbered rows of all published agendas (headings and non-public rows included)",
            "persons": "distinct person ids in all committee and faction rosters",
            "organizations": "committees + factions",
            "memberships": "rows of all committee and faction rosters",
            "files": "distinct documents (PDF) linked from papers and meetings",
            "papers[].name": "the Betreff with line breaks (<br />) replaced by one space",
            "papers[].leadOfficeRaw": "Federführend as the HTML shows it (SessionNet pages have none: see "
                                      "leadOfficeInPdf, printed in the main document)",
            "agendaItems[].systemId": "TOLFDNR / __ktonr where the page shows it; null for SessionNet rows "
                                      "without a to0050 link (the parser has to derive an id)",
            "agendaItems[].number": "as printed (\"Ö 3.1\", \"N 7\")",
            "agendaItems[].resultRaw": "Beschlussart / Beschluss as printed; ALLRIS prints (offen) while undecided",
            "integrationPapers": "paper systemIds whose subject matter is integration/migration",
            "falseFriendPapers": "paper systemIds that only share a word with integration (must not count)",
        },
        "totals": totals,
        "municipalities": per_muni,
    }
    return munis, files, expected


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Replace ``out`` with exactly the given files."""
    if out.exists():
        shutil.rmtree(out)
    for rel in sorted(files):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[rel])


def expected_json(expected: dict) -> str:
    """Return expected.json text: indented, but each paper/meeting/agenda item on one line."""
    rows: dict[str, str] = {}

    def compact(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: compact(v, k) for k, v in value.items()}
        if isinstance(value, list) and key in ("papers", "meetings", "agendaItems"):
            out = []
            for v in value:
                token = f"@@row{len(rows)}@@"
                rows[token] = json.dumps(v, ensure_ascii=False)
                out.append(token)
            return out
        if isinstance(value, list):
            return [compact(v) for v in value]
        return value

    text = json.dumps(compact(expected), ensure_ascii=False, indent=1)
    for token, row in rows.items():
        text = text.replace(f'"{token}"', row)
    return text + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="site folder to (re)write")
    parser.add_argument("--expected", type=Path, default=DEFAULT_EXPECTED, help="expected.json to write")
    args = parser.parse_args(argv)
    content = load_content()
    _munis, files, expected = build_all(content)
    write_site(files, args.out)
    args.expected.parent.mkdir(parents=True, exist_ok=True)
    args.expected.write_text(expected_json(expected), encoding="utf-8")
    size = sum(len(b) for b in files.values())
    print(f"wrote {len(files)} files ({size / 1024:.0f} KiB) to {args.out}; totals: {expected['totals']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
