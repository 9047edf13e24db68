"""The mirror's Sherdog pages against real Sherdog pages (``fixtures/real/mirror_sherdog``).

For each page kind (fighter page, Fight Finder results, Fight Finder without results):

* **structure**: for every node the parsers read (the selectors of
  ``ufc_pipeline/parsing/sherdog.py`` and SELECTORS.md) the chain of tags and classes from
  an anchor down to that node is the same on the mirror's page as on each real page. The
  anchor is ``<html>`` for pages as Sherdog served them in 2025; for the 2022 page, whose
  outer chrome was ``div.container`` instead of ``div.wrapper > div.inner-wrapper``, it is
  ``div.col-left``. The 2025 Jon Jones page is a browser's DOM dump: its ``tbody`` (added by
  the browser) is dropped. Classes that spell a value (``final_result win|loss|...``,
  ``winloses win|lose|nc``) are compared by their stem. A selector is compared where both
  pages have it (a fighter without a nickname has no ``span.nickname em``), and every
  selector must be compared at least once.
* **weight**: the page's bytes within +-30 % of the real page's, the mirror's page being
  one with about as many rows (fights, results) as the real one.
* **chrome**: the real page's head and its end (right column, footer, scripts) are in the
  mirror's page byte for byte.

The negative tests show the structure check failing on a page whose
``div.module.bio_fighter.vcard`` wrapper was removed (what the hand-written mirror served)
and the weight check failing on a page without the real chrome.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import lxml.html
import pytest
from lxml.html import HtmlElement

from ufc_mirror.model import Person, World
from ufc_mirror.server import MirrorHandle
from ufc_mirror.sherdog_chrome import fighter_path

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "mirror_sherdog"
TOLERANCE = 0.30
Chain = tuple[tuple[str, tuple[str, ...]], ...]
_VALUE_CLASS = {
    "final_result": re.compile(r"^(win|loss|draw|no_contest|nc)$"),
    "winloses": re.compile(r"^(win|lose|draws?|nc)$"),
}


def _real(name: str) -> str:
    with (REAL / name).open(encoding="utf-8", newline="") as fh:
        return fh.read()


@dataclass(frozen=True)
class Real:
    """A real page: its file, the anchor of its chains, whether it is a browser's DOM dump."""

    file: str
    anchor: str = "html"
    dom_dump: bool = False


FIGHTER_REAL = [
    Real("fighter_aalon_cruz_2025.html"),
    Real("fighter_jon_jones_2025.html", dom_dump=True),
    Real("fighter_tony_ferguson_2022.html", anchor="div.col-left"),
]
SEARCH_REAL = [
    Real("search_alex_da_silva.html"),
    Real("search_alex_pereira.html"),
    Real("search_alexandre_pantoja.html"),
]
ZERO_REAL = [Real("search_aj_dobson_zero.html")]

# the parsers' nodes (ufc_pipeline/parsing/sherdog.py, SELECTORS.md)
FIGHTER_SELECTORS = [
    "div.module.bio_fighter.vcard > div.fighter-info",
    ".fighter-line1 h1[itemprop=name] span.fn",
    ".fighter-line2 span.nickname em",
    ".fighter-line2 span.nickname_empty",
    'img.profile-image.photo[itemprop="image"]',
    'strong[itemprop="nationality"]',
    'span[itemprop="addressLocality"]',
    '.bio-holder span[itemprop="birthDate"]',
    '.bio-holder b[itemprop="height"]',
    '.bio-holder b[itemprop="weight"]',
    '.association-class a.association span[itemprop="name"]',
    '.association-class a[href*="weightclass="]',
    ".winsloses-holder .winloses",
    ".winloses.win span",
    ".winloses.lose span",
    ".winloses.nc span",
    ".meter .pl",
    "div.module.fight_history",
    ".slanted_title > div:first-child",
    "table.new_table.fighter",
    "table.new_table.fighter tr.table_head",
    "table.new_table.fighter tr:not(.table_head)",
    "table.new_table.fighter tr > td",
    "span.final_result",
    'table.new_table.fighter a[href^="/fighter/"]',
    'table.new_table.fighter a[href^="/events/"]',
    'span[itemprop="award"]',
    "span.sub_line",
    "td.winby b",
    'td.winby span.sub_line a[href^="/referee/"]',
    "a.pbp_btn",
    'meta[property="og:url"]',
    "title",
    'a[href^="/fighter/"]',
]
SEARCH_SELECTORS = [
    "table.new_table.fightfinder_result",
    "table.fightfinder_result tr.table_head",
    "table.fightfinder_result tr[onclick]",
    "table.fightfinder_result tr[onclick] > td",
    'table.fightfinder_result a[href^="/fighter/"]',
    "table.fightfinder_result img[data-original]",
    "table.fightfinder_result td > strong",
    "div.footer span.pagination a",
    "div.message.sorry",
    "input#SearchTxt",
    'a[href^="/fighter/"]',
    "title",
]


# ---------------------------------------------------------------- structure


