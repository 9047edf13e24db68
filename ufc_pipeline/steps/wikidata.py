"""Each UFCStats fighter's Wikidata item: image (P18), place of birth (P19, with the place's
country P17 and that country's ISO code P297), citizenship (P27), birth date (P569) and the
English Wikipedia article.

How an item is found:

1. **by Sherdog id**: the fighter's verified Sherdog id (``verified_matches``) is looked up
   among every item having a "Sherdog fighter ID" (P2818), read with one SPARQL query per
   run (cached in the raw store). The item is ``found`` unless it contradicts UFCStats:
   a P569 birth date other than the UFCStats date of birth (or, for a year-precision date,
   another year), or an item that is not a human, makes it a ``conflict`` (kept with the
   reason, not used downstream).
2. **by name and birth date** (no verified Sherdog id, or no item carries it): the name is
   searched (``wbsearchentities``, 7 results) and an item is accepted only when it is a
   human (P31 = Q5) whose day-precision P569 equals the UFCStats date of birth, whose P2818
   (if any) does not name another Sherdog id, and exactly one result passes. Otherwise
   ``not_found`` with the reason; without a UFCStats date of birth no search is made.

Items, places and countries are read with ``wbgetentities`` in batches of 50. Requests go
out one at a time (see :mod:`ufc_pipeline.sources.wikimedia`). A fighter whose inputs (name,
date of birth, verified Sherdog id) did not change keeps his previous row without any
request, unless ``full_refresh``; ``failed`` rows (a request failed) are always redone.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ufc_pipeline.parsing.wikimedia import WikidataEntity
from ufc_pipeline.processed import LETTERS
from ufc_pipeline.sources.errors import FetchError
from ufc_pipeline.sources.wikimedia import WikimediaSource
from ufc_pipeline.steps.images import verified_rows
from ufc_pipeline.steps.noop import LastRun
from ufc_pipeline.steps.progress import Progress
from ufc_pipeline.steps.report import CheckOutcome, Table, within_error_budget
from ufc_pipeline.steps.settings import Settings

ASSET = "wikidata_fighters"
INPUTS_VERSION = 1  # bump when the rules change: every row is then redone
MAX_REGION_LEVELS = 4  # P131 steps walked up from a place to its first-level division
KEEP_STATUSES = frozenset({"found", "not_found", "conflict"})
PROBLEM_COLUMNS = ("ufcstats_id", "status", "reason", "qid", "detail")


@dataclass(frozen=True)
class Fighter:
    """What the step needs to know of a UFCStats fighter."""

    letter: str
    ufcstats_id: str
    name: str
    dob: dt.date | None
    sherdog_id: int | None

    @property
    def inputs(self) -> str:
        payload = {
            "v": INPUTS_VERSION,
            "name": self.name,
            "dob": self.dob.isoformat() if self.dob else None,
            "sherdog_id": self.sherdog_id,
        }
        return hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


@dataclass
class WikidataResult:
    """Wikidata items of a run: one row per UFCStats fighter of the letters."""

    rows: list[dict[str, Any]]
    enabled: bool
    stats: dict[str, Any] = field(default_factory=dict)
    shared_items: dict[str, list[str]] = field(default_factory=dict)

    def by_status(self) -> dict[str, int]:
        return dict(sorted(Counter(r["status"] for r in self.rows).items()))

    def metadata(self) -> dict[str, Any]:
        if not self.enabled:
            return {
                "dagster/row_count": len(self.rows),
                "enabled": False,
                "note": "Wikimedia is not configured (settings.wikimedia is None): "
                "no request was made and every row is 'disabled'",
            }
        found = [r for r in self.rows if r["status"] == "found"]
        failed = [r for r in self.rows if r["status"] == "failed"]
        problems = [r for r in self.rows if r["status"] != "found"]
        wm = self.stats.get("wikimedia", {})
        processed = self.stats.get("processed_now", 0)
        total_requests = wm.get("requests_total", 0)
        return {
            "dagster/row_count": len(self.rows),
            "enabled": True,
            "by_status": self.by_status(),
            "found_by": dict(sorted(Counter(r["how"] for r in found).items())),
            "not_found_by_reason": _reasons(self.rows, "not_found"),
            "conflicts": len([r for r in self.rows if r["status"] == "conflict"]),
            "conflicts_by_reason": _reasons(self.rows, "conflict"),
            "failed": len(failed),
            "failures_within_budget": within_error_budget(len(failed), len(self.rows)),
            "with_image_file": sum(1 for r in found if r.get("image_file")),
            "with_enwiki": sum(1 for r in found if r.get("enwiki")),
            "with_birth_place": sum(1 for r in found if r.get("birth_place")),
            "with_citizenship": sum(1 for r in found if r.get("citizenship")),
            "processed_now": processed,
            "carried_over": self.stats.get("carried_over", 0),
            "requests": wm.get("requests", {}),
            "requests_total": total_requests,
            "requests_per_processed_fighter": round(total_requests / processed, 3)
            if processed
            else 0.0,
            "reused_answers": wm.get("reused", {}),
            "lag_retries": wm.get("lag_retries", 0),
            "sparql_items": self.stats.get("sparql_items", 0),
            "sparql_unreadable": self.stats.get("sparql_unreadable", 0),
            "http": self.stats.get("http", {}),
            "problems": Table.of(problems, PROBLEM_COLUMNS, limit=20),
        }

    def checks(self) -> list[CheckOutcome]:
        """``no_shared_item``: no Wikidata item is found for two fighters (over every letter
        written). Failed rows are not a check: they are counted in the metadata (``failed``,
        ``problems``) and redone on the next run."""
        if not self.enabled:
            return [CheckOutcome("no_shared_item", True, "Wikimedia is disabled: no items")]
        return [
            CheckOutcome(
                "no_shared_item",
                not self.shared_items,
                f"{len(self.shared_items)} Wikidata item(s) found for two or more fighters",
                {"shared": dict(list(self.shared_items.items())[:20])},
            )
        ]


def _reasons(rows: Iterable[dict[str, Any]], status: str) -> dict[str, int]:
    return dict(sorted(Counter(r.get("reason") for r in rows if r["status"] == status).items()))


# -- inputs -------------------------------------------------------------------------------


def fighters_of(settings: Settings, letter: str) -> list[Fighter]:
    """The letter's UFCStats fighters with their date of birth and verified Sherdog id."""
    store = settings.processed
    rows = store.require("fighters_list", letter)["rows"]
    details = store.require("fighter_details", letter).get("fighters", {})
    sherdog = {
        r["ufcstats_id"]: int(r["sherdog_id"])
        for r in verified_rows(settings, letter)
        if r.get("sherdog_id") is not None
    }
    out = []
    for r in rows:
        fid = r["ufcstats_id"]
        page = (details.get(fid) or {}).get("details") or {}
        listed = " ".join(p for p in (r.get("first_name"), r.get("last_name")) if p)
        name = " ".join(str(page.get("name") or listed).split())
        dob = page.get("dob")
        out.append(
            Fighter(
                letter=letter,
                ufcstats_id=fid,
                name=name,
                dob=dt.date.fromisoformat(dob) if dob else None,
                sherdog_id=sherdog.get(fid),
            )
        )
    return out


