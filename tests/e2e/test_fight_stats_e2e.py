"""Fight statistics published late, end to end: the Dagster jobs and sensors on a mirror.

An event appears with bouts whose statistics UFCStats has not published yet. The run the
``new_events`` sensor asks for marks them pending; ``pending_stats`` asks for their month
again (no HTTP in the sensor, a cooldown between requests); once the statistics are
published the next run loads them, with no manual step, and fetches nothing else.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import dagster as dg
import pytest
import sqlalchemy as sa

from tests.e2e.helpers import resources
from ufc_mirror.server import start_mirror
from ufc_mirror.world import build_world
from ufc_pipeline.defs.automation import RANGE_END, RANGE_START
from ufc_pipeline.defs.events import EVENT_ASSETS
from ufc_pipeline.defs.events_automation import (
    STATS_COOLDOWN_S,
    events_refresh_job,
    fight_stats_job,
    new_events,
    pending_stats,
)
from ufc_pipeline.warehouse.engine import make_engine
from ufc_pipeline.warehouse.schema import fight_details, fight_stats, ufc_bouts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live():
    world = build_world(seed=5, fighters=40)
    handle = start_mirror(world)
    yield world, handle
    handle.stop()


def definitions(handle, data, today: dt.date) -> dg.Definitions:
    return dg.Definitions(
        assets=EVENT_ASSETS,
        jobs=[events_refresh_job, fight_stats_job],
        resources=resources(handle, data, today=today.isoformat()),
    )


def run_job(handle, data, today: dt.date, job: str, **kwargs: Any):
    return (
        definitions(handle, data, today)
        .resolve_job_def(job)
        .execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False, **kwargs)
    )


def delta(handle, before) -> dict[str, int]:
    out = {}
    for kind, value in handle.stats().items():
        if isinstance(value, int) and kind != "robots" and value - before.get(kind, 0):
            out[kind] = value - before.get(kind, 0)
    return out


def checks_of(result) -> dict[str, bool]:
    return {e.check_name: e.passed for e in result.get_asset_check_evaluations()}


def stats_metadata(result) -> dict[str, Any]:
    """The metadata of the run's ``fight_stats`` (one event per month, the same metadata)."""
    mats = [
        m
        for m in result.get_asset_materialization_events()
        if m.asset_key == dg.AssetKey("fight_stats")
    ]
    assert mats
    return {k: v.value for k, v in mats[0].materialization.metadata.items()}


def test_statistics_published_late_land_through_the_sensor(live, tmp_path):
    world, handle = live
    data = tmp_path / "data"
    today = world.as_of
    # the events list, and the cards and statistics of the last three years, one run
    start = today.replace(year=today.year - 3, day=1)
    first = run_job(
        handle,
        data,
        today,
        "events_refresh",
        tags={RANGE_START: f"{start:%Y-%m}-01", RANGE_END: f"{today:%Y-%m}-01"},
    )
    assert first.success
    assert checks_of(first) == {
        "events_parsed": True,
        "cards_fetched": True,
        "totals_equal_rounds": True,
        "stats_complete": True,
    }
    meta = stats_metadata(first)
    assert (meta["pending"], meta["unavailable"], meta["failed"]) == (0, 0, 0)
    recent = [b for b in world.bout_index.values() if world.seed_events[b.event_id].date >= start]
    engine = make_engine(f"sqlite:///{data / 'warehouse.sqlite'}")
    with engine.connect() as conn:
        n_bouts = conn.execute(sa.select(sa.func.count()).select_from(ufc_bouts)).scalar_one()
        n_stats = conn.execute(sa.select(sa.func.count()).select_from(fight_stats)).scalar_one()
    assert n_bouts == len(recent) > 20
    assert n_stats == meta["dagster/row_count"] == 2 * n_bouts

    res = resources(handle, data, today=today.isoformat())
    with dg.instance_for_test() as instance:

        def tick(sensor, cursor=None):  # one sensor evaluation: (result, new cursor)
            with dg.build_sensor_context(instance=instance, resources=res, cursor=cursor) as ctx:
                return sensor(ctx), ctx.cursor

        _, events_cursor = tick(new_events)  # baseline
        assert isinstance(tick(pending_stats)[0], dg.SkipReason)  # nothing pending

        # An event appears; its fight pages have no statistics yet.
        added = handle.add_event(bouts=2, stats=False)
        day = added.event_date + dt.timedelta(days=1)
        (request,) = tick(new_events, events_cursor)[0]
        month = request.partition_key
        assert month == f"{added.event_date:%Y-%m}-01"
        landed = run_job(handle, data, day, "events_refresh", partition_key=month)
        assert landed.success  # stats_complete is not blocking
        assert checks_of(landed)["totals_equal_rounds"] is True
        assert checks_of(landed)["stats_complete"] is False
        assert stats_metadata(landed)["pending"] == 2

        # The sensor asks for the month; the run re-checks the two pages (304) only.
        (recheck,), stats_cursor = tick(pending_stats)
        assert recheck.partition_key == month
        assert recheck.tags["ufc/pending_fights"] == "2"
        before = dict(handle.stats())
        again = run_job(handle, data, day, "fight_stats_refresh", partition_key=month)
        assert again.success and stats_metadata(again)["pending"] == 2
        assert delta(handle, before) == {"ufcstats_fight": 2, "not_modified": 2}

        # UFCStats publishes the statistics; the cooldown holds the next request back ...
        handle.publish_stats(added.event_id)
        assert isinstance(tick(pending_stats, stats_cursor)[0], dg.SkipReason)
        # ... until it has passed: then the month is asked for and the run loads them.
        aged = {m: t - STATS_COOLDOWN_S - 1 for m, t in json.loads(stats_cursor).items()}
        (load,), stats_cursor = tick(pending_stats, json.dumps(aged))
        assert load.partition_key == month
        before = dict(handle.stats())
        later = day + dt.timedelta(days=1)
        loaded = run_job(
            handle, data, later, "fight_stats_refresh", partition_key=load.partition_key
        )
        assert loaded.success
        assert checks_of(loaded) == {"totals_equal_rounds": True, "stats_complete": True}
        assert stats_metadata(loaded)["loaded_this_run"] == 2
        # nothing else was fetched: no events list, no cards, no other fight page
        assert delta(handle, before) == {"ufcstats_fight": 2}
        assert isinstance(tick(pending_stats, stats_cursor)[0], dg.SkipReason)

    with engine.connect() as conn:
        status = dict(
            conn.execute(
                sa.select(fight_details.c.fight_id, fight_details.c.stats_status).where(
                    fight_details.c.fight_id.in_(added.bout_ids)
                )
            ).all()
        )
        rows = conn.execute(
            sa.select(sa.func.count())
            .select_from(fight_stats)
            .where(fight_stats.c.fight_id.in_(added.bout_ids))
        ).scalar_one()
    engine.dispose()
    assert status == {b: "loaded" for b in added.bout_ids}
    assert rows == 4
