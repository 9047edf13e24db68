"""Each witness on the mirror's pages, compared with the mirror's truth and our own parse.

One check per (witness, page kind). A check runs the witness on the mirror's pages of the
world it is given and returns what the witness read (``Parts``: named lists of rows, the
shape :func:`field_problems` compares with the reading of the real pages) and the problems
found: values that differ from the world the mirror serves or from this project's parse
of the same page. ``small`` limits the pages read (for the broken-page checks).

Where a witness misreads a value it would misread on the real site too, the expectation
applies the witness's own rule and says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from bench.witness.greco import config as greco_config
from bench.witness.greco import library as greco_library
from tests.witness import witnesses as W
from ufc_mirror.events import completed_events, weight_class_of
from ufc_mirror.methods import mmss
from ufc_mirror.model import World
from ufc_mirror.seed import SeedBout, SeedEvent
from ufc_pipeline.parsing.ufcstats import parse_fighter_page, parse_fighters_list
from ufc_pipeline.parsing.ufcstats_events import parse_events_list

HOST = "http://ufcstats.com"
Fetch = Callable[[str], str | None]
Rows = list[dict[str, str]]
Parts = dict[str, Rows]
Case = tuple[str, str]
Check = Callable[[Fetch, World, bool], tuple[Parts, list[str]]]
EMPTY = {"", "nan", "None", "NaN"}


def id_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def rows_of(urls: list[str]) -> Rows:
    return [{"url": u} for u in urls]


def field_problems(case: Case, real: Parts, mirror: Parts) -> list[str]:
    """Keys read on real pages must be read on the mirror's, filled where real fills them."""

    def filled(rows: Rows) -> set[str]:
        return {k for row in rows for k, v in row.items() if str(v).strip() not in EMPTY}

    out = []
    for part, real_rows in real.items():
        rows = mirror.get(part, [])
        if not rows:
            out.append(f"{case} {part}: nothing read from the mirror's pages")
            continue
        missing = {k for r in real_rows for k in r} - {k for r in rows for k in r}
        if missing:
            out.append(f"{case} {part}: keys read on real pages, not on the mirror's: {missing}")
        empty = filled(real_rows) - filled(rows)
        if empty:
            out.append(f"{case} {part}: filled on real pages, empty on every mirror page: {empty}")
    return out


# -- samples and truth ------------------------------------------------------------------------


def fight_label(b: SeedBout) -> str:
    """The bout title the fight page shows (``Lightweight Bout``, ``UFC ... Title Bout``)."""
    return b.type_verbose or f"{weight_class_of(b)} Bout"


def fight_sample(world: World) -> list[SeedBout]:
    """One bout per ending, outcome, time format, era (with or without stats), title, women's
    and bonus, in id order. Left out: labels with "Women" but no "...weight" word, which
    ufcscraper cannot read on the real site either (its weight-class regex finds nothing)."""
    seen: set[tuple[str, Any]] = set()
    out = []
    for b in sorted(world.bout_index.values(), key=lambda b: b.id):
        label = fight_label(b)
        if "Women" in label and not re.search(r"\w*weight", label):
            continue
        year = world.seed_events[b.event_id].date.year
        tags = {("method", b.method), ("outcome", b.red_outcome), ("format", b.time_format),
                ("stats", year >= 1997), ("title", "Title" in label),
                ("women", "Women" in label), ("bonus", bool(b.bonus))}  # fmt: skip
        if tags - seen:
            seen |= tags
            out.append(b)
    return out


def event_sample(world: World) -> list[SeedEvent]:
    """The events of the fight sample."""
    ids = sorted({b.event_id for b in fight_sample(world)})
    return [world.seed_events[i] for i in ids]


def has_stats(world: World, b: SeedBout) -> bool:
    """Bouts before 1997 have no stats tables, on the site as on the mirror."""
    return world.seed_events[b.event_id].date.year >= 1997


def _event_truth(world: World, event_id: str) -> tuple[str, dt.date, str]:
    up = world.upcoming
    if up is not None and event_id == up.id:
        return up.name, up.date, up.location
    ev = world.seed_events[event_id]
    return ev.name, ev.date, ev.location


def _dob_text(day: dt.date | None) -> str:
    return day.strftime("%b %d, %Y") if day else "--"


def _bout_name(world: World, b: SeedBout) -> str:
    return f"{world.fighters[b.red_id].name} vs. {world.fighters[b.blue_id].name}"


def _diff(label: str, seen: dict[str, Any], want: dict[str, Any]) -> list[str]:
    return [f"{label} {k}: {seen.get(k)!r} != {v!r}" for k, v in want.items() if seen.get(k) != v]


