"""Polite asynchronous HTTP for one site: robots.txt, rate and concurrency limits, retries.

* rate: ``aiolimiter.AsyncLimiter`` (leaky bucket) at ``rate_per_s`` requests a second;
* ``Crawl-delay``: when ``rate_per_s > 0``, a robots.txt ``Crawl-delay`` is the minimum
  time between the *starts* of two consecutive requests to the site (robots.txt itself,
  retries and challenge answers included), held by a monotonic "next allowed start" gate
  under a lock, whatever the concurrency. The leaky bucket alone does not hold it: it is
  re-created with the slower rate once robots.txt is read, and a new bucket lets its first
  request through at once, right after the robots.txt request. With ``rate_per_s <= 0``
  (delays off: the local mirror and the tests) the Crawl-delay is not applied. A start
  is when the request goes out on the connection (after any connect), and with a delay
  in force each redirect hop is a request of its own (robots.txt checked, gate passed);
* concurrency: an ``asyncio.Semaphore`` of ``concurrency`` requests in flight;
* retries: exponential backoff with jitter (``policy.backoff_delay``), honouring
  ``Retry-After``, on connection errors, timeouts, 429 and 5xx, and on anti-bot pages;
* robots.txt: parsed with ``protego`` (the parser Scrapy uses), fetched once per client;
* every response body is size-limited (``max_page_bytes``), and a body shorter than its
  ``Content-Length`` is retried.

A request costs as little CPU as the guarantees allow (thousands of pages a run): with no
rate limit and no Crawl-delay in force nothing is awaited before the request and no
trace hook is installed; the retry loop is a plain loop (no retry object per request);
and the requests go out on aiohttp's connection pool and C parser
(:mod:`ufc_pipeline.sources.aiohttp_transport`) rather than httpcore's.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import ssl
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any
from urllib.parse import urljoin

import httpx
from aiolimiter import AsyncLimiter
from protego import Protego

from ufc_pipeline.sources.aiohttp_transport import AiohttpTransport
from ufc_pipeline.sources.challenge import ChallengeError, challenge_form, parse_challenge, solve
from ufc_pipeline.sources.config import SiteConfig
from ufc_pipeline.sources.errors import FetchError, RobotsDisallowed, SiteBlocked
from ufc_pipeline.sources.policy import (
    backoff_delay,
    verdict,
)

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5


@dataclass
class Response:
    url: str
    status: int
    headers: dict[str, str]
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class _Blocked(_Retryable):
    pass


@dataclass
class ClientStats:
    requests: Counter[str] = field(default_factory=Counter)
    retries: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    challenges: int = 0
    #: ``time.monotonic()`` when each request went out (robots.txt, retries, redirect
    #: hops and challenge answers included), in that order: with a Crawl-delay in force,
    #: when its headers were sent; without one (nothing waits on it), when it was handed
    #: to the connection pool
    starts: list[float] = field(default_factory=list)

    @property
    def min_gap_s(self) -> float | None:
        """The shortest time between the starts of two consecutive requests (None with
        fewer than two requests)."""
        return min((b - a for a, b in pairwise(self.starts)), default=None)

    def as_dict(self) -> dict[str, Any]:
        gap = self.min_gap_s
        return {
            "requests": dict(self.requests),
            "retries": dict(self.retries),
            "statuses": {str(k): v for k, v in self.statuses.items()},
            "challenges_solved": self.challenges,
            "min_gap_s": round(gap, 3) if gap is not None else None,
        }


class _StartGate:
    """The next allowed start of a request: at least ``min_interval_s`` after the start of
    the previous one, a start being the moment the request goes out on the connection (as
    the site sees it), not the moment it was decided. While a Crawl-delay is in force a
    request holds the gate from its turn until its headers are sent (one at a time, first
    come first served: ``asyncio.Lock``), so a slow connect or TLS handshake cannot bring
    the next request closer to it, whatever the concurrency. Without a delay nothing waits;
    the starts are only recorded."""

    def __init__(self) -> None:
        self.min_interval_s = 0.0
        self.last: float | None = None
        self._lock = asyncio.Lock()

    async def enter(self) -> _Ticket:
        """Wait for the turn of one request; call :meth:`_Ticket.start` when it goes out."""
        if self.min_interval_s <= 0:
            return _Ticket(self, holds_lock=False)
        await self._lock.acquire()
        try:
            # asyncio may wake a sleeper a hair early: wait until the time has come
            while (
                self.last is not None
                and (wait := self.last + self.min_interval_s - time.monotonic()) > 0
            ):
                await asyncio.sleep(wait)
        except BaseException:
            self._lock.release()
            raise
        return _Ticket(self, holds_lock=True)

    def passed(self, when: float, *, holds_lock: bool) -> None:
        """A request went out at ``when``; the next one may wait for its turn."""
        self.last = max(self.last or when, when)
        if holds_lock:
            self._lock.release()


class _Ticket:
    """One request's turn at the gate."""

    def __init__(self, gate: _StartGate, *, holds_lock: bool) -> None:
        self.gate = gate
        self.holds_lock = holds_lock
        self.started: float | None = None

    def start(self) -> float | None:
        """The request is going out now (or gave up before): record it and let the next
        one wait its turn. Returns the start time the first time only."""
        if self.started is not None:
            return None
        self.started = now = time.monotonic()
        self.gate.passed(now, holds_lock=self.holds_lock)
        return now


