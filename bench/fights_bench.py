"""What ``fighter_locations`` and ``fights`` cost on a full data directory, offline.

Takes a data directory left by a complete run (``processed/`` and ``raw/``; pages stored in
the older file layout are copied into the page store once) and runs, for each code version
(the working tree and, with ``--baseline REV``, the package as of that git revision),
alternating in the same run: both steps from empty (no ``fighter_locations`` output, no
warehouse, no load state), then both again (the no-op re-run). Each run is a fresh
process on a private copy of ``processed/`` sharing the one page store; the warehouse is
SQLite in the copy, or ``--database-url`` (PostgreSQL: each run gets its own schema).
Prints wall and CPU seconds per step and CPU ms per fighter, and, when both versions ran,
the digests of the tables and outputs they produced (they must be equal).

    .venv/bin/python -m bench.fights_bench --data /path/to/data --baseline HEAD~1
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
STEPS = ("fighter_locations", "fights")
TABLES = ("fighters", "fights", "fighter_locations", "quarantine")
# inputs the two steps read; their own outputs are left out so the first run starts empty
INPUTS = (
    "fighters_list",
    "fighter_details",
    "sherdog_matches",
    "verified_matches",
    "fighter_images",
    "ufc_com_matches",
    "wikidata_fighters",
)

RUNNER = r"""
import json, os, sys, time, hashlib
from pathlib import Path
from ufc_pipeline.settings import settings_from_env
from ufc_pipeline.steps.fights import fights_step
from ufc_pipeline.steps.locations import fighter_locations_step

settings = settings_from_env(os.environ)
letters = settings.processed.letters("fighters_list")
out = {"fighters": 0, "runs": []}
for label in ("full", "noop"):
    run = {}
    for name, step in (("fighter_locations", fighter_locations_step), ("fights", fights_step)):
        w, c = time.perf_counter(), time.process_time()
        result = step(settings, letters)
        run[name] = {"wall_s": time.perf_counter() - w, "cpu_s": time.process_time() - c}
        if name == "fighter_locations":
            out["fighters"] = len(result.rows)
    out["runs"].append((label, run))
