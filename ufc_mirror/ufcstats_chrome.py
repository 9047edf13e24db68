"""UFCStats page chrome and text formats: head, header, footer, 404, robots.txt.

Formats follow the real site: ``5' 11"``, ``155 lbs.``, ``72.0"`` (list) / ``72"`` (fighter
page), ``--`` for missing values, ``Dec 13, 1996`` and ``Aug. 15, 2026``.
"""

from __future__ import annotations

import datetime as dt
import html

HOST = "http://ufcstats.com"
CDN = "http://1e49bc5171d173577ecd-1323f4090557a33db01577564f60846c.r80.cf1.rackcdn.com"
_FLAG_STYLE = {"win": "green", "loss": "red", "draw": "bordered", "nc": "bordered"}


def e(value: object) -> str:
    """Escape text content (``None`` -> empty); quotes stay literal as on the real site."""
    return "" if value is None else html.escape(str(value), quote=False)


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


def fmt_event_date(day: dt.date) -> str:
    """``Aug. 15, 2026`` as on the fighter page."""
    return f"{day:%b}. {day:%d}, {day:%Y}"


def _head() -> str:
    return """<!DOCTYPE html>
<html class="no-js">
<head>
  <meta charset="utf-8">
  <meta http-equiv="X-UA-Compatible" content="IE=edge">
  <title>
    Stats | UFC
  </title>
  <meta name="description" content="">
  <meta name="viewport" content="">
  <link rel="stylesheet" href="/blocks/main.css?ver=74400">
  <script src="/js/vendor/modernizr-2.6.2.min.js"></script>
</head>
"""


def _header(current: str) -> str:
    items = [("events", "/statistics/events/", "EVENTS &amp; FIGHTS"),
             ("fighters", "/statistics/fighters", "FIGHTERS")]  # fmt: skip
    menu = "".join(
        f"""
          <li class="b-head__item{" b-head__item_state_current" if key == current else ""}">
            <a class="b-head__menu-link" href="{href}">
              {label}
            </a>
          </li>"""
        for key, href, label in items
    )
    return f"""<body class="b-page" data-link="home" style="">
    <header class="b-head">
      <div class="b-head__nav-bar">
  <div class="l-page__container">
    <a class="b-head__logo" href="/">
        <img src="{CDN}/ufc-stats-logo.png" alt="">
    </a>
    <menu class="b-head__menu">{menu}
          <li class="b-head__item">
            <a class="b-head__menu-link" href="http://statleaders.ufc.com" target="_blank">
              STAT LEADERS
            </a>
          </li>
    </menu>
  </div>
</div>
    <div class="b-head__sub-nav">
    </div>
    </header>
"""


_FOOTER = f"""    <footer class="b-foot">
  <div class="b-foot__inner">
    <div class="l-page__container clearfix">
      <div class="b-foot__right">
        <div class="b-foot__list-inner">
          <h4 class="b-foot__list-title">
            Navigation
          </h4>
          <ul class="b-foot__list">
            <li class="b-foot__item">
              <a class="b-foot__link" href="/statistics/events/">
                Events &amp; Fights
              </a>
            </li>
            <li class="b-foot__item">
              <a class="b-foot__link" href="/statistics/fighters">
                Fighters
              </a>
            </li>
          </ul>
        </div>
      </div>
      <div class="b-foot__logo">
        <a href="/">
        <img src="{CDN}/ufc-stats-foot-logo.png" alt="">
        </a>
        <div class="b-foot__copy-inner">
          &copy; All Rights Reserved |
          <a class="b-foot__copy-link" href="https://ufc.com/terms" target="_blank">Terms of Use</a> |
          <a class="b-foot__copy-link" href="https://ufc.com/privacy-policy" target="_blank">Privacy Policy</a>
        </div>
      </div>
    </div>
  </div>
</footer>
<script src="/js/plugins.js"></script>
<script src="/js/main.js?ver=74586"></script>
</body></html>
"""  # noqa: E501


def page(body: str, current: str = "fighters") -> str:
    """A full UFCStats page around ``body``."""
    return _head() + _header(current) + body + _FOOTER


def not_found() -> str:
    """The body of a 404 answer."""
    return page(
        """    <section class="b-statistics__section_details">
      <div class="l-page__container">
        <h2 class="b-content__title">
          <span class="b-content__title-highlight">Page not found</span>
        </h2>
        <p class="b-content__Nickname">The page you requested could not be found.</p>
      </div>
    </section>
""",
        current="",
    )


def home() -> str:
    """``/``: a short landing page linking the fighters list."""
    return page(
        """    <section class="b-statistics__section">
      <div class="l-page__container">
        <h2 class="b-content__title">
          <span class="b-content__title-highlight">UFC Stats</span>
        </h2>
        <p><a class="b-link b-link_style_black" href="/statistics/fighters?char=a&amp;page=all">
          Fighters</a></p>
      </div>
    </section>
""",
        current="",
    )


ROBOTS = "User-agent: *\nDisallow: /admin/\nDisallow: /cgi-bin/\n"
