"""How far the Sherdog search for one UFCStats fighter goes (:class:`MatchSettings`).

Kept apart from :mod:`ufc_pipeline.matching.candidates`, which does the searching: the
settings are read by every process that loads the definitions, the search code (name
scorers, the Sherdog client) only by the steps that search.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class MatchSettings:
    pages_to_check: int = 3  # fighter pages fetched per query round
    max_pages_checked: int = 8  # fighter pages fetched per UFCStats fighter, at most
    keep_candidates: int = 5  # candidates kept in the output per fighter
    min_name_score: float = 75.0  # below this a search row is not a candidate
    convincing: float = 90.0  # a checked candidate this confident ends the search
