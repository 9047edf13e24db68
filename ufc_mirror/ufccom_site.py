"""The UFC.com mirror: robots.txt, the first athletes page, rankings, athlete pages, images.

Pages are rendered with Jinja2 from ``templates/ufccom/`` (reconstructions of the real pages'
structure, see its ``SOURCES.md``) with the data of :mod:`ufc_mirror.ufccom_world`. Routes:

* ``/robots.txt``: the live rules (``Crawl-delay: <crawl_delay>``, ``Disallow:
  /athletes/all?*`` and the usual Drupal paths);
* ``/athletes/all``: the first page (11 cards in last-name order, one ad slot, a "Load More"
  link to ``?page=1``). Requests with a query string are answered too, as the live site does
  (page N, filters ignored), but robots.txt forbids them;
* ``/rankings``: champion + 15 per division, the two pound-for-pound lists, then the "meta"
  rankings (the same divisions again);
* ``/athlete/<slug>`` (case-insensitive, as Drupal aliases are): the athlete page, or the 404
  page for a slug without an athlete;
* images: the photos (``/images/styles/<style>/s3/<YYYY-MM>/<LAST>_<FIRST>_..._<MM-DD>.png``,
  PNG or JPEG by extension, the ``itok`` query ignored; also the old CDN's ``/styles/...``
  paths) and the placeholders (grey silhouettes drawn here).

Every target routed here is recorded in :attr:`UfcComSite.requested` (target, monotonic time)
so tests can check that no disallowed URL was requested and how far apart requests were.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import random
import re
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from markupsafe import Markup
from PIL import Image, ImageDraw, ImageOps

from ufc_mirror import images
from ufc_mirror.model import World
from ufc_mirror.names import split_ufcstats
from ufc_mirror.sites import HTML, RenderCache, Response
from ufc_mirror.ufccom_world import (
    FIRST_PAGE_SIZE,
    PLACEHOLDER_PATHS,
    SITE,
    Athlete,
    UfcComData,
    ufccom_data,
    ufccom_date,
    ufccom_slug,
)

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "ufccom"
PNG = "image/png"
JPEG = "image/jpeg"
STANCE_PATHS = {
    "/themes/custom/ufc/assets/img/standing-stance-left-silhouette.png": "stance_left",
    "/themes/custom/ufc/assets/img/standing-stance-right-silhouette.png": "stance_right",
}
_STANCE_SRC = "https://ufc.com/themes/custom/ufc/assets/img/standing-stance-{}-silhouette.png"
_ATHLETE = re.compile(r"^/athlete/([^/]+)/?$")
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
    autoescape=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)

ROBOTS = """#
# robots.txt of the UFC.com mirror: the live site's rules for crawlers (a crawl delay for
# every agent, no paged or filtered athletes lists) plus the usual Drupal paths.
#
User-agent: *
Crawl-delay: {delay}
# Assets
Allow: /core/*.css$
Allow: /core/*.js$
Allow: /core/*.png
Allow: /core/*.svg
Allow: /profiles/*.css$
Allow: /profiles/*.png
# Directories
Disallow: /core/
Disallow: /profiles/
# Files
Disallow: /README.md
Disallow: /composer.json
Disallow: /web.config
# Paths
Disallow: /admin/
Disallow: /comment/reply/
Disallow: /filter/tips
Disallow: /node/add/
Disallow: /search/
Disallow: /user/register
Disallow: /user/password
Disallow: /user/login
Disallow: /user/logout
Disallow: /index.php/admin/
Disallow: /index.php/search/
# Site
Disallow: /athletes/all?*
Disallow: /views/ajax
Disallow: /jsonapi/
Disallow: /ajax/
"""


# -- chrome (made up: see templates/ufccom/SOURCES.md) ---------------------------------------------
def _critical_css() -> str:
    blocks = ("c-hero", "c-bio", "c-card", "c-listing-athlete", "hero-profile", "c-stat-compare",
              "c-stat-3bar", "c-overlap", "c-tabs", "c-site-header", "c-menu-main",
              "c-site-footer", "l-container", "l-listing", "e-button", "stats-records",
              "athlete-stats", "faq-athlete", "view-grouping", "c-carousel", "l-masthead",
              "c-card-event--athlete-results", "c-card-event--athlete-fight")  # fmt: skip
    parts = ("", "__inner", "__title", "__text", "__label", "__value", "__media", "__headline",
             "__wrap", "__item", "__icon", "--dark", "--small")  # fmt: skip
    out = []
    for i, block in enumerate(blocks):
        for j, part in enumerate(parts):
            k = i * len(parts) + j
            out.append(
                f".{block}{part}{{display:{('flex', 'block', 'grid')[k % 3]};"
                f"margin:0 {k % 5 * 0.25:.2f}rem {k % 3 * 0.5:.1f}rem;"
                f"padding:{k % 4 * 0.36:.2f}rem;"
                f"font-size:{1 + k % 7 * 0.125:.3f}rem;line-height:{1.1 + k % 4 * 0.1:.1f};"
                f"color:{('#191919', '#d20a0a', '#fff', '#6f6f6f')[k % 4]}}}"
            )
            if k % 4 == 0:
                out.append(
                    f"@media (min-width:{48 + k % 3 * 8.25:.2f}em){{.{block}{part}"
                    f"{{letter-spacing:.0{k % 9}rem;max-width:{1000 + k * 7}px}}}}"
                )
    return "".join(out) + "\n/*# mirror critical.css */\n"


