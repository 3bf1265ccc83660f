"""Signatories found in the signature block of a council paper's text.

German council papers end with a signature block. The shapes seen in real
documents (Würselen ALLRIS, Karlsruhe SessionNet PDFs) are:

* one ``gez. Name`` per line, the role on the next line or none at all::

      gez. Bettina Lisbach
      Bürgermeisterin

* two or more signatures side by side, split by `` . `` or a run of spaces,
  their roles side by side on the next line in the same order::

      gez. i.V. R. Strotkötter . gez. R. Strotkötter .
      Bürgermeister Beigeordneter

* ``gez.`` alone (or with a group label such as ``OR``, ``SPD-Fraktion:``),
  the names on the following lines, one per line or in columns::

      gez. OR                         gez.         gez.
      Ralf Köster                     Heinz Fenrich        Karl Röckinger
      Dr. Heike Puzicha-Martz         Oberbürgermeister       Landrat

* a comma list: ``gez. Dr. H. Dilger, R. Henkel`` or
  ``gez. Ludwig Kast, Fraktionsvorsitzender``;

* the letter form, role and representation above the name::

      Der Bürgermeister
      In Vertretung
      gez. Müller

``gez.`` also means *gezeichnet* = "drawn by" in the title blocks of plans
(``bearb. / gez. / gepr.``) and appears in ``gez. Kapital``; those are not
signatures and are skipped, as is any ``gez.`` that does not start a line or a
column, and any block whose text does not read as a person's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Representation = Literal["i.V.", "i.A."]


@dataclass(frozen=True)
class Signatory:
    """One signature: position in reading order (1-based), name, role, i.V./i.A."""

    order: int
    name: str
    role: str | None = None
    representation: Representation | None = None


# --- vocabulary ------------------------------------------------------------

# Role words, matched inside compounds ("Fachbereichsleiterin",
# "Integrationsbeauftragte", "Ortschaftsrätin").
_ROLE_CORE = (
    r"bürgermeister(?:in)?|beigeordnete[rn]?|leiter(?:in)?|leitung|dezernent(?:in)?|"
    r"sachbearbeiter(?:in)?|kämmer(?:er|in)|direktor(?:in)?|landr(?:at|ätin)|vorsteher(?:in)?|"
    r"vorsitzende[rn]?|führer(?:in)?|sprecher(?:in)?|beauftragte[rn]?|präsident(?:in)?|"
    r"referent(?:in)?|rät(?:in|e)|stadtrat|ortschaftsrat|gemeinderat|kreisrat|bezirksrat|"
    r"ratsherr|ratsfrau|ratsmitglied|verordnete[rn]?|protokollant(?:in)?|planer(?:in)?|"
    r"koordinator(?:in)?|verfasser(?:in)?|baurat|vorstand|vertreter(?:in)?|"
    r"mitarbeiter(?:in)?|sekretär(?:in)?|justiziar(?:in)?|syndik(?:us|a)"
)
_ROLE_WORD = re.compile(rf"(?<![\w-])[\w-]*(?:{_ROLE_CORE})(?![\w])", re.I)
# A role phrase for splitting "Bürgermeister Beigeordneter" into columns: an
# optional qualifier, the role word, an optional party/office abbreviation.
_ROLE_PHRASE = re.compile(
    rf"(?:(?:Erste[rn]?|Stellv\.|Stv\.|stellv\.|stellvertretende[rn]?|Allgemeine[rn]?|"
    rf"Technische[rn]?|Kommissarische[rn]?|komm\.)\s*)?"
    rf"(?<![\w-])[\w-]*(?:{_ROLE_CORE})(?![\w])(?-i:\s+[A-ZÄÖÜ]{{2,6}}\b(?!\.))?",
    re.I,
)
_ROLE_ABBREVIATION = re.compile(r"^(?:OB|BM|Bgm\.?|OR|StR|GR|BV|Stv\.|stellv\.|Stellv\.)$")
_PARTY = re.compile(
    r"^\(?(?:CDU|CSU|SPD|FDP|AfD|FW|FWV|BFW|FWG|ÖDP|Volt|Piraten|PL|KAL|GfK|FUR|WG|UWG|BSW|"
    r"Linke|Die\s+Linke|LINKE|Grüne|GRÜNE|Die\s+Grünen|B\s?[‘'’]?\s?90\s*/\s*Die\s+Grünen|"
    r"Bündnis\s*90\s*/\s*Die\s+Grünen|Freie\s+Wähler)\)?$",
    re.I,
)
_ORG_WORD = re.compile(
    r"(?<![\w-])[\w-]*(?:amt|ämter|direktion|verwaltung|fraktion|referat|dezernat|behörde|"
    r"büro|bereich|dienst|abteilung|stelle|betrieb|vorstand)(?![\w])|\bAbt\.",
    re.I,
)
_ABBREVIATION = re.compile(r"^[A-ZÄÖÜ][A-ZÄÖÜ0-9/&-]{1,6}$")

_TITLE = re.compile(
    r"^(?:Prof\.|Dr\.|Dres\.|Dr\.-Ing\.|Dr\.rer\.nat\.|med\.|jur\.|rer\.|nat\.|PD|Mag\.|"
    r"Dipl\.?-?|Dipl\.?-[A-ZÄÖÜ][a-zäöü]+\.?|-?Ing\.|Ing\.|M\.A\.|B\.A\.|LL\.M\.|h\.c\.)$"
)
_ADDRESS = re.compile(r"^(?:Herr|Herrn|Frau)$")
_INITIAL = re.compile(r"^[A-ZÄÖÜ]\.(?:-?[A-ZÄÖÜ]\.)*$")
_PARTICLE = re.compile(r"^(?:von|vom|van|de|der|den|zu|zur|di|da|du|le|la|ten|ter|v\.)$")
_NAME_WORD = re.compile(
    r"^[A-ZÄÖÜ][a-zäöüßéèêëáàâçñøåóòôíìîúùûæ'’]+(?:-[A-ZÄÖÜ][a-zäöüßéèêëáàâçñøåóòôíìîúùûæ'’]+)*$"
)
_UPPER_NAME_WORD = re.compile(r"^[A-ZÄÖÜ]{3,}(?:-[A-ZÄÖÜ]{2,})*$")

# Capitalised words that start lines near signatures but are not names.
_NOT_NAME_WORDS = frozenset(
    """
    Antrag Anträge Anfrage Anlage Anlagen Stellungnahme Begründung Sachverhalt Beschluss
    Beschlussvorschlag Vorlage Fraktion Stadt Gemeinde Verwaltung Hauptamt Sitzungsdienste
    Protokoll Datum Name Kapital Stammkapital Grundkapital Grüße Grüßen Gruß Mit Der Die Das Den
    Dem Des Ein Eine Einer Wir Ich Sie Es Er Für Und Im In Am An Auf Aus Bei Zur Zum Hier Diese
    Dieser Dieses Seite Telefon Fax Mail E-Mail Geschäftsstelle Tierheim Interfraktioneller
    Antragsteller Betreff Thema Termin Gremium Ausschuss Summe Gesamt Euro Haushalt Kosten Frage
    Fragen Ergebnis Freie Wähler Bündnis Grünen Linke Partei Liste Ortschaftsräte Ortschaftsrat
    Gemeinderat Stadtrat Integrationsrat Beirat Rat Kreistag Landkreis Amt Abteilung Referat
    Dezernat Fachbereich Team Vertretung Auftrag Zusammenarbeit Nein Ja Januar Februar März
    April Mai Juni Juli August September Oktober November Dezember Montag Dienstag Mittwoch
    Donnerstag Freitag Samstag Sonntag Uhr Sitzung Tagesordnung Niederschrift Öffentlich
    Nichtöffentlich Karlsruhe Bürgerinnen Bürger Alle Vielen Dank Freundliche Liebe Sehr Herr Herrn Frau
    Geehrte Herren Damen Unterschrift Ort Maßstab Plan Index Projekt Vorhabenträger Strecke
    Heft Teil Kapitel Nummer Nr Pdf Stand Entwurf Original Kopie Abschrift Richtigkeit
    Weitere Neue Alte Allgemeine Sonstige Erste Zweite Dritte Grundlagen Rathaus Markt
    Finanzielle Rechtliche Beratungsfolge Anlass Ziel Ziele Inhalt Hinweis Hinweise
    """.split()
)
# Endings of a first word that is no given name: the organisation in "Tierhilfe
# Lange", the adjective in "Rechtliche Grundlagen" (surnames may end so: Fischer).
_NOT_GIVEN_NAME_SUFFIX = re.compile(
    r"(?:hilfe|verein|verband|haus|heim|schutz|zentrum|werk|netz|bund|kreis|hof|team|gruppe|"
    r"initiative|stiftung|gmbh|markt|(?:lich|isch)(?:e|en|er|es)|ig(?:e|en|es))$",  # not -iger: Rüdiger
    re.I,
)
_NOT_NAME_SUFFIX = re.compile(
    r"(?:ungen|heit|keit|schaft|tion|ität|ismus|straße|strasse|gasse|allee|platz|ordnung|"
    r"ierung|antrag|anfrage)$",
    re.I,
)

_REPRESENTATION = re.compile(
    r"^(?:(?P<iv>i\.\s?V\.?|I\.\s?V\.?|iV\.?|In\s+Vertretung|in\s+Vertretung)|"
    r"(?P<ia>i\.\s?A\.?|I\.\s?A\.?|iA\.?|Im\s+Auftrag|im\s+Auftrag))(?=\s|$|:)\s*:?\s*"
)
# "gez." starting a line, a column or following a short "Label:"; never glued
# to a preceding word ("gepr.bearb.gez." in plan title blocks).
_ANCHOR = re.compile(r"(?<![\w.])(?:gez|Gez|GEZ)(?:\s*[.:])+(?!\w*\s*(?:kapital|Kapital))")
_LINE_LABEL = re.compile(r"^\s*(?P<label>[A-ZÄÖÜ][\w .()-]{0,40}?):\s*$")
_COLUMN_SPLIT = re.compile(r"\s+\.\s+|\s*\t\s*|\s{3,}|\s+\|\s+")
_COLUMN_SPLIT_LOOSE = re.compile(r"\s{2,}")
_PAGE_MARKER = re.compile(r"^\s*(?:[-–—]+\s*\d+\s*[-–—]+|--\s*\d+\s+of\s+\d+\s*--|Seite\s+\d+(?:\s*(?:von|/)\s*\d+)?|\d{1,3})\s*$")
# Words of plan title blocks, where "gez." means "drawn by".
_TITLE_BLOCK = re.compile(
    r"(?<![\w])(?:gepr(?:\.|üft\b)|bearb(?:\.|eitet\b)|Maßstab|Plan-?(?:Nr|nummer)|Planart|"
    r"Blatt-?(?:Nr|gr)|Zeichnungs-?Nr|Projektnr|Auftrag-?Nr|Ausgabedatum|Bauwerksnummer|"
    r"Lageplan|Längsschnitt|Querschnitt|Ausführungsplanung|\.dwg\b|\.dxf\b)"
    r"|(?<![\d,.])1\s?:\s?\d{2,5}(?![\d:])",
    re.I,
)
_LETTER_ROLE = re.compile(
    r"^(?:Der|Die|Für\s+den|Für\s+die|Namens\s+der|Namens\s+des)\s+(?P<role>[^,;:]{3,60})$"
)


# --- public API -------------------------------------------------------------


def find_signatories(text: str | None) -> list[Signatory]:
    """Return the signatories of a paper's text in reading order (empty when none found)."""
    if not text or not _might_be_signed(text):
        return []
    lines = [_clean_line(line) for line in text.replace("\f", "\n").splitlines()]
    found: list[tuple[str, str | None, Representation | None]] = []
    i = 0
    title_block_until = -1
    free_from = 0  # lines before this belong to an earlier block (e.g. its role row)
    while i < len(lines):
        if _is_signature_line(lines[i]) and (i <= title_block_until or _in_title_block(lines, i)):
            # The drawn-by fields of a plan come in runs: skip the neighbours too.
            title_block_until = i + 6
            i += 1
        elif _is_signature_line(lines[i]):
            people, i = _read_block(lines, i, free_from=free_from)
            found.extend(people)
            free_from = i
        elif _representation_only(lines[i]):
            people, i = _read_unsigned_letter_block(lines, i)
            found.extend(people)
            free_from = i
        else:
            i += 1
    seen: set[tuple[str, str | None, str | None]] = set()
    out: list[Signatory] = []
    for name, role, representation in found:
        # The same person signing every item of a protocol is one signatory.
        key = (name, role, representation)
        if key in seen:
            continue
        seen.add(key)
        out.append(Signatory(len(out) + 1, name, role, representation))
    return out


