"""Change detection: fingerprints, needs_work and list_changes on the chain's outputs."""

from __future__ import annotations

import json
from typing import Any

from tests.steps.helpers import LETTERS, Truth, requests_since, write_json
from ufc_mirror.server import MirrorHandle
from ufc_pipeline.steps.details import fighter_details_step
from ufc_pipeline.steps.fingerprint import CARD_INDEX, fingerprints, list_changes, needs_work
from ufc_pipeline.steps.settings import Settings


def test_fingerprints_cover_the_list_and_are_what_the_steps_recorded(
    chain: Any, truth: Truth
) -> None:
    for letter in LETTERS:
        fps = fingerprints(chain.settings, letter)
        assert sorted(fps) == sorted(truth.listed_ids(letter))
        assert len(set(fps.values())) == len(fps)  # one per fighter
        assert fingerprints(chain.settings, letter) == fps  # stable
        details = chain.settings.processed.require("fighter_details", letter)["fighters"]
        assert {fid: e["fingerprint"] for fid, e in details.items()} == fps
        matches = chain.settings.processed.require("sherdog_matches", letter)["fighters"]
        assert {e["ufcstats_id"]: e["fingerprint"] for e in matches} == fps
        images = chain.settings.processed.require("fighter_images", letter)["rows"]
        assert {r["ufcstats_id"]: r["fingerprint"] for r in images} == {
            r["ufcstats_id"]: fps[r["ufcstats_id"]] for r in images
        }


def test_a_new_bout_on_a_card_changes_one_fingerprint_and_one_fetch(
    chain_copy: Settings, mirror: MirrorHandle, truth: Truth
) -> None:
    fid = truth.listed_ids("m")[-1]
    before_fps = {x: fingerprints(chain_copy, x) for x in LETTERS}
    write_json(chain_copy.processed.root / CARD_INDEX, {fid: ["0123456789abcdef"]})
    after_fps = {x: fingerprints(chain_copy, x) for x in LETTERS}
    changed = {f for x in LETTERS for f in after_fps[x] if after_fps[x][f] != before_fps[x][f]}
    assert changed == {fid}
    previous = chain_copy.processed.require("fighter_details", "m")["fighters"]
    assert needs_work(after_fps["m"], previous) == {fid}
    assert (
        needs_work(after_fps["k"], chain_copy.processed.require("fighter_details", "k")["fighters"])
        == set()
    )

    before = mirror.stats()
    result = fighter_details_step(chain_copy, LETTERS)
    assert (result.fetched, result.errors) == (1, 0)
    assert requests_since(mirror, before) == {
        "ufcstats_fighter": 1,
        "not_modified": 1,
    }


def test_needs_work_full_refresh_and_errors(chain: Any) -> None:
    fps = fingerprints(chain.settings, "k")
    previous: dict[str, Any] = json.loads(chain.processed_after_first["fighter_details/k.json"])[
        "fighters"
    ]
    assert needs_work(fps, previous) == set()
    assert needs_work(fps, previous, full=True) == set(fps)
    failed, missing = sorted(fps)[:2]
    previous = {fid: dict(e) for fid, e in previous.items() if fid != missing}
    previous[failed]["error"] = "HTTP 500"
    assert needs_work(fps, previous) == {failed, missing}


def test_list_changes_between_two_versions_of_a_page(chain: Any) -> None:
    rows = json.loads(chain.processed_after_first["fighters_list/k.json"])["rows"]
    old = rows[:-1]
    new = [dict(r) for r in rows[1:]]
    new[0]["wins"] += 1
    diff = list_changes(old, new)
    assert diff == {
        "new": [rows[-1]["ufcstats_id"]],
        "changed": [rows[1]["ufcstats_id"]],
        "unchanged": len(rows) - 3,
        "removed": [rows[0]["ufcstats_id"]],
    }
    assert list_changes(rows, rows) == {
        "new": [],
        "changed": [],
        "unchanged": len(rows),
        "removed": [],
    }
