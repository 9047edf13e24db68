"""UFCStats pages: the fighters list and the fighter-details page.

The markup follows the real pages (see ``SELECTORS.md``): same tags, classes and text
formats. Links are absolute with the real host (``http://ufcstats.com/...``), exactly as the
real site writes them. Every value is escaped.
"""

from __future__ import annotations

import random
import string

from ufc_mirror.methods import RESULTS, mmss, ufcstats_fight_stats, ufcstats_method
from ufc_mirror.model import UfcFighter, World
from ufc_mirror.ufcstats_chrome import (
    CDN,
    HOST,
    e,
    fmt_dob,
    fmt_event_date,
    fmt_height,
    fmt_reach,
    fmt_weight,
    page,
)

_FLAG_STYLE = {"win": "green", "loss": "red", "draw": "bordered", "nc": "bordered"}


def _alphabet(char: str) -> str:
    links = "".join(
        f"""
        <li class="b-statistics__nav-item">
          <a href="/statistics/fighters?char={c}&amp;page=all" class="b-statistics__nav-link{
            " b-statistics__nav-link_state_active" if c == char else ""
        }">
            {c.upper()}
          </a>
        </li>"""
        for c in string.ascii_lowercase
    )
    return f"""<ul class="b-statistics__nav-items">{links}
      </ul>"""


def _list_row(f: UfcFighter) -> str:
    href = f"{HOST}/fighter-details/{f.id}"
    rec = f.person.record()
    link = f'<a href="{href}" class="b-link b-link_style_black">'
    small = "b-statistics__table-col b-statistics__table-col_type_small"
    belt = f'<img class="b-list__icon" src="{CDN}/belt.png" alt="">' if f.belt else ""
    return f"""
        <tr class="b-statistics__table-row">
            <td class="b-statistics__table-col">
                {link}{e(f.first)}</a>
            </td>
            <td class="b-statistics__table-col">
                {link}{e(f.last)}</a>
            </td>
            <td class="b-statistics__table-col">
                {link}{e(f.nickname)}</a>
            </td>
            <td class="b-statistics__table-col">
                {e(fmt_height(f.height_in))}
            </td>
            <td class="b-statistics__table-col">
                {e(fmt_weight(f.weight_lbs))}
            </td>
            <td class="b-statistics__table-col">
                {e(fmt_reach(f.reach_in, True))}
            </td>
            <td class="b-statistics__table-col">
                {e(f.stance)}
            </td>
            <td class="{small}">
                {rec["win"]}
            </td>
            <td class="{small}">
                {rec["loss"]}
            </td>
            <td class="{small}">
                {rec["draw"]}
            </td>
            <td class="b-statistics__table-col">
                {belt}
            </td>
        </tr>
"""


def fighters_list(world: World, char: str) -> str:
    """``/statistics/fighters?char=X&page=all``: every listed fighter of that letter."""
    char = (char or "a")[:1].lower()
    rows = "".join(_list_row(f) for f in world.by_letter.get(char, []))
    heads = "".join(
        f"""
            <th class="b-statistics__table-col{cls}">
                {label}
            </th>"""
        for label, cls in (
            ("First", ""), ("Last", ""), ("Nickname", ""), ("Ht.", ""), ("Wt.", ""),
            ("Reach", ""), ("Stance", ""), ("W", " b-statistics__table-col_type_small"),
            ("L", " b-statistics__table-col_type_small"),
            ("D", " b-statistics__table-col_type_small"), ("Belt", ""),
        )
    )  # fmt: skip
    body = f"""    <section class="b-statistics__section">
  <div class="l-page__container">
    <div class="b-statistics__inner">
      {_alphabet(char)}
      <div class="b-statistics__table-wrap">
<table class="b-statistics__table">
    <thead class="b-statistics__table-caption">
        <tr class="b-statistics__table-row">{heads}
        </tr>
    </thead>
    <tbody>
        <tr class="b-statistics__table-row">
            <td class="b-statistics__table-col_type_clear"></td>
        </tr>
{rows}
    </tbody>
</table>
      </div>
    </div>
  </div>
</section>
"""
    return page(body)


