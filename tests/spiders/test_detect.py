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
    "rubin": "rubin",
    "regisafe": "regisafe",
}
# Systems ratsinfo names but does not crawl yet are tested in test_census_detect.py.


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


@pytest.mark.parametrize(
    "name, system, generation",
    [
        ("allris3/hamburg-altona_vo020.html", "allris_classic", "ALLRIS net 3.9.5 classic"),
        ("allris3/lk-osnabrueck-allris-3-responsive_vo020_r_vorlage_EXCERPT.html", "allris_classic", "responsive (_r)"),
        ("allris3/giesen-allris-3-responsive_si010_r_calendar-2026-09_EXCERPT.html", "allris_classic", "responsive (_r)"),
        ("allris4/trier-allris-4.1.7_to010_sitzung-1000264_LF.html", "allris4", "ALLRIS net 4.1.7"),
        ("sessionnet/eschweiler-php-5.5.5_vo0050_vorlage-12546.html", "sessionnet", "SessionNet 5.5.5 (Layout 6), .php"),
        ("sessionnet/kaiserslautern-asp-5.4.6_vo0050_vorlage-19902.html", "sessionnet", "SessionNet 5.4.6 (Layout 6), .asp"),
        ("sessionnet/halle-asp-5.3.3-layout4_to0040_agenda-with-votes_EXCERPT.html", "sessionnet", "(Layout 4)"),
        ("sessionnet/schiffweiler-php-4.9.6-layout5_si0057_agenda_EXCERPT.html", "sessionnet", "SessionNet 4.9.6 (Layout 5)"),
    ],
)
def test_describe_names_system_and_generation(corpus_dir, name, system, generation):
    from spiders.dialects import describe

    description = describe(page_of(corpus_dir / name))
    assert description["system"] == system
    assert generation in description["generation"]


@pytest.mark.parametrize("dialect", ["allris_classic", "allris4", "sessionnet", "oparl", "sdnet", "rubin", "regisafe"])
def test_no_dialect_claims_pages_of_another_system(corpus_dir, dialect):
    """Each dialect's detect answers None for every page of the other systems (not just the first match in order)."""
    from spiders.dialects import by_name

    module = by_name(dialect)
    foreign = [f for f, name in EXPECTED_BY_FOLDER.items() if name != dialect]
    claimed = [
        f"{folder}/{path.name}"
        for folder in foreign
        for path in sorted((corpus_dir / folder).glob("*"))
        if path.is_file() and module.detect(page_of(path))
    ]
    assert claimed == []
