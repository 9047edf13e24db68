"""Recognise anti-bot pages (Cloudflare challenge, UFCStats proof-of-work) before parsing.

Plain substring checks, no HTML parsing: a challenge page is small and its markers are
stable. Cloudflare also injects a harmless ``/cdn-cgi/challenge-platform/scripts/jsd/``
snippet into *normal* pages, so ``challenge-platform`` alone only counts with the markers
of a real challenge (the ``/h/`` orchestrate path, ``cf_chl_opt``, the title...).
"""

from __future__ import annotations

import re

from ufc_pipeline.parsing.errors import BlockedPage

_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)

BLOCK_HINTS = {
    "cloudflare": "Cloudflare challenge page: slow down (at most ~1 request/s) and try later",
    "ufcstats-challenge": (
        "UFCStats 'Checking your browser' proof-of-work page: solve it (POST nonce and n to "
        "/__c in the same session) or slow down and try later"
    ),
}


def _text(html: str | bytes) -> str:
    if isinstance(html, bytes):
        return html.decode("utf-8", errors="replace")
    return html


def detect_block(html: str | bytes, status: int | None = None) -> str | None:
    """Return ``"cloudflare"`` / ``"ufcstats-challenge"`` for an anti-bot page, else None.

    ``status`` (the HTTP status, when known) only strengthens the Cloudflare test: a 403
    or 503 carrying Cloudflare's challenge script is a block even without its title.
    """
    text = _text(html)
    lower = text.lower()
    m = _TITLE_RE.search(text)
    title = " ".join(m.group(1).split()).lower() if m else ""

    if "checking your browser" in lower and "var nonce" in lower:
        return "ufcstats-challenge"

    if title.startswith("just a moment") or "cloudflare" in title:
        return "cloudflare"  # also "Attention Required! | Cloudflare", "Access denied | ..."
    if "cf-browser-verification" in lower or "cf_chl_opt" in lower:
        return "cloudflare"
    if "challenge-platform" in lower:
        real_challenge = "challenge-platform/h/" in lower or "cf-challenge" in lower
        if real_challenge or (status in (403, 429, 503) and "cdn-cgi" in lower):
            return "cloudflare"
    return None


def raise_if_blocked(
    html: str | bytes, page_kind: str, source: str | None, status: int | None = None
) -> None:
    """Raise :class:`BlockedPage` naming the page kind and source when ``html`` is a block."""
    reason = detect_block(html, status)
    if reason is not None:
        raise BlockedPage(
            page_kind, source, f"anti-bot page ({reason}) instead of content", BLOCK_HINTS[reason]
        )
