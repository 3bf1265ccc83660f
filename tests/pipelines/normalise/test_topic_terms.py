"""Tests for the round-2 terms of the integration taxonomy (data/topics/integration.toml).

Each new or widened term is checked twice: a general German phrase it must
catch (with the term name that fires, so a failure names the term) and the
false friends it must leave alone.
"""

from __future__ import annotations

import pytest

from pipelines.normalise.topics import STRONG, WEAK, find_hits, match_topic
from tests.pipelines.normalise.conftest import fired


# --- strong terms: one in a title is enough -----------------------------------------


@pytest.mark.parametrize(
    ("title", "term", "form"),
    [
        ("Racial Profiling bei Kontrollen der Polizei und des Ordnungsdienstes", "Racial Profiling", "Racial Profiling"),
        ("Studie zu ethnischem Profiling", "Racial Profiling", "ethnischem Profiling"),
        ("Empowerment-Angebote für BIPoC-Jugendliche", "Racial Profiling", "BIPoC-Jugendliche"),
        ("Beratung für People of Color", "Racial Profiling", "People of Color"),
        ("Türkische Elterncafés", "Herkunftsgruppe", "Türkische Elterncafés"),
        ("Zuschuss für den Afrikanischen Verein", "Herkunftsgruppe", "Afrikanischen Verein"),
        ("Wohnraum für afghanische Familien", "Herkunftsgruppe", "afghanische Familien"),
        ("Räume für die griechische Gemeinde", "Herkunftsgruppe", "griechische Gemeinde"),
        ("Treffpunkt für kurdische Mütter", "Herkunftsgruppe", "kurdische Mütter"),
        ("Pilotprojekt Anonyme Bewerbungen", "anonymisierte Bewerbung", "Anonyme Bewerbungen"),
        ("Modellprojekt Anonymisiertes Bewerbungsverfahren", "anonymisierte Bewerbung", "Anonymisiertes Bewerbungsverfahren"),
        ("60 Jahre Anwerbeabkommen mit der Türkei", "Gastarbeiter", "Anwerbeabkommen"),
        ("Familiennachzug zu subsidiär Schutzberechtigten", "Familiennachzug", "Familiennachzug"),
        ("Förderung der Rückkehrberatung", "Rückkehrberatung", "Rückkehrberatung"),
        ("Unterstützung der freiwilligen Rückkehr", "Rückkehrberatung", "freiwilligen Rückkehr"),
        ("Beteiligung am Landesaufnahmeprogramm Afghanistan", "Aufnahmeprogramm", "Landesaufnahmeprogramm"),
        ("Zahl der ausreisepflichtigen Personen", "Ausreisepflicht", "ausreisepflichtigen"),
        ("Wohnsitzauflage für anerkannte Schutzberechtigte", "Ausreisepflicht", "Wohnsitzauflage"),
        ("Medizinische Versorgung von Menschen ohne Papiere", "Menschen ohne Papiere", "Menschen ohne Papiere"),
        ("Beratung für Menschen ohne gesicherten Aufenthalt", "Menschen ohne Papiere", "Menschen ohne gesicherten Aufenthalt"),
        ("Ausbildungsduldung: Sachstand", "Ausbildungsduldung", "Ausbildungsduldung"),
        ("Kulturzentrum der Russlanddeutschen", "Spätaussiedler", "Russlanddeutschen"),
        ("Resolution zum kommunalen Ausländerwahlrecht", "Ausländerbehörde", "Ausländerwahlrecht"),
        ("Kommunales Wahlrecht für alle Ausländerinnen und Ausländer", "Ausländerbehörde", "Wahlrecht für alle Ausländerinnen"),
        ("Hilfe für Menschen auf der Flucht", "Flucht", "Menschen auf der Flucht"),
        ("Lage der Flüchtenden an der Grenze", "Flucht", "Flüchtenden"),
        ("Einrichtung einer Stabsstelle für Integration", "Integrationsrat", "Stabsstelle für Integration"),
        ("Neuwahl des Beirats für Integration", "Integrationsrat", "Beirats für Integration"),
        ("Neuwahl des Beirats für Migration und Integration", "Migrationsbeirat", "Beirats für Migration und Integration"),
    ],
)
def test_new_strong_term_matches_a_title_on_its_own(taxonomy, title, term, form):
    assert (term, form) in fired(taxonomy, title)
    match = match_topic(taxonomy, title=title)
    assert match.matched, title
    assert match.reason == "title: strong term"
    assert form in match.terms


