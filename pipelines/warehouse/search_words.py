"""How the full-text search finds a German word in the index's terms: its compounds and forms, its synonyms.

Pure functions of stemmed, accent-free text (the index's terms: "fluchtlingsunterkunft")
and the vocabulary file ``data/search/vocabulary.toml``; ``pipelines.warehouse.search``
asks them which terms of its index find a query's word.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

VOCABULARY = Path(__file__).resolve().parents[2] / "data" / "search" / "vocabulary.toml"

# A word (stem) of fewer letters is matched only as itself: "rat" is in "Beratung" and "Referat".
MIN_COMPOUND_PART = 4
# What the stemmer leaves after a word's stem: plural, genitive and gender endings ("Kitas",
# "Migrantinnen" -> "migrantinn"). Any other rest shorter than MIN_COMPOUND_PART is another
# word ("Schul|d", "Wohn|ung"), not a form or a compound of it.
ENDINGS = frozenset({"s", "e", "n", "en", "er", "es", "ern", "in", "inn", "innen", "erin", "erinn", "erinnen"})
# What joins the parts of a compound ("Flüchtling|s|unterkunft", "Radweg|e|netz").
LINKS = ("es", "en", "er", "ns", "s", "n", "e")
# What makes another word of a stem ("häus|lich", "Flücht|linge" of "Flucht"): a rest beginning so is no compound.
DERIVATIONS = ("lich", "isch", "heit", "keit", "chen", "lein", "ling", "schaft", "tum", "nis")
# The consonants a German word (or a loanword in council German) can begin with before its first vowel.
VOWELS = frozenset("aeiouy")
ONSETS = frozenset({"bl", "br", "ch", "chr", "dr", "fl", "fr", "gl", "gn", "gr", "kl", "kn", "kr", "pf", "pfl", "pfr",
                    "ph", "pl", "pr", "ps", "sc", "sch", "schl", "schm", "schn", "schr", "schw", "sh", "sk", "sl", "sm",
                    "sn", "sp", "spl", "spr", "st", "str", "sw", "th", "tr", "ts", "tsch", "tw", "wr", "zw"})
# Before a word these make another word, not a compound ("aus|schuss", "ver|kauf"), as
# stemmed text spells them (no umlauts).
PREFIXES = frozenset({"ab", "an", "auf", "aus", "bei", "durch", "ein", "ent", "er", "ge", "her", "hin", "miss",
                      "mit", "nach", "uber", "um", "unter", "ver", "vor", "weg", "wider", "wieder", "zer", "zu",
                      "zur", "zuruck"})


def contains_word(term: str, word: str, not_compounds: frozenset[str] = frozenset()) -> bool:
    """Return whether the index term ``term`` is a compound or another form of the stem ``word``.

    ``word`` begins it, followed by an ending the stemmer kept (``ENDINGS``:
    "kita|s", "migrant|inn") or by the rest of a compound: at least
    MIN_COMPOUND_PART letters that, after a linking element (``LINKS``), can
    begin a German word and do not make a derived word ("fluchtling|s|unterkunft",
    not "schul|dnerberat", not "haus|lich"); or ``word`` ends it after a first
    part of three letters or more that is not a prefix ("not|unterkunft", not
    "aus|schuss"). A term that begins with one of ``not_compounds`` longer
    than ``word`` is none ("haushalt" for "haus").
    """
    if len(word) < MIN_COMPOUND_PART or term == word:
        return False
    if any(len(other) > len(word) and other.startswith(word) and term.startswith(other) for other in not_compounds):
        return False
    if is_form(term, word):
        return True
    if term.startswith(word):
        rest = term[len(word):]
        if len(rest) < MIN_COMPOUND_PART or rest.startswith(DERIVATIONS):
            return False
        return any(begins_word(part) for part in (rest, *(rest[len(link):] for link in LINKS if rest.startswith(link))))
    if term.endswith(word):
        head = term[: -len(word)]
        return len(head) >= 3 and head not in PREFIXES
    return False


def is_form(stem: str, word: str) -> bool:
    """Return whether ``stem`` is the stem ``word`` or ``word`` with an ending the stemmer kept ("kitas" of "kita")."""
    return stem.startswith(word) and (stem == word or stem[len(word):] in ENDINGS)


def begins_word(text: str) -> bool:
    """Return whether a German word can begin as ``text`` does: a vowel, one consonant, or a cluster of ``ONSETS``."""
    for at, letter in enumerate(text):
        if letter in VOWELS:
            return at <= 1 or text[:at] in ONSETS
    return False


@dataclass(frozen=True)
class Vocabulary:
    groups: tuple[tuple[str, ...], ...]  # words a search treats as one
    not_compounds: tuple[str, ...]  # words that begin with another word but do not name it
    stopwords: tuple[str, ...] = ()  # words that carry no subject: not indexed, left out of a query


@functools.lru_cache(maxsize=4)
def load_vocabulary(path: Path = VOCABULARY) -> Vocabulary:
    """Return the search vocabulary of ``path``; raise ValueError on an entry that is not one word."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    groups = []
    for number, group in enumerate(data.get("group", []), 1):
        words = tuple(group.get("words") or ())
        if len(words) < 2:
            raise ValueError(f"{path}: group {number} must list two or more words")
        groups.append(words)
    not_compounds = tuple((data.get("not_compounds") or {}).get("words") or ())
    stopwords = tuple((data.get("stopwords") or {}).get("words") or ())
    bad = [word for word in (*(w for g in groups for w in g), *not_compounds, *stopwords) if not word.isalpha()]
    if bad:
        raise ValueError(f"{path}: entries must be single words (letters only), not {bad}")
    return Vocabulary(tuple(groups), not_compounds, stopwords)


