"""Reconcile what UFC.com, Sherdog and Wikidata say of a fighter's origins.

Every value is kept with its source (``Value``); per field, the value most sources agree on
is chosen (ties broken by the field's source priority) and a field whose sources disagree
is flagged as a conflict, never silently overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, utils

from ufc_pipeline.locations.normalize import _key

FIELDS = ("birth_city", "birth_region", "birth_country", "nationality", "gym")
#: Which source wins a tie, per field: the one that states that fact most directly.
PRIORITY: dict[str, tuple[str, ...]] = {
    "birth_city": ("ufccom", "wikidata", "sherdog"),
    "birth_region": ("sherdog", "wikidata", "ufccom"),
    "birth_country": ("wikidata", "ufccom", "sherdog"),
    "nationality": ("sherdog", "wikidata", "ufccom"),
    "gym": ("ufccom", "sherdog", "wikidata"),
}
#: Two gym names are the same gym at or above this rapidfuzz token-set ratio
#: ("Teixeira MMA & Fitness-Bethel, CT" and "Teixeira MMA & Fitness").
GYM_SAME = 85.0


@dataclass(frozen=True)
class Value:
    """One source's value of one field (``code``: ISO alpha-2 for country fields)."""

    field: str
    source: str
    value: str
    code: str | None = None

    def to_dict(self) -> dict[str, Any]:
        # what dataclasses.asdict gives, without its deep copy (every member is a str)
        return {"field": self.field, "source": self.source, "value": self.value, "code": self.code}


def same(field: str, a: Value, b: Value) -> bool:
    """Whether two values of ``field`` are the same fact (what :func:`choose` groups)."""
    return _same(field, a, b)


def _same(field: str, a: Value, b: Value) -> bool:
    if a.code or b.code:
        return a.code == b.code
    if field == "gym":
        return fuzz.token_set_ratio(a.value, b.value, processor=utils.default_process) >= GYM_SAME
    return _key(a.value) == _key(b.value)


def choose(
    field: str, values: Sequence[Value], consistent: Iterable[str] = ()
) -> tuple[Value | None, bool]:
    """The chosen value of one field and whether its sources disagree.

    Most sources win; among groups as large, one holding a value of a ``consistent`` source
    (one whose other facts agree with what was already chosen), then the field's priority.
    """
    consistent = set(consistent)
    if not values:
        return None, False
    groups: list[list[Value]] = []
    for v in values:
        for g in groups:
            if _same(field, g[0], v):
                g.append(v)
                break
        else:
            groups.append([v])
    order = PRIORITY[field]

    def rank(v: Value) -> int:
        return order.index(v.source) if v.source in order else len(order)

    best = max(
        groups,
        key=lambda g: (
            len(g),
            any(v.source in consistent or (v.code and v.code in consistent) for v in g),
            -min(rank(v) for v in g),
        ),
    )
    return min(best, key=rank), len(groups) > 1


@dataclass
class Resolved:
    """A fighter's reconciled origins, with every source's value."""

    ufcstats_id: str
    values: list[Value]
    chosen: dict[str, Value | None]
    conflicts: list[str]

    def row(self) -> dict[str, Any]:
        def val(f: str) -> str | None:
            v = self.chosen.get(f)
            return v.value if v else None

        def code(f: str) -> str | None:
            v = self.chosen.get(f)
            return v.code if v else None

        return {
            "ufcstats_id": self.ufcstats_id,
            "birth_city": val("birth_city"),
            "birth_region": val("birth_region"),
            "birth_country": val("birth_country"),
            "birth_country_code": code("birth_country"),
            "nationality": val("nationality"),
            "nationality_code": code("nationality"),
            "gym": val("gym"),
            "values": [v.to_dict() for v in self.values],
            "chosen": {f: v.source for f, v in self.chosen.items() if v is not None},
            "conflicts": self.conflicts,
        }


def resolve(ufcstats_id: str, values: Iterable[Value]) -> Resolved:
    """Choose each field's value; flag the fields whose sources disagree."""
    vals = [v for v in values if v.value]
    chosen: dict[str, Value | None] = {}
    conflicts: list[str] = []
    # Nationality first; a tie on the country of birth goes to the nationality's country,
    # a tie on the city to the source that gave the chosen country (a city and a country
    # from one source that contradicts the others are one mistake, not two facts).
    for f in ("nationality", "birth_country", "birth_city", "birth_region", "gym"):
        consistent: set[str] = set()
        if f == "birth_country" and chosen.get("nationality"):
            consistent = {str(chosen["nationality"].code)}
        elif f in ("birth_city", "birth_region") and chosen.get("birth_country"):
            code = chosen["birth_country"].code
            consistent = {v.source for v in vals if v.field == "birth_country" and v.code == code}
        pick, conflict = choose(f, [v for v in vals if v.field == f], consistent)
        chosen[f] = pick
        if conflict:
            conflicts.append(f)
    conflicts.sort(key=FIELDS.index)
    return Resolved(ufcstats_id, vals, {f: chosen[f] for f in FIELDS}, conflicts)
