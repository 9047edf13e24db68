"""Parsers for UFC.com pages: athlete pages, the first athletes list page, the rankings.

Pure functions: HTML in, records out. The selectors follow the real pages (Drupal 10, 2026)
described in ``UFCCOM_WIKIMEDIA.md`` sections A2-A4:

* athlete page ``/athlete/<slug>``: the hero (``h1.hero-profile__name``,
  ``p.hero-profile__nickname`` whose quotes are entities, ``p.hero-profile__division-title``
  "Flyweight Division", ``p.hero-profile__division-body`` "30-7-0 (W-L-D)",
  ``p.hero-profile__tag``), the Bio tab's ``div.c-bio__field`` label/value pairs (the value
  is *all* the text of ``div.c-bio__text``: Age sits in a nested ``div.field--name-age``),
  the JSON-LD ``@graph[].mainEntity.birthDate`` and the hero image
  (``img.hero-profile__image``, else ``og:image``);
* athletes list ``/athletes/all`` (first page only: robots.txt disallows every
  ``/athletes/all?...``): one ``div.c-listing-athlete-flipcard__inner`` per athlete inside
  ``li.l-flex__item``; one ``li`` is an ad slot without a card;
* rankings ``/rankings``: one ``div.view-grouping`` per division, its name in
  ``div.view-grouping-header``, the champion in ``.rankings--athlete--champion h5 a`` and
  the ranked athletes in ``table tbody tr td.views-field-title a[href*="/athlete/"]``. Real
  page read: jcmachadoh/cuba-deportes-data ``tests/fixtures/ufc_rankings.html`` (commit
  21517b5, 2026; no licence, not copied). The same selectors in public scrapers (search
  index ids): 46103638340 (BeautifulSoup: ``div.view-grouping``,
  ``div.view-grouping-header``, ``td.views-field-title``), 33208192057 (cheerio:
  ``.views-field-weight-class-rank``, ``.views-field-title a``), 21489518720 (C#:
  ``.rankings--athlete--champion``, ``table tbody tr``), 2335067614 (Scrapy spider notes:
  ``.rankings--athlete--champion .info a``, ``tbody tr``), 69374866161 (TypeScript,
  ``div.view-grouping-header``).

A page that answers "Page not found" gives None (athlete) or an empty list (list,
rankings), never an exception. A page without the data of its kind is refused with a
:class:`ParseError` naming the selectors tried.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree
from selectolax.lexbor import LexborNode
from unidecode import unidecode

from ufc_pipeline.parsing._html import html_root, lexbor_text, lexbor_tree, to_text
from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.records import Record
from ufc_pipeline.parsing.units import clean_text, normalize_ws, parse_date

ATHLETE_KIND = "ufccom-athlete"
LIST_KIND = "ufccom-athletes"
RANKINGS_KIND = "ufccom-rankings"
BASE_URL = "https://www.ufc.com/"

Node = etree._Element

_ATHLETE_PATH_RE = re.compile(r"/athlete/([^/?#]+)/?$")
_RECORD_RE = re.compile(r"(\d+)\s*-\s*(\d+)\s*-\s*(\d+)")
_NUMBER_RE = re.compile(r"^(\d+(?:\.\d+)?)")
_DIVISION_TAG_RE = re.compile(r"^(?:#\d+\s+)?(.+?)\s+Division$", re.IGNORECASE)
_QUOTES = "\"'\u201c\u201d\u2018\u2019"
_STATUSES = {"active": "Active", "not fighting": "Not Fighting", "retired": "Retired"}

# URL fragments of UFC.com's stand-in images for an athlete without a photo (A4): the
# grey head (list thumbnails; ``../themes/...`` on athlete pages), the black silhouettes
# (men: SHADOW_Fighter_fullLength_BLUE/RED; women: silhouette-headshot-female,
# fighter_images/Shadow/UFCWomen_Headshot, womens-silhouette-RED-corner) and the
# fight-card stances (standing-stance-left/right-silhouette).
PLACEHOLDER_PATTERNS = (
    re.compile(r"no-profile-image", re.IGNORECASE),
    re.compile(r"shadow_fighter", re.IGNORECASE),
    re.compile(r"silhouette", re.IGNORECASE),
    re.compile(r"/fighter_images/shadow/", re.IGNORECASE),
    re.compile(r"ufcwomen_headshot", re.IGNORECASE),
)

# the data-bearing nodes of an athlete page: a page with none of them is not one
_ATHLETE_DATA = (
    "h1.hero-profile__name",
    "div.hero-profile",
    "div.c-bio__field",
    'script[type="application/ld+json"] mainEntity @type Person',
)
_NAME_SELECTORS = ("h1.hero-profile__name", ".c-hero__headline", "<title> minus ' | UFC'")
_LIST_DATA = ("li.l-flex__item .c-listing-athlete-flipcard__inner", "div.view-all-athletes")
_RANKINGS_DATA = ("div.view-grouping", "div.view-grouping-header", "div.view-athlete-rankings")

# Bio labels (case-insensitive) -> field
_BIO_FIELDS = {
    "status": "status",
    "place of birth": "place_of_birth",
    "hometown": "hometown",
    "trains at": "trains_at",
    "fighting style": "fighting_style",
    "age": "age",
    "height": "height_in",
    "weight": "weight_lbs",
    "reach": "reach_in",
    "leg reach": "leg_reach_in",
    "octagon debut": "octagon_debut",
}

# The only classes the list and rankings pages' walk indexes.
_CLASSES = frozenset(
    (
        "c-listing-athlete-flipcard__inner",
        "view-all-athletes",
        "view-grouping",
        "view-athlete-rankings",
    )
)
_STRING = etree.XPath("string()", smart_strings=False)

# A separator in a name: everything that is not a letter or digit once accents are folded
_SLUG_DROP = re.compile(r"['`\u00b4\u2018\u2019.]")
_SLUG_SEP = re.compile(r"[^a-z0-9]+")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


# ---------------------------------------------------------------- records


@dataclass
class UfcComAthlete(Record):
    """One ``/athlete/<slug>`` page. Lengths in inches, weights in pounds, dates ISO."""

    slug: str
    url: str
    name: str
    nickname: str | None = None
    division: str | None = None  # "Flyweight" (without " Division")
    wins: int | None = None
    losses: int | None = None
    draws: int | None = None
    status: str | None = None  # "Active" | "Not Fighting" | "Retired" | None
    place_of_birth: str | None = None  # raw text: "City, Country" or "Country"
    place_label: str | None = None  # "Place of Birth" | "Hometown" | None
    trains_at: str | None = None  # None when absent or present but empty
    age: int | None = None
    birth_date: str | None = None  # ISO, from the JSON-LD Person
    height_in: float | None = None
    weight_lbs: float | None = None
    reach_in: float | None = None
    leg_reach_in: float | None = None
    octagon_debut: str | None = None  # ISO
    image_url: str | None = None  # absolute; None when the page shows a placeholder
    image_placeholder: bool = False
    tags: list[str] = field(default_factory=list)


@dataclass
class UfcComCard(Record):
    """One athlete card of ``/athletes/all`` (or, with name and division only, a ranked
    athlete of ``/rankings``)."""

    slug: str
    name: str
    nickname: str | None = None
    division: str | None = None
    wins: int | None = None
    losses: int | None = None
    draws: int | None = None
    image_url: str | None = None


class RankedAthlete(NamedTuple):
    """An athlete named on ``/rankings``: slug, name, division (None for pound-for-pound
    only)."""

    slug: str
    name: str
    division: str | None


# ---------------------------------------------------------------- helpers


def _classes(node: Node) -> list[str]:
    return (node.get("class") or "").split()


def _has(node: Node, *classes: str) -> bool:
    have = _classes(node)
    return all(c in have for c in classes)


def _text(node: Node | None) -> str:
    """Whitespace-normalised text of a node and all its descendants ('' when absent)."""
    if node is None:
        return ""
    if len(node) == 0:
        return normalize_ws(node.text)
    return normalize_ws(_STRING(node))


def _decoded(node: Node | None) -> str:
    """As :func:`_text`, with entities decoded once more (some pages double-encode them:
    ``&amp;quot;`` reaches the text as ``&quot;``)."""
    return normalize_ws(html_lib.unescape(_text(node)))


def _unquote(text: str) -> str | None:
    return clean_text(text.strip().strip(_QUOTES).strip())


def _first(nodes: Iterable[Node]) -> Node | None:
    return next(iter(nodes), None)


def _down(node: Node, *classes: str, tag: str | None = None) -> Node | None:
    """First element at or under ``node`` with all ``classes`` (and ``tag``)."""
    for el in node.iter(tag or etree.Element):
        if _has(el, *classes):
            return el
    return None


def _iter_class(node: Node, cls: str) -> Iterator[Node]:
    return (el for el in node.iter(etree.Element) if cls in _classes(el))


def slug_from_href(href: str | None) -> str | None:
    """``/athlete/raul-rosas-jr`` (relative or absolute, query ignored) -> ``raul-rosas-jr``."""
    if not href:
        return None
    m = _ATHLETE_PATH_RE.search(urlsplit(href.strip()).path)
    return unquote(m.group(1)) if m else None


def is_placeholder_image(url: str | None) -> bool:
    """The URL is one of UFC.com's stand-ins for an athlete without a photo."""
    return bool(url) and any(p.search(url or "") for p in PLACEHOLDER_PATTERNS)


