"""Parsers this project did not write read the mirror's pages as they read the real ones.

Witnesses (see ``witnesses.py``): ``ufcscraper`` and ``ufcstats`` from PyPI, and
Greco1899/scrape_ufc_stats. For every witness and page kind it reads:

1. on the real pages (``tests/fixtures/real/witness``) it extracts the hand-checked values
   (the upstream tests' expected rows for the anonymised pages, the page text otherwise);
2. on the mirror's pages of a 40-fighter world it extracts every key it extracts on the
   real pages, filled wherever a real page fills it, and values equal to the mirror's
   truth (the world it serves) or to this project's own parse of the same page;
3. on a deliberately broken mirror page (classes renamed, a node dropped, links moved)
   the same comparison reports problems, so these tests can fail.

Where a witness misreads a value it would misread on the real site too (a time of
``10:00`` read as ``0:00``, a label without a weight word), the expectation applies the
witness's own reading rule and says so. A disagreement on something the real page shows
is a mirror bug: mark that case ``xfail(strict=True)`` with the bug, never loosen it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bench.witness.greco import config as greco_config
from bench.witness.greco import library as greco_library
from tests.witness import witnesses as W
from tests.witness.checks import (
    BREAKERS,
    CHECKS,
    Case,
    Parts,
    check,
    drop_nickname,
    field_problems,
    id_of,
    rename_classes,
    rows_of,
)
from ufc_mirror.model import World

Fetch = Callable[[str], str | None]
pytestmark = pytest.mark.witness  # fast (no ``slow``): part of ``make test`` and ``test-fast``

# Real pages, at the URLs the witnesses ask for (see conftest.REAL_PAGES).
R_FIGHTER = "http://example.com/fighter1"
R_UFC330 = "http://ufcstats.com/event-details/b96619b3acd7d9da"
R_EVENT1 = "http://example.com/event-details/event1"
R_KO = "http://ufcstats.com/fight-details/d4bd456d70965734"
R_SUB = "http://example.com/fight-details/fight1"
R_DEC = "http://example.com/fight-details/fight3"


def _greco_as_real(url: str) -> str:
    """Greco asks for ``http://ufcstats.com/...`` where ufcscraper asks for ``www``."""
    return url.replace("http://ufcstats.com/statistics/", "http://www.ufcstats.com/statistics/")


# -- what each witness reads on the real pages ----------------------------------------------


def real_reading(case: Case, fetch: Fetch) -> Parts:
    """The witness's output on the real pages of this kind."""
    greco_fetch: Fetch = lambda url: fetch(_greco_as_real(url))  # noqa: E731
    match case:
        case ("ufcscraper", "fighters_list"):
            return {"urls": rows_of(W.ufcscraper_fighter_urls(fetch))}
        case ("greco", "fighters_list"):
            url = greco_library().generate_alphabetical_urls()[0]
            return {"rows": W.greco_fighters_list(greco_fetch, url)}
        case ("ufcscraper", "fighter"):
            return {"rows": W.ufcscraper_fighters(fetch, [R_FIGHTER]).rows}
        case ("ufcstats", "fighter"):
            return {"rows": [W.ufcstats_fighter(fetch, R_FIGHTER)]}
        case ("greco", "fighter"):
            return {"rows": [W.greco_fighter_tott(fetch, R_FIGHTER)]}
        case ("ufcscraper", "events_list"):
            return {"urls": rows_of(W.ufcscraper_event_urls(fetch))}
        case ("greco", "events_list"):
            return {"rows": W.greco_events(greco_fetch, greco_config()["completed_events_all_url"])}
        case ("ufcscraper", "event"):
            return {
                "rows": W.ufcscraper_events(fetch, [R_UFC330, R_EVENT1]).rows,
                "fight_urls": rows_of(W.ufcscraper_fight_urls(fetch, [R_UFC330])),
            }
        case ("greco", "event"):
            return {"rows": W.greco_event_fights(fetch, R_UFC330)}
        case ("ufcscraper", "fight"):
            run = W.ufcscraper_fights(fetch, [R_KO, R_SUB, R_DEC])
            return {"rows": run.rows, "rounds": run.extra}
        case ("greco", "fight"):
            results, stats = [], []
            for url in (R_KO, R_SUB, R_DEC):
                result, per_round = W.greco_fight(fetch, url)
                results.append(result)
                stats.extend(per_round)
            return {"rows": results, "rounds": stats}
    raise KeyError(case)


