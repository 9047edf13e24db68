"""Sherdog parsers on real pages (Tom Aspinall, Fight Finder, a pre-2022 page) and shells."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from ufc_pipeline.parsing.errors import BlockedPage, PageNotFound, ParseError
from ufc_pipeline.parsing.records import SherdogFight, SherdogSearchResult
from ufc_pipeline.parsing.sherdog import (
    event_id_from_path,
    fighter_id_from_path,
    parse_fighter_page,
    parse_search_results,
    section_of,
)

SHERDOG = Path(__file__).resolve().parent.parent / "fixtures" / "sherdog"


def _read(name: str) -> str:
    return (SHERDOG / name).read_text(encoding="utf-8")


def _replace_once(html: str, old: str, new: str) -> str:
    assert html.count(old) == 1, f"fixture changed: {old!r} occurs {html.count(old)} times"
    return html.replace(old, new)


# ---------------------------------------------------------------- ids


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/fighter/Tom-Aspinall-65231", 65231),
        ("https://www.sherdog.com/fighter/Tom-Aspinall-65231", 65231),
        ("http://127.0.0.1:8802/fighter/Whatever-Slug-65231?x=1#top", 65231),
        ("fighter/Ciryl-Gane-293973", None),  # not a /fighter/ path
        ("/fighter/Ciryl-Gane-293973/", 293973),
        ("/fighter/Adail-Jose-Oliveira-Silva-158789", 158789),
        ("/events/UFC-321-Aspinall-vs-Gane-108759", None),
        ("/fighter/Tom-Aspinall", None),
        (None, None),
    ],
)
def test_fighter_id_from_path(href: str | None, expected: int | None) -> None:
    assert fighter_id_from_path(href) == expected


def test_event_id_from_path() -> None:
    assert event_id_from_path("/events/UFC-321-Aspinall-vs-Gane-108759") == 108759
    assert event_id_from_path("https://www.sherdog.com/events/FS-FightStars-3-13577") == 13577
    assert event_id_from_path("/fighter/Tom-Aspinall-65231") is None


# ---------------------------------------------------------------- Fight Finder


def test_search_charles_oliveira() -> None:
    results = parse_search_results(_read("search_charles_oliveira.html"), source="s.html")
    assert [r.sherdog_id for r in results] == [158789, 30300, 159485]
    assert results[0] == SherdogSearchResult(
        sherdog_id=158789,
        name="Adail Jose Oliveira Silva",
        nickname="Charles",
        height_in=68.0,
        weight_lbs=145.0,
        association="Eduardo Team",
        path="/fighter/Adail-Jose-Oliveira-Silva-158789",
        thumbnail_path="/image_crop/100/100/_images/fighter/20161102102547_img.JPG",
    )
    third = results[2]
    assert (third.name, third.nickname) == ("Charles Oliveira", "One Punch")
    assert (third.height_in, third.weight_lbs) == (70.0, 170.0)
    assert results[1].association == "Chute Boxe Diego Lima / Gold Team"
    assert results[1].nickname == "do Bronxs"


def test_search_patricio_pitbull_default_thumbnail() -> None:
    results = parse_search_results(_read("search_patricio_pitbull.html"))
    assert [(r.name, r.sherdog_id) for r in results] == [
        ("Douglas Patricio", 311477),
        ("Maicon Patricio de Jesus", 361937),
        ("Patricio Freire", 9960),
        ("Patricio Lima", 238127),
    ]
    assert {r.nickname for r in results} == {"Pitbull"}
    assert results[1].thumbnail_path == "/image_crop/100/100/_images/fighter_small_default.jpg"
    assert (results[2].height_in, results[2].weight_lbs) == (66.0, 146.0)


def test_search_thumbnail_falls_back_to_src_and_empty_cells_are_none() -> None:
    html = _read("search_charles_oliveira.html")
    html = _replace_once(
        html,
        'data-original="/image_crop/100/100/_images/fighter/20161102102547_img.JPG" ',
        "",
    )
    html = _replace_once(html, "<td>Eduardo Team</td>", "<td> </td>")
    html = _replace_once(html, '<td>"Charles"</td>', "<td></td>")
    first = parse_search_results(html)[0]
    assert first.thumbnail_path == "/image_crop/100/100/_images/fighter_small_default.jpg"
    assert first.association is None and first.nickname is None


def test_search_full_page_reads_only_the_results_table() -> None:
    page = _read("search_full_shell.html")
    assert len(re.findall(r'href="[^"]*/fighter/', page)) > 3 + 5  # sidebar links exist
    assert parse_search_results(page) == parse_search_results(_read("search_charles_oliveira.html"))


def test_search_with_only_the_head_row_is_empty() -> None:
    html, removed = re.subn(
        r"<tr onclick=.*?</tr>", "", _read("search_charles_oliveira.html"), flags=re.S
    )
    assert removed == 3
    assert parse_search_results(html) == []


def test_search_without_results_table() -> None:
    with pytest.raises(ParseError) as err:
        parse_search_results(_read("fighter_tom_aspinall.html"), source="aspinall.html")
    assert not isinstance(err.value, BlockedPage)
    assert (err.value.page_kind, err.value.source) == ("sherdog-search", "aspinall.html")
    assert "table.fightfinder_result not found" in str(err.value)


# ---------------------------------------------------------------- fighter page


def test_aspinall_info_block() -> None:
    f = parse_fighter_page(_read("fighter_tom_aspinall.html"), sherdog_id=65231)
    assert (f.sherdog_id, f.name, f.nickname) == (65231, "Tom Aspinall", None)
    assert f.birth_date == dt.date(1993, 4, 11)
    assert (f.wins, f.losses, f.draws, f.no_contests) == (15, 3, 0, 1)
    assert (f.nationality, f.birthplace) == ("England", "Salford, Lancashire")
    assert (f.height_in, f.weight_lbs) == (77.0, 255.0)
    assert (f.association, f.weight_class) == ("Aspinall BJJ", "Heavyweight")
    assert f.image_path == "/image_crop/200/300/_images/fighter/20220401020925_Tom_Aspinall_ff.JPG"


def test_aspinall_fight_history() -> None:
    fights = parse_fighter_page(_read("fighter_tom_aspinall.html")).fights
    assert [f.section for f in fights] == ["pro"] * 19 + ["amateur"] * 3
    assert fights[0] == SherdogFight(
        section="pro",
        result="nc",
        opponent_name="Ciryl Gane",
        opponent_id=293973,
        event_name="UFC 321 - Aspinall vs. Gane",
        event_id=108759,
        date=dt.date(2025, 10, 25),
        method="No Contest (Accidental Eye Poke)",
        referee="Jason Herzog",
        round=1,
        time="4:35",
    )
    pro = fights[:19]
    assert sum(f.result == "win" for f in pro) == 15
    assert sum(f.result == "loss" for f in pro) == 3
    # a row whose event link has no itemprop=award span
    blaydes = pro[4]
    assert (blaydes.result, blaydes.opponent_id, blaydes.event_id) == ("loss", 172939, 92906)
    assert blaydes.event_name == "UFC Fight Night 208 - Blaydes vs. Aspinall"
    assert (blaydes.method, blaydes.referee, blaydes.time) == (
        "TKO (Knee Injury)",
        "Herb Dean",
        "0:15",
    )
    dq = pro[13]
    assert (dq.method, dq.referee, dq.round, dq.date) == (
        "DQ (Illegal Downward Elbow)",
        "Paul Nicholls",
        2,
        dt.date(2016, 5, 14),
    )
    assert [f.date for f in pro] == sorted((f.date for f in pro), reverse=True)  # newest first
    assert all("PLAY-BY-PLAY" not in (f.referee or "") for f in fights)


def test_aspinall_amateur_referees() -> None:
    amateur = parse_fighter_page(_read("fighter_tom_aspinall.html")).fights[19:]
    assert [(f.opponent_name, f.opponent_id, f.referee) for f in amateur] == [
        ("Liam Cawley", 164733, None),
        ("Tom Bankevic", 141955, None),
        ("Alan Harper", 65232, "Lee Hasdell"),
    ]
    assert amateur[2].event_name == "FS - Fight-Stars 3"
    assert amateur[2].date == dt.date(2010, 5, 23)


def test_full_page_shell_gives_identical_results() -> None:
    fragment = parse_fighter_page(_read("fighter_tom_aspinall.html"))
    full = parse_fighter_page(_read("fighter_full_shell.html"), source="full.html")
    assert full.sherdog_id == 65231  # from the canonical link
    assert dataclasses.replace(full, sherdog_id=None) == fragment
    assert len(full.fights) == 22
    sidebar_ids = {27944, 76836, 237253, 193741, 30300, 1500}  # trending + footer links
    assert not sidebar_ids & {f.opponent_id for f in full.fights}


def test_table_order_and_labels_follow_the_nearest_title() -> None:
    html = _read("fighter_tom_aspinall.html")
    marker = '<div class="module fight_history">'
    head, pro, amateur = html.split(marker)
    amateur, tail = amateur.split("</body>")
    swapped = head + marker + amateur + marker + pro.rstrip() + "</body>" + tail
    fights = parse_fighter_page(swapped).fights
    assert [f.section for f in fights] == ["amateur"] * 3 + ["pro"] * 19
    assert fights[0].opponent_name == "Liam Cawley"

    exhibition = _replace_once(html, "FIGHT HISTORY - AMATEUR", "FIGHT HISTORY - PRO EXHIBITION")
    assert [f.section for f in parse_fighter_page(exhibition).fights][-3:] == ["pro_exhibition"] * 3


@pytest.mark.parametrize(
    ("title", "section"),
    [
        ("FIGHT HISTORY - PRO", "pro"),
        ("FIGHT HISTORY - PRO EXHIBITION", "pro_exhibition"),
        ("Fight History - Amateur", "amateur"),
        ("UPCOMING FIGHTS", "other"),
        ("", "other"),
    ],
)
def test_section_of(title: str, section: str) -> None:
    assert section_of(title) == section


def test_plain_text_opponent_draws_and_nickname() -> None:
    html = _read("fighter_tom_aspinall.html")
    html = _replace_once(
        html, '<a href="/fighter/Liam-Cawley-164733">Liam Cawley</a>', "Liam Cawley"
    )
    html = _replace_once(
        html,
        '<div class="winloses nc">',
        '<div class="winloses draws"><span>Draws</span><span>2</span></div>'
        '<div class="winloses nc">',
    )
    html = _replace_once(
        html,
        '<span class="nickname_empty"> </span>',
        '<span class="nickname">"<em>Tom</em>"</span>',
    )
    f = parse_fighter_page(html)
    assert (f.fights[19].opponent_name, f.fights[19].opponent_id) == ("Liam Cawley", None)
    assert (f.draws, f.nickname) == (2, "Tom")


def test_unreadable_fight_row_names_section_and_opponent() -> None:
    html = _replace_once(_read("fighter_tom_aspinall.html"), "Jul / 27 / 2024", "someday")
    with pytest.raises(
        ParseError, match=r"pro fight row 2 \(vs Curtis Blaydes\), date: not a date"
    ):
        parse_fighter_page(html, source="a.html")


# ---------------------------------------------------------------- errors


def test_page_not_found() -> None:
    page = (
        "<html><head><title>Page Not Found - Sherdog.com</title></head><body>"
        '<div class="trending"><a href="/fighter/Jon-Jones-27944">Jon Jones</a></div>'
        "<h1>Page Not Found</h1><p>The page you requested could not be found.</p></body></html>"
    )
    with pytest.raises(PageNotFound) as err:
        parse_fighter_page(page, source="https://www.sherdog.com/fighter/Nobody-999999999")
    assert err.value.page_kind == "sherdog-fighter"
    assert err.value.source == "https://www.sherdog.com/fighter/Nobody-999999999"
    assert "Page Not Found" in str(err.value)


def test_old_layout_is_parsed() -> None:
    """Sherdog's pre-2022 layout (czogori's saved page, N/A birth date): values read by eye."""
    f = parse_fighter_page(_read("fighter_without_birthdate.html"), source="old.html")
    assert (f.name, f.nickname, f.birth_date) == ("Mohsen Bahari", "The Professor", None)
    assert (f.wins, f.losses, f.draws, f.no_contests) == (9, 4, 0, 0)
    assert (f.nationality, f.birthplace) == ("Norway", "Oslo")
    assert (f.height_in, f.weight_lbs) == (70.0, 170.0)
    assert (f.association, f.weight_class) == ("Frontline Academy", "Welterweight")
    assert f.image_path == "/image_crop/200/300/_images/fighter/20150221122451_mohsenTemp.JPG"
    assert [x.section for x in f.fights] == ["pro"] * 13
    assert [x.result for x in f.fights].count("win") == 9
    assert f.fights[0] == SherdogFight(
        section="pro",
        result="loss",
        opponent_name="Giovanni Melillo",
        opponent_id=195245,
        event_name="CWFC 83 - Cage Warriors Fighting Championship 83",
        event_id=59889,
        date=dt.date(2017, 5, 6),
        method="KO (Punch)",
        referee="Rich Mitchell",
        round=1,
        time="2:42",
    )
    assert f.fights[-1] == SherdogFight(
        section="pro",
        result="win",
        opponent_name="Jorge Herrera",
        opponent_id=61153,
        event_name="Adrenaline 4 - The New Generation",
        event_id=12860,
        date=dt.date(2010, 2, 13),
        method="Submission (Punches)",
        referee=None,  # printed "N/A"
        round=1,
        time="0:00",
    )


def test_unrelated_page_names_the_missing_name() -> None:
    with pytest.raises(ParseError) as err:
        parse_fighter_page(_read("search_full_shell.html"), source="search.html")
    assert type(err.value) is ParseError
    assert (err.value.page_kind, err.value.source) == ("sherdog-fighter", "search.html")
    assert ".fighter-line1 h1 span.fn" in str(err.value)


# ---------------------------------------------------------------- anti-bot pages as bytes

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"
_SHELL = "<html><head><title>{title}</title></head><body><p>{body}</p></body></html>"
_BLOCK_VARIANTS = [
    ("Sherdog", "an ordinary page"),
    ("Just a\n   MOMENT...", "x"),
    ("Attention Required! | CloudFlare", "x"),
    ("Sherdog", "CHECKING your browser ... var NONCE = 5"),
    ("Sherdog", "<div id='cf-browser-verification'></div>"),
    ("Sherdog", "window._cf_CHL_opt = {}"),
    ("Sherdog", "/cdn-cgi/challenge-platform/h/b/orchestrate"),
    ("Sherdog", "/cdn-cgi/challenge-platform/scripts/jsd/main.js (harmless)"),
    ("Sherdog", "a moment with cloudflare in the body only"),
    # the Kelvin sign lower-cases to "k", the dotless i matches "i" in the title pattern
    ("Sherdog", "chec\u212aing your browser ... var nonce = 5"),
    ("Sherdog", "cf_chl_opt \u0130stanbul"),
    ("Just a moment", "<t\u0131tle>x</t\u0131tle>"),
]


@pytest.mark.parametrize(
    "html",
    [_SHELL.format(title=t, body=b).encode() for t, b in _BLOCK_VARIANTS]
    + [p.read_bytes() for p in sorted(REAL.glob("*sherdog/*/*.html"))],
    ids=[f"variant{i}" for i in range(len(_BLOCK_VARIANTS))]
    + [p.stem for p in sorted(REAL.glob("*sherdog/*/*.html"))],
)
def test_page_bytes_are_refused_exactly_when_detect_block_says_so(html: bytes) -> None:
    """The parsers skip the text check when the bytes show it cannot answer: the outcome
    must be the one of ``detect_block`` on the decoded text, whatever the page."""
    from ufc_pipeline.parsing.blocks import detect_block

    blocked = detect_block(html.decode("utf-8", errors="replace")) is not None
    for parse in (parse_fighter_page, parse_search_results):
        try:
            parse(html)
        except BlockedPage:
            assert blocked
        except (ParseError, PageNotFound):
            assert not blocked
        else:
            assert not blocked
