"""Plain dataclasses of the mirror world (what the renderers read)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ufc_pipeline.mirror.seed import SeedBout

SECTIONS = ("pro", "pro_exhibition", "amateur")
SECTION_TITLES = {
    "pro": "FIGHT HISTORY - PRO",
    "pro_exhibition": "FIGHT HISTORY - PRO EXHIBITION",
    "amateur": "FIGHT HISTORY - AMATEUR",
}
IMAGE_KINDS = (
    "ok",
    "placeholder_default",
    "placeholder_reencoded",
    "broken_html",
    "broken_truncated",
    "broken_404",
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
