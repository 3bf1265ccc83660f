"""Print how fast a ratsinfo crawl runs against a bare Scrapy spider fetching the same URLs.

    .venv/bin/python tests/benchmarks/bench_crawl.py [--rounds 3] [--papers 600]

Serves on 127.0.0.1 the bundled demo site (three towns, ALLRIS classic and
SessionNet, 63–78 pages each) and a large ALLRIS classic site of ``--papers``
papers (``tests/sites/build_allris_classic_large.py``: the demo's Musterstadt
scaled up, 779 pages at 600 papers, written into a temporary folder), and per
site runs two crawls, each in a child process of its own:

* **ratsinfo**: ``spiders.crawl.run_crawl``, what ``python -m spiders.crawl``
  runs for every source: the durable SQLite frontier as the scheduler, the URL
  policy, redirect/meta-refresh policy, reachability and back-off retry
  middlewares, the raw archive (every body gzip-compressed under its SHA-256,
  a ``pages.jsonl`` line per page), the dialect's parsing, the normalise and
  staging pipelines (``items.jsonl``), ``failures.jsonl``, the manifest and
  the crawl summary in ``crawl.json``;
* **bare Scrapy**: a spider that requests exactly the URLs the ratsinfo crawl
  requested (read from its ``pages.jsonl``) and only notes each body's length:
  Scrapy's own scheduler (memory queue, duplicate filter) and only Scrapy's
  default middlewares, no pipelines.

Both use the project's Scrapy settings (``spiders/settings.py``) with the same
three overrides: ``DOWNLOAD_DELAY=0`` and ``AUTOTHROTTLE_ENABLED=False`` (the
politeness delays), ``LOG_LEVEL=ERROR``; and both without the 100 ms Scrapy
2.13 sleeps before every callback (``spiders.crawl.no_callback_sleep``, as
``run_crawl`` does; Scrapy 2.18 dropped the sleep). Everything else is equal on both
sides and on: robots.txt obeyed, cookies, retries, redirects, 8 requests at
a time and 1 per host. Both time the same span: from before the
``CrawlerProcess`` is created to the end of the crawl (for ratsinfo, until
``run_crawl`` returns, its summary written). Imports are not what is measured:
before the clock starts each child imports the same modules, the project's
spider modules and every component class its settings name. The best of
``--rounds`` rounds per site is kept; the figures are pages per second
summed over the sites and the ratio, printed for the demo towns, for the
large site and for all of them; issue 12's target is a ratio of at least
0.8. A demo town's crawl lasts about 0.3 s, so its start and the short waits
while the crawl finds the next level of links weigh heavily and its ratio
varies from run to run; the large site is a crawl of the size a nightly run
makes. The test server is the project's own (``flows.demo_site``, Python's
threading HTTP server) on the same machine: both sides wait for it alike. The same is printed for the children's processor time (the best
round each), which a machine busy with other work disturbs less than the
wall clock. For ratsinfo that is the crawl's own process; the processor time
of its parse worker (``RATSINFO_PARSE_WORKERS``, a child of the crawl's
process, counted once the crawl has stopped it) is printed beside it, and the
ratio once more with it counted.

``--against REVISION`` measures a change instead: the large site crawled
``--rounds`` times with this tree's code and as often with a git revision's
(checked out into a temporary worktree), alternating, and the minimum and
median processor time and wall clock of each printed. On a machine whose
speed drifts between runs, that compares two versions where two separate
runs of the benchmark could not.

``--ablate`` shows where the demo towns' ratio goes: the three towns crawled
with each part of the crawl that the bare spider does without switched off
(the raw archive; staging the items; the durable frontier, replaced by
Scrapy's scheduler; our URL-policy, redirect, reachability and back-off
middlewares, replaced by Scrapy's redirect and retry), alone and all four at
once, alternating with the crawl as shipped and the bare spider, ``--rounds``
rounds; the medians and each variant's ratio to the bare spider are printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

from flows.demo_site import DEFAULT_EXPECTED, serve_demo  # noqa: E402
from tests.sites import build_allris_classic_large  # noqa: E402

FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "ERROR"}

# Run by both children before their clock starts: the imports a crawl does (the spider
# loader walks SPIDER_MODULES; the settings name the middlewares, pipelines and scheduler).
PRELOAD = """
import scrapy.crawler  # the bare child's own import; run_crawl imports it after its clock has started
from scrapy.utils.misc import load_object, walk_modules
from spiders.crawl import project_settings
_project = project_settings()
for _module in _project.getlist("SPIDER_MODULES"):
    walk_modules(_module)