def _absolute(src: str | None, base: str) -> str | None:
    src = (src or "").strip()
    return urljoin(base, src) if src else None


def _absolute_url(url: str | None) -> str | None:
    parts = urlsplit(url or "")
    return url if url and parts.scheme in ("http", "https") and parts.netloc else None


def _base(*urls: str | None) -> str:
    """The first absolute URL (relative image URLs are joined onto it), else UFC.com."""
    return next((u for u in map(_absolute_url, urls) if u), BASE_URL)


def _division(text: str | None) -> str | None:
    """``Flyweight Division`` -> ``Flyweight``; ``Women's Strawweight Division`` too."""
    value = clean_text(text)
    if value is None:
        return None
    return re.sub(r"\s+Division$", "", value, flags=re.IGNORECASE) or None


def _record(text: str) -> tuple[int | None, int | None, int | None]:
    m = _RECORD_RE.search(text)
    if not m:
        return None, None, None
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def _page_says_not_found(root: Node) -> bool:
    """The site's 'Page not found' answer: in the title, a heading, or as the whole body
    of a page without the data looked for."""
    for el in root.iter("title", "h1", "h2"):
        if "page not found" in _text(el).lower():
            return True
    body = _first(root.iter("body"))
    text = _text(body if body is not None else root).lower()
    return "page not found" in text and len(text) < 2000


