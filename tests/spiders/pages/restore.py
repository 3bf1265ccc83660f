"""Restore the real pages whose repositories grant no licence to redistribute them.

``SOURCES.tsv`` names every real page the tests use: repository, path and
commit. Pages marked ``saved = yes`` are committed here (their licence allows
it); the others are fetched from GitHub at the recorded commit into
``restored/`` (ignored by git) and the tests that use them skip while they are
missing. CI never depends on them.

Usage: ``python -m tests.spiders.pages.restore [--force]``.
"""

from __future__ import annotations

import csv
import sys
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW = "https://raw.githubusercontent.com/{repository}/{commit}/{path}"
USER_AGENT = "ratsinfo-tests (restores test pages from public repositories)"


def restored_path(relative: str) -> Path:
    """Return the path of a restored page (``restored/<relative>``); skip the calling test while it is missing."""
    import pytest

    path = HERE / "restored" / relative
    if not path.is_file():
        pytest.skip(f"{relative} not restored (python -m tests.spiders.pages.restore)")
    return path


def rows() -> list[dict[str, str]]:
    """Return the rows of SOURCES.tsv."""
    with (HERE / "SOURCES.tsv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def to_restore() -> list[dict[str, str]]:
    """Return the rows of pages that are not committed and must be fetched."""
    return [row for row in rows() if row["saved"] != "yes"]


def restore(force: bool = False) -> int:
    """Fetch every page that is not saved here; return the number of failures."""
    failures = 0
    for row in to_restore():
        target = HERE / row["file"]
        if target.is_file() and not force:
            print(f"have   {row['file']}")
            continue
        url = RAW.format(**row)
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                body = response.read()
        except OSError as exc:
            print(f"FAILED {row['file']}: {url}: {exc}", file=sys.stderr)
            failures += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        print(f"got    {row['file']} ({len(body)} bytes) from {row['repository']}@{row['commit'][:10]}")
    return failures


if __name__ == "__main__":
    sys.exit(1 if restore(force="--force" in sys.argv[1:]) else 0)
