"""``make demo``: every asset for all 26 letters against the local mirror, quietly.

Starts the mirror (``python -m ufc_mirror serve``) on free 127.0.0.1 ports and launches,
with the base URLs pointing at it and the politeness delays off:

1. ``dg launch -m ufc_pipeline.events_definitions --assets ufcstats_events``
2. ``... --assets fight_cards --partition-range 1993-11-01...<last month>``
3. ``dg launch -m ufc_pipeline.definitions --assets fighters_list,fighter_details
   --partition-range a...z``
4. side by side: ``... events_definitions --assets fight_stats --partition-range
   1993-11-01...<last month>`` and ``... definitions --assets
   group:sherdog,group:enrichment,group:warehouse --partition-range a...z``

The cards come before the fighter pages because a fighter's fingerprint is made from the
bouts the cards list (with the cards read after, every fighter page would be read again).
The last two run side by side because they work on different sites: the fight statistics
are UFCStats pages, the rest of the fighter chain reads Sherdog, UFC.com and Wikimedia;
no two launches ever read one site at once, as on the live sites.

Each launch's own output (the Dagster console log at ``UFC_RUN_LOG_LEVEL``, set through
the run config) goes to ``data/logs/demo-<time>.log``. The terminal shows a line when each
asset starts and ends (rows, duration, failed checks), read from the run's event log in
the instance (``$DAGSTER_HOME``), and the progress of the long steps from the file they
keep (``UFC_PROGRESS_FILE``): a bar on a terminal, a line each quarter otherwise. Then the
mirror stops and a summary scored against the mirror's known truth is printed (also
written to ``data/demo_summary.json``), followed by the path of the log.

``--fighters N``, ``--letters km`` and ``--first-month YYYY-MM`` make a small demo.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

import ufc_pipeline.quiet  # noqa: F401  (before anything imports Dagster)
from ufc_mirror.envs import source_env
from ufc_pipeline.defs.report import (
    RunWatch,
    StepEvent,
    format_run,
    newest_run_id,
    open_instance,
    run_report,
)
from ufc_pipeline.fileio import atomic_write
from ufc_pipeline.processed import LETTERS, ProcessedStore
from ufc_pipeline.settings import env_value, settings_from_env
from ufc_pipeline.steps.progress import format_duration, read_progress

if TYPE_CHECKING:
    import dagster as dg


def start_mirror(workdir: Path, extra: list[str]) -> tuple[subprocess.Popen[bytes], dict[str, Any]]:
    ready = workdir / ".mirror-ready.json"
    ready.unlink(missing_ok=True)
    log = open(workdir / ".mirror.log", "wb")  # noqa: SIM115 - lives as long as the mirror
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ufc_mirror",
            "serve",
            "--ufcstats-port",
            "0",
            "--sherdog-port",
            "0",
            "--ufccom-port",
            "0",
            "--wikimedia-port",
            "0",
            "--ready-file",
            str(ready),
            *extra,
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        if ready.exists():
            return proc, json.loads(ready.read_text())
        if proc.poll() is not None:
            raise RuntimeError(f"the mirror exited early; see {workdir / '.mirror.log'}")
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the mirror did not become ready within 120 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def mirror_env(urls: dict[str, str], data_dir: Path) -> dict[str, str]:
    """The environment that points the pipeline at a running mirror, delays off."""
    return {
        **os.environ,
        **source_env(urls),
        "UFCSTATS_RATE": "0",
        "SHERDOG_RATE": "0",
        "UFCSTATS_CONCURRENCY": "8",
        "SHERDOG_CONCURRENCY": "8",
        "UFC_HTTP_BACKOFF_BASE": "0.05",
        "UFC_HTTP_BACKOFF_MAX": "1",
        "UFC_DATA_DIR": str(data_dir),
        # the mirror's data end in the past: its "today" drives the event re-check window
        "UFC_TODAY": urls.get("as_of", ""),
    }


def warehouse_rows(database_url: str) -> tuple[dict[str, int], dict[str, int]]:
    """Rows of the warehouse tables, and fights by statistics status."""
    from sqlalchemy import func, select

    from ufc_pipeline.warehouse.engine import make_engine
    from ufc_pipeline.warehouse.schema import (
        events,
        fight_details,
        fight_stats,
        fight_stats_rounds,
        fighters,
        fights,
        ufc_bouts,
    )

    rows: dict[str, int] = {}
    engine = make_engine(database_url)
    with engine.connect() as conn:
        for name, table in (
            ("fights", fights),
            ("events", events),
            ("ufc_bouts", ufc_bouts),
            ("fight_stats", fight_stats),
            ("fight_stats_rounds", fight_stats_rounds),
            ("fighters_table", fighters),
        ):
            rows[name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
        by_status = select(fight_details.c.stats_status, func.count()).group_by(
            fight_details.c.stats_status
        )
        stats_status = {k: int(v) for k, v in conn.execute(by_status).all()}
    engine.dispose()
    return rows, stats_status


def match_quality(verified: list[dict[str, Any]], truth: list[dict[str, Any]]) -> dict[str, Any]:
    """Verified / review / unmatched, and precision and recall against the crosswalk."""
    status = Counter(r["status"] for r in verified)
    truth_by = {t["ufcstats_id"]: t for t in truth}
    auto = [r for r in verified if r["status"] in ("auto_verified", "override")]
    cw = [r for r in auto if truth_by.get(r["ufcstats_id"], {}).get("in_crosswalk")]
    cw_right = sum(1 for r in cw if r["sherdog_id"] == truth_by[r["ufcstats_id"]]["sherdog_id"])
    cw_total = sum(1 for t in truth if t.get("in_crosswalk"))
    all_right = sum(
        1 for r in auto if truth_by.get(r["ufcstats_id"], {}).get("sherdog_id") == r["sherdog_id"]
    )
    return {
        "auto_verified": status.get("auto_verified", 0) + status.get("override", 0),
        "review": status.get("review", 0),
        "unmatched": status.get("unmatched", 0),
        "precision_vs_crosswalk": round(cw_right / len(cw), 4) if cw else None,
        "recall_vs_crosswalk": round(cw_right / cw_total, 4) if cw_total else None,
        "crosswalk_fighters": cw_total,
        "precision_vs_truth": round(all_right / len(auto), 4) if auto else None,
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def ufccom_quality(rows: list[dict[str, Any]], truth: list[dict[str, Any]]) -> dict[str, Any]:
    """UFC.com matches against the mirror's truth (precision of verified slugs, recall of
    the athletes the mirror serves)."""
    slug_of = {t["ufcstats_id"]: t.get("ufccom_slug") for t in truth}
    verified = [r for r in rows if r.get("status") == "verified" and r.get("slug")]
    right = sum(1 for r in verified if slug_of.get(r["ufcstats_id"]) == r["slug"])
    served = sum(1 for s in slug_of.values() if s)
    slugs = Counter(r["slug"] for r in verified)
    return {
        "verified": len(verified),
        "precision": _share(right, len(verified)),
        "recall_of_served": _share(right, served),
        "slugs_on_two_fighters": sum(1 for n in slugs.values() if n > 1),
    }


def image_quality(rows: list[dict[str, Any]], duplicates: list[Any]) -> dict[str, Any]:
    """Per source: images saved and candidates rejected by reason; faces; duplicates."""
    by_source: dict[str, dict[str, Any]] = {}
    for r in rows:
        for c in r.get("candidates", []):
            s = by_source.setdefault(c["source"], {"saved": 0, "rejected": Counter()})
            if c["outcome"] == "saved":
                s["saved"] += 1
            elif c["outcome"] == "rejected":
                s["rejected"][c["reason"]] += 1
    saved = [r for r in rows if r["status"] == "saved"]
    return {
        "by_source": {
            k: {"saved": v["saved"], "rejected": dict(sorted(v["rejected"].items()))}
            for k, v in sorted(by_source.items())
        },
        "with_one_face": sum(1 for r in saved if r.get("faces") == 1),
        "saved": len(saved),
        "duplicate_pairs": len(duplicates),
    }


def location_quality(rows: list[dict[str, Any]], truth: list[dict[str, Any]]) -> dict[str, Any]:
    """Coverage (share of fighters with a country, a birthplace, a gym) and precision of each
    against the mirror's truth."""
    from rapidfuzz import fuzz, utils

    from ufc_pipeline.locations.normalize import same_text

    true = {t["ufcstats_id"]: t for t in truth}
    n = len(rows)
    with_country = [r for r in rows if r.get("birth_country_code")]
    with_city = [r for r in rows if r.get("birth_city")]
    with_gym = [r for r in rows if r.get("gym")]

    def t(r: dict[str, Any], key: str) -> Any:
        return (true.get(r["ufcstats_id"]) or {}).get(key)

    def same_gym(a: str, b: str | None) -> bool:
        return bool(b) and fuzz.token_set_ratio(a, b, processor=utils.default_process) >= 85

    return {
        "coverage": {
            "country": _share(len(with_country), n),
            "birthplace": _share(len(with_city), n),
            "gym": _share(len(with_gym), n),
        },
        "precision": {
            "country": _share(
                sum(
                    1 for r in with_country if r["birth_country_code"] == t(r, "birth_country_code")
                ),
                len(with_country),
            ),
            "birthplace": _share(
                sum(1 for r in with_city if same_text(r["birth_city"], t(r, "birth_city"))),
                len(with_city),
            ),
            "gym": _share(
                sum(1 for r in with_gym if same_gym(r["gym"], t(r, "gym"))), len(with_gym)
            ),
        },
        "conflicting_fighters": sum(1 for r in rows if r.get("conflicts")),
    }


