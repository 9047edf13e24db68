"""Resources: the two sites and the pipeline's storage/matching settings.

Every setting has a safe default for the live sites and can be set by environment variable
(see README "Configuration"). URL settings use ``dg.EnvVar`` when the variable is set so the
UI shows the variable's name, never its value (a database URL may hold a password).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dagster as dg

from ufc_pipeline.matching.assign import AssignSettings
from ufc_pipeline.matching.candidates import MatchSettings
from ufc_pipeline.sources.config import (
    DEFAULT_USER_AGENT,
    SHERDOG_DEFAULT_BASE_URL,
    UFCSTATS_DEFAULT_BASE_URL,
    SiteConfig,
)
from ufc_pipeline.steps.settings import DEFAULT_PLACEHOLDER_PATHS, Settings


class SettingError(ValueError):
    pass


def env_str(name: str, default: str) -> str | dg.EnvVar:
    return dg.EnvVar(name) if os.environ.get(name) else default


def env_num(name: str, default: float, kind: type = float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise SettingError(
            f"environment variable {name}={raw!r} is not a {kind.__name__}"
        ) from None
    if value < 0:
        raise SettingError(f"environment variable {name}={raw!r} must not be negative")
    return value


def env_date(name: str) -> str:
    raw = (os.environ.get(name) or "").strip()
    if raw:
        try:
            dt.date.fromisoformat(raw)
        except ValueError:
            raise SettingError(
                f"environment variable {name}={raw!r} is not a YYYY-MM-DD date"
            ) from None
    return raw


class SiteResource(dg.ConfigurableResource):
    """Politeness settings of one site (rate in requests/s; 0 = unlimited)."""

    base_url: str
    user_agent: str = DEFAULT_USER_AGENT
    rate_per_s: float = 1.0
    concurrency: int = 2
    timeout_s: float = 30.0
    max_retries: int = 5
    backoff_base_s: float = 1.0
    backoff_max_s: float = 60.0

    def site_config(self, name: str) -> SiteConfig:
        return SiteConfig(
            name=name,
            base_url=self.base_url,
            user_agent=self.user_agent,
            rate_per_s=self.rate_per_s,
            concurrency=self.concurrency,
            timeout_s=self.timeout_s,
            max_retries=self.max_retries,
            backoff_base_s=self.backoff_base_s,
            backoff_max_s=self.backoff_max_s,
        )


class UFCStatsResource(SiteResource):
    """UFCStats (fighters list). ``UFCSTATS_BASE_URL``, ``UFCSTATS_RATE``, ..."""


class SherdogResource(SiteResource):
    """Sherdog (Fight Finder, fighter pages, images). ``SHERDOG_BASE_URL``, ``SHERDOG_RATE``..."""

    max_search_pages: int = 10
    placeholder_paths: list[str] = list(DEFAULT_PLACEHOLDER_PATHS)


class PipelineResource(dg.ConfigurableResource):
    """Where data lands and how matches are decided."""

    data_dir: str = "data"
    database_url: str = ""
    auto_threshold: float = 70.0
    review_floor: float = 30.0
    pages_to_check: int = 3
    fighter_tasks: int = 16
    full_refresh: bool = False
    today: str = ""  # YYYY-MM-DD: pretend today is this date (event re-check windows)

    def settings(self, ufcstats: UFCStatsResource, sherdog: SherdogResource) -> Settings:
        return Settings(
            ufcstats=ufcstats.site_config("ufcstats"),
            sherdog=sherdog.site_config("sherdog"),
            data_dir=Path(self.data_dir),
            database_url=self.database_url,
            match=MatchSettings(pages_to_check=self.pages_to_check),
            assign=AssignSettings(
                auto_threshold=self.auto_threshold, review_floor=self.review_floor
            ),
            sherdog_max_pages=sherdog.max_search_pages,
            full_refresh=self.full_refresh,
            today=dt.date.fromisoformat(self.today) if self.today else None,
            placeholder_paths=tuple(sherdog.placeholder_paths),
            fighter_tasks=self.fighter_tasks,
        )


def _site_kwargs(prefix: str) -> dict[str, object]:
    ua = env_str("UFC_USER_AGENT", DEFAULT_USER_AGENT)
    return {
        "user_agent": ua,
        "rate_per_s": env_num(f"{prefix}_RATE", 1.0),
        "concurrency": int(env_num(f"{prefix}_CONCURRENCY", 2, int)),
        "timeout_s": env_num(f"{prefix}_TIMEOUT", 30.0),
        "max_retries": int(env_num("UFC_HTTP_MAX_RETRIES", 5, int)),
        "backoff_base_s": env_num("UFC_HTTP_BACKOFF_BASE", 1.0),
        "backoff_max_s": env_num("UFC_HTTP_BACKOFF_MAX", 60.0),
    }


def build_resources() -> dict[str, dg.ConfigurableResource]:
    """Resources from the environment (defaults: the live sites, polite)."""
    return {
        "ufcstats": UFCStatsResource(
            base_url=env_str("UFCSTATS_BASE_URL", UFCSTATS_DEFAULT_BASE_URL),
            **_site_kwargs("UFCSTATS"),
        ),
        "sherdog": SherdogResource(
            base_url=env_str("SHERDOG_BASE_URL", SHERDOG_DEFAULT_BASE_URL),
            max_search_pages=int(env_num("SHERDOG_MAX_SEARCH_PAGES", 10, int)),
            **_site_kwargs("SHERDOG"),
        ),
        "pipeline": PipelineResource(
            data_dir=env_str("UFC_DATA_DIR", "data"),
            database_url=env_str("UFC_DATABASE_URL", ""),
            auto_threshold=env_num("UFC_AUTO_THRESHOLD", 70.0),
            review_floor=env_num("UFC_REVIEW_FLOOR", 30.0),
            pages_to_check=int(env_num("UFC_PAGES_TO_CHECK", 3, int)),
            fighter_tasks=int(env_num("UFC_FIGHTER_TASKS", 16, int)),
            full_refresh=os.environ.get("UFC_FULL_REFRESH", "").lower() in ("1", "true", "yes"),
            today=env_date("UFC_TODAY"),
        ),
    }


def resources_for(
    ufcstats_url: str,
    sherdog_url: str,
    data_dir: str | Path,
    *,
    site: dict | None = None,
    **pipeline: object,
) -> dict[str, dg.ConfigurableResource]:
    """Resources pointing at given servers (a local mirror) with explicit site settings:
    what tests and benchmarks run the jobs in process with."""
    site = site or {}
    return {
        "ufcstats": UFCStatsResource(base_url=ufcstats_url, **site),
        "sherdog": SherdogResource(base_url=sherdog_url, **site),
        "pipeline": PipelineResource(data_dir=str(data_dir), **pipeline),
    }
