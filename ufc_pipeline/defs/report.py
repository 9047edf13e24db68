"""Run reports and stage health, read from the Dagster instance (``DAGSTER_HOME``).

* :func:`run_report`: one run, every planned step with its status, items (the
  ``dagster/row_count`` of its materialization), duration, retries and issues (failed
  checks, "warned" for a warning-severity one, the root cause of an error, a retry); the
  failure alert carries it.
* :func:`build_report`: the last run of each job and, per asset over the last N runs that
  planned it, success rate, mean and p95 duration, rows and the last failure with its
  reason; ``ufc-pipeline report`` prints it (:func:`format_report`) or its JSON.
* :class:`RunWatch`: the step starts and ends of a run while it runs (``make demo``).

Runs launched from the CLI all belong to Dagster's implicit asset job, so such a run's
"job" is named by the assets it selected (``assets fight_cards``). Each asset of this
project is one step whose key is the asset's name. Works on SQLite and PostgreSQL
instances alike: everything goes through the instance's public API.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg

from ufc_pipeline.defs.partitions import RANGE_END, RANGE_START

ET = dg.DagsterEventType
IMPLICIT_JOB = "__ASSET_JOB"
STATUS = {"SUCCESS": "success", "FAILURE": "failure", "SKIPPED": "skipped"}
REPORT_EVENTS = {ET.ASSET_MATERIALIZATION, ET.ASSET_CHECK_EVALUATION, ET.STEP_FAILURE}
WATCH_EVENTS = REPORT_EVENTS | {ET.STEP_START, ET.STEP_SUCCESS, ET.STEP_SKIPPED}


class InstanceNotConfigured(RuntimeError):
    """``DAGSTER_HOME`` is not set: there is no instance to read."""


@contextmanager
def open_instance(home: str | Path | None = None) -> Iterator[dg.DagsterInstance]:
    """The instance of ``home`` (default ``$DAGSTER_HOME``), disposed afterwards."""
    home = home or os.environ.get("DAGSTER_HOME")
    if not home:
        raise InstanceNotConfigured(
            "DAGSTER_HOME is not set: point it at the Dagster instance (the Makefile uses "
            ".dagster/ in the project)"
        )
    instance = dg.DagsterInstance.from_config(str(Path(home).resolve()))
    try:
        yield instance
    finally:
        instance.dispose()


def root_error(err: Any) -> str:
    """The innermost cause of a step error: what actually went wrong, its exception
    named without its module (``MatchStepError: Sherdog search failed ...``)."""
    while getattr(err, "cause", None) is not None:
        err = err.cause
    text = (err.message or "").strip() if err is not None else ""
    head, sep, rest = text.partition(": ")
    if sep and "." in head and " " not in head:
        text = f"{head.rsplit('.', 1)[-1]}: {rest}"
    return text or "step failed"


@dataclass
class StepReport:
    """One step of a run: status, items, duration, retries and what went wrong."""

    step: str
    status: str  # success, failure, skipped, running, not run
    rows: int | None = None
    duration_s: float | None = None
    retries: int = 0
    issues: list[str] = field(default_factory=list)


@dataclass
class RunReport:
    """One run: its job, partitions, status, timing and every planned step."""

    run_id: str
    job: str
    location: str | None
    partitions: str | None
    status: str
    started: float | None
    ended: float | None
    steps: list[StepReport]
    issues: list[str] = field(default_factory=list)

    @property
    def duration_s(self) -> float | None:
        if self.started is None or self.ended is None:
            return None
        return round(self.ended - self.started, 3)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["duration_s"] = self.duration_s
        out["started"] = _iso(self.started)
        out["ended"] = _iso(self.ended)
        return out


def _iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return dt.datetime.fromtimestamp(ts, tz=dt.UTC).isoformat(timespec="seconds")


def job_label(run: dg.DagsterRun) -> str:
    """The job's name; for the implicit asset job, the assets the run selected."""
    if not run.job_name.startswith(IMPLICIT_JOB):
        return run.job_name
    keys = sorted(k.to_user_string() for k in (run.asset_selection or ()))
    return "assets " + ",".join(keys) if keys else run.job_name


def partitions_of(tags: dict[str, str]) -> str | None:
    if tags.get("dagster/partition"):
        return tags["dagster/partition"]
    if RANGE_START in tags:
        return f"{tags[RANGE_START]}...{tags.get(RANGE_END, '')}"
    return None


