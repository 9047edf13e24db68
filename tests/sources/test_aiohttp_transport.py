"""The httpx transport on aiohttp (``ufc_pipeline.sources.aiohttp_transport``), against
real servers on 127.0.0.1: what it sends, what it hands back, when it says the request went
out, how many connections it opens."""

from __future__ import annotations

import asyncio
import gzip
import threading
import time
from typing import Any

import httpx
import pytest

from tests.sources.conftest import ScriptedServer
from ufc_pipeline.sources.aiohttp_transport import HEADERS_SENT, AiohttpTransport
from ufc_pipeline.sources.http import _tls_context


def _client(limit: int = 4) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=AiohttpTransport(limit=limit, ssl_context=_tls_context()),
        headers={"User-Agent": "ufc-test/1.0", "Accept-Encoding": "gzip, deflate"},
        timeout=5.0,
    )


def test_sends_httpx_headers_and_cookies_and_nothing_of_its_own(scripted: ScriptedServer):
    scripted.routes["/page"] = lambda p, n: (200, {}, b"ok")

    async def go() -> None:
        async with _client() as client:
            client.cookies.set("session", "abc", domain="127.0.0.1")
            resp = await client.get(f"{scripted.url}/page?x=%2Fy", headers={"If-None-Match": '"1"'})
            assert resp.status_code == 200 and resp.content == b"ok"

    asyncio.run(go())
    path, headers = scripted.headers[-1]
    assert path == "/page?x=%2Fy"  # the query as httpx encoded it
    assert headers["User-Agent"] == "ufc-test/1.0"
    assert headers["Cookie"] == "session=abc"
    assert headers["If-None-Match"] == '"1"'
    assert headers["Accept-Encoding"] == "gzip, deflate"
    assert "aiohttp" not in " ".join(headers.values()).lower()


def test_compressed_body_is_decoded_by_httpx(scripted: ScriptedServer):
    page = b"<html>" + b"fighter " * 5000 + b"</html>"
    scripted.routes["/gz"] = lambda p, n: (200, {"Content-Encoding": "gzip"}, gzip.compress(page))

    async def go() -> tuple[bytes, str]:
        async with _client() as client:
            resp = await client.get(f"{scripted.url}/gz")
            return resp.content, resp.headers["content-encoding"]

    content, encoding = asyncio.run(go())
    assert content == page and encoding == "gzip"


def test_redirects_are_left_to_httpx(scripted: ScriptedServer):
    scripted.routes["/old"] = lambda p, n: (301, {"Location": "/new"}, b"")
    scripted.routes["/new"] = lambda p, n: (200, {}, b"moved")

    async def go() -> tuple[int, int, bytes]:
        async with _client() as client:
            first = await client.get(f"{scripted.url}/old")
            followed = await client.get(f"{scripted.url}/old", follow_redirects=True)
            return first.status_code, followed.status_code, followed.content

    assert asyncio.run(go()) == (301, 200, b"moved")


def test_trace_says_when_the_headers_went_out(scripted: ScriptedServer):
    """The start of a request (for the Crawl-delay gate) is when its headers are sent, not
    when the answer comes back."""

    def slow(path: str, n: int) -> tuple[int, dict[str, str], bytes]:
        time.sleep(0.4)
        return 200, {}, b"late"

    scripted.routes["/slow"] = slow
    events: list[tuple[str, float]] = []

    async def trace(event: str, info: dict[str, Any]) -> None:
        events.append((event, time.monotonic()))

    async def go() -> float:
        async with _client() as client:
            await client.get(f"{scripted.url}/slow", extensions={"trace": trace})
            return time.monotonic()

    done = asyncio.run(go())
    assert [e for e, _ in events] == [HEADERS_SENT]
    assert done - events[0][1] >= 0.35


def test_never_more_connections_than_the_limit(scripted: ScriptedServer):
    lock = threading.Lock()
    state = {"now": 0, "most": 0}

    def busy(path: str, n: int) -> tuple[int, dict[str, str], bytes]:
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.1)
        with lock:
            state["now"] -= 1
        return 200, {}, b"x"

    scripted.routes["/busy"] = busy

    async def go() -> list[int]:
        async with _client(limit=2) as client:
            resps = await asyncio.gather(*(client.get(f"{scripted.url}/busy") for _ in range(8)))
            return [r.status_code for r in resps]

    assert asyncio.run(go()) == [200] * 8
    assert state["most"] == 2


def test_nothing_listening_is_an_httpx_connect_error():
    async def go() -> None:
        async with _client() as client:
            await client.get("http://127.0.0.1:9/")

    with pytest.raises(httpx.ConnectError):
        asyncio.run(go())


def test_read_timeout_is_an_httpx_read_timeout(scripted: ScriptedServer):
    def stuck(path: str, n: int) -> tuple[int, dict[str, str], bytes]:
        time.sleep(1.0)
        return 200, {}, b"too late"

    scripted.routes["/stuck"] = stuck

    async def go() -> None:
        async with _client() as client:
            await client.get(f"{scripted.url}/stuck", timeout=httpx.Timeout(0.2))

    with pytest.raises(httpx.ReadTimeout):
        asyncio.run(go())


def test_a_long_header_line_is_read(scripted: ScriptedServer):
    policy = ("default-src 'self'; " + "script-src https://cdn.example.org/a; " * 300).strip()
    scripted.routes["/csp"] = lambda p, n: (200, {"Content-Security-Policy": policy}, b"ok")

    async def go() -> str:
        async with _client() as client:
            return (await client.get(f"{scripted.url}/csp")).headers["content-security-policy"]

    assert asyncio.run(go()) == policy
