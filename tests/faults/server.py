"""A local HTTP server that serves real-structured council pages and injects faults per path.

The pages are the demo site's (``data/demo/site``: ALLRIS classic and
SessionNet, generated from real page structure), mapped from URLs to files by
``flows.demo_site.resolve``, the project's one URL mapping. A test hands the
server a table ``{path+query prefix: Fault}``; a request whose path+query
starts with a prefix gets that fault (the longest matching prefix wins),
``times`` times or for ever. Anything else is served as the demo server would.

What a :class:`Fault` can do (combine the fields):

* answer with another ``status`` (5xx bursts, 429 with ``Retry-After``, 404),
  ``headers`` (``Location`` for redirects, ``Content-Encoding``), ``body``
  (bytes, or a function of the real page's bytes: cut it, rewrite its links,
  swap in a login page) and ``content_type`` (a wrong charset or type);
* ``delay`` the answer (timeouts), bounded by :data:`MAX_DELAY`;
* ``cut``: ``"reset"`` sends the headers and half the body, then resets the
  connection; ``"short"`` announces more bytes (Content-Length) than it sends
  and closes; ``"close"`` closes the connection before answering at all.

``{base}`` in a ``Location`` or in a rewritten body is replaced with the
server's own ``http://127.0.0.1:PORT``. The server binds port 0, runs its
handlers in daemon threads (at most :data:`MAX_HANDLERS` at once) and logs
every request (``server.log``). Run ``python -m tests.faults.server`` to try
it by hand.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from flows.demo_site import DEFAULT_ROOT, NOT_FOUND, RequestLog, content_type, resolve

MAX_DELAY = 5.0  # seconds: a slow answer never holds a test longer than this
MAX_HANDLERS = 16  # concurrent request handlers

Body = bytes | str | Callable[[bytes], bytes] | None


@dataclass
class Fault:
    """What the server does instead of (or to) the normal answer for matching requests."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: Body = None
    content_type: str | None = None
    delay: float = 0.0
    cut: str | None = None  # "reset" | "short" | "close"
    times: int | None = None  # how many matching requests get the fault (None: all)

    def describe(self) -> str:
        parts = [f"{k}={v!r}" for k, v in (("status", self.status), ("cut", self.cut), ("delay", self.delay),
                                            ("times", self.times)) if v]
        return ", ".join(parts) or "body/header change"


def cut_body(fraction: float) -> Callable[[bytes], bytes]:
    """Return a body transform that keeps the first ``fraction`` of the page (Content-Length stays right)."""
    return lambda body: body[: int(len(body) * fraction)]


def replace(old: str | bytes, new: str | bytes, count: int = -1) -> Callable[[bytes], bytes]:
    """Return a body transform that replaces ``old`` with ``new`` in the page's bytes."""
    o = old.encode("latin-1") if isinstance(old, str) else old
    n = new.encode("latin-1") if isinstance(new, str) else new
    return lambda body: body.replace(o, n, count)


def redirect(location: str, status: int = 302, times: int | None = None) -> Fault:
    """Return a fault that redirects to ``location`` (``{base}`` is the server's own URL)."""
    return Fault(status=status, headers={"Location": location}, body=b"", times=times)


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, root: Path, faults: dict[str, Fault]):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root
        self.faults = dict(faults)
        self.log = RequestLog()
        self.lock = threading.Lock()
        self.slots = threading.BoundedSemaphore(MAX_HANDLERS)
        self.applied: dict[str, int] = {}

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def fault_for(self, target: str) -> Fault | None:
        """Return the fault for a request (and count it), or None when it is answered normally."""
        with self.lock:
            matches = [p for p in self.faults if target.startswith(p)]
            if not matches:
                return None
            prefix = max(matches, key=len)
            fault = self.faults[prefix]
            used = self.applied.get(prefix, 0)
            if fault.times is not None and used >= fault.times:
                return None
            self.applied[prefix] = used + 1
            return fault

    def handle_error(self, request, client_address) -> None:
        pass  # a client that gave up (timeout) or a reset the fault made: not the test's business

    def process_request(self, request, client_address):
        if not self.slots.acquire(timeout=MAX_DELAY * 2):
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


