"""``ratsinfo web``: a local web site over the warehouse, read-only, server-rendered.

Pages (German labels):

* ``/``                 full-text search with filters (municipality, committee,
                        date range, topic, result), 50 papers a page;
* ``/paper?source=S&id=ID``  one paper: consultations, votes, signatories,
                        documents (links to the PDFs), texts and history;
* ``/export.csv``, ``/export.xlsx``  the current selection (same query string
                        as the search page): CSV with ``;`` and BOM, German headers;
* ``/feeds/topic/T.atom``, ``/feeds/municipality/M.atom``,
  ``/feeds/committee/C.atom``, ``/feeds/search.atom?…``  Atom feeds of new
                        and changed resolutions (``pipelines.exports.feeds``).

The warehouse is opened read-only through ``open_reader`` (one small function
to swap). Requests share that connection (each gets its own cursor) and it is
closed again after ``IDLE_SECONDS`` without a request, so the site holds the
file only while people use it and a nightly load waiting for the file gets it
soon after; while a load holds the file, pages answer 503 with a retry hint.
The filter choices are cached until the file changes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import mimetypes
import string
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

import duckdb
import jinja2
from jinja2.filters import do_truncate

from flows.web.queries import Facets, facets, paper_page
from pipelines.warehouse.db import WarehouseBusy
from pipelines.exports.export import (
    RESULT_DE, ExportQuery, export_rows, open_warehouse, page_of_rows, query_problems, stable_id, write_csv_to,
    write_xlsx,
)
from pipelines.exports.feeds import FEED_KINDS, atom_feed, feed_entries, feed_title, query_for, query_from_params
from pipelines.normalise.topics import topic_labels
from pipelines.warehouse.search import marked_words, synonyms_of_query
from pipelines.warehouse.search_words import quote_word
from schemas.views import ensure_views

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
PAGE_SIZE = 50
MAX_PAGE = 10**9  # far past any warehouse's last page, and PAGE_SIZE × MAX_PAGE fits an OFFSET
DEFAULT_PORT = 8080
# Seconds a connection may take to send its request (flows.web.server.make_handler).
REQUEST_TIMEOUT = 30.0
# A refused request's body (a form posted to the site) is read and dropped up to this size before the answer:
# answered and closed unread, the client still sending got a broken pipe or a reset instead of the 405.
MAX_DISCARDED_BODY = 64 * 2**20
logger = logging.getLogger(__name__)


def _open_now(db_path: Path):
    """Open the warehouse read-only without waiting: a page answers 503 at once rather than hang."""
    return open_warehouse(db_path, wait=0)


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class NotFound(Exception):
    pass


class BadRequest(Exception):
    """A request the site cannot answer as asked; the message (German) says why."""


# The site's readers are in Germany: a moment (stored in UTC) is shown in German time, as the councils' systems show it.
LOCAL_TIME = ZoneInfo("Europe/Berlin")


def _date_de(value: Any) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(LOCAL_TIME)
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return "" if value is None else str(value)


def _size(value: Any) -> str:
    if not value:
        return ""
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024:
            return f"{value:.0f} {unit}"
        value /= 1024
    return f"{value:.0f} TB"


def http_url(value: Any) -> str | None:
    """Return the value if it is an http(s) URL, else None: a source's hostile ``javascript:`` link is never a link here."""
    text = str(value or "").strip()
    return text if urllib.parse.urlsplit(text).scheme.lower() in ("http", "https") else None


def templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date_de"] = _date_de
    env.filters["size"] = _size
    env.filters["result_de"] = lambda r: RESULT_DE.get(r, r) if r else ""
    env.filters["urlquote"] = lambda s: urllib.parse.quote(str(s), safe="")
    env.filters["http_url"] = http_url
    env.filters["topic_label"] = lambda t: topic_labels().get(t, t)
    env.globals["RESULT_DE"] = RESULT_DE
    env.globals["FEED_KINDS"] = FEED_KINDS
    return env


IDLE_SECONDS = 2.0
# After a publish, how long a request waits for those still reading the old file before it reads the old file too.
DRAIN_SECONDS = 3.0


