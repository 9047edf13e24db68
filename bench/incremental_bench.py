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
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import dagster as dg
import httpx

from ufc_mirror.demo import start_mirror, stop
from ufc_pipeline.defs.assets import ASSETS
from ufc_pipeline.defs.automation import RANGE_END, RANGE_START, full_refresh_job
from ufc_pipeline.defs.events import EVENT_ASSETS
from ufc_pipeline.defs.events_automation import events_refresh_job
from ufc_pipeline.defs.resources import resources_for
from ufc_pipeline.sources.config import SiteConfig
from ufc_pipeline.sources.http import PoliteClient

DETAIL_KINDS = ("ufcstats_fighter", "sherdog_search", "sherdog_fighter", "image")


def mirror_stats(url: str) -> dict[str, Any]:
    return httpx.get(f"{url}/__mirror/stats", timeout=30).json()


def combined(urls: dict[str, str]) -> dict[str, int]:
    """Requests served by kind (both ports share one set of counters)."""
    return {k: v for k, v in mirror_stats(urls["ufcstats_url"]).items() if isinstance(v, int)}


def run_phase(
    label: str, jobs: list[tuple[str, dict[str, str]]], urls: dict[str, str], data: Path, today: str
) -> dict[str, Any]:
    """Run the jobs in process (the same Dagster code path as the CLI, without paying for
    a new Python process per command) and count what the mirror served meanwhile."""
    before = combined(urls)
    t0 = time.time()
    for job_name, tags in jobs:
        result = (
            job_defs(urls, data, today)
            .resolve_job_def(job_name)
            .execute_in_process(
                instance=dg.DagsterInstance.ephemeral(), tags=tags, raise_on_error=False
            )
        )
        if not result.success:
            failures = [e.message for e in result.all_events if e.is_failure]
            raise SystemExit(f"{label}: {job_name} failed: {failures[:3]}")
    wall = time.time() - t0
    after = combined(urls)
    requests = {
        k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) - before.get(k, 0)
    }
    peak_mb = (
        max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / 1024
    )
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


SITE = {"rate_per_s": 0.0, "concurrency": 8, "backoff_base_s": 0.05, "backoff_max_s": 1.0}


def job_defs(urls: dict[str, str], data: Path, today: str) -> dg.Definitions:
    return dg.Definitions(
        assets=[*ASSETS, *EVENT_ASSETS],
        jobs=[full_refresh_job, events_refresh_job],
        resources=resources_for(
            urls["ufcstats_url"], urls["sherdog_url"], data, site=SITE, today=today
        ),
    )


def phase_jobs(months: tuple[str, str]) -> list[tuple[str, dict[str, str]]]:
    return [
        ("events_refresh", {RANGE_START: months[0], RANGE_END: months[1]}),
        ("full_refresh", {RANGE_START: "a", RANGE_END: "z"}),
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
        data, today = work / "data", urls["as_of"]
        last_month = f"{today[:7]}-01"
        full = run_phase("(a) full run", phase_jobs(("1993-11-01", last_month)), urls, data, today)
        noop = run_phase(
            "(b) no-op re-run", phase_jobs((last_month, last_month)), urls, data, today
        )
        added = httpx.post(
            f"{urls['ufcstats_url']}/__mirror/add_event", json={"bouts": 3}, timeout=60
        ).json()
        month = f"{str(added['event_date'])[:7]}-01"
        event = run_phase(
            "(c) after a new event",
            phase_jobs((month, month)),
            urls,
            data,
            str(added["event_date"]),
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