class _Handler(BaseHTTPRequestHandler):
    server: FaultServer
    server_version = "Microsoft-IIS/10.0"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = MAX_DELAY * 2

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        self._answer()

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._answer()

    def _answer(self) -> None:
        target = self.path
        self.server.log.append(self.command, target, dict(self.headers.items()))
        fault = self.server.fault_for(target)
        status, ctype, body, headers = self._normal(target)
        if fault is None:
            self._send(status, body, ctype, headers)
            return
        if fault.delay:
            time.sleep(min(fault.delay, MAX_DELAY))
        if fault.cut == "close":
            self._reset()
            return
        base = self.server.base_url
        if fault.status is not None:
            status = fault.status
        if fault.body is not None:
            if callable(fault.body):
                body = fault.body(body)
            else:
                body = fault.body.encode("utf-8") if isinstance(fault.body, str) else fault.body
            body = body.replace(b"{base}", base.encode("ascii"))
        if fault.content_type is not None:
            ctype = fault.content_type
        headers = {**headers, **{k: v.replace("{base}", base) for k, v in fault.headers.items()}}
        self._send(status, body, ctype, headers, cut=fault.cut)

    def _normal(self, target: str) -> tuple[int, str, bytes, dict[str, str]]:
        parts = urlsplit(target)
        params: dict[str, str] = {}
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            params.setdefault(key, value)
        found = resolve(self.server.root, parts.path, params, dict(self.headers.items()))
        if found is None:
            return 404, "text/html; charset=utf-8", NOT_FOUND.encode("utf-8"), {}
        kind, path = found
        if kind == "redirect":
            location = parts.path.rsplit("/", 1)[0] + "/" + path.read_text(encoding="utf-8").strip()
            return 302, "text/html; charset=utf-8", b"", {"Location": location}
        body = path.read_bytes()
        return 200, content_type(path, body), body, {}

    def _send(self, status: int, body: bytes, ctype: str | None, headers: dict[str, str],
              cut: str | None = None) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        length = len(body) + (1000 if cut == "short" else 0)
        self.send_header("Content-Length", str(length))
        for key, value in headers.items():
            self.send_header(key, value)
        if cut == "short":
            self.send_header("Connection", "close")
        self.end_headers()
        if cut == "reset":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self._reset()
            return
        if self.command != "HEAD" and body:
            self.wfile.write(body)
        self.wfile.flush()
        if cut == "short":
            self.close_connection = True

    def _reset(self) -> None:
        """Close the connection with a TCP reset (SO_LINGER 0), not an orderly close."""
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.close_connection = True
        try:
            self.connection.close()
        except OSError:
            pass


@dataclass
class RunningServer:
    server: FaultServer

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def log(self) -> RequestLog:
        return self.server.log

    def url(self, path: str) -> str:
        return self.server.url(path)

    def requested(self, prefix: str) -> int:
        """Return how many requests' path+query started with ``prefix``."""
        return self.server.log.count(prefix)


@contextmanager
def serve_faults(faults: dict[str, Fault] | None = None, root: Path = DEFAULT_ROOT) -> Iterator[RunningServer]:
    """Serve the demo pages with ``faults`` on 127.0.0.1 (port 0) in a background thread."""
    server = FaultServer(Path(root), faults or {})
    thread = threading.Thread(target=server.serve_forever, name="fault-server", daemon=True)
    thread.start()
    try:
        yield RunningServer(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def silent_port() -> Iterator[tuple[str, int]]:
    """Yield (host, port) of a socket that accepts connections and never answers (timeouts)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    try:
        yield sock.getsockname()[:2]
    finally:
        sock.close()


def closed_port() -> int:
    """Return a port on 127.0.0.1 that nothing listens on (connections are refused)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


if __name__ == "__main__":  # pragma: no cover - manual use
    with serve_faults({"/musterstadt/bi/vo020.asp?VOLFDNR=5001": Fault(status=503, times=2)}) as running:
        print(f"serving {running.base_url}/musterstadt/bi/ (Ctrl-C to stop)")
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass


# --------------------------------------------------------------------------
# Crawling the server
# --------------------------------------------------------------------------

#: Scrapy settings that keep a fault crawl fast: no polite waits, short timeouts, few retries.
FAST_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "4",
    "RETRY_TIMES": "2",
    "RATSINFO_RETRY_BACKOFF_BASE": "0.01",
    "RATSINFO_RETRY_BACKOFF_MAX": "0.2",
    "DOWNLOAD_TIMEOUT": "1.5",
    "RATSINFO_DOWNLOAD_FILES": "none",
    "LOG_LEVEL": "INFO",
}


@dataclass
class CrawlResult:
    """What one crawl left behind: its exit code, manifest, items, failures, pages and timing."""

    returncode: int
    stderr: str
    seconds: float
    manifest: dict
    items: list[dict]
    failures: list[dict]
    pages: list[dict]
    data_dir: Path | None = None  # where the crawl staged (and its raw store is)
    base_url: str = ""  # the server's http://127.0.0.1:PORT, set by the test
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)  # (method, target, headers)

    def of_type(self, type_: str) -> dict[str, dict]:
        """Return the items of one type by systemId."""
        return {i.get("systemId"): i for i in self.items if i.get("type") == type_}

    def failures_for(self, url_part: str) -> list[dict]:
        """Return the failure records whose URL contains ``url_part``."""
        return [f for f in self.failures if url_part in (f.get("url") or "")]


def run_crawl(*, base_url: str, data_dir: Path, system: str = "allris_classic", months: str = "2026-09..2026-11",
              source: str = "faults", crawl_id: str = "faults", settings: dict[str, str] | None = None,
              timeout: float = 90) -> CrawlResult:
    """Run ``python -m spiders.crawl`` against a fault server and return what it staged."""
    import subprocess
    import sys

    from schemas.staging import StagingArea
    from spiders.crawl import crawl_command

    project_root = Path(__file__).resolve().parents[2]
    command = crawl_command(source=source, base_url=base_url, system=system, months=months, data_dir=data_dir,
                            crawl_id=crawl_id, settings={**FAST_SETTINGS, **(settings or {})})
    command[0] = sys.executable
    started = time.monotonic()
    run = subprocess.run(command, cwd=project_root, capture_output=True, text=True, timeout=timeout)
    seconds = time.monotonic() - started
    staging = StagingArea(data_dir, crawl_id)
    return CrawlResult(
        returncode=run.returncode,
        stderr=run.stderr,
        seconds=seconds,
        manifest=staging.read_manifest(),
        items=list(staging.read_items()),
        failures=list(staging.read_failures()),
        pages=list(staging.read_pages()),
        data_dir=data_dir,
    )
