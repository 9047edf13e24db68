"""UFC.com matching quality on the full mirror against its known truth.

Runs fighters_list -> fighter_details -> ufc_com_athletes -> ufc_com_matches for every letter
against a freshly started mirror (UFC.com enabled, rate 0, the slug overrides the mirror
ships in ``data/manual/ufccom_slugs.csv``), then prints the precision and recall of the
verified slugs against ``ufc_mirror.ufccom_world.ufccom_truth`` (recall over the athletes
the mirror serves, and over those some route reaches), the slugs verified for two fighters,
the review queue and a breakdown by trap. Writes ``bench/results/ufccom_match.json``.

``--athletes-from-mirror`` skips the UFC.com requests: the ``ufc_com_athletes`` output is
written from the mirror's own data as a faithful fetcher would store it (the page at the
override slug, else at the slug derived from the UFCStats name, which can be a namesake's;
the cards of the first athletes page and the rankings as ``discovered``). It measures the
matching alone, and works before the ``ufc_com_athletes`` step exists.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from ufc_mirror.demo import start_mirror, stop
from ufc_mirror.world import build_world
from ufc_pipeline.matching.normalize import fold
from ufc_pipeline.matching.ufccom import REVIEW, UNMATCHED, VERIFIED, shared_slugs
from ufc_pipeline.processed import LETTERS
from ufc_pipeline.sources.config import SiteConfig
from ufc_pipeline.steps.details import fighter_details_step
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.steps.ufccom_matches import ufc_com_matches_step
from ufc_pipeline.steps.ufcstats import fighters_list_step

BUCKETS = [(0, 30), (30, 50), (50, 70), (70, 90), (90, 99), (99, 100.01)]


# ---------------------------------------------------------------- the mirror's side


def write_overrides(world: Any, path: Path) -> int:
    """``data/manual/ufccom_slugs.csv`` as the project ships it for this world."""
    from ufc_mirror.ufccom_world import slug_overrides

    rows = slug_overrides(world)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["ufcstats_id", "slug"])
        w.writerows(rows)
    return len(rows)


def _page(a: Any) -> dict[str, Any]:
    """What the parser stores for an athlete page (``UfcComAthlete.to_dict()`` keys)."""
    img = a.image
    return {
        "slug": a.slug,
        "url": f"https://www.ufc.com/athlete/{a.slug}",
        "name": a.name,
        "nickname": a.nickname,
        "division": a.division,
        "wins": a.wins,
        "losses": a.losses,
        "draws": a.draws,
        "status": a.status,
        "place_of_birth": a.place_of_birth,
        "place_label": a.place_label,
        "trains_at": a.trains_at or None,
        "age": a.age,
        "birth_date": a.birth_date.isoformat() if a.birth_date else None,
        "height_in": a.height_in,
        "weight_lbs": a.weight_lbs,
        "reach_in": a.reach_in,
        "leg_reach_in": a.leg_reach_in,
        "octagon_debut": a.octagon_debut.isoformat() if a.octagon_debut else None,
        "image_url": img.src if img.photo else None,
        "image_placeholder": not img.photo,
        "tags": [],
    }


def athletes_from_mirror(world: Any, settings: Settings) -> dict[str, int]:
    """Write ``ufc_com_athletes`` for every letter from the mirror's data (no request)."""
    from ufc_mirror.ufccom_world import ufccom_data, ufccom_slug

    data = ufccom_data(world)
    overrides = dict(data.overrides)
    cards: dict[str, list[dict[str, Any]]] = defaultdict(list)
    seen: set[str] = set()
    for fid in data.first_page:
        a = data.athletes[fid]
        seen.add(a.slug)
        card = {k: _page(a)[k] for k in ("slug", "name", "nickname", "division", "wins")}
        card |= {"losses": a.losses, "draws": a.draws, "image_url": _page(a)["image_url"]}
        cards[(fold(a.family) or fold(a.name) or "a")[0]].append(card)
    for g in data.rankings:
        ids = ([g.champion] if g.champion else []) + [r.ufcstats_id for r in g.ranked]
        for fid in ids:
            a = data.athletes[fid]
            if a.slug in seen:
                continue
            seen.add(a.slug)
            card = {"slug": a.slug, "name": a.name, "division": None if g.p4p else g.name}
            cards[(fold(a.family) or fold(a.name) or "a")[0]].append(card)
    counts: Counter[str] = Counter()
    for letter in LETTERS:
        listed = settings.processed.read("fighters_list", letter)
        rows = []
        for r in (listed or {}).get("rows", []):
            fid = r["ufcstats_id"]
            name = " ".join(p for p in (r.get("first_name"), r.get("last_name")) if p)
            slug, how = (overrides[fid], "override") if fid in overrides else (None, None)
            if slug is None:
                slug, how = ufccom_slug(name), "derived"
            page = data.by_slug.get(slug)
            status = "found" if page is not None else "not_found"
            counts[status] += 1
            rows.append(
                {
                    "ufcstats_id": fid,
                    "status": status,
                    "slug": slug if page is not None else None,
                    "how": how,
                    "tried": [slug],
                    "athlete": _page(page) if page is not None else None,
                    "detail": None if page is not None else f"404 at /athlete/{slug}",
                }
            )
        settings.processed.write(
            "ufc_com_athletes",
            letter,
            {"letter": letter, "rows": rows, "discovered": cards.get(letter, [])},
        )
    return dict(counts)


