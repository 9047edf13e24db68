"""Step 5: fighters and their Sherdog fight histories into the warehouse.

Every UFCStats fighter of the letters lands in ``fighters`` (Sherdog columns filled when
verified); each verified fighter's fight history lands in ``fights`` with one row per bout
(the same bout seen from both fighters' pages has one natural key). Loads are idempotent
upserts in one transaction per table: a re-run changes nothing.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from typing import Any

from ufc_pipeline.matching.assign import VERIFIED_STATUSES
from ufc_pipeline.parsing.records import SherdogFighter, UFCStatsListRow
from ufc_pipeline.sources.errors import FetchError
from ufc_pipeline.sources.http import PoliteClient
from ufc_pipeline.sources.sherdog import SherdogSource
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.warehouse.bouts import BoutError, bout_row
from ufc_pipeline.warehouse.engine import make_engine
from ufc_pipeline.warehouse.load import record_quarantine, upsert_fighters, upsert_fights
from ufc_pipeline.warehouse.schema import ensure_schema


async def _pages(settings: Settings, wanted: list[int]) -> dict[int, SherdogFighter | None]:
    async with PoliteClient(settings.sherdog) as client:
        source = SherdogSource(client, settings.raw)
        pages = await asyncio.gather(
            *(source.fighter(sid) for sid in wanted), return_exceptions=True
        )
    out: dict[int, SherdogFighter | None] = {}
    for sid, page in zip(wanted, pages, strict=True):
        if isinstance(page, BaseException):
            if not isinstance(page, FetchError):
                raise page
            out[sid] = None
        else:
            out[sid] = page
    return out


def fights_step(
    settings: Settings, letters: Sequence[str], log: Callable[[str], None] = lambda m: None
) -> dict[str, Any]:
    settings.sweep_temp_files()
    store = settings.processed
    fighters: list[dict[str, Any]] = []
    verified: list[tuple[str, dict[str, Any]]] = []
    images: dict[str, str] = {}
    list_rows: dict[str, UFCStatsListRow] = {}
    letter_of: dict[str, str] = {}
    for letter in letters:
        for r in store.require("fighters_list", letter)["rows"]:
            row = UFCStatsListRow.from_dict(r)
            list_rows[row.ufcstats_id] = row
            letter_of[row.ufcstats_id] = letter
        for m in store.require("verified_matches", letter)["rows"]:
            if m["status"] in VERIFIED_STATUSES:
                verified.append((letter, m))
        for img in (store.read("fighter_images", letter) or {}).get("rows", []):
            if img["status"] == "saved":
                # relative to the data directory, so the table does not depend on where it lives
                images[img["ufcstats_id"]] = os.path.relpath(img["path"], settings.data_dir)
    pages = asyncio.run(_pages(settings, sorted({int(m["sherdog_id"]) for _, m in verified})))
    match_of = {m["ufcstats_id"]: m for _, m in verified}
    bouts: list[dict[str, Any]] = []
    quarantined: list[tuple[str, str, str, str]] = []
    # What earlier steps rejected lands in the quarantine table with its reason.
    for letter in letters:
        for img in (store.read("fighter_images", letter) or {}).get("rows", []):
            if img["status"] != "saved" and img.get("reason") not in ("placeholder", None):
                quarantined.append(
                    (
                        "image",
                        f"ufcstats:{img['ufcstats_id']}",
                        img["reason"],
                        f"{img.get('url') or ''} {img.get('detail') or ''}".strip(),
                    )
                )
        for e in (store.read("sherdog_matches", letter) or {}).get("fighters", []):
            if e.get("error"):
                quarantined.append(
                    (
                        "sherdog_search",
                        f"ufcstats:{e['ufcstats_id']}",
                        "fetch_or_parse_error",
                        e["error"],
                    )
                )
        for fid, d in (store.read("fighter_details", letter) or {}).get("fighters", {}).items():
            if d.get("error"):
                quarantined.append(
                    ("ufcstats_page", f"ufcstats:{fid}", "fetch_or_parse_error", d["error"])
                )
    for ufc_id, row in sorted(list_rows.items()):
        m = match_of.get(ufc_id)
        page = pages.get(int(m["sherdog_id"])) if m else None
        if m and page is None:
            quarantined.append(
                (
                    "page",
                    f"sherdog:{m['sherdog_id']}",
                    "page_unavailable",
                    f"verified Sherdog page of {row.name} ({ufc_id}) could not be read",
                )
            )
        fighters.append(_fighter_row(row, m, page, images.get(ufc_id), letter_of[ufc_id]))
        if m and page is not None:
            for fight in page.fights:
                if fight.result == "next":  # an upcoming bout is not history yet
                    continue
                try:
                    bouts.append(bout_row(int(m["sherdog_id"]), page.name, fight))
                except BoutError as exc:
                    quarantined.append(
                        (
                            "fight_row",
                            f"sherdog:{m['sherdog_id']}",
                            "unusable_fight_row",
                            f"{fight.event_name} {fight.date} vs {fight.opponent_name!r}: {exc}",
                        )
                    )
    engine = make_engine(settings.warehouse_url)
    try:
        ensure_schema(engine)
        f_stats = upsert_fighters(engine, fighters)
        b_stats = upsert_fights(engine, bouts)
        for kind, subject, reason, detail in quarantined:
            record_quarantine(engine, kind, subject, reason, detail)
    finally:
        engine.dispose()
    return {
        "fighters": len(fighters),
        "verified_fighters": len(verified),
        "bout_rows_seen": len(bouts),
        "fighters_upsert": _as_dict(f_stats),
        "fights_upsert": _as_dict(b_stats),
        "quarantined": len(quarantined),
        "quarantine_preview": [
            {"kind": k, "subject": s_, "reason": r, "detail": d[:200]}
            for k, s_, r, d in quarantined[:20]
        ],
    }


def _as_dict(stats: Any) -> dict[str, Any]:
    if hasattr(stats, "__dataclass_fields__"):
        from dataclasses import asdict

        return asdict(stats)
    return dict(stats)


def _fighter_row(
    row: UFCStatsListRow,
    m: dict[str, Any] | None,
    page: SherdogFighter | None,
    image_path: str | None,
    letter: str | None,
) -> dict[str, Any]:
    return {
        "ufcstats_id": row.ufcstats_id,
        "sherdog_id": int(m["sherdog_id"]) if m else None,
        "name": row.name,
        "nickname": row.nickname,
        "first_name": row.first_name,
        "last_name": row.last_name,
        "sherdog_name": page.name if page else None,
        "birth_date": page.birth_date if page else None,
        "nationality": page.nationality if page else None,
        "height_in": row.height_in,
        "weight_lbs": row.weight_lbs,
        "reach_in": row.reach_in,
        "stance": row.stance,
        "weight_class": page.weight_class if page else None,
        "association": page.association if page else None,
        "wins": row.wins,
        "losses": row.losses,
        "draws": row.draws,
        "no_contests": page.no_contests if page else None,
        "match_confidence": m.get("confidence") if m else None,
        "match_source": ("override" if m and m["status"] == "override" else "auto") if m else None,
        "image_path": image_path,
        "letter": letter,
    }
