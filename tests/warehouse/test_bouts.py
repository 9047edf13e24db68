"""Fighter and bout natural keys, and orientation of fight rows (pure, no database)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import pytest

from ufc_pipeline.parsing.records import SherdogFight
from ufc_pipeline.warehouse.bouts import (
    BoutError,
    bout_key,
    bout_row,
    fighter_key,
    normalise_name,
)

DAY = dt.date(2009, 7, 11)


def fight(**overrides: object) -> SherdogFight:
    base = SherdogFight(
        section="pro",
        result="win",
        opponent_name="Frank Mir",
        opponent_id=2329,
        event_name="UFC 100 - Lesnar vs. Mir 2",
        event_id=9526,
        date=DAY,
        method="TKO (Punches)",
        referee="Herb Dean",
        round=2,
        time="1:48",
    )
    return dataclasses.replace(base, **overrides)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Brock Lesnar", "brocklesnar"),
        ("  BROCK   lesnar ", "brocklesnar"),
        ("José Aldo", "josealdo"),
        ("Jose\u0301 Aldo", "josealdo"),
        ("Antônio Rodrigo Nogueira", "antoniorodrigonogueira"),
        ("Jan Błachowicz", "janbłachowicz"),  # ł has no decomposition: kept, still stable
        ("Georges St-Pierre", "georgesstpierre"),
        ("Ǆ ﬁ", "dzfi"),  # compatibility decomposition folds ligatures
        ("Хабиб", "хабиб"),
        ("???", ""),
    ],
)
def test_normalise_name(name, expected):
    assert normalise_name(name) == expected


def test_fighter_key_prefers_id():
    assert fighter_key(2329, "Frank Mir") == "sh:2329"
    assert fighter_key(2329, None) == "sh:2329"
    assert fighter_key(None, "Frank  MIR!") == "name:frankmir"


@pytest.mark.parametrize(("sherdog_id", "name"), [(None, None), (None, ""), (None, "-- ?")])
def test_fighter_key_needs_id_or_name(sherdog_id, name):
    with pytest.raises(BoutError, match="neither"):
        fighter_key(sherdog_id, name)


@pytest.mark.parametrize("bad", [True, "2329", 2329.0])
def test_fighter_key_rejects_non_int_ids(bad):
    with pytest.raises(BoutError, match="int"):
        fighter_key(bad, "Frank Mir")


def test_bout_key_recipe_is_pinned():
    """Stored keys depend on this exact recipe; changing it must be deliberate."""
    expected = hashlib.sha1(b"bout/v1|sh:17522|sh:2329|ev:9526|2009-07-11|pro").hexdigest()
    assert bout_key(9526, "ignored", DAY, "sh:2329", "sh:17522", "pro") == expected
    assert len(expected) == 40


def test_bout_key_is_symmetric_and_discriminating():
    key = bout_key(9526, None, DAY, "sh:1", "sh:2", "pro")
    assert bout_key(9526, None, DAY, "sh:2", "sh:1", "pro") == key
    variants = {
        bout_key(9527, None, DAY, "sh:1", "sh:2", "pro"),
        bout_key(9526, None, DAY + dt.timedelta(days=1), "sh:1", "sh:2", "pro"),
        bout_key(9526, None, DAY, "sh:1", "sh:3", "pro"),
        bout_key(9526, None, DAY, "sh:1", "sh:2", "amateur"),
        bout_key(None, "UFC 100", DAY, "sh:1", "sh:2", "pro"),
        bout_key(9526, None, None, "sh:1", "sh:2", "pro"),
    }
    assert key not in variants and len(variants) == 6


def test_bout_key_event_name_is_normalised_when_no_id():
    a = bout_key(None, "UFC 100: Lesnar vs. Mir 2", DAY, "sh:1", "sh:2", "pro")
    b = bout_key(None, "ufc 100 - lesnar vs mir 2", DAY, "sh:1", "sh:2", "pro")
    assert a == b
    assert a != bout_key(None, None, DAY, "sh:1", "sh:2", "pro")


def test_same_bout_from_both_pages_is_identical():
    lesnar_page = bout_row(17522, "Brock Lesnar", fight())
    mir_page = bout_row(
        2329, "Frank Mir", fight(result="loss", opponent_name="Brock Lesnar", opponent_id=17522)
    )
    assert lesnar_page == mir_page
    # "sh:17522" < "sh:2329" as strings: Lesnar is fighter 1 and won.
    assert lesnar_page["fighter1_key"] == "sh:17522"
    assert lesnar_page["fighter1_name"] == "Brock Lesnar"
    assert lesnar_page["fighter2_sherdog_id"] == 2329
    assert (lesnar_page["result1"], lesnar_page["winner_key"]) == ("win", "sh:17522")


def test_row_is_flipped_when_page_fighter_is_fighter2():
    row = bout_row(2329, "Frank Mir", fight(result="win", opponent_id=17522, opponent_name="B L"))
    assert (row["fighter1_key"], row["fighter2_key"]) == ("sh:17522", "sh:2329")
    assert (row["result1"], row["winner_key"]) == ("loss", "sh:2329")


@pytest.mark.parametrize("result", ["draw", "nc", "unknown"])
def test_no_winner_results_are_symmetric(result):
    a = bout_row(1, "A", fight(result=result, opponent_id=2, opponent_name="B"))
    b = bout_row(2, "B", fight(result=result, opponent_id=1, opponent_name="A"))
    assert a == b
    assert (a["result1"], a["winner_key"]) == (result, None)


def test_opponent_without_id_uses_name_key():
    row = bout_row(17522, "Brock Lesnar", fight(opponent_id=None, opponent_name="Frank Mir"))
    assert row["fighter1_key"] == "name:frankmir"  # "name:" < "sh:"
    assert row["fighter1_sherdog_id"] is None
    assert (row["result1"], row["winner_key"]) == ("loss", "sh:17522")


def test_row_carries_fight_details():
    row = bout_row(17522, "Brock Lesnar", fight())
    assert {k: row[k] for k in ("event_id", "date", "section", "method", "round", "time")} == {
        "event_id": 9526,
        "date": DAY,
        "section": "pro",
        "method": "TKO (Punches)",
        "round": 2,
        "time": "1:48",
    }


def test_upcoming_bout_is_rejected():
    with pytest.raises(BoutError, match="upcoming"):
        bout_row(17522, "Brock Lesnar", fight(result="next"))


def test_self_opponent_is_rejected():
    with pytest.raises(BoutError, match="own opponent"):
        bout_row(2329, "Frank Mir", fight())


def test_opponent_without_id_or_name_is_rejected():
    with pytest.raises(BoutError, match="neither"):
        bout_row(17522, "Brock Lesnar", fight(opponent_id=None, opponent_name=None))
