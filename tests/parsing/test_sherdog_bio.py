"""The origins-only read of a Sherdog fighter page gives exactly what the full parse gives,
on every real fighter page of the corpus (both layouts) and on mirror pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from ufc_pipeline.parsing.errors import ParseError
from ufc_pipeline.parsing.sherdog import parse_fighter_bio, parse_fighter_page

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
PAGES = sorted((REAL / "sherdog" / "fighter").glob("*.html")) + sorted(
    p for p in (REAL / "mirror_sherdog").glob("*.html") if "fighter" in p.name
)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_bio_equals_the_full_parse(path: Path) -> None:
    html = path.read_bytes()
    try:
        full = parse_fighter_page(html, str(path))
    except ParseError:
        pytest.skip("not a fighter page the full parser reads")
    bio = parse_fighter_bio(html, str(path))
    assert bio == {
        "nationality": full.nationality,
        "birthplace": full.birthplace,
        "association": full.association,
    }


def test_the_corpus_has_pages_with_each_fact() -> None:
    bios = [parse_fighter_bio(p.read_bytes(), str(p)) for p in PAGES]
    assert len(PAGES) >= 10
    for key in ("nationality", "birthplace", "association"):
        assert any(b[key] for b in bios), key
