"""``fight_stats_step`` on a tiny served world: every bout loaded once, totals equal the
rounds, a re-run fetches nothing; statistics published late go pending, then load."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from ufc_mirror.envs import source_env
from ufc_mirror.model import World
from ufc_mirror.server import MirrorHandle, start_mirror
from ufc_mirror.world import build_world
from ufc_pipeline.settings import settings_from_env
from ufc_pipeline.steps.events import events_list_step, fight_cards_step, months_of, stored_events
from ufc_pipeline.steps.fight_stats import (
    SUMMED,
    FightStatsResult,
    fight_stats_step,
    stats_todo,
)
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.warehouse.load import table_digest
from ufc_pipeline.warehouse.schema import (
    STAT_COLUMNS,
    fight_details,
    fight_stats,
    fight_stats_rounds,
)

SEED = 5
TABLES = ("fight_details", "fight_stats", "fight_stats_rounds")


def served_world() -> World:
    return build_world(SEED, fighters=16, letters="km")


def settings_for(handle: MirrorHandle, data_dir: Path) -> Settings:
    return settings_from_env(
        {
            **source_env(handle),
            "UFCSTATS_RATE": "0",
            "UFC_HTTP_BACKOFF_BASE": "0",
            "UFC_HTTP_BACKOFF_MAX": "0",
            "UFC_DATA_DIR": str(data_dir),
            "UFC_TODAY": handle.world.as_of.isoformat(),
        }
    )


def requests_since(handle: MirrorHandle, before: dict[str, Any]) -> dict[str, int]:
    """Requests answered since ``before``, by kind (robots.txt, read once per client, aside)."""
    out = {}
    for kind, value in handle.stats().items():
        if kind == "robots":
            continue
        if isinstance(value, int) and value - int(before.get(kind, 0)):
            out[kind] = value - int(before.get(kind, 0))
    return out


def rows(settings: Settings, table: sa.Table) -> list[dict[str, Any]]:
    engine = sa.create_engine(settings.warehouse_url)
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(sa.select(table))]
    finally:
        engine.dispose()


def digests(settings: Settings) -> dict[str, str]:
    engine = sa.create_engine(settings.warehouse_url)
    try:
        return {t: table_digest(engine, t) for t in TABLES}
    finally:
        engine.dispose()


def state_files(settings: Settings) -> dict[str, bytes]:
    root = settings.processed.root / "fight_stats"
    return {p.name: p.read_bytes() for p in sorted(root.glob("*.json"))}


def cards(
    settings: Settings, today: dt.date | None = None, months: list[str] | None = None
) -> list[str]:
    """Events list and the cards of ``months`` (default: every month); the months."""
    events_list_step(settings, today=today)
    months = months or sorted(months_of(stored_events(settings)))
    fight_cards_step(settings, months, today=today)
    return months


@dataclass
class Run:
    settings: Settings
    months: list[str]
    first: FightStatsResult
    first_requests: dict[str, int]
    second: FightStatsResult
    second_requests: dict[str, int]
    files_after_first: dict[str, bytes]
    digests_after_first: dict[str, str]


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[World, MirrorHandle]]:
    world = served_world()
    with start_mirror(world, host="127.0.0.1") as handle:
        yield world, handle


@pytest.fixture(scope="module")
def run(served: tuple[World, MirrorHandle], tmp_path_factory: pytest.TempPathFactory) -> Run:
    _, handle = served
    settings = settings_for(handle, tmp_path_factory.mktemp("stats") / "data")
    months = cards(settings)
    before = handle.stats()
    first = fight_stats_step(settings, months)
    first_requests = requests_since(handle, before)
    files, digest = state_files(settings), digests(settings)
    before = handle.stats()
    second = fight_stats_step(settings, months)
    return Run(
        settings, months, first, first_requests, second, requests_since(handle, before), files,
        digest,
    )  # fmt: skip


def test_rows_loaded_equal_the_bouts_served(run: Run, served: tuple[World, MirrorHandle]):
    world, _ = served
    bouts = world.bout_index
    assert run.first_requests.get("ufcstats_fight") == len(bouts) > 50
    stats = rows(run.settings, fight_stats)
    assert len(stats) == 2 * len(bouts)
    assert {(r["fight_id"], r["fighter_id"]) for r in stats} == {
        (b.id, f) for b in bouts.values() for f in (b.red_id, b.blue_id)
    }
    red = {r["fight_id"]: r["fighter_id"] for r in stats if r["corner"] == "red"}
    assert red == {b.id: b.red_id for b in bouts.values()}
    by_round = defaultdict(set)
    for r in rows(run.settings, fight_stats_rounds):
        by_round[r["fight_id"]].add((r["fighter_id"], r["round"]))
    for b in bouts.values():
        want = {(f, n) for f in (b.red_id, b.blue_id) for n in range(1, b.round + 1)}
        assert by_round[b.id] == want, b.id
    details = {r["fight_id"]: r for r in rows(run.settings, fight_details)}
    assert set(details) == set(bouts)
    assert {r["stats_status"] for r in details.values()} == {"loaded"}
    some = next(iter(bouts.values()))
    assert (details[some.id]["method"], details[some.id]["round"]) == (some.method, some.round)
    assert details[some.id]["time_format"] == some.time_format
    meta = run.first.metadata()
    assert meta["fights_loaded"] == meta["loaded_this_run"] == len(bouts)
    assert meta["pending"] == meta["failed"] == 0
    assert sum(m["loaded"] for m in run.first.per_month) == len(bouts)
    assert {c.name: c.passed for c in run.first.checks()} == {
        "totals_equal_rounds": True,
        "stats_complete": True,
    }


def test_totals_equal_the_sum_of_rounds_in_the_warehouse(run: Run):
    sums: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows(run.settings, fight_stats_rounds):
        for c in SUMMED:
            if r[c] is not None:
                sums[(r["fight_id"], r["fighter_id"])][c] += r[c]
    compared = 0
    for t in rows(run.settings, fight_stats):
        got = sums[(t["fight_id"], t["fighter_id"])]
        for c in SUMMED:
            if t[c] is not None:
                assert t[c] == got[c], (t["fight_id"], t["fighter_id"], c)
                compared += 1
    assert compared > 1000


def test_missing_values_stay_null_and_old_pages_have_pass(run: Run, served):
    world, _ = served
    stats = rows(run.settings, fight_stats)
    no_attempts = [r for r in stats if r["td_attempted"] == 0]
    assert no_attempts and all(r["td_pct"] is None for r in no_attempts)  # "---", not 0
    assert all(r["td_landed"] is not None for r in stats)
    day = {b.id: world.seed_events[b.event_id].date for b in world.bout_index.values()}
    old = [r for r in stats if day[r["fight_id"]] < dt.date(2020, 10, 1)]
    new = [r for r in stats if day[r["fight_id"]] >= dt.date(2020, 10, 1)]
    assert old and new
    assert all(r["ctrl_seconds"] is None and r["passes"] is not None for r in old)
    assert all(r["ctrl_seconds"] is not None and r["passes"] is None for r in new)
    assert set(STAT_COLUMNS) <= set(stats[0])


def test_a_rerun_changes_nothing_and_fetches_nothing(run: Run):
    assert run.second_requests == {}
    for table in run.second.upsert.values():
        assert table["inserted"] == table["updated"] == 0
    assert state_files(run.settings) == run.files_after_first
    assert digests(run.settings) == run.digests_after_first
    assert run.second.metadata()["fights_loaded"] == run.first.metadata()["fights_loaded"]
    assert run.second.loaded_now == []
    assert stats_todo(run.settings) == []


def test_statistics_published_late_are_pending_then_loaded(tmp_path: Path):
    world = served_world()
    with start_mirror(world, host="127.0.0.1") as handle:
        settings = settings_for(handle, tmp_path / "data")
        added = handle.add_event(bouts=2, stats=False)
        day = added.event_date + dt.timedelta(days=1)
        month = f"{added.event_date:%Y-%m}"
        cards(settings, today=day, months=[month])
        # first run: the pages exist, their statistics do not
        before = handle.stats()
        first = fight_stats_step(settings, [month], today=day)
        assert requests_since(handle, before)["ufcstats_fight"] >= 2
        assert sorted(first.with_status("pending")) == sorted(added.bout_ids)
        checks = {c.name: c for c in first.checks()}
        assert checks["totals_equal_rounds"].passed
        assert not checks["stats_complete"].passed
        assert added.event_name in checks["stats_complete"].description
        assert checks["stats_complete"].details["pending_by_event"] == {
            f"{added.event_name} ({added.event_date})": 2
        }
        assert added.event_name in " ".join(first.incomplete_events())
        details = {r["fight_id"]: r for r in rows(settings, fight_details)}
        for bid in added.bout_ids:
            assert details[bid]["stats_status"] == "pending"
            assert details[bid]["method"] and details[bid]["referee"]
        assert not {r["fight_id"] for r in rows(settings, fight_stats)} & set(added.bout_ids)
        pending = json.loads((settings.processed.root / "fight_stats/pending.json").read_text())
        assert set(pending["fights"]) == set(added.bout_ids)
        assert [(t["month"], t["pending"]) for t in stats_todo(settings)] == [
            (month, sorted(added.bout_ids))
        ]

        # a re-check before publication: conditional requests only, still pending
        before = handle.stats()
        again = fight_stats_step(settings, [month], today=day)
        assert requests_since(handle, before) == {"ufcstats_fight": 2, "not_modified": 2}
        assert sorted(again.with_status("pending")) == sorted(added.bout_ids)

        # UFCStats publishes them: the next run loads them and only them
        handle.publish_stats(added.event_id)
        before = handle.stats()
        done = fight_stats_step(settings, [month], today=day + dt.timedelta(days=1))
        assert requests_since(handle, before) == {"ufcstats_fight": 2}
        assert sorted(done.loaded_now) == sorted(added.bout_ids)
        assert all(c.passed for c in done.checks())
        assert {r["fight_id"] for r in rows(settings, fight_stats)} >= set(added.bout_ids)
        assert stats_todo(settings) == []
        pending = json.loads((settings.processed.root / "fight_stats/pending.json").read_text())
        assert pending["fights"] == {}
        before = handle.stats()
        fight_stats_step(settings, [month], today=day + dt.timedelta(days=2))
        assert requests_since(handle, before) == {}


def test_after_the_horizon_a_fight_without_statistics_is_unavailable(tmp_path: Path):
    world = served_world()
    with start_mirror(world, host="127.0.0.1") as handle:
        settings = settings_for(handle, tmp_path / "data")
        added = handle.add_late_fight(handle.add_event(bouts=1).event_id, stats=False)
        month = f"{added.event_date:%Y-%m}"
        late = added.event_date + dt.timedelta(days=31)
        cards(settings, today=late, months=[month])
        result = fight_stats_step(settings, [month], today=late, pending_days=30)
        assert result.with_status("unavailable") == added.bout_ids
        assert result.with_status("pending") == []
        assert not {c.name: c.passed for c in result.checks()}["stats_complete"]
        assert stats_todo(settings) == []  # not pending: the sensor leaves it
        before = handle.stats()
        fight_stats_step(settings, [month], today=late, pending_days=30)
        assert requests_since(handle, before) == {}  # not re-checked
        # a wider horizon makes it pending again, and it is re-checked
        widened = fight_stats_step(settings, [month], today=late, pending_days=60)
        assert widened.with_status("pending") == added.bout_ids
        assert requests_since(handle, before) == {"ufcstats_fight": 1, "not_modified": 1}


def test_months_owed_statistics(tmp_path: Path):
    """The sensor's list: pending or unsettled bouts of months the step has seen, and months
    whose cards arrived after the step first ran; never anything before its first run."""
    settings = settings_from_env({"UFC_DATA_DIR": str(tmp_path / "data")})
    root = settings.processed.root
    card = {"fight_id": "f" * 16, "result": "win", "fighter1_id": "a", "fighter2_id": "b"}
    event = {"event_id": "e" * 16, "name": "UFC X", "date": "2026-05-02", "bouts": [card]}
    (root / "fight_cards").mkdir(parents=True)
    (root / "fight_cards" / "2026-05.json").write_text(json.dumps({"events": {"e": event}}))
    assert stats_todo(settings) == []  # the step never ran here
    (root / "fight_stats").mkdir()
    marker = root / "fight_stats" / "pending.json"
    marker.write_text(json.dumps({"since": 2e9, "fights": {}}))  # first run after the cards
    assert stats_todo(settings) == []
    marker.write_text(json.dumps({"since": 0, "fights": {}}))  # the cards came later
    assert stats_todo(settings) == [{"month": "2026-05", "pending": [], "missing": ["f" * 16]}]
    state = {"status": "pending", "event_id": "e" * 16, "event_name": "UFC X"}
    (root / "fight_stats" / "2026-05.json").write_text(json.dumps({"fights": {"f" * 16: state}}))
    assert stats_todo(settings) == [{"month": "2026-05", "pending": ["f" * 16], "missing": []}]
    state["status"] = "loaded"
    (root / "fight_stats" / "2026-05.json").write_text(json.dumps({"fights": {"f" * 16: state}}))
    assert stats_todo(settings) == []
