"""The whole chain on a small mirror world: real HTTP, real Scrapy, real Pillow, SQLite."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from tests.e2e.helpers import run_chain
from ufc_pipeline.processed import LETTERS, ProcessedStore
from ufc_pipeline.warehouse.engine import make_engine
from ufc_pipeline.warehouse.load import table_digest
from ufc_pipeline.warehouse.schema import fighters, fights

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def first_run(mirror, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("data")
    result = run_chain(mirror, data_dir)
    return data_dir, result


def test_chain_succeeds_with_every_check_passing(first_run):
    data_dir, result = first_run
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    checks = [e for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"]
    assert checks, "asset checks were evaluated"
    failed = [e.event_specific_data.check_name for e in checks if not e.event_specific_data.passed]
    # The world plants Wikidata items whose P18 is another fighter's photo: the warning must
    # name exactly those pairs, and nothing else may fail.
    assert set(failed) <= {"no_shared_image"}
    pairs = json.loads((data_dir / "review" / "duplicate_images.json").read_text())
    assert bool(pairs) == ("no_shared_image" in failed)


def test_shared_photos_are_the_planted_ones(first_run, world):
    from ufc_mirror.wiki_world import wiki_truth

    data_dir, _ = first_run
    truth = wiki_truth(world)
    planted = {
        frozenset((fid, t["shared_with"]))
        for fid, t in truth.items()
        if t.get("shared_with") and t["shared_with"] in truth
    }
    pairs = json.loads((data_dir / "review" / "duplicate_images.json").read_text())
    found = {frozenset((p["first_id"], p["second_id"])) for p in pairs}
    assert found <= planted, found - planted


def test_matches_are_right_against_truth(first_run, world):
    data_dir, _ = first_run
    store = ProcessedStore(data_dir)
    truth = {t["ufcstats_id"]: t for t in world.truth()}
    rows = [r for x in LETTERS for r in (store.read("verified_matches", x) or {}).get("rows", [])]
    assert len(rows) == len(truth)
    verified = [r for r in rows if r["status"] in ("auto_verified", "override")]
    right = [r for r in verified if r["sherdog_id"] == truth[r["ufcstats_id"]]["sherdog_id"]]
    assert len(verified) >= 0.8 * len(truth)
    assert len(right) / len(verified) >= 0.98
    ids = [r["sherdog_id"] for r in verified]
    assert len(ids) == len(set(ids))


def test_images_saved_and_failures_have_reasons(first_run, world):
    data_dir, _ = first_run
    store = ProcessedStore(data_dir)
    rows = [r for x in LETTERS for r in (store.read("fighter_images", x) or {}).get("rows", [])]
    saved = [r for r in rows if r["status"] == "saved"]
    assert saved and all(
        (data_dir / "images" / "fighters" / f"{r['ufcstats_id']}.jpg").exists() for r in saved
    )
    failed = [r for r in rows if r["status"] != "saved"]
    assert failed and all(r["reason"] for r in failed)
    tried = [c for r in rows for c in r["candidates"]]
    assert "placeholder" in {c["reason"] for c in tried if c["outcome"] != "saved"}
    for r in saved:
        assert r["source"] and r["licence"] and r["faces"] == 1


def test_fights_loaded_one_row_per_bout(first_run):
    data_dir, _ = first_run
    engine = make_engine(f"sqlite:///{data_dir / 'warehouse.sqlite'}")
    with engine.connect() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(fights)).scalar_one()
        nf = conn.execute(sa.select(sa.func.count()).select_from(fighters)).scalar_one()
        pairs = conn.execute(
            sa.select(
                fights.c.event_name, fights.c.date, fights.c.fighter1_key, fights.c.fighter2_key
            )
        ).all()
    engine.dispose()
    assert n > 0 and nf > 0
    assert len(pairs) == len(set(pairs))


def test_rerun_changes_nothing(first_run, mirror):
    data_dir, _ = first_run
    engine = make_engine(f"sqlite:///{data_dir / 'warehouse.sqlite'}")
    before = {t: table_digest(engine, t) for t in ("fighters", "fights")}
    matches_before = json.dumps(ProcessedStore(data_dir).read("verified_matches", "s"))
    served_before = dict(mirror.stats())
    result = run_chain(mirror, data_dir)
    assert result.success
    served = {k: v - served_before.get(k, 0) for k, v in mirror.stats().items()}
    # Nothing changed on the sites: only the list pages (and robots.txt) are fetched again.
    assert served.get("ufcstats_list") == 26
    for kind in ("ufcstats_fighter", "sherdog_search", "sherdog_fighter", "image"):
        assert served.get(kind, 0) == 0, (kind, served)
    after = {t: table_digest(engine, t) for t in ("fighters", "fights")}
    engine.dispose()
    assert before == after
    assert json.dumps(ProcessedStore(data_dir).read("verified_matches", "s")) == matches_before
