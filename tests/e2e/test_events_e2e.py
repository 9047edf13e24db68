"""Events and incremental runs on a mirror that changes: a new event, a late fight."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pytest
import sqlalchemy as sa

from tests.e2e.helpers import resources, run_chain
from ufc_mirror.server import start_mirror
from ufc_mirror.world import build_world
from ufc_pipeline.defs.automation import RANGE_END, RANGE_START, card_changes
from ufc_pipeline.defs.events import EVENT_ASSETS
from ufc_pipeline.defs.events_automation import events_refresh_job, new_events
from ufc_pipeline.warehouse.engine import make_engine
from ufc_pipeline.warehouse.schema import events, fights, ufc_bouts

pytestmark = pytest.mark.slow
KINDS = ("ufcstats_fighter", "sherdog_search", "sherdog_fighter", "image")


@pytest.fixture(scope="module")
def live():
    world = build_world(seed=5, fighters=150)
    handle = start_mirror(world)
    yield world, handle
    handle.stop()


def run_events(handle, data_dir, start: str, end: str, today: dt.date):
    defs = dg.Definitions(
        assets=EVENT_ASSETS,
        jobs=[events_refresh_job],
        resources=resources(handle, data_dir, today=today.isoformat()),
    )
    return defs.resolve_job_def("events_refresh").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        tags={RANGE_START: start, RANGE_END: end},
        raise_on_error=False,
    )


def delta(handle, before):
    return {k: v - before.get(k, 0) for k, v in handle.stats().items() if isinstance(v, int)}


def test_new_event_and_late_fight_land_incrementally(live, tmp_path):
    world, handle = live
    data = tmp_path / "data"
    today = world.as_of
    first = run_events(handle, data, "1993-11-01", f"{today:%Y-%m}-01", today)
    assert first.success
    assert run_chain(handle, data, today=today.isoformat()).success
    engine = make_engine(f"sqlite:///{data / 'warehouse.sqlite'}")
    with engine.connect() as conn:
        n_events = conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one()
        n_bouts = conn.execute(sa.select(sa.func.count()).select_from(ufc_bouts)).scalar_one()
    assert n_events > 10 and n_bouts > 10

    # The sensors record their baselines.
    res = resources(handle, data, today=today.isoformat())
    with dg.instance_for_test() as instance:

        def tick(sensor, cursor=None):  # one sensor evaluation: (result, new cursor)
            with dg.build_sensor_context(instance=instance, resources=res, cursor=cursor) as ctx:
                return sensor(ctx), ctx.cursor

        result, events_cursor = tick(new_events)
        assert isinstance(result, dg.SkipReason)
        result, cards_cursor = tick(card_changes)
        assert isinstance(result, dg.SkipReason)

        # A new event appears on the site.
        added = handle.add_event(bouts=2)
        event_day = dt.date.fromisoformat(str(added.event_date))
        reqs, events_cursor2 = tick(new_events, events_cursor)
        assert [r.partition_key for r in reqs] == [f"{event_day:%Y-%m}-01"]
        assert isinstance(tick(new_events, events_cursor2)[0], dg.SkipReason)

        before = dict(handle.stats())
        month = reqs[0].partition_key
        assert run_events(handle, data, month, month, event_day + dt.timedelta(days=1)).success
        letter_reqs, cards_cursor2 = tick(card_changes, cards_cursor)
        letters = sorted({r.partition_key for r in letter_reqs})
        assert letters
        for letter in letters:
            assert run_chain(
                handle,
                data,
                start=letter,
                end=letter,
                today=(event_day + dt.timedelta(days=1)).isoformat(),
            ).success
        served = delta(handle, before)
        # Only the new event's pages and its fighters' pages were fetched.
        assert served.get("ufcstats_fighter", 0) <= len(added.fighter_ids)
        assert served.get("sherdog_fighter", 0) <= 4 * len(added.fighter_ids)
        with engine.connect() as conn:
            got = set(conn.execute(sa.select(ufc_bouts.c.fight_id)).scalars())
        assert set(added.bout_ids) <= got

        # Three days later, UFCStats publishes a fight it had left off the card.
        late = handle.add_late_fight(added.event_id)
        three_days = event_day + dt.timedelta(days=3)
        assert run_events(handle, data, month, month, three_days).success
        letter_reqs, _ = tick(card_changes, cards_cursor2)
        for letter in sorted({r.partition_key for r in letter_reqs}):
            assert run_chain(
                handle, data, start=letter, end=letter, today=three_days.isoformat()
            ).success
    with engine.connect() as conn:
        got = set(conn.execute(sa.select(ufc_bouts.c.fight_id)).scalars())
        sherdog_rows = conn.execute(sa.select(sa.func.count()).select_from(fights)).scalar_one()
    engine.dispose()
    assert set(late.bout_ids) <= got
    assert sherdog_rows > 0
