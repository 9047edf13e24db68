"""ufc_com_athletes: the UFC.com athlete page of every UFCStats fighter, when enabled.

UFC.com is off unless configured (``settings.ufccom is None``): its terms restrict
automated collection, so every letter is then written with no rows and the step says why.

When on, the first ``/athletes/all`` page and ``/rankings`` are read once per run (they
name a few hundred athletes with their real slugs), then each fighter's page is looked
for at, in order: the slug set by hand in ``data/manual/ufccom_slugs.csv``, the slug of
a listed or ranked athlete with the same name, the slugs derived from the name
(:func:`slug_candidates`). The first page found ends the search; a 404 on every
candidate is ``not_found``; a fetch or parse failure is ``failed`` with its reason and is
tried again next run. A fighter whose inputs (UFCStats row, fight cards, hand-set slug)
did not change keeps his ``found`` / ``not_found`` row, unless ``full_refresh`` - or, for
a ``not_found`` row, unless the list or the rankings now name a same-named athlete at a
slug not tried yet. Whether a page found is the fighter is decided downstream
(``ufc_com_matches``), with evidence.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from ufc_pipeline.fileio import file_stamp
from ufc_pipeline.matching.normalize import core_tokens, fold
from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.records import UFCStatsListRow
from ufc_pipeline.parsing.ufccom import UfcComCard, slug_candidates
from ufc_pipeline.sources.cached import CacheStats
from ufc_pipeline.sources.errors import FetchError
from ufc_pipeline.sources.http import ClientStats, PoliteClient
from ufc_pipeline.sources.ufccom import SITE as UFCCOM
from ufc_pipeline.sources.ufccom import UfcComSource, read_slug_overrides
from ufc_pipeline.steps.fingerprint import fingerprint_inputs, fingerprints
from ufc_pipeline.steps.noop import LastRun
from ufc_pipeline.steps.progress import Progress
from ufc_pipeline.steps.report import CheckOutcome, Table, within_error_budget
from ufc_pipeline.steps.settings import Settings

ASSET = "ufc_com_athletes"
DISABLED_WHY = (
    "UFCCOM_ENABLED is off: UFC.com's terms restrict automated collection; turn it on only "
    "after deciding that this use is allowed (the local mirror is always fine). Every "
    "letter is written with no rows."
)
#: rapidfuzz ``token_sort_ratio`` of the folded names for a listed athlete to be tried
NAME_SCORE = 95.0
KEPT = ("found", "not_found")
PREVIEW = ("ufcstats_id", "name", "status", "how", "slug")
FAILURE_COLUMNS = ("ufcstats_id", "name", "tried", "detail")


@dataclass
class UfcComAthletesResult:
    """UFC.com lookups of a run: one row per UFCStats fighter of the letters."""

    enabled: bool
    why: str = ""
    fighters: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)
    looked_up: int = 0
    discovered: int = 0
    discovery_errors: list[str] = field(default_factory=list)
    requests: int = 0
    min_gap_s: float | None = None
    crawl_delay_s: float = 0.0
    http: dict[str, Any] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)
    max_error_fraction: float = 0.05

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r["status"] == status)

    @property
    def shared_slugs(self) -> dict[str, list[str]]:
        """Slugs found for more than one fighter (two people with one name): the matching
        step keeps at most one of them."""
        by_slug: dict[str, list[str]] = {}
        for r in self.rows:
            if r["status"] == "found":
                by_slug.setdefault(r["slug"], []).append(r["ufcstats_id"])
        return {s: ids for s, ids in sorted(by_slug.items()) if len(ids) > 1}

    def metadata(self) -> dict[str, Any]:
        if not self.enabled:
            return {"enabled": False, "why": self.why, "dagster/row_count": 0}
        how = Counter(r["how"] for r in self.rows if r["status"] == "found")
        failures = [
            {**r, "tried": ", ".join(r["tried"])} for r in self.rows if r["status"] == "failed"
        ]
        return {
            "enabled": True,
            "dagster/row_count": len(self.rows),
            "found": self.count("found"),
            "not_found": self.count("not_found"),
            "failed": self.count("failed"),
            "found_by_how": dict(sorted(how.items())),
            "looked_up": self.looked_up,
            "carried_over": len(self.rows) - self.looked_up,
            "discovered": self.discovered,
            "discovery_errors": self.discovery_errors,
            "shared_slugs": len(self.shared_slugs),
            "requests": self.requests,
            "min_gap_s": round(self.min_gap_s, 3) if self.min_gap_s is not None else None,
            "crawl_delay_s": self.crawl_delay_s,
            "http": self.http,
            "pages_fetched": self.cache.get("fetched", 0),
            "pages_reused": self.cache.get("reused", 0),
            "preview": Table.of(self.rows, PREVIEW),
            "failures": Table.of(failures, FAILURE_COLUMNS, limit=20),
        }

    def checks(self) -> list[CheckOutcome]:
        if not self.enabled:
            off = "UFC.com is off (UFCCOM_ENABLED)"
            return [
                CheckOutcome("every_fighter_has_a_row", True, off),
                CheckOutcome("lookups_within_error_budget", True, off, severity="warn"),
                CheckOutcome("crawl_delay_held", True, off),
            ]
        failed = self.count("failed")
        gap = self.min_gap_s
        held = gap is None or self.crawl_delay_s <= 0 or gap >= self.crawl_delay_s
        return [
            CheckOutcome(
                "every_fighter_has_a_row",
                len(self.rows) == self.fighters,
                f"{len(self.rows)} rows for {self.fighters} UFCStats fighters",
            ),
            CheckOutcome(
                "lookups_within_error_budget",
                within_error_budget(failed, self.fighters, self.max_error_fraction),
                f"{failed} of {self.fighters} lookups failed (tried again next run)",
                {"failed": [r["ufcstats_id"] for r in self.rows if r["status"] == "failed"][:20]},
                severity="warn",
            ),
            CheckOutcome(
                "crawl_delay_held",
                held,
                f"shortest gap between UFC.com requests "
                f"{'n/a' if gap is None else f'{gap:.3f}s'}, Crawl-delay {self.crawl_delay_s}s",
            ),
        ]


# ---------------------------------------------------------------- pieces


def _inputs_key(fingerprint: str, overridden: bool, override: str | None) -> str:
    """What a fighter's row was made from: his UFCStats fingerprint and his hand-set slug."""
    payload = json.dumps({"fp": fingerprint, "override": [overridden, override]}, sort_keys=True)
    return hashlib.sha1(payload.encode()).hexdigest()[:16]


