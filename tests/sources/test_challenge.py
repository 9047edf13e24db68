"""UFCStats' "Checking your browser" proof-of-work page: read, solve, form fields."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ufc_pipeline.parsing.blocks import detect_block
from ufc_pipeline.sources.challenge import (
    Challenge,
    ChallengeError,
    challenge_form,
    parse_challenge,
    solve,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _page(nonce: str, script: str, form: str = '<form id="c" method="POST" action="/__c">') -> str:
    """A challenge page in the shape described for UFCStats (written for these tests)."""
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Checking your browser...</title></head>
<body>
<noscript>Please enable JavaScript to continue to ufcstats.com.</noscript>
<p>Checking your browser before accessing ufcstats.com. This takes a second.</p>
{form}<input type="hidden" name="nonce"><input type="hidden" name="n"></form>
<script>
{script}
async function hex(s) {{
  const b = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s));
  return Array.from(new Uint8Array(b)).map(x => x.toString(16).padStart(2, "0")).join("");
}}
(async function () {{
  var n = 0;
  while (!(await hex(nonce + ":" + n)).startsWith(target)) {{ n++; }}
  var f = document.getElementById("c");
  f.nonce.value = nonce; f.n.value = n; f.submit();
}})();
</script>
</body></html>"""


def _realistic(nonce: str = "9f86d081884c7d65", difficulty: int = 3) -> str:
    return _page(nonce, f"var nonce=\"{nonce}\";var target=new Array({difficulty}+1).join('0');")


def _brute_first(nonce: str, difficulty: int) -> int:
    """Independent reference: the first n, hashing the exact string the browser hashes."""
    n = 0
    while not hashlib.sha256(f"{nonce}:{n}".encode()).hexdigest().startswith("0" * difficulty):
        n += 1
    return n


# ---------------------------------------------------------------- parse


def test_parse_realistic_page() -> None:
    page = _realistic("9f86d081884c7d65", 3)
    assert parse_challenge(page) == Challenge(nonce="9f86d081884c7d65", difficulty=3, action="/__c")
    assert parse_challenge(page.encode()) == Challenge("9f86d081884c7d65", 3)


@pytest.mark.parametrize(
    ("script", "form", "expected"),
    [
        # single quotes and spaces everywhere
        (
            "var nonce = 'a1b2c3' ;\nvar target = new Array( 5 + 1 ).join( \"0\" );",
            "<form id='c' method='post' action='/__c'>",
            Challenge("a1b2c3", 5, "/__c"),
        ),
        # the difficulty as an explicit variable, used to build the target
        (
            'var nonce="00ff"; var difficulty = 4;\n'
            "var target=new Array(difficulty+1).join('0');",
            '<form id="c" method="POST" action="/__c">',
            Challenge("00ff", 4, "/__c"),
        ),
        ('let nonce="beef";\nconst difficulty="2";', "<form id=c>", Challenge("beef", 2)),
        # Array(N).join('0') gives N-1 zeros
        (
            "var nonce='c0ffee';var target=Array(4).join('0');",
            "<form id=c>",
            Challenge("c0ffee", 3),
        ),
        ('var nonce="77";var target="00000";', "<form id=c>", Challenge("77", 5)),
        # another form action (entities decoded), bare attribute, or none at all
        (
            "var nonce=\"abc\";var target=new Array(3+1).join('0');",
            '<form id="c" method="POST" action="/__c?next=%2Fevent-details&amp;v=2">',
            Challenge("abc", 3, "/__c?next=%2Fevent-details&v=2"),
        ),
        (
            "var nonce=\"abc\";var target=new Array(3+1).join('0');",
            "<form id=c method=post action=/verify>",
            Challenge("abc", 3, "/verify"),
        ),
        (
            "var nonce=\"abc\";var target=new Array(3+1).join('0');",
            "<div id=c>",
            Challenge("abc", 3, "/__c"),
        ),
    ],
)
def test_parse_variants(script: str, form: str, expected: Challenge) -> None:
    assert parse_challenge(_page(expected.nonce, script, form)) == expected


