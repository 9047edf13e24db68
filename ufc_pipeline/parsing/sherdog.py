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

A fighter page is parsed once by lexbor (selectolax) and read with CSS selectors matched in
C: 1.1 ms of CPU a page of the mirror against 1.7 ms for the lxml tree and Python walk it
replaced (2.6 against 3.8 ms on the real pages in tests/fixtures), the same records and
errors from every one of them. The Fight Finder's results page stays an lxml tree: two
lookups and a few rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Literal, TypeVar
from urllib.parse import urlsplit

from lxml import etree
from selectolax.lexbor import LexborHTMLParser, LexborNode

from ufc_pipeline.parsing._html import (
    html_root,
    lexbor_children,
    lexbor_classes,
    lexbor_text,
    lexbor_tree,
    to_text,
)
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
Node = etree._Element

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
_NO_RESULTS = "div.message.sorry"  # the Fight Finder's "zero records" message

# ``detect_block`` (parsing.blocks) answers only for a page whose lower-cased text holds one
# of the body needles, or whose first <title> holds a title needle. They are looked for in
# the page's bytes (ASCII case rules), which finds the same matches as in the decoded text
# unless it holds a character that lower-cases or case-folds to ASCII ("İ", "ı", the Kelvin
# sign): then, as for a page given as text, the full check runs.
_BODY_NEEDLES = (
    b"checking your browser",
    b"cf-browser-verification",
    b"cf_chl_opt",
    b"challenge-platform",
)
_TITLE_NEEDLES = (b"moment", b"cloudflare")  # "just a moment...", "... | cloudflare"
_ASCII_CASED = ((b"\xc4", (b"\xc4\xb0", b"\xc4\xb1")), (b"\xaa", (b"\xe2\x84\xaa",)))
_TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)

_STRING = etree.XPath("string()", smart_strings=False)


# ---------------------------------------------------------------- lxml helpers (Fight Finder)


def _classes(node: Node) -> list[str]:
    return (node.get("class") or "").split()


def _is(node: Node, tag: str | None = None, *classes: str) -> bool:
    """CSS ``tag.class1.class2`` on one node (``tag`` None: any tag)."""
    if tag is not None and node.tag != tag:
        return False
    have = _classes(node)
    return all(c in have for c in classes)


def _down(
    nodes: Iterable[Node], tag: str, test: Callable[[Node], bool] | None = None
) -> Node | None:
    """First ``tag`` element at or under any of ``nodes`` (in their order) passing ``test``."""
    for node in nodes:
        for el in node.iter(tag):
            if test is None or test(el):
                return el
    return None


def _inside(
    nodes: Iterable[Node], tag: str, test: Callable[[Node], bool] | None = None
) -> Node | None:
    """As :func:`_down`, strictly under the nodes (``A tag``, not ``A`` itself)."""
    for node in nodes:
        for el in node.iterdescendants(tag):
            if test is None or test(el):
                return el
    return None


def _first(nodes: Iterable[Node]) -> Node | None:
    return next(iter(nodes), None)


def _text(node: Node | None) -> str:
    """Whitespace-normalised string value of a node (all descendant text); '' when absent."""
    if node is None:
        return ""
    if len(node) == 0:  # no child nodes: the string value is the node's own text
        return normalize_ws(node.text)
    return normalize_ws(_STRING(node))


def _rows(table: Node) -> Iterator[Node]:
    """``./tbody/tr | ./tr`` in document order."""
    for child in table.iterchildren("tr", "tbody"):
        if child.tag == "tr":
            yield child
        else:
            yield from child.iterchildren("tr")


def _cells(tr: Node) -> list[Node]:
    return list(tr.iterchildren("td"))


def _is_table_head(tr: Node) -> bool:
    return "table_head" in _classes(tr) or next(tr.iterchildren("td"), None) is None


def _raise_if_blocked(html: str | bytes, kind: str, source: str | None) -> None:
    """``raise_if_blocked(text, ...)``, skipped when the page's bytes show that it cannot
    be an anti-bot page (lower-casing 90 KB of decoded text costs a tenth of a parse, and
    the page is then not decoded here at all)."""
    if isinstance(html, bytes) and not any(  # (a one-byte search first: it is a memchr)
        lead in html and any(c in html for c in chars) for lead, chars in _ASCII_CASED
    ):
        lower = html.lower()
        m = _TITLE_RE.search(html)
        title = m.group(1).lower() if m else b""
        if not any(n in lower for n in _BODY_NEEDLES) and not any(
            n in title for n in _TITLE_NEEDLES
        ):
            return
    raise_if_blocked(to_text(html), kind, source)


