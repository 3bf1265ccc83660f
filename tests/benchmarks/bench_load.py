"""Benchmark: the load (pipelines.warehouse.load) against DuckDB just reading the same staged rows, at 1×, 2×, 4×.

    .venv/bin/python tests/benchmarks/bench_load.py [--staged DIR] [--factors 1,2,4] [--runs 3] [--threads 1]

Stages the Karlsruhe OParl export (14,004 papers with their consultations,
files, meetings and agenda items) by crawling it from ``tests/oparl_server.py``
on 127.0.0.1 (or takes an already staged crawl folder with ``--staged``), then
builds crawls of 2× and 4× its size by repeating every item under other source
slugs. For each size and run, in fresh child processes and a fresh DuckDB file:

* ``load``: ``pipelines.warehouse.load.load_crawl`` into an empty warehouse
  (read, merge, conflicts, history, OParl settling, enrichment, views, commit),
  then the same crawl again (``reload``: nothing changes);
* ``publish``: the same crawl a third time through ``pipelines.warehouse.db.open_writer``,
  as ``ratsinfo load`` runs it, to price what keeps readers unblocked: copying the
  published file to the working copy, and the checkpoint, fsync and rename that publish it;
* ``floor``: the least a load of these rows costs: ``stage_items`` reads them as
  the load does, each item table's fields go into the warehouse's tables as staged
  (same schema; a key staged twice keeps its first row), one
  commit; no merge, bookkeeping columns, history, OParl settling, enrichment,
  derived tables or views;
* ``read``: DuckDB alone, ``CREATE TABLE … AS SELECT * FROM read_json(items.jsonl, columns=…)``
  into a fresh file and committed, with the columns and types the load reads them with
  (``pipelines.warehouse.load.staged_columns``: the fields the crawl's manifest lists in
  ``stagedKeys`` for the file as it is, else every item field) and the same threads and memory limit.
  (Before December 2026 the types were auto-detected from a sample of lines; a staged
  line now leaves out its empty fields, and a sample cannot see every key.)

**rows/s** counts staged item lines (``items.jsonl`` lines) per second of wall-clock
time of one ``load_crawl`` call (for ``read``: of the one statement); ``cpu_s`` is the
process CPU time of that call, which shows the work when other jobs share the machine.
Prints one JSON line per size with the median over the runs (each run's figures
under ``runs``) and the largest peak RSS (``ru_maxrss`` of the child process) of
each. The load runs with its defaults (``RATSINFO_LOAD_THREADS=1``,
``RATSINFO_LOAD_MEMORY=320MB``) unless ``--threads``/``--memory`` say otherwise.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

LOAD = """
import json, resource, sys, time
from pathlib import Path
from pipelines.warehouse import db
from pipelines.warehouse.load import connect, load_crawl
from schemas.staging import StagingArea
staging = StagingArea(Path(sys.argv[1]), sys.argv[2])
path = Path(sys.argv[3])
con = connect(path)
times, cpu = [], []
for _ in range(2):
    start, start_cpu = time.perf_counter(), time.process_time()
    report = load_crawl(staging, con)
    times.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)
con.close()
changed = sum(t.inserted + t.updated for t in report.tables.values())
# What ratsinfo load adds around load_crawl: the working copy, then checkpoint + fsync + rename.
copy = db.shutil.copyfile
spent = {}
def timed_copy(*args, **kwargs):
    start = time.perf_counter()
    result = copy(*args, **kwargs)
    spent["copy"] = time.perf_counter() - start
    return result
db.shutil.copyfile = timed_copy
size = path.stat().st_size
start = time.perf_counter()
with db.open_writer(path) as con:
    opened = time.perf_counter()
    load_crawl(staging, con)
    loaded = time.perf_counter()
published = time.perf_counter()
print(json.dumps({"seconds": times, "cpu": cpu, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "conflicts": report.conflicts, "reload_changed": changed, "db_mib": size / 2**20,
                  "copy_s": spent.get("copy", 0.0), "open_s": opened - start, "publish_s": published - loaded}))
