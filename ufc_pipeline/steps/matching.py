"""Steps 2 and 3: Sherdog candidates per fighter, then the global verified matching."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from ufc_pipeline.matching.assign import REVIEW, VERIFIED_STATUSES, assign, shared_sherdog_ids
from ufc_pipeline.matching.candidates import FighterCandidates, find_candidates
from ufc_pipeline.matching.overrides import load_overrides
from ufc_pipeline.matching.score import FighterProfile
from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.records import UFCStatsFighter, UFCStatsListRow
from ufc_pipeline.processed import LETTERS
from ufc_pipeline.sources.errors import FetchError
from ufc_pipeline.sources.http import PoliteClient
from ufc_pipeline.sources.sherdog import SherdogSource
from ufc_pipeline.steps.fingerprint import fingerprints, needs_work
from ufc_pipeline.steps.review import write_review_outputs
from ufc_pipeline.steps.settings import Settings


class MatchStepError(RuntimeError):
    pass


def list_rows(settings: Settings, letter: str) -> list[UFCStatsListRow]:
    data = settings.processed.require("fighters_list", letter)
    return [UFCStatsListRow.from_dict(r) for r in data["rows"]]


async def _match_letters(
    settings: Settings, letters: Sequence[str], log: Callable[[str], None]
) -> tuple[dict[str, list[dict]], dict]:
    """Match the fighters whose fingerprint changed; carry the others over."""
    store = settings.processed
    out: dict[str, list[dict[str, Any]]] = {letter: [] for letter in letters}
    work: list[tuple[str, UFCStatsListRow, str, dict[str, Any] | None]] = []
    carried = 0
    for letter in letters:
        current = fingerprints(settings, letter)
        previous = {
            e["ufcstats_id"]: e
            for e in (store.read("sherdog_matches", letter) or {}).get("fighters", [])
        }
        details = (store.read("fighter_details", letter) or {}).get("fighters", {})
        todo = needs_work(current, previous, full=settings.full_refresh)
        for row in list_rows(settings, letter):
            fid = row.ufcstats_id
            if fid in todo:
                work.append((letter, row, current[fid], (details.get(fid) or {}).get("details")))
            else:
                out[letter].append(previous[fid])
                carried += 1
    gate = asyncio.Semaphore(settings.fighter_tasks)
    async with PoliteClient(settings.sherdog) as client:
        source = SherdogSource(client, settings.raw, max_pages=settings.sherdog_max_pages)

        async def one(
            letter: str, row: UFCStatsListRow, fp: str, details: dict[str, Any] | None
        ) -> tuple[str, dict[str, Any]]:
            profile = FighterProfile.from_list_row(row)
            if details:
                profile.add_details(UFCStatsFighter.from_dict(details))
            async with gate:
                try:
                    found = await find_candidates(source, profile, settings.match, refresh=True)
                except (FetchError, ParseError) as exc:
                    found = FighterCandidates(profile=profile, error=str(exc))
                    log(f"sherdog_matches: {row.name} ({row.ufcstats_id}): {exc}")
            entry = found.to_dict()
            entry["list_row"] = row.to_dict()
            entry["fingerprint"] = fp
            return letter, entry

        done = 0
        tasks = [asyncio.ensure_future(one(*w)) for w in work]
        for fut in asyncio.as_completed(tasks):
            letter, entry = await fut
            out[letter].append(entry)
            done += 1
            if done % 500 == 0:
                log(f"sherdog_matches: {done}/{len(tasks)} fighters searched")
        stats = {
            "matched_now": len(work),
            "carried_over": carried,
            "http": client.stats.as_dict(),
            "cache": source.cache.stats.as_dict(),
            "pages_fetched": source.fetched,
            "pages_reused": source.reused,
        }
    for letter in out:
        out[letter].sort(key=lambda e: e["ufcstats_id"])
    return out, stats


def sherdog_matches_step(
    settings: Settings, letters: Sequence[str], log: Callable[[str], None] = lambda m: None
) -> dict[str, Any]:
    by_letter, stats = asyncio.run(_match_letters(settings, letters, log))
    total = sum(len(v) for v in by_letter.values())
    errors = [e for v in by_letter.values() for e in v if e.get("error")]
    if total and len(errors) / total > settings.max_error_fraction:
        sample = "; ".join(f"{e['name']}: {e['error']}" for e in errors[:5])
        raise MatchStepError(
            f"Sherdog search failed for {len(errors)} of {total} fighters "
            f"(more than {settings.max_error_fraction:.0%}); nothing was written. First: {sample}"
        )
    per_letter = {}
    for letter, entries in by_letter.items():
        settings.processed.write("sherdog_matches", letter, {"letter": letter, "fighters": entries})
        per_letter[letter] = len(entries)
    with_cands = sum(1 for v in by_letter.values() for e in v if e["candidates"])
    return {
        "fighters": total,
        "with_candidates": with_cands,
        "errors": len(errors),
        "per_letter": per_letter,
        **stats,
        "preview": [_preview(e) for v in by_letter.values() for e in v][:10],
    }


def _preview(e: dict[str, Any]) -> dict[str, Any]:
    best = e["candidates"][0] if e["candidates"] else None
    return {
        "ufcstats_id": e["ufcstats_id"],
        "name": e["name"],
        "best": best["sherdog_name"] if best else None,
        "confidence": best["confidence"] if best else None,
    }


def verified_matches_step(
    settings: Settings, letters: Sequence[str], log: Callable[[str], None] = lambda m: None
) -> dict[str, Any]:
    """Assign globally over ``letters``; verified ids of other letters stay fixed claims."""
    store = settings.processed
    overrides = load_overrides(settings.overrides_path)
    entries: list[dict[str, Any]] = []
    letter_of: dict[str, str] = {}
    for letter in letters:
        for e in store.require("sherdog_matches", letter)["fighters"]:
            entries.append(e)
            letter_of[e["ufcstats_id"]] = letter
    fixed: dict[int, str] = {}
    for letter in LETTERS:
        if letter in letters:
            continue
        data = store.read("verified_matches", letter)
        for r in (data or {}).get("rows", []):
            if r["status"] in VERIFIED_STATUSES and r.get("sherdog_id") is not None:
                fixed[int(r["sherdog_id"])] = r["ufcstats_id"]
    rows = assign(entries, overrides, settings.assign, fixed_claims=fixed)
    by_letter: dict[str, list[dict[str, Any]]] = {letter: [] for letter in letters}
    for r in rows:
        r["letter"] = letter_of[r["ufcstats_id"]]
        by_letter[r["letter"]].append(r)
    for letter, lrows in by_letter.items():
        store.write("verified_matches", letter, {"letter": letter, "rows": lrows})
    all_rows = [
        r
        for letter in LETTERS
        for r in (store.read("verified_matches", letter) or {}).get("rows", [])
    ]
    review_path = write_review_outputs(settings, all_rows, store)
    counts = Counter(r["status"] for r in rows)
    return {
        "fighters": len(rows),
        "auto_verified": counts.get("auto_verified", 0),
        "override": counts.get("override", 0),
        "review": counts.get(REVIEW, 0),
        "unmatched": counts.get("unmatched", 0),
        "shared_sherdog_ids": len(shared_sherdog_ids(all_rows)),
        "review_report": str(review_path),
        "per_letter": {k: len(v) for k, v in by_letter.items()},
        "preview": [
            {
                k: r[k]
                for k in (
                    "ufcstats_id",
                    "name",
                    "status",
                    "sherdog_id",
                    "sherdog_name",
                    "confidence",
                )
            }
            for r in rows[:10]
        ],
    }
