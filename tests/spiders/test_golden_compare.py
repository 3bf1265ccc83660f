"""The golden comparison itself: it names missing items, wrong values and fields the golden file leaves out."""

from __future__ import annotations

import json

from schemas.items import Paper
from tests.golden import compare_items


def _golden(tmp_path, items):
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"items": items}))
    return path


def test_a_field_the_parser_fills_but_the_golden_file_does_not_name_is_a_difference(tmp_path):
    paper = Paper(source="x", system="allris_classic", systemId="1", name="Integrationskonzept", reference="VO/1")
    golden = _golden(tmp_path, [{"type": "Paper", "source": "x", "system": "allris_classic", "systemId": "1",
                                 "name": "Integrationskonzept"}])
    problems = compare_items([paper], golden)
    assert problems == ["Paper 1 .reference: the golden file does not name it, got 'VO/1'"]


def test_fields_left_at_their_default_need_not_be_named(tmp_path):
    paper = Paper(source="x", system="allris_classic", systemId="1", name="Integrationskonzept")
    golden = _golden(tmp_path, [{"type": "Paper", "source": "x", "system": "allris_classic", "systemId": "1",
                                 "name": "Integrationskonzept"}])
    assert compare_items([paper], golden) == []


def test_wrong_values_and_missing_items_are_named(tmp_path):
    paper = Paper(source="x", system="allris_classic", systemId="1", name="Haushalt")
    golden = _golden(tmp_path, [
        {"type": "Paper", "source": "x", "system": "allris_classic", "systemId": "1", "name": "Integrationskonzept"},
        {"type": "Paper", "source": "x", "system": "allris_classic", "systemId": "2"},
    ])
    assert sorted(compare_items([paper], golden)) == [
        "Paper 1 .name: expected 'Integrationskonzept', got 'Haushalt'",
        "missing item Paper 2",
    ]