# ---------------------------------------------------------------- small parsers


@lru_cache(maxsize=65_536)  # opponents and events recur from page to page
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
    """Rows of ``/stats/fightfinder?SearchTxt=...`` (``table.fightfinder_result`` only).

    A search that found nothing has no results table but Sherdog's "zero records" message
    (``div.message.sorry``): that page gives an empty list.
    """
    _raise_if_blocked(html, SEARCH_KIND, source)
    root = html_root(html)  # two lookups only: no page walk
    tables = [t for t in root.iter("table") if _is(t, "table", "fightfinder_result")]
    # The Fight Finder can also show an "EVENT RESULTS" table with the same class: its rows
    # link to /events/, the fighters' to /fighter/. Only the fighters' table is read.
    fighter_tables = [t for t in tables if _links_to(t, "/fighter/")]
    table = _first(fighter_tables)
    if table is None:  # (an lxml element's truth is its number of children: never use `or`)
        table = _first(t for t in tables if not _links_to(t, "/events/"))
    if table is None:
        sorry = _first(d for d in root.iter("div") if _is(d, "div", "message", "sorry"))
        if tables or "zero records" in _text(sorry).lower():
            return []  # only event results, or Sherdog's "zero records" message
        raise ParseError(
            SEARCH_KIND,
            source,
            f"table.fightfinder_result not found (nor the {_NO_RESULTS} zero-records message)",
            "expected a /stats/fightfinder?SearchTxt=... results page",
        )
    results: list[SherdogSearchResult] = []
    for tr in _rows(table):
        if _is_table_head(tr):
            continue
        results.append(_search_row(tr, len(results) + 1, source))
    return results


def _links_to(table: Node, path: str) -> bool:
    """Some data row of ``table`` links to ``path`` (``/fighter/`` or ``/events/``)."""
    return any(
        path in (a.get("href") or "")
        for tr in _rows(table)
        if not _is_table_head(tr)
        for a in tr.iter("a")
    )


def _search_row(tr: Node, n: int, source: str | None) -> SherdogSearchResult:
    cells = _cells(tr)
    link = _inside([tr], "a", lambda a: "/fighter/" in (a.get("href") or ""))
    label = f"result row {n} ({_text(link) or _text(tr)[:40] or 'empty'})"
    if len(cells) < 6:
        raise ParseError(SEARCH_KIND, source, f"{label}: expected 6 cells, found {len(cells)}")
    href = link.get("href") if link is not None else None
    sherdog_id = fighter_id_from_path(href)
    if href is None or sherdog_id is None:
        raise ParseError(SEARCH_KIND, source, f"{label}: no /fighter/<slug>-<id> link")
    img = _down(cells[:1], "img")
    thumb = (img.get("data-original") or img.get("src")) if img is not None else None

    def size(i: int, parse: Callable[[str], float | None], what: str) -> float | None:
        raw = _text(_down(cells[i : i + 1], "strong")) or _text(cells[i]).split("(")[0]
        return _positive(_value(parse, raw, SEARCH_KIND, source, f"{label}, {what}"))

    return SherdogSearchResult(
        sherdog_id=sherdog_id,
        name=_text(link),
        nickname=_unquote(_text(cells[2])),
        height_in=size(3, parse_height, "height"),
        weight_lbs=size(4, parse_weight, "weight"),
        association=clean_text(_text(cells[5])),
        path=urlsplit(href.strip()).path,
        thumbnail_path=thumb or None,
    )


# ---------------------------------------------------------------- fighter page
#
# A fighter page (60-120 KB, read for thousands of fighters a run) is parsed by lexbor
# (selectolax) and read with CSS selectors matched in C. A node's ``css`` includes the
# node itself when it matches: ``_down`` (at or under) is ``css_first``, ``_inside``
# (strictly under) skips the node.

LNode = LexborNode


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


def _ldown(nodes: Iterable[LNode], selector: str) -> LNode | None:
    """First element at or under any of ``nodes`` (in their order) matching ``selector``."""
    for node in nodes:
        found = node.css_first(selector)
        if found is not None:
            return found
    return None


def _linside(nodes: Iterable[LNode], selector: str) -> LNode | None:
    """As :func:`_ldown`, strictly under the nodes (``A selector``, not ``A`` itself)."""
    for node in nodes:
        own = node.mem_id
        for found in node.css(selector):
            if found.mem_id != own:
                return found
    return None


