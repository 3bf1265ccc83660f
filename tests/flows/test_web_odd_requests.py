"""`ratsinfo web` under odd and hostile requests: methods, pasted and mangled links, a warehouse replaced meanwhile.

Real server on 127.0.0.1 port 0, raw requests through ``http.client`` (so a request goes out as written,
``%ff`` and all). What a page must never do: answer 5xx or show a Python traceback, serve a file
outside the static folder, echo a script unescaped, take long over a huge query string.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import threading
import time

import duckdb
import pytest

from flows.web.server import WebServer


def request(site, method: str, target: str, body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    """Send ``method target`` as written (no quoting) and return status, headers and body."""
    host, port = site.server.server_address[:2]
    con = http.client.HTTPConnection(host, port, timeout=30)
    try:
        con.request(method, target, body=body)
        response = con.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        con.close()


# -- methods ----------------------------------------------------------------

ROUTES = ["/", "/paper?source=musterstadt&id=1", "/export.csv", "/export.xlsx", "/feeds/search.atom?q=Konzept",
          "/feeds/topic/integration.atom", "/static/style.css"]


@pytest.mark.parametrize("target", ROUTES)
def test_head_answers_like_get_without_a_body(site, target):
    """A link checker's or ``curl -I``'s HEAD got 501 Unsupported method."""
    get_status, get_headers, get_body = request(site, "GET", target)
    status, headers, body = request(site, "HEAD", target)
    assert get_status == 200 and status == 200
    assert body == b""
    assert headers["Content-Type"] == get_headers["Content-Type"]
    assert headers["Content-Length"] == str(len(get_body))


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
@pytest.mark.parametrize("target", ["/", "/export.csv", "/static/style.css"])
def test_other_methods_are_405_with_allow(site, method, target):
    """A form posted to the site (or a stray PUT) got 501 and http.server's English page, no Allow header."""
    status, headers, body = request(site, method, target, body=b"q=x" if method in ("POST", "PUT", "PATCH") else None)
    assert status == 405
    assert headers["Allow"] == "GET, HEAD"
    assert "nicht erlaubt" in body.decode("utf-8")


@pytest.mark.parametrize("size", [200_000, 4_000_000])
def test_a_large_form_post_gets_its_405_not_a_broken_connection(site, size):
    """The 405 went out and the connection closed before the body was read: a client still sending a large
    form (or an upload sent to the wrong address) got a broken pipe or a reset instead of the answer."""
    status, headers, body = request(site, "POST", "/", body=b"q=" + b"x" * size)
    assert status == 405
    assert headers["Allow"] == "GET, HEAD"
    assert "nicht erlaubt" in body.decode("utf-8")
    assert request(site, "GET", "/")[0] == 200  # and the site goes on answering


# -- a warehouse published while pages are read ------------------------------------------


def renamed_town(tmp_path, warehouse):
    """Return (the live file, a new file to publish over it in which Beispielheim is called Neuheim)."""
    live = tmp_path / "w.duckdb"
    shutil.copy(warehouse, live)
    new = tmp_path / "new.duckdb"
    shutil.copy(warehouse, new)
    con = duckdb.connect(str(new))
    con.execute("""UPDATE paper_decision SET "municipality" = 'Gemeinde Neuheim' WHERE "source" = 'beispielheim'""")
    con.close()
    return live, new


def test_filter_choices_follow_a_warehouse_published_during_a_request(tmp_path, warehouse):
    """The filters were read from the old file but kept for the new one: a town renamed (or added) by a load
    published while another request ran stayed out of the Kommune list until the next load changed the file."""
    live, new = renamed_town(tmp_path, warehouse)
    with WebServer(live) as server:
        assert "Gemeinde Beispielheim" in request(server, "GET", "/")[2].decode()
        reader = server.server.RequestHandlerClass.app.reader
        reader.drain = 0.2  # the next request waits that long for the download, then reads the old file too
        with reader.cursor():  # a long download still reading the old file
            os.replace(new, live)
            request(server, "GET", "/")  # answered from the old file, as it should while that one is open
        page = request(server, "GET", "/")[2].decode()
    assert '<option value="beispielheim" >Gemeinde Neuheim</option>' in page
    assert "Gemeinde Beispielheim" not in page