def file_stamp(db_path: Path) -> tuple:
    """Return what changes when the warehouse file (or its WAL) is written or replaced."""
    stamps = []
    for path in (db_path, db_path.with_name(db_path.name + ".wal")):
        try:
            st = path.stat()
            stamps.append((st.st_ino, st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            stamps.append(None)
    return tuple(stamps)


class SharedReader:
    """One read-only connection for all requests, reopened when the file changes, closed when idle."""

    def __init__(self, db_path: Path, open_reader: Callable[[Path], Any], idle: float = IDLE_SECONDS,
                 drain: float = DRAIN_SECONDS):
        self.db_path, self.open_reader, self.idle, self.drain = db_path, open_reader, idle, drain
        self._con: Any = None
        self._stamp: tuple | None = None
        self._active = 0
        self._last_used = 0.0
        self._lock = threading.Lock()
        self._drained = threading.Condition(self._lock)
        self._stopped = threading.Event()
        threading.Thread(target=self._close_when_idle, daemon=True).start()

    @contextlib.contextmanager
    def cursor(self):
        """Yield a cursor of the shared connection (opening it if needed)."""
        with self._lock:
            stamp = file_stamp(self.db_path)
            # A new file was published. DuckDB hands a new connection to a path still open the old file, so the
            # connection is reopened only once no request reads it; new requests wait for that (a moment), or
            # requests overlapping one another would keep the replaced file in use as long as the traffic lasts.
            deadline = time.monotonic() + self.drain
            while (self._con is not None and stamp != self._stamp and self._active > 0
                   and (left := deadline - time.monotonic()) > 0):
                self._drained.wait(left)
            if self._con is not None and stamp != self._stamp and self._active == 0:
                self._close()
            if self._con is None:
                self._con = self.open_reader(self.db_path)
                self._stamp = stamp
            self._active += 1
            cursor = self._con.cursor()
        try:
            ensure_views(cursor)  # temporary views are per connection (only for warehouses loaded before them)
            yield cursor
        finally:
            cursor.close()
            with self._lock:
                self._active -= 1
                self._last_used = time.monotonic()
                if self._active == 0:
                    self._drained.notify_all()

    @property
    def stamp(self) -> tuple | None:
        """Return the stamp of the file the connection reads (steady while a cursor is out: none is reopened then)."""
        return self._stamp

    def _close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def _close_when_idle(self) -> None:
        while not self._stopped.wait(self.idle / 4):
            with self._lock:
                if self._con is not None and self._active == 0 and time.monotonic() - self._last_used > self.idle:
                    self._close()

    def close(self) -> None:
        self._stopped.set()
        with self._lock:
            self._close()


class WebApp:
    """Answers the site's requests from the warehouse at ``db_path``."""

    def __init__(self, db_path: Path, open_reader: Callable[[Path], Any] = _open_now):
        self.db_path = Path(db_path)
        self.reader = SharedReader(self.db_path, open_reader)
        self.env = templates()
        self._facets: tuple[tuple, Facets] | None = None
        self._lock = threading.Lock()

    # -- plumbing ------------------------------------------------------------

    def facets(self, con) -> Facets:
        # Keyed by the file the connection reads, not the file now on disk: a load published while another
        # request holds the old connection would otherwise keep the old file's choices for the new file.
        stamp = self.reader.stamp
        with self._lock:
            if self._facets and self._facets[0] == stamp:
                return self._facets[1]
        value = facets(con)
        with self._lock:
            self._facets = (stamp, value)
        return value

    def render(self, template: str, status: int = 200, **context: Any) -> Response:
        body = self.env.get_template(template).render(**context).encode("utf-8")
        return Response(status, body)

    def handle(self, path: str, query_string: str, base_url: str = "") -> Response:
        """Return the response to a GET of ``path?query_string``."""
        params = urllib.parse.parse_qs(query_string, keep_blank_values=False)
        if path.startswith("/static/"):
            return self.static(path[len("/static/"):])
        if path == "/favicon.ico":
            return Response(204, b"")
        try:
            with self.reader.cursor() as con:
                return self.route(con, path, params, query_string, base_url)
        except NotFound:
            return self.render("error.html", 404, title="Nicht gefunden", message="Diese Seite gibt es nicht.")
        except BadRequest as exc:
            return self.render("error.html", 400, title="Ungültige Anfrage", message=str(exc))
        except FileNotFoundError as exc:
            return self.render("error.html", 503, title="Keine Datenbank", message=str(exc))
        except (duckdb.IOException, WarehouseBusy) as exc:  # something writes into the file itself
            logger.warning("warehouse not readable: %s", exc)
            response = self.render("error.html", 503, title="Datenbank wird aktualisiert",
                                   message="Die Datenbank wird gerade aktualisiert. Bitte in einigen Sekunden neu laden.")
            response.headers["Retry-After"] = "10"
            return response

    def route(self, con, path: str, params: dict[str, list[str]], query_string: str, base_url: str) -> Response:
        if path == "/":
            return self.search(con, params, query_string)
        if path == "/paper":
            return self.paper(con, params)
        if path in ("/export.csv", "/export.xlsx"):
            return self.download(con, params, path.rsplit(".", 1)[1])
        if path.startswith("/feeds/"):
            return self.feed(con, path, query_string, base_url)
        raise NotFound(path)

    def static(self, name: str) -> Response:
        path = (STATIC / name).resolve()
        if STATIC not in path.parents or not path.is_file():
            return Response(404, b"not found", "text/plain; charset=utf-8")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Response(200, path.read_bytes(), kind, {"Cache-Control": "max-age=3600"})

    # -- pages ----------------------------------------------------------------

    def search(self, con, params: dict[str, list[str]], query_string: str) -> Response:
        query = query_from_params(params)
        try:
            # At most MAX_PAGE: a page number past DuckDB's 64-bit OFFSET was an error page (500).
            page = min(max(1, int((params.get("page") or ["1"])[0])), MAX_PAGE)
        except ValueError:
            page = 1
        rows, total = page_of_rows(con, query, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        if not rows and total:  # a page past the last (an old or edited link): the last page, not "nothing found"
            page = -(-total // PAGE_SIZE)
            rows, total = page_of_rows(con, query, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        titles = [do_truncate(self.env, row["title"] or "ohne Betreff", 160) for row in rows]
        marked = marked_words(con, query.text, titles) if query.text else None
        for at, row in enumerate(rows):
            row["href"] = "/paper?" + urllib.parse.urlencode({"source": row["_key"][0], "id": row["_key"][1]})
            row["title_pieces"] = marked[at] if marked else [(titles[at], False)]
        selection = _selection_qs(params)
        choices = self.facets(con)
        municipality = _chosen_municipality(query.municipality, choices)
        return self.render(
            "search.html",
            query=query,
            rows=rows,
            total=total,
            page=page,
            pages=max(1, -(-total // PAGE_SIZE)),
            facets=choices,
            municipality=municipality,
            notices=_unused_filters(params, query, choices, municipality),
            also_searched=_also_searched(con, query.text, params),
            selection=selection,
            page_qs=lambda n: "?" + urllib.parse.urlencode([*_selection_pairs(params), ("page", n)]),
        )

    def paper(self, con, params: dict[str, list[str]]) -> Response:
        source, system_id = (params.get("source") or [None])[0], (params.get("id") or [None])[0]
        if not source or not system_id:
            raise NotFound("paper")
        paper = paper_page(con, source, system_id)
        if paper is None:
            raise NotFound("paper")
        paper["stableId"] = stable_id(paper.get("system"), system_id, paper.get("baseUrl"))
        return self.render("paper.html", paper=paper)

    def download(self, con, params: dict[str, list[str]], fmt: str) -> Response:
        _refuse_bad_dates(params)  # a file of every date for a range that is none would look like the range's
        rows = export_rows(con, query_from_params(params))
        stem = f"ratsinfo-auswahl-{dt.date.today().isoformat()}"
        if fmt == "csv":
            text = io.StringIO()
            text.write("\ufeff")  # German Excel reads UTF-8 only with the byte-order mark
            write_csv_to(rows, text, ";", "de")
            return Response(200, text.getvalue().encode("utf-8"), "text/csv; charset=utf-8",
                            {"Content-Disposition": f'attachment; filename="{stem}.csv"'})
        data = io.BytesIO()
        write_xlsx(rows, data, "de")
        return Response(200, data.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        {"Content-Disposition": f'attachment; filename="{stem}.xlsx"'})

    def feed(self, con, path: str, query_string: str, base_url: str) -> Response:
        parts = path[len("/feeds/"):].split("/")
        if parts == ["search.atom"]:
            kind, value = "search", query_string
            _refuse_bad_dates(urllib.parse.parse_qs(query_string))
        elif len(parts) == 2 and parts[0] in FEED_KINDS and parts[1].endswith(".atom"):
            kind, value = parts[0], urllib.parse.unquote(parts[1][: -len(".atom")])
            if not value.strip():  # "/feeds/committee/.atom" names no committee: not a feed of everything
                raise NotFound(path)
        else:
            raise NotFound(path)
        query = query_for(kind, value)
        # A topic not in the taxonomy is a typo: no feed, not one that stays empty forever. A committee or a
        # municipality without papers yet may still get some, so its feed is served (empty).
        if kind == "topic" and query_problems(con, query):
            raise NotFound(path)
        entries = feed_entries(con, query)
        body = atom_feed(entries, title=feed_title(kind, value or "alle"),
                         feed_id=f"urn:ratsinfo:feed:{kind}:{urllib.parse.quote(value, safe='')}",
                         self_url=f"{base_url}{path}" + (f"?{query_string}" if query_string else ""),
                         web_base=base_url or None)
        return Response(200, body, "application/atom+xml; charset=utf-8")


_SELECTION_KEYS = ("q", "municipality", "committee", "since", "until", "topic", "result")


def _chosen_municipality(value: str | None, choices: Facets) -> str | None:
    """Return the slug of the town a search names by slug or by name (as the query matches it), else None."""
    if not value:
        return None
    return next((slug for slug, name in choices.municipalities
                 if value == slug or value.lower() == (name or "").lower()), None)


def _unused_filters(params: dict[str, list[str]], query: ExportQuery, choices: Facets,
                    municipality: str | None) -> list[str]:
    """Return, in German, each filter of a link the page cannot use as given: a date that is none, a typo."""
    from pipelines.normalise.topics import topic_names
    from pipelines.normalise.votes import RESULTS

    notices = [f"{problem}; der Filter ist nicht angewandt." for problem in _bad_dates(params)]
    if query.topic and query.topic not in choices.topics and query.topic not in (names := topic_names()):
        notices.append(f"Ein Thema „{query.topic}“ gibt es nicht (Themen: {', '.join(names)}).")
    if query.result and query.result not in RESULTS:
        known = ", ".join(f"{r} = {RESULT_DE.get(r, r)}" for r in RESULTS)
        notices.append(f"Ein Ergebnis „{query.result}“ gibt es nicht (Ergebnisse: {known}).")
    if query.municipality and municipality is None:
        names = [name or slug for slug, name in choices.municipalities]
        listed = ", ".join(names[:20]) + (", …" if len(names) > 20 else "")
        notices.append(f"Keine Vorlagen der Kommune „{query.municipality}“ (Kommunen: {listed or 'keine'}).")
    return notices


_DATE_LABELS = {"since": "von", "until": "bis"}


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value.strip())
    except ValueError:
        return False
    return True


def _bad_dates(params: dict[str, list[str]]) -> list[str]:
    """Return, in German, each date filter whose value is not a date (the selection leaves those out)."""
    return [f"„{value}“ ist kein Datum (JJJJ-MM-TT) für „{label}“" for key, label in _DATE_LABELS.items()
            if (value := next((v.strip() for v in params.get(key, []) if v.strip()), None)) and not _is_date(value)]


def _refuse_bad_dates(params: dict[str, list[str]]) -> None:
    if problems := _bad_dates(params):
        raise BadRequest("; ".join(problems) + ".")


def _selection_pairs(params: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Return the selection's parameters as the page applies them (a date that is none left out)."""
    return [(k, params[k][0]) for k in _SELECTION_KEYS if params.get(k) and params[k][0].strip()
            and (k not in _DATE_LABELS or _is_date(params[k][0]))]


def _also_searched(con, text: str | None, params: dict[str, list[str]]) -> list[tuple[str, list[str], str | None]]:
    """Return the query's words that were searched with synonyms: each with them and a link that quotes the word.

    The link is the same selection with the word in quotes, i.e. searched as written
    (None where the word is no part of its own in the query, e.g. in "Ukraine-Flüchtlinge").
    """
    if not text:
        return []
    others = [(k, v) for k, v in _selection_pairs(params) if k != "q"]
    found = []
    for word, synonyms in synonyms_of_query(con, text):
        quoted = quote_word(text, word)
        found.append((word, synonyms, "/?" + urllib.parse.urlencode([("q", quoted), *others]) if quoted else None))
    return found


def _selection_qs(params: dict[str, list[str]]) -> str:
    return urllib.parse.urlencode(_selection_pairs(params))


def make_handler(app: WebApp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "ratsinfo-web"
        # A connection that sends no whole request within this many seconds is closed: each one holds
        # a thread, so clients that connect and send nothing would otherwise pile them up unbounded.
        timeout = REQUEST_TIMEOUT
        app: WebApp

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self.answer(with_body=True)

        def do_HEAD(self) -> None:  # noqa: N802 — link checkers and ``curl -I`` ask with HEAD
            self.answer(with_body=False)

        def refuse_method(self) -> None:
            """Answer 405: the site is read-only, every page is fetched with GET (or HEAD)."""
            self.discard_body()
            message = f"{self.command} ist hier nicht erlaubt; die Seiten werden nur abgerufen (GET)."
            response = app.render("error.html", 405, title="Methode nicht erlaubt", message=message)
            response.headers["Allow"] = "GET, HEAD"
            self.send(response, with_body=True)

        def discard_body(self) -> None:
            """Read and drop the request's body, as long as its Content-Length says (within MAX_DISCARDED_BODY
            and the handler's timeout); a body larger, slower or without a length is left unread (the connection closes)."""
            try:
                left = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                left = 0
            if left > MAX_DISCARDED_BODY:
                return
            deadline = time.monotonic() + self.timeout
            try:
                while left > 0 and time.monotonic() < deadline:
                    chunk = self.rfile.read(min(left, 65536))
                    if not chunk:
                        return
                    left -= len(chunk)
            except OSError:  # the client stopped sending (timeout) or went away: answer anyway
                return

        do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = refuse_method  # noqa: N815

        def answer(self, with_body: bool) -> None:
            started = time.perf_counter()
            # http.server reads the request line as Latin-1; a browser percent-encodes, curl sends a pasted "ü"
            # as its UTF-8 bytes: quote those bytes so they are read as UTF-8 like the percent-encoded form.
            target = urllib.parse.quote(self.path.encode("latin-1"), safe=string.punctuation)
            split = urllib.parse.urlsplit(target)
            host = self.headers.get("Host") or f"{self.server.server_address[0]}:{self.server.server_address[1]}"
            try:
                response = app.handle(split.path, split.query, f"http://{host}")
            except Exception:  # noqa: BLE001 — one broken page must not stop the server
                logger.exception("error answering %s", self.path)
                response = app.render("error.html", 500, title="Fehler",
                                      message="Bei dieser Seite ist ein Fehler aufgetreten.")
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
            self.send(response, with_body)

        def send(self, response: Response, with_body: bool) -> None:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))  # a HEAD's too: what a GET would get
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if with_body:
                self.wfile.write(response.body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            logger.info("%s %s", self.address_string(), format % args)

    Handler.app = app
    return Handler


def make_server(db_path: Path, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                open_reader: Callable[[Path], Any] = _open_now) -> ThreadingHTTPServer:
    """Return the HTTP server (not yet serving); port 0 picks a free port."""
    server = ThreadingHTTPServer((host, port), make_handler(WebApp(db_path, open_reader)))
    server.daemon_threads = True
    return server


class WebServer:
    """The site served in a background thread (a context manager, for tests and benchmarks)."""

    def __init__(self, db_path: Path, host: str = "127.0.0.1", port: int = 0):
        self.server = make_server(db_path, host, port)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "WebServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
        self.server.RequestHandlerClass.app.reader.close()
