"""ufc_com_athletes against a real HTTP server on 127.0.0.1 (no mocks).

The UFC.com mirror (``ufc_mirror/ufccom_site.py``) did not serve athlete pages yet when
this test was written (its history held only the stub), so the server is a small local
one serving the fixture pages of ``tests/fixtures/ufccom`` (reconstructions of real
UFC.com pages, see SOURCES.md) at the slugs below, UFC.com's robots.txt rules, a 404
"Page not found" page for every other path and an HTTP 500 for one slug. The UFCStats
side is a ``fighters_list`` output for the letter ``m`` written by the test.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ufc_pipeline.parsing.records import UFCStatsListRow
from ufc_pipeline.sources.config import SiteConfig
from ufc_pipeline.sources.ufccom import read_slug_overrides
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.steps.ufccom import ASSET, ufc_com_athletes_step

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ufccom"
ROBOTS = b"User-agent: *\nCrawl-delay: 15\nDisallow: /athletes/all?*\n"
PAGES = {
    "/athletes/all": "athletes_all.html",
    "/rankings": "rankings.html",
    "/athlete/rafael-montoya": "athlete_full.html",
    "/athlete/joao-moraes-2": "athlete_hometown.html",
    "/athlete/pedro-mendes-junior": "athlete_empty_trains_at.html",
    "/athlete/ana-medeiros": "athlete_no_birthplace.html",
    "/athlete/tomasz-malecki": "athlete_placeholder.html",
    "/athlete/dario-mancini": "athlete_shadow.html",
}
BROKEN = "/athlete/broken-mcfail"

# UFCStats fighters of the letter m: (id, first, last, nickname, W, L, D)
FIGHTERS = [
    ("a0000000000000a1", "Rafael", "Montoya", "The Heron", 24, 6, 0),  # ranked, same slug
    ("a0000000000000a2", "Joao", "Moraes", None, 14, 5, 1),  # ranked at joao-moraes-2
    ("a0000000000000a3", "Pedro", "Mendes Jr.", "Pedrinho", 18, 4, 0),  # slug set by hand
    ("a0000000000000a4", "Tomasz Pawel", "Malecki", None, 11, 3, 0),  # 2nd derived slug
    ("a0000000000000a5", "Mark", "Mulder", None, 3, 1, 0),  # "not on UFC.com" by hand
    ("a0000000000000a6", "Gus", "Mallory", None, 5, 5, 0),  # no page anywhere
    ("a0000000000000a7", "Broken", "Mcfail", None, 1, 0, 0),  # HTTP 500
    ("a0000000000000a8", "Ana Clara", "Medeiros", "Ventania", 9, 2, 0),  # ranked champion
]
IDS = {last: fid for fid, _, last, *_ in FIGHTERS}


class FixtureSite:
    """The fixture pages at their slugs; records every request path."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.broken = True
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                with site.lock:
                    site.hits[self.path] += 1
                status, ctype, body = site.answer(self.path)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def answer(self, path: str) -> tuple[int, str, bytes]:
        html = "text/html; charset=utf-8"
        if path == "/robots.txt":
            return 200, "text/plain", ROBOTS
        if path == BROKEN:
            if self.broken:
                return 500, html, b"Internal Server Error"
            return 200, html, (FIXTURES / "athlete_shadow.html").read_bytes()
        if path in PAGES:
            return 200, html, (FIXTURES / PAGES[path]).read_bytes()
        return 404, html, (FIXTURES / "not_found.html").read_bytes()

    def take(self) -> Counter[str]:
        with self.lock:
            hits, self.hits = self.hits, Counter()
        return hits

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    srv = FixtureSite()
    yield srv
    srv.stop()


