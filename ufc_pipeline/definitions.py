"""The code location's entry point: ``dagster dev -m ufc_pipeline.definitions``."""

import dagster as dg

from ufc_pipeline.defs.assets import ASSETS
from ufc_pipeline.defs.automation import JOBS, SCHEDULES, SENSORS
from ufc_pipeline.defs.resources import build_resources

defs = dg.Definitions(
    assets=ASSETS,
    jobs=JOBS,
    schedules=SCHEDULES,
    sensors=SENSORS,
    resources=build_resources(),
)
