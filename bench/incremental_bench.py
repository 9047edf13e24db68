"""``make bench``: the cost of a full run, a no-op re-run and a re-run after one new event,
on the full local mirror with delays off; and the request rate achieved against a limit.

Prints wall time, peak RSS and requests by kind for (a) a full run from empty, (b) a no-op
re-run, (c) a re-run after one new event is added to the mirror; then runs the polite client
at a configured limit (20 req/s for 30 s) and reports achieved / configured. Writes
``bench/results/incremental.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from ufc_pipeline.demo import start_mirror, stop
from ufc_pipeline.sources.config import SiteConfig
from ufc_pipeline.sources.http import PoliteClient

ROOT = Path(__file__).resolve().parents[1]
DETAIL_KINDS = ("ufcstats_fighter", "sherdog_search", "sherdog_fighter", "image")


def mirror_stats(url: str) -> dict[str, Any]:
    return httpx.get(f"{url}/__mirror/stats", timeout=30).json()


def combined(urls: dict[str, str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for key in ("ufcstats_url", "sherdog_url"):
        for k, v in mirror_stats(urls[key]).items():
            if isinstance(v, int):
                out[k] = out.get(k, 0) + v
    return out


def run_phase(
    label: str, commands: list[list[str]], env: dict[str, str], urls: dict[str, str]
) -> dict[str, Any]:
    before = combined(urls)
    t0 = time.time()
    for cmd in commands:
        proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
            raise SystemExit(f"{label}: {' '.join(cmd[1:6])} failed (exit {proc.returncode})")
    wall = time.time() - t0
    after = combined(urls)
    requests = {
        k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) - before.get(k, 0)
    }
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = {
        "wall_s": round(wall, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "requests": requests,
        "detail_fetches": sum(requests.get(k, 0) for k in DETAIL_KINDS),
    }
    print(
        f"{label:<22} wall {result['wall_s']:>7} s   peak RSS {result['peak_rss_mb']:>7} MB   "
        f"detail fetches {result['detail_fetches']:>6}   requests {requests}",
        flush=True,
    )
    return result


def commands(dagster: str, months: tuple[str, str], letters: tuple[str, str]) -> list[list[str]]:
    in_process = json.dumps({"execution": {"config": {"in_process": {}}}})
    return [
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
            "fight_cards",
            "--partition-range",
            f"{months[0]}...{months[1]}",
            "--config-json",
            in_process,
        ],
        [
            dagster,
            "asset",
            "materialize",
            "-m",
            "ufc_pipeline.definitions",
            "--select",
            "*",
            "--partition-range",
            f"{letters[0]}...{letters[1]}",
            "--config-json",
            in_process,
        ],
    ]


async def rate_probe(url: str, rate: float, seconds: float) -> dict[str, Any]:
    cfg = SiteConfig(
        name="ufcstats", base_url=url, rate_per_s=rate, concurrency=4, obey_robots=True
    )
    paths = [f"/statistics/fighters?char={c}&page=all" for c in "abcdefghijklmnopqrstuvwxyz"]
    done = 0
    async with PoliteClient(cfg) as client:
        await client.allowed(cfg.url("/"))  # robots.txt first, outside the window
        t0 = time.monotonic()
        deadline = t0 + seconds

        async def worker(i: int) -> None:
            nonlocal done
            while time.monotonic() < deadline:
                await client.get(paths[(done + i) % len(paths)], kind="probe")
                done += 1

        await asyncio.gather(*(worker(i) for i in range(4)))
        elapsed = time.monotonic() - t0
    achieved = done / elapsed
    return {
        "configured_per_s": rate,
        "achieved_per_s": round(achieved, 2),
        "requests": done,
        "seconds": round(elapsed, 1),
        "utilization": round(achieved / rate, 4),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--fighters", type=int, default=None)
    ap.add_argument("--out", default="bench/results/incremental.json")
    ap.add_argument("--rate", type=float, default=20.0)
    ap.add_argument("--rate-seconds", type=float, default=30.0)
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ufc-bench-"))
    extra = ["--fighters", str(args.fighters)] if args.fighters else []
    mirror, urls = start_mirror(work, extra)
    try:
        home = work / "dagster_home"
        home.mkdir()
        (home / "dagster.yaml").write_text((ROOT / "dagster.yaml").read_text())
        env = {
            **os.environ,
            "DAGSTER_HOME": str(home),
            "UFC_DATA_DIR": str(work / "data"),
            "UFCSTATS_BASE_URL": urls["ufcstats_url"],
            "SHERDOG_BASE_URL": urls["sherdog_url"],
            "UFCSTATS_RATE": "0",
            "SHERDOG_RATE": "0",
            "UFCSTATS_CONCURRENCY": "8",
            "SHERDOG_CONCURRENCY": "8",
            "UFC_HTTP_BACKOFF_BASE": "0.05",
            "UFC_HTTP_BACKOFF_MAX": "1",
            "UFC_TODAY": urls["as_of"],
        }
        dagster = str(Path(sys.executable).parent / "dagster")
        last_month = f"{urls['as_of'][:7]}-01"
        full = run_phase(
            "(a) full run", commands(dagster, ("1993-11-01", last_month), ("a", "z")), env, urls
        )
        noop = run_phase(
            "(b) no-op re-run", commands(dagster, (last_month, last_month), ("a", "z")), env, urls
        )
        added = httpx.post(
            f"{urls['ufcstats_url']}/__mirror/add_event", json={"bouts": 3}, timeout=60
        ).json()
        month = f"{str(added['event_date'])[:7]}-01"
        event = run_phase(
            "(c) after a new event", commands(dagster, (month, month), ("a", "z")), env, urls
        )
        print(f"new event {added['event_name']}: {len(added['fighter_ids'])} fighters", flush=True)
        rate = asyncio.run(rate_probe(urls["ufcstats_url"], args.rate, args.rate_seconds))
        print(
            f"rate: configured {rate['configured_per_s']} req/s, achieved "
            f"{rate['achieved_per_s']} req/s over {rate['seconds']} s "
            f"({rate['utilization']:.1%})",
            flush=True,
        )
    finally:
        stop(mirror)
    result = {
        "full_wall_s": full["wall_s"],
        "full_peak_rss_mb": full["peak_rss_mb"],
        "full_requests": full["requests"],
        "noop_wall_s": noop["wall_s"],
        "noop_detail_fetches": noop["detail_fetches"],
        "noop_requests": noop["requests"],
        "noop_fraction_of_full": round(noop["wall_s"] / full["wall_s"], 4),
        "event_rerun_fetches": event["detail_fetches"],
        "event_rerun_requests": event["requests"],
        "event_fighters": len(added["fighter_ids"]),
        "rate_utilization": rate["utilization"],
        "rate": rate,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if not isinstance(v, dict)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
