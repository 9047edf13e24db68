"""Changing the world while it is served: a new event, a late fight on an existing card,
statistics published after the event.

Both mutations are deterministic given the world seed and the call order (every choice
comes from ``random.Random(f"{seed}:mutation:{generation}:...")``). They run under
``world.lock``, write every new bout on both sides (UFCStats event page, both fighter
pages and list rows; both Sherdog pages through the fight book, with opposite results),
advance ``world.clock``, stamp ``world.modified`` for exactly the pages they change, and
bump ``world.generation`` so the servers drop their render caches. Pages whose body is
unchanged keep their ETag and Last-Modified.

New bouts copy the outcome, method, details, round and time of a real bout of the same
weight class (2015 or later). A new fighter is a generated UFC debutant with a Sherdog page,
a short regional record against new regional opponents, and two or three decoys (new
persons sharing his first name or surname), so he is listed, searchable and matchable.

UFCStats publishes a fight's statistics some time after the fight: ``stats=False`` adds the
bouts with fight pages that show the persons and the bout header but no statistics (see
:mod:`ufc_mirror.render_fight`), and :func:`publish_stats` publishes them later, changing
exactly those fight pages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from typing import Any

from ufc_mirror.debutants import new_fighter, register_persons
from ufc_mirror.events import (
    fighter_class,
    latest_completed,
    locations,
    new_hex_id,
    next_saturday,
    pair_fighters,
)
from ufc_mirror.histories import sherdog_event_name
from ufc_mirror.methods import RESULTS, mmss, sherdog_method
from ufc_mirror.model import Event, Person, UfcFighter, World
from ufc_mirror.seed import SeedBout, SeedEvent

REST_DAYS = 42  # a fighter's previous bout is at least this long before a new one
_ACTIVE = dt.timedelta(days=730)


@dataclasses.dataclass
class MutationResult:
    """What a mutation did: the ids involved and the pages it changed (or created)."""

    kind: str
    event_id: str
    event_name: str
    event_date: dt.date
    bout_ids: list[str]
    fighter_ids: list[str]
    new_fighter_ids: list[str]
    sherdog_ids: list[int]
    new_sherdog_ids: list[int]
    ufcstats_paths: list[str]
    sherdog_paths: list[str]
    search_changed: bool
    clock: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings)."""
        out = dataclasses.asdict(self)
        out["event_date"] = self.event_date.isoformat()
        out["clock"] = self.clock.isoformat()
        return out


class Change:
    """Collects what one mutation touches."""

    def __init__(self, world: World, kind: str) -> None:
        self.world = world
        self.kind = kind
        self.rng = random.Random(f"{world.seed}:mutation:{world.generation}:{kind}")
        self.bouts: list[SeedBout] = []
        self.fighters: list[str] = []
        self.new_fighters: list[str] = []
        self.persons: list[Person] = []
        self.new_persons: list[Person] = []
        self.ufc_paths: list[str] = []
        self.n_persons = len(world.builder.factory.persons)

    def touch(self, path: str) -> None:
        if path not in self.ufc_paths:
            self.ufc_paths.append(path)

    def fighter(self, f: UfcFighter) -> None:
        if f.id not in self.fighters:
            self.fighters.append(f.id)
            self.persons.append(f.person)
        self.touch(f"/fighter-details/{f.id}")
        if f.listed and f.letter:
            self.touch(f"/statistics/fighters?char={f.letter}")


def _templates(world: World, wc: str) -> list[SeedBout]:
    cache: dict[str, list[SeedBout]] = vars(world.builder).setdefault("templates", {})
    if wc not in cache:
        data = world.builder.data
        rows = [b for b in data.bouts if b.weight_class == wc
                and data.events[b.event_id].date.year >= 2015]  # fmt: skip
        cache[wc] = rows or [b for b in data.bouts if data.events[b.event_id].date.year >= 2015]
    return cache[wc]


