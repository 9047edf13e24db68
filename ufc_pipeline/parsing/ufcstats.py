"""Parsers for UFCStats pages: the fighters list and the fighter-details page.

Pure functions: HTML in, records out (see :mod:`ufc_pipeline.parsing.records`). Ids are
the 16-hex-character ids of ``/fighter-details/``, ``/event-details/`` and
``/fight-details/`` links, whatever the host (ufcstats.com, www., a local mirror).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from parsel import Selector

from ufc_pipeline.parsing._html import selector, text_of
from ufc_pipeline.parsing.blocks import raise_if_blocked
from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.records import (
    FightResult,
    UFCStatsFighter,
    UFCStatsFightRow,
    UFCStatsListRow,
)
from ufc_pipeline.parsing.units import (
    clean_text,
    normalize_ws,
    parse_date,
    parse_height,
    parse_int,
    parse_reach,
    parse_record,
    parse_weight,
)

FIGHTERS_KIND = "ufcstats-fighters"
FIGHTER_KIND = "ufcstats-fighter"

_ID_RES = {
    kind: re.compile(rf"/{kind}-details/([0-9a-fA-F]{{16}})(?![0-9a-zA-Z])")
    for kind in ("fighter", "event", "fight")
}
_RESULTS: dict[str, FightResult] = {
    "win": "win",
    "w": "win",
    "loss": "loss",
    "l": "loss",
    "draw": "draw",
    "d": "draw",
    "nc": "nc",
    "no contest": "nc",
    "next": "next",
}
_LIST_COLUMNS = ("first", "last", "nickname", "Ht.", "Wt.", "Reach", "Stance", "W", "L", "D")
_FIGHTER_A = "a[contains(@href, '/fighter-details/')]"
_EVENT_LINK = ".//a[contains(@href, '/event-details/')]"
T = TypeVar("T")


def _id_from(kind: str, url: str | None) -> str | None:
    if not url:
        return None
    m = _ID_RES[kind].search(url)
    return m.group(1).lower() if m else None


def fighter_id_from_url(url: str | None) -> str | None:
    """``http://ufcstats.com/fighter-details/07f72a2a7591b409`` -> ``07f72a2a7591b409``."""
    return _id_from("fighter", url)


def event_id_from_url(url: str | None) -> str | None:
    """The 16-hex id of any ``/event-details/<id>`` link (absolute, relative, any host)."""
    return _id_from("event", url)


def fight_id_from_url(url: str | None) -> str | None:
    """The 16-hex id of any ``/fight-details/<id>`` link (absolute, relative, any host)."""
    return _id_from("fight", url)


def _value(
    parse: Callable[[str], T],
    raw: str,
    kind: str,
    source: str | None,
    where: str,
) -> T:
    try:
        return parse(raw)
    except ValueError as exc:
        raise ParseError(kind, source, f"{where}: {exc}") from None


# ---------------------------------------------------------------- fighters list


def parse_fighters_list(html: str | bytes, source: str | None = None) -> list[UFCStatsListRow]:
    """Rows of ``/statistics/fighters?char=X&page=all`` (11 columns each).

    Raises :class:`ParseError` when the table is missing or a row cannot be read, and
    :class:`BlockedPage` for an anti-bot page. A table without fighter rows gives ``[]``.
    """
    raise_if_blocked(html, FIGHTERS_KIND, source)
    sel = selector(html)
    table = sel.css("table.b-statistics__table")
    if not table:
        raise ParseError(
            FIGHTERS_KIND,
            source,
            "table.b-statistics__table not found",
            "expected /statistics/fighters?char=X&page=all; was another page saved?",
        )
    rows: list[UFCStatsListRow] = []
    for tr in table[0].xpath("./tbody/tr | ./tr"):
        if tr.css("td.b-statistics__table-col_type_clear") or not tr.xpath("./td"):
            continue  # the leading empty spacer row, or the header
        rows.append(_list_row(tr, len(rows) + 1, source))
    return rows


