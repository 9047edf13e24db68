"""The events job on the full local mirror: a run from empty and no-op re-runs.

Runs ``events_refresh`` (the events list, the fight cards and the fight statistics) in
process, as ``bench/incremental_bench.py`` does: (a) every month from empty, (b) a no-op
re-run of every month, (c) a no-op re-run of the last month (what the daily schedule
asks for). For each phase: per-step wall and CPU seconds, CPU ms per page, the requests
the mirror served, and digests of the warehouse tables and of the processed files, so two
versions of the code can be checked for identical outputs and requests.

``--baseline DIR`` (a checkout of another commit, e.g. ``git archive HEAD~1 | tar -x -C
DIR``) runs that code on the same mirror too, alternating with this checkout
(``--rounds``), and prints the ratios and whether outputs and requests are identical.
Each run is a child process (``--child``) with the code's root first on ``sys.path``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TABLES = (
    "events",
    "ufc_bouts",
    "fight_details",
    "fight_stats",
    "fight_stats_rounds",
    "quarantine",
)
STEP_KINDS = {
    "ufcstats_events": ("ufcstats_events",),
    "fight_cards": ("ufcstats_event",),
    "fight_stats": ("ufcstats_fight",),
}
SITE = {"rate_per_s": 0.0, "concurrency": 8, "backoff_base_s": 0.05, "backoff_max_s": 1.0}


# ---------------------------------------------------------------- child: one version


def _mirror_counts(url: str) -> dict[str, int]:
    import httpx

    stats = httpx.get(f"{url}/__mirror/stats", timeout=30).json()
    return {k: v for k, v in stats.items() if isinstance(v, int)}


def _files_digest(root: Path) -> dict[str, Any]:
    """SHA-256 over the processed files (path and parsed JSON content, so two writers that
    differ only in JSON layout digest equally), except ``pending.json``'s ``since``."""
    digest = hashlib.sha256()
    n = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = json.loads(path.read_bytes()) if path.suffix == ".json" else path.read_bytes()
        if path.name == "pending.json":
            data = {k: v for k, v in data.items() if k != "since"}
        rel = str(path.relative_to(root))
        body = json.dumps(data, sort_keys=True) if path.suffix == ".json" else repr(data)
        digest.update(f"{rel}\n{body}\n".encode())
        n += 1
    return {"files": n, "sha256": digest.hexdigest()}


def _table_digests(url: str) -> dict[str, str]:
    from ufc_pipeline.warehouse.engine import make_engine
    from ufc_pipeline.warehouse.load import table_digest

    engine = make_engine(url)
    try:
        return {t: table_digest(engine, t) for t in TABLES}
    finally:
        engine.dispose()


STEP_FUNCTIONS = {
    "ufcstats_events": "events_list_step",
    "fight_cards": "fight_cards_step",
    "fight_stats": "fight_stats_step",
}


def _timed_steps() -> dict[str, dict[str, float]]:
    """Wrap the step functions the event assets call so each records its wall and CPU
    seconds (the assets run in this process, one after the other)."""
    import ufc_pipeline.defs.events as assets

    costs: dict[str, dict[str, float]] = {}

    def timed(asset: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            wall0, cpu0 = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                costs[asset] = {
                    "wall_s": time.perf_counter() - wall0,
                    "cpu_s": time.process_time() - cpu0,
                }

        return wrapper

    for asset, name in STEP_FUNCTIONS.items():
        setattr(assets, name, timed(asset, getattr(assets, name)))
    return costs


def _phase(
    urls: dict[str, Any], data: Path, months: tuple[str, str], costs: dict[str, Any]
) -> dict[str, Any]:
    import dagster as dg

    from ufc_mirror.envs import resource_kwargs
    from ufc_pipeline.defs.events import EVENT_ASSETS
    from ufc_pipeline.defs.events_automation import events_refresh_job
    from ufc_pipeline.defs.partitions import RANGE_END, RANGE_START
    from ufc_pipeline.defs.resources import resources_for

    defs = dg.Definitions(
        assets=EVENT_ASSETS,
        jobs=[events_refresh_job],
        resources=resources_for(
            urls["ufcstats_url"],
            urls["sherdog_url"],
            data,
            site=SITE,
            today=urls["as_of"],
            **resource_kwargs(urls),
        ),
    )
    costs.clear()
    before = _mirror_counts(urls["ufcstats_url"])
    wall0, cpu0 = time.perf_counter(), time.process_time()
    result = defs.resolve_job_def("events_refresh").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        tags={RANGE_START: months[0], RANGE_END: months[1]},
        raise_on_error=False,
    )
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    if not result.success:
        failures = [e.message for e in result.all_events if e.is_failure]
        raise SystemExit(f"events_refresh failed: {failures[:3]}")
    after = _mirror_counts(urls["ufcstats_url"])
    requests = {k: after[k] - before.get(k, 0) for k in after if after[k] - before.get(k, 0)}
    steps = {}
    for name, cost in costs.items():
        pages = sum(requests.get(k, 0) for k in STEP_KINDS.get(name, ()))
        steps[name] = {
            "pages": pages,
            "wall_s": round(cost["wall_s"], 3),
            "cpu_s": round(cost["cpu_s"], 3),
            "cpu_ms_per_page": round(1000 * cost["cpu_s"] / pages, 3) if pages else None,
        }
    return {
        "job_wall_s": round(wall, 2),
        "job_cpu_s": round(cpu, 2),
        "steps_wall_s": round(sum(s["wall_s"] for s in steps.values()), 3),
        "steps_cpu_s": round(sum(s["cpu_s"] for s in steps.values()), 3),
        "steps": steps,
        "requests": requests,
    }


