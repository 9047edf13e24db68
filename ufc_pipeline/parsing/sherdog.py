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

Each page is parsed once into an lxml tree and walked once (:class:`_Page`) to index the
few nodes the selectors start from; the selectors then run in Python over those nodes and
their small subtrees, without an XPath scan or a parsel ``Selector`` per lookup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Literal, TypeVar
from urllib.parse import urlsplit

from lxml import etree

from ufc_pipeline.parsing._html import has_class, html_root, to_text
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

# The only classes, itemprops and tags the page walk indexes.
_CLASSES = frozenset(
    "fn nickname bio-holder association-class winloses bio_graph item photo new_table"
    " fight_history module_header slanted_title fightfinder_result sorry".split()
)
_ITEMPROPS = frozenset(("nationality", "addressLocality"))
_TAGS = frozenset(("title", "h1", "link", "meta"))

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
_TEXT_OUTSIDE_SUB_LINE = etree.XPath(
    f".//text()[not(ancestor::span[{has_class('sub_line')}])]", smart_strings=False
)
_METHOD_TEXT = etree.XPath(
    f"./text() | ./*[not(self::span[{has_class('sub_line')}])"
    f" and not(self::a[{has_class('pbp_btn')}])]//text()",
    smart_strings=False,
)


# ---------------------------------------------------------------- tree helpers


def _classes(node: Node) -> list[str]:
    return (node.get("class") or "").split()


def _is(node: Node, tag: str | None = None, *classes: str) -> bool:
    """CSS ``tag.class1.class2`` on one node (``tag`` None: any tag)."""
    if tag is not None and node.tag != tag:
        return False
    have = _classes(node)
    return all(c in have for c in classes)


def _under(node: Node, test: Callable[[Node], bool]) -> bool:
    """Some ancestor of ``node`` passes ``test`` (CSS descendant combinator)."""
    return any(test(a) for a in node.iterancestors())


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


def _either(node: Node | None, fallback: Node | None) -> Node | None:
    """``node``, else ``fallback`` (elements must not be truth-tested: that counts children)."""
    return node if node is not None else fallback


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


class _Page:
    """A page parsed once: its tree and, from one walk, the nodes the selectors start from."""

    def __init__(self, html: str | bytes) -> None:
        self.root = root = html_root(html)
        # (lxml's iter(tag...) filters in C: only the elements asked for become Python objects)
        self.by_tag: dict[str, list[Node]] = {t: list(root.iter(t)) for t in _TAGS}
        # every table and h2, and the div.slanted_title boxes, in document order
        self.tables_and_titles: list[Node] = [
            el
            for el in root.iter("table", "h2", "div")
            if el.tag != "div" or "slanted_title" in _classes(el)
        ]
        self.by_prop: dict[str, list[Node]] = {p: [] for p in _ITEMPROPS}
        for el in root.iter("strong", "span"):  # the only tags read by itemprop
            prop = el.get("itemprop")
            if prop in _ITEMPROPS:
                self.by_prop[prop].append(el)
        self.by_class: dict[str, list[Node]] = {c: [] for c in _CLASSES}
        for el in root.iter(etree.Element):
            cls = el.get("class")
            if cls:
                tokens = cls.split()
                if not _CLASSES.isdisjoint(tokens):
                    for token in _CLASSES.intersection(tokens):
                        self.by_class[token].append(el)

    def cls(self, token: str, tag: str | None = None, *more: str) -> Iterator[Node]:
        """CSS ``tag.token.more...`` over the whole page, in document order."""
        return (el for el in self.by_class[token] if _is(el, tag, *more))


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


def _check_not_found(page: _Page, source: str | None) -> None:
    title = _text(_first(page.by_tag["title"]))
    headings = " | ".join(_text(h) for h in page.by_tag["h1"])
    if "page not found" in f"{title} | {headings}".lower():
        raise PageNotFound(
            FIGHTER_KIND,
            source,
            "Sherdog answered 'Page Not Found' (a 200 page)",
            "the fighter id or slug is wrong, or the fighter was removed",
        )


def _current_names(page: _Page) -> Iterator[Node]:
    """``.fighter-line1 h1[itemprop=name] span.fn``"""
    for span in page.cls("fn", "span"):
        for h1 in span.iterancestors("h1"):
            if h1.get("itemprop") == "name" and _under(h1, lambda a: _is(a, None, "fighter-line1")):
                yield span
                break


