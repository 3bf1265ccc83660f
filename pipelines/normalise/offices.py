"""Lead-office labels ("Federführend:") as ``Office`` values: kind, code and name.

Pages print the lead office in many shapes: ``Amt 50``, ``A50``, ``(A51)``,
``Amt für Jugend, Schule, Sport und Kultur (A51)``, ``FB 3``,
``Fachbereich 5 - Jugend``, ``Dezernat III``, ``D 4 - Dezernat Wirtschaft …``,
``Stabsstelle …``, ``61 - Stadtplanung``, ``61.1 Stadterneuerung`` or a plain
name such as ``Interner Service``.

What the fields hold:

* ``kind``  the unit type: Amt, Fachbereich, Fachdienst, Dezernat, Referat,
  Abteilung, Stabsstelle, Team, Geschäftsbereich, Direktorium … and
  ``Organisationseinheit`` when the label does not say (plain names,
  companies, numbers outside the two-digit Amt scheme).
* ``code``  the unit's number without its kind: ``"50"``, ``"3"``,
  ``"61.1"``. Plain integers lose leading zeros (``FB 03`` → ``"3"``); roman
  numerals stay roman and upper case (``Dezernat III`` → ``"III"``,
  ``D 4`` → ``"4"``): a town numbers its Dezernate one way or the other,
  and converting would invent a spelling it never prints.
* ``name``  the label's own descriptive text without the code, as printed
  (``Fachbereich 5 - Jugend`` → ``"Jugend"``; ``Dezernat Steuerung und
  Service`` keeps its kind word). When the label holds only a code, the name
  comes from the office table: the KGSt numbering in
  ``data/offices_kgst.csv`` plus the municipality's overrides.

Table keys are a bare code for an Amt (``"51"``) and ``"<kind> <code>"``
for every other unit (``"Dezernat III"``, ``"Fachbereich 3"``); see
``office_key``. A municipality overrides or adds entries with a CSV of the
same two columns (``code,name``) in ``data/offices/<source>.csv``, passed as
``load_office_table(overrides=path)``; the result goes to
``office_from_label(raw, overrides=table)``.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
KGST_TABLE = DATA_DIR / "offices_kgst.csv"

ORGANISATIONSEINHEIT = "Organisationseinheit"


@dataclass(frozen=True, slots=True)
class Office:
    """A lead office read from its label."""

    raw: str
    kind: str
    code: str | None
    name: str | None


# --- vocabulary -------------------------------------------------------------------

# Abbreviations printed before a number ("A50", "FB 3", "D 4", "Dez. III").
_ABBREVIATIONS: dict[str, str] = {
    "a": "Amt",
    "fb": "Fachbereich",
    "fd": "Fachdienst",
    "d": "Dezernat",
    "dez": "Dezernat",
    "gb": "Geschäftsbereich",
    "ref": "Referat",
    "abt": "Abteilung",
    "fg": "Fachgruppe",
    "sg": "Sachgebiet",
    "oe": ORGANISATIONSEINHEIT,
    "stab": "Stabsstelle",
    "st": "Stabsstelle",
}
# Kind words a label starts with ("Fachbereich 5 - Jugend", "Amt für …").
_KIND_WORDS: dict[str, str] = {
    "amt": "Amt",
    "fachamt": "Amt",
    "fachbereich": "Fachbereich",
    "fachdienst": "Fachdienst",
    "dezernat": "Dezernat",
    "referat": "Referat",
    "abteilung": "Abteilung",
    "stabsstelle": "Stabsstelle",
    "stabstelle": "Stabsstelle",
    "team": "Team",
    "geschäftsbereich": "Geschäftsbereich",
    "direktorium": "Direktorium",
    "fachgruppe": "Fachgruppe",
    "sachgebiet": "Sachgebiet",
    "bereich": "Bereich",
    "eigenbetrieb": "Eigenbetrieb",
}
# Compound words that name their kind at the end ("Jugendamt", "Baudezernat").
_COMPOUND_ENDINGS: tuple[tuple[str, str], ...] = (
    ("amt", "Amt"),
    ("dezernat", "Dezernat"),
    ("referat", "Referat"),
    ("fachbereich", "Fachbereich"),
    ("stabsstelle", "Stabsstelle"),
)

# A unit number: digits ("50", "61.1") or an upper-case roman numeral ("III").
_DIGITS = r"(?P<code>\d{1,4}(?:[./]\d{1,4})*)"
_ROMAN = r"(?P<roman>(?-i:[IVXLC]{1,6})(?![A-Za-zäöüÄÖÜß]))"
_CODE = rf"(?:{_DIGITS}|{_ROMAN})"
_SEP = r"\s*(?:[-–—:,/]\s*)?"
_F = re.IGNORECASE

_SPACES = re.compile(r"[\s\u00a0]+")
# "(A51)", "(FB 3)", "(51)" at the end of a label.
_TRAILING_CODE = re.compile(
    rf"\s*\(\s*(?:(?P<abbr>{'|'.join(_ABBREVIATIONS)})\.?\s*)?{_CODE}\s*\)$", _F
)
_ABBREVIATED = re.compile(
    # A roman numeral needs a gap after the abbreviation: "D III", not "DIV".
    rf"(?P<abbr>{'|'.join(sorted(_ABBREVIATIONS, key=len, reverse=True))})"
    rf"(?:\.?\s*{_DIGITS}|(?:\.\s*|\s+){_ROMAN})(?![\w.]){_SEP}(?P<name>.*)",
    _F,
)
_KIND_FIRST = re.compile(
    rf"(?P<kind>{'|'.join(sorted(_KIND_WORDS, key=len, reverse=True))})\b\s*(?:{_CODE}(?![\w.]))?{_SEP}(?P<name>.*)",
    _F,
)
_NUMBER_FIRST = re.compile(rf"(?P<code>\d{{1,4}}(?:\.\d{{1,4}})*)(?![\w.]){_SEP}(?P<name>.*)")


# --- the office table ---------------------------------------------------------------


def office_key(kind: str, code: str) -> str:
    """Return the office-table key of a unit: ``"51"`` for Amt 51, ``"Dezernat III"`` else."""
    return code if kind == "Amt" else f"{kind} {code}"


def read_office_table(path: Path) -> dict[str, str]:
    """Return the {code: name} rows of an office table CSV (comment lines start with #)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if line.strip() and not line.startswith("#"))
        return {row["code"].strip(): row["name"].strip() for row in rows if row.get("code") and row.get("name")}


@functools.cache
def _default_table() -> dict[str, str]:
    return read_office_table(KGST_TABLE)


def load_office_table(
    path: Path | str | None = None, overrides: Mapping[str, str] | Path | str | None = None
) -> dict[str, str]:
    """Return the office table {key: name}: the KGSt numbering (or ``path``) with ``overrides`` on top.

    ``overrides`` is a mapping or the path of a municipality's CSV
    (``data/offices/<source>.csv``, columns ``code,name``).
    """
    table = dict(_default_table() if path is None else read_office_table(Path(path)))
    if isinstance(overrides, (str, Path)):
        overrides = read_office_table(Path(overrides))
    if overrides:
        table.update({key.strip(): name for key, name in overrides.items()})
    return table


# --- reading labels -------------------------------------------------------------------


def _normal_code(code: str) -> str:
    code = code.replace("/", ".")
    if code.isdigit():
        return str(int(code))
    return code.upper() if code.isalpha() else code


def _clean_name(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip(" -–—:,;")
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip()  # "Amt 61 (Stadtplanungsamt)"
    return text or None


def _kind_of_plain_name(name: str) -> str:
    first, last = name.split(" ", 1)[0].lower(), name.rsplit(" ", 1)[-1].lower()
    for word in (first, last):
        for ending, kind in _COMPOUND_ENDINGS:
            if word.endswith(ending) and len(word) > len(ending) + 2:
                return kind
    return ORGANISATIONSEINHEIT


def _read_label(label: str) -> tuple[str, str | None, str | None]:
    """Return (kind, code, name from the label) of a whitespace-normalised label."""
    trailing = _TRAILING_CODE.search(label)
    trailing_kind: str | None = None
    trailing_code: str | None = None
    if trailing is not None:
        trailing_code = _normal_code(trailing["code"] or trailing["roman"])
        if trailing["abbr"]:
            trailing_kind = _ABBREVIATIONS[trailing["abbr"].lower()]
        label = label[: trailing.start()].strip()
        if not label:
            return trailing_kind or _kind_for_bare_code(trailing_code), trailing_code, None

    m = _ABBREVIATED.fullmatch(label)
    if m is not None:
        return _ABBREVIATIONS[m["abbr"].lower()], _normal_code(m["code"] or m["roman"]), _clean_name(m["name"])

    m = _KIND_FIRST.fullmatch(label)
    if m is not None:
        kind = _KIND_WORDS[m["kind"].lower()]
        if m["code"] or m["roman"]:
            return kind, _normal_code(m["code"] or m["roman"]), _clean_name(m["name"])
        # No number after the kind word: the whole label is the name
        # ("Dezernat Steuerung und Service", "Amt für Soziales (A50)").
        return trailing_kind or kind, trailing_code, label

    m = _NUMBER_FIRST.fullmatch(label)
    if m is not None and (m["name"] == "" or not m["name"][:1].isdigit()):
        code = _normal_code(m["code"])
        return _kind_for_bare_code(code), code, _clean_name(m["name"])

    kind = trailing_kind or _kind_of_plain_name(label)
    return kind, trailing_code, label


def _kind_for_bare_code(code: str) -> str:
    # Two digits are the KGSt Amt numbering ("61 - Stadtplanung"); other
    # numbers ("61.1", "5.660") are units whose kind the label does not say.
    return "Amt" if len(code) == 2 and code.isdigit() else ORGANISATIONSEINHEIT


def office_from_label(raw: str | None, overrides: Mapping[str, str] | None = None) -> Office | None:
    """Return the Office a lead-office label names, or None for an empty label.

    ``overrides`` is a municipality's office table (see ``load_office_table``);
    its entries win over the KGSt numbering. A name printed in the label
    always wins over the table.
    """
    if raw is None:
        return None
    label = _SPACES.sub(" ", raw).strip()
    if not label or label.strip("-–— ") == "":
        return None
    kind, code, name = _read_label(label)
    if name is None and code is not None:
        key = office_key(kind, code)
        if overrides is not None and key in overrides:
            name = overrides[key]
        else:
            name = _default_table().get(key)
    return Office(raw=raw, kind=kind, code=code, name=name)


__all__ = ["Office", "load_office_table", "office_from_label", "office_key"]
