"""Serve the demo council information system (data/demo/site) on 127.0.0.1.

The demo site is static: ``tests/sites/demo.py`` writes every page as a file,
and this server maps a request to a file. It backs ``make run`` and every test
that needs a local RIS (one HTTP fixture server for the whole project).

URL -> file mapping (deterministic, documented in data/demo/expected.json too)
------------------------------------------------------------------------------
1. The URL path is taken below ``root`` (``/musterstadt/bi/vo020.asp`` ->
   ``root/musterstadt/bi/vo020.asp``). A path that names a file is served as is
   (``/robots.txt``, ``/index.html``, ALLRIS ``___tmp/…/Anlagen/…pdf``).
2. A path that names a folder holds one file per page variant, named after the
   page's *identifying* query parameters, sorted, ``k=v`` joined by ``&``:
   ``vo020.asp?VOLFDNR=5001`` -> ``vo020.asp/VOLFDNR=5001.html``,
   ``getfile.asp?id=150001&type=do`` -> ``getfile.asp/id=150001&type=do.pdf``.
   The request matches the file whose parameters all appear in the request with
   equal values (names case-insensitive, numbers compared as numbers, so
   ``MM=09`` equals ``MM=9``); the most specific file wins. Other parameters are
   ignored, as the real servers ignore ``toggleMenu``, ``altoption``, ``options``,
   ``BES`` and the like. Form fields of a POST count as query parameters.
3. ``index.html`` answers a request that carries none of the parameter names
   the folder's files use (``au010.asp?T1=…`` -> ``au010.asp/index.html``);
   ``index.redirect`` holds a URL the server redirects to (302) instead: the
   calendars without parameters show the current month of the demo data.
4. A page folder may hold variants for requests that carry a header, in a
   subfolder named ``@<Header-Name>=<value>``: a request with that header and
   value (name case-insensitive) is looked up there first, by rules 2 and 3,
   then in the folder itself. ALLRIS 4 answers its calendar's Wicket Ajax call
   (``Wicket-Ajax: true``) with an ``<ajax-response>`` and the same URL without
   the header with the page: ``si010/@Wicket-Ajax=true/MM=10&YY=2026.xml``.
5. Anything else is 404 with an HTML body.

Content-Type: ``application/pdf`` for PDFs; HTML as ``text/html`` and XML as
``text/xml`` with the charset the page declares (ISO-8859-1 for ALLRIS
classic, UTF-8 for ALLRIS 4 and SessionNet).

Behaviour of the real systems the tests rely on
-----------------------------------------------
* SessionNet answers ``si0057.asp`` (``.php``) only with the anonymous session
  cookie that the calendar (``si0040.asp``/``.php``) sets (``ASPSESSIONID…`` or
  ``PHPSESSID``); without it the page is an HTML error page (status 200, like
  real installs). Switch off with ``require_session_cookie=False``.
* The request log keeps each request's headers (``RequestLog.with_headers()``),
  so a test can check what a crawler sent (the Ajax headers of ALLRIS 4).
* Fault injection: ``fail_first={"/musterstadt/bi/vo020.asp": 2}`` answers the
  first two requests whose path+query starts with the prefix with 503 and
  ``Retry-After: 1``.

Run ``python -m flows.demo_site --port 8765`` to serve until Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import signal
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ROOT = PROJECT_ROOT / "data" / "demo" / "site"
DEFAULT_EXPECTED = PROJECT_ROOT / "data" / "demo" / "expected.json"

SESSION_COOKIE = "ASPSESSIONIDQCRTBDSA"
# The session cookie by program extension: IIS names it ASPSESSIONID…, PHP installs PHPSESSID.
SESSION_COOKIES = {".asp": SESSION_COOKIE, ".php": "PHPSESSID"}
# Pages that answer only within the anonymous session, and pages that open it.
SESSION_PAGES = frozenset({"si0057.asp", "si0057.php"})
SESSION_OPENERS = frozenset({"si0040.asp", "si0040.php"})

_CHARSET = re.compile(rb"""(?:encoding|charset)=["']?([\w.-]+)""", re.I)


