"""What the load derives from a paper's texts: links to other papers, signatories, topics."""

from __future__ import annotations

import json

from pipelines.warehouse.load import connect, load_crawl
from schemas.staging import JsonlWriter, StagingArea
from schemas.items import File, Paper

SEED_BLOCK = """Der Integrationsrat beschließt die Begleitung des Integrationskonzeptes.
gez. i.V. R. Strotkötter . gez. R. Strotkötter .
Bürgermeister Beigeordneter
"""


def stage(tmp, crawl_id, items):
    staging = StagingArea(tmp, crawl_id).create()
    staging.update_manifest(crawlId=crawl_id, source="w", startedAt="2026-11-01T02:00:00+00:00", status="finished")
    writer = JsonlWriter(staging.items_path)
    for item in items:
        writer.write(item.to_dict())
    writer.close()
    return staging


def base(system_id, **kw):
    return dict(source="w", system="allris_classic", systemId=system_id, **kw)


def test_references_signatories_and_topics_are_derived_at_load(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    items = [
        Paper(**base("1"), reference="VO/22/0594", name="Kommunale Präventionskette"),
        Paper(**base("2"), reference="VO/23/0100", name="Beteiligung des Integrationsrates an der Steuerungsgruppe",
              sachverhalt="Siehe Vorlage VO/22/0594 und Vorlage VO/19/0001."),
        File(**base("d2"), parentType="Paper", parent="2", role="mainFile", text=SEED_BLOCK),
    ]
    load_crawl(stage(tmp_path, "c1", items), con)
    refs, signatories, topics, terms = con.execute(
        'SELECT "references", "signatories", "topics", "topicTerms" FROM paper WHERE "systemId" = \'2\''
    ).fetchone()
    by_ref = {r["reference"]: r["paper"] for r in refs}  # typed: a list of structs, not JSON
    assert by_ref == {"VO/22/0594": "1", "VO/19/0001": None}
    people = signatories
    assert [(p["name"], p["role"], p["representation"]) for p in people] == [
        ("R. Strotkötter", "Bürgermeister", "i.V."),
        ("R. Strotkötter", "Beigeordneter", None),
    ]
    assert topics == ["integration"]
    assert any("Integrationsrat" in t for t in terms)
    # the other paper is not about integration
    assert con.execute('SELECT "topics" FROM paper WHERE "systemId" = \'1\'').fetchone()[0] is None


def test_enrichment_is_stable_across_reloads(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    staging = stage(tmp_path, "c1", [Paper(**base("2"), name="Integrationsrat: Wahl der Mitglieder")])
    load_crawl(staging, con)
    first = con.execute("SELECT * FROM paper").fetchall()
    load_crawl(staging, con)
    assert con.execute("SELECT * FROM paper").fetchall() == first


def test_sub_items_are_linked_to_their_parent_item(tmp_path):
    from schemas.items import AgendaItem

    con = connect(tmp_path / "w.duckdb")
    items = [
        AgendaItem(**base("a2"), meeting="m1", number="Ö 2"),
        AgendaItem(**base("a21"), meeting="m1", number="Ö 2.1"),
        AgendaItem(**base("a22"), meeting="m1", number="Ö 2.2"),
        AgendaItem(**base("a4"), meeting="m1", number="4."),
        AgendaItem(**base("x21"), meeting="m2", number="Ö 2.1"),  # other meeting: no "Ö 2" there
        AgendaItem(**base("b21"), meeting="m1", number="Ö 2.1.1", parent="given"),
    ]
    load_crawl(stage(tmp_path, "c1", items), con)
    parents = dict(con.execute('SELECT "systemId", "parent" FROM agenda_item').fetchall())
    assert parents == {"a2": None, "a21": "a2", "a22": "a2", "a4": None, "x21": None, "b21": "given"}


def test_linked_parents_survive_a_reload_unchanged(tmp_path):
    from schemas.items import AgendaItem

    con = connect(tmp_path / "w.duckdb")
    items = [AgendaItem(**base("a2"), meeting="m1", number="Ö 2", url="http://x/to010?m1"),
             AgendaItem(**base("a21"), meeting="m1", number="Ö 2.1", url="http://x/to010?m1")]
    staging = stage(tmp_path, "c1", items)
    load_crawl(staging, con)
    report = load_crawl(staging, con)
    assert report.tables["agenda_item"].updated == 0
    assert con.execute("""SELECT "parent" FROM agenda_item WHERE "systemId" = 'a21'""").fetchone()[0] == "a2"
    assert con.execute("SELECT count(*) FROM history").fetchone()[0] == 2  # the two new rows, nothing else


def test_the_topic_pre_check_never_drops_a_paper_the_matcher_finds():
    from pathlib import Path

    from pipelines.warehouse.enrich import _any_term_pattern, _has_any_term
    from pipelines.normalise.topics import load_taxonomy, match_topic

    taxonomy = load_taxonomy()
    patterns = _any_term_pattern(taxonomy)
    assert patterns is not None
    found = 0
    for name in ("topic_labels.jsonl", "topic_labels_holdout.jsonl", "topic_labels_test.jsonl"):
        for line in (Path(__file__).parents[1] / "data" / name).read_text(encoding="utf-8").splitlines():
            paper = json.loads(line)
            texts = [paper.get("text") or ""]
            match = match_topic(taxonomy, title=paper["title"], texts=texts)
            if match.matched or match.terms:
                found += 1
                assert _has_any_term(patterns, [paper["title"], *texts]), paper["id"]
    assert found > 100


def test_the_sql_pre_check_never_drops_a_paper_the_matcher_finds():
    """The load's SQL pre-check (literals every term hit contains) lets through every labelled paper with a term."""
    from pathlib import Path

    import duckdb

    from pipelines.normalise.topics import load_taxonomy, match_topic
    from pipelines.warehouse.enrich import _term_prefilter

    taxonomy = load_taxonomy()
    prefilter = _term_prefilter(taxonomy)
    assert prefilter is not None
    papers = []
    for name in ("topic_labels.jsonl", "topic_labels_holdout.jsonl", "topic_labels_test.jsonl"):
        for line in (Path(__file__).parents[1] / "data" / name).read_text(encoding="utf-8").splitlines():
            paper = json.loads(line)
            papers.append((paper["title"] or "", paper.get("text") or ""))
    # Hyphenated across a line break, with a soft hyphen, and a term only a case-sensitive pattern knows.
    papers += [("Unterbringung", "Die Flücht-\n  linge kommen"), ("Bericht", "Integrations\u00adrat"), ("", "Die LEA meldet")]
    con = duckdb.connect()
    con.execute("CREATE TABLE t (title VARCHAR, body VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", papers)
    hits = [row[0] for row in con.execute(
        f"SELECT {prefilter.sql('concat_ws(chr(10), title, body)')} FROM t ORDER BY rowid").fetchall()]
    found = 0
    for (title, text), hit in zip(papers, hits):
        match = match_topic(taxonomy, title=title, texts=[text])
        if match.matched or match.terms:
            found += 1
            assert hit, title
    assert found > 100
    assert sum(hits) < len(papers)  # it does sort out papers without a term


def test_a_changed_document_re_derives_its_paper_and_a_reload_derives_nothing(tmp_path, monkeypatch):
    import pipelines.warehouse.load as load_module

    considered = []
    real = load_module.enrich_loaded_rows
    monkeypatch.setattr(load_module, "enrich_loaded_rows", lambda con, crawl_id: considered.append(real(con, crawl_id)))
    con = connect(tmp_path / "w.duckdb")
    paper = Paper(**base("2"), reference="VO/23/0100", name="Beteiligung an der Steuerungsgruppe")
    load_crawl(stage(tmp_path, "c1", [paper]), con)
    assert con.execute('SELECT "signatories", "topics" FROM paper').fetchone() == (None, None)
    # A later crawl reads only the paper's main document (the paper row itself does not change).
    later = stage(tmp_path, "c2", [File(**base("d2"), parentType="Paper", parent="2", role="mainFile", text=SEED_BLOCK)])
    later.update_manifest(startedAt="2026-11-02T02:00:00+00:00")
    load_crawl(later, con)
    signatories = con.execute('SELECT "signatories" FROM paper').fetchone()[0]
    assert [s["name"] for s in signatories] == ["R. Strotkötter", "R. Strotkötter"]
    load_crawl(later, con)  # the same crawl again: nothing changed, nothing to derive
    assert considered == [1, 1, 0]


def test_an_edited_taxonomy_re_derives_every_paper_at_the_next_load(tmp_path, monkeypatch):
    import pipelines.normalise.topics as topics_module

    con = connect(tmp_path / "w.duckdb")
    paper = Paper(**base("3"), reference="VO/23/0101", name="Neubau einer Kita im Quartier Mühlenfeld")
    crawl = stage(tmp_path, "c1", [paper])
    load_crawl(crawl, con)
    assert con.execute('SELECT "topics" FROM paper').fetchone()[0] is None
    # An analyst adds a term; the paper's row does not change, yet the next load must apply the new term.
    edited = tmp_path / "integration.toml"
    edited.write_text(
        topics_module.DEFAULT_TAXONOMY.read_text(encoding="utf-8")
        + '\n[[term]]\nterm = "Mühlenfeld"\nstem = "mühlenfeld"\nposition = "anywhere"\nweight = "strong"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(topics_module, "DEFAULT_TAXONOMY", edited)
    load_crawl(crawl, con)
    assert con.execute('SELECT "topics" FROM paper').fetchone()[0] == ["integration"]
    assert con.execute("SELECT count(*) FROM derivation WHERE \"name\" = 'paper'").fetchone()[0] == 1
    # The derived tables follow: a new taxonomy rebuilds them whole.
    assert con.execute('SELECT "topics" FROM paper_decision').fetchone()[0] == ["integration"]


def test_the_committees_a_paper_passes_go_to_the_topic_matcher(tmp_path):
    """Passing the Integrationsausschuss is weak evidence; a mixed committee printed in the documents is none."""
    from schemas.items import Consultation, Meeting

    con = connect(tmp_path / "w.duckdb")
    letterhead = ("Sozial- und Integrationsausschuss\nVorlage Nr. 2024/118\n\n"
                  "Beschlussvorschlag: Der Fachausschuss Integration und Wohnen empfiehlt die Sanierung des Schuldachs.")
    items = [
        # Real title (Karlsruhe, on topic), passed the Integrationsausschuss: the meeting names the committee.
        Paper(**base("1"), name="Empfehlungsliste Bereich Integration für Doppelhaushalt 26/27"),
        Meeting(**base("m1"), organizationName="Integrationsausschuss"),
        Consultation(**base("c1"), paper="1", meeting="m1"),
        # A school roof: its documents print the committees it passes (a letterhead, a sentence).
        Paper(**base("2"), name="Integration einer Photovoltaikanlage in die Dachsanierung der Grundschule Nord"),
        Consultation(**base("c2"), paper="2", organizationName="Sozial- und Integrationsausschuss"),
        Consultation(**base("c3"), paper="2", organizationName="Fachausschuss Integration und Wohnen"),
        File(**base("d2"), parentType="Paper", parent="2", role="mainFile", text=letterhead),
    ]
    load_crawl(stage(tmp_path, "c1", items), con)
    rows = dict(con.execute('SELECT "systemId", "topicTerms" FROM paper WHERE "topics" IS NOT NULL').fetchall())
    assert rows == {"1": ["Integration", "Integrationsausschuss"]}
    # Without the consultation the same paper is no match (the committee was the second weak term).
    con2 = connect(tmp_path / "w2.duckdb")
    load_crawl(stage(tmp_path / "b", "c1", items[:1]), con2)
    assert con2.execute('SELECT "topics" FROM paper').fetchone()[0] is None


def test_a_consultation_added_on_a_later_night_derives_its_paper_again(tmp_path):
    """The paper itself is unchanged; that it now passes the Integrationsausschuss is its second weak term."""
    from schemas.items import Consultation, Meeting

    con = connect(tmp_path / "w.duckdb")
    paper = Paper(**base("1"), name="Empfehlungsliste Bereich Integration für Doppelhaushalt 26/27")
    load_crawl(stage(tmp_path, "c1", [paper]), con)
    assert con.execute('SELECT "topics" FROM paper').fetchone()[0] is None
    later = [paper, Meeting(**base("m1"), organizationName="Integrationsausschuss"),
             Consultation(**base("c1"), paper="1", meeting="m1")]
    load_crawl(stage(tmp_path, "c2", later), con)
    assert con.execute('SELECT "topicTerms" FROM paper').fetchone()[0] == ["Integration", "Integrationsausschuss"]
