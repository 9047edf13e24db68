"""Per-site politeness settings: base URL, identity, rate, concurrency, retries.

Defaults are safe for the live sites (about one request a second, two at a time).
The demo and the tests turn the delays off against the local mirror.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

DEFAULT_USER_AGENT = (
    "ufc-pipeline/0.1 (+https://github.com/ufc-pokedex/ufc_pipeline; "
    "UFC Pokedex data pipeline; polite, robots.txt-obeying)"
)

UFCSTATS_DEFAULT_BASE_URL = "http://ufcstats.com"
SHERDOG_DEFAULT_BASE_URL = "https://www.sherdog.com"


@dataclass(frozen=True)
class SiteConfig:
    """How to talk to one site. ``rate_per_s <= 0`` means no rate limit."""

    name: str
    base_url: str
    user_agent: str = DEFAULT_USER_AGENT
    rate_per_s: float = 1.0
    concurrency: int = 2
    timeout_s: float = 30.0
    max_retries: int = 5
    backoff_base_s: float = 1.0
    backoff_max_s: float = 60.0
    obey_robots: bool = True
    max_page_bytes: int = 5_000_000
    challenge_max_iterations: int = 50_000_000

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(
                f"{self.name}: base URL {self.base_url!r} is not an http(s) URL; "
                f"set it like 'http://127.0.0.1:8801' or 'https://www.sherdog.com'"
            )
        if self.concurrency < 1:
            raise ValueError(f"{self.name}: concurrency must be >= 1, got {self.concurrency}")

    @property
    def root(self) -> str:
        return self.base_url.rstrip("/")

    def url(self, path: str) -> str:
        """Absolute URL on this site for a path (an absolute URL is re-based on this site)."""
        parts = urlsplit(path)
        if parts.scheme or parts.netloc:
            path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith("/"):
            path = "/" + path
        return urljoin(self.root + "/", path.lstrip("/")) if path != "/" else self.root + "/"
