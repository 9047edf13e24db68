"""ufc_com_matches_step on stored inputs: small fighters_list, fighter_details and
ufc_com_athletes outputs written through ProcessedStore (no request is made).

Letter ``k`` and ``m`` fighters cover: a plain match, a page that is not the fighter (another
birth date), an athlete reached only through a list card, a slug set by hand, two namesakes
on one page (one verified, one to review), a fighter UFC.com has no page for, a page not read
this run (the previous athlete is kept), and the latest bout's weight class on a stored card.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from ufc_pipeline.matching.ufccom import CLAIMED_BY, REVIEW, UNMATCHED, VERIFIED
from ufc_pipeline.sources.config import SiteConfig
from ufc_pipeline.steps import ufccom_matches as step
from ufc_pipeline.steps.report import Markdown, Table
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.steps.ufccom_matches import (
    DISABLED_NOTE,
    REVIEW_COLUMNS,
    UfcComMatchesResult,
    ufc_com_matches_step,
)

KAI, KHALIL, KEVIN, KYLE = "k000000000000001", "k000000000000002", "k000000000000003", "k4" * 8
MARCO, MARCO2, MIKE, MILES = "m000000000000001", "m000000000000002", "m3" * 8, "m4" * 8
OTHER_Y, OTHER_Z = "y" * 16, "z" * 16

# ufcstats_id -> (first, last, nickname, (w, l, d), weight, dob)
FIGHTERS: dict[str, tuple[str, str, str | None, tuple[int, int, int], float, str | None]] = {
    KAI: ("Kai", "Kara-France", "Don't Blink", (24, 11, 0), 125, "1993-03-26"),
    KHALIL: ("Khalil", "Rountree Jr.", "The War Horse", (13, 5, 0), 205, "1990-02-26"),
    KEVIN: ("Kevin", "Holland", "Trailblazer", (25, 10, 0), 170, "1992-11-05"),
    KYLE: ("Kyle", "Nelson", None, (15, 6, 1), 145, "1991-05-06"),
    MARCO: ("Marco", "Moreno", None, (10, 2, 0), 155, "1990-01-01"),
    MARCO2: ("Marco", "Moreno", None, (10, 1, 0), 155, None),
    MIKE: ("Mike", "Malott", "Proper", (12, 2, 1), 170, "1991-11-16"),
    MILES: ("Miles", "Johns", None, (14, 2, 0), 135, "1994-04-15"),
}


def _athlete(slug: str, name: str, record: tuple[int, int, int], **kw: Any) -> dict[str, Any]:
    a = {
        "slug": slug,
        "url": f"https://www.ufc.com/athlete/{slug}",
        "name": name,
        "nickname": None,
        "division": None,
        "wins": record[0],
        "losses": record[1],
        "draws": record[2],
        "status": "Active",
        "place_of_birth": None,
        "place_label": None,
        "trains_at": None,
        "age": None,
        "birth_date": None,
        "height_in": None,
        "weight_lbs": None,
        "reach_in": None,
        "leg_reach_in": None,
        "octagon_debut": None,
        "image_url": None,
        "image_placeholder": False,
        "tags": [],
    }
    a.update(kw)
    return a


def _row(fid: str, status: str, slug: str | None, how: str | None, athlete=None, detail=None):
    return {
        "ufcstats_id": fid,
        "status": status,
        "slug": slug,
        "how": how,
        "tried": [slug] if slug else [],
        "athlete": athlete,
        "detail": detail,
    }


KAI_PAGE = _athlete(
    "kai-kara-france",
    "Kai Kara-France",
    (24, 11, 0),
    nickname="Don't Blink",
    division="Flyweight",
    birth_date="1993-03-26",
)
MARCO_PAGE = _athlete(
    "marco-moreno", "Marco Moreno", (10, 2, 0), division="Lightweight", birth_date="1990-01-01"
)
ATHLETE_ROWS: dict[str, list[dict[str, Any]]] = {
    "k": [
        _row(KAI, "found", "kai-kara-france", "derived", KAI_PAGE),
        # the page at the derived slug is another Khalil Rountree (other birth date)
        _row(
            KHALIL,
            "found",
            "khalil-rountree",
            "derived",
            _athlete(
                "khalil-rountree",
                "Khalil Rountree",
                (13, 5, 0),
                division="Light Heavyweight",
                birth_date="1999-09-09",
            ),
        ),
        _row(KEVIN, "not_found", None, "derived", detail="404 at /athlete/kevin-holland"),
        _row(
            KYLE,
            "found",
            "kyle-nelson-1",
            "override",
            _athlete("kyle-nelson-1", "Kyle Nelson", (15, 6, 1), division="Featherweight"),
        ),
    ],
    "m": [
        _row(MARCO, "found", "marco-moreno", "derived", MARCO_PAGE),
        _row(MARCO2, "found", "marco-moreno", "derived", MARCO_PAGE),
        _row(
            MIKE,
            "found",
            "mike-malott",
            "derived",
            _athlete("mike-malott", "Mike Malott", (12, 2, 1), nickname="Proper"),
        ),
        _row(MILES, "not_found", None, "derived", detail="404 at /athlete/miles-johns"),
    ],
}
# Kevin Holland is only on the first list page (a card: no page was read for him).
DISCOVERED = {
    "k": [
        {
            "slug": "kevin-holland-x",
            "name": "Kevin Holland",
            "nickname": "Trailblazer",
            "division": "Welterweight",
            "wins": 25,
            "losses": 10,
            "draws": 0,
            "image_url": None,
        }
    ],
    "m": [],
}


def _letter(fid: str) -> str:
    return fid[0]


def _write_inputs(settings: Settings, athlete_rows=ATHLETE_ROWS, discovered=DISCOVERED) -> None:
    store = settings.processed
    for letter in ("k", "m"):
        ids = [fid for fid in FIGHTERS if _letter(fid) == letter]
        rows, details = [], {}
        for fid in ids:
            first, last, nick, (w, lo, d), weight, dob = FIGHTERS[fid]
            rows.append(
                {
                    "ufcstats_id": fid,
                    "first_name": first,
                    "last_name": last,
                    "nickname": nick,
                    "height_in": None,
                    "weight_lbs": weight,
                    "reach_in": None,
                    "stance": None,
                    "wins": w,
                    "losses": lo,
                    "draws": d,
                    "belt": False,
                }
            )
            page = {"ufcstats_id": fid, "name": f"{first} {last}", "nickname": nick, "dob": dob}
            details[fid] = {"fingerprint": "f", "letter": letter, "details": page}
        store.write("fighters_list", letter, {"letter": letter, "rows": rows})
        store.write("fighter_details", letter, {"letter": letter, "fighters": details})
        store.write(
            "ufc_com_athletes",
            letter,
            {"letter": letter, "rows": athlete_rows[letter], "discovered": discovered[letter]},
        )


def _settings(data_dir: Path, enabled: bool = True) -> Settings:
    site = SiteConfig(name="x", base_url="http://127.0.0.1:9")
    ufccom = SiteConfig(name="ufccom", base_url="http://127.0.0.1:9") if enabled else None
    return Settings(ufcstats=site, sherdog=site, data_dir=data_dir, ufccom=ufccom)


def _stored(settings: Settings, letters=("k", "m")) -> dict[str, dict[str, Any]]:
    return {
        r["ufcstats_id"]: r
        for x in letters
        for r in settings.processed.require("ufc_com_matches", x)["rows"]
    }


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = _settings(tmp_path / "data")
    _write_inputs(s)
    return s


def test_rows_status_and_reasons(settings: Settings) -> None:
    result = ufc_com_matches_step(settings, ["k", "m"])
    rows = _stored(settings)
    assert set(rows) == set(FIGHTERS)
    assert {fid: (r["status"], r["slug"]) for fid, r in rows.items()} == {
        KAI: (VERIFIED, "kai-kara-france"),
        KHALIL: (UNMATCHED, None),
        KEVIN: (VERIFIED, "kevin-holland-x"),
        KYLE: (VERIFIED, "kyle-nelson-1"),
        MARCO: (VERIFIED, "marco-moreno"),
        MARCO2: (REVIEW, "marco-moreno"),
        MIKE: (VERIFIED, "mike-malott"),
        MILES: (UNMATCHED, None),
    }
    for fid, r in rows.items():
        assert r["letter"] == _letter(fid)
        assert 0 <= r["confidence"] <= 100
        assert r["reasons"], fid
        assert (r["athlete"] is None) == (r["status"] == UNMATCHED)
    assert rows[KAI]["confidence"] > 99
    assert any("same date of birth (1993-03-26)" in x for x in rows[KAI]["reasons"])
    assert rows[KAI]["athlete"]["birth_date"] == "1993-03-26"
    assert any("different date of birth" in x for x in rows[KHALIL]["reasons"])
    assert any("found by name" in x for x in rows[KEVIN]["reasons"])
    assert rows[KYLE]["reasons"][0] == "slug set in ufccom_slugs.csv"
    assert rows[MARCO2]["reasons"][0] == f"{CLAIMED_BY} {MARCO}"
    assert rows[MILES]["reasons"] == ["no UFC.com athlete page found (tried no slug)"]
    # metadata: counts, the review table, the pictures
    md = result.metadata()
    assert (md["verified"], md["review"], md["unmatched"]) == (5, 1, 2)
    assert md["dagster/row_count"] == 8 and md["ufccom_enabled"] is True
    assert md["per_letter"] == {"k": 4, "m": 4}
    table = md["review_rows"]
    assert isinstance(table, Table) and table.columns == REVIEW_COLUMNS
    assert [r["ufcstats_id"] for r in table.rows] == [MARCO2]
    assert table.rows[0]["reason"].startswith(f"{CLAIMED_BY} {MARCO}")
    assert isinstance(md["confidence_histogram"], Markdown)
    assert "data:image/png;base64," in md["confidence_histogram"].text
    assert len(result.best_confidence) == 8 and result.best_confidence.count(None) == 1
    check = {c.name: c for c in result.checks()}["no_shared_ufccom_slug"]
    assert check.passed, check.description


def test_rerun_writes_the_same_rows(settings: Settings) -> None:
    ufc_com_matches_step(settings, ["k", "m"])
    before = {x: settings.processed.path("ufc_com_matches", x).read_bytes() for x in "km"}
    ufc_com_matches_step(settings, ["k", "m"])
    after = {x: settings.processed.path("ufc_com_matches", x).read_bytes() for x in "km"}
    assert after == before


def test_one_letter_at_a_time_gives_the_same_decisions(settings: Settings, tmp_path: Path):
    together = _settings(tmp_path / "together")
    _write_inputs(together)
    ufc_com_matches_step(together, ["k", "m"])
    # m first: k's fighters compete for slugs without being written
    first = ufc_com_matches_step(settings, ["m"])
    assert first.stats["competing_fighters_not_written"] == 4
    assert settings.processed.read("ufc_com_matches", "k") is None
    second = ufc_com_matches_step(settings, ["k"])
    assert second.stats["fixed_claims"] == 2  # marco-moreno, mike-malott
    assert _stored(settings) == _stored(together)


def test_a_slug_verified_in_another_letter_is_a_fixed_claim(settings: Settings) -> None:
    settings.processed.write(
        "ufc_com_matches",
        "z",
        {
            "letter": "z",
            "rows": [{"ufcstats_id": OTHER_Z, "slug": "kai-kara-france", "status": VERIFIED}],
        },
    )
    result = ufc_com_matches_step(settings, ["k", "m"])
    kai = _stored(settings)[KAI]
    assert kai["status"] == REVIEW and kai["slug"] == "kai-kara-france"
    assert kai["reasons"][0] == f"{CLAIMED_BY} {OTHER_Z}"
    assert {c.name: c for c in result.checks()}["no_shared_ufccom_slug"].passed


def test_the_check_reads_every_letter_and_fails_on_a_shared_slug(settings: Settings) -> None:
    for letter, fid in (("y", OTHER_Y), ("z", OTHER_Z)):
        settings.processed.write(
            "ufc_com_matches",
            letter,
            {
                "letter": letter,
                "rows": [{"ufcstats_id": fid, "slug": "someone", "status": VERIFIED}],
            },
        )
    result = ufc_com_matches_step(settings, ["k", "m"])
    check = {c.name: c for c in result.checks()}["no_shared_ufccom_slug"]
    assert not check.passed
    assert check.details["shared"] == {"someone": [OTHER_Y, OTHER_Z]}
    assert "1 UFC.com slug(s) verified for two fighters" in check.description


def test_a_page_not_read_this_run_keeps_the_previous_athlete(settings: Settings) -> None:
    ufc_com_matches_step(settings, ["k", "m"])
    rows = json.loads(json.dumps(ATHLETE_ROWS))
    rows["k"][0] = _row(KAI, "failed", "kai-kara-france", "derived", None, "HTTP 503")
    _write_inputs(settings, rows)
    ufc_com_matches_step(settings, ["k", "m"])
    kai = _stored(settings)[KAI]
    assert (kai["status"], kai["slug"]) == (VERIFIED, "kai-kara-france")
    assert "HTTP 503" in kai["reasons"][0]
    assert kai["athlete"]["birth_date"] == "1993-03-26"
    # never read at all: unmatched, saying why
    fresh = _settings(settings.data_dir.parent / "fresh")
    _write_inputs(fresh, rows)
    ufc_com_matches_step(fresh, ["k", "m"])
    kai = _stored(fresh)[KAI]
    assert kai["status"] == UNMATCHED
    assert kai["reasons"] == ["UFC.com page not read: HTTP 503"]


def test_division_from_the_latest_bout_on_the_stored_cards(settings: Settings) -> None:
    cards = settings.processed.root / "fight_cards"
    cards.mkdir(parents=True)
    bout = {
        "fight_id": "f1",
        "fighter1_id": MIKE,
        "fighter1_name": "Mike Malott",
        "fighter2_id": "x" * 16,
        "fighter2_name": "Someone",
        "result": "win",
        "weight_class": "Welterweight Bout",
    }
    older = {**bout, "fight_id": "f0", "weight_class": "Lightweight Bout"}
    events = {
        "e1": {"event_id": "e1", "date": "2024-05-04", "bouts": [bout]},
        "e0": {"event_id": "e0", "date": "2022-01-15", "bouts": [older]},
    }
    (cards / "2024-05.json").write_text(json.dumps({"events": events}))
    rows = json.loads(json.dumps(ATHLETE_ROWS))
    rows["m"][2]["athlete"]["division"] = "Welterweight"
    _write_inputs(settings, rows)
    ufc_com_matches_step(settings, ["m"])
    mike = _stored(settings, ("m",))[MIKE]
    assert any(
        "same division (latest UFC bout at Welterweight vs UFC.com Welterweight)" in x
        for x in mike["reasons"]
    )


def test_disabled_writes_empty_rows_and_says_so(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "data", enabled=False)  # no input written at all
    result = ufc_com_matches_step(settings, ["k", "m"])
    assert isinstance(result, UfcComMatchesResult)
    for letter in ("k", "m"):
        stored = settings.processed.require("ufc_com_matches", letter)
        assert stored == {"letter": letter, "rows": [], "disabled": True}
    md = result.metadata()
    assert md["ufccom_enabled"] is False and md["note"] == DISABLED_NOTE
    assert (md["dagster/row_count"], md["verified"], md["review"], md["unmatched"]) == (0, 0, 0, 0)
    assert all(c.passed for c in result.checks())


def test_missing_athletes_output_names_what_to_do(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "data")
    with pytest.raises(FileNotFoundError, match="materialize ufc_com_athletes"):
        ufc_com_matches_step(settings, ["k"])


def test_settings_replace_keeps_thresholds(settings: Settings) -> None:
    """A higher auto threshold sends a plain-but-undated match to review."""
    strict = dataclasses.replace(
        settings, assign=dataclasses.replace(settings.assign, auto_threshold=99.5)
    )
    ufc_com_matches_step(strict, ["m"])
    mike = _stored(strict, ("m",))[MIKE]
    assert mike["status"] == REVIEW
    assert any("below the auto threshold 100" in x for x in mike["reasons"])


def test_an_id_listed_on_two_letters_gets_one_decision_in_both(settings: Settings) -> None:
    """A drifted list shows Kai on letter m too: one decision, written to both letters."""
    store = settings.processed
    listed = store.require("fighters_list", "m")
    kai = next(r for r in store.require("fighters_list", "k")["rows"] if r["ufcstats_id"] == KAI)
    store.write("fighters_list", "m", {**listed, "rows": [*listed["rows"], kai]})
    result = ufc_com_matches_step(settings, ["k", "m"])
    k_rows = {r["ufcstats_id"]: r for r in store.require("ufc_com_matches", "k")["rows"]}
    m_rows = {r["ufcstats_id"]: r for r in store.require("ufc_com_matches", "m")["rows"]}
    assert (k_rows[KAI]["status"], k_rows[KAI]["slug"]) == (VERIFIED, "kai-kara-france")
    assert {**m_rows[KAI], "letter": "k"} == k_rows[KAI]
    assert result.per_letter == {"k": 4, "m": 5}
    assert {c.name: c for c in result.checks()}["no_shared_ufccom_slug"].passed


def test_athletes_read_with_ufccom_off_say_so(settings: Settings) -> None:
    settings.processed.write(
        "ufc_com_athletes", "k", {"letter": "k", "enabled": False, "rows": [], "discovered": []}
    )
    ufc_com_matches_step(settings, ["k"])
    rows = _stored(settings, ("k",))
    assert {r["status"] for r in rows.values()} <= {UNMATCHED, REVIEW}
    assert rows[KYLE]["status"] == UNMATCHED
    assert rows[KYLE]["reasons"] == [
        "ufc_com_athletes ran with UFC.com off: materialize it again with UFCCOM_ENABLED on"
    ]


def test_unchanged_inputs_give_the_last_result_without_deciding_again(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = ufc_com_matches_step(settings, ["k", "m"])
    said: list[str] = []

    def no_read(*a: Any, **k: Any) -> Any:
        raise AssertionError("inputs read again")

    with monkeypatch.context() as m:
        m.setattr(step, "_read", no_read)
        again = ufc_com_matches_step(settings, ["k", "m"], log=said.append)
    assert "inputs unchanged" in said[0]
    assert (again.rows, again.per_letter) == (first.rows, first.per_letter)
    assert again.stats == first.stats
    assert again.best_confidence == first.best_confidence
    assert again.metadata().keys() == first.metadata().keys()
    # another letter set, or a changed input, is decided again
    with monkeypatch.context() as m:
        m.setattr(step, "_read", no_read)
        with pytest.raises(AssertionError, match="inputs read again"):
            ufc_com_matches_step(settings, ["m"])
    rows = json.loads(json.dumps(ATHLETE_ROWS))
    rows["k"][0] = _row(KAI, "failed", "kai-kara-france", "derived", None, "HTTP 503")
    _write_inputs(settings, rows)
    redone = ufc_com_matches_step(settings, ["k", "m"], log=said.append)
    assert "inputs unchanged" not in said[-1]
    assert "HTTP 503" in _stored(settings)[KAI]["reasons"][0] and redone.rows != first.rows


def test_every_letter_unchanged_gives_the_same_checks(settings: Settings) -> None:
    store = settings.processed
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    for letter in letters:
        if letter in ("k", "m"):
            continue
        store.write("fighters_list", letter, {"letter": letter, "rows": []})
        store.write("fighter_details", letter, {"letter": letter, "fighters": {}})
        store.write("ufc_com_athletes", letter, {"letter": letter, "rows": [], "discovered": []})
    first = ufc_com_matches_step(settings, letters)
    said: list[str] = []
    again = ufc_com_matches_step(settings, letters, log=said.append)
    assert "inputs unchanged" in said[0]
    assert (again.rows, again.per_letter) == (first.rows, first.per_letter)
    assert (again.shared, again.two_slugs) == (first.shared, first.two_slugs)
    assert [c.passed for c in again.checks()] == [c.passed for c in first.checks()]
    assert [c.description for c in again.checks()] == [c.description for c in first.checks()]
