"""Hostile cell values in the exports: no formula reaches a spreadsheet, whatever separator it splits on."""

from __future__ import annotations

import csv
import zipfile

import pytest

from pipelines.exports.export import COLUMNS, ExportQuery, export_rows, write_csv, write_xlsx
from pipelines.warehouse.load import connect
from schemas.views import create_views

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    con = connect(tmp_path_factory.mktemp("faults-export") / "w.duckdb")
    con.execute("""INSERT INTO paper ("source", "system", "systemId", "reference", "name", "deleted", "url")
                   VALUES ('s', 'allris_classic', '1', 'VO/1', 'x', false, 'http://x/bi/vo020.asp?VOLFDNR=1')""")
    yield con
    con.close()


@pytest.fixture
def with_title(warehouse):
    def set_title(title: str):
        warehouse.execute("""UPDATE paper SET "name" = ? WHERE "systemId" = '1'""", [title])
        create_views(warehouse)
        return warehouse

    return set_title


def cells_as_excel_sees_them(text: str, separator: str) -> list[str]:
    """Split every line on ``separator`` the way a spreadsheet set to it does (quotes only at a field's start)."""
    return [cell.lstrip('"') for line in text.split("\r\n") for cell in line.split(separator)]


@pytest.mark.parametrize("written_with, opened_with", [(",", ";"), (";", ","), (",", ","), (";", ";")])
@pytest.mark.fault(kind="csv: formula after the other separator", outcome="ok")
def test_formula_after_a_separator(with_title, tmp_path, written_with, opened_with):
    con = with_title("A;@SUM(1), B,=1+2;-3,+4")
    out = tmp_path / "x.csv"
    write_csv(export_rows(con, ExportQuery()), out, delimiter=written_with)
    text = out.read_bytes().decode("utf-8-sig")
    assert not [c for c in cells_as_excel_sees_them(text, opened_with) if c.startswith(FORMULA_STARTS)]
    assert "SUM(1)" in text and "1+2" in text  # the value is kept, only defused


@pytest.mark.parametrize("title", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1"])
@pytest.mark.fault(kind="csv: formula at the start of a cell", outcome="ok")
def test_formula_at_the_start(with_title, tmp_path, title):
    con = with_title(title)
    out = tmp_path / "x.csv"
    write_csv(export_rows(con, ExportQuery()), out)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        text = fh.read()
        fh.seek(0)
        rows = list(csv.reader(fh, delimiter=";"))
    assert not [c for c in cells_as_excel_sees_them(text, ";") if c.startswith(FORMULA_STARTS)]
    assert rows[1][COLUMNS.index("title")] == "'" + title  # the value is kept, only defused


@pytest.mark.fault(kind="xlsx: formula and link in a text", outcome="ok")
def test_xlsx_never_writes_formulas_or_links(with_title, tmp_path):
    con = with_title('=HYPERLINK("http://evil.example/","klick")')
    out = tmp_path / "x.xlsx"
    write_xlsx(export_rows(con, ExportQuery()), out)
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        names = z.namelist()
    assert "<f>" not in sheet and "<hyperlink" not in sheet
    assert not any("externalLink" in n for n in names)