# --- blocks ------------------------------------------------------------------

_Person = tuple[str, str | None, Representation | None]


@dataclass
class _Slot:
    """One signature position on a ``gez.`` line; ``name`` None = name on the next row."""

    name: str | None
    role: str | None = None
    representation: Representation | None = None
    label: str | None = None  # a group label ("OR", "SPD-Fraktion") for following names


def _read_block(lines: list[str], start: int, *, free_from: int = 0) -> tuple[list[_Person], int]:
    """Return the people of the signature block starting at ``start`` and the next line index.

    ``free_from`` is the first line no earlier block used; a row of roles
    above the ``gez.`` line is read only from there.
    """
    slots, wants_more = _slots_of_line(lines, start)
    _apply_letter_heading(lines, start, slots)
    i = start + 1
    people: list[_Person] = []
    named = [s for s in slots if s.name]
    empty = [s for s in slots if not s.name]

    if named and not empty:
        i = _assign_role_row(lines, i, named)
        if i == start + 1 and not any(s.role for s in named):
            _assign_role_row_above(lines, start, named, free_from=free_from)
        people.extend(_as_people(named))
        if wants_more:
            more, i = _read_name_rows(lines, i, label=_group_label(slots), max_rows=30)
            people.extend(more)
        return people, i

    if not slots:
        return [], i

    # gez. without names: the names are on the following rows.
    label = _group_label(slots)
    representation = next((s.representation for s in slots if s.representation), None)
    if len(empty) > 1:
        j = _next_content_line(lines, i, max_gap=2)
        if j is not None:
            row = _name_row(lines[j], len(empty))
            if row:
                for slot, (name, inline_role) in zip(empty, row):
                    slot.name, slot.role = name, slot.role or inline_role
                i = _assign_role_row(lines, j + 1, empty)
                people.extend(_as_people(empty))
                return people, i
        return [], i
    more, i = _read_name_rows(
        lines, i, label=label, max_rows=30, representation=representation, bare=label is None
    )
    people.extend(more)
    return people, i


