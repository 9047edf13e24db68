"""Scrapy spider for the UFCStats fighters list, run out of process by ``crawl.py``.

The spider only yields items; politeness lives in Scrapy settings (ROBOTSTXT_OBEY,
DOWNLOAD_DELAY, CONCURRENT_REQUESTS_PER_DOMAIN, AUTOTHROTTLE) and two small downloader
middlewares: ``RetryAfterMiddleware`` (exponential backoff with jitter that honours
Retry-After, and anti-bot pages treated as retryable) and ``RawStoreMiddleware`` (every
fetched page kept in the raw page store).

Run: ``python -m ufc_pipeline.sources.ufcstats_spider --base-url URL --letters abc --out F``.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import hashlib
import json
import sys
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import FormRequest, Request, Response
from scrapy.settings import default_settings as scrapy_defaults

from ufc_pipeline.heap import freeze_loaded
from ufc_pipeline.parsing.blocks import detect_block
from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.ufcstats import count_table_rows, parse_fighters_list
from ufc_pipeline.sources.challenge import challenge_form, parse_challenge, solve
from ufc_pipeline.sources.config import SiteConfig
from ufc_pipeline.sources.policy import BLOCK_SNIFF_BYTES, backoff_delay, verdict
from ufc_pipeline.sources.raw_store import RawStore


class JsonLinesOut:
    """Item pipeline: each item as a line of JSON in the file named by the ``UFC_OUT``
    setting, which ``crawl.py`` reads back once the process has ended. Scrapy's feed
    exports would do the same, but they load every exporter and feed storage first (and,
    through ``itemadapter``, pydantic): 0.15-0.25 s of a crawl that reads 26 pages."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.file: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> JsonLinesOut:
        return cls(crawler.settings.get("UFC_OUT"))

    def open_spider(self, spider: Any = None) -> None:
        self.file = open(self.path, "w", encoding="utf8")  # noqa: SIM115 (closed by close_spider)

    def close_spider(self, spider: Any = None) -> None:
        if self.file is not None:
            self.file.close()

    def process_item(self, item: dict[str, Any], spider: Any = None) -> dict[str, Any]:
        self.file.write(json.dumps(item, ensure_ascii=False) + "\n")
        return item


def list_url(base_url: str, letter: str) -> str:
    return f"{base_url.rstrip('/')}/statistics/fighters?char={letter}&page=all"


class RetryAfterMiddleware:
    """Retries what :func:`~ufc_pipeline.sources.policy.verdict` calls retryable (429, 5xx,
    anti-bot pages) after :func:`~ufc_pipeline.sources.policy.backoff_delay` (Retry-After
    honoured), through Scrapy's own ``get_retry_request``; the challenge page is left to
    :class:`ChallengeMiddleware`."""

    def __init__(self, cfg: SiteConfig, crawler: Any = None) -> None:
        self.cfg = cfg
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> RetryAfterMiddleware:
        return cls(SiteConfig(**json.loads(crawler.settings.get("UFC_SITE"))), crawler)

    async def process_response(self, request: Request, response: Response, spider: Any = None):
        headers = {
            k.decode().lower(): v[0].decode("latin-1") for k, v in response.headers.items() if v
        }
        v = verdict(response.status, response.body, headers)
        if not v.retryable:
            return response
        tries = request.meta.get("retry_times", 0) + 1
        retry = get_retry_request(
            request,
            spider=spider or getattr(self.crawler, "spider", None),
            reason=v.reason,
            max_retry_times=self.cfg.max_retries,
        )
        if retry is None:
            raise IgnoreRequest(f"{request.url}: {v.reason} after {tries} tries")
        delay = backoff_delay(tries, self.cfg.backoff_base_s, self.cfg.backoff_max_s, v.retry_after)
        if delay > 0:
            await asyncio.sleep(delay)
        return retry


