"""The review workflow end to end: report with both photos, terminal decisions obeyed."""

from __future__ import annotations

import io
import json

import pytest
from parsel import Selector
from PIL import Image

from tests.e2e.helpers import run_chain
from ufc_pipeline.processed import ProcessedStore
from ufc_pipeline.review_cli import review

pytestmark = pytest.mark.slow


def test_review_report_and_decisions(mirror, tmp_path):
    data = tmp_path / "data"
    # A threshold nobody reaches sends every match of a..c to review.
    result = run_chain(mirror, data, start="a", end="c", auto_threshold=100.0)
    assert result.success
    queue = json.loads((data / "review" / "queue.json").read_text())
    assert len(queue) >= 5
    page = Selector(text=(data / "review" / "index.html").read_text())
    sections = page.css("section.pair")
    assert len(sections) == len(queue)
    with_runner = 0
    for section, item in zip(sections, queue, strict=True):
        assert item["ufcstats_id"] in section.get()
        imgs = section.css("img.photo::attr(src)").getall()
        expected = 1 + (1 if item["runner_up_side"].get("photo") else 0)
        if item["candidate"].get("photo"):
            assert len(imgs) == expected
            for src in imgs:
                with Image.open(data / "review" / src) as im:
                    im.load()
                    assert im.width > 0
        with_runner += bool(item["runner_up_side"].get("photo"))
    assert with_runner, "some pending pair shows a runner-up photo"
    assert sum(bool(i["candidate"].get("photo")) for i in queue) >= 0.8 * len(queue)

    # Approve the first two, reject the third in the terminal flow; the next run obeys.
    first, second, third = queue[0], queue[1], queue[2]
    review(data, io.StringIO("a\na\nr\nq\n"), io.StringIO())
    again = run_chain(mirror, data, start="a", end="c", auto_threshold=100.0)
    assert again.success
    store = ProcessedStore(data)
    rows = {
        r["ufcstats_id"]: r for x in "abc" for r in store.require("verified_matches", x)["rows"]
    }
    assert rows[first["ufcstats_id"]]["status"] == "override"
    assert rows[first["ufcstats_id"]]["sherdog_id"] == first["sherdog_id"]
    assert rows[second["ufcstats_id"]]["status"] == "override"
    assert rows[third["ufcstats_id"]]["sherdog_id"] != third["sherdog_id"] or (
        rows[third["ufcstats_id"]]["status"] not in ("override", "auto_verified")
    )
