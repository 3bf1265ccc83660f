"""Faults of the documents stage: what a server may send where a paper's PDF belongs.

One local server on 127.0.0.1 answers each document URL with one kind of
fault; a warehouse holds one paper per kind whose main file points there. The
documents stage (``pipelines.warehouse.document_stage``: work list → ``spiders.documents``
in a child process → load) runs once over all of them, and each test checks one
kind: the file row's status, that no text was stored from bytes that are not
the document, and the failure record (``failures.jsonl`` with its outcome, and
``parse_failure`` in the warehouse).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from pipelines.warehouse.document_stage import pending_count, run_documents_stage
from pipelines.warehouse.load import connect, load_crawl
from schemas.staging import StagingArea
from tests.conftest import PROJECT_ROOT
from tests.pipelines.test_documents import SIGNED_PAGE, build_pdf

SOURCE = "faultstadt"
FAST = {
    "DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "4",
    "DOWNLOAD_TIMEOUT": "2", "RETRY_TIMES": "1", "RATSINFO_RETRY_BACKOFF_BASE": "0.05",
    "RATSINFO_MAX_FILE_BYTES": "100000",
}
GOOD_PDF = build_pdf([SIGNED_PAGE])
LOGIN_PAGE = (
    "<!DOCTYPE html><html><head><title>Anmeldung</title></head><body><h1>Bürgerinfo</h1>"
    "<form method='post' action='/bi/login.asp'><label>Benutzername</label><input name='user'>"
    "<label>Kennwort</label><input type='password' name='pw'><button>Anmelden</button></form></body></html>"
).encode()
ERROR_PAGE = (
    "<html><head><title>Ratsinformationssystem</title></head><body>"
    "<p>Das angeforderte Dokument ist nicht vorhanden.</p></body></html>"
).encode()
DENIED_PAGE = b"<html><body><div class='error'>Zugriff verweigert</div></body></html>"


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()
        self.slow_seconds = 4.0

    def handle_error(self, request, client_address):
        pass  # the client gave up on a slow answer: expected here

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class FaultHandler(BaseHTTPRequestHandler):
    server: FaultServer

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass

    def do_GET(self):  # noqa: N802 - stdlib naming
        path = self.path
        with self.server.lock:
            self.server.hits[path] = self.server.hits.get(path, 0) + 1
        name = path.rsplit("/", 1)[-1]
        if path == "/robots.txt":
            return self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if name.startswith("ok"):
            return self.send(200, GOOD_PDF, "application/pdf")
        if name == "login.pdf":
            return self.send(200, LOGIN_PAGE, "application/pdf")
        if name == "error200.pdf":
            return self.send(200, ERROR_PAGE, "text/html; charset=utf-8")
        if name == "denied":
            return self.send(200, DENIED_PAGE, "application/octet-stream")
        if name == "scan.pdf":
            return self.send(200, build_pdf(image_pages=2), "application/pdf")
        if name == "truncated.pdf":
            return self.send(200, GOOD_PDF[: len(GOOD_PDF) // 2], "application/pdf")
        if name == "big.pdf":
            return self.send(200, GOOD_PDF + b"%" + b"x" * 300_000 + b"\n%%EOF\n", "application/pdf")
        if name == "pdf-as-html":
            return self.send(200, GOOD_PDF, "text/html")
        if name == "slow.pdf":
            time.sleep(self.server.slow_seconds)  # longer than DOWNLOAD_TIMEOUT; bounded
            return self.send(200, GOOD_PDF, "application/pdf")
        if name == "offsite-redirect.pdf":
            port = self.server.server_address[1]
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{port}/docs/ok-elsewhere.pdf")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if name.startswith("paced"):
            time.sleep(0.4)
            return self.send(200, GOOD_PDF, "application/pdf")
        return self.send(404, b"<html><body><h1>404 Not Found</h1></body></html>", "text/html")

    def send(self, status: int, body: bytes, content_type: str):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    srv = FaultServer()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


def stage_metadata(data_dir: Path, db: Path, base: str, documents: dict[str, str], crawl_id: str = "meta") -> None:
    """Load a metadata crawl with one paper per document (``kind -> accessUrl``), as the ris spider stages them."""
    staging = StagingArea(data_dir, crawl_id).create()
    staging.update_manifest(crawlId=crawl_id, source=SOURCE, system="allris_classic", baseUrl=f"{base}/bi/",
                            startedAt="2026-11-20T10:00:00+00:00", status="finished")
    with staging.items_path.open("w", encoding="utf-8") as fh:
        for kind, url in documents.items():
            common = {"source": SOURCE, "system": "allris_classic"}
            fh.write(json.dumps({"type": "Paper", "systemId": f"p-{kind}", "name": f"Vorlage {kind}", **common}) + "\n")
            fh.write(json.dumps({"type": "File", "systemId": f"f-{kind}", "parentType": "Paper", "parent": f"p-{kind}",
                                 "role": "mainFile", "fileName": f"{kind}.pdf", "accessUrl": url, **common}) + "\n")
    con = connect(db)
    try:
        load_crawl(staging, con)
    finally:
        con.close()


KINDS = {
    "ok": "/docs/ok.pdf",
    "login": "/docs/login.pdf",
    "error200": "/docs/error200.pdf",
    "denied": "/docs/denied",
    "scan": "/docs/scan.pdf",
    "truncated": "/docs/truncated.pdf",
    "big": "/docs/big.pdf",
    "missing": "/docs/missing.pdf",
    "slow": "/docs/slow.pdf",
    "pdf-as-html": "/docs/pdf-as-html",
    "robots": "/private/doc.pdf",
    "offsite-redirect": "/docs/offsite-redirect.pdf",
}


@pytest.fixture(scope="module")
def stage(server, tmp_path_factory):
    """Run the documents stage once over one paper per fault kind; return rows, failures and the report."""
    tmp = tmp_path_factory.mktemp("documents-faults")
    data_dir, db = tmp / "data", tmp / "warehouse.duckdb"
    port = server.server_address[1]
    documents = {kind: server.base + path for kind, path in KINDS.items()}
    documents["offsite"] = f"http://localhost:{port}/docs/ok-offsite.pdf"
    documents["file-scheme"] = "file:///etc/passwd"
    stage_metadata(data_dir, db, server.base, documents)
    report = run_documents_stage(SOURCE, data_dir=data_dir, db_path=db, settings=FAST)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = {r[0][2:]: dict(zip(("systemId", "text", "textStatus", "sha256", "size", "textAttempts"), r))
                for r in con.execute('SELECT "systemId", "text", "textStatus", "sha256", "size", "textAttempts" FROM file')
                .fetchall()}
        loaded_failures = con.execute('SELECT "url", "kind", "status", "error" FROM parse_failure').fetchall()
        signatories = dict(con.execute('SELECT "systemId", "signatories" FROM paper').fetchall())
    finally:
        con.close()
    staged_failures = list(StagingArea(data_dir, report["crawlId"]).read_failures())
    return {"report": report, "rows": rows, "failures": staged_failures, "loaded_failures": loaded_failures,
            "signatories": signatories, "documents": documents, "hits": dict(server.hits)}


def failure_for(stage, kind: str) -> dict:
    url = stage["documents"][kind]
    found = [f for f in stage["failures"] if f["url"] == url]
    assert len(found) == 1, (kind, stage["failures"])
    assert any(row[0] == url for row in stage["loaded_failures"]), "failure not loaded into parse_failure"
    return found[0]


def assert_recorded(stage, kind: str, status: str, outcome: str = "failed") -> dict:
    row = stage["rows"][kind]
    assert row["textStatus"] == status, row
    assert row["text"] is None, "bytes that are not the document were stored as its text"
    assert row["textAttempts"] == 1
    failure = failure_for(stage, kind)
    assert failure["outcome"] == outcome
    assert failure["kind"] == "document"
    return failure


@pytest.mark.slow
@pytest.mark.fault(kind="document: a login page served with 200 and application/pdf", outcome="recorded")
def test_login_page_instead_of_pdf(stage):
    failure = assert_recorded(stage, "login", "login_page")
    assert "login" in failure["error"]
    assert stage["rows"]["login"]["sha256"], "the page itself stays in the raw store"


@pytest.mark.slow
@pytest.mark.fault(kind="document: an HTML error page with status 200", outcome="recorded")
def test_html_error_page_with_200(stage):
    assert_recorded(stage, "error200", "html_error_page")


@pytest.mark.slow
@pytest.mark.fault(kind="document: 'Zugriff verweigert' page as octet-stream", outcome="recorded")
def test_access_denied_page_without_pdf_hint(stage):
    # no .pdf in the URL, a binary content type: only the bytes say it is an access wall
    assert stage["rows"]["denied"]["textStatus"] in ("login_page", "html_error_page")
    assert stage["rows"]["denied"]["text"] is None
    assert failure_for(stage, "denied")["outcome"] == "failed"


@pytest.mark.slow
@pytest.mark.fault(kind="document: a scanned PDF without text layer", outcome="recorded")
def test_pdf_without_text_layer(stage):
    row = stage["rows"]["scan"]
    assert row["textStatus"] == "no_text_layer"
    assert row["sha256"] and row["size"] > 0
    # a scan is a real document: not retried, not pending, no failure record
    assert not [f for f in stage["failures"] if f["url"] == stage["documents"]["scan"]]


@pytest.mark.slow
@pytest.mark.fault(kind="document: a PDF cut short at the source (no %%EOF)", outcome="recorded")
def test_truncated_pdf(stage):
    assert_recorded(stage, "truncated", "truncated")


@pytest.mark.slow
@pytest.mark.fault(kind="document: larger than RATSINFO_MAX_FILE_BYTES", outcome="recorded")
def test_oversized_document(stage):
    failure = assert_recorded(stage, "big", "too_large")
    assert "100000" in failure["error"]
    assert stage["rows"]["big"]["sha256"] is None  # the download was cancelled, nothing stored


@pytest.mark.slow
@pytest.mark.fault(kind="document: 404", outcome="recorded")
def test_missing_document(stage):
    failure = assert_recorded(stage, "missing", "fetch_failed")
    assert failure["status"] == 404


@pytest.mark.slow
@pytest.mark.fault(kind="document: answer slower than DOWNLOAD_TIMEOUT", outcome="recorded")
def test_slow_document_times_out(stage):
    failure = assert_recorded(stage, "slow", "fetch_failed")
    assert "Timeout" in failure["error"] or "timeout" in failure["error"].lower()


@pytest.mark.slow
@pytest.mark.fault(kind="document: a real PDF served as text/html", outcome="ok")
def test_pdf_with_a_lying_content_type(stage):
    row = stage["rows"]["pdf-as-html"]
    assert row["textStatus"] == "ok"
    assert "gez. Dr. Jürgen Weiß" in row["text"]


@pytest.mark.slow
@pytest.mark.fault(kind="document: robots.txt disallows the document", outcome="refused")
def test_document_disallowed_by_robots(stage):
    assert_recorded(stage, "robots", "refused", outcome="refused")
    assert stage["hits"].get(KINDS["robots"], 0) == 0


@pytest.mark.slow
@pytest.mark.fault(kind="document: accessUrl on another host", outcome="refused")
def test_document_on_another_host(stage):
    failure = assert_recorded(stage, "offsite", "refused", outcome="refused")
    assert "localhost" in failure["error"]
    assert stage["hits"].get("/docs/ok-offsite.pdf", 0) == 0


@pytest.mark.slow
@pytest.mark.fault(kind="document: file:// accessUrl", outcome="refused")
def test_file_scheme_document(stage):
    failure = assert_recorded(stage, "file-scheme", "refused", outcome="refused")
    assert "scheme" in failure["error"]


@pytest.mark.slow
@pytest.mark.fault(kind="document: redirect to another host", outcome="refused")
def test_redirect_off_site_is_not_used(stage):
    # The URL policy refuses the redirect hop itself; the off-site bytes are never fetched or used.
    failure = assert_recorded(stage, "offsite-redirect", "refused", outcome="refused")
    assert "redirect (302)" in failure["error"] and "localhost" in failure["error"]
    assert stage["rows"]["offsite-redirect"]["sha256"] is None


@pytest.mark.slow
@pytest.mark.fault(kind="document: good PDF among faulty ones", outcome="ok")
def test_good_document_loads_with_signatories(stage):
    row = stage["rows"]["ok"]
    assert row["textStatus"] == "ok" and row["sha256"]
    assert stage["signatories"]["p-ok"][0]["name"]
    report = stage["report"]
    assert report["urls"] == len(stage["documents"])
    # all faults except the scan and the lying content type are failures or refusals, each recorded once
    assert report["failed"] + report["refused"] == len(stage["failures"]) == len(stage["documents"]) - 3


@pytest.mark.slow
@pytest.mark.fault(kind="document: failing on every run, retried a bounded number of times", outcome="recorded")
def test_failed_document_is_retried_a_bounded_number_of_times(server, tmp_path):
    data_dir, db = tmp_path / "data", tmp_path / "warehouse.duckdb"
    stage_metadata(data_dir, db, server.base, {"missing": server.base + "/docs/gone-for-good.pdf",
                                                "ok": server.base + "/docs/ok-retry.pdf"})
    reports = [run_documents_stage(SOURCE, data_dir=data_dir, db_path=db, settings={**FAST, "RETRY_TIMES": "0"})
               for _ in range(4)]
    assert [r["urls"] for r in reports] == [2, 1, 1, 0]
    assert [r["pendingDocuments"] for r in reports] == [1, 1, 0, 0]
    assert server.hits["/docs/gone-for-good.pdf"] == 3
    assert server.hits["/docs/ok-retry.pdf"] == 1
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute('SELECT "textStatus", "textAttempts" FROM file WHERE "systemId" = ?', ["f-missing"]
                           ).fetchone() == ("fetch_failed", 3)
        assert con.execute('SELECT count(*) FROM parse_failure WHERE "url" LIKE ?', ["%gone-for-good%"]
                           ).fetchone()[0] == 3
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.fault(kind="documents stage killed (-9) mid-way, then run again", outcome="ok")
def test_interrupted_documents_stage_resumes(server, tmp_path):
    data_dir, db = tmp_path / "data", tmp_path / "warehouse.duckdb"
    n = 8
    stage_metadata(data_dir, db, server.base, {f"d{i}": f"{server.base}/docs/paced-{i}.pdf" for i in range(n)})
    command = [sys.executable, "-m", "flows.cli", "documents", "--source", SOURCE, "--data-dir", str(data_dir),
               "--db", str(db), *sum((["--set", f"{k}={v}"] for k, v in FAST.items()), []),
               "--set", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:  # kill once three documents have been served
            staged = list((data_dir / "staging").glob("*-documents/items.jsonl"))
            if staged and sum(1 for _ in staged[0].open()) >= 3:
                break
            assert process.poll() is None, "the documents stage ended before it could be interrupted"
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    before = {p: c for p, c in server.hits.items() if p.startswith("/docs/paced-")}
    assert 3 <= len(before) < n

    report = run_documents_stage(SOURCE, data_dir=data_dir, db_path=db, settings=FAST)
    assert report.get("resumedCrawls"), "the interrupted crawl's downloads were not loaded"
    con = duckdb.connect(str(db), read_only=True)
    try:
        statuses = con.execute('SELECT "textStatus", count(*) FROM file GROUP BY 1').fetchall()
        assert statuses == [("ok", n)]
        assert pending_count(con, SOURCE) == 0
    finally:
        con.close()
    hits = {p: c for p, c in server.hits.items() if p.startswith("/docs/paced-")}
    assert len(hits) == n
    # what the killed run had staged is not fetched again; at most the download in flight is
    assert sum(hits.values()) <= n + 1
    assert report["urls"] <= n - 2


@pytest.mark.slow
@pytest.mark.fault(kind="documents stage over its time budget", outcome="recorded")
def test_documents_over_the_budget_stay_pending(server, tmp_path):
    data_dir, db = tmp_path / "data", tmp_path / "warehouse.duckdb"
    n = 12
    stage_metadata(data_dir, db, server.base, {f"b{i}": f"{server.base}/docs/paced-budget-{i}.pdf" for i in range(n)})
    settings = {**FAST, "CONCURRENT_REQUESTS_PER_DOMAIN": "1", "RATSINFO_DOCUMENTS_BUDGET_S": "1"}
    report = run_documents_stage(SOURCE, data_dir=data_dir, db_path=db, settings=settings)
    assert report["status"] == "stopped: closespider_timeout"
    done = report["statuses"].get("ok", 0)
    assert 0 < done < n
    assert report["pendingDocuments"] == n - done  # the rest waits for the next run, none lost
    report = run_documents_stage(SOURCE, data_dir=data_dir, db_path=db, settings={**FAST, "CONCURRENT_REQUESTS_PER_DOMAIN": "4"})
    assert report["pendingDocuments"] == 0 and report["urls"] == n - done


@pytest.mark.fault(kind="document: accessUrl on an extra host given as --set RATSINFO_EXTRA_HOSTS", outcome="ok")
def test_document_on_an_extra_host_of_the_setting_is_fetched(server, tmp_path):
    """``ratsinfo documents --set RATSINFO_EXTRA_HOSTS=…`` (an ad-hoc source's document server): the page crawl
    honoured the setting, the documents crawl refused every file there."""
    data_dir, db = tmp_path / "data", tmp_path / "warehouse.duckdb"
    port = server.server_address[1]
    stage_metadata(data_dir, db, server.base, {"extra": f"http://localhost:{port}/docs/ok-extra-host.pdf"})
    report = run_documents_stage(SOURCE, data_dir=data_dir, db_path=db,
                                 settings={**FAST, "RATSINFO_EXTRA_HOSTS": f"localhost:{port}"})
    assert report["statuses"] == {"ok": 1} and report["refused"] == 0
    assert server.hits.get("/docs/ok-extra-host.pdf") == 1
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute('SELECT "textStatus" FROM file WHERE "systemId" = ?', ["f-extra"]).fetchone()[0] == "ok"
    finally:
        con.close()
