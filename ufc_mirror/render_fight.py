"""UFCStats ``/fight-details/<id>``: the bout page (``ufcstats-fight-details-finish.html``).

Event link in ``h2.b-content__title a``; each side a ``div.b-fight-details__person`` (red
corner first) with ``i.b-fight-details__person-status`` (W/L/D/NC), the fighter link and
his nickname; the bout type with belt/bonus images; Method / Round / Time / Time format /
Referee / Details; then the Totals, per-round, Significant Strikes and per-round tables.
The numbers are generated, but KD, significant strikes landed, takedowns landed and
submission attempts equal the ones on the event and fighter pages. Bouts before 1997 have
no tables, as on the real site.
"""

from __future__ import annotations

import datetime as dt
import random

from ufc_mirror.events import weight_class_of
from ufc_mirror.methods import mmss, ufcstats_fight_stats
from ufc_mirror.model import World
from ufc_mirror.seed import SeedBout
from ufc_mirror.ufcstats_chrome import CDN, HOST, e, page

_STATUS = {"W": ("W", "green"), "L": ("L", "gray"), "D": ("D", "gray"), "NC": ("NC", "gray")}
_CTRL_SINCE = dt.date(2020, 10, 1)
_TARGETS = ("head", "body", "leg")
_POSITIONS = ("dist", "clinch", "ground")
Side = dict[str, int]


