"""Perceptual hashes used to recognise the sites' "no photo" placeholder images.

Sherdog and UFCStats serve a generic silhouette when they have no photo of a fighter. The
silhouette is re-encoded and resized from page to page, so byte equality is useless; a
perceptual hash (``imagehash.phash``, 64 bits) of a placeholder stays within a few bits of
the original while genuine photos land far away. :func:`placeholder_hash` hashes a known
placeholder once; :func:`ufc_pipeline.images.validate.check_image` compares every download
with those hashes using the same :func:`image_phash` so both sides agree on the parameters.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from PIL import Image

if TYPE_CHECKING:  # imagehash (and numpy) load on the first hash, not with the definitions
    import imagehash

#: Side of the DCT hash grid; 8 gives the usual 64-bit pHash. Never mix hash sizes.
HASH_SIZE = 8


def image_phash(image: Image.Image) -> imagehash.ImageHash:
    """Perceptual hash of an already decoded image (the one definition used everywhere)."""
    import imagehash

    return imagehash.phash(image, hash_size=HASH_SIZE)


def placeholder_hash(data: bytes) -> imagehash.ImageHash:
    """Perceptual hash of the encoded placeholder image ``data`` (JPEG, PNG, ...).

    Raises ``ValueError`` if ``data`` cannot be decoded as an image.
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return image_phash(image)
    except Exception as exc:  # Pillow raises many unrelated types on bad input
        raise ValueError(f"cannot decode placeholder image: {type(exc).__name__}: {exc}") from exc


def hash_distance(
    a: imagehash.ImageHash | str,
    b: imagehash.ImageHash | str,
) -> int:
    """Hamming distance in bits between two perceptual hashes (0 means identical).

    Either side may be given as the hex string of a hash (as stored in
    :attr:`ImageCheck.phash <ufc_pipeline.images.validate.ImageCheck.phash>`). Raises
    ``ValueError`` when the hashes have different sizes, which would make the distance
    meaningless.
    """
    import imagehash

    ha = imagehash.hex_to_hash(a) if isinstance(a, str) else a
    hb = imagehash.hex_to_hash(b) if isinstance(b, str) else b
    if ha.hash.shape != hb.hash.shape:
        raise ValueError(f"hash sizes differ: {ha.hash.shape} vs {hb.hash.shape}")
    return int(ha - hb)