def _use_aiohttp(client: httpx.AsyncClient, limit: int) -> None:
    """Put the client's default transport (the one it made itself; proxies from the
    environment keep their own transports) on aiohttp's pool: see
    :mod:`ufc_pipeline.sources.aiohttp_transport`. Should httpx change where it keeps its
    default transport, the client is left as it is."""
    if type(getattr(client, "_transport", None)) is httpx.AsyncHTTPTransport:
        client._transport = AiohttpTransport(limit=limit, ssl_context=_tls_context())


def _redirect_url(request: httpx.Request, response: httpx.Response) -> httpx.URL:
    """Where a redirect points, resolved as httpx resolves it (a Location without a host
    keeps the request's, a relative one is joined to the request URL, the fragment is
    kept); an unreadable Location is a protocol error (retried, like httpx's)."""
    try:
        url = httpx.URL(response.headers["location"])
    except httpx.InvalidURL as exc:
        raise httpx.RemoteProtocolError(
            f"Invalid URL in location header: {exc}.", request=request
        ) from None
    if url.scheme and not url.host:
        url = url.copy_with(host=request.url.host)
    if url.is_relative_url:
        url = request.url.join(url)
    if request.url.fragment and not url.fragment:
        url = url.copy_with(fragment=request.url.fragment)
    return url


