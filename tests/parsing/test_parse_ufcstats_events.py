"""UFCStats events list and event-details parsers on real (and anonymised real) pages."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ufc_pipeline.parsing import PAGE_KINDS, parse_file, parse_page
from ufc_pipeline.parsing.errors import BlockedPage, ParseError
from ufc_pipeline.parsing.ufcstats_events import (
    UFCStatsBout,
    UFCStatsEvent,
    UFCStatsEventRow,
    parse_event_page,
    parse_events_list,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
UFC = FIXTURES / "ufcstats"
UFC330_ID = "b96619b3acd7d9da"
UFC330_URL = f"http://ufcstats.com/event-details/{UFC330_ID}"
TURNER_FERNANDES = "d4bd456d70965734"
IMG_HOST = "http://1e49bc5171d173577ecd-1323f4090557a33db01577564f60846c.r80.cf1.rackcdn.com"
TURNER_FLAG = (
    f'<a class="b-flag b-flag_style_green" href="http://ufcstats.com/fight-details/'
    f'{TURNER_FERNANDES}"><i class="b-flag__inner"><i class="b-flag__text">win<i '
    'class="b-flag__corner"></i><i class="b-flag__corner-substrate"></i></i></i></a>'
)
TURNER_ROUND = '<p class="b-fight-details__table-text">\n\n        1\n      </p>'
TURNER_PERF = f'<img style="margin-right:2px;" src="{IMG_HOST}/perf.png" alt="">'

# Same shapes as in test_parse_blocks.py: a Cloudflare challenge and the UFCStats one.
CLOUDFLARE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
</head><body><p>Verifying you are human. This may take a few seconds.</p>
<script>(function(){window._cf_chl_opt={cvId: '3',cZone: "ufcstats.com",cType: 'managed'};
var cpo=document.createElement('script');
cpo.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8f0000000000000a';
document.getElementsByTagName('head')[0].appendChild(cpo);}());</script></body></html>"""
UFCSTATS_CHALLENGE = """<html><head><title>Checking your browser...</title></head><body>
<p>Checking your browser...</p>
<script>var nonce="6b1f0c2d";var target=new Array(4+1).join('0');</script>
</body></html>"""


def _read(name: str) -> str:
    return (UFC / name).read_text(encoding="utf-8")


def _replace_once(html: str, old: str, new: str) -> str:
    assert html.count(old) == 1, f"fixture changed: {old!r} occurs {html.count(old)} times"
    return html.replace(old, new)


def _edit_row(html: str, fight_id: str, *edits: tuple[str, str]) -> str:
    """Apply ``edits`` (each old string occurring once) inside the bout row of ``fight_id``."""
    start = html.rindex("<tr", 0, html.index(f"/fight-details/{fight_id}"))
    end = html.index("</tr>", start) + len("</tr>")
    row = html[start:end]
    for old, new in edits:
        row = _replace_once(row, old, new)
    return html[:start] + row + html[end:]


def _turner(html: str) -> UFCStatsBout:
    bouts = parse_event_page(html, UFC330_URL).bouts
    assert [b.fight_id for b in bouts][2] == TURNER_FERNANDES
    return bouts[2]


# ---------------------------------------------------------------- event page (UFC 330)


UFC330_BOUTS = [
    UFCStatsBout(
        fight_id="365fd759c03e93cf",
        fighter1_id="275aca31f61ba28c",
        fighter1_name="Islam Makhachev",
        fighter2_id="442c9011034ae1fd",
        fighter2_name="Ian Machado Garry",
        result="win",
        weight_class="Welterweight",
        title_fight=True,
        bonuses=[],
        method="U-DEC",
        method_detail=None,
        round=5,
        time="5:00",
    ),
    UFCStatsBout(
        fight_id="4700d42c9869674a",
        fighter1_id="7447e9f28508106a",
        fighter1_name="Mackenzie Dern",
        fighter2_id="38c7f72747f4f712",
        fighter2_name="Gillian Robertson",
        result="win",
        weight_class="Women's Strawweight",
        title_fight=True,
        bonuses=[],
        method="U-DEC",
        method_detail=None,
        round=5,
        time="5:00",
    ),
    UFCStatsBout(
        fight_id=TURNER_FERNANDES,
        fighter1_id="4d8fa64202cee4c1",
        fighter1_name="Jalin Turner",
        fighter2_id="ec13c393d029297d",
        fighter2_name="Kaue Fernandes",
        result="win",
        weight_class="Lightweight",
        title_fight=False,
        bonuses=["performance"],
        method="KO/TKO",
        method_detail="Punches",
        round=1,
        time="0:39",
    ),
]


