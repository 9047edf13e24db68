"""Events: the UFCStats completed-events list and each event's fight card.

* ``events_list_step``: one request (conditional) for ``/statistics/events/completed``;
  stores the list, upserts the ``events`` table, reports new and changed events.
* ``fight_cards_step``: the fight cards of the events of some months. A card is fetched
  once; cards of events younger than ``recheck_days`` are revalidated on every run (with
  a conditional request) because UFCStats publishes some fights days late. New bouts are
  upserted into ``ufc_bouts`` and mark exactly their two fighters as changed (through the
  card index that fighter fingerprints include).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ufc_pipeline.fileio import atomic_write, write_if_changed
from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.ufcstats_events import (
    UFCStatsEvent,
    parse_event_page,
    parse_events_list,
)
from ufc_pipeline.sources.cached import CachedFetcher
from ufc_pipeline.sources.errors import FetchError
from ufc_pipeline.sources.http import PoliteClient
from ufc_pipeline.steps.fingerprint import CARD_INDEX
from ufc_pipeline.steps.report import CheckOutcome, Table, within_error_budget
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.warehouse.engine import make_engine
from ufc_pipeline.warehouse.load import upsert_events, upsert_ufc_bouts
from ufc_pipeline.warehouse.schema import ensure_schema

EVENTS_PATH = "/statistics/events/completed?page=all"
RECHECK_DAYS = 14


class EventsStepError(RuntimeError):
    pass


def _events_file(settings: Settings) -> Path:
    return settings.processed.root / "events" / "list.json"


def _cards_file(settings: Settings, month: str) -> Path:
    if len(month) != 7 or month[4] != "-" or not (month[:4] + month[5:]).isdigit():
        raise ValueError(f"month partition {month!r} is not YYYY-MM")
    return settings.processed.root / "fight_cards" / f"{month}.json"


def stored_events(settings: Settings) -> list[dict[str, Any]]:
    path = _events_file(settings)
    return json.loads(path.read_text(encoding="utf8"))["events"] if path.exists() else []


@dataclass
class EventsListResult:
    """The events list of a run: events, new and changed ones, the newest completed."""

    events: int
    completed: int
    new: list[str]
    changed: list[str]
    newest: str | None
    upsert: dict[str, int]
    cache: dict[str, Any]

    def metadata(self) -> dict[str, Any]:
        return {
            "dagster/row_count": self.events,
            "completed": self.completed,
            "newest": self.newest,
            "new_events": self.new[:50],
            "changed_events": self.changed[:50],
            "not_modified": self.cache["not_modified"],
        }

    def checks(self) -> list[CheckOutcome]:
        return [
            CheckOutcome("events_parsed", self.completed > 0, f"{self.completed} completed events")
        ]


@dataclass
class CardsResult:
    """Fight cards of a run's months: cards read, bouts, new bouts, failures."""

    events: int
    cards: int
    bouts: int
    new_bouts: list[str]
    errors: dict[str, str]
    fighters_indexed: int
    upsert: dict[str, int]
    cache: dict[str, Any]

    def metadata(self) -> dict[str, Any]:
        errors = [{"event": k, "error": v} for k, v in self.errors.items()]
        return {
            "dagster/row_count": self.bouts,
            "events": self.events,
            "cards_read": self.cards,
            "new_bouts": self.new_bouts[:50],
            "errors": Table.of(errors, ("event", "error")),
            "fetched": self.cache["fetched"],
            "not_modified": self.cache["not_modified"],
        }

    def checks(self) -> list[CheckOutcome]:
        return [
            CheckOutcome(
                "cards_fetched",
                within_error_budget(len(self.errors), self.events),
                f"{self.cards} of {self.events} cards read",
            )
        ]


