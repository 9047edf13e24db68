"""Anti-bot pages are recognised before parsing and raise BlockedPage naming kind + source."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ufc_pipeline.parsing import (
    parse_fighters_list,
    parse_search_results,
    parse_sherdog_fighter,
    parse_ufcstats_fighter,
)
from ufc_pipeline.parsing.blocks import detect_block
from ufc_pipeline.parsing.errors import BlockedPage

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# Written for these tests in the shape of the real challenge pages (title, _cf_chl_opt,
# the /cdn-cgi/challenge-platform/h/ orchestrate script).
CLOUDFLARE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head><body>
<div class="main-content"><h1 class="zone-name-title h1">www.sherdog.com</h1>
<p>Verifying you are human. This may take a few seconds.</p></div>
<script>(function(){window._cf_chl_opt={cvId: '3',cZone: "www.sherdog.com",cType: 'managed'};
var cpo=document.createElement('script');
cpo.src='/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1?ray=8f0000000000000a';
document.getElementsByTagName('head')[0].appendChild(cpo);}());</script></body></html>"""

UFCSTATS_CHALLENGE = """<html><head><title>Checking your browser...</title></head><body>
<p>Checking your browser...</p>
<script>var nonce="6b1f0c2d";var target=new Array(4+1).join('0');
/* find n with sha256(nonce + ':' + n) starting with target, then POST to /__c */</script>
</body></html>"""

PARSERS: list[tuple[str, Callable[..., Any]]] = [
    ("ufcstats-fighters", parse_fighters_list),
    ("ufcstats-fighter", parse_ufcstats_fighter),
    ("sherdog-search", parse_search_results),
    ("sherdog-fighter", parse_sherdog_fighter),
]


def test_detect_block_reasons() -> None:
    assert detect_block(CLOUDFLARE) == "cloudflare"
    assert detect_block(CLOUDFLARE.encode(), 403) == "cloudflare"
    assert detect_block(UFCSTATS_CHALLENGE) == "ufcstats-challenge"
    assert detect_block("<html><head><title>Just a moment...</title></head></html>") == "cloudflare"
    assert detect_block('<div id="cf-browser-verification"></div>') == "cloudflare"
    denied = "<title>Access denied | www.sherdog.com used Cloudflare to restrict access</title>"
    assert detect_block(denied, 403) == "cloudflare"
    assert detect_block("<title>Just a game</title><p>Checking your browser</p>") is None


def test_real_pages_are_not_blocks() -> None:
    for path in sorted(FIXTURES.glob("*/*.html")):
        assert detect_block(path.read_bytes(), 200) is None, path.name


def test_cloudflare_jsd_snippet_alone_is_not_a_block() -> None:
    full = (FIXTURES / "sherdog" / "fighter_full_shell.html").read_text(encoding="utf-8")
    assert "/cdn-cgi/challenge-platform/scripts/jsd/main.js" in full
    assert detect_block(full) is None
    # ...but the same snippet on a 403/503 answer is a block
    assert detect_block(full, 403) == "cloudflare"


@pytest.mark.parametrize(("kind", "parse"), PARSERS)
@pytest.mark.parametrize(
    ("page", "reason"), [(CLOUDFLARE, "cloudflare"), (UFCSTATS_CHALLENGE, "ufcstats-challenge")]
)
def test_every_parser_raises_blocked_page(
    kind: str, parse: Callable[..., Any], page: str, reason: str
) -> None:
    with pytest.raises(BlockedPage) as err:
        parse(page, source=f"http://example.invalid/{kind}")
    assert err.value.page_kind == kind
    assert err.value.source == f"http://example.invalid/{kind}"
    assert reason in str(err.value)
    assert "try later" in str(err.value)
