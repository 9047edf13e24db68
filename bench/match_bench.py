"""``make bench-match``: matching quality on the full mirror against its known truth.

Runs the fighters list, Sherdog matching and the global assignment (no images or
warehouse) against a freshly started mirror with delays off, then prints precision, recall,
F1, shared Sherdog ids, review-queue size, a reliability table (confidence bucket -> count ->
precision) and a breakdown by difficulty. Writes ``bench/results/match.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from ufc_mirror.demo import start_mirror, stop
from ufc_pipeline.matching.assign import VERIFIED_STATUSES, shared_sherdog_ids
from ufc_pipeline.processed import LETTERS
from ufc_pipeline.sources.config import SiteConfig
from ufc_pipeline.steps.details import fighter_details_step
from ufc_pipeline.steps.matching import sherdog_matches_step, verified_matches_step
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.steps.ufcstats import fighters_list_step

BUCKETS = [(0, 50), (50, 70), (70, 80), (80, 90), (90, 95), (95, 99), (99, 100.01)]


def evaluate(
    rows: list[dict[str, Any]],
    candidates: dict[str, dict[str, Any]],
    truth: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    verified = [r for r in rows if r["status"] in VERIFIED_STATUSES]
    right = [r for r in verified if r["sherdog_id"] == truth[r["ufcstats_id"]]["sherdog_id"]]
    n = len(truth)
    precision = len(right) / len(verified) if verified else 0.0
    recall = len(right) / n if n else 0.0
    cw = [t for t in truth.values() if t["in_crosswalk"]]
    cw_right = sum(1 for r in right if truth[r["ufcstats_id"]]["in_crosswalk"])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    # reliability: every best candidate's confidence against whether it is the right person
    rel = []
    for lo, hi in BUCKETS:
        picks = [
            (e["candidates"][0], truth[u]["sherdog_id"])
            for u, e in candidates.items()
            if e["candidates"] and lo <= e["candidates"][0]["confidence"] < hi
        ]
        ok = sum(1 for c, sid in picks if c["sherdog_id"] == sid)
        rel.append(
            {
                "bucket": f"{lo}-{min(hi, 100):.0f}",
                "count": len(picks),
                "precision": round(ok / len(picks), 4) if picks else None,
            }
        )
    by_variant: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        t = truth[r["ufcstats_id"]]
        for v in t["variants"] or ["plain"]:
            d = by_variant[v]
            d["fighters"] += 1
            if r["status"] in VERIFIED_STATUSES:
                d["right" if r["sherdog_id"] == t["sherdog_id"] else "wrong"] += 1
            else:
                d[r["status"]] += 1
    return {
        "fighters": n,
        "verified": len(verified),
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
        "recall_vs_crosswalk": round(cw_right / len(cw), 5) if cw else None,
        "shared_sherdog_ids": len(shared_sherdog_ids(rows)),
        "review": sum(1 for r in rows if r["status"] == "review"),
        "review_fraction": round(sum(1 for r in rows if r["status"] == "review") / n, 5),
        "unmatched": sum(1 for r in rows if r["status"] == "unmatched"),
        "reliability": rel,
        "by_difficulty": {k: dict(v) for k, v in sorted(by_variant.items())},
        "wrong": [
            {
                "ufcstats_id": r["ufcstats_id"],
                "name": r["name"],
                "got": r["sherdog_name"],
                "expected": truth[r["ufcstats_id"]]["sherdog_name"],
                "confidence": r["confidence"],
            }
            for r in verified
            if r not in right
        ][:50],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--fighters", type=int, default=None)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default="bench/results/match.json")
    ap.add_argument("--keep", default=None, help="keep the data dir here instead of a temp dir")
    args = ap.parse_args(argv)
    extra = ["--seed", str(args.seed)] + (
        ["--fighters", str(args.fighters)] if args.fighters else []
    )
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="ufc-bench-match-"))
    tmp.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    mirror, urls = start_mirror(tmp, extra)
    try:

        def site(name: str, url: str) -> SiteConfig:
            return SiteConfig(
                name=name,
                base_url=url,
                rate_per_s=0,
                concurrency=8,
                backoff_base_s=0.05,
                backoff_max_s=1,
            )

        settings = Settings(
            ufcstats=site("ufcstats", urls["ufcstats_url"]),
            sherdog=site("sherdog", urls["sherdog_url"]),
            data_dir=tmp,
        )
        letters = list(LETTERS)
        fighters_list_step(settings, letters)
        fighter_details_step(settings, letters)
        matched = sherdog_matches_step(settings, letters, log=lambda m: print(m, file=sys.stderr))
        verified_matches_step(settings, letters)
        sherdog = {
            "requests": matched.http.get("requests", {}),
            "found_by_link": matched.found_by_link,
            "pages_fetched": matched.pages_fetched,
        }
        print(f"Sherdog requests while matching: {sherdog}", flush=True)
    finally:
        stop(mirror)
    import subprocess

    truth_path = tmp / "truth.json"
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
    truth = {t["ufcstats_id"]: t for t in json.loads(truth_path.read_text())}
    rows = [r for x in LETTERS for r in settings.processed.require("verified_matches", x)["rows"]]
    cands = {
        e["ufcstats_id"]: e
        for x in LETTERS
        for e in settings.processed.require("sherdog_matches", x)["fighters"]
    }
    result = evaluate(rows, cands, truth)
    result["wall_s"] = round(time.time() - t0, 1)
    result["sherdog"] = sherdog
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print_report(result)
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)  # the run's data: 0.6 GB
    return 0


def print_report(r: dict[str, Any]) -> None:
    print(
        f"fighters {r['fighters']}  verified {r['verified']}  review {r['review']} "
        f"({r['review_fraction']:.2%})  unmatched {r['unmatched']}"
    )
    print(
        f"precision {r['precision']:.4f}  recall {r['recall']:.4f}  F1 {r['f1']:.4f}  "
        f"recall vs crosswalk {r['recall_vs_crosswalk']}  shared ids {r['shared_sherdog_ids']}"
    )
    print("reliability (best candidate per fighter):")
    for b in r["reliability"]:
        print(f"  {b['bucket']:>7}  {b['count']:>5}  {b['precision']}")
    print("by difficulty:")
    for k, v in r["by_difficulty"].items():
        print(f"  {k:<24} {v}")
    print(f"wall {r['wall_s']} s")


if __name__ == "__main__":
    raise SystemExit(main())