def events_list_step(settings: Settings, today: dt.date | None = None) -> EventsListResult:
    settings.sweep_temp_files()
    today = today or settings.current_date

    async def fetch():
        async with PoliteClient(settings.ufcstats) as client:
            cache = CachedFetcher(client, settings.raw, "ufcstats")
            page = await cache.get("events_list", "completed", EVENTS_PATH, refresh=True)
            return page, cache.stats.as_dict()

    page, cache_stats = asyncio.run(fetch())
    assert page is not None
    rows = page.parse(parse_events_list, today=today)
    if not rows:
        raise EventsStepError(
            f"{page.url}: the events list parsed to no events; the page layout may have "
            "changed (check it with `ufc-pipeline parse ufcstats-events FILE`)"
        )
    previous = {e["event_id"]: e for e in stored_events(settings)}
    current = [r.to_dict() for r in rows]
    new = [e for e in current if e["event_id"] not in previous]
    changed = [e for e in current if e["event_id"] in previous and previous[e["event_id"]] != e]
    write_if_changed(
        _events_file(settings),
        json.dumps({"events": current}, indent=1, ensure_ascii=False).encode(),
    )
    engine = make_engine(settings.warehouse_url)
    try:
        ensure_schema(engine)
        stats = upsert_events(
            engine,
            [
                {
                    "event_id": e["event_id"],
                    "name": e["name"],
                    "date": dt.date.fromisoformat(e["date"]) if e["date"] else None,
                    "location": e["location"],
                    "upcoming": int(bool(e["upcoming"])),
                }
                for e in current
            ],
        )
    finally:
        engine.dispose()
    return EventsListResult(
        events=len(current),
        completed=sum(1 for e in current if not e["upcoming"]),
        new=[e["event_id"] for e in new],
        changed=[e["event_id"] for e in changed],
        newest=max((e["date"] or "" for e in current if not e["upcoming"]), default=None),
        upsert={"inserted": stats.inserted, "updated": stats.updated},
        cache=cache_stats,
    )


