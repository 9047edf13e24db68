"""Finding and scoring the Sherdog candidates of one UFCStats fighter.

1. Search the Fight Finder for the full name (every result page).
2. Fetch the fighter pages of the most plausible candidates (a search row alone cannot
   tell two people with the same name apart) and score them with the page's evidence.
3. While no candidate is convincing, try the fallback queries (name without suffixes or
   punctuation, other forms of the first name, the surname alone) and repeat.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from ufc_pipeline.matching.names import first_name_aliases, name_similarity
from ufc_pipeline.matching.normalize import fallback_queries, fold
from ufc_pipeline.matching.score import FighterProfile, Score, score_candidate
from ufc_pipeline.matching.search import MatchSettings
from ufc_pipeline.parsing.records import SherdogFighter, SherdogSearchResult
from ufc_pipeline.sources.sherdog import SherdogSource


@dataclass
class FighterCandidates:
    profile: FighterProfile
    queries: list[str] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    searched_rows: int = 0
    truncated: bool = False
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ufcstats_id": self.profile.ufcstats_id,
            "name": self.profile.name,
            "dob": self.profile.dob.isoformat() if self.profile.dob else None,
            "ufc_bouts": len(self.profile.bouts),
            "details_known": self.profile.details_known,
            "queries": self.queries,
            "searched_rows": self.searched_rows,
            "truncated": self.truncated,
            "error": self.error,
            "candidates": [s.to_dict() for s in self.scores],
        }


def _order(s: Score) -> tuple[float, float, int]:
    return (-s.confidence, -s.name_score, s.sherdog_id)


LINK_QUERY = "(opponent link)"


def _row_of(page: SherdogFighter, sherdog_id: int) -> SherdogSearchResult:
    """The search row Sherdog would show for a page reached through a link."""
    return SherdogSearchResult(
        sherdog_id=sherdog_id,
        name=page.name,
        nickname=page.nickname,
        height_in=page.height_in,
        weight_lbs=page.weight_lbs,
        association=page.association,
        path=f"/fighter/{'-'.join(page.name.split()) or 'Fighter'}-{sherdog_id}",
    )


async def _linked(
    source: SherdogSource,
    profile: FighterProfile,
    linked: list[int],
    settings: MatchSettings,
    refresh: bool,
) -> tuple[dict[int, SherdogSearchResult], dict[int, Score]]:
    """Score the candidates known from opponents' pages (their pages fetched)."""
    rows: dict[int, SherdogSearchResult] = {}
    checked: dict[int, Score] = {}
    for sid in linked[: settings.pages_to_check]:
        page = await source.fighter(sid, refresh=refresh)
        if page is None:
            continue
        rows[sid] = _row_of(page, sid)
        checked[sid] = score_candidate(profile, rows[sid], page)
    return rows, checked


async def find_candidates(
    source: SherdogSource,
    profile: FighterProfile,
    settings: MatchSettings,
    *,
    refresh: bool = False,
    linked: list[int] | None = None,
) -> FighterCandidates:
    """``linked``: Sherdog ids known from opponents' pages (see ``matching.links``); when one
    of them is convincing, no search is made."""
    out = FighterCandidates(profile=profile)
    rows: dict[int, SherdogSearchResult] = {}
    checked: dict[int, Score] = {}
    if linked:
        rows, checked = await _linked(source, profile, linked, settings, refresh)
        if checked and max(c.confidence for c in checked.values()) >= settings.convincing:
            out.queries.append(LINK_QUERY)
            out.scores = sorted(checked.values(), key=_order)[: settings.keep_candidates]
            return out
    first, last = (
        (profile.first_name, profile.last_name)
        if profile.first_name or profile.last_name
        else _split(profile.name)
    )
    aliases = first_name_aliases(fold(first)) if first else frozenset()
    queries = [profile.name] + fallback_queries(first, last, aliases)
    for query in queries:
        outcome = await source.search(query, refresh=refresh)
        out.queries.append(query)
        out.truncated |= outcome.truncated
        for r in outcome.results:
            rows.setdefault(r.sherdog_id, r)
        pre = sorted(
            (score_candidate(profile, r) for sid, r in rows.items() if sid not in checked),
            key=_order,
        )
        plausible = [
            s
            for s in pre
            if name_similarity(profile.name, s.sherdog_name)[0] >= settings.min_name_score
            or s.name_score >= settings.min_name_score
        ]
        budget = settings.max_pages_checked - len(checked)
        to_check = plausible[: max(0, min(settings.pages_to_check, budget))]
        pages = await asyncio.gather(
            *(
                source.fighter(s.sherdog_id, rows[s.sherdog_id].path, refresh=refresh)
                for s in to_check
            )
        )
        for s, page in zip(to_check, pages, strict=True):
            if page is None:  # Page Not Found: the search row pointed at nobody
                continue
            checked[s.sherdog_id] = score_candidate(profile, rows[s.sherdog_id], page)
        if checked and max(c.confidence for c in checked.values()) >= settings.convincing:
            break
        if len(checked) >= settings.max_pages_checked:
            break
    out.searched_rows = len(rows)
    unchecked = [score_candidate(profile, r) for sid, r in rows.items() if sid not in checked]
    unchecked = [s for s in unchecked if s.name_score >= settings.min_name_score]
    final = sorted(checked.values(), key=_order) + sorted(unchecked, key=_order)
    final.sort(key=_order)
    out.scores = final[: settings.keep_candidates]
    return out


def _split(name: str) -> tuple[str | None, str | None]:
    parts = name.split(" ", 1)
    if len(parts) == 1:
        return None, parts[0]
    return parts[0], parts[1]
