"""The parse cache: a stored page is parsed once per body and parsing code; refusals are not
kept, Sherdog's 'Page Not Found' is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ufc_pipeline.parsing.errors import PageNotFound, ParseError
from ufc_pipeline.parsing.sherdog import parse_fighter_page
from ufc_pipeline.sources import parse_cache
from ufc_pipeline.sources.parse_cache import parsed
from ufc_pipeline.sources.raw_store import RawStore

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real" / "sherdog" / "fighter"
NOT_FOUND = b"<html><head><title>Page Not Found | Sherdog</title></head><body></body></html>"


class Counting:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, html: bytes, source: str | None = None, **kwargs: Any) -> Any:
        self.calls += 1
        return parse_fighter_page(html, source, **kwargs)


def _store(tmp_path: Path, body: bytes) -> RawStore:
    store = RawStore(tmp_path)
    store.put(
        "sherdog", "fighter", "1", url="https://www.sherdog.com/fighter/x-1", status=200, body=body
    )
    return store


def test_a_page_is_parsed_once_per_body_and_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = sorted(REAL.glob("*.html"))[:2]
    store = _store(tmp_path, pages[0].read_bytes())
    parse = Counting()

    def read() -> Any:
        return parsed(store, store.get("sherdog", "fighter", "1"), "f", parse, sherdog_id=1)

    first = read()
    assert read() == first == parse_fighter_page(pages[0].read_bytes(), sherdog_id=1)
    assert parse.calls == 1
    store.put("sherdog", "fighter", "1", url="u", status=200, body=pages[1].read_bytes())
    assert read() == parse_fighter_page(pages[1].read_bytes(), sherdog_id=1) != first
    assert parse.calls == 2
    monkeypatch.setattr(parse_cache, "code_version", lambda: "other-code")
    read()
    assert parse.calls == 3
    # another name (another parser or other arguments) is kept apart
    parsed(store, store.get("sherdog", "fighter", "1"), "g", parse, sherdog_id=1)
    assert parse.calls == 4


def test_page_not_found_is_kept_and_refusals_are_not(tmp_path: Path) -> None:
    store = _store(tmp_path, NOT_FOUND)
    parse = Counting()
    for _ in range(2):
        with pytest.raises(PageNotFound, match="Page Not Found"):
            parsed(store, store.get("sherdog", "fighter", "1"), "f", parse)
    assert parse.calls == 1
    store.put("sherdog", "fighter", "1", url="u", status=200, body=b"<html><p>x</p></html>")
    for _ in range(2):
        with pytest.raises(ParseError) as err:
            parsed(store, store.get("sherdog", "fighter", "1"), "f", parse)
        assert not isinstance(err.value, PageNotFound) and "raw page kept at" in str(err.value)
    assert parse.calls == 3


def test_the_code_version_follows_the_parsing_package() -> None:
    version = parse_cache.code_version()
    assert len(version) == 16 and version == parse_cache.code_version()
