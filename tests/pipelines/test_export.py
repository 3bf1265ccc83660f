"""The journalists' CSV: right rows, Excel-safe cells."""

from __future__ import annotations

import csv
import datetime as dt

from pipelines.export import ExportQuery, export_rows, neutralise, write_csv
from pipelines.load import connect


def seed(con):
    con.execute("""INSERT INTO source VALUES ('musterstadt', 'Stadt Musterstadt', '05999001', 'allris_classic', 'http://x/bi/')""")
    con.execute("""INSERT INTO paper ("source", "system", "systemId", "reference", "name", "paperType", "leadOfficeRaw",
                   "leadOfficeName", "leadOfficeCode", "deleted", "topics", "topicTerms", "url")
                   VALUES ('musterstadt', 'allris_classic', '1', 'VO/1', '=HYPERLINK("x")', 'Beschlussvorlage',
                           'Amt 50', 'Sozialamt', '50', false, '["integration"]', '["Integrationsrat"]', 'http://x/vo020.asp?VOLFDNR=1'),
                          ('musterstadt', 'allris_classic', '2', 'VO/2', 'Straßenbau', 'Beschlussvorlage',
                           NULL, NULL, NULL, false, NULL, NULL, 'http://x/vo020.asp?VOLFDNR=2')""")
    con.execute("""INSERT INTO meeting ("source", "system", "systemId", "organizationName", "date", "deleted")
                   VALUES ('musterstadt', 'allris_classic', '10', 'Integrationsrat', DATE '2026-09-15', false),
                          ('musterstadt', 'allris_classic', '11', 'Rat', DATE '2026-10-01', false)""")
    con.execute("""INSERT INTO agenda_item ("source", "system", "systemId", "meeting", "paper", "result", "resultRaw",
                   "votesYes", "votesNo", "votesAbstain", "deleted")
                   VALUES ('musterstadt', 'allris_classic', '100', '10', '1', 'postponed', 'vertagt', NULL, NULL, NULL, false),
                          ('musterstadt', 'allris_classic', '101', '11', '1', 'accepted', 'Ja: 22, Nein: 0, Enthaltungen: 11', 22, 0, 11, false)""")


def test_one_row_per_topic_paper_with_its_latest_decision(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    seed(con)
    rows = export_rows(con, ExportQuery(topic="integration"))
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == "musterstadt:1"
    assert row["municipality"] == "Stadt Musterstadt"
    assert (row["date"], row["committee"], row["result"]) == ("2026-10-01", "Rat", "accepted")
    assert (row["votes_yes"], row["votes_no"], row["votes_abstain"]) == (22, 0, 11)
    assert row["topic_terms"] == "Integrationsrat"
    assert row["lead_office"] == "Sozialamt"


def test_date_and_municipality_filters(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    seed(con)
    assert export_rows(con, ExportQuery(topic="integration", since=dt.date(2026, 10, 2))) == []
    assert len(export_rows(con, ExportQuery(topic="integration", until=dt.date(2026, 10, 1)))) == 1
    assert len(export_rows(con, ExportQuery(municipality="stadt musterstadt"))) == 2
    assert export_rows(con, ExportQuery(municipality="anderswo")) == []


def test_csv_has_bom_semicolons_and_no_formulas(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    seed(con)
    out = tmp_path / "out.csv"
    write_csv(export_rows(con, ExportQuery(topic="integration")), out, delimiter=";")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(out.open(encoding="utf-8-sig"), delimiter=";"))
    assert rows[0][0] == "id" and len(rows) == 2
    title = rows[1][rows[0].index("title")]
    assert title == "'=HYPERLINK(\"x\")"


def test_neutralise_every_formula_start():
    for start in "=+-@":
        assert neutralise(f"{start}1+1") == f"'{start}1+1"
    assert neutralise("\tx") == "'\tx"
    assert neutralise("Ja: 22") == "Ja: 22"
    assert neutralise(None) == ""
    assert neutralise(True) == "ja"


def test_stub_papers_are_not_exported(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    seed(con)
    con.execute("""INSERT INTO paper ("source", "system", "systemId", "deleted", "isStub", "topics")
                   VALUES ('musterstadt', 'oparl', 'https://x/paper/9', false, true, '["integration"]')""")
    assert [r["id"] for r in export_rows(con, ExportQuery(topic="integration"))] == ["musterstadt:1"]
