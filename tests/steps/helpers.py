"""Shared pieces of the step tests: the tiny world and its truth, settings, request deltas.

Mirror objects (``World``, ``Person``, ``UfcFighter``) reference each other through fight
histories, so their dataclass ``repr`` is enormous: a failing assertion or a traceback that
shows one would take minutes to render. Tests therefore never take a ``World`` as an
argument; they get a :class:`Truth`, which answers in plain values and has a short repr.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ufc_mirror.envs import source_env
from ufc_mirror.events import completed_events
from ufc_mirror.model import World
from ufc_mirror.server import MirrorHandle
from ufc_mirror.world import build_world
from ufc_pipeline.matching.overrides import FIELDS as OVERRIDE_FIELDS
from ufc_pipeline.settings import settings_from_env
from ufc_pipeline.steps.settings import Settings

SEED = 5
FIGHTERS = 16
LETTERS = ("k", "m")

# Image faults planted on the first listed fighters of letter "m" (by UFCStats id), and
# the reason the images step must give for each.
PLANTED_IMAGES = ("broken_404", "placeholder_reencoded", "broken_html")
IMAGE_REASON = {
    "broken_404": "image_not_found",
    "placeholder_reencoded": "placeholder",
    "broken_html": "not_an_image",
}

BoutIdentity = tuple[frozenset[int], int, str, str]


def tiny_world() -> World:
    """The step tests' world (a fresh object each call: mutations stay local)."""
    world = build_world(SEED, fighters=FIGHTERS, letters="".join(LETTERS))
    planted = sorted(world.by_letter["m"], key=lambda f: f.id)[: len(PLANTED_IMAGES)]
    for fighter, kind in zip(planted, PLANTED_IMAGES, strict=True):
        fighter.person.image = kind
    return world


class Truth:
    """What the served world holds, in plain values (read at call time)."""

    def __init__(self, world: World) -> None:
        self.world = world

    def __repr__(self) -> str:
        return f"Truth(seed={self.world.seed}, listed={len(self.world.listed)})"

    @property
    def as_of(self) -> dt.date:
        return self.world.as_of

    def listed_ids(self, letter: str) -> list[str]:
        """UFCStats ids of a letter's list page, in list order."""
        return [f.id for f in self.world.by_letter.get(letter, [])]

    def all_listed_ids(self, letters: Iterable[str] = LETTERS) -> set[str]:
        return {fid for x in letters for fid in self.listed_ids(x)}

    def list_facts(self, letter: str) -> dict[str, tuple[Any, ...]]:
        """id -> (first, last, nickname, height, weight, reach, stance), in list order."""
        return {
            f.id: (f.first, f.last, f.nickname, f.height_in, f.weight_lbs, f.reach_in, f.stance)
            for f in self.world.by_letter.get(letter, [])
        }

    def name(self, ufcstats_id: str) -> str:
        return self.world.fighters[ufcstats_id].name

    def dob(self, ufcstats_id: str) -> str | None:
        dob = self.world.fighters[ufcstats_id].dob
        return dob.isoformat() if dob else None

    def ufc_bout_count(self, ufcstats_id: str) -> int:
        return len(self.world.fighters[ufcstats_id].bouts)

    def sherdog_id(self, ufcstats_id: str) -> int:
        """The Sherdog id of the right person for a UFCStats fighter."""
        return self.world.fighters[ufcstats_id].person.sherdog_id

    def image_kind(self, sherdog_id: int) -> str:
        return self.world.persons[int(sherdog_id)].image

    def sherdog_name(self, sherdog_id: int) -> str:
        return self.world.persons[int(sherdog_id)].name

    def fight_rows(self, sherdog_id: int) -> int:
        """Rows of the fight-history tables on a person's Sherdog page."""
        return len(self.world.persons[int(sherdog_id)].fights)

    def bouts(self, sherdog_ids: Iterable[int]) -> set[BoutIdentity]:
        """Distinct bouts on these persons' pages: (pair, event, date, table)."""
        out: set[BoutIdentity] = set()
        for sid in sherdog_ids:
            p = self.world.persons[int(sid)]
            for f in p.fights:
                pair = frozenset({p.sherdog_id, f.opponent.sherdog_id})
                out.add((pair, f.event.sherdog_id, f.date.isoformat(), f.section))
        return out

    def completed_events(self) -> list[tuple[str, str]]:
        """(event id, ISO date) of the completed events list, newest first."""
        return [(e.id, e.date.isoformat()) for e in completed_events(self.world)]

    def has_upcoming(self) -> bool:
        return self.world.upcoming is not None

    def event_bouts(self, event_id: str) -> list[str]:
        return [b.id for b in self.world.bouts_by_event.get(event_id, [])]

    def event_fighters(self, event_id: str) -> set[str]:
        return {
            i for b in self.world.bouts_by_event.get(event_id, []) for i in (b.red_id, b.blue_id)
        }

    def events_of(self, ufcstats_id: str) -> list[str]:
        """Events of a fighter's UFC bouts, newest first."""
        return [b.event_id for b in self.world.fighters[ufcstats_id].bouts]


