"""fights_step: fighters and their Sherdog fight histories into the SQLite warehouse."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import sqlalchemy as sa

from tests.steps.helpers import (
    LETTERS,
    Truth,
    checks_by_name,
    requests_since,
    table_rows,
    verified_rows,
    write_overrides,
)
from ufc_mirror.server import MirrorHandle
from ufc_pipeline.steps.fights import FightsResult, fights_step
from ufc_pipeline.steps.matching import verified_matches_step
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.warehouse.schema import fighters, fights, quarantine

FIGHTS_KEYS = {
    "dagster/row_count",
    "fighters_loaded",
    "fighters_carried_over",
    "verified_fighters",
    "bout_rows_seen",
    "fights_upsert",
    "fighters_upsert",
    "quarantined",
    "quarantine",
    "warehouse",
}


def _images(settings: Settings) -> dict[str, dict[str, Any]]:
    return {
        r["ufcstats_id"]: r
        for x in LETTERS
        for r in settings.processed.require("fighter_images", x)["rows"]
    }


def test_first_run_loads_fighters_and_each_bout_once(chain: Any, truth: Truth) -> None:
    result: FightsResult = chain.first["fights"]
    md = result.metadata()
    assert FIGHTS_KEYS <= set(md)
    ids = truth.all_listed_ids()
    verified = {r["ufcstats_id"]: int(r["sherdog_id"]) for r in verified_rows(chain.settings)}
    sids = sorted(verified.values())
    bouts = truth.bouts(sids)
    seen = sum(truth.fight_rows(s) for s in sids)
    assert (md["fighters_loaded"], md["fighters_carried_over"]) == (len(ids), 0)
    assert md["verified_fighters"] == len(verified)
    assert md["bout_rows_seen"] == seen
    assert md["dagster/row_count"] == len(bouts)
    assert md["fights_upsert"] == {"inserted": len(bouts), "updated": 0, "unchanged": 0}
    assert md["fighters_upsert"] == {"inserted": len(ids), "updated": 0, "unchanged": 0}
    assert md["warehouse"] == chain.settings.warehouse_url
    assert chain.first_requests["fights"] == {}  # every verified page is already stored

    images = _images(chain.settings)
    rejected = {
        fid: r["reason"]
        for fid, r in images.items()
        if r["status"] != "saved" and r["reason"] != "placeholder"
    }
    assert md["quarantined"] == len(rejected)
    assert {(q["kind"], q["subject"], q["reason"]) for q in md["quarantine"].rows} == {
        ("image", f"ufcstats:{fid}", reason) for fid, reason in rejected.items()
    }
    stored_q = table_rows(chain.settings, quarantine)
    assert {(q["kind"], q["subject"], q["reason"]) for q in stored_q} == {
        ("image", f"ufcstats:{fid}", reason) for fid, reason in rejected.items()
    }


def test_fighters_table_holds_every_listed_fighter(chain: Any, truth: Truth) -> None:
    rows = {r["ufcstats_id"]: r for r in table_rows(chain.settings, fighters)}
    ids = truth.all_listed_ids()
    assert set(rows) == ids
    letters = {fid: x for x in LETTERS for fid in truth.listed_ids(x)}
    images = _images(chain.settings)
    verified = {r["ufcstats_id"]: int(r["sherdog_id"]) for r in verified_rows(chain.settings)}
    got = {
        fid: (r["letter"], r["name"], r["sherdog_id"], r["sherdog_name"], r["match_source"])
        for fid, r in rows.items()
    }
    assert got == {
        fid: (
            letters[fid],
            truth.name(fid),
            verified[fid],
            truth.sherdog_name(verified[fid]),
            "auto",
        )
        for fid in ids
    }
    assert {fid: r["image_path"] for fid, r in rows.items()} == {
        fid: f"images/fighters/{fid}.jpg" if images[fid]["status"] == "saved" else None
        for fid in ids
    }


def test_fights_table_has_each_bout_once_per_person(chain: Any, truth: Truth) -> None:
    rows = table_rows(chain.settings, fights)
    verified = sorted(int(r["sherdog_id"]) for r in verified_rows(chain.settings))
    assert len(rows) == len(truth.bouts(verified))
    assert len({r["bout_key"] for r in rows}) == len(rows)
    per_person = Counter(
        sid for r in rows for sid in (r["fighter1_sherdog_id"], r["fighter2_sherdog_id"])
    )
    assert {sid: per_person[sid] for sid in verified} == {
        sid: len(truth.bouts([sid])) for sid in verified
    }
    for r in rows:
        assert r["fighter1_key"] < r["fighter2_key"]
        assert r["winner_key"] in (None, r["fighter1_key"], r["fighter2_key"])


def test_clean_world_passes_the_check(chain: Any) -> None:
    for run in (chain.first, chain.second):
        check = checks_by_name(run["fights"])["unique_bouts"]
        assert check.passed, check.description


def test_second_run_loads_nothing_and_changes_nothing(chain: Any, truth: Truth) -> None:
    first, second = chain.first["fights"].metadata(), chain.second["fights"].metadata()
    n = len(truth.all_listed_ids())
    assert (second["fighters_loaded"], second["fighters_carried_over"]) == (0, n)
    assert second["bout_rows_seen"] == 0
    zero = {"inserted": 0, "updated": 0, "unchanged": 0}
    assert (second["fights_upsert"], second["fighters_upsert"]) == (zero, zero)
    assert second["dagster/row_count"] == first["dagster/row_count"]
    assert chain.second_requests["fights"] == {}


def test_duplicated_bout_fails_the_check(chain_copy: Settings) -> None:
    """The same bout stored under a second key (e.g. one page without the event link)."""
    engine = sa.create_engine(chain_copy.warehouse_url)
    try:
        with engine.begin() as conn:
            row = dict(conn.execute(sa.select(fights).limit(1)).one()._mapping)
            row["bout_key"] = "0" * 40
            row["event_id"] = None
            conn.execute(sa.insert(fights).values(**row))
    finally:
        engine.dispose()
    result = fights_step(chain_copy, LETTERS)
    check = checks_by_name(result)["unique_bouts"]
    assert not check.passed
    total = len(table_rows(chain_copy, fights))
    assert check.description == f"1 bout(s) stored more than once out of {total}"
    assert result.metadata()["dagster/row_count"] == total


def test_a_changed_match_reloads_that_fighter_alone(
    chain_copy: Settings, mirror: MirrorHandle, truth: Truth
) -> None:
    fights_step(chain_copy, LETTERS)  # the copy's warehouse URL differs: load it once
    again = fights_step(chain_copy, LETTERS)
    assert again.loaded_now == 0
    right = {fid: truth.sherdog_id(fid) for fid in truth.all_listed_ids()}
    fid, sid = next(
        (e["ufcstats_id"], int(c["sherdog_id"]))
        for x in LETTERS
        for e in chain_copy.processed.require("sherdog_matches", x)["fighters"]
        for c in e["candidates"]
        if int(c["sherdog_id"]) not in right.values()
    )
    write_overrides(chain_copy.overrides_path, [(fid, sid, "approve")])
    verified_matches_step(chain_copy, LETTERS)
    before = mirror.stats()
    result = fights_step(chain_copy, LETTERS)
    md = result.metadata()
    n = len(right)
    assert (md["fighters_loaded"], md["fighters_carried_over"]) == (1, n - 1)
    assert md["fighters_upsert"] == {"inserted": 0, "updated": 1, "unchanged": 0}
    assert md["bout_rows_seen"] == truth.fight_rows(sid)
    assert set(requests_since(mirror, before)) <= {"sherdog_fighter"}
    row = next(r for r in table_rows(chain_copy, fighters) if r["ufcstats_id"] == fid)
    assert (row["sherdog_id"], row["match_source"]) == (sid, "override")
    assert checks_by_name(result)["unique_bouts"].passed


def test_an_upstream_error_recorded_later_is_quarantined(chain_copy: Settings) -> None:
    """Errors of earlier steps are remembered per output file; a rewritten file is read."""
    fights_step(chain_copy, LETTERS)
    letter = LETTERS[0]
    details = chain_copy.processed.require("fighter_details", letter)
    fid = sorted(details["fighters"])[0]
    details["fighters"][fid]["error"] = "HTTP 500 on the fighter page"
    chain_copy.processed.write("fighter_details", letter, details)
    fights_step(chain_copy, LETTERS)
    rows = [r for r in table_rows(chain_copy, quarantine) if r["kind"] == "ufcstats_page"]
    assert [(r["subject"], r["detail"]) for r in rows] == [
        (f"ufcstats:{fid}", "HTTP 500 on the fighter page")
    ]


def test_unchanged_inputs_read_nothing(
    chain_copy: Settings, truth: Truth, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-run with nothing changed gives the result a run with nothing to load gives,
    from the last run's record; a changed Sherdog page or warehouse is read again."""
    from ufc_pipeline.steps import fights as fights_module

    fights_step(chain_copy, LETTERS)  # the copy's warehouse URL differs: load it once
    recalled = fights_module._recalled
    monkeypatch.setattr(fights_module, "_recalled", lambda *a: None)
    computed = fights_step(chain_copy, LETTERS)  # reads every input, loads nothing
    assert computed.loaded_now == 0
    monkeypatch.setattr(fights_module, "_recalled", recalled)
    reads: list[int] = []
    real = fights_module._read_inputs

    def counting(settings: Settings, letters: Any) -> Any:
        reads.append(1)
        return real(settings, letters)

    monkeypatch.setattr(fights_module, "_read_inputs", counting)
    again = fights_step(chain_copy, LETTERS)
    assert reads == []
    assert again == computed
    assert again.metadata() == computed.metadata()
    assert again.checks() == computed.checks()
    # a verified fighter's Sherdog page is stored again with another body: read again
    sid = int(verified_rows(chain_copy, LETTERS[0])[0]["sherdog_id"])
    raw = chain_copy.raw
    page = raw.get("sherdog", "fighter", str(sid))
    assert page is not None
    raw.put_page(
        "sherdog", "fighter", str(sid), url=page.url, status=200, body=page.body + b"\n<!-- -->"
    )
    assert fights_step(chain_copy, LETTERS).loaded_now == 1
    assert reads == [1]
    fights_step(chain_copy, LETTERS)
    assert reads == [1]
    # the warehouse lost a row since: the record is not trusted
    engine = sa.create_engine(chain_copy.warehouse_url)
    try:
        with engine.begin() as conn:
            key = conn.execute(sa.select(fights.c.bout_key).limit(1)).scalar_one()
            conn.execute(sa.delete(fights).where(fights.c.bout_key == key))
    finally:
        engine.dispose()
    assert fights_step(chain_copy, LETTERS).fights_rows == len(table_rows(chain_copy, fights))
    assert reads == [1, 1]


