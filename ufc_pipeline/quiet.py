"""Silence Dagster's API-status warnings at their source.

Every definitions load (the CLI, each step subprocess of the multiprocess executor, the
UI's code server) re-runs the asset decorators, and Dagster warns on each load that
parameters this project relies on (``backfill_policy``, ``AssetSelection.all``'s
``include_sources``) are in beta or preview, and that ``dagster asset materialize`` is
superseded. Those warnings say nothing about the pipeline's data; they only bury its
progress lines. The code locations import this module before their assets::

    import ufc_pipeline.quiet  # noqa: F401  (before the ufc_pipeline.defs imports)

Only these three categories are ignored; every other warning still shows.
"""

from __future__ import annotations

import warnings

from dagster import BetaWarning, PreviewWarning, SupersessionWarning

QUIET_CATEGORIES: tuple[type[Warning], ...] = (BetaWarning, PreviewWarning, SupersessionWarning)


def install() -> None:
    """Ignore Dagster's beta, preview and supersession warnings in this process."""
    for category in QUIET_CATEGORIES:
        warnings.filterwarnings("ignore", category=category)


install()
