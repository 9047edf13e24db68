"""Sherdog parsers against the real-page corpus in ``tests/fixtures/real/sherdog``.

Every ``<page>.html`` there has a ``<page>.expected.json`` beside it whose values were read
by eye from the page (see ``SOURCES.md`` for where each page comes from). Each test parses
one page and compares the record with those values exactly: a field that differs fails.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from ufc_pipeline.parsing.errors import PageNotFound, ParseError
from ufc_pipeline.parsing.sherdog import parse_fighter_page, parse_search_results

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REAL = FIXTURES / "real" / "sherdog"
FIGHTER_PAGES = sorted((REAL / "fighter").glob("*.html"))
SEARCH_PAGES = sorted((REAL / "search").glob("*.html"))

FIGHTER_FIELDS = (
    "sherdog_id",
    "name",
    "nickname",
    "birth_date",
    "nationality",
    "birthplace",
    "height_in",
    "weight_lbs",
    "association",
    "weight_class",
    "image_path",
    "wins",
    "losses",
    "draws",
    "no_contests",
)


def _expected(page: Path) -> dict[str, Any]:
    path = page.with_name(page.name.removesuffix(".html") + ".expected.json")
    assert path.exists(), f"{page.name} has no expected-values file {path.name}"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def check_fighter(got: dict[str, Any], expected: dict[str, Any]) -> None:
    """``got`` is ``SherdogFighter.to_dict()``; every expected value must match exactly."""
    for field in FIGHTER_FIELDS:
        assert got[field] == expected[field], f"{field}: {got[field]!r} != {expected[field]!r}"
    sections = Counter(fight["section"] for fight in got["fights"])
    assert dict(sections) == expected["fight_counts"]
    for index, row in expected["fights"].items():
        assert got["fights"][int(index)] == row, f"fight row {index}"


def check_search(got: list[dict[str, Any]], expected: dict[str, Any]) -> None:
    """``got`` is the list of ``SherdogSearchResult.to_dict()``."""
    assert len(got) == expected["count"]
    for index, row in expected["results"].items():
        assert got[int(index)] == row, f"result row {index}"


def test_the_corpus_is_there() -> None:
    assert len(FIGHTER_PAGES) + len(SEARCH_PAGES) >= 15
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    for page in [*FIGHTER_PAGES, *SEARCH_PAGES]:
        assert f"{page.parent.name}/{page.name}" in sources, f"{page.name} not in SOURCES.md"


@pytest.mark.parametrize("page", FIGHTER_PAGES, ids=lambda p: p.stem)
def test_real_fighter_page(page: Path) -> None:
    fighter = parse_fighter_page(page.read_bytes(), source=str(page))
    check_fighter(fighter.to_dict(), _expected(page))


@pytest.mark.parametrize("page", SEARCH_PAGES, ids=lambda p: p.stem)
def test_real_search_page(page: Path) -> None:
    results = parse_search_results(page.read_bytes(), source=str(page))
    check_search([r.to_dict() for r in results], _expected(page))


def test_the_comparisons_can_fail() -> None:
    page = REAL / "fighter" / "namiki_kawahara_2021.html"
    got = parse_fighter_page(page.read_bytes(), source=str(page)).to_dict()
    expected = _expected(page)
    check_fighter(got, expected)
    for key, wrong in [("draws", 1), ("nickname", "x"), ("fight_counts", {"pro": 14})]:
        with pytest.raises(AssertionError):
            check_fighter(got, {**expected, key: wrong})
    row = {**expected["fights"]["6"], "result": "loss"}
    with pytest.raises(AssertionError):
        check_fighter(got, {**expected, "fights": {"6": row}})

    search = REAL / "search" / "alex_white.html"
    results = [r.to_dict() for r in parse_search_results(search.read_bytes())]
    with pytest.raises(AssertionError):
        check_search(results, {**_expected(search), "count": 2})


@pytest.mark.parametrize(
    "page",
    [
        FIXTURES / "ufcstats" / "ufcstats-event-details.html",  # a UFCStats page
        REAL / "other" / "event_ksw_44.html",  # a real Sherdog event page
        REAL / "search" / "alex_white.html",  # a Fight Finder page
    ],
    ids=lambda p: p.stem,
)
def test_a_page_of_neither_layout_is_refused_naming_the_selectors(page: Path) -> None:
    with pytest.raises(ParseError) as err:
        parse_fighter_page(page.read_bytes(), source=str(page))
    assert not isinstance(err.value, PageNotFound)
    assert (err.value.page_kind, err.value.source) == ("sherdog-fighter", str(page))
    message = str(err.value)
    for selector in (
        ".fighter-line1 h1[itemprop=name] span.fn",
        ".bio-holder",
        "table.new_table.fighter",
        "span.item.birthday",
        "div.bio_graph span.counter",
    ):
        assert selector in message


def test_a_fighter_page_is_not_a_search_page() -> None:
    page = REAL / "fighter" / "aalon_cruz_2025.html"
    with pytest.raises(ParseError, match=r"table\.fightfinder_result not found"):
        parse_search_results(page.read_bytes(), source=str(page))
