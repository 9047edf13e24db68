"""Place and country names as the sources write them, turned into city, region and country
with an ISO 3166-1 alpha-2 code (``pycountry``).

The sources write places differently: UFC.com "Rochester, United States" or just "Brazil";
Sherdog "Atlanta, Georgia" (city and state; the country is the nationality, shown
separately); Wikidata has items. The last comma segment is a country only when it is not
a subdivision of the country the other facts point at: "Atlanta, Georgia" is in the
United States, not in Georgia.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pycountry
from unidecode import unidecode

#: Names the sources use that ISO 3166 does not list as a country name.
ALIASES: dict[str, str] = {
    "russia": "RU",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "uk": "GB",
    "united kingdom": "GB",
    "republic of ireland": "IE",
    "south korea": "KR",
    "korea": "KR",
    "north korea": "KP",
    "usa": "US",
    "united states of america": "US",
    "america": "US",
    "iran": "IR",
    "syria": "SY",
    "moldova": "MD",
    "bolivia": "BO",
    "venezuela": "VE",
    "vietnam": "VN",
    "taiwan": "TW",
    "czechia": "CZ",
    "the netherlands": "NL",
    "holland": "NL",
    "ivory coast": "CI",
    "dr congo": "CD",
    "democratic republic of the congo": "CD",
    "kosovo": "XK",
}


@functools.lru_cache(maxsize=16384)
def _key(text: str) -> str:
    return re.sub(r"\s+", " ", unidecode(text).strip().lower())


@functools.lru_cache(maxsize=4096)
def country_code(name: str | None) -> str | None:
    """ISO alpha-2 of a country name ("Russia" -> "RU", "England" -> "GB"), or None."""
    if not name or not name.strip():
        return None
    key = _key(name)
    if key in ALIASES:
        return ALIASES[key]
    try:
        return str(pycountry.countries.lookup(name.strip()).alpha_2)
    except LookupError:
        return None


@functools.lru_cache(maxsize=512)
def country_name(code: str | None) -> str | None:
    """The common English name of an ISO alpha-2 code ("KR" -> "South Korea")."""
    if not code:
        return None
    if code == "XK":
        return "Kosovo"
    c = pycountry.countries.get(alpha_2=code.upper())
    if c is None:
        return None
    return getattr(c, "common_name", None) or c.name


@functools.lru_cache(maxsize=256)
def _subdivisions(code: str) -> frozenset[str]:
    subs = pycountry.subdivisions.get(country_code=code) or []
    return frozenset(_key(s.name) for s in subs)


def is_subdivision(name: str, code: str | None) -> bool:
    """True when ``name`` is a state/province/region of the country ``code``."""
    return bool(code) and _key(name) in _subdivisions(str(code).upper())


@dataclass(frozen=True)
class Place:
    """A place of birth split into its parts (any may be unknown)."""

    city: str | None
    region: str | None
    country: str | None
    code: str | None


def parse_place(text: str | None, country_hint: str | None = None) -> Place:
    """Split "City, Region, Country" (any of the parts may be missing).

    ``country_hint`` is the ISO code the other facts point at (Sherdog's nationality): a
    last segment that is one of its subdivisions is a region, not a country.
    """
    if not text or not text.strip():
        return Place(None, None, None, None)
    parts = [p.strip() for p in text.split(",") if p.strip()]
    code = None
    if parts:
        last = parts[-1]
        if not is_subdivision(last, country_hint):
            code = country_code(last)
        if code is not None:
            parts = parts[:-1]
    city = parts[0] if parts else None
    region = ", ".join(parts[1:]) or None
    return Place(city, region, country_name(code) if code else None, code)


def same_text(a: str | None, b: str | None) -> bool:
    """Equal after folding accents, case and spacing."""
    return a is not None and b is not None and _key(a) == _key(b)
