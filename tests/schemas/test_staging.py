"""schemas.staging: counting a crawl's objects from its items.jsonl."""

from __future__ import annotations

import json

from schemas.items import File, Meeting, Paper
from schemas.staging import JsonlWriter, StagingArea, read_jsonl


def parsed_counts(staging: StagingArea) -> dict[str, int]:
    """Count as the crawl's summary did before: every line parsed, distinct (source, systemId) per type."""
    objects: dict[str, set] = {}
    for item in read_jsonl(staging.items_path):
        objects.setdefault(item["type"], set()).add((str(item.get("source")), str(item.get("systemId"))))
    return {kind: len(keys) for kind, keys in sorted(objects.items())}


ODD_IDS = ['vo020.asp?VOLFDNR=1"2', "back\\slash", "Ümlaut-ä", "tab\tand\nnewline", "\u2028sep", "emoji 🙂"]


def staged(tmp_path, *, keys_listed: bool) -> StagingArea:
    staging = StagingArea(tmp_path, "c1").create()
    writer = JsonlWriter(staging.items_path)
    items = [Paper(source="s", system="x", systemId=i, url="http://h/p", name="Vorlage") for i in ODD_IDS]
    items += [Paper(source="s", system="x", systemId=ODD_IDS[0], url="http://h/again")]  # the same object again
    items += [Meeting(source="t", system="x", systemId="m1", url="http://h/m", name="Rat")]
    items += [File(source="s", system="x", systemId="f1", url="http://h/f")]
    writer.write_many([item.to_staged() for item in items])
    # The same object, its keys in another order: not read as far as its systemId, parsed whole.
    writer.write({"systemId": ODD_IDS[2], "source": "s", "type": "Paper", "system": "x"})
    writer.write({"systemId": "m2", "type": "Meeting", "source": "t", "system": "x"})
    writer.close()
    staging.record_staged_keys(writer.staged_keys() if keys_listed else None)
    return staging


def test_object_counts_equal_parsing_every_line(tmp_path):
    staging = staged(tmp_path, keys_listed=True)
    assert staging.object_counts() == parsed_counts(staging) == {"File": 1, "Meeting": 2, "Paper": len(ODD_IDS)}


def test_lines_a_writer_wrote_whole_are_read_only_to_their_system_id(tmp_path):
    staging = staged(tmp_path, keys_listed=True)
    # Within the listed bytes a line is not parsed past its systemId: this one would not parse.
    text = staging.items_path.read_text(encoding="utf-8")
    line = '{"type": "Paper", "source": "s", "system": "x", "systemId": "unparsed", "name": "cut'
    staging.items_path.write_text(line + "\n" + text, encoding="utf-8")
    staging.update_manifest(stagedKeysBytes=staging.items_path.stat().st_size)
    assert staging.object_counts()["Paper"] == len(ODD_IDS) + 1


def test_lines_nobody_listed_are_parsed_and_a_broken_one_skipped(tmp_path):
    for keys_listed in (True, False):
        staging = staged(tmp_path / str(keys_listed), keys_listed=keys_listed)
        with staging.items_path.open("a", encoding="utf-8") as fh:  # a resumed crawl, then a kill mid-line
            fh.write(json.dumps(Paper(source="s", system="x", systemId=ODD_IDS[1], url="u").to_staged(),
                                ensure_ascii=True) + "\n")  # the same object, written another way
            fh.write(json.dumps(Paper(source="s", system="x", systemId="new", url="u").to_staged()) + "\n")
            fh.write('{"type": "Paper", "source": "s", "system": "x", "systemId": "cut short", "na')
        assert staging.object_counts() == parsed_counts(staging)
        assert staging.object_counts()["Paper"] == len(ODD_IDS) + 1