def test_other_hidden_inputs_are_posted_too() -> None:
    script = "var nonce=\"abc\";var target=new Array(3+1).join('0');"
    form = (
        '<form class="search" action="/search"><input type="hidden" name="q" value="x"></form>\n'
        '<form id="c" method="POST" action="/__c">\n'
        '<input type="hidden" name="nonce" value="abc">\n'
        '<input type="hidden" name="r" value="/event-details/b96619b3acd7d9da?a=1&amp;b=2">\n'
        "<input type='hidden' name='t' value=''>\n"
        '<input type="text" name="comment" value="not hidden">'
    )
    challenge = parse_challenge(_page("abc", script, form))
    assert challenge is not None
    assert challenge.action == "/__c"  # the form with the nonce input, not the first form
    assert challenge.hidden == {"r": "/event-details/b96619b3acd7d9da?a=1&b=2", "t": ""}
    assert challenge_form(challenge, 7) == {
        "r": "/event-details/b96619b3acd7d9da?a=1&b=2",
        "t": "",
        "nonce": "abc",
        "n": "7",
    }


@pytest.mark.parametrize(
    "name",
    [
        "ufcstats/ufcstats-event-details.html",
        "ufcstats/ufcstats-events-completed.html",
        "sherdog/fighter_full_shell.html",
    ],
)
def test_real_pages_are_not_challenges(name: str) -> None:
    assert parse_challenge((FIXTURES / name).read_bytes()) is None


def test_other_pages_are_not_challenges() -> None:
    # a CSP nonce attribute is not the challenge's nonce variable
    csp = '<script nonce="r4nd0m">var target=new Array(3+1).join("0");</script>'
    assert parse_challenge(csp) is None
    cloudflare = "<title>Just a moment...</title><script>window._cf_chl_opt={}</script>"
    assert parse_challenge(cloudflare) is None
    # a nonce variable on an ordinary page, without the challenge wording or difficulty
    assert parse_challenge('<script>var nonce="abc"; track(nonce);</script>') is None


def test_challenge_page_with_unknown_difficulty_is_an_error() -> None:
    page = _page("abc", 'var nonce="abc"; var target=makeTarget(3);')
    with pytest.raises(ChallengeError, match="nonce 'abc'.*without a difficulty"):
        parse_challenge(page)


def test_difficulty_out_of_range() -> None:
    with pytest.raises(ChallengeError, match="difficulty 65"):
        Challenge("abc", 65)
    with pytest.raises(ChallengeError, match="difficulty -1"):
        parse_challenge(_page("abc", "var nonce='abc';var target=new Array(0).join('0');"))


# ---------------------------------------------------------------- solve


@pytest.mark.parametrize("nonce", ["9f86d081884c7d65", "6b1f0c2d", "0", "deadbeefcafe"])
def test_solve_finds_the_first_n(nonce: str) -> None:
    n = solve(Challenge(nonce, 3))
    digest = hashlib.sha256(f"{nonce}:{n}".encode()).hexdigest()
    assert digest.startswith("000"), digest
    assert n == _brute_first(nonce, 3)  # and no smaller n works


def test_solve_difficulty_four_from_a_parsed_page() -> None:
    challenge = parse_challenge(_realistic("6b1f0c2d", 4))
    assert challenge is not None
    n = solve(challenge)
    assert hashlib.sha256(f"6b1f0c2d:{n}".encode()).hexdigest()[:4] == "0000"
    assert n == _brute_first("6b1f0c2d", 4)
    assert challenge_form(challenge, n) == {"nonce": "6b1f0c2d", "n": str(n)}


def test_difficulty_zero_is_n_zero() -> None:
    assert solve(Challenge("anything", 0)) == 0


def test_max_iterations_boundary() -> None:
    challenge = Challenge("9f86d081884c7d65", 4)
    n = solve(challenge)
    assert n > 0
    # n = 0 .. max_iterations - 1 are tried: one short of n fails, exactly enough succeeds
    with pytest.raises(ChallengeError, match=r"nonce '9f86d081884c7d65', difficulty 4"):
        solve(challenge, max_iterations=n)
    assert solve(challenge, max_iterations=n + 1) == n
    with pytest.raises(ChallengeError, match="no n found in 10 tries"):
        solve(Challenge("9f86d081884c7d65", 8), max_iterations=10)


def test_challenge_form_fields() -> None:
    assert challenge_form(Challenge("00ff", 2, "/__c"), 1234) == {"nonce": "00ff", "n": "1234"}


# ---------------------------------------------------------------- block detection


@pytest.mark.parametrize(
    "page",
    [
        _realistic(),
        _page("a1b2c3", "var nonce = 'a1b2c3';\nvar target = new Array( 5 + 1 ).join( \"0\" );"),
        _page("00ff", 'var nonce="00ff"; var difficulty = 4;'),
    ],
)
def test_detect_block_sees_the_challenge(page: str) -> None:
    assert detect_block(page) == "ufcstats-challenge"
    assert detect_block(page.encode(), 200) == "ufcstats-challenge"
    assert parse_challenge(page) is not None
