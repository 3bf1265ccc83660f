"""Print how many distinct real result texts ``parse_vote_result`` maps to a known result.

Reads the agenda-item results of the Karlsruhe OParl dump in the corpus
(``oparl-karlsruhe/meetings.jsonl.gz``) and reports, for the distinct texts
and for all agenda items, how many map to a result other than ``unknown``,
then lists the texts that stay unknown.

Run: ``python tests/benchmarks/vote_coverage.py [--corpus PATH]``
(default: $RATSINFO_CORPUS or ../shared/corpus beside the project).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
from collections import Counter
from pathlib import Path

from pipelines.normalise.votes import parse_vote_result

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def karlsruhe_results(corpus: Path) -> Counter[str]:
    """Return how often each agenda-item result text occurs in the Karlsruhe dump."""
    counts: Counter[str] = Counter()
    with gzip.open(corpus / "oparl-karlsruhe" / "meetings.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            for item in json.loads(line).get("agendaItem") or []:
                if item.get("result"):
                    counts[item["result"]] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("RATSINFO_CORPUS", str(PROJECT_ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--corpus", type=Path, default=Path(default))
    parser.add_argument("--show", action="store_true", help="print every text with its result")
    args = parser.parse_args()

    texts = karlsruhe_results(args.corpus)
    by_result: Counter[str] = Counter()
    items_by_result: Counter[str] = Counter()
    unknown: list[str] = []
    for text, n in texts.most_common():
        parsed = parse_vote_result(text)
        result = parsed.result if parsed is not None else "(none)"
        by_result[result] += 1
        items_by_result[result] += n
        if result in ("unknown", "(none)"):
            unknown.append(text)
        if args.show:
            print(f"{n:6}  {result:10}  {text}")
    known = sum(v for k, v in by_result.items() if k not in ("unknown", "(none)"))
    known_items = sum(v for k, v in items_by_result.items() if k not in ("unknown", "(none)"))
    print(f"distinct Karlsruhe results: {len(texts)}; mapped to a known result: {known} ({known / len(texts):.0%})")
    total = sum(texts.values())
    print(f"agenda items with a result: {total}; mapped to a known result: {known_items} ({known_items / total:.1%})")
    print("distinct texts per result:", dict(by_result.most_common()))
    print("unknown:", unknown)


if __name__ == "__main__":
    main()
