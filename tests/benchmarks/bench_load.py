"""Benchmark: the load (pipelines.warehouse.load) against DuckDB just reading the same staged rows, at 1×, 2×, 4×.

    .venv/bin/python tests/benchmarks/bench_load.py [--staged DIR] [--factors 1,2,4] [--memory 256MB]

Stages the Karlsruhe OParl export (14,004 papers with their consultations,
files, meetings and agenda items) by crawling it from ``tests/oparl_server.py``
on 127.0.0.1 (or takes an already staged crawl folder with ``--staged``), then
builds crawls of 2× and 4× its size by repeating every item under other source
slugs. For each size, in fresh child processes and a fresh DuckDB file:

* ``load``: ``pipelines.warehouse.load.load_crawl`` (merge, history, conflicts, OParl
  reconciliation, enrichment, commit), then the same crawl again (``reload``:
  nothing changes);
* ``read``: DuckDB alone, ``CREATE TABLE … AS SELECT * FROM read_json(items.jsonl)``.

Prints one JSON line per size: rows, seconds, rows/s of each, their ratio and
the peak RSS (``ru_maxrss`` of the child process) of each. The load runs with
its defaults (``RATSINFO_LOAD_THREADS=1``, ``RATSINFO_LOAD_MEMORY=320MB``);
with two threads a 4× crawl needs more than 320MB.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

LOAD = """
import json, resource, sys, time
from pathlib import Path
from pipelines.warehouse.load import connect, load_crawl
from schemas.staging import StagingArea
staging = StagingArea(Path(sys.argv[1]), sys.argv[2])
con = connect(Path(sys.argv[3]))
times = []
for _ in range(int(sys.argv[4])):
    start = time.perf_counter()
    report = load_crawl(staging, con)
    times.append(time.perf_counter() - start)
con.close()
print(json.dumps({"seconds": times, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "conflicts": report.conflicts,
                  "reload_changed": sum(t.inserted + t.updated for t in report.tables.values())}))
"""

READ = """
import json, resource, sys, time
import duckdb
con = duckdb.connect(sys.argv[2])
con.execute(f"SET memory_limit = '{sys.argv[3]}'")
start = time.perf_counter()
rows = con.execute("CREATE TABLE items AS SELECT * FROM read_json(?, format='newline_delimited', "
                   "maximum_object_size=16777216)", [sys.argv[1]]).fetchone()[0]
seconds = time.perf_counter() - start
print(json.dumps({"seconds": [seconds], "rows": rows, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def child(code: str, *args: str, env_memory: str) -> dict:
    import os

    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "RATSINFO_LOAD_MEMORY": env_memory}
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
    return crawl_id, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staged", type=Path, help="a staged crawl folder to use instead of crawling Karlsruhe")
    parser.add_argument("--factors", default="1,2,4")
    parser.add_argument("--memory", default="320MB", help="RATSINFO_LOAD_MEMORY and DuckDB's limit for the read")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        folder = Path(tmp)
        staged = args.staged or stage_karlsruhe(folder)
        for factor in (int(f) for f in args.factors.split(",")):
            data_dir = folder / f"x{factor}"
            crawl_id, rows = replicate(staged, data_dir, factor)
            items = str(data_dir / "staging" / crawl_id / "items.jsonl")
            read = child(READ, items, str(data_dir / "read.duckdb"), args.memory, env_memory=args.memory)
            load = child(LOAD, str(data_dir), crawl_id, str(data_dir / "w.duckdb"), "2", env_memory=args.memory)
            first, again = load["seconds"]
            print(json.dumps({
                "factor": factor,
                "rows": rows,
                "load_s": round(first, 1),
                "load_rows_per_s": round(rows / first),
                "reload_rows_per_s": round(rows / again),
                "duckdb_read_s": round(read["seconds"][0], 1),
                "duckdb_read_rows_per_s": round(rows / read["seconds"][0]),
                "load_vs_read": round(read["seconds"][0] / first, 2),
                "load_peak_mib": round(load["peak_mib"]),
                "read_peak_mib": round(read["peak_mib"]),
                "conflicts": load["conflicts"],
                "reload_changed_rows": load["reload_changed"],
            }), flush=True)
            shutil.rmtree(data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
