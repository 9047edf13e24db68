"""``parse_fight_page`` beyond the corpus values: shapes the public pages do not show.

The variants below are built in code from the real pages of
``tests/fixtures/real/ufcstats/fight/``; each says what it changes. The values read from
the unchanged pages are checked in ``test_real_ufcstats.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ufc_pipeline.parsing import PAGE_KINDS, BlockedPage, ParseError, parse_file, parse_page
from ufc_pipeline.parsing.ufcstats_fight import (
    UFCStatsFight,
    UFCStatsFightStats,
    parse_fight_page,
)

FIGHT = Path(__file__).resolve().parent.parent / "fixtures" / "real" / "ufcstats" / "fight"
FINISH = FIGHT / "sdmm27_fight_details_finish.html"
DECISION = FIGHT / "sdmm27_fight_details_decision.html"
EVENT = FIGHT.parent / "event" / "sdmm27_event_details_ufc330.html"

_TABLE_RE = re.compile(r"<table\b.*?</table>", re.S)


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _row(cells: list[tuple[str, str]]) -> str:
    """A stats row in the page's markup: a fighter cell, then one cell per pair of values."""
    names = (
        '<td class="b-fight-details__table-col l-page_align_left">'
        '<p class="b-fight-details__table-text"><a class="b-link b-link_style_black" '
        'href="http://ufcstats.com/fighter-details/4d8fa64202cee4c1">Jalin Turner </a></p>'
        '<p class="b-fight-details__table-text"><a class="b-link b-link_style_black" '
        'href="http://ufcstats.com/fighter-details/ec13c393d029297d">Kaue Fernandes </a></p></td>'
    )
    body = "".join(
        '<td class="b-fight-details__table-col">'
        f'<p class="b-fight-details__table-text">{a}</p>'
        f'<p class="b-fight-details__table-text">{b}</p></td>'
        for a, b in cells
    )
    return f'<tr class="b-fight-details__table-row">{names}{body}</tr>'


def _with_tables(html: str, tables: str) -> str:
    """The page with all its statistics tables replaced by ``tables``."""
    first = _TABLE_RE.search(html)
    assert first is not None
    return html[: first.start()] + tables + _TABLE_RE.sub("", html[first.start() :])


def test_kind_is_registered() -> None:
    assert "ufcstats-fight" in PAGE_KINDS
    fight = parse_page("ufcstats-fight", FINISH.read_bytes(), source="x")
    assert isinstance(fight, UFCStatsFight) and fight.has_stats


def test_fight_id_comes_from_the_source_url() -> None:
    fight = parse_fight_page(_read(FINISH), "http://ufcstats.com/fight-details/d4bd456d70965734")
    assert fight.fight_id == "d4bd456d70965734"
    assert parse_fight_page(_read(FINISH), fight_id="ABCDEF0123456789").fight_id == (
        "abcdef0123456789"
    )


def test_statistics_not_published_yet() -> None:
    """Variant: the finish page with every statistics table removed (as before publication)."""
    html = _TABLE_RE.sub("", _read(FINISH)).replace(
        "Totals", "Round-by-round stats not currently available."
    )
    fight = parse_fight_page(html, "fight")
    assert fight.has_stats is False
    assert [(f.name, f.result, f.totals, f.rounds) for f in fight.fighters] == [
        ("Jalin Turner", "W", None, []),
        ("Kaue Fernandes", "L", None, []),
    ]
    assert (fight.method, fight.round, fight.time) == ("KO/TKO", 1, "0:39")


def test_pass_column_of_pages_before_october_2020() -> None:
    """Variant: a totals table in the pre-Oct-2020 column set (PASS before REV., no CTRL)."""
    heads = ["Fighter", "KD", "Sig. str.", "Sig. str. %", "Total str.", "Td", "Td %"]
    heads += ["Sub. att", "Pass", "Rev."]
    thead = "".join(f'<th class="b-fight-details__table-col">{h}</th>' for h in heads)
    row = _row(
        [("1", "0"), ("9 of 14", "2 of 4"), ("64%", "50%"), ("9 of 14", "2 of 4")]
        + [("1 of 2", "0 of 0"), ("50%", "---"), ("0", "1"), ("3", "0"), ("0", "2")]
    )
    table = (
        f'<table><thead class="b-fight-details__table-head"><tr>{thead}</tr></thead>'
        f'<tbody class="b-fight-details__table-body">{row}</tbody></table>'
    )
    fight = parse_fight_page(_with_tables(_read(FINISH), table), "old")
    turner, fernandes = (f.totals for f in fight.fighters)
    assert turner is not None and fernandes is not None
    assert (turner.passes, turner.rev, turner.sub_att, turner.ctrl_seconds) == (3, 0, 0, None)
    assert (fernandes.passes, fernandes.rev, fernandes.sub_att) == (0, 2, 1)
    assert (turner.td_landed, turner.td_attempted, turner.td_pct) == (1, 2, 50)
    assert fernandes.td_pct is None


