"""The review queue: pairs below the auto threshold (or ambiguous) with their reasons.

Writes ``<data_dir>/review/queue.json``, ``queue.csv`` and an HTML report ``index.html``
showing each pending pair side by side (names, nicknames, dates of birth, weights, records,
the evidence for and against, and the photos of the proposed Sherdog person and of the
runner-up, saved under ``review/photos/`` by ``fighter_images``), the pairs whose decision
unlocks the most fights first. ``ufc-pipeline review`` records the decisions.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Jinja loads when a report is rendered, not with the definitions
    import jinja2

from ufc_pipeline.fileio import write_if_changed
from ufc_pipeline.matching.assign import REVIEW, VERIFIED_STATUSES
from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.records import SherdogFighter
from ufc_pipeline.processed import LETTERS, ProcessedStore
from ufc_pipeline.sources.sherdog import stored_fighter
from ufc_pipeline.steps.settings import Settings


def _stored_page(settings: Settings, sherdog_id: int | None) -> SherdogFighter | None:
    if sherdog_id is None:
        return None
    try:
        return stored_fighter(settings.raw, sherdog_id)
    except ParseError:
        return None


def _side(page: SherdogFighter | None, sherdog_id: int | None, name: str | None) -> dict[str, Any]:
    if sherdog_id is None:
        return {}
    out: dict[str, Any] = {"sherdog_id": int(sherdog_id), "name": name, "photo": None}
    if page is not None:
        out.update(
            name=page.name,
            nickname=page.nickname,
            dob=page.birth_date.isoformat() if page.birth_date else None,
            weight_lbs=page.weight_lbs,
            record=f"{page.wins}-{page.losses}-{page.draws}",
            image_path=page.image_path,
            pro_fights=sum(1 for f in page.fights if f.section == "pro"),
        )
    return out


def pending(
    settings: Settings, rows: list[dict[str, Any]], store: ProcessedStore
) -> list[dict[str, Any]]:
    """Pending pairs with both sides' facts, most useful decision first."""
    if not any(r["status"] == REVIEW for r in rows):
        return []
    entries: dict[str, dict[str, Any]] = {}
    for letter in LETTERS:
        for e in (store.read("sherdog_matches", letter) or {}).get("fighters", []):
            entries[e["ufcstats_id"]] = e
    items = []
    for r in rows:
        if r["status"] != REVIEW:
            continue
        e = entries.get(r["ufcstats_id"], {})
        lr = e.get("list_row") or {}
        item = dict(r)
        item["ufcstats"] = {
            "name": r.get("name"),
            "nickname": lr.get("nickname"),
            "dob": e.get("dob"),
            "weight_lbs": lr.get("weight_lbs"),
            "record": f"{lr.get('wins')}-{lr.get('losses')}-{lr.get('draws')}" if lr else None,
            "ufc_bouts": e.get("ufc_bouts", 0),
        }
        item["candidate"] = _side(
            _stored_page(settings, r.get("sherdog_id")), r.get("sherdog_id"), r.get("sherdog_name")
        )
        runner = r.get("runner_up") or {}
        item["runner_up_side"] = _side(
            _stored_page(settings, runner.get("sherdog_id")),
            runner.get("sherdog_id"),
            runner.get("sherdog_name"),
        )
        # A decision helps most where it unlocks many fights and the machine is least sure.
        item["help"] = round(
            (1 + item["ufcstats"]["ufc_bouts"]) * (1 - abs((r.get("confidence") or 0) - 50) / 100),
            2,
        )
        items.append(item)
    items.sort(key=lambda i: (-i["help"], i["ufcstats_id"]))
    return items


def photo_path(settings: Settings, sherdog_id: int) -> Path:
    return settings.review_dir / "photos" / f"{int(sherdog_id)}.jpg"


def photo_targets(settings: Settings) -> dict[int, str]:
    """Sherdog id -> image path of every person shown in the review report."""
    path = settings.review_dir / "queue.json"
    if not path.exists():
        return {}
    out: dict[int, str] = {}
    for item in json.loads(path.read_text(encoding="utf8")):
        for side in (item.get("candidate") or {}, item.get("runner_up_side") or {}):
            if side.get("sherdog_id") is not None and side.get("image_path"):
                out[int(side["sherdog_id"])] = side["image_path"]
    return out


def write_review_outputs(
    settings: Settings,
    rows: list[dict[str, Any]] | None = None,
    store: ProcessedStore | None = None,
) -> Path:
    """(Re)write queue.json, queue.csv and index.html from every letter's verified matches."""
    store = store or settings.processed
    if rows is None:
        rows = [
            r for x in LETTERS for r in (store.read("verified_matches", x) or {}).get("rows", [])
        ]
    items = pending(settings, rows, store)
    for item in items:
        for side in (item["candidate"], item["runner_up_side"]):
            if side.get("sherdog_id") is not None:
                p = photo_path(settings, side["sherdog_id"])
                side["photo"] = f"photos/{p.name}" if p.exists() else None
    out = settings.review_dir
    write_if_changed(out / "queue.json", json.dumps(items, indent=1, ensure_ascii=False).encode())
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["ufcstats_id", "name", "sherdog_id", "sherdog_name", "confidence", "notes"])
    for r in items:
        conf = r.get("confidence")
        w.writerow(
            [
                r["ufcstats_id"],
                r["name"],
                r["sherdog_id"],
                r["sherdog_name"],
                f"{conf:.1f}" if conf is not None else "",
                " | ".join(r.get("notes", [])),
            ]
        )
    write_if_changed(out / "queue.csv", buf.getvalue().encode("utf8"))
    verified = sum(1 for r in rows if r["status"] in VERIFIED_STATUSES)
    dupes_path = out / "duplicate_images.json"
    duplicates = json.loads(dupes_path.read_text(encoding="utf8")) if dupes_path.exists() else []
    page = out / "index.html"
    html = render_html(items, settings.sherdog.root, verified, duplicates)
    write_if_changed(page, html.encode("utf8"))
    return page


_KEYS = (
    ("Name", "name"),
    ("Nickname", "nickname"),
    ("Born", "dob"),
    ("Weight (lbs)", "weight_lbs"),
    ("Pro record", "record"),
)


@functools.cache
def _templates() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def render_html(
    items: list[dict[str, Any]],
    sherdog_root: str,
    verified: int = 0,
    duplicates: list[dict[str, Any]] | None = None,
) -> str:
    """The review report (``templates/review.html.j2``; every value escaped), with the pairs
    of fighters sharing a photo (``fighter_images``) at the end."""
    return (
        _templates()
        .get_template("review.html.j2")
        .render(
            items=items,
            sherdog_root=sherdog_root,
            verified=verified,
            keys=_KEYS,
            duplicates=duplicates or [],
        )
    )
