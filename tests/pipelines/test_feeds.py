"""Atom feeds of new and changed resolutions, and the digest to a local SMTP sink and a local HTTP sink."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import socket
import threading
import xml.etree.ElementTree as ET
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from pipelines.exports.export import ExportQuery, open_warehouse
from pipelines.exports.feeds import DigestConfig, atom_feed, feed_entries, query_for, send_digest, write_feeds
from tests.web_seed import C2_TIME, seed_warehouse

ATOM = "{http://www.w3.org/2005/Atom}"
SINCE = dt.datetime(2026, 11, 15, tzinfo=dt.timezone.utc)  # between crawl c1 and crawl c2


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return seed_warehouse(tmp_path_factory.mktemp("feeds") / "w.duckdb")


@pytest.fixture
def con(warehouse):
    con = open_warehouse(warehouse)
    yield con
    con.close()


def test_entries_are_new_or_changed_newest_first(con):
    entries = feed_entries(con, ExportQuery(municipality="musterstadt"))
    assert [(e["agendaItem"], e["isNew"]) for e in entries] == [("102", True), ("101", False), ("100", True)]
    assert entries[1]["changedAt"] == dt.datetime(2026, 12, 1, 2, tzinfo=dt.timezone.utc)
    assert entries[1]["id"] == "allris_classic:x/bi:101" and entries[1]["paperId"] == "allris_classic:x/bi:1"


def test_since_keeps_what_changed_after_it(con):
    assert {e["agendaItem"] for e in feed_entries(con, ExportQuery(), since=SINCE)} == {"101", "102"}
    assert feed_entries(con, ExportQuery(), since=dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc)) == []


def test_feed_kinds(con):
    def items(kind, value):
        return {e["agendaItem"] for e in feed_entries(con, query_for(kind, value))}

    assert items("topic", "integration") == {"100", "101", "700"}
    assert items("municipality", "beispielheim") == {"700"}
    assert items("committee", "Integrationsrat") == {"100"}  # the committee that decided, not the paper's last one
    assert items("search", "q=Hauptstraße&result=rejected") == {"102"}


def test_atom_document(con):
    entries = feed_entries(con, query_for("topic", "integration"))
    feed = ET.fromstring(atom_feed(entries, title="T", feed_id="urn:x", self_url="http://h/feeds/topic/integration.atom"))
    assert feed.tag == f"{ATOM}feed" and feed.findtext(f"{ATOM}updated") == "2026-12-01T02:00:00Z"
    first = feed.find(f"{ATOM}entry")
    assert first.findtext(f"{ATOM}id") == "urn:ratsinfo:allris_classic:x/bi:101"
    assert first.findtext(f"{ATOM}title") == 'angenommen: =HYPERLINK("x")'
    assert first.find(f"{ATOM}category").get("term") == "geändert"
    summary = first.findtext(f"{ATOM}summary")
    assert "Rat, 01.10.2026 · TOP Ö 7" in summary and "Ja 22, Nein 0, Enthaltungen 11" in summary
    assert first.find(f"{ATOM}link").get("href") == "http://x/bi/vo020.asp?VOLFDNR=1"


def test_write_feeds_to_files(warehouse, tmp_path):
    written = write_feeds(warehouse, tmp_path, searches={"Straßen": "q=Hauptstraße"}, web_base="http://localhost:8080")
    names = sorted(str(p.relative_to(tmp_path)) for p in written)
    assert "topic/integration.atom" in names and "municipality/beispielheim.atom" in names
    assert "committee/bauausschuss.atom" in names and "search/strassen.atom" in names
    assert "committee/integrationsrat.atom" in names and len(names) == len(set(names))
    feed = ET.parse(tmp_path / "committee" / "bauausschuss.atom").getroot()
    assert feed.find(f"{ATOM}entry/{ATOM}link").get("href") == "http://localhost:8080/paper?source=musterstadt&id=2"


# -- the digest -------------------------------------------------------------------

class SmtpSink:
    """aiosmtpd's SMTP protocol on 127.0.0.1 port 0, its loop in a thread; keeps what it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(envelope)
        return "250 OK"

    def __enter__(self):
        from aiosmtpd.smtp import SMTP

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        future = asyncio.run_coroutine_threadsafe(
            self.loop.create_server(lambda: SMTP(self, hostname="sink.local"), "127.0.0.1", 0), self.loop)
        self.server = future.result(timeout=10)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc):
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


