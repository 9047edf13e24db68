"""Decide whether downloaded bytes are a usable fighter photo, without ever crashing.

:func:`check_image` runs cheap checks first (size, sniffing for HTML/SVG), then lets Pillow
parse the header, checks the pixel count *before* decoding (decompression bombs), decodes
fully (truncation) and finally compares a perceptual hash with the known placeholders.
:func:`check_portrait` goes on with what a fighter's portrait needs: a minimum size, then
exactly one face (:mod:`ufc_pipeline.images.faces`).
Every failure maps to one of the stable reason strings in :data:`REASONS`, which are what
the warehouse ``quarantine`` table records; ``detail`` is free text for humans.

Truncation detection relies on Pillow's default ``ImageFile.LOAD_TRUNCATED_IMAGES = False``.
This module never changes that global; nothing else in the pipeline may set it to True.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PIL import Image, ImageFile, UnidentifiedImageError

from ufc_pipeline.images.faces import MIN_FACE_FRACTION, decodes_smaller, detect_faces, opencv
from ufc_pipeline.images.placeholder import hash_distance, image_phash

if TYPE_CHECKING:
    import imagehash

#: Stable reason codes (quarantine ``reason``) and what each one means.
REASONS: dict[str, str] = {
    "empty": "The response body had zero bytes.",
    "too_large": "The body is larger than the byte limit; it was not decoded.",
    "not_an_image": (
        "The bytes are not an image at all, typically an HTML error or login page served "
        "under an image URL, or random/garbled data."
    ),
    "truncated": (
        "The file starts like an image but cannot be fully decoded: cut-off download or "
        "corrupt data."
    ),
    "decompression_bomb": (
        "The header declares more pixels than allowed; decoding it could exhaust memory."
    ),
    "unsupported_format": (
        "A real image, but in a format the site does not serve photos in (e.g. SVG, BMP, "
        "TIFF, HEIC)."
    ),
    "placeholder": (
        "The image is the site's generic 'no photo' silhouette (perceptual hash close to a "
        "known placeholder)."
    ),
    "too_small": (
        "A real image, but its shorter side is under the minimum for a portrait (an icon or "
        "a thumbnail); it was not searched for a face."
    ),
    "no_face": (
        f"A real image in which no face of at least {MIN_FACE_FRACTION:.0%} of its shorter "
        "side was found (a logo, a poster, a blank frame, a photo from behind)."
    ),
    "several_faces": (
        "A real image showing two or more faces of comparable size (a face-off, a team "
        "picture): it is not one fighter's portrait."
    ),
}

#: A portrait whose shorter side is under this many pixels is ``too_small``.
MIN_PORTRAIT_SIDE = 60

#: Formats accepted as fighter photos (Pillow format names).
ALLOWED_FORMATS: frozenset[str] = frozenset({"JPEG", "MPO", "PNG", "GIF", "WEBP"})

# Magic numbers of formats we accept (to tell "damaged image" from "not an image").
_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
)
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"avif", b"avis")
_TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class ImageCheck:
    """Outcome of :func:`check_image` or :func:`check_portrait`.

    ``ok`` is True only for a decodable photo that is not a placeholder (and, from
    :func:`check_portrait`, large enough and showing exactly one face); otherwise
    ``reason`` is a key of :data:`REASONS`. ``width``/``height``/``format`` are filled as
    soon as the header could be read, ``phash`` (hex) once the image was decoded, ``faces``
    once the faces were counted (None when they were not).
    """

    ok: bool
    reason: str | None
    detail: str
    width: int | None = None
    height: int | None = None
    format: str | None = None
    phash: str | None = None
    faces: int | None = None


def _fail(reason: str, detail: str, **kw: object) -> ImageCheck:
    assert reason in REASONS, reason
    return ImageCheck(ok=False, reason=reason, detail=detail, **kw)  # type: ignore[arg-type]


def _magic_format(data: bytes) -> str | None:
    """Format name from the leading bytes if it is an accepted format, else None."""
    for magic, name in _IMAGE_MAGIC:
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def _ct_note(content_type: str | None) -> str:
    return f" (Content-Type: {content_type})" if content_type else ""


def _sniff_text(data: bytes, content_type: str | None) -> ImageCheck | None:
    """Recognise HTML pages, SVG and other text bodies before handing bytes to Pillow."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n\x00").lower()
    if not head.startswith((b"<", b"{", b"[")) and not _mostly_text(head):
        return None
    is_html = head.startswith((b"<!doctype html", b"<html")) or (
        head.startswith(b"<") and b"<html" in head
    )
    if is_html:
        title = _TITLE_RE.search(data[:8192])
        title_text = ""
        if title:
            text = title.group(1).decode("utf-8", errors="replace")
            title_text = f", title {' '.join(text.split())[:80]!r}"
        return _fail(
            "not_an_image",
            "body is an HTML page, not image data (probably an error or login page served "
            f"under the image URL){title_text}{_ct_note(content_type)}",
        )
    if head.startswith(b"<") and b"<svg" in head:
        return _fail(
            "unsupported_format",
            f"SVG (vector) image; only {sorted(ALLOWED_FORMATS)} are accepted"
            f"{_ct_note(content_type)}",
            format="SVG",
        )
    if _mostly_text(head):
        snippet = data[:60].decode("utf-8", errors="replace")
        return _fail(
            "not_an_image",
            f"body is text, not image data, starting {snippet!r}{_ct_note(content_type)}",
        )
    return None