def test_ufc330_event_page() -> None:
    event = parse_event_page(_read("ufcstats-event-details.html"), source=UFC330_URL)
    assert event == UFCStatsEvent(
        event_id=UFC330_ID,
        name="UFC 330: Makhachev vs. Machado Garry",
        date=dt.date(2026, 8, 15),
        location="Philadelphia, Pennsylvania, USA",
        bouts=UFC330_BOUTS,
    )


def test_event_id_from_argument_source_or_none() -> None:
    html = (UFC / "ufcstats-event-details.html").read_bytes()
    assert parse_event_page(html, "saved.html", event_id="B96619B3ACD7D9DA").event_id == UFC330_ID
    assert parse_event_page(html, f"/raw/event-details/{UFC330_ID}.html").event_id == UFC330_ID
    assert parse_event_page(html, "saved.html").event_id is None
    assert parse_event_page(html).event_id is None


def test_event_record_round_trips_through_json() -> None:
    event = parse_event_page(_read("ufcstats-event-details.html"), UFC330_URL)
    data = json.loads(json.dumps(event.to_dict()))
    assert data["date"] == "2026-08-15"
    assert data["bouts"][2]["bonuses"] == ["performance"]
    back = UFCStatsEvent.from_dict(data)
    assert back == event
    assert isinstance(back.bouts[0], UFCStatsBout) and back.date == dt.date(2026, 8, 15)


def test_parse_file_kinds() -> None:
    assert "ufcstats-events" in PAGE_KINDS and "ufcstats-event" in PAGE_KINDS
    event = parse_file("ufcstats-event", str(UFC / "ufcstats-event-details.html"))
    assert isinstance(event, dict) and json.loads(json.dumps(event)) == event
    assert event["name"] == "UFC 330: Makhachev vs. Machado Garry"
    assert [b["fighter1_name"] for b in event["bouts"]] == [
        "Islam Makhachev",
        "Mackenzie Dern",
        "Jalin Turner",
    ]
    rows = parse_file("ufcstats-events", str(UFC / "ufcstats-events-completed.html"))
    assert isinstance(rows, list) and rows[0]["date"] == "2026-09-12" and rows[0]["upcoming"]
    with pytest.raises(ParseError) as err:
        parse_page("ufcstats-event", _read("ufcstats-events-completed.html"), "events.html")
    assert err.value.page_kind == "ufcstats-event"


# ---------------------------------------------------------------- bout row variants


def test_draw_and_no_contest_flags() -> None:
    html = _read("ufcstats-event-details.html")
    two = '<i class="b-flag__text">{0}<i'
    draw = _edit_row(html, TURNER_FERNANDES, (two.format("win"), two.format("draw")))
    assert _turner(draw).result == "draw"
    nc = _edit_row(html, TURNER_FERNANDES, (two.format("win"), two.format("NC")))
    assert _turner(nc).result == "nc"
    odd = _edit_row(html, TURNER_FERNANDES, (two.format("win"), two.format("loss")))
    assert _turner(odd).result == "unknown"  # fighter1 is not known to be the winner


def test_upcoming_bout_without_flag_method_round_or_time() -> None:
    html = _edit_row(
        _read("ufcstats-event-details.html"),
        TURNER_FERNANDES,
        (TURNER_FLAG, ""),
        ("KO/TKO", ""),
        ("Punches", "--"),
        (TURNER_ROUND, '<p class="b-fight-details__table-text">\n      </p>'),
        ("0:39", ""),
        (TURNER_PERF, ""),
    )
    bout = _turner(html)
    assert (bout.result, bout.method, bout.method_detail, bout.round, bout.time) == (
        "next",
        None,
        None,
        None,
        None,
    )
    assert (bout.fighter1_name, bout.fighter2_name) == ("Jalin Turner", "Kaue Fernandes")
    assert (bout.weight_class, bout.title_fight, bout.bonuses) == ("Lightweight", False, [])


def test_view_matchup_button_is_next() -> None:
    button = (
        f'<a class="b-flag b-flag_style_bordered" href="http://ufcstats.com/fight-details/'
        f'{TURNER_FERNANDES}"><i class="b-flag__inner"><i class="b-flag__text">View<br>'
        "Matchup</i></i></a>"
    )
    html = _edit_row(_read("ufcstats-event-details.html"), TURNER_FERNANDES, (TURNER_FLAG, button))
    assert _turner(html).result == "next"


