"""Small pictures for the UI: bar charts, a histogram, stacked bars and contact sheets.

Drawn with Pillow, already a dependency for image validation: flat bars, a few labels and
thumbnails need nothing more, and the pictures stay a few KB (charts are RGB PNGs; contact
sheets of photos are JPEGs, kept under :data:`MAX_BYTES`). A picture travels inside
markdown as a ``data:`` URI (:meth:`Picture.markdown`): the UI runs in a browser that
cannot open files on the machine that ran the step. The second half of the module says what
each asset shows (:func:`confidence_chart`, :func:`contact_sheets`, ...). No Dagster here.
"""

from __future__ import annotations

import base64
import functools
import io
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont, ImageOps

from ufc_pipeline.steps.report import Markdown
from ufc_pipeline.warehouse.schema import SECTIONS

Color = tuple[int, int, int]

BACKGROUND: Color = (255, 255, 255)
INK: Color = (45, 45, 45)
MUTED: Color = (130, 130, 130)
GRID: Color = (228, 228, 228)
MARK: Color = (205, 60, 60)
BAR: Color = (60, 125, 185)
#: Colors of the series of a stacked chart or the bars of a chart by category, in order.
PALETTE: tuple[Color, ...] = (
    (60, 125, 185),
    (235, 145, 40),
    (80, 165, 85),
    (190, 75, 75),
    (145, 105, 190),
    (120, 120, 120),
)
REJECT_FILL: Color = (250, 234, 234)
REJECT_INK: Color = (165, 40, 40)

PLOT_H = 120  # pixel height of the tallest possible bar
LEFT, RIGHT = 46, 14
TITLE_H, LEGEND_H, HEADROOM = 24, 16, 14
LABELS_H, CAPTION_H = 16, 16
MIN_WIDTH = 260
#: Largest encoded picture: a few tens of KB as a data URI, so the event log stays light.
MAX_BYTES = 24_000

THUMB = (72, 108)  # box of a contact-sheet image (fighter photos are 2:3)
TILE_W, TILE_CAPTION_H, TILE_PAD = 96, 14, 6


@dataclass(frozen=True)
class Picture:
    """An encoded image, what it shows (its alt text) and its size in pixels."""

    data: bytes
    mime: str
    alt: str
    size: tuple[int, int]

    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"

    def markdown(self) -> str:
        alt = " ".join(re.sub(r"[\[\]\\]", " ", self.alt).split())
        return f"![{alt}]({self.data_uri()})"


@functools.lru_cache(maxsize=8)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's built-in font (scalable when Pillow has FreeType)."""
    return ImageFont.load_default(size=size)


def _space(size: int) -> int:
    # The built-in font's space is 2 px below 12 px, which runs words together.
    return max(3, round(size * 0.3))


def text_width(text: str, size: int) -> float:
    words = text.split(" ")
    return sum(font(size).getlength(w) for w in words) + _space(size) * (len(words) - 1)


def _text(
    draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, size: int, fill: Color
) -> None:
    """``text`` word by word, with a readable space between words."""
    x, y = xy
    for word in text.split(" "):
        if word:
            draw.text((x, y), word, font=font(size), fill=fill)
        x += font(size).getlength(word) + _space(size)


def _blend(fg: Color, bg: Color, t: float) -> Color:
    r, g, b = (round(f * t + k * (1 - t)) for f, k in zip(fg, bg, strict=True))
    return r, g, b


@functools.lru_cache(maxsize=1)
def _palette() -> Image.Image:
    """Every color the charts draw, exactly, plus the shades of anti-aliased text."""
    flat = [BACKGROUND, INK, MUTED, GRID, MARK, BAR, *PALETTE, REJECT_FILL, REJECT_INK]
    for fg, bg in ((INK, BACKGROUND), (MUTED, BACKGROUND), (MARK, BACKGROUND)):
        flat += [_blend(fg, bg, t / 8) for t in range(1, 8)]
    flat += [_blend(REJECT_INK, REJECT_FILL, t / 8) for t in range(1, 8)]
    flat += [BACKGROUND] * (256 - len(flat))
    pal = Image.new("P", (1, 1))
    pal.putpalette([c for rgb in flat for c in rgb])
    return pal


def _png(img: Image.Image, alt: str) -> Picture:
    """A palette PNG (a third the size of RGB): drawn colors stay exact, text shades snap
    to the nearest of a few."""
    small = img.quantize(palette=_palette(), dither=Image.Dither.NONE)
    buf = io.BytesIO()
    small.save(buf, format="PNG", optimize=True)
    return Picture(buf.getvalue(), "image/png", alt, img.size)