def _any_names(page: _Page) -> Iterator[Node]:
    """``h1 span.fn``"""
    return (
        span for span in page.cls("fn", "span") if next(span.iterancestors("h1"), None) is not None
    )


def _history_tables(page: _Page) -> set[Node]:
    """``table.new_table.fighter``, and the tables of ``div.module.fight_history`` whose head
    row starts with "Result" (the pre-2022 "Upcoming Fights" table starts with "Date")."""
    tables = set(page.cls("new_table", "table", "fighter"))
    for module in page.cls("fight_history", "div", "module"):
        for table in module.iterdescendants("table"):
            head = next((tr for tr in _rows(table) if "table_head" in _classes(tr)), None)
            first = next(head.iterchildren("td"), None) if head is not None else None
            if first is not None and _text(first) == "Result":
                tables.add(table)
    return tables


def _layout(page: _Page) -> Layout | None:
    """Which fighter-page layout's data nodes the page has (current first), else None."""
    current = (
        _first(_current_names(page)) is not None
        or bool(page.by_class["bio-holder"])
        or any(
            _under(el, lambda a: _is(a, None, "winsloses-holder")) for el in page.cls("winloses")
        )
        or _first(page.cls("new_table", "table", "fighter")) is not None
    )
    if current:
        return "current"
    pre2022 = (
        _first(_any_names(page)) is not None
        or _first(page.cls("item", "span", "birthday")) is not None
        or _inside(page.cls("bio_graph", "div"), "span", lambda s: _is(s, None, "counter"))
        is not None
        or any(
            _under(h, lambda a: _is(a, "div", "module", "fight_history"))
            and next(h.iterdescendants("h2"), None) is not None
            for h in page.by_class["module_header"]
        )
    )
    return "pre2022" if pre2022 else None


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
    page = _Page(html)
    _check_not_found(page, source)
    layout = _layout(page)
    if layout is None:
        raise _refuse(source, "no fighter data (fighter name .fighter-line1 h1 span.fn)")
    name = _text(_either(_first(_current_names(page)), _first(_any_names(page))))
    if not name:
        raise _refuse(source, f"{layout} layout page without a fighter name (h1 span.fn)")
    build = _current_fighter if layout == "current" else _pre2022_fighter
    own_id = sherdog_id if sherdog_id is not None else _own_id(page, source)
    return build(page, source, own_id, name, _fights(page, source))


def _field(node: Node | None, parse: Callable[[str], T], what: str, source: str | None) -> T:
    return _value(parse, _text(node), FIGHTER_KIND, source, what)


def _counts(raw: dict[str, str], source: str | None) -> dict[str, int | None]:
    """Record counts as printed; a missing box is None (draws and N/C then count as 0)."""
    return {
        key: _value(parse_int, text, FIGHTER_KIND, source, f"{key} count")
        for key, text in raw.items()
    }


def _prop(name: str) -> Callable[[Node], bool]:
    return lambda el: el.get("itemprop") == name


def _association(blocks: list[Node]) -> str | None:
    """``a.association span[itemprop=name]``, else ``a.association``, inside the blocks."""
    links = [a for block in blocks for a in block.iter("a") if _is(a, None, "association")]
    name = _inside(links, "span", _prop("name"))
    return clean_text(_text(_either(name, _first(links))))


def _common(page: _Page) -> dict[str, str | None]:
    """``strong[itemprop=nationality]`` and ``span[itemprop=addressLocality]`` (both layouts)."""
    nationality = _first(el for el in page.by_prop["nationality"] if el.tag == "strong")
    locality = _first(el for el in page.by_prop["addressLocality"] if el.tag == "span")
    return {
        "nationality": clean_text(_text(nationality)),
        "birthplace": clean_text(_text(locality)),
    }


