"""Tests for pipelines.crawl.analyse (``ratsinfo analyse FILE``)."""

from __future__ import annotations

import json

import pytest

from pipelines.crawl.analyse import AnalyseError, analyse_file, find_dates, find_offices, find_votes
from tests.pipelines.test_documents import build_pdf


@pytest.fixture
def seed(corpus_dir):
    path = corpus_dir.parent / "seeds" / "004_05694b190ce6c898.txt"
    if not path.exists():
        pytest.skip(f"seed file missing: {path}")
    return path


def test_seed_paper(seed):
    result = analyse_file(seed)
    assert result["file"] == str(seed)
    assert result["status"] == "ok"
    assert result["kind"] == "text"
    assert result["text_chars"] > 5000
    assert [(s["order"], s["name"], s["role"], s["representation"]) for s in result["signatories"]] == [
        (1, "R. Strotkötter", "Bürgermeister", "i.V."),
        (2, "R. Strotkötter", "Beigeordneter", None),
        (3, "S. Kellenter", "Amtsleiter", None),
        (4, "A. Schmidt", "Sachbearbeiterin", None),
    ]
    assert {"raw": "Dienstag, 15. August 2023", "date": "2023-08-15", "precision": "day"} in result["dates"]
    assert {"raw": "25.08.2023", "date": "2023-08-25", "precision": "day"} in result["dates"]
    offices = {(o["kind"], o["code"]) for o in result["offices"]}
    assert ("Amt", "50") in offices
    assert ("Amt", "51") in offices
    assert [r["reference"] for r in result["references"]] == ["VO/22/0594"]
    assert result["topics"]["matched"] is True
    assert "Integrationsrates" in result["topics"]["terms"]
    assert result["votes"] == []
    json.dumps(result, ensure_ascii=False)  # JSON-ready


def test_pdf_file(tmp_path):
    pdf = tmp_path / "vorlage.pdf"
    pdf.write_bytes(
        build_pdf(
            [
                [
                    "Vorlage 2024/0815 - Federführend: Amt 50",
                    "Unterbringung von Geflüchteten in der Sporthalle, Sitzung am 12.03.2024",
                    "Beschluss: einstimmig beschlossen",
                    "gez. Dr. Jürgen Weiß",
                    "Bürgermeister",
                ]
            ]
        )
    )
    result = analyse_file(pdf)
    assert result["kind"] == "pdf"
    assert result["pages"] == 1
    assert result["signatories"] == [{"order": 1, "name": "Dr. Jürgen Weiß", "role": "Bürgermeister", "representation": None}]
    assert result["dates"][0]["date"] == "2024-03-12"
    assert result["offices"][0]["code"] == "50"
    assert result["votes"][0]["result"] == "accepted"
    assert result["votes"][0]["unanimous"] is True
    assert result["references"][0]["reference"] == "2024/0815"


def test_html_file_with_title(tmp_path):
    page = tmp_path / "vo020.html"
    page.write_text(
        "<html><head><title>x</title><script>var gez='nein';</script></head><body>"
        "<h1>Sanierung der Turnhalle</h1><p>Abstimmungsergebnis: Ja: 12 Nein: 3 Enthaltung: 1</p>"
        "<p>gez. Anna Schmidt<br>Amtsleiterin</p></body></html>",
        encoding="utf-8",
    )
    result = analyse_file(page, title="Sanierung der Turnhalle")
    assert result["kind"] == "html"
    assert result["signatories"] == [{"order": 1, "name": "Anna Schmidt", "role": "Amtsleiterin", "representation": None}]
    assert result["votes"] == [
        {
            "raw": "Abstimmungsergebnis: Ja: 12 Nein: 3 Enthaltung: 1",
            "result": "accepted",
            "unanimous": False,
            "yes": 12,
            "no": 3,
            "abstain": 1,
            "biased": None,
        }
    ]
    assert result["topics"] == {"matched": False, "topic": "integration", "terms": [], "reason": None}


def test_missing_file(tmp_path):
    with pytest.raises(AnalyseError, match="file not found"):
        analyse_file(tmp_path / "nope.pdf")


def test_directory(tmp_path):
    with pytest.raises(AnalyseError, match="not a file"):
        analyse_file(tmp_path)


def test_empty_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(AnalyseError, match="empty file"):
        analyse_file(empty)


def test_binary_garbage(tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(AnalyseError, match="not a text, HTML or PDF document"):
        analyse_file(junk)


def test_pdf_without_text_layer(tmp_path):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(build_pdf(image_pages=1))
    with pytest.raises(AnalyseError, match="no text layer"):
        analyse_file(scan)


def test_candidate_finders_ignore_non_matches():
    assert find_dates("Version 1.2.3 und Tel. 0721 133-0") == []
    assert find_dates("am 3. Mai 2024 und am 03.05.2024") == [
        {"raw": "3. Mai 2024", "date": "2024-05-03", "precision": "day"},
        {"raw": "03.05.2024", "date": "2024-05-03", "precision": "day"},
    ]
    assert find_offices("Die A 81 ist gesperrt.") == []
    assert [o["code"] for o in find_offices("Federführend:\nFB 3 - Jugend und Familie\nDez. 2")] == ["3", "2"]
    assert find_votes("Der Rat beschließt die Sanierung.") == []


def test_cli_prints_json_and_reports_errors(seed, tmp_path, capsys):
    from flows.cli import main

    assert main(["analyse", str(seed)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert len(printed["signatories"]) == 4
    assert main(["analyse", str(tmp_path / "missing.txt")]) == 2
    assert "file not found" in capsys.readouterr().err
