"""The events code location: ``dagster dev -m ufc_pipeline.events_definitions``.

UFCStats events, fight cards and fight statistics are partitioned by month, the fighter
chain by letter; they live in two code locations (see workspace.yaml) so that
``--select '*'`` with a letter partition works on the fighter location. Both share the
same settings and data directory.
"""

import dagster as dg

import ufc_pipeline.quiet  # noqa: F401  (Dagster's beta/preview warnings, before the defs load)
from ufc_pipeline.defs.automation import alert_on_failure
from ufc_pipeline.defs.events import EVENT_ASSETS
from ufc_pipeline.defs.events_automation import (
    daily_events,
    events_refresh_job,
    fight_stats_job,
    new_events,
    pending_stats,
)
from ufc_pipeline.defs.resources import build_resources
from ufc_pipeline.heap import freeze_loaded

# As in the fighter location: the events, their cards and their statistics are a line of
# assets, so a subprocess per step would buy no parallelism and cost a Python start, a
# definitions load and a second process's memory for each step.
defs = dg.Definitions(
    executor=dg.in_process_executor,
    assets=EVENT_ASSETS,
    jobs=[events_refresh_job, fight_stats_job],
    schedules=[daily_events],
    sensors=[new_events, pending_stats, alert_on_failure],
    resources=build_resources(),
)

# Built: what this process imported lives until it exits (see ufc_pipeline.heap).
freeze_loaded()
