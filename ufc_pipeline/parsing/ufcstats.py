"""Parsers for UFCStats pages: the fighters list and the fighter-details page.

Pure functions: HTML in, records out (see :mod:`ufc_pipeline.parsing.records`). Ids are
the 16-hex-character ids of ``/fighter-details/``, ``/event-details/`` and
``/fight-details/`` links, whatever the host (ufcstats.com, www., a local mirror).

Each page is parsed once. The list page is an lxml tree (``html_root``) read with XPath
compiled at import. The fighter page, read once per fighter, thousands a run, is a lexbor
tree (``lexbor_tree``, selectolax) read with CSS selectors matched in C: one selector for
the header fields, the tale of the tape and the history rows, then one for each row's
links; cell text is the C ``text()`` of a node, with no selector object per cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from lxml import etree
from selectolax.lexbor import LexborNode

from ufc_pipeline.parsing._html import (
    has_class,
    html_root,
    lexbor_children,
    lexbor_text,
    lexbor_tree,
)
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


def class_word(value: str | None, cls: str) -> bool:
    """The class attribute ``value`` holds the word ``cls`` (:func:`has_class`'s test)."""
    if not value or cls not in value:  # a substring test first: most elements fail it
        return False
    return cls in value.translate(_XML_WS).split(" ")


def has_class_word(el: Any, cls: str) -> bool:
    """``el`` has the class word ``cls``."""
    return class_word(el.get("class"), cls)


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
    return _tott(li for li in root.iter("li") if has_class_word(li, "b-list__box-list-item"))


def _tott(items: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for li in items:
        title = next((i for i in li.iter("i") if has_class_word(i, "b-list__box-item-title")), None)
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


# ---------------------------------------------------------------- fighter page (lexbor)
#
# The fighter page is read once per fighter, thousands of times a run, so it is parsed by
# lexbor (selectolax) and read with CSS selectors matched in C: 0.72 ms of CPU a page
# against 0.96 ms for the lxml walk it replaced on the real pages in tests/fixtures, 0.58
# against 0.77 on the mirror's 3,862, with the same records from every one of them. A
# class selector (``tr.x``) matches the class word, as XPath's
# ``contains(concat(' ', normalize-space(@class), ' '), ' x ')`` does.

_SEL_NAME = "span.b-content__title-highlight"
_SEL_RECORD = "span.b-content__title-record"
_SEL_NICKNAME = "p.b-content__Nickname"
_SEL_TOTT = "li.b-list__box-list-item"
_SEL_TOTT_TITLE = "i.b-list__box-item-title"
_SEL_ROWS = ", ".join(f"tr.{c}" for c in _HISTORY_ROW_CLASSES)  # in document order
_SEL_FLAG_TEXT = "i.b-flag__text"
_SEL_CELL_TEXT = "p.b-fight-details__table-text"
FD, ED = "/fighter-details/", "/event-details/"


def _lex_tott(items: list[LexborNode]) -> dict[str, str]:
    """:func:`_tott` for lexbor nodes: label -> the li's own text (its direct text nodes)."""
    out: dict[str, str] = {}
    for li in items:
        text = lexbor_text(li.css_first(_SEL_TOTT_TITLE))
        if not text:
            continue
        key = text.rstrip(":").strip().lower()
        if key not in out:
            out[key] = " ".join(li.text(deep=False, separator=" ").split())
    return out


def parse_fighter_page(
    html: str | bytes, source: str | None = None, ufcstats_id: str | None = None
) -> UFCStatsFighter:
    """``/fighter-details/<id>``: header, tale of the tape and the fight-history rows.

    ``ufcstats_id`` defaults to the id in ``source`` when that is a fighter-details URL
    or path, else to the fighter's own link in the first history row. An anti-bot page
    (which never carries a fighter header) raises :class:`BlockedPage`.
    """
    tree = lexbor_tree(html)
    name = lexbor_text(tree.css_first(_SEL_NAME))
    if not name:
        raise_if_blocked(html, FIGHTER_KIND, source)
        raise ParseError(
            FIGHTER_KIND,
            source,
            f"fighter name ({_SEL_NAME}) not found",
            "expected a /fighter-details/<id> page",
        )
    record_text = lexbor_text(tree.css_first(_SEL_RECORD))
    if not record_text:
        raise_if_blocked(html, FIGHTER_KIND, source)
        raise ParseError(
            FIGHTER_KIND,
            source,
            f"record ({_SEL_RECORD}) not found",
            "a page with a title but no record is not a fighter page (an event page?)",
        )
    wins, losses, draws, no_contests = _value(
        parse_record, record_text, FIGHTER_KIND, source, _SEL_RECORD
    )
    tott = _lex_tott(tree.css(_SEL_TOTT))

    def tape(label: str, parse: Callable[[str], T]) -> T:
        return _value(parse, tott.get(label, ""), FIGHTER_KIND, source, f"{label.upper()}:")

    own_id = ufcstats_id.lower() if ufcstats_id else fighter_id_from_url(source)
    rows = tree.css(_SEL_ROWS)
    if own_id is None and rows:
        first = rows[0]
        hrefs = [
            h for i, h, _ in _row_links(first, lexbor_children(first, "td")) if i == 1 and FD in h
        ]
        own_id = fighter_id_from_url(hrefs[0]) if hrefs else None
    fights = [_history_row(tr, n, own_id, source) for n, tr in enumerate(rows, start=1)]
    return UFCStatsFighter(
        ufcstats_id=own_id,
        name=name,
        nickname=clean_text(lexbor_text(tree.css_first(_SEL_NICKNAME))),
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


def _row_links(tr: LexborNode, cells: list[LexborNode]) -> list[tuple[int, str, LexborNode]]:
    """Every ``a`` of the row in document order, as (index of its cell or -1, href or '',
    node): one selector match for the whole row instead of one for each cell."""
    index = {td.mem_id: i for i, td in enumerate(cells)}
    out = []
    for a in tr.css("a"):
        up = a.parent
        while up is not None and up.mem_id not in index:
            up = up.parent
        out.append((index[up.mem_id] if up is not None else -1, a.attributes.get("href") or "", a))
    return out


def _text_outside_links(el: LexborNode, out: list[str]) -> None:
    """The text nodes of ``el``'s subtree that are not inside an ``a``, in document order
    (XPath ``.//text()[not(ancestor::a)]`` below an element that is not in a link)."""
    for child in el.iter(include_text=True):
        if child.is_text_node:
            out.append(child.text_content or "")
        elif child.is_element_node and child.tag != "a":
            _text_outside_links(child, out)


def _history_row(
    tr: LexborNode, n: int, own_id: str | None, source: str | None
) -> UFCStatsFightRow:
    """Cells: 0 flag, 1 two fighter links, 2-5 KD/STR/TD/SUB, 6 event+date, 7 method,
    8 round, 9 time. Read by index, verified by the event link (searched if it moved).

    The upcoming row has 9 cells, not 10: its KD cell is left unclosed and one
    ``colspan="2"`` "Matchup Preview" cell stands for STR and TD, so the event cell is
    the 6th; the cells after it are read relative to the event cell."""
    cells = lexbor_children(tr, "td")
    label = f"fight-history row {n}"
    anchors = _row_links(tr, cells)
    event_cells = [i for i, href, _ in anchors if i >= 0 and ED in href]
    if not event_cells:
        raise ParseError(
            FIGHTER_KIND,
            source,
            f"{label}: no /event-details/ link in any of its {len(cells)} cells",
            "expected cell 7 of 10 to hold the event link and date",
        )
    ev = 6 if 6 in event_cells else event_cells[0]
    event_link = next(a for i, href, a in anchors if i == ev and ED in href)
    links = [
        (fighter_id_from_url(href), lexbor_text(a))
        for i, href, a in anchors
        if 0 <= i < ev and FD in href
    ]
    if own_id and any(link[0] == own_id for link in links):
        others = [link for link in links if link[0] != own_id]
    else:
        others = links[1:]  # the first link is the fighter himself
    opponent_id, opponent_name = others[0] if others else (None, None)
    label = f"{label} (vs {opponent_name or '?'})"

    flag = lexbor_text(tr.css_first(_SEL_FLAG_TEXT)).lower()
    flag_href = None  # the first a.b-flag[href]'s href
    for _, _, a in anchors:
        a_attrs = a.attributes
        if "href" in a_attrs and class_word(a_attrs.get("class"), "b-flag"):
            flag_href = a_attrs["href"]
            break
    outside: list[str] = []
    _text_outside_links(cells[ev], outside)
    date_text = " ".join(" ".join(outside).split())  # normalize_ws
    method_ps = _cell_lines(cells, ev + 1)

    def cell(i: int) -> str:
        return lexbor_text(cells[i]) if i < len(cells) else ""

    attrs = tr.attributes
    fight_url = attrs.get("data-link") or flag_href or attrs.get("onclick")
    return UFCStatsFightRow(
        result=_RESULTS.get(flag, "unknown"),
        opponent_name=opponent_name or None,
        opponent_id=opponent_id,
        event_name=lexbor_text(event_link) or None,
        event_id=event_id_from_url(event_link.attributes.get("href")),
        fight_id=fight_id_from_url(fight_url),
        date=_value(parse_date, date_text, FIGHTER_KIND, source, f"{label}, event date"),
        method=clean_text(method_ps[0]) if method_ps else None,
        method_detail=clean_text(method_ps[1]) if len(method_ps) > 1 else None,
        round=_value(parse_int, cell(ev + 2), FIGHTER_KIND, source, f"{label}, round"),
        time=clean_text(cell(ev + 3)),
    )


def _cell_lines(cells: list[LexborNode], i: int) -> list[str]:
    """The ``p`` texts of cell ``i`` (or its whole text as one line when it has no ``p``)."""
    if i >= len(cells):
        return []
    texts = cells[i].css(_SEL_CELL_TEXT) or cells[i].css("p")
    if texts:
        return [lexbor_text(p) for p in texts]
    return [lexbor_text(cells[i])]


# CSS ``table.b-statistics__table tbody tr`` with at least 11 ``td``, as one XPath
_X_COUNT_ROWS = etree.XPath(
    f"//table[{has_class('b-statistics__table')}]//tbody//tr[count(.//td) >= 11]"
)


def count_table_rows(html: bytes | str) -> int:
    """Fighter rows in the list table, counted independently of the parser (drift check):
    one XPath over the page's own tree, none of the parser's row logic."""
    return len(_X_COUNT_ROWS(html_root(html)))
