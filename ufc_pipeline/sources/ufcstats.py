"""UFCStats fighter pages (``/fighter-details/<id>``) via PoliteClient and the raw store."""

from __future__ import annotations

import re

from ufc_pipeline.parsing.records import UFCStatsFighter
from ufc_pipeline.parsing.ufcstats import parse_fighter_page
from ufc_pipeline.sources.cached import CachedFetcher
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
