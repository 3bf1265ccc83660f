"""Full-text search finds papers by words in their title, sections and document texts."""

from __future__ import annotations

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
