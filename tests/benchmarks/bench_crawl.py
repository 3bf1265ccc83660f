"""Print how fast a ratsinfo crawl runs against a bare Scrapy spider fetching the same URLs.

    .venv/bin/python tests/benchmarks/bench_crawl.py [--rounds 3]

Serves the bundled demo site on 127.0.0.1 (three towns, ALLRIS classic and
SessionNet) and, per town, runs

* the ratsinfo crawl (``spiders.crawl.run_crawl``: dialect detection, parsing,
  normalising, raw store, staging, bookkeeping), and
* a bare Scrapy spider that fetches exactly the URLs the ratsinfo crawl
  requested (read from its ``pages.jsonl``) and does nothing with them,

both in child processes with the project's Scrapy settings and delays off
(no download delay, no AutoThrottle), timing only the crawl itself (after
imports). It prints pages per second for both and the ratio; issue 12's
target is a ratio of at least 0.8.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

from flows.demo_site import DEFAULT_EXPECTED, serve_demo  # noqa: E402

FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "ERROR"}

# Each child prints one JSON line: {"seconds": …, "pages": …}.
RATSINFO_CHILD = """
import json, sys, time
from pathlib import Path
import spiders.ris, pipelines.crawl.normalise_items  # imports are not what is measured
from spiders.crawl import run_crawl
args = json.loads(sys.argv[1])
start = time.perf_counter()
staging = run_crawl(source=args["source"], base_url=args["base_url"], data_dir=Path(args["data_dir"]),
                    system=args["system"], months=args["months"], settings=args["settings"])
seconds = time.perf_counter() - start
pages = sum(1 for _ in staging.read_pages())
print(json.dumps({"seconds": seconds, "pages": pages, "crawlId": staging.crawl_id}))
"""

BARE_CHILD = """
import json, sys, time
import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings
args = json.loads(sys.argv[1])
pages = []

class Bare(scrapy.Spider):
    name = "bare"
    async def start(self):
        for url in args["urls"]:
            yield scrapy.Request(url, dont_filter=True)
    def parse(self, response):
        pages.append(len(response.body))

settings = get_project_settings()
# Only Scrapy's own components: no ratsinfo middlewares or pipelines.
settings.set("DOWNLOADER_MIDDLEWARES", {})
settings.set("ITEM_PIPELINES", {})
settings.set("SPIDER_MIDDLEWARES", {})
settings.set("SCHEDULER", "scrapy.core.scheduler.Scheduler")  # Scrapy's own, not the durable frontier
for key, value in args["settings"].items():
    settings.set(key, value)
process = CrawlerProcess(settings, install_root_handler=False)
start = time.perf_counter()
process.crawl(Bare)
process.start()
print(json.dumps({"seconds": time.perf_counter() - start, "pages": len(pages)}))
"""


def run_child(code: str, args: dict) -> dict:
    result = subprocess.run([sys.executable, "-c", code, json.dumps(args)], cwd=PROJECT_ROOT,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"child failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds per town; the best is kept")
    args = parser.parse_args()
    months = json.loads(DEFAULT_EXPECTED.read_text(encoding="utf-8"))["months"]
    totals = {"ratsinfo": [0.0, 0], "bare": [0.0, 0]}
    with serve_demo() as server, tempfile.TemporaryDirectory(prefix="ratsinfo-bench-crawl-") as tmp:
        for demo, base_url in server.sources():
            best = {"ratsinfo": None, "bare": None}
            for round_ in range(args.rounds):
                data_dir = Path(tmp) / f"{demo.slug}-{round_}"
                ours = run_child(RATSINFO_CHILD, {
                    "source": demo.slug, "base_url": base_url, "data_dir": str(data_dir), "system": demo.system,
                    "months": f"{months[0]}..{months[-1]}", "settings": FAST,
                })
                pages_file = data_dir / "staging" / ours["crawlId"] / "pages.jsonl"
                urls = [json.loads(line).get("requestUrl") or json.loads(line)["url"]
                        for line in pages_file.read_text().splitlines() if line.strip()]
                bare = run_child(BARE_CHILD, {"urls": urls, "settings": FAST})
                for name, run in (("ratsinfo", ours), ("bare", bare)):
                    if best[name] is None or run["seconds"] < best[name]["seconds"]:
                        best[name] = run
            print(f"{demo.slug:16s} {best['ratsinfo']['pages']:4d} pages   ratsinfo {best['ratsinfo']['seconds']:6.2f} s"
                  f"   bare Scrapy {best['bare']['seconds']:6.2f} s")
            for name in totals:
                totals[name][0] += best[name]["seconds"]
                totals[name][1] += best[name]["pages"]
    ours_rate = totals["ratsinfo"][1] / totals["ratsinfo"][0]
    bare_rate = totals["bare"][1] / totals["bare"][0]
    print(f"ratsinfo crawl      {ours_rate:8.1f} pages/s")
    print(f"bare Scrapy spider  {bare_rate:8.1f} pages/s")
    print(f"ratio               {ours_rate / bare_rate:8.2f}x")


if __name__ == "__main__":
    main()
