"""The pictures of the run reports: decoded with Pillow, bars measured in pixels."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import random
import re
import uuid
from collections.abc import Sequence
from pathlib import Path

import dagster as dg
import pytest
from PIL import Image
from sqlalchemy import Engine, create_engine, insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.schema import CreateSchema, DropSchema

from ufc_pipeline.defs.materialize import metadata_value
from ufc_pipeline.matching.assign import AssignSettings
from ufc_pipeline.steps import charts
from ufc_pipeline.steps.charts import (
    BAR,
    PALETTE,
    PLOT_H,
    REJECT_FILL,
    THUMB,
    TILE_W,
    TITLE_H,
    Picture,
    Tile,
)
from ufc_pipeline.steps.fights import FightsResult
from ufc_pipeline.steps.images import ImagesResult
from ufc_pipeline.steps.matching import VerifyResult
from ufc_pipeline.steps.report import Markdown
from ufc_pipeline.steps.ufcstats import ListResult
from ufc_pipeline.warehouse import ensure_schema, make_engine
from ufc_pipeline.warehouse.schema import fights
from ufc_pipeline.warehouse.stats import fights_per_year

PG_URL = os.environ.get("UFC_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")

Color = tuple[int, int, int]
IMAGE_MD = re.compile(r"!\[([^\]]*)\]\(data:(image/[a-z]+);base64,([A-Za-z0-9+/=]+)\)")


def decode(pic: Picture) -> Image.Image:
    img = Image.open(io.BytesIO(pic.data))
    assert img.format == {"image/png": "PNG", "image/jpeg": "JPEG"}[pic.mime]
    assert img.size == pic.size
    return img.convert("RGB")


def runs(img: Image.Image, color: Color, top: int = TITLE_H) -> list[tuple[int, int, int]]:
    """Vertical bars of exactly ``color`` below ``top`` (the title, or the legend): (first x,
    last x, height in pixels), left to right; a bar's height is its tallest column's count."""
    px = img.load()
    heights = [sum(px[x, y] == color for y in range(top, img.height)) for x in range(img.width)]
    out: list[tuple[int, int, int]] = []
    start = None
    for x, h in enumerate([*heights, 0]):
        if h and start is None:
            start = x
        elif not h and start is not None:
            out.append((start, x - 1, max(heights[start:x])))
            start = None
    return out


def assert_proportional(heights: Sequence[int], values: Sequence[float]) -> None:
    """Heights follow the values to a pixel, and the tallest bar uses most of the plot."""
    top = max(values)
    tallest = max(heights)
    for h, v in zip(heights, values, strict=True):
        assert abs(h - v / top * tallest) <= 1.0, (heights, values)
    assert tallest >= 0.6 * PLOT_H


def images_in(md: Markdown) -> list[tuple[str, Image.Image, int]]:
    """(alt text, decoded image, data URI length) of every image in ``md``."""
    out = []
    for alt, mime, data in IMAGE_MD.findall(md.text):
        raw = base64.b64decode(data)
        pic = Picture(raw, mime, alt, Image.open(io.BytesIO(raw)).size)
        out.append((alt, decode(pic), len(pic.data_uri())))
    return out


def test_bar_heights_follow_the_data() -> None:
    values = [3, 0, 7, 14, 10]
    pic = charts.bar_chart("t", [(str(i), v) for i, v in enumerate(values)], alt="bars")
    img = decode(pic)
    assert pic.mime == "image/png" and img.width >= charts.MIN_WIDTH
    bars = runs(img, BAR)
    assert len(bars) == 4  # the zero draws nothing
    assert [b[0] for b in bars] == sorted(b[0] for b in bars)
    assert_proportional([b[2] for b in bars], [3, 7, 14, 10])
    assert len(pic.data) < 20_000


def test_bars_with_one_big_value_keep_small_ones_visible() -> None:
    img = decode(charts.bar_chart("t", [("a", 10_000), ("b", 1)], alt="bars"))
    heights = [b[2] for b in runs(img, BAR)]
    assert heights[1] == 1 and heights[0] > PLOT_H * 0.6


def test_stacked_parts_follow_the_data_bottom_up() -> None:
    series = {"pro": [10, 0, 30, 25], "amateur": [5, 4, 0, 15]}
    img = decode(charts.stacked_chart("t", ["a", "b", "c", "d"], series, alt="stacked"))
    below = TITLE_H + charts.LEGEND_H
    pro, amateur = runs(img, PALETTE[0], below), runs(img, PALETTE[1], below)
    assert len(pro) == 3 and len(amateur) == 3
    scale = pro[1][2] / 30  # pixels per fight, from the tallest pro part
    for (_, _, h), v in zip(pro, [10, 30, 25], strict=True):
        assert abs(h - v * scale) <= 1.5
    for (_, _, h), v in zip(amateur, [5, 4, 15], strict=True):
        assert abs(h - v * scale) <= 1.5
    px = img.load()
    x = (pro[0][0] + pro[0][1]) // 2  # first column: amateur sits on top of pro
    ys = {c: [y for y in range(below, img.height) if px[x, y] == c] for c in PALETTE[:2]}
    assert max(ys[PALETTE[1]]) < min(ys[PALETTE[0]])


def test_histogram_bins_and_bars() -> None:
    values = [0, 9.99, 10, 55, 100, 100, -5, 120, 95]
    counts = charts.bin_counts(values, 0, 100, 10)
    assert counts == [3, 1, 0, 0, 0, 1, 0, 0, 0, 4]
    pic = charts.histogram("t", values, alt="h", marks={"auto": 70})
    bars = runs(decode(pic), BAR)
    assert_proportional([b[2] for b in bars], [3, 1, 1, 4])


@pytest.mark.parametrize(
    ("value", "top"), [(0, 1), (1, 1), (7, 8), (14, 15), (143, 150), (228, 250), (1001, 1200)]
)
def test_axis_top_is_round_and_not_wasteful(value: float, top: float) -> None:
    assert charts.nice_max(value) == top


def test_markdown_embeds_the_bytes_as_a_data_uri() -> None:
    pic = charts.bar_chart("t", [("a", 1)], alt="a [tricky]\nalt")
    [(alt, mime, data)] = IMAGE_MD.findall(pic.markdown())
    assert alt == "a tricky alt" and mime == "image/png"
    assert base64.b64decode(data) == pic.data


def photo(path: Path, color: Color, noise: bool = False) -> Path:
    img = Image.new("RGB", (200, 300), color)
    if noise:
        rng = random.Random(str(path))
        img.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(200 * 300)])
    img.save(path, "JPEG", quality=90)
    return path


def test_contact_sheet_shows_thumbnails_and_reason_tiles(tmp_path: Path) -> None:
    red = photo(tmp_path / "r.jpg", (220, 20, 20))
    green = photo(tmp_path / "g.jpg", (20, 200, 40))
    tiles = [
        Tile("red", path=red),
        Tile("gone", path=tmp_path / "missing.jpg"),
        Tile("green", path=green),
        Tile("rejected", reason="image_not_found"),
    ]
    pic = charts.contact_sheet("sheet", tiles, alt="sheet", columns=3)
    img = decode(pic)
    assert pic.mime == "image/jpeg"  # it holds photos
    assert img.height >= TITLE_H + 2 * THUMB[1]  # two rows of three

    def cell(i: int) -> tuple[int, int]:
        x = 8 + (i % 3) * TILE_W + (TILE_W - THUMB[0]) // 2 - 4
        return x, TITLE_H + (i // 3) * (THUMB[1] + charts.TILE_CAPTION_H + charts.TILE_PAD)

    def near(a: Color, b: Color) -> bool:
        return all(abs(p - q) <= 30 for p, q in zip(a, b, strict=True))

    px = img.load()
    (x0, y0), (x2, y2) = cell(0), cell(2)
    assert near(px[x0 + THUMB[0] // 2, y0 + THUMB[1] // 2], (220, 20, 20))
    assert near(px[x2 + THUMB[0] // 2, y2 + THUMB[1] // 2], (20, 200, 40))
    for i in (1, 3):  # a missing file and a rejection are reason tiles
        x, y = cell(i)
        assert near(px[x + 6, y + THUMB[1] - 6], REJECT_FILL)


def test_contact_sheets_stay_small_even_for_noise(tmp_path: Path) -> None:
    saved = [
        {"ufcstats_id": f"{i:016x}", "path": str(photo(tmp_path / f"{i}.jpg", (0, 0, 0), True))}
        for i in range(20)
    ]
    reasons = ["placeholder"] * 5 + ["image_not_found", "not_an_image"]
    rejected = [{"ufcstats_id": f"{i:016x}", "reason": r} for i, r in enumerate(reasons)]
    md = charts.contact_sheets(saved, rejected)
    shown = images_in(md)
    assert [alt for alt, _, _ in shown] == [
        "saved fighter images",
        "rejected fighter images with their reasons",
    ]
    assert all(size <= 60_000 for _, _, size in shown)
    # every kind of rejection is among the tiles before a reason repeats
    listed = re.findall(r"^- `[0-9a-f]+`: (\w+)$", md.text, re.M)
    assert sorted(listed[:3]) == ["image_not_found", "not_an_image", "placeholder"]
    assert len(listed) == charts.REJECTED_SAMPLE
    assert "12 of 20" in md.text


def alts(md: object) -> list[str]:
    assert isinstance(md, Markdown)
    return [alt for alt, _, _ in images_in(md)]


def test_results_put_their_charts_in_the_metadata(tmp_path: Path) -> None:
    verify = VerifyResult(
        fighters=4,
        by_status={"auto_verified": 2, "review": 1, "unmatched": 1},
        shared_sherdog_ids=0,
        review_report=str(tmp_path / "index.html"),
        per_letter={"a": 4},
        preview=[],
        best_confidence=[99.0, 91.5, 55.0, None],
        assign=AssignSettings(auto_threshold=70.0),
    )
    meta = verify.metadata()
    assert alts(meta["confidence_histogram"]) == ["match confidence histogram"]
    assert alts(meta["status_chart"]) == ["verified matches by status"]
    assert "1 without" in meta["confidence_histogram"].text
    shown = metadata_value(meta["confidence_histogram"])
    assert isinstance(shown, dg.MarkdownMetadataValue) and "data:image/png;base64," in shown.md_str

    saved = {
        "ufcstats_id": "a1",
        "status": "saved",
        "path": str(photo(tmp_path / "a.jpg", (9,) * 3)),
    }
    failed = {"ufcstats_id": "b2", "status": "failed", "reason": "placeholder"}
    images = ImagesResult(
        rows=[saved, failed], images_dir=str(tmp_path), stats={"http": {}}, duplicates=[]
    )
    assert alts(images.metadata()["contact_sheet"]) == [
        "saved fighter images",
        "rejected fighter images with their reasons",
    ]

    listing = ListResult(
        rows=[], per_letter={"a": 5, "b": 2}, table_rows={}, changes={}, errors={}, crawler_stats={}
    )
    assert alts(listing.metadata()["rows_per_letter_chart"]) == ["fighters list rows per letter"]


def fights_result(per_year: list[tuple[int | None, str, int]]) -> FightsResult:
    return FightsResult(0, 0, 0, 0, {}, {}, [], sum(n for *_, n in per_year), 0, "w", per_year)


def test_fights_chart_fills_the_years_between(tmp_path: Path) -> None:
    md = fights_result([(None, "pro", 2), (2001, "pro", 10), (2004, "amateur", 3)]).metadata()
    [(alt, img, _)] = images_in(md["fights_per_year_chart"])
    assert alt == "fights per year and section"
    below = TITLE_H + charts.LEGEND_H
    pro, amateur = runs(img, PALETTE[0], below), runs(img, PALETTE[1], below)
    assert len(pro) == 1 and len(amateur) == 1
    slot = (amateur[0][0] - pro[0][0]) / 3  # 2001 .. 2004 are four columns
    assert slot >= 8 and (amateur[0][1] - amateur[0][0] + 1) < slot
    assert "2 fight(s) without a date" not in md["fights_per_year_chart"].text  # in the image
    assert "15 rows" in md["fights_per_year_chart"].text
    assert fights_result([]).metadata()["fights_per_year_chart"].text.startswith("No dated")


def load_fights(engine: Engine) -> None:
    rows = [
        (dt.date(2001, 3, 1), "pro"),
        (dt.date(2001, 9, 9), "pro"),
        (dt.date(2001, 5, 1), "amateur"),
        (dt.date(2003, 1, 1), "pro"),
        (None, "pro"),
    ]
    values = [
        dict(bout_key=f"k{i}", date=d, section=s, fighter1_key="a", fighter2_key=f"b{i}",
             result1="win")
        for i, (d, s) in enumerate(rows)
    ]  # fmt: skip
    with engine.begin() as conn:
        conn.execute(insert(fights), values)


EXPECTED = [(None, "pro", 1), (2001, "amateur", 1), (2001, "pro", 2), (2003, "pro", 1)]


def test_fights_per_year_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.sqlite'}")
    try:
        ensure_schema(engine)
        assert fights_per_year(engine) == []
        load_fights(engine)
        assert fights_per_year(engine) == EXPECTED
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_fights_per_year_on_postgres() -> None:
    admin = create_engine(PG_URL, connect_args={"connect_timeout": 3})
    schema = f"t_{uuid.uuid4().hex}"
    try:
        with admin.begin() as conn:
            conn.execute(CreateSchema(schema))
    except OperationalError as exc:
        admin.dispose()
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL not reachable: {exc.orig}")
        pytest.skip(f"PostgreSQL not reachable: {exc.orig}")
    engine = make_engine(PG_URL, schema=schema)
    try:
        ensure_schema(engine)
        load_fights(engine)
        assert fights_per_year(engine) == EXPECTED
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(DropSchema(schema, cascade=True))
        admin.dispose()
