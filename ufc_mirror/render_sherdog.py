"""Sherdog pages: the fighter page (current layout) and the Fight Finder results.

The markup follows the real pages (``SELECTORS.md`` and the fixtures): the
``fighter-info`` block, ``div.module.fight_history`` tables labelled by ``.slanted_title``,
and ``table.new_table.fightfinder_result``. Every value is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import random
from urllib.parse import quote_plus

from ufc_mirror import images
from ufc_mirror.model import SECTION_TITLES, Fight, Person, World
from ufc_mirror.names import slugify
from ufc_mirror.pools import REGIONS, class_name_for
from ufc_mirror.sherdog_chrome import (
    e,
    ea,
    event_path,
    fighter_path,
    ft_in,
    page,
    profile_src,
    thumb_src,
)


def _age(dob: dt.date, today: dt.date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def _bio(world: World, p: Person) -> str:
    if p.dob is not None:
        age = f"<b>{_age(p.dob, world.as_of)}</b> <em>/</em> "
        dob = f'<span itemprop="birthDate">{p.dob:%b %d, %Y}</span>'
    else:
        age, dob = "<b>N/A</b> <em>/</em> ", '<span itemprop="birthDate">N/A</span>'
    rows = [f"<tr>\n<td>AGE</td>\n<td>{age}{dob}\n</td>\n</tr>"]
    if p.height_in:
        cm = p.height_in * 2.54
        rows.append(f'<tr><td>HEIGHT</td><td><b itemprop="height">{ft_in(p.height_in)}</b> '
                    f"<em>/</em> {cm:.2f} cm</td></tr>")  # fmt: skip
    if p.weight_lbs:
        kg = p.weight_lbs * 0.45359237
        rows.append(f'<tr><td>WEIGHT</td><td><b itemprop="weight">{p.weight_lbs} lbs</b> '
                    f"<em>/</em> {kg:.2f} kg</td></tr>")  # fmt: skip
    assoc = ""
    if p.association:
        assoc = f"""
                                    ASSOCIATION<br/>
<span itemprop="memberOf" itemscope="" itemtype="http://www.schema.org/Organization"><a class="association" href="/stats/fightfinder?association={ea(quote_plus(p.association))}" itemprop="url"><span itemprop="name">{e(p.association)}</span></a></span> <br/><br/>
"""  # noqa: E501
    wclass = class_name_for(p.weight_lbs)
    klass = (
        f'\n                                    CLASS<br/>\n<a href="/stats/fightfinder?'
        f'weightclass={ea(quote_plus(wclass))}">{e(wclass)}</a>\n'
        if wclass
        else ""
    )
    return f"""<div class="bio-holder">
<table>
{chr(10).join(rows)}
</table>
<div class="association-class">{assoc}{klass}</div>
</div>"""


def _meter_kind(method: str) -> str:
    if method.startswith(("KO", "TKO")):
        return "ko"
    if method.startswith("Submission"):
        return "sub"
    if "Decision" in method:
        return "dec"
    return "other"


def _meters(rows: list[Fight]) -> str:
    total = len(rows)
    out = []
    for kind, title in (("ko", "KO <em>/</em> TKO"), ("sub", "SUBMISSIONS"),
                        ("dec", "DECISIONS"), ("other", "OTHERS")):  # fmt: skip
        n = sum(_meter_kind(f.method) == kind for f in rows)
        pct = round(100 * n / total) if total else 0
        out.append(f"""<div class="meter-title">{title}</div>
<div class="meter">
<div class="pl">{n}</div>
<div class="pm">
<div class="slanted_box" style="width:{pct}%;min-width:{pct}%"></div>
<img alt="Meter" src="/img/new/meter_stripes.svg"/>
</div>
<div class="pr">{pct}%</div>
</div>""")  # fmt: skip
    return "\n".join(out)


def _winloses(p: Person) -> str:
    pro = [f for f in p.fights if f.section == "pro"]
    wins = [f for f in pro if f.result == "win"]
    losses = [f for f in pro if f.result == "loss"]
    draws = sum(f.result == "draw" for f in pro)
    ncs = sum(f.result == "nc" for f in pro)
    extra = ""
    if draws:
        extra += f'\n<div class="winloses draws">\n<span>Draws</span>\n<span>{draws}</span>\n</div>'
    if ncs:
        extra += f'\n<div class="winloses nc">\n<span>N/C</span>\n<span>{ncs}</span>\n</div>'
    return f"""<div class="winsloses-holder">
