"""Tests for pipelines.normalise.votes: result and vote texts."""

from __future__ import annotations

import gzip
import json
from collections import Counter

import pytest

from pipelines.normalise.votes import RESULTS, parse_vote_result

# (raw, result, unanimous, yes, no, abstain, biased)
CASES = [
    # the forms named in the issue
    ("einstimmig", "accepted", True, None, None, None, None),
    ("einstimmig beschlossen", "accepted", True, None, None, None, None),
    ("einstimmig bei 2 Enthaltungen", "accepted", True, None, None, 2, None),
    ("mehrheitlich angenommen", "accepted", False, None, None, None, None),
    ("Ja: 22, Nein: 0, Enthaltungen: 11", "accepted", True, 22, 0, 11, None),
    ("28 Ja und 5 Nein", "accepted", False, 28, 5, None, None),
    ("Befangen: 1", "unknown", None, None, None, None, 1),
    ("vertagt", "postponed", None, None, None, None, None),
    ("zur Kenntnis genommen", "noted", None, None, None, None, None),
    ("ungeändert beschlossen", "accepted", None, None, None, None, None),
    # numbers written as words
    ("einstimmig mit zwei Enthaltungen", "accepted", True, None, None, 2, None),
    ("mehrheitlich bei einer Gegenstimme und drei Enthaltungen", "accepted", False, None, 1, 3, None),
    ("mit zweiundzwanzig Ja-Stimmen", "accepted", None, 22, None, None, None),
    ("einstimmig bei einer Stimmenthaltung", "accepted", True, None, None, 1, None),
    ("mit 22 Ja-Stimmen bei 3 Gegenstimmen und 2 Stimmenthaltungen", "accepted", False, 22, 3, 2, None),
    ("Ja 22 Nein 0", "accepted", True, 22, 0, None, None),
    ("12:3:1", "accepted", False, 12, 3, 1, None),
    ("5 Ja, 5 Nein", "rejected", False, 5, 5, None, None),  # a tie is lost
    ("ohne Gegenstimmen beschlossen", "accepted", True, None, 0, None, None),
    # count labels that are also result words: "Ablehnung: 3" is a count, not a rejection
    ("Zustimmung: 12, Ablehnung: 3, Enthaltung: 1", "accepted", False, 12, 3, 1, None),
    ("Ablehnung", "rejected", None, None, None, None, None),
    ("einstimmig ohne Enthaltungen", "accepted", True, None, None, 0, None),
    # real result strings: SessionNet Halle (to0040), ALLRIS Hamburg (to010/to020)
    ("einstimmig zugestimmt", "accepted", True, None, None, None, None),
    ("Ja:\u00a04, Nein:\u00a00, Enthaltungen:\u00a06, Befangen:\u00a00", "accepted", True, 4, 0, 6, 0),
    ("geändert beschlossen", "amended", None, None, None, None, None),
    ("beschlossen", "accepted", None, None, None, None, None),
    ("abgelehnt", "rejected", None, None, None, None, None),
    ("zurückgestellt", "postponed", None, None, None, None, None),
    ("zurückgezogen", "withdrawn", None, None, None, None, None),
    ("Die Niederschrift vom 05.02.2025 wird einstimmig genehmigt.", "accepted", True, None, None, None, None),
    ("Der Ausschuss nimmt die Drucksache zur Kenntnis.", "noted", None, None, None, None, None),
    # real result strings: OParl Karlsruhe (SessionNet)
    ("Kenntnisnahme", "noted", None, None, None, None, None),
    ("mehrheitlich beschlossen", "accepted", False, None, None, None, None),
    ("mehrheitlich abgelehnt", "rejected", False, None, None, None, None),
    ("einstimmig abgelehnt", "rejected", True, None, None, None, None),
    ("Zugestimmt zu geändertem Beschlusstext", "amended", None, None, None, None, None),
    ("einstimmig zugestimmt zum modifizierten Antrag", "amended", True, None, None, None, None),
    ("teilweise zugestimmt", "amended", None, None, None, None, None),
    ("vorberaten ohne Änderungen", "accepted", None, None, None, None, None),
    ("vorberaten mit Änderungen", "amended", None, None, None, None, None),
    ("verwiesen in Fachausschuss", "postponed", None, None, None, None, None),
    ("Weiterbehandlung im Planungsausschuss", "postponed", None, None, None, None, None),
    ("abgesetzt", "postponed", None, None, None, None, None),
    ("erledigt durch Stellungnahme der Verwaltung", "noted", None, None, None, None, None),
    ("keine Abstimmung", "noted", None, None, None, None, None),
    ("mit Stellungnahme einverstanden", "accepted", None, None, None, None, None),
    ("bei Stimmengleichheit abgelehnt", "rejected", None, None, None, None, None),
    ("zur Kenntnis genommen + mehrheitliche Zustimmung", "accepted", False, None, None, None, None),
    ("Antrag zurückgezogen", "withdrawn", None, None, None, None, None),
    ("gewählt", "accepted", None, None, None, None, None),
    ("siehe Dokument Abstimmungsergebnisse", "unknown", None, None, None, None, None),
    # order of the rules
    ("Vertagung beschlossen", "postponed", None, None, None, None, None),
    ("mit Änderungen beschlossen", "amended", None, None, None, None, None),
    ("nicht einstimmig beschlossen", "accepted", False, None, None, None, None),
    ("zur Kenntnis genommen / ohne Votum", "noted", None, None, None, None, None),
]


