"""The staging area: one folder per crawl, written while the crawl runs.

Layout under ``<data>/staging/<crawl id>/``::

    crawl.json       what was crawled, when, how it ended, its statistics, the item
                     fields its items were staged with (``itemFields``: ``schemas.items.ITEM_FIELDS``)
                     and, once a writer that wrote items.jsonl from its first line has closed
                     it, the keys its lines hold (``stagedKeys``) and the file's size then
                     (``stagedKeysBytes``): a file of another size has keys nobody listed
    items.jsonl      every item the spiders yielded, one JSON object per line
                     (``Item.to_staged``: its ``type`` and the fields that hold a value)
    pages.jsonl      every fetched page: url, time, status, sha256 of the raw body, the URL
                     the crawl asked for when a redirect led here (``redirectedFrom``), and
                     what is wrong with the answer itself (``truncated``: shorter than its
                     Content-Length; ``decodingError``: its Content-Encoding did not decode)
    failures.jsonl   pages that could not be fetched or parsed (kept in the raw store), and
                     requests refused; each record's ``outcome`` is "failed" or "refused"
    frontier.sqlite  every request the crawl planned and how it ended (``spiders.frontier``),
                     so a crawl killed at any moment can be resumed

The raw bodies themselves live in the content-addressed store ``<data>/raw/``
(see ``schemas.raw_store``). A crawl only ever appends; the load step reads
a crawl's folder and merges it into the warehouse. A line cut short by a
crash is skipped by the reader, never fatal. Every line is flushed to the
operating system as it is written, so a killed process loses nothing it
wrote; files are fsync'd when the crawl closes and by ``JsonlWriter.sync``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator


logger = logging.getLogger(__name__)

def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def new_crawl_id(source: str, now: dt.datetime | None = None) -> str:
    """Return a sortable, file-name-safe id for a new crawl of ``source``."""
    stamp = (now or utcnow()).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{re.sub(r'[^a-z0-9-]+', '-', source.lower()).strip('-')}"


@dataclass(frozen=True)
class StagingArea:
    """The folders of one crawl."""

    data_dir: Path
    crawl_id: str

    @property
    def path(self) -> Path:
        return self.data_dir / "staging" / self.crawl_id

    @property
    def manifest_path(self) -> Path:
        return self.path / "crawl.json"

    @property
    def items_path(self) -> Path:
        return self.path / "items.jsonl"

    @property
    def pages_path(self) -> Path:
        return self.path / "pages.jsonl"

    @property
    def failures_path(self) -> Path:
        return self.path / "failures.jsonl"

    def create(self) -> "StagingArea":
        self.path.mkdir(parents=True, exist_ok=True)
        return self

    def read_manifest(self) -> dict[str, Any]:
        if not self.manifest_path.exists():
            return {}
        return json.loads(self.manifest_path.read_text())

    def update_manifest(self, **fields: Any) -> dict[str, Any]:
        """Merge ``fields`` into crawl.json (atomically) and return the result."""
        manifest = self.read_manifest()
        manifest.update(fields)
        tmp = self.manifest_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, default=str))
        tmp.replace(self.manifest_path)
        return manifest

    def record_staged_keys(self, keys: list[str] | None) -> None:
        """Write to the manifest the keys items.jsonl's lines hold and the file size they hold for (None: not known)."""
        size = self.items_path.stat().st_size if keys is not None and self.items_path.exists() else None
        self.update_manifest(stagedKeys=keys, stagedKeysBytes=size)

    def staged_keys(self, manifest: dict[str, Any] | None = None) -> list[str] | None:
        """Return the keys items.jsonl's lines hold, if the manifest lists them for the file as it is now, else None.

        A file that grew since (lines appended by a writer that did not list its keys) has keys nobody listed.
        """
        manifest = self.read_manifest() if manifest is None else manifest
        keys = manifest.get("stagedKeys")
        if not isinstance(keys, list):
            return None
        size = self.items_path.stat().st_size if self.items_path.exists() else None
        return keys if size is not None and manifest.get("stagedKeysBytes") == size else None

    def object_counts(self) -> dict[str, int]:
        """Return how many objects (distinct source and systemId) of each item type items.jsonl holds.

        Lines a writer wrote whole (the first ``stagedKeysBytes`` bytes: one writer wrote them from the
        file's first line and closed it) are read only as far as their systemId when they start as
        ``Item.to_staged`` writes them, and compared as written (one writer writes a value one way),
        so a crawl's summary does not parse every item it staged. Other lines are parsed whole, and a
        broken one (cut short by a kill) is skipped, as the load skips it.
        """
        manifest = self.read_manifest()
        whole = manifest.get("stagedKeysBytes") if self.staged_keys(manifest) is not None else 0
        written: dict[bytes, set[tuple[bytes, bytes]]] = {}  # the lines read as far as their systemId
        parsed: dict[str, set[tuple[str, str]]] = {}  # the lines parsed whole
        if not self.items_path.exists():
            return {}
        offset = 0
        with self.items_path.open("rb") as fh:
            for number, line in enumerate(fh, 1):
                offset += len(line)
                start = _OBJECT_KEY.match(line) if offset <= whole else None
                if start is not None:
                    written.setdefault(start[1], set()).add((start[2], start[4]))
                    continue
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except json.JSONDecodeError:
                    logger.warning("%s:%d: skipping a broken line (interrupted write?)", self.items_path, number)
                    continue
                parsed.setdefault(item["type"], set()).add((str(item.get("source")), str(item.get("systemId"))))
        counts = {kind: len(keys) for kind, keys in parsed.items()}
        for raw_kind, keys in written.items():
            kind = _json_string(raw_kind)
            if kind in parsed:
                counts[kind] = len(parsed[kind] | {(_json_string(a), _json_string(b)) for a, b in keys})
            else:
                counts[kind] = counts.get(kind, 0) + len(keys)
        return dict(sorted(counts.items()))

    def read_items(self) -> Iterator[dict[str, Any]]:
        return read_jsonl(self.items_path)

    def read_failures(self) -> Iterator[dict[str, Any]]:
        return read_jsonl(self.failures_path)

    def read_pages(self) -> Iterator[dict[str, Any]]:
        return read_jsonl(self.pages_path)


