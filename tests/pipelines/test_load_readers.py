"""Readers never block the load, the load never breaks readers (pipelines.warehouse.db)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from flows.cli import main
from pipelines.warehouse.db import WarehouseBusy, open_reader, open_writer, writer_lock
from schemas.staging import JsonlWriter, StagingArea
from schemas.items import Paper

PROJECT_ROOT = Path(__file__).resolve().parents[2]

READER = """
import sys
from pipelines.warehouse.db import open_reader
con = open_reader(sys.argv[1])
print(con.execute("SELECT count(*) FROM paper").fetchone()[0], flush=True)
sys.stdin.readline()  # the parent loads meanwhile
print(con.execute("SELECT count(*) FROM paper").fetchone()[0], flush=True)
print(con.execute("SELECT count(*) FROM search_document").fetchone()[0], flush=True)
"""


def stage_papers(data_dir: Path, crawl_id: str, ids, started: str) -> StagingArea:
    staging = StagingArea(data_dir, crawl_id).create()
    staging.update_manifest(crawlId=crawl_id, source="musterstadt", system="allris_classic", startedAt=started,
                            status="finished")
    writer = JsonlWriter(staging.items_path)
    for i in ids:
        writer.write(Paper(source="musterstadt", system="allris_classic", systemId=str(i), url=f"http://x/vo?{i}",
                           name=f"Vorlage {i}").to_dict())
    writer.close()
    return staging


def count(db: Path) -> int:
    con = open_reader(db)
    try:
        return con.execute("SELECT count(*) FROM paper").fetchone()[0]
    finally:
        con.close()


def test_a_reader_holding_the_file_neither_blocks_the_load_nor_breaks(tmp_path):
    data, db = tmp_path / "data", tmp_path / "ratsinfo.duckdb"
    stage_papers(data, "c1", [1], "2026-11-01T02:00:00+00:00")
    assert main(["load", "c1", "--data-dir", str(data), "--db", str(db)]) == 0
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db)], cwd=PROJECT_ROOT, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert reader.stdout.readline().strip() == "1"  # the reader holds a read-only connection now
        stage_papers(data, "c2", [2, 3], "2026-11-02T02:00:00+00:00")
        assert main(["load", "c2", "--data-dir", str(data), "--db", str(db)]) == 0
        assert count(db) == 3  # new readers see the new data
        out, err = reader.communicate("\n", timeout=60)
    finally:
        reader.kill()
    assert reader.returncode == 0, err
    assert out.split() == ["1", "1"]  # the old reader kept reading its snapshot to the end


def test_read_commands_open_read_only(tmp_path, capsys):
    data, db = tmp_path / "data", tmp_path / "ratsinfo.duckdb"
    stage_papers(data, "c1", [1], "2026-11-01T02:00:00+00:00")
    assert main(["load", "c1", "--data-dir", str(data), "--db", str(db)]) == 0
    before = db.stat().st_mtime_ns
    assert main(["search", "Vorlage", "--db", str(db)]) == 0
    assert main(["export", "-o", str(tmp_path / "x.csv"), "--db", str(db)]) == 0
    assert main(["changes", "--since", "2026-01-01", "--db", str(db)]) == 0
    assert db.stat().st_mtime_ns == before
    assert main(["search", "Vorlage", "--db", str(tmp_path / "missing.duckdb")]) == 2
    assert "no warehouse" in capsys.readouterr().err


def test_a_load_waits_for_another_writer_and_says_so(tmp_path, capsys, monkeypatch):
    data, db = tmp_path / "data", tmp_path / "ratsinfo.duckdb"
    stage_papers(data, "c1", [1], "2026-11-01T02:00:00+00:00")
    monkeypatch.setattr("pipelines.warehouse.db.MESSAGE_EVERY", 0.5)
    held = threading.Event()

    def other_writer():
        with writer_lock(db, wait=5):
            held.set()
            time.sleep(1.5)

    thread = threading.Thread(target=other_writer)
    thread.start()
    held.wait(5)
    start = time.monotonic()
    assert main(["load", "c1", "--data-dir", str(data), "--db", str(db)]) == 0
    thread.join()
    assert time.monotonic() - start >= 1.0
    assert "another load is writing" in capsys.readouterr().err
    assert count(db) == 1


def test_a_load_gives_up_after_the_bound_with_one_line(tmp_path, capsys, monkeypatch):
    data, db = tmp_path / "data", tmp_path / "ratsinfo.duckdb"
    stage_papers(data, "c1", [1], "2026-11-01T02:00:00+00:00")
    monkeypatch.setenv("RATSINFO_LOCK_WAIT", "0.5")
    with writer_lock(db, wait=1):
        assert main(["load", "c1", "--data-dir", str(data), "--db", str(db)]) == 2
    assert "another load holds" in capsys.readouterr().err.strip().splitlines()[-1]
    assert not db.exists()


def test_a_failing_block_publishes_what_was_committed(tmp_path):
    db = tmp_path / "ratsinfo.duckdb"
    with pytest.raises(RuntimeError):
        with open_writer(db) as con:
            con.execute("""INSERT INTO source ("source") VALUES ('a')""")
            raise RuntimeError("boom")
    assert count(db) == 0
    con = open_reader(db)
    assert con.execute("SELECT count(*) FROM source").fetchone()[0] == 1
    con.close()
    assert not db.with_name(db.name + ".work").exists()


def test_the_writer_bound_is_a_setting(monkeypatch):
    from pipelines.warehouse.db import lock_wait_from_env

    monkeypatch.setenv("RATSINFO_LOCK_WAIT", "12")
    assert lock_wait_from_env() == 12.0
    monkeypatch.delenv("RATSINFO_LOCK_WAIT")
    assert lock_wait_from_env() == 600.0
    assert issubclass(WarehouseBusy, RuntimeError)


def _storage_version(path: Path) -> str:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        (tags,) = con.execute("SELECT tags FROM duckdb_databases() WHERE NOT internal AND path IS NOT NULL").fetchone()
    finally:
        con.close()
    return tags["storage_version"]


def test_a_new_warehouse_is_written_in_the_pinned_duckdbs_format_and_an_old_one_keeps_its_own(tmp_path):
    """New files in the storage format of DuckDB 1.5 (its compression makes the load's commit cheaper); a file
    created in the default format (readable since DuckDB 0.10.2) stays in it and loads and publishes as before."""
    import duckdb

    from pipelines.warehouse.db import STORAGE_VERSION
    from pipelines.warehouse.load import load_crawl

    staging = StagingArea(tmp_path / "data", "c1").create()
    staging.update_manifest(crawlId="c1", source="s", startedAt="2026-11-01T02:00:00+00:00", status="finished")
    writer = JsonlWriter(staging.items_path)
    writer.write(Paper(source="s", system="allris_classic", systemId="1", name="Integrationsrat").to_staged())
    writer.close()

    new, old = tmp_path / "new.duckdb", tmp_path / "old.duckdb"
    duckdb.connect(str(old)).close()  # what ratsinfo created before December 2026
    for path in (new, old):
        with open_writer(path) as con:
            load_crawl(staging, con)
    assert _storage_version(new) == STORAGE_VERSION + "+"
    assert _storage_version(old) == "v1.0.0+"
    for path in (new, old):
        with open_reader(path) as con:
            assert con.execute('SELECT "name" FROM paper').fetchall() == [("Integrationsrat",)]


PANDAS_LOOKUPS = """
import importlib.util, sys
installed = importlib.util.find_spec("pandas") is not None
import pipelines.warehouse.db  # noqa: F401 (what every warehouse connection imports)
import duckdb
looked = []
class Counting:
    def find_spec(self, name, path=None, target=None):
        if name == "pandas":
            looked.append(name)
        return None
sys.meta_path.insert(0, Counting())
con = duckdb.connect()
for n in range(20):
    con.execute("SELECT ?", [n]).fetchone()
print(installed, len(looked), sys.modules.get("pandas") is not None)
"""


def test_duckdb_stops_looking_for_a_pandas_that_is_not_installed():
    # DuckDB's client tries to import pandas on every execute with parameters; without pandas
    # each try searched sys.path again (about an eighth of a load's time).
    result = subprocess.run([sys.executable, "-c", PANDAS_LOOKUPS], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            check=True)
    installed, lookups, imported = result.stdout.split()
    if installed == "True":  # nothing changes where pandas is there
        assert imported == "True"
    else:
        assert lookups == "0", "the execute()s searched sys.path for pandas again"
