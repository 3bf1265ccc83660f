"""The fault suite's rule: every test is one kind of fault with its expected outcome.

A test in this folder without exactly one ``@pytest.mark.fault(kind=..., outcome=...)``
(outcome ``ok``, ``recorded`` or ``refused``) fails with the reason, so the
table that ``tests/benchmarks/fault_table.py`` prints never has an unnamed row.
"""

from __future__ import annotations

import pytest

OUTCOMES = {"ok", "recorded", "refused"}


def marker_problem(item) -> str | None:
    """Return what is wrong with a fault test's marker, or None."""
    marks = list(item.iter_markers("fault"))
    if len(marks) != 1:
        return f"needs exactly one @pytest.mark.fault(kind=..., outcome=...), has {len(marks)}"
    kwargs = marks[0].kwargs
    if not kwargs.get("kind") or kwargs.get("outcome") not in OUTCOMES:
        return f"fault marker needs a kind and an outcome in {sorted(OUTCOMES)}: {kwargs}"
    return None


def pytest_runtest_setup(item):
    if "tests/faults/" in str(item.fspath).replace("\\", "/"):
        problem = marker_problem(item)
        if problem:
            pytest.fail(problem, pytrace=False)
