"""Deterministic fighter portraits made of real faces, and pictures without / with two faces.

The faces are real: the first 100 images of ``skimage.data.lfw_subset()`` (25x25 grayscale
crops from Labeled Faces in the Wild). A portrait is one of them upscaled to 45-60 % of the
frame width, tinted with a skin tone, mirrored or not, placed off-centre in the upper half
and blended (its edges replicated, softened, then feathered) into a background of its own:
a gradient (linear at any angle, or a spot light), 6-11 shapes that keep clear of the face,
and an uneven light over the whole picture. The background and the light are what keep two
portraits apart for a perceptual hash: over 4,000 keys no two are within 6 bits (pHash).

Only the faces in :data:`FACE_INDICES` are used: a face that the pipeline's frontal-face
check (``ufc_pipeline.images.faces``) missed in any of 30 variations, while the rendering was
tuned, is left out; ``tests/mirror/test_mirror_portraits.py`` re-checks the list.

:func:`no_face_picture` is a real picture without a face (a crop of ``skimage.data``'s cat,
coffee cup or rocket, or a portrait-like picture whose "head" is one of LFW's non-face
patches, :data:`NON_FACE_INDICES`); :func:`two_faces_picture` shows two different faces
side by side.

Everything is a function of ``(seed, key)``; skimage is imported on first use and its arrays
are decoded once per process.
"""

from __future__ import annotations

import functools
import io
import random
from typing import NamedTuple

import cv2
import numpy as np
from PIL import Image, ImageDraw

FRAME = (200, 300)
#: Strength of the uneven light: the background is lit between 0.45 and 1.55 (the face a
#: third as much).
LIGHT = 0.55

#: LFW faces (indices into ``lfw_subset()``) found as exactly one face in every variation.
#: (Left out: 4, 9, 13, 14, 21, 22, 28, 30, 32, 47, 67, 76, 83, 96, each missed at least once.)
FACE_INDICES: tuple[int, ...] = (
    0, 1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 15, 16, 17, 18, 19, 20, 23, 24, 25, 26, 27, 29, 31, 33,
    34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57,
    58, 59, 60, 61, 62, 63, 64, 65, 66, 68, 69, 70, 71, 72, 73, 74, 75, 77, 78, 79, 80, 81, 82,
    84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 97, 98, 99,
)  # fmt: skip

#: LFW non-faces (indices into ``lfw_subset()``) in which no face was found in any variation.
NON_FACE_INDICES: tuple[int, ...] = tuple(
    i for i in range(100, 200) if i not in (125, 129, 130, 136, 161, 168)
)

#: skimage pictures without a face used by :func:`no_face_picture`.
SCENES = ("chelsea", "coffee", "rocket")

#: Skin tints multiplied into the grayscale faces.
_TINTS = (
    (255, 224, 196),
    (241, 194, 156),
    (224, 172, 130),
    (198, 140, 98),
    (160, 108, 72),
    (118, 80, 56),
    (236, 212, 190),
    (250, 238, 226),
)


@functools.cache
def _lfw() -> np.ndarray:
    """``lfw_subset()`` as uint8: 0..99 faces, 100..199 non-faces, each 25x25."""
    from skimage import data

    faces = np.round(data.lfw_subset() * 255).astype(np.uint8)
    faces.flags.writeable = False
    return faces


@functools.cache
def _scene(name: str) -> np.ndarray:
    from skimage import data

    scene = np.ascontiguousarray(getattr(data, name)()[..., :3])
    scene.flags.writeable = False
    return scene


def _color(rng: random.Random, light: float = 1.0) -> tuple[int, int, int]:
    """A saturated colour (one channel high, one low), darkened (``light`` < 1) or mixed
    with white (``light`` > 1)."""
    c = [rng.randint(0, 90), rng.randint(60, 200), rng.randint(170, 255)]
    rng.shuffle(c)
    if rng.random() < 0.2:
        c = [min(255, x + 40) for x in c]
    if light > 1:
        c = [round(x + (255 - x) * (light - 1)) for x in c]
    else:
        c = [round(x * light) for x in c]
    return c[0], c[1], c[2]


