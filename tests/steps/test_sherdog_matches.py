"""sherdog_matches_step: Fight Finder search and candidate scoring per changed fighter."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.steps.helpers import (
    LETTERS,
    Truth,
    checks_by_name,
    count_calls,
    read_json,
    requests_since,
    settings_for,
    with_changes,
    write_json,
)
from ufc_mirror.server import MirrorHandle
from ufc_pipeline.steps import matching as matching_module
from ufc_pipeline.steps.fingerprint import fingerprints
from ufc_pipeline.steps.matching import MatchResult, MatchStepError, sherdog_matches_step
from ufc_pipeline.steps.report import Table
from ufc_pipeline.steps.settings import Settings

MATCH_KEYS = {
    "dagster/row_count",
    "with_candidates",
    "errors",
    "matched_now",
    "carried_over",
    "pages_fetched",
    "pages_reused",
    "http",
    "preview",
}


def _mark_stale(settings: Settings, letter: str) -> str:
    """Make the first fighter of ``letter`` look changed since he was searched."""
    path = settings.processed.path("sherdog_matches", letter)
    data = read_json(path)
    entry = data["fighters"][0]
    entry["fingerprint"] = "stale"
    write_json(path, data)
    return entry["ufcstats_id"]


def test_first_run_searches_every_fighter(chain: Any, truth: Truth) -> None:
    result: MatchResult = chain.first["sherdog_matches"]
    md = result.metadata()
    assert MATCH_KEYS <= set(md)
    n = len(truth.all_listed_ids())
    assert (md["dagster/row_count"], md["matched_now"], md["carried_over"]) == (n, n, 0)
    assert (md["with_candidates"], md["errors"]) == (n, 0)
    served = chain.first_requests["sherdog_matches"]
    assert served["sherdog_search"] >= n  # at least one Fight Finder query per fighter
    assert md["pages_fetched"] == served["sherdog_search"] + served["sherdog_fighter"]
    assert md["http"]["requests"]["search"] == served["sherdog_search"]
    preview = md["preview"]
    assert isinstance(preview, Table)
    assert preview.columns == ("ufcstats_id", "name", "best", "confidence")
    assert len(preview.rows) == min(10, n)
    for letter in LETTERS:
        stored = json.loads(chain.processed_after_first[f"sherdog_matches/{letter}.json"])
        entries = stored["fighters"]
        assert [e["ufcstats_id"] for e in entries] == sorted(truth.listed_ids(letter))
        fps = fingerprints(chain.settings, letter)
        for e in entries:
            fid = e["ufcstats_id"]
            assert e["error"] is None and e["fingerprint"] == fps[fid]
            assert e["list_row"]["ufcstats_id"] == fid
            best = e["candidates"][0]
            # the right person is found and ranked first
            assert (fid, best["sherdog_id"]) == (fid, truth.sherdog_id(fid))


def test_clean_world_passes_the_check(chain: Any) -> None:
    for run in (chain.first, chain.second):
        check = checks_by_name(run["sherdog_matches"])["every_fighter_searched"]
        assert check.passed, check.description


def test_second_run_searches_nobody(chain: Any, truth: Truth) -> None:
    md = chain.second["sherdog_matches"].metadata()
    n = len(truth.all_listed_ids())
    assert (md["matched_now"], md["carried_over"], md["dagster/row_count"]) == (0, n, n)
    assert (md["pages_fetched"], md["pages_reused"]) == (0, 0)
    assert chain.second_requests["sherdog_matches"] == {}
    for letter in LETTERS:
        key = f"sherdog_matches/{letter}.json"
        path = chain.settings.processed.path("sherdog_matches", letter)
        assert read_json(path) == json.loads(chain.processed_after_first[key])


def test_run_with_nothing_changed_rewrites_no_file(
    chain_copy: Settings, mirror: MirrorHandle
) -> None:
    paths = [chain_copy.processed.path("sherdog_matches", x) for x in LETTERS]
    stamps = [p.stat().st_mtime_ns for p in paths]
    before = mirror.stats()
    md = sherdog_matches_step(chain_copy, LETTERS).metadata()
    assert md["matched_now"] == 0
    assert requests_since(mirror, before) == {}
    assert [p.stat().st_mtime_ns for p in paths] == stamps
    # one changed fighter: his letter is written again, the other letter is left alone
    fid = _mark_stale(chain_copy, "m")
    stamps = [p.stat().st_mtime_ns for p in paths]
    md = sherdog_matches_step(chain_copy, LETTERS).metadata()
    assert md["matched_now"] == 1
    after = dict(zip(LETTERS, (p.stat().st_mtime_ns for p in paths), strict=True))
    assert after["m"] != stamps[LETTERS.index("m")]
    assert [after[x] for x in LETTERS if x != "m"] == [
        s for x, s in zip(LETTERS, stamps, strict=True) if x != "m"
    ]
    entries = chain_copy.processed.require("sherdog_matches", "m")["fighters"]
    assert next(e for e in entries if e["ufcstats_id"] == fid)["fingerprint"] != "stale"


def test_changed_fighter_is_searched_again_alone(
    chain_copy: Settings, mirror: MirrorHandle, truth: Truth
) -> None:
    fid = _mark_stale(chain_copy, "m")
    before = mirror.stats()
    md = sherdog_matches_step(chain_copy, LETTERS).metadata()
    n = len(truth.all_listed_ids())
    assert (md["matched_now"], md["carried_over"], md["errors"]) == (1, n - 1, 0)
    served = requests_since(mirror, before)
    pages = served.get("sherdog_search", 0) + served.get("sherdog_fighter", 0)
    assert served.get("sherdog_search", 0) >= 1
    # the stored pages are revalidated: unchanged ones cost a 304, not a download
    unchanged = served.get("not_modified", 0)
    assert md["http"]["statuses"].get("304", 0) == unchanged
    assert md["pages_fetched"] == pages - unchanged
    entries = chain_copy.processed.require("sherdog_matches", "m")["fighters"]
    entry = next(e for e in entries if e["ufcstats_id"] == fid)
    assert entry["fingerprint"] == fingerprints(chain_copy, "m")[fid]
    assert entry["candidates"][0]["sherdog_id"] == truth.sherdog_id(fid)


def test_failed_search_fails_the_check_and_is_retried_next_run(
    chain_copy: Settings, failing_mirror: MirrorHandle, mirror: MirrorHandle
) -> None:
    fid = _mark_stale(chain_copy, "k")
    broken = settings_for(failing_mirror, chain_copy.data_dir, UFC_HTTP_MAX_RETRIES="0")
    result = sherdog_matches_step(with_changes(broken, max_error_fraction=0.5), LETTERS)
    assert result.metadata()["errors"] == 1
    check = checks_by_name(result)["every_fighter_searched"]
    assert not check.passed
    assert "1 error(s)" in check.description
    entries = chain_copy.processed.require("sherdog_matches", "k")["fighters"]
    failed = next(e for e in entries if e["ufcstats_id"] == fid)
    assert "HTTP 500" in failed["error"] and failed["candidates"] == []

    before = mirror.stats()
    again = sherdog_matches_step(chain_copy, LETTERS)
    assert (again.matched_now, again.errors) == (1, 0)
    assert requests_since(mirror, before).get("sherdog_search", 0) >= 1
    assert checks_by_name(again)["every_fighter_searched"].passed


def test_too_many_failures_raise_and_write_nothing(
    chain_copy: Settings, failing_mirror: MirrorHandle
) -> None:
    _mark_stale(chain_copy, "k")
    files = {x: chain_copy.processed.path("sherdog_matches", x).read_bytes() for x in LETTERS}
    broken = settings_for(failing_mirror, chain_copy.data_dir, UFC_HTTP_MAX_RETRIES="0")
    with pytest.raises(MatchStepError, match="failed for 1 of .* nothing was written"):
        sherdog_matches_step(broken, LETTERS)
    for letter, data in files.items():
        assert chain_copy.processed.path("sherdog_matches", letter).read_bytes() == data


def test_unchanged_inputs_read_nothing_and_report_the_same(
    chain_copy: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = sherdog_matches_step(chain_copy, LETTERS)  # nothing to search; records its inputs
    assert first.matched_now == 0
    planned = count_calls(monkeypatch, matching_module, "_work")
    again = sherdog_matches_step(chain_copy, LETTERS)
    assert planned == []  # nothing changed: nothing read, the result stands
    assert again == first
    assert again.metadata().keys() == first.metadata().keys()
    # a fighter looks changed: planned again, and only he is searched
    _mark_stale(chain_copy, "m")
    assert sherdog_matches_step(chain_copy, LETTERS).matched_now == 1
    assert planned == [1]
    assert sherdog_matches_step(chain_copy, LETTERS) == first
    assert planned == [1]
    # another set of letters is decided on its own
    sherdog_matches_step(chain_copy, ("m",))
    assert planned == [1, 1]