def parse_fighter_bio(html: str | bytes, source: str | None = None) -> dict[str, str | None]:
    """Only the origins of a fighter page: nationality, birthplace and association (the same
    nodes and text as :func:`parse_fighter_page`, without building the whole page or its
    fight history; a quarter of its cost). An anti-bot page raises ``BlockedPage``."""
    _raise_if_blocked(html, FIGHTER_KIND, source)
    root = html_root(html)
    nationality = _first(root.iterfind(".//strong[@itemprop='nationality']"))
    locality = _first(root.iterfind(".//span[@itemprop='addressLocality']"))
    links = [a for a in root.iter("a") if _is(a, None, "association")]
    name = _inside(links, "span", _prop("name"))
    return {
        "nationality": clean_text(_text(nationality)),
        "birthplace": clean_text(_text(locality)),
        "association": clean_text(_text(_either(name, _first(links)))),
    }


def _current_fighter(
    page: _Page, source: str | None, sherdog_id: int | None, name: str, fights: list[SherdogFight]
) -> SherdogFighter:
    bio = page.by_class["bio-holder"]
    assoc = page.by_class["association-class"]
    image = _first(el for el in page.cls("photo", "img", "profile-image") if _prop("image")(el))

    def box(
        kind: str,
    ) -> str:  # second span of a ``.winloses`` box: <span>Wins</span><span>15</span>
        found = _first(page.cls("winloses", None, kind))
        spans = list(found.iterdescendants("span")) if found is not None else []
        return _text(spans[1]) if len(spans) > 1 else ""

    draws = "draws" if _first(page.cls("winloses", None, "draws")) is not None else "draw"
    counts = _counts(
        {"wins": box("win"), "losses": box("lose"), "draws": box(draws), "no_contests": box("nc")},
        source,
    )
    nickname = _inside(
        (
            s
            for s in page.cls("nickname", "span")
            if _under(s, lambda a: _is(a, None, "fighter-line2"))
        ),
        "em",
    )
    return SherdogFighter(
        sherdog_id=sherdog_id,
        name=name,
        nickname=_unquote(_text(nickname)),
        image_path=image.get("src") if image is not None else None,
        birth_date=_field(_down(bio, "span", _prop("birthDate")), parse_date, "birth date", source),
        **_common(page),
        height_in=_positive(
            _field(_down(bio, "b", _prop("height")), parse_height, "height", source)
        ),
        weight_lbs=_positive(
            _field(_down(bio, "b", _prop("weight")), parse_weight, "weight", source)
        ),
        association=_association(assoc),
        weight_class=clean_text(
            _text(_down(assoc, "a", lambda a: "weightclass=" in (a.get("href") or "")))
        ),
        wins=counts["wins"],
        losses=counts["losses"],
        draws=counts["draws"] or 0,
        no_contests=counts["no_contests"] or 0,
        fights=fights,
    )


# ``div.bio_graph`` boxes of the pre-2022 layout, by their ``span.result`` label
_GRAPH_LABELS = {"wins": "wins", "losses": "losses", "draws": "draws", "n/c": "no_contests"}


def _pre2022_fighter(
    page: _Page, source: str | None, sherdog_id: int | None, name: str, fights: list[SherdogFight]
) -> SherdogFighter:
    raw = dict.fromkeys(_GRAPH_LABELS.values(), "")
    for graph in page.cls("bio_graph", "div"):
        label = _text(_down([graph], "span", lambda s: _is(s, None, "result"))).lower()
        if label in _GRAPH_LABELS:
            raw[_GRAPH_LABELS[label]] = _text(
                _down([graph], "span", lambda s: _is(s, None, "counter"))
            )
    counts = _counts(raw, source)
    birthday = list(page.cls("item", "span", "birthday"))
    image = _first(el for el in page.cls("photo", "img", "profile_image") if _prop("image")(el))
    nickname = _inside(
        (s for s in page.cls("nickname", "span") if next(s.iterancestors("h1"), None) is not None),
        "em",
    )
    return SherdogFighter(
        sherdog_id=sherdog_id,
        name=name,
        nickname=_unquote(_text(nickname)),
        image_path=image.get("src") if image is not None else None,
        # ``<span itemprop="birthDate">1980-07-17</span>``, or ``<span>N/A</span>`` when unknown
        birth_date=_field(
            _either(
                _down(birthday, "span", _prop("birthDate")),
                _first(s for b in birthday for s in b.iterchildren("span")),
            ),
            parse_date,
            "birth date",
            source,
        ),
        **_common(page),
        height_in=_positive(
            _field(
                _inside(page.cls("item", "span", "height"), "strong"),
                parse_height,
                "height",
                source,
            )
        ),
        weight_lbs=_positive(
            _field(
                _inside(page.cls("item", "span", "weight"), "strong"),
                parse_weight,
                "weight",
                source,
            )
        ),
        association=_association(list(page.cls("item", None, "association"))),
        weight_class=clean_text(_text(_inside(page.cls("item", None, "wclass"), "a"))),
        wins=counts["wins"],
        losses=counts["losses"],
        draws=counts["draws"] or 0,
        no_contests=counts["no_contests"] or 0,
        fights=fights,
    )


