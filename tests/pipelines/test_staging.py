"""The staging files survive a killed writer: a line cut short costs only itself."""

from __future__ import annotations

from schemas.staging import JsonlWriter, read_jsonl


def test_a_line_cut_short_by_a_kill_does_not_swallow_the_next_run_s_first_line(tmp_path):
    path = tmp_path / "items.jsonl"
    writer = JsonlWriter(path)
    writer.write({"n": 1})
    writer.close()
    with path.open("a", encoding="utf-8") as fh:
        fh.write('{"n": 2, "text": "cut sh')  # the process was killed in the middle of this line
    resumed = JsonlWriter(path)
    resumed.write({"n": 3})
    resumed.close()
    assert [obj["n"] for obj in read_jsonl(path)] == [1, 3]


def test_listeners_see_and_may_complete_each_object_before_it_is_written(tmp_path):
    path = tmp_path / "failures.jsonl"
    writer = JsonlWriter(path)
    seen = []
    writer.listeners.append(lambda obj: (seen.append(dict(obj)), obj.setdefault("outcome", "failed")))
    writer.write({"url": "http://127.0.0.1/x"})
    writer.sync()
    assert seen == [{"url": "http://127.0.0.1/x"}]
    assert list(read_jsonl(path)) == [{"url": "http://127.0.0.1/x", "outcome": "failed"}]
    writer.close()
    writer.close()  # closing twice is harmless (the spider and Scrapy may both close it)
