"""The Wikimedia mirror over HTTP: SPARQL, wbgetentities, wbsearchentities, pageimages,
imageinfo and the image host, compared with the truth of the world and with the shapes of
real API responses (tests/fixtures/real/wikimedia, see its SOURCES.md)."""

from __future__ import annotations

import hashlib
import io
import json
import urllib.robotparser
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
import pytest
from PIL import Image

from ufc_mirror import places
from ufc_mirror.model import World
from ufc_mirror.names import fold
from ufc_mirror.server import MirrorHandle, start_mirror
from ufc_mirror.wiki_world import (
    FIGHTER_QID_BASE,
    FIGHTER_QID_SPAN,
    SHARES,
    wiki_truth,
    wiki_world,
)
from ufc_mirror.world import build_world

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "wikimedia"
SHERDOG_QUERY = "SELECT ?item ?sherdog WHERE { ?item wdt:P2818 ?sherdog }"


def _real(name: str) -> Any:
    return json.loads((REAL / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(7, fighters=200)


@pytest.fixture(scope="module")
def truth(world: World) -> dict[str, dict[str, Any]]:
    return wiki_truth(world)


@pytest.fixture(scope="module")
def site(world: World) -> Iterator[MirrorHandle]:
    with start_mirror(world) as handle:
        yield handle


@pytest.fixture(scope="module")
def wm(site: MirrorHandle) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.wikimedia_url, timeout=20.0) as client:
        yield client


@pytest.fixture(scope="module")
def full_world() -> World:
    return build_world(7)


def _api(client: httpx.Client, api: str, **params: Any) -> dict[str, Any]:
    resp = client.get(f"/{api}/w/api.php", params={"format": "json", **params})
    assert resp.status_code == 200, resp.text[:300]
    assert resp.headers["content-type"].startswith("application/json")
    return resp.json()


def _items(truth: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [t for t in truth.values() if t["qid"]]


# -- SPARQL -----------------------------------------------------------------------------------


def test_sparql_lists_every_item_with_a_sherdog_id(
    wm: httpx.Client, truth: dict[str, dict[str, Any]]
) -> None:
    resp = wm.get("/sparql", params={"query": SHERDOG_QUERY, "format": "json"})
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("application/sparql-results+json")
    data = resp.json()
    assert data["head"] == {"vars": ["item", "sherdog"]}
    got = set()
    for row in data["results"]["bindings"]:
        assert row["item"]["type"] == "uri" and row["sherdog"]["type"] == "literal"
        assert row["item"]["value"].startswith("http://www.wikidata.org/entity/Q")
        got.add((row["item"]["value"].rsplit("/", 1)[1], row["sherdog"]["value"]))
    want = {
        (t["qid"], str(t["sherdog_id_on_item"]))
        for t in _items(truth)
        if t["sherdog_id_on_item"] is not None
    }
    assert got == want and len(want) > 60
    assert len(got) == len(data["results"]["bindings"])


def test_sparql_accepts_layout_variants_and_refuses_other_queries(wm: httpx.Client) -> None:
    base = wm.get("/sparql", params={"query": SHERDOG_QUERY, "format": "json"}).json()
    variant = (
        "PREFIX wdt: <http://www.wikidata.org/prop/direct/>\n# the Sherdog ids\n"
        "SELECT ?item ?sherdog\nWHERE {\n  ?item wdt:P2818 ?sherdog .\n}"
    )
    again = wm.get("/sparql", params={"query": variant, "format": "json"}).json()
    assert again == base
    bad = wm.get("/sparql", params={"query": "SELECT ?s WHERE { ?s wdt:P18 ?img }"})
    assert bad.status_code == 400
    assert SHERDOG_QUERY in bad.text
    assert wm.get("/sparql").status_code == 400


# -- wbgetentities ----------------------------------------------------------------------------


def _pick(truth: dict[str, dict[str, Any]], **want: Any) -> dict[str, Any]:
    for t in sorted(_items(truth), key=lambda t: t["ufcstats_id"]):
        if all(bool(t[k]) == v for k, v in want.items()):
            return t
    raise AssertionError(f"no item with {want} in the test world")


def _value(claim: dict[str, Any]) -> Any:
    return claim["mainsnak"]["datavalue"]["value"]


def test_wbgetentities_claims_match_the_truth(
    wm: httpx.Client, truth: dict[str, dict[str, Any]]
) -> None:
    items = _items(truth)[:50]
    data = _api(wm, "wikidata", action="wbgetentities", ids="|".join(t["qid"] for t in items),
                props="claims|sitelinks|labels", languages="en")  # fmt: skip
    assert data["success"] == 1
    ents = data["entities"]
    assert list(ents) == [t["qid"] for t in items]
    places_seen = set()
    for t in items:
        e = ents[t["qid"]]
        assert set(e) == {"type", "id", "labels", "claims", "sitelinks"}
        assert e["labels"] == {"en": {"language": "en", "value": t["label"]}}
        claims = e["claims"]
        assert _value(claims["P31"][0])["id"] == "Q5"
        if t["birth_date"]:
            time = _value(claims["P569"][0])
            assert time["precision"] == t["birth_date_precision"]
            if time["precision"] == 11:
                assert time["time"] == f"+{t['birth_date']}T00:00:00Z"
            else:
                assert time["time"] == f"+{t['birth_date'][:4]}-00-00T00:00:00Z"
        else:
            assert "P569" not in claims
        if t["sherdog_id_on_item"] is not None:
            snak = claims["P2818"][0]["mainsnak"]
            assert snak["datatype"] == "external-id"
            assert snak["datavalue"] == {"value": str(t["sherdog_id_on_item"]), "type": "string"}
        else:
            assert "P2818" not in claims
        if t["birth_place_qid"]:
            assert _value(claims["P19"][0])["id"] == t["birth_place_qid"]
            places_seen.add(t["birth_place_qid"])
        if t["citizenship"]:
            by_iso = {c.iso2: c.qid for c in places.COUNTRIES.values()}
            assert [_value(c)["id"] for c in claims["P27"]] == [by_iso[i] for i in t["citizenship"]]
        if t["p18"]:
            assert claims["P18"][0]["mainsnak"]["datatype"] == "commonsMedia"
            assert _value(claims["P18"][0]) == t["p18"]
        else:
            assert "P18" not in claims
        if t["enwiki"]:
            assert e["sitelinks"]["enwiki"] == {"site": "enwiki", "title": t["enwiki"],
                                                "badges": []}  # fmt: skip
        else:
            assert "enwiki" not in e["sitelinks"]
    # the places the items point at: cities with P17 and countries with P297
    cities = _api(wm, "wikidata", action="wbgetentities", ids="|".join(sorted(places_seen)),
                  props="claims|labels")["entities"]  # fmt: skip
    for qid, city in cities.items():
        assert "missing" not in city, qid
        country = _value(city["claims"]["P17"][0])["id"] if "P17" in city["claims"] else qid
        assert country in places.BY_QID
    countries = _api(wm, "wikidata", action="wbgetentities", ids="Q30|Q230",
                     props="claims|labels")["entities"]  # fmt: skip
    assert _value(countries["Q30"]["claims"]["P297"][0]) == "US"
    assert _value(countries["Q230"]["claims"]["P297"][0]) == "GE"


def test_wbgetentities_statement_shapes_are_the_real_ones(
    wm: httpx.Client, truth: dict[str, dict[str, Any]]
) -> None:
    real = _real("Q646148.json")["claims"]
    t = _pick(truth, p18=True, sherdog_id_on_item=True, birth_place_qid=True, birth_date=True)
    e = _api(wm, "wikidata", action="wbgetentities", ids=t["qid"])["entities"][t["qid"]]
    # default props: info, labels, descriptions, aliases, claims, sitelinks
    assert {"pageid", "ns", "title", "lastrevid", "modified", "type", "id", "labels",
            "descriptions", "aliases", "claims", "sitelinks"} == set(e)  # fmt: skip
    statement_keys = {k for stmts in real.values() for s in stmts for k in s}
    for prop, stmts in e["claims"].items():
        for s in stmts:
            assert set(s) <= statement_keys, prop
            assert set(s["mainsnak"]) == set(real["P31"][0]["mainsnak"]), prop
            assert s["rank"] in ("normal", "preferred", "deprecated")
            assert s["id"].startswith(t["qid"] + "$")
    assert set(_value(e["claims"]["P19"][0])) == set(_value(real["P19"][0]))
    assert set(_value(e["claims"]["P569"][0])) == set(_value(real["P569"][0]))
    assert e["claims"]["P19"][0]["mainsnak"]["datavalue"]["type"] == "wikibase-entityid"
    external = e["claims"]["P2818"][0]["mainsnak"]  # an external id, as P646 in the real item
    assert set(external) == set(real["P646"][0]["mainsnak"])
    assert external["datatype"] == real["P646"][0]["mainsnak"]["datatype"]


def test_wbgetentities_missing_ids_and_the_limit(wm: httpx.Client) -> None:
    data = _api(wm, "wikidata", action="wbgetentities", ids="Q1|Q999999999",
                props="claims|sitelinks|labels")  # fmt: skip
    assert data == {"entities": {"Q1": {"id": "Q1", "missing": ""},
                                 "Q999999999": {"id": "Q999999999", "missing": ""}},
                    "success": 1}  # fmt: skip
    too_many = "|".join(f"Q{n}" for n in range(1, 52))
    err = _api(wm, "wikidata", action="wbgetentities", ids=too_many)
    assert "entities" not in err
    assert err["error"]["code"] == "toomanyvalues"
    assert err["error"]["info"] == 'Too many values supplied for parameter "ids". The limit is 50.'
    assert err["error"]["limit"] == 50
    fifty = "|".join(f"Q{n}" for n in range(1, 51))
    assert len(_api(wm, "wikidata", action="wbgetentities", ids=fifty)["entities"]) == 50
    bad = _api(wm, "wikidata", action="wbgetentities", ids="X12")
    assert bad["error"]["code"] == "no-such-entity"


def test_wbgetentities_by_enwiki_title(wm: httpx.Client, truth: dict[str, dict[str, Any]]) -> None:
    t = _pick(truth, enwiki=True)
    data = _api(wm, "wikidata", action="wbgetentities", sites="enwiki",
                titles=t["enwiki"].replace(" ", "_") + "|No such page", props="labels")  # fmt: skip
    assert data["entities"][t["qid"]]["labels"]["en"]["value"] == t["label"]
    assert data["entities"]["-1"] == {"site": "enwiki", "title": "No such page", "missing": ""}


# -- wbsearchentities -------------------------------------------------------------------------


def test_search_finds_labels_with_accents_folded(
    wm: httpx.Client, truth: dict[str, dict[str, Any]]
) -> None:
    accented = [t for t in _items(truth) if t["label"] != fold(t["label"])
                and any(ord(ch) > 127 for ch in t["label"])]  # fmt: skip
    assert accented, "the test world has an accented label"
    for t in accented[:3] + [_pick(truth, label_differs=False)]:
        plain = " ".join(fold(t["label"]).split())
        for text in (plain, plain[: max(4, len(plain) - 3)], t["label"]):
            data = _api(wm, "wikidata", action="wbsearchentities", search=text, language="en",
                        type="item", limit=50)  # fmt: skip
            assert data["success"] == 1 and data["searchinfo"] == {"search": text}
            hits = {h["id"]: h for h in data["search"]}
            assert t["qid"] in hits, (text, t["label"])
            hit = hits[t["qid"]]
            assert hit["label"] == t["label"]
            assert hit["concepturi"] == f"http://www.wikidata.org/entity/{t['qid']}"
            assert hit["match"]["type"] in ("label", "alias")
            assert {"id", "title", "pageid", "repository", "url", "display", "match"} <= set(hit)


def test_search_finds_namesakes_and_pages_with_limit(
    wm: httpx.Client, world: World, truth: dict[str, dict[str, Any]]
) -> None:
    both = [t for t in _items(truth) if t["namesake_qid"]]
    assert both, "the test world has a fighter with a namesake item"
    t = both[0]
    data = _api(wm, "wikidata", action="wbsearchentities", search=t["label"], language="en",
                limit=50)  # fmt: skip
    ids = [h["id"] for h in data["search"]]
    assert t["qid"] in ids and t["namesake_qid"] in ids
    namesake = next(h for h in data["search"] if h["id"] == t["namesake_qid"])
    assert "mixed martial artist" not in namesake["description"]
    one = _api(wm, "wikidata", action="wbsearchentities", search=t["label"][:1], language="en",
               limit=1)  # fmt: skip
    assert len(one["search"]) == 1 and one["search-continue"] == 1
    assert _api(wm, "wikidata", action="wbsearchentities", search="zzzzqx",
                language="en")["search"] == []  # fmt: skip


# -- pageimages -------------------------------------------------------------------------------


def test_pageimages_free_by_default_non_free_only_with_any(
    wm: httpx.Client, truth: dict[str, dict[str, Any]]
) -> None:
    free = _pick(truth, enwiki=True, page_image=True, page_image_free=True)
    non_free = next(t for t in _items(truth) if t["page_image"] and not t["page_image_free"])
    bare = _pick(truth, enwiki=True, page_image=False)
    titles = [t["enwiki"].replace(" ", "_") for t in (free, non_free, bare)] + ["No such page"]
    real_thumb = _real("reading_list_page_info.json")["query"]["pages"][0]["thumbnail"]
    real_norm = _real("reading_list_page_info.json")["query"]["normalized"][0]
    answers = {}
    for lic in ("free", "any", None):
        params = {
            "action": "query",
            "prop": "pageimages",
            "titles": "|".join(titles),
            "piprop": "thumbnail|name|original",
            "pithumbsize": 120,
            "formatversion": 2,
        }
        if lic:
            params["pilicense"] = lic
        data = _api(wm, "wikipedia", **params)  # fmt: skip
        assert data["batchcomplete"] is True
        assert all(set(n) == set(real_norm) for n in data["query"]["normalized"])
        pages = {p["title"]: p for p in data["query"]["pages"]}
        assert pages["No such page"] == {"ns": 0, "title": "No such page", "missing": True}
        answers[lic] = pages
        for t in (free, non_free, bare):
            page = pages[t["enwiki"]]
            assert {"pageid", "ns", "title"} <= set(page)
            if "thumbnail" in page:
                assert set(page["thumbnail"]) == set(real_thumb)
                assert max(page["thumbnail"]["width"], page["thumbnail"]["height"]) <= 120
                assert set(page["original"]) == set(real_thumb)
    assert answers[None] == answers["free"]
    for lic in ("free", "any"):
        page = answers[lic][free["enwiki"]]
        assert page["pageimage"] == free["page_image"].replace(" ", "_")
        assert "/upload/wikipedia/commons/thumb/" in page["thumbnail"]["source"]
        assert "thumbnail" not in answers[lic][bare["enwiki"]]
        assert "pageimage" not in answers[lic][bare["enwiki"]]
    assert "thumbnail" not in answers["free"][non_free["enwiki"]]
    assert "pageimage" not in answers["free"][non_free["enwiki"]]
    page = answers["any"][non_free["enwiki"]]
    assert page["pageimage"] == non_free["page_image"].replace(" ", "_")
    assert "/upload/wikipedia/en/thumb/" in page["thumbnail"]["source"]


def test_pageimages_formatversion_1_and_title_limit(
    wm: httpx.Client, truth: dict[str, dict[str, Any]]
) -> None:
    t = _pick(truth, enwiki=True)
    data = _api(wm, "wikipedia", action="query", prop="pageimages", titles=t["enwiki"] + "|Nope")
    assert data["batchcomplete"] == ""
    pages = data["query"]["pages"]
    assert pages["-1"] == {"ns": 0, "title": "Nope", "missing": ""}
    assert any(p["title"] == t["enwiki"] and key == str(p["pageid"]) for key, p in pages.items())
    err = _api(wm, "wikipedia", action="query", prop="pageimages", formatversion=2,
               titles="|".join(f"T{n}" for n in range(51)))  # fmt: skip
    assert err["error"]["code"] == "toomanyvalues" and "docref" in err["error"]


# -- imageinfo --------------------------------------------------------------------------------


def _files(truth: dict[str, dict[str, Any]], licence: str) -> list[str]:
    return sorted({t["image_file"] for t in truth.values()
                   if t["image_file"] and t["licence"] == licence})  # fmt: skip


def test_imageinfo_extmetadata_has_the_real_fields_and_types(
    wm: httpx.Client, world: World, truth: dict[str, dict[str, Any]]
) -> None:
    real_cc = _real("image_license.json")["query"]["pages"][0]["imageinfo"][0]["extmetadata"]
    real_pd_info = _real("gallery_item_image.json")["query"]["pages"][0]["imageinfo"][0]
    real_pd = real_pd_info["extmetadata"]
    ww = wiki_world(world)
    files = []
    for lic in ("CC BY-SA 4.0", "CC BY-SA 3.0", "CC BY 2.0", "Public domain"):
        files += _files(truth, lic)[:3]
    with_credit = [n for n, f in sorted(ww.files.items()) if f.attribution]
    files += with_credit[:1]
    titles = "|".join("File:" + f for f in files) + "|File:No such file.jpg"
    data = _api(wm, "commons", action="query", titles=titles, prop="imageinfo",
                iiprop="url|size|mime|extmetadata", iiurlwidth=120, formatversion=2,
                maxlag=5)  # fmt: skip
    pages = {p["title"]: p for p in data["query"]["pages"]}
    assert pages["File:No such file.jpg"]["missing"] is True
    seen = Counter()
    for name in files:
        page = pages["File:" + name]
        assert page["ns"] == 6 and page["imagerepository"] == "local"
        info = page["imageinfo"][0]
        assert set(info) == set(real_pd_info)
        ext = info["extmetadata"]
        wf = ww.files[name]
        if wf.licence.short_name == "Public domain":
            assert set(ext) == set(real_pd)
            real = real_pd
        else:
            expected = set(real_cc) if wf.attribution else set(real_cc) - {"Attribution"}
            assert set(ext) == expected
            real = real_cc
            assert ext["LicenseUrl"]["value"].startswith("https://creativecommons.org/licenses/")
        for field, entry in ext.items():
            assert set(entry) == set(real[field]), field
            assert entry["source"] == real[field]["source"], field
            allowed = {type(r[field]["value"]) for r in (real_cc, real_pd) if field in r}
            assert type(entry["value"]) in allowed, field
        assert ext["LicenseShortName"]["value"] == wf.licence.short_name
        assert ext["AttributionRequired"]["value"] == (
            "false" if wf.licence.short_name == "Public domain" else "true"
        )
        assert ext["Artist"]["value"].startswith("<a ") and wf.author in ext["Artist"]["value"]
        assert info["thumbwidth"] <= 120 and info["mime"] == "image/jpeg"
        seen[wf.licence.short_name] += 1
    assert set(seen) == {"CC BY-SA 4.0", "CC BY-SA 3.0", "CC BY 2.0", "Public domain"}


def test_imageinfo_on_wikipedia_shows_commons_files_as_shared(
    wm: httpx.Client, truth: dict[str, dict[str, Any]]
) -> None:
    name = _files(truth, "CC BY-SA 4.0")[0]
    data = _api(wm, "wikipedia", action="query", titles="File:" + name.replace(" ", "_"),
                prop="imageinfo", iiprop="extmetadata", formatversion=2)  # fmt: skip
    real = _real("image_license.json")["query"]
    page = data["query"]["pages"][0]
    assert {k: page[k] for k in ("missing", "known", "imagerepository")} == {
        k: real["pages"][0][k] for k in ("missing", "known", "imagerepository")
    }
    assert set(data["query"]["normalized"][0]) == set(real["normalized"][0])


# -- image host -------------------------------------------------------------------------------


def test_images_decode_at_the_sizes_the_api_gives(
    wm: httpx.Client, truth: dict[str, dict[str, Any]]
) -> None:
    names = _files(truth, "CC BY-SA 4.0")[:2] + _files(truth, "Public domain")[:1]
    data = _api(wm, "commons", action="query", titles="|".join("File:" + n for n in names),
                prop="imageinfo", iiprop="url|size|mime", iiurlwidth=64,
                formatversion=2)  # fmt: skip
    for page in data["query"]["pages"]:
        info = page["imageinfo"][0]
        name = page["title"].removeprefix("File:").replace(" ", "_")
        digest = hashlib.md5(name.encode()).hexdigest()
        path = unquote(urlsplit(info["url"]).path)
        assert path == f"/upload/wikipedia/commons/{digest[0]}/{digest[:2]}/{name}"
        full = wm.get(info["url"])
        assert full.status_code == 200 and full.headers["content-type"] == "image/jpeg"
        assert len(full.content) == info["size"]
        img = Image.open(io.BytesIO(full.content))
        assert img.format == "JPEG" and img.size == (info["width"], info["height"])
        thumb = wm.get(info["thumburl"])
        assert thumb.status_code == 200
        small = Image.open(io.BytesIO(thumb.content))
        assert small.size == (info["thumbwidth"], info["thumbheight"]) and small.width == 64
        wrong = path.replace(f"/{digest[0]}/{digest[:2]}/", "/0/0z/")
        assert wm.get(wrong).status_code == 404
        too_big = f"{path.rsplit('/', 1)[0].replace('/commons/', '/commons/thumb/')}/{name}/" \
                  f"{info['width'] + 1}px-{name}"  # fmt: skip
        assert wm.get(too_big).status_code == 400


def test_non_free_local_files_are_served_from_the_english_wikipedia(
    wm: httpx.Client, truth: dict[str, dict[str, Any]]
) -> None:
    t = next(t for t in _items(truth) if t["page_image"] and not t["page_image_free"])
    data = _api(wm, "wikipedia", action="query", prop="pageimages", titles=t["enwiki"],
                piprop="original", pilicense="any", formatversion=2)  # fmt: skip
    url = data["query"]["pages"][0]["original"]["source"]
    assert "/upload/wikipedia/en/" in url
    assert Image.open(io.BytesIO(wm.get(url).content)).format == "JPEG"
    info = _api(wm, "wikipedia", action="query", titles="File:" + t["page_image"],
                prop="imageinfo", iiprop="extmetadata", formatversion=2)  # fmt: skip
    ext = info["query"]["pages"][0]["imageinfo"][0]["extmetadata"]
    assert ext["NonFree"]["value"] == "true" and "License" not in ext
    missing = _api(wm, "commons", action="query", titles="File:" + t["page_image"],
                   prop="imageinfo", formatversion=2)  # fmt: skip
    assert missing["query"]["pages"][0]["missing"] is True


def test_robots_allows_images_and_apis(wm: httpx.Client, site: MirrorHandle) -> None:
    resp = wm.get("/robots.txt")
    assert resp.status_code == 200
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(resp.text.splitlines())
    root = site.wikimedia_url
    for path in ("/upload/wikipedia/commons/a/ab/X.jpg", "/wikidata/w/api.php?action=x",
                 "/commons/w/api.php", "/wikipedia/w/api.php", "/sparql?query=x"):  # fmt: skip
        assert parser.can_fetch("ufc-pipeline", root + path), path
    assert parser.crawl_delay("ufc-pipeline") is None


def test_unknown_paths_and_actions(wm: httpx.Client) -> None:
    assert wm.get("/wiki/Main_Page").status_code == 404
    err = _api(wm, "wikidata", action="nope")
    assert err["error"]["code"] == "badvalue" and "*" in err["error"]
    lag = _api(wm, "wikidata", action="wbgetentities", ids="Q5", maxlag="x")
    assert lag["error"]["code"] == "badinteger"


# -- the world --------------------------------------------------------------------------------


def _share(rows: list[dict[str, Any]], key: str) -> float:
    return sum(1 for r in rows if r[key]) / len(rows)


def test_full_world_shares(full_world: World) -> None:
    truth = wiki_truth(full_world)
    rows = list(truth.values())
    items = [t for t in rows if t["qid"]]
    assert len(rows) == len(full_world.listed)
    assert abs(len(items) / len(rows) - SHARES["item"]) < 0.04
    assert abs(_share(items, "label_differs") - SHARES["label_differs"]) < 0.012
    assert abs(_share(items, "sherdog_id_on_item") - SHARES["sherdog_id"]) < 0.03
    assert abs(_share(items, "birth_place_qid") - SHARES["birth_place"]) < 0.04
    born = [t for t in items if t["birth_place_qid"]]
    assert abs(_share(born, "birth_place_wrong") - SHARES["birth_place_wrong"]) < 0.012
    assert all((t["birth_place_qid"] != t["true_birth_place_qid"]) == t["birth_place_wrong"]
               for t in born)  # fmt: skip
    assert abs(_share(items, "citizenship") - SHARES["citizenship"]) < 0.03
    assert 0 < sum(len(t["citizenship"]) > 1 for t in items) < 0.1 * len(items)
    assert abs(_share(items, "enwiki") - SHARES["enwiki"]) < 0.04
    assert abs(_share(items, "p18") - SHARES["image"]) < 0.04
    articles = [t for t in items if t["enwiki"]]
    non_free = sum(1 for t in articles if t["page_image"] and not t["page_image_free"])
    assert abs(non_free / len(articles) - SHARES["non_free"]) < 0.03
    assert 0.001 < _share(items, "p18_wrong") < 0.012
    ww = wiki_world(full_world)
    pictures = Counter(f.picture for f in ww.files.values())
    n_files = sum(pictures.values())
    assert abs(pictures["no_face"] / n_files - SHARES["no_face"]) < 0.01
    assert abs(pictures["two_faces"] / n_files - SHARES["two_faces"]) < 0.008
    licences = Counter(f.licence.short_name for f in ww.files.values())
    for name, share in (("CC BY-SA 4.0", 0.55), ("CC BY-SA 3.0", 0.15), ("CC BY 2.0", 0.15),
                        ("Public domain", 0.15)):  # fmt: skip
        assert abs(licences[name] / n_files - share) < 0.04, name
    # more bouts, more likely an item
    bouts = {f.id: len(f.bouts) for f in full_world.listed}
    few = [t for t in rows if bouts[t["ufcstats_id"]] <= 1]
    many = [t for t in rows if bouts[t["ufcstats_id"]] >= 10]
    assert _share(many, "qid") > _share(few, "qid") + 0.25


def test_full_world_ids_and_shared_photos(full_world: World) -> None:
    truth = wiki_truth(full_world)
    items = [t for t in truth.values() if t["qid"]]
    qids = [t["qid"] for t in items] + [t["namesake_qid"] for t in truth.values()
                                        if t["namesake_qid"]]  # fmt: skip
    assert len(qids) == len(set(qids))
    cities = {c.qid for c in places.all_cities()}
    for q in qids:
        assert FIGHTER_QID_BASE <= int(q[1:]) < FIGHTER_QID_BASE + FIGHTER_QID_SPAN
        assert q not in places.BY_QID and q not in cities
    files = [t["p18"] for t in items if t["p18"]]
    shared = [t for t in items if t["p18_wrong"]]
    assert shared
    for t in shared:
        other = truth[t["shared_with"]]
        assert other["shared_with"] == t["ufcstats_id"] and t["p18"] == other["p18"]
        assert not other["p18_wrong"]
    # apart from the shared photos, every file belongs to one fighter
    assert len(files) - len(set(files)) == len(shared)
    differ = [t for t in items if t["label_differs"]]
    assert all(t["label"] != full_world.fighters[t["ufcstats_id"]].name for t in differ)
    same = [t for t in items if not t["label_differs"]]
    assert all(t["label"] == full_world.fighters[t["ufcstats_id"]].name for t in same)


def test_determinism_and_fighters_added_later(world: World, site: MirrorHandle) -> None:
    again = build_world(7, fighters=200)
    assert wiki_truth(again) == wiki_truth(world)
    ids = "|".join(t["qid"] for t in _items(wiki_truth(world))[:20])
    params = {"action": "wbgetentities", "ids": ids, "format": "json"}
    with start_mirror(again) as other:
        a = httpx.get(site.wikimedia_url + "/wikidata/w/api.php", params=params).content
        b = httpx.get(other.wikimedia_url + "/wikidata/w/api.php", params=params).content
        assert a == b
        before = wiki_truth(again)
        result = again.add_event(bouts=3, new_fighters=2)
        after = wiki_truth(again)
        assert set(result.new_fighter_ids) == set(after) - set(before)
        assert {k: after[k] for k in before} == before
        for fid in result.new_fighter_ids:
            t = after[fid]
            if t["qid"] and t["sherdog_id_on_item"] is not None:
                sparql = httpx.get(other.wikimedia_url + "/sparql",
                                   params={"query": SHERDOG_QUERY}).json()  # fmt: skip
                values = {r["item"]["value"].rsplit("/", 1)[1]
                          for r in sparql["results"]["bindings"]}  # fmt: skip
                assert t["qid"] in values
