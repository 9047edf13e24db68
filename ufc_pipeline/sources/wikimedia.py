"""Wikidata, Wikipedia and Commons, read politely and cached in the raw store.

One :class:`PoliteClient` per host (``WikimediaConfig.site_for``). The Action APIs and the
Wikidata query service are **not** crawled web pages: they are governed by the API
etiquette and the User-Agent policy (mediawiki.org API:Etiquette, Manual:Maxlag_parameter,
foundation.wikimedia.org Policy:User-Agent_policy), which this source follows:

* requests in series (concurrency 1 on every API host, whatever ``site.concurrency`` says),
* ids and titles batched (50 a request), one SPARQL query for every item with a Sherdog id
  instead of one search per fighter,
* ``maxlag=5`` on every Action API request, and a ``maxlag`` / ``ratelimited`` error answer
  (HTTP 200 with ``{"error": {"code": "maxlag", ...}}``) waited out (``Retry-After``, else
  the reported lag; at least 5 s; capped by ``backoff_max_s``) and retried,
* gzip (``Accept-Encoding``), ``Retry-After`` honoured on 429/503 (``PoliteClient``),
* a User-Agent with contact information (checked here: a URL or an e-mail address).

So the API hosts are called with ``obey_robots=False`` on their SiteConfig (robots.txt of
those hosts is written for crawlers of article pages; the APIs' own rules are the ones
above). The image host (``upload``) serves files, not API answers: it obeys robots.txt.

Answers are kept in the raw store (site ``wikimedia``, ``.json``) under a canonical form of
the request; Wikidata entities one file per entity, so a later run asks only for the
entities it has not seen. Without ``refresh`` a stored answer is used as is (no request).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode, urlsplit

from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.wikimedia import (
    ImageInfo,
    PageImage,
    SearchHit,
    WikidataEntity,
    parse_entities,
    parse_entity,
    parse_image_info,
    parse_page_images,
    parse_search_hits,
    parse_sparql_ids,
)
from ufc_pipeline.sources.config import SiteConfig, WikimediaConfig
from ufc_pipeline.sources.errors import FetchError
from ufc_pipeline.sources.http import PoliteClient, Response
from ufc_pipeline.sources.policy import backoff_delay, parse_retry_after
from ufc_pipeline.sources.raw_store import RawStore

SITE = "wikimedia"
BATCH = 50  # ids / titles per Action API request (the API's limit for anonymous clients)
MAXLAG = 5  # seconds (Manual:Maxlag_parameter: "use maxlag=5")
MIN_LAG_WAIT_S = 5.0  # "pause your script for at least 5 seconds" after a maxlag error
SEARCH_LIMIT = 7
THUMB_WIDTH = 400
SHERDOG_QUERY = "SELECT ?item ?sherdog WHERE { ?item wdt:P2818 ?sherdog }"
RETRY_CODES = frozenset({"maxlag", "ratelimited"})
_QID = re.compile(r"^Q\d+$")
_CONTACT = re.compile(r"https?://|[\w.+-]+@[\w-]+\.[\w.]+")


class WikimediaApiError(FetchError):
    """The API answered with an error object (``{"error": {"code": ..., "info": ...}}``)."""

    def __init__(self, site: str, url: str, code: str, info: str, hint: str = "") -> None:
        self.code = code
        super().__init__(site, url, f"API error {code!r}: {info}", hint)


@dataclass
class WikimediaStats:
    """Requests sent by kind (``sparql``, ``wbgetentities``, ``wbsearchentities``,
    ``pageimages``, ``imageinfo``, ``image``), answers reused from the raw store, and the
    lag waits."""

    requests: Counter[str] = field(default_factory=Counter)
    reused: Counter[str] = field(default_factory=Counter)
    lag_retries: int = 0
    lag_wait_s: float = 0.0
    api_errors: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": dict(sorted(self.requests.items())),
            "requests_total": sum(self.requests.values()),
            "reused": dict(sorted(self.reused.items())),
            "lag_retries": self.lag_retries,
            "lag_wait_s": round(self.lag_wait_s, 2),
            "api_errors": dict(self.api_errors),
        }


def api_error(obj: Any) -> tuple[str, str, float | None] | None:
    """``(code, info, lag seconds)`` of an Action API error answer, or None. Both the
    default shape (``error``) and ``errorformat=…`` (``errors[]``) are read."""
    if not isinstance(obj, Mapping):
        return None
    err = obj.get("error")
    if isinstance(err, Mapping):
        code = str(err.get("code") or "unknown")
        info = str(err.get("info") or err.get("*") or "")
        lag = err.get("lag")
    elif isinstance(obj.get("errors"), list) and obj["errors"]:
        first = obj["errors"][0] if isinstance(obj["errors"][0], Mapping) else {}
        code = str(first.get("code") or "unknown")
        info = str(first.get("text") or first.get("info") or first.get("html") or "")
        lag = (
            (first.get("data") or {}).get("lag") if isinstance(first.get("data"), Mapping) else None
        )
    else:
        return None
    try:
        lag_s = float(lag) if lag is not None else None
    except (TypeError, ValueError):
        lag_s = None
    return code, info, lag_s


def canonical(params: Mapping[str, str]) -> str:
    """The request's identity: its parameters sorted, without the ones that do not change
    the answer (``format``, ``formatversion``, ``maxlag``)."""
    keep = {k: v for k, v in params.items() if k not in ("format", "formatversion", "maxlag")}
    return urlencode(sorted(keep.items()))


def cache_key(text: str) -> str:
    """A raw-store key for a canonical request: readable start plus a hash of the whole
    (so two requests never share a file even when their safe forms would)."""
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
    return f"{text[:60]}-{digest}"


def _chunks(items: Sequence[str], size: int) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def check_user_agent(site: SiteConfig) -> None:
    """The User-Agent policy asks for contact information (a URL or an e-mail)."""
    if not _CONTACT.search(site.user_agent or ""):
        raise ValueError(
            f"wikimedia: the User-Agent {site.user_agent!r} has no contact information; "
            "Wikimedia's User-Agent policy requires one (a URL or an e-mail address): set "
            "UFC_USER_AGENT like 'ufc-pipeline/0.1 (https://example.org/ufc; you@example.org)'"
        )


class WikimediaSource:
    """The Wikimedia APIs for one step. ``async with WikimediaSource(cfg, raw) as wm``."""

    def __init__(
        self,
        cfg: WikimediaConfig,
        raw: RawStore,
        *,
        refresh: bool = False,
        batch_size: int = BATCH,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        check_user_agent(cfg.site)
        if not 1 <= batch_size <= BATCH:
            raise ValueError(f"wikimedia: batch_size must be 1..{BATCH}, got {batch_size}")
        self.cfg = cfg
        self.raw = raw
        self.refresh = refresh
        self.batch_size = batch_size
        self.stats = WikimediaStats()
        self.unreadable_sparql: list[dict[str, str]] = []
        self._sleep = sleep
        self._clients: dict[tuple[str, bool], PoliteClient] = {}
        self._fresh: set[tuple[str, str]] = set()  # (kind, key) fetched this run
        self._entered = False

    async def __aenter__(self) -> WikimediaSource:
        self._entered = True
        return self

    async def __aexit__(self, *exc: object) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.__aexit__(None, None, None)
        self._entered = False

    # -- clients ------------------------------------------------------------------------
    def site_config(self, url: str, *, api: bool) -> SiteConfig:
        """The SiteConfig used for ``url``: API hosts in series and without robots.txt (see
        the module docstring), the image host as configured (robots.txt obeyed)."""
        site = self.cfg.site_for(url)
        if api:
            return replace(site, obey_robots=False, concurrency=1)
        return site

    async def _client(self, url: str, *, api: bool) -> PoliteClient:
        assert self._entered, "use WikimediaSource as an async context manager"
        parts = urlsplit(url)
        key = (f"{parts.scheme}://{parts.netloc}", api)
        client = self._clients.get(key)
        if client is None:
            client = PoliteClient(self.site_config(url, api=api))
            await client.__aenter__()
            self._clients[key] = client
        return client

    def http_stats(self) -> dict[str, Any]:
        """HTTP-level figures (requests, retries, statuses) of every client, by host."""
        return {
            f"{host}{'' if api else ' (files)'}": c.stats.as_dict()
            for (host, api), c in sorted(self._clients.items())
        }

    # -- the one request path -----------------------------------------------------------
    async def _fetch_json(
        self, kind: str, endpoint: str, params: dict[str, str], *, action_api: bool = True
    ) -> tuple[Any, Response]:
        """GET ``endpoint?params`` and decode it; waits out maxlag / ratelimited answers."""
        if action_api:
            params = {**params, "format": "json", "maxlag": str(MAXLAG)}
        url = f"{endpoint}?{urlencode(params)}"
        client = await self._client(endpoint, api=True)
        site = client.cfg
        tries = site.max_retries + 1
        for attempt in range(1, tries + 1):
            self.stats.requests[kind] += 1
            resp = await client.get(url, kind=kind)
            if resp.status != 200:
                raise FetchError(
                    SITE,
                    resp.url,
                    f"HTTP {resp.status} for the {kind} request",
                    f"check the {kind} endpoint setting ({endpoint}) and try later",
                )
            try:
                obj = json.loads(resp.content)
            except ValueError as exc:
                raise FetchError(
                    SITE,
                    resp.url,
                    f"the {kind} answer is not JSON ({exc})",
                    f"check that {endpoint} is a Wikimedia API endpoint",
                ) from exc
            err = api_error(obj)
            if err is None:
                return obj, resp
            code, info, lag = err
            self.stats.api_errors[code] += 1
            if code not in RETRY_CODES:
                raise WikimediaApiError(
                    SITE,
                    resp.url,
                    code,
                    info,
                    "the request was refused; it is not retried (fix the request or report it)",
                )
            if attempt == tries:
                break
            headers = {k.lower(): v for k, v in resp.headers.items()}
            retry_after = parse_retry_after(headers.get("retry-after"))
            wait = max(retry_after if retry_after is not None else lag or 0.0, MIN_LAG_WAIT_S)
            delay = backoff_delay(attempt, site.backoff_base_s, site.backoff_max_s, wait)
            self.stats.lag_retries += 1
            self.stats.lag_wait_s += delay
            await self._sleep(delay)
        raise FetchError(
            SITE,
            url,
            f"still {code!r} after {tries} tries ({info})",
            "the servers are lagged or rate-limiting us; run again later",
        )

    async def _cached(
        self, kind: str, endpoint: str, params: dict[str, str], *, action_api: bool = True
    ) -> Any:
        """A stored answer for this request (no request), or a fetched and stored one."""
        key = cache_key(canonical(params))
        if not self.refresh or (kind, key) in self._fresh:
            stored = self.raw.get(SITE, kind, key, ext="json")
            if stored is not None:
                try:
                    obj = json.loads(stored.body)
                except ValueError:
                    obj = None
                if obj is not None:
                    self.stats.reused[kind] += 1
                    return obj
        obj, resp = await self._fetch_json(kind, endpoint, params, action_api=action_api)
        self.raw.put(
            SITE,
            kind,
            key,
            url=resp.url,
            status=resp.status,
            body=resp.content,
            headers=resp.headers,
            ext="json",
        )
        self._fresh.add((kind, key))
        return obj

    # -- Wikidata -----------------------------------------------------------------------
    async def sherdog_items(self) -> dict[int, list[str]]:
        """Every item with a Sherdog fighter ID (P2818): Sherdog id -> item ids (one query)."""
        params = {"query": SHERDOG_QUERY, "format": "json"}
        obj = await self._cached("sparql", self.cfg.sparql_url, params, action_api=False)
        self.unreadable_sparql = []
        try:
            return parse_sparql_ids(obj, self.unreadable_sparql)
        except ParseError as exc:
            raise FetchError(
                SITE, self.cfg.sparql_url, f"unreadable SPARQL answer: {exc}", "try later"
            ) from exc

    async def entities(
        self, qids: Iterable[str], *, errors: dict[str, str] | None = None
    ) -> dict[str, WikidataEntity]:
        """Items by id (claims, en label, sitelinks), ``batch_size`` ids a request; ids
        stored from an earlier request are not asked again. A failed batch raises, or, with
        ``errors``, records the error for each of its ids and the rest goes on."""
        wanted = sorted({q for q in qids if q and _QID.match(q)}, key=lambda q: int(q[1:]))
        out: dict[str, WikidataEntity] = {}
        todo: list[str] = []
        for qid in wanted:
            if self.refresh and ("entity", qid) not in self._fresh:
                todo.append(qid)
                continue
            stored = self.raw.get(SITE, "entity", qid, ext="json")
            entity = _stored_entity(stored.body, qid) if stored is not None else None
            if entity is None:
                todo.append(qid)
            else:
                self.stats.reused["wbgetentities"] += 1
                out[qid] = entity
        for batch in _chunks(todo, self.batch_size):
            params = {
                "action": "wbgetentities",
                "ids": "|".join(batch),
                "props": "claims|sitelinks|labels",
                "languages": "en",
            }
            try:
                obj, resp = await self._fetch_json("wbgetentities", self.cfg.wikidata_api, params)
                parsed = parse_entities(obj)
            except (FetchError, ParseError) as exc:
                if errors is None:
                    raise
                for qid in batch:
                    errors[qid] = str(exc)
                continue
            raw_entities = obj.get("entities") or {}
            for qid in batch:
                if qid not in parsed:
                    continue  # not answered: left out (the caller treats it as unknown)
                self.raw.put(
                    SITE,
                    "entity",
                    qid,
                    url=resp.url,
                    status=resp.status,
                    body=json.dumps({"entities": {qid: raw_entities[qid]}}).encode(),
                    headers={"content-type": "application/json"},
                    ext="json",
                )
                self._fresh.add(("entity", qid))
                out[qid] = parsed[qid]
        return out

    async def search(self, name: str, *, limit: int = SEARCH_LIMIT) -> list[SearchHit]:
        """Items whose English label or alias matches ``name`` (``wbsearchentities``)."""
        params = {
            "action": "wbsearchentities",
            "search": " ".join(name.split()),
            "language": "en",
            "type": "item",
            "limit": str(limit),
        }
        obj = await self._cached("wbsearchentities", self.cfg.wikidata_api, params)
        try:
            return parse_search_hits(obj)
        except ParseError as exc:
            raise FetchError(
                SITE, self.cfg.wikidata_api, f"unreadable search answer for {name!r}: {exc}"
            ) from exc

    # -- Wikipedia and Commons ----------------------------------------------------------
    async def page_images(
        self, titles: Iterable[str], *, thumb_width: int = THUMB_WIDTH
    ) -> dict[str, PageImage | None]:
        """The lead image of English Wikipedia articles (free images only: ``pilicense``
        stays ``free``); a title without one maps to None."""
        out: dict[str, PageImage | None] = {}
        for batch in _chunks(sorted({t for t in titles if t}), self.batch_size):
            params = {
                "action": "query",
                "prop": "pageimages",
                "titles": "|".join(batch),
                "piprop": "thumbnail|name|original",
                "pithumbsize": str(thumb_width),
                "pilicense": "free",
                "formatversion": "2",
            }
            obj = await self._cached("pageimages", self.cfg.wikipedia_api, params)
            parsed = parse_page_images(obj)
            for title in batch:
                out[title] = parsed.get(title)
        return out

    async def image_info(
        self, files: Iterable[str], *, thumb_width: int = THUMB_WIDTH
    ) -> dict[str, ImageInfo | None]:
        """URLs, size, MIME type and licence of Commons files (``File:X.jpg`` or ``X.jpg``);
        keys as given."""
        asked = {f: (f if f.casefold().startswith("file:") else f"File:{f}") for f in files if f}
        out: dict[str, ImageInfo | None] = {}
        for batch in _chunks(sorted(set(asked.values())), self.batch_size):
            params = {
                "action": "query",
                "titles": "|".join(batch),
                "prop": "imageinfo",
                "iiprop": "url|size|mime|extmetadata",
                "iiurlwidth": str(thumb_width),
                "formatversion": "2",
            }
            obj = await self._cached("imageinfo", self.cfg.commons_api, params)
            parsed = parse_image_info(obj)
            for original, title in asked.items():
                if title in batch:
                    out[original] = parsed.get(title)
        return out

    async def download(self, url: str) -> Response:
        """The bytes of a file on the image host (robots.txt obeyed; a 404 is returned)."""
        client = await self._client(url, api=False)
        self.stats.requests["image"] += 1
        return await client.get(url, kind="image")


def _stored_entity(body: bytes, qid: str) -> WikidataEntity | None:
    try:
        obj = json.loads(body)
        value = obj["entities"][qid]
        return parse_entity(value, qid)
    except (ValueError, KeyError, TypeError, ParseError):
        return None
