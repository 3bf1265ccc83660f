"""Print precision and recall of the integration topic matcher on the hand-labelled papers.

Usage (from the project root)::

    .venv/bin/python tests/benchmarks/eval_topics.py [--labels tests/data/topic_labels.jsonl]
                                                      [--taxonomy data/topics/integration.toml]
                                                      [--show-terms]

Prints counts, precision, recall and F1, then every false positive and false
negative with its title and the evidence, so a person can see why. Exit code 1
when precision < 0.90 or recall < 0.85 (the targets), 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

from pipelines.normalise.topics import load_taxonomy, match_topic  # noqa: E402

DEFAULT_LABELS = PROJECT_ROOT / "tests" / "data" / "topic_labels.jsonl"
TARGET_PRECISION = 0.90
TARGET_RECALL = 0.85


def evaluate(labels_path: Path, taxonomy_path: Path | None = None) -> dict:
    """Return counts, scores and the misclassified rows of the labelled set."""
    taxonomy = load_taxonomy(taxonomy_path)
    rows = [json.loads(line) for line in labels_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    tp = fp = fn = tn = 0
    false_pos, false_neg, true_pos = [], [], []
    for row in rows:
        match = match_topic(taxonomy, title=row["title"], texts=[row.get("text") or ""])
        if match.matched and row["label"]:
            tp += 1
            true_pos.append((row, match))
        elif match.matched:
            fp += 1
            false_pos.append((row, match))
        elif row["label"]:
            fn += 1
            false_neg.append((row, match))
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "rows": len(rows),
        "positives": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "false_positives": false_pos,
        "false_negatives": false_neg,
        "true_positives": true_pos,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--taxonomy", type=Path, default=None)
    parser.add_argument("--show-terms", action="store_true", help="also list the terms of every true positive")
    args = parser.parse_args(argv)

    result = evaluate(args.labels, args.taxonomy)
    print(f"labelled papers: {result['rows']}  (positive: {result['positives']}, negative: {result['rows'] - result['positives']})")
    print(f"TP {result['tp']}  FP {result['fp']}  FN {result['fn']}  TN {result['tn']}")
    print(f"precision {result['precision']:.3f}  (target >= {TARGET_PRECISION})")
    print(f"recall    {result['recall']:.3f}  (target >= {TARGET_RECALL})")
    print(f"F1        {result['f1']:.3f}")

    print(f"\nFALSE POSITIVES ({result['fp']}):")
    for row, match in result["false_positives"]:
        print(f"  - {row['title'][:110]}")
        print(f"      fired: {', '.join(match.terms)}  [{match.reason}]  label note: {row.get('note', '')}")
    print(f"\nFALSE NEGATIVES ({result['fn']}):")
    for row, match in result["false_negatives"]:
        seen = ", ".join(match.title.forms + match.text.forms) or "nothing"
        print(f"  - {row['title'][:110]}")
        print(f"      seen: {seen}  label note: {row.get('note', '')}")
    if args.show_terms:
        print(f"\nTRUE POSITIVES ({result['tp']}):")
        for row, match in result["true_positives"]:
            print(f"  + {row['title'][:90]}  <- {', '.join(match.terms[:6])}  [{match.reason}]")

    ok = result["precision"] >= TARGET_PRECISION and result["recall"] >= TARGET_RECALL
    print("\n" + ("targets met" if ok else "TARGETS NOT MET"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
