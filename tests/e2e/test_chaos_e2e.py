"""Chaos: the same small world served with 10 % faults of every kind gives the very same
warehouse tables as a clean run; the UFCStats browser check is answered."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import run_chain
from ufc_mirror.faults import FaultConfig
from ufc_mirror.server import start_mirror
from ufc_mirror.world import build_world
from ufc_pipeline.processed import ProcessedStore
from ufc_pipeline.warehouse.engine import make_engine
from ufc_pipeline.warehouse.load import table_digest

pytestmark = pytest.mark.slow
TABLES = ("fighters", "fights")
# Short client timeout so the mirror's slow answers (3 s) time out and are retried.
SITE = {"timeout_s": 1.0, "max_retries": 6, "backoff_base_s": 0.01, "backoff_max_s": 0.2}


@pytest.fixture(scope="module")
def small_world():
    return build_world(seed=11, fighters=100)


def _digests(data_dir):
    engine = make_engine(f"sqlite:///{data_dir / 'warehouse.sqlite'}")
    try:
        return {t: table_digest(engine, t) for t in TABLES}
    finally:
        engine.dispose()


def test_chaos_run_equals_clean_run(small_world, tmp_path):
    with start_mirror(small_world) as clean:
        assert run_chain(clean, tmp_path / "clean", site=SITE).success
    faults = FaultConfig(rate=0.10, seed=3, slow_s=3.0, challenge_difficulty=3)
    with start_mirror(small_world, faults=faults) as chaotic:
        result = run_chain(chaotic, tmp_path / "chaos", site=SITE)
        injected = dict(chaotic.stats().get("faults", {}))
    assert result.success
    assert sum(injected.values()) >= 20, injected
    assert {"reset", "truncated", "cloudflare"} <= set(injected), injected
    assert _digests(tmp_path / "chaos") == _digests(tmp_path / "clean")
    tmp_files = [p for p in (tmp_path / "chaos").rglob("*") if p.name.endswith(".tmp")]
    assert tmp_files == []


def test_ufcstats_browser_check_is_answered(small_world, tmp_path):
    faults = FaultConfig(kinds={"challenge": 0.5}, seed=1, challenge_difficulty=3)
    with start_mirror(small_world, faults=faults) as mirror:
        result = run_chain(mirror, tmp_path / "d", start="a", end="f", site=SITE)
        stats = mirror.stats()
    assert result.success
    assert stats["faults"]["challenge"] > 0
    assert stats.get("challenge_solved", 0) > 0
    store = ProcessedStore(tmp_path / "d")
    for letter in "abcdef":
        data = store.require("fighters_list", letter)
        assert "Checking your browser" not in str(data)
