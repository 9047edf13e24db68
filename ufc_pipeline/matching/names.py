"""Name similarity with rapidfuzz scorers (no hand-written distances).

Returns a 0-100 score and a short reason. Order is ignored (token_sort_ratio), spacing
and joiners are ignored (ratio on the space-less form), extra middle or family names are
tolerated (token_set_ratio when one name's core tokens are all in the other's).
"""

from __future__ import annotations

from functools import cache, lru_cache

from nicknames import NickNamer
from rapidfuzz import fuzz

from ufc_pipeline.matching.normalize import core_tokens, fold, tokens


@cache
def _nicknamer() -> NickNamer:
    """The nicknames table, read on first use (reading its CSV costs 50-70 ms, which every
    process that loads the definitions paid, whether it matches names or not)."""
    return NickNamer()


@lru_cache(maxsize=20_000)
def first_name_aliases(first: str) -> frozenset[str]:
    """Other forms of an (already folded) first name: Mike <-> Michael, Jake <-> Jacob."""
    first = first.casefold()
    namer = _nicknamer()
    return frozenset(
        a.casefold()
        for a in namer.nicknames_of(first) | namer.canonicals_of(first)
        if a.casefold() != first
    )


def name_similarity(a: str | None, b: str | None) -> tuple[float, str]:
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0, "a name is empty"
    ja, jb = " ".join(ta), " ".join(tb)
    if ja == jb:
        if fold(a) == fold(b):
            return 100.0, "names identical after normalisation"
        return 100.0, "names identical apart from a suffix"
    sort = fuzz.token_sort_ratio(ja, jb)
    nospace = fuzz.ratio(ja.replace(" ", ""), jb.replace(" ", ""))
    best = max(sort, nospace)
    reason = "names reordered" if sorted(ta) == sorted(tb) else f"name similarity {best:.0f}"
    if sorted(ta) == sorted(tb):
        return 98.0, reason
    ca, cb = set(core_tokens(a)), set(core_tokens(b))
    small, big = (ca, cb) if len(ca) <= len(cb) else (cb, ca)
    if len(small) >= 2 and small <= big:
        return max(best, 92.0), "extra middle/family names on one side"
    if len(small) >= 2:
        # Every core token of the shorter name has a close counterpart (spelling, accents).
        matched = sum(1 for t in small if max(fuzz.ratio(t, u) for u in big) >= 85)
        if matched == len(small) and len(small) < len(big):
            return max(best, 88.0), "extra names and close spellings"
    # First names like Alex/Alexander, Mike/Michael, Jake/Jacob with the same surname(s):
    # a prefix match, or a known given-name/nickname pair (the ``nicknames`` data set).
    if len(ta) >= 2 and len(tb) >= 2 and ta[0] != tb[0]:
        fa, fb = ta[0], tb[0]
        alias = (fa.startswith(fb) or fb.startswith(fa)) and min(len(fa), len(fb)) >= 3
        alias = alias or fb in first_name_aliases(fa) or fa in first_name_aliases(fb)
        if alias:
            rest = name_similarity(" ".join(ta[1:]), " ".join(tb[1:]))[0]
            if rest >= 97:
                return max(best, 90.0), f"first names {fa}/{fb} are forms of one name"
            if rest >= 90:
                return max(best, 86.0), f"first names {fa}/{fb} are forms of one name"
    return float(best), reason