def list_crawls(data_dir: Path) -> list[StagingArea]:
    """Return the staged crawls under ``data_dir``, oldest first."""
    root = data_dir / "staging"
    if not root.is_dir():
        return []
    return [StagingArea(data_dir, p.name) for p in sorted(root.iterdir()) if (p / "crawl.json").exists()]


def jsonl_text(objs: list[dict[str, Any]]) -> str:
    """Return ``objs`` as JSON lines, as every staging file holds them."""
    return "".join(json.dumps(obj, ensure_ascii=False, default=str) + "\n" for obj in objs)


@dataclass
class StagedLines:
    """Objects already written out as JSON lines: the items of one page, as the parse worker hands them on.

    Reading a page ends in the lines its items add to ``items.jsonl``
    (``spiders.parse_worker.read_page``): made in the worker process, they
    cost the crawl's process only their writing (``JsonlWriter.write_lines``).
    """

    text: str
    keys: frozenset[str]  # every key of the objects
    counts: dict[str, int]  # objects per "type"

    @classmethod
    def of(cls, objs: list[dict[str, Any]]) -> "StagedLines":
        keys: set[str] = set()
        counts: dict[str, int] = {}
        for obj in objs:
            keys.update(obj)
            kind = obj.get("type")
            counts[kind] = counts.get(kind, 0) + 1
        return cls(jsonl_text(objs), frozenset(keys), counts)


class JsonlWriter:
    """Appends JSON objects to a file, one per line, flushed per line.

    ``listeners`` are called with each object before it is written (the
    crawl's frontier reads the failure records this way, and may complete them).
    A line cut short by an earlier crash is ended first, so it costs only itself.

    ``keys`` is every key of the objects in the file: known only when the file was
    empty when this writer opened it (else None), i.e. for a file this writer wrote whole.
    """

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = path.open("a", encoding="utf-8")
        self.keys: set[str] | None = None if self._fh.tell() else set()
        if self._fh.tell() and _last_byte(path) != b"\n":
            self._fh.write("\n")  # the previous run was killed mid-line
            self._fh.flush()
        self.listeners: list[Callable[[dict[str, Any]], None]] = []

    def write(self, obj: dict[str, Any]) -> None:
        self.write_many([obj])

    def write_many(self, objs: list[dict[str, Any]]) -> None:
        """Append several objects, flushed once (the items of one page)."""
        for listener in self.listeners:
            for obj in objs:
                listener(obj)
        self._append(jsonl_text(objs), (key for obj in objs for key in obj))

    def write_lines(self, lines: StagedLines) -> None:
        """Append objects already written out as lines, flushed once (``write_many`` of the objects they hold)."""
        if self.listeners:
            raise TypeError("a JsonlWriter with listeners is handed objects (write_many), not lines")
        self._append(lines.text, lines.keys)

    def _append(self, text: str, keys: Iterable[str]) -> None:
        self._fh.write(text)
        self._fh.flush()
        if self.keys is not None:
            self.keys.update(keys)

    def staged_keys(self) -> list[str] | None:
        """Return the sorted keys of the whole file (for the manifest's ``stagedKeys``), or None if not known."""
        return None if self.keys is None else sorted(self.keys)

    def sync(self) -> None:
        """Make what was written survive a power cut, not only a killed process."""
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        if not self._fh.closed:
            self.sync()
            self._fh.close()


def _last_byte(path: Path) -> bytes:
    with path.open("rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1)


# The start of an items.jsonl line as ``Item.to_staged`` writes it (``json.dumps``, default separators):
# its type, source, system and systemId, in that order. Each group is a JSON string's body, escapes kept.
_STRING = rb'([^"\\]*(?:\\.[^"\\]*)*)'
_OBJECT_KEY = re.compile(rb'\{"type": "' + _STRING + rb'", "source": "' + _STRING + rb'", "system": "' + _STRING
                         + rb'", "systemId": "' + _STRING + rb'"')


def _json_string(body: bytes) -> str:
    return json.loads(b'"' + body + b'"') if b"\\" in body else body.decode("utf-8")


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the objects of a JSON-lines file; a truncated or broken line is logged and skipped."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                logger.warning("%s:%d: skipping a broken line (interrupted write?)", path, number)