for _name in ("DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "ITEM_PIPELINES", "EXTENSIONS"):
    for _path, _order in _project.getwithbase(_name).items():
        if _order is not None:
            load_object(_path)
load_object(_project["SCHEDULER"])
load_object("scrapy.core.scheduler.Scheduler")
"""

# Each child prints one JSON line: {"seconds": …, "cpu": …, "pages": …} (cpu: its processor time).
RATSINFO_CHILD = PRELOAD + """
import json, resource, sys, time
from pathlib import Path
from spiders.crawl import run_crawl
args = json.loads(sys.argv[1])
def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
start, cpu, worker_cpu = time.perf_counter(), time.process_time(), children_cpu()
staging = run_crawl(source=args["source"], base_url=args["base_url"], data_dir=Path(args["data_dir"]),
                    system=args["system"], months=args["months"], settings=args["settings"])
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
worker_cpu = children_cpu() - worker_cpu  # the parse worker's, counted once run_crawl has stopped it
pages = sum(1 for _ in staging.read_pages())
responses = staging.read_manifest().get("responses")
print(json.dumps({"seconds": seconds, "cpu": cpu, "workerCpu": worker_cpu, "pages": pages, "responses": responses,
                  "crawlId": staging.crawl_id}))
"""

BARE_CHILD = PRELOAD + """
import json, sys, time
import scrapy
from scrapy.crawler import CrawlerProcess
from spiders.crawl import project_settings
args = json.loads(sys.argv[1])
pages = []

class Bare(scrapy.Spider):
    name = "bare"
    async def start(self):
        for url in args["urls"]:
            yield scrapy.Request(url, dont_filter=True)
    def parse(self, response):
        pages.append(len(response.body))

settings = project_settings()
# Only Scrapy's own components: no ratsinfo middlewares or pipelines.
settings.set("DOWNLOADER_MIDDLEWARES", {})
settings.set("ITEM_PIPELINES", {})
settings.set("SPIDER_MIDDLEWARES", {})
settings.set("SCHEDULER", "scrapy.core.scheduler.Scheduler")  # Scrapy's own, not the durable frontier
for key, value in args["settings"].items():
    settings.set(key, value)
from spiders.crawl import no_callback_sleep
no_callback_sleep()  # as run_crawl does: no 100 ms wait before each callback (Scrapy < 2.18)
start, cpu = time.perf_counter(), time.process_time()
process = CrawlerProcess(settings, install_root_handler=False)
crawler = process.create_crawler(Bare)
process.crawl(crawler)
process.start()
print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "pages": len(pages),
                  "responses": crawler.stats.get_value("downloader/response_count")}))
