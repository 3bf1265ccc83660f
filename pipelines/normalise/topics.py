"""Topic matches for council papers from a documented term taxonomy (``data/topics/*.toml``).

A taxonomy lists terms (stems matched case-insensitively, inside German
compounds where the term says so) and exclusions (false friends such as
"Systemintegration" or "Gebärdendolmetscher"). Term hits that overlap an
exclusion do not count. Each term is ``strong`` (it names the topic on its own:
"Geflüchtete", "Integrationsrat") or ``weak`` (it needs company: "Integration",
"Ukraine", "Diskriminierung").

Whether a paper is about the topic is decided by the taxonomy's ``[rule]``
(see ``data/topics/integration.toml`` for the values and why):

1. title: at least one strong term, or two different weak terms;
2. title and text together: a weak term in the title and a strong term in
   the lead of a text (its first ``lead_chars`` characters, where a paper
   states its subject);
3. the lead of a text: at least ``lead_min_hits`` strong hits;
4. a whole long text: at least ``density_min_hits`` strong hits of two
   different terms, at ``density_per_10k`` hits per 10,000 characters or more,
   so that one paragraph about refugees in a 200-page budget does not count.

What is no evidence (round 6): committees with integration among other portfolios ("Ausschuss für Bildung,
Integration und Sport") are exclusions; in document texts (not titles) hits inside the taxonomy's
``[[boilerplate]]`` lines (Beratungsfolge rows, "Verteiler:" fields, a line that is only a body's name),
inside the names of the committees the paper passes, and in a repeated line after its first occurrence
(page headers) do not count. A committee the paper passes whose name names the topic
("Integrationsausschuss") counts as one weak term of the title (``[rule] topic_body``).

The result records the terms that fired, in the form found ("Flüchtlings-
unterkünfte"), title first, so a reader can see why a paper was selected.
Texts are read through ``normalise_text`` first (soft hyphens, end-of-line
hyphenation and gender forms such as "Ausländer*innenbehörde" undone), so a
form is the normalised word ("Ausländerbehörde"); the export finds it again in
the normalised text.
"""

from __future__ import annotations

import functools
import json
import re
import tomllib
from re import _casefix, _constants as sre_constants, _parser as sre_parse  # a pattern's structure and case rules
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "topics"
DEFAULT_TAXONOMY = DATA_DIR / "integration.toml"

STRONG = 2
WEAK = 1
# The term name of the evidence "the paper passes a committee whose name names the topic" (Rule.topic_body).
TOPIC_BODY = "Beratung im Fachgremium"
_LETTER = r"[^\W\d_]"


@dataclass(frozen=True)
class Term:
    """One taxonomy term: its name, compiled pattern, weight and the reason it is listed."""

    name: str
    pattern: re.Pattern[str]
    weight: int
    notes: str = ""
    # What every hit contains: one string of each clause, case-folded (``fold``) where the pattern ignores
    # case. Empty: no such strings are known, the pattern is always run.
    required: tuple[frozenset[str], ...] = ()
    folded: bool = False
    # One trie-shaped pattern per clause (literal_pattern): a search in C, not a Python loop over the literals.
    _clause_patterns: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        patterns = tuple(literal_pattern(c) for c in self.required)
        object.__setattr__(self, "_clause_patterns", patterns)

    def may_hit(self, text: str, folded_text: str, *, skip: int = 0) -> bool:
        """Return False only when the pattern cannot match ``text`` (``folded_text``: ``fold(text)``);
        ``skip``: the first clauses are known to be in the text."""
        haystack = folded_text if self.folded else text
        for pattern in self._clause_patterns[skip:]:
            if pattern.search(haystack) is None:
                return False
        return True