def _list_row(tr: Selector, n: int, source: str | None) -> UFCStatsListRow:
    cells = tr.xpath("./td")
    texts = [text_of(td) for td in cells]
    label = f"fighter row {n} ({' '.join(t for t in texts[:2] if t) or 'no name'})"
    if len(cells) != 11:
        raise ParseError(FIGHTERS_KIND, source, f"{label}: expected 11 cells, found {len(cells)}")
    hrefs = tr.xpath("./td[position() <= 3]//a/@href").getall()
    ufcstats_id = next((i for i in map(fighter_id_from_url, hrefs) if i), None)
    if ufcstats_id is None:
        raise ParseError(
            FIGHTERS_KIND,
            source,
            f"{label}: no /fighter-details/<16 hex> link in the name cells",
            f"links seen: {hrefs[:3]}",
        )

    def col(i: int, parse: Callable[[str], T]) -> T:
        return _value(parse, texts[i], FIGHTERS_KIND, source, f"{label}, {_LIST_COLUMNS[i]}")

    return UFCStatsListRow(
        ufcstats_id=ufcstats_id,
        first_name=clean_text(texts[0]),
        last_name=clean_text(texts[1]),
        nickname=clean_text(texts[2]),
        height_in=col(3, parse_height),
        weight_lbs=col(4, parse_weight),
        reach_in=col(5, parse_reach),
        stance=clean_text(texts[6]),
        wins=col(7, parse_int),
        losses=col(8, parse_int),
        draws=col(9, parse_int),
        belt=bool(cells[10].xpath(".//img")),
    )


# ---------------------------------------------------------------- fighter page


def parse_tale_of_the_tape(sel: Selector) -> dict[str, str]:
    """Label -> raw value of every ``li.b-list__box-list-item`` with an ``i`` title.

    Labels are lower-cased without the colon: ``height``, ``weight``, ``reach``,
    ``stance``, ``dob`` (and the career-statistics labels, which are ignored later).
    """
    out: dict[str, str] = {}
    for li in sel.css("li.b-list__box-list-item"):
        title = text_of(li.css("i.b-list__box-item-title"))
        if not title:
            continue
        key = title.rstrip(":").strip().lower()
        out.setdefault(key, normalize_ws(" ".join(li.xpath("./text()").getall())))
    return out


def parse_fighter_page(
    html: str | bytes, source: str | None = None, ufcstats_id: str | None = None
) -> UFCStatsFighter:
    """``/fighter-details/<id>``: header, tale of the tape and the fight-history rows.

    ``ufcstats_id`` defaults to the id in ``source`` when that is a fighter-details URL
    or path, else to the fighter's own link in the first history row.
    """
    raise_if_blocked(html, FIGHTER_KIND, source)
    sel = selector(html)
    name = text_of(sel.css("span.b-content__title-highlight"))
    if not name:
        raise ParseError(
            FIGHTER_KIND,
            source,
            "fighter name (span.b-content__title-highlight) not found",
            "expected a /fighter-details/<id> page",
        )
    record_text = text_of(sel.css("span.b-content__title-record"))
    if not record_text:
        raise ParseError(
            FIGHTER_KIND,
            source,
            "record (span.b-content__title-record) not found",
            "a page with a title but no record is not a fighter page (an event page?)",
        )
    wins, losses, draws, no_contests = _value(
        parse_record, record_text, FIGHTER_KIND, source, "span.b-content__title-record"
    )
    tott = parse_tale_of_the_tape(sel)

    def tape(label: str, parse: Callable[[str], T]) -> T:
        return _value(parse, tott.get(label, ""), FIGHTER_KIND, source, f"{label.upper()}:")

    own_id = ufcstats_id.lower() if ufcstats_id else fighter_id_from_url(source)
    rows = sel.css("tr.b-fight-details__table-row__hover")
    if own_id is None and rows:
        own_id = fighter_id_from_url(rows[0].xpath(f"./td[2]//{_FIGHTER_A}/@href").get())
    fights = [_history_row(tr, n, own_id, source) for n, tr in enumerate(rows, start=1)]
    return UFCStatsFighter(
        ufcstats_id=own_id,
        name=name,
        nickname=clean_text(text_of(sel.css("p.b-content__Nickname"))),
        wins=wins,
        losses=losses,
        draws=draws,
        no_contests=no_contests,
        height_in=tape("height", parse_height),
        weight_lbs=tape("weight", parse_weight),
        reach_in=tape("reach", parse_reach),
        stance=clean_text(tott.get("stance")),
        dob=tape("dob", parse_date),
        fights=fights,
    )


