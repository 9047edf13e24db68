"""Sherdog ids learnt from fight rows: who fought whom, and when.

Every Sherdog fighter page read lists its opponents with their Sherdog ids. A UFCStats
fighter who fought Y on date D appears on Y's Sherdog page as the opponent of D; when that
page has been read, his Sherdog id is known without a Fight Finder search. The link is only
a candidate: its page is fetched and scored like any other, and the search still runs
when the linked candidate is not convincing.

To keep results independent of timing, links are used in waves: the fighters of one wave
see only the pages read by earlier waves (``freeze``), never pages being read beside them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from ufc_pipeline.matching.names import name_similarity
from ufc_pipeline.matching.score import FighterProfile
from ufc_pipeline.parsing.records import SherdogFighter

_ONE_DAY = dt.timedelta(days=1)


class OpponentLinks:
    """(date -> fight rows seen on Sherdog pages), frozen wave by wave."""

    def __init__(self) -> None:
        self._pending: dict[int, SherdogFighter] = {}
        self._by_date: dict[dt.date, list[tuple[int, str, str]]] = defaultdict(list)
        self._owners: set[int] = set()

    def add(self, page: SherdogFighter) -> None:
        """Remember a page read now; its rows count from the next :meth:`freeze`."""
        if page.sherdog_id is not None:
            self._pending.setdefault(page.sherdog_id, page)

    def freeze(self) -> int:
        """Make the pages read so far usable; returns how many pages were added."""
        added = 0
        for sid in sorted(self._pending):
            if sid in self._owners:
                continue
            page = self._pending[sid]
            self._owners.add(sid)
            added += 1
            for f in page.fights:
                if f.date is not None and f.opponent_id is not None and f.opponent_name:
                    self._by_date[f.date].append((f.opponent_id, f.opponent_name, page.name))
        self._pending.clear()
        return added

    def candidates(self, profile: FighterProfile, min_score: float) -> list[int]:
        """Sherdog ids listed as this fighter's opponent on his UFC opponents' pages, the
        most often confirmed first (name of both men alike, date within a day)."""
        votes: Counter[int] = Counter()
        for date, opponent in profile.bouts:
            if not opponent:
                continue
            seen: set[int] = set()
            for day in (date - _ONE_DAY, date, date + _ONE_DAY):
                for sid, listed_name, owner_name in self._by_date.get(day, ()):
                    if sid in seen:
                        continue
                    if (
                        name_similarity(profile.name, listed_name)[0] >= min_score
                        and name_similarity(opponent, owner_name)[0] >= min_score
                    ):
                        seen.add(sid)
                        votes[sid] += 1
        return [sid for sid, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))]
