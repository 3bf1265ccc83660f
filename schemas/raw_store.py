"""The raw store: every fetched body, gzip-compressed, found by its SHA-256.

Layout under ``<data>/raw/``::

    packs/<crawl id>-<n>.gz  the bodies one crawl process stored, one after another
    index.sqlite             SHA-256 -> (pack, offset, length) of the bodies in finished packs
    ab/abcdef….gz            one file per body, as earlier versions stored them (still read)

A pack is a plain multi-member gzip file (``zcat pack.gz`` prints every body in
it): each body is one gzip member whose header names the body's SHA-256 (the
FNAME field) and the member's length in bytes (extra subfield ``RS``, 8 bytes
little-endian), so a pack can be indexed by hopping from header to header. Each
crawl process appends to a pack of its own, created for it, and never to another
process's pack. A body is written and flushed before the crawl records or parses
its page; which URL gave which body when is recorded in the crawl's
``pages.jsonl`` with the body's pack, offset and length.

Identical bodies are stored once, whatever URL or crawl fetched them: a body
already in the index, in this process's pack or in the old per-file layout is
not written again. A pack's bodies enter the index when its process closes the
store. A killed crawl leaves its pack unindexed and possibly ending in a
cut-short member: the first reader that misses a body indexes such packs (up to
their last whole member; the cut-short one is logged and ignored). Its bodies
may then be stored once more by a later crawl, which costs space, never data.

Creating a file per body (folder, temporary file, rename) cost more than the
rest of the crawl's book-keeping for a page; appending to one open file does not.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import struct
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

# Intel's ISA-L deflate: gzip members within a few % of zlib level 3's size for a fraction of its
# processor time (tests/benchmarks/bench_raw_store.py prints both).
try:
    from isal import isal_zlib as _deflate
    COMPRESS_LEVEL = 2  # ISA-L's levels are 0-3
except ImportError:  # pragma: no cover - no wheel for this platform: the same format from zlib
    _deflate = zlib  # type: ignore[assignment]
    COMPRESS_LEVEL = 3  # HTML: within a few % of level 6's size at about the speed of level 1

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows: a pack being written may then be indexed early
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

# Fixed part of a member header: magic, deflate, flags FEXTRA|FNAME, mtime 0, no extra flags, OS unknown.
_HEADER = b"\x1f\x8b\x08\x0c\x00\x00\x00\x00\x00\xff"
_EXTRA = struct.Struct("<H2sHQ")  # XLEN, subfield id "RS", subfield length 8, member length
_NAME_BYTES = 65  # 64 hex digits and the terminating NUL
_HEAD_BYTES = len(_HEADER) + _EXTRA.size + _NAME_BYTES
# Created in the transaction that first writes to the index: one commit (one set of syncs), not three.
_SCHEMA = (
    'CREATE TABLE IF NOT EXISTS body (sha256 TEXT PRIMARY KEY, pack TEXT NOT NULL, "offset" INTEGER NOT NULL,'
    " length INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS pack (name TEXT PRIMARY KEY, bodies INTEGER NOT NULL, note TEXT)",
)

# root -> sha256 -> location of the bodies this process wrote: readers in the process (the documents
# stage's text pipeline) find them before their pack is indexed.
_WRITTEN: dict[Path, dict[str, "Location"]] = {}


@dataclass(frozen=True)
class Location:
    """Where a body is: a member of a pack (its file name under ``raw/packs``, offset and length)."""

    pack: str
    offset: int
    length: int


def location_of(page: dict) -> Location | None:
    """Return where a ``pages.jsonl`` record says its body is, or None when it does not say."""
    if page.get("rawPack") is None:
        return None
    return Location(page["rawPack"], int(page["rawOffset"]), int(page["rawLength"]))


def pack_member(body: bytes, sha256: str, level: int = COMPRESS_LEVEL, deflate=_deflate) -> bytes:
    """Return ``body`` as one gzip member that names its SHA-256 and its own length.

    ``deflate`` is a module with zlib's ``compressobj`` and ``crc32`` (the benchmark passes ``zlib``).
    """
    compressor = deflate.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    data = compressor.compress(body) + compressor.flush()
    length = _HEAD_BYTES + len(data) + 8
    return b"".join((_HEADER, _EXTRA.pack(12, b"RS", 8, length), sha256.encode("ascii"), b"\0", data,
                     struct.pack("<II", deflate.crc32(body), len(body) & 0xFFFFFFFF)))


def read_member_head(head: bytes) -> tuple[str, int] | None:
    """Return (sha256, member length) from the first bytes of a pack member, or None when they are not one."""
    if len(head) < _HEAD_BYTES or not head.startswith(_HEADER):
        return None
    xlen, subfield, sublen, length = _EXTRA.unpack_from(head, len(_HEADER))
    name = head[len(_HEADER) + _EXTRA.size:_HEAD_BYTES]
    if xlen != 12 or subfield != b"RS" or sublen != 8 or name[-1:] != b"\0" or length <= _HEAD_BYTES:
        return None
    return name[:-1].decode("ascii", "replace"), length


def scan_pack(path: Path) -> tuple[list[tuple[str, Location]], str | None]:
    """Return the whole members of a pack and a note when it ends in something else (a cut-short member)."""
    found: list[tuple[str, Location]] = []
    size = path.stat().st_size
    with path.open("rb") as fh:
        offset = 0
        while offset < size:
            fh.seek(offset)
            head = read_member_head(fh.read(_HEAD_BYTES))
            if head is None or offset + head[1] > size:
                return found, f"{size - offset} bytes at offset {offset} are no whole member (an interrupted write?)"
            found.append((head[0], Location(path.name, offset, head[1])))
            offset += head[1]
    return found, None


class RawStore:
    """Writes bodies to this process's pack and reads any stored body back by its SHA-256."""

    def __init__(self, data_dir: Path, name: str = "bodies"):
        self.root = data_dir / "raw"
        self.packs = self.root / "packs"
        self.name = name  # the new pack's name starts with it (the crawl id)
        self._pack: Path | None = None
        self._fh = None
        self._offset = 0
        self._written = _WRITTEN.setdefault(self.root.resolve(), {})
        self._mine: dict[str, Location] = {}  # what this store wrote (into the index at close)
        self._index: sqlite3.Connection | None = None
        self._no_index = False  # index.sqlite was absent when first looked for (not looked for again)
        self._legacy: bool | None = None  # are there per-file bodies (two-letter folders)?
        self._scanned: set[str] = set()  # packs this store looked through for a missing body
        self._lock = threading.RLock()  # the documents stage reads bodies from a pool of threads

    # -- writing -------------------------------------------------------------
    def put(self, body: bytes) -> str:
        """Store ``body`` (if not yet stored) and return its SHA-256."""
        return self.store(body)[0]

    def store(self, body: bytes) -> tuple[str, Location | None]:
        """Store ``body`` (if not yet stored); return its SHA-256 and where it is (None: an old per-file body)."""
        digest = hashlib.sha256(body).hexdigest()
        found = self._written.get(digest)
        if found is not None:
            return digest, found
        if self._has_legacy() and self.path_for(digest).exists():
            return digest, None
        found = self._indexed(digest)
        if found is not None:
            return digest, found
        member = pack_member(body, digest)
        if self._fh is None:
            self._open_pack()
        assert self._fh is not None and self._pack is not None
        self._fh.write(member)
        self._fh.flush()  # in the operating system's hands before anyone records or parses the page
        found = Location(self._pack.name, self._offset, len(member))
        self._offset += len(member)
        self._written[digest] = found
        self._mine[digest] = found
        return digest, found

    def _open_pack(self) -> None:
        self.packs.mkdir(parents=True, exist_ok=True)
        for n in range(1, 10_000):
            path = self.packs / f"{self.name}-{n}.gz"
            try:
                fh = path.open("xb")  # a pack of its own: never appended to by another process
            except FileExistsError:
                continue
            if fcntl is not None:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX)  # readers do not index a pack still being written
            self._pack, self._fh, self._offset = path, fh, 0
            return
        raise RuntimeError(f"no free pack name for {self.name} in {self.packs}")

    def close(self) -> None:
        """Sync this process's pack and add its bodies to the index."""
        if self._fh is not None and not self._fh.closed:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            assert self._pack is not None
            self._add_to_index(self._pack.name, self._mine, None)
            self._fh.close()  # releases the lock once the index has the pack
        if self._index is not None:
            self._index.close()
            self._index = None

    # -- reading -------------------------------------------------------------
    def path_for(self, sha256: str) -> Path:
        """Return where the old per-file layout keeps ``sha256`` (bodies stored before the packs)."""
        return self.root / sha256[:2] / f"{sha256}.gz"

    def locate(self, sha256: str) -> Location | Path | None:
        """Return where the body ``sha256`` is (a pack member, or an old per-file body), or None."""
        found = self._written.get(sha256) or self._indexed(sha256)
        if found is not None:
            return found
        path = self.path_for(sha256)
        if path.exists():
            return path
        return self._index_loose_packs().get(sha256)

    def has(self, sha256: str) -> bool:
        return self.locate(sha256) is not None

    def get(self, sha256: str, location: Location | None = None) -> bytes:
        """Return the body stored under ``sha256`` (``location``: where ``pages.jsonl`` says it is)."""
        found = location if location is not None else self.locate(sha256)
        if found is None:
            raise FileNotFoundError(f"no body {sha256} in the raw store {self.root}")
        if isinstance(found, Path):
            return zlib.decompress(found.read_bytes(), 16 + zlib.MAX_WBITS)
        with (self.packs / found.pack).open("rb") as fh:
            fh.seek(found.offset)
            member = fh.read(found.length)
        head = read_member_head(member)
        if head is None or head[0] != sha256 or head[1] != len(member):
            raise FileNotFoundError(f"{found.pack} holds no body {sha256} at offset {found.offset}")
        return zlib.decompress(member, 16 + zlib.MAX_WBITS)

    # -- the index -------------------------------------------------------------
    def _has_legacy(self) -> bool:
        if self._legacy is None:
            self._legacy = self.root.is_dir() and any(
                len(p.name) == 2 and p.is_dir() for p in self.root.iterdir())
        return self._legacy

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self._index is None:
            path = self.root / "index.sqlite"
            if not create and (self._no_index or not path.exists()):
                self._no_index = True
                return None
            self.root.mkdir(parents=True, exist_ok=True)
            # Several crawls may close at once, on several machines sharing the data directory: each
            # waits for the others' one short transaction. A rollback journal, not WAL, which needs
            # shared memory and so one machine.
            self._index = sqlite3.connect(str(path), timeout=60, isolation_level=None, check_same_thread=False)
            # A commit lost to a power cut only makes a later crawl store those bodies once more.
            self._index.execute("PRAGMA synchronous=NORMAL")
        return self._index

    def _indexed(self, sha256: str) -> Location | None:
        with self._lock:
            index = self._connect(create=False)
            if index is None:
                return None
            try:
                row = index.execute('SELECT pack, "offset", length FROM body WHERE sha256 = ?', (sha256,)).fetchone()
            except sqlite3.OperationalError:  # no table yet: created by the first store that closes
                return None
        return Location(*row) if row else None

    def _add_to_index(self, pack: str, bodies: dict[str, Location], note: str | None) -> None:
        index = self._connect(create=True)
        assert index is not None
        index.execute("BEGIN IMMEDIATE")
        try:
            for statement in _SCHEMA:
                index.execute(statement)
            index.executemany('INSERT OR IGNORE INTO body (sha256, pack, "offset", length) VALUES (?, ?, ?, ?)',
                              [(sha, at.pack, at.offset, at.length) for sha, at in bodies.items()])
            index.execute("INSERT OR REPLACE INTO pack (name, bodies, note) VALUES (?, ?, ?)",
                          (pack, len(bodies), note))
            index.execute("COMMIT")
        except BaseException:
            index.execute("ROLLBACK")
            raise

    def _index_loose_packs(self) -> dict[str, Location]:
        """Index the packs no closed store indexed (a killed crawl's); return the bodies found in them."""
        if not self.packs.is_dir():
            return {}
        with self._lock:
            return self._index_loose_packs_locked()

    def _index_loose_packs_locked(self) -> dict[str, Location]:
        index = self._connect(create=True)
        assert index is not None
        try:
            known = {name for (name,) in index.execute("SELECT name FROM pack")}
        except sqlite3.OperationalError:  # no table yet
            known = set()
        found: dict[str, Location] = {}
        for path in sorted(self.packs.glob("*.gz")):
            if path.name in known or path == self._pack or path.name in self._scanned:
                continue
            with path.open("rb") as fh:
                if fcntl is not None:
                    try:
                        fcntl.flock(fh.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
                    except BlockingIOError:  # still being written by a running crawl: read, not indexed
                        found.update(scan_pack(path)[0])
                        continue
                bodies, note = scan_pack(path)
                if note:
                    logger.warning("raw store %s: %s; the %d whole bodies before it are kept", path, note, len(bodies))
                self._add_to_index(path.name, dict(bodies), note)
                self._scanned.add(path.name)
                found.update(bodies)
        return found
