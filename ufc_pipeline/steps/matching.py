"""Sherdog candidates per fighter, then the global one-to-one verified matching."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ufc_pipeline.fileio import read_state, stamp_digest, write_state
from ufc_pipeline.matching.assign import (
    REVIEW,
    VERIFIED_STATUSES,
    AssignSettings,
    assign,
    shared_sherdog_ids,
)
from ufc_pipeline.matching.candidates import LINK_QUERY, FighterCandidates, find_candidates
from ufc_pipeline.matching.links import OpponentLinks
from ufc_pipeline.matching.overrides import load_overrides
from ufc_pipeline.matching.score import FighterProfile
from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.records import UFCStatsFighter, UFCStatsListRow
from ufc_pipeline.processed import LETTERS
from ufc_pipeline.sources.cached import CacheStats
from ufc_pipeline.sources.errors import FetchError
from ufc_pipeline.sources.http import ClientStats, PoliteClient
from ufc_pipeline.sources.sherdog import SherdogSource
from ufc_pipeline.steps.charts import confidence_chart, status_chart
from ufc_pipeline.steps.fingerprint import (
    fingerprint_inputs,
    fingerprints,
    letter_stamps,
    needs_work,
)
from ufc_pipeline.steps.noop import LastRun, state_path
from ufc_pipeline.steps.progress import Progress
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
    found_by_link: int
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
            "found_by_link": self.found_by_link,
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
    # the best candidate's confidence of each fighter (None: no candidate), for the chart
    best_confidence: list[float | None] = field(default_factory=list)
    assign: AssignSettings = field(default_factory=AssignSettings)

    def metadata(self) -> dict[str, Any]:
        return {
            "dagster/row_count": self.fighters,
            "auto_verified": self.by_status.get("auto_verified", 0),
            "override": self.by_status.get("override", 0),
            "review": self.by_status.get(REVIEW, 0),
            "unmatched": self.by_status.get("unmatched", 0),
            "review_report": FileRef(self.review_report),
            "preview": Table.of(self.preview, VERIFIED_PREVIEW),
            "confidence_histogram": confidence_chart(
                self.best_confidence, self.assign.auto_threshold, self.assign.review_floor
            ),
            "status_chart": status_chart(self.by_status),
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


Work = tuple[str, UFCStatsListRow, str, FighterProfile]  # letter, row, fingerprint, profile
# Share of the fighters matched before each freeze of the opponent links (see matching.links):
# the fighters with the most UFC bouts go first, and their pages link most of the others.
WAVES = (0.3, 0.6, 0.8, 1.0)


@dataclass
class _Plan:
    """What a run has to do: the fighters to match, and what the letters hold already."""

    work: list[Work] = field(default_factory=list)
    listed: int = 0  # fighters on the list pages of the letters
    # letters whose output would be written again unchanged (every fighter carried over)
    unchanged: set[str] = field(default_factory=set)


def _work(
    settings: Settings, letters: Sequence[str], out: dict[str, list[dict[str, Any]]]
) -> _Plan:
    """Fighters whose fingerprint changed (the others are carried over into ``out``),
    the most UFC bouts first. A letter with none reads no fighter details."""
    store = settings.processed
    plan = _Plan()
    for letter in letters:
        current = fingerprints(settings, letter)
        before = store.read("sherdog_matches", letter) or {}
        previous = {e["ufcstats_id"]: e for e in before.get("fighters", [])}
        todo = needs_work(current, previous, full=settings.full_refresh)
        rows = store.require("fighters_list", letter)["rows"]  # dicts: most are carried over
        plan.listed += len(rows)
        details = (store.read("fighter_details", letter) or {}).get("fighters", {}) if todo else {}
        matched = len(plan.work)
        for raw in rows:
            fid = raw["ufcstats_id"]
            if fid not in todo:
                out[letter].append(previous[fid])
                continue
            row = UFCStatsListRow.from_dict(raw)
            profile = FighterProfile.from_list_row(row)
            page = (details.get(fid) or {}).get("details")
            if page:
                profile.add_details(UFCStatsFighter.from_dict(page))
            plan.work.append((letter, row, current[fid], profile))
        if len(plan.work) == matched and before == {
            "letter": letter,
            "fighters": sorted(out[letter], key=_by_id),
        }:
            plan.unchanged.add(letter)
    plan.work.sort(key=lambda w: (-len(w[3].bouts), w[1].ufcstats_id))
    return plan


def _by_id(entry: dict[str, Any]) -> str:
    return entry["ufcstats_id"]


async def _match_letters(
    settings: Settings, letters: Sequence[str], log: Callable[[str], None]
) -> tuple[dict[str, list[dict]], dict, _Plan]:
    """Match the fighters whose fingerprint changed, in waves; carry the others over."""
    out: dict[str, list[dict[str, Any]]] = {letter: [] for letter in letters}
    plan = _work(settings, letters, out)
    work = plan.work
    carried = sum(len(v) for v in out.values())
    progress = Progress("sherdog_matches", len(work), log, unit="fighters searched")
    if not work:  # nothing changed: no client, no request
        for entries in out.values():
            entries.sort(key=_by_id)
        return out, _stats(0, carried, ClientStats(), CacheStats(), out), plan
    gate = asyncio.Semaphore(settings.fighter_tasks)
    links = OpponentLinks()
    async with PoliteClient(settings.sherdog) as client:
        source = SherdogSource(
            client, settings.raw, max_pages=settings.sherdog_max_pages, on_page=links.add
        )

        async def one(letter: str, row: UFCStatsListRow, fp: str, profile: FighterProfile):
            async with gate:
                linked = links.candidates(profile, settings.match.min_name_score)
                try:
                    found = await find_candidates(
                        source, profile, settings.match, refresh=True, linked=linked
                    )
                except (FetchError, ParseError) as exc:
                    found = FighterCandidates(profile=profile, error=str(exc))
                    log(f"sherdog_matches: {row.name} ({row.ufcstats_id}): {exc}")
            entry = found.to_dict()
            entry["list_row"] = row.to_dict()
            entry["fingerprint"] = fp
            out[letter].append(entry)
            progress.advance()

        start = 0
        for share in WAVES:
            end = round(share * len(work))
            await asyncio.gather(*(one(*w) for w in work[start:end]))
            links.freeze()
            start = end
        stats = _stats(len(work), carried, client.stats, source.cache.stats, out)
    for letter in out:
        out[letter].sort(key=_by_id)
    return out, stats, plan


def _stats(
    matched: int,
    carried: int,
    http: ClientStats,
    cache: CacheStats,
    out: dict[str, list[dict[str, Any]]],
) -> dict[str, Any]:
    return {
        "matched_now": matched,
        "carried_over": carried,
        "http": http.as_dict(),
        "cache": cache.as_dict(),
        "pages_fetched": cache.fetched,
        "pages_reused": cache.reused,
        "found_by_link": sum(
            1 for v in out.values() for e in v if e.get("queries") == [LINK_QUERY]
        ),
    }


def _last_matches(settings: Settings, letters: Sequence[str]) -> LastRun:
    """The record of the last search over ``letters``: what it decided from (the
    fingerprints' inputs, stamped now, before they are read) and the files it wrote."""
    return LastRun(
        settings, "sherdog_matches", letters, reads=(), extra=fingerprint_inputs(settings, letters)
    )


def _recalled_matches(last: LastRun) -> MatchResult | None:
    """The last run's result, when none of its inputs or outputs changed since and it left
    no failed search to try again: that run would search nobody."""
    state = last.recall()
    if state is None:
        return None
    try:
        return MatchResult(**state["result"])
    except (KeyError, TypeError):  # written by a version with other fields
        return None


def sherdog_matches_step(
    settings: Settings, letters: Sequence[str], log: Callable[[str], None] = lambda m: None
) -> MatchResult:
    """Search Sherdog for the fighters whose fingerprint changed; carry the others over.

    When nothing it decides from has changed since a run that left no failed search, that
    run's result stands and nothing is read (see
    :func:`~ufc_pipeline.steps.fingerprint.fingerprint_inputs`)."""
    last = _last_matches(settings, letters)  # stamped before anything is read
    if same := _recalled_matches(last):
        return same
    by_letter, stats, plan = asyncio.run(_match_letters(settings, letters, log))
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
        if letter not in plan.unchanged:  # an unchanged letter keeps its file as it is
            payload = {"letter": letter, "fighters": entries}
            settings.processed.write("sherdog_matches", letter, payload)
        per_letter[letter] = len(entries)
    result = MatchResult(
        fighters=total,
        listed=plan.listed,
        with_candidates=sum(1 for v in by_letter.values() for e in v if e["candidates"]),
        errors=len(errors),
        preview=[_preview(e) for v in by_letter.values() for e in v][:10],
        **stats,
    )
    if errors:  # the next run searches them again: it is no no-op
        last.forget()
    else:
        nothing = _stats(0, total, ClientStats(), CacheStats(), by_letter)  # a run with no work
        last.keep({"result": {**dataclasses.asdict(result), **nothing}})
    return result


def _preview(e: dict[str, Any]) -> dict[str, Any]:
    best = e["candidates"][0] if e["candidates"] else None
    return {
        "ufcstats_id": e["ufcstats_id"],
        "name": e["name"],
        "best": best["sherdog_name"] if best else None,
        "confidence": best["confidence"] if best else None,
    }


def _assign_inputs(settings: Settings, letters: Sequence[str]) -> list[Any]:
    """Stamps of what the assignment over ``letters`` is made from: the letters, the
    thresholds, the overrides file (its bytes), every letter's ``sherdog_matches`` and the
    other letters' ``verified_matches`` (their claims), by
    :func:`~ufc_pipeline.fileio.file_stamp` (the pipeline replaces them by a rename)."""
    try:
        overrides = hashlib.sha256(settings.overrides_path.read_bytes()).hexdigest()
    except FileNotFoundError:
        overrides = None
    parts: list[Any] = [sorted(letters), repr(settings.assign), overrides]
    parts += letter_stamps(settings, "sherdog_matches", LETTERS)
    parts += letter_stamps(settings, "verified_matches", [x for x in LETTERS if x not in letters])
    return parts


def _previous_assignment(
    settings: Settings, letters: Sequence[str], stamp: str
) -> tuple[list[dict[str, Any]], list[float | None]] | None:
    """The rows the last assignment over ``letters`` gave, in its order, and the best
    candidate confidence of each fighter, when nothing they were made from has changed
    since (else None)."""
    state = read_state(state_path(settings, "verified_matches", letters), stamp)
    if state is None:
        return None
    stored = {
        r["ufcstats_id"]: r
        for letter in letters
        for r in (settings.processed.read("verified_matches", letter) or {}).get("rows", [])
    }
    order = state.get("order") or []
    best = state.get("best_confidence")  # absent from a state an older version wrote
    if len(order) != len(stored) or not all(fid in stored for fid in order) or best is None:
        return None
    return [stored[fid] for fid in order], best


def verified_matches_step(
    settings: Settings, letters: Sequence[str], log: Callable[[str], None] = lambda m: None
) -> VerifyResult:
    """Assign globally over ``letters``; verified ids of other letters stay fixed claims.

    When nothing the assignment is made from has changed since the last run (see
    :func:`_assign_inputs`), its rows stand: neither the candidates nor the assignment are
    read or computed again."""
    store = settings.processed
    inputs = _assign_inputs(settings, letters)  # before reading them
    overrides = load_overrides(settings.overrides_path)  # a malformed file is refused first
    now = stamp_digest(inputs, letter_stamps(settings, "verified_matches", letters))
    previous = _previous_assignment(settings, letters, now)
    if previous is not None:
        rows, best_confidence = previous
    else:
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
        for r in rows:
            r["letter"] = letter_of[r["ufcstats_id"]]
        best_confidence = [_best_confidence(e) for e in entries]
    by_letter: dict[str, list[dict[str, Any]]] = {letter: [] for letter in letters}
    for r in rows:
        by_letter[r["letter"]].append(r)
    for letter, lrows in by_letter.items():
        if previous is not None:
            break  # the rows were read from these very files
        payload = {"letter": letter, "rows": lrows}
        if payload != store.read("verified_matches", letter):  # unchanged: not encoded again
            store.write("verified_matches", letter, payload)
    all_rows = [
        r
        for letter in LETTERS
        for r in (
            by_letter[letter]
            if letter in by_letter
            else (store.read("verified_matches", letter) or {}).get("rows", [])
        )
    ]
    review_path = write_review_outputs(settings, all_rows, store)
    write_state(
        state_path(settings, "verified_matches", letters),
        stamp_digest(inputs, letter_stamps(settings, "verified_matches", letters)),
        {"order": [r["ufcstats_id"] for r in rows], "best_confidence": best_confidence},
    )
    return VerifyResult(
        fighters=len(rows),
        by_status=dict(Counter(r["status"] for r in rows)),
        shared_sherdog_ids=len(shared_sherdog_ids(all_rows)),
        review_report=str(review_path),
        per_letter={k: len(v) for k, v in by_letter.items()},
        preview=[{k: r[k] for k in VERIFIED_PREVIEW} for r in rows[:10]],
        best_confidence=best_confidence,
        assign=settings.assign,
    )


def _best_confidence(entry: dict[str, Any]) -> float | None:
    return max((float(c["confidence"]) for c in entry.get("candidates") or []), default=None)
