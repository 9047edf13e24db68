"""The code location's entry point: ``dagster dev -m ufc_pipeline.definitions``."""

import dagster as dg

import ufc_pipeline.quiet  # noqa: F401  (Dagster's beta/preview warnings, before the defs load)
from ufc_pipeline.defs.assets import ASSETS
from ufc_pipeline.defs.automation import JOBS, SCHEDULES, SENSORS
from ufc_pipeline.defs.resources import build_resources
from ufc_pipeline.heap import freeze_loaded

# The letter chain is a line of six assets: a step can only start when the one before it has
# finished, so a subprocess per step (the multiprocess executor) buys no parallelism and
# costs a Python start and a definitions load for each step. Steps run in the run's process.
defs = dg.Definitions(
    executor=dg.in_process_executor,
    assets=ASSETS,
    jobs=JOBS,
    schedules=SCHEDULES,
    sensors=SENSORS,
    resources=build_resources(),
)

# Built: what this process imported lives until it exits (see ufc_pipeline.heap).
freeze_loaded()
