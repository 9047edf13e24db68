"""Writing validated images to disk: safe file names, atomic saves, JPEG normalisation.

File names are built from ids scraped from web pages, so :func:`safe_child` refuses
anything that could escape the image directory. :func:`save_atomic` guarantees readers see
either the old file or the complete new one, never a partial write, and never leaves
temporary files behind.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image, ImageOps

from ufc_pipeline.fileio import atomic_write

#: Characters allowed in a stored file name (ASCII only).
_SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]+")
_MAX_NAME_LEN = 200
_FILE_MODE = 0o644


def safe_child(root: Path, name: str) -> Path:
    """``root / name`` after checking ``name`` is a plain, harmless file name.

    Allowed: 1-200 characters from ``[A-Za-z0-9_.-]``, not starting with ``.`` (hidden and
    temporary files start with a dot) and not containing ``..``. Path separators, NUL,
    whitespace and non-ASCII characters are refused. Raises ``ValueError`` naming the bad
    name.
    """
    if not isinstance(name, str):
        raise ValueError(f"unsafe file name {name!r}: not a string")
    problem = None
    if not name:
        problem = "empty"
    elif len(name) > _MAX_NAME_LEN:
        problem = f"longer than {_MAX_NAME_LEN} characters"
    elif _SAFE_NAME.fullmatch(name) is None:
        problem = "only A-Z a-z 0-9 _ . - are allowed (no separators, NUL or spaces)"
    elif name.startswith("."):
        problem = "must not start with '.'"
    elif ".." in name:
        problem = "must not contain '..'"
    if problem is not None:
        raise ValueError(f"unsafe file name {name!r}: {problem}")
    child = root / name
    if child.parent != root:  # belt and braces; cannot happen after the checks above
        raise ValueError(f"unsafe file name {name!r}: escapes {root}")
    return child


def save_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` atomically (see :mod:`ufc_pipeline.fileio`): the bytes
    go to a temporary file in the same directory, are fsynced, then replace ``path``; on
    failure ``path`` keeps its previous content (or stays absent). Mode 0644.

    ``durable=False`` skips the fsyncs (still atomic for readers and a killed process):
    for pictures that a run can derive again, such as the fighter images, whose rows
    record their sha256."""
    atomic_write(path, data, durable=durable)


def normalise_to_jpeg(data: bytes, *, quality: int = 90) -> bytes:
    """Return ``data`` as JPEG bytes: unchanged if it already is JPEG, else re-encoded.

    Non-JPEG input (PNG, GIF, WEBP, ...) is decoded (first frame only), rotated according
    to its EXIF orientation, flattened onto white if it has transparency, converted to RGB
    and saved as a JPEG of the given ``quality``. Meant for bytes that already passed
    :func:`~ufc_pipeline.images.validate.check_image`; raises ``ValueError`` otherwise.
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format == "JPEG":
                return data
            image.load()
            frame = ImageOps.exif_transpose(image)
            if frame.mode in ("RGBA", "LA", "PA") or (
                frame.mode == "P" and "transparency" in frame.info
            ):
                rgba = frame.convert("RGBA")
                background = Image.new("RGB", rgba.size, (255, 255, 255))
                background.paste(rgba, mask=rgba.getchannel("A"))
                rgb = background
            else:
                rgb = frame.convert("RGB")
            out = io.BytesIO()
            rgb.save(out, format="JPEG", quality=quality)
            return out.getvalue()
    except Exception as exc:
        raise ValueError(f"cannot convert image to JPEG: {type(exc).__name__}: {exc}") from exc
