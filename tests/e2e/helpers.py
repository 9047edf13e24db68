"""Running the real Dagster job in process against the mirror."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dagster as dg

from ufc_mirror.envs import resource_kwargs
from ufc_pipeline.defs.assets import ASSETS
from ufc_pipeline.defs.automation import RANGE_END, RANGE_START, full_refresh_job
from ufc_pipeline.defs.resources import resources_for
from ufc_pipeline.processed import LETTERS


def resources(
    mirror: Any, data_dir: Path, database_url: str = "", **pipeline: Any
) -> dict[str, Any]:
    fast = dict(
        rate_per_s=0.0,
        concurrency=4,
        backoff_base_s=0.01,
        backoff_max_s=0.1,
        timeout_s=10.0,
        max_retries=3,
    )
    fast.update(pipeline.pop("site", {}))
    return resources_for(
        mirror.ufcstats_url,
        mirror.sherdog_url,
        data_dir,
        site=fast,
        database_url=database_url,
        **{**resource_kwargs(mirror), **pipeline},
    )


def run_chain(
    mirror: Any,
    data_dir: Path,
    *,
    start: str = "a",
    end: str = "z",
    database_url: str = "",
    instance: dg.DagsterInstance | None = None,
    **pipeline: Any,
) -> dg.ExecuteInProcessResult:
    defs = dg.Definitions(
        assets=ASSETS,
        jobs=[full_refresh_job],
        resources=resources(mirror, data_dir, database_url, **pipeline),
    )
    job = defs.resolve_job_def("full_refresh")
    return job.execute_in_process(
        instance=instance or dg.DagsterInstance.ephemeral(),
        tags={RANGE_START: start, RANGE_END: end},
        raise_on_error=False,
    )


def letters_between(start: str, end: str) -> list[str]:
    return [x for x in LETTERS if start <= x <= end]