class _Page:
    """A list or rankings page parsed once: its lxml tree and, from one walk, the elements
    of the classes those parsers start from."""

    def __init__(self, html: str | bytes) -> None:
        self.root = html_root(to_text(html))
        self.by_class: dict[str, list[Node]] = {c: [] for c in _CLASSES}
        for el in self.root.iter(etree.Element):
            cls = el.get("class")
            if cls:
                for token in set(cls.split()) & _CLASSES:
                    self.by_class[token].append(el)

    def cls(self, token: str, tag: str | None = None) -> list[Node]:
        return [el for el in self.by_class[token] if tag is None or el.tag == tag]


# ---------------------------------------------------------------- athlete page


def _persons(data: Any) -> Iterator[dict[str, Any]]:
    """Every schema.org Person in a JSON-LD document (``@graph``, ``mainEntity``, lists)."""
    if isinstance(data, list):
        for item in data:
            yield from _persons(item)
    elif isinstance(data, dict):
        kind = data.get("@type")
        if kind == "Person" or (isinstance(kind, list) and "Person" in kind):
            yield data
        for key in ("@graph", "mainEntity"):
            if key in data:
                yield from _persons(data[key])


def _iso_date(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        return None


def _number(raw: str | None, what: str, source: str | None) -> float | None:
    """``65.00`` -> 65.0 (inches or pounds as printed); empty or 0 -> None."""
    if raw is None:
        return None
    m = _NUMBER_RE.match(raw)
    if not m:
        raise ParseError(ATHLETE_KIND, source, f"bio {what}: not a number: {raw!r}")
    value = float(m.group(1))
    return value or None


def _status(value: str | None, tags: list[str]) -> str | None:
    for text in [value or "", *tags]:
        status = _STATUSES.get(text.strip().casefold())
        if status:
            return status
    return clean_text(value)


def _athlete_slug(
    canonical: str | None, url: str | None, person: dict[str, Any] | None
) -> str | None:
    """From the page URL (an http(s) URL or a site path, not a file name), else the
    canonical link, else the JSON-LD url."""
    own = url if _absolute_url(url) or (url or "").startswith("/athlete/") else None
    for candidate in (own, canonical, (person or {}).get("url")):
        slug = slug_from_href(candidate if isinstance(candidate, str) else None)
        if slug:
            return slug
    return None


# The athlete page (one a fighter, thousands a run, 100-200 KB) is parsed by lexbor
# (selectolax) and read with CSS selectors matched in C: 0.66 ms of CPU a page of the mirror
# against 1.70 ms for the lxml walk it replaced (0.16 against 0.28 on the pages in
# tests/fixtures/ufccom), the same records and errors from all of them. The list and
# rankings pages (one each a run) stay lxml trees read by :class:`_Page`. A node's
# ``css_first`` includes the node itself, as ``_down`` does.


def _ldecoded(node: LexborNode | None) -> str:
    """:func:`_decoded` for a lexbor node."""
    return normalize_ws(html_lib.unescape(lexbor_text(node)))


class _Athlete:
    """An athlete page's lexbor tree and the lookups more than one field reads."""

    def __init__(self, html: str | bytes) -> None:
        self.tree = lexbor_tree(html)

    def first(self, selector: str) -> LexborNode | None:
        return self.tree.css_first(selector)

    def meta_content(self, key: str) -> str | None:
        el = self.first(f'meta[property="{key}"], meta[name="{key}"]')
        return el.attributes.get("content") if el is not None else None

    def canonical(self) -> str | None:
        el = self.first('link[rel="canonical" i]')
        return el.attributes.get("href") if el is not None else None

    def ld_person(self) -> dict[str, Any] | None:
        for script in self.tree.css('script[type="application/ld+json" i]'):
            try:
                data = json.loads(script.text(), strict=False)
            except ValueError:
                continue  # a broken block holds nothing we can read; the bio still parses
            person = next(_persons(data), None)
            if person is not None:
                return person
        return None

    def says_not_found(self) -> bool:
        """:func:`_page_says_not_found` on this tree."""
        if any(
            "page not found" in lexbor_text(el).lower() for el in self.tree.css("title, h1, h2")
        ):
            return True
        body = self.first("body")
        text = lexbor_text(body if body is not None else self.tree.root).lower()
        return "page not found" in text and len(text) < 2000

    def bio(self) -> dict[str, str | None]:
        """:func:`_bio` on this tree."""
        out: dict[str, str | None] = {}
        for fld in self.tree.css(".c-bio__field"):
            label = fld.css_first(".c-bio__label")
            value = fld.css_first(".c-bio__text")
            if label is None:
                continue
            key = _BIO_FIELDS.get(lexbor_text(label).rstrip(":").casefold())
            if key is not None and key not in out:
                out[key] = clean_text(_ldecoded(value)) if value is not None else None
        return out

    def image(self, base: str) -> tuple[str | None, bool]:
        """:func:`_image` on this tree."""
        hero = self.first("img.hero-profile__image")
        src = hero.attributes.get("src") if hero is not None else None
        if not (src or "").strip():
            src = self.meta_content("og:image")
        url = _absolute(src, base)
        if url is None:
            return None, False
        if is_placeholder_image(url):
            return None, True
        return url, False


def parse_athlete(html: str | bytes, url: str | None) -> UfcComAthlete | None:
    """``/athlete/<slug>``: hero, bio fields, JSON-LD birth date, image.

    Returns None for UFC.com's "Page not found" page. Raises :class:`ParseError` for a
    page without athlete data (naming the selectors tried), without a name or a slug, or
    with an unreadable bio number or date.
    """
    page = _Athlete(html)
    person = page.ld_person()
    has_data = person is not None or any(
        page.first(selector) is not None
        for selector in (".hero-profile__name", ".hero-profile", ".c-bio__field")
    )
    if not has_data:
        if page.says_not_found():
            return None
        raise ParseError(
            ATHLETE_KIND,
            url,
            f"no athlete data; tried {', '.join(_ATHLETE_DATA)}",
            "expected a https://www.ufc.com/athlete/<slug> page",
        )
    name = _ldecoded(page.first("h1.hero-profile__name"))
    name = name or _ldecoded(page.first(".c-hero__headline"))
    if not name:
        title = _ldecoded(page.first("title"))
        name = re.sub(r"\s*\|\s*UFC\s*$", "", title) if title.endswith("UFC") else ""
    if not name:
        raise ParseError(ATHLETE_KIND, url, f"no athlete name; tried {', '.join(_NAME_SELECTORS)}")
    canonical = page.canonical()
    slug = _athlete_slug(canonical, url, person)
    if not slug:
        raise ParseError(
            ATHLETE_KIND,
            url,
            "no /athlete/<slug> in the page URL, the canonical link or the JSON-LD url",
        )
    base = _base(url, canonical)
    tags = [t for t in (_ldecoded(el) for el in page.tree.css(".hero-profile__tag")) if t]
    bio = page.bio()
    division = _division(_ldecoded(page.first(".hero-profile__division-title")))
    if division is None:
        division = next((m.group(1) for m in map(_DIVISION_TAG_RE.match, tags) if m), None)
    wins, losses, draws = _record(_ldecoded(page.first(".hero-profile__division-body")))
    if "place_of_birth" in bio and bio["place_of_birth"]:
        place, place_label = bio["place_of_birth"], "Place of Birth"
    elif bio.get("hometown"):
        place, place_label = bio["hometown"], "Hometown"
    else:
        place, place_label = None, None
    age = _number(bio.get("age"), "Age", url)
    try:
        debut = parse_date(bio.get("octagon_debut"))
    except ValueError as exc:
        raise ParseError(ATHLETE_KIND, url, f"bio Octagon Debut: {exc}") from None
    image_url, placeholder = page.image(base)
    nickname = _unquote(_ldecoded(page.first(".hero-profile__nickname")))
    if nickname is None and person is not None:
        nickname = clean_text(str(person.get("alternateName") or ""))
    return UfcComAthlete(
        slug=slug,
        url=_absolute_url(url) or _absolute_url(canonical) or f"{BASE_URL}athlete/{slug}",
        name=name,
        nickname=nickname,
        division=division,
        wins=wins,
        losses=losses,
        draws=draws,
        status=_status(bio.get("status"), tags),
        place_of_birth=place,
        place_label=place_label,
        trains_at=bio.get("trains_at"),
        age=int(age) if age else None,
        birth_date=_iso_date((person or {}).get("birthDate")),
        height_in=_number(bio.get("height_in"), "Height", url),
        weight_lbs=_number(bio.get("weight_lbs"), "Weight", url),
        reach_in=_number(bio.get("reach_in"), "Reach", url),
        leg_reach_in=_number(bio.get("leg_reach_in"), "Leg reach", url),
        octagon_debut=debut.isoformat() if debut else None,
        image_url=image_url,
        image_placeholder=placeholder,
        tags=tags,
    )


# ---------------------------------------------------------------- athletes list


def _card(inner: Node, n: int, base: str, source: str | None) -> UfcComCard:
    front = _down(inner, "c-listing-athlete-flipcard__front")
    side = front if front is not None else inner
    name_node = _down(side, "c-listing-athlete__name", tag="span")
    name = _decoded(name_node)
    action = _down(inner, "c-listing-athlete-flipcard__action")
    link = _first(
        a
        for a in (action if action is not None else inner).iter("a")
        if slug_from_href(a.get("href"))
    )
    slug = slug_from_href(link.get("href")) if link is not None else None
    label = f"card {n} ({name or 'no name'})"
    if not name:
        raise ParseError(LIST_KIND, source, f"{label}: no span.c-listing-athlete__name")
    if not slug:
        raise ParseError(
            LIST_KIND,
            source,
            f"{label}: no profile link (.c-listing-athlete-flipcard__action a[href*=/athlete/])",
        )
    nick_span = _down(side, "c-listing-athlete__nickname", tag="span")
    nick_item = _down(nick_span, "field__item") if nick_span is not None else None
    nickname = _unquote(_decoded(nick_item if nick_item is not None else nick_span))
    title = _down(side, "c-listing-athlete__title")
    title_item = _down(title, "field__item") if title is not None else None
    division = _division(_decoded(title_item if title_item is not None else title))
    wins, losses, draws = _record(_text(_down(side, "c-listing-athlete__record")))
    thumb = _down(side, "c-listing-athlete__thumbnail")
    img = _first(thumb.iter("img")) if thumb is not None else None
    image = _absolute(img.get("src") if img is not None else None, base)
    return UfcComCard(
        slug=slug,
        name=name,
        nickname=nickname,
        division=division,
        wins=wins,
        losses=losses,
        draws=draws,
        image_url=None if is_placeholder_image(image) else image,
    )


def parse_athletes_list(html: str | bytes, url: str | None) -> list[UfcComCard]:
    """The athlete cards of ``/athletes/all`` in page order (the ad slot has no card).

    A "Page not found" page, or the athletes view with no card, gives []. Raises
    :class:`ParseError` for a page that is not the athletes list, or a card without a
    name or a profile link.
    """
    page = _Page(html)
    inners = page.by_class["c-listing-athlete-flipcard__inner"]
    if not inners:
        if page.by_class["view-all-athletes"] or _page_says_not_found(page.root):
            return []
        raise ParseError(
            LIST_KIND,
            url,
            f"no athlete cards; tried {', '.join(_LIST_DATA)}",
            "expected https://www.ufc.com/athletes/all",
        )
    base = _base(url)
    cards: list[UfcComCard] = []
    seen: set[str] = set()
    for inner in inners:
        card = _card(inner, len(cards) + 1, base, url)
        if card.slug not in seen:
            seen.add(card.slug)
            cards.append(card)
    return cards


# ---------------------------------------------------------------- rankings


def _is_p4p(header: str) -> bool:
    return "pound-for-pound" in header.casefold() or "p4p" in header.casefold()


def _ranked_links(group: Node) -> Iterator[Node]:
    """The champion (``.rankings--athlete--champion h5 a``), then the ranked athletes
    (``table tbody tr td.views-field-title a``), in page order."""
    for el in group.iter(etree.Element):
        if el.tag != "a" or not slug_from_href(el.get("href")):
            continue
        parent = el.getparent()
        if parent is not None and parent.tag == "h5":
            if any(_has(a, "rankings--athlete--champion") for a in el.iterancestors()):
                yield el
                continue
        if parent is not None and parent.tag == "td" and _has(parent, "views-field-title"):
            yield el


def parse_rankings(html: str | bytes, url: str | None) -> list[RankedAthlete]:
    """Every athlete named on ``/rankings``, once, in page order, with the division of
    the first weight-class grouping that names him (pound-for-pound groupings give no
    division; an athlete named only there keeps None).

    A "Page not found" page gives []. Raises :class:`ParseError` for a page without
    ranking groupings.
    """
    page = _Page(html)
    groups = page.cls("view-grouping", "div")
    if not groups:
        if _page_says_not_found(page.root):
            return []
        raise ParseError(
            RANKINGS_KIND,
            url,
            f"no rankings; tried {', '.join(_RANKINGS_DATA)}",
            "expected https://www.ufc.com/rankings",
        )
    found: dict[str, RankedAthlete] = {}
    for group in groups:
        header = _decoded(_first(_iter_class(group, "view-grouping-header")))
        division = None if _is_p4p(header) else _division(header)
        for link in _ranked_links(group):
            slug = slug_from_href(link.get("href"))
            assert slug is not None
            name = _decoded(link)
            known = found.get(slug)
            if known is None:
                found[slug] = RankedAthlete(slug, name, division)
            elif known.division is None and division is not None:
                found[slug] = known._replace(division=division)
    return list(found.values())


# ---------------------------------------------------------------- slugs


def _slugify(words: Iterable[str]) -> str:
    text = unidecode(" ".join(words)).casefold()
    return _SLUG_SEP.sub("-", _SLUG_DROP.sub("", text)).strip("-")


def slug_candidates(name: str) -> list[str]:
    """The slugs UFC.com would use for a name, most likely first.

    Lower case, accents folded (unidecode), apostrophes and periods removed, every other
    separator a hyphen: "Raul Rosas Jr." -> ``raul-rosas-jr``, "Sean O'Malley" ->
    ``sean-omalley``, "Kai Kara-France" -> ``kai-kara-france``. For a name of three or
    more words (suffixes aside) a second slug without the middle names follows:
    "Ariane Lipski da Silva" -> ``ariane-lipski-da-silva``, ``ariane-silva``.
    """
    words = normalize_ws(name).split()
    out: list[str] = []
    full = _slugify(words)
    if full:
        out.append(full)
    core = [w for w in words if _slugify([w]) not in _SUFFIXES]
    suffixes = [w for w in words if _slugify([w]) in _SUFFIXES]
    if len(core) >= 3:
        short = _slugify([core[0], core[-1], *suffixes])
        if short and short not in out:
            out.append(short)
    return out
