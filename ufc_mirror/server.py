"""The mirror's HTTP servers: one ``ThreadingHTTPServer`` per site, HTTP/1.1 keep-alive.

``start_mirror(world, faults=...)`` starts UFCStats and Sherdog on two ports of 127.0.0.1
(port 0 = ephemeral) and returns a :class:`MirrorHandle` (context manager). Pages are
rendered on first request and cached (:mod:`ufc_mirror.sites`); every answer
carries ``Content-Length``.

Conditional requests: every routed HTML page and image carries ``ETag`` (a hash of the
body) and ``Last-Modified`` (stable per page; it changes only when the page's content
changes, see :mod:`ufc_mirror.sites`). A GET/HEAD whose ``If-None-Match`` lists
the current ETag (or ``*``), or, without ``If-None-Match``, whose ``If-Modified-Since`` is
not older than ``Last-Modified``, gets ``304 Not Modified`` with the validators and no
body. Only 200 answers are turned into 304.

Endpoints outside the mirrored sites (never faulted, nor is ``/robots.txt``):

* ``GET /__mirror/stats`` (both ports): requests by kind, plus ``faults`` (injected, by kind);
* ``POST /__mirror/add_event``, ``POST /__mirror/add_late_fight`` and
  ``POST /__mirror/publish_stats`` (UFCStats port): JSON body with the keyword arguments of
  :mod:`ufc_mirror.mutate` (``{"bouts": 2, "stats": false}``, ``{"event_id": "..."}``), JSON
  answer with the ids and paths involved (400 with ``{"error": ...}`` on bad input);
* ``POST /__c`` (UFCStats port): the answer to the proof-of-work challenge (form fields
  ``nonce`` and ``n``): 200 + ``Set-Cookie: __ufc_c=...`` when right, 403 when wrong.

Faults (:mod:`ufc_mirror.faults`) are decided before routing; ``slow`` and
``truncated`` still serve the routed page (late, or cut).
"""

from __future__ import annotations

import email.utils
import json
import socket
import struct
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from ufc_mirror import blockpages as bp
from ufc_mirror.faults import CHALLENGE_PATH, FaultConfig, FaultState
from ufc_mirror.model import World
from ufc_mirror.sites import HTML, Response, SherdogSite, UfcstatsSite, not_modified

__all__ = ["FaultConfig", "MirrorHandle", "Response", "start_mirror"]

STATS_PATH = "/__mirror/stats"
_MUTATIONS = ("/__mirror/add_event", "/__mirror/add_late_fight", "/__mirror/publish_stats")
_MAX_POST = 1 << 20


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
        if isinstance(exc, (ConnectionError, TimeoutError, OSError)):
            return
        super().handle_error(request, client_address)

    def __init__(
        self, addr: tuple[str, int], site: Any, counters: _Counters, faults: FaultState
    ) -> None:
        self.site = site
        self.counters = counters
        self.faults = faults
        self.stopping = threading.Event()
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        super().__init__(addr, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server
    _server_name: str | None = None

    def version_string(self) -> str:
        """The ``Server`` header of the mirrored site (no Python/BaseHTTP banner)."""
        return self._server_name or self.server.site.server_header

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

    # -- plumbing -------------------------------------------------------------------------
    def _send(self, status: int, ctype: str, body: bytes, head: bool,
              extra: dict[str, str] | None = None, cut: int | None = None) -> None:  # fmt: skip
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body if cut is None else body[:cut])
        self._server_name = None

    def _json(self, status: int, data: Any) -> None:
        self._send(status, "application/json", json.dumps(data).encode(), False)

    def _reset(self) -> None:
        """Close the connection with a TCP RST, without an answer."""
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))  # fmt: skip
            self.connection.close()
        except OSError:
            pass
        self.close_connection = True

    # -- faults -----------------------------------------------------------------------------
    def _fault(self, target: str, head: bool) -> tuple[str | None, Any]:
        """Decide and inject a fault for this request.

        Returns ``("done", None)`` when the fault was the whole answer, ``("slow" |
        "truncated", rng)`` when the page must still be served (late, or cut), else
        ``(None, None)``.
        """
        state = self.server.faults
        cfg = state.config
        site = self.server.site.name
        if not cfg.enabled:
            return None, None
        attempt = state.next_attempt(site, target)
        kind = cfg.decide(site, target, attempt)
        if site == "ufcstats" and any(k == "challenge" for k, _ in cfg.rates(site)):
            if state.pass_cookie(self.headers.get("Cookie")) and kind == "challenge":
                kind = None
        if kind is None:
            return None, None
        rng = cfg.detail_rng(site, target, attempt)
        state.count(kind)
        if kind in ("slow", "truncated"):
            return kind, rng
        if kind == "reset":
            self._reset()
        elif kind == "429":
            self._send(429, HTML, bp.error_page(429).encode(), head,
                       {"Retry-After": bp.retry_after(rng)})  # fmt: skip
        elif kind in ("500", "502", "503"):
            self._send(int(kind), HTML, bp.error_page(int(kind)).encode(), head)
        elif kind == "cloudflare":
            ray = bp.cf_ray(rng)
            host = "www.sherdog.com" if site == "sherdog" else "ufcstats.com"
            self._server_name = "cloudflare"
            self._send(rng.choice((403, 503)), HTML, bp.cloudflare_page(host, ray).encode(), head,
                       {"cf-mitigated": "challenge", "CF-RAY": f"{ray}-IAD",
                        "Cache-Control": "private, max-age=0, no-store, no-cache, "
                                         "must-revalidate"})  # fmt: skip
        elif kind == "challenge":
            page = bp.challenge_page(state.new_nonce(), cfg.challenge_difficulty, target)
            self._send(200, HTML, page.encode(), head, {"Cache-Control": "no-store"})
        return "done", None

    # -- GET / HEAD ---------------------------------------------------------------------------
    def _respond(self, head: bool) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if path == STATS_PATH:
            stats = {**self.server.counters.snapshot(), "faults": self.server.faults.snapshot()}
            self._send(200, "application/json", json.dumps(stats).encode(), head)
            return
        pending, rng = (None, None)
        if path != "/robots.txt" and not path.startswith("/__mirror/"):
            pending, rng = self._fault(self.path, head)
            if pending == "done":
                return
        try:
            resp = self.server.site.route(path, parse_qs(parts.query, keep_blank_values=True))
        except Exception:  # pragma: no cover - a bug must not kill the connection
            resp = Response(500, HTML, b"<html><body>Internal Server Error</body></html>",
                            "error")  # fmt: skip
        counters = self.server.counters
        counters.bump(resp.kind)
        if resp.drifted:
            self.server.faults.count("drift")
        if pending == "slow":
            if self.server.stopping.wait(self.server.faults.config.slow_s):
                self._reset()
                return
        extra: dict[str, str] = {}
        if resp.etag:
            extra["ETag"] = resp.etag
        if resp.last_modified is not None:
            extra["Last-Modified"] = email.utils.format_datetime(resp.last_modified, usegmt=True)
        if resp.content_type == "image/jpeg":
            extra["Cache-Control"] = "public, max-age=2592000"
        if resp.status == 200 and resp.etag and not_modified(self.headers, resp):
            counters.bump("not_modified")
            self.send_response(304)
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            return
        cut = None
        if pending == "truncated" and rng is not None:
            cut = int(len(resp.body) * rng.uniform(0.1, 0.7))
            self.close_connection = True
        self._send(resp.status, resp.content_type, resp.body, head, extra, cut)

    def do_GET(self) -> None:  # noqa: N802
        self._respond(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(head=True)

    # -- POST -----------------------------------------------------------------------------
    def do_POST(self) -> None:  # noqa: N802
        path = unquote(urlsplit(self.path).path)
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= _MAX_POST:
            self._json(400, {"error": "bad Content-Length"})
            return
        raw = self.rfile.read(length) if length else b""
        is_ufc = self.server.site.name == "ufcstats"
        if is_ufc and path == CHALLENGE_PATH:
            self._answer_challenge(raw)
        elif is_ufc and path in _MUTATIONS:
            self._mutate(path, raw)
        else:
            self._send(404, HTML, b"<html><body>Not Found</body></html>", False)

    def _answer_challenge(self, raw: bytes) -> None:
        state = self.server.faults
        ctype = self.headers.get("Content-Type") or ""
        if "json" in ctype:
            try:
                form = {k: str(v) for k, v in json.loads(raw or b"{}").items()}
            except (ValueError, AttributeError):
                form = {}
        else:
            form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}
        token = state.verify(form.get("nonce", ""), form.get("n", ""))
        if token is None:
            self.server.counters.bump("challenge_failed")
            self._send(403, HTML, bp.challenge_denied_page().encode(), False)
            return
        self.server.counters.bump("challenge_solved")
        page = bp.challenge_passed_page(bp.safe_return(form.get("r")))
        headers = {"Set-Cookie": state.set_cookie(token), "Cache-Control": "no-store"}
        self._send(200, HTML, page.encode(), False, headers)

    def _mutate(self, path: str, raw: bytes) -> None:
        from ufc_mirror import mutate

        try:
            args = json.loads(raw or b"{}")
            if not isinstance(args, dict):
                raise ValueError("the body must be a JSON object")
            world = self.server.site.world
            if path.endswith("add_event"):
                result = mutate.add_event(world, **mutate.event_args(args))
            elif path.endswith("publish_stats"):
                result = mutate.publish_stats(world, **mutate.publish_args(args))
            else:
                result = mutate.add_late_fight(world, **mutate.late_fight_args(args))
        except (ValueError, TypeError, KeyError) as exc:
            self._json(400, {"error": str(exc)})
            return
        self.server.counters.bump("mutation")
        self._json(200, result.to_dict())


