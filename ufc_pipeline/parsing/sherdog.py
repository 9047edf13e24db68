"""Parsers for Sherdog pages (current layout, since the Dec 2021 / Jan 2022 redesign).

Pure functions: HTML in, records out. Only the result table of the Fight Finder and the
``table.new_table.fighter`` history tables of a fighter page are read, so the fighter
links in sidebars, "trending" boxes and headers never turn into results or fights. The
old pre-2022 layout (``div.module.bio_fighter``) is refused with a clear error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar
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
_SLANTED_TITLE = f"preceding::div[{has_class('slanted_title')}][1]"
_TEXT_OUTSIDE_SUB_LINE = f".//text()[not(ancestor::span[{has_class('sub_line')}])]"
T = TypeVar("T")


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


# ---------------------------------------------------------------- Fight Finder


def parse_search_results(html: str | bytes, source: str | None = None) -> list[SherdogSearchResult]:
    """Rows of ``/stats/fightfinder?SearchTxt=...`` (``table.fightfinder_result`` only)."""
    raise_if_blocked(html, SEARCH_KIND, source)
    sel = selector(html)
    table = sel.css("table.fightfinder_result")
    if not table:
        raise ParseError(
            SEARCH_KIND,
            source,
            "table.fightfinder_result not found",
            "expected a /stats/fightfinder?SearchTxt=... results page",
        )
    results: list[SherdogSearchResult] = []
    for tr in table[0].xpath("./tbody/tr | ./tr"):
        if "table_head" in tr.attrib.get("class", "").split() or not tr.xpath("./td"):
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
    """Slanted-title text -> section: PRO, PRO EXHIBITION, AMATEUR, else "other"."""
    text = normalize_ws(title).upper()
    if "EXHIBITION" in text:
        return "pro_exhibition"
    if "AMATEUR" in text:
        return "amateur"
    if re.search(r"\bPRO\b", text):
        return "pro"
    return "other"


def _check_page(sel: Selector, source: str | None) -> None:
    title = text_of(sel.css("title"))
    headings = " | ".join(text_of(h) for h in sel.css("h1"))
    if "page not found" in f"{title} | {headings}".lower():
        raise PageNotFound(
            FIGHTER_KIND,
            source,
            "Sherdog answered 'Page Not Found' (a 200 page)",
            "the fighter id or slug is wrong, or the fighter was removed",
        )
    if sel.css("div.module.bio_fighter, div.bio_fighter"):
        raise ParseError(
            FIGHTER_KIND,
            source,
            "fighter info block (.fighter-line1 h1 span.fn) not found",
            "the page uses Sherdog's old pre-2022 layout (div.module.bio_fighter), "
            "which is not supported; save the page again from the current site",
        )


def _count(sel: Selector, css: str) -> str:
    """Second ``span`` of a ``.winloses`` box (``<span>Wins</span><span>15</span>``)."""
    box = sel.css(css)
    return text_of(box.xpath("(.//span)[2]")) if box else ""


def parse_fighter_page(
    html: str | bytes, source: str | None = None, sherdog_id: int | None = None
) -> SherdogFighter:
    """``/fighter/<Slug>-<id>``: the info block and every fight-history table.

    Raises :class:`BlockedPage` (anti-bot page), :class:`PageNotFound` (Sherdog's 200
    "Page Not Found"), :class:`ParseError` (no name, old layout, unreadable row).
    """
    raise_if_blocked(html, FIGHTER_KIND, source)
    sel = selector(html)
    _check_page(sel, source)
    name = text_of(sel.css('.fighter-line1 h1[itemprop="name"] span.fn'))
    if not name:
        raise ParseError(
            FIGHTER_KIND,
            source,
            "fighter name (.fighter-line1 h1 span.fn) not found",
            "expected a current-layout /fighter/<Slug>-<id> page",
        )
    bio = sel.css(".bio-holder")
    assoc = sel.css(".association-class")

    def field(node: Selector | SelectorList[Selector], parse: Callable[[str], T], what: str) -> T:
        return _value(parse, text_of(node), FIGHTER_KIND, source, what)

    draws_box = ".winloses.draws" if sel.css(".winloses.draws") else ".winloses.draw"
    counts = {
        key: _value(parse_int, _count(sel, css), FIGHTER_KIND, source, css)
        for key, css in (
            ("wins", ".winloses.win"),
            ("losses", ".winloses.lose"),
            ("nc", ".winloses.nc"),
            ("draws", draws_box),
        )
    }
    fights: list[SherdogFight] = []
    for table in sel.css("table.new_table.fighter"):
        section = section_of(text_of(table.xpath(_SLANTED_TITLE)))
        for tr in table.xpath("./tbody/tr | ./tr"):
            if "table_head" in tr.attrib.get("class", "").split() or not tr.xpath("./td"):
                continue
            fights.append(_fight_row(tr, section, len(fights) + 1, source))

    return SherdogFighter(
        sherdog_id=sherdog_id if sherdog_id is not None else _own_id(sel, source),
        name=name,
        nickname=_unquote(text_of(sel.css(".fighter-line2 span.nickname em"))),
        image_path=sel.css('img.profile-image.photo[itemprop="image"]::attr(src)').get(),
        birth_date=field(bio.css('span[itemprop="birthDate"]'), parse_date, "birth date"),
        nationality=clean_text(text_of(sel.css('strong[itemprop="nationality"]'))),
        birthplace=clean_text(text_of(sel.css('span[itemprop="addressLocality"]'))),
        height_in=_positive(field(bio.css('b[itemprop="height"]'), parse_height, "height")),
        weight_lbs=_positive(field(bio.css('b[itemprop="weight"]'), parse_weight, "weight")),
        association=clean_text(
            text_of(assoc.css('a.association span[itemprop="name"]') or assoc.css("a.association"))
        ),
        weight_class=clean_text(text_of(assoc.css('a[href*="weightclass="]'))),
        wins=counts["wins"],
        losses=counts["losses"],
        draws=counts["draws"] or 0,
        no_contests=counts["nc"] or 0,
        fights=fights,
    )


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
    winby = tr.css("td.winby") or cells[3:4]
    return SherdogFight(
        section=section,
        result=_result(cells[0]),
        opponent_name=clean_text(opponent),
        opponent_id=fighter_id_from_path(opp_link.attrib.get("href")) if opp_link else None,
        event_name=clean_text(event_name),
        event_id=event_id_from_path(event_link.attrib.get("href")) if event_link else None,
        date=_value(parse_date, date_text, FIGHTER_KIND, source, f"{label}, date"),
        method=clean_text(text_of(winby.xpath(".//b"))),
        referee=clean_text(text_of(winby.css("span.sub_line"))),
        round=_value(parse_int, text_of(cells[4]), FIGHTER_KIND, source, f"{label}, round"),
        time=clean_text(text_of(cells[5])),
    )
