"""The mirror's UFCStats pages against real UFCStats pages (``fixtures/real/mirror_ufcstats``).

Three checks per page kind:

* **structure**: for every node the parsers read (the selectors of
  ``ufc_pipeline/parsing/ufcstats.py``, ``ufcstats_events.py``, ``ufcstats_fight.py`` and
  SELECTORS.md), the chain of tags and classes from an anchor down to that node is the same
  on the mirror's page as on the real page. The anchor is the root ``<html>`` where the real
  page is whole (the event page, the fighter pages) and the element a real fragment starts
  with elsewhere (the table of the two lists, the ``section`` of the fight page). Classes
  that spell a value (the result colour ``b-flag_style_green|red|...``,
  ``b-fight-details__person-status_style_green|gray``) are compared by their stem.
* **weight**: bytes within +-30 % of the real page. Most real pages are trimmed (3 of 14
  bouts, 4 events, 8 fighters) and keep the blank lines of their removed rows, and fighter
  pages hold as many rows as the fighter has bouts, so a page is weighed as
  ``fixed + rows x per_row`` with whitespace-only lines dropped on both sides: per-row
  weight, fixed weight and the total at the real page's row count are compared.
* **chrome**: head, header, footer and trailing scripts are the real event page's (the
  lists, event and fight pages) or the real fighter page's (fighter pages), byte for byte.

The fighter page is compared with three whole real fighter pages (Jon Jones: 24 bouts,
Valentina Shevchenko: 18 bouts under an upcoming one, Tom Aspinall: 10 bouts). The
upcoming-bout row (``tr...row_type_first``) is left out of the comparison: the mirror's
fighter pages show completed bouts only.

The negative tests show each check failing on a page that drifted, moved a node or grew.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import lxml.html
import pytest
from lxml.html import HtmlElement

from ufc_mirror.badinput import pad_page
from ufc_mirror.blockpages import drift
from ufc_mirror.model import World
from ufc_mirror.render_ufcstats import fighter_details
from ufc_mirror.seed import SeedBout
from ufc_mirror.server import MirrorHandle
from ufc_mirror.ufcstats_template import Page

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "mirror_ufcstats"
TOLERANCE = 0.30
Chain = tuple[tuple[str, tuple[str, ...]], ...]
_VALUE_CLASS = re.compile(r"^(b-flag_style_|b-fight-details__person-status_style_)[\w-]+$")
_BLANK_LINE = re.compile(r"^[ \t]*\r?\n", re.M)


def _real(name: str) -> str:
    with (REAL / name).open(encoding="utf-8", newline="") as fh:
        return fh.read()


# ---------------------------------------------------------------- structure


def _classes(el: HtmlElement) -> tuple[str, ...]:
    out = set()
    for cls in (el.get("class") or "").split():
        m = _VALUE_CLASS.match(cls)
        out.add(m.group(1) + "*" if m else cls)
    return tuple(sorted(out))


def chains(html: str, anchor: str, selector: str) -> set[Chain]:
    """Tag-and-class chains from the first ``anchor`` down to each ``selector`` match."""
    root = lxml.html.document_fromstring(html)
    top = root if anchor == "html" else next(iter(root.cssselect(anchor)), None)
    if top is None:
        return set()
    out = set()
    for el in top.cssselect(selector):
        chain = []
        node: HtmlElement | None = el
        while node is not None:
            chain.append((node.tag, _classes(node)))
            if node is top:
                break
            node = node.getparent()
        out.add(tuple(reversed(chain)))
    return out


def structure_problems(
    real: str | list[str], mirror: str, anchor: str, selectors: list[str], exact: bool = True
) -> list[str]:
    """Selectors whose chains differ (``exact``) or that the real page(s) never show."""
    reals = [real] if isinstance(real, str) else real
    problems = []
    for sel in selectors:
        want = set().union(*(chains(r, anchor, sel) for r in reals))
        got = chains(mirror, anchor, sel)
        if not want:
            problems.append(f"{sel}: no match on the real page (fixture changed?)")
        elif exact and got != want:
            problems.append(
                f"{sel}: missing {sorted(want - got)[:1]}, extra {sorted(got - want)[:1]}"
            )
        elif not got <= want:
            problems.append(f"{sel}: not on the real page {sorted(got - want)[:1]}")
    return problems


# ---------------------------------------------------------------- weight


@dataclass(frozen=True)
class Weight:
    """Bytes of a page region: the rows and the rest (whitespace-only lines dropped)."""

    fixed: int
    rows: int
    n: int

    @property
    def per_row(self) -> float:
        return self.rows / self.n if self.n else 0.0

    def at(self, n: int) -> float:
        """The weight with ``n`` rows."""
        return self.fixed + n * self.per_row


def _bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def _lead(page: Page, el: HtmlElement) -> int:
    """Where a row begins with the whitespace in front of it (after its previous sibling)."""
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is not None:
        return page.outer(prev)[1]
    parent = el.getparent()
    return page.inner(parent)[0] if parent is not None else page.outer(el)[0]


def weigh(html: str, anchors: list[str], rows: str | None) -> Weight:
    """Weight of the regions of ``anchors`` (``html``: the whole page), split at ``rows``."""
    html = _BLANK_LINE.sub("", html)
    page = Page(html, "weighed page")
    regions = [
        (0, len(html)) if anchor == "html" else page.outer(page.one(anchor)) for anchor in anchors
    ]
    total = sum(_bytes(html[lo:hi]) for lo, hi in regions)
    if rows is None:
        return Weight(total, 0, 0)
    spans = [
        (_lead(page, el), page.outer(el)[1])
        for el in page.css(rows)
        if any(lo <= page.outer(el)[0] < hi for lo, hi in regions)
    ]
    row_bytes = sum(_bytes(html[a:b]) for a, b in spans)
    return Weight(total - row_bytes, row_bytes, len(spans))


def _off(got: float, want: float) -> float:
    return abs(got - want) / want if want else (0.0 if got == want else 1.0)


def weight_problems(real: Weight, mirror: Weight) -> list[str]:
    """Fixed weight, per-row weight and total at the real row count, each within 30 %."""
    checks = [("fixed", mirror.fixed, real.fixed)]
    if real.n:
        checks += [("per row", mirror.per_row, real.per_row),
                   (f"at {real.n} rows", mirror.at(real.n), real.at(real.n))]  # fmt: skip
    return [
        f"{what}: mirror {got:.0f} B vs real {want:.0f} B ({_off(got, want):+.0%})"
        for what, got, want in checks
        if _off(got, want) > TOLERANCE
    ]


# ---------------------------------------------------------------- the page kinds


@dataclass(frozen=True)
class Kind:
    """One page kind: its real counterpart, the anchor, the selectors, how rows are cut."""

    name: str
    real: str
    anchor: str
    selectors: list[str]
    rows: str | None
    path: Callable[[World], str]
    weight_anchors: tuple[str, ...] = ()

    @property
    def weighed(self) -> list[str]:
        """Where the page is weighed (default: the anchor)."""
        return list(self.weight_anchors or (self.anchor,))


def _event_with_variants(world: World) -> str:
    """An event (2014+) with a title bout and a bonus, like the real UFC 330 page."""
    for eid, bouts in sorted(world.bouts_by_event.items()):
        if world.seed_events[eid].date.year >= 2014 and all(
            any(test(b) for b in bouts)
            for test in (lambda b: "Title Bout" in b.type_verbose, lambda b: b.bonus == 1)
        ):
            return eid
    raise AssertionError("no event with a title bout and a bonus")


def _title_decision(world: World) -> SeedBout:
    """A 5-round title decision with statistics in the CTRL layout, like the real page."""
    return next(
        b
        for _, b in sorted(world.bout_index.items())
        if b.round == 5 and b.method.startswith("Decision") and "Title Bout" in b.type_verbose
        and world.seed_events[b.event_id].date >= dt.date(2020, 10, 1)
    )  # fmt: skip


def _fighter_with_history(world: World) -> str:
    """The listed fighter with the most bouts (a long history, like the real pages)."""
    return max(world.listed, key=lambda f: (len(f.bouts), f.id)).id


_FIGHTER_REAL = {
    "Jon Jones": "fighter-details-jon-jones.html",
    "Valentina Shevchenko": "fighter-details-valentina-shevchenko.html",
    "Tom Aspinall": "fighter-details-tom-aspinall.html",
}
_EVENTS_ROW = (
    "tbody > tr.b-statistics__table-row:not(:first-child), tr.b-statistics__table-row_type_first"
)
_HISTORY = "tr.b-fight-details__table-row__hover.js-fight-details-click"
_EVENT_ROW = "tr.js-fight-details-click"
# what parse_fighter_page reads: header, every box item and its title, the history rows
# with their cells, fighter/event/flag links, flag text and cell paragraphs
_FIGHTER_SELECTORS = [
    "span.b-content__title-highlight", "span.b-content__title-record", "p.b-content__Nickname",
    "li.b-list__box-list-item", "li.b-list__box-list-item i.b-list__box-item-title",
    "table.b-fight-details__table tbody", _HISTORY, f"{_HISTORY} > td",
    f"{_HISTORY} a[href*='/fighter-details/']", f"{_HISTORY} a[href*='/event-details/']",
    f"{_HISTORY} a.b-flag", f"{_HISTORY} i.b-flag__text", f"{_HISTORY} td > p",
    f"{_HISTORY} p.b-fight-details__table-text",
]  # fmt: skip

KINDS = [
    Kind(
        "fighters list", "fighters-list.html", "table.b-statistics__table",
        ["tbody > tr", "td.b-statistics__table-col_type_clear", "tbody > tr > td",
         "tbody > tr > td a.b-link_style_black"],
        "tbody > tr.b-statistics__table-row:not(:first-child)",
        lambda w: f"/statistics/fighters?char={w.listed[0].letter}&page=all",
    ),
    *(
        Kind(
            f"fighter page ({who})", real, "html", _FIGHTER_SELECTORS, _HISTORY,
            lambda w: f"/fighter-details/{_fighter_with_history(w)}",
        )
        for who, real in _FIGHTER_REAL.items()
    ),
    Kind(
        "events list", "events-completed.html", "table.b-statistics__table-events",
        ["tbody > tr", "td.b-statistics__table-col_type_clear",
         "tr.b-statistics__table-row_type_first", "i.b-statistics__table-content a",
         "span.b-statistics__date", "td.b-statistics__table-col_style_big-top-padding",
         "img.b-statistics__icon"],
        _EVENTS_ROW,
        lambda w: "/statistics/events/completed?page=all",
    ),
    Kind(
        "event page", "event-details.html", "html",
        ["h2.b-content__title span.b-content__title-highlight", "li.b-list__box-list-item",
         "li.b-list__box-list-item i.b-list__box-item-title", _EVENT_ROW, f"{_EVENT_ROW} > td",
         "i.b-flag__text", f"{_EVENT_ROW} a.b-link_style_black", f"{_EVENT_ROW} img",
         f"{_EVENT_ROW} p"],
        _EVENT_ROW, lambda w: f"/event-details/{_event_with_variants(w)}",
    ),
    Kind(
        "fight page", "fight-details-decision.html", "section.b-statistics__section_details",
        ["h2.b-content__title a", "div.b-fight-details__person", "i.b-fight-details__person-status",
         "h3.b-fight-details__person-name a.b-fight-details__person-link",
         "p.b-fight-details__person-title", "i.b-fight-details__fight-title",
         "p.b-fight-details__text", "i.b-fight-details__text-item_first",
         "i.b-fight-details__text-item", "i.b-fight-details__label",
         "table tbody.b-fight-details__table-body", "thead.b-fight-details__table-head th",
         "thead.b-fight-details__table-head_rnd th",
         "thead.b-fight-details__table-row_type_head th", "tbody > tr > td",
         "td p.b-fight-details__table-text", "td a.b-link_style_black"],
        "tr.b-fight-details__table-row", lambda w: f"/fight-details/{_title_decision(w).id}",
    ),
]  # fmt: skip


@pytest.fixture(scope="module")
def pages(mirror: MirrorHandle, http: httpx.Client, small_world: World) -> dict[str, str]:
    """The mirror's page of every kind, as served."""
    out = {}
    for kind in KINDS:
        r = http.get(mirror.ufcstats_url + kind.path(small_world))
        assert r.status_code == 200, kind.name
        out[kind.name] = r.text
    return out


