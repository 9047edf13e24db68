"""The small-run fixed cost: ``fighters_list`` + ``fighter_details`` for a..z through the
Dagster CLI (``dagster asset materialize``, a new process as a user or a schedule starts
it) on a small world, against the sequential baseline run as a process on the same pages.
Both are timed as whole processes (start-up included): wall and CPU seconds.

``python bench/cli_bench.py --fighters 200``; ``make bench`` runs it after its phases.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
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


def run(fighters: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="ufc-cli-bench-"))
    mirror, urls = start_mirror(work, ["--fighters", str(fighters)])
    try:
        env = {
            **os.environ,
            **source_env(urls),
            "UFCSTATS_RATE": "0",
            "SHERDOG_RATE": "0",
            "UFC_HTTP_BACKOFF_BASE": "0",
            "UFC_HTTP_BACKOFF_MAX": "0",
            "UFC_DATA_DIR": str(work / "data"),
            "UFC_TODAY": urls["as_of"],
            "DAGSTER_HOME": str(work / "dagster_home"),
        }
        (work / "dagster_home").mkdir()
        shutil.copy(ROOT / "dagster.yaml", work / "dagster_home" / "dagster.yaml")
        baseline = _timed(
            [sys.executable, "bench/baseline_sequential.py", urls["ufcstats_url"]], env
        )
        cli = _timed(
            [
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
            ],
            env,
        )
    finally:
        stop(mirror)
        shutil.rmtree(work, ignore_errors=True)
    out = {
        "fighters": fighters,
        "baseline": baseline,
        "cli": cli,
        "wall_ratio": round(baseline["wall_s"] / cli["wall_s"], 2),
    }
    print(
        f"(d) {fighters}-fighter world through the CLI: baseline {baseline['wall_s']} s wall "
        f"({baseline['cpu_s']} s CPU), dagster asset materialize {cli['wall_s']} s wall "
        f"({cli['cpu_s']} s CPU): {out['wall_ratio']}x",
        flush=True,
    )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--fighters", type=int, default=200)
    args = ap.parse_args(argv)
    print(json.dumps(run(args.fighters), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