# --- weak terms: they need company --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Recht auf Freizügigkeit", "Freizügigkeit"),
        ("Folgen der Arbeitnehmerfreizügigkeit", "Freizügigkeit"),
        ("Beratung für EU-Bürgerinnen", "EU-Bürger"),
        ("Unionsbürger im Melderegister", "EU-Bürger"),
        ("Antiziganismus", "Sinti und Roma"),
    ],
)
def test_new_weak_terms_are_weak(taxonomy, text, term):
    hits = find_hits(taxonomy, text)
    assert [h.term for h in hits] == [term]
    assert hits[0].weight == WEAK
    assert not match_topic(taxonomy, title=text).matched


def test_two_different_new_weak_terms_in_a_title_match(taxonomy):
    match = match_topic(taxonomy, title="Öffentliche Sicherheit und Recht auf Freizügigkeit für alle EU-Bürger")
    assert match.matched
    assert match.reason == "title: weak terms"
    assert match.title.weak_terms == ("Freizügigkeit", "EU-Bürger")


def test_antiziganismus_and_sinti_und_roma_count_as_one_weak_term(taxonomy):
    match = match_topic(taxonomy, title="Gedenken an die Deportation der Sinti und Roma: Antiziganismus damals")
    assert match.title.weak_terms == ("Sinti und Roma",)
    assert not match.matched


def test_ausbildungsduldung_is_strong_where_plain_duldung_is_weak(taxonomy):
    weights = {h.form: h.weight for h in find_hits(taxonomy, "Ausbildungsduldung statt Duldung")}
    assert weights == {"Ausbildungsduldung": STRONG, "Duldung": WEAK}


# --- false friends of the new terms ---------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Hilfe für die ukrainische Bevölkerung",
        "Solidarität mit den iranischen Frauen",
        "Schüleraustausch mit polnischen Schülern",
        "Deutsch-Türkischer Verein: Jubiläum",
        "Die türkische Gemeinderätin im Ortschaftsrat",
        "Proof of Concept (PoC) für die E-Akte",
        "Papierlose Gremienarbeit im Gemeinderat",
        "Undokumentierte Änderungen im Haushaltsplan",
        "Europäische Bürgerinitiative: EU-Bürgerinitiative zum Wasser",
        "Der flüchtende Täter wurde gefasst",
        "Gestaltungssatzung: Bebauung auf der Flucht der Stadtmauer",
        "Rückführung des Darlehens auf 25 Jahre",
        "Aufnahme in das Förderprogramm",
        "Stundenkontingent der Schulsozialarbeit",
        "Fachstelle für Integration von Menschen mit Behinderung",
        "Anonyme Spurensicherung nach Gewalt",
    ],
)
def test_false_friends_of_the_new_terms_do_not_match(taxonomy, title):
    match = match_topic(taxonomy, title=title)
    assert not match.matched, (title, match.title.forms)
    new_terms = {
        "Racial Profiling", "Herkunftsgruppe", "anonymisierte Bewerbung", "Gastarbeiter", "Familiennachzug",
        "Rückkehrberatung", "Aufnahmeprogramm", "Ausreisepflicht", "Menschen ohne Papiere", "Ausbildungsduldung",
        "Freizügigkeit", "EU-Bürger",
    }
    assert not {term for term, _ in fired(taxonomy, title)} & new_terms


def test_every_round_2_term_says_so_in_its_notes(taxonomy):
    round_2 = {
        "Racial Profiling", "Herkunftsgruppe", "anonymisierte Bewerbung", "Gastarbeiter", "Familiennachzug",
        "Rückkehrberatung", "Aufnahmeprogramm", "Ausreisepflicht", "Menschen ohne Papiere", "Ausbildungsduldung",
        "Freizügigkeit", "EU-Bürger", "Flucht", "Spätaussiedler", "Ausländerbehörde", "Integrationsrat", "Migrationsbeirat",
        "Sinti und Roma",
    }
    notes = {term.name: term.notes for term in taxonomy.terms}
    missing = sorted(name for name in round_2 if "Round 2" not in notes.get(name, ""))
    assert not missing
