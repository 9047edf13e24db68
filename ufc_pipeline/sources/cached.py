"""Fetching through the raw page store: re-use, revalidate, or fetch.

``refresh=False``: a stored copy is used as is (no request at all); ``refresh=True``: the
stored copy is revalidated with a conditional request (ETag / Last-Modified), and the body
is only downloaded when the page changed. A page is revalidated at most once per run. A
page answered in full but equal to the stored copy (a site without validators) keeps its
body file; only its metadata is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ufc_pipeline.sources.errors import FetchError
from ufc_pipeline.sources.http import PoliteClient
from ufc_pipeline.sources.raw_store import RawStore, StoredPage


@dataclass
class CacheStats:
    fetched: int = 0
    reused: int = 0
    not_modified: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "fetched": self.fetched,
            "reused": self.reused,
            "not_modified": self.not_modified,
            "fetched_by_kind": dict(self.by_kind),
        }


class CachedFetcher:
    def __init__(self, client: PoliteClient, store: RawStore, site: str) -> None:
        self.client = client
        self.store = store
        self.site = site
        self.stats = CacheStats()
        self._revalidated: set[tuple[str, str]] = set()

    async def get(
        self, kind: str, key: str, path: str, *, refresh: bool, allow_404: bool = False
    ) -> StoredPage | None:
        cached = self.store.get(self.site, kind, key)
        if cached is not None and (not refresh or (kind, key) in self._revalidated):
            self.stats.reused += 1
            return cached
        resp = await self.client.get(
            path,
            kind=kind,
            etag=cached.meta.get("etag") if cached else None,
            last_modified=cached.meta.get("last_modified") if cached else None,
        )
        self._revalidated.add((kind, key))
        if resp.status == 304 and cached is not None:
            self.stats.not_modified += 1
            self.store.touch(self.site, kind, key)
            return cached
        if resp.status == 404 and allow_404:
            return None
        if resp.status != 200:
            raise FetchError(
                self.site, resp.url, f"HTTP {resp.status}", "the page is not available"
            )
        self.stats.fetched += 1
        self.stats.by_kind[kind] = self.stats.by_kind.get(kind, 0) + 1
        return self.store.put_page(
            self.site,
            kind,
            key,
            url=resp.url,
            status=resp.status,
            body=resp.content,
            headers=resp.headers,
            previous=cached,  # an unchanged body is not written again
        )
