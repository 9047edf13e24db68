"""One HTTP policy for both clients (the httpx ``PoliteClient`` and the Scrapy crawl).

What is retried, how long to wait, and what an answer means are decided here once:

* :func:`verdict` reads a response (status, the start of the body, Retry-After) and says
  ``ok``, ``challenge`` (UFCStats' proof-of-work page: answer it, then retry), ``blocked``
  (an anti-bot page: retry with backoff, then give up naming the site) or ``retry``
  (429, 5xx, 408/425 and Cloudflare's 52x);
* :func:`backoff_delay` is the wait before a retry: exponential with jitter, or the
  site's ``Retry-After`` when it sends one, both capped at ``backoff_max_s``.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from ufc_pipeline.parsing.blocks import detect_block

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
# statuses with which an anti-bot page is served (a 200 "Just a moment..." too)
BLOCK_STATUSES = frozenset({200, 403, 429, 503})
BLOCK_SNIFF_BYTES = 20_000  # anti-bot pages are small; their markers sit at the top

Action = Literal["ok", "challenge", "blocked", "retry"]


@dataclass(frozen=True)
class Verdict:
    action: Action
    reason: str = ""
    retry_after: float | None = None

    @property
    def retryable(self) -> bool:
        return self.action in ("blocked", "retry")


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def verdict(
    status: int, body: bytes, headers: Mapping[str, str], *, check_block: bool = True
) -> Verdict:
    """What a response means for the caller; ``headers`` with lower-case names."""
    retry_after = parse_retry_after(headers.get("retry-after"))
    if check_block and status in BLOCK_STATUSES:
        block = detect_block(body[:BLOCK_SNIFF_BYTES], status)
        if block == "ufcstats-challenge":
            return Verdict("challenge", "UFCStats browser check")
        if block:
            return Verdict("blocked", f"{block} (HTTP {status})", retry_after)
    if status in RETRY_STATUSES:
        return Verdict("retry", f"HTTP {status}", retry_after)
    return Verdict("ok")


def backoff_delay(
    attempt: int, base_s: float, max_s: float, retry_after: float | None = None
) -> float:
    """Seconds to wait before retry number ``attempt`` (1, 2, ...)."""
    cap = max(max_s, 0.0)
    if retry_after is not None:
        return min(retry_after, cap) if cap > 0 else 0.0
    return min(cap, base_s * 2 ** (attempt - 1) + random.uniform(0, base_s))
