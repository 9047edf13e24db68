"""The raw page store: atomic, cheap (no fsync) writes, and torn copies never served."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
