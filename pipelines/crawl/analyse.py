"""What the pipeline finds in one document, for ``ratsinfo analyse FILE``.

Reads a plain-text, HTML or PDF file, extracts its text with the same limits
as the crawl (``pipelines.crawl.documents``) and runs the normalisers on it: dates,
lead offices, vote results, signatories, paper references and the integration
topic. Dates, offices and votes are normalised from candidate substrings found
here (the normalisers take one label at a time); signatories, references and
topics read the whole text.

An unreadable input (missing file, binary data, PDF without a text layer,
extraction failure) raises :class:`AnalyseError` with the reason.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pipelines.crawl.documents import extract_text, sniff_kind
from pipelines.normalise.dates import parse_date
from pipelines.normalise.offices import office_from_label
from pipelines.normalise.references import find_paper_references
from pipelines.normalise.signatories import find_signatories
from pipelines.normalise.topics import load_taxonomy, match_topic
from pipelines.normalise.votes import parse_vote_result

MAX_ITEMS = 200  # per list, so a 300-page budget does not flood the terminal

_MONTH = r"(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)"
_WEEKDAY = r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)"
_DATE_CANDIDATE = re.compile(
    rf"(?:{_WEEKDAY},?\s+(?:den\s+)?)?\d{{1,2}}\.\s*{_MONTH}\s+\d{{4}}"
    r"|(?<![\d.])\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})(?![\d.]\d)"
    r"|(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])"
)
_OFFICE_CANDIDATE = re.compile(
    r"\bAmt\s+\d{2}(?:\s+[A-ZÄÖÜ][\wäöüß-]*amt\b)?"
    r"|\(\s*A\s?\d{2}\s*\)|(?<=/)\s*A\s?\d{2}\b"
    r"|\b(?:FB|Fachbereich)\s*\d{1,2}\b(?:\s*[-–]\s*[A-ZÄÖÜ][\wäöüß]+(?:[ ,]+(?:und\s+)?[A-ZÄÖÜ][\wäöüß]+){0,3})?"
    r"|\b(?:Dez\.|Dezernat)\s*(?:\d{1,2}|[IVX]{1,4})\b"
)
# "Federführend: Amt 50", or the value on the next line ("- Federführend\n- Amt 50 Sozialamt").
_OFFICE_LABEL = re.compile(
    r"^[\s\-–•]*(?:federführend(?:e\s+Dienststelle)?|federführung|zuständige?s?\s+(?:Amt|Dienststelle)|Dienststelle)\s*:?\s*(?P<value>.*)$",
    re.I,
)
_VOTE_LINE = re.compile(
    r"einstimmig|mehrheitlich|stimmenmehrheit|\bja[-\s]?stimmen|\bja\s*:\s*\d|\bnein\s*:\s*\d|enthaltung"
    r"|abstimmungsergebnis|\bbeschlossen\b|\babgelehnt\b|\bvertagt\b|\bzurückgezogen\b|zur\s+kenntnis\s+genommen",
    re.I,
)


class AnalyseError(Exception):
    """The file cannot be analysed; the message says why."""


def analyse_file(path: str | Path, *, title: str | None = None) -> dict[str, Any]:
    """Return what the pipeline finds in one document file (text, HTML or PDF) as a JSON-ready dict."""
    file = Path(path)
    if not file.exists():
        raise AnalyseError(f"file not found: {file}")
    if not file.is_file():
        raise AnalyseError(f"not a file: {file}")
    data = file.read_bytes()
    if not data.strip():
        raise AnalyseError(f"empty file: {file}")
    document = extract_text(data, file_name=file.name)
    if document.status != "ok":
        raise AnalyseError(_reason(file, document.status, document.detail))
    text = document.text
    if not text.strip():
        raise AnalyseError(f"{file}: no text found")

    topic = match_topic(load_taxonomy(), title=title, texts=[text])
    return {
        "file": str(file),
        "kind": sniff_kind(data, file_name=file.name),
        "status": document.status,
        "pages": document.pages,
        "text_chars": len(text),
        "dates": find_dates(text),
        "offices": find_offices(text),
        "votes": find_votes(text),
        "signatories": [
            {"order": s.order, "name": s.name, "role": s.role, "representation": s.representation}
            for s in find_signatories(text)
        ],
        "references": [
            {"raw": r.raw, "reference": r.reference, "keyword": r.keyword}
            for r in find_paper_references(text)[:MAX_ITEMS]
        ],
        "topics": {"matched": topic.matched, "topic": topic.topic, "terms": list(topic.terms), "reason": topic.reason},
    }


def find_dates(text: str) -> list[dict[str, Any]]:
    """Return the dates written in a text, each raw form once, normalised by parse_date."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for m in _DATE_CANDIDATE.finditer(text):
        raw = re.sub(r"\s+", " ", m.group(0)).strip()
        if raw in seen:
            continue
        seen.add(raw)
        parsed = parse_date(raw)
        if parsed is None:
            continue
        out.append({"raw": raw, "date": parsed.date.isoformat(), "precision": parsed.precision})
        if len(out) >= MAX_ITEMS:
            break
    return out


def find_offices(text: str) -> list[dict[str, Any]]:
    """Return the offices named in a text (Amt 50, FB 3, (A51), "Federführend: …"), each once."""
    candidates: list[tuple[int, str]] = [(m.start(), m.group(0).strip(" ()/")) for m in _OFFICE_CANDIDATE.finditer(text)]
    lines = text.splitlines()
    offset = 0
    for i, line in enumerate(lines):
        m = _OFFICE_LABEL.match(line)
        if m:
            value = m.group("value").strip()
            if not value and i + 1 < len(lines):
                value = lines[i + 1].strip().lstrip("-–• ").strip()
            if value and len(value) <= 80 and not _DATE_CANDIDATE.fullmatch(value):
                candidates.append((offset, value))
        offset += len(line) + 1
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str | None, str | None]] = set()
    for _, raw in sorted(candidates):
        office = office_from_label(raw)
        if office is None or not (office.code or office.name):
            continue
        key = (office.kind, office.code, None if office.code else office.name)
        if key in seen:
            continue
        seen.add(key)
        out.append({"raw": raw, "kind": office.kind, "code": office.code, "name": office.name})
        if len(out) >= MAX_ITEMS:
            break
    return out


def find_votes(text: str) -> list[dict[str, Any]]:
    """Return the vote results in a text: lines with "einstimmig", "Ja: 12", "abgelehnt" …"""
    out: list[dict[str, Any]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or len(line) > 300 or not _VOTE_LINE.search(line):
            continue
        vote = parse_vote_result(line)
        if vote is None or (vote.result == "unknown" and vote.yes is None and vote.unanimous is None):
            continue
        out.append(
            {
                "raw": line,
                "result": vote.result,
                "unanimous": vote.unanimous,
                "yes": vote.yes,
                "no": vote.no,
                "abstain": vote.abstain,
                "biased": vote.biased,
            }
        )
        if len(out) >= MAX_ITEMS:
            break
    return out


def _reason(file: Path, status: str, detail: str | None) -> str:
    reasons = {
        "no_text_layer": "PDF has no text layer (a scan?); run OCR first",
        "unsupported": "not a text, HTML or PDF document",
        "too_large": "file too large",
        "timeout": "text extraction timed out",
        "error": "text extraction failed",
    }
    message = f"{file}: {reasons.get(status, status)}"
    return f"{message} ({detail})" if detail else message


__all__ = ["AnalyseError", "analyse_file", "find_dates", "find_offices", "find_votes"]
