"""Where each mirror person was born and what country they are from: the one truth that the
Sherdog, UFC.com and Wikidata mirrors each show in their own way.

Sherdog shows ``birthplace`` as the city with its state or province ("Atlanta, Georgia") and
the nationality separately; UFC.com shows "City, Country" or the country alone; Wikidata has
items for the city and the country (``P19`` place of birth, ``P27`` citizenship, ``P17``
country, ``P297`` ISO code). Country items use their real Wikidata ids; city items get
stable made-up ids (``Q9`` followed by digits, far above any real item in this world).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from ufc_mirror.model import Person
from ufc_mirror.pools import REGIONS


@dataclass(frozen=True, slots=True)
class Country:
    """A country as the truth knows it."""

    name: str  # English short name ("United States", "United Kingdom")
    iso2: str  # ISO 3166-1 alpha-2, upper case
    qid: str  # real Wikidata item


@dataclass(frozen=True, slots=True)
class Place:
    """A place of birth: the city (with its state/province, when any) and its country."""

    city: str | None  # "Atlanta"
    region: str | None  # "Georgia" (a US state here, not the country)
    country: Country
    qid: str  # the city's item (made up), or the country's when the city is unknown

    @property
    def sherdog(self) -> str | None:
        """As Sherdog's ``addressLocality`` shows it ("Atlanta, Georgia")."""
        if not self.city:
            return None
        return f"{self.city}, {self.region}" if self.region else self.city

    @property
    def ufccom(self) -> str:
        """As UFC.com's Place of Birth shows it ("Atlanta, United States" or "Brazil")."""
        return f"{self.city}, {self.country.name}" if self.city else self.country.name


#: Region key of the world (``Person.region``) -> country. Sherdog's nationality for "uk" is
#: "England"; the country is the United Kingdom.
COUNTRIES: dict[str, Country] = {
    "usa": Country("United States", "US", "Q30"),
    "brazil": Country("Brazil", "BR", "Q155"),
    "russia": Country("Russia", "RU", "Q159"),
    "uk": Country("United Kingdom", "GB", "Q145"),
    "ireland": Country("Ireland", "IE", "Q27"),
    "canada": Country("Canada", "CA", "Q16"),
    "mexico": Country("Mexico", "MX", "Q96"),
    "poland": Country("Poland", "PL", "Q36"),
    "japan": Country("Japan", "JP", "Q17"),
    "china": Country("China", "CN", "Q148"),
    "korea": Country("South Korea", "KR", "Q884"),
    "australia": Country("Australia", "AU", "Q408"),
    "france": Country("France", "FR", "Q142"),
    "sweden": Country("Sweden", "SE", "Q34"),
    "netherlands": Country("Netherlands", "NL", "Q55"),
    "georgia": Country("Georgia", "GE", "Q230"),
    "kazakhstan": Country("Kazakhstan", "KZ", "Q232"),
    "southafrica": Country("South Africa", "ZA", "Q258"),
    "nigeria": Country("Nigeria", "NG", "Q1033"),
    "philippines": Country("Philippines", "PH", "Q928"),
}
assert set(COUNTRIES) == set(REGIONS), "every region needs its country"
BY_QID: dict[str, Country] = {c.qid: c for c in COUNTRIES.values()}


def city_qid(region_key: str, city: str) -> str:
    """The stable made-up Wikidata id of a mirror city."""
    return f"Q9{zlib.crc32(f'{region_key}:{city}'.encode()) % 10**8:08d}"


def country_of(person: Person) -> Country:
    """The person's country (their nationality on Sherdog)."""
    return COUNTRIES[person.region]


def birth_place(person: Person) -> Place:
    """Where the person was born: the city when the world knows it, else the country only."""
    country = country_of(person)
    if not person.birthplace:
        return Place(None, None, country, country.qid)
    city, _, region = (part.strip() for part in person.birthplace.partition(","))
    return Place(city, region or None, country, city_qid(person.region, person.birthplace))


def all_cities() -> list[Place]:
    """Every city a mirror person can be born in (the Wikidata mirror serves their items)."""
    out = []
    for key, reg in sorted(REGIONS.items()):
        for name in reg.cities:
            city, _, region = (part.strip() for part in name.partition(","))
            out.append(Place(city, region or None, COUNTRIES[key], city_qid(key, name)))
    return out
