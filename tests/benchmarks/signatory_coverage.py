"""Print how many real Karlsruhe documents with "gez." lines yield signatories, with a sample.

Usage (from the project root)::

    .venv/bin/python tests/benchmarks/signatory_coverage.py [--sample 25] [--seed 7] [--misses]

Reads ``oparl-karlsruhe/file-texts.jsonl.gz`` from the corpus ($RATSINFO_CORPUS or
../shared/corpus) in place. A document counts when a line starts with ``gez.``
(what a person would call a signature line); plan title blocks ("bearb./gez./
gepr.") are counted separately because they are not signatures. The sample
prints each document's ``gez.`` lines next to what the finder made of them so
a person can check them by eye.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

from pipelines.normalise.signatories import find_signatories  # noqa: E402
from tests.conftest import corpus_path  # noqa: E402

GEZ_LINE = re.compile(r"^\s*(?:[A-Za-zäöüÄÖÜ ]{1,25}:\s*)?gez\b", re.I | re.M)
TITLE_BLOCK = re.compile(
    r"gepr(?:\.|üft)|bearb(?:\.|eitet)|Maßstab|Plan-?Nr|Projektnr|Lageplan|Längsschnitt|Ausführungsplanung"
    r"|(?<![\d,.])1\s?:\s?\d{2,5}(?![\d:])",
    re.I,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=25, help="documents to show")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--misses", action="store_true", help="show documents without signatories")
    args = parser.parse_args(argv)

    path = corpus_path() / "oparl-karlsruhe" / "file-texts.jsonl.gz"
    if not path.exists():
        print(f"corpus file not found: {path}", file=sys.stderr)
        return 2
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh]

    with_gez = [d for d in docs if re.search(r"\bgez\b", d["text"] or "", re.I)]
    signature_docs = [d for d in with_gez if GEZ_LINE.search(d["text"])]
    plans = [d for d in signature_docs if _only_title_block_gez(d["text"])]
    scored = [d for d in signature_docs if d not in plans]
    hits = {d["file_id"]: find_signatories(d["text"]) for d in scored}
    hit_docs = [d for d in scored if hits[d["file_id"]]]
    total_people = sum(len(v) for v in hits.values())
    with_role = sum(1 for v in hits.values() for s in v if s.role)
    plan_hits = sum(1 for d in plans if find_signatories(d["text"]))
    no_gez_hits = sum(1 for d in docs if d not in with_gez and find_signatories(d["text"]))

    print(f"documents:                              {len(docs)}")
    print(f"  containing 'gez':                     {len(with_gez)}")
    print(f"  with a line starting 'gez.':          {len(signature_docs)}")
    print(f"    plan title blocks (not signatures): {len(plans)}  -> finder output on them: {plan_hits}")
    print(f"    signature documents:                {len(scored)}")
    print(f"      yielding >= 1 signatory:          {len(hit_docs)} ({len(hit_docs) / max(len(scored), 1):.1%})")
    print(f"      signatories found:                {total_people} ({with_role} with a role)")
    print(f"  documents without 'gez' yielding any: {no_gez_hits}")

    rng = random.Random(args.seed)
    pool = [d for d in scored if not hits[d["file_id"]]] if args.misses else hit_docs
    sample = rng.sample(pool, min(args.sample, len(pool)))
    print()
    print(("MISSES" if args.misses else "SAMPLE") + f" ({len(sample)} of {len(pool)}), for a person to check:")
    for d in sample:
        print("=" * 78)
        print(d["file_id"])
        for excerpt in _gez_excerpts(d["text"]):
            print("  | " + excerpt)
        for s in hits[d["file_id"]]:
            rep = f" [{s.representation}]" if s.representation else ""
            print(f"  -> {s.order}. {s.name}{rep} — {s.role or '(no role)'}")
    return 0


def _only_title_block_gez(text: str) -> bool:
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if GEZ_LINE.match(line):
            window = lines[max(0, i - 6) : i + 7]
            # Plan title blocks are short field lines, not sentences.
            if not any(len(w.strip()) <= 60 and TITLE_BLOCK.search(w) for w in window):
                return False
    return True


def _gez_excerpts(text: str, after: int = 3) -> list[str]:
    lines = text.splitlines()
    shown: list[str] = []
    last = -1
    for i, line in enumerate(lines):
        if GEZ_LINE.match(line):
            for j in range(max(i, last + 1), min(len(lines), i + after + 1)):
                if lines[j].strip():
                    shown.append(lines[j].strip()[:110])
            last = i + after
    return shown[:14]


if __name__ == "__main__":
    raise SystemExit(main())
