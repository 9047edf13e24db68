"""Alerts to a Slack-compatible webhook (``UFC_ALERT_WEBHOOK_URL``).

The payload is Slack's incoming-webhook JSON (``text``) plus structured fields (asset,
partition, run id, error, link) for receivers that read them. A failure alert also carries
the run's execution report (``report``: every step with its status, items, duration,
retries and issues, as ``ufc-pipeline report`` prints it), summed up in ``text`` one line a
step. Sending never raises: an alert that cannot be delivered is logged, the run's own
outcome is what matters.
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


def steps_text(report: dict[str, Any] | None) -> str:
    """One line a step of a run report: ``fighter_details: failure, 2.1 s (error: ...)``."""
    if not report:
        return ""
    lines = []
    for step in report.get("steps", []):
        parts = [step["status"]]
        if step.get("rows") is not None:
            parts.append(f"{step['rows']:,} items")
        if step.get("duration_s") is not None:
            parts.append(f"{step['duration_s']:.1f} s")
        issues = "; ".join(step.get("issues") or [])
        lines.append(f"• {step['step']}: {', '.join(parts)}" + (f" ({issues})" if issues else ""))
    return "\n".join(lines)


def build_payload(
    kind: str,
    *,
    asset: str | None,
    partition: str | None,
    run_id: str | None,
    error: str | None,
    link: str | None,
    text: str | None = None,
    report: dict[str, Any] | None = None,
) -> dict[str, Any]:
    summary = text or (
        f"ufc_pipeline {kind}: {asset or 'run'}"
        + (f"[{partition}]" if partition else "")
        + (f" — {error}" if error else "")
    )
    if report:
        summary += "\n" + steps_text(report)
    return {
        "text": summary[:3000] + (f"\n<{link}|open in Dagster>" if link else ""),
        "kind": kind,
        "asset": asset,
        "partition": partition,
        "run_id": run_id,
        "error": (error or "")[:3000] or None,
        "link": link,
        "report": report,
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
