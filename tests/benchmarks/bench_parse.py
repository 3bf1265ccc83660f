"""Print how fast the HTML dialects parse and normalise the real corpus pages, against bare lxml.

Every HTML page of the corpus that has a golden file (ALLRIS classic and 4,
SessionNet) is read once into memory; then, in one process on one core, the
script times (a) ``lxml.html.fromstring`` of each page's bytes, the floor any
parser built on lxml pays, and (b) what a crawl does with a fetched page:
``Page.from_bytes`` (decoding), ``detect``, ``page_kind``, ``parse`` and
``normalise_item`` on every item. It prints pages per second for both and the
ratio (b)/(a); the targets of issue 12 are >= 500 pages/s and <= 5x.

Times are CPU time of this process (``time.process_time``), not wall-clock
time, so that other work on a shared machine does not count; each figure is
the best of the rounds, and the rounds of (a) and (b) alternate so that both
see the same machine.

Run: ``python tests/benchmarks/bench_parse.py [--rounds 15]``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import lxml.html

from pipelines.normalise.items import normalise_item
from spiders.dialects import by_name
from spiders.dialects.base import Page

GOLDEN = Path(__file__).resolve().parent.parent / "spiders" / "golden"
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def corpus_path() -> Path:
    return Path(os.environ.get("RATSINFO_CORPUS", PROJECT_ROOT.parent / "shared" / "corpus"))
HTML_DIALECTS = ("allris_classic", "allris4", "sessionnet")


def corpus_pages() -> list[tuple[str, str, bytes]]:
    """Return (dialect, url, body) for every HTML corpus page with a golden file."""
    pages = []
    for dialect in HTML_DIALECTS:
        for golden_file in sorted((GOLDEN / dialect).glob("*.json")):
            golden = json.loads(golden_file.read_text())
            path = corpus_path() / golden["page"]
            if path.is_file():
                pages.append((dialect, golden["url"], path.read_bytes()))
    return pages


def parse_all(pages, dialects) -> int:
    items = 0
    for name, url, body in pages:
        page = Page.from_bytes(url, body)
        dialect = dialects[name]
        dialect.detect(page)
        dialect.page_kind(page)
        for item in dialect.parse(page, "bench").items:
            normalise_item(item)
            items += 1
    return items


def lxml_all(bodies) -> None:
    for body in bodies:
        lxml.html.fromstring(body)


def cpu_time(run) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def best_of(rounds: int, run) -> float:
    return min(cpu_time(run) for _ in range(rounds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="timed rounds; the best is reported")
    args = parser.parse_args()
    pages = corpus_pages()
    if not pages:
        raise SystemExit(f"no corpus pages found under {corpus_path()}")
    dialects = {name: by_name(name) for name in HTML_DIALECTS}
    bodies = [body for _, _, body in pages]
    items = parse_all(pages, dialects)  # warm caches (regexes, office tables, dateparser)
    t_lxml = t_parse = float("inf")
    for _ in range(args.rounds):
        t_lxml = min(t_lxml, cpu_time(lambda: lxml_all(bodies)))
        t_parse = min(t_parse, cpu_time(lambda: parse_all(pages, dialects)))
    n = len(pages)
    print(f"{n} real HTML pages ({sum(len(b) for _, _, b in pages) / 1e6:.1f} MB), {items} items, best of {args.rounds} rounds, CPU time of one process")
    for name in HTML_DIALECTS:
        subset = [p for p in pages if p[0] == name]
        if subset:
            t = best_of(args.rounds, lambda s=subset: parse_all(s, dialects))
            print(f"  {name:15s} {len(subset):3d} pages  {len(subset) / t:8.0f} pages/s")
    print(f"bare lxml.html.fromstring     {n / t_lxml:8.0f} pages/s")
    print(f"decode+detect+parse+normalise {n / t_parse:8.0f} pages/s")
    print(f"ratio to bare lxml            {t_parse / t_lxml:8.1f}x")


if __name__ == "__main__":
    main()