def _is_title(el: Node) -> bool:
    """A table label: ``div.slanted_title`` or an ``h2`` whose parent is ``div.module_header``."""
    if el.tag == "div":
        return True  # only ``div.slanted_title`` boxes are listed with the tables
    parent = el.getparent()
    return el.tag == "h2" and parent is not None and _is(parent, "div", "module_header")


def _fights(page: _Page, source: str | None) -> list[SherdogFight]:
    """Every fight-history table, labelled by the nearest title before it."""
    history = _history_tables(page)
    fights: list[SherdogFight] = []
    titles: list[Node] = []
    for el in page.tables_and_titles:
        if el.tag != "table":
            if _is_title(el):
                titles.append(el)
            continue
        if el not in history:
            continue
        ancestors = set(el.iterancestors())
        title = next((t for t in reversed(titles) if t not in ancestors), None)
        section = section_of(_text(title))
        for tr in _rows(el):
            if _is_table_head(tr):
                continue
            fights.append(_fight_row(tr, section, len(fights) + 1, source))
    return fights


def _own_id(page: _Page, source: str | None) -> int | None:
    """The page's own id: from ``source`` when it is a fighter URL, else the canonical link."""
    canonical = _first(el for el in page.by_tag["link"] if el.get("rel") == "canonical")
    og_url = _first(el for el in page.by_tag["meta"] if el.get("property") == "og:url")
    candidates = [
        source,
        canonical.get("href") if canonical is not None else None,
        og_url.get("content") if og_url is not None else None,
    ]
    return next((i for i in map(fighter_id_from_path, candidates) if i is not None), None)


def _result(cell: Node) -> FightResult:
    span = _down([cell], "span", lambda s: _is(s, None, "final_result"))
    words = _classes(span) if span is not None else []
    for word in [_text(span if span is not None else cell).lower(), *words]:
        if word in _RESULT_WORDS:
            return _RESULT_WORDS[word]
    return "unknown"


def _sub_line(cell: Node) -> Node | None:
    """The first ``span.sub_line`` at or under ``cell``."""
    for span in cell.iter("span"):
        if "sub_line" in _classes(span):
            return span
    return None


def _fight_row(tr: Node, section: FightSection, n: int, source: str | None) -> SherdogFight:
    cells = _cells(tr)
    label = f"{section} fight row {n}"
    if len(cells) < 6:
        raise ParseError(FIGHTER_KIND, source, f"{label}: expected 6 cells, found {len(cells)}")
    opp_link = _inside(cells[1:2], "a")
    opponent = _text(_either(opp_link, cells[1]))
    label = f"{label} (vs {opponent or '?'})"
    event_link = _inside(cells[2:3], "a")
    if event_link is not None:
        event_name = _text(event_link)
    else:  # an event without a page: its name is the cell text before the date line
        event_name = normalize_ws(" ".join(_TEXT_OUTSIDE_SUB_LINE(cells[2])))
    winby = cells[3]
    # current layout: <b>KO (Punches)</b>; pre-2022: the bare text before the referee line
    method = _text(_inside([winby], "b")) or normalize_ws(" ".join(_METHOD_TEXT(winby)))
    return SherdogFight(
        section=section,
        result=_result(cells[0]),
        opponent_name=clean_text(opponent),
        opponent_id=fighter_id_from_path(opp_link.get("href")) if opp_link is not None else None,
        event_name=clean_text(event_name),
        event_id=event_id_from_path(event_link.get("href")) if event_link is not None else None,
        date=_value(parse_date, _text(_sub_line(cells[2])), FIGHTER_KIND, source, f"{label}, date"),
        method=clean_text(method),
        referee=clean_text(_text(_sub_line(winby))),
        round=_value(parse_int, _text(cells[4]), FIGHTER_KIND, source, f"{label}, round"),
        time=clean_text(_text(cells[5])),
    )
