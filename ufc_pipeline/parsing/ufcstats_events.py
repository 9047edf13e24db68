"""Parsers for the UFCStats events list and event-details pages.

Pure functions: HTML in, records out. ``parse_events_list`` reads
``/statistics/events/completed?page=all`` (also ``/upcoming``), ``parse_event_page`` reads
``/event-details/<id>`` with its bout table. Ids are taken from the links (any host), as in
:mod:`ufc_pipeline.parsing.ufcstats`.

Each page is parsed once into an lxml tree (``html_root``) and read by walking it, with
class tests done in Python (the CSS selectors named in error messages describe what is
looked for): no selector object per row or cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from lxml import etree

from ufc_pipeline.parsing._html import html_root
from ufc_pipeline.parsing.blocks import raise_if_blocked
from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.records import Record
from ufc_pipeline.parsing.ufcstats import (
    event_id_from_url,
    fight_id_from_url,
    fighter_id_from_url,
    has_class_word,
    node_text,
    parse_tale_of_the_tape,
)
from ufc_pipeline.parsing.units import clean_text, parse_date, parse_int

EVENTS_KIND = "ufcstats-events"
EVENT_KIND = "ufcstats-event"

BoutResult = Literal["win", "draw", "nc", "next", "unknown"]

EVENT_NAME_SELECTOR = "h2.b-content__title span.b-content__title-highlight"
EVENTS_TABLE_SELECTOR = "table.b-statistics__table-events"
EVENT_ROW_LINK_SELECTOR = "tr i.b-statistics__table-content a[href*='/event-details/']"
EVENT_ROWS_XPATH = (
    "//tr[not(ancestor::table)][.//i[contains(concat(' ', normalize-space(@class), ' '),"
    " ' b-statistics__table-content ')]//a[contains(@href, '/event-details/')]]"
)

# Flag texts of the W/L cell of an event page. The winner is listed first, so only his
# flag says "win"; draws and no contests flag both fighters. An upcoming bout has no
# result flag (UFCStats shows a "View Matchup" button there, fighter pages say "next").
_BOUT_RESULTS: dict[str, BoutResult] = {
    "win": "win",
    "w": "win",
    "draw": "draw",
    "d": "draw",
    "nc": "nc",
    "no contest": "nc",
    "next": "next",
    "view matchup": "next",
    "": "next",
}
# Bonus images in the weight-class cell (…/perf.png), by file stem.
BONUS_IMAGES = {"perf": "performance", "fight": "fight", "sub": "submission", "ko": "ko"}
TITLE_IMAGE = "belt"
_IMG_STEM_RE = re.compile(r"([A-Za-z0-9_-]+)\.(?:png|gif|jpe?g|svg|webp)(?:[?#].*)?$", re.I)
_TIME_RE = re.compile(r"^\d{1,2}:\d{2}$")
_X_EVENT_ROWS = etree.XPath(EVENT_ROWS_XPATH)
_SPACER = "b-statistics__table-col_type_clear"
_EVENT_CELLS = 10
T = TypeVar("T")


# ---------------------------------------------------------------- records


@dataclass
class UFCStatsEventRow(Record):
    """One row of ``/statistics/events/completed?page=all``."""

    event_id: str
    name: str
    date: dt.date | None
    location: str | None
    upcoming: bool = False


@dataclass
class UFCStatsBout(Record):
    """One row of the bout table of ``/event-details/<id>``.

    ``fighter1`` is the winner when ``result == "win"`` (the site lists the winner first).
    ``bonuses`` holds ``performance``, ``fight``, ``submission``, ``ko`` as shown.
    """

    fight_id: str
    fighter1_id: str
    fighter1_name: str
    fighter2_id: str
    fighter2_name: str
    result: BoutResult
    weight_class: str | None = None
    title_fight: bool = False
    bonuses: list[str] = field(default_factory=list)
    method: str | None = None
    method_detail: str | None = None
    round: int | None = None
    time: str | None = None


@dataclass
class UFCStatsEvent(Record):
    """``/event-details/<id>``: name, date, location and the bouts (possibly none yet)."""

    event_id: str | None
    name: str
    date: dt.date | None
    location: str | None
    bouts: list[UFCStatsBout] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UFCStatsEvent:
        obj = super().from_dict({k: v for k, v in data.items() if k != "bouts"})
        obj.bouts = [UFCStatsBout.from_dict(b) for b in data.get("bouts", [])]
        return obj


# ---------------------------------------------------------------- helpers


def _value(parse: Callable[[str], T], raw: str, kind: str, source: str | None, where: str) -> T:
    try:
        return parse(raw)
    except ValueError as exc:
        raise ParseError(kind, source, f"{where}: {exc}") from None


def _parse_time(text: str) -> str | None:
    value = clean_text(text)
    if value is None:
        return None
    if _TIME_RE.match(value):
        return value
    raise ValueError(f"not a fight time (M:SS): {text!r}")


def _first(node: Any, tag: str, cls: str) -> Any:
    """The first ``tag`` element with the class word ``cls`` below ``node`` (or None)."""
    return next((el for el in node.iter(tag) if has_class_word(el, cls)), None)


def _text_or_empty(node: Any) -> str:
    return node_text(node) if node is not None else ""


def _image_stems(node: Any) -> list[str]:
    stems = []
    for img in node.iter("img"):
        src = img.get("src")
        m = _IMG_STEM_RE.search(src.strip()) if src is not None else None
        if m:
            stems.append(m.group(1).lower())
    return stems


def _flag_text(cell: Any) -> str:
    """Lower-case text of the first ``i.b-flag__text`` ("win", "draw", "View Matchup", ""),
    its text nodes joined with spaces."""
    flag = _first(cell, "i", "b-flag__text")
    if flag is None:
        return ""
    return " ".join(" ".join(flag.itertext()).split()).lower()


def _lines(cell: Any) -> list[str]:
    """The ``p`` texts of a cell (or its whole text as one line when it has no ``p``)."""
    ps = list(cell.iter("p"))
    if ps:
        return [node_text(p) for p in ps]
    return [node_text(cell)]


def _cells(tr: Any) -> list[Any]:
    return [td for td in tr if td.tag == "td"]


# ---------------------------------------------------------------- events list


def parse_events_list(
    html: str | bytes, source: str | None = None, *, today: dt.date | None = None
) -> list[UFCStatsEventRow]:
    """Rows of ``/statistics/events/completed?page=all`` (or ``/upcoming``), in page order.

    ``upcoming`` is set for the row the site marks as the next event (row class
    ``b-statistics__table-row_type_first``, the ``next.png`` icon or a white
    ``b-link_style_white`` link) and, when ``today`` is given, for every row dated after
    it. Raises :class:`ParseError` when the table is missing or a row has no
    ``/event-details/<16 hex>`` link, :class:`BlockedPage` for an anti-bot page.
    """
    raise_if_blocked(html, EVENTS_KIND, source)
    root = html_root(html)
    table = _first(root, "table", "b-statistics__table-events")
    if table is not None:
        trs = [
            tr
            for part in table
            for tr in ((part,) if part.tag == "tr" else part if part.tag == "tbody" else ())
            if tr.tag == "tr"
        ]
    else:
        # Rows saved without their table (a trimmed page) still carry every value.
        trs = _X_EVENT_ROWS(root)
        if not trs:
            raise ParseError(
                EVENTS_KIND,
                source,
                f"{EVENTS_TABLE_SELECTOR} not found, nor rows with {EVENT_ROW_LINK_SELECTOR}",
                "expected /statistics/events/completed?page=all; was another page saved?",
            )
    rows: list[UFCStatsEventRow] = []
    for tr in trs:
        if _first(tr, "td", _SPACER) is not None or not _cells(tr):
            continue  # the leading empty spacer row, or the header
        rows.append(_event_row(tr, len(rows) + 1, source, today))
    return rows


def _row_link(tr: Any) -> Any:
    """``i.b-statistics__table-content a`` (the first), else the first event link."""
    for i in tr.iter("i"):
        if has_class_word(i, "b-statistics__table-content"):
            link = next(i.iterdescendants("a"), None)
            if link is not None:
                return link
    return next((a for a in tr.iter("a") if "/event-details/" in (a.get("href") or "")), None)


def _event_row(tr: Any, n: int, source: str | None, today: dt.date | None) -> UFCStatsEventRow:
    link = _row_link(tr)
    name = _text_or_empty(link)
    href = link.get("href") if link is not None else None
    label = f"event row {n} ({name or 'no name'})"
    event_id = event_id_from_url(href)
    if event_id is None:
        raise ParseError(
            EVENTS_KIND,
            source,
            f"{label}: no /event-details/<16 hex> link in i.b-statistics__table-content",
            f"link seen: {href!r}",
        )
    if not name:
        raise ParseError(EVENTS_KIND, source, f"{label}: the event link has no text (name)")
    date = _value(
        parse_date,
        _text_or_empty(_first(tr, "span", "b-statistics__date")),
        EVENTS_KIND,
        source,
        f"{label}, span.b-statistics__date",
    )
    location = clean_text(
        _text_or_empty(_first(tr, "td", "b-statistics__table-col_style_big-top-padding"))
    )
    marked = (
        has_class_word(tr, "b-statistics__table-row_type_first")
        or "next" in _image_stems(tr)
        or _first(tr, "a", "b-link_style_white") is not None
    )
    later = today is not None and date is not None and date > today
    return UFCStatsEventRow(
        event_id=event_id, name=name, date=date, location=location, upcoming=marked or later
    )


# ---------------------------------------------------------------- event page


def _event_name(root: Any) -> str:
    """Text of the first ``span.b-content__title-highlight`` inside ``h2.b-content__title``."""
    for span in root.iter("span"):
        if has_class_word(span, "b-content__title-highlight") and any(
            has_class_word(h2, "b-content__title") for h2 in span.iterancestors("h2")
        ):
            return node_text(span)
    return ""


def parse_event_page(
    html: str | bytes, source: str | None = None, event_id: str | None = None
) -> UFCStatsEvent:
    """``/event-details/<id>``: name, Date/Location box and every bout row.

    ``event_id`` defaults to the id in ``source`` when that is an event-details URL or
    path. An event without bouts (an announced, empty card) is valid. Raises
    :class:`ParseError` naming what is missing (name, the ``Date:`` item, a bout cell) and
    :class:`BlockedPage` for an anti-bot page.
    """
    raise_if_blocked(html, EVENT_KIND, source)
    root = html_root(html)
    name = _event_name(root)
    if not name:
        raise ParseError(
            EVENT_KIND,
            source,
            f"event name ({EVENT_NAME_SELECTOR}) not found",
            "expected an /event-details/<id> page",
        )
    if _first(root, "span", "b-content__title-record") is not None:
        raise ParseError(
            EVENT_KIND,
            source,
            "span.b-content__title-record found: this is a fighter page, not an event page",
            "expected an /event-details/<id> page",
        )
    info = parse_tale_of_the_tape(root)  # label (lower case, no colon) -> value text
    if "date" not in info:
        raise ParseError(
            EVENT_KIND,
            source,
            "event date (li.b-list__box-list-item titled 'Date:') not found",
            "expected the Date:/Location: box of an /event-details/<id> page",
        )
    date = _value(parse_date, info["date"], EVENT_KIND, source, "Date:")
    rows = [tr for tr in root.iter("tr") if has_class_word(tr, "js-fight-details-click")]
    return UFCStatsEvent(
        event_id=event_id.lower() if event_id else event_id_from_url(source),
        name=name,
        date=date,
        location=clean_text(info.get("location")),
        bouts=[_bout(tr, n, source) for n, tr in enumerate(rows, start=1)],
    )


def _bout(tr: Any, n: int, source: str | None) -> UFCStatsBout:
    """Cells: 0 flag, 1 two fighter links, 2-5 KD/STR/TD/SUB, 6 weight class + images,
    7 method and detail, 8 round, 9 time."""
    candidates = [tr.get("data-link"), tr.get("onclick")]
    candidates += [
        href
        for a in tr.iter("a")
        if has_class_word(a, "b-flag") and (href := a.get("href")) is not None
    ]
    fight_id = next((i for i in map(fight_id_from_url, candidates) if i), None)
    cells = _cells(tr)
    fighters = [
        (fighter_id_from_url(a.get("href")), node_text(a))
        for a in (cells[1].iter("a") if len(cells) > 1 else ())
        if "/fighter-details/" in (a.get("href") or "")
    ]
    names = " vs ".join(name for _, name in fighters) or "no fighters"
    label = f"bout row {n} ({names})"
    if fight_id is None:
        raise ParseError(
            EVENT_KIND,
            source,
            f"{label}: no /fight-details/<16 hex> link in data-link, onclick or the flag",
            f"data-link seen: {tr.get('data-link')!r}",
        )
    if len(cells) < _EVENT_CELLS:
        raise ParseError(
            EVENT_KIND, source, f"{label}: expected {_EVENT_CELLS} cells, found {len(cells)}"
        )
    if len(fighters) != 2 or not all(fid and name for fid, name in fighters):
        raise ParseError(
            EVENT_KIND,
            source,
            f"{label}: expected two /fighter-details/<16 hex> links with names in the "
            "Fighter cell (2nd)",
            f"found {fighters}",
        )
    (id1, name1), (id2, name2) = fighters
    flag = _flag_text(cells[0])
    images = _image_stems(cells[6])
    method_lines = _lines(cells[7])
    return UFCStatsBout(
        fight_id=fight_id,
        fighter1_id=str(id1),
        fighter1_name=name1,
        fighter2_id=str(id2),
        fighter2_name=name2,
        result=_BOUT_RESULTS.get(flag, "unknown"),
        weight_class=clean_text(node_text(cells[6])),
        title_fight=TITLE_IMAGE in images,
        bonuses=[BONUS_IMAGES[s] for s in images if s in BONUS_IMAGES],
        method=clean_text(method_lines[0]) if method_lines else None,
        method_detail=clean_text(method_lines[1]) if len(method_lines) > 1 else None,
        round=_value(parse_int, node_text(cells[8]), EVENT_KIND, source, f"{label}, round"),
        time=_value(_parse_time, node_text(cells[9]), EVENT_KIND, source, f"{label}, time"),
    )