def _background(
    rng: random.Random, size: tuple[int, int], clear: list[tuple[float, float, float, float]]
) -> Image.Image:
    """A gradient at a random angle plus 4-9 shapes, none of them touching a ``clear`` box."""
    w, h = size
    if rng.random() < 0.3:  # a spot light somewhere
        mask = Image.radial_gradient("L")
        x0, y0 = rng.randint(0, 128), rng.randint(0, 128)
        mask = mask.crop((x0, y0, x0 + 128, y0 + 128)).resize((w, h))
    else:
        mask = Image.linear_gradient("L").rotate(rng.uniform(0, 360), expand=True)
        side = mask.size[0]
        crop = (side - 256) // 2
        mask = mask.crop((crop, crop, crop + 256, crop + 256)).resize((w, h))
    dark, bright = _color(rng, rng.uniform(0.2, 0.6)), _color(rng, rng.uniform(1.0, 1.6))
    img = Image.composite(Image.new("RGB", (w, h), dark), Image.new("RGB", (w, h), bright), mask)
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(6, 11)):
        kind, fill = rng.random(), _color(rng, rng.uniform(0.3, 1.5))
        for _attempt in range(4):  # move a shape that would touch the face
            x0, y0 = rng.randint(-40, w), rng.randint(-40, h)
            x1, y1 = x0 + rng.randint(40, 180), y0 + rng.randint(40, 220)
            if not any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in clear):
                break
        else:
            continue
        if kind < 0.45:
            draw.ellipse((x0, y0, x1, y1), fill=fill)
        elif kind < 0.8:
            draw.rectangle((x0, y0, x1, y1), fill=fill)
        else:
            draw.polygon([(x0, y0), (x1, (y0 + y1) // 2), (x0, y1)], fill=fill)
    return img


def _head(faces: list[np.ndarray], side: int, gap: int) -> tuple[np.ndarray, int]:
    """Grayscale faces upscaled to ``side``, side by side ``gap`` apart, with replicated
    edges of a margin around them; returns the tile and the margin."""
    margin = round(0.35 * side)
    ups = [cv2.resize(f, (side, side), interpolation=cv2.INTER_CUBIC) for f in faces]
    if len(ups) > 1:
        half = gap // 2
        ups = [
            cv2.copyMakeBorder(u, 0, 0, half if i else 0, 0 if i else half, cv2.BORDER_REPLICATE)
            for i, u in enumerate(ups)
        ]
    row = np.hstack(ups)
    tile = cv2.copyMakeBorder(row, margin, margin, margin, margin, cv2.BORDER_REPLICATE)
    k = 2 * (margin // 3) + 1  # soften the streaks of the replicated edges, not the faces
    soft = cv2.blur(tile, (k, k))
    soft[margin:-margin, margin:-margin] = row
    return soft, margin


@functools.lru_cache(maxsize=256)
def _feather(shape: tuple[int, int], margin: int) -> np.ndarray:
    """Alpha (0..1, 3 channels) of a head tile: opaque over the face(s), fading out in the
    margin."""
    h, w = shape
    alpha = np.zeros((h, w), np.float32)
    axes = (round(w / 2 - 0.35 * margin), round(h / 2 - 0.3 * margin))
    cv2.ellipse(alpha, (w // 2, h // 2), axes, 0, 0, 360, 1.0, -1)
    k = 2 * round(margin / 2) + 1
    alpha = cv2.GaussianBlur(alpha, (k, k), margin / 4)
    merged = cv2.merge([alpha, alpha, alpha])
    merged.flags.writeable = False  # shared by every call of the cache
    return merged


def _paste(
    img: Image.Image,
    tile: np.ndarray,
    alpha: np.ndarray,
    x: int,
    y: int,
    tint: tuple[float, float, float, float],
    light: np.ndarray,
) -> Image.Image:
    """Blend the grayscale ``tile`` (tinted) into ``img`` with its top-left corner at x, y.
    The ``light`` field multiplies the background fully and the face at a third."""
    base = cv2.multiply(np.asarray(img, dtype=np.float32), light)
    h, w = tile.shape
    fx0, fy0 = max(0, -x), max(0, -y)
    fx1, fy1 = min(w, base.shape[1] - x), min(h, base.shape[0] - y)
    ys, xs = slice(y + fy0, y + fy1), slice(x + fx0, x + fx1)
    face_light = light[ys, xs] * (1 / 3) + (2 / 3)
    rgb = cv2.cvtColor(tile[fy0:fy1, fx0:fx1], cv2.COLOR_GRAY2RGB).astype(np.float32)
    rgb = cv2.multiply(cv2.multiply(rgb, tint), face_light)
    region = base[ys, xs]
    region += alpha[fy0:fy1, fx0:fx1] * (rgb - region)
    return Image.fromarray(cv2.convertScaleAbs(base))


def _lighting(rng: random.Random, size: tuple[int, int], strength: float) -> np.ndarray:
    """Uneven light: a smooth random field around 1 (+- ``strength``), shape (h, w, 3)."""
    grid = np.array([[rng.uniform(-1, 1) for _ in range(5)] for _ in range(6)], np.float32)
    field = cv2.resize(grid, size, interpolation=cv2.INTER_CUBIC)
    field = cv2.min(cv2.max(field, -1.0), 1.0) * strength + 1
    return cv2.merge([field, field, field])


def _tint(rng: random.Random) -> tuple[float, float, float, float]:
    """A skin tint (RGB multipliers, as an OpenCV scalar)."""
    gain = rng.uniform(0.8, 1.25) / 255
    r, g, b = rng.choice(_TINTS)
    return r * gain, g * gain, b * gain, 0.0


class _Layout(NamedTuple):
    index: int
    side: int
    cx: float
    cy: float
    flip: bool
    tint: tuple[float, float, float, float]


def _layout(rng: random.Random, size: tuple[int, int], index: int | None) -> _Layout:
    """The random choices of one portrait (drawn in this order, before the background)."""
    w, h = size
    side = round(rng.uniform(0.45, 0.60) * w)
    return _Layout(
        index=rng.choice(FACE_INDICES) if index is None else index,
        side=side,
        cx=w / 2 + rng.uniform(-0.14, 0.14) * w,
        cy=rng.uniform(0.27, 0.47) * h,
        flip=rng.random() < 0.5,
        tint=_tint(rng),
    )


def face_box(seed: int, key: int, size: tuple[int, int] = FRAME) -> tuple[int, int, int, int]:
    """Where the face of ``portrait(seed, key, size)`` is: x, y, width, height."""
    lay = _layout(random.Random(f"{seed}:portrait:{key}"), size, None)
    return round(lay.cx - lay.side / 2), round(lay.cy - lay.side / 2), lay.side, lay.side


def portrait(seed: int, key: int, size: tuple[int, int] = FRAME) -> Image.Image:
    """The portrait of person ``key``: one real face on a background of its own."""
    return _portrait(random.Random(f"{seed}:portrait:{key}"), size, None)


def probe_picture(index: int, variation: int, size: tuple[int, int] = FRAME) -> Image.Image:
    """LFW crop ``index`` (a face or a non-face) laid out as a portrait, in one of its
    variations: how :data:`FACE_INDICES` and :data:`NON_FACE_INDICES` are measured."""
    return _portrait(random.Random(f"probe:{index}:{variation}"), size, index)


def _portrait(rng: random.Random, size: tuple[int, int], index: int | None) -> Image.Image:
    lay = _layout(rng, size, index)
    face = _lfw()[lay.index]
    if lay.flip:
        face = face[:, ::-1]
    return _compose(rng, size, [face], lay.side, lay.cx, lay.cy, 0, lay.tint)


def _compose(
    rng: random.Random,
    size: tuple[int, int],
    faces: list[np.ndarray],
    side: int,
    cx: float,
    cy: float,
    gap: int,
    tint: tuple[float, float, float, float],
) -> Image.Image:
    tile, margin = _head(faces, side, gap)
    th, tw = tile.shape
    x, y = round(cx - tw / 2), round(cy - th / 2)
    pad = margin / 3  # shapes stay this far from the face(s)
    clear = [(x + margin - pad, y + margin - pad, x + tw - margin + pad, y + th - margin + pad)]
    img = _background(rng, size, clear)
    light = _lighting(rng, size, LIGHT)
    return _paste(img, tile, _feather(tile.shape, margin), x, y, tint, light)


def two_faces_picture(seed: int, key: int, size: tuple[int, int] = FRAME) -> Image.Image:
    """Two different real faces side by side (a face-off, a team photo)."""
    rng = random.Random(f"{seed}:two_faces:{key}")
    w, h = size
    first, second = rng.sample(FACE_INDICES, 2)
    side = round(rng.uniform(0.33, 0.39) * w)
    gap = rng.randint(4, max(4, w - 2 * side - 28))
    faces = []
    for index in (first, second):
        face = _lfw()[index]
        faces.append(face[:, ::-1] if rng.random() < 0.5 else face)
    cx = w / 2 + rng.uniform(-0.03, 0.03) * w
    cy = rng.uniform(0.30, 0.42) * h
    return _compose(rng, size, faces, side, cx, cy, gap, _tint(rng))


def no_face_picture(seed: int, key: int, size: tuple[int, int] = FRAME) -> Image.Image:
    """A real picture without a face: a crop of a skimage photo (cat, coffee, rocket) or a
    portrait-like composition whose head is one of LFW's non-face patches."""
    rng = random.Random(f"{seed}:no_face:{key}")
    w, h = size
    if rng.random() < 0.5:
        return _portrait(rng, size, rng.choice(NON_FACE_INDICES))
    scene = _scene(rng.choice(SCENES))
    sh, sw = scene.shape[:2]
    ch = round(min(sh, sw * h / w) * rng.uniform(0.5, 1.0))
    cw = round(ch * w / h)
    y0, x0 = rng.randint(0, sh - ch), rng.randint(0, sw - cw)
    crop = scene[y0 : y0 + ch, x0 : x0 + cw]
    if rng.random() < 0.5:
        crop = crop[:, ::-1]
    out = cv2.resize(crop, size, interpolation=cv2.INTER_AREA).astype(np.float32)
    out *= np.array([rng.uniform(0.85, 1.15) for _ in range(3)], np.float32)
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def jpeg(img: Image.Image, quality: int = 84) -> bytes:
    """``img`` as baseline JPEG bytes."""
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=quality, optimize=False)
    return buf.getvalue()
