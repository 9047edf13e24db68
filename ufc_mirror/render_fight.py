"""UFCStats ``/fight-details/<id>``: the bout page, rendered from a real fight page.

Template: ``templates/ufcstats/fight-details.html`` (a real 5-round decision in the real
chrome, see its ``SOURCES.md``). Event link in ``h2.b-content__title a``; each side a
``div.b-fight-details__person`` (red corner first) with ``i.b-fight-details__person-status``
(W/L/D/NC), the fighter link and his nickname; the bout type with belt/bonus images;
Method / Round / Time / Time format / Referee / Details (judges' cards); then the Totals,
per-round, Significant Strikes and per-round tables and the charts. The numbers are
generated, but KD, significant strikes landed, takedowns landed and submission attempts
equal the ones on the event and fighter pages, and the totals equal the sum of the
rounds. Bouts before 1997, and bouts whose statistics are not published yet
(``world.unpublished_stats``), show what the real site shows in place of the tables and
charts: an empty ``div`` and a ``section.b-fight-details__section.js-fight-section``
reading "Round-by-round stats not currently available."; persons and bout header stay.
That markup is copied from a real page: ``/fight-details/635fbf57001897c7`` (UFC - Ultimate
Brazil, 1998), saved in ar1shah/CageOps as
``services/scraper/tests/fixtures/ufcstats/fight_635fbf57001897c7.html`` (commit
c86e00971192fa4fd04d82e75fd9fc92e958cf46; no licence found: test material only).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml.html import HtmlElement

from ufc_mirror.events import weight_class_of
from ufc_mirror.methods import mmss, ufcstats_fight_stats
from ufc_mirror.model import World
from ufc_mirror.seed import SeedBout
from ufc_mirror.ufcstats_chrome import BELT_IMG, HOST, bonus_img, e
from ufc_mirror.ufcstats_template import Page, Span, Template, TemplateError, template_page

_STATUS = {"W": ("W", "green"), "L": ("L", "gray"), "D": ("D", "gray"), "NC": ("NC", "gray")}
_CTRL_SINCE = dt.date(2020, 10, 1)
_TARGETS = ("head", "body", "leg")
_POSITIONS = ("dist", "clinch", "ground")
_CARD = re.compile(r"\s*(.+?)\s+(\d+\s*-\s*\d+\.?)")
_STATS_SINCE = 1997
NO_STATS = (
    "<div></div>\n"
    '<section class="b-fight-details__section js-fight-section">\n'
    "    Round-by-round stats not currently available.\n"
    "</section>"
)
Side = dict[str, int]


def find_bout(world: World, bout_id: str) -> SeedBout | None:
    """The completed bout with this id, if the world has it."""
    return world.bout_index.get(bout_id)


# ---------------------------------------------------------------- generated numbers


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
        r["head"] = min(r["head"], r["sig"])
        r["body"] = min(r["body"], r["sig"] - r["head"])
        r["leg"] = r["sig"] - r["head"] - r["body"]
        r["dist"] = min(r["dist"], r["sig"])
        r["clinch"] = min(r["clinch"], r["sig"] - r["dist"])
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


# ---------------------------------------------------------------- templates


def _stat_row(page: Page, tr: HtmlElement) -> list[tuple[Span, str]]:
    """Holes of a statistics row: two fighter links, then two values per cell."""
    tds = tr.xpath("./td")
    holes: list[tuple[Span, str]] = []
    for j, p in enumerate(tds[0].xpath("./p")):
        a = page.one("a", p)
        holes += [(page.attr(a, "href"), f"h{j}"), (page.text_of(a), f"n{j}")]
    for k, td in enumerate(tds[1:]):
        red, blue = td.xpath("./p")
        holes += [(page.text_of(red), f"r{k}"), (page.text_of(blue), f"b{k}")]
    return holes


@dataclass(frozen=True, slots=True)
class _Rounds:
    """A per-round table body: one unit (the round's head and row) per round.

    The real markup closes the table body before each round's head
    (``</tbody><thead ...>Round N</thead><tbody><tr>...</tr>``); ``first`` is the text in
    front of round 1's head, ``lead`` the text between a round's row and the next head.
    """

    unit: Template
    first: str
    lead: str

    def join(self, units: list[str]) -> str:
        """The rendered rounds in their place."""
        return self.first + self.lead.join(units)


def _rounds(page: Page, table: HtmlElement) -> tuple[_Rounds, Span]:
    heads = page.css("thead.b-fight-details__table-row_type_head", table)
    trs = page.css("tbody > tr.b-fight-details__table-row", table)
    start = page.inner(page.one("tbody.b-fight-details__table-body", table))[0]
    leads = {
        page.text[page.outer(a)[1] : page.outer(h)[0]] for a, h in zip(trs, heads[1:], strict=False)
    }
    if len(leads) != 1:
        raise TemplateError(f"template {page.name}: the rounds of a table do not start alike")
    holes = [(page.text_of(page.one("th", heads[0])), "label"), *_stat_row(page, trs[0])]
    unit = Template(page, (page.outer(heads[0])[0], page.outer(trs[0])[1]), holes)
    first = page.text[start : page.outer(heads[0])[0]]
    return _Rounds(unit, first, leads.pop()), (start, page.outer(trs[-1])[1])


@dataclass(frozen=True, slots=True)
class _FightTemplates:
    page: Template
    person: Template
    person_sep: str
    title_sep: str
    judge: Template
    judge_sep: str
    stats: Template
    totals: Template
    sig: Template
    rounds: _Rounds
    sig_rounds: _Rounds
    bar: Template
    bar_sep: str


def _templates() -> _FightTemplates:  # noqa: PLR0915 - one page, read top to bottom
    name = "fight-details.html"
    page = template_page(name)
    event = page.one("h2.b-content__title a")
    persons = page.css("div.b-fight-details__person")
    person = persons[1]  # the one with a nickname: its blank form is the other one's
    status = page.one("i.b-fight-details__person-status", person)
    style = status.get("class").rsplit("_style_", 1)[1]
    style_end = page.attr(status, "class", f"_style_{style}")[1]
    link = page.one("a.b-fight-details__person-link", person)
    person_t = Template(page, page.outer(person), [
        ((style_end - len(style), style_end), "style"), (page.text_of(status), "status"),
        (page.attr(link, "href"), "href"), (page.text_of(link), "name"),
        (page.text_of(page.one("p.b-fight-details__person-title", person)), "nickname"),
    ])  # fmt: skip
    title = page.one("i.b-fight-details__fight-title")
    belt = page.one("img", title)
    title_sep = page.text[page.outer(belt)[1] : page.text_of(title)[1]]
    title_sep = title_sep[: len(title_sep) - len(title_sep.lstrip())]
    method = page.one('i.b-fight-details__text-item_first i[style="font-style: normal"]')
    first_p, details_p = page.css("div.b-fight-details__content > p.b-fight-details__text")
    items = page.css("i.b-fight-details__text-item", first_p)
    labels = [page.one("i.b-fight-details__label", i) for i in items]
    judges = page.css("i.b-fight-details__text-item", details_p)
    judge = judges[0]
    span = page.one("span", judge)
    judge_t = Template(page, page.outer(judge), [
        (page.text_of(span), "judge"), (page.tail_of(span), "score"),
    ])  # fmt: skip
    judges_span = (page.outer(judges[0])[0], page.outer(judges[-1])[1])

    # statistics: from the Totals section to the end of the charts
    sections = page.css("div.b-fight-details > section.b-fight-details__section")
    charts = page.one("div.b-fight-details__charts")
    stats_span = (page.outer(sections[0])[0], page.outer(charts.getparent())[1])
    bodies = page.css("tbody.b-fight-details__table-body")
    totals_tr = page.one("tr", bodies[0])
    sig_tr = page.one("tr", bodies[2])
    round_tables = page.css("table.js-fight-table")
    rounds, rounds_span = _rounds(page, round_tables[0])
    sig_rounds, sig_rounds_span = _rounds(page, round_tables[1])
    ctrl_heads = [
        page.css("thead.b-fight-details__table-head th", bodies[0].getparent())[-1],
        page.css("thead.b-fight-details__table-head_rnd th", round_tables[0])[-1],
    ]
    stats_holes: list[tuple[Span, str]] = [
        (page.outer(totals_tr), "totals"),
        (rounds_span, "rounds"),
        (page.outer(sig_tr), "sig"),
        (sig_rounds_span, "sig_rounds"),
        *((page.text_of(th), "ctrl_label") for th in ctrl_heads),
    ]
    names = page.css("i.js-chart-name > i.b-fight-details__charts-bullet", charts)
    stats_holes += [(page.tail_of(b), f"chart_name{j}") for j, b in enumerate(names)]
    for j, fill in enumerate(page.css("i.b-fight-details__stacked-chart-fill", charts)):
        lo, hi = page.attr(fill, "style")
        raw = page.text[lo:hi]
        assert raw.startswith("height: ") and raw.endswith("%"), raw
        stats_holes.append(((lo + len("height: "), hi - 1), f"fill{j}"))
    nums = page.css("i.b-fight-details__charts-num", charts)
    stats_holes += [(page.text_of(n), f"num{j}") for j, n in enumerate(nums)]
    bar_rows = page.css("div.b-fight-details__bar-charts-row", charts)
    stats_holes.append(((page.outer(bar_rows[0])[0], page.outer(bar_rows[-1])[1]), "bars"))
    bar = bar_rows[0]
    bar_holes: list[tuple[Span, str]] = [
        (page.text_of(page.one("i.b-fight-details__bar-chart-title", bar)), "label"),
    ]
    for j, row in enumerate(page.css("i.b-fight-details__bar-chart-row", bar)):
        chart = page.one("i.b-fight-details__bar-chart", row)
        fill = page.one("i.b-fight-details__bar-chart-fill", row)
        bar_holes += [
            (_px(page, chart), f"w{j}"),
            (_px(page, fill), f"f{j}"),
            (page.text_of(page.one("i.b-fight-details__bar-chart-text", row)), f"t{j}"),
        ]

    holes: list[tuple[Span, str]] = [
        (page.attr(event, "href"), "event_href"), (page.text_of(event), "event_name"),
        ((page.outer(persons[0])[0], page.outer(persons[-1])[1]), "persons"),
        (page.text_of(title), "title"), (page.text_of(method), "method"),
        (page.tail_of(labels[0]), "round"), (page.tail_of(labels[1]), "time"),
        (page.tail_of(labels[2]), "time_format"),
        (page.text_of(page.one("span", items[3])), "referee"),
        (judges_span, "details"), (stats_span, "stats"),
    ]  # fmt: skip
    return _FightTemplates(
        page=Template(page, (0, len(page.text)), holes),
        person=person_t, person_sep=page.between(persons[0], persons[1]), title_sep=title_sep,
        judge=judge_t, judge_sep=page.between(judges[0], judges[1]),
        stats=Template(page, stats_span, stats_holes),
        totals=Template(page, page.outer(totals_tr), _stat_row(page, totals_tr)),
        sig=Template(page, page.outer(sig_tr), _stat_row(page, sig_tr)),
        rounds=rounds, sig_rounds=sig_rounds,
        bar=Template(page, page.outer(bar), bar_holes),
        bar_sep=page.between(bar_rows[0], bar_rows[1]),
    )  # fmt: skip


def _px(page: Page, el: HtmlElement) -> Span:
    """The number of a ``style="width: 28.0px"`` attribute."""
    lo, hi = page.attr(el, "style")
    raw = page.text[lo:hi]
    assert raw.startswith("width: ") and raw.endswith("px"), raw
    return lo + len("width: "), hi - 2


_T = _templates()


# ---------------------------------------------------------------- rendering


def _stat_values(world: World, b: SeedBout, red: list[str], blue: list[str]) -> dict[str, str]:
    values = {}
    for j, fid in enumerate((b.red_id, b.blue_id)):
        values[f"h{j}"] = f"{HOST}/fighter-details/{fid}"
        values[f"n{j}"] = e(world.fighters[fid].name)
    for k, (x, y) in enumerate(zip(red, blue, strict=True)):
        values[f"r{k}"], values[f"b{k}"] = x, y
    return values


def _share(part: int, whole: int) -> float:
    return 100 * part / whole if whole else 0.0


def _charts(world: World, b: SeedBout, sides: list[Side], rounds: list[list[Side]]) -> dict:
    values: dict[str, str] = {}
    for j, fid in enumerate((b.red_id, b.blue_id)):
        values[f"chart_name{j}"] = e(world.fighters[fid].name)
    fills = []  # red target, blue target, red position, blue position (3 fills each)
    nums = []  # per chart: (red, blue) of each of the three rows
    for keys in (_TARGETS, _POSITIONS):
        shares = [[_share(s[k], s["sig"]) for k in keys] for s in sides]
        fills += shares[0] + shares[1]
        for i in range(3):
            nums += [f"{int(shares[0][i])}%", f"{int(shares[1][i])}%"]
    values.update({f"fill{j}": repr(v) for j, v in enumerate(fills)})
    values.update({f"num{j}": v for j, v in enumerate(nums)})
    bars = []
    for i, (red, blue) in enumerate(zip(*rounds, strict=True)):
        bar = {"label": f"RD{i + 1}"}
        for j, s in enumerate((red, blue)):
            width = float(2 * s["sig_att"])
            ratio = round(s["sig"] / s["sig_att"], 4) if s["sig_att"] else 0.0
            bar[f"w{j}"] = repr(width)
            bar[f"f{j}"] = repr(round(width * ratio, 4))
            bar[f"t{j}"] = f"{s['sig']} of {s['sig_att']} - {int(100 * ratio)}%"
        bars.append(_T.bar.render(bar))
    values["bars"] = _T.bar_sep.join(bars)
    return values


def _stats(world: World, b: SeedBout, day: dt.date) -> str:
    stats = ufcstats_fight_stats(b.id, False, world.seed)
    rng = random.Random(f"{world.seed}:fight:{b.id}")
    seconds = (b.round - 1) * 300 + b.time_seconds
    sides = [_side(*(int(pair[i]) for pair in stats), seconds, rng) for i in (0, 1)]
    rounds = [_by_round(s, b.round, rng) for s in sides]
    sides = [{k: sum(r[k] for r in side) for k in side[0]} for side in rounds]
    ctrl = day >= _CTRL_SINCE

    def per_round(table: _Rounds, cells: Callable[[Side], list[str]]) -> str:
        units = []
        for i, (r, q) in enumerate(zip(*rounds, strict=True)):
            values = _stat_values(world, b, cells(r), cells(q))
            values["label"] = f"Round {i + 1}"
            units.append(table.unit.render(values))
        return table.join(units)

    values = {
        "totals": _T.totals.render(_stat_values(
            world, b, _totals_cells(sides[0], ctrl), _totals_cells(sides[1], ctrl))),
        "rounds": per_round(_T.rounds, lambda s: _totals_cells(s, ctrl)),
        "sig": _T.sig.render(_stat_values(world, b, _sig_cells(sides[0]), _sig_cells(sides[1]))),
        "sig_rounds": per_round(_T.sig_rounds, _sig_cells),
        "ctrl_label": "Ctrl" if ctrl else "Pass",
        **_charts(world, b, sides, rounds),
    }  # fmt: skip
    return _T.stats.render(values)


def _person(world: World, fid: str, outcome: str) -> str:
    f = world.fighters[fid]
    text, style = _STATUS.get(outcome, ("NC", "gray"))
    return _T.person.render({
        "style": style, "status": text, "href": f"{HOST}/fighter-details/{fid}",
        "name": e(f.name), "nickname": f'"{e(f.nickname)}"' if f.nickname else "",
    })  # fmt: skip


def _referee(world: World, b: SeedBout) -> str:
    for fight in world.fighters[b.red_id].person.fights:
        if fight.bout_id == b.id and fight.referee:
            return world.referees[fight.referee]
    return ""


def _details(b: SeedBout) -> str:
    text = (b.details or "").strip()
    if b.method.startswith("Decision") and text:
        cards = _CARD.findall(text)
        if cards:
            return _T.judge_sep.join(
                _T.judge.render({"judge": e(judge), "score": e(score)}) for judge, score in cards
            )
    return e(text)


def fight_page(world: World, b: SeedBout) -> str:
    """``/fight-details/<id>`` of a completed bout."""
    ev = world.seed_events[b.event_id]
    images = ([BELT_IMG] if "Title Bout" in b.type_verbose else []) + (
        [bonus_img("perf.png")] if b.bonus else []
    )
    label = b.type_verbose or f"{weight_class_of(b)} Bout"
    return _T.page.render({
        "event_href": f"{HOST}/event-details/{ev.id}", "event_name": e(ev.name),
        "persons": _T.person_sep.join(
            _person(world, fid, outcome)
            for fid, outcome in ((b.red_id, b.red_outcome), (b.blue_id, b.blue_outcome))
        ),
        "title": "".join(img + _T.title_sep for img in images) + e(label),
        "method": e(b.method), "round": str(b.round), "time": mmss(b.time_seconds),
        "time_format": e(b.time_format), "referee": e(_referee(world, b)),
        "details": _details(b),
        "stats": _stats(world, b, ev.date) if has_stats(world, b) else NO_STATS,
    })  # fmt: skip


def has_stats(world: World, b: SeedBout) -> bool:
    """Whether the fight page of ``b`` shows its statistics tables."""
    year = world.seed_events[b.event_id].date.year
    return year >= _STATS_SINCE and b.id not in world.unpublished_stats
