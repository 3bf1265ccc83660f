"""Every page a crawl fetched is in the raw store, whole, and logged once in pages.jsonl."""

from __future__ import annotations

import gzip
import json
import sqlite3
import subprocess

from flows.demo_site import DEMO_SOURCES, serve_demo
from schemas.raw_store import RawStore
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
    for page in pages:
        path = store.path_for(page["sha256"])
        body = gzip.decompress(path.read_bytes())  # a whole gzip file, not one cut short
        assert len(body) == page["bytes"]
        assert store.get(page["sha256"]) == body
    assert not list((tmp_path / "raw").rglob("*.tmp"))  # no temporary file left behind
    # Each page the frontier calls done has its body stored under the sha256 its items were read from.
    con = sqlite3.connect(frontier_path(staging))
    done = {url for (url,) in con.execute("SELECT url FROM request WHERE state = 'done'")}
    con.close()
    assert done <= {page["requestUrl"] for page in pages}
    manifest = json.loads(staging.manifest_path.read_text())
    assert manifest["status"] == "finished" and manifest["urls"]["loaded"] == len(done)
