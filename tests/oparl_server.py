"""A local OParl server built from the real corpus JSON, for crawl tests and benchmarks.

It serves two real bodies with their URLs pointed at ``http://127.0.0.1:<port>``:

* **Hürtgenwald** (STERNBERG SD.NET RIM, OParl 1.0) under
  ``/rim4220/webservice/oparl/v1.0/``: the captured System, Body list,
  organization list, person list page 1 and paper list pages 1, 84 (with
  deleted papers that lack ``type``) and 85 (the last), verbatim apart from
  the host. The capture holds pages 1, 84 and 85 of 85 only, so they are
  spliced: the three paper pages are served as pages 1–3 of a list of 65
  (pagination and links rewritten to agree), and person page 1 (whose page 2
  was not captured) as the only page of a list of 25. The meeting list, not
  captured, is one page the server builds from the captured meeting 2524.
  Filtered requests (``modified_since``, percent-encoded as the spec wants)
  are answered the SD.NET way: the changed objects, tombstones included, and
  when nothing changed a 404 with error code 802 (``[]`` for meetings).
* **Karlsruhe** (SOMACOS SessionNet, OParl 1.1) under ``/oparl/``: papers
  from ``oparl-karlsruhe/papers.jsonl.gz`` (the first ``karlsruhe_papers``,
  all with None), the meetings their consultations name, the real
  organizations array, no persons. System and Body are not in the dump: the
  server makes minimal ones (vendor ``http://www.somacos.de``, as the real
  Wuppertal SessionNet System says). The server paginates the lists itself
  (``page``, ``limit``, ``links.next``), leaves deleted objects out of
  unfiltered lists (OParl 1.1) and answers ``modified_since`` only when it is
  written with literal ``:`` and ``+`` (percent-encoded: 404, as SOMACOS
  does). The organizations list ignores the filter, as Karlsruhe's does.

Tests change objects (``touch``, ``delete``), switch filtering off
(``filter_mode = "ignore"``), make the lists repeat their first page
(``repeat_pages``), make a path fail first (``fail_next``), edit a Karlsruhe
list page before it is sent (``page_edits``) or replace it by raw bytes
(``raw_pages``), serve the captured Hürtgenwald paper pages with their real
jump from page 1 to 84 (``serve_captured_paper_pages``) and count
requests (``requests``). Other corpus objects can be served at their own
URL (``serve_file``).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, unquote_plus, urlsplit
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
HUERTGENWALD_HOST = "https://sdnetrim.kdvz-frechen.de"
KARLSRUHE_HOST = "https://web1.karlsruhe.de"
HW = "/rim4220/webservice/oparl/v1.0"
KA = "/oparl"
STERNBERG_EMPTY = {"error": "Die angeforderte Ressource wurde nicht gefunden.", "code": 802, "type": "SD.NET RIM Webservice"}
OPARL_TYPES = {"Organization", "Person", "Membership", "Meeting", "AgendaItem", "Paper", "Consultation", "File"}


class OParlTestServer:
    """Serves the corpus bodies on 127.0.0.1 in a background thread (use as a context manager)."""

    def __init__(self, corpus_dir: Path, *, karlsruhe_papers: int | None = 300, page_size: int = 100):
        self.corpus = Path(corpus_dir)
        self.karlsruhe_papers = karlsruhe_papers
        self.page_size = page_size
        self.filter_mode = "honour"
        self.repeat_pages = False  # True: ignore ``page`` and serve page 1 again (with the next link asked for)
        self.requests: list[dict[str, Any]] = []
        self._faults: dict[str, list[tuple[int, dict[str, str]]]] = {}
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self.base = ""
        self.documents: dict[str, Any] = {}  # "path?query" → a static JSON document
        self.objects: dict[str, dict] = {}  # "path?query" of an object id → the object (shared with pages)
        self.sternberg_lists: dict[str, tuple[str, list[dict]]] = {}  # list path → (name, objects)
        self.somacos_lists: dict[str, tuple[str, list[dict]]] = {}
        self.served: dict[str, tuple[str, bool]] = {}  # object id → (type, deleted) of every object served
        # Faults of the Karlsruhe lists: (list path, page) → an edit of the page before it is sent
        # (``edit(document, url_of_page) -> document``), or a raw answer (status, bytes, content type).
        self.page_edits: dict[tuple[str, int], Any] = {}
        self.raw_pages: dict[tuple[str, int], tuple[int, bytes, str]] = {}

    # -- life cycle ----------------------------------------------------------
    def __enter__(self) -> "OParlTestServer":
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def start(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            # One write per answer, no Nagle stalls on kept-open connections (as flows/demo_site.py).
            wbufsize = 1 << 16
            disable_nagle_algorithm = True

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                server._handle(self)

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._load_huertgenwald()
        self._load_karlsruhe()
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    @property
    def huertgenwald_system(self) -> str:
        return f"{self.base}{HW}/system"

    @property
    def karlsruhe_system(self) -> str:
        return f"{self.base}{KA}/system"

    # -- data ----------------------------------------------------------------
    def _read(self, name: str, host: str) -> Any:
        text = (self.corpus / "oparl" / name).read_text(encoding="utf-8")
        return json.loads(text.replace(host, self.base))

    def _path(self, url: str) -> str:
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _register(self, objects: list[dict]) -> None:
        for obj in objects:
            if isinstance(obj, dict) and obj.get("id"):
                self.objects[self._path(obj["id"])] = obj

    def _load_huertgenwald(self) -> None:
        host = HUERTGENWALD_HOST
        self.documents[f"{HW}/system"] = self._read("huertgenwald-sternberg-oparl10-system.json", host)
        self.documents[f"{HW}/body"] = self._read("huertgenwald-sternberg-oparl10-body-list.json", host)
        organizations = self._read("huertgenwald-sternberg-oparl10-organization-list.json", host)
        persons = self._read("huertgenwald-sternberg-oparl10-person-list-page1.json", host)
        persons["links"].pop("next")  # splice: page 2 was not captured
        persons["pagination"].update(totalElements=len(persons["data"]), totalPages=1)
        captured = self._captured_paper_pages()
        # Splice: pages 2–83 were not captured, so the three captured pages are served
        # as pages 1–3 of a list of 65 (``serve_captured_paper_pages`` serves them as captured).
        pages = {n: json.loads(json.dumps(captured[c])) for n, c in ((1, 1), (2, 84), (3, 85))}
        total = sum(len(page["data"]) for page in pages.values())
        for n, page in pages.items():
            url = f"{self.base}{HW}/body/1/paper?page="
            page["pagination"].update(totalElements=total, currentPage=n, totalPages=len(pages))
            page["links"] = {"first": url + "1", "self": url + str(n), "last": url + str(len(pages)),
                             **({"next": url + str(n + 1)} if n < len(pages) else {})}
        meeting = self._read("huertgenwald-sternberg-oparl10-meeting-2524.json", host)
        meetings = {
            "data": [meeting],
            "pagination": {"totalElements": 1, "elementsPerPage": 25, "currentPage": 1, "totalPages": 1},
            "links": {"first": f"{self.base}{HW}/body/1/meeting?page=1", "self": f"{self.base}{HW}/body/1/meeting?page=1",
                      "last": f"{self.base}{HW}/body/1/meeting?page=1"},
        }
        for path, document in (
            ("organization", organizations), ("person", persons), ("meeting", meetings), ("paper", pages[1]),
        ):
            self.documents[f"{HW}/body/1/{path}"] = document
            self.documents[f"{HW}/body/1/{path}?page=1"] = document
        for n, page in pages.items():
            self.documents[f"{HW}/body/1/paper?page={n}"] = page
        self.documents[f"{HW}/body/1"] = self.documents[f"{HW}/body"]["data"][0]
        self.sternberg_lists = {
            f"{HW}/body/1/organization": ("organization", organizations["data"]),
            f"{HW}/body/1/person": ("person", persons["data"]),
            f"{HW}/body/1/meeting": ("meeting", meetings["data"]),
            f"{HW}/body/1/paper": ("paper", [p for page in pages.values() for p in page["data"]]),
        }
        for _, objects in self.sternberg_lists.values():
            self._register(objects)

    def _captured_paper_pages(self) -> dict[int, dict]:
        host = HUERTGENWALD_HOST
        return {
            1: self._read("huertgenwald-sternberg-oparl10-paper-list-page1.json", host),
            84: self._read("huertgenwald-sternberg-oparl10-paper-list-page84-with-deleted.json", host),
            85: self._read("huertgenwald-sternberg-oparl10-paper-list-page85-last.json", host),
        }

    def serve_captured_paper_pages(self) -> None:
        """Serve the captured paper pages 1, 84 and 85 as they are, page 1's ``next`` leading to page 84.

        Pages 2–83 are skipped as a server whose ``next`` jumps would skip them:
        the real pagination says page 84 of 85 and 2,115 papers.
        """
        pages = self._captured_paper_pages()
        pages[1]["links"]["next"] = f"{self.base}{HW}/body/1/paper?page=84"
        self.documents[f"{HW}/body/1/paper"] = self.documents[f"{HW}/body/1/paper?page=1"] = pages[1]
        for n, page in pages.items():
            self.documents[f"{HW}/body/1/paper?page={n}"] = page
        self.sternberg_lists[f"{HW}/body/1/paper"] = ("paper", [p for page in pages.values() for p in page["data"]])
        self._register(self.sternberg_lists[f"{HW}/body/1/paper"][1])

    def _load_karlsruhe(self) -> None:
        host = KARLSRUHE_HOST
        dump = self.corpus / "oparl-karlsruhe"
        papers = list(self._jsonl(dump / "papers.jsonl.gz", host, self.karlsruhe_papers))
        wanted = {c.get("meeting") for p in papers for c in p.get("consultation") or [] if isinstance(c, dict)}
        meetings = [m for m in self._jsonl(dump / "meetings.jsonl.gz", host, None) if self.karlsruhe_papers is None or m["id"] in wanted]
        organizations = self._read("karlsruhe-somacos-sessionnet-oparl11-organizations-array.json", host)
        body_id = f"{self.base}{KA}/bodies/0001"
        self.documents[f"{KA}/system"] = {
            "id": f"{self.base}{KA}/system",
            "type": "https://schema.oparl.org/1.1/System",
            "oparlVersion": "https://schema.oparl.org/1.1/",
            "body": f"{self.base}{KA}/bodies",
            "name": "Karlsruhe dump (local test server)",
            "vendor": "http://www.somacos.de",
            "product": "Sitzungsmanagementsystem Session  Copyright SOMACOS GmbH & Co. KG",
        }
        body = {
            "id": body_id,
            "type": "https://schema.oparl.org/1.1/Body",
            "system": f"{self.base}{KA}/system",
            "name": "Stadt Karlsruhe",
            "ags": "08212000",
            "organization": f"{body_id}/organizations",
            "person": f"{body_id}/people",
            "meeting": f"{body_id}/meetings",
            "paper": f"{body_id}/papers",
            "legislativeTerm": [],
        }
        self.documents[f"{KA}/bodies/0001"] = body
        self.documents[f"{KA}/bodies"] = {"data": [body], "pagination": {"totalElements": 1}, "links": {"self": f"{self.base}{KA}/bodies"}}
        self.somacos_lists = {
            f"{KA}/bodies/0001/papers": ("paper", papers),
            f"{KA}/bodies/0001/meetings": ("meeting", meetings),
            f"{KA}/bodies/0001/organizations": ("organization", organizations),
            f"{KA}/bodies/0001/people": ("person", []),
        }
        for _, objects in self.somacos_lists.values():
            self._register(objects)

    def _jsonl(self, path: Path, host: str, limit: int | None) -> Iterator[dict]:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if limit is not None and n >= limit:
                    return
                yield json.loads(line.replace(host, self.base))

    def serve_bytes(self, path: str, raw: bytes) -> str:
        """Serve ``raw`` at ``path`` (with query); return its URL."""
        self.documents[path] = raw
        return self.base + path

    def serve_file(self, name: str, host: str) -> str:
        """Serve a corpus file (bytes as they are, host rewritten) at its object URL; return that URL."""
        raw = (self.corpus / "oparl" / name).read_bytes().replace(host.encode(), self.base.encode())
        marker = b'"id": "' if b'"id": "' in raw else b'"id":"'
        start = raw.index(marker) + len(marker)
        url = raw[start : raw.index(b'"', start)].decode()
        self.documents[self._path(url)] = raw
        return url

    # -- changes -------------------------------------------------------------
    def now(self) -> str:
        return dt.datetime.now(BERLIN).replace(microsecond=0).isoformat()

    def touch(self, object_id: str, **changes: Any) -> None:
        """Change an object as the server's users would: new values, ``modified`` now."""
        obj = self.objects[self._path(object_id)]
        obj.update(changes)
        obj["modified"] = self.now()

    def delete(self, object_id: str) -> None:
        """Delete an object the way its vendor does (SD.NET: bare tombstone; SessionNet: "" fields)."""
        obj = self.objects[self._path(object_id)]
        kept = {k: obj[k] for k in ("id", "created") if k in obj}
        if self._path(object_id).startswith(KA):
            kept.update(type=obj.get("type"), body=obj.get("body"), name="", paperType="", reference="")
        obj.clear()
        obj.update(kept, modified=self.now(), deleted=True)

    def fail_next(self, path: str, status: int = 503, retry_after: str | None = "1", times: int = 1) -> None:
        """Answer the next ``times`` requests of ``path`` (without query) with ``status``."""
        headers = {"Retry-After": retry_after} if retry_after else {}
        self._faults.setdefault(path, []).extend([(status, headers)] * times)

    def requests_since(self, mark: int) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.requests[mark:])

    # -- serving ---------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        path, query = parts.path, parts.query
        with self._lock:
            fault = self._faults.get(path, []).pop(0) if self._faults.get(path) else None
        if fault is not None:
            status, headers = fault
            self._send(handler, status, b"busy", "text/plain", headers)
            return
        if path == "/robots.txt":
            self._send(handler, 200, b"User-agent: *\nDisallow:\n", "text/plain")
            return
        answer = self._answer(path, query)
        status, body = answer[0], answer[1]
        if len(answer) == 3:  # a raw answer with its own content type (a fault)
            self._send(handler, status, body, answer[2])
            return
        if isinstance(body, (bytes, bytearray)):
            raw = bytes(body)
        else:
            raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
            if status == 200:
                self._note_served(body, path)
        content_type = "text/html; charset=utf-8" if status == 404 else "application/json; charset=utf-8"
        objects = len(body["data"]) if isinstance(body, dict) and isinstance(body.get("data"), list) else None
        self._send(handler, status, raw, content_type, objects=objects)

    def _send(self, handler, status: int, raw: bytes, content_type: str, headers: dict[str, str] | None = None,
              objects: int | None = None) -> None:
        with self._lock:
            self.requests.append({"path": handler.path.split("?", 1)[0], "query": urlsplit(handler.path).query,
                                  "status": status, "objects": objects})
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(raw)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(raw)

    def _answer(self, path: str, query: str) -> tuple:
        params = _query(query)
        if path in self.sternberg_lists and "modified_since" in params:
            return self._sternberg_filtered(path, params["modified_since"])
        if path in self.somacos_lists:
            page = int(params.get("page") or 1) if (params.get("page") or "1").isdigit() else 1
            if (path, page) in self.raw_pages:
                return self.raw_pages[(path, page)]
            return self._somacos_list(path, query, params)
        key = path + (f"?{query}" if query else "")
        if key in self.documents:
            return 200, self.documents[key]
        if key in self.objects:
            return 200, self.objects[key]
        return 404, b"<html><body>404 Not Found</body></html>"

    def _sternberg_filtered(self, path: str, raw_value: str) -> tuple[int, Any]:
        since = _moment(unquote_plus(raw_value))  # form decoding: a literal "+" would be a space
        if since is None:
            return 400, b"bad modified_since"
        name, objects = self.sternberg_lists[path]
        changed = [o for o in objects if (m := _moment(o.get("modified"))) is not None and m >= since]
        if not changed:
            return (200, []) if name == "meeting" else (404, json.dumps(STERNBERG_EMPTY).encode())
        url = f"{self.base}{path}?modified_since={raw_value}"
        return 200, {"data": changed, "pagination": {"totalElements": len(changed), "currentPage": 1, "totalPages": 1},
                     "links": {"first": url, "self": url, "last": url}}

    def _somacos_list(self, path: str, query: str, params: dict[str, str]) -> tuple[int, Any]:
        name, objects = self.somacos_lists[path]
        raw_since = params.get("modified_since")
        filtered = raw_since is not None and self.filter_mode == "honour" and name != "organization"
        if raw_since is not None and "%" in raw_since:
            return 404, b"<html><body>404 Not Found</body></html>"  # SOMACOS: encoded values are not understood
        if filtered:
            since = _moment(raw_since)
            if since is None:
                return 400, b"bad modified_since"
            selected = [o for o in objects if (m := _moment(o.get("modified"))) is not None and m >= since]
        else:
            selected = [o for o in objects if not o.get("deleted")]
        size = max(1, min(int(params.get("limit") or self.page_size), 1000))
        page = max(1, int(params.get("page") or 1))
        total_pages = max(1, -(-len(selected) // size))
        keep = "&".join(f"{k}={v}" for k, v in _raw_pairs(query) if k not in ("page",))
        def url(n: int) -> str:
            return f"{self.base}{path}?{keep + '&' if keep else ''}page={n}"
        links = {"first": url(1), "self": url(page), "last": url(total_pages)}
        if page > 1:
            links["prev"] = url(page - 1)
        if page < total_pages:
            links["next"] = url(page + 1)
        shown = 1 if self.repeat_pages else page
        document = {
            "data": selected[(shown - 1) * size : shown * size],
            "pagination": {"totalElements": len(selected), "elementsPerPage": size, "currentPage": page, "totalPages": total_pages},
            "links": links,
        }
        edit = self.page_edits.get((path, page))
        if edit is not None:
            document = json.loads(json.dumps(document))  # the edit must not change the served objects
            document = edit(document, url(page))
        return 200, document

    def _note_served(self, document: Any, path: str) -> None:
        """Record every OParl object in a served document (embedded ones too), by id."""
        list_name = self.sternberg_lists.get(path, self.somacos_lists.get(path, (None, None)))[0]
        expected = {"paper": "Paper", "meeting": "Meeting", "organization": "Organization", "person": "Person"}.get(list_name or "")
        with self._lock:
            for obj, kind in _objects(document, expected):
                self.served[obj["id"]] = (kind, bool(obj.get("deleted")))


def _query(query: str) -> dict[str, str]:
    return {k: v for k, v in _raw_pairs(query)}


def _raw_pairs(query: str) -> list[tuple[str, str]]:
    """Return the query's pairs with values left as sent (no decoding)."""
    return [tuple(p.split("=", 1)) if "=" in p else (p, "") for p in query.split("&") if p]  # type: ignore[misc]


def _moment(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(unquote(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=BERLIN)


def _objects(document: Any, expected: str | None) -> Iterator[tuple[dict, str]]:
    """Yield (object, type) for every OParl object of a list page or object, embedded ones included."""
    top = document.get("data") if isinstance(document, dict) and "data" in document else document
    for item in top if isinstance(top, list) else [top]:
        yield from _walk(item, expected)


def _walk(obj: Any, expected: str | None) -> Iterator[tuple[dict, str]]:
    if isinstance(obj, list):
        for entry in obj:
            yield from _walk(entry, None)
        return
    if not isinstance(obj, dict):
        return
    kind = obj.get("type", "").rsplit("/", 1)[-1] if isinstance(obj.get("type"), str) else expected
    if kind in OPARL_TYPES and obj.get("id"):
        yield obj, kind
    for value in obj.values():
        if isinstance(value, (dict, list)):
            yield from _walk(value, None)


def expected_rows(served: dict[str, tuple[str, bool]]) -> dict[str, set[str]]:
    """Return the distinct ids of the non-deleted served objects, by warehouse table."""
    tables = {"Organization": "organization", "Person": "person", "Membership": "membership", "Meeting": "meeting",
              "AgendaItem": "agenda_item", "Paper": "paper", "Consultation": "consultation", "File": "file"}
    out: dict[str, set[str]] = {t: set() for t in tables.values()}
    deleted = {i for i, (_, d) in served.items() if d}
    for object_id, (kind, _) in served.items():
        if object_id not in deleted:
            out[tables[kind]].add(object_id)
    return out


__all__ = ["OParlTestServer", "expected_rows", "HUERTGENWALD_HOST", "KARLSRUHE_HOST"]
