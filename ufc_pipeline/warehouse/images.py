"""Loading the portraits into the warehouse: the saved image on ``fighters`` and every
candidate tried in ``images``.

Both functions take the rows of the ``fighter_images`` step (``{"ufcstats_id", "status":
"saved"|"failed", "source", "url", "path", "licence", "attribution", ..., "candidates":
[{"source", "url", "outcome", "reason", "detail", "phash", "faces"}]}``), work in one
transaction each, on SQLite and PostgreSQL, and write nothing on a re-run with the same
rows. A row that breaks the contract raises ``ValueError`` naming the fighter; nothing is
written then.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, or_, update

from ufc_pipeline.warehouse.engine import write_transaction
from ufc_pipeline.warehouse.load import MAX_DETAIL_CHARS, replace_owned_rows
from ufc_pipeline.warehouse.schema import IMAGE_OUTCOMES, IMAGE_SOURCES, fighters, images

#: The fighters columns describing the saved portrait, all NULL when none was saved.
IMAGE_COLUMNS = ("image_path", "image_source", "image_licence", "image_attribution")
#: Which of several candidates with the same (source, URL) is kept (lower wins).
_OUTCOME_ORDER = {"saved": 0, "rejected": 1, "skipped": 2}


def _by_fighter(rows: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    out: dict[str, Mapping[str, Any]] = {}
    for index, row in enumerate(rows):
        fid = row.get("ufcstats_id")
        if not isinstance(fid, str) or not fid:
            raise ValueError(f"fighter_images row {index} has no ufcstats_id: {dict(row)!r}")
        if fid in out:
            raise ValueError(f"fighter_images has two rows for fighter {fid}")
        if row.get("status") not in ("saved", "failed", "no_image"):
            raise ValueError(
                f"fighter_images row of {fid}: status {row.get('status')!r} is not "
                "'saved', 'failed' or 'no_image'"
            )
        out[fid] = row
    return out


def _image_values(row: Mapping[str, Any], base_dir: Path | str | None) -> dict[str, Any]:
    """The fighters image columns for one ``fighter_images`` row."""
    if row["status"] != "saved":
        return dict.fromkeys(IMAGE_COLUMNS)
    fid, path, source = row["ufcstats_id"], row.get("path"), row.get("source")
    if not path:
        raise ValueError(f"fighter_images row of {fid}: saved but no path")
    if source not in IMAGE_SOURCES:
        raise ValueError(
            f"fighter_images row of {fid}: saved from unknown source {source!r} "
            f"(known: {', '.join(IMAGE_SOURCES)})"
        )
    return {
        "image_path": os.path.relpath(path, base_dir) if base_dir is not None else str(path),
        "image_source": source,
        "image_licence": row.get("licence") or None,
        "image_attribution": row.get("attribution") or None,
    }


def update_fighter_images(
    engine: Engine,
    rows: Iterable[Mapping[str, Any]],
    *,
    base_dir: Path | str | None = None,
) -> int:
    """Set ``image_path``, ``image_source``, ``image_licence`` and ``image_attribution`` of
    the existing fighters from their ``fighter_images`` rows, in one transaction.

    A ``saved`` row sets the four columns (``image_path`` relative to ``base_dir`` when it
    is given, as the ``fights`` step stores it: pass the data directory); a ``failed`` row
    clears them to NULL, so a fighter never keeps a portrait the last run refused. Fighters
    not in ``fighters`` are ignored, fighters without a row untouched, and rows whose
    columns already hold these values not rewritten. Returns the number of fighters
    changed.
    """
    values = {fid: _image_values(row, base_dir) for fid, row in _by_fighter(rows).items()}
    t = fighters
    stmt = (
        update(t)
        .where(
            t.c.ufcstats_id == bindparam("b_id"),
            or_(*(t.c[c].is_distinct_from(bindparam(f"b_{c}")) for c in IMAGE_COLUMNS)),
        )
        .values({c: bindparam(f"b_{c}") for c in IMAGE_COLUMNS})
    )
    changed = 0
    with write_transaction(engine) as conn:
        for fid in sorted(values):
            params = {"b_id": fid} | {f"b_{c}": v for c, v in values[fid].items()}
            changed += conn.execute(stmt, params).rowcount
    return changed


def _faces(fid: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise ValueError(f"image candidate of {fid}: faces {value!r} is not a count")
    return int(value)


def _candidate_rows(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``images`` rows (without ``tried_at``) of one ``fighter_images`` row."""
    fid = row["ufcstats_id"]
    candidates = row.get("candidates")
    if not isinstance(candidates, list):
        raise ValueError(
            f"fighter_images row of {fid} has no candidates list (written before the image "
            "waterfall?): run fighter_images again"
        )
    kept: dict[tuple[str, str], dict[str, Any]] = {}
    for rank, cand in enumerate(candidates):
        source, outcome, url = cand.get("source"), cand.get("outcome"), cand.get("url") or ""
        if source not in IMAGE_SOURCES:
            raise ValueError(f"image candidate {rank} of {fid}: unknown source {source!r}")
        if outcome not in IMAGE_OUTCOMES:
            raise ValueError(f"image candidate {rank} of {fid}: unknown outcome {outcome!r}")
        licence = cand.get("licence")
        if licence is None and outcome == "saved" and row["status"] == "saved":
            if (source, url) == (row.get("source"), row.get("url") or ""):
                licence = row.get("licence")
        out = {
            "ufcstats_id": fid,
            "source": source,
            "url": url,
            "rank": rank,
            "outcome": outcome,
            "reason": cand.get("reason") or None,
            "detail": (cand.get("detail") or "")[:MAX_DETAIL_CHARS] or None,
            "phash": str(cand["phash"]) if cand.get("phash") else None,
            "faces": _faces(fid, cand.get("faces")),
            "licence": licence or None,
        }
        # the same picture tried twice (page image and P18 naming one file): one row, the
        # saved attempt if there is one, else the first
        previous = kept.get((source, url))
        if previous is None or _OUTCOME_ORDER[outcome] < _OUTCOME_ORDER[previous["outcome"]]:
            kept[(source, url)] = out
    return sorted(kept.values(), key=lambda r: r["rank"])


def replace_image_candidates(
    engine: Engine,
    rows: Iterable[Mapping[str, Any]],
    *,
    tried_at: dt.datetime | None = None,
) -> int:
    """Make the ``images`` rows of the fighters in ``rows`` exactly their current
    ``candidates``, in one transaction; other fighters' rows are not touched.

    One row per (fighter, source, URL); ``url`` is ``''`` for a candidate skipped before
    it had one, ``rank`` the candidate's position in the fighter's list, and the saved
    candidate's ``licence`` is taken from the row when the candidate has none. Candidates
    no longer listed are deleted, so a re-run replaces rather than appends; unchanged
    candidates keep their ``tried_at``, new or changed ones get ``tried_at`` (default now).
    Returns the number of ``images`` rows deleted, inserted or updated.
    """
    wanted = {fid: _candidate_rows(row) for fid, row in _by_fighter(rows).items()}
    now = _utc(tried_at)
    with write_transaction(engine) as conn:
        return replace_owned_rows(conn, images, "ufcstats_id", wanted, stamp="tried_at", now=now)


def _utc(value: dt.datetime | None) -> dt.datetime:
    """``value`` (default now) in UTC; a naive value is taken as UTC."""
    value = value or dt.datetime.now(dt.UTC)
    return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
