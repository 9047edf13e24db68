"""Parser for the UFCStats fight-details page (``/fight-details/<id>``).

Pure function: HTML in, :class:`UFCStatsFight` out. The page has a header (event link,
the two fighters with their W/L/D/NC status, bout type, method, round, time, time
format, referee, details or judges' cards) and, once published, four tables: totals,
totals per round, significant strikes and significant strikes per round. Columns are
mapped by their header text (the per-round header repeats ``Td %``), so pages from before
October 2020, which show PASS instead of CTRL, read as well. ``--`` / ``---`` are missing
values (``None``), never zero. A page whose statistics are not published yet parses with
``has_stats=False``.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ufc_pipeline.parsing._html import has_class
from ufc_pipeline.parsing.blocks import raise_if_blocked
from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.records import Record
from ufc_pipeline.parsing.ufcstats import (
    event_id_from_url,
    fight_id_from_url,
    fighter_id_from_url,
    html_root,
)
from ufc_pipeline.parsing.units import MISSING_MARKERS, clean_text, normalize_ws

FIGHT_KIND = "ufcstats-fight"

PERSON_SELECTOR = "div.b-fight-details__person"
PERSON_LINK_SELECTOR = "a.b-fight-details__person-link"
PERSON_NAME_SELECTOR = "h3.b-fight-details__person-name"
STATS_TABLE_SELECTOR = "table with tbody.b-fight-details__table-body"


_X_STRING = etree.XPath("string()")
_X_PERSONS = etree.XPath(f"//div[{has_class('b-fight-details__person')}]")
_X_PERSON_LINK = etree.XPath(
    f".//a[{has_class('b-fight-details__person-link')}]"
    f" | .//h3[{has_class('b-fight-details__person-name')}]//a"
)
_X_PERSON_NAME = etree.XPath(f".//h3[{has_class('b-fight-details__person-name')}]")
_X_PERSON_STATUS = etree.XPath(f".//i[{has_class('b-fight-details__person-status')}]")
_X_PERSON_TITLE = etree.XPath(f".//p[{has_class('b-fight-details__person-title')}]")
_X_EVENT_LINK = etree.XPath(
    f"//h2[{has_class('b-content__title')}]//a[contains(@href, '/event-details/')]"
    f" | //h2[{has_class('b-content__title')}]//a"
)
_X_FIGHT_TITLE = etree.XPath(f"//i[{has_class('b-fight-details__fight-title')}]")
_X_TEXT_PS = etree.XPath(f"//p[{has_class('b-fight-details__text')}]")
_X_ITEMS = etree.XPath(
    f".//i[{has_class('b-fight-details__text-item')}"
    f" or {has_class('b-fight-details__text-item_first')}]"
)
_X_LABEL = etree.XPath(f"./i[{has_class('b-fight-details__label')}]")
_X_IMG_SRC = etree.XPath(".//img/@src")
_X_STATS_TABLES = etree.XPath(f"//table[.//tbody[{has_class('b-fight-details__table-body')}]]")
_X_HEADER_TH = etree.XPath(
    f"./thead[{has_class('b-fight-details__table-head')}"
    f" or {has_class('b-fight-details__table-head_rnd')}]"
    "[1]//th"
)
_X_TABLE_PARTS = etree.XPath("./thead | ./tbody | ./tr")
_X_ROWS = etree.XPath("./tr[td] | self::tr[td]")
_X_TD = etree.XPath("./td")
_X_P = etree.XPath("./p")
_X_HREFS = etree.XPath(".//a/@href")

_CARD_RE = re.compile(r"^(.*?)\s*(\d+\s*-\s*\d+\.?)$")
_ROUND_RE = re.compile(r"^Round\s+(\d+)$", re.I)
_OF_RE = re.compile(r"^(\d+)\s+of\s+(\d+)$")
_PCT_RE = re.compile(r"^(\d+)\s*%$")
_CLOCK_RE = re.compile(r"^(\d+):(\d{2})$")
_IMG_STEM_RE = re.compile(r"([A-Za-z0-9_-]+)\.(?:png|gif|jpe?g|svg|webp)(?:[?#].*)?$", re.I)
_WEIGHT_CLASS_RE = re.compile(
    r"(?:Women's\s+)?(?:Light\s+Heavyweight|Super\s+Heavyweight|Strawweight|Flyweight|"
    r"Bantamweight|Featherweight|Lightweight|Welterweight|Middleweight|Heavyweight|"
    r"Catch\s*Weight|Open\s*Weight)",
    re.I,
)
_BONUS_IMAGES = {"perf": "performance", "fight": "fight", "sub": "submission", "ko": "ko"}
_RESULTS = {"W": "W", "L": "L", "D": "D", "NC": "NC"}

# Header text (lower case, dots dropped, spaces collapsed) -> stat key.
_HEADER_KEYS = {
    "fighter": "fighter",
    "kd": "kd",
    "sig str": "sig_str",
    "sig str %": "sig_str_pct",
    "total str": "total_str",
    "td": "td",
    "td %": "td_pct",
    "sub att": "sub_att",
    "rev": "rev",
    "ctrl": "ctrl",
    "pass": "passes",
    "head": "head",
    "body": "body",
    "leg": "leg",
    "distance": "distance",
    "clinch": "clinch",
    "ground": "ground",
}
# Column order when a table has no readable header (layout since Oct 2020).
_DEFAULT_TOTALS = (
    "fighter",
    "kd",
    "sig_str",
    "sig_str_pct",
    "total_str",
    "td",
    "td_pct",
    "sub_att",
    "rev",
    "ctrl",
)
_DEFAULT_SIG = (
    "fighter",
    "sig_str",
    "sig_str_pct",
    "head",
    "body",
    "leg",
    "distance",
    "clinch",
    "ground",
)
_PAIRS = frozenset(
    {"sig_str", "total_str", "td", "head", "body", "leg", "distance", "clinch", "ground"}
)
_PCTS = frozenset({"sig_str_pct", "td_pct"})
_INTS = frozenset({"kd", "sub_att", "rev", "passes"})


# ---------------------------------------------------------------- records


@dataclass
class UFCStatsFightStats(Record):
    """One fighter's statistics for the whole fight (``round is None``) or one round.

    ``x_landed``/``x_attempted`` come from "X of Y" cells, percentages are as shown
    (``64`` for ``64%``), ``ctrl_seconds`` from ``M:SS``. ``passes`` is the PASS column of
    pages before October 2020 (those have no CTRL). Missing values are ``None``.
    """

    round: int | None = None
    kd: int | None = None
    sig_str_landed: int | None = None
    sig_str_attempted: int | None = None
    sig_str_pct: int | None = None
    total_str_landed: int | None = None
    total_str_attempted: int | None = None
    td_landed: int | None = None
    td_attempted: int | None = None
    td_pct: int | None = None
    sub_att: int | None = None
    rev: int | None = None
    ctrl_seconds: int | None = None
    passes: int | None = None
    head_landed: int | None = None
    head_attempted: int | None = None
    body_landed: int | None = None
    body_attempted: int | None = None
    leg_landed: int | None = None
    leg_attempted: int | None = None
    distance_landed: int | None = None
    distance_attempted: int | None = None
    clinch_landed: int | None = None
    clinch_attempted: int | None = None
    ground_landed: int | None = None
    ground_attempted: int | None = None


@dataclass
class UFCStatsFightFighter(Record):
    """One side of the bout: who, the result flag as shown (W/L/D/NC) and the stats."""

    fighter_id: str | None
    name: str
    nickname: str | None = None
    result: str | None = None
    totals: UFCStatsFightStats | None = None
    rounds: list[UFCStatsFightStats] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UFCStatsFightFighter:
        obj = super().from_dict({k: v for k, v in data.items() if k not in ("totals", "rounds")})
        totals = data.get("totals")
        obj.totals = UFCStatsFightStats.from_dict(totals) if totals else None
        obj.rounds = [UFCStatsFightStats.from_dict(r) for r in data.get("rounds", [])]
        return obj


@dataclass
class UFCStatsScorecard(Record):
    """One judge's card of a decision, as shown (``"46 - 49."``)."""

    judge: str
    score: str


