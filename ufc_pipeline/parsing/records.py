"""Typed records parsed from the two sites' pages.

These dataclasses are the contract between parsing, matching, the warehouse and the
mirror. Every field that a page may omit is optional; dates are ``datetime.date``; lengths
are inches and weights pounds. ``to_dict`` gives a JSON-ready dict (dates as ISO strings).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

FightResult = Literal["win", "loss", "draw", "nc", "next", "unknown"]
FightSection = Literal["pro", "pro_exhibition", "amateur", "other"]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


class _Unusual(Exception):
    """A value :func:`_plain` leaves to ``dataclasses.asdict`` (a tuple, a set...)."""


_SCALARS = (str, int, float, type(None))


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _plain(value: Any) -> Any:
    """What ``_jsonable(dataclasses.asdict(...))`` makes of ``value``, built directly from
    the fields: ``asdict`` deep-copies every value first, which cost a third of a UFCStats
    fighter page's parse and, for the list, more than parsing its rows."""
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    raise _Unusual


class Record:
    """Mixin: JSON-ready dict and construction from such a dict."""

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready values: dates as ISO strings, nested records as dicts.
        Built from the fields directly; a record holding a value other than scalars, dates,
        lists, dicts and records (a tuple, a set) goes through ``dataclasses.asdict``."""
        try:
            out: dict[str, Any] = _plain(self)
        except _Unusual:
            return _jsonable(dataclasses.asdict(self))  # type: ignore[call-overload]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Any:
        kwargs: dict[str, Any] = {}
        hints = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        for name, f in hints.items():
            if name not in data:
                continue
            value = data[name]
            type_text = str(f.type)
            if value is not None and "date" in type_text and "datetime" not in type_text:
                if isinstance(value, str):
                    value = dt.date.fromisoformat(value)
            kwargs[name] = value
        return cls(**kwargs)


@dataclass
class UFCStatsListRow(Record):
    """One row of ``/statistics/fighters?char=X&page=all`` (11 columns)."""

    ufcstats_id: str
    first_name: str | None
    last_name: str | None
    nickname: str | None
    height_in: float | None
    weight_lbs: float | None
    reach_in: float | None
    stance: str | None
    wins: int | None
    losses: int | None
    draws: int | None
    belt: bool = False

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)


@dataclass
class UFCStatsFightRow(Record):
    """One bout in the fight history table of ``/fighter-details/<id>``."""

    result: FightResult
    opponent_name: str | None
    opponent_id: str | None
    event_name: str | None
    event_id: str | None
    fight_id: str | None
    date: dt.date | None = None
    method: str | None = None
    method_detail: str | None = None
    round: int | None = None
    time: str | None = None
    weight_class: str | None = None


@dataclass
class UFCStatsFighter(Record):
    """``/fighter-details/<id>``: header, tale of the tape and fight history."""

    ufcstats_id: str | None
    name: str
    nickname: str | None
    wins: int | None
    losses: int | None
    draws: int | None
    no_contests: int = 0
    height_in: float | None = None
    weight_lbs: float | None = None
    reach_in: float | None = None
    stance: str | None = None
    dob: dt.date | None = None
    fights: list[UFCStatsFightRow] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UFCStatsFighter:
        obj = super().from_dict({k: v for k, v in data.items() if k != "fights"})
        obj.fights = [UFCStatsFightRow.from_dict(f) for f in data.get("fights", [])]
        return obj


@dataclass
class SherdogSearchResult(Record):
    """One result row of the Fight Finder (``table.fightfinder_result``)."""

    sherdog_id: int
    name: str
    nickname: str | None
    height_in: float | None
    weight_lbs: float | None
    association: str | None
    path: str  # "/fighter/First-Last-123" as linked (the slug is cosmetic)
    thumbnail_path: str | None = None


@dataclass
class SherdogFight(Record):
    """One row of a fight-history table on a Sherdog fighter page."""

    section: FightSection
    result: FightResult
    opponent_name: str | None
    opponent_id: int | None
    event_name: str | None
    event_id: int | None
    date: dt.date | None
    method: str | None  # e.g. "KO (Punches)" as shown
    referee: str | None
    round: int | None
    time: str | None


@dataclass
class SherdogFighter(Record):
    """``/fighter/<Slug>-<id>``: fighter info block and every fight-history table."""

    sherdog_id: int | None
    name: str
    nickname: str | None
    image_path: str | None  # as in the page (relative on the real site)
    birth_date: dt.date | None
    nationality: str | None
    birthplace: str | None
    height_in: float | None
    weight_lbs: float | None
    association: str | None
    weight_class: str | None
    wins: int | None
    losses: int | None
    draws: int | None
    no_contests: int | None
    fights: list[SherdogFight] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SherdogFighter:
        obj = super().from_dict({k: v for k, v in data.items() if k != "fights"})
        obj.fights = [SherdogFight.from_dict(f) for f in data.get("fights", [])]
        return obj