def _tls_context() -> ssl.SSLContext:
    """The certificate-verifying TLS context the clients of the process share: building
    one (reading the CA bundle) costs ~0.1-0.2 s of CPU, and each step opens clients. One
    per value of ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``, which are honoured as httpx does."""
    return _tls_context_for(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.cache
def _tls_context_for(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    return httpx.create_ssl_context()  # reads the two variables itself


class PoliteClient:
    """An async client for one site. Use as ``async with PoliteClient(cfg) as client``."""

    def __init__(self, cfg: SiteConfig, *, transport: httpx.AsyncBaseTransport | None = None):
        self.cfg = cfg
        self.stats = ClientStats()
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._timeout: dict[str, float | None] = {}
        self._sem = asyncio.Semaphore(cfg.concurrency)
        self._limiter: AsyncLimiter | None = None
        self._robots: Protego | None = None
        self._robots_lock = asyncio.Lock()
        self._gate = _StartGate()
        self._set_rate(cfg.rate_per_s)

    def _set_rate(self, rate_per_s: float) -> None:
        if rate_per_s and rate_per_s > 0:
            # max_rate requests per time_period seconds; a bucket of 1 keeps bursts out.
            self._limiter = AsyncLimiter(1, 1.0 / rate_per_s)
        else:
            self._limiter = None

    async def __aenter__(self) -> PoliteClient:
        limits = httpx.Limits(
            max_connections=self.cfg.concurrency, max_keepalive_connections=self.cfg.concurrency
        )
        transport = self._transport
        if transport is None and not urllib.request.getproxies():
            # given here, httpx builds no default transport of its own, which imports
            # httpcore (0.1-0.2 s of a process's start); with a proxy in the environment
            # httpx must mount its transports for it, and the default one is then replaced
            transport = AiohttpTransport(limit=self.cfg.concurrency, ssl_context=_tls_context())
        self._client = httpx.AsyncClient(
            headers={"User-Agent": self.cfg.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(self.cfg.timeout_s),
            limits=limits,
            follow_redirects=True,
            transport=transport,
            verify=_tls_context(),
        )
        if transport is None:
            _use_aiohttp(self._client, self.cfg.concurrency)
        self._timeout = self._client.timeout.as_dict()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- robots.txt ---------------------------------------------------------------------
    async def _ensure_robots(self) -> Protego | None:
        if not self.cfg.obey_robots:
            return None
        if self._robots is not None:  # read once; no lock to take after that
            return self._robots
        async with self._robots_lock:
            if self._robots is not None:
                return self._robots
            url = self.cfg.url("/robots.txt")
            try:
                resp = await self._fetch_with_retries(url, kind="robots", check_block=False)
            except FetchError as exc:
                raise FetchError(
                    self.cfg.name,
                    url,
                    f"robots.txt unreachable ({exc.reason})",
                    "robots.txt must be readable before crawling; check the base URL or try later",
                ) from exc
            if resp.status >= 400:
                # RFC 9309: a missing robots.txt (4xx) allows everything.
                self._robots = Protego.parse("")
            else:
                self._robots = Protego.parse(resp.text)
            delay = self._robots.crawl_delay(self.cfg.user_agent)
            if delay and self.cfg.rate_per_s > 0:
                # the minimum spacing of request starts, from the robots.txt request on
                self._gate.min_interval_s = float(delay)
                if delay > 1.0 / self.cfg.rate_per_s:
                    log.info(
                        "%s: robots.txt asks for Crawl-delay %ss; slowing down",
                        self.cfg.name,
                        delay,
                    )
                    self._set_rate(1.0 / float(delay))
            return self._robots

    @property
    def crawl_delay_s(self) -> float:
        """The Crawl-delay in force between request starts (0: none, or delays are off)."""
        return self._gate.min_interval_s

    @property
    def _paced(self) -> bool:
        """A rate limit or a Crawl-delay is in force (a request may have to wait)."""
        return self._limiter is not None or self._gate.min_interval_s > 0

    async def _turn(self) -> _Ticket:
        """Wait for the next allowed start: the rate limit, then the Crawl-delay spacing."""
        if self._limiter is not None:
            await self._limiter.acquire()
        return await self._gate.enter()

    def _started(self, ticket: _Ticket) -> None:
        start = ticket.start()
        if start is not None:
            self.stats.starts.append(start)

    def _on_the_wire(self, ticket: _Ticket) -> dict[str, Any]:
        """httpx request extensions that mark the ticket started once the request headers
        are sent (the transport's ``trace`` extension), after any connect or TLS handshake."""

        async def trace(event: str, info: dict[str, Any]) -> None:
            if event.endswith("send_request_headers.complete"):
                self._started(ticket)

        return {"trace": trace}

    async def allowed(self, url: str) -> bool:
        robots = await self._ensure_robots()
        return robots is None or robots.can_fetch(url, self.cfg.user_agent)

    # -- fetching -----------------------------------------------------------------------
    async def get(
        self,
        path: str,
        *,
        kind: str = "page",
        check_block: bool = True,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Response:
        """GET a path (or URL, re-based on this site) politely; raises FetchError on failure.

        4xx other than 408/425/429 are returned as responses (the caller decides what a 404
        means); 5xx, 429, timeouts, resets and anti-bot pages are retried, then raise.
        With ``etag`` / ``last_modified`` (from the stored copy) the request is conditional
        and an unchanged page comes back as a 304 with no body.
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        url = self.cfg.url(path)
        await self._check_allowed(url)
        # With a Crawl-delay in force, redirects are followed here, each hop a request of
        # its own: through robots.txt and the gate (httpx would send the next hop at once).
        manual = self._gate.min_interval_s > 0
        resp = await self._fetch_with_retries(
            url,
            kind=kind,
            check_block=check_block,
            headers=headers or None,
            follow_redirects=not manual,
        )
        for _ in range(MAX_REDIRECTS):
            location = resp.headers.get("location")
            if not (manual and resp.status in REDIRECT_STATUSES and location):
                return resp
            url = urljoin(resp.url, location)
            await self._check_allowed(url)
            resp = await self._fetch_with_retries(
                url, kind=kind, check_block=check_block, follow_redirects=False
            )
        raise FetchError(
            self.cfg.name, url, f"more than {MAX_REDIRECTS} redirects", "the site loops"
        )

    async def _check_allowed(self, url: str) -> None:
        if not await self.allowed(url):
            raise RobotsDisallowed(
                self.cfg.name,
                url,
                "disallowed by robots.txt for our User-Agent",
                "the site asks crawlers not to fetch this page; it is skipped",
            )

    async def _fetch_with_retries(
        self,
        url: str,
        *,
        kind: str,
        check_block: bool,
        headers: dict[str, str] | None = None,
        follow_redirects: bool = True,
    ) -> Response:
        """``max_retries + 1`` tries of :meth:`_fetch_once`; connection errors, timeouts
        and retryable answers are retried after ``backoff_delay`` (the site's Retry-After
        when it sends one), other errors end the fetch at once."""
        tries = self.cfg.max_retries + 1
        attempt = 0
        try:
            while True:
                attempt += 1
                try:
                    return await self._fetch_once(
                        url,
                        kind=kind,
                        check_block=check_block,
                        headers=headers,
                        follow_redirects=follow_redirects,
                    )
                except (_Retryable, httpx.TransportError) as exc:
                    if attempt >= tries:
                        raise
                    retry_after = exc.retry_after if isinstance(exc, _Retryable) else None
                    self.stats.retries[kind] += 1
                    await asyncio.sleep(
                        backoff_delay(
                            attempt, self.cfg.backoff_base_s, self.cfg.backoff_max_s, retry_after
                        )
                    )
        except _Blocked as exc:
            raise SiteBlocked(
                self.cfg.name,
                url,
                f"anti-bot page ({exc.reason}) after {tries} tries",
                f"the site is blocking us: lower {self.cfg.name} rate/concurrency and try later",
            ) from exc
        except _Retryable as exc:
            raise FetchError(
                self.cfg.name,
                url,
                f"{exc.reason} after {tries} tries",
                "the site is failing or rate-limiting us; try later or lower the request rate",
            ) from exc
        except httpx.TransportError as exc:
            raise FetchError(
                self.cfg.name,
                url,
                f"{type(exc).__name__}: {exc or 'connection failed'} after {tries} tries",
                f"check that {self.cfg.root} is reachable (base URL setting) and try later",
            ) from exc

    async def _answer_challenge(self, body: bytes, url: str) -> None:
        """Solve UFCStats' proof-of-work page and POST the answer; the session cookie it
        sets lets the next requests through (the caller then retries the page)."""
        challenge = parse_challenge(body)
        if challenge is None:
            raise _Blocked("ufcstats-challenge (unreadable)")
        try:
            n = await asyncio.to_thread(solve, challenge, self.cfg.challenge_max_iterations)
        except ChallengeError as exc:
            raise SiteBlocked(self.cfg.name, url, str(exc), "try later") from exc
        assert self._client is not None
        action = urljoin(url, challenge.action)
        ticket = await self._turn()
        self.stats.requests["challenge"] += 1
        try:
            resp = await self._client.post(
                action, data=challenge_form(challenge, n), extensions=self._on_the_wire(ticket)
            )
        finally:
            self._started(ticket)
        if resp.status_code >= 400:
            raise _Blocked(f"ufcstats-challenge answer refused (HTTP {resp.status_code})")
        self.stats.challenges += 1

    async def _fetch_once(
        self,
        url: str,
        *,
        kind: str,
        check_block: bool,
        headers: dict[str, str] | None = None,
        follow_redirects: bool = True,
    ) -> Response:
        assert self._client is not None, "use PoliteClient as an async context manager"
        async with self._sem:
            if self._paced:
                ticket = await self._turn()
                self.stats.requests[kind] += 1
                try:
                    resp = await self._send(
                        url, headers, follow_redirects, self._on_the_wire(ticket)
                    )
                    self._started(ticket)  # a transport without the trace extension
                    body = await self._read(resp, url)
                finally:
                    self._started(ticket)  # failed before it went out: now its start
            else:
                # nothing to wait for: no gate ticket, no trace hook
                self.stats.requests[kind] += 1
                self.stats.starts.append(time.monotonic())
                resp = await self._send(url, headers, follow_redirects, None)
                body = await self._read(resp, url)
            status = resp.status_code
            resp_headers = dict(resp.headers)
            final_url = str(resp.request.url)
        self.stats.statuses[status] += 1
        v = verdict(status, body, resp_headers, check_block=check_block)
        if v.action == "ok":
            return Response(url=final_url, status=status, headers=resp_headers, content=body)
        if v.action == "challenge":
            await self._answer_challenge(body, url)
            raise _Retryable("UFCStats browser check answered", retry_after=0.0)
        if v.action == "blocked":
            raise _Blocked(v.reason, v.retry_after)
        raise _Retryable(v.reason, v.retry_after)

    def _request(
        self, url: str | httpx.URL, headers: dict[str, str] | None, trace: dict[str, Any] | None
    ) -> httpx.Request:
        """A GET as ``AsyncClient.build_request`` makes it: the client's headers (with
        ``headers`` over them), its timeout, the cookies of its jar for that URL."""
        assert self._client is not None
        merged = self._client.headers
        if headers:
            merged = httpx.Headers(merged)
            merged.update(headers)
        extensions: dict[str, Any] = {"timeout": self._timeout}
        if trace:
            extensions.update(trace)
        request = httpx.Request("GET", url, headers=merged, extensions=extensions)
        cookies = self._client.cookies
        if cookies:
            cookies.set_cookie_header(request)
        return request

    async def _send(
        self,
        url: str,
        headers: dict[str, str] | None,
        follow_redirects: bool,
        trace: dict[str, Any] | None,
    ) -> httpx.Response:
        """Send a GET on the transport ``AsyncClient.send`` would use for its URL (its
        connection pool, or a proxy from the environment), keeping the client's cookie
        jar up to date, and following redirects as it does when asked (the same request
        to each ``Location``, at most ``max_redirects`` hops). What the client adds on top
        (URL merging, the auth flow, event hooks, per-response bookkeeping) is skipped:
        none of it is used here, and it cost a tenth of a page's CPU. Returns the response
        with its body still to be read."""
        client = self._client
        assert client is not None
        request = self._request(url, headers, trace)
        for _ in range(client.max_redirects + 1):
            response = await client._transport_for_url(request.url).handle_async_request(request)
            response.request = request
            if "set-cookie" in response.headers:
                client.cookies.extract_cookies(response)
            if not (follow_redirects and response.has_redirect_location):
                return response
            await response.aread()  # as httpx does; the connection goes back to the pool
            request = self._request(_redirect_url(request, response), headers, trace)
        raise FetchError(
            self.cfg.name, url, f"more than {client.max_redirects} redirects", "the site loops"
        )

    async def _read(self, resp: httpx.Response, url: str) -> bytes:
        try:
            return await self._body(resp, url)
        finally:
            await resp.aclose()

    async def _body(self, resp: httpx.Response, url: str) -> bytes:
        """The whole body, size-limited; a body shorter than its Content-Length is retried."""
        chunks: list[bytes] = []
        size = 0
        limit = self.cfg.max_page_bytes
        async for chunk in resp.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchError(
                    self.cfg.name,
                    url,
                    f"response larger than {limit} bytes",
                    "raise max_page_bytes if this page is legitimately that large",
                )
            chunks.append(chunk)
        body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        expected = resp.headers.get("content-length")
        if expected and expected.isdigit() and "content-encoding" not in resp.headers:
            if int(expected) != len(body):
                raise _Retryable(f"truncated body ({len(body)} of {expected} bytes)")
        return body
