"""UFCStats event pages: the events lists and ``/event-details/<id>``, from real pages.

Templates (``templates/ufcstats/``, provenance in its ``SOURCES.md``):
``events-completed.html`` holds the real ``table.b-statistics__table-events`` with its
leading empty row, the upcoming event first (``b-statistics__table-row_type_first``,
``next.png``, ``b-link_style_white``) and completed rows; ``event-details.html`` is a whole
real event page: name in ``span.b-content__title-highlight``, Date/Location in
``li.b-list__box-list-item``, one ``tr.js-fight-details-click`` per bout, main event first,
winner first. The first real row of each kind is the row template.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lxml.html import HtmlElement

from ufc_mirror.events import completed_events, weight_class_of
from ufc_mirror.methods import RESULTS, mmss, ufcstats_fight_stats, ufcstats_method
from ufc_mirror.model import UpcomingBout, UpcomingEvent, World
from ufc_mirror.seed import SeedBout
from ufc_mirror.ufcstats_chrome import BELT_IMG, HOST, bonus_img, e
from ufc_mirror.ufcstats_template import Page, Rows, Template, template_page
from ufc_mirror.ufcstats_template_rows import FightRow, fight_row

PAGE_SIZE = 25
_BONUS_NEW = {"dec": "fight.png", "ko": "perf.png", "sub": "perf.png", "other": "perf.png"}
_BONUS_OLD = {"dec": "fight.png", "ko": "ko.png", "sub": "sub.png", "other": "fight.png"}
_CLEAR = "td.b-statistics__table-col_type_clear"


def fmt_list_date(day: dt.date) -> str:
    """``September 05, 2026`` (events list and event page)."""
    return f"{day:%B} {day:%d}, {day:%Y}"


# ---------------------------------------------------------------- events list


@dataclass(frozen=True, slots=True)
class _ListTemplates:
    page: Template
    tab: Template
    tabs: Rows
    upcoming: Template
    completed: Template
    rows: Rows
    paginate: Template
    page_item: Template
    page_items: Rows


def _nav_item(page: Page, li: HtmlElement) -> Template:
    a = page.one("a", li)
    return Template(page, page.outer(li), [
        (page.attr(a, "href"), "href"), (page.attr(a, "class"), "cls"),
        (page.text_of(a), "label"),
    ])  # fmt: skip


def _pager_item(page: Page, li: HtmlElement) -> Template:
    a = page.one("a", li)
    return Template(page, page.outer(li), [
        (page.attr(li, "class"), "cls"), (page.attr(a, "href"), "href"),
        (page.text_of(a), "label"),
    ])  # fmt: skip


def _row(page: Page, tr: HtmlElement) -> Template:
    a = page.one("i.b-statistics__table-content a", tr)
    where = page.one("td.b-statistics__table-col_style_big-top-padding", tr)
    return Template(page, page.outer(tr), [
        (page.attr(a, "href"), "href"), (page.text_of(a), "name"),
        (page.text_of(page.one("span.b-statistics__date", tr)), "date"),
        (page.text_of(where), "location"),
    ])  # fmt: skip


def _list_templates() -> _ListTemplates:
    name = "events-completed.html"
    page = template_page(name)
    nav = page.one("ul.b-statistics__nav-items")
    tabs = page.css("li.b-statistics__nav-item", nav)
    tbody = page.one("table.b-statistics__table-events > tbody")
    trs = [tr for tr in page.css("tr", tbody) if not page.css(_CLEAR, tr)]
    upcoming = page.one("tr.b-statistics__table-row_type_first", tbody)
    completed = next(tr for tr in trs if tr is not upcoming)
    wrap = page.one("div.b-statistics__table-wrap")
    pager = page.one("ul.b-statistics__paginate")
    items = page.css("li.b-statistics__paginate-item", pager)
    around = (page.outer(wrap)[1], page.outer(pager)[1])
    return _ListTemplates(
        Template(page, (0, len(page.text)), [
            (page.inner(nav), "tabs"), (page.inner(tbody), "rows"), (around, "paginate"),
        ]),
        _nav_item(page, tabs[0]), Rows.of(page, tabs),
        _row(page, upcoming), _row(page, completed), Rows.of(page, trs),
        Template(page, around, [(page.inner(pager), "items")]),
        _pager_item(page, items[0]), Rows.of(page, items),
    )  # fmt: skip


_LIST = _list_templates()
_TAB_CLS = ("b-statistics__nav-link", "b-statistics__nav-link b-statistics__nav-link_state_active")
_PAGE_CLS = ("b-statistics__paginate-item",
             "b-statistics__paginate-item b-statistics__paginate-item_state_current")  # fmt: skip


def _event_row(event_id: str, name: str, day: dt.date, location: str, upcoming: bool) -> str:
    template = _LIST.upcoming if upcoming else _LIST.completed
    return template.render({
        "href": f"{HOST}/event-details/{event_id}", "name": e(name),
        "date": fmt_list_date(day), "location": e(location),
    })  # fmt: skip


def _paginate(kind: str, current: int | None, pages: int) -> str:
    if pages <= 1:
        return ""
    items = []
    for n in [*range(1, pages + 1), None]:
        label, target = (str(n), str(n)) if n is not None else ("All", "all")
        items.append(_LIST.page_item.render({
            "cls": _PAGE_CLS[n == current], "href": f"/statistics/events/{kind}?page={target}",
            "label": label,
        }))  # fmt: skip
    return _LIST.paginate.render({"items": _LIST.page_items.join(items)})


def events_list(world: World, kind: str = "completed", page_no: str = "all") -> str:
    """``/statistics/events/completed?page=all`` (or ``upcoming``, or ``page=N``)."""
    up: UpcomingEvent | None = world.upcoming
    upcoming = [_event_row(up.id, up.name, up.date, up.location, True)] if up else []
    if kind == "upcoming":
        rows, pages, current = upcoming, 1, 1
    else:
        events = completed_events(world)
        pages = max(1, (len(events) + PAGE_SIZE - 1) // PAGE_SIZE)
        if page_no == "all":
            current = None
            shown = events
        else:
            current = int(page_no) if page_no.isdigit() and int(page_no) > 0 else 1
            shown = events[(current - 1) * PAGE_SIZE : current * PAGE_SIZE]
        rows = (upcoming if current in (None, 1) else []) + [
            _event_row(ev.id, ev.name, ev.date, ev.location, False) for ev in shown
        ]
    tabs = _LIST.tabs.join(
        _LIST.tab.render(
            {"href": f"/statistics/events/{k}", "cls": _TAB_CLS[k == kind], "label": k.title()}
        )  # fmt: skip
        for k in ("completed", "upcoming")
    )
    return _LIST.page.render({
        "tabs": tabs, "rows": _LIST.rows.join(rows), "paginate": _paginate(kind, current, pages),
    })  # fmt: skip


# ---------------------------------------------------------------- event page


@dataclass(frozen=True, slots=True)
class _EventTemplates:
    page: Template
    row: FightRow
    rows: Rows
    img_sep: str


def _event_templates() -> _EventTemplates:
    name = "event-details.html"
    page = template_page(name)
    items = page.css("ul.b-list__box-list > li.b-list__box-list-item")
    tbody = page.one("table.b-fight-details__table > tbody.b-fight-details__table-body")
    trs = page.css("tr.js-fight-details-click", tbody)
    cell = trs[0].xpath("./td")[6]
    img_sep = page.text[page.outer(page.one("br", cell))[1] : page.outer(page.one("img", cell))[0]]
    holes = [
        (page.text_of(page.one("h2.b-content__title span.b-content__title-highlight")), "name"),
        (page.tail_of(page.one("i.b-list__box-item-title", items[0])), "date"),
        (page.tail_of(page.one("i.b-list__box-item-title", items[1])), "location"),
        (page.inner(tbody), "rows"),
    ]
    return _EventTemplates(Template(page, (0, len(page.text)), holes),
                           fight_row(page, trs[0], "weight"), Rows.of(page, trs),
                           img_sep)  # fmt: skip


_EVENT = _event_templates()


def _method_kind(b: SeedBout) -> str:
    if b.method.startswith("Decision"):
        return "dec"
    if b.method.startswith(("KO", "TKO")):
        return "ko"
    return "sub" if b.method == "Submission" else "other"


def _weight_cell(weight_class: str, title: bool, bonus: str | None) -> str:
    images = ([BELT_IMG] if title else []) + ([bonus_img(bonus)] if bonus else [])
    return f"{e(weight_class)}<br>" + "".join(_EVENT.img_sep + img for img in images)


def bout_row(world: World, b: SeedBout) -> str:
    """One completed bout of an event page: winner first (red first on a draw or NC)."""
    day = world.seed_events[b.event_id].date
    result = RESULTS[b.red_outcome]
    stats = ufcstats_fight_stats(b.id, day.year < 1997, world.seed)
    ids = (b.red_id, b.blue_id)
    if result == "loss":
        ids = (b.blue_id, b.red_id)
        stats = [(y, x) for x, y in stats]
        result = "win"
    bonus = None
    if b.bonus:
        bonus = (_BONUS_NEW if day.year >= 2014 else _BONUS_OLD)[_method_kind(b)]
    return _EVENT.row.render(
        link=f"{HOST}/fight-details/{b.id}", flags=[result] * (1 if result == "win" else 2),
        fighters=[(i, world.fighters[i].name) for i in ids], stats=stats,
        cell6={"wc": _weight_cell(weight_class_of(b), "Title Bout" in b.type_verbose, bonus)},
        method=ufcstats_method(b), rnd=str(b.round), time=mmss(b.time_seconds),
    )  # fmt: skip


def upcoming_row(world: World, b: UpcomingBout) -> str:
    """A scheduled bout: no flag, no numbers, no method."""
    return _EVENT.row.render(
        link=f"{HOST}/fight-details/{b.id}", flags=[],
        fighters=[(i, world.fighters[i].name) for i in (b.red_id, b.blue_id)],
        stats=[("", "")] * 4, cell6={"wc": _weight_cell(b.weight_class, b.title, None)},
        method=("", ""), rnd="", time="",
    )  # fmt: skip


def event_page(world: World, event_id: str) -> str | None:
    """``/event-details/<id>`` of a completed or the upcoming event (None: unknown id)."""
    up = world.upcoming
    if up is not None and event_id == up.id:
        name, day, location = up.name, up.date, up.location
        rows = [upcoming_row(world, b) for b in up.bouts]
    elif event_id in world.bouts_by_event:
        ev = world.seed_events[event_id]
        name, day, location = ev.name, ev.date, ev.location
        rows = [bout_row(world, b) for b in world.bouts_by_event[event_id]]
    else:
        return None
    return _EVENT.page.render({
        "name": e(name), "date": fmt_list_date(day), "location": e(location),
        "rows": _EVENT.rows.join(rows),
    })  # fmt: skip
