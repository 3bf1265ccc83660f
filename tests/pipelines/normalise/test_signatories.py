"""Tests for pipelines.normalise.signatories on real signature blocks.

Excerpts marked "Karlsruhe <file id>" are a few lines of
oparl-karlsruhe/file-texts.jsonl.gz; the Würselen seed is read in place.
"""

from __future__ import annotations

import gzip
import json

import pytest

from pipelines.normalise.signatories import Signatory, find_signatories


def people(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(s.name, s.role, s.representation) for s in find_signatories(text)]


# --- the Würselen seed (ALLRIS, two signatures per line) ---------------------


def test_seed_paper_yields_four_signatures_in_reading_order(corpus_dir):
    seed = corpus_dir.parent / "seeds" / "004_05694b190ce6c898.txt"
    if not seed.exists():
        pytest.skip(f"seed file missing: {seed}")
    found = find_signatories(seed.read_text(encoding="utf-8"))
    assert len(found) == 4
    first, second, third, fourth = found
    assert first == Signatory(order=1, name="R. Strotkötter", role="Bürgermeister", representation="i.V.")
    assert second == Signatory(order=2, name="R. Strotkötter", role="Beigeordneter", representation=None)
    assert third == Signatory(order=3, name="S. Kellenter", role="Amtsleiter", representation=None)
    assert fourth == Signatory(order=4, name="A. Schmidt", role="Sachbearbeiterin", representation=None)


def test_side_by_side_split_by_space_runs():
    text = "Ergebnis siehe oben.\n\ngez. Bettina Lisbach     gez. Doris Fath, Gartenbauamt\nBürgermeisterin     Protokollführerin\n"
    assert people(text) == [
        ("Bettina Lisbach", "Bürgermeisterin", None),
        ("Doris Fath", "Protokollführerin, Gartenbauamt", None),
    ]


def test_bare_gez_columns_then_names_then_roles():
    # Karlsruhe 17652
    text = "\n\ngez.         gez.\nHeinz Fenrich        Karl Röckinger\nOberbürgermeister       Landrat\n"
    assert people(text) == [
        ("Heinz Fenrich", "Oberbürgermeister", None),
        ("Karl Röckinger", "Landrat", None),
    ]


def test_role_qualifiers_stay_with_their_role():
    text = "gez. Dr. Anna Meier . gez. Jörg Klein .\nErste Beigeordnete Stellv. Bürgermeister\n"
    assert people(text) == [
        ("Dr. Anna Meier", "Erste Beigeordnete", None),
        ("Jörg Klein", "Stellv. Bürgermeister", None),
    ]


def test_roles_above_the_signatures():
    text = "Ich bitte um Zustimmung.\n\nBürgermeister\t\tKämmerer\ngez. Hans Dampf\t\tgez. Eva Geld\n"
    assert people(text) == [("Hans Dampf", "Bürgermeister", None), ("Eva Geld", "Kämmerer", None)]


def test_role_row_of_one_block_is_not_reused_for_the_next():
    text = "gez. A. Meier\nBürgermeister\ngez. B. Schulz\n"
    assert people(text) == [("A. Meier", "Bürgermeister", None), ("B. Schulz", None, None)]


def test_sentence_above_is_not_a_role_row():
    text = "Wir bitten um Zustimmung zum Vorschlag des Bürgermeisters.\ngez. Hans Dampf\n"
    assert people(text) == [("Hans Dampf", None, None)]


def test_name_with_leading_particle():
    assert people("gez. von der Heide, Kämmerin\n") == [("von der Heide", "Kämmerin", None)]


# --- one gez. per line (Karlsruhe Gemeinderat Anträge) ------------------------


def test_one_gez_per_line_without_roles():
    # Karlsruhe 26597
    text = (
        "Dies gilt es  - besonders vor der Übermacht des Fernsehens - zu entwickeln und zu verstärken. \n \n \n"
        "gez. Dr. Gisela Splett \ngez. Anne Segor \n \n \nHauptamt - Sitzungsdienste - \n11. Januar 2006 \n"
    )
    assert people(text) == [("Dr. Gisela Splett", None, None), ("Anne Segor", None, None)]