@pytest.mark.parametrize(
    ("raw", "result", "unanimous", "yes", "no", "abstain", "biased"), CASES, ids=[c[0] for c in CASES]
)
def test_parse_vote_result(raw, result, unanimous, yes, no, abstain, biased):
    vote = parse_vote_result(raw)
    assert vote is not None
    assert vote.result == result
    assert vote.unanimous is unanimous
    assert vote.yes == yes
    assert vote.no == no
    assert vote.abstain == abstain
    assert vote.biased == biased
    assert vote.raw == raw


@pytest.mark.parametrize("raw", [None, "", "   ", "(offen)", " (offen) ", "offen", "-"])
def test_undecided_is_no_result(raw):
    assert parse_vote_result(raw) is None


def test_result_and_separate_vote_text():
    # SessionNet Layout 4 prints "Beschluss:" and "Abstimmung:" in two rows.
    vote = parse_vote_result("einstimmig zugestimmt", "Ja: 4, Nein: 0, Enthaltungen: 6, Befangen: 0")
    assert vote is not None
    assert (vote.result, vote.unanimous) == ("accepted", True)
    assert (vote.yes, vote.no, vote.abstain, vote.biased) == (4, 0, 6, 0)
    assert vote.raw == "einstimmig zugestimmt; Ja: 4, Nein: 0, Enthaltungen: 6, Befangen: 0"


def test_open_result_stays_open_even_with_a_vote_text():
    assert parse_vote_result("(offen)", "Ja: 4, Nein: 0") is None


def test_counts_alone_decide_without_a_result_word():
    vote = parse_vote_result(None, "Ja: 3, Nein: 9")
    assert vote is not None and (vote.result, vote.unanimous) == ("rejected", False)


def test_karlsruhe_results_are_covered(corpus_dir):
    texts: Counter[str] = Counter()
    with gzip.open(corpus_dir / "oparl-karlsruhe" / "meetings.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            for item in json.loads(line).get("agendaItem") or []:
                if item.get("result"):
                    texts[item["result"]] += 1
    assert len(texts) > 50
    results = {text: parse_vote_result(text) for text in texts}
    assert all(vote is not None and vote.result in RESULTS for vote in results.values())
    unknown = sorted(text for text, vote in results.items() if vote.result == "unknown")
    # Only texts that name no outcome at all may stay unknown.
    assert set(unknown) <= {"keine", "keine Mitteilungen", "siehe Dokument Abstimmungsergebnisse"}
    every_referral = [t for t in texts if t.lower().startswith("verwiesen")]
    assert every_referral and all(results[t].result == "postponed" for t in every_referral)


# --- free texts of minutes and excerpts -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("Beschluss: Kenntnisnahme", "noted"),
        ("Der Ausschuss hat den Bericht zur Kenntnis genommen.", "noted"),
        ("festgestellt", "accepted"),  # SessionNet: Jahresabschluss festgestellt
        ("genehmigt", "accepted"),  # Niederschrift genehmigt
        ("abgearbeitet", "noted"),
        ("geschoben", "postponed"),
        ("vertagt", "postponed"),
        ("zurückgestellt", "postponed"),
        ("mehrheitlich beschlossen ohne Maßgabe", "accepted"),
        ("einstimmig beschlossen ohne Maßgaben", "accepted"),
        ("mit Maßgabe beschlossen", "amended"),
    ],
)
def test_result_words_of_free_texts(text, result):
    vote = parse_vote_result(text)
    assert vote is not None and vote.result == result