def _lrows(table: LNode) -> Iterator[LNode]:
    """``./tbody/tr | ./tr`` in document order."""
    for child in table.iter():
        if child.tag == "tr":
            yield child
        elif child.tag == "tbody":
            yield from (tr for tr in child.iter() if tr.tag == "tr")


def _lis_table_head(tr: LNode) -> bool:
    return "table_head" in lexbor_classes(tr) or not lexbor_children(tr, "td")


def _check_not_found(page: LexborHTMLParser, source: str | None) -> None:
    title = lexbor_text(page.css_first("title"))
    headings = " | ".join(lexbor_text(h) for h in page.css("h1"))
    if "page not found" in f"{title} | {headings}".lower():
        raise PageNotFound(
            FIGHTER_KIND,
            source,
            "Sherdog answered 'Page Not Found' (a 200 page)",
            "the fighter id or slug is wrong, or the fighter was removed",
        )


_CURRENT_NAME = ".fighter-line1 h1[itemprop=name] span.fn"
_ANY_NAME = "h1 span.fn"


def _history_tables(page: LexborHTMLParser) -> set[int]:
    """``table.new_table.fighter``, and the tables of ``div.module.fight_history`` whose head
    row starts with "Result" (the pre-2022 "Upcoming Fights" table starts with "Date"), by
    node id."""
    tables = {t.mem_id for t in page.css("table.new_table.fighter")}
    for module in page.css("div.module.fight_history"):
        for table in module.css("table"):
            head = next((tr for tr in _lrows(table) if "table_head" in lexbor_classes(tr)), None)
            first = lexbor_children(head, "td") if head is not None else []
            if first and lexbor_text(first[0]) == "Result":
                tables.add(table.mem_id)
    return tables


def _layout(page: LexborHTMLParser) -> Layout | None:
    """Which fighter-page layout's data nodes the page has (current first), else None."""
    if any(
        page.css_first(selector) is not None
        for selector in (
            _CURRENT_NAME,
            ".bio-holder",
            ".winsloses-holder .winloses",
            "table.new_table.fighter",
        )
    ):
        return "current"
    if any(
        page.css_first(selector) is not None
        for selector in (
            _ANY_NAME,
            "span.item.birthday",
            "div.bio_graph span.counter",
            "div.module.fight_history .module_header h2",
        )
    ):
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
    _raise_if_blocked(html, FIGHTER_KIND, source)
    page = lexbor_tree(html)
    _check_not_found(page, source)
    layout = _layout(page)
    if layout is None:
        raise _refuse(source, "no fighter data (fighter name .fighter-line1 h1 span.fn)")
    name = lexbor_text(page.css_first(_CURRENT_NAME) or page.css_first(_ANY_NAME))
    if not name:
        raise _refuse(source, f"{layout} layout page without a fighter name (h1 span.fn)")
    build = _current_fighter if layout == "current" else _pre2022_fighter
    own_id = sherdog_id if sherdog_id is not None else _own_id(page, source)
    return build(page, source, own_id, name, _fights(page, source))


def _field(node: LNode | None, parse: Callable[[str], T], what: str, source: str | None) -> T:
    return _value(parse, lexbor_text(node), FIGHTER_KIND, source, what)


def _counts(raw: dict[str, str], source: str | None) -> dict[str, int | None]:
    """Record counts as printed; a missing box is None (draws and N/C then count as 0)."""
    return {
        key: _value(parse_int, text, FIGHTER_KIND, source, f"{key} count")
        for key, text in raw.items()
    }


def _association(blocks: list[LNode]) -> str | None:
    """``a.association span[itemprop=name]``, else ``a.association``, inside the blocks."""
    links = [a for block in blocks for a in block.css("a.association")]
    name = _linside(links, "span[itemprop=name]")
    return clean_text(lexbor_text(name if name is not None else next(iter(links), None)))


def _common(page: LexborHTMLParser) -> dict[str, str | None]:
    """``strong[itemprop=nationality]`` and ``span[itemprop=addressLocality]`` (both layouts)."""
    return {
        "nationality": clean_text(lexbor_text(page.css_first("strong[itemprop=nationality]"))),
        "birthplace": clean_text(lexbor_text(page.css_first("span[itemprop=addressLocality]"))),
    }


def parse_fighter_bio(html: str | bytes, source: str | None = None) -> dict[str, str | None]:
    """Only the origins of a fighter page: nationality, birthplace and association (the same
    nodes and text as :func:`parse_fighter_page`, without reading its fight history). An
    anti-bot page raises ``BlockedPage``."""
    _raise_if_blocked(html, FIGHTER_KIND, source)
    page = lexbor_tree(html)
    return {**_common(page), "association": _association([page.root])}


