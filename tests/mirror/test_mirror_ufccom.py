"""The UFC.com mirror over real HTTP, checked against its truth with selectors written from
the documented real markup (../shared/reference/UFCCOM_WIKIMEDIA.md A1-A4), not with the
pipeline's parser; plus the shares of the full world's UFC.com data and its determinism."""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import imagehash
import lxml.html
import pytest
from PIL import Image
from protego import Protego

from ufc_mirror.model import World
from ufc_mirror.server import MirrorHandle, start_mirror
from ufc_mirror.ufccom_site import UfcComSite
from ufc_mirror.ufccom_world import (
    PLACEHOLDER_PATHS,
    slug_overrides,
    ufccom_data,
    ufccom_slug,
    ufccom_truth,
)
from ufc_mirror.world import build_world

LIST_XPATH = '//*[@class="l-flex__item"]//a[@class="e-button--black "]/@href'


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(7, fighters=200)


@pytest.fixture(scope="module")
def served(world: World) -> Iterator[MirrorHandle]:
    with start_mirror(world) as handle:
        yield handle


@pytest.fixture(scope="module")
def site(served: MirrorHandle) -> UfcComSite:
    # MirrorHandle exposes no site object; the UFC.com server is the one named "ufccom".
    return next(s.site for s in served._servers if s.site.name == "ufccom")


@pytest.fixture(scope="module")
def client(served: MirrorHandle) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served.ufccom_url, timeout=10.0) as c:
        yield c


@pytest.fixture(scope="module")
def truth(world: World) -> dict[str, dict[str, Any]]:
    return ufccom_truth(world)


@pytest.fixture(scope="module")
def full_truth() -> dict[str, dict[str, Any]]:
    return ufccom_truth(build_world(7))


