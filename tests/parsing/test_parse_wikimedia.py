"""The Wikimedia parsers on real API responses (tests/fixtures/real/wikimedia, see its
SOURCES.md) and on small made-up answers for the shapes the real ones do not show
(deprecated ranks, year-precision dates, formatversion 1 with a missing page, SPARQL)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.wikimedia import (
    ImageInfo,
    as_text,
    commons_file_url,
    commons_name,
    file_name_from_url,
    html_text,
    is_free_licence,
    parse_entities,
    parse_entity,
    parse_image_info,
    parse_page_images,
    parse_search_hits,
    parse_sparql_ids,
    parse_time,
)

REAL = Path(__file__).parents[1] / "fixtures" / "real" / "wikimedia"


def real(name: str) -> Any:
    return json.loads((REAL / name).read_text(encoding="utf-8"))


# -- Commons image info (real) ------------------------------------------------------------


def test_image_license_cc_by_sa_with_attribution_and_personality_rights() -> None:
    infos = parse_image_info(real("image_license.json"))
    title = "File:Mark Selby at Snooker German Masters (DerHexer) 2015-02-04 02.jpg"
    info = infos[title]
    assert info is not None
    assert info.licence_short_name == "CC BY-SA 4.0"
    assert info.licence_code == "cc-by-sa-4.0"
    assert info.licence_url == "http://creativecommons.org/licenses/by-sa/4.0"
    assert info.usage_terms == "Creative Commons Attribution-Share Alike 4.0"
    assert info.attribution_required is True
    assert info.attribution == "DerHexer, Wikimedia Commons, CC-by-sa 4.0"
    assert info.artist_text == "DerHexer"  # from <a href=…>DerHexer</a>
    assert info.credit_text == "Own work"  # from <span class="int-own-work">
    assert info.copyrighted is True
    assert info.restrictions == ("personality",)
    assert info.url is None  # iiprop had no url
    assert is_free_licence(info)
    # the title as requested (before normalisation) finds the same answer
    requested = "File:Mark_Selby_at_Snooker_German_Masters_(DerHexer)_2015-02-04_02.jpg"
    assert infos[requested] == info


def test_gallery_item_public_domain_with_urls() -> None:
    infos = parse_image_info(real("gallery_item_image.json"))
    assert list(infos) == ["File:Kinkaku3402CBcropped.jpg"]
    info = infos["File:Kinkaku3402CBcropped.jpg"]
    assert info is not None
    assert (
        info.url == "https://upload.wikimedia.org/wikipedia/commons/c/c9/Kinkaku3402CBcropped.jpg"
    )
    assert info.thumburl == (
        "https://upload.wikimedia.org/wikipedia/commons/thumb/c/c9/Kinkaku3402CBcropped.jpg/"
        "1280px-Kinkaku3402CBcropped.jpg"
    )
    assert info.descriptionurl == "https://commons.wikimedia.org/wiki/File:Kinkaku3402CBcropped.jpg"
    assert (info.width, info.height, info.mime) == (2125, 1489, "image/jpeg")
    assert (info.thumbwidth, info.thumbheight, info.size) == (1280, 897, 1378812)
    assert info.licence_short_name == "Public domain"
    assert info.licence_code == "pd"
    assert info.licence_url is None
    assert info.attribution_required is False
    assert info.copyrighted is False
    assert info.artist_text == "Fg2"
    assert info.restrictions == ()
    assert info.file_name == "Kinkaku3402CBcropped.jpg"
    assert is_free_licence(info)


def test_metadata_values_are_read_as_strings_first() -> None:
    """CommonsMetadataExtension is the number 1.2 in one real answer, the string in the other."""
    number = real("image_license.json")["query"]["pages"][0]["imageinfo"][0]["extmetadata"]
    string = real("gallery_item_image.json")["query"]["pages"][0]["imageinfo"][0]["extmetadata"]
    assert isinstance(number["CommonsMetadataExtension"]["value"], float)
    assert isinstance(string["CommonsMetadataExtension"]["value"], str)
    assert as_text(number["CommonsMetadataExtension"]["value"]) == "1.2"
    assert as_text(string["CommonsMetadataExtension"]["value"]) == "1.2"


def test_upload_url_rule_matches_the_real_urls() -> None:
    """md5 path rule (reference doc B2) against URLs served in the real answers."""
    gallery = real("gallery_item_image.json")["query"]["pages"][0]["imageinfo"][0]
    assert commons_file_url("Kinkaku3402CBcropped.jpg") == gallery["url"]
    assert commons_file_url("File:Kinkaku3402CBcropped.jpg", 1280) == gallery["thumburl"]
    pages = {p["title"]: p for p in real("full_text_search_results.json")["query"]["pages"]}
    queens = pages["Queens"]["thumbnail"]["source"]
    assert commons_file_url("Queens Montage 2012 1.png", 285) == queens
    subway = pages["Independent Subway System"]["thumbnail"]["source"]  # "(" and ")" escaped
    assert commons_file_url("BMT 100 Nostalgia Ride (19329819685).jpg", 320) == subway
    svg = pages["63rd Street Lines"]["thumbnail"]["source"]  # an SVG's thumbnail is a PNG
    assert commons_file_url("NYCS-line-trans-63rd.svg", 320) == svg
    summary = real("rb_page_summary_valid.json")["originalimage"]["source"]
    assert commons_file_url("Diophantus-II-8-Fermat.jpg") == summary
    digest = hashlib.md5(b"Veronica_Roth_March_18,_2014_(cropped).jpg").hexdigest()
    assert commons_file_url("Veronica Roth March 18, 2014 (cropped).jpg") == (
        f"https://upload.wikimedia.org/wikipedia/commons/{digest[0]}/{digest[:2]}/"
        "Veronica_Roth_March_18%2C_2014_%28cropped%29.jpg"
    )
    assert commons_file_url("x.jpg", base="http://127.0.0.1:9/upload/").startswith(
        "http://127.0.0.1:9/upload/"
    )
    assert commons_name("file:some_photo  name.jpg") == "Some_photo_name.jpg"
    assert file_name_from_url(subway) == "BMT 100 Nostalgia Ride (19329819685).jpg"


# -- Wikipedia page images (real) ---------------------------------------------------------


def test_page_images_with_normalized_titles() -> None:
    images = parse_page_images(real("reading_list_page_info.json"))
    obama = images["Barack Obama"]
    assert obama is not None
    assert obama.thumbnail_url == (
        "https://upload.wikimedia.org/wikipedia/commons/thumb/8/8d/President_Barack_Obama.jpg/"
        "256px-President_Barack_Obama.jpg"
    )
    assert (obama.thumbnail_width, obama.thumbnail_height) == (256, 320)
    assert obama.pageimage is None  # piprop had no "name"
    assert obama.original_url is None
    assert obama.file_name == "President Barack Obama.jpg"
    assert images["Barack_Obama"] == obama  # the title as requested
    assert images["Joe_Biden"] == images["Joe Biden"]
    assert images["Joe Biden"] is not None
    assert images["Joe Biden"].thumbnail_width == 255


def test_pages_without_thumbnail_have_no_image() -> None:
    images = parse_page_images(real("full_text_search_results.json"))
    assert len(images) == 20
    assert sorted(t for t, img in images.items() if img is None) == [
        "IND Crosstown Line",
        "IND Queens Boulevard Line",
        "Queens Boulevard",
        "Union Turnpike (New York)",
    ]
    assert images["Queens"] is not None and images["Queens"].thumbnail_height == 320


def test_page_images_formatversion_1_missing_page_and_redirect() -> None:
    """Made up, in the documented version-1 shape: pages keyed by id, "-1" for a missing
    page, ``""`` booleans, a redirect, and piprop=name|original."""
    obj = {
        "batchcomplete": "",
        "query": {
            "normalized": [{"from": "jon_jones", "to": "Jon jones"}],
            "redirects": [{"from": "Jon jones", "to": "Jon Jones"}],
            "pages": {
                "-1": {"ns": 0, "title": "No Such Fighter", "missing": ""},
                "7": {
                    "pageid": 7,
                    "ns": 0,
                    "title": "Jon Jones",
                    "pageimage": "Jon_Jones_2015.jpg",
                    "original": {"source": "https://u/x.jpg", "width": "900", "height": 1200},
                },
                "8": {"pageid": 8, "ns": 0, "title": "Nobody Pictured"},
            },
        },
    }
    images = parse_page_images(obj)
    assert images["No Such Fighter"] is None
    assert images["Nobody Pictured"] is None
    jones = images["jon_jones"]
    assert jones is not None and jones is images["Jon Jones"] and jones is images["Jon jones"]
    assert jones.pageimage == "Jon_Jones_2015.jpg"
    assert jones.file_name == "Jon Jones 2015.jpg"
    assert (jones.original_width, jones.original_height) == (900, 1200)
    assert jones.thumbnail_url is None


def test_image_info_missing_file_and_error_answer() -> None:
    obj = {"query": {"pages": [{"ns": 6, "title": "File:Gone.jpg", "missing": True}]}}
    assert parse_image_info(obj) == {"File:Gone.jpg": None}
    with pytest.raises(ParseError):
        parse_image_info({"error": {"code": "badvalue", "info": "x"}})


# -- licences -----------------------------------------------------------------------------


def _licence(code: str | None, name: str | None = None, non_free: bool | None = None) -> ImageInfo:
    return ImageInfo(
        title="File:X.jpg",
        url=None,
        thumburl=None,
        descriptionurl=None,
        width=None,
        height=None,
        mime=None,
        licence_short_name=name,
        licence_code=code,
        licence_url=None,
        usage_terms=None,
        attribution_required=None,
        attribution=None,
        artist_text=None,
        credit_text=None,
        copyrighted=None,
        restrictions=(),
        non_free=non_free,
    )


@pytest.mark.parametrize(
    ("code", "name", "free"),
    [
        ("cc-by-sa-4.0", None, True),
        ("cc-by-2.0", None, True),
        ("cc-by-sa-3.0-de", None, True),
        ("cc-by-sa-2.5,2.0,1.0", None, True),
        ("CC0", None, True),
        ("pd", None, True),
        ("pd-usgov", None, True),
        ("cc-by-nc-2.0", None, False),
        ("cc-by-nd-4.0", None, False),
        ("cc-by-nc-sa-3.0", None, False),
        ("gfdl", None, False),
        ("fair use", None, False),
        (None, "Fair use", False),
        (None, "Non-free media", False),
        (None, "CC BY-SA 4.0", True),
        (None, "CC BY 2.0", True),
        (None, "Public domain", True),
        (None, "CC0", True),
        (None, None, False),
    ],
)
def test_is_free_licence(code: str | None, name: str | None, free: bool) -> None:
    assert is_free_licence(_licence(code, name)) is free


def test_non_free_flag_and_no_info_are_not_free() -> None:
    assert not is_free_licence(_licence("cc-by-sa-4.0", non_free=True))
    assert not is_free_licence(None)


def test_html_text_uses_the_markup_not_a_regex() -> None:
    assert html_text('<a href="x" title="a > b">Foo &amp; <b>Bar</b></a>') == "Foo & Bar"
    assert html_text("plain  name ") == "plain name"
    assert html_text("") is None


# -- Wikidata entities (real) -------------------------------------------------------------


def test_person_with_image_old_serialisation() -> None:
    """Q328212 has entity ids as numeric-id only (no "id")."""
    e = parse_entity(real("Q328212.json"))
    assert e.qid == "Q328212"
    assert e.label == "Veronica Roth"
    assert e.is_human and e.instance_of == ["Q5"]
    assert e.images == ["Veronica Roth March 18, 2014 (cropped).jpg"]
    assert e.image == "Veronica Roth March 18, 2014 (cropped).jpg"
    assert e.birth_places == ["Q60"]
    assert e.citizenships == ["Q30"]
    assert e.birth_date == dt.date(1988, 8, 19)
    assert e.birth_dates[0].raw == "+1988-08-19T00:00:00Z"
    assert e.birth_dates[0].precision == 11
    assert e.enwiki == "Veronica Roth"
    assert not e.missing


def test_person_without_image_new_serialisation() -> None:
    e = parse_entity(real("Q646148.json"))
    assert e.label == "Henning Christophersen"
    assert e.is_human
    assert e.images == [] and e.image is None
    assert e.birth_places == ["Q1748"]
    assert e.citizenships == ["Q35"]
    assert e.birth_date == dt.date(1939, 11, 8)
    assert e.enwiki == "Henning Christophersen"


def test_wbgetentities_wrapper() -> None:
    entities = parse_entities(real("wbgetentities_response.json"))
    assert list(entities) == ["Q3235026"]
    e = entities["Q3235026"]
    assert e.label is None  # labels is {}
    assert e.instance_of == ["Q14406742"]
    assert not e.is_human
    assert e.enwiki is None  # only a frwiki sitelink
    assert e.birth_date is None and e.image is None


def test_wrapped_real_entities_and_errors() -> None:
    both = {"entities": {"Q328212": real("Q328212.json"), "Q646148": real("Q646148.json")}}
    parsed = parse_entities(both)
    assert parsed["Q328212"].image and parsed["Q646148"].image is None
    with pytest.raises(ParseError):
        parse_entities({"error": {"code": "maxlag", "info": "Waiting for a host"}})
    with pytest.raises(ParseError):
        parse_entities({"success": 1})


# -- Wikidata (made up, in the Wikibase JSON shape) ---------------------------------------


def _claim(prop: str, value: Any, rank: str = "normal", kind: str = "string") -> dict[str, Any]:
    return {
        "mainsnak": {
            "snaktype": "value",
            "property": prop,
            "datavalue": {"value": value, "type": kind},
        },
        "type": "statement",
        "rank": rank,
    }


def _time(raw: str, precision: int, calendar: str = "Q1985727") -> dict[str, Any]:
    return {
        "time": raw,
        "timezone": 0,
        "before": 0,
        "after": 0,
        "precision": precision,
        "calendarmodel": f"http://www.wikidata.org/entity/{calendar}",
    }


def test_ranks_deprecated_skipped_preferred_first() -> None:
    entity = {
        "id": "Q1",
        "claims": {
            "P18": [
                _claim("P18", "Old wrong photo.jpg", "deprecated"),
                _claim("P18", "Normal photo.jpg"),
            ],
            "P27": [
                _claim("P27", {"id": "Q30"}, kind="wikibase-entityid"),
                _claim("P27", {"id": "Q155"}, "preferred", kind="wikibase-entityid"),
            ],
            "P569": [
                _claim("P569", _time("+1990-04-16T00:00:00Z", 11), "deprecated", "time"),
                _claim("P569", _time("+1991-04-16T00:00:00Z", 11), kind="time"),
            ],
            "P19": [
                {"mainsnak": {"snaktype": "somevalue", "property": "P19"}, "rank": "normal"},
            ],
        },
    }
    e = parse_entity(entity)
    assert e.images == ["Normal photo.jpg"]
    assert e.citizenships == ["Q155"]  # the preferred claim wins over the normal one
    assert e.birth_date == dt.date(1991, 4, 16)  # the deprecated date is ignored
    assert e.birth_places == []  # "somevalue": no item


def test_lower_precision_dates_give_no_exact_date() -> None:
    year = parse_time(_time("+1990-00-00T00:00:00Z", 9))
    assert year is not None and year.date is None and year.year == 1990
    # year precision is often written with January 1st: still not a day
    padded = parse_time(_time("+1990-01-01T00:00:00Z", 9))
    assert padded is not None and padded.date is None and padded.year == 1990
    month = parse_time(_time("+1990-04-00T00:00:00Z", 10))
    assert month is not None and month.date is None and month.year == 1990
    decade = parse_time(_time("+1990-00-00T00:00:00Z", 8))
    assert decade is not None and decade.date is None and decade.year is None
    julian = parse_time(_time("+1990-04-16T00:00:00Z", 11, calendar="Q1985786"))
    assert julian is not None and julian.date is None and julian.year == 1990
    assert parse_time(_time("+1990-04-16T00:00:00Z", 11)).date == dt.date(1990, 4, 16)  # type: ignore[union-attr]
    e = parse_entity(
        {
            "id": "Q2",
            "claims": {"P569": [_claim("P569", _time("+1990-00-00T00:00:00Z", 9), kind="time")]},
        }
    )
    assert e.birth_date is None and e.birth_dates[0].year == 1990


def test_missing_and_redirected_entities() -> None:
    obj = {
        "entities": {
            "Q404": {"id": "Q404", "missing": ""},
            "Q10": {"id": "Q11", "type": "item", "labels": {"en": {"value": "Target"}}},
        },
        "success": 1,
    }
    parsed = parse_entities(obj)
    assert parsed["Q404"].missing
    assert parsed["Q10"].qid == "Q11" and parsed["Q10"].redirected_from == "Q10"


def test_place_and_country_claims() -> None:
    city = parse_entity(
        {
            "id": "Q60",
            "labels": {"en": {"language": "en", "value": "New York City"}},
            "claims": {
                "P17": [_claim("P17", {"entity-type": "item", "numeric-id": 30}, kind="x")],
                "P131": [_claim("P131", {"id": "Q1384"}, kind="x")],
            },
        }
    )
    assert city.countries == ["Q30"] and city.admin_areas == ["Q1384"] and city.iso2 is None
    country = parse_entity({"id": "Q30", "claims": {"P297": [_claim("P297", "us")]}})
    assert country.iso2 == "US"


# -- SPARQL and search --------------------------------------------------------------------


def _binding(qid: str, value: str) -> dict[str, Any]:
    return {
        "item": {"type": "uri", "value": f"http://www.wikidata.org/entity/{qid}"},
        "sherdog": {"type": "literal", "value": value},
    }


def test_parse_sparql_ids() -> None:
    """Made up, in the W3C SPARQL 1.1 JSON results shape."""
    obj = {
        "head": {"vars": ["item", "sherdog"]},
        "results": {
            "bindings": [
                _binding("Q5", "27944"),
                _binding("Q40", "Jon-Jones-27944"),  # a slug form, same id
                _binding("Q12", "56035"),
                _binding("Q12", "56035"),  # the same row twice
                _binding("Q7", "not-a-number"),
            ]
        },
    }
    unreadable: list[dict[str, str]] = []
    ids = parse_sparql_ids(obj, unreadable)
    assert ids == {27944: ["Q5", "Q40"], 56035: ["Q12"]}
    assert unreadable == [{"item": "http://www.wikidata.org/entity/Q7", "value": "not-a-number"}]
    with pytest.raises(ParseError):
        parse_sparql_ids({"head": {}})


def test_search_hits_both_shapes() -> None:
    cirrus = parse_search_hits(real("cirrus_search_response.json"))
    assert [h.qid for h in cirrus] == ["Q1"]
    made_up = {
        "searchinfo": {"search": "jon jones"},
        "search": [
            {"id": "Q318447", "label": "Jon Jones", "description": "American mixed martial artist"},
            {"id": "Q6272395", "label": "Jon Jones", "description": "Welsh footballer"},
        ],
        "success": 1,
    }
    hits = parse_search_hits(made_up)
    assert [(h.qid, h.label) for h in hits] == [("Q318447", "Jon Jones"), ("Q6272395", "Jon Jones")]
    assert parse_search_hits({"searchinfo": {"search": "nobody"}, "search": []}) == []
    with pytest.raises(ParseError):
        parse_search_hits({"error": {"code": "maxlag"}})
