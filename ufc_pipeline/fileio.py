"""Atomic file writes, and clean-up after a process that was killed mid-write.

Every file the pipeline writes goes to a temporary file in the same directory (named
``.<name>.<pid>.<random>.tmp``), is flushed and fsynced, then ``os.replace``-d over the
target: a reader sees the old file or the new one, never half of one. A process killed
with SIGKILL can leave its temporary file behind; ``sweep_stale_temp_files`` removes those
whose writing process is gone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

_FILE_MODE = 0o644
_TMP = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: str | Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` atomically, creating the parent directory if needed.

    ``durable=False`` skips the two fsyncs (file and directory): the replace is still
    atomic for readers and for a killed process, but after a power loss the file may be
    empty or old. For caches whose readers verify what they read (the raw page store
    checks each body against the sha256 in its metadata), that costs nothing real."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp"
    )
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if durable:
        _fsync_dir(path.parent)


def file_stamp(path: str | Path) -> list[int] | None:
    """A file's identity as long as it is not written again: inode, modification time (ns)
    and size (every file is replaced by a rename, so a new version has a new inode); None
    when there is no such file. What a step compares to tell unchanged inputs."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return [st.st_ino, st.st_mtime_ns, st.st_size]


def stamp_digest(inputs: Any, outputs: Any) -> str:
    """One digest of what a step read (its inputs' stamps, taken *before* reading them) and
    what it wrote (its outputs' stamps, taken after): a state saved with it is matched by
    the same digest of the files as they are now, and an input that changed while the step
    ran makes it differ."""
    return hashlib.sha256(json.dumps([inputs, outputs]).encode()).hexdigest()


def read_state(path: str | Path, stamp: str) -> dict[str, Any] | None:
    """A step's state file (see :func:`write_state`) when it was saved with ``stamp``; None
    when there is none, it cannot be read, or it was saved with another stamp."""
    try:
        state = json.loads(Path(path).read_text(encoding="utf8"))
    except (FileNotFoundError, ValueError):
        return None
    return state if isinstance(state, dict) and state.get("stamp") == stamp else None


def write_state(path: str | Path, stamp: str, payload: dict[str, Any]) -> None:
    """Keep ``payload`` with ``stamp`` (a :func:`stamp_digest`) in a step's state file (not
    rewritten when unchanged)."""
    write_if_changed(path, json.dumps({**payload, "stamp": stamp}, sort_keys=True).encode())


def write_if_changed(path: str | Path, data: bytes) -> bool:
    """:func:`atomic_write` unless ``path`` already holds exactly ``data`` (a re-run that
    changes nothing then writes and syncs nothing). True when the file was written."""
    path = Path(path)
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    atomic_write(path, data)
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale_temp_files(root: str | Path) -> list[Path]:
    """Remove temporary files under ``root`` left by processes that no longer run.

    Every step starts with this sweep, so it walks with ``os.walk`` (about four times
    quicker than ``Path.rglob`` over a data directory) and looks only at names that can be
    temporary files."""
    removed: list[Path] = []
    for directory, _dirs, files in os.walk(root):
        for name in files:
            if name[:1] != "." or not name.endswith(".tmp"):
                continue
            m = _TMP.match(name)
            if m and not _alive(int(m.group(1))):
                path = Path(directory, name)
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed
