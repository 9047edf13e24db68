"""``Record.to_dict`` (built from the fields) against ``dataclasses.asdict``, on real pages.

``to_dict`` used to be ``dataclasses.asdict`` (which deep-copies every value) followed by
turning dates into ISO strings. It is now built from the fields directly; these tests hold
it to the old definition on every real page the parsers read in ``tests/fixtures/real``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

from ufc_pipeline.parsing import ParseError, parse_page
from ufc_pipeline.parsing.records import UFCStatsListRow, _jsonable

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"
KINDS = {
    ("ufcstats", "fighters"): "ufcstats-fighters",
    ("ufcstats", "fighter"): "ufcstats-fighter",
    ("ufcstats", "events"): "ufcstats-events",
    ("ufcstats", "event"): "ufcstats-event",
    ("ufcstats", "fight"): "ufcstats-fight",
    ("sherdog", "fighter"): "sherdog-fighter",
    ("sherdog", "search"): "sherdog-search",
}


def _reference(record: Any) -> Any:
    return _jsonable(dataclasses.asdict(record))


def _records() -> list[tuple[str, Any]]:
    out = []
    for (site, folder), kind in KINDS.items():
        for page in sorted((REAL / site / folder).glob("*.html")):
            try:
                parsed = parse_page(kind, page.read_bytes(), source=str(page))
            except ParseError:
                continue  # a page the corpus keeps because it must be refused
            for record in parsed if isinstance(parsed, list) else [parsed]:
                if dataclasses.is_dataclass(record):
                    out.append((f"{site}/{folder}/{page.name}", record))
    return out


def test_to_dict_is_asdict_with_iso_dates_on_every_real_page() -> None:
    records = _records()
    kinds = {type(r).__name__ for _, r in records}
    # every kind of record the real pages give was compared, nested ones included
    assert {"UFCStatsFighter", "SherdogFighter", "UFCStatsFight", "UFCStatsEvent"} <= kinds
    for name, record in records:
        expected = _reference(record)
        assert record.to_dict() == expected, name
        assert json.dumps(record.to_dict()) == json.dumps(expected), name  # key order too


def test_values_other_than_plain_ones_go_through_asdict() -> None:
    row = UFCStatsListRow("abc", "Jon", "Jones", None, 76.0, 205.0, 84.5, None, 27, 1, 0)
    assert row.to_dict()["first_name"] == "Jon"
    row.stance = ("odd", dt.date(2020, 1, 2))  # type: ignore[assignment]
    assert row.to_dict() == _reference(row)
    assert row.to_dict()["stance"] == ("odd", dt.date(2020, 1, 2))  # as asdict leaves it
