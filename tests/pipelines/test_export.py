"""The journalists' export: right rows, stable ids, German or English, Excel-safe cells in CSV, XLSX and Parquet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import zipfile

import duckdb
import pytest

from pipelines.exports.export import (
    COLUMNS, ExportQuery, export_rows, neutralise, page_of_rows, stable_id, write_csv, write_parquet, write_xlsx,
)
from pipelines.warehouse.load import connect
from schemas.views import create_views
from tests.web_seed import seed, seed_warehouse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    return seed_warehouse(tmp_path_factory.mktemp("export") / "w.duckdb")


@pytest.fixture
def con(seeded, tmp_path):
    shutil.copy(seeded, tmp_path / "w.duckdb")  # each test may change its copy
    con = connect(tmp_path / "w.duckdb")
    yield con
    con.close()


def by_ref(rows):
    return {(r["source"], r["reference"]): r for r in rows}


def test_one_row_per_topic_paper_with_its_deciding_resolution(con):
    rows = by_ref(export_rows(con, ExportQuery(topic="integration")))
    assert set(rows) == {("musterstadt", "VO/1"), ("beispielheim", "BV/2026/7")}
    row = rows[("musterstadt", "VO/1")]
    assert row["municipality"] == "Stadt Musterstadt"
    assert (row["date"], row["committee"], row["result"]) == (dt.date(2026, 10, 1), "Rat", "accepted")
    assert (row["votes_yes"], row["votes_no"], row["votes_abstain"]) == (22, 0, 11)
    assert row["decision_text"] == "Der Rat beschließt das Integrationskonzept in der vorgelegten Fassung."
    assert row["lead_office"] == "Sozialamt"
    assert row["topic_terms"] == "Integrationsrat"
    # the main document, not the attachment listed first by name
    assert row["document_url"] == "http://x/bi/do027.asp?DOLFDNR=901"


def test_where_each_topic_term_matched(con):
    rows = by_ref(export_rows(con, ExportQuery(topic="integration")))
    assert rows[("musterstadt", "VO/1")]["topic_matches"] == (
        "Integrationsrat (Sachverhalt: …Der Integrationsrat hat am 15.09. beraten und…)"
    )
    assert rows[("beispielheim", "BV/2026/7")]["topic_matches"].startswith(
        "Flüchtlingsunterkunft (Titel: …Neue Flüchtlingsunterkunft am Bahnhof")


def test_ids_are_the_same_for_the_same_paper_under_two_slugs(con):
    rows = export_rows(con, ExportQuery(municipality="musterstadt")) + export_rows(con, ExportQuery(municipality="musterstadt-alt"))
    ids = {(r["source"], r["reference"]): r["id"] for r in rows}
    assert ids[("musterstadt", "VO/1")] == ids[("musterstadt-alt", "VO/1")] == "allris_classic:x/bi:1"
    assert ids[("musterstadt", "VO/2")] == "allris_classic:x/bi:2"


def test_stable_id_forms():
    assert stable_id("allris_classic", "12", "https://ratsinfo.Example.de/bi/") == "allris_classic:ratsinfo.example.de/bi:12"
    assert stable_id("allris_classic", "12", "https://ratsinfo.example.de/bi") == "allris_classic:ratsinfo.example.de/bi:12"
    assert stable_id("sessionnet", "7", "https://x.de/bi/info.asp?x=1") == "sessionnet:x.de/bi:7"
    assert stable_id("oparl", "https://oparl.x.de/papers/5", None) == "oparl:oparl.x.de/papers/5"


def test_filters(con):
    def refs(**kw):
        return sorted(r["reference"] for r in export_rows(con, ExportQuery(**kw)))

    assert refs(topic="integration", since=dt.date(2026, 10, 2)) == ["BV/2026/7"]
    assert refs(topic="integration", until=dt.date(2026, 10, 1)) == ["VO/1"]
    assert refs(municipality="stadt musterstadt") == ["VO/1", "VO/2", "VO/3"]
    assert refs(municipality="anderswo") == []
    assert refs(committee="Bauausschuss") == ["VO/2"]
    assert refs(result="accepted") == ["BV/2026/7", "VO/1"]
    assert refs(text="Flüchtlingsunterkunft") == ["BV/2026/7"]  # BM25 index
    assert refs(text="straßenbau") == ["VO/2"]


def test_text_search_without_index_uses_substrings(tmp_path):
    con = connect(seed_warehouse(tmp_path / "w.duckdb", search_index=False))
    assert [r["reference"] for r in export_rows(con, ExportQuery(text="Hauptstraße"))] == ["VO/2"]


def test_a_page_of_rows_and_the_whole_count(con):
    rows, total = page_of_rows(con, ExportQuery(), limit=2, offset=0)
    assert len(rows) == 2 and total == 5
    rows, total = page_of_rows(con, ExportQuery(), limit=2, offset=4)
    assert len(rows) == 1 and total == 5
    assert page_of_rows(con, ExportQuery(), limit=2, offset=10) == ([], 5)


def test_export_works_on_a_warehouse_loaded_before_the_views(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    seed(con)  # no create_views: the export makes its own for the connection
    assert len(export_rows(con, ExportQuery(topic="integration"))) == 2


def test_stub_papers_are_not_exported(con):
    con.execute("""INSERT INTO paper ("source", "system", "systemId", "deleted", "isStub", "topics")
                   VALUES ('musterstadt', 'oparl', 'https://x/paper/9', false, true, '["integration"]')""")
    create_views(con)
    assert len(export_rows(con, ExportQuery(topic="integration"))) == 2


# -- CSV ---------------------------------------------------------------------------

def read_csv(path, delimiter):
    return list(csv.reader(path.open(encoding="utf-8-sig", newline=""), delimiter=delimiter))


def test_csv_defaults_to_semicolons_with_bom(con, tmp_path):
    out = tmp_path / "out.csv"
    write_csv(export_rows(con, ExportQuery(topic="integration")), out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_csv(out, ";")
    assert rows[0] == COLUMNS and len(rows) == 3
    assert all(len(r) == len(COLUMNS) for r in rows)


def test_german_headers_and_values_in_one_language(con, tmp_path):
    rows = export_rows(con, ExportQuery(topic="integration"))
    out_de, out_en = tmp_path / "de.csv", tmp_path / "en.csv"
    write_csv(rows, out_de, headers="de")
    write_csv(rows, out_en, headers="en")
    de = [dict(zip(r[0:0] or read_csv(out_de, ";")[0], r)) for r in read_csv(out_de, ";")[1:]]
    en = [dict(zip(read_csv(out_en, ";")[0], r)) for r in read_csv(out_en, ";")[1:]]
    assert read_csv(out_de, ";")[0][:4] == ["ID", "Kommune", "Datum", "Gremium"]
    assert {(r["Ergebnis"], r["einstimmig"]) for r in de} == {("angenommen", "nein"), ("angenommen", "ja")}
    assert {(r["result"], r["unanimous"]) for r in en} == {("accepted", "no"), ("accepted", "yes")}


def test_neutralise_every_formula_start_and_every_part_after_either_separator():
    for start in "=+-@\t\r":
        assert neutralise(f"{start}1+1") == f"'{start}1+1"
    assert neutralise("A;@SUM(1)") == "A;'@SUM(1)"
    assert neutralise("A,=1+2;+3") == "A,'=1+2;'+3"
    assert neutralise("a;\tb,\rc") == "a;'\tb,'\rc"
    assert neutralise("Ja: 22, Nein: 0") == "Ja: 22, Nein: 0"
    assert neutralise(None) == ""
    assert neutralise(True) == "ja" and neutralise(False, "en") == "no"


@pytest.mark.parametrize("written_with", [",", ";"])
@pytest.mark.parametrize("opened_with", [",", ";"])
def test_no_cell_is_a_formula_whichever_separator_excel_splits_on(con, tmp_path, written_with, opened_with):
    out = tmp_path / "out.csv"
    write_csv(export_rows(con, ExportQuery()), out, delimiter=written_with)
    text = out.read_text(encoding="utf-8-sig")
    assert "@SUM(1)" in text and '=HYPERLINK(""x"")' in text.replace("'", "")
    # Excel opening the file with the other separator sees quotes only where they start a field.
    for line in text.split("\r\n"):
        for cell in line.split(opened_with):
            cell = cell.lstrip('"')
            assert not cell.startswith(FORMULA_STARTS), (written_with, opened_with, line)


# -- XLSX and Parquet -----------------------------------------------------------------

def test_xlsx_holds_strings_never_formulas(con, tmp_path):
    out = tmp_path / "out.xlsx"
    n = write_xlsx(export_rows(con, ExportQuery()), out, headers="de")
    assert n == 5
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet
    assert ('=HYPERLINK("x")' in strings or "=HYPERLINK(&quot;x&quot;)" in strings) and "A;@SUM(1) und x,=1+2" in strings
    assert "Betreff" in strings and "angenommen" in strings
    assert '<c r="M2" s="0" t="n"' in sheet or re.search(r'<c r="M\d+"[^>]*><v>22</v>', sheet)  # votes as numbers


def test_a_text_longer_than_an_excel_cell_says_it_was_cut(con, tmp_path):
    long_row = {**next(iter(export_rows(con, ExportQuery()))), "decision_text": "Beschluss " + "x" * 40000}
    out = tmp_path / "out.xlsx"
    write_xlsx([long_row], out, headers="de")
    with zipfile.ZipFile(out) as z:
        strings = z.read("xl/sharedStrings.xml").decode()
    cell = re.search(r"<t[^>]*>(Beschluss x+[^<]*)</t>", strings).group(1)
    assert len(cell) == 32767  # Excel's limit, which a longer cell would break
    assert cell.endswith(" … [gekürzt: eine Excel-Zelle fasst 32.767 Zeichen; CSV und Parquet enthalten den ganzen Text]")


def test_xlsx_to_a_file_object(con):
    data = io.BytesIO()
    write_xlsx(export_rows(con, ExportQuery(topic="integration")), data)
    assert data.getvalue()[:2] == b"PK"


def test_parquet_keeps_types(con, tmp_path):
    out = tmp_path / "out.parquet"
    assert write_parquet(export_rows(con, ExportQuery()), out) == 5
    row = duckdb.sql(f"SELECT * FROM '{out}' WHERE reference = 'VO/1' AND source = 'musterstadt'").fetchone()
    types = dict(duckdb.sql(f"DESCRIBE SELECT * FROM '{out}'").fetchall()[i][:2] for i in range(len(COLUMNS)))
    assert types["date"] == "DATE" and types["votes_yes"] == "BIGINT" and types["unanimous"] == "BOOLEAN"
    assert row[COLUMNS.index("title")] == '=HYPERLINK("x")'  # Parquet is data, not a spreadsheet: kept as is
    assert row[COLUMNS.index("votes_yes")] == 22


def test_topic_matches_quote_the_evidence_the_matcher_counted(tmp_path):
    """Not the letterhead's committee name (no evidence to the matcher), and the committee passed as such."""
    from pipelines.warehouse.load import connect as connect_writer, load_crawl
    from schemas.items import Consultation, File, Meeting, Paper
    from tests.pipelines.test_enrich import base, stage

    text = ("Stadt Beispiel\nAusschuss für Bildung, Integration und Sport\nVorlage 2026/12\n\nSachverhalt: Die "
            "Integration der neu zugewanderten Kinder in die Grundschule Nord gelingt nur mit mehr Lehrkräften.")
    items = [Paper(**base("1"), name="Mehr Lehrkräfte für die Grundschule Nord"),
             Meeting(**base("m1"), organizationName="Integrationsausschuss"),
             Consultation(**base("c1"), paper="1", meeting="m1"),
             Consultation(**base("c2"), paper="1", organizationName="Ausschuss für Bildung, Integration und Sport"),
             File(**base("d1"), parentType="Paper", parent="1", role="mainFile", name="Vorlage", text=text)]
    con = connect_writer(tmp_path / "w.duckdb")
    load_crawl(stage(tmp_path, "c1", items), con)
    (row,) = export_rows(con, ExportQuery(topic="integration"))
    assert row["topic_matches"].split(" | ") == [
        "Integrationsausschuss (Beratungsfolge)",
        "Integration (Dokument „Vorlage“: …2026/12 Sachverhalt: Die Integration der neu zugewanderten Kinder…)",
        "zugewanderten (Dokument „Vorlage“: …Die Integration der neu zugewanderten Kinder in die Grundschule…)",
    ]
    con.close()
