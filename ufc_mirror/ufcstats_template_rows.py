"""The real UFCStats bout row (``tr.js-fight-details-click``) as a template.

Event pages and fighter pages share it: cell 0 the result flag(s), cell 1 the two fighter
links, cells 2-5 KD/STR/TD/SUB pairs, cell 6 the weight class with its belt/bonus images
(event page) or the event link and date (fighter page), cell 7 method and detail, cells
8-9 round and time. ``onclick`` and ``data-link`` carry the absolute fight URL.

On a fighter page (``cell6="event"``) the row has one flag (no ``<br>``), the belt image
of a title bout stands in the date ``p`` before the date, and the bonus image in the
method ``p`` after the method: both are holes (``c6belt``, ``bonus``), empty on rows
without them, filled with the real fragments :func:`history_images` cuts from the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from lxml.html import HtmlElement

from ufc_mirror.ufcstats_chrome import HOST
from ufc_mirror.ufcstats_template import Page, Span, Template, TemplateError, esc

# the real pages: green for a win, bordered for the rest (an event page shows no loss flag)
FLAG_STYLE = {"win": "green", "loss": "bordered", "draw": "bordered", "nc": "bordered"}
_FIGHTER_KEYS = (("f0href", "f0name"), ("f1href", "f1name"))
_STAT_KEYS = tuple((f"s{k}a", f"s{k}b") for k in range(4))
_CELL6_KEYS = {
    "wc": "c6wc", "href": "c6href", "name": "c6name", "date": "c6date", "belt": "c6belt",
}  # fmt: skip


class FightRow:
    """One bout row: the row template and the flag template of its first cell."""

    __slots__ = ("flag", "row", "sep")

    def __init__(self, row: Template, flag: Template, sep: str) -> None:
        self.row = row
        self.flag = flag
        self.sep = sep

    def render(
        self, *, link: str, flags: Sequence[str], fighters: Sequence[tuple[str, str]],
        stats: Sequence[tuple[str, str]], cell6: Mapping[str, str], method: tuple[str, str],
        rnd: str, time: str, bonus: str = "",
    ) -> str:  # fmt: skip
        """The row: ``flags`` are result words (none for a scheduled bout), ``fighters``
        two (id, name) pairs, ``stats`` four (a, b) pairs, ``cell6`` the pre-escaped values
        of cell 6 (``wc``, or ``href``/``name``/``date``/``belt``), ``bonus`` the markup
        after the method (fighter page)."""
        values = {
            "link": link,
            "flags": self.sep.join(
                self.flag.render({"style": FLAG_STYLE[r], "link": link, "result": r})
                for r in flags
            ),
            "method": esc(method[0]), "detail": esc(method[1]), "round": rnd, "time": time,
            "bonus": bonus,
        }  # fmt: skip
        for (href, name), (fid, text) in zip(_FIGHTER_KEYS, fighters, strict=False):
            values[href] = f"{HOST}/fighter-details/{fid}"
            values[name] = esc(text)
        for (ka, kb), (a, b) in zip(_STAT_KEYS, stats, strict=False):
            values[ka] = esc(a)
            values[kb] = esc(b)
        for key, value in cell6.items():
            values[_CELL6_KEYS[key]] = value
        return self.row.render(values)


def _line_indent(page: Page, at: int) -> str:
    """The line break and indentation in front of offset ``at``."""
    return page.text[page.text.rfind("\n", 0, at) : at]


def _flag(page: Page, td: HtmlElement) -> tuple[Span, Template]:
    """The flag(s) of cell 0: ``p`` to ``<br>`` (event page) or the flag link alone."""
    flag_p = page.one("p", td)
    flag_a = page.one("a.b-flag", flag_p)
    brs = td.xpath("./br")
    span = (page.outer(flag_p)[0], page.outer(brs[0])[1]) if brs else page.outer(flag_a)
    style = flag_a.get("class").rsplit("_style_", 1)[1]
    style_end = page.attr(flag_a, "class", f"_style_{style}")[1]
    return span, Template(page, span, [
        ((style_end - len(style), style_end), "style"), (page.attr(flag_a, "href"), "link"),
        (page.lead_of(page.one("i.b-flag__text", flag_a)), "result"),
    ])  # fmt: skip


def _date_cut(page: Page, p: HtmlElement) -> tuple[Span, Span]:
    """(belt, date) of the date ``p``: the belt from the line break before its image to
    the line break before the date (empty there when the row has no belt)."""
    lo, hi = page.inner(p)
    imgs = p.xpath("./img")
    date = page.strip((page.outer(imgs[-1])[1], hi)) if imgs else page.text_of(p)
    end = page.text.rfind("\n", lo, date[0])
    start = page.text.rfind("\n", lo, page.outer(imgs[0])[0]) if imgs else end
    if start < 0 or end < start:
        raise TemplateError(f"template {page.name}: date cell of line {p.sourceline} uncut")
    return (start, end), date


def _method_cut(page: Page, p: HtmlElement) -> tuple[Span, Span]:
    """(method, bonus) of the method ``p``: the bonus image after the method, or the empty
    span where it would stand (before the ``p``'s last line break)."""
    imgs = p.xpath("./img")
    if imgs:
        return page.lead_of(p), page.outer(imgs[0])
    lo, hi = page.inner(p)
    at = page.text.rfind("\n", lo, hi)
    return page.text_of(p), (at, at)


def _event_cell(page: Page, tds: list[HtmlElement]) -> list[tuple[Span, str]]:
    """Holes of the fighter page's event cell (6) and method cell (7)."""
    a = page.one("a.b-link_style_black", tds[6])
    belt, date = _date_cut(page, tds[6].xpath("./p")[1])
    method_p, detail = tds[7].xpath("./p")
    method, bonus = _method_cut(page, method_p)
    return [
        (page.attr(a, "href"), "c6href"), (page.text_of(a), "c6name"), (belt, "c6belt"),
        (date, "c6date"), (method, "method"), (bonus, "bonus"),
        (page.text_of(detail), "detail"),
    ]  # fmt: skip


def fight_row(page: Page, tr: HtmlElement, cell6: Literal["weight", "event"]) -> FightRow:
    """The template of the real bout row ``tr`` of ``page``."""
    link = tr.get("data-link")
    holes: list[tuple[Span, str]] = [
        (page.attr(tr, "onclick", link), "link"), (page.attr(tr, "data-link"), "link"),
    ]  # fmt: skip
    tds = tr.xpath("./td")
    flag_span, flag = _flag(page, tds[0])
    holes.append((flag_span, "flags"))
    for j, p in enumerate(tds[1].xpath("./p")):
        a = page.one("a.b-link_style_black", p)
        holes += [(page.attr(a, "href"), f"f{j}href"), (page.text_of(a), f"f{j}name")]
    for k, td in enumerate(tds[2:6]):
        first, second = td.xpath("./p")
        holes += [(page.text_of(first), f"s{k}a"), (page.text_of(second), f"s{k}b")]
    if cell6 == "weight":
        method, detail = tds[7].xpath("./p")
        holes += [(page.text_of(page.one("p", tds[6])), "c6wc"),
                  (page.text_of(method), "method"), (page.text_of(detail), "detail")]  # fmt: skip
    else:
        holes += _event_cell(page, tds)
    holes += [
        (page.text_of(page.one("p", tds[8])), "round"),
        (page.text_of(page.one("p", tds[9])), "time"),
    ]  # fmt: skip
    return FightRow(Template(page, page.outer(tr), holes), flag, _line_indent(page, flag_span[0]))


def history_images(page: Page, trs: list[HtmlElement]) -> tuple[str, Template]:
    """From a fighter page's rows ``trs``: the belt fragment of the first title bout (the
    text of its ``c6belt`` hole) and the first bonus image, with a ``file`` hole
    (``perf.png``, ``fight.png``...)."""
    belt = bonus = None
    for tr in trs:
        tds = tr.xpath("./td")
        if belt is None and tds[6].xpath("./p[2]/img"):
            lo, hi = _date_cut(page, tds[6].xpath("./p")[1])[0]
            belt = page.text[lo:hi]
        if bonus is None and tds[7].xpath("./p[1]/img"):
            bonus = tds[7].xpath("./p[1]/img")[0]
    if belt is None or bonus is None:
        raise TemplateError(f"template {page.name}: no row with a belt and a bonus image")
    file = bonus.get("src").rsplit("/", 1)[1]
    return belt, Template(page, page.outer(bonus), [(page.attr(bonus, "src", file), "file")])