class MirrorHandle:
    """The running servers: URLs, counters, mutations, ``stop()``; a context manager."""

    def __init__(self, servers: list[_Server], counters: _Counters, faults: FaultState) -> None:
        self._servers = servers
        self._counters = counters
        self._faults = faults
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

    @property
    def ufccom_url(self) -> str:
        """``http://127.0.0.1:<port>`` of the UFC.com mirror."""
        return self._url(self._servers[2])

    @property
    def wikimedia_url(self) -> str:
        """``http://127.0.0.1:<port>`` of the Wikimedia mirror (APIs under path prefixes)."""
        return self._url(self._servers[3])

    @property
    def ufccom_site(self) -> Any:
        """The UFC.com site object (``requested`` targets, ``crawl_delay``)."""
        return self._servers[2].site

    @property
    def wikimedia_site(self) -> Any:
        """The Wikimedia site object."""
        return self._servers[3].site

    @property
    def wikimedia_endpoints(self) -> dict[str, str]:
        """The pipeline's Wikimedia endpoint settings pointing at this mirror."""
        from ufc_mirror.wikimedia_site import endpoints

        return endpoints(self.wikimedia_url)

    @property
    def world(self) -> World:
        """The served world."""
        return self._servers[0].site.world

    @property
    def faults(self) -> FaultConfig:
        """The fault configuration."""
        return self._faults.config

    def stats(self) -> dict[str, Any]:
        """Requests served so far by kind (both sites) and ``faults``: injected, by kind.

        ``faults`` is a :class:`collections.Counter`, so ``after[k] - before[k]`` works for
        every key (as for the integer counters).
        """
        return {**self._counters.snapshot(), "faults": Counter(self._faults.snapshot())}

    def add_event(self, **kwargs: Any) -> Any:
        """:func:`ufc_mirror.mutate.add_event` on the served world."""
        from ufc_mirror.mutate import add_event

        return add_event(self.world, **kwargs)

    def add_late_fight(self, event_id: str, **kwargs: Any) -> Any:
        """:func:`ufc_mirror.mutate.add_late_fight` on the served world."""
        from ufc_mirror.mutate import add_late_fight

        return add_late_fight(self.world, event_id, **kwargs)

    def publish_stats(self, event_id: str) -> Any:
        """:func:`ufc_mirror.mutate.publish_stats` on the served world."""
        from ufc_mirror.mutate import publish_stats

        return publish_stats(self.world, event_id)

    def stop(self) -> None:
        """Stop both servers and close open keep-alive connections."""
        for s in self._servers:
            s.stopping.set()
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
    world: World,
    host: str = "127.0.0.1",
    ufcstats_port: int = 0,
    sherdog_port: int = 0,
    *,
    faults: FaultConfig | None = None,
    ufccom_port: int = 0,
    wikimedia_port: int = 0,
    ufccom_crawl_delay: float = 15.0,
) -> MirrorHandle:
    """Start the UFCStats, Sherdog, UFC.com and Wikimedia mirrors of ``world`` on ``host``
    (faults: off; port 0: an ephemeral port)."""
    from ufc_mirror.ufccom_site import UfcComSite
    from ufc_mirror.wikimedia_site import WikimediaSite

    counters = _Counters()
    state = FaultState(faults or FaultConfig())
    servers = [
        _Server((host, ufcstats_port), UfcstatsSite(world, state.config.drift_letter),
                counters, state),
        _Server((host, sherdog_port), SherdogSite(world), counters, state),
        _Server((host, ufccom_port), UfcComSite(world, crawl_delay=ufccom_crawl_delay),
                counters, state),
        _Server((host, wikimedia_port), WikimediaSite(world), counters, state),
    ]  # fmt: skip
    servers[3].site.root = MirrorHandle._url(servers[3])  # URLs in its answers point here
    return MirrorHandle(servers, counters, state)
