"""Structural checks of the towns sets (tests/data/topic_labels_towns.jsonl, topic_labels_towns_repos.jsonl).

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


TOWNS_REPOS = TESTS / "data" / "topic_labels_towns_repos.jsonl"
# The repositories the second towns set was drawn from (tests/benchmarks/sample_topic_towns.py).
REPOS = {
    "magdeburg": ("code-for-magdeburg/StadtratWatch-web", "data/papers/paper-graphs-"),
    "nordstemmen": ("levino/nordstemmen-ai", "documents/papers/"),
}


def test_every_repos_row_names_its_repository_path_and_commit():
    rows = [json.loads(line) for line in TOWNS_REPOS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 300
    assert len({row["id"] for row in rows}) == len(rows)
    assert {row["town"] for row in rows} == set(REPOS)
    # each (town, title) once, as in the first towns file
    assert len({(row["town"], row["title"].lower()) for row in rows}) == len(rows)
    for row in rows:
        repo, path_prefix = REPOS[row["town"]]
        assert row["repo"] == repo and row["path"].startswith(path_prefix), row["id"]
        assert len(row["commit"]) == 40 and int(row["commit"], 16) >= 0
        assert row["id"].startswith(f'{row["town"]}:Paper:')
        assert row["title"].strip() == row["title"] and row["title"]
        assert isinstance(row["text"], str) and len(row["text"]) <= 3000
        assert isinstance(row["label"], bool) and row["note"]
        assert row["sample"] in {"random", "broad"}
        assert (row["sample"] == "broad") == bool(row.get("keyword"))


def test_both_towns_files_together_hold_enough_positives_and_negatives_to_measure():
    rows = [
        json.loads(line)
        for path in (TOWNS, TOWNS_REPOS)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    positives = sum(row["label"] for row in rows)
    assert positives >= 40
    assert len(rows) - positives >= 200
    assert len({row["town"] for row in rows}) >= 10


TOWNS_BLIND = TESTS / "data" / "topic_labels_towns_blind.jsonl"


def test_blind_rows_are_new_papers_of_the_same_repositories():
    repos_rows = [json.loads(line) for line in TOWNS_REPOS.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [json.loads(line) for line in TOWNS_BLIND.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 150
    assert len({row["id"] for row in rows}) == len(rows)
    seen_ids = {row["id"] for row in repos_rows}
    seen_titles = {(row["town"], row["title"].lower()) for row in repos_rows}
    for row in rows:
        assert row["id"] not in seen_ids and (row["town"], row["title"].lower()) not in seen_titles, row["id"]
        repo, path_prefix = REPOS[row["town"]]
        assert row["repo"] == repo and row["path"].startswith(path_prefix)
        assert isinstance(row["label"], bool) and row["note"]
        assert row["sample"] in {"blind-random", "blind-broad"}
    assert sum(row["label"] for row in rows) >= 20


def test_second_blind_rows_are_new_magdeburg_papers():
    earlier = [
        json.loads(line)
        for path in (TOWNS_REPOS, TOWNS_BLIND)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    rows = [
        json.loads(line)
        for line in (TESTS / "data" / "topic_labels_towns_blind2.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    assert len(rows) >= 100 and len({row["id"] for row in rows}) == len(rows)
    seen = {row["id"] for row in earlier} | {(row["town"], row["title"].lower()) for row in earlier}
    for row in rows:
        assert row["id"] not in seen and (row["town"], row["title"].lower()) not in seen, row["id"]
        assert row["town"] == "magdeburg" and row["repo"] == REPOS["magdeburg"][0]
        assert isinstance(row["label"], bool) and row["note"]
        assert row["sample"] in {"blind2-random", "blind2-broad"}
