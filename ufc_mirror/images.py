"""Deterministic fighter images, the Sherdog placeholders and the broken variants.

Each photo is drawn from a per-person seeded generator (gradient background at a random
angle plus random ellipses, rectangles and polygons), so two fighters' images are
perceptually different and none looks like the placeholder (a grey silhouette on a light
background). Renders are cached.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import random

from PIL import Image, ImageDraw

from ufc_mirror.names import slugify

LARGE = (200, 300)
SMALL = (100, 100)
DEFAULT_LARGE_PATH = "/image_crop/200/300/_images/fighter_large_default.jpg"
DEFAULT_SMALL_PATH = "/image_crop/100/100/_images/fighter_small_default.jpg"
LARGE_PREFIX = "/image_crop/200/300/_images/fighter/"
SMALL_PREFIX = "/image_crop/100/100/_images/fighter/"
PLACEHOLDER_QUALITY = 85
REENCODE_QUALITIES = (55, 62, 70, 78, 92, 95)

BROKEN_HTML = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


def image_filename(name: str, rng: random.Random) -> str:
    """A Sherdog-like upload file name (timestamped, sometimes with a millisecond prefix)."""
    stamp = dt.datetime(2009, 1, 1) + dt.timedelta(seconds=rng.randint(0, 16 * 365 * 86400))
    ts = stamp.strftime("%Y%m%d%H%M%S")
    parts = slugify(name).split("-")
    roll = rng.random()
    if roll < 0.7:
        return f"{ts}_{'_'.join(parts)}_ff.JPG"
    millis = int(stamp.timestamp() * 1000) + rng.randint(0, 999)
    if roll < 0.9:
        return f"{millis}_{ts}_{'_'.join(parts)}_ff.JPG"
    return f"{millis}_{millis // 1000}{''.join(parts).lower()}.jpg"


def _color(rng: random.Random) -> tuple[int, int, int]:
    h = rng.random()
    # saturated colours: one channel high, one low
    c = [rng.randint(0, 90), rng.randint(60, 200), rng.randint(170, 255)]
    rng.shuffle(c)
    if h < 0.2:
        c = [min(255, x + 40) for x in c]
    return c[0], c[1], c[2]


def _photo_image(seed: int, key: int) -> Image.Image:
    rng = random.Random(f"{seed}:image:{key}")
    w, h = LARGE
    mask = Image.linear_gradient("L").rotate(rng.uniform(0, 360), expand=True)
    side = mask.size[0]
    crop = (side - 256) // 2
    mask = mask.crop((crop, crop, crop + 256, crop + 256)).resize((w, h))
    img = Image.composite(
        Image.new("RGB", (w, h), _color(rng)), Image.new("RGB", (w, h), _color(rng)), mask
    )
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(4, 9)):
        x0, y0 = rng.randint(-40, w), rng.randint(-40, h)
        x1, y1 = x0 + rng.randint(30, 160), y0 + rng.randint(30, 200)
        kind = rng.random()
        if kind < 0.45:
            draw.ellipse((x0, y0, x1, y1), fill=_color(rng))
        elif kind < 0.8:
            draw.rectangle((x0, y0, x1, y1), fill=_color(rng))
        else:
            pts = [(rng.randint(-20, w + 20), rng.randint(-20, h + 20)) for _ in range(3)]
            draw.polygon(pts, fill=_color(rng))
    return img


def _encode(img: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality, optimize=False)
    return buf.getvalue()


@functools.lru_cache(maxsize=2048)
def photo(seed: int, key: int, small: bool = False) -> bytes:
    """The JPEG of person ``key`` (``small``: the 100x100 search thumbnail)."""
    img = _photo_image(seed, key)
    if small:
        img = img.crop((0, 0, 200, 200)).resize(SMALL)
    return _encode(img, 84)


def _placeholder_image(small: bool) -> Image.Image:
    w, h = SMALL if small else LARGE
    img = Image.new("RGB", (w, h), (236, 236, 236))
    draw = ImageDraw.Draw(img)
    grey = (168, 168, 168)
    s = w / 200
    head_y = 95 * s if not small else 38
    r = 42 * s if not small else 20
    cx = w / 2
    draw.ellipse((cx - r, head_y - r, cx + r, head_y + r), fill=grey)
    top = head_y + r + 8 * s
    draw.ellipse((cx - 85 * s, top, cx + 85 * s, top + (220 if not small else 110) * s), fill=grey)
    return img


@functools.lru_cache(maxsize=32)
def placeholder(small: bool = False, quality: int = PLACEHOLDER_QUALITY) -> bytes:
    """The Sherdog default image (``quality`` other than 85: a re-encoded copy)."""
    return _encode(_placeholder_image(small), quality)


def truncated(seed: int, key: int, small: bool = False) -> bytes:
    """The first half of a real JPEG (a broken download)."""
    data = photo(seed, key, small)
    return data[: len(data) // 2]
