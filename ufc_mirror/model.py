"""Plain dataclasses of the mirror world (what the renderers read)."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ufc_mirror.seed import SeedBout, SeedEvent

if TYPE_CHECKING:
    from ufc_mirror.histories import Events

SECTIONS = ("pro", "pro_exhibition", "amateur")
SECTION_TITLES = {
    "pro": "FIGHT HISTORY - PRO",
    "pro_exhibition": "FIGHT HISTORY - PRO EXHIBITION",
    "amateur": "FIGHT HISTORY - AMATEUR",
}
_INDEX_LOCK = threading.Lock()
IMAGE_KINDS = (
    "ok",
    "placeholder_default",
    "placeholder_reencoded",
    "broken_html",
    "broken_truncated",
    "broken_404",
    "broken_bomb",
    "no_face",
    "two_faces",
)


@dataclass(slots=True)
class Event:
    """A Sherdog event (UFC events keep their real Sherdog id when known)."""

    sherdog_id: int
    name: str
    date: dt.date
    ufcstats_id: str | None = None


@dataclass(slots=True, eq=False)
class Fight:
    """One row of a fight-history table on a person's Sherdog page."""

    section: str
    date: dt.date
    result: str  # win | loss | draw | nc
    opponent: Person
    event: Event
    method: str
    referee: int  # referee id, 0 = none
    referee_style: str  # link | plain | empty
    round: int
    time: str
    award: bool = False
    pbp: bool = False
    bout_id: str | None = None
    seq: int = 0


@dataclass(slots=True, eq=False)
class Person:
    """A Sherdog fighter page (UFC fighter, decoy, namesake or regional filler)."""

    index: int
    name: str
    nickname: str | None
    dob: dt.date | None
    height_in: int | None
    weight_lbs: int | None
    region: str
    birthplace: str | None
    association: str | None
    role: str  # ufc | decoy | namesake | filler
    female: bool = False
    ufcstats_id: str | None = None
    sherdog_id: int = 0
    image: str = "ok"  # one of IMAGE_KINDS
    image_file: str | None = None
    career: tuple[dt.date, dt.date] | None = None
    fights: list[Fight] = field(default_factory=list)

    def section_fights(self, section: str) -> list[Fight]:
        """Rows of one table, newest first."""
        rows = [f for f in self.fights if f.section == section]
        rows.sort(key=lambda f: (f.date, f.seq), reverse=True)
        return rows

    def record(self) -> dict[str, int]:
        """PRO record: wins, losses, draws, nc."""
        out = {"win": 0, "loss": 0, "draw": 0, "nc": 0}
        for f in self.fights:
            if f.section == "pro":
                out[f.result] += 1
        return out


@dataclass(slots=True, eq=False)
class UfcFighter:
    """A UFCStats fighter (``/fighter-details/<id>``)."""

    id: str
    name: str
    first: str
    last: str
    nickname: str | None
    height_in: int | None
    weight_lbs: int | None
    reach_in: int | None
    stance: str | None
    dob: dt.date | None
    letter: str | None
    listed: bool
    person: Person
    in_crosswalk: bool
    variants: list[str] = field(default_factory=list)
    belt: bool = False
    bouts: list[SeedBout] = field(default_factory=list)  # newest first


@dataclass(slots=True)
class UpcomingBout:
    """A scheduled bout of the upcoming event (no result yet)."""

    id: str
    red_id: str
    blue_id: str
    weight_class: str
    title: bool = False


@dataclass(slots=True)
class UpcomingEvent:
    """The next event, first row of the events list (``next.png``, white link)."""

    id: str
    name: str
    date: dt.date
    location: str
    bouts: list[UpcomingBout] = field(default_factory=list)


