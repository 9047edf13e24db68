"""Drive parsers this project did not write on pages we hand them.

Three witnesses, each left as published; only the fetching is replaced:

* ``ufcscraper`` 1.1.0 (PyPI): its parsing sits in the ``scrape_*`` loops of
  ``FighterScraper``, ``EventScraper`` and ``FightScraper``, which fetch through
  ``requests.Session.get`` and a multiprocessing helper (``links_to_soups``) and write CSV
  files. Here ``Session.get`` answers from a :data:`Fetch`, ``links_to_soups`` runs the
  package's own ``link_to_soup`` one URL after the other (without its polite delay), the
  URL-discovery methods return the URLs we pick, and the CSV files go to a temporary
  folder and are read back.
* ``ufcstats`` 0.0.3 (PyPI): ``getStats(name)`` reads a fighter page; its ``getWebPage``
  (a web search, then ``urlopen``) is replaced by one that parses the page we give it with
  ``BeautifulSoup(page, "html.parser")``, as the original does.
* Greco1899/scrape_ufc_stats (GPL-3.0, ``bench/witness/greco1899``): ``parse_*`` functions
  on soups made by its own ``get_soup``, whose ``requests.get`` answers from the Fetch.

A :data:`Fetch` maps an absolute URL to the page text, or None for "no such page".
"""

from __future__ import annotations

import csv
import io
import json
import logging
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import bs4
import requests
import ufcscraper.event_scraper as us_event
import ufcscraper.fight_scraper as us_fight
import ufcscraper.fighter_scraper as us_fighter
import ufcscraper.utils as us_utils
import ufcstats.ufcstats as ufcstats_mod

from bench.witness.greco import config as greco_config
from bench.witness.greco import library as greco_library

Fetch = Callable[[str], str | None]
EMPTY_PAGE = "<html><head></head><body></body></html>"


def _response(url: str, text: str | None) -> requests.Response:
    resp = requests.Response()
    resp.status_code = 200 if text is not None else 404
    resp._content = (text if text is not None else EMPTY_PAGE).encode("utf-8")
    resp.encoding = "utf-8"
    resp.url = url
    resp.headers["Content-Type"] = "text/html; charset=UTF-8"
    return resp


def _sequential_links_to_soups(
    urls: list[str], n_sessions: int = 1, delay: float = 0
) -> Iterator[tuple[str, bs4.BeautifulSoup]]:
    """``ufcscraper.utils.links_to_soups`` without its worker processes or polite delay."""
    session = us_utils.get_session()
    try:
        for url in urls:
            yield url, us_utils.link_to_soup(url, session, 0)
    finally:
        session.close()


@contextmanager
def serving(fetch: Fetch) -> Iterator[None]:
    """Every HTTP GET of the witnesses answers from ``fetch``; nothing leaves the process."""

    def session_get(self: requests.Session, url: str, *args: Any, **kwargs: Any) -> Any:
        return _response(url, fetch(url))

    def plain_get(url: str, *args: Any, **kwargs: Any) -> Any:
        return _response(url, fetch(url))

    with (
        mock.patch.object(requests.Session, "get", session_get),
        mock.patch.object(requests, "get", plain_get),
        mock.patch.object(us_fighter, "links_to_soups", _sequential_links_to_soups),
        mock.patch.object(us_event, "links_to_soups", _sequential_links_to_soups),
        mock.patch.object(us_fight, "links_to_soups", _sequential_links_to_soups),
    ):
        yield


@dataclass
class Run:
    """Rows a ``scrape_*`` method wrote, and the errors it logged (one per failed page)."""

    rows: list[dict[str, str]]
    errors: list[str] = field(default_factory=list)
    extra: list[dict[str, str]] = field(default_factory=list)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _errors() -> Iterator[list[str]]:
    handler = _Collect()
    log = logging.getLogger("ufcscraper")
    log.addHandler(handler)
    try:
        yield handler.messages
    finally:
        log.removeHandler(handler)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# -- ufcscraper ------------------------------------------------------------------------------


def ufcscraper_fighter_urls(fetch: Fetch) -> list[str]:
    """``FighterScraper.get_fighter_urls``: the 26 list pages, second link of every row."""
    with serving(fetch), tempfile.TemporaryDirectory() as tmp:
        return us_fighter.FighterScraper(tmp).get_fighter_urls()


def ufcscraper_fighters(fetch: Fetch, urls: list[str]) -> Run:
    """``FighterScraper.scrape_fighters`` on these fighter pages."""
    with serving(fetch), tempfile.TemporaryDirectory() as tmp, _errors() as errors:
        scraper = us_fighter.FighterScraper(tmp)
        with mock.patch.object(scraper, "get_fighter_urls", return_value=list(urls)):
            scraper.scrape_fighters()
        return Run(_rows(scraper.data_file), list(errors))


