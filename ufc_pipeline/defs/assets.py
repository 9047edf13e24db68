"""The six letter-partitioned assets of the fighter chain, each with its checks.

fighters_list -> fighter_details -> sherdog_matches -> verified_matches -> fighter_images
-> fights. Each body is one call into the core (``ufc_pipeline.steps``); the step's typed
result carries the metadata and the check verdicts. What every asset shares (partitions,
backfill policy, freshness, owners, eager automation downstream of the list) is applied
once, below.
"""

from typing import Any

import dagster as dg

from ufc_pipeline.defs.common import FRESHNESS, OWNERS, checks
from ufc_pipeline.defs.enrichment import (
    ENRICHMENT_ASSETS,
    fighter_locations,
    ufc_com_matches,
    wikidata_fighters,
)
from ufc_pipeline.defs.materialize import materialize, run_letters
from ufc_pipeline.defs.partitions import letters_partitions, single_run
from ufc_pipeline.defs.resources import PipelineResource
from ufc_pipeline.steps.details import fighter_details_step
from ufc_pipeline.steps.fights import fights_step
from ufc_pipeline.steps.images import fighter_images_step
from ufc_pipeline.steps.matching import sherdog_matches_step, verified_matches_step
from ufc_pipeline.steps.report import measure
from ufc_pipeline.steps.ufcstats import fighters_list_step

COMMON: dict[str, Any] = {
    "partitions_def": letters_partitions,
    "backfill_policy": single_run,
    "freshness_policy": FRESHNESS,
    "owners": OWNERS,
}
DOWNSTREAM: dict[str, Any] = {**COMMON, "automation_condition": dg.AutomationCondition.eager()}


@dg.asset(
    group_name="ufcstats",
    kinds={"scrapy", "json"},
    pool="ufcstats",
    description="UFCStats fighters list rows (11 columns) with their ufcstats_id, per letter.",
    check_specs=checks(
        "fighters_list",
        ("required_fields", True, "Every row has a ufcstats_id and a last name."),
        ("rows_parsed", True, ">= 95 % of the table's rows parsed."),
        ("unique_ids", True, "No ufcstats_id appears twice."),
        (
            "selectors_match",
            False,
            "Every requested letter's page parsed with the expected selectors and about as "
            "many rows as last time. A letter that fails keeps its previous data and is "
            "skipped downstream (a blocking check cannot be scoped to one partition of a "
            "single-run backfill, so that protection is per letter, in the data).",
        ),
    ),
    **COMMON,
)
def fighters_list(context: dg.AssetExecutionContext, pipeline: PipelineResource):
    letters = sorted(context.partition_keys)
    with measure() as cost:
        result = fighters_list_step(pipeline.settings(), letters, log=context.log.info)
    return materialize("fighters_list", result, cost=cost)


@dg.asset(
    group_name="ufcstats",
    kinds={"httpx", "json"},
    pool="ufcstats",
    deps=[fighters_list],
    description="UFCStats fighter pages (date of birth, record, every UFC bout with its "
    "opponent), fetched only for fighters whose list row or fight cards changed.",
    check_specs=checks(
        "fighter_details",
        (
            "every_fighter_has_details",
            True,
            "Every list fighter has a details entry; page errors <= 5 %.",
        ),
    ),
    **DOWNSTREAM,
)
def fighter_details(context: dg.AssetExecutionContext, pipeline: PipelineResource):
    return run_letters(context, pipeline, fighter_details_step)


@dg.asset(
    group_name="sherdog",
    kinds={"httpx", "json"},
    pool="sherdog",
    deps=[fighter_details],
    description="Sherdog candidates of each fighter from Fight Finder, with a confidence 0-100 "
    "and the reasons behind it.",
    check_specs=checks(
        "sherdog_matches",
        ("every_fighter_searched", True, "Every list fighter has an entry; search errors <= 5 %."),
    ),
    **DOWNSTREAM,
)
def sherdog_matches(context: dg.AssetExecutionContext, pipeline: PipelineResource):
    return run_letters(context, pipeline, sherdog_matches_step)


@dg.asset(
    group_name="sherdog",
    kinds={"rapidfuzz", "json"},
    deps=[sherdog_matches],
    description="One Sherdog id per UFCStats fighter and vice versa: auto-verified at the "
    "threshold, the rest to the review queue; manual overrides win.",
    check_specs=checks(
        "verified_matches",
        (
            "no_shared_sherdog_id",
            True,
            "No Sherdog id is verified for two UFCStats fighters (over every partition).",
        ),
    ),
    **DOWNSTREAM,
)
def verified_matches(context: dg.AssetExecutionContext, pipeline: PipelineResource):
    return run_letters(context, pipeline, verified_matches_step)


@dg.asset(
    group_name="sherdog",
    kinds={"pillow", "opencv", "jpeg"},
    pool="sherdog",
    deps=[verified_matches, wikidata_fighters, ufc_com_matches],
    description="Each fighter's image from the first source with a good one (default order: "
    "Wikimedia Commons with its free licence, Sherdog, UFC.com): decodes, not tiny, not a "
    "placeholder, exactly one face. Saved at data/images/fighters/<ufcstats_id>.jpg with "
    "source, licence and attribution; every candidate tried goes to the `images` table.",
    check_specs=checks(
        "fighter_images",
        ("saved_images_exist", False, "Every image recorded as saved is on disk."),
        ("saved_images_licensed", False, "Every saved image has its source and licence."),
        (
            "no_shared_image",
            False,
            "No two fighters share a photo (same perceptual hash); a shared photo from a "
            "matched profile is a possible wrong identity match.",
        ),
    ),
    **DOWNSTREAM,
)
def fighter_images(context: dg.AssetExecutionContext, pipeline: PipelineResource):
    return run_letters(context, pipeline, fighter_images_step)


@dg.asset(
    group_name="warehouse",
    kinds={"sqlalchemy", "postgres", "sqlite"},
    deps=[fighter_images, fighter_locations],
    description="Fighters and their Sherdog fight histories in the warehouse (tables "
    "`fighters`, `fights`), upserted on natural keys: a re-run changes nothing.",
    check_specs=checks(
        "fights",
        ("unique_bouts", True, "No bout twice (same event, date and pair of fighters)."),
    ),
    **DOWNSTREAM,
)
def fights(context: dg.AssetExecutionContext, pipeline: PipelineResource):
    return run_letters(context, pipeline, fights_step)


ASSETS = [
    fighters_list,
    fighter_details,
    sherdog_matches,
    verified_matches,
    *ENRICHMENT_ASSETS,
    fighter_images,
    fights,
]
