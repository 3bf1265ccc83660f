"""Structural checks of the blind test set of labelled papers (tests/data/topic_labels_test.jsonl).

The quality figures on this set are printed by tests/benchmarks/eval_topics.py
(``--set test``), not asserted here: the set was labelled after the taxonomy was
frozen and must not become a target the taxonomy is tuned to.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
TEST_SET = DATA_DIR / "topic_labels_test.jsonl"
TUNING = DATA_DIR / "topic_labels.jsonl"
HOLDOUT = DATA_DIR / "topic_labels_holdout.jsonl"
PAPER_ID_PREFIX = "https://web1.karlsruhe.de/oparl/bodies/0001/papers/"
SAMPLES = {"random", "broad", "termhit", "topicword"}
KEYWORD_SAMPLES = {"broad", "topicword"}  # groups drawn by a keyword, which the row names
TEXT_LIMIT = 3000


def read_rows(path: Path) -> list[dict]:
    """Return the JSON objects of a JSONL file, one per non-empty line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def test_rows() -> list[dict]:
    return read_rows(TEST_SET)


def test_test_set_has_at_least_200_rows(test_rows):
    assert len(test_rows) >= 200


def test_test_set_ids_are_unique(test_rows):
    ids = [row["id"] for row in test_rows]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("other", [TUNING, HOLDOUT], ids=["tuning", "holdout"])
def test_test_set_shares_no_paper_with_the_other_sets(test_rows, other):
    overlap = {row["id"] for row in test_rows} & {row["id"] for row in read_rows(other)}
    assert not overlap, sorted(overlap)[:5]


@pytest.mark.parametrize("field", ["id", "title", "text", "label", "note", "sample"])
def test_every_row_has_the_fields_of_the_other_sets(test_rows, field):
    missing = [row.get("id") for row in test_rows if field not in row]
    assert not missing, missing[:5]


def test_ids_are_karlsruhe_paper_urls(test_rows):
    bad = [row["id"] for row in test_rows if not row["id"].startswith(PAPER_ID_PREFIX)]
    assert not bad, bad[:5]


def test_titles_are_non_empty_strings(test_rows):
    bad = [row["id"] for row in test_rows if not isinstance(row["title"], str) or not row["title"].strip()]
    assert not bad, bad[:5]


def test_texts_are_strings_cut_at_3000_characters(test_rows):
    bad = [row["id"] for row in test_rows if not isinstance(row["text"], str) or len(row["text"]) > TEXT_LIMIT]
    assert not bad, bad[:5]


def test_labels_are_booleans(test_rows):
    bad = [row["id"] for row in test_rows if not isinstance(row["label"], bool)]
    assert not bad, bad[:5]


def test_every_label_has_a_reason(test_rows):
    bad = [row["id"] for row in test_rows if not isinstance(row["note"], str) or not row["note"].strip()]
    assert not bad, bad[:5]


def test_both_labels_are_present(test_rows):
    labels = [row["label"] for row in test_rows]
    assert labels.count(True) >= 1
    assert labels.count(False) >= 1


def test_every_row_names_its_sample_group(test_rows):
    bad = [row["id"] for row in test_rows if row.get("sample") not in SAMPLES]
    assert not bad, bad[:5]


def test_every_sample_group_is_drawn(test_rows):
    assert {row["sample"] for row in test_rows} == SAMPLES


def test_keyword_rows_name_their_keyword(test_rows):
    bad = [
        row["id"]
        for row in test_rows
        if row["sample"] in KEYWORD_SAMPLES and not (isinstance(row.get("keyword"), str) and row["keyword"].strip())
    ]
    assert not bad, bad[:5]
