"""``fighter_locations``: place of birth, nationality and gym of every fighter, from UFC.com
(Place of Birth / Hometown, Trains at), Sherdog (birthplace, nationality, association) and
Wikidata (P19 place of birth, P27 citizenship), each value with its source, reconciled
(``locations.resolve``) and loaded into the warehouse ``fighter_locations`` table.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ufc_pipeline.locations.normalize import country_code, country_name, parse_place
from ufc_pipeline.locations.resolve import FIELDS, Value, resolve
from ufc_pipeline.matching.assign import VERIFIED_STATUSES
from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.sherdog import parse_fighter_page
from ufc_pipeline.sources.parse_cache import parsed
from ufc_pipeline.sources.raw_store import RawStore
from ufc_pipeline.sources.sherdog import FIGHTER
from ufc_pipeline.sources.sherdog import SITE as SHERDOG
from ufc_pipeline.steps.noop import LastRun
from ufc_pipeline.steps.report import CheckOutcome, Table
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.warehouse.engine import make_engine, warehouse_key
from ufc_pipeline.warehouse.load import owner_ids, owners_held
from ufc_pipeline.warehouse.schema import ensure_schema, fighter_locations

CONFLICT_COLUMNS = ("ufcstats_id", "conflicts", "birth_country_code", "nationality_code", "gym")


@dataclass
class LocationsResult:
    rows: list[dict[str, Any]]
    loaded: int

    def coverage(self) -> dict[str, float]:
        n = len(self.rows) or 1
        return {
            "country": round(sum(1 for r in self.rows if r["birth_country_code"]) / n, 4),
            "birthplace": round(sum(1 for r in self.rows if r["birth_city"]) / n, 4),
            "gym": round(sum(1 for r in self.rows if r["gym"]) / n, 4),
            "nationality": round(sum(1 for r in self.rows if r["nationality_code"]) / n, 4),
        }

    def metadata(self) -> dict[str, Any]:
        sources = Counter(v["source"] for r in self.rows for v in r["values"])
        conflicts = Counter(f for r in self.rows for f in r["conflicts"])
        flagged = [
            {**r, "conflicts": ", ".join(r["conflicts"])} for r in self.rows if r["conflicts"]
        ]
        return {
            "dagster/row_count": len(self.rows),
            "coverage": self.coverage(),
            "values_by_source": dict(sorted(sources.items())),
            "conflicts_by_field": {f: conflicts.get(f, 0) for f in FIELDS},
            "conflicting_fighters": Table.of(flagged, CONFLICT_COLUMNS, limit=20),
            "warehouse_rows_changed": self.loaded,
        }

    def checks(self) -> list[CheckOutcome]:
        bad = [
            r["ufcstats_id"]
            for r in self.rows
            if r["birth_country"]
            and not r["birth_country_code"]
            or r["nationality"]
            and not r["nationality_code"]
        ]
        return [
            CheckOutcome(
                "countries_have_iso_codes",
                not bad,
                f"{len(bad)} fighter(s) with a country that has no ISO 3166 code",
                {"fighters": bad[:20]},
            )
        ]


#: the earlier steps' outputs the step reads (and the stored Sherdog fighter pages)
_READS = ("fighters_list", "verified_matches", "ufc_com_matches", "wikidata_fighters")


def _rows_of(settings: Settings, asset: str, letter: str) -> list[dict[str, Any]]:
    return (settings.processed.read(asset, letter) or {}).get("rows", [])


def _raw_stamp(raw: RawStore, sherdog_id: int | None) -> str | None:
    """The sha256 of the stored Sherdog page (its metadata, not the page): changes when the
    page changes."""
    if sherdog_id is None:
        return None
    meta = raw.meta(SHERDOG, "fighter", str(int(sherdog_id)))
    return meta.get("sha256") if meta else None


def _sherdog_values(raw: RawStore, sherdog_id: int | None) -> list[Value]:
    if sherdog_id is None:
        return []
    stored = raw.get(SHERDOG, "fighter", str(int(sherdog_id)))
    if stored is None:
        return []
    try:
        # the whole page as matching parsed it (kept in the parse cache): its origins are
        # those parse_fighter_bio reads, and reading them back costs less than that parse
        page = parsed(raw, stored, FIGHTER, parse_fighter_page, sherdog_id=int(sherdog_id))
    except ParseError:
        return []
    out: list[Value] = []
    nationality, birthplace = page.nationality, page.birthplace
    nat_code = country_code(nationality)
    if nationality:
        out.append(Value("nationality", "sherdog", country_name(nat_code) or nationality, nat_code))
    place = parse_place(birthplace, country_hint=nat_code)
    if place.city:
        out.append(Value("birth_city", "sherdog", place.city))
    if place.region:
        out.append(Value("birth_region", "sherdog", place.region))
    if place.code:
        out.append(Value("birth_country", "sherdog", place.country or "", place.code))
    elif place.city and nat_code:
        # Sherdog writes the birthplace without its country ("Atlanta, Georgia") beside the
        # nationality: that birthplace is read as being in the nationality's country.
        out.append(Value("birth_country", "sherdog", country_name(nat_code) or "", nat_code))
    if page.association:
        out.append(Value("gym", "sherdog", page.association))
    return out


def _ufccom_values(row: dict[str, Any] | None) -> list[Value]:
    athlete = (row or {}).get("athlete") or {}
    out: list[Value] = []
    place = parse_place(athlete.get("place_of_birth"))
    if place.city:
        out.append(Value("birth_city", "ufccom", place.city))
    if place.region:
        out.append(Value("birth_region", "ufccom", place.region))
    if place.code:
        out.append(Value("birth_country", "ufccom", place.country or "", place.code))
    if athlete.get("trains_at"):
        out.append(Value("gym", "ufccom", athlete["trains_at"]))
    return out


def _wikidata_values(row: dict[str, Any] | None, nationality: str | None) -> list[Value]:
    if not row or row.get("status") != "found":
        return []
    out: list[Value] = []
    bp = row.get("birth_place") or {}
    # P19 can be the country itself (the city unknown): then it names no city
    is_country = bp.get("qid") is not None and bp.get("qid") == bp.get("country_qid")
    if bp.get("label") and not is_country:
        out.append(Value("birth_city", "wikidata", bp["label"]))
    if bp.get("region"):
        out.append(Value("birth_region", "wikidata", bp["region"]))
    if bp.get("iso2"):
        code = bp["iso2"].upper()
        out.append(
            Value(
                "birth_country", "wikidata", country_name(code) or bp.get("country") or code, code
            )
        )
    codes = [c["iso2"].upper() for c in row.get("citizenship") or [] if c.get("iso2")]
    if codes:
        # Dual citizenship is not a disagreement: the one matching Sherdog's, else the first.
        code = nationality if nationality in codes else codes[0]
        out.append(Value("nationality", "wikidata", country_name(code) or code, code))
    return out


def fighter_locations_step(
    settings: Settings, letters: Sequence[str], log: Callable[[str], None] = lambda m: None
) -> LocationsResult:
    raw = settings.raw
    # stamped before anything is read: an input written meanwhile makes the next run work
    last = LastRun(
        settings,
        "fighter_locations",
        letters,
        reads=_READS,
        extra=[raw.kind_digest(SHERDOG, "fighter"), warehouse_key(settings.warehouse_url)],
    )
    same = last.recall()
    if same is not None and same.get("held") == owners_held(
        settings.warehouse_url, fighter_locations
    ):
        # nothing changed, and the warehouse holds what was loaded: the rows stand
        kept = [r for x in letters for r in _rows_of(settings, "fighter_locations", x)]
        log(f"fighter_locations: {len(kept)} fighters, 0 reconciled now (inputs unchanged)")
        return LocationsResult(kept, 0)
    all_rows: list[dict[str, Any]] = []
    fresh: list[dict[str, Any]] = []
    for letter in letters:
        before = settings.processed.read("fighter_locations", letter)
        previous = {r["ufcstats_id"]: r for r in (before or {}).get("rows", [])}
        listed = sorted(
            {r["ufcstats_id"] for r in settings.processed.require("fighters_list", letter)["rows"]}
        )
        sherdog = {
            r["ufcstats_id"]: int(r["sherdog_id"])
            for r in _rows_of(settings, "verified_matches", letter)
            if r["status"] in VERIFIED_STATUSES
        }
        ufccom = {
            r["ufcstats_id"]: r
            for r in _rows_of(settings, "ufc_com_matches", letter)
            if r.get("status") == "verified"
        }
        wikidata = {r["ufcstats_id"]: r for r in _rows_of(settings, "wikidata_fighters", letter)}
        rows = []
        for fid in listed:
            sid = sherdog.get(fid)
            key = hashlib.sha1(
                json.dumps(
                    [
                        sid,
                        _raw_stamp(raw, sid),
                        (ufccom.get(fid) or {}).get("athlete"),
                        wikidata.get(fid, {}).get("birth_place"),
                        wikidata.get(fid, {}).get("citizenship"),
                        wikidata.get(fid, {}).get("status"),
                    ],
                    sort_keys=True,
                    default=str,
                ).encode()
            ).hexdigest()[:16]
            prev = previous.get(fid)
            if prev and prev.get("key") == key and not settings.full_refresh:
                rows.append(prev)
                continue
            values = _sherdog_values(raw, sid) + _ufccom_values(ufccom.get(fid))
            nat = next((v.code for v in values if v.field == "nationality"), None)
            values += _wikidata_values(wikidata.get(fid), nat)
            row = {**resolve(fid, values).row(), "key": key}
            rows.append(row)
            fresh.append(row)
        output = {"letter": letter, "rows": rows}
        if output != before:  # an unchanged output is not written again
            settings.processed.write("fighter_locations", letter, output)
        all_rows.extend(rows)
    from ufc_pipeline.warehouse.locations import location_rows, replace_fighter_locations

    engine = make_engine(settings.warehouse_url)
    try:
        ensure_schema(engine)
        # rows carried over whose fighter the warehouse no longer holds (emptied or
        # re-created, or a load this step never finished) are loaded again
        held = owner_ids(engine, fighter_locations)
        redone = {r["ufcstats_id"] for r in fresh}
        lost = [
            r
            for r in all_rows
            if r["ufcstats_id"] not in redone and r["ufcstats_id"] not in held and location_rows(r)
        ]
        if lost:
            log(f"fighter_locations: {len(lost)} fighters missing from the warehouse: loaded again")
        loaded = replace_fighter_locations(engine, fresh + lost) if fresh or lost else 0
        held_now = len(owner_ids(engine, fighter_locations))
    finally:
        engine.dispose()
    last.keep({"fighters": len(all_rows), "held": held_now})
    log(f"fighter_locations: {len(all_rows)} fighters, {len(fresh)} reconciled now")
    return LocationsResult(all_rows, loaded)