@dataclass(frozen=True)
class DemoSource:
    """One demo municipality, as the lead turns it into a configured source."""

    slug: str
    name: str
    system: str  # allris_classic | sessionnet
    basePath: str  # "/musterstadt/bi/"
    ags: str
    startUrls: tuple[str, ...] = ()

    def base_url(self, server_url: str) -> str:
        """Return the municipality's base URL on a running server."""
        return server_url.rstrip("/") + self.basePath


def demo_sources(expected: Path = DEFAULT_EXPECTED) -> tuple[DemoSource, ...]:
    """Return the demo municipalities listed in expected.json (empty when it is missing)."""
    if not expected.is_file():
        return ()
    data = json.loads(expected.read_text(encoding="utf-8"))
    return tuple(
        DemoSource(slug=m["slug"], name=m["name"], system=m["system"], basePath=m["basePath"], ags=m["ags"],
                   startUrls=tuple(m.get("startUrls", ())))
        for m in data["municipalities"]
    )


DEMO_SOURCES: tuple[DemoSource, ...] = demo_sources()


# --------------------------------------------------------------------------
# URL -> file
# --------------------------------------------------------------------------


def _file_params(name: str) -> dict[str, str] | None:
    """Return the identifying parameters a page file's name encodes ({} for index, None for other files)."""
    stem = name.rsplit(".", 1)[0]
    if stem == "index":
        return {}
    parts = [part.split("=", 1) for part in stem.split("&")]
    if not all(len(p) == 2 for p in parts):
        return None
    return {unquote(k).lower(): unquote(v) for k, v in parts}


def _same_value(a: str, b: str) -> bool:
    if a.isdigit() and b.isdigit():
        return int(a) == int(b)
    return a == b


def resolve(root: Path, path: str, params: dict[str, str],
            headers: Mapping[str, str] | None = None) -> tuple[str, Path] | None:
    """Return ("file", path) or ("redirect", path of index.redirect) for a request, or None.

    ``params`` are the request's query (and form) parameters; names are
    compared case-insensitively; ``headers`` select ``@Name=value`` variant
    folders. See the module docstring for the rules.
    """
    rel = unquote(path).lstrip("/")
    target = (root / rel).resolve() if rel else root.resolve()
    root_resolved = root.resolve()
    if target != root_resolved and root_resolved not in target.parents:
        return None
    if target.is_dir() and not rel:
        target = target / "index.html"
    if target.is_file():
        return ("file", target)
    if not target.is_dir():
        return None
    sent = {k.lower(): v for k, v in (headers or {}).items()}
    for variant in sorted(target.glob("@*=*")):
        name, _, value = variant.name[1:].partition("=")
        if variant.is_dir() and sent.get(name.lower()) == value:
            found = _resolve_in_folder(variant, params)
            if found is not None:
                return found
    return _resolve_in_folder(target, params)


def _resolve_in_folder(target: Path, params: dict[str, str]) -> tuple[str, Path] | None:
    """Return the page file (or index.redirect) of a page folder for the request's parameters (rules 2, 3)."""
    wanted = {k.lower(): v for k, v in params.items()}
    best: tuple[int, str, Path] | None = None
    names_in_use: set[str] = set()
    index: Path | None = None
    redirect: Path | None = None
    for child in target.iterdir():
        if child.name == "index.redirect":
            redirect = child
            continue
        if not child.is_file() or child.name.startswith("."):
            continue
        file_params = _file_params(child.name)
        if file_params is None:
            continue
        if not file_params:
            index = child
            continue
        names_in_use.update(file_params)
        if all(k in wanted and _same_value(wanted[k], v) for k, v in file_params.items()):
            rank = (len(file_params), child.name, child)
            if best is None or (rank[0], rank[1]) > (best[0], best[1]):
                best = rank
    if best is not None:
        return ("file", best[2])
    if not names_in_use.intersection(wanted):
        if index is not None:
            return ("file", index)
        if redirect is not None:
            return ("redirect", redirect)
    return None


