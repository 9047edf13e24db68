"""Every fighter's image, from the first source that has a good one: a waterfall.

Sources are tried in ``settings.image_sources`` order (default Wikimedia Commons, Sherdog,
UFC.com; a disabled source is skipped). Each candidate must decode, not be tiny, not be a
known placeholder (perceptual hash against Sherdog's and UFC.com's silhouettes) and show
exactly one face (``images.faces``); otherwise the next source is tried and the reason is
kept. The first good one is saved to ``<data_dir>/images/fighters/<ufcstats_id>.jpg`` with
its source, licence and attribution. Every candidate tried is a row of the result's
``candidates`` (the warehouse ``images`` table); rejected pictures that decode are kept
under ``images/rejected/`` for the contact sheet. Saved images of all fighters are then
compared: the same photo on two fighters is reported (``images.duplicates``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ufc_pipeline.fileio import file_stamp, write_if_changed
from ufc_pipeline.images.duplicates import find_duplicates
from ufc_pipeline.images.faces import one_thread_per_check
from ufc_pipeline.images.placeholder import placeholder_hash
from ufc_pipeline.images.store import normalise_to_jpeg, safe_child, save_atomic
from ufc_pipeline.images.validate import ImageCheck, check_portrait, load_libraries
from ufc_pipeline.matching.assign import VERIFIED_STATUSES
from ufc_pipeline.processed import LETTERS
from ufc_pipeline.sources.errors import FetchError
from ufc_pipeline.sources.http import ClientStats, PoliteClient
from ufc_pipeline.sources.sherdog import SherdogSource
from ufc_pipeline.steps import image_wikimedia
from ufc_pipeline.steps.charts import contact_sheets
from ufc_pipeline.steps.fingerprint import fingerprint_inputs, fingerprints, letter_stamps
from ufc_pipeline.steps.image_sources import Candidate, sherdog_candidate, ufccom_candidate
from ufc_pipeline.steps.noop import LastRun
from ufc_pipeline.steps.progress import Progress
from ufc_pipeline.steps.report import CheckOutcome, FileRef, Table
from ufc_pipeline.steps.review import photo_path, photo_targets, write_review_outputs
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.warehouse.engine import make_engine
from ufc_pipeline.warehouse.load import owner_ids, owners_held
from ufc_pipeline.warehouse.schema import ensure_schema
from ufc_pipeline.warehouse.schema import images as images_table

TRANSIENT = frozenset({"fetch_failed", "http_error"})
FAILURE_COLUMNS = ("ufcstats_id", "reason", "detail")
DUPLICATE_COLUMNS = (
    "first_id",
    "first_source",
    "second_id",
    "second_source",
    "distance",
    "possible_wrong_match",
)
#: UFC.com's "no photo" images (../shared/reference/UFCCOM_WIKIMEDIA.md A4); a URL containing
#: one of these is a placeholder without a download, and their hashes catch copies elsewhere.
UFCCOM_PLACEHOLDER_PATHS = (
    "/themes/custom/ufc/assets/img/no-profile-image.png",
    "/themes/custom/ufc/assets/img/silhouette-headshot-female.png",
    "/images/styles/athlete_bio_full_body/s3/image/fighter_images/SHADOW_Fighter_fullLength_RED.png",
)
_UFCCOM_PLACEHOLDER_MARKS = (
    "no-profile-image",
    "silhouette",
    "SHADOW_Fighter",
    "UFCWomen_Headshot",
)


@dataclass
class ImagesResult:
    """Images of a run: one row per fighter, saved or failed, with every candidate tried."""

    rows: list[dict[str, Any]]
    images_dir: str
    stats: dict[str, Any]
    duplicates: list[dict[str, Any]]

    @property
    def rejected_dir(self) -> Path:
        return Path(self.images_dir).parent / "rejected"

    @property
    def saved(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["status"] == "saved"]

    @property
    def failures(self) -> list[dict[str, Any]]:
        """Fighters for whom a picture was found and refused (``no_image``: no source had
        one, which is not a failure)."""
        return [r for r in self.rows if r["status"] == "failed"]

    def candidates(self) -> list[dict[str, Any]]:
        return [
            {"ufcstats_id": r["ufcstats_id"], **c}
            for r in self.rows
            for c in r.get("candidates", [])
        ]

    def metadata(self) -> dict[str, Any]:
        reasons = Counter(r["reason"] for r in self.failures)
        tried = self.candidates()
        by_source: dict[str, dict[str, Any]] = {}
        for c in tried:
            s = by_source.setdefault(c["source"], {"saved": 0, "rejected": {}, "skipped": {}})
            if c["outcome"] == "saved":
                s["saved"] += 1
            else:
                bucket = s[c["outcome"]]
                bucket[c["reason"]] = bucket.get(c["reason"], 0) + 1
        rejected = [
            {
                **c,
                "reason": f"{c['source']}: {c['reason']}",
                "path": str(self.rejected_dir / f"{c['ufcstats_id']}-{c['source']}.jpg"),
            }
            for c in tried
            if c["outcome"] == "rejected"
        ]
        if not any("candidates" in r for r in self.rows):
            rejected = self.failures
        return {
            "dagster/row_count": len(self.saved),
            "fighters": len(self.rows),
            "verified_fighters": sum(1 for r in self.rows if r.get("sherdog_id") is not None),
            "without_image": sum(1 for r in self.rows if r["status"] == "no_image"),
            "failed": len(self.failures),
            "reused": self.stats.get("carried_over", 0),
            "saved_by_source": dict(
                sorted(Counter(str(r.get("source")) for r in self.saved).items())
            ),
            "by_source": by_source,
            "faces_found": sum(1 for r in self.saved if r.get("faces") == 1),
            "failures_by_reason": dict(sorted(reasons.items())),
            "duplicates": len(self.duplicates),
            "duplicate_pairs": Table.of(self.duplicates, DUPLICATE_COLUMNS, limit=20),
            "http": self.stats["http"],
            "failures": Table.of(self.failures, FAILURE_COLUMNS, limit=20),
            "images_dir": FileRef(self.images_dir),
            "contact_sheet": contact_sheets(self.saved, rejected),
        }

    def checks(self) -> list[CheckOutcome]:
        missing = [r["ufcstats_id"] for r in self.saved if not Path(r["path"]).exists()]
        unlicensed = [r["ufcstats_id"] for r in self.saved if not (r["source"] and r["licence"])]
        return [
            CheckOutcome(
                "saved_images_exist",
                not missing,
                f"{len(missing)} saved image(s) missing on disk",
                {"missing": missing[:20]},
            ),
            CheckOutcome(
                "saved_images_licensed",
                not unlicensed,
                f"{len(unlicensed)} saved image(s) without a source or licence",
                {"fighters": unlicensed[:20]},
            ),
            CheckOutcome(
                "no_shared_image",
                not self.duplicates,
                f"{len(self.duplicates)} pair(s) of fighters share a photo"
                + (
                    f", {sum(1 for d in self.duplicates if d['possible_wrong_match'])} from a "
                    "matched profile (possible wrong identity match: see the review report)"
                    if self.duplicates
                    else ""
                ),
                {"pairs": self.duplicates[:20]},
                severity="warn",
            ),
        ]


# ---------------------------------------------------------------- inputs of a fighter


@dataclass
class _Inputs:
    """What the earlier steps know of one fighter that an image can come from."""

    ufcstats_id: str
    letter: str
    fingerprint: str | None
    sherdog_id: int | None
    wikidata: dict[str, Any] | None
    ufccom: dict[str, Any] | None

    def key(self, settings: Settings) -> str:
        wd = self.wikidata or {}
        athlete = (self.ufccom or {}).get("athlete") or {}
        payload = json.dumps(
            [
                self.fingerprint,
                self.sherdog_id,
                [wd.get("qid"), wd.get("image_file"), wd.get("enwiki")],
                [(self.ufccom or {}).get("slug"), athlete.get("image_url")],
                [s for s in settings.image_sources if _enabled(settings, s)],
                settings.face_check,
            ]
        )
        return hashlib.sha1(payload.encode()).hexdigest()[:16]


def _enabled(settings: Settings, source: str) -> bool:
    if source == "wikimedia":
        return settings.wikimedia is not None
    if source == "ufccom":
        return settings.ufccom is not None
    return True


def _rows_of(settings: Settings, asset: str, letter: str) -> list[dict[str, Any]]:
    return (settings.processed.read(asset, letter) or {}).get("rows", [])


def _inputs(settings: Settings, letter: str) -> list[_Inputs]:
    fps = fingerprints(settings, letter)
    listed = [r["ufcstats_id"] for r in settings.processed.require("fighters_list", letter)["rows"]]
    sherdog = {
        r["ufcstats_id"]: int(r["sherdog_id"])
        for r in settings.processed.require("verified_matches", letter)["rows"]
        if r["status"] in VERIFIED_STATUSES
    }
    wikidata = {
        r["ufcstats_id"]: r
        for r in _rows_of(settings, "wikidata_fighters", letter)
        if r.get("status") == "found"
    }
    ufccom = {
        r["ufcstats_id"]: r
        for r in _rows_of(settings, "ufc_com_matches", letter)
        if r.get("status") == "verified" and r.get("slug")
    }
    return [
        _Inputs(fid, letter, fps.get(fid), sherdog.get(fid), wikidata.get(fid), ufccom.get(fid))
        for fid in sorted(set(listed))
    ]


def verified_rows(settings: Settings, letter: str) -> list[dict[str, Any]]:
    data = settings.processed.require("verified_matches", letter)
    return [r for r in data["rows"] if r["status"] in VERIFIED_STATUSES]


def _still_good(prev: dict[str, Any] | None, key: str) -> bool:
    """The previous outcome stands: same inputs, no transient failure, the file is there
    (and not empty: pictures are written without fsync, see :func:`_check_and_save`)."""
    if not prev or prev.get("key") != key:
        return False
    if prev["status"] == "saved":
        return bool(prev.get("path")) and _non_empty(prev["path"])
    return not any(c.get("reason") in TRANSIENT for c in prev.get("candidates", []))


def _non_empty(path: str) -> bool:
    try:
        return os.stat(path).st_size > 0
    except OSError:
        return False


# ---------------------------------------------------------------- the sources of a run


@dataclass
class _Run:
    """What every image fetch of a run shares."""

    settings: Settings
    placeholders: list[Any]
    gate: asyncio.Semaphore
    #: where pictures are checked and saved: one thread per core (OpenCV, Pillow and the
    #: file writes release the GIL), so the event loop never waits on them
    pool: ThreadPoolExecutor = field(default_factory=lambda: _pool(), repr=False)
    sherdog: SherdogSource | None = None
    sherdog_client: PoliteClient | None = None
    ufccom_client: PoliteClient | None = None
    wikimedia: dict[str, Candidate] | None = None  # prepared per fighter (batched API calls)

    def sherdog_placeholder(self, image_path: str) -> bool:
        return image_path.split("?")[0] in set(self.settings.placeholder_paths)


def _pool() -> ThreadPoolExecutor:
    load_libraries()  # here, before the threads: see load_libraries
    workers = os.cpu_count() or 2
    if workers > 1:
        one_thread_per_check()  # the pool's threads are the parallelism
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="images")


async def _placeholders(
    client: PoliteClient, cache_get: Callable[..., Any] | None, paths: Sequence[str], log
) -> list[Any]:
    """Perceptual hashes of a site's 'no photo' images (fetched once, kept in the raw store
    when the site has a cache)."""
    hashes = []
    for path in paths:
        try:
            if cache_get is not None:
                stored = await cache_get(
                    "placeholder", path.strip("/").replace("/", "_"), path, allow_404=True
                )
                body = stored.body if stored is not None else None
            else:
                resp = await client.get(path, kind="placeholder")
                body = resp.content if resp.status == 200 else None
        except FetchError as exc:
            log(f"fighter_images: placeholder {path} not fetched: {exc}")
            continue
        if body is None:
            continue
        try:
            hashes.append(placeholder_hash(body))
        except Exception as exc:  # noqa: BLE001 - a bad placeholder only disables detection
            log(f"fighter_images: placeholder {path} does not decode: {exc}")
    return hashes


async def _sherdog(run: _Run, sid: int | None) -> Candidate:
    if sid is None or run.sherdog is None or run.sherdog_client is None:
        return sherdog_candidate(None, skip="no_match")
    try:
        page = await run.sherdog.fighter(sid)
    except FetchError as exc:
        return sherdog_candidate(None, skip="fetch_failed", detail=str(exc))
    if page is None:
        return sherdog_candidate(None, skip="page_not_found", detail=f"Sherdog id {sid}")
    if not page.image_path:
        return sherdog_candidate(None, skip="no_image_on_page", detail=f"Sherdog id {sid}")
    url = run.settings.sherdog.url(page.image_path)
    if run.sherdog_placeholder(page.image_path):
        return sherdog_candidate(url, skip="placeholder", detail="the page shows the default image")
    client, path = run.sherdog_client, page.image_path
    return sherdog_candidate(url, download=lambda: client.get(path, kind="image"))


def _ufccom(run: _Run, row: dict[str, Any] | None) -> Candidate:
    if row is None or run.ufccom_client is None:
        return ufccom_candidate(None, skip="no_match")
    athlete = row.get("athlete") or {}
    url = athlete.get("image_url")
    if not url:
        reason = "placeholder" if athlete.get("image_placeholder") else "no_image_on_page"
        return ufccom_candidate(None, skip=reason, detail=f"UFC.com /athlete/{row['slug']}")
    if any(mark in url for mark in _UFCCOM_PLACEHOLDER_MARKS):
        return ufccom_candidate(url, skip="placeholder", detail="UFC.com's silhouette")
    client = run.ufccom_client
    return ufccom_candidate(url, download=lambda: client.get(url, kind="image"))


def _candidates(run: _Run, f: _Inputs) -> list[Callable[[], Any]]:
    """One maker per enabled source, in order (Sherdog's needs its page: async)."""
    out: list[Callable[[], Any]] = []
    for source in run.settings.image_sources:
        if not _enabled(run.settings, source):
            continue
        if source == "wikimedia":
            wm = run.wikimedia or {}
            cand = wm.get(f.ufcstats_id) or Candidate("wikimedia", skip="no_item")
            out.append(lambda c=cand: _ready(c))
        elif source == "sherdog":
            out.append(lambda: _sherdog(run, f.sherdog_id))
        elif source == "ufccom":
            out.append(lambda: _ready(_ufccom(run, f.ufccom)))
    return out


async def _ready(c: Candidate) -> Candidate:
    return c


# ---------------------------------------------------------------- one fighter


def _rejected_path(settings: Settings, ufc_id: str, source: str) -> Path:
    return safe_child(settings.data_dir / "images" / "rejected", f"{ufc_id}-{source}.jpg")


@dataclass
class _Checked:
    """A downloaded picture checked (and, when it passed, saved) in a worker thread."""

    check: ImageCheck
    target: Path | None = None
    sha256: str | None = None


def _check_and_save(
    settings: Settings,
    placeholders: Sequence[Any],
    ufc_id: str,
    source: str,
    content: bytes,
    content_type: str | None,
) -> _Checked:
    """Check a download; save it as the fighter's image when it passes, else keep a copy of
    a refused picture that decodes under ``images/rejected``. Pictures are written without
    fsync (atomic all the same): they are derived again by a later run when lost, and a
    fighter's row, written durably afterwards, records the saved file's sha256."""
    check = check_portrait(
        content,
        content_type=content_type,
        placeholder_hashes=placeholders,
        face_check=settings.face_check,
    )
    if not check.ok:
        if check.phash:  # it decodes: keep a copy for the contact sheet of rejections
            try:
                data = content if check.format == "JPEG" else normalise_to_jpeg(content)
                save_atomic(_rejected_path(settings, ufc_id, source), data, durable=False)
            except (OSError, ValueError):
                pass
        return _Checked(check)
    data = content if check.format == "JPEG" else normalise_to_jpeg(content)
    target = safe_child(settings.images_dir, f"{ufc_id}.jpg")
    save_atomic(target, data, durable=False)
    return _Checked(check, target, hashlib.sha256(data).hexdigest())


async def _try(run: _Run, f: _Inputs, c: Candidate) -> dict[str, Any]:
    """Download and check one candidate; save it when it passes."""
    tried: dict[str, Any] = {
        "source": c.source,
        "url": c.url,
        "outcome": "skipped",
        "reason": c.skip,
        "detail": c.detail,
        "phash": None,
        "faces": None,
        "licence": c.licence,
    }
    if c.skip or c.download is None:
        tried["reason"] = c.skip or "no_image_on_page"
        return tried
    try:
        resp = await c.download()
    except FetchError as exc:
        return {**tried, "outcome": "rejected", "reason": "fetch_failed", "detail": str(exc)}
    if resp.status != 200:
        reason = "image_not_found" if resp.status in (404, 410) else "http_error"
        return {**tried, "outcome": "rejected", "reason": reason, "detail": f"HTTP {resp.status}"}
    done = await asyncio.get_running_loop().run_in_executor(
        run.pool,
        _check_and_save,
        run.settings,
        run.placeholders,
        f.ufcstats_id,
        c.source,
        resp.content,
        resp.headers.get("content-type"),
    )
    check = done.check
    tried.update(phash=check.phash, faces=check.faces)
    if not check.ok:
        tried.update(outcome="rejected", reason=check.reason, detail=check.detail)
        return tried
    tried.update(
        outcome="saved",
        reason=None,
        detail="",
        path=str(done.target),
        sha256=done.sha256,
        width=check.width,
        height=check.height,
    )
    return tried


async def _fighter(run: _Run, f: _Inputs, key: str) -> dict[str, Any]:
    """One fighter's waterfall: the first candidate that passes is saved."""
    row: dict[str, Any] = {
        "ufcstats_id": f.ufcstats_id,
        "sherdog_id": f.sherdog_id,
        "status": "failed",
        "source": None,
        "url": None,
        "path": None,
        "licence": None,
        "licence_url": None,
        "author": None,
        "attribution": None,
        "phash": None,
        "sha256": None,
        "width": None,
        "height": None,
        "faces": None,
        "reason": None,
        "detail": "",
        "fingerprint": f.fingerprint,
        "key": key,
        "candidates": [],
    }
    async with run.gate:
        for make in _candidates(run, f):
            try:
                cand = await make()
                tried = await _try(run, f, cand)
            except ValueError as exc:  # an unsafe file name or id
                cand = Candidate("?", skip="bad_id", detail=str(exc))
                tried = {
                    "source": "?",
                    "outcome": "rejected",
                    "reason": "bad_id",
                    "detail": str(exc),
                }
            row["candidates"].append(
                {
                    k: tried.get(k)
                    for k in ("source", "url", "outcome", "reason", "detail", "phash", "faces")
                }
            )
            if tried["outcome"] == "saved":
                row.update(cand.facts())
                row.update(
                    {k: tried[k] for k in ("path", "sha256", "width", "height", "phash", "faces")}
                )
                row.update(status="saved")
                return row
    rejected = [c for c in row["candidates"] if c["outcome"] == "rejected"]
    if rejected:
        row.update(reason=rejected[-1]["reason"], detail=rejected[-1]["detail"])
    else:
        row.update(
            status="no_image",
            reason="no_image",
            detail="; ".join(f"{c['source']}: {c['reason']}" for c in row["candidates"])
            or "no source",
        )
    return row


async def _review_photo(run: _Run, sid: int, image_path: str, log: Callable[[str], None]) -> bool:
    """The photo of a Sherdog person shown in the review report (validated, no face check:
    the reviewer needs to see whatever the profile shows)."""
    target = photo_path(run.settings, sid)
    if _non_empty(str(target)):
        return True
    if run.sherdog_client is None or run.sherdog_placeholder(image_path):
        return False
    async with run.gate:
        try:
            resp = await run.sherdog_client.get(image_path, kind="image")
        except FetchError as exc:
            log(f"fighter_images: review photo of Sherdog {sid} not fetched: {exc}")
            return False
    if resp.status != 200:
        return False
    return await asyncio.get_running_loop().run_in_executor(
        run.pool, _save_review_photo, target, resp.content, run.placeholders
    )


def _save_review_photo(target: Path, content: bytes, placeholders: Sequence[Any]) -> bool:
    check = check_portrait(content, placeholder_hashes=placeholders, face_check=False)
    if check.ok:
        data = content if check.format == "JPEG" else normalise_to_jpeg(content)
        save_atomic(target, data, durable=False)
    return check.ok


# ---------------------------------------------------------------- the run


async def _images(settings: Settings, letters: Sequence[str], log: Callable[[str], None]):
    before = {x: _rows_of(settings, "fighter_images", x) for x in letters}
    previous = {r["ufcstats_id"]: r for rows in before.values() for r in rows}
    results: dict[str, list[dict[str, Any]]] = {letter: [] for letter in letters}
    work: list[tuple[_Inputs, str]] = []
    for letter in letters:
        for f in _inputs(settings, letter):
            key = f.key(settings)
            prev = previous.get(f.ufcstats_id)
            if not settings.full_refresh and _still_good(prev, key):
                results[letter].append(prev)
            else:
                work.append((f, key))
    order = [s for s in settings.image_sources if _enabled(settings, s)]
    stats: dict[str, Any] = {
        "processed_now": len(work),
        "carried_over": sum(len(v) for v in results.values()),
        "sources": order,
        "http": {},
    }
    redone = {f.letter for f, _ in work}
    # a letter without work and with the same fighters as before is its previous output
    stats["unchanged_letters"] = {
        x for x in letters if x not in redone and before[x] and _ids(results[x]) == _ids(before[x])
    }
    targets = photo_targets(settings) if "sherdog" in order else {}
    if not work and all(_non_empty(str(photo_path(settings, sid))) for sid in targets):
        # nothing to fetch: no client is opened and no placeholder hashed
        stats.update(_idle_stats(order, stats["carried_over"], len(targets)))
        if targets and not _report_current(settings):
            write_review_outputs(settings)
        for rows in results.values():
            rows.sort(key=lambda r: r["ufcstats_id"])
        return results, stats
    async with AsyncExitStack() as stack:
        run = _Run(settings, [], asyncio.Semaphore(settings.fighter_tasks))
        stack.callback(run.pool.shutdown)
        if "sherdog" in order:
            run.sherdog_client = await stack.enter_async_context(PoliteClient(settings.sherdog))
            run.sherdog = SherdogSource(
                run.sherdog_client, settings.raw, max_pages=settings.sherdog_max_pages
            )
            cache = run.sherdog.cache
            run.placeholders += await _placeholders(
                run.sherdog_client,
                lambda *a, **k: cache.get(*a, refresh=settings.full_refresh, **k),
                settings.placeholder_paths,
                log,
            )
        if "ufccom" in order and settings.ufccom is not None:
            run.ufccom_client = await stack.enter_async_context(PoliteClient(settings.ufccom))
            if any(f.ufccom for f, _ in work):
                run.placeholders += await _placeholders(
                    run.ufccom_client, None, UFCCOM_PLACEHOLDER_PATHS, log
                )
        wm_source = None
        if "wikimedia" in order and settings.wikimedia is not None:
            wm_source = await stack.enter_async_context(
                image_wikimedia.open_source(settings.wikimedia, settings.raw)
            )
            wanted = {f.ufcstats_id: f.wikidata for f, _ in work if f.wikidata}
            run.wikimedia = await image_wikimedia.candidates(wm_source, wanted, log)
        progress = Progress("fighter_images", len(work), log, unit="fighters")

        async def one(f: _Inputs, key: str) -> dict[str, Any]:
            row = await _fighter(run, f, key)
            progress.advance()
            return row

        done = await asyncio.gather(*(one(f, key) for f, key in work))
        for (f, _), row in zip(work, done, strict=True):
            results[f.letter].append(row)
        stats["processed_ids"] = [f.ufcstats_id for f, _ in work]
        photos = await asyncio.gather(
            *(_review_photo(run, sid, p, log) for sid, p in sorted(targets.items()))
        )
        stats["review_photos"] = sum(photos)
        stats["placeholder_hashes"] = len(run.placeholders)
        for name, client in (
            ("sherdog", run.sherdog_client),
            ("ufccom", run.ufccom_client),
        ):
            if client is not None:
                stats["http"][name] = client.stats.as_dict()
        if wm_source is not None:
            stats["http"]["wikimedia"] = image_wikimedia.http_stats(wm_source)
    if targets:
        write_review_outputs(settings)
    for rows in results.values():
        rows.sort(key=lambda r: r["ufcstats_id"])
    return results, stats


def _idle_stats(order: list[str], carried_over: int, review_photos: int) -> dict[str, Any]:
    """The stats of a run that fetched nothing: every fighter carried over, no request."""
    return {
        "processed_now": 0,
        "carried_over": carried_over,
        "sources": order,
        "http": {name: ClientStats().as_dict() if name != "wikimedia" else {} for name in order},
        "processed_ids": [],
        "review_photos": review_photos,
        "placeholder_hashes": 0,
    }


def _ids(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(r["ufcstats_id"] for r in rows)


def _all_saved(
    settings: Settings, current: dict[str, list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Saved rows of every letter (this run's letters as just computed)."""
    out: list[dict[str, Any]] = []
    for letter in LETTERS:
        rows = current.get(letter)
        if rows is None:
            rows = _rows_of(settings, "fighter_images", letter)
        out.extend(r for r in rows if r["status"] == "saved")
    return out


def _last_run(settings: Settings, letters: Sequence[str]) -> LastRun:
    """The record of a run (see :mod:`~ufc_pipeline.steps.noop`): stamped on every input a
    fighter's key is made of and the review queue (whose people get a review photo)."""
    extra = [
        fingerprint_inputs(settings, letters),
        [s for s in settings.image_sources if _enabled(settings, s)],
        settings.face_check,
        file_stamp(settings.review_dir / "queue.json"),
    ]
    reads = ("verified_matches", "wikidata_fighters", "ufc_com_matches")
    return LastRun(settings, "fighter_images", letters, reads=reads, extra=extra)


def _shared_outputs(settings: Settings) -> list[Any]:
    """What the step writes beyond its letters: every letter's rows (the duplicate pairs
    are over them all), the pairs, the review report, and the folders of saved pictures and
    review photos (a picture removed is fetched again)."""
    review = settings.review_dir
    return [
        letter_stamps(settings, "fighter_images", LETTERS),
        file_stamp(review / "duplicate_images.json"),
        file_stamp(review / "index.html"),
        # a folder's stamp changes when a file in it is added, removed or replaced
        file_stamp(settings.images_dir),
        file_stamp(review / "photos"),
    ]


def _recalled(
    settings: Settings, letters: Sequence[str], same: dict[str, Any]
) -> ImagesResult | None:
    """What a run with nothing to fetch gives, when every saved picture and review photo
    is still there (not empty)."""
    rows = [r for x in letters for r in _rows_of(settings, "fighter_images", x)]
    if not all(_still_good(r, r.get("key", "")) for r in rows):
        return None
    order = [s for s in settings.image_sources if _enabled(settings, s)]
    targets = photo_targets(settings) if "sherdog" in order else {}
    if not all(_non_empty(str(photo_path(settings, sid))) for sid in targets):
        return None
    return ImagesResult(
        rows=rows,
        images_dir=str(settings.images_dir),
        stats=_idle_stats(order, len(rows), len(targets)),
        duplicates=same["duplicates"],
    )


def fighter_images_step(
    settings: Settings, letters: Sequence[str], log: Callable[[str], None] = lambda m: None
) -> ImagesResult:
    # stamped before anything is read: an input written meanwhile makes the next run work
    last = _last_run(settings, letters)
    same = last.recall(_shared_outputs(settings))
    if same is not None and owners_held(settings.warehouse_url, images_table) == same.get("held"):
        if (recalled := _recalled(settings, letters, same)) is not None:
            return recalled
    results, stats = asyncio.run(_images(settings, letters, log))
    unchanged = stats.pop("unchanged_letters")
    for letter, rows in results.items():
        if letter not in unchanged:  # the others are their previous output, row for row
            settings.processed.write("fighter_images", letter, {"letter": letter, "rows": rows})
    duplicates = [p.to_dict() for p in find_duplicates(_all_saved(settings, results))]
    _write_duplicates(settings, duplicates)
    if (duplicates or (settings.review_dir / "index.html").exists()) and not _report_current(
        settings
    ):
        write_review_outputs(settings)  # the report lists the shared photos
    result = ImagesResult(
        rows=[r for rows in results.values() for r in rows],
        images_dir=str(settings.images_dir),
        stats=stats,
        duplicates=duplicates,
    )
    held = _load_candidates(settings, result, log)
    if all(_still_good(r, r.get("key", "")) for r in result.rows):
        last.keep({"duplicates": duplicates, "held": held}, _shared_outputs(settings))
    else:  # a transient failure is tried again next run
        last.forget()
    return result


def _report_current(settings: Settings) -> bool:
    """True when the review report was written after the last change of what this step
    adds to it (the duplicate pairs file and the review photos): rendering it again would
    give the same page. False when in doubt (no report, equal times)."""
    review = settings.review_dir
    try:
        written = (review / "index.html").stat().st_mtime_ns
    except FileNotFoundError:
        return False
    inputs = [review / "duplicate_images.json"]
    with contextlib.suppress(FileNotFoundError):
        inputs += [Path(e.path) for e in os.scandir(review / "photos")]
    for path in inputs:
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mtime_ns >= written:
                return False
    return True


def _write_duplicates(settings: Settings, pairs: list[dict[str, Any]]) -> None:
    """``review/duplicate_images.json``: the pairs, for the review report (not rewritten
    when unchanged)."""
    write_if_changed(
        settings.review_dir / "duplicate_images.json", json.dumps(pairs, indent=1).encode()
    )


def _load_candidates(settings: Settings, result: ImagesResult, log: Callable[[str], None]) -> int:
    """Every candidate tried for the fighters processed now, and for those the warehouse
    no longer holds (emptied or re-created, or a load this step never finished): the
    warehouse ``images`` table. Returns how many fighters it holds candidates of."""
    from ufc_pipeline.warehouse.images import replace_image_candidates

    done = set(result.stats.get("processed_ids", ()))
    engine = make_engine(settings.warehouse_url)
    try:
        ensure_schema(engine)
        held = owner_ids(engine, images_table)
        lost = [
            r
            for r in result.rows
            if r["ufcstats_id"] not in done and r["ufcstats_id"] not in held and r.get("candidates")
        ]
        if lost:
            log(f"fighter_images: {len(lost)} fighters missing from the warehouse: loaded again")
        fresh = [r for r in result.rows if r["ufcstats_id"] in done] + lost
        if fresh:
            replace_image_candidates(engine, fresh)
        return len(owner_ids(engine, images_table))
    finally:
        engine.dispose()