# What a search box reader types besides words, as in the common web searches:
# "…" (also „…“) a word as written, or words as a phrase; -word leaves out; OR (ODER) gives a choice.
# From library catalogues: AND (UND) says what the search does anyway, NOT (NICHT) is a minus.
QUOTES = "\"„“”"
OR_WORDS = frozenset({"OR", "ODER"})
AND_WORDS = frozenset({"AND", "UND"})
NOT_WORDS = frozenset({"NOT", "NICHT"})
# A query's words after these are left out, a phrase's too (the search reads at most its first
# 32 words anyway; a pasted page of text must not become a query of thousands of words).
MAX_QUERY_PARTS = 128
_PART = re.compile(rf"(-?)(?:[{QUOTES}]([^{QUOTES}]*)[{QUOTES}]?|([^\s{QUOTES}]+))")
_OUTER_PUNCTUATION = ".,;:!?()[]{}<>'‚‘’»«"


@dataclass(frozen=True)
class Term:
    """A word of a query as typed ("Ukraine-Hilfe" may be more than one of the index's words)."""

    text: str
    exact: bool = False  # in quotes: the word in its own forms only, without its compounds or synonyms


@dataclass(frozen=True)
class ParsedQuery:
    """A search box's query: what a paper must hold, and what it must not."""

    required: tuple[tuple[Term, ...], ...] = ()  # each: one of these (several when joined by OR)
    excluded: tuple[Term, ...] = ()  # -word: none of these
    numbers: tuple[str, ...] = ()  # parts with a digit: in the paper's reference or title
    excluded_numbers: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()  # quoted words: in the paper's text as written, in this order
    excluded_phrases: tuple[str, ...] = ()


def parse_query(text: str) -> ParsedQuery:
    """Read a search box's query: words, "quoted" words and phrases, -left out, OR/ODER, numbers.

    ``Flüchtlinge -Ukraine`` finds papers on refugees without Ukraine;
    ``"Flüchtlinge"`` the word in its forms only (not "Geflüchtete", not
    "Flüchtlingsunterkunft"); ``"Haus der Kulturen"`` the three words in this
    order; ``Integrationsrat OR Migrationsbeirat`` either. A part with a digit
    ("VO/2026/0418", "2026") is a number, looked up in a paper's reference and
    title. A quote left open runs to the end; a lone "-" is no word, nor an OR
    that does not stand between two words (a phrase or a number is not chosen
    by OR: it is required, as without it). In capitals, AND/UND joins as a space
    does and NOT/NICHT leaves out the part after it, as a catalogue reads them.
    """
    required: list[list[Term]] = []
    excluded: list[Term] = []
    numbers: list[str] = []
    excluded_numbers: list[str] = []
    phrases: list[str] = []
    excluded_phrases: list[str] = []
    join_next = joinable = negate_next = False  # joinable: the last part was a required word
    budget = MAX_QUERY_PARTS
    for match in _PART.finditer(text):
        if budget <= 0:
            break
        budget -= 1
        minus, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None and not minus and bare in OR_WORDS | AND_WORDS | NOT_WORDS:
            join_next = joinable and bare in OR_WORDS
            negate_next = bare in NOT_WORDS
            continue
        minus, negate_next = minus or ("-" if negate_next else ""), False
        words = (quoted if quoted is not None else bare).split(maxsplit=budget + 1)[:budget + 1]
        budget -= len(words) - 1
        if not words:
            continue
        joinable, join_next = False, join_next and len(words) == 1
        if len(words) > 1:  # a phrase: its words narrow the search, the phrase itself is checked in the text
            (excluded_phrases if minus else phrases).append(phrase_text(" ".join(words)))
            if not minus:
                required.extend([Term(word, exact=True)] for word in words if not has_digit(word))
            continue
        word = words[0]
        if has_digit(word):
            (excluded_numbers if minus else numbers).append(word.strip(_OUTER_PUNCTUATION + QUOTES).lower())
            continue
        if not any(ch.isalpha() for ch in word):  # a lone dash or comma
            continue
        term = Term(word, exact=quoted is not None)
        if minus:
            excluded.append(term)
        elif join_next:
            required[-1].append(term)
        else:
            required.append([term])
        joinable, join_next = not minus, False
    return ParsedQuery(
        tuple(dict.fromkeys(tuple(dict.fromkeys(clause)) for clause in required)), tuple(dict.fromkeys(excluded)),
        tuple(dict.fromkeys(numbers)), tuple(dict.fromkeys(excluded_numbers)),
        tuple(dict.fromkeys(phrases)), tuple(dict.fromkeys(excluded_phrases)),
    )


def phrase_text(text: str) -> str:
    """Return ``text`` as a phrase is compared: lower case, each run of non-letters and non-digits one space."""
    return " ".join(re.split(r"[\W_]+", text.lower())).strip()


def has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def quote_word(query: str, word: str) -> str | None:
    """Return ``query`` with ``word`` in quotes (searched as written), or None where it is no part of its own.

    "Flüchtlinge Bahnhof" gives '"Flüchtlinge" Bahnhof'; in "Ukraine-Flüchtlinge", in quotes or
    left out the word is no part of its own, so there is no such query.
    """
    parts = re.split(r"(\s+)", query)
    for at, part in enumerate(parts):
        if part == word:
            return "".join([*parts[:at], f'"{word}"', *parts[at + 1:]])
    return None