def _fighter_url(fid: str) -> str:
    return f"{HOST}/fighter-details/{fid}"


# -- fighters list ----------------------------------------------------------------------------


def ufcscraper_fighters_list(fetch: Fetch, world: World, small: bool) -> tuple[Parts, list[str]]:
    urls = W.ufcscraper_fighter_urls(fetch)
    want = sorted(f.id for f in world.listed)
    problems = []
    if sorted(id_of(u) for u in urls) != want:
        problems.append(f"fighter links: {len(urls)} read, {len(want)} listed")
    return {"urls": rows_of(urls)}, problems


def greco_fighters_list(fetch: Fetch, world: World, small: bool) -> tuple[Parts, list[str]]:
    rows: Rows = []
    problems = []
    for url in greco_library().generate_alphabetical_urls():
        page_rows = W.greco_fighters_list(fetch, url)
        ours = {r.ufcstats_id: r for r in parse_fighters_list(fetch(url) or "", url)}
        for row in page_rows:
            own = ours.get(id_of(row["URL"]))
            got = (row["FIRST"], row["LAST"], row["NICKNAME"])
            if own is None or got != (
                own.first_name or "",
                own.last_name or "",
                own.nickname or "",
            ):
                problems.append(f"{url}: {got} vs our parse {own}")
        rows += page_rows
    if sorted(id_of(r["URL"]) for r in rows) != sorted(f.id for f in world.listed):
        problems.append(f"{len(rows)} rows read, {len(world.listed)} listed")
    return {"rows": rows}, problems


# -- fighter page -----------------------------------------------------------------------------


def ufcscraper_fighter(fetch: Fetch, world: World, small: bool) -> tuple[Parts, list[str]]:
    fighters = world.listed[:4] if small else world.listed
    run = W.ufcscraper_fighters(fetch, [_fighter_url(f.id) for f in fighters])
    problems = list(run.errors)
    got = {r["fighter_id"]: r for r in run.rows}
    for f in fighters:
        row = got.get(f.id)
        if row is None:
            problems.append(f"{f.id} {f.name}: no row")
            continue
        own = parse_fighter_page(fetch(_fighter_url(f.id)) or "")
        rec = f.person.record()
        name = f"{row['fighter_f_name']} {row['fighter_l_name']}".strip()
        record = f"{row['fighter_w']}-{row['fighter_l']}-{row['fighter_d']}"
        seen = {"name": name, "nickname": row["fighter_nickname"], "dob": row["fighter_dob"],
                "own dob": row["fighter_dob"], "record": record, "own record": record,
                "nc": row["fighter_nc_dq"]}  # fmt: skip
        want = {
            # parse_l_name keeps at most four words of a name (the same on the real site)
            "name": " ".join(f.name.split()) if len(f.name.split()) <= 4 else name,
            "nickname": f.nickname or "",
            "dob": f.dob.isoformat() if f.dob else "",
            "own dob": own.dob.isoformat() if own.dob else "",
            "record": f"{rec['win']}-{rec['loss']}-{rec['draw']}",
            "own record": f"{own.wins}-{own.losses}-{own.draws}",
            "nc": str(rec["nc"]) if rec["nc"] else "",
        }
        problems += _diff(f.id, seen, want)
    return {"rows": run.rows}, problems


def ufcstats_fighter(fetch: Fetch, world: World, small: bool) -> tuple[Parts, list[str]]:
    rows, problems = [], []
    for f in world.listed[:4] if small else world.listed:
        stats = W.ufcstats_fighter(fetch, _fighter_url(f.id))
        rows.append(stats)
        want = {"Name": f.name, "Nick": f.nickname or "", "DOB:": _dob_text(f.dob)}
        problems += _diff(f.id, stats, want)
    return {"rows": rows}, problems


def greco_fighter(fetch: Fetch, world: World, small: bool) -> tuple[Parts, list[str]]:
    rows, problems = [], []
    for f in world.listed[:4] if small else world.listed:
        tott = W.greco_fighter_tott(fetch, _fighter_url(f.id))
        rows.append(tott)
        problems += _diff(f.id, tott, {"FIGHTER": f.name, "DOB": _dob_text(f.dob)})
    return {"rows": rows}, problems


# -- events list ------------------------------------------------------------------------------


def ufcscraper_events_list(fetch: Fetch, world: World, small: bool) -> tuple[Parts, list[str]]:
    urls = W.ufcscraper_event_urls(fetch)
    want = {e.id for e in completed_events(world)}
    if world.upcoming is not None:
        want.add(world.upcoming.id)
    problems = []
    if sorted(id_of(u) for u in urls) != sorted(want):
        problems.append(f"event links: {len(urls)} read, {len(want)} events")
    return {"urls": rows_of(urls)}, problems


