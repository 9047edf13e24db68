"""Fighter photo handling: validation, placeholder detection and atomic storage (no Dagster)."""

from ufc_pipeline.images.placeholder import hash_distance, image_phash, placeholder_hash
from ufc_pipeline.images.store import normalise_to_jpeg, safe_child, save_atomic
from ufc_pipeline.images.validate import ALLOWED_FORMATS, REASONS, ImageCheck, check_image

__all__ = [
    "ALLOWED_FORMATS",
    "REASONS",
    "ImageCheck",
    "check_image",
    "hash_distance",
    "image_phash",
    "normalise_to_jpeg",
    "placeholder_hash",
    "safe_child",
    "save_atomic",
]
