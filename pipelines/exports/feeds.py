"""Atom feeds of new and changed resolutions, and the e-mail/webhook digest after the nightly run.

A feed lists the resolutions (decided agenda items, ``resolution`` view) of
a selection: a topic, a municipality, a committee (the committee that
decided) or a saved search (any search of the web page, as its query
string). A municipality's or committee's feed holds the resolutions on agenda
items without a paper too (a motion on the budget, an election); a selection
by topic, text, result or dates holds those of its papers. An entry is *new* when the agenda item first appeared in
the crawl that last changed it, *changed* otherwise; its time is the start
of that crawl. ``ratsinfo web`` serves the feeds at ``/feeds/…``;
``ratsinfo feeds`` writes them to files.

``send_digest`` collects what changed since a moment (the start of the
nightly run) and sends it by e-mail (smtplib) and/or to a webhook (a JSON
POST), as configured in the environment (``DigestConfig.from_env``). A digest
that cannot be sent is reported in the returned dict, never raised: the
nightly run goes on.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import smtplib
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Mapping

from schemas.env import EnvSettingError
from pipelines.exports.export import RESULT_DE, ExportQuery, _where, open_warehouse, stable_id

ATOM = "http://www.w3.org/2005/Atom"
FEED_KINDS = {"topic": "Thema", "municipality": "Kommune", "committee": "Gremium", "search": "Suche"}

# The columns a feed entry reads (resolution view, the paper's row in paper_decision, the crawl that changed it).
# A resolution on an agenda item without a paper (a motion on the budget, an election) has no paper_decision row:
# it is named by its agenda item and linked to its meeting's page.
ENTRIES_SQL = """
{cte}
SELECT r."source", r."agendaItem", r."paper", d."paper" IS NOT NULL AS "hasPaper",
       coalesce(d."system", cr."system", s."system") AS "system", coalesce(d."baseUrl", cr."baseUrl", s."baseUrl") AS "baseUrl",
       coalesce(d."municipality", s."name", r."source") AS "municipality", d."reference",
       coalesce(d."title", r."agendaItemName") AS "title",
       r."committee", r."meetingDate", r."meetingName", r."number", r."result", r."resultRaw", r."unanimous",
       r."votesYes", r."votesNo", r."votesAbstain", r."votesBiased", r."resolutionText",
       coalesce(d."url", m."web", m."url") AS "url",
       coalesce(cr."startedAt", r."lastSeen") AS "changedAt", r."firstSeen",
       coalesce(r."firstSeen" >= cr."startedAt", false) AS "isNew"
FROM resolution r
LEFT JOIN paper_decision d ON d."source" = r."source" AND d."paper" = r."paper"
{join}
LEFT JOIN crawl cr ON cr."crawlId" = r."crawlId"
LEFT JOIN source s ON s."source" = r."source"
LEFT JOIN meeting m ON m."source" = r."source" AND m."systemId" = r."meeting"
WHERE {where}
ORDER BY "changedAt" DESC NULLS LAST, r."meetingDate" DESC NULLS LAST, r."agendaItem"
LIMIT {limit}
"""


def feed_entries(con, query: ExportQuery, since: dt.datetime | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Return the newest new or changed resolutions of a selection (newest first).

    A selection of a municipality and/or a committee only holds every resolution, those on agenda items
    without a paper too; a selection that names anything of a paper (topic, text, result, dates) holds the
    resolutions of its papers.
    """
    committee = query.committee
    if any((query.topic, query.text, query.result, query.since, query.until, query.paper)):
        cte, where, params, _ = _where(con, query.without(committee=None))
        where += ' AND d."paper" IS NOT NULL'
    else:
        cte, where, params = "", "true", []
        if query.municipality:
            where += ' AND (r."source" = ? OR lower(coalesce(s."name", r."source")) = lower(?))'
            params += [query.municipality, query.municipality]
    join = 'JOIN hits h ON h."source" = d."source" AND h."systemId" = d."paper"' if cte else ""
    if committee:
        where += ' AND lower(r."committee") = lower(?)'
        params.append(committee)
    if since is not None:
        where += ' AND coalesce(cr."startedAt", r."lastSeen") >= CAST(? AS TIMESTAMPTZ)'
        params.append(since)
    cursor = con.execute(ENTRIES_SQL.format(cte=cte, join=join, where=where, limit=int(limit)), params)
    names = [d[0] for d in cursor.description]
    entries = [dict(zip(names, row)) for row in cursor.fetchall()]
    for entry in entries:
        entry["id"] = stable_id(entry["system"], entry["agendaItem"], entry["baseUrl"])
        entry["paperId"] = stable_id(entry["system"], entry["paper"], entry["baseUrl"]) if entry["hasPaper"] else None
    return entries


