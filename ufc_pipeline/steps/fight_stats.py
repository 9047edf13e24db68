"""Fight statistics: every completed bout's UFCStats fight page, loaded until complete.

``fight_stats_step`` reads the bouts of the months' stored fight cards and fetches each
bout's ``/fight-details/<id>`` once, through the raw page store. UFCStats publishes a
fight's statistics hours or days after the fight, so a page can exist without them. Each
fight therefore has a status, kept per month in ``processed/fight_stats/<YYYY-MM>.json``:

* ``loaded``: its statistics are in the warehouse; never fetched again (unless
  ``UFC_FULL_REFRESH``);
* ``pending``: the page has no statistics yet and the event is younger than
  ``UFC_STATS_PENDING_DAYS`` days; re-checked on every run with a conditional request
  (``processed/fight_stats/pending.json`` lists them all, for the ``pending_stats`` sensor);
* ``unavailable``: still no statistics once that horizon has passed; not re-checked;
* absent: never fetched, or its fetch failed (retried on the next run; the sensor asks
  for such months too).

An event is complete only when every bout of its card is ``loaded``. The totals of each
loaded fight are compared with the sum of its rounds when it is parsed, and the comparison
is kept with its status, so the checks cover every loaded fight of the months without
reading a page again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ufc_pipeline.fileio import atomic_write
from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.ufcstats_fight import (
    UFCStatsFight,
    UFCStatsFightStats,
    parse_fight_page,
    stats_fields,
)
from ufc_pipeline.settings import env_value
from ufc_pipeline.sources.cached import CachedFetcher
from ufc_pipeline.sources.errors import FetchError
from ufc_pipeline.sources.http import PoliteClient
from ufc_pipeline.steps.progress import Progress
from ufc_pipeline.steps.report import CheckOutcome, Table, within_error_budget
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.warehouse.engine import make_engine
from ufc_pipeline.warehouse.load import (
    clear_quarantine,
    existing_keys,
    record_quarantine,
    totals_differing_from_rounds,
    upsert_fight_details,
    upsert_fight_stats,
    upsert_fight_stats_rounds,
)
from ufc_pipeline.warehouse.schema import ensure_schema, fight_stats, ufc_bouts

ASSET = "fight_stats"
PENDING_FILE = "pending.json"
LOADED, PENDING, UNAVAILABLE = "loaded", "pending", "unavailable"
# A page whose totals differ from the sum of its rounds: not loaded, quarantined with the
# differences, and re-checked (conditionally) on every run until the site corrects it.
QUARANTINED = "quarantined"
QUARANTINE_KIND, QUARANTINE_REASON = "fight_stats", "totals_differ_from_rounds"
#: Counts compared between the totals and the sum of the rounds (percentages are rounded
#: by the site, so they are not).
SUMMED = tuple(f for f in stats_fields() if not f.endswith("_pct"))


class FightStatsError(RuntimeError):
    pass


# ---------------------------------------------------------------- state files


def _root(settings: Settings) -> Path:
    return settings.processed.root / ASSET


def _month_file(settings: Settings, month: str) -> Path:
    if len(month) != 7 or month[4] != "-" or not (month[:4] + month[5:]).isdigit():
        raise ValueError(f"month partition {month!r} is not YYYY-MM")
    return _root(settings) / f"{month}.json"


def read_month(settings: Settings, month: str) -> dict[str, dict[str, Any]]:
    """Fight id -> state of every fight of ``month`` fetched so far (empty: never run)."""
    path = _month_file(settings, month)
    return json.loads(path.read_text(encoding="utf8"))["fights"] if path.exists() else {}


def _write_json(path: Path, payload: dict[str, Any]) -> None:
    text = json.dumps(payload, indent=1, sort_keys=True, ensure_ascii=False)
    atomic_write(path, text.encode())


def card_bouts(settings: Settings, month: str) -> dict[str, dict[str, Any]]:
    """Fight id -> bout (with its event's id, name and date) of the month's stored cards."""
    path = settings.processed.root / "fight_cards" / f"{month}.json"
    if not path.exists():
        return {}
    out: dict[str, dict[str, Any]] = {}
    for ev in json.loads(path.read_text(encoding="utf8"))["events"].values():
        for b in ev.get("bouts", []):
            if b.get("result") != "next":
                event = {k: ev.get(k) for k in ("event_id", "name", "date")}
                out[b["fight_id"]] = {**b, "event": event}
    return out


def rebuild_pending(settings: Settings) -> dict[str, dict[str, Any]]:
    """``pending.json``: every pending fight over every month (what the sensor reads), and
    ``since``, when the step first ran on this data directory (kept)."""
    root = _root(settings)
    path = root / PENDING_FILE
    since = json.loads(path.read_text(encoding="utf8"))["since"] if path.exists() else None
    out: dict[str, dict[str, Any]] = {}
    for month_path in sorted(root.glob("????-??.json")) if root.exists() else []:
        for fid, st in json.loads(month_path.read_text(encoding="utf8"))["fights"].items():
            if st["status"] == PENDING:
                out[fid] = {"month": month_path.stem} | {
                    k: v for k, v in st.items() if k != "status"
                }
    _write_json(path, {"since": since or time.time(), "fights": out})
    return out


def pending_after(settings: Settings, *, rebuild: bool) -> None:
    """``pending.json`` once the month files are written: rebuilt when ``rebuild`` (a month
    file changed), when it is missing, or when a month file is newer than it (a run stopped
    between the two writes); else left as it is, which is what a rebuild would write."""
    root = _root(settings)
    path = root / PENDING_FILE
    if not rebuild and path.exists():
        newest = max((p.stat().st_mtime_ns for p in root.glob("????-??.json")), default=0)
        if newest <= path.stat().st_mtime_ns:
            return
    rebuild_pending(settings)


def stats_todo(settings: Settings) -> list[dict[str, Any]]:
    """Months with work left, most recent first: pending fights, or bouts on the stored
    cards that no run has settled (new on a card, failed, or a month whose cards were
    stored after the step first ran but whose statistics never were). Months whose cards
    were stored before that and never asked for are left alone. Reads files only (no HTTP,
    no database)."""
    root = _root(settings)
    marker = root / PENDING_FILE
    if not marker.exists():
        return []  # never run here: nothing is owed yet
    since = json.loads(marker.read_text(encoding="utf8"))["since"]
    cards = settings.processed.root / "fight_cards"
    months = {p.stem for p in root.glob("????-??.json")}
    months |= {p.stem for p in cards.glob("????-??.json") if p.stat().st_mtime > since}
    out = []
    for month in sorted(months, reverse=True):
        states = read_month(settings, month)
        pending = sorted(f for f, st in states.items() if st["status"] == PENDING)
        missing = sorted(set(card_bouts(settings, month)) - set(states))
        if pending or missing:
            out.append({"month": month, "pending": pending, "missing": missing})
    return out


# ---------------------------------------------------------------- result


@dataclass
class FightStatsResult:
    """Fight statistics of a run's months: what was fetched, loaded, left pending."""

    months: list[str]
    bout_events: dict[str, str]  # fight id -> "event (date)" of every bout of the months
    states: dict[str, dict[str, Any]]  # fight id -> state of every settled bout
    loaded_now: list[str]
    errors: dict[str, str]
    per_month: list[dict[str, Any]]
    preview: list[dict[str, Any]]
    upsert: dict[str, dict[str, int]]
    cache: dict[str, Any]
    pending_days: int
    stored_differences: dict[str, list[str]] = field(default_factory=dict)

    def with_status(self, status: str) -> list[str]:
        return sorted(f for f, st in self.states.items() if st["status"] == status)

    def by_event(self, status: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for fid in self.with_status(status):
            out.setdefault(self.bout_events[fid], []).append(fid)
        return out

    def mismatches(self) -> dict[str, list[str]]:
        """Loaded fights whose stored totals differ from their stored rounds."""
        return self.stored_differences

    def incomplete_events(self) -> list[str]:
        """Events with a bout whose statistics are not loaded (pending, unavailable,
        failed): never complete."""
        done = set(self.with_status(LOADED))
        return sorted({ev for fid, ev in self.bout_events.items() if fid not in done})

    def metadata(self) -> dict[str, Any]:
        loaded = self.with_status(LOADED)
        pending = [
            {"event": ev, "pending": len(ids), "fights": ", ".join(ids)}
            for ev, ids in self.by_event(PENDING).items()
        ]
        errors = [{"fight": k, "error": v} for k, v in self.errors.items()]
        return {
            "dagster/row_count": 2 * len(loaded),
            "bouts": len(self.bout_events),
            "fights_loaded": len(loaded),
            "loaded_this_run": len(self.loaded_now),
            "pending": len(self.with_status(PENDING)),
            "unavailable": len(self.with_status(UNAVAILABLE)),
            "quarantined": len(self.with_status(QUARANTINED)),
            "failed": len(self.errors),
            "incomplete_events": self.incomplete_events()[:50],
            "pending_days": self.pending_days,
            "per_month": Table.of(self.per_month, _MONTH_COLUMNS, limit=500),
            "pending_by_event": Table.of(pending, ("event", "pending", "fights"), limit=50),
            "errors": Table.of(errors, ("fight", "error")),
            "preview": Table.of(self.preview, _PREVIEW_COLUMNS),
            "upsert": self.upsert,
            "fetched": self.cache["fetched"],
            "not_modified": self.cache["not_modified"],
        }

    def checks(self) -> list[CheckOutcome]:
        return [self._totals_check(), self._complete_check()]

    def _totals_check(self) -> CheckOutcome:
        mismatches = self.mismatches()
        n = len(self.with_status(LOADED))
        first = "; ".join(f"{f}: {', '.join(v[:3])}" for f, v in list(mismatches.items())[:5])
        return CheckOutcome(
            "totals_equal_rounds",
            not mismatches,
            f"{n - len(mismatches)} of {n} loaded fights have totals equal to the sum of "
            "their rounds in the warehouse"
            + (f"; differing: {first}" if mismatches else "")
            + f" ({len(self.with_status(QUARANTINED))} pages quarantined for that reason)",
            {"mismatches": dict(list(mismatches.items())[:50])},
        )

    def _complete_check(self) -> CheckOutcome:
        incomplete = self.incomplete_events()
        pending = {ev: len(ids) for ev, ids in self.by_event(PENDING).items()}
        unavailable = {ev: len(ids) for ev, ids in self.by_event(UNAVAILABLE).items()}
        details = {
            "pending_by_event": pending,
            "unavailable_by_event": unavailable,
            "failed": sorted(self.errors)[:50],
        }
        if not incomplete:
            text = f"every bout of the {len(self.months)} months has its statistics loaded"
            return CheckOutcome("stats_complete", True, text, details)
        listed = "; ".join(f"{ev}: {n} pending" for ev, n in list(pending.items())[:10])
        text = (
            f"{len(incomplete)} events not complete: {sum(pending.values())} fights pending"
            + (f" ({listed})" if listed else "")
            + f", {sum(unavailable.values())} unavailable, {len(self.errors)} failed"
        )
        return CheckOutcome("stats_complete", False, text, details, severity="warn")


_MONTH_COLUMNS = ("month", "bouts", "loaded", "pending", "unavailable", "failed")
_PREVIEW_COLUMNS = (
    "fight_id",
    "fighter_name",
    "result",
    "kd",
    "sig_str",
    "total_str",
    "td",
    "ctrl_or_pass",
    "rounds",
)


# ---------------------------------------------------------------- pages to rows


def _empty(stats: UFCStatsFightStats | None) -> bool:
    return stats is None or all(getattr(stats, f) is None for f in stats_fields())


def has_statistics(fight: UFCStatsFight) -> bool:
    """The page shows statistics: tables with at least one value (a page with only the
    persons and the bout header, or with tables of ``--``, has none yet)."""
    return fight.has_stats and not all(_empty(side.totals) for side in fight.fighters)


def round_mismatches(fight: UFCStatsFight) -> list[str]:
    """``fighter:field total != r1+r2+...`` for every count whose totals differ from the sum
    of the rounds (a count missing in the totals or in a round is not compared)."""
    out = []
    for side in fight.fighters:
        if side.totals is None or not side.rounds:
            continue
        for name in SUMMED:
            total = getattr(side.totals, name)
            values = [getattr(r, name) for r in side.rounds]
            if total is None or None in values or total == sum(values):
                continue
            out.append(f"{side.fighter_id}:{name} {total} != {'+'.join(map(str, values))}")
    return out


def _fighter_ids(fight: UFCStatsFight, bout: dict[str, Any]) -> list[str]:
    """Each side's UFCStats id: the page's link, else the card's fighter of that name."""
    names = {
        (bout.get(f"fighter{i}_name") or "").casefold(): bout.get(f"fighter{i}_id") for i in (1, 2)
    }
    ids = [side.fighter_id or names.get(side.name.casefold()) for side in fight.fighters]
    if None in ids or len(set(ids)) != 2:
        raise ParseError(
            "ufcstats-fight",
            f"/fight-details/{bout['fight_id']}",
            f"the two fighters have no distinct ids ({ids}) on the page or the card",
        )
    return [str(i) for i in ids]


def _values(stats: UFCStatsFightStats | None) -> dict[str, Any]:
    return {f: getattr(stats, f) if stats is not None else None for f in stats_fields()}


def details_row(fight: UFCStatsFight, bout: dict[str, Any], status: str) -> dict[str, Any]:
    """The ``fight_details`` row of a fight page."""
    judges = "; ".join(f"{c.judge} {c.score}".strip() for c in fight.scorecards)
    return {
        "fight_id": bout["fight_id"],
        "event_id": fight.event_id or bout["event"]["event_id"],
        "bout_type": fight.bout_type,
        "weight_class": fight.weight_class,
        "title_bout": int(fight.title_bout),
        "method": fight.method,
        "method_detail": fight.method_detail,
        "judges": judges or None,
        "round": fight.round,
        "time": fight.time,
        "time_format": fight.time_format,
        "referee": fight.referee,
        "bonuses": ",".join(fight.bonuses) or None,
        "stats_status": status,
    }


def stats_rows(
    fight: UFCStatsFight, bout: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ``fight_stats`` rows (red corner first) and ``fight_stats_rounds`` rows."""
    totals, rounds = [], []
    ids = _fighter_ids(fight, bout)
    for corner, side, fid in zip(("red", "blue"), fight.fighters, ids, strict=True):
        key = {"fight_id": bout["fight_id"], "fighter_id": fid}
        totals.append(
            {**key, "fighter_name": side.name, "corner": corner, "result": side.result}
            | _values(side.totals)
        )
        rounds += [{**key, "round": r.round} | _values(r) for r in side.rounds]
    return totals, rounds


def _preview(rows: list[dict[str, Any]], rounds: Sequence[int]) -> list[dict[str, Any]]:
    """A line per side for the materialization's preview (``rounds``: each side's count)."""

    def pair(row: dict[str, Any], name: str) -> str | None:
        landed, att = row[f"{name}_landed"], row[f"{name}_attempted"]
        return None if landed is None else f"{landed} of {att}"

    out = []
    for count, row in zip(rounds, rows, strict=True):
        ctrl, passes = row["ctrl_seconds"], row["passes"]
        out.append(
            {
                "fight_id": row["fight_id"],
                "fighter_name": row["fighter_name"],
                "result": row["result"],
                "kd": row["kd"],
                "sig_str": pair(row, "sig_str"),
                "total_str": pair(row, "total_str"),
                "td": pair(row, "td"),
                "ctrl_or_pass": f"{ctrl // 60}:{ctrl % 60:02d}"
                if ctrl is not None
                else (f"pass {passes}" if passes is not None else None),
                "rounds": count,
            }
        )
    return out


# ---------------------------------------------------------------- the step


def _horizon(bout: dict[str, Any], pending_days: int) -> dt.date | None:
    day = bout["event"].get("date")
    return dt.date.fromisoformat(day) + dt.timedelta(days=pending_days) if day else None


def _plan(
    settings: Settings,
    bouts: dict[str, dict[str, Any]],
    previous: dict[str, dict[str, Any]],
    in_warehouse: set[str],
    today: dt.date,
    pending_days: int,
) -> dict[str, bool]:
    """Fight id -> revalidate the stored page? for every fight to read this run."""
    plan: dict[str, bool] = {}
    for fid, bout in bouts.items():
        status = previous.get(fid, {}).get("status")
        until = _horizon(bout, pending_days)
        if settings.full_refresh:
            plan[fid] = True
        elif status == LOADED:
            if fid not in in_warehouse:  # the warehouse lost it: load the stored page again
                plan[fid] = False
        elif status == UNAVAILABLE:
            if until is not None and today <= until:  # the horizon was widened
                plan[fid] = True
        else:  # pending, never read, or failed last time
            plan[fid] = True
    return plan


async def _fetch(
    settings: Settings,
    plan: dict[str, bool],
    take: Callable[[str, UFCStatsFight], None],
    log: Callable[[str], None],
) -> tuple[dict[str, str], dict[str, Any]]:
    """Read the fight pages of ``plan`` (revalidated where it says so), in fight id order
    by ``fighter_tasks`` workers, and hand each parsed page to ``take`` as it comes (so
    that only its rows are kept, not the page or its tree). Returns the failures, a
    :class:`ParseError` raised by ``take`` included, and the fetch counts."""
    errors: dict[str, str] = {}
    todo = iter(sorted(plan.items()))
    async with PoliteClient(settings.ufcstats) as client:
        cache = CachedFetcher(client, settings.raw, "ufcstats")
        progress = Progress(ASSET, len(plan), log, unit="fight pages")

        async def worker() -> None:
            for fid, refresh in todo:  # one iterator: each fight goes to one worker
                try:
                    page = await cache.get("fight", fid, f"/fight-details/{fid}", refresh=refresh)
                    assert page is not None
                    take(fid, page.parse(parse_fight_page, fight_id=fid))
                except (FetchError, ParseError) as exc:
                    errors[fid] = str(exc)
                    log(f"fight_stats: fight {fid}: {exc}")
                progress.advance()

        await asyncio.gather(*(worker() for _ in range(max(1, settings.fighter_tasks))))
        return errors, cache.stats.as_dict()


@dataclass
class _Settled:
    """What one fight page gives: its state, its ``fight_details`` row and, once its
    statistics are loaded, its ``fight_stats`` and ``fight_stats_rounds`` rows."""

    state: dict[str, Any]
    details: dict[str, Any]
    totals: list[dict[str, Any]] = field(default_factory=list)
    rounds: list[dict[str, Any]] = field(default_factory=list)
    rounds_per_side: tuple[int, ...] = ()
    quarantine: list[str] = field(default_factory=list)  # differences, when quarantined
    released: bool = False  # quarantined before, loaded now


def _settle_one(
    fight: UFCStatsFight,
    bout: dict[str, Any],
    before: dict[str, Any],
    today: dt.date,
    pending_days: int,
) -> _Settled:
    """The status of a fight page and its rows (``before``: its state of the last run).
    Raises :class:`ParseError` when the page's fighters cannot be told apart."""
    base = {
        "event_id": bout["event"]["event_id"],
        "event_name": bout["event"]["name"],
        "event_date": bout["event"]["date"],
    }
    differences = round_mismatches(fight) if has_statistics(fight) else []
    totals: list[dict[str, Any]] = []
    rounds: list[dict[str, Any]] = []
    if differences:
        status = QUARANTINED
        extra: dict[str, Any] = {"checked": today.isoformat(), "mismatches": differences}
    elif has_statistics(fight):
        totals, rounds = stats_rows(fight, bout)
        status = LOADED
        extra = {"rounds": len(fight.fighters[0].rounds)}
    else:
        until = _horizon(bout, pending_days)
        status = PENDING if until is None or today <= until else UNAVAILABLE
        extra = {
            "since": before.get("since") or today.isoformat(),
            "checked": today.isoformat(),
            "until": until.isoformat() if until else None,
        }
    return _Settled(
        state={**base, "status": status, **extra},
        details=details_row(fight, bout, status),
        totals=totals,
        rounds=rounds,
        rounds_per_side=tuple(len(side.rounds) for side in fight.fighters),
        quarantine=differences,
        released=status == LOADED and before.get("status") == QUARANTINED,
    )


@dataclass
class _Batch:
    """What the pages read this run give: states and warehouse rows."""

    states: dict[str, dict[str, Any]] = field(default_factory=dict)
    details: list[dict[str, Any]] = field(default_factory=list)
    totals: list[dict[str, Any]] = field(default_factory=list)
    rounds: list[dict[str, Any]] = field(default_factory=list)
    loaded: list[str] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)  # the first 10 rows
    quarantine: dict[str, list[str]] = field(default_factory=dict)  # fight id -> differences
    released: list[str] = field(default_factory=list)  # quarantined before, loaded now


PREVIEW_ROWS = 10


def _batch(settled: dict[str, _Settled]) -> _Batch:
    """The fights settled this run, in fight id order."""
    batch = _Batch()
    for fid in sorted(settled):
        one = settled[fid]
        batch.states[fid] = one.state
        batch.details.append(one.details)
        if one.quarantine:
            batch.quarantine[fid] = one.quarantine
        if one.state["status"] == LOADED:
            batch.totals += one.totals
            batch.rounds += one.rounds
            batch.loaded.append(fid)
            if len(batch.preview) < PREVIEW_ROWS:
                batch.preview += _preview(one.totals, one.rounds_per_side)
        if one.released:
            batch.released.append(fid)
    batch.preview = batch.preview[:PREVIEW_ROWS]
    return batch


def _load(settings: Settings, batch: _Batch) -> dict[str, dict[str, int]]:
    engine = make_engine(settings.warehouse_url)
    try:
        out = {}
        for name, upsert, rows in (
            ("fight_details", upsert_fight_details, batch.details),
            ("fight_stats", upsert_fight_stats, batch.totals),
            ("fight_stats_rounds", upsert_fight_stats_rounds, batch.rounds),
        ):
            stats = upsert(engine, rows)
            out[name] = {
                "inserted": stats.inserted,
                "updated": stats.updated,
                "unchanged": stats.unchanged,
            }
        for fid, differences in sorted(batch.quarantine.items()):
            detail = "; ".join(differences[:10])
            record_quarantine(engine, QUARANTINE_KIND, _subject(fid), QUARANTINE_REASON, detail)
        for fid in batch.released:
            clear_quarantine(engine, QUARANTINE_KIND, _subject(fid))
        return out
    finally:
        engine.dispose()


def _subject(fight_id: str) -> str:
    return f"ufcstats_fight:{fight_id}"


def _stored_differences(settings: Settings, fight_ids: list[str]) -> dict[str, list[str]]:
    """What the warehouse holds for ``fight_ids``: totals that differ from their rounds."""
    engine = make_engine(settings.warehouse_url)
    try:
        return totals_differing_from_rounds(engine, fight_ids, SUMMED)
    finally:
        engine.dispose()


def _known(settings: Settings, bouts: dict[str, dict[str, Any]]) -> tuple[set[str], set[str]]:
    """(bouts stored in ``ufc_bouts``, fights with rows in ``fight_stats``)."""
    engine = make_engine(settings.warehouse_url)
    try:
        ensure_schema(engine)
        stored = existing_keys(engine, ufc_bouts, "fight_id", bouts)
        return stored, existing_keys(engine, fight_stats, "fight_id", stored)
    finally:
        engine.dispose()


def _write_months(
    settings: Settings,
    bouts: dict[str, dict[str, dict[str, Any]]],
    previous: dict[str, dict[str, dict[str, Any]]],
    batch: _Batch,
    errors: dict[str, str],
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]], int]:
    """Each month's states (a page read now wins; a failed or unread one keeps what was
    known; a bout gone from the card is dropped), its counts, and how many month files
    were written."""
    states: dict[str, dict[str, Any]] = {}
    per_month = []
    written = 0
    for month, month_bouts in sorted(bouts.items()):
        known = {**previous[month], **batch.states}
        current = {fid: known[fid] for fid in sorted(month_bouts) if fid in known}
        if current != previous[month] or not _month_file(settings, month).exists():
            _write_json(_month_file(settings, month), {"fights": current})
            written += 1
        states.update(current)
        count = Counter(st["status"] for st in current.values())
        failed = sum(1 for f in month_bouts if f in errors or f not in current)
        per_month.append(
            {
                "month": month,
                "bouts": len(month_bouts),
                "failed": failed,
                **{s: count.get(s, 0) for s in (LOADED, PENDING, UNAVAILABLE)},
            }
        )
    return states, per_month, written


