"""UFC.com: the first athletes list page, the rankings and athlete pages, via PoliteClient.

UFC.com's robots.txt asks for ``Crawl-delay: 15`` and disallows ``/athletes/all?*``, so the
athletes list is read on its first page only (``/athletes/all``, never with a query) and
the roster is otherwise reached through ``/rankings`` and ``/athlete/<slug>``. Every
request goes through :meth:`PoliteClient.get` (robots.txt checked, Crawl-delay held).

Pages go through the raw page store (``CachedFetcher``): with ``refresh=False`` a stored
page is used without any request, with ``refresh=True`` it is revalidated conditionally
(at most once per run). A 404 athlete page is "not on UFC.com" (None), not an error; it is
not stored, and is asked for once per source object.
"""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path
from urllib.parse import quote, urlsplit

from ufc_pipeline.parsing.ufccom import (
    RankedAthlete,
    UfcComAthlete,
    UfcComCard,
    parse_athlete,
    parse_athletes_list,
    parse_rankings,
)
from ufc_pipeline.sources.cached import CachedFetcher
from ufc_pipeline.sources.http import PoliteClient
from ufc_pipeline.sources.raw_store import RawStore

SITE = "ufccom"
LIST_PATH = "/athletes/all"  # the first page only: /athletes/all?* is disallowed
RANKINGS_PATH = "/rankings"
SLUG_FIELDS = ("ufcstats_id", "slug", "note")


def athlete_path(slug: str) -> str:
    return f"/athlete/{quote(slug.strip().strip('/'), safe='-._~')}"


class UfcComSource:
    """UFC.com pages for one pipeline step."""

    def __init__(self, client: PoliteClient, raw: RawStore) -> None:
        self.client = client
        self.raw = raw
        self.cache = CachedFetcher(client, raw, SITE)
        # one lookup per slug per source: concurrent fighters that share a slug (two
        # "Bruno Silva") wait for the same answer, and a 404 is not asked for twice
        self._athletes: dict[str, asyncio.Task[UfcComAthlete | None]] = {}

    @property
    def fetched(self) -> int:
        return self.cache.stats.fetched

    @property
    def reused(self) -> int:
        return self.cache.stats.reused

    async def first_list_page(self, *, refresh: bool = False) -> list[UfcComCard]:
        """The athlete cards of ``/athletes/all`` (first page: about a dozen athletes)."""
        stored = await self.cache.get("list", "athletes-all", LIST_PATH, refresh=refresh)
        assert stored is not None
        return stored.parse(lambda body, source: parse_athletes_list(body, source))

    async def rankings(self, *, refresh: bool = False) -> list[RankedAthlete]:
        """Every athlete named on ``/rankings`` (champions and the ranked 15 per division)."""
        stored = await self.cache.get("rankings", "rankings", RANKINGS_PATH, refresh=refresh)
        assert stored is not None
        return stored.parse(lambda body, source: parse_rankings(body, source))

    async def athlete(self, slug: str, *, refresh: bool = False) -> UfcComAthlete | None:
        """The parsed ``/athlete/<slug>`` page, or None when UFC.com has no such page (404,
        its "Page not found" page, or a redirect away from ``/athlete/``).

        Raises FetchError (the site failed) or ParseError (a page without athlete data)."""
        task = self._athletes.get(slug)
        if task is None:
            task = asyncio.ensure_future(self._athlete(slug, refresh))
            self._athletes[slug] = task
        return await task

    async def _athlete(self, slug: str, refresh: bool) -> UfcComAthlete | None:
        stored = await self.cache.get(
            "athlete", slug, athlete_path(slug), refresh=refresh, allow_404=True
        )
        if stored is None:
            return None
        if not urlsplit(stored.url).path.startswith("/athlete/"):
            return None  # redirected to another page (the athletes list, the home page)
        return stored.parse(lambda body, source: parse_athlete(body, source))


def read_slug_overrides(path: str | Path) -> dict[str, str | None]:
    """UFC.com slugs set by hand: ``ufcstats_id -> slug``, or None for "not on UFC.com".

    CSV with the header ``ufcstats_id,slug,note``; an empty slug means the fighter has no
    UFC.com page (he is not looked up); a missing file means no overrides. A malformed file
    raises ValueError naming the file and the line.
    """
    path = Path(path)
    if not path.exists():
        return {}
    out: dict[str, str | None] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [f for f in SLUG_FIELDS[:2] if f not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(
                f"{path}: the header must be {','.join(SLUG_FIELDS)} (missing {', '.join(missing)})"
            )
        for n, row in enumerate(reader, start=2):
            fid = (row.get("ufcstats_id") or "").strip()
            slug = (row.get("slug") or "").strip().strip("/")
            if not fid:
                if slug:
                    raise ValueError(f"{path} line {n}: slug {slug!r} without a ufcstats_id")
                continue
            if slug.startswith(("http://", "https://", "/athlete/", "athlete/")):
                slug = slug.rstrip("/").rsplit("/", 1)[-1]
            if slug and ("/" in slug or "?" in slug or " " in slug):
                raise ValueError(f"{path} line {n}: {slug!r} is not a UFC.com athlete slug")
            if fid in out and out[fid] != (slug or None):
                raise ValueError(f"{path} line {n}: {fid} is given two different slugs")
            out[fid] = slug or None
    return out