def _mostly_text(head: bytes) -> bool:
    if not head:
        return False
    printable = sum(1 for b in head if b in (9, 10, 13) or 32 <= b < 127)
    return printable / len(head) > 0.95


def _unsupported_magic(data: bytes) -> str | None:
    """Name of a recognisable image container Pillow cannot (or may not) handle here."""
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "HEIF/AVIF"
    return None


def _open_failure(data: bytes, exc: Exception, content_type: str | None) -> ImageCheck:
    """Classify a failure of ``Image.open`` (the header could not be parsed)."""
    magic = _magic_format(data)
    error = f"{type(exc).__name__}: {exc}"
    if magic is not None:
        return _fail(
            "truncated",
            f"starts like {magic} but the header cannot be parsed ({error})",
            format=magic,
        )
    other = _unsupported_magic(data)
    if other is not None:
        return _fail(
            "unsupported_format", f"{other} container, not decodable here{_ct_note(content_type)}"
        )
    return _fail(
        "not_an_image",
        f"unrecognised data starting {data[:16].hex()}{_ct_note(content_type)}",
    )


def check_image(
    data: bytes,
    *,
    content_type: str | None = None,
    placeholder_hashes: Sequence[imagehash.ImageHash] = (),
    max_bytes: int = 5_000_000,
    max_pixels: int = 25_000_000,
    placeholder_distance: int = 6,
) -> ImageCheck:
    """Validate downloaded image bytes; never raises for any value of ``data``.

    ``content_type`` (the HTTP header, optional) is only quoted in ``detail``: the bytes
    decide. ``placeholder_hashes`` come from
    :func:`~ufc_pipeline.images.placeholder.placeholder_hash`; an image within
    ``placeholder_distance`` bits of any of them is reported as ``placeholder``.
    (A placeholder hash of a different hash size is a programming error: ``ValueError``.)
    MPO is the JPEG variant some cameras write; it is accepted like JPEG.
    """
    return _check_image(
        data,
        content_type=content_type,
        placeholder_hashes=placeholder_hashes,
        max_bytes=max_bytes,
        max_pixels=max_pixels,
        placeholder_distance=placeholder_distance,
    )[0]


def _check_image(
    data: bytes,
    *,
    content_type: str | None,
    placeholder_hashes: Sequence[imagehash.ImageHash],
    max_bytes: int,
    max_pixels: int,
    placeholder_distance: int,
) -> tuple[ImageCheck, Image.Image | None]:
    """:func:`check_image`, and the decoded picture in 8-bit grayscale when it is ok (the
    one the perceptual hash was computed from, for the face check: decoded once)."""
    result, gray = _checked(
        data,
        content_type=content_type,
        placeholder_hashes=placeholder_hashes,
        max_bytes=max_bytes,
        max_pixels=max_pixels,
        placeholder_distance=placeholder_distance,
    )
    return result, gray if result.ok else None


def _checked(
    data: bytes,
    *,
    content_type: str | None,
    placeholder_hashes: Sequence[imagehash.ImageHash],
    max_bytes: int,
    max_pixels: int,
    placeholder_distance: int,
) -> tuple[ImageCheck, Image.Image | None]:
    if not data:
        return _fail("empty", f"zero-byte body{_ct_note(content_type)}"), None
    if len(data) > max_bytes:
        too_large = f"{len(data)} bytes exceeds the limit of {max_bytes} bytes"
        return _fail("too_large", too_large), None

    sniffed = _sniff_text(data, content_type)
    if sniffed is not None:
        return sniffed, None

    width = height = None
    fmt: str | None = None
    try:
        with warnings.catch_warnings():
            # Pillow warns (rather than raises) between 1x and 2x MAX_IMAGE_PIXELS.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt = image.format
                width, height = image.size
                failed = _inspect(image, data, max_pixels)
                if failed is not None:
                    return failed, None
                # the hash converts to grayscale itself: converting first changes nothing
                gray = image.convert("L")
                phash = image_phash(gray)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        bomb = _fail("decompression_bomb", str(exc), width=width, height=height, format=fmt or None)
        return bomb, None
    except UnidentifiedImageError as exc:
        return _open_failure(data, exc, content_type), None
    except Exception as exc:  # anything else Pillow or imagehash may throw on hostile input
        if width is None:
            return _open_failure(data, exc, content_type), None
        failure = _fail(
            "truncated",
            f"{fmt} {width}x{height} cannot be processed: {type(exc).__name__}: {exc}",
            width=width,
            height=height,
            format=fmt,
        )
        return failure, None

    dims_hash = {"width": width, "height": height, "format": fmt, "phash": str(phash)}
    for candidate in placeholder_hashes:
        distance = hash_distance(phash, candidate)
        if distance <= placeholder_distance:
            placeholder = _fail(
                "placeholder",
                f"perceptual hash {phash} is {distance} bits from placeholder {candidate} "
                f"(threshold {placeholder_distance})",
                **dims_hash,
            )
            return placeholder, None
    ok = ImageCheck(ok=True, reason=None, detail=f"{fmt} {width}x{height}", **dims_hash)
    return ok, gray


