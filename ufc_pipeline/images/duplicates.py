"""The same photo on two fighters: pairs of saved images whose perceptual hashes are close.

Two fighters sharing a photo usually means a wrong identity match (the image came from a
profile matched to the wrong person) or a placeholder nobody recognised. Every pair of
64-bit hashes is compared, with numpy, a block of rows at a time (XOR and population
count): about 7 million pairs for the full roster, in tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

#: Hamming distance (of 64 bits) at or under which two images count as the same photo.
#: Re-encoding or resizing the same photo moves its pHash by 0-4 bits; different portraits
#: are typically 20-40 bits apart.
MAX_DISTANCE = 6
#: Rows of hashes compared with all the others at once (a block of 256 x n distances).
_BLOCK = 256
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


def find_duplicates(
    rows: Iterable[Mapping[str, Any]], max_distance: int = MAX_DISTANCE
) -> list[DuplicatePair]:
    """Pairs of saved rows (``ufcstats_id``, ``source``, ``phash`` as hex) within
    ``max_distance`` bits, sorted by distance then ids; each pair once."""
    items: list[tuple[str, str, int]] = []
    for r in rows:
        if r.get("status") == "saved" and r.get("phash"):
            items.append((str(r["ufcstats_id"]), str(r.get("source") or ""), int(r["phash"], 16)))
    items.sort()
    import numpy as np  # loaded here, not with the definitions

    hashes = np.array([h for _, _, h in items], dtype=np.uint64)
    pairs: list[DuplicatePair] = []
    for start in range(0, len(items), _BLOCK):
        block = hashes[start : start + _BLOCK, None]
        distances = np.bitwise_count(block ^ hashes[None, :])
        for i, j in zip(*np.nonzero(distances <= max_distance), strict=True):
            a, b = start + int(i), int(j)
            if b <= a:
                continue
            (id_a, src_a, _), (id_b, src_b, _) = items[a], items[b]
            if id_a == id_b:
                continue
            wrong = src_a in MATCHED_SOURCES or src_b in MATCHED_SOURCES
            pairs.append(DuplicatePair(id_a, src_a, id_b, src_b, int(distances[i, j]), wrong))
    pairs.sort(key=lambda p: (p.distance, p.first_id, p.second_id))
    return pairs
