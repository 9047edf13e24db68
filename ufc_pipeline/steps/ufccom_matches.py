"""``ufc_com_matches``: the UFC.com athlete of each UFCStats fighter, one-to-one over all letters.

No request is made: the step reads what ``ufc_com_athletes`` stored (the athlete page found
for each fighter, and the athletes of the first list page and the rankings), the UFCStats
side (``fighters_list``, ``fighter_details``, the latest bout's weight class from the stored
fight cards) and scores every plausible pair (``matching.ufccom``). A fighter's candidates
are the athlete found at his own slug and every other known athlete sharing a name token
with him, so a slug found for the wrong fighter still reaches the right one.

One-to-one over every letter: the fighters of ``letters`` are decided together with the
fighters of letters that have ``ufc_com_athletes`` output but no ``ufc_com_matches`` output
yet (they compete for slugs but are not written); slugs verified in the stored output of
other letters are fixed claims. The decisions are cheap and pure, so every run recomputes
the fighters of its letters (same inputs, same rows).
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ufc_pipeline.fileio import file_stamp, read_state, stamp_digest, write_state
from ufc_pipeline.matching.assign import AssignSettings
from ufc_pipeline.matching.normalize import core_tokens
from ufc_pipeline.matching.ufccom import (
    REVIEW,
    STATUSES,
    UNMATCHED,
    VERIFIED,
    assign_slugs,
    fighter_facts,
    fighters_with_two_slugs,
    score_athlete,
    shared_slugs,
)
from ufc_pipeline.processed import LETTERS
from ufc_pipeline.steps.charts import confidence_chart, status_chart
from ufc_pipeline.steps.events import iter_stored_bouts
from ufc_pipeline.steps.fingerprint import letter_stamps
from ufc_pipeline.steps.noop import state_path
from ufc_pipeline.steps.report import CheckOutcome, Table
from ufc_pipeline.steps.settings import Settings

ASSET = "ufc_com_matches"
ATHLETES = "ufc_com_athletes"
REVIEW_COLUMNS = ("ufcstats_id", "name", "slug", "confidence", "reason")
PREVIEW_COLUMNS = ("ufcstats_id", "name", "status", "slug", "confidence")
#: Candidates kept per fighter besides the athlete at his own slug (the most confident).
POOL_CANDIDATES = 5
DISABLED_NOTE = "UFC.com is off (UFCCOM_ENABLED is not set): no athlete was matched"


@dataclass
class UfcComMatchesResult:
    """The decisions of a run for its letters, and the one-to-one state of every letter."""

    enabled: bool
    rows: list[dict[str, Any]]
    per_letter: dict[str, int]
    shared: dict[str, list[str]]  # slug -> fighters, over every stored letter
    two_slugs: dict[str, list[str]]  # fighter -> slugs, over every stored letter
    best_confidence: list[float | None] = field(default_factory=list)
    assign: AssignSettings = field(default_factory=AssignSettings)
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def by_status(self) -> dict[str, int]:
        counts = Counter(r["status"] for r in self.rows)
        return {s: counts.get(s, 0) for s in STATUSES}

    def metadata(self) -> dict[str, Any]:
        md: dict[str, Any] = {
            "dagster/row_count": len(self.rows),
            "ufccom_enabled": self.enabled,
            **self.by_status,
            "per_letter": self.per_letter,
        }
        if not self.enabled:
            md["note"] = DISABLED_NOTE
            return md
        review = [
            {**r, "reason": "; ".join(r["reasons"][:3])} for r in self.rows if r["status"] == REVIEW
        ]
        md.update(
            {
                **self.stats,
                "review_rows": Table.of(review, REVIEW_COLUMNS, limit=25),
                "preview": Table.of(self.rows, PREVIEW_COLUMNS),
                "confidence_histogram": confidence_chart(
                    self.best_confidence, self.assign.auto_threshold, self.assign.review_floor
                ),
                "status_chart": status_chart(self.by_status),
            }
        )
        return md

    def checks(self) -> list[CheckOutcome]:
        ok = not self.shared and not self.two_slugs
        return [
            CheckOutcome(
                "no_shared_ufccom_slug",
                ok,
                f"{len(self.shared)} UFC.com slug(s) verified for two fighters, "
                f"{len(self.two_slugs)} fighter(s) verified with two slugs (every letter)",
                {
                    "shared": dict(list(self.shared.items())[:20]),
                    "two_slugs": dict(list(self.two_slugs.items())[:20]),
                },
            )
        ]


# ---------------------------------------------------------------- inputs


@dataclass
class _Inputs:
    """What the stored outputs of every letter say."""

    facts: dict[str, dict[str, Any]]  # ufcstats_id -> fighter_facts
    letters_of: dict[str, list[str]]  # the letters whose list shows the fighter (one, normally)
    athlete_rows: dict[str, dict[str, Any]]  # ufcstats_id -> ufc_com_athletes row
    pool: dict[str, dict[str, Any]]  # slug -> athlete (a page, else a list card)
    previous: dict[str, dict[str, Any]]  # ufcstats_id -> stored ufc_com_matches row
    fixed: dict[str, str]  # slug -> ufcstats_id verified in letters not recomputed
    participants: list[str]  # fighters decided this run (written or not)


def _latest_weight_classes(settings: Settings) -> dict[str, str]:
    """ufcstats_id -> weight class of his latest bout on the stored fight cards."""
    latest: dict[str, tuple[str, str]] = {}
    for ev, b in iter_stored_bouts(settings):
        wc, date = b.get("weight_class"), ev.get("date") or ""
        if not wc:
            continue
        for fid in (b.get("fighter1_id"), b.get("fighter2_id")):
            if fid and (fid not in latest or date > latest[fid][0]):
                latest[fid] = (date, wc)
    return {fid: wc for fid, (_, wc) in latest.items()}


def _slug_of(row: Mapping[str, Any]) -> str | None:
    athlete = row.get("athlete") or {}
    return athlete.get("slug") or row.get("slug")


def _read(settings: Settings, letters: Sequence[str]) -> _Inputs:
    store = settings.processed
    classes = _latest_weight_classes(settings)
    inp = _Inputs({}, {}, {}, {}, {}, {}, [])
    cards: dict[str, dict[str, Any]] = {}
    for letter in LETTERS:
        mine = letter in letters
        athletes = store.require(ATHLETES, letter) if mine else store.read(ATHLETES, letter)
        stored = store.read(ASSET, letter)
        if not mine and stored is not None:
            for r in stored.get("rows", []):
                if r.get("status") == VERIFIED and r.get("slug"):
                    inp.fixed[str(r["slug"])] = r["ufcstats_id"]
        if athletes is None:
            continue
        for r in athletes.get("rows", []):
            slug = _slug_of(r)
            if r.get("status") == "found" and r.get("athlete") and slug:
                inp.pool.setdefault(slug, {**r["athlete"], "slug": slug})
        for c in athletes.get("discovered", []) or []:
            if c.get("slug"):
                cards.setdefault(c["slug"], dict(c))
        if not mine and stored is not None:
            continue  # decided in its own run: its verified slugs are fixed claims
        if mine:
            list_data = store.require("fighters_list", letter)
            inp.previous.update({r["ufcstats_id"]: r for r in (stored or {}).get("rows", [])})
        else:
            list_data = store.read("fighters_list", letter)
        if list_data is None:
            continue
        details = (store.read("fighter_details", letter) or {}).get("fighters", {})
        by_id = {r["ufcstats_id"]: r for r in athletes.get("rows", [])}
        off = athletes.get("enabled") is False
        for row in list_data["rows"]:
            fid = row["ufcstats_id"]
            inp.letters_of.setdefault(fid, []).append(letter)
            if fid in inp.facts:
                continue  # the same id on two letters' lists: one decision, written to both
            page = (details.get(fid) or {}).get("details")
            inp.facts[fid] = fighter_facts(row, page, classes.get(fid), settings.current_date)
            inp.participants.append(fid)
            if fid in by_id:
                inp.athlete_rows[fid] = by_id[fid]
            elif off:
                inp.athlete_rows[fid] = {"ufcstats_id": fid, "status": "off"}
    for slug, card in cards.items():
        inp.pool.setdefault(slug, card)
    for prev in inp.previous.values():
        slug = prev.get("slug")
        if prev.get("athlete") and slug:
            inp.pool.setdefault(slug, {**prev["athlete"], "slug": slug})
    return inp


# ---------------------------------------------------------------- candidates


@dataclass
class _NameIndex:
    """Known athletes by name token, to find the few worth scoring against a fighter."""

    tokens: dict[str, list[str]]  # slug -> core name tokens
    by_token: dict[str, set[str]]

    @classmethod
    def of(cls, pool: Mapping[str, Mapping[str, Any]]) -> _NameIndex:
        tokens = {slug: core_tokens(a.get("name")) for slug, a in pool.items()}
        by_token: dict[str, set[str]] = {}
        for slug, toks in tokens.items():
            for t in set(toks):
                by_token.setdefault(t, set()).add(slug)
        return cls(tokens, by_token)

    def near(self, name: str) -> set[str]:
        """Slugs whose name shares with ``name`` two tokens, or one that is the last token
        of either name (a shared "Silva" among first names is not enough), or the only one."""
        mine = core_tokens(name)
        if not mine:
            return set()
        shared: Counter[str] = Counter()
        for t in set(mine):
            for slug in self.by_token.get(t, ()):
                shared[slug] += 1
        out = set()
        for slug, n in shared.items():
            theirs = self.tokens[slug]
            if n >= 2 or theirs[-1] in mine or mine[-1] in theirs or len(mine) == 1:
                out.add(slug)
        return out


def _own_candidate(fid: str, inp: _Inputs) -> tuple[dict[str, Any] | None, str]:
    """The athlete ``ufc_com_athletes`` found for this fighter (manual when the slug came
    from ufccom_slugs.csv), or the reason there is none."""
    row = inp.athlete_rows.get(fid)
    facts = inp.facts[fid]
    if row is None:
        return None, "no ufc_com_athletes row for this fighter (materialize ufc_com_athletes)"
    if row.get("status") == "off":
        return None, (
            "ufc_com_athletes ran with UFC.com off: materialize it again with UFCCOM_ENABLED on"
        )
    status, how, slug = row.get("status"), row.get("how"), _slug_of(row)
    notes: list[str] = []
    athlete = row.get("athlete") if status == "found" else None
    if status == "failed":
        prev = inp.previous.get(fid) or {}
        if prev.get("athlete") and prev.get("slug"):
            athlete, slug = prev["athlete"], prev["slug"]
            notes.append(
                f"UFC.com page not read this run ({row.get('detail') or 'failed'}): "
                "the athlete stored by the previous run was scored"
            )
        else:
            return None, f"UFC.com page not read: {row.get('detail') or 'failed'}"
    if athlete is None or not slug:
        if how == "override" and not slug:
            return None, "marked as not on UFC.com in ufccom_slugs.csv"
        tried = ", ".join(row.get("tried") or ([slug] if slug else [])) or "no slug"
        return None, f"no UFC.com athlete page found (tried {tried})"
    confidence, reasons = score_athlete(facts, athlete)
    return {
        "ufcstats_id": fid,
        "slug": slug,
        "confidence": confidence,
        "reasons": notes + reasons,
        "athlete": {**athlete, "slug": slug},
        "manual": how == "override",
    }, ""


def _candidates(
    inp: _Inputs, index: _NameIndex
) -> tuple[list[dict[str, Any]], dict[str, str], int]:
    """Every scored pair, each fighter's reason for having none, pairs found by name."""
    out: list[dict[str, Any]] = []
    why_none: dict[str, str] = {}
    by_name = 0
    for fid in inp.participants:
        facts = inp.facts[fid]
        own, why = _own_candidate(fid, inp)
        if own is not None:
            out.append(own)
        why_none[fid] = why
        slugs = index.near(facts["name"])
        slugs.discard(own["slug"] if own else None)
        scored = []
        for slug in sorted(slugs):
            athlete = inp.pool[slug]
            confidence, reasons = score_athlete(facts, athlete)
            reasons.append("found by name, not at this fighter's own slug")
            scored.append(
                {
                    "ufcstats_id": fid,
                    "slug": slug,
                    "confidence": confidence,
                    "reasons": reasons,
                    "athlete": athlete,
                }
            )
        scored.sort(key=lambda c: (-c["confidence"], c["slug"]))
        out += scored[:POOL_CANDIDATES]
        by_name += len(scored[:POOL_CANDIDATES])
    return out, why_none, by_name


