"""Structural checks of the towns set (tests/data/topic_labels_towns.jsonl).

Its quality figures are printed by tests/benchmarks/eval_topics.py (``--set towns``),
not asserted here, like those of the other labelled sets.
"""

from __future__ import annotations

import json
from pathlib import Path

TESTS = Path(__file__).resolve().parents[2]
TOWNS = TESTS / "data" / "topic_labels_towns.jsonl"


def test_every_row_is_a_real_item_of_a_golden_file_of_a_town_other_than_karlsruhe():
    rows = [json.loads(line) for line in TOWNS.read_text(encoding="utf-8").splitlines() if line.strip()]
    named = {}
    for golden in (TESTS / "spiders" / "golden").glob("*/*.json"):
        for item in json.loads(golden.read_text(encoding="utf-8"))["items"]:
            if item.get("name"):
                named[f'{item["source"]}:{item["type"]}:{item["systemId"]}'] = item["name"].replace("\n", " / ")
    assert len(rows) >= 150
    assert len({row["id"] for row in rows}) == len(rows)
    assert len({row["town"] for row in rows}) >= 5 and not any("karlsruhe" in row["town"] for row in rows)
    for row in rows:
        assert named.get(row["id"]) == row["title"], row["id"]
        assert isinstance(row["label"], bool) and row["note"]