def greco_events_list(fetch: Fetch, world: World, small: bool) -> tuple[Parts, list[str]]:
    url = greco_config()["completed_events_all_url"]
    rows = W.greco_events(fetch, url)
    ours = [r.event_id for r in parse_events_list(fetch(url) or "", url) if not r.upcoming]
    problems = []
    if [id_of(r["URL"]) for r in rows] != ours:
        problems.append(f"{len(rows)} events read, not those of our parse in its order")
    for row in rows:
        ev = world.seed_events.get(id_of(row["URL"]))
        day = dt.datetime.strptime(row["DATE"], "%B %d, %Y").date()
        if ev is None or (row["EVENT"], day, row["LOCATION"]) != (ev.name, ev.date, ev.location):
            problems.append(f"{row} vs {ev}")
    return {"rows": rows}, problems


# -- event page -------------------------------------------------------------------------------


def ufcscraper_event(fetch: Fetch, world: World, small: bool) -> tuple[Parts, list[str]]:
    events = event_sample(world)[: 2 if small else None]
    ids = [e.id for e in events] + ([world.upcoming.id] if world.upcoming else [])
    run = W.ufcscraper_events(fetch, [f"{HOST}/event-details/{i}" for i in ids])
    problems = list(run.errors)
    got = {r["event_id"]: r for r in run.rows}
    for eid in ids:
        name, day, location = _event_truth(world, eid)
        parts = [p.strip() for p in location.split(",")]
        want = {
            "event_name": name,
            "event_date": day.isoformat(),
            "event_city": parts[0],
            "event_state": parts[1] if len(parts) > 2 else "",
            "event_country": parts[-1],
        }
        problems += _diff(eid, got.get(eid, {}), want)
    fight_urls = W.ufcscraper_fight_urls(fetch, [f"{HOST}/event-details/{e.id}" for e in events])
    want_fights = sorted(b.id for e in events for b in world.bouts_by_event[e.id])
    if sorted(id_of(u) for u in fight_urls) != want_fights:
        problems.append(f"fight links: {len(fight_urls)} read, {len(want_fights)} bouts")
    return {"rows": run.rows, "fight_urls": rows_of(fight_urls)}, problems


def greco_event(fetch: Fetch, world: World, small: bool) -> tuple[Parts, list[str]]:
    rows, problems = [], []
    for ev in event_sample(world)[: 2 if small else 4]:  # each card fetches its fight pages
        card = W.greco_event_fights(fetch, f"{HOST}/event-details/{ev.id}")
        rows += card
        want = {b.id: _bout_name(world, b) for b in world.bouts_by_event[ev.id]}
        got = {id_of(r["URL"]): r["BOUT"] for r in card}
        if got != want:
            problems.append(f"{ev.id}: {got} != {want}")
        problems += [f"{ev.id}: event {r['EVENT']!r} != {ev.name!r}" for r in card
                     if r["EVENT"] != ev.name]  # fmt: skip
    return {"rows": rows}, problems


# -- fight page -------------------------------------------------------------------------------


def ufcscraper_fight(fetch: Fetch, world: World, small: bool) -> tuple[Parts, list[str]]:
    bouts = fight_sample(world)[: 3 if small else None]
    run = W.ufcscraper_fights(fetch, [f"{HOST}/fight-details/{b.id}" for b in bouts])
    problems = list(run.errors)
    got = {r["fight_id"]: r for r in run.rows}
    for b in bouts:
        row = got.get(b.id, {})
        label = fight_label(b)
        winner = {"W": b.red_id, "L": b.blue_id, "D": "Draw", "NC": "NC"}[b.red_outcome]
        want = {
            "event_id": b.event_id, "fighter_1": b.red_id, "fighter_2": b.blue_id,
            "winner": winner, "finish_round": str(b.round), "time_format": b.time_format,
            # its time regex (\d:\d\d) reads "10:00" as "0:00", here as on the real site
            "finish_time": re.findall(r"\d:\d\d", mmss(b.time_seconds))[0],
            "title_fight": "T" if "Title" in label else "F",
            "gender": "F" if "Women" in label else "M",
            "result": b.method.split(" - ")[0] if "Decision" in b.method else b.method,
        }  # fmt: skip
        problems += _diff(b.id, row, want)
        cards = re.findall(r"(\d{1,2})\s*-\s*(\d{1,2})\.", b.details or "")
        if "Decision" in b.method and cards:
            sums = sorted(str(sum(int(c[i]) for c in cards)) for i in (0, 1))
            if sorted([row.get("scores_1", ""), row.get("scores_2", "")]) != sums:
                problems.append(f"{b.id} scores: {row.get('scores_1')}/{row.get('scores_2')}")
    problems += _round_problems(world, bouts, run.extra)
    return {"rows": run.rows, "rounds": run.extra}, problems


