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
import re
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
    folder.mkdir(parents=True, exist_ok=True)
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


def start_web(db: Path) -> tuple[subprocess.Popen, str]:
    """Start `ratsinfo web --port 0` as a child process; return it and its URL."""
    process = subprocess.Popen([sys.executable, "-m", "flows.cli", "web", "--db", str(db), "--port", "0"],
                               cwd=PROJECT_ROOT, stderr=subprocess.PIPE, text=True)
    line = process.stderr.readline()
    match = re.search(r"open (http://\S+?)/? ", line)
    if not match:
        process.kill()
        raise SystemExit(f"ratsinfo web did not start: {line}{process.stderr.read()[-2000:]}")
    return process, match.group(1).rstrip("/")


def sample_paper(db: Path) -> tuple[str, str, str]:
    """Return (source, systemId, topic) of the paper with the most consultations, and a topic that exists."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        source, paper = con.execute(
            """SELECT "source", "paper" FROM consultation GROUP BY ALL ORDER BY count(*) DESC, 2 LIMIT 1"""
        ).fetchone()
        topic = con.execute(
            """SELECT t FROM (SELECT unnest(CAST("topics" AS VARCHAR[])) AS t FROM paper) GROUP BY t ORDER BY count(*) DESC LIMIT 1"""
        ).fetchone()
    finally:
        con.close()
    return source, paper, topic[0] if topic else "integration"


def fetch(url: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        body = response.read()
        status = response.status
    return (time.perf_counter() - start) * 1000, status, len(body)


def take_screenshot(url: str, path: Path) -> None:
    """Save a PNG of the search page as the README shows it (headless Chromium via Selenium)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--window-size=1280,1000",
                 "--lang=de-DE", "--hide-scrollbars"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(url)
        driver.save_screenshot(str(path))
    finally:
        driver.quit()
    print(f"screenshot of {url} saved to {path}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="an existing warehouse (default: build the Karlsruhe one)")
    parser.add_argument("--keep", type=Path, help="build the warehouse in this folder and keep it")
    parser.add_argument("--repeat", type=int, default=5, help="fetches per page kind (default 5)")
    parser.add_argument("--screenshot", type=Path, help="also save a PNG of the search page here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        if args.db:
            db = args.db
        else:
            folder = args.keep or Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            db = folder / "w.duckdb" if (folder / "w.duckdb").exists() else build_karlsruhe_warehouse(folder)
        source, paper, topic = sample_paper(db)
        process, url = start_web(db)
        try:
            sel = urllib.parse.urlencode
            pages = [
                ("search page, no query", "/"),
                ("search page, page 10", "/?page=10"),
                ("full-text search", "/?" + sel({"q": "Schule"})),
                ("full-text search, a phrase and a left-out word",
                 "/?" + sel({"q": '"Menschen mit Behinderung" -Schule'})),
                ("full-text search + filters", "/?" + sel({"q": "Antrag", "result": "accepted", "since": "2020-01-01"})),
                ("topic filter", "/?" + sel({"topic": topic})),
                ("committee + result filters", "/?" + sel({"committee": "Gemeinderat", "result": "rejected"})),
                ("date range", "/?" + sel({"since": "2024-01-01", "until": "2024-12-31"})),
                ("paper page", "/paper?" + sel({"source": source, "id": paper})),
                ("feed: topic", f"/feeds/topic/{urllib.parse.quote(topic)}.atom"),
                ("feed: committee", "/feeds/committee/Gemeinderat.atom"),
                ("feed: saved search", "/feeds/search.atom?" + sel({"q": "Schule"})),
                ("CSV of a topic selection", "/export.csv?" + sel({"topic": topic})),
                ("XLSX of a topic selection", "/export.xlsx?" + sel({"topic": topic})),
                ("CSV of a year's selection", "/export.csv?" + sel({"since": "2024-01-01", "until": "2024-12-31"})),
            ]
            fetch(url + "/")  # first request loads the extension and the filter choices
            import duckdb

            papers = duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM paper").fetchone()[0]
            print(f"{papers} papers in {db}; {args.repeat} fetches per page; target {TARGET_MS} ms", file=sys.stderr)
            results = []
            for label, path in pages:
                times, size = [], 0
                for _ in range(args.repeat):
                    ms, status, size = fetch(url + path)
                    if status != 200:
                        raise SystemExit(f"{path}: HTTP {status}")
                    times.append(ms)
                row = {"page": label, "median_ms": round(statistics.median(times)), "max_ms": round(max(times)),
                       "bytes": size, "under_target": statistics.median(times) < TARGET_MS}
                results.append(row)
                print(json.dumps(row, ensure_ascii=False))
            pages_only = [r for r in results if not r["page"].startswith(("CSV", "XLSX"))]
            print(json.dumps({"pages": len(pages_only), "pages_under_target": sum(r["under_target"] for r in pages_only),
                              "slowest_page_median_ms": max(r["median_ms"] for r in pages_only)}))
            if args.screenshot:
                take_screenshot(url + "/?" + sel({"q": "Flüchtlinge"}), args.screenshot)
        finally:
            process.terminate()
            process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
