"""Print what compressing a page for the raw store costs: the store's own deflate against zlib's.

    .venv/bin/python tests/benchmarks/bench_raw_store.py [--rounds 5]

Reads every page of the corpus (``../shared/corpus``: its HTML, JSON and XML
files, i.e. the pages of ALLRIS classic and 4, SessionNet and the other systems
and the OParl objects; not the PDFs and not the Karlsruhe export's dumps) into
memory, then times, in one process
and on the same bodies:

* ``raw store``: ``schemas.raw_store.pack_member``, the gzip member a crawl
  appends to its pack for every fetched body (Intel's ISA-L deflate through
  ``isal`` when it is installed, at ``COMPRESS_LEVEL``);
* ``zlib level 3``: the same member built with Python's ``zlib`` at level 3,
  what the raw store used before.

Prints megabytes of bodies per CPU second and the bodies' size against their
members' (the compression ratio) for both. Each member is checked to
decompress with ``zlib`` to its body: the packs stay plain gzip whatever
wrote them. Times are CPU time of this process, best of ``--rounds``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
import zlib
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

from schemas import raw_store  # noqa: E402
from schemas.raw_store import pack_member, read_member_head  # noqa: E402
from tests.conftest import corpus_path  # noqa: E402

PAGE_SUFFIXES = {".html", ".json", ".xml"}


def zlib_member(body: bytes, sha256: str) -> bytes:
    """Return the member ``pack_member`` builds, deflated by zlib at level 3 (the raw store before ISA-L)."""
    return pack_member(body, sha256, 3, zlib)


def time_members(build, bodies: list[tuple[bytes, str]], rounds: int) -> tuple[float, int]:
    """Return (best CPU seconds, total member bytes) of building every body's member."""
    best, size = float("inf"), 0
    for _ in range(rounds):
        start = time.process_time()
        members = [build(body, digest) for body, digest in bodies]
        best = min(best, time.process_time() - start)
        size = sum(map(len, members))
    for (body, digest), member in zip(bodies, members):
        head = read_member_head(member)
        assert head == (digest, len(member)), f"{digest}: not a whole raw store member"
        assert zlib.decompress(member, 16 + zlib.MAX_WBITS) == body, f"{digest}: does not decompress to its body"
    return best, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    corpus = corpus_path()
    if not corpus.is_dir():
        raise SystemExit(f"corpus not found at {corpus} (set RATSINFO_CORPUS)")
    paths = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES
                   and "oparl-karlsruhe" not in p.parts)
    bodies = [(body, hashlib.sha256(body).hexdigest()) for body in (p.read_bytes() for p in paths) if body]
    total = sum(len(body) for body, _ in bodies)
    deflate = getattr(raw_store._deflate, "__name__", "zlib").rsplit(".", 1)[-1]
    print(f"{len(bodies)} corpus pages, {total / 1e6:.1f} MB; the raw store deflates with {deflate} "
          f"at level {raw_store.COMPRESS_LEVEL}")
    rows = {"raw store": time_members(pack_member, bodies, args.rounds),
            "zlib level 3": time_members(zlib_member, bodies, args.rounds)}
    for name, (cpu, size) in rows.items():
        print(f"  {name:13s} {total / 1e6 / cpu:8.1f} MB per CPU second   ratio {total / size:5.2f}")
    (ours, ours_size), (old, old_size) = rows["raw store"], rows["zlib level 3"]
    print(f"  raw store against zlib level 3: {old / ours:.1f}x faster, members {ours_size / old_size:.3f}x the size")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
