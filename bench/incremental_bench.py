"""``make bench``: what the pipeline costs on the full local mirror with delays off.

(0) ``fighters_list`` + ``fighter_details`` for a..z from empty against a plain sequential
requests + BeautifulSoup scraper reading the same pages (``baseline_sequential.py``) and
against Greco1899's scraper, the one the issue measured (``witness_greco --time``), in
the same run: wall, CPU, CPU ms per page and the ratios, and the issue's absolute targets
scaled by how much slower this machine ran Greco1899's code than the issue's did (timed
before and after the pipeline's run, and after (a), as the machine's speed drifts);
(a) a full run from empty (events and every fighter asset) with a table per step: pages,
wall, CPU seconds, CPU ms per page, pages/s, and the peak RSS; (b) a no-op re-run, with
its step table, in a new Python process as a real run is (and, for comparison, in the
bench's own process after the full run, where the garbage collector walks what the full
run left behind); (c) a re-run after one new event; then the polite client at a configured
limit (20 req/s for 30 s), achieved / configured; (d) ``cli_bench.py``: a 200-fighter
world through the Dagster CLI against the baseline, as processes. Writes
``bench/results/incremental.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import dagster as dg
import httpx

from bench import baseline_sequential, cli_bench
from ufc_mirror.demo import start_mirror, stop
from ufc_mirror.envs import resource_kwargs
from ufc_pipeline.defs.assets import ASSETS
from ufc_pipeline.defs.automation import RANGE_END, RANGE_START, full_refresh_job
from ufc_pipeline.defs.events import EVENT_ASSETS
from ufc_pipeline.defs.events_automation import events_refresh_job
from ufc_pipeline.defs.resources import resources_for
from ufc_pipeline.heap import freeze_loaded
from ufc_pipeline.sources.config import SiteConfig
from ufc_pipeline.sources.http import PoliteClient

DETAIL_KINDS = ("ufcstats_fighter", "sherdog_search", "sherdog_fighter", "image")
# the mirror's request counters each step reads (Sherdog pages fetched by matching are
# reused by images and fights from the raw store)
STEP_KINDS = {
    "ufcstats_events": ("ufcstats_events",),
    "fight_cards": ("ufcstats_event",),
    "fight_stats": ("ufcstats_fight",),
    "fighters_list": ("ufcstats_list",),
    "fighter_details": ("ufcstats_fighter",),
    "sherdog_matches": ("sherdog_search", "sherdog_fighter"),
    "ufc_com_athletes": ("ufccom_athlete", "ufccom_list", "ufccom_rankings", "not_found"),
    "verified_matches": (),
    "wikidata_fighters": ("sparql", "wikidata_entities", "wikidata_search"),
    "fighter_images": ("image", "wikimedia_image", "commons_query", "wikipedia_query"),
    "fights": (),
}
# requests per fighter as the issue counts them: the list and fighter pages, Sherdog searches
# and pages, images and event pages (not robots.txt, the fight-statistics pages, which are
# the events job's own work, nor the optional UFC.com and Wikimedia API sources)
PER_FIGHTER_KINDS = (
    "ufcstats_list",
    "ufcstats_fighter",
    "sherdog_search",
    "sherdog_fighter",
    "image",
    "wikimedia_image",
    "ufcstats_event",
    "ufcstats_events",
)
list_details_job = dg.define_asset_job(
    "list_details", selection=["fighters_list", "fighter_details"]
)


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
    costs: dict[str, dict[str, float]] = {}
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
        costs.update(step_costs(result))
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
        "steps": step_table(costs, requests),
    }
    print(
        f"{label:<22} wall {result['wall_s']:>7} s   peak RSS {result['peak_rss_mb']:>7} MB   "
        f"detail fetches {result['detail_fetches']:>6}   requests {requests}",
        flush=True,
    )
    return result


def run_phase_fresh(
    label: str, jobs: list[tuple[str, dict[str, str]]], urls: dict[str, str], data: Path, today: str
) -> dict[str, Any]:
    """:func:`run_phase` in a new Python process, as a real run is (the CLI, or the run
    worker a schedule starts): its steps do not pay for collecting the heap that the
    phases before it left in this process."""
    spec = {"label": label, "jobs": jobs, "urls": urls, "data": str(data), "today": today}
    proc = subprocess.run(
        [sys.executable, "-m", "bench.incremental_bench", "--phase", json.dumps(spec)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    lines = proc.stdout.splitlines()
    if proc.returncode != 0 or not lines:
        raise SystemExit(
            f"{label}: the phase process failed:\n{proc.stdout[-2000:]}{proc.stderr[-3000:]}"
        )
    print("\n".join(lines[:-1]), flush=True)
    return json.loads(lines[-1])


def _phase_main(spec_json: str) -> int:
    """``--phase SPEC``: one phase, its result as JSON on the last line of stdout."""
    spec = json.loads(spec_json)
    jobs = [(name, tags) for name, tags in spec["jobs"]]
    result = run_phase(spec["label"], jobs, spec["urls"], Path(spec["data"]), spec["today"])
    print(json.dumps(result), flush=True)
    return 0


def step_costs(result: Any) -> dict[str, dict[str, float]]:
    """Wall and CPU seconds each asset recorded in its materialization metadata."""
    out: dict[str, dict[str, float]] = {}
    for event in result.all_events:
        if event.event_type_value != "ASSET_MATERIALIZATION":
            continue
        mat = event.event_specific_data.materialization
        meta = mat.metadata
        if "cpu_s" in meta:
            out[mat.asset_key.to_user_string()] = {
                "wall_s": float(meta["wall_s"].value),
                "cpu_s": float(meta["cpu_s"].value),
            }
    return out


def step_table(costs: dict[str, dict[str, float]], requests: dict[str, int]) -> dict[str, Any]:
    table = {}
    for step, cost in costs.items():
        pages = sum(requests.get(k, 0) for k in STEP_KINDS.get(step, ()))
        table[step] = {
            "pages": pages,
            "wall_s": round(cost["wall_s"], 2),
            "cpu_s": round(cost["cpu_s"], 2),
            "cpu_ms_per_page": round(1000 * cost["cpu_s"] / pages, 2) if pages else None,
            "pages_per_s": round(pages / cost["wall_s"], 1) if pages and cost["wall_s"] else None,
        }
    return table


def print_steps(table: dict[str, Any]) -> None:
    print(f"  {'step':<18}{'pages':>7}{'wall s':>9}{'CPU s':>8}{'CPU ms/page':>13}{'pages/s':>9}")
    for step, r in table.items():
        ms = "-" if r["cpu_ms_per_page"] is None else r["cpu_ms_per_page"]
        rate = "-" if r["pages_per_s"] is None else r["pages_per_s"]
        print(f"  {step:<18}{r['pages']:>7}{r['wall_s']:>9}{r['cpu_s']:>8}{ms:>13}{rate:>9}")


def time_greco(urls: dict[str, str], when: str) -> dict[str, Any]:
    """Greco1899's scraper timed on the mirror's pages (``witness_greco --time``), in a
    process of its own: pandas and their DataFrames stay out of this process's RSS."""
    greco: dict[str, Any] = json.loads(
        subprocess.run(
            [sys.executable, "-m", "bench.witness_greco", "--time", urls["ufcstats_url"]],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        ).stdout.splitlines()[-1]
    )
    print(
        f"Greco1899/scrape_ufc_stats {when} (the issue's baseline): {greco['pages']} pages, "
        f"wall {greco['wall_s']} s, CPU {greco['cpu_s']} s ({greco['cpu_ms_per_page']} "
        f"ms/page, {greco['slowdown_vs_issue']}x its CPU on the day the targets were set)",
        flush=True,
    )
    return greco


