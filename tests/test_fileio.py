"""Temporary files of killed writers are swept; live writers' and other files are not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ufc_pipeline.fileio import (
    atomic_write,
    file_stamp,
    read_state,
    sweep_stale_temp_files,
    write_if_changed,
    write_state,
)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_sweep_removes_only_dead_writers_temp_files(tmp_path: Path) -> None:
    dead, alive = _dead_pid(), os.getpid()
    deep = tmp_path / "processed" / "fighter_details"
    deep.mkdir(parents=True)
    stale = [deep / f".a.json.{dead}.x1.tmp", tmp_path / f".pages.sqlite.{dead}.7.tmp"]
    kept = [
        deep / f".b.json.{alive}.x2.tmp",  # a writer still running
        deep / "a.json",
        deep / "notes.tmp",  # not a temporary name of ours
        tmp_path / ".hidden",
    ]
    for p in stale + kept:
        p.write_bytes(b"x")
    atomic_write(deep / "c.json", b"{}")
    removed = sweep_stale_temp_files(tmp_path)
    assert sorted(removed) == sorted(stale)
    assert all(p.exists() for p in kept) and not any(p.exists() for p in stale)
    assert sweep_stale_temp_files(tmp_path / "missing") == []


def test_write_if_changed_writes_only_a_difference(tmp_path: Path) -> None:
    path = tmp_path / "out" / "queue.csv"
    assert write_if_changed(path, b"a,b\n") is True
    inode = path.stat().st_ino
    assert write_if_changed(path, b"a,b\n") is False and path.stat().st_ino == inode
    assert write_if_changed(path, b"a,c\n") is True and path.read_bytes() == b"a,c\n"


def test_file_stamp_changes_when_a_file_is_written_again(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    assert file_stamp(path) is None
    atomic_write(path, b"{}")
    first = file_stamp(path)
    assert first == file_stamp(path)
    atomic_write(path, b"{}")  # the same bytes, a new file (renamed over the old one)
    assert file_stamp(path) != first


def test_a_state_is_read_back_only_with_its_stamp(tmp_path: Path) -> None:
    path = tmp_path / "step_state.json"
    assert read_state(path, "s1") is None  # none yet
    write_state(path, "s1", {"fighters": 3})
    assert read_state(path, "s1") == {"fighters": 3, "stamp": "s1"}
    assert read_state(path, "s2") is None
    before = path.stat().st_mtime_ns
    write_state(path, "s1", {"fighters": 3})
    assert path.stat().st_mtime_ns == before  # unchanged: not written again
    for garbage in (b"{not json", b"[1, 2]", b""):
        path.write_bytes(garbage)
        assert read_state(path, "s1") is None