def fight_stats_step(
    settings: Settings,
    months: Sequence[str],
    *,
    today: dt.date | None = None,
    pending_days: int | None = None,
    log: Callable[[str], None] = lambda m: None,
) -> FightStatsResult:
    """Statistics of every completed bout on the stored cards of ``months`` (``YYYY-MM``).

    ``pending_days`` defaults to ``UFC_STATS_PENDING_DAYS``. Raises
    :class:`FightStatsError` (nothing written) when more than the error budget of the
    pages to read failed.
    """
    settings.sweep_temp_files()
    today = today or settings.current_date
    days = env_value("UFC_STATS_PENDING_DAYS") if pending_days is None else pending_days
    months = sorted(set(months))
    bouts = {m: card_bouts(settings, m) for m in months}
    every = {fid: b for m in months for fid, b in bouts[m].items()}
    previous = {m: read_month(settings, m) for m in months}
    known = {fid: st for m in months for fid, st in previous[m].items()}
    stored, in_warehouse = _known(settings, every)
    errors = {
        fid: f"bout {fid} is not in ufc_bouts: materialize fight_cards for its month first"
        for fid in every
        if fid not in stored
    }
    readable = {f: b for f, b in every.items() if f in stored}
    plan = _plan(settings, readable, known, in_warehouse, today, days)
    settled: dict[str, _Settled] = {}

    def take(fid: str, fight: UFCStatsFight) -> None:
        settled[fid] = _settle_one(fight, every[fid], known.get(fid, {}), today, days)

    fetch_errors, cache = asyncio.run(_fetch(settings, plan, take, log))
    if not within_error_budget(len(fetch_errors), len(plan), settings.max_error_fraction):
        raise FightStatsError(
            f"{len(fetch_errors)} of {len(plan)} fight pages failed; nothing was written. "
            "First: " + "; ".join(f"{k}: {v}" for k, v in list(fetch_errors.items())[:3])
        )
    errors.update(fetch_errors)
    batch = _batch(settled)
    upsert = _load(settings, batch)
    states, per_month, written = _write_months(settings, bouts, previous, batch, errors)
    pending_after(settings, rebuild=written > 0)
    loaded = sorted(f for f, st in states.items() if st["status"] == LOADED)
    result = FightStatsResult(
        stored_differences=_stored_differences(settings, loaded),
        months=months,
        bout_events={f: f"{b['event']['name']} ({b['event']['date']})" for f, b in every.items()},
        states=states,
        loaded_now=batch.loaded,
        errors=errors,
        per_month=per_month,
        preview=batch.preview,
        upsert=upsert,
        cache=cache,
        pending_days=days,
    )
    log(
        f"fight_stats: {len(plan)} of {len(every)} fight pages read ({cache['fetched']} "
        f"fetched, {cache['not_modified']} not modified); {len(batch.loaded)} fights loaded, "
        f"{len(result.with_status(PENDING))} pending, {len(errors)} failed"
    )
    return result