def settings_for(handle: MirrorHandle, data_dir: Path, **env: str) -> Settings:
    """Per-run settings pointing at the mirror: no politeness delays, no backoff."""
    base = {
        **source_env(handle),
        "UFCSTATS_RATE": "0",
        "SHERDOG_RATE": "0",
        "UFC_HTTP_BACKOFF_BASE": "0",
        "UFC_HTTP_BACKOFF_MAX": "0",
        "UFC_DATA_DIR": str(data_dir),
        "UFC_TODAY": handle.world.as_of.isoformat(),
    }
    base.update(env)
    return settings_from_env(base)


def with_changes(settings: Settings, **changes: Any) -> Settings:
    """A copy of ``settings`` with some fields replaced (e.g. ``max_error_fraction``)."""
    return dataclasses.replace(settings, **changes)


def requests_since(handle: MirrorHandle, before: Mapping[str, Any]) -> dict[str, int]:
    """Requests the mirror answered since ``before`` (a ``handle.stats()``), by kind;
    robots.txt (read by each new client) aside. ``not_modified`` counts the 304 answers."""
    out = {}
    for kind, value in handle.stats().items():
        if kind in ("faults", "robots") or not isinstance(value, int):
            continue
        diff = value - int(before.get(kind, 0))
        if diff:
            out[kind] = diff
    return out


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf8"))


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf8")


def write_overrides(path: Path, rows: Iterable[tuple[str, int | None, str]]) -> None:
    """Write ``data/manual/sherdog_overrides.csv``: (ufcstats_id, sherdog_id, decision)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf8") as fh:
        w = csv.DictWriter(fh, fieldnames=OVERRIDE_FIELDS, lineterminator="\n")
        w.writeheader()
        for ufc_id, sid, decision in rows:
            w.writerow(
                {
                    "ufcstats_id": ufc_id,
                    "sherdog_id": "" if sid is None else sid,
                    "decision": decision,
                    "note": "decided in a test",
                    "decided_at": "2025-01-01T00:00:00+00:00",
                }
            )


def copy_data_dir(source: Path, target: Path) -> Path:
    """Copy a data directory; absolute paths recorded inside it are moved along."""
    shutil.copytree(source, target)
    for path in (target / "processed" / "fighter_images").glob("*.json"):
        text = path.read_text(encoding="utf8")
        path.write_text(text.replace(str(source), str(target)), encoding="utf8")
    return target


def processed_snapshot(settings: Settings, assets: Iterable[str]) -> dict[str, bytes]:
    """The bytes of every processed file of ``assets`` (relative path -> content)."""
    root = settings.processed.root
    return {
        str(p.relative_to(root)): p.read_bytes()
        for asset in assets
        for p in sorted((root / asset).glob("*.json"))
    }


def table_rows(settings: Settings, table: sa.Table) -> list[dict[str, Any]]:
    """Every row of a warehouse table, as dicts."""
    engine = sa.create_engine(settings.warehouse_url)
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.select(table))]
    finally:
        engine.dispose()


def checks_by_name(result: Any) -> dict[str, Any]:
    return {c.name: c for c in result.checks()}


def verified_rows(settings: Settings, letters: Iterable[str] = LETTERS) -> list[dict[str, Any]]:
    """Rows of verified_matches with a verified status, over ``letters``."""
    return [
        r
        for x in letters
        for r in settings.processed.require("verified_matches", x)["rows"]
        if r["status"] in ("auto_verified", "override")
    ]


def count_calls(monkeypatch: Any, owner: Any, name: str) -> list[int]:
    """Wrap ``owner.name`` (the real one still runs) and return the list each call appends
    to: a test asserts how often a step did that piece of work."""
    calls: list[int] = []
    real = getattr(owner, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls
