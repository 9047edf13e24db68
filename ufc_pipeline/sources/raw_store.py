"""The raw page store: every fetched page kept so parsing can be re-run offline.

One SQLite file, ``<root>/pages.sqlite``, holds every page with its metadata (URL, status,
fetch time, validators ETag / Last-Modified, content type and a sha256 of the body), one
row per ``(site, kind, key, ext)``. A page and its metadata are one row written by one
statement, so they can never disagree, and a run writes no file per page.

Safety, and what it costs:

* each :meth:`RawStore.put_page` is its own transaction: a process killed with SIGKILL
  leaves every page it stored before the kill, and none half-written;
* the database is in WAL mode with ``synchronous=NORMAL``: a commit is appended to the
  write-ahead log without an fsync (the log is synced when it is checkpointed into the
  database). After a power loss the newest pages may be missing, never torn, and the file
  stays consistent; a missing page is simply fetched again. The store is a cache of pages
  that can be fetched again: the outputs that feed the warehouse are written apart, each
  durably (:func:`ufc_pipeline.fileio.atomic_write`);
* several processes (the steps of a run, the Scrapy crawler, a second run) share the file:
  SQLite serialises their writes and each waits for the others (``busy_timeout``).

A page that fails to parse is copied out to ``<root>/kept/<site>/<kind>/<key>.<ext>``
(:meth:`StoredPage.keep`), the file the error names and ``ufc-pipeline parse`` reads.

Pages stored by earlier versions as files (``<root>/<site>/<kind>/<key>.<ext>`` with a
``.meta.json`` beside it) are still read, checked against their sha256, until the page is
fetched again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ufc_pipeline.fileio import atomic_write
from ufc_pipeline.parsing.errors import PageNotFound, ParseError

T = TypeVar("T")

__all__ = ["DB_NAME", "RawStore", "StoredPage", "atomic_write", "safe_key"]

DB_NAME = "pages.sqlite"
_SAFE = re.compile(r"[^A-Za-z0-9_.=-]+")
_META = ("url", "status", "fetched_at", "validated_at", "sha256", "bytes", "etag")
_META += ("last_modified", "content_type")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    site TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    ext TEXT NOT NULL,
    url TEXT NOT NULL,
    status INTEGER NOT NULL,
    fetched_at TEXT NOT NULL,
    validated_at TEXT,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    etag TEXT,
    last_modified TEXT,
    content_type TEXT,
    body BLOB NOT NULL,
    UNIQUE (site, kind, key, ext)
)
"""
_PARSED_SCHEMA = """
CREATE TABLE IF NOT EXISTS parsed (
    site TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    ext TEXT NOT NULL,
    parser TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (site, kind, key, ext, parser)
)
"""
_UPSERT = f"""
INSERT INTO pages (site, kind, key, ext, {", ".join(_META)}, body)
VALUES ({", ".join("?" * (len(_META) + 5))})
ON CONFLICT (site, kind, key, ext) DO UPDATE SET
    {", ".join(f"{c} = excluded.{c}" for c in _META)}, body = excluded.body
"""
_UPSERT_META = f"""
INSERT INTO pages (site, kind, key, ext, {", ".join(_META)}, body)
VALUES ({", ".join("?" * (len(_META) + 5))})
ON CONFLICT (site, kind, key, ext) DO UPDATE SET
    {", ".join(f"{c} = excluded.{c}" for c in _META)}
"""
_SELECT = f"SELECT {', '.join(_META)}, body FROM pages WHERE site=? AND kind=? AND key=? AND ext=?"
_SELECT_META = f"SELECT {', '.join(_META)} FROM pages WHERE site=? AND kind=? AND key=? AND ext=?"


def safe_key(key: str) -> str:
    """A file-name-safe form of a page key (no path separators, no '..')."""
    cleaned = _SAFE.sub("_", key).strip("._")
    if not cleaned:
        raise ValueError(f"page key {key!r} has no usable characters")
    if len(cleaned) > 150:
        cleaned = cleaned[:100] + "_" + hashlib.sha1(key.encode()).hexdigest()[:16]
    return cleaned


