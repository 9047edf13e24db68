"""Resources: the two sites and the pipeline's storage/matching settings.

Every setting has a safe default for the live sites and can be set by environment variable
(see README "Configuration"). URL settings use ``dg.EnvVar`` when the variable is set so the
UI shows the variable's name, never its value (a database URL may hold a password).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg

from ufc_pipeline.matching.assign import AssignSettings
from ufc_pipeline.matching.candidates import MatchSettings
from ufc_pipeline.settings import (
    SettingError,
    default_of,
    env_value,
    settings_from_env,
    site_default,
)
from ufc_pipeline.sources.config import SiteConfig
from ufc_pipeline.steps.settings import DEFAULT_PLACEHOLDER_PATHS, Settings

__all__ = [
    "PipelineResource",
    "SettingError",
    "SherdogResource",
    "SiteResource",
    "UFCStatsResource",
    "build_resources",
    "resources_for",
]


class SiteResource(dg.ConfigurableResource):
    """Politeness settings of one site (rate in requests/s; 0 = unlimited)."""

    base_url: str
    user_agent: str = site_default("user_agent")
    rate_per_s: float = site_default("rate_per_s")
    concurrency: int = site_default("concurrency")
    timeout_s: float = site_default("timeout_s")
    max_retries: int = site_default("max_retries")
    backoff_base_s: float = site_default("backoff_base_s")
    backoff_max_s: float = site_default("backoff_max_s")

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
    """UFCStats (fighters list, fighter and event pages). ``UFCSTATS_*`` variables."""


class SherdogResource(SiteResource):
    """Sherdog (Fight Finder, fighter pages, images). ``SHERDOG_*`` variables."""

    max_search_pages: int = default_of("SHERDOG_MAX_SEARCH_PAGES")
    placeholder_paths: list[str] = list(DEFAULT_PLACEHOLDER_PATHS)


class PipelineResource(dg.ConfigurableResource):
    """The two sites, where data lands and how matches are decided: every asset's one
    resource. ``settings()`` is the per-run :class:`Settings` the steps take."""

    ufcstats: UFCStatsResource
    sherdog: SherdogResource
    data_dir: str = default_of("UFC_DATA_DIR")
    database_url: str = default_of("UFC_DATABASE_URL")
    auto_threshold: float = default_of("UFC_AUTO_THRESHOLD")
    review_floor: float = default_of("UFC_REVIEW_FLOOR")
    pages_to_check: int = default_of("UFC_PAGES_TO_CHECK")
    fighter_tasks: int = default_of("UFC_FIGHTER_TASKS")
    full_refresh: bool = default_of("UFC_FULL_REFRESH")
    today: str = ""  # YYYY-MM-DD: pretend today is this date (event re-check windows)

    def settings(self) -> Settings:
        return Settings(
            ufcstats=self.ufcstats.site_config("ufcstats"),
            sherdog=self.sherdog.site_config("sherdog"),
            data_dir=Path(self.data_dir),
            database_url=self.database_url,
            match=MatchSettings(pages_to_check=self.pages_to_check),
            assign=AssignSettings(
                auto_threshold=self.auto_threshold, review_floor=self.review_floor
            ),
            sherdog_max_pages=self.sherdog.max_search_pages,
            full_refresh=self.full_refresh,
            today=env_value("UFC_TODAY", {"UFC_TODAY": self.today}),
            placeholder_paths=tuple(self.sherdog.placeholder_paths),
            fighter_tasks=self.fighter_tasks,
        )


def _shown(name: str, value: Any, environ: Mapping[str, str]) -> Any:
    """``dg.EnvVar(name)`` when the variable is set (the UI shows its name, never its
    value: a URL may hold a password), else the validated value."""
    return dg.EnvVar(name) if environ.get(name, "").strip() else value


def _site_resource(
    cls: type[SiteResource], prefix: str, cfg: SiteConfig, environ: Mapping[str, str], **extra: Any
) -> Any:
    return cls(
        base_url=_shown(f"{prefix}_BASE_URL", cfg.base_url, environ),
        user_agent=_shown("UFC_USER_AGENT", cfg.user_agent, environ),
        rate_per_s=cfg.rate_per_s,
        concurrency=cfg.concurrency,
        timeout_s=cfg.timeout_s,
        max_retries=cfg.max_retries,
        backoff_base_s=cfg.backoff_base_s,
        backoff_max_s=cfg.backoff_max_s,
        **extra,
    )


def build_resources(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Resources from the environment (defaults: the live sites, polite), validated once by
    :func:`settings_from_env`; a bad value fails at load time naming the variable."""
    env = os.environ if environ is None else environ
    s = settings_from_env(env)
    return {
        "pipeline": PipelineResource(
            ufcstats=_site_resource(UFCStatsResource, "UFCSTATS", s.ufcstats, env),
            sherdog=_site_resource(
                SherdogResource, "SHERDOG", s.sherdog, env, max_search_pages=s.sherdog_max_pages
            ),
            data_dir=_shown("UFC_DATA_DIR", str(s.data_dir), env),
            database_url=_shown("UFC_DATABASE_URL", s.database_url, env),
            auto_threshold=s.assign.auto_threshold,
            review_floor=s.assign.review_floor,
            pages_to_check=s.match.pages_to_check,
            fighter_tasks=s.fighter_tasks,
            full_refresh=s.full_refresh,
            today=s.today.isoformat() if s.today else "",
        ),
    }


def resources_for(
    ufcstats_url: str,
    sherdog_url: str,
    data_dir: str | Path,
    *,
    site: dict | None = None,
    **pipeline: object,
) -> dict[str, Any]:
    """Resources pointing at given servers (a local mirror) with explicit site settings:
    what tests and benchmarks run the jobs in process with."""
    site = site or {}
    return {
        "pipeline": PipelineResource(
            ufcstats=UFCStatsResource(base_url=ufcstats_url, **site),
            sherdog=SherdogResource(base_url=sherdog_url, **site),
            data_dir=str(data_dir),
            **pipeline,
        ),
    }
