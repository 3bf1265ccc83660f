"""Result and vote texts of agenda items as ``VoteResult`` values.

Reads what the systems print as a result ("einstimmig beschlossen",
"ungeändert beschlossen", "zur Kenntnis genommen", "vertagt", "Kenntnisnahme",
"mehrheitlich abgelehnt") and as a vote ("Ja: 22, Nein: 0, Enthaltungen: 11",
"28 Ja und 5 Nein", "einstimmig bei zwei Enthaltungen", "Befangen: 1").

``result`` is one of:

* ``accepted``  beschlossen, "beschloss", zugestimmt, angenommen, genehmigt,
  gewählt, verabschiedet, einverstanden, empfohlen, übernommen, "vorberaten
  ohne Änderungen", "Verwaltung wird so verfahren", or only
  "einstimmig"/"mehrheitlich";
* ``rejected``  abgelehnt, nicht zugestimmt, keine Mehrheit, "gegen
  Beschlussvorschlag", and "abgelehnt mit Änderungen" (the changed version
  turned down);
* ``amended``   geändert beschlossen, "mit Änderungen", "zu geändertem
  Beschlusstext", modifiziert, mit Maßgabe, "nach Änderung/Ergänzung des
  Beschlussvorschlages", "Abweichender Beschluss", minutes approved "mit
  folgenden Ergänzungen" or with "Änderungswünsche", and partial decisions
  ("teilweise zugestimmt", "teilweise abgelehnt");
* ``postponed`` the item was not decided here: vertagt, zurückgestellt,
  abgesetzt (taken off the agenda), verschoben, Wiedervorlage, and referrals
  to another body (verwiesen, überwiesen, delegiert, "Weiterbehandlung im …",
  "in der Verwaltung weiterbearbeitet");
* ``withdrawn`` zurückgezogen, zurückgenommen, "zieht die Vorlage zurück";
* ``noted``     zur Kenntnis genommen, Kenntnisnahme, erledigt, "keine
  Abstimmung", "nicht abgestimmt", beantwortet, "schriftliche Beantwortung",
  "kein Beratungsergebnis", "ohne Empfehlung", "Vorlage eingebracht", a report
  given or promised: dealt with, but nothing decided;
* ``unknown``   a text that names none of these ("siehe Dokument …").

The first rule that fires wins, in the order withdrawn, postponed, amended,
rejected, accepted, noted: "Vertagung beschlossen" is postponed, "zur
Kenntnis genommen + mehrheitliche Zustimmung" accepted. Without a result word
the counts decide (more yes than no: accepted; else rejected, as a tie is lost).
"ohne Maßgabe" is no amendment. Counts may stand in table cells or one token
per line ("Ja | 12 | Nein | 3", "Ja- Stimmen :9"), or as a triple ja:nein:enth.
("12:3:1", "0 – 2 – 4"). How one faction voted ("gegen AfD (= Ablehnung)",
PARLIS) is neither the result nor a count.

Several votes in one text ("Der Änderungsantrag der SPD wurde abgelehnt. Der
Beschlussvorschlag wurde einstimmig beschlossen."): the votes on motions
about the proposal (Änderungs-, Zusatz-, Ergänzungs-, Geschäftsordnungs-/GO-,
Gegenantrag) are kept in ``others``; the main resolution decides ``result``,
``unanimous`` and the counts. Votes are told apart at sentence ends, blank
lines and parentheses, not at single line breaks (minutes wrap sentences).

``unanimous`` is True for "einstimmig" and when the counts have no "no"
votes (German council usage: abstentions do not break unanimity, as in
"einstimmig bei 2 Enthaltungen"); False for "mehrheitlich" or any "no" vote;
None when the text does not say. Counts are None when not printed.

Empty texts and "(offen)" (no decision yet, not a result) give None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Result = Literal["accepted", "rejected", "postponed", "noted", "amended", "withdrawn", "unknown"]
RESULTS: tuple[Result, ...] = ("accepted", "rejected", "postponed", "noted", "amended", "withdrawn", "unknown")


@dataclass(frozen=True, slots=True)
class VoteResult:
    """What happened to an agenda item, and how the vote went."""

    result: Result
    unanimous: bool | None = None
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    biased: int | None = None
    raw: str = ""
    others: tuple["VoteResult", ...] = ()  # votes on motions about the proposal, in text order


# --- number words -----------------------------------------------------------------


def _number_words() -> dict[str, int]:
    """Return German number words 0–99 as printed in vote texts ("einer", "zweiundzwanzig")."""
    units = {"ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9}
    tens = {
        "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50,
        "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90,
    }  # fmt: skip
    words = {
        "null": 0, "kein": 0, "keine": 0, "keiner": 0,
        "eine": 1, "einer": 1, "einem": 1, "einen": 1, "eins": 1,
        "zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15,
        "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
    }  # fmt: skip
    words.update(units)
    words.update(tens)
    for unit, u in units.items():
        for ten, t in tens.items():
            words[f"{unit}und{ten}"] = u + t
    for word in list(words):
        if "ß" in word:
            words[word.replace("ß", "ss")] = words[word]
    return words


_NUMBER_WORDS = _number_words()
_NUM = r"(?P<num>\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"

_CATEGORIES = {
    "yes": r"ja(?:-? ?stimmen?)?|jastimmen?|dafür|zustimmung(?:en)?",  # "Ja- Stimmen :9" (PDF)
    "no": r"nein(?:-? ?stimmen?)?|neinstimmen?|gegenstimmen?|dagegen|ablehnung(?:en)?",
    "abstain": r"(?:stimm)?enthaltung(?:en)?|enthalten",
    # Bavarian SessionNet installs print "Persönlich beteiligt" (Art. 49 GO) where others print "Befangen".
    "biased": r"befangen(?:e|heit(?:en)?)?|pers(?:ö|oe)nlich beteiligt(?:e)?",
}
_CAT = "|".join(f"(?P<{name}>{pattern})" for name, pattern in _CATEGORIES.items())
_COLON_FORM = re.compile(rf"\b(?:{_CAT})\s*:\s*{_NUM}\b")  # "Ja: 22", "Enthaltungen: 11"
_NUMBER_FIRST = re.compile(rf"\b{_NUM}\s*(?:x\s*)?(?:{_CAT})\b")  # "28 Ja", "bei einer Gegenstimme"
_WORD_FIRST = re.compile(rf"\b(?:{_CAT})\s+{_NUM}\b")  # "Ja 22 Nein 0"
# "12:3:1" and "0 – 2 – 4" = ja:nein:enth. (a dash only with spaces, so no "1-2-3" numbering)
_RATIO = re.compile(
    r"(?<![\d:])(\d{1,3})\s*:\s*(\d{1,3})\s*:\s*(\d{1,3})(?![\d:])"
    r"|(?<![\d./–-])(\d{1,3}) [–-] (\d{1,3}) [–-] (\d{1,3})(?![\d./–-])"
)
_WITHOUT = re.compile(r"\bohne\s+(?:(?P<no>gegenstimmen?)|(?P<abstain>(?:stimm)?enthaltung(?:en)?))\b")

# --- result words, in the order they are tried --------------------------------------

_U = "(?:ü|ue)"
_A = "(?:ä|ae)"
_RULES: tuple[tuple[Result, re.Pattern[str]], ...] = (
    (
        "withdrawn",
        re.compile(rf"zur{_U}ckgezogen|zur{_U}ckgenommen|r{_U}cknahme|\bzieht\b[^.;]{{0,60}}\bzur{_U}ck\b"),
    ),
    (
        "postponed",
        re.compile(
            rf"vertagt|vertagung|zur{_U}ckgestellt|zur{_U}ckstellung|abgesetzt|absetzung|"
            rf"von der tagesordnung genommen|verschoben|verwiesen|verweisung|{_U}berwiesen|{_U}berweisung|"
            rf"wiedervorlage|weiterbehandlung|weitere beratung|beratung im |angehalten|nicht behandelt|\bgeschoben|"
            rf"\bdelegiert|weiterbearbeit"
        ),
    ),
    # "mehrheitlich abgelehnt mit Änderungen" (Moers): the changed version was turned down
    ("rejected", re.compile(rf"abgelehnt mit {_A}nderung")),
    (
        "amended",
        re.compile(
            rf"\bge{_A}ndert|\babge{_A}ndert|mit {_A}nderung|{_A}nderungen beschlossen|modifi[zk]|teilweise|"
            rf"erg{_A}nzt beschlossen|mit erg{_A}nzung|(?<!ohne )ma(?:ß|ss)gabe|"
            rf"nach (?:erg{_A}nzung|{_A}nderung) des beschlussvorschlag|abweichender beschluss\b|"
            rf"mit (?:\w+ )?(?:anmerkung|erg{_A}nzung|{_A}nderung)(?:en)? genehmigt|{_A}nderungsw{_U}nsch"
        ),
    ),
    (
        "rejected",
        re.compile(
            r"abgelehnt|ablehnung|nicht zugestimmt|nicht beschlossen|nicht angenommen|keine zustimmung|"
            r"keine mehrheit|nicht befürwortet|nicht empfohlen|gegen (?:den )?beschlussvorschlag"
        ),
    ),
    (
        "accepted",
        re.compile(
            rf"beschlossen|zugestimmt|zustimmung|\bangenommen|genehmigt|gewählt|einverstanden|best{_A}tigt|"
            rf"befürwortet|empfohlen|{_U}bernommen|ermächtigt|erteilt|beschluss gefasst|vorberaten ohne|ungeändert|"
            rf"festgestellt|\bbeschloss\b|verabschiedet|so verfahren"
        ),
    ),
    (
        "noted",
        re.compile(
            r"kenntnis|erledigt|keine abstimmung|nicht zur abstimmung|ohne abstimmung|ohne votum|ohne beschluss|"
            r"aushang|beantwortet|berichtet|\bberaten\b|vorgestellt|informiert|besprochen|diskutiert|erörtert|"
            r"abgearbeitet|nicht abgestimmt|kein beratungsergebnis|beantwortung|sachstandsbericht|zugesagt|"
            r"ohne (?:beschluss)?empfehlung|eingebracht"
        ),
    ),
)
_UNANIMOUS = re.compile(r"(?<!nicht )\beinstimmig")
_MAJORITY = re.compile(r"mehrheitlich|mit mehrheit|stimmenmehrheit|nicht einstimmig")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
_CELL_SEPARATORS = re.compile(r"\s*[|¦]\s*")
# A motion about the proposal, voted on before it: its result is not the item's.
_SUBSIDIARY = re.compile(
    rf"(?:{_A}nderungs|zusatz|erg{_A}nzungs|gesch{_A}ftsordnungs|go-|gegen|vertagungs|{_U}berweisungs)"
    rf"antr(?:a|{_A})ge?|"
    rf"antrag auf (?:vertagung|verweisung|{_U}berweisung|absetzung|schluss)"
)
# Where one vote's text ends and the next begins: a sentence end, a semicolon, a blank line, parentheses.
# A single line break is none: minutes wrap their sentences.
_SEGMENT_END = re.compile(r"(?<=[.;!])\s+(?=\S)|\s*[()]\s*|\n\s*\n")
# How one faction voted, not the result (PARLIS: "CDU, SPD gegen AfD (= Ablehnung); BSW (= Enthaltung)").
_FACTION_VOTE = re.compile(r"\(\s*=[^()]*\)")
_UNDECIDED = {"(offen)", "offen", "-", "--", "–", "./.", "n/a"}


def _counts(text: str) -> tuple[dict[str, int], str]:
    """Return the vote counts a lower-cased text prints, and the text without them.

    The rest is what the result words are read from: the label of
    "Ablehnung: 3" is a count, not a rejection.
    """
    counts, rest = _styled_counts(text)
    if not counts:
        ratio = _RATIO.search(text)
        if ratio is not None and "uhr" not in text:
            yes, no, abstain = (int(n) for n in ratio.groups() if n is not None)
            counts = {"yes": yes, "no": no, "abstain": abstain}
    for m in _WITHOUT.finditer(text):
        counts.setdefault("no" if m["no"] else "abstain", 0)
    return counts, rest


def _styled_counts(text: str) -> tuple[dict[str, int], str]:
    # A text writes its counts in one style. "Ja: 22" is unambiguous; between
    # "28 Ja und 5 Nein" and "Ja 22 Nein 0" the style that reads more
    # categories wins (the number-first reading of the latter pairs 22 with
    # "Nein").
    readings: list[tuple[dict[str, int], str]] = []
    for pattern in (_COLON_FORM, _NUMBER_FIRST, _WORD_FIRST):
        counts: dict[str, int] = {}
        for m in pattern.finditer(text):
            category = next(name for name in _CATEGORIES if m[name])
            number = m["num"]
            counts[category] = counts.get(category, 0) + (int(number) if number.isdigit() else _NUMBER_WORDS[number])
        reading = (counts, pattern.sub(" ", text))
        if counts and pattern is _COLON_FORM:
            return reading
        readings.append(reading)
    return max(readings, key=lambda reading: len(reading[0]))


def _result(text: str) -> Result | None:
    for result, pattern in _RULES:
        if pattern.search(text):
            return result
    return None


def parse_vote_result(raw: str | None, vote_raw: str | None = None) -> VoteResult | None:
    """Return the VoteResult of a result text (and a separate vote text), or None when undecided.

    ``vote_raw`` is the Abstimmungsergebnis where a page prints it apart from
    the result (SessionNet "Abstimmung:", ALLRIS ``allrisAE``); ``raw`` of the
    answer then holds both, joined by "; ".
    """
    parts = [p for p in (raw, vote_raw) if p is not None and _SPACES.sub(" ", p).strip()]
    if not parts:
        return None
    if raw is not None and _SPACES.sub(" ", raw).strip().lower() in _UNDECIDED:
        return None
    joined = "; ".join(parts)
    text = _normal(joined)
    if text in _UNDECIDED:
        return None
    if _SUBSIDIARY.search(text):
        main, others = _split_votes(joined)
        if main is not None and others:
            return VoteResult(**{**_fields(main), "raw": joined, "others": tuple(others)})
    return _read_vote(text, joined)


def _fields(vote: VoteResult) -> dict:
    return {name: getattr(vote, name) for name in VoteResult.__dataclass_fields__}


def _split_votes(joined: str) -> tuple[VoteResult | None, list[VoteResult]]:
    """Return the main resolution's vote and the votes on motions about it, read segment by segment."""
    segments: list[str] = []
    text = _FACTION_VOTE.sub(" ", joined)
    start, after_parenthesis = 0, False
    for end in [*_SEGMENT_END.finditer(text), None]:
        segment = text[start : end.start() if end else len(text)].strip()
        if segment and _SPACES.sub(" ", segment).lower() not in _UNDECIDED:
            if segments and (
                _result(_counts(_normal(segment))[1]) is None
                or (after_parenthesis and _result(_counts(_normal(segments[-1]))[1]) is None)
            ):
                # Counts or words that belong to the vote before ("(Ja: 20, Nein: 5)"), or the end of a
                # sentence a parenthesis cut ("wurde mit Mehrheit (OB, SPD …) bei Fürstimmen (CDU) abgelehnt.").
                segments[-1] += " " + segment
            else:
                segments.append(segment)
        if end is not None:
            start, after_parenthesis = end.end(), ")" in end.group() or "(" in end.group()
    main: VoteResult | None = None
    others: list[VoteResult] = []
    for segment in segments:
        text = _normal(segment)
        subsidiary = _SUBSIDIARY.search(text) is not None
        # A motion's own name ("Antrag auf Vertagung") is not its result.
        vote = _read_vote(_SUBSIDIARY.sub(" ", text) if subsidiary else text, segment)
        if vote.result == "unknown" and vote.yes is None:
            continue
        if subsidiary:
            others.append(vote)
        elif main is None:
            main = vote
    return main, others


