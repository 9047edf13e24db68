"""UFCStats events of the world: the bout index per event, the upcoming event, new ids.

Every UFCStats event with at least one bout in the world is listed (in small mode: the
events of the sample's bouts, so every link on an event page resolves). The upcoming event
is generated: dated on the first Saturday after ``as_of``, numbered after the latest
numbered UFC event, between active listed fighters paired by the weight class of their
latest bout. New ids are 16 lowercase hex characters, disjoint from every real id.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict
from collections.abc import Iterable

from ufc_mirror.model import UfcFighter, UpcomingBout, UpcomingEvent, World
from ufc_mirror.seed import SeedBout, SeedData, SeedEvent

_NUMBERED = re.compile(r"^UFC (\d+):")
_ACTIVE_YEARS = 2.0
UPCOMING_BOUTS = 12


def new_hex_id(rng: random.Random, taken: set[str]) -> str:
    """A fresh 16-hex id not in ``taken`` (added to it)."""
    while True:
        value = f"{rng.getrandbits(64):016x}"
        if value not in taken:
            taken.add(value)
            return value


def taken_ids(data: SeedData) -> set[str]:
    """Every real UFCStats id (fighters, events, bouts) of the seed."""
    out = {f.id for f in data.fighters} | set(data.events) | {b.id for b in data.bouts}
    return out


def next_saturday(day: dt.date) -> dt.date:
    """The first Saturday strictly after ``day``."""
    return day + dt.timedelta(days=(5 - day.weekday()) % 7 or 7)


def index_bouts(bouts: Iterable[SeedBout]) -> dict[str, list[SeedBout]]:
    """Bouts per event id, in card order (main event first: highest bout order first)."""
    out: dict[str, list[SeedBout]] = defaultdict(list)
    for b in bouts:
        out[b.event_id].append(b)
    for rows in out.values():
        rows.sort(key=lambda b: (-b.order, b.id))
    return dict(out)


def completed_events(world: World) -> list[SeedEvent]:
    """Events with at least one bout in the world, newest first."""
    events = [world.seed_events[i] for i in world.bouts_by_event]
    events.sort(key=lambda e: (e.date, e.order, e.id), reverse=True)
    return events


def latest_completed(world: World) -> SeedEvent:
    """The newest completed event of the world."""
    return max(world.seed_events.values(), key=lambda e: (e.date, e.order, e.id))


def weight_class_of(b: SeedBout) -> str:
    """The weight class text of a bout (``Open Weight`` etc. from the bout type if none)."""
    if b.weight_class:
        return b.weight_class
    text = re.sub(r"\b(UFC|Title|Interim|Tournament|Bout)\b", "", b.type_verbose)
    text = " ".join(text.split())
    return text or "Open Weight"


def fighter_class(f: UfcFighter) -> str | None:
    """The weight class of the fighter's latest bout with one."""
    for b in f.bouts:
        if b.weight_class:
            return b.weight_class
    return None


def last_date(world: World, f: UfcFighter) -> dt.date | None:
    """Date of the fighter's latest bout."""
    return world.seed_events[f.bouts[0].event_id].date if f.bouts else None


def pair_fighters(
    world: World, rng: random.Random, count: int, since: dt.date, exclude: set[str],
    until: dt.date | None = None,
) -> list[tuple[UfcFighter, UfcFighter, str]]:  # fmt: skip
    """Up to ``count`` pairs of listed fighters of one class whose latest bout is in
    ``[since, until]`` (``exclude``: busy ids)."""
    groups: dict[str, list[UfcFighter]] = defaultdict(list)
    for f in world.listed:
        day = last_date(world, f)
        wc = fighter_class(f)
        if f.id in exclude or day is None or day < since or wc is None:
            continue
        if until is not None and day > until:
            continue
        groups[wc].append(f)
    pairs: list[tuple[UfcFighter, UfcFighter, str]] = []
    leftovers: list[tuple[UfcFighter, str]] = []
    for wc in sorted(groups):
        pool = groups[wc]
        rng.shuffle(pool)
        while len(pool) >= 2:
            pairs.append((pool.pop(), pool.pop(), wc))
        leftovers.extend((f, wc) for f in pool)
    for female in (False, True):  # small worlds: pair the rest across classes, same sex
        rest = [(f, wc) for f, wc in leftovers if f.person.female == female]
        while len(rest) >= 2:
            (a, wc), (b, _) = rest.pop(), rest.pop()
            pairs.append((a, b, wc))
    rng.shuffle(pairs)
    return pairs[:count]


def event_name(prefix: str, a: UfcFighter, b: UfcFighter) -> str:
    """``UFC Fight Night: Hooker vs. Parnasse`` style names."""
    return f"{prefix}: {a.last or a.name} vs. {b.last or b.name}"


def locations(data: SeedData, since: dt.date) -> list[str]:
    """Real event locations since ``since`` (sorted, distinct)."""
    return sorted({e.location for e in data.events.values() if e.date >= since and e.location})


def make_upcoming(world: World, data: SeedData, taken: set[str]) -> UpcomingEvent | None:
    """The generated next event (None when fewer than two listed fighters)."""
    rng = random.Random(f"{world.seed}:upcoming")
    last = latest_completed(world)
    since = last.date - dt.timedelta(days=round(_ACTIVE_YEARS * 365.25))
    pairs = pair_fighters(world, rng, UPCOMING_BOUTS, since, set())
    if not pairs:
        pairs = pair_fighters(world, rng, UPCOMING_BOUTS, dt.date(1990, 1, 1), set())
    if not pairs:
        return None
    numbers = [int(m.group(1)) for e in data.events.values() if (m := _NUMBERED.match(e.name))]
    prefix = f"UFC {max(numbers) + 1}" if numbers else "UFC Fight Night"
    main = pairs[0]
    bouts = [
        UpcomingBout(new_hex_id(rng, taken), a.id, b.id, wc, title=i == 0 and rng.random() < 0.6)
        for i, (a, b, wc) in enumerate(pairs)
    ]
    return UpcomingEvent(
        id=new_hex_id(rng, taken),
        name=event_name(prefix, main[0], main[1]),
        date=next_saturday(world.as_of),
        location=rng.choice(locations(data, since) or ["Las Vegas, Nevada, USA"]),
        bouts=bouts,
    )
