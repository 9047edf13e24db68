"""Progress of a long step: a log line every ~10 % and, for a terminal, a progress file.

A step that works through many fighters creates a :class:`Progress` with the number of
items and its ``log`` callable, and calls :meth:`Progress.advance` after each item::

    progress = Progress("fighter_details", len(work), log, unit="fighter pages")
    ...
    progress.advance()

``log`` gets ``fighter_details: 1,160/3,862 fighter pages (30 %), 41.2/s, ETA 1m06s`` at
each tenth of the work, at most one line a second (each is an event in the run's log, a
write to the instance's storage), and always at the end. When ``UFC_PROGRESS_FILE`` is
set, the same figures are also kept in that JSON file (replaced atomically, at most every
0.2 s, and once at the end) for a terminal to draw a progress bar from; ``make demo`` sets
it. Nothing here imports Dagster.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ufc_pipeline.fileio import atomic_write

WRITE_EVERY_S = 0.2
#: the shortest time between two log lines (the last line is always logged)
LOG_EVERY_S = 1.0


def progress_file() -> Path | None:
    """The file named by ``UFC_PROGRESS_FILE``, or None (no file)."""
    from ufc_pipeline.settings import env_value  # the settings import the steps' modules

    value = env_value("UFC_PROGRESS_FILE")
    return Path(value) if value else None


def format_duration(seconds: float) -> str:
    """``42s``, ``3m07s``, ``1h02m``."""
    s = max(0, int(round(seconds)))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


class Progress:
    """Count, rate and ETA of ``total`` items of one step."""

    def __init__(
        self,
        step: str,
        total: int,
        log: Callable[[str], None],
        *,
        unit: str = "items",
        path: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.step, self.total, self.unit = step, max(0, total), unit
        self.log, self.clock = log, clock
        self.path = path or progress_file()
        self.done = 0
        self.started = clock()
        self._next_tenth = 1
        self._logged = self.started
        self._written = float("-inf")
        self._write()

    @property
    def rate(self) -> float:
        """Items per second so far."""
        elapsed = self.clock() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    @property
    def eta_s(self) -> float | None:
        """Seconds left at the rate so far (None before the first item)."""
        rate = self.rate
        return (self.total - self.done) / rate if rate > 0 else None

    def line(self) -> str:
        pct = 100 * self.done // self.total if self.total else 100
        eta = self.eta_s
        return (
            f"{self.step}: {self.done:,}/{self.total:,} {self.unit} ({pct} %), "
            f"{self.rate:.1f}/s, ETA {format_duration(eta) if eta is not None else '?'}"
        )

    def advance(self, n: int = 1) -> None:
        self.done += n
        crossed = False
        while self._next_tenth <= 10 and self.done * 10 >= self._next_tenth * self.total:
            self._next_tenth += 1
            crossed = True
        finished = self.done >= self.total
        if crossed and (finished or self.clock() - self._logged >= LOG_EVERY_S):
            self._logged = self.clock()
            self.log(self.line())
        if finished or self.clock() - self._written >= WRITE_EVERY_S:
            self._write()

    def snapshot(self) -> dict[str, Any]:
        eta = self.eta_s
        return {
            "step": self.step,
            "unit": self.unit,
            "done": self.done,
            "total": self.total,
            "rate": round(self.rate, 2),
            "eta_s": round(eta, 1) if eta is not None else None,
            "elapsed_s": round(self.clock() - self.started, 1),
            "updated": time.time(),
        }

    def _write(self) -> None:
        if self.path is None:
            return
        self._written = self.clock()
        try:
            atomic_write(self.path, json.dumps(self.snapshot()).encode(), durable=False)
        except OSError:
            self.path = None  # a terminal nicety: never fail a step over it


def read_progress(path: Path) -> dict[str, Any] | None:
    """The last snapshot in a progress file, or None when there is none (yet)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
