"""Jobs, schedules, sensors and declarative automation (see the README's table).

* ``full_refresh`` job: the fighter chain for the chosen letters; ``events_refresh`` job:
  the events list and the fight cards of the chosen months.
* ``daily_refresh`` (06:00 UTC) and ``daily_events`` (05:30 UTC) schedules: STOPPED by
  default, they reach the live sites; turn them on deliberately.
* ``new_events`` sensor (RUNNING, hourly): one request for the events list; a new or
  changed event requests its month's cards and the letters of the fighters on its card.
* ``fill_gaps`` sensor (RUNNING, 6-hourly): letters with work left, most recently active
  first (``dagster/priority``), at most 3 a tick, each letter at most once a day.
* ``stale_partitions`` sensor (RUNNING, 30 min): letters older than 48 h are refreshed and
  an alert is posted.
* ``alert_on_failure`` run-failure sensor (RUNNING): failures to ``UFC_ALERT_WEBHOOK_URL``,
  with the run's step report.
* ``chain_automation`` automation sensor (RUNNING): eager conditions, so a letter updated
  upstream is refreshed downstream.

The RUNNING sensors do nothing on a new install: ``new_events`` first records a baseline,
``fill_gaps`` and ``stale_partitions`` only look at letters materialized before.
"""

import datetime as dt
import hashlib
import json
import time

import dagster as dg

from ufc_pipeline.alerts import build_payload, send_alert, ui_link, webhook_url
from ufc_pipeline.defs.partitions import LETTERS, RANGE_END, RANGE_START
from ufc_pipeline.defs.report import root_error, run_report
from ufc_pipeline.defs.resources import PipelineResource
from ufc_pipeline.steps.watch import gaps, known_letters, letter_of_name, stored_bouts

STALE_AFTER = dt.timedelta(hours=48)
MAX_RUNS_PER_TICK = 5
MAX_GAP_RUNS_PER_TICK = 3
GAP_COOLDOWN_S = 24 * 3600

