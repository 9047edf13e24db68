"""The review queue: pairs below the auto threshold (or ambiguous) with their reasons.

Writes ``<data_dir>/review/queue.json``, ``queue.csv`` and an HTML report ``index.html``
listing each pending pair side by side, most useful decisions first (highest confidence:
one click settles them).
"""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path
from typing import Any

from ufc_pipeline.matching.assign import REVIEW
from ufc_pipeline.processed import ProcessedStore
from ufc_pipeline.sources.raw_store import atomic_write
from ufc_pipeline.steps.settings import Settings


def pending(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items = [r for r in rows if r["status"] == REVIEW]
    items.sort(key=lambda r: (-(r.get("confidence") or 0.0), r["ufcstats_id"]))
    return items


def write_review_outputs(
    settings: Settings, rows: list[dict[str, Any]], store: ProcessedStore
) -> Path:
    items = pending(rows)
    out = settings.review_dir
    atomic_write(out / "queue.json", json.dumps(items, indent=1, ensure_ascii=False).encode())
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["ufcstats_id", "name", "sherdog_id", "sherdog_name", "confidence", "notes"])
    for r in items:
        w.writerow(
            [
                r["ufcstats_id"],
                r["name"],
                r["sherdog_id"],
                r["sherdog_name"],
                f"{r['confidence']:.1f}" if r.get("confidence") is not None else "",
                " | ".join(r.get("notes", [])),
            ]
        )
    atomic_write(out / "queue.csv", buf.getvalue().encode("utf8"))
    page = out / "index.html"
    atomic_write(page, render_html(items, settings.sherdog.root).encode("utf8"))
    return page


def render_html(items: list[dict[str, Any]], sherdog_root: str) -> str:
    e = html.escape
    rows = []
    for r in items:
        reasons = "".join(f"<li>{e(x)}</li>" for x in r.get("reasons", []) + r.get("notes", []))
        link = (
            f'<a href="{e(sherdog_root)}/fighter/x-{int(r["sherdog_id"])}">'
            f"{e(r.get('sherdog_name') or '')} ({r['sherdog_id']})</a>"
            if r.get("sherdog_id") is not None
            else ""
        )
        rows.append(
            f"<tr><td>{e(r['name'] or '')}<br><small>{e(r['ufcstats_id'])}</small></td>"
            f"<td>{link}</td><td>{(r.get('confidence') or 0):.0f}</td>"
            f"<td><ul>{reasons}</ul></td></tr>"
        )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Sherdog match review</title>"
        "<style>body{font-family:sans-serif}td{vertical-align:top;border-top:1px solid #ccc;"
        "padding:4px}</style></head><body>"
        f"<h1>Sherdog matches to review ({len(items)})</h1>"
        "<p>Decide with <code>ufc-pipeline review</code>; decisions land in "
        "<code>data/manual/sherdog_overrides.csv</code> and win on every later run.</p>"
        "<table><tr><th>UFCStats</th><th>Sherdog</th><th>Confidence</th><th>Reasons</th></tr>"
        + "".join(rows)
        + "</table></body></html>"
    )
