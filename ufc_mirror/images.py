"""Deterministic fighter images, the Sherdog placeholders and the broken variants.

Each photo is a portrait of :mod:`ufc_mirror.portraits`: one real face (Labeled Faces in the
Wild) on a background of the person's own, so two fighters' images are perceptually
different and none looks like the placeholder (a grey silhouette on a light background). A
few profiles show no face or two faces. Renders are cached.
"""

from __future__ import annotations

import datetime as dt
import functools
import random

from PIL import Image, ImageDraw

from ufc_mirror import portraits
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


def _encode(img: Image.Image, quality: int) -> bytes:
    return portraits.jpeg(img, quality)


def _square(img: Image.Image, box: tuple[int, int, int, int]) -> Image.Image:
    """The 100x100 thumbnail: a square around ``box`` (x, y, w, h), kept inside the frame."""
    x, y, w, h = box
    side = min(img.width, img.height, round(1.7 * max(w, h)))
    left = min(max(0, round(x + w / 2 - side / 2)), img.width - side)
    top = min(max(0, round(y + h / 2 - side / 2)), img.height - side)
    return img.crop((left, top, left + side, top + side)).resize(SMALL, Image.Resampling.BILINEAR)


@functools.lru_cache(maxsize=2048)
def photo(seed: int, key: int, small: bool = False) -> bytes:
    """The JPEG of person ``key``: a real face (``small``: the 100x100 search thumbnail, a
    square around the face)."""
    img = portraits.portrait(seed, key, LARGE)
    if small:
        img = _square(img, portraits.face_box(seed, key, LARGE))
    return _encode(img, 84)


@functools.lru_cache(maxsize=256)
def no_face_photo(seed: int, key: int, small: bool = False) -> bytes:
    """The JPEG of a profile picture without a face (see :func:`portraits.no_face_picture`)."""
    img = portraits.no_face_picture(seed, key, LARGE)
    return _encode(img.crop((0, 0, 200, 200)).resize(SMALL) if small else img, 84)


@functools.lru_cache(maxsize=256)
def two_faces_photo(seed: int, key: int, small: bool = False) -> bytes:
    """The JPEG of a profile picture that shows two people side by side."""
    img = portraits.two_faces_picture(seed, key, LARGE)
    return _encode(img.crop((0, 0, 200, 200)).resize(SMALL) if small else img, 84)


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
