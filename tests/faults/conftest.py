"""The fault suite's rule: every test is one kind of fault with its expected outcome."""

from __future__ import annotations

import pytest

OUTCOMES = {"ok", "recorded", "refused"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/faults/" not in str(item.fspath).replace("\\", "/"):
            continue
        marks = list(item.iter_markers("fault"))
        problem = None
        if len(marks) != 1:
            problem = f"needs exactly one @pytest.mark.fault(kind=..., outcome=...), has {len(marks)}"
        elif not marks[0].kwargs.get("kind") or marks[0].kwargs.get("outcome") not in OUTCOMES:
            problem = f"fault marker needs kind and outcome in {sorted(OUTCOMES)}: {marks[0].kwargs}"
        if problem:
            item.add_marker(pytest.mark.xfail(reason=problem, strict=True, run=False))
            item.user_properties.append(("fault_marker_problem", problem))