# ---------------------------------------------------------------- scoring against the truth


def evaluate(rows: list[dict[str, Any]], truth: dict[str, dict[str, Any]]) -> dict[str, Any]:
    verified = [r for r in rows if r["status"] == VERIFIED]
    right = [r for r in verified if r["slug"] == truth[r["ufcstats_id"]]["slug"]]
    served = [t for t in truth.values() if t["on_site"]]
    reachable = [t for t in served if t["routes"]]
    right_ids = {r["ufcstats_id"] for r in right}
    precision = len(right) / len(verified) if verified else 0.0
    by_trap: dict[str, Counter[str]] = defaultdict(Counter)
    status_of = {r["ufcstats_id"]: r for r in rows}
    for fid, t in truth.items():
        r = status_of.get(fid)
        traps = _traps(t) or ["plain"]
        outcome = "missing" if r is None else r["status"]
        if r is not None and r["status"] == VERIFIED:
            outcome = "right" if r["slug"] == t["slug"] else "wrong"
        for trap in traps:
            by_trap[trap][outcome] += 1
    reliability = []
    for lo, hi in BUCKETS:
        picks = [r for r in rows if r["slug"] and lo <= r["confidence"] < hi]
        ok = sum(1 for r in picks if r["slug"] == truth[r["ufcstats_id"]]["slug"])
        reliability.append(
            {
                "bucket": f"{lo}-{min(hi, 100):.0f}",
                "count": len(picks),
                "precision": round(ok / len(picks), 4) if picks else None,
            }
        )
    return {
        "fighters": len(truth),
        "served": len(served),
        "reachable": len(reachable),
        "verified": len(verified),
        "right": len(right),
        "precision": round(precision, 5),
        "recall_served": round(len(right) / len(served), 5) if served else 0.0,
        "recall_reachable": round(
            sum(1 for t in reachable if t["ufcstats_id"] in right_ids) / len(reachable), 5
        )
        if reachable
        else 0.0,
        "shared_slugs": len(shared_slugs(rows)),
        "review": sum(1 for r in rows if r["status"] == REVIEW),
        "unmatched": sum(1 for r in rows if r["status"] == UNMATCHED),
        "reliability": reliability,
        "by_trap": {k: dict(v) for k, v in sorted(by_trap.items())},
        "wrong": [
            {
                "ufcstats_id": r["ufcstats_id"],
                "name": r.get("name"),
                "got": r["slug"],
                "expected": truth[r["ufcstats_id"]]["slug"],
                "confidence": r["confidence"],
                "reasons": r["reasons"],
            }
            for r in verified
            if r not in right
        ][:50],
        "missed": [
            {
                "ufcstats_id": r["ufcstats_id"],
                "name": r.get("name"),
                "status": r["status"],
                "expected": truth[r["ufcstats_id"]]["slug"],
                "traps": _traps(truth[r["ufcstats_id"]]),
                "reasons": r["reasons"][:4],
            }
            for r in rows
            if truth[r["ufcstats_id"]]["on_site"] and r["ufcstats_id"] not in right_ids
        ][:60],
    }


def _traps(t: dict[str, Any]) -> list[str]:
    out = []
    if not t["on_site"]:
        out.append("not_on_site")
    if t.get("derived_slug_owner"):
        out.append("derived_slug_is_a_namesake")
    if t.get("name_variant"):
        out.append(f"name_{t['name_variant']}")
    if t.get("slug_reason"):
        out.append(f"slug_{t['slug_reason']}")
    if t["on_site"] and not t["routes"]:
        out.append("unreachable")
    if t.get("record_lag"):
        out.append("record_lag")
    if t["on_site"] and not t.get("birth_date"):
        out.append("no_birth_date")
    return out


