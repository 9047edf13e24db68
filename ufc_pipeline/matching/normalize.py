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
# Generational suffixes a site may drop; "Junior", "Filho", "Neto" are often real surnames.
QUERY_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v"})
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


def fallback_queries(
    first: str | None, last: str | None, aliases: frozenset[str] = frozenset()
) -> list[str]:
    """Further search queries for when the full name finds nobody plausible, in order.

    The site matches every query word as a substring of the name, keeping punctuation, so:
    the name without suffixes; without apostrophes/hyphens, and with hyphens as spaces;
    other forms of the first name (Mike/Michael); first and last name without middle
    names; the surname alone.
    """
    out: list[str] = []
    full = " ".join(p for p in (first, last) if p)
    words = full.split()
    no_suffix = [w for w in words if fold(w) not in QUERY_SUFFIXES] or words
    if len(no_suffix) < len(words):
        out.append(" ".join(no_suffix))
    base = " ".join(no_suffix)
    out.append(_JOINERS.sub("", base))
    out.append(re.sub(r"[-‐‑]", " ", base).replace("'", ""))
    rest = no_suffix[1:]
    if first and rest:
        for alias in sorted(aliases)[:3]:
            out.append(" ".join([alias.capitalize(), *rest]))
    core = [w for w in no_suffix if fold(w) not in PARTICLES]
    if first and len(core) >= 3:
        out.append(f"{core[0]} {core[-1]}")
    last_core = [t for t in (last or "").split() if fold(t) not in PARTICLES | QUERY_SUFFIXES]
    if last_core:
        longest = max(last_core, key=len)
        out.append(longest)
        out.append(_JOINERS.sub("", longest))
    elif first:
        out.append(first)
    seen = {full.casefold()}
    uniq = []
    for q in (x.strip() for x in out):
        if q and q.casefold() not in seen:
            seen.add(q.casefold())
            uniq.append(q)
    return uniq
