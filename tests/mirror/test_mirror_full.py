"""One build of the full world: scale, traps and consistency at full size."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from ufc_mirror.model import World
from ufc_mirror.names import VARIANT_TAGS, fold, split_ufcstats
from ufc_mirror.seed import load_seed
from ufc_mirror.world import build_world


@pytest.fixture(scope="module")
def full_world() -> World:
    return build_world(7)  # its build time is a benchmark figure, not a test


def test_full_world_scale(full_world: World) -> None:
    seed = load_seed()
    listed = full_world.listed
    assert len(listed) == len(seed.fighters) == 3862
    # every UFC fighter keeps his real UFCStats id; crosswalk ids are kept
    assert {f.id for f in listed} == {f.id for f in seed.fighters}
    for f in listed:
        cw = seed.fighter_crosswalk.get(f.id)
        assert f.in_crosswalk == (cw is not None)
        assert f.person.sherdog_id == (cw if cw is not None else f.person.sherdog_id)
        assert first_last(f.name) == (f.first, f.last)
    real_ids = set(seed.fighter_crosswalk.values())
    synthetic = [sid for sid in full_world.persons if sid not in real_ids]
    assert all(sid >= 600_000 for sid in synthetic)
    assert len(full_world.persons) == len({p.sherdog_id for p in full_world.persons.values()})


def first_last(name: str) -> tuple[str, str]:
    return split_ufcstats(name)


def test_full_world_traps(full_world: World) -> None:
    listed = full_world.listed
    n = len(listed)
    roles = Counter(p.role for p in full_world.persons.values())
    assert roles["decoy"] >= 2 * n
    for f in listed:
        first, last = fold(f.first or f.last), fold(f.last)
        sharing = [
            d for d in full_world.decoys_of[f.id]
            if first in fold(d.name).split() or last in fold(d.name)
        ]  # fmt: skip
        assert len(sharing) >= 2, f.name
    tags = Counter(t for f in listed for t in f.variants)
    assert tags["same_name_other_person"] >= 0.03 * n
    for tag in VARIANT_TAGS:
        assert tags[tag] > 0, tag
    with_variant = sum(1 for f in listed if f.variants)
    assert 0.08 * n < with_variant < 0.35 * n  # a realistic minority
    images = Counter(f.person.image for f in listed)
    placeholders = images["placeholder_default"] + images["placeholder_reencoded"]
    assert 0.05 * n <= placeholders <= 0.07 * n
    for kind in ("broken_html", "broken_truncated", "broken_404"):
        assert 1 <= images[kind] <= 0.01 * n
    # some decoys carry a UFC fighter's first name as their nickname
    firsts = {fold(f.first) for f in listed if f.first}
    nick_decoys = [p for p in full_world.persons.values()
                   if p.role == "decoy" and p.nickname and fold(p.nickname) in firsts]  # fmt: skip
    assert len(nick_decoys) > 0.1 * n


def test_full_world_records_and_fights(
    full_world: World, check_fights: Callable[[World], None]
) -> None:
    seed = load_seed()
    per_fighter = Counter()
    for b in seed.bouts:
        per_fighter[b.red_id] += 1
        per_fighter[b.blue_id] += 1
    for f in full_world.listed:
        assert len(f.bouts) == per_fighter[f.id]
        ufc_rows = [r for r in f.person.fights if r.bout_id]
        assert len(ufc_rows) == per_fighter[f.id]
        regional_pre = [r for r in f.person.fights if not r.bout_id and f.bouts
                        and r.date < full_world.seed_events[f.bouts[-1].event_id].date]  # fmt: skip
        assert len([r for r in regional_pre if r.section == "pro"]) <= 15
    sections = Counter(r.section for p in full_world.persons.values() for r in p.fights)
    assert sections["amateur"] > 0 and sections["pro_exhibition"] > 0
    check_fights(full_world)


def test_full_world_search_answers_listed_names(full_world: World) -> None:
    index = full_world.search_index()
    names = [f.name for f in full_world.listed][:2000]
    assert sum(len(index.search(name)) for name in names) >= len(names)
