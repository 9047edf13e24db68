"""A re-run with nothing changed takes the last run's record (ufc_pipeline.steps.noop): the
same result as a run that reads every input and finds nothing to do, without reading them;
a changed input, or a picture gone, makes the step read them again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.steps.conftest import STEPS
from tests.steps.helpers import LETTERS, settings_for, verified_rows
from ufc_mirror.server import MirrorHandle
from ufc_pipeline.processed import LETTERS as ALL_LETTERS
from ufc_pipeline.processed import ProcessedStore
from ufc_pipeline.steps.noop import LastRun, state_path
from ufc_pipeline.steps.settings import Settings

RECORDED = ("ufc_com_athletes", "wikidata_fighters", "fighter_locations", "fighter_images")
# an input of each step, and the letter whose file is written again to change it
AN_INPUT = {
    "ufc_com_athletes": "fighters_list",
    "wikidata_fighters": "fighter_details",
    "fighter_locations": "wikidata_fighters",
    "fighter_images": "verified_matches",
}
# what a run that reads its inputs reports of that reading (a recalled run read nothing)
READING = {"pages_reused"}


def _meta(result: Any) -> dict[str, Any]:
    return {k: v for k, v in result.metadata().items() if k not in READING}


def _step(name: str) -> Callable[..., Any]:
    return dict(STEPS)[name]


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The processed outputs read from now on, by asset."""
    reads: list[str] = []
    real = ProcessedStore.read

    def counting(self: ProcessedStore, asset: str, letter: str) -> dict[str, Any] | None:
        reads.append(asset)
        return real(self, asset, letter)

    monkeypatch.setattr(ProcessedStore, "read", counting)
    return reads