def _round_problems(world: World, bouts: list[SeedBout], rounds: Rows) -> list[str]:
    """ufcscraper reads per-round rows by position: two per round, and the significant
    strikes of a round equal head + body + leg and distance + clinch + ground."""
    out = []
    for b in (b for b in bouts if has_stats(world, b)):
        mine = [r for r in rounds if r["fight_id"] == b.id]
        if len(mine) != 2 * b.round:
            out.append(f"{b.id}: {len(mine)} round rows for {b.round} rounds")
        for r in mine:
            try:
                sig = int(r["strikes_succ"])
                target = sum(int(r[f"{k}_strikes_succ"]) for k in ("head", "body", "leg"))
                where = sum(int(r[f"{k}_strikes_succ"]) for k in ("distance", "clinch", "ground"))
            except ValueError:
                out.append(f"{b.id} round {r['round']}: unreadable {r}")
                continue
            if not sig == target == where:
                out.append(f"{b.id} round {r['round']}: sig {sig}, {target}, {where}")
    return out


def greco_fight(fetch: Fetch, world: World, small: bool) -> tuple[Parts, list[str]]:
    rows, stats, problems = [], [], []
    for b in fight_sample(world)[: 3 if small else None]:
        result, per_round = W.greco_fight(fetch, f"{HOST}/fight-details/{b.id}")
        rows.append(result)
        stats += per_round
        seen = {k: v.strip() for k, v in result.items()}
        want = {
            "BOUT": _bout_name(world, b), "OUTCOME": f"{b.red_outcome}/{b.blue_outcome}",
            "METHOD": b.method, "ROUND": str(b.round), "TIME": mmss(b.time_seconds),
            "TIME FORMAT": b.time_format, "WEIGHTCLASS": fight_label(b),
            "EVENT": world.seed_events[b.event_id].name,
            # their cleaning joins the judges' cards ("30.Sal"), here as on the real site
            "DETAILS": re.sub(r"\s+", "", b.details or ""),
        }  # fmt: skip
        seen["DETAILS"] = re.sub(r"\s+", "", seen.get("DETAILS", ""))
        problems += _diff(b.id, seen, want)
        if has_stats(world, b) and len(per_round) != 2 * b.round:
            problems.append(f"{b.id}: {len(per_round)} per-round rows, {b.round} rounds")
    return {"rows": rows, "rounds": stats}, problems


CHECKS: dict[Case, Check] = {
    ("ufcscraper", "fighters_list"): ufcscraper_fighters_list,
    ("greco", "fighters_list"): greco_fighters_list,
    ("ufcscraper", "fighter"): ufcscraper_fighter,
    ("ufcstats", "fighter"): ufcstats_fighter,
    ("greco", "fighter"): greco_fighter,
    ("ufcscraper", "events_list"): ufcscraper_events_list,
    ("greco", "events_list"): greco_events_list,
    ("ufcscraper", "event"): ufcscraper_event,
    ("greco", "event"): greco_event,
    ("ufcscraper", "fight"): ufcscraper_fight,
    ("greco", "fight"): greco_fight,
}


def check(case: Case, fetch: Fetch, world: World, small: bool = False) -> tuple[Parts, list[str]]:
    """Run the witness of ``case`` on the mirror's pages (a raise is a disagreement)."""
    try:
        return CHECKS[case](fetch, world, small)
    except Exception as exc:
        return {}, [f"{case}: the witness raised {exc!r}"]


# -- deliberately broken pages ----------------------------------------------------------------


def rename_classes(text: str) -> str:
    """Every ``b-...`` class renamed ``x-...`` (a site redesign)."""

    def swap(m: re.Match[str]) -> str:
        return 'class="' + re.sub(r"(?<![\w-])b-", "x-", m.group(1)) + '"'

    return re.sub(r'class="([^"]*)"', swap, text)


def drop_nickname(text: str) -> str:
    """The nickname paragraph under the name removed (ufcstats reads the first ``p``)."""
    return re.sub(r'<p class="b-content__Nickname">.*?</p>', "", text, flags=re.S)


def move_event_links(text: str) -> str:
    """Event links under another path (ufcscraper keeps links with ``event-details``)."""
    return text.replace("/event-details/", "/event/")


BREAKERS: dict[Case, Callable[[str], str]] = {case: rename_classes for case in CHECKS} | {
    ("ufcstats", "fighter"): drop_nickname,
    ("ufcscraper", "events_list"): move_event_links,
}
