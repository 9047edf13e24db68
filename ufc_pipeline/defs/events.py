"""Events assets: the UFCStats completed-events list, the fight cards and the fight
statistics, by event month."""

import dagster as dg

from ufc_pipeline.defs.common import FRESHNESS, OWNERS, checks
from ufc_pipeline.defs.materialize import materialize
from ufc_pipeline.defs.resources import PipelineResource
from ufc_pipeline.steps.events import events_list_step, fight_cards_step
from ufc_pipeline.steps.fight_stats import fight_stats_step
from ufc_pipeline.steps.report import measure

months_partitions = dg.MonthlyPartitionsDefinition(start_date="1993-11-01", end_offset=1)


def month_of(partition_key: str) -> str:
    return partition_key[:7]


@dg.asset(
    group_name="events",
    kinds={"httpx", "json"},
    pool="ufcstats",
    freshness_policy=FRESHNESS,
    owners=OWNERS,
    description="The UFCStats completed-events list (and the next upcoming event), in the "
    "`events` table. One conditional request per run.",
    check_specs=checks(
        "ufcstats_events",
        (
            "events_parsed",
            True,
            "The list parsed to at least one completed event, each with an id and a date.",
        ),
    ),
)
def ufcstats_events(
    context: dg.AssetExecutionContext,
    pipeline: PipelineResource,
):
    with measure() as cost:
        result = events_list_step(pipeline.settings())
    return materialize("ufcstats_events", result, cost=cost)


@dg.asset(
    group_name="events",
    kinds={"httpx", "sqlalchemy"},
    pool="ufcstats",
    deps=[ufcstats_events],
    partitions_def=months_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    freshness_policy=FRESHNESS,
    owners=OWNERS,
    description="Each event's fight card (bouts, winner, method, round, time, weight class, "
    "title and bonus flags) in the `ufc_bouts` table, by event month. Cards of events "
    "younger than 14 days are re-checked on every run, so fights published late land.",
    check_specs=checks(
        "fight_cards",
        ("cards_fetched", True, "Every event of the months has its card (errors <= 5 %)."),
    ),
)
def fight_cards(
    context: dg.AssetExecutionContext,
    pipeline: PipelineResource,
):
    months = sorted({month_of(k) for k in context.partition_keys})
    with measure() as cost:
        result = fight_cards_step(pipeline.settings(), months, log=context.log.info)
    return materialize("fight_cards", result, cost=cost)


@dg.asset(
    group_name="events",
    kinds={"httpx", "sqlalchemy"},
    pool="ufcstats",
    deps=[fight_cards],
    partitions_def=months_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    freshness_policy=FRESHNESS,
    owners=OWNERS,
    description="Each completed bout's UFCStats fight page: totals and per-round statistics "
    "per fighter (`fight_stats`, `fight_stats_rounds`) and the bout's details "
    "(`fight_details`), by event month. A page read once with its statistics is never "
    "fetched again; a page without them yet stays pending and is re-checked "
    "(conditional request) until they appear or UFC_STATS_PENDING_DAYS have passed.",
    check_specs=checks(
        "fight_stats",
        (
            "totals_equal_rounds",
            True,
            "Every loaded fight's totals equal the sum of its rounds (each count, each fighter).",
        ),
        (
            "stats_complete",
            False,
            "Every bout of the months has its statistics loaded; lists the pending fights "
            "by event (an event with a bout not loaded is not complete).",
        ),
    ),
)
def fight_stats(
    context: dg.AssetExecutionContext,
    pipeline: PipelineResource,
):
    months = sorted({month_of(k) for k in context.partition_keys})
    with measure() as cost:
        result = fight_stats_step(pipeline.settings(), months, log=context.log.info)
    return materialize("fight_stats", result, cost=cost)


EVENT_ASSETS = [ufcstats_events, fight_cards, fight_stats]
