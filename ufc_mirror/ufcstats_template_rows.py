"""The real UFCStats bout row (``tr.js-fight-details-click``) as a template.

Event pages and fighter pages share it: cell 0 the result flag(s), cell 1 the two fighter
links, cells 2-5 KD/STR/TD/SUB pairs, cell 6 the weight class with its belt/bonus images
(event page) or the event link and date (fighter page), cell 7 method and detail, cells
8-9 round and time. ``onclick`` and ``data-link`` carry the absolute fight URL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from lxml.html import HtmlElement

from ufc_mirror.ufcstats_chrome import HOST
from ufc_mirror.ufcstats_template import Page, Span, Template, esc

FLAG_STYLE = {"win": "green", "loss": "red", "draw": "bordered", "nc": "bordered"}
_FIGHTER_KEYS = (("f0href", "f0name"), ("f1href", "f1name"))
_STAT_KEYS = tuple((f"s{k}a", f"s{k}b") for k in range(4))
_CELL6_KEYS = {"wc": "c6wc", "href": "c6href", "name": "c6name", "date": "c6date"}


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
        rnd: str, time: str,
    ) -> str:  # fmt: skip
        """The row: ``flags`` are result words (none for a scheduled bout), ``fighters``
        two (id, name) pairs, ``stats`` four (a, b) pairs, ``cell6`` the pre-escaped values
        of cell 6 (``wc``, or ``href``/``name``/``date``)."""
        values = {
            "link": link,
            "flags": self.sep.join(
                self.flag.render({"style": FLAG_STYLE[r], "link": link, "result": r})
                for r in flags
            ),
            "method": esc(method[0]), "detail": esc(method[1]), "round": rnd, "time": time,
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


def fight_row(page: Page, tr: HtmlElement, cell6: Literal["weight", "event"]) -> FightRow:
    """The template of the real bout row ``tr`` of ``page``."""
    link = tr.get("data-link")
    holes: list[tuple[Span, str]] = [
        (page.attr(tr, "onclick", link), "link"), (page.attr(tr, "data-link"), "link"),
    ]  # fmt: skip
    tds = tr.xpath("./td")
    flag_p, br = page.one("p", tds[0]), page.one("br", tds[0])
    flag_a = page.one("a.b-flag", flag_p)
    style = flag_a.get("class").rsplit("_style_", 1)[1]
    flag_span = (page.outer(flag_p)[0], page.outer(br)[1])
    style_end = page.attr(flag_a, "class", f"_style_{style}")[1]
    flag = Template(page, flag_span, [
        ((style_end - len(style), style_end), "style"), (page.attr(flag_a, "href"), "link"),
        (page.lead_of(page.one("i.b-flag__text", flag_a)), "result"),
    ])  # fmt: skip
    holes.append((flag_span, "flags"))
    for j, p in enumerate(tds[1].xpath("./p")):
        a = page.one("a.b-link_style_black", p)
        holes += [(page.attr(a, "href"), f"f{j}href"), (page.text_of(a), f"f{j}name")]
    for k, td in enumerate(tds[2:6]):
        first, second = td.xpath("./p")
        holes += [(page.text_of(first), f"s{k}a"), (page.text_of(second), f"s{k}b")]
    if cell6 == "weight":
        holes.append((page.text_of(page.one("p", tds[6])), "c6wc"))
    else:
        a = page.one("a.b-link_style_black", tds[6])
        holes += [(page.attr(a, "href"), "c6href"), (page.text_of(a), "c6name"),
                  (page.text_of(tds[6].xpath("./p")[1]), "c6date")]  # fmt: skip
    method, detail = tds[7].xpath("./p")
    holes += [
        (page.text_of(method), "method"), (page.text_of(detail), "detail"),
        (page.text_of(page.one("p", tds[8])), "round"),
        (page.text_of(page.one("p", tds[9])), "time"),
    ]  # fmt: skip
    return FightRow(Template(page, page.outer(tr), holes), flag, _line_indent(page, flag_span[0]))