def _history_row(tr: Selector, n: int, own_id: str | None, source: str | None) -> UFCStatsFightRow:
    """Cells: 0 flag, 1 two fighter links, 2-5 KD/STR/TD/SUB, 6 event+date, 7 method,
    8 round, 9 time. Read by index, verified by the event link (searched if it moved)."""
    cells = tr.xpath("./td")
    label = f"fight-history row {n}"
    ev = 6
    if len(cells) <= ev or not cells[ev].xpath(_EVENT_LINK):
        found = [i for i, td in enumerate(cells) if td.xpath(_EVENT_LINK)]
        if not found:
            raise ParseError(
                FIGHTER_KIND,
                source,
                f"{label}: no /event-details/ link in any of its {len(cells)} cells",
                "expected cell 7 of 10 to hold the event link and date",
            )
        ev = found[0]

    links = [
        (fighter_id_from_url(a.attrib.get("href")), text_of(a))
        for a in tr.xpath(f"./td[position() <= {ev}]//{_FIGHTER_A}")
    ]
    if own_id and any(link[0] == own_id for link in links):
        others = [link for link in links if link[0] != own_id]
    else:
        others = links[1:]  # the first link is the fighter himself
    opponent_id, opponent_name = others[0] if others else (None, None)
    label = f"{label} (vs {opponent_name or '?'})"

    flag = text_of(tr.css("i.b-flag__text")).lower()
    event_cell = cells[ev]
    event_link = event_cell.xpath(_EVENT_LINK)[0]
    date_text = normalize_ws(" ".join(event_cell.xpath(".//text()[not(ancestor::a)]").getall()))
    method_ps = _cell_lines(cells, ev + 1)

    def cell(i: int) -> str:
        return text_of(cells[i]) if i < len(cells) else ""

    fight_url = (
        tr.attrib.get("data-link")
        or tr.css("a.b-flag::attr(href)").get()
        or tr.attrib.get("onclick")
    )
    return UFCStatsFightRow(
        result=_RESULTS.get(flag, "unknown"),
        opponent_name=opponent_name or None,
        opponent_id=opponent_id,
        event_name=text_of(event_link) or None,
        event_id=event_id_from_url(event_link.attrib.get("href")),
        fight_id=fight_id_from_url(fight_url),
        date=_value(parse_date, date_text, FIGHTER_KIND, source, f"{label}, event date"),
        method=clean_text(method_ps[0]) if method_ps else None,
        method_detail=clean_text(method_ps[1]) if len(method_ps) > 1 else None,
        round=_value(parse_int, cell(ev + 2), FIGHTER_KIND, source, f"{label}, round"),
        time=clean_text(cell(ev + 3)),
    )


def _cell_lines(cells: list[Selector], i: int) -> list[str]:
    """The ``p`` texts of cell ``i`` (or its whole text as one line when it has no ``p``)."""
    if i >= len(cells):
        return []
    ps = cells[i].css("p.b-fight-details__table-text") or cells[i].xpath(".//p")
    if ps:
        return [text_of(p) for p in ps]
    return [text_of(cells[i])]