"""

# The least a load of these rows can cost: read as load_crawl reads them (stage_items), each
# item table's fields inserted as staged (keys staged twice: the first kept) into the
# warehouse's tables (same schema), one commit. No merge, bookkeeping
# columns, history, OParl settling, enrichment, derived tables or views.
FLOOR = """
import json, resource, sys, time
from pathlib import Path
from pipelines.warehouse.load import connect, stage_items, staged_columns, _tune
from schemas.items import ITEM_TYPES
from schemas.staging import StagingArea
from schemas.warehouse import item_columns, q
items = Path(sys.argv[1])
columns = staged_columns(StagingArea(items.parents[2], items.parent.name).staged_keys())
con = connect(Path(sys.argv[2]))
_tune(con)
start, start_cpu = time.perf_counter(), time.process_time()
stage_items(con, items, columns)
con.execute("BEGIN")
for item_type in ITEM_TYPES:
    names = ", ".join(q(c) for c in item_columns(item_type))
    con.execute(f"INSERT INTO {item_type.table} ({names}) SELECT {names} FROM raw_{item_type.table} "
                "QUALIFY row_number() OVER (PARTITION BY source, systemId ORDER BY rn) = 1")
con.execute("COMMIT")
seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
print(json.dumps({"seconds": [seconds], "cpu": [cpu], "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

READ = """
import json, resource, sys, time
from pathlib import Path
import duckdb
from pipelines.warehouse.load import MAX_LINE_BYTES, staged_columns
from schemas.staging import StagingArea
items = Path(sys.argv[1])
columns = staged_columns(StagingArea(items.parents[2], items.parent.name).staged_keys())
con = duckdb.connect(sys.argv[2])
con.execute(f"SET memory_limit = '{sys.argv[3]}'")
con.execute(f"SET threads = {int(sys.argv[4])}")
start, start_cpu = time.perf_counter(), time.process_time()
rows = con.execute("CREATE TABLE items AS SELECT * FROM read_json(?, format='newline_delimited', columns=?, "
                   f"maximum_object_size={MAX_LINE_BYTES})", [sys.argv[1], columns]).fetchone()[0]
seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
print(json.dumps({"seconds": [seconds], "cpu": [cpu], "rows": rows,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def child(code: str, *args: str, memory: str, threads: int) -> dict:
    import os

    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "RATSINFO_LOAD_MEMORY": memory,
           "RATSINFO_LOAD_THREADS": str(threads)}
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"child failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def stage_karlsruhe(folder: Path) -> Path:
    """Crawl the Karlsruhe export from a local OParl server into ``folder``; return the staged crawl folder."""
    from tests.conftest import corpus_path
    from tests.oparl_server import OParlTestServer

    fast = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False", "--set", "RATSINFO_DOWNLOAD_FILES=none",
            "--set", "LOG_LEVEL=WARNING"]
    with OParlTestServer(corpus_path(), karlsruhe_papers=None, page_size=100) as server:
        subprocess.run(
            [sys.executable, "-m", "flows.cli", "crawl", server.karlsruhe_system, "--no-load", "--source", "karlsruhe",
             "--data-dir", str(folder / "data"), "--db", str(folder / "unused.duckdb"), *fast],
            cwd=PROJECT_ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    (crawl,) = (folder / "data" / "staging").iterdir()
    return crawl


def replicate(staged: Path, data_dir: Path, factor: int) -> tuple[str, int]:
    """Write a crawl of ``factor`` × the staged one (items repeated under other source slugs); return (id, rows)."""
    manifest = json.loads((staged / "crawl.json").read_text())
    source = manifest["source"]
    crawl_id = f"bench-{factor}x"
    target = data_dir / "staging" / crawl_id
    target.mkdir(parents=True)
    manifest["crawlId"] = crawl_id
    (target / "crawl.json").write_text(json.dumps(manifest))
    for name in ("pages.jsonl", "failures.jsonl"):
        if (staged / name).exists():
            shutil.copyfile(staged / name, target / name)
    needle = f'"source": "{source}"'
    rows = 0
    with (target / "items.jsonl").open("w", encoding="utf-8") as out:
        for copy in range(factor):
            replacement = needle if copy == 0 else f'"source": "{source}-{copy}"'
            with (staged / "items.jsonl").open(encoding="utf-8") as fh:
                for line in fh:
                    out.write(line.replace(needle, replacement, 1))
                    rows += 1
    if isinstance(manifest.get("stagedKeys"), list):  # the same keys, in a file of another size
        manifest["stagedKeysBytes"] = (target / "items.jsonl").stat().st_size
        (target / "crawl.json").write_text(json.dumps(manifest))
    return crawl_id, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staged", type=Path, help="a staged crawl folder to use instead of crawling Karlsruhe")
    parser.add_argument("--factors", default="1,2,4")
    parser.add_argument("--runs", type=int, default=3, help="runs per size; the medians are printed")
    parser.add_argument("--memory", default="320MB", help="RATSINFO_LOAD_MEMORY and DuckDB's limit for the read")
    parser.add_argument("--threads", type=int, default=1, help="RATSINFO_LOAD_THREADS and DuckDB's threads for the read")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        folder = Path(tmp)
        staged = args.staged or stage_karlsruhe(folder)
        for factor in (int(f) for f in args.factors.split(",")):
            data_dir = folder / f"x{factor}"
            crawl_id, rows = replicate(staged, data_dir, factor)
            items = str(data_dir / "staging" / crawl_id / "items.jsonl")
            runs = []
            for run in range(args.runs):
                for name in ("read.duckdb", "w.duckdb", "floor.duckdb"):
                    for leftover in data_dir.glob(name + "*"):
                        leftover.unlink()
                read = child(READ, items, str(data_dir / "read.duckdb"), args.memory, str(args.threads),
                             memory=args.memory, threads=args.threads)
                floor = child(FLOOR, items, str(data_dir / "floor.duckdb"), memory=args.memory, threads=args.threads)
                load = child(LOAD, str(data_dir), crawl_id, str(data_dir / "w.duckdb"), memory=args.memory,
                             threads=args.threads)
                runs.append({
                    "load_s": round(load["seconds"][0], 2),
                    "load_cpu_s": round(load["cpu"][0], 2),
                    "reload_s": round(load["seconds"][1], 2),
                    "reload_cpu_s": round(load["cpu"][1], 2),
                    "floor_s": round(floor["seconds"][0], 2),
                    "floor_cpu_s": round(floor["cpu"][0], 2),
                    "read_s": round(read["seconds"][0], 2),
                    "read_cpu_s": round(read["cpu"][0], 2),
                    "publish_copy_s": round(load["copy_s"], 2),
                    "publish_s": round(load["publish_s"], 2),
                    "db_mib": round(load["db_mib"]),
                    "load_peak_mib": round(load["peak_mib"]),
                    "read_peak_mib": round(read["peak_mib"]),
                    "conflicts": load["conflicts"],
                    "reload_changed_rows": load["reload_changed"],
                })

            def median(key: str) -> float:
                return statistics.median(r[key] for r in runs)

            print(json.dumps({
                "factor": factor,
                "rows": rows,
                "items_mib": round(Path(items).stat().st_size / 2**20, 1),
                "threads": args.threads,
                "load_s": median("load_s"),
                "load_rows_per_s": round(rows / median("load_s")),
                "load_cpu_rows_per_s": round(rows / median("load_cpu_s")),
                "reload_rows_per_s": round(rows / median("reload_s")),
                "reload_cpu_rows_per_s": round(rows / median("reload_cpu_s")),
                "floor_rows_per_s": round(rows / median("floor_s")),
                "floor_cpu_rows_per_s": round(rows / median("floor_cpu_s")),
                "duckdb_read_rows_per_s": round(rows / median("read_s")),
                "duckdb_read_cpu_rows_per_s": round(rows / median("read_cpu_s")),
                "load_vs_read": round(median("read_s") / median("load_s"), 2),
                "publish_copy_s": median("publish_copy_s"),
                "publish_s": median("publish_s"),
                "db_mib": median("db_mib"),
                "load_peak_mib": max(r["load_peak_mib"] for r in runs),
                "read_peak_mib": max(r["read_peak_mib"] for r in runs),
                "conflicts": runs[0]["conflicts"],
                "reload_changed_rows": max(r["reload_changed_rows"] for r in runs),
                "runs": runs,
            }), flush=True)
            shutil.rmtree(data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
