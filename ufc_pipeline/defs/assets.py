"""The five partitioned assets of the chain, each with its checks.

fighters_list -> sherdog_matches -> verified_matches -> fighter_images -> fights
"""

import datetime as dt
from typing import Any

import dagster as dg

from ufc_pipeline.defs.partitions import letters_partitions, single_run
from ufc_pipeline.defs.resources import PipelineResource
from ufc_pipeline.steps.details import fighter_details_step
from ufc_pipeline.steps.fights import fights_step
from ufc_pipeline.steps.images import fighter_images_step
from ufc_pipeline.steps.matching import sherdog_matches_step, verified_matches_step
from ufc_pipeline.steps.ufcstats import fighters_list_step, usable_letters
from ufc_pipeline.warehouse.engine import make_engine, redact_url
from ufc_pipeline.warehouse.schema import ensure_schema

FRESHNESS = dg.FreshnessPolicy.time_window(
    fail_window=dt.timedelta(hours=48), warn_window=dt.timedelta(hours=26)
)
EAGER = dg.AutomationCondition.eager()
COMMON: dict[str, Any] = {
    "partitions_def": letters_partitions,
    "backfill_policy": single_run,
    "freshness_policy": FRESHNESS,
    "owners": ["team:ufc-pokedex"],
}


def _md_table(rows: list[dict[str, Any]], limit: int = 10) -> dg.MetadataValue:
    rows = rows[:limit]
    if not rows:
        return dg.MetadataValue.md("_(none)_")
    cols = list(rows[0])
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        lines.append("| " + " | ".join(str(r.get(c, "")).replace("|", "/") for c in cols) + " |")
    return dg.MetadataValue.md("\n".join(lines))


def _usable(context: dg.AssetExecutionContext, settings: Any) -> tuple[list[str], dict[str, str]]:
    """The run's letters whose list read was good; the others keep their previous data."""
    letters, skipped = usable_letters(settings, context.partition_keys)
    for letter, why in skipped.items():
        context.log.warning(f"letter {letter} skipped, previous data kept: {why}")
    if not letters:
        raise RuntimeError(
            "no letter of this run has a usable fighters list: "
            + "; ".join(f"{k}: {v}" for k, v in skipped.items())
        )
    return letters, skipped


def _check(name: str, asset: str, ok: bool, description: str, **meta: Any) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        check_name=name,
        asset_key=asset,
        passed=bool(ok),
        severity=dg.AssetCheckSeverity.ERROR,
        description=description,
        metadata=meta,
    )


@dg.asset(
    group_name="ufcstats",
    kinds={"scrapy", "json"},
    pool="ufcstats",
    description="UFCStats fighters list rows (11 columns) with their ufcstats_id, per letter.",
    check_specs=[
        dg.AssetCheckSpec(
            "required_fields",
            asset="fighters_list",
            blocking=True,
            description="Every row has a ufcstats_id and a last name.",
        ),
        dg.AssetCheckSpec(
            "rows_parsed",
            asset="fighters_list",
            blocking=True,
            description=">= 95 % of the table's rows parsed.",
        ),
        dg.AssetCheckSpec(
            "unique_ids",
            asset="fighters_list",
            blocking=True,
            description="No ufcstats_id appears twice.",
        ),
        dg.AssetCheckSpec(
            "selectors_match",
            asset="fighters_list",
            description="Every requested letter's page parsed with the expected selectors and "
            "about as many rows as last time. A letter that fails keeps its previous data and "
            "is skipped downstream (a blocking check cannot be scoped to one partition of a "
            "single-run backfill, so that protection is per letter, in the data).",
        ),
    ],
    **COMMON,
)
def fighters_list(
    context: dg.AssetExecutionContext,
    pipeline: PipelineResource,
):
    settings = pipeline.settings()
    letters = sorted(context.partition_keys)
    summary = fighters_list_step(settings, letters, log=context.log.info)
    rows = [r for x in letters for r in settings.processed.require("fighters_list", x)["rows"]]
    missing = [r["ufcstats_id"] or "?" for r in rows if not r["ufcstats_id"] or not r["last_name"]]
    ids = [r["ufcstats_id"] for r in rows]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    table_rows = sum(summary["table_rows"].values())
    share = len(rows) / table_rows if table_rows else 1.0
    yield dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(rows),
            "rows_per_letter": summary["per_letter"],
            "crawler": summary["crawler_stats"],
            "preview": _md_table(
                [
                    {
                        k: r[k]
                        for k in (
                            "ufcstats_id",
                            "first_name",
                            "last_name",
                            "nickname",
                            "weight_lbs",
                            "wins",
                            "losses",
                        )
                    }
                    for r in rows
                ]
            ),
        },
        check_results=[
            _check(
                "required_fields",
                "fighters_list",
                not missing,
                f"{len(missing)} row(s) without id or last name",
                missing=missing[:20],
            ),
            _check(
                "rows_parsed",
                "fighters_list",
                share >= 0.95,
                f"{len(rows)} of {table_rows} table rows parsed ({share:.1%})",
                parsed=len(rows),
                table_rows=table_rows,
            ),
            _check(
                "unique_ids",
                "fighters_list",
                not dupes,
                f"{len(dupes)} duplicate id(s)",
                duplicates=dupes[:20],
            ),
            _check(
                "selectors_match",
                "fighters_list",
                not summary["errors"],
                "all letters parsed"
                if not summary["errors"]
                else "; ".join(f"letter {k}: {v}" for k, v in sorted(summary["errors"].items())),
                failed_letters=sorted(summary["errors"]),
            ),
        ],
    )


