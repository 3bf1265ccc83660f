"""How the full-text search finds a German word in the index's terms: its compounds and forms, its synonyms.

Pure functions of stemmed, accent-free text (the index's terms: "fluchtlingsunterkunft")
and the vocabulary file ``data/search/vocabulary.toml``; ``pipelines.warehouse.search``
asks them which terms of its index find a query's word.
"""

from __future__ import annotations

import functools
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
