"""Parsers for UFCStats pages: the fighters list and the fighter-details page.

Pure functions: HTML in, records out (see :mod:`ufc_pipeline.parsing.records`). Ids are
the 16-hex-character ids of ``/fighter-details/``, ``/event-details/`` and
``/fight-details/`` links, whatever the host (ufcstats.com, www., a local mirror).

Each page is parsed once into an lxml tree (``html_root``). The list page is read with
XPath compiled at import; the fighter page (read once per fighter, thousands a run) in one
walk over its ``span``/``p``/``li``/``tr`` elements and then over each history row's own
cells, with class tests done in Python (no document-wide XPath per field, no XPath per
cell). Cell text comes from ``itertext`` rather than a selector object per cell.
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
    """Whitespace-normalised string value of ``node`` (all descendant text): what
    ``units.normalize_ws`` gives (``str.split`` splits on the same characters as its
    regular expression, NBSP included), in a quarter of the time."""
    return " ".join("".join(node.itertext()).split())


_X_TD = etree.XPath("./td")
_X_LIST_TABLE = etree.XPath(f"//table[{has_class('b-statistics__table')}]")
_X_TABLE_ROWS = etree.XPath("./tbody/tr | ./tr")
_SPACER = "b-statistics__table-col_type_clear"
_HISTORY_ROW_CLASSES = (
    # Completed bouts are ``tr.b-fight-details__table-row__hover`` (clickable,
    # ``data-link``); the upcoming bout (flag ``next``) heads the table as
    # ``tr...table-row_type_first``, with no hover class and no ``data-link``, its fight
    # link on the flag.
    "b-fight-details__table-row__hover",
    "b-fight-details__table-row_type_first",
)
# XPath's whitespace (normalize-space): a class attribute is split on these only
_XML_WS = str.maketrans("\t\n\r", "   ")


def _word(value: str | None, cls: str) -> bool:
    """The class attribute ``value`` holds the word ``cls`` (:func:`has_class`'s test)."""
    if not value or cls not in value:  # a substring test first: most elements fail it
        return False
    return cls in value.translate(_XML_WS).split(" ")


def _has(el: Any, cls: str) -> bool:
    """``el`` has the class word ``cls``."""
    return _word(el.get("class"), cls)


def _text_outside_links(el: Any, out: list[str]) -> None:
    """The text nodes of ``el``'s subtree that are not inside an ``a``, in document order
    (XPath ``.//text()[not(ancestor::a)]`` below an element that is not in a link)."""
    if el.text and isinstance(el.tag, str):
        out.append(el.text)
    for child in el:
        if isinstance(child.tag, str) and child.tag != "a":
            _text_outside_links(child, out)
        if child.tail:
            out.append(child.tail)


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
    return _tott(li for li in root.iter("li") if _has(li, "b-list__box-list-item"))


def _tott(items: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for li in items:
        title = next((i for i in li.iter("i") if _has(i, "b-list__box-item-title")), None)
        text = node_text(title) if title is not None else ""
        if not text:
            continue
        key = text.rstrip(":").strip().lower()
        if key not in out:
            # the li's own text nodes (``./text()``): its text and its children's tails
            own = [li.text] if li.text else []
            own += [child.tail for child in li if child.tail]
            out[key] = " ".join(" ".join(own).split())  # normalize_ws
    return out


def _first_text(nodes: list[Any]) -> str:
    return node_text(nodes[0]) if nodes else ""


class _FighterNodes:
    """What a fighter page is read from, found in one walk over the tree."""

    __slots__ = ("name", "nickname", "record", "rows", "tott")

    def __init__(self, root: Any) -> None:
        self.name: list[Any] = []
        self.record: list[Any] = []
        self.nickname: list[Any] = []
        self.tott: list[Any] = []
        self.rows: list[Any] = []
        for el in root.iter("span", "p", "li", "tr"):
            value = el.get("class")
            if not value:
                continue
            tag = el.tag
            if tag == "tr":
                if "b-fight-details__table-row" in value and any(
                    c in _HISTORY_ROW_CLASSES for c in value.translate(_XML_WS).split(" ")
                ):
                    self.rows.append(el)
            elif tag == "p":
                if _word(value, "b-content__Nickname"):
                    self.nickname.append(el)
            elif tag == "li":
                if _word(value, "b-list__box-list-item"):
                    self.tott.append(el)
            elif "b-content__title-" in value:
                classes = value.translate(_XML_WS).split(" ")
                if "b-content__title-highlight" in classes:
                    self.name.append(el)
                if "b-content__title-record" in classes:
                    self.record.append(el)


def parse_fighter_page(
    html: str | bytes, source: str | None = None, ufcstats_id: str | None = None
) -> UFCStatsFighter:
    """``/fighter-details/<id>``: header, tale of the tape and the fight-history rows.

    ``ufcstats_id`` defaults to the id in ``source`` when that is a fighter-details URL
    or path, else to the fighter's own link in the first history row. An anti-bot page
    (which never carries a fighter header) raises :class:`BlockedPage`.
    """
    root = html_root(html)
    nodes = _FighterNodes(root)
    name = _first_text(nodes.name)
    if not name:
        raise_if_blocked(html, FIGHTER_KIND, source)
        raise ParseError(
            FIGHTER_KIND,
            source,
            "fighter name (span.b-content__title-highlight) not found",
            "expected a /fighter-details/<id> page",
        )
    record_text = _first_text(nodes.record)
    if not record_text:
        raise_if_blocked(html, FIGHTER_KIND, source)
        raise ParseError(
            FIGHTER_KIND,
            source,
            "record (span.b-content__title-record) not found",
            "a page with a title but no record is not a fighter page (an event page?)",
        )
    wins, losses, draws, no_contests = _value(
        parse_record, record_text, FIGHTER_KIND, source, "span.b-content__title-record"
    )
    tott = _tott(nodes.tott)

    def tape(label: str, parse: Callable[[str], T]) -> T:
        return _value(parse, tott.get(label, ""), FIGHTER_KIND, source, f"{label.upper()}:")

    own_id = ufcstats_id.lower() if ufcstats_id else fighter_id_from_url(source)
    rows = nodes.rows
    if own_id is None and rows:
        cells = _cells(rows[0])
        hrefs = _links(cells[1:2], "/fighter-details/")
        own_id = fighter_id_from_url(hrefs[0].get("href")) if hrefs else None
    fights = [_history_row(tr, n, own_id, source) for n, tr in enumerate(rows, start=1)]
    return UFCStatsFighter(
        ufcstats_id=own_id,
        name=name,
        nickname=clean_text(_first_text(nodes.nickname)),
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


def _cells(tr: Any) -> list[Any]:
    """The row's ``td`` children (``./td``)."""
    return [td for td in tr if td.tag == "td"]


def _links(cells: list[Any], part: str) -> list[Any]:
    """``a`` elements below ``cells`` whose href contains ``part``, in document order."""
    return [a for td in cells for a in td.iter("a") if part in (a.get("href") or "")]


def _history_row(tr: Any, n: int, own_id: str | None, source: str | None) -> UFCStatsFightRow:
    """Cells: 0 flag, 1 two fighter links, 2-5 KD/STR/TD/SUB, 6 event+date, 7 method,
    8 round, 9 time. Read by index, verified by the event link (searched if it moved).

    The upcoming row has 9 cells, not 10: its KD cell is left unclosed and one
    ``colspan="2"`` "Matchup Preview" cell stands for STR and TD, so the event cell is
    the 6th; the cells after it are read relative to the event cell."""
    cells = _cells(tr)
    label = f"fight-history row {n}"
    ev = 6
    event_links = _links(cells[ev : ev + 1], "/event-details/")
    if not event_links:
        found = [i for i, td in enumerate(cells) if _links([td], "/event-details/")]
        if not found:
            raise ParseError(
                FIGHTER_KIND,
                source,
                f"{label}: no /event-details/ link in any of its {len(cells)} cells",
                "expected cell 7 of 10 to hold the event link and date",
            )
        ev = found[0]
        event_links = _links([cells[ev]], "/event-details/")

    links = [
        (fighter_id_from_url(a.get("href")), node_text(a))
        for a in _links(cells[:ev], "/fighter-details/")
    ]
    if own_id and any(link[0] == own_id for link in links):
        others = [link for link in links if link[0] != own_id]
    else:
        others = links[1:]  # the first link is the fighter himself
    opponent_id, opponent_name = others[0] if others else (None, None)
    label = f"{label} (vs {opponent_name or '?'})"

    flag_node = flag_href = None  # the first i.b-flag__text, the first a.b-flag's href
    for el in tr.iter("i", "a"):
        if el.tag == "i":
            if flag_node is None and _has(el, "b-flag__text"):
                flag_node = el
        elif flag_href is None and el.get("href") is not None and _has(el, "b-flag"):
            flag_href = el.get("href")
    flag = node_text(flag_node).lower() if flag_node is not None else ""
    event_cell = cells[ev]
    event_link = event_links[0]
    outside: list[str] = []
    _text_outside_links(event_cell, outside)
    date_text = " ".join(" ".join(outside).split())  # normalize_ws
    method_ps = _cell_lines(cells, ev + 1)

    def cell(i: int) -> str:
        return node_text(cells[i]) if i < len(cells) else ""

    fight_url = tr.get("data-link") or flag_href or tr.get("onclick")
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
    ps = list(cells[i].iter("p"))
    texts = [p for p in ps if _has(p, "b-fight-details__table-text")] or ps
    if texts:
        return [node_text(p) for p in texts]
    return [node_text(cells[i])]


# CSS ``table.b-statistics__table tbody tr`` with at least 11 ``td``, as one XPath
_X_COUNT_ROWS = etree.XPath(
    f"//table[{has_class('b-statistics__table')}]//tbody//tr[count(.//td) >= 11]"
)


def count_table_rows(html: bytes | str) -> int:
    """Fighter rows in the list table, counted independently of the parser (drift check):
    one XPath over the page's own tree, none of the parser's row logic."""
    return len(_X_COUNT_ROWS(html_root(html)))