def _sort_bouts(world: World, f: UfcFighter) -> None:
    ev = world.seed_events
    f.bouts.sort(key=lambda b: (ev[b.event_id].date, ev[b.event_id].order, b.order, b.id),
                 reverse=True)  # fmt: skip


def _add_bout(ch: Change, ev: SeedEvent, red: UfcFighter, blue: UfcFighter, order: int,
              wc: str) -> SeedBout:  # fmt: skip
    world, rng = ch.world, ch.rng
    t = rng.choice(_templates(world, wc))
    b = SeedBout(
        id=new_hex_id(rng, world.builder.taken), event_id=ev.id, order=order, red_id=red.id,
        blue_id=blue.id, red_outcome=t.red_outcome, blue_outcome=t.blue_outcome,
        weight_class=wc, type_verbose=f"{wc} Bout", bonus=t.bonus, method=t.method,
        details=t.details, round=t.round, time_seconds=t.time_seconds,
        time_format=t.time_format,
    )  # fmt: skip
    world.bout_index[b.id] = b
    card = world.bouts_by_event.setdefault(ev.id, [])
    card.append(b)
    card.sort(key=lambda x: (-x.order, x.id))
    for f in (red, blue):
        f.bouts.append(b)
        _sort_bouts(world, f)
        ch.fighter(f)
    world.builder.book.add(
        red.person, blue.person, rng=rng, section="pro", event=world.events.by_ufcstats[ev.id],
        result_a=RESULTS[b.red_outcome], method=sherdog_method(b, rng), rnd=b.round,
        time=mmss(b.time_seconds), ufc=True, bout_id=b.id, seq=b.order,
    )  # fmt: skip
    ch.bouts.append(b)
    ch.touch(f"/fight-details/{b.id}")
    return b


def _sherdog_event(world: World, ev: SeedEvent, rng: random.Random) -> Event:
    event = Event(max(world.events.all) + rng.randint(1, 9), sherdog_event_name(ev.name), ev.date,
                  ev.id)  # fmt: skip
    world.events.all[event.sherdog_id] = event
    world.events.by_ufcstats[ev.id] = event
    return event


def _matchups(ch: Change, n: int, new: int, day: dt.date, exclude: set[str]
              ) -> list[tuple[UfcFighter, UfcFighter, str]]:  # fmt: skip
    """``n`` pairs of rested listed fighters, ``new`` of them against a new debutant."""
    world, rng = ch.world, ch.rng
    until = day - dt.timedelta(days=REST_DAYS)
    book = world.builder.book

    def pairs(count: int, since: dt.date) -> list[tuple[UfcFighter, UfcFighter, str]]:
        got = pair_fighters(world, rng, count * 3, since, exclude, until)
        got = [(a, b, wc) for a, b, wc in got if book.free(a.person, day)
               and book.free(b.person, day)]  # fmt: skip
        return got[:count]

    halves = (new + 1) // 2  # a debutant's opponent comes from half a pair
    need = n - new + halves
    out = pairs(need, day - _ACTIVE)
    if len(out) < need:  # small worlds: also fighters inactive for a while
        used = {f.id for a, b, _ in out for f in (a, b)}
        more = [(a, b, wc) for a, b, wc in pairs(need * 2, dt.date(1990, 1, 1))
                if a.id not in used and b.id not in used]  # fmt: skip
        out += more[: need - len(out)]
    if not out:
        raise ValueError("no free listed fighters for a new bout")
    singles = [f for a, b, _ in out[:halves] for f in (a, b)][:new]
    regular = out[halves:][: n - new]
    for opp in singles:
        wc = fighter_class(opp) or "Lightweight"
        debutant = new_fighter(ch, wc, opp.person.female, day)
        regular.append((opp, debutant, wc))
    return [(a, b, wc) if rng.random() < 0.5 else (b, a, wc) for a, b, wc in regular]


