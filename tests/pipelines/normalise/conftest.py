"""Shared by the topic tests: the default taxonomy, loaded once, and what fired in a text."""

from __future__ import annotations

import pytest

from pipelines.normalise.topics import find_hits, load_taxonomy


@pytest.fixture(scope="session")
def taxonomy():
    return load_taxonomy()


def fired(taxonomy, text: str) -> list[tuple[str, str]]:
    """Return (term name, surface form) of every hit in a text."""
    return [(h.term, h.form) for h in find_hits(taxonomy, text)]
