"""Structural checks of the held-out labelled papers (tests/data/topic_labels_holdout.jsonl).

The quality figures on this set are printed by tests/benchmarks/eval_topics.py
(``--set holdout``), not asserted here: the set measures the taxonomy, it must
not become a target the taxonomy is tuned to.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
HOLDOUT = DATA_DIR / "topic_labels_holdout.jsonl"
TUNING = DATA_DIR / "topic_labels.jsonl"
PAPER_ID_PREFIX = "https://web1.karlsruhe.de/oparl/bodies/0001/papers/"
SAMPLES = {"random", "broad", "matcher"}
TEXT_LIMIT = 3000


def read_rows(path: Path) -> list[dict]:
    """Return the JSON objects of a JSONL file, one per non-empty line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def holdout() -> list[dict]:
    return read_rows(HOLDOUT)


def test_holdout_has_at_least_250_rows(holdout):
    assert len(holdout) >= 250


def test_holdout_ids_are_unique(holdout):
    ids = [row["id"] for row in holdout]
    assert len(ids) == len(set(ids))


def test_holdout_shares_no_paper_with_the_tuning_set(holdout):
    tuning_ids = {row["id"] for row in read_rows(TUNING)}
    overlap = {row["id"] for row in holdout} & tuning_ids
    assert not overlap, sorted(overlap)[:5]


@pytest.mark.parametrize("field", ["id", "title", "text", "label", "note"])
def test_every_row_has_the_tuning_set_fields(holdout, field):
    missing = [row.get("id") for row in holdout if field not in row]
    assert not missing, missing[:5]


def test_ids_are_karlsruhe_paper_urls(holdout):
    bad = [row["id"] for row in holdout if not row["id"].startswith(PAPER_ID_PREFIX)]
    assert not bad, bad[:5]


def test_titles_are_non_empty_strings(holdout):
    bad = [row["id"] for row in holdout if not isinstance(row["title"], str) or not row["title"].strip()]
    assert not bad, bad[:5]


def test_texts_are_strings_cut_at_3000_characters(holdout):
    bad = [row["id"] for row in holdout if not isinstance(row["text"], str) or len(row["text"]) > TEXT_LIMIT]
    assert not bad, bad[:5]


def test_labels_are_booleans(holdout):
    bad = [row["id"] for row in holdout if not isinstance(row["label"], bool)]
    assert not bad, bad[:5]


def test_every_label_has_a_reason(holdout):
    bad = [row["id"] for row in holdout if not isinstance(row["note"], str) or not row["note"].strip()]
    assert not bad, bad[:5]


def test_both_labels_are_present(holdout):
    labels = [row["label"] for row in holdout]
    assert labels.count(True) >= 1
    assert labels.count(False) >= 1


def test_every_row_names_its_sample_group(holdout):
    bad = [row["id"] for row in holdout if row.get("sample") not in SAMPLES]
    assert not bad, bad[:5]


def test_every_sample_group_is_drawn(holdout):
    assert {row["sample"] for row in holdout} == SAMPLES