# ---------------------------------------------------------------- run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--fighters", type=int, default=None)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default="bench/results/ufccom_match.json")
    ap.add_argument("--keep", default=None, help="keep the data dir here instead of a temp dir")
    ap.add_argument(
        "--athletes-from-mirror",
        action="store_true",
        help="write ufc_com_athletes from the mirror's data instead of running the step",
    )
    args = ap.parse_args(argv)
    extra = ["--seed", str(args.seed)] + (
        ["--fighters", str(args.fighters)] if args.fighters else []
    )
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="ufc-bench-ufccom-"))
    tmp.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    world = build_world(args.seed, fighters=args.fighters)  # the served world, for its truth
    from ufc_mirror.ufccom_world import ufccom_truth

    truth = ufccom_truth(world)
    mirror, urls = start_mirror(tmp, extra)
    timings: dict[str, float] = {}
    try:

        def site(name: str, url: str, concurrency: int = 8) -> SiteConfig:
            return SiteConfig(
                name=name,
                base_url=url,
                rate_per_s=0,
                concurrency=concurrency,
                backoff_base_s=0.05,
                backoff_max_s=1,
            )

        settings = Settings(
            ufcstats=site("ufcstats", urls["ufcstats_url"]),
            sherdog=site("sherdog", urls["sherdog_url"]),
            ufccom=site("ufccom", urls["ufccom_url"]),
            data_dir=tmp,
            today=world.as_of,
        )
        overrides = write_overrides(world, settings.ufccom_slugs_path)
        print(f"{overrides} slug override(s) in {settings.ufccom_slugs_path}", flush=True)
        letters = list(LETTERS)
        log = lambda m: print(m, file=sys.stderr)  # noqa: E731
        ufcstats_steps = (
            ("fighters_list", fighters_list_step),
            ("fighter_details", fighter_details_step),
        )
        for name, step in ufcstats_steps:
            t = time.time()
            step(settings, letters)
            timings[name] = round(time.time() - t, 1)
        t = time.time()
        if args.athletes_from_mirror:
            print(
                f"ufc_com_athletes from the mirror's data: {athletes_from_mirror(world, settings)}"
            )
        else:
            try:
                from ufc_pipeline.steps.ufccom import ufc_com_athletes_step
            except ImportError as exc:
                print(
                    f"ufc_com_athletes_step is not available ({exc}); "
                    "rerun with --athletes-from-mirror to measure the matching alone",
                    file=sys.stderr,
                )
                return 2
            athletes = ufc_com_athletes_step(settings, letters, log)
            print(f"ufc_com_athletes: {athletes.metadata().get('dagster/row_count')} rows")
        timings["ufc_com_athletes"] = round(time.time() - t, 1)
        t = time.time()
        matched = ufc_com_matches_step(settings, letters, log)
        timings["ufc_com_matches"] = round(time.time() - t, 1)
        check = matched.checks()[0]
        print(f"check {check.name}: {'passed' if check.passed else 'FAILED'} ({check.description})")
    finally:
        stop(mirror)
    rows = [r for x in LETTERS for r in settings.processed.require("ufc_com_matches", x)["rows"]]
    result = evaluate(rows, truth)
    result["mode"] = "athletes_from_mirror" if args.athletes_from_mirror else "full_chain"
    result["seed"] = args.seed
    result["wall_s"] = round(time.time() - t0, 1)
    result["timings_s"] = timings
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print_report(result)
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)  # the run's data
    return 0


def print_report(r: dict[str, Any]) -> None:
    print(
        f"[{r['mode']}] fighters {r['fighters']}  on UFC.com {r['served']} "
        f"(reachable {r['reachable']})  verified {r['verified']}  review {r['review']}  "
        f"unmatched {r['unmatched']}"
    )
    print(
        f"precision {r['precision']:.4f}  recall {r['recall_served']:.4f} of served, "
        f"{r['recall_reachable']:.4f} of reachable  slugs on two fighters {r['shared_slugs']}"
    )
    print("reliability (slug of each row by confidence):")
    for b in r["reliability"]:
        print(f"  {b['bucket']:>7}  {b['count']:>5}  {b['precision']}")
    print("by trap:")
    for k, v in r["by_trap"].items():
        print(f"  {k:<28} {v}")
    for w in r["wrong"][:10]:
        print(f"  WRONG {w['name']}: {w['got']} (expected {w['expected']}) {w['confidence']}")
    print(f"timings {r['timings_s']}  wall {r['wall_s']} s")


if __name__ == "__main__":
    raise SystemExit(main())
