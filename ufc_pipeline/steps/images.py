"""The Sherdog profile image of every verified fighter, checked and saved.

An image is saved to ``<data_dir>/images/fighters/<ufcstats_id>.jpg`` only after it decodes
(Pillow) and is not Sherdog's placeholder (perceptual hash against the site's default
images). Every failure is recorded with its reason and quarantined.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ufc_pipeline.images.placeholder import placeholder_hash
from ufc_pipeline.images.store import normalise_to_jpeg, safe_child, save_atomic
from ufc_pipeline.images.validate import check_image
from ufc_pipeline.matching.assign import VERIFIED_STATUSES
from ufc_pipeline.sources.errors import FetchError
from ufc_pipeline.sources.http import PoliteClient
from ufc_pipeline.sources.sherdog import SherdogSource
from ufc_pipeline.steps.charts import contact_sheets
from ufc_pipeline.steps.fingerprint import fingerprints
from ufc_pipeline.steps.progress import Progress
from ufc_pipeline.steps.report import CheckOutcome, FileRef, Table
from ufc_pipeline.steps.review import photo_path, photo_targets, write_review_outputs
from ufc_pipeline.steps.settings import Settings

TRANSIENT = frozenset({"fetch_failed", "http_error"})
FAILURE_COLUMNS = ("ufcstats_id", "sherdog_id", "reason", "detail")


@dataclass
class ImagesResult:
    """Images of a run: one row per verified fighter, saved or failed with its reason."""

    rows: list[dict[str, Any]]
    images_dir: str
    stats: dict[str, Any]

    @property
    def saved(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["status"] == "saved"]

    @property
    def failures(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["status"] != "saved"]

    def metadata(self) -> dict[str, Any]:
        reasons = Counter(r["reason"] for r in self.failures)
        return {
            "dagster/row_count": len(self.saved),
            "verified_fighters": len(self.rows),
            "failed": len(self.failures),
            "reused": sum(1 for r in self.rows if r.get("reused")),
            "failures_by_reason": dict(sorted(reasons.items())),
            "http": self.stats["http"],
            "failures": Table.of(self.failures, FAILURE_COLUMNS, limit=20),
            "images_dir": FileRef(self.images_dir),
            "contact_sheet": contact_sheets(self.saved, self.failures),
        }

    def checks(self) -> list[CheckOutcome]:
        missing = [r["ufcstats_id"] for r in self.saved if not Path(r["path"]).exists()]
        return [
            CheckOutcome(
                "saved_images_exist",
                not missing,
                f"{len(missing)} saved image(s) missing on disk",
                {"missing": missing[:20]},
            )
        ]


def _still_good(prev: dict[str, Any] | None, match: dict[str, Any], settings: Settings) -> bool:
    """The previous outcome stands: same fighter state, same Sherdog id, not a transient
    failure, and a saved image is still on disk."""
    if not prev or prev.get("fingerprint") != match["fingerprint"]:
        return False
    if prev.get("sherdog_id") != int(match["sherdog_id"]):
        return False
    if prev["status"] == "saved":
        return bool(prev.get("path")) and Path(prev["path"]).exists()
    return prev.get("reason") not in TRANSIENT


def verified_rows(settings: Settings, letter: str) -> list[dict[str, Any]]:
    data = settings.processed.require("verified_matches", letter)
    return [r for r in data["rows"] if r["status"] in VERIFIED_STATUSES]


async def _placeholders(source: SherdogSource, settings: Settings, log: Callable[[str], None]):
    """Perceptual hashes of the site's default images (kept in the raw store, fetched once)."""
    hashes = []
    for path in settings.placeholder_paths:
        try:
            stored = await source.cache.get(
                "placeholder",
                path.strip("/").replace("/", "_"),
                path,
                refresh=settings.full_refresh,
                allow_404=True,
            )
        except FetchError as exc:
            log(f"fighter_images: placeholder {path} not fetched: {exc}")
            continue
        if stored is not None:
            try:
                hashes.append(placeholder_hash(stored.body))
            except Exception as exc:  # noqa: BLE001 - a bad placeholder only disables detection
                log(f"fighter_images: placeholder {path} does not decode: {exc}")
    return hashes


async def _download(
    client: PoliteClient, path: str, url: str, target: Path, placeholders: list[Any]
) -> dict[str, Any]:
    """Fetch an image, check that it decodes and is not the placeholder, save it as JPEG.

    Returns the outcome: ``status="saved"`` with the file's facts, or a ``reason`` and a
    ``detail``. Raises FetchError when the site cannot be reached.
    """
    resp = await client.get(path, kind="image")
    if resp.status != 200:
        reason = "image_not_found" if resp.status in (404, 410) else "http_error"
        return {"reason": reason, "detail": f"HTTP {resp.status} for {url}"}
    check = check_image(
        resp.content,
        content_type=resp.headers.get("content-type"),
        placeholder_hashes=placeholders,
    )
    if not check.ok:
        return {"reason": check.reason, "detail": check.detail}
    data = normalise_to_jpeg(resp.content)
    save_atomic(target, data)
    return {
        "status": "saved",
        "path": str(target),
        "phash": check.phash,
        "sha256": hashlib.sha256(data).hexdigest(),
        "width": check.width,
        "height": check.height,
    }