def _normal(text: str) -> str:
    """Return a text as the rules read it: cells and white space folded, lower case."""
    return _SPACES.sub(" ", _CELL_SEPARATORS.sub(" ", _FACTION_VOTE.sub(" ", text))).strip().lower()


def _read_vote(text: str, raw: str) -> VoteResult:
    """Return the vote one normalised, lower-cased text describes (``raw`` kept as printed)."""
    counts, rest = _counts(text)
    yes, no = counts.get("yes"), counts.get("no")

    unanimous: bool | None = None
    if _MAJORITY.search(text):
        unanimous = False
    elif _UNANIMOUS.search(text):
        unanimous = True
    elif no is not None and yes != 0:
        unanimous = no == 0  # "Nein: 0", "ohne Gegenstimmen"; all-abstain votes say nothing

    result = _result(rest)
    if result is None:
        if yes is not None and no is not None:
            result = "accepted" if yes > no else "rejected"
        elif unanimous is not None or yes:
            result = "accepted"  # "einstimmig", "mehrheitlich", "mit 22 Ja-Stimmen"
        else:
            result = "unknown"
    return VoteResult(
        result=result,
        unanimous=unanimous,
        yes=yes,
        no=no,
        abstain=counts.get("abstain"),
        biased=counts.get("biased"),
        raw=raw,
    )


__all__ = ["RESULTS", "Result", "VoteResult", "parse_vote_result"]