CASES: list[Case] = list(CHECKS)
CASE_IDS = [f"{w}-{k}" for w, k in CASES]


@pytest.fixture(scope="session")
def real_readings(real: Fetch) -> dict[Case, Parts]:
    return {case: real_reading(case, real) for case in CASES}


# -- (a) the real pages read as published ---------------------------------------------------


def test_ufcscraper_reads_real_pages(real_readings: dict[Case, Parts]) -> None:
    """The rows of the upstream tests (anonymised pages) and of the real UFC 330 pages."""
    r = real_readings
    assert sorted(id_of(x["url"]) for x in r["ufcscraper", "fighters_list"]["urls"]) == sorted(
        [f"fighter{i}" for i in range(1, 7)] + ["none", "fail"]
    )
    (fighter,) = r["ufcscraper", "fighter"]["rows"]
    assert fighter == {
        "fighter_id": "fighter1", "fighter_f_name": "John", "fighter_l_name": "Doe",
        "fighter_nickname": "The Phantom", "fighter_height_cm": "185.42",
        "fighter_weight_lbs": "170.0", "fighter_reach_cm": "190.5", "fighter_stance": "Orthodox",
        "fighter_dob": "1936-04-20", "fighter_w": "13", "fighter_l": "2", "fighter_d": "0",
        "fighter_nc_dq": "",
    }  # fmt: skip
    assert [id_of(x["url"]) for x in r["ufcscraper", "events_list"]["urls"]] == [
        "638cfec7ec559d6e", "2144954270be834d", "9d61d8cb1c354867", "a0a69dc9914ef6e1",
    ]  # fmt: skip
    events = {e["event_id"]: e for e in r["ufcscraper", "event"]["rows"]}
    assert events["b96619b3acd7d9da"] == {
        "event_id": "b96619b3acd7d9da", "event_name": "UFC 330: Makhachev vs. Machado Garry",
        "event_date": "2026-08-15", "event_city": "Philadelphia", "event_state": "Pennsylvania",
        "event_country": "USA",
    }  # fmt: skip
    assert events["event1"]["event_name"] == "Event 1: First"
    assert (events["event1"]["event_city"], events["event1"]["event_state"]) == (
        "Barcelona", "Catalonia",
    )  # fmt: skip
    assert sorted(id_of(x["url"]) for x in r["ufcscraper", "event"]["fight_urls"]) == [
        "365fd759c03e93cf", "4700d42c9869674a", "d4bd456d70965734",
    ]  # fmt: skip
    fights = {f["fight_id"]: f for f in r["ufcscraper", "fight"]["rows"]}
    assert fights["d4bd456d70965734"] == {
        "fight_id": "d4bd456d70965734", "event_id": "b96619b3acd7d9da",
        "referee": "Jason Herzog", "fighter_1": "4d8fa64202cee4c1",
        "fighter_2": "ec13c393d029297d", "winner": "4d8fa64202cee4c1", "num_rounds": "3",
        "title_fight": "F", "weight_class": "Lightweight", "gender": "M", "result": "KO/TKO",
        "result_details": "Punches to Head On Ground", "finish_round": "1",
        "finish_time": "0:39", "time_format": "3 Rnd (5-5-5)", "scores_1": "", "scores_2": "",
    }  # fmt: skip
    sub, dec = fights["fight1"], fights["fight3"]
    assert (sub["winner"], sub["result"], sub["result_details"], sub["finish_time"]) == (
        "fighter2", "Submission", "Rear Naked Choke", "1:44",
    )  # fmt: skip
    assert (dec["winner"], dec["result"], dec["result_details"], dec["gender"]) == (
        "fighter5", "Decision", "Unanimous", "F",
    )  # fmt: skip
    assert (dec["weight_class"], dec["scores_1"], dec["scores_2"]) == (
        "Women's Bantamweight", "150", "134",
    )  # fmt: skip
    rounds = r["ufcscraper", "fight"]["rounds"]
    per_fight = {f: sum(1 for x in rounds if x["fight_id"] == f) for f in fights}
    assert per_fight == {"d4bd456d70965734": 2, "fight1": 2, "fight3": 10}
    turner = next(x for x in rounds if x["fighter_id"] == "4d8fa64202cee4c1")
    assert (turner["knockdowns"], turner["strikes_succ"], turner["strikes_att"]) == ("1", "9", "14")
    assert (turner["head_strikes_succ"], turner["ground_strikes_succ"]) == ("8", "8")


