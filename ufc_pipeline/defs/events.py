"""Events assets: the UFCStats completed-events list and the fight cards, by event month."""

import dagster as dg

from ufc_pipeline.defs.assets import FRESHNESS, _check, _md_table
from ufc_pipeline.defs.resources import PipelineResource
from ufc_pipeline.steps.events import events_list_step, fight_cards_step

months_partitions = dg.MonthlyPartitionsDefinition(start_date="1993-11-01", end_offset=1)


def month_of(partition_key: str) -> str:
    return partition_key[:7]


@dg.asset(
    group_name="events",
    kinds={"httpx", "json"},
    pool="ufcstats",
    freshness_policy=FRESHNESS,
    owners=["team:ufc-pokedex"],
    description="The UFCStats completed-events list (and the next upcoming event), in the "
    "`events` table. One conditional request per run.",
    check_specs=[
        dg.AssetCheckSpec(
            "events_parsed",
            asset="ufcstats_events",
            blocking=True,
            description="The list parsed to at least one completed event, each with an id "
            "and a date.",
        )
    ],
)
def ufcstats_events(
    context: dg.AssetExecutionContext,
    pipeline: PipelineResource,
):
    settings = pipeline.settings()
    summary = events_list_step(settings)
    yield dg.MaterializeResult(
        metadata={
            "dagster/row_count": summary["events"],
            "completed": summary["completed"],
            "newest": summary["newest"],
            "new_events": summary["new"][:50],
            "changed_events": summary["changed"][:50],
            "not_modified": summary["cache"]["not_modified"],
        },
        check_results=[
            _check(
                "events_parsed",
                "ufcstats_events",
                summary["completed"] > 0,
                f"{summary['completed']} completed events",
            )
        ],
    )


@dg.asset(
    group_name="events",
    kinds={"httpx", "sqlalchemy"},
    pool="ufcstats",
    deps=[ufcstats_events],
    partitions_def=months_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    freshness_policy=FRESHNESS,
    owners=["team:ufc-pokedex"],
    description="Each event's fight card (bouts, winner, method, round, time, weight class, "
    "title and bonus flags) in the `ufc_bouts` table, by event month. Cards of events "
    "younger than 14 days are re-checked on every run, so fights published late land.",
    check_specs=[
        dg.AssetCheckSpec(
            "cards_fetched",
            asset="fight_cards",
            blocking=True,
            description="Every event of the months has its card (errors <= 5 %).",
        )
    ],
)
def fight_cards(
    context: dg.AssetExecutionContext,
    pipeline: PipelineResource,
):
    settings = pipeline.settings()
    months = sorted({month_of(k) for k in context.partition_keys})
    summary = fight_cards_step(settings, months, log=context.log.info)
    yield dg.MaterializeResult(
        metadata={
            "dagster/row_count": summary["bouts"],
            "events": summary["events"],
            "cards_read": summary["cards"],
            "new_bouts": summary["new_bouts"][:50],
            "errors": _md_table([{"event": k, "error": v} for k, v in summary["errors"].items()]),
            "fetched": summary["cache"]["fetched"],
            "not_modified": summary["cache"]["not_modified"],
        },
        check_results=[
            _check(
                "cards_fetched",
                "fight_cards",
                not summary["errors"] or len(summary["errors"]) <= 0.05 * max(summary["events"], 1),
                f"{summary['cards']} of {summary['events']} cards read",
            )
        ],
    )


EVENT_ASSETS = [ufcstats_events, fight_cards]
