"""fighter_details_step: UFCStats fighter pages, fetched only for changed fighters."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.steps.helpers import (
    LETTERS,
    Truth,
    checks_by_name,
    read_json,
    requests_since,
    settings_for,
    with_changes,
    write_json,
)
from ufc_mirror.server import MirrorHandle
from ufc_pipeline.steps import details as details_module
from ufc_pipeline.steps.details import DetailsResult, DetailsStepError, fighter_details_step
from ufc_pipeline.steps.fingerprint import fingerprints
from ufc_pipeline.steps.settings import Settings

DETAILS_KEYS = {
    "dagster/row_count",
    "fetched",
    "carried_over",
    "errors",
    "with_dob",
    "http",
    "not_modified",
}


def _mark_stale(settings: Settings, letter: str) -> str:
    """Make the first fighter of ``letter`` look changed since his details were fetched."""
    path = settings.processed.path("fighter_details", letter)
    data = read_json(path)
    fid = sorted(data["fighters"])[0]
    data["fighters"][fid]["fingerprint"] = "stale"
    write_json(path, data)
    return fid


def test_first_run_fetches_every_fighter_page(chain: Any, truth: Truth) -> None:
    result: DetailsResult = chain.first["fighter_details"]
    md = result.metadata()
    assert DETAILS_KEYS <= set(md)
    ids = truth.all_listed_ids()
    n = len(ids)
    with_dob = sum(1 for fid in ids if truth.dob(fid))
    assert (md["dagster/row_count"], md["fetched"], md["carried_over"]) == (n, n, 0)
    assert (md["errors"], md["not_modified"], md["with_dob"]) == (0, 0, with_dob)
    assert md["http"]["requests"]["fighter"] == n
    assert chain.first_requests["fighter_details"] == {"ufcstats_fighter": n}
    for letter in LETTERS:
        stored = json.loads(chain.processed_after_first[f"fighter_details/{letter}.json"])
        assert stored["letter"] == letter
        assert sorted(stored["fighters"]) == sorted(truth.listed_ids(letter))
        fps = fingerprints(chain.settings, letter)
        for fid, entry in stored["fighters"].items():
            assert "error" not in entry
            assert (entry["letter"], entry["fingerprint"]) == (letter, fps[fid])
            got = entry["details"]
            assert got["ufcstats_id"] == fid
            assert got["dob"] == truth.dob(fid)
            assert len(got["fights"]) == truth.ufc_bout_count(fid)


def test_clean_world_passes_the_check(chain: Any) -> None:
    for run in (chain.first, chain.second):
        check = checks_by_name(run["fighter_details"])["every_fighter_has_details"]
        assert check.passed, check.description


def test_second_run_fetches_nothing(chain: Any, truth: Truth) -> None:
    md = chain.second["fighter_details"].metadata()
    n = len(truth.all_listed_ids())
    assert (md["fetched"], md["carried_over"], md["errors"]) == (0, n, 0)
    assert sum(md["http"]["requests"].values()) == 0
    assert chain.second_requests["fighter_details"] == {}
    for letter in LETTERS:
        key = f"fighter_details/{letter}.json"
        path = chain.settings.processed.path("fighter_details", letter)
        assert read_json(path) == json.loads(chain.processed_after_first[key])


def test_changed_fighter_is_revalidated_alone(
    chain_copy: Settings, mirror: MirrorHandle, truth: Truth
) -> None:
    fid = _mark_stale(chain_copy, "k")
    before = mirror.stats()
    md = fighter_details_step(chain_copy, LETTERS).metadata()
    n = len(truth.all_listed_ids())
    # a conditional request for the one fighter; the page did not change (304)
    assert (md["fetched"], md["carried_over"], md["not_modified"]) == (1, n - 1, 1)
    assert requests_since(mirror, before) == {"ufcstats_fighter": 1, "not_modified": 1}
    entry = chain_copy.processed.require("fighter_details", "k")["fighters"][fid]
    assert entry["fingerprint"] == fingerprints(chain_copy, "k")[fid]
    assert entry["details"]["dob"] == truth.dob(fid)


def test_full_refresh_revalidates_everyone(
    chain_copy: Settings, mirror: MirrorHandle, truth: Truth
) -> None:
    settings = with_changes(chain_copy, full_refresh=True)
    before = mirror.stats()
    md = fighter_details_step(settings, LETTERS).metadata()
    n = len(truth.all_listed_ids())
    assert (md["fetched"], md["carried_over"], md["not_modified"]) == (n, 0, n)
    assert requests_since(mirror, before) == {"ufcstats_fighter": n, "not_modified": n}


def test_failed_page_fails_the_check_and_is_retried_next_run(
    chain_copy: Settings, failing_mirror: MirrorHandle, mirror: MirrorHandle
) -> None:
    fid = _mark_stale(chain_copy, "m")
    broken = settings_for(failing_mirror, chain_copy.data_dir, UFC_HTTP_MAX_RETRIES="0")
    result = fighter_details_step(with_changes(broken, max_error_fraction=0.5), LETTERS)
    assert result.errors == 1 and result.metadata()["errors"] == 1
    check = checks_by_name(result)["every_fighter_has_details"]
    assert not check.passed
    assert "1 error(s)" in check.description
    entry = chain_copy.processed.require("fighter_details", "m")["fighters"][fid]
    assert "HTTP 500" in entry["error"]

    before = mirror.stats()
    again = fighter_details_step(chain_copy, LETTERS)
    assert (again.fetched, again.errors) == (1, 0)
    assert requests_since(mirror, before)["ufcstats_fighter"] == 1
    assert checks_by_name(again)["every_fighter_has_details"].passed
    entry = chain_copy.processed.require("fighter_details", "m")["fighters"][fid]
    assert "error" not in entry and entry["details"]["ufcstats_id"] == fid


def test_too_many_failures_raise_and_write_nothing(
    chain_copy: Settings, failing_mirror: MirrorHandle
) -> None:
    _mark_stale(chain_copy, "k")
    files = {x: chain_copy.processed.path("fighter_details", x).read_bytes() for x in LETTERS}
    broken = settings_for(failing_mirror, chain_copy.data_dir, UFC_HTTP_MAX_RETRIES="0")
    with pytest.raises(DetailsStepError, match="failed for 1 of .* nothing was written"):
        fighter_details_step(broken, LETTERS)
    for letter, data in files.items():
        assert chain_copy.processed.path("fighter_details", letter).read_bytes() == data


def test_unchanged_inputs_read_nothing(
    chain_copy: Settings, truth: Truth, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = fighter_details_step(chain_copy, LETTERS)  # records what it decided from
    reads: list[str] = []
    real = details_module.fingerprints

    def counting(settings: Settings, letter: str) -> dict[str, str]:
        reads.append(letter)
        return real(settings, letter)

    monkeypatch.setattr(details_module, "fingerprints", counting)
    again = fighter_details_step(chain_copy, LETTERS)
    assert reads == []  # nothing changed: nothing read, the counts stand
    assert again.metadata() == first.metadata()
    assert again.checks() == first.checks()
    assert again.per_letter == first.per_letter
    # a fighter looks changed: the letters are read again and his page asked for
    fid = _mark_stale(chain_copy, "k")
    assert fighter_details_step(chain_copy, LETTERS).fetched == 1
    assert reads == list(LETTERS)
    entry = chain_copy.processed.require("fighter_details", "k")["fighters"][fid]
    assert entry["details"]["dob"] == truth.dob(fid)
    # a card index appears (fingerprints read it): read again; empty, it changes nothing
    (chain_copy.processed.root / "card_index.json").write_bytes(b"{}")
    assert fighter_details_step(chain_copy, LETTERS).fetched == 0
    assert reads == list(LETTERS) * 2
    fighter_details_step(chain_copy, LETTERS)
    assert reads == list(LETTERS) * 2


def test_a_list_written_while_the_step_runs_is_read_next_time(
    chain_copy: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    fighter_details_step(chain_copy, LETTERS)
    _mark_stale(chain_copy, "k")  # this run has work: it reads its inputs
    real = details_module.fingerprints
    reads: list[str] = []

    def rewriting(settings: Settings, letter: str) -> dict[str, str]:
        out = real(settings, letter)
        if letter == LETTERS[-1] and not reads:  # another run writes a list meanwhile
            data = settings.processed.require("fighters_list", "k")
            settings.processed.write("fighters_list", "k", {**data, "written": "meanwhile"})
        return out

    monkeypatch.setattr(details_module, "fingerprints", rewriting)
    assert fighter_details_step(chain_copy, LETTERS).fetched == 1

    def counting(settings: Settings, letter: str) -> dict[str, str]:
        reads.append(letter)
        return real(settings, letter)

    monkeypatch.setattr(details_module, "fingerprints", counting)
    fighter_details_step(chain_copy, LETTERS)
    assert reads == list(LETTERS)  # the state was made before that list: not trusted
    fighter_details_step(chain_copy, LETTERS)
    assert reads == list(LETTERS)  # now it was
