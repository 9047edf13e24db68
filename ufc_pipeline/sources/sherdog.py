"""Sherdog: Fight Finder searches (every result page) and fighter pages, via PoliteClient.

Pages go through the raw page store (``CachedFetcher``): with ``refresh=False`` a stored
page is used without any request, with ``refresh=True`` it is revalidated conditionally.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote_plus

from ufc_pipeline.parsing.errors import PageNotFound
from ufc_pipeline.parsing.records import SherdogFighter, SherdogSearchResult
from ufc_pipeline.parsing.sherdog import parse_fighter_page, parse_search_results
from ufc_pipeline.sources.cached import CachedFetcher
from ufc_pipeline.sources.http import PoliteClient
from ufc_pipeline.sources.parse_cache import parsed
from ufc_pipeline.sources.raw_store import RawStore

SITE = "sherdog"
FIGHTER = "sherdog-fighter"  # the fighter-page parse, in the parse cache
PAGE_SIZE = 20


def search_path(query: str, page: int = 1) -> str:
    path = f"/stats/fightfinder?SearchTxt={quote_plus(query)}"
    return path if page <= 1 else f"{path}&page={page}"


def fighter_path(sherdog_id: int, slug: str | None = None) -> str:
    """``/fighter/<Slug>-<id>``; the slug is cosmetic, the id is what counts."""
    return f"/fighter/{slug or 'Fighter'}-{int(sherdog_id)}"


@dataclass
class SearchOutcome:
    query: str
    results: list[SherdogSearchResult]
    pages: int
    truncated: bool  # stopped at max_pages with more pages likely


class SherdogSource:
    """Fight Finder and fighter pages for one pipeline step."""

    def __init__(
        self,
        client: PoliteClient,
        store: RawStore,
        *,
        max_pages: int = 10,
        on_page: Callable[[SherdogFighter], None] | None = None,
    ) -> None:
        self.client = client
        self.store = store
        self.max_pages = max_pages
        self.cache = CachedFetcher(client, store, SITE)
        self.on_page = on_page  # told of every fighter page read

    @property
    def fetched(self) -> int:
        return self.cache.stats.fetched

    @property
    def reused(self) -> int:
        return self.cache.stats.reused

    async def search(self, query: str, *, refresh: bool = False) -> SearchOutcome:
        """Every result page for a query (20 a page, alphabetical), up to ``max_pages``."""
        results: list[SherdogSearchResult] = []
        seen: set[int] = set()
        page = 1
        truncated = False
        while True:
            key = f"q={query.casefold()}&page={page}"
            stored = await self.cache.get("search", key, search_path(query, page), refresh=refresh)
            assert stored is not None
            rows = stored.parse(parse_search_results)
            for row in rows:
                if row.sherdog_id not in seen:
                    seen.add(row.sherdog_id)
                    results.append(row)
            if len(rows) < PAGE_SIZE:
                break
            if page >= self.max_pages:
                truncated = True
                break
            page += 1
        return SearchOutcome(query=query, results=results, pages=page, truncated=truncated)

    async def fighter(
        self, sherdog_id: int, path: str | None = None, *, refresh: bool = False
    ) -> SherdogFighter | None:
        """The parsed fighter page, or None when Sherdog answers 'Page Not Found'."""
        stored = await self.cache.get(
            "fighter", str(int(sherdog_id)), path or fighter_path(sherdog_id), refresh=refresh
        )
        assert stored is not None
        try:
            sid = int(sherdog_id)
            page = parsed(self.store, stored, FIGHTER, parse_fighter_page, sherdog_id=sid)
        except PageNotFound:
            return None
        if self.on_page is not None:
            self.on_page(page)
        return page


def stored_fighter(store: RawStore, sherdog_id: int) -> SherdogFighter | None:
    """The parsed fighter page from the raw store only (no request), or None when it is not
    stored or is Sherdog's 'Page Not Found'."""
    stored = store.get(SITE, "fighter", str(int(sherdog_id)))
    if stored is None:
        return None
    try:
        return parsed(store, stored, FIGHTER, parse_fighter_page, sherdog_id=int(sherdog_id))
    except PageNotFound:
        return None
