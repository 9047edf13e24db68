"""Sherdog pages of the world: the fighter page and the Fight Finder results.

Both are real Sherdog pages (``templates/sherdog/``) cut at import into literal fragments
and holes (``sherdog_template_fighter``, ``sherdog_template_history``,
``sherdog_template_search``); this module only computes the values of the holes from the
world's ``Person`` and ``Fight`` records and joins. Every value is escaped the way the real
page writes it.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from functools import lru_cache
from urllib.parse import quote_plus

from ufc_mirror.model import SECTION_TITLES, Fight, Person, World
from ufc_mirror.pools import REGIONS, class_name_for
from ufc_mirror.sherdog_chrome import (
    e,
    ea,
    fighter_path,
    ft_in,
    profile_src,
    slug,
    thumb_src,
)
from ufc_mirror.sherdog_template_fighter import FIGHTER, METER_KINDS, display
from ufc_mirror.sherdog_template_history import SectionParts
from ufc_mirror.sherdog_template_search import SEARCH

_SITE = "https://www.sherdog.com"
_SUBJECT = FIGHTER.subject
_ORIG = FIGHTER.originals
_JSON_LD = json.loads(_ORIG["json_ld"])
_TEMPLATE_DISPLAY = display(_SUBJECT["name"], _SUBJECT["nickname"] or None)


def _age(dob: dt.date, today: dt.date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def _quotes(text: str) -> str:
    """Text with ``"`` written ``&quot;`` as well (head title, search nicknames)."""
    return e(text).replace('"', "&quot;")


def _json(value: dict[str, str]) -> str:
    """JSON as PHP's ``json_encode`` writes it (``\\/``, ``\\uXXXX``, no spaces)."""
    return json.dumps(value, separators=(",", ":")).replace("/", "\\/")


def _half_up(x: float) -> int:
    return int(x + 0.5)


def meter_kind(method: str) -> str:
    """KO/TKO, SUBMISSIONS, DECISIONS or OTHERS meter of a method."""
    if method.startswith(("KO", "TKO")):
        return "ko"
    if method.startswith("Submission"):
        return "sub"
    if "Decision" in method:
        return "dec"
    return "other"


def _meters(rows: list[Fight], kinds: tuple[str, ...]) -> str:
    total = len(rows)
    out = []
    for kind in kinds:
        n = sum(meter_kind(f.method) == kind for f in rows)
        pct = _half_up(100 * n / total) if total else 0
        out.append(
            FIGHTER.meters[kind].fill(
                {"pl": str(n), "style": f"width:{pct}%;min-width:{pct}%", "pr": f"{pct}%"}
            )
        )
    return FIGHTER.meter_between.join(out)


# Row parts repeat across pages (methods, dates, events, referees, opponents): cached.
_esc = lru_cache(maxsize=1 << 16)(e)


@lru_cache(maxsize=1 << 14)
def _date(day: dt.date) -> str:
    return f"{day:%b / %d / %Y}"


@lru_cache(maxsize=1 << 16)
def _event(sherdog_id: int, name: str) -> tuple[str, str, str, str]:
    """(href, name, name in the award span, play-by-play href) of an event."""
    text = e(name)
    pbp = f"/news/news/{slug(name)}-PlaybyPlay-Results-Round-Scoring-{sherdog_id * 2 + 7}"
    return f"/events/{slug(name)}-{sherdog_id}", text, FIGHTER.award.fill({"name": text}), pbp


@lru_cache(maxsize=1 << 12)
def _referee_link(referee: int, name: str) -> str:
    return FIGHTER.referee_link.fill({"href": f"/referee/{slug(name)}-{referee}", "name": e(name)})


def _referee(world: World, f: Fight) -> str:
    if f.referee and f.referee_style == "link":
        return _referee_link(f.referee, world.referees[f.referee])
    if f.referee and f.referee_style == "plain":
        return _esc(world.referees[f.referee])
    return ""