def test_role_on_next_line():
    # Karlsruhe 587802
    text = "Mit freundlichen Grüßen \ngez. Martin Lenz \nBürgermeister \n \n \n \n2. Gleiches Schreiben  an die Gemeinderatsfraktionen\n"
    assert people(text) == [("Martin Lenz", "Bürgermeister", None)]


def test_office_header_after_blank_is_not_a_role():
    # Karlsruhe 504387: "Hauptamt - Sitzungsdienste -" is the filing stamp.
    text = "besteht  \nhier jedoch dringender Handlungsbedarf. \n \n \n \ngez. Bettina Lisbach \n \n \n \nHauptamt - Sitzungsdienste - \n10. November 2006 \n"
    assert people(text) == [("Bettina Lisbach", None, None)]


def test_inline_role_after_comma():
    # Karlsruhe 671487
    text = (
        "Mit freundlichen Grüßen   \n \n"
        "gez. Roland Jourdan, CDU/FW-Fraktionsvorsitzender   \n"
        "gez. Ursula Seliger, BFW-Fraktionsvorsitzende   \n"
        "gez. Gundula Lüchtrath-Klöckner, Bündnis 90/Die Grünen-Fraktionsvorsitzende   \n"
        "gez. Peter Fehst, SPD/FDP-Fraktionsvorsitzender   \n \n \n \nAnlage 1: Blatt 3-5 \n"
    )
    assert people(text) == [
        ("Roland Jourdan", "CDU/FW-Fraktionsvorsitzender", None),
        ("Ursula Seliger", "BFW-Fraktionsvorsitzende", None),
        ("Gundula Lüchtrath-Klöckner", "Bündnis 90/Die Grünen-Fraktionsvorsitzende", None),
        ("Peter Fehst", "SPD/FDP-Fraktionsvorsitzender", None),
    ]


# --- gez. with names listed below ---------------------------------------------


def test_group_label_then_names_one_per_line():
    # Karlsruhe 12469 (Ortschaftsrat Durlach)
    text = (
        "\n \n \ngez. OR \nRalf Köster \nDr. Heike Puzicha-Martz \nWinnie Kratzmeier-Fürst \n"
        "Dietmar Maier \nGerhard Stolz \nMartin Pötzsche \n"
    )
    found = find_signatories(text)
    assert [s.name for s in found] == [
        "Ralf Köster",
        "Dr. Heike Puzicha-Martz",
        "Winnie Kratzmeier-Fürst",
        "Dietmar Maier",
        "Gerhard Stolz",
        "Martin Pötzsche",
    ]
    assert {s.role for s in found} == {"OR"}
    assert [s.order for s in found] == [1, 2, 3, 4, 5, 6]


def test_first_name_on_gez_line_then_co_signers():
    # Karlsruhe 1071
    text = (
        "Gibt es einen Zeitplan für dieses Projekt? \n \ngez. Ralf Köster \nDr. Heike Puzicha-Martz \n"
        "Dietmar Maier \nWinnie Kratzmeier-Fürst \n \n"
    )
    assert [n for n, _, _ in people(text)] == [
        "Ralf Köster",
        "Dr. Heike Puzicha-Martz",
        "Dietmar Maier",
        "Winnie Kratzmeier-Fürst",
    ]


def test_label_with_colon_and_parenthesised_names():
    # Karlsruhe 18571
    text = (
        "2.   Wäre eine Anbindung der Talstation an eine vorhandene Buslinie möglich? \n \n"
        "gez.: FDP-Fraktion \n(Dr. Horst Dilger, \nDr. Angelika Fink-Sontag \nProf. Dr. Jan Kowalski \n"
        "Dipl.-Ing. Günther Malisius) \n \n"
    )
    assert people(text) == [
        ("Dr. Horst Dilger", "FDP-Fraktion", None),
        ("Dr. Angelika Fink-Sontag", "FDP-Fraktion", None),
        ("Prof. Dr. Jan Kowalski", "FDP-Fraktion", None),
        ("Dipl.-Ing. Günther Malisius", "FDP-Fraktion", None),
    ]


