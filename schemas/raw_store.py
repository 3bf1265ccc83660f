"""The raw store: every fetched body, gzip-compressed, under its SHA-256.

``<data>/raw/ab/abcdef….gz``. Identical bodies are stored once, whatever URL
or crawl fetched them; which URL gave which body when is recorded in the
crawl's ``pages.jsonl``. Parsing can therefore be repeated without the network.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path


class RawStore:
    def __init__(self, data_dir: Path):
        self.root = data_dir / "raw"

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.gz"

    def put(self, body: bytes) -> str:
        """Store ``body`` (if not yet stored) and return its SHA-256."""
        digest = hashlib.sha256(body).hexdigest()
        path = self.path_for(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with gzip.open(tmp, "wb", compresslevel=6) as fh:
                fh.write(body)
            tmp.replace(path)
        return digest

    def get(self, sha256: str) -> bytes:
        """Return the body stored under ``sha256``."""
        with gzip.open(self.path_for(sha256), "rb") as fh:
            return fh.read()