def summarize(
    data_dir: Path,
    truth: list[dict[str, Any]],
    database_url: str,
    letters: Sequence[str] = LETTERS,
) -> dict[str, Any]:
    """Counts per asset, and match quality against the crosswalk / the mirror's truth."""
    store = ProcessedStore(data_dir)

    def outputs(asset: str, key: str) -> list[Any]:
        return [r for x in letters for r in store.require(asset, x)[key]]

    verified = outputs("verified_matches", "rows")
    images = outputs("fighter_images", "rows")
    rows: dict[str, int] = {
        "fighter_details": len(outputs("fighter_details", "fighters")),
        "fighters_list": len(outputs("fighters_list", "rows")),
        "sherdog_matches": len(outputs("sherdog_matches", "fighters")),
        "verified_matches": sum(
            1 for r in verified if r["status"] in ("auto_verified", "override")
        ),
        "fighter_images": sum(1 for r in images if r["status"] == "saved"),
    }
    tables, stats_status = warehouse_rows(database_url)
    rows.update(tables)
    failures = Counter(r["reason"] for r in images if r["status"] != "saved")
    dupes_path = data_dir / "review" / "duplicate_images.json"
    duplicates = json.loads(dupes_path.read_text()) if dupes_path.exists() else []
    for asset in ("ufc_com_matches", "wikidata_fighters", "fighter_locations"):
        rows[asset] = len(outputs(asset, "rows"))
    return {
        "rows": rows,
        **match_quality(verified, truth),
        "ufccom": ufccom_quality(outputs("ufc_com_matches", "rows"), truth),
        "images": image_quality(images, duplicates),
        "locations": location_quality(outputs("fighter_locations", "rows"), truth),
        "image_failures": dict(sorted(failures.items())),
        "fight_stats": {
            k: int(stats_status.get(k, 0)) for k in ("loaded", "pending", "unavailable")
        },
    }


