"""Matching UFC.com athletes to UFCStats fighters: evidence per pair, then one-to-one.

:func:`score_athlete` weighs one UFC.com athlete (a ``UfcComAthlete.to_dict()`` or a list
card's dict) against one UFCStats fighter (a dict from :func:`fighter_facts`). Like the
Sherdog matching (``matching.score``), each signal adds log-odds evidence with a reason and
the total goes through a logistic to a confidence 0-100:

* name: the shared normalisation (accents folded, order, Jr./Sr., middle names, Mike/Michael)
  and a nickname used as the first name;
* nickname: equal, or two different ones;
* birth date (UFC.com's JSON-LD ``birthDate``): equal is strong evidence, a different date
  strong evidence against; when the page has only the age, the age at ``as_of``;
* record W-L-D: UFC.com updates after UFCStats, so being a bout or two behind still counts
  for the pair; a record far off counts against it;
* division against the fighter's latest UFC weight class (from his latest bout on the stored
  fight cards, else from his listed weight); height and reach when both sides have them.

:func:`assign_slugs` decides over every fighter at once: a slug goes to at most one fighter
and a fighter gets at most one slug. Slugs set by hand (``data/manual/ufccom_slugs.csv``)
are taken first, then the most confident pairs; a pair is verified at the auto threshold
when no other candidate of the fighter, and no other fighter claiming the slug, comes close
(in log-odds, :data:`AMBIGUITY_LOGITS`); a close slug that is clearly another fighter's, or
a close claimant who clearly has a better slug of his own, does not count.
A fighter whose best slug went to someone else goes to review ("slug also claimed by <id>").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import Any

from ufc_pipeline.matching.assign import AssignSettings
from ufc_pipeline.matching.names import name_similarity
from ufc_pipeline.matching.normalize import fold
from ufc_pipeline.matching.score import (
    PRIOR_LOGIT,
    Evidence,
    _name_evidence,
    _nickname_evidence,
)

VERIFIED = "verified"
REVIEW = "review"
UNMATCHED = "unmatched"
STATUSES = (VERIFIED, REVIEW, UNMATCHED)

#: UFC weight classes, lightest first, with their limit in pounds.
CLASSES: tuple[tuple[str, int], ...] = (
    ("Strawweight", 115),
    ("Flyweight", 125),
    ("Bantamweight", 135),
    ("Featherweight", 145),
    ("Lightweight", 155),
    ("Welterweight", 170),
    ("Middleweight", 185),
    ("Light Heavyweight", 205),
    ("Heavyweight", 265),
)
CLAIMED_BY = "slug also claimed by"
#: A rival pair closer than this in log-odds to the chosen one makes the choice a review
#: (2.0: the chosen pair is less than about 7 times likelier).
AMBIGUITY_LOGITS = 2.0


# ---------------------------------------------------------------- facts of the UFCStats side


def fighter_facts(
    list_row: Mapping[str, Any],
    details: Mapping[str, Any] | None = None,
    weight_class: str | None = None,
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """What the matching knows of a UFCStats fighter, as a plain dict.

    ``list_row``: a ``fighters_list`` row; ``details``: the parsed fighter page of
    ``fighter_details`` (``UFCStatsFighter.to_dict()``) or None; ``weight_class``: the
    weight class of his latest UFC bout as the fight card shows it ("Women's Flyweight
    Bout"), or None; ``as_of``: the date ages are compared at.
    """
    d = details or {}
    first, last = list_row.get("first_name"), list_row.get("last_name")
    name = " ".join(p for p in (first, last) if p) or d.get("name") or ""

    def pick(key: str) -> Any:
        value = list_row.get(key)
        return d.get(key) if value is None else value

    return {
        "ufcstats_id": list_row["ufcstats_id"],
        "name": name,
        "nickname": pick("nickname"),
        "dob": d.get("dob"),
        "wins": pick("wins"),
        "losses": pick("losses"),
        "draws": pick("draws"),
        "height_in": pick("height_in"),
        "weight_lbs": pick("weight_lbs"),
        "reach_in": pick("reach_in"),
        "weight_class": weight_class,
        "as_of": as_of.isoformat() if as_of else None,
    }


# ---------------------------------------------------------------- divisions


def division_of(text: str | None) -> tuple[int | None, bool | None]:
    """(index in :data:`CLASSES`, women's) of a division or bout label; (None, None) for a
    catch weight, an open weight or nothing. Both sites name women's classes explicitly."""
    t = fold(text)
    if not t:
        return None, None
    if "light heavyweight" in t:
        index = 7
    elif "heavyweight" in t:
        index = 8
    else:
        index = next(
            (i for i, (name, _) in enumerate(CLASSES) if name.casefold() in t.split()), None
        )
    if index is None:
        return None, None
    return index, ("women" in t.split() or "womens" in t.split())


def class_of_weight(weight_lbs: float | None) -> int | None:
    """The lightest class whose limit holds ``weight_lbs`` (None when unknown)."""
    if not weight_lbs:
        return None
    for i, (_, limit) in enumerate(CLASSES):
        if weight_lbs <= limit + 0.5:
            return i
    return len(CLASSES) - 1


def _division_evidence(fighter: Mapping[str, Any], athlete: Mapping[str, Any]) -> Evidence | None:
    ours, our_women = division_of(fighter.get("weight_class"))
    our_text = f"latest UFC bout at {CLASSES[ours][0]}" if ours is not None else ""
    if ours is None:
        ours, our_women = class_of_weight(_num(fighter.get("weight_lbs"))), None
        our_text = (
            f"listed at {_num(fighter.get('weight_lbs')):.0f} lbs" if ours is not None else ""
        )
    theirs, their_women = division_of(athlete.get("division"))
    their_text = f"UFC.com {athlete.get('division')}"
    if theirs is None:
        theirs, their_women = class_of_weight(_num(athlete.get("weight_lbs"))), None
        if theirs is not None:
            their_text = f"UFC.com weight {_num(athlete.get('weight_lbs')):.0f} lbs"
    if ours is None or theirs is None:
        return None
    text = f"{our_text} vs {their_text}"
    if our_women is not None and their_women is not None and our_women != their_women:
        return Evidence("division", -2.0, f"men's and women's divisions ({text})")
    gap = abs(ours - theirs)
    if gap == 0:
        return Evidence("division", 0.7, f"same division ({text})")
    if gap == 1:
        return Evidence("division", 0.0, f"division one class apart ({text})")
    return Evidence("division", -1.0, f"division {gap} classes apart ({text})")


# ---------------------------------------------------------------- other signals


def _num(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _dob_evidence(fighter: Mapping[str, Any], athlete: Mapping[str, Any]) -> Evidence | None:
    ours, theirs = _date(fighter.get("dob")), _date(athlete.get("birth_date"))
    if ours is None:
        return None
    if theirs is None:
        return _age_evidence(ours, athlete.get("age"), _date(fighter.get("as_of")))
    if ours == theirs:
        return Evidence("dob", 3.5, f"same date of birth ({ours.isoformat()})")
    text = f"{ours.isoformat()} vs UFC.com {theirs.isoformat()}"
    if (ours.year, ours.day, ours.month) == (theirs.year, theirs.month, theirs.day):
        return Evidence("dob", 1.0, f"date of birth with day and month swapped ({text})")
    if abs((ours - theirs).days) <= 1 or (
        (ours.month, ours.day) == (theirs.month, theirs.day) and abs(ours.year - theirs.year) == 1
    ):
        return Evidence("dob", -2.0, f"date of birth nearly the same ({text})")
    return Evidence("dob", -9.0, f"different date of birth ({text})")


def _age_evidence(dob: dt.date, age: Any, as_of: dt.date | None) -> Evidence | None:
    years = _num(age)
    if years is None or as_of is None:
        return None
    expected = as_of.year - dob.year - ((as_of.month, as_of.day) < (dob.month, dob.day))
    gap = abs(int(years) - expected)
    if gap <= 1:
        return Evidence("age", 0.3, f"UFC.com age {int(years)} fits the date of birth")
    if gap <= 2:
        return Evidence("age", -0.5, f"UFC.com age {int(years)}, {expected} expected")
    # mild: the page's age is as of when it was read, which a stored copy can make old
    return Evidence("age", -1.5, f"UFC.com age {int(years)}, {expected} expected")


def _record(obj: Mapping[str, Any]) -> tuple[int, int, int] | None:
    w, lo = obj.get("wins"), obj.get("losses")
    if w is None or lo is None:
        return None
    return int(w), int(lo), int(obj.get("draws") or 0)


def _record_evidence(fighter: Mapping[str, Any], athlete: Mapping[str, Any]) -> Evidence | None:
    ours, theirs = _record(fighter), _record(athlete)
    if ours is None or theirs is None:
        return None
    text = "{}-{}-{} vs UFC.com {}-{}-{}".format(*ours, *theirs)
    if ours == theirs:
        return Evidence("record", 2.0, f"record identical ({text})")
    diff = sum(abs(a - b) for a, b in zip(ours, theirs, strict=True))
    behind = all(b <= a for a, b in zip(ours, theirs, strict=True))
    if diff <= 2 and behind:
        return Evidence("record", 1.2, f"UFC.com record {diff} bout(s) behind ({text})")
    if diff <= 2:
        return Evidence("record", 0.4, f"record nearly identical ({text})")
    if diff <= 4:
        return Evidence("record", -1.0, f"record differs ({text})")
    return Evidence("record", -2.5, f"record far apart ({text})")


def _measure_evidence(
    signal: str, ours: Any, theirs: Any, good: float, bad: float
) -> Evidence | None:
    a, b = _num(ours), _num(theirs)
    if not a or not b:
        return None
    d = abs(a - b)
    text = f"{a:.0f} vs UFC.com {b:.0f} in"
    if d <= 1:
        return Evidence(signal, good, f"{signal} agrees ({text})")
    if d <= 2:
        return Evidence(signal, -0.2, f"{signal} close ({text})")
    return Evidence(signal, bad, f"{signal} differs ({text})")


def _name(fighter: Mapping[str, Any], athlete: Mapping[str, Any]) -> Evidence:
    ours, theirs = fighter.get("name") or "", athlete.get("name") or ""
    score, reason = name_similarity(ours, theirs)
    if score < 90:
        # Known by a nickname: "Jacare Souza" on one site, Ronaldo "Jacare" Souza on the other.
        for nick, name, other in (
            (athlete.get("nickname"), theirs, ours),
            (fighter.get("nickname"), ours, theirs),
        ):
            if nick and len(name.split()) >= 2:
                alt = " ".join([nick, *name.split()[1:]])
                if name_similarity(other, alt)[0] >= 95:
                    score, reason = 90.0, f'nickname "{nick}" used as first name'
                    break
    return _name_evidence(score, f"{reason}: {ours} / {theirs}")


def evidence(fighter: Mapping[str, Any], athlete: Mapping[str, Any]) -> list[Evidence]:
    """Every signal that speaks for or against the pair, the name first."""
    found = [
        _name(fighter, athlete),
        _nickname_evidence(fighter.get("nickname"), athlete.get("nickname")),
        _dob_evidence(fighter, athlete),
        _record_evidence(fighter, athlete),
        _division_evidence(fighter, athlete),
        _measure_evidence("height", fighter.get("height_in"), athlete.get("height_in"), 0.4, -1.2),
        _measure_evidence("reach", fighter.get("reach_in"), athlete.get("reach_in"), 0.3, -0.8),
    ]
    return [e for e in found if e is not None]


def score_athlete(
    fighter: Mapping[str, Any], athlete: Mapping[str, Any]
) -> tuple[float, list[str]]:
    """Confidence 0-100 that ``athlete`` (UFC.com) is ``fighter`` (UFCStats), with the
    reasons ("+ ..." for, "- ..." against)."""
    found = evidence(fighter, athlete)
    z = PRIOR_LOGIT + sum(e.logit for e in found)
    confidence = 100.0 / (1.0 + math.exp(-z))
    return confidence, [f"{'+' if e.logit >= 0 else '-'} {e.reason}" for e in found]


# ---------------------------------------------------------------- one-to-one assignment


def _key(c: Mapping[str, Any]) -> tuple[float, str, str]:
    return (-float(c["confidence"]), str(c["ufcstats_id"]), str(c["slug"]))


def _by_fighter(candidates: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """Each fighter's candidates, one per slug (a manual one, else the most confident), best
    first."""
    best: dict[tuple[str, str], Mapping[str, Any]] = {}
    for c in candidates:
        if not c.get("slug"):
            continue
        k = (str(c["ufcstats_id"]), str(c["slug"]))
        old = best.get(k)
        rank = (bool(c.get("manual")), float(c["confidence"]))
        if old is None or rank > (bool(old.get("manual")), float(old["confidence"])):
            best[k] = c
    out: dict[str, list[Mapping[str, Any]]] = {}
    for (fid, _), c in best.items():
        out.setdefault(fid, []).append(c)
    for cands in out.values():
        cands.sort(key=_key)
    return out


def _decision(
    fid: str,
    status: str,
    cand: Mapping[str, Any] | None,
    notes: list[str],
    runner: Mapping[str, Any] | None,
    *,
    keep_slug: bool = True,
) -> dict[str, Any]:
    return {
        "ufcstats_id": fid,
        "slug": cand["slug"] if cand is not None and keep_slug else None,
        "status": status,
        "confidence": round(float(cand["confidence"]), 1) if cand is not None else 0.0,
        "reasons": notes + (list(cand.get("reasons") or []) if cand is not None else []),
        "athlete": cand.get("athlete") if cand is not None and keep_slug else None,
        "runner_up": (
            {"slug": runner["slug"], "confidence": round(float(runner["confidence"]), 1)}
            if runner is not None
            else None
        ),
    }


def assign_slugs(
    candidates: Iterable[Mapping[str, Any]],
    settings: AssignSettings | None = None,
    *,
    fighters: Mapping[str, str] | None = None,
    fixed_claims: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """One decision per fighter, in ``ufcstats_id`` order; a slug verified at most once.

    ``candidates``: dicts ``{ufcstats_id, slug, confidence, reasons, athlete, manual?}``
    (``manual``: the slug was set by hand, it wins whatever its score). ``fighters``: the
    fighters to decide, each with what to say when he gets no slug ("" for nothing; a
    fighter only named in ``candidates`` is decided too). ``fixed_claims``: slug -> ufcstats_id
    already verified for fighters decided elsewhere (they keep them).

    Decision: ``{ufcstats_id, slug, status, confidence, reasons, athlete, runner_up}``,
    status ``verified``, ``review`` or ``unmatched``; the reasons start with what decided
    the status, then the evidence of the pair.
    """
    settings = settings or AssignSettings()
    by_fighter = _by_fighter(candidates)
    why_none = dict(fighters or {})
    ids = sorted(set(by_fighter) | set(why_none))
    taken: dict[str, str] = dict(fixed_claims or {})
    chosen: dict[str, Mapping[str, Any]] = {}
    out: dict[str, dict[str, Any]] = {}
    claimants: dict[str, list[Mapping[str, Any]]] = {}
    for fid in ids:
        for c in by_fighter.get(fid, []):
            claimants.setdefault(str(c["slug"]), []).append(c)

    # 1. slugs set by hand, in id order (a second fighter given the same slug goes to review)
    for fid in ids:
        manual = next((c for c in by_fighter.get(fid, []) if c.get("manual")), None)
        if manual is None:
            continue
        slug = str(manual["slug"])
        owner = taken.get(slug)
        if owner is not None and owner != fid:
            note = f"{CLAIMED_BY} {owner} (both set in ufccom_slugs.csv? keep one)"
            out[fid] = _decision(fid, REVIEW, manual, [note], None)
            continue
        taken[slug] = fid
        chosen[fid] = manual
        out[fid] = _decision(fid, VERIFIED, manual, ["slug set in ufccom_slugs.csv"], None)

    # 2. the most confident remaining pairs first
    pairs = [
        c
        for fid in ids
        if fid not in out
        for c in by_fighter.get(fid, [])
        if float(c["confidence"]) >= settings.review_floor
    ]
    for c in sorted(pairs, key=_key):
        fid, slug = str(c["ufcstats_id"]), str(c["slug"])
        if fid in chosen or slug in taken:
            continue
        taken[slug] = fid
        chosen[fid] = c

    # 3. a status per fighter
    conf_of = {
        (str(c["ufcstats_id"]), str(c["slug"])): float(c["confidence"])
        for cands in by_fighter.values()
        for c in cands
    }

    def clearly_better(a: float | None, b: float) -> bool:
        return a is not None and _logit(a) - _logit(b) >= AMBIGUITY_LOGITS

    def owned_elsewhere(fid: str, slug: str) -> bool:
        """Another fighter holds ``slug``: verified in another run, or clearly his."""
        owner = taken.get(slug)
        if owner is None or owner == fid:
            return False
        mine = conf_of[(fid, slug)]
        return owner not in chosen or clearly_better(conf_of.get((owner, slug)), mine)

    def happy_elsewhere(fid: str, slug: str) -> bool:
        """``fid`` got another slug that is clearly his better than ``slug``."""
        got = chosen.get(fid)
        if got is None or got["slug"] == slug:
            return False
        return clearly_better(float(got["confidence"]), conf_of[(fid, slug)])

    for fid in ids:
        if fid in out:
            continue
        cands = by_fighter.get(fid, [])
        if fid not in chosen:
            out[fid] = _unchosen(fid, cands, taken, settings, why_none.get(fid))
            continue
        c = chosen[fid]
        conf, slug = float(c["confidence"]), str(c["slug"])
        notes: list[str] = []
        if conf < settings.auto_threshold:
            notes.append(
                f"confidence {conf:.0f} below the auto threshold {settings.auto_threshold:.0f}"
            )
        others = [x for x in cands if x["slug"] != slug]
        runner = next((x for x in others if not owned_elsewhere(fid, str(x["slug"]))), None)
        if runner is not None and _close(conf, float(runner["confidence"]), settings):
            notes.append(
                f"runner-up slug {runner['slug']} scores {float(runner['confidence']):.0f}, "
                "too close"
            )
        rivals = [
            x
            for x in claimants.get(slug, [])
            if str(x["ufcstats_id"]) != fid
            and _close(conf, float(x["confidence"]), settings)
            and not happy_elsewhere(str(x["ufcstats_id"]), slug)
        ]
        if rivals:
            notes.append(
                f"{CLAIMED_BY} {rivals[0]['ufcstats_id']} (scores "
                f"{float(rivals[0]['confidence']):.0f}), too close"
            )
        out[fid] = _decision(
            fid, REVIEW if notes else VERIFIED, c, notes, others[0] if others else None
        )
    return [out[k] for k in ids]


def _logit(confidence: float) -> float:
    p = min(max(confidence / 100.0, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def _close(conf: float, other: float, settings: AssignSettings) -> bool:
    """``other`` (another slug of the fighter, or another fighter on the slug) is plausible
    and within :data:`AMBIGUITY_LOGITS` of ``conf``. Compared in log-odds: 99.99 against 87
    is a clear win (a birth date agrees on one side only), 90 against 80 is not."""
    return other >= settings.ambiguity_floor and _logit(conf) - _logit(other) < AMBIGUITY_LOGITS


def _unchosen(
    fid: str,
    cands: list[Mapping[str, Any]],
    taken: Mapping[str, str],
    settings: AssignSettings,
    why_none: str | None,
) -> dict[str, Any]:
    """A fighter who got no slug: review when his best slug went to someone else,
    unmatched otherwise."""
    best = cands[0] if cands else None
    runner = cands[1] if len(cands) > 1 else None
    extra = [why_none] if why_none else []
    if best is None:
        return _decision(fid, UNMATCHED, None, extra or ["no UFC.com athlete found"], None)
    conf = float(best["confidence"])
    owner = taken.get(str(best["slug"]))
    if conf >= settings.review_floor and owner is not None and owner != fid:
        return _decision(fid, REVIEW, best, [f"{CLAIMED_BY} {owner}", *extra], runner)
    note = f"best UFC.com athlete {best['slug']} scores {conf:.0f} < {settings.review_floor:.0f}"
    return _decision(fid, UNMATCHED, best, [note, *extra], runner, keep_slug=False)


def shared_slugs(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Slugs verified for more than one fighter (should be empty)."""
    seen: dict[str, set[str]] = {}
    for r in rows:
        if r.get("status") == VERIFIED and r.get("slug"):
            seen.setdefault(str(r["slug"]), set()).add(str(r["ufcstats_id"]))
    return {k: sorted(v) for k, v in sorted(seen.items()) if len(v) > 1}


def fighters_with_two_slugs(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Fighters verified with more than one slug (should be empty)."""
    seen: dict[str, set[str]] = {}
    for r in rows:
        if r.get("status") == VERIFIED and r.get("slug"):
            seen.setdefault(str(r["ufcstats_id"]), set()).add(str(r["slug"]))
    return {k: sorted(v) for k, v in sorted(seen.items()) if len(v) > 1}
