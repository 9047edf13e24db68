"""Injected faults: configuration, deterministic decisions, counters and the challenge store.

Off by default. :class:`FaultConfig` gives an overall ``rate`` (spread evenly over the
kinds that apply to a site, so each site sees about ``rate`` faults overall) or per-kind
rates (``kinds={"429": 0.05, "reset": 0.02}``: exactly those kinds, at those rates).

A decision depends only on ``(seed, site, request target, attempt)`` where ``attempt``
counts the requests for that target on that site (0, 1, 2, ...): the same call order gives
the same faults, and a retried request draws again, so it can succeed. See
:meth:`FaultConfig.decide`.

Kinds (``FAULT_KINDS``): ``429`` (``Retry-After: 1``, sometimes an HTTP date), ``500``,
``502``, ``503``, ``cloudflare`` (403/503 "Just a moment..." page), ``challenge``
(UFCStats only: 200 proof-of-work page, solved at ``POST /__c``), ``slow`` (answer after
``slow_s`` seconds), ``reset`` (connection closed with a TCP RST, no answer),
``truncated`` (full Content-Length, part of the body, then close). ``drift_letter`` is not
random: every UFCStats page of that fighters-list letter renders with new class names.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie

FAULT_KINDS = ("429", "500", "502", "503", "cloudflare", "challenge", "slow", "reset",
               "truncated")  # fmt: skip
SITE_ONLY = {"challenge": "ufcstats"}
COOKIE_NAME = "__ufc_c"
CHALLENGE_PATH = "/__c"


@dataclass(frozen=True)
class FaultConfig:
    """What to inject. ``kinds`` overrides ``rate`` (kinds not listed are then off)."""

    rate: float = 0.0
    kinds: Mapping[str, float] | None = None
    seed: int = 0
    slow_s: float = 5.0
    challenge_difficulty: int = 4
    challenge_uses: int = 500
    challenge_ttl_s: float = 600.0
    drift_letter: str | None = None

    def __post_init__(self) -> None:
        unknown = set(self.kinds or ()) - set(FAULT_KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; known: {FAULT_KINDS}")
        if not 0 <= self.rate <= 1 or any(not 0 <= r <= 1 for r in (self.kinds or {}).values()):
            raise ValueError("fault rates must be between 0 and 1")

    def rates(self, site: str) -> list[tuple[str, float]]:
        """(kind, probability) of the kinds applying to ``site``, in ``FAULT_KINDS`` order."""
        kinds = [k for k in FAULT_KINDS if SITE_ONLY.get(k, site) == site]
        if self.kinds is not None:
            out = [(k, float(self.kinds[k])) for k in kinds if k in self.kinds]
        else:
            out = [(k, self.rate / len(kinds)) for k in kinds] if self.rate > 0 else []
        total = sum(r for _, r in out)
        if total > 1:
            out = [(k, r / total) for k, r in out]
        return [(k, r) for k, r in out if r > 0]

    @property
    def enabled(self) -> bool:
        """True when any random fault can happen."""
        return bool(self.rates("ufcstats") or self.rates("sherdog"))

    def decide(self, site: str, target: str, attempt: int) -> str | None:
        """The fault kind for this request, or None (deterministic, see the module doc)."""
        u = random.Random(f"{self.seed}:{site}:{target}:{attempt}").random()
        acc = 0.0
        for kind, r in self.rates(site):
            acc += r
            if u < acc:
                return kind
        return None

    def detail_rng(self, site: str, target: str, attempt: int) -> random.Random:
        """A generator for the details of a fault (status variant, header form, cut point)."""
        return random.Random(f"{self.seed}:{site}:{target}:{attempt}:detail")

    @staticmethod
    def parse_kinds(text: str | None, default_rate: float) -> dict[str, float] | None:
        """``"429=0.05,reset=0.02,challenge"`` -> rates (a bare kind gets ``default_rate``)."""
        if not text:
            return None
        out: dict[str, float] = {}
        for item in text.split(","):
            item = item.strip()
            if not item:
                continue
            kind, _, value = item.partition("=")
            out[kind.strip()] = float(value) if value.strip() else default_rate
        return out


def solve_nonce(nonce: str, difficulty: int) -> int:
    """Reference solver: the first n with ``sha256(f"{nonce}:{n}")`` hex starting with zeros."""
    target = "0" * difficulty
    n = 0
    while not hashlib.sha256(f"{nonce}:{n}".encode()).hexdigest().startswith(target):
        n += 1
    return n


@dataclass
class _Token:
    uses_left: int
    expires: float


@dataclass
class FaultState:
    """Per-mirror state: attempt counters, injected counts and challenge nonces/tokens."""

    config: FaultConfig
    attempts: Counter[tuple[str, str]] = field(default_factory=Counter)
    injected: Counter[str] = field(default_factory=Counter)
    nonces: OrderedDict[str, None] = field(default_factory=OrderedDict)
    tokens: dict[str, _Token] = field(default_factory=dict)
    issued: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_attempt(self, site: str, target: str) -> int:
        """The attempt number of this request for ``(site, target)`` (0 for the first)."""
        with self.lock:
            n = self.attempts[(site, target)]
            self.attempts[(site, target)] = n + 1
            return n

    def count(self, kind: str) -> None:
        """Count one injected fault of ``kind``."""
        with self.lock:
            self.injected[kind] += 1

    def snapshot(self) -> dict[str, int]:
        """Injected faults by kind (sorted)."""
        with self.lock:
            return dict(sorted(self.injected.items()))

    # -- the UFCStats proof-of-work challenge -------------------------------------------
    def new_nonce(self) -> str:
        """A fresh nonce (deterministic sequence per seed), remembered until solved."""
        with self.lock:
            self.issued += 1
            nonce = hashlib.sha256(f"{self.config.seed}:nonce:{self.issued}".encode())
            value = nonce.hexdigest()[:32]
            self.nonces[value] = None
            while len(self.nonces) > 20_000:
                self.nonces.popitem(last=False)
            return value

    def verify(self, nonce: str, n: str) -> str | None:
        """A new session token when ``n`` solves ``nonce`` (issued, unused), else None."""
        if not n.isdigit() or len(n) > 20:
            return None
        digest = hashlib.sha256(f"{nonce}:{n}".encode()).hexdigest()
        if not digest.startswith("0" * self.config.challenge_difficulty):
            return None
        with self.lock:
            if nonce not in self.nonces:
                return None
            del self.nonces[nonce]
            raw = f"{self.config.seed}:token:{nonce}:{n}".encode()
            token = hashlib.sha256(raw).hexdigest()[:32]
            deadline = time.monotonic() + self.config.challenge_ttl_s
            self.tokens[token] = _Token(self.config.challenge_uses, deadline)
            return token

    def pass_cookie(self, cookie_header: str | None) -> bool:
        """True (and one use spent) when the request carries a live session cookie."""
        if not cookie_header or COOKIE_NAME not in cookie_header:
            return False
        try:
            morsel = SimpleCookie(cookie_header).get(COOKIE_NAME)
        except CookieError:
            return False
        if morsel is None:
            return False
        with self.lock:
            tok = self.tokens.get(morsel.value)
            if tok is None:
                return False
            if tok.uses_left <= 0 or time.monotonic() > tok.expires:
                del self.tokens[morsel.value]
                return False
            tok.uses_left -= 1
            return True

    def set_cookie(self, token: str) -> str:
        """The ``Set-Cookie`` value of a solved challenge."""
        ttl = int(self.config.challenge_ttl_s)
        return f"{COOKIE_NAME}={token}; Path=/; Max-Age={ttl}; HttpOnly; SameSite=Lax"
