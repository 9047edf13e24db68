"""wikidata_fighters and WikimediaSource over real HTTP.

Two servers:

* the Wikimedia mirror (``start_mirror``, ``handle.wikimedia_endpoints``): a 120-fighter
  world whose Wikidata items, places and countries come from ``ufc_mirror.wiki_world``; the
  rows are compared with ``wiki_truth`` (found by Sherdog id, found by name and birth date,
  no wrong item, places, citizenship, P18, article);
* a small local ``http.server`` for the cases the mirror does not plant (maxlag errors,
  other API errors, two humans of the same name and birth date, a birth date that
  contradicts UFCStats, more than 50 ids, robots.txt). It answers the documented request
  shapes: ``/sparql?query=…&format=json`` (W3C SPARQL JSON results),
  ``/wikidata/w/api.php?action=wbgetentities|wbsearchentities…`` and files under
  ``/upload/``. Its entities are the REAL ones of tests/fixtures/real/wikimedia (Q328212,
  Veronica Roth, old serialisation with P18; Q646148, Henning Christophersen, without P18)
  plus made-up ones (fighters, namesakes, places and countries) in the same Wikibase JSON
  shape; the search answers, SPARQL bindings and maxlag errors are made up too. Its
  robots.txt disallows the API paths: the API clients must not read it (API etiquette, not
  robots.txt, governs them) while the image host must obey it.

The step's inputs (fighters_list, fighter_details, verified_matches) are written directly
(for the mirror: from the world's truth, the right Sherdog person of each fighter).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.steps.helpers import requests_since
from ufc_mirror.model import World
from ufc_mirror.server import MirrorHandle, start_mirror
from ufc_mirror.wiki_world import wiki_truth
from ufc_mirror.world import build_world
from ufc_pipeline.parsing.wikimedia import commons_file_url
from ufc_pipeline.settings import settings_from_env
from ufc_pipeline.sources.config import SiteConfig, WikimediaConfig
from ufc_pipeline.sources.errors import FetchError, RobotsDisallowed
from ufc_pipeline.sources.raw_store import RawStore
from ufc_pipeline.sources.wikimedia import (
    SHERDOG_QUERY,
    WikimediaApiError,
    WikimediaSource,
    api_error,
    check_user_agent,
)
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.steps.wikidata import wikidata_fighters_step

REAL = Path(__file__).parents[1] / "fixtures" / "real" / "wikimedia"
LETTER = "r"


def real_entity(name: str) -> dict[str, Any]:
    return json.loads((REAL / name).read_text(encoding="utf-8"))


# -- made-up entities in the Wikibase JSON shape ------------------------------------------


def _item_claim(prop: str, qid: str, rank: str = "normal") -> dict[str, Any]:
    return {
        "mainsnak": {
            "snaktype": "value",
            "property": prop,
            "datavalue": {
                "value": {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid},
                "type": "wikibase-entityid",
            },
            "datatype": "wikibase-item",
        },
        "type": "statement",
        "rank": rank,
    }


def _string_claim(prop: str, value: str, datatype: str = "string") -> dict[str, Any]:
    return {
        "mainsnak": {
            "snaktype": "value",
            "property": prop,
            "datavalue": {"value": value, "type": "string"},
            "datatype": datatype,
        },
        "type": "statement",
        "rank": "normal",
    }


def _date_claim(iso: str, precision: int = 11) -> dict[str, Any]:
    return {
        "mainsnak": {
            "snaktype": "value",
            "property": "P569",
            "datavalue": {
                "value": {
                    "time": f"+{iso}T00:00:00Z",
                    "timezone": 0,
                    "before": 0,
                    "after": 0,
                    "precision": precision,
                    "calendarmodel": "http://www.wikidata.org/entity/Q1985727",
                },
                "type": "time",
            },
            "datatype": "time",
        },
        "type": "statement",
        "rank": "normal",
    }


def entity(
    qid: str,
    label: str,
    *,
    human: bool = True,
    dob: str | None = None,
    sherdog: int | None = None,
    p19: str | None = None,
    p27: tuple[str, ...] = (),
    p17: str | None = None,
    p131: str | None = None,
    iso2: str | None = None,
    image: str | None = None,
    enwiki: str | None = None,
) -> dict[str, Any]:
    claims: dict[str, list[dict[str, Any]]] = {}
    if human:
        claims["P31"] = [_item_claim("P31", "Q5")]
    if dob:
        claims["P569"] = [_date_claim(dob)]
    if sherdog is not None:
        claims["P2818"] = [_string_claim("P2818", str(sherdog), "external-id")]
    if p19:
        claims["P19"] = [_item_claim("P19", p19)]
    if p27:
        claims["P27"] = [_item_claim("P27", q) for q in p27]
    if p17:
        claims["P17"] = [_item_claim("P17", p17)]
    if p131:
        claims["P131"] = [_item_claim("P131", p131)]
    if iso2:
        claims["P297"] = [_string_claim("P297", iso2, "external-id")]
    if image:
        claims["P18"] = [_string_claim("P18", image, "commonsMedia")]
    return {
        "type": "item",
        "id": qid,
        "labels": {"en": {"language": "en", "value": label}},
        "claims": claims,
        "sitelinks": {"enwiki": {"site": "enwiki", "title": enwiki, "badges": []}}
        if enwiki
        else {},
    }


# -- the local API server -----------------------------------------------------------------


@dataclass
class Api:
    """What the local server knows, and what it was asked."""

    entities: dict[str, dict[str, Any]] = field(default_factory=dict)
    sherdog: dict[int, list[str]] = field(default_factory=dict)
    search: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    maxlag_first: int = 0  # answer the first N wbgetentities requests with a maxlag error
    fail_code: str | None = None  # answer every wbgetentities with this API error
    retry_after: str | None = "5"  # the Retry-After header of a maxlag answer
    requests: list[tuple[str, dict[str, str], dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def asked(self, kind: str) -> list[dict[str, str]]:
        """Parameters of the requests of a kind (an API action, "sparql", "robots", "file")."""
        return [params for k, params, _ in self.requests if k == kind]

    def count(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for kind, _, _ in self.requests:
            out[kind] = out.get(kind, 0) + 1
        return out

    def answer(
        self, path: str, params: dict[str, str], headers: dict[str, str]
    ) -> tuple[int, dict[str, str], bytes]:
        if path == "/robots.txt":
            kind = "robots"
        elif path == "/sparql":
            kind = "sparql"
        elif path.startswith("/upload/"):
            kind = "file"
        else:
            kind = params.get("action", "?")
        with self.lock:
            self.requests.append((kind, params, headers))
            seen = len(self.asked(kind))
        if kind == "robots":
            body = b"User-agent: *\nDisallow: /wikidata/\nDisallow: /sparql\n"
            body += b"Disallow: /upload/private/\n"
            return 200, {"Content-Type": "text/plain"}, body
        if kind == "file":
            data = self.files.get(path)
            if data is None:
                return 404, {"Content-Type": "text/plain"}, b"not found"
            return 200, {"Content-Type": "image/jpeg"}, data
        if kind == "sparql":
            if params.get("query") != SHERDOG_QUERY or params.get("format") != "json":
                return 400, {"Content-Type": "text/plain"}, b"MalformedQueryException"
            bindings = [
                {
                    "item": {"type": "uri", "value": f"http://www.wikidata.org/entity/{q}"},
                    "sherdog": {"type": "literal", "value": str(sid)},
                }
                for sid, qids in sorted(self.sherdog.items())
                for q in qids
            ]
            return _json({"head": {"vars": ["item", "sherdog"]}, "results": {"bindings": bindings}})
        if path != "/wikidata/w/api.php":
            return 404, {"Content-Type": "text/plain"}, b"no such endpoint"
        if kind == "wbgetentities":
            if seen <= self.maxlag_first:
                error = {
                    "error": {
                        "code": "maxlag",
                        "info": "Waiting for 10.64.48.23: 6.2 seconds lagged.",
                        "host": "10.64.48.23",
                        "lag": 6.2,
                        "type": "db",
                    }
                }
                lag_headers = {"X-Database-Lag": "6"}
                if self.retry_after is not None:
                    lag_headers["Retry-After"] = self.retry_after
                return _json(error, lag_headers)
            if self.fail_code:
                return _json({"error": {"code": self.fail_code, "info": "refused in a test"}})
            ids = params.get("ids", "").split("|")
            if len(ids) > 50:
                return _json({"error": {"code": "toomanyvalues", "info": "Too many values"}})
            found = {q: self.entities.get(q) or {"id": q, "missing": ""} for q in ids}
            return _json({"entities": found, "success": 1})
        if kind == "wbsearchentities":
            qids = self.search.get(" ".join(params.get("search", "").casefold().split()), [])
            limit = int(params.get("limit", "7"))
            rows = [
                {
                    "id": q,
                    "title": q,
                    "concepturi": f"http://www.wikidata.org/entity/{q}",
                    "label": self.entities[q]["labels"]["en"]["value"],
                    "description": "made up",
                    "match": {"type": "label", "language": "en", "text": params["search"]},
                }
                for q in qids[:limit]
            ]
            return _json(
                {"searchinfo": {"search": params.get("search")}, "search": rows, "success": 1}
            )
        return _json({"error": {"code": "badvalue", "info": f"Unrecognized action {kind!r}"}})


def _json(obj: Any, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    return (
        200,
        {"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        json.dumps(obj).encode(),
    )


@dataclass
class Served:
    api: Api
    root: str

    @property
    def config(self) -> WikimediaConfig:
        return WikimediaConfig(
            site=SiteConfig(
                name="wikimedia",
                base_url=self.root,
                rate_per_s=0,
                concurrency=1,
                backoff_base_s=0,
                backoff_max_s=0,
            ),
            wikipedia_api=f"{self.root}/wikipedia/w/api.php",
            commons_api=f"{self.root}/commons/w/api.php",
            wikidata_api=f"{self.root}/wikidata/w/api.php",
            sparql_url=f"{self.root}/sparql",
        )


@pytest.fixture
def served() -> Iterator[Served]:
    api = Api()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            parts = urlsplit(self.path)
            params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, out_headers, body = api.answer(parts.path, params, headers)
            self.send_response(status)
            for k, v in out_headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Served(api, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- the world of the step tests ----------------------------------------------------------

ROTH, CHRIST = "a000000000000001", "a000000000000002"
SMITH, CONFLICT, NODOB, REYES = (
    "a000000000000003",
    "a000000000000004",
    "a000000000000005",
    "a000000000000006",
)


@dataclass(frozen=True)
class F:
    ufcstats_id: str
    first: str
    last: str
    dob: str | None
    sherdog_id: int | None


FIGHTERS = (
    F(ROTH, "Veronica", "Roth", "1988-08-19", 1001),  # real Q328212 carries Sherdog id 1001
    F(CHRIST, "Henning", "Christophersen", "1939-11-08", None),  # real Q646148, by name+dob
    F(SMITH, "John", "Smith", "1985-01-02", None),  # two humans born that day: ambiguous
    F(CONFLICT, "Carl", "Conflict", "1981-05-05", 1004),  # item says 1980-05-05
    F(NODOB, "Nobody", "Dated", None, None),  # no dob, no Sherdog: no search at all
    F(REYES, "Rafael", "Reyes", "1992-03-03", 1006),  # Sherdog id on no item; name+dob
)


def load_world(api: Api) -> None:
    api.entities.update(
        {
            "Q328212": real_entity("Q328212.json"),
            "Q646148": real_entity("Q646148.json"),
            # places and countries the real persons point at (made up, real ids)
            "Q60": entity("Q60", "New York City", human=False, p17="Q30", p131="Q1384"),
            "Q1384": entity("Q1384", "New York", human=False, p17="Q30", p131="Q30"),
            "Q30": entity("Q30", "United States", human=False, iso2="US"),
            "Q1748": entity("Q1748", "Copenhagen", human=False, p17="Q35", p131="Q35"),
            "Q35": entity("Q35", "Denmark", human=False, iso2="DK"),
            "Q155": entity("Q155", "Brazil", human=False, iso2="BR"),
            "Q900": entity("Q900", "Henning Christophersen", human=False),  # a ship, say
            "Q901": entity("Q901", "John Smith", dob="1985-01-02"),
            "Q902": entity("Q902", "John Smith", dob="1985-01-02"),
            "Q903": entity("Q903", "John Smith", dob="1970-07-07"),
            "Q904": entity("Q904", "Carl Conflict", dob="1980-05-05", sherdog=1004),
            "Q905": entity(
                "Q905",
                "Rafael Reyes",
                dob="1992-03-03",
                p19="Q155",  # born in "Brazil": the place is the country
                p27=("Q155",),
                image="Rafael Reyes 2020.jpg",
                enwiki="Rafael Reyes (fighter)",
            ),
            "Q906": entity("Q906", "Rafael Reyes", dob="1992-03-03", sherdog=777),
        }
    )
    api.sherdog.update({1001: ["Q328212"], 1004: ["Q904"], 5555: ["Q999999"]})
    api.search.update(
        {
            "henning christophersen": ["Q900", "Q646148"],
            "john smith": ["Q901", "Q902", "Q903"],
            "rafael reyes": ["Q906", "Q905"],
        }
    )


def write_inputs(settings: Settings, fighters: tuple[F, ...], letter: str = LETTER) -> None:
    store = settings.processed
    rows = [
        {
            "ufcstats_id": f.ufcstats_id,
            "first_name": f.first,
            "last_name": f.last,
            "nickname": None,
            "height_in": None,
            "weight_lbs": None,
            "reach_in": None,
            "stance": None,
            "wins": 1,
            "losses": 0,
            "draws": 0,
            "belt": False,
        }
        for f in fighters
    ]
    store.write("fighters_list", letter, {"letter": letter, "rows": rows})
    details = {
        f.ufcstats_id: {
            "fingerprint": "x",
            "letter": letter,
            "details": {"ufcstats_id": f.ufcstats_id, "name": f"{f.first} {f.last}", "dob": f.dob},
        }
        for f in fighters
    }
    store.write("fighter_details", letter, {"letter": letter, "fighters": details})
    matches = [
        {
            "ufcstats_id": f.ufcstats_id,
            "status": "auto_verified" if f.sherdog_id else "unmatched",
            "sherdog_id": f.sherdog_id,
        }
        for f in fighters
    ]
    store.write("verified_matches", letter, {"letter": letter, "rows": matches})


def settings_for(served: Served, data_dir: Path, **changes: Any) -> Settings:
    settings = settings_from_env({"UFC_DATA_DIR": str(data_dir), "WIKIMEDIA_ENABLED": "0"})
    return dataclasses.replace(settings, wikimedia=served.config, **changes)


def rows_by_id(settings: Settings, letter: str = LETTER) -> dict[str, dict[str, Any]]:
    return {
        r["ufcstats_id"]: r for r in settings.processed.require("wikidata_fighters", letter)["rows"]
    }


# -- the step -----------------------------------------------------------------------------


def test_step_finds_items_by_sherdog_id_and_by_name_and_dob(served: Served, tmp_path: Path) -> None:
    load_world(served.api)
    settings = settings_for(served, tmp_path / "data")
    write_inputs(settings, FIGHTERS)
    result = wikidata_fighters_step(settings, [LETTER])
    rows = rows_by_id(settings)
    assert {r["ufcstats_id"] for r in result.rows} == {f.ufcstats_id for f in FIGHTERS}

    roth = rows[ROTH]  # found by Sherdog id, on the real entity (numeric-id serialisation)
    assert (roth["status"], roth["how"], roth["qid"]) == ("found", "sherdog_id", "Q328212")
    assert roth["label"] == "Veronica Roth"
    assert roth["birth_date"] == "1988-08-19"
    assert roth["image_file"] == "Veronica Roth March 18, 2014 (cropped).jpg"
    assert roth["enwiki"] == "Veronica Roth"
    assert roth["birth_place"] == {
        "qid": "Q60",
        "label": "New York City",
        "region": "New York",
        "country": "United States",
        "iso2": "US",
        "country_qid": "Q30",
    }
    assert roth["citizenship"] == [{"qid": "Q30", "label": "United States", "iso2": "US"}]

    christ = rows[CHRIST]  # no Sherdog id: the one human of two results born that day
    assert (christ["status"], christ["how"], christ["qid"]) == ("found", "name_dob", "Q646148")
    assert christ["image_file"] is None  # the real Q646148 has no P18
    assert christ["birth_place"]["country"] == "Denmark"
    assert christ["birth_place"]["iso2"] == "DK"
    assert christ["birth_place"]["region"] is None  # Copenhagen is directly in Denmark
    assert christ["candidates"] == ["Q900", "Q646148"]

    smith = rows[SMITH]  # two humans named John Smith born 1985-01-02
    assert (smith["status"], smith["reason"], smith["qid"]) == ("not_found", "ambiguous", None)
    assert "Q901" in smith["detail"] and "Q902" in smith["detail"]

    conflict = rows[CONFLICT]  # the Sherdog item says 1980-05-05, UFCStats 1981-05-05
    assert (conflict["status"], conflict["reason"]) == ("conflict", "birth_date_differs")
    assert conflict["qid"] == "Q904" and conflict["how"] == "sherdog_id"
    assert "1980-05-05" in conflict["detail"] and "1981-05-05" in conflict["detail"]
    assert conflict["birth_place"] is None  # conflicts are not used downstream

    nodob = rows[NODOB]
    assert (nodob["status"], nodob["reason"]) == ("not_found", "no_dob")

    reyes = rows[REYES]  # Sherdog id 1006 on no item; Q906 carries another Sherdog id
    assert (reyes["status"], reyes["how"], reyes["qid"]) == ("found", "name_dob", "Q905")
    assert reyes["image_file"] == "Rafael Reyes 2020.jpg"
    assert reyes["enwiki"] == "Rafael Reyes (fighter)"
    assert reyes["birth_place"] == {
        "qid": "Q155",
        "label": "Brazil",
        "region": None,
        "country": "Brazil",
        "iso2": "BR",
        "country_qid": "Q155",
    }
    assert "Sherdog id 777" in reyes["detail"]

    # requests: one SPARQL query, one search per fighter without an item (not for NODOB),
    # entities in batches, no robots.txt for the APIs, maxlag=5 and JSON on every API call
    counts = served.api.count()
    assert counts["sparql"] == 1
    assert sorted(p["search"] for p in served.api.asked("wbsearchentities")) == [
        "Henning Christophersen",
        "John Smith",
        "Rafael Reyes",
    ]
    assert "robots" not in counts
    for params in served.api.asked("wbgetentities") + served.api.asked("wbsearchentities"):
        assert params["maxlag"] == "5" and params["format"] == "json"
    for params in served.api.asked("wbgetentities"):
        assert params["props"] == "claims|sitelinks|labels" and params["languages"] == "en"
        assert len(params["ids"].split("|")) <= 50
    asked_ids = [q for p in served.api.asked("wbgetentities") for q in p["ids"].split("|")]
    assert len(asked_ids) == len(set(asked_ids)), "an entity was asked for twice"
    for kind, _, headers in served.api.requests:
        assert "github.com" in headers["user-agent"], kind
        assert "gzip" in headers["accept-encoding"]

    meta = result.metadata()
    assert meta["by_status"] == {"conflict": 1, "found": 3, "not_found": 2}
    assert meta["found_by"] == {"name_dob": 2, "sherdog_id": 1}
    assert meta["not_found_by_reason"] == {"ambiguous": 1, "no_dob": 1}
    assert meta["conflicts"] == 1
    assert meta["requests"]["sparql"] == 1
    assert meta["requests"]["wbsearchentities"] == 3
    assert meta["requests_total"] == len(served.api.requests)
    assert meta["processed_now"] == 6 and meta["carried_over"] == 0
    assert all(c.passed for c in result.checks())


def test_second_run_makes_no_request_and_changed_fighter_is_redone(
    served: Served, tmp_path: Path
) -> None:
    load_world(served.api)
    settings = settings_for(served, tmp_path / "data")
    write_inputs(settings, FIGHTERS)
    wikidata_fighters_step(settings, [LETTER])
    first = rows_by_id(settings)
    before = len(served.api.requests)
    again = wikidata_fighters_step(settings, [LETTER])
    assert len(served.api.requests) == before, "an unchanged fighter was asked for again"
    assert rows_by_id(settings) == first
    assert again.metadata()["carried_over"] == 6 and again.metadata()["requests_total"] == 0

    # Carl's date of birth is corrected: only he is redone, from the raw store (no request)
    fixed = tuple(
        dataclasses.replace(f, dob="1980-05-05") if f.ufcstats_id == CONFLICT else f
        for f in FIGHTERS
    )
    write_inputs(settings, fixed)
    third = wikidata_fighters_step(settings, [LETTER])
    assert third.metadata()["processed_now"] == 1
    assert len(served.api.requests) == before  # the SPARQL answer and Q904 were kept
    assert rows_by_id(settings)[CONFLICT]["status"] == "found"

    # full_refresh asks again
    wikidata_fighters_step(dataclasses.replace(settings, full_refresh=True), [LETTER])
    assert served.api.count()["sparql"] == 2


def test_more_than_50_ids_are_two_requests(served: Served, tmp_path: Path) -> None:
    fighters = tuple(
        F(f"b{i:015d}", "Fighter", f"Number{i}", "1990-01-01", 20_000 + i) for i in range(60)
    )
    for i, f in enumerate(fighters):
        qid = f"Q{700_000 + i}"
        served.api.entities[qid] = entity(qid, f"Fighter Number{i}", dob="1990-01-01")
        served.api.sherdog[f.sherdog_id or 0] = [qid]
    settings = settings_for(served, tmp_path / "data")
    write_inputs(settings, fighters)
    result = wikidata_fighters_step(settings, [LETTER])
    batches = [len(p["ids"].split("|")) for p in served.api.asked("wbgetentities")]
    assert batches == [50, 10]
    assert result.metadata()["found_by"] == {"sherdog_id": 60}
    assert result.metadata()["requests"] == {"sparql": 1, "wbgetentities": 2}


def test_maxlag_error_is_waited_out_then_answered(served: Served, tmp_path: Path) -> None:
    load_world(served.api)
    served.api.maxlag_first = 2
    settings = settings_for(served, tmp_path / "data")
    write_inputs(settings, FIGHTERS[:1])
    result = wikidata_fighters_step(settings, [LETTER])
    assert rows_by_id(settings)[ROTH]["status"] == "found"
    meta = result.metadata()
    assert meta["lag_retries"] == 2
    # the person, then his place and citizenship, then the place's region: 3 answered, 2 lagged
    assert meta["requests"]["wbgetentities"] == len(served.api.asked("wbgetentities")) == 5


def test_failed_requests_are_failed_rows_and_redone(served: Served, tmp_path: Path) -> None:
    load_world(served.api)
    served.api.fail_code = "internal_api_error_DBQueryError"
    settings = settings_for(served, tmp_path / "data")
    write_inputs(settings, FIGHTERS)
    result = wikidata_fighters_step(settings, [LETTER])
    rows = rows_by_id(settings)
    assert rows[ROTH]["status"] == "failed"
    assert "internal_api_error_DBQueryError" in rows[ROTH]["detail"]
    assert "wbgetentities" in rows[ROTH]["detail"]
    assert rows[NODOB]["status"] == "not_found"  # needed no request
    meta = result.metadata()
    assert meta["failed"] == 5 and meta["failures_within_budget"] is False
    assert [r["status"] for r in meta["problems"].rows].count("failed") == 5
    served.api.fail_code = None
    wikidata_fighters_step(settings, [LETTER])
    assert rows_by_id(settings)[ROTH]["status"] == "found"


def test_sherdog_id_on_a_missing_item_falls_back_to_the_name(
    served: Served, tmp_path: Path
) -> None:
    load_world(served.api)  # Sherdog id 5555 is on Q999999, which wbgetentities calls missing
    gone = F("a000000000000008", "Gone", "Item", "1970-01-01", 5555)
    settings = settings_for(served, tmp_path / "data")
    write_inputs(settings, (gone,))
    wikidata_fighters_step(settings, [LETTER])
    row = rows_by_id(settings)[gone.ufcstats_id]
    assert (row["status"], row["reason"]) == ("not_found", "no_search_results")
    assert "Q999999, missing from Wikidata" in row["detail"]
    assert [p["search"] for p in served.api.asked("wbsearchentities")] == ["Gone Item"]


def test_disabled_writes_disabled_rows_without_requests(served: Served, tmp_path: Path) -> None:
    settings = dataclasses.replace(settings_for(served, tmp_path / "data"), wikimedia=None)
    write_inputs(settings, FIGHTERS)
    result = wikidata_fighters_step(settings, [LETTER])
    assert {r["status"] for r in rows_by_id(settings).values()} == {"disabled"}
    assert served.api.requests == []
    assert result.metadata()["enabled"] is False
    assert "not configured" in result.metadata()["note"]


def test_item_on_two_fighters_fails_the_check(served: Served, tmp_path: Path) -> None:
    load_world(served.api)
    served.api.sherdog[1007] = ["Q328212"]  # one person with two Sherdog profiles
    twin = F("a000000000000007", "Veronica", "Roth", "1988-08-19", 1007)
    settings = settings_for(served, tmp_path / "data")
    write_inputs(settings, (FIGHTERS[0], twin))
    result = wikidata_fighters_step(settings, [LETTER])
    check = {c.name: c for c in result.checks()}["no_shared_item"]
    assert not check.passed
    assert check.details["shared"] == {"Q328212": [ROTH, twin.ufcstats_id]}


# -- the source ---------------------------------------------------------------------------


def test_maxlag_wait_follows_retry_after_then_lag(served: Served, tmp_path: Path) -> None:
    load_world(served.api)
    served.api.maxlag_first = 1
    waits: list[float] = []

    async def sleep(s: float) -> None:
        waits.append(s)

    cfg = served.config
    cfg = dataclasses.replace(cfg, site=dataclasses.replace(cfg.site, backoff_max_s=60))

    async def run() -> None:
        async with WikimediaSource(cfg, RawStore(tmp_path / "raw"), sleep=sleep) as wm:
            got = await wm.entities(["Q328212"])
            assert got["Q328212"].label == "Veronica Roth"
            assert wm.stats.lag_retries == 1

    asyncio.run(run())
    assert waits == [5.0]  # Retry-After: 5
    served.api.requests.clear()
    served.api.retry_after = None  # then the lag of the error answer (6.2 s)
    (tmp_path / "raw").rename(tmp_path / "raw-first")
    asyncio.run(run())
    assert waits == [5.0, 6.2]
    served.api.requests.clear()
    served.api.retry_after = "1"  # never less than the 5 s the etiquette asks for
    (tmp_path / "raw").rename(tmp_path / "raw-second")
    asyncio.run(run())
    assert waits == [5.0, 6.2, 5.0]


def test_other_api_errors_are_not_retried(served: Served, tmp_path: Path) -> None:
    served.api.fail_code = "badvalue"

    async def run() -> None:
        async with WikimediaSource(served.config, RawStore(tmp_path / "raw")) as wm:
            with pytest.raises(WikimediaApiError) as err:
                await wm.entities(["Q1"])
            assert err.value.code == "badvalue"
            assert "wbgetentities" in err.value.url and "ids=Q1" in err.value.url

    asyncio.run(run())
    assert served.api.count() == {"wbgetentities": 1}


def test_api_error_shapes() -> None:
    assert api_error({"error": {"code": "maxlag", "info": "x", "lag": 6.2}}) == ("maxlag", "x", 6.2)
    assert api_error({"errors": [{"code": "ratelimited", "text": "slow down"}]}) == (
        "ratelimited",
        "slow down",
        None,
    )
    assert api_error({"entities": {}}) is None


def test_user_agent_must_carry_contact() -> None:
    with pytest.raises(ValueError, match="UFC_USER_AGENT"):
        check_user_agent(SiteConfig("wikimedia", "https://x.org", user_agent="python-httpx/0.27"))
    check_user_agent(SiteConfig("wikimedia", "https://x.org", user_agent="bot/1 (me@example.org)"))


def test_sparql_and_search_answers_are_cached(served: Served, tmp_path: Path) -> None:
    load_world(served.api)

    async def run(refresh: bool) -> tuple[dict[int, list[str]], list[str]]:
        async with WikimediaSource(
            served.config, RawStore(tmp_path / "raw"), refresh=refresh
        ) as wm:
            ids = await wm.sherdog_items()
            hits = [h.qid for h in await wm.search("John  Smith")]
            return ids, hits

    ids, hits = asyncio.run(run(False))
    assert ids[1001] == ["Q328212"] and hits == ["Q901", "Q902", "Q903"]
    asyncio.run(run(False))
    assert served.api.count() == {"sparql": 1, "wbsearchentities": 1}
    asyncio.run(run(True))
    assert served.api.count() == {"sparql": 2, "wbsearchentities": 2}
    assert served.api.asked("wbsearchentities")[0]["limit"] == "7"


def test_image_host_obeys_robots_and_api_hosts_do_not(served: Served, tmp_path: Path) -> None:
    load_world(served.api)
    name = "Rafael Reyes 2020.jpg"
    url = commons_file_url(name, base=f"{served.root}/upload/wikipedia/commons")
    served.api.files[urlsplit(url).path] = b"\xff\xd8\xff fake jpeg"

    async def run() -> None:
        async with WikimediaSource(served.config, RawStore(tmp_path / "raw")) as wm:
            await wm.sherdog_items()  # /sparql is disallowed by robots.txt: asked anyway
            resp = await wm.download(url)
            assert resp.status == 200 and resp.content.startswith(b"\xff\xd8")
            with pytest.raises(RobotsDisallowed):
                await wm.download(f"{served.root}/upload/private/x.jpg")
            missing = await wm.download(f"{served.root}/upload/a/ab/Nope.jpg")
            assert missing.status == 404

    asyncio.run(run())
    assert served.api.count()["robots"] == 1  # once, by the image host's client
    assert served.api.requests[0][0] == "sparql"


def test_http_error_names_the_request(served: Served, tmp_path: Path) -> None:
    cfg = dataclasses.replace(served.config, sparql_url=f"{served.root}/nowhere")

    async def run() -> None:
        async with WikimediaSource(cfg, RawStore(tmp_path / "raw")) as wm:
            with pytest.raises(FetchError, match="HTTP 404 for the sparql request"):
                await wm.sherdog_items()

    asyncio.run(run())


# -- the Wikimedia mirror -----------------------------------------------------------------


@pytest.fixture(scope="module")
def wiki_world_served() -> Iterator[tuple[World, MirrorHandle]]:
    world = build_world(7, fighters=120)
    with start_mirror(world, host="127.0.0.1") as handle:
        yield world, handle


def _mirror_inputs(settings: Settings, world: World) -> list[str]:
    """The step's inputs from the world: list rows, dates of birth, the right Sherdog ids."""
    store = settings.processed
    letters = []
    for letter, fighters in sorted(world.by_letter.items()):
        listed = [f for f in fighters if f.listed]
        if not listed:
            continue
        letters.append(letter)
        store.write(
            "fighters_list",
            letter,
            {
                "letter": letter,
                "rows": [
                    {"ufcstats_id": f.id, "first_name": f.first, "last_name": f.last}
                    for f in listed
                ],
            },
        )
        details = {
            f.id: {"details": {"name": f.name, "dob": f.dob.isoformat() if f.dob else None}}
            for f in listed
        }
        store.write("fighter_details", letter, {"letter": letter, "fighters": details})
        rows = [
            {"ufcstats_id": f.id, "status": "auto_verified", "sherdog_id": f.person.sherdog_id}
            for f in listed
        ]
        store.write("verified_matches", letter, {"letter": letter, "rows": rows})
    return letters


