"""Statistics whose totals differ from their rounds: a page showing it is quarantined, not
loaded, and re-checked; stored rows showing it fail the blocking check."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.steps.test_fight_stats_step import cards, served_world, settings_for
from ufc_mirror.server import start_mirror
from ufc_pipeline.parsing.ufcstats_fight import parse_fight_page
from ufc_pipeline.steps.fight_stats import (
    QUARANTINED,
    SUMMED,
    _batch,
    _settle_one,
    fight_stats_step,
)
from ufc_pipeline.warehouse.load import totals_differing_from_rounds
from ufc_pipeline.warehouse.schema import fight_stats, quarantine

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "ufcstats" / "fight"


def test_a_page_whose_totals_differ_is_quarantined_not_loaded() -> None:
    html = (REAL / "sdmm27_fight_details_decision.html").read_bytes()
    fight = parse_fight_page(html, fight_id="0123456789abcdef")
    side = fight.fighters[0]
    assert side.totals is not None and side.totals.kd is not None
    bad = dataclasses.replace(side.totals, kd=side.totals.kd + 1)
    fight = dataclasses.replace(
        fight, fighters=[dataclasses.replace(side, totals=bad), *fight.fighters[1:]]
    )
    bout = {
        "fight_id": "f1",
        "event": {"event_id": "e" * 16, "name": "UFC X", "date": "2026-08-15"},
    }
    batch = _batch({"f1": _settle_one(fight, bout, {}, dt.date(2026, 8, 20), 30)})
    assert batch.states["f1"]["status"] == QUARANTINED
    assert batch.totals == [] and batch.rounds == [] and batch.loaded == []
    assert any(":kd " in d for d in batch.quarantine["f1"])


@pytest.fixture()
def loaded(tmp_path: Path) -> Iterator[tuple]:
    with start_mirror(served_world(), host="127.0.0.1") as handle:
        settings = settings_for(handle, tmp_path / "data")
        months = cards(settings)
        first = fight_stats_step(settings, months)
        yield settings, months, first


def test_stored_totals_that_differ_fail_the_blocking_check(loaded: tuple) -> None:
    settings, months, first = loaded
    assert [c.passed for c in first.checks() if c.name == "totals_equal_rounds"] == [True]
    engine = sa.create_engine(settings.warehouse_url)
    try:
        with engine.begin() as conn:
            victim = conn.execute(
                sa.select(fight_stats.c.fight_id, fight_stats.c.fighter_id)
                .where(fight_stats.c.sig_str_landed.is_not(None))
                .order_by(fight_stats.c.fight_id)
                .limit(1)
            ).one()
            conn.execute(
                sa.update(fight_stats)
                .where(
                    (fight_stats.c.fight_id == victim.fight_id)
                    & (fight_stats.c.fighter_id == victim.fighter_id)
                )
                .values(sig_str_landed=fight_stats.c.sig_str_landed + 5)
            )
        found = totals_differing_from_rounds(engine, [victim.fight_id], SUMMED)
        assert list(found) == [victim.fight_id]
        assert found[victim.fight_id][0].startswith(f"{victim.fighter_id}:sig_str_landed ")
        with engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(quarantine)).scalar() == 0
    finally:
        engine.dispose()
    again = fight_stats_step(settings, months)  # nothing refetched: the check reads the tables
    check = next(c for c in again.checks() if c.name == "totals_equal_rounds")
    assert not check.passed and victim.fight_id in check.details["mismatches"]
    complete = next(c for c in again.checks() if c.name == "stats_complete")
    assert complete.severity in ("warn", "error")