@pytest.mark.parametrize(
    "text",
    [
        "Ja\n12\nNein\n3\nEnthaltungen\n1",  # one token per line, as PDF text comes out of a table
        "Ja | 12 | Nein | 3 | Enthaltungen | 1",  # table cells
        "Ja-Stimmen\n\n12\n\nNein-Stimmen\n\n3\n\nEnthaltungen\n\n1",
    ],
)
def test_counts_spread_over_lines_or_cells(text):
    vote = parse_vote_result(text)
    assert vote is not None
    assert (vote.result, vote.yes, vote.no, vote.abstain) == ("accepted", 12, 3, 1)


def test_the_main_resolution_wins_and_the_motions_are_kept():
    vote = parse_vote_result(
        "Der Änderungsantrag der SPD wurde mit 5 Ja und 10 Nein abgelehnt. "
        "Der Beschlussvorschlag wurde einstimmig beschlossen."
    )
    assert vote is not None
    assert (vote.result, vote.unanimous, vote.yes, vote.no) == ("accepted", True, None, None)
    assert [(o.result, o.yes, o.no) for o in vote.others] == [("rejected", 5, 10)]
    assert vote.others[0].raw == "Der Änderungsantrag der SPD wurde mit 5 Ja und 10 Nein abgelehnt."


def test_a_motion_in_parentheses_and_counts_after_the_main_resolution():
    vote = parse_vote_result("Beschluss: einstimmig beschlossen (Änderungsantrag der SPD: abgelehnt)")
    assert vote is not None and (vote.result, vote.unanimous) == ("accepted", True)
    assert [o.result for o in vote.others] == ["rejected"]
    vote = parse_vote_result(
        "Der Zusatzantrag der CDU wurde angenommen. Der so geänderte Beschlussvorschlag wurde mehrheitlich "
        "beschlossen (Ja: 20, Nein: 5)."
    )
    assert vote is not None and (vote.result, vote.yes, vote.no) == ("amended", 20, 5)
    assert [o.result for o in vote.others] == ["accepted"]


def test_a_procedural_motion_is_read_by_its_own_outcome():
    vote = parse_vote_result("Der Antrag auf Vertagung wurde abgelehnt. Dem Beschlussvorschlag wird zugestimmt.")
    assert vote is not None and vote.result == "accepted"
    assert [o.result for o in vote.others] == ["rejected"]


def test_a_text_about_a_motion_alone_is_that_motion():
    vote = parse_vote_result("Änderungsantrag abgelehnt")
    assert vote is not None and (vote.result, vote.others) == ("rejected", ())


# --- wordings of other towns' systems (misses on tests/data/vote_labels.jsonl) ---------------


