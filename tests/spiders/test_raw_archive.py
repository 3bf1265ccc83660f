"""Every page a crawl fetched is in the raw store, whole, and logged once in pages.jsonl."""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
import subprocess

from flows.demo_site import DEMO_SOURCES, serve_demo
from schemas.raw_store import RawStore, location_of
from schemas.staging import StagingArea
from spiders.frontier import frontier_path
from tests.conftest import PROJECT_ROOT
from tests.sites.common import crawl_command


def test_every_fetched_page_is_stored_whole_and_logged_once(tmp_path):
    source = next(s for s in DEMO_SOURCES if s.slug == "beispielhausen")
    with serve_demo() as server:
        result = subprocess.run(
            crawl_command(source=source.slug, base_url=source.base_url(server.base_url), system=source.system,
                          months="2026-09..2026-11", data_dir=tmp_path, crawl_id="raw"),
            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180)
        fetched = [path for _method, path in server.requests.entries()]  # robots.txt is kept too
    assert result.returncode == 0, result.stderr[-3000:]
    staging = StagingArea(tmp_path, "raw")
    pages = list(staging.read_pages())
    assert len(pages) == len(fetched) > 20  # one line per response, none lost, none twice
    store = RawStore(tmp_path)
    (pack,) = (tmp_path / "raw" / "packs").iterdir()  # one pack for the crawl's process
    bodies = gzip.decompress(pack.read_bytes())  # a plain gzip file: every member whole, none cut short
    assert len(bodies) == sum(page["bytes"] for page in {p["sha256"]: p for p in pages}.values())
    for page in pages:
        body = store.get(page["sha256"], location_of(page))
        assert len(body) == page["bytes"] and hashlib.sha256(body).hexdigest() == page["sha256"]
        assert store.get(page["sha256"]) == body  # found by the index the crawl wrote when it closed
    # Each page the frontier calls done has its body stored under the sha256 its items were read from.
    con = sqlite3.connect(frontier_path(staging))
    done = {url for (url,) in con.execute("SELECT url FROM request WHERE state = 'done'")}
    con.close()
    assert done <= {page["requestUrl"] for page in pages}
    manifest = json.loads(staging.manifest_path.read_text())
    assert manifest["status"] == "finished" and manifest["urls"]["loaded"] == len(done)


def test_what_is_wrong_with_an_answer_itself_is_logged_with_its_page(tmp_path):
    """An answer cut short (kept when DOWNLOAD_FAIL_ON_DATALOSS is off) or not decodable says so in pages.jsonl:
    a re-parse of the raw store records it as failed again instead of reading it as the page."""
    from scrapy import Request
    from scrapy.http import HtmlResponse

    from spiders.middlewares import DECODING_ERROR
    from spiders.raw_archive import RawArchiveMiddleware

    archive = RawArchiveMiddleware(tmp_path, "flags")
    url = "https://ris.example.de/bi/vo020.asp?VOLFDNR="
    cut = Request(url + "1")
    archive.process_response(cut, HtmlResponse(cut.url, body=b"<html><body>Betr", flags=["dataloss"]), None)
    garbled = Request(url + "2", meta={DECODING_ERROR: "Content-Encoding gzip: BadGzipFile: Not a gzipped file"})
    archive.process_response(garbled, HtmlResponse(garbled.url, body=b"\x1f\x8b\x08\x00garbage"), None)
    whole = Request(url + "3")
    archive.process_response(whole, HtmlResponse(whole.url, body=b"<html><body>Betreff</body></html>"), None)
    archive.spider_closed(None)

    pages = {p["url"][-1]: p for p in StagingArea(tmp_path, "flags").read_pages()}
    assert (pages["1"].get("truncated"), pages["1"].get("decodingError")) == (True, None)
    assert (pages["2"].get("truncated"), pages["2"].get("decodingError")) == (
        None, "Content-Encoding gzip: BadGzipFile: Not a gzipped file")
    assert "truncated" not in pages["3"] and "decodingError" not in pages["3"]
