"""From a step's typed result to Dagster: metadata values, preview tables, check results.

Every asset body is ``settings -> letters -> step -> materialize``; this module is the one
place that turns the core's :class:`~ufc_pipeline.steps.report.Table`,
:class:`~ufc_pipeline.steps.report.FileRef`, :class:`~ufc_pipeline.steps.report.Markdown`
(charts and contact sheets as ``data:`` URI images, which the UI renders in the entry's
"Show Markdown" view) and :class:`~ufc_pipeline.steps.report.CheckOutcome` into their
Dagster forms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import dagster as dg

from ufc_pipeline.defs.resources import PipelineResource
from ufc_pipeline.steps.report import (
    CheckOutcome,
    FileRef,
    Markdown,
    StepCost,
    StepResult,
    Table,
    measure,
)
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.steps.ufcstats import usable_letters

_SCALARS = (str, int, float, bool)


def _cell(value: Any) -> str | int | float | bool | None:
    return value if value is None or isinstance(value, _SCALARS) else str(value)


def _column_type(values: list[Any]) -> str:
    kinds = {type(v) for v in values if v is not None}
    if kinds and kinds <= {int, bool}:
        return "int"
    if kinds and kinds <= {int, float}:
        return "float"
    return "string"


def table_value(table: Table) -> dg.MetadataValue:
    """A preview table with its schema (column types from the values)."""
    schema = dg.TableSchema(
        columns=[
            dg.TableColumn(c, _column_type([r.get(c) for r in table.rows])) for c in table.columns
        ]
    )
    records = [dg.TableRecord({c: _cell(r.get(c)) for c in table.columns}) for r in table.rows]
    return dg.MetadataValue.table(records=records, schema=schema)


def metadata_value(value: Any) -> Any:
    if isinstance(value, Table):
        return table_value(value)
    if isinstance(value, FileRef):
        return dg.MetadataValue.path(value.path)
    if isinstance(value, Markdown):
        return dg.MetadataValue.md(value.text)
    return value


_SEVERITY = {"error": dg.AssetCheckSeverity.ERROR, "warn": dg.AssetCheckSeverity.WARN}


def check_result(asset: str, outcome: CheckOutcome) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        check_name=outcome.name,
        asset_key=asset,
        passed=bool(outcome.passed),
        severity=(
            dg.AssetCheckSeverity.WARN
            if outcome.severity == "warn"
            else dg.AssetCheckSeverity.ERROR
        ),
        description=outcome.description,
        metadata=outcome.details,
    )


def materialize(
    asset: str,
    result: StepResult,
    skipped: Sequence[str] | None = None,
    cost: StepCost | None = None,
) -> dg.MaterializeResult:
    metadata = {k: metadata_value(v) for k, v in result.metadata().items()}
    if skipped is not None:
        metadata["skipped_letters"] = sorted(skipped)
    if cost is not None:
        metadata.update(cost.metadata())
    return dg.MaterializeResult(
        metadata=metadata,
        check_results=[check_result(asset, c) for c in result.checks()],
    )


LetterStep = Callable[..., StepResult]


def usable(context: dg.AssetExecutionContext, settings: Settings) -> tuple[list[str], list[str]]:
    """The run's letters whose list read was good; the others keep their previous data."""
    letters, skipped = usable_letters(settings, context.partition_keys)
    for letter, why in skipped.items():
        context.log.warning(f"letter {letter} skipped, previous data kept: {why}")
    if not letters:
        raise RuntimeError(
            "no letter of this run has a usable fighters list: "
            + "; ".join(f"{k}: {v}" for k, v in skipped.items())
        )
    return letters, sorted(skipped)


def run_letters(
    context: dg.AssetExecutionContext, pipeline: PipelineResource, step: LetterStep
) -> dg.MaterializeResult:
    """The body of a letter asset downstream of the list: its usable letters through
    ``step``, the result as metadata and check results."""
    settings = pipeline.settings()
    letters, skipped = usable(context, settings)
    with measure() as cost:
        result = step(settings, letters, log=context.log.info)
    return materialize(context.asset_key.to_user_string(), result, skipped, cost)