@dataclass
class World:
    """Everything the two mirrored sites serve.

    ``unpublished_stats`` holds the ids of completed bouts whose fight page has no
    statistics yet (UFCStats publishes them hours or days after the event); see
    :func:`ufc_mirror.mutate.publish_stats`.

    Mutations (``add_event``/``add_late_fight``/``publish_stats``, see
    :mod:`ufc_mirror.mutate`) run under ``lock``, bump ``generation`` (servers drop their
    render caches when it changes) and record ``modified[(site, resource)] = clock`` for
    every page they change.
    """

    seed: int
    as_of: dt.date
    fighters: dict[str, UfcFighter]
    persons: dict[int, Person]
    events: Events
    seed_events: dict[str, SeedEvent]
    referees: dict[int, str]
    trending: list[Person]
    image_files: dict[str, Person]
    decoys_of: dict[str, list[Person]]
    by_letter: dict[str, list[UfcFighter]] = field(default_factory=dict)
    bouts_by_event: dict[str, list[SeedBout]] = field(default_factory=dict)
    bout_index: dict[str, SeedBout] = field(default_factory=dict)
    upcoming: UpcomingEvent | None = None
    bad: dict[str, Any] = field(default_factory=dict)
    clock: dt.datetime = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    generation: int = 0
    modified: dict[tuple[str, str], dt.datetime] = field(default_factory=dict)
    unpublished_stats: set[str] = field(default_factory=set)
    lock: Any = field(default_factory=threading.RLock, repr=False)
    builder: Any = field(default=None, repr=False)
    _search: Any = None

    @property
    def listed(self) -> list[UfcFighter]:
        """UFC fighters on the fighters list (the sample in small mode), sorted by id."""
        return [f for _, f in sorted(self.fighters.items()) if f.listed]

    def search_index(self) -> Any:
        """The Fight Finder index (built once, on first use; thread-safe)."""
        with _INDEX_LOCK:
            if self._search is None:
                from ufc_mirror.search import SearchIndex

                self._search = SearchIndex(self.persons.values())
        return self._search

    def truth(self) -> list[dict[str, Any]]:
        """Per listed UFC fighter: the right Sherdog person and the traps applied, the
        UFC.com slug, the Wikidata item and the true origins (place of birth, gym)."""
        from ufc_mirror.places import birth_place
        from ufc_mirror.ufccom_world import ufccom_truth
        from ufc_mirror.wiki_world import wiki_truth

        ufccom, wiki = ufccom_truth(self), wiki_truth(self)
        out = []
        for f in self.listed:
            place = birth_place(f.person)
            uc, wk = ufccom.get(f.id) or {}, wiki.get(f.id) or {}
            out.append(
                {
                    "ufcstats_id": f.id,
                    "ufcstats_name": f.name,
                    "sherdog_id": f.person.sherdog_id,
                    "sherdog_name": f.person.name,
                    "in_crosswalk": f.in_crosswalk,
                    "variants": list(f.variants),
                    "image": f.person.image,
                    "ufccom_slug": uc.get("slug"),
                    "ufccom_reachable": bool(uc.get("routes")),
                    "wikidata_qid": wk.get("qid"),
                    "birth_city": place.city,
                    "birth_country_code": place.country.iso2,
                    "gym": f.person.association,
                }
            )
        return out

    def add_event(self, **kwargs: Any) -> Any:
        """Add a completed event; see :func:`ufc_mirror.mutate.add_event`."""
        from ufc_mirror.mutate import add_event

        return add_event(self, **kwargs)

    def add_late_fight(self, event_id: str, **kwargs: Any) -> Any:
        """Add a bout to an existing card; see :func:`ufc_mirror.mutate.add_late_fight`."""
        from ufc_mirror.mutate import add_late_fight

        return add_late_fight(self, event_id, **kwargs)

    def publish_stats(self, event_id: str) -> Any:
        """Publish the statistics of an event's bouts; see
        :func:`ufc_mirror.mutate.publish_stats`."""
        from ufc_mirror.mutate import publish_stats

        return publish_stats(self, event_id)
