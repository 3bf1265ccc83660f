"""Wall time of the nightly flow over many sources: one crawl at a time against several at once.

50 sources (by default) on 127.0.0.1: clones of the three demo municipalities
under different slugs, served through a threaded server that answers every
request after a realistic latency (100-300 ms, random). Every crawl keeps
the polite per-host settings (robots.txt, one request at a time per host,
retries with backoff); only the delay between requests is small (0.1 s) so
that the sequential run ends in minutes. Both runs go through the real
nightly flow (a temporary Prefect server, DuckDB loads, export); the
sequential one is the same flow with ``parallel=1``.

    python tests/benchmarks/bench_parallel.py [--sources 50] [--parallel 8] [--months 2026-10..2026-10]

Prints the wall time of each run, the ratio, and the rows loaded by each
(which must be equal).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "server", "date"}


def latency_server(upstream: str, low: float, high: float) -> ThreadingHTTPServer:
    """Return a threaded server that relays every request to ``upstream`` ("127.0.0.1:PORT") after a random delay."""
    host, port = upstream.rsplit(":", 1)

    class Relay(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _relay(self) -> None:
            time.sleep(random.uniform(low, high))
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
            connection = http.client.HTTPConnection(host, int(port), timeout=30)
            try:
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | {"host"}}
                connection.request(self.command, self.path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
            finally:
                connection.close()
            self.send_response(response.status)
            for key, value in response.getheaders():
                if key.lower() not in HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_HEAD = _relay  # noqa: N815 - stdlib naming

    server = ThreadingHTTPServer(("127.0.0.1", 0), Relay)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(n_sources: int, parallel: int, base_url: str, months: str, tmp: Path, label: str) -> tuple[float, int, dict]:
    """Run the nightly flow once; return its wall time, the rows it loaded and its summary."""
    from flows.demo_site import DEMO_SOURCES
    from flows.nightly import nightly

    sources = []
    for i in range(n_sources):
        demo = DEMO_SOURCES[i % len(DEMO_SOURCES)]
        sources.append({"slug": f"town-{i + 1:02d}", "base_url": demo.base_url(base_url), "system": demo.system,
                        "months": months})
    settings = {"DOWNLOAD_DELAY": "0.1", "AUTOTHROTTLE_ENABLED": "False"}  # per host: still one request at a time
    started = time.monotonic()
    summary = nightly(sources=sources, data_dir=str(tmp / label), db_path=str(tmp / f"{label}.duckdb"),
                      export_path=str(tmp / f"{label}.csv"), crawl_settings=settings, parallel=parallel)
    wall = time.monotonic() - started
    rows = sum(entry["loaded"]["rows"] for entry in summary["sources"].values())
    return wall, rows, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--parallel", type=int, default=8)
    parser.add_argument("--months", default="2026-10..2026-10", help="calendar range every source crawls")
    parser.add_argument("--latency", default="0.1,0.3", help="per-request latency range in seconds (low,high)")
    parser.add_argument("--skip-sequential", action="store_true")
    args = parser.parse_args()
    low, high = (float(x) for x in args.latency.split(","))

    from flows.demo_site import serve_demo

    os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="bench-parallel-prefect-"))
    with serve_demo() as demo, tempfile.TemporaryDirectory(prefix="bench-parallel-") as tmp:
        relay = latency_server(demo.base_url.removeprefix("http://"), low, high)
        base_url = f"http://127.0.0.1:{relay.server_address[1]}"
        print(f"{args.sources} sources on {base_url}, latency {low:g}-{high:g} s per request, "
              f"months {args.months}, DOWNLOAD_DELAY 0.1 s, one request at a time per crawl; cpus: {os.cpu_count()}",
              flush=True)
        results = {}
        modes = [("parallel", args.parallel)] + ([] if args.skip_sequential else [("sequential", 1)])
        for label, parallel in modes:
            wall, rows, summary = run(args.sources, parallel, base_url, args.months, Path(tmp), label)
            failed = summary["failed"]
            results[label] = wall
            print(f"{label:10} parallel={parallel:<3} wall {wall:7.1f} s  rows loaded {rows:6d}  "
                  f"requests {len(demo.requests):6d}  failed {len(failed)}", flush=True)
            demo.requests.clear()
        relay.shutdown()
        if "sequential" in results:
            print(f"ratio sequential/parallel: {results['sequential'] / results['parallel']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