<div class="wins">
<div class="winloses win">
<span>Wins</span>
<span>{len(wins)}</span>
</div>
{_meters(wins)}
</div>
<div class="loses">
<div class="winloses lose">
<span>Losses</span>
<span>{len(losses)}</span>
</div>
{_meters(losses)}{extra}
</div>
</div>"""


def _fight_row(world: World, f: Fight) -> str:
    cls = "no_contest" if f.result == "nc" else f.result
    text = "NC" if f.result == "nc" else f.result
    ev = e(f.event.name)
    ev_inner = f'<span itemprop="award">{ev}</span>' if f.award else ev
    ref = ""
    if f.referee and f.referee_style == "link":
        name = world.referees[f.referee]
        ref = f'<a href="/referee/{slugify(name)}-{f.referee}">{e(name)}</a>'
    elif f.referee and f.referee_style == "plain":
        ref = e(world.referees[f.referee])
    pbp = ""
    if f.pbp:
        slug = slugify(f.event.name)
        pbp = (f'\n<br/><a class="pbp_btn" href="/news/news/{slug}-PlaybyPlay-Results-Round-'
               f'Scoring-{f.event.sherdog_id * 2 + 7}">VIEW PLAY-BY-PLAY</a> ')  # fmt: skip
    return f"""<tr>
<td><span class="final_result {cls}">{text}</span></td>
<td><a href="{fighter_path(f.opponent)}">{e(f.opponent.name)}</a></td>
<td><a href="{event_path(f.event)}">{ev_inner}</a><br/><span class="sub_line">{f.date:%b / %d / %Y}</span></td>
<td class="winby"><b>{e(f.method)}</b><br/><span class="sub_line">{ref}</span>{pbp}</td>
<td>{f.round}</td>
<td>{e(f.time)}</td>
</tr>"""  # noqa: E501


def _history(world: World, p: Person) -> str:
    tables = [
        s for s in ("pro", "pro_exhibition", "amateur") if any(f.section == s for f in p.fights)
    ]
    if len(tables) > 1 and random.Random(f"{world.seed}:order:{p.sherdog_id}").random() < 0.1:
        tables = tables[1:] + tables[:1]
    out = []
    for section in tables:
        rows = "\n".join(_fight_row(world, f) for f in p.section_fights(section))
        out.append(f"""<div class="module fight_history"><div class="slanted_title"><div>{SECTION_TITLES[section]}</div><div></div></div><table border="1" class="new_table fighter">
<tr class="table_head">
<td class="col_one">Result</td>
<td class="col_two">Fighter</td>
<td class="col_three">Event</td>
<td class="col_four">Method/<wbr/>Referee</td>
<td class="col_five">R</td>
<td class="col_six">Time</td>
</tr>
{rows}
</table></div>""")  # noqa: E501
    return "\n".join(out)


def fighter_page(world: World, p: Person) -> str:
    """``/fighter/<Slug>-<id>``."""
    reg = REGIONS[p.region]
    name = e(p.name)
    nick = (f'<span class="nickname"><em>{e(p.nickname)}</em></span>' if p.nickname
            else '<span class="nickname_empty"> </span>')  # fmt: skip
    locality = (f'<span class="adr" itemprop="address" itemscope="" itemtype="http://schema.org/'
                f'PostalAddress"><span class="locality" itemprop="addressLocality">'
                f"{e(p.birthplace)}</span></span>" if p.birthplace else "")  # fmt: skip
    src = ea(profile_src(p))
    alt = ea(p.name)
    main = f"""<div class="fighter-info" itemscope="" itemtype="http://schema.org/Person">
