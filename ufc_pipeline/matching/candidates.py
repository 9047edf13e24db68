"""Finding and scoring the Sherdog candidates of one UFCStats fighter.

1. Search the Fight Finder for the full name (every result page).
2. When nobody plausible comes back, try fallback queries: the name without apostrophes
   and hyphens, then the surname alone.
3. Fetch the fighter pages of the best few candidates (the search row alone cannot tell
   two people with the same name apart) and score them again with the page's evidence.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from ufc_pipeline.matching.normalize import surname_queries
from ufc_pipeline.matching.score import FighterProfile, Score, score_candidate
from ufc_pipeline.parsing.records import SherdogSearchResult
from ufc_pipeline.sources.sherdog import SherdogSource

PLAUSIBLE_NAME_SCORE = 80.0


@dataclass
class MatchSettings:
    pages_to_check: int = 3  # fighter pages fetched per UFCStats fighter, at most
    keep_candidates: int = 5  # candidates kept in the output per fighter
    min_name_score: float = 75.0  # below this a search row is not a candidate


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
            "queries": self.queries,
            "searched_rows": self.searched_rows,
            "truncated": self.truncated,
            "error": self.error,
            "candidates": [s.to_dict() for s in self.scores],
        }


async def find_candidates(
    source: SherdogSource, profile: FighterProfile, settings: MatchSettings
) -> FighterCandidates:
    out = FighterCandidates(profile=profile)
    rows: dict[int, SherdogSearchResult] = {}
    first, last = (
        (profile.first_name, profile.last_name)
        if profile.first_name or profile.last_name
        else _split(profile.name)
    )
    queries = [profile.name] + surname_queries(first, last)
    for i, query in enumerate(queries):
        outcome = await source.search(query)
        out.queries.append(query)
        out.truncated |= outcome.truncated
        for r in outcome.results:
            rows.setdefault(r.sherdog_id, r)
        pre = [score_candidate(profile, r) for r in rows.values()]
        if any(s.name_score >= PLAUSIBLE_NAME_SCORE for s in pre) or i == len(queries) - 1:
            break
    out.searched_rows = len(rows)
    pre_scores = sorted(
        (score_candidate(profile, r) for r in rows.values()),
        key=lambda s: (-s.confidence, -s.name_score, s.sherdog_id),
    )
    pre_scores = [s for s in pre_scores if s.name_score >= settings.min_name_score]
    to_check = pre_scores[: settings.pages_to_check]
    pages = await asyncio.gather(
        *(source.fighter(s.sherdog_id, rows[s.sherdog_id].path) for s in to_check)
    )
    final: list[Score] = []
    for s, page in zip(to_check, pages, strict=True):
        if page is None:  # Page Not Found: the search row pointed at nobody
            continue
        final.append(score_candidate(profile, rows[s.sherdog_id], page))
    final += pre_scores[settings.pages_to_check :]
    final.sort(key=lambda s: (-s.confidence, -s.name_score, s.sherdog_id))
    out.scores = final[: settings.keep_candidates]
    return out


def _split(name: str) -> tuple[str | None, str | None]:
    parts = name.split(" ", 1)
    if len(parts) == 1:
        return None, parts[0]
    return parts[0], parts[1]