def _fight_row(world: World, parts: SectionParts, f: Fight) -> str:
    ev_href, ev, ev_award, pbp = _event(f.event.sherdog_id, f.event.name)
    tail = parts.rows.tail_pbp.fill({"pbp_href": pbp}) if f.pbp else parts.rows.tail_none
    nc = f.result == "nc"
    return parts.rows.row.fill(
        {
            "result_class": "final_result no_contest" if nc else f"final_result {f.result}",
            "result": "NC" if nc else f.result,
            "opp_href": fighter_path(f.opponent),
            "opp": _esc(f.opponent.name),
            "ev_href": ev_href,
            "ev": ev_award if f.award else ev,
            "date": _date(f.date),
            "method": _esc(f.method),
            "referee": _referee(world, f),
            "tail": tail,
            "round": str(f.round),
            "time": _esc(f.time),
        }
    )


def _sections(world: World, p: Person) -> str:
    kinds = [
        s for s in ("pro", "pro_exhibition", "amateur") if any(f.section == s for f in p.fights)
    ]
    if len(kinds) > 1 and random.Random(f"{world.seed}:order:{p.sherdog_id}").random() < 0.1:
        kinds = kinds[1:] + kinds[:1]
    out = []
    for kind in kinds:
        parts = FIGHTER.sections[kind]
        rows = parts.rows.between.join(_fight_row(world, parts, f) for f in p.section_fights(kind))
        out.append(parts.cut.fill({"title": SECTION_TITLES[kind], "rows": rows}))
    return FIGHTER.section_between.join(out)


def _sizes(p: Person) -> dict[str, str]:
    height = weight = ""
    if p.height_in:
        height = FIGHTER.height_row.fill(
            {"height": e(ft_in(p.height_in)), "cm": f"{p.height_in * 2.54:.2f}"}
        )
    if p.weight_lbs:
        weight = FIGHTER.weight_row.fill(
            {"weight": f"{p.weight_lbs} lbs", "kg": f"{p.weight_lbs * 0.45359237:.2f}"}
        )
    return {"height_row": height, "weight_row": weight}


def _association(p: Person) -> dict[str, str]:
    assoc = wclass = ""
    if p.association:
        assoc = FIGHTER.association.fill(
            {
                "href": ea(f"/stats/fightfinder?association={quote_plus(p.association)}"),
                "name": e(p.association),
            }
        )
    name = class_name_for(p.weight_lbs)
    if name:
        wclass = FIGHTER.weight_class.fill(
            {
                "href": ea(f"/stats/fightfinder?weightclass={quote_plus(name)}"),
                "name": e(name),
            }
        )
    return {"association": assoc, "weight_class": wclass}


def _record(p: Person) -> dict[str, str]:
    pro = [f for f in p.fights if f.section == "pro"]
    wins = [f for f in pro if f.result == "win"]
    losses = [f for f in pro if f.result == "loss"]
    kinds = (
        METER_KINDS
        if any(meter_kind(f.method) == "other" for f in wins + losses)
        else METER_KINDS[:3]
    )
    boxes = ""
    draws = sum(f.result == "draw" for f in pro)
    ncs = sum(f.result == "nc" for f in pro)
    if draws:
        boxes += FIGHTER.box_lead + FIGHTER.draws_box.fill({"count": str(draws)})
    if ncs:
        boxes += FIGHTER.box_lead + FIGHTER.nc_box.fill({"count": str(ncs)})
    return {
        "wins": str(len(wins)),
        "losses": str(len(losses)),
        "win_meters": _meters(wins, kinds),
        "loss_meters": _meters(losses, kinds) + boxes,
    }


