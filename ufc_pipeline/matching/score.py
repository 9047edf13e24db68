"""Scoring one Sherdog candidate against one UFCStats fighter from several signals.

Each signal adds log-odds evidence with a reason; the total goes through a logistic to a
confidence 0-100. Signals: normalised name similarity, nickname, weight, height, record
consistency and UFC fights on the candidate's page (from the fighter page when fetched),
date of birth and shared opponents when the UFCStats fighter page is known.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from ufc_pipeline.matching.names import name_similarity
from ufc_pipeline.matching.normalize import fold
from ufc_pipeline.parsing.records import (
    SherdogFighter,
    SherdogSearchResult,
    UFCStatsFighter,
    UFCStatsListRow,
)

_UFC_EVENT = re.compile(r"^\s*(ufc\b|the ultimate fighter|tuf\b)", re.IGNORECASE)
PRIOR_LOGIT = -1.0


@dataclass
class FighterProfile:
    """What we know of the UFCStats fighter being matched."""

    ufcstats_id: str
    name: str
    nickname: str | None = None
    height_in: float | None = None
    weight_lbs: float | None = None
    wins: int | None = None
    losses: int | None = None
    draws: int | None = None
    dob: dt.date | None = None
    opponents: list[str] = field(default_factory=list)
    first_name: str | None = None
    last_name: str | None = None
    bouts: list[tuple[dt.date, str | None]] = field(default_factory=list)  # (date, opponent)
    details_known: bool = False  # the UFCStats fighter page was read

    def add_details(self, page: UFCStatsFighter) -> None:
        """Date of birth, record and bouts from the UFCStats fighter page."""
        self.details_known = True
        self.dob = page.dob or self.dob
        for f in page.fights:
            if f.result == "next" or f.date is None:
                continue
            self.bouts.append((f.date, f.opponent_name))
            if f.opponent_name:
                self.opponents.append(f.opponent_name)

    @classmethod
    def from_list_row(cls, row: UFCStatsListRow) -> FighterProfile:
        return cls(
            ufcstats_id=row.ufcstats_id,
            name=row.name,
            nickname=row.nickname,
            height_in=row.height_in,
            weight_lbs=row.weight_lbs,
            wins=row.wins,
            losses=row.losses,
            draws=row.draws,
            first_name=row.first_name,
            last_name=row.last_name,
        )


@dataclass
class Evidence:
    signal: str
    logit: float
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {"signal": self.signal, "logit": round(self.logit, 2), "reason": self.reason}


@dataclass
class Score:
    sherdog_id: int
    sherdog_name: str
    confidence: float
    name_score: float
    evidence: list[Evidence]
    page_checked: bool

    @property
    def reasons(self) -> list[str]:
        return [f"{'+' if e.logit >= 0 else '-'} {e.reason}" for e in self.evidence]

    def to_dict(self) -> dict[str, object]:
        return {
            "sherdog_id": self.sherdog_id,
            "sherdog_name": self.sherdog_name,
            "confidence": round(self.confidence, 1),
            "name_score": round(self.name_score, 1),
            "page_checked": self.page_checked,
            "evidence": [e.to_dict() for e in self.evidence],
            "reasons": self.reasons,
        }


def _name_evidence(score: float, reason: str) -> Evidence:
    if score >= 97:
        logit = 2.5
    elif score >= 90:
        logit = 1.5
    elif score >= 85:
        logit = 0.5
    elif score >= 75:
        logit = -1.5
    else:
        logit = -4.0
    return Evidence("name", logit, f"{reason} ({score:.0f})")


def _weight_evidence(a: float | None, b: float | None) -> Evidence | None:
    if a is None or b is None:
        return None
    d = abs(a - b)
    if d <= 6:
        return Evidence("weight", 0.8, f"weight agrees ({a:.0f} vs {b:.0f} lbs)")
    if d <= 16:
        return Evidence("weight", 0.1, f"weight one class apart ({a:.0f} vs {b:.0f} lbs)")
    if d <= 30:
        return Evidence("weight", -1.0, f"weight differs ({a:.0f} vs {b:.0f} lbs)")
    return Evidence("weight", -2.5, f"weight far apart ({a:.0f} vs {b:.0f} lbs)")


def _height_evidence(a: float | None, b: float | None) -> Evidence | None:
    if a is None or b is None:
        return None
    d = abs(a - b)
    if d <= 1:
        return Evidence("height", 0.5, f"height agrees ({a:.0f} vs {b:.0f} in)")
    if d <= 2:
        return Evidence("height", -0.3, f"height close ({a:.0f} vs {b:.0f} in)")
    return Evidence("height", -1.5, f"height differs ({a:.0f} vs {b:.0f} in)")


def _nickname_evidence(a: str | None, b: str | None) -> Evidence | None:
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return None
    if fa == fb:
        return Evidence("nickname", 1.0, f'same nickname "{a}"')
    return Evidence("nickname", -0.3, f'different nicknames ("{a}" vs "{b}")')


def _record_evidence(p: FighterProfile, page: SherdogFighter) -> Evidence | None:
    if p.wins is None or p.losses is None or page.wins is None or page.losses is None:
        return None
    a = (p.wins, p.losses, p.draws or 0)
    b = (page.wins, page.losses, page.draws or 0)
    text = f"{a[0]}-{a[1]}-{a[2]} vs {b[0]}-{b[1]}-{b[2]}"
    if a == b:
        return Evidence("record", 2.5, f"pro record identical ({text})")
    diff = sum(abs(x - y) for x, y in zip(a, b, strict=True))
    if diff <= 2:
        return Evidence("record", 1.0, f"pro record nearly identical ({text})")
    if diff <= 5:
        return Evidence("record", -0.5, f"pro record differs a little ({text})")
    return Evidence("record", -2.5, f"pro record differs ({text})")


def ufc_fight_count(page: SherdogFighter) -> int:
    return sum(
        1
        for f in page.fights
        if f.section == "pro" and f.event_name and _UFC_EVENT.match(f.event_name)
    )


def _ufc_evidence(page: SherdogFighter) -> Evidence:
    n = ufc_fight_count(page)
    if n:
        return Evidence("ufc_fights", 1.5, f"{n} UFC fight(s) on the Sherdog page")
    return Evidence("ufc_fights", -3.0, "no UFC fight on the Sherdog page")


def _dob_evidence(a: dt.date | None, b: dt.date | None) -> Evidence | None:
    if a is None or b is None:
        return None
    if a == b:
        return Evidence("dob", 3.0, f"same date of birth ({a.isoformat()})")
    if (a.year, a.day, a.month) == (b.year, b.month, b.day):
        return Evidence("dob", 1.0, "date of birth with day and month swapped")
    return Evidence("dob", -9.0, f"different date of birth ({a.isoformat()} vs {b.isoformat()})")


def _history_evidence(p: FighterProfile, page: SherdogFighter) -> Evidence | None:
    """The fighter's UFCStats bouts found on the Sherdog page: same date (+-1 day), and
    shared opponents by name. Name-independent evidence that two pages are one career."""
    if not p.details_known or not p.bouts:
        return None
    theirs = [(f.date, fold(f.opponent_name)) for f in page.fights if f.date is not None]
    their_dates = {d for d, _ in theirs}
    their_opps = {o for _, o in theirs if o}
    n = len(p.bouts)
    one_day = dt.timedelta(days=1)
    dated = sum(
        1
        for d, _ in p.bouts
        if d in their_dates or (d - one_day) in their_dates or (d + one_day) in their_dates
    )
    named = sum(1 for _, o in p.bouts if o and fold(o) in their_opps)
    k = max(dated, named)
    text = f"{dated} of {n} UFCStats bouts on the page by date, {named} by opponent"
    if k >= 2 or (k == 1 and n == 1):
        return Evidence("history", min(5.0, 2.0 + 0.5 * k), text)
    if k == 1:
        return Evidence("history", 0.5, text)
    return Evidence("history", -4.0 if n >= 2 else -2.5, text)


def score_candidate(
    profile: FighterProfile, row: SherdogSearchResult, page: SherdogFighter | None = None
) -> Score:
    """Confidence 0-100 that ``row`` (and its page, when fetched) is ``profile``'s person."""
    sherdog_name = page.name if page is not None and page.name else row.name
    name_score, name_reason = name_similarity(profile.name, sherdog_name)
    their_nick = page.nickname if page is not None else row.nickname
    if their_nick and name_score < 90:
        # Some fighters are known by their nickname: "Jacare Souza" for Ronaldo "Jacare" Souza.
        alt = " ".join([their_nick] + sherdog_name.split()[1:])
        alt_score, _ = name_similarity(profile.name, alt)
        if alt_score >= 95:
            name_score, name_reason = 90.0, f'nickname "{their_nick}" used as first name'

    evidence: list[Evidence] = [_name_evidence(name_score, name_reason)]
    nick = page.nickname if page is not None else row.nickname
    weight = page.weight_lbs if page is not None and page.weight_lbs else row.weight_lbs
    height = page.height_in if page is not None and page.height_in else row.height_in
    for ev in (
        _nickname_evidence(profile.nickname, nick),
        _weight_evidence(profile.weight_lbs, weight),
        _height_evidence(profile.height_in, height),
    ):
        if ev is not None:
            evidence.append(ev)
    if page is not None:
        for ev in (
            _record_evidence(profile, page),
            _history_evidence(profile, page) or _ufc_evidence(page),
            _dob_evidence(profile.dob, page.birth_date),
        ):
            if ev is not None:
                evidence.append(ev)
    z = PRIOR_LOGIT + sum(e.logit for e in evidence)
    confidence = 100.0 / (1.0 + math.exp(-z))
    return Score(
        sherdog_id=row.sherdog_id,
        sherdog_name=sherdog_name,
        confidence=confidence,
        name_score=name_score,
        evidence=evidence,
        page_checked=page is not None,
    )
