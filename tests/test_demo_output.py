"""``make demo`` is quiet: no warnings, no DEBUG lines, a line per asset, the summary and
the log's path.

The end-to-end test runs the demo's own functions on a tiny served world (letter ``k``):
its five real ``dg launch`` subprocesses, the last two side by side, each followed in its
own run's event log, then the summary. The other tests check the parts on their own: the
commands, the terminal view (bar on a terminal), the progress helper and the warning
filter.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import time
import warnings
from pathlib import Path

import dagster as dg
import pytest
from rich.console import Console

from ufc_mirror import demo
from ufc_mirror.server import start_mirror
from ufc_mirror.world import build_world
from ufc_pipeline import quiet
from ufc_pipeline.defs.report import StepEvent
from ufc_pipeline.steps.progress import Progress, read_progress

EVENTS = ("ufcstats_events", "fight_cards", "fight_stats")
EVENTS_LOCATION, FIGHTERS_LOCATION = "ufc_pipeline.events_definitions", "ufc_pipeline.definitions"
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


def test_the_demo_prints_a_line_per_asset_the_summary_and_the_log_path(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    world = build_world(seed=7, fighters=8, letters="k")
    handle = start_mirror(world)
    data_dir = tmp_path / "data"
    urls = {
        "ufcstats_url": handle.ufcstats_url,
        "sherdog_url": handle.sherdog_url,
        "ufccom_url": handle.ufccom_url,
        "wikimedia_url": handle.wikimedia_url,
        "as_of": world.as_of.isoformat(),
    }
    try:
        plan = demo.launches(urls["as_of"], "k", "2024-12")
        view = demo.View(Console(highlight=False))
        ctx = demo.DemoContext(demo.demo_env(urls, data_dir), view, demo.new_log(data_dir), 5)
        assert demo.run_all(ctx, plan) == 0
        summary = demo.finish(ctx, data_dir, world.truth(), ["k"], time.time())
    finally:
        handle.stop()
    out, err = capfd.readouterr()
    assert "Warning" not in out + err and "DEBUG" not in out + err
    lines = out.splitlines()
    assert lines[0].startswith("[1/5] events list   (dg launch -m ufc_pipeline.events_definitions")
    assert any(x.startswith("[3/5] fighter list and pages k...k   (dg launch") for x in lines)
    # the last two launches run side by side: each run's steps are shown once, none lost
    fourth, fifth = (
        next(i for i, x in enumerate(lines) if x.startswith(f"[{n}/5] ")) for n in (4, 5)
    )
    assert fifth == fourth + 1 and "fight statistics" in lines[fourth]
    for asset in EVENTS + CHAIN:
        assert lines.count(f"  {asset:<18} started") == 1, asset
        done = [x for x in lines if re.fullmatch(rf"  {asset} +done +[\d,]+ rows +[\d.]+ s", x)]
        assert len(done) == 1, asset
    assert "== ufc_pipeline demo summary ==" in lines and len(lines) < 70
    assert any(x.startswith("  UFC.com matches: ") for x in lines)
    assert any(x.startswith("  locations: coverage country ") for x in lines)
    assert summary["images"]["saved"] == summary["images"]["with_one_face"]
    assert summary["rows"]["fighters_list"] == len(world.by_letter["k"])
    assert lines[-1] == f"Dagster log (every run's output): {ctx.log_path}"
    log = ctx.log_path.read_text()
    assert "dg launch -m ufc_pipeline.definitions" in log
    assert len(re.findall(r"^===== .*dg launch", log, re.M)) == 5
    assert re.search(r"sherdog_matches: \d+/\d+ fighters searched \(100 %\)", log)
    assert " - DEBUG - " not in log  # the run config set the console log to INFO


def test_commands_are_dg_launch_with_the_run_log_level() -> None:
    plan = demo.launches("2025-01-13", "abcdefghijklmnopqrstuvwxyz", "1993-11")
    months, events, fighters = "1993-11-01...2025-01-01", EVENTS_LOCATION, FIGHTERS_LOCATION
    assert [[(x.location, x.assets, x.partition_range) for x in stage] for stage in plan] == [
        [(events, "ufcstats_events", None)],
        [(events, "fight_cards", months)],
        [(fighters, "fighters_list,fighter_details", "a...z")],
        [(events, "fight_stats", months), (fighters, demo.AFTER_DETAILS, "a...z")],
    ]
    cmd = plan[2][0].command("INFO")
    assert Path(cmd[0]).name == "dg" and cmd[1:7] == [
        "launch",
        "-m",
        "ufc_pipeline.definitions",
        "--assets",
        "fighters_list,fighter_details",
        "--partition-range",
    ]
    config = json.loads(cmd[cmd.index("--config-json") + 1])
    assert config == {"loggers": {"console": {"config": {"log_level": "INFO"}}}}


def test_every_asset_is_launched_once_and_launches_side_by_side_share_no_site() -> None:
    """The five launches cover each asset of both code locations once; the launches side by
    side read different sites (the pools of their assets differ)."""
    from ufc_pipeline.definitions import defs as fighter_defs
    from ufc_pipeline.events_definitions import defs as event_defs

    graphs = {
        FIGHTERS_LOCATION: fighter_defs.resolve_asset_graph(),
        EVENTS_LOCATION: event_defs.resolve_asset_graph(),
    }
    launched: list[str] = []
    for stage in demo.launches("2025-01-13", "abcdefghijklmnopqrstuvwxyz", "1993-11"):
        pools: list[set[str]] = []
        for launch in stage:
            graph = graphs[launch.location]
            keys = dg.AssetSelection.from_coercible(launch.assets.split(",")).resolve(graph)
            launched += [k.to_user_string() for k in keys]
            pools.append(set().union(*(graph.get(k).pools or () for k in keys)))
            assert launch.run_asset is None or dg.AssetKey(launch.run_asset) in keys
        for a, b in itertools.combinations(pools, 2):
            assert not a & b, (a, b)
    every = [k.to_user_string() for g in graphs.values() for k in g.materializable_asset_keys]
    assert sorted(launched) == sorted(every)


def test_step_lines_and_a_bar_that_leaves_no_trace_on_a_terminal() -> None:
    buffer = io.StringIO()
    view = demo.View(Console(file=buffer, force_terminal=True, width=100))
    view.step(StepEvent("start", "sherdog_matches"))
    snap = {"step": "sherdog_matches", "unit": "fighters", "done": 5, "total": 10}
    view.progress({**snap, "rate": 2.5, "eta_s": 2.0})
    assert view.bar is not None
    view.step(StepEvent("end", "sherdog_matches", "success", 3862, 12.34))
    assert view.bar is None
    failed = StepEvent("end", "fights", "failure", None, 1.0, ["error: RuntimeError: boom"])
    assert re.fullmatch(
        r"  fights +FAILED +1\.0 s   error: RuntimeError: boom", demo.step_line(failed)
    )
    text = buffer.getvalue()
    assert "5/10" in text and "ETA 2s" in text  # the bar was drawn ...
    erased, done = text.rsplit("\x1b[2K", 1)  # ... and erased before the step's last line
    assert re.fullmatch(r"  sherdog_matches +done +3,862 rows +12\.3 s\n", done)


def test_steps_side_by_side_share_the_bar_until_the_last_ends() -> None:
    buffer = io.StringIO()
    view = demo.View(Console(file=buffer, force_terminal=True, width=100))
    for step in ("fight_stats", "sherdog_matches"):
        view.step(StepEvent("start", step))
        snap = {"step": step, "unit": "pages", "done": 1, "total": 4, "rate": 1.0, "eta_s": 3.0}
        view.progress(snap)
    assert view.bar is not None and set(view.tasks) == {"fight_stats", "sherdog_matches"}
    view.step(StepEvent("end", "fight_stats", "success", 10, 1.0))
    assert view.bar is not None and set(view.tasks) == {"sherdog_matches"}
    view.step(StepEvent("end", "sherdog_matches", "success", 10, 1.0))
    assert view.bar is None and not view.tasks
    assert "fight_stats" in buffer.getvalue() and "sherdog_matches" in buffer.getvalue()


def test_progress_logs_every_tenth_and_keeps_its_file(tmp_path: Path) -> None:
    lines: list[str] = []
    now = [0.0]
    path = tmp_path / "progress.json"
    progress = Progress(
        "fighter_details", 40, lines.append, unit="pages", path=path, clock=lambda: now[0]
    )
    for _ in range(40):
        now[0] += 0.5
        progress.advance()
    assert len(lines) == 10
    assert lines[0] == "fighter_details: 4/40 pages (10 %), 2.0/s, ETA 18s"
    assert lines[-1] == "fighter_details: 40/40 pages (100 %), 2.0/s, ETA 0s"
    snap = read_progress(path)
    assert snap is not None and (snap["done"], snap["total"], snap["rate"]) == (40, 40, 2.0)


def test_fast_progress_logs_its_last_line_only() -> None:
    lines: list[str] = []
    now = [0.0]
    progress = Progress("fighter_details", 200, lines.append, unit="pages", clock=lambda: now[0])
    for _ in range(200):
        now[0] += 0.003  # 0.6 s in all: every tenth within a second of the start
        progress.advance()
    assert lines == ["fighter_details: 200/200 pages (100 %), 333.3/s, ETA 0s"]


def test_quiet_ignores_dagsters_api_status_warnings_only() -> None:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        quiet.install()
        warnings.warn("beta", dg.BetaWarning, stacklevel=1)
        warnings.warn("preview", dg.PreviewWarning, stacklevel=1)
        warnings.warn("superseded", dg.SupersessionWarning, stacklevel=1)
        warnings.warn("kept", UserWarning, stacklevel=1)
    assert [str(w.message) for w in seen] == ["kept"]