def test_title_and_every_bonus_image() -> None:
    images = "".join(
        f'<img src="{IMG_HOST}/{stem}.png" alt="">' for stem in ("belt", "fight", "sub", "ko")
    )
    html = _edit_row(
        _read("ufcstats-event-details.html"), TURNER_FERNANDES, (TURNER_PERF, TURNER_PERF + images)
    )
    bout = _turner(html)
    assert bout.title_fight is True
    assert bout.bonuses == ["performance", "fight", "submission", "ko"]
    assert bout.weight_class == "Lightweight"


def test_fight_id_falls_back_to_onclick_then_the_flag_link() -> None:
    data_link = (f' data-link="http://ufcstats.com/fight-details/{TURNER_FERNANDES}"', "")
    onclick = (f" onclick=\"doNav('http://ufcstats.com/fight-details/{TURNER_FERNANDES}')\"", "")
    flag_href = (f' href="http://ufcstats.com/fight-details/{TURNER_FERNANDES}"', "")
    html = _read("ufcstats-event-details.html")
    only_onclick = _edit_row(html, TURNER_FERNANDES, data_link, flag_href)
    assert _turner(only_onclick).fight_id == TURNER_FERNANDES
    only_flag = _edit_row(html, TURNER_FERNANDES, data_link, onclick)
    assert _turner(only_flag).fight_id == TURNER_FERNANDES
    broken_data_link = (data_link[0], ' data-link="http://ufcstats.com/fight-details/"')
    assert _turner(_edit_row(html, TURNER_FERNANDES, broken_data_link, onclick)).fight_id == (
        TURNER_FERNANDES
    )


def test_bad_bout_rows_name_the_row() -> None:
    html = _read("ufcstats-event-details.html")
    bad_round = _edit_row(
        html,
        TURNER_FERNANDES,
        (TURNER_ROUND, '<p class="b-fight-details__table-text">R1</p>'),
    )
    with pytest.raises(ParseError, match=r"bout row 3 \(Jalin Turner vs Kaue Fernandes\), round"):
        parse_event_page(bad_round, "ufc330.html")

    bad_time = _edit_row(html, TURNER_FERNANDES, ("0:39", "39 sec"))
    with pytest.raises(ParseError, match=r"bout row 3 .*time"):
        parse_event_page(bad_time, "ufc330.html")

    one_fighter = _edit_row(
        html,
        TURNER_FERNANDES,
        ('href="http://ufcstats.com/fighter-details/ec13c393d029297d"', 'href="/fighters"'),
    )
    with pytest.raises(ParseError, match=r"bout row 3 \(Jalin Turner\): expected two"):
        parse_event_page(one_fighter, "ufc330.html")

    no_fight_link = html.replace(f"/fight-details/{TURNER_FERNANDES}", "/fight-details/x")
    with pytest.raises(ParseError, match=r"bout row 3 .*no /fight-details/<16 hex>") as err:
        parse_event_page(no_fight_link, "ufc330.html")
    assert err.value.source == "ufc330.html" and err.value.page_kind == "ufcstats-event"


# ---------------------------------------------------------------- event page variants/errors


def test_anonymised_event_header_without_bouts() -> None:
    """balaustrada's event_page1: header + Date/Location, bare flag links, no bout table."""
    event = parse_event_page(_read("event_page1.html"), "event_page1.html")
    assert event == UFCStatsEvent(
        event_id=None,
        name="Event 1: First",
        date=dt.date(2020, 6, 1),
        location="Barcelona, Catalonia, Spain",
        bouts=[],
    )


def test_announced_event_with_an_empty_card() -> None:
    html = _read("ufcstats-event-details.html")
    start = html.index('<tbody class="b-fight-details__table-body">')
    end = html.index("</tbody>", start)
    empty = html[: start + len('<tbody class="b-fight-details__table-body">')] + html[end:]
    event = parse_event_page(empty, UFC330_URL)
    assert (event.event_id, event.date, event.bouts) == (UFC330_ID, dt.date(2026, 8, 15), [])


def test_missing_location_is_none_and_bad_date_is_an_error() -> None:
    html = _read("ufcstats-event-details.html")
    no_location = _replace_once(html, "Philadelphia, Pennsylvania, USA", "")
    assert parse_event_page(no_location).location is None
    bad_date = _replace_once(html, "August 15, 2026", "Augustus 15, 2026")
    with pytest.raises(ParseError, match="Date:.*unknown month"):
        parse_event_page(bad_date, "ufc330.html")


