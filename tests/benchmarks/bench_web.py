"""Benchmark: page times of ``ratsinfo web`` on the whole Karlsruhe export.

    .venv/bin/python tests/benchmarks/bench_web.py [--db W.duckdb] [--keep DIR] [--repeat 5]

Without ``--db`` it builds the warehouse first the way ``bench_oparl_sync.py``
does: serves the real dump (14,004 papers) from ``tests/oparl_server.py`` on
127.0.0.1, runs ``ratsinfo crawl --no-load`` and ``ratsinfo load`` as child
processes (``--keep DIR`` keeps that warehouse for the next run). Then it
starts ``ratsinfo web`` on a free port as a child process and fetches each
page kind ``--repeat`` times: the search page empty and with a query, with
each filter, a paper page, the CSV and XLSX downloads of a selection, and the
feeds. Prints per page the median and worst time, and whether every page
kind stays under the 300 ms target.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

TARGET_MS = 300
FAST = ["--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False", "--set", "RATSINFO_DOWNLOAD_FILES=none",
        "--set", "LOG_LEVEL=WARNING"]


def build_karlsruhe_warehouse(folder: Path) -> Path:
    """Crawl the Karlsruhe dump from a local server into ``folder/w.duckdb``; return its path."""
    from tests.conftest import corpus_path
    from tests.oparl_server import OParlTestServer

    cli = [sys.executable, "-m", "flows.cli"]
    data, db = folder / "data", folder / "w.duckdb"
    with OParlTestServer(corpus_path(), karlsruhe_papers=None, page_size=100) as server:
        start = time.perf_counter()
        out = subprocess.run([*cli, "crawl", server.karlsruhe_system, "--no-load", "--data-dir", str(data),
                              "--db", str(db), *FAST], cwd=folder, capture_output=True, text=True, check=True).stdout
    crawl_id = json.loads(out.strip().splitlines()[-1])["crawlId"]
    subprocess.run([*cli, "load", crawl_id, "--data-dir", str(data), "--db", str(db)], cwd=folder,
                   capture_output=True, text=True, check=True)
    print(f"built {db} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