def _slots_of_line(lines: list[str], index: int) -> tuple[list[_Slot], bool]:
    """Return the signature slots on a ``gez.`` line and whether names may follow below."""
    line = lines[index]
    anchors = list(_ANCHOR.finditer(line))
    prefix = line[: anchors[0].start()].strip()
    segments = [
        line[a.end() : (anchors[k + 1].start() if k + 1 < len(anchors) else len(line))]
        for k, a in enumerate(anchors)
    ]
    # A trailing comma (or a name cut after a comma) continues on the next line.
    last = segments[-1].rstrip()
    if last.endswith(",") or re.search(r",\s*[A-ZÄÖÜ][\w-]*$", last):
        j = _next_content_line(lines, index + 1, max_gap=1)
        if j is not None and re.match(r"^[A-ZÄÖÜ(]", lines[j]) and "," in lines[j]:
            segments[-1] = last + " " + lines[j]
            lines[j] = ""
    slots: list[_Slot] = []
    wants_more = False
    for segment in segments:
        segment_slots, segment_open = _slots_of_segment(segment)
        slots.extend(segment_slots)
        wants_more = segment_open
    if slots and prefix:
        role = _prefix_role(prefix)
        if role and not slots[0].role:
            slots[0].role = role
    # Names below a gez. line only when that line is a single open signature.
    wants_more = wants_more and len(anchors) == 1
    return slots, wants_more


