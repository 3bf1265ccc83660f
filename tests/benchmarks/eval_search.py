"""Print what the full-text search finds on the real Karlsruhe export, against the fts extension's own search.

    .venv/bin/python tests/benchmarks/eval_search.py [--db W.duckdb] [--sample 30]

Builds the warehouse as ``bench_web.py`` does (the real dump of 14,004 papers
served on 127.0.0.1, crawled and loaded; ``--db`` copies a warehouse built so
before) and rebuilds its search index with this tree's code. Then, for each
query of QUERIES, it prints how many papers two searches find:

* **extension**: DuckDB's ``match_bm25`` with every word of the query, as
  typed (ratsinfo's search before it read German compounds and synonyms);
* **ratsinfo**: ``pipelines.warehouse.search.search`` (words in their
  compounds and gender forms, synonyms of ``data/search/vocabulary.toml``).

Of the papers only ratsinfo finds, a sample (``--sample`` per query, drawn
with a fixed seed) is looked up in ``tests/data/search_labels.jsonl``, where
a person judged each paper by its title (guideline:
``tests/data/README_search_labels.md``), and the share judged relevant is
printed per query and in all. A sampled paper without a label is listed and
the script exits 1: the search has changed and the new papers need a judgement.
Also printed: the median time of one query of each search.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

LABELS = PROJECT_ROOT / "tests" / "data" / "search_labels.jsonl"
# What people look for first (integration and migration), then everyday council subjects.
QUERIES = ["Flüchtlinge", "Geflüchtete", "Asylbewerber", "Migranten", "Migration", "Einbürgerung", "Integration",
           "Integrationsrat", "Ausländerbehörde", "Unterkunft", "Kita", "Radweg", "Schule", "Haus"]


def paper_key(doc_id: str) -> str:
    """Return a paper's key that does not depend on the test server's port: the path of its OParl id."""
    return urlsplit(doc_id.split(":", 1)[1]).path


def extension_hits(con, query: str) -> set[str]:
    """Return the docIds match_bm25 finds with every word of ``query``."""
    return {row[0] for row in con.execute(
        """SELECT "docId" FROM (SELECT "docId", fts_main_search_document.match_bm25("docId", ?, conjunctive := 1) AS s
           FROM search_document) WHERE s IS NOT NULL""", [query]).fetchall()}


def median_ms(run, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a Karlsruhe warehouse built before (copied; its index is rebuilt)")
    parser.add_argument("--sample", type=int, default=30, help="papers per query checked against the labels")
    args = parser.parse_args()

    import duckdb

    from pipelines.warehouse.search import load_fts, rebuild_search_index, search

    labels = {(r["query"], r["paper"]): r for r in map(json.loads, LABELS.read_text(encoding="utf-8").splitlines())}
    with tempfile.TemporaryDirectory(prefix="ratsinfo-eval-search-") as tmp:
        db = Path(tmp) / "w.duckdb"
        if args.db:
            shutil.copy(args.db, db)
        else:
            from tests.benchmarks.bench_web import build_karlsruhe_warehouse

            shutil.move(build_karlsruhe_warehouse(Path(tmp) / "build"), db)
        con = duckdb.connect(str(db))
        load_fts(con)
        papers = rebuild_search_index(con)
        print(f"{papers} papers indexed (titles and text sections of the Karlsruhe export)\n")
        print(f"{'query':18s} {'extension':>9s} {'ratsinfo':>8s} {'added':>6s} {'lost':>5s}   sample of the added:"
              f" relevant / judged   ms extension / ratsinfo")
        relevant_all = judged_all = 0
        unlabelled = []
        times = {"extension": [], "ratsinfo": []}
        for query in QUERIES:
            before = extension_hits(con, query)
            now = {hit.id: hit.title for hit in search(con, query, limit=100_000)}
            added = sorted(set(now) - before)
            sample = sorted(random.Random(0).sample(added, min(args.sample, len(added))))
            judged = [labels.get((query, paper_key(doc))) for doc in sample]
            unlabelled += [(query, paper_key(doc), now[doc]) for doc, label in zip(sample, judged) if label is None]
            relevant = sum(1 for label in judged if label and label["relevant"])
            counted = sum(1 for label in judged if label)
            relevant_all, judged_all = relevant_all + relevant, judged_all + counted
            ms_before = median_ms(lambda: extension_hits(con, query))
            ms_now = median_ms(lambda: search(con, query, limit=100_000))
            times["extension"].append(ms_before)
            times["ratsinfo"].append(ms_now)
            print(f"{query:18s} {len(before):9d} {len(now):8d} {len(added):6d} {len(before - set(now)):5d}"
                  f"   {relevant:3d} / {counted:<3d}{'':29s}{ms_before:5.0f} / {ms_now:.0f}")
        con.close()
    share = f"{relevant_all / judged_all:.1%}" if judged_all else "n/a"
    print(f"\nadded papers judged relevant: {relevant_all} of {judged_all} sampled ({share})")
    print(f"median query time: extension {statistics.median(times['extension']):.0f} ms,"
          f" ratsinfo {statistics.median(times['ratsinfo']):.0f} ms")
    if unlabelled:
        print(f"\n{len(unlabelled)} sampled papers have no label in {LABELS.relative_to(PROJECT_ROOT)}:")
        for query, key, title in unlabelled:
            print(json.dumps({"query": query, "paper": key, "title": title, "relevant": None}, ensure_ascii=False))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