def feed_title(kind: str, value: str) -> str:
    """Return a feed's title; a saved search's (a query string) in words: "Suche: „Flüchtlinge“, Thema integration"."""
    if kind == "search":
        value = describe_query(query_for(kind, value)) or "alle"
    return f"ratsinfo – {FEED_KINDS.get(kind, kind)}: {value}"


def describe_query(query: ExportQuery) -> str:
    """Return a selection in words, as a feed reader shows it (not as a percent-encoded query string)."""
    parts = [f"„{query.text}“" if query.text else None,
             f"Thema {query.topic}" if query.topic else None,
             f"Kommune {query.municipality}" if query.municipality else None,
             f"Gremium {query.committee}" if query.committee else None,
             f"Ergebnis {RESULT_DE.get(query.result, query.result)}" if query.result else None,
             f"ab {query.since:%d.%m.%Y}" if query.since else None,
             f"bis {query.until:%d.%m.%Y}" if query.until else None]
    return ", ".join(p for p in parts if p)


def entry_title(entry: Mapping[str, Any]) -> str:
    result = RESULT_DE.get(entry.get("result") or "", entry.get("resultRaw") or "Beschluss")
    return f"{result}: {entry.get('title') or entry.get('reference') or 'Vorlage'}"


def entry_text(entry: Mapping[str, Any]) -> str:
    """Return an entry's body as plain text (committee, date, votes, resolution)."""
    lines = []
    when = entry.get("meetingDate")
    where = ", ".join(str(x) for x in (entry.get("committee"), when.strftime("%d.%m.%Y") if when else None) if x)
    lines.append(f"{'Neu' if entry.get('isNew') else 'Geändert'} · {entry.get('municipality') or entry.get('source')}"
                 + (f" · {where}" if where else "") + (f" · TOP {entry['number']}" if entry.get("number") else ""))
    if entry.get("reference"):
        lines.append(f"Drucksache {entry['reference']}")
    result = entry.get("resultRaw") or RESULT_DE.get(entry.get("result") or "", "")
    votes = [f"{label} {entry[key]}" for key, label in (("votesYes", "Ja"), ("votesNo", "Nein"),
                                                        ("votesAbstain", "Enthaltungen"), ("votesBiased", "Befangen"))
             if entry.get(key) is not None]
    if entry.get("unanimous"):
        votes.insert(0, "einstimmig")
    lines.append("Ergebnis: " + "; ".join(x for x in [result, ", ".join(votes)] if x))
    if entry.get("resolutionText"):
        text = re.sub(r"\s+", " ", entry["resolutionText"]).strip()
        lines.append("Beschluss: " + (text[:1500] + " …" if len(text) > 1500 else text))
    return "\n".join(lines)


def paper_link(entry: Mapping[str, Any], web_base: str | None) -> str | None:
    """Return the link of an entry: its paper on the web page when served, else the paper's own page (the meeting's
    page for an agenda item without a paper)."""
    if web_base and entry.get("hasPaper", True):
        query = urllib.parse.urlencode({"source": entry["source"], "id": entry["paper"]})
        return f"{web_base.rstrip('/')}/paper?{query}"
    url = entry.get("url") or ""
    return url if urllib.parse.urlsplit(url).scheme.lower() in ("http", "https") else None