def write_overrides(settings: Settings, rows: list[tuple[str, str, str]]) -> None:
    path = settings.ufccom_slugs_path
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["ufcstats_id,slug,note", *(",".join(r) for r in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def settings(site: FixtureSite, tmp_path: Path) -> Settings:
    unused = "http://127.0.0.1:9"
    s = Settings(
        ufcstats=SiteConfig(name="ufcstats", base_url=unused),
        sherdog=SiteConfig(name="sherdog", base_url=unused),
        data_dir=tmp_path,
        ufccom=SiteConfig(
            name="ufccom",
            base_url=site.url,
            rate_per_s=0,  # delays off, as against the mirror (Crawl-delay not applied)
            concurrency=2,
            max_retries=2,
            backoff_base_s=0.01,
            backoff_max_s=0.02,
            timeout_s=10,
        ),
        fighter_tasks=4,
    )
    rows = [
        UFCStatsListRow(
            ufcstats_id=fid,
            first_name=first,
            last_name=last,
            nickname=nick,
            height_in=None,
            weight_lbs=None,
            reach_in=None,
            stance=None,
            wins=w,
            losses=lo,
            draws=d,
        ).to_dict()
        for fid, first, last, nick, w, lo, d in FIGHTERS
    ]
    s.processed.write("fighters_list", "m", {"letter": "m", "rows": rows})
    write_overrides(
        s,
        [
            (IDS["Mendes Jr."], "pedro-mendes-junior", "UFC.com spells out Junior"),
            (IDS["Mulder"], "", "no UFC.com page"),
        ],
    )
    return s


def rows_by_id(settings: Settings) -> dict[str, dict]:
    return {r["ufcstats_id"]: r for r in settings.processed.require(ASSET, "m")["rows"]}


def test_first_run_finds_each_fighter_the_documented_way(settings: Settings, site: FixtureSite):
    result = ufc_com_athletes_step(settings, ["m"])
    hits = site.take()
    rows = rows_by_id(settings)
    assert len(rows) == len(FIGHTERS)
    summary = {
        last: (rows[fid]["status"], rows[fid]["how"], rows[fid]["slug"], rows[fid]["tried"])
        for last, fid in IDS.items()
    }
    assert summary == {
        "Montoya": ("found", "listed", "rafael-montoya", ["rafael-montoya"]),
        "Moraes": ("found", "listed", "joao-moraes-2", ["joao-moraes-2"]),
        "Mendes Jr.": ("found", "override", "pedro-mendes-junior", ["pedro-mendes-junior"]),
        "Malecki": (
            "found",
            "derived",
            "tomasz-malecki",
            ["tomasz-pawel-malecki", "tomasz-malecki"],
        ),
        "Mulder": ("not_found", "override", None, []),
        "Mallory": ("not_found", None, None, ["gus-mallory"]),
        "Mcfail": ("failed", "derived", "broken-mcfail", ["broken-mcfail"]),
        "Medeiros": ("found", "listed", "ana-medeiros", ["ana-medeiros"]),
    }
    montoya = rows[IDS["Montoya"]]["athlete"]
    assert (montoya["name"], montoya["birth_date"], montoya["age"]) == (
        "Rafael Montoya",
        "1991-05-03",
        35,
    )
    assert rows[IDS["Moraes"]]["athlete"]["place_label"] == "Hometown"
    assert rows[IDS["Malecki"]]["athlete"]["image_placeholder"] is True
    assert "HTTP 500" in rows[IDS["Mcfail"]]["detail"]
    assert "/athlete/gus-mallory" in rows[IDS["Mallory"]]["detail"]
    assert str(settings.ufccom_slugs_path) in rows[IDS["Mulder"]]["detail"]

    # requests: the list page (never with a query), the rankings, each candidate once
    assert not [p for p in hits if "?" in p]
    assert hits["/athletes/all"] == 1 and hits["/rankings"] == 1
    assert hits[BROKEN] == 3  # max_retries=2
    assert "/athlete/mark-mulder" not in hits  # set by hand as not on UFC.com
    assert "/athlete/joao-moraes" not in hits  # the ranked slug was found first
    athlete_paths = {p for p in hits if p.startswith("/athlete/")}
    assert athlete_paths == {f"/athlete/{s}" for r in rows.values() for s in r["tried"]}

    # the athletes of the list and the rankings whose last name is under m
    discovered = settings.processed.require(ASSET, "m")["discovered"]
    assert {d["slug"] for d in discovered} == {"rafael-montoya", "joao-moraes-2", "ana-medeiros"}

    md = result.metadata()
    assert (md["found"], md["not_found"], md["failed"]) == (5, 2, 1)
    assert md["found_by_how"] == {"derived": 1, "listed": 3, "override": 1}
    assert md["looked_up"] == 8 and md["carried_over"] == 0
    assert md["requests"] == sum(hits.values())
    assert md["min_gap_s"] is not None and md["crawl_delay_s"] == 0  # delays off
    assert md["discovered"] == 17  # 6 list cards + 11 ranked athletes
    checks = {c.name: c for c in result.checks()}
    assert checks["every_fighter_has_a_row"].passed
    assert not checks["lookups_within_error_budget"].passed  # 1 of 8 failed
    assert checks["crawl_delay_held"].passed


def test_second_run_retries_only_failures_and_changed_inputs(settings: Settings, site: FixtureSite):
    ufc_com_athletes_step(settings, ["m"])
    first = rows_by_id(settings)
    site.take()

    # nothing changed but the failure: only it is asked for again (and the two lists)
    second = ufc_com_athletes_step(settings, ["m"])
    hits = site.take()
    assert {p for p in hits if p.startswith("/athlete/")} == {BROKEN}
    assert second.metadata()["looked_up"] == 1
    after = rows_by_id(settings)
    assert {k: v for k, v in after.items() if k != IDS["Mcfail"]} == {
        k: v for k, v in first.items() if k != IDS["Mcfail"]
    }

    # the site heals and a slug is set by hand for the fighter without a page
    site.broken = False
    write_overrides(
        settings,
        [
            (IDS["Mendes Jr."], "pedro-mendes-junior", ""),
            (IDS["Mulder"], "", ""),
            (IDS["Mallory"], "dario-mancini", "found by hand"),
        ],
    )
    ufc_com_athletes_step(settings, ["m"])
    hits = site.take()
    assert {p for p in hits if p.startswith("/athlete/")} == {BROKEN, "/athlete/dario-mancini"}
    rows = rows_by_id(settings)
    assert rows[IDS["Mcfail"]]["status"] == "found"
    assert (rows[IDS["Mallory"]]["status"], rows[IDS["Mallory"]]["how"]) == ("found", "override")

    # nothing to do: not a single request (the stored list and rankings are used)
    quiet = ufc_com_athletes_step(settings, ["m"])
    assert site.take() == Counter()
    assert quiet.metadata()["looked_up"] == 0 and quiet.metadata()["requests"] == 0
    assert len(quiet.metadata()["preview"].rows) == len(FIGHTERS)

    # full refresh: every fighter is looked up again
    full = ufc_com_athletes_step(replace(settings, full_refresh=True), ["m"])
    assert full.metadata()["looked_up"] == len(FIGHTERS)
    assert site.take()["/athlete/rafael-montoya"] == 1


def test_disabled_writes_empty_letters_and_says_why(tmp_path: Path):
    settings = Settings(
        ufcstats=SiteConfig(name="ufcstats", base_url="http://127.0.0.1:9"),
        sherdog=SiteConfig(name="sherdog", base_url="http://127.0.0.1:9"),
        data_dir=tmp_path,
    )
    assert settings.ufccom is None
    result = ufc_com_athletes_step(settings, ["a", "m"])
    for letter in ("a", "m"):
        data = settings.processed.require(ASSET, letter)
        assert data["rows"] == [] and data["enabled"] is False
    md = result.metadata()
    assert md["enabled"] is False and md["dagster/row_count"] == 0
    assert "UFCCOM_ENABLED" in md["why"] and "terms" in md["why"]
    assert all(c.passed for c in result.checks())


def test_slug_overrides_file(tmp_path: Path):
    path = tmp_path / "ufccom_slugs.csv"
    assert read_slug_overrides(path) == {}  # no file: no overrides
    path.write_text(
        "ufcstats_id,slug,note\n"
        "aaaa000000000001,raul-rosas-jr,\n"
        "aaaa000000000002,,not on UFC.com\n"
        "aaaa000000000003,https://www.ufc.com/athlete/bruno-silva-2,a URL is accepted\n",
        encoding="utf-8",
    )
    assert read_slug_overrides(path) == {
        "aaaa000000000001": "raul-rosas-jr",
        "aaaa000000000002": None,
        "aaaa000000000003": "bruno-silva-2",
    }
    path.write_text("ufcstats_id,slug\naaaa000000000001,a b\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2"):
        read_slug_overrides(path)
    path.write_text("id,slug\n", encoding="utf-8")
    with pytest.raises(ValueError, match="ufcstats_id"):
        read_slug_overrides(path)


def test_shipped_overrides_file_is_an_empty_example():
    shipped = Path(__file__).parent.parent.parent / "data" / "manual" / "ufccom_slugs.csv"
    assert shipped.read_text(encoding="utf-8").splitlines() == ["ufcstats_id,slug,note"]
    assert read_slug_overrides(shipped) == {}
