"""The enrichment assets: UFC.com athletes and their matches, Wikidata items, and fighter
origins (place of birth, nationality, gym) reconciled across UFC.com, Sherdog and Wikidata.

ufc_com_athletes -> ufc_com_matches ─┐
verified_matches -> wikidata_fighters ┼-> fighter_images (waterfall) and fighter_locations
verified_matches ────────────────────┘
"""

from typing import Any

import dagster as dg

from ufc_pipeline.defs.common import FRESHNESS, OWNERS, checks
from ufc_pipeline.defs.materialize import run_letters
from ufc_pipeline.defs.partitions import letters_partitions, single_run
from ufc_pipeline.defs.resources import PipelineResource
from ufc_pipeline.steps.locations import fighter_locations_step
from ufc_pipeline.steps.ufccom import ufc_com_athletes_step
from ufc_pipeline.steps.ufccom_matches import ufc_com_matches_step
from ufc_pipeline.steps.wikidata import wikidata_fighters_step

ENRICHMENT: dict[str, Any] = {
    "partitions_def": letters_partitions,
    "backfill_policy": single_run,
    "freshness_policy": FRESHNESS,
    "owners": OWNERS,
    "automation_condition": dg.AutomationCondition.eager(),
}


@dg.asset(
    group_name="enrichment",
    kinds={"httpx", "json"},
    pool="ufccom",
    deps=["fighter_details"],
    description="UFC.com athlete pages of each UFCStats fighter (found by override, the first "
    "athletes page and rankings, or the slug built from the name; never a paged list URL, "
    "which robots.txt disallows). Off unless UFCCOM_ENABLED: UFC.com's terms of use restrict "
    "automated collection.",
    check_specs=checks(
        "ufc_com_athletes",
        ("every_fighter_has_a_row", False, "Every list fighter of the letter has a row."),
        ("lookups_within_error_budget", False, "UFC.com lookups that failed (not 404s) <= 5 %."),
        (
            "crawl_delay_held",
            False,
            "With a rate set, requests to UFC.com started at least robots.txt's Crawl-delay apart.",
        ),
    ),
    **ENRICHMENT,
)
def ufc_com_athletes(context: dg.AssetExecutionContext, pipeline: PipelineResource):
    return run_letters(context, pipeline, ufc_com_athletes_step)


@dg.asset(
    group_name="enrichment",
    kinds={"rapidfuzz", "json"},
    deps=[ufc_com_athletes],
    description="One UFC.com athlete per UFCStats fighter and vice versa, on name, nickname, "
    "record, division and birth date evidence.",
    check_specs=checks(
        "ufc_com_matches",
        ("no_shared_ufccom_slug", True, "No UFC.com slug is verified for two fighters."),
    ),
    **ENRICHMENT,
)
def ufc_com_matches(context: dg.AssetExecutionContext, pipeline: PipelineResource):
    return run_letters(context, pipeline, ufc_com_matches_step)


@dg.asset(
    group_name="enrichment",
    kinds={"wikidata", "json"},
    pool="wikimedia",
    deps=["verified_matches"],
    description="Each fighter's Wikidata item, found by the verified Sherdog id (property "
    "P2818) or by name and exact birth date: image (P18), place of birth (P19), citizenship "
    "(P27), English Wikipedia article.",
    check_specs=checks(
        "wikidata_fighters",
        ("no_shared_item", False, "No Wikidata item is given to two fighters."),
    ),
    **ENRICHMENT,
)
def wikidata_fighters(context: dg.AssetExecutionContext, pipeline: PipelineResource):
    return run_letters(context, pipeline, wikidata_fighters_step)


@dg.asset(
    group_name="enrichment",
    kinds={"sqlalchemy", "json"},
    deps=["verified_matches", wikidata_fighters, ufc_com_matches],
    description="Place of birth (city, region, country with its ISO code), nationality and "
    "gym from UFC.com, Sherdog and Wikidata, every value with its source, disagreements "
    "flagged; warehouse table `fighter_locations`.",
    check_specs=checks(
        "fighter_locations",
        ("countries_have_iso_codes", False, "Every country has an ISO 3166 code."),
    ),
    **ENRICHMENT,
)
def fighter_locations(context: dg.AssetExecutionContext, pipeline: PipelineResource):
    return run_letters(context, pipeline, fighter_locations_step)


ENRICHMENT_ASSETS = [ufc_com_athletes, ufc_com_matches, wikidata_fighters, fighter_locations]
