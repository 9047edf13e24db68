"""Events, referees and the fight book that keeps both sides of every fight consistent.

* UFCStats events keep their real Sherdog id from the crosswalk when there is one; the rest
  (PRIDE, WEC, Strikeforce...) and the generated regional events get synthetic ids from
  300000 upwards, increasing with the date as Sherdog's do.
* Regional promotions run a calendar of events; generated fights are placed on those
  events, so several fights share a card.
* :class:`FightBook` writes a fight on both pages at once (opposite results, same event,
  date, method, referee) and refuses two fights for one person on the same day.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import re
from collections.abc import Callable, Iterable

from ufc_mirror.methods import OPPOSITE, regional_method
from ufc_mirror.model import Event, Fight, Person
from ufc_mirror.pools import REFEREE_FIRST, REFEREE_LAST, REGIONS, Promotion
from ufc_mirror.seed import SeedData

SYNTHETIC_EVENT_BASE = 300_000
_SUBTITLES = (
    "Night of Champions; Rise of the Warriors; Homecoming; Redemption; Total Domination; "
    "Collision Course; Fury; Uprising; Bad Blood; Reckoning; Summer Slam; New Blood; "
    "Proving Ground; Showdown; Judgement Day; Road to Glory; Clash of Titans; No Mercy; "
    "Cage Rage; Heavy Hitters; Fight for the Belt; Kings of the Cage; Full Throttle"
).split("; ")


def sherdog_event_name(ufcstats_name: str) -> str:
    """``UFC 1: The Beginning`` -> ``UFC 1 - The Beginning`` (and ``vs`` -> ``vs.``)."""
    name = ufcstats_name.replace(": ", " - ", 1)
    return re.sub(r"\bvs\b(?!\.)", "vs.", name)


def make_referees(seed: int) -> tuple[dict[int, str], list[int]]:
    """Generated referees (id -> name) and the ids of the few who work UFC events."""
    rng = random.Random(f"{seed}:referees")
    names = sorted({f"{a} {b}" for a in REFEREE_FIRST for b in REFEREE_LAST})
    chosen = rng.sample(names, 160)
    ids = rng.sample(range(2, 4200), len(chosen))
    refs = dict(zip(ids, chosen, strict=True))
    return refs, ids[:24]


class Events:
    """All Sherdog events: UFCStats ones (real ids when known) and regional calendars."""

    def __init__(self, seed_data: SeedData, seed: int, as_of: dt.date) -> None:
        rng = random.Random(f"{seed}:events")
        self.by_ufcstats: dict[str, Event] = {}
        self.calendars: dict[str, list[Event]] = {}
        self.all: dict[int, Event] = {}
        synthetic: list[Event] = []
        for ev in sorted(seed_data.events.values(), key=lambda e: (e.date, e.order, e.id)):
            event = Event(0, sherdog_event_name(ev.name), ev.date, ev.id)
            real = seed_data.event_crosswalk.get(ev.id)
            if real is not None:
                event.sherdog_id = real
            else:
                synthetic.append(event)
            self.by_ufcstats[ev.id] = event
        promos: dict[str, Promotion] = {}
        for region in REGIONS.values():
            for promo in region.promotions:
                promos.setdefault(promo.abbr, promo)
        for abbr in sorted(promos):
            promo = promos[abbr]
            day = dt.date(promo.founded, rng.randint(1, 12), rng.randint(1, 28))
            number, cal = 1, []
            while day <= as_of:
                if rng.random() < 0.55:
                    subtitle = f"{promo.name} {number}"
                else:
                    subtitle = rng.choice(_SUBTITLES)
                cal.append(Event(0, f"{abbr} {number} - {subtitle}", day))
                number += 1
                day += dt.timedelta(days=int(promo.cadence_days * rng.uniform(0.5, 1.6)))
            self.calendars[abbr] = cal
            synthetic.extend(cal)
        synthetic.sort(key=lambda e: (e.date, e.name))
        next_id = SYNTHETIC_EVENT_BASE + rng.randint(0, 999)
        for event in synthetic:
            next_id += rng.randint(1, 9)
            event.sherdog_id = next_id
        for event in self.by_ufcstats.values():
            self.all[event.sherdog_id] = event
        for cal in self.calendars.values():
            for event in cal:
                self.all[event.sherdog_id] = event
        self._dates = {abbr: [e.date for e in cal] for abbr, cal in self.calendars.items()}

    def between(self, abbrs: Iterable[str], start: dt.date, end: dt.date) -> list[Event]:
        """Regional events of the given promotions with ``start <= date <= end``."""
        out: list[Event] = []
        for abbr in abbrs:
            dates = self._dates.get(abbr)
            if not dates:
                continue
            lo = bisect.bisect_left(dates, start)
            hi = bisect.bisect_right(dates, end)
            out.extend(self.calendars[abbr][lo:hi])
        return out


def region_promotions(region: str) -> list[str]:
    """Promotion abbreviations a fighter from ``region`` usually fights in."""
    return [p.abbr for p in REGIONS[region].promotions]


class FightBook:
    """Writes fights on both persons' pages; remembers who is busy on which day."""

    def __init__(self, referees: dict[int, str], ufc_referees: list[int]) -> None:
        self.referee_ids = sorted(referees)
        self.ufc_referees = ufc_referees
        self.busy: dict[int, set[dt.date]] = {}
        self.count = 0

    def free(self, person: Person, day: dt.date) -> bool:
        """True when ``person`` has no fight on ``day``."""
        return day not in self.busy.get(person.index, ())

    def referee(self, rng: random.Random, ufc: bool) -> tuple[int, str]:
        """A referee id and the way the page shows him (link, plain text or empty)."""
        style = rng.choices(("link", "plain", "empty"), (90, 5, 5) if ufc else (62, 16, 22))[0]
        pool = self.ufc_referees if ufc else self.referee_ids
        return (0 if style == "empty" else rng.choice(pool)), style

    def add(
        self,
        a: Person,
        b: Person,
        *,
        rng: random.Random,
        section: str,
        event: Event,
        result_a: str,
        method: str,
        rnd: int,
        time: str,
        ufc: bool = False,
        bout_id: str | None = None,
        seq: int = 0,
    ) -> None:
        """Add the fight to both pages with opposite results."""
        ref, style = self.referee(rng, ufc)
        pbp = ufc and event.date.year >= 2008 and rng.random() < 0.85
        for me, them, res in ((a, b, result_a), (b, a, OPPOSITE[result_a])):
            award = rng.random() < {"win": 0.95, "loss": 0.0}.get(res, 0.4)
            me.fights.append(
                Fight(
                    section,
                    event.date,
                    res,
                    them,
                    event,
                    method,
                    ref,
                    style,
                    rnd,
                    time,
                    award,
                    pbp,
                    bout_id,
                    seq,
                )  # fmt: skip
            )
            self.busy.setdefault(me.index, set()).add(event.date)
        self.count += 1


