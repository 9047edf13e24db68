"""The raw page store: atomic, cheap (no fsync) writes, and torn copies never served."""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest

from ufc_pipeline.sources import raw_store
from ufc_pipeline.sources.raw_store import RawStore


def _put(store: RawStore, body: bytes = b"<html>page</html>") -> Path:
    return store.put(
        "sherdog",
        "fighter",
        "65231",
        url="https://www.sherdog.com/fighter/Tom-Aspinall-65231",
        status=200,
        body=body,
        headers={"ETag": '"v1"', "Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT"},
    )


def test_put_get_round_trip(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    path = _put(store)
    page = store.get("sherdog", "fighter", "65231")
    assert page is not None and page.body == b"<html>page</html>" and page.path == path
    assert page.meta["etag"] == '"v1"' and page.meta["bytes"] == len(page.body)
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_raw_pages_are_not_fsynced_but_outputs_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append(fd) or real(fd))
    _put(RawStore(tmp_path))
    assert calls == []
    from ufc_pipeline.fileio import atomic_write

    atomic_write(tmp_path / "out.json", b"{}")
    assert len(calls) == 2  # the file and its directory


@pytest.mark.parametrize("damage", ["truncate", "other_body", "empty_meta"])
def test_torn_copy_is_not_served(tmp_path: Path, damage: str) -> None:
    store = RawStore(tmp_path)
    path = _put(store, b"<html>" + b"x" * 5000 + b"</html>")
    meta = path.with_name(path.name + ".meta.json")
    if damage == "truncate":  # a power loss after the rename, before the data hit the disk
        path.write_bytes(path.read_bytes()[:100])
    elif damage == "other_body":  # the body was replaced but its metadata never followed
        path.write_bytes(b"<html>newer</html>")
    else:
        meta.write_bytes(b"")
    assert store.get("sherdog", "fighter", "65231") is None
    _put(store, b"<html>again</html>")  # fetched again: served
    page = store.get("sherdog", "fighter", "65231")
    assert page is not None and page.body == b"<html>again</html>"


def test_put_page_is_what_get_reads(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    written = store.put_page(
        "ufcstats",
        "fighter",
        "0123456789abcdef",
        url="http://ufcstats.com/fighter-details/0123456789abcdef",
        status=200,
        body=b"<html>f</html>",
        headers={"ETag": '"e"', "Content-Type": "text/html"},
    )
    read = RawStore(tmp_path).get("ufcstats", "fighter", "0123456789abcdef")
    assert read == written
    assert (read.meta["etag"], read.meta["content_type"]) == ('"e"', "text/html")


def test_writes_survive_a_removed_directory_and_ignore_the_umask(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    _put(store)
    shutil.rmtree(tmp_path / "sherdog")  # removed under a running store (make clean)
    old = os.umask(0o077)
    try:
        path = _put(store, b"<html>again</html>")
    finally:
        os.umask(old)
    assert store.get("sherdog", "fighter", "65231").body == b"<html>again</html>"
    assert (path.stat().st_mode & 0o777) == 0o644
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_a_leftover_temp_name_is_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A temporary file left by a killed process that had our pid is stepped around."""
    store = RawStore(tmp_path)
    _put(store)
    monkeypatch.setattr(raw_store, "_TMP_SEQ", itertools.count(7))
    body = store.body_path("sherdog", "fighter", "65231")
    stale = body.with_name(f".{body.name}.{os.getpid()}.7.tmp")
    stale.write_bytes(b"half")
    _put(store, b"<html>new</html>")
    assert store.get("sherdog", "fighter", "65231").body == b"<html>new</html>"
    assert stale.read_bytes() == b"half"  # left for the sweep of stale temp files


def test_an_unchanged_body_is_not_written_again(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    path = _put(store)
    before = store.get("sherdog", "fighter", "65231")
    inode = path.stat().st_ino
    again = store.put_page(
        "sherdog",
        "fighter",
        "65231",
        url="https://www.sherdog.com/fighter/Tom-Aspinall-65231",
        status=200,
        body=b"<html>page</html>",
        headers={"ETag": '"v2"'},
        previous=before,
    )
    assert path.stat().st_ino == inode  # the body file was left alone
    assert store.get("sherdog", "fighter", "65231") == again
    assert again.meta["etag"] == '"v2"'  # the metadata was written
    changed = store.put_page(
        "sherdog", "fighter", "65231", url="u", status=200, body=b"<html>new</html>", previous=again
    )
    assert path.read_bytes() == b"<html>new</html>" and store.get("sherdog", "fighter", "65231")
    assert changed.meta["sha256"] != again.meta["sha256"]
