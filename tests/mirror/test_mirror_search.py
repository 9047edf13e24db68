"""Fight Finder semantics: all words, accents folded, punctuation kept, alphabetical, paging."""

from __future__ import annotations

import datetime as dt

import httpx
from parsel import Selector

from ufc_mirror.model import Person, World
from ufc_mirror.names import fold, sort_key
from ufc_mirror.search import PAGE_SIZE, SearchIndex
from ufc_mirror.server import MirrorHandle


def _p(i: int, name: str, nickname: str | None = None) -> Person:
    return Person(index=i, name=name, nickname=nickname, dob=dt.date(1990, 1, 1),
                  height_in=70, weight_lbs=155, region="usa", birthplace=None,
                  association=None, role="decoy", sherdog_id=1000 + i)  # fmt: skip


INDEX = SearchIndex(
    [
        _p(1, "Brendan O'Reilly"),
        _p(2, "Brendan OReilly"),
        _p(3, "José Aldo"),
        _p(4, "Jose Aldo Junior"),
        _p(5, "Adail Jose Oliveira Silva", "Charles"),
        _p(6, "Charles Oliveira", "do Bronxs"),
        _p(7, "Charles Oliveira"),
        _p(8, "Joanna Jędrzejczyk"),
        _p(9, "Kai Kara-France"),
        _p(10, "Aldo Cruz"),
    ]
)


def names(query: str) -> list[str]:
    return [p.name for p in INDEX.search(query)]


def test_every_word_must_match_anywhere() -> None:
    assert names("jose aldo") == ["José Aldo", "Jose Aldo Junior"]
    assert names("aldo") == ["Aldo Cruz", "José Aldo", "Jose Aldo Junior"]
    assert names("aldo jose junior") == ["Jose Aldo Junior"]
    assert names("ald") == names("aldo")  # substrings match
    assert names("aldo zzz") == []


def test_accent_and_case_insensitive() -> None:
    assert names("JOSÉ") == names("jose")
    assert names("jedrzejczyk") == ["Joanna Jędrzejczyk"]
    assert names("Jędrzejczyk") == ["Joanna Jędrzejczyk"]


def test_punctuation_not_folded() -> None:
    assert names("O'Reilly") == ["Brendan O'Reilly"]
    assert names("OReilly") == ["Brendan OReilly"]
    assert names("Kara-France") == ["Kai Kara-France"]
    assert names("KaraFrance") == []
    assert names("Kara France") == ["Kai Kara-France"]


def test_nickname_matches() -> None:
    assert names("Charles Oliveira") == [
        "Adail Jose Oliveira Silva",
        "Charles Oliveira",
        "Charles Oliveira",
    ]
    assert names("bronx") == ["Charles Oliveira"]


def test_empty_query() -> None:
    assert INDEX.search("") == []
    assert INDEX.search("   ") == []
    assert INDEX.page("", 1) == ([], 0)


def test_world_search_alphabetical_and_paged(small_world: World) -> None:
    index = small_world.search_index()
    hits = index.search("an")
    assert len(hits) > 3 * PAGE_SIZE
    keys = [sort_key(p.name) for p in hits]
    assert keys == sorted(keys)
    page1, pages = index.page("an", 1)
    page2, _ = index.page("an", 2)
    assert page1 == hits[:PAGE_SIZE] and page2 == hits[PAGE_SIZE : 2 * PAGE_SIZE]
    assert pages == (len(hits) + PAGE_SIZE - 1) // PAGE_SIZE
    assert index.page("an", pages + 1)[0] == []
    for p in hits:
        text = fold(f"{p.name} {p.nickname or ''}")
        assert "an" in text


def test_world_search_finds_ufc_fighters(small_world: World) -> None:
    index = small_world.search_index()
    for f in small_world.listed[:120]:
        hits = index.search(f.person.name)
        assert f.person in hits


def _rows(html: str) -> list[Selector]:
    sel = Selector(text=html)
    return sel.css("table.new_table.fightfinder_result tr[onclick]")


def test_search_over_http(mirror: MirrorHandle, http: httpx.Client, small_world: World) -> None:
    url = mirror.sherdog_url + "/stats/fightfinder"
    f = small_world.listed[3]
    r = http.get(url, params={"SearchTxt": f.person.name})
    assert r.status_code == 200
    rows = _rows(r.text)
    ids = [int(tr.css("a::attr(href)").get().rsplit("-", 1)[1]) for tr in rows]
    assert f.person.sherdog_id in ids
    for tr in rows:
        tds = tr.css("td")
        assert len(tds) == 6
        assert tds[0].css("img.lazy::attr(data-original)").get().startswith("/image_crop/100/100/")
        assert tds[0].css("img::attr(src)").get().endswith("fighter_small_default.jpg")
        onclick = tr.attrib["onclick"]
        assert onclick == f"document.location='{tds[1].css('a::attr(href)').get()}';"
    # paging: 20 a page; the real footer has only "Next" (and, past page 1, a previous link)
    r1 = http.get(url, params={"SearchTxt": "an"})
    assert len(_rows(r1.text)) == PAGE_SIZE
    pager = Selector(text=r1.text).css("div.footer span.pagination a::attr(href)").getall()
    assert pager == ["fightfinder?association=&weightclass=&SearchTxt=an&page=2"]
    r2 = http.get(url, params={"SearchTxt": "an", "page": "2"})
    assert _rows(r2.text) and _rows(r2.text)[0].get() != _rows(r1.text)[0].get()
    pager2 = Selector(text=r2.text).css(".pagination a::attr(href)").getall()
    assert [h.rsplit("=", 1)[1] for h in pager2] == ["1", "3"]
    # nothing found (a page past the end, an empty query): no table, the real message
    for params in ({"SearchTxt": "an", "page": "999"}, {"SearchTxt": ""}, {"SearchTxt": "zzqx"}):
        sel = Selector(text=http.get(url, params=params).text)
        assert not sel.css("table.fightfinder_result")
        assert "zero records" in sel.css("div.message.sorry h3::text").get()
        assert sel.css("div.col-left div.left-module.fight-finder")
    # fighter links also appear outside the table (trending sidebar)
    all_links = Selector(text=r1.text).css('a[href^="/fighter/"]::attr(href)').getall()
    table_links = (
        Selector(text=r1.text)
        .css('table.fightfinder_result a[href^="/fighter/"]::attr(href)')
        .getall()
    )
    assert len(all_links) > len(table_links)
