"""Opening the warehouse: readers never block the loader, the loader never breaks readers.

The warehouse people read is ``data/ratsinfo.duckdb``, a published snapshot:

* **Readers** (``export``, ``search``, ``changes``, analysts) use
  ``open_reader(db_path)``: a read-only connection. DuckDB lets any number of
  read-only connections share a file, but none while a process writes it,
  so the loader never writes this file in place.
* **The writer** (``load``, ``crawl``, the nightly run) uses
  ``open_writer(db_path)``: it takes the writer lock ``<db>.lock`` (waiting,
  bounded by ``RATSINFO_LOCK_WAIT`` seconds, default 600, with a message every
  few seconds, for another load to finish), copies the snapshot to its
  working file ``<db>.work``, loads there, and publishes by checkpointing the
  working file and ``os.replace``-ing it over the snapshot. A reader that
  holds the old file keeps reading the old data (the old inode lives until it
  closes it); readers that open the file afterwards see the new data.
  Nothing is published if the writing connection broke: the snapshot stays
  as it was and the staged crawls can be loaded again.

Analysts who want to read during a load open the snapshot read-only, for
example ``duckdb -readonly data/ratsinfo.duckdb``, or in Python
``pipelines.warehouse.db.open_reader``. Opening it read-write (``duckdb data/ratsinfo.duckdb``)
also works but anything written there is lost at the next publish.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import logging
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Callable, Iterator

import duckdb

from schemas.env import env_number
from schemas.warehouse import create_schema

logger = logging.getLogger(__name__)


def remember_missing_pandas() -> None:
    """Record pandas as not installed, once, where it is not, so DuckDB stops looking for it.

    DuckDB's Python client tries ``import pandas`` on every ``execute`` with parameters. Python
    caches no failed import, so without pandas each try searched every folder of ``sys.path``
    again, and a load runs hundreds of such statements. ``None`` in ``sys.modules`` is Python's own mark for
    "cannot be imported": the try fails at once, as it would have failed slowly. Where pandas is
    installed nothing changes.
    """
    if "pandas" not in sys.modules and importlib.util.find_spec("pandas") is None:
        sys.modules["pandas"] = None  # type: ignore[assignment]


remember_missing_pandas()

DEFAULT_DB = Path("data") / "ratsinfo.duckdb"
DEFAULT_LOCK_WAIT = 600.0
MESSAGE_EVERY = 5.0


def lock_wait_from_env() -> float:
    """Return how long a writer waits for the lock (``RATSINFO_LOCK_WAIT`` seconds, default 600)."""
    return env_number("RATSINFO_LOCK_WAIT", DEFAULT_LOCK_WAIT, minimum=0, what="a number of seconds")


class WarehouseBusy(RuntimeError):
    """The warehouse stayed locked longer than the wait allowed."""


def _say(message: str) -> None:
    logger.warning(message)
    print(f"ratsinfo: {message}", file=sys.stderr, flush=True)


def _retry_locked(opener: Callable[[], duckdb.DuckDBPyConnection], what: str, wait: float) -> duckdb.DuckDBPyConnection:
    """Call ``opener`` until DuckDB's file lock lets it through, at most ``wait`` seconds."""
    start = last = time.monotonic()
    while True:
        try:
            return opener()
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            now = time.monotonic()
            if now - start >= wait:
                raise WarehouseBusy(f"{what} is locked by another process (waited {wait:.0f} s): {exc}") from exc
            if now - last >= MESSAGE_EVERY or last == start:
                _say(f"{what} is locked by another process; waiting (up to {wait:.0f} s, RATSINFO_LOCK_WAIT)")
                last = now
            time.sleep(0.2)


# DuckDB installs a known extension from extensions.duckdb.org when a file needs one (a SQLite file at
# the warehouse's path asks for sqlite_scanner): ratsinfo fetches nothing but its sources' pages.
NO_DOWNLOADS = {"autoinstall_known_extensions": False}


def _refuse_sqlite(db_path: Path) -> None:
    """Raise DuckDB's IOException for a SQLite file (DuckDB would ask for its sqlite extension instead)."""
    try:
        with db_path.open("rb") as fh:
            head = fh.read(16)
    except OSError:  # absent, a folder …: DuckDB says what it is
        return
    if head == b"SQLite format 3\x00":
        raise duckdb.IOException(f'The file "{db_path}" is a SQLite database, not a DuckDB file')


