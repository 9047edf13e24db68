"""verified_matches_step: the global one-to-one assignment, and the overrides file."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.steps.helpers import (
    LETTERS,
    Truth,
    checks_by_name,
    count_calls,
    read_json,
    write_overrides,
)
from ufc_pipeline.matching.overrides import OverridesError
from ufc_pipeline.steps import matching, noop
from ufc_pipeline.steps.matching import VERIFIED_PREVIEW, VerifyResult, verified_matches_step
from ufc_pipeline.steps.report import FileRef, Table
from ufc_pipeline.steps.settings import Settings

VERIFY_KEYS = {
    "dagster/row_count",
    "auto_verified",
    "override",
    "review",
    "unmatched",
    "review_report",
    "preview",
}
STATUSES = ("auto_verified", "override", "review", "unmatched")


def _rows(settings: Settings, letters: tuple[str, ...] = LETTERS) -> dict[str, dict[str, Any]]:
    return {
        r["ufcstats_id"]: r
        for x in letters
        for r in settings.processed.require("verified_matches", x)["rows"]
    }


def _entries(settings: Settings) -> dict[str, dict[str, Any]]:
    return {
        e["ufcstats_id"]: e
        for x in LETTERS
        for e in settings.processed.require("sherdog_matches", x)["fighters"]
    }


def test_clean_world_verifies_every_fighter_with_the_right_person(chain: Any, truth: Truth) -> None:
    result: VerifyResult = chain.first["verified_matches"]
    md = result.metadata()
    assert VERIFY_KEYS <= set(md)
    rows = _rows(chain.settings)
    ids = truth.all_listed_ids()
    assert set(rows) == ids
    assert md["dagster/row_count"] == len(ids)
    counts = Counter(r["status"] for r in rows.values())
    assert {s: md[s] for s in STATUSES} == {s: counts.get(s, 0) for s in STATUSES}
    # the tiny world has no trap the matcher cannot resolve: all verified, all right
    assert {fid: (r["status"], r["sherdog_id"]) for fid, r in rows.items()} == {
        fid: ("auto_verified", truth.sherdog_id(fid)) for fid in ids
    }
    assert result.per_letter == {x: len(truth.listed_ids(x)) for x in LETTERS}
    for letter in LETTERS:
        stored = chain.settings.processed.require("verified_matches", letter)
        assert {r["letter"] for r in stored["rows"]} == {letter}
    report = md["review_report"]
    assert isinstance(report, FileRef)
    assert Path(report.path) == chain.settings.review_dir / "index.html"
    assert Path(report.path).exists()
    assert read_json(chain.settings.review_dir / "queue.json") == []
    preview = md["preview"]
    assert isinstance(preview, Table) and preview.columns == VERIFIED_PREVIEW
    assert len(preview.rows) == min(10, len(ids))


def test_clean_world_passes_the_check_and_reruns_identically(chain: Any) -> None:
    for run in (chain.first, chain.second):
        check = checks_by_name(run["verified_matches"])["no_shared_sherdog_id"]
        assert check.passed, check.description
    assert chain.first_requests["verified_matches"] == {}
    assert chain.second_requests["verified_matches"] == {}
    for letter in LETTERS:
        key = f"verified_matches/{letter}.json"
        path = chain.settings.processed.path("verified_matches", letter)
        assert read_json(path) == json.loads(chain.processed_after_first[key])


def test_overrides_approve_reject_and_none_win(chain_copy: Settings, truth: Truth) -> None:
    entries = _entries(chain_copy)
    right = {fid: truth.sherdog_id(fid) for fid in entries}
    taken = set(right.values())
    # a fighter with a second candidate that is nobody else's person: approve that one
    approve_id, approve_sid = next(
        (fid, int(c["sherdog_id"]))
        for fid, e in sorted(entries.items())
        for c in e["candidates"]
        if int(c["sherdog_id"]) not in taken
    )
    others = sorted(fid for fid in entries if fid != approve_id)
    reject_id, none_id = others[0], others[1]
    before = _rows(chain_copy)
    write_overrides(
        chain_copy.overrides_path,
        [
            (approve_id, approve_sid, "approve"),
            (reject_id, right[reject_id], "reject"),
            (none_id, None, "none"),
        ],
    )
    result = verified_matches_step(chain_copy, LETTERS)
    rows = _rows(chain_copy)
    assert (rows[approve_id]["status"], rows[approve_id]["sherdog_id"]) == (
        "override",
        approve_sid,
    )
    assert "approved in sherdog_overrides.csv" in rows[approve_id]["notes"]
    assert rows[reject_id]["sherdog_id"] != right[reject_id]
    assert rows[reject_id]["status"] != "auto_verified"
    assert (rows[none_id]["status"], rows[none_id]["sherdog_id"]) == ("unmatched", None)
    untouched = set(entries) - {approve_id, reject_id, none_id}
    assert {f: (rows[f]["status"], rows[f]["sherdog_id"]) for f in untouched} == {
        f: (before[f]["status"], before[f]["sherdog_id"]) for f in untouched
    }
    md = result.metadata()
    counts = Counter(r["status"] for r in rows.values())
    assert {s: md[s] for s in STATUSES} == {s: counts.get(s, 0) for s in STATUSES}
    assert md["override"] == 1
    assert checks_by_name(result)["no_shared_sherdog_id"].passed
    # a pair sent to review is listed in the review queue
    queued = {item["ufcstats_id"] for item in read_json(chain_copy.review_dir / "queue.json")}
    assert queued == {f for f, r in rows.items() if r["status"] == "review"}


def test_one_sherdog_id_approved_twice_is_refused(chain_copy: Settings, truth: Truth) -> None:
    a, b = truth.listed_ids("k")[:2]
    files = {x: chain_copy.processed.path("verified_matches", x).read_bytes() for x in LETTERS}
    sid = truth.sherdog_id(a)
    write_overrides(chain_copy.overrides_path, [(a, sid, "approve"), (b, sid, "approve")])
    with pytest.raises(OverridesError, match=f"approves Sherdog id {sid} for both"):
        verified_matches_step(chain_copy, LETTERS)
    for letter, data in files.items():
        assert chain_copy.processed.path("verified_matches", letter).read_bytes() == data


def test_override_taking_an_id_verified_in_another_letter_fails_the_check(
    chain_copy: Settings, truth: Truth
) -> None:
    """Letter k is not recomputed, so its verified ids are fixed claims; an approval that
    gives one of them to an ``m`` fighter leaves that id verified twice, which the check
    reports."""
    k_fighter, m_fighter = truth.listed_ids("k")[0], truth.listed_ids("m")[0]
    sid = truth.sherdog_id(k_fighter)
    write_overrides(chain_copy.overrides_path, [(m_fighter, sid, "approve")])
    result = verified_matches_step(chain_copy, ["m"])
    rows = _rows(chain_copy)
    assert (rows[m_fighter]["status"], rows[m_fighter]["sherdog_id"]) == ("override", sid)
    assert (rows[k_fighter]["status"], rows[k_fighter]["sherdog_id"]) == ("auto_verified", sid)
    check = checks_by_name(result)["no_shared_sherdog_id"]
    assert not check.passed
    assert check.description.startswith("1 Sherdog id(s)")
    assert result.metadata()["dagster/row_count"] == len(truth.listed_ids("m"))


def test_malformed_overrides_file_is_refused(chain_copy: Settings, truth: Truth) -> None:
    fid = truth.listed_ids("k")[0]
    write_overrides(chain_copy.overrides_path, [(fid, truth.sherdog_id(fid), "maybe")])
    with pytest.raises(OverridesError, match="line 2: decision 'maybe'"):
        verified_matches_step(chain_copy, LETTERS)


def test_unchanged_inputs_keep_the_last_assignment(
    chain_copy: Settings, truth: Truth, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = verified_matches_step(chain_copy, LETTERS)  # records what it was made from
    files = {x: chain_copy.processed.path("verified_matches", x).read_bytes() for x in LETTERS}
    calls = count_calls(monkeypatch, matching, "assign")
    again = verified_matches_step(chain_copy, LETTERS)
    assert calls == []  # nothing changed: the last rows stand
    assert again.metadata().keys() == first.metadata().keys()
    for key in ("dagster/row_count", *STATUSES):
        assert again.metadata()[key] == first.metadata()[key]
    assert again.preview == first.preview and again.per_letter == first.per_letter
    assert again.best_confidence == first.best_confidence
    assert {x: chain_copy.processed.path("verified_matches", x).read_bytes() for x in LETTERS} == (
        files
    )
    # the overrides file changes: the assignment is made again, and the override holds
    fid = truth.listed_ids("k")[0]
    write_overrides(chain_copy.overrides_path, [(fid, None, "none")])
    verified_matches_step(chain_copy, LETTERS)
    assert calls == [1]
    assert _rows(chain_copy)[fid]["status"] == "unmatched"
    # one letter's candidates are written again: made again
    verified_matches_step(chain_copy, LETTERS)
    assert calls == [1]
    data = chain_copy.processed.require("sherdog_matches", "k")
    chain_copy.processed.write("sherdog_matches", "k", {**data, "rewritten": True})
    verified_matches_step(chain_copy, LETTERS)
    assert calls == [1, 1]
    # another set of letters is another assignment
    verified_matches_step(chain_copy, ("k",))
    assert calls == [1, 1, 1]
    # a state without the confidences (as an older version wrote it) is not trusted
    verified_matches_step(chain_copy, ("k",))
    assert calls == [1, 1, 1]
    state_path = noop.state_path(chain_copy, "verified_matches", ("k",))
    state = json.loads(state_path.read_text(encoding="utf8"))
    del state["best_confidence"]
    state_path.write_text(json.dumps(state), encoding="utf8")
    verified_matches_step(chain_copy, ("k",))
    assert calls == [1, 1, 1, 1]
