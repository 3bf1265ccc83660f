"""Benchmark: a first OParl sync is queryable before its documents arrive.

    .venv/bin/python tests/benchmarks/bench_documents_stage.py [--papers 2000] [--sample 20]

Serves the first ``--papers`` papers of the real Karlsruhe dump from
``tests/oparl_server.py`` on 127.0.0.1, each given a main document (a small
signed PDF; the dump has no files), and syncs it with the **default, polite
settings** (robots.txt, 1 s delay, AutoThrottle): ``ratsinfo crawl --no-load``,
``ratsinfo load``, then ``ratsinfo documents --limit SAMPLE``. Prints the time
until the papers are in the warehouse, how many documents are then pending,
the measured seconds per document of the documents stage, and the time the
pending documents take at that rate (an extrapolation from the sample, named
as such): before the documents stage, the crawl fetched all of them before
anything was loaded.
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
from tests.sites.common import pdf_document  # noqa: E402

SOURCE = "karlsruhe"
QUIET = ["--set", "LOG_LEVEL=WARNING"]


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    """Run ``command``; return (seconds, stdout)."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[2:5])} failed:\n{result.stderr[-3000:]}")
    return seconds, result.stdout


def give_main_files(server: OParlTestServer) -> int:
    """Give every served paper a main File whose accessUrl serves a small signed PDF; return how many."""
    papers = server.somacos_lists["/oparl/bodies/0001/papers"][1]
    n = 0
    for paper in papers:
        if paper.get("deleted"):
            continue
        n += 1
        path = f"/oparl/files/{n}.pdf"
        pdf = pdf_document([("p", f"Vorlage {paper.get('reference') or n}: {paper.get('name') or ''}"[:90]),
                            ("p", "Der Gemeinderat beschließt wie vorgeschlagen."), ("p", "gez. Dr. Frank Mentrup"),
                            ("p", "Oberbürgermeister")])
        paper["mainFile"] = {"id": f"{server.base}/oparl/file/{n}", "type": "https://schema.oparl.org/1.1/File",
                             "name": "Vorlage", "fileName": f"{n}.pdf", "mimeType": "application/pdf",
                             "accessUrl": server.serve_bytes(path, pdf)}
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=2000, help="the first N papers of the dump (default 2000)")
    parser.add_argument("--sample", type=int, default=20, help="documents the documents stage fetches to measure its rate")
    args = parser.parse_args(argv)
    cli = [sys.executable, "-m", "flows.cli"]
    with tempfile.TemporaryDirectory(prefix="bench-documents-") as tmp, OParlTestServer(
        corpus_path(), karlsruhe_papers=args.papers, page_size=100
    ) as server:
        folder = Path(tmp)
        data, db = ["--data-dir", str(folder / "data")], ["--db", str(folder / "w.duckdb")]
        documents = give_main_files(server)
        print(f"serving {args.papers} papers ({documents} with a main document) at {server.karlsruhe_system}; "
              "default politeness", file=sys.stderr)
        crawl_s, out = timed([*cli, "crawl", server.karlsruhe_system, "--source", SOURCE, "--no-load", *data, *db,
                              *QUIET], folder)
        manifest = json.loads(out.splitlines()[-1])
        load_s, _ = timed([*cli, "load", manifest["crawlId"], *data, *db], folder)
        docs_s, out = timed([*cli, "documents", "--source", SOURCE, "--limit", str(args.sample), *data, *db, *QUIET],
                            folder)
        report = json.loads(out.splitlines()[-1])
        per_doc = docs_s / max(report["urls"], 1)
        # steady state: the interval between downloads, from the staged updates' fetch times
        import datetime as dt

        from schemas.staging import StagingArea

        times = sorted(dt.datetime.fromisoformat(i["crawledAt"])
                       for i in StagingArea(folder / "data", report["crawlId"]).read_items())
        interval = (times[-1] - times[0]).total_seconds() / max(len(times) - 1, 1)
        pending_before = report["pendingDocuments"] + report["statuses"].get("ok", 0)
        rows = [
            ("metadata crawl (requests)", f"{manifest.get('requests')}"),
            ("metadata crawl + load, s (data queryable)", f"{crawl_s + load_s:.1f}"),
            ("documents pending after the load", f"{pending_before}"),
            (f"documents stage, {report['urls']} documents, s", f"{docs_s:.1f}"),
            ("documents stage, s per document (incl. process start)", f"{per_doc:.2f}"),
            ("documents stage, s between downloads (steady state)", f"{interval:.2f}"),
            ("all pending documents at that interval, min (extrapolated)", f"{pending_before * interval / 60:.1f}"),
        ]
        width = max(len(r[0]) for r in rows)
        for name, value in rows:
            print(f"{name:<{width}}  {value}")
        print(json.dumps({"papers": args.papers, "requests": manifest.get("requests"),
                          "queryable_s": round(crawl_s + load_s, 1), "pending": pending_before,
                          "sample": report["urls"], "sample_s": round(docs_s, 1), "s_per_document": round(per_doc, 2),
                          "s_between_downloads": round(interval, 2),
                          "sample_statuses": report["statuses"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
