"""Structural checks of the labelled vote texts (tests/data/vote_labels.jsonl) and a run of their evaluation.

The accuracy figures are printed by tests/benchmarks/eval_votes.py, not asserted here.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from pipelines.normalise.votes import RESULTS

TESTS = Path(__file__).resolve().parents[2]
LABELS = TESTS / "data" / "vote_labels.jsonl"
HOLDOUT = TESTS / "data" / "vote_labels_holdout.jsonl"
EVAL = TESTS / "benchmarks" / "eval_votes.py"


def _rows(path: Path = LABELS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _eval_module():
    spec = importlib.util.spec_from_file_location("eval_votes", EVAL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("path", "at_least"), [(LABELS, 150), (HOLDOUT, 15)])
def test_every_row_is_a_labelled_text_with_its_provenance(path, at_least):
    rows = _rows(path)
    assert len(rows) >= at_least
    assert len({row["id"] for row in rows}) == len(rows)
    for row in rows:
        assert row["kind"] in {"item", "vocabulary"}, row["id"]
        assert row["result"] is None or row["result"] in RESULTS, row["id"]
        assert row["text"] or row["vote_text"], row["id"]
        assert re.fullmatch(r"[\w.-]+/[\w.-]+", row["repo"]) and row["path"], row["id"]
        assert re.fullmatch(r"[0-9a-f]{40}", row["commit"]), row["id"]
        for count in ("yes", "no", "abstain"):
            assert row[count] is None or (isinstance(row[count], int) and row[count] >= 0), row["id"]


def test_the_towns_are_at_least_five_and_none_the_project_used_before():
    towns = {row["town"] for row in _rows()}
    assert len(towns) >= 5
    holdout_towns = {row["town"] for row in _rows(HOLDOUT)}
    assert not holdout_towns & towns  # the held-out set is of towns the fixes never saw
    towns |= holdout_towns
    topic_lines = (TESTS / "data" / "topic_labels_towns.jsonl").read_text(encoding="utf-8").splitlines()
    topic_towns = {json.loads(line)["town"] for line in topic_lines if line.strip()}
    slugs = {re.sub(r"[^a-z]", "", town.lower().replace("ü", "ue").replace("ö", "oe")) for town in towns}
    used = {re.sub(r"[^a-z]", "", town.split("-allris")[0]) for town in topic_towns} | {"karlsruhe"}
    assert not slugs & used


def test_the_evaluation_scores_every_row_and_prints_its_figures(capsys):
    eval_votes = _eval_module()
    rows = eval_votes.read_labels(LABELS)
    outcomes = eval_votes.score(rows)
    assert len(outcomes) == len(rows)
    assert all(isinstance(o["result_ok"], bool) and isinstance(o["counts_ok"], bool) for o in outcomes)
    assert eval_votes.main(["--no-misses"]) == 0
    printed = capsys.readouterr().out
    assert f"{len(rows)} labelled texts" in printed and "town: Koblenz" in printed


def test_the_evaluation_refuses_a_malformed_label(tmp_path, capsys):
    bad = tmp_path / "labels.jsonl"
    bad.write_text(json.dumps({"id": "x", "text": "vertagt"}) + "\n", encoding="utf-8")
    assert _eval_module().main(["--labels", str(bad)]) == 2
    assert "missing" in capsys.readouterr().err
