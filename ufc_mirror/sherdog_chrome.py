"""Sherdog page chrome: head, site navigation, trending sidebar, footer, robots.txt.

Every page carries a sidebar of trending fighters (links to OTHER fighters), as the real
site does, so parsers must read only the right table. Links are relative.
"""

from __future__ import annotations

import html

from ufc_mirror import images
from ufc_mirror.model import Event, Person, World
from ufc_mirror.names import slugify

_NAV = (
    ("News", "/news/news/list"), ("Pictures", "/news/pictures/list"), ("Videos", "/videos"),
    ("Events", "/organizations/Ultimate-Fighting-Championship-UFC-2"),
    ("Fight Finder", "/stats/fightfinder"), ("Forums", "/forums/"),
)  # fmt: skip

ROBOTS = (
    "".join(
        f"User-agent: {ua}\nDisallow: /\n\n"
        for ua in (
            "GPTBot",
            "ChatGPT-User",
            "CCBot",
            "ClaudeBot",
            "Claude-Web",
            "anthropic-ai",
            "Google-Extended",
            "Bytespider",
            "PerplexityBot",
            "Omgilibot",
        )
    )  # fmt: skip
    + "User-agent: *\nDisallow: /forums/search\nDisallow: /forums/private\n"
    "Disallow: /ajax/\nDisallow: /login\nAllow: /\n"
)


def e(value: object) -> str:
    """Escape text content (``None`` -> empty); quotes stay literal."""
    return "" if value is None else html.escape(str(value), quote=False)


def ea(value: object) -> str:
    """Escape an attribute value (quotes too)."""
    return "" if value is None else html.escape(str(value), quote=True)


def fighter_path(p: Person) -> str:
    """``/fighter/First-Last-123``."""
    return f"/fighter/{slugify(p.name)}-{p.sherdog_id}"


def event_path(ev: Event) -> str:
    """``/events/UFC-321-Aspinall-vs-Gane-108759``."""
    return f"/events/{slugify(ev.name)}-{ev.sherdog_id}"


def profile_src(p: Person) -> str:
    """The profile image path of the fighter page."""
    return images.LARGE_PREFIX + p.image_file if p.image_file else images.DEFAULT_LARGE_PATH


def thumb_src(p: Person) -> str:
    """The search-result thumbnail (``data-original``)."""
    return images.SMALL_PREFIX + p.image_file if p.image_file else images.DEFAULT_SMALL_PATH


def ft_in(inches: int) -> str:
    """``5'10"``."""
    return f"{inches // 12}'{inches % 12}\""


def _head(title: str, path: str | None) -> str:
    canonical = (
        f'<link rel="canonical" href="https://www.sherdog.com{ea(path)}">\n'
        f'<meta property="og:url" content="https://www.sherdog.com{ea(path)}">\n'
        if path
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<link rel="stylesheet" href="/css/new/style.css?v=2733">
<link rel="icon" href="/favicon.ico">
{canonical}</head>
<body>
<div class="container">
<header>
<div class="header-top">
<a class="sherdog-logo" href="/" title="Sherdog - The Authority in MMA"><img src="/img/new/sherdog-logo.svg" alt="Sherdog"></a>
<form class="header-search" method="get" action="/stats/fightfinder">
<input name="SearchTxt" type="text" placeholder="Search fighters" class="search"><input type="submit" value="Go" class="go">
</form>
</div>
<nav class="main-navigation"><ul>{"".join(f'<li><a href="{h}">{t}</a></li>' for t, h in _NAV)}</ul></nav>
</header>
<div class="content">
<div class="col_left">
"""  # noqa: E501


def _sidebar(world: World) -> str:
    items = "".join(
        f'<li><a href="{fighter_path(p)}"><img class="lazy" data-original="{ea(thumb_src(p))}" '
        f'src="{images.DEFAULT_SMALL_PATH}" width="44"/><span>{e(p.name)}</span></a></li>\n'
        for p in world.trending
    )
    return f"""</div>
<div class="col_right">
<div class="module trending">
<div class="module_header"><h2>Trending Fighters</h2></div>
<ul class="trending_fighters">
{items}</ul>
</div>
<div class="module newsletter"><div class="module_header"><h2>Newsletter</h2></div>
<p>Get the latest MMA news in your inbox.</p></div>
</div>
</div>
"""


_FOOTER = """<footer>
<div id="footer">
<div class="footer-about">
Sherdog.com is a property of Evolve Media, LLC.<br/>&copy;2026 All Rights Reserved.<br/>
<a href="/download-mobile-app">Mobile App</a> | <a href="/privacy">Privacy Policy</a> | <a href="/terms">Terms of Use</a> | <a href="/contact" rel="nofollow">Contact</a>
</div>
</div>
</footer>
</div>
<script src="/js/new/main.js?v=2733" defer="defer"></script>
</body>
</html>
"""  # noqa: E501


def page(world: World, title: str, main: str, path: str | None = None) -> str:
    """A full Sherdog page: header, ``main``, trending sidebar, footer."""
    return _head(title, path) + main + _sidebar(world) + _FOOTER


def not_found_page(world: World) -> str:
    """Sherdog answers a missing fighter with status 200 and this page."""
    main = """<div class="module error_page">
<div class="slanted_title"><div>PAGE NOT FOUND</div><div></div></div>
<p>Sorry, the page you are looking for could not be found.</p>
<p><a href="/">Return to the homepage</a></p>
</div>
"""
    return page(world, "Page Not Found", main)


def home_page(world: World) -> str:
    """``/``: a short front page."""
    main = """<div class="module home">
<div class="slanted_title"><div>LATEST</div><div></div></div>
<p><a href="/stats/fightfinder">Fight Finder</a></p>
</div>
"""
    return page(world, "Sherdog.com: UFC, MMA News, Results, Rumors, and Videos", main)
