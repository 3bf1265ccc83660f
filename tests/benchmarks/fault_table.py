"""Print the fault suite's table: kind | area | expected outcome | passed?, with totals per outcome.

Runs ``pytest tests/faults`` in this process with a small plugin that reads
each test's ``@pytest.mark.fault(kind=..., outcome=...)`` marker and its
result. The area is the test module's name (``test_network.py`` -> network).
Exit status 1 when any fault test fails, errors or is skipped, or a test has
no valid marker; 0 when all pass. Extra arguments go to pytest, e.g.
``python tests/benchmarks/fault_table.py -k network``.

    PYTHONPATH=. python tests/benchmarks/fault_table.py [--markdown]
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))
FAULTS_DIR = PROJECT_ROOT / "tests" / "faults"


@dataclass
class Row:
    kind: str
    area: str
    outcome: str
    result: str = "not run"  # passed | failed | skipped | not run


class FaultTable:
    """pytest plugin: one Row per fault test."""

    def __init__(self) -> None:
        self.rows: dict[str, Row] = {}

    def pytest_collection_modifyitems(self, items):
        for item in items:
            marks = list(item.iter_markers("fault"))
            area = Path(str(item.fspath)).stem.removeprefix("test_")
            if len(marks) == 1:
                kind, outcome = marks[0].kwargs.get("kind", "?"), marks[0].kwargs.get("outcome", "?")
            else:
                kind, outcome = f"(no fault marker: {item.name})", "?"
            self.rows[item.nodeid] = Row(kind=kind, area=area, outcome=outcome)

    def pytest_runtest_logreport(self, report):
        row = self.rows.get(report.nodeid)
        if row is None:
            return
        if report.failed:
            row.result = "failed"
        elif report.skipped and row.result != "failed":
            row.result = "skipped"
        elif report.when == "call" and report.passed and row.result == "not run":
            row.result = "passed"


def render(rows: list[Row], seconds: float, markdown: bool) -> str:
    rows = sorted(rows, key=lambda r: (r.area, r.outcome, r.kind))
    header = ("kind", "area", "expected outcome", "passed?")
    cells = [(r.kind, r.area, r.outcome, "yes" if r.result == "passed" else r.result.upper()) for r in rows]
    lines = []
    if markdown:
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "|".join("---" for _ in header) + "|")
        lines += ["| " + " | ".join(c) + " |" for c in cells]
    else:
        widths = [max(len(str(x)) for x in col) for col in zip(header, *cells)]
        fmt = " | ".join(f"{{:<{w}}}" for w in widths)
        lines.append(fmt.format(*header))
        lines.append("-+-".join("-" * w for w in widths))
        lines += [fmt.format(*c) for c in cells]
    lines.append("")
    by_outcome = Counter(r.outcome for r in rows)
    passed = Counter(r.outcome for r in rows if r.result == "passed")
    for outcome in sorted(by_outcome):
        lines.append(f"{outcome:<9} {passed[outcome]:>3} of {by_outcome[outcome]:>3} passed")
    areas = Counter(r.area for r in rows)
    lines.append(f"areas     " + ", ".join(f"{a} {n}" for a, n in sorted(areas.items())))
    kinds = {(r.area, r.kind) for r in rows}
    lines.append(f"total     {sum(passed.values())} of {len(rows)} fault tests passed, "
                 f"{len(kinds)} distinct kinds, {seconds:.0f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    markdown = "--markdown" in args
    args = [a for a in args if a != "--markdown"]
    plugin = FaultTable()
    started = time.monotonic()
    code = pytest.main([str(FAULTS_DIR), "-q", "-p", "no:cacheprovider", *args], plugins=[plugin])
    seconds = time.monotonic() - started
    rows = list(plugin.rows.values())
    print()
    print(render(rows, seconds, markdown))
    bad = [r for r in rows if r.result != "passed" or r.outcome not in {"ok", "recorded", "refused"}]
    if not rows or bad or code not in (0, pytest.ExitCode.OK):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
