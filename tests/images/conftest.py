"""Deterministic test images built with Pillow (no binary fixtures in the repo)."""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import Callable

import pytest
from PIL import Image, ImageDraw

SIZE = (320, 400)


def photo_like(seed: int, size: tuple[int, int] = SIZE) -> Image.Image:
    """A photo-like RGB image: a two-colour gradient plus random ellipses and boxes."""
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    c0 = [rng.randrange(256) for _ in range(3)]
    c1 = [rng.randrange(256) for _ in range(3)]
    vertical = rng.random() < 0.5
    steps = height if vertical else width
    for i in range(steps):
        t = i / steps
        colour = tuple(int(a + (b - a) * t) for a, b in zip(c0, c1, strict=True))
        line = [(0, i), (width, i)] if vertical else [(i, 0), (i, height)]
        draw.line(line, fill=colour)
    for _ in range(25):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        box = [x0, y0, x0 + rng.randrange(20, 160), y0 + rng.randrange(20, 160)]
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
    return image


def silhouette(size: tuple[int, int] = SIZE) -> Image.Image:
    """A 'no photo' placeholder: grey head-and-shoulders on a light background."""
    width, height = size
    image = Image.new("RGB", size, (225, 225, 225))
    draw = ImageDraw.Draw(image)
    draw.ellipse([width * 0.32, height * 0.12, width * 0.68, height * 0.45], fill=(120,) * 3)
    draw.ellipse([width * 0.1, height * 0.5, width * 0.9, height * 1.2], fill=(120,) * 3)
    return image


def encode(image: Image.Image, fmt: str = "JPEG", **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **params)
    return out.getvalue()


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def huge_png(width: int, height: int) -> bytes:
    """A tiny PNG whose IHDR declares ``width`` x ``height`` 1-bit pixels.

    Only the first rows are actually compressed, so the file stays a few hundred bytes;
    a validator that decoded it before checking the dimensions would allocate gigabytes.
    """
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = (b"\x00" + b"\x00" * ((width + 7) // 8)) * 4
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(rows, 9))
        + _png_chunk(b"IEND", b"")
    )


@pytest.fixture
def make_photo() -> Callable[..., Image.Image]:
    return photo_like


@pytest.fixture
def make_silhouette() -> Callable[..., Image.Image]:
    return silhouette


@pytest.fixture
def enc() -> Callable[..., bytes]:
    return encode


@pytest.fixture
def make_huge_png() -> Callable[[int, int], bytes]:
    return huge_png
