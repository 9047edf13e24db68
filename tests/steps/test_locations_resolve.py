"""Origins from three sources: place names normalised, values kept, conflicts flagged."""

from __future__ import annotations

import random

import pytest

from ufc_pipeline.images.duplicates import find_duplicates
from ufc_pipeline.locations.normalize import country_code, parse_place
from ufc_pipeline.locations.resolve import Value, resolve


@pytest.mark.parametrize(
    ("text", "hint", "city", "region", "code"),
    [
        ("Rochester, United States", None, "Rochester", None, "US"),
        ("Brazil", None, None, None, "BR"),
        ("Hakha , Myanmar", None, "Hakha", None, "MM"),  # a space before the comma (real page)
        ("Atlanta, Georgia", "US", "Atlanta", "Georgia", None),  # a US state, not the country
        ("Tbilisi, Georgia", "GE", "Tbilisi", None, "GE"),
        ("Makhachkala, Dagestan", "RU", "Makhachkala", "Dagestan", None),
        ("Liverpool, England", None, "Liverpool", None, "GB"),
        ("", None, None, None, None),
    ],
)
def test_parse_place(text: str, hint: str | None, city, region, code) -> None:
    p = parse_place(text, country_hint=hint)
    assert (p.city, p.region, p.code) == (city, region, code)


def test_country_codes_of_names_the_sources_use() -> None:
    assert country_code("Russia") == "RU"
    assert country_code("England") == "GB"
    assert country_code("South Korea") == "KR"
    assert country_code("United States") == "US"
    assert country_code("Atlantis") is None


def test_agreeing_sources_choose_without_conflict() -> None:
    r = resolve(
        "f1",
        [
            Value("birth_country", "ufccom", "Brazil", "BR"),
            Value("birth_country", "wikidata", "Brazil", "BR"),
            Value("gym", "ufccom", "Teixeira MMA & Fitness-Bethel, CT"),
            Value("gym", "sherdog", "Teixeira MMA & Fitness"),
        ],
    )
    row = r.row()
    assert row["birth_country_code"] == "BR"
    assert row["conflicts"] == []
    assert row["gym"] == "Teixeira MMA & Fitness-Bethel, CT"  # UFC.com states the gym directly
    assert len(row["values"]) == 4  # every source's value is kept


def test_disagreement_is_flagged_and_majority_wins() -> None:
    r = resolve(
        "f2",
        [
            Value("birth_country", "ufccom", "Mexico", "MX"),
            Value("birth_country", "sherdog", "United States", "US"),
            Value("birth_country", "wikidata", "United States", "US"),
        ],
    )
    row = r.row()
    assert row["birth_country_code"] == "US"
    assert row["conflicts"] == ["birth_country"]
    assert {v["source"] for v in row["values"]} == {"ufccom", "sherdog", "wikidata"}


def test_tie_goes_to_the_field_priority() -> None:
    r = resolve(
        "f3",
        [
            Value("birth_country", "ufccom", "Mexico", "MX"),
            Value("birth_country", "wikidata", "United States", "US"),
        ],
    )
    assert r.row()["birth_country_code"] == "US"  # Wikidata first for the country of birth


def _saved(fid: str, source: str, phash: str, status: str = "saved") -> dict[str, str]:
    return {"ufcstats_id": fid, "source": source, "status": status, "phash": phash}


def test_duplicates_found_by_hash_distance() -> None:
    rows = [
        _saved("a", "wikimedia", "f0f0f0f0f0f0f0f0"),
        _saved("b", "sherdog", "f0f0f0f0f0f0f0f1"),
        _saved("c", "sherdog", "0f0f0f0f0f0f0f0f"),
        _saved("d", "sherdog", "f0f0f0f0f0f0f0f0", status="failed"),
    ]
    pairs = find_duplicates(rows)
    assert [(p.first_id, p.second_id, p.distance) for p in pairs] == [("a", "b", 1)]
    assert pairs[0].possible_wrong_match  # one side came from a matched Sherdog profile


def test_duplicates_bucketed_search_misses_nothing() -> None:
    rng = random.Random(5)
    hashes = [rng.getrandbits(64) for _ in range(400)]
    rows = [_saved(f"x{i}", "wikimedia", f"{h:016x}") for i, h in enumerate(hashes)]
    for k in range(6):  # near-copies at distance 1..6
        rows.append(_saved(f"y{k}", "wikimedia", f"{hashes[k] ^ ((1 << (k + 1)) - 1):016x}"))
    brute = {
        tuple(sorted((a["ufcstats_id"], b["ufcstats_id"])))
        for i, a in enumerate(rows)
        for b in rows[i + 1 :]
        if (int(a["phash"], 16) ^ int(b["phash"], 16)).bit_count() <= 6
    }
    found = {tuple(sorted((p.first_id, p.second_id))) for p in find_duplicates(rows)}
    assert found == brute
    assert len(found) >= 6


def test_a_tie_goes_to_the_values_consistent_with_the_other_facts() -> None:
    """UFC.com alone says Cape Town, South Africa; Sherdog says Paris and French, Wikidata
    French: the country follows the nationality, the city the source of that country."""
    r = resolve(
        "f4",
        [
            Value("nationality", "sherdog", "France", "FR"),
            Value("nationality", "wikidata", "France", "FR"),
            Value("birth_city", "sherdog", "Paris"),
            Value("birth_country", "sherdog", "France", "FR"),
            Value("birth_city", "ufccom", "Cape Town"),
            Value("birth_country", "ufccom", "South Africa", "ZA"),
        ],
    ).row()
    assert (r["birth_city"], r["birth_country_code"]) == ("Paris", "FR")
    assert r["conflicts"] == ["birth_city", "birth_country"]
