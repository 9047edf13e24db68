"""What a step keeps to answer a re-run that would find nothing to do without doing it.

A step records, in ``<processed>/<step>_state.json`` (``<step>_state.<letters>.json`` for a
run over some letters only, see :func:`state_path`), what its last run needed to give its
result again (counts, small tables) together with one digest of everything it read and wrote
(:func:`~ufc_pipeline.fileio.stamp_digest`). Its inputs are stamped *before* it reads
them, its outputs after it wrote them, so an input written while it ran makes the next run
work again. A later run whose files stamp the same takes the recorded result and reads
nothing else. A run that left something to try again (a failed page, a transient error)
records nothing, and a full refresh never takes the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ufc_pipeline.fileio import read_state, stamp_digest, write_state
from ufc_pipeline.processed import LETTERS
from ufc_pipeline.steps.fingerprint import letter_stamps
from ufc_pipeline.steps.settings import Settings


def state_path(settings: Settings, step: str, letters: Sequence[str]) -> Path:
    """Where ``step`` keeps the record of its last run over ``letters``: one file per set
    of letters, so runs over different ranges (a backfill of a..m, then n..z, then the
    daily a..z) each keep their own record instead of replacing one another's.
    ``<step>_state.json`` for every letter, ``<step>_state.<letters>.json`` otherwise."""
    key = "".join(sorted(set(letters)))
    name = f"{step}_state.json" if key == "".join(LETTERS) else f"{step}_state.{key}.json"
    return settings.processed.root / name


class LastRun:
    """The record of ``step``'s last run over ``letters``.

    ``reads``: the letter assets the step reads (their files of ``letters`` are stamped);
    ``extra``: anything else the result depends on, made JSON (other files' stamps, a
    :meth:`~ufc_pipeline.sources.raw_store.RawStore.kind_digest`, settings)."""

    def __init__(
        self,
        settings: Settings,
        step: str,
        letters: Sequence[str],
        *,
        reads: Sequence[str],
        extra: Any = None,
    ) -> None:
        self.settings = settings
        self.step = step
        self.letters = sorted(letters)
        self.path = state_path(settings, step, self.letters)
        self.inputs = [
            self.letters,
            *(letter_stamps(settings, asset, self.letters) for asset in reads),
            extra,
        ]

    def outputs(self, extra: Any = None) -> list[Any]:
        """Stamps of the step's own files of the letters (and of ``extra`` outputs)."""
        return [letter_stamps(self.settings, self.step, self.letters), extra]

    def recall(self, outputs: Any = None) -> dict[str, Any] | None:
        """What the last run recorded, when nothing it read or wrote changed since."""
        if self.settings.full_refresh:
            return None
        return read_state(self.path, stamp_digest(self.inputs, self.outputs(outputs)))

    def keep(self, payload: dict[str, Any], outputs: Any = None) -> None:
        """Record ``payload`` with the stamps of now (call once every output is written)."""
        write_state(self.path, stamp_digest(self.inputs, self.outputs(outputs)), payload)

    def forget(self) -> None:
        """The next run has work to do (something failed and is to be tried again)."""
        self.path.unlink(missing_ok=True)
