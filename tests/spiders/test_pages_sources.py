"""Every real page under tests/spiders/pages has its provenance, and only licensed pages are committed."""

from __future__ import annotations

import re
import subprocess

from tests.conftest import PROJECT_ROOT
from tests.spiders.pages import restore

PAGES = PROJECT_ROOT / "tests" / "spiders" / "pages"


def test_every_saved_page_is_recorded_with_repository_path_and_commit():
    rows = restore.rows()
    saved = {row["file"] for row in rows if row["saved"] == "yes"}
    on_disk = {str(p.relative_to(PAGES)) for p in PAGES.glob("*/*") if p.is_file() and p.parent.name != "restored"}
    assert on_disk == saved
    for row in rows:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+", row["repository"]), row
        assert re.fullmatch(r"[0-9a-f]{40}", row["commit"]), row
        assert row["path"] and row["town"], row
        if row["saved"] == "yes":
            assert row["licence"] in {"MIT", "Apache-2.0", "BSD-3-Clause", "CC0-1.0", "CC-BY-4.0"}, row
        else:
            assert row["file"].startswith("restored/"), row


def test_restored_pages_are_never_committed():
    tracked = subprocess.run(["git", "ls-files", "tests/spiders/pages/restored"], cwd=PROJECT_ROOT,
                             capture_output=True, text=True).stdout.split()
    assert tracked == ["tests/spiders/pages/restored/.gitignore"]
