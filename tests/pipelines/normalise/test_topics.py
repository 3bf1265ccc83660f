"""Tests for pipelines.normalise.topics and the integration taxonomy in data/topics."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from pipelines.normalise.topics import (
    DEFAULT_TAXONOMY,
    find_hits,
    load_taxonomy,
    match_topic,
    topics_for_paper,
)
from schemas.items import Paper

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def title_match(taxonomy, title: str):
    return match_topic(taxonomy, title=title)


# --- the taxonomy file ------------------------------------------------------------


def test_every_term_and_exclusion_is_documented():
    data = tomllib.loads(DEFAULT_TAXONOMY.read_text(encoding="utf-8"))
    assert data["topic"] == "integration"
    for entry in data["term"] + data["exclusion"]:
        assert entry.get("notes", "").strip(), entry
    names = [t["term"] for t in data["term"]]
    assert len(names) == len(set(names))


def test_taxonomy_loads_with_rule(taxonomy):
    assert taxonomy.topic == "integration"
    assert taxonomy.rule.title_min_strong == 1
    assert len(taxonomy.terms) > 30


def test_unknown_rule_keys_are_refused(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('topic = "x"\n[rule]\nlead_char = 5\n', encoding="utf-8")
    with pytest.raises(ValueError, match="lead_char"):
        load_taxonomy(path)


def test_a_taxonomy_is_compiled_once_per_content_and_an_edit_is_seen(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('topic = "x"\n[[term]]\nterm = "Integrationsrat"\nstem = "integrationsrat"\n', encoding="utf-8")
    first = load_taxonomy(path)
    assert load_taxonomy(path) is first  # a nightly process loading many sources compiles it once
    path.write_text('topic = "x"\n[[term]]\nterm = "Ausländerbeirat"\nstem = "ausländerbeirat"\n', encoding="utf-8")
    edited = load_taxonomy(path)
    assert edited is not first and [t.name for t in edited.terms] == ["Ausländerbeirat"]


# --- compounds and false friends -------------------------------------------------


@pytest.mark.parametrize(
    ("title", "form"),
    [
        ("Wahl der Mitglieder des Integrationsrates", "Integrationsrates"),
        ("Neubau von Flüchtlingsunterkünften in der Weststadt", "Flüchtlingsunterkünften"),
        ("Unterbringung von Geflüchteten aus der Ukraine", "Geflüchteten"),
        ("Ukraine: Aufnahme von Flüchtlingen", "Flüchtlingen"),
        ("Fortschreibung Integrationskonzept", "Integrationskonzept"),
        ("Kommunales Integrationszentrum: Jahresbericht", "Kommunales Integrationszentrum"),
        ("Zuwanderung aus Südosteuropa", "Zuwanderung"),
        ("Einbürgerungsfeier im Rathaus", "Einbürgerungsfeier"),
        ("Personalsituation in der Ausländerbehörde", "Ausländerbehörde"),
        ("Interkulturelle Öffnung der Verwaltung", "Interkulturelle"),
        ("Internationale Wochen gegen Rassismus", "Rassismus"),
        ("Ausweitung des ehrenamtlichen Dolmetscherpools", "Dolmetscherpools"),
        ("Sachstand Anschlussunterbringung", "Anschlussunterbringung"),
        ("Satzung für Übergangsunterkünfte für Spätaussiedler", "Spätaussiedler"),
    ],
)
def test_topic_titles_match_and_name_the_form_found(taxonomy, title, form):
    match = title_match(taxonomy, title)
    assert match.matched, title
    assert form in match.terms
    assert match.reason == "title: strong term"


@pytest.mark.parametrize(
    "title",
    [
        "Neueinrichtung des Bildungsgangs Elektroniker für Gebäudesystemintegration",
        "Integration der Turmbergbahn in den KVV-Tarif",
        "Systemintegration der Leitstelle",
        "Datenintegration im Geoportal",
        "Erweiterung der Integrierten Gesamtschule Mühlenberg",
        "Integriertes Handlungskonzept Innenstadt",
        "Integriertes Stadtentwicklungskonzept (ISEK) 2030",
        "Inklusion von Menschen mit Behinderung in Kitas",
        "Integration behinderter Kinder in Kindertageseinrichtungen",
        "Übernahme von Gebärdensprach-Dolmetschkosten",
        "Klärwerk: Migration der ESXI Server auf V10",
        "Aufnahme neuer Kita-Projekte in die Bedarfsplanung",
        "Änderung der Satzung über Obdachlosenunterkünfte",
        "Kosten der Unterkunft bei Hartz IV",
        "Beitritt zum Bündnis Kommunen für biologische Vielfalt",
        "Neue technische Umsetzung der Weinwanderwege",
        "Wanderfisch-Wiedereinbürgerungsprogramm an der Alb",
        "Städtepartnerschaft mit einer ukrainischen Stadt",
        "Sprachförderung in Kindertageseinrichtungen",
        "Tierasyl in der Nordstadt",
        "Fluchtwege im Rathaus",
    ],
)
def test_false_friends_do_not_match(taxonomy, title):
    match = title_match(taxonomy, title)
    assert not match.matched, (title, match.title.forms)
    assert match.terms == ()


def test_two_weak_terms_in_a_title_match(taxonomy):
    match = title_match(taxonomy, "Zentrale Anlaufstelle Migration-Integration")
    assert match.matched
    assert match.reason == "title: weak terms"
    assert match.title.weak_terms == ("Migration", "Integration")


def test_line_break_hyphenation_is_undone(taxonomy):
    hits = find_hits(taxonomy, "die Zahl der Flücht-\nlinge und Asyl-\nbewerber")
    assert [h.form for h in hits] == ["Flüchtlinge", "Asylbewerber"]


def test_bauGB_boilerplate_is_not_evidence(taxonomy):
    text = "Befreiung nach § 31 BauGB: Gründe des Wohls der Allgemeinheit, einschließlich des Bedarfs zur Unterbringung von Flüchtlingen oder Asylbegehrenden"
    assert find_hits(taxonomy, text) == []


# --- body-text evidence -------------------------------------------------------------


def test_passing_mention_in_body_text_is_not_enough(taxonomy):
    text = "Die Schule wird um zwei Klassen erweitert. Gründe sind Neubaugebiete und der Zuzug von Geflüchteten. " + "Die Kosten betragen 2 Mio. Euro. " * 20
    match = match_topic(taxonomy, title="Erweiterung der Grundschule am Wasserturm", texts=[text])
    assert not match.matched
    assert match.text.strong_hits == 1
    assert match.terms == ()


def test_text_lead_with_three_strong_hits_matches(taxonomy):
    text = (
        "Anfrage: 1. Wie viele Asylbewerber leben in Karlsruhe? 2. Wie viele Geflüchtete "
        "sind in Übergangsunterkünften untergebracht? 3. Wie viele Flüchtlinge haben Arbeit?"
    )
    match = match_topic(taxonomy, title="Anfrage der Fraktion vom 3. Mai", texts=[text])
    assert match.matched
    assert match.reason == "text lead: strong terms"
    assert match.terms[:3] == ("Asylbewerber", "Geflüchtete", "Übergangsunterkünften")


def test_title_weak_term_plus_strong_term_in_text_lead(taxonomy):
    match = match_topic(
        taxonomy,
        title="Empfehlungsliste Bereich Integration",
        texts=["Die Empfehlungen des Integrationsausschusses für den Doppelhaushalt."],
    )
    assert match.matched
    assert match.reason == "title weak term + strong term in text lead"
    assert match.title.forms == ("Integration",)
    assert match.text.forms == ("Integrationsausschusses",)


def test_long_report_with_one_refugee_chapter_is_not_on_topic(taxonomy):
    filler = "Die Versorgung Pflegebedürftiger in den Stadtteilen wird ausgebaut. " * 400
    chapter = "Menschen mit Migrationshintergrund, Geflüchtete und Zuwanderung prägen die Nachfrage. " * 3
    match = match_topic(taxonomy, title="Bedarfsplanung Pflege 2030", texts=[filler + chapter + filler])
    assert match.text.strong_hits >= 8
    assert not match.matched


def test_dense_long_text_is_on_topic(taxonomy):
    body = "Bericht zur Lage. " * 200 + (
        "Die Zahl der Asylbewerber stieg. Geflüchtete wohnen in Gemeinschaftsunterkünften. "
        "Flüchtlinge erhalten Sprachkurse. "
    ) * 10
    match = match_topic(taxonomy, title="Bericht", texts=[body])
    assert match.matched
    assert match.reason == "text: dense strong terms"


# --- whole papers -------------------------------------------------------------------


def test_topics_for_paper_reads_title_sections_and_attachments(taxonomy):
    paper = Paper(
        source="wuerselen",
        system="allris_classic",
        systemId="6736",
        name="Beteiligung an der Steuerungsgruppe",
        sachverhalt="Der Integrationsrat entsendet ein Mitglied. Das Integrationskonzept wird erarbeitet. "
        "Der Integrationsrat berät.",
    )
    match = topics_for_paper(paper, taxonomy=taxonomy)
    assert match.matched
    assert match.topic == "integration"
    assert "Integrationsrat" in match.terms
    as_dict = topics_for_paper(paper.to_dict(), attachment_texts=["Anlage"], taxonomy=taxonomy)
    assert as_dict.terms == match.terms


def test_topics_for_paper_reads_other_text_stored_as_json(taxonomy):
    row = {"name": "Vorlage 12", "otherText": '{"Begründung": "Asylbewerber, Geflüchtete und Flüchtlinge."}'}
    match = topics_for_paper(row, taxonomy=taxonomy)
    assert match.matched
    assert match.terms == ("Asylbewerber", "Geflüchtete", "Flüchtlinge")


def test_topics_for_paper_uses_default_taxonomy():
    match = topics_for_paper({"name": "Unterbringung von Geflüchteten"})
    assert match.matched and match.terms == ("Geflüchteten",)


def test_seed_paper_is_on_topic(corpus_dir, taxonomy):
    seed = corpus_dir.parent / "seeds" / "004_05694b190ce6c898.txt"
    if not seed.exists():
        pytest.skip(f"seed file missing: {seed}")
    lines = seed.read_text(encoding="utf-8").splitlines()
    match = match_topic(taxonomy, title=lines[0], texts=["\n".join(lines[1:])])
    assert match.matched
    assert match.terms[0] == "Integrationsrates"
    assert "Integrationskonzeptes" in match.terms


def test_labelled_set_meets_targets():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "eval_topics", PROJECT_ROOT / "tests" / "benchmarks" / "eval_topics.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.evaluate(PROJECT_ROOT / "tests" / "data" / "topic_labels.jsonl")
    assert result["rows"] >= 300
    assert result["positives"] >= 80
    assert result["precision"] >= 0.90
    assert result["recall"] >= 0.85


def test_the_literal_pre_check_finds_what_every_pattern_finds(taxonomy):
    """find_hits skips a term whose literals a text lacks (and a text that holds no term's literal): it finds
    the same hits as running every pattern."""
    import dataclasses
    import json
    from pathlib import Path

    unchecked = dataclasses.replace(taxonomy, terms=tuple(dataclasses.replace(t, required=()) for t in taxonomy.terms))
    assert all(t.required for t in taxonomy.terms)  # every term of the default taxonomy has literals
    # Characters IGNORECASE matches to others than str.lower gives (ſ ~ s, ı ~ i, İ ~ i, Kelvin K ~ k),
    # hyphenation, gender forms and a case-sensitive term.
    texts = ["Aſylbewerber", "İNTEGRATİONSRAT", "ıntegrationskurs", "Ausländer*innenbehörde", "Die Flücht-\n  linge",
             "Integrations\u00adrat", "Die LEA meldet", "die lea meldet", "Rüc\u212aKEHRBERATUNG", ""]
    for name in ("topic_labels.jsonl", "topic_labels_test.jsonl"):
        for line in (Path(__file__).parents[2] / "data" / name).read_text(encoding="utf-8").splitlines()[:150]:
            paper = json.loads(line)
            texts += [paper["title"] or "", (paper.get("text") or "")[:5000]]
    from pipelines.normalise import topics

    found = 0
    for text in texts:
        hits = find_hits(taxonomy, text)
        assert hits == find_hits(unchecked, text), text[:80]
        # normalise_text skips its substitutions where they cannot apply: same text as applying them
        plain = topics._HYPHEN_BREAK.sub(r"\1", text.replace("\u00ad", ""))
        assert topics.normalise_text(text) == topics._GENDER_FORM.sub("", plain)
        found += bool(hits)
    assert found > 50
    assert find_hits(taxonomy, "Aſylbewerber") and find_hits(taxonomy, "İNTEGRATİONSRAT")
