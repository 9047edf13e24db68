import asyncio
import socket
import socketserver
import threading

import pytest

from ufc_pipeline.sources.config import SiteConfig
from ufc_pipeline.sources.errors import FetchError, RobotsDisallowed, SiteBlocked
from ufc_pipeline.sources.http import PoliteClient
from ufc_pipeline.sources.policy import parse_retry_after

CF = b"<html><head><title>Just a moment...</title></head><body>cf_chl_opt</body></html>"


def cfg(url: str, **kw) -> SiteConfig:
    base = dict(
        name="testsite",
        base_url=url,
        rate_per_s=0,
        concurrency=2,
        max_retries=3,
        backoff_base_s=0.01,
        backoff_max_s=0.05,
        timeout_s=5,
    )
    base.update(kw)
    return SiteConfig(**base)


def fetch(config: SiteConfig, path: str, **kw):
    async def go():
        async with PoliteClient(config) as c:
            resp = await c.get(path, **kw)
            return resp, c.stats

    return asyncio.run(go())


def test_retries_5xx_then_succeeds(scripted):
    scripted.routes["/flaky"] = lambda p, n: (503, {}, b"busy") if n < 3 else (200, {}, b"ok")
    resp, stats = fetch(cfg(scripted.url), "/flaky")
    assert resp.status == 200 and resp.content == b"ok"
    assert scripted.hits["/flaky"] == 3
    assert stats.retries["page"] == 2


def test_gives_up_with_clear_error(scripted):
    scripted.routes["/down"] = lambda p, n: (500, {}, b"err")
    with pytest.raises(FetchError) as exc:
        fetch(cfg(scripted.url), "/down")
    msg = str(exc.value)
    assert "testsite" in msg and "/down" in msg and "HTTP 500 after 4 tries" in msg
    assert scripted.hits["/down"] == 4


def test_honours_retry_after(scripted):
    scripted.routes["/slow"] = lambda p, n: (
        (429, {"Retry-After": "0"}, b"") if n == 1 else (200, {}, b"fine")
    )
    resp, _ = fetch(cfg(scripted.url, backoff_base_s=30, backoff_max_s=30), "/slow")
    # with a 30 s backoff the test would time out if Retry-After: 0 were ignored
    assert resp.content == b"fine"


def test_parse_retry_after():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("garbage") is None
    assert parse_retry_after(None) is None


def test_robots_disallow_is_obeyed(scripted):
    scripted.routes["/private/x"] = lambda p, n: (200, {}, b"secret")
    with pytest.raises(RobotsDisallowed):
        fetch(cfg(scripted.url), "/private/x")
    assert "/private/x" not in scripted.hits


def test_missing_robots_allows_all(scripted):
    del scripted.routes["/robots.txt"]
    scripted.routes["/page"] = lambda p, n: (200, {}, b"hello")
    resp, _ = fetch(cfg(scripted.url), "/page")
    assert resp.content == b"hello"


def test_block_page_is_not_data(scripted):
    scripted.routes["/blocked"] = lambda p, n: (403, {}, CF)
    with pytest.raises(SiteBlocked) as exc:
        fetch(cfg(scripted.url), "/blocked")
    assert "cloudflare" in str(exc.value) and "lower testsite rate" in str(exc.value)


def test_block_page_with_200_then_real_page(scripted):
    scripted.routes["/cf"] = lambda p, n: (200, {}, CF) if n == 1 else (200, {}, b"<p>real</p>")
    resp, _ = fetch(cfg(scripted.url), "/cf")
    assert resp.content == b"<p>real</p>"


def test_user_agent_is_sent(scripted):
    scripted.routes["/ua"] = lambda p, n: (200, {}, b"x")
    fetch(cfg(scripted.url, user_agent="ufc-pipeline-test/1.0"), "/ua")
    assert set(scripted.user_agents) == {"ufc-pipeline-test/1.0"}


def test_absolute_links_are_rebased(scripted):
    scripted.routes["/fighter-details/abc"] = lambda p, n: (200, {}, b"rebased")
    resp, _ = fetch(cfg(scripted.url), "http://ufcstats.com/fighter-details/abc")
    assert resp.content == b"rebased"


def test_oversized_page_refused(scripted):
    scripted.routes["/huge"] = lambda p, n: (200, {}, b"x" * 5000)
    with pytest.raises(FetchError, match="larger than 1000 bytes"):
        fetch(cfg(scripted.url, max_page_bytes=1000), "/huge")


def test_404_is_returned_not_retried(scripted):
    resp, _ = fetch(cfg(scripted.url), "/nope")
    assert resp.status == 404 and scripted.hits["/nope"] == 1


def test_bad_base_url_names_the_setting():
    with pytest.raises(ValueError, match="base URL"):
        SiteConfig(name="sherdog", base_url="www.sherdog.com")


def test_retries_connection_errors_then_names_the_tries():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"

    async def go():
        async with PoliteClient(cfg(url)) as c:
            with pytest.raises(FetchError) as exc:
                await c.get("/page")
            return exc.value, c.stats

    error, stats = asyncio.run(go())
    assert "robots.txt unreachable" in str(error) and "after 4 tries" in str(error)
    assert stats.requests["robots"] == 4 and stats.retries["robots"] == 3


class _SilentCloser(socketserver.BaseRequestHandler):
    """Answers one request as if keeping the connection alive, then closes it."""

    def handle(self) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            data += chunk
        self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")


def test_idle_connection_closed_by_the_server_is_not_reused():
    """The pool notices a kept-alive connection the server has closed since (the socket
    reads as readable) and opens a new one: no failed request, no retry."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SilentCloser)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"

    async def go():
        async with PoliteClient(cfg(url, obey_robots=False, concurrency=1)) as c:
            bodies = []
            for _ in range(3):
                bodies.append((await c.get("/page")).content)
                await asyncio.sleep(0.2)  # the server's FIN arrives
            return bodies, c.stats

    try:
        bodies, stats = asyncio.run(go())
    finally:
        server.shutdown()
        server.server_close()
    assert bodies == [b"ok"] * 3
    assert stats.requests["page"] == 3 and not stats.retries


def test_default_pool_reads_the_socket_it_kept():
    """The client's own connection pool is on the socket-caching backend (should an httpx
    upgrade change the pool's layout, this says the optimisation no longer applies)."""

    async def go():
        async with PoliteClient(cfg("http://127.0.0.1:9")) as c:
            pool = c._client._transport._pool  # type: ignore[union-attr]
            return type(pool._network_backend).__name__

    assert asyncio.run(go()) == "_SocketCachingBackend"
