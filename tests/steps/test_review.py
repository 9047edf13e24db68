"""The review queue: pairs below the auto threshold, their report and their photos."""

from __future__ import annotations

import csv
import io

import lxml.html

from tests.steps.helpers import (
    LETTERS,
    Truth,
    read_json,
    requests_since,
    settings_for,
)
from ufc_mirror.server import MirrorHandle
from ufc_pipeline.steps.images import fighter_images_step
from ufc_pipeline.steps.matching import verified_matches_step
from ufc_pipeline.steps.review import photo_path, photo_targets, write_review_outputs
from ufc_pipeline.steps.settings import Settings


def _strict(chain_copy: Settings, mirror: MirrorHandle) -> Settings:
    """The copy with an auto threshold no pair reaches: every pair goes to review."""
    return settings_for(
        mirror, chain_copy.data_dir, UFC_AUTO_THRESHOLD="101", UFC_IMAGE_SOURCES="sherdog"
    )


def test_pairs_below_the_threshold_are_queued_with_both_sides(
    chain_copy: Settings, mirror: MirrorHandle, truth: Truth
) -> None:
    settings = _strict(chain_copy, mirror)
    result = verified_matches_step(settings, LETTERS)
    ids = truth.all_listed_ids()
    md = result.metadata()
    assert (md["review"], md["auto_verified"], md["override"]) == (len(ids), 0, 0)
    queue = read_json(settings.review_dir / "queue.json")
    assert {item["ufcstats_id"] for item in queue} == ids
    for item in queue:
        fid, cand = item["ufcstats_id"], item["candidate"]
        assert item["status"] == "review"
        assert cand["sherdog_id"] == truth.sherdog_id(fid)
        assert cand["name"] == truth.sherdog_name(cand["sherdog_id"])
        assert item["ufcstats"]["name"] == truth.name(fid)
        assert item["ufcstats"]["ufc_bouts"] == truth.ufc_bout_count(fid)
        assert any("below the auto threshold" in n for n in item["notes"])
    helps = [item["help"] for item in queue]
    assert helps == sorted(helps, reverse=True)
    lines = list(csv.reader(io.StringIO((settings.review_dir / "queue.csv").read_text())))
    assert lines[0] == ["ufcstats_id", "name", "sherdog_id", "sherdog_name", "confidence", "notes"]
    assert [row[0] for row in lines[1:]] == [item["ufcstats_id"] for item in queue]
    page = lxml.html.parse(md["review_report"].path).getroot()
    assert page.findtext(".//h1") == f"Sherdog matches to review: {len(ids)}"
    assert len(page.cssselect("section.pair")) == len(ids)


def test_images_step_fetches_the_review_photos(
    chain_copy: Settings, mirror: MirrorHandle, truth: Truth
) -> None:
    settings = _strict(chain_copy, mirror)
    verified_matches_step(settings, LETTERS)
    targets = photo_targets(settings)
    queue = read_json(settings.review_dir / "queue.json")
    assert set(targets) >= {item["candidate"]["sherdog_id"] for item in queue}
    good = {sid for sid in targets if truth.image_kind(sid) == "ok"}
    bad = set(targets) - good
    assert bad, "the planted broken images are candidates too"
    # a page showing the site's default image is not even downloaded
    downloaded_bad = {sid for sid in bad if truth.image_kind(sid) != "placeholder_default"}

    before = mirror.stats()
    result = fighter_images_step(settings, LETTERS)
    assert result.metadata()["verified_fighters"] == 0  # nobody is verified any more
    assert result.stats["review_photos"] == len(good)
    assert requests_since(mirror, before)["image"] == len(good) + len(downloaded_bad)
    assert {sid for sid in targets if photo_path(settings, sid).exists()} == good
    page = lxml.html.parse(settings.review_dir / "index.html").getroot()
    shown = {img.get("src") for img in page.cssselect("img.photo")}
    assert shown == {f"photos/{sid}.jpg" for sid in good}

    before = mirror.stats()
    again = fighter_images_step(settings, LETTERS)
    assert again.stats["review_photos"] == len(good)
    # photos on disk are kept; the ones that failed are tried again
    assert requests_since(mirror, before).get("image", 0) == len(downloaded_bad)


def test_no_pending_pair_writes_an_empty_report(chain_copy: Settings) -> None:
    page = write_review_outputs(chain_copy)
    assert page == chain_copy.review_dir / "index.html"
    assert read_json(chain_copy.review_dir / "queue.json") == []
    assert (chain_copy.review_dir / "queue.csv").read_text().count("\n") == 1
    root = lxml.html.parse(page).getroot()
    assert root.cssselect("section.pair") == []
    assert "Nothing to review." in root.text_content()
