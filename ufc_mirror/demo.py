"""``make demo``: the whole chain for all 26 letters against the local mirror.

Starts the mirror (``python -m ufc_mirror serve``) on free 127.0.0.1 ports, runs
``dagster asset materialize --select '*' --partition-range a...z`` with the base URLs
pointing at it and the politeness delays off, stops the mirror, and prints a summary
(also written to ``data/demo_summary.json``) scored against the mirror's known truth.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from ufc_pipeline.fileio import atomic_write
from ufc_pipeline.processed import LETTERS, ProcessedStore
from ufc_pipeline.settings import env_value, settings_from_env


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
        "UFCSTATS_BASE_URL": urls["ufcstats_url"],
        "SHERDOG_BASE_URL": urls["sherdog_url"],
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


def summarize(data_dir: Path, truth: list[dict[str, Any]], database_url: str) -> dict[str, Any]:
    """Counts per asset, and match quality against the crosswalk / the mirror's truth."""
    store = ProcessedStore(data_dir)
    rows: dict[str, int] = {}
    rows["fighter_details"] = sum(
        len(store.require("fighter_details", x)["fighters"]) for x in LETTERS
    )
    rows["fighters_list"] = sum(len(store.require("fighters_list", x)["rows"]) for x in LETTERS)
    rows["sherdog_matches"] = sum(
        len(store.require("sherdog_matches", x)["fighters"]) for x in LETTERS
    )
    verified = [r for x in LETTERS for r in store.require("verified_matches", x)["rows"]]
    rows["verified_matches"] = sum(
        1 for r in verified if r["status"] in ("auto_verified", "override")
    )
    images = [r for x in LETTERS for r in store.require("fighter_images", x)["rows"]]
    rows["fighter_images"] = sum(1 for r in images if r["status"] == "saved")
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

    engine = make_engine(database_url)
    with engine.connect() as conn:
        rows["fights"] = conn.execute(select(func.count()).select_from(fights)).scalar_one()
        rows["events"] = conn.execute(select(func.count()).select_from(events)).scalar_one()
        rows["ufc_bouts"] = conn.execute(select(func.count()).select_from(ufc_bouts)).scalar_one()
        for table in (fight_stats, fight_stats_rounds):
            rows[table.name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
        stats_status = dict(
            conn.execute(
                select(fight_details.c.stats_status, func.count()).group_by(
                    fight_details.c.stats_status
                )
            ).all()
        )
        rows["fighters_table"] = conn.execute(
            select(func.count()).select_from(fighters)
        ).scalar_one()
    engine.dispose()
    status = Counter(r["status"] for r in verified)
    truth_by = {t["ufcstats_id"]: t for t in truth}
    auto = [r for r in verified if r["status"] in ("auto_verified", "override")]
    cw = [r for r in auto if truth_by.get(r["ufcstats_id"], {}).get("in_crosswalk")]
    cw_right = sum(1 for r in cw if r["sherdog_id"] == truth_by[r["ufcstats_id"]]["sherdog_id"])
    cw_total = sum(1 for t in truth if t.get("in_crosswalk"))
    all_right = sum(
        1 for r in auto if truth_by.get(r["ufcstats_id"], {}).get("sherdog_id") == r["sherdog_id"]
    )
    failures = Counter(r["reason"] for r in images if r["status"] != "saved")
    return {
        "rows": rows,
        "auto_verified": status.get("auto_verified", 0) + status.get("override", 0),
        "review": status.get("review", 0),
        "unmatched": status.get("unmatched", 0),
        "precision_vs_crosswalk": round(cw_right / len(cw), 4) if cw else None,
        "recall_vs_crosswalk": round(cw_right / cw_total, 4) if cw_total else None,
        "crosswalk_fighters": cw_total,
        "precision_vs_truth": round(all_right / len(auto), 4) if auto else None,
        "image_failures": dict(sorted(failures.items())),
        "fight_stats": {
            k: int(stats_status.get(k, 0)) for k in ("loaded", "pending", "unavailable")
        },
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data-dir", default=env_value("UFC_DATA_DIR"))
    ap.add_argument("--fighters", type=int, default=None, help="small mirror (N UFC fighters)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    data_dir = Path(args.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    extra = ["--seed", str(args.seed)]
    if args.fighters:
        extra += ["--fighters", str(args.fighters)]
    t0 = time.time()
    print("starting the local mirror of UFCStats and Sherdog ...", flush=True)
    mirror, urls = start_mirror(data_dir, extra)
    try:
        env = mirror_env(urls, data_dir)
        print(f"mirror: UFCStats {urls['ufcstats_url']}  Sherdog {urls['sherdog_url']}")
        dagster = str(Path(sys.executable).parent / "dagster")
        last_month = f"{urls.get('as_of', '2025-01-01')[:7]}-01"
        commands = [
            # the events location: the events list, then every month's fight cards and
            # fight statistics (one run)
            [
                dagster,
                "asset",
                "materialize",
                "-m",
                "ufc_pipeline.events_definitions",
                "--select",
                "ufcstats_events",
            ],
            [
                dagster,
                "asset",
                "materialize",
                "-m",
                "ufc_pipeline.events_definitions",
                "--select",
                "fight_cards,fight_stats",
                "--partition-range",
                f"1993-11-01...{last_month}",
            ],
            # the fighter chain for all 26 letters, one run
            [
                dagster,
                "asset",
                "materialize",
                "-m",
                "ufc_pipeline.definitions",
                "--select",
                "*",
                "--partition-range",
                "a...z",
            ],
        ]
        for cmd in commands:
            print("running: dagster " + " ".join(cmd[1:]), flush=True)
            rc = subprocess.call(cmd, env=env)
            if rc != 0:
                print(f"dagster asset materialize failed (exit {rc})", file=sys.stderr)
                return rc
        truth_path = data_dir / ".mirror-truth.json"
        subprocess.check_call(
            [
                sys.executable,
                "-m",
                "ufc_mirror",
                "truth",
                "--out",
                str(truth_path),
                *extra,
            ]
        )
        truth = json.loads(truth_path.read_text())
    finally:
        stop(mirror)
    db_url = settings_from_env(env).warehouse_url
    summary = summarize(data_dir, truth, db_url)
    summary["wall_s"] = round(time.time() - t0, 1)
    atomic_write(data_dir / "demo_summary.json", json.dumps(summary, indent=2).encode())
    print_summary(summary)
    return 0


def print_summary(s: dict[str, Any]) -> None:
    print("\n== ufc_pipeline demo summary ==")
    for asset, n in s["rows"].items():
        print(f"  {asset:<18} {n:>7} rows")
    print(
        f"  matches: {s['auto_verified']} verified, {s['review']} to review, "
        f"{s['unmatched']} unmatched"
    )
    print(
        f"  precision vs crosswalk: {s['precision_vs_crosswalk']}, "
        f"recall vs crosswalk: {s['recall_vs_crosswalk']}"
    )
    print(f"  image failures: {s['image_failures']}")
    fs = s["fight_stats"]
    print(
        f"  fight statistics: {fs['loaded']} fights loaded, {fs['pending']} pending, "
        f"{fs['unavailable']} without statistics on the site"
    )
    print(f"  wall time: {s['wall_s']} s   (summary in data/demo_summary.json)")
    print("\nOpen the UI with `make ui` (dagster dev on http://127.0.0.1:3000 against the mirror).")


if __name__ == "__main__":
    raise SystemExit(main())