def test_ufcstats_reads_real_fighter_page(real_readings: dict[Case, Parts]) -> None:
    (stats,) = real_readings["ufcstats", "fighter"]["rows"]
    assert stats == {
        "Name": "John Doe", "Nick": "The Phantom", "Height:": "6' 1\"", "Weight:": "170 lbs.",
        "Reach:": '75"', "STANCE:": "Orthodox", "DOB:": "Apr 20, 1936",
    }  # fmt: skip


def test_greco_reads_real_pages(real_readings: dict[Case, Parts]) -> None:
    r = real_readings
    listed = r["greco", "fighters_list"]["rows"]
    assert len(listed) == 8
    assert listed[0] == {
        "FIRST": "John", "LAST": "Doe", "NICKNAME": "The Phantom",
        "URL": "http://example.com/fighter1",
    }  # fmt: skip
    (tott,) = r["greco", "fighter"]["rows"]
    assert (tott["FIGHTER"], tott["DOB"], tott["HEIGHT"], tott["STANCE"]) == (
        "John Doe", "Apr 20, 1936", "6' 1\"", "Orthodox",
    )  # fmt: skip
    assert r["greco", "events_list"]["rows"][0] == {
        "EVENT": "UFC Fight Night: Hooker vs. Parnasse",
        "URL": "http://ufcstats.com/event-details/2144954270be834d",
        "DATE": "September 05, 2026", "LOCATION": "Paris, Ile-de-France, France",
    }  # fmt: skip
    assert len(r["greco", "events_list"]["rows"]) == 3  # the upcoming first row is skipped
    card = {id_of(x["URL"]): x for x in r["greco", "event"]["rows"]}
    assert sorted(card) == ["365fd759c03e93cf", "4700d42c9869674a", "d4bd456d70965734"]
    assert card["d4bd456d70965734"]["BOUT"] == "Jalin Turner vs. Kaue Fernandes"
    assert card["d4bd456d70965734"]["EVENT"] == "UFC 330: Makhachev vs. Machado Garry"
    ko, sub, dec = r["greco", "fight"]["rows"]
    assert {k: ko[k].strip() for k in ("BOUT", "OUTCOME", "METHOD", "ROUND", "TIME")} == {
        "BOUT": "Jalin Turner vs. Kaue Fernandes", "OUTCOME": "W/L", "METHOD": "KO/TKO",
        "ROUND": "1", "TIME": "0:39",
    }  # fmt: skip
    assert (ko["REFEREE"], ko["WEIGHTCLASS"]) == ("Jason Herzog", "Lightweight Bout")
    assert (sub["OUTCOME"], sub["DETAILS"]) == ("L/W", "Rear Naked Choke")
    assert dec["DETAILS"].startswith("Mike Bell 44 - 50.")
    assert len(r["greco", "fight"]["rounds"]) == 2 + 2 + 10


# -- (b) and (c): the mirror's pages read like the real ones --------------------------------


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_mirror_pages_read_like_real_pages(
    case: Case, mirror: Fetch, world: World, real_readings: dict[Case, Parts]
) -> None:
    parts, problems = check(case, mirror, world)
    problems += field_problems(case, real_readings[case], parts)
    assert not problems, "\n".join(problems[:20])


# -- the comparison can fail: deliberately broken mirror pages ------------------------------


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_broken_mirror_pages_are_caught(
    case: Case, mirror: Fetch, world: World, real_readings: dict[Case, Parts]
) -> None:
    breaker = BREAKERS[case]

    def broken(url: str) -> str | None:
        text = mirror(url)
        return breaker(text) if text is not None else None

    parts, problems = check(case, broken, world, small=True)
    problems += field_problems(case, real_readings[case], parts)
    assert problems, f"{breaker.__name__} went unnoticed by {case}"


def test_the_breakers_break_real_pages_too(real: Fetch) -> None:
    """The witnesses fail on the real pages broken the same way (the breakage is real)."""
    run = W.ufcscraper_fighters(lambda u: rename_classes(real(u) or ""), [R_FIGHTER])
    assert run.errors and not run.rows
    with pytest.raises(AttributeError):  # no other paragraph on the page
        W.ufcstats_fighter(lambda u: drop_nickname(real(u) or ""), R_FIGHTER)
