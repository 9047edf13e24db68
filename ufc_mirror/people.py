"""Sherdog persons: bios for UFC fighters, decoys, same-name namesakes and regional fillers.

Decoys share a first name or a surname with a UFC fighter so that Fight Finder searches
return several plausible people; some carry the UFC fighter's first name as their nickname
(the Fight Finder matches nicknames too). Namesakes carry the very same Sherdog name.
Fillers are the regional opponents nobody searches for.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable

from ufc_mirror.model import Person
from ufc_mirror.names import CJK_SURNAMES, ES_NAMES, PT_NAMES, fold, looks_cjk
from ufc_mirror.pools import (
    EXTRA_FEMALE_FIRST,
    EXTRA_FIRST,
    EXTRA_LAST,
    GYM_WORDS_A,
    GYM_WORDS_B,
    NICKNAMES,
    REGIONS,
    WEIGHT_CLASSES,
    WOMEN_CLASSES,
)

KOREAN = frozenset(
    "Kim Lee Park Choi Jung Jeong Kang Cho Yoon Jang Lim Oh Seo Shin Kwon Hwang Ahn Yoo Hong "
    "Jeon Ko Moon Son Bae Baek Heo Nam Noh Ha Ryu Yun Jo Chung".split()
)
_DEFAULT_REGIONS = (
    ("usa", 55), ("uk", 7), ("canada", 6), ("australia", 5), ("ireland", 2), ("france", 3),
    ("sweden", 2), ("netherlands", 3), ("southafrica", 2), ("nigeria", 2), ("philippines", 1),
    ("brazil", 5), ("russia", 3), ("poland", 2), ("mexico", 2),
)  # fmt: skip
_HEIGHT_AT = {105: 61, 115: 63, 125: 65, 135: 67, 145: 68, 155: 70, 170: 71, 185: 73, 205: 74}
_DECOY_TARGETS = list(range(1, 26))
_DECOY_WEIGHTS = [6, 7, 8, 8, 8, 7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1]


def guess_region(name: str, rng: random.Random) -> str:
    """A plausible home region for a name (used for nationality, birthplace, promotions)."""
    parts = name.split()
    last = parts[-1] if parts else ""
    if looks_cjk(name):
        return "korea" if any(p in KOREAN for p in parts) else "china"
    if any(p in CJK_SURNAMES for p in parts) and rng.random() < 0.3:
        return "korea" if any(p in KOREAN for p in parts) else "china"
    if any(p in PT_NAMES or p.lower() in ("da", "dos", "do") for p in parts[1:]):
        return "brazil" if rng.random() < 0.85 else "usa"
    if re.search(r"(shvili|dze|ani)$", last):
        return "georgia"
    if re.search(r"(ov|ev|ova|eva|yev|aev|iev)$", last):
        return rng.choices(("russia", "kazakhstan", "usa"), (75, 15, 10))[0]
    if re.search(r"(ski|cz|czyk|wicz|ska|wski)$", last):
        return "poland"
    if re.search(r"(moto|mura|yama|kawa|shita|hara|saki|zawa|naga|ishi|uchi)$", last):
        return "japan"
    if last in ES_NAMES or last.endswith("ez"):
        return "mexico" if rng.random() < 0.5 else "usa"
    regions, weights = zip(*_DEFAULT_REGIONS, strict=True)
    return rng.choices(regions, weights)[0]


def height_for(weight: int, female: bool, rng: random.Random) -> int:
    """A height in inches typical of the weight."""
    base = 76
    for top, h in sorted(_HEIGHT_AT.items()):
        if weight <= top:
            base = h
            break
    return base - (1 if female else 0) + rng.choice((-2, -1, -1, 0, 0, 0, 1, 1, 2))


def weight_for_class(top: int, rng: random.Random) -> int:
    """Listed weight of a fighter of a class (mostly the limit, sometimes a few lbs off)."""
    if top >= 265:
        return rng.choice((265, 265, 264, 260, 255, 250, 245, 240, 235, 230))
    roll = rng.random()
    if roll < 0.8:
        return top
    return top + rng.choice((-4, -3, -2, -1, 1, 1, 2, 3))


def random_class(female: bool, rng: random.Random) -> int:
    """Top weight of a random class (weighted by how common it is)."""
    table = WOMEN_CLASSES if female else WEIGHT_CLASSES
    return rng.choices([t for _, t, _ in table], [w for _, _, w in table])[0]


def class_top(weight: int | None) -> int:
    """Top weight of the class of ``weight`` (bucket key for opponents)."""
    if weight is None:
        return 155
    for top in (105, 115, 125, 135, 145, 155, 170, 185, 205):
        if weight <= top:
            return top
    return 265


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """Uniform date in [start, end]."""
    span = max((end - start).days, 0)
    return start + dt.timedelta(days=rng.randint(0, span))


def years(n: float) -> dt.timedelta:
    """``n`` years as a timedelta."""
    return dt.timedelta(days=round(n * 365.25))


class PeopleFactory:
    """Creates persons with consistent bios and keeps opponent pools by weight class."""

    def __init__(
        self,
        seed: int,
        as_of: dt.date,
        male_first: list[str],
        female_first: list[str],
        surnames: list[str],
        taken: set[str],
    ) -> None:
        self.seed = seed
        self.as_of = as_of
        self.male_first = sorted(set(male_first) | set(EXTRA_FIRST))
        self.female_first = sorted(set(female_first) | set(EXTRA_FEMALE_FIRST))
        self.surnames = sorted(set(surnames) | set(EXTRA_LAST))
        self.taken = taken
        self.persons: list[Person] = []
        self.targets: dict[int, int] = {}
        self.buckets: dict[tuple[bool, int], list[Person]] = {}

    # -- creation ---------------------------------------------------------------------
    def new(self, name: str, *, role: str, female: bool, weight: int | None,
            rng: random.Random, nickname: str | None = None, region: str | None = None,
            height: int | None = None, dob: dt.date | None = None) -> Person:  # fmt: skip
        """A person with generated nationality, birthplace and association."""
        region = region or guess_region(name, rng)
        reg = REGIONS[region]
        person = Person(
            index=len(self.persons),
            name=name,
            nickname=nickname,
            dob=dob,
            height_in=height,
            weight_lbs=weight,
            region=region,
            birthplace=rng.choice(reg.cities) if rng.random() < 0.9 else None,
            association=self.gym(rng) if rng.random() < 0.85 else None,
            role=role,
            female=female,
        )
        self.persons.append(person)
        return person

    def gym(self, rng: random.Random) -> str:
        """A generated gym name."""
        if rng.random() < 0.2:
            return f"Team {rng.choice(GYM_WORDS_A)}"
        return f"{rng.choice(GYM_WORDS_A)} {rng.choice(GYM_WORDS_B)}"

    def _bucket(self, person: Person, target: int) -> None:
        self.targets[person.index] = target
        key = (person.female, class_top(person.weight_lbs))
        self.buckets.setdefault(key, []).append(person)

    def _free_name(self, make: Callable[[], str], rng: random.Random) -> str:
        for _ in range(8):
            name = make()
            if fold(name) not in self.taken:
                return name
        return make() + " " + rng.choice(self.surnames)

    def _career(self, rng: random.Random, start: dt.date | None = None) -> tuple[dt.date, dt.date]:
        begin = start or random_date(rng, dt.date(1996, 1, 1), self.as_of - years(1))
        end = min(begin + years(rng.uniform(1, 12)), self.as_of)
        return begin, end

    def decoy(self, rng: random.Random, *, first: str | None, last: str | None,
              female: bool, weight_top: int, nickname: str | None = None,
              middle: str | None = None, region: str | None = None,
              role: str = "decoy") -> Person:  # fmt: skip
        """A non-UFC person sharing ``first`` and/or ``last`` with a UFC fighter."""
        pool = self.female_first if female else self.male_first

        def make() -> str:
            f = first or rng.choice(pool)
            sur = last or rng.choice(self.surnames)
            return " ".join(x for x in (f, middle, sur) if x)

        name = make() if role == "namesake" else self._free_name(make, rng)
        if nickname is None and rng.random() < 0.35:
            nickname = rng.choice(NICKNAMES) if rng.random() < 0.9 else rng.choice(pool)
        weight = weight_for_class(weight_top, rng)
        career = self._career(rng)
        person = self.new(
            name, role=role, female=female, weight=weight, rng=rng, nickname=nickname,
            region=region, height=height_for(weight, female, rng),
            dob=career[0] - years(rng.uniform(18.5, 29)) if rng.random() < 0.9 else None,
        )  # fmt: skip
        person.career = career
        self._bucket(person, rng.choices(_DECOY_TARGETS, _DECOY_WEIGHTS)[0])
        return person

    def filler(self, rng: random.Random, *, female: bool, weight_top: int, day: dt.date,
               region: str) -> Person:  # fmt: skip
        """A regional opponent created for a fight on ``day``."""
        pool = self.female_first if female else self.male_first
        name = self._free_name(lambda: f"{rng.choice(pool)} {rng.choice(self.surnames)}", rng)
        weight = weight_for_class(weight_top, rng)
        start = max(day - years(rng.uniform(0, 3)), dt.date(1990, 1, 1))
        person = self.new(
            name, role="filler", female=female, weight=weight, rng=rng,
            region=region if rng.random() < 0.7 else None,
            height=height_for(weight, female, rng) if rng.random() < 0.8 else None,
            dob=start - years(rng.uniform(18.5, 30)) if rng.random() < 0.75 else None,
        )  # fmt: skip
        person.nickname = rng.choice(NICKNAMES) if rng.random() < 0.2 else None
        person.career = (start, min(day + years(rng.uniform(0, 4)), self.as_of))
        self._bucket(person, rng.choice((1, 1, 2, 2, 3, 4, 6)))
        return person

    # -- opponents --------------------------------------------------------------------
    def pick_opponent(self, person: Person, day: dt.date, rng: random.Random,
                      free: Callable[[Person, dt.date], bool]) -> Person:  # fmt: skip
        """A decoy/filler of the same class active on ``day`` (a new filler if none)."""
        key = (person.female, class_top(person.weight_lbs))
        bucket = self.buckets.get(key, [])
        slack = dt.timedelta(days=200)
        for _ in range(7 if bucket else 0):
            cand = bucket[rng.randrange(len(bucket))]
            if cand is person or cand.career is None:
                continue
            if not (cand.career[0] - slack <= day <= cand.career[1] + slack):
                continue
            if len(cand.fights) >= self.targets.get(cand.index, 3) + 3 or not free(cand, day):
                continue
            return cand
        return self.filler(rng, female=person.female, weight_top=key[1], day=day,
                           region=person.region)  # fmt: skip