def _discovered(cards: list[UfcComCard], ranked: list[UfcComCard]) -> list[UfcComCard]:
    """List cards and ranked athletes, once per slug (a card's fields first)."""
    out: dict[str, UfcComCard] = {c.slug: c for c in cards}
    for r in ranked:
        known = out.get(r.slug)
        if known is None:
            out[r.slug] = r
        elif known.division is None and r.division is not None:
            known.division = r.division
    return list(out.values())


class _NameIndex:
    """Discovered athletes by folded name, for strict same-name look-ups."""

    def __init__(self, athletes: list[UfcComCard]) -> None:
        self.athletes = athletes
        self.names = [fold(a.name) for a in athletes]

    def slugs_for(self, row: UFCStatsListRow) -> list[str]:
        """Slugs of the discovered athletes named like the fighter (score >= NAME_SCORE),
        best first; equal names ordered by agreeing nickname and record."""
        if not self.names:
            return []
        hits = process.extract(
            fold(row.name),
            self.names,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=NAME_SCORE,
            limit=None,
        )

        def rank(hit: tuple[str, float, int]) -> tuple[float, int, int]:
            a = self.athletes[hit[2]]
            same_nick = int(bool(a.nickname) and fold(a.nickname) == fold(row.nickname))
            same_record = int(
                a.wins is not None
                and (a.wins, a.losses, a.draws) == (row.wins, row.losses, row.draws)
            )
            return (-hit[1], -same_nick, -same_record)

        return [self.athletes[h[2]].slug for h in sorted(hits, key=rank)]


def _letter_of(name: str) -> str | None:
    """The UFCStats partition of a name: the initial of its last name (suffixes aside)."""
    toks = core_tokens(name)
    initial = toks[-1][:1] if toks else ""
    return initial if initial.isascii() and initial.isalpha() else None


@dataclass
class _Work:
    letter: str
    row: UFCStatsListRow
    key: str
    overridden: bool  # a row of the overrides file names him
    override: str | None  # its slug; None: "not on UFC.com"