def _jpeg(img: Image.Image, alt: str) -> Picture:
    """A JPEG of at most :data:`MAX_BYTES`: lower quality, then smaller, until it fits."""
    for scale in (1.0, 0.75, 0.5, 0.25):
        small = (
            img if scale == 1 else img.resize((round(img.width * scale), round(img.height * scale)))
        )
        for quality in (75, 60, 45):
            buf = io.BytesIO()
            small.save(buf, format="JPEG", quality=quality, optimize=True)
            if buf.tell() <= MAX_BYTES:
                return Picture(buf.getvalue(), "image/jpeg", alt, small.size)
    return Picture(buf.getvalue(), "image/jpeg", alt, small.size)


def nice_max(value: float) -> float:
    """A round axis top >= ``value``: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of
    ten (1 for nothing)."""
    if value <= 0:
        return 1.0
    step = 10.0 ** math.floor(math.log10(value))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * step >= value:
            return m * step
    return 10 * step


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def bin_counts(values: Iterable[float], lo: float, hi: float, bins: int) -> list[int]:
    """How many ``values`` fall in each of ``bins`` equal bins over [lo, hi] (the last bin
    includes ``hi``; values outside are clamped into the first or last bin)."""
    counts = [0] * bins
    width = (hi - lo) / bins
    for v in values:
        i = int((float(v) - lo) // width)
        counts[min(max(i, 0), bins - 1)] += 1
    return counts


@dataclass(frozen=True)
class Column:
    """One bar: its label and its segments (value, color) stacked from the bottom."""

    label: str
    parts: tuple[tuple[float, Color], ...]

    @property
    def total(self) -> float:
        return sum(v for v, _ in self.parts)


@dataclass(frozen=True)
class _Frame:
    """Where the plot of a chart lies in its image."""

    left: int
    top: int
    base: int  # the y of the axis line; bars end just above it
    slot: int  # horizontal pixels per bar, gap included
    ymax: float

    def height(self, value: float) -> int:
        h = round(value / self.ymax * PLOT_H)
        return max(h, 1) if value > 0 else 0

    def x(self, fraction: float, n: int) -> int:
        return self.left + round(fraction * n * self.slot)


def _axis(draw: ImageDraw.ImageDraw, f: _Frame, right: int) -> None:
    for frac in (0.0, 0.5, 1.0):
        y = f.base - round(frac * PLOT_H)
        draw.line((f.left, y, right, y), fill=INK if frac == 0 else GRID)
        value = f.ymax * frac
        if f.ymax >= 2 and not float(value).is_integer():
            continue  # counts: no "12.5" on the axis
        text = _fmt(value)
        _text(draw, (f.left - 5 - text_width(text, 10), y - 6), text, 10, MUTED)


def _marks(
    draw: ImageDraw.ImageDraw, f: _Frame, n: int, marks: Sequence[tuple[str, float]]
) -> None:
    """Dashed vertical lines at fractions of the x range, labelled above the plot."""
    for label, frac in marks:
        x = f.x(frac, n)
        for y in range(f.top, f.base, 6):
            draw.line((x, y, x, min(y + 3, f.base - 1)), fill=MARK)
        _text(draw, (x + 3, f.top - HEADROOM + 1), label, 10, MARK)


def _column(draw: ImageDraw.ImageDraw, f: _Frame, i: int, col: Column, values: bool) -> None:
    gap = max(2, f.slot // 5)
    x0 = f.left + i * f.slot + gap // 2
    x1 = x0 + f.slot - gap  # exclusive
    below = 0
    cumulative = 0.0
    for value, color in col.parts:
        cumulative += value
        top = f.height(cumulative) if value > 0 else below
        if top > below:
            draw.rectangle((x0, f.base - top, x1 - 1, f.base - below - 1), fill=color)
        below = top
    text = _fmt(col.total)
    w = text_width(text, 10)
    if values and col.total > 0 and w <= f.slot + 2:
        _text(draw, (x0 + (x1 - x0 - w) / 2, f.base - below - 13), text, 10, INK)


def _labels(draw: ImageDraw.ImageDraw, f: _Frame, columns: Sequence[Column]) -> None:
    """The bars' labels under the axis, left to right, skipping one that would touch the
    previous one (so dense axes show every second or fifth label)."""
    last_right = -math.inf
    for i, col in enumerate(columns):
        if not col.label:
            continue
        w = text_width(col.label, 10)
        left = f.left + i * f.slot + f.slot / 2 - w / 2
        if left < last_right + 4:
            continue
        _text(draw, (left, f.base + 3), col.label, 10, INK)
        last_right = left + w


def _legend(draw: ImageDraw.ImageDraw, y: int, legend: Sequence[tuple[str, Color]]) -> None:
    x = LEFT
    for name, color in legend:
        draw.rectangle((x, y + 3, x + 9, y + 12), fill=color)
        _text(draw, (x + 13, y + 1), name, 10, INK)
        x += 13 + round(text_width(name, 10)) + 14


def column_chart(
    title: str,
    columns: Sequence[Column],
    *,
    alt: str,
    slot: int = 24,
    legend: Sequence[tuple[str, Color]] = (),
    marks: Sequence[tuple[str, float]] = (),
    caption: str = "",
    values: bool = True,
) -> Picture:
    """Vertical bars (stacked when a column has several parts) on a 0..nice-max axis."""
    n = max(len(columns), 1)
    width = max(MIN_WIDTH, LEFT + n * slot + RIGHT)
    top = TITLE_H + (LEGEND_H if legend else 0) + HEADROOM
    height = top + PLOT_H + LABELS_H + (CAPTION_H if caption else 0) + 4
    img = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(img)
    _text(draw, (8, 6), title, 13, INK)
    if legend:
        _legend(draw, TITLE_H, legend)
    f = _Frame(LEFT, top, top + PLOT_H, slot, nice_max(max((c.total for c in columns), default=0)))
    _axis(draw, f, LEFT + n * slot)
    _marks(draw, f, n, marks)
    for i, col in enumerate(columns):
        _column(draw, f, i, col, values)
    _labels(draw, f, columns)
    if caption:
        _text(draw, (8, f.base + LABELS_H + 2), caption, 10, MUTED)
    return _png(img, alt)


def bar_chart(
    title: str,
    bars: Sequence[tuple[str, float]],
    *,
    alt: str,
    colors: Sequence[Color] = (BAR,),
    slot: int = 24,
    caption: str = "",
) -> Picture:
    """One bar per (label, value); colors cycle over the bars."""
    columns = [
        Column(label, ((value, colors[i % len(colors)]),)) for i, (label, value) in enumerate(bars)
    ]
    return column_chart(title, columns, alt=alt, slot=slot, caption=caption)


def histogram(
    title: str,
    values: Sequence[float],
    *,
    alt: str,
    lo: float = 0.0,
    hi: float = 100.0,
    bins: int = 10,
    marks: Mapping[str, float] | None = None,
    caption: str = "",
) -> Picture:
    """Counts of ``values`` in equal bins over [lo, hi]; ``marks`` are labelled values."""
    counts = bin_counts(values, lo, hi, bins)
    width = (hi - lo) / bins
    columns = [
        Column(f"{_fmt(lo + i * width)}-{_fmt(lo + (i + 1) * width)}", ((c, BAR),))
        for i, c in enumerate(counts)
    ]
    lines = [(label, (v - lo) / (hi - lo)) for label, v in (marks or {}).items() if lo <= v <= hi]
    return column_chart(title, columns, alt=alt, slot=44, marks=lines, caption=caption)


def stacked_chart(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    alt: str,
    slot: int = 16,
    caption: str = "",
) -> Picture:
    """One column per label, one stacked part per series (colors from :data:`PALETTE`); too
    dense for value labels."""
    colors = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}
    columns = [
        Column(label, tuple((float(vals[i]), colors[name]) for name, vals in series.items()))
        for i, label in enumerate(labels)
    ]
    legend = list(colors.items())
    return column_chart(
        title, columns, alt=alt, slot=slot, legend=legend, caption=caption, values=False
    )


# --------------------------------------------------------------------- contact sheets


@dataclass(frozen=True)
class Tile:
    """One cell of a contact sheet: an image on disk, or the reason there is none."""

    caption: str
    path: Path | None = None
    reason: str | None = None


def _thumbnail(path: Path) -> Image.Image | None:
    try:
        with Image.open(path) as img:
            img.draft("RGB", (THUMB[0] * 2, THUMB[1] * 2))
            return ImageOps.contain(img.convert("RGB"), THUMB)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _reason_tile(draw: ImageDraw.ImageDraw, x: int, y: int, reason: str) -> None:
    draw.rectangle((x, y, x + THUMB[0] - 1, y + THUMB[1] - 1), fill=REJECT_FILL, outline=MARK)
    draw.line((x + 26, y + 16, x + 46, y + 36), fill=REJECT_INK, width=3)
    draw.line((x + 46, y + 16, x + 26, y + 36), fill=REJECT_INK, width=3)
    words, lines = reason.replace("_", " ").split(), [""]
    for word in words:
        trial = f"{lines[-1]} {word}".strip()
        if text_width(trial, 10) <= THUMB[0] - 6 or not lines[-1]:
            lines[-1] = trial
        else:
            lines.append(word)
    for k, line in enumerate(lines[:4]):
        w = text_width(line, 10)
        _text(draw, (x + (THUMB[0] - w) / 2, y + 46 + 13 * k), line, 10, REJECT_INK)


def _fit(text: str, width: int) -> str:
    while text and text_width(text, 9) > width:
        text = text[:-2] + "…"
    return text


def contact_sheet(title: str, tiles: Sequence[Tile], *, alt: str, columns: int = 6) -> Picture:
    """Thumbnails (or reason tiles) in a grid, each captioned; JPEG when it holds photos."""
    cols = max(1, min(columns, len(tiles)))
    rows = max(1, math.ceil(len(tiles) / cols))
    cell_h = THUMB[1] + TILE_CAPTION_H + TILE_PAD
    width = max(MIN_WIDTH, 8 + cols * TILE_W)
    img = Image.new("RGB", (width, TITLE_H + rows * cell_h + 4), BACKGROUND)
    draw = ImageDraw.Draw(img)
    _text(draw, (8, 6), title, 13, INK)
    photos = 0
    for i, tile in enumerate(tiles):
        x = 8 + (i % cols) * TILE_W + (TILE_W - THUMB[0]) // 2 - 4
        y = TITLE_H + (i // cols) * cell_h
        thumb = _thumbnail(tile.path) if tile.path is not None else None
        if thumb is not None:
            offset = ((THUMB[0] - thumb.width) // 2, (THUMB[1] - thumb.height) // 2)
            img.paste(thumb, (x + offset[0], y + offset[1]))
            photos += 1
        else:
            _reason_tile(draw, x, y, tile.reason or "unreadable image")
        caption = _fit(tile.caption, TILE_W - 8)
        w = text_width(caption, 9)
        _text(draw, (x + (THUMB[0] - w) / 2, y + THUMB[1] + 2), caption, 9, INK)
    return _jpeg(img, alt) if photos else _png(img, alt)


def sample(items: Sequence[Any], k: int) -> list[Any]:
    """Up to ``k`` items spread evenly over ``items`` (first and last included)."""
    if len(items) <= k:
        return list(items)
    if k <= 1:
        return list(items[:k])
    return [items[round(i * (len(items) - 1) / (k - 1))] for i in range(k)]


# --------------------------------------------------------------- what each asset shows

STATUS_COLORS: dict[str, Color] = {
    "auto_verified": PALETTE[2],
    "override": PALETTE[0],
    "review": PALETTE[1],
    "unmatched": PALETTE[3],
}
SAVED_SAMPLE, REJECTED_SAMPLE = 12, 6


def _section(heading: str, picture: Picture, note: str = "") -> str:
    return f"**{heading}**{': ' + note if note else ''}\n\n{picture.markdown()}\n"


def rows_per_letter_chart(per_letter: Mapping[str, int], failed: Iterable[str] = ()) -> Markdown:
    """``fighters_list``: rows stored per letter of the run."""
    bars = sorted(per_letter.items())
    failed = sorted(failed)
    pic = bar_chart(
        "Fighters list rows per letter",
        bars,
        alt="fighters list rows per letter",
        slot=22,
        caption=f"not read this run: {', '.join(failed)}" if failed else "",
    )
    note = f"{sum(per_letter.values()):,} rows over {len(per_letter)} letter(s)"
    return Markdown(_section("Rows per letter", pic, note))


def confidence_chart(
    best: Sequence[float | None], auto_threshold: float, review_floor: float
) -> Markdown:
    """``verified_matches``: the best candidate's confidence of each fighter."""
    scored = [float(b) for b in best if b is not None]
    missing = len(best) - len(scored)
    pic = histogram(
        "Match confidence (best candidate per fighter)",
        scored,
        alt="match confidence histogram",
        marks={
            f"auto {_fmt(auto_threshold)}": auto_threshold,
            f"review {_fmt(review_floor)}": review_floor,
        },
        caption=f"{missing} fighter(s) without any candidate not shown" if missing else "",
    )
    note = (
        f"{len(scored):,} fighter(s) with candidates, {missing} without; auto-verified from "
        f"{_fmt(auto_threshold)} when no other candidate comes close, review from "
        f"{_fmt(review_floor)}"
    )
    return Markdown(_section("Match confidence", pic, note))


def status_chart(by_status: Mapping[str, int]) -> Markdown:
    """``verified_matches``: fighters by status (the usual four first)."""
    names = [s for s in STATUS_COLORS] + sorted(set(by_status) - set(STATUS_COLORS))
    bars = [(name, by_status.get(name, 0)) for name in names]
    colors = [STATUS_COLORS.get(name, PALETTE[5]) for name in names]
    pic = bar_chart(
        "Fighters by match status", bars, alt="verified matches by status", colors=colors, slot=84
    )
    return Markdown(_section("By status", pic, f"{sum(by_status.values()):,} fighter(s)"))


def _round_robin(rows: Sequence[Mapping[str, Any]], k: int) -> list[Mapping[str, Any]]:
    """Up to ``k`` rows, one of each reason in turn (so every kind of rejection shows)."""
    by_reason: dict[str, list[Mapping[str, Any]]] = {}
    for r in sorted(rows, key=lambda r: str(r.get("ufcstats_id"))):
        by_reason.setdefault(str(r.get("reason")), []).append(r)
    picked: list[Mapping[str, Any]] = []
    while len(picked) < k and any(by_reason.values()):
        for reason in sorted(by_reason):
            if by_reason[reason] and len(picked) < k:
                picked.append(by_reason[reason].pop(0))
    return picked


def contact_sheets(
    saved: Sequence[Mapping[str, Any]], rejected: Sequence[Mapping[str, Any]]
) -> Markdown:
    """``fighter_images``: a sample of the saved images and of the rejected fighters, each
    rejection drawn as a tile with its reason (a rejected image is not kept on disk)."""
    parts: list[str] = []
    chosen = sample(sorted(saved, key=lambda r: str(r["ufcstats_id"])), SAVED_SAMPLE)
    if chosen:
        tiles = [Tile(str(r["ufcstats_id"]), path=Path(r["path"])) for r in chosen]
        pic = contact_sheet("Saved images (sample)", tiles, alt="saved fighter images")
        parts.append(_section("Saved", pic, f"{len(chosen)} of {len(saved):,}, spread over ids"))
    picked = _round_robin(rejected, REJECTED_SAMPLE)
    if picked:
        # a refused picture that decodes is shown with its reason as caption
        tiles = [
            Tile(f"{r['ufcstats_id']}: {r.get('reason')}", path=Path(r["path"]))
            if r.get("path") and Path(r["path"]).exists()
            else Tile(str(r["ufcstats_id"]), reason=str(r.get("reason")))
            for r in picked
        ]
        pic = contact_sheet("Rejected", tiles, alt="rejected fighter images with their reasons")
        counts = Counter(str(r.get("reason")) for r in rejected)
        note = ", ".join(f"{reason} {n}" for reason, n in sorted(counts.items()))
        lines = "".join(f"- `{r['ufcstats_id']}`: {r.get('reason')}\n" for r in picked)
        parts.append(_section("Rejected", pic, f"{len(rejected):,} ({note})") + "\n" + lines)
    return Markdown("\n".join(parts) or "No verified fighter in this run.")


def fights_chart(per_year: Sequence[tuple[int | None, str, int]]) -> Markdown:
    """``fights``: rows of the fights table per year, stacked by section."""
    dated = [(int(y), s, n) for y, s, n in per_year if y is not None]
    undated = sum(n for y, _, n in per_year if y is None)
    if not dated:
        return Markdown("No dated fight in the warehouse yet.")
    years = list(range(min(y for y, _, _ in dated), max(y for y, _, _ in dated) + 1))
    present = {s for _, s, _ in dated}
    order = [s for s in SECTIONS if s in present] + sorted(present - set(SECTIONS))
    series = {s: [0.0] * len(years) for s in order}
    for y, s, n in dated:
        series[s][y - years[0]] += n
    labels = [str(y) if y % 5 == 0 else "" for y in years]
    pic = stacked_chart(
        "Fights per year and section",
        labels,
        series,
        alt="fights per year and section",
        slot=14 if len(years) <= 40 else 10,
        caption=f"{undated:,} fight(s) without a date not shown" if undated else "",
    )
    total = sum(n for _, _, n in dated) + undated
    return Markdown(_section("Fights per year", pic, f"{total:,} rows in the warehouse"))