OpponentPicker = Callable[[Person, dt.date, random.Random], Person]


def schedule_fights(
    book: FightBook,
    events: Events,
    person: Person,
    *,
    count: int,
    start: dt.date,
    end: dt.date,
    section: str,
    win_rate: float,
    pick_opponent: OpponentPicker,
    rng: random.Random,
    max_per_year: float = 4.0,
) -> int:
    """Put ``count`` generated fights for ``person`` on regional events in [start, end].

    Opponents come from ``pick_opponent``; each fight goes on both pages. Returns how many
    were placed (fewer when the window holds too few free event dates).
    """
    if count <= 0 or end < start:
        return 0
    abbrs = region_promotions(person.region)
    candidates = events.between(abbrs, start, end)
    if len(candidates) < count * 2:
        extra = [a for r in sorted(REGIONS) for a in region_promotions(r) if a not in abbrs]
        candidates += events.between(rng.sample(extra, min(4, len(extra))), start, end)
    years = max((end - start).days / 365.25, 0.25)
    count = min(count, len(candidates), max(1, int(years * max_per_year)))
    if count <= 0:
        return 0
    pool = rng.sample(candidates, min(len(candidates), count * 2 + 4))
    chosen = sorted([e for e in pool if book.free(person, e.date)][:count], key=lambda e: e.date)
    placed, last = 0, None
    for event in chosen:
        if last is not None and (event.date - last).days < 21:
            continue
        opponent = pick_opponent(person, event.date, rng)
        if opponent is person or not book.free(opponent, event.date):
            continue
        roll = rng.random()
        if roll < 0.015:
            result = "draw"
        elif roll < 0.025:
            result = "nc"
        else:
            result = "win" if rng.random() < win_rate else "loss"
        method, rnd, time = regional_method(rng, result)
        book.add(person, opponent, rng=rng, section=section, event=event, result_a=result,
                 method=method, rnd=rnd, time=time)  # fmt: skip
        placed += 1
        last = event.date
    return placed
