"""Every real page in the corpus is recognised as the dialect that made it."""

from __future__ import annotations

import pytest

from spiders.dialects import Page, UnknownDialect, detect
from tests.conftest import corpus_path

EXPECTED_BY_FOLDER = {
    "allris3": "allris_classic",
    "allris4": "allris4",
    "sessionnet": "sessionnet",
    "oparl": "oparl",
}
# Systems ratsinfo does not support (yet): detection must say so clearly.
UNSUPPORTED_FOLDERS = ("regisafe", "rubin")


def corpus_files(folders):
    root = corpus_path()
    if not root.is_dir():
        return [pytest.param(None, id="corpus-missing")]
    return [pytest.param(p, id=f"{p.parent.name}/{p.name}") for f in folders for p in sorted((root / f).glob("*")) if p.is_file()]


def page_of(path) -> Page:
    return Page.from_bytes(path.as_uri(), path.read_bytes())


@pytest.mark.parametrize("path", corpus_files(EXPECTED_BY_FOLDER))
def test_detects_the_dialect_of_every_corpus_page(corpus_dir, path):
    module, evidence = detect(page_of(path))
    assert module.NAME == EXPECTED_BY_FOLDER[path.parent.name], evidence
    assert evidence


@pytest.mark.parametrize("path", corpus_files(UNSUPPORTED_FOLDERS))
def test_unsupported_systems_get_a_clear_message(corpus_dir, path):
    with pytest.raises(UnknownDialect, match="unknown council information system"):
        detect(page_of(path))