import sqlalchemy as sa
from ufc_pipeline.warehouse.engine import make_engine
from ufc_pipeline.warehouse.schema import metadata
engine = make_engine(settings.warehouse_url)
out["digests"] = {}
with engine.connect() as conn:
    for name in sys.argv[1].split(","):
        table = metadata.tables[name]
        # the time a row was written differs between runs: every other column is compared
        cols = [c for c in table.columns if not isinstance(c.type, sa.DateTime)]
        rows = sorted(json.dumps(list(r), default=str) for r in conn.execute(sa.select(*cols)))
        out["digests"][name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
engine.dispose()
h = hashlib.sha256()
root = settings.processed.root / "fighter_locations"
for p in sorted(root.glob("*.json")):
    h.update(p.name.encode() + json.dumps(json.loads(p.read_text()), sort_keys=True).encode())
out["digests"]["processed/fighter_locations"] = h.hexdigest()
print("RESULT " + json.dumps(out))
"""


def page_store(source: Path, raw: Path) -> Path:
    """``raw``: the source's page store with its Sherdog fighter pages of the file layout
    moved in (the pages these steps read); kept when it already exists."""
    from ufc_pipeline.sources.raw_store import RawStore

    if (raw / "pages.sqlite").exists():
        return raw
    raw.mkdir(parents=True)
    for name in ("pages.sqlite", "pages.sqlite-wal", "pages.sqlite-shm"):
        if (source / "raw" / name).exists():
            shutil.copy2(source / "raw" / name, raw / name)
    store = RawStore(raw)
    moved = 0
    for meta_path in (source / "raw" / "sherdog" / "fighter").glob("*.meta.json"):
        body_path = meta_path.with_name(meta_path.name.removesuffix(".meta.json"))
        site, kind = meta_path.parent.parent.name, meta_path.parent.name
        key, _, ext = body_path.name.rpartition(".")
        if store.meta(site, kind, key, ext) is not None:
            continue
        meta = json.loads(meta_path.read_text())
        headers = {
            h: meta[k]
            for h, k in (("etag", "etag"), ("last-modified", "last_modified"))
            if meta.get(k)
        }
        store.put_page(
            site,
            kind,
            key,
            url=meta.get("url", ""),
            status=int(meta.get("status", 200)),
            body=body_path.read_bytes(),
            headers=headers,
            ext=ext,
        )
        moved += 1
    store.close()
    print(f"page store ready ({moved} pages moved in from the file layout)", flush=True)
    return raw


def baseline_tree(rev: str, work: Path) -> Path:
    """The ``ufc_pipeline`` package as of ``rev`` (``git archive``), for PYTHONPATH."""
    dest = work / f"baseline-{rev.replace('/', '_')}"
    dest.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", rev, "ufc_pipeline"],
        check=True,
        capture_output=True,
    ).stdout
    tar_path = dest / "src.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(dest, filter="data")
    tar_path.unlink()
    return dest


def run_once(
    label: str, pythonpath: Path, source: Path, raw: Path, work: Path, db_url: str, n: int
) -> dict[str, Any]:
    data = work / f"{label}-{n}"
    (data / "processed").mkdir(parents=True)
    for name in INPUTS:
        if (source / "processed" / name).is_dir():
            shutil.copytree(source / "processed" / name, data / "processed" / name)
    for path in (source / "processed").glob("*.json"):
        shutil.copy2(path, data / "processed" / path.name)
    (data / "raw").symlink_to(raw)
    env = {
        **os.environ,
        "PYTHONPATH": str(pythonpath),
        "UFC_DATA_DIR": str(data),
        "UFCSTATS_BASE_URL": "http://127.0.0.1:9",  # offline: every page is stored
        "SHERDOG_BASE_URL": "http://127.0.0.1:9",
        "UFC_HTTP_MAX_RETRIES": "0",
    }
    if db_url:
        schema = f"bench_{label}_{n}".replace("-", "_")
        env["UFC_DATABASE_URL"] = _with_schema(db_url, schema)
    out = subprocess.run(
        [sys.executable, "-c", RUNNER, ",".join(TABLES)],
        env=env,
        cwd=str(work),
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise SystemExit(f"{label} run {n} failed:\n{out.stderr[-4000:]}")
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    shutil.rmtree(data)
    return json.loads(line.removeprefix("RESULT "))


def _with_schema(url: str, schema: str) -> str:
    """``url`` whose connections work inside a new throw-away ``schema``."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a full run's data directory")
    parser.add_argument("--baseline", help="git revision to compare with, in the same run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default SQLite)")
    parser.add_argument("--work", type=Path, help="scratch directory (default: a temp dir)")
    parser.add_argument("--store", type=Path, help="page store to build once and reuse")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fights-bench-", dir=args.work))
    try:
        raw = page_store(args.data, args.store or work / "raw")
        versions = {"new": REPO}
        if args.baseline:
            versions = {"old": baseline_tree(args.baseline, work), **versions}
        results: dict[str, list[dict[str, Any]]] = {v: [] for v in versions}
        for n in range(args.rounds):
            for label, path in versions.items():
                t0 = time.time()
                results[label].append(
                    run_once(label, path, args.data, raw, work, args.database_url, n)
                )
                print(f"{label} round {n}: {time.time() - t0:.1f} s", flush=True)
        report = summarise(results)
        print(json.dumps(report, indent=1))
        if args.out:
            args.out.write_text(json.dumps(report, indent=1) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def summarise(results: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    report: dict[str, Any] = {}
    for label, runs in results.items():
        fighters = runs[0]["fighters"]
        table: dict[str, Any] = {"fighters": fighters}
        for phase in ("full", "noop"):
            for step in STEPS:
                walls = [dict(r["runs"])[phase][step]["wall_s"] for r in runs]
                cpus = [dict(r["runs"])[phase][step]["cpu_s"] for r in runs]
                table[f"{step} {phase}"] = {
                    "wall_s": round(statistics.median(walls), 3),
                    "cpu_s": round(statistics.median(cpus), 3),
                    "cpu_ms_per_fighter": round(1000 * statistics.median(cpus) / fighters, 3),
                }
        digests = {json.dumps(r["digests"], sort_keys=True) for r in runs}
        table["digests"] = [json.loads(d) for d in sorted(digests)]
        report[label] = table
    if "old" in report:
        report["ratio_old_over_new_cpu"] = {
            k: round(report["old"][k]["cpu_s"] / max(report["new"][k]["cpu_s"], 1e-6), 1)
            for k in report["new"]
            if isinstance(report["new"][k], dict)
        }
        report["same_outputs"] = report["old"]["digests"] == report["new"]["digests"]
    report["digest_of_digests"] = {
        label: hashlib.sha256(json.dumps(t["digests"], sort_keys=True).encode()).hexdigest()[:16]
        for label, t in report.items()
        if isinstance(t, dict) and "digests" in t
    }
    return report


if __name__ == "__main__":
    main()