@dataclass
class UFCStatsFight(Record):
    """``/fight-details/<id>``: the bout header and, when published, its statistics."""

    fight_id: str | None
    event_id: str | None
    event_name: str | None
    bout_type: str | None
    weight_class: str | None
    title_bout: bool
    method: str | None
    method_detail: str | None
    round: int | None
    time: str | None
    time_format: str | None
    referee: str | None
    fighters: list[UFCStatsFightFighter] = field(default_factory=list)
    bonuses: list[str] = field(default_factory=list)
    scorecards: list[UFCStatsScorecard] = field(default_factory=list)
    has_stats: bool = False

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UFCStatsFight:
        nested = ("fighters", "scorecards")
        obj = super().from_dict({k: v for k, v in data.items() if k not in nested})
        obj.fighters = [UFCStatsFightFighter.from_dict(f) for f in data.get("fighters", [])]
        obj.scorecards = [UFCStatsScorecard.from_dict(s) for s in data.get("scorecards", [])]
        return obj


# ---------------------------------------------------------------- helpers


def _text(node: Any) -> str:
    return normalize_ws(str(_X_STRING(node)))


def _classes(node: Any) -> set[str]:
    return set((node.get("class") or "").split())


def _image_stems(node: Any) -> list[str]:
    stems = []
    for src in _X_IMG_SRC(node):
        m = _IMG_STEM_RE.search(str(src).strip())
        if m:
            stems.append(m.group(1).lower())
    return stems


