"""Automation of the events location: its jobs, the daily schedule, the sensors.

* ``events_refresh`` job: the events list, the fight cards and the fight statistics of the
  chosen months.
* ``fight_stats_refresh`` job: the fight statistics of the chosen months only.
* ``daily_events`` schedule (05:30 UTC, STOPPED by default: live site): the events list and
  the cards of this and last month, so a fight published days late lands.
* ``new_events`` sensor (RUNNING, hourly): one request for the events list a tick; a new or
  changed event requests its month's fight cards (with a cursor, so nothing twice). The
  fighter location's ``card_changes`` sensor then requests the letters of the fighters on
  the new card. The first tick only records a baseline.
* ``pending_stats`` sensor (RUNNING, hourly): months with fights whose statistics are
  pending (not published yet) or missing (new on a card, or failed), from the state files
  only (no HTTP); most recent first, at most 3 a tick, each month at most once every 6 h.
  It does nothing before ``fight_stats`` first ran, and leaves alone the months whose
  cards were stored before that.
"""

import datetime as dt
import hashlib
import json
import time

import dagster as dg

from ufc_pipeline.defs.events import EVENT_ASSETS, fight_stats, months_partitions
from ufc_pipeline.defs.partitions import RANGE_END, RANGE_START
from ufc_pipeline.defs.resources import PipelineResource
from ufc_pipeline.steps.fight_stats import stats_todo
from ufc_pipeline.steps.watch import event_signature, poll_events

MAX_STATS_RUNS_PER_TICK = 3
STATS_COOLDOWN_S = 6 * 3600

events_refresh_job = dg.define_asset_job(
    "events_refresh",
    selection=EVENT_ASSETS,
    description="The events list, the fight cards and the fight statistics of the chosen months.",
)

fight_stats_job = dg.define_asset_job(
    "fight_stats_refresh",
    selection=[fight_stats],
    description="The fight statistics of the chosen months (pending and new fights only).",
)


def recent_month_keys(now: dt.datetime) -> list[str]:
    first = now.date().replace(day=1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    keys = set(months_partitions.get_partition_keys(current_time=now))
    return [k for k in (previous.isoformat(), first.isoformat()) if k in keys]


@dg.schedule(
    job=events_refresh_job,
    cron_schedule="30 5 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Daily: the events list and the cards of this and last month (late fights).",
)
def daily_events(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    keys = recent_month_keys(context.scheduled_execution_time)
    day = context.scheduled_execution_time.strftime("%Y-%m-%d")
    return dg.RunRequest(
        run_key=f"events-{day}",
        tags={RANGE_START: keys[0], RANGE_END: keys[-1], "ufc/trigger": "daily_events"},
    )


@dg.sensor(
    job=events_refresh_job,
    minimum_interval_seconds=3600,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Polls the UFCStats events list (one request a tick); a new or changed "
    "event requests the fight cards of its month.",
)
def new_events(
    context: dg.SensorEvaluationContext,
    pipeline: PipelineResource,
):
    settings = pipeline.settings()
    events = poll_events(settings)
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    current = {e["event_id"]: event_signature(e) for e in events}
    if not seen:
        context.update_cursor(json.dumps(current, sort_keys=True))
        return dg.SkipReason(f"baseline recorded: {len(current)} events")
    fresh = [e for e in events if seen.get(e["event_id"]) != current[e["event_id"]]]
    context.update_cursor(json.dumps(current, sort_keys=True))
    if not fresh:
        return dg.SkipReason("no new or changed event")
    valid = set(months_partitions.get_partition_keys())
    by_month: dict[str, list[dict]] = {}
    for e in fresh:
        month = f"{e['date'][:7]}-01" if e.get("date") else None
        if month in valid:
            by_month.setdefault(month, []).append(e)
    requests = []
    for month, evs in sorted(by_month.items()):
        sig = hashlib.sha1(
            "|".join(sorted(current[e["event_id"]] for e in evs)).encode()
        ).hexdigest()[:10]
        requests.append(
            dg.RunRequest(
                run_key=f"events-{month}-{sig}",
                partition_key=month,
                tags={
                    "ufc/trigger": "new_events",
                    "ufc/events": ", ".join(e["name"] for e in evs)[:200],
                },
            )
        )
    return requests


@dg.sensor(
    job=fight_stats_job,
    minimum_interval_seconds=3600,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Months with fight statistics pending (not published yet) or missing (new "
    "bouts, failed pages), from the state files only; most recent first, at most 3 a tick, "
    "each month at most once every 6 h.",
)
def pending_stats(
    context: dg.SensorEvaluationContext,
    pipeline: PipelineResource,
):
    now = time.time()
    last: dict[str, float] = json.loads(context.cursor) if context.cursor else {}
    valid = set(months_partitions.get_partition_keys())
    todo = [
        t
        for t in stats_todo(pipeline.settings())
        if f"{t['month']}-01" in valid and now - last.get(t["month"], 0) > STATS_COOLDOWN_S
    ]
    if not todo:
        return dg.SkipReason("no pending or missing fight statistics (or all asked for lately)")
    requests = []
    for rank, t in enumerate(todo[:MAX_STATS_RUNS_PER_TICK]):
        last[t["month"]] = now
        requests.append(
            dg.RunRequest(
                run_key=f"stats-{t['month']}-{int(now // STATS_COOLDOWN_S)}",
                partition_key=f"{t['month']}-01",
                tags={
                    "ufc/trigger": "pending_stats",
                    "dagster/priority": str(MAX_STATS_RUNS_PER_TICK - rank),
                    "ufc/pending_fights": str(len(t["pending"])),
                    "ufc/missing_fights": str(len(t["missing"])),
                },
            )
        )
    context.update_cursor(json.dumps(last, sort_keys=True))
    return requests
