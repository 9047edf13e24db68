"""Errors raised by the parsers: each names the page kind, the source and what was missing."""

from __future__ import annotations

import shlex


class ParseError(ValueError):
    """A page did not parse: names the page kind, the URL or file, and what was missing."""

    def __init__(self, page_kind: str, source: str | None, missing: str, hint: str = "") -> None:
        self.page_kind = page_kind
        self.source = source or "<unknown source>"
        self.missing = missing
        msg = f"{page_kind} page {self.source}: {missing}"
        if hint:
            msg += f" ({hint})"
        self.raw_file: str | None = None
        super().__init__(msg)

    def kept_at(self, raw_file: str) -> ParseError:
        """Name the raw file kept for the page and the command that reproduces the error."""
        if self.raw_file is None:
            self.raw_file = raw_file
            self.args = (
                f"{self.args[0]}; raw page kept at {raw_file} "
                f"(reproduce: ufc-pipeline parse {self.page_kind} {shlex.quote(raw_file)})",
            )
        return self


class PageNotFound(ParseError):
    """The site answered with its 'Page Not Found' page (Sherdog does so with status 200)."""


class BlockedPage(ParseError):
    """An anti-bot page (Cloudflare 'Just a moment...', UFCStats 'Checking your browser')."""