def _current_fighter(
    page: LexborHTMLParser,
    source: str | None,
    sherdog_id: int | None,
    name: str,
    fights: list[SherdogFight],
) -> SherdogFighter:
    bio = page.css(".bio-holder")
    assoc = page.css(".association-class")
    image = page.css_first("img.photo.profile-image[itemprop=image]")

    def box(kind: str) -> str:
        """The second span of a ``.winloses`` box: <span>Wins</span><span>15</span>."""
        found = page.css_first(f".winloses.{kind}")
        if found is None:
            return ""
        spans = [s for s in found.css("span") if s.mem_id != found.mem_id]
        return lexbor_text(spans[1]) if len(spans) > 1 else ""

    draws = "draws" if page.css_first(".winloses.draws") is not None else "draw"
    counts = _counts(
        {"wins": box("win"), "losses": box("lose"), "draws": box(draws), "no_contests": box("nc")},
        source,
    )
    return SherdogFighter(
        sherdog_id=sherdog_id,
        name=name,
        nickname=_unquote(lexbor_text(page.css_first(".fighter-line2 span.nickname em"))),
        image_path=image.attributes.get("src") if image is not None else None,
        birth_date=_field(
            _ldown(bio, "span[itemprop=birthDate]"), parse_date, "birth date", source
        ),
        **_common(page),
        height_in=_positive(
            _field(_ldown(bio, "b[itemprop=height]"), parse_height, "height", source)
        ),
        weight_lbs=_positive(
            _field(_ldown(bio, "b[itemprop=weight]"), parse_weight, "weight", source)
        ),
        association=_association(assoc),
        weight_class=clean_text(lexbor_text(_ldown(assoc, 'a[href*="weightclass="]'))),
        wins=counts["wins"],
        losses=counts["losses"],
        draws=counts["draws"] or 0,
        no_contests=counts["no_contests"] or 0,
        fights=fights,
    )


# ``div.bio_graph`` boxes of the pre-2022 layout, by their ``span.result`` label
_GRAPH_LABELS = {"wins": "wins", "losses": "losses", "draws": "draws", "n/c": "no_contests"}


def _pre2022_fighter(
    page: LexborHTMLParser,
    source: str | None,
    sherdog_id: int | None,
    name: str,
    fights: list[SherdogFight],
) -> SherdogFighter:
    raw = dict.fromkeys(_GRAPH_LABELS.values(), "")
    for graph in page.css("div.bio_graph"):
        label = lexbor_text(graph.css_first("span.result")).lower()
        if label in _GRAPH_LABELS:
            raw[_GRAPH_LABELS[label]] = lexbor_text(graph.css_first("span.counter"))
    counts = _counts(raw, source)
    birthday = page.css("span.item.birthday")
    birth = _ldown(birthday, "span[itemprop=birthDate]")
    if birth is None:  # ``<span>N/A</span>`` when unknown
        birth = next((s for b in birthday for s in b.iter() if s.tag == "span"), None)
    image = page.css_first("img.photo.profile_image[itemprop=image]")
    return SherdogFighter(
        sherdog_id=sherdog_id,
        name=name,
        nickname=_unquote(lexbor_text(page.css_first("h1 span.nickname em"))),
        image_path=image.attributes.get("src") if image is not None else None,
        # ``<span itemprop="birthDate">1980-07-17</span>``, or ``<span>N/A</span>`` when unknown
        birth_date=_field(birth, parse_date, "birth date", source),
        **_common(page),
        height_in=_positive(
            _field(page.css_first("span.item.height strong"), parse_height, "height", source)
        ),
        weight_lbs=_positive(
            _field(page.css_first("span.item.weight strong"), parse_weight, "weight", source)
        ),
        association=_association(page.css(".item.association")),
        weight_class=clean_text(lexbor_text(page.css_first(".item.wclass a"))),
        wins=counts["wins"],
        losses=counts["losses"],
        draws=counts["draws"] or 0,
        no_contests=counts["no_contests"] or 0,
        fights=fights,
    )