@dataclass
class StoredPage:
    site: str
    kind: str
    key: str
    url: str
    status: int
    body: bytes
    meta: dict[str, Any]
    #: a file holding the body: a page stored by an earlier version, or one :meth:`keep` wrote
    path: Path | None = None
    #: where :meth:`keep` copies the page out (``<store root>/kept``)
    kept_dir: Path | None = field(default=None, compare=False, repr=False)
    ext: str = field(default="html", compare=False, repr=False)

    def parse(self, parse: Callable[..., T], **kwargs: Any) -> T:
        """``parse(body, source=url, **kwargs)``; a ParseError names the raw file kept and
        the ``ufc-pipeline parse`` command that reproduces it."""
        try:
            return parse(self.body, source=self.url, **kwargs)
        except PageNotFound:
            raise
        except ParseError as exc:
            with contextlib.suppress(OSError):
                kept = self.keep()
                if kept is not None:
                    exc.kept_at(str(kept))
            raise

    def keep(self) -> Path | None:
        """Copy the page out to a file (``<root>/kept/<site>/<kind>/<key>.<ext>``) and
        return its path: the file an error names, for ``ufc-pipeline parse``."""
        if self.path is not None:
            return self.path
        if self.kept_dir is None:
            return None
        path = self.kept_dir / safe_key(self.site) / safe_key(self.kind)
        path = path / f"{safe_key(self.key)}.{self.ext}"
        atomic_write(path, self.body, durable=False)
        self.path = path
        return path

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class RawStore:
    """Raw pages by site, kind and key, in ``<root>/pages.sqlite``.

    :meth:`shared` gives one store per directory in a process (one connection, opened once),
    which is what steps use."""

    _shared: OrderedDict[Path, RawStore] = OrderedDict()
    _shared_lock = threading.Lock()

    @classmethod
    def shared(cls, root: str | Path) -> RawStore:
        """This process's store for ``root`` (the few most recently used are kept open)."""
        key = Path(root).absolute()
        with cls._shared_lock:
            store = cls._shared.get(key)
            if store is None:
                store = cls._shared[key] = cls(key)
                while len(cls._shared) > 8:
                    cls._shared.popitem(last=False)  # closed when no longer referenced
            else:
                cls._shared.move_to_end(key)
            return store

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.db_path = self.root / DB_NAME
        self.kept_dir = self.root / "kept"
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        self._lock = threading.RLock()
        self._legacy: dict[tuple[str, str], bool] = {}

    # -- the connection ---------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        """This process's connection (a forked child opens its own)."""
        conn = self._conn
        if conn is not None and self._pid == os.getpid():
            return conn
        self.root.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            self.db_path, timeout=120.0, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute("PRAGMA busy_timeout = 120000")
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            # fewer, larger checkpoints: pages are ~10-200 KB each
            conn.execute("PRAGMA wal_autocheckpoint = 4000")
            conn.execute(_SCHEMA)
            conn.execute(_PARSED_SCHEMA)
        except BaseException:
            conn.close()
            raise
        self._conn, self._pid = conn, os.getpid()
        return conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None

    def __del__(self) -> None:  # pragma: no cover - best effort at interpreter exit
        with contextlib.suppress(Exception):
            self.close()

    # -- writing ----------------------------------------------------------------------

    def put(
        self,
        site: str,
        kind: str,
        key: str,
        *,
        url: str,
        status: int,
        body: bytes,
        headers: dict[str, str] | None = None,
        ext: str = "html",
    ) -> StoredPage:
        return self.put_page(
            site, kind, key, url=url, status=status, body=body, headers=headers, ext=ext
        )

    def put_page(
        self,
        site: str,
        kind: str,
        key: str,
        *,
        url: str,
        status: int,
        body: bytes,
        headers: dict[str, str] | None = None,
        ext: str = "html",
        previous: StoredPage | None = None,
    ) -> StoredPage:
        """Store a page and its metadata (one transaction) and return it as :meth:`get`
        would.

        ``previous``, the stored copy read before fetching: when the new body is the same
        (same sha256), only the metadata is written."""
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        sha = hashlib.sha256(body).hexdigest()
        meta = {
            "url": url,
            "status": status,
            "fetched_at": _now(),
            "validated_at": None,
            "sha256": sha,
            "bytes": len(body),
            "etag": headers.get("etag"),
            "last_modified": headers.get("last-modified"),
            "content_type": headers.get("content-type"),
        }
        same_body = (
            previous is not None
            and previous.path is None  # read from this database, not an older file
            and previous.meta.get("sha256") == sha
            and (previous.site, previous.kind, previous.key) == (site, kind, key)
        )
        args = (site, kind, key, ext, *(meta[c] for c in _META), body)
        with self._lock:
            self._db().execute(_UPSERT_META if same_body else _UPSERT, args)
        return StoredPage(
            site=site,
            kind=kind,
            key=key,
            url=url,
            status=status,
            body=body,
            meta=meta,
            kept_dir=self.kept_dir,
            ext=ext,
        )

    def touch(self, site: str, kind: str, key: str, ext: str = "html") -> None:
        """Record that the stored copy was revalidated (the site answered 304)."""
        with self._lock:
            cur = self._db().execute(
                "UPDATE pages SET validated_at=? WHERE site=? AND kind=? AND key=? AND ext=?",
                (_now(), site, kind, key, ext),
            )
        if cur.rowcount == 0:  # a page an earlier version stored as a file
            page = self._legacy_get(site, kind, key, ext)
            if page is not None:
                meta = {"fetched_at": _now(), **page.meta, "validated_at": _now()}
                meta["bytes"] = len(page.body)
                args = (site, kind, key, ext, *(meta.get(c) for c in _META), page.body)
                with self._lock:
                    self._db().execute(_UPSERT, args)

    # -- reading ----------------------------------------------------------------------

    def get(self, site: str, kind: str, key: str, ext: str = "html") -> StoredPage | None:
        with self._lock:
            row = self._db().execute(_SELECT, (site, kind, key, ext)).fetchone()
        if row is None:
            return self._legacy_get(site, kind, key, ext)
        meta = dict(zip(_META, row[:-1], strict=True))
        return StoredPage(
            site=site,
            kind=kind,
            key=key,
            url=meta["url"],
            status=int(meta["status"]),
            body=row[-1],
            meta=meta,
            kept_dir=self.kept_dir,
            ext=ext,
        )

    def meta(self, site: str, kind: str, key: str, ext: str = "html") -> dict[str, Any] | None:
        """A stored page's metadata (its sha256 says whether it changed) without its body."""
        with self._lock:
            row = self._db().execute(_SELECT_META, (site, kind, key, ext)).fetchone()
        if row is not None:
            return dict(zip(_META, row, strict=True))
        page = self._legacy_get(site, kind, key, ext)
        return page.meta if page is not None else None

    def has(self, site: str, kind: str, key: str, ext: str = "html") -> bool:
        return self.meta(site, kind, key, ext) is not None

    def kind_digest(self, site: str, kind: str) -> str:
        """One digest of every stored page of a kind (keys and sha256 of their bodies, and
        the folder of pages an earlier version stored as files): it changes when a page of
        that kind is added, removed or stored with a new body, not when one is only
        revalidated. What a step that reads such pages compares to know they did not change
        (about 30 ms for 5,000 pages; no body is read)."""
        digest = hashlib.sha256()
        with self._lock:
            rows = self._db().execute(
                "SELECT key, ext, sha256 FROM pages WHERE site=? AND kind=? ORDER BY key, ext",
                (site, kind),
            )
            for key, ext, sha in rows:
                digest.update(f"{key}\0{ext}\0{sha}\n".encode())
        legacy = self.root / safe_key(site) / safe_key(kind)
        with contextlib.suppress(FileNotFoundError):
            st = legacy.stat()
            digest.update(f"legacy {st.st_ino} {st.st_mtime_ns}".encode())
        return digest.hexdigest()

    def count(self, site: str | None = None, kind: str | None = None) -> int:
        """How many pages are stored (of a site, of a kind)."""
        sql, args = "SELECT COUNT(*) FROM pages WHERE 1=1", []
        if site is not None:
            sql, args = sql + " AND site=?", [*args, site]
        if kind is not None:
            sql, args = sql + " AND kind=?", [*args, kind]
        with self._lock:
            return int(self._db().execute(sql, args).fetchone()[0])

    # -- what a parser made of a page (see ufc_pipeline.sources.parse_cache) -----------

    def get_parsed(
        self, site: str, kind: str, key: str, parser: str, ext: str = "html"
    ) -> tuple[str, bytes] | None:
        """``(sha256 of the page parsed, data)`` kept for ``parser``, or None."""
        with self._lock:
            row = (
                self._db()
                .execute(
                    "SELECT sha256, data FROM parsed WHERE site=? AND kind=? AND key=? AND ext=?"
                    " AND parser=?",
                    (site, kind, key, ext, parser),
                )
                .fetchone()
            )
        return (row[0], row[1]) if row is not None else None

    def put_parsed(
        self,
        site: str,
        kind: str,
        key: str,
        parser: str,
        sha256: str,
        data: bytes,
        ext: str = "html",
    ) -> None:
        with self._lock:
            self._db().execute(
                "INSERT OR REPLACE INTO parsed (site, kind, key, ext, parser, sha256, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (site, kind, key, ext, parser, sha256, data),
            )

    # -- pages stored as files by earlier versions -------------------------------------

    def legacy_path(self, site: str, kind: str, key: str, ext: str = "html") -> Path:
        return self.root / safe_key(site) / safe_key(kind) / f"{safe_key(key)}.{ext}"

    def _legacy_get(self, site: str, kind: str, key: str, ext: str) -> StoredPage | None:
        there = self._legacy.get((site, kind))
        if there is None:
            folder = self.root / safe_key(site) / safe_key(kind)
            there = self._legacy[(site, kind)] = folder.is_dir()
        if not there:
            return None
        path = self.legacy_path(site, kind, key, ext)
        try:
            meta = json.loads(path.with_name(path.name + ".meta.json").read_text())
            body = path.read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("sha256") != hashlib.sha256(body).hexdigest():
            return None  # a torn or stale copy: fetch the page again
        return StoredPage(
            site=site,
            kind=kind,
            key=key,
            url=meta.get("url", ""),
            status=int(meta.get("status", 0)),
            body=body,
            meta=meta,
            path=path,
            kept_dir=self.kept_dir,
            ext=ext,
        )
