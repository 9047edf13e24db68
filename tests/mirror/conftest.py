"""Shared fixtures of the mirror tests: one small world and one running mirror per session."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from html.parser import HTMLParser

import httpx
import pytest

from ufc_mirror.methods import OPPOSITE
from ufc_mirror.model import World
from ufc_mirror.server import MirrorHandle, start_mirror
from ufc_mirror.world import build_world

SMALL = 240


@pytest.fixture(scope="session")
def small_world() -> World:
    """A small world: 240 listed UFC fighters spread over the letters (plus opponents)."""
    return build_world(7, fighters=SMALL)


@pytest.fixture(scope="session")
def mirror(small_world: World) -> Iterator[MirrorHandle]:
    """Both sites of the small world on ephemeral ports of 127.0.0.1."""
    with start_mirror(small_world) as handle:
        yield handle


@pytest.fixture(scope="session")
def http() -> Iterator[httpx.Client]:
    """One keep-alive HTTP client for the session."""
    with httpx.Client(timeout=10.0) as client:
        yield client


def assert_fights_consistent(world: World) -> None:
    """Every row has its mirror row on the opponent's page (same event, date, method)."""
    rows: Counter[tuple] = Counter()
    for p in world.persons.values():
        for f in p.fights:
            rows[(p.sherdog_id, f.opponent.sherdog_id, f.event.sherdog_id, f.date, f.section,
                  f.result, f.method, f.round, f.time, f.bout_id)] += 1  # fmt: skip
    for (me, them, ev, day, section, result, method, rnd, time, bout), n in rows.items():
        twin = (them, me, ev, day, section, OPPOSITE[result], method, rnd, time, bout)
        assert rows[twin] == n, (me, them, ev, day)


@pytest.fixture(scope="session")
def check_fights() -> Callable[[World], None]:
    """The fight-consistency check (a fixture: test modules cannot import each other)."""
    return assert_fights_consistent


VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area", "base"}


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        return

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> with open {self.stack[-3:]}")
            return
        self.stack.pop()


def assert_balanced(html: str) -> None:
    """Every non-void tag is closed, in order."""
    parser = _Balance()
    parser.feed(html)
    parser.close()
    assert not parser.errors, parser.errors[:3]
    assert not parser.stack, parser.stack


@pytest.fixture(scope="session")
def balanced() -> Callable[[str], None]:
    """The tag-balance check (a fixture: test modules cannot import each other)."""
    return assert_balanced