async def _look_up(
    source: UfcComSource, w: _Work, listed: list[str], overrides_path: str
) -> dict[str, Any]:
    """Try the fighter's candidate slugs in order; the first page found ends the search."""
    row = w.row
    base = {"ufcstats_id": row.ufcstats_id, "name": row.name, "fingerprint": w.key}
    if w.overridden and w.override is None:
        return {
            **base,
            "status": "not_found",
            "slug": None,
            "how": "override",
            "tried": [],
            "athlete": None,
            "detail": f"marked as not on UFC.com in {overrides_path}",
        }
    candidates: list[tuple[str, str]] = []
    if w.override is not None:
        candidates.append((w.override, "override"))
    candidates += [(s, "listed") for s in listed]
    candidates += [(s, "derived") for s in slug_candidates(row.name)]
    tried: list[str] = []
    for slug, how in candidates:
        if slug in tried:
            continue
        tried.append(slug)
        try:
            athlete = await source.athlete(slug, refresh=True)
        except (FetchError, ParseError) as exc:
            return {
                **base,
                "status": "failed",
                "slug": slug,
                "how": how,
                "tried": tried,
                "athlete": None,
                "detail": str(exc),
            }
        if athlete is not None:
            return {
                **base,
                "status": "found",
                "slug": slug,
                "how": how,
                "tried": tried,
                "athlete": athlete.to_dict(),
                "detail": None,
            }
    return {
        **base,
        "status": "not_found",
        "slug": None,
        "how": None,
        "tried": tried,
        "athlete": None,
        "detail": (
            f"no UFC.com page at {', '.join('/athlete/' + s for s in tried)}"
            if tried
            else "no slug to try (the name gives none)"
        ),
    }


def _list_rows(settings: Settings, letter: str) -> list[UFCStatsListRow]:
    data = settings.processed.require("fighters_list", letter)
    return [UFCStatsListRow.from_dict(r) for r in data["rows"]]


