"""The code location's entry point: ``dagster dev -m ufc_pipeline.definitions``."""

from __future__ import annotations

import dagster as dg

from ufc_pipeline.defs.assets import ASSETS
from ufc_pipeline.defs.automation import daily_refresh, full_refresh_job, stale_partitions
from ufc_pipeline.defs.resources import build_resources

defs = dg.Definitions(
    assets=ASSETS,
    jobs=[full_refresh_job],
    schedules=[daily_refresh],
    sensors=[stale_partitions],
    resources=build_resources(),
)
