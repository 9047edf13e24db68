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


def test_kill_9_mid_run_then_rerun(tmp_path):
    world = build_world(seed=11, fighters=150)
    rng = random.Random(int(os.environ.get("UFC_KILL_SEED", "20261121")))
    with start_mirror(world) as mirror:
        clean = tmp_path / "clean"
        assert run_chain(mirror, clean).success
        data, home = tmp_path / "killed", tmp_path / "home"
        home.mkdir()
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
        time.sleep(rng.uniform(0.5, 6.0))
        killed_early = proc.poll() is None
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert killed_early, "the run finished before it could be killed"
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