async def _run(
    settings: Settings,
    letters: Sequence[str],
    log: Callable[[str], None],
    result: UfcComAthletesResult,
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    assert settings.ufccom is not None
    overrides_path = settings.ufccom_slugs_path
    overrides = read_slug_overrides(overrides_path)
    store = settings.processed
    fighters: dict[str, list[UFCStatsListRow]] = {}
    previous: dict[str, dict[str, Any]] = {}
    work: list[_Work] = []
    kept: list[_Work] = []
    for letter in letters:
        fighters[letter] = _list_rows(settings, letter)
        fps = fingerprints(settings, letter)
        for r in (store.read(ASSET, letter) or {}).get("rows", []):
            previous[r["ufcstats_id"]] = r
        for row in fighters[letter]:
            fid = row.ufcstats_id
            overridden, override = fid in overrides, overrides.get(fid)
            key = _inputs_key(fps.get(fid, ""), overridden, override)
            w = _Work(letter, row, key, overridden, override)
            prev = previous.get(fid)
            unchanged = (
                prev is not None and prev.get("fingerprint") == w.key and prev["status"] in KEPT
            )
            (kept if unchanged and not settings.full_refresh else work).append(w)
    result.fighters = sum(len(v) for v in fighters.values())

    async with PoliteClient(settings.ufccom) as client:
        source = UfcComSource(client, settings.raw)
        refresh = bool(work)  # nothing to look up: the stored pages do (no request)
        cards: list[UfcComCard] = []
        ranked: list[UfcComCard] = []
        try:
            cards = await source.first_list_page(refresh=refresh)
        except (FetchError, ParseError) as exc:
            result.discovery_errors.append(str(exc))
            log(f"{ASSET}: athletes list: {exc}")
        try:
            ranked = [
                UfcComCard(slug=r.slug, name=r.name, division=r.division)
                for r in await source.rankings(refresh=refresh)
            ]
        except (FetchError, ParseError) as exc:
            result.discovery_errors.append(str(exc))
            log(f"{ASSET}: rankings: {exc}")
        discovered = _discovered(cards, ranked)
        index = _NameIndex(discovered)
        listed = {w.row.ufcstats_id: index.slugs_for(w.row) for w in work}
        # a not_found row is looked for again when a same-named athlete appeared at a new slug
        # (a kept row that was found needs no name search: its slug stands)
        for w in kept:
            prev = previous[w.row.ufcstats_id]
            if prev["status"] == "not_found":
                slugs = index.slugs_for(w.row)
                if set(slugs) - set(prev.get("tried") or []):
                    listed[w.row.ufcstats_id] = slugs
                    work.append(w)

        gate = asyncio.Semaphore(settings.fighter_tasks)
        progress = Progress(ASSET, len(work), log, unit="fighters")
        new_rows: dict[str, dict[str, Any]] = {}

        async def one(w: _Work) -> None:
            async with gate:
                row = await _look_up(source, w, listed[w.row.ufcstats_id], str(overrides_path))
            if row["status"] == "failed":
                log(f"{ASSET}: {w.row.name} ({w.row.ufcstats_id}): {row['detail']}")
            new_rows[w.row.ufcstats_id] = row
            progress.advance()

        await asyncio.gather(*(one(w) for w in work))
        result.looked_up = len(work)
        result.requests = sum(client.stats.requests.values())
        result.min_gap_s = client.stats.min_gap_s
        result.crawl_delay_s = client.crawl_delay_s
        result.http = client.stats.as_dict()
        result.cache = source.cache.stats.as_dict()

    rows_by_letter: dict[str, list[dict[str, Any]]] = {}
    letter_of_slug: dict[str, str] = {}
    for letter in letters:
        rows = []
        for row in sorted(fighters[letter], key=lambda r: r.ufcstats_id):
            out = new_rows.get(row.ufcstats_id) or previous[row.ufcstats_id]
            rows.append(out)
            if out["status"] == "found":
                letter_of_slug.setdefault(out["slug"], letter)
        rows_by_letter[letter] = rows
    disc_by_letter: dict[str, list[dict[str, Any]]] = {letter: [] for letter in letters}
    for a in discovered:
        letter = letter_of_slug.get(a.slug) or _letter_of(a.name)
        if letter in disc_by_letter:
            disc_by_letter[letter].append(a.to_dict())
    result.discovered = len(discovered)
    return rows_by_letter, disc_by_letter


def ufc_com_athletes_step(
    settings: Settings, letters: Sequence[str], log: Callable[[str], None] = lambda m: None
) -> UfcComAthletesResult:
    """Find the UFC.com page of every UFCStats fighter of ``letters`` (see the module doc)."""
    store = settings.processed
    if settings.ufccom is None:
        for letter in letters:
            store.write(
                ASSET, letter, {"letter": letter, "enabled": False, "rows": [], "discovered": []}
            )
        log(f"{ASSET}: {DISABLED_WHY}")
        return UfcComAthletesResult(enabled=False, why=DISABLED_WHY)
    # stamped before anything is read: an input written meanwhile makes the next run work
    last = _last_run(settings, letters)
    if (same := last.recall(_stored_lists(settings))) is not None:
        return _recalled(settings, letters, same)
    result = UfcComAthletesResult(enabled=True, max_error_fraction=settings.max_error_fraction)
    rows, discovered = asyncio.run(_run(settings, letters, log, result))
    for letter in letters:
        payload = {
            "letter": letter,
            "enabled": True,
            "rows": rows[letter],
            "discovered": discovered[letter],
        }
        if payload != store.read(ASSET, letter):  # an unchanged letter is not encoded again
            store.write(ASSET, letter, payload)
        result.rows += rows[letter]
    if result.discovery_errors or result.count("failed"):
        last.forget()  # tried again next run
    else:
        last.keep(
            {"fighters": result.fighters, "discovered": result.discovered},
            _stored_lists(settings),
        )
    return result


def _last_run(settings: Settings, letters: Sequence[str]) -> LastRun:
    """The record of a run (see :mod:`~ufc_pipeline.steps.noop`): stamped on the lists
    and what the fingerprints are made of, the slug overrides and the site the step asks."""
    assert settings.ufccom is not None
    extra = [
        fingerprint_inputs(settings, letters),
        file_stamp(settings.ufccom_slugs_path),
        settings.ufccom.url("/"),
    ]
    return LastRun(settings, ASSET, letters, reads=(), extra=extra)


def _stored_lists(settings: Settings) -> list[str]:
    """The stored athletes list and rankings pages. This step fetches them itself when it
    has fighters to look up, so they are stamped with its outputs, after it ran (a page
    stored by another run meanwhile would go unseen until the next lookup)."""
    raw = settings.raw
    return [raw.kind_digest(UFCCOM, "list"), raw.kind_digest(UFCCOM, "rankings")]


def _recalled(
    settings: Settings, letters: Sequence[str], same: dict[str, Any]
) -> UfcComAthletesResult:
    """What a run with nothing to look up gives: the rows as written, no request."""
    rows = [r for x in letters for r in (settings.processed.read(ASSET, x) or {})["rows"]]
    return UfcComAthletesResult(
        enabled=True,
        fighters=same["fighters"],
        rows=rows,
        discovered=same["discovered"],
        http=ClientStats().as_dict(),
        cache=CacheStats().as_dict(),
        max_error_fraction=settings.max_error_fraction,
    )
