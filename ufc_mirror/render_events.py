"""UFCStats event pages: the events lists and ``/event-details/<id>``.

The markup is copied from the real pages (``ufcstats-events-completed.html`` and
``ufcstats-event-details.html``): ``table.b-statistics__table-events`` with its leading
empty row and the upcoming event first (``b-statistics__table-row_type_first``,
``next.png``, ``b-link_style_white``); event pages with the name in
``span.b-content__title-highlight``, Date/Location in ``li.b-list__box-list-item`` and one
``tr.js-fight-details-click`` per bout, main event first, winner first.
"""

from __future__ import annotations

import datetime as dt

from ufc_mirror.events import completed_events, weight_class_of
from ufc_mirror.methods import RESULTS, mmss, ufcstats_fight_stats, ufcstats_method
from ufc_mirror.model import UpcomingBout, UpcomingEvent, World
from ufc_mirror.seed import SeedBout
from ufc_mirror.ufcstats_chrome import CDN, HOST, e, page

PAGE_SIZE = 25
_FLAG_STYLE = {"win": "green", "draw": "bordered", "nc": "bordered"}
_BONUS_NEW = {"dec": "fight.png", "ko": "perf.png", "sub": "perf.png", "other": "perf.png"}
_BONUS_OLD = {"dec": "fight.png", "ko": "ko.png", "sub": "sub.png", "other": "fight.png"}


def fmt_list_date(day: dt.date) -> str:
    """``September 05, 2026`` (events list and event page)."""
    return f"{day:%B} {day:%d}, {day:%Y}"


def _event_row(event_id: str, name: str, day: dt.date, location: str, upcoming: bool) -> str:
    row_cls = "b-statistics__table-row_type_first" if upcoming else "b-statistics__table-row"
    icon = (f'\n                    <img src="{CDN}/next.png" class="b-statistics__icon">\n'
            if upcoming else "")  # fmt: skip
    style = "white" if upcoming else "black"
    return f"""
                <tr class="{row_cls}">
                  <td class="b-statistics__table-col">
                  {icon}
                    <i class="b-statistics__table-content">
                        <a href="{HOST}/event-details/{event_id}" class="b-link b-link_style_{style}">
                          {e(name)}
                        </a>
                        <span class="b-statistics__date">
                          {fmt_list_date(day)}
                        </span>
                    </i>
                  </td>
                  <td class="b-statistics__table-col b-statistics__table-col_style_big-top-padding">
                    {e(location)}
                  </td>
                </tr>
              """  # noqa: E501


def _paginate(kind: str, current: int | None, pages: int) -> str:
    if pages <= 1:
        return ""
    items = []
    for n in [*range(1, pages + 1), None]:
        label, target = (str(n), str(n)) if n is not None else ("All", "all")
        state = " b-statistics__paginate-item_state_current" if n == current else ""
        items.append(f"""
          <li class="b-statistics__paginate-item{state}">
            <a href="/statistics/events/{kind}?page={target}" class="b-statistics__paginate-link">
              {label}
            </a>
          </li>""")  # fmt: skip
    return f"""
      <ul class="b-statistics__paginate">{"".join(items)}
      </ul>"""


