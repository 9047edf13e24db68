"""kill -9 in the middle of a run, then a re-run: exactly the data of an uninterrupted run,
no stray temporary files, no duplicate rows."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.e2e.helpers import run_chain
from ufc_mirror.envs import source_env
from ufc_mirror.server import start_mirror
from ufc_mirror.world import build_world
from ufc_pipeline.processed import LETTERS, ProcessedStore
from ufc_pipeline.warehouse.engine import make_engine
from ufc_pipeline.warehouse.load import table_digest
from ufc_pipeline.warehouse.schema import fights

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def _cmd() -> list[str]:
    return [
        sys.executable,
        "-m",
        "dagster",
        "asset",
        "materialize",
        "-m",
        "ufc_pipeline.definitions",
        "--select",
        "*",
        "--partition-range",
        "a...z",
    ]


def _digests(data_dir: Path) -> dict[str, str]:
    engine = make_engine(f"sqlite:///{data_dir / 'warehouse.sqlite'}")
    try:
        return {t: table_digest(engine, t) for t in ("fighters", "fights")}
    finally:
        engine.dispose()


def _start_killable(root: Path, mirror: Any) -> tuple[Path, dict[str, str]]:
    """A data directory and a Dagster home under ``root``, and the environment of a run
    into them against ``mirror``."""
    data, home = root / "killed", root / "home"
    home.mkdir(parents=True)
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "UFC_DATA_DIR": str(data),
        **source_env(mirror),
        "UFCSTATS_RATE": "0",
        "SHERDOG_RATE": "0",
        "UFCSTATS_CONCURRENCY": "4",
        "SHERDOG_CONCURRENCY": "4",
        "UFC_HTTP_BACKOFF_BASE": "0.01",
        "UFC_HTTP_BACKOFF_MAX": "0.1",
    }
    return data, env


def test_kill_9_mid_run_then_rerun(tmp_path):
    world = build_world(seed=11, fighters=150)
    rng = random.Random(int(os.environ.get("UFC_KILL_SEED", "20261121")))
    with start_mirror(world) as mirror:
        clean = tmp_path / "clean"
        started = time.monotonic()
        assert run_chain(mirror, clean).success
        clean_s = time.monotonic() - started
        # A run that ends before the kill proves nothing: the moment is drawn within the
        # clean run's duration, and drawn earlier again (a new data directory) should the
        # run still have finished first.
        for attempt in range(3):
            data, env = _start_killable(tmp_path / f"try{attempt}", mirror)
            proc = subprocess.Popen(
                _cmd(),
                cwd=ROOT,
                env=env,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            # Wait until the crawl has really started, then kill at a random moment.
            deadline = time.time() + 120
            while time.time() < deadline and not (data / "raw").exists():
                time.sleep(0.1)
            time.sleep(rng.uniform(0.05, 0.6) * clean_s / 2**attempt)
            killed_early = proc.poll() is None
            if killed_early:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            if killed_early:
                break
        assert killed_early, "the run finished before it could be killed, three times"
        rerun = subprocess.run(_cmd(), cwd=ROOT, env=env, capture_output=True, text=True)
        assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert _digests(data) == _digests(clean)
    assert [p for p in data.rglob("*.tmp")] == []
    store, ref = ProcessedStore(data), ProcessedStore(clean)
    for letter in LETTERS:
        a = store.read("verified_matches", letter)
        b = ref.read("verified_matches", letter)
        assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True), letter
    engine = make_engine(f"sqlite:///{data / 'warehouse.sqlite'}")
    with engine.connect() as conn:
        keys = conn.execute(sa.select(fights.c.bout_key)).scalars().all()
    engine.dispose()
    assert len(keys) == len(set(keys))
