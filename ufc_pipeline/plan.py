"""``ufc-pipeline plan``: what an incremental run would fetch, without fetching it.

Reads the fighters list pages (and the events list) - the only pages a no-op run reads -
and compares them with what is stored: per letter, new / changed / unchanged / removed
fighters and how many fighters each downstream step would work on; for events, new events
and the cards that would be re-checked. No fighter, Sherdog or image page is fetched and
nothing stored is changed.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path
from typing import Any, TextIO

from ufc_pipeline.processed import LETTERS
from ufc_pipeline.settings import settings_from_env
from ufc_pipeline.sources.crawl import crawl_fighters_lists
from ufc_pipeline.steps.events import RECHECK_DAYS, stored_events
from ufc_pipeline.steps.fingerprint import card_index, fingerprint, list_changes
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.steps.watch import poll_events


def plan(settings: Settings, letters: list[str]) -> dict[str, Any]:
    store = settings.processed
    index = card_index(settings)
    with tempfile.TemporaryDirectory(prefix="ufc-plan-") as tmp:
        crawl = crawl_fighters_lists(settings.ufcstats, letters, raw_dir=Path(tmp))
    out: dict[str, Any] = {"letters": {}, "errors": crawl.errors}
    for letter in letters:
        if letter not in crawl.rows:
            continue
        new_rows = [r.to_dict() for r in crawl.rows[letter]]
        old = store.read("fighters_list", letter) or {}
        diff = list_changes(old.get("rows", []), new_rows)
        fps = {r["ufcstats_id"]: fingerprint(r, index.get(r["ufcstats_id"], [])) for r in new_rows}
        done = (store.read("sherdog_matches", letter) or {}).get("fighters", [])
        prev = {e["ufcstats_id"]: e.get("fingerprint") for e in done}
        work = sorted(f for f, fp in fps.items() if prev.get(f) != fp)
        out["letters"][letter] = {
            "new": len(diff["new"]),
            "changed": len(diff["changed"]),
            "unchanged": diff["unchanged"],
            "removed": len(diff["removed"]),
            "would_fetch_fighters": len(work),
            "sample": work[:5],
        }
    try:
        today = settings.current_date
        live = poll_events(settings, today=today)
        known = {e["event_id"]: e for e in stored_events(settings)}
        out["events"] = {
            "new": [e["name"] for e in live if e["event_id"] not in known],
            "recheck": [
                e["name"]
                for e in live
                if e["date"] and (today - dt.date.fromisoformat(e["date"])).days <= RECHECK_DAYS
            ],
        }
    except Exception as exc:  # noqa: BLE001 - the plan still shows the fighters
        out["events"] = {"error": str(exc)}
    return out


def print_plan(result: dict[str, Any], stream: TextIO = sys.stdout) -> None:
    w = stream.write
    w(f"{'letter':<7}{'new':>6}{'changed':>9}{'unchanged':>11}{'removed':>9}{'to fetch':>10}\n")
    total = 0
    for letter, p in sorted(result["letters"].items()):
        total += p["would_fetch_fighters"]
        w(
            f"{letter:<7}{p['new']:>6}{p['changed']:>9}{p['unchanged']:>11}{p['removed']:>9}"
            f"{p['would_fetch_fighters']:>10}\n"
        )
    w(f"fighters an incremental run would fetch (details, Sherdog, images): {total}\n")
    for letter, err in sorted(result["errors"].items()):
        w(f"letter {letter}: list page failed: {err}\n")
    ev = result.get("events", {})
    if "error" in ev:
        w(f"events: {ev['error']}\n")
    else:
        w(
            f"events: {len(ev['new'])} new {ev['new'][:5]}; cards to re-check: "
            f"{len(ev['recheck'])} {ev['recheck'][:5]}\n"
        )


def main(letters: str | None, as_json: bool) -> int:
    settings = settings_from_env()
    chosen = sorted(set((letters or "".join(LETTERS)).lower()) & set(LETTERS))
    result = plan(settings, chosen)
    if as_json:
        json.dump(result, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print_plan(result)
    return 0
