"""Jobs of ``make bench`` run in process, and what the mirror served meanwhile.

``python -m bench.phase SPEC`` runs one phase in a new Python process, as a run worker
would, and prints its result as JSON on its last line. This module imports only Dagster and
the pipeline's definitions (not the mirror, not the baselines), so the peak RSS such a
process reports is close to that of a real run of the same jobs.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

import dagster as dg
import httpx

from ufc_pipeline.defs.assets import ASSETS
from ufc_pipeline.defs.automation import full_refresh_job
from ufc_pipeline.defs.events import EVENT_ASSETS
from ufc_pipeline.defs.events_automation import events_refresh_job, fight_stats_job
from ufc_pipeline.defs.resources import resources_for
from ufc_pipeline.heap import freeze_loaded

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

list_details_job = dg.define_asset_job(
    "list_details", selection=["fighters_list", "fighter_details"]
)
# the events list and the fight cards: the fighters' fingerprints are made from the cards
cards_job = dg.define_asset_job("cards", selection=["ufcstats_events", "fight_cards"])
# the fighter chain after its two UFCStats steps: Sherdog, UFC.com, Wikimedia, the images
# and the warehouse load
after_details_job = dg.define_asset_job(
    "after_details", selection=full_refresh_job.selection - dg.AssetSelection.groups("ufcstats")
)

SITE = {"rate_per_s": 0.0, "concurrency": 8, "backoff_base_s": 0.05, "backoff_max_s": 1.0}


def job_defs(
    urls: dict[str, str], data: Path, today: str, sources: dict[str, Any]
) -> dg.Definitions:
    return dg.Definitions(
        assets=[*ASSETS, *EVENT_ASSETS],
        jobs=[
            full_refresh_job,
            events_refresh_job,
            list_details_job,
            cards_job,
            fight_stats_job,
            after_details_job,
        ],
        resources=resources_for(
            urls["ufcstats_url"],
            urls["sherdog_url"],
            data,
            site=SITE,
            today=today,
            **sources,
        ),
    )


def mirror_stats(url: str) -> dict[str, Any]:
    return httpx.get(f"{url}/__mirror/stats", timeout=30).json()


def combined(urls: dict[str, str]) -> dict[str, int]:
    """Requests served by kind (both ports share one set of counters)."""
    return {k: v for k, v in mirror_stats(urls["ufcstats_url"]).items() if isinstance(v, int)}


def run_phase(
    label: str,
    jobs: list[tuple[str, dict[str, str]]],
    urls: dict[str, str],
    data: Path,
    today: str,
    sources: dict[str, Any],
) -> dict[str, Any]:
    """Run the jobs in process (the same Dagster code path as the CLI, without paying for
    a new Python process per command) and count what the mirror served meanwhile."""
    before = combined(urls)
    t0 = time.time()
    costs: dict[str, dict[str, float]] = {}
    for job_name, tags in jobs:
        result = (
            job_defs(urls, data, today, sources)
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
    requests = served_since(urls, before)
    peak_mb = (
        max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / 1024
    )
    result = phase_result(wall, peak_mb, requests, costs)
    print(
        f"{label:<22} wall {result['wall_s']:>7} s   peak RSS {result['peak_rss_mb']:>7} MB   "
        f"detail fetches {result['detail_fetches']:>6}   requests {requests}",
        flush=True,
    )
    return result


def served_since(urls: dict[str, str], before: dict[str, int]) -> dict[str, int]:
    """Requests the mirror served since ``before`` (a :func:`combined`), by kind."""
    after = combined(urls)
    return {
        k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) - before.get(k, 0)
    }


def phase_result(
    wall: float,
    peak_mb: float,
    requests: dict[str, int],
    costs: dict[str, dict[str, float]],
    **figures: float,
) -> dict[str, Any]:
    """What a phase reports: wall, peak RSS, any further ``figures`` (rounded like them),
    the requests served, the detail fetches among them and the step table."""
    return {
        "wall_s": round(wall, 1),
        "peak_rss_mb": round(peak_mb, 1),
        **{name: round(value, 1) for name, value in figures.items()},
        "requests": requests,
        "detail_fetches": sum(requests.get(k, 0) for k in DETAIL_KINDS),
        "steps": step_table(costs, requests),
        "costs": costs,
    }


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


def phase_command(
    label: str,
    jobs: list[tuple[str, dict[str, str]]],
    urls: dict[str, str],
    data: Path,
    today: str,
    sources: dict[str, Any],
) -> list[str]:
    """The command that runs :func:`run_phase` in a new Python process."""
    spec = {
        "label": label,
        "jobs": jobs,
        "urls": urls,
        "data": str(data),
        "today": today,
        "sources": sources,
    }
    return [sys.executable, "-m", "bench.phase", json.dumps(spec)]


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.phase SPEC``: one phase, its result as JSON on the last line."""
    spec = json.loads((argv if argv is not None else sys.argv[1:])[0])
    # what this process imported stays for its life, as in a run worker (ufc_pipeline.heap)
    freeze_loaded()
    jobs = [(name, tags) for name, tags in spec["jobs"]]
    result = run_phase(
        spec["label"], jobs, spec["urls"], Path(spec["data"]), spec["today"], spec["sources"]
    )
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
