import datetime as dt

from ufc_pipeline.matching.assign import (
    AUTO,
    OVERRIDE,
    REVIEW,
    UNMATCHED,
    assign,
    shared_sherdog_ids,
)
from ufc_pipeline.matching.overrides import Override, append_decisions, load_overrides
from ufc_pipeline.matching.score import FighterProfile, score_candidate
from ufc_pipeline.parsing.records import SherdogFight, SherdogFighter, SherdogSearchResult


def _row(sid, name, nick=None, h=70.0, w=155.0):
    return SherdogSearchResult(sid, name, nick, h, w, None, f"/fighter/x-{sid}")


def _page(sid, name, wins, losses, ufc=True, dob=None, w=155.0):
    fights = [
        SherdogFight(
            "pro",
            "win",
            "Some One",
            1,
            "UFC 300 - A vs. B" if ufc else "LFA 1",
            2,
            dt.date(2020, 1, 1),
            "KO (Punches)",
            None,
            1,
            "1:00",
        )
    ]
    return SherdogFighter(
        sid, name, None, None, dob, None, None, 70.0, w, None, None, wins, losses, 0, 0, fights
    )


PROFILE = FighterProfile("aaaaaaaaaaaaaaaa", "Bruno Silva", None, 70.0, 185.0, 23, 8, 0)


def test_same_name_other_person_is_ruled_out_by_page_evidence():
    right = score_candidate(
        PROFILE, _row(1, "Bruno Silva", w=185), _page(1, "Bruno Silva", 23, 8, w=185)
    )
    wrong = score_candidate(
        PROFILE, _row(2, "Bruno Silva", w=155), _page(2, "Bruno Silva", 5, 1, ufc=False, w=155)
    )
    assert right.confidence > 95
    assert wrong.confidence < 10
    assert any("record identical" in r for r in right.reasons)
    assert any("no UFC fight" in r for r in wrong.reasons)


def test_dob_disagreement_nearly_rules_out():
    p = FighterProfile(
        "b" * 16, "Bruno Silva", None, 70.0, 185.0, 23, 8, 0, dob=dt.date(1989, 7, 13)
    )
    s = score_candidate(
        p,
        _row(1, "Bruno Silva", w=185),
        _page(1, "Bruno Silva", 23, 8, dob=dt.date(1990, 3, 16), w=185),
    )
    assert s.confidence < 50


def _entry(ufc, *cands):
    return {
        "ufcstats_id": ufc,
        "name": ufc,
        "candidates": [
            {"sherdog_id": sid, "sherdog_name": f"s{sid}", "confidence": c, "reasons": []}
            for sid, c in cands
        ],
    }


def _ov(tmp_path, rows=()):
    path = tmp_path / "o.csv"
    if rows:
        append_decisions(path, list(rows))
    return load_overrides(path)


def test_one_sherdog_id_per_fighter_globally(tmp_path):
    rows = assign([_entry("a", (1, 99.0)), _entry("b", (1, 95.0), (2, 40.0))], _ov(tmp_path))
    by = {r["ufcstats_id"]: r for r in rows}
    assert by["a"]["status"] == AUTO and by["a"]["sherdog_id"] == 1
    # b's best candidate went to a; its remaining candidate is weak and b is sent to review
    assert by["b"]["sherdog_id"] != 1 or by["b"]["status"] != AUTO
    assert shared_sherdog_ids(rows) == {}


def test_ambiguous_pair_goes_to_review(tmp_path):
    rows = assign([_entry("a", (1, 90.0), (2, 85.0))], _ov(tmp_path))
    assert rows[0]["status"] == REVIEW
    assert "too close" in " ".join(rows[0]["notes"])


def test_below_threshold_and_floor(tmp_path):
    rows = assign([_entry("a", (1, 60.0)), _entry("b", (2, 10.0)), _entry("c")], _ov(tmp_path))
    assert [r["status"] for r in rows] == [REVIEW, UNMATCHED, UNMATCHED]


def test_overrides_win_and_reject(tmp_path):
    ov = _ov(tmp_path, [Override("a", 2, "approve"), Override("b", 3, "reject")])
    rows = assign([_entry("a", (1, 99.0), (2, 20.0)), _entry("b", (3, 99.0))], ov)
    by = {r["ufcstats_id"]: r for r in rows}
    assert by["a"]["status"] == OVERRIDE and by["a"]["sherdog_id"] == 2
    assert by["b"]["status"] == UNMATCHED


def test_fixed_claims_from_other_partitions(tmp_path):
    rows = assign([_entry("a", (1, 99.0))], _ov(tmp_path), fixed_claims={1: "zzz"})
    assert rows[0]["status"] != AUTO


def test_later_override_lines_win(tmp_path):
    ov = _ov(tmp_path, [Override("a", 2, "approve"), Override("a", 2, "reject")])
    assert "a" not in ov.approved and ov.is_rejected("a", 2)
