"""Fixtures of the witness tests: real pages by URL, and a small mirror world served locally.

Real pages are the copies in ``tests/fixtures/real/witness`` (provenance in its
``SOURCES.md``), each answered at the URL the witness asks for. The mirror serves a
40-fighter world on 127.0.0.1; its pages carry absolute ``http://ufcstats.com/...`` links,
so the mirror fetch answers those (and ``http://www.ufcstats.com``, ufcscraper's base) from
the mirror and anything else with "no such page": no request leaves the machine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from ufc_mirror.model import World
from ufc_mirror.server import MirrorHandle, start_mirror
from ufc_mirror.world import build_world

REAL_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "witness"
SITE_HOSTS = ("http://www.ufcstats.com", "http://ufcstats.com")
WITNESS_SEED = 5
WITNESS_FIGHTERS = 40

Fetch = Callable[[str], str | None]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "witness: third-party parsers read the mirror's pages as the real ones"
    )


# URL -> file: where each witness asks for the real page. Anonymised pages keep the
# example.com links their upstream tests use; the others are at their ufcstats.com URLs.
REAL_PAGES: dict[str, str] = {
    "http://www.ufcstats.com/statistics/fighters?char=a&page=all": "fighters_list_anon.html",
    "http://example.com/fighter1": "fighter_anon.html",
    "http://www.ufcstats.com/statistics/events/completed?page=all": "events_completed.html",
    "http://ufcstats.com/event-details/b96619b3acd7d9da": "event_ufc330.html",
    "http://example.com/event-details/event1": "event_anon.html",
    "http://ufcstats.com/fight-details/d4bd456d70965734": "fight_ko_d4bd456d70965734.html",
    "http://example.com/fight-details/fight1": "fight_sub_anon.html",
    "http://example.com/fight-details/fight3": "fight_decision_anon.html",
}


def real_fetch(url: str) -> str | None:
    """The real page answered at ``url``, or None."""
    name = REAL_PAGES.get(url)
    return (REAL_DIR / name).read_text(encoding="utf-8") if name else None


@pytest.fixture(scope="session")
def real() -> Fetch:
    """Fetch of the real pages."""
    return real_fetch


@pytest.fixture(scope="session")
def world() -> World:
    """The small world every mirror-side witness reads."""
    return build_world(WITNESS_SEED, fighters=WITNESS_FIGHTERS)


@pytest.fixture(scope="session")
def served(world: World) -> Iterator[MirrorHandle]:
    """Both mirrored sites on ephemeral ports of 127.0.0.1."""
    with start_mirror(world) as handle:
        yield handle


@pytest.fixture(scope="session")
def mirror(served: MirrorHandle) -> Iterator[Fetch]:
    """Fetch of the mirror's UFCStats pages by their real-site URLs."""
    base = served.ufcstats_url
    assert base.startswith("http://127.0.0.1:")
    with httpx.Client(timeout=10.0) as client:

        def fetch(url: str) -> str | None:
            for host in SITE_HOSTS:
                if url.startswith(host + "/"):
                    resp = client.get(base + url[len(host) :])
                    return resp.text if resp.status_code == 200 else None
            return None

        yield fetch
