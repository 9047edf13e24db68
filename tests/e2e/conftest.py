"""A small mirror world served on 127.0.0.1 for the end-to-end tests (one per session)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ufc_mirror.server import start_mirror
from ufc_mirror.world import build_world

E2E_FIGHTERS = 240


@pytest.fixture(scope="session")
def world():
    return build_world(seed=11, fighters=E2E_FIGHTERS)


@pytest.fixture(scope="session")
def mirror(world) -> Iterator[object]:
    handle = start_mirror(world)
    yield handle
    handle.stop()
