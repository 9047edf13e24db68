"""What the assets of both code locations share: freshness, owners, check specs."""

import datetime as dt

import dagster as dg

FRESHNESS = dg.FreshnessPolicy.time_window(
    fail_window=dt.timedelta(hours=48), warn_window=dt.timedelta(hours=26)
)
OWNERS = ["team:ufc-pokedex"]


def checks(asset: str, *specs: tuple[str, bool, str]) -> list[dg.AssetCheckSpec]:
    """``(name, blocking, description)`` -> the check specs of ``asset``."""
    return [
        dg.AssetCheckSpec(name, asset=asset, blocking=blocking, description=description)
        for name, blocking, description in specs
    ]