def _inspect(image: Image.Image, data: bytes, max_pixels: int) -> ImageCheck | None:
    """Format, declared size and a full decode of an opened image; None when all is well.
    Decompression-bomb errors propagate to the caller."""
    fmt = image.format
    width, height = image.size
    dims = {"width": width, "height": height, "format": fmt}
    if fmt not in ALLOWED_FORMATS:
        return _fail(
            "unsupported_format",
            f"{fmt} image; only {sorted(ALLOWED_FORMATS)} are accepted",
            **dims,
        )
    if width * height > max_pixels:
        return _fail(
            "decompression_bomb",
            f"header declares {width}x{height} = {width * height} pixels, limit {max_pixels}",
            **dims,
        )
    if ImageFile.LOAD_TRUNCATED_IMAGES:  # pragma: no cover - misconfiguration
        return _fail(
            "truncated", "PIL.ImageFile.LOAD_TRUNCATED_IMAGES is True; refusing to validate", **dims
        )
    try:
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise
    except Exception as exc:
        return _fail(
            "truncated",
            f"{fmt} {width}x{height} fails to decode: {type(exc).__name__}: {exc}",
            **dims,
        )
    if fmt == "PNG" and b"IEND" not in data[-64:]:
        return _fail("truncated", "PNG has no IEND chunk at the end", **dims)
    return None


def load_libraries() -> None:
    """Import what the checks use (OpenCV, numpy, imagehash) in the calling thread.

    They load on the first check, not with the definitions; a step that runs checks in
    worker threads calls this first, so that no package's first import runs in two threads
    at once.
    """
    opencv()
    import imagehash  # noqa: F401


def check_portrait(
    data: bytes,
    *,
    content_type: str | None = None,
    placeholder_hashes: Sequence[imagehash.ImageHash] = (),
    face_check: bool = True,
    min_side: int = MIN_PORTRAIT_SIDE,
    max_bytes: int = 5_000_000,
    max_pixels: int = 25_000_000,
    placeholder_distance: int = 6,
) -> ImageCheck:
    """Validate a downloaded fighter portrait; never raises for any value of ``data`` (a
    fault in the code is raised, not passed off as a damaged file).

    :func:`check_image` first (its failures, the placeholder included, come back as they
    are), then ``too_small`` when the shorter side is under ``min_side`` pixels, then
    (``face_check``) ``no_face`` / ``several_faces`` unless the picture shows exactly one
    face (:func:`ufc_pipeline.images.faces.detect_faces`); ``faces`` holds the count.
    """
    result, gray = _check_image(
        data,
        content_type=content_type,
        placeholder_hashes=placeholder_hashes,
        max_bytes=max_bytes,
        max_pixels=max_pixels,
        placeholder_distance=placeholder_distance,
    )
    if not result.ok:
        return result
    known = {
        "width": result.width,
        "height": result.height,
        "format": result.format,
        "phash": result.phash,
    }
    width, height = result.width or 0, result.height or 0
    if min(width, height) < min_side:
        return _fail(
            "too_small",
            f"{result.format} {width}x{height}: shorter side under {min_side} px",
            **known,
        )
    if not face_check:
        return result
    # the picture decoded above, unless the face check reads a large JPEG at a reduced
    # scale straight from its bytes (a different decode: see faces.decodes_smaller)
    picture: bytes | Image.Image = gray if gray is not None else data
    if decodes_smaller(result.format, width, height):
        picture = data
    try:
        faces = detect_faces(picture)
    except ValueError as exc:  # decoded once already: this decode (at a reduced scale) failed
        return _fail(
            "truncated",
            f"{result.format} {width}x{height} cannot be read for the face check: "
            f"{type(exc).__name__}: {exc}",
            **known,
        )
    if not faces.ok:
        assert faces.reason is not None
        return _fail(faces.reason, f"{result.detail}: {faces.detail}", faces=faces.faces, **known)
    return replace(result, detail=f"{result.detail}, {faces.detail}", faces=faces.faces)
