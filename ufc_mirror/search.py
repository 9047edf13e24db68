"""Fight Finder search with the real site's semantics.

A person matches when EVERY word of the query is a case-insensitive, accent-insensitive
substring of his ``name + nickname`` text; punctuation is not folded (``O'Reilly`` does not
find ``OReilly``). Results are alphabetical by name (first name first). A trigram index
keeps candidate sets small, then every candidate is verified by substring.
"""

from __future__ import annotations

from collections.abc import Iterable

from ufc_mirror.model import Person
from ufc_mirror.names import fold, sort_key

PAGE_SIZE = 20


class SearchIndex:
    """Trigram index over folded ``name nickname`` texts, entries in alphabetical order."""

    def __init__(self, persons: Iterable[Person]) -> None:
        self.entries: list[Person] = sorted(persons, key=lambda p: (sort_key(p.name), p.sherdog_id))
        self.texts: list[str] = [
            fold(f"{p.name} {p.nickname}" if p.nickname else p.name) for p in self.entries
        ]
        grams: dict[str, list[int]] = {}
        for i, text in enumerate(self.texts):
            seen: set[str] = set()
            for word in text.split():
                for j in range(len(word) - 2):
                    seen.add(word[j : j + 3])
            for g in seen:
                grams.setdefault(g, []).append(i)
        self.grams = grams

    def _candidates(self, word: str) -> list[int] | None:
        if len(word) < 3:
            return None
        best: list[int] | None = None
        for j in range(len(word) - 2):
            posting = self.grams.get(word[j : j + 3])
            if posting is None:
                return []
            if best is None or len(posting) < len(best):
                best = posting
        return best

    def search(self, query: str) -> list[Person]:
        """All persons matching every word of ``query``, alphabetical."""
        words = [fold(w) for w in query.split()]
        words = [w for w in words if w]
        if not words:
            return []
        best: list[int] | None = None
        for w in words:
            cand = self._candidates(w)
            if cand is not None and (best is None or len(cand) < len(best)):
                best = cand
        indices = range(len(self.texts)) if best is None else best
        out = []
        for i in indices:
            text = self.texts[i]
            if all(w in text for w in words):
                out.append(self.entries[i])
        return out

    def page(self, query: str, page: int) -> tuple[list[Person], int]:
        """Results of 1-based ``page`` (20 a page) and the number of pages."""
        hits = self.search(query)
        pages = (len(hits) + PAGE_SIZE - 1) // PAGE_SIZE
        if page < 1:
            return [], pages
        return hits[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], pages