<div>
<img alt="{alt}" class="profile-image photo" itemprop="image" src="{src}"/>
</div>
<!-- FIGHTER LEFT -->
<div class="fighter-right">
<div class="fighter-title" contenteditable="false">
<div class="fighter-line1">
<div class="fighter-flag-social">
<div class="fighter-nationality">
<span class="item birthplace">
<strong itemprop="nationality">{e(reg.nationality)}</strong><br/>
{locality}
</span>
<img alt="Country" class="big_flag" src="/img/flags/big/{reg.code}.png"/>
</div>
</div>
<h1 itemprop="name"><span class="fn">{name}</span></h1>
</div>
<div class="fighter-line2">
{nick}
<div class="share">
</div>
</div>
</div>
<img alt="{alt}" class="profile-image-mobile photo" src="{src}"/>
<div class="fighter-data">
{_bio(world, p)}
{_winloses(p)}
</div>
</div>
<!-- END OF FIGHTER RIGHT -->
</div>
{_history(world, p)}
"""  # noqa: E501
    title = f"{p.name} MMA Stats, Pictures, News, Videos, Biography - Sherdog.com"
    return page(world, title, main, fighter_path(p))


def _result_row(p: Person) -> str:
    path = fighter_path(p)
    height = (
        f"<strong>{ft_in(p.height_in)}</strong><br/>({p.height_in * 0.0254:.2f} m)"
        if p.height_in
        else ""
    )
    weight = (f"<strong>{p.weight_lbs} lbs</strong><br/>({p.weight_lbs * 0.45359237:.2f} kg)"
              if p.weight_lbs else "")  # fmt: skip
    nick = f'"{html.escape(p.nickname, quote=False)}"' if p.nickname else ""
    return f"""<tr onclick="document.location='{path}';">
<td width="60"><img class="lazy" data-original="{ea(thumb_src(p))}" src="{images.DEFAULT_SMALL_PATH}" width="44"/></td>
<td><a href="{path}">{e(p.name)}</a></td>
<td>{nick}</td>
<td>{height}</td>
<td>{weight}</td>
<td>{e(p.association)}</td>
</tr>"""  # noqa: E501


def _pagination(query: str, current: int, pages: int) -> str:
    if pages <= 1:
        return ""
    q = ea(quote_plus(query))

    def link(n: int, label: str) -> str:
        return f'<a href="/stats/fightfinder?SearchTxt={q}&amp;page={n}">{label}</a>'

    lo, hi = max(1, current - 4), min(pages, max(current, 1) + 5)
    parts = [link(current - 1, "&laquo; prev")] if 1 < current <= pages + 1 else []
    for n in range(lo, hi + 1):
        parts.append(f'<span class="current">{n}</span>' if n == current else link(n, str(n)))
    if current < pages:
        parts.append(link(current + 1, "next &raquo;"))
    return f'<div class="footer"><span class="pagination">{" ".join(parts)}</span></div>'


def search_page(world: World, query: str, page_no: int) -> str:
    """``/stats/fightfinder?SearchTxt=...&page=N``."""
    hits, pages = world.search_index().page(query, page_no)
    rows = "\n".join(_result_row(p) for p in hits)
    main = f"""<div class="module fightfinder">
<div class="slanted_title"><div>FIGHT FINDER</div><div></div></div>
<form class="fightfinder_form" method="get" action="/stats/fightfinder">
<input type="text" name="SearchTxt" value="{ea(query)}"/>
<select name="weight"><option value="">All Weights</option></select>
<input type="submit" value="Search"/>
</form>
<div class="content table">
<table class="new_table fightfinder_result">
<tr class="table_head">
<td class="col_one" colspan="2">Fighter</td>
<td class="col_two">Nickname</td>
<td class="col_three">Height</td>
<td class="col_four">Weight</td>
<td class="col_five">Association</td>
</tr>
{rows}
</table>
</div>
{_pagination(query, page_no, pages)}
</div>
"""
    return page(world, "Fight Finder - Sherdog.com", main)
