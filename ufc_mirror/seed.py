"""Load the real seed data (``data/seed/``) into small frozen dataclasses.

The files come from ehan03/yale-senior-thesis (MIT, see ``data/README.md``). Only the
standard library is used so that loading the full seed takes a fraction of a second.
The loaded :class:`SeedData` is cached per directory.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gzip
import io
import os
from dataclasses import dataclass
from pathlib import Path

SEED_DIR_ENV = "UFC_MIRROR_SEED_DIR"


def default_seed_dir() -> Path:
    """``data/seed`` of the repository (override with ``$UFC_MIRROR_SEED_DIR``)."""
    override = os.environ.get(SEED_DIR_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[1] / "data" / "seed"


@dataclass(frozen=True, slots=True)
class SeedFighter:
    """One row of ``fighters.csv`` (UFCStats fighter)."""

    id: str
    name: str
    nickname: str | None
    height_in: int | None
    reach_in: int | None
    stance: str | None
    dob: dt.date | None


@dataclass(frozen=True, slots=True)
class SeedEvent:
    """One row of ``events.csv`` (UFCStats event; ``is_ufc`` False for PRIDE, WEC...)."""

    id: str
    name: str
    date: dt.date
    location: str
    is_ufc: bool
    order: int


@dataclass(frozen=True, slots=True)
class SeedBout:
    """One row of ``bouts.csv``: outcomes are ``W``/``L``/``D``/``NC``."""

    id: str
    event_id: str
    order: int
    red_id: str
    blue_id: str
    red_outcome: str
    blue_outcome: str
    weight_class: str | None
    type_verbose: str
    bonus: int
    method: str
    details: str | None
    round: int
    time_seconds: int
    time_format: str


@dataclass(frozen=True, slots=True)
class SeedData:
    """Everything in ``data/seed``: fighters, events, bouts and the two crosswalks."""

    fighters: tuple[SeedFighter, ...]
    events: dict[str, SeedEvent]
    bouts: tuple[SeedBout, ...]
    fighter_crosswalk: dict[str, int]
    event_crosswalk: dict[str, int]


def _open_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists() and path.with_suffix(path.suffix + ".gz").exists():
        path = path.with_suffix(path.suffix + ".gz")
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))


def _opt(value: str) -> str | None:
    value = value.strip()
    return value or None


def _opt_int(value: str) -> int | None:
    value = value.strip()
    return int(float(value)) if value else None


def _opt_date(value: str) -> dt.date | None:
    value = value.strip()
    return dt.date.fromisoformat(value) if value else None


@functools.lru_cache(maxsize=4)
def load_seed(seed_dir: str | None = None) -> SeedData:
    """Read the seed CSVs (plain or ``.gz``) from ``seed_dir`` (default: ``data/seed``)."""
    base = Path(seed_dir) if seed_dir else default_seed_dir()
    fighters = tuple(
        sorted(
            (
                SeedFighter(
                    id=r["id"],
                    name=" ".join(r["name"].split()),
                    nickname=_opt(r["nickname"]),
                    height_in=_opt_int(r["height_inches"]),
                    reach_in=_opt_int(r["reach_inches"]),
                    stance=_opt(r["stance"]),
                    dob=_opt_date(r["date_of_birth"]),
                )
                for r in _open_csv(base / "fighters.csv")
            ),
            key=lambda f: f.id,
        )
    )
    events = {
        r["id"]: SeedEvent(
            id=r["id"],
            name=r["name"].strip(),
            date=dt.date.fromisoformat(r["date"]),
            location=r["location"].strip(),
            is_ufc=r["is_ufc_event"].strip() == "1",
            order=int(r["event_order"] or 0),
        )
        for r in _open_csv(base / "events.csv")
    }
    bouts = tuple(
        sorted(
            (
                SeedBout(
                    id=r["id"],
                    event_id=r["event_id"],
                    order=int(r["bout_order"]),
                    red_id=r["red_fighter_id"],
                    blue_id=r["blue_fighter_id"],
                    red_outcome=r["red_outcome"].strip(),
                    blue_outcome=r["blue_outcome"].strip(),
                    weight_class=_opt(r["weight_class"]),
                    type_verbose=r["type_verbose"].strip(),
                    bonus=int(r["performance_bonus"] or 0),
                    method=r["outcome_method"].strip(),
                    details=_opt(r["outcome_method_details"]),
                    round=int(r["end_round"]),
                    time_seconds=int(r["end_round_time_seconds"]),
                    time_format=r["round_time_format"].strip(),
                )
                for r in _open_csv(base / "bouts.csv")
            ),
            key=lambda b: (events[b.event_id].date, events[b.event_id].order, b.order, b.id),
        )
    )
    fighter_cw = {
        r["ufcstats_id"]: int(r["sherdog_id"])
        for r in _open_csv(base / "fighter_mapping.csv")
        if r["sherdog_id"].strip()
    }
    event_cw = {
        r["ufcstats_id"]: int(float(r["sherdog_id"]))
        for r in _open_csv(base / "event_mapping.csv")
        if r["sherdog_id"].strip()
    }
    return SeedData(fighters, events, bouts, fighter_cw, event_cw)
