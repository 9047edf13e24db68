"""UFC.com athlete <-> UFCStats fighter: the evidence of one pair, and the one-to-one decision.

Made-up pairs only (no page, no HTTP): each test changes one piece of evidence of an
otherwise plain pair and checks the confidence, the reasons and the status it leads to.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

import pytest

from ufc_pipeline.matching.assign import AssignSettings
from ufc_pipeline.matching.ufccom import (
    CLAIMED_BY,
    REVIEW,
    UNMATCHED,
    VERIFIED,
    assign_slugs,
    class_of_weight,
    division_of,
    fighter_facts,
    fighters_with_two_slugs,
    score_athlete,
    shared_slugs,
)

SETTINGS = AssignSettings()  # the project's thresholds: auto 70, review floor 30
ID_A, ID_B, ID_C = "a" * 16, "b" * 16, "c" * 16


def _fighter(
    first: str = "Bruno",
    last: str = "Silva",
    *,
    fid: str = ID_A,
    nickname: str | None = None,
    record: tuple[int, int, int] = (23, 8, 0),
    dob: str | None = "1989-07-13",
    weight: float = 185.0,
    weight_class: str | None = None,
) -> dict[str, Any]:
    row = {
        "ufcstats_id": fid,
        "first_name": first,
        "last_name": last,
        "nickname": nickname,
        "height_in": 72.0,
        "weight_lbs": weight,
        "reach_in": 74.0,
        "stance": "Orthodox",
        "wins": record[0],
        "losses": record[1],
        "draws": record[2],
        "belt": False,
    }
    details = {"name": f"{first} {last}", "dob": dob, "fights": []}
    return fighter_facts(row, details, weight_class, dt.date(2025, 6, 1))


def _athlete(
    name: str = "Bruno Silva",
    *,
    slug: str = "bruno-silva",
    nickname: str | None = None,
    record: tuple[int, int, int] | None = (23, 8, 0),
    birth_date: str | None = None,
    division: str | None = "Middleweight",
    age: int | None = None,
) -> dict[str, Any]:
    """A ``UfcComAthlete.to_dict()`` of the documented shape."""
    wins, losses, draws = record if record else (None, None, None)
    return {
        "slug": slug,
        "url": f"https://www.ufc.com/athlete/{slug}",
        "name": name,
        "nickname": nickname,
        "division": division,
        "wins": wins,
        "losses": losses,
        "draws": draws,
        "status": "Active",
        "place_of_birth": None,
        "place_label": None,
        "trains_at": None,
        "age": age,
        "birth_date": birth_date,
        "height_in": None,
        "weight_lbs": None,
        "reach_in": None,
        "leg_reach_in": None,
        "octagon_debut": None,
        "image_url": None,
        "image_placeholder": True,
        "tags": [],
    }


def _cand(fighter: dict[str, Any], athlete: dict[str, Any], **extra: Any) -> dict[str, Any]:
    confidence, reasons = score_athlete(fighter, athlete)
    return {
        "ufcstats_id": fighter["ufcstats_id"],
        "slug": athlete["slug"],
        "confidence": confidence,
        "reasons": reasons,
        "athlete": athlete,
        **extra,
    }


def _decide(*cands: dict[str, Any], **kw: Any) -> dict[str, dict[str, Any]]:
    return {d["ufcstats_id"]: d for d in assign_slugs(cands, SETTINGS, **kw)}


def _has(reasons: list[str], text: str) -> bool:
    return any(text in r for r in reasons)


# ---------------------------------------------------------------- evidence of one pair


def test_plain_pair_is_verified_with_its_reasons() -> None:
    conf, reasons = score_athlete(_fighter(), _athlete(birth_date="1989-07-13"))
    assert conf > 99
    assert reasons[0].startswith("+ names identical")
    assert _has(reasons, "same date of birth (1989-07-13)")
    assert _has(reasons, "record identical (23-8-0 vs UFC.com 23-8-0)")
    assert _has(reasons, "same division")
    assert _decide(_cand(_fighter(), _athlete()))[ID_A]["status"] == VERIFIED


def test_same_name_other_person_with_another_birth_date_is_not_verified() -> None:
    fighter = _fighter()
    other = _athlete(birth_date="1993-02-02")
    conf, reasons = score_athlete(fighter, other)
    assert conf < SETTINGS.review_floor
    assert _has(reasons, "- different date of birth (1989-07-13 vs UFC.com 1993-02-02)")
    d = _decide(_cand(fighter, other), fighters={ID_A: ""})[ID_A]
    assert d["status"] == UNMATCHED
    assert d["slug"] is None and d["athlete"] is None
    assert _has(d["reasons"], "best UFC.com athlete bruno-silva scores")


def test_a_birth_date_one_day_off_is_doubtful_not_ruled_out() -> None:
    near, reasons = score_athlete(_fighter(), _athlete(birth_date="1989-07-14"))
    unknown, _ = score_athlete(_fighter(), _athlete(birth_date=None))
    far, _ = score_athlete(_fighter(), _athlete(birth_date="1979-01-30"))
    assert _has(reasons, "- date of birth nearly the same (1989-07-13 vs UFC.com 1989-07-14)")
    assert far < 5 < SETTINGS.review_floor < near < unknown
    # with the name alone besides it, the pair waits for a person
    alone, _ = score_athlete(_fighter(), _athlete(birth_date="1989-07-14", record=None))
    assert SETTINGS.review_floor <= alone < SETTINGS.auto_threshold


def test_age_when_the_page_has_no_birth_date() -> None:
    fits, reasons = score_athlete(_fighter(), _athlete(age=35))  # 35 on 2025-06-01
    assert _has(reasons, "UFC.com age 35 fits")
    off, reasons = score_athlete(_fighter(), _athlete(age=29))
    assert _has(reasons, "- UFC.com age 29, 35 expected")
    assert fits > off


@pytest.mark.parametrize(
    ("ours", "theirs", "why"),
    [
        (("Jingliang", "Li"), "Li Jingliang", "names reordered"),
        (("José", "Aldo"), "Jose Aldo", "names identical after normalisation"),
        (("Raul", "Rosas Jr."), "Raul Rosas", "identical apart from a suffix"),
        (("Rafael", "dos Anjos"), "Rafael Dos Anjos", "names identical"),
        (("Antônio Carlos", "Junior"), "Antonio Carlos Junior", "names identical"),
        (("Alexander", "Volkanovski"), "Alex Volkanovski", "forms of one name"),
        (("Mackenzie", "Dern"), "Mackenzie Kelly Dern", "extra middle/family names"),
    ],
)
def test_names_written_differently_still_verify(
    ours: tuple[str, str], theirs: str, why: str
) -> None:
    fighter = _fighter(*ours)
    conf, reasons = score_athlete(fighter, _athlete(theirs, record=(23, 8, 0)))
    assert _has(reasons[:1], why)
    assert conf >= SETTINGS.auto_threshold
    assert _decide(_cand(fighter, _athlete(theirs)))[ID_A]["status"] == VERIFIED


def test_another_name_with_nothing_else_in_common_is_not_verified() -> None:
    fighter = _fighter("Bruno", "Silva")
    other = _athlete("Brunno Ferreira", slug="brunno-ferreira", record=(12, 2, 0))
    conf, reasons = score_athlete(fighter, other)
    assert conf < SETTINGS.review_floor
    assert reasons[0].startswith("- ")


def test_nickname_counts_and_can_stand_for_the_first_name() -> None:
    fighter = _fighter(nickname="Blindado")
    same, reasons = score_athlete(fighter, _athlete(nickname="Blindado", record=None))
    assert _has(reasons, '+ same nickname "Blindado"')
    other, reasons = score_athlete(fighter, _athlete(nickname="Shadow", record=None))
    assert _has(reasons, '- different nicknames ("Blindado" vs "Shadow")')
    assert same > other
    souza = _fighter("Ronaldo", "Souza", nickname="Jacare")
    conf, reasons = score_athlete(souza, _athlete("Jacare Souza", slug="jacare-souza"))
    assert _has(reasons[:1], 'nickname "Jacare" used as first name')
    assert conf >= SETTINGS.auto_threshold


def test_record_one_or_two_bouts_behind_still_verifies_far_off_does_not() -> None:
    fighter = _fighter(dob=None)  # no birth date on either side: the record decides
    for behind in ((22, 8, 0), (23, 7, 0), (22, 7, 0)):
        conf, reasons = score_athlete(fighter, _athlete(record=behind))
        assert _has(reasons, "UFC.com record")
        assert _has(reasons, "behind")
        assert conf >= SETTINGS.auto_threshold
        assert _decide(_cand(fighter, _athlete(record=behind)))[ID_A]["status"] == VERIFIED
    near, _ = score_athlete(fighter, _athlete(record=(24, 8, 0)))  # UFC.com ahead by one
    assert near >= SETTINGS.auto_threshold
    far, reasons = score_athlete(fighter, _athlete(record=(9, 4, 1)))
    assert _has(reasons, "- record far apart (23-8-0 vs UFC.com 9-4-1)")
    assert far < SETTINGS.auto_threshold
    assert _decide(_cand(fighter, _athlete(record=(9, 4, 1))))[ID_A]["status"] != VERIFIED


def test_division_against_the_latest_weight_class() -> None:
    fighter = _fighter(dob=None, weight_class="Women's Bantamweight Bout")
    same, reasons = score_athlete(fighter, _athlete(division="Women's Bantamweight"))
    assert _has(reasons, "+ same division (latest UFC bout at Bantamweight")
    men, reasons = score_athlete(fighter, _athlete(division="Bantamweight"))
    assert _has(reasons, "- men's and women's divisions")
    far, reasons = score_athlete(_fighter(dob=None), _athlete(division="Flyweight"))
    assert _has(reasons, "- division 5 classes apart (listed at 185 lbs vs UFC.com Flyweight)")
    near, reasons = score_athlete(_fighter(dob=None), _athlete(division="Light Heavyweight"))
    assert _has(reasons, "division one class apart")
    assert same > near > far and same > men


def test_division_labels_and_weights() -> None:
    assert division_of("UFC Light Heavyweight Title Bout") == (7, False)
    assert division_of("Heavyweight") == (8, False)
    assert division_of("Women's Strawweight Bout") == (0, True)
    assert division_of("Lightweight") == (4, False)
    assert division_of("Catch Weight Bout") == (None, None)
    assert division_of(None) == (None, None)
    assert [class_of_weight(w) for w in (115, 125, 135, 145, 155, 170, 185, 205, 265)] == list(
        range(9)
    )
    assert class_of_weight(None) is None


def test_a_list_card_scores_with_what_it_has() -> None:
    card = {
        "slug": "bruno-silva",
        "name": "Bruno Silva",
        "nickname": None,
        "division": "Middleweight",
        "wins": 23,
        "losses": 8,
        "draws": 0,
        "image_url": None,
    }
    conf, reasons = score_athlete(_fighter(), card)
    assert conf >= SETTINGS.auto_threshold
    assert not _has(reasons, "date of birth")


# ---------------------------------------------------------------- one-to-one


def test_two_fighters_claiming_one_slug_one_verified_one_review() -> None:
    right = _fighter(fid=ID_A, dob="1989-07-13")
    namesake = _fighter(fid=ID_B, dob=None, record=(22, 6, 0))
    page = _athlete(birth_date="1989-07-13")
    d = _decide(_cand(namesake, page), _cand(right, page))
    assert d[ID_A]["status"] == VERIFIED and d[ID_A]["slug"] == "bruno-silva"
    assert d[ID_B]["status"] == REVIEW
    assert d[ID_B]["reasons"][0] == f"{CLAIMED_BY} {ID_A}"
    assert shared_slugs(d.values()) == {}


def test_a_near_tie_for_one_slug_verifies_nobody() -> None:
    one = _fighter(fid=ID_A, dob=None)
    two = _fighter(fid=ID_B, dob=None)
    page = _athlete()
    d = _decide(_cand(one, page), _cand(two, page))
    assert [d[ID_A]["status"], d[ID_B]["status"]] == [REVIEW, REVIEW]
    assert _has(d[ID_A]["reasons"], f"{CLAIMED_BY} {ID_B}")
    assert _has(d[ID_B]["reasons"], f"{CLAIMED_BY} {ID_A}")


def test_each_of_two_namesakes_gets_his_own_page() -> None:
    elder = _fighter(fid=ID_A, dob="1989-07-13")
    younger = _fighter(fid=ID_B, dob="1996-01-20", record=(8, 1, 0), weight=155)
    p1 = _athlete(slug="bruno-silva", birth_date="1989-07-13")
    p2 = _athlete(slug="bruno-silva-0", birth_date="1996-01-20", record=(8, 1, 0))
    p2["division"] = "Lightweight"
    d = _decide(*(_cand(f, p) for f in (elder, younger) for p in (p1, p2)))
    assert (d[ID_A]["status"], d[ID_A]["slug"]) == (VERIFIED, "bruno-silva")
    assert (d[ID_B]["status"], d[ID_B]["slug"]) == (VERIFIED, "bruno-silva-0")
    assert d[ID_A]["runner_up"]["slug"] == "bruno-silva-0"


def test_a_namesake_who_clearly_has_his_own_page_is_no_rival() -> None:
    """A's page is his beyond doubt; B's page is known only from a rankings card (name and
    division), which A also claims, less surely than B: B gets it."""
    a = _fighter(fid=ID_A, dob="1989-07-13", weight=125)
    b = _fighter(fid=ID_B, dob="1990-03-16", record=(6, 3, 0))
    page_a = _athlete(birth_date="1989-07-13", division="Flyweight")
    card_b = {"slug": "bruno-silva-0", "name": "Bruno Silva", "division": "Middleweight"}
    d = _decide(_cand(a, page_a), _cand(a, card_b), _cand(b, page_a), _cand(b, card_b))
    assert (d[ID_A]["status"], d[ID_A]["slug"]) == (VERIFIED, "bruno-silva")
    assert (d[ID_B]["status"], d[ID_B]["slug"]) == (VERIFIED, "bruno-silva-0")
    assert d[ID_B]["reasons"][0].startswith("+ names identical")


def test_a_close_runner_up_that_is_clearly_another_fighters_does_not_count() -> None:
    """Twins: Jake's only other close slug is his brother's page, clearly the brother's."""
    jake = _fighter("Jake", "Ellenberger", fid=ID_A, dob=None, weight=170)
    joe = _fighter("Joe", "Ellenberger", fid=ID_B, dob="1985-03-28", weight=170)
    card = {"slug": "jacob-ellenberger", "name": "Jacob Ellenberger", "division": "Welterweight"}
    joe_page = _athlete(
        "Joe Ellenberger", slug="joe-ellenberger", record=None, birth_date="1985-03-28"
    )
    joe_page["division"] = "Welterweight"
    cands = [_cand(jake, card), _cand(jake, joe_page), _cand(joe, joe_page), _cand(joe, card)]
    assert _logit_gap(cands[0], cands[1]) < 2  # on their own, too close to call
    d = _decide(*cands)
    assert (d[ID_B]["status"], d[ID_B]["slug"]) == (VERIFIED, "joe-ellenberger")
    assert (d[ID_A]["status"], d[ID_A]["slug"]) == (VERIFIED, "jacob-ellenberger")
    assert d[ID_A]["runner_up"]["slug"] == "joe-ellenberger"
    # without Joe's claim, the twin's page is a real alternative: review
    alone = _decide(cands[0], cands[1])[ID_A]
    assert alone["status"] == REVIEW
    assert _has(alone["reasons"], "runner-up slug joe-ellenberger")


