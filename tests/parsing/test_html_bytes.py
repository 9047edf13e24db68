"""``page_bytes``: the bytes a page's tree is built from, the same whether the page's bytes
are taken as they are (valid UTF-8) or decoded, stripped and encoded again."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from lxml import etree

from ufc_pipeline.parsing._html import html_root, page_bytes, to_text

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"


def _slow(html: str | bytes) -> bytes:
    return to_text(html).strip().replace("\x00", "").encode("utf-8")


CASES = [
    b"",
    b"   \n\t ",
    b"<html><body>plain</body></html>",
    b"\n\x1c\x1d <html><body>x</body></html>\x1e\x1f \r\n",  # str.strip removes these too
    "<p>Jos\u00e9 Aldo \u201cJunior\u201d</p>".encode(),
    "\u00a0<p>nbsp at both ends</p>\u00a0".encode(),  # Unicode space: only str.strip knows
    "\ufeff<p>a byte-order mark</p>".encode(),
    "<p>ends in a letter \u00e9</p>\u00e9".encode(),
    b"<p>a NUL\x00 inside</p>",
    b"<p>invalid \xff\xfe UTF-8</p>",
    b"<p>a lone continuation byte \x80</p>",
    "<p>text given as str \u00e9</p>",
    "\u2003<p>an em space</p>\u2003",
]


@pytest.mark.parametrize("html", CASES)
def test_the_bytes_are_those_of_the_decoded_page(html: str | bytes) -> None:
    assert page_bytes(html) == _slow(html)


def test_random_bytes_give_what_decoding_gives() -> None:
    rng = random.Random(7)
    alphabet = [b" ", b"\n", b"\x1c", b"<p>", b"a", b"\x00", b"\xc3\xa9", b"\xc3", b"\xa0",
                b"\xe2\x80\x83", b"\xef\xbb\xbf", b"\xff"]  # fmt: skip
    for _ in range(3000):
        html = b"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert page_bytes(html) == _slow(html), html


def test_real_pages_give_the_same_tree() -> None:
    pages = sorted(REAL.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        data = path.read_bytes()
        assert page_bytes(data) == _slow(data), path.name
        fast, slow = html_root(data), html_root(data.decode("utf-8", "replace"))
        assert etree.tostring(fast) == etree.tostring(slow), path.name