_BOOT_JS = (
    "(function(d,w){var id='mirror-consent';if(w.__consentBoot||d.getElementById(id))return;"
    "w.__consentBoot=1;var s=d.createElement('script');s.id=id;s.async=1;"
    "s.src='https://consent.example-cmp.net/v2/loader.js?site=ufc-mirror';"
    "(d.head||d.body).appendChild(s);var q=[];w.consentQueue=function(f){q.push(f)};"
    "w.addEventListener('consent:ready',function(){while(q.length){try{q.shift()()}catch(e){}}});"
    "})(document,window);"
)

_MENU = [
    {"label": "Events", "href": "/events", "css": "events", "side": "left", "title": "Events",
     "children": [{"label": "Upcoming", "href": "/events#events-list-upcoming"},
                  {"label": "Past", "href": "/events#events-list-past"},
                  {"label": "Tickets", "href": "/tickets"},
                  {"label": "Road to UFC", "href": "/rtu"},
                  {"label": "Contender Series", "href": "/dwcs"}]},
    {"label": "Rankings", "href": "/rankings", "css": "rankings", "side": "left", "children": []},
    {"label": "Athletes", "href": "/athletes", "css": "athletes", "side": "left",
     "children": [{"label": "All Athletes", "href": "/athletes/all"},
                  {"label": "Hall of Fame", "href": "/ufc-hall-of-fame"},
                  {"label": "Record Book", "href": "https://statleaders.ufc.com/", "blank": True}]},
    {"label": "News", "href": "/trending/all", "css": "trending", "side": "left", "children": []},
    {"label": "Connect", "href": "/newsletter", "css": "connect", "side": "right",
     "children": [{"label": "Newsletter", "href": "/newsletter"},
                  {"label": "Fight Club", "href": "https://ufcfightclub.com/", "blank": True},
                  {"label": "Find a Gym", "href": "https://www.ufcgym.com", "blank": True}]},
    {"label": "Watch", "href": "/watch", "css": "watch", "side": "right",
     "children": [{"label": "How to Watch", "href": "/watch"},
                  {"label": "Find a Bar", "href": "/bars"},
                  {"label": "Fight Pass", "href": "https://www.ufcfightpass.com", "blank": True},
                  {"label": "Podcasts", "href": "/podcasts"}]},
    {"label": "Shop", "href": "https://www.ufcstore.com/", "css": "shop", "side": "right",
     "children": [{"label": "Store", "href": "https://www.ufcstore.com/", "blank": True},
                  {"label": "Collectibles", "href": "https://ufccollectibles.com/"},
                  {"label": "What's New", "href": "/consumer-products"}]},
]  # fmt: skip
for _item in _MENU:
    _item.setdefault("title", None)
    for _child in _item["children"]:
        _child.setdefault("blank", False)
_FOOTER = [
    {"label": "UFC", "href": "/about", "links": [("The Sport", "/about/sport"),
     ("Foundation", "/foundation/"), ("Careers", "/careers"), ("Store", "https://ufcstore.com/")]},
    {"label": "Social Media", "href": "/connect", "links": [
     ("Facebook", "https://facebook.com/ufc"), ("Instagram", "https://www.instagram.com/ufc/"),
     ("YouTube", "https://www.youtube.com/ufc"), ("TikTok", "https://www.tiktok.com/@ufc"),
     ("X", "https://x.com/ufc")]},
    {"label": "Help", "href": "/faq", "links": [("Fight Pass FAQ", "/faq-fight-pass"),
     ("Devices", "/devices"), ("Press Credentials", "/press")]},
    {"label": "Legal", "href": "/terms", "links": [("Terms", "/terms"),
     ("Privacy Policy", "/privacy-policy"), ("Ad Choices", "/ad-choices")]},
]  # fmt: skip
_CHROME = {
    "preconnect": ["https://a.ads.example-partner.net/", "https://b.ads.example-partner.net/",
                   "https://c.ads.example-partner.net/", "https://consent.example-cmp.net/"],
    "boot_js": Markup(_BOOT_JS),
    "critical_css": Markup(_critical_css()),
    "cache_buster": "t8m1rr",
    "stylesheets": [f"/sites/default/files/css/css_mirror{i}.css?delta={i}&language=en&theme=ufc"
                    for i in range(2)],
    "menu": _MENU,
    "footer": _FOOTER,
    "locales": [("Brazil", "https://www.ufc.com.br"), ("France", "/language/switch/fr"),
                ("Japan", "http://jp.ufc.com"), ("Korea", "https://kr.ufc.com"),
                ("Latin America", "https://www.ufcespanol.com")],
    "scripts": [f"/sites/default/files/js/js_mirror{i}.js?scope=footer&delta={i}&language=en"
                for i in range(4)],
    "year": 2026,
}  # fmt: skip
_HREFLANG = ("en-zxx", "en", "en-aus", "en-can", "fr", "fr-ca", "de", "it", "ja", "pt-br", "ko",
             "en-nz", "es", "es-us", "ru", "en-uk", "en-se", "en-mena", "en-ssa")  # fmt: skip