def _classes(el: HtmlElement) -> tuple[str, ...]:
    names = set((el.get("class") or "").split())
    for stem, value in _VALUE_CLASS.items():
        if stem in names:
            names = {stem + "*" if value.match(n) else n for n in names}
    return tuple(sorted(names))


def chains(html: str, real: Real, selector: str) -> set[Chain]:
    """Tag-and-class chains from the page's anchor down to each ``selector`` match."""
    root = lxml.html.document_fromstring(html)
    top = root if real.anchor == "html" else next(iter(root.cssselect(real.anchor)), None)
    if top is None:
        return set()
    out = set()
    for el in top.cssselect(selector):
        chain = []
        node: HtmlElement | None = el
        while node is not None:
            if not (real.dom_dump and node.tag == "tbody"):
                chain.append((str(node.tag), _classes(node)))
            if node is top:
                break
            node = node.getparent()
        out.add(tuple(reversed(chain)))
    return out


def structure_problems(
    real_html: str, real: Real, mirror: str, selectors: list[str], compared: set[str]
) -> list[str]:
    """Selectors whose chains differ between ``mirror`` and the real page (both showing it).

    ``compared`` collects the selectors compared: one never compared is on no real page or
    on no mirror page, and the tests fail on it.
    """
    if real.anchor != "html" and not lxml.html.document_fromstring(mirror).cssselect(real.anchor):
        return [f"{real.file}: the anchor {real.anchor} is not on the mirror's page"]
    problems = []
    for sel in selectors:
        want, got = chains(real_html, real, sel), chains(mirror, real, sel)
        if want and got:
            compared.add(sel)
            if got != want:
                problems.append(
                    f"{real.file}: {sel}: missing {sorted(want - got)[:1]}, "
                    f"extra {sorted(got - want)[:1]}"
                )
    return problems


# ---------------------------------------------------------------- the mirror's pages


def _rows(p: Person) -> int:
    return len(p.fights)


def _pick(world: World, test: Callable[[Person], bool], near: int = 15) -> Person:
    """The person passing ``test`` whose page has the number of rows nearest ``near``."""
    found = [p for p in world.persons.values() if test(p)]
    assert found, "no such person in the world"
    return min(found, key=lambda p: (abs(_rows(p) - near), p.sherdog_id))


def _fighter_people(world: World) -> dict[str, Person]:
    rec = Person.record
    return {
        "nickname and N/C": _pick(world, lambda p: bool(p.nickname) and rec(p)["nc"] > 0),
        "no nickname": _pick(world, lambda p: not p.nickname and rec(p)["loss"] > 0),
        "three sections": _pick(world, lambda p: len({f.section for f in p.fights}) == 3),
        "draw, no birthplace": _pick(world, lambda p: rec(p)["draw"] > 0 and not p.birthplace),
        "no birth date": _pick(world, lambda p: p.dob is None and bool(p.fights)),
    }


@pytest.fixture(scope="module")
def fighter_pages(mirror: MirrorHandle, http: httpx.Client, small_world: World) -> dict[str, str]:
    """The mirror's fighter pages of a few kinds of people, as served."""
    out = {}
    for what, p in _fighter_people(small_world).items():
        r = http.get(mirror.sherdog_url + fighter_path(p))
        assert r.status_code == 200, what
        out[what] = r.text
    return out


def _search(mirror: MirrorHandle, http: httpx.Client, query: str, page: int = 1) -> str:
    r = http.get(
        f"{mirror.sherdog_url}/stats/fightfinder", params={"SearchTxt": query, "page": str(page)}
    )
    assert r.status_code == 200
    return r.text


def _query_with(world: World, n: int) -> str:
    """A last name whose search finds ``n`` people on page 1 (or the nearest count)."""
    index = world.search_index()
    counts = {}
    for f in world.listed:
        counts.setdefault(f.last, len(index.page(f.last, 1)[0]))
    return min(counts, key=lambda q: (abs(counts[q] - n), q))


@pytest.fixture(scope="module")
def search_pages(mirror: MirrorHandle, http: httpx.Client, small_world: World) -> dict[str, str]:
    """Fight Finder pages: 20 results and a Next link, a few results, none."""
    return {
        "20 results": _search(mirror, http, "an"),
        "page 2": _search(mirror, http, "an", 2),
        "few results": _search(mirror, http, _query_with(small_world, 5)),
        "no results": _search(mirror, http, "zzqxv"),
    }


# ---------------------------------------------------------------- structure tests


def test_fighter_pages_structure(fighter_pages: dict[str, str]) -> None:
    compared: set[str] = set()
    problems = []
    for real in FIGHTER_REAL:
        html = _real(real.file)
        for what, page in fighter_pages.items():
            found = structure_problems(html, real, page, FIGHTER_SELECTORS, compared)
            problems += [f"{what}: {p}" for p in found]
    assert problems == []
    assert compared == set(FIGHTER_SELECTORS)


