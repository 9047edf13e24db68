"""The face check on real faces and real non-faces (scikit-image's bundled pictures).

``skimage.data.lfw_subset()`` holds 200 grayscale 25x25 crops from Labeled Faces in the
Wild: the first 100 are faces, the last 100 are not. Each is upscaled into a 200x300
portrait frame, as the pipeline sees a fighter photo; ``astronaut()`` is a real photo of
one person; ``coffee``, ``chelsea`` (a cat) and ``rocket`` show no one.
"""

from __future__ import annotations

import io
import random
import subprocess
import sys
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from ufc_pipeline.images import validate
from ufc_pipeline.images.faces import FaceCheck, detect_faces, one_thread_per_check
from ufc_pipeline.images.placeholder import placeholder_hash
from ufc_pipeline.images.validate import REASONS, check_portrait

skimage_data = pytest.importorskip("skimage.data")

FRAME = (200, 300)


@pytest.fixture(scope="module")
def lfw() -> np.ndarray:
    return np.round(skimage_data.lfw_subset() * 255).astype(np.uint8)


def framed(*crops: np.ndarray, width_share: float, cx: float = 0.5, cy: float = 0.4) -> np.ndarray:
    """The crops upscaled to ``width_share`` of the frame width each, side by side, centred
    at (cx, cy) of a 200x300 frame whose rest repeats their edges."""
    w, h = FRAME
    side = round(width_share * w)
    row = np.hstack([cv2.resize(c, (side, side), interpolation=cv2.INTER_CUBIC) for c in crops])
    x0, y0 = round(cx * w - row.shape[1] / 2), round(cy * h - side / 2)
    return cv2.copyMakeBorder(
        row, y0, h - y0 - side, x0, w - x0 - row.shape[1], cv2.BORDER_REPLICATE
    )


def jpeg(picture: np.ndarray | Image.Image, quality: int = 88) -> bytes:
    image = picture if isinstance(picture, Image.Image) else Image.fromarray(picture)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def portrait_of(lfw: np.ndarray, i: int) -> np.ndarray:
    rng = random.Random(i)
    return framed(
        lfw[i],
        width_share=rng.uniform(0.45, 0.6),
        cx=rng.uniform(0.42, 0.58),
        cy=rng.uniform(0.3, 0.45),
    )


def test_real_faces_give_one_face(lfw: np.ndarray) -> None:
    counts = [detect_faces(jpeg(portrait_of(lfw, i))).faces for i in range(100)]
    assert sum(c == 1 for c in counts) >= 95, counts
    assert sum(c >= 2 for c in counts) <= 1, counts


def test_real_non_faces_give_none(lfw: np.ndarray) -> None:
    pictures = [portrait_of(lfw, i) for i in range(100, 200)]
    rng = random.Random(3)
    for name in ("coffee", "chelsea", "rocket"):
        scene = getattr(skimage_data, name)()
        pictures.append(scene)
        sh, sw = scene.shape[:2]
        for _ in range(6):  # portrait-shaped crops, as a profile picture would be
            ch = round(min(sh, sw * 1.5) * rng.uniform(0.5, 1.0))
            cw = round(ch / 1.5)
            y, x = rng.randint(0, sh - ch), rng.randint(0, sw - cw)
            pictures.append(cv2.resize(scene[y : y + ch, x : x + cw], FRAME))
    counts = [detect_faces(p).faces for p in pictures]
    assert sum(c == 0 for c in counts) >= 0.98 * len(pictures), counts
    assert counts[100] == counts[107] == counts[114] == 0  # the whole coffee, cat, rocket


def test_astronaut_is_one_face_where_her_face_is() -> None:
    result = detect_faces(skimage_data.astronaut())
    assert (result.faces, result.ok, result.reason) == (1, True, None), result
    [(x, y, w, h)] = result.boxes
    assert 190 < x + w / 2 < 260 and 80 < y + h / 2 < 150  # her face, not the suit or flag
    assert 70 < w < 140


def test_large_picture_is_shrunk_and_boxes_come_back_in_its_pixels() -> None:
    big = Image.fromarray(skimage_data.astronaut()).resize((2048, 2048))
    result = detect_faces(jpeg(big))
    assert result.faces == 1, result
    [(x, y, w, h)] = result.boxes
    assert 4 * 190 < x + w / 2 < 4 * 260 and 4 * 80 < y + h / 2 < 4 * 150


def test_bytes_pillow_and_arrays_agree(lfw: np.ndarray) -> None:
    picture = portrait_of(lfw, 5)
    data = jpeg(picture)
    decoded = Image.open(io.BytesIO(data))
    results = {
        detect_faces(data),
        detect_faces(decoded),
        detect_faces(np.asarray(decoded)),
        detect_faces(decoded.convert("RGB")),
    }
    assert len({(r.faces, r.reason) for r in results}) == 1
    assert detect_faces(lfw[5].astype(float) / 255).faces in (0, 1)  # tiny float array: no crash


def test_two_faces_side_by_side(lfw: np.ndarray) -> None:
    results = [detect_faces(jpeg(framed(lfw[i], lfw[i + 50], width_share=0.38))) for i in range(10)]
    several = [r for r in results if r.reason == "several_faces"]
    assert len(several) >= 9, [r.detail for r in results]
    assert all(r.faces == 2 and not r.ok and len(r.boxes) == 2 for r in several)