def _slots_of_segment(segment: str) -> tuple[list[_Slot], bool]:
    """Return the slots one ``gez.`` segment holds and whether it leaves room for names below."""
    text = segment.strip().strip(":").strip()
    text = re.sub(r"(?:\s+[./|])+$", "", text).strip()
    text = text.rstrip("/").strip()
    representation, text = _take_representation(text)
    if not text:
        return [_Slot(None, representation=representation)], True
    label, text = _split_label(text)
    if label and not text:
        return [_Slot(None, representation=representation, label=label)], True
    columns = [c for c in _COLUMN_SPLIT.split(text) if c.strip()]
    slots: list[_Slot] = []
    for column in columns:
        slots.extend(_people_in_column(column))
    if not slots:
        if _is_role_text(text) or _ABBREVIATION.match(text) or _ROLE_ABBREVIATION.match(text):
            # "gez. OR", "gez. CDU Fraktion", "gez. Ortschaftsräte": names follow.
            return [_Slot(None, representation=representation, label=label or text)], True
        return [], False
    if representation and not slots[0].representation:
        slots[0].representation = representation
    if label:
        for slot in slots:
            # "SPD-Fraktion: Dr. Rausch und Fraktion": the label says it better.
            if not slot.role or slot.role.lower() in label.lower():
                slot.role = label
            else:
                slot.role = f"{label}, {slot.role}"
    open_below = len(slots) == 1 and len(columns) == 1 and "," not in text
    return slots, open_below