FIGURES: list[str] = []


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_structure_like_the_real_page(kind: Kind, pages: dict[str, str]) -> None:
    assert structure_problems(_real(kind.real), pages[kind.name], kind.anchor, kind.selectors) == []


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_weight_like_the_real_page(kind: Kind, pages: dict[str, str]) -> None:
    real = weigh(_real(kind.real), kind.weighed, kind.rows)
    got = weigh(pages[kind.name], kind.weighed, kind.rows)
    FIGURES.append(
        f"{kind.name:16} real {real.at(real.n):8.0f} B ({real.n} rows, {real.per_row:6.0f} B/row,"
        f" {real.fixed:6d} B fixed)  mirror {got.at(real.n):8.0f} B at {real.n} rows "
        f"({got.n} rows served, {got.per_row:6.0f} B/row, {got.fixed:6d} B fixed, "
        f"{len(pages[kind.name].encode()):7d} B page)"
    )
    assert weight_problems(real, got) == []


Other = tuple[str, str, str | list[str], str, list[str]]


def _other_fighters(w: World) -> Iterator[Other]:
    """Fighter pages with every kind of row and header the world has."""
    reals = [_real(name) for name in _FIGHTER_REAL.values()]
    tests: dict[str, Callable[[SeedBout], bool]] = {
        "a draw": lambda b: b.red_outcome == "D", "a no contest": lambda b: b.red_outcome == "NC",
        "a 1990s bout": lambda b: w.seed_events[b.event_id].date.year < 1997,
        "a title bout": lambda b: "Title Bout" in b.type_verbose, "a bonus": lambda b: b.bonus > 0,
    }  # fmt: skip
    for label, test in tests.items():
        f = next((f for f in w.listed if any(test(b) for b in f.bouts)), None)
        if f is not None:
            yield (
                f"fighter with {label}",
                f"/fighter-details/{f.id}",
                reals,
                "html",
                _FIGHTER_SELECTORS,
            )
    f = next((f for f in w.listed if None in (f.reach_in, f.dob) or not f.nickname), None)
    if f is not None:
        yield (
            "fighter with -- fields",
            f"/fighter-details/{f.id}",
            reals,
            "html",
            _FIGHTER_SELECTORS,
        )