def content_type(path: Path, body: bytes) -> str:
    """Return the Content-Type for a served file, with the charset the page declares."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return "application/pdf"
    if suffix == ".txt":
        return "text/plain; charset=utf-8"
    if suffix in (".html", ".htm", ".xml"):
        match = _CHARSET.search(body[:1024])
        charset = match.group(1).decode("ascii").lower() if match else "utf-8"
        return f"text/{'xml' if suffix == '.xml' else 'html'}; charset={charset}"
    return "application/octet-stream"


# --------------------------------------------------------------------------
# Request log
# --------------------------------------------------------------------------


class RequestLog:
    """Thread-safe list of (method, path+query) the server answered, in arrival order, and their headers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[tuple[str, str]] = []
        self._headers: list[dict[str, str]] = []

    def append(self, method: str, target: str, headers: Mapping[str, str] | None = None) -> None:
        with self._lock:
            self._entries.append((method, target))
            self._headers.append(dict(headers or {}))

    def entries(self) -> list[tuple[str, str]]:
        """Return a copy of all entries."""
        with self._lock:
            return list(self._entries)

    def with_headers(self) -> list[tuple[str, str, dict[str, str]]]:
        """Return all entries as (method, path+query, request headers)."""
        with self._lock:
            return [(m, t, dict(h)) for (m, t), h in zip(self._entries, self._headers)]

    def count(self, prefix: str = "", method: str | None = None) -> int:
        """Return how many requests' path+query start with ``prefix`` (and used ``method``)."""
        return sum(1 for m, t in self.entries() if t.startswith(prefix) and (method is None or m == method))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._headers.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.entries())


# --------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------

NOT_FOUND = ("<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\"><title>404 - Nicht gefunden</title>"
             "</head><body><h1>Seite nicht gefunden</h1><p>Die angeforderte Seite existiert nicht.</p></body></html>\n")
UNAVAILABLE = ("<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\"><title>503 - Service Unavailable"
               "</title></head><body><h1>Der Dienst ist vor&uuml;bergehend nicht verf&uuml;gbar.</h1></body></html>\n")
