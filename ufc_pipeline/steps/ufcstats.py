"""Step 1: the UFCStats fighters list, one page per letter, crawled by Scrapy out of process."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ufc_pipeline.sources.crawl import crawl_fighters_lists
from ufc_pipeline.steps.fingerprint import list_changes
from ufc_pipeline.steps.settings import Settings


class ListStepError(RuntimeError):
    pass


def fighters_list_step(
    settings: Settings, letters: Sequence[str], log: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Crawl and store the list rows for ``letters``. Fails naming every failed page.

    A failed letter leaves its previous output untouched; letters that succeeded are written.
    """
    result = crawl_fighters_lists(settings.ufcstats, letters, raw_dir=settings.raw.root, log=log)
    store = settings.processed
    per_letter: dict[str, int] = {}
    table_rows: dict[str, int] = {}
    changes: dict[str, dict[str, int]] = {}
    for letter in sorted(result.rows):
        rows = result.rows[letter]
        ids = [r.ufcstats_id for r in rows]
        stored = settings.raw.get("ufcstats", "fighters_list", f"char={letter}")
        table_rows[letter] = count_table_rows(stored.body) if stored else len(rows)
        previous = store.read("fighters_list", letter) or {}
        new_rows = [r.to_dict() for r in rows]
        diff = list_changes(previous.get("rows", []), new_rows)
        changes[letter] = {k: (len(v) if isinstance(v, list) else v) for k, v in diff.items()}
        store.write(
            "fighters_list",
            letter,
            {
                "letter": letter,
                "url": result.urls.get(letter),
                "rows": new_rows,
                "changes": diff,
                "duplicate_ids": sorted({i for i in ids if ids.count(i) > 1}),
                "table_rows": table_rows[letter],
            },
        )
        per_letter[letter] = len(rows)
    summary = {
        "rows": sum(per_letter.values()),
        "per_letter": per_letter,
        "table_rows": table_rows,
        "changes": changes,
        "errors": result.errors,
        "crawler_stats": _stats(result.stats),
    }
    if result.errors:
        raise ListStepError(
            "UFCStats fighters list failed for "
            + "; ".join(f"letter {k}: {v}" for k, v in sorted(result.errors.items()))
            + ". Letters that succeeded were saved; re-run the failed partitions."
        )
    return summary


def _stats(stats: dict[str, Any]) -> dict[str, Any]:
    keep = (
        "downloader/request_count",
        "downloader/response_count",
        "ufc/retries",
        "retry/count",
        "robotstxt/forbidden",
        "item_scraped_count",
    )
    return {k: stats[k] for k in keep if k in stats}


def count_table_rows(html: bytes | str) -> int:
    """Fighter rows in the list table, counted independently of the parser (drift check)."""
    from parsel import Selector

    text = html.decode("utf8", "replace") if isinstance(html, bytes) else html
    sel = Selector(text=text)
    return sum(1 for tr in sel.css("table.b-statistics__table tbody tr") if len(tr.css("td")) >= 11)
