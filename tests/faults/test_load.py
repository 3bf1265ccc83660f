"""Faults at load time: crashes, readers, broken staged lines, duplicates, reloads, crawls out of order."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.cli import main
from pipelines.warehouse.db import open_reader
from schemas.staging import JsonlWriter, StagingArea
from schemas.items import Consultation, File, Paper

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def stage(data: Path, crawl_id: str, items, started: str, status: str = "finished") -> StagingArea:
    staging = StagingArea(data, crawl_id).create()
    staging.update_manifest(crawlId=crawl_id, source="musterstadt", system="allris_classic", startedAt=started,
                            status=status)
    writer = JsonlWriter(staging.items_path)
    for item in items:
        writer.write(item.to_dict())
    writer.close()
    return staging


def papers(ids, **kw):
    for i in ids:
        yield Paper(source="musterstadt", system="allris_classic", systemId=str(i), url=f"http://x/vo020.asp?VOLFDNR={i}",
                    reference=f"VO/{i}", name=f"Vorlage {i}", **kw)
        yield Consultation(source="musterstadt", system="allris_classic", systemId=f"{i}-1", paper=str(i),
                           url=f"http://x/vo020.asp?VOLFDNR={i}", role="Entscheidung")
        yield File(source="musterstadt", system="allris_classic", systemId=f"d{i}", parentType="Paper", parent=str(i),
                   url=f"http://x/vo020.asp?VOLFDNR={i}", role="mainFile", text=f"Sachverhalt {i} " * 50)


def load(data: Path, db: Path, *crawl_ids: str) -> int:
    return main(["load", *crawl_ids, "--data-dir", str(data), "--db", str(db)])


def rows(db: Path, sql: str):
    con = open_reader(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def snapshot(db: Path) -> dict[str, list]:
    return {t: rows(db, f'SELECT * EXCLUDE ("crawlId", "contentHash") FROM {t} ORDER BY "systemId"')
            for t in ("paper", "consultation", "file")}


@pytest.mark.slow
@pytest.mark.fault(kind="load killed (kill -9) mid-load, then rerun", outcome="ok")
def test_kill_9_mid_load_then_rerun_loses_and_duplicates_nothing(tmp_path):
    data, db, clean = tmp_path / "data", tmp_path / "ratsinfo.duckdb", tmp_path / "clean.duckdb"
    stage(data, "c0", papers(range(0, 50)), "2026-11-01T02:00:00+00:00")
    stage(data, "c1", papers(range(25, 3025)), "2026-11-02T02:00:00+00:00")
    assert load(data, db, "c0") == 0
    published = snapshot(db)
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    child = subprocess.Popen([sys.executable, "-m", "flows.cli", "load", "c1", "--data-dir", str(data), "--db", str(db)],
                             cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    work = db.with_name(db.name + ".work")
    deadline = time.monotonic() + 60
    while not work.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)  # into the load's transaction
    child.send_signal(signal.SIGKILL)
    child.wait(30)
    assert child.returncode == -signal.SIGKILL, "the load ended before it could be killed"
    assert snapshot(db) == published  # readers never saw a half load
    assert load(data, db, "c1") == 0
    assert load(data, clean, "c0", "c1") == 0
    assert snapshot(db) == snapshot(clean)
    assert rows(db, 'SELECT count(*), count(DISTINCT "systemId") FROM paper') == [(3025, 3025)]


@pytest.mark.fault(kind="reader holds the warehouse open during a load", outcome="ok")
def test_a_reader_holding_the_file_does_not_fail_the_load(tmp_path):
    data, db = tmp_path / "data", tmp_path / "ratsinfo.duckdb"
    stage(data, "c1", papers([1]), "2026-11-01T02:00:00+00:00")
    stage(data, "c2", papers([2]), "2026-11-02T02:00:00+00:00")
    assert load(data, db, "c1") == 0
    reader = subprocess.Popen(
        [sys.executable, "-c", "import sys, duckdb; c = duckdb.connect(sys.argv[1], read_only=True); "
         "print(c.execute('SELECT count(*) FROM paper').fetchone()[0], flush=True); sys.stdin.readline(); "
         "print(c.execute('SELECT count(*) FROM paper').fetchone()[0], flush=True)", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "1"
        assert load(data, db, "c2") == 0
        out, _ = reader.communicate("\n", timeout=60)
    finally:
        reader.kill()
    assert out.strip() == "1" and reader.returncode == 0
    assert rows(db, "SELECT count(*) FROM paper") == [(2,)]


@pytest.mark.fault(kind="broken line in items.jsonl (interrupted write, garbage)", outcome="recorded")
def test_a_broken_staged_line_is_recorded_and_the_rest_loaded(tmp_path):
    data, db = tmp_path / "data", tmp_path / "ratsinfo.duckdb"
    staging = stage(data, "c1", papers([1]), "2026-11-01T02:00:00+00:00")
    with staging.items_path.open("a", encoding="utf-8") as fh:
        fh.write('{"type": "Paper", "source": "musterstadt", "systemId": "9", "name": "hal\n')
        fh.write("\x00\x01garbage\n")
        fh.write(json.dumps(next(papers([2])).to_dict()) + "\n")
    assert load(data, db, "c1") == 0
    assert rows(db, 'SELECT "systemId" FROM paper ORDER BY 1') == [("1",), ("2",)]
    failures = rows(db, """SELECT "url", "kind", "error" FROM parse_failure ORDER BY "url" """)
    assert [(url.rsplit("#", 1)[1], kind) for url, kind, _ in failures] == [("line=4", "staged-line"), ("line=5", "staged-line")]
    assert all("broken JSON line" in error for _, _, error in failures)


@pytest.mark.fault(kind="staged item of an unknown type", outcome="recorded")
def test_an_unknown_item_type_is_recorded(tmp_path):
    data, db = tmp_path / "data", tmp_path / "ratsinfo.duckdb"
    staging = stage(data, "c1", papers([1]), "2026-11-01T02:00:00+00:00")
    with staging.items_path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"type": "Vorlage", "source": "musterstadt", "systemId": "2"}) + "\n")
    assert load(data, db, "c1") == 0
    assert rows(db, """SELECT "error" FROM parse_failure""") == [("unknown item type Vorlage",)]
    assert rows(db, "SELECT count(*) FROM paper") == [(1,)]


@pytest.mark.fault(kind="one id from two URLs with different values in one crawl", outcome="recorded")
def test_conflicting_duplicates_are_recorded_not_silently_last_win(tmp_path):
    data, db = tmp_path / "data", tmp_path / "ratsinfo.duckdb"
    first = Paper(source="musterstadt", system="allris_classic", systemId="1", url="http://x/vo020.asp?VOLFDNR=1",
                  name="Integrationskonzept", reference="VO/1")
    second = Paper(source="musterstadt", system="allris_classic", systemId="1", url="http://x/vo020.asp?VOLFDNR=1&x=1",
                   name="Haushalt 2027", reference="VO/1")
    stage(data, "c1", [first, second], "2026-11-01T02:00:00+00:00")
    assert load(data, db, "c1") == 0
    (field, values, winner_url), = rows(db, 'SELECT "field", "values", "winnerUrl" FROM load_conflict')
    assert field == "name"
    assert [(v["url"], json.loads(v["value"])) for v in values] == [
        ("http://x/vo020.asp?VOLFDNR=1", "Integrationskonzept"), ("http://x/vo020.asp?VOLFDNR=1&x=1", "Haushalt 2027")
    ]
    assert winner_url == "http://x/vo020.asp?VOLFDNR=1&x=1"
    assert rows(db, 'SELECT "name" FROM paper') == [("Haushalt 2027",)]


@pytest.mark.fault(kind="the same crawl loaded twice", outcome="ok")
def test_loading_a_crawl_twice_changes_nothing(tmp_path):
    data, db = tmp_path / "data", tmp_path / "ratsinfo.duckdb"
    stage(data, "c1", papers(range(5)), "2026-11-01T02:00:00+00:00")
    assert load(data, db, "c1") == 0
    before = rows(db, "SELECT * FROM paper ORDER BY ALL"), rows(db, "SELECT * EXCLUDE (\"loadedAt\") FROM history ORDER BY ALL")
    assert load(data, db, "c1") == 0
    after = rows(db, "SELECT * FROM paper ORDER BY ALL"), rows(db, "SELECT * EXCLUDE (\"loadedAt\") FROM history ORDER BY ALL")
    assert after == before


@pytest.mark.fault(kind="an older crawl loaded after a newer one", outcome="ok")
def test_an_older_crawl_never_overwrites_a_newer_one(tmp_path):
    data, db = tmp_path / "data", tmp_path / "ratsinfo.duckdb"
    stage(data, "new", papers([1], status="erledigt"), "2026-11-02T02:00:00+00:00")
    stage(data, "old", papers([1], status="in Beratung"), "2026-11-01T02:00:00+00:00")
    assert load(data, db, "new", "old") == 0
    assert rows(db, 'SELECT "status" FROM paper') == [("erledigt",)]
    assert rows(db, """SELECT count(*) FROM history WHERE "crawlId" = 'old'""") == [(0,)]


@pytest.mark.fault(kind="interrupted crawl: objects not seen again", outcome="ok")
def test_an_interrupted_crawl_marks_nothing_vanished(tmp_path):
    data, db = tmp_path / "data", tmp_path / "ratsinfo.duckdb"
    stage(data, "c1", papers([1, 2]), "2026-11-01T02:00:00+00:00")
    stage(data, "c2", papers([1]), "2026-11-02T02:00:00+00:00", status="interrupted")
    assert load(data, db, "c1", "c2") == 0
    assert rows(db, 'SELECT count(*) FROM paper WHERE "vanishedAt" IS NOT NULL OR "deleted"') == [(0,)]
