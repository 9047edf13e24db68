"""Value parsers: heights, weights, reaches, dates, records, whitespace."""

from __future__ import annotations

import csv
import datetime as dt
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ufc_pipeline.parsing.units import (
    clean_text,
    normalize_ws,
    parse_date,
    parse_height,
    parse_int,
    parse_reach,
    parse_record,
    parse_weight,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(
    ("raw", "inches"),
    [
        ("5' 11\"", 71.0),
        ("5'11\"", 71.0),
        ("6'5\"", 77.0),
        ("6' 0\"", 72.0),
        ("  5' 7\"\n  ", 67.0),
        ("5\u2019 9\u201d", 69.0),
    ],
)
def test_height_to_inches(raw: str, inches: float) -> None:
    assert parse_height(raw) == inches


@pytest.mark.parametrize("raw", ["--", "N/A", "", "   ", None, "---"])
def test_missing_markers_are_none(raw: str | None) -> None:
    assert parse_height(raw) is None
    assert parse_weight(raw) is None
    assert parse_reach(raw) is None
    assert parse_date(raw) is None
    assert parse_int(raw) is None
    assert clean_text(raw) is None


@pytest.mark.parametrize(
    ("raw", "lbs"), [("155 lbs.", 155.0), ("155 lbs", 155.0), ("255 lbs", 255.0), ("170", 170.0)]
)
def test_weight_to_pounds(raw: str, lbs: float) -> None:
    assert parse_weight(raw) == lbs


@pytest.mark.parametrize(("raw", "inches"), [('72.0"', 72.0), ('69"', 69.0), ('84.5"', 84.5)])
def test_reach_to_inches(raw: str, inches: float) -> None:
    assert parse_reach(raw) == inches


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Dec 13, 1996", dt.date(1996, 12, 13)),
        ("Jul 13, 1978", dt.date(1978, 7, 13)),
        ("Jul 03, 1983", dt.date(1983, 7, 3)),
        ("Apr 11, 1993", dt.date(1993, 4, 11)),
        ("Oct / 25 / 2025", dt.date(2025, 10, 25)),
        ("May / 23 / 2010", dt.date(2010, 5, 23)),
        ("Aug. 15, 2026", dt.date(2026, 8, 15)),
        ("Aug 15, 2026", dt.date(2026, 8, 15)),
        ("May. 11, 2024", dt.date(2024, 5, 11)),
        ("Sept. 14, 2024", dt.date(2024, 9, 14)),
        ("September 05, 2026", dt.date(2026, 9, 5)),
        ("\n        Dec 13, 1996\n      ", dt.date(1996, 12, 13)),
        ("2025-10-25", dt.date(2025, 10, 25)),
    ],
)
def test_dates(raw: str, expected: dt.date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw", ["Foo 1, 2020", "Feb 30, 2020", "13/10/2020", "tomorrow", "5' 11\""]
)
def test_bad_dates_raise(raw: str) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_date(raw)


@pytest.mark.parametrize(
    ("parse", "raw"),
    [(parse_height, "tall"), (parse_weight, "155 kg"), (parse_reach, "long"), (parse_int, "1.5")],
)
def test_present_but_unreadable_values_raise(parse: Callable[[str], object], raw: str) -> None:
    with pytest.raises(ValueError, match=repr(raw)):
        parse(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Record: 22-8-0 (1 NC)", (22, 8, 0, 1)),
        ("Record: 13-2-0", (13, 2, 0, 0)),
        ("\n   Record: 29-1-0\n ", (29, 1, 0, 0)),
        ("15-3-0 (1 NC)", (15, 3, 0, 1)),
        ("Record: 10-3-2 (2 nc)", (10, 3, 2, 2)),
    ],
)
def test_records(raw: str, expected: tuple[int, int, int, int]) -> None:
    assert parse_record(raw) == expected


@pytest.mark.parametrize("raw", ["", "Record:", "22-8", "Record: a-b-c"])
def test_bad_records_raise(raw: str) -> None:
    with pytest.raises(ValueError, match="record"):
        parse_record(raw)


def test_whitespace_normalisation() -> None:
    assert normalize_ws("Charles      Oliveira     ") == "Charles Oliveira"
    assert normalize_ws("\n  The\u00a0 Hammer\t\n") == "The Hammer"
    assert normalize_ws(None) == ""
    assert clean_text("  Orthodox \n") == "Orthodox"


def test_normalize_ws_is_the_regular_expression_definition() -> None:
    """``normalize_ws`` splits with ``str.split``; it must collapse and strip exactly what
    ``re.sub(r"\\s+", " ", text).strip()`` does, for every code point, alone and in runs."""
    ws = re.compile(r"\s+")
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        for text in (f"a{c}b", f"{c}a{c}{c}b{c}", c):
            assert normalize_ws(text) == ws.sub(" ", text).strip(), hex(code)


def test_greco1899_tale_of_the_tape_strings() -> None:
    """Raw strings as UFCStats prints them (sample of Greco1899's ufc_fighter_tott.csv)."""
    path = FIXTURES / "ufcstats" / "ufc_fighter_tott_sample.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert len(rows) == 125
    parsed = {
        row["FIGHTER"]: (
            parse_height(row["HEIGHT"]),
            parse_weight(row["WEIGHT"]),
            parse_reach(row["REACH"]),
            parse_date(row["DOB"]),
        )
        for row in rows
    }
    assert parsed["Tom Aaron"] == (None, 155.0, None, dt.date(1978, 7, 13))
    assert parsed["Danny Abbadi"] == (71.0, 155.0, None, dt.date(1983, 7, 3))
    assert parsed["Islam Makhachev"] == (70.0, 170.0, 70.0, dt.date(1991, 10, 27))
    assert parsed["Ian Machado Garry"] == (75.0, 170.0, 74.0, dt.date(1997, 11, 17))
    # every shape of the sample parses, and the missing markers really occur in it
    missing = [value is None for values in parsed.values() for value in values]
    assert any(missing) and not all(missing)
    heights = [h for h, _, _, _ in parsed.values() if h is not None]
    assert 60 <= min(heights) and max(heights) <= 90


@pytest.mark.parametrize("name", ["Na", "None", "Null", "NA"])
def test_real_names_that_look_like_missing_markers_survive(name):
    from ufc_pipeline.parsing.units import clean_text

    assert clean_text(name) == name
