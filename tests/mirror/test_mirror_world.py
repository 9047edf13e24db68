"""The world model: determinism, small mode, fight consistency, truth."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable

from ufc_mirror import render_sherdog as rs
from ufc_mirror import render_ufcstats as ru
from ufc_mirror.methods import OPPOSITE, RESULTS
from ufc_mirror.model import World
from ufc_mirror.names import VARIANT_TAGS, fold
from ufc_mirror.world import build_world


def _pages(world: World) -> list[str]:
    listed = world.listed
    out = [ru.fighters_list(world, c) for c in "abmsz"]
    for f in listed[:5]:
        out.append(ru.fighter_details(world, f))
        out.append(rs.fighter_page(world, f.person))
        out.append(rs.search_page(world, f.name, 1))
    return out


def test_same_seed_same_world_and_pages() -> None:
    a, b = build_world(7, fighters=40), build_world(7, fighters=40)
    assert a.truth() == b.truth()
    assert _pages(a) == _pages(b)
    assert sorted(a.persons) == sorted(b.persons)


def test_other_seed_differs() -> None:
    a, b = build_world(7, fighters=40), build_world(8, fighters=40)
    assert a.truth() != b.truth()
    assert sorted(a.persons) != sorted(b.persons)


def test_small_mode_letters() -> None:
    w = build_world(7, letters="xq")
    assert w.listed
    assert {f.letter for f in w.listed} <= {"x", "q"}
    assert set(w.by_letter) <= {"x", "q"}


def test_small_mode_spreads_over_letters(small_world: World) -> None:
    listed = small_world.listed
    assert len(listed) == 240
    assert len({f.letter for f in listed}) >= 20
    # opponents outside the sample exist as persons, but are not listed nor in the truth
    assert len(small_world.fighters) > len(listed)
    assert len(small_world.truth()) == 240


def test_ufc_bouts_on_both_pages(small_world: World) -> None:
    for f in small_world.listed:
        p = f.person
        rows = {r.bout_id: r for r in p.fights if r.bout_id}
        assert set(rows) == {b.id for b in f.bouts}
        for b in f.bouts:
            mine = rows[b.id]
            red = b.red_id == f.id
            assert mine.result == RESULTS[b.red_outcome if red else b.blue_outcome]
            assert mine.section == "pro"
            opp = small_world.fighters[b.blue_id if red else b.red_id].person
            assert mine.opponent is opp
            theirs = [r for r in opp.fights if r.bout_id == b.id]
            assert len(theirs) == 1
            assert theirs[0].result == OPPOSITE[mine.result]
            assert (theirs[0].event, theirs[0].date) == (mine.event, mine.date)
            assert mine.date == small_world.seed_events[b.event_id].date


def test_all_fights_consistent(small_world: World, check_fights: Callable[[World], None]) -> None:
    check_fights(small_world)
    for p in small_world.persons.values():
        days = [(f.date, f.bout_id) for f in p.fights if not f.bout_id]
        assert len(days) == len(set(days)), "two generated fights on one day"


def test_truth_format(small_world: World) -> None:
    truth = small_world.truth()
    json.dumps(truth)
    keys = {"ufcstats_id", "ufcstats_name", "sherdog_id", "sherdog_name", "in_crosswalk",
            "variants", "image", "ufccom_slug", "ufccom_reachable", "wikidata_qid",
            "birth_city", "birth_country_code", "gym"}  # fmt: skip
    for row in truth:
        assert set(row) == keys
        assert set(row["variants"]) <= set(VARIANT_TAGS)
        person = small_world.persons[row["sherdog_id"]]
        assert person.ufcstats_id == row["ufcstats_id"]
        if "same_name_other_person" in row["variants"]:
            others = [q for q in small_world.persons.values()
                      if q is not person and fold(q.name) == fold(person.name)]  # fmt: skip
            assert others
        if not row["in_crosswalk"]:
            assert row["sherdog_id"] >= 600_000
    kinds = Counter(r["image"] for r in truth)
    for kind in ("broken_html", "broken_truncated", "broken_404"):
        assert kinds[kind] >= 1


def test_decoys_share_names(small_world: World) -> None:
    for f in small_world.listed:
        decoys = small_world.decoys_of[f.id]
        first, last = fold(f.first or f.last), fold(f.last)
        sharing = [d for d in decoys if first in fold(d.name).split() or last in fold(d.name)]
        assert len(sharing) >= 2
        assert all(d.ufcstats_id is None for d in decoys)


_DIGEST = """
import hashlib, json
from ufc_mirror import render_sherdog as rs, render_ufcstats as ru
from ufc_mirror.world import build_world
w = build_world(7, fighters=50)
h = hashlib.sha256(json.dumps(w.truth()).encode())
for f in w.listed[:10]:
    h.update(ru.fighter_details(w, f).encode())
    h.update(rs.fighter_page(w, f.person).encode())
    h.update(rs.search_page(w, f.last, 1).encode())
h.update(ru.fighters_list(w, "s").encode())
print(h.hexdigest())
"""


def test_independent_of_hash_seed() -> None:
    digests = set()
    for hash_seed in ("1", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        out = subprocess.run([sys.executable, "-c", _DIGEST], env=env, check=True,
                             capture_output=True, text=True)  # fmt: skip
        digests.add(out.stdout.strip())
    assert len(digests) == 1
