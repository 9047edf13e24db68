"""A page that fails to parse in a run names the page, the selector and the raw file kept for
it (copied out of the raw store), and ``ufc-pipeline parse`` on that file reproduces the same
error."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from ufc_pipeline.cli import main
from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.sherdog import parse_search_results
from ufc_pipeline.parsing.ufcstats_events import parse_events_list
from ufc_pipeline.sources.raw_store import RawStore

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _drifted_search_page() -> bytes:
    html = (FIXTURES / "sherdog" / "search_charles_oliveira.html").read_bytes()
    assert b"fightfinder_result" in html
    return html.replace(b"fightfinder_result", b"ff_results_v2")


def _store(tmp_path: Path, site: str, kind: str, key: str, body: bytes) -> RawStore:
    store = RawStore(tmp_path / "raw")
    store.put(site, kind, key, url=f"https://example.test/{kind}/{key}", status=200, body=body)
    return store


def test_stored_page_parse_error_names_page_selector_and_raw_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _store(
        tmp_path, "sherdog", "search", "q=charles oliveira&page=1", _drifted_search_page()
    )
    page = store.get("sherdog", "search", "q=charles oliveira&page=1")
    assert page is not None and page.path is None  # in the store's database

    with pytest.raises(ParseError) as info:
        page.parse(parse_search_results)
    # the failing page was copied out to a file, the one the message names
    assert page.path is not None and page.path.read_bytes() == page.body
    assert page.path.is_relative_to(tmp_path / "raw" / "kept")
    message = str(info.value)
    assert "https://example.test/search/" in message  # the page
    assert "table.fightfinder_result" in message  # the selector
    assert f"raw page kept at {page.path}" in message  # the raw file
    assert info.value.raw_file == str(page.path)

    # the command named in the message reproduces the same error on the kept file
    command = message.split("(reproduce: ", 1)[1].rstrip(")")
    argv = shlex.split(command)
    assert argv[:2] == ["ufc-pipeline", "parse"]
    assert main(argv[1:]) == 1
    err = capsys.readouterr().err
    assert "table.fightfinder_result" in err
    assert str(page.path) in err


def test_good_stored_page_parses_and_kept_at_is_idempotent(tmp_path: Path) -> None:
    body = (FIXTURES / "ufcstats" / "ufcstats-events-completed.html").read_bytes()
    store = _store(tmp_path, "ufcstats", "events_list", "completed", body)
    page = store.get("ufcstats", "events_list", "completed")
    assert page is not None
    assert page.parse(parse_events_list)  # rows, no error

    exc = ParseError("ufcstats-events", "u", "table gone")
    exc.kept_at("/a/b.html").kept_at("/c/d.html")
    assert str(exc).count("raw page kept at") == 1
    assert exc.raw_file == "/a/b.html"
