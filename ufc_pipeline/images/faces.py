"""How many faces a fighter photo shows, with OpenCV's frontal-face Haar cascade.

A fighter's portrait must show exactly one face: a photo without a face (a logo, a poster, a
blank frame) or with several (a face-off, a team picture) is not the fighter's portrait. The
detector is a Haar cascade that ships inside the ``opencv-python-headless`` 4.x wheel
(``cv2.data.haarcascades``): nothing is downloaded at run time. Of the frontal-face
cascades, ``alt2`` finds as many of the faces of Labeled Faces in the Wild as ``default``
but none of the false faces ``default`` sees in textures (coins, cells, a coffee cup).

How a picture is read (:func:`detect_faces`):

1. decoded with Pillow to 8-bit grayscale and shrunk so that the smallest face looked for,
   :data:`MIN_FACE_FRACTION` of the shorter side, measures :data:`MIN_FACE_PIXELS` (a
   200x300 portrait is read as it is; a 2000x3000 one is decoded at 1/8 scale by the JPEG
   decoder, then resized to 200x300), and the long side to at most :data:`MAX_SIDE`;
2. the histogram is equalised (dark or washed-out photos);
3. the cascade looks for faces from that smallest size up (:data:`SCALE_FACTOR`,
   :data:`MIN_NEIGHBORS`): a face under 15 % of the shorter side, a spectator in the
   crowd, is not looked for at all;
4. detections that overlap (by more than :data:`OVERLAP` of the smaller box) are one face
   (the cascade sometimes reports a face and a box inside it);
5. a face counts only if its side is at least :data:`COMPARABLE` of the largest face's side:
   a referee or a cornerman behind the fighter is much smaller than the fighter's face and
   does not make the portrait "several faces"; two people side by side (a face-off, a team
   picture) are of comparable size and do.

The cost is that of the cascade on a 200x300 picture: about 10-20 ms of CPU on a textured
photo, a few ms on a plain background (``bench/face_bench.py`` measures it).

The classifier is created lazily, once per thread: OpenCV's ``CascadeClassifier`` keeps
scratch buffers inside the object, so one instance must not run in two threads at once.
The module does no I/O besides reading the cascade file from the OpenCV package.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from PIL import Image

if TYPE_CHECKING:  # OpenCV and numpy load on the first check, not with the definitions
    import cv2
    import numpy as np

#: The cascade file inside the OpenCV wheel.
CASCADE_FILE = "haarcascade_frontalface_alt2.xml"
#: Long side, in pixels, of the picture the cascade reads (larger pictures are shrunk).
MAX_SIDE = 400
#: Smallest face looked for, as a fraction of the picture's shorter side.
MIN_FACE_FRACTION = 0.15
#: The picture is shrunk until that smallest face measures this many pixels (the cascade's
#: own window is 20x20): the cost of the search falls with the square of the scale.
MIN_FACE_PIXELS = 30
#: A face counts only if its side is at least this fraction of the largest face's side.
COMPARABLE = 0.5
#: Two detections are one face when their intersection exceeds this share of the smaller box.
OVERLAP = 0.25
SCALE_FACTOR = 1.15
MIN_NEIGHBORS = 4

#: Reasons of a failed face check (keys of ``ufc_pipeline.images.validate.REASONS``).
NO_FACE = "no_face"
SEVERAL_FACES = "several_faces"

Box = tuple[int, int, int, int]  # x, y, width, height in the original picture's pixels

_local = threading.local()
_load_lock = threading.Lock()
_cv2_module: ModuleType | None = None


def opencv() -> ModuleType:
    """OpenCV, imported once under a lock.

    The face check runs in worker threads, and OpenCV's package init is not safe to run from
    two at once: it puts its native module in ``sys.modules["cv2"]`` before it has finished
    (``cv2.data`` comes last), so a second thread's ``import cv2`` can return that half-made
    module. Seen in a run: "module 'cv2' has no attribute 'data'".
    """
    global _cv2_module
    if _cv2_module is None:
        with _load_lock:
            if _cv2_module is None:
                import cv2

                cv2.data.haarcascades  # noqa: B018 - the package has finished loading
                _cv2_module = cv2
    return _cv2_module


def one_thread_per_check() -> None:
    """Make OpenCV run each detection on its calling thread alone (process-wide).

    For callers that run checks in a pool with a thread per core: the pool is then the
    parallelism, and OpenCV's own threads would only contend with it. With two pool threads
    on two cores this costs 3 % less CPU and 6 % less wall time a picture (400 mirror
    portraits, 15.2 against 15.6 ms of CPU); the faces found are the same.
    """
    opencv().setNumThreads(1)


@dataclass(frozen=True)
class FaceCheck:
    """Outcome of :func:`detect_faces`.

    ``faces`` counts the faces of comparable size (see the module docstring), ``boxes`` are
    theirs, largest first, in the original picture's pixels. ``ok`` means exactly one face;
    otherwise ``reason`` is ``"no_face"`` or ``"several_faces"``. ``detail`` is for humans.
    """

    faces: int
    boxes: tuple[Box, ...]
    ok: bool
    reason: str | None
    detail: str


def _classifier() -> cv2.CascadeClassifier:
    """This thread's classifier, loaded on first use."""
    classifier = getattr(_local, "classifier", None)
    if classifier is None:
        cv2 = opencv()
        path = cv2.data.haarcascades + CASCADE_FILE
        classifier = cv2.CascadeClassifier(path)
        if classifier.empty():  # pragma: no cover - broken OpenCV installation
            raise RuntimeError(f"cannot load the face cascade {path}")
        _local.classifier = classifier
    return classifier