@dg.asset(
    group_name="ufcstats",
    kinds={"httpx", "json"},
    pool="ufcstats",
    deps=[fighters_list],
    automation_condition=EAGER,
    description="UFCStats fighter pages (date of birth, record, every UFC bout with its "
    "opponent), fetched only for fighters whose list row or fight cards changed.",
    check_specs=[
        dg.AssetCheckSpec(
            "every_fighter_has_details",
            asset="fighter_details",
            blocking=True,
            description="Every list fighter has a details entry; page errors <= 5 %.",
        ),
    ],
    **COMMON,
)
def fighter_details(
    context: dg.AssetExecutionContext,
    pipeline: PipelineResource,
):
    settings = pipeline.settings()
    letters, skipped = _usable(context, settings)
    summary = fighter_details_step(settings, letters, log=context.log.info)
    ok = (
        summary["errors"] <= 0.05 * max(summary["fighters"], 1)
        and sum(summary["per_letter"].values()) == summary["fighters"]
    )
    yield dg.MaterializeResult(
        metadata={
            "skipped_letters": sorted(skipped),
            "dagster/row_count": summary["fighters"],
            "fetched": summary["fetched"],
            "carried_over": summary["carried_over"],
            "errors": summary["errors"],
            "with_dob": summary["with_dob"],
            "http": summary["http"],
            "not_modified": summary["cache"]["not_modified"],
        },
        check_results=[
            _check(
                "every_fighter_has_details",
                "fighter_details",
                ok,
                f"{sum(summary['per_letter'].values())} of {summary['fighters']} fighters have "
                f"details, {summary['errors']} error(s)",
            )
        ],
    )


@dg.asset(
    group_name="sherdog",
    kinds={"httpx", "json"},
    pool="sherdog",
    deps=[fighter_details],
    automation_condition=EAGER,
    description="Sherdog candidates of each fighter from Fight Finder, with a confidence 0-100 "
    "and the reasons behind it.",
    check_specs=[
        dg.AssetCheckSpec(
            "every_fighter_searched",
            asset="sherdog_matches",
            blocking=True,
            description="Every list fighter has an entry; search errors <= 5 %.",
        ),
    ],
    **COMMON,
)
def sherdog_matches(
    context: dg.AssetExecutionContext,
    pipeline: PipelineResource,
):
    settings = pipeline.settings()
    letters, skipped = _usable(context, settings)
    summary = sherdog_matches_step(settings, letters, log=context.log.info)
    listed = sum(len(settings.processed.require("fighters_list", x)["rows"]) for x in letters)
    ok = summary["fighters"] == listed and summary["errors"] <= 0.05 * max(listed, 1)
    yield dg.MaterializeResult(
        metadata={
            "skipped_letters": sorted(skipped),
            "dagster/row_count": summary["fighters"],
            "with_candidates": summary["with_candidates"],
            "errors": summary["errors"],
            "matched_now": summary["matched_now"],
            "carried_over": summary["carried_over"],
            "pages_fetched": summary["pages_fetched"],
            "pages_reused": summary["pages_reused"],
            "http": summary["http"],
            "preview": _md_table(summary["preview"]),
        },
        check_results=[
            _check(
                "every_fighter_searched",
                "sherdog_matches",
                ok,
                f"{summary['fighters']} of {listed} fighters searched, "
                f"{summary['errors']} error(s)",
            ),
        ],
    )


@dg.asset(
    group_name="sherdog",
    kinds={"rapidfuzz", "json"},
    deps=[sherdog_matches],
    automation_condition=EAGER,
    description="One Sherdog id per UFCStats fighter and vice versa: auto-verified at the "
    "threshold, the rest to the review queue; manual overrides win.",
    check_specs=[
        dg.AssetCheckSpec(
            "no_shared_sherdog_id",
            asset="verified_matches",
            blocking=True,
            description="No Sherdog id is verified for two UFCStats fighters "
            "(over every partition).",
        ),
    ],
    **COMMON,
)
def verified_matches(
    context: dg.AssetExecutionContext,
    pipeline: PipelineResource,
):
    settings = pipeline.settings()
    letters, skipped = _usable(context, settings)
    summary = verified_matches_step(settings, letters, log=context.log.info)
    yield dg.MaterializeResult(
        metadata={
            "skipped_letters": sorted(skipped),
            "dagster/row_count": summary["fighters"],
            "auto_verified": summary["auto_verified"],
            "override": summary["override"],
            "review": summary["review"],
            "unmatched": summary["unmatched"],
            "review_report": dg.MetadataValue.path(summary["review_report"]),
            "preview": _md_table(summary["preview"]),
        },
        check_results=[
            _check(
                "no_shared_sherdog_id",
                "verified_matches",
                summary["shared_sherdog_ids"] == 0,
                f"{summary['shared_sherdog_ids']} Sherdog id(s) verified for two fighters",
            ),
        ],
    )