SESSION_ERROR = (
    "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\"><meta name=\"author\" content=\"Somacos GmbH "
    "& Co. KG,https://www.somacos.de, SessionNet Version 5.5.4 KP4 bi (Layout 6)\"><meta name=\"sessionnet\" "
    "content=\"V:050504\"/><title>SessionNet | Fehler</title></head><body id=\"smc_body\" class=\"smc-body\">"
    "<div id=\"wrapper\" class=\"smclayout smc_page_error_layout\"><div id=\"page-content\" role=\"main\">"
    "<h1 class=\"smc_h1\">Fehler</h1><div class=\"alert alert-danger smc-error\">Ihre Sitzung ist abgelaufen oder "
    "der Aufruf ist ung&uuml;ltig. Bitte rufen Sie die Seite erneut &uuml;ber den <a href=\"si0040.asp\">Kalender"
    "</a> auf.</div></div></div></body></html>\n")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], root: Path, fail_first: dict[str, int] | None,
                 require_session_cookie: bool) -> None:
        super().__init__(address, _Handler)
        self.root = root
        self.log = RequestLog()
        self.lock = threading.Lock()
        self.fail_budget = dict(fail_first or {})
        self.require_session_cookie = require_session_cookie
        self.sessions: set[str] = set()

    def take_failure(self, target: str) -> bool:
        """Return True (and spend one) when a fail_first prefix still has failures for ``target``."""
        with self.lock:
            for prefix, left in self.fail_budget.items():
                if left > 0 and target.startswith(prefix):
                    self.fail_budget[prefix] = left - 1
                    return True
        return False

    def open_session(self) -> str:
        token = secrets.token_hex(12).upper()
        with self.lock:
            self.sessions.add(token)
        return token

    def has_session(self, token: str | None) -> bool:
        with self.lock:
            return token is not None and token in self.sessions


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "Microsoft-IIS/10.0"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    # Headers and body leave in one write: written separately on a kept-open
    # connection, Nagle's algorithm and delayed ACKs stall every answer ~40 ms.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass  # keep test output clean; the RequestLog records what matters

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        form: list[tuple[str, str]] = []
        if "application/x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
            form = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
        self._answer(send_body=True, form=form)

    def _cookie(self, name: str) -> str | None:
        for part in (self.headers.get("Cookie") or "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
        return None

    def _answer(self, send_body: bool, form: list[tuple[str, str]] | None = None) -> None:
        target = self.path
        self.server.log.append(self.command, target, dict(self.headers.items()))
        if self.server.take_failure(target):
            self._send(503, UNAVAILABLE.encode("utf-8"), "text/html; charset=utf-8", send_body,
                       extra={"Retry-After": "1"})
            return
        parts = urlsplit(target)
        params: dict[str, str] = {}
        for key, value in parse_qsl(parts.query, keep_blank_values=True) + (form or []):
            params.setdefault(key, value)
        found = resolve(self.server.root, parts.path, params, dict(self.headers.items()))
        if found is None:
            self._send(404, NOT_FOUND.encode("utf-8"), "text/html; charset=utf-8", send_body)
            return
        kind, path = found
        if kind == "redirect":
            location = parts.path.rsplit("/", 1)[0] + "/" + path.read_text(encoding="utf-8").strip()
            self._send(302, b"", "text/html; charset=utf-8", send_body, extra={"Location": location})
            return
        page = Path(parts.path).name
        extra: dict[str, str] = {}
        cookie_name = SESSION_COOKIES.get(Path(page).suffix, SESSION_COOKIE)
        cookie = self._cookie(cookie_name)
        if page in SESSION_OPENERS and not self.server.has_session(cookie):
            extra["Set-Cookie"] = f"{cookie_name}={self.server.open_session()}; path=/"
        if (page in SESSION_PAGES and self.server.require_session_cookie
                and not self.server.has_session(cookie)):
            error = SESSION_ERROR.replace("si0040.asp", "si0040" + Path(page).suffix)
            self._send(200, error.encode("utf-8"), "text/html; charset=utf-8", send_body)
            return
        body = path.read_bytes()
        self._send(200, body, content_type(path, body), send_body, extra=extra)

    def _send(self, status: int, body: bytes, ctype: str, send_body: bool,
              extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)


@dataclass
class DemoServer:
    """A running demo server: where it listens and what it was asked."""

    base_url: str  # "http://127.0.0.1:PORT"
    requests: RequestLog
    root: Path

    def url(self, path: str) -> str:
        """Return the absolute URL of a path on this server ("/musterstadt/bi/vo040.asp")."""
        return self.base_url + ("" if path.startswith("/") else "/") + path

    def sources(self) -> list[tuple[DemoSource, str]]:
        """Return each demo municipality with its base URL on this server."""
        return [(s, s.base_url(self.base_url)) for s in DEMO_SOURCES]


@contextmanager
def serve_demo(root: Path = DEFAULT_ROOT, host: str = "127.0.0.1", port: int = 0, *,
               fail_first: dict[str, int] | None = None,
               require_session_cookie: bool = True) -> Iterator[DemoServer]:
    """Serve ``root`` in a background thread; yield a DemoServer; stop on exit.

    ``port=0`` picks a free port. ``fail_first`` maps a path+query prefix to the
    number of initial 503 answers. ``require_session_cookie`` makes SessionNet's
    si0057 answer an error page unless the calendar's session cookie is sent.
    """
    server = _Server((host, port), Path(root), fail_first, require_session_cookie)
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    try:
        bound_host, bound_port = server.server_address[:2]
        yield DemoServer(base_url=f"http://{bound_host}:{bound_port}", requests=server.log, root=Path(root))
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    """Serve the demo site until Ctrl-C and print where each municipality lives."""
    parser = argparse.ArgumentParser(description="Serve the ratsinfo demo council information systems.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--no-session-cookie", action="store_true",
                        help="answer SessionNet si0057 without the calendar's session cookie")
    args = parser.parse_args(argv)
    stop = threading.Event()
    # A process manager stops the server with SIGTERM; shut down cleanly then too.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with serve_demo(args.root, args.host, args.port, require_session_cookie=not args.no_session_cookie) as demo:
        print(f"Demo site on {demo.base_url}/")
        for source, base in demo.sources():
            print(f"  {source.name:28} {source.system:15} {base}")
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        print("stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
