"""Routes of the two mirrored sites and their render cache with HTTP validators.

Every routed answer carries an ``ETag`` (a hash of the body) and a ``Last-Modified``:

* a page never changed by a mutation keeps a stable per-page time: ``as_of`` midnight UTC
  minus a per-page offset (CRC-32 of its cache key, within 30 days);
* a page a mutation changed gets the world clock of that mutation (``world.modified``);
* a page whose body changed without being named by a mutation (a Fight Finder search
  finding a new person, the events list when the upcoming event moves) gets the clock of
  the re-render; an unchanged body keeps its previous validators.

Cache keys are canonical paths (``/fighter-details/<id>``, ``/statistics/fighters?char=m``,
``/statistics/events/completed?page=all``, ``/fighter/<sherdog id>``,
``/stats/fightfinder?SearchTxt=...&page=N``); the part before ``?page=`` is the resource a
mutation names. Render caches are dropped when ``world.generation`` changes.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import random
import re
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ufc_mirror import images
from ufc_mirror import render_events as rev
from ufc_mirror import render_sherdog as rs
from ufc_mirror import render_ufcstats as ru
from ufc_mirror import sherdog_chrome as sc
from ufc_mirror import ufcstats_chrome as uc
from ufc_mirror.blockpages import drift, etag_of
from ufc_mirror.model import World

HTML = "text/html; charset=UTF-8"
JPEG = "image/jpeg"
_FIGHTER_DETAILS = re.compile(r"^/fighter-details/([0-9a-fA-F]{16})/?$")
_EVENT_DETAILS = re.compile(r"^/event-details/([0-9a-fA-F]{16})/?$")
_FIGHT_DETAILS = re.compile(r"^/fight-details/([0-9a-fA-F]{16})/?$")
_SHERDOG_FIGHTER = re.compile(r"^/fighter/(?:[^/]*-)?(\d+)/?$")
_IMAGE = re.compile(r"^/image_crop/(200/300|100/100)/_images/fighter/([^/]+)$")
_EVENTS = {"/statistics/events": "completed", "/statistics/events/": "completed",
           "/statistics/events/completed": "completed",
           "/statistics/events/completed/": "completed",
           "/statistics/events/upcoming": "upcoming",
           "/statistics/events/upcoming/": "upcoming"}  # fmt: skip
_BASE_SPREAD_S = 30 * 86400


@dataclass(frozen=True, slots=True)
class Response:
    """What a router returns: status, content type, body, counter kind and validators."""

    status: int
    content_type: str
    body: bytes
    kind: str
    etag: str = ""
    last_modified: dt.datetime | None = None
    drifted: bool = False


def _html(status: int, text: str, kind: str, drifted: bool = False) -> Response:
    return Response(status, HTML, text.encode("utf-8"), kind, drifted=drifted)


def resource_of(key: str) -> str:
    """The resource a mutation names for cache key ``key`` (drops ``?page=``)."""
    return key.partition("?page=")[0]


class RenderCache:
    """A thread-safe LRU of rendered answers plus the validators of every key served."""

    def __init__(self, world: World, site: str, size: int = 3000) -> None:
        self.world = world
        self.site = site
        self.size = size
        self.data: OrderedDict[str, Response] = OrderedDict()
        self.versions: dict[str, tuple[str, dt.datetime]] = {}
        self.generation = world.generation
        self.lock = threading.Lock()
        self.base = dt.datetime.combine(world.as_of, dt.time(), tzinfo=dt.UTC)

    def _base_time(self, key: str) -> dt.datetime:
        offset = zlib.crc32(f"{self.site}:{key}".encode()) % _BASE_SPREAD_S
        return self.base - dt.timedelta(seconds=offset)

    def stamp(self, key: str, resp: Response) -> Response:
        """``resp`` with its ETag and Last-Modified (see the module doc)."""
        etag = etag_of(resp.body)
        with self.lock:
            prev = self.versions.get(key)
            if prev is not None and prev[0] == etag:
                lm = prev[1]
            else:
                touched = self.world.modified.get((self.site, resource_of(key)))
                if touched is not None:
                    lm = touched
                elif prev is not None:
                    lm = self.world.clock
                else:
                    lm = self._base_time(key)
                if prev is not None and lm <= prev[1]:
                    lm = prev[1] + dt.timedelta(seconds=1)
                self.versions[key] = (etag, lm)
        return replace(resp, etag=etag, last_modified=lm)

    def get(self, key: str, make: Callable[[], Response]) -> Response:
        """The cached answer for ``key`` (rendered by ``make`` under the world lock)."""
        with self.lock:
            if self.generation != self.world.generation:
                self.data.clear()
                self.generation = self.world.generation
            hit = self.data.get(key)
            if hit is not None:
                self.data.move_to_end(key)
                return hit
        with self.world.lock:  # mutations hold it: never render a half-applied change
            generation = self.world.generation
            value = self.stamp(key, make())
        with self.lock:
            if generation == self.generation == self.world.generation:
                self.data[key] = value
                if len(self.data) > self.size:
                    self.data.popitem(last=False)
        return value


class UfcstatsSite:
    """Routes of the UFCStats mirror."""

    name = "ufcstats"
    server_header = "nginx"

    def __init__(self, world: World, drift_letter: str | None = None) -> None:
        self.world = world
        self.cache = RenderCache(world, self.name)
        self.drift_letter = (drift_letter or "").lower()[:1] or None

    def _page(self, key: str, kind: str, render: Callable[[], str], drifted: bool) -> Response:
        def make() -> Response:
            text = render()
            return _html(200, drift(text) if drifted else text, kind, drifted)

        return self.cache.get(key, make)

    def route(self, path: str, query: dict[str, list[str]]) -> Response:
        """Answer one GET."""
        w = self.world
        if path == "/robots.txt":
            return Response(200, "text/plain; charset=UTF-8", uc.ROBOTS.encode(), "robots")
        if path in ("/statistics/fighters", "/statistics/fighters/"):
            char = (query.get("char") or ["a"])[0][:1].lower() or "a"
            drifted = char == self.drift_letter
            return self._page(f"/statistics/fighters?char={char}", "ufcstats_list",
                              lambda: ru.fighters_list(w, char), drifted)  # fmt: skip
        m = _FIGHTER_DETAILS.match(path)
        if m and m.group(1).lower() in w.fighters:
            f = w.fighters[m.group(1).lower()]
            drifted = f.listed and f.letter is not None and f.letter == self.drift_letter
            return self._page(f"/fighter-details/{f.id}", "ufcstats_fighter",
                              lambda: self._fighter(f.id), drifted)  # fmt: skip
        kind = _EVENTS.get(path)
        if kind is not None:
            page_no = (query.get("page") or ["1"])[0] or "1"
            page_no = "all" if page_no == "all" or kind == "upcoming" else page_no
            return self._page(f"/statistics/events/{kind}?page={page_no}", "ufcstats_events",
                              lambda: rev.events_list(w, kind, page_no), False)  # fmt: skip
        m = _EVENT_DETAILS.match(path)
        if m:
            eid = m.group(1).lower()
            known = eid in w.bouts_by_event or (w.upcoming is not None and w.upcoming.id == eid)
            if known:
                return self._page(f"/event-details/{eid}", "ufcstats_event",
                                  lambda: rev.event_page(w, eid) or "", False)  # fmt: skip
        m = _FIGHT_DETAILS.match(path)
        if m:
            resp = self._fight(m.group(1).lower())
            if resp is not None:
                return resp
        if path == "/":
            return self.cache.get("/", lambda: _html(200, uc.home(), "home"))
        return self.cache.get("404", lambda: _html(404, uc.not_found(), "not_found"))

    def _fighter(self, fid: str) -> str:
        text = ru.fighter_details(self.world, self.world.fighters[fid])
        if self.world.bad.get("huge_fighter") == fid:
            from ufc_mirror.badinput import pad_page

            text = pad_page(text, self.world.bad["huge_mb"])
        return text

    def _fight(self, bout_id: str) -> Response | None:
        try:
            from ufc_mirror import render_fight
        except ImportError:  # pragma: no cover - optional page
            return None
        bout = render_fight.find_bout(self.world, bout_id)
        if bout is None:
            return None
        return self._page(f"/fight-details/{bout_id}", "ufcstats_fight",
                          lambda: render_fight.fight_page(self.world, bout), False)  # fmt: skip


class SherdogSite:
    """Routes of the Sherdog mirror."""

    name = "sherdog"
    server_header = "cloudflare"

    def __init__(self, world: World) -> None:
        self.world = world
        self.cache = RenderCache(world, self.name)

    def _image(self, size: str, filename: str) -> Response:
        small = size == "100/100"
        person = self.world.image_files.get(filename)
        if person is None:
            return _html(404, sc.not_found_page(self.world), "not_found")
        kind, seed = person.image, self.world.seed
        if kind == "broken_404":
            return _html(404, sc.not_found_page(self.world), "image")
        if kind == "broken_html":
            return Response(200, JPEG, images.BROKEN_HTML, "image")
        if kind == "broken_truncated":
            return Response(200, JPEG, images.truncated(seed, person.sherdog_id, small), "image")
        if kind == "broken_bomb":
            from ufc_mirror.badinput import bomb_png

            return Response(200, JPEG, bomb_png(), "image")
        if kind == "placeholder_reencoded":
            q = random.Random(f"{seed}:quality:{person.sherdog_id}").choice(
                images.REENCODE_QUALITIES
            )
            return Response(200, JPEG, images.placeholder(small, q), "image")
        if kind in ("no_face", "two_faces"):
            draw = images.no_face_photo if kind == "no_face" else images.two_faces_photo
            return Response(200, JPEG, draw(seed, person.sherdog_id, small), "image")
        return Response(200, JPEG, images.photo(seed, person.sherdog_id, small), "image")

    def route(self, path: str, query: dict[str, list[str]]) -> Response:
        """Answer one GET."""
        w = self.world
        if path == "/robots.txt":
            return Response(200, "text/plain; charset=UTF-8", sc.ROBOTS.encode(), "robots")
        if path in ("/stats/fightfinder", "/stats/fightfinder/"):
            text = " ".join((query.get("SearchTxt") or [""])[0].split())
            try:
                page_no = int((query.get("page") or ["1"])[0] or 1)
            except ValueError:
                page_no = 1
            return self.cache.get(
                f"/stats/fightfinder?SearchTxt={text}&page={page_no}",
                lambda: _html(200, rs.search_page(w, text, page_no), "sherdog_search"),
            )
        m = _SHERDOG_FIGHTER.match(path)
        if m:
            person = w.persons.get(int(m.group(1)))
            if person is None:
                return self.cache.get(
                    "missing", lambda: _html(200, sc.not_found_page(w), "not_found")
                )
            return self.cache.get(
                f"/fighter/{person.sherdog_id}",
                lambda: _html(200, rs.fighter_page(w, person), "sherdog_fighter"),
            )
        m = _IMAGE.match(path)
        if m:  # images.photo/placeholder keep their own caches
            return self.cache.stamp(path, self._image(m.group(1), m.group(2)))
        if path == images.DEFAULT_LARGE_PATH:
            return self.cache.stamp(path, Response(200, JPEG, images.placeholder(False), "image"))
        if path == images.DEFAULT_SMALL_PATH:
            return self.cache.stamp(path, Response(200, JPEG, images.placeholder(True), "image"))
        if path == "/":
            return self.cache.get("/", lambda: _html(200, sc.home_page(w), "home"))
        return self.cache.get("404", lambda: _html(404, sc.not_found_page(w), "not_found"))


def not_modified(headers: Any, resp: Response) -> bool:
    """True when the request's validators match ``resp`` (answer 304).

    ``If-None-Match`` (a list of ETags, ``W/`` ignored, or ``*``) wins; without it,
    ``If-Modified-Since`` not older than ``Last-Modified`` matches.
    """
    inm = headers.get("If-None-Match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or resp.etag in tags
    ims = headers.get("If-Modified-Since")
    if ims is None or resp.last_modified is None:
        return False
    try:
        since = email.utils.parsedate_to_datetime(ims)
    except (TypeError, ValueError, IndexError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=dt.UTC)
    return resp.last_modified.replace(microsecond=0) <= since
