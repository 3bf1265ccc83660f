"""The raw store: bodies appended to a pack per process, found again by SHA-256, stored once."""

from __future__ import annotations

import gzip
import hashlib
import zlib

import pytest

from schemas.raw_store import RawStore, location_of, scan_pack

BODIES = [b"<html>" + bytes([i]) * (1000 + 37 * i) + b"</html>" for i in range(5)]


def test_bodies_are_read_back_by_sha256_and_the_pack_is_plain_gzip(tmp_path):
    store = RawStore(tmp_path, "crawl")
    shas = [store.put(body) for body in BODIES]
    store.close()
    (pack,) = (tmp_path / "raw" / "packs").iterdir()
    assert pack.name == "crawl-1.gz"
    assert gzip.decompress(pack.read_bytes()) == b"".join(BODIES)  # zcat prints every body
    reader = RawStore(tmp_path)  # a new store finds them through the index
    assert [reader.get(sha) for sha in shas] == BODIES
    assert shas == [hashlib.sha256(body).hexdigest() for body in BODIES]
    reader.close()


def test_an_identical_body_is_stored_once_also_by_a_later_crawl(tmp_path):
    first = RawStore(tmp_path, "one")
    sha, at = first.store(BODIES[0])
    assert first.store(BODIES[0]) == (sha, at)
    first.close()
    later = RawStore(tmp_path, "two")
    assert later.store(BODIES[0]) == (sha, at)  # found in the index: not written again
    later.store(BODIES[1])
    later.close()
    sizes = {p.name: len(scan_pack(p)[0]) for p in (tmp_path / "raw" / "packs").iterdir()}
    assert sizes == {"one-1.gz": 1, "two-1.gz": 1}


def test_each_process_writes_a_pack_of_its_own(tmp_path):
    stores = [RawStore(tmp_path, "crawl"), RawStore(tmp_path, "crawl")]
    stores[0].put(BODIES[0])
    stores[1]._written.clear()  # as in another process
    stores[1].put(BODIES[0])
    for store in stores:
        store.close()
    assert sorted(p.name for p in (tmp_path / "raw" / "packs").iterdir()) == ["crawl-1.gz", "crawl-2.gz"]


def test_bodies_of_the_old_per_file_layout_are_read_and_not_stored_again(tmp_path):
    sha = hashlib.sha256(BODIES[2]).hexdigest()
    old = tmp_path / "raw" / sha[:2] / f"{sha}.gz"
    old.parent.mkdir(parents=True)
    old.write_bytes(gzip.compress(BODIES[2]))
    store = RawStore(tmp_path, "crawl")
    assert store.get(sha) == BODIES[2]
    assert store.store(BODIES[2]) == (sha, None)
    store.close()
    assert not (tmp_path / "raw" / "packs").exists()


def test_a_damaged_member_is_not_returned(tmp_path):
    store = RawStore(tmp_path, "crawl")
    sha, at = store.store(BODIES[3])
    store.close()
    pack = tmp_path / "raw" / "packs" / at.pack
    data = bytearray(pack.read_bytes())
    data[-12] ^= 0xFF  # a bit flipped in the compressed data or its checksum
    pack.write_bytes(bytes(data))
    page = {"sha256": sha, "rawPack": at.pack, "rawOffset": at.offset, "rawLength": at.length}
    with pytest.raises(zlib.error):
        RawStore(tmp_path).get(sha, location_of(page))
