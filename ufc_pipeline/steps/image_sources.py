"""Where a fighter's image can come from: one candidate per source, in the configured order.

* ``wikimedia``: the Wikidata item's P18 file, else the English Wikipedia article's page
  image; only free licences (CC BY, CC BY-SA, CC0, public domain), with licence, author and
  attribution from Commons' ``extmetadata``;
* ``sherdog``: the verified Sherdog profile's photo;
* ``ufccom``: the verified UFC.com athlete page's photo (only when UFC.com is enabled).

A candidate that is known to be unusable before any download (a placeholder path, a
non-free licence, a profile without a photo) is returned with its ``skip`` reason, so the
``images`` table records why the source gave nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from ufc_pipeline.sources.http import Response

SHERDOG_LICENCE = "All rights reserved (Sherdog.com)"
UFCCOM_LICENCE = "All rights reserved (UFC.com)"

#: Why a source gave no candidate (``images.reason`` of a skipped row).
SKIP_REASONS: dict[str, str] = {
    "no_match": "The fighter has no verified profile on this source.",
    "no_item": "No Wikidata item is known for the fighter.",
    "no_image_on_page": "The profile or item shows no image.",
    "placeholder": "The profile shows the site's 'no photo' image.",
    "non_free_licence": "The only image is not under a free licence (e.g. fair use).",
    "no_licence_info": "Commons did not describe the file (deleted or renamed).",
    "page_not_found": "The verified profile page no longer exists.",
    "fetch_failed": "The profile page could not be fetched; tried again next run.",
}


@dataclass
class Candidate:
    """One image a source offers for a fighter (or why it offers none)."""

    source: str
    url: str | None = None
    skip: str | None = None  # a key of SKIP_REASONS: nothing to download
    detail: str = ""
    licence: str | None = None
    licence_url: str | None = None
    author: str | None = None
    attribution: str | None = None
    download: Callable[[], Awaitable[Response]] | None = field(default=None, repr=False)

    def facts(self) -> dict[str, Any]:
        """What the fighter's row keeps of a saved candidate."""
        return {
            "source": self.source,
            "url": self.url,
            "licence": self.licence,
            "licence_url": self.licence_url,
            "author": self.author,
            "attribution": self.attribution,
        }


def sherdog_candidate(
    url: str | None, *, skip: str | None = None, detail: str = "", download=None
) -> Candidate:
    return Candidate(
        "sherdog",
        url,
        skip=skip,
        detail=detail,
        licence=SHERDOG_LICENCE,
        attribution="Sherdog.com",
        download=download,
    )


def ufccom_candidate(
    url: str | None, *, skip: str | None = None, detail: str = "", download=None
) -> Candidate:
    return Candidate(
        "ufccom",
        url,
        skip=skip,
        detail=detail,
        licence=UFCCOM_LICENCE,
        attribution="UFC.com",
        download=download,
    )


def commons_attribution(author: str | None, licence: str | None, given: str | None) -> str:
    """The credit line Commons asks reusers to show: the file's own ``Attribution`` when it
    has one, else "<author>, <licence>, via Wikimedia Commons"."""
    if given:
        return given
    parts = [p for p in (author, licence) if p]
    return ", ".join([*parts, "via Wikimedia Commons"])
