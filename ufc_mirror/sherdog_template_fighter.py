"""The real Sherdog fighter page, cut into fragments once at import.

``templates/sherdog/fighter.html`` (a full current-layout page: head, scripts, navigation,
sidebars, comments, ads) gives the chrome and every data-bearing node, found with the
parsers' selectors (SELECTORS.md): the ``div.module.bio_fighter.vcard > div.fighter-info``
block, the ``.bio-holder`` rows, ``.association-class``, the ``.winloses`` boxes and meters,
and each ``div.module.fight_history`` section with its ``.slanted_title`` and rows of
``table.new_table.fighter`` (:mod:`ufc_mirror.sherdog_template_history`).
``fighter_nickname_nc.html`` (another real current page) gives
the parts the first page lacks: the nickname line and the N/C box. Parts neither page shows
are cloned from a real sibling (the OTHERS meter from DECISIONS, the Draws box from N/C, a
PRO EXHIBITION or AMATEUR section from another section).

Every mention of the template's own fighter outside those nodes (head title, og: tags, the
JSON-LD block, the "RELATED NEWS" title, the news and gallery ids) is a hole too; import
fails if any is left in the literal fragments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from ufc_mirror.sherdog_template import (
    Cut,
    Page,
    Span,
    TemplateError,
    ancestor,
    leaks,
    read_template,
)
from ufc_mirror.sherdog_template_history import SectionParts, sections

METER_KINDS = ("ko", "sub", "dec", "other")
_METER_TITLES = {"KO / TKO": "ko", "SUBMISSIONS": "sub", "DECISIONS": "dec", "OTHERS": "other"}
_NUMBER = re.compile(r"[0-9][0-9.]*")


@dataclass(frozen=True, slots=True)
class FighterTemplate:
    """Every fragment of the fighter page."""

    page: Cut
    adr: Cut  # locality
    nickname: Cut  # nickname
    nickname_empty: str
    height_row: Cut  # height cm
    weight_row: Cut  # weight kg
    association: Cut  # href name
    weight_class: Cut  # href name
    meters: dict[str, Cut]  # pl style pr
    meter_between: str
    box_lead: str
    nc_box: Cut  # count
    draws_box: Cut  # count
    award: Cut  # name
    referee_link: Cut  # href name
    sections: dict[str, SectionParts]
    section_between: str
    subject: dict[str, str]  # the template fighter's own name, nickname, slug, id, image
    originals: dict[str, str]  # the template's own text of each page hole


def _number(page: Page, span: Span, unit: str) -> Span:
    """The number written just before `` <unit>`` inside ``span``."""
    lo, _ = page.find(f" {unit}", span)
    found = [m for m in _NUMBER.finditer(page.text, span[0], lo) if m.end() == lo]
    if not found:
        raise TemplateError(f"template {page.name}: no number before {unit!r}")
    return found[0].start(), found[0].end()


def display(name: str, nickname: str | None) -> str:
    """``First "Nick" Rest`` as the head title writes a fighter with a nickname."""
    if not nickname:
        return name
    first, _, rest = name.partition(" ")
    return f'{first} "{nickname}" {rest}'.rstrip()


def _meters(page: Page, box: HtmlElement) -> tuple[Span, dict[str, Cut], str]:
    titles = page.css(".meter-title", box)
    meters = page.css(".meter", box)
    if not titles or len(titles) != len(meters):
        raise TemplateError(f"template {page.name}: meters of .{box.get('class')} unreadable")
    cuts: dict[str, Cut] = {}
    for title, meter in zip(titles, meters, strict=True):
        kind = _METER_TITLES.get(" ".join(title.text_content().split()))
        if kind is None:
            raise TemplateError(f"template {page.name}: unknown meter {title.text_content()!r}")
        holes = [
            (page.inner(page.one(".pl", meter)), "pl"),
            (page.attr(page.one(".slanted_box", meter), "style"), "style"),
            (page.inner(page.one(".pr", meter)), "pr"),
        ]
        cuts[kind] = Cut.of(page, (page.outer(title)[0], page.outer(meter)[1]), holes)
    between = (
        page.text[page.outer(meters[0])[1] : page.outer(titles[1])[0]] if len(titles) > 1 else "\n"
    )
    span = (page.outer(titles[0])[0], page.outer(meters[-1])[1])
    return span, cuts, between


def _subject(page: Page) -> dict[str, str]:
    name = " ".join(page.one(".fighter-line1 h1[itemprop=name] span.fn").text_content().split())
    nick = page.css(".fighter-line2 span.nickname em")
    url = page.text[slice(*page.attr(page.one('meta[property="og:url"]'), "content"))]
    m = re.search(r"/fighter/((?:[^/]*-)?(\d+))$", url)
    if m is None:
        raise TemplateError(f"template {page.name}: og:url {url!r} is not a fighter URL")
    img = page.text[slice(*page.attr(page.one("img.profile-image.photo"), "src"))]
    return {
        "name": name,
        "nickname": nick[0].text_content() if nick else "",
        "slug": m.group(1),
        "id": m.group(2),
        "image": img.rsplit("/", 1)[-1],
    }


def compile_fighter(page: Page, extra: Page) -> FighterTemplate:
    """Cut ``page`` (the chrome and most parts) and take the rest from ``extra``."""
    sub = _subject(page)
    holes: list[tuple[Span, str]] = []

    def hole(span: Span, key: str) -> None:
        holes.append((span, key))

    def css_attr(selector: str, attr: str, key: str) -> None:
        hole(page.attr(page.one(selector), attr), key)

    # head and the other mentions of the template's own fighter
    shown = display(sub["name"], sub["nickname"] or None)
    title = page.inner(page.one("title"))
    hole(page.find(shown.replace('"', "&quot;"), title), "title_name")
    hole(
        page.find(shown, page.attr(page.one('meta[property="og:title"]'), "content")),
        "og_title_name",
    )
    css_attr('meta[property="og:image"]', "content", "og_image")
    css_attr('meta[property="og:url"]', "content", "og_url")
    css_attr('link[rel="next"]', "href", "news_url_head")
    hole(page.find(sub["id"], page.find(f"'fighter-{sub['id']}'", (0, len(page.text)))), "page_id")
    css_attr('meta[itemprop="name"]', "content", "meta_name")
    css_attr('meta[itemprop="description"]', "content", "meta_description")
    hole(page.inner(page.one('script[type="application/ld+json"]')), "json_ld")
    news = [
        d
        for d in page.css(".slanted_title > div")
        if d.text_content().strip() == f"{sub['name'].upper()} RELATED NEWS"
    ]
    if news:
        hole(page.find(sub["name"].upper(), page.inner(news[0])), "news_name")
    for i, a in enumerate(page.css(f'a[href$="/fighter/news/{sub["slug"]}"]')):
        hole(page.attr(a, "href"), f"news_url_{i}")
    gallery = page.find(f"[nggallery id={sub['id']} ", (0, len(page.text)))
    hole(page.find(sub["id"], gallery), "gallery_id")
    for i, div in enumerate(page.css("div.OUTBRAIN[data-src]")):
        hole(page.attr(div, "data-src"), f"outbrain_{i}")

    # the fighter-info block
    info = page.one("div.module.bio_fighter.vcard > div.fighter-info")
    page.check(info)
    photo = page.one("img.profile-image.photo[itemprop=image]", info)
    hole(page.attr(photo, "src"), "img_src")
    hole(page.attr(photo, "alt"), "img_alt")
    hole(page.inner(page.one("strong[itemprop=nationality]", info)), "nationality")
    adr = page.one("span[itemprop=address]", info)
    hole(page.outer(adr), "adr")
    adr_cut = Cut.of(
        page,
        page.outer(adr),
        [(page.inner(page.one("span[itemprop=addressLocality]", adr)), "locality")],
    )
    hole(page.attr(page.one("img.big_flag", info), "src"), "flag")
    hole(page.inner(page.one(".fighter-line1 h1[itemprop=name] span.fn", info)), "name")
    nick_cut, empty = _nickname(page, extra)
    line2 = page.one(".fighter-line2", info)
    nick_node = (
        page.css("span.nickname_empty", line2) or [ancestor(page.one("span.nickname", line2), "h1")]
    )[0]
    hole(page.outer(nick_node), "nickname")
    mobile = page.one("img.profile-image-mobile", info)
    hole(page.attr(mobile, "src"), "mobile_src")
    hole(page.attr(mobile, "alt"), "mobile_alt")
    bio = page.one(".bio-holder", info)
    birth = page.one("span[itemprop=birthDate]", bio)
    hole(page.inner(birth), "birth_date")
    hole(page.inner(page.one("b", ancestor(birth, "td"))), "age")
    sizes = {}
    for key, unit in (("height", "cm"), ("weight", "kg")):
        b = page.one(f"b[itemprop={key}]", bio)
        tr = ancestor(b, "tr")
        hole(page.outer(tr), f"{key}_row")
        sizes[key] = Cut.of(
            page,
            page.outer(tr),
            [(page.inner(b), key), (_number(page, page.inner(ancestor(b, "td")), unit), unit)],
        )
    assoc_box = page.one(".association-class", bio)
    box = page.inner(assoc_box)
    member = page.one("span[itemprop=memberOf]", assoc_box)
    a_start = page.find("ASSOCIATION", box)[0]
    a_end = page.find("<br /><br />", (page.outer(member)[1], box[1]))[1]
    a_link = page.one("a.association", member)
    association = Cut.of(
        page,
        (a_start, a_end),
        [
            (page.attr(a_link, "href"), "href"),
            (page.inner(page.one("span[itemprop=name]", a_link)), "name"),
        ],
    )
    hole((a_start, a_end), "association")
    wc_link = page.one('a[href*="weightclass="]', assoc_box)
    wc_span = (page.find("CLASS", (a_end, box[1]))[0], page.outer(wc_link)[1])
    weight_class = Cut.of(
        page, wc_span, [(page.attr(wc_link, "href"), "href"), (page.inner(wc_link), "name")]
    )
    hole(wc_span, "weight_class")
    hole(page.inner(page.one("span", page.one(".winloses.win", info), nth=1)), "wins")
    hole(page.inner(page.one("span", page.one(".winloses.lose", info), nth=1)), "losses")
    win_span, meters, between = _meters(page, page.one(".wins", info))
    loss_span, loss_meters, _ = _meters(page, page.one(".loses", info))
    for kind, cut in loss_meters.items():
        meters.setdefault(kind, cut)
    if "other" not in meters:
        meters["other"] = meters["dec"].replace(">DECISIONS<", ">OTHERS<")
    hole(win_span, "win_meters")
    hole(loss_span, "loss_meters")
    box_lead, nc_box = _nc_box(page, extra)
    draws_box = nc_box.replace('"winloses nc"', '"winloses draws"').replace(">N/C<", ">Draws<")

    # fight history
    sec_span, history, sec_between = sections(page)
    hole(sec_span, "sections")
    award_span = page.one("span[itemprop=award]")
    award = Cut.of(page, page.outer(award_span), [(page.inner(award_span), "name")])
    ref = page.one('span.sub_line a[href^="/referee/"]')
    referee_link = Cut.of(
        page, page.outer(ref), [(page.attr(ref, "href"), "href"), (page.inner(ref), "name")]
    )
    cut = Cut.of(page, (0, len(page.text)), holes)
    words = [
        sub["slug"],
        sub["name"],
        sub["name"].upper(),
        sub["image"],
        f"fighter-{sub['id']}",
        f"id={sub['id']}",
    ]
    left = leaks(cut, words)
    if left:
        raise TemplateError(f"template {page.name}: the template's own fighter is still in {left}")
    return FighterTemplate(
        page=cut,
        adr=adr_cut,
        nickname=nick_cut,
        nickname_empty=empty,
        height_row=sizes["height"],
        weight_row=sizes["weight"],
        association=association,
        weight_class=weight_class,
        meters=meters,
        meter_between=between,
        box_lead=box_lead,
        nc_box=nc_box,
        draws_box=draws_box,
        award=award,
        referee_link=referee_link,
        sections=history,
        section_between=sec_between,
        subject=sub,
        originals={key: page.slice(span) for span, key in holes},
    )


def _nickname(page: Page, extra: Page) -> tuple[Cut, str]:
    """The nickname line (``h1 > span.nickname > em``) and the empty one, from either page."""
    cut: Cut | None = None
    empty: str | None = None
    for p in (page, extra):
        line2 = p.one(".fighter-line2")
        if cut is None and p.has("span.nickname em", line2):
            em = p.one("span.nickname em", line2)
            cut = Cut.of(p, p.outer(ancestor(em, "h1")), [(p.inner(em), "nickname")])
        if empty is None and p.has("span.nickname_empty", line2):
            empty = p.slice(p.outer(p.one("span.nickname_empty", line2)))
    if cut is None or empty is None:
        raise TemplateError("no template shows both the nickname line and the empty one")
    return cut, empty


def _nc_box(page: Page, extra: Page) -> tuple[str, Cut]:
    """The ``.winloses.nc`` box and the text before it (after the last loss meter)."""
    for p in (page, extra):
        boxes = p.css(".loses .winloses.nc")
        if boxes:
            nc = boxes[0]
            prev = nc.getprevious()
            lead = p.text[p.outer(prev)[1] : p.outer(nc)[0]] if prev is not None else "\n"
            count = p.one("span", nc, nth=1)
            return lead, Cut.of(p, p.outer(nc), [(p.inner(count), "count")])
    raise TemplateError("no template shows a .winloses.nc box")


FIGHTER = compile_fighter(
    Page(read_template("fighter.html"), "fighter.html"),
    Page(read_template("fighter_nickname_nc.html"), "fighter_nickname_nc.html"),
)
