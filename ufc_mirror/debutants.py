"""New people for mutations: a UFC debutant with his Sherdog page, record and decoys.

The debutant (:func:`new_fighter`) is listed on UFCStats under the letter of his last name,
gets a Sherdog person (synthetic id >= 600000, a name variant as for every UFC fighter),
a regional record against NEW regional opponents only (so no existing page changes) and
two or three decoys sharing his first name or surname. :func:`register_persons` gives
every person created by a change its id and image and drops the Fight Finder index.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from ufc_mirror import images
from ufc_mirror.events import new_hex_id
from ufc_mirror.fighters import CLASS_WEIGHTS, make_ufc_person
from ufc_mirror.histories import schedule_fights
from ufc_mirror.model import Person, UfcFighter, World
from ufc_mirror.names import fold, list_letter, split_ufcstats
from ufc_mirror.people import class_top, height_for, years
from ufc_mirror.pools import NICKNAMES
from ufc_mirror.seed import SeedFighter

if TYPE_CHECKING:
    from ufc_mirror.mutate import Change

SYNTHETIC_PERSON_BASE = 600_000


def new_sherdog_id(world: World, rng: random.Random) -> int:
    """A synthetic Sherdog id (>= 600000) no person has."""
    while True:
        sid = rng.randint(SYNTHETIC_PERSON_BASE, SYNTHETIC_PERSON_BASE + 999_999)
        if sid not in world.persons:
            return sid


def register_persons(ch: Change) -> None:
    """Ids, images and the search index for the persons created by this change."""
    world, rng = ch.world, ch.rng
    for p in world.builder.factory.persons[ch.n_persons :]:
        if p.sherdog_id == 0:
            p.sherdog_id = new_sherdog_id(world, rng)
        world.persons[p.sherdog_id] = p
        if p.role != "ufc":
            share = 0.6 if p.role == "filler" else 0.35
            p.image = "placeholder_default" if rng.random() < share else "ok"
        if p.image != "placeholder_default":
            name = images.image_filename(p.name, rng)
            while name in world.image_files:
                name = images.image_filename(p.name, rng)
            p.image_file = name
            world.image_files[name] = p
        ch.new_persons.append(p)
    if ch.new_persons:
        world._search = None  # rebuilt on the next Fight Finder request


def filler_picker(world: World) -> Any:
    """An opponent picker that always creates a new regional filler."""
    factory = world.builder.factory

    def pick(p: Person, day: dt.date, rng: random.Random) -> Person:
        return factory.filler(rng, female=p.female, weight_top=class_top(p.weight_lbs),
                              day=day, region=p.region)  # fmt: skip

    return pick


def new_fighter(ch: Change, wc: str, female: bool, debut: dt.date) -> UfcFighter:
    """A generated UFC debutant of class ``wc`` (listed, with Sherdog page and decoys)."""
    world, rng = ch.world, ch.rng
    b = world.builder
    factory = b.factory
    pool = factory.female_first if female else factory.male_first
    taken = {fold(f.name) for f in world.fighters.values()}
    while True:
        name = f"{rng.choice(pool)} {rng.choice(factory.surnames)}"
        if fold(name) not in factory.taken and fold(name) not in taken:
            break
    weight = CLASS_WEIGHTS.get(wc, 155)
    weight = rng.choice((265, 260, 255, 250)) if weight >= 265 else weight
    height = height_for(weight, female, rng)
    sf = SeedFighter(
        id=new_hex_id(rng, b.taken), name=name,
        nickname=rng.choice(NICKNAMES) if rng.random() < 0.3 else None, height_in=height,
        reach_in=height + rng.choice((-2, -1, 0, 1, 2, 3, 4)),
        stance=rng.choices(("Orthodox", "Southpaw", "Switch"), (70, 22, 8))[0],
        dob=debut - years(rng.uniform(23, 33)),
    )  # fmt: skip
    person, tags = make_ufc_person(sf, debut, factory, world.seed, female, weight)
    first, last = split_ufcstats(name)
    uf = UfcFighter(
        id=sf.id, name=name, first=first, last=last, nickname=sf.nickname, height_in=height,
        weight_lbs=weight, reach_in=sf.reach_in, stance=sf.stance, dob=sf.dob,
        letter=list_letter(last, first), listed=True, person=person, in_crosswalk=False,
        variants=tags,
    )  # fmt: skip
    world.fighters[uf.id] = uf
    if uf.letter:
        rows = world.by_letter.setdefault(uf.letter, [])
        rows.append(uf)
        rows.sort(key=lambda u: (fold(u.last), fold(u.first), u.id))
    factory.taken.add(fold(person.name))
    pick = filler_picker(world)
    n = rng.randint(4, 12)
    end = debut - dt.timedelta(days=rng.randint(60, 200))
    schedule_fights(b.book, b.events, person, count=n, start=end - years(n * 0.5 + 1),
                    end=end, section="pro", win_rate=0.85, pick_opponent=pick, rng=rng)  # fmt: skip
    decoys = b._decoys(uf)
    for d in decoys:
        if d.career is not None:
            count = factory.targets.get(d.index, 3)
            schedule_fights(b.book, b.events, d, count=count, start=d.career[0],
                            end=d.career[1], section="pro", win_rate=rng.uniform(0.3, 0.75),
                            pick_opponent=pick, rng=rng)  # fmt: skip
    world.decoys_of[uf.id] = decoys
    ch.new_fighters.append(uf.id)
    return uf
