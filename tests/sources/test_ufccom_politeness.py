"""UFC.com politeness against a real HTTP server on 127.0.0.1 (no mocks).

The server here is this test's own ``http.server`` (the UFC.com mirror is built elsewhere):
it serves a robots.txt with UFC.com's two rules, shortened (``Crawl-delay: 0.4`` for the
live 15, ``Disallow: /athletes/all?*``), the fixture pages, and records when each request
arrives. Arrival times are taken on the server (``time.monotonic`` of the same process as
the client); the client's own start times are in ``ClientStats.starts``.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise
from pathlib import Path

import pytest

from ufc_pipeline.sources.config import SiteConfig
from ufc_pipeline.sources.errors import RobotsDisallowed
from ufc_pipeline.sources.http import PoliteClient
from ufc_pipeline.sources.raw_store import RawStore
from ufc_pipeline.sources.ufccom import UfcComSource

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ufccom"
DELAY = 0.4
ROBOTS = f"User-agent: *\nCrawl-delay: {DELAY}\nDisallow: /athletes/all?*\n".encode()
# The client counts a request as started once its headers are sent; the server stamps it
# when its handler thread has read them, which can lag by a few milliseconds on a busy
# machine and make one arrival gap look that much shorter. A client that ignored the delay
# would show gaps of 0.1 s (the 10/s rate limit) or less.
ARRIVAL_SLACK = 0.02


class RecordingServer:
    """robots.txt, /athletes/all, /athlete/<slug> (one 503 first on /athlete/flaky)."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[float, str]] = []
        self.redirects = {
            "/athlete/Old-Slug": "/athlete/old-slug",
            "/athlete/to-the-list": "/athletes/all?page=3",
        }
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                with server.lock:
                    server.arrivals.append((time.monotonic(), self.path))
                    hits = sum(1 for _, p in server.arrivals if p == self.path)
                status, ctype, body = server.answer(self.path, hits)
                self.send_response(status)
                if self.path in server.redirects:
                    self.send_header("Location", server.redirects[self.path])
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, path: str, hits: int) -> tuple[int, str, bytes]:
        html = "text/html; charset=utf-8"
        if path == "/robots.txt":
            return 200, "text/plain", ROBOTS
        if path == "/athletes/all":
            return 200, html, (FIXTURES / "athletes_all.html").read_bytes()
        if path == "/athlete/flaky" and hits == 1:
            return 503, html, b"busy"
        if path == "/athlete/Old-Slug":
            return 301, html, b""
        if path == "/athlete/to-the-list":
            return 302, html, b""
        if path.startswith("/athlete/"):
            return 200, html, (FIXTURES / "athlete_full.html").read_bytes()
        return 404, html, (FIXTURES / "not_found.html").read_bytes()

    def paths(self) -> list[str]:
        return [p for _, p in self.arrivals]

    def gaps(self) -> list[float]:
        times = sorted(t for t, _ in self.arrivals)
        return [b - a for a, b in pairwise(times)]

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    srv = RecordingServer()
    yield srv
    srv.stop()


def ufccom(url: str, **kw: object) -> SiteConfig:
    base: dict[str, object] = dict(
        name="ufccom",
        base_url=url,
        rate_per_s=10.0,
        concurrency=4,
        max_retries=2,
        backoff_base_s=0.01,
        backoff_max_s=0.05,
        timeout_s=10,
    )
    base.update(kw)
    return SiteConfig(**base)  # type: ignore[arg-type]


def test_crawl_delay_spaces_request_starts_at_any_concurrency(server: RecordingServer):
    paths = [f"/athlete/fighter-{i}" for i in range(5)] + ["/athlete/flaky"]

    async def go():
        async with PoliteClient(ufccom(server.url)) as client:
            responses = await asyncio.gather(*(client.get(p) for p in paths))
            return responses, client

    responses, client = asyncio.run(go())
    assert [r.status for r in responses] == [200] * len(paths)
    # robots.txt, six pages and the retry of the 503: eight requests
    assert len(server.arrivals) == 8 and server.paths()[0] == "/robots.txt"
    assert server.paths().count("/athlete/flaky") == 2
    assert client.crawl_delay_s == DELAY
    starts = client.stats.starts
    assert len(starts) == 8
    assert min(b - a for a, b in pairwise(starts)) >= DELAY  # the client's own starts
    assert client.stats.min_gap_s is not None and client.stats.min_gap_s >= DELAY
    assert client.stats.as_dict()["min_gap_s"] >= DELAY
    # on the server: every request, robots.txt to the first page included
    assert min(server.gaps()) >= DELAY - ARRIVAL_SLACK


def test_disallowed_list_pages_never_reach_the_server(server: RecordingServer, tmp_path: Path):
    async def go():
        async with PoliteClient(ufccom(server.url, rate_per_s=0)) as client:
            with pytest.raises(RobotsDisallowed) as exc:
                await client.get("/athletes/all?page=1")
            with pytest.raises(RobotsDisallowed):
                await client.get("/athletes/all?gender=All&search=&page=2")
            cards = await UfcComSource(client, RawStore(tmp_path)).first_list_page()
            return exc.value, cards

    error, cards = asyncio.run(go())
    assert "/athletes/all?page=1" in str(error) and "robots.txt" in str(error)
    assert server.paths() == ["/robots.txt", "/athletes/all"]
    assert [c.slug for c in cards][:2] == ["eli-aberdeen", "marek-abramov"]


def test_no_crawl_delay_when_delays_are_off(server: RecordingServer):
    """``rate_per_s=0`` (the mirror and the tests): the Crawl-delay is not applied."""

    async def go():
        async with PoliteClient(ufccom(server.url, rate_per_s=0)) as client:
            for i in range(3):
                await client.get(f"/athlete/fast-{i}")
            return client

    client = asyncio.run(go())
    assert client.crawl_delay_s == 0
    assert len(server.arrivals) == 4
    assert client.stats.min_gap_s is not None and client.stats.min_gap_s < DELAY


def test_each_redirect_hop_waits_its_turn_and_obeys_robots(server: RecordingServer):
    async def go():
        async with PoliteClient(ufccom(server.url)) as client:
            moved = await client.get("/athlete/Old-Slug")
            with pytest.raises(RobotsDisallowed):
                await client.get("/athlete/to-the-list")
            return moved, client

    moved, client = asyncio.run(go())
    assert moved.status == 200 and moved.url.endswith("/athlete/old-slug")
    # robots.txt, the 301, its target, the 302; never the disallowed target of the 302
    assert server.paths() == [
        "/robots.txt",
        "/athlete/Old-Slug",
        "/athlete/old-slug",
        "/athlete/to-the-list",
    ]
    assert min(server.gaps()) >= DELAY - ARRIVAL_SLACK
    assert client.stats.min_gap_s is not None and client.stats.min_gap_s >= DELAY
