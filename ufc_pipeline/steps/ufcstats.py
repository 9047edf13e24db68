"""The UFCStats fighters list, one page per letter, crawled by Scrapy out of process.

On a re-run the pages whose rows are stored are first asked for, in letter order, through
the pipeline's own client, up to the first page that changed: the letters before it need
no crawl, and when no page changed no crawler process is started at all (Scrapy's start
costs more than the 26 requests). A run with changes pays one request more.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ufc_pipeline.fileio import atomic_write
from ufc_pipeline.sources.crawl import ListCrawlResult, crawl_fighters_lists
from ufc_pipeline.sources.http import PoliteClient
from ufc_pipeline.sources.ufcstats import unchanged_list_pages
from ufc_pipeline.steps.charts import rows_per_letter_chart
from ufc_pipeline.steps.fingerprint import list_changes
from ufc_pipeline.steps.report import CheckOutcome, Table
from ufc_pipeline.steps.settings import Settings


class ListStepError(RuntimeError):
    pass


@dataclass
class ListResult:
    """The fighters list of a run: every stored row of its letters and what went wrong."""

    rows: list[dict[str, Any]]
    per_letter: dict[str, int]
    table_rows: dict[str, int]
    changes: dict[str, dict[str, int]]
    errors: dict[str, str]
    crawler_stats: dict[str, Any]

    def metadata(self) -> dict[str, Any]:
        return {
            "dagster/row_count": len(self.rows),
            "rows_per_letter": self.per_letter,
            "crawler": self.crawler_stats,
            "preview": Table.of(self.rows, PREVIEW_COLUMNS),
            "rows_per_letter_chart": rows_per_letter_chart(self.per_letter, self.errors),
        }

    def checks(self) -> list[CheckOutcome]:
        missing = [
            r["ufcstats_id"] or "?" for r in self.rows if not r["ufcstats_id"] or not r["last_name"]
        ]
        dupes = sorted(i for i, n in Counter(r["ufcstats_id"] for r in self.rows).items() if n > 1)
        # the letters read this run: their rows against their tables' rows (a letter that
        # failed keeps its previous rows, which say nothing of this run's pages)
        parsed = sum(self.per_letter.get(x, 0) for x in self.table_rows)
        table_rows = sum(self.table_rows.values())
        share = parsed / table_rows if table_rows else 1.0
        errors = "; ".join(f"letter {k}: {v}" for k, v in sorted(self.errors.items()))
        return [
            CheckOutcome(
                "required_fields",
                not missing,
                f"{len(missing)} row(s) without id or last name",
                {"missing": missing[:20]},
            ),
            CheckOutcome(
                "rows_parsed",
                share >= 0.95,
                f"{parsed} of {table_rows} table rows parsed ({share:.1%})",
                {"parsed": parsed, "table_rows": table_rows},
            ),
            CheckOutcome(
                "unique_ids",
                not dupes,
                f"{len(dupes)} duplicate id(s)",
                {"duplicates": dupes[:20]},
            ),
            CheckOutcome(
                "selectors_match",
                not self.errors,
                errors or "all letters parsed",
                {"failed_letters": sorted(self.errors)},
            ),
        ]


PREVIEW_COLUMNS = (
    "ufcstats_id",
    "first_name",
    "last_name",
    "nickname",
    "weight_lbs",
    "wins",
    "losses",
)


def fighters_list_step(
    settings: Settings, letters: Sequence[str], log: Callable[[str], None] | None = None
) -> ListResult:
    """Crawl and store the list rows for ``letters``.

    A letter whose page failed, or whose table suddenly matches far fewer rows than last
    time (the site changed its markup), keeps its previous output untouched and is marked
    not usable in ``list_status.json``, so downstream steps skip it instead of overwriting
    good data with nothing. Raises only when no letter at all could be read.
    """
    settings.sweep_temp_files()
    store = settings.processed
    previous = {x: store.read("fighters_list", x) or {} for x in sorted(set(letters))}
    # pages whose rows are stored: fetched again and the same, they are not parsed again
    known = {x: p["page_sha256"] for x, p in previous.items() if p.get("page_sha256")}
    # A re-run asks the client for the stored pages first, in letter order, up to the
    # first one that changed: the letters whose page is the same need no crawler process.
    same = {} if settings.full_refresh or not known else _recheck(settings, known)
    to_crawl = [x for x in letters if x not in same]
    result = (
        crawl_fighters_lists(
            settings.ufcstats,
            to_crawl,
            raw_dir=settings.raw.root,
            log=log,
            known=None if settings.full_refresh else known,
        )
        if to_crawl
        else ListCrawlResult(stats={"recheck/unchanged": len(same)})
    )
    for letter, url in same.items():
        result.unchanged.add(letter)
        result.urls[letter] = url
        result.shas[letter] = known[letter]
    if same and to_crawl:
        result.stats["recheck/unchanged"] = len(same)
    for letter in sorted(result.rows):
        previous_rows = len(previous[letter].get("rows", []))
        if previous_rows >= 10 and len(result.rows[letter]) < 0.5 * previous_rows:
            url = result.urls.get(letter) or settings.ufcstats.url(
                f"/statistics/fighters?char={letter}&page=all"
            )
            result.errors[letter] = (
                f"{url}: selector 'table.b-statistics__table tbody tr' matched "
                f"{len(result.rows[letter])} fighter rows, expected about {previous_rows} "
                "(as last time); the page layout may have changed"
            )
    for letter in result.errors:
        result.rows.pop(letter, None)
    per_letter: dict[str, int] = {}
    table_rows: dict[str, int] = {}
    changes: dict[str, dict[str, int]] = {}
    for letter in sorted(result.unchanged - set(result.errors)):
        n = len(previous[letter]["rows"])  # the stored output stays as it is
        per_letter[letter] = n
        table_rows[letter] = previous[letter].get("table_rows", n)
        changes[letter] = {"new": 0, "changed": 0, "unchanged": n, "removed": 0}
    for letter in sorted(result.rows):
        rows = result.rows[letter]
        ids = [r.ufcstats_id for r in rows]
        table_rows[letter] = result.table_rows.get(letter, len(rows))
        new_rows = [r.to_dict() for r in rows]
        diff = list_changes(previous[letter].get("rows", []), new_rows)
        changes[letter] = {k: (len(v) if isinstance(v, list) else v) for k, v in diff.items()}
        store.write(
            "fighters_list",
            letter,
            {
                "letter": letter,
                "url": result.urls.get(letter),
                "rows": new_rows,
                "changes": diff,
                "duplicate_ids": sorted(i for i, n in Counter(ids).items() if n > 1),
                "table_rows": table_rows[letter],
                "page_sha256": result.shas.get(letter),
            },
        )
        per_letter[letter] = len(rows)
    write_list_status(settings, letters, result.errors)
    if result.errors and not result.rows and not result.unchanged:
        raise ListStepError(
            "UFCStats fighters list failed for every letter: "
            + "; ".join(f"letter {k}: {v}" for k, v in sorted(result.errors.items()))
            + ". Previous data is untouched; check the site (and the selectors) and re-run."
        )
    return ListResult(
        rows=[r for x in sorted(letters) for r in store.require("fighters_list", x)["rows"]],
        per_letter=per_letter,
        table_rows=table_rows,
        changes=changes,
        errors=result.errors,
        crawler_stats=_stats(result.stats),
    )


def _status_path(settings: Settings) -> Path:
    return settings.processed.root / "list_status.json"


def write_list_status(settings: Settings, letters: Sequence[str], errors: dict[str, str]) -> None:
    path = _status_path(settings)
    status = json.loads(path.read_text(encoding="utf8")) if path.exists() else {}
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    for letter in letters:
        status[letter] = {"ok": letter not in errors, "error": errors.get(letter), "at": now}
    atomic_write(path, json.dumps(status, indent=1, sort_keys=True).encode())


def usable_letters(settings: Settings, letters: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """The letters whose latest list read was good, and the others with their reason."""
    path = _status_path(settings)
    status = json.loads(path.read_text(encoding="utf8")) if path.exists() else {}
    ok, skipped = [], {}
    for letter in sorted(letters):
        st = status.get(letter)
        if st is not None and not st["ok"]:
            skipped[letter] = st["error"] or "the last list read failed"
        else:
            ok.append(letter)
    return ok, skipped


def _recheck(settings: Settings, known: dict[str, str]) -> dict[str, str]:
    """Letters whose list page is still the one their rows came from (letter -> URL)."""

    async def run() -> dict[str, str]:
        async with PoliteClient(settings.ufcstats) as client:
            return await unchanged_list_pages(client, settings.raw, known)

    return asyncio.run(run())


def _stats(stats: dict[str, Any]) -> dict[str, Any]:
    keep = (
        "recheck/unchanged",
        "downloader/request_count",
        "downloader/response_count",
        "retry/count",
        "robotstxt/forbidden",
        "item_scraped_count",
    )
    return {k: stats[k] for k in keep if k in stats}