def _split_label(text: str) -> tuple[str | None, str]:
    """Return ("SPD-Fraktion", "Dr. Jan-Dirk Rausch") for "SPD-Fraktion: Dr. Jan-Dirk Rausch"."""
    match = re.match(r"^(?P<label>[^:]{2,40}):\s*(?P<rest>.*)$", text.strip())
    if match and _is_role_text(match.group("label")):
        return match.group("label").strip(), match.group("rest").strip()
    return None, text.strip()


def _people_in_column(column: str) -> list[_Slot]:
    """Return the people in one column: a name, a comma/"und" list, each with inline role."""
    column = column.strip().strip(",;").strip()
    parts = [p.strip() for p in re.split(r"\s*[,;]\s*|\s+und\s+|\s+sowie\s+", column) if p.strip()]
    slots: list[_Slot] = []
    for part in parts:
        representation, part = _take_representation(part)
        person = _parse_person(part)
        if person:
            name, role = person
            slots.append(_Slot(name, role=role, representation=representation))
            continue
        cleaned = re.sub(r"^(?:die|der|das)\s+", "", part.strip("() "), flags=re.I)
        if slots and _is_role_text(cleaned):
            last = slots[-1]
            last.role = f"{last.role}, {cleaned}" if last.role else cleaned
            continue
        if slots:
            # Something that is neither a name nor a role: not a signature list.
            continue
        return []
    return slots


def _read_name_rows(
    lines: list[str],
    start: int,
    *,
    label: str | None,
    max_rows: int,
    representation: Representation | None = None,
    bare: bool = False,
) -> tuple[list[_Person], int]:
    """Return people listed one per row (or in columns) below an open ``gez.``, and the next index.

    ``bare`` is True below a ``gez.`` with nothing after it: there the first row
    may be a group label ("SPD-Fraktion") or a lone surname ("Bantz").
    """
    people: list[_Person] = []
    i = start
    rows = 0
    while rows < max_rows:
        j = _next_content_line(lines, i, max_gap=1)
        if j is None or _is_signature_line(lines[j]):
            break
        row_text = lines[j].strip().strip(",;").strip("()").strip()
        first = bare and rows == 0
        row = _name_row(row_text, None, min_words=1 if first else 2)
        if not row and first and label is None and _is_role_text(row_text) and not _parse_person(row_text):
            label = row_text
            i = j + 1
            first = False
            bare = False
            continue
        if not row:
            break
        slots = [_Slot(name, role=role or label) for name, role in row]
        if representation and not people:
            slots[0].representation = representation
        i = _assign_role_row(lines, j + 1, slots)
        people.extend(_as_people(slots))
        rows += 1
    return people, i


def _name_row(
    line: str, expected: int | None, *, min_words: int = 2
) -> list[tuple[str, str | None]] | None:
    """Return the (name, role) pairs of a row of names, or None if the row is not names."""
    label, text = _split_label(line.strip().strip(",;").strip())
    if not text or _ANCHOR.search(text):
        return None
    for splitter in (_COLUMN_SPLIT, _COLUMN_SPLIT_LOOSE):
        columns = [c.strip() for c in splitter.split(text) if c.strip()]
        if expected is not None and len(columns) != expected and len(columns) > 1:
            continue
        people: list[tuple[str, str | None]] = []
        for column in columns:
            slots = _people_in_column(column)
            # Below a gez. line only full names count: "Kapital", "Anlage" are not.
            if not slots or any(len(_name_words(s.name or "")) < min_words for s in slots):
                people = []
                break
            people.extend((s.name or "", s.role or label) for s in slots)
        if people and (expected is None or len(people) == expected):
            return people
    return None