def open_reader(db_path: Path | str = DEFAULT_DB, wait: float | None = None) -> duckdb.DuckDBPyConnection:
    """Return a read-only connection to the published warehouse (what every read command uses)."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"no warehouse at {db_path}; run `ratsinfo crawl` or `ratsinfo run` first")
    _refuse_sqlite(db_path)
    return _retry_locked(
        lambda: duckdb.connect(str(db_path), read_only=True, config=NO_DOWNLOADS), str(db_path), lock_wait_from_env() if wait is None else wait
    )


# The storage format a new warehouse file is written in. DuckDB writes files any version since 0.10.2 can read
# unless told otherwise, and so leaves out the compression of later versions; with the format of the version
# ratsinfo pins, a load's commit costs markedly less for a file of the same size (tests/benchmarks/bench_load.py).
# Reading the file then needs DuckDB 1.5.0 or newer. A file keeps the format it was created with.
STORAGE_VERSION = "v1.5.0"


def connect_writable(db_path: Path | str, wait: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open this very file read-write (waiting for DuckDB's lock), creating it and its schema if needed."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    config = {"storage_compatibility_version": STORAGE_VERSION, **NO_DOWNLOADS}
    _refuse_sqlite(db_path)
    con = _retry_locked(lambda: duckdb.connect(str(db_path), config=config), str(db_path),
                        lock_wait_from_env() if wait is None else wait)
    create_schema(con)
    return con


@contextlib.contextmanager
def writer_lock(db_path: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the exclusive writer lock ``<db>.lock``, waiting for another writer at most ``wait`` seconds."""
    wait = lock_wait_from_env() if wait is None else wait
    path = db_path.with_name(db_path.name + ".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as fh:
        start = last = time.monotonic()
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                now = time.monotonic()
                if now - start >= wait:
                    raise WarehouseBusy(f"another load holds {path} (waited {wait:.0f} s)") from None
                if now - last >= MESSAGE_EVERY or last == start:
                    _say(f"another load is writing {db_path}; waiting (up to {wait:.0f} s, RATSINFO_LOCK_WAIT)")
                    last = now
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def working_path(db_path: Path) -> Path:
    """Return the loader's working file for a published warehouse."""
    return db_path.with_name(db_path.name + ".work")


@contextlib.contextmanager
def open_writer(db_path: Path | str = DEFAULT_DB, wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a working copy of the warehouse; publish it over ``db_path`` when done.

    What the connection committed is published also when the block raises
    (each load is its own transaction), unless the connection itself broke.
    """
    db_path = Path(db_path)
    work = working_path(db_path)
    with writer_lock(db_path, wait):
        for stale in (work, work.with_name(work.name + ".wal")):
            stale.unlink(missing_ok=True)  # left by a writer that was killed
        if db_path.with_name(db_path.name + ".wal").exists():
            # Written in place (pipelines.warehouse.load.connect): fold its log in before copying.
            connect_writable(db_path, wait).close()
        if db_path.exists():
            shutil.copyfile(db_path, work)
        try:
            con = connect_writable(work, wait)
        except BaseException:  # not a DuckDB file …: no copy left behind
            work.unlink(missing_ok=True)
            raise
        try:
            yield con
        except BaseException:
            _publish_if_healthy(con, work, db_path)
            raise
        else:
            publish(con, work, db_path)


def publish(con: duckdb.DuckDBPyConnection, work: Path, db_path: Path) -> None:
    """Checkpoint and close the working connection, then swap the working file in as ``db_path``."""
    con.execute("CHECKPOINT")
    con.close()
    wal = work.with_name(work.name + ".wal")
    if wal.exists() and wal.stat().st_size:
        raise RuntimeError(f"{wal} still holds changes after a checkpoint; not publishing")
    wal.unlink(missing_ok=True)
    with work.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(work, db_path)
    logger.info("published %s", db_path)


def _publish_if_healthy(con, work: Path, db_path: Path) -> None:
    try:
        with contextlib.suppress(duckdb.TransactionException):
            con.execute("ROLLBACK")  # a transaction the failing block left open
        publish(con, work, db_path)
    except duckdb.Error as exc:
        _say(f"not publishing {db_path}: the working copy is unusable ({exc}); the snapshot is unchanged")
        with contextlib.suppress(duckdb.Error):
            con.close()
        work.unlink(missing_ok=True)