def _blank(f: Fighter, status: str = "not_found") -> dict[str, Any]:
    return {
        "ufcstats_id": f.ufcstats_id,
        "status": status,
        "qid": None,
        "how": None,
        "label": None,
        "birth_date": None,
        "enwiki": None,
        "image_file": None,
        "birth_place": None,
        "citizenship": [],
        "reason": None,
        "detail": "",
        "sherdog_id": f.sherdog_id,
        "candidates": [],
        "inputs": f.inputs,
    }


# -- rules --------------------------------------------------------------------------------


def dob_agrees(entity: WikidataEntity, dob: dt.date | None) -> tuple[bool, str]:
    """Does the item's P569 agree with the UFCStats date of birth? With the reason."""
    if dob is None:
        return True, "UFCStats has no date of birth: not compared"
    exact = sorted({d.date for d in entity.birth_dates if d.date is not None})
    if exact:
        if dob in exact:
            return True, ""
        shown = ", ".join(d.isoformat() for d in exact)
        return False, f"Wikidata P569 {shown} differs from the UFCStats date of birth {dob}"
    years = sorted({d.year for d in entity.birth_dates if d.year is not None})
    if years:
        if dob.year in years:
            return True, f"Wikidata gives only the year of birth ({dob.year})"
        shown = ", ".join(str(y) for y in years)
        return False, f"Wikidata P569 year {shown} differs from the UFCStats date of birth {dob}"
    return True, "Wikidata has no birth date (P569)"


