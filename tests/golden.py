"""Golden-file comparison for parsers: expected items, compared field by field.

A golden file is JSON: ``{"page": <corpus path>, "url": <source URL>,
"checked": <what a person compared by eye>, "items": [<item dicts>]}``.
Items are matched by ``(type, systemId)``; every field the golden file names
must equal the parser's value, every field the parser fills must be named by
the golden file, and the sets of items must be equal, so a failure names the
item and the field.

``RATSINFO_WRITE_GOLDEN=1`` writes the parser's current output as a draft
next to the golden file (``*.draft.json``) for a person to check, never over it.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Iterable

from schemas.items import ITEM_TYPES_BY_NAME, Item
from spiders.dialects.base import Page
from tests.conftest import corpus_path

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
        for field, have in got_by_key[key].items():
            if field not in exp_by_key[key] and field not in IGNORED_FIELDS and have != _defaults(key)[field]:
                problems.append(f"{key} .{field}: the golden file does not name it, got {have!r}")
    return problems


def assert_matches_golden(actual: Iterable[Item], golden_path: Path) -> None:
    problems = compare_items(actual, golden_path)
    assert not problems, f"{golden_path.name}: {len(problems)} difference(s)\n" + "\n".join(problems)


@lru_cache(maxsize=None)
def _type_defaults(type_name: str) -> dict:
    """Return the JSON form of each field's default for an item type (what a parser leaves unset)."""
    cls = ITEM_TYPES_BY_NAME[type_name]
    defaults = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            defaults[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            defaults[f.name] = f.default_factory()
        else:
            defaults[f.name] = object()  # required: always named by the golden file
    return defaults


def _defaults(key: str) -> dict:
    return _type_defaults(key.split(" ", 1)[0])


def _strip(d: dict) -> dict:
    return {k: v for k, v in d.items() if k not in IGNORED_FIELDS}


@dataclass(frozen=True)
class CorpusGoldens:
    """The golden files of one dialect for one corpus folder, and the checks every dialect runs on them."""

    dialect: ModuleType
    corpus_folder: str
    golden_dir: Path

    def names(self) -> list[str]:
        """Every corpus page of the folder, and every golden file (so a lost page still shows up)."""
        names = {p.stem for p in self.golden_dir.glob("*.json")}
        folder = corpus_path() / self.corpus_folder
        if folder.is_dir():
            names |= {p.stem for p in folder.iterdir() if p.is_file()}
        return sorted(names)

    def golden(self, name: str) -> dict:
        path = self.golden_dir / f"{name}.json"
        assert path.is_file(), f"no golden file for corpus page {name}: write {path}"
        return json.loads(path.read_text())

    def page(self, corpus_dir: Path, file_name: str) -> Page:
        """The corpus page under the source URL its golden file names."""
        name = file_name.rsplit(".", 1)[0] if file_name.endswith((".html", ".xml", ".json")) else file_name
        golden = self.golden(name)
        return Page.from_bytes(golden["url"], (corpus_dir / golden["page"]).read_bytes())

    def check_page(self, corpus_dir: Path, name: str) -> None:
        """Detect, classify and parse one corpus page; compare items and links with its golden file."""
        golden = self.golden(name)
        assert golden.get("checked") and golden["checked"] != "TODO", f"{name}: golden file not checked by eye"
        page = self.page(corpus_dir, name)
        assert self.dialect.detect(page), f"{name}: not recognised as {self.dialect.NAME}"
        assert not self.dialect.is_refused(page), f"{name}: taken for a refusal page"
        assert self.dialect.page_kind(page) == golden["kind"]
        parsed = self.dialect.parse(page, golden["source"])
        assert_matches_golden(parsed.items, self.golden_dir / f"{name}.json")
        assert [[link.kind, link.url] for link in parsed.follow] == golden["follow"]

    def check_complete(self, corpus_dir: Path) -> None:
        pages = {p.stem for p in (corpus_dir / self.corpus_folder).iterdir() if p.is_file()}
        goldens = {p.stem for p in self.golden_dir.glob("*.json")}
        assert pages and pages <= goldens, f"corpus pages without golden file: {sorted(pages - goldens)}"
