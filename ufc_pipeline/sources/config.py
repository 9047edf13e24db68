"""Per-site politeness settings: base URL, identity, rate, concurrency, retries.

Defaults are safe for the live sites (about one request a second, two at a time).
The demo and the tests turn the delays off against the local mirror.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urljoin, urlsplit

DEFAULT_USER_AGENT = (
    "ufc-pipeline/0.1 (+https://github.com/ufc-pokedex/ufc_pipeline; "
    "UFC Pokedex data pipeline; polite, robots.txt-obeying)"
)

UFCSTATS_DEFAULT_BASE_URL = "http://ufcstats.com"
SHERDOG_DEFAULT_BASE_URL = "https://www.sherdog.com"
UFCCOM_DEFAULT_BASE_URL = "https://www.ufc.com"
#: UFC.com's robots.txt asks for ``Crawl-delay: 15``; the live default never goes faster.
UFCCOM_DEFAULT_RATE = 1.0 / 15.0
WIKIPEDIA_DEFAULT_API = "https://en.wikipedia.org/w/api.php"
COMMONS_DEFAULT_API = "https://commons.wikimedia.org/w/api.php"
WIKIDATA_DEFAULT_API = "https://www.wikidata.org/w/api.php"
WIKIDATA_DEFAULT_SPARQL = "https://query.wikidata.org/sparql"


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


@dataclass(frozen=True)
class WikimediaConfig:
    """Where the Wikimedia APIs are and how politely to call them.

    ``site`` carries the politeness (User-Agent with contact, rate, retries); its base URL is
    a placeholder: :meth:`site_for` gives the config of the host of each endpoint (Wikipedia,
    Commons, Wikidata, the query service, the image host). The Action API's etiquette asks for
    requests in series, so the default concurrency is 1.
    """

    site: SiteConfig
    wikipedia_api: str = WIKIPEDIA_DEFAULT_API
    commons_api: str = COMMONS_DEFAULT_API
    wikidata_api: str = WIKIDATA_DEFAULT_API
    sparql_url: str = WIKIDATA_DEFAULT_SPARQL

    def site_for(self, url: str) -> SiteConfig:
        """The politeness settings of ``site`` re-based on the host of ``url``."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"wikimedia: {url!r} is not an http(s) URL")
        return replace(
            self.site, name=f"wikimedia:{parts.netloc}", base_url=f"{parts.scheme}://{parts.netloc}"
        )