# ---------------------------------------------------------------- what is launched

DG = str(Path(sys.executable).parent / "dg")
EVENTS_LOCATION = "ufc_pipeline.events_definitions"
FIGHTERS_LOCATION = "ufc_pipeline.definitions"
#: the fighter chain after its two UFCStats steps (``full_refresh`` without group ufcstats)
AFTER_DETAILS = "group:sherdog,group:enrichment,group:warehouse"
POLL_S = 0.5  # how often the event logs and the progress files are read
BAR_FIELDS = "{task.fields[unit]}  {task.fields[rate]:.1f}/s  ETA {task.fields[eta]}"


@dataclass(frozen=True)
class Launch:
    """One ``dg launch`` of the demo: a selection of one code location's assets."""

    label: str
    location: str
    assets: str
    partition_range: str | None = None
    #: an asset the launch materializes, to tell its run from those launched beside it
    #: (by default the selection's first asset, when it names one)
    marker: str | None = None

    @property
    def run_asset(self) -> str | None:
        first = self.assets.split(",")[0]
        return self.marker or (None if ":" in first or "*" in first else first)

    def command(self, log_level: str) -> list[str]:
        cmd = [DG, "launch", "-m", self.location, "--assets", self.assets]
        if self.partition_range:
            cmd += ["--partition-range", self.partition_range]
        return cmd + ["--config-json", json.dumps(run_config(log_level))]


