"""Print how often ``parse_vote_result`` gets the result class and the counts of the labelled vote texts right.

Usage (from the project root)::

    .venv/bin/python tests/benchmarks/eval_votes.py [--labels tests/data/vote_labels.jsonl] [--no-misses]

The labels (tests/data/vote_labels.jsonl, guideline in
tests/data/README_vote_labels.md) are real result and vote texts of 14 towns
the project had not used before, labelled by hand before the parser was run
on them. For every row the script parses ``text`` (and ``vote_text`` where the
page prints the vote apart), then compares

* the result class (``None`` where the text is no decision yet), and
* the counts ``(yes, no, abstain)``, all three at once, ``None`` where the text
  prints none,

and prints the accuracy of both overall, for agenda items and vocabulary rows
apart, for the rows that print counts, and per town; then every miss with
its text, the label and what the parser gave. A figure, not a gate: the exit
code is 0 unless the labels cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

from pipelines.normalise.votes import RESULTS, parse_vote_result  # noqa: E402

DEFAULT_LABELS = PROJECT_ROOT / "tests" / "data" / "vote_labels.jsonl"
FIELDS = ("id", "town", "kind", "repo", "path", "commit", "text", "vote_text", "result", "yes", "no", "abstain")


def read_labels(path: Path) -> list[dict]:
    """Return the labelled rows of a JSONL file, each checked for the fields the guideline names."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        missing = [field for field in FIELDS if field not in row]
        if missing:
            raise ValueError(f"{path}:{number}: missing {', '.join(missing)}")
        if row["result"] is not None and row["result"] not in RESULTS:
            raise ValueError(f"{path}:{number}: unknown result {row['result']!r}")
        if row["text"] is None and row["vote_text"] is None:
            raise ValueError(f"{path}:{number}: neither text nor vote_text")
        rows.append(row)
    return rows


def score(rows: list[dict]) -> list[dict]:
    """Return one outcome per row: the label, what the parser gave and whether class and counts match."""
    outcomes = []
    for row in rows:
        vote = parse_vote_result(row["text"], row["vote_text"])
        got_result = vote.result if vote is not None else None
        got_counts = (vote.yes, vote.no, vote.abstain) if vote is not None else (None, None, None)
        want_counts = (row["yes"], row["no"], row["abstain"])
        outcomes.append(
            {
                "row": row,
                "got_result": got_result,
                "got_counts": got_counts,
                "want_counts": want_counts,
                "result_ok": got_result == row["result"],
                "counts_ok": got_counts == want_counts,
                "printed_counts": any(count is not None for count in want_counts),
            }
        )
    return outcomes


def _share(hits: int, total: int) -> str:
    return f"{hits}/{total} ({hits / total:.1%})" if total else "0/0 (-)"


def summary(outcomes: list[dict]) -> dict[str, tuple[int, int, int]]:
    """Return (rows, result hits, count hits) overall, per kind, for rows with counts and per town."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for outcome in outcomes:
        groups["all"].append(outcome)
    for kind in ("item", "vocabulary"):
        groups[f"kind: {kind}"] = [o for o in outcomes if o["row"]["kind"] == kind]
    groups["rows that print counts"] = [o for o in outcomes if o["printed_counts"]]
    for outcome in sorted(outcomes, key=lambda o: (o["row"]["kind"], o["row"]["town"])):
        groups[f"town: {outcome['row']['town']} ({outcome['row']['kind']})"].append(outcome)
    return {
        name: (len(group), sum(o["result_ok"] for o in group), sum(o["counts_ok"] for o in group))
        for name, group in groups.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--no-misses", action="store_true", help="print the figures only")
    args = parser.parse_args(argv)
    try:
        rows = read_labels(args.labels)
    except (OSError, ValueError) as error:
        print(f"eval_votes: cannot read the labels: {error}", file=sys.stderr)
        return 2

    outcomes = score(rows)
    towns = {row["town"] for row in rows}
    shown_path = args.labels.relative_to(PROJECT_ROOT) if args.labels.is_relative_to(PROJECT_ROOT) else args.labels
    print(f"{len(rows)} labelled texts, {len(towns)} towns ({shown_path})")
    print()
    print(f"{'group':<52} {'rows':>5}  {'result class':>16}  {'counts (yes, no, abstain)':>26}")
    for name, (total, result_hits, count_hits) in summary(outcomes).items():
        print(f"{name:<52} {total:>5}  {_share(result_hits, total):>16}  {_share(count_hits, total):>26}")

    if not args.no_misses:
        misses = [o for o in outcomes if not (o["result_ok"] and o["counts_ok"])]
        print()
        print(f"misses ({len(misses)}):")
        for outcome in misses:
            row = outcome["row"]
            shown = " | ".join(part for part in (row["text"], row["vote_text"]) if part)
            shown = " ".join(shown.split())
            if len(shown) > 160:
                shown = shown[:157] + "..."
            what = []
            if not outcome["result_ok"]:
                what.append(f"result {row['result']} -> {outcome['got_result']}")
            if not outcome["counts_ok"]:
                what.append(f"counts {outcome['want_counts']} -> {outcome['got_counts']}")
            print(f"- {row['id']}: {'; '.join(what)}\n    {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
