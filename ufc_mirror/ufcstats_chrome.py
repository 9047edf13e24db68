"""UFCStats page chrome and text formats: the real head/header/footer, home, 404, robots.txt.

The chrome (everything around the page's ``<section>``: doctype, head with its scripts,
header navigation, footer, trailing scripts and comments) is the real event page's
(``templates/ufcstats/event-details.html``), byte for byte; fighter pages and the fighters
list carry the same chrome with the FIGHTERS menu item current. Formats follow the real
site: ``5' 11"``, ``155 lbs.``, ``72.0"`` (list) / ``72"`` (fighter page), ``--`` for
missing values, ``Dec 13, 1996`` and ``Aug. 15, 2026``.
"""

from __future__ import annotations

import datetime as dt
import functools

from ufc_mirror.ufcstats_template import Template, esc, read_template, template_page

HOST = "http://ufcstats.com"
CDN = "http://1e49bc5171d173577ecd-1323f4090557a33db01577564f60846c.r80.cf1.rackcdn.com"
e = esc


def fmt_height(inches: int | None) -> str:
    """``5' 11"`` or ``--``."""
    return "--" if inches is None else f"{inches // 12}' {inches % 12}\""


def fmt_weight(lbs: int | None) -> str:
    """``155 lbs.`` or ``--``."""
    return "--" if lbs is None else f"{lbs} lbs."


def fmt_reach(inches: int | None, decimal: bool) -> str:
    """``72.0"`` (list) / ``72"`` (fighter page) or ``--``."""
    if inches is None:
        return "--"
    return f'{inches:.1f}"' if decimal else f'{inches}"'


def fmt_dob(day: dt.date | None) -> str:
    """``Dec 13, 1996`` or ``--``."""
    return "--" if day is None else day.strftime("%b %d, %Y")


@functools.lru_cache(maxsize=4096)
def fmt_event_date(day: dt.date) -> str:
    """``Aug. 15, 2026`` as on the fighter page."""
    return f"{day:%b}. {day:%d}, {day:%Y}"


def _chrome(name: str) -> tuple[str, str]:
    """(before, after) the first top-level ``<section>`` of a template page."""
    page = template_page(name)
    lo, hi = page.outer(page.one("body > section"))
    return page.text[:lo], page.text[hi:]


def _images() -> tuple[str, Template]:
    """The real belt image and bonus image (``perf.png``, ``fight.png``...) of a bout row."""
    name = "event-details.html"
    page = template_page(name)
    belt = page.one('tr.js-fight-details-click img[src$="/belt.png"]')
    bonus = page.one('tr.js-fight-details-click img[src$="/perf.png"]')
    lo, hi = page.outer(belt)
    return page.text[lo:hi], Template(page, page.outer(bonus), [
        (page.attr(bonus, "src", "perf.png"), "file"),
    ])  # fmt: skip


BELT_IMG, _BONUS_IMG = _images()


def bonus_img(file: str) -> str:
    """The real bonus image markup for ``file`` (``perf.png``, ``fight.png``, ...)."""
    return _BONUS_IMG.render({"file": file})


_CHROME = {"events": _chrome("event-details.html"), "fighters": _chrome("fighter-details.html")}
_HOME = read_template("home.html")
_NOT_FOUND = read_template("not-found.html")


def page(body: str, current: str = "fighters") -> str:
    """A full UFCStats page around ``body`` (a ``<section>``): the real chrome.

    ``current`` is the menu item shown as current: ``fighters`` or ``events``.
    """
    before, after = _CHROME["events" if current == "events" else "fighters"]
    return before + body + after


def not_found() -> str:
    """The body of a 404 answer."""
    return _NOT_FOUND


def home() -> str:
    """``/``: a short landing page linking the fighters list."""
    return _HOME


ROBOTS = "User-agent: *\nDisallow: /admin/\nDisallow: /cgi-bin/\n"