def _assign_role_row(lines: list[str], start: int, slots: list[_Slot]) -> int:
    """Give slots their roles from the row below, if it is a row of roles; return the next index."""
    j = _next_content_line(lines, start, max_gap=0)
    strict = False
    if j is None:
        j = _next_content_line(lines, start, max_gap=1)
        strict = True  # after a blank line only clear role words count
    if j is None:
        return start
    roles = _role_row(lines[j], len(slots), strict=strict)
    if not roles:
        return start
    for slot, role in zip(slots, roles):
        if slot.role and slot.role != role and not slot.label:
            slot.role = f"{role}, {slot.role}"
        else:
            slot.role = role
    return j + 1


def _assign_role_row_above(lines: list[str], index: int, slots: list[_Slot], *, free_from: int) -> None:
    """Give slots their roles from the line right above the ``gez.`` line ("Bürgermeister  Kämmerer")."""
    above = index - 1
    if above < free_from or above < 0 or not lines[above].strip():
        return
    # Only clear role words: the line above is usually the last sentence of the text.
    roles = _role_row(lines[above], len(slots), strict=True)
    if roles:
        for slot, role in zip(slots, roles):
            slot.role = role


def _role_row(line: str, count: int, *, strict: bool) -> list[str] | None:
    """Return ``count`` roles read from a row, or None if the row is not a row of roles."""
    text = re.sub(r"^(?:und|sowie)\s+", "", line.strip().strip(".").strip())
    if not text or _ANCHOR.search(text) or ":" in text or len(text) > 40 * count + 20:
        return None
    if re.search(r"\s[-–—]$", text):
        return None  # the filing stamp "Hauptamt – Ratsangelegenheiten –"
    if re.search(r"[.!?]\s*$", line.strip()) and not re.search(r"\b(?:Stellv|Abt|Vors|stellv)\.$", line.strip()):
        return None
    check = _is_person_role if strict else _is_role_text
    columns = [c.strip() for c in _COLUMN_SPLIT.split(text) if c.strip()]
    if len(columns) == count and all(check(c) and not _parse_person(c) for c in columns):
        return columns
    phrases = [m.group(0).strip() for m in _ROLE_PHRASE.finditer(text)]
    rest = _ROLE_PHRASE.sub(" ", text)
    if len(phrases) == count and not re.search(r"[A-Za-zÄÖÜäöüß]{2,}", _strip_parties(rest)):
        return phrases
    if count == 1 and check(text) and not _parse_person(text) and len(text.split()) <= 6:
        return [text]
    return None


def _read_unsigned_letter_block(lines: list[str], index: int) -> tuple[list[_Person], int]:
    """Return the signer of "Der Bürgermeister / In Vertretung / Name" without ``gez.``."""
    representation, _ = _take_representation(lines[index].strip())
    heading = _previous_content_line(lines, index)
    role = _letter_role(lines[heading]) if heading is not None else None
    if not role:
        return [], index + 1
    j = _next_content_line(lines, index + 1, max_gap=3)
    if j is None:
        return [], index + 1
    if _is_signature_line(lines[j]):
        return [], index + 1  # the gez. line reads its heading itself
    row = _name_row(lines[j], 1)
    if not row:
        return [], index + 1
    name, inline_role = row[0]
    slot = _Slot(name, role=role, representation=representation, label=role)
    k = _assign_role_row(lines, j + 1, [slot])
    if inline_role and not slot.role:
        slot.role = inline_role
    return _as_people([slot]), k


def _apply_letter_heading(lines: list[str], index: int, slots: list[_Slot]) -> None:
    """Fill role and i.V./i.A. of a lone signature from "Der Bürgermeister / In Vertretung" above it."""
    if len(slots) != 1:
        return
    slot = slots[0]
    above = _previous_content_line(lines, index)
    if above is None:
        return
    representation, rest = _take_representation(lines[above].strip())
    if representation and not rest:
        slot.representation = slot.representation or representation
        above = _previous_content_line(lines, above)
        if above is None:
            return
    role = _letter_role(lines[above])
    if role and not slot.role:
        # "Der Bürgermeister" names the office signed for; a role printed
        # under the name ("Fachbereichsleiterin") replaces it.
        slot.role = role
        slot.label = role


# --- names and roles ----------------------------------------------------------


