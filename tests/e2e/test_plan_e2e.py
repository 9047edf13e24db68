"""``ufc-pipeline plan`` tells what an incremental run would fetch, fetching only lists."""

from __future__ import annotations

import io

import pytest

from tests.e2e.helpers import run_chain
from ufc_mirror.server import start_mirror
from ufc_mirror.world import build_world
from ufc_pipeline.plan import plan, print_plan
from ufc_pipeline.sources.config import SiteConfig
from ufc_pipeline.steps.settings import Settings

pytestmark = pytest.mark.slow


def test_plan_before_and_after_a_new_event(tmp_path):
    world = build_world(seed=9, fighters=100)
    with start_mirror(world) as mirror:
        assert run_chain(mirror, tmp_path).success
        settings = Settings(
            ufcstats=SiteConfig("ufcstats", mirror.ufcstats_url, rate_per_s=0),
            sherdog=SiteConfig("sherdog", mirror.sherdog_url, rate_per_s=0),
            data_dir=tmp_path,
            today=world.as_of,
        )
        letters = list("abcdefghijklmnopqrstuvwxyz")
        quiet = plan(settings, letters)
        assert sum(p["would_fetch_fighters"] for p in quiet["letters"].values()) == 0
        added = mirror.add_event(bouts=2)
        before = dict(mirror.stats())
        busy = plan(settings, letters)
        served = {k: v - before.get(k, 0) for k, v in mirror.stats().items() if isinstance(v, int)}
    to_fetch = {f for p in busy["letters"].values() for f in p["sample"]}
    assert set(added.fighter_ids) & to_fetch
    assert sum(p["would_fetch_fighters"] for p in busy["letters"].values()) <= len(
        added.fighter_ids
    )
    assert added.event_name in busy["events"]["new"]
    for kind in ("ufcstats_fighter", "sherdog_search", "sherdog_fighter", "image"):
        assert served.get(kind, 0) == 0, served
    out = io.StringIO()
    print_plan(busy, out)
    assert "fighters an incremental run would fetch" in out.getvalue()
