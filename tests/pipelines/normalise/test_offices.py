"""Tests for pipelines.normalise.offices: lead-office labels and the office table."""

from __future__ import annotations

import pytest

from pipelines.normalise.offices import KGST_TABLE, load_office_table, office_from_label, office_key

# (raw, kind, code, name)
CASES = [
    # the forms named in the issue
    ("Amt 50", "Amt", "50", "Sozialamt"),
    ("A50", "Amt", "50", "Sozialamt"),
    ("A 51", "Amt", "51", "Jugendamt"),
    ("(A51)", "Amt", "51", "Jugendamt"),
    ("Amt für Jugend, Schule, Sport und Kultur (A51)", "Amt", "51", "Amt für Jugend, Schule, Sport und Kultur"),
    ("FB 3", "Fachbereich", "3", None),
    ("Fachbereich 5 - Jugend", "Fachbereich", "5", "Jugend"),
    ("Dezernat III", "Dezernat", "III", None),
    ("D 4 - Dezernat Wirtschaft, Bauen und Umwelt", "Dezernat", "4", "Dezernat Wirtschaft, Bauen und Umwelt"),
    ("Stabsstelle Klimaschutz", "Stabsstelle", None, "Stabsstelle Klimaschutz"),
    ("Stabsstelle 01 - Controlling", "Stabsstelle", "1", "Controlling"),
    ("61 - Stadtplanung", "Amt", "61", "Stadtplanung"),
    ("Interner Service", "Organisationseinheit", None, "Interner Service"),
    # labels seen on real pages (corpus: Hamburg districts, Hildesheim, Laatzen, Regensburg, LK Osnabrück)
    ("Geschäftsstelle der Bezirksversammlung", "Organisationseinheit", None, "Geschäftsstelle der Bezirksversammlung"),
    ("Dezernat Steuerung und Service", "Dezernat", None, "Dezernat Steuerung und Service"),
    ("D1 - Dezernat Steuerung und Service", "Dezernat", "1", "Dezernat Steuerung und Service"),
    ("Fachamt Interner Service", "Amt", None, "Fachamt Interner Service"),
    ("61.1 Stadterneuerung", "Organisationseinheit", "61.1", "Stadterneuerung"),
    ("40 Bildung und Sport", "Amt", "40", "Bildung und Sport"),
    ("Direktorium 2", "Direktorium", "2", None),
    (
        "BEVOS Beteiligungs- und Vermögensverwaltungsgesellschaft mbH",
        "Organisationseinheit",
        None,
        "BEVOS Beteiligungs- und Vermögensverwaltungsgesellschaft mbH",
    ),
    # further shapes
    ("Amt 50 - Amt für Soziales", "Amt", "50", "Amt für Soziales"),
    ("Amt 61 (Stadtplanungsamt)", "Amt", "61", "Stadtplanungsamt"),
    ("Amt für Soziales (50)", "Amt", "50", "Amt für Soziales"),
    ("Dezernat für Bildung (D III)", "Dezernat", "III", "Dezernat für Bildung"),
    ("Dez. II", "Dezernat", "II", None),
    ("D III - Bauen", "Dezernat", "III", "Bauen"),
    ("Dezernat Integration", "Dezernat", None, "Dezernat Integration"),  # "I" of a word is no numeral
    ("FB 03", "Fachbereich", "3", None),
    ("FD 122 Informationstechnik", "Fachdienst", "122", "Informationstechnik"),
    ("Team 3.2 Öffentlichkeitsarbeit", "Team", "3.2", "Öffentlichkeitsarbeit"),
    ("5.660 - Stadtgrün und Verkehr", "Organisationseinheit", "5.660", "Stadtgrün und Verkehr"),
    ("Jugendamt", "Amt", None, "Jugendamt"),
    ("Baureferat", "Referat", None, "Baureferat"),
    ("Referat für Stadtplanung und Bauordnung", "Referat", None, "Referat für Stadtplanung und Bauordnung"),
    ("50", "Amt", "50", "Sozialamt"),
    ("Amt 99", "Amt", "99", None),  # not in the KGSt plan: no name is made up
    ("DIV", "Organisationseinheit", None, "DIV"),  # not "Dezernat IV"
    ("  Amt\u00a050 ", "Amt", "50", "Sozialamt"),
]


@pytest.mark.parametrize(("raw", "kind", "code", "name"), CASES, ids=[c[0] for c in CASES])
def test_office_from_label(raw, kind, code, name):
    office = office_from_label(raw)
    assert office is not None
    assert office.raw == raw
    assert office.kind == kind
    assert office.code == code
    assert office.name == name


@pytest.mark.parametrize("raw", [None, "", "   ", "-", "\u00a0"])
def test_empty_labels_give_none(raw):
    assert office_from_label(raw) is None


def test_kgst_table_has_the_standard_numbering():
    table = load_office_table()
    assert table["10"] == "Hauptamt"
    assert table["20"] == "Kämmerei"
    assert table["32"] == "Ordnungsamt"
    assert table["50"] == "Sozialamt"
    assert table["51"] == "Jugendamt"
    assert table["61"] == "Stadtplanungsamt"
    assert all(key.isdigit() and len(key) == 2 for key in table)
    assert len(table) >= 40


def test_kgst_table_names_its_source():
    head = KGST_TABLE.read_text("utf-8").splitlines()[:3]
    assert any("KGSt" in line for line in head)


def test_office_key():
    assert office_key("Amt", "51") == "51"
    assert office_key("Dezernat", "III") == "Dezernat III"
    assert office_key("Fachbereich", "3") == "Fachbereich 3"


def test_overrides_from_a_municipality_csv(tmp_path):
    path = tmp_path / "musterstadt.csv"
    path.write_text(
        "# Musterstadt's own office names\ncode,name\n51,\"Amt für Kinder, Jugend und Familie\"\n"
        "Dezernat III,Dezernat für Bauen und Umwelt\nFachbereich 3,Fachbereich Finanzen\n",
        encoding="utf-8",
    )
    table = load_office_table(overrides=path)
    assert table["51"] == "Amt für Kinder, Jugend und Familie"
    assert table["50"] == "Sozialamt"  # the rest of the KGSt plan stays
    assert office_from_label("A51", overrides=table).name == "Amt für Kinder, Jugend und Familie"
    assert office_from_label("Dezernat III", overrides=table).name == "Dezernat für Bauen und Umwelt"
    assert office_from_label("FB 3", overrides=table).name == "Fachbereich Finanzen"
    assert office_from_label("Amt 50", overrides=table).name == "Sozialamt"


def test_overrides_as_mapping_and_printed_name_wins():
    table = load_office_table(overrides={"61": "Amt für Stadtentwicklung"})
    assert office_from_label("Amt 61", overrides=table).name == "Amt für Stadtentwicklung"
    # A name the page prints is the municipality's own: it beats the table.
    assert office_from_label("61 - Stadtplanung", overrides=table).name == "Stadtplanung"


def test_a_code_outside_the_table_gets_no_name():
    office = office_from_label("Fachbereich 7")
    assert office is not None and (office.code, office.name) == ("7", None)