class ChallengeMiddleware:
    """Answers UFCStats' "Checking your browser" proof-of-work page: solves it, POSTs the
    answer to the page's form action (the cookie middleware keeps the session cookie it
    sets), then re-sends the original request."""

    def process_response(self, request: Request, response: Response, spider: Any = None):
        original = request.meta.get("ufc_challenge_for")
        if original is not None:  # the answer's response: retry what was asked for
            if response.status >= 400:
                raise IgnoreRequest(f"{original.url}: browser-check answer refused")
            return original.replace(dont_filter=True)
        if response.status != 200 or b"nonce" not in response.body[:BLOCK_SNIFF_BYTES]:
            return response
        challenge = parse_challenge(response.body)
        if challenge is None:
            return response
        tries = request.meta.get("ufc_challenges", 0) + 1
        if tries > 5:
            raise IgnoreRequest(f"{request.url}: browser check came back {tries} times")
        n = solve(challenge)
        retry = request.replace(dont_filter=True)
        retry.meta["ufc_challenges"] = tries
        if crawler := getattr(spider, "crawler", None):
            crawler.stats.inc_value("ufc/challenges_solved")
        return FormRequest(
            urljoin(response.url, challenge.action),
            formdata=challenge_form(challenge, n),
            meta={"ufc_challenge_for": retry},
            dont_filter=True,
            priority=100,
        )


class RawStoreMiddleware:
    """Keeps every fetched list page in the raw page store (data/raw/ufcstats/...)."""

    def __init__(self, root: str | None) -> None:
        self.store = RawStore(root) if root else None

    @classmethod
    def from_crawler(cls, crawler: Any) -> RawStoreMiddleware:
        return cls(crawler.settings.get("UFC_RAW_DIR"))

    def process_response(self, request: Request, response: Response, spider: Any = None):
        letter = request.cb_kwargs.get("letter")
        if (
            self.store is not None
            and letter
            and response.status == 200
            and not detect_block(response.body[:BLOCK_SNIFF_BYTES], response.status)
        ):
            key = f"char={letter}"
            self.store.put_page(
                "ufcstats",
                "fighters_list",
                key,
                url=response.url,
                status=response.status,
                body=response.body,
                headers={k.decode(): v[0].decode() for k, v in response.headers.items() if v},
                previous=self.store.get("ufcstats", "fighters_list", key),  # same body: kept
            )
        return response