def run_config(log_level: str) -> dict[str, Any]:
    """Run config that sets the level of the run's console log (Dagster's CLI has no log
    level option of its own; the instance's ``python_logs`` would apply to every run)."""
    return {"loggers": {"console": {"config": {"log_level": log_level}}}}


#: Launches in stages: a stage starts when the one before it has ended, and the launches
#: of one stage run side by side.
Stage = list[Launch]


def launches(as_of: str, letters: str, first_month: str) -> list[Stage]:
    """The events list; every month's fight cards; the fighter list and pages; then the
    fight statistics beside the rest of the fighter chain (see the module docstring)."""
    last_month = f"{(as_of or '2025-01-01')[:7]}-01"
    months = f"{first_month}-01...{last_month}"
    chain = f"{letters[0]}...{letters[-1]}"
    return [
        [Launch("events list", EVENTS_LOCATION, "ufcstats_events")],
        [Launch(f"fight cards {months}", EVENTS_LOCATION, "fight_cards", months)],
        [
            Launch(
                f"fighter list and pages {chain}",
                FIGHTERS_LOCATION,
                "fighters_list,fighter_details",
                chain,
            )
        ],
        [
            Launch(f"fight statistics {months}", EVENTS_LOCATION, "fight_stats", months),
            Launch(
                f"fighter chain from Sherdog on {chain}",
                FIGHTERS_LOCATION,
                AFTER_DETAILS,
                chain,
                marker="sherdog_matches",
            ),
        ],
    ]


# ---------------------------------------------------------------- the terminal


