"""The UFCStats parsers on the real-page corpus in ``tests/fixtures/real/ufcstats/``.

Each page ``<kind>/<name>.html`` has ``<name>.expected.json`` beside it, written by reading
the page (see ``tests/fixtures/real/ufcstats/SOURCES.md``), never from parser output. One
test per page compares what the parser returns with those values; an anonymised page
lists ``substitute`` pairs that give its links real-shaped ids before parsing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ufc_pipeline.parsing import ParseError, parse_file, parse_page
from ufc_pipeline.parsing.ufcstats_fight import stats_fields

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "real" / "ufcstats"
PAGES = sorted(CORPUS.glob("*/*.html"))
KINDS = {
    "fighters": "ufcstats-fighters",
    "fighter": "ufcstats-fighter",
    "events": "ufcstats-events",
    "event": "ufcstats-event",
    "fight": "ufcstats-fight",
}


def _expected(page: Path) -> dict[str, Any]:
    return json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))


def _html(page: Path, expected: dict[str, Any]) -> str:
    html = page.read_text(encoding="utf-8")
    for old, new in expected.get("substitute", {}).items():
        assert old in html, f"{page.name}: substitution target {old} not in the page"
        html = html.replace(old, new)
    return html


def _stats(compact: dict[str, Any]) -> dict[str, Any]:
    """Expand the expected-file shorthand (``"sig_str": [9, 14]``) into record fields."""
    out: dict[str, Any] = {}
    for key, value in compact.items():
        if isinstance(value, list):
            out[f"{key}_landed"], out[f"{key}_attempted"] = value
        else:
            out[key] = value
    assert sorted(out) == sorted(stats_fields()), f"expected stats must name every field: {out}"
    return out


def test_corpus_is_complete() -> None:
    kinds = {p.parent.name for p in PAGES}
    assert kinds == set(KINDS), kinds
    assert len(PAGES) >= 12
    for page in PAGES:
        assert page.with_suffix(".expected.json").is_file(), f"{page} has no expected values"
        assert _expected(page)["kind"] == KINDS[page.parent.name]


@pytest.mark.parametrize("page", PAGES, ids=[f"{p.parent.name}/{p.stem}" for p in PAGES])
def test_real_page(page: Path) -> None:
    expected = _expected(page)
    kind = expected["kind"]
    html = _html(page, expected)
    if "error" in expected:
        with pytest.raises(ParseError, match=expected["error"]):
            parse_page(kind, html, source=str(page))
        return
    result = parse_page(kind, html, source=str(page))
    data = [r.to_dict() for r in result] if isinstance(result, list) else result.to_dict()
    check = {
        "ufcstats-fighters": _check_rows,
        "ufcstats-events": _check_rows,
        "ufcstats-fighter": _check_fighter,
        "ufcstats-event": _check_event,
        "ufcstats-fight": _check_fight,
    }[kind]
    check(data, expected)


def _check_rows(rows: list[dict[str, Any]], expected: dict[str, Any]) -> None:
    assert len(rows) == expected["count"]
    for index, row in expected["rows"].items():
        assert rows[int(index)] == row, f"row {index}"


def _check_fighter(fighter: dict[str, Any], expected: dict[str, Any]) -> None:
    fights = fighter.pop("fights")
    assert fighter == expected["fighter"]
    assert len(fights) == expected["fight_count"]
    for index, row in expected["fights"].items():
        assert fights[int(index)] == row, f"fight-history row {index}"


def _check_event(event: dict[str, Any], expected: dict[str, Any]) -> None:
    bouts = event.pop("bouts")
    assert event == expected["event"]
    assert len(bouts) == expected["bout_count"]
    for index, bout in expected["bouts"].items():
        assert bouts[int(index)] == bout, f"bout {index}"


def _check_fight(fight: dict[str, Any], expected: dict[str, Any]) -> None:
    fighters = fight.pop("fighters")
    assert fight == expected["fight"]
    assert len(fighters) == len(expected["fighters"]) == 2
    for got, want in zip(fighters, expected["fighters"], strict=True):
        who = want["name"]
        for key in ("fighter_id", "name", "nickname", "result"):
            assert got[key] == want[key], f"{who}: {key}"
        totals = dict(got["totals"])
        assert totals.pop("round") is None
        assert totals == _stats(want["totals"]), f"{who}: totals"
        assert [r["round"] for r in got["rounds"]] == list(range(1, want["round_count"] + 1))
        for number, compact in want["rounds"].items():
            row = dict(got["rounds"][int(number) - 1])
            assert row.pop("round") == int(number)
            assert row == _stats(compact), f"{who}: round {number}"


FIGHTS_WITH_ROUNDS = sorted((CORPUS / "fight").glob("*.html"))


@pytest.mark.parametrize("page", FIGHTS_WITH_ROUNDS, ids=[p.stem for p in FIGHTS_WITH_ROUNDS])
def test_fight_totals_equal_sum_of_rounds(page: Path) -> None:
    """Every count in the totals row is the sum of the per-round rows (percentages aside)."""
    fight = parse_file("ufcstats-fight", str(page))
    assert isinstance(fight, dict) and fight["has_stats"]
    summed = [f for f in stats_fields() if not f.endswith("_pct")]
    for fighter in fight["fighters"]:
        rounds = fighter["rounds"]
        assert rounds, f"{fighter['name']}: no per-round rows"
        for name in summed:
            total = fighter["totals"][name]
            parts = [r[name] for r in rounds]
            if total is None:
                assert all(p is None for p in parts), (fighter["name"], name)
            else:
                assert total == sum(p or 0 for p in parts), (fighter["name"], name)


def test_every_corpus_page_reads_through_the_cli_entry_point() -> None:
    """``parse_file`` (what ``ufc-pipeline parse`` runs) on each page, except the refusals."""
    for page in PAGES:
        expected = _expected(page)
        if "error" in expected or "substitute" in expected:
            continue
        assert parse_file(expected["kind"], str(page))


FIGHTER_PAGES = [p for p in PAGES if p.parent.name == "fighter"]
