"""The raw page store: one SQLite file, a page and its metadata in one transaction, cheap
writes (no fsync per page), pages of earlier versions' file layout still read, and torn
copies of those never served."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import sqlite3
from pathlib import Path

import pytest

from ufc_pipeline.sources.raw_store import DB_NAME, RawStore


def _put(store: RawStore, body: bytes = b"<html>page</html>", key: str = "65231"):
    return store.put(
        "sherdog",
        "fighter",
        key,
        url="https://www.sherdog.com/fighter/Tom-Aspinall-65231",
        status=200,
        body=body,
        headers={"ETag": '"v1"', "Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT"},
    )


def test_put_get_round_trip(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    written = _put(store)
    page = store.get("sherdog", "fighter", "65231")
    assert page is not None and page.body == b"<html>page</html>" and page == written
    assert page.meta["etag"] == '"v1"' and page.meta["bytes"] == len(page.body)
    assert page.meta["sha256"] == hashlib.sha256(page.body).hexdigest()
    assert store.get("sherdog", "fighter", "1") is None
    assert store.get("sherdog", "fighter", "65231", ext="json") is None
    # one file for every page, no file per page
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file())[0] == DB_NAME
    assert not [p for p in tmp_path.rglob("*.html")]


def test_pages_are_logged_without_a_sync_per_page(tmp_path: Path) -> None:
    """WAL with synchronous=NORMAL: a commit appends to the log and is not synced (the
    log is synced at checkpoints); the file is never left inconsistent."""
    store = RawStore(tmp_path)
    for n in range(50):
        _put(store, b"<html>" + str(n).encode() * 1000 + b"</html>", key=str(n))
    db = store._db()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert (tmp_path / f"{DB_NAME}-wal").exists()
    assert store.count("sherdog", "fighter") == 50 and store.count("ufcstats") == 0


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
    assert RawStore(tmp_path).meta("ufcstats", "fighter", "0123456789abcdef") == written.meta


def test_an_unchanged_body_keeps_its_row_and_new_metadata(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    _put(store)
    before = store.get("sherdog", "fighter", "65231")
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
    assert store.get("sherdog", "fighter", "65231") == again
    assert again.meta["etag"] == '"v2"'  # the metadata was written
    changed = store.put_page(
        "sherdog", "fighter", "65231", url="u", status=200, body=b"<html>new</html>", previous=again
    )
    assert store.get("sherdog", "fighter", "65231").body == b"<html>new</html>"
    assert changed.meta["sha256"] != again.meta["sha256"]
    assert store.count() == 1


def test_touch_records_a_revalidation(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    _put(store)
    assert store.get("sherdog", "fighter", "65231").meta["validated_at"] is None
    store.touch("sherdog", "fighter", "65231")
    assert store.get("sherdog", "fighter", "65231").meta["validated_at"]


def test_the_store_survives_a_removed_directory(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    _put(store)
    store.close()
    for p in (tmp_path / "raw").iterdir():  # removed under a stopped store (make clean)
        p.unlink()
    (tmp_path / "raw").rmdir()
    assert store.get("sherdog", "fighter", "65231") is None
    _put(store, b"<html>again</html>")
    assert store.get("sherdog", "fighter", "65231").body == b"<html>again</html>"


def _writer(root: str, start: int) -> None:
    store = RawStore(root)
    for n in range(start, start + 200):
        _put(store, b"<html>" + str(n).encode() * 500 + b"</html>", key=str(n))


def test_processes_write_the_same_store_at_once(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), k * 1000)) for k in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    store = RawStore(tmp_path)
    assert store.count() == 600
    assert store.get("sherdog", "fighter", "2199").body.startswith(b"<html>2199")


def _write_forever(root: str, ready) -> None:  # noqa: ANN001
    store = RawStore(root)
    n = 0
    while True:
        _put(store, b"<html>" + str(n).encode() * 20000 + b"</html>", key=str(n))
        n += 1
        if n == 20:
            ready.set()


def test_a_killed_writer_leaves_every_committed_page_whole(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    proc = ctx.Process(target=_write_forever, args=(str(tmp_path), ready))
    proc.start()
    assert ready.wait(60)
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(30)
    store = RawStore(tmp_path)
    with sqlite3.connect(tmp_path / DB_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        keys = [k for (k,) in db.execute("SELECT key FROM pages")]
    assert len(keys) >= 20
    for key in keys:
        page = store.get("sherdog", "fighter", key)
        assert page.body == b"<html>" + key.encode() * 20000 + b"</html>"
        assert page.meta["sha256"] == hashlib.sha256(page.body).hexdigest()


def _legacy(root: Path, body: bytes, meta_body: bytes | None = None) -> Path:
    """A page as earlier versions stored it: a file and a .meta.json beside it."""
    path = root / "sherdog" / "fighter" / "65231.html"
    path.parent.mkdir(parents=True)
    path.write_bytes(body)
    meta = {"url": "https://www.sherdog.com/fighter/x-65231", "status": 200, "etag": '"old"'}
    meta["sha256"] = hashlib.sha256(body).hexdigest()
    path.with_name(path.name + ".meta.json").write_bytes(meta_body or json.dumps(meta).encode())
    return path


def test_pages_stored_as_files_by_earlier_versions_are_read(tmp_path: Path) -> None:
    path = _legacy(tmp_path, b"<html>old</html>")
    store = RawStore(tmp_path)
    page = store.get("sherdog", "fighter", "65231")
    assert page is not None and page.body == b"<html>old</html>" and page.path == path
    assert store.meta("sherdog", "fighter", "65231")["etag"] == '"old"'
    store.touch("sherdog", "fighter", "65231")  # revalidated: now kept in the database
    assert store.count() == 1
    _put(store, b"<html>new</html>")  # fetched again: the database copy wins
    assert store.get("sherdog", "fighter", "65231").body == b"<html>new</html>"


@pytest.mark.parametrize("damage", ["truncate", "other_body", "empty_meta"])
def test_a_torn_file_of_an_earlier_version_is_not_served(tmp_path: Path, damage: str) -> None:
    body = b"<html>" + b"x" * 5000 + b"</html>"
    path = _legacy(tmp_path, body)
    if damage == "truncate":  # a power loss after the rename, before the data hit the disk
        path.write_bytes(body[:100])
    elif damage == "other_body":  # the body was replaced but its metadata never followed
        path.write_bytes(b"<html>newer</html>")
    else:
        path.with_name(path.name + ".meta.json").write_bytes(b"")
    assert RawStore(tmp_path).get("sherdog", "fighter", "65231") is None


def test_keep_copies_a_page_out_for_the_parse_command(tmp_path: Path) -> None:
    store = RawStore(tmp_path)
    _put(store, key="q=a b/../c")
    page = store.get("sherdog", "fighter", "q=a b/../c")
    kept = page.keep()
    assert kept is not None and kept.read_bytes() == page.body
    assert kept.parent == tmp_path / "kept" / "sherdog" / "fighter"
    assert page.keep() == kept  # once


def test_steps_share_one_store_per_directory(tmp_path: Path) -> None:
    a = RawStore.shared(tmp_path / "raw")
    assert RawStore.shared(tmp_path / "raw") is a
    assert RawStore.shared(tmp_path / "other") is not a
    _put(a)
    assert RawStore.shared(tmp_path / "raw").get("sherdog", "fighter", "65231") is not None