class View:
    """What the terminal shows: a line per launch, a line when each asset starts and ends,
    and the progress of a long step (a bar on a terminal; a line every quarter otherwise)."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.running: set[str] = set()
        self.bar: Progress | None = None
        self.tasks: dict[str, TaskID] = {}  # a line of the bar per step in progress
        self.quarters: dict[str, int] = {}

    def say(self, text: str = "", *, style: str | None = None) -> None:
        self.console.print(text, style=style, highlight=False, markup=False, soft_wrap=True)

    def launch(self, number: int, total: int, launch: Launch, cmd: list[str]) -> None:
        shown = shlex.join(["dg", *cmd[1:-2]])
        self.say(f"[{number}/{total}] {launch.label}   ({shown})", style="bold")

    def step(self, event: StepEvent) -> None:
        if event.kind == "start":
            self.running.add(event.step)
            self.say(f"  {event.step:<18} started")
            return
        self.running.discard(event.step)
        self.close_task(event.step)
        self.say(step_line(event), style=None if event.status == "success" else "red")

    def progress(self, snap: dict[str, Any] | None) -> None:
        if not snap or snap.get("step") not in self.running or not snap.get("total"):
            return
        if self.console.is_terminal:
            self._draw(snap)
            return
        quarter = 4 * int(snap["done"]) // int(snap["total"])
        if 0 < quarter < 4 and quarter > self.quarters.get(snap["step"], 0):
            self.quarters[snap["step"]] = quarter
            self.say(f"  {progress_text(snap)}")

    def _draw(self, snap: dict[str, Any]) -> None:
        fields = {"rate": snap["rate"], "eta": eta_text(snap), "unit": snap["unit"]}
        if self.bar is None:
            self.bar = Progress(
                TextColumn("  {task.description:<18}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn(
                    "{task.fields[unit]}  {task.fields[rate]:.1f}/s  ETA {task.fields[eta]}"
                ),
                console=self.console,
                transient=True,
            )
            self.bar.start()
        task = self.tasks.get(snap["step"])
        if task is None:
            task = self.tasks[snap["step"]] = self.bar.add_task(
                snap["step"], total=snap["total"], **fields
            )
        self.bar.update(task, completed=snap["done"], refresh=True, **fields)

    def close_task(self, step: str) -> None:
        """The step has ended: its line leaves the bar, and the bar goes with its last."""
        task = self.tasks.pop(step, None)
        if not self.tasks:
            self.close_bar()
        elif self.bar is not None and task is not None:
            self.bar.remove_task(task)

    def close_bar(self) -> None:
        if self.bar is not None:
            self.bar.stop()
        self.bar, self.tasks = None, {}


def eta_text(snap: dict[str, Any]) -> str:
    return format_duration(snap["eta_s"]) if snap.get("eta_s") is not None else "?"


def progress_text(snap: dict[str, Any]) -> str:
    pct = 100 * snap["done"] // snap["total"]
    return (
        f"{snap['step']:<18} {snap['done']:,}/{snap['total']:,} {snap['unit']} ({pct} %), "
        f"{snap['rate']:.1f}/s, ETA {eta_text(snap)}"
    )


def step_line(event: StepEvent) -> str:
    """``  fighters_list      done      3,862 rows    4.1 s`` (or failed, with why)."""
    rows = f"{event.rows:,} rows" if event.rows is not None else ""
    secs = f"{event.duration_s:.1f} s" if event.duration_s is not None else ""
    word = {"success": "done", "failure": "FAILED"}.get(event.status, event.status)
    line = f"  {event.step:<18} {word:<8} {rows:>12} {secs:>9}"
    if event.issues:
        line += "   " + "; ".join(i if len(i) <= 200 else i[:199] + "…" for i in event.issues)
    return line.rstrip()


# ---------------------------------------------------------------- running


@dataclass
class Running:
    """A launch under way: its process, its run in the event log, its progress file."""

    launch: Launch
    number: int
    proc: subprocess.Popen[bytes]
    watch: RunWatch
    progress_file: Path


def follow(running: Sequence[Running], view: View) -> None:
    """Show the runs' steps and progress until every launch process has exited."""
    while True:
        finished = all(r.proc.poll() is not None for r in running)
        for r in running:
            for event in r.watch.poll():
                view.step(event)
            view.progress(read_progress(r.progress_file))
        if finished:
            view.close_bar()
            return
        time.sleep(POLL_S)


def start_launch(
    launch: Launch, number: int, ctx: DemoContext, instance: dg.DagsterInstance
) -> Running:
    """One ``dg launch``, its output appended to the log file, its run looked for in the
    event log among the runs created from now on (by the asset it targets first)."""
    cmd = launch.command(ctx.log_level)
    ctx.view.launch(number, ctx.launches, launch, cmd)
    progress_file = ctx.progress_file(number)
    progress_file.unlink(missing_ok=True)
    skip = [newest_run_id(instance)]
    env = {**ctx.env, "UFC_PROGRESS_FILE": str(progress_file)}
    with ctx.log_path.open("ab") as log:
        log.write(f"\n===== {shlex.join(cmd)}\n".encode())
        log.flush()
        since = time.time()
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    watch = RunWatch(instance, since, skip, asset=launch.run_asset)
    return Running(launch, number, proc, watch, progress_file)