def test_missing_markers_are_none_never_zero() -> None:
    """Variant: a totals row whose KD, CTRL and percentages read ``--`` / ``---``."""
    row = _row(
        [("--", "0"), ("9 of 14", "--"), ("---", "50%"), ("9 of 14", "2 of 4")]
        + [("0 of 0", "0 of 0"), ("---", "---"), ("0", "--"), ("0", "0"), ("--", "0:00")]
    )
    table = f'<table><tbody class="b-fight-details__table-body">{row}</tbody></table>'
    fight = parse_fight_page(_with_tables(_read(FINISH), table), "dashes")
    turner, fernandes = (f.totals for f in fight.fighters)
    assert turner == UFCStatsFightStats(
        sig_str_landed=9,
        sig_str_attempted=14,
        total_str_landed=9,
        total_str_attempted=14,
        td_landed=0,
        td_attempted=0,
        sub_att=0,
        rev=0,
    )
    assert fernandes is not None
    assert (fernandes.kd, fernandes.sig_str_landed, fernandes.sig_str_pct) == (0, None, 50)
    assert (fernandes.sub_att, fernandes.ctrl_seconds) == (None, 0)


def test_rows_map_to_fighters_by_link_not_order() -> None:
    """Variant: the totals row lists the second fighter first."""
    row = _row([("0", "1"), ("2 of 4", "9 of 14")]).replace("4d8fa64202cee4c1", "SWAP")
    row = row.replace("ec13c393d029297d", "4d8fa64202cee4c1").replace("SWAP", "ec13c393d029297d")
    heads = "".join(
        f'<th class="b-fight-details__table-col">{h}</th>' for h in ("Fighter", "KD", "Sig. str.")
    )
    table = (
        f'<table><thead class="b-fight-details__table-head"><tr>{heads}</tr></thead>'
        f'<tbody class="b-fight-details__table-body">{row}</tbody></table>'
    )
    fight = parse_fight_page(_with_tables(_read(FINISH), table), "swapped")
    turner, fernandes = (f.totals for f in fight.fighters)
    assert turner is not None and fernandes is not None
    assert (turner.kd, turner.sig_str_landed, fernandes.kd) == (1, 9, 0)


def test_unreadable_cell_names_table_round_and_column() -> None:
    html = _read(DECISION).replace("3:05", "3m05", 1)
    with pytest.raises(ParseError, match=r"statistics table 2, round 4, column ctrl: not a time"):
        parse_fight_page(html, "decision")


def test_other_pages_are_refused_naming_the_selectors() -> None:
    with pytest.raises(ParseError) as err:
        parse_fight_page(_read(EVENT), "/raw/event")
    message = str(err.value)
    assert "div.b-fight-details__person" in message and "found 0" in message
    assert (err.value.page_kind, err.value.source) == ("ufcstats-fight", "/raw/event")
    with pytest.raises(ParseError):
        parse_fight_page("", "empty")


def test_block_page_is_a_blocked_error() -> None:
    html = "<html><title>Just a moment...</title><body>cf_chl_opt</body></html>"
    with pytest.raises(BlockedPage):
        parse_fight_page(html, "blocked")


def test_parse_file_gives_json_ready_dict() -> None:
    data = parse_file("ufcstats-fight", str(DECISION))
    assert isinstance(data, dict)
    assert data["fighters"][0]["totals"]["ctrl_seconds"] == 750
    assert UFCStatsFight.from_dict(data).to_dict() == data


def test_judges_cards_without_the_name_span() -> None:
    """Variant: the decision page with the judges' names as plain text (no ``span``)."""
    html = _read(DECISION)
    for judge in ("Sal D'amato", "Mike Bell", "Eric Colon"):
        html = html.replace(f"<span>{judge}</span>", judge)
    fight = parse_fight_page(html, "cards")
    assert [(c.judge, c.score) for c in fight.scorecards] == [
        ("Sal D'amato", "46 - 49."),
        ("Mike Bell", "46 - 49."),
        ("Eric Colon", "47 - 48."),
    ]