def mean_slowdown(*runs: dict[str, Any]) -> float:
    """How much slower than on the issue's day the Greco1899 ``runs`` ran, on average (the
    runs on either side of a measured phase: this machine's speed drifts within minutes)."""
    return round(sum(r["slowdown_vs_issue"] for r in runs) / len(runs), 3)


def compare_with_baseline(urls: dict[str, str], work: Path, today: str) -> dict[str, Any]:
    """(0): the sequential scraper and fighters_list + fighter_details on the same pages."""
    base = baseline_sequential.run(urls["ufcstats_url"])
    print(
        f"(0) sequential baseline: {base['pages']} pages, wall {base['wall_s']} s, "
        f"CPU {base['cpu_s']} s ({base['cpu_ms_per_page']} ms/page)",
        flush=True,
    )
    greco = time_greco(urls, "before (0)")
    ours = run_phase(
        "(0) list + details",
        [("list_details", {RANGE_START: "a", RANGE_END: "z"})],
        urls,
        work / "list_details",
        today,
    )
    greco_after = time_greco(urls, "after (0)")
    pages = sum(r["pages"] for r in ours["steps"].values())
    cpu = sum(r["cpu_s"] for r in ours["steps"].values())
    steps_wall = sum(r["wall_s"] for r in ours["steps"].values())
    slowdown = mean_slowdown(greco, greco_after)
    greco_cpu = (greco["cpu_s"] + greco_after["cpu_s"]) / 2
    greco_wall = (greco["wall_s"] + greco_after["wall_s"]) / 2
    out = {
        "baseline": base,
        "greco1899": greco,
        "greco1899_after": greco_after,
        "slowdown_vs_issue": slowdown,
        # the issue's 1.5 ms of CPU a page was set on a machine that ran Greco1899's scraper
        # ``slowdown`` times faster than this one did in this run: that target at this speed
        "target_cpu_ms_per_page_at_this_speed": round(1.5 * slowdown, 3),
        "greco_cpu_ratio": round(greco_cpu / cpu, 2) if cpu else None,
        "greco_speedup_wall": round(greco_wall / ours["wall_s"], 2),
        "pipeline": {
            "pages": pages,
            "wall_s": ours["wall_s"],
            "steps_wall_s": round(steps_wall, 2),
            "cpu_s": round(cpu, 2),
            "cpu_ms_per_page": round(1000 * cpu / max(pages, 1), 3),
            "steps": ours["steps"],
        },
        "speedup_wall": round(base["wall_s"] / ours["wall_s"], 2),
        "speedup_steps_wall": round(base["wall_s"] / steps_wall, 2) if steps_wall else None,
        "cpu_ratio": round(base["cpu_s"] / cpu, 2) if cpu else None,
    }
    print_steps(ours["steps"])
    print(
        f"(0) pipeline {out['speedup_wall']}x faster in wall time than the baseline "
        f"({out['speedup_steps_wall']}x counting step time only), "
        f"{out['pipeline']['cpu_ms_per_page']} ms CPU/page vs {base['cpu_ms_per_page']}; "
        f"against Greco1899 {out['greco_speedup_wall']}x in wall time, "
        f"{out['greco_cpu_ratio']}x less CPU (the issue's 1.5 ms/page target is "
        f"{out['target_cpu_ms_per_page_at_this_speed']} ms at this run's speed)",
        flush=True,
    )
    return out


