"""``make chaos``: the full mirror served with 10 % faults of every kind; the final warehouse
tables must equal a clean run's. Prints faults injected / retried / quarantined and whether
the tables are identical; writes ``bench/results/chaos.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import dagster as dg
import httpx
import sqlalchemy as sa

from ufc_mirror.demo import start_mirror, stop
from ufc_mirror.envs import resource_kwargs
from ufc_pipeline.defs.assets import ASSETS
from ufc_pipeline.defs.automation import RANGE_END, RANGE_START, full_refresh_job
from ufc_pipeline.defs.resources import resources_for
from ufc_pipeline.warehouse.engine import make_engine
from ufc_pipeline.warehouse.load import table_digest
from ufc_pipeline.warehouse.schema import quarantine

TABLES = ("fighters", "fights")
SITE = {
    "rate_per_s": 0.0,
    "concurrency": 8,
    "timeout_s": 1.5,
    "max_retries": 8,
    "backoff_base_s": 0.02,
    "backoff_max_s": 0.5,
}


def run(urls: dict[str, str], data: Path) -> tuple[dg.ExecuteInProcessResult, dict[str, int]]:
    defs = dg.Definitions(
        assets=ASSETS,
        jobs=[full_refresh_job],
        resources=resources_for(
            urls["ufcstats_url"], urls["sherdog_url"], data, site=SITE, **resource_kwargs(urls)
        ),
    )
    result = defs.resolve_job_def("full_refresh").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        tags={RANGE_START: "a", RANGE_END: "z"},
        raise_on_error=False,
    )
    retries: dict[str, int] = {}
    seen: set[str] = set()
    for event in result.all_events:
        if event.event_type_value != "ASSET_MATERIALIZATION":
            continue
        materialization = event.event_specific_data.materialization
        # A single-run backfill records one materialization per partition with the same
        # metadata: count each asset once.
        key = materialization.asset_key.to_user_string()
        if key in seen:
            continue
        seen.add(key)
        meta = materialization.metadata
        http = meta.get("http")
        value = getattr(http, "value", None) or getattr(http, "data", None)
        if isinstance(value, dict):
            # one client's stats, or (fighter_images) one per image source
            per_client = {"": value} if "retries" in value else value
            for client, stats in per_client.items():
                if not isinstance(stats, dict):
                    continue
                prefix = f"{key}:{client}:" if client else f"{key}:"
                for kind, n in (stats.get("retries") or {}).items():
                    retries[prefix + kind] = retries.get(prefix + kind, 0) + int(n)
        crawler = meta.get("crawler")
        cval = getattr(crawler, "value", None) or getattr(crawler, "data", None)
        if isinstance(cval, dict):
            for k in ("retry/count",):
                if k in cval:
                    retries[f"{key}:{k}"] = retries.get(f"{key}:{k}", 0) + int(cval[k])
    return result, retries


def digests(data: Path) -> dict[str, Any]:
    engine = make_engine(f"sqlite:///{data / 'warehouse.sqlite'}")
    try:
        with engine.connect() as conn:
            n = conn.execute(sa.select(sa.func.count()).select_from(quarantine)).scalar_one()
        return {"tables": {t: table_digest(engine, t) for t in TABLES}, "quarantined": n}
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--fighters", type=int, default=None)
    ap.add_argument("--rate", type=float, default=0.10)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--out", default="bench/results/chaos.json")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ufc-chaos-"))
    extra = ["--fighters", str(args.fighters)] if args.fighters else []
    t0 = time.time()
    (work / "clean").mkdir()
    mirror, urls = start_mirror(work / "clean", extra)
    try:
        clean, _ = run(urls, work / "clean")
    finally:
        stop(mirror)
    if not clean.success:
        raise SystemExit("the clean run failed")
    (work / "chaos").mkdir()
    faults = [
        "--faults",
        str(args.rate),
        "--fault-seed",
        str(args.seed),
        "--slow-s",
        "3",
        "--challenge-difficulty",
        "3",
    ]
    mirror, urls = start_mirror(work / "chaos", extra + faults)
    try:
        chaos, retries = run(urls, work / "chaos")
        injected = httpx.get(f"{urls['ufcstats_url']}/__mirror/stats", timeout=30).json()
    finally:
        stop(mirror)
    a, b = digests(work / "clean"), digests(work / "chaos")
    result = {
        "faults_injected": sum(injected.get("faults", {}).values()),
        "faults_by_kind": injected.get("faults", {}),
        "challenges_solved": injected.get("challenge_solved", 0),
        "retries": sum(retries.values()),
        "retries_by_kind": retries,
        "quarantined": b["quarantined"],
        "quarantined_clean": a["quarantined"],
        "chaos_run_success": chaos.success,
        "tables_identical": chaos.success and a["tables"] == b["tables"],
        "wall_s": round(time.time() - t0, 1),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"faults injected {result['faults_injected']} {result['faults_by_kind']}")
    print(
        f"retried {result['retries']}  quarantined {result['quarantined']} "
        f"(clean run: {result['quarantined_clean']})"
    )
    print(f"tables identical to a clean run: {result['tables_identical']}")
    if result["tables_identical"]:
        shutil.rmtree(work, ignore_errors=True)  # two full runs' data: gigabytes
        return 0
    print(f"both runs' data kept for inspection under {work}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