def test_on_the_mirror_every_item_found_is_the_right_one(
    wiki_world_served: tuple[World, MirrorHandle], tmp_path: Path
) -> None:
    world, handle = wiki_world_served
    ep = handle.wikimedia_endpoints
    settings = settings_from_env(
        {
            "UFC_DATA_DIR": str(tmp_path / "data"),
            "WIKIPEDIA_API_URL": ep["wikipedia_api"],
            "COMMONS_API_URL": ep["commons_api"],
            "WIKIDATA_API_URL": ep["wikidata_api"],
            "WIKIDATA_SPARQL_URL": ep["sparql_url"],
            "WIKIMEDIA_RATE": "0",
            "UFC_HTTP_BACKOFF_BASE": "0",
            "UFC_HTTP_BACKOFF_MAX": "0",
        }
    )
    letters = _mirror_inputs(settings, world)
    truth = wiki_truth(world)
    before = handle.stats()
    result = wikidata_fighters_step(settings, letters)
    asked = requests_since(handle, before)
    rows = {r["ufcstats_id"]: r for r in result.rows}
    assert set(rows) == set(truth)

    wrong = {
        fid: (r["qid"], truth[fid]["qid"])
        for fid, r in rows.items()
        if r["status"] == "found" and r["qid"] != truth[fid]["qid"]
    }
    assert wrong == {}
    by_sherdog = name_dob = 0
    for fid, t in truth.items():
        r = rows[fid]
        dob = world.fighters[fid].dob
        if t["qid"] and t["sherdog_id_on_item"] == world.fighters[fid].person.sherdog_id:
            assert (r["status"], r["how"]) == ("found", "sherdog_id"), (fid, r["detail"])
            by_sherdog += 1
        elif t["qid"] and t["birth_date_precision"] == 11 and not t["label_differs"] and dob:
            assert (r["status"], r["how"]) == ("found", "name_dob"), (fid, r["detail"])
            name_dob += 1
        elif not t["qid"]:
            assert r["status"] == "not_found", (fid, r)
        if r["status"] == "found":
            assert (r["birth_place"] or {}).get("qid") == t["birth_place_qid"]
            assert sorted(c["iso2"] for c in r["citizenship"]) == sorted(t["citizenship"])
            assert r["image_file"] == t["p18"]
            assert r["enwiki"] == t["enwiki"]
    assert by_sherdog >= 30 and name_dob >= 5  # both ways are exercised
    items = [fid for fid, t in truth.items() if t["qid"]]
    recall = sum(rows[fid]["status"] == "found" for fid in items) / len(items)
    assert recall >= 0.95

    meta = result.metadata()
    assert asked.get("sparql") == 1
    assert asked.get("wikidata_entities") == meta["requests"]["wbgetentities"]
    assert asked.get("wikidata_search") == meta["requests"]["wbsearchentities"]
    assert meta["requests_per_processed_fighter"] < 1.0
    assert all(c.passed for c in result.checks())

    # unchanged inputs: no request at all
    before = handle.stats()
    again = wikidata_fighters_step(settings, letters)
    assert requests_since(handle, before) == {}
    assert again.metadata()["carried_over"] == len(truth)