def run_stage(stage: Stage, first: int, ctx: DemoContext, instance: dg.DagsterInstance) -> int:
    """The launches of ``stage`` side by side, numbered from ``first``; the exit code of
    the first that failed, else 0. A failed launch does not stop the others: what they
    do is kept, and the demo ends after the stage."""
    running: list[Running] = []
    try:
        for number, launch in enumerate(stage, start=first):
            running.append(start_launch(launch, number, ctx, instance))
        follow(running, ctx.view)
    except BaseException:
        for r in running:
            r.proc.terminate()
        for r in running:
            r.proc.wait()
        raise
    rc = 0
    for r in running:
        if r.proc.returncode != 0:
            report_failure(r.launch, r.proc.returncode, r.watch, ctx, instance)
            rc = rc or r.proc.returncode
    return rc


def report_failure(
    launch: Launch, rc: int, watch: RunWatch, ctx: DemoContext, instance: dg.DagsterInstance
) -> None:
    view = ctx.view
    view.say(f"{launch.label}: dg launch failed (exit {rc})", style="bold red")
    if watch.run_id is not None:
        for line in format_run(run_report(instance, watch.run_id).to_dict()):
            view.say("  " + line)
    else:  # no run was created: the log holds why (a definitions error, a bad option)
        tail = ctx.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
        for line in tail:
            view.say("  | " + line)
    view.say(f"Dagster log: {shown_path(ctx.log_path)}")


@dataclass
class DemoContext:
    """What every launch of one demo shares: the environment of the launches (mirror
    URLs, ``DAGSTER_HOME``), the view and the log file."""

    env: dict[str, str]
    view: View
    log_path: Path
    launches: int = 5

    @property
    def home(self) -> Path:
        return Path(self.env["DAGSTER_HOME"])

    def progress_file(self, number: int) -> Path:
        """Launch ``number``'s ``UFC_PROGRESS_FILE`` (launches side by side keep one each)."""
        return Path(self.env["UFC_DATA_DIR"]) / f".progress.{number}.json"

    @property
    def log_level(self) -> str:
        return str(env_value("UFC_RUN_LOG_LEVEL", self.env))


