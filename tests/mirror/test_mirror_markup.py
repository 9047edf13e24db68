"""The served pages carry the real sites' structure (selectors from SELECTORS.md)."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from parsel import Selector

from ufc_mirror.methods import RESULTS
from ufc_mirror.model import World
from ufc_mirror.names import fold
from ufc_mirror.render_ufcstats import fighters_list
from ufc_mirror.seed import SeedBout
from ufc_mirror.server import MirrorHandle
from ufc_mirror.sherdog_chrome import fighter_path
from ufc_mirror.world import build_world

UFC_LINK = re.compile(r"^http://ufcstats\.com/fighter-details/[0-9a-f]{16}$")
Balanced = Callable[[str], None]


def _text(node: Selector) -> str:
    return " ".join("".join(node.css("::text").getall()).split())


def _list_rows(html: str) -> list[Selector]:
    return Selector(text=html).css("table.b-statistics__table tbody tr")


def test_fighters_list(
    mirror: MirrorHandle, http: httpx.Client, small_world: World, balanced: Balanced
) -> None:
    for char, fighters in sorted(small_world.by_letter.items())[:6]:
        html = http.get(f"{mirror.ufcstats_url}/statistics/fighters?char={char}&page=all").text
        balanced(html)
        rows = _list_rows(html)
        assert rows[0].css("td.b-statistics__table-col_type_clear")
        assert len(rows) == len(fighters) + 1
        keys = []
        for tr, f in zip(rows[1:], fighters, strict=True):
            tds = tr.css("td")
            assert len(tds) == 11
            links = tr.css("a.b-link_style_black::attr(href)").getall()
            assert len(links) == 3 and all(UFC_LINK.match(h) for h in links)
            assert links[0].endswith(f.id)
            first, last = _text(tds[0]), _text(tds[1])
            assert (first, last) == (f.first, f.last)
            rec = f.person.record()
            assert [_text(t) for t in tds[7:10]] == [str(rec["win"]), str(rec["loss"]),
                                                    str(rec["draw"])]  # fmt: skip
            ht, wt, reach = (_text(t) for t in tds[3:6])
            assert re.fullmatch(r"\d' \d{1,2}\"|--", ht)
            assert re.fullmatch(r"\d+ lbs\.|--", wt)
            assert re.fullmatch(r"\d+\.0\"|--", reach)
            keys.append((fold(last), fold(first)))
        assert keys == sorted(keys)


def test_empty_letter_renders_the_table(balanced: Balanced) -> None:
    world = build_world(7, letters="q")
    html = fighters_list(world, "a")
    balanced(html)
    rows = _list_rows(html)
    assert len(rows) == 1 and rows[0].css("td.b-statistics__table-col_type_clear")
    assert len(_list_rows(fighters_list(world, "q"))) == len(world.by_letter["q"]) + 1


def test_ufcstats_fighter_page(
    mirror: MirrorHandle, http: httpx.Client, small_world: World, balanced: Balanced
) -> None:
    with_nc = [f for f in small_world.listed if f.person.record()["nc"]]
    titled = [f for f in small_world.listed if any(_title(b) for b in f.bouts)]
    bonused = [f for f in small_world.listed if any(b.bonus for b in f.bouts)]
    seen = {"belt": 0, "bonus": 0}
    for f in small_world.listed[:15] + with_nc[:3] + titled[:2] + bonused[:2]:
        html = http.get(f"{mirror.ufcstats_url}/fighter-details/{f.id}").text
        balanced(html)
        sel = Selector(text=html)
        assert _text(sel.css("span.b-content__title-highlight")[0]) == f.name
        rec = f.person.record()
        record = f"Record: {rec['win']}-{rec['loss']}-{rec['draw']}"
        if rec["nc"]:
            record += f" ({rec['nc']} NC)"
        assert _text(sel.css("span.b-content__title-record")[0]) == record
        assert _text(sel.css("p.b-content__Nickname")[0]) == (f.nickname or "")
        box = sel.css("ul.b-list__box-list")[0].css("li.b-list__box-list-item_type_block")
        labels = [_text(li.css("i.b-list__box-item-title")[0]) for li in box]
        assert labels == ["Height:", "Weight:", "Reach:", "STANCE:", "DOB:"]
        dob = " ".join(li for li in box[4].css("::text").getall()[2:]).strip()
        assert re.fullmatch(r"[A-Z][a-z]{2} \d{2}, \d{4}|--", dob)
        rows = sel.css("tr.b-fight-details__table-row__hover.js-fight-details-click")
        assert len(rows) == len(f.bouts)
        for tr, b in zip(rows, f.bouts, strict=True):
            assert tr.attrib["data-link"] == f"http://ufcstats.com/fight-details/{b.id}"
            assert tr.attrib["onclick"] == f"doNav('{tr.attrib['data-link']}')"
            tds = tr.css("td")
            assert len(tds) == 10
            result = RESULTS[b.red_outcome if b.red_id == f.id else b.blue_outcome]
            assert _text(tds[0].css("i.b-flag__text")[0]) == result
            # as on the real fighter pages: a win green, any other result bordered
            flag = tds[0].css("a.b-flag::attr(class)").get().split()
            assert flag[1] == ("b-flag_style_green" if result == "win" else "b-flag_style_bordered")
            people = tds[1].css("a.b-link_style_black::attr(href)").getall()
            assert len(people) == 2 and people[0].endswith(f.id)
            for cell in tds[2:6]:
                assert len(cell.css("p.b-fight-details__table-text")) == 2
            ev = tds[6].css("a.b-link_style_black::attr(href)").get()
            assert ev == f"http://ufcstats.com/event-details/{b.event_id}"
            date = _text(tds[6].css("p")[1])
            assert re.fullmatch(r"[A-Z][a-z]{2}\. \d{2}, \d{4}", date)
            belt = tds[6].css("p")[1].css('img[src$="/belt.png"]')  # before the date
            assert bool(belt) == _title(b)
            assert len(tds[7].css("p")) == 2
            bonus = tds[7].css("p")[0].css("img")  # after the method
            assert bool(bonus) == bool(b.bonus)
            seen["belt"] += bool(belt)
            seen["bonus"] += bool(bonus)
            assert re.fullmatch(r"\d+:\d{2}", _text(tds[9]))
    assert seen["belt"] and seen["bonus"]


def _title(b: SeedBout) -> bool:
    return "Title Bout" in b.type_verbose


def test_sherdog_fighter_page(
    mirror: MirrorHandle, http: httpx.Client, small_world: World, balanced: Balanced
) -> None:
    persons = [f.person for f in small_world.listed[:20]]
    persons += [d for f in small_world.listed[:5] for d in small_world.decoys_of[f.id]]
    persons += [p for p in small_world.persons.values() if len({r.section for r in p.fights}) > 1][
        :5
    ]
    for p in persons:
        html = http.get(mirror.sherdog_url + fighter_path(p)).text
        balanced(html)
        sel = Selector(text=html)
        info = sel.css("div.module.bio_fighter.vcard > div.fighter-info")
        assert len(info) == 1
        assert info.css(".fighter-line1 h1[itemprop=name] span.fn::text").get() == p.name
        if p.nickname:
            assert sel.css(".fighter-line2 span.nickname em::text").get() == p.nickname
        else:
            assert sel.css(".fighter-line2 span.nickname_empty")
        assert sel.css("img.profile-image.photo[itemprop=image]::attr(src)").get()
        assert sel.css("strong[itemprop=nationality]::text").get()
        dob = sel.css(".bio-holder span[itemprop=birthDate]::text").get()
        assert dob == (f"{p.dob:%b} {p.dob.day}, {p.dob.year}" if p.dob else "N/A")
        if p.height_in:
            assert re.fullmatch(r"\d'\d{1,2}\"", sel.css("b[itemprop=height]::text").get())
        if p.weight_lbs:
            assert sel.css("b[itemprop=weight]::text").get() == f"{p.weight_lbs} lbs"
        assert sel.css('.association-class a[href*="weightclass="]::text').get()
        rec = p.record()
        win = sel.css(".winloses.win span::text").getall()
        lose = sel.css(".winloses.lose span::text").getall()
        assert (int(win[1]), int(lose[1])) == (rec["win"], rec["loss"])
        draws = sel.css(".winloses.draws span::text").getall()
        assert (int(draws[1]) if draws else 0) == rec["draw"]
        nc = sel.css(".winloses.nc span::text").getall()
        assert (int(nc[1]) if nc else 0) == rec["nc"]
        counted = {"win": 0, "loss": 0, "draw": 0, "nc": 0}
        for module in sel.css("div.module.fight_history"):
            # the title box is the section's own, just before the module (real layout)
            title = module.xpath(
                "preceding-sibling::div[contains(@class,'latest_features')][1]"
                "/div[contains(@class,'slanted_title')]/div[1]/text()"
            ).get()
            assert title in {"FIGHT HISTORY - PRO", "FIGHT HISTORY - PRO EXHIBITION",
                             "FIGHT HISTORY - AMATEUR"}  # fmt: skip
            rows = module.css("table.new_table.fighter tr:not(.table_head)")
            section = {"FIGHT HISTORY - PRO": "pro", "FIGHT HISTORY - AMATEUR": "amateur"}.get(
                title, "pro_exhibition"
            )
            expected = p.section_fights(section)
            assert len(rows) == len(expected)
            for tr, fight in zip(rows, expected, strict=True):
                tds = tr.css("td")
                assert len(tds) == 6
                span = tds[0].css("span.final_result")
                cls = span.attrib["class"].split()[-1]
                assert cls == ("no_contest" if fight.result == "nc" else fight.result)
                opp = tds[1].css("a::attr(href)").get()
                assert opp.endswith(f"-{fight.opponent.sherdog_id}")
                assert tds[2].css('a[href^="/events/"]')
                date = tds[2].css("span.sub_line::text").get()
                assert re.fullmatch(r"[A-Z][a-z]{2} / \d{2} / \d{4}", date)
                assert tds[3].css("b::text").get() == fight.method
                assert tds[3].css("span.sub_line")
                if section == "pro":
                    counted[fight.result] += 1
        assert counted == rec


def test_list_record_equals_sherdog_record(
    mirror: MirrorHandle, http: httpx.Client, small_world: World
) -> None:
    char, fighters = max(small_world.by_letter.items(), key=lambda kv: len(kv[1]))
    rows = _list_rows(http.get(f"{mirror.ufcstats_url}/statistics/fighters?char={char}").text)
    for tr, f in list(zip(rows[1:], fighters, strict=True))[:12]:
        w, lo, d = (int(_text(t)) for t in tr.css("td")[7:10])
        sel = Selector(text=http.get(mirror.sherdog_url + fighter_path(f.person)).text)
        pro = sel.xpath(
            '//section[.//div[text()="FIGHT HISTORY - PRO"]]'
            "//div[contains(@class,'fight_history')]//span[contains(@class,'final_result')]/@class"
        ).getall()
        results = [c.split()[-1] for c in pro]
        assert (w, lo, d) == (results.count("win"), results.count("loss"), results.count("draw"))


def test_no_truth_in_pages(mirror: MirrorHandle, http: httpx.Client, small_world: World) -> None:
    f = next(f for f in small_world.listed if f.variants)
    pages = [
        http.get(f"{mirror.ufcstats_url}/fighter-details/{f.id}"),
        http.get(mirror.sherdog_url + fighter_path(f.person)),
        http.get(mirror.sherdog_url + "/stats/fightfinder", params={"SearchTxt": f.last}),
    ]
    for r in pages:
        low = r.text.lower()
        for word in ("mirror", "decoy", "namesake", "synthetic", "truth", "variant", "seed"):
            assert word not in low
        assert "mirror" not in " ".join(r.headers.values()).lower()
        assert r.headers["server"] in ("nginx", "cloudflare")
