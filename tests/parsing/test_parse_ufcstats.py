"""UFCStats parsers on real (and clearly constructed) pages."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from ufc_pipeline.parsing import parse_file
from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.records import UFCStatsFightRow, UFCStatsListRow
from ufc_pipeline.parsing.ufcstats import (
    event_id_from_url,
    fight_id_from_url,
    fighter_id_from_url,
    parse_fighter_page,
    parse_fighters_list,
)

UFC = Path(__file__).resolve().parent.parent / "fixtures" / "ufcstats"
MAKHACHEV = "275aca31f61ba28c"

# The balaustrada list is anonymised: its links are http://example.com/<slug>. Give each
# slug a 16-hex id, on a different host each time (any host must work).
_FAKE_LINKS = {
    "fighter1": "http://ufcstats.com/fighter-details/a000000000000001",
    "fighter2": "http://www.ufcstats.com/fighter-details/a000000000000002",
    "fighter3": "http://127.0.0.1:8801/fighter-details/a000000000000003",
    "fighter4": "/fighter-details/a000000000000004",
    "fighter5": "http://ufcstats.com/fighter-details/A000000000000005",
    "fighter6": "http://ufcstats.com/fighter-details/a000000000000006/",
    "none": "http://ufcstats.com/fighter-details/a000000000000007",
    "fail": "http://ufcstats.com/fighter-details/a000000000000008?x=1",
}
BELT_IMG = (
    '<img src="http://1e49bc5171d173577ecd-1323f4090557a33db01577564f60846c.r80.cf1'
    '.rackcdn.com/belt.png" alt="">'
)


def _read(name: str) -> str:
    return (UFC / name).read_text(encoding="utf-8")


def _replace_once(html: str, old: str, new: str) -> str:
    assert html.count(old) == 1, f"fixture changed: {old!r} occurs {html.count(old)} times"
    return html.replace(old, new)


def _deanonymised() -> str:
    """The balaustrada list with real-shaped links, one ``--`` reach and one champion."""
    html = _read("fighter_search_page.html")
    for slug, url in _FAKE_LINKS.items():
        assert f'"http://example.com/{slug}"' in html
        html = html.replace(f'"http://example.com/{slug}"', f'"{url}"')
    html = _replace_once(html, '>77.0"<', ">--<")
    return _replace_once(html, ">None</td>", f">{BELT_IMG}</td>")


# ---------------------------------------------------------------- ids


@pytest.mark.parametrize(
    "url",
    [
        "http://ufcstats.com/fighter-details/07f72a2a7591b409",
        "http://www.ufcstats.com/fighter-details/07f72a2a7591b409",
        "http://127.0.0.1:8801/fighter-details/07f72a2a7591b409",
        "/fighter-details/07f72a2a7591b409",
        "  http://ufcstats.com/fighter-details/07F72A2A7591B409/?tab=1  ",
    ],
)
def test_fighter_id_from_any_host(url: str) -> None:
    assert fighter_id_from_url(url) == "07f72a2a7591b409"


def test_event_and_fight_ids() -> None:
    assert event_id_from_url("http://ufcstats.com/event-details/b96619b3acd7d9da") == (
        "b96619b3acd7d9da"
    )
    assert fight_id_from_url("doNav('http://ufcstats.com/fight-details/365fd759c03e93cf')") == (
        "365fd759c03e93cf"
    )
    # a link of one kind is not an id of another kind
    assert event_id_from_url("http://ufcstats.com/fight-details/365fd759c03e93cf") is None
    assert fighter_id_from_url("http://ufcstats.com/fighter-details/123") is None
    assert fighter_id_from_url("http://ufcstats.com/fighter-details/07f72a2a7591b409ff") is None
    assert fighter_id_from_url(None) is None


# ---------------------------------------------------------------- fighters list


def test_fighters_list_all_eleven_columns() -> None:
    rows = parse_fighters_list(_deanonymised(), source="fighters-x")
    assert rows[0] == UFCStatsListRow(
        ufcstats_id="a000000000000001",
        first_name="John",
        last_name="Doe",
        nickname="The Phantom",
        height_in=73.0,
        weight_lbs=170.0,
        reach_in=75.0,
        stance="Orthodox",
        wins=10,
        losses=2,
        draws=0,
        belt=False,
    )
    summary = [
        (r.ufcstats_id[-1], r.name, r.nickname, r.height_in, r.weight_lbs, r.reach_in)
        + (r.stance, r.wins, r.losses, r.draws, r.belt)
        for r in rows
    ]
    assert summary == [
        ("1", "John Doe", "The Phantom", 73.0, 170.0, 75.0, "Orthodox", 10, 2, 0, False),
        ("2", "Jane Smith", "The Hammer", 69.0, 135.0, 68.0, "Southpaw", 12, 1, 0, False),
        ("3", "Max Power", "The Beast", 75.0, 220.0, None, "Switch", 15, 3, 0, True),
        ("4", "Emily Brown", "The Tornado", 67.0, 140.0, 70.0, "Orthodox", 8, 2, 1, False),
        ("5", "Liam Jones", "The Dragon", 72.0, 185.0, 72.0, "Southpaw", 14, 4, 0, False),
        ("6", "Sophia Wilson", "The Viper", 66.0, 125.0, 65.0, "Orthodox", 11, 3, 0, False),
        ("7", "Marc Hamilton", "The Ace", 73.0, 185.0, 70.0, "Orthodox", 10, 3, 0, False),
        ("8", "Sara Think", "A", 60.0, 125.0, 70.0, "Orthodox", 10, 3, 0, False),
    ]


def test_fighters_list_dashes_and_empty_cells_are_none() -> None:
    html = _deanonymised()
    html = _replace_once(html, ">6' 3\"<", ">--<")
    html = _replace_once(html, ">Switch<", "><")
    html = _replace_once(html, ">The Beast<", ">\n  <")
    max_power = parse_fighters_list(html)[2]
    assert (max_power.name, max_power.height_in, max_power.reach_in) == ("Max Power", None, None)
    assert max_power.stance is None and max_power.nickname is None
    assert max_power.weight_lbs == 220.0 and max_power.belt is True


def test_anonymised_list_names_the_row_without_a_fighter_link() -> None:
    with pytest.raises(ParseError) as err:
        parse_fighters_list(_read("fighter_search_page.html"), source="x.html")
    assert err.value.page_kind == "ufcstats-fighters" and err.value.source == "x.html"
    assert "fighter row 1 (John Doe)" in str(err.value)
    assert "/fighter-details/" in str(err.value)


def test_fighters_list_bad_cells_name_row_and_column() -> None:
    bad_height = _replace_once(_deanonymised(), "5' 9\"", "tall")
    with pytest.raises(ParseError, match=r"fighter row 2 \(Jane Smith\), Ht\.: not a height"):
        parse_fighters_list(bad_height, source="x.html")
    missing_cell = re.sub(
        r'<td class="b-statistics__table-col">\s*Black\s*</td>', "", _deanonymised()
    )
    with pytest.raises(
        ParseError, match=r"fighter row 1 \(John Doe\): expected 11 cells, found 10"
    ):
        parse_fighters_list(missing_cell)


def test_fighters_list_empty_letter_is_empty_list() -> None:
    html, removed = re.subn(
        r'<tr class="b-statistics__table-row">\s*<td class="b-statistics__table-col">.*?</tr>',
        "",
        _read("fighter_search_page.html"),
        flags=re.DOTALL,
    )
    assert removed == 8
    assert "b-statistics__table-col_type_clear" in html
    assert parse_fighters_list(html) == []


def test_fighters_list_wrong_page() -> None:
    with pytest.raises(ParseError) as err:
        parse_file("ufcstats-fighters", str(UFC / "ufcstats-event-details.html"))
    assert err.value.page_kind == "ufcstats-fighters"
    assert err.value.source.endswith("ufcstats-event-details.html")
    assert "table.b-statistics__table not found" in str(err.value)


# ---------------------------------------------------------------- fighter page


def test_fighter_page_header_and_tale_of_the_tape() -> None:
    src = "http://127.0.0.1:8801/fighter-details/a000000000000001"
    f = parse_fighter_page(_read("fighter_page1.html"), source=src)
    assert (f.ufcstats_id, f.name, f.nickname) == ("a000000000000001", "John Doe", "The Phantom")
    assert (f.wins, f.losses, f.draws, f.no_contests) == (13, 2, 0, 0)
    assert (f.height_in, f.weight_lbs, f.reach_in, f.stance) == (73.0, 170.0, 75.0, "Orthodox")
    assert f.dob == dt.date(1936, 4, 20)
    assert f.fights == []

    g = parse_fighter_page(_read("fighter_page_fail.html"), ufcstats_id="a000000000000008")
    assert (g.ufcstats_id, g.name, g.nickname) == ("a000000000000008", "Sara Think", None)
    assert (g.wins, g.losses, g.height_in, g.reach_in) == (10, 3, 60.0, 65.0)
    assert g.dob == dt.date(1937, 5, 1)


def test_sdmm27_tale_of_the_tape_fragment() -> None:
    fragment = _read("ufcstats-fighter-details.html")
    with pytest.raises(ParseError) as err:
        parse_fighter_page(fragment, source="fragment.html")
    assert err.value.page_kind == "ufcstats-fighter" and err.value.source == "fragment.html"
    assert "span.b-content__title-highlight" in str(err.value)

    header = (
        '<h2 class="b-content__title"><span class="b-content__title-highlight">X Y</span>'
        '<span class="b-content__title-record">Record: 22-8-0 (1 NC)</span></h2>'
    )
    f = parse_fighter_page(header + fragment)
    assert (f.wins, f.losses, f.draws, f.no_contests) == (22, 8, 0, 1)
    assert (f.height_in, f.weight_lbs, f.reach_in, f.stance) == (67.0, 145.0, 69.0, "Orthodox")
    assert f.dob == dt.date(1996, 12, 13)


def test_constructed_fighter_page_history() -> None:
    data = parse_file("ufcstats-fighter", str(UFC / "fighter_details_constructed.html"))
    assert isinstance(data, dict)
    assert (data["ufcstats_id"], data["name"], data["nickname"]) == (
        MAKHACHEV,
        "Islam Makhachev",
        None,
    )
    assert (data["wins"], data["losses"], data["draws"]) == (29, 1, 0)
    assert (data["height_in"], data["reach_in"], data["stance"], data["dob"]) == (
        70.0,
        70.0,
        "Southpaw",
        "1991-10-27",
    )
    fights = [UFCStatsFightRow.from_dict(f) for f in data["fights"]]
    assert fights[0] == UFCStatsFightRow(
        result="win",
        opponent_name="Ian Machado Garry",
        opponent_id="442c9011034ae1fd",
        event_name="UFC 330: Makhachev vs. Machado Garry",
        event_id="b96619b3acd7d9da",
        fight_id="365fd759c03e93cf",
        date=dt.date(2026, 8, 15),
        method="U-DEC",
        method_detail=None,
        round=5,
        time="5:00",
    )
    assert [
        (f.opponent_id, f.date, f.method, f.method_detail, f.round, f.time) for f in fights
    ] == [
        ("442c9011034ae1fd", dt.date(2026, 8, 15), "U-DEC", None, 5, "5:00"),
        ("6b453bc35a823c3f", dt.date(2025, 11, 15), "U-DEC", None, 5, "5:00"),
        ("b6452706b373eea1", dt.date(2025, 1, 18), "SUB", "D'Arce Choke", 1, "4:05"),
        ("029eaff01e6bb8f0", dt.date(2024, 6, 1), "SUB", "D'Arce Choke", 5, "2:42"),
    ]
    assert [f.fight_id for f in fights][2:] == ["daef1691c7d6b1e4", "1a0031e2072f21b6"]
    assert fights[3].event_name == "UFC 302: Makhachev vs. Poirier"


def test_opponent_is_the_link_that_is_not_the_fighter() -> None:
    html = _read("fighter_details_constructed.html")
    seen_from_garry = parse_fighter_page(html, ufcstats_id="442c9011034ae1fd")
    assert seen_from_garry.fights[0].opponent_name == "Islam Makhachev"
    assert seen_from_garry.fights[0].opponent_id == MAKHACHEV
    # an id that is in no row: fall back to position (the second link is the opponent)
    unknown = parse_fighter_page(html, ufcstats_id="ffffffffffffffff")
    assert [f.opponent_name for f in unknown.fights][:2] == [
        "Ian Machado Garry",
        "Jack Della Maddalena",
    ]


_HEADER = (
    '<h2 class="b-content__title"><span class="b-content__title-highlight">A B</span>'
    '<span class="b-content__title-record">Record: 1-0-0</span></h2>'
)


def _row(
    cells: list[str], data_link: str = "http://ufcstats.com/fight-details/f000000000000001"
) -> str:
    tds = "".join(f'<td class="b-fight-details__table-col">{c}</td>' for c in cells)
    return (
        '<table><tbody><tr class="b-fight-details__table-row b-fight-details__table-row__hover '
        f'js-fight-details-click" data-link="{data_link}">{tds}</tr></tbody></table>'
    )


def _p(*texts: str) -> str:
    return "".join(f'<p class="b-fight-details__table-text">{t}</p>' for t in texts)


_FIGHTERS = _p(
    '<a href="http://ufcstats.com/fighter-details/aaaaaaaaaaaaaaaa">A B</a>',
    '<a href="http://ufcstats.com/fighter-details/bbbbbbbbbbbbbbbb">C D</a>',
)
_EVENT = _p(
    '<a href="http://ufcstats.com/event-details/eeeeeeeeeeeeeeee">UFC 400</a>', "Sep. 05, 2026"
)


def test_upcoming_next_row_has_no_method_round_or_time() -> None:
    flag = (
        '<a class="b-flag b-flag_style_bordered"><i class="b-flag__inner">'
        '<i class="b-flag__text">next</i></i></a>'
    )
    cells = [
        _p(flag),
        _FIGHTERS,
        _p("", ""),
        _p("", ""),
        _p("", ""),
        _p("", ""),
        _EVENT,
        _p("", ""),
        _p(""),
        _p(""),
    ]
    fight = parse_fighter_page(_HEADER + _row(cells)).fights[0]
    assert (fight.result, fight.opponent_name, fight.opponent_id) == (
        "next",
        "C D",
        "bbbbbbbbbbbbbbbb",
    )
    assert (fight.event_id, fight.date) == ("eeeeeeeeeeeeeeee", dt.date(2026, 9, 5))
    assert (fight.method, fight.method_detail, fight.round, fight.time) == (None, None, None, None)
    assert fight.fight_id == "f000000000000001"


def test_history_row_with_a_moved_event_cell_is_still_read() -> None:
    flag = _p('<i class="b-flag__text">nc</i>')
    cells = [
        flag,
        _FIGHTERS,
        "0",
        "0",
        "0",
        "0",
        "Lightweight",
        _EVENT,
        _p("Overturned", "Eye Poke"),
        "2",
        "1:01",
    ]
    fight = parse_fighter_page(_HEADER + _row(cells)).fights[0]
    assert (fight.result, fight.event_name, fight.method, fight.method_detail) == (
        "nc",
        "UFC 400",
        "Overturned",
        "Eye Poke",
    )
    assert (fight.round, fight.time) == (2, "1:01")


def test_history_row_errors_name_the_row() -> None:
    no_event = [_p("win"), _FIGHTERS, "0", "0", "0", "0", "UFC 400", "KO/TKO", "1", "0:30"]
    with pytest.raises(ParseError, match=r"fight-history row 1: no /event-details/ link"):
        parse_fighter_page(_HEADER + _row(no_event), source="p.html")
    bad_round = [_p("win"), _FIGHTERS, "0", "0", "0", "0", _EVENT, "KO/TKO", "one", "0:30"]
    with pytest.raises(ParseError, match=r"fight-history row 1 \(vs C D\), round: not an integer"):
        parse_fighter_page(_HEADER + _row(bad_round), source="p.html")


def test_event_page_is_not_a_fighter_page() -> None:
    with pytest.raises(ParseError) as err:
        parse_file("ufcstats-fighter", str(UFC / "ufcstats-event-details.html"))
    assert err.value.page_kind == "ufcstats-fighter"
    assert "span.b-content__title-record" in str(err.value)


def test_classes_are_whole_words_and_link_text_is_not_the_date() -> None:
    """The fighter page is read in one walk with class tests in Python: a class matches
    as a whole word (XML whitespace between words, never as part of a longer class), and
    the date is the event cell's text outside links (comments and link text left out)."""
    header = (
        '<h2><span class="b-content__title-highlight-old">Not Me</span>'
        '<span class="x\tb-content__title-highlight\n">A B</span>'
        '<span class="b-content__title-record">Record: 1-0-0</span></h2>'
        '<p class="b-content__Nicknames">not a nickname</p>'
        '<ul><li class="b-list__box-list-item"><i class="b-list__box-item-title">DOB:</i>'
        "Jan 02, 1990<!-- hidden --> </li></ul>"
    )
    event = _p(
        '<a href="http://ufcstats.com/event-details/eeeeeeeeeeeeeeee">UFC 400 <b>Jan. 01, 1999'
        "</b></a><!-- Feb. 02, 2000 -->",
        "Sep. 05, 2026",
    )
    flag = '<a class="b-flagged" href="/fight-details/1111111111111111"></a>' + _p(
        '<i class="b-flag__text">win</i>'
    )
    cells = [flag, _FIGHTERS, "0", "0", "0", "0", event, _p("KO/TKO", "Punch"), "1", "0:30"]
    f = parse_fighter_page(header + _row(cells, data_link=""), ufcstats_id="aaaaaaaaaaaaaaaa")
    assert (f.name, f.nickname, f.dob) == ("A B", None, dt.date(1990, 1, 2))
    fight = f.fights[0]
    assert (fight.result, fight.opponent_id, fight.date) == (
        "win",
        "bbbbbbbbbbbbbbbb",
        dt.date(2026, 9, 5),
    )
    assert fight.event_name == "UFC 400 Jan. 01, 1999"
    assert fight.fight_id is None  # not from the link whose class only starts with b-flag
    assert (fight.method, fight.method_detail, fight.round, fight.time) == (
        "KO/TKO",
        "Punch",
        1,
        "0:30",
    )
