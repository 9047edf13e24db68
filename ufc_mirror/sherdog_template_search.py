"""The real Sherdog Fight Finder pages, cut into fragments once at import.

``templates/sherdog/fightfinder.html`` is a full results page (20 rows of
``table.new_table.fightfinder_result`` and the ``.pagination`` footer);
``fightfinder_zero.html`` is the same page for a search that found nobody: no results
table, Sherdog's ``div.message.sorry`` "zero records" message in its place. Their chrome
also serves the pages without a real counterpart here (home, "Page Not Found").
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote_plus

from ufc_mirror.sherdog_template import (
    Cut,
    Page,
    Span,
    TemplateError,
    joiner,
    leaks,
    read_template,
)


@dataclass(frozen=True, slots=True)
class SearchTemplate:
    """Every fragment of the Fight Finder page."""

    page: Cut  # og_query query results
    results: Cut  # rows pagination
    zero: str
    row: Cut  # onclick thumb href name nick height weight association
    height: Cut  # value metric  (the real cell: ``<strong>5'8"</strong><br />(1.73 m)``)
    weight: Cut  # value metric
    row_between: str
    pagination: Cut  # prev (the empty ``<span></span>`` slot or a link) next
    prev_slot: str
    next_link: Cut  # href
    prev_link: Cut  # href
    chrome: Cut  # title og_url main  (the same page around another main column)
    title_block: Cut  # title  (a real ``.slanted_title`` box)
    message: Cut  # title text  (the real "sorry" message box)


def _results_span(page: Page) -> tuple[Span, Span]:
    """(the text after the search form's section up to the column's end, the form section)."""
    form = page.one("div.left-module.fight-finder")
    section = form.getparent()
    if section is None or section.tag != "section":
        raise TemplateError(f"template {page.name}: the Fight Finder form is not in a <section>")
    col = page.one("div.col-left")
    return (page.outer(section)[1], page.inner(col)[1]), page.outer(section)


def compile_search(page: Page, zero: Page) -> SearchTemplate:
    """Cut the results page ``page`` and take the zero-records text from ``zero``."""
    region, _ = _results_span(page)
    query = page.one("input#SearchTxt")
    og_url = page.attr(page.one('meta[property="og:url"]'), "content")
    og_query = page.find("SearchTxt=", og_url)[1], og_url[1]
    table = page.one("table.new_table.fightfinder_result")
    rows = page.css("tr[onclick]", table)
    if len(rows) < 2:
        raise TemplateError(f"template {page.name}: fewer than two result rows")
    first = rows[0]
    tds = [td for td in first if td.tag == "td"]
    if len(tds) != 6:
        raise TemplateError(f"template {page.name}: the first result row has {len(tds)} cells")
    link = page.one("a", tds[1])
    row = Cut.of(
        page,
        page.outer(first),
        [
            (page.attr(first, "onclick"), "onclick"),
            (page.attr(page.one("img", tds[0]), "data-original"), "thumb"),
            (page.attr(link, "href"), "href"),
            (page.inner(link), "name"),
            (page.inner(tds[2]), "nick"),
            (page.inner(tds[3]), "height"),
            (page.inner(tds[4]), "weight"),
            (page.inner(tds[5]), "association"),
        ],
    )
    sizes = []
    for td, unit in ((tds[3], "m"), (tds[4], "kg")):
        strong = page.one("strong", td)
        metric = page.find(f" {unit})", page.inner(td))[0]
        opening = page.text.rindex("(", page.inner(td)[0], metric) + 1
        sizes.append(
            Cut.of(
                page, page.inner(td), [(page.inner(strong), "value"), ((opening, metric), "metric")]
            )
        )
    holder = table.getparent()
    assert holder is not None
    footer = page.one("div.footer", holder.getparent())
    pag_span = (page.outer(holder)[1], page.outer(footer)[1])
    pager = page.one("span.pagination", footer)
    slot = page.one("span", pager)
    nxt = page.one("a", pager)
    pagination = Cut.of(page, pag_span, [(page.outer(slot), "prev"), (page.outer(nxt), "next")])
    next_link = Cut.of(page, page.outer(nxt), [(page.attr(nxt, "href"), "href")])
    if "Next &raquo;" not in next_link.text:
        raise TemplateError(f"template {page.name}: the pagination link is not 'Next &raquo;'")
    results = Cut.of(
        page,
        region,
        [((page.outer(rows[0])[0], page.outer(rows[-1])[1]), "rows"), (pag_span, "pagination")],
    )
    zero_region, _ = _results_span(zero)
    if not zero.has("div.message.sorry") or "zero records" not in zero.slice(zero_region):
        raise TemplateError(f"template {zero.name}: no 'zero records' message")
    cut = Cut.of(
        page,
        (0, len(page.text)),
        [(og_query, "og_query"), (page.attr(query, "value"), "query"), (region, "results")],
    )
    col = page.one("div.col-left")
    chrome = Cut.of(
        page,
        (0, len(page.text)),
        [(page.inner(page.one("title")), "title"), (og_url, "og_url"), (page.inner(col), "main")],
    )
    said = page.slice(page.attr(query, "value"))
    left = leaks(cut, [said, quote_plus(said)]) + leaks(chrome, [said, quote_plus(said)])
    if left:
        raise TemplateError(f"template {page.name}: the template's own query is still in {left}")
    box = page.one("div.tiled_bg.latest_features", page.one("div.col-left"))
    title_block = Cut.of(
        page, page.outer(box), [(page.inner(page.one(".slanted_title > div", box)), "title")]
    )
    sorry = zero.one("div.message.sorry")
    message = Cut.of(
        zero,
        zero.outer(sorry),
        [(zero.inner(zero.one("h3", sorry)), "title"), (zero.inner(zero.one("p", sorry)), "text")],
    )
    return SearchTemplate(
        page=cut,
        results=results,
        zero=zero.slice(zero_region),
        row=row,
        height=sizes[0],
        weight=sizes[1],
        row_between=joiner(page, rows),
        pagination=pagination,
        prev_slot=page.slice(page.outer(slot)),
        next_link=next_link,
        prev_link=next_link.replace("Next &raquo;", "&laquo; Previous"),
        chrome=chrome,
        title_block=title_block,
        message=message,
    )


SEARCH = compile_search(
    Page(read_template("fightfinder.html"), "fightfinder.html"),
    Page(read_template("fightfinder_zero.html"), "fightfinder_zero.html"),
)