def test_bare_gez_then_label_row_then_names():
    # Karlsruhe 676058
    text = "– 2 –\ngez.\nSPD-Fraktion\nMathias Tröndle\nMarianne Difflipp-Eppele\nDr. Jan-Dirk Rausch\n-- 2 of 2 --\n"
    assert people(text) == [
        ("Mathias Tröndle", "SPD-Fraktion", None),
        ("Marianne Difflipp-Eppele", "SPD-Fraktion", None),
        ("Dr. Jan-Dirk Rausch", "SPD-Fraktion", None),
    ]


def test_bare_gez_then_name_then_role_across_page_marker():
    # Karlsruhe 654934
    text = "nicht der Fall ist, schließt sie das Thema.\ngez.\n– 2 –\nBettina Lisbach\nBürgermeisterin\n"
    assert people(text) == [("Bettina Lisbach", "Bürgermeisterin", None)]


def test_name_rows_in_columns_with_role_rows():
    # Karlsruhe 660553
    text = (
        "Vielen Dank und freundliche Grüße\ngez.\nUrsula Seliger       Hartmut Stech\n"
        "Fraktionsvorsitzende BFW     Ortschaftsrat BFW\nSebastian Weber      Stephan Becker\n"
        "Ortschaftsrat BFW      Ortschaftsrat BFW\n"
    )
    assert people(text) == [
        ("Ursula Seliger", "Fraktionsvorsitzende BFW", None),
        ("Hartmut Stech", "Ortschaftsrat BFW", None),
        ("Sebastian Weber", "Ortschaftsrat BFW", None),
        ("Stephan Becker", "Ortschaftsrat BFW", None),
    ]


def test_comma_lists_and_und():
    # Karlsruhe 11427, 623425, 636323
    assert people("gez. Dr. H. Dilger, R. Henkel\n") == [("Dr. H. Dilger", None, None), ("R. Henkel", None, None)]
    assert people("unterzeichnet von:\ngez. Paul Wirtz, Stellv. Fraktionsvorsitzender und Tilman Pfannkuch\n") == [
        ("Paul Wirtz", "Stellv. Fraktionsvorsitzender", None),
        ("Tilman Pfannkuch", None, None),
    ]
    assert people("gez. SPD-Fraktion: Dr. Jan-Dirk Rausch und Fraktion\ngez. CDU-Fraktion: Michael Griener und Fraktion\n") == [
        ("Dr. Jan-Dirk Rausch", "SPD-Fraktion", None),
        ("Michael Griener", "CDU-Fraktion", None),
    ]


def test_comma_list_wrapped_over_lines():
    # Karlsruhe 28937
    text = (
        "gez. Martin Pötzsche, Dr. Heike Puzicha-Martz, Winnie Kratzmeier-Fürst, Ralf \n \n"
        "Köster, Gerhard Stolz, Dietmar Maier\n"
    )
    assert [n for n, _, _ in people(text)] == [
        "Martin Pötzsche",
        "Dr. Heike Puzicha-Martz",
        "Winnie Kratzmeier-Fürst",
        "Ralf Köster",
        "Gerhard Stolz",
        "Dietmar Maier",
    ]


def test_names_side_by_side_without_repeated_gez():
    # Karlsruhe 13991
    text = "weitere solcher Granitspuren angebracht werden sollten.\n\n\ngez. Hans Pfalzgraf   Iris Holstein     Uschi Kumpf      Klaus Arheidt\n"
    assert [n for n, _, _ in people(text)] == ["Hans Pfalzgraf", "Iris Holstein", "Uschi Kumpf", "Klaus Arheidt"]


def test_party_and_prefix_roles():
    # Karlsruhe 16734, 16501
    assert people("gez. OR Walter Mächtlinger (CDU)\n") == [("Walter Mächtlinger", "OR (CDU)", None)]
    assert people("gez. OR Günther Malisius, FDP\n") == [("Günther Malisius", "OR, FDP", None)]


def test_label_before_gez_on_the_line():
    # Karlsruhe 656458
    text = "Bürgermeisterin\nProtokoll: gez. Sebastian Haaff, GBA\nHauptamt – Ratsangelegenheiten –\n"
    assert people(text) == [("Sebastian Haaff", "GBA", None)]


# --- representation ------------------------------------------------------------