def name_dob_passes(entity: WikidataEntity, f: Fighter) -> tuple[bool, str]:
    """May a search result be accepted for ``f``: a human born on the UFCStats date whose
    Sherdog id, if any, is not another one."""
    if entity.missing:
        return False, "missing"
    if not entity.is_human:
        return False, "not a human"
    if entity.birth_date is None:
        return False, "no day-precision birth date"
    if entity.birth_date != f.dob:
        return False, f"born {entity.birth_date}"
    if entity.sherdog_ids and f.sherdog_id is not None and f.sherdog_id not in entity.sherdog_ids:
        return False, f"Sherdog id {entity.sherdog_ids[0]}, not {f.sherdog_id}"
    return True, ""


class _Incomplete(Exception):
    """An entity the row needs could not be read (its request failed)."""


@dataclass
class _Run:
    source: WikimediaSource
    log: Callable[[str], None]
    known: dict[str, WikidataEntity] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    sparql_items: int = 0
    why_search: dict[str, str] = field(default_factory=dict)  # ufcstats id -> why searched

    async def load(self, qids: Iterable[str]) -> None:
        todo = {q for q in qids if q and q not in self.known and q not in self.errors}
        if todo:
            self.known.update(await self.source.entities(todo, errors=self.errors))

    def entity(self, qid: str) -> WikidataEntity | None:
        if qid in self.errors:
            raise _Incomplete(f"{qid}: {self.errors[qid]}")
        return self.known.get(qid)

    # -- finding items ----------------------------------------------------------------
    async def resolve(self, work: list[Fighter]) -> dict[str, dict[str, Any]]:
        rows: dict[str, dict[str, Any]] = {}
        fallback: list[Fighter] = []
        by_sherdog = [f for f in work if f.sherdog_id is not None]
        items: dict[int, list[str]] = {}
        if by_sherdog:
            try:
                items = await self.source.sherdog_items()
                self.sparql_items = len(items)
            except FetchError as exc:
                self.log(f"{ASSET}: the Sherdog-id query failed: {exc}")
                for f in by_sherdog:
                    rows[f.ufcstats_id] = _failed(f, f"Sherdog-id query: {exc}")
                by_sherdog = []
        await self.load(q for f in by_sherdog for q in items.get(f.sherdog_id or 0, []))
        for f in work:
            if f.ufcstats_id in rows:
                continue
            if f.sherdog_id is None or not items.get(f.sherdog_id):
                fallback.append(f)
                continue
            try:
                row = self.by_sherdog_id(f, items[f.sherdog_id])
            except _Incomplete as exc:
                row = _failed(f, f"wbgetentities: {exc}")
            if row is None:
                self.why_search[f.ufcstats_id] = (
                    f"Sherdog id {f.sherdog_id} is on {', '.join(items[f.sherdog_id])}, "
                    "missing from Wikidata"
                )
                fallback.append(f)
            else:
                rows[f.ufcstats_id] = row
        for f, row in (await self.by_name_dob(fallback)).items():
            rows[f] = row
        await self.add_places([r for r in rows.values() if r["status"] == "found"], work)
        return rows

    def by_sherdog_id(self, f: Fighter, qids: list[str]) -> dict[str, Any] | None:
        """The row for a fighter whose Sherdog id is on ``qids``; None when every one of
        them is missing (then the name search is tried)."""
        entities = [e for q in qids if (e := self.entity(q)) is not None and not e.missing]
        if not entities:
            return None
        row = _blank(f)
        row["candidates"] = [e.qid for e in entities]
        if len(entities) > 1:
            agreeing = [e for e in entities if e.is_human and dob_agrees(e, f.dob)[0]]
            if len(agreeing) != 1:
                row.update(
                    reason="sherdog_id_on_several_items",
                    detail=f"Sherdog id {f.sherdog_id} is on {', '.join(e.qid for e in entities)}"
                    f"; {len(agreeing)} agree with UFCStats",
                )
                return row
            entity = agreeing[0]
            note = f"Sherdog id {f.sherdog_id} is also on " + ", ".join(
                e.qid for e in entities if e is not entity
            )
        else:
            entity, note = entities[0], ""
        agrees, why = dob_agrees(entity, f.dob)
        _fill(row, entity, "sherdog_id")
        if not entity.is_human:
            row.update(
                status="conflict",
                reason="not_human",
                detail=_join(
                    f"{entity.qid} carries Sherdog id {f.sherdog_id} but is not a human (P31)", note
                ),
            )
        elif not agrees:
            row.update(status="conflict", reason="birth_date_differs", detail=_join(why, note))
        else:
            row.update(status="found", detail=_join(why, note))
        return row

    async def by_name_dob(self, fighters: list[Fighter]) -> dict[str, dict[str, Any]]:
        rows: dict[str, dict[str, Any]] = {}
        hits: dict[str, list[str]] = {}
        searched = [f for f in fighters if f.dob is not None]
        for f in fighters:
            if f.dob is None:
                row = _blank(f)
                row.update(
                    reason="no_dob",
                    detail="no Wikidata item carries the Sherdog id"
                    if f.sherdog_id is not None
                    else "no verified Sherdog id",
                )
                row["detail"] += "; UFCStats has no date of birth to confirm a name match"
                rows[f.ufcstats_id] = row
        progress = Progress(ASSET, len(searched), self.log, unit="name searches")
        for f in searched:
            try:
                hits[f.ufcstats_id] = [h.qid for h in await self.source.search(f.name)]
            except FetchError as exc:
                rows[f.ufcstats_id] = _failed(f, f"search {f.name!r}: {exc}")
            progress.advance()
        await self.load(q for qs in hits.values() for q in qs)
        for f in searched:
            if f.ufcstats_id in rows:
                continue
            qids = hits[f.ufcstats_id]
            row = _blank(f)
            row["candidates"] = list(qids)
            why_first = self.why_search.get(f.ufcstats_id) or (
                f"Sherdog id {f.sherdog_id} is on no Wikidata item"
                if f.sherdog_id is not None
                else "no verified Sherdog id"
            )
            try:
                verdicts = [(q, name_dob_passes(e, f)) for q in qids if (e := self.entity(q))]
            except _Incomplete as exc:
                rows[f.ufcstats_id] = _failed(f, f"wbgetentities: {exc}")
                continue
            passing = [q for q, (ok, _) in verdicts if ok]
            rejected = "; ".join(f"{q}: {why}" for q, (ok, why) in verdicts if not ok)
            if not qids:
                row.update(
                    reason="no_search_results", detail=f"{why_first}; no item found for {f.name!r}"
                )
            elif len(passing) == 1:
                _fill(row, self.known[passing[0]], "name_dob")
                row.update(
                    status="found",
                    detail=f"{why_first}; the one human born {f.dob} among {len(qids)} results"
                    + (f" (others: {rejected})" if rejected else ""),
                )
            elif passing:
                row.update(
                    reason="ambiguous",
                    detail=f"{why_first}; {len(passing)} humans born {f.dob} named {f.name!r}: "
                    + ", ".join(passing),
                )
            else:
                row.update(
                    reason="no_match",
                    detail=f"{why_first}; no human born {f.dob} among {len(qids)} results "
                    f"({rejected})",
                )
            rows[f.ufcstats_id] = row
        return rows

    # -- places and countries ---------------------------------------------------------
    async def add_places(self, rows: list[dict[str, Any]], work: list[Fighter]) -> None:
        """Fill ``birth_place`` and ``citizenship`` of found rows (the entities they name
        read in batches; P131 walked up level by level)."""
        persons = {r["qid"]: self.known[r["qid"]] for r in rows}
        await self.load(q for e in persons.values() for q in (e.birth_places[:1] + e.citizenships))
        places = {e.birth_places[0] for e in persons.values() if e.birth_places}
        await self.load(q for p in places if (e := self.known.get(p)) for q in e.countries)
        for _ in range(MAX_REGION_LEVELS):
            need = set()
            for p in places:
                try:
                    place = self.entity(p)
                    if place is not None and not place.missing:
                        need |= set(self.walk(place)[2])
                except _Incomplete:
                    continue
            need -= set(self.known) | set(self.errors)
            if not need:
                break
            await self.load(need)
        by_id = {f.ufcstats_id: f for f in work}
        for row in rows:
            entity = persons[row["qid"]]
            try:
                row["birth_place"] = (
                    self.place(entity.birth_places[0]) if entity.birth_places else None
                )
                row["citizenship"] = [self.country(q) for q in entity.citizenships]
            except _Incomplete as exc:
                failed = _failed(by_id[row["ufcstats_id"]], f"wbgetentities: {exc}")
                row.clear()
                row.update(failed)
            else:
                if len(entity.birth_places) > 1:
                    row["detail"] = _join(
                        row["detail"], f"{len(entity.birth_places)} places of birth; the first kept"
                    )

    def walk(
        self, place: WikidataEntity
    ) -> tuple[WikidataEntity | None, WikidataEntity | None, list[str]]:
        """(first-level division, country met on the way, ids still to read) for a place:
        up P131 until the next step is the country (or a country item)."""
        country_q = place.countries[0] if place.countries else None
        level = place
        for _ in range(MAX_REGION_LEVELS):
            ups = [q for q in level.admin_areas if q != country_q]
            if not ups or (country_q is not None and country_q in level.admin_areas):
                return (None if level is place else level), None, []
            nxt = self.entity(ups[0])
            if nxt is None:
                return None, None, [ups[0]]
            if nxt.missing:
                return (None if level is place else level), None, []
            if nxt.iso2:
                return (None if level is place else level), nxt, []
            level = nxt
        return (None if level is place else level), None, []

    def place(self, qid: str) -> dict[str, Any]:
        entity = self.entity(qid)
        out: dict[str, Any] = {
            "qid": qid,
            "label": None,
            "region": None,
            "country": None,
            "iso2": None,
            "country_qid": None,
        }
        if entity is None or entity.missing:
            return out
        out["label"] = entity.label
        if entity.iso2:  # the place of birth is a country (the city is not known)
            out.update(country=entity.label, iso2=entity.iso2, country_qid=entity.qid)
            return out
        region, met, _ = self.walk(entity)
        country_q = entity.countries[0] if entity.countries else None
        if country_q is None and region is not None and region.countries:
            country_q = region.countries[0]
        if country_q is None and met is not None:
            country_q = met.qid
        country = self.entity(country_q) if country_q else None
        out.update(
            region=region.label if region else None,
            country=country.label if country else None,
            iso2=country.iso2 if country else None,
            country_qid=country_q,
        )
        return out

    def country(self, qid: str) -> dict[str, Any]:
        entity = self.entity(qid)
        if entity is None or entity.missing:
            return {"qid": qid, "label": None, "iso2": None}
        return {"qid": qid, "label": entity.label, "iso2": entity.iso2}


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _failed(f: Fighter, detail: str) -> dict[str, Any]:
    row = _blank(f, "failed")
    row.update(reason="fetch_failed", detail=detail)
    return row