def _clock_seconds(text: str) -> int:
    m = _CLOCK_RE.match(text)
    if not m:
        raise ValueError(f"not a time M:SS: {text!r}")
    return int(m.group(1)) * 60 + int(m.group(2))


def _header_key(text: str) -> str | None:
    key = normalize_ws(text.lower().replace(".", " "))
    return _HEADER_KEYS.get(key)


def _column_keys(table: Any, n_cells: int) -> tuple[str | None, ...]:
    """Stat key of each column, from the header; the known default order without one."""
    keys = [_header_key(_text(th)) for th in _X_HEADER_TH(table)]
    if keys.count("td_pct") == 2 and "td" not in keys:
        keys[keys.index("td_pct")] = "td"  # the per-round header says "Td %" twice
    if len(keys) == n_cells and keys and keys[0] == "fighter":
        return tuple(keys)
    if n_cells == len(_DEFAULT_TOTALS):
        return _DEFAULT_TOTALS
    if n_cells == len(_DEFAULT_SIG):
        return _DEFAULT_SIG
    return tuple(keys) if len(keys) == n_cells else tuple([None] * n_cells)


def _store(stats: UFCStatsFightStats, key: str, raw: str) -> None:
    """Parse ``raw`` for column ``key`` into ``stats``; missing markers leave ``None``."""
    value = normalize_ws(raw)
    if value.lower() in MISSING_MARKERS:
        return
    if key in _PAIRS:
        m = _OF_RE.match(value)
        if not m:
            raise ValueError(f"not 'landed of attempted': {raw!r}")
        if getattr(stats, f"{key}_landed") is None:
            setattr(stats, f"{key}_landed", int(m.group(1)))
            setattr(stats, f"{key}_attempted", int(m.group(2)))
    elif key in _PCTS:
        m = _PCT_RE.match(value)
        if not m:
            raise ValueError(f"not a percentage: {raw!r}")
        if getattr(stats, key) is None:
            setattr(stats, key, int(m.group(1)))
    elif key in _INTS:
        if not value.isdigit():
            raise ValueError(f"not an integer: {raw!r}")
        setattr(stats, key, int(value))
    elif key == "ctrl":
        stats.ctrl_seconds = _clock_seconds(value)