def test_search_pages_structure(search_pages: dict[str, str]) -> None:
    compared: set[str] = set()
    problems = []
    for real in SEARCH_REAL:
        html = _real(real.file)
        for what in ("20 results", "page 2", "few results"):
            selectors = [s for s in SEARCH_SELECTORS if s != "div.message.sorry"]
            problems += [
                f"{what}: {p}"
                for p in structure_problems(html, real, search_pages[what], selectors, compared)
            ]
    for real in ZERO_REAL:
        problems += structure_problems(
            _real(real.file), real, search_pages["no results"], SEARCH_SELECTORS, compared
        )
    assert problems == []
    assert compared == set(SEARCH_SELECTORS)


def _unwrap(html: str, selector: str) -> str:
    """The page with the element of ``selector`` removed, its children kept in place."""
    root = lxml.html.document_fromstring(html)
    for el in root.cssselect(selector):
        el.drop_tag()
    return lxml.html.tostring(root, encoding="unicode")


def test_structure_check_fails_without_the_real_wrapper(fighter_pages: dict[str, str]) -> None:
    page = fighter_pages["no nickname"]
    unwrapped = _unwrap(page, "div.module.bio_fighter.vcard")
    assert "bio_fighter" not in unwrapped and "fighter-info" in unwrapped
    real = FIGHTER_REAL[0]
    problems = structure_problems(_real(real.file), real, unwrapped, FIGHTER_SELECTORS, set())
    failing = {p.split(": ")[1] for p in problems}
    assert {
        ".fighter-line1 h1[itemprop=name] span.fn",
        '.bio-holder span[itemprop="birthDate"]',
        ".winloses.win span",
    } <= failing
    # the same page, reserialised but with its wrapper, passes: the wrapper is what fails
    kept = lxml.html.tostring(lxml.html.document_fromstring(page), encoding="unicode")
    assert structure_problems(_real(real.file), real, kept, FIGHTER_SELECTORS, set()) == []


# ---------------------------------------------------------------- weight


FIGURES: list[str] = []


def weight_problem(real: str, mirror: str, what: str) -> str | None:
    """``None`` when the mirror's page weighs within 30 % of the real page."""
    want, got = len(real.encode("utf-8")), len(mirror.encode("utf-8"))
    off = (got - want) / want
    FIGURES.append(f"{what:44} real {want:7d} B  mirror {got:7d} B  ({off:+.0%})")
    return None if abs(off) <= TOLERANCE else f"{what}: {got} B vs real {want} B ({off:+.0%})"


def _table_rows(html: str, selector: str) -> int:
    return len(lxml.html.document_fromstring(html).cssselect(selector))


@pytest.mark.parametrize("real", FIGHTER_REAL, ids=[r.file for r in FIGHTER_REAL])
def test_fighter_page_weight(
    real: Real, mirror: MirrorHandle, http: httpx.Client, small_world: World
) -> None:
    html = _real(real.file)
    n = _table_rows(html, "table.new_table.fighter tr:not(.table_head)")
    p = _pick(small_world, lambda p: bool(p.fights), near=n)
    page = http.get(mirror.sherdog_url + fighter_path(p)).text
    assert weight_problem(html, page, f"fighter, {n} rows ({_rows(p)} on the mirror)") is None


@pytest.mark.parametrize(
    "real", SEARCH_REAL + ZERO_REAL, ids=[r.file for r in SEARCH_REAL + ZERO_REAL]
)
def test_search_page_weight(
    real: Real, mirror: MirrorHandle, http: httpx.Client, small_world: World
) -> None:
    html = _real(real.file)
    n = _table_rows(html, "table.fightfinder_result tr[onclick]")
    query = "zzqxv" if n == 0 else "an" if n >= 20 else _query_with(small_world, n)
    page = _search(mirror, http, query)
    got = _table_rows(page, "table.fightfinder_result tr[onclick]")
    assert weight_problem(html, page, f"search, {n} results ({got} on the mirror)") is None


def test_weight_check_fails_without_the_chrome(fighter_pages: dict[str, str]) -> None:
    page = fighter_pages["no nickname"]
    root = lxml.html.document_fromstring(page)
    bare = lxml.html.tostring(root.cssselect("div.col-left")[0], encoding="unicode")
    assert weight_problem(_real(FIGHTER_REAL[0].file), bare, "negative: left column only")


# ---------------------------------------------------------------- chrome


def _head(html: str) -> str:
    return html[: html.index("<title>")]


def _end(html: str) -> str:
    return html[html.index("<!-- RIGHT COLUMN -->") :]


def test_chrome_byte_for_byte(fighter_pages: dict[str, str], search_pages: dict[str, str]) -> None:
    fighter = _real("fighter_aalon_cruz_2025.html")
    for page in fighter_pages.values():
        assert _head(page) == _head(fighter)
        assert _end(page) == _end(fighter)
    search = _real("search_alex_da_silva.html")
    for page in search_pages.values():
        assert _head(page) == _head(search)
        assert _end(page) == _end(search)


def test_figures() -> None:
    """Print the weights (run with -s to see them)."""
    print("\n".join(["", *FIGURES]))