def _fill(row: dict[str, Any], entity: WikidataEntity, how: str) -> None:
    row.update(
        qid=entity.qid,
        how=how,
        label=entity.label,
        birth_date=entity.birth_date.isoformat() if entity.birth_date else None,
        enwiki=entity.enwiki,
        image_file=entity.image,
    )


def _demote_taken(rows: list[dict[str, Any]]) -> None:
    """An item found by Sherdog id for one fighter is not also another fighter's by name."""
    by_sherdog = {r["qid"]: r["ufcstats_id"] for r in rows if r["how"] == "sherdog_id"}
    for r in rows:
        owner = by_sherdog.get(r["qid"]) if r["how"] == "name_dob" else None
        if r["status"] == "found" and owner and owner != r["ufcstats_id"]:
            qid = r["qid"]
            r.update(
                status="not_found",
                reason="item_taken",
                how=None,
                detail=_join(r["detail"], f"{qid} carries the Sherdog id of {owner}"),
                qid=None,
                label=None,
                birth_date=None,
                enwiki=None,
                image_file=None,
                birth_place=None,
                citizenship=[],
            )


def shared_items(settings: Settings) -> dict[str, list[str]]:
    """Items found for two or more fighters, over every letter written."""
    seen: dict[str, list[str]] = {}
    for letter in LETTERS:
        for r in (settings.processed.read(ASSET, letter) or {}).get("rows", []):
            if r.get("status") == "found" and r.get("qid"):
                seen.setdefault(r["qid"], []).append(r["ufcstats_id"])
    return {q: ids for q, ids in sorted(seen.items()) if len(ids) > 1}


