"""The environment variables that point the pipeline at a running mirror's four sites.

``urls`` is the mirror's ready file (``ufcstats_url``, ``sherdog_url``, ``ufccom_url``,
``wikimedia_url``) or a :class:`~ufc_mirror.server.MirrorHandle`. UFC.com is turned on here:
the mirror is ours, the live site's terms are not in question (the pipeline's default is
off). Delays are off for the two new sources too (rate 0); the other sites' politeness
variables are the caller's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ufc_mirror.wikimedia_site import endpoints

_VARS = {
    "wikipedia_api": "WIKIPEDIA_API_URL",
    "commons_api": "COMMONS_API_URL",
    "wikidata_api": "WIKIDATA_API_URL",
    "sparql_url": "WIKIDATA_SPARQL_URL",
}


def _url(urls: Any, name: str) -> str:
    return str(urls[name] if isinstance(urls, Mapping) else getattr(urls, name))


def source_env(urls: Any) -> dict[str, str]:
    """``UFCSTATS_BASE_URL`` ... ``WIKIDATA_SPARQL_URL`` for a mirror, new sources enabled."""
    env = {
        "UFCSTATS_BASE_URL": _url(urls, "ufcstats_url"),
        "SHERDOG_BASE_URL": _url(urls, "sherdog_url"),
        "UFCCOM_ENABLED": "1",
        "UFCCOM_BASE_URL": _url(urls, "ufccom_url"),
        "UFCCOM_RATE": "0",
        "UFCCOM_CONCURRENCY": "4",
        "WIKIMEDIA_ENABLED": "1",
        "WIKIMEDIA_RATE": "0",
    }
    for field, var in _VARS.items():
        env[var] = endpoints(_url(urls, "wikimedia_url"))[field]
    return env


def resource_kwargs(urls: Any) -> dict[str, Any]:
    """The same as :func:`source_env`, as ``PipelineResource`` fields (for in-process runs)."""
    wm = endpoints(_url(urls, "wikimedia_url"))
    return {
        "ufccom_enabled": True,
        "ufccom_base_url": _url(urls, "ufccom_url"),
        "ufccom_rate": 0.0,
        "ufccom_concurrency": 4,
        "wikimedia_enabled": True,
        "wikimedia_rate": 0.0,
        "wikipedia_api_url": wm["wikipedia_api"],
        "commons_api_url": wm["commons_api"],
        "wikidata_api_url": wm["wikidata_api"],
        "wikidata_sparql_url": wm["sparql_url"],
    }