def _pair(a: str, b: str) -> str:
    return f"""
      <p class="b-fight-details__table-text">
        {e(a)}
      </p>
      <p class="b-fight-details__table-text">
        {e(b)}
      </p>"""


def _fight_row(world: World, f: UfcFighter, bout_index: int) -> str:
    b = f.bouts[bout_index]
    red = b.red_id == f.id
    result = RESULTS[b.red_outcome if red else b.blue_outcome]
    opp = world.fighters[b.blue_id if red else b.red_id]
    event = world.seed_events[b.event_id]
    stats = ufcstats_fight_stats(b.id, event.date.year < 1997, world.seed)
    if not red:
        stats = [(y, x) for x, y in stats]
    method, detail = ufcstats_method(b)
    link = f"{HOST}/fight-details/{b.id}"
    cells = "".join(
        f'<td class="b-fight-details__table-col">{_pair(x, y)}\n    </td>' for x, y in stats
    )
    return f"""
    <tr class="b-fight-details__table-row b-fight-details__table-row__hover js-fight-details-click" data-link="{link}" onclick="doNav('{link}')">
    <td class="b-fight-details__table-col">
      <p class="b-fight-details__table-text">
        <a class="b-flag b-flag_style_{_FLAG_STYLE[result]}" href="{link}"><i class="b-flag__inner"><i class="b-flag__text">{result}</i></i></a>
      </p>
    </td>
    <td class="b-fight-details__table-col l-page_align_left">
      <p class="b-fight-details__table-text">
        <a class="b-link b-link_style_black" href="{HOST}/fighter-details/{f.id}">
          {e(f.name)}
        </a>
      </p>
      <p class="b-fight-details__table-text">
        <a class="b-link b-link_style_black" href="{HOST}/fighter-details/{opp.id}">
          {e(opp.name)}
        </a>
      </p>
    </td>
    {cells}
    <td class="b-fight-details__table-col l-page_align_left">
      <p class="b-fight-details__table-text">
        <a class="b-link b-link_style_black" href="{HOST}/event-details/{b.event_id}">
          {e(event.name)}
        </a>
      </p>
      <p class="b-fight-details__table-text">
        {fmt_event_date(event.date)}
      </p>
    </td>
    <td class="b-fight-details__table-col l-page_align_left">{_pair(method, detail)}
    </td>
    <td class="b-fight-details__table-col">
      <p class="b-fight-details__table-text">
        {b.round}
      </p>
    </td>
    <td class="b-fight-details__table-col">
      <p class="b-fight-details__table-text">
        {mmss(b.time_seconds)}
      </p>
    </td>
    </tr>
"""  # noqa: E501


def _fight_table(world: World, f: UfcFighter) -> str:
    heads = "".join(
        f"""
        <th class="b-fight-details__table-col{cls}">
          {label}
        </th>"""
        for label, cls in (
            ("W/L", ""), ("Fighter", " l-page_align_left"), ("Kd", ""), ("Str", ""), ("Td", ""),
            ("Sub", ""), ("Event", " l-page_align_left"), ("Method", " l-page_align_left"),
            ("Round", ""), ("Time", ""),
        )
    )  # fmt: skip
    rows = "".join(_fight_row(world, f, i) for i in range(len(f.bouts)))
    return f"""
      <table class="b-fight-details__table b-fight-details__table_style_margin-top b-fight-details__table_type_event-details js-fight-table">
        <thead class="b-fight-details__table-head">
          <tr class="b-fight-details__table-row">{heads}
          </tr>
        </thead>
        <tbody class="b-fight-details__table-body">
          <tr class="b-fight-details__table-row b-fight-details__table-row_type_first">
            <td class="b-fight-details__table-col b-fight-details__table-col_type_clear"></td>
          </tr>
{rows}
        </tbody>
      </table>"""  # noqa: E501