def fighter_page(world: World, p: Person) -> str:
    """``/fighter/<Slug>-<id>``."""
    reg = REGIONS[p.region]
    path = fighter_path(p)
    slug = path.removeprefix("/fighter/")
    sid = str(p.sherdog_id)
    name, shown = e(p.name), display(p.name, p.nickname)
    src = profile_src(p)
    og_image = _ORIG["og_image"].split("_images/", 1)[0] + "_images/" + src.split("_images/", 1)[1]
    headline = _JSON_LD["headline"].replace(_TEMPLATE_DISPLAY, shown, 1)
    json_ld = _json(
        {**_JSON_LD, "headline": headline, "thumbnailUrl": _SITE + src, "url": _SITE + path}
    )
    values = {
        "title_name": _quotes(shown),
        "og_title_name": e(shown),
        "og_image": ea(og_image),
        "og_url": _ORIG["og_url"].replace(_SUBJECT["slug"], slug),
        "news_url_head": _ORIG["news_url_head"].replace(_SUBJECT["slug"], slug),
        "page_id": sid,
        "meta_name": ea(p.name),
        "meta_description": ea(f"{p.name} was born in {p.birthplace}.") if p.birthplace else "",
        "json_ld": json_ld,
        "img_src": ea(src),
        "img_alt": ea(p.name),
        "nationality": e(reg.nationality),
        "adr": FIGHTER.adr.fill({"locality": e(p.birthplace)}) if p.birthplace else "",
        "flag": f"/img/flags/big/{reg.code}.png",
        "name": name,
        "nickname": (
            FIGHTER.nickname.fill({"nickname": e(p.nickname)})
            if p.nickname
            else FIGHTER.nickname_empty
        ),
        "mobile_src": ea(src),
        "mobile_alt": ea(p.name),
        "age": str(_age(p.dob, world.as_of)) if p.dob else "N/A",
        "birth_date": f"{p.dob:%b} {p.dob.day}, {p.dob.year}" if p.dob else "N/A",
        "sections": _sections(world, p),
        "gallery_id": sid,
        "news_name": e(p.name.upper()),
        **_sizes(p),
        **_association(p),
        **_record(p),
    }
    for key in FIGHTER.page.keys:
        if key.startswith(("news_url_", "outbrain_")) and key not in values:
            values[key] = _ORIG[key].replace(_SUBJECT["slug"], slug)
    return FIGHTER.page.fill(values)


# ------------------------------------------------------------------------- Fight Finder


def _metric(value: float) -> str:
    """A number as PHP's ``round($x, 2)`` prints it (``1.8``, ``70.31``, ``0``)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _result_row(p: Person) -> str:
    path = fighter_path(p)
    height = SEARCH.height.fill(
        {"value": e(ft_in(p.height_in or 0)), "metric": _metric((p.height_in or 0) * 0.0254)}
    )
    weight = SEARCH.weight.fill(
        {"value": f"{p.weight_lbs or 0} lbs", "metric": _metric((p.weight_lbs or 0) * 0.45359237)}
    )
    return SEARCH.row.fill(
        {
            "onclick": f"document.location='{path}';",
            "thumb": ea(thumb_src(p)),
            "href": path,
            "name": e(p.name),
            "nick": f"&quot;{_quotes(p.nickname)}&quot;" if p.nickname else "",
            "height": height,
            "weight": weight,
            "association": e(p.association),
        }
    )


def _page_href(query: str, n: int) -> str:
    return f"fightfinder?association=&weightclass=&SearchTxt={quote_plus(query)}&page={n}"


def _pagination(query: str, current: int, pages: int) -> str:
    if pages <= 1:
        return ""
    prev = SEARCH.prev_slot
    if current > 1:
        prev = SEARCH.prev_link.fill({"href": _page_href(query, current - 1)})
    nxt = SEARCH.next_link.fill({"href": _page_href(query, current + 1)}) if current < pages else ""
    return SEARCH.pagination.fill({"prev": prev, "next": nxt})


def search_page(world: World, query: str, page_no: int) -> str:
    """``/stats/fightfinder?SearchTxt=...&page=N`` (a page past the end finds nothing)."""
    hits, pages = world.search_index().page(query, page_no)
    if hits:
        rows = SEARCH.row_between.join(_result_row(p) for p in hits)
        results = SEARCH.results.fill(
            {"rows": rows, "pagination": _pagination(query, page_no, pages)}
        )
    else:
        results = SEARCH.zero
    return SEARCH.page.fill(
        {"og_query": ea(quote_plus(query)), "query": ea(query), "results": results}
    )
