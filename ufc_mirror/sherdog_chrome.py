"""Sherdog paths, escaping, robots.txt and the pages without a data template.

The chrome itself (head, scripts, navigation, sidebars with their trending fighters,
comments, ads, footer) is the real site's, kept byte for byte in ``templates/sherdog/``;
the "Page Not Found" and home pages put a short main column into the Fight Finder page's
chrome (no real copy of those two pages is at hand). Links are relative, as on the site.
"""

from __future__ import annotations

from functools import lru_cache

from ufc_mirror import images
from ufc_mirror.model import Event, Person, World
from ufc_mirror.names import slugify
from ufc_mirror.sherdog_template import e, ea
from ufc_mirror.sherdog_template_search import SEARCH

__all__ = [
    "ROBOTS",
    "e",
    "ea",
    "event_path",
    "fighter_path",
    "ft_in",
    "home_page",
    "not_found_page",
    "page",
    "profile_src",
    "slug",
    "thumb_src",
]

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
    )
    + "User-agent: *\nDisallow: /forums/search\nDisallow: /forums/private\n"
    "Disallow: /ajax/\nDisallow: /login\nAllow: /\n"
)
NOT_FOUND_TITLE = "Page Not Found"


slug = lru_cache(maxsize=1 << 17)(slugify)


def fighter_path(p: Person) -> str:
    """``/fighter/First-Last-123``."""
    return f"/fighter/{slug(p.name)}-{p.sherdog_id}"


def event_path(ev: Event) -> str:
    """``/events/UFC-321-Aspinall-vs-Gane-108759``."""
    return f"/events/{slug(ev.name)}-{ev.sherdog_id}"


def profile_src(p: Person) -> str:
    """The profile image path of the fighter page."""
    return images.LARGE_PREFIX + p.image_file if p.image_file else images.DEFAULT_LARGE_PATH


def thumb_src(p: Person) -> str:
    """The search-result thumbnail (``data-original``)."""
    return images.SMALL_PREFIX + p.image_file if p.image_file else images.DEFAULT_SMALL_PATH


def ft_in(inches: int) -> str:
    """``5'10"``."""
    return f"{inches // 12}'{inches % 12}\""


def page(world: World, title: str, main: str, path: str | None = None) -> str:
    """The real chrome around ``main`` (the left column) with ``title`` (text, escaped)."""
    return SEARCH.chrome.fill(
        {"title": e(title), "og_url": ea(f"//www.sherdog.com{path or '/'}"), "main": main}
    )


_NOT_FOUND_MAIN = (
    "\n"
    + SEARCH.title_block.fill({"title": "PAGE NOT FOUND"})
    + "\n"
    + SEARCH.message.fill(
        {
            "title": ":( Sorry, the page you are looking for could not be found.",
            "text": 'It may have been moved or removed. <a href="/">Return to the homepage</a>.',
        }
    )
    + "\n"
)


def not_found_page(world: World) -> str:
    """Sherdog answers a missing fighter with status 200 and this page."""
    return page(world, NOT_FOUND_TITLE, _NOT_FOUND_MAIN)


def home_page(world: World) -> str:
    """``/``: the Fight Finder form in the site's chrome and title."""
    return SEARCH.page.fill({"og_query": "", "query": "", "results": "\n"})
