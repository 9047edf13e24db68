"""Global one-to-one assignment of Sherdog ids to UFCStats fighters.

Every candidate pair of every fighter is considered together (not fighter by fighter), so a
Sherdog id goes to at most one UFCStats fighter and a fighter gets at most one Sherdog id:

1. manual approvals are fixed first; ``none`` decisions take a fighter out; rejected pairs
   are never used;
2. pairs already verified in partitions that are not being recomputed are fixed claims;
3. the remaining pairs are taken greedily from the most confident down;
4. an assigned pair is auto-verified when its confidence reaches the threshold and no
   other candidate of the same fighter comes close (else it goes to review, with reasons);
   a fighter whose own best candidate went to someone else goes to review too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ufc_pipeline.matching.overrides import Overrides, OverridesError

AUTO = "auto_verified"
OVERRIDE = "override"
REVIEW = "review"
UNMATCHED = "unmatched"
VERIFIED_STATUSES = (AUTO, OVERRIDE)


@dataclass(frozen=True)
class AssignSettings:
    auto_threshold: float = 70.0
    review_floor: float = 30.0
    ambiguity_margin: float = 25.0
    ambiguity_floor: float = 50.0


def _cands(entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    return sorted(
        entry.get("candidates") or [],
        key=lambda c: (-float(c["confidence"]), int(c["sherdog_id"])),
    )


def assign(
    entries: Iterable[Mapping[str, Any]],
    overrides: Overrides,
    settings: AssignSettings = AssignSettings(),
    fixed_claims: Mapping[int, str] | None = None,
) -> list[dict[str, Any]]:
    """Decide a status for every fighter in ``entries`` (dicts from ``sherdog_matches``).

    ``fixed_claims`` maps Sherdog ids already verified for fighters outside ``entries``.
    Returns one dict per fighter, in ``ufcstats_id`` order: 1. manual decisions, 2. the
    most confident remaining pairs first (greedy, one Sherdog id per fighter and vice
    versa), 3. a status per fighter (auto, review, unmatched) with the reasons.
    """
    entries = sorted(entries, key=lambda e: e["ufcstats_id"])
    by_id = {e["ufcstats_id"]: e for e in entries}
    taken: dict[int, str] = dict(fixed_claims or {})
    result = _manual(by_id, overrides, taken)
    chosen = _greedy(
        [e for e in entries if e["ufcstats_id"] not in result], overrides, settings, taken
    )
    for e in entries:
        if e["ufcstats_id"] not in result:
            result[e["ufcstats_id"]] = _decide(e, chosen, taken, overrides, settings)
    return [result[k] for k in sorted(result)]


def _manual(
    by_id: Mapping[str, Mapping[str, Any]], overrides: Overrides, taken: dict[int, str]
) -> dict[str, dict[str, Any]]:
    """Rows decided in sherdog_overrides.csv (approved ids are claimed in ``taken``)."""
    result: dict[str, dict[str, Any]] = {}
    for ufc_id, sid in sorted(overrides.approved.items()):
        if ufc_id not in by_id:
            continue
        other = taken.get(sid)
        if other is not None and other != ufc_id and other in by_id:
            raise OverridesError(
                f"sherdog_overrides.csv approves Sherdog id {sid} for both {other} and {ufc_id}; "
                "keep one approval and reject the other"
            )
        taken[sid] = ufc_id
        cand = next((c for c in _cands(by_id[ufc_id]) if int(c["sherdog_id"]) == sid), None)
        result[ufc_id] = _row(
            by_id[ufc_id], OVERRIDE, sid, cand, ["approved in sherdog_overrides.csv"]
        )
    for ufc_id in sorted(overrides.no_match):
        if ufc_id in by_id and ufc_id not in result:
            why = "marked as having no Sherdog page in sherdog_overrides.csv"
            result[ufc_id] = _row(by_id[ufc_id], UNMATCHED, None, None, [why])
    return result


def _greedy(
    entries: list[Mapping[str, Any]],
    overrides: Overrides,
    settings: AssignSettings,
    taken: dict[int, str],
) -> dict[str, tuple[int, Mapping[str, Any]]]:
    """The most confident pairs first; a fighter or a Sherdog id is taken once."""
    pairs = []
    for e in entries:
        for c in _cands(e):
            sid = int(c["sherdog_id"])
            if overrides.is_rejected(e["ufcstats_id"], sid):
                continue
            if float(c["confidence"]) < settings.review_floor:
                continue
            pairs.append((-float(c["confidence"]), e["ufcstats_id"], sid, c))
    pairs.sort(key=lambda p: (p[0], p[1], p[2]))
    chosen: dict[str, tuple[int, Mapping[str, Any]]] = {}
    for _neg, ufc_id, sid, c in pairs:
        if ufc_id in chosen or sid in taken:
            continue
        taken[sid] = ufc_id
        chosen[ufc_id] = (sid, c)
    return chosen


def _decide(
    e: Mapping[str, Any],
    chosen: Mapping[str, tuple[int, Mapping[str, Any]]],
    taken: Mapping[int, str],
    overrides: Overrides,
    settings: AssignSettings,
) -> dict[str, Any]:
    """The status of one fighter after the greedy pass, with the reasons."""
    ufc_id = e["ufcstats_id"]
    usable = [c for c in _cands(e) if not overrides.is_rejected(ufc_id, int(c["sherdog_id"]))]
    best = usable[0] if usable else None
    if ufc_id not in chosen:
        if best is not None and float(best["confidence"]) >= settings.review_floor:
            owner = taken.get(int(best["sherdog_id"]))
            why = (
                f"best candidate {best['sherdog_name']} ({best['sherdog_id']}) is "
                f"assigned to {owner}"
                if owner
                else "no candidate left"
            )
            return _row(e, REVIEW, int(best["sherdog_id"]), best, [why])
        why = (
            "no Sherdog search result resembles this fighter"
            if best is None
            else f"best candidate scores {float(best['confidence']):.0f} < "
            f"{settings.review_floor:.0f}"
        )
        return _row(e, UNMATCHED, None, best, [why])
    sid, c = chosen[ufc_id]
    conf = float(c["confidence"])
    notes: list[str] = []
    status = AUTO
    if conf < settings.auto_threshold:
        status = REVIEW
        notes.append(
            f"confidence {conf:.0f} below the auto threshold {settings.auto_threshold:.0f}"
        )
    others = [x for x in usable if int(x["sherdog_id"]) != sid]
    if others:
        runner = others[0]
        rc = float(runner["confidence"])
        if rc >= settings.ambiguity_floor and conf - rc < settings.ambiguity_margin:
            status = REVIEW
            notes.append(
                f"runner-up {runner['sherdog_name']} ({runner['sherdog_id']}) "
                f"scores {rc:.0f}, too close"
            )
        if rc > conf and taken.get(int(runner["sherdog_id"])) != ufc_id:
            status = REVIEW
            notes.append(
                f"better candidate {runner['sherdog_id']} is assigned to "
                f"{taken.get(int(runner['sherdog_id']))}"
            )
    return _row(e, status, sid, c, notes)


def _row(
    entry: Mapping[str, Any],
    status: str,
    sid: int | None,
    cand: Mapping[str, Any] | None,
    notes: list[str],
) -> dict[str, Any]:
    cands = _cands(entry)
    runner = next((c for c in cands if sid is None or int(c["sherdog_id"]) != sid), None)
    return {
        "ufcstats_id": entry["ufcstats_id"],
        "name": entry.get("name"),
        "status": status,
        "sherdog_id": sid,
        "sherdog_name": cand.get("sherdog_name") if cand else None,
        "confidence": float(cand["confidence"]) if cand else None,
        "reasons": list(cand.get("reasons", [])) if cand else [],
        "notes": notes,
        "runner_up": (
            {
                "sherdog_id": int(runner["sherdog_id"]),
                "sherdog_name": runner.get("sherdog_name"),
                "confidence": float(runner["confidence"]),
            }
            if runner
            else None
        ),
        "error": entry.get("error"),
    }


def shared_sherdog_ids(rows: Iterable[Mapping[str, Any]]) -> dict[int, list[str]]:
    """Sherdog ids verified for more than one UFCStats fighter (should be empty)."""
    seen: dict[int, list[str]] = {}
    for r in rows:
        if r.get("status") in VERIFIED_STATUSES and r.get("sherdog_id") is not None:
            seen.setdefault(int(r["sherdog_id"]), []).append(r["ufcstats_id"])
    return {k: v for k, v in seen.items() if len(v) > 1}