full_refresh_job = dg.define_asset_job(
    "full_refresh",
    selection=dg.AssetSelection.groups("ufcstats", "sherdog", "enrichment", "warehouse"),
    description="The fighter chain: list -> details -> Sherdog matches -> verified matches "
    "-> images -> fights, for the chosen letters.",
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
    "materialized once), oldest first, at most 5 runs a tick, and alerts the webhook.",
)
def stale_partitions(context: dg.SensorEvaluationContext):
    now = time.time()
    stale = stale_letters(context.instance, now, STALE_AFTER)
    if not stale:
        return dg.SkipReason("every materialized letter is fresher than 48 h")
    bucket = int(now // STALE_AFTER.total_seconds())
    if webhook_url() and context.cursor != str(bucket):
        send_alert(
            build_payload(
                "stale",
                asset="fights",
                partition=",".join(x for x, _ in stale),
                run_id=None,
                error=f"{len(stale)} letter(s) older than 48 h (oldest {stale[0][1]:.0f} h)",
                link=ui_link("/assets/fights"),
            )
        )
        context.update_cursor(str(bucket))
    requests = []
    for letter, age_h in stale[:MAX_RUNS_PER_TICK]:
        context.log.info(f"fights[{letter}] is {age_h:.0f} h old; requesting a refresh")
        requests.append(
            dg.RunRequest(
                run_key=f"stale-{letter}-{bucket}",
                partition_key=letter,
                tags={"ufc/trigger": "stale_partitions", "ufc/age_hours": f"{age_h:.0f}"},
            )
        )
    return requests


@dg.sensor(
    job=full_refresh_job,
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Watches the stored fight cards (written by the events location's "
    "fight_cards): new bouts request the letters of their two fighters, once each.",
)
def card_changes(
    context: dg.SensorEvaluationContext,
    pipeline: PipelineResource,
):
    settings = pipeline.settings()
    seen = set(json.loads(context.cursor)) if context.cursor else None
    bouts = stored_bouts(settings)
    if seen is None:
        context.update_cursor(json.dumps(sorted(bouts)))
        return dg.SkipReason(f"baseline recorded: {len(bouts)} bouts on stored cards")
    fresh = {b: v for b, v in bouts.items() if b not in seen}
    if not fresh:
        return dg.SkipReason("no new bout on the stored fight cards")
    letters = known_letters(settings)
    wanted: dict[str, list[str]] = {}
    for fight_id, (f1, n1, f2, n2) in sorted(fresh.items()):
        for fid, name in ((f1, n1), (f2, n2)):
            letter = letters.get(fid) or letter_of_name(name)
            if letter:
                wanted.setdefault(letter, []).append(fight_id)
    context.update_cursor(json.dumps(sorted(bouts)))
    return [
        dg.RunRequest(
            run_key=f"cards-{letter}-{hashlib.sha1(','.join(ids).encode()).hexdigest()[:10]}",
            partition_key=letter,
            tags={"ufc/trigger": "card_changes", "ufc/new_bouts": str(len(ids))},
        )
        for letter, ids in sorted(wanted.items())
    ]


@dg.sensor(
    job=full_refresh_job,
    minimum_interval_seconds=6 * 3600,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Finds letters with work left (missing outputs, search errors, transient "
    "image failures, missing Sherdog pages) and requests them, most recently active first, "
    "at most 3 a tick, each letter at most once a day.",
)
def fill_gaps(
    context: dg.SensorEvaluationContext,
    pipeline: PipelineResource,
):
    settings = pipeline.settings()
    now = time.time()
    last: dict[str, float] = json.loads(context.cursor) if context.cursor else {}
    todo = [g for g in gaps(settings) if now - last.get(g["letter"], 0) > GAP_COOLDOWN_S]
    if not todo:
        return dg.SkipReason("no gaps (or all were requested within the last day)")
    requests = []
    for rank, g in enumerate(todo[:MAX_GAP_RUNS_PER_TICK]):
        last[g["letter"]] = now
        requests.append(
            dg.RunRequest(
                run_key=f"gap-{g['letter']}-{int(now // GAP_COOLDOWN_S)}",
                partition_key=g["letter"],
                tags={
                    "ufc/trigger": "fill_gaps",
                    "dagster/priority": str(MAX_GAP_RUNS_PER_TICK - rank),
                    "ufc/gap_fighters": str(len(g["fighters"])),
                    "ufc/last_active": g["last_active"] or "",
                },
            )
        )
    context.update_cursor(json.dumps(last, sort_keys=True))
    return requests


@dg.run_failure_sensor(
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Posts every failed run to UFC_ALERT_WEBHOOK_URL (Slack-compatible JSON) with "
    "the run's step report (status, items, duration, retries and issues of every step).",
)
def alert_on_failure(context: dg.RunFailureSensorContext):
    run = context.dagster_run
    tags = run.tags
    partition = tags.get("dagster/partition") or (
        f"{tags[RANGE_START]}...{tags[RANGE_END]}" if RANGE_START in tags else None
    )
    steps = [e for e in context.get_step_failure_events()]
    error = (
        root_error(steps[0].event_specific_data.error)
        if steps
        else (context.failure_event.message or "run failed")
    )
    assets = sorted({k.to_user_string() for k in (run.asset_selection or [])})
    failed_step = steps[0].step_key if steps else None
    send_alert(
        build_payload(
            "failure",
            asset=failed_step or ",".join(assets) or run.job_name,
            partition=partition,
            run_id=run.run_id,
            error=error,
            link=ui_link(f"/runs/{run.run_id}"),
            report=_step_report(context, run.run_id),
        )
    )


def _step_report(context: dg.RunFailureSensorContext, run_id: str) -> dict | None:
    """The failed run's step report; the alert goes out without it if it cannot be read."""
    try:
        return run_report(context.instance, run_id).to_dict()
    except Exception as exc:  # the alert matters more than its details
        context.log.warning(f"no step report for run {run_id}: {exc}")
        return None


chain_automation = dg.AutomationConditionSensorDefinition(
    "chain_automation",
    target=dg.AssetSelection.groups("ufcstats", "sherdog", "enrichment", "warehouse"),
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Eager automation of the fighter chain: a letter updated upstream is "
    "refreshed downstream.",
)

SCHEDULES = [daily_refresh]
SENSORS = [stale_partitions, card_changes, fill_gaps, alert_on_failure, chain_automation]
JOBS = [full_refresh_job]
