"""Conditional requests (ETag / Last-Modified / 304) and the mutable world over HTTP."""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from parsel import Selector

from ufc_mirror.methods import OPPOSITE, RESULTS
from ufc_mirror.model import World
from ufc_mirror.mutate import MutationResult, add_event, add_late_fight
from ufc_mirror.render_events import event_page
from ufc_mirror.render_sherdog import fighter_page
from ufc_mirror.render_ufcstats import fighter_details
from ufc_mirror.server import MirrorHandle, start_mirror
from ufc_mirror.sherdog_chrome import fighter_path, profile_src
from ufc_mirror.world import build_world

Validators = dict[str, tuple[str, str]]


@pytest.fixture(scope="module")
def live() -> Iterator[MirrorHandle]:
    """A mirror of its own small world: these tests change it."""
    with start_mirror(build_world(7, fighters=120)) as handle:
        yield handle


def _lm(value: str) -> dt.datetime:
    return email.utils.parsedate_to_datetime(value)


def test_validators_and_304(mirror: MirrorHandle, http: httpx.Client, small_world: World) -> None:
    f = small_world.listed[0]
    urls = [
        f"{mirror.ufcstats_url}/fighter-details/{f.id}",
        f"{mirror.ufcstats_url}/statistics/fighters?char=b&page=all",
        f"{mirror.ufcstats_url}/statistics/events/completed?page=all",
        mirror.sherdog_url + fighter_path(f.person),
        mirror.sherdog_url
        + profile_src(
            next(x.person for x in small_world.listed if x.person.image == "ok")
        ),  # fmt: skip
    ]
    for url in urls:
        r = http.get(url)
        etag, lm = r.headers["etag"], r.headers["last-modified"]
        assert etag.startswith('"') and _lm(lm) <= dt.datetime.now(dt.UTC)
        again = http.get(url)
        assert (again.headers["etag"], again.headers["last-modified"]) == (etag, lm)
        for headers in ({"If-None-Match": etag}, {"If-None-Match": f'"x", W/{etag}'},
                        {"If-None-Match": "*"}, {"If-Modified-Since": lm}):  # fmt: skip
            nm = http.get(url, headers=headers)
            assert nm.status_code == 304 and nm.content == b"", headers
            assert nm.headers["etag"] == etag and "content-length" not in nm.headers
        head = http.head(url, headers={"If-None-Match": etag})
        assert head.status_code == 304
        older = email.utils.format_datetime(_lm(lm) - dt.timedelta(seconds=1), usegmt=True)
        for headers in ({"If-None-Match": '"stale"'}, {"If-Modified-Since": older},
                        {"If-None-Match": '"stale"', "If-Modified-Since": lm}):  # fmt: skip
            full = http.get(url, headers=headers)
            assert full.status_code == 200 and full.content == r.content, headers
    # ETag is a hash of the body; pages differ -> validators differ
    assert len({http.get(u).headers["etag"] for u in urls}) == len(urls)


def _urls(handle: MirrorHandle, world: World) -> list[str]:
    u, s = handle.ufcstats_url, handle.sherdog_url
    out = [u + "/statistics/events/completed?page=all", u + "/statistics/events/completed"]
    out += [f"{u}/statistics/fighters?char={c}&page=all" for c in "abcdefghijklmnopqrstuvwxyz"]
    out += [f"{u}/fighter-details/{f.id}" for f in world.listed]
    out += [f"{s}{fighter_path(f.person)}" for f in world.listed]
    out += [f"{u}/event-details/{e}" for e in sorted(world.bouts_by_event)[-40:]]
    if world.upcoming is not None:
        out.append(f"{u}/event-details/{world.upcoming.id}")
    out += [f"{s}/stats/fightfinder?SearchTxt={f.last}" for f in world.listed[:30]]
    return out


def _fetch(http: httpx.Client, urls: list[str]) -> Validators:
    out = {}
    for url in urls:
        r = http.get(url)
        assert r.status_code == 200, url
        out[url] = (r.headers["etag"], r.headers["last-modified"])
    return out


def _expected(handle: MirrorHandle, result: MutationResult, urls: list[str]) -> set[str]:
    u, s = handle.ufcstats_url, handle.sherdog_url
    paths = {u + p for p in result.ufcstats_paths} | {s + p for p in result.sherdog_paths}
    out = set()
    for url in urls:
        base = url.split("&page=")[0].split("?page=")[0]
        if base in paths:
            out.add(url)
        elif url.startswith(s + "/fighter/"):
            if f"{s}/fighter/{url.rsplit('-', 1)[1]}" in paths:
                out.add(url)
    return out


def _check_change(
    http: httpx.Client, handle: MirrorHandle, urls: list[str], before: Validators,
    result: MutationResult,
) -> None:  # fmt: skip
    world = handle.world
    after = _fetch(http, urls)
    changed = {url for url in urls if after[url][0] != before[url][0]}
    lm_changed = {url for url in urls if after[url][1] != before[url][1]}
    expected = _expected(handle, result, urls)
    new_ids = set(result.new_sherdog_ids)
    maybe = set()  # a search finding a new person may change (if he is on its page)
    for url in urls:
        if "/stats/fightfinder" in url:
            query = url.split("SearchTxt=")[1]
            if {p.sherdog_id for p in world.search_index().search(query)} & new_ids:
                maybe.add(url)
    assert changed - maybe == expected
    assert lm_changed == changed
    for url in changed:
        assert _lm(after[url][1]) > _lm(before[url][1])
        assert _lm(after[url][1]) == result.clock
    for url in set(urls) - changed - maybe:
        r = http.get(url, headers={"If-None-Match": before[url][0]})
        assert r.status_code == 304, url
        r = http.get(url, headers={"If-Modified-Since": before[url][1]})
        assert r.status_code == 304, url