def test_a_published_warehouse_is_read_once_running_requests_end_even_under_steady_traffic(tmp_path, warehouse):
    """The old file stayed open while any request ran: with requests overlapping (several readers, long
    downloads) the site kept answering from the replaced file, for seconds or as long as the traffic lasted.
    A request after a publish now waits (briefly) for those on the old file to end, then reads the new one."""
    live, new = renamed_town(tmp_path, warehouse)
    with WebServer(live) as server:
        request(server, "GET", "/")
        reader = server.server.RequestHandlerClass.app.reader
        held, release = threading.Event(), threading.Event()

        def long_download():
            with reader.cursor():
                held.set()
                release.wait(10)

        thread = threading.Thread(target=long_download)
        thread.start()
        held.wait(10)
        os.replace(new, live)
        threading.Timer(0.5, release.set).start()  # the download ends half a second after the publish
        started = time.monotonic()
        status, _, body = request(server, "GET", "/?municipality=beispielheim")
        waited = time.monotonic() - started
        thread.join(10)
    assert status == 200
    assert "Gemeinde Neuheim" in body.decode() and "Gemeinde Beispielheim" not in body.decode()
    assert waited < 5


# -- what curl and scripts send -----------------------------------------------------------


def raw_request(site, line: bytes) -> tuple[int, bytes]:
    """Send one request line as bytes (curl sends a pasted ``ß`` as is, not percent-encoded)."""
    host, port = site.server.server_address[:2]
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(line + b"\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_unencoded_utf8_in_the_address_is_read_as_utf8(site):
    """``curl 'http://…/?q=Flüchtlingsunterkunft'`` found nothing: the raw bytes were read as Latin-1 ("FlÃ¼…")."""
    status, body = raw_request(site, "GET /?q=Flüchtlingsunterkunft HTTP/1.1\r\nHost: x".encode())
    page = body.decode("utf-8")
    assert status == 200 and "<strong>1</strong> Vorlage" in page and "zu „Flüchtlingsunterkunft“" in page
    status, body = raw_request(site, "GET /feeds/search.atom?q=Flüchtlingsunterkunft HTTP/1.1\r\nHost: x".encode())
    assert status == 200 and body.count(b"<entry>") == 1
    status, body = raw_request(site, "GET /feeds/municipality/Gemeinde Beispielheim.atom HTTP/1.1\r\nHost: x".encode())
    assert status in (400, 404)  # a space splits the request line: not a 5xx



@pytest.mark.parametrize("kind", ["topic", "municipality", "committee"])
def test_a_feed_without_a_name_is_404_not_every_resolution(site, kind):
    """``/feeds/committee/.atom`` (a link built from an empty field) was a feed of every resolution of every town,
    titled "Gremium: alle", that a reader could subscribe to as the committee's."""
    status, _, body = request(site, "GET", f"/feeds/{kind}/.atom")
    assert status == 404 and b"<feed" not in body
    assert request(site, "GET", f"/feeds/{kind}/%20.atom")[0] == 404


# -- filters from pasted or hand-edited links ------------------------------------------------


@pytest.mark.parametrize("query, shown, notice", [
    ("topic=Integration", '<option value="Integration" selected>Integration</option>',
     "Thema „Integration“ gibt es nicht"),
    ("result=angenommen", '<option value="angenommen" selected>angenommen</option>',
     "Ergebnis „angenommen“ gibt es nicht"),
    ("municipality=nirgendwo", '<option value="nirgendwo" selected>nirgendwo</option>', "Kommune „nirgendwo“"),
    ("municipality=Stadt%20Musterstadt", '<option value="musterstadt" selected>Stadt Musterstadt</option>', None),
    ("since=2026-02-30", None, "„2026-02-30“ ist kein Datum"),
    ("until=gestern", None, "„gestern“ ist kein Datum"),
])
def test_the_search_page_shows_every_filter_it_was_given(site, query, shown, notice):
    """A link with a filter the form has no choice for (a topic or result misspelt, a town by name, a date that is
    none) showed "alle" in that field: 0 papers under filters that all said "alle", or a date silently ignored."""
    status, _, body = request(site, "GET", "/?" + query)
    page = body.decode("utf-8")
    assert status == 200
    if shown:
        assert shown in page
    if notice:
        assert notice in page and 'class="notice"' in page
    else:
        assert 'class="notice"' not in page


@pytest.mark.parametrize("target", [
    "/export.csv?since=2026-02-30", "/export.xlsx?municipality=musterstadt&until=gestern",
    "/feeds/search.atom?q=Konzept&since=0000-00-00",
])
def test_a_download_or_feed_with_a_date_that_is_none_is_400(site, target):
    """A shared download link with since=2026-02-30 gave the file of every date, without a word (a feed the same)."""
    status, headers, body = request(site, "GET", target)
    assert status == 400 and headers["Content-Type"].startswith("text/html")
    assert "ist kein Datum" in body.decode("utf-8")


def test_the_search_pages_links_leave_out_a_date_it_did_not_use(site):
    """The page ignores a date that is none (and says so); its download and feed links must give what it shows."""
    page = request(site, "GET", "/?q=Konzept&since=2026-02-30&until=2026-12-31")[2].decode("utf-8")
    assert 'href="/export.csv?q=Konzept&amp;until=2026-12-31"' in page
    assert 'href="/feeds/search.atom?q=Konzept&amp;until=2026-12-31"' in page
    assert request(site, "GET", "/export.csv?q=Konzept&until=2026-12-31")[0] == 200


@pytest.mark.parametrize("page", ["99", "99999999999999999999999"])
def test_a_page_past_the_last_shows_the_last(site, page):
    """?page=99 of 5 papers said "5 Vorlagen" and "Keine Vorlagen gefunden" on one page, with no way back."""
    body = request(site, "GET", f"/?page={page}")[2].decode("utf-8")
    assert "<strong>5</strong> Vorlagen" in body and 'id="no-results"' not in body
    assert body.count('class="paper-link"') == 5

# -- the sweep: odd values over every route -------------------------------------------------

# As they arrive on the request line (already percent-encoded where a browser would encode).
ODD_VALUES = [
    "", "%ff", "%00", "a%00b", "%C3", "Stra%C3%9Fe", "%F0%9F%98%80", "%D7%A9%D7%9C%D7%95%D7%9D%E2%80%AE", "'", "%22",
    "--", ";", "'%20OR%201=1--", "a%20AND%20(b", "*", "%22unclosed", "-x", "NOT", "x" * 10_000, "2026-02-30",
    "0000-00-00", "yesterday", "-1", "0", "99999999999999999999999", "1e9", "nan", "..%2F..%2Fserver.py", "a/b", "..",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%25", "+", "%0d%0aX-Injected:%201", "%E2%80%8B", "a" * 60_000,
]
KEYS = ["q", "municipality", "committee", "since", "until", "topic", "result", "page", "source", "id", "limit"]
NASTY = ["%ff", "%00", "'%20OR%201=1--", "99999999999999999999999", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"]
SWEEP_ROUTES = ["/", "/paper", "/export.csv", "/export.xlsx", "/feeds/search.atom"]


def assert_sane(site, method: str, target: str) -> int:
    started = time.monotonic()
    status, _, body = request(site, method, target)
    took = time.monotonic() - started
    where = f"{method} {target[:80]}"
    assert status < 500, f"{where}: {status}"
    assert b"Traceback" not in body and b'File "' not in body, where
    assert b"<script>alert" not in body, f"{where}: script echoed unescaped"
    assert took < 5, f"{where}: {took:.1f} s"
    return status


@pytest.mark.parametrize("route", SWEEP_ROUTES)
def test_odd_values_never_break_a_route(site, route):
    """Every odd value in every parameter at once, the nastiest in each alone, repeated and bare parameters."""
    for value in ODD_VALUES:
        assert_sane(site, "GET", route + "?" + "&".join(f"{key}={value}" for key in KEYS))
    for key in KEYS:
        for value in NASTY:
            assert_sane(site, "GET", f"{route}?{key}={value}")
        assert_sane(site, "GET", f"{route}?{key}=a&{key}=b&{key}=")
        assert_sane(site, "GET", f"{route}?{key}")
    assert assert_sane(site, "GET", route + "?q=" + "x" * 1_000_000) == 414  # refused at once, not searched
    assert_sane(site, "HEAD", route + "?q=%ff")


@pytest.mark.parametrize("kind", ["topic", "municipality", "committee"])
def test_odd_feed_names_are_a_feed_or_404(site, kind):
    for value in [*ODD_VALUES[:-1], "a%2Fb", "%2e%2e"]:
        assert assert_sane(site, "GET", f"/feeds/{kind}/{value}.atom") in (200, 404)
    for target in [f"/feeds/{kind}/", f"/feeds/{kind}/.atom", f"/feeds/{kind}/x/y.atom", f"/feeds/{kind}/x.rss"]:
        assert assert_sane(site, "GET", target) == 404


@pytest.mark.parametrize("target", [
    "/static/../server.py", "/static/%2e%2e/server.py", "/static/..%2fserver.py", "/static/%2e%2e%2fserver.py",
    "/static/..%5cserver.py", "/static/../templates/base.html", "/static/../../web/server.py", "/static/.",
    "/static/", "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/style.css%00", "/static/%ff",
    "/../../etc/passwd", "/%ff", "/%00", "/export.parquet", "/export.", "/paper/..",
])
def test_nothing_outside_the_static_folder_is_served(site, target):
    status, _, body = request(site, "GET", target)
    assert status == 404, target
    assert b"import" not in body and b"root:" not in body and b"{%" not in body


@pytest.mark.parametrize("content", ["empty", "garbage", "truncated", "directory"])
def test_a_file_that_is_no_warehouse_is_503_on_every_route(tmp_path, warehouse, content):
    """A publish copied in place (half a file), an empty or foreign file at the path: an answer, never a 5xx crash."""
    path = tmp_path / "w.duckdb"
    if content == "directory":
        path.mkdir()
    else:
        data = {"empty": b"", "garbage": b"not a database " * 100, "truncated": warehouse.read_bytes()[:300_000]}
        path.write_bytes(data[content])
    with WebServer(path) as server:
        for target in ["/", "/paper?source=musterstadt&id=1", "/export.csv", "/export.xlsx",
                       "/feeds/topic/integration.atom"]:
            status, _, body = request(server, "GET", target)
            assert status == 503 and b"Traceback" not in body, target
        assert request(server, "GET", "/static/style.css")[0] == 200


def test_a_connection_that_sends_nothing_is_closed_and_the_site_keeps_answering(warehouse, monkeypatch):
    # Each connection holds a thread: clients that connect and never send a request must not hold them for ever.
    import flows.web.server

    monkeypatch.setattr(flows.web.server, "REQUEST_TIMEOUT", 0.5)
    with WebServer(warehouse) as server:
        host, port = server.server.server_address[:2]
        idle = [socket.create_connection((host, port), timeout=10) for _ in range(5)]
        try:
            started = time.monotonic()
            for sock in idle:
                assert sock.recv(1) == b""  # the server closed it (a timeout here raises instead)
            assert time.monotonic() - started < 5
            assert request(server, "GET", "/")[0] == 200
        finally:
            for sock in idle:
                sock.close()


def test_a_post_that_never_sends_its_declared_body_gets_its_405_after_the_timeout(warehouse, monkeypatch):
    # The body a refused request declares is read before the answer: one that never comes must not hold the thread.
    import flows.web.server

    monkeypatch.setattr(flows.web.server, "REQUEST_TIMEOUT", 0.5)
    with WebServer(warehouse) as server:
        host, port = server.server.server_address[:2]
        with socket.create_connection((host, port), timeout=10) as sock:
            sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nq=only-the-start")
            started = time.monotonic()
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        assert data.startswith(b"HTTP/1.0 405") and b"nicht erlaubt" in data
        assert time.monotonic() - started < 5
        assert request(server, "GET", "/")[0] == 200
