"""The layout shows the flow: source → spider → items → pipelines → warehouse → exports.

The spider side may use the contracts (``schemas``), its own modules and the pure
normalisers, nothing downstream of it; the pure normalisers import nothing of the
project but each other and the contracts.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ("schemas", "spiders", "pipelines", "flows", "tests")


def project_imports(folder: str) -> list[tuple[str, str]]:
    """(file, imported module) for every import of a project module under ``folder``."""
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found += [(str(path.relative_to(ROOT)), name) for name in names if name.split(".")[0] in PROJECT]
    return found


def allowed(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def test_spiders_import_only_contracts_spiders_and_pure_normalisers():
    imports = project_imports("spiders")
    assert imports, "no project imports found under spiders/: the scan is broken"
    wrong = [(f, m) for f, m in imports if not allowed(m, ("schemas", "spiders", "pipelines.normalise"))]
    assert wrong == []


def test_normalisers_are_pure():
    wrong = [(f, m) for f, m in project_imports("pipelines/normalise") if not allowed(m, ("schemas", "pipelines.normalise"))]
    assert wrong == []


def test_contracts_import_no_stage():
    wrong = [(f, m) for f, m in project_imports("schemas") if not allowed(m, ("schemas",))]
    assert wrong == []


def test_pipelines_are_cut_by_stage():
    top = sorted(p.name for p in (ROOT / "pipelines").glob("*.py") if p.name != "__init__.py")
    assert top == [], f"modules outside a stage folder: {top}"
    stages = sorted(p.name for p in (ROOT / "pipelines").iterdir() if (p / "__init__.py").exists())
    assert stages == ["crawl", "exports", "normalise", "warehouse"]