def _other_pages(w: World) -> Iterator[Other]:
    """More mirror pages whose nodes must all be found on a real page (a subset check)."""
    up = w.upcoming
    assert up is not None
    event = next(k for k in KINDS if k.name == "event page")
    yield "upcoming event", f"/event-details/{up.id}", _real(event.real), "html", event.selectors
    for result in ("D", "NC"):
        b = next((b for _, b in sorted(w.bout_index.items()) if b.red_outcome == result
                  and w.seed_events[b.event_id].date.year >= 2001), None)  # fmt: skip
        if b is not None:
            yield (
                f"event with {result}",
                f"/event-details/{b.event_id}",
                _real(event.real),
                "html",
                event.selectors,
            )
    fight = next(k for k in KINDS if k.name == "fight page")
    section = "section.b-statistics__section_details"
    ko = next(b for _, b in sorted(w.bout_index.items()) if b.method == "KO/TKO" and b.round == 1
              and w.seed_events[b.event_id].date >= dt.date(2020, 10, 1))  # fmt: skip
    yield (
        "KO fight",
        f"/fight-details/{ko.id}",
        _real("fight-details-finish.html"),
        section,
        fight.selectors,
    )
    old = next(
        b
        for _, b in sorted(w.bout_index.items())
        if dt.date(2001, 1, 1) <= w.seed_events[b.event_id].date < dt.date(2020, 10, 1)
    )
    yield "PASS-era fight", f"/fight-details/{old.id}", _real(fight.real), section, fight.selectors
    yield from _other_fighters(w)


