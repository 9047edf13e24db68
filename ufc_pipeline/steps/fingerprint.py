"""Change detection: a fingerprint per fighter, and which fighters need work.

A fighter's fingerprint hashes his UFCStats list row and the ids of the bouts the event
fight cards show for him. Each step records the fingerprint it processed a fighter with;
a fighter is re-processed only when his fingerprint differs from that record (or he has
none), so a fighter whose list row is unchanged is not fetched again anywhere downstream,
and a new fight on a card marks exactly its two fighters as changed. A step that failed
recorded nothing, so its fighters are picked up again on the next run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ufc_pipeline.fileio import file_stamp
from ufc_pipeline.steps.settings import Settings

CARD_INDEX = "card_index.json"


def letter_stamps(settings: Settings, asset: str, letters: Sequence[str]) -> list[Any]:
    """:func:`~ufc_pipeline.fileio.file_stamp` of ``asset``'s file of each letter, in letter
    order (the pipeline replaces these files by a rename when it writes them)."""
    return [file_stamp(settings.processed.path(asset, x)) for x in sorted(letters)]


def fingerprint_inputs(settings: Settings, letters: Sequence[str]) -> list[Any]:
    """Stamps of what the fingerprints of ``letters`` are made from: the letters, the card
    index and each letter's list. A step that decides its work by fingerprints alone keeps
    this (taken before it reads them) with its outputs' stamps to know a later run would
    find nothing to do."""
    stamps = letter_stamps(settings, "fighters_list", letters)
    return [sorted(letters), file_stamp(settings.processed.root / CARD_INDEX), *stamps]


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return -1


@lru_cache(maxsize=4)
def _read_index(path: Path, mtime: int) -> dict[str, list[str]]:
    return json.loads(path.read_text(encoding="utf8")) if mtime >= 0 else {}


def card_index(settings: Settings) -> dict[str, list[str]]:
    """UFCStats fighter id -> sorted bout ids on the stored fight cards (empty if none).
    Cached per process while the file is unchanged (every step of a run reads it)."""
    path = settings.processed.root / CARD_INDEX
    return _read_index(path, _mtime(path))


def fingerprint(row: dict[str, Any], bouts: list[str]) -> str:
    payload = json.dumps({"row": row, "bouts": sorted(bouts)}, sort_keys=True)
    return hashlib.sha1(payload.encode()).hexdigest()[:16]


def fingerprints(settings: Settings, letter: str) -> dict[str, str]:
    index_path = settings.processed.root / CARD_INDEX
    list_path = settings.processed.path("fighters_list", letter)
    if not list_path.exists():
        settings.processed.require("fighters_list", letter)  # raises, naming what to do
    return dict(_fingerprints(list_path, _mtime(list_path), index_path, _mtime(index_path)))


@lru_cache(maxsize=64)
def _fingerprints(
    list_path: Path, list_mtime: int, index_path: Path, index_mtime: int
) -> tuple[tuple[str, str], ...]:
    index = _read_index(index_path, index_mtime)
    rows = json.loads(list_path.read_text(encoding="utf8"))["rows"]
    return tuple((r["ufcstats_id"], fingerprint(r, index.get(r["ufcstats_id"], []))) for r in rows)


def needs_work(
    current: dict[str, str], previous: dict[str, dict[str, Any]], *, full: bool = False
) -> set[str]:
    """Fighters whose fingerprint differs from the one their previous output was made with."""
    if full:
        return set(current)
    return {
        fid
        for fid, fp in current.items()
        if fid not in previous
        or previous[fid].get("fingerprint") != fp
        or previous[fid].get("error")
    }


def list_changes(old_rows: list[dict[str, Any]], new_rows: list[dict[str, Any]]) -> dict[str, Any]:
    """New, changed, unchanged and removed fighters between two versions of a list page."""
    old = {r["ufcstats_id"]: r for r in old_rows}
    new = {r["ufcstats_id"]: r for r in new_rows}
    return {
        "new": sorted(set(new) - set(old)),
        "changed": sorted(k for k in set(new) & set(old) if new[k] != old[k]),
        "unchanged": sum(1 for k in set(new) & set(old) if new[k] == old[k]),
        "removed": sorted(set(old) - set(new)),
    }