def find_bout(world: World, bout_id: str) -> SeedBout | None:
    """The completed bout with this id, if the world has it."""
    return world.bout_index.get(bout_id)


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _side(kd: int, sig: int, td: int, sub: int, seconds: int, rng: random.Random) -> Side:
    sig_att = sig + rng.randint(0, int(sig * 1.3) + 2)
    tot = sig + rng.randint(0, 40)
    head, body = _split(sig, 3, rng)[:2]
    dist, clinch = _split(sig, 3, rng)[:2]
    miss_t, miss_p = _split(sig_att - sig, 3, rng), _split(sig_att - sig, 3, rng)
    out = {
        "kd": kd, "sig": sig, "sig_att": sig_att, "tot": tot,
        "tot_att": sig_att + (tot - sig) + rng.randint(0, 10), "td": td,
        "td_att": td + rng.randint(0, 4), "sub": sub, "rev": rng.choice((0, 0, 0, 1)),
        "ctrl": rng.randint(0, max(seconds // 2, 0)), "pass": rng.randint(0, 6),
        "head": head, "body": body, "leg": sig - head - body,
        "dist": dist, "clinch": clinch, "ground": sig - dist - clinch,
    }  # fmt: skip
    for keys, miss in ((_TARGETS, miss_t), (_POSITIONS, miss_p)):
        for key, m in zip(keys, miss, strict=True):
            out[f"{key}_att"] = out[key] + m
    return out


def _by_round(side: Side, rounds: int, rng: random.Random) -> list[Side]:
    out: list[Side] = [{} for _ in range(rounds)]
    for key, value in side.items():
        for i, part in enumerate(_split(value, rounds, rng)):
            out[i][key] = part
    for r in out:  # keep attempts >= landed and the breakdowns consistent per round
        r["sig_att"] = max(r["sig_att"], r["sig"])
        r["tot_att"] = max(r["tot_att"], r["tot"])
        r["td_att"] = max(r["td_att"], r["td"])
        r["head"], r["body"] = min(r["head"], r["sig"]), min(r["body"], r["sig"] - r["head"])
        r["leg"] = r["sig"] - r["head"] - r["body"]
        r["dist"], r["clinch"] = min(r["dist"], r["sig"]), min(r["clinch"], r["sig"] - r["dist"])
        r["ground"] = r["sig"] - r["dist"] - r["clinch"]
        for key in (*_TARGETS, *_POSITIONS):
            r[f"{key}_att"] = max(r[f"{key}_att"], r[key])
    return out


def _pct(landed: int, attempted: int) -> str:
    return "---" if attempted == 0 else f"{round(100 * landed / attempted)}%"


def _of(s: Side, key: str) -> str:
    return f"{s[key]} of {s[key + '_att']}"


def _totals_cells(s: Side, ctrl: bool) -> list[str]:
    return [str(s["kd"]), _of(s, "sig"), _pct(s["sig"], s["sig_att"]), _of(s, "tot"),
            _of(s, "td"), _pct(s["td"], s["td_att"]), str(s["sub"]), str(s["rev"]),
            mmss(s["ctrl"]) if ctrl else str(s["pass"])]  # fmt: skip


def _sig_cells(s: Side) -> list[str]:
    parts = [_of(s, k) for k in (*_TARGETS, *_POSITIONS)]
    return [_of(s, "sig"), _pct(s["sig"], s["sig_att"]), *parts]


def _row(world: World, b: SeedBout, red: list[str], blue: list[str]) -> str:
    names = "".join(
        f"""
    <p class="b-fight-details__table-text">
      <a class="b-link b-link_style_black" href="{HOST}/fighter-details/{fid}">{
            e(world.fighters[fid].name)
        } </a>
    </p>"""
        for fid in (b.red_id, b.blue_id)
    )
    cells = "".join(
        f"""
  <td class="b-fight-details__table-col">
    <p class="b-fight-details__table-text">
      {x}
    </p>
    <p class="b-fight-details__table-text">
      {y}
    </p>
  </td>"""
        for x, y in zip(red, blue, strict=True)
    )
    return f"""<tr class="b-fight-details__table-row">
  <td class="b-fight-details__table-col l-page_align_left">{names}
  </td>{cells}
</tr>"""


def _head(labels: list[str], cls: str = "b-fight-details__table-head") -> str:
    ths = "".join(
        f"""
        <th class="b-fight-details__table-col{" l-page_align_left" if i == 0 else ""}">
          {label}
        </th>"""
        for i, label in enumerate(labels)
    )
    return f"""
      <thead class="{cls}">
      <tr class="b-fight-details__table-row">{ths}
      </tr>
      </thead>"""


def _rounds_table(world: World, b: SeedBout, labels: list[str], rows: list[str]) -> str:
    body = "".join(
        f"""
          </tbody><thead class="b-fight-details__table-row b-fight-details__table-row_type_head">
            <tr><th class="b-fight-details__table-col" colspan="{len(labels)}">
              Round {i + 1}
            </th>
          </tr></thead>
            <tbody>{row}"""
        for i, row in enumerate(rows)
    )
    return f"""
    <section class="b-fight-details__section js-fight-section">
    <a class="b-fight-details__collapse-link_rnd js-fight-collapse-link">
      <i class="b-fight-details__collapse-left">
        Per round
        <i class="b-fight-details__arrow"></i>
      </i>
    </a>
    <table class="b-fight-details__table js-fight-table" style="width: 745px;margin-bottom: 0px;">{
        _head(labels, "b-fight-details__table-head_rnd")
    }
      <tbody class="b-fight-details__table-body">{body}
      </tbody>
    </table>
    </section>"""


def _tables(world: World, b: SeedBout, day: dt.date) -> str:
    stats = ufcstats_fight_stats(b.id, False, world.seed)
    rng = random.Random(f"{world.seed}:fight:{b.id}")
    seconds = (b.round - 1) * 300 + b.time_seconds
    sides = [_side(*(int(pair[i]) for pair in stats), seconds, rng) for i in (0, 1)]
    rounds = [_by_round(s, b.round, rng) for s in sides]
    ctrl = day >= _CTRL_SINCE
    tot_labels = ["Fighter", "KD", "Sig. str.", "Sig. str. %", "Total str.", "Td", "Td %",
                  "Sub. att", "Rev.", "Ctrl" if ctrl else "Pass"]  # fmt: skip
    sig_labels = ["Fighter", "Sig. str", "Sig. str. %", "Head", "Body", "Leg", "Distance",
                  "Clinch", "Ground"]  # fmt: skip
    totals = _row(world, b, _totals_cells(sides[0], ctrl), _totals_cells(sides[1], ctrl))
    sig = _row(world, b, _sig_cells(sides[0]), _sig_cells(sides[1]))
    per_tot = [_row(world, b, _totals_cells(r, ctrl), _totals_cells(q, ctrl))
               for r, q in zip(*rounds, strict=True)]  # fmt: skip
    per_sig = [_row(world, b, _sig_cells(r), _sig_cells(q)) for r, q in zip(*rounds, strict=True)]
    return f"""
 <section class="b-fight-details__section js-fight-section">
      <p class="b-fight-details__collapse-link_tot ">
        Totals
     </p>
    </section>
    <section class="b-fight-details__section js-fight-section">
    <table style="width: 745px">{_head(tot_labels)}
      <tbody class="b-fight-details__table-body">
      {totals}
      </tbody>
      </table>
    </section>{_rounds_table(world, b, tot_labels, per_tot)}
<section class="b-fight-details__section js-fight-section">
      <p class="b-fight-details__collapse-link_tot" style="margin-bottom: 0px;margin-top: 0px;">
        Significant Strikes
      </p>
    </section>
    <table style="width: 745px">{_head(sig_labels)}
      <tbody class="b-fight-details__table-body">
      {sig}
      </tbody>
    </table>{_rounds_table(world, b, sig_labels, per_sig)}"""


def _person(world: World, fid: str, outcome: str) -> str:
    f = world.fighters[fid]
    text, style = _STATUS.get(outcome, ("NC", "gray"))
    nick = f'"{e(f.nickname)}"' if f.nickname else ""
    return f"""
<div class="b-fight-details__person">
  <i class="b-fight-details__person-status b-fight-details__person-status_style_{style}">
    {text}
  </i>
  <div class="b-fight-details__person-text">
    <h3 class="b-fight-details__person-name">
      <a class="b-link b-fight-details__person-link" href="{HOST}/fighter-details/{fid}">{
        e(f.name)
    } </a>
    </h3>
    <p class="b-fight-details__person-title">
      {nick}
    </p>
  </div>
</div>"""


def _referee(world: World, b: SeedBout) -> str:
    for fight in world.fighters[b.red_id].person.fights:
        if fight.bout_id == b.id and fight.referee:
            return world.referees[fight.referee]
    return ""


def _details(b: SeedBout) -> str:
    text = (b.details or "").strip()
    if b.method.startswith("Decision") and text:
        cards = [c.strip() for c in text.split(".") if c.strip()]
        return "".join(
            f"""
        <i class="b-fight-details__text-item">
          {e(card)}. </i>"""
            for card in cards
        )
    return f"\n      {e(text)}"


def fight_page(world: World, b: SeedBout) -> str:
    """``/fight-details/<id>`` of a completed bout."""
    ev = world.seed_events[b.event_id]
    imgs = ""
    if "Title Bout" in b.type_verbose:
        imgs += f'\n      <img src="{CDN}/belt.png" alt="">'
    if b.bonus:
        imgs += f'\n      <img style="margin-right:2px;" src="{CDN}/perf.png" alt="">'
    label = b.type_verbose or f"{weight_class_of(b)} Bout"
    items = "".join(
        f"""
      <i class="b-fight-details__text-item">
        <i class="b-fight-details__label">
          {title}
        </i>
        {value}
      </i>"""
        for title, value in (("Round:", str(b.round)), ("Time:", mmss(b.time_seconds)),
                             ("Time format:", e(b.time_format)),
                             ("Referee:", f'<span class="">{e(_referee(world, b))}</span>'))
    )  # fmt: skip
    tables = _tables(world, b, ev.date) if ev.date.year >= 1997 else ""
    body = f"""<section class="b-statistics__section_details">
    <div class="l-page__container">
            <h2 class="b-content__title">
  <a href="{HOST}/event-details/{ev.id}" class="b-link">
  {e(ev.name)}
   </a>
</h2>
<div class="b-fight-details">
<div class="b-fight-details__persons clearfix">{_person(world, b.red_id, b.red_outcome)}{
        _person(world, b.blue_id, b.blue_outcome)
    }
</div>
<div class="b-fight-details__fight">
  <div class="b-fight-details__fight-head">
    <i class="b-fight-details__fight-title">{imgs}
      {e(label)}
    </i>
  </div>
  <div class="b-fight-details__content">
    <p class="b-fight-details__text">
      <i class="b-fight-details__text-item_first">
        <i class="b-fight-details__label">
          Method:
        </i>
       <i style="font-style: normal"> {e(b.method)} </i>
      </i>{items}
    </p>
    <p class="b-fight-details__text">
      <i class="b-fight-details__text-item_first">
        <i class="b-fight-details__label">
          Details:
        </i>
      </i>{_details(b)}
    </p>
  </div>
</div>{tables}
</div>
</div>
</section>
"""
    return page(body, current="events")
