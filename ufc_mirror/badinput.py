"""Hostile inputs for robustness tests (``build_world(..., bad_input=True)`` only).

* ``huge_fighter``: one listed fighter's UFCStats page is padded to ``huge_mb`` megabytes
  (an HTML comment before ``</body>``; the data on the page is unchanged);
* ``odd_sherdog_ids``: two decoys of one listed fighter (``odd_for``) get hostile Sherdog
  names: SQL-like text with quotes (``Robert'); DROP TABLE fights;-- <Surname>``, nickname
  with quotes and angle brackets) and invisible Unicode (zero-width joiner, right-to-left
  marks, around the decoy's own name). The SQL one still matches a Fight Finder search
  for the fighter's surname;
* ``bomb_fighter``: one listed fighter's Sherdog profile image is a small PNG declaring
  50000x50000 pixels, served as ``.jpg`` / ``image/jpeg`` (a decompression bomb).

The choices are recorded in ``world.bad`` (and deterministic for the seed).
"""

from __future__ import annotations

import functools
import random
import struct
import zlib

from ufc_mirror.model import World

BOMB_SIZE = (50_000, 50_000)
SQL_NAME = "Robert'); DROP TABLE fights;--"
ODD_NICKNAME = 'The "Quote" <Kid>'
_PAD_LINE = "<!-- padding: an oversized page; nothing to read here -->\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.lru_cache(maxsize=1)
def bomb_png() -> bytes:
    """A PNG declaring 50000x50000 RGB pixels; the IDAT holds only its first rows."""
    width, height = BOMB_SIZE
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = (b"\x00" + b"\x00" * (3 * width)) * 64
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr)
            + _chunk(b"IDAT", zlib.compress(rows, 9)) + _chunk(b"IEND", b""))  # fmt: skip


def pad_page(text: str, megabytes: float) -> str:
    """``text`` grown to about ``megabytes`` MB with a comment before ``</body>``."""
    missing = int(megabytes * 1024 * 1024) - len(text.encode("utf-8"))
    if missing <= 0:
        return text
    pad = _PAD_LINE * (missing // len(_PAD_LINE) + 1)
    head, sep, tail = text.rpartition("</body>")
    return head + pad + sep + tail if sep else text + pad


def plant_bad_input(world: World, huge_mb: float = 8.0) -> None:
    """Choose the three victims (distinct listed fighters) and apply the tweaks."""
    rng = random.Random(f"{world.seed}:bad_input")
    pool = [f for f in world.listed if f.bouts]
    rng.shuffle(pool)
    huge = pool[0]
    odd = next(f for f in pool[1:] if len(world.decoys_of.get(f.id, [])) >= 2 and f.last)
    bomb = next(f for f in pool[1:] if f is not odd and f.person.image == "ok"
                and f.person.image_file)  # fmt: skip
    world.bad.update(huge_fighter=huge.id, huge_mb=huge_mb, odd_for=odd.id, bomb_fighter=bomb.id)
    sql, uni = world.decoys_of[odd.id][:2]
    sql.name = f"{SQL_NAME} {odd.last}"
    sql.nickname = ODD_NICKNAME
    first, _, rest = uni.name.partition(" ")
    uni.name = f"\u200f{first}\u200d \u202b{rest or odd.last}\u202c\u200f"
    world.bad["odd_sherdog_ids"] = [sql.sherdog_id, uni.sherdog_id]
    bomb.person.image = "broken_bomb"
    world._search = None
