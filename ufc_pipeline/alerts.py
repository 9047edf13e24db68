"""Alerts to a Slack-compatible webhook (``UFC_ALERT_WEBHOOK_URL``).

The payload is Slack's incoming-webhook JSON (``text``) plus structured fields (asset,
partition, run id, error, link) for receivers that read them. Sending never raises: an
alert that cannot be delivered is logged, the run's own outcome is what matters.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from ufc_pipeline.settings import env_value

log = logging.getLogger(__name__)


def webhook_url() -> str | None:
    return env_value("UFC_ALERT_WEBHOOK_URL") or None


def ui_link(path: str) -> str:
    base = env_value("UFC_DAGSTER_UI_URL").rstrip("/")
    return f"{base}/{path.lstrip('/')}"


def build_payload(
    kind: str,
    *,
    asset: str | None,
    partition: str | None,
    run_id: str | None,
    error: str | None,
    link: str | None,
    text: str | None = None,
) -> dict[str, Any]:
    summary = text or (
        f"ufc_pipeline {kind}: {asset or 'run'}"
        + (f"[{partition}]" if partition else "")
        + (f" — {error}" if error else "")
    )
    return {
        "text": summary[:3000] + (f"\n<{link}|open in Dagster>" if link else ""),
        "kind": kind,
        "asset": asset,
        "partition": partition,
        "run_id": run_id,
        "error": (error or "")[:3000] or None,
        "link": link,
    }


def send_alert(payload: dict[str, Any], url: str | None = None, timeout_s: float = 10.0) -> bool:
    url = url or webhook_url()
    if not url:
        return False
    try:
        resp = httpx.post(url, json=payload, timeout=timeout_s)
    except httpx.HTTPError as exc:
        log.warning("alert to the webhook failed: %s", exc)
        return False
    if resp.status_code >= 300:
        log.warning("alert webhook answered HTTP %s", resp.status_code)
        return False
    return True