def demo_env(urls: dict[str, str], data_dir: Path) -> dict[str, str]:
    """:func:`mirror_env`, plus a Dagster instance the demo can follow: ``$DAGSTER_HOME``
    (the Makefile sets ``.dagster/``), else ``.dagster/`` here."""
    env = mirror_env(urls, data_dir)
    home = Path(env.get("DAGSTER_HOME") or ".dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    env["DAGSTER_HOME"] = str(home)
    return env


def new_log(data_dir: Path) -> Path:
    path = data_dir / "logs" / f"demo-{time.strftime('%Y%m%d-%H%M%S')}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def shown_path(path: Path) -> str:
    """``path`` relative to the working directory when it is under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def run_all(ctx: DemoContext, plan: Sequence[Stage]) -> int:
    """Every stage of ``plan`` in turn; the exit code of the first that fails, else 0."""
    number = 1
    with open_instance(ctx.home) as instance:
        for stage in plan:
            rc = run_stage(stage, number, ctx, instance)
            if rc != 0:
                return rc
            number += len(stage)
    return 0


def finish(
    ctx: DemoContext,
    data_dir: Path,
    truth: list[dict[str, Any]],
    letters: Sequence[str],
    started: float,
) -> dict[str, Any]:
    """The summary (printed and written to ``demo_summary.json``), then the log's path."""
    summary = summarize(data_dir, truth, settings_from_env(ctx.env).warehouse_url, letters)
    summary["wall_s"] = round(time.time() - started, 1)
    atomic_write(data_dir / "demo_summary.json", json.dumps(summary, indent=2).encode())
    print_summary(summary, ctx.view)
    ctx.view.say(f"Dagster log (every run's output): {shown_path(ctx.log_path)}")
    return summary


# ---------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data-dir", default=env_value("UFC_DATA_DIR"))
    ap.add_argument("--fighters", type=int, default=None, help="small mirror (N UFC fighters)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--letters", default=None, help="small mirror: only these list letters, e.g. km"
    )
    ap.add_argument("--first-month", default="1993-11", help="first month of fight cards (YYYY-MM)")
    args = ap.parse_args(argv)
    if args.letters and not set(args.letters) <= set(LETTERS):
        ap.error("--letters takes lower-case letters a-z")
    if not re.fullmatch(r"\d{4}-\d{2}", args.first_month):
        ap.error("--first-month takes YYYY-MM")
    return args


def mirror_args(args: argparse.Namespace) -> list[str]:
    extra = ["--seed", str(args.seed)]
    if args.fighters:
        extra += ["--fighters", str(args.fighters)]
    if args.letters:
        extra += ["--letters", args.letters]
    return extra


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    data_dir = Path(args.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    extra = mirror_args(args)
    letters = sorted(args.letters or LETTERS)
    view = View(Console(highlight=False))
    started = time.time()
    view.say("starting the local mirror of UFCStats and Sherdog ...")
    mirror, urls = start_mirror(data_dir, extra)
    try:
        view.say(f"mirror: UFCStats {urls['ufcstats_url']}  Sherdog {urls['sherdog_url']}")
        plan = launches(urls.get("as_of", ""), "".join(letters), args.first_month)
        count = sum(len(stage) for stage in plan)
        ctx = DemoContext(demo_env(urls, data_dir), view, new_log(data_dir), count)
        rc = run_all(ctx, plan)
        if rc != 0:
            return rc
        truth = write_truth(data_dir, extra, ctx.log_path)
    finally:
        stop(mirror)
    finish(ctx, data_dir, truth, letters, started)
    return 0


def write_truth(data_dir: Path, extra: list[str], log_path: Path) -> list[dict[str, Any]]:
    """The mirror's known answers (``python -m ufc_mirror truth``), its output to the log."""
    truth_path = data_dir / ".mirror-truth.json"
    with log_path.open("ab") as log:
        subprocess.check_call(
            [sys.executable, "-m", "ufc_mirror", "truth", "--out", str(truth_path), *extra],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return json.loads(truth_path.read_text())


def print_summary(s: dict[str, Any], view: View) -> None:
    say = view.say
    say("")
    say("== ufc_pipeline demo summary ==", style="bold")
    for asset, n in s["rows"].items():
        say(f"  {asset:<18} {n:>7} rows")
    say(
        f"  matches: {s['auto_verified']} verified, {s['review']} to review, "
        f"{s['unmatched']} unmatched"
    )
    say(
        f"  precision vs crosswalk: {s['precision_vs_crosswalk']}, "
        f"recall vs crosswalk: {s['recall_vs_crosswalk']}"
    )
    uc = s["ufccom"]
    say(
        f"  UFC.com matches: {uc['verified']} verified, precision {uc['precision']}, recall of "
        f"served athletes {uc['recall_of_served']}, slugs on two fighters "
        f"{uc['slugs_on_two_fighters']}"
    )
    im = s["images"]
    say(
        f"  images: {im['saved']} saved ({im['with_one_face']} with one face), "
        f"{im['duplicate_pairs']} pair(s) sharing a photo"
    )
    for source, v in im["by_source"].items():
        rejected = ", ".join(f"{k} {n}" for k, n in v["rejected"].items()) or "none"
        say(f"    {source:<10} saved {v['saved']:>5}; rejected: {rejected}")
    loc = s["locations"]
    cov, prec = loc["coverage"], loc["precision"]
    say(
        "  locations: coverage country {country}, birthplace {birthplace}, gym {gym}".format(**cov)
        + "; precision country {country}, birthplace {birthplace}, gym {gym}".format(**prec)
    )
    fs = s["fight_stats"]
    say(
        f"  fight statistics: {fs['loaded']} fights loaded, {fs['pending']} pending, "
        f"{fs['unavailable']} without statistics on the site"
    )
    say(f"  wall time: {s['wall_s']} s   (summary in data/demo_summary.json)")
    say("")
    say("Open the UI with `make ui` (dagster dev on http://127.0.0.1:3000 against the mirror).")
    say("Each run's steps and each asset's health: `make report`.")


if __name__ == "__main__":
    raise SystemExit(main())
