"""The Wikimedia mirror: Wikipedia, Commons and Wikidata Action APIs, the query service and
the image host, on one port under path prefixes (``/wikipedia/w/api.php``,
``/commons/w/api.php``, ``/wikidata/w/api.php``, ``/sparql``, ``/upload/...``).

Answers have the shapes of the real APIs (the saved responses of the Wikipedia Android app
and wikibase-sdk; see ``../shared/reference/UFCCOM_WIKIMEDIA.md`` section B):

* ``action=query&prop=pageimages`` (Wikipedia): ``piprop`` (``thumbnail|name`` by default,
  ``original``), ``pithumbsize`` (50), ``pilicense`` (``free`` by default: a non-free page
  image is served only with ``any``); pages without an image have no ``thumbnail`` key;
* ``action=query&prop=imageinfo`` (Commons, and Wikipedia, where Commons files are
  ``"imagerepository": "shared"``): ``iiprop`` ``timestamp|user|url|size|mime|extmetadata``,
  ``iiurlwidth``, ``iiextmetadatafilter``; extmetadata values are ``{value, source,
  hidden}`` as on Commons (``AttributionRequired`` a string, ``Artist`` HTML);
* ``formatversion=2`` (pages an array, booleans ``true``) or 1 (pages keyed by page id,
  ``"-1"`` for missing pages, booleans ``""``); more than 50 titles or ids give the real
  ``toomanyvalues`` error (HTTP 200, as MediaWiki does);
* ``action=wbgetentities`` (``ids`` or ``sites``+``titles``, ``props``, ``languages``):
  unknown ids are ``{"id": ..., "missing": ""}``;
* ``action=wbsearchentities``: prefix match on labels and aliases, accents folded;
* ``/sparql``: only ``SELECT ?item ?sherdog WHERE { ?item wdt:P2818 ?sherdog }`` (W3C
  SPARQL JSON results); anything else is a 400 naming the query this mirror answers;
* ``/upload/wikipedia/commons/<a>/<ab>/<Name>`` and ``.../thumb/<a>/<ab>/<Name>/<W>px-<Name>``
  (``a``/``ab``: md5 of the name with underscores), ``/upload/wikipedia/en/...`` for the
  English Wikipedia's local (non-free) files.

URLs in answers point at this mirror: ``WikimediaSite.root`` when set, else the ``Host`` of
the request being served. The ``maxlag`` parameter is accepted. Answers are cached per
request (see :class:`ufc_mirror.sites.RenderCache`); images have their own caches.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import io
import json
import re
import sys
import zlib
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from PIL import Image

from ufc_mirror.model import World
from ufc_mirror.names import fold
from ufc_mirror.sites import HTML, JPEG, RenderCache, Response
from ufc_mirror.wiki_world import WikiFile, WikiWorld, wiki_world

WIKIPEDIA_API = "/wikipedia/w/api.php"
COMMONS_API = "/commons/w/api.php"
WIKIDATA_API = "/wikidata/w/api.php"
SPARQL = "/sparql"
UPLOAD = "/upload/wikipedia"
DEFAULT_ROOT = "http://localhost"
JSON_TYPE = "application/json; charset=utf-8"
SPARQL_JSON = "application/sparql-results+json;charset=utf-8"
TEXT = "text/plain; charset=utf-8"
MAX_VALUES = 50
SPARQL_SHERDOG = "SELECT ?item ?sherdog WHERE { ?item wdt:P2818 ?sherdog }"
ENTITY_URI = "http://www.wikidata.org/entity/"
DOCREF = (
    "See {api} for API usage. Subscribe to the mediawiki-api-announce mailing list at "
    "&lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists."
    "wikimedia.org/&gt; for notice of API deprecations and breaking changes."
)
ROBOTS = """# robots.txt of the Wikimedia mirror: the image host, the Action APIs and the query
# service share this host. Images may be fetched; API clients follow API:Etiquette.
User-agent: *
Allow: /upload/
Allow: /wikipedia/w/api.php
Allow: /commons/w/api.php
Allow: /wikidata/w/api.php
Allow: /sparql
Disallow: /wikipedia/wiki/Special:
Disallow: /commons/wiki/Special:
"""
_URL_SAFE = ";@$!*(),/~:"  # what MediaWiki's wfUrlencode leaves as it is
_UPLOAD_RE = re.compile(r"^/upload/wikipedia/(commons|en)/([0-9a-f])/([0-9a-f]{2})/([^/]+)$")
_THUMB_RE = re.compile(
    r"^/upload/wikipedia/(commons|en)/thumb/([0-9a-f])/([0-9a-f]{2})/([^/]+)/(\d+)px-([^/]+)$"
)
_ID_RE = re.compile(r"^[QPL][1-9]\d*$")
_SPARQL_RE = re.compile(
    r"^SELECT\s+(?:DISTINCT\s+)?\?(\w+)\s+\?(\w+)\s+WHERE\s*\{\s*\?(\w+)\s+"
    r"(?:wdt:P2818|<http://www\.wikidata\.org/prop/direct/P2818>)\s+\?(\w+)\s*\.?\s*\}$",
    re.IGNORECASE,
)
_PREFIX_RE = re.compile(r"^\s*PREFIX\s+\w*:\s*<[^>]*>", re.IGNORECASE)
_ENTITY_PROPS = ("info", "labels", "descriptions", "aliases", "claims", "sitelinks")
_DEFAULT_ENTITY_PROPS = "info|sitelinks|aliases|labels|descriptions|claims|datatype"
_EXT_HIDDENLESS = {"ImageDescription", "DateTimeOriginal", "Artist"}
_EXT_SOURCE = {
    "DateTime": "mediawiki-metadata",
    "ObjectName": "mediawiki-metadata",
    "CommonsMetadataExtension": "extension",
    "Categories": "commons-categories",
    "Assessments": "commons-categories",
    "License": "commons-templates",
}


class ApiError(Exception):
    """A MediaWiki API error (answered with HTTP 200 and ``{"error": {...}}``)."""

    def __init__(self, code: str, info: str, **extra: Any) -> None:
        super().__init__(info)
        self.code = code
        self.info = info
        self.extra = extra


def file_path(name: str) -> str:
    """``<a>/<ab>/<Name_with_underscores>`` of a file (md5 of the underscored name)."""
    under = name.replace(" ", "_")
    digest = hashlib.md5(under.encode("utf-8")).hexdigest()
    return f"{digest[0]}/{digest[:2]}/{under}"


def _url_name(name: str) -> str:
    return quote(name.replace(" ", "_"), safe=_URL_SAFE)


def thumb_height(width: int, height: int, thumb_width: int) -> int:
    """Height of a thumbnail ``thumb_width`` wide (as the thumbnails are rendered)."""
    return max(1, round(height * thumb_width / width))


# -- pictures ---------------------------------------------------------------------------------


def _render(seed: int, picture: str, key: int) -> Image.Image:
    try:
        from ufc_mirror import portraits  # type: ignore[attr-defined]
    except ImportError:  # the portrait module is optional: fall back to the drawn photos
        from ufc_mirror import images

        return Image.open(io.BytesIO(images.photo(seed, key))).convert("RGB")
    make: Callable[[int, int], Image.Image] = {
        "portrait": portraits.portrait,
        "no_face": portraits.no_face_picture,
        "two_faces": portraits.two_faces_picture,
    }[picture]
    return make(seed, key).convert("RGB")


def _jpeg(img: Image.Image) -> bytes:
    try:
        from ufc_mirror import portraits  # type: ignore[attr-defined]

        return bytes(portraits.jpeg(img))
    except ImportError:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=84)
        return buf.getvalue()


@functools.lru_cache(maxsize=512)
def original(seed: int, picture: str, key: int) -> tuple[bytes, int, int]:
    """JPEG bytes, width and height of a file's picture."""
    img = _render(seed, picture, key)
    return _jpeg(img), img.width, img.height