class UFCStatsFightersSpider(scrapy.Spider):
    """Yields one ``page`` item per list page, holding its fighter rows, or an ``error``."""

    name = "ufcstats_fighters"

    def __init__(
        self, base_url: str, letters: str, known: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url
        self.letters = sorted(set(letters))
        # letter -> sha256 of the list page whose rows the caller already holds
        self.known = known or {}

    async def start(self):  # Scrapy >= 2.13 entry point
        for letter in self.letters:
            yield Request(
                list_url(self.base_url, letter),
                callback=self.parse_list,
                errback=self.on_error,
                cb_kwargs={"letter": letter},
                dont_filter=True,
            )

    def parse_list(self, response: Response, letter: str):
        if response.status != 200:
            yield {
                "_type": "error",
                "letter": letter,
                "url": response.url,
                "error": f"HTTP {response.status}",
            }
            return
        sha = hashlib.sha256(response.body).hexdigest()
        if self.known.get(letter) == sha:
            # the very page whose rows the caller holds: nothing to parse
            yield {"_type": "unchanged", "letter": letter, "url": response.url, "sha256": sha}
            return
        try:
            rows = parse_fighters_list(response.body, source=response.url)
        except ParseError as exc:
            raw = self.settings.get("UFC_RAW_DIR")
            if raw:  # RawStoreMiddleware stored the page: copy it out for `ufc-pipeline parse`
                stored = RawStore(raw).get("ufcstats", "fighters_list", f"char={letter}")
                kept = stored.keep() if stored is not None else None
                if kept is not None:
                    exc.kept_at(str(kept))
            yield {"_type": "error", "letter": letter, "url": response.url, "error": str(exc)}
            return
        # one item per page: Scrapy's per-item machinery (signals, exporter) costs more than
        # parsing a row, so the page's rows travel together
        yield {
            "_type": "page",
            "letter": letter,
            "url": response.url,
            "sha256": sha,
            "rows": [row.to_dict() for row in rows],
            "table_rows": count_table_rows(response.body),
        }

    def on_error(self, failure: Any):
        request = failure.request
        yield {
            "_type": "error",
            "letter": request.cb_kwargs.get("letter"),
            "url": request.url,
            "error": f"{failure.type.__name__}: {failure.value}",
        }


_UNUSED_EXTENSIONS = (
    "scrapy.extensions.remote_control.RemoteControl",
    "scrapy.extensions.telnet.TelnetConsole",
    "scrapy.extensions.memdebug.MemoryDebugger",
    "scrapy.extensions.feedexport.FeedExporter",  # items go through JsonLinesOut
    "scrapy.extensions.spiderstate.SpiderState",  # no JOBDIR
)


def crawl_settings(cfg: SiteConfig, out: str, raw_dir: str | None) -> dict[str, Any]:
    """Scrapy settings from the site's one :class:`SiteConfig` (the same politeness as the
    httpx client: rate, concurrency, timeout, retries, backoff, page size)."""
    delay = 0.0 if cfg.rate_per_s <= 0 else 1.0 / cfg.rate_per_s
    return {
        "BOT_NAME": "ufc_pipeline",
        "USER_AGENT": cfg.user_agent,
        "ROBOTSTXT_OBEY": cfg.obey_robots,
        "ROBOTSTXT_USER_AGENT": cfg.user_agent,
        "DOWNLOAD_DELAY": delay,
        "DOWNLOAD_DELAY_JITTER": 0.5 if delay > 0 else 0.0,  # ±50 % around the delay
        "CONCURRENT_REQUESTS": cfg.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": cfg.concurrency,
        "AUTOTHROTTLE_ENABLED": delay > 0,
        "AUTOTHROTTLE_START_DELAY": max(delay, 0.5),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(cfg.concurrency),
        "DOWNLOAD_TIMEOUT": cfg.timeout_s,
        "DOWNLOAD_MAXSIZE": cfg.max_page_bytes,
        "RETRY_ENABLED": True,  # connection errors and timeouts
        "RETRY_TIMES": cfg.max_retries,
        "RETRY_HTTP_CODES": [],  # status retries are RetryAfterMiddleware's
        "HTTPERROR_ALLOW_ALL": True,
        "COOKIES_ENABLED": True,
        "TELNETCONSOLE_ENABLED": False,
        # Scrapy 2.19's remote control starts an HTTP server on 127.0.0.1 that executes the
        # code it is sent (behind a token); a one-shot crawl needs none of it, nor the
        # extensions below: not loading them saves a third of the crawler's start-up
        "REMOTE_CONTROL_ENABLED": False,
        # left out of the base list rather than set to None in EXTENSIONS: Scrapy imports
        # every key of EXTENSIONS to compare it with the base, and the remote control's
        # module imports aiohttp (0.1 s of the crawler's CPU, 12-17 % of it)
        "EXTENSIONS_BASE": {
            name: order
            for name, order in scrapy_defaults.EXTENSIONS_BASE.items()
            if name not in _UNUSED_EXTENSIONS
        },
        # the crawl reads http(s) pages only
        "DOWNLOAD_HANDLERS": {"data": None, "file": None, "s3": None, "ftp": None},
        "LOG_LEVEL": "INFO",
        # the check reads each callback's source with inspect (tens of ms a response)
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        "UFC_RAW_DIR": raw_dir,
        "UFC_SITE": json.dumps(dataclasses.asdict(cfg)),
        "DOWNLOADER_MIDDLEWARES": {
            "ufc_pipeline.sources.ufcstats_spider.RetryAfterMiddleware": 560,
            "ufc_pipeline.sources.ufcstats_spider.RawStoreMiddleware": 590,
            "ufc_pipeline.sources.ufcstats_spider.ChallengeMiddleware": 595,
        },
        "ITEM_PIPELINES": {"ufc_pipeline.sources.ufcstats_spider.JsonLinesOut": 100},
        "UFC_OUT": out,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--site", required=True, help="the site's SiteConfig as JSON")
    ap.add_argument("--letters", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--raw-dir", default=None)
    ap.add_argument("--known", default="{}", help="letter -> sha256 of pages already read")
    args = ap.parse_args(argv)
    cfg = SiteConfig(**json.loads(args.site))
    process = CrawlerProcess(settings=crawl_settings(cfg, args.out, args.raw_dir))
    # keep the crawler: Scrapy drops finished crawlers from process.crawlers
    crawler = process.create_crawler(UFCStatsFightersSpider)
    process.crawl(crawler, base_url=cfg.root, letters=args.letters, known=json.loads(args.known))
    freeze_loaded()  # the crawler's imports and set-up live until the process exits
    process.start()
    stats = {k: str(v) for k, v in (crawler.stats.get_stats() or {}).items()}
    sys.stderr.write("UFC_CRAWL_STATS " + json.dumps(stats) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