def test_other_pages_use_only_real_structure(
    mirror: MirrorHandle, http: httpx.Client, small_world: World
) -> None:
    labels = []
    for label, path, real, anchor, selectors in _other_pages(small_world):
        html = http.get(mirror.ufcstats_url + path).text
        assert structure_problems(real, html, anchor, selectors, exact=False) == [], label
        labels.append(label)
    assert {"fighter with a draw", "fighter with a title bout", "fighter with a bonus"} <= set(
        labels
    )


# ---------------------------------------------------------------- chrome


def _chrome(html: str) -> tuple[str, str]:
    m = re.search(r"<section class=\"b-statistics__section[^\"]*\">", html)
    assert m is not None
    end = html.rindex("</section>") + len("</section>")
    return html[: m.start()], html[end:]


_MENU_LINK = (
    '<li class="b-head__item{}">\n            <a class="b-head__menu-link" href="/statistics/'
)
_EVENTS_ITEM = _MENU_LINK + 'events/">'
_FIGHTERS_ITEM = _MENU_LINK + 'fighters">'
_CURRENT = " b-head__item_state_current"


_VERSION = re.compile(r"\?ver=\d+")


def test_chrome_is_the_real_pages_byte_for_byte(pages: dict[str, str]) -> None:
    head, foot = _chrome(_real("event-details.html"))
    # the fighters list: the same bytes with the FIGHTERS menu item current, not EVENTS
    list_head = head.replace(_EVENTS_ITEM.format(_CURRENT), _EVENTS_ITEM.format(""))
    list_head = list_head.replace(_FIGHTERS_ITEM.format(""), _FIGHTERS_ITEM.format(_CURRENT))
    assert list_head.count(_CURRENT) == 1 and list_head != head
    # fighter pages: the real fighter page's own chrome (FIGHTERS current, no Modernizr)
    fighter = _chrome(_real(_FIGHTER_REAL["Valentina Shevchenko"]))
    assert fighter[0].count(_CURRENT) == 1 and fighter[0] != list_head
    for name, html in pages.items():
        got = _chrome(html)
        if name.startswith("fighter page"):
            assert got == fighter, name
            # the other real fighter pages differ only in their asset versions (?ver=)
            real = _chrome(_real(_FIGHTER_REAL[name[len("fighter page (") : -1]]))
            assert [_VERSION.sub("", t) for t in got] == [_VERSION.sub("", t) for t in real]
        else:
            assert got == (list_head if name == "fighters list" else head, foot), name