def _logit_gap(a: dict[str, Any], b: dict[str, Any]) -> float:
    def logit(c: float) -> float:
        return math.log(c / (100 - c))

    return abs(logit(a["confidence"]) - logit(b["confidence"]))


def test_two_close_pages_for_one_fighter_go_to_review() -> None:
    fighter = _fighter(dob=None)
    d = _decide(
        _cand(fighter, _athlete(slug="bruno-silva")),
        _cand(fighter, _athlete(slug="bruno-silva-1", record=(22, 8, 0))),
    )[ID_A]
    assert d["status"] == REVIEW and d["slug"] == "bruno-silva"
    assert _has(d["reasons"], "runner-up slug bruno-silva-1")


def test_below_the_auto_threshold_is_review() -> None:
    fighter = _fighter(dob=None)
    weak = _athlete("Bruno Silvia", record=(20, 8, 0))
    conf, _ = score_athlete(fighter, weak)
    assert SETTINGS.review_floor <= conf < SETTINGS.auto_threshold
    d = _decide(_cand(fighter, weak))[ID_A]
    assert d["status"] == REVIEW and d["slug"] == "bruno-silva"
    assert _has(d["reasons"], "below the auto threshold 70")


def test_manual_slug_wins_and_fixed_claims_are_kept() -> None:
    fighter = _fighter(fid=ID_A)
    other = _fighter(fid=ID_B)
    manual = _cand(fighter, _athlete(slug="bs-manual", birth_date="2001-01-01"), manual=True)
    d = _decide(manual, _cand(other, _athlete(slug="bs-manual")))
    assert d[ID_A]["status"] == VERIFIED and d[ID_A]["reasons"][0].startswith("slug set in")
    assert d[ID_B]["status"] == REVIEW and d[ID_B]["reasons"][0] == f"{CLAIMED_BY} {ID_A}"
    d = _decide(_cand(fighter, _athlete()), fixed_claims={"bruno-silva": ID_C})
    assert d[ID_A]["status"] == REVIEW and d[ID_A]["reasons"][0] == f"{CLAIMED_BY} {ID_C}"


