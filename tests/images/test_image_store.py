"""save_atomic, normalise_to_jpeg and safe_child."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from ufc_pipeline import fileio
from ufc_pipeline.images.store import normalise_to_jpeg, safe_child, save_atomic


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_save_atomic_writes_and_leaves_no_temp(tmp_path):
    target = tmp_path / "nested" / "dir" / "abc123.jpg"
    save_atomic(target, b"first")
    assert target.read_bytes() == b"first"
    save_atomic(target, b"second version")
    assert target.read_bytes() == b"second version"
    assert _leftovers(target.parent) == []
    assert sorted(p.name for p in target.parent.iterdir()) == ["abc123.jpg"]
    assert target.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_save_atomic_failure_keeps_target_and_cleans_up(tmp_path, monkeypatch, failing):
    target = tmp_path / "fighter.jpg"
    save_atomic(target, b"original")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, failing, boom)
    with pytest.raises(OSError, match="No space left"):
        save_atomic(target, b"new bytes that must not land")
    monkeypatch.undo()
    assert target.read_bytes() == b"original"
    assert _leftovers(tmp_path) == []
    assert [p.name for p in tmp_path.iterdir()] == ["fighter.jpg"]


def test_save_atomic_failure_when_target_absent(tmp_path, monkeypatch):
    target = tmp_path / "new.jpg"

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(fileio.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        save_atomic(target, b"data")
    monkeypatch.undo()
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_save_atomic_partial_write_is_cleaned(tmp_path, monkeypatch):
    """A write that dies half-way leaves neither a partial target nor a temp file."""
    target = tmp_path / "x.jpg"
    save_atomic(target, b"old")
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, fd: int, mode: str) -> None:
            self._f = real_fdopen(fd, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc: object) -> None:
            self._f.close()

        def write(self, data: bytes) -> int:
            self._f.write(data[: len(data) // 2])
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(fileio.os, "fdopen", HalfWriter)
    with pytest.raises(OSError, match="Input/output"):
        save_atomic(target, b"0123456789")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_normalise_keeps_jpeg_bytes(make_photo, enc):
    data = enc(make_photo(1), quality=70)
    assert normalise_to_jpeg(data) is data


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "WEBP"])
def test_normalise_converts_to_rgb_jpeg(make_photo, enc, fmt):
    out = normalise_to_jpeg(enc(make_photo(2), fmt))
    with Image.open(io.BytesIO(out)) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (320, 400))


def test_normalise_flattens_transparency_on_white(enc):
    rgba = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    rgba.paste((255, 0, 0, 255), (0, 0, 20, 40))
    out = normalise_to_jpeg(enc(rgba, "PNG"))
    with Image.open(io.BytesIO(out)) as image:
        r, g, b = image.convert("RGB").getpixel((35, 20))
        assert min(r, g, b) > 240  # transparent area became white, not black
        r, g, b = image.convert("RGB").getpixel((5, 20))
        assert r > 200 and g < 60 and b < 60


def test_normalise_rejects_garbage():
    with pytest.raises(ValueError, match="cannot convert"):
        normalise_to_jpeg(b"<html>nope</html>")


@pytest.mark.parametrize("name", ["0a1b2c3d4e5f6789.jpg", "12345.jpg", "Jon_Jones-27944.jpeg"])
def test_safe_child_accepts_plain_names(tmp_path, name):
    assert safe_child(tmp_path, name) == tmp_path / name


@pytest.mark.parametrize(
    "name",
    [
        "",
        ".",
        "..",
        "../etc/passwd",
        "a/b.jpg",
        "a\\b.jpg",
        "/abs.jpg",
        "evil\x00.jpg",
        "..jpg",
        "a..b",
        ".hidden",
        "space name.jpg",
        "trailing-newline.jpg\n",
        "ünïcode.jpg",
        "x" * 201,
    ],
)
def test_safe_child_refuses_bad_names(tmp_path, name):
    with pytest.raises(ValueError, match="unsafe file name") as info:
        safe_child(tmp_path, name)
    assert repr(name)[:50] in str(info.value)
