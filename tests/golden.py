"""Golden-file comparison for parsers: expected items, compared field by field.

A golden file is JSON: ``{"page": <corpus path>, "url": <source URL>,
"checked": <what a person compared by eye>, "items": [<item dicts>]}``.
Items are matched by ``(type, systemId)``; every field the golden file names
must equal the parser's value, and the sets of items must be equal, so a
failure names the item and the field.

``RATSINFO_WRITE_GOLDEN=1`` writes the parser's current output as a draft
next to the golden file (``*.draft.json``) for a person to check, never over it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

from schemas.items import Item

IGNORED_FIELDS = {"crawledAt"}


def item_key(d: dict) -> str:
    return f"{d['type']} {d['systemId']}"


def compare_items(actual: Iterable[Item], golden_path: Path) -> list[str]:
    """Return the differences between parsed items and a golden file, one line each."""
    got = [i.to_dict() for i in actual]
    if os.environ.get("RATSINFO_WRITE_GOLDEN") == "1":
        draft = golden_path.with_suffix(".draft.json")
        draft.write_text(json.dumps({"items": [_strip(d) for d in got]}, ensure_ascii=False, indent=1) + "\n")
    expected = json.loads(golden_path.read_text())["items"]
    got_by_key = {item_key(d): d for d in got}
    exp_by_key = {item_key(d): d for d in expected}
    problems = []
    for key in exp_by_key.keys() - got_by_key.keys():
        problems.append(f"missing item {key}")
    for key in got_by_key.keys() - exp_by_key.keys():
        problems.append(f"unexpected item {key}")
    for key in exp_by_key.keys() & got_by_key.keys():
        for field, want in exp_by_key[key].items():
            if field in IGNORED_FIELDS:
                continue
            have = got_by_key[key].get(field)
            if have != want:
                problems.append(f"{key} .{field}: expected {want!r}, got {have!r}")
    return problems


def assert_matches_golden(actual: Iterable[Item], golden_path: Path) -> None:
    problems = compare_items(actual, golden_path)
    assert not problems, f"{golden_path.name}: {len(problems)} difference(s)\n" + "\n".join(problems)


def _strip(d: dict) -> dict:
    return {k: v for k, v in d.items() if k not in IGNORED_FIELDS}