@pytest.mark.parametrize(
    ("name", "missing"),
    [
        (
            "ufcstats-fight-details-finish.html",
            "h2.b-content__title span.b-content__title-highlight",
        ),
        ("ufcstats-events-completed.html", "h2.b-content__title span.b-content__title-highlight"),
        ("../sherdog/fighter_tom_aspinall.html", "span.b-content__title-highlight"),
        ("fighter_page1.html", "fighter page, not an event page"),
        ("fighter_details_constructed.html", "fighter page, not an event page"),
    ],
)
def test_other_pages_are_not_event_pages(name: str, missing: str) -> None:
    source = f"/raw/{name}"
    with pytest.raises(ParseError) as err:
        parse_event_page(_read(name), source)
    assert (err.value.page_kind, err.value.source) == ("ufcstats-event", source)
    assert missing in str(err.value) and "ufcstats-event page /raw/" in str(err.value)


def test_title_without_date_box_is_not_an_event_page() -> None:
    html = _replace_once(_read("event_page1.html"), "Date:", "Born:")
    with pytest.raises(ParseError, match="Date:.* not found"):
        parse_event_page(html, "x.html")


# ---------------------------------------------------------------- events list


EVENTS = [
    UFCStatsEventRow(
        event_id="638cfec7ec559d6e",
        name="Noche UFC: Silva vs. Delgado",
        date=dt.date(2026, 9, 12),
        location="Glendale, Arizona, USA",
        upcoming=True,
    ),
    UFCStatsEventRow(
        event_id="2144954270be834d",
        name="UFC Fight Night: Hooker vs. Parnasse",
        date=dt.date(2026, 9, 5),
        location="Paris, Ile-de-France, France",
        upcoming=False,
    ),
    UFCStatsEventRow(
        event_id="9d61d8cb1c354867",
        name="UFC Fight Night: Nurmagomedov vs. Song",
        date=dt.date(2026, 8, 29),
        location="Shanghai, China",
        upcoming=False,
    ),
    UFCStatsEventRow(
        event_id="a0a69dc9914ef6e1",
        name="UFC Fight Night: Hernandez vs. Rodrigues",
        date=dt.date(2026, 8, 22),
        location="Sacramento, California, USA",
        upcoming=False,
    ),
]


def test_events_list_real_page() -> None:
    rows = parse_events_list((UFC / "ufcstats-events-completed.html").read_bytes(), "events")
    assert rows == EVENTS
    back = [UFCStatsEventRow.from_dict(json.loads(json.dumps(r.to_dict()))) for r in rows]
    assert back == rows


def test_events_after_today_are_upcoming() -> None:
    html = _read("ufcstats-events-completed.html")
    flags = [r.upcoming for r in parse_events_list(html, today=dt.date(2026, 8, 30))]
    assert flags == [True, True, False, False]
    flags = [r.upcoming for r in parse_events_list(html, today=dt.date(2026, 9, 5))]
    assert flags == [True, False, False, False]  # "after today", not "on or after"


def test_each_upcoming_marker_counts() -> None:
    html = _read("ufcstats-events-completed.html")
    type_first = (
        '<tr class="b-statistics__table-row_type_first">',
        '<tr class="b-statistics__table-row">',
    )
    icon = (f'<img src="{IMG_HOST}/next.png" class="b-statistics__icon">', "")
    white = ("b-link_style_white", "b-link_style_black")
    edits = [type_first, icon, white]
    for keep in range(3):
        page = html
        for i, (old, new) in enumerate(edits):
            if i != keep:
                page = _replace_once(page, old, new)
        assert parse_events_list(page)[0].upcoming is True, edits[keep][0]
    for old, new in edits:
        html = _replace_once(html, old, new)
    assert parse_events_list(html)[0].upcoming is False
    assert parse_events_list(html, today=dt.date(2026, 9, 11))[0].upcoming is True


# The balaustrada list is anonymised (http://example.com/event-details/event3) and is bare
# rows without their table: wrap them and give each slug a 16-hex id.
_FAKE_EVENTS = {
    "event3": "http://ufcstats.com/event-details/e000000000000003",
    "event2": "http://www.ufcstats.com/event-details/E000000000000002",
    "event1": "/event-details/e000000000000001",
    "none": "http://127.0.0.1:8801/event-details/e000000000000000/",
    "fail": "http://ufcstats.com/event-details/e00000000000000f?page=all",
}


