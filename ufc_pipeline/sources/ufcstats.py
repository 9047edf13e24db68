"""UFCStats fighter pages (``/fighter-details/<id>``) via PoliteClient and the raw store."""

from __future__ import annotations

import re

from ufc_pipeline.parsing.records import UFCStatsFighter
from ufc_pipeline.parsing.ufcstats import parse_fighter_page
from ufc_pipeline.sources.cached import CachedFetcher
from ufc_pipeline.sources.errors import FetchError
from ufc_pipeline.sources.http import PoliteClient
from ufc_pipeline.sources.raw_store import RawStore

SITE = "ufcstats"
_ID = re.compile(r"^[0-9a-f]{16}$")


def fighter_path(ufcstats_id: str) -> str:
    if not _ID.match(ufcstats_id):
        raise ValueError(f"{ufcstats_id!r} is not a UFCStats fighter id (16 hex characters)")
    return f"/fighter-details/{ufcstats_id}"


class UFCStatsSource:
    def __init__(self, client: PoliteClient, store: RawStore) -> None:
        self.client = client
        self.store = store
        self.cache = CachedFetcher(client, store, SITE)

    async def fighter(self, ufcstats_id: str, *, refresh: bool = False) -> UFCStatsFighter | None:
        """The parsed fighter page, or None when UFCStats has no such page (404)."""
        stored = await self.cache.get(
            "fighter", ufcstats_id, fighter_path(ufcstats_id), refresh=refresh, allow_404=True
        )
        if stored is None:
            return None
        return stored.parse(parse_fighter_page, ufcstats_id=ufcstats_id)


def list_path(letter: str) -> str:
    return f"/statistics/fighters?char={letter}&page=all"


async def unchanged_list_pages(
    client: PoliteClient, store: RawStore, known: dict[str, str]
) -> dict[str, str]:
    """The letters of ``known`` (letter -> sha256 of the page whose rows are stored) whose
    list page, asked for again now, is that very page: letter -> URL.

    The pages are asked for one at a time in letter order, conditionally where the stored
    copy has validators, through the same polite client (robots.txt, rate, retries) as
    every other UFCStats request, and kept in the raw store under the key the crawler uses.
    The first page that changed, failed or was never stored ends the check: the crawler
    reads it and the letters after it, so a run with changes costs one request more than
    the crawl alone, and a run without any costs no crawler process.
    """
    cache = CachedFetcher(client, store, SITE)
    same: dict[str, str] = {}
    for letter in sorted(known):
        try:
            page = await cache.get(
                "fighters_list", f"char={letter}", list_path(letter), refresh=True
            )
        except FetchError:
            break
        if page is None or page.meta.get("sha256") != known[letter]:
            break
        same[letter] = client.cfg.url(list_path(letter))
    return same