def _grayscale(picture: bytes | Image.Image | np.ndarray) -> tuple[np.ndarray, float]:
    """The picture as uint8 grayscale at the working scale (see :func:`_shrink`), and the
    factor that maps its coordinates back to the original picture's."""
    cv2 = opencv()
    import numpy as np  # loaded by OpenCV already

    if isinstance(picture, np.ndarray):
        gray = _array_gray(picture)
        width = gray.shape[1]
    elif isinstance(picture, Image.Image):
        width = picture.size[0]
        gray = np.asarray(picture.convert("L"))
    else:
        image, width = _decode(picture)
        gray = np.asarray(image.convert("L"))
    shrink = _shrink(gray.shape[1], gray.shape[0])
    if shrink < 1:
        size = (max(1, round(gray.shape[1] * shrink)), max(1, round(gray.shape[0] * shrink)))
        gray = cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
    return gray, width / gray.shape[1]


def _shrink(width: int, height: int) -> float:
    """Scale of the working picture: the long side at most MAX_SIDE, and the smallest face
    looked for no larger than MIN_FACE_PIXELS (pictures are never enlarged)."""
    return min(
        1.0,
        MAX_SIDE / max(width, height),
        MIN_FACE_PIXELS / max(1.0, MIN_FACE_FRACTION * min(width, height)),
    )


def decodes_smaller(fmt: str | None, width: int, height: int) -> bool:
    """Whether :func:`detect_faces` decodes the bytes of such a picture at a reduced scale
    (a JPEG larger than the working picture): its pixels then differ from a full decode."""
    return fmt == "JPEG" and _shrink(width, height) < 1


def _decode(data: bytes) -> tuple[Image.Image, int]:
    """Decode ``data`` and return it with its width as stored. A JPEG larger than the
    working scale is decoded at 1/2, 1/4 or 1/8 of its size (``Image.draft``), whichever
    is the smallest still at least as large as the working picture."""
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        shrink = _shrink(width, height)
        if decodes_smaller(image.format, width, height):
            image.draft("L", (int(width * shrink) + 1, int(height * shrink) + 1))
        image.load()
    except Exception as exc:  # Pillow raises many unrelated types on bad input
        raise ValueError(f"cannot decode image: {type(exc).__name__}: {exc}") from exc
    return image, width


def _array_gray(array: np.ndarray) -> np.ndarray:
    """uint8 grayscale of a numpy picture (float arrays are taken as 0..1)."""
    cv2 = opencv()
    import numpy as np  # loaded by OpenCV already

    if array.dtype != np.uint8:
        scale = 255.0 if array.size and float(array.max()) <= 1.0 else 1.0
        array = np.clip(array * scale, 0, 255).astype(np.uint8)
    if array.ndim == 3:
        array = cv2.cvtColor(np.ascontiguousarray(array[..., :3]), cv2.COLOR_RGB2GRAY)
    return np.ascontiguousarray(array)


def _merge(boxes: list[Box]) -> list[Box]:
    """One box per face: overlapping detections keep the largest of them."""
    kept: list[Box] = []
    for box in sorted(boxes, key=lambda b: b[2] * b[3], reverse=True):
        _, _, w, h = box
        if not any(_overlap(box, other) > OVERLAP * w * h for other in kept):
            kept.append(box)
    return kept


def _overlap(a: Box, b: Box) -> int:
    dx = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    dy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0, dx) * max(0, dy)


def detect_faces(picture: bytes | Image.Image | np.ndarray) -> FaceCheck:
    """Count the faces of a portrait (encoded bytes, a Pillow image or a numpy array).

    A float array is taken as values in 0..1, an RGB array as RGB. Raises ``ValueError``
    when bytes cannot be decoded as an image; validate downloads with
    :func:`ufc_pipeline.images.validate.check_portrait`, which never raises.
    """
    cv2 = opencv()
    gray, back = _grayscale(picture)
    short = min(gray.shape)
    classifier = _classifier()
    window = max(classifier.getOriginalWindowSize())
    min_face = max(window, round(MIN_FACE_FRACTION * short))
    found = classifier.detectMultiScale(
        cv2.equalizeHist(gray),
        scaleFactor=SCALE_FACTOR,
        minNeighbors=MIN_NEIGHBORS,
        minSize=(min_face, min_face),
    )
    merged = _merge([(int(x), int(y), int(w), int(h)) for x, y, w, h in found])
    largest = max((w for _, _, w, _ in merged), default=0)
    counted = [b for b in merged if b[2] >= COMPARABLE * largest]
    boxes = tuple(
        (round(x * back), round(y * back), round(w * back), round(h * back))
        for x, y, w, h in counted
    )
    ignored = len(merged) - len(counted)
    note = f" ({ignored} smaller face{'s' if ignored > 1 else ''} ignored)" if ignored else ""
    sizes = ", ".join(f"{w}x{h} at ({x},{y})" for x, y, w, h in boxes)
    if len(boxes) == 1:
        return FaceCheck(1, boxes, True, None, f"one face, {sizes}{note}")
    if not boxes:
        return FaceCheck(
            0, boxes, False, NO_FACE, f"no face of at least {min_face * back:.0f} px found"
        )
    return FaceCheck(len(boxes), boxes, False, SEVERAL_FACES, f"{len(boxes)} faces: {sizes}{note}")
