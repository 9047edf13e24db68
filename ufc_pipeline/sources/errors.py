"""Errors raised when talking to a site. Each names the site, the URL and what to do."""

from __future__ import annotations


class FetchError(RuntimeError):
    """A page could not be fetched after the allowed retries."""

    def __init__(self, site: str, url: str, reason: str, hint: str = "") -> None:
        self.site = site
        self.url = url
        self.reason = reason
        self.hint = hint
        msg = f"{site}: could not fetch {url}: {reason}"
        if hint:
            msg += f". {hint}"
        super().__init__(msg)


class RobotsDisallowed(FetchError):
    """robots.txt forbids this URL for our User-Agent; we do not fetch it."""


class SiteBlocked(FetchError):
    """The site answered with an anti-bot page (Cloudflare, UFCStats challenge) every time."""