# ---------------------------------------------------------------- page


def parse_fight_page(
    html: str | bytes, source: str | None = None, fight_id: str | None = None
) -> UFCStatsFight:
    """``/fight-details/<id>``: header, both fighters and every statistics table.

    ``fight_id`` defaults to the id in ``source`` when that is a fight-details URL or path
    (the page itself does not link to its own id). Raises :class:`ParseError` when the two
    fighters are missing or a statistics cell cannot be read, :class:`BlockedPage` for an
    anti-bot page. A page without statistics tables gives ``has_stats=False``.
    """
    raise_if_blocked(html, FIGHT_KIND, source)
    root = html_root(html)
    fighters = _fighters(root, source)

    event_links = _X_EVENT_LINK(root)
    event_link = event_links[0] if event_links else None
    title_nodes = _X_FIGHT_TITLE(root)
    bout_type = clean_text(_text(title_nodes[0])) if title_nodes else None
    stems = _image_stems(title_nodes[0]) if title_nodes else []
    wc = _WEIGHT_CLASS_RE.search(bout_type or "")
    info, details, scorecards = _header_items(root)

    def num(label: str) -> int | None:
        value = clean_text(info.get(label))
        if value is None:
            return None
        if not value.isdigit():
            raise ParseError(FIGHT_KIND, source, f"{label.capitalize()}: not a number: {value!r}")
        return int(value)

    has_stats = _read_stats(root, fighters, source)
    return UFCStatsFight(
        fight_id=fight_id.lower() if fight_id else fight_id_from_url(source),
        event_id=event_id_from_url(event_link.get("href")) if event_link is not None else None,
        event_name=clean_text(_text(event_link)) if event_link is not None else None,
        bout_type=bout_type,
        weight_class=normalize_ws(wc.group(0)) if wc else None,
        title_bout="belt" in stems or "title bout" in (bout_type or "").lower(),
        method=clean_text(info.get("method")),
        method_detail=None if scorecards else details,
        round=num("round"),
        time=clean_text(info.get("time")),
        time_format=clean_text(info.get("time format")),
        referee=clean_text(info.get("referee")),
        fighters=fighters,
        bonuses=[_BONUS_IMAGES[s] for s in stems if s in _BONUS_IMAGES],
        scorecards=scorecards,
        has_stats=has_stats,
    )


def _fighters(root: Any, source: str | None) -> list[UFCStatsFightFighter]:
    out: list[UFCStatsFightFighter] = []
    for person in _X_PERSONS(root):
        links = _X_PERSON_LINK(person)
        names = _X_PERSON_NAME(person)
        name = _text(links[0]) if links else (_text(names[0]) if names else "")
        if not name:
            continue
        status = _X_PERSON_STATUS(person)
        title = _X_PERSON_TITLE(person)
        nickname = clean_text(_text(title[0])) if title else None
        flag = _text(status[0]).upper() if status else ""
        out.append(
            UFCStatsFightFighter(
                fighter_id=fighter_id_from_url(links[0].get("href")) if links else None,
                name=name,
                nickname=nickname.strip('"') if nickname else None,
                result=_RESULTS.get(flag),
            )
        )
    if len(out) != 2:
        raise ParseError(
            FIGHT_KIND,
            source,
            f"expected two fighters ({PERSON_SELECTOR} with {PERSON_LINK_SELECTOR} or "
            f"{PERSON_NAME_SELECTOR}), found {len(out)}",
            "expected a /fight-details/<id> page",
        )
    return out


