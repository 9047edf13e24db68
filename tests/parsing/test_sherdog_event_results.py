"""The Fight Finder's "EVENT RESULTS" table shares the fighters' table class: only the
fighters' table is read, and a search that found only events gives no fighter."""

from __future__ import annotations

from pathlib import Path

import pytest

from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.sherdog import parse_search_results

ANGGA = Path(__file__).resolve().parent.parent / "fixtures" / "real" / "sherdog" / "search"
FIGHTERS_START = '<div class="yellow-title"><h3>FIGHTER RESULTS</h3></div>'


def _page() -> str:
    return (ANGGA / "angga.html").read_text(encoding="utf-8")


def _without_fighters(html: str) -> str:
    """The real page with its FIGHTER RESULTS table cut out (the EVENT RESULTS table kept)."""
    start = html.index(FIGHTERS_START)
    end = html.index("</table>", start) + len("</table>")
    return html[:start] + html[end:]


def test_real_page_with_both_tables_reads_the_fighters() -> None:
    html = _page()
    assert html.count("fightfinder_result") == 2 and "EVENT RESULTS" in html
    results = parse_search_results(html, source="angga.html")
    assert len(results) == 12
    assert all(r.path.startswith("/fighter/") for r in results)


def test_only_event_results_gives_no_fighter() -> None:
    html = _without_fighters(_page())
    assert "FIGHTER RESULTS" not in html and "/events/One-Pride" in html
    assert parse_search_results(html, source="angga-events-only.html") == []


def test_a_fighter_table_without_fighter_links_is_still_refused() -> None:
    broken = _page().replace('href="/fighter/', 'href="/somewhere/')
    with pytest.raises(ParseError, match="no /fighter/"):
        parse_search_results(broken, source="broken.html")
