"""UFCStats fighter pages (``/fighter-details/<id>``) via PoliteClient, kept in the raw store."""

from __future__ import annotations

import datetime as dt
import re
import time

from ufc_pipeline.parsing.records import UFCStatsFighter
from ufc_pipeline.parsing.ufcstats import parse_fighter_page
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
    def __init__(self, client: PoliteClient, store: RawStore, *, max_age_s: float = 20 * 3600):
        self.client = client
        self.store = store
        self.max_age_s = max_age_s
        self.fetched = 0
        self.reused = 0

    async def fighter(self, ufcstats_id: str) -> UFCStatsFighter | None:
        """The parsed fighter page, or None when UFCStats has no such page (404)."""
        path = fighter_path(ufcstats_id)
        cached = self.store.get(SITE, "fighter", ufcstats_id)
        if cached is not None and self.max_age_s > 0:
            fetched = cached.meta.get("fetched_at")
            age = time.time() - dt.datetime.fromisoformat(fetched).timestamp() if fetched else 1e18
            if age < self.max_age_s:
                self.reused += 1
                return parse_fighter_page(cached.body, source=cached.url, ufcstats_id=ufcstats_id)
        resp = await self.client.get(path, kind="ufcstats_fighter")
        if resp.status == 404:
            return None
        if resp.status != 200:
            raise FetchError(SITE, resp.url, f"HTTP {resp.status}", "the page is not available")
        self.fetched += 1
        self.store.put(
            SITE,
            "fighter",
            ufcstats_id,
            url=resp.url,
            status=resp.status,
            body=resp.content,
            headers=resp.headers,
        )
        return parse_fighter_page(resp.content, source=resp.url, ufcstats_id=ufcstats_id)
