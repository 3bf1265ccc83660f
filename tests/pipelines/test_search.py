"""Full-text search finds papers by words in their title, sections and document texts."""

from __future__ import annotations

import pytest

from pipelines.warehouse.load import connect
from pipelines.warehouse.search import rebuild_search_index, search


def test_search_titles_sections_and_document_text(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    con.execute("""INSERT INTO paper ("source", "system", "systemId", "reference", "name", "sachverhalt", "deleted") VALUES
        ('m', 'allris_classic', '1', 'VO/1', 'Unterbringung von Geflüchteten', NULL, false),
        ('m', 'allris_classic', '2', 'VO/2', 'Straßenbau Kanalstraße', 'Die Fahrbahn wird erneuert.', false),
        ('m', 'allris_classic', '3', 'VO/3', 'Haushalt 2027', NULL, false),
        ('m', 'allris_classic', '4', 'VO/4', 'Gelöschte Flüchtlingsvorlage', NULL, true)""")
    con.execute("""INSERT INTO file ("source", "system", "systemId", "parentType", "parent", "role", "text", "deleted")
        VALUES ('m', 'allris_classic', 'd3', 'Paper', '3', 'mainFile', 'gez. R. Lindemann Bürgermeister', false)""")
    assert rebuild_search_index(con) == 3
    assert [h.id for h in search(con, "geflüchtete")] == ["m:1"]  # German stemming: Geflüchteten ~ geflüchtete
    assert [h.id for h in search(con, "Fahrbahn")] == ["m:2"]
    assert [h.id for h in search(con, "Lindemann")] == ["m:3"]  # text of the main document
    assert search(con, "Flüchtlingsvorlage") == []  # deleted papers are not indexed
    assert search(con, "Fahrbahn", source="other") == []


def test_a_search_of_several_words_finds_papers_with_all_of_them(tmp_path):
    # As in any search box: "Integrationsrat Wahl" narrows; it found every paper with either word before.
    con = connect(tmp_path / "w.duckdb")
    con.execute("""INSERT INTO paper ("source", "system", "systemId", "reference", "name", "deleted") VALUES
        ('m', 'allris_classic', '1', 'VO/1', 'Wahl des Integrationsrates 2025', false),
        ('m', 'allris_classic', '2', 'VO/2', 'Sitzungstermine des Integrationsrates', false),
        ('m', 'allris_classic', '3', 'VO/3', 'Wahl der Schiedsperson', false)""")
    rebuild_search_index(con)
    assert [h.id for h in search(con, "Integrationsrat Wahl")] == ["m:1"]
    assert sorted(h.id for h in search(con, "Integrationsrat")) == ["m:1", "m:2"]


def _index(tmp_path, titles: dict[str, str | tuple[str, str]]):
    """Index papers by id: a title (reference VO/<id>) or (reference, title)."""
    con = connect(tmp_path / "w.duckdb")
    for number, title in titles.items():
        reference, title = title if isinstance(title, tuple) else (f"VO/{number}", title)
        con.execute("""INSERT INTO paper ("source", "system", "systemId", "reference", "name", "deleted")
                       VALUES ('m', 'allris_classic', ?, ?, ?, false)""", [number, reference, title])
    rebuild_search_index(con)
    return con


def _found(con, query: str) -> set[str]:
    return {h.id.split(":")[1] for h in search(con, query, limit=100)}


def test_a_word_finds_its_compounds_gender_forms_and_synonyms_but_not_other_words(tmp_path):
    # German writes one thing many ways: the search box must find them without the reader knowing each.
    con = _index(tmp_path, {
        "1": "Neue Flüchtlingsunterkunft am Bahnhof",
        "2": "Unterbringung von Geflüchteten",
        "3": "Notunterkunft im Winter",
        "4": "Beratung für Migrantinnen und Migranten",
        "5": "Beratungsangebot für Migrantinnen",
        "6": "Schulden der Stadt",
        "7": "Neubau der Grundschule Nord",
        "8": "Ausschuss für Sport",
        "9": "Haushalt 2027 und Haushaltssicherung",
        "10": "Frauenhaus: Zuschuss",
        "11": "Häusliche Pflege",
        "12": "Wahl des Integrationsrates",
        "13": "Wahl des Ausländerbeirats",
    })
    assert _found(con, "Flüchtlinge") == {"1", "2"}  # compound; synonym (Geflüchtete)
    assert _found(con, "Unterkunft") == {"1", "3"}  # a compound's last part
    assert _found(con, "Migranten") == {"4", "5"}  # "Migrantinnen" alone is found too
    assert _found(con, "Schule") == {"7"}  # not "Schulden"
    assert _found(con, "Schuss") == set()  # "Ausschuss" and "Zuschuss" are other words
    assert _found(con, "Haus") == {"10"}  # not the budget (vocabulary: not_compounds), not "häuslich"
    assert _found(con, "Haushalt") == {"9"}
    assert _found(con, "Integrationsrat") == {"12", "13"}  # the body's name in another state
    assert _found(con, "Wahl Ausländerbeirat") == {"12", "13"}  # every word, each with its synonyms


def test_a_word_itself_ranks_above_its_compounds_and_short_words_match_only_themselves(tmp_path):
    con = _index(tmp_path, {"1": "Radwegekonzept Innenstadt", "2": "Radweg Ottostraße", "3": "Beratung im Rat",
                            "4": "Referat für Stadtentwicklung"})
    assert [h.id for h in search(con, "Radweg")] == ["m:2", "m:1"]
    assert _found(con, "Rat") == {"3"}  # three letters: no compound search ("Beratung", "Referat")


def test_a_word_without_compounds_or_synonyms_scores_as_the_extensions_match_bm25(tmp_path):
    # The score is computed over the index's own tables; for a plain word it must be the extension's.
    con = _index(tmp_path, {"1": "Beleuchtung Hauptstraße", "2": "Beleuchtung der Hauptstraße und Beleuchtung",
                            "3": "Hauptstraße: Parken", "4": "Sanierung Bahnhofsplatz"})
    for query in ("Beleuchtung", "Hauptstraße Beleuchtung", "Bahnhofsplatz"):
        ours = {h.id: h.score for h in search(con, query, limit=10)}
        theirs = dict(con.execute(
            """SELECT "docId", score FROM (SELECT "docId", fts_main_search_document.match_bm25("docId", ?, conjunctive := 1)
               AS score FROM search_document) WHERE score IS NOT NULL""", [query]).fetchall())
        assert ours.keys() == theirs.keys() and ours, query
        for doc, score in theirs.items():
            assert abs(ours[doc] - score) < 1e-9, (query, doc)


def test_quotes_dashes_and_paragraph_signs_separate_words(tmp_path):
    # The extension's default tokenizer kept „ “ – § in a word: „Radweg“ could not be found.
    con = _index(tmp_path, {"1": "Antrag „Radweg“ – Sachstand", "2": "Satzung nach §5 Abs. 2"})
    assert _found(con, "Radweg") == {"1"}
    assert _found(con, "Sachstand") == {"1"}
    assert _found(con, "Satzung") == {"2"}


def test_the_vocabulary_holds_single_words_in_groups(tmp_path):
    from pipelines.warehouse.search_words import load_vocabulary

    vocabulary = load_vocabulary()
    assert any("Geflüchtete" in group and "Flüchtling" in group for group in vocabulary.groups)
    bad = tmp_path / "bad.toml"
    bad.write_text('[[group]]\nwords = ["Flüchtling", "Menschen mit Fluchterfahrung"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="single words"):
        load_vocabulary(bad)
    bad.write_text('[[group]]\nwords = ["Flüchtling"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="two or more"):
        load_vocabulary(bad)


def test_a_query_of_very_many_words_is_read_by_its_first_ones(tmp_path):
    from pipelines.warehouse.search import MAX_QUERY_WORDS

    words = [f"wort{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(MAX_QUERY_WORDS)]
    con = _index(tmp_path, {"1": " ".join(words)})
    assert _found(con, " ".join(words)) == {"1"}
    assert _found(con, " ".join(words + ["gibtesnicht"])) == {"1"}  # the 33rd word is left out
    assert _found(con, " ".join(["gibtesnicht"] + words)) == set()


def test_a_plural_the_stemmer_keeps_apart_has_the_synonyms_of_its_word(tmp_path):
    from pipelines.warehouse.search import synonyms_of_query

    con = _index(tmp_path, {"1": "Neubau einer Kindertagesstätte", "2": "Gebühren der Kitas", "3": "Kita Nord"})
    assert _found(con, "Kitas") == _found(con, "Kita") == {"1", "2", "3"}  # "kitas" is no stem of "Kita"
    assert synonyms_of_query(con, "Kitas in Karlsruhe") == [
        ("Kitas", ["Kindertagesstätte", "Kindertageseinrichtung", "Kindergarten"])]  # not "Kita": the same word
    assert synonyms_of_query(con, "Neubau") == []


def test_words_without_a_subject_are_left_out_of_the_index_and_the_query(tmp_path):
    # The extension's default stop words are English: "in" was not indexed but stayed in the query, so
    # "Flüchtlinge in Karlsruhe" found nothing. Now German stop words (vocabulary.toml) are left out of both.
    con = _index(tmp_path, {"1": "Unterbringung von Flüchtlingen in Karlsruhe", "2": "Kinder an Schulen",
                            "3": "Welcome Center für internationale Fachkräfte"})
    assert _found(con, "Flüchtlinge in Karlsruhe") == {"1"}
    assert _found(con, "Kinder an Schulen") == {"2"}
    assert _found(con, "Welcome Center") == {"3"}  # an English stop word, not indexed before
    assert _found(con, "die und in") == set()  # nothing but stop words: nothing to find
    indexed = {row[0] for row in con.execute("SELECT term FROM fts_main_search_document.dict").fetchall()}
    assert {"in", "an", "von", "die", "fur"}.isdisjoint(indexed) and {"fluchtling", "welcom"} <= indexed


def test_a_number_is_looked_up_in_the_reference_and_the_title(tmp_path):
    # The index holds no digits: a Drucksache number pasted into the box found nothing.
    con = _index(tmp_path, {"1": ("VO/2026/0418", "Unterbringung von Geflüchteten"),
                            "2": ("VO/2025/0101", "Haushalt 2026"), "3": ("VO/2026/0500", "Haushalt 2027")})
    assert _found(con, "VO/2026/0418") == {"1"}
    assert _found(con, "„vo/2026/0418“,") == {"1"}  # quoted, lower case, a comma after it
    assert _found(con, "Haushalt 2026") == {"2", "3"}  # in the title of one, the reference of the other
    assert _found(con, "Flüchtlinge 2026") == {"1"}
    assert _found(con, "Haushalt 2028") == set()


def test_the_words_a_query_found_are_marked_and_the_pieces_give_the_text_back(tmp_path):
    from pipelines.warehouse.search import marked_words

    con = _index(tmp_path, {"1": "Neue Flüchtlingsunterkunft am Bahnhof", "2": "Asylbewerber: Unterbringung"})
    titles = ["Neue Flüchtlingsunterkunft am Bahnhof", "Asylbewerber: Unterbringung <b>2026</b>", ""]
    marked = marked_words(con, "Geflüchtete", titles)
    assert ["".join(piece for piece, _ in pieces) for pieces in marked] == titles
    assert [[piece for piece, found in pieces if found] for pieces in marked] == [
        ["Flüchtlingsunterkunft"], ["Asylbewerber"], []]
    assert marked_words(con, "", titles) is None and marked_words(con, "gibtesnicht", titles) is None


def test_a_reader_can_quote_leave_out_and_choose_as_in_a_web_search(tmp_path):
    # Each word finds its compounds and synonyms; a reader who wants less says so as in any web search.
    con = _index(tmp_path, {
        "1": "Unterbringung von Flüchtlingen aus der Ukraine",
        "2": "Neue Flüchtlingsunterkunft am Bahnhof",
        "3": "Asylbewerber: Unterbringung im Haus der Kulturen",
        "4": "Wahl des Integrationsrates",
        "5": "Wahl des Migrationsbeirats",
        "6": "Kulturen im Haus der Jugend",
        "7": ("VO/2025/7", "Flüchtlinge im Haushalt"),
    })
    assert _found(con, "Flüchtlinge") == {"1", "2", "3", "7"}
    assert _found(con, '"Flüchtlinge"') == {"1", "7"}  # the word in its forms only: no compound, no synonym
    assert _found(con, "Flüchtlinge -Ukraine") == {"2", "3", "7"}
    assert _found(con, "Flüchtlinge -Unterkunft") == {"1", "3", "7"}  # left out with its compounds
    assert _found(con, "Flüchtlinge -Asylbewerber") == {"1", "2", "7"}  # but not with its synonyms
    assert _found(con, "Flüchtlinge -2025") == {"1", "2", "3"}  # a number left out by reference and title
    assert _found(con, "Integrationsrat OR Beirat") == _found(con, "Integrationsrat ODER Beirat") == {"4", "5"}
    assert _found(con, "Wahl Integrationsrat") == {"4", "5"}  # synonyms (vocabulary.toml): both councils
    assert _found(con, 'Wahl "Integrationsrat"') == {"4"}
    assert _found(con, "Haus der Kulturen") == {"3", "6"}
    assert _found(con, '"Haus der Kulturen"') == {"3"}  # the words in this order
    assert _found(con, 'Kulturen -"Haus der Kulturen"') == _found(con, 'Kulturen NOT "Haus der Kulturen"') == {"6"}
    assert _found(con, "Wahl AND Integrationsrat") == _found(con, "Wahl Integrationsrat")  # AND: as a space
    assert _found(con, "-Ukraine") == set()  # nothing to find but what to leave out


def test_left_out_and_quoted_words_are_not_marked_or_named_as_searched_too(tmp_path):
    from pipelines.warehouse.search import marked_words, synonyms_of_query

    con = _index(tmp_path, {"1": "Flüchtlinge aus der Ukraine", "2": "Asylbewerber"})
    titles = ["Flüchtlinge aus der Ukraine"]
    assert [[p for p, found in pieces if found] for pieces in marked_words(con, "Geflüchtete -Ukraine", titles)] == [
        ["Flüchtlinge"]]
    assert synonyms_of_query(con, '"Flüchtlinge"') == []
    assert synonyms_of_query(con, "Flüchtlinge -Asyl") == [
        ("Flüchtlinge", ["Geflüchtete", "Flüchtende", "Schutzsuchende"])]  # not Asylsuchende, Asylbewerber …
    assert synonyms_of_query(con, "Kita -Flüchtlinge") == [
        ("Kita", ["Kindertagesstätte", "Kindertageseinrichtung", "Kindergarten"])]