def _li(title: str, value: str, extra: str = "") -> str:
    return f"""
              <li class="b-list__box-list-item{extra} b-list__box-list-item_type_block">
                <i class="b-list__box-item-title b-list__box-item-title_type_width">
                  {title}
                </i>
                {e(value)}
              </li>"""


def _career_box(world: World, f: UfcFighter) -> str:
    rng = random.Random(f"{world.seed}:career:{f.id}")
    left = [
        ("SLpM:", f"{rng.uniform(1, 7):.2f}"),
        ("Str. Acc.:", f"{rng.randint(30, 65)}%"),
        ("SApM:", f"{rng.uniform(1, 6):.2f}"),
        ("Str. Def:", f"{rng.randint(40, 70)}%"),
    ]
    right = [
        ("TD Avg.:", f"{rng.uniform(0, 5):.2f}"),
        ("TD Acc.:", f"{rng.randint(0, 70)}%"),
        ("TD Def.:", f"{rng.randint(20, 95)}%"),
        ("Sub. Avg.:", f"{rng.uniform(0, 2):.1f}"),
    ]
    if not f.bouts:
        left = [(t, "0.00" if "Acc" not in t and "Def" not in t else "0%") for t, _ in left]
        right = [(t, "0.00" if "Acc" not in t and "Def" not in t else "0%") for t, _ in right]

    def items(pairs: list[tuple[str, str]]) -> str:
        return "".join(
            f"""
                <li class="b-list__box-list-item  b-list__box-list-item_type_block">
                  <i class="b-list__box-item-title b-list__box-item-title_font_lowercase b-list__box-item-title_type_width">
                    {t}
                  </i>
                  {v}
                </li>"""  # noqa: E501
            for t, v in pairs
        )

    return f"""
          <div class="b-list__info-box b-list__info-box_style_middle-width js-guide clearfix">
            <div class="b-list__info-box-left clearfix">
              <i class="b-list__box-item-title">Career statistics:</i>
              <div class="b-list__info-box-left">
                <ul class="b-list__box-list b-list__box-list_margin-top">{items(left)}
                </ul>
              </div>
              <div class="b-list__info-box-right b-list__info-box_style-margin-right">
                <ul class="b-list__box-list b-list__box-list_margin-top">{items(right)}
                </ul>
              </div>
            </div>
          </div>"""


def fighter_details(world: World, f: UfcFighter) -> str:
    """``/fighter-details/<id>``: header, tale of the tape, career box, fight history."""
    rec = f.person.record()
    record = f"Record: {rec['win']}-{rec['loss']}-{rec['draw']}"
    if rec["nc"]:
        record += f" ({rec['nc']} NC)"
    body = f"""    <section class="b-statistics__section_details">
<script type="text/javascript">
    function doNav(url) {{
        document.location.href = url;
    }}
</script>
      <div class="l-page__container">
        <h2 class="b-content__title">
          <span class="b-content__title-highlight">
            {e(f.name)}
          </span>
          <span class="b-content__title-record">
            {record}
          </span>
        </h2>
        <p class="b-content__Nickname">
            {e(f.nickname)}
        </p>
        <div class="b-fight-details b-fight-details_margin-top">
          <div class="b-list__info-box b-list__info-box_style_small-width js-guide">
            <ul class="b-list__box-list">{_li("Height:", fmt_height(f.height_in))}{
        _li("Weight:", fmt_weight(f.weight_lbs))
    }{_li("Reach:", fmt_reach(f.reach_in, False))}{_li("STANCE:", f.stance or "", " ")}{
        _li("DOB:", fmt_dob(f.dob))
    }
            </ul>
          </div>{_career_box(world, f)}
          <div class="b-fight-details__table-wrap">{_fight_table(world, f)}
          </div>
        </div>
      </div>
    </section>
"""
    return page(body)