"""


def run_child(code: str, args: dict, root: Path = PROJECT_ROOT) -> dict:
    """Run a child in ``root`` (its code imported from there) and return its JSON line."""
    result = subprocess.run([sys.executable, "-c", code, json.dumps(args)], cwd=root,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"child failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def requested_urls(data_dir: Path, crawl_id: str) -> list[str]:
    """Return the URLs a ratsinfo crawl requested, in order, from its ``pages.jsonl``."""
    pages_file = data_dir / "staging" / crawl_id / "pages.jsonl"
    return [json.loads(line).get("requestUrl") or json.loads(line)["url"]
            for line in pages_file.read_text().splitlines() if line.strip()]


def crawl_site(slug: str, base_url: str, system: str, months: str, rounds: int, tmp: Path) -> dict[str, tuple]:
    """Crawl one site ``rounds`` times each way; return per side (wall s, crawl CPU s, pages, CPU s with the worker's), best rounds."""
    runs: dict[str, list[dict]] = {"ratsinfo": [], "bare": []}
    for round_ in range(rounds):
        data_dir = tmp / f"{slug}-{round_}"
        ours = run_child(RATSINFO_CHILD, {
            "source": slug, "base_url": base_url, "data_dir": str(data_dir), "system": system,
            "months": months, "settings": FAST,
        })
        bare = run_child(BARE_CHILD, {"urls": requested_urls(data_dir, ours["crawlId"]), "settings": FAST})
        runs["ratsinfo"].append(ours)
        runs["bare"].append(bare)
    best = {name: (min(r["seconds"] for r in side), min(r["cpu"] for r in side), side[0]["pages"],
                   min(r["cpu"] + r.get("workerCpu", 0.0) for r in side))
            for name, side in runs.items()}
    worker = best["ratsinfo"][3] - best["ratsinfo"][1]
    print(f"{slug:22s} {best['ratsinfo'][2]:4d} pages   ratsinfo {best['ratsinfo'][0]:6.2f} s"
          f" ({best['ratsinfo'][1]:.2f} s CPU, parse worker ~{worker:.2f} s more)   bare Scrapy"
          f" {best['bare'][0]:6.2f} s ({best['bare'][1]:.2f} s CPU)", flush=True)
    return best


def print_totals(label: str, sites: list[dict[str, tuple]]) -> None:
    """Print pages/s of both sides summed over ``sites`` and their ratios."""
    totals = {name: [sum(site[name][i] for site in sites) for i in range(4)] for name in ("ratsinfo", "bare")}
    rates = {name: (pages / wall, pages / cpu, pages / total) for name, (wall, cpu, pages, total) in totals.items()}
    print(f"{label}: {int(totals['ratsinfo'][2])} pages")
    print(f"  ratsinfo crawl      {rates['ratsinfo'][0]:8.1f} pages/s   {rates['ratsinfo'][1]:8.1f} pages per CPU second"
          f" of the crawl's process ({rates['ratsinfo'][2]:.1f} with its parse worker's)")
    print(f"  bare Scrapy spider  {rates['bare'][0]:8.1f} pages/s   {rates['bare'][1]:8.1f} pages per CPU second")
    print(f"  ratio               {rates['ratsinfo'][0] / rates['bare'][0]:8.2f}x  "
          f"{rates['ratsinfo'][1] / rates['bare'][1]:8.2f}x CPU  "
          f"({rates['ratsinfo'][2] / rates['bare'][1]:.2f}x counting the parse worker's CPU)")


def compare_with_revision(revision: str, papers: int, rounds: int, tmp: Path) -> None:
    """Crawl the large site with this tree's code and with ``revision``'s, alternately; print both.

    The other revision is checked out into a temporary ``git worktree``; its
    crawls run there (their code imported from it) with this tree's Python and
    packages. The two alternate round by round, so a machine that gets slower
    or faster during the runs slows or speeds both alike; the minimum and the
    median of each side are printed.
    """
    tree = tmp / "against"
    checkout = subprocess.run(["git", "-C", str(PROJECT_ROOT), "worktree", "add", "--detach", "--quiet", str(tree),
                               revision], capture_output=True, text=True)
    if checkout.returncode != 0:
        raise SystemExit(f"cannot check out {revision}: {checkout.stderr.strip().splitlines()[-1:]}")
    try:
        site = build_allris_classic_large.build(tmp / "large-site", papers)
        runs: dict[str, list[dict]] = {"this tree": [], revision: []}
        with serve_demo(site.root) as server:
            for round_ in range(rounds):
                for name, root in (("this tree", PROJECT_ROOT), (revision, tree)):
                    runs[name].append(run_child(RATSINFO_CHILD, {
                        "source": "musterstadt", "base_url": server.base_url + site.base_path,
                        "data_dir": str(tmp / f"against-{round_}-{'old' if root == tree else 'new'}"),
                        "system": "allris_classic", "months": site.months, "settings": FAST,
                    }, root))
    finally:
        subprocess.run(["git", "-C", str(PROJECT_ROOT), "worktree", "remove", "--force", str(tree)],
                       capture_output=True)
    print(f"the {papers}-paper site, {rounds} crawls each, alternating: the crawl's process")
    for name, side in runs.items():
        cpu = sorted(r["cpu"] for r in side)
        wall = sorted(r["seconds"] for r in side)
        print(f"  {name:12s} {side[0]['pages']:4d} pages   CPU s min {cpu[0]:.2f} median {statistics.median(cpu):.2f}"
              f"   wall s min {wall[0]:.2f} median {statistics.median(wall):.2f}")
    ours, theirs = (statistics.median(r["cpu"] for r in runs[name]) for name in runs)
    print(f"  median CPU of this tree against {revision}: {ours / theirs:.2f}x")


def ablations() -> dict[str, dict]:
    """The crawl's parts that a bare spider does without, each switched off alone and all at once.

    Each value is the settings a variant crawls with (on top of ``FAST``): a
    whole dict for a dict setting, since a setting's dict is replaced, not merged.
    """
    from spiders.crawl import project_settings

    shipped = dict(project_settings().getdict("DOWNLOADER_MIDDLEWARES"))
    ours = "spiders.middlewares."
    scrapy_redirect_retry = {  # Scrapy's own, at their default places, for our policy middlewares
        ours + "UrlPolicyMiddleware": None, ours + "PolicyMetaRefreshMiddleware": None,
        ours + "PolicyRedirectMiddleware": None, ours + "ReachabilityMiddleware": None,
        "spiders.politeness.BackoffRetryMiddleware": None,
        "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": 580,
        "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": 600,
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": 550,
    }
    no_raw_archive = {"spiders.raw_archive.RawArchiveMiddleware": None}
    no_staging = {"ITEM_PIPELINES": {}, "SPIDER_MIDDLEWARES": {}}
    scrapy_scheduler = {"SCHEDULER": "scrapy.core.scheduler.Scheduler"}
    return {
        "as shipped": {},
        "without the raw archive": {"DOWNLOADER_MIDDLEWARES": shipped | no_raw_archive},
        "without staging the items": no_staging,
        "Scrapy's scheduler, not the frontier": scrapy_scheduler,
        "Scrapy's redirect/retry, not ours": {"DOWNLOADER_MIDDLEWARES": shipped | scrapy_redirect_retry},
        "all four off": {"DOWNLOADER_MIDDLEWARES": shipped | no_raw_archive | scrapy_redirect_retry}
                        | no_staging | scrapy_scheduler,
    }


def ablate(rounds: int, tmp: Path) -> None:
    """Crawl the demo towns with each of ``ablations()`` and the bare spider, alternating; print the ratios.

    Per round every variant crawls the three towns once, then the bare spider
    fetches each town's URLs that the shipped crawl fetched; the figures are medians over
    the rounds of the three towns' summed wall clock and crawl-process CPU.
    What is left when all four are off is what the crawl does that a spider
    handed its URL list does not: reading each page's links (the parse worker
    answers, the spider builds and schedules their requests).
    """
    months = json.loads(DEFAULT_EXPECTED.read_text(encoding="utf-8"))["months"]
    variants = ablations()
    runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in [*variants, "bare Scrapy"]}
    with serve_demo() as server:
        towns = list(server.sources())
        for round_ in range(rounds):
            urls: dict[str, list[str]] = {}
            for index, (name, settings) in enumerate(variants.items()):
                wall = cpu = 0.0
                responses = 0
                for demo, base_url in towns:
                    data_dir = tmp / f"ablate-{round_}-{index}-{demo.slug}"
                    ours = run_child(RATSINFO_CHILD, {
                        "source": demo.slug, "base_url": base_url, "data_dir": str(data_dir),
                        "system": demo.system, "months": f"{months[0]}..{months[-1]}", "settings": FAST | settings,
                    })
                    wall, cpu, responses = wall + ours["seconds"], cpu + ours["cpu"], responses + ours["responses"]
                    if not settings:  # as shipped: the URLs the bare spider fetches
                        urls[demo.slug] = requested_urls(data_dir, ours["crawlId"])
                runs[name].append((wall, cpu, responses))
            bare = [run_child(BARE_CHILD, {"urls": town_urls, "settings": FAST}) for town_urls in urls.values()]
            runs["bare Scrapy"].append(tuple(sum(town[key] for town in bare) for key in ("seconds", "cpu", "responses")))
    bare_wall, bare_cpu = (statistics.median(run[i] for run in runs["bare Scrapy"]) for i in (0, 1))
    print(f"the three demo towns, {rounds} rounds, medians (responses include robots.txt):")
    print(f"  {'':38s} {'wall s':>7s} {'CPU s':>7s} {'responses':>9s}   ratio to bare Scrapy (wall, CPU)")
    for name, side in runs.items():
        wall, cpu = (statistics.median(run[i] for run in side) for i in (0, 1))
        responses = "/".join(sorted({str(run[2]) for run in side}))
        print(f"  {name:38s} {wall:7.3f} {cpu:7.3f} {responses:>9s}   {bare_wall / wall:.2f}x  {bare_cpu / cpu:.2f}x CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds per site; the best is kept")
    parser.add_argument("--papers", type=int, default=600,
                        help="papers of the large ALLRIS classic site (0: the demo towns only)")
    parser.add_argument("--against", metavar="REVISION",
                        help="instead: crawl the large site with this tree and with a git revision, alternately"
                             " (--rounds crawls each), and print both")
    parser.add_argument("--ablate", action="store_true",
                        help="instead: crawl the demo towns with each part a bare spider does without switched off,"
                             " alone and all at once (--rounds rounds), and print each against the bare spider")
    args = parser.parse_args()
    months = json.loads(DEFAULT_EXPECTED.read_text(encoding="utf-8"))["months"]
    if args.ablate:
        with tempfile.TemporaryDirectory(prefix="ratsinfo-bench-crawl-") as tmp:
            ablate(args.rounds, Path(tmp))
        return
    if args.against:
        with tempfile.TemporaryDirectory(prefix="ratsinfo-bench-crawl-") as tmp:
            compare_with_revision(args.against, args.papers or 600, args.rounds, Path(tmp))
        return
    with tempfile.TemporaryDirectory(prefix="ratsinfo-bench-crawl-") as tmp:
        demo_sites = []
        with serve_demo() as server:
            for demo, base_url in server.sources():
                demo_sites.append(crawl_site(demo.slug, base_url, demo.system, f"{months[0]}..{months[-1]}",
                                             args.rounds, Path(tmp)))
        large_sites = []
        if args.papers:
            site = build_allris_classic_large.build(Path(tmp) / "large-site", args.papers)
            with serve_demo(site.root) as server:
                large_sites.append(crawl_site(f"musterstadt-{args.papers}", server.base_url + site.base_path,
                                              "allris_classic", site.months, args.rounds, Path(tmp)))
    print_totals("the three demo towns", demo_sites)
    if large_sites:
        print_totals(f"the {args.papers}-paper site", large_sites)
        print_totals("all sites", demo_sites + large_sites)


if __name__ == "__main__":
    main()
