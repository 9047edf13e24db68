"""The image waterfall over every source, on a world with planted hard cases.

Its own tiny world and mirror (the session chain's world is shared): before anything is
served, three Wikidata items get a P18 file that shows no face, two people, or carries a
non-free licence, and two fighters without any Wikimedia image get the same Sherdog photo.
The whole chain of steps then runs with every source (Wikimedia, Sherdog, UFC.com).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import imagehash
import pytest
from PIL import Image

from tests.steps.helpers import (
    LETTERS,
    copy_data_dir,
    count_calls,
    requests_since,
    settings_for,
    tiny_world,
)
from ufc_mirror.server import MirrorHandle, start_mirror
from ufc_mirror.wiki_world import wiki_world
from ufc_pipeline.images.validate import REASONS
from ufc_pipeline.steps import images as images_step
from ufc_pipeline.steps.details import fighter_details_step
from ufc_pipeline.steps.image_sources import SKIP_REASONS
from ufc_pipeline.steps.images import ImagesResult, fighter_images_step
from ufc_pipeline.steps.matching import sherdog_matches_step, verified_matches_step
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.steps.ufccom import ufc_com_athletes_step
from ufc_pipeline.steps.ufccom_matches import ufc_com_matches_step
from ufc_pipeline.steps.ufcstats import fighters_list_step
from ufc_pipeline.steps.wikidata import wikidata_fighters_step

ORDER = ("wikimedia", "sherdog", "ufccom")


@dataclasses.dataclass
class Planted:
    no_face: str
    two_faces: str
    non_free: str
    shared: tuple[str, str]
    portraits: list[str]  # fighters whose P18 is a free portrait


def _plant(world: Any) -> Planted:
    ww = wiki_world(world)
    own = sorted(
        fid
        for fid, fw in ww.fighters.items()
        if fw.qid and fw.own_file and fw.sherdog_id and not fw.shared_with and fw.p18
    )
    assert len(own) >= 4, f"the test world needs 4 items with their own P18, has {own}"
    files = {fid: ww.files[ww.fighters[fid].p18] for fid in own}
    files[own[0]].picture = "no_face"
    files[own[1]].picture = "two_faces"
    lic = files[own[2]].licence
    files[own[2]].licence = dataclasses.replace(
        lic, short_name="Fair use", code="", url=None, usage_terms="Fair use", free=False
    )
    for fid in own[3:]:
        files[fid].picture = "portrait"
    bare = sorted(
        f.id
        for f in world.listed
        if not ww.fighters[f.id].qid and f.person.image == "ok" and f.person.image_file
    )
    assert len(bare) >= 2, "the test world needs two fighters without a Wikidata item"
    a, b = (world.fighters[x] for x in bare[:2])
    b.person.image_file = a.person.image_file  # one photo on two fighters
    return Planted(own[0], own[1], own[2], (bare[0], bare[1]), own[3:])


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[MirrorHandle, Planted]]:
    world = tiny_world()
    planted = _plant(world)
    with start_mirror(world, host="127.0.0.1") as handle:
        yield handle, planted


@pytest.fixture(scope="module")
def run(
    served: tuple[MirrorHandle, Planted], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Settings, ImagesResult]:
    mirror, _ = served
    settings = settings_for(mirror, tmp_path_factory.mktemp("waterfall") / "data")
    assert settings.image_sources == ORDER
    for step in (
        fighters_list_step,
        fighter_details_step,
        sherdog_matches_step,
        verified_matches_step,
        ufc_com_athletes_step,
        ufc_com_matches_step,
        wikidata_fighters_step,
    ):
        step(settings, LETTERS)
    return settings, fighter_images_step(settings, LETTERS)


def _row(result: ImagesResult, fid: str) -> dict[str, Any]:
    return next(r for r in result.rows if r["ufcstats_id"] == fid)


def test_sources_are_tried_in_order_and_stop_at_the_first_good_image(run) -> None:
    _, result = run
    for row in result.rows:
        sources = [c["source"] for c in row["candidates"]]
        assert sources == sorted(sources, key=ORDER.index), row["ufcstats_id"]
        outcomes = [c["outcome"] for c in row["candidates"]]
        if row["status"] == "saved":
            assert outcomes[-1] == "saved" and "saved" not in outcomes[:-1]
            assert row["source"] == row["candidates"][-1]["source"]
        else:
            assert "saved" not in outcomes and sources == list(ORDER)
    assert {r["source"] for r in result.saved} >= {"wikimedia", "sherdog"}


def test_every_saved_image_decodes_shows_one_face_and_has_a_licence(run) -> None:
    settings, result = run
    assert result.saved
    for row in result.saved:
        assert row["faces"] == 1
        assert row["source"] in ORDER and row["licence"] and row["attribution"]
        with Image.open(row["path"]) as img:
            img.load()
            assert min(img.size) >= 60
    for check in result.checks():
        if check.name in ("saved_images_exist", "saved_images_licensed"):
            assert check.passed, check.description


def test_free_commons_portraits_are_taken_with_licence_and_author(run, served) -> None:
    _, planted = served
    _, result = run
    ww = wiki_world(served[0].world)
    for fid in planted.portraits:
        row = _row(result, fid)
        wf = ww.files[ww.fighters[fid].p18]
        assert row["source"] == "wikimedia", row["candidates"]
        assert row["licence"] == wf.licence.short_name
        assert row["author"] and wf.author in row["author"]
        assert row["licence"] in row["attribution"] or wf.attribution == row["attribution"]


@pytest.mark.parametrize(
    ("case", "outcome", "reason"),
    [
        ("no_face", "rejected", "no_face"),
        ("two_faces", "rejected", "several_faces"),
        ("non_free", "skipped", "non_free_licence"),
    ],
)
def test_each_wikimedia_rejection_is_recorded_and_the_next_source_tried(
    run, served, case: str, outcome: str, reason: str
) -> None:
    _, planted = served
    _, result = run
    row = _row(result, getattr(planted, case))
    first = row["candidates"][0]
    assert (first["source"], first["outcome"], first["reason"]) == ("wikimedia", outcome, reason)
    assert reason in REASONS or reason in SKIP_REASONS
    assert len(row["candidates"]) >= 2, "the next source was tried"
    if row["status"] == "saved":
        assert row["source"] != "wikimedia"


def test_rejected_pictures_are_kept_for_the_contact_sheet(run, served) -> None:
    settings, _ = run
    _, planted = served
    for fid in (planted.no_face, planted.two_faces):
        path = settings.data_dir / "images" / "rejected" / f"{fid}-wikimedia.jpg"
        with Image.open(path) as img:
            img.load()


def test_one_photo_on_two_fighters_is_reported(run, served) -> None:
    settings, result = run
    _, planted = served
    a, b = (_row(result, x) for x in planted.shared)
    assert a["status"] == b["status"] == "saved" and a["source"] == b["source"] == "sherdog"
    assert imagehash.hex_to_hash(a["phash"]) - imagehash.hex_to_hash(b["phash"]) <= 6
    pairs = {(d["first_id"], d["second_id"]): d for d in result.duplicates}
    pair = pairs[tuple(sorted(planted.shared))]
    assert pair["possible_wrong_match"]  # a matched Sherdog profile: maybe a wrong match
    check = next(c for c in result.checks() if c.name == "no_shared_image")
    assert not check.passed and check.severity == "warn"
    assert (settings.review_dir / "duplicate_images.json").exists()
    import lxml.html

    page = lxml.html.parse(settings.review_dir / "index.html").getroot()
    rows = page.cssselect("section.duplicates tr.pair-photo")
    assert [r.findtext("td") for r in rows] == [d["first_id"] for d in result.duplicates]
    shown = {tuple(td.text_content() for td in r.findall("td"))[:4]: r for r in rows}
    ours = shown[(pair["first_id"], "sherdog", pair["second_id"], "sherdog")]
    assert "possible wrong identity match" in ours.text_content()


def test_the_order_is_a_setting(run, served, tmp_path: Path) -> None:
    settings, first = run
    mirror, _ = served
    data = copy_data_dir(settings.data_dir, tmp_path / "data")
    reordered = settings_for(mirror, data, UFC_IMAGE_SOURCES="ufccom,sherdog", UFC_FULL_REFRESH="1")
    result = fighter_images_step(reordered, LETTERS)
    matched = {
        r["ufcstats_id"]
        for x in LETTERS
        for r in reordered.processed.read("ufc_com_matches", x)["rows"]
        if r["status"] == "verified"
    }
    assert matched
    for row in result.rows:
        sources = [c["source"] for c in row["candidates"]]
        assert "wikimedia" not in sources
        assert sources[0] == "ufccom"
        if row["ufcstats_id"] in matched and row["candidates"][0]["outcome"] == "saved":
            assert row["source"] == "ufccom" and row["licence"].startswith("All rights reserved")
    assert any(r["source"] == "ufccom" for r in result.saved)


def test_second_run_asks_nothing(run, served) -> None:
    settings, first = run
    mirror, _ = served
    before = mirror.stats()
    again = fighter_images_step(settings, LETTERS)
    assert requests_since(mirror, before) == {}
    assert again.stats["processed_now"] == 0
    key = "ufcstats_id"
    assert sorted(again.rows, key=lambda r: r[key]) == sorted(first.rows, key=lambda r: r[key])


def test_the_report_is_rendered_again_only_when_its_inputs_changed(
    run, served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, _ = run
    mirror, _ = served
    data = copy_data_dir(settings.data_dir, tmp_path / "data")
    copy = settings_for(mirror, data)
    fighter_images_step(copy, LETTERS)  # the copy's report, written after its inputs
    report = copy.review_dir / "index.html"
    assert "duplicates" in report.read_text(encoding="utf8")
    rendered = count_calls(monkeypatch, images_step, "write_review_outputs")
    fighter_images_step(copy, LETTERS)
    assert rendered == []  # nothing it adds to the report changed
    # the duplicate pairs file is newer than the report (a run stopped between the two)
    dupes = copy.review_dir / "duplicate_images.json"
    later = report.stat().st_mtime_ns + 1_000_000_000
    os.utime(dupes, ns=(later, later))
    fighter_images_step(copy, LETTERS)
    assert rendered == [1]
    report.unlink()
    fighter_images_step(copy, LETTERS)
    assert rendered == [1, 1] and report.exists()


def test_no_disallowed_ufccom_url_was_ever_requested(run, served) -> None:
    """Over the whole chain (athletes, matches, images), every request UFC.com's mirror saw
    is allowed by its robots.txt: no paged or filtered /athletes/all?... URL."""
    from protego import Protego

    mirror, _ = served
    site = mirror.ufccom_site
    robots = Protego.parse(site.robots_txt())
    targets = [t for t, _ in site.requests()]
    assert any(t.startswith("/athlete/") for t in targets)
    assert "/athletes/all" in targets
    bad = [t for t in targets if not robots.can_fetch(f"http://ufc.test{t}", "ufc-pipeline")]
    assert bad == []
    assert not any(t.startswith("/athletes/all?") for t in targets)
