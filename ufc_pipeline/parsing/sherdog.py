"""Parsers for Sherdog pages: the Fight Finder and fighter pages in both layouts.

Pure functions: HTML in, records out. Only the Fight Finder's ``table.fightfinder_result``
and a fighter page's fight-history tables are read, so the fighter links in sidebars,
"trending" boxes and headers never turn into results or fights.

A fighter page comes in two layouts, told apart by the nodes that carry the data (never by
a wrapper class: ``div.module.bio_fighter.vcard`` wraps both):

* current (since the Dec 2021 / Jan 2022 redesign): ``.fighter-line1 h1 span.fn``,
  ``.bio-holder``, ``.winloses`` boxes, ``table.new_table.fighter`` labelled by the nearest
  ``.slanted_title``;
* pre-2022 (archived pages): ``h1 span.fn``, ``span.item.birthday``, ``span.item.height``,
  ``div.bio_graph span.counter``, tables in ``div.module.fight_history`` labelled by their
  ``.module_header h2``.

A page with neither layout's data is refused with a :class:`ParseError` naming the
selectors tried.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal, TypeVar
from urllib.parse import urlsplit

from parsel import Selector, SelectorList

from ufc_pipeline.parsing._html import has_class, selector, text_of
from ufc_pipeline.parsing.blocks import raise_if_blocked
from ufc_pipeline.parsing.errors import PageNotFound, ParseError
from ufc_pipeline.parsing.records import (
    FightResult,
    FightSection,
    SherdogFight,
    SherdogFighter,
    SherdogSearchResult,
)
from ufc_pipeline.parsing.units import (
    clean_text,
    normalize_ws,
    parse_date,
    parse_height,
    parse_int,
    parse_weight,
)

SEARCH_KIND = "sherdog-search"
FIGHTER_KIND = "sherdog-fighter"

Layout = Literal["current", "pre2022"]

_FIGHTER_PATH_RE = re.compile(r"/fighter/(?:[^/]*-)?(\d+)/?$")
_EVENT_PATH_RE = re.compile(r"/events/(?:[^/]*-)?(\d+)/?$")
_QUOTES = "\"'\u201c\u201d\u2018\u2019"
_RESULT_WORDS: dict[str, FightResult] = {
    "win": "win",
    "loss": "loss",
    "draw": "draw",
    "nc": "nc",
    "no_contest": "nc",
    "no contest": "nc",
}
T = TypeVar("T")

# ---------------------------------------------------------------- selectors

# Data-bearing nodes of each fighter-page layout: a page is read in the layout whose nodes
# it has; a page with none of them is refused, and the error names them all.
_CURRENT_DATA = (
    ".fighter-line1 h1[itemprop=name] span.fn",
    ".bio-holder",
    ".winsloses-holder .winloses",
    "table.new_table.fighter",
)
_PRE2022_DATA = (
    "h1 span.fn",
    "span.item.birthday",
    "div.bio_graph span.counter",
    "div.module.fight_history .module_header h2",
)
_CURRENT_NAME = '.fighter-line1 h1[itemprop="name"] span.fn'
_ANY_NAME = "h1 span.fn"

# Fight Finder: the "no results" message that replaces the results table.
_NO_RESULTS = "div.message.sorry"

# Fight-history tables: the current layout's ``table.new_table.fighter``; in the pre-2022
# layout, any table of a ``div.module.fight_history`` whose head row starts with "Result"
# (the "Upcoming Fights" table of that module starts with "Date").
_HISTORY_TABLES = (
    f"//table[{has_class('new_table')} and {has_class('fighter')}]"
    f" | //div[{has_class('module')} and {has_class('fight_history')}]"
    f"//table[(tr | tbody/tr)[{has_class('table_head')}][1]/td[1][normalize-space()='Result']]"
)
# The label of a table: the nearest title before it (a ``.slanted_title`` box, or the
# ``.module_header h2`` of a pre-2022 module).
_TABLE_TITLE = (
    f"preceding::*[self::div[{has_class('slanted_title')}]"
    f" or self::h2[parent::div[{has_class('module_header')}]]][1]"
)
_TEXT_OUTSIDE_SUB_LINE = f".//text()[not(ancestor::span[{has_class('sub_line')}])]"
_METHOD_TEXT = (
    f"./text() | ./*[not(self::span[{has_class('sub_line')}])"
    f" and not(self::a[{has_class('pbp_btn')}])]//text()"
)


def _trailing_id(regex: re.Pattern[str], href: str | None) -> int | None:
    if not href:
        return None
    m = regex.search(urlsplit(href.strip()).path)
    return int(m.group(1)) if m else None


def fighter_id_from_path(href: str | None) -> int | None:
    """``/fighter/Tom-Aspinall-65231`` (any host, any slug, query ignored) -> 65231."""
    return _trailing_id(_FIGHTER_PATH_RE, href)


def event_id_from_path(href: str | None) -> int | None:
    """``/events/UFC-321-Aspinall-vs-Gane-108759`` -> 108759."""
    return _trailing_id(_EVENT_PATH_RE, href)


def _value(parse: Callable[[str], T], raw: str, kind: str, source: str | None, where: str) -> T:
    try:
        return parse(raw)
    except ValueError as exc:
        raise ParseError(kind, source, f"{where}: {exc}") from None


def _positive(value: float | None) -> float | None:
    """Sherdog prints 0 (``0'0"``, ``0 lbs``) for unknown sizes."""
    return value if value else None


def _unquote(text: str | None) -> str | None:
    return clean_text((text or "").strip().strip(_QUOTES))


def _is_table_head(tr: Selector) -> bool:
    return "table_head" in tr.attrib.get("class", "").split() or not tr.xpath("./td")


# ---------------------------------------------------------------- Fight Finder


def parse_search_results(html: str | bytes, source: str | None = None) -> list[SherdogSearchResult]:
    """Rows of ``/stats/fightfinder?SearchTxt=...`` (``table.fightfinder_result`` only).

    A search that found nothing has no results table but Sherdog's "zero records" message
    (``div.message.sorry``): that page gives an empty list.
    """
    raise_if_blocked(html, SEARCH_KIND, source)
    sel = selector(html)
    table = sel.css("table.fightfinder_result")
    if not table:
        if sel.css(_NO_RESULTS) and "zero records" in text_of(sel.css(_NO_RESULTS)).lower():
            return []
        raise ParseError(
            SEARCH_KIND,
            source,
            f"table.fightfinder_result not found (nor the {_NO_RESULTS} zero-records message)",
            "expected a /stats/fightfinder?SearchTxt=... results page",
        )
    results: list[SherdogSearchResult] = []
    for tr in table[0].xpath("./tbody/tr | ./tr"):
        if _is_table_head(tr):
            continue
        results.append(_search_row(tr, len(results) + 1, source))
    return results


def _search_row(tr: Selector, n: int, source: str | None) -> SherdogSearchResult:
    cells = tr.xpath("./td")
    link = tr.xpath(".//a[contains(@href, '/fighter/')]")
    label = f"result row {n} ({text_of(link) or text_of(tr)[:40] or 'empty'})"
    if len(cells) < 6:
        raise ParseError(SEARCH_KIND, source, f"{label}: expected 6 cells, found {len(cells)}")
    href = link.attrib.get("href") if link else None
    sherdog_id = fighter_id_from_path(href)
    if href is None or sherdog_id is None:
        raise ParseError(SEARCH_KIND, source, f"{label}: no /fighter/<slug>-<id> link")
    img = cells[0].xpath(".//img")
    thumb = (img.attrib.get("data-original") or img.attrib.get("src")) if img else None

    def size(i: int, parse: Callable[[str], float | None], what: str) -> float | None:
        raw = text_of(cells[i].xpath(".//strong")) or text_of(cells[i]).split("(")[0]
        return _positive(_value(parse, raw, SEARCH_KIND, source, f"{label}, {what}"))

    return SherdogSearchResult(
        sherdog_id=sherdog_id,
        name=text_of(link),
        nickname=_unquote(text_of(cells[2])),
        height_in=size(3, parse_height, "height"),
        weight_lbs=size(4, parse_weight, "weight"),
        association=clean_text(text_of(cells[5])),
        path=urlsplit(href.strip()).path,
        thumbnail_path=thumb or None,
    )


# ---------------------------------------------------------------- fighter page


def section_of(title: str | None) -> FightSection:
    """Table title -> section: PRO, PRO EXHIBITION, AMATEUR (any case), else "other"."""
    text = normalize_ws(title).upper()
    if "EXHIBITION" in text:
        return "pro_exhibition"
    if "AMATEUR" in text:
        return "amateur"
    if re.search(r"\bPRO\b", text):
        return "pro"
    return "other"


def _check_not_found(sel: Selector, source: str | None) -> None:
    title = text_of(sel.css("title"))
    headings = " | ".join(text_of(h) for h in sel.css("h1"))
    if "page not found" in f"{title} | {headings}".lower():
        raise PageNotFound(
            FIGHTER_KIND,
            source,
            "Sherdog answered 'Page Not Found' (a 200 page)",
            "the fighter id or slug is wrong, or the fighter was removed",
        )


def page_layout(sel: Selector) -> Layout | None:
    """Which fighter-page layout's data nodes the page has (current first), else None."""
    if any(sel.css(css) for css in _CURRENT_DATA):
        return "current"
    if any(sel.css(css) for css in _PRE2022_DATA):
        return "pre2022"
    return None


def _refuse(source: str | None, why: str) -> ParseError:
    return ParseError(
        FIGHTER_KIND,
        source,
        f"{why}; tried the current layout ({', '.join(_CURRENT_DATA)}) "
        f"and the pre-2022 layout ({', '.join(_PRE2022_DATA)})",
        "expected a /fighter/<Slug>-<id> page",
    )


def parse_fighter_page(
    html: str | bytes, source: str | None = None, sherdog_id: int | None = None
) -> SherdogFighter:
    """``/fighter/<Slug>-<id>`` in either layout: the info block and every fight-history table.

    Raises :class:`BlockedPage` (anti-bot page), :class:`PageNotFound` (Sherdog's 200
    "Page Not Found"), :class:`ParseError` (no fighter data, no name, unreadable row).
    """
    raise_if_blocked(html, FIGHTER_KIND, source)
    sel = selector(html)
    _check_not_found(sel, source)
    layout = page_layout(sel)
    if layout is None:
        raise _refuse(source, "no fighter data (fighter name .fighter-line1 h1 span.fn)")
    name_node = sel.css(_CURRENT_NAME) or sel.css(_ANY_NAME)
    name = text_of(name_node)
    if not name:
        raise _refuse(source, f"{layout} layout page without a fighter name (h1 span.fn)")
    build = _current_fighter if layout == "current" else _pre2022_fighter
    own_id = sherdog_id if sherdog_id is not None else _own_id(sel, source)
    return build(sel, source, own_id, name, _fights(sel, source))


def _field(
    node: Selector | SelectorList[Selector],
    parse: Callable[[str], T],
    what: str,
    source: str | None,
) -> T:
    return _value(parse, text_of(node), FIGHTER_KIND, source, what)


def _counts(raw: dict[str, str], source: str | None) -> dict[str, int | None]:
    """Record counts as printed; a missing box is None (draws and N/C then count as 0)."""
    return {
        key: _value(parse_int, text, FIGHTER_KIND, source, f"{key} count")
        for key, text in raw.items()
    }


def _winloses(sel: Selector, css: str) -> str:
    """Second ``span`` of a ``.winloses`` box (``<span>Wins</span><span>15</span>``)."""
    box = sel.css(css)
    return text_of(box.xpath("(.//span)[2]")) if box else ""


def _current_fighter(
    sel: Selector, source: str | None, sherdog_id: int | None, name: str, fights: list[SherdogFight]
) -> SherdogFighter:
    bio = sel.css(".bio-holder")
    assoc = sel.css(".association-class")
    draws_box = ".winloses.draws" if sel.css(".winloses.draws") else ".winloses.draw"
    counts = _counts(
        {
            "wins": _winloses(sel, ".winloses.win"),
            "losses": _winloses(sel, ".winloses.lose"),
            "draws": _winloses(sel, draws_box),
            "no_contests": _winloses(sel, ".winloses.nc"),
        },
        source,
    )
    return SherdogFighter(
        sherdog_id=sherdog_id,
        name=name,
        nickname=_unquote(text_of(sel.css(".fighter-line2 span.nickname em"))),
        image_path=sel.css('img.profile-image.photo[itemprop="image"]::attr(src)').get(),
        birth_date=_field(bio.css('span[itemprop="birthDate"]'), parse_date, "birth date", source),
        nationality=clean_text(text_of(sel.css('strong[itemprop="nationality"]'))),
        birthplace=clean_text(text_of(sel.css('span[itemprop="addressLocality"]'))),
        height_in=_positive(
            _field(bio.css('b[itemprop="height"]'), parse_height, "height", source)
        ),
        weight_lbs=_positive(
            _field(bio.css('b[itemprop="weight"]'), parse_weight, "weight", source)
        ),
        association=clean_text(
            text_of(assoc.css('a.association span[itemprop="name"]') or assoc.css("a.association"))
        ),
        weight_class=clean_text(text_of(assoc.css('a[href*="weightclass="]'))),
        wins=counts["wins"],
        losses=counts["losses"],
        draws=counts["draws"] or 0,
        no_contests=counts["no_contests"] or 0,
        fights=fights,
    )


# ``div.bio_graph`` boxes of the pre-2022 layout, by their ``span.result`` label
_GRAPH_LABELS = {"wins": "wins", "losses": "losses", "draws": "draws", "n/c": "no_contests"}


def _pre2022_fighter(
    sel: Selector, source: str | None, sherdog_id: int | None, name: str, fights: list[SherdogFight]
) -> SherdogFighter:
    raw = dict.fromkeys(_GRAPH_LABELS.values(), "")
    for graph in sel.css("div.bio_graph"):
        label = text_of(graph.css("span.result")).lower()
        if label in _GRAPH_LABELS:
            raw[_GRAPH_LABELS[label]] = text_of(graph.css("span.counter"))
    counts = _counts(raw, source)
    birthday = sel.css("span.item.birthday")
    assoc = sel.css(".item.association")
    return SherdogFighter(
        sherdog_id=sherdog_id,
        name=name,
        nickname=_unquote(text_of(sel.css("h1 span.nickname em"))),
        image_path=sel.css('img.profile_image.photo[itemprop="image"]::attr(src)').get(),
        # ``<span itemprop="birthDate">1980-07-17</span>``, or ``<span>N/A</span>`` when unknown
        birth_date=_field(
            birthday.css('span[itemprop="birthDate"]') or birthday.xpath("./span[1]"),
            parse_date,
            "birth date",
            source,
        ),
        nationality=clean_text(text_of(sel.css('strong[itemprop="nationality"]'))),
        birthplace=clean_text(text_of(sel.css('span[itemprop="addressLocality"]'))),
        height_in=_positive(
            _field(sel.css("span.item.height strong"), parse_height, "height", source)
        ),
        weight_lbs=_positive(
            _field(sel.css("span.item.weight strong"), parse_weight, "weight", source)
        ),
        association=clean_text(
            text_of(assoc.css('a.association span[itemprop="name"]') or assoc.css("a.association"))
        ),
        weight_class=clean_text(text_of(sel.css(".item.wclass a"))),
        wins=counts["wins"],
        losses=counts["losses"],
        draws=counts["draws"] or 0,
        no_contests=counts["no_contests"] or 0,
        fights=fights,
    )


def _fights(sel: Selector, source: str | None) -> list[SherdogFight]:
    fights: list[SherdogFight] = []
    for table in sel.xpath(_HISTORY_TABLES):
        section = section_of(text_of(table.xpath(_TABLE_TITLE)))
        for tr in table.xpath("./tbody/tr | ./tr"):
            if _is_table_head(tr):
                continue
            fights.append(_fight_row(tr, section, len(fights) + 1, source))
    return fights


def _own_id(sel: Selector, source: str | None) -> int | None:
    """The page's own id: from ``source`` when it is a fighter URL, else the canonical link."""
    candidates = [
        source,
        sel.css('link[rel="canonical"]::attr(href)').get(),
        sel.css('meta[property="og:url"]::attr(content)').get(),
    ]
    return next((i for i in map(fighter_id_from_path, candidates) if i is not None), None)


def _result(cell: Selector) -> FightResult:
    span = cell.css("span.final_result")
    words = (span.attrib.get("class", "") if span else "").split()
    for word in [text_of(span or cell).lower(), *words]:
        if word in _RESULT_WORDS:
            return _RESULT_WORDS[word]
    return "unknown"


def _fight_row(tr: Selector, section: FightSection, n: int, source: str | None) -> SherdogFight:
    cells = tr.xpath("./td")
    label = f"{section} fight row {n}"
    if len(cells) < 6:
        raise ParseError(FIGHTER_KIND, source, f"{label}: expected 6 cells, found {len(cells)}")
    opp_link = cells[1].xpath(".//a")
    opponent = text_of(opp_link or cells[1])
    label = f"{label} (vs {opponent or '?'})"
    event_link = cells[2].xpath(".//a")
    if event_link:
        event_name = text_of(event_link)
    else:  # an event without a page: its name is the cell text before the date line
        event_name = normalize_ws(" ".join(cells[2].xpath(_TEXT_OUTSIDE_SUB_LINE).getall()))
    date_text = text_of(cells[2].css("span.sub_line"))
    winby = cells[3]
    # current layout: <b>KO (Punches)</b>; pre-2022: the bare text before the referee line
    method = text_of(winby.xpath(".//b")) or normalize_ws(
        " ".join(winby.xpath(_METHOD_TEXT).getall())
    )
    return SherdogFight(
        section=section,
        result=_result(cells[0]),
        opponent_name=clean_text(opponent),
        opponent_id=fighter_id_from_path(opp_link.attrib.get("href")) if opp_link else None,
        event_name=clean_text(event_name),
        event_id=event_id_from_path(event_link.attrib.get("href")) if event_link else None,
        date=_value(parse_date, date_text, FIGHTER_KIND, source, f"{label}, date"),
        method=clean_text(method),
        referee=clean_text(text_of(winby.css("span.sub_line"))),
        round=_value(parse_int, text_of(cells[4]), FIGHTER_KIND, source, f"{label}, round"),
        time=clean_text(text_of(cells[5])),
    )