@functools.lru_cache(maxsize=512)
def thumbnail(seed: int, picture: str, key: int, width: int) -> bytes:
    """JPEG bytes of the picture ``width`` pixels wide (narrower than the original)."""
    data, w, h = original(seed, picture, key)
    img = Image.open(io.BytesIO(data)).convert("RGB")
    img = img.resize((width, thumb_height(w, h, width)), Image.Resampling.LANCZOS)
    return _jpeg(img)


# -- the site ---------------------------------------------------------------------------------


def _first(query: dict[str, list[str]], name: str, default: str | None = None) -> str | None:
    values = query.get(name)
    return values[-1] if values else default


def _multi(value: str | None) -> list[str]:
    if not value:
        return []
    if value.startswith("\x1f"):
        return [v for v in value[1:].split("\x1f")]
    return value.split("|")


def _int(query: dict[str, list[str]], name: str, default: int) -> int:
    raw = _first(query, name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ApiError("badinteger", f'Invalid value "{raw}" for integer parameter "{name}".',
                       param=name) from None  # fmt: skip


def _ucfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def normalize_title(raw: str) -> tuple[int, str]:
    """``(namespace, title)`` as MediaWiki normalises a title (underscores, first letter)."""
    text = " ".join(raw.replace("_", " ").split())
    ns = 0
    head, sep, rest = text.partition(":")
    if sep and head.strip().lower() in ("file", "image"):
        ns, text = 6, "File:" + _ucfirst(rest.strip())
    return ns, _ucfirst(text)


class WikimediaSite:
    """Routes of the Wikimedia mirror."""

    name = "wikimedia"
    server_header = "ATS/9.2.11"

    def __init__(self, world: World, root: str | None = None) -> None:
        self.world = world
        self.root = root.rstrip("/") if root else None
        self.cache = RenderCache(world, self.name, size=2000)
        self._search: tuple[int, list[tuple[str, str, str, str]], list[str]] | None = None

    # -- plumbing ---------------------------------------------------------------------------
    def request_root(self) -> str:
        """``http://host:port`` of this mirror: :attr:`root`, else the ``Host`` of the request
        being served (read from the server's request handler), else :data:`DEFAULT_ROOT`."""
        if self.root:
            return self.root
        frame = sys._getframe(1)
        for _ in range(8):
            if frame is None:
                break
            handler = frame.f_locals.get("self")
            headers = getattr(handler, "headers", None)
            if headers is not None and hasattr(handler, "server"):
                host = headers.get("Host")
                if host:
                    return f"http://{host}"
                addr = handler.server.server_address
                return f"http://{addr[0]}:{addr[1]}"
            frame = frame.f_back  # type: ignore[assignment]
        return DEFAULT_ROOT

    def _json(self, key: str, kind: str, make: Callable[[], tuple[int, Any, bool]]) -> Response:
        def render() -> Response:
            status, data, ascii_only = make()
            body = json.dumps(data, ensure_ascii=ascii_only, separators=(",", ":"))
            return Response(status, JSON_TYPE, body.encode("utf-8"), kind)

        return self.cache.get(key, render)

    def route(self, path: str, query: dict[str, list[str]]) -> Response:
        """Answer one GET."""
        root = self.request_root()
        if path == "/robots.txt":
            return Response(200, "text/plain; charset=utf-8", ROBOTS.encode(), "robots")
        if path.startswith(UPLOAD + "/"):
            return self._upload(path)
        key = root + path + "?" + "&".join(f"{k}={v}" for k, vs in sorted(query.items())
                                           for v in vs)  # fmt: skip
        if path == SPARQL:
            return self.cache.get(key, lambda: self._sparql(query))
        if path in (WIKIPEDIA_API, COMMONS_API, WIKIDATA_API):
            action = _first(query, "action", "help") or "help"
            kind = {
                "query": "wikipedia_query" if path == WIKIPEDIA_API else "commons_query",
                "wbgetentities": "wikidata_entities",
                "wbsearchentities": "wikidata_search",
            }.get(action, "api_error")
            return self._json(key, kind, lambda: self._api(root, path, action, query))
        return self.cache.get("404", lambda: Response(
            404, HTML, b"<!DOCTYPE html><html><head><title>Not Found</title></head>"
                       b"<body><h1>Not Found</h1></body></html>", "not_found"))  # fmt: skip

    # -- Action API -------------------------------------------------------------------------
    def _api(self, root: str, path: str, action: str,
             query: dict[str, list[str]]) -> tuple[int, Any, bool]:  # fmt: skip
        fv2 = _first(query, "formatversion", "1") in ("2", "latest")
        ascii_only = not fv2 and _first(query, "utf8") is None
        try:
            _int(query, "maxlag", 0)
            ww = wiki_world(self.world)
            if action == "query" and path != WIKIDATA_API:
                return 200, self._query(ww, root, path, query, fv2), ascii_only
            if action == "wbgetentities" and path == WIKIDATA_API:
                return 200, self._entities(ww, query), ascii_only
            if action == "wbsearchentities" and path == WIKIDATA_API:
                return 200, self._search_entities(ww, query), ascii_only
            raise ApiError("badvalue", f'Unrecognized value for parameter "action": {action}.',
                           param="action")  # fmt: skip
        except ApiError as exc:
            error: dict[str, Any] = {"code": exc.code, "info": exc.info, **exc.extra}
            error["docref" if fv2 else "*"] = DOCREF.format(api=root + path)
            served = f"mw{2200 + zlib.crc32(path.encode()) % 300}"
            return 200, {"error": error, "servedby": served}, ascii_only

    def _titles(self, query: dict[str, list[str]], fv2: bool) -> tuple[list[Any], list[str]]:
        raw = _multi(_first(query, "titles"))
        if len(raw) > MAX_VALUES:
            raise ApiError("toomanyvalues",
                           f'Too many values supplied for parameter "titles". The limit is '
                           f"{MAX_VALUES}.", parameter="titles", limit=MAX_VALUES,
                           lowlimit=MAX_VALUES, highlimit=500)  # fmt: skip
        normalized, out, seen = [], [], set()
        for t in raw:
            ns, title = normalize_title(t)
            if title != t:
                entry: dict[str, Any] = {"from": t, "to": title}
                normalized.append({"fromencoded": False, **entry} if fv2 else entry)
            if title and title not in seen:
                seen.add(title)
                out.append((ns, title))
        return normalized, out  # type: ignore[return-value]

    def _query(self, ww: WikiWorld, root: str, path: str, query: dict[str, list[str]],
               fv2: bool) -> dict[str, Any]:  # fmt: skip
        props = set(_multi(_first(query, "prop")))
        normalized, titles = self._titles(query, fv2)
        wikipedia = path == WIKIPEDIA_API
        pages: list[tuple[int, dict[str, Any]]] = []  # (sort key, page)
        missing_n = 0
        for ns, title in titles:
            page: dict[str, Any] | None = None
            if ns == 0 and wikipedia and title in ww.articles:
                art = ww.articles[title]
                page = {"pageid": art.pageid, "ns": 0, "title": title}
                if "pageimages" in props:
                    self._page_image(ww, root, page, art.image, art.image_free, query)
            elif ns == 6:
                page = self._file_page(ww, root, title, wikipedia, props, query, fv2)
            if page is None:
                page = {"ns": ns, "title": title, "missing": True if fv2 else ""}
            if "pageid" not in page:
                missing_n += 1
                pages.append((-missing_n, page))
            else:
                pages.append((page["pageid"], page))
        pages.sort(key=lambda kp: (kp[0] >= 0, kp[0] if kp[0] >= 0 else -kp[0]))
        body: dict[str, Any] = {"batchcomplete": True if fv2 else ""}
        q: dict[str, Any] = {}
        if normalized:
            q["normalized"] = normalized
        unknown = props - {"pageimages", "imageinfo", "info"}
        if unknown:
            text = f'Unrecognized value for parameter "prop": {sorted(unknown)[0]}.'
            body["warnings"] = {"query": {"warnings": text} if fv2 else {"*": text}}
        if pages:
            if fv2:
                q["pages"] = [p for _, p in pages]
            else:
                q["pages"] = {str(k): p for k, p in pages}
        if q:
            body["query"] = q
        return body

    def _page_image(self, ww: WikiWorld, root: str, page: dict[str, Any], image: str | None,
                    free: bool, query: dict[str, list[str]]) -> None:  # fmt: skip
        licence = _first(query, "pilicense", "free")
        if image is None or (licence != "any" and not free):
            return
        wf = ww.file(image, "commons" if free else "en")
        if wf is None:
            return
        piprop = set(_multi(_first(query, "piprop", "thumbnail|name")))
        size = _int(query, "pithumbsize", 50)
        _, w, h = original(ww.seed, wf.picture, wf.key)
        if "thumbnail" in piprop:
            if w >= h:
                tw = size
            else:
                tw = max(1, round(size * w / h))
            if tw >= w:
                page["thumbnail"] = {"source": self._file_url(root, wf), "width": w, "height": h}
            else:
                page["thumbnail"] = {"source": self._thumb_url(root, wf, tw), "width": tw,
                                     "height": thumb_height(w, h, tw)}  # fmt: skip
        if "original" in piprop:
            page["original"] = {"source": self._file_url(root, wf), "width": w, "height": h}
        if "name" in piprop:
            page["pageimage"] = wf.underscored

    @staticmethod
    def _file_url(root: str, wf: WikiFile) -> str:
        repo = "commons" if wf.repo == "commons" else "en"
        a, ab, _ = file_path(wf.name).split("/", 2)
        return f"{root}{UPLOAD}/{repo}/{a}/{ab}/{_url_name(wf.name)}"

    @staticmethod
    def _thumb_url(root: str, wf: WikiFile, width: int) -> str:
        repo = "commons" if wf.repo == "commons" else "en"
        a, ab, _ = file_path(wf.name).split("/", 2)
        name = _url_name(wf.name)
        return f"{root}{UPLOAD}/{repo}/thumb/{a}/{ab}/{name}/{width}px-{name}"

    def _file_page(self, ww: WikiWorld, root: str, title: str, wikipedia: bool, props: set[str],
                   query: dict[str, list[str]], fv2: bool) -> dict[str, Any] | None:  # fmt: skip
        name = title.removeprefix("File:")
        flag: Any = True if fv2 else ""
        local = ww.file(name, "en") if wikipedia else ww.file(name, "commons")
        shared = ww.file(name, "commons") if wikipedia and local is None else None
        wf = local or shared
        if wf is None:
            return {"ns": 6, "title": title, "missing": flag, "imagerepository": ""}
        if shared is not None:
            page: dict[str, Any] = {"ns": 6, "title": title, "missing": flag, "known": flag,
                                    "imagerepository": "shared"}  # fmt: skip
        else:
            page = {"pageid": wf.pageid, "ns": 6, "title": title, "imagerepository": "local"}
        if "imageinfo" in props:
            page["imageinfo"] = [self._imageinfo(ww, root, wf, query)]
        return page

    def _imageinfo(self, ww: WikiWorld, root: str, wf: WikiFile,
                   query: dict[str, list[str]]) -> dict[str, Any]:  # fmt: skip
        iiprop = set(_multi(_first(query, "iiprop", "timestamp|user")))
        info: dict[str, Any] = {}
        if "timestamp" in iiprop:
            info["timestamp"] = wf.uploaded.strftime("%Y-%m-%dT%H:%M:%SZ")
        if "user" in iiprop:
            info["user"] = wf.author
        data, w, h = original(ww.seed, wf.picture, wf.key)
        if "size" in iiprop or "dimensions" in iiprop:
            info.update(size=len(data), width=w, height=h)
        if "url" in iiprop:
            width = _int(query, "iiurlwidth", -1)
            url = self._file_url(root, wf)
            if width > 0:
                if width < w:
                    info.update(thumburl=self._thumb_url(root, wf, width), thumbwidth=width,
                                thumbheight=thumb_height(w, h, width))  # fmt: skip
                else:
                    info.update(thumburl=url, thumbwidth=w, thumbheight=h)
            site = "commons" if wf.repo == "commons" else "wikipedia"
            info["url"] = url
            info["descriptionurl"] = f"{root}/{site}/wiki/File:{_url_name(wf.name)}"
            info["descriptionshorturl"] = f"{root}/{site}/w/index.php?curid={wf.pageid}"
        if "mime" in iiprop:
            info["mime"] = "image/jpeg"
        if "extmetadata" in iiprop:
            wanted = set(_multi(_first(query, "iiextmetadatafilter")))
            ext = extmetadata(wf)
            info["extmetadata"] = {k: v for k, v in ext.items() if not wanted or k in wanted}
        return info

    # -- Wikidata ---------------------------------------------------------------------------
    def _entities(self, ww: WikiWorld, query: dict[str, list[str]]) -> dict[str, Any]:
        ids = [i.strip() for i in _multi(_first(query, "ids")) if i.strip()]
        sites, titles = _multi(_first(query, "sites")), _multi(_first(query, "titles"))
        for name, values in (("ids", ids), ("titles", titles)):
            if len(values) > MAX_VALUES:
                raise ApiError("toomanyvalues",
                               f'Too many values supplied for parameter "{name}". The limit '
                               f"is {MAX_VALUES}.", parameter=name, limit=MAX_VALUES,
                               lowlimit=MAX_VALUES, highlimit=500)  # fmt: skip
        if not ids and not (sites and titles):
            raise ApiError("param-missing", 'Either provide the item "ids" or pairs of "sites" '
                           'and "titles" for corresponding pages')  # fmt: skip
        props = set(_multi(_first(query, "props", _DEFAULT_ENTITY_PROPS)))
        languages = set(_multi(_first(query, "languages")))
        out: dict[str, Any] = {}
        for raw in ids:
            qid = raw.upper()
            if not _ID_RE.match(qid):
                text = f'Could not find an entity with the ID "{raw}".'
                raise ApiError("no-such-entity", text, id=raw, messages=[
                    {"name": "wikibase-api-no-such-entity", "parameters": [raw],
                     "html": {"*": text}}])  # fmt: skip
            ent = ww.entities.get(qid)
            out[qid] = _entity_view(ent, props, languages) if ent else {"id": qid, "missing": ""}
        if sites and titles:
            by_title = {a.title: a.qid for a in ww.articles.values()}
            n = 0
            for site in sites:
                for t in titles:
                    _, title = normalize_title(t)
                    qid = by_title.get(title) if site == "enwiki" else None
                    if qid and qid in ww.entities:
                        out[qid] = _entity_view(ww.entities[qid], props, languages)
                    else:
                        n -= 1
                        out[str(n)] = {"site": site, "title": title, "missing": ""}
        return {"entities": out, "success": 1}

    def _search_index(self, ww: WikiWorld) -> tuple[list[tuple[str, str, str, str]], list[str]]:
        cached = self._search
        if cached is None or cached[0] != ww.version:
            entries = sorted(ww.search_entries())
            cached = (ww.version, entries, [e[0] for e in entries])
            self._search = cached
        return cached[1], cached[2]

    def _search_entities(self, ww: WikiWorld, query: dict[str, list[str]]) -> dict[str, Any]:
        search = _first(query, "search")
        if search is None:
            raise ApiError("missingparam", 'The "search" parameter must be set.', param="search")
        language = _first(query, "language")
        if not language:
            raise ApiError("missingparam", 'The "language" parameter must be set.',
                           param="language")  # fmt: skip
        raw_limit = _first(query, "limit", "7") or "7"
        limit = 50 if raw_limit == "max" else min(50, max(1, _int(query, "limit", 7)))
        offset = max(0, _int(query, "continue", 0))
        kind = _first(query, "type", "item")
        key = " ".join(fold(search).split())
        hits: dict[str, tuple[tuple[int, int, int, int], str, str]] = {}
        if kind == "item" and key:
            up = search.strip().upper()
            if _ID_RE.match(up) and up in ww.entities:
                hits[up] = ((0, 0, 0, int(up[1:])), "entityId", up)
            entries, keys = self._search_index(ww)
            i = bisect.bisect_left(keys, key)
            while i < len(keys) and keys[i].startswith(key):
                text, qid, mtype, shown = entries[i]
                rank = (0 if text == key else 1, 0 if mtype == "label" else 1, len(text),
                        int(qid[1:]))  # fmt: skip
                if qid not in hits or rank < hits[qid][0]:
                    hits[qid] = (rank, mtype, shown)
                i += 1
        ordered = sorted(hits.items(), key=lambda kv: kv[1][0])
        results = []
        for qid, (_, mtype, shown) in ordered[offset : offset + limit]:
            ent = ww.entities[qid]
            label = ent["labels"]["en"]["value"]
            desc = ent["descriptions"].get("en", {}).get("value")
            display: dict[str, Any] = {"label": {"value": label, "language": "en"}}
            row: dict[str, Any] = {
                "id": qid, "title": qid, "pageid": ent["pageid"],
                "concepturi": ENTITY_URI + qid, "repository": "wikidata",
                "url": f"//www.wikidata.org/wiki/{qid}", "display": display, "label": label,
            }  # fmt: skip
            if desc:
                display["description"] = {"value": desc, "language": "en"}
                row["description"] = desc
            row["match"] = {"type": mtype, "language": "en", "text": shown}
            if mtype == "entityId":
                row["match"].pop("language")
            if mtype == "alias":
                row["aliases"] = [shown]
            results.append(row)
        body: dict[str, Any] = {"searchinfo": {"search": search}, "search": results}
        if offset + limit < len(ordered):
            body["search-continue"] = offset + limit
        body["success"] = 1
        return body

    # -- query service ----------------------------------------------------------------------
    def _sparql(self, query: dict[str, list[str]]) -> Response:
        text = _first(query, "query") or ""
        lines = [ln for ln in text.splitlines() if not ln.strip().startswith("#")]
        body = " ".join(" ".join(lines).split())
        while True:
            m = _PREFIX_RE.match(body)
            if not m:
                break
            body = body[m.end() :].strip()
        m = _SPARQL_RE.match(body)
        ok = m is not None and {m.group(1), m.group(2)} == {m.group(3), m.group(4)} and (
            m.group(3) != m.group(4)
        )  # fmt: skip
        if not ok or m is None:
            msg = (
                f"SPARQL-QUERY: queryStr={text}\n"
                "java.util.concurrent.ExecutionException: This mirror of the Wikidata Query "
                f"Service answers one query only: {SPARQL_SHERDOG}\n"
            )
            return Response(400, TEXT, msg.encode("utf-8"), "sparql_error")
        item_var, id_var = m.group(3), m.group(4)
        select = [m.group(1), m.group(2)]
        ww = wiki_world(self.world)
        bindings = []
        for qid, sherdog in ww.sherdog_items():
            row = {item_var: {"type": "uri", "value": ENTITY_URI + qid},
                   id_var: {"type": "literal", "value": sherdog}}  # fmt: skip
            bindings.append({v: row[v] for v in select})
        data = {"head": {"vars": select}, "results": {"bindings": bindings}}
        return Response(200, SPARQL_JSON, json.dumps(data, indent=2).encode(), "sparql")

    # -- images -----------------------------------------------------------------------------
    def _upload(self, path: str) -> Response:
        ww = wiki_world(self.world)
        m = _UPLOAD_RE.match(path)
        t = None if m else _THUMB_RE.match(path)
        if m is None and t is None:
            return self._no_file(path)
        repo, a, ab, name = (m or t).group(1, 2, 3, 4)  # type: ignore[union-attr]
        wf = ww.file(name, repo)
        if wf is None or file_path(wf.name) != f"{a}/{ab}/{name}":
            return self._no_file(path)
        if m is not None:
            data, _, _ = original(ww.seed, wf.picture, wf.key)
            return self.cache.stamp(path, Response(200, JPEG, data, "wikimedia_image"))
        assert t is not None
        width, thumb_name = int(t.group(5)), t.group(6)
        if thumb_name != name or width < 1:
            return self._no_file(path)
        data, w, _ = original(ww.seed, wf.picture, wf.key)
        if width > w:
            msg = (
                "<html><head><title>Error generating thumbnail</title></head><body>"
                "<h1>Error generating thumbnail</h1><p>Image was not scaled, is the requested "
                "width bigger than the source?</p></body></html>"
            )
            return Response(400, HTML, msg.encode(), "wikimedia_image_error")
        if width < w:
            data = thumbnail(ww.seed, wf.picture, wf.key, width)
        return self.cache.stamp(path, Response(200, JPEG, data, "wikimedia_image"))

    def _no_file(self, path: str) -> Response:
        msg = (
            "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1>"
            "<p>The resource could not be found.</p></body></html>"
        )
        return Response(404, HTML, msg.encode(), "not_found")


def _entity_view(ent: dict[str, Any], props: set[str], languages: set[str]) -> dict[str, Any]:
    """The entity as wbgetentities shows it with ``props`` and ``languages``."""
    out: dict[str, Any] = {}
    if "info" in props:
        for k in ("pageid", "ns", "title", "lastrevid", "modified"):
            out[k] = ent[k]
    out["type"], out["id"] = ent["type"], ent["id"]
    for part in ("labels", "descriptions", "aliases"):
        if part in props:
            out[part] = {k: v for k, v in ent[part].items() if not languages or k in languages}
    if "claims" in props:
        out["claims"] = ent["claims"]
    if "sitelinks" in props or "sitelinks/urls" in props:
        links = {}
        for site, link in ent["sitelinks"].items():
            link = dict(link)
            if "sitelinks/urls" in props:
                lang = site.removesuffix("wiki")
                link["url"] = f"https://{lang}.wikipedia.org/wiki/{_url_name(link['title'])}"
            links[site] = link
        out["sitelinks"] = links
    return out


def _field(name: str, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"value": value, "source": _EXT_SOURCE.get(name, "commons-desc-page")}
    if name not in _EXT_HIDDENLESS:
        out["hidden"] = ""
    return out


def extmetadata(wf: WikiFile) -> dict[str, dict[str, Any]]:
    """The ``extmetadata`` of a file, field by field as Commons gives them."""
    lic = wf.licence
    user = wf.author.replace(" ", "_")
    slug = re.sub(r"[^a-z0-9]+", "", wf.author.lower()) or "user"
    stem = wf.name.rpartition(".")[0]
    if wf.repo == "en":
        artist = "Zuffa, LLC"
        credit = "UFC promotional photograph"
    elif wf.flickr:
        photo_id = 1_000_000_000 + zlib.crc32(wf.name.encode()) % 8_000_000_000
        artist = (f'<a rel="nofollow" class="external text" '
                  f'href="https://www.flickr.com/people/{slug}">{wf.author}</a>')  # fmt: skip
        photo = f"https://www.flickr.com/photos/{slug}/{photo_id}/"
        credit = f'<a rel="nofollow" class="external text" href="{photo}">{stem}</a>'
    else:
        artist = (f'<a href="//commons.wikimedia.org/wiki/User:{user}" '
                  f'title="User:{user}">{wf.author}</a>')  # fmt: skip
        credit = '<span class="int-own-work" lang="en">Own work</span>'
    fields: list[tuple[str, Any]] = [
        ("DateTime", wf.uploaded.strftime("%Y-%m-%d %H:%M:%S")),
        ("ObjectName", stem),
        ("CommonsMetadataExtension", 1.2),
        ("Categories", wf.categories),
        ("Assessments", ""),
        ("ImageDescription", wf.description),
        ("DateTimeOriginal", wf.taken.strftime("%Y-%m-%d %H:%M") if wf.taken else ""),
        ("Credit", credit),
        ("Artist", artist),
    ]
    if lic.code == "pd":
        fields.append(("Permission", "I, the copyright holder of this work, release this work "
                                     "into the public domain."))  # fmt: skip
    if not lic.free:
        fields.append(("NonFree", "true"))
    required = "true" if lic.attribution_required else "false"
    fields += [("LicenseShortName", lic.short_name), ("UsageTerms", lic.usage_terms),
               ("AttributionRequired", required)]  # fmt: skip
    if wf.attribution:
        fields.append(("Attribution", wf.attribution))
    if lic.url:
        fields.append(("LicenseUrl", lic.url))
    fields += [("Copyrighted", "False" if lic.code == "pd" else "True"),
               ("Restrictions", wf.restrictions)]  # fmt: skip
    if lic.free:
        fields.append(("License", lic.code))
    return {name: _field(name, value) for name, value in fields}


def endpoints(root: str) -> dict[str, str]:
    """The pipeline's Wikimedia endpoint settings for a mirror at ``root``."""
    root = root.rstrip("/")
    return {
        "wikipedia_api": root + WIKIPEDIA_API,
        "commons_api": root + COMMONS_API,
        "wikidata_api": root + WIKIDATA_API,
        "sparql_url": root + SPARQL,
    }
