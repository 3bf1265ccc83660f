"""Tests for round 5 of the integration taxonomy: gender forms and the terms added after
the one run on the blind towns set (tests/data/topic_labels_towns_blind.jsonl)."""

from __future__ import annotations

import pytest

from pipelines.normalise.topics import WEAK, find_hits, match_topic, normalise_text


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Ausländer*innenbehörde", "Ausländerbehörde"),
        ("Ausländer:innenbehörde", "Ausländerbehörde"),
        ("Ausländer_innenbehörde", "Ausländerbehörde"),
        ("AusländerInnenbehörde", "Ausländerbehörde"),
        ("Migrant*innen und Asylbewerber:innen", "Migrant und Asylbewerber"),
        ("für jede*n Bürger*in", "für jede*n Bürger"),
    ],
)
def test_gender_forms_read_as_the_plain_word(text, plain):
    assert normalise_text(text) == plain


@pytest.mark.parametrize("text", ["Innenstadt", "die Innenministerin", "Titel: innen und außen", "Sachstand: Integration"])
def test_words_that_only_look_like_gender_forms_stay(text):
    assert normalise_text(text) == text


@pytest.mark.parametrize(
    "title",
    [
        "Konfliktfreie Ausländer*innenbehörde",
        "Verständlichkeit in der Kommunikation in der Ausländer:innenbehörde",
        "Maßnahmen zur Altersfeststellung bei minderjährigen unbegleiteten Ausländern",
        "Sachbericht des Welcome-Service für das Jahr 2024",
        "Partner im Projekt Welcoming international Talents",
        "Strategie zur Gewinnung internationaler Talente",
    ],
)
def test_round_5_titles_match(taxonomy, title):
    assert match_topic(taxonomy, title=title).matched, title


def test_verpflichtungserklaerung_is_weak_and_needs_company(taxonomy):
    assert [h.weight for h in find_hits(taxonomy, "Verpflichtungserklärungen") ] == [WEAK]
    assert not match_topic(taxonomy, title="Tariftreue: Verpflichtungserklärung der Auftragnehmer").matched
    assert match_topic(taxonomy, title="Grenzwerte für Verpflichtungserklärungen für Ausländer*innen").matched


@pytest.mark.parametrize(
    "title",
    [
        "Innenstadtkonzept: Welcome to the City-Fest",
        "Schüler*innen-Austausch mit der Partnerstadt",
        "Kolleg*innen des Integrationsfachdienstes",
    ],
)
def test_round_5_false_friends_do_not_match(taxonomy, title):
    assert not match_topic(taxonomy, title=title).matched, title


def test_every_round_5_term_says_so_in_its_notes(taxonomy):
    terms = {t.name: t for t in taxonomy.terms}
    for name in ("unbegleitete Minderjährige", "Willkommenskultur", "ausländische Berufsabschlüsse", "Verpflichtungserklärung"):
        assert "Round 5" in terms[name].notes, name