def _header_items(root: Any) -> tuple[dict[str, str], str | None, list[UFCStatsScorecard]]:
    """Labelled items (method, round, time, time format, referee) and the Details line."""
    info: dict[str, str] = {}
    details: str | None = None
    scorecards: list[UFCStatsScorecard] = []
    for p in _X_TEXT_PS(root):
        labels = [_text(lab).rstrip(":").strip().lower() for lab in p.iter("i") if _is_label(lab)]
        if "details" in labels:
            for item in _X_ITEMS(p):
                if _X_LABEL(item):
                    continue
                text = _text(item)
                spans = item.findall(".//span")
                if spans and text.startswith(_text(spans[0])):
                    judge, score = _text(spans[0]), normalize_ws(text[len(_text(spans[0])) :])
                else:
                    m = _CARD_RE.match(text)
                    judge, score = (m.group(1), m.group(2)) if m else ("", text)
                if judge or score:
                    scorecards.append(UFCStatsScorecard(judge=judge, score=score))
            text = _text(p)
            details = clean_text(re.sub(r"^Details:\s*", "", text))
            continue
        for item in _X_ITEMS(p):
            label_nodes = _X_LABEL(item)
            if not label_nodes:
                continue
            label = _text(label_nodes[0])
            value = _text(item)
            if value.startswith(label):
                value = value[len(label) :]
            info.setdefault(label.rstrip(":").strip().lower(), normalize_ws(value))
    return info, details, scorecards


def _is_label(node: Any) -> bool:
    return "b-fight-details__label" in _classes(node)


def _read_stats(root: Any, fighters: list[UFCStatsFightFighter], source: str | None) -> bool:
    """Fill ``totals`` and ``rounds`` of both fighters; True when a stats row was read."""
    ids = [f.fighter_id for f in fighters]
    per_side: list[dict[int | None, UFCStatsFightStats]] = [{}, {}]
    found = False
    for t, table in enumerate(_X_STATS_TABLES(root), start=1):
        current_round: int | None = None
        for part in _X_TABLE_PARTS(table):
            if part.tag == "thead" and "b-fight-details__table-row_type_head" in _classes(part):
                m = _ROUND_RE.match(_text(part))
                current_round = int(m.group(1)) if m else current_round
                continue
            for tr in _X_ROWS(part):
                cells = _X_TD(tr)
                if len(cells) < 2:
                    continue
                keys = _column_keys(table, len(cells))
                order = _side_order(cells[0], ids)
                where = f"statistics table {t}" + (
                    f", round {current_round}" if current_round else ""
                )
                for key, cell in zip(keys, cells, strict=True):
                    if key in (None, "fighter"):
                        continue
                    values = [_text(p) for p in _X_P(cell)]
                    if len(values) != 2:
                        raise ParseError(
                            FIGHT_KIND,
                            source,
                            f"{where}, column {key}: expected two values "
                            f"(p.b-fight-details__table-text), found {len(values)}",
                        )
                    for side, raw in zip(order, values, strict=True):
                        stats = per_side[side].setdefault(
                            current_round, UFCStatsFightStats(round=current_round)
                        )
                        try:
                            _store(stats, key, raw)
                        except ValueError as exc:
                            raise ParseError(
                                FIGHT_KIND, source, f"{where}, column {key}: {exc}"
                            ) from None
                found = True
    for fighter, table_stats in zip(fighters, per_side, strict=True):
        fighter.totals = table_stats.get(None)
        fighter.rounds = [table_stats[r] for r in sorted(k for k in table_stats if k is not None)]
    return found


def _side_order(cell: Any, ids: list[str | None]) -> tuple[int, int]:
    """Which fighter each of the two lines of a stats row belongs to (by link, else order)."""
    row_ids = [fighter_id_from_url(h) for h in _X_HREFS(cell)]
    if len(row_ids) == 2 and all(row_ids) and set(row_ids) == set(ids) and row_ids[0] != ids[0]:
        return (1, 0)
    return (0, 1)


def stats_fields() -> list[str]:
    """Names of the numeric fields of :class:`UFCStatsFightStats` (all but ``round``)."""
    return [f.name for f in dataclasses.fields(UFCStatsFightStats) if f.name != "round"]