def months_of(events: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for e in events:
        if e.get("date") and not e.get("upcoming"):
            out.setdefault(e["date"][:7], []).append(e)
    return out


async def _fetch_cards(
    settings: Settings,
    events: list[dict[str, Any]],
    refresh: Callable[[dict[str, Any]], bool],
    log: Callable[[str], None],
) -> tuple[dict[str, UFCStatsEvent], dict[str, str], dict[str, Any]]:
    """Parsed cards of ``events`` (revalidated where ``refresh(event)``), and failures."""
    out: dict[str, UFCStatsEvent] = {}
    errors: dict[str, str] = {}
    async with PoliteClient(settings.ufcstats) as client:
        cache = CachedFetcher(client, settings.raw, "ufcstats")
        gate = asyncio.Semaphore(settings.fighter_tasks)

        async def one(e: dict[str, Any]) -> None:
            eid = e["event_id"]
            async with gate:
                try:
                    path = f"/event-details/{eid}"
                    page = await cache.get("event", eid, path, refresh=refresh(e))
                    assert page is not None
                    out[eid] = page.parse(parse_event_page, event_id=eid)
                except (FetchError, ParseError) as exc:
                    errors[eid] = str(exc)
                    log(f"fight_cards: {e['name']} ({eid}): {exc}")

        await asyncio.gather(*(one(e) for e in events))
        return out, errors, cache.stats.as_dict()


def fight_cards_step(
    settings: Settings,
    months: Sequence[str],
    *,
    today: dt.date | None = None,
    recheck_days: int = RECHECK_DAYS,
    log: Callable[[str], None] = lambda m: None,
) -> CardsResult:
    today = today or settings.current_date
    by_month = months_of(stored_events(settings))
    wanted = [(m, e) for m in sorted(set(months)) for e in by_month.get(m, [])]

    def refresh(e: dict[str, Any]) -> bool:
        recent = (today - dt.date.fromisoformat(e["date"])).days <= recheck_days
        return recent or settings.full_refresh

    cards, errors, cache_stats = asyncio.run(
        _fetch_cards(settings, [e for _, e in wanted], refresh, log)
    )
    if errors and len(errors) > settings.max_error_fraction * max(len(wanted), 1):
        raise EventsStepError(
            f"{len(errors)} of {len(wanted)} fight cards failed; nothing was written. First: "
            + "; ".join(f"{k}: {v}" for k, v in list(errors.items())[:3])
        )
    new_bouts: list[str] = []
    bout_rows: list[dict[str, Any]] = []
    written = 0
    for month in sorted(set(months)):
        path = _cards_file(settings, month)
        old = json.loads(path.read_text(encoding="utf8")) if path.exists() else {"events": {}}
        old_ids = {b["fight_id"] for ev in old["events"].values() for b in ev.get("bouts", [])}
        month_cards = dict(old["events"])
        for m, e in wanted:
            if m == month and e["event_id"] in cards:
                month_cards[e["event_id"]] = cards[e["event_id"]].to_dict()
        for ev in month_cards.values():
            for b in ev.get("bouts", []):
                if b["result"] == "next":
                    continue
                if b["fight_id"] not in old_ids and path.exists():
                    new_bouts.append(b["fight_id"])
                bout_rows.append(_bout_row(ev, b))
        written += write_if_changed(
            path,
            json.dumps(
                {"events": month_cards}, indent=1, sort_keys=True, ensure_ascii=False
            ).encode(),
        )
    index = card_index_after(settings, rebuild=written > 0)
    engine = make_engine(settings.warehouse_url)
    try:
        ensure_schema(engine)
        stats = upsert_ufc_bouts(engine, bout_rows)
    finally:
        engine.dispose()
    return CardsResult(
        events=len(wanted),
        cards=len(cards),
        bouts=len(bout_rows),
        new_bouts=new_bouts,
        errors=errors,
        fighters_indexed=len(index),
        upsert={"inserted": stats.inserted, "updated": stats.updated, "unchanged": stats.unchanged},
        cache=cache_stats,
    )


def _bout_row(ev: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    return {
        "fight_id": b["fight_id"],
        "event_id": ev["event_id"],
        "date": dt.date.fromisoformat(ev["date"]) if ev.get("date") else None,
        "fighter1_id": b["fighter1_id"],
        "fighter1_name": b["fighter1_name"],
        "fighter2_id": b["fighter2_id"],
        "fighter2_name": b["fighter2_name"],
        "result": b["result"],
        "winner_id": b["fighter1_id"] if b["result"] == "win" else None,
        "weight_class": b.get("weight_class"),
        "title_fight": int(bool(b.get("title_fight"))),
        "bonuses": ",".join(b.get("bonuses") or []) or None,
        "method": b.get("method"),
        "method_detail": b.get("method_detail"),
        "round": b.get("round"),
        "time": b.get("time"),
    }


def iter_stored_bouts(settings: Settings) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(event, bout) for every completed bout on the stored fight cards, month by month."""
    root = settings.processed.root / "fight_cards"
    for path in sorted(root.glob("*.json")) if root.exists() else []:
        for ev in json.loads(path.read_text(encoding="utf8"))["events"].values():
            for b in ev.get("bouts", []):
                if b["result"] != "next":
                    yield ev, b


def card_index_after(settings: Settings, *, rebuild: bool) -> dict[str, list[str]]:
    """The card index once the month files are written: rebuilt when ``rebuild`` (a month
    file changed), when it is missing, or when a month file is newer than it (a run stopped
    between writing a month and the index); else the stored index, which is what a rebuild
    would write."""
    path = settings.processed.root / CARD_INDEX
    if not rebuild and path.exists():
        root = settings.processed.root / "fight_cards"
        months = root.glob("*.json") if root.exists() else []
        newest = max((p.stat().st_mtime_ns for p in months), default=0)
        if newest <= path.stat().st_mtime_ns:
            return json.loads(path.read_text(encoding="utf8"))
    return rebuild_card_index(settings)


def rebuild_card_index(settings: Settings) -> dict[str, list[str]]:
    """Fighter id -> bout ids over every stored month (what fingerprints include)."""
    index: dict[str, set[str]] = {}
    for _, b in iter_stored_bouts(settings):
        for fid in (b["fighter1_id"], b["fighter2_id"]):
            index.setdefault(fid, set()).add(b["fight_id"])
    out = {k: sorted(v) for k, v in sorted(index.items())}
    atomic_write(settings.processed.root / CARD_INDEX, json.dumps(out).encode())
    return out