@dg.asset(
    group_name="sherdog",
    kinds={"pillow", "jpeg"},
    pool="sherdog",
    deps=[verified_matches],
    automation_condition=EAGER,
    description="Profile image of each verified fighter, decoded and not the placeholder, at "
    "data/images/fighters/<ufcstats_id>.jpg; failures recorded with their reason.",
    check_specs=[
        dg.AssetCheckSpec(
            "saved_images_exist",
            asset="fighter_images",
            description="Every image recorded as saved is on disk.",
        ),
    ],
    **COMMON,
)
def fighter_images(
    context: dg.AssetExecutionContext,
    pipeline: PipelineResource,
):
    from pathlib import Path

    settings = pipeline.settings()
    letters, skipped = _usable(context, settings)
    summary = fighter_images_step(settings, letters, log=context.log.info)
    saved = [
        r
        for x in letters
        for r in settings.processed.require("fighter_images", x)["rows"]
        if r["status"] == "saved"
    ]
    missing = [r["ufcstats_id"] for r in saved if not Path(r["path"]).exists()]
    yield dg.MaterializeResult(
        metadata={
            "skipped_letters": sorted(skipped),
            "dagster/row_count": summary["saved"],
            "verified_fighters": summary["verified_fighters"],
            "failed": summary["failed"],
            "reused": summary["reused"],
            "failures_by_reason": summary["failures_by_reason"],
            "http": summary["http"],
            "failures": _md_table(
                [
                    {k: r.get(k) for k in ("ufcstats_id", "sherdog_id", "reason", "detail")}
                    for r in summary["failures"]
                ],
                limit=20,
            ),
            "images_dir": dg.MetadataValue.path(str(settings.images_dir)),
        },
        check_results=[
            _check(
                "saved_images_exist",
                "fighter_images",
                not missing,
                f"{len(missing)} saved image(s) missing on disk",
                missing=missing[:20],
            ),
        ],
    )


@dg.asset(
    group_name="warehouse",
    kinds={"sqlalchemy", "postgres", "sqlite"},
    deps=[fighter_images],
    automation_condition=EAGER,
    description="Fighters and their Sherdog fight histories in the warehouse (tables "
    "`fighters`, `fights`), upserted on natural keys: a re-run changes nothing.",
    check_specs=[
        dg.AssetCheckSpec(
            "unique_bouts",
            asset="fights",
            blocking=True,
            description="No bout twice (same event, date and pair of fighters).",
        ),
    ],
    **COMMON,
)
def fights(
    context: dg.AssetExecutionContext,
    pipeline: PipelineResource,
):
    settings = pipeline.settings()
    letters, skipped = _usable(context, settings)
    summary = fights_step(settings, letters, log=context.log.info)
    engine = make_engine(settings.warehouse_url)
    try:
        ensure_schema(engine)
        dupes, total = duplicate_bouts(engine)
    finally:
        engine.dispose()
    yield dg.MaterializeResult(
        metadata={
            "skipped_letters": sorted(skipped),
            "dagster/row_count": total,
            "fighters_loaded": summary["loaded_now"],
            "fighters_carried_over": summary["carried_over"],
            "verified_fighters": summary["verified_fighters"],
            "bout_rows_seen": summary["bout_rows_seen"],
            "fights_upsert": summary["fights_upsert"],
            "fighters_upsert": summary["fighters_upsert"],
            "quarantined": summary["quarantined"],
            "quarantine": _md_table(summary["quarantine_preview"], limit=20),
            "warehouse": redact_url(settings.warehouse_url),
        },
        check_results=[
            _check(
                "unique_bouts",
                "fights",
                dupes == 0,
                f"{dupes} bout(s) stored more than once out of {total}",
            ),
        ],
    )


def duplicate_bouts(engine: Any) -> tuple[int, int]:
    import sqlalchemy as sa

    from ufc_pipeline.warehouse.schema import fights as fights_table

    t = fights_table
    with engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
        grouped = (
            sa.select(t.c.event_name, t.c.date, t.c.fighter1_key, t.c.fighter2_key)
            .group_by(t.c.event_name, t.c.date, t.c.fighter1_key, t.c.fighter2_key)
            .having(sa.func.count() > 1)
        ).subquery()
        dupes = conn.execute(sa.select(sa.func.count()).select_from(grouped)).scalar_one()
    return int(dupes), int(total)


ASSETS = [fighters_list, fighter_details, sherdog_matches, verified_matches, fighter_images, fights]