@dataclass
class _Fetch:
    """What every image fetch of a run shares."""

    settings: Settings
    client: PoliteClient
    source: SherdogSource
    placeholders: list[Any]
    gate: asyncio.Semaphore

    def is_placeholder(self, image_path: str) -> bool:
        return image_path.split("?")[0] in set(self.settings.placeholder_paths)


def _blank(match: dict[str, Any]) -> dict[str, Any]:
    return {
        "ufcstats_id": match["ufcstats_id"],
        "sherdog_id": int(match["sherdog_id"]),
        "status": "failed",
        "reason": None,
        "detail": "",
        "path": None,
        "url": None,
        "fingerprint": match.get("fingerprint"),
    }


async def _fighter_image(
    f: _Fetch, match: dict[str, Any], prev: dict[str, Any] | None
) -> dict[str, Any]:
    """One verified fighter's image: reused, saved, or failed with its reason."""
    rec = _blank(match)
    ufc_id, sid = rec["ufcstats_id"], rec["sherdog_id"]
    async with f.gate:
        try:
            target = safe_child(f.settings.images_dir, f"{ufc_id}.jpg")
            page = await f.source.fighter(sid)
            if page is None:
                rec.update(reason="page_not_found", detail=f"Sherdog id {sid} not found")
            elif not page.image_path:
                rec.update(reason="no_image_on_page", detail="the page shows no image")
            else:
                url = rec["url"] = f.settings.sherdog.url(page.image_path)
                if prev and prev.get("status") == "saved" and prev.get("url") == url:
                    if target.exists():
                        return {**rec, **prev, "reused": True}
                if f.is_placeholder(page.image_path):
                    rec.update(reason="placeholder", detail="the page shows the default image")
                else:
                    rec.update(
                        await _download(f.client, page.image_path, url, target, f.placeholders)
                    )
        except (FetchError, ValueError) as exc:
            reason = "fetch_failed" if isinstance(exc, FetchError) else "bad_id"
            rec.update(reason=reason, detail=str(exc))
    return rec


async def _review_photo(f: _Fetch, sid: int, image_path: str, log: Callable[[str], None]) -> bool:
    """The photo of a person shown in the review report (validated like the rest)."""
    target = photo_path(f.settings, sid)
    if target.exists():
        return True
    if f.is_placeholder(image_path):
        return False
    url = f.settings.sherdog.url(image_path)
    async with f.gate:
        try:
            outcome = await _download(f.client, image_path, url, target, f.placeholders)
        except FetchError as exc:
            log(f"fighter_images: review photo of Sherdog {sid} not fetched: {exc}")
            return False
    return outcome.get("status") == "saved"


async def _images(settings: Settings, letters: Sequence[str], log: Callable[[str], None]):
    previous = {
        r["ufcstats_id"]: r
        for letter in letters
        for r in (settings.processed.read("fighter_images", letter) or {}).get("rows", [])
    }
    results: dict[str, list[dict[str, Any]]] = {letter: [] for letter in letters}
    work: list[tuple[str, dict[str, Any]]] = []
    for letter in letters:
        fps = fingerprints(settings, letter)
        for m in verified_rows(settings, letter):
            m = {**m, "fingerprint": fps.get(m["ufcstats_id"])}
            prev = previous.get(m["ufcstats_id"])
            if _still_good(prev, m, settings) and not settings.full_refresh:
                results[letter].append(prev)
            else:
                work.append((letter, m))
    async with PoliteClient(settings.sherdog) as client:
        source = SherdogSource(client, settings.raw, max_pages=settings.sherdog_max_pages)
        placeholders = await _placeholders(source, settings, log)
        f = _Fetch(
            settings, client, source, placeholders, asyncio.Semaphore(settings.fighter_tasks)
        )
        progress = Progress("fighter_images", len(work), log, unit="fighters")

        async def image(m: dict[str, Any]) -> dict[str, Any]:
            rec = await _fighter_image(f, m, previous.get(m["ufcstats_id"]))
            progress.advance()
            return rec

        done = await asyncio.gather(*(image(m) for _, m in work))
        for (letter, _), rec in zip(work, done, strict=True):
            results[letter].append(rec)
        targets = photo_targets(settings)
        photos = await asyncio.gather(
            *(_review_photo(f, sid, p, log) for sid, p in sorted(targets.items()))
        )
        stats = {
            "processed_now": len(work),
            "carried_over": sum(len(v) for v in results.values()) - len(work),
            "http": client.stats.as_dict(),
            "placeholder_hashes": len(placeholders),
            "review_photos": sum(photos),
        }
    if targets:
        write_review_outputs(settings)
    for letter in results:
        results[letter].sort(key=lambda r: r["ufcstats_id"])
    return results, stats


def fighter_images_step(
    settings: Settings, letters: Sequence[str], log: Callable[[str], None] = lambda m: None
) -> ImagesResult:
    results, stats = asyncio.run(_images(settings, letters, log))
    for letter, rows in results.items():
        settings.processed.write("fighter_images", letter, {"letter": letter, "rows": rows})
    return ImagesResult(
        rows=[r for rows in results.values() for r in rows],
        images_dir=str(settings.images_dir),
        stats=stats,
    )