def atom_feed(entries: list[dict[str, Any]], *, title: str, feed_id: str, self_url: str | None = None,
              web_base: str | None = None, now: dt.datetime | None = None) -> bytes:
    """Return an Atom 1.0 document (UTF-8 bytes) for the entries."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM}}}title").text = xml_text(title)
    stamps = [_entry_updated(e) for e in entries if e.get("changedAt") or e.get("firstSeen")]
    updated = max(stamps) if stamps else (now or dt.datetime.now(dt.timezone.utc))
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _iso(updated)
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "ratsinfo"
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "ratsinfo"
    if self_url:
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url, type="application/atom+xml")
    for e in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = "urn:ratsinfo:" + urllib.parse.quote(e["id"], safe=":/.-_~")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = xml_text(entry_title(e))
        changed = _entry_updated(e) if e.get("changedAt") or e.get("firstSeen") else updated
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _iso(changed)
        if e.get("firstSeen"):
            ET.SubElement(entry, f"{{{ATOM}}}published").text = _iso(e["firstSeen"])
        link = paper_link(e, web_base)
        if link:
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=link)
        ET.SubElement(entry, f"{{{ATOM}}}category", term="neu" if e.get("isNew") else "geändert")
        # RFC 4287 4.1.1: an entry without an alternate link must carry its text as content, not as summary.
        ET.SubElement(entry, f"{{{ATOM}}}summary" if link else f"{{{ATOM}}}content", type="text").text = xml_text(entry_text(e))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _entry_updated(entry: Mapping[str, Any]) -> Any:
    """Return when an entry last changed: the start of the crawl that changed it, never before it was first seen.

    A new item is first seen during the crawl that found it, after that crawl started; its ``updated`` would
    otherwise precede its ``published``.
    """
    stamps = [_as_utc(v) for v in (entry.get("changedAt"), entry.get("firstSeen")) if v]
    return max(stamps)


def _as_utc(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    return value


# Characters XML 1.0 cannot hold at all (control characters from PDFs and pages); ElementTree writes them as they are.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Return text without the characters an XML document may not contain."""
    return _NOT_XML.sub("", text)


def _iso(value: Any) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return f"{value.isoformat()}T00:00:00Z"
    return str(value)


def query_for(kind: str, value: str) -> ExportQuery:
    """Return the selection of a feed: ``topic``, ``municipality``, ``committee`` or ``search`` (a query string)."""
    if kind == "topic":
        return ExportQuery(topic=value)
    if kind == "municipality":
        return ExportQuery(municipality=value)
    if kind == "committee":
        return ExportQuery(committee=value)
    if kind == "search":
        return query_from_params(urllib.parse.parse_qs(value))
    raise ValueError(f"unknown feed kind {kind!r} ({', '.join(FEED_KINDS)})")


def query_from_params(params: Mapping[str, list[str]]) -> ExportQuery:
    """Return the selection a search page's query string describes (unknown or malformed values ignored)."""

    def one(name: str) -> str | None:
        values = [v.strip() for v in params.get(name, []) if v and v.strip()]
        return values[0] if values else None

    def day(name: str) -> dt.date | None:
        value = one(name)
        try:
            return dt.date.fromisoformat(value) if value else None
        except ValueError:
            return None

    return ExportQuery(
        text=one("q"), municipality=one("municipality"), committee=one("committee"), topic=one("topic"),
        result=one("result"), since=day("since"), until=day("until"),
    )


def slugify(value: str) -> str:
    """Return a file-name-safe form of a feed value ("Ausschuss für Umwelt" → "ausschuss-fuer-umwelt")."""
    import unicodedata

    german = value.translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}))
    ascii_text = unicodedata.normalize("NFKD", german).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "feed"