def test_fighter_without_bouts_is_the_real_page_without_bouts(small_world: World) -> None:
    """History table of a fighter with no bout: the real one's bytes (header, spacer)."""
    f = replace(small_world.listed[0], bouts=[])
    table = re.compile(r"<table class=\"b-fight-details__table .*?</table>", re.S)
    got = table.search(fighter_details(small_world, f))
    want = table.search(_real("fighter-details-fedor-nikolov.html"))
    assert got is not None and want is not None
    assert got.group(0) == want.group(0)


# ---------------------------------------------------------------- the checks can fail


def test_structure_check_fails_on_a_drifted_page(pages: dict[str, str]) -> None:
    for name in ("fighters list", "fighter page (Jon Jones)", "event page"):
        kind = next(k for k in KINDS if k.name == name)
        drifted = drift(pages[name])
        assert structure_problems(_real(kind.real), drifted, kind.anchor, kind.selectors)


def test_structure_check_fails_on_a_moved_node(pages: dict[str, str]) -> None:
    kind = next(k for k in KINDS if k.name == "event page")
    html = pages[kind.name]
    moved = html.replace(
        '<p class="b-fight-details__table-text">\n\n            <a class="b-link',
        '<p class="b-fight-details__table-text">\n\n            <span><a class="b-link',
    )
    moved = moved.replace("\n            </a>\n", "\n            </a></span>\n")  # fmt: skip
    assert moved != html
    problems = structure_problems(_real(kind.real), moved, kind.anchor, kind.selectors)
    assert any("a.b-link_style_black" in p for p in problems)


def test_structure_check_fails_on_a_moved_fighter_page_link(pages: dict[str, str]) -> None:
    kind = next(k for k in KINDS if k.name == "fighter page (Jon Jones)")
    html = pages[kind.name]
    moved = html.replace('<a class="b-link b-link_style_black" href="http://ufcstats.com/event',
                         '<span><a class="b-link b-link_style_black" href="http://ufcstats.com/'
                         "event")  # fmt: skip
    moved = moved.replace(
        "</a>\n        </p>\n\n        <p", "</a></span>\n        </p>\n\n        <p"
    )
    assert moved != html
    problems = structure_problems(_real(kind.real), moved, kind.anchor, kind.selectors)
    assert any("/event-details/" in p for p in problems)


@pytest.mark.parametrize("name", ["event page", "fighter page (Jon Jones)"])
def test_weight_check_fails_on_a_heavy_or_light_page(name: str, pages: dict[str, str]) -> None:
    kind = next(k for k in KINDS if k.name == name)
    real = weigh(_real(kind.real), kind.weighed, kind.rows)
    heavy = pad_page(pages[kind.name], 0.1)
    assert weight_problems(real, weigh(heavy, kind.weighed, kind.rows))
    body = re.search(r"<section.*</section>", pages[kind.name], flags=re.S)
    assert body is not None
    light = f"<html><body>{body.group(0)}</body></html>"  # the page without its chrome
    assert weight_problems(real, weigh(light, kind.weighed, kind.rows))


def test_print_weights() -> None:
    """The figures of the weight test (``pytest -s`` shows them)."""
    print("\n" + "\n".join(FIGURES))