_EVENT_LOGO = Markup(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 250 250"><rect x="10" y="80" '
    'width="230" height="90" rx="12" fill="none" stroke="currentColor" stroke-width="8"/>'
    '<path d="M40 100h40v50H40zM100 100h30l10 25 10-25h30v50h-20v-25l-10 25h-20l-10-25v25h-20z'
    'M200 100h20v50h-20z"/></svg>'
)
_BODY_PARTS = (
    ("head", "Head", 32, "M122 13c-9 2-13 9-12 17 0 5 3 9 6 12h14c4-3 6-7 6-12 0-8-5-15-14-17z"),
    ("body", "Body", 90, "M108 44c-9 3-13 9-14 20-2 18-5 35-5 55h24l4-12 4 12h24c0-20-3-37-5-55"
     "-1-11-5-17-14-20z"),
    ("leg", "Leg", 145, "M113 121l-4 40-3 30h12l6-40 6 40h12l-3-30-4-40z"),
)  # fmt: skip
_BODY_OUTLINE = (
    "M122 10c-11 2-16 10-15 19 0 5 2 9 5 12-11 3-17 10-18 22-2 19-6 37-6 58l2 8"
    "c2 3 5 3 7 1l1-10 4-14-3 34-3 40-2 12h16l7-44 7 44h16l-2-12-3-40-3-34 4 14 1 10c2 2 5 2 "
    "7-1l2-8c0-21-4-39-6-58-1-12-7-19-18-22 3-3 5-7 5-12 1-9-4-17-15-19z"
)
_QNA = (
    ("When and why did you start training for fighting?",
     "A friend took me to a wrestling practice in high school and I never left the mat."),
    ("What ranks and titles have you held?", "Regional titles in two weight classes."),
    ("What does it mean for you to fight in the UFC?", "It is the top of the sport."),
    ("What was your job before you started fighting?", "Construction, then coaching kids."),
    ("Favorite grappling technique:", "Rear-naked choke"),
    ("Favorite striking technique:", "Body kick"),
    ("Tell us about your life outside of fighting:", "Family, fishing and video games."),
)  # fmt: skip
_STYLES = {"teaser": (400, 300), "headshot": (208, 130), "results": (256, 160)}


def _hex(*parts: object, n: int = 64) -> str:
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:n]


def _json_markup(obj: Any, indent: int | None = 4) -> Markup:
    text = json.dumps(obj, indent=indent, ensure_ascii=False)
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return Markup(text)


def _settings(path: str, nid: int | None, extra: dict[str, Any] | None = None) -> Markup:
    libs = base64_like(f"libraries:{path}", 420)
    settings: dict[str, Any] = {
        "path": {"baseUrl": "/", "pathPrefix": "", "currentPath": f"node/{nid}" if nid else
                 path.lstrip("/"), "currentPathIsAdmin": False, "isFront": False,
                 "currentLanguage": "en"},
        "pluralDelimiter": "\u0003",
        "suppressDeprecationErrors": True,
        "ajaxPageState": {"libraries": libs, "theme": "ufc", "theme_token": None},
        "ajaxTrustedUrl": [],
        "back_to_top": {"back_to_top_button_trigger": 100, "back_to_top_button_type": "text",
                        "back_to_top_button_text": "Back to top"},
        "contentLocalization": "en",
        "breakpoints": {"ufc.images.mobile": "", "ufc.images.tablet": "(min-width: 700px)",
                        "ufc.images.desktop": "(min-width: 1024px)",
                        "ufc.images.extra-large": "(min-width: 1440px)"},
        "user": {"uid": 0, "permissionsHash": _hex("perm", path)},
    }  # fmt: skip
    settings.update(extra or {})
    return _json_markup(settings, indent=None)


