"""Tests for the round-4 terms of the integration taxonomy (data/topics/integration.toml).

Round 4 followed the second towns set (tests/data/topic_labels_towns_repos.jsonl,
Magdeburg and Nordstemmen). Each new or widened term is checked with general German
phrases it must catch (naming the term that fires) and the false friends it must
leave alone.
"""

from __future__ import annotations

import pytest

from pipelines.normalise.topics import STRONG, WEAK, find_hits, match_topic
from tests.pipelines.normalise.conftest import fired


@pytest.mark.parametrize(
    ("title", "term", "form"),
    [
        ("Einführung der Bezahlkarte im Stadtgebiet", "Bezahlkarte", "Bezahlkarte"),
        ("Erfahrungen mit der Bezahlkarte", "Bezahlkarte", "Bezahlkarte"),
        ("Wohnraum für Menschen aus der Ukraine", "Menschen aus Herkunftsländern", "Menschen aus der Ukraine"),
        ("Schulplätze für Kinder aus Syrien und Afghanistan", "Menschen aus Herkunftsländern", "Kinder aus Syrien"),
        ("Zuflucht für Familien aus dem Irak", "Menschen aus Herkunftsländern", "Zuflucht für Familien"),
        ("Anschlussunterkunft für Ukrainerinnen und Ukrainer", "Herkunftsgruppe (Personen)", "Ukrainerinnen"),
        ("Beratungsangebot für Syrer", "Herkunftsgruppe (Personen)", "Syrer"),
        ("Zuzug von Rumänen und Bulgaren", "Herkunftsgruppe (Personen)", "Rumänen"),
        ("Gewerbeanmeldungen bulgarischer Staatsbürger", "Herkunftsgruppe", "bulgarischer Staatsbürger"),
        ("Zahl der syrischen Staatsangehörigen in der Stadt", "Herkunftsgruppe", "syrischen Staatsangehörigen"),
    ],
)
def test_round_4_strong_term_matches_a_title_on_its_own(taxonomy, title, term, form):
    assert (term, form) in fired(taxonomy, title)
    match = match_topic(taxonomy, title=title)
    assert match.matched and match.reason == "title: strong term"


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Information der EU-Staatsangehörigen", "EU-Bürger"),
        ("Einstellung eines Integrationshelfers", "Integrations-Kompositum"),
        ("Arbeitsmarkt- und Integrationsprogramm des Jobcenters", "Integrations-Kompositum"),
    ],
)
def test_round_4_weak_terms_are_weak(taxonomy, text, term):
    hits = [h for h in find_hits(taxonomy, text) if h.term == term]
    assert hits and all(h.weight == WEAK for h in hits)
    assert not match_topic(taxonomy, title=text).matched


def test_weak_integrations_compound_in_title_with_strong_term_in_text_lead_matches(taxonomy):
    match = match_topic(
        taxonomy,
        title="Einstellung einer Integrationshelferin mit einer halben Stelle",
        texts=["Der Rat spricht sich für eine Koordinatorin für die Integration der Zugewanderten aus."],
    )
    assert match.matched
    assert match.reason == "title weak term + strong term in text lead"


def test_strong_integration_compounds_still_win_over_the_weak_catch_all(taxonomy):
    hits = find_hits(taxonomy, "Integrationskurse und Integrationsausschuss")
    assert [(h.term, h.weight) for h in hits] == [("Integrationsrat", STRONG), ("Integrationsrat", STRONG)]


@pytest.mark.parametrize(
    "title",
    [
        "Erholungsfreizeiten für Jugendliche aus Triers ukrainischer Partnerstadt Isjum",
        "Hilfsgüter für Menschen in der Ukraine",
        "Zuflucht für Frauen: Förderung des Frauenhauses",
        "Türkenlouis-Gymnasium: Sanierung der Turnhalle",
        "Integrationshilfe für Kinder mit Behinderung",
        "Integrationsfachdienst: Zuschuss",
        "Mensabezahlkarten an Schulen",
        "Europäischer Austausch mit französischen Staatsbürgern der Partnerstadt",
    ],
)
def test_false_friends_of_the_round_4_terms_do_not_match(taxonomy, title):
    match = match_topic(taxonomy, title=title)
    assert not match.matched, (title, match.terms)


def test_every_round_4_term_says_so_in_its_notes(taxonomy):
    names = {"Bezahlkarte", "Menschen aus Herkunftsländern", "Herkunftsgruppe (Personen)", "Herkunftsgruppe",
             "EU-Bürger", "Integrations-Kompositum"}
    terms = {t.name: t for t in taxonomy.terms}
    assert names <= terms.keys()
    for name in names:
        assert "Round 4" in terms[name].notes, name
