"""Name normalisation shared by every comparison of two fighters' names.

Accents are folded (unidecode), case ignored, apostrophes/hyphens/periods removed so that
"O'Reilly" == "OReilly" and "Kara-France" == "KaraFrance", other punctuation becomes a
space, generational suffixes (Jr., Sr., II, III, IV) are dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache

from unidecode import unidecode

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "junior", "filho", "neto"})
PARTICLES = frozenset(
    {
        "da",
        "de",
        "do",
        "dos",
        "das",
        "di",
        "del",
        "della",
        "van",
        "von",
        "der",
        "den",
        "la",
        "le",
        "bin",
        "ibn",
        "al",
        "el",
        "e",
        "y",
        "st",
    }
)
_JOINERS = re.compile(r"['’`´.\-‐‑]")
_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def fold(text: str | None) -> str:
    """Lower-case ASCII form with joiners removed and spaces collapsed."""
    if not text:
        return ""
    s = unidecode(text).casefold()
    s = _JOINERS.sub("", s)
    s = _NON_ALNUM.sub(" ", s)
    return _SPACES.sub(" ", s).strip()


def tokens(text: str | None, *, drop_suffixes: bool = True) -> list[str]:
    toks = fold(text).split()
    if drop_suffixes and len(toks) > 1:
        toks = [t for t in toks if t not in SUFFIXES] or toks
    return toks


def core_tokens(text: str | None) -> list[str]:
    """Tokens without suffixes and particles ("da", "dos", "van"...)."""
    toks = tokens(text)
    core = [t for t in toks if t not in PARTICLES]
    return core or toks


def has_suffix(text: str | None) -> bool:
    return any(t in SUFFIXES for t in fold(text).split()[1:])


def surname_queries(first: str | None, last: str | None) -> list[str]:
    """Fallback search queries when the full name finds nobody plausible.

    The surname alone (as written, then with joiners removed), the name reversed is
    implicitly covered by the site's any-order word search.
    """
    out: list[str] = []
    full = " ".join(p for p in (first, last) if p)
    words = full.split()
    no_suffix = [w for w in words if fold(w) not in SUFFIXES]
    if len(no_suffix) < len(words) and no_suffix:
        out.append(" ".join(no_suffix))
    stripped = _JOINERS.sub("", unidecode(" ".join(no_suffix) or full)).strip()
    if stripped and stripped.casefold() != full.casefold():
        out.append(stripped)
    last_core = [t for t in (last or "").split() if fold(t) not in PARTICLES | SUFFIXES]
    if last_core:
        longest = max(last_core, key=len)
        out.append(longest)
        bare = _JOINERS.sub("", unidecode(longest))
        if bare != longest:
            out.append(bare)
    elif first:
        out.append(first)
    seen: set[str] = set()
    uniq = []
    for q in out:
        if q and q.casefold() not in seen and q.casefold() != full.casefold():
            seen.add(q.casefold())
            uniq.append(q)
    return uniq
