"""Benchmark: items per second through the OParl parse + staging path, on the whole Karlsruhe export.

    .venv/bin/python tests/benchmarks/bench_oparl_items.py [--page-size 100] [--repeat 3] [--profile]

Builds the list pages a server would send for the real dump
(``../shared/corpus/oparl-karlsruhe``: 14,004 papers and 2,609 meetings with
everything they embed), as JSON bytes, before timing. Then times, in one
process and on the same pages:

* ``json``: a bare ``json.loads`` of every page (the floor under any parser);
* ``parse+stage``: what the spider does per list page: decode the bytes
  (``Page.from_bytes``), ``OParlSync.parse`` (items, links, list
  bookkeeping), then what reading a page ends in (``pipelines.normalise.items.
  normalised_lines``: stamp ``crawledAt``, normalise, write out as lines) and
  the crawl's item pipeline appending those lines to a staging ``items.jsonl``
  (``StagingPipeline``). Scrapy's own machinery is not in it
  (``bench_oparl_sync.py`` times whole crawls).

Prints pages, items, CPU and wall seconds and items per CPU second of each
(CPU time of this one process: the machine may be shared), and the ratio.
The best of ``--repeat`` runs counts. ``--profile`` prints the top functions of one
parse+stage run (cProfile, cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

from tests.conftest import corpus_path  # noqa: E402

LISTS = {"paper": "papers.jsonl.gz", "meeting": "meetings.jsonl.gz"}
BODY = "https://web1.karlsruhe.de/oparl/bodies/0001"


def build_pages(corpus: Path, page_size: int) -> list[tuple[str, str, bytes]]:
    """Return (list name, page URL, JSON bytes) for every list page of the dump, as a SessionNet server pages it."""
    pages = []
    for name, file_name in LISTS.items():
        with gzip.open(corpus / "oparl-karlsruhe" / file_name, "rt", encoding="utf-8") as fh:
            objects = [json.loads(line) for line in fh]
        list_url = f"{BODY}/{name}s"
        total_pages = max(1, -(-len(objects) // page_size))
        for n in range(1, total_pages + 1):
            url = f"{list_url}?page={n}"
            links = {"first": f"{list_url}?page=1", "self": url, "last": f"{list_url}?page={total_pages}"}
            if n < total_pages:
                links["next"] = f"{list_url}?page={n + 1}"
            document = {
                "data": objects[(n - 1) * page_size : n * page_size],
                "pagination": {"totalElements": len(objects), "elementsPerPage": page_size, "currentPage": n,
                               "totalPages": total_pages},
                "links": links,
            }
            pages.append((name, url, json.dumps(document, ensure_ascii=False).encode("utf-8")))
    return pages


def run_json(pages: list[tuple[str, str, bytes]]) -> tuple[float, float, int]:
    """Return (CPU seconds, wall seconds, objects) for a bare json.loads of every page."""
    start, wall = time.process_time(), time.perf_counter()
    objects = 0
    for _, _, raw in pages:
        objects += len(json.loads(raw)["data"])
    return time.process_time() - start, time.perf_counter() - wall, objects


def run_parse_stage(pages: list[tuple[str, str, bytes]], folder: Path) -> tuple[float, float, int]:
    """Return (CPU seconds, wall seconds, items) for decode + OParlSync.parse + staging of every page, walking each list."""
    from pipelines.crawl.stage_items import StagingPipeline
    from schemas.staging import StagingArea, utcnow
    from spiders.dialects.base import Page
    from spiders.dialects.oparl import OParlSync
    from pipelines.normalise.items import normalised_lines

    staging = StagingArea(folder, f"bench-{time.monotonic_ns()}").create()
    pipeline = StagingPipeline(staging)
    pipeline.open_spider(None)
    session = OParlSync(full=True)
    fetched_at = utcnow()
    items = 0
    meta_by_url: dict[str, dict] = {}
    start, wall = time.process_time(), time.perf_counter()
    for name, url, raw in pages:
        list_url = url.split("?", 1)[0]
        meta = meta_by_url.pop(url, None) or {"list": name, "listUrl": list_url, "page": 1}
        page = Page.from_bytes(url, raw, "application/json; charset=utf-8")
        parsed = session.parse(page, "karlsruhe", meta)
        session.drain_notes()
        for link in parsed.follow:
            if link.kind == "list":
                meta_by_url[link.url] = link.meta
        staged = normalised_lines(parsed.items, fetched_at)
        if staged is not None:
            pipeline.process_item(staged, None)
            items += len(parsed.items)
    pipeline.close_spider(None)
    return time.process_time() - start, time.perf_counter() - wall, items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one parse+stage run")
    args = parser.parse_args(argv)
    corpus = corpus_path()
    if not (corpus / "oparl-karlsruhe").is_dir():
        raise SystemExit(f"Karlsruhe export not found under {corpus} (set RATSINFO_CORPUS)")
    import logging

    logging.basicConfig(level=logging.WARNING)
    pages = build_pages(corpus, args.page_size)
    size = sum(len(raw) for *_, raw in pages)
    print(f"{len(pages)} list pages of {args.page_size}, {size / 1e6:.1f} MB of JSON", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="bench-oparl-items-") as tmp:
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            run_parse_stage(pages, Path(tmp))
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
            print(out.getvalue(), file=sys.stderr)
        json_s, json_wall, objects = min(run_json(pages) for _ in range(args.repeat))
        stage_s, stage_wall, items = min(run_parse_stage(pages, Path(tmp)) for _ in range(args.repeat))
    rows = [
        {"step": "json.loads", "pages": len(pages), "objects": objects, "cpu_s": round(json_s, 3),
         "wall_s": round(json_wall, 3), "items_per_cpu_s": round(items / json_s),
         "note": "the staged items per CPU second json.loads alone would allow"},
        {"step": "parse+stage", "pages": len(pages), "items": items, "cpu_s": round(stage_s, 3),
         "wall_s": round(stage_wall, 3), "items_per_cpu_s": round(items / stage_s),
         "items_per_wall_s": round(items / stage_wall)},
    ]
    for row in rows:
        print(json.dumps(row))
    print(f"parse+stage: {items / stage_s:,.0f} items per CPU second, one core "
          f"({stage_s / json_s:.1f}x the CPU time of a bare json.loads of the same pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
