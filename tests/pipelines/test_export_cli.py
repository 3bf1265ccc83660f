"""`ratsinfo export`, `ratsinfo sql` and `ratsinfo feeds` on a real warehouse file: formats, read-only, one-line errors."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from tests.web_seed import seed_warehouse

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return seed_warehouse(tmp_path_factory.mktemp("cli") / "w.duckdb")


def test_export_csv_defaults_to_semicolon_and_bom(db, tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert main(["export", "--db", str(db), "--topic", "integration", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "id" and len(rows) == 3
    assert "wrote 2 rows" in capsys.readouterr().err


def test_search_prints_the_papers_and_the_synonyms_it_searched_too(db, capsys):
    assert main(["search", "--db", str(db), "Flüchtlinge"]) == 0
    out, err = capsys.readouterr()
    assert [line.split()[2] for line in out.splitlines()] == ["BV/2026/7"]  # "Neue Flüchtlingsunterkunft am Bahnhof"
    assert err == ("also searched for 'Flüchtlinge': Geflüchtete, Flüchtende, Schutzsuchende, Asylsuchende, Asylbewerber,"
                   " Asylbegehrende\n")


def test_export_german_headers_and_filters(db, tmp_path):
    out = tmp_path / "x.csv"
    assert main(["export", "--db", str(db), "--headers", "de", "--committee", "Bauausschuss", "-o", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["ID", "Kommune", "Datum", "Gremium"]
    assert [(r[4], r[9]) for r in rows[1:]] == [("VO/2", "abgelehnt")]


@pytest.mark.parametrize("name, check", [
    ("x.xlsx", lambda p: "Flüchtlingsunterkunft" in zipfile.ZipFile(p).read("xl/sharedStrings.xml").decode()),
    ("x.parquet", lambda p: duckdb.sql(f"SELECT count(*) FROM '{p}'").fetchone()[0] == 2),
])
def test_export_format_from_the_file_name(db, tmp_path, name, check):
    out = tmp_path / name
    assert main(["export", "--db", str(db), "--topic", "integration", "-o", str(out)]) == 0
    assert check(out)


def test_export_full_text_query(db, tmp_path):
    out = tmp_path / "x.csv"
    assert main(["export", "--db", str(db), "--query", "Flüchtlingsunterkunft", "-o", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert [r[4] for r in rows[1:]] == ["BV/2026/7"]


def test_export_format_option_wins(db, tmp_path):
    out = tmp_path / "x.dat"
    assert main(["export", "--db", str(db), "--format", "parquet", "-o", str(out)]) == 0
    assert out.read_bytes()[:4] == b"PAR1"


def test_export_without_warehouse_is_one_line(tmp_path, capsys):
    assert main(["export", "--db", str(tmp_path / "none.duckdb"), "-o", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ratsinfo: no warehouse at")


@pytest.mark.parametrize("args, message", [
    (["--topic", "integraton"], "ratsinfo: no topic 'integraton' (topics: integration)"),
    (["--result", "approved"], "ratsinfo: no result 'approved' (results: accepted, rejected, postponed, noted, amended,"),
    (["--municipality", "Musterstad"],
     "ratsinfo: no papers of municipality 'Musterstad' in the warehouse (sources: beispielheim (Gemeinde Beispielheim), "
     "musterstadt (Stadt Musterstadt), musterstadt-alt (Musterstadt (alt)))"),
])
def test_export_of_an_unknown_topic_result_or_municipality_is_one_line_and_no_file(db, tmp_path, capsys, args, message):
    out = tmp_path / "x.csv"
    assert main(["export", "--db", str(db), *args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1, err
    assert not out.exists()  # a typo is not an empty file that looks like "nothing decided"


def test_export_by_municipality_name_or_slug_finds_the_same_papers(db, tmp_path):
    by_name, by_slug = tmp_path / "name.csv", tmp_path / "slug.csv"
    assert main(["export", "--db", str(db), "--municipality", "stadt musterstadt", "-o", str(by_name)]) == 0
    assert main(["export", "--db", str(db), "--municipality", "musterstadt", "-o", str(by_slug)]) == 0
    rows = by_name.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) > 1 and rows == by_slug.read_text(encoding="utf-8-sig").splitlines()


def test_sql_query_prints_a_table(db, capsys):
    assert main(["sql", "--db", str(db), "SELECT paperReference, result FROM resolution ORDER BY 1, 2"]) == 0
    out = capsys.readouterr().out
    assert "BV/2026/7" in out and "accepted" in out and "│" in out


def test_sql_csv_and_views(db, capsys):
    assert main(["sql", "--db", str(db), "--csv", "SELECT topic, count(*) AS n FROM paper_topic GROUP BY ALL"]) == 0
    assert capsys.readouterr().out.splitlines() == ["topic,n", "integration,2"]
    assert main(["sql", "--db", str(db), "--csv", "SELECT name, representation FROM signatory"]) == 0
    assert capsys.readouterr().out.splitlines() == ["name,representation", "Erika Muster,i.V."]


def test_sql_is_read_only_and_errors_are_one_line(db, capsys):
    assert main(["sql", "--db", str(db), "DELETE FROM paper"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "read-only" in err
    assert main(["sql", "--db", str(db), "SELEC 1"]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    assert duckdb.connect(str(db), read_only=True).sql("SELECT count(*) FROM paper").fetchone()[0] == 5


def test_sql_prompt_reads_statements_from_stdin(db):
    script = "SELECT 40 + 2 AS answer;\nSELECT count(*)\nFROM paper;\nSELEC nonsense;\n.quit\nSELECT 'never';\n"
    result = subprocess.run([sys.executable, "-m", "flows.cli", "sql", "--db", str(db), "--csv"], input=script,
                            capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert result.returncode == 1  # one statement failed
    assert result.stdout.splitlines() == ["answer", "42", "count_star()", "5"]
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("ratsinfo sql:")


def test_feeds_command_writes_files(db, tmp_path):
    assert main(["feeds", "--db", str(db), "-o", str(tmp_path), "--search", "bau=q=Hauptstraße"]) == 0
    assert (tmp_path / "topic" / "integration.atom").exists() and (tmp_path / "search" / "bau.atom").exists()
    assert main(["feeds", "--db", str(db), "-o", str(tmp_path), "--search", "nonsense"]) == 2


def test_web_without_warehouse_is_one_line(tmp_path, capsys):
    assert main(["web", "--db", str(tmp_path / "none.duckdb"), "--port", "0"]) == 2
    assert capsys.readouterr().err.startswith("ratsinfo: no warehouse at")


def test_export_every_table_and_view_as_parquet(db, tmp_path):
    assert main(["export", "--db", str(db), "--tables", "-o", str(tmp_path / "pq")]) == 0
    names = sorted(p.stem for p in (tmp_path / "pq").glob("*.parquet"))
    assert {"paper", "agenda_item", "file", "resolution", "paper_decision", "paper_topic", "signatory"} <= set(names)
    assert not any(n.startswith("fts_") or n in ("docs", "terms") for n in names)
    assert duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 'pq' / 'paper.parquet'}'").fetchone()[0] == 5
    assert main(["export", "--db", str(db), "--tables", "--format", "xlsx", "-o", str(tmp_path / "x")]) == 2


def test_views_describe_themselves(db, capsys):
    assert main(["sql", "--db", str(db), "--csv", """SELECT view_name, comment FROM duckdb_views() WHERE view_name = 'signatory'
                 UNION ALL SELECT table_name, comment FROM duckdb_tables() WHERE table_name = 'resolution'"""]) == 0
    out = capsys.readouterr().out
    assert "signatory,\"Signatures of papers" in out and "resolution,\"One row per decided agenda item" in out


def test_export_tables_refuses_the_paper_filters_and_takes_the_separator(db, tmp_path, capsys):
    """--tables writes every table whole: --topic and the like were dropped without a word, --sep was not used."""
    out = tmp_path / "tables"
    assert main(["export", "--db", str(db), "--tables", "--topic", "integration", "--since", "2026-01-01",
                 "-o", str(out)]) == 2
    assert capsys.readouterr().err == (
        "ratsinfo: --tables writes every table whole; --topic, --since select papers for the one-file export only\n")
    assert main(["export", "--db", str(db), "--tables", "--headers", "de", "-o", str(out)]) == 2
    assert "--headers select papers" in capsys.readouterr().err
    assert not out.exists()

    assert main(["export", "--db", str(db), "--tables", "--format", "csv", "--sep", ";", "-o", str(out)]) == 0
    assert (out / "paper.csv").read_text(encoding="utf-8").splitlines()[0].startswith("source;system;")
    assert main(["export", "--db", str(db), "--tables", "--format", "csv", "-o", str(tmp_path / "comma")]) == 0
    assert (tmp_path / "comma" / "paper.csv").read_text(encoding="utf-8").splitlines()[0].startswith("source,system,")