# -- the step -----------------------------------------------------------------------------


async def _resolve(
    settings: Settings, work: list[Fighter], log: Callable[[str], None]
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    assert settings.wikimedia is not None
    async with WikimediaSource(
        settings.wikimedia, settings.raw, refresh=settings.full_refresh
    ) as source:
        run = _Run(source, log)
        rows = await run.resolve(work) if work else {}
        stats = {
            "wikimedia": source.stats.as_dict(),
            "http": source.http_stats(),
            "sparql_items": run.sparql_items,
            "sparql_unreadable": len(source.unreadable_sparql),
        }
    return rows, stats


def _keep(prev: dict[str, Any] | None, f: Fighter, settings: Settings) -> bool:
    return (
        not settings.full_refresh
        and prev is not None
        and prev.get("inputs") == f.inputs
        and prev.get("status") in KEEP_STATUSES
    )


def wikidata_fighters_step(
    settings: Settings, letters: Sequence[str], log: Callable[[str], None] = lambda m: None
) -> WikidataResult:
    store = settings.processed
    if settings.wikimedia is None:
        rows_by_letter = {}
        for letter in letters:
            rows = []
            for r in store.require("fighters_list", letter)["rows"]:
                row = _blank(Fighter(letter, r["ufcstats_id"], "", None, None), status="disabled")
                row.update(
                    detail="Wikimedia is not configured (settings.wikimedia is None); "
                    "Wikidata is not read",
                    inputs=None,
                )
                rows.append(row)
            rows_by_letter[letter] = rows
            store.write(ASSET, letter, {"letter": letter, "enabled": False, "rows": rows})
        return WikidataResult(
            rows=[r for rows in rows_by_letter.values() for r in rows], enabled=False
        )
    # stamped before anything is read: an input written meanwhile makes the next run work
    last = LastRun(
        settings,
        ASSET,
        letters,
        reads=("fighters_list", "fighter_details", "verified_matches"),
        extra=[INPUTS_VERSION, repr(settings.wikimedia)],
    )
    if last.recall() is not None:
        # nothing changed: the rows stand as written, and there is nothing to resolve
        _, stats = asyncio.run(_resolve(settings, [], log))
        rows = [r for x in letters for r in (store.read(ASSET, x) or {})["rows"]]
        stats.update(processed_now=0, carried_over=len(rows))
        return WikidataResult(
            rows=rows, enabled=True, stats=stats, shared_items=shared_items(settings)
        )
    fighters = {letter: fighters_of(settings, letter) for letter in letters}
    stored = {letter: store.read(ASSET, letter) for letter in letters}
    previous = {
        r["ufcstats_id"]: r for data in stored.values() for r in (data or {}).get("rows", [])
    }
    work = [
        f
        for letter in letters
        for f in fighters[letter]
        if not _keep(previous.get(f.ufcstats_id), f, settings)
    ]
    done, stats = asyncio.run(_resolve(settings, work, log))
    all_rows = [
        done.get(f.ufcstats_id) or previous[f.ufcstats_id]
        for letter in letters
        for f in fighters[letter]
    ]
    _demote_taken(all_rows)
    rows_by_letter: dict[str, list[dict[str, Any]]] = {letter: [] for letter in letters}
    for letter in letters:
        for f in fighters[letter]:
            rows_by_letter[letter].append(done.get(f.ufcstats_id) or previous[f.ufcstats_id])
        rows_by_letter[letter].sort(key=lambda r: r["ufcstats_id"])
        payload = {"letter": letter, "enabled": True, "rows": rows_by_letter[letter]}
        if payload != stored[letter]:  # an unchanged letter is not encoded again
            store.write(ASSET, letter, payload)
    stats.update(processed_now=len(work), carried_over=len(all_rows) - len(work))
    if any(r["status"] not in KEEP_STATUSES for r in all_rows):
        last.forget()  # redone next run
    else:
        last.keep({"fighters": len(all_rows)})
    return WikidataResult(
        rows=[r for rows in rows_by_letter.values() for r in rows],
        enabled=True,
        stats=stats,
        shared_items=shared_items(settings),
    )