@dataclass(frozen=True)
class Rule:
    """The evidence a paper needs to belong to the topic (see the module docstring)."""

    title_min_strong: int = 1
    title_min_weak: int = 2
    lead_chars: int = 2000
    lead_min_hits: int = 3
    density_min_hits: int = 8
    density_per_10k: float = 5.0
    # What a committee the paper passes counts for when its name alone names the topic ("Integrationsausschuss",
    # "Migrationsbeirat"): "weak" (one weak term of the title) or "none".
    topic_body: str = "weak"

    def __post_init__(self) -> None:
        if self.topic_body not in ("weak", "none"):
            raise ValueError(f"[rule] topic_body must be 'weak' or 'none', not {self.topic_body!r}")


@dataclass(frozen=True)
class Taxonomy:
    """A topic's terms, exclusions and decision rule, as loaded from TOML."""

    topic: str
    label: str
    terms: tuple[Term, ...]
    exclusions: tuple[re.Pattern[str], ...]
    rule: Rule
    source: str = ""
    # Where a document names bodies rather than its subject (letterheads, Beratungsfolge rows, distribution
    # lists): hits inside a match do not count in document texts (``[[boilerplate]]`` in the TOML).
    boilerplate: tuple[re.Pattern[str], ...] = ()
    # Whether every term has a first clause of literals (``Term.required``): then which terms can hit a text is
    # found by one search for all of them, for the case-folded and for the case-sensitive terms: where a
    # first-clause literal begins, and there, which (``first_literals``). Where none begins (most texts), no
    # term is tried.
    _gated: bool = field(init=False, repr=False, compare=False, default=False)
    _topic_bodies: dict[str, bool] = field(init=False, repr=False, compare=False, default_factory=dict)
    _first_literals: tuple[tuple[re.Pattern[str] | None, dict[str, tuple[tuple[str, tuple[int, ...]], ...]]], ...] = field(
        init=False, repr=False, compare=False, default=((None, {}), (None, {})))
    # Per exclusion: the literals every match contains (as terms' ``required``); an exclusion none of whose
    # literals the text holds finds nothing, and is not run.
    _exclusion_literals: tuple[tuple[tuple[frozenset[str], ...], bool], ...] = field(
        init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        def first_literals(folded: bool) -> tuple[re.Pattern[str] | None, dict]:
            """Return a pattern that matches, empty, wherever a first-clause literal of the (case-``folded``)
            terms begins, and the literals by their first character, each with the indices of its terms."""
            by_literal: dict[str, list[int]] = {}
            for index, term in enumerate(self.terms):
                for literal in term.required[0] if term.folded == folded else ():
                    by_literal.setdefault(literal, []).append(index)
            by_first_char: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
            for literal, indices in by_literal.items():
                by_first_char.setdefault(literal[0], []).append((literal, tuple(indices)))
            starts = re.compile(f"(?=(?:{literal_pattern(by_literal).pattern}))") if by_literal else None
            return starts, {char: tuple(entries) for char, entries in by_first_char.items()}

        if all(term.required for term in self.terms):
            object.__setattr__(self, "_gated", True)
            object.__setattr__(self, "_first_literals", (first_literals(True), first_literals(False)))
        object.__setattr__(self, "_exclusion_literals", tuple(required_literals(p) for p in self.exclusions))

    def candidate_terms(self, text: str, folded_text: str) -> list[Term]:
        """Return the terms that may match ``text``, in the taxonomy's order (``folded_text``: ``fold(text)``)."""
        if not self._gated:
            return [term for term in self.terms if term.may_hit(text, folded_text)]
        found: set[int] = set()
        (folded_starts, folded_firsts), (plain_starts, plain_firsts) = self._first_literals
        for starts, by_first_char, haystack in ((folded_starts, folded_firsts, folded_text),
                                                (plain_starts, plain_firsts, text)):
            if starts is None:
                continue
            for m in starts.finditer(haystack):  # every place where some first-clause literal begins
                at = m.start()
                for literal, indices in by_first_char[haystack[at]]:
                    if haystack.startswith(literal, at):
                        found.update(indices)
        return [self.terms[i] for i in sorted(found) if self.terms[i].may_hit(text, folded_text, skip=1)]

    def exclusion_spans(self, text: str, folded_text: str) -> list[tuple[int, int]]:
        """Return where the exclusions match ``text``, exclusion by exclusion (``folded_text``: ``fold(text)``)."""
        spans: list[tuple[int, int]] = []
        for pattern, (clauses, folded) in zip(self.exclusions, self._exclusion_literals):
            haystack = folded_text if folded else text
            if all(any(literal in haystack for literal in clause) for clause in clauses):
                spans += [m.span() for m in pattern.finditer(text)]
        return spans

    def is_topic_body(self, name: str) -> bool:
        """Return whether a body's name alone names the topic: a strong term, not excluded ("Integrationsausschuss",
        not "Sozial- und Integrationsausschuss" nor "Ausschuss für Bildung, Integration und Sport")."""
        known = self._topic_bodies.get(name)
        if known is None:
            known = self._topic_bodies[name] = any(h.weight == STRONG for h in find_hits(self, name))
        return known


@dataclass(frozen=True)
class Hit:
    term: str  # the taxonomy term's name
    form: str  # the word as written in the text
    weight: int
    start: int


@dataclass(frozen=True)
class FieldEvidence:
    """What fired in one field (title or texts): surface forms, term names, counts."""

    forms: tuple[str, ...] = ()
    strong_terms: tuple[str, ...] = ()
    weak_terms: tuple[str, ...] = ()
    strong_hits: int = 0
    weak_hits: int = 0

    @property
    def score(self) -> int:
        """Return distinct strong terms x2 + distinct weak terms."""
        return STRONG * len(self.strong_terms) + WEAK * len(self.weak_terms)


@dataclass(frozen=True)
class TopicMatch:
    """Whether a paper is about the topic, the terms that fired and the evidence per field."""

    matched: bool
    topic: str
    terms: tuple[str, ...] = ()  # surface forms that fired (empty when not matched)
    title: FieldEvidence = field(default_factory=FieldEvidence)
    text: FieldEvidence = field(default_factory=FieldEvidence)
    reason: str | None = None  # which rule decided, e.g. "title: strong term"

    @property
    def score(self) -> int:
        return self.title.score + self.text.score


# --- loading ------------------------------------------------------------------


def topic_names() -> list[str]:
    """Return the topics the taxonomies in data/topics/ define (without compiling their patterns)."""
    return list(topic_labels())


@functools.lru_cache(maxsize=1)
def topic_labels() -> dict[str, str]:
    """Return each topic of data/topics/ with its label for people ("integration" -> "Integration, Migration, Flucht")."""
    labels = {}
    for path in sorted(DATA_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        name = data.get("topic") or path.stem
        labels[name] = data.get("label") or name
    return labels


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Return the taxonomy in a TOML file (default: data/topics/integration.toml).

    The file is read every time and compiled once per content: a nightly process that loads many sources
    compiles its patterns once, and an edit of the file is seen at the next call.
    """
    source = Path(path) if path else DEFAULT_TAXONOMY
    return _compiled_taxonomy(str(source), source.read_bytes())


@functools.lru_cache(maxsize=8)
def _compiled_taxonomy(source: str, content: bytes) -> Taxonomy:
    data = tomllib.loads(content.decode("utf-8"))
    terms = tuple(_term_from_toml(entry) for entry in data.get("term", []))
    exclusions = tuple(
        re.compile(entry["pattern"], 0 if entry.get("case_sensitive") else re.I)
        for entry in data.get("exclusion", [])
    )
    boilerplate = tuple(
        re.compile(entry["pattern"], re.M if entry.get("case_sensitive") else re.M | re.I)
        for entry in data.get("boilerplate", [])
    )
    rule_data = data.get("rule", {})
    known = set(Rule.__dataclass_fields__)
    unknown = set(rule_data) - known
    if unknown:
        raise ValueError(f"{source}: unknown [rule] keys {sorted(unknown)}")
    return Taxonomy(
        topic=data["topic"],
        label=data.get("label", data["topic"]),
        terms=terms,
        exclusions=exclusions,
        rule=Rule(**rule_data),
        source=str(source),
        boilerplate=boilerplate,
    )


def _term_from_toml(entry: Mapping[str, Any]) -> Term:
    flags = 0 if entry.get("case_sensitive") else re.I
    if "pattern" in entry:
        regex = entry["pattern"]
    else:
        stem = re.escape(entry["stem"]).replace(r"\ ", r"\s+")
        position = entry.get("position", "anywhere")
        if position == "anywhere":
            regex = stem
        elif position == "start":
            regex = rf"(?<!{_LETTER}){stem}"
        elif position == "word":
            regex = rf"(?<!{_LETTER}){stem}(?!{_LETTER})"
        else:
            raise ValueError(f"term {entry.get('term')}: unknown position {position!r}")
    weight = {"strong": STRONG, "weak": WEAK}[entry.get("weight", "strong")]
    pattern = re.compile(regex, flags)
    required, folded = required_literals(pattern)
    return Term(entry["term"], pattern, weight, entry.get("notes", ""), required, folded)


# --- what every hit of a pattern contains ---------------------------------------
# A term's pattern runs only on texts that hold one literal of each of its clauses: most texts hold none
# of most terms, and a substring test is far cheaper than the pattern (find_hits, and the load's enrichment).


def _canonical_cases() -> dict[int, str]:
    """Return, for every character re's IGNORECASE matches to another lower-case one (``ſ`` to ``s``), one representative."""
    table: dict[int, str] = {}
    for char, extras in _casefix._EXTRA_CASES.items():
        group = {char, *extras}
        # The usual letter of the group (s, not ſ; σ, not ς): what lower() gives for its capital, so that
        # a folded literal also matches text lower-cased elsewhere (the load's SQL pre-check).
        usual = [c for c in group if chr(c).upper().lower() == chr(c)]
        representative = chr(min(usual or group))
        for member in group:
            table[member] = representative
    return table


_CANONICAL = _canonical_cases()


def fold(text: str) -> str:
    """Return text case-folded as re's IGNORECASE compares characters (one character for one).

    re compares the simple lower-case of each character, plus a few equivalences (``ſ`` and ``s``, ``ς``
    and ``σ``); ``str.lower`` differs from the simple lower-case only for ``İ``. So where an IGNORECASE
    pattern matches a literal in a text, ``fold(literal) in fold(text)``.
    """
    return text.replace("\u0130", "i").lower().translate(_CANONICAL)


def required_literals(pattern: re.Pattern[str]) -> tuple[tuple[frozenset[str], ...], bool]:
    """Return clauses of strings every match of ``pattern`` contains (one of each), and whether they are folded.

    No clauses when the pattern's structure is not understood (every text is then searched).
    """
    try:
        clauses = _required_clauses(sre_parse.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 - the private parser changed: no pre-check, nothing lost
        return (), False
    # Folded where any part ignores case: a case-sensitive literal folded is still in the folded text.
    folded = bool(pattern.flags & re.IGNORECASE) or bool(re.search(r"\(\?[a-zA-Z-]*i", pattern.pattern))
    if folded:
        clauses = [{fold(literal) for literal in c} for c in clauses]
    # The most selective clauses (longest shortest literal) first; three are plenty.
    best = sorted({frozenset(c) for c in clauses}, key=lambda c: (-min(map(len, c)), len(c), sorted(c)))[:3]
    return tuple(best), folded


def literal_pattern(literals: Iterable[str]) -> re.Pattern[str]:
    """Return a pattern that finds any of ``literals``, as a trie (``ab(?:c|d)``): a flat alternation of
    hundreds of literals is eight times slower in re, which tries every branch at every position."""
    trie: dict[str, dict] = {}
    for literal in literals:
        node = trie
        for char in literal:
            node = node.setdefault(char, {})
        node[""] = {}  # a literal ends here

    def spelled(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + spelled(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if "" in node else "")

    return re.compile(spelled(trie))


def _leading_literal(items) -> str:
    run = ""
    for op, av in items:
        if op is not sre_constants.LITERAL:
            break
        run += chr(av)
    return run


def _best(clauses: list[set[str]]) -> set[str] | None:
    return max(clauses, key=lambda c: (min(map(len, c)), -len(c)), default=None)


def _required_clauses(items) -> list[set[str]]:
    """Return sets of strings such that every match of this parsed pattern contains one string of each set."""
    clauses: list[set[str]] = []
    run = ""
    for op, av in items:
        if op is sre_constants.LITERAL:
            run += chr(av)
            continue
        if op is sre_constants.BRANCH:
            alternatives = av[1]
            leads = [_leading_literal(alt) for alt in alternatives]
            if run and all(leads):  # the parser moves a common prefix out of the branch: put it back
                clauses.append({run + lead for lead in leads})
            found = [_best(_required_clauses(alt)) for alt in alternatives]
            if all(found):
                clauses.append(set().union(*found))
        elif op is sre_constants.SUBPATTERN:
            clauses += _required_clauses(av[3])
        elif op is sre_constants.ATOMIC_GROUP:
            clauses += _required_clauses(av)
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT) and av[0] >= 1:
            clauses += _required_clauses(av[2])
        if run:
            clauses.append({run})
        run = ""
    if run:
        clauses.append({run})
    return [c for c in clauses if c and all(c)]


# --- matching -----------------------------------------------------------------


def find_hits(taxonomy: Taxonomy, text: str, *, bodies: Iterable[str] = (), document: bool = False) -> list[Hit]:
    """Return the term hits in a text, in text order, minus those inside an exclusion.

    In a ``document`` text (a section or a file, not a title) hits do not count where the text names a body
    rather than its subject: inside a line the taxonomy's ``[[boilerplate]]`` describes (letterhead, a row
    of the Beratungsfolge, a distribution list), inside the name of one of ``bodies`` (the committees the
    paper passes: "Der Sozial- und Integrationsausschuss empfiehlt …"), and in a line the text repeats
    (a page header or footer) after its first occurrence.
    """
    if not text:
        return []
    text = normalise_text(text)
    folded = fold(text)
    excluded: list[tuple[int, int]] | None = None  # found when a term first hits
    hits: list[Hit] = []
    taken: list[tuple[int, int]] = []
    for term in taxonomy.candidate_terms(text, folded):
        for m in term.pattern.finditer(text):
            if excluded is None:
                excluded = taxonomy.exclusion_spans(text, folded)
                if document:
                    excluded += _body_spans(taxonomy, text, bodies)
            span = m.span()
            if any(a < span[1] and span[0] < b for a, b in excluded):
                continue
            # Two terms on the same word ("Flüchtlingsunterkunft") count once: first listed wins.
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue
            taken.append(_word_span(text, *span, hyphens=False))
            hits.append(Hit(term.name, _surface(text, *span), term.weight, span[0]))
    hits.sort(key=lambda h: h.start)
    return hits


def _body_spans(taxonomy: Taxonomy, text: str, bodies: Iterable[str]) -> list[tuple[int, int]]:
    """Return where a document text names bodies, not its subject (see ``find_hits``)."""
    spans = [m.span() for pattern in taxonomy.boilerplate for m in pattern.finditer(text)]
    for body in {b.strip() for b in bodies if b and len(b.strip()) >= 4}:
        name = r"\s+".join(re.escape(word) for word in body.split())
        spans += [m.span() for m in re.finditer(rf"(?<!{_LETTER}){name}\w*", text, re.I)]
    seen: set[str] = set()
    for m in _LINE.finditer(text):
        line = " ".join(m.group(0).split())
        if len(line) < _REPEATED_LINE_MIN:
            continue
        if line in seen:
            spans.append(m.span())
        seen.add(line)
    return spans


def non_evidence_spans(taxonomy: Taxonomy, text: str, *, bodies: Iterable[str | None] = ()) -> list[tuple[int, int]]:
    """Return where a document text, as written, holds words that are no evidence: exclusions, boilerplate lines,
    the names of ``bodies`` that are no topic bodies, repeated lines after the first (as ``match_topic`` reads it).

    For a reader that quotes the evidence (the export's snippets): a form that stands in one of these spans and
    again elsewhere counted where it stands elsewhere. Spans are found on the text as written, not normalised,
    so they can differ from the matcher's where a soft hyphen or a hyphenated line break sits inside them.
    """
    others = [b for b in bodies if b and b.strip() and not taxonomy.is_topic_body(b.strip())]
    spans = taxonomy.exclusion_spans(text, fold(text))
    return sorted(spans + _body_spans(taxonomy, text, others))


_LINE = re.compile(r"[^\n]+")
# Shorter lines ("1.", "Begründung:", a table's "ukrainisch 8") repeat in any text; a page header is longer.
_REPEATED_LINE_MIN = 20


def match_topic(
    taxonomy: Taxonomy, *, title: str | None, texts: Iterable[str | None] = (), bodies: Iterable[str | None] = ()
) -> TopicMatch:
    """Return whether a paper (title plus text sections/attachments) is about the taxonomy's topic.

    ``bodies``: the names of the committees the paper passes (its consultations' organizations). One whose name
    names the topic ("Integrationsausschuss") counts as a weak term of the title (``[rule] topic_body``); the
    names of the others are not evidence where the texts print them ("Der Sozial- und Integrationsausschuss
    empfiehlt …", ``find_hits``).
    """
    body_names = _unique(b.strip() for b in bodies if b and b.strip())
    topic_bodies = [b for b in body_names if taxonomy.is_topic_body(b)]
    other_bodies = [b for b in body_names if b not in topic_bodies]
    rule = taxonomy.rule
    title_hits = find_hits(taxonomy, title or "")
    body_hits = [Hit(TOPIC_BODY, b, WEAK, -1) for b in topic_bodies[:1]] if rule.topic_body == "weak" else []
    title_ev = _evidence(title_hits + body_hits)
    text_list = [t for t in texts if t and t.strip()]
    lead_hits: list[Hit] = []
    all_text_hits: list[Hit] = []
    total_chars = 0
    for text in text_list:
        hits = find_hits(taxonomy, text, bodies=other_bodies, document=True)
        all_text_hits.extend(hits)
        lead_hits.extend(h for h in hits if h.start < rule.lead_chars)
        total_chars += len(text)
    text_ev = _evidence(all_text_hits)
    lead_ev = _evidence(lead_hits)

    reason = _decide(rule, title_ev, text_ev, lead_ev, all_text_hits, total_chars)
    matched = reason is not None
    forms = _unique([h.form for h in title_hits + body_hits + all_text_hits]) if matched else ()
    return TopicMatch(matched, taxonomy.topic, tuple(forms), title_ev, text_ev, reason)


def _decide(
    rule: Rule,
    title: FieldEvidence,
    text: FieldEvidence,
    lead: FieldEvidence,
    text_hits: list[Hit],
    total_chars: int,
) -> str | None:
    """Return the name of the rule that makes the paper match, or None."""
    if len(title.strong_terms) >= rule.title_min_strong:
        return "title: strong term"
    if len(title.weak_terms) >= rule.title_min_weak:
        return "title: weak terms"
    if title.weak_terms and lead.strong_terms:
        return "title weak term + strong term in text lead"
    if lead.strong_hits >= rule.lead_min_hits:
        return "text lead: strong terms"
    strong_hits = sum(1 for h in text_hits if h.weight == STRONG)
    if (
        strong_hits >= rule.density_min_hits
        and len(text.strong_terms) >= 2
        and strong_hits * 10_000 / max(total_chars, 1) >= rule.density_per_10k
    ):
        return "text: dense strong terms"
    return None


def topics_for_paper(
    paper: Any, attachment_texts: Iterable[str | None] = (), *, taxonomy: Taxonomy | None = None
) -> TopicMatch:
    """Return the topic match of a Paper item or paper dict, with its sections and attachment texts."""
    data = paper.to_dict() if hasattr(paper, "to_dict") else dict(paper)
    sections: list[str] = [
        str(data.get(key))
        for key in ("sachverhalt", "beschlussvorschlag", "begruendung", "beschluss")
        if data.get(key)
    ]
    other = data.get("otherText")
    if isinstance(other, str):  # as stored in the warehouse's JSON column
        try:
            other = json.loads(other)
        except ValueError:
            other = {"otherText": other}
    if isinstance(other, Mapping):
        sections.extend(str(v) for v in other.values() if v)
    return match_topic(
        taxonomy or default_taxonomy(),
        title=data.get("name"),
        texts=[*sections, *(t for t in attachment_texts if t)],
    )


_DEFAULT: Taxonomy | None = None


def default_taxonomy() -> Taxonomy:
    """Return the taxonomy of data/topics/integration.toml (the one the load matches with), loaded once."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_taxonomy()
    return _DEFAULT


# --- helpers --------------------------------------------------------------------

_HYPHEN_BREAK = re.compile(r"(\w)[-\u00ad]\s*\n\s*(?=[a-zäöüß])")
# Gender-inclusive forms: "Ausländer*innenbehörde", "Ausländer:innen", "Migrant_innen",
# "AusländerInnenbehörde" read as the plain compound, so that terms written for
# "Ausländerbehörde" find them. Only a marker (*, :, _, ·) or a capital I directly
# after a lower-case letter counts, so "Titel: innen" and "Innenstadt" stay as they are.
_GENDER_FORM = re.compile(r"(?<=[a-zäöüß])(?:[*:_·]in(?:nen)?|Innen)(?![a-zäöüß])|(?<=[a-zäöüß])(?:[*:_·]innen|Innen)(?=[a-zäöüß])")
# What every gender form contains.
_GENDER_MARK = re.compile(r"[*:_·]|Innen")


def normalise_text(text: str) -> str:
    """Return text with soft hyphens, end-of-line hyphenation ("Flücht-\\nlinge") and gender markers undone."""
    text = text.replace("\u00ad", "")
    if "\n" in text:  # the patterns cannot match otherwise: most texts (titles) skip them
        text = _HYPHEN_BREAK.sub(r"\1", text)
    if _GENDER_MARK.search(text):
        text = _GENDER_FORM.sub("", text)
    return text


def _word_span(text: str, start: int, end: int, *, hyphens: bool = True) -> tuple[int, int]:
    """Return the span of the word around a hit; with ``hyphens`` across "Migration-Integration"."""

    def inside(i: int) -> bool:
        if text[i].isalpha():
            return True
        return hyphens and text[i] == "-" and 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()

    while start > 0 and inside(start - 1):
        start -= 1
    while end < len(text) and inside(end):
        end += 1
    return start, end


def _surface(text: str, start: int, end: int) -> str:
    """Return the whole word (or phrase) around a hit: "Flüchtlingsunterkünfte" for "flüchtling"."""
    a, b = _word_span(text, start, end)
    return re.sub(r"\s+", " ", text[a:b])


def _evidence(hits: list[Hit]) -> FieldEvidence:
    strong = _unique([h.term for h in hits if h.weight == STRONG])
    weak = _unique([h.term for h in hits if h.weight == WEAK])
    return FieldEvidence(
        forms=tuple(_unique([h.form for h in hits])),
        strong_terms=tuple(strong),
        weak_terms=tuple(weak),
        strong_hits=sum(1 for h in hits if h.weight == STRONG),
        weak_hits=sum(1 for h in hits if h.weight == WEAK),
    )


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


__all__ = [
    "DEFAULT_TAXONOMY",
    "FieldEvidence",
    "Hit",
    "Rule",
    "Taxonomy",
    "Term",
    "TopicMatch",
    "find_hits",
    "load_taxonomy",
    "match_topic",
    "non_evidence_spans",
    "normalise_text",
    "topics_for_paper",
]