def test_a_much_smaller_face_does_not_count(lfw: np.ndarray) -> None:
    """A spectator behind the fighter: detected, but under half the fighter's face size."""
    picture = framed(lfw[1], width_share=0.6, cy=0.3)
    small = cv2.resize(lfw[2], (48, 48), interpolation=cv2.INTER_CUBIC)
    picture[210:258, 20:68] = small
    assert detect_faces(framed(lfw[2], width_share=0.24, cy=0.78)).faces == 1  # it is a face
    result = detect_faces(picture)
    assert (result.faces, result.ok) == (1, True), result


def test_flat_image_has_no_face() -> None:
    result = detect_faces(np.full((300, 200), 128, np.uint8))
    assert result == FaceCheck(faces=0, boxes=(), ok=False, reason="no_face", detail=result.detail)
    assert "no face" in result.detail


def test_garbage_bytes_raise_value_error() -> None:
    with pytest.raises(ValueError, match="cannot decode"):
        detect_faces(b"<html>not an image</html>")


def test_threads_share_nothing(lfw: np.ndarray) -> None:
    pictures = [jpeg(portrait_of(lfw, i)) for i in range(8)] + [
        jpeg(framed(lfw[0], lfw[60], width_share=0.38))
    ]
    expected = [detect_faces(p) for p in pictures]
    seen: list[list[FaceCheck]] = []

    def run() -> None:
        seen.append([detect_faces(p) for p in pictures])

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [expected] * 4


def test_one_thread_per_check_finds_the_same_faces(lfw: np.ndarray) -> None:
    pictures = [jpeg(portrait_of(lfw, i)) for i in range(20)] + [
        jpeg(framed(lfw[0], lfw[60], width_share=0.38)),
        jpeg(np.full((300, 200), 90, np.uint8)),
    ]
    threads = cv2.getNumThreads()
    try:
        cv2.setNumThreads(2)
        expected = [detect_faces(p) for p in pictures]
        one_thread_per_check()
        assert cv2.getNumThreads() == 1
        assert [detect_faces(p) for p in pictures] == expected
    finally:
        cv2.setNumThreads(threads)
    assert [c.faces for c in expected[-2:]] == [2, 0]


# check_portrait: the reasons in the order they are decided


def test_portrait_ok_counts_one_face(lfw: np.ndarray) -> None:
    result = check_portrait(jpeg(portrait_of(lfw, 0)), content_type="image/jpeg")
    assert (result.ok, result.reason, result.faces) == (True, None, 1), result
    assert (result.width, result.height, result.format) == (200, 300, "JPEG")
    assert result.phash is not None and "one face" in result.detail


def test_portrait_no_face() -> None:
    result = check_portrait(jpeg(skimage_data.coffee()))
    assert (result.ok, result.reason, result.faces) == (False, "no_face", 0), result
    assert result.phash is not None  # still hashed: the quarantine keeps it


def test_portrait_several_faces(lfw: np.ndarray) -> None:
    result = check_portrait(jpeg(framed(lfw[0], lfw[60], width_share=0.38)))
    assert (result.reason, result.faces) == ("several_faces", 2), result


def test_a_fault_in_the_face_check_is_not_called_a_damaged_file(
    lfw: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A half-imported OpenCV once raised AttributeError here, and the picture was rejected
    # as "truncated": the next source's picture was chosen without a word of the fault.
    def broken(picture: object) -> None:
        raise AttributeError("module 'cv2' has no attribute 'data'")

    monkeypatch.setattr(validate, "detect_faces", broken)
    with pytest.raises(AttributeError, match="cv2"):
        check_portrait(jpeg(portrait_of(lfw, 0)))


def test_opencv_loads_once_from_many_threads(tmp_path: Path) -> None:
    # In a new interpreter, eight threads run their first face check at the same moment.
    script = tmp_path / "threads.py"
    script.write_text(
        "import threading, numpy as np\n"
        "from ufc_pipeline.images import faces\n"
        "start = threading.Barrier(8)\n"
        "out = []\n"
        "def check():\n"
        "    start.wait()\n"
        "    out.append(faces.detect_faces(np.zeros((120, 90), dtype=np.uint8)).faces)\n"
        "threads = [threading.Thread(target=check) for _ in range(8)]\n"
        "for t in threads: t.start()\n"
        "for t in threads: t.join()\n"
        "print(out)\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str([0] * 8), done.stderr


def test_portrait_too_small_is_not_searched(lfw: np.ndarray) -> None:
    data = jpeg(Image.fromarray(portrait_of(lfw, 0)).resize((50, 75)))
    result = check_portrait(data)
    assert (result.reason, result.faces, result.width) == ("too_small", None, 50), result
    assert check_portrait(data, min_side=40).reason != "too_small"


def test_portrait_placeholder_is_reported_before_faces() -> None:
    silhouette = Image.new("RGB", FRAME, (236, 236, 236))
    reference = placeholder_hash(jpeg(silhouette, 85))
    result = check_portrait(jpeg(silhouette, 60), placeholder_hashes=[reference])
    assert (result.reason, result.faces) == ("placeholder", None)


def test_portrait_bad_bytes_are_still_not_an_image() -> None:
    for data in (
        b"<!DOCTYPE html><html><title>403</title></html>",
        random.Random(1).randbytes(500),
    ):
        result = check_portrait(data)
        assert (result.reason, result.faces) == ("not_an_image", None)


def test_face_check_can_be_skipped() -> None:
    result = check_portrait(jpeg(np.full((300, 200), 90, np.uint8)), face_check=False)
    assert (result.ok, result.faces) == (True, None)


def test_new_reasons_are_documented() -> None:
    assert {"too_small", "no_face", "several_faces"} <= set(REASONS)
