"""Resources: the two sites and the pipeline's storage/matching settings.

Every setting has a safe default for the live sites and can be set by environment variable
(see README "Configuration"). URL settings use ``dg.EnvVar`` when the variable is set so the
UI shows the variable's name, never its value (a database URL may hold a password).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg

from ufc_pipeline.settings import (
    PIPELINE_FIELDS,
    SHERDOG_FIELDS,
    SITE_FIELDS,
    SITES,
    SettingError,
    field_default,
    resource_values,
    settings_from_env,
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
    user_agent: str = field_default(SITE_FIELDS, "user_agent")
    rate_per_s: float = field_default(SITE_FIELDS, "rate_per_s")
    concurrency: int = field_default(SITE_FIELDS, "concurrency")
    timeout_s: float = field_default(SITE_FIELDS, "timeout_s")
    max_retries: int = field_default(SITE_FIELDS, "max_retries")
    backoff_base_s: float = field_default(SITE_FIELDS, "backoff_base_s")
    backoff_max_s: float = field_default(SITE_FIELDS, "backoff_max_s")

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
    """UFCStats (fighters list, fighter and event pages)."""


class SherdogResource(SiteResource):
    """Sherdog (Fight Finder, fighter pages, images)."""

    max_search_pages: int = field_default(SHERDOG_FIELDS, "max_search_pages")
    placeholder_paths: list[str] = list(DEFAULT_PLACEHOLDER_PATHS)


class PipelineResource(dg.ConfigurableResource):
    """The two sites, where data lands and how matches are decided: every asset's one
    resource. ``settings()`` is the per-run :class:`Settings` the steps take."""

    ufcstats: UFCStatsResource
    sherdog: SherdogResource
    data_dir: str = field_default(PIPELINE_FIELDS, "data_dir")
    database_url: str = field_default(PIPELINE_FIELDS, "database_url")
    auto_threshold: float = field_default(PIPELINE_FIELDS, "auto_threshold")
    review_floor: float = field_default(PIPELINE_FIELDS, "review_floor")
    pages_to_check: int = field_default(PIPELINE_FIELDS, "pages_to_check")
    fighter_tasks: int = field_default(PIPELINE_FIELDS, "fighter_tasks")
    full_refresh: bool = field_default(PIPELINE_FIELDS, "full_refresh")
    today: str = field_default(PIPELINE_FIELDS, "today")  # pretend today is this date
    # UFC.com (off by default: its terms restrict automated collection) and Wikimedia
    ufccom_enabled: bool = field_default(PIPELINE_FIELDS, "ufccom_enabled")
    ufccom_base_url: str = field_default(PIPELINE_FIELDS, "ufccom_base_url")
    ufccom_rate: float = field_default(PIPELINE_FIELDS, "ufccom_rate")
    ufccom_concurrency: int = field_default(PIPELINE_FIELDS, "ufccom_concurrency")
    wikimedia_enabled: bool = field_default(PIPELINE_FIELDS, "wikimedia_enabled")
    wikipedia_api_url: str = field_default(PIPELINE_FIELDS, "wikipedia_api_url")
    commons_api_url: str = field_default(PIPELINE_FIELDS, "commons_api_url")
    wikidata_api_url: str = field_default(PIPELINE_FIELDS, "wikidata_api_url")
    wikidata_sparql_url: str = field_default(PIPELINE_FIELDS, "wikidata_sparql_url")
    wikimedia_rate: float = field_default(PIPELINE_FIELDS, "wikimedia_rate")
    wikimedia_concurrency: int = field_default(PIPELINE_FIELDS, "wikimedia_concurrency")
    image_sources: str = field_default(PIPELINE_FIELDS, "image_sources")
    face_check: bool = field_default(PIPELINE_FIELDS, "face_check")

    def settings(self) -> Settings:
        environ = {var: str(getattr(self, name)) for name, var in PIPELINE_FIELDS.items()}
        settings = settings_from_env(environ)  # the same validation as the environment gets
        sherdog = self.sherdog.site_config("sherdog")
        # The other sites share the identity, timeouts and retry policy set on Sherdog's.
        shared = {
            f: getattr(sherdog, f)
            for f in ("user_agent", "timeout_s", "max_retries", "backoff_base_s", "backoff_max_s")
        }
        ufccom = settings.ufccom and dataclasses.replace(settings.ufccom, **shared)
        wikimedia = settings.wikimedia and dataclasses.replace(
            settings.wikimedia, site=dataclasses.replace(settings.wikimedia.site, **shared)
        )
        return dataclasses.replace(
            settings,
            ufcstats=self.ufcstats.site_config("ufcstats"),
            sherdog=sherdog,
            sherdog_max_pages=self.sherdog.max_search_pages,
            placeholder_paths=tuple(self.sherdog.placeholder_paths),
            ufccom=ufccom,
            wikimedia=wikimedia,
        )


def _shown(var: str, value: Any, environ: Mapping[str, str]) -> Any:
    """``dg.EnvVar(var)`` for text set in the environment (the UI shows the variable's
    name, never its value: a URL may hold a password), else the validated value."""
    if isinstance(value, str) and environ.get(var, "").strip():
        return dg.EnvVar(var)
    return value


def _values(
    fields: Mapping[str, str], environ: Mapping[str, str], site: str = ""
) -> dict[str, Any]:
    return {
        name: _shown(var, value, environ)
        for name, (var, value) in resource_values(fields, environ, site).items()
    }


def build_resources(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Resources from the environment (defaults: the live sites, polite), validated once by
    :func:`settings_from_env`; a bad value fails at load time naming the variable."""
    env = os.environ if environ is None else environ
    settings_from_env(env)  # every value validated, together, before any resource exists
    return {
        "pipeline": PipelineResource(
            ufcstats=UFCStatsResource(**_values(SITE_FIELDS, env, SITES["ufcstats"])),
            sherdog=SherdogResource(
                **_values(SITE_FIELDS, env, SITES["sherdog"]), **_values(SHERDOG_FIELDS, env)
            ),
            **_values(PIPELINE_FIELDS, env),
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
    what tests and benchmarks run the jobs in process with. Wikimedia is off unless its
    endpoints are given (``ufc_mirror.envs.resource_kwargs``): never the live APIs."""
    site = site or {}
    pipeline.setdefault("wikimedia_enabled", False)
    return {
        "pipeline": PipelineResource(
            ufcstats=UFCStatsResource(base_url=ufcstats_url, **site),
            sherdog=SherdogResource(base_url=sherdog_url, **site),
            data_dir=str(data_dir),
            **pipeline,
        ),
    }
