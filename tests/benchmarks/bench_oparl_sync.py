"""Benchmark: a full OParl crawl + load of the whole Karlsruhe dump, then an incremental one.

    .venv/bin/python tests/benchmarks/bench_oparl_sync.py [--papers N] [--page-size 100] [--changed 0.01]

Serves the real dump (14,004 papers, the 2,609 meetings, 97 organizations)
from ``tests/oparl_server.py`` on 127.0.0.1, runs ``ratsinfo crawl --no-load``
and ``ratsinfo load`` as child processes (no download delay, files not
downloaded), then changes a share of the papers on the server and runs the
incremental crawl. Prints, per step, wall time, CPU time of the crawl's
processes, objects per second (wall and CPU) and the peak memory (max RSS)
of the step's processes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

from tests.conftest import corpus_path  # noqa: E402
from tests.oparl_server import OParlTestServer  # noqa: E402

FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False", "--set", "RATSINFO_DOWNLOAD_FILES=none",
        "--set", "LOG_LEVEL=WARNING"]
# Runs a command and prints the peak RSS (KiB) and the CPU seconds of it and its descendants on the last line.
PEAK = "import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); " \
       "u = resource.getrusage(resource.RUSAGE_CHILDREN); print(u.ru_maxrss, u.ru_utime + u.ru_stime); sys.exit(code)"


def measured(command: list[str], cwd: Path) -> tuple[float, float, float, str]:
    """Run ``command``; return (wall seconds, CPU seconds, peak MiB, its stdout without the last line)."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", PEAK, *command], cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} failed:\n{result.stderr[-3000:]}")
    *lines, last = result.stdout.strip().splitlines()
    peak, cpu = last.split()
    return seconds, float(cpu), int(peak) / 1024, "\n".join(lines)


def crawl_and_load(url: str, folder: Path, label: str) -> dict:
    cli = [sys.executable, "-m", "flows.cli"]
    data, db = str(folder / "data"), str(folder / "w.duckdb")
    crawl_s, crawl_cpu, crawl_mb, out = measured([*cli, "crawl", url, "--no-load", "--data-dir", data, "--db", db, *FAST], folder)
    manifest = json.loads(out.splitlines()[-1])
    items = sum((manifest.get("itemCounts") or {}).values())
    load_s, load_cpu, load_mb, _ = measured([*cli, "load", manifest["crawlId"], "--data-dir", data, "--db", db], folder)
    row = {
        "step": label,
        "requests": manifest.get("requests"),
        "items": items,
        "crawl_s": round(crawl_s, 1),
        "crawl_cpu_s": round(crawl_cpu, 1),  # the crawl's processes only (the server runs in this one)
        "items_per_s": round(items / crawl_s) if crawl_s else None,
        "items_per_cpu_s": round(items / crawl_cpu) if crawl_cpu else None,
        "crawl_peak_mib": round(crawl_mb),
        "load_s": round(load_s, 1),
        "load_rows_per_s": round(items / load_s) if load_s else None,
        "load_peak_mib": round(load_mb),
    }
    print(json.dumps(row))
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=None, help="only the first N papers (default: all)")
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--changed", type=float, default=0.01, help="share of papers changed before the second run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-oparl-") as tmp, OParlTestServer(
        corpus_path(), karlsruhe_papers=args.papers, page_size=args.page_size
    ) as server:
        folder = Path(tmp)
        papers = server.somacos_lists["/oparl/bodies/0001/papers"][1]
        print(f"serving {len(papers)} papers, {len(server.somacos_lists['/oparl/bodies/0001/meetings'][1])} meetings "
              f"at {server.karlsruhe_system}, {args.page_size} per page", file=sys.stderr)
        crawl_and_load(server.karlsruhe_system, folder, "full")
        live = [p["id"] for p in papers if not p.get("deleted")]
        step = max(1, int(1 / args.changed)) if args.changed > 0 else len(live) + 1
        for paper_id in live[::step]:
            server.touch(paper_id, name="changed")
        mark = len(server.requests)
        crawl_and_load(server.karlsruhe_system, folder, f"incremental ({len(live[::step])} papers changed)")
        print(f"incremental run: {len(server.requests) - mark} requests", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
