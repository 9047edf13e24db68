"""One tiny served world for the step tests, and the chain of steps run on it once.

The world holds 16 listed fighters in the letters ``k`` and ``m``; three of the ``m``
fighters get a broken or placeholder Sherdog image (the mirror's own image kinds), so the
images step has failures to report. ``chain`` runs every fighter step twice over both
letters in one data directory (the second run is the incremental one) and keeps each
result and the requests the mirror answered for it; tests that change files work on a copy
(``chain_copy``). Tests see the world through ``truth`` (plain values, see helpers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.steps.helpers import (
    LETTERS,
    Truth,
    copy_data_dir,
    processed_snapshot,
    requests_since,
    settings_for,
    tiny_world,
)
from ufc_mirror.server import FaultConfig, MirrorHandle, start_mirror
from ufc_pipeline.steps.details import fighter_details_step
from ufc_pipeline.steps.fights import fights_step
from ufc_pipeline.steps.images import fighter_images_step
from ufc_pipeline.steps.locations import fighter_locations_step
from ufc_pipeline.steps.matching import sherdog_matches_step, verified_matches_step
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.steps.ufccom import ufc_com_athletes_step
from ufc_pipeline.steps.ufccom_matches import ufc_com_matches_step
from ufc_pipeline.steps.ufcstats import fighters_list_step
from ufc_pipeline.steps.wikidata import wikidata_fighters_step

STEPS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("fighters_list", fighters_list_step),
    ("fighter_details", fighter_details_step),
    ("sherdog_matches", sherdog_matches_step),
    ("verified_matches", verified_matches_step),
    ("ufc_com_athletes", ufc_com_athletes_step),
    ("ufc_com_matches", ufc_com_matches_step),
    ("wikidata_fighters", wikidata_fighters_step),
    ("fighter_locations", fighter_locations_step),
    ("fighter_images", fighter_images_step),
    ("fights", fights_step),
)


@pytest.fixture(scope="session")
def truth() -> Truth:
    return Truth(tiny_world())


@pytest.fixture(scope="session")
def mirror(truth: Truth) -> Iterator[MirrorHandle]:
    with start_mirror(truth.world, host="127.0.0.1") as handle:
        yield handle


@pytest.fixture(scope="session")
def failing_mirror(truth: Truth) -> Iterator[MirrorHandle]:
    """The same world behind sites that answer HTTP 500 to every page (robots.txt aside)."""
    faults = FaultConfig(kinds={"500": 1.0})
    with start_mirror(truth.world, host="127.0.0.1", faults=faults) as handle:
        yield handle


@dataclass
class Chain:
    """Every fighter step run twice on the same data directory."""

    settings: Settings
    letters: list[str]
    first: dict[str, Any] = field(default_factory=dict)
    second: dict[str, Any] = field(default_factory=dict)
    first_requests: dict[str, dict[str, int]] = field(default_factory=dict)
    second_requests: dict[str, dict[str, int]] = field(default_factory=dict)
    processed_after_first: dict[str, bytes] = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir


@pytest.fixture(scope="session")
def chain(mirror: MirrorHandle, tmp_path_factory: pytest.TempPathFactory) -> Chain:
    data_dir = tmp_path_factory.mktemp("chain") / "data"
    # Images from Sherdog only here (its planted faults stay visible); the waterfall over
    # every source has its own tests.
    settings = settings_for(mirror, data_dir, UFC_IMAGE_SOURCES="sherdog")
    run = Chain(settings=settings, letters=list(LETTERS))
    for name, step in STEPS:
        before = mirror.stats()
        run.first[name] = step(run.settings, run.letters)
        run.first_requests[name] = requests_since(mirror, before)
    run.processed_after_first = processed_snapshot(run.settings, [name for name, _ in STEPS])
    for name, step in STEPS:
        before = mirror.stats()
        run.second[name] = step(run.settings, run.letters)
        run.second_requests[name] = requests_since(mirror, before)
    return run


@pytest.fixture
def chain_copy(chain: Chain, mirror: MirrorHandle, tmp_path: Path) -> Settings:
    """Settings for a private copy of the chain's data directory (same mirror)."""
    data_dir = copy_data_dir(chain.data_dir, tmp_path / "data")
    return settings_for(mirror, data_dir, UFC_IMAGE_SOURCES="sherdog")
