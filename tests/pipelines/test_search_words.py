"""Which index terms hold a query's word: compounds and forms, read from stemmed, accent-free terms."""

from __future__ import annotations

import pytest

from pipelines.warehouse.search_words import (
    MAX_QUERY_PARTS, Term, begins_word, contains_word, parse_query, phrase_text, quote_word,
)


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


@pytest.mark.parametrize("query, required, excluded", [
    ("Flüchtlinge -Ukraine", [["Flüchtlinge"]], ["Ukraine"]),
    ("Integrationsrat OR Migrationsbeirat Wahl", [["Integrationsrat", "Migrationsbeirat"], ["Wahl"]], []),
    ("Integrationsrat ODER Migrationsbeirat", [["Integrationsrat", "Migrationsbeirat"]], []),
    ("OR Kita", [["Kita"]], []),  # nothing before it to choose from
    ("Kita - Gebühren", [["Kita"], ["Gebühren"]], []),  # a lone dash is no word, and leaves nothing out
    ("E-Mobilität Ladesäulen", [["E-Mobilität"], ["Ladesäulen"]], []),  # a dash inside a word is the word's
    ("Kita or Schule", [["Kita"], ["or"], ["Schule"]], []),  # only OR in capitals joins
    ("Kita -Schule OR Hort", [["Kita"], ["Hort"]], ["Schule"]),  # a left-out word is not chosen
    ("2026 OR Kita", [["Kita"]], []),  # nor a number
    ("Integrationsrat AND Wahl", [["Integrationsrat"], ["Wahl"]], []),  # as a catalogue reads it
    ("Flüchtlinge NOT Ukraine NICHT Asyl", [["Flüchtlinge"]], ["Ukraine", "Asyl"]),
    ("Kita OR NOT Hort", [["Kita"]], ["Hort"]),
    ("Kita und Hort", [["Kita"], ["und"], ["Hort"]], []),  # lower case: a word (a stop word, searched for by none)
])
def test_a_query_is_read_into_words_to_find_and_words_to_leave_out(query, required, excluded):
    parsed = parse_query(query)
    assert [[term.text for term in clause] for clause in parsed.required] == required
    assert [term.text for term in parsed.excluded] == excluded
    assert not any(term.exact for clause in parsed.required for term in clause)


def test_quotes_mark_a_word_as_written_or_a_phrase():
    parsed = parse_query('"Flüchtlinge" „Haus der Kulturen“ -"Neue Mitte" Radweg')
    assert parsed.required == ((Term("Flüchtlinge", exact=True),), (Term("Haus", exact=True),),
                               (Term("der", exact=True),), (Term("Kulturen", exact=True),), (Term("Radweg"),))
    assert parsed.phrases == ("haus der kulturen",)
    assert parsed.excluded_phrases == ("neue mitte",)
    assert parse_query('Antrag „Radweg').required[-1] == (Term("Radweg", exact=True),)  # a quote left open
    # OR joins words, not phrases: a phrase stays required on either side of it.
    for query in ('"Haus der Kulturen" OR Museum', 'Museum OR "Haus der Kulturen"'):
        parsed = parse_query(query)
        assert parsed.phrases == ("haus der kulturen",) and (Term("Museum"),) in parsed.required
    assert parse_query('"Flüchtlinge" OR Asyl').required == ((Term("Flüchtlinge", exact=True), Term("Asyl")),)


def test_a_part_with_a_digit_is_a_number_and_can_be_left_out():
    parsed = parse_query("„VO/2026/0418“, Haushalt -2025 NOT 2024")
    assert parsed.numbers == ("vo/2026/0418",)
    assert parsed.excluded_numbers == ("2025", "2024")
    assert parsed.required == ((Term("Haushalt"),),)


def test_a_phrase_is_compared_word_by_word():
    assert phrase_text("Haus  der\nKulturen – 2026!") == "haus der kulturen 2026"


def test_a_pasted_page_of_text_is_read_by_its_first_words():
    # A quoted 1 MB text made 200,000 words to look up (18 s); a query's words are bounded, in phrases too.
    parsed = parse_query('"' + "wort " * 200_000)
    assert len(parsed.required) <= MAX_QUERY_PARTS
    assert len(parsed.phrases[0].split()) <= MAX_QUERY_PARTS
    assert len(parse_query("a " * 200_000 + "b").required) == 1  # the same word, once
    distinct = ("wort" + "".join(chr(97 + i // 26**k % 26) for k in range(3)) for i in range(10_000))
    assert len(parse_query(" ".join(distinct)).required) == MAX_QUERY_PARTS


def test_a_word_can_be_put_in_quotes_where_it_stands_alone():
    assert quote_word("Flüchtlinge  Bahnhof", "Flüchtlinge") == '"Flüchtlinge"  Bahnhof'
    assert parse_query(quote_word("Kita OR Hort", "Kita")).required == ((Term("Kita", exact=True), Term("Hort")),)
    for query in ("Ukraine-Flüchtlinge", '"Flüchtlinge"', "-Flüchtlinge", "Flüchtlingen"):
        assert quote_word(query, "Flüchtlinge") is None