def _given_pairs(world: World, pairs: list[tuple[str, str]]
                 ) -> list[tuple[UfcFighter, UfcFighter, str]]:  # fmt: skip
    out, seen = [], set()
    for red_id, blue_id in pairs:
        if red_id not in world.fighters or blue_id not in world.fighters:
            raise ValueError(f"unknown UFCStats fighter id in {(red_id, blue_id)}")
        if red_id == blue_id or red_id in seen or blue_id in seen:
            raise ValueError(f"a fighter is booked twice in {(red_id, blue_id)}")
        seen.update((red_id, blue_id))
        red, blue = world.fighters[red_id], world.fighters[blue_id]
        out.append((red, blue, fighter_class(red) or fighter_class(blue) or "Lightweight"))
    return out


def _commit(ch: Change, ev: SeedEvent, event_page_changed: bool) -> MutationResult:
    world = ch.world
    register_persons(ch)
    up = world.upcoming
    if up is not None and ev.date >= up.date:
        up.date = next_saturday(ev.date)
        ch.touch("/statistics/events/completed")
        ch.touch(f"/event-details/{up.id}")
    if event_page_changed:
        ch.touch(f"/event-details/{ev.id}")
    stamp = dt.datetime.combine(ev.date + dt.timedelta(days=1), dt.time(6), tzinfo=dt.UTC)
    world.clock = max(world.clock + dt.timedelta(hours=1), stamp)
    persons = ch.persons + [p for p in ch.new_persons if p not in ch.persons]
    sherdog_paths = [f"/fighter/{p.sherdog_id}" for p in persons]
    for path in ch.ufc_paths:
        world.modified[("ufcstats", path)] = world.clock
    for path in sherdog_paths:
        world.modified[("sherdog", path)] = world.clock
    world.generation += 1
    return MutationResult(
        kind=ch.kind, event_id=ev.id, event_name=ev.name, event_date=ev.date,
        bout_ids=[b.id for b in ch.bouts], fighter_ids=list(ch.fighters),
        new_fighter_ids=list(ch.new_fighters), sherdog_ids=[p.sherdog_id for p in persons],
        new_sherdog_ids=[p.sherdog_id for p in ch.new_persons],
        ufcstats_paths=list(ch.ufc_paths), sherdog_paths=sherdog_paths,
        search_changed=bool(ch.new_persons), clock=world.clock,
    )  # fmt: skip


def _busy(world: World) -> set[str]:
    up = world.upcoming
    return {i for b in up.bouts for i in (b.red_id, b.blue_id)} if up is not None else set()


def add_event(world: World, *, bouts: int = 4, new_fighters: int = 0,
              pairs: list[tuple[str, str]] | None = None, name: str | None = None,
              stats: bool = True) -> MutationResult:  # fmt: skip
    """A new completed UFC event on the first Saturday after the latest one.

    ``bouts`` bouts between rested listed fighters, ``new_fighters`` of them against a new
    debutant (or exactly ``pairs`` of UFCStats ids, red first). Main event first.
    ``stats=False``: the fight pages have no statistics until :func:`publish_stats`.
    """
    if not 1 <= (len(pairs) if pairs else bouts) <= 20 or not 0 <= new_fighters <= bouts:
        raise ValueError("bouts must be 1..20 and new_fighters 0..bouts")
    with world.lock:
        ch = Change(world, "add_event")
        last = latest_completed(world)
        day = next_saturday(last.date)
        if pairs:
            card = _given_pairs(world, pairs)
        else:
            card = _matchups(ch, bouts, new_fighters, day, _busy(world))
        rng = ch.rng
        main = card[0]
        ev = SeedEvent(
            id=new_hex_id(rng, world.builder.taken),
            name=name or f"UFC Fight Night: {main[0].last or main[0].name} vs. "
                         f"{main[1].last or main[1].name}",
            date=day,
            location=rng.choice(locations(world.builder.data, last.date - _ACTIVE)
                                or ["Las Vegas, Nevada, USA"]),
            is_ufc=True, order=max(e.order for e in world.seed_events.values()) + 1,
        )  # fmt: skip
        world.seed_events[ev.id] = ev
        _sherdog_event(world, ev, rng)
        for i, (red, blue, wc) in enumerate(card):
            b = _add_bout(ch, ev, red, blue, len(card) - i, wc)
            if not stats:
                world.unpublished_stats.add(b.id)
        ch.touch("/statistics/events/completed")
        return _commit(ch, ev, True)


