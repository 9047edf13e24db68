"""Declarative automation: an updated letter upstream refreshes its downstream."""

from __future__ import annotations

import dagster as dg

from ufc_pipeline.defs.assets import ASSETS
from ufc_pipeline.defs.resources import build_resources


def test_updated_list_partition_requests_its_details_only():
    defs = dg.Definitions(assets=ASSETS, resources=build_resources())
    with dg.instance_for_test() as instance:
        # Everything once materialized for m and n (so nothing is "missing")...
        for asset in (
            "fighters_list",
            "fighter_details",
            "sherdog_matches",
            "verified_matches",
            "fighter_images",
            "fights",
        ):
            for letter in "mn":
                instance.report_runless_asset_event(
                    dg.AssetMaterialization(asset, partition=letter)
                )
        result = dg.evaluate_automation_conditions(defs=defs, instance=instance)
        baseline = {
            k.to_user_string(): r.true_subset.size for k, r in ((r.key, r) for r in result.results)
        }
        # ...then the list of letter m is updated.
        instance.report_runless_asset_event(dg.AssetMaterialization("fighters_list", partition="m"))
        result = dg.evaluate_automation_conditions(
            defs=defs, instance=instance, cursor=result.cursor
        )
        requested = {
            r.key.to_user_string(): sorted(r.true_subset.expensively_compute_partition_keys() or [])
            for r in result.results
            if r.true_subset.size
        }
        assert requested.get("fighter_details") == ["m"], (requested, baseline)
        assert "fighters_list" not in requested
