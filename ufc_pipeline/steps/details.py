"""UFCStats fighter pages (date of birth, record, every UFC bout with opponent id).

Only fighters whose fingerprint changed (or who have no details yet) are fetched, with a
conditional request when a stored copy exists; the others are carried over untouched.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.sources.cached import CacheStats
from ufc_pipeline.sources.errors import FetchError
from ufc_pipeline.sources.http import ClientStats, PoliteClient
from ufc_pipeline.sources.ufcstats import UFCStatsSource
from ufc_pipeline.steps.fingerprint import (
    fingerprint_inputs,
    fingerprints,
    needs_work,
)
from ufc_pipeline.steps.noop import LastRun
from ufc_pipeline.steps.progress import Progress
from ufc_pipeline.steps.report import CheckOutcome, within_error_budget
from ufc_pipeline.steps.settings import Settings


class DetailsStepError(RuntimeError):
    pass


@dataclass
class DetailsResult:
    """UFCStats fighter pages of a run: how many fighters, fetched, carried over, failed."""

    fighters: int
    fetched: int
    errors: int
    with_dob: int
    per_letter: dict[str, int]
    http: dict[str, Any]
    cache: dict[str, Any]

    def metadata(self) -> dict[str, Any]:
        return {
            "dagster/row_count": self.fighters,
            "fetched": self.fetched,
            "carried_over": self.fighters - self.fetched,
            "errors": self.errors,
            "with_dob": self.with_dob,
            "http": self.http,
            "not_modified": self.cache["not_modified"],
        }

    def checks(self) -> list[CheckOutcome]:
        have = sum(self.per_letter.values())
        return [
            CheckOutcome(
                "every_fighter_has_details",
                within_error_budget(self.errors, self.fighters) and have == self.fighters,
                f"{have} of {self.fighters} fighters have details, {self.errors} error(s)",
            )
        ]


async def _fetch(
    settings: Settings, work: list[tuple[str, str, str]], log: Callable[[str], None]
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    gate = asyncio.Semaphore(settings.fighter_tasks)
    async with PoliteClient(settings.ufcstats) as client:
        source = UFCStatsSource(client, settings.raw)
        progress = Progress("fighter_details", len(work), log, unit="fighter pages")

        async def one(letter: str, fid: str, fp: str) -> None:
            async with gate:
                entry: dict[str, Any] = {"fingerprint": fp, "letter": letter}
                try:
                    page = await source.fighter(fid, refresh=True)
                    entry["details"] = page.to_dict() if page is not None else None
                    if page is None:
                        entry["note"] = "UFCStats has no page for this id (404)"
                except (FetchError, ParseError) as exc:
                    entry["error"] = str(exc)
                    log(f"fighter_details: {fid}: {exc}")
                out[fid] = entry
                progress.advance()

        await asyncio.gather(*(one(letter, fid, fp) for letter, fid, fp in work))
        stats = {"http": client.stats.as_dict(), "cache": source.cache.stats.as_dict()}
    return out, stats


def _last_run(settings: Settings, letters: Sequence[str]) -> LastRun:
    """The record of the last run over ``letters``: what it decided from (the fingerprints'
    inputs, stamped now, before they are read) and the pages it wrote."""
    return LastRun(
        settings, "fighter_details", letters, reads=(), extra=fingerprint_inputs(settings, letters)
    )


def _recalled(last: LastRun) -> DetailsResult | None:
    """The last run's counts, when none of its inputs or outputs changed since and it left
    no failed page to try again: that run would find nothing to fetch."""
    state = last.recall()
    if state is None:
        return None
    try:
        return DetailsResult(
            fighters=state["fighters"],
            fetched=0,
            errors=0,
            with_dob=state["with_dob"],
            per_letter=state["per_letter"],
            http=ClientStats().as_dict(),
            cache=CacheStats().as_dict(),
        )
    except KeyError:  # written by a version that kept other counts
        return None


def fighter_details_step(
    settings: Settings, letters: Sequence[str], log: Callable[[str], None] = lambda m: None
) -> DetailsResult:
    """Fetch the pages of the fighters whose fingerprint changed; carry the others over.

    When nothing it decides from has changed since a run that left no failed page, that
    run's counts stand and nothing is read (see
    :func:`~ufc_pipeline.steps.fingerprint.fingerprint_inputs`)."""
    last = _last_run(settings, letters)  # stamped before anything is read
    if (same := _recalled(last)) is not None:
        return same
    store = settings.processed
    work: list[tuple[str, str, str]] = []
    previous: dict[str, dict[str, dict[str, Any]]] = {}
    current: dict[str, dict[str, str]] = {}
    for letter in letters:
        current[letter] = fingerprints(settings, letter)
        previous[letter] = (store.read("fighter_details", letter) or {}).get("fighters", {})
        todo = needs_work(current[letter], previous[letter], full=settings.full_refresh)
        work += [(letter, fid, current[letter][fid]) for fid in sorted(todo)]
    if work:
        fetched, stats = asyncio.run(_fetch(settings, work, log))
    else:  # nothing changed: no client, no robots.txt, nothing written
        fetched = {}
        stats = {"http": ClientStats().as_dict(), "cache": CacheStats().as_dict()}
    errors = {fid: e["error"] for fid, e in fetched.items() if e.get("error")}
    total = sum(len(c) for c in current.values())
    if total and len(errors) / total > settings.max_error_fraction:
        sample = "; ".join(f"{k}: {v}" for k, v in list(errors.items())[:5])
        raise DetailsStepError(
            f"UFCStats fighter pages failed for {len(errors)} of {total} fighters (more than "
            f"{settings.max_error_fraction:.0%}); nothing was written. First: {sample}"
        )
    per_letter = {}
    with_dob = 0
    failed = 0  # stored entries that are a failed page (tried again next run)
    for letter in letters:
        merged = {
            fid: fetched.get(fid) or previous[letter][fid]
            for fid in current[letter]
            if fid in fetched or fid in previous[letter]
        }
        if merged != previous[letter] or not store.path("fighter_details", letter).exists():
            store.write("fighter_details", letter, {"letter": letter, "fighters": merged})
        per_letter[letter] = len(merged)
        # counted on what was just written (not read back from disk)
        with_dob += sum(1 for e in merged.values() if (e.get("details") or {}).get("dob"))
        failed += sum(1 for e in merged.values() if e.get("error"))
    if failed:  # the next run tries them again: it is no no-op
        last.forget()
    else:
        last.keep({"fighters": total, "with_dob": with_dob, "per_letter": per_letter})
    return DetailsResult(
        fighters=total,
        fetched=len(fetched),
        errors=len(errors),
        with_dob=with_dob,
        per_letter=per_letter,
        **stats,
    )
