"""Build the mirror world: real UFCStats fighters and bouts plus generated Sherdog context.

``build_world(seed)`` is deterministic for a seed: every random choice comes from
``random.Random`` seeded with a string that names its purpose and key (never ``hash()``),
and everything is iterated in sorted order. See ``data/README.md`` for what is real and
what is generated.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import random
from collections import defaultdict

from ufc_mirror import images
from ufc_mirror.events import index_bouts, make_upcoming, taken_ids
from ufc_mirror.fighters import (
    CLASS_TOPS,
    make_ufc_person,
    select_fighters,
    ufc_weight,
)
from ufc_mirror.histories import Events, FightBook, make_referees, schedule_fights
from ufc_mirror.methods import RESULTS, mmss, sherdog_method
from ufc_mirror.model import Person, UfcFighter, World
from ufc_mirror.names import fold, list_letter, split_ufcstats
from ufc_mirror.people import (
    PeopleFactory,
    class_top,
    random_class,
    years,
)
from ufc_mirror.seed import SeedBout, load_seed

SYNTHETIC_PERSON_BASE = 600_000
_PRE_UFC_COUNTS = list(range(16))
_PRE_UFC_WEIGHTS = [4, 4, 5, 6, 7, 8, 8, 8, 7, 6, 5, 4, 3, 3, 2, 2]


class _Builder:
    """One world build (keeps the shared state of the steps together)."""

    def __init__(self, seed: int, fighters: int | None, letters: str | None) -> None:
        self.seed = seed
        self.data = load_seed()
        self.as_of = max(e.date for e in self.data.events.values()) + dt.timedelta(days=30)
        self.selected = select_fighters(self.data, seed, fighters, letters)
        sel = set(self.selected)
        self.by_fighter: dict[str, list[SeedBout]] = defaultdict(list)
        for b in self.data.bouts:  # sorted oldest first
            self.by_fighter[b.red_id].append(b)
            self.by_fighter[b.blue_id].append(b)
        universe = set(sel)
        for fid in self.selected:
            for b in self.by_fighter[fid]:
                universe.update((b.red_id, b.blue_id))
        self.universe = sorted(universe)
        self.bouts = [b for b in self.data.bouts if b.red_id in universe and b.blue_id in universe]
        self.bout_ids = {b.id for b in self.bouts}
        self.seed_fighters = {f.id: f for f in self.data.fighters}
        self.events = Events(self.data, seed, self.as_of)
        self.referees, ufc_refs = make_referees(seed)
        self.book = FightBook(self.referees, ufc_refs)
        male_first, female_first, surnames, taken = [], [], [], set()
        for f in self.data.fighters:
            first, last = split_ufcstats(f.name)
            (female_first if self._female(f.id) else male_first).append(first or last)
            surnames.append(last.split()[-1] if last else first)
            taken.add(fold(f.name))
        self.factory = PeopleFactory(seed, self.as_of, male_first, female_first, surnames, taken)
        self.fighters: dict[str, UfcFighter] = {}
        self.decoys_of: dict[str, list[Person]] = {}

    def _female(self, fid: str) -> bool:
        return any((b.weight_class or "").startswith("Women") for b in self.by_fighter[fid])

    def _date(self, b: SeedBout) -> dt.date:
        return self.data.events[b.event_id].date

    def ufc_side(self) -> None:
        """UFCStats fighters of the universe and their Sherdog persons."""
        sel = set(self.selected)
        for fid in self.universe:
            f = self.seed_fighters[fid]
            bouts = self.by_fighter[fid]
            female = self._female(fid)
            weight = ufc_weight(bouts, random.Random(f"{self.seed}:weight:{fid}"))
            debut = self._date(bouts[0]) if bouts else None
            person, tags = make_ufc_person(f, debut, self.factory, self.seed, female, weight)
            crosswalk = self.data.fighter_crosswalk.get(fid)
            if crosswalk is not None:
                person.sherdog_id = crosswalk
            first, last = split_ufcstats(f.name)
            last_bout = bouts[-1] if bouts else None
            belt = bool(
                last_bout
                and "Title Bout" in last_bout.type_verbose
                and (last_bout.red_outcome if last_bout.red_id == fid else last_bout.blue_outcome)
                == "W"
                and self._date(last_bout) >= self.as_of - years(1.5)
            )
            self.fighters[fid] = UfcFighter(
                id=fid, name=f.name, first=first, last=last, nickname=f.nickname,
                height_in=f.height_in, weight_lbs=weight, reach_in=f.reach_in, stance=f.stance,
                dob=f.dob, letter=list_letter(last, first), listed=fid in sel, person=person,
                in_crosswalk=crosswalk is not None, variants=tags, belt=belt,
                bouts=[b for b in reversed(bouts) if b.id in self.bout_ids],
            )  # fmt: skip

    def namesakes_and_decoys(self) -> None:
        """Two or more decoys per listed fighter; ~4 % get a same-name other person."""
        # decoys and fillers never take a UFC fighter's Sherdog name by accident
        self.factory.taken.update(fold(uf.person.name) for uf in self.fighters.values())
        n = len(self.selected)
        k = math.ceil(0.04 * n) if n >= 10 else (1 if n >= 3 else 0)
        ranked = sorted(
            self.selected, key=lambda i: (random.Random(f"{self.seed}:namesake:{i}").random(), i)
        )
        for fid in sorted(ranked[:k]):
            uf = self.fighters[fid]
            p = uf.person
            rng = random.Random(f"{self.seed}:namesake:{fid}")
            tops = [t for t in CLASS_TOPS if t != class_top(p.weight_lbs)]
            tops = [t for t in tops if (t <= 145 if p.female else t >= 125)]
            twin = self.factory.decoy(
                rng, first=p.name, last=None, female=p.female, weight_top=rng.choice(tops),
                region=p.region if rng.random() < 0.6 else None, role="namesake",
            )  # fmt: skip
            twin.name = p.name
            if p.dob is not None and twin.dob is not None and abs((twin.dob - p.dob).days) < 400:
                twin.dob = p.dob - years(rng.uniform(3, 12))
        for fid in self.selected:
            self.decoys_of[fid] = self._decoys(self.fighters[fid])

    def _decoys(self, uf: UfcFighter) -> list[Person]:
        rng = random.Random(f"{self.seed}:decoys:{uf.id}")
        p = uf.person
        first, last = uf.first, uf.last
        if not first:
            first = last
        same = class_top(p.weight_lbs)

        def top() -> int:
            return same if rng.random() < 0.35 else random_class(p.female, rng)

        def region() -> str | None:
            return p.region if rng.random() < 0.6 else None

        mk = self.factory.decoy
        out = [
            mk(rng, first=first, last=None, female=p.female, weight_top=top(), region=region()),
            mk(rng, first=None, last=last, female=p.female, weight_top=top(), region=region()),
        ]
        if rng.random() < 0.25:
            out.append(mk(rng, first=None, last=last, female=p.female, weight_top=top(),
                          nickname=first, region=region()))  # fmt: skip
        if rng.random() < 0.12:
            middle = rng.choice(self.factory.surnames)
            out.append(mk(rng, first=first, last=last, middle=middle, female=p.female,
                          weight_top=top(), region=region()))  # fmt: skip
        if rng.random() < 0.2:
            out.append(mk(rng, first=first, last=None, female=p.female, weight_top=top()))
        return out

    def ufc_bouts(self) -> None:
        """Every UFCStats bout of the universe on both persons' pages."""
        for b in self.bouts:
            rng = random.Random(f"{self.seed}:bout:{b.id}")
            red, blue = self.fighters[b.red_id].person, self.fighters[b.blue_id].person
            self.book.add(
                red, blue, rng=rng, section="pro", event=self.events.by_ufcstats[b.event_id],
                result_a=RESULTS[b.red_outcome], method=sherdog_method(b, rng), rnd=b.round,
                time=mmss(b.time_seconds), ufc=True, bout_id=b.id, seq=b.order,
            )  # fmt: skip

    def _picker(self, person: Person, day: dt.date, rng: random.Random) -> Person:
        return self.factory.pick_opponent(person, day, rng, self.book.free)

    def regional(self) -> None:
        """Pre-UFC pro fights, some amateur and exhibition rows, some post-UFC fights."""
        for fid in self.universe:
            uf = self.fighters[fid]
            p = uf.person
            bouts = self.by_fighter[fid]
            if not bouts:
                continue
            rng = random.Random(f"{self.seed}:regional:{fid}")
            debut, last = self._date(bouts[0]), self._date(bouts[-1])
            if debut.year < 1997:
                n = rng.choice((0, 0, 0, 1, 1, 2, 3))
            else:
                n = rng.choices(_PRE_UFC_COUNTS, _PRE_UFC_WEIGHTS)[0]
            end = debut - dt.timedelta(days=rng.randint(35, 150))
            start = end - years(max(n, 1) * rng.uniform(0.3, 0.7) + 0.3)
            if p.dob is not None:
                start = max(start, p.dob + years(18))
            start = max(start, dt.date(1993, 1, 1))
            sched = functools.partial(
                schedule_fights, self.book, self.events, p, pick_opponent=self._picker, rng=rng
            )
            sched(count=n, start=start, end=end, section="pro", win_rate=0.8)
            if rng.random() < 0.16:
                a_end = start - dt.timedelta(days=30)
                sched(count=rng.randint(1, 5), start=a_end - years(3), end=a_end,
                      section="amateur", win_rate=0.75)  # fmt: skip
            if rng.random() < 0.025:
                sched(count=rng.randint(1, 3), start=debut - dt.timedelta(days=200),
                      end=debut - dt.timedelta(days=20), section="pro_exhibition",
                      win_rate=0.7, max_per_year=8)  # fmt: skip
            if last < self.as_of - years(1.5) and rng.random() < 0.3:
                m = rng.randint(1, 8)
                sched(count=m, start=last + dt.timedelta(days=90),
                      end=min(last + years(m * 0.6 + 1), self.as_of), section="pro",
                      win_rate=0.55)  # fmt: skip

    def fill_decoys(self) -> None:
        """Decoys and namesakes get their own regional records (up to their target)."""
        for p in list(self.factory.persons):
            if p.role not in ("decoy", "namesake") or p.career is None:
                continue
            rng = random.Random(f"{self.seed}:fill:{p.index}")
            need = self.factory.targets[p.index] - sum(f.section == "pro" for f in p.fights)
            schedule_fights(self.book, self.events, p, count=need, start=p.career[0],
                            end=p.career[1], section="pro", win_rate=rng.uniform(0.3, 0.75),
                            pick_opponent=self._picker, rng=rng)  # fmt: skip

    def assign_ids(self) -> None:
        """Synthetic Sherdog ids (>= 600000) in a seeded random order: ids carry no role."""
        need = [p for p in self.factory.persons if p.sherdog_id == 0]
        rng = random.Random(f"{self.seed}:ids")
        span = max(250_000, 4 * len(need))
        for p, sid in zip(need, rng.sample(range(SYNTHETIC_PERSON_BASE,
                                                 SYNTHETIC_PERSON_BASE + span), len(need)),
                          strict=True):  # fmt: skip
            p.sherdog_id = sid

    def assign_images(self) -> dict[str, Person]:
        """Image kinds (rank-based for listed fighters) and unique file names."""
        n = len(self.selected)
        k_broken = max(1, round(0.005 * n)) if n >= 200 else round(0.005 * n)
        k_ph = round(0.03 * n)
        ranked = sorted(
            self.selected, key=lambda i: (random.Random(f"{self.seed}:img:{i}").random(), i)
        )
        # faceless and two-person pictures take the ranks after the other kinds (whose
        # assignments therefore did not move when these were added)
        k_no_face = max(1, round(0.01 * n)) if n >= 200 else 0
        k_two = max(1, round(0.005 * n)) if n >= 200 else 0
        kinds = (["broken_html"] * k_broken + ["broken_truncated"] * k_broken
                 + ["broken_404"] * k_broken + ["placeholder_default"] * k_ph
                 + ["placeholder_reencoded"] * k_ph + ["no_face"] * k_no_face
                 + ["two_faces"] * k_two)  # fmt: skip
        for fid, kind in zip(ranked, kinds, strict=False):
            self.fighters[fid].person.image = kind
        files: dict[str, Person] = {}
        for p in self.factory.persons:
            rng = random.Random(f"{self.seed}:file:{p.sherdog_id}")
            if p.role in ("decoy", "namesake", "filler"):
                share = 0.35 if p.role != "filler" else 0.6
                p.image = "placeholder_default" if rng.random() < share else "ok"
            if p.image == "placeholder_default":
                continue
            name = images.image_filename(p.name, rng)
            while name in files:
                name = images.image_filename(p.name, rng)
            p.image_file = name
            files[name] = p
        return files

    def finish(self) -> World:
        """Same-name tags, letter index and the world object."""
        persons = {p.sherdog_id: p for p in self.factory.persons}
        by_name: dict[str, int] = defaultdict(int)
        for p in persons.values():
            by_name[fold(p.name)] += 1
        for fid in self.selected:
            uf = self.fighters[fid]
            if by_name[fold(uf.person.name)] > 1:
                uf.variants.insert(0, "same_name_other_person")
        by_letter: dict[str, list[UfcFighter]] = defaultdict(list)
        for uf in self.fighters.values():
            if uf.listed and uf.letter:
                by_letter[uf.letter].append(uf)
        for rows in by_letter.values():
            rows.sort(key=lambda u: (fold(u.last), fold(u.first), u.id))
        rng = random.Random(f"{self.seed}:trending")
        listed = [self.fighters[i].person for i in self.selected]
        trending = rng.sample(listed, min(8, len(listed)))
        files = self.assign_images()
        world = World(
            seed=self.seed, as_of=self.as_of, fighters=self.fighters, persons=persons,
            events=self.events, seed_events=dict(self.data.events), referees=self.referees,
            trending=trending, image_files=files, decoys_of=self.decoys_of,
            by_letter=dict(by_letter), bouts_by_event=index_bouts(self.bouts),
            bout_index={b.id: b for b in self.bouts},
            clock=dt.datetime.combine(self.as_of, dt.time(), tzinfo=dt.UTC),
        )  # fmt: skip
        self.taken = taken_ids(self.data)
        world.upcoming = make_upcoming(world, self.data, self.taken)
        world.builder = self  # mutations (mutate.py) reuse the factory and the fight book
        return world


def build_world(
    seed: int = 7,
    fighters: int | None = None,
    letters: str | None = None,
    *,
    bad_input: bool = False,
    huge_page_mb: float = 8.0,
) -> World:
    """Build the deterministic mirror world (``fighters``/``letters``: small mode).

    ``bad_input``: also plant the hostile inputs of :mod:`ufc_mirror.badinput`
    (a ``huge_page_mb`` fighter page, odd Sherdog names, a decompression-bomb image); the
    default world is unchanged by this option.
    """
    b = _Builder(seed, fighters, letters)
    b.ufc_side()
    b.namesakes_and_decoys()
    b.ufc_bouts()
    b.regional()
    b.fill_decoys()
    b.assign_ids()
    world = b.finish()
    if bad_input:
        from ufc_mirror.badinput import plant_bad_input

        plant_bad_input(world, huge_page_mb)
    return world
