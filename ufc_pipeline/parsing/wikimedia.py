"""Wikidata, Wikipedia and Commons API responses (decoded JSON) to typed records.

Pure functions, no I/O. Every shape seen in real responses is accepted:

* ``wbgetentities`` entities in both serialisations: entity ids as ``datavalue.value.id``
  and, in older dumps, only as ``numeric-id``; claim ranks ``preferred`` / ``normal`` /
  ``deprecated`` (the best rank is kept, deprecated claims never);
* ``action=query`` answers with ``formatversion=2`` (``pages`` is an array, booleans are
  ``true``) and the default version 1 (``pages`` keyed by page id, ``"-1"`` for a missing
  page, booleans are ``""``), with ``normalized`` and ``redirects`` title mappings;
* Commons ``extmetadata`` values, each read as a string first (``CommonsMetadataExtension``
  is a number in one real response and a string in another).

Sources of the shapes: the real responses under ``tests/fixtures/real/wikimedia`` (see its
SOURCES.md) and the MediaWiki API documentation (API:Pageimages, API:Imageinfo,
Wikibase JSON).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from lxml import html as lxml_html

from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.units import normalize_ws

#: Wikidata properties read for a fighter and the places and countries he points at.
P_INSTANCE_OF = "P31"
P_IMAGE = "P18"
P_BIRTH_PLACE = "P19"
P_CITIZENSHIP = "P27"
P_COUNTRY = "P17"
P_ADMIN_AREA = "P131"
P_ISO2 = "P297"
P_BIRTH_DATE = "P569"
#: "Sherdog fighter ID": the number at the end of sherdog.com/fighter/<Slug>-<id>.
P_SHERDOG = "P2818"
Q_HUMAN = "Q5"
GREGORIAN = "http://www.wikidata.org/entity/Q1985727"
DAY_PRECISION = 11
YEAR_PRECISION = 9
COMMONS_UPLOAD = "https://upload.wikimedia.org/wikipedia/commons"

_QID = re.compile(r"^[QPL]\d+$")
_ENTITY_URI = re.compile(r"/entity/([QPL]\d+)$")
_TRAILING_DIGITS = re.compile(r"(\d+)\s*$")
_TIME = re.compile(r"^([+-])(\d{1,16})-(\d{2})-(\d{2})T")


# -- small helpers ------------------------------------------------------------------------


def as_text(value: Any) -> str | None:
    """Any JSON scalar as a string (numbers too); None and empty strings give None."""
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).strip()
    return text or None


def as_bool(value: Any) -> bool | None:
    """``"true"`` / ``"True"`` / ``true`` -> True, ``"false"`` / ``"False"`` -> False."""
    text = as_text(value)
    if text is None:
        return None
    low = text.casefold()
    if low in ("true", "1", "yes"):
        return True
    if low in ("false", "0", "no"):
        return False
    return None


def as_int(value: Any) -> int | None:
    text = as_text(value)
    if text is None:
        return None
    try:
        return int(float(text))
    except ValueError:
        return None


def html_text(fragment: str | None) -> str | None:
    """Plain text of an HTML fragment (lxml ``text_content``), whitespace normalised."""
    if not fragment:
        return None
    if "<" not in fragment and "&" not in fragment:
        return normalize_ws(fragment) or None
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # noqa: BLE001 - lxml raises several types on odd fragments
        return normalize_ws(fragment) or None
    return normalize_ws(root.text_content()) or None


def _missing(page: Mapping[str, Any]) -> bool:
    """A ``missing`` / ``invalid`` flag: ``true`` (v2) or ``""`` (v1) means set."""
    return any(k in page and page[k] is not False for k in ("missing", "invalid"))


def _pages(obj: Mapping[str, Any], kind: str) -> list[Mapping[str, Any]]:
    query = obj.get("query")
    if not isinstance(query, Mapping):
        if "error" in obj or "errors" in obj:
            raise ParseError(kind, None, "an API error answer, not a query result")
        return []
    pages = query.get("pages") or []
    if isinstance(pages, Mapping):  # formatversion 1: keyed by page id ("-1" when missing)
        return [p for p in pages.values() if isinstance(p, Mapping)]
    if isinstance(pages, list):
        return [p for p in pages if isinstance(p, Mapping)]
    raise ParseError(kind, None, f"query.pages is a {type(pages).__name__}")


def title_aliases(obj: Mapping[str, Any]) -> dict[str, str]:
    """Requested title -> final title, through ``normalized`` then ``redirects`` (also
    ``converted``), so a caller can look up the answer under the title it asked for."""
    query = obj.get("query") or {}
    out: dict[str, str] = {}
    for section in ("normalized", "converted", "redirects"):
        for entry in query.get(section) or []:
            src, dst = as_text(entry.get("from")), as_text(entry.get("to"))
            if src and dst:
                out[src] = dst
    resolved = {}
    for src in out:
        dst, seen = out[src], {src}
        while dst in out and dst not in seen:  # normalized -> redirected -> ...
            seen.add(dst)
            dst = out[dst]
        resolved[src] = dst
    return resolved


def _with_aliases(obj: Mapping[str, Any], by_title: dict[str, Any]) -> dict[str, Any]:
    for src, dst in title_aliases(obj).items():
        if dst in by_title and src not in by_title:
            by_title[src] = by_title[dst]
    return by_title


# -- Wikidata -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WikidataDate:
    """A ``time`` value: the date when the precision is a day, the year when it is at least
    a year; ``raw`` as served (``+1990-04-16T00:00:00Z``)."""

    raw: str
    precision: int
    date: dt.date | None
    year: int | None


@dataclass
class WikidataEntity:
    """What the pipeline reads of one Wikidata item. Claim lists hold best-rank values:
    the ``preferred`` claims when there are any, else the ``normal`` ones."""

    qid: str
    label: str | None = None
    instance_of: list[str] = field(default_factory=list)
    birth_dates: list[WikidataDate] = field(default_factory=list)
    images: list[str] = field(default_factory=list)  # P18 file names, preferred first
    birth_places: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # P17
    admin_areas: list[str] = field(default_factory=list)  # P131
    iso2: str | None = None  # P297
    sherdog_ids: list[int] = field(default_factory=list)  # P2818
    enwiki: str | None = None
    missing: bool = False
    redirected_from: str | None = None

    @property
    def is_human(self) -> bool:
        return Q_HUMAN in self.instance_of

    @property
    def birth_date(self) -> dt.date | None:
        """The first day-precision birth date (None when only a year or month is known)."""
        return next((d.date for d in self.birth_dates if d.date is not None), None)

    @property
    def image(self) -> str | None:
        return self.images[0] if self.images else None


def parse_time(value: Any) -> WikidataDate | None:
    """A Wikibase ``time`` datavalue value (a dict with ``time`` and ``precision``)."""
    if not isinstance(value, Mapping):
        return None
    raw = as_text(value.get("time"))
    precision = as_int(value.get("precision"))
    if raw is None or precision is None:
        return None
    m = _TIME.match(raw)
    if not m:
        return WikidataDate(raw, precision, None, None)
    sign, year_s, month_s, day_s = m.groups()
    year = int(year_s) * (-1 if sign == "-" else 1)
    gregorian = as_text(value.get("calendarmodel")) in (None, GREGORIAN)
    known_year = year if precision >= YEAR_PRECISION and year > 0 else None
    day: dt.date | None = None
    if precision >= DAY_PRECISION and gregorian and year > 0:
        try:
            day = dt.date(year, int(month_s), int(day_s))
        except ValueError:
            day = None
    return WikidataDate(raw, precision, day, known_year)


def _entity_id(value: Any) -> str | None:
    """``{"id": "Q5"}`` or, in old dumps, ``{"numeric-id": 5, "entity-type": "item"}``."""
    if not isinstance(value, Mapping):
        return None
    qid = as_text(value.get("id"))
    if qid and _QID.match(qid):
        return qid
    num = as_int(value.get("numeric-id"))
    if num is None:
        return None
    prefix = {"item": "Q", "property": "P", "lexeme": "L"}.get(
        as_text(value.get("entity-type")) or "item", "Q"
    )
    return f"{prefix}{num}"


def best_claims(claims: Any) -> list[Mapping[str, Any]]:
    """Claims of one property at the best rank: preferred ones if any, else normal ones;
    deprecated claims never; ``novalue`` / ``somevalue`` snaks skipped."""
    if not isinstance(claims, list):
        return []
    usable = [
        c
        for c in claims
        if isinstance(c, Mapping)
        and c.get("rank", "normal") != "deprecated"
        and (c.get("mainsnak") or {}).get("snaktype", "value") == "value"
        and "datavalue" in (c.get("mainsnak") or {})
    ]
    preferred = [c for c in usable if c.get("rank") == "preferred"]
    return preferred or usable


def claim_values(entity: Mapping[str, Any], prop: str) -> list[Any]:
    """Raw ``datavalue.value`` of the best-rank claims of ``prop``."""
    claims = (entity.get("claims") or {}).get(prop)
    return [c["mainsnak"]["datavalue"].get("value") for c in best_claims(claims)]


def _unique(values: Iterable[str | None]) -> list[str]:
    out: list[str] = []
    for v in values:
        if v and v not in out:
            out.append(v)
    return out


def sherdog_number(value: Any) -> int | None:
    """The numeric Sherdog id of a P2818 value: ``"27944"``, or a slug ``"Jon-Jones-27944"``."""
    text = as_text(value)
    if text is None:
        return None
    m = _TRAILING_DIGITS.search(unquote(text))
    return int(m.group(1)) if m else None


def parse_entity(entity: Mapping[str, Any], qid: str | None = None) -> WikidataEntity:
    """One entity object (the value under ``entities.<Q>``)."""
    own = as_text(entity.get("id")) or as_text(entity.get("title")) or qid
    if not own:
        raise ParseError("wikidata entity", None, "an entity without an id")
    if _missing(entity):
        return WikidataEntity(qid=qid or own, missing=True)
    labels = entity.get("labels") or {}
    label = as_text((labels.get("en") or {}).get("value")) if isinstance(labels, Mapping) else None
    sitelinks = entity.get("sitelinks") or {}
    enwiki = None
    if isinstance(sitelinks, Mapping) and isinstance(sitelinks.get("enwiki"), Mapping):
        enwiki = as_text(sitelinks["enwiki"].get("title"))
    iso = _unique(as_text(v) for v in claim_values(entity, P_ISO2))
    return WikidataEntity(
        qid=own,
        label=label,
        instance_of=_unique(_entity_id(v) for v in claim_values(entity, P_INSTANCE_OF)),
        birth_dates=[d for d in map(parse_time, claim_values(entity, P_BIRTH_DATE)) if d],
        images=_unique(as_text(v) for v in claim_values(entity, P_IMAGE)),
        birth_places=_unique(_entity_id(v) for v in claim_values(entity, P_BIRTH_PLACE)),
        citizenships=_unique(_entity_id(v) for v in claim_values(entity, P_CITIZENSHIP)),
        countries=_unique(_entity_id(v) for v in claim_values(entity, P_COUNTRY)),
        admin_areas=_unique(_entity_id(v) for v in claim_values(entity, P_ADMIN_AREA)),
        iso2=iso[0].upper() if iso else None,
        sherdog_ids=[
            n for n in (sherdog_number(v) for v in claim_values(entity, P_SHERDOG)) if n is not None
        ],
        enwiki=enwiki,
        redirected_from=qid if qid and qid != own else None,
    )


def parse_entities(obj: Mapping[str, Any]) -> dict[str, WikidataEntity]:
    """A ``wbgetentities`` answer: requested id -> entity (a redirected id maps to its
    target's content; a missing id to an entity with ``missing=True``)."""
    if not isinstance(obj, Mapping):
        raise ParseError("wbgetentities", None, f"a {type(obj).__name__}, not an object")
    entities = obj.get("entities")
    if not isinstance(entities, Mapping):
        if "error" in obj or "errors" in obj:
            raise ParseError("wbgetentities", None, "an API error answer, not entities")
        raise ParseError("wbgetentities", None, "no 'entities' object")
    return {
        key: parse_entity(value, key)
        for key, value in entities.items()
        if isinstance(value, Mapping)
    }


def parse_sparql_ids(
    obj: Mapping[str, Any],
    unreadable: list[dict[str, str]] | None = None,
    *,
    item_var: str = "item",
    id_var: str = "sherdog",
) -> dict[int, list[str]]:
    """SPARQL JSON results of ``SELECT ?item ?sherdog WHERE { ?item wdt:P2818 ?sherdog }``:
    Sherdog id -> the items carrying it (usually one; sorted). Rows whose value has no
    numeric id are appended to ``unreadable`` when given."""
    results = obj.get("results") if isinstance(obj, Mapping) else None
    bindings = results.get("bindings") if isinstance(results, Mapping) else None
    if not isinstance(bindings, list):
        raise ParseError("wikidata sparql", None, "no results.bindings list")
    out: dict[int, set[str]] = {}
    for row in bindings:
        item = as_text(((row or {}).get(item_var) or {}).get("value"))
        raw = as_text(((row or {}).get(id_var) or {}).get("value"))
        m = _ENTITY_URI.search(item or "")
        number = sherdog_number(raw)
        if not m or number is None:
            if unreadable is not None:
                unreadable.append({"item": item or "", "value": raw or ""})
            continue
        out.setdefault(number, set()).add(m.group(1))
    return {k: sorted(v, key=lambda q: int(q[1:])) for k, v in sorted(out.items())}


@dataclass(frozen=True)
class SearchHit:
    qid: str
    label: str | None
    description: str | None


def parse_search_hits(obj: Mapping[str, Any]) -> list[SearchHit]:
    """Items found by ``wbsearchentities`` (``search[]{id,label,description}``) or by
    ``list=search`` on Wikidata (``query.search[]{title}``), in the order served."""
    if not isinstance(obj, Mapping):
        raise ParseError("wikidata search", None, f"a {type(obj).__name__}, not an object")
    if isinstance(obj.get("search"), list):
        rows = obj["search"]
        hits = [
            SearchHit(
                as_text(r.get("id")) or "", as_text(r.get("label")), as_text(r.get("description"))
            )
            for r in rows
            if isinstance(r, Mapping)
        ]
    elif isinstance((obj.get("query") or {}).get("search"), list):
        hits = [
            SearchHit(as_text(r.get("title")) or "", None, html_text(as_text(r.get("snippet"))))
            for r in obj["query"]["search"]
            if isinstance(r, Mapping)
        ]
    elif "error" in obj or "errors" in obj:
        raise ParseError("wikidata search", None, "an API error answer, not search results")
    else:
        raise ParseError("wikidata search", None, "neither 'search' nor 'query.search'")
    return [h for h in hits if _QID.match(h.qid)]


# -- Wikipedia page images ----------------------------------------------------------------


@dataclass(frozen=True)
class PageImage:
    """The lead image of a Wikipedia article (``prop=pageimages``)."""

    title: str
    pageimage: str | None  # file name with underscores, no "File:" (piprop=name)
    thumbnail_url: str | None
    thumbnail_width: int | None
    thumbnail_height: int | None
    original_url: str | None
    original_width: int | None = None
    original_height: int | None = None

    @property
    def file_name(self) -> str | None:
        """The file name as Wikidata writes it (spaces), from ``pageimage`` or the URL."""
        if self.pageimage:
            return self.pageimage.replace("_", " ")
        url = self.original_url or self.thumbnail_url
        return file_name_from_url(url) if url else None


def file_name_from_url(url: str) -> str | None:
    """``…/commons/a/ab/Name.jpg`` or ``…/commons/thumb/a/ab/Name.jpg/320px-Name.jpg`` ->
    ``Name.jpg`` (spaces, percent-decoding undone); None for other URLs."""
    path = url.split("?", 1)[0]
    m = re.search(r"/(?:thumb/)?[0-9a-f]/[0-9a-f]{2}/([^/]+)", path)
    return unquote(m.group(1)).replace("_", " ") if m else None


def parse_page_images(obj: Mapping[str, Any]) -> dict[str, PageImage | None]:
    """``prop=pageimages`` answer: title -> its image, or None when the page has none or is
    missing. Titles as requested (before normalisation or redirects) are keys too."""
    out: dict[str, PageImage | None] = {}
    for page in _pages(obj, "pageimages"):
        title = as_text(page.get("title"))
        if title is None:
            continue
        thumb = page.get("thumbnail") if isinstance(page.get("thumbnail"), Mapping) else {}
        orig = page.get("original") if isinstance(page.get("original"), Mapping) else {}
        name = as_text(page.get("pageimage"))
        if _missing(page) or not (thumb or orig or name):
            out[title] = None
            continue
        out[title] = PageImage(
            title=title,
            pageimage=name,
            thumbnail_url=as_text(thumb.get("source")),
            thumbnail_width=as_int(thumb.get("width")),
            thumbnail_height=as_int(thumb.get("height")),
            original_url=as_text(orig.get("source")),
            original_width=as_int(orig.get("width")),
            original_height=as_int(orig.get("height")),
        )
    return _with_aliases(obj, out)


# -- Commons image info and licences ------------------------------------------------------


@dataclass(frozen=True)
class ImageInfo:
    """A file's URLs, size and licence (``prop=imageinfo&iiprop=url|size|mime|extmetadata``)."""

    title: str
    url: str | None
    thumburl: str | None
    descriptionurl: str | None
    width: int | None
    height: int | None
    mime: str | None
    licence_short_name: str | None
    licence_code: str | None
    licence_url: str | None
    usage_terms: str | None
    attribution_required: bool | None
    attribution: str | None
    artist_text: str | None
    credit_text: str | None
    copyrighted: bool | None
    restrictions: tuple[str, ...]
    non_free: bool | None = None
    thumbwidth: int | None = None
    thumbheight: int | None = None
    size: int | None = None

    @property
    def file_name(self) -> str:
        return self.title.split(":", 1)[1] if ":" in self.title else self.title


def _meta(ext: Mapping[str, Any], name: str) -> str | None:
    entry = ext.get(name)
    if isinstance(entry, Mapping):
        return as_text(entry.get("value"))
    return as_text(entry)


def parse_image_info(obj: Mapping[str, Any]) -> dict[str, ImageInfo | None]:
    """``prop=imageinfo`` answer: file title (``File:…``) -> its info, or None when the file
    has no image info (missing everywhere). Requested titles are keys too."""
    out: dict[str, ImageInfo | None] = {}
    for page in _pages(obj, "imageinfo"):
        title = as_text(page.get("title"))
        if title is None:
            continue
        infos = page.get("imageinfo")
        info = infos[0] if isinstance(infos, list) and infos else None
        if not isinstance(info, Mapping):
            out[title] = None
            continue
        ext = info.get("extmetadata") if isinstance(info.get("extmetadata"), Mapping) else {}
        restrictions = _meta(ext, "Restrictions")
        out[title] = ImageInfo(
            title=title,
            url=as_text(info.get("url")),
            thumburl=as_text(info.get("thumburl")),
            descriptionurl=as_text(info.get("descriptionurl")),
            width=as_int(info.get("width")),
            height=as_int(info.get("height")),
            mime=as_text(info.get("mime")),
            licence_short_name=_meta(ext, "LicenseShortName"),
            licence_code=_meta(ext, "License"),
            licence_url=_meta(ext, "LicenseUrl"),
            usage_terms=_meta(ext, "UsageTerms"),
            attribution_required=as_bool(_meta(ext, "AttributionRequired")),
            attribution=html_text(_meta(ext, "Attribution")),
            artist_text=html_text(_meta(ext, "Artist")),
            credit_text=html_text(_meta(ext, "Credit")),
            copyrighted=as_bool(_meta(ext, "Copyrighted")),
            restrictions=tuple(p for p in (restrictions or "").split("|") if p.strip()),
            non_free=as_bool(_meta(ext, "NonFree")),
            thumbwidth=as_int(info.get("thumbwidth")),
            thumbheight=as_int(info.get("thumbheight")),
            size=as_int(info.get("size")),
        )
    return _with_aliases(obj, out)


# Licence families that may be reused: CC BY / CC BY-SA (any version and port), CC0 and
# public domain. Anything else (NC/ND, GFDL-only, "Fair use", unknown) is not.
_FREE_CODE = re.compile(
    r"^(?:cc-by(?:-sa)?(?:-\d+(?:\.\d+)?)?(?:-[a-z]{2,3})?(?:,.*)?"
    r"|cc0(?:-1\.0)?|cc-zero|pd(?:-.*)?|public-domain)$"
)
_FREE_NAME = re.compile(
    r"^(?:cc[- ]by(?:[- ]sa)?(?: \d+(?:\.\d+)?)?(?: [a-z]{2,3})?"
    r"|cc0(?: 1\.0)?|cc zero|public domain|pd(?:[- ].*)?)$"
)


def is_free_licence(info: ImageInfo | None) -> bool:
    """May the file be reused: CC BY, CC BY-SA, CC0 or public domain (and their version and
    port variants), and not marked non-free. Decided on the machine code (``License``),
    else on the short name; anything unknown is not free."""
    if info is None or info.non_free:
        return False
    code = (info.licence_code or "").strip().casefold()
    if code:
        return bool(_FREE_CODE.match(code))
    name = normalize_ws((info.licence_short_name or "").replace("-", " ")).casefold()
    return bool(name) and bool(_FREE_NAME.match(name))


# -- Commons file URLs --------------------------------------------------------------------


def commons_name(name: str) -> str:
    """A file name as MediaWiki stores it: no ``File:`` prefix, underscores for spaces,
    first letter upper case."""
    name = name.strip()
    if ":" in name and name.split(":", 1)[0].casefold() in ("file", "image"):
        name = name.split(":", 1)[1]
    name = re.sub(r"[\s_]+", "_", name).strip("_")
    return name[:1].upper() + name[1:]


def commons_file_url(name: str, width: int | None = None, *, base: str = COMMONS_UPLOAD) -> str:
    """The upload URL of a Commons file without an API call: ``<base>/<a>/<ab>/<Name>``,
    ``a`` and ``ab`` the first 1 and 2 hex digits of md5(name with underscores); with
    ``width``, the thumbnail ``<base>/thumb/<a>/<ab>/<Name>/<W>px-<Name>`` (``.png`` added
    for SVG files, whose thumbnails are PNG)."""
    stored = commons_name(name)
    digest = hashlib.md5(stored.encode("utf-8")).hexdigest()  # noqa: S324 - a path rule
    quoted = quote(stored, safe="")
    base = base.rstrip("/")
    if width is None:
        return f"{base}/{digest[0]}/{digest[:2]}/{quoted}"
    thumb = f"{int(width)}px-{quoted}"
    if stored.casefold().endswith(".svg"):
        thumb += ".png"
    return f"{base}/thumb/{digest[0]}/{digest[:2]}/{quoted}/{thumb}"