def _parse_person(text: str) -> tuple[str, str | None] | None:
    """Return (name, inline role) when text is a person's name with optional role, else None."""
    text = re.sub(r"\s+", " ", text.strip().strip(",;")).strip()
    text = re.sub(r"^\((.*)\)$", r"\1", text)
    if not text or len(text) > 90 or re.search(r"\d", text):
        return None
    text = re.sub(r"\b([A-ZÄÖÜ]\.)(?=[A-ZÄÖÜ][a-zäöüß])", r"\1 ", text)  # "B.Treiber"
    # "Dipl.- Ing." -> "Dipl.-Ing."
    text = re.sub(r"\b(Dipl)\.?-?\s*-?\s*(Ing|Kfm|Päd|Soz|Verw|Volksw)\.", r"\1.-\2.", text)
    paren = ""
    paren_match = re.search(r"\s*\(([^()]*)\)?\s*$", text)
    if paren_match and paren_match.start() > 0:
        paren = paren_match.group(1).strip()
        text = text[: paren_match.start()].strip()
    tokens = text.split(" ")
    role_prefix: list[str] = []
    while tokens and (
        _ROLE_ABBREVIATION.match(tokens[0])
        or _is_role_token(tokens[0])
        or (tokens[0].lower() in {"erste", "erster", "stellvertretende", "stellvertretender"})
    ):
        role_prefix.append(tokens.pop(0))
    if tokens and _ADDRESS.match(tokens[0]):
        tokens.pop(0)
    name_tokens: list[str] = []
    words = 0
    while tokens:
        token = tokens[0]
        if _TITLE.match(token) or _INITIAL.match(token):
            name_tokens.append(tokens.pop(0))
        elif _PARTICLE.match(token) and len(tokens) > 1 and (name_tokens or words == 0):
            name_tokens.append(tokens.pop(0))
        elif _is_name_word(token):
            name_tokens.append(tokens.pop(0))
            words += 1
        else:
            break
        if words > 3:
            return None
    while name_tokens and (_TITLE.match(name_tokens[-1]) or _PARTICLE.match(name_tokens[-1])):
        tokens.insert(0, name_tokens.pop())
    if words == 0 or not name_tokens or _INITIAL.match(name_tokens[-1]):
        return None
    given = next((t for t in name_tokens if _is_name_word(t)), "")
    if words > 1 and _NOT_GIVEN_NAME_SUFFIX.search(given):
        return None
    if all(_UPPER_NAME_WORD.match(t) for t in name_tokens if not _TITLE.match(t)) and words < 2:
        return None  # a lone upper-case word is an abbreviation, not a name
    rest = " ".join(tokens).strip(" ,")
    role_parts = [" ".join(role_prefix)] if role_prefix else []
    if rest:
        if not (_is_role_text(rest) or _strip_parties(rest).strip() == ""):
            return None
        role_parts.append(rest)
    if paren:
        if not (_is_role_text(paren) or _strip_parties(paren).strip() == "" or _ABBREVIATION.match(paren)):
            return None
        role_parts.append(f"({paren})" if role_parts else paren)
    role = " ".join(role_parts).replace(" (", " (").strip() or None
    return " ".join(name_tokens), role


def _is_name_word(token: str) -> bool:
    if token in _NOT_NAME_WORDS or _ROLE_WORD.fullmatch(token) or _ORG_WORD.fullmatch(token):
        return False
    if _NAME_WORD.match(token):
        return not (len(token) > 6 and _NOT_NAME_SUFFIX.search(token))
    if _UPPER_NAME_WORD.match(token):
        return not _PARTY.match(token) and token.title() not in _NOT_NAME_WORDS
    return False


def _name_words(name: str) -> list[str]:
    return [t for t in name.split() if _is_name_word(t)]


def _is_role_token(token: str) -> bool:
    return bool(_ROLE_WORD.fullmatch(token)) or token in {"Stellv.", "stellv.", "Stv."}


def _is_person_role(text: str) -> bool:
    """Return True for text naming a person's function (Bürgermeister, Amtsleiterin …)."""
    return bool(_ROLE_WORD.search(text)) and len(text.split()) <= 6


