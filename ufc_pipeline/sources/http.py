"""Polite asynchronous HTTP for one site: robots.txt, rate and concurrency limits, retries.

* rate: ``aiolimiter.AsyncLimiter`` (leaky bucket) at ``rate_per_s`` requests a second;
  a robots.txt ``Crawl-delay`` slows it further;
* concurrency: an ``asyncio.Semaphore`` of ``concurrency`` requests in flight;
* retries: ``tenacity`` with exponential backoff and jitter, honouring ``Retry-After``,
  on connection errors, timeouts, 429 and 5xx, and on anti-bot pages;
* robots.txt: parsed with ``protego`` (the parser Scrapy uses), fetched once per client;
* every response body is size-limited (``max_page_bytes``).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import httpx
from aiolimiter import AsyncLimiter
from protego import Protego
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
)

from ufc_pipeline.sources.challenge import ChallengeError, challenge_form, parse_challenge, solve
from ufc_pipeline.sources.config import SiteConfig
from ufc_pipeline.sources.errors import FetchError, RobotsDisallowed, SiteBlocked
from ufc_pipeline.sources.policy import (
    backoff_delay,
    verdict,
)

log = logging.getLogger(__name__)


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": dict(self.requests),
            "retries": dict(self.retries),
            "statuses": {str(k): v for k, v in self.statuses.items()},
            "challenges_solved": self.challenges,
        }


class PoliteClient:
    """An async client for one site. Use as ``async with PoliteClient(cfg) as client``."""

    def __init__(self, cfg: SiteConfig, *, transport: httpx.AsyncBaseTransport | None = None):
        self.cfg = cfg
        self.stats = ClientStats()
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._sem = asyncio.Semaphore(cfg.concurrency)
        self._limiter: AsyncLimiter | None = None
        self._robots: Protego | None = None
        self._robots_lock = asyncio.Lock()
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
        self._client = httpx.AsyncClient(
            headers={"User-Agent": self.cfg.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(self.cfg.timeout_s),
            limits=limits,
            follow_redirects=True,
            transport=self._transport,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- robots.txt ---------------------------------------------------------------------
    async def _ensure_robots(self) -> Protego | None:
        if not self.cfg.obey_robots:
            return None
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
            if delay and self.cfg.rate_per_s > 0 and delay > 1.0 / self.cfg.rate_per_s:
                log.info(
                    "%s: robots.txt asks for Crawl-delay %ss; slowing down", self.cfg.name, delay
                )
                self._set_rate(1.0 / float(delay))
            return self._robots

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
        if not await self.allowed(url):
            raise RobotsDisallowed(
                self.cfg.name,
                url,
                "disallowed by robots.txt for our User-Agent",
                "the site asks crawlers not to fetch this page; it is skipped",
            )
        return await self._fetch_with_retries(
            url, kind=kind, check_block=check_block, headers=headers or None
        )

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        retry_after = exc.retry_after if isinstance(exc, _Retryable) else None
        return backoff_delay(
            state.attempt_number, self.cfg.backoff_base_s, self.cfg.backoff_max_s, retry_after
        )

    async def _fetch_with_retries(
        self, url: str, *, kind: str, check_block: bool, headers: dict[str, str] | None = None
    ) -> Response:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.cfg.max_retries + 1),
            wait=self._wait,
            retry=retry_if_exception_type((_Retryable, httpx.TransportError)),
            before_sleep=lambda st: self.stats.retries.update([kind]),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._fetch_once(
                        url, kind=kind, check_block=check_block, headers=headers
                    )
        except _Blocked as exc:
            raise SiteBlocked(
                self.cfg.name,
                url,
                f"anti-bot page ({exc.reason}) after {self.cfg.max_retries + 1} tries",
                f"the site is blocking us: lower {self.cfg.name} rate/concurrency and try later",
            ) from exc
        except _Retryable as exc:
            raise FetchError(
                self.cfg.name,
                url,
                f"{exc.reason} after {self.cfg.max_retries + 1} tries",
                "the site is failing or rate-limiting us; try later or lower the request rate",
            ) from exc
        except httpx.TransportError as exc:
            raise FetchError(
                self.cfg.name,
                url,
                f"{type(exc).__name__}: {exc or 'connection failed'} after "
                f"{self.cfg.max_retries + 1} tries",
                f"check that {self.cfg.root} is reachable (base URL setting) and try later",
            ) from exc
        raise AssertionError("unreachable")  # pragma: no cover

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
        if self._limiter is not None:
            await self._limiter.acquire()
        self.stats.requests.update(["challenge"])
        resp = await self._client.post(action, data=challenge_form(challenge, n))
        if resp.status_code >= 400:
            raise _Blocked(f"ufcstats-challenge answer refused (HTTP {resp.status_code})")
        self.stats.challenges += 1

    async def _fetch_once(
        self, url: str, *, kind: str, check_block: bool, headers: dict[str, str] | None = None
    ) -> Response:
        assert self._client is not None, "use PoliteClient as an async context manager"
        async with self._sem:
            if self._limiter is not None:
                await self._limiter.acquire()
            self.stats.requests.update([kind])
            async with self._client.stream("GET", url, headers=headers) as resp:
                chunks: list[bytes] = []
                size = 0
                async for chunk in resp.aiter_bytes():
                    size += len(chunk)
                    if size > self.cfg.max_page_bytes:
                        raise FetchError(
                            self.cfg.name,
                            url,
                            f"response larger than {self.cfg.max_page_bytes} bytes",
                            "raise max_page_bytes if this page is legitimately that large",
                        )
                    chunks.append(chunk)
                body = b"".join(chunks)
                expected = resp.headers.get("content-length")
                if expected and expected.isdigit() and "content-encoding" not in resp.headers:
                    if int(expected) != len(body):
                        raise _Retryable(f"truncated body ({len(body)} of {expected} bytes)")
                status = resp.status_code
                resp_headers = dict(resp.headers)
        self.stats.statuses.update([status])
        v = verdict(status, body, resp_headers, check_block=check_block)
        if v.action == "challenge":
            await self._answer_challenge(body, url)
            raise _Retryable("UFCStats browser check answered", retry_after=0.0)
        if v.action == "blocked":
            raise _Blocked(v.reason, v.retry_after)
        if v.action == "retry":
            raise _Retryable(v.reason, v.retry_after)
        return Response(url=str(resp.url), status=status, headers=resp_headers, content=body)
