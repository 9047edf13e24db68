"""The mirror's HTTP servers: one ``ThreadingHTTPServer`` per site, HTTP/1.1 keep-alive.

``start_mirror(world)`` starts UFCStats and Sherdog on two ports of 127.0.0.1 (port 0 =
ephemeral) and returns a :class:`MirrorHandle` (context manager). Pages are rendered on
first request and cached; every response carries ``Content-Length``. Counters of requests
by kind are available from ``handle.stats()`` and at ``GET /__mirror/stats`` on both ports.
"""

from __future__ import annotations

import json
import random
import re
import socket
import sys
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ufc_pipeline.mirror import images
from ufc_pipeline.mirror import render_sherdog as rs
from ufc_pipeline.mirror import render_ufcstats as ru
from ufc_pipeline.mirror import sherdog_chrome as sc
from ufc_pipeline.mirror import ufcstats_chrome as uc
from ufc_pipeline.mirror.model import World

HTML = "text/html; charset=UTF-8"
STATS_PATH = "/__mirror/stats"
_FIGHTER_DETAILS = re.compile(r"^/fighter-details/([0-9a-fA-F]{16})/?$")
_SHERDOG_FIGHTER = re.compile(r"^/fighter/(?:[^/]*-)?(\d+)/?$")
_IMAGE = re.compile(r"^/image_crop/(200/300|100/100)/_images/fighter/([^/]+)$")


@dataclass(frozen=True, slots=True)
class Response:
    """What a router returns: status, content type, body and the counter kind."""

    status: int
    content_type: str
    body: bytes
    kind: str


class _Cache:
    """A small thread-safe LRU of rendered responses."""

    def __init__(self, size: int = 3000) -> None:
        self.size = size
        self.data: OrderedDict[Any, Response] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any, make: Callable[[], Response]) -> Response:
        """The cached response for ``key`` (rendered by ``make`` on a miss)."""
        with self.lock:
            hit = self.data.get(key)
            if hit is not None:
                self.data.move_to_end(key)
                return hit
        value = make()
        with self.lock:
            self.data[key] = value
            if len(self.data) > self.size:
                self.data.popitem(last=False)
        return value


def _html(status: int, text: str, kind: str) -> Response:
    return Response(status, HTML, text.encode("utf-8"), kind)


class UfcstatsSite:
    """Routes of the UFCStats mirror."""

    name = "ufcstats"
    server_header = "nginx"

    def __init__(self, world: World) -> None:
        self.world = world
        self.cache = _Cache()

    def route(self, path: str, query: dict[str, list[str]]) -> Response:
        """Answer one GET."""
        if path == "/robots.txt":
            return Response(200, "text/plain; charset=UTF-8", uc.ROBOTS.encode(), "robots")
        if path in ("/statistics/fighters", "/statistics/fighters/"):
            char = (query.get("char") or ["a"])[0][:1].lower() or "a"
            return self.cache.get(
                ("list", char),
                lambda: _html(200, ru.fighters_list(self.world, char), "ufcstats_list"),
            )
        m = _FIGHTER_DETAILS.match(path)
        if m and m.group(1).lower() in self.world.fighters:
            fid = m.group(1).lower()
            return self.cache.get(
                ("fighter", fid),
                lambda: _html(200, ru.fighter_details(self.world, self.world.fighters[fid]),
                              "ufcstats_fighter"),
            )  # fmt: skip
        if path == "/":
            return self.cache.get("home", lambda: _html(200, uc.home(), "home"))
        return self.cache.get("404", lambda: _html(404, uc.not_found(), "not_found"))


