"""Sherdog ids learnt from opponents' fight rows, used only after a freeze."""

from __future__ import annotations

import datetime as dt

from ufc_pipeline.matching.links import OpponentLinks
from ufc_pipeline.matching.score import FighterProfile
from ufc_pipeline.parsing.records import SherdogFight, SherdogFighter


def _page(sid: int, name: str, fights: list[tuple[str, int, str]]) -> SherdogFighter:
    return SherdogFighter(
        sherdog_id=sid,
        name=name,
        nickname=None,
        image_path=None,
        birth_date=None,
        nationality=None,
        birthplace=None,
        height_in=None,
        weight_lbs=None,
        association=None,
        weight_class=None,
        wins=0,
        losses=0,
        draws=0,
        no_contests=0,
        fights=[
            SherdogFight(
                section="pro",
                result="win",
                opponent_name=opp,
                opponent_id=oid,
                event_name="UFC X",
                event_id=1,
                date=dt.date.fromisoformat(day),
                method="KO",
                referee=None,
                round=1,
                time="1:00",
            )
            for day, oid, opp in fights
        ],
    )


def _profile(name: str, bouts: list[tuple[str, str]]) -> FighterProfile:
    return FighterProfile(
        ufcstats_id="a" * 16,
        name=name,
        bouts=[(dt.date.fromisoformat(d), o) for d, o in bouts],
    )


def test_link_found_after_freeze_only() -> None:
    links = OpponentLinks()
    links.add(_page(100, "Ciryl Gane", [("2025-10-25", 65231, "Tom Aspinall")]))
    tom = _profile("Tom Aspinall", [("2025-10-25", "Ciryl Gane")])
    assert links.candidates(tom, 75) == []  # not frozen yet: same wave sees nothing
    assert links.freeze() == 1
    assert links.candidates(tom, 75) == [65231]


def test_date_within_a_day_and_votes_order() -> None:
    links = OpponentLinks()
    links.add(_page(1, "Ciryl Gane", [("2025-10-26", 65231, "Tom Aspinall")]))  # a day off
    links.add(_page(2, "Curtis Blaydes", [("2024-07-27", 65231, "Tom Aspinall")]))
    links.add(_page(3, "Sergei Pavlovich", [("2023-01-01", 999, "Tom Aspinal")]))
    links.freeze()
    tom = _profile(
        "Tom Aspinall",
        [
            ("2025-10-25", "Ciryl Gane"),
            ("2024-07-27", "Curtis Blaydes"),
            ("2023-01-01", "Pavlovich Sergei"),
        ],
    )
    assert links.candidates(tom, 75) == [65231, 999]  # two bouts confirm 65231, one 999


def test_no_link_when_the_page_owner_is_not_the_opponent_or_the_name_differs() -> None:
    links = OpponentLinks()
    links.add(_page(1, "Somebody Else", [("2025-10-25", 65231, "Tom Aspinall")]))
    links.add(_page(2, "Ciryl Gane", [("2025-10-25", 7, "Jon Jones")]))
    links.freeze()
    tom = _profile("Tom Aspinall", [("2025-10-25", "Ciryl Gane")])
    assert links.candidates(tom, 75) == []
    assert links.candidates(_profile("Tom Aspinall", [("2025-10-25", None)]), 75) == []
