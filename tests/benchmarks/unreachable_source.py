"""Print how long a crawl of an unreachable source takes with the shipped settings, and how it ends.

Two unreachable sources on 127.0.0.1: a port that refuses connections, and
(``--timeouts``; slow: one DOWNLOAD_TIMEOUT per attempt) a port that accepts
and never answers. The crawl runs as in production (``python -m
spiders.crawl``, the settings of ``spiders/settings.py``, retries and backoff
included) except that the polite download delay is off. Prints seconds,
requests, status and exit code for each.

    PYTHONPATH=. python tests/benchmarks/unreachable_source.py [--timeouts]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

from tests.faults.server import closed_port, run_crawl, silent_port  # noqa: E402


def measure(label: str, base_url: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = run_crawl(base_url=base_url, data_dir=Path(tmp), timeout=1800,
                           settings={"DOWNLOAD_DELAY": "0", "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
                                     "RETRY_TIMES": "4", "RATSINFO_RETRY_BACKOFF_BASE": "2.0",
                                     "RATSINFO_RETRY_BACKOFF_MAX": "300", "DOWNLOAD_TIMEOUT": "60",
                                     "LOG_LEVEL": "WARNING"})
    manifest = result.manifest
    print(f"{label:<22} {result.seconds:6.1f} s  {manifest.get('requests', 0):>3} requests  "
          f"{len(result.failures):>2} failures recorded  exit {result.returncode}  status: {manifest.get('status')}")


def main(argv: list[str]) -> int:
    measure("connection refused", f"http://127.0.0.1:{closed_port()}/musterstadt/bi/")
    if "--timeouts" in argv:
        with silent_port() as (host, port):
            measure("never answers", f"http://{host}:{port}/musterstadt/bi/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
