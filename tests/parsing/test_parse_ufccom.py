"""UFC.com parsers on pages that reproduce the real markup (see tests/fixtures/ufccom/SOURCES.md:
the real pages carry no licence, so the fixtures are reconstructions with made-up people)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.ufccom import (
    RankedAthlete,
    UfcComAthlete,
    UfcComCard,
    is_placeholder_image,
    parse_athlete,
    parse_athletes_list,
    parse_rankings,
    slug_candidates,
    slug_from_href,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ufccom"
SITE = "https://www.ufc.com"


def page(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def athlete(fixture: str, slug: str) -> UfcComAthlete:
    parsed = parse_athlete(page(fixture), f"{SITE}/athlete/{slug}")
    assert parsed is not None
    return parsed


# ---------------------------------------------------------------- athlete pages


def test_full_athlete_page():
    a = athlete("athlete_full.html", "rafael-montoya")
    assert a.to_dict() == {
        "slug": "rafael-montoya",
        "url": f"{SITE}/athlete/rafael-montoya",
        "name": "Rafael Montoya",
        "nickname": "The Heron",  # &quot;The Heron&quot;: decoded, then the quotes stripped
        "division": "Flyweight",  # "Flyweight Division"
        "wins": 24,
        "losses": 6,
        "draws": 0,
        "status": "Active",
        "place_of_birth": "Brazil",
        "place_label": "Place of Birth",
        "trains_at": "Northside Combat Club",
        "age": 35,  # nested in div.field--name-age
        "birth_date": "1991-05-03",  # JSON-LD @graph[0].mainEntity.birthDate
        "height_in": 65.0,
        "weight_lbs": 125.0,
        "reach_in": 67.0,
        "leg_reach_in": 36.5,
        "octagon_debut": "2017-01-29",  # "Jan. 29, 2017"
        "image_url": (
            "https://ufc.com/images/styles/athlete_bio_full_body/s3/2026-05/"
            "MONTOYA_RAFAEL_L_05-16.png?itok=Qx7-aB3d"
        ),
        "image_placeholder": False,
        "tags": ["#1 Flyweight Division", "#11 PFP", "Active"],
    }
    assert UfcComAthlete.from_dict(a.to_dict()) == a


def test_slug_from_canonical_when_the_url_is_not_an_athlete_url():
    a = parse_athlete(page("athlete_full.html"), "data/raw/ufccom/athlete/x.html")
    assert a is not None and a.slug == "rafael-montoya"
    assert a.url == f"{SITE}/athlete/rafael-montoya"


def test_page_with_only_status_in_the_bio():
    a = athlete("athlete_no_birthplace.html", "ana-medeiros")
    assert (a.place_of_birth, a.place_label, a.trains_at) == (None, None, None)
    assert (a.age, a.height_in, a.weight_lbs, a.reach_in, a.octagon_debut) == (None,) * 5
    assert a.status == "Active"
    assert a.division == "Women's Strawweight"  # &#039; decoded, " Division" dropped
    assert a.birth_date == "1998-02-27"
    # a relative hero image is joined onto the page URL
    assert a.image_url == (
        f"{SITE}/images/styles/athlete_bio_full_body/s3/2025-11/MEDEIROS_ANA_L_11-08.png"
        "?itok=Zr4mQ1xT"
    )


def test_hometown_is_the_older_label_of_place_of_birth():
    a = athlete("athlete_hometown.html", "joao-moraes-2")
    assert a.place_of_birth == "Tijuana , Mexico"  # raw text, as the page prints it
    assert a.place_label == "Hometown"
    assert a.status == "Not Fighting"
    assert a.nickname is None
    assert (a.wins, a.losses, a.draws) == (14, 5, 1)
    assert a.octagon_debut == "2015-09-05"
    # the older CDN host, kept as served (the &amp; of the attribute decoded)
    assert a.image_url == (
        "https://dmxg5wxfqgb4u.cloudfront.net/styles/athlete_bio_full_body/s3/2019-03/"
        "MORAES_JOAO_L_03-23.png?VersionId=Ab12Cd34Ef56&itok=k8Pq2LmN"
    )


def test_trains_at_present_but_empty_is_none():
    a = athlete("athlete_empty_trains_at.html", "pedro-mendes-junior")
    assert a.trains_at is None
    assert a.place_of_birth == "Belém, Brazil"
    assert a.weight_lbs == 145.5
    assert a.name == "Pedro Mendes Jr."
    assert a.tags == ["#9 Featherweight Division", "Active"]


@pytest.mark.parametrize(
    "fixture, slug",
    [
        ("athlete_placeholder.html", "tomasz-malecki"),  # ../themes/.../no-profile-image.png
        ("athlete_shadow.html", "dario-mancini"),  # SHADOW_Fighter_fullLength_RED.png
        ("athlete_female_silhouette.html", "lena-marsh"),  # womens-silhouette-RED-corner.png
    ],
)
def test_placeholder_images_give_no_image(fixture: str, slug: str):
    a = athlete(fixture, slug)
    assert a.image_url is None
    assert a.image_placeholder is True
    assert a.name  # the rest of the page is still read
    assert "ufc.com.." not in str(a.to_dict())


def test_missing_json_ld_and_hero_image():
    a = athlete("athlete_no_jsonld.html", "kofi-mensah")
    assert a.birth_date is None
    assert a.image_url == "https://ufc.com/images/2026-04/MENSAH_KOFI_04-11.png"  # og:image
    assert a.image_placeholder is False
    assert a.reach_in == 81.5
    assert a.trains_at == "Lionheart Combat, Accra"


def test_entities_encoded_twice_are_decoded():
    html = page("athlete_full.html").replace(
        b"&quot;The Heron&quot;", b"&amp;quot;The Heron&amp;quot;"
    )
    html = html.replace(b"Northside Combat Club", b"Smith &amp;amp; Sons MMA")
    a = parse_athlete(html, f"{SITE}/athlete/rafael-montoya")
    assert a is not None
    assert a.nickname == "The Heron"
    assert a.trains_at == "Smith & Sons MMA"


@pytest.mark.parametrize(
    "html",
    [
        page("not_found.html"),
        b"<html><body>Page not found</body></html>",  # the bare answer of a 404
    ],
)
def test_not_found_page_is_none(html: bytes):
    assert parse_athlete(html, f"{SITE}/athlete/nobody") is None


def test_a_page_that_is_not_an_athlete_page_is_refused():
    with pytest.raises(ParseError) as exc:
        parse_athlete(page("rankings.html"), f"{SITE}/athlete/rankings")
    msg = str(exc.value)
    assert "h1.hero-profile__name" in msg and "div.c-bio__field" in msg
    assert f"{SITE}/athlete/rankings" in msg


def test_an_unreadable_bio_number_names_the_field():
    html = page("athlete_full.html").replace(b">65.00<", b">tall<")
    with pytest.raises(ParseError, match="Height"):
        parse_athlete(html, f"{SITE}/athlete/rafael-montoya")


# ---------------------------------------------------------------- list and rankings


def test_athletes_list_first_page():
    cards = parse_athletes_list(page("athletes_all.html"), f"{SITE}/athletes/all")
    assert page("athletes_all.html").count(b'<li class="l-flex__item">') == 7  # 6 + the ad
    assert [c.slug for c in cards] == [
        "eli-aberdeen",
        "marek-abramov",
        "tariq-abdulov",
        "kenji-abe",
        "mansur-abdul-karim",
        "ruben-abreu",
    ]
    # no photo: the grey head thumbnail (relative) gives no image
    assert cards[0] == UfcComCard(
        slug="eli-aberdeen",
        name="Eli Aberdeen",
        nickname="The Quiet Storm",
        division="Lightweight",
        wins=2,
        losses=2,
        draws=0,
        image_url=None,
    )
    assert cards[1].nickname is None  # empty span.c-listing-athlete__nickname
    assert cards[1].image_url == (
        "https://ufc.com/images/styles/teaser/s3/2022-09/ABRAMOV_MAREK.png?h=a30e7339&itok=Xy12Zw34"
    )
    assert (cards[4].wins, cards[4].losses, cards[4].draws) == (9, 1, 1)
    assert cards[5].name == "Rubén Abreu"
    assert UfcComCard.from_dict(cards[2].to_dict()) == cards[2]


def test_rankings():
    ranked = parse_rankings(page("rankings.html"), f"{SITE}/rankings")
    assert ranked[:4] == [
        # first named in the pound-for-pound grouping: the division comes from a later one
        RankedAthlete("nikolai-varga", "Nikolai Varga", "Lightweight"),
        RankedAthlete("rafael-montoya", "Rafael Montoya", "Flyweight"),
        RankedAthlete("sean-oconnell", "Sean O'Connell", "Bantamweight"),
        RankedAthlete("iker-salazar", "Iker Salazar", "Flyweight"),  # a champion (h5 a)
    ]
    assert len(ranked) == len({r.slug for r in ranked}) == 11
    by_slug = {r.slug: r for r in ranked}
    assert by_slug["joao-moraes-2"] == RankedAthlete("joao-moraes-2", "João Moraes", "Bantamweight")
    assert by_slug["loneer-tavake"].name == "Lone’er Tavake"
    assert by_slug["mei-lin-zhou"].division == "Women's Strawweight"


def test_list_and_rankings_on_a_not_found_page_are_empty():
    assert parse_athletes_list(page("not_found.html"), f"{SITE}/athletes/all") == []
    assert parse_rankings(page("not_found.html"), f"{SITE}/rankings") == []


def test_list_and_rankings_refuse_other_pages():
    with pytest.raises(ParseError, match="c-listing-athlete-flipcard__inner"):
        parse_athletes_list(page("athlete_full.html"), f"{SITE}/athletes/all")
    with pytest.raises(ParseError, match="view-grouping"):
        parse_rankings(page("athlete_full.html"), f"{SITE}/rankings")


# ---------------------------------------------------------------- slugs and images


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Raul-Rosas-Jr.", ["raul-rosas-jr"]),  # HeXeDMinD/ufc-data-scraper's example
        ("Raul Rosas Jr.", ["raul-rosas-jr"]),  # real rankings: /athlete/raul-rosas-jr
        ("Alexandre Pantoja", ["alexandre-pantoja"]),
        ("Sean O'Malley", ["sean-omalley"]),  # real rankings: /athlete/sean-omalley
        ("Lone’er Kavanagh", ["loneer-kavanagh"]),  # real rankings: /athlete/loneer-kavanagh
        ("Kai Kara-France", ["kai-kara-france"]),  # real page: /athlete/kai-kara-france
        ("Cristian Quiñonez", ["cristian-quinonez"]),
        ("Ariane Lipski da Silva", ["ariane-lipski-da-silva", "ariane-silva"]),
        ("Jose Luis Perez Jr.", ["jose-luis-perez-jr", "jose-perez-jr"]),
        ("  ", []),
    ],
)
def test_slug_candidates(name: str, expected: list[str]):
    assert slug_candidates(name) == expected


@pytest.mark.parametrize(
    "href, slug",
    [
        ("/athlete/tahir-abdullayev", "tahir-abdullayev"),
        ("https://www.ufc.com/athlete/alexandre-pantoja", "alexandre-pantoja"),
        ("https://www.ufc.com/athlete/joshua-van/", "joshua-van"),
        ("/athletes/all?page=1", None),
        (None, None),
    ],
)
def test_slug_from_href(href: str | None, slug: str | None):
    assert slug_from_href(href) == slug


@pytest.mark.parametrize(
    "url",
    [
        "https://www.ufc.com/themes/custom/ufc/assets/img/no-profile-image.png",
        "https://ufc.com/images/styles/event_fight_card_upper_body_of_standing_athlete/s3/image/"
        "fighter_images/SHADOW_Fighter_fullLength_BLUE.png?VersionId=1J&itok=Bg",
        "https://ufc.com/images/styles/athlete_bio_full_body/s3/image/fighter_images/"
        "SHADOW_Fighter_fullLength_RED.png",
        "https://www.ufc.com/themes/custom/ufc/assets/img/silhouette-headshot-female.png",
        "https://ufc.com/images/styles/teaser/s3/image/fighter_images/Shadow/UFCWomen_Headshot.png",
        "https://www.ufc.com/themes/custom/ufc/assets/img/womens-silhouette-RED-corner.png",
        "https://www.ufc.com/themes/custom/ufc/assets/img/standing-stance-left-silhouette.png",
        "https://www.ufc.com/themes/custom/ufc/assets/img/standing-stance-right-silhouette.png",
    ],
)
def test_placeholder_patterns(url: str):
    assert is_placeholder_image(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://ufc.com/images/styles/athlete_bio_full_body/s3/2026-09/"
        "PANTOJA_ALEXANDRE_L_09-19.png?itok=-DU8CxfT",
        "https://dmxg5wxfqgb4u.cloudfront.net/styles/athlete_bio_full_body/s3/2024-01/"
        "SHADOWS_ANDRE_L_01-20.png",  # a surname, not the silhouette
        None,
    ],
)
def test_real_photos_are_not_placeholders(url: str | None):
    assert not is_placeholder_image(url)