def test_a_warehouse_that_lost_a_letter_gets_it_again(chain_copy: Settings, truth: Truth) -> None:
    """A warehouse emptied or re-created at the same URL is loaded again, not trusted to
    hold what the state files say was loaded."""
    first = fights_step(chain_copy, LETTERS)  # the copy's warehouse URL differs: load it once
    before = {r["ufcstats_id"]: r for r in table_rows(chain_copy, fighters)}
    lost = sorted(f for f, r in before.items() if r["letter"] == "k")
    assert lost
    engine = sa.create_engine(chain_copy.warehouse_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.delete(fights))
            conn.execute(sa.delete(fighters).where(fighters.c.letter == "k"))
    finally:
        engine.dispose()
    said: list[str] = []
    again = fights_step(chain_copy, LETTERS, log=said.append)
    assert again.loaded_now == len(lost)
    assert any("letter 'k'" in line and "loading that letter again" in line for line in said)
    assert {r["ufcstats_id"]: r for r in table_rows(chain_copy, fighters)} == before
    # the bouts of k's verified fighters are back (those of m's went with the table)
    k_sherdog = {int(r["sherdog_id"]) for r in verified_rows(chain_copy, ["k"])}
    rows = table_rows(chain_copy, fights)
    assert rows and all(
        r["fighter1_sherdog_id"] in k_sherdog or r["fighter2_sherdog_id"] in k_sherdog for r in rows
    )
    assert first.fights_rows >= len(rows)