def write_feeds(db_path: Path, out_dir: Path, *, searches: Mapping[str, str] | None = None,
                web_base: str | None = None, limit: int = 50) -> list[Path]:
    """Write one Atom file per topic, municipality, deciding committee and saved search; return the files."""
    con = open_warehouse(db_path)
    written = []
    try:
        feeds: list[tuple[str, str, str]] = []  # (kind, value, file stem)
        feeds += [("topic", t, t) for (t,) in con.execute('SELECT DISTINCT "topic" FROM paper_topic ORDER BY 1').fetchall()]
        feeds += [("municipality", s, s) for (s,) in con.execute(
            'SELECT DISTINCT "source" FROM paper_decision ORDER BY 1').fetchall()]
        feeds += [("committee", c, slugify(c)) for (c,) in con.execute(
            'SELECT DISTINCT "committee" FROM resolution WHERE "committee" IS NOT NULL ORDER BY 1').fetchall()]
        feeds += [("search", q, slugify(name)) for name, q in (searches or {}).items()]
        taken: set[Path] = set()
        for kind, value, stem in feeds:
            entries = feed_entries(con, query_for(kind, value), limit=limit)
            path, n = out_dir / kind / f"{stem}.atom", 1
            while path in taken:  # two names with one slug ("Ausschuss für X" / "Ausschuss fuer X")
                n += 1
                path = out_dir / kind / f"{stem}-{n}.atom"
            taken.add(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(atom_feed(entries, title=feed_title(kind, value),
                                       feed_id=f"urn:ratsinfo:feed:{kind}:{urllib.parse.quote(value, safe='')}",
                                       web_base=web_base))
            written.append(path)
    finally:
        con.close()
    return written


# -- the digest ------------------------------------------------------------------

@dataclass
class DigestConfig:
    """Where the digest goes and what it holds (every field optional; nothing set: no digest)."""

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    mail_from: str = "ratsinfo@localhost"
    mail_to: list[str] = field(default_factory=list)
    webhook_url: str | None = None
    topics: list[str] = field(default_factory=list)  # empty: every resolution
    municipalities: list[str] = field(default_factory=list)
    committees: list[str] = field(default_factory=list)
    web_base: str | None = None  # links point at `ratsinfo web` when set
    send_empty: bool = False
    limit: int = 200
    timeout: float = 20.0

    ENV = {
        "smtp_host": "RATSINFO_DIGEST_SMTP_HOST",
        "smtp_port": "RATSINFO_DIGEST_SMTP_PORT",
        "smtp_user": "RATSINFO_DIGEST_SMTP_USER",
        "smtp_password": "RATSINFO_DIGEST_SMTP_PASSWORD",
        "smtp_starttls": "RATSINFO_DIGEST_SMTP_STARTTLS",
        "mail_from": "RATSINFO_DIGEST_FROM",
        "mail_to": "RATSINFO_DIGEST_TO",
        "webhook_url": "RATSINFO_DIGEST_WEBHOOK",
        "topics": "RATSINFO_DIGEST_TOPICS",
        "municipalities": "RATSINFO_DIGEST_MUNICIPALITIES",
        "committees": "RATSINFO_DIGEST_COMMITTEES",
        "web_base": "RATSINFO_WEB_URL",
        "send_empty": "RATSINFO_DIGEST_SEND_EMPTY",
    }

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "DigestConfig":
        """Return the configuration the ``RATSINFO_DIGEST_*`` variables describe (lists comma-separated)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for name, var in cls.ENV.items():
            raw = env.get(var)
            if raw is None or raw == "":
                continue
            if name in ("mail_to", "topics", "municipalities", "committees"):
                values[name] = [v.strip() for v in raw.split(",") if v.strip()]
            elif name == "smtp_port":
                if not raw.strip().isdigit() or not 0 < int(raw) < 65536:
                    raise EnvSettingError(f"${var} must be a port number, not {raw!r}")
                values[name] = int(raw)
            elif name in ("smtp_starttls", "send_empty"):
                values[name] = raw.strip().lower() in ("1", "true", "yes", "ja", "on")
            else:
                values[name] = raw
        return cls(**values)

    @property
    def wants_mail(self) -> bool:
        return bool(self.smtp_host and self.mail_to)


def digest_entries(con, since: dt.datetime, config: DigestConfig) -> list[dict[str, Any]]:
    """Return the new and changed resolutions since ``since`` that the configuration asks for (no duplicates)."""
    queries = ([ExportQuery(topic=t) for t in config.topics] + [ExportQuery(municipality=m) for m in config.municipalities]
               + [ExportQuery(committee=c) for c in config.committees]) or [ExportQuery()]
    seen: dict[str, dict[str, Any]] = {}
    for query in queries:
        for entry in feed_entries(con, query, since=since, limit=config.limit):
            seen.setdefault(entry["id"], entry)
    return sorted(seen.values(), key=lambda e: (str(e.get("changedAt")), e["id"]), reverse=True)


def send_digest(db_path: str | Path, since: dt.datetime | dt.date | str, config: DigestConfig | None = None) -> dict[str, Any]:
    """Send the digest of what changed since ``since`` by e-mail and/or webhook; return what was done.

    ``config`` None reads the environment. Never raises for a failed delivery:
    the result says ``"failed: …"`` for that channel.
    """
    report: dict[str, Any] = {"entries": 0}
    try:
        config = config or DigestConfig.from_env()
    except EnvSettingError as exc:  # reported with the run, which goes on
        report["error"] = str(exc)
        return report
    if not config.wants_mail and not config.webhook_url:
        report["skipped"] = "no digest configured (RATSINFO_DIGEST_SMTP_HOST/_TO or RATSINFO_DIGEST_WEBHOOK)"
        return report
    moment = _moment(since)
    try:
        con = open_warehouse(Path(db_path))
    except Exception as exc:  # noqa: BLE001 — the nightly run goes on; the report says why
        report["error"] = f"could not read the warehouse: {exc}"
        return report
    try:
        entries = digest_entries(con, moment, config)
    finally:
        con.close()
    report["entries"] = len(entries)
    if not entries and not config.send_empty:
        report["skipped"] = "nothing new or changed"
        return report
    subject = f"ratsinfo: {len(entries)} neue oder geänderte Beschlüsse seit {moment:%d.%m.%Y %H:%M} UTC"
    if config.wants_mail:
        report["email"] = _send_mail(config, subject, digest_text(entries, config.web_base))
    if config.webhook_url:
        report["webhook"] = _post_webhook(config, subject, moment, entries)
    return report


def digest_text(entries: list[dict[str, Any]], web_base: str | None = None) -> str:
    """Return the e-mail body: one block per resolution."""
    blocks = []
    for e in entries:
        link = paper_link(e, web_base)
        blocks.append("\n".join([entry_title(e), entry_text(e), *([link] if link else [])]))
    return "\n\n".join(blocks) + "\n" if blocks else "Keine neuen oder geänderten Beschlüsse.\n"


def _send_mail(config: DigestConfig, subject: str, body: str) -> str:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config.mail_from
    message["To"] = ", ".join(config.mail_to)
    message.set_content(body)
    try:
        with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=config.timeout) as smtp:
            if config.smtp_starttls:
                smtp.starttls()
            if config.smtp_user:
                smtp.login(config.smtp_user, config.smtp_password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        return f"failed: {exc}"
    return f"sent to {len(config.mail_to)} recipient(s)"


def _post_webhook(config: DigestConfig, subject: str, since: dt.datetime, entries: list[dict[str, Any]]) -> str:
    url = config.webhook_url or ""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        return f"failed: webhook URL must be http(s), not {url!r}"
    payload = {
        "text": subject,
        "since": _iso(since),
        "count": len(entries),
        "entries": [
            {"id": e["id"], "paperId": e["paperId"], "title": entry_title(e), "new": bool(e.get("isNew")),
             "changedAt": _iso(e["changedAt"]) if e.get("changedAt") else None, "municipality": e.get("municipality"),
             "committee": e.get("committee"), "date": e["meetingDate"].isoformat() if e.get("meetingDate") else None,
             "reference": e.get("reference"), "result": e.get("result"), "resultText": e.get("resultRaw"),
             "link": paper_link(e, config.web_base), "text": entry_text(e)}
            for e in entries
        ],
    }
    request = urllib.request.Request(url, data=json.dumps(payload, ensure_ascii=False).encode(), method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=config.timeout) as response:
            return f"sent (HTTP {response.status})"
    except OSError as exc:
        return f"failed: {exc}"


def _moment(value: dt.datetime | dt.date | str) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value) if "T" in value or " " in value else dt.date.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