def ufcscraper_event_urls(fetch: Fetch) -> list[str]:
    """``EventScraper.get_event_urls``: every ``event-details`` link of the events list."""
    with serving(fetch), tempfile.TemporaryDirectory() as tmp:
        return us_event.EventScraper(tmp).get_event_urls()


def ufcscraper_events(fetch: Fetch, urls: list[str]) -> Run:
    """``EventScraper.scrape_events`` on these event pages."""
    with serving(fetch), tempfile.TemporaryDirectory() as tmp, _errors() as errors:
        scraper = us_event.EventScraper(tmp)
        with mock.patch.object(scraper, "get_event_urls", return_value=list(urls)):
            scraper.scrape_events()
        return Run(_rows(scraper.data_file), list(errors))


def ufcscraper_fight_urls(fetch: Fetch, event_urls: list[str]) -> list[str]:
    """``EventScraper.get_fight_urls_from_event_urls``: the W/draw flags of event pages."""
    with serving(fetch), tempfile.TemporaryDirectory() as tmp, redirect_stdout(io.StringIO()):
        return us_event.EventScraper(tmp).get_fight_urls_from_event_urls(list(event_urls))


def ufcscraper_fights(fetch: Fetch, urls: list[str]) -> Run:
    """``FightScraper.scrape_fights`` on these fight pages (``extra``: the round rows)."""
    with serving(fetch), tempfile.TemporaryDirectory() as tmp, _errors() as errors:
        scraper = us_fight.FightScraper(tmp)
        with mock.patch.object(scraper, "get_fight_urls", return_value=list(urls)):
            scraper.scrape_fights()
        return Run(_rows(scraper.data_file), list(errors), _rows(scraper.rounds_handler.data_file))


# -- ufcstats --------------------------------------------------------------------------------


def ufcstats_fighter(fetch: Fetch, url: str) -> dict[str, str]:
    """``ufcstats.getStats`` on the fighter page at ``url``."""
    text = fetch(url)

    def get_web_page(name: str) -> bs4.BeautifulSoup:
        return bs4.BeautifulSoup(text if text is not None else EMPTY_PAGE, "html.parser")

    with mock.patch.object(ufcstats_mod, "getWebPage", get_web_page):
        return dict(json.loads(ufcstats_mod.getStats(url)))


# -- Greco1899/scrape_ufc_stats --------------------------------------------------------------


def greco_soup(fetch: Fetch, url: str) -> bs4.BeautifulSoup:
    """Their ``get_soup(url)``."""
    with serving(fetch):
        return greco_library().get_soup(url)


def greco_fighters_list(fetch: Fetch, url: str) -> list[dict[str, str]]:
    """``parse_fighter_details``: FIRST, LAST, NICKNAME, URL per row of a list page."""
    lib, cfg = greco_library(), greco_config()
    df = lib.parse_fighter_details(greco_soup(fetch, url), cfg["fighter_details_column_names"])
    return [{k: str(v) for k, v in r.items()} for r in df.to_dict("records")]


def greco_fighter_tott(fetch: Fetch, url: str) -> dict[str, str]:
    """``parse_fighter_tott`` + ``organise_fighter_tott``: FIGHTER .. DOB, URL."""
    lib, cfg = greco_library(), greco_config()
    raw = lib.parse_fighter_tott(greco_soup(fetch, url))
    df = lib.organise_fighter_tott(raw, cfg["fighter_tott_column_names"], url)
    return {k: str(v) for k, v in df.to_dict("records")[0].items()}


def greco_events(fetch: Fetch, url: str) -> list[dict[str, str]]:
    """``parse_event_details``: EVENT, URL, DATE, LOCATION per completed event."""
    df = greco_library().parse_event_details(greco_soup(fetch, url))
    return [{k: str(v) for k, v in r.items()} for r in df.to_dict("records")]


def greco_event_fights(fetch: Fetch, url: str) -> list[dict[str, str]]:
    """``parse_fight_details``: EVENT, BOUT, URL per bout (it fetches every fight page)."""
    with serving(fetch):
        df = greco_library().parse_fight_details(greco_soup(fetch, url))
    return [{k: str(v) for k, v in r.items()} for r in df.to_dict("records")]


def greco_fight(fetch: Fetch, url: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """``parse_organise_fight_results_and_stats``: the result row and the per-round rows."""
    lib, cfg = greco_library(), greco_config()
    results, stats = lib.parse_organise_fight_results_and_stats(
        greco_soup(fetch, url), url, cfg["fight_results_column_names"],
        cfg["totals_column_names"], cfg["significant_strikes_column_names"],
    )  # fmt: skip
    result = {k: str(v) for k, v in results.to_dict("records")[0].items()}
    return result, [{k: str(v) for k, v in r.items()} for r in stats.to_dict("records")]