SITE = {"rate_per_s": 0.0, "concurrency": 8, "backoff_base_s": 0.05, "backoff_max_s": 1.0}


def job_defs(urls: dict[str, str], data: Path, today: str) -> dg.Definitions:
    return dg.Definitions(
        assets=[*ASSETS, *EVENT_ASSETS],
        jobs=[full_refresh_job, events_refresh_job, list_details_job],
        resources=resources_for(
            urls["ufcstats_url"],
            urls["sherdog_url"],
            data,
            site=SITE,
            today=today,
            **resource_kwargs(urls),
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
    ap.add_argument("--cli-fighters", type=int, default=200, help="0: skip phase (d)")
    ap.add_argument("--phase", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    # what this process imported stays for its life, as in a run worker, which loads the
    # definitions through their entry point (ufc_pipeline.heap)
    freeze_loaded()
    if args.phase:
        return _phase_main(args.phase)
    work = Path(tempfile.mkdtemp(prefix="ufc-bench-"))
    extra = ["--fighters", str(args.fighters)] if args.fighters else []
    mirror, urls = start_mirror(work, extra)
    try:
        data, today = work / "data", urls["as_of"]
        last_month = f"{today[:7]}-01"
        baseline = compare_with_baseline(urls, work, today)
        full = run_phase("(a) full run", phase_jobs(("1993-11-01", last_month)), urls, data, today)
        print_steps(full["steps"])
        greco_after_a = time_greco(urls, "after (a)")
        chain_target = round(90 * mean_slowdown(baseline["greco1899_after"], greco_after_a), 1)
        print(
            f"(a) full chain {full['wall_s']} s (the issue's 90 s target at this run's speed: "
            f"{chain_target} s)",
            flush=True,
        )
        noop = run_phase_fresh(
            "(b) no-op re-run", phase_jobs((last_month, last_month)), urls, data, today
        )
        print_steps(noop["steps"])
        print(
            f"(b) no-op step time {sum(r['wall_s'] for r in noop['steps'].values()):.2f} s",
            flush=True,
        )
        noop_here = run_phase(
            "(b) no-op, same process", phase_jobs((last_month, last_month)), urls, data, today
        )
        print(
            "(b) the same no-op in the bench's process, after the full run: step time "
            f"{sum(r['wall_s'] for r in noop_here['steps'].values()):.2f} s",
            flush=True,
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
    small = cli_bench.run(args.cli_fighters) if args.cli_fighters else None
    fighters = max(1, full["requests"].get("ufcstats_fighter", 0))
    result = {
        "list_details_vs_sequential": baseline,
        "full_steps": full["steps"],
        "full_requests_per_fighter": round(
            sum(full["requests"].get(k, 0) for k in PER_FIGHTER_KINDS) / fighters, 3
        ),
        "full_all_requests_per_fighter": round(
            sum(v for k, v in full["requests"].items() if k not in ("robots",)) / fighters, 3
        ),
        "noop_steps": noop["steps"],
        "noop_steps_wall_s": round(sum(r["wall_s"] for r in noop["steps"].values()), 2),
        "noop_same_process_steps_wall_s": round(
            sum(r["wall_s"] for r in noop_here["steps"].values()), 2
        ),
        "full_steps_wall_s": round(sum(r["wall_s"] for r in full["steps"].values()), 2),
        "full_wall_s": full["wall_s"],
        # the 90 s at the speed of the Greco1899 runs on either side of (a)
        "greco1899_after_full": greco_after_a,
        "full_target_s_at_this_speed": chain_target,
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
        "small_world_cli": small,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if not isinstance(v, dict)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