class HttpSink:
    """An HTTP server on port 0 that keeps every POSTed body."""

    def __init__(self, status: int = 200):
        self.bodies, self.status = [], status

    def __enter__(self):
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                sink.bodies.append((self.headers.get("Content-Type"), self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(sink.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_digest_by_mail_and_webhook(warehouse):
    with SmtpSink() as smtp, HttpSink() as hook:
        config = DigestConfig.from_env({
            "RATSINFO_DIGEST_SMTP_HOST": "127.0.0.1", "RATSINFO_DIGEST_SMTP_PORT": str(smtp.port),
            "RATSINFO_DIGEST_FROM": "ratsinfo@example.org", "RATSINFO_DIGEST_TO": "redaktion@example.org, a@example.org",
            "RATSINFO_DIGEST_WEBHOOK": hook.url, "RATSINFO_WEB_URL": "http://localhost:8080",
        })
        report = send_digest(warehouse, SINCE, config)
    assert report == {"entries": 2, "email": "sent to 2 recipient(s)", "webhook": "sent (HTTP 200)"}
    (envelope,) = smtp.messages
    assert envelope.rcpt_tos == ["redaktion@example.org", "a@example.org"]
    mail = message_from_bytes(envelope.content, policy=policy.default)
    assert mail["Subject"] == "ratsinfo: 2 neue oder geänderte Beschlüsse seit 15.11.2026 00:00 UTC"
    body = mail.get_content()
    assert 'angenommen: =HYPERLINK("x")' in body and "abgelehnt: Straßenbau in der Hauptstraße" in body
    assert "http://localhost:8080/paper?source=musterstadt&id=2" in body
    ((content_type, raw),) = hook.bodies
    payload = json.loads(raw)
    assert content_type.startswith("application/json")
    assert payload["count"] == 2 and payload["since"] == "2026-11-15T00:00:00Z"
    assert {(e["id"], e["new"]) for e in payload["entries"]} == {("allris_classic:x/bi:101", False),
                                                                ("allris_classic:x/bi:102", True)}


def test_digest_filtered_by_topic(warehouse):
    with HttpSink() as hook:
        report = send_digest(warehouse, SINCE.isoformat(), DigestConfig(webhook_url=hook.url, topics=["integration"]))
    assert report["entries"] == 1
    assert [e["title"] for e in json.loads(hook.bodies[0][1])["entries"]] == ['angenommen: =HYPERLINK("x")']


def test_digest_not_configured_or_nothing_new_sends_nothing(warehouse):
    assert send_digest(warehouse, SINCE, DigestConfig())["skipped"].startswith("no digest configured")
    with HttpSink() as hook:
        report = send_digest(warehouse, C2_TIME.replace(" ", "T").replace("+00", "+00:00").replace("02:00", "03:00"),
                             DigestConfig(webhook_url=hook.url))
    assert report == {"entries": 0, "skipped": "nothing new or changed"} and hook.bodies == []


def test_failed_delivery_is_reported_not_raised(warehouse):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    with HttpSink(status=500) as hook:
        report = send_digest(warehouse, SINCE, DigestConfig(smtp_host="127.0.0.1", smtp_port=closed, mail_to=["x@y"],
                                                            webhook_url=hook.url, timeout=5))
    assert report["email"].startswith("failed:") and report["webhook"].startswith("failed: HTTP Error 500")
    assert send_digest(warehouse, SINCE, DigestConfig(webhook_url="file:///etc/passwd"))["webhook"].startswith(
        "failed: webhook URL must be http(s)")


def test_a_bad_digest_port_in_the_environment_is_reported_not_raised(warehouse, monkeypatch):
    """The nightly run sends the digest after its export: a mistyped port raised there, and the run report was lost."""
    monkeypatch.setenv("RATSINFO_DIGEST_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("RATSINFO_DIGEST_TO", "x@y")
    monkeypatch.setenv("RATSINFO_DIGEST_SMTP_PORT", "smtp")
    assert send_digest(warehouse, SINCE) == {"entries": 0,
                                             "error": "$RATSINFO_DIGEST_SMTP_PORT must be a port number, not 'smtp'"}
