"""Step outputs: written atomically and durably; an unchanged output is not written again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ufc_pipeline.processed import ProcessedStore


def test_write_read_and_skip_an_equal_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ProcessedStore(tmp_path)
    payload = {"letter": "a", "rows": [{"name": "José Aldo", "wins": 31}], "b": None}
    path = store.write("fighters_list", "a", payload)
    assert store.read("fighters_list", "a") == payload
    assert "José" in path.read_text(encoding="utf8")  # not escaped
    inode = path.stat().st_ino
    syncs: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: syncs.append(fd) or real(fd))
    store.write("fighters_list", "a", dict(reversed(payload.items())))  # same content
    assert syncs == [] and path.stat().st_ino == inode
    store.write("fighters_list", "a", {**payload, "b": 1})  # changed: replaced, synced
    assert store.read("fighters_list", "a")["b"] == 1
    assert path.stat().st_ino != inode and len(syncs) == 2
    assert store.letters("fighters_list") == ["a"]
    with pytest.raises(ValueError):
        store.path("fighters_list", "aa")
