"""What a step reports: plain metadata values, preview tables, files to open, pictures,
check outcomes.

Steps return a typed result (a dataclass per step) with ``metadata()`` and ``checks()``;
the Dagster layer turns :class:`Table` into a table with a schema, :class:`FileRef` into a
path, :class:`Markdown` into markdown (its pictures embedded) and :class:`CheckOutcome` into
an asset check result. Nothing here imports Dagster.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
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
class Markdown:
    """Markdown text for the UI, with its pictures embedded as ``data:`` URIs (see
    :mod:`ufc_pipeline.steps.charts`): the UI runs in a browser that cannot open files on
    the machine that ran the step, so a picture must travel inside the text."""

    text: str


@dataclass(frozen=True)
class CheckOutcome:
    """One asset check's verdict, with the reason in words and the evidence."""

    name: str
    passed: bool
    description: str
    details: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"  # "warn" for a check whose failure is expected to heal


class StepResult(Protocol):
    def metadata(self) -> dict[str, Any]: ...

    def checks(self) -> list[CheckOutcome]: ...


def within_error_budget(errors: int, total: int, fraction: float = 0.05) -> bool:
    """At most ``fraction`` of ``total`` failed (an empty run is within budget)."""
    return errors <= fraction * max(total, 1)


@dataclass
class StepCost:
    """What a step cost: wall and CPU seconds (this process and the subprocesses it ran,
    such as the crawl), and the peak resident memory of the process so far."""

    wall_s: float = 0.0
    cpu_s: float = 0.0
    peak_rss_mb: float = 0.0

    def metadata(self) -> dict[str, Any]:
        return {
            "wall_s": round(self.wall_s, 3),
            "cpu_s": round(self.cpu_s, 3),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
        }


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


@contextmanager
def measure() -> Iterator[StepCost]:
    """``with measure() as cost: ...`` fills ``cost`` when the block ends."""
    cost = StepCost()
    wall0, cpu0 = time.perf_counter(), _cpu()
    try:
        yield cost
    finally:
        cost.wall_s = time.perf_counter() - wall0
        cost.cpu_s = _cpu() - cpu0
        cost.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
