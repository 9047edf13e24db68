"""What a step reports: plain metadata values, preview tables, files to open, check outcomes.

Steps return a typed result (a dataclass per step) with ``metadata()`` and ``checks()``;
the Dagster layer turns :class:`Table` into a table with a schema, :class:`FileRef` into a
path and :class:`CheckOutcome` into an asset check result. Nothing here imports Dagster.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Table:
    """A preview table: ``columns`` in order, one mapping per row (extra keys ignored)."""

    columns: tuple[str, ...]
    rows: tuple[Mapping[str, Any], ...]

    @classmethod
    def of(
        cls, rows: Iterable[Mapping[str, Any]], columns: Sequence[str], limit: int = 10
    ) -> Table:
        return cls(tuple(columns), tuple(list(rows)[:limit]))


@dataclass(frozen=True)
class FileRef:
    """A file or folder worth opening (the review report, the images folder)."""

    path: str


@dataclass(frozen=True)
class CheckOutcome:
    """One asset check's verdict, with the reason in words and the evidence."""

    name: str
    passed: bool
    description: str
    details: dict[str, Any] = field(default_factory=dict)


class StepResult(Protocol):
    def metadata(self) -> dict[str, Any]: ...

    def checks(self) -> list[CheckOutcome]: ...


def within_error_budget(errors: int, total: int, fraction: float = 0.05) -> bool:
    """At most ``fraction`` of ``total`` failed (an empty run is within budget)."""
    return errors <= fraction * max(total, 1)
