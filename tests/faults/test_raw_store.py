"""Faults of the raw store: a crawl killed while it appends a body to its pack."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from schemas.raw_store import RawStore
from tests.conftest import PROJECT_ROOT

KILLED = """
import os, sys
from pathlib import Path
from schemas.raw_store import RawStore
store = RawStore(Path(sys.argv[1]), "killed")
for i in range(3):
    store.put(b"<html>%d</html>" % i * 500)
store._fh.write(b"\\x1f\\x8b\\x08\\x0c cut short")  # a member cut short by the kill
store._fh.flush()
os._exit(9)  # no close: nothing indexed
"""


@pytest.mark.fault(kind="crawl killed while writing a raw body", outcome="ok")
def test_a_killed_crawls_pack_is_indexed_by_the_next_reader_up_to_its_last_whole_body(tmp_path, caplog):
    result = subprocess.run([sys.executable, "-c", KILLED, str(tmp_path)], cwd=PROJECT_ROOT, timeout=60)
    assert result.returncode == 9
    reader = RawStore(tmp_path)
    for i in range(3):
        body = b"<html>%d</html>" % i * 500
        assert reader.get(hashlib.sha256(body).hexdigest()) == body
    assert "no whole member" in caplog.text
    with pytest.raises(FileNotFoundError):
        reader.get("0" * 64)
    reader.close()
    again = RawStore(tmp_path, "next")  # indexed now: a later crawl does not store them again
    assert again.store(b"<html>0</html>" * 500)[1].pack == "killed-1.gz"
    again.close()