def _tree(text: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(text)


def _text(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def _get(client: httpx.Client, url: str) -> httpx.Response:
    """GET an absolute URL of the live site (or a relative one) on the mirror."""
    parts = urlsplit(url)
    return client.get(parts.path + (f"?{parts.query}" if parts.query else ""))


def _on(truth: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in truth.values() if v["on_site"]]


# -- robots.txt ------------------------------------------------------------------------------------
def test_robots_txt(client: httpx.Client) -> None:
    r = client.get("/robots.txt")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert "User-agent: *" in r.text and "Disallow: /athletes/all?*" in r.text
    rp = Protego.parse(r.text)
    assert rp.crawl_delay("ufc-pipeline") == 15
    for path in ("/athletes/all?page=1", "/athletes/all?gender=All&search=&page=3",
                 "/athletes/all?filters%5B0%5D=status%3A23", "/admin/", "/views/ajax"):  # fmt: skip
        assert not rp.can_fetch(f"https://www.ufc.com{path}", "ufc-pipeline"), path
    for path in ("/athletes/all", "/athlete/x", "/rankings",
                 "/images/styles/athlete_bio_full_body/s3/2026-09/A_B_L_09-19.png?itok=x",
                 "/themes/custom/ufc/assets/img/no-profile-image.png"):  # fmt: skip
        assert rp.can_fetch(f"https://www.ufc.com{path}", "ufc-pipeline"), path


def test_crawl_delay_is_a_setting(world: World) -> None:
    site = UfcComSite(world, crawl_delay=0.5)
    body = site.route("/robots.txt", {}).body.decode()
    assert Protego.parse(body).crawl_delay("*") == 0.5


# -- /athletes/all ---------------------------------------------------------------------------------
def test_first_athletes_page(client: httpx.Client, world: World, truth: dict) -> None:
    r = client.get("/athletes/all")
    assert r.status_code == 200 and "<title>Athletes - All | UFC</title>" in r.text
    doc = _tree(r.text)
    data = ufccom_data(world)
    assert len(doc.cssselect("ul.l-flex--4col-1to4 > li.l-flex__item")) == 12
    assert len(doc.cssselect("li.l-flex__item div.freestar-slot-definition")) == 1
    cards = doc.cssselect(".c-listing-athlete-flipcard__inner")
    assert len(cards) == 11
    hrefs = doc.xpath(LIST_XPATH)
    assert hrefs == [f"/athlete/{data.athletes[i].slug}" for i in data.first_page]
    keys = [data.athletes[i].sort_key for i in data.first_page]
    assert keys == sorted(keys)
    total = doc.cssselect("div.althelete-total")[0].text_content()
    assert total == f"{len(_on(truth))} Athletes"
    for card, fid in zip(cards, data.first_page, strict=True):
        t = truth[fid]
        name = card.cssselect(".c-listing-athlete-flipcard__front span.c-listing-athlete__name")
        assert name[0].text != name[0].text.strip() and name[0].text.strip() == t["name"]
        nick = card.cssselect(".c-listing-athlete-flipcard__front .c-listing-athlete__nickname")
        items = nick[0].cssselect(".field__item")
        if t["nickname"]:
            assert items[0].text_content() == f'"{t["nickname"]}"'
        else:
            assert not items and not nick[0].text_content().strip()
        record = card.cssselect("span.c-listing-athlete__record")[0].text_content()
        assert re.fullmatch(r"(\d+)-(\d+)-(\d+) \(W-L-D\)", record)
        assert record.startswith(f"{t['wins']}-{t['losses']}-{t['draws']} ")
        title = card.cssselect(".c-listing-athlete__title .field__item")
        assert (title[0].text_content() if title else None) == t["division"]
        thumb = card.cssselect(".c-listing-athlete__thumbnail img")[0].get("src")
        assert ("no-profile-image" in thumb) == (not t["has_photo"])
    pager = doc.cssselect("ul.js-pager__items a[rel=next]")
    assert [a.get("href") for a in pager] == ["?page=1"] and _text(pager[0]) == "Load More"
    assert 'class="e-button--black "' in r.text


def test_paged_list_is_answered(client: httpx.Client, world: World) -> None:
    """The live site answers ?page=N (robots.txt forbids it): so does the mirror."""
    data = ufccom_data(world)
    r = client.get("/athletes/all", params={"page": "1"})
    assert r.status_code == 200
    hrefs = _tree(r.text).xpath(LIST_XPATH)
    assert hrefs == [f"/athlete/{data.athletes[i].slug}" for i in data.alphabetical[11:22]]


# -- /rankings -------------------------------------------------------------------------------------
def test_rankings(client: httpx.Client, world: World, truth: dict) -> None:
    r = client.get("/rankings")
    assert r.status_code == 200 and "<title>Rankings | UFC</title>" in r.text
    doc = _tree(r.text)
    block = doc.cssselect(".block-views-blockathlete-rankings-block-1")[0]
    groups = block.cssselect(".view-grouping")
    by_slug = {v["slug"]: v for v in _on(truth)}
    headers = []
    for g in groups:
        head = g.cssselect(".view-grouping-header")[0]
        headers.append(" ".join((head.text or "").split()))
        champ = g.cssselect(".rankings--athlete--champion h5 a")
        assert len(champ) == 1
        slug = champ[0].get("href").removeprefix("/athlete/")
        assert by_slug[slug]["name"] == champ[0].text_content()
        rows = g.cssselect("tbody tr")
        assert 1 <= len(rows) <= 15
        ranks = [int(tr.cssselect("td.views-field-weight-class-rank")[0].text_content())
                 for tr in rows]  # fmt: skip
        assert ranks == list(range(1, len(rows) + 1))
        for tr in rows:
            a = tr.cssselect("td.views-field-title a")[0]
            assert by_slug[a.get("href").removeprefix("/athlete/")]["name"] == a.text_content()
    assert headers[0] == "Men's Pound-for-Pound" and "Flyweight" in headers
    p4p = block.cssselect(".view-grouping-header span")
    assert [s.text for s in p4p] == ["Top Rank"] * len(p4p) and len(p4p) >= 1
    meta = doc.cssselect(".block-views-blockathlete-rankings-meta-rankings .view-grouping")
    assert meta and doc.cssselect("td.views-field-meta-weight-class-rank")
    ranked = {a.get("href").removeprefix("/athlete/") for a in block.cssselect("a[href]")}
    for v in _on(truth):
        if "rankings" in v["routes"]:
            assert v["slug"] in ranked


# -- /athlete/<slug> -------------------------------------------------------------------------------
def _pick(truth: dict) -> list[dict[str, Any]]:
    """Athletes covering each shape of the page (nickname, Hometown, empty Trains at, ...)."""
    on = _on(truth)
    wanted = [
        lambda v: v["nickname"] and v["birth_date"] and v["has_photo"],
        lambda v: v["place_label"] == "Hometown",
        lambda v: v["trains_at"] == "",
        lambda v: v["trains_at"] is None and v["place_of_birth"] is None,
        lambda v: v["placeholder"] == "no_profile",
        lambda v: v["placeholder"] == "shadow_red",
        lambda v: v["birth_date"] is None,
        lambda v: not v["derivable_slug"],
        lambda v: v["record_lag"],
    ]
    picked = []
    for cond in wanted:
        hit = next((v for v in on if cond(v)), None)
        assert hit is not None, "the small world lacks a case"
        picked.append(hit)
    return picked


def _bio(doc: lxml.html.HtmlElement) -> dict[str, lxml.html.HtmlElement]:
    out = {}
    for field in doc.cssselect("div.c-bio.c-bio--athlete .c-bio__info-details .c-bio__field"):
        out[_text(field.cssselect(".c-bio__label")[0])] = field.cssselect(".c-bio__text")[0]
    return out


def test_athlete_pages_show_the_truth(client: httpx.Client, truth: dict) -> None:
    for t in _pick(truth):
        r = client.get(f"/athlete/{t['slug']}")
        assert r.status_code == 200, t["slug"]
        doc = _tree(r.text)
        assert doc.findtext(".//title") == f"{t['name']} | UFC"
        assert doc.cssselect("link[rel=canonical]")[0].get("href") == t["url"]
        assert _text(doc.cssselect("h1.hero-profile__name")[0]) == t["name"]
        nick = doc.cssselect("p.hero-profile__nickname")
        if t["nickname"]:
            assert nick[0].text_content() == f'"{t["nickname"]}"'
            assert f"&quot;{t['nickname']}&quot;" in r.text
        else:
            assert not nick
        title = doc.cssselect("p.hero-profile__division-title")
        assert (title[0].text_content() if title else None) == (
            f"{t['division']} Division" if t["division"] else None
        )
        body = doc.cssselect("p.hero-profile__division-body")[0].text_content()
        assert body == f"{t['wins']}-{t['losses']}-{t['draws']} (W-L-D)"
        bio = _bio(doc)
        assert _text(bio["Status"]) == t["status"]
        assert _text(doc.cssselect("div.hero-profile__tags p.hero-profile__tag")[-1]) == t["status"]
        label = t["place_label"]
        assert {"Place of Birth", "Hometown"} & set(bio) == ({label} if label else set())
        if label:
            assert bio[label].text_content() == t["place_of_birth"]
        if t["trains_at"] is None:
            assert "Trains at" not in bio
        else:
            assert _text(bio["Trains at"]) == t["trains_at"]
        if t["age"] is not None:
            assert not (bio["Age"].text or "").strip()  # Age sits in a child: text() is blank
            assert bio["Age"].cssselect("div.field--name-age")[0].text == str(t["age"])
        for label, key in (("Height", "height_in"), ("Weight", "weight_lbs"),
                           ("Reach", "reach_in"), ("Leg reach", "leg_reach_in")):  # fmt: skip
            shown = _text(bio[label]) if label in bio else None
            assert shown == (f"{t[key]:.2f}" if t[key] is not None else None), label
        ld = json.loads(doc.xpath('//script[@type="application/ld+json"]')[0].text)
        person = ld["@graph"][0]["mainEntity"]
        assert person["@type"] == "Person" and person["name"] == t["name"]
        assert person.get("birthDate") == t["birth_date"]
        assert person.get("alternateName") == t["nickname"]
        img = doc.cssselect("div.hero-profile__image-wrap img.hero-profile__image")[0]
        assert img.get("src") == t["image_src"]
        og = doc.cssselect('meta[property="og:image"]')
        assert bool(og) == t["has_photo"]
        pic = _get(client, urljoin(t["url"], img.get("src")))
        assert pic.status_code == 200
        decoded = Image.open(io.BytesIO(pic.content))
        decoded.load()
        assert pic.headers["content-type"] == f"image/{decoded.format.lower()}"
        if t["has_photo"]:
            path = urlsplit(img.get("src")).path
            assert decoded.format == ("JPEG" if path.endswith(".jpg") else "PNG")


def test_pages_of_derived_slugs(client: httpx.Client, truth: dict) -> None:
    """No page for fighters off UFC.com (404), unless a namesake owns their derived slug."""
    off = [v for v in truth.values() if not v["on_site"]]
    assert off
    for v in off[:6]:
        r = client.get(f"/athlete/{v['derived_slug']}")
        owner = v["derived_slug_owner"]
        assert r.status_code == (200 if owner else 404)
    r = client.get("/athlete/nobody-fights-here")
    assert r.status_code == 404 and "<title>Page not found | UFC</title>" in r.text
    assert not _tree(r.text).cssselect("h1.hero-profile__name")
    on = _on(truth)[0]
    assert client.get(f"/athlete/{on['slug'].upper()}").status_code == 200


# -- images ----------------------------------------------------------------------------------------
def test_placeholders(client: httpx.Client) -> None:
    hashes = {}
    for path, kind in PLACEHOLDER_PATHS.items():
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"] == "image/png", path
        img = Image.open(io.BytesIO(r.content))
        img.load()
        rgb = img.convert("RGBA").convert("RGB")  # transparent pixels turn black: grey too
        sat = rgb.convert("HSV").getchannel("S").histogram()
        assert sum(sat[60:]) / sum(sat) < 0.05, kind  # a grey picture (a bar of colour at most)
        hashes[kind] = imagehash.phash(rgb)
    assert hashes["no_profile"] - hashes["female_silhouette"] > 8


# -- requests --------------------------------------------------------------------------------------
def test_requested_records_every_target(client: httpx.Client, site: UfcComSite) -> None:
    before = len(site.requests())
    client.get("/rankings")
    client.get("/athletes/all", params={"page": "2"})
    client.get("/athlete/nobody-fights-here")
    seen = site.requests()[before:]
    assert [t for t, _ in seen] == ["/rankings", "/athletes/all?page=2",
                                    "/athlete/nobody-fights-here"]  # fmt: skip
    times = [at for _, at in site.requests()]
    assert times == sorted(times)
    rp = Protego.parse(client.get("/robots.txt").text)
    disallowed = [t for t, _ in site.requests()
                  if not rp.can_fetch(f"https://www.ufc.com{t}", "ufc-pipeline")]  # fmt: skip
    # only the paged lists this module asked for on purpose
    assert "/athletes/all?page=2" in disallowed
    assert set(disallowed) <= {"/athletes/all?page=1", "/athletes/all?page=2"}


# -- the world's data ------------------------------------------------------------------------------
def test_full_world_shares(full_truth: dict) -> None:
    on = _on(full_truth)
    share = len(on) / len(full_truth)
    assert 0.90 <= share <= 0.94, share
    photo = sum(v["has_photo"] for v in on) / len(on)
    assert 0.82 <= photo <= 0.88, photo
    hidden = [v for v in on if not v["derivable_slug"]]
    assert 0.02 <= len(hidden) / len(on) <= 0.04, len(hidden) / len(on)
    shown = [v for v in on if v["place_of_birth"]]
    assert 0.76 <= len(shown) / len(on) <= 0.84
    wrong = sum(v["place_disagrees"] for v in shown) / len(shown)
    assert 0.01 <= wrong <= 0.03, wrong
    hometown = sum(v["place_label"] == "Hometown" for v in shown) / len(shown)
    assert 0.07 <= hometown <= 0.13, hometown
    empty = sum(v["trains_at"] == "" for v in on) / len(on)
    assert 0.05 <= empty <= 0.11, empty
    renamed = sum(v["name"] != v["ufcstats_name"] for v in on) / len(on)
    assert 0.015 <= renamed <= 0.045, renamed
    lag = sum(v["record_lag"] for v in on) / len(on)
    assert 0.03 <= lag <= 0.07, lag
    for v in full_truth.values():
        if v["on_site"] and v["place_disagrees"]:
            assert v["place_of_birth"] != v["place_true"]
    # routes: most hidden slugs are listed, some shipped as overrides, a few unreachable
    routes = Counter(frozenset(v["routes"]) for v in hidden)
    listed = sum(n for r, n in routes.items() if r & {"rankings", "first_page"})
    unreachable = routes[frozenset()]
    assert listed > len(hidden) / 2 and 0 < unreachable <= 0.15 * len(hidden), routes
    assert all(v["routes"] for v in on if v["derivable_slug"])
    slugs = Counter(v["slug"] for v in on)
    assert slugs.most_common(1)[0][1] == 1  # no slug on two fighters
    assert all(ufccom_slug(v["ufcstats_name"]) == v["slug"] for v in on if v["derivable_slug"])


def test_overrides_and_slug_rules(world: World, truth: dict) -> None:
    for fid, slug in slug_overrides(world):
        assert truth[fid]["slug"] == slug and not truth[fid]["derivable_slug"]
        assert "override" in truth[fid]["routes"]
    assert ufccom_slug("Raul Rosas Jr.") == "raul-rosas-jr"
    assert ufccom_slug("Sean O'Malley") == "sean-omalley"
    assert ufccom_slug("Lone\u2019er Kavanagh") == "loneer-kavanagh"
    assert ufccom_slug("José  Aldo") == "jose-aldo"
    assert ufccom_slug("Kai Kara-France") == "kai-kara-france"


def test_deterministic_and_recomputed_after_mutations(world: World, truth: dict) -> None:
    again = build_world(7, fighters=200)
    assert ufccom_truth(again) == truth
    data = ufccom_data(again)
    assert ufccom_data(again) is data  # cached per generation
    result = again.add_event(bouts=2, new_fighters=1)
    fresh = ufccom_data(again)
    assert fresh is not data and fresh.generation == again.generation
    new = result.new_fighter_ids
    assert new and all(i in fresh.athletes or i in fresh.off_site for i in new)
    for fid, a in data.athletes.items():  # nobody else's slug moves
        assert fresh.athletes[fid].slug == a.slug
