"""Errors raised by the parsers: each names the page kind, the source and what was missing."""

from __future__ import annotations


class ParseError(ValueError):
    """A page did not parse: names the page kind, the URL or file, and what was missing."""

    def __init__(self, page_kind: str, source: str | None, missing: str, hint: str = "") -> None:
        self.page_kind = page_kind
        self.source = source or "<unknown source>"
        self.missing = missing
        msg = f"{page_kind} page {self.source}: {missing}"
        if hint:
            msg += f" ({hint})"
        super().__init__(msg)


class PageNotFound(ParseError):
    """The site answered with its 'Page Not Found' page (Sherdog does so with status 200)."""


class BlockedPage(ParseError):
    """An anti-bot page (Cloudflare 'Just a moment...', UFCStats 'Checking your browser')."""