def add_late_fight(world: World, event_id: str, *, red_id: str | None = None,
                   blue_id: str | None = None, new_fighter: bool = False,
                   stats: bool = True) -> MutationResult:  # fmt: skip
    """One bout published late on the existing card ``event_id`` (the first prelim).

    Between ``red_id`` and ``blue_id`` when given, else between rested listed fighters
    (``new_fighter``: against a new debutant). ``stats=False``: its fight page has no
    statistics until :func:`publish_stats`.
    """
    with world.lock:
        if event_id not in world.bouts_by_event:
            raise ValueError(f"unknown completed event {event_id!r}")
        ch = Change(world, "add_late_fight")
        ev = world.seed_events[event_id]
        on_card = {i for b in world.bouts_by_event[event_id] for i in (b.red_id, b.blue_id)}
        if red_id or blue_id:
            card = _given_pairs(world, [(red_id or "", blue_id or "")])
            if {red_id, blue_id} & on_card:
                raise ValueError("a fighter is already on that card")
        else:
            card = _matchups(ch, 1, int(new_fighter), ev.date, on_card | _busy(world))
        red, blue, wc = card[0]
        order = min(b.order for b in world.bouts_by_event[event_id]) - 1
        b = _add_bout(ch, ev, red, blue, order, wc)
        if not stats:
            world.unpublished_stats.add(b.id)
        return _commit(ch, ev, True)


def publish_stats(world: World, event_id: str) -> MutationResult:
    """UFCStats publishes the statistics of the bouts of ``event_id`` that had none yet.

    Only those fight pages change (new body, new Last-Modified); the result lists their
    bouts (none when every bout of the event already had its statistics).
    """
    with world.lock:
        if event_id not in world.bouts_by_event:
            raise ValueError(f"unknown completed event {event_id!r}")
        ch = Change(world, "publish_stats")
        for b in world.bouts_by_event[event_id]:
            if b.id in world.unpublished_stats:
                world.unpublished_stats.discard(b.id)
                ch.bouts.append(b)
                ch.touch(f"/fight-details/{b.id}")
        return _commit(ch, world.seed_events[event_id], False)


def event_args(data: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments of :func:`add_event` from a JSON object."""
    unknown = set(data) - {"bouts", "new_fighters", "pairs", "name", "stats"}
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    out: dict[str, Any] = {k: int(data[k]) for k in ("bouts", "new_fighters") if k in data}
    if "stats" in data:
        out["stats"] = _flag(data["stats"], "stats")
    if data.get("pairs"):
        out["pairs"] = [(str(a), str(b)) for a, b in data["pairs"]]
    if data.get("name"):
        out["name"] = str(data["name"])
    return out


def late_fight_args(data: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments of :func:`add_late_fight` from a JSON object."""
    unknown = set(data) - {"event_id", "red_id", "blue_id", "new_fighter", "stats"}
    if unknown or "event_id" not in data:
        raise ValueError("expected event_id and optional red_id, blue_id, new_fighter, stats")
    out: dict[str, Any] = {"event_id": str(data["event_id"])}
    for k in ("red_id", "blue_id"):
        if data.get(k):
            out[k] = str(data[k])
    out["new_fighter"] = bool(data.get("new_fighter", False))
    if "stats" in data:
        out["stats"] = _flag(data["stats"], "stats")
    return out


def publish_args(data: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments of :func:`publish_stats` from a JSON object."""
    if set(data) != {"event_id"}:
        raise ValueError("expected exactly event_id")
    return {"event_id": str(data["event_id"])}


def _flag(value: Any, key: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false")
    return value


__all__ = ["MutationResult", "add_event", "add_late_fight", "publish_stats"]
