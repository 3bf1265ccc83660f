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


COMPRESS_LEVEL = 3  # HTML: within a few % of level 6's size at about the speed of level 1


class RawStore:
    def __init__(self, data_dir: Path):
        self.root = data_dir / "raw"
        self._folders: set[str] = set()  # the two-letter folders known to exist

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.gz"

    def put(self, body: bytes) -> str:
        """Store ``body`` (if not yet stored) and return its SHA-256."""
        digest = hashlib.sha256(body).hexdigest()
        path = self.path_for(digest)
        if not path.exists():
            if digest[:2] not in self._folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._folders.add(digest[:2])
            # Written whole under a temporary name and renamed: a killed process leaves no cut-short file.
            # mtime=0: the same body always gives the same file.
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(gzip.compress(body, COMPRESS_LEVEL, mtime=0))
            tmp.replace(path)
        return digest

    def get(self, sha256: str) -> bytes:
        """Return the body stored under ``sha256``."""
        with gzip.open(self.path_for(sha256), "rb") as fh:
            return fh.read()
