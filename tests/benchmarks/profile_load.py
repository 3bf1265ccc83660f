"""Profile: where the load's CPU time goes, statement by statement.

    .venv/bin/python tests/benchmarks/profile_load.py STAGED_CRAWL_DIR [--top 15]

Loads a staged crawl folder (e.g. one ``bench_load.py`` staged, or any
``data/staging/<crawl id>``) into a fresh DuckDB file twice (first load, then
reload) with the load's defaults, timing every SQL statement ``load_crawl``
runs by the CPU time it takes. Prints, per load, the CPU seconds of the whole
call and of its statements, grouped by step (the first words of the
statement), largest first, each with its share of the call.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))


class TimedConnection:
    """A DuckDB connection that adds up the CPU time of each statement by its step."""

    def __init__(self, con):
        self._con = con
        self.spent: dict[str, float] = defaultdict(float)

    def execute(self, sql, *args, **kwargs):
        start = time.process_time()
        result = self._con.execute(sql, *args, **kwargs)
        self.spent[step(sql)] += time.process_time() - start
        return result

    def __getattr__(self, name):
        return getattr(self._con, name)


def step(sql: str) -> str:
    """Return a statement's step: its verb and the table it writes (temp tables of one kind together)."""
    words = " ".join(sql.split())
    match = re.match(r"(CREATE OR REPLACE (?:TEMP )?(?:TABLE|VIEW)|INSERT INTO|UPDATE|DELETE FROM|DROP \w+(?: IF EXISTS)?|"
                     r"COMMENT ON \w+|\w+)\s*(\S*)", words)
    if not match:
        return words[:60]
    verb, target = match.group(1), match.group(2).strip('"(')
    target = re.sub(r"^(raw|merged|stg|oparl_staged)_\w+$", r"\1_<table>", target)
    return f"{verb} {target}".strip()


def main(argv: list[str] | None = None) -> int:
    from pipelines.warehouse.load import connect, load_crawl
    from schemas.staging import StagingArea

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("staged", type=Path, help="a staged crawl folder (with crawl.json and items.jsonl)")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    staging = StagingArea(args.staged.parent.parent, args.staged.name)
    with tempfile.TemporaryDirectory(prefix="profile-load-") as tmp:
        con = connect(Path(tmp) / "w.duckdb")
        for name in ("load", "reload"):
            timed = TimedConnection(con)
            start = time.process_time()
            load_crawl(staging, timed)
            total = time.process_time() - start
            statements = sum(timed.spent.values())
            print(f"{name}: {total:.2f} CPU s, of which SQL statements {statements:.2f} s, Python {total - statements:.2f} s")
            for what, seconds in sorted(timed.spent.items(), key=lambda kv: -kv[1])[: args.top]:
                print(f"  {seconds:6.2f} s {100 * seconds / total:4.0f} %  {what}")
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
