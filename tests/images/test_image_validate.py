"""check_image: every failure mode maps to its stable reason and nothing crashes."""

from __future__ import annotations

import random

import pytest
from PIL import ImageFile

from ufc_pipeline.images.placeholder import hash_distance, placeholder_hash
from ufc_pipeline.images.validate import REASONS, ImageCheck, check_image

HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
    b"<body><h1>Not Found</h1><p>The requested URL was not found.</p></body></html>\n"
)


def test_photo_is_ok(make_photo, enc):
    result = check_image(enc(make_photo(1)), content_type="image/jpeg")
    assert result == ImageCheck(
        ok=True,
        reason=None,
        detail="JPEG 320x400",
        width=320,
        height=400,
        format="JPEG",
        phash=result.phash,
    )
    assert result.phash is not None and len(result.phash) == 16


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "WEBP"])
def test_other_accepted_formats(make_photo, enc, fmt):
    result = check_image(enc(make_photo(2), fmt))
    assert (result.ok, result.format, result.width) == (True, fmt, 320)


def test_empty():
    result = check_image(b"", content_type="image/jpeg")
    assert (result.ok, result.reason) == (False, "empty")


def test_too_large_is_not_decoded(make_photo, enc):
    data = enc(make_photo(1))
    result = check_image(data, max_bytes=len(data) - 1)
    assert result.reason == "too_large"
    assert result.width is None  # rejected before parsing
    assert check_image(data, max_bytes=len(data)).ok


def test_html_page_served_as_jpeg():
    result = check_image(HTML_PAGE, content_type="text/html; charset=utf-8")
    assert result.reason == "not_an_image"
    assert "HTML" in result.detail
    assert "404 Not Found" in result.detail
    assert "text/html" in result.detail


def test_html_without_doctype_and_with_leading_whitespace():
    body = b"\xef\xbb\xbf  \r\n<html lang='en'><body>Access denied</body></html>"
    result = check_image(body)
    assert result.reason == "not_an_image"
    assert "HTML" in result.detail


def test_json_error_body():
    result = check_image(b'{"error": "rate limited", "retry_after": 30}')
    assert result.reason == "not_an_image"
    assert "text" in result.detail


def test_random_bytes():
    data = random.Random(7).randbytes(4096)
    result = check_image(data)
    assert (result.ok, result.reason) == (False, "not_an_image")


def test_jpeg_truncated_at_half(make_photo, enc):
    data = enc(make_photo(3))
    result = check_image(data[: len(data) // 2])
    assert result.reason == "truncated"
    assert (result.format, result.width, result.height) == ("JPEG", 320, 400)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False  # the global was not touched


@pytest.mark.parametrize("fmt", ["PNG", "GIF"])
def test_other_formats_truncated(make_photo, enc, fmt):
    data = enc(make_photo(3), fmt)
    assert check_image(data[: len(data) // 2]).reason == "truncated"


def test_png_missing_its_last_bytes(make_photo, enc):
    data = enc(make_photo(3), "PNG")
    assert check_image(data[:-8]).reason == "truncated"


def test_header_only_jpeg_is_truncated():
    result = check_image(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    assert result.reason == "truncated"


def test_decompression_bomb_png_header(make_huge_png):
    data = make_huge_png(50_000, 50_000)
    assert len(data) < 2_000
    result = check_image(data)
    assert result.reason == "decompression_bomb"


def test_pixel_limit_checked_before_decoding(make_huge_png):
    # 36 Mpx: below Pillow's own threshold, so only our max_pixels check catches it.
    result = check_image(make_huge_png(6_000, 6_000))
    assert result.reason == "decompression_bomb"
    assert (result.width, result.height) == (6_000, 6_000)
    assert "limit 25000000" in result.detail


def test_pillow_bomb_warning_is_an_error(make_huge_png):
    # 100 Mpx: Pillow only *warns* while opening; that warning must become a rejection.
    result = check_image(make_huge_png(10_000, 10_000), max_pixels=10**12)
    assert result.reason == "decompression_bomb"
    assert "100000000 pixels" in result.detail


def test_custom_pixel_limit(make_photo, enc):
    result = check_image(enc(make_photo(1)), max_pixels=320 * 400 - 1)
    assert result.reason == "decompression_bomb"
    assert "320x400" in result.detail


@pytest.mark.parametrize("fmt", ["BMP", "TIFF"])
def test_unsupported_raster_format(make_photo, enc, fmt):
    result = check_image(enc(make_photo(4), fmt))
    assert (result.reason, result.format) == ("unsupported_format", fmt)


def test_svg_is_unsupported():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'
    assert check_image(svg).reason == "unsupported_format"


def test_placeholder_detected_after_reencode_and_resize(make_silhouette, enc):
    reference = placeholder_hash(enc(make_silhouette(), quality=90))
    variant = make_silhouette().resize((300, 375))
    for data in (enc(variant, quality=45), enc(variant, "PNG")):
        result = check_image(data, placeholder_hashes=[reference])
        assert result.reason == "placeholder", result.detail
        assert result.phash is not None
        assert hash_distance(result.phash, reference) <= 6


def test_fighter_photos_are_not_placeholders(make_photo, make_silhouette, enc):
    reference = placeholder_hash(enc(make_silhouette()))
    for seed in range(10):
        result = check_image(enc(make_photo(seed)), placeholder_hashes=[reference])
        assert result.ok, (seed, result)
        assert hash_distance(result.phash, reference) > 10


def test_placeholder_distance_zero_only_matches_identical(make_silhouette, enc):
    data = enc(make_silhouette())
    reference = placeholder_hash(data)
    assert check_image(data, placeholder_hashes=[reference], placeholder_distance=0).reason == (
        "placeholder"
    )


def test_hash_distance_rejects_different_sizes():
    with pytest.raises(ValueError, match="sizes differ"):
        hash_distance("ffffffffffffffff", "ff")


def test_placeholder_hash_rejects_garbage():
    with pytest.raises(ValueError, match="cannot decode"):
        placeholder_hash(b"not an image")


@pytest.mark.parametrize("seed", range(40))
def test_never_raises_on_mangled_images(make_photo, enc, seed):
    """Flip random bytes of valid images: the result is always a known reason or ok."""
    rng = random.Random(seed)
    fmt = ["JPEG", "PNG", "GIF", "WEBP"][seed % 4]
    data = bytearray(enc(make_photo(seed % 5), fmt))
    for _ in range(rng.randrange(1, 20)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    cut = len(data) if rng.random() < 0.5 else rng.randrange(1, len(data))
    result = check_image(bytes(data[:cut]))
    assert result.ok or result.reason in REASONS


def test_every_reason_is_documented():
    assert set(REASONS) == {
        "empty",
        "too_large",
        "not_an_image",
        "truncated",
        "decompression_bomb",
        "unsupported_format",
        "placeholder",
        "too_small",
        "no_face",
        "several_faces",
    }
    assert all(text.strip() for text in REASONS.values())