def _best(cands: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    best: dict[str, float] = {}
    for c in cands:
        fid = str(c["ufcstats_id"])
        best[fid] = max(best.get(fid, 0.0), float(c["confidence"]))
    return best


# ---------------------------------------------------------------- unchanged inputs

#: Every stored output the decisions are made from (every letter: the assignment is
#: one-to-one over all of them), and this step's own outputs.
_INPUT_DIRS = ("fighters_list", "fighter_details", ATHLETES, ASSET, "fight_cards")


def _inputs(settings: Settings, letters: Sequence[str]) -> list[Any]:
    """Stamps of everything a run's decisions depend on: the input files (name and
    :func:`~ufc_pipeline.fileio.file_stamp`; the other letters' outputs are claims), the
    hand-set slugs, the date, the thresholds and the letters. Taken before they are read."""
    own = {f"{x}.json" for x in letters}
    parts: list[Any] = [sorted(letters), settings.current_date.isoformat(), repr(settings.assign)]
    for name in _INPUT_DIRS:
        folder = settings.processed.root / name
        with contextlib.suppress(FileNotFoundError):
            for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                if name != ASSET or entry.name not in own:
                    parts.append([name, entry.name, file_stamp(entry.path)])
    parts.append(["slugs", file_stamp(settings.ufccom_slugs_path)])
    return parts


def _unchanged(settings: Settings, letters: Sequence[str]) -> UfcComMatchesResult | None:
    """The result of the last run, when nothing it was made from has changed since."""
    stamp = stamp_digest(_inputs(settings, letters), letter_stamps(settings, ASSET, letters))
    state = read_state(state_path(settings, ASSET, letters), stamp)
    if state is None:
        return None
    stored = {x: settings.processed.read(ASSET, x) for x in letters}
    if any(v is None for v in stored.values()):
        return None
    rows = [r for x in letters for r in stored[x]["rows"]]  # type: ignore[index]
    if set(LETTERS) <= set(stored):  # every letter was read just now: not read again
        all_rows = [r for x in LETTERS for r in stored[x]["rows"]]  # type: ignore[index]
    else:
        all_rows = _all_rows(settings)
    return UfcComMatchesResult(
        enabled=True,
        rows=rows,
        per_letter={x: len(stored[x]["rows"]) for x in letters},  # type: ignore[index]
        shared=shared_slugs(all_rows),
        two_slugs=fighters_with_two_slugs(all_rows),
        best_confidence=[state["best"].get(r["ufcstats_id"]) for r in rows],
        assign=settings.assign,
        stats=state["stats"],
    )


def _save_state(
    settings: Settings, letters: Sequence[str], inputs: list[Any], result: UfcComMatchesResult
) -> None:
    best = {r["ufcstats_id"]: b for r, b in zip(result.rows, result.best_confidence, strict=True)}
    stamp = stamp_digest(inputs, letter_stamps(settings, ASSET, letters))
    write_state(state_path(settings, ASSET, letters), stamp, {"best": best, "stats": result.stats})


# ---------------------------------------------------------------- the step


def _all_rows(settings: Settings) -> list[dict[str, Any]]:
    return [
        r
        for letter in LETTERS
        for r in (settings.processed.read(ASSET, letter) or {}).get("rows", [])
    ]


def ufc_com_matches_step(
    settings: Settings, letters: Sequence[str], log: Callable[[str], None] = lambda m: None
) -> UfcComMatchesResult:
    """Decide the UFC.com slug of every fighter of ``letters`` and write the rows."""
    store = settings.processed
    if settings.ufccom is None:
        for letter in letters:
            store.write(ASSET, letter, {"letter": letter, "rows": [], "disabled": True})
        log(f"{ASSET}: {DISABLED_NOTE}")
        all_rows = _all_rows(settings)
        return UfcComMatchesResult(
            enabled=False,
            rows=[],
            per_letter={letter: 0 for letter in letters},
            shared=shared_slugs(all_rows),
            two_slugs=fighters_with_two_slugs(all_rows),
            assign=settings.assign,
        )
    kept = None if settings.full_refresh else _unchanged(settings, letters)
    if kept is not None:
        log(f"{ASSET}: inputs unchanged since the last run; its {len(kept.rows)} rows stand")
        return kept
    inputs = _inputs(settings, letters)  # before reading them
    inp = _read(settings, letters)
    cands, why_none, by_name = _candidates(inp, _NameIndex.of(inp.pool))
    decisions = assign_slugs(cands, settings.assign, fighters=why_none, fixed_claims=inp.fixed)
    best = _best(cands)
    by_letter: dict[str, list[dict[str, Any]]] = {letter: [] for letter in letters}
    for d in decisions:
        fid = d["ufcstats_id"]
        for letter in inp.letters_of.get(fid, []):
            if letter not in by_letter:
                continue  # a fighter of a letter not run now: he only competed for slugs
            athlete_row = inp.athlete_rows.get(fid) or {}
            by_letter[letter].append(
                {
                    **d,
                    "letter": letter,
                    "name": inp.facts[fid]["name"],
                    "how": athlete_row.get("how"),
                }
            )
    for letter, rows in by_letter.items():
        payload = {"letter": letter, "rows": rows}
        # unchanged: not written again (the other letters' records stamp this file)
        if payload != store.read(ASSET, letter):
            store.write(ASSET, letter, payload)
    rows = [r for letter in letters for r in by_letter[letter]]
    all_rows = _all_rows(settings)
    result = UfcComMatchesResult(
        enabled=True,
        rows=rows,
        per_letter={k: len(v) for k, v in by_letter.items()},
        shared=shared_slugs(all_rows),
        two_slugs=fighters_with_two_slugs(all_rows),
        best_confidence=[best.get(r["ufcstats_id"]) for r in rows],
        assign=settings.assign,
        stats={
            "athletes_known": len(inp.pool),
            "candidates_scored": len(cands),
            "candidates_found_by_name": by_name,
            "fixed_claims": len(inp.fixed),
            "competing_fighters_not_written": sum(
                1 for d in decisions if not set(inp.letters_of[d["ufcstats_id"]]) & set(letters)
            ),
        },
    )
    _save_state(settings, letters, inputs, result)
    counts = result.by_status
    log(
        f"{ASSET}: {len(rows)} fighter(s): {counts[VERIFIED]} verified, {counts[REVIEW]} to "
        f"review, {counts[UNMATCHED]} unmatched"
    )
    return result
