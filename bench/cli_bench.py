"""The small-run fixed cost: ``fighters_list`` + ``fighter_details`` for a..z through the
Dagster CLI (``dagster asset materialize``, a new process as a user or a schedule starts
it) on a small world, against the sequential baseline run as a process on the same pages.
Both are timed as whole processes (start-up included): wall and CPU seconds.

The CLI runs on a Dagster instance that already exists, as every run after an instance's
first does (``--reps`` times, each into an empty data directory, so each fetches every
page), alternating with the baseline: the ratio is that of the medians. The first run,
which also creates the instance's databases, is reported apart.

``python bench/cli_bench.py --fighters 200``; ``make bench`` runs it after its phases.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ufc_mirror.demo import start_mirror, stop
from ufc_mirror.envs import source_env

ROOT = Path(__file__).resolve().parent.parent


def _timed(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2)}


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {
        "wall_s": round(statistics.median(r["wall_s"] for r in runs), 2),
        "cpu_s": round(statistics.median(r["cpu_s"] for r in runs), 2),
    }


def run(fighters: int, reps: int = 3) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="ufc-cli-bench-"))
    mirror, urls = start_mirror(work, ["--fighters", str(fighters)])
    cli_cmd = [
        sys.executable,
        "-m",
        "dagster",
        "asset",
        "materialize",
        "-m",
        "ufc_pipeline.definitions",
        "--select",
        "fighters_list,fighter_details",
        "--partition-range",
        "a...z",
    ]
    try:
        env = {
            **os.environ,
            **source_env(urls),
            "UFCSTATS_RATE": "0",
            "SHERDOG_RATE": "0",
            "UFC_HTTP_BACKOFF_BASE": "0",
            "UFC_HTTP_BACKOFF_MAX": "0",
            "UFC_TODAY": urls["as_of"],
            "DAGSTER_HOME": str(work / "dagster_home"),
        }
        (work / "dagster_home").mkdir()
        shutil.copy(ROOT / "dagster.yaml", work / "dagster_home" / "dagster.yaml")
        baseline_cmd = [sys.executable, "bench/baseline_sequential.py", urls["ufcstats_url"]]
        first = _timed(cli_cmd, {**env, "UFC_DATA_DIR": str(work / "data0")})
        baselines, clis = [], []
        for rep in range(1, reps + 1):
            baselines.append(_timed(baseline_cmd, env))
            clis.append(_timed(cli_cmd, {**env, "UFC_DATA_DIR": str(work / f"data{rep}")}))
    finally:
        stop(mirror)
        shutil.rmtree(work, ignore_errors=True)
    baseline, cli = _median(baselines), _median(clis)
    out = {
        "fighters": fighters,
        "reps": reps,
        "baseline": baseline,
        "cli": cli,
        "wall_ratio": round(baseline["wall_s"] / cli["wall_s"], 2),
        "baseline_runs": baselines,
        "cli_runs": clis,
        "cli_new_instance": first,
        "new_instance_wall_ratio": round(baseline["wall_s"] / first["wall_s"], 2),
    }
    print(
        f"(d) {fighters}-fighter world through the CLI, medians of {reps}: baseline "
        f"{baseline['wall_s']} s wall ({baseline['cpu_s']} s CPU), dagster asset materialize "
        f"{cli['wall_s']} s wall ({cli['cpu_s']} s CPU): {out['wall_ratio']}x; "
        f"the instance's first run {first['wall_s']} s wall ({first['cpu_s']} s CPU): "
        f"{out['new_instance_wall_ratio']}x",
        flush=True,
    )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--fighters", type=int, default=200)
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args(argv)
    print(json.dumps(run(args.fighters, args.reps), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
