import io
import json

from ufc_pipeline.matching.assign import OVERRIDE, assign
from ufc_pipeline.matching.overrides import load_overrides
from ufc_pipeline.review_cli import review


def _queue(tmp_path, items):
    (tmp_path / "review").mkdir(parents=True)
    (tmp_path / "review" / "queue.json").write_text(json.dumps(items))


def _item(ufc, sid, conf=55.0):
    return {
        "ufcstats_id": ufc,
        "name": f"n{ufc}",
        "sherdog_id": sid,
        "sherdog_name": f"s{sid}",
        "confidence": conf,
        "reasons": ["+ name"],
        "notes": ["below threshold"],
        "runner_up": None,
    }


def test_review_writes_overrides_that_the_next_run_obeys(tmp_path):
    _queue(tmp_path, [_item("a", 1), _item("b", 2), _item("c", 3), _item("d", 4)])
    out = io.StringIO()
    counts = review(tmp_path, io.StringIO("a\nx\nr\ns\nn\n"), out)
    assert counts == {"approve": 1, "reject": 1, "none": 1, "skip": 1}
    assert "please answer" in out.getvalue()
    ov = load_overrides(tmp_path / "manual" / "sherdog_overrides.csv")
    assert ov.approved == {"a": 1}
    assert ov.is_rejected("b", 2)
    assert ov.no_match == {"d"}
    entries = [
        {
            "ufcstats_id": "a",
            "candidates": [
                {"sherdog_id": 1, "sherdog_name": "s1", "confidence": 55.0, "reasons": []}
            ],
        }
    ]
    rows = assign(entries, ov)
    assert rows[0]["status"] == OVERRIDE and rows[0]["sherdog_id"] == 1


def test_review_skips_decided_pairs_and_quits_cleanly(tmp_path):
    _queue(tmp_path, [_item("a", 1), _item("b", 2)])
    review(tmp_path, io.StringIO("a\nq\n"), io.StringIO())
    out = io.StringIO()
    review(tmp_path, io.StringIO("q\n"), out)
    assert "1 pair(s) to review" in out.getvalue()
    assert "UFCStats nb (b)" in out.getvalue()
    assert "UFCStats na (a)" not in out.getvalue()


def test_no_queue_says_what_to_do(tmp_path):
    out = io.StringIO()
    review(tmp_path, io.StringIO(""), out)
    assert "materialize verified_matches first" in out.getvalue()
