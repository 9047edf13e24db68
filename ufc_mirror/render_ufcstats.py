"""UFCStats pages: the fighters list and the fighter-details page, rendered from real pages.

Templates (``templates/ufcstats/``, provenance in its ``SOURCES.md``): ``fighters-list.html``
(the real 11-column fighters table in the real chrome) and ``fighter_real.html`` (a whole
real fighter page: its chrome, header, tale of the tape, career statistics and history
table). The nodes the parsers read are located with the selectors of SELECTORS.md, and one
real row of each table is the row template; links stay absolute (``http://ufcstats.com/...``)
as on the real site. Every value is escaped.

The fighter page keeps the real page's bytes outside its holes; its history table holds
the world's completed bouts (newest first) written as the real page's loop writes them
(:class:`~ufc_mirror.ufcstats_template.Loop`), without the real page's upcoming-bout row.
Title bouts carry the real belt image before the date, bonus bouts the real bonus image
after the method.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ufc_mirror.methods import RESULTS, mmss, ufcstats_fight_stats, ufcstats_method
from ufc_mirror.model import UfcFighter, World
from ufc_mirror.seed import SeedBout
from ufc_mirror.ufcstats_chrome import (
    BELT_IMG,
    HOST,
    e,
    fmt_dob,
    fmt_event_date,
    fmt_height,
    fmt_reach,
    fmt_weight,
)
from ufc_mirror.ufcstats_template import Loop, Page, Rows, Span, Template, template_page
from ufc_mirror.ufcstats_template_rows import FightRow, fight_row, history_images

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_TAPE = ("height", "weight", "reach", "stance", "dob")
_CAREER = ("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7")
_CLEAR = "td.b-statistics__table-col_type_clear"


# ---------------------------------------------------------------- fighters list


@dataclass(frozen=True, slots=True)
class _ListTemplates:
    page: Template
    letter: Template
    letters: Rows
    row: Template
    rows: Rows


def _list_templates() -> _ListTemplates:
    name = "fighters-list.html"
    page = template_page(name)
    nav = page.one("ul.b-statistics__nav-items")
    items = page.css("li.b-statistics__nav-item", nav)
    a = page.one("a", items[0])
    letter = Template(page, page.outer(items[0]), [
        (page.attr(a, "href"), "href"), (page.attr(a, "class"), "cls"),
        (page.text_of(a), "label"),
    ])  # fmt: skip
    tbody = page.one("table.b-statistics__table > tbody")
    trs = [tr for tr in page.css("tr", tbody) if not page.css(_CLEAR, tr)]
    tds = trs[0].xpath("./td")
    holes = []
    for td, key in zip(tds[:3], ("first", "last", "nickname"), strict=True):
        link = page.one("a.b-link_style_black", td)
        holes += [(page.attr(link, "href"), "href"), (page.text_of(link), key)]
    keys = ("height", "weight", "reach", "stance", "w", "l", "d", "belt")
    holes += [(page.text_of(td), key) for td, key in zip(tds[3:], keys, strict=True)]
    whole = Template(page, (0, len(page.text)), [
        (page.inner(nav), "letters"), (page.inner(tbody), "rows"),
    ])  # fmt: skip
    return _ListTemplates(whole, letter, Rows.of(page, items), Template(page, page.outer(trs[0]),
                          holes), Rows.of(page, trs))  # fmt: skip


_LIST = _list_templates()
_LETTER_CLS = (
    "b-statistics__nav-link",
    "b-statistics__nav-link b-statistics__nav-link_state_active",
)


def _letters(char: str) -> str:
    return _LIST.letters.join(
        _LIST.letter.render({
            "href": f"/statistics/fighters?char={c}&amp;page=all",
            "cls": _LETTER_CLS[c == char], "label": c.upper(),
        })
        for c in _LETTERS
    )  # fmt: skip


def _list_row(f: UfcFighter) -> str:
    rec = f.person.record()
    return _LIST.row.render({
        "href": f"{HOST}/fighter-details/{f.id}", "first": e(f.first), "last": e(f.last),
        "nickname": e(f.nickname), "height": e(fmt_height(f.height_in)),
        "weight": e(fmt_weight(f.weight_lbs)), "reach": e(fmt_reach(f.reach_in, True)),
        "stance": e(f.stance), "w": str(rec["win"]), "l": str(rec["loss"]),
        "d": str(rec["draw"]), "belt": BELT_IMG if f.belt else "",
    })  # fmt: skip


def fighters_list(world: World, char: str) -> str:
    """``/statistics/fighters?char=X&page=all``: every listed fighter of that letter."""
    char = (char or "a")[:1].lower()
    rows = _LIST.rows.join(_list_row(f) for f in world.by_letter.get(char, []))
    return _LIST.page.render({"letters": _letters(char), "rows": rows})


# ---------------------------------------------------------------- fighter page


@dataclass(frozen=True, slots=True)
class _FighterTemplates:
    page: Template
    row: FightRow
    rows: Loop
    belt: str
    bonus: Template


def _header_holes(page: Page) -> list[tuple[Span, str]]:
    """Name, record, nickname, the tale of the tape and the career-statistics values."""
    holes = [
        (page.text_of(page.one("span.b-content__title-highlight")), "name"),
        (page.text_of(page.one("span.b-content__title-record")), "record"),
        (page.text_of(page.one("p.b-content__Nickname")), "nickname"),
    ]
    tape = page.one("div.b-list__info-box_style_small-width ul.b-list__box-list")
    items = page.css("li.b-list__box-list-item_type_block", tape)
    holes += [(page.tail_of(page.one("i.b-list__box-item-title", li)), key)
              for li, key in zip(items, _TAPE, strict=True)]  # fmt: skip
    career = [  # the right column starts with an item without title or value
        li
        for li in page.css("ul.b-list__box-list_margin-top > li.b-list__box-list-item")
        if page.text[slice(*page.text_of(page.one("i.b-list__box-item-title", li)))]
    ]
    holes += [(page.tail_of(page.one("i.b-list__box-item-title", li)), key)
              for li, key in zip(career, _CAREER, strict=True)]  # fmt: skip
    return holes


def _fighter_templates() -> _FighterTemplates:
    page = template_page("fighter_real.html")
    tbody = page.one("table.b-fight-details__table > tbody.b-fight-details__table-body")
    spacer = page.one(f"tr:has({_CLEAR})", tbody)
    trs = page.css("tr.b-fight-details__table-row__hover.js-fight-details-click", tbody)
    end = page.inner(tbody)[1]
    holes = [*_header_holes(page), ((page.outer(spacer)[1], end), "rows")]
    belt, bonus = history_images(page, trs)
    return _FighterTemplates(Template(page, (0, len(page.text)), holes),
                             fight_row(page, trs[0], "event"), Loop.of(page, trs, end),
                             belt, bonus)  # fmt: skip


_FIGHTER = _fighter_templates()
# the bonus image of a bout, as on the event page: by era and by how the bout ended
_BONUS_NEW = {"dec": "fight.png", "ko": "perf.png", "sub": "perf.png", "other": "perf.png"}
_BONUS_OLD = {"dec": "fight.png", "ko": "ko.png", "sub": "sub.png", "other": "fight.png"}


def _bonus(b: SeedBout, year: int) -> str:
    """The bonus image after the method (empty without a bonus)."""
    if not b.bonus:
        return ""
    if b.method.startswith("Decision"):
        kind = "dec"
    elif b.method.startswith(("KO", "TKO")):
        kind = "ko"
    else:
        kind = "sub" if b.method == "Submission" else "other"
    return _FIGHTER.bonus.render({"file": (_BONUS_NEW if year >= 2014 else _BONUS_OLD)[kind]})


def _fight_row(world: World, f: UfcFighter, bout_index: int) -> str:
    b = f.bouts[bout_index]
    red = b.red_id == f.id
    result = RESULTS[b.red_outcome if red else b.blue_outcome]
    opp = world.fighters[b.blue_id if red else b.red_id]
    event = world.seed_events[b.event_id]
    stats = ufcstats_fight_stats(b.id, event.date.year < 1997, world.seed)
    if not red:
        stats = [(y, x) for x, y in stats]
    return _FIGHTER.row.render(
        link=f"{HOST}/fight-details/{b.id}", flags=[result],
        fighters=((f.id, f.name), (opp.id, opp.name)), stats=stats,
        cell6={"href": f"{HOST}/event-details/{b.event_id}", "name": e(event.name),
               "date": fmt_event_date(event.date),
               "belt": _FIGHTER.belt if "Title Bout" in b.type_verbose else ""},
        method=ufcstats_method(b), rnd=str(b.round), time=mmss(b.time_seconds),
        bonus=_bonus(b, event.date.year),
    )  # fmt: skip


def _career(world: World, f: UfcFighter) -> list[str]:
    rng = random.Random(f"{world.seed}:career:{f.id}")
    values = [f"{rng.uniform(1, 7):.2f}", f"{rng.randint(30, 65)}%", f"{rng.uniform(1, 6):.2f}",
              f"{rng.randint(40, 70)}%", f"{rng.uniform(0, 5):.2f}", f"{rng.randint(0, 70)}%",
              f"{rng.randint(20, 95)}%", f"{rng.uniform(0, 2):.1f}"]  # fmt: skip
    if not f.bouts:  # as the real page of a fighter without bouts
        values = ["0.00", "0%", "0.00", "0%", "0.00", "0%", "0%", "0.0"]
    return values


def fighter_details(world: World, f: UfcFighter) -> str:
    """``/fighter-details/<id>``: header, tale of the tape, career box, fight history."""
    rec = f.person.record()
    record = f"Record: {rec['win']}-{rec['loss']}-{rec['draw']}"
    if rec["nc"]:
        record += f" ({rec['nc']} NC)"
    values = {
        "name": e(f.name), "record": record, "nickname": e(f.nickname),
        "height": e(fmt_height(f.height_in)), "weight": e(fmt_weight(f.weight_lbs)),
        "reach": e(fmt_reach(f.reach_in, False)), "stance": e(f.stance or ""),
        "dob": e(fmt_dob(f.dob)),
        "rows": _FIGHTER.rows.join(_fight_row(world, f, i) for i in range(len(f.bouts))),
    }  # fmt: skip
    values.update(zip(_CAREER, _career(world, f), strict=True))
    return _FIGHTER.page.render(values)
