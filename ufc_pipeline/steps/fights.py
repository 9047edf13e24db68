"""Fighters and their Sherdog fight histories into the warehouse.

Every UFCStats fighter of the letters lands in ``fighters`` (Sherdog columns filled when
verified); each verified fighter's fight history lands in ``fights`` with one row per bout
(the same bout seen from both fighters' pages has one natural key). Loads are idempotent
upserts in one transaction per table: a re-run changes nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from ufc_pipeline.fileio import atomic_write, file_stamp
from ufc_pipeline.matching.assign import VERIFIED_STATUSES
from ufc_pipeline.parsing.errors import PageNotFound
from ufc_pipeline.parsing.records import SherdogFighter, UFCStatsListRow
from ufc_pipeline.parsing.sherdog import parse_fighter_page
from ufc_pipeline.sources.errors import FetchError
from ufc_pipeline.sources.http import PoliteClient
from ufc_pipeline.sources.parse_cache import parsed
from ufc_pipeline.sources.raw_store import RawStore
from ufc_pipeline.sources.sherdog import SITE as SHERDOG
from ufc_pipeline.sources.sherdog import SherdogSource
from ufc_pipeline.steps.charts import fights_chart
from ufc_pipeline.steps.fingerprint import CARD_INDEX, fingerprints
from ufc_pipeline.steps.noop import LastRun
from ufc_pipeline.steps.report import CheckOutcome, Table
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.warehouse.bouts import BoutError, bout_row
from ufc_pipeline.warehouse.engine import make_engine, redact_url, warehouse_key
from ufc_pipeline.warehouse.load import (
    UpsertStats,
    duplicate_bouts,
    record_quarantines,
    upsert_fighters,
    upsert_fights,
)
from ufc_pipeline.warehouse.migrations import MIGRATIONS_DIR
from ufc_pipeline.warehouse.schema import SCHEMA_VERSION, ensure_schema
from ufc_pipeline.warehouse.schema import fighters as fighters_table
from ufc_pipeline.warehouse.schema import fights as fights_table
from ufc_pipeline.warehouse.stats import fights_per_year


@dataclass
class FightsResult:
    """The warehouse load of a run: fighters loaded or carried over, bouts, quarantine."""

    fighters: int
    loaded_now: int
    verified_fighters: int
    bout_rows_seen: int
    fighters_upsert: dict[str, int]
    fights_upsert: dict[str, int]
    quarantined: list[dict[str, str]]
    fights_rows: int
    duplicated_bouts: int
    warehouse: str
    # rows of the fights table per (year, section), for the chart (year None: no date)
    per_year: list[tuple[int | None, str, int]] = field(default_factory=list)

    def metadata(self) -> dict[str, Any]:
        return {
            "dagster/row_count": self.fights_rows,
            "fighters_loaded": self.loaded_now,
            "fighters_carried_over": self.fighters - self.loaded_now,
            "verified_fighters": self.verified_fighters,
            "bout_rows_seen": self.bout_rows_seen,
            "fights_upsert": self.fights_upsert,
            "fighters_upsert": self.fighters_upsert,
            "quarantined": len(self.quarantined),
            "quarantine": Table.of(
                self.quarantined, ("kind", "subject", "reason", "detail"), limit=20
            ),
            "warehouse": self.warehouse,
            "fights_per_year_chart": fights_chart(self.per_year),
        }

    def checks(self) -> list[CheckOutcome]:
        return [
            CheckOutcome(
                "unique_bouts",
                self.duplicated_bouts == 0,
                f"{self.duplicated_bouts} bout(s) stored more than once out of {self.fights_rows}",
            )
        ]


async def _fetch(settings: Settings, wanted: list[int]) -> dict[int, SherdogFighter | None]:
    """Fighter pages not in the raw store yet, through the polite client."""
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


def _pages(
    settings: Settings, raw: RawStore, wanted: list[int]
) -> dict[int, SherdogFighter | None]:
    """The parsed fighter pages (None: unreadable or Sherdog's 'Page Not Found'). Stored
    pages are read straight from the raw store; only missing ones are fetched."""
    out: dict[int, SherdogFighter | None] = {}
    missing: list[int] = []
    for sid in wanted:
        stored = raw.get(SHERDOG, "fighter", str(sid))
        if stored is None:
            missing.append(sid)
            continue
        try:
            out[sid] = parsed(raw, stored, "sherdog-fighter", parse_fighter_page, sherdog_id=sid)
        except PageNotFound:
            out[sid] = None
    if missing:
        out.update(asyncio.run(_fetch(settings, missing)))
    return out


Quarantined = tuple[str, str, str, str]  # kind, subject, reason, detail


@dataclass
class _Inputs:
    """What the earlier steps left for the letters of a run."""

    list_rows: dict[str, UFCStatsListRow]
    letter_of: dict[str, str]
    match_of: dict[str, dict[str, Any]]  # verified matches by ufcstats id
    images: dict[str, dict[str, Any]]  # saved image (path relative to the data dir, source,
    # licence, attribution) by ufcstats id
    # what earlier steps rejected, for the quarantine table with its reason
    rejections: list[Quarantined] = field(default_factory=list)


def _read_inputs(settings: Settings, letters: Sequence[str]) -> _Inputs:
    """Every input of the step; each output of an earlier step is read once."""
    store = settings.processed
    inputs = _Inputs({}, {}, {}, {})
    rejections = inputs.rejections
    errors = _UpstreamErrors(settings)
    for letter in letters:
        for r in store.require("fighters_list", letter)["rows"]:
            row = UFCStatsListRow.from_dict(r)
            inputs.list_rows[row.ufcstats_id] = row
            inputs.letter_of[row.ufcstats_id] = letter
        for m in store.require("verified_matches", letter)["rows"]:
            if m["status"] in VERIFIED_STATUSES:
                inputs.match_of[m["ufcstats_id"]] = m
        for img in (store.read("fighter_images", letter) or {}).get("rows", []):
            if img["status"] == "saved":
                inputs.images[img["ufcstats_id"]] = {
                    # relative to the data directory: the table does not depend on where it is
                    "image_path": os.path.relpath(img["path"], settings.data_dir),
                    "image_source": img.get("source") or "sherdog",
                    "image_licence": img.get("licence"),
                    "image_attribution": img.get("attribution"),
                }
            subject = f"ufcstats:{img['ufcstats_id']}"
            # every downloaded picture that was refused (a placeholder is expected, not bad)
            for c in img.get("candidates", []):
                if c.get("outcome") == "rejected" and c.get("reason") != "placeholder":
                    detail = f"{c.get('source')}: {c.get('url') or ''} {c.get('detail') or ''}"
                    rejections.append(("image", subject, c["reason"], detail.strip()))
        rejections += errors.of("sherdog_matches", letter, _search_errors)
        rejections += errors.of("fighter_details", letter, _page_errors)
    errors.save()
    return inputs


def _search_errors(output: dict[str, Any]) -> list[Quarantined]:
    return [
        ("sherdog_search", f"ufcstats:{e['ufcstats_id']}", "fetch_or_parse_error", e["error"])
        for e in output.get("fighters", [])
        if e.get("error")
    ]


def _page_errors(output: dict[str, Any]) -> list[Quarantined]:
    return [
        ("ufcstats_page", f"ufcstats:{fid}", "fetch_or_parse_error", d["error"])
        for fid, d in output.get("fighters", {}).items()
        if d.get("error")
    ]


class _UpstreamErrors:
    """The errors recorded in large upstream outputs (Sherdog searches, UFCStats pages),
    remembered per output file so an unchanged file is not read again. A file is the same
    while its inode, modification time and size are (outputs are replaced by rename)."""

    def __init__(self, settings: Settings) -> None:
        self.store = settings.processed
        self.path = self.store.root / "fights_state" / "upstream_errors.json"
        try:
            self.known: dict[str, Any] = json.loads(self.path.read_text(encoding="utf8"))
        except (OSError, ValueError):
            self.known = {}
        self.changed = False

    def of(
        self, asset: str, letter: str, extract: Callable[[dict[str, Any]], list[Quarantined]]
    ) -> list[Quarantined]:
        stamp = file_stamp(self.store.path(asset, letter))
        name = f"{asset}/{letter}"
        seen = self.known.get(name)
        if isinstance(seen, dict) and stamp is not None and seen.get("stamp") == stamp:
            return [(k, s, r, d) for k, s, r, d in seen["errors"]]
        output = self.store.read(asset, letter) if stamp is not None else None
        errors = extract(output or {})
        self.known[name] = {"stamp": stamp, "errors": errors}
        self.changed = True
        return errors

    def save(self) -> None:
        if self.changed:
            atomic_write(self.path, json.dumps(self.known, sort_keys=True).encode())


def _rows(
    inputs: _Inputs, todo: set[str], pages: dict[int, SherdogFighter | None]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[Quarantined]]:
    """``fighters`` and ``fights`` rows of the fighters to load, and what is unusable."""
    fighters: list[dict[str, Any]] = []
    bouts: list[dict[str, Any]] = []
    bad: list[Quarantined] = []
    for ufc_id in sorted(todo):
        row, m = inputs.list_rows[ufc_id], inputs.match_of.get(ufc_id)
        page = pages.get(int(m["sherdog_id"])) if m else None
        if m and page is None:
            why = f"verified Sherdog page of {row.name} ({ufc_id}) could not be read"
            bad.append(("page", f"sherdog:{m['sherdog_id']}", "page_unavailable", why))
        fighters.append(
            _fighter_row(row, m, page, inputs.images.get(ufc_id), inputs.letter_of[ufc_id])
        )
        if not (m and page is not None):
            continue
        for fight in page.fights:
            if fight.result == "next":  # an upcoming bout is not history yet
                continue
            try:
                bouts.append(bout_row(int(m["sherdog_id"]), page.name, fight))
            except BoutError as exc:
                what = f"{fight.event_name} {fight.date} vs {fight.opponent_name!r}: {exc}"
                bad.append(("fight_row", f"sherdog:{m['sherdog_id']}", "unusable_fight_row", what))
    return fighters, bouts, bad


#: the earlier steps' outputs this step reads (see _read_inputs)
_READS = ("fighters_list", "verified_matches", "fighter_images", "sherdog_matches")
_READS += ("fighter_details",)


def _last_run(settings: Settings, letters: Sequence[str], warehouse: str) -> LastRun:
    """The record of a run (see :mod:`~ufc_pipeline.steps.noop`): stamped on every input,
    the stored Sherdog fighter pages and the warehouse it loaded."""
    extra = [
        file_stamp(settings.processed.root / CARD_INDEX),
        settings.raw.kind_digest(SHERDOG, "fighter"),
        warehouse,
        # a new migration makes the next run bring the warehouse to it (ensure_schema)
        SCHEMA_VERSION,
        sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("*.py")),
    ]
    return LastRun(settings, "fights", letters, reads=_READS, extra=extra)


def _state_stamps(settings: Settings, letters: Sequence[str], warehouse: str) -> list[Any]:
    return [file_stamp(_state_path(settings, x, warehouse)) for x in sorted(letters)]


def _table_counts(engine: Engine) -> list[int]:
    """Rows in ``fighters`` and ``fights``: a warehouse changed by something else since the
    last run makes that run's record stale."""
    with engine.connect() as conn:
        return [
            int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (fighters_table, fights_table)
        ]


def _recalled(settings: Settings, last: LastRun, warehouse: str) -> FightsResult | None:
    """The last run's result as a run with nothing to load would give it, when none of
    its inputs, its state files and the warehouse's row counts changed since."""
    same = last.recall(_state_stamps(settings, last.letters, warehouse))
    if same is None:
        return None
    engine = make_engine(settings.warehouse_url)
    try:
        counts = _table_counts(engine)
    except SQLAlchemyError:  # no such table, or no warehouse: the full path says why
        return None
    finally:
        engine.dispose()
    if counts != same.get("table_counts"):
        return None
    try:
        result = FightsResult(**same["result"])
    except (KeyError, TypeError):  # recorded by a version that kept other fields
        return None
    result.per_year = [(y, s, n) for y, s, n in result.per_year]
    return result


def _still_loaded(
    engine: Engine, state: dict[str, dict[str, str]], log: Callable[[str], None]
) -> dict[str, dict[str, str]]:
    """``state`` (the fighters of each letter loaded into this warehouse, with their input
    keys) without the letters whose rows the warehouse no longer holds: a warehouse
    emptied, re-created or restored from an older copy at the same URL has fewer rows of a
    letter than were loaded, and that letter is loaded again (the upserts make that
    harmless)."""
    query = (
        select(fighters_table.c.letter, func.count())
        .where(fighters_table.c.letter.in_(sorted(state)))
        .group_by(fighters_table.c.letter)
    )
    with engine.connect() as conn:
        held = {str(x): int(n) for x, n in conn.execute(query)}
    out = {}
    for letter, loaded in state.items():
        if held.get(letter, 0) < len(loaded):
            log(
                f"fights: the warehouse holds {held.get(letter, 0)} fighters of letter "
                f"{letter!r} where {len(loaded)} were loaded: loading that letter again"
            )
            loaded = {}
        out[letter] = loaded
    return out


def fights_step(
    settings: Settings, letters: Sequence[str], log: Callable[[str], None] = lambda m: None
) -> FightsResult:
    settings.sweep_temp_files()
    raw = settings.raw
    warehouse = warehouse_key(settings.warehouse_url)
    # stamped before anything is read: an input written meanwhile makes the next run work
    last = _last_run(settings, letters, warehouse)
    if (same := _recalled(settings, last, warehouse)) is not None:
        return same
    inputs = _read_inputs(settings, letters)
    engine = make_engine(settings.warehouse_url)
    try:
        ensure_schema(engine)
        # Fighters whose inputs are unchanged since they were loaded into this warehouse are
        # skipped: their Sherdog page is not even read again (its sha256 comes from the
        # store's metadata).
        state = {x: _load_state(settings, x, warehouse) for x in letters}
        state = _still_loaded(engine, state, log)
        fps = {f: fp for x in letters for f, fp in fingerprints(settings, x).items()}
        keys = {
            fid: _input_key(raw, row, inputs.match_of.get(fid), inputs.images.get(fid), fps)
            for fid, row in inputs.list_rows.items()
        }
        todo = {
            fid
            for fid in inputs.list_rows
            if settings.full_refresh or state[inputs.letter_of[fid]].get(fid) != keys[fid]
        }
        wanted = {int(m["sherdog_id"]) for fid, m in inputs.match_of.items() if fid in todo}
        pages = _pages(settings, raw, sorted(wanted))
        fighters, bouts, bad = _rows(inputs, todo, pages)
        quarantined = inputs.rejections + bad
        f_stats = upsert_fighters(engine, fighters)
        b_stats = upsert_fights(engine, bouts)
        record_quarantines(engine, quarantined)
        dupes, total = duplicate_bouts(engine)
        per_year = fights_per_year(engine)
        table_counts = _table_counts(engine)
    finally:
        engine.dispose()
    unreadable = {
        fid
        for fid, m in inputs.match_of.items()
        if fid in todo and pages.get(int(m["sherdog_id"])) is None
    }
    for letter in letters:
        loaded = dict(state[letter])
        for fid in todo - unreadable:
            if inputs.letter_of[fid] == letter:
                loaded[fid] = keys[fid]
        if loaded != state[letter] or not _state_path(settings, letter, warehouse).exists():
            _save_state(settings, letter, warehouse, loaded)
    result = FightsResult(
        fighters=len(keys),
        loaded_now=len(fighters),
        verified_fighters=len(inputs.match_of),
        bout_rows_seen=len(bouts),
        fighters_upsert=asdict(f_stats),
        fights_upsert=asdict(b_stats),
        quarantined=_quarantine_rows(quarantined),
        fights_rows=total,
        duplicated_bouts=dupes,
        warehouse=redact_url(settings.warehouse_url),
        per_year=per_year,
    )
    if unreadable:  # those fighters are loaded again next run: it is no no-op
        last.forget()
    else:
        # what the next run, finding nothing to load, would report: no upsert, and only
        # what earlier steps rejected (this run's unusable rows are not read again)
        again = replace(
            result,
            loaded_now=0,
            bout_rows_seen=0,
            fighters_upsert=asdict(UpsertStats()),
            fights_upsert=asdict(UpsertStats()),
            quarantined=_quarantine_rows(inputs.rejections),
        )
        last.keep(
            {"result": asdict(again), "table_counts": table_counts},
            _state_stamps(settings, letters, warehouse),
        )
    return result


def _quarantine_rows(quarantined: list[Quarantined]) -> list[dict[str, str]]:
    return [{"kind": k, "subject": s, "reason": r, "detail": d[:200]} for k, s, r, d in quarantined]


def _state_path(settings: Settings, letter: str, warehouse: str) -> Path:
    return settings.processed.root / "fights_state" / f"{letter}.{warehouse}.json"


def _load_state(settings: Settings, letter: str, warehouse: str) -> dict[str, str]:
    path = _state_path(settings, letter, warehouse)
    return json.loads(path.read_text(encoding="utf8")) if path.exists() else {}


def _save_state(settings: Settings, letter: str, warehouse: str, state: dict[str, str]) -> None:
    atomic_write(
        _state_path(settings, letter, warehouse), json.dumps(state, sort_keys=True).encode()
    )


def _input_key(
    raw: RawStore,
    row: UFCStatsListRow,
    m: dict[str, Any] | None,
    image: dict[str, Any] | None,
    fps: dict[str, str],
) -> str:
    """Everything a fighter's rows are made from: list fingerprint, match, image, page."""
    page_sha = None
    if m:
        meta = raw.meta(SHERDOG, "fighter", str(int(m["sherdog_id"])))
        page_sha = meta.get("sha256") if meta else None
    payload = json.dumps(
        [
            fps.get(row.ufcstats_id),
            m and [m["sherdog_id"], m["status"], m.get("confidence")],
            image,
            page_sha,
        ],
        default=str,
        sort_keys=True,
    )
    return hashlib.sha1(payload.encode()).hexdigest()[:16]


def _fighter_row(
    row: UFCStatsListRow,
    m: dict[str, Any] | None,
    page: SherdogFighter | None,
    image: dict[str, Any] | None,
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
        "image_path": (image or {}).get("image_path"),
        "image_source": (image or {}).get("image_source"),
        "image_licence": (image or {}).get("image_licence"),
        "image_attribution": (image or {}).get("image_attribution"),
        "letter": letter,
    }
