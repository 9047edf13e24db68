"""The run report and stage health, read back from a real Dagster instance.

A tiny world (letter ``k``) is served on 127.0.0.1 and the fighter chain runs in process
twice on an instance in a temporary ``DAGSTER_HOME``: once with Sherdog unreachable (the
Sherdog search fails, everything after it is skipped), then cleanly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import dagster as dg
import pytest

from tests.e2e.helpers import run_chain
from ufc_mirror.server import start_mirror
from ufc_mirror.world import build_world
from ufc_pipeline import cli
from ufc_pipeline.defs.report import build_report, format_report, open_instance, run_report

CHAIN = (
    "fighters_list",
    "fighter_details",
    "sherdog_matches",
    "ufc_com_athletes",
    "ufc_com_matches",
    "verified_matches",
    "wikidata_fighters",
    "fighter_images",
    "fighter_locations",
    "fights",
)
#: What the failed run could not reach (downstream of the Sherdog search).
AFTER_SEARCH = CHAIN[5:]
CLOSED_PORT_URL = "http://127.0.0.1:9"  # nothing listens on the discard port


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The instance's home and the ids of the failed and the clean run."""
    home = tmp_path_factory.mktemp("dagster_home")
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    world = build_world(seed=11, fighters=10, letters="k")
    handle = start_mirror(world)
    fast = {"max_retries": 1, "timeout_s": 5.0}
    try:
        with open_instance(home) as instance:
            down = SimpleNamespace(
                ufcstats_url=handle.ufcstats_url,
                sherdog_url=CLOSED_PORT_URL,
                ufccom_url=handle.ufccom_url,
                wikimedia_url=handle.wikimedia_url,
            )
            data = tmp_path_factory.mktemp("data")
            failed = run_chain(down, data / "a", start="k", end="k", instance=instance, site=fast)
            clean = run_chain(handle, data / "b", start="k", end="k", instance=instance)
        assert not failed.success and clean.success
        yield {
            "home": home,
            "failed": failed.run_id,
            "clean": clean.run_id,
            "fighters": len(world.by_letter["k"]),
        }
    finally:
        handle.stop()


def test_run_report_lists_every_step_with_status_items_duration_and_issues(history) -> None:
    with open_instance(history["home"]) as instance:
        failed = run_report(instance, history["failed"])
        clean = run_report(instance, history["clean"])
    assert failed.job == clean.job == "full_refresh" and failed.partitions == "k...k"
    assert failed.status == "failure" and clean.status == "success"
    assert [s.step for s in failed.steps] == [s.step for s in clean.steps] == list(CHAIN)
    status = {s.step: s.status for s in failed.steps}
    assert status["fighters_list"] == status["fighter_details"] == "success"
    assert status["sherdog_matches"] == "failure"
    assert {status[s] for s in AFTER_SEARCH} <= {"skipped", "not run"}
    assert status["ufc_com_athletes"] == status["ufc_com_matches"] == "success"  # not downstream
    search = next(s for s in failed.steps if s.step == "sherdog_matches")
    assert search.issues[0].startswith("error: MatchStepError: Sherdog search failed for 10")
    for step in clean.steps:
        assert step.status == "success" and step.retries == 0 and step.duration_s > 0
        assert step.rows is not None and not step.issues
    rows = {s.step: s.rows for s in clean.steps}
    assert rows["fighters_list"] == rows["sherdog_matches"] == history["fighters"]


def test_stage_health_of_every_asset(history) -> None:
    with open_instance(history["home"]) as instance:
        report = build_report(instance, runs=5)
    assert [r["run_id"] for r in report["last_runs"]] == [history["clean"]]
    health = {a["asset"]: a for a in report["assets"]}
    assert set(health) == set(CHAIN)
    for name in CHAIN:
        a = health[name]
        assert a["runs"] == 2 and a["rows"] is not None
        assert a["mean_s"] is not None and a["p95_s"] >= a["mean_s"] > 0
    assert health["fighters_list"]["success_rate"] == 1.0
    assert health["fighters_list"]["last_failure"] is None
    search = health["sherdog_matches"]
    assert (search["succeeded"], search["failed"], search["success_rate"]) == (1, 1, 0.5)
    assert search["last_failure"]["run_id"] == history["failed"]
    assert "Sherdog search failed" in search["last_failure"]["reason"]
    fights = health["fights"]
    assert (fights["succeeded"], fights["failed"], fights["skipped"]) == (1, 0, 1)
    assert fights["success_rate"] == 1.0
    text = format_report(report)
    assert "Stage health" in text and all(name in text for name in CHAIN)


def test_report_command(history, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(history["home"]))
    assert cli.main(["report", "--runs", "3"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Last run of each job\n  full_refresh [k...k]: success")
    assert "sherdog_matches" in text and "Sherdog search failed" in text
    assert cli.main(["report", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["runs_per_asset"] == 20 and len(data["assets"]) == len(CHAIN)
    monkeypatch.delenv("DAGSTER_HOME")
    assert cli.main(["report"]) == 2
    assert "DAGSTER_HOME" in capsys.readouterr().err


def test_report_of_an_empty_instance(tmp_path: Path) -> None:
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        report = build_report(instance, runs=3)
    assert report["last_runs"] == [] and report["assets"] == []
    assert format_report(report) == "No runs in this Dagster instance yet."