def _computed(settings: Settings, name: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The step's result with its record ignored: every input read."""
    with monkeypatch.context() as m:
        m.setattr(LastRun, "recall", lambda self, outputs=None: None)
        return _step(name)(settings, LETTERS)


@pytest.mark.parametrize("name", RECORDED)
def test_a_recalled_result_is_the_computed_one(
    chain_copy: Settings, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    computed = _computed(chain_copy, name, monkeypatch)
    reads = _reads(monkeypatch)
    again = _step(name)(chain_copy, LETTERS)
    assert set(reads) <= {name}  # its own rows, nothing else
    assert _meta(again) == _meta(computed)
    assert again.checks() == computed.checks()
    assert again.rows == computed.rows
    # an input written again (same content, new file): every input is read again
    letter = LETTERS[0]
    store = chain_copy.processed
    data = store.require(AN_INPUT[name], letter)
    store.write(AN_INPUT[name], letter, data | {"again": 1})
    reads.clear()
    assert _meta(_step(name)(chain_copy, LETTERS)) == _meta(computed)
    assert AN_INPUT[name] in reads
    reads.clear()
    _step(name)(chain_copy, LETTERS)
    assert set(reads) <= {name}


def test_a_picture_gone_is_fetched_again(chain_copy: Settings) -> None:
    step = _step("fighter_images")
    step(chain_copy, LETTERS)
    saved = next(
        r
        for x in LETTERS
        for r in chain_copy.processed.require("fighter_images", x)["rows"]
        if r["status"] == "saved"
    )
    # emptied in place (a picture is written without fsync: what a power loss can leave)
    with open(saved["path"], "wb"):
        pass
    result = step(chain_copy, LETTERS)
    assert result.stats["processed_ids"] == [saved["ufcstats_id"]]
    row = next(r for r in result.rows if r["ufcstats_id"] == saved["ufcstats_id"])
    assert row["status"] == "saved"


def test_a_sherdog_page_stored_again_is_read_again(chain_copy: Settings) -> None:
    step = _step("fighter_locations")
    step(chain_copy, LETTERS)
    sid = int(verified_rows(chain_copy)[0]["sherdog_id"])
    raw = chain_copy.raw
    page = raw.get("sherdog", "fighter", str(sid))
    assert page is not None
    raw.put_page("sherdog", "fighter", str(sid), url=page.url, status=200, body=page.body + b" ")
    said: list[str] = []
    step(chain_copy, LETTERS, log=said.append)
    assert said[-1].endswith(", 1 reconciled now")  # that fighter's key changed
    step(chain_copy, LETTERS, log=said.append)
    assert said[-1].endswith(", 0 reconciled now (inputs unchanged)")


def test_the_run_after_a_first_run_takes_every_record(
    mirror: MirrorHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a step writes itself (pictures, the stored UFC.com list) is stamped after it
    ran: the first re-run after a run from empty already reads nothing."""
    settings = settings_for(mirror, tmp_path / "data", UFC_IMAGE_SOURCES="sherdog")
    for _, step in STEPS:
        step(settings, LETTERS)
    real = LastRun.recall
    taken: dict[str, bool] = {}

    def recall(self: LastRun, outputs: Any = None) -> dict[str, Any] | None:
        got = real(self, outputs)
        taken[self.step] = got is not None
        return got

    monkeypatch.setattr(LastRun, "recall", recall)
    for _, step in STEPS:
        step(settings, LETTERS)
    assert taken == dict.fromkeys(("fighter_details", "sherdog_matches", *RECORDED, "fights"), True)


@pytest.mark.parametrize(
    ("name", "table"), [("fighter_locations", "fighter_locations"), ("fighter_images", "images")]
)
def test_a_warehouse_that_lost_rows_gets_them_again(
    chain_copy: Settings, name: str, table: str
) -> None:
    """The rows of fighters whose inputs did not change are loaded again when the warehouse
    no longer holds them (emptied, re-created, or a load that never happened because the
    step was stopped after writing its output), on a no-op as on a run with work."""
    step = _step(name)
    step(chain_copy, LETTERS)
    before = _rows_without_times(chain_copy, table)
    assert before
    engine = sa.create_engine(chain_copy.warehouse_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DELETE FROM {table}"))
    finally:
        engine.dispose()
    step(chain_copy, LETTERS)
    assert _rows_without_times(chain_copy, table) == before
    step(chain_copy, LETTERS)  # and the record of that run is taken, rows still there
    assert _rows_without_times(chain_copy, table) == before


def _rows_without_times(settings: Settings, table: str) -> list[dict[str, Any]]:
    """A warehouse table's rows, without when they were loaded, in a stable order."""
    engine = sa.create_engine(settings.warehouse_url)
    try:
        with engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(sa.text(f"SELECT * FROM {table}"))]
    finally:
        engine.dispose()
    for r in rows:
        r.pop("loaded_at", None)
        r.pop("tried_at", None)
    return sorted(rows, key=lambda r: sorted((k, str(v)) for k, v in r.items()))


# the steps that keep a record, and what each reads on a recalled run (its own rows only)
WITH_RECORDS = (
    "fighter_details",
    "sherdog_matches",
    "verified_matches",
    "ufc_com_matches",
    *RECORDED,
)


@pytest.mark.parametrize("name", WITH_RECORDS)
def test_runs_over_other_letters_keep_their_own_records(
    chain_copy: Settings, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run over one range does not replace the record of a run over another (a backfill
    of a..m, then of n..z, then a..m again reads nothing the third time)."""
    first, second = [LETTERS[0]], [LETTERS[1]]
    step = _step(name)
    step(chain_copy, first)
    step(chain_copy, second)
    root = chain_copy.processed.root
    assert state_path(chain_copy, name, first) != state_path(chain_copy, name, second)
    assert state_path(chain_copy, name, first).exists()
    assert state_path(chain_copy, name, second).exists()
    every = list(ALL_LETTERS)  # a run over every letter keeps the plain name
    assert state_path(chain_copy, name, every) == root / f"{name}_state.json"
    reads = _reads(monkeypatch)
    again = step(chain_copy, first)
    assert set(reads) <= {name}, reads  # recalled: none of its inputs read
    assert set(again.metadata()) == set(step(chain_copy, first).metadata())
