"""What the sensors look at: the events list (new or changed events), the letters of the
fighters on a card, and the gaps in what the pipeline has produced."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from unidecode import unidecode

from ufc_pipeline.matching.assign import VERIFIED_STATUSES
from ufc_pipeline.parsing.ufcstats_events import parse_events_list
from ufc_pipeline.processed import LETTERS
from ufc_pipeline.sources.http import PoliteClient
from ufc_pipeline.steps.events import EVENTS_PATH, iter_stored_bouts
from ufc_pipeline.steps.images import TRANSIENT
from ufc_pipeline.steps.settings import Settings


def poll_events(settings: Settings, today: dt.date | None = None) -> list[dict[str, Any]]:
    """One request: the completed events as dicts (id, name, date, upcoming)."""

    async def go() -> bytes:
        async with PoliteClient(settings.ufcstats) as client:
            resp = await client.get(EVENTS_PATH, kind="events_list")
            return resp.content

    rows = parse_events_list(
        asyncio.run(go()), source=settings.ufcstats.url(EVENTS_PATH), today=today or dt.date.today()
    )
    return [r.to_dict() for r in rows if not r.upcoming]


def event_signature(e: dict[str, Any]) -> str:
    return f"{e['name']}|{e['date']}"


def letter_of_name(name: str) -> str | None:
    parts = unidecode(name or "").split()
    for ch in parts[-1] if parts else "":
        if ch.isalpha():
            return ch.lower()
    return None


def known_letters(settings: Settings) -> dict[str, str]:
    out = {}
    for letter in LETTERS:
        for r in (settings.processed.read("fighters_list", letter) or {}).get("rows", []):
            out[r["ufcstats_id"]] = letter
    return out


def gaps(settings: Settings) -> list[dict[str, Any]]:
    """Letters with work left: missing outputs, search errors, transient image failures,
    verified fighters whose Sherdog page is not stored. Each with the most recent UFC bout
    date of the fighters concerned (to serve the most recently active first)."""
    store = settings.processed
    out = []
    for letter in LETTERS:
        missing = [
            a
            for a in (
                "fighters_list",
                "fighter_details",
                "sherdog_matches",
                "verified_matches",
                "fighter_images",
            )
            if store.read(a, letter) is None
        ]
        if "fighters_list" in missing:
            continue  # never materialized: not a gap, the letter is simply not wanted yet
        todo: set[str] = set()
        for e in (store.read("sherdog_matches", letter) or {}).get("fighters", []):
            if e.get("error"):
                todo.add(e["ufcstats_id"])
        for r in (store.read("fighter_images", letter) or {}).get("rows", []):
            if r["status"] != "saved" and r.get("reason") in TRANSIENT:
                todo.add(r["ufcstats_id"])
        for r in (store.read("verified_matches", letter) or {}).get("rows", []):
            if r["status"] in VERIFIED_STATUSES and not settings.raw.has(
                "sherdog", "fighter", str(r["sherdog_id"])
            ):
                todo.add(r["ufcstats_id"])
        if not missing and not todo:
            continue
        details = (store.read("fighter_details", letter) or {}).get("fighters", {})
        last = ""
        for fid in todo or details:
            fights = ((details.get(fid) or {}).get("details") or {}).get("fights", [])
            dates = [f["date"] for f in fights if f.get("date")]
            last = max([last, *dates])
        out.append(
            {
                "letter": letter,
                "missing": missing,
                "fighters": sorted(todo),
                "last_active": last or None,
            }
        )
    out.sort(key=lambda g: (g["last_active"] or "", g["letter"]), reverse=True)
    return out


def stored_bouts(settings: Settings) -> dict[str, tuple[str, str, str, str]]:
    """Every completed bout on the stored fight cards: id -> (id1, name1, id2, name2)."""
    return {
        b["fight_id"]: (b["fighter1_id"], b["fighter1_name"], b["fighter2_id"], b["fighter2_name"])
        for _, b in iter_stored_bouts(settings)
    }