def test_iv_on_the_gez_line():
    # Karlsruhe 677129
    text = "Mehrfertigung dieses Schreibens.\nMit freundlichen Grüßen\ngez. i. V. Dr. Sibylle Müller\n-- 2 of 2 --\n"
    assert people(text) == [("Dr. Sibylle Müller", None, "i.V.")]


def test_letter_heading_gives_role_and_representation():
    text = "Ich bitte um Beschlussfassung.\n\nDer Bürgermeister\nIn Vertretung\n\ngez. Dr. Paul Große-Wiesmann\n"
    assert people(text) == [("Dr. Paul Große-Wiesmann", "Bürgermeister", "i.V.")]


def test_im_auftrag_without_gez():
    text = "Der Oberbürgermeister\nIm Auftrag\nKarin Özdemir\nFachbereichsleiterin\n"
    assert people(text) == [("Karin Özdemir", "Fachbereichsleiterin", "i.A.")]


def test_ia_with_role_row():
    text = "gez. i.A. Hans-Peter Müller\nAmtsleiter\n"
    assert people(text) == [("Hans-Peter Müller", "Amtsleiter", "i.A.")]


# --- not signatures --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # Plan title block (Karlsruhe 147840): "gez." = drawn by.
        "Ort, Datum, Unterschrift\nAuftragnehmer:\ngepr.bearb.gez.\nName\nDatum\nAuftrag-Nr.:\n",
        # Plan title block with names (Karlsruhe 671068).
        "Lageplan 1Längsschnitt 1\n500/50\n01\nBach\nBrachert\n04.12.2024\ngez. Zinn\ngez. Schäfer\ngez. Kemper\n",
        # Subscribed capital in a Beteiligungsbericht.
        "Stammdaten der Gesellschaft\ngez. Kapital 25.000 EUR\n",
        "Gez. Kapital: 1.500.000 €\n",
        # Running text.
        "Die Rundfunkgebühren werden an die GEZ. abgeführt, wie im Vorjahr.\n",
        "Der Vertrag wurde am 3. Mai gez. und an die Kämmerei weitergeleitet.\n",
        "Gebühren an die\nGEZ. Die Stadt zahlt 1.200 Euro im Jahr.\n",
        "gezielte Maßnahmen für Geflüchtete\n",
        # gez. followed by a faction only: no person to name.
        "Die Begründung erfolgt mündlich.\ngez. CDU-OR-Fraktion\n\n\n",
        # OCR garbage (Karlsruhe 589229).
        "gez.I\nvogelei\nzweimal (2011 und 2013) auf ein weiteres bzw. drei weitere Jahre verlängert.\n",
        # Role words in running text after a representation phrase.
        "In Vertretung\nder Ausschussvorsitzenden leitet Herr Schulz die Sitzung.\n",
        "",
    ],
)
def test_no_false_signatories(text):
    assert find_signatories(text) == []


def test_headings_after_a_signature_are_not_co_signers():
    text = "gez. Hans Müller\nBürgermeister\nRechtliche Grundlagen\nFinanzielle Auswirkungen\nTierhilfe Lange\n"
    assert people(text) == [("Hans Müller", "Bürgermeister", None)]


def test_protocol_signed_on_every_item_gives_each_signer_once():
    block = "Die Vorsitzende schließt den Tagesordnungspunkt.\ngez. Bettina Lisbach     gez. Doris Fath\nBürgermeisterin     Protokollführerin\n"
    found = find_signatories(block * 3)
    assert [(s.order, s.name) for s in found] == [(1, "Bettina Lisbach"), (2, "Doris Fath")]


def test_real_karlsruhe_gez_documents_mostly_yield_signatories(corpus_dir):
    path = corpus_dir / "oparl-karlsruhe" / "file-texts.jsonl.gz"
    if not path.exists():
        pytest.skip(f"missing {path}")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh]
    signed = [d for d in docs if "\ngez. " in d["text"] and "Hauptamt - Sitzungsdienste" in d["text"]]
    assert len(signed) > 100
    found = [find_signatories(d["text"]) for d in signed]
    assert sum(1 for f in found if f) / len(signed) > 0.95
    unsigned = [d for d in docs if "gez" not in d["text"].lower()]
    assert not any(find_signatories(d["text"]) for d in unsigned)
