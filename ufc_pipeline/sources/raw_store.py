"""The raw page store: every fetched page kept on disk so parsing can be re-run offline.

Layout: ``<root>/<site>/<kind>/<key>.<ext>`` with a ``.meta.json`` beside it holding the URL,
status, fetch time, validators (ETag / Last-Modified) and a sha256 of the body. Writes are
atomic (temp file + ``os.replace``), so a killed process never leaves a half-written page.
The store is a cache of pages that can be fetched again, so writes are not fsynced: a page
whose body does not match the sha256 of its metadata (after a power loss, or a write that
the metadata never followed) is treated as not stored and is fetched again.

Thousands of pages are written a run, so a write does only what atomicity needs: each
directory is created once per store, the temporary file (named as
:func:`ufc_pipeline.fileio.atomic_write` names them, so a killed run's leftovers are swept
the same way) is written with plain ``os`` calls, and :meth:`RawStore.put_page` hands back
the page just written without reading it from disk again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ufc_pipeline.fileio import atomic_write
from ufc_pipeline.parsing.errors import PageNotFound, ParseError

T = TypeVar("T")

__all__ = ["RawStore", "StoredPage", "atomic_write", "safe_key"]

_SAFE = re.compile(r"[^A-Za-z0-9_.=-]+")
_FILE_MODE = 0o644
_TMP_SEQ = itertools.count()


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
    path: Path | None = None  # the raw file on disk

    def parse(self, parse: Callable[..., T], **kwargs: Any) -> T:
        """``parse(body, source=url, **kwargs)``; a ParseError names the raw file kept and
        the ``ufc-pipeline parse`` command that reproduces it."""
        try:
            return parse(self.body, source=self.url, **kwargs)
        except PageNotFound:
            raise
        except ParseError as exc:
            if self.path is not None:
                exc.kept_at(str(self.path))
            raise

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def _write(path: Path, data: bytes) -> None:
    """``atomic_write(path, data, durable=False)`` for a directory known to exist: a
    temporary file beside ``path`` (``.<name>.<pid>.<n>.tmp``), then ``os.replace``."""
    tmp = f"{path.parent}/.{path.name}.{os.getpid()}.{next(_TMP_SEQ)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, _FILE_MODE)
    except (FileExistsError, FileNotFoundError):
        # a leftover of a killed process that had our pid, or the directory was removed
        atomic_write(path, data, durable=False)
        return
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            with contextlib.suppress(OSError):
                os.fchmod(fd, _FILE_MODE)  # whatever the umask, as atomic_write does
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class RawStore:
    """Raw pages on disk, by site, kind and key."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._dirs: dict[tuple[str, str], Path] = {}
        self._made: set[Path] = set()

    def _dir(self, site: str, kind: str) -> Path:
        d = self._dirs.get((site, kind))
        if d is None:
            d = self._dirs[(site, kind)] = self.root / safe_key(site) / safe_key(kind)
        return d

    def body_path(self, site: str, kind: str, key: str, ext: str = "html") -> Path:
        return self._dir(site, kind) / f"{safe_key(key)}.{ext}"

    def _meta_path(self, body_path: Path) -> Path:
        return body_path.with_name(body_path.name + ".meta.json")

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
    ) -> Path:
        page = self.put_page(
            site, kind, key, url=url, status=status, body=body, headers=headers, ext=ext
        )
        assert page.path is not None
        return page.path

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
        """Store a page (body, then its metadata) and return it as :meth:`get` would.

        ``previous``, the stored copy read before fetching: when the new body is the same
        (same sha256), the body file is left as it is and only the metadata is written."""
        path = self.body_path(site, kind, key, ext)
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        sha = hashlib.sha256(body).hexdigest()
        same_body = (
            previous is not None and previous.path == path and previous.meta.get("sha256") == sha
        )
        meta = {
            "url": url,
            "status": status,
            "fetched_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "sha256": sha,
            "bytes": len(body),
            "etag": headers.get("etag"),
            "last_modified": headers.get("last-modified"),
            "content_type": headers.get("content-type"),
        }
        meta_bytes = json.dumps(meta, indent=1).encode()
        if path.parent not in self._made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(path.parent)
        if not same_body:
            _write(path, body)
        _write(self._meta_path(path), meta_bytes)
        # what get() would read back (the meta holds JSON values only)
        return StoredPage(
            site=site, kind=kind, key=key, url=url, status=status, body=body, meta=meta, path=path
        )

    def get(self, site: str, kind: str, key: str, ext: str = "html") -> StoredPage | None:
        path = self.body_path(site, kind, key, ext)
        meta_path = self._meta_path(path)
        if not path.exists() or not meta_path.exists():
            return None
        try:
            meta = json.loads(meta_path.read_text())
            body = path.read_bytes()
        except (OSError, ValueError):
            return None
        if meta.get("sha256") != hashlib.sha256(body).hexdigest():
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
        )

    def touch(self, site: str, kind: str, key: str, ext: str = "html") -> None:
        """Record that the stored copy was revalidated (the site answered 304)."""
        path = self.body_path(site, kind, key, ext)
        meta_path = self._meta_path(path)
        if meta_path.exists():
            meta = json.loads(meta_path.read_text())
            meta["validated_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            atomic_write(meta_path, json.dumps(meta, indent=1).encode(), durable=False)

    def has(self, site: str, kind: str, key: str, ext: str = "html") -> bool:
        path = self.body_path(site, kind, key, ext)
        return path.exists() and self._meta_path(path).exists()
