"""Loading the fighters' birthplaces, nationalities and gyms into ``fighter_locations``.

Input: the rows of the ``fighter_locations`` step, ``{"ufcstats_id", "birth_city",
"birth_region", "birth_country", "birth_country_code", "nationality", "nationality_code",
"gym", "values": [{"field", "source", "value", "code"}], "conflicts": [fields]}``.

Stored per fighter and field: one row per value a source gave (several values of one
source are several rows: two citizenships), and, when the pipeline resolved the field, one
row with source ``resolved`` holding that value, so ``WHERE source = 'resolved'`` reads
one value per field. ``chosen`` is true on the resolved row and on the source rows that
agree with it by the resolver's own test (:func:`ufc_pipeline.locations.resolve.choose`:
the same ISO code when either has one, gym names alike, else the same text ignoring case,
accents and spacing); ``conflict`` is true on every row of a field listed in
``conflicts``. A blank value is no value (the resolver drops those too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Engine

from ufc_pipeline.locations.resolve import Value, same
from ufc_pipeline.warehouse.engine import write_transaction
from ufc_pipeline.warehouse.load import replace_owned_rows
from ufc_pipeline.warehouse.schema import LOCATION_FIELDS, LOCATION_SOURCES, fighter_locations

RESOLVED = "resolved"
_SOURCES = tuple(s for s in LOCATION_SOURCES if s != RESOLVED)


def _text(value: Any) -> str | None:
    """Stripped text, or None for a missing or blank value."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {value!r}")
    return value.strip() or None


def _agrees(field: str, source: Value, resolved: tuple[str, str | None]) -> bool:
    """Whether the resolver counts ``source`` as the resolved value (no conflict between
    the two), so ``chosen`` marks exactly the group of values it chose."""
    # choose() puts two values in one group (no conflict) exactly when same() holds
    return same(field, Value(field, RESOLVED, *resolved), source)


def location_rows(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``fighter_locations`` rows (without ``loaded_at``) of one step row."""
    fid = row["ufcstats_id"]
    conflicts = set(row.get("conflicts") or [])
    unknown = conflicts - set(LOCATION_FIELDS)
    if unknown:
        raise ValueError(f"fighter_locations row of {fid}: unknown conflict fields {unknown}")
    resolved: dict[str, tuple[str, str | None]] = {}
    for field in LOCATION_FIELDS:
        try:
            value, code = _text(row.get(field)), _text(row.get(f"{field}_code"))
        except TypeError as exc:
            raise ValueError(f"fighter_locations row of {fid}, {field}: {exc}") from None
        if value is not None:
            resolved[field] = (value, code)
    out: dict[tuple[str, str, str], dict[str, Any]] = {}

    def add(field: str, source: str, value: str, code: str | None, chosen: bool) -> None:
        key = (field, source, value)
        if key in out:  # the same value twice from one source: one row, first code kept
            out[key]["code"] = out[key]["code"] or code
            return
        out[key] = {
            "ufcstats_id": fid,
            "field": field,
            "source": source,
            "value": value,
            "code": code,
            "chosen": chosen,
            "conflict": field in conflicts,
        }

    for index, item in enumerate(row.get("values") or []):
        field, source = item.get("field"), item.get("source")
        where = f"fighter_locations row of {fid}, value {index}"
        if field not in LOCATION_FIELDS:
            raise ValueError(f"{where}: unknown field {field!r}")
        if source not in _SOURCES:
            raise ValueError(f"{where}: unknown source {source!r} (known: {', '.join(_SOURCES)})")
        try:
            value, code = _text(item.get("value")), _text(item.get("code"))
        except TypeError as exc:
            raise ValueError(f"{where}: {exc}") from None
        if value is None:  # the source says nothing about this field
            continue
        chosen = field in resolved and _agrees(
            field, Value(field, source, value, code), resolved[field]
        )
        add(field, source, value, code, chosen)
    for field, (value, code) in resolved.items():
        add(field, RESOLVED, value, code, True)
    return list(out.values())


def replace_fighter_locations(
    engine: Engine,
    rows: Iterable[Mapping[str, Any]],
    *,
    loaded_at: dt.datetime | None = None,
) -> int:
    """Make the ``fighter_locations`` rows of the fighters in ``rows`` exactly what their
    rows say now (see the module docstring), in one transaction; other fighters' rows are
    not touched. Values gone since the last load are deleted; unchanged rows keep their
    ``loaded_at``, new or changed ones get ``loaded_at`` (default now). Returns the number
    of rows deleted, inserted or updated (0 on a re-run with the same rows). A row that
    breaks the contract raises ``ValueError`` naming the fighter, and nothing is written.
    """
    wanted: dict[str, list[dict[str, Any]]] = {}
    for index, row in enumerate(rows):
        fid = row.get("ufcstats_id")
        if not isinstance(fid, str) or not fid:
            raise ValueError(f"fighter_locations row {index} has no ufcstats_id")
        if fid in wanted:
            raise ValueError(f"fighter_locations has two rows for fighter {fid}")
        wanted[fid] = location_rows(row)
    now = loaded_at or dt.datetime.now(dt.UTC)
    now = now.astimezone(dt.UTC) if now.tzinfo else now.replace(tzinfo=dt.UTC)
    with write_transaction(engine) as conn:
        return replace_owned_rows(
            conn, fighter_locations, "ufcstats_id", wanted, stamp="loaded_at", now=now
        )
