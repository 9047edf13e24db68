"""UFC-side helpers: sample selection, weights and the Sherdog person of a UFC fighter."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from ufc_mirror.model import Person
from ufc_mirror.names import list_letter, sherdog_name_variant, split_ufcstats
from ufc_mirror.people import (
    PeopleFactory,
    class_top,
    height_for,
    random_class,
    weight_for_class,
    years,
)
from ufc_mirror.pools import NICKNAMES
from ufc_mirror.seed import SeedBout, SeedData, SeedFighter

CLASS_WEIGHTS = {
    "Flyweight": 125, "Bantamweight": 135, "Featherweight": 145, "Lightweight": 155,
    "Welterweight": 170, "Middleweight": 185, "Light Heavyweight": 205, "Heavyweight": 265,
    "Super Heavyweight": 300, "Women's Atomweight": 105, "Women's Strawweight": 115,
    "Women's Flyweight": 125, "Women's Bantamweight": 135, "Women's Featherweight": 145,
}  # fmt: skip
CLASS_TOPS = (105, 115, 125, 135, 145, 155, 170, 185, 205, 265)


def select_fighters(
    data: SeedData, seed: int, fighters: int | None, letters: str | None
) -> list[str]:
    """Listed fighter ids: all, those of some letters, or N spread over the letters."""
    pool = list(data.fighters)
    if letters:
        wanted = set(letters.lower())
        pool = [f for f in pool if list_letter(*reversed(split_ufcstats(f.name))) in wanted]
    if fighters is None or fighters >= len(pool):
        return sorted(f.id for f in pool)
    groups: dict[str, list[SeedFighter]] = defaultdict(list)
    for f in pool:
        groups[list_letter(*reversed(split_ufcstats(f.name))) or "?"].append(f)
    for key in groups:
        groups[key].sort(key=lambda f: random.Random(f"{seed}:pick:{f.id}").random())
    chosen: list[str] = []
    depth = 0
    while len(chosen) < fighters:
        for key in sorted(groups):
            if depth < len(groups[key]) and len(chosen) < fighters:
                chosen.append(groups[key][depth].id)
        depth += 1
    return sorted(chosen)


def ufc_weight(bouts: list[SeedBout], rng: random.Random) -> int | None:
    """UFCStats weight from the latest bout with a real weight class (None: ``--``)."""
    for b in reversed(bouts):
        top = CLASS_WEIGHTS.get(b.weight_class or "")
        if top is None:
            continue
        if top == 265:
            return rng.choice((265, 265, 265, 265, 260, 255, 250, 245, 240))
        if top == 300:
            return rng.randint(270, 320)
        return top
    return None


def sherdog_weight(ufc_weight: int | None, female: bool, rng: random.Random) -> int:
    """Sherdog weight: mostly the UFCStats one, sometimes off or a neighbouring class."""
    if ufc_weight is None:
        return weight_for_class(random_class(female, rng), rng)
    roll = rng.random()
    if roll < 0.10:
        i = CLASS_TOPS.index(class_top(ufc_weight))
        j = min(max(i + rng.choice((-1, 1)), 1 if female else 2), len(CLASS_TOPS) - 1)
        return weight_for_class(CLASS_TOPS[j], rng)
    if roll < 0.20 and ufc_weight < 265:
        return ufc_weight + rng.choice((-3, -2, -1, 1, 2, 4))
    return ufc_weight


def make_ufc_person(
    f: SeedFighter, debut: dt.date | None, factory: PeopleFactory, seed: int, female: bool,
    ufc_weight: int | None,
) -> tuple[Person, list[str]]:  # fmt: skip
    """The Sherdog person of a UFC fighter (name variant, bio close to UFCStats) and tags."""
    rng = random.Random(f"{seed}:person:{f.id}")
    name_rng = random.Random(f"{seed}:name:{f.id}")
    name, tags = sherdog_name_variant(f.name, f.nickname, name_rng, female)
    if f.nickname:
        roll = rng.random()
        nick = f.nickname if roll < 0.88 else (None if roll < 0.94 else rng.choice(NICKNAMES))
    else:
        nick = rng.choice(NICKNAMES) if rng.random() < 0.08 else None
    if f.dob is not None:
        dob = f.dob if rng.random() >= 0.05 else None
    elif debut is not None and rng.random() < 0.5:
        dob = debut - years(rng.uniform(23, 32))
    else:
        dob = None
    weight = sherdog_weight(ufc_weight, female, rng)
    if f.height_in is not None:
        height = f.height_in + (rng.choice((-1, 1)) if rng.random() < 0.1 else 0)
    else:
        height = height_for(weight, female, rng)
    person = factory.new(name, role="ufc", female=female, weight=weight, rng=rng,
                         nickname=nick, height=height, dob=dob)  # fmt: skip
    person.ufcstats_id = f.id
    return person, tags