class SherdogSite:
    """Routes of the Sherdog mirror."""

    name = "sherdog"
    server_header = "cloudflare"

    def __init__(self, world: World) -> None:
        self.world = world
        self.cache = _Cache()

    def _image(self, size: str, filename: str) -> Response:
        small = size == "100/100"
        person = self.world.image_files.get(filename)
        if person is None:
            return _html(404, sc.not_found_page(self.world), "not_found")
        kind, seed = person.image, self.world.seed
        if kind == "broken_404":
            return _html(404, sc.not_found_page(self.world), "image")
        if kind == "broken_html":
            return Response(200, "image/jpeg", images.BROKEN_HTML, "image")
        if kind == "broken_truncated":
            return Response(
                200, "image/jpeg", images.truncated(seed, person.sherdog_id, small), "image"
            )
        if kind == "placeholder_reencoded":
            q = random.Random(f"{seed}:quality:{person.sherdog_id}").choice(
                images.REENCODE_QUALITIES
            )
            return Response(200, "image/jpeg", images.placeholder(small, q), "image")
        return Response(200, "image/jpeg", images.photo(seed, person.sherdog_id, small), "image")

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
                ("search", text, page_no),
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
                ("fighter", person.sherdog_id),
                lambda: _html(200, rs.fighter_page(w, person), "sherdog_fighter"),
            )
        m = _IMAGE.match(path)
        if m:  # images.photo/placeholder keep their own caches
            return self._image(m.group(1), m.group(2))
        if path == images.DEFAULT_LARGE_PATH:
            return Response(200, "image/jpeg", images.placeholder(False), "image")
        if path == images.DEFAULT_SMALL_PATH:
            return Response(200, "image/jpeg", images.placeholder(True), "image")
        if path == "/":
            return self.cache.get("home", lambda: _html(200, sc.home_page(w), "home"))
        return self.cache.get("404", lambda: _html(404, sc.not_found_page(w), "not_found"))


class _Counters:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()

    def bump(self, kind: str) -> None:
        """Count one request of ``kind``."""
        with self.lock:
            self.counts[kind] += 1

    def snapshot(self) -> dict[str, int]:
        """A copy of the counters, sorted by kind."""
        with self.lock:
            return dict(sorted(self.counts.items()))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client drops its connection; report anything else."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def __init__(self, addr: tuple[str, int], site: Any, counters: _Counters) -> None:
        self.site = site
        self.counters = counters
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        super().__init__(addr, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def version_string(self) -> str:
        """The ``Server`` header of the mirrored site (no Python/BaseHTTP banner)."""
        return self.server.site.server_header

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Quiet: no access log."""
        return

    def setup(self) -> None:
        super().setup()
        with self.server.sockets_lock:
            self.server.open_sockets.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.sockets_lock:
                self.server.open_sockets.discard(self.connection)

    def _respond(self, head: bool) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if path == STATS_PATH:
            resp = Response(200, "application/json",
                            json.dumps(self.server.counters.snapshot()).encode(), "")  # fmt: skip
        else:
            try:
                resp = self.server.site.route(path, parse_qs(parts.query, keep_blank_values=True))
            except Exception:  # pragma: no cover - a bug must not kill the connection
                resp = Response(
                    500, HTML, b"<html><body>Internal Server Error</body></html>", "error"
                )
            self.server.counters.bump(resp.kind)
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))
        if resp.content_type == "image/jpeg":
            self.send_header("Cache-Control", "public, max-age=2592000")
        self.end_headers()
        if not head:
            self.wfile.write(resp.body)

    def do_GET(self) -> None:  # noqa: N802
        self._respond(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(head=True)


class MirrorHandle:
    """Both running servers: URLs, counters, ``stop()``; usable as a context manager."""

    def __init__(self, servers: list[_Server], counters: _Counters) -> None:
        self._servers = servers
        self._counters = counters
        self._threads = [
            threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2},
                             name=f"mirror-{s.site.name}", daemon=True)
            for s in servers
        ]  # fmt: skip
        for t in self._threads:
            t.start()

    @staticmethod
    def _url(server: _Server) -> str:
        host, port = server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def ufcstats_url(self) -> str:
        """``http://127.0.0.1:<port>`` of the UFCStats mirror."""
        return self._url(self._servers[0])

    @property
    def sherdog_url(self) -> str:
        """``http://127.0.0.1:<port>`` of the Sherdog mirror."""
        return self._url(self._servers[1])

    def stats(self) -> dict[str, int]:
        """Requests served so far, by kind (both sites)."""
        return self._counters.snapshot()

    def stop(self) -> None:
        """Stop both servers and close open keep-alive connections."""
        for s in self._servers:
            s.shutdown()
            with s.sockets_lock:
                for sock in list(s.open_sockets):
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
            s.server_close()
        for t in self._threads:
            t.join(timeout=5)

    def __enter__(self) -> MirrorHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_mirror(
    world: World, host: str = "127.0.0.1", ufcstats_port: int = 0, sherdog_port: int = 0
) -> MirrorHandle:
    """Start the UFCStats and Sherdog mirrors of ``world`` on ``host``."""
    counters = _Counters()
    servers = [
        _Server((host, ufcstats_port), UfcstatsSite(world), counters),
        _Server((host, sherdog_port), SherdogSite(world), counters),
    ]
    return MirrorHandle(servers, counters)
