"""Parsers for UFCStats pages: the fighters list and the fighter-details page.

Pure functions: HTML in, records out (see :mod:`ufc_pipeline.parsing.records`). Ids are
the 16-hex-character ids of ``/fighter-details/``, ``/event-details/`` and
``/fight-details/`` links, whatever the host (ufcstats.com, www., a local mirror).

Each page is parsed once into an lxml tree (``html_root``) and read with XPath compiled
at import; cell text comes from ``itertext`` rather than a selector object per cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from lxml import etree

from ufc_pipeline.parsing._html import has_class, html_root
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
T = TypeVar("T")

# ---------------------------------------------------------------- one tree, compiled XPath


def node_text(node: Any) -> str:
    """Whitespace-normalised string value of ``node`` (all descendant text)."""
    return normalize_ws("".join(node.itertext()))


_X_TD = etree.XPath("./td")
_X_LIST_TABLE = etree.XPath(f"//table[{has_class('b-statistics__table')}]")
_X_TABLE_ROWS = etree.XPath("./tbody/tr | ./tr")
_SPACER = "b-statistics__table-col_type_clear"
_X_TOTT_ITEMS = etree.XPath(f"//li[{has_class('b-list__box-list-item')}]")
_X_TOTT_TITLE = etree.XPath(f".//i[{has_class('b-list__box-item-title')}]")
_X_OWN_TEXT = etree.XPath("./text()")
_X_NAME = etree.XPath(f"//span[{has_class('b-content__title-highlight')}]")
_X_RECORD = etree.XPath(f"//span[{has_class('b-content__title-record')}]")
_X_NICKNAME = etree.XPath(f"//p[{has_class('b-content__Nickname')}]")
# Completed bouts are ``tr.b-fight-details__table-row__hover`` (clickable, ``data-link``);
# the upcoming bout (flag ``next``) heads the table as ``tr...table-row_type_first``, with
# no hover class and no ``data-link``, its fight link on the flag.
_X_HISTORY_ROWS = etree.XPath(
    f"//tr[{has_class('b-fight-details__table-row__hover')}"
    f" or {has_class('b-fight-details__table-row_type_first')}]"
)
_X_FIRST_ROW_FIGHTER = etree.XPath("./td[2]//a[contains(@href, '/fighter-details/')]/@href")
_X_EVENT_LINK = etree.XPath(".//a[contains(@href, '/event-details/')]")
_X_FIGHTER_LINKS = etree.XPath("./td[position() <= $last]//a[contains(@href, '/fighter-details/')]")
_X_FLAG_TEXT = etree.XPath(f".//i[{has_class('b-flag__text')}]")
_X_TEXT_OUTSIDE_LINKS = etree.XPath(".//text()[not(ancestor::a)]")
_X_FLAG_HREF = etree.XPath(f".//a[{has_class('b-flag')}]/@href")
_X_CELL_PS = etree.XPath(f".//p[{has_class('b-fight-details__table-text')}]")
_X_ANY_P = etree.XPath(".//p")


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
    tables = _X_LIST_TABLE(html_root(html))
    if not tables:
        raise ParseError(
            FIGHTERS_KIND,
            source,
            "table.b-statistics__table not found",
            "expected /statistics/fighters?char=X&page=all; was another page saved?",
        )
    rows: list[UFCStatsListRow] = []
    for tr in _X_TABLE_ROWS(tables[0]):
        cells = _X_TD(tr)
        if not cells or any(_SPACER in (td.get("class") or "") for td in cells):
            continue  # the leading empty spacer row, or the header
        rows.append(_list_row(tr, cells, len(rows) + 1, source))
    return rows


def _list_row(tr: Any, cells: list[Any], n: int, source: str | None) -> UFCStatsListRow:
    texts = [node_text(td) for td in cells]
    label = f"fighter row {n} ({' '.join(t for t in texts[:2] if t) or 'no name'})"
    if len(cells) != 11:
        raise ParseError(FIGHTERS_KIND, source, f"{label}: expected 11 cells, found {len(cells)}")
    hrefs = [a.get("href") or "" for td in cells[:3] for a in td.iter("a") if a.get("href")]
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
        belt=next(cells[10].iter("img"), None) is not None,
    )


# ---------------------------------------------------------------- fighter page


def parse_tale_of_the_tape(page: Any) -> dict[str, str]:
    """Label -> raw value of every ``li.b-list__box-list-item`` with an ``i`` title.

    ``page`` is the lxml root (or a parsel ``Selector``, whose root is used). Labels are
    lower-cased without the colon: ``height``, ``weight``, ``reach``, ``stance``, ``dob``
    (and the career-statistics labels, which are ignored later).
    """
    root = getattr(page, "root", page)
    out: dict[str, str] = {}
    for li in _X_TOTT_ITEMS(root):
        titles = _X_TOTT_TITLE(li)
        title = node_text(titles[0]) if titles else ""
        if not title:
            continue
        key = title.rstrip(":").strip().lower()
        if key not in out:
            out[key] = normalize_ws(" ".join(str(t) for t in _X_OWN_TEXT(li)))
    return out


def _first_text(nodes: list[Any]) -> str:
    return node_text(nodes[0]) if nodes else ""


def parse_fighter_page(
    html: str | bytes, source: str | None = None, ufcstats_id: str | None = None
) -> UFCStatsFighter:
    """``/fighter-details/<id>``: header, tale of the tape and the fight-history rows.

    ``ufcstats_id`` defaults to the id in ``source`` when that is a fighter-details URL
    or path, else to the fighter's own link in the first history row.
    """
    raise_if_blocked(html, FIGHTER_KIND, source)
    root = html_root(html)
    name = _first_text(_X_NAME(root))
    if not name:
        raise ParseError(
            FIGHTER_KIND,
            source,
            "fighter name (span.b-content__title-highlight) not found",
            "expected a /fighter-details/<id> page",
        )
    record_text = _first_text(_X_RECORD(root))
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
    tott = parse_tale_of_the_tape(root)

    def tape(label: str, parse: Callable[[str], T]) -> T:
        return _value(parse, tott.get(label, ""), FIGHTER_KIND, source, f"{label.upper()}:")

    own_id = ufcstats_id.lower() if ufcstats_id else fighter_id_from_url(source)
    rows = _X_HISTORY_ROWS(root)
    if own_id is None and rows:
        hrefs = _X_FIRST_ROW_FIGHTER(rows[0])
        own_id = fighter_id_from_url(str(hrefs[0])) if hrefs else None
    fights = [_history_row(tr, n, own_id, source) for n, tr in enumerate(rows, start=1)]
    return UFCStatsFighter(
        ufcstats_id=own_id,
        name=name,
        nickname=clean_text(_first_text(_X_NICKNAME(root))),
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


def _history_row(tr: Any, n: int, own_id: str | None, source: str | None) -> UFCStatsFightRow:
    """Cells: 0 flag, 1 two fighter links, 2-5 KD/STR/TD/SUB, 6 event+date, 7 method,
    8 round, 9 time. Read by index, verified by the event link (searched if it moved).

    The upcoming row has 9 cells, not 10: its KD cell is left unclosed and one
    ``colspan="2"`` "Matchup Preview" cell stands for STR and TD, so the event cell is
    the 6th; the cells after it are read relative to the event cell."""
    cells = _X_TD(tr)
    label = f"fight-history row {n}"
    ev = 6
    if len(cells) <= ev or not _X_EVENT_LINK(cells[ev]):
        found = [i for i, td in enumerate(cells) if _X_EVENT_LINK(td)]
        if not found:
            raise ParseError(
                FIGHTER_KIND,
                source,
                f"{label}: no /event-details/ link in any of its {len(cells)} cells",
                "expected cell 7 of 10 to hold the event link and date",
            )
        ev = found[0]

    links = [
        (fighter_id_from_url(a.get("href")), node_text(a)) for a in _X_FIGHTER_LINKS(tr, last=ev)
    ]
    if own_id and any(link[0] == own_id for link in links):
        others = [link for link in links if link[0] != own_id]
    else:
        others = links[1:]  # the first link is the fighter himself
    opponent_id, opponent_name = others[0] if others else (None, None)
    label = f"{label} (vs {opponent_name or '?'})"

    flag = _first_text(_X_FLAG_TEXT(tr)).lower()
    event_cell = cells[ev]
    event_link = _X_EVENT_LINK(event_cell)[0]
    date_text = normalize_ws(" ".join(str(t) for t in _X_TEXT_OUTSIDE_LINKS(event_cell)))
    method_ps = _cell_lines(cells, ev + 1)

    def cell(i: int) -> str:
        return node_text(cells[i]) if i < len(cells) else ""

    flag_hrefs = _X_FLAG_HREF(tr)
    fight_url = (
        tr.get("data-link") or (str(flag_hrefs[0]) if flag_hrefs else None) or tr.get("onclick")
    )
    return UFCStatsFightRow(
        result=_RESULTS.get(flag, "unknown"),
        opponent_name=opponent_name or None,
        opponent_id=opponent_id,
        event_name=node_text(event_link) or None,
        event_id=event_id_from_url(event_link.get("href")),
        fight_id=fight_id_from_url(fight_url),
        date=_value(parse_date, date_text, FIGHTER_KIND, source, f"{label}, event date"),
        method=clean_text(method_ps[0]) if method_ps else None,
        method_detail=clean_text(method_ps[1]) if len(method_ps) > 1 else None,
        round=_value(parse_int, cell(ev + 2), FIGHTER_KIND, source, f"{label}, round"),
        time=clean_text(cell(ev + 3)),
    )


def _cell_lines(cells: list[Any], i: int) -> list[str]:
    """The ``p`` texts of cell ``i`` (or its whole text as one line when it has no ``p``)."""
    if i >= len(cells):
        return []
    ps = _X_CELL_PS(cells[i]) or _X_ANY_P(cells[i])
    if ps:
        return [node_text(p) for p in ps]
    return [node_text(cells[i])]
