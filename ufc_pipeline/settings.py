"""Every setting of the pipeline, read and validated in one place.

``VARS`` lists each environment variable once, with its default and its meaning (the README's
configuration table says the same, and a test keeps the two equal). ``settings_from_env()``
reads them all, validates them and returns the per-run :class:`Settings`; the Dagster
resources, ``ufc-pipeline plan``, the alerts, the CLI, the demo and the UI all go through it.
A bad value raises :class:`SettingError` naming the variable and what it expects.

The politeness defaults themselves live on :class:`~ufc_pipeline.sources.config.SiteConfig`,
the matching thresholds on :class:`MatchSettings` / :class:`AssignSettings` and the storage
defaults on :class:`Settings`; the table below points at them instead of repeating numbers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ufc_pipeline.matching.assign import AssignSettings
from ufc_pipeline.matching.search import MatchSettings
from ufc_pipeline.sources.config import (
    COMMONS_DEFAULT_API,
    SHERDOG_DEFAULT_BASE_URL,
    UFCCOM_DEFAULT_BASE_URL,
    UFCCOM_DEFAULT_RATE,
    UFCSTATS_DEFAULT_BASE_URL,
    WIKIDATA_DEFAULT_API,
    WIKIDATA_DEFAULT_SPARQL,
    WIKIPEDIA_DEFAULT_API,
    SiteConfig,
    WikimediaConfig,
)
from ufc_pipeline.steps.settings import IMAGE_SOURCES, Settings

__all__ = [
    "VARS",
    "SettingError",
    "Var",
    "default_of",
    "env_value",
    "settings_from_env",
    "site_default",
    "field_default",
    "resource_values",
    "PIPELINE_FIELDS",
    "SHERDOG_FIELDS",
    "SITE_FIELDS",
    "SITES",
]


class SettingError(ValueError):
    """A setting has a value the pipeline cannot use; the message names the variable."""


def _defaults(cls: type) -> dict[str, Any]:
    return {
        f.name: f.default for f in dataclasses.fields(cls) if f.default is not dataclasses.MISSING
    }


_SITE = _defaults(SiteConfig)
_MATCH = _defaults(MatchSettings)
_ASSIGN = _defaults(AssignSettings)
_RUN = _defaults(Settings)


def site_default(field_name: str) -> Any:
    """The live-site default of a :class:`SiteConfig` field (rate, concurrency, ...)."""
    return _SITE[field_name]


# ---------------------------------------------------------------- value parsers


def _text(raw: str) -> str:
    return raw.strip()


def _non_negative(kind: Callable[[str], float]) -> Callable[[str], float]:
    def parse(raw: str) -> float:
        value = kind(raw)
        if value < 0:
            raise ValueError("must not be negative")
        return value

    parse.__name__ = kind.__name__
    return parse


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError("must be at least 1")
    return value


def _flag(raw: str) -> bool:
    word = raw.strip().lower()
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("", "0", "false", "no", "off"):
        return False
    raise ValueError("is not a yes/no flag (1/0, true/false, yes/no)")


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError("is not a YYYY-MM-DD date") from None


def _sources(raw: str) -> str:
    names = [n.strip().lower() for n in raw.split(",") if n.strip()]
    unknown = sorted(set(names) - set(IMAGE_SOURCES))
    if unknown:
        raise ValueError(
            f"unknown source(s) {', '.join(unknown)}; known: {', '.join(IMAGE_SOURCES)}"
        )
    if not names:
        raise ValueError("names no source")
    return ",".join(dict.fromkeys(names))


_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in _LOG_LEVELS:
        raise ValueError(f"is not one of {', '.join(_LOG_LEVELS)}")
    return level


_EXPECTS = {
    "_text": "text",
    "float": "number",
    "int": "whole number",
    "_positive_int": "whole number of at least 1",
    "_flag": "yes/no flag",
    "_date": "YYYY-MM-DD date",
    "_log_level": "log level",
    "_sources": "comma-separated list of image sources",
}


@dataclass(frozen=True)
class Var:
    """One environment variable: its default (None: unset) and how its value is read."""

    name: str
    default: Any
    parse: Callable[[str], Any]
    help: str
    secret: bool = False  # shown by name only in Dagster (it may hold a password)

    def read(self, environ: Mapping[str, str]) -> Any:
        raw = environ.get(self.name)
        if raw is None or raw.strip() == "":
            return self.default
        try:
            return self.parse(raw)
        except ValueError as exc:
            expects = _EXPECTS.get(self.parse.__name__, "value")
            raise SettingError(
                f"environment variable {self.name}={raw!r} is not usable ({exc}); "
                f"expected a {expects}: {self.help}"
            ) from None


VARS: tuple[Var, ...] = (
    Var("UFCSTATS_BASE_URL", UFCSTATS_DEFAULT_BASE_URL, _text, "where UFCStats is"),
    Var("SHERDOG_BASE_URL", SHERDOG_DEFAULT_BASE_URL, _text, "where Sherdog is"),
    Var("UFC_USER_AGENT", _SITE["user_agent"], _text, "the User-Agent sent to both sites"),
    Var("UFCSTATS_RATE", _SITE["rate_per_s"], _non_negative(float), "UFCStats requests/s"),
    Var("SHERDOG_RATE", _SITE["rate_per_s"], _non_negative(float), "Sherdog requests/s"),
    Var("UFCSTATS_CONCURRENCY", _SITE["concurrency"], _positive_int, "UFCStats in flight"),
    Var("SHERDOG_CONCURRENCY", _SITE["concurrency"], _positive_int, "Sherdog in flight"),
    Var("UFCSTATS_TIMEOUT", _SITE["timeout_s"], _non_negative(float), "seconds per request"),
    Var("SHERDOG_TIMEOUT", _SITE["timeout_s"], _non_negative(float), "seconds per request"),
    Var("UFC_HTTP_MAX_RETRIES", _SITE["max_retries"], _non_negative(int), "retries"),
    Var("UFC_HTTP_BACKOFF_BASE", _SITE["backoff_base_s"], _non_negative(float), "seconds"),
    Var("UFC_HTTP_BACKOFF_MAX", _SITE["backoff_max_s"], _non_negative(float), "seconds"),
    Var(
        "SHERDOG_MAX_SEARCH_PAGES",
        _RUN["sherdog_max_pages"],
        _positive_int,
        "result pages read per Fight Finder query",
    ),
    Var(
        "UFCCOM_ENABLED",
        False,
        _flag,
        "read UFC.com (off: its terms of use restrict automated collection)",
    ),
    Var("UFCCOM_BASE_URL", UFCCOM_DEFAULT_BASE_URL, _text, "where UFC.com is"),
    Var("UFCCOM_RATE", UFCCOM_DEFAULT_RATE, _non_negative(float), "UFC.com requests/s"),
    Var("UFCCOM_CONCURRENCY", 1, _positive_int, "UFC.com requests in flight"),
    Var("WIKIMEDIA_ENABLED", True, _flag, "read Wikidata, Wikipedia and Commons"),
    Var("WIKIPEDIA_API_URL", WIKIPEDIA_DEFAULT_API, _text, "English Wikipedia's Action API"),
    Var("COMMONS_API_URL", COMMONS_DEFAULT_API, _text, "Wikimedia Commons' Action API"),
    Var("WIKIDATA_API_URL", WIKIDATA_DEFAULT_API, _text, "Wikidata's Action API"),
    Var("WIKIDATA_SPARQL_URL", WIKIDATA_DEFAULT_SPARQL, _text, "Wikidata Query Service"),
    Var("WIKIMEDIA_RATE", 1.0, _non_negative(float), "Wikimedia requests/s"),
    Var("WIKIMEDIA_CONCURRENCY", 1, _positive_int, "Wikimedia requests in flight"),
    Var(
        "UFC_IMAGE_SOURCES",
        ",".join(IMAGE_SOURCES),
        _sources,
        "image sources in the order they are tried",
    ),
    Var("UFC_FACE_CHECK", _RUN["face_check"], _flag, "a saved image must show one face"),
    Var("UFC_FULL_REFRESH", _RUN["full_refresh"], _flag, "ignore change detection"),
    Var("UFC_TODAY", _RUN["today"], _date, "pretend today is this date"),
    Var(
        "UFC_STATS_PENDING_DAYS",
        30,
        _non_negative(int),
        "days after an event its fights' unpublished statistics are re-checked",
    ),
    Var("UFC_ALERT_WEBHOOK_URL", None, _text, "Slack-compatible webhook", secret=True),
    Var("UFC_DAGSTER_UI_URL", "http://127.0.0.1:3000", _text, "base of the links in alerts"),
    Var(
        "UFC_RUN_LOG_LEVEL",
        "INFO",
        _log_level,
        "level of the Dagster console log of the runs `make demo` launches",
    ),
    Var("UFC_PROGRESS_FILE", None, _text, "JSON file the long steps keep their progress in"),
    Var("UFC_DATA_DIR", str(_RUN["data_dir"]), _text, "where data lands"),
    Var("UFC_DATABASE_URL", _RUN["database_url"], _text, "warehouse URL", secret=True),
    Var("UFC_AUTO_THRESHOLD", _ASSIGN["auto_threshold"], _non_negative(float), "confidence"),
    Var("UFC_REVIEW_FLOOR", _ASSIGN["review_floor"], _non_negative(float), "confidence"),
    Var("UFC_PAGES_TO_CHECK", _MATCH["pages_to_check"], _positive_int, "pages per fighter"),
    Var("UFC_FIGHTER_TASKS", _RUN["fighter_tasks"], _positive_int, "fighters at once"),
    Var(
        "UFC_CELERY_BROKER",
        "redis://127.0.0.1:6379/0",
        _text,
        "Celery broker URL (ufc_pipeline.celery_definitions)",
        secret=True,
    ),
    Var(
        "UFC_CELERY_BACKEND",
        "redis://127.0.0.1:6379/0",
        _text,
        "Celery result backend URL (ufc_pipeline.celery_definitions)",
        secret=True,
    ),
)
_BY_NAME = {v.name: v for v in VARS}


def default_of(name: str) -> Any:
    """The default of a variable of ``VARS``."""
    return _BY_NAME[name].default


def env_value(name: str, environ: Mapping[str, str] | None = None) -> Any:
    """The validated value of one variable of ``VARS`` (its default when unset)."""
    return _BY_NAME[name].read(os.environ if environ is None else environ)


# Which variable sets which field of the Dagster resources ({site} is UFCSTATS or SHERDOG).
SITE_FIELDS = {
    "base_url": "{site}_BASE_URL",
    "user_agent": "UFC_USER_AGENT",
    "rate_per_s": "{site}_RATE",
    "concurrency": "{site}_CONCURRENCY",
    "timeout_s": "{site}_TIMEOUT",
    "max_retries": "UFC_HTTP_MAX_RETRIES",
    "backoff_base_s": "UFC_HTTP_BACKOFF_BASE",
    "backoff_max_s": "UFC_HTTP_BACKOFF_MAX",
}
SHERDOG_FIELDS = {"max_search_pages": "SHERDOG_MAX_SEARCH_PAGES"}
PIPELINE_FIELDS = {
    "data_dir": "UFC_DATA_DIR",
    "database_url": "UFC_DATABASE_URL",
    "auto_threshold": "UFC_AUTO_THRESHOLD",
    "review_floor": "UFC_REVIEW_FLOOR",
    "pages_to_check": "UFC_PAGES_TO_CHECK",
    "fighter_tasks": "UFC_FIGHTER_TASKS",
    "full_refresh": "UFC_FULL_REFRESH",
    "today": "UFC_TODAY",
    "ufccom_enabled": "UFCCOM_ENABLED",
    "ufccom_base_url": "UFCCOM_BASE_URL",
    "ufccom_rate": "UFCCOM_RATE",
    "ufccom_concurrency": "UFCCOM_CONCURRENCY",
    "wikimedia_enabled": "WIKIMEDIA_ENABLED",
    "wikipedia_api_url": "WIKIPEDIA_API_URL",
    "commons_api_url": "COMMONS_API_URL",
    "wikidata_api_url": "WIKIDATA_API_URL",
    "wikidata_sparql_url": "WIKIDATA_SPARQL_URL",
    "wikimedia_rate": "WIKIMEDIA_RATE",
    "wikimedia_concurrency": "WIKIMEDIA_CONCURRENCY",
    "image_sources": "UFC_IMAGE_SOURCES",
    "face_check": "UFC_FACE_CHECK",
}
SITES = {"ufcstats": "UFCSTATS", "sherdog": "SHERDOG"}


def field_default(fields: Mapping[str, str], name: str) -> Any:
    """The default of a resource field, from the variable that sets it."""
    default = _BY_NAME[fields[name].format(site="UFCSTATS")].default
    return "" if default is None else default


def resource_values(
    fields: Mapping[str, str], environ: Mapping[str, str], site: str = ""
) -> dict[str, tuple[str, Any]]:
    """Field -> (variable, validated value as a resource takes it) for one resource."""
    out: dict[str, tuple[str, Any]] = {}
    for name, var in fields.items():
        var = var.format(site=site)
        value = _BY_NAME[var].read(environ)
        if isinstance(value, dt.date):
            value = value.isoformat()
        out[name] = (var, "" if value is None else value)
    return out


def _site(name: str, prefix: str, env: Mapping[str, str]) -> SiteConfig:
    def get(var: str) -> Any:
        return _BY_NAME[var].read(env)

    try:
        return SiteConfig(
            name=name,
            base_url=get(f"{prefix}_BASE_URL"),
            user_agent=get("UFC_USER_AGENT"),
            rate_per_s=get(f"{prefix}_RATE"),
            concurrency=get(f"{prefix}_CONCURRENCY"),
            timeout_s=get(f"{prefix}_TIMEOUT"),
            max_retries=get("UFC_HTTP_MAX_RETRIES"),
            backoff_base_s=get("UFC_HTTP_BACKOFF_BASE"),
            backoff_max_s=get("UFC_HTTP_BACKOFF_MAX"),
        )
    except ValueError as exc:
        if isinstance(exc, SettingError):
            raise
        raise SettingError(f"{exc} (environment variable {prefix}_BASE_URL)") from None


def _ufccom(env: Mapping[str, str]) -> SiteConfig | None:
    def get(var: str) -> Any:
        return _BY_NAME[var].read(env)

    if not get("UFCCOM_ENABLED"):
        return None
    try:
        return SiteConfig(
            name="ufccom",
            base_url=get("UFCCOM_BASE_URL"),
            user_agent=get("UFC_USER_AGENT"),
            rate_per_s=get("UFCCOM_RATE"),
            concurrency=get("UFCCOM_CONCURRENCY"),
            timeout_s=get("UFCSTATS_TIMEOUT"),
            max_retries=get("UFC_HTTP_MAX_RETRIES"),
            backoff_base_s=get("UFC_HTTP_BACKOFF_BASE"),
            backoff_max_s=get("UFC_HTTP_BACKOFF_MAX"),
        )
    except ValueError as exc:
        raise SettingError(f"{exc} (environment variable UFCCOM_BASE_URL)") from None


def _wikimedia(env: Mapping[str, str]) -> WikimediaConfig | None:
    def get(var: str) -> Any:
        return _BY_NAME[var].read(env)

    if not get("WIKIMEDIA_ENABLED"):
        return None
    urls = {
        "wikipedia_api": "WIKIPEDIA_API_URL",
        "commons_api": "COMMONS_API_URL",
        "wikidata_api": "WIKIDATA_API_URL",
        "sparql_url": "WIKIDATA_SPARQL_URL",
    }
    for var in urls.values():
        parts = urlsplit(get(var))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SettingError(
                f"environment variable {var}={get(var)!r} is not an http(s) URL; "
                f"expected the full endpoint, e.g. {default_of(var)}"
            )
    site = SiteConfig(
        name="wikimedia",
        base_url=get("WIKIDATA_API_URL"),  # re-based per host by WikimediaConfig.site_for
        user_agent=get("UFC_USER_AGENT"),
        rate_per_s=get("WIKIMEDIA_RATE"),
        concurrency=get("WIKIMEDIA_CONCURRENCY"),
        timeout_s=get("SHERDOG_TIMEOUT"),
        max_retries=get("UFC_HTTP_MAX_RETRIES"),
        backoff_base_s=get("UFC_HTTP_BACKOFF_BASE"),
        backoff_max_s=get("UFC_HTTP_BACKOFF_MAX"),
    )
    cfg = WikimediaConfig(site=site, **{field: get(var) for field, var in urls.items()})
    return cfg


def settings_from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """Every setting from the environment (defaults: the live sites, polite), validated."""
    env = os.environ if environ is None else environ

    def get(var: str) -> Any:
        return _BY_NAME[var].read(env)

    return Settings(
        ufcstats=_site("ufcstats", "UFCSTATS", env),
        sherdog=_site("sherdog", "SHERDOG", env),
        data_dir=Path(get("UFC_DATA_DIR")),
        database_url=get("UFC_DATABASE_URL"),
        match=MatchSettings(pages_to_check=get("UFC_PAGES_TO_CHECK")),
        assign=AssignSettings(
            auto_threshold=get("UFC_AUTO_THRESHOLD"), review_floor=get("UFC_REVIEW_FLOOR")
        ),
        sherdog_max_pages=get("SHERDOG_MAX_SEARCH_PAGES"),
        full_refresh=get("UFC_FULL_REFRESH"),
        today=get("UFC_TODAY"),
        fighter_tasks=get("UFC_FIGHTER_TASKS"),
        ufccom=_ufccom(env),
        wikimedia=_wikimedia(env),
        image_sources=tuple(get("UFC_IMAGE_SOURCES").split(",")),
        face_check=get("UFC_FACE_CHECK"),
    )
