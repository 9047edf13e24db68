import datetime as dt
import time

import dagster as dg
import pytest

from ufc_pipeline.defs.automation import daily_refresh, stale_letters, stale_partitions
from ufc_pipeline.defs.resources import SettingError, build_resources


def test_code_location_loads_with_the_partitioned_chain():
    from ufc_pipeline.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert keys == {
        "fighters_list",
        "fighter_details",
        "sherdog_matches",
        "verified_matches",
        "ufc_com_athletes",
        "ufc_com_matches",
        "wikidata_fighters",
        "fighter_locations",
        "fighter_images",
        "fights",
    }
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if key.to_user_string() in ("ufcstats_events", "fight_cards"):
            continue
        assert node.partitions_def is not None
        assert len(node.partitions_def.get_partition_keys()) == 26
        assert node.backfill_policy == dg.BackfillPolicy.single_run()
        assert node.freshness_policy is not None
    deps = {
        k.to_user_string(): {p.to_user_string() for p in graph.get(k).parent_keys}
        for k in graph.get_all_asset_keys()
    }
    assert deps["fights"] == {"fighter_images", "fighter_locations"}
    assert deps["fighter_images"] == {"verified_matches", "wikidata_fighters", "ufc_com_matches"}
    assert deps["fighter_locations"] == {"verified_matches", "wikidata_fighters", "ufc_com_matches"}
    assert deps["ufc_com_matches"] == {"ufc_com_athletes"}
    assert deps["ufc_com_athletes"] == {"fighter_details"}
    assert deps["wikidata_fighters"] == {"verified_matches"}
    assert deps["sherdog_matches"] == {"fighter_details"}
    assert deps["fighter_details"] == {"fighters_list"}
    assert defs.resolve_job_def("full_refresh") is not None
    assert defs.resolve_sensor_def("stale_partitions").default_status == (
        dg.DefaultSensorStatus.RUNNING
    )
    assert defs.resolve_schedule_def("daily_refresh").default_status == (
        dg.DefaultScheduleStatus.STOPPED
    )


def test_settings_from_env(monkeypatch):
    monkeypatch.setenv("SHERDOG_BASE_URL", "http://127.0.0.1:9999")
    monkeypatch.setenv("SHERDOG_RATE", "0.5")
    res = build_resources()
    assert set(res) == {"pipeline"}
    pipeline = res["pipeline"]
    assert pipeline.sherdog.base_url == dg.EnvVar("SHERDOG_BASE_URL")
    assert pipeline.sherdog.rate_per_s == 0.5
    assert pipeline.ufcstats.base_url == "http://ufcstats.com"
    assert pipeline.ufcstats.rate_per_s == 1.0
    monkeypatch.setenv("UFCSTATS_RATE", "fast")
    with pytest.raises(SettingError, match="UFCSTATS_RATE"):
        build_resources()


def _materialize_fights(instance: dg.DagsterInstance, letter: str) -> None:
    instance.report_runless_asset_event(
        dg.AssetMaterialization(asset_key="fights", partition=letter)
    )


def test_stale_sensor_requests_only_old_materialized_letters():
    with dg.instance_for_test() as instance:
        _materialize_fights(instance, "b")
        ctx = dg.build_sensor_context(instance=instance)
        # nothing stale yet: just materialized; never-materialized letters are left alone
        assert isinstance(stale_partitions(ctx), dg.SkipReason)
        future = time.time() + dt.timedelta(hours=49).total_seconds()
        assert [x for x, _ in stale_letters(instance, future, dt.timedelta(hours=48))] == ["b"]


def test_daily_schedule_requests_all_letters_in_one_run():
    ctx = dg.build_schedule_context(scheduled_execution_time=dt.datetime(2026, 11, 21, 6))
    req = daily_refresh(ctx)
    assert req.tags["dagster/asset_partition_range_start"] == "a"
    assert req.tags["dagster/asset_partition_range_end"] == "z"
    assert req.run_key == "daily-2026-11-21"


def test_events_location_loads():
    from ufc_pipeline.events_definitions import defs

    graph = defs.resolve_asset_graph()
    assert {k.to_user_string() for k in graph.get_all_asset_keys()} == {
        "ufcstats_events",
        "fight_cards",
        "fight_stats",
    }
    cards = graph.get(dg.AssetKey("fight_cards"))
    assert cards.partitions_def.get_partition_keys()[0] == "1993-11-01"
    assert defs.resolve_sensor_def("new_events").default_status == dg.DefaultSensorStatus.RUNNING
    assert defs.resolve_schedule_def("daily_events").default_status == (
        dg.DefaultScheduleStatus.STOPPED
    )


@pytest.mark.parametrize(
    "entry_point", ["ufc_pipeline.definitions", "ufc_pipeline.events_definitions"]
)
def test_entry_point_freezes_what_it_imported(entry_point):
    """A process that loads a code location leaves what it imported to the permanent
    generation: a full collection right after the load walks almost nothing, and what the
    process allocates afterwards is still collected."""
    import subprocess
    import sys

    probe = (
        "import gc, time\n"
        f"import {entry_point}\n"
        "frozen = gc.get_freeze_count()\n"
        "tracked = len(gc.get_objects())\n"
        "class Cycle: pass\n"
        "gc.disable()\n"
        "for _ in range(1000):\n"
        "    a = Cycle(); a.me = a\n"
        "del a\n"
        "print(frozen, tracked, gc.collect())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.split()
    frozen, tracked, collected = map(int, out)
    assert frozen > 100_000  # Dagster alone leaves more than that
    assert tracked < frozen / 20  # gc.get_objects() lists the collectable ones only
    assert collected >= 1000  # the cycles made after the load are still garbage-collected