def _is_role_text(text: str) -> bool:
    """Return True for a role, office, faction or party, as printed beside a signature."""
    text = text.strip().strip(",;()").strip()
    if not text or len(text.split()) > 7 or re.search(r"[.!?]$", text) and not re.search(r"\b\w{1,5}\.$", text):
        return False
    if _ROLE_WORD.search(text) or _ORG_WORD.search(text):
        return True
    if _ROLE_ABBREVIATION.match(text):
        return True
    stripped = _strip_parties(text).strip(" ,/-")
    if not stripped:
        return True
    return all(_ABBREVIATION.match(t) and t.title() not in _NOT_NAME_WORDS for t in stripped.split())


def _strip_parties(text: str) -> str:
    out = re.sub(
        r"\bB\s?[‘'’]?\s?90\s*/\s*Die\s+Grünen\b|\bBündnis\s*90\s*/\s*Die\s+Grünen\b|\bDie\s+Linke\b|"
        r"\bFreie\s+Wähler\b|\bDie\s+Grünen\b",
        " ",
        text,
        flags=re.I,
    )
    return " ".join(t for t in out.split() if not _PARTY.match(t.strip("(),")))


def _prefix_role(prefix: str) -> str | None:
    """Return the role a "Label:" before ``gez.`` gives ("Protokoll:", "Der Vorsitzende:")."""
    label = prefix.strip().rstrip(":").strip()
    label = re.sub(r"^(?:Der|Die|Für\s+den|Für\s+die)\s+", "", label)
    if re.fullmatch(r"Protokoll|Protokollführung|Schriftführung|Vorsitz", label):
        return label
    if _is_person_role(label) and len(label.split()) <= 4:
        return label
    return None


def _letter_role(line: str) -> str | None:
    """Return the role of a letter heading such as "Der Bürgermeister", else None."""
    match = _LETTER_ROLE.match(line.strip())
    if not match:
        return None
    role = match.group("role").strip()
    return role if _is_person_role(role) and len(role.split()) <= 5 else None


def _take_representation(text: str) -> tuple[Representation | None, str]:
    """Return (i.V./i.A. or None, the text without it)."""
    match = _REPRESENTATION.match(text.strip())
    if not match:
        return None, text.strip()
    value: Representation = "i.V." if match.group("iv") else "i.A."
    return value, text.strip()[match.end() :].strip()


# --- lines ------------------------------------------------------------------


def _might_be_signed(text: str) -> bool:
    lowered = text.lower()
    return "gez" in lowered or "vertretung" in lowered or "auftrag" in lowered


def _clean_line(line: str) -> str:
    return line.replace("\xa0", " ").replace("\u2002", " ").replace("\u2003", " ").rstrip()


def _is_signature_line(line: str) -> bool:
    """Return True when ``gez.`` starts the line or follows a short "Label:" at its start."""
    match = _ANCHOR.search(line)
    if not match:
        return False
    before = line[: match.start()]
    if not before.strip():
        return True
    return bool(_LINE_LABEL.match(before)) and len(before.split()) <= 3


def _representation_only(line: str) -> bool:
    representation, rest = _take_representation(line.strip())
    return representation is not None and not rest


def _in_title_block(lines: list[str], index: int) -> bool:
    """Return True when a ``gez.`` sits among the bearb./gepr. fields of a plan's title block."""
    window = lines[max(0, index - 6) : index + 7]
    # Title-block fields are short lines; "soll geprüft werden" in a sentence is not one.
    return any(len(line.strip()) <= 60 and _TITLE_BLOCK.search(line) for line in window)


def _group_label(slots: list[_Slot]) -> str | None:
    return next((s.label for s in slots if s.label), None)


def _next_content_line(lines: list[str], start: int, *, max_gap: int) -> int | None:
    """Return the index of the next non-blank, non-page-number line within ``max_gap`` blanks."""
    gap = 0
    i = start
    while i < len(lines):
        line = lines[i]
        if not line.strip() or _PAGE_MARKER.match(line):
            if not line.strip():
                gap += 1
                if gap > max_gap:
                    return None
            i += 1
            continue
        return i
    return None


def _previous_content_line(lines: list[str], index: int) -> int | None:
    i = index - 1
    gap = 0
    while i >= 0:
        if lines[i].strip():
            return i
        gap += 1
        if gap > 1:
            return None
        i -= 1
    return None


def _as_people(slots: list[_Slot]) -> list[_Person]:
    return [(s.name, s.role, s.representation) for s in slots if s.name]


__all__ = ["Signatory", "find_signatories"]