def _planned(instance: dg.DagsterInstance, run: dg.DagsterRun) -> list[str]:
    if not run.execution_plan_snapshot_id:
        return []
    snap = instance.get_execution_plan_snapshot(run.execution_plan_snapshot_id)
    return list(snap.step_keys_to_execute or [s.key for s in snap.steps])


def _row_count(entry: Any) -> int | None:
    mat = entry.dagster_event.event_specific_data.materialization
    value = mat.metadata.get("dagster/row_count")
    return int(value.value) if value is not None and value.value is not None else None


def _step_details(events: Iterable[Any]) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Rows (the last materialization's row count) and issues of each step."""
    rows: dict[str, int] = {}
    issues: dict[str, list[str]] = {}

    def add(step: str, text: str) -> None:
        bucket = issues.setdefault(step, [])
        if text not in bucket:
            bucket.append(text)

    for entry in events:
        event, step = entry.dagster_event, entry.step_key or ""
        if event is None:
            continue
        data = event.event_specific_data
        if event.event_type == ET.ASSET_MATERIALIZATION:
            count = _row_count(entry)
            if count is not None:
                rows[step] = count
        elif event.event_type == ET.ASSET_CHECK_EVALUATION and not data.passed:
            word = "warned" if data.severity == dg.AssetCheckSeverity.WARN else "failed"
            add(step, f"check {data.check_name} {word}: {data.description or ''}".strip())
        elif event.event_type == ET.STEP_FAILURE:
            add(step, f"error: {root_error(data.error)}")
    return rows, issues


def _step_status(stats: Any, run_done: bool) -> str:
    if stats is None:
        return "not run" if run_done else "pending"
    if stats.status is None:
        return "running"
    return STATUS.get(stats.status.value, stats.status.value.lower())


def _steps(instance: dg.DagsterInstance, run: dg.DagsterRun, run_done: bool) -> list[StepReport]:
    stats = {s.step_key: s for s in instance.get_run_step_stats(run.run_id)}
    rows, issues = _step_details(instance.all_logs(run.run_id, of_type=REPORT_EVENTS))
    keys = _planned(instance, run) or list(stats)
    keys += [k for k in stats if k not in keys]
    steps = []
    for key in keys:
        s = stats.get(key)
        duration = None
        if s is not None and s.start_time is not None and s.end_time is not None:
            duration = round(s.end_time - s.start_time, 3)
        retries = max(0, (s.attempts or 1) - 1) if s is not None else 0
        step_issues = list(issues.get(key, []))
        if retries:
            step_issues.append(f"retried {retries} time(s)")
        steps.append(
            StepReport(
                key, _step_status(s, run_done), rows.get(key), duration, retries, step_issues
            )
        )
    return steps


def run_report(instance: dg.DagsterInstance, run_id: str) -> RunReport:
    """Every planned step of the run with its status, items, duration, retries, issues."""
    record = instance.get_run_record_by_id(run_id)
    if record is None:
        raise KeyError(f"no run {run_id} in this Dagster instance")
    run = record.dagster_run
    steps = _steps(instance, run, run.is_finished)
    run_issues = []
    if run.status == dg.DagsterRunStatus.FAILURE and not any(s.status == "failure" for s in steps):
        failures = instance.all_logs(run_id, of_type=ET.RUN_FAILURE)
        run_issues.append(failures[-1].message if failures else "run failed")
    origin = run.remote_job_origin
    return RunReport(
        run_id=run.run_id,
        job=job_label(run),
        location=origin.location_name if origin is not None else None,
        partitions=partitions_of(dict(run.tags)),
        status=run.status.value.lower(),
        started=record.start_time,
        ended=record.end_time,
        steps=steps,
        issues=run_issues,
    )


def recent_runs(instance: dg.DagsterInstance, limit: int) -> list[RunReport]:
    """Reports of the last ``limit`` runs, newest first."""
    return [
        run_report(instance, r.dagster_run.run_id) for r in instance.get_run_records(limit=limit)
    ]


def p95(values: Sequence[float]) -> float | None:
    """The 95th percentile (nearest rank)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class AssetHealth:
    """One asset over the last runs that planned it."""

    asset: str
    runs: int
    succeeded: int
    failed: int
    skipped: int
    success_rate: float | None
    mean_s: float | None
    p95_s: float | None
    rows: int | None
    last_failure: dict[str, Any] | None


def asset_health(asset: str, history: Sequence[tuple[RunReport, StepReport]]) -> AssetHealth:
    """Figures of ``asset`` from (run, step) pairs, newest first; unfinished runs ignored."""
    done = [(r, s) for r, s in history if s.status not in ("running", "pending")]
    succeeded = [(r, s) for r, s in done if s.status == "success"]
    failed = [(r, s) for r, s in done if s.status == "failure"]
    durations = [s.duration_s for _, s in done if s.duration_s is not None]
    ran = len(succeeded) + len(failed)
    last_failure = None
    if failed:
        run, step = failed[0]
        last_failure = {
            "run_id": run.run_id,
            "at": _iso(run.ended or run.started),
            "reason": step.issues[0] if step.issues else "step failed",
        }
    return AssetHealth(
        asset=asset,
        runs=len(done),
        succeeded=len(succeeded),
        failed=len(failed),
        skipped=len(done) - ran,
        success_rate=round(len(succeeded) / ran, 4) if ran else None,
        mean_s=round(sum(durations) / len(durations), 3) if durations else None,
        p95_s=round(p95(durations), 3) if durations else None,
        rows=succeeded[0][1].rows if succeeded else None,
        last_failure=last_failure,
    )


def build_report(instance: dg.DagsterInstance, runs: int = 20) -> dict[str, Any]:
    """The last run of each job, and each asset's health over its last ``runs`` runs
    (looking at most ``10 * runs`` runs back)."""
    reports = recent_runs(instance, limit=max(1, runs) * 10)
    last: dict[tuple[str | None, str], RunReport] = {}
    history: dict[str, list[tuple[RunReport, StepReport]]] = {}
    for rep in reports:
        last.setdefault((rep.location, rep.job), rep)
        for step in rep.steps:
            bucket = history.setdefault(step.step, [])
            if len(bucket) < runs:
                bucket.append((rep, step))
    return {
        "generated_at": _iso(dt.datetime.now(tz=dt.UTC).timestamp()),
        "runs_per_asset": runs,
        "runs_read": len(reports),
        "last_runs": [r.to_dict() for r in sorted(last.values(), key=lambda r: r.job)],
        "assets": [asdict(asset_health(a, h)) for a, h in sorted(history.items())],
    }


# ---------------------------------------------------------------- text


def _secs(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} s"


def _count(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def short_job(run: dict[str, Any]) -> str:
    """A run's job for a terminal: ``assets fighters_list..fights (6)`` for long selections."""
    job, steps = run["job"], [s["step"] for s in run["steps"]]
    if job.startswith("assets ") and len(steps) > 2:
        job = f"assets {steps[0]}..{steps[-1]} ({len(steps)})"
    if run.get("partitions"):
        job += f" [{run['partitions']}]"
    return job


def _clip(text: str, width: int = 160) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_run(run: dict[str, Any]) -> list[str]:
    """A run and its steps as aligned text lines."""
    lines = [
        f"{short_job(run)}: {run['status']}, started {run['started'] or '-'}, "
        f"{_secs(run['duration_s'])}, run {run['run_id'][:8]}",
        f"    {'step':<18} {'status':<8} {'items':>8} {'duration':>9} {'retries':>7}  issues",
    ]
    for s in run["steps"]:
        issues = _clip("; ".join(s["issues"]))
        lines.append(
            f"    {s['step']:<18} {s['status']:<8} {_count(s['rows']):>8} "
            f"{_secs(s['duration_s']):>9} {s['retries']:>7}  {issues}".rstrip()
        )
    lines += [f"    issue: {_clip(text)}" for text in run.get("issues", [])]
    return lines


def format_health(assets: Sequence[dict[str, Any]]) -> list[str]:
    lines = [
        f"  {'asset':<18} {'runs':>4} {'ok':>3} {'fail':>4} {'skip':>4} {'success':>7} "
        f"{'mean':>9} {'p95':>9} {'rows':>8}  last failure"
    ]
    for a in assets:
        rate = "-" if a["success_rate"] is None else f"{100 * a['success_rate']:.0f} %"
        fail = a["last_failure"]
        last = f"{fail['at']} run {fail['run_id'][:8]}: {_clip(fail['reason'])}" if fail else "-"
        lines.append(
            f"  {a['asset']:<18} {a['runs']:>4} {a['succeeded']:>3} {a['failed']:>4} "
            f"{a['skipped']:>4} {rate:>7} {_secs(a['mean_s']):>9} "
            f"{_secs(a['p95_s']):>9} {_count(a['rows']):>8}  {last}"
        )
    return lines


def format_report(report: dict[str, Any]) -> str:
    """The report of :func:`build_report` as text."""
    if not report["last_runs"]:
        return "No runs in this Dagster instance yet."
    lines = ["Last run of each job"]
    for run in report["last_runs"]:
        lines += ["  " + line for line in format_run(run)]
    lines += [
        "",
        f"Stage health (each asset's last {report['runs_per_asset']} runs; success rate of "
        "the runs in which it ran, skipped: not run after an upstream failure)",
    ]
    lines += format_health(report["assets"])
    return "\n".join(lines)


# ---------------------------------------------------------------- live view


@dataclass
class StepEvent:
    """A step started (``kind="start"``) or ended, for a live view of a run."""

    kind: str
    step: str
    status: str = ""
    rows: int | None = None
    duration_s: float | None = None
    issues: list[str] = field(default_factory=list)


def newest_run_id(instance: dg.DagsterInstance) -> str | None:
    records = instance.get_run_records(limit=1)
    return records[0].dagster_run.run_id if records else None


class RunWatch:
    """Follows the first run created after ``since`` (a Unix time; the run storage may
    keep whole seconds, so the search starts a second earlier) other than ``skip`` (the
    runs that existed before), and turns its event log into step starts and ends. With
    ``asset``, the first such run that materializes that asset (runs launched side by side
    are told apart by what they target)."""

    def __init__(
        self,
        instance: dg.DagsterInstance,
        since: float,
        skip: Collection[str | None] = (),
        asset: str | None = None,
    ) -> None:
        self.instance = instance
        self.since = dt.datetime.fromtimestamp(math.floor(since) - 1, tz=dt.UTC)
        self.skip = set(skip)
        self.asset = dg.AssetKey(asset) if asset else None
        self.run_id: str | None = None
        self._cursor: str | None = None
        self._rows: dict[str, int] = {}
        self._issues: dict[str, list[str]] = {}

    def _find_run(self) -> str | None:
        found = self.instance.get_run_records(
            filters=dg.RunsFilter(created_after=self.since), limit=10, ascending=True
        )
        fresh = [
            r.dagster_run.run_id
            for r in found
            if r.dagster_run.run_id not in self.skip
            and (self.asset is None or self.asset in (r.dagster_run.asset_selection or ()))
        ]
        return fresh[0] if fresh else None

    def poll(self) -> list[StepEvent]:
        """The step starts and ends logged since the last poll."""
        self.run_id = self.run_id or self._find_run()
        if self.run_id is None:
            return []
        out: list[StepEvent] = []
        while True:
            conn = self.instance.get_records_for_run(
                self.run_id, cursor=self._cursor, of_type=WATCH_EVENTS, limit=500
            )
            self._cursor = conn.cursor
            out += [e for r in conn.records if (e := self._event(r.event_log_entry))]
            if not conn.has_more:
                return out

    def _event(self, entry: Any) -> StepEvent | None:
        event, step = entry.dagster_event, entry.step_key or ""
        kind = event.event_type if event is not None else None
        if kind in (ET.ASSET_MATERIALIZATION, ET.ASSET_CHECK_EVALUATION):
            rows, issues = _step_details([entry])
            self._rows.update(rows)
            for text in issues.get(step, []):
                self._issues.setdefault(step, []).append(text)
            return None
        if kind == ET.STEP_START:
            return StepEvent("start", step)
        if kind not in (ET.STEP_SUCCESS, ET.STEP_FAILURE, ET.STEP_SKIPPED):
            return None
        issues = list(dict.fromkeys(self._issues.get(step, [])))
        duration = None
        if kind == ET.STEP_SUCCESS:
            duration = event.event_specific_data.duration_ms / 1000
        if kind == ET.STEP_FAILURE:
            issues.append(f"error: {root_error(event.event_specific_data.error)}")
        status = STATUS[kind.value.removeprefix("STEP_")]
        return StepEvent("end", step, status, self._rows.get(step), duration, issues)

    def run_status(self) -> str | None:
        if self.run_id is None:
            return None
        run = self.instance.get_run_by_id(self.run_id)
        return run.status.value.lower() if run is not None else None