def test_fighter_without_candidate_is_unmatched_with_the_given_reason() -> None:
    d = _decide(fighters={ID_C: "no UFC.com athlete page found (tried bruno-silva)"})[ID_C]
    assert d == {
        "ufcstats_id": ID_C,
        "slug": None,
        "status": UNMATCHED,
        "confidence": 0.0,
        "reasons": ["no UFC.com athlete page found (tried bruno-silva)"],
        "athlete": None,
        "runner_up": None,
    }


def test_decisions_do_not_depend_on_candidate_order() -> None:
    fighters = [_fighter(fid=f"{i:016x}", dob=None, record=(20 + i % 3, 5, 0)) for i in range(6)]
    pages = [_athlete(slug=f"bruno-silva-{j}", record=(20 + j, 5, 0)) for j in range(3)]
    cands = [_cand(f, p) for f in fighters for p in pages]
    first = assign_slugs(cands, SETTINGS)
    for seed in range(5):
        shuffled = list(cands)
        random.Random(seed).shuffle(shuffled)
        assert assign_slugs(shuffled, SETTINGS) == first
    assert [d["ufcstats_id"] for d in first] == sorted(d["ufcstats_id"] for d in first)
    assert shared_slugs(first) == {}
    assert fighters_with_two_slugs(first) == {}


def test_shared_slug_helpers_count_only_verified_rows() -> None:
    rows = [
        {"ufcstats_id": ID_A, "slug": "x", "status": VERIFIED},
        {"ufcstats_id": ID_B, "slug": "x", "status": VERIFIED},
        {"ufcstats_id": ID_C, "slug": "x", "status": REVIEW},
        {"ufcstats_id": ID_C, "slug": "y", "status": VERIFIED},
        {"ufcstats_id": ID_C, "slug": "z", "status": VERIFIED},
    ]
    assert shared_slugs(rows) == {"x": [ID_A, ID_B]}
    assert fighters_with_two_slugs(rows) == {ID_C: ["y", "z"]}
