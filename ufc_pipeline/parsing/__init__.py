"""Pure HTML parsers for UFCStats and Sherdog pages, returning the typed records.

``parse_file(kind, path)`` is what ``ufc-pipeline parse KIND FILE`` calls.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ufc_pipeline.parsing.blocks import detect_block
from ufc_pipeline.parsing.errors import BlockedPage, PageNotFound, ParseError
from ufc_pipeline.parsing.sherdog import (
    event_id_from_path,
    fighter_id_from_path,
    parse_search_results,
)
from ufc_pipeline.parsing.sherdog import parse_fighter_page as parse_sherdog_fighter
from ufc_pipeline.parsing.ufccom import parse_athlete, parse_athletes_list, parse_rankings
from ufc_pipeline.parsing.ufcstats import (
    event_id_from_url,
    fight_id_from_url,
    fighter_id_from_url,
    parse_fighters_list,
)
from ufc_pipeline.parsing.ufcstats import parse_fighter_page as parse_ufcstats_fighter
from ufc_pipeline.parsing.ufcstats_events import (
    UFCStatsBout,
    UFCStatsEvent,
    UFCStatsEventRow,
    parse_event_page,
    parse_events_list,
)
from ufc_pipeline.parsing.ufcstats_fight import UFCStatsFight, parse_fight_page

PAGE_KINDS = (
    "ufcstats-fighters",
    "ufcstats-fighter",
    "sherdog-search",
    "sherdog-fighter",
    "ufcstats-events",
    "ufcstats-event",
    "ufcstats-fight",
    "ufccom-athlete",
    "ufccom-athletes",
    "ufccom-rankings",
)

__all__ = [
    "PAGE_KINDS",
    "BlockedPage",
    "PageNotFound",
    "ParseError",
    "UFCStatsBout",
    "UFCStatsEvent",
    "UFCStatsEventRow",
    "UFCStatsFight",
    "detect_block",
    "event_id_from_path",
    "event_id_from_url",
    "fight_id_from_url",
    "fighter_id_from_path",
    "fighter_id_from_url",
    "parse_fighters_list",
    "parse_event_page",
    "parse_events_list",
    "parse_fight_page",
    "parse_file",
    "parse_page",
    "parse_search_results",
    "parse_sherdog_fighter",
    "parse_ufcstats_fighter",
]


def parse_page(kind: str, html: str | bytes, source: str | None = None) -> list[Any] | Any:
    """Dispatch on the page kind; returns the record (or list of records)."""
    if kind == "ufcstats-fighters":
        return parse_fighters_list(html, source)
    if kind == "ufcstats-fighter":
        return parse_ufcstats_fighter(html, source)
    if kind == "sherdog-search":
        return parse_search_results(html, source)
    if kind == "sherdog-fighter":
        return parse_sherdog_fighter(html, source)
    if kind == "ufcstats-events":
        return parse_events_list(html, source)
    if kind == "ufcstats-event":
        return parse_event_page(html, source)
    if kind == "ufcstats-fight":
        return parse_fight_page(html, source)
    if kind == "ufccom-athlete":
        athlete = parse_athlete(html, source)
        if athlete is None:
            raise PageNotFound(kind, source, "UFC.com's 'Page not found'")
        return athlete
    if kind == "ufccom-athletes":
        return parse_athletes_list(html, source)
    if kind == "ufccom-rankings":
        return parse_rankings(html, source)
    raise ValueError(f"unknown page kind {kind!r}; one of: {', '.join(PAGE_KINDS)}")


def parse_file(kind: str, path: str) -> list[dict[str, Any]] | dict[str, Any]:
    """Read ``path`` (bytes), parse it as ``kind`` and return JSON-ready dict(s).

    The path is passed as ``source`` so every error names the file.
    """
    if kind not in PAGE_KINDS:
        raise ValueError(f"unknown page kind {kind!r}; one of: {', '.join(PAGE_KINDS)}")
    html = Path(path).read_bytes()
    result = parse_page(kind, html, source=str(path))
    if isinstance(result, list):
        return [_as_dict(record) for record in result]
    return _as_dict(result)


def _as_dict(record: Any) -> dict[str, Any]:
    return record.to_dict() if hasattr(record, "to_dict") else dict(record._asdict())
