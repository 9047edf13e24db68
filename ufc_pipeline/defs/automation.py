"""Jobs, the daily schedule and the freshness sensor.

* ``full_refresh`` job: the whole chain for the selected letters (a backfill of a..z is one run).
* ``daily_refresh`` schedule (STOPPED by default: it reaches the live sites, turn it on
  deliberately): every day at 06:00 UTC, one run of the chain for all 26 letters.
* ``stale_partitions`` sensor (RUNNING by default): every 30 minutes, finds letters whose
  ``fights`` partition was materialized before but is older than the freshness window and
  requests a refresh of the chain for them (at most ``MAX_RUNS_PER_TICK`` a tick, oldest
  first). Letters never materialized are left alone: a new install does not start crawling.
"""

import datetime as dt
import time

import dagster as dg

from ufc_pipeline.defs.partitions import LETTERS

STALE_AFTER = dt.timedelta(hours=48)
MAX_RUNS_PER_TICK = 5
RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"

full_refresh_job = dg.define_asset_job(
    "full_refresh",
    selection=dg.AssetSelection.groups("ufcstats", "sherdog", "warehouse"),
    description="The whole chain: fighters list -> Sherdog matches -> verified matches -> "
    "images -> fights, for the chosen letters.",
)


@dg.schedule(
    job=full_refresh_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Daily refresh of all 26 letters in one run (turn on deliberately: live sites).",
)
def daily_refresh(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    day = context.scheduled_execution_time.strftime("%Y-%m-%d")
    return dg.RunRequest(
        run_key=f"daily-{day}",
        tags={RANGE_START: LETTERS[0], RANGE_END: LETTERS[-1], "ufc/trigger": "daily_refresh"},
    )


def last_materialized(instance: dg.DagsterInstance, asset: str, letter: str) -> float | None:
    result = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey(asset), asset_partitions=[letter]), limit=1
    )
    return result.records[0].timestamp if result.records else None


def stale_letters(
    instance: dg.DagsterInstance, now: float, stale_after: dt.timedelta
) -> list[tuple[str, float]]:
    """(letter, age in hours) of letters with ``fights`` older than the window, oldest first."""
    out = []
    for letter in LETTERS:
        ts = last_materialized(instance, "fights", letter)
        if ts is not None and now - ts > stale_after.total_seconds():
            out.append((letter, (now - ts) / 3600))
    out.sort(key=lambda x: -x[1])
    return out


@dg.sensor(
    job=full_refresh_job,
    minimum_interval_seconds=1800,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Refreshes letters whose fights are older than 48 h (only letters already "
    "materialized once), oldest first, at most 5 runs a tick.",
)
def stale_partitions(context: dg.SensorEvaluationContext):
    now = time.time()
    stale = stale_letters(context.instance, now, STALE_AFTER)
    if not stale:
        return dg.SkipReason("every materialized letter is fresher than 48 h")
    requests = []
    for letter, age_h in stale[:MAX_RUNS_PER_TICK]:
        bucket = int(now // STALE_AFTER.total_seconds())
        context.log.info(f"fights[{letter}] is {age_h:.0f} h old; requesting a refresh")
        requests.append(
            dg.RunRequest(
                run_key=f"stale-{letter}-{bucket}",
                partition_key=letter,
                tags={"ufc/trigger": "stale_partitions", "ufc/age_hours": f"{age_h:.0f}"},
            )
        )
    return requests
