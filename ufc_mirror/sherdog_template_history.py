"""Fight-history sections of the real Sherdog fighter page, cut into fragments.

Each section of the current layout is a ``<section>`` holding a ``div.tiled_bg.latest_features
> .slanted_title`` box (the table's label: FIGHT HISTORY - PRO, - PRO EXHIBITION, - AMATEUR)
followed by ``div.module.fight_history > div.new_table_holder > table.new_table.fighter``.
The first real row of each table is the row template; the play-by-play tail comes from a
real row that has the button, the tail without it from a real row without. A section kind
the page lacks is the real section of another kind (its title is a hole).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from ufc_mirror.sherdog_template import Cut, Page, Span, TemplateError, ancestor, joiner


@dataclass(frozen=True, slots=True)
class RowParts:
    """One fight-history row and its variable parts."""

    row: Cut  # result_class result opp_href opp ev_href ev date method referee tail round time
    between: str
    tail_none: str
    tail_pbp: Cut  # pbp_href


@dataclass(frozen=True, slots=True)
class SectionParts:
    """A ``<section>`` holding one ``.slanted_title`` and one fight-history table."""

    cut: Cut  # title rows
    rows: RowParts


def _row(page: Page, tr: HtmlElement) -> tuple[Cut, str]:
    tds = [td for td in tr if td.tag == "td"]
    if len(tds) != 6:
        raise TemplateError(f"template {page.name}: a fight row has {len(tds)} cells")
    result = page.one("span.final_result", tds[0])
    sub_date = page.one("span.sub_line", tds[2])
    winby = tds[3]
    sub_ref = page.one("span.sub_line", winby)
    tail = (page.outer(sub_ref)[1], page.inner(winby)[1])
    holes = [
        (page.attr(result, "class"), "result_class"),
        (page.inner(result), "result"),
        (page.attr(page.one("a", tds[1]), "href"), "opp_href"),
        (page.inner(page.one("a", tds[1])), "opp"),
        (page.attr(page.one("a", tds[2]), "href"), "ev_href"),
        (page.inner(page.one("a", tds[2])), "ev"),
        (page.inner(sub_date), "date"),
        (page.inner(page.one("b", winby)), "method"),
        (page.inner(sub_ref), "referee"),
        (tail, "tail"),
        (page.inner(tds[4]), "round"),
        (page.inner(tds[5]), "time"),
    ]
    return Cut.of(page, page.outer(tr), holes), page.slice(tail)


def _section_kind(title: str) -> str:
    text = title.upper()
    if "EXHIBITION" in text:
        return "pro_exhibition"
    if "AMATEUR" in text:
        return "amateur"
    return "pro"


def sections(page: Page) -> tuple[Span, dict[str, SectionParts], str]:
    modules = page.css("div.module.fight_history")
    if not modules:
        raise TemplateError(f"template {page.name}: no div.module.fight_history")
    sections = [ancestor(m, "section") for m in modules]
    tails_pbp: list[Cut] = []
    parts: dict[str, tuple[Cut, list[HtmlElement], list[str]]] = {}
    for section in sections:
        title = page.one(".slanted_title > div", section)
        rows = [
            tr
            for tr in page.css("table.new_table.fighter tr", section)
            if "table_head" not in (tr.get("class") or "").split()
        ]
        if not rows:
            raise TemplateError(f"template {page.name}: a fight-history table without rows")
        region = (page.outer(rows[0])[0], page.outer(rows[-1])[1])
        cut = Cut.of(page, page.outer(section), [(page.inner(title), "title"), (region, "rows")])
        tails = []
        for tr in rows:
            tails.append(_row(page, tr)[1])
            pbp = page.css("a.pbp_btn", tr)
            if pbp:
                winby = page.one("td.winby", tr)
                span = (page.outer(page.one("span.sub_line", winby))[1], page.inner(winby)[1])
                tails_pbp.append(Cut.of(page, span, [(page.attr(pbp[0], "href"), "pbp_href")]))
        parts[_section_kind(title.text_content())] = (cut, rows, tails)
    if not tails_pbp:
        raise TemplateError(f"template {page.name}: no row with a play-by-play link")
    longest = max(parts.values(), key=lambda p: len(p[1]))[1]
    out: dict[str, SectionParts] = {}
    for kind, (cut, rows, tails) in parts.items():
        row_cut, _ = _row(page, rows[0])
        plain = [t for t in tails if "pbp_btn" not in t]
        between = joiner(page, rows if len(rows) > 1 else longest)
        out[kind] = SectionParts(
            cut, RowParts(row_cut, between, plain[0] if plain else "", tails_pbp[0])
        )
    for kind, donors in (
        ("pro_exhibition", ("amateur", "pro")),
        ("amateur", ("pro_exhibition", "pro")),
    ):
        if kind not in out:
            out[kind] = out[next(d for d in donors if d in out)]
    span = (page.outer(sections[0])[0], page.outer(sections[-1])[1])
    return span, out, joiner(page, sections)
