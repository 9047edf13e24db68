"""What ``sherdog_matches`` costs, two versions of the code side by side in one run.

Starts the local mirror (``--fighters N`` for a smaller world), prepares one data directory
with ``fighters_list`` and ``fighter_details`` for a..z, then, alternating between the code
trees given (``--code DIR``; default: this checkout), for each round: copies the prepared
directory, runs the step from an empty Sherdog store ("full") and once more with nothing
changed ("no-op"), each in a fresh Python process with that tree first on ``sys.path``.
Reports wall, CPU, CPU ms per Sherdog page and the requests the mirror answered per kind;
checks that every version wrote the same ``processed/sherdog_matches`` files and made the
same requests. Writes ``bench/results/sherdog.json`` (``--out``).

    python bench/sherdog_bench.py --code /tmp/old_tree --code . --rounds 2
"""

from __future__ import annotations

import argparse
import hashlib
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

import httpx

REPO = Path(__file__).resolve().parent.parent
KINDS = ("sherdog_search", "sherdog_fighter")


def _settings(urls: dict[str, str], data: Path) -> Any:
    from ufc_pipeline.sources.config import SiteConfig
    from ufc_pipeline.steps.settings import Settings

    def site(name: str, url: str) -> SiteConfig:
        return SiteConfig(
            name=name,
            base_url=url,
            rate_per_s=0,
            concurrency=8,
            backoff_base_s=0.05,
            backoff_max_s=1,
        )

    return Settings(
        ufcstats=site("ufcstats", urls["ufcstats_url"]),
        sherdog=site("sherdog", urls["sherdog_url"]),
        data_dir=data,
    )


def _requests(url: str) -> dict[str, int]:
    stats = httpx.get(f"{url}/__mirror/stats", timeout=30).json()
    return {k: v for k, v in stats.items() if isinstance(v, int)}


def prepare(urls: dict[str, str], data: Path) -> None:
    """fighters_list + fighter_details for a..z into ``data``."""
    from ufc_pipeline.processed import LETTERS
    from ufc_pipeline.steps.details import fighter_details_step
    from ufc_pipeline.steps.ufcstats import fighters_list_step

    settings = _settings(urls, data)
    fighters_list_step(settings, list(LETTERS))
    fighter_details_step(settings, list(LETTERS))


def run_step(urls: dict[str, str], data: Path, profile: Path | None) -> dict[str, Any]:
    """One ``sherdog_matches`` run over a..z (in this process): wall, CPU, requests."""
    from ufc_pipeline.processed import LETTERS
    from ufc_pipeline.steps.matching import sherdog_matches_step

    settings = _settings(urls, data)
    before = _requests(urls["sherdog_url"])
    t0, c0 = time.perf_counter(), time.process_time()
    if profile is not None:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    sherdog_matches_step(settings, list(LETTERS))
    if profile is not None:
        prof.disable()
        prof.dump_stats(str(profile))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    after = _requests(urls["sherdog_url"])
    requests = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "requests": {k: v for k, v in requests.items() if v},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def outputs_digest(data: Path) -> str:
    h = hashlib.sha256()
    for path in sorted((data / "processed" / "sherdog_matches").glob("*.json")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def child(code: Path, urls: dict[str, str], data: Path, profile: Path | None) -> dict[str, Any]:
    """``run_step`` in a fresh process with ``code`` first on the import path."""
    env = {**os.environ, "PYTHONPATH": f"{code}{os.pathsep}{REPO}"}
    args = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(urls)]
    args += [str(data)] + (["--profile-to", str(profile)] if profile else [])
    out = subprocess.run(args, env=env, check=True, capture_output=True, text=True, cwd=code)
    return json.loads(out.stdout.strip().splitlines()[-1])


def per_page(r: dict[str, Any]) -> float | None:
    pages = sum(r["requests"].get(k, 0) for k in KINDS)
    return round(1000 * r["cpu_s"] / pages, 3) if pages else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--fighters", type=int, default=None)
    ap.add_argument("--code", action="append", default=None, help="code tree (repeatable)")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--work", default=None, help="work directory (default: a temp dir)")
    ap.add_argument("--profile", action="store_true", help="cProfile each full run")
    ap.add_argument("--out", default=str(REPO / "bench" / "results" / "sherdog.json"))
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--profile-to", default=None, help=argparse.SUPPRESS)
    ap.add_argument("data", nargs="?", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        prof = Path(args.profile_to) if args.profile_to else None
        print(json.dumps(run_step(json.loads(args.child), Path(args.data), prof)))
        return 0

    from ufc_mirror.demo import start_mirror, stop

    codes = [Path(c).resolve() for c in (args.code or [str(REPO)])]
    work = Path(args.work or tempfile.mkdtemp(prefix="ufc-sherdog-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    extra = ["--fighters", str(args.fighters)] if args.fighters else []
    mirror, urls = start_mirror(work, extra)
    results: dict[str, list[dict[str, Any]]] = {str(c): [] for c in codes}
    try:
        base = work / "base"
        if not (base / "processed" / "fighter_details").is_dir():
            shutil.rmtree(base, ignore_errors=True)
            prepare(urls, base)
        for rnd in range(args.rounds):
            for i, code in enumerate(codes):
                data = work / f"run-{i}"
                shutil.rmtree(data, ignore_errors=True)
                shutil.copytree(base, data)
                prof = work / f"profile-{i}-{rnd}.prof" if args.profile else None
                full = child(code, urls, data, prof)
                digest = outputs_digest(data)
                noop = child(code, urls, data, None)
                row = {"full": full, "noop": noop, "outputs": digest}
                results[str(code)].append(row)
                print(
                    f"round {rnd} {code}: full wall {full['wall_s']} s CPU {full['cpu_s']} s "
                    f"({per_page(full)} ms/page) requests {full['requests']}; no-op wall "
                    f"{noop['wall_s']} s CPU {noop['cpu_s']} s requests {noop['requests']}; "
                    f"outputs {digest}",
                    flush=True,
                )
    finally:
        stop(mirror)
    rows = [r for v in results.values() for r in v]
    same_outputs = len({r["outputs"] for r in rows}) == 1
    same_requests = len({json.dumps(r["full"]["requests"], sort_keys=True) for r in rows}) == 1
    summary = {
        str(c): {
            "full_cpu_s": min(r["full"]["cpu_s"] for r in results[str(c)]),
            "full_wall_s": min(r["full"]["wall_s"] for r in results[str(c)]),
            "full_cpu_ms_per_page": min(per_page(r["full"]) or 0 for r in results[str(c)]),
            "noop_cpu_s": min(r["noop"]["cpu_s"] for r in results[str(c)]),
            "noop_wall_s": min(r["noop"]["wall_s"] for r in results[str(c)]),
        }
        for c in codes
    }
    report = {
        "fighters": args.fighters,
        "runs": results,
        "best": summary,
        "same_outputs": same_outputs,
        "same_requests": same_requests,
    }
    print(json.dumps(summary, indent=1))
    print(f"same outputs: {same_outputs}; same requests: {same_requests}")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2))
    return 0 if same_outputs and same_requests else 1


if __name__ == "__main__":
    raise SystemExit(main())