def child(urls: dict[str, Any], data: Path) -> dict[str, Any]:
    import ufc_pipeline
    from ufc_pipeline.warehouse.engine import default_sqlite_url

    first = "1993-11-01"
    last = f"{urls['as_of'][:7]}-01"
    out: dict[str, Any] = {"code": str(Path(ufc_pipeline.__file__).parent.parent)}
    costs = _timed_steps()
    out["full"] = _phase(urls, data, (first, last), costs)
    out["tables"] = _table_digests(default_sqlite_url(data))
    out["processed"] = _files_digest(data / "processed")
    out["noop_all_months"] = _phase(urls, data, (first, last), costs)
    out["noop_last_month"] = _phase(urls, data, (last, last), costs)
    out["tables_after_noop"] = _table_digests(default_sqlite_url(data))
    out["processed_after_noop"] = _files_digest(data / "processed")
    return out


# ---------------------------------------------------------------- parent


def run_child(code: Path, ready: Path, work: Path, label: str) -> dict[str, Any]:
    data = Path(tempfile.mkdtemp(prefix=f"{label}-", dir=work)) / "data"
    env = {**os.environ, "PYTHONPATH": str(code)}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(ready), str(data)]
    proc = subprocess.run(cmd, cwd=code, env=env, capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"{label}: child failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def summary(label: str, r: dict[str, Any]) -> None:
    for phase in ("full", "noop_all_months", "noop_last_month"):
        p = r[phase]
        steps = "  ".join(
            f"{k} {s['wall_s']:.2f}s wall/{s['cpu_s']:.2f}s CPU"
            + (f" ({s['cpu_ms_per_page']} ms/page)" if s["cpu_ms_per_page"] else "")
            for k, s in p["steps"].items()
        )
        print(
            f"{label:<9}{phase:<16} job wall {p['job_wall_s']:>7.2f} s, steps wall "
            f"{p['steps_wall_s']:>7.3f} s, CPU {p['steps_cpu_s']:>7.3f} s | {steps}",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--child", nargs=2, metavar=("READY", "DATA"), help=argparse.SUPPRESS)
    ap.add_argument("--baseline", type=Path, help="root of another checkout to compare with")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--fighters", type=int, default=None)
    ap.add_argument("--out", default="bench/results/events.json")
    args = ap.parse_args(argv)
    if args.child:
        urls = json.loads(Path(args.child[0]).read_text())
        print(json.dumps(child(urls, Path(args.child[1]))))
        return 0

    from ufc_mirror.demo import start_mirror, stop

    work = Path(tempfile.mkdtemp(prefix="ufc-events-bench-"))
    extra = ["--fighters", str(args.fighters)] if args.fighters else []
    mirror, urls = start_mirror(work, extra)
    ready = work / "urls.json"
    ready.write_text(json.dumps(urls))
    runs: dict[str, list[dict[str, Any]]] = {"current": [], "baseline": []}
    try:
        for _ in range(args.rounds):
            if args.baseline:
                runs["baseline"].append(run_child(args.baseline, ready, work, "baseline"))
                summary("baseline", runs["baseline"][-1])
            runs["current"].append(run_child(ROOT, ready, work, "current"))
            summary("current", runs["current"][-1])
    finally:
        stop(mirror)
        shutil.rmtree(work, ignore_errors=True)  # every round's data
    result: dict[str, Any] = {"runs": runs}
    if args.baseline:
        result["compare"] = compare(runs["baseline"], runs["current"])
        print(json.dumps(result["compare"], indent=1))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    return 0


def compare(base: list[dict[str, Any]], cur: list[dict[str, Any]]) -> dict[str, Any]:
    def best(runs: list[dict[str, Any]], phase: str, key: str) -> float:
        return min(r[phase][key] for r in runs)

    out: dict[str, Any] = {}
    for phase in ("full", "noop_all_months", "noop_last_month"):
        row = {}
        for key in ("job_wall_s", "steps_wall_s", "steps_cpu_s"):
            b, c = best(base, phase, key), best(cur, phase, key)
            row[key] = {"baseline": b, "current": c, "ratio": round(b / c, 2) if c else None}
        row["same_requests"] = all(
            r[phase]["requests"] == base[0][phase]["requests"] for r in [*base, *cur]
        )
        out[phase] = row
    for key in ("tables", "processed", "tables_after_noop", "processed_after_noop"):
        out[f"same_{key}"] = all(r[key] == base[0][key] for r in [*base, *cur])
    return out


if __name__ == "__main__":
    raise SystemExit(main())
