"""fighter_images_step with Sherdog as the only source (the chain's setting): each verified
fighter's Sherdog image, validated and saved; the waterfall over every source is in
``test_image_waterfall.py``."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from PIL import Image

from tests.steps.helpers import (
    IMAGE_REASON,
    LETTERS,
    Truth,
    checks_by_name,
    requests_since,
    verified_rows,
)
from ufc_mirror.server import MirrorHandle
from ufc_pipeline.steps.images import FAILURE_COLUMNS, ImagesResult, fighter_images_step
from ufc_pipeline.steps.report import FileRef, Table
from ufc_pipeline.steps.settings import Settings

IMAGES_KEYS = {
    "dagster/row_count",
    "verified_fighters",
    "failed",
    "reused",
    "failures_by_reason",
    "http",
    "failures",
    "images_dir",
}


def _expected(settings: Settings, truth: Truth) -> tuple[set[str], dict[str, str]]:
    """Verified fighters whose image must be saved, and the others with their reason."""
    saved, failed = set(), {}
    for r in verified_rows(settings):
        kind = truth.image_kind(r["sherdog_id"])
        if kind == "ok":
            saved.add(r["ufcstats_id"])
        else:
            failed[r["ufcstats_id"]] = IMAGE_REASON[kind]
    return saved, failed


def test_first_run_saves_good_images_and_names_the_bad_ones(chain: Any, truth: Truth) -> None:
    result: ImagesResult = chain.first["fighter_images"]
    md = result.metadata()
    assert IMAGES_KEYS <= set(md)
    saved, failed = _expected(chain.settings, truth)
    assert failed, "the world plants image faults on letter m"
    assert md["verified_fighters"] == len(saved) + len(failed)
    assert (md["dagster/row_count"], md["failed"], md["reused"]) == (len(saved), len(failed), 0)
    assert md["failures_by_reason"] == dict(sorted(Counter(failed.values()).items()))
    assert {r["ufcstats_id"]: r["reason"] for r in result.failures} == failed
    table = md["failures"]
    assert isinstance(table, Table) and table.columns == FAILURE_COLUMNS
    assert {r["ufcstats_id"] for r in table.rows} == set(failed)
    assert md["images_dir"] == FileRef(str(chain.settings.images_dir))
    # one request per verified fighter's image plus the site's two default images
    served = chain.first_requests["fighter_images"]
    n_placeholders = len(chain.settings.placeholder_paths)
    assert served["image"] == md["verified_fighters"] + n_placeholders
    sherdog = md["http"]["sherdog"]["requests"]
    assert sherdog["image"] == md["verified_fighters"]
    assert sherdog["placeholder"] == n_placeholders
    assert set(md["http"]) == {"sherdog"}, "no other source is asked when it is not listed"
    for row in result.failures:
        assert row["path"] is None and row["detail"]
    files = {p.name for p in chain.settings.images_dir.iterdir()}
    assert files == {f"{fid}.jpg" for fid in saved}
    for row in result.saved:
        path = Path(row["path"])
        assert path == chain.settings.images_dir / f"{row['ufcstats_id']}.jpg"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == row["sha256"]
        with Image.open(path) as img:
            assert (img.format, img.size) == ("JPEG", (row["width"], row["height"]))


def test_stored_rows_match_the_result(chain: Any) -> None:
    rows = [
        r
        for x in LETTERS
        for r in json.loads(chain.processed_after_first[f"fighter_images/{x}.json"])["rows"]
    ]
    assert sorted(rows, key=lambda r: r["ufcstats_id"]) == sorted(
        chain.first["fighter_images"].rows, key=lambda r: r["ufcstats_id"]
    )


def test_clean_world_passes_the_check(chain: Any) -> None:
    for run in (chain.first, chain.second):
        check = checks_by_name(run["fighter_images"])["saved_images_exist"]
        assert check.passed, check.description


def test_second_run_downloads_nothing(chain: Any) -> None:
    """Saved images still on disk and definitive failures (404, not an image, placeholder)
    are carried over without a request."""
    first, second = chain.first["fighter_images"], chain.second["fighter_images"]
    assert chain.second_requests["fighter_images"] == {}
    assert sum(second.metadata()["http"]["sherdog"]["requests"].values()) == 0
    assert second.stats["carried_over"] == len(first.rows)
    assert second.stats["processed_now"] == 0
    key = "ufcstats_id"
    assert sorted(second.rows, key=lambda r: r[key]) == sorted(first.rows, key=lambda r: r[key])


def test_a_noop_run_encodes_no_letter(chain_copy: Settings, monkeypatch: Any) -> None:
    """A run with nothing to do does not even encode a letter's output again; a letter with
    a fighter to redo is written, and only that one."""
    written: list[str] = []
    store = type(chain_copy.processed)
    original = store.write

    def write(self: Any, asset: str, letter: str, payload: dict[str, Any]) -> Path:
        if asset == "fighter_images":
            written.append(letter)
        return original(self, asset, letter, payload)

    monkeypatch.setattr(store, "write", write)
    again = fighter_images_step(chain_copy, LETTERS)
    assert again.stats["processed_now"] == 0
    assert written == []
    paths = [chain_copy.processed.path("fighter_images", x) for x in LETTERS]
    letter, path = next(
        (x, p) for x, p in zip(LETTERS, paths, strict=True) if "saved" in p.read_text()
    )
    saved = next(r for r in json.loads(path.read_text())["rows"] if r["status"] == "saved")
    Path(saved["path"]).unlink()
    redo = fighter_images_step(chain_copy, LETTERS)
    assert redo.stats["processed_now"] == 1
    assert written == [letter]
    assert Path(saved["path"]).exists()


def test_deleted_image_fails_the_check_and_is_downloaded_again(
    chain_copy: Settings, mirror: MirrorHandle
) -> None:
    result = fighter_images_step(chain_copy, LETTERS)
    assert checks_by_name(result)["saved_images_exist"].passed
    victim = result.saved[0]
    Path(victim["path"]).unlink()
    check = checks_by_name(result)["saved_images_exist"]
    assert not check.passed
    assert check.details == {"missing": [victim["ufcstats_id"]]}

    before = mirror.stats()
    again = fighter_images_step(chain_copy, LETTERS)
    assert requests_since(mirror, before) == {"image": 1}
    assert again.stats["processed_now"] == 1
    assert checks_by_name(again)["saved_images_exist"].passed
    back = next(r for r in again.saved if r["ufcstats_id"] == victim["ufcstats_id"])
    assert back["sha256"] == victim["sha256"]
    assert Path(back["path"]).exists()