def _fights(page: LexborHTMLParser, source: str | None) -> list[SherdogFight]:
    """Every fight-history table, labelled by the nearest title before it: a
    ``div.slanted_title``, or an ``h2`` whose parent is ``div.module_header``."""
    history = _history_tables(page)
    fights: list[SherdogFight] = []
    titles: list[LNode] = []
    for el in page.css("table, h2, div.slanted_title"):
        if el.tag != "table":
            parent = el.parent
            if el.tag == "div" or (
                parent is not None
                and parent.tag == "div"
                and "module_header" in lexbor_classes(parent)
            ):
                titles.append(el)
            continue
        if el.mem_id not in history:
            continue
        ancestors = set()
        up = el.parent
        while up is not None:
            ancestors.add(up.mem_id)
            up = up.parent
        title = next((t for t in reversed(titles) if t.mem_id not in ancestors), None)
        section = section_of(lexbor_text(title))
        for tr in _lrows(el):
            if _lis_table_head(tr):
                continue
            fights.append(_fight_row(tr, section, len(fights) + 1, source))
    return fights


def _own_id(page: LexborHTMLParser, source: str | None) -> int | None:
    """The page's own id: from ``source`` when it is a fighter URL, else the canonical link."""
    canonical = page.css_first("link[rel=canonical]")
    og_url = page.css_first('meta[property="og:url"]')
    candidates = [
        source,
        canonical.attributes.get("href") if canonical is not None else None,
        og_url.attributes.get("content") if og_url is not None else None,
    ]
    return next((i for i in map(fighter_id_from_path, candidates) if i is not None), None)


def _result(cell: LNode) -> FightResult:
    span = cell.css_first("span.final_result")
    words = lexbor_classes(span) if span is not None else []
    for word in [lexbor_text(span if span is not None else cell).lower(), *words]:
        if word in _RESULT_WORDS:
            return _RESULT_WORDS[word]
    return "unknown"


def _text_nodes(node: LNode, out: list[str], skip: Callable[[LNode], bool]) -> None:
    """The text nodes under ``node`` in document order, not those under an element that
    ``skip`` accepts (comments are not text)."""
    for child in node.iter(include_text=True):
        if child.is_text_node:
            out.append(child.text_content or "")
        elif child.is_element_node and not skip(child):
            _text_nodes(child, out, skip)


def _no_element(el: LNode) -> bool:
    return False


def _is_sub_line(el: LNode) -> bool:
    return el.tag == "span" and "sub_line" in lexbor_classes(el)


def _is_method_aside(el: LNode) -> bool:
    """The referee line (``span.sub_line``) or the play-by-play button (``a.pbp_btn``)."""
    return _is_sub_line(el) or (el.tag == "a" and "pbp_btn" in lexbor_classes(el))


def _fight_row(tr: LNode, section: FightSection, n: int, source: str | None) -> SherdogFight:
    cells = lexbor_children(tr, "td")
    label = f"{section} fight row {n}"
    if len(cells) < 6:
        raise ParseError(FIGHTER_KIND, source, f"{label}: expected 6 cells, found {len(cells)}")
    opp_link = _linside(cells[1:2], "a")
    opponent = lexbor_text(opp_link if opp_link is not None else cells[1])
    label = f"{label} (vs {opponent or '?'})"
    event_link = _linside(cells[2:3], "a")
    if event_link is not None:
        event_name = lexbor_text(event_link)
    else:  # an event without a page: its name is the cell text before the date line
        parts: list[str] = []
        _text_nodes(cells[2], parts, _is_sub_line)
        event_name = normalize_ws(" ".join(parts))
    winby = cells[3]
    # current layout: <b>KO (Punches)</b>; pre-2022: the bare text before the referee line
    method = lexbor_text(_linside([winby], "b"))
    if not method:  # ./text() | ./*[not(span.sub_line) and not(a.pbp_btn)]//text()
        parts = []
        for child in winby.iter(include_text=True):
            if child.is_text_node:
                parts.append(child.text_content or "")
            elif child.is_element_node and not _is_method_aside(child):
                _text_nodes(child, parts, _no_element)
        method = normalize_ws(" ".join(parts))
    opp_href = opp_link.attributes.get("href") if opp_link is not None else None
    event_href = event_link.attributes.get("href") if event_link is not None else None
    return SherdogFight(
        section=section,
        result=_result(cells[0]),
        opponent_name=clean_text(opponent),
        opponent_id=fighter_id_from_path(opp_href),
        event_name=clean_text(event_name),
        event_id=event_id_from_path(event_href),
        date=_value(
            parse_date,
            lexbor_text(cells[2].css_first("span.sub_line")),
            FIGHTER_KIND,
            source,
            f"{label}, date",
        ),
        method=clean_text(method),
        referee=clean_text(lexbor_text(winby.css_first("span.sub_line"))),
        round=_value(parse_int, lexbor_text(cells[4]), FIGHTER_KIND, source, f"{label}, round"),
        time=clean_text(lexbor_text(cells[5])),
    )
