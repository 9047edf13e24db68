"""What a parser made of a stored page, kept beside the page so it is parsed once.

Several steps read the same Sherdog fighter page (matching, images, fights, locations):
parsing it is most of what those steps cost. :func:`parsed` keeps each result in the raw
store's database, keyed by the page, the parser and the parser's code, and valid only for
the page body it was made from (its sha256): a page fetched anew, or a change to the
parsing code, makes it parse again. A page the parser refuses (``ParseError``) is not kept,
so it is refused again, with its diagnosis, every time; Sherdog's "Page Not Found" is kept
as such.

Results are pickled: the store is the pipeline's own local file, written only by it.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from ufc_pipeline.parsing.errors import PageNotFound
from ufc_pipeline.sources.raw_store import RawStore, StoredPage

T = TypeVar("T")

_PARSING = Path(__file__).resolve().parent.parent / "parsing"
_NOT_FOUND = b"page-not-found\0"


@cache
def code_version() -> str:
    """A hash of the parsing package's source: results made by other code are not used."""
    digest = hashlib.sha256()
    for path in sorted(_PARSING.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def parsed(
    store: RawStore, page: StoredPage, name: str, parse: Callable[..., T], **kwargs: Any
) -> T:
    """``page.parse(parse, **kwargs)``, or what it gave before for the same body and code.

    ``name`` names the parser and its arguments (``sherdog.FIGHTER``: the fighter page)."""
    parser = f"{name}:{code_version()}"
    sha = page.meta.get("sha256") or hashlib.sha256(page.body).hexdigest()
    ext = page.ext
    kept = store.get_parsed(page.site, page.kind, page.key, parser, ext)
    if kept is not None and kept[0] == sha:
        if kept[1].startswith(_NOT_FOUND):
            kind, source, missing = kept[1][len(_NOT_FOUND) :].decode().split("\0")
            raise PageNotFound(kind, source, missing)
        try:
            return pickle.loads(kept[1])  # noqa: S301 - the pipeline's own store
        except Exception:  # noqa: BLE001 - an unreadable entry is parsed again
            pass
    try:
        result = page.parse(parse, **kwargs)
    except PageNotFound as exc:
        fields = "\0".join((exc.page_kind, exc.source, exc.missing)).encode()
        store.put_parsed(page.site, page.kind, page.key, parser, sha, _NOT_FOUND + fields, ext)
        raise
    store.put_parsed(
        page.site, page.kind, page.key, parser, sha, pickle.dumps(result, protocol=5), ext
    )
    return result