def events_list(world: World, kind: str = "completed", page_no: str = "all") -> str:
    """``/statistics/events/completed?page=all`` (or ``upcoming``, or ``page=N``)."""
    up: UpcomingEvent | None = world.upcoming
    upcoming_row = _event_row(up.id, up.name, up.date, up.location, True) if up else ""
    if kind == "upcoming":
        rows, pages, current = upcoming_row, 1, 1
    else:
        events = completed_events(world)
        pages = max(1, (len(events) + PAGE_SIZE - 1) // PAGE_SIZE)
        if page_no == "all":
            current = None
            shown = events
        else:
            current = int(page_no) if page_no.isdigit() and int(page_no) > 0 else 1
            shown = events[(current - 1) * PAGE_SIZE : current * PAGE_SIZE]
        rows = (upcoming_row if current in (None, 1) else "") + "".join(
            _event_row(ev.id, ev.name, ev.date, ev.location, False) for ev in shown
        )
    tabs = "".join(
        f"""
        <li class="b-statistics__nav-item">
          <a href="/statistics/events/{k}" class="b-statistics__nav-link{
            " b-statistics__nav-link_state_active" if k == kind else ""
        }">
            {k.title()}
          </a>
        </li>"""
        for k in ("completed", "upcoming")
    )
    body = f"""    <section class="b-statistics__section">
  <div class="l-page__container">
    <div class="b-statistics__inner">
      <ul class="b-statistics__nav-items">{tabs}
      </ul>
      <div class="b-statistics__table-wrap">
<table class="b-statistics__table-events">
            <thead class="b-statistics__table-caption">
              <tr class="b-statistics__table-row">
                <th class="b-statistics__table-col">
                  Name/date
                </th>
                <th class="b-statistics__table-col">
                  Location
                </th>
              </tr>
            </thead>
            <tbody>
                <tr class="b-statistics__table-row">
                  <td class="b-statistics__table-col_type_clear"></td>
                </tr>
              {rows}
            </tbody>
          </table>
      </div>{_paginate(kind, current, pages)}
    </div>
  </div>
</section>
"""
    return page(body, current="events")


def _pair_cell(a: str, b: str) -> str:
    return f"""
    <td class="b-fight-details__table-col">


          <p class="b-fight-details__table-text">

            {e(a)}
          </p>

          <p class="b-fight-details__table-text">

            {e(b)}
          </p>

    </td>"""


def _fighter_link(world: World, fid: str, last: bool) -> str:
    name = world.fighters[fid].name
    return f"""
          <p class="b-fight-details__table-text">

            <a class="b-link b-link_style_black" href="{HOST}/fighter-details/{fid}">
              {e(name)}
            </a>
{"" if last else chr(10)}          </p>
"""


def _flag(result: str, link: str) -> str:
    return f"""
              <p class="b-fight-details__table-text">
                <a class="b-flag b-flag_style_{_FLAG_STYLE[result]}" href="{link}"><i class="b-flag__inner"><i class="b-flag__text">{result}<i class="b-flag__corner"></i><i class="b-flag__corner-substrate"></i></i></i></a>
              </p>
              <br>
"""  # noqa: E501


def _method_kind(b: SeedBout) -> str:
    if b.method.startswith("Decision"):
        return "dec"
    if b.method.startswith(("KO", "TKO")):
        return "ko"
    return "sub" if b.method == "Submission" else "other"


def _images(title: bool, bonus: str | None) -> str:
    out = ""
    if title:
        out += f'\n        <img src="{CDN}/belt.png" alt="">'
    if bonus:
        out += f'\n        <img style="margin-right:2px;" src="{CDN}/{bonus}" alt="">'
    return out


def _row(
    world: World, bout_id: str, ids: tuple[str, str], result: str | None,
    stats: list[tuple[str, str]], weight_class: str, images: str, method: tuple[str, str],
    rnd: str, time: str,
) -> str:  # fmt: skip
    link = f"{HOST}/fight-details/{bout_id}"
    flags = ""
    if result is not None:
        flags = _flag(result, link) * (1 if result == "win" else 2)
    cells = "".join(_pair_cell(a, b) for a, b in stats)
    return f"""


    <tr class="b-fight-details__table-row b-fight-details__table-row__hover js-fight-details-click" onclick="doNav('{link}')" data-link="{link}">
    <td class="b-fight-details__table-col b-fight-details__table-col_style_align-top">


          {flags}




    </td>
    <td style="width:100px" class="b-fight-details__table-col l-page_align_left">
      {_fighter_link(world, ids[0], False)}{_fighter_link(world, ids[1], True)}

    </td>{cells}
    <td class="b-fight-details__table-col l-page_align_left">
      <p class="b-fight-details__table-text">
        {e(weight_class)}<br>{images}
      </p>

    </td>
    <td class="b-fight-details__table-col l-page_align_left">
      <p class="b-fight-details__table-text">



        {e(method[0])}

      </p>

      <p class="b-fight-details__table-text">
        {e(method[1])}
      </p>
    </td>
    <td class="b-fight-details__table-col">
      <p class="b-fight-details__table-text">

        {rnd}
      </p>
    </td>
    <td class="b-fight-details__table-col">
      <p class="b-fight-details__table-text">
        {time}
      </p>
    </td>
    </tr>
"""  # noqa: E501


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
    return _row(world, b.id, ids, result, stats, weight_class_of(b),
                _images("Title Bout" in b.type_verbose, bonus), ufcstats_method(b),
                str(b.round), mmss(b.time_seconds))  # fmt: skip


def upcoming_row(world: World, b: UpcomingBout) -> str:
    """A scheduled bout: no flag, no numbers, no method."""
    return _row(world, b.id, (b.red_id, b.blue_id), None, [("", "")] * 4, b.weight_class,
                _images(b.title, None), ("", ""), "", "")  # fmt: skip


def _heads() -> str:
    return "".join(
        f"""
  <th class="b-fight-details__table-col{cls}">
    {label}
  </th>"""
        for label, cls in (
            ("W/L", ""), ("Fighter", " l-page_align_left"), ("Kd", ""), ("Str", ""), ("Td", ""),
            ("Sub", ""), ("Weight class", " l-page_align_left"),
            ("Method", " l-page_align_left"), ("Round", ""), ("Time", ""),
        )
    )  # fmt: skip


def event_page(world: World, event_id: str) -> str | None:
    """``/event-details/<id>`` of a completed or the upcoming event (None: unknown id)."""
    up = world.upcoming
    if up is not None and event_id == up.id:
        name, day, location = up.name, up.date, up.location
        rows = "".join(upcoming_row(world, b) for b in up.bouts)
    elif event_id in world.bouts_by_event:
        ev = world.seed_events[event_id]
        name, day, location = ev.name, ev.date, ev.location
        rows = "".join(bout_row(world, b) for b in world.bouts_by_event[event_id])
    else:
        return None
    bonus_imgs = "".join(
        f'\n    <img class="b-statistics__table-status" src="{CDN}/{x}.png" alt="">'
        for x in ("fight", "perf", "sub", "ko")
    )
    body = f"""    <section class="b-statistics__section_details">
<script type="text/javascript">
    function doNav(url) {{
        document.location.href = url;

    }}
</script>
<div class="l-page__container">
<h2 class="b-content__title">

            <span class="b-content__title-highlight">
              {e(name)}
            </span>
</h2>

<div class="b-fight-details">
<div class="b-list__info-box b-list__info-box_style_large-width">
  <ul class="b-list__box-list">
    <li class="b-list__box-list-item">
      <i class="b-list__box-item-title">
        Date:
      </i>
      {fmt_list_date(day)}
    </li>
    <li class="b-list__box-list-item">
      <i class="b-list__box-item-title">
        Location:
      </i>

      {e(location)}
    </li>
  </ul>
</div>

<div class="b-statistics__table-preview">
  <i class="b-statistics__table-preview-item">
    Click on a row below to see in-depth event stats.
  </i>
  <i class="b-statistics__table-preview-item">
    Fight, Perf, Sub, and KO of the Night Bonuses:{bonus_imgs}

  </i>
</div>

<table class="b-fight-details__table b-fight-details__table_style_margin-top b-fight-details__table_type_event-details js-fight-table" style="display: table;">
<thead class="b-fight-details__table-head">
<tr class="b-fight-details__table-row">{_heads()}
</tr>
</thead>
<tbody class="b-fight-details__table-body">

{rows}
</tbody>
</table>
</div>
</div>
</section>
"""  # noqa: E501
    return page(body, current="events")