def base64_like(seed: str, n: int) -> str:
    """A deterministic string that looks like Drupal's compressed library lists."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(n))


# -- athlete page ----------------------------------------------------------------------------------
def _outcome(b: Any, fid: str) -> str:
    return b.red_outcome if b.red_id == fid else b.blue_outcome


def _corner(world: World, data: UfcComData, fid: str, outcome: str, side: str) -> dict[str, Any]:
    a = data.athletes.get(fid)
    uf = world.fighters.get(fid)
    name = a.name if a else (uf.name if uf else "Unknown")
    family = a.family if a else split_ufcstats(name)[1]
    slug = a.slug if a else ufccom_slug(name)
    photo = a.image.results if a and a.image.photo else None
    return {
        "name": name,
        "family": family or name,
        "url": f"{SITE}/athlete/{slug}",
        "headshot": photo or _STANCE_SRC.format("left" if side == "red" else "right"),
        "won": outcome == "W",
        "outcome": {"W": "win", "L": "loss", "D": "draw"}.get(outcome, "nc"),
    }


def _bout(world: World, data: UfcComData, b: Any) -> dict[str, Any]:
    ev = world.seed_events[b.event_id]
    nid = 10_000 + int(ev.id[:4], 16) % 9000
    return {
        "red": _corner(world, data, b.red_id, b.red_outcome, "red"),
        "blue": _corner(world, data, b.blue_id, b.blue_outcome, "blue"),
        "date": ufccom_date(ev.date),
        "event_url": f"{SITE}/event/{ufccom_slug(ev.name)}#{nid}",
        "result": [("Round", str(b.round)),
                   ("Time", f"{b.time_seconds // 60}:{b.time_seconds % 60:02d}"),
                   ("Method", b.method)],
    }  # fmt: skip


def _methods(a: Athlete, world: World) -> dict[str, int]:
    person = world.fighters[a.ufcstats_id].person
    out = {"ko": 0, "sub": 0, "dec": 0, "first": 0}
    for fight in person.fights:
        if fight.section != "pro" or fight.result != "win":
            continue
        method = fight.method.lower()
        if method.startswith(("ko", "tko")):
            out["ko"] += 1
        elif method.startswith("submission"):
            out["sub"] += 1
        else:
            out["dec"] += 1
        if fight.round == 1 and not method.startswith("decision"):
            out["first"] += 1
    return out


def _pct(n: int, total: int) -> str:
    return f"{n} ({round(100 * n / total) if total else 0}%)"


def _bio_rows(a: Athlete) -> list[dict[str, Any]]:
    def fld(label: str, value: object, border: bool = False, age: bool = False) -> dict:
        return {"label": label, "value": value, "border": border, "age": age}

    rows: list[dict[str, Any]] = [{"cols": 1, "fields": [fld("Status", a.status)]}]
    if a.place_of_birth is not None:
        rows.append({"cols": 1, "fields": [fld(a.place_label or "Place of Birth",
                                                a.place_of_birth, border=True)]})  # fmt: skip
    two = []
    if a.trains_at is not None:
        two.append(fld("Trains at", a.trains_at, border=True))
    if a.fighting_style:
        two.append(fld("Fighting style", a.fighting_style, border=True))
    if two:
        rows.append({"cols": 2, "fields": two})
    three = []
    if a.age is not None:
        three.append(fld("Age", a.age, age=True))
    for label, value in (("Height", a.height_in), ("Weight", a.weight_lbs)):
        if value is not None:
            three.append(fld(label, f"{value:.2f}"))
    if three:
        rows.append({"cols": 3, "fields": three})
    last = []
    if a.octagon_debut:
        last.append(fld("Octagon Debut", ufccom_date(a.octagon_debut)))
    for label, value in (("Reach", a.reach_in), ("Leg reach", a.leg_reach_in)):
        if value is not None:
            last.append(fld(label, f"{value:.2f}"))
    if last:
        rows.append({"cols": 3, "fields": last})
    return rows


def _jsonld(a: Athlete, url: str, published: str, modified: str, description: str) -> Markup:
    person: dict[str, Any] = {"@type": "Person", "name": a.name, "familyName": a.family,
                              "givenName": a.given}  # fmt: skip
    if a.nickname:
        person["alternateName"] = a.nickname
    person["url"] = url
    if a.birth_date:
        person["birthDate"] = a.birth_date.isoformat()
    person["description"] = description
    handle = a.slug.replace("-", "")
    person["sameAs"] = [f"https://twitter.com/{handle}", f"https://instagram.com/{handle}",
                        f"https://www.ufcstore.com/en/{a.slug}/ufc-fighters"]  # fmt: skip
    graph = {
        "@context": "https://schema.org",
        "@graph": [{
            "@type": "WebPage", "url": url, "name": a.name, "datePublished": published,
            "dateModified": modified,
            "breadcrumb": {"@type": "BreadcrumbList", "itemListElement": [
                {"@type": "ListItem", "position": 1,
                 "item": {"@id": f"{SITE}/", "name": "UFC.com"}},
                {"@type": "ListItem", "position": 2,
                 "item": {"@id": f"{SITE}/athletes", "name": "UFC Fighters"}},
                {"@type": "ListItem", "position": 3, "item": {"@id": url, "name": a.name}}]},
            "mainEntity": person,
        }],
    }  # fmt: skip
    return _json_markup(graph)


def _stamp(day: dt.date | None, hour: int) -> str:
    day = day or dt.date(2016, 6, 1)
    return f"{day.isoformat()}T{hour:02d}:{(hour * 7) % 60:02d}:{(hour * 13) % 60:02d}-0400"


def athlete_context(world: World, data: UfcComData, a: Athlete) -> dict[str, Any]:
    """The template values of one athlete page."""
    f = world.fighters[a.ufcstats_id]
    rng = random.Random(f"{world.seed}:ufccom:page:{a.ufcstats_id}")
    url = f"{SITE}/athlete/{a.slug}"
    named = f'{a.given} "{a.nickname}" {a.family}'.strip() if a.nickname else a.name
    division = (a.division or "").lower() or "mixed martial arts"
    description = (f"{named} is a professional mixed martial artist competing in the UFC "
                   f"{division} division. Follow the latest news, results, records, stats, "
                   "videos and photos on UFC.com.")  # fmt: skip
    published = _stamp(a.octagon_debut, 7)
    modified = _stamp(a.last_fight + dt.timedelta(days=3) if a.last_fight else None, 16)
    m = _methods(a, world)
    hero_stats = [(m["ko"], "Wins by Knockout"), (m["sub"], "Wins by Submission"),
                  (m["first"], "First Round Finishes")]  # fmt: skip
    bouts = [_bout(world, data, b) for b in f.bouts[:3]]
    landed, attempted = rng.randint(40, 1500), 0
    attempted = landed + rng.randint(20, 1600)
    td_land = rng.randint(0, 60)
    td_att = td_land + rng.randint(0, 80)
    circles = []
    for title, tip, got, tried, labels in (
        ("Striking accuracy", "Significant strikes are all strikes at distance and the power "
         "strikes in the clinch and on the ground.", landed, attempted,
         ("Sig. Strikes Landed", "Sig. Strikes Attempted")),
        ("Takedown Accuracy", "A takedown counts when a fighter brings the opponent down and "
         "holds an advantageous position.", td_land, td_att,
         ("Takedowns Landed", "Takedowns Attempted")),
    ):  # fmt: skip
        pct = round(100 * got / tried) if tried else 0
        circles.append({"title": title, "tip": tip, "tip_id": rng.randint(10**7, 10**10),
                        "pct": pct, "offset": f"{314.2 * (1 - pct / 100):.5f}",
                        "rows": [(labels[0], got), (labels[1], tried)]})  # fmt: skip

    def cmp(number: str, label: str, suffix: str | None = None, percent: bool = False) -> dict:
        return {"number": number, "label": label, "suffix": suffix, "percent": percent}

    compare = [
        [(cmp(f"{rng.uniform(1, 7):.2f}", "Sig. Str. Landed", "Per Min"),
          cmp(f"{rng.uniform(1, 7):.2f}", "Sig. Str. Absorbed", "Per Min")),
         (cmp(f"{rng.uniform(0, 5):.2f}", "Takedown avg", "Per 15 Min"),
          cmp(f"{rng.uniform(0, 2):.2f}", "Submission avg", "Per 15 Min"))],
        [(cmp(str(rng.randint(35, 70)), "Sig. Str. Defense", percent=True),
          cmp(str(rng.randint(30, 95)), "Takedown Defense", percent=True)),
         (cmp(f"{rng.uniform(0, 1.2):.2f}", "Knockdown Avg"),
          cmp(f"{rng.randint(3, 14)}:{rng.randint(0, 59):02d}", "Average fight time"))],
    ]  # fmt: skip
    stand, clinch = rng.randint(50, 85), rng.randint(5, 25)
    wins = m["ko"] + m["sub"] + m["dec"]
    bars = [
        {"title": "Sig. Str. By Position",
         "rows": [("Standing", f"{landed * stand // 100} ({stand}%)"),
                  ("Clinch", f"{landed * clinch // 100} ({clinch}%)"),
                  ("Ground", f"{landed * (100 - stand - clinch) // 100} "
                             f"({100 - stand - clinch}%)")]},
        {"title": "Win by Method",
         "rows": [("KO/TKO", _pct(m["ko"], wins)), ("DEC", _pct(m["dec"], wins)),
                  ("SUB", _pct(m["sub"], wins))]},
    ]  # fmt: skip
    head = rng.randint(40, 75)
    body_pct = rng.randint(10, 100 - head - 5)
    body = []
    for (key, label, y, path), pct in zip(_BODY_PARTS, (head, body_pct, 100 - head - body_pct),
                                          strict=True):  # fmt: skip
        body.append(
            {
                "key": key,
                "label": label,
                "y": y,
                "path": path,
                "pct": pct,
                "value": landed * pct // 100,
                "opacity": f"{max(pct / head, 0.2):.5f}",
            }
        )
    spotlight = []
    for k in range(8):
        nid = 150_000 + rng.randint(0, 20_000)
        video = k % 3 != 0
        headline = (f"{a.name} | Fight Week Interview" if k == 0 else
                    f"{a.family} Talks Preparation And Goals, Part {k}" if video else
                    f"Athlete Spotlight: {a.name} On Training Camp Number {k}")  # fmt: skip
        month = a.last_fight or dt.date(2024, 1, 1)
        img = f"{month:%Y-%m}/mirror-{a.slug}-{k}.jpg"
        spotlight.append({
            "href": f"/video/{nid}" if video else f"/news/{a.slug}-spotlight-{k}",
            "video": video, "nid": nid, "vid": 1_000_000 + nid,
            "big": f"https://ufc.com/images/styles/card_advance_small_280x356/s3/{img}"
                   f"?itok={_hex('big', img, n=8)}",
            "small": f"https://ufc.com/images/styles/card_advance_small_175x220/s3/{img}"
                     f"?itok={_hex('small', img, n=8)}",
            "alt": f"{a.name} during fight week", "headline": headline,
        })  # fmt: skip
    facts = []
    pro = [x for x in f.person.fights if x.section == "pro"]
    if pro:
        facts.append(
            f"Pro since {min(x.date for x in pro).year}"
            + (f", made UFC debut in {a.octagon_debut:%B %Y}" if a.octagon_debut else "")
        )
    facts.append(f"{m['ko']} wins by KO/TKO, {m['sub']} by submission")
    facts.append(f"{m['first']} first round finishes")
    history = []
    for b in f.bouts[:12]:
        ev = world.seed_events[b.event_id]
        other = b.blue_id if b.red_id == a.ufcstats_id else b.red_id
        opp = world.fighters.get(other)
        verb = {"W": "defeated", "L": "lost to", "D": "drew with"}.get(
            _outcome(b, a.ufcstats_id), "had a no contest with"
        )
        history.append((ev.name.partition(":")[0], f"{ev.date.month}/{ev.date.day}/"
                        f"{ev.date:%y}", f"{a.family} {verb} {opp.name if opp else 'an opponent'}"
                        f" ({b.method}, round {b.round})"))  # fmt: skip
    qna = rng.sample(_QNA, 5)
    nid = a.node
    return {
        "a": a,
        "p": {
            "url": url,
            "description": description,
            "published": published,
            "modified": modified,
            "og_image": a.image.og,
            "jsonld": _jsonld(a, url, published, modified, description),
            "hreflang": _HREFLANG,
            "tags": [*data.ranks.get(a.ufcstats_id, []), a.status],
            "hero_stats": hero_stats,
            "last_fight": bouts[0] if bouts else None,
            "dom_ids": [_hex(a.slug, i) for i in range(3)],
            "event_logo": _EVENT_LOGO,
            "spotlight": spotlight,
            "circles": circles,
            "compare": compare,
            "bars": bars,
            "body": body,
            "body_outline": _BODY_OUTLINE,
            "results": bouts,
            "more_results": len(f.bouts) > 3,
            "tabs": ["Bio", "Fighter Facts", "UFC History", "Q&A"],
            "tab_id": rng.randint(10**7, 10**8),
            "bio": _bio_rows(a),
            "facts": facts,
            "history": history,
            "qna": qna,
            "shop": [
                {
                    "href": f"https://www.ufcstore.com/en/{a.slug}/ufc-fighters",
                    "img": "https://ufc.com/images/styles/mat_590_x_380/s3/2020-12/"
                    "UFCSTORE-GENERIC.jpg?itok=mirror01",
                    "logo": "/themes/custom/ufc/assets/img/ufc-store-logo.png",
                    "text": "Shop the latest apparel from the official UFC store.",
                },
                {
                    "href": "https://ufcfightpass.com/",
                    "img": "https://ufc.com/images/styles/mat_590_x_380/s3/2020-12/"
                    "FIGHTPASS-GENERIC.jpg?itok=mirror02",
                    "logo": "/themes/custom/ufc/assets/img/ufc-fight-pass-logo.png",
                    "text": "Live events, full fights and originals every month.",
                },
            ],
        },  # fmt: skip
        "chrome": _CHROME,
        "settings": _settings(
            f"/athlete/{a.slug}",
            nid,
            {
                "views": {
                    "ajax_path": "/views/ajax",
                    "ajaxViews": {
                        f"views_dom_id:{_hex(a.slug, 2)}": {
                            "view_name": "athlete_results",
                            "view_display_id": "entity_view_1",
                            "view_args": f"{nid}/{nid}",
                            "view_path": f"/node/{nid}",
                            "pager_element": 0,
                        }
                    },
                }
            },
        ),  # fmt: skip
    }


def render_athlete(world: World, data: UfcComData, a: Athlete) -> str:
    """The HTML of ``/athlete/<slug>``."""
    return _ENV.get_template("athlete.html").render(athlete_context(world, data, a))


# -- list, rankings, 404 ---------------------------------------------------------------------------
def _card(world: World, a: Athlete) -> dict[str, Any]:
    rng = random.Random(f"{world.seed}:ufccom:card:{a.ufcstats_id}")
    handle = a.slug.replace("-", "")
    social = [(label, href) for label, href in (
        ("Facebook", f"https://facebook.com/{handle}"),
        ("Twitter", f"https://twitter.com/{handle}"),
        ("Instagram", f"https://instagram.com/{handle}"),
    ) if rng.random() < 0.5]  # fmt: skip
    return {
        "ad": False, "slug": a.slug, "name": a.name, "nickname": a.nickname,
        "division": a.division, "record": f"{a.wins}-{a.losses}-{a.draws}",
        "teaser": a.image.teaser, "back": a.image.back, "back_height": rng.randint(480, 690),
        "back_alt": a.name if a.image.photo else "Men's full body silhouette image",
        "social": social,
    }  # fmt: skip


def render_list(world: World, data: UfcComData, page: int) -> str:
    """The HTML of ``/athletes/all`` (page 0) or of ``?page=N``."""
    ids = data.alphabetical[page * FIRST_PAGE_SIZE : (page + 1) * FIRST_PAGE_SIZE]
    cards: list[dict[str, Any]] = [_card(world, data.athletes[i]) for i in ids]
    if cards:
        cards.append({"ad": True})
    more = (page + 1) * FIRST_PAGE_SIZE < len(data.alphabetical)
    active = sum(a.status == "Active" for a in data.athletes.values())
    facets = [
        ("Status", [(s, f"/athletes/all?filters%5B0%5D=status%3A{n}", c) for n, (s, c) in
                    enumerate((("Active", active), ("Not Fighting", 0), ("Retired", 0)), 23)]),
        ("Weight Class", [(d, f"/athletes/all?filters%5B0%5D=weight_class%3A{n}", 0)
                          for n, d in enumerate(("Flyweight", "Bantamweight", "Featherweight",
                                                 "Lightweight", "Welterweight"), 2)]),
        ("Gender", [("Men", "/athletes/all?gender=1", 0), ("Women", "/athletes/all?gender=2", 0)]),
    ]  # fmt: skip
    p = {"dom_id": _hex("list", page), "total": len(data.athletes), "active": active,
         "cards": cards, "next": page + 1 if more else None, "facets": facets}  # fmt: skip
    return _ENV.get_template("athletes_all.html").render(
        p=p, chrome=_CHROME, settings=_settings("/athletes/all", None)
    )


def render_rankings(world: World, data: UfcComData) -> str:
    """The HTML of ``/rankings``."""

    def person(fid: str) -> dict[str, Any]:
        a = data.athletes[fid]
        return {"slug": a.slug, "name": a.name, "headshot": a.image.headshot}

    def groups(src: list) -> list[dict[str, Any]]:
        out = []
        for g in src:
            rows = [{"rank": r.rank, "change": r.change, **person(r.ufcstats_id)}
                    for r in g.ranked]  # fmt: skip
            out.append(
                {
                    "name": g.name,
                    "p4p": g.p4p,
                    "rows": rows,
                    "champion": person(g.champion) if g.champion else None,
                }
            )
        return out

    p = {
        "dom_ids": [_hex("rankings", i) for i in range(2)],
        "groups": groups(data.rankings),
        "meta": groups(data.meta_rankings),
        "about": "Rankings are voted by a panel of media members. An athlete can appear in "
        "a weight class or the pound-for-pound list only while active in the UFC.",
        "updated": ufccom_date(world.as_of),
    }
    return _ENV.get_template("rankings.html").render(
        p=p, chrome=_CHROME, settings=_settings("/rankings", None)
    )


def render_not_found() -> str:
    """The 404 page."""
    return _ENV.get_template("not_found.html").render(
        p={}, chrome=_CHROME, settings=_settings("/404", None)
    )


# -- images ----------------------------------------------------------------------------------------
def _portrait(seed: int, key: int) -> Image.Image:
    try:
        from ufc_mirror import portraits  # type: ignore[attr-defined]
    except ImportError:  # the portraits module is optional: abstract pictures instead
        return Image.open(io.BytesIO(images.photo(seed, key))).convert("RGB")
    return portraits.portrait(seed, key).convert("RGB")


def _encode(img: Image.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    if fmt == "jpg":
        img.convert("RGB").save(buf, format="JPEG", quality=86)
    else:
        img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


@functools.lru_cache(maxsize=256)
def photo_bytes(seed: int, key: int, style: str, fmt: str) -> bytes:
    """The photo of portrait ``key`` in an image style (``hero``, ``og``, ``teaser``,
    ``back``, ``headshot``, ``results``) as PNG or JPEG (``fmt``: png | jpg)."""
    img = _portrait(seed, key)
    if style in _STYLES:
        img = ImageOps.pad(img, _STYLES[style], color=(242, 242, 242))
    elif style == "back":
        img = img.resize((185, max(1, round(img.height * 185 / img.width))))
    return _encode(img, fmt)


def _figure(draw: ImageDraw.ImageDraw, w: int, h: int, fill: tuple[int, ...], flip: bool) -> None:
    """A standing full-body silhouette (head, torso, arms, legs) filling the canvas."""
    cx = w / 2
    s = h / 640
    head = 44 * s
    draw.ellipse((cx - head, 20 * s, cx + head, 20 * s + 2 * head), fill=fill)
    draw.rectangle((cx - 18 * s, 100 * s, cx + 18 * s, 125 * s), fill=fill)
    draw.polygon([(cx - 95 * s, 130 * s), (cx + 95 * s, 130 * s), (cx + 70 * s, 340 * s),
                  (cx - 70 * s, 340 * s)], fill=fill)  # fmt: skip
    lean = -1 if flip else 1
    draw.polygon([(cx - 95 * s, 135 * s), (cx - 125 * s, 300 * s), (cx - 105 * s + lean * 10,
                  330 * s), (cx - 80 * s, 180 * s)], fill=fill)  # fmt: skip
    draw.polygon([(cx + 95 * s, 135 * s), (cx + 130 * s, 290 * s), (cx + 110 * s + lean * 10,
                  320 * s), (cx + 80 * s, 180 * s)], fill=fill)  # fmt: skip
    draw.polygon([(cx - 70 * s, 335 * s), (cx - 5 * s, 335 * s), (cx - 20 * s, 620 * s),
                  (cx - 75 * s, 620 * s)], fill=fill)  # fmt: skip
    draw.polygon([(cx + 5 * s, 335 * s), (cx + 70 * s, 335 * s), (cx + 75 * s, 620 * s),
                  (cx + 20 * s, 620 * s)], fill=fill)  # fmt: skip


@functools.lru_cache(maxsize=16)
def placeholder_bytes(kind: str) -> bytes:
    """The PNG of a UFC.com placeholder (``no_profile``, ``female_silhouette``,
    ``shadow_red``, ``shadow_blue``, ``stance_left``, ``stance_right``)."""
    if kind == "no_profile":
        img = Image.new("RGB", (300, 300), (246, 246, 246))
        d = ImageDraw.Draw(img)
        d.rounded_rectangle((6, 6, 293, 293), radius=18, outline=(220, 220, 220), width=3)
        d.ellipse((105, 52, 195, 142), fill=(190, 190, 190))
        d.pieslice((55, 150, 245, 340), 180, 360, fill=(190, 190, 190))
    elif kind == "female_silhouette":
        img = Image.new("RGB", (300, 300), (255, 255, 255))
        d = ImageDraw.Draw(img)
        d.ellipse((88, 40, 212, 200), fill=(150, 150, 150))  # hair
        d.ellipse((110, 60, 190, 150), fill=(175, 175, 175))
        d.polygon([(70, 300), (95, 205), (150, 180), (205, 205), (230, 300)], fill=(175, 175, 175))
    elif kind in ("shadow_red", "shadow_blue"):
        w, h = (360, 640) if kind == "shadow_red" else (185, 504)
        img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        d = ImageDraw.Draw(img)
        _figure(d, w, h, (24, 24, 24, 255), flip=kind == "shadow_blue")
        tint = (210, 10, 10, 255) if kind == "shadow_red" else (30, 80, 200, 255)
        d.rectangle((0, h - 8, w, h), fill=tint)
    else:  # stance_left / stance_right
        img = Image.new("RGBA", (256, 160), (0, 0, 0, 0))
        d = ImageDraw.Draw(img)
        _figure(d, 256, 160, (90, 90, 90, 255), flip=kind == "stance_right")
    return _encode(img, "png")


# -- the site --------------------------------------------------------------------------------------
class UfcComSite:
    """Routes of the UFC.com mirror."""

    name = "ufccom"
    server_header = "nginx"

    def __init__(self, world: World, crawl_delay: float = 15.0) -> None:
        self.world = world
        self.crawl_delay = crawl_delay
        self.cache = RenderCache(world, self.name, size=400)
        self.requested: list[tuple[str, float]] = []
        self._lock = threading.Lock()

    def requests(self) -> list[tuple[str, float]]:
        """A copy of :attr:`requested`: (path with query, ``time.monotonic()``) per request."""
        with self._lock:
            return list(self.requested)

    def robots_txt(self) -> str:
        """The robots.txt text (``Crawl-delay`` from :attr:`crawl_delay`)."""
        return ROBOTS.format(delay=f"{self.crawl_delay:g}")

    def route(self, path: str, query: dict[str, list[str]]) -> Response:
        """Answer one GET."""
        target = path + ("?" + urlencode(query, doseq=True) if query else "")
        with self._lock:
            self.requested.append((target, time.monotonic()))
        if path == "/robots.txt":
            return Response(200, "text/plain; charset=UTF-8", self.robots_txt().encode(),
                            "robots")  # fmt: skip
        data = ufccom_data(self.world)
        if path in ("/athletes/all", "/athletes/all/"):
            try:
                page = max(0, int((query.get("page") or ["0"])[0] or 0))
            except ValueError:
                page = 0
            key = "/athletes/all" if page == 0 else f"/athletes/all?page={page}"
            return self.cache.get(key, lambda: self._render("list", page))
        if path in ("/rankings", "/rankings/"):
            return self.cache.get("/rankings", lambda: self._render("rankings"))
        m = _ATHLETE.match(path)
        if m:
            a = data.by_slug.get(m.group(1).lower())
            if a is not None:
                return self.cache.get(f"/athlete/{a.slug}", lambda: self._render("athlete", a.slug))
        image = self._image(path, data)
        if image is not None:
            return self.cache.stamp(path, image)
        return self.cache.get("404", lambda: self._render("404"))

    def _render(self, page: str, arg: Any = None) -> Response:
        """Render under the world's lock (the render cache holds it) with current data."""
        data = ufccom_data(self.world)
        if page == "list":
            return self._html(200, render_list(self.world, data, arg), "ufccom_list")
        if page == "rankings":
            return self._html(200, render_rankings(self.world, data), "ufccom_rankings")
        a = data.by_slug.get(arg) if page == "athlete" else None
        if a is not None:
            return self._html(200, render_athlete(self.world, data, a), "ufccom_athlete")
        return self._html(404, render_not_found(), "not_found")

    @staticmethod
    def _html(status: int, text: str, kind: str) -> Response:
        return Response(status, HTML, text.encode("utf-8"), kind)

    def _image(self, path: str, data: UfcComData) -> Response | None:
        kind = PLACEHOLDER_PATHS.get(path) or STANCE_PATHS.get(path)
        if kind is not None:
            return Response(200, PNG, placeholder_bytes(kind), "image")
        hit = data.images.get(path)
        if hit is None:
            return None
        fid, style = hit
        a = data.athletes[fid]
        fmt = "jpg" if path.endswith(".jpg") else "png"
        body = photo_bytes(self.world.seed, a.image.portrait_key, style, fmt)
        return Response(200, JPEG if fmt == "jpg" else PNG, body, "image")
