"""Sherdog candidates per fighter, then the global one-to-one verified matching."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
from ufc_pipeline.steps.report import CheckOutcome, FileRef, Table, within_error_budget
from ufc_pipeline.steps.review import write_review_outputs
from ufc_pipeline.steps.settings import Settings


class MatchStepError(RuntimeError):
    pass


@dataclass
class MatchResult:
    """Sherdog search of a run: fighters searched, with candidates, failed, pages used."""

    fighters: int
    listed: int
    with_candidates: int
    errors: int
    matched_now: int
    carried_over: int
    pages_fetched: int
    pages_reused: int
    http: dict[str, Any]
    cache: dict[str, Any]
    preview: list[dict[str, Any]]

    def metadata(self) -> dict[str, Any]:
        return {
            "dagster/row_count": self.fighters,
            "with_candidates": self.with_candidates,
            "errors": self.errors,
            "matched_now": self.matched_now,
            "carried_over": self.carried_over,
            "pages_fetched": self.pages_fetched,
            "pages_reused": self.pages_reused,
            "http": self.http,
            "preview": Table.of(self.preview, ("ufcstats_id", "name", "best", "confidence")),
        }

    def checks(self) -> list[CheckOutcome]:
        return [
            CheckOutcome(
                "every_fighter_searched",
                self.fighters == self.listed and within_error_budget(self.errors, self.listed),
                f"{self.fighters} of {self.listed} fighters searched, {self.errors} error(s)",
            )
        ]


VERIFIED_PREVIEW = ("ufcstats_id", "name", "status", "sherdog_id", "sherdog_name", "confidence")


@dataclass
class VerifyResult:
    """The one-to-one assignment of a run, by status, and the review report."""

    fighters: int
    by_status: dict[str, int]
    shared_sherdog_ids: int
    review_report: str
    per_letter: dict[str, int]
    preview: list[dict[str, Any]]

    def metadata(self) -> dict[str, Any]:
        return {
            "dagster/row_count": self.fighters,
            "auto_verified": self.by_status.get("auto_verified", 0),
            "override": self.by_status.get("override", 0),
            "review": self.by_status.get(REVIEW, 0),
            "unmatched": self.by_status.get("unmatched", 0),
            "review_report": FileRef(self.review_report),
            "preview": Table.of(self.preview, VERIFIED_PREVIEW),
        }

    def checks(self) -> list[CheckOutcome]:
        return [
            CheckOutcome(
                "no_shared_sherdog_id",
                self.shared_sherdog_ids == 0,
                f"{self.shared_sherdog_ids} Sherdog id(s) verified for two fighters",
            )
        ]


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
) -> MatchResult:
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
    return MatchResult(
        fighters=total,
        listed=sum(len(list_rows(settings, letter)) for letter in letters),
        with_candidates=sum(1 for v in by_letter.values() for e in v if e["candidates"]),
        errors=len(errors),
        preview=[_preview(e) for v in by_letter.values() for e in v][:10],
        **stats,
    )


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
) -> VerifyResult:
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
    return VerifyResult(
        fighters=len(rows),
        by_status=dict(Counter(r["status"] for r in rows)),
        shared_sherdog_ids=len(shared_sherdog_ids(all_rows)),
        review_report=str(review_path),
        per_letter={k: len(v) for k, v in by_letter.items()},
        preview=[{k: r[k] for k in VERIFIED_PREVIEW} for r in rows[:10]],
    )
