"""Markup drift in one letter, and hostile input: clear reasons, nothing lost."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from tests.e2e.helpers import run_chain
from ufc_mirror.faults import FaultConfig
from ufc_mirror.server import start_mirror
from ufc_mirror.world import build_world
from ufc_pipeline.processed import LETTERS, ProcessedStore
from ufc_pipeline.warehouse.engine import make_engine
from ufc_pipeline.warehouse.schema import fighters, quarantine

pytestmark = pytest.mark.slow


def _snapshot(data_dir, letter):
    store = ProcessedStore(data_dir)
    return {
        a: json.dumps(store.read(a, letter), sort_keys=True)
        for a in (
            "fighters_list",
            "fighter_details",
            "sherdog_matches",
            "verified_matches",
            "fighter_images",
        )
    }


def _check(result, name):
    for e in result.all_events:
        if (
            e.event_type_value == "ASSET_CHECK_EVALUATION"
            and e.event_specific_data.check_name == name
        ):
            return e.event_specific_data
    raise AssertionError(f"check {name} not evaluated")


def test_drift_in_one_letter_keeps_its_data_and_the_others_complete(tmp_path):
    world = build_world(seed=11, fighters=120)
    with start_mirror(world) as clean:
        assert run_chain(clean, tmp_path).success
    store = ProcessedStore(tmp_path)
    letter = max(LETTERS, key=lambda x: len((store.read("fighters_list", x) or {}).get("rows", [])))
    before = _snapshot(tmp_path, letter)
    other = next(x for x in LETTERS if x != letter and store.read("fighters_list", x))
    with start_mirror(world, faults=FaultConfig(drift_letter=letter)) as drifted:
        result = run_chain(drifted, tmp_path)
    assert result.success
    check = _check(result, "selectors_match")
    assert not check.passed
    text = check.description or ""
    assert f"letter {letter}" in text
    assert f"char={letter}" in text and "b-statistics__table" in text
    assert _snapshot(tmp_path, letter) == before
    # the other letters were read this run (their pages unchanged, their outputs kept)
    per_letter = next(
        e.event_specific_data.materialization.metadata["rows_per_letter"].value
        for e in result.all_events
        if e.event_type_value == "ASSET_MATERIALIZATION"
        and e.event_specific_data.materialization.asset_key.to_user_string() == "fighters_list"
    )
    assert letter not in per_letter
    assert per_letter[other] == len(store.read("fighters_list", other)["rows"]) > 0
    status = json.loads((tmp_path / "processed" / "list_status.json").read_text())
    assert status[letter]["ok"] is False and status[other]["ok"] is True


def test_hostile_input_is_quarantined_with_reasons(tmp_path):
    world = build_world(seed=11, fighters=120, bad_input=True, huge_page_mb=6)
    with start_mirror(world) as mirror:
        result = run_chain(mirror, tmp_path)
    assert result.success
    engine = make_engine(f"sqlite:///{tmp_path / 'warehouse.sqlite'}")
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(sa.select(quarantine))]
        names = set(conn.execute(sa.select(fighters.c.name)).scalars())
        tables = set(sa.inspect(engine).get_table_names())
    engine.dispose()
    assert "fights" in tables  # the SQL-like name dropped nothing
    reasons = {(r["kind"], r["reason"]) for r in rows}
    huge = world.bad["huge_fighter"]
    assert any(r["subject"] == f"ufcstats:{huge}" and "larger than" in r["detail"] for r in rows), (
        rows
    )
    bomb = world.bad["bomb_fighter"]
    assert any(
        r["subject"] == f"ufcstats:{bomb}" and r["reason"] == "decompression_bomb" for r in rows
    ), reasons
    assert names  # the fighters still loaded
    # nothing was written outside the data directory
    images = list((tmp_path / "images" / "fighters").glob("*"))
    assert all(p.suffix == ".jpg" for p in images)
