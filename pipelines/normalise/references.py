"""References to other papers in running text, as ``PaperReference`` values.

Finds mentions such as ``Vorlage VO/22/0594``, ``Drucksache 22-1703B``,
``Bezüglich: 22-1940``, ``Mitteilungsdrucksache 22-2076.1``,
``Vorlage Nr.: 2023/0598`` or a bare ``2424/2014-2020`` in a paper's texts.

Two tiers keep plain numbers out:

* After a context word (Vorlage, Drucksache, Drs., Antrag, Anfrage,
  Beschluss, Bezüglich, and compounds such as Beschlussvorlage or
  Mitteilungsdrucksache, optionally followed by "Nr."), any paper-number
  shape counts, including ``23/224`` and plain numbers of 3 to 6 digits
  (Karlsruhe numbers papers ``12345``), and lists ("Drucksachen 22-1703 und
  22-1704").
* Without a context word only shapes that plain numbers do not take count:
  letter prefixes (``VO/22/0594``, ``UV/0190/2026``, ``VIII/2026/02530``),
  number/year (``0463/2026``, ``2424/2014-2020``), year/number
  (``2025/1078``) and term-number (``22-1703B``).

Never a reference: dates, money amounts, phone numbers, paragraphs (``§ 13/2``),
years alone or year pairs (``2020/2021``, ``2023/24``), standards (``DIN
18040-1``), road numbers (``B 27/3``).

Resolving a reference to a paper is the load step's job; ``reference_key``
and ``reference_keys`` give the comparable forms it joins on, so that
``22-1703B`` meets ``22-1703 B`` and ``0463/2026`` meets ``463/2026``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PaperReference:
    """A paper number mentioned in a text.

    ``raw`` is the number as printed, ``reference`` the same without inner
    spaces and with plain hyphens (``22-1703 B`` → ``22-1703B``), ``keyword``
    the context word before it (``Drucksache``) or None, ``start``/``end``
    the position of ``raw`` in the text.
    """

    raw: str
    reference: str
    keyword: str | None
    start: int
    end: int


# Same-length replacements, so positions in the cleaned text are positions in the original.
_SAME_LENGTH = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-", "\u00a0": " ", "\u202f": " "}
)

_YEAR = r"(?:19|20)\d{2}"
# Alternatives are named after their shape; see _accept for which need a keyword.
_NUMBER = (
    r"(?:"
    # VO/22/0594, UV/0190/2026, VIII/2026/02530, ANF0001/2024, VO/2011/0368-R5, VO 22/0594
    r"(?P<prefixed>(?P<prefix>[A-ZÄÖÜ]{1,6})(?:\s?/\s?|-|\s)?\d{1,5}(?:\s?[/-]\s?\d{1,5}){1,3}"
    r"(?:-[A-Z]{1,2}\d{0,2}|\s?[A-Z](?![\wÄÖÜäöüß]))?)"
    # 0463/2026, 2424/2014-2020, 166/2011/1
    rf"|(?P<number_year>(?P<ny_number>\d{{1,5}})/(?P<ny_year>{_YEAR})(?:-{_YEAR})?(?:/\d{{1,3}})?)"
    # 2025/1078, 2023/1200/2
    rf"|(?P<year_number>(?P<yn_year>{_YEAR})/(?P<yn_number>\d{{1,5}})(?:/\d{{1,3}})?)"
    # 22-1703B, 22-1703 B, 22-2076.1 (Hamburg: term-number)
    r"|(?P<term_number>(?P<term>\d{2})-\d{3,5}(?:\.\d{1,2})?(?:\s?[A-Z](?![\wÄÖÜäöüß]))?)"
    # 23/224, 19/12345 (term/number): only after a keyword
    r"|(?P<short>\d{1,2}/\d{1,6})"
    # 12345: only after a keyword
    r"|(?P<plain>\d{3,6})"
    r")"
    # Not part of a longer number, date or amount.
    # "2006/123/EG" is an EU directive.
    r"(?![\wÄÖÜäöüß]|[/.,:-]\d|/[A-Za-z]|\s?(?:€|%|Euro\b|EUR\b|Prozent\b|Uhr\b|m²|qm\b|ha\b|km\b))"
)
_KEYWORD = (
    r"(?P<keyword>"
    # Vorlage, Beschlussvorlage, Mitteilungsdrucksache, VORLAGE …
    r"\b(?:[A-ZÄÖÜ][a-zäöüß]*)?(?:[Vv]orlagen?|[Dd]rucksachen?|[Aa]ntr(?:ag|äge)|[Aa]nfragen?)\b"
    r"|\b[A-ZÄÖÜ]*(?:VORLAGEN?|DRUCKSACHEN?|ANTRAG|ANFRAGEN?)\b"
    r"|\bBeschl(?:uss|usses|üsse)\b"
    r"|\b(?:GR)?D[Rr]?[Ss]\.?(?=[\s\d])"  # Drs., Ds., DS, GRDrs
    r"|\bBez(?:üglich|ug(?: auf)?|gl\.)"
    r")"
    r"(?:\s*[-–]?\s*(?:Nr\.?|Nummer|Nummern|No\.?))?\s*[:.]?\s*(?:\(\s*)?"
)
_KEYWORDED = re.compile(_KEYWORD + _NUMBER)
_LIST_NEXT = re.compile(r"(?:\s*(?:,|;|und|sowie|bzw\.|oder))+\s*(?:Nr\.?\s*)?" + _NUMBER)
_FREE = re.compile(r"(?<![\wÄÖÜäöüß/.,:§-])" + _NUMBER)

# Upper-case prefixes that are not paper series: standards, laws, roads, units.
_NOT_PREFIXES = frozenset(
    "A B K L S U DIN EN ISO IEC VDI VDE DVGW RAL SGB GG BGB BGBL GV GVBL NRW NW BW BY KW PLZ TOP NR ABS ART "
    "EUR EG EU TVÖD TVOD BAB RL UST MWST KFZ AZ DE ICE IC RE RB BP BAUGB BAUNVO GO KAG".split()
)
_PHONE_BEFORE = re.compile(r"(?:tel|fax|telefon|durchwahl|mobil|ruf)\w*\.?:?[\s\d/()+-]*$|\+\d[\s\d/()-]*$", re.I)
_SPACE = re.compile(r"\s+")


def _is_year_pair(first: str, second: str) -> bool:
    """Return whether a/b is a span of years ("2020/2021", "2023/24")."""
    a = int(first)
    if len(second) == 4:
        return 0 <= int(second) - a <= 1
    return len(second) == 2 and int(second) == (a + 1) % 100


def _accept(m: re.Match[str], keyworded: bool) -> bool:
    """Return whether a number shape counts as a paper reference here."""
    if m["prefixed"]:
        prefix = m["prefix"].upper()
        if prefix in _NOT_PREFIXES:
            return False
        return keyworded or _looks_like_a_series(m["prefixed"], prefix)
    if m["number_year"]:
        if _is_year_pair(m["ny_number"], m["ny_year"]) and not keyworded:
            return False
        # "03/2024" is a month: without a keyword the number needs 3 digits.
        return keyworded or len(m["ny_number"]) >= 3
    if m["year_number"]:
        if _is_year_pair(m["yn_year"], m["yn_number"]) and not keyworded:
            return False
        return keyworded or len(m["yn_number"]) >= 3
    if m["term_number"]:
        if keyworded:
            return True
        rest = m["term_number"][3:7]
        if int(m["term"]) <= 12 and re.fullmatch(_YEAR, rest):
            return False  # "10-2009" is a month
        return not m["term"].startswith("0")  # 0xx-… is a phone number
    if m["plain"]:
        return keyworded and not re.fullmatch(_YEAR, m["plain"])
    return keyworded  # short


def _looks_like_a_series(number: str, prefix: str) -> bool:
    """Return whether a prefixed number without a keyword has the shape of a paper series.

    Paper series ("VO/22/0594", "DHH/2025/3209", "ANF0001/2024") carry a
    slash, a year (two digits first, or four) and a running number of three
    or more digits; zone names ("WA1-3"), school years ("SJ 2023/24") and
    application numbers ("KS2023-7705B") do not all at once.
    """
    groups = re.findall(r"\d+", number)
    if len(prefix) < 2 or "/" not in number or len(groups) < 2:
        return False
    if len(groups) == 2 and _is_year_pair(groups[0], groups[1]):
        return False
    has_year = len(groups[0]) == 2 or any(re.fullmatch(_YEAR, g) for g in groups)
    return has_year and any(len(g) >= 3 for g in groups)


def _number_span(m: re.Match[str]) -> tuple[int, int]:
    for name in ("prefixed", "number_year", "year_number", "term_number", "short", "plain"):
        if m[name]:
            return m.start(name), m.end(name)
    raise AssertionError("a number alternative always matches")


def _normalised(raw: str) -> str:
    return _SPACE.sub("", raw.translate(_SAME_LENGTH)).upper()


def _suspicious_context(text: str, start: int) -> bool:
    """Return whether the text before ``start`` makes the number a phone number or paragraph."""
    before = text[max(0, start - 30) : start]
    if "§" in before[-8:]:
        return True
    return _PHONE_BEFORE.search(before) is not None


def find_paper_references(text: str | None) -> list[PaperReference]:
    """Return the paper references in a text, in order of first mention, each reference once."""
    if not text:
        return []
    clean = text.translate(_SAME_LENGTH)
    found: list[PaperReference] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], keyword: str | None) -> None:
        start, end = _number_span(m)
        if _suspicious_context(clean, start):
            return
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        raw = text[start:end]
        found.append(PaperReference(raw=raw, reference=_normalised(raw), keyword=keyword, start=start, end=end))

    for m in _KEYWORDED.finditer(clean):
        keyword = m["keyword"]
        if not _accept(m, keyworded=True):
            continue
        add(m, keyword)
        pos = m.end()
        while (nxt := _LIST_NEXT.match(clean, pos)) is not None and _accept(nxt, keyworded=True):
            add(nxt, keyword)
            pos = nxt.end()
    for m in _FREE.finditer(clean):
        if _accept(m, keyworded=False):
            add(m, None)

    found.sort(key=lambda ref: ref.start)
    unique: dict[str, PaperReference] = {}
    for ref in found:
        unique.setdefault(reference_key(ref.reference), ref)
    return list(unique.values())


def reference_key(reference: str) -> str:
    """Return the canonical comparison key of a paper number.

    Upper case, letters and digit groups joined by "/", leading zeros
    dropped: ``VO/22/0594`` → ``VO/22/594``, ``22-1703 B`` → ``22/1703/B``,
    ``ANF0001/2024`` → ``ANF/1/2024``.
    """
    tokens = re.findall(r"[A-ZÄÖÜ]+|\d+", reference.upper())
    return "/".join(str(int(t)) if t.isdigit() else t for t in tokens)


def reference_keys(reference: str) -> set[str]:
    """Return the forms under which a paper number can be looked up.

    Two references name the same paper (in one source) when their key sets
    meet: the compact printed form (no spaces, plain hyphens, upper case) and
    the canonical ``reference_key``. Use the latter alone for a SQL join.
    """
    return {_normalised(reference), reference_key(reference)} - {""}


__all__ = ["PaperReference", "find_paper_references", "reference_key", "reference_keys"]