def _anonymised_events_table() -> str:
    html = _read("event_search_page.html")
    for slug, url in _FAKE_EVENTS.items():
        html = _replace_once(html, f'"http://example.com/event-details/{slug}"', f'"{url}"')
    return f'<table class="b-statistics__table-events"><tbody>{html}</tbody></table>'


def test_anonymised_events_list_variants() -> None:
    rows = parse_events_list(_anonymised_events_table(), "event_search_page.html")
    assert [(r.event_id, r.name, r.date, r.location) for r in rows] == [
        ("e000000000000003", "Event 3: third", dt.date(2020, 9, 2), "Las Vegas, Nevada, USA"),
        ("e000000000000002", "Event 2: second", dt.date(2020, 8, 1), "Paris, France"),
        ("e000000000000001", "Event 1: First", dt.date(2020, 6, 1), "Barcelona, Catalonia, Spain"),
        ("e000000000000000", "Event n: None", dt.date(2020, 6, 1), "Barcelona, Catalonia, Spain"),
        ("e00000000000000f", "Event 0: Fail", dt.date(2020, 6, 1), "Barcelona, Catalonia, Spain"),
    ]
    # the anonymiser copied the first (upcoming) row's markup to every row
    assert all(r.upcoming for r in rows)


def test_anonymised_rows_without_ids_are_errors_with_or_without_table() -> None:
    # Rows saved without their table are still read (they hold every value); what this
    # anonymised file lacks is the 16-hex id, and the error says so.
    bare = _read("event_search_page.html")
    with pytest.raises(
        ParseError, match=r"event row 1 \(Event 3: third\): no /event-details/"
    ) as err:
        parse_events_list(bare, "event_search_page.html")
    assert (err.value.page_kind, err.value.source) == ("ufcstats-events", "event_search_page.html")

    wrapped = f'<table class="b-statistics__table-events"><tbody>{bare}</tbody></table>'
    with pytest.raises(ParseError, match=r"event row 1 \(Event 3: third\): no /event-details/"):
        parse_events_list(wrapped, "event_search_page.html")


def test_rows_without_their_table_are_read() -> None:
    bare = _read("event_search_page.html")
    for n, slug in enumerate(["event3", "event2", "event1", "none", "fail"], start=1):
        bare = bare.replace(
            f"http://example.com/event-details/{slug}",
            f"http://ufcstats.com/event-details/{n:016x}",
        )
    rows = parse_events_list(bare, "event_search_page.html")
    assert [(r.event_id, r.name) for r in rows][:2] == [
        ("0000000000000001", "Event 3: third"),
        ("0000000000000002", "Event 2: second"),
    ]
    assert len(rows) == 5 and all(r.upcoming for r in rows)


def test_events_list_bad_date_names_the_row() -> None:
    html = _replace_once(_read("ufcstats-events-completed.html"), "August 29, 2026", "TBD 2026")
    with pytest.raises(ParseError, match=r"event row 3 \(UFC Fight Night: Nurmagomedov vs. Song\)"):
        parse_events_list(html, "events")


def test_events_list_of_only_the_spacer_row_is_empty() -> None:
    html = _read("ufcstats-events-completed.html")
    start = html.index("<tbody>")
    spacer_end = html.index("</tr>", start) + len("</tr>")
    end = html.index("</tbody>")
    assert parse_events_list(html[:spacer_end] + html[end:]) == []


@pytest.mark.parametrize(
    "name",
    [
        "ufcstats-event-details.html",
        "fighter_search_page.html",
        "../sherdog/fighter_tom_aspinall.html",
    ],
)
def test_other_pages_are_not_events_lists(name: str) -> None:
    with pytest.raises(ParseError) as err:
        parse_events_list(_read(name), f"/raw/{name}")
    assert (err.value.page_kind, err.value.source) == ("ufcstats-events", f"/raw/{name}")
    assert "table.b-statistics__table-events not found" in str(err.value)


# ---------------------------------------------------------------- blocks


@pytest.mark.parametrize(
    ("kind", "parse"),
    [("ufcstats-events", parse_events_list), ("ufcstats-event", parse_event_page)],
)
@pytest.mark.parametrize(
    ("page", "reason"), [(CLOUDFLARE, "cloudflare"), (UFCSTATS_CHALLENGE, "ufcstats-challenge")]
)
def test_anti_bot_pages_raise_blocked_page(
    kind: str, parse: Callable[..., Any], page: str, reason: str
) -> None:
    source = f"http://ufcstats.com/{kind}"
    with pytest.raises(BlockedPage) as err:
        parse(page, source)
    assert (err.value.page_kind, err.value.source) == (kind, source)
    assert reason in str(err.value)
