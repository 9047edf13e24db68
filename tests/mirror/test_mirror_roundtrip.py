"""Round trip: the mirror's pages read back through ``ufc_pipeline.parsing`` (if present)."""

from __future__ import annotations

import importlib
from typing import Any

import httpx
import pytest

from ufc_mirror.model import World
from ufc_mirror.server import MirrorHandle
from ufc_mirror.sherdog_chrome import fighter_path


def _parser(module: str, name: str) -> Any:
    try:
        mod = importlib.import_module(module)
    except Exception as exc:  # noqa: BLE001 - the parser package is written elsewhere
        pytest.skip(f"{module} not importable: {exc}")
    func = getattr(mod, name, None)
    if func is None:
        pytest.skip(f"{module}.{name} not there yet")
    return func


def test_fighters_list_roundtrip(
    mirror: MirrorHandle, http: httpx.Client, small_world: World
) -> None:
    parse = _parser("ufc_pipeline.parsing.ufcstats", "parse_fighters_list")
    for char in ("a", "m", "s"):
        url = f"{mirror.ufcstats_url}/statistics/fighters?char={char}&page=all"
        rows = parse(http.get(url).text, url)
        expected = small_world.by_letter.get(char, [])
        assert [r.ufcstats_id for r in rows] == [f.id for f in expected]
        for row, f in zip(rows, expected, strict=True):
            rec = f.person.record()
            assert (row.first_name or "", row.last_name) == (f.first, f.last)
            assert (row.wins, row.losses, row.draws) == (rec["win"], rec["loss"], rec["draw"])
            assert row.height_in == f.height_in and row.reach_in == f.reach_in
            assert row.weight_lbs == f.weight_lbs
            assert row.belt == f.belt


def test_sherdog_fighter_roundtrip(
    mirror: MirrorHandle, http: httpx.Client, small_world: World
) -> None:
    parse = _parser("ufc_pipeline.parsing.sherdog", "parse_fighter_page")
    people = [f.person for f in small_world.listed[:25]]
    people += [d for f in small_world.listed[:5] for d in small_world.decoys_of[f.id]]
    for p in people:
        url = mirror.sherdog_url + fighter_path(p)
        rec = parse(http.get(url).text, url)
        assert rec.sherdog_id == p.sherdog_id
        assert rec.name == p.name and rec.nickname == p.nickname
        assert rec.birth_date == p.dob
        r = p.record()
        assert (rec.wins, rec.losses, rec.draws, rec.no_contests) == (
            r["win"], r["loss"], r["draw"], r["nc"],
        )  # fmt: skip
        assert len(rec.fights) == len(p.fights)
        by_section = {s: p.section_fights(s) for s in ("pro", "pro_exhibition", "amateur")}
        for row in rec.fights:
            assert row.section in by_section
        pro = [row for row in rec.fights if row.section == "pro"]
        for row, fight in zip(pro, by_section["pro"], strict=True):
            assert row.opponent_id == fight.opponent.sherdog_id
            assert row.event_id == fight.event.sherdog_id
            assert row.date == fight.date and row.result == fight.result
            assert row.method == fight.method


def test_search_roundtrip(mirror: MirrorHandle, http: httpx.Client, small_world: World) -> None:
    parse = _parser("ufc_pipeline.parsing.sherdog", "parse_search_results")
    index = small_world.search_index()
    for f in small_world.listed[:20]:
        url = f"{mirror.sherdog_url}/stats/fightfinder?SearchTxt={f.last}"
        rows = parse(http.get(url).text, url)
        expected = index.page(f.last, 1)[0]
        assert [r.sherdog_id for r in rows] == [p.sherdog_id for p in expected]
        for row, p in zip(rows, expected, strict=True):
            assert row.name == p.name and row.nickname == p.nickname
            assert row.height_in == p.height_in and row.weight_lbs == p.weight_lbs
