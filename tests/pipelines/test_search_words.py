"""Which index terms hold a query's word: compounds and forms, read from stemmed, accent-free terms."""

from __future__ import annotations

import pytest

from pipelines.warehouse.search_words import begins_word, contains_word


@pytest.mark.parametrize("term, word", [
    ("fluchtlingsunterkunft", "fluchtling"),  # first part, linking s
    ("fluchtlingsunterkunft", "unterkunft"),  # last part
    ("radwegenetz", "radweg"),  # linking e
    ("kitas", "kita"),  # plural the stemmer kept
    ("migrantinn", "migrant"),  # gender form
    ("asylbewerberinn", "asylbewerb"),
    ("einburgerungsstell", "einburger"),  # the stemmer cut "-ung" from the word, not from the compound
    ("grundschul", "schul"),
    ("notunterkunft", "unterkunft"),
])
def test_compounds_and_forms_hold_the_word(term, word):
    assert contains_word(term, word)


@pytest.mark.parametrize("term, word, why", [
    ("schuld", "schul", "a rest of one letter is another word"),
    ("schuldnerberat", "schul", "no German word begins with 'dn'"),
    ("schulung", "schul", "'-ung' after the stem makes another word"),
    ("hauslich", "haus", "a derivation"),
    ("fluchtling", "flucht", "a derivation: Flüchtling is no form of Flucht"),
    ("ausschuss", "schuss", "a prefix before the word"),
    ("zuschuss", "schuss", "a prefix before the word"),
    ("beratung", "rat", "a word of three letters matches only itself"),
    ("radweg", "radweg", "the word itself is no compound of it"),
])
def test_other_words_do_not(term, word, why):
    assert not contains_word(term, word), why


def test_a_false_compound_of_the_vocabulary_is_none():
    assert contains_word("haushaltsplan", "haus")
    assert not contains_word("haushaltsplan", "haus", frozenset({"haushalt"}))
    assert contains_word("haushaltsplan", "haushalt", frozenset({"haushalt"}))


@pytest.mark.parametrize("text, expected", [
    ("unterkunft", True), ("netz", True), ("schwimmbad", True), ("strass", True), ("pflicht", True),
    ("dnerberat", False), ("rtz", False), ("", False),
])
def test_begins_word(text, expected):
    assert begins_word(text) is expected
