"""The same photo on two fighters: pairs of saved images whose perceptual hashes are close.

Two fighters sharing a photo usually means a wrong identity match (the image came from a
profile matched to the wrong person) or a placeholder nobody recognised. Comparing every
pair of 64-bit hashes is quadratic; instead each hash is cut into ``CHUNKS`` bytes and
only hashes sharing one byte at the same position are compared: two hashes within
``MAX_DISTANCE`` bits differ in at most ``MAX_DISTANCE`` of the 8 bytes, so with
``MAX_DISTANCE < CHUNKS`` they share at least one (pigeonhole) and no pair is missed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

#: Hamming distance (of 64 bits) at or under which two images count as the same photo.
#: Re-encoding or resizing the same photo moves its pHash by 0-4 bits; different portraits
#: are typically 20-40 bits apart.
MAX_DISTANCE = 6
CHUNKS = 8
#: Sources whose image comes from a profile matched to the fighter (a shared photo there
#: points at a wrong match); Wikimedia images come from Wikidata's own link.
MATCHED_SOURCES = frozenset({"sherdog", "ufccom"})


@dataclass(frozen=True)
class DuplicatePair:
    """Two fighters whose saved images are (nearly) the same photo."""

    first_id: str
    first_source: str
    second_id: str
    second_source: str
    distance: int
    possible_wrong_match: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _chunks(value: int) -> list[tuple[int, int]]:
    return [(i, (value >> (8 * i)) & 0xFF) for i in range(CHUNKS)]


def find_duplicates(
    rows: Iterable[Mapping[str, Any]], max_distance: int = MAX_DISTANCE
) -> list[DuplicatePair]:
    """Pairs of saved rows (``ufcstats_id``, ``source``, ``phash`` as hex) within
    ``max_distance`` bits, sorted by distance then ids; each pair once."""
    if max_distance >= CHUNKS:
        raise ValueError(f"max_distance must be under {CHUNKS} for the bucketed search")
    items: list[tuple[str, str, int]] = []
    for r in rows:
        if r.get("status") == "saved" and r.get("phash"):
            items.append((str(r["ufcstats_id"]), str(r.get("source") or ""), int(r["phash"], 16)))
    items.sort()
    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    for n, (_, _, h) in enumerate(items):
        for key in _chunks(h):
            buckets[key].append(n)
    seen: set[tuple[int, int]] = set()
    pairs: list[DuplicatePair] = []
    for members in buckets.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if (a, b) in seen:
                    continue
                seen.add((a, b))
                (id_a, src_a, h_a), (id_b, src_b, h_b) = items[a], items[b]
                if id_a == id_b:
                    continue
                distance = (h_a ^ h_b).bit_count()
                if distance <= max_distance:
                    wrong = src_a in MATCHED_SOURCES or src_b in MATCHED_SOURCES
                    pairs.append(DuplicatePair(id_a, src_a, id_b, src_b, distance, wrong))
    pairs.sort(key=lambda p: (p.distance, p.first_id, p.second_id))
    return pairs
