"""Wikimedia Commons candidates of the image waterfall, prepared for many fighters at once.

For each fighter with a Wikidata item: the item's P18 file, else the page image of the
English Wikipedia article (asked with ``pilicense=free``, the API's default, so a fair-use
photo is never offered). Commons' ``imageinfo`` gives each file's URL, licence, author and
attribution; a file whose licence is not free is skipped with ``non_free_licence``. The
Action API is called in batches of up to 50 titles, in series.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ufc_pipeline.parsing.wikimedia import is_free_licence
from ufc_pipeline.sources.config import WikimediaConfig
from ufc_pipeline.sources.raw_store import RawStore
from ufc_pipeline.sources.wikimedia import WikimediaSource
from ufc_pipeline.steps.image_sources import Candidate, commons_attribution


def open_source(cfg: WikimediaConfig, raw: RawStore) -> WikimediaSource:
    """The Wikimedia source of a run (an async context manager)."""
    return WikimediaSource(cfg, raw)


def http_stats(source: WikimediaSource) -> dict[str, Any]:
    return source.http_stats()


def _file_title(name: str) -> str:
    name = name.strip().replace("_", " ")
    return name if name.lower().startswith("file:") else f"File:{name}"


async def candidates(
    source: WikimediaSource,
    wanted: Mapping[str, Mapping[str, Any]],
    log: Callable[[str], None],
) -> dict[str, Candidate]:
    """``{ufcstats_id: Candidate}`` for fighters whose ``wikidata_fighters`` row was found."""
    files: dict[str, str] = {}  # ufcstats id -> File: title
    articles: dict[str, str] = {}  # ufcstats id -> enwiki title (no P18)
    out: dict[str, Candidate] = {}
    for fid, row in wanted.items():
        if row.get("image_file"):
            files[fid] = _file_title(row["image_file"])
        elif row.get("enwiki"):
            articles[fid] = row["enwiki"]
        else:
            out[fid] = Candidate(
                "wikimedia", skip="no_image_on_page", detail=f"{row.get('qid')}: no P18, no article"
            )
    if articles:
        images = await source.page_images(sorted(set(articles.values())))
        for fid, title in articles.items():
            page = images.get(title)
            name = getattr(page, "pageimage", None) if page is not None else None
            if name:
                files[fid] = _file_title(name)
            else:
                out[fid] = Candidate(
                    "wikimedia",
                    skip="no_image_on_page",
                    detail=f"en.wikipedia {title!r} has no free page image",
                )
    infos = await source.image_info(sorted(set(files.values()))) if files else {}
    for fid, title in files.items():
        info = infos.get(title)
        if info is None:
            out[fid] = Candidate("wikimedia", skip="no_licence_info", detail=title)
            continue
        url = info.thumburl or info.url
        if not is_free_licence(info):
            out[fid] = Candidate(
                "wikimedia",
                url,
                skip="non_free_licence",
                detail=f"{title}: {info.licence_short_name or 'no licence stated'}",
                licence=info.licence_short_name,
            )
            continue
        licence = info.licence_short_name
        author = info.artist_text or None
        out[fid] = Candidate(
            "wikimedia",
            url,
            detail=title,
            licence=licence,
            licence_url=info.licence_url,
            author=author,
            attribution=commons_attribution(author, licence, info.attribution),
            download=lambda u=url: source.download(u),
        )
    log(
        f"fighter_images: Wikimedia offers {sum(1 for c in out.values() if not c.skip)} "
        f"image(s) for {len(wanted)} fighter(s) with a Wikidata item"
    )
    return out
