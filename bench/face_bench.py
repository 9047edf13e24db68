"""The face check on real faces and non-faces: how many it finds, and what it costs.

``.venv/bin/python bench/face_bench.py [--mirror 300] [--threads 1]`` runs
:func:`ufc_pipeline.images.faces.detect_faces` on JPEG bytes, as the pipeline does:

- the 100 faces of ``skimage.data.lfw_subset()`` (Labeled Faces in the Wild, 25x25),
  upscaled to 30 %, 45 % and 60 % of the width of a 200x300 portrait frame;
- its 100 non-faces, framed the same way, and portrait-shaped crops of skimage photos
  without anyone in them (coffee, cat, rocket, coins, bricks, text...);
- ``astronaut`` (one face), and with ``--mirror N`` the mirror's first N portraits,
  faceless pictures and two-face pictures.

Each row prints how many pictures gave the expected count, the misses, and the wall and
CPU milliseconds per picture (decoding included). ``--threads`` sets OpenCV's own thread
count (default: OpenCV's choice; CPU time then includes its worker threads).
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from collections import Counter
from collections.abc import Callable

import cv2
import numpy as np
from PIL import Image

from ufc_pipeline.images.faces import detect_faces

FRAME = (200, 300)
SCENES = (
    "coffee chelsea rocket coins brick grass gravel horse hubble_deep_field "
    "immunohistochemistry logo moon page text retina clock"
).split()


def _jpeg(picture: np.ndarray | Image.Image, quality: int = 85) -> bytes:
    image = picture if isinstance(picture, Image.Image) else Image.fromarray(picture)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=quality)
    return out.getvalue()


def _framed(crop: np.ndarray, share: float, rng: random.Random) -> np.ndarray:
    w, h = FRAME
    side = round(share * w)
    up = cv2.resize(crop, (side, side), interpolation=cv2.INTER_CUBIC)
    x0 = round(rng.uniform(0.42, 0.58) * w - side / 2)
    y0 = round(rng.uniform(0.3, 0.45) * h - side / 2)
    return cv2.copyMakeBorder(up, y0, h - y0 - side, x0, w - x0 - side, cv2.BORDER_REPLICATE)


def _crops(count: int) -> list[bytes]:
    from skimage import data

    rng = random.Random(1)
    out = []
    for n in range(count):
        scene = np.asarray(getattr(data, SCENES[n % len(SCENES)])())
        if scene.dtype != np.uint8:  # boolean (horse) or 0..1 float pictures
            scene = (scene.astype(np.float32) * (255 if scene.max() <= 1 else 1)).astype(np.uint8)
        sh, sw = scene.shape[:2]
        ch = round(min(sh, sw * 1.5) * rng.uniform(0.5, 1.0))
        cw = round(ch / 1.5)
        y, x = rng.randint(0, sh - ch), rng.randint(0, sw - cw)
        out.append(_jpeg(cv2.resize(scene[y : y + ch, x : x + cw], FRAME)))
    return out


def sets(mirror: int) -> list[tuple[str, list[bytes], Callable[[int], bool]]]:
    from skimage import data

    lfw = np.round(data.lfw_subset() * 255).astype(np.uint8)
    one, none, several = (lambda n: n == 1), (lambda n: n == 0), (lambda n: n >= 2)
    rows = []
    for share in (0.30, 0.45, 0.60):
        rng = random.Random(share)
        faces = [_jpeg(_framed(lfw[i], share, rng)) for i in range(100)]
        rows.append((f"LFW faces at {share:.0%} width", faces, one))
    rng = random.Random(0)
    rows.append(
        ("LFW non-faces", [_jpeg(_framed(lfw[i], 0.5, rng)) for i in range(100, 200)], none)
    )
    rows.append(("skimage scenes, cropped", _crops(200), none))
    rows.append(("astronaut", [_jpeg(data.astronaut())], one))
    if mirror:
        from ufc_mirror import portraits as mp

        for name, draw, want in (
            ("mirror portraits", mp.portrait, one),
            ("mirror no-face pictures", mp.no_face_picture, none),
            ("mirror two-face pictures", mp.two_faces_picture, several),
        ):
            rows.append((name, [mp.jpeg(draw(7, k)) for k in range(mirror)], want))
    return rows


ROW = "{:32} {:>4} {:>8} {:>6}  {:24} {:>7} {:>7}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirror", type=int, default=0, help="also N mirror pictures of each kind")
    parser.add_argument("--threads", type=int, default=None, help="cv2.setNumThreads")
    args = parser.parse_args(argv)
    if args.threads is not None:
        cv2.setNumThreads(args.threads)
    detect_faces(_jpeg(np.full((300, 200), 128, np.uint8)))  # load the cascade first
    print(f"OpenCV {cv2.__version__}, {cv2.getNumThreads()} thread(s)")
    print(ROW.format("set", "n", "expected", "missed", "faces found", "wall ms", "cpu ms"))
    for name, pictures, expected in sets(args.mirror):
        wall, cpu = time.perf_counter(), time.process_time()
        counts = [detect_faces(p).faces for p in pictures]
        wall = (time.perf_counter() - wall) / len(pictures) * 1000
        cpu = (time.process_time() - cpu) / len(pictures) * 1000
        good = sum(expected(c) for c in counts)
        found = ", ".join(f"{k}:{v}" for k, v in sorted(Counter(counts).items()))
        n = len(pictures)
        print(ROW.format(name, n, good, n - good, found, f"{wall:.1f}", f"{cpu:.1f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