@pytest.mark.parametrize(
    ("text", "result"),
    [
        # SessionNet (Bochum and the towns sharing its wording)
        ("Die Verwaltung zieht die Vorlage zurück.", "withdrawn"),
        ("Abstimmungsergebnis: Einstimmig nach Änderung des Beschlussvorschlages", "amended"),
        ("Abstimmungsergebnis: Mehrheitlich nach Ergänzung des Beschlussvorschlages", "amended"),
        ("Abstimmungsergebnis: Mehrheitlich nach Beschlussvorschlag", "accepted"),
        ("Abstimmungsergebnis: Mehrheitlich gegen Beschlussvorschlag", "rejected"),
        ("kein Beratungsergebnis", "noted"),
        ("nicht abgestimmt", "noted"),  # SessionNet 6
        ("Die Verwaltung sagte eine schriftliche Beantwortung zu.", "noted"),
        ("Sachstandsbericht durch die Verwaltung", "noted"),
        ("Abweichender Beschluss", "amended"),
        # a changed version turned down is rejected, not amended (Moers)
        ("mehrheitlich abgelehnt mit Änderungen", "rejected"),
        ("mehrheitlich beschlossen mit Änderungen", "amended"),
        # ALLRIS (Mannheim, Münster)
        ("Verwaltung wird so verfahren", "accepted"),
        ("wird in der Verwaltung weiterbearbeitet", "postponed"),
        ("ohne Empfehlung behandelt", "noted"),
        ("schriftlicher Bericht/Vorlage wurde zugesagt", "noted"),
        ("Vorlage eingebracht", "noted"),
        # minutes
        ("Der Rat beschloss einstimmig:", "accepted"),
        ("Die Tagesordnung II des öffentlichen Teils wird verabschiedet.", "accepted"),
        ("Die Entscheidung über den Antrag wird auf den Ältestenausschuss delegiert.", "postponed"),
        ("Das Protokoll wird mit folgenden Ergänzungen genehmigt.", "amended"),
        ("Das Protokoll wird unter Berücksichtigung der Änderungswünsche einstimmig genehmigt.", "amended"),
        ("Das Protokoll wird genehmigt.", "accepted"),
        ("Beschluss: Die Vorlage wird ohne Beschlussempfehlung in die weitere Beratung gegeben.", "postponed"),
    ],
)
def test_result_words_of_other_systems(text, result):
    vote = parse_vote_result(text)
    assert vote is not None and vote.result == result


def test_counts_with_a_broken_label_and_a_dashed_triple():
    vote = parse_vote_result("Einstimmig angenommen\nJa- Stimmen :9\nNein- Stimmen :0\nEnthaltungen :0")
    assert vote is not None and (vote.result, vote.yes, vote.no, vote.abstain) == ("accepted", 9, 0, 0)
    vote = parse_vote_result("Abstimmung über den Antrag:  0 – 2 – 4")  # ja – nein – enthaltung
    assert vote is not None and (vote.result, vote.yes, vote.no, vote.abstain) == ("rejected", 0, 2, 4)
    # a hyphenated number without spaces is no vote
    vote = parse_vote_result("siehe Anlage 1-2-3")
    assert vote is not None and (vote.result, vote.yes) == ("unknown", None)


def test_how_a_faction_voted_is_not_the_result():
    vote = parse_vote_result(
        "Die Stadtverordnetenversammlung stimmt der Vorlage zu und hat ihr zugestimmt.\n"
        "Abstimmung:\nCDU, GRÜNE, SPD gegen ÖkoLinX (= Ablehnung); BSW (= Enthaltung)"
    )
    assert vote is not None and (vote.result, vote.abstain, vote.no) == ("accepted", None, None)


def test_a_wrapped_minutes_sentence_keeps_its_motion_and_its_result_together():
    vote = parse_vote_result(
        "Der Änderungsantrag der CDU-Fraktion wurde mit Mehrheit\n(OB, SPD, FDP) bei Fürstimmen (CDU) und einer\n"
        "Stimmenthaltung (AfD) abgelehnt.\n\nDer Rat beschloss einstimmig:"
    )
    assert vote is not None and (vote.result, vote.unanimous) == ("accepted", True)
    assert [o.result for o in vote.others] == ["rejected"]


def test_the_counts_of_a_procedural_motion_are_not_the_items():
    vote = parse_vote_result(
        "Gemäß vorliegender GO-Anträge beschließt der Stadtrat mit 42 Ja-, 1 Neinstimme und 1\nEnthaltung:\n\n"
        "Der Antrag A0193/24 wird in die Ausschüsse FG und Juhi überwiesen."
    )
    assert vote is not None and (vote.result, vote.yes, vote.no) == ("postponed", None, None)
    assert [(o.yes, o.no, o.abstain) for o in vote.others] == [(42, 1, 1)]
