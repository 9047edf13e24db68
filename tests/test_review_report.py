"""The review report template: every pair shown with both sides, every value escaped."""

from __future__ import annotations

from parsel import Selector

from ufc_pipeline.steps.review import render_html


def _item(name: str, sid: int | None, photo: str | None) -> dict:
    side = {"sherdog_id": sid, "name": name, "dob": "1990-01-02", "record": "10-2-0"}
    return {
        "ufcstats_id": "0123456789abcdef",
        "name": name,
        "sherdog_id": sid,
        "confidence": 61.4,
        "ufcstats": {"name": name, "dob": "1990-01-02", "ufc_bouts": 3},
        "candidate": {**side, "photo": photo},
        "runner_up_side": {},
        "reasons": ["same date of birth"],
        "notes": ["weight differs <a lot>"],
    }


def test_pairs_sides_and_escaping() -> None:
    hostile = "<script>alert('x')</script> O'Neil"
    page = render_html(
        [_item(hostile, 123, "photos/123.jpg"), _item("Ana", None, None)], "http://s", 7
    )
    sel = Selector(text=page)
    assert sel.css("h1::text").get() == "Sherdog matches to review: 2"
    assert len(sel.css("section.pair")) == 2
    assert "<script>" not in page and "&lt;script&gt;" in page
    first = sel.css("section#pair-1")
    assert first.css("h2::text").get().startswith("1. <script>")  # text, not markup
    assert "confidence 61" in first.css("h2").xpath("string()").get()
    assert first.css("a::attr(href)").get() == "http://s/fighter/x-123"
    assert first.css("img.photo::attr(src)").get() == "photos/123.jpg"
    assert "no runner-up" in first.xpath("string()").get()
    assert [li.xpath("string()").get() for li in first.css(".why li")] == [
        "same date of birth",
        "weight differs <a lot>",
    ]
    born = first.xpath(".//th[.='Born']/following-sibling::td[1]/text()").getall()
    assert born[:2] == ["1990-01-02", "1990-01-02"]
    second = sel.css("section#pair-2")
    assert not second.css("a") and "proposed: no usable photo" in second.xpath("string()").get()
    assert "7 fighters are verified" in page


def test_nothing_to_review() -> None:
    page = render_html([], "http://s")
    assert "Nothing to review." in page and "review: 0" in page