def _check_sides(handle: MirrorHandle, http: httpx.Client, result: MutationResult) -> None:
    """Every new bout is on the event page and on both fighters' pages, on both sites."""
    world = handle.world
    ev_html = http.get(f"{handle.ufcstats_url}/event-details/{result.event_id}").text
    links = Selector(text=ev_html).css("tr[data-link]::attr(data-link)").getall()
    event = world.events.by_ufcstats[result.event_id]
    for bout_id in result.bout_ids:
        assert f"http://ufcstats.com/fight-details/{bout_id}" in links
        b = world.bout_index[bout_id]
        for fid, outcome in ((b.red_id, b.red_outcome), (b.blue_id, b.blue_outcome)):
            f = world.fighters[fid]
            page = http.get(f"{handle.ufcstats_url}/fighter-details/{fid}").text
            assert f"fight-details/{bout_id}" in page
            rows = [x for x in f.person.fights if x.bout_id == bout_id]
            assert len(rows) == 1 and rows[0].result == RESULTS[outcome]
            assert rows[0].event is event and rows[0].date == event.date
            sherdog = http.get(handle.sherdog_url + fighter_path(f.person)).text
            opp = world.fighters[b.blue_id if fid == b.red_id else b.red_id].person
            assert fighter_path(opp) in sherdog and f'-{event.sherdog_id}"' in sherdog
            theirs = [x for x in opp.fights if x.bout_id == bout_id]
            assert theirs[0].result == OPPOSITE[rows[0].result]
        assert http.get(f"{handle.ufcstats_url}/fight-details/{bout_id}").status_code == 200


def test_add_event_propagates(
    live: MirrorHandle, http: httpx.Client, check_fights: Callable[[World], None]
) -> None:
    world = live.world
    urls = _urls(live, world)
    before = _fetch(http, urls)
    latest = max(e.date for e in world.seed_events.values())
    result = live.add_event(bouts=3, new_fighters=1)
    assert result.event_date > latest and len(result.bout_ids) == 3
    assert len(result.new_fighter_ids) == 1 and result.search_changed
    _check_change(http, live, urls, before, result)
    _check_sides(live, http, result)
    check_fights(world)
    rows = Selector(text=http.get(urls[0]).text).css("table.b-statistics__table-events tbody tr")
    assert result.event_id in rows[2].css("a::attr(href)").get()  # right after the upcoming
    new = world.fighters[result.new_fighter_ids[0]]
    listing = http.get(f"{live.ufcstats_url}/statistics/fighters?char={new.letter}&page=all")
    assert f"fighter-details/{new.id}" in listing.text
    found = http.get(f"{live.sherdog_url}/stats/fightfinder", params={"SearchTxt": new.last})
    assert fighter_path(new.person) in found.text
    assert new.id in {row["ufcstats_id"] for row in world.truth()}
    rec = new.person.record()
    assert sum(rec.values()) >= 2  # a regional record before the debut


def test_add_late_fight_propagates(
    live: MirrorHandle, http: httpx.Client, check_fights: Callable[[World], None]
) -> None:
    world = live.world
    recent = max(world.bouts_by_event, key=lambda i: world.seed_events[i].date)
    card_before = list(world.bouts_by_event[recent])
    urls = _urls(live, world)
    before = _fetch(http, urls)
    result = live.add_late_fight(recent)
    assert result.event_id == recent and len(result.bout_ids) == 1
    assert "/statistics/events/completed" not in result.ufcstats_paths
    _check_change(http, live, urls, before, result)
    _check_sides(live, http, result)
    check_fights(world)
    card = world.bouts_by_event[recent]
    assert card[:-1] == card_before and card[-1].id == result.bout_ids[0]  # the first prelim


def test_http_mutation_endpoints(live: MirrorHandle, http: httpx.Client) -> None:
    r = http.post(live.ufcstats_url + "/__mirror/add_event", json={"bouts": 2})
    assert r.status_code == 200
    data = r.json()
    assert {"event_id", "bout_ids", "fighter_ids", "ufcstats_paths", "sherdog_paths"} <= set(data)
    assert http.get(f"{live.ufcstats_url}/event-details/{data['event_id']}").status_code == 200
    r = http.post(live.ufcstats_url + "/__mirror/add_late_fight",
                  json={"event_id": data["event_id"], "new_fighter": True})  # fmt: skip
    assert r.status_code == 200 and len(r.json()["new_fighter_ids"]) == 1
    bad = http.post(live.ufcstats_url + "/__mirror/add_late_fight", json={"event_id": "nope"})
    assert bad.status_code == 400 and "error" in bad.json()
    assert http.post(live.ufcstats_url + "/__mirror/add_event", json={"x": 1}).status_code == 400
    assert http.post(live.sherdog_url + "/__mirror/add_event", json={}).status_code == 404
    assert http.get(live.ufcstats_url + "/__mirror/stats").json()["mutation"] >= 2


def _replay(world: World) -> tuple[list[dict[str, Any]], list[str]]:
    results = [add_event(world, bouts=3, new_fighters=1)]
    results.append(add_late_fight(world, results[0].event_id, new_fighter=True))
    results.append(add_event(world, bouts=2))
    pages = [event_page(world, r.event_id) or "" for r in results]
    for r in results:
        for fid in r.fighter_ids:
            pages.append(fighter_details(world, world.fighters[fid]))
            pages.append(fighter_page(world, world.fighters[fid].person))
    return [r.to_dict() for r in results], pages


def test_mutations_deterministic() -> None:
    a, b = _replay(build_world(5, fighters=60)), _replay(build_world(5, fighters=60))
    assert a == b
    assert a[0] != _replay(build_world(6, fighters=60))[0]
