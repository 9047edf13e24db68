"""Runs the Scrapy fighters-list spider in a subprocess and collects its items.

Scrapy's Twisted reactor cannot be restarted inside one process, so every crawl is a fresh
``python -m ufc_pipeline.sources.ufcstats_spider`` process. Its log lines are forwarded to a
callback (the Dagster step's logger), and its JSON-lines feed is read back here.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ufc_pipeline.parsing.records import UFCStatsListRow
from ufc_pipeline.sources.config import SiteConfig
from ufc_pipeline.sources.errors import FetchError


@dataclass
class ListCrawlResult:
    rows: dict[str, list[UFCStatsListRow]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    #: letter -> sha256 of the page read this run
    shas: dict[str, str] = field(default_factory=dict)
    #: letter -> fighter rows the page's table holds, counted apart from the parser
    table_rows: dict[str, int] = field(default_factory=dict)
    #: letters whose page is the one given in ``known`` (not parsed, no rows here)
    unchanged: set[str] = field(default_factory=set)


def crawl_fighters_lists(
    cfg: SiteConfig,
    letters: Iterable[str],
    *,
    raw_dir: str | Path | None = None,
    log: Callable[[str], None] | None = None,
    timeout_s: float = 3600.0,
    known: dict[str, str] | None = None,
) -> ListCrawlResult:
    """Crawl ``/statistics/fighters?char=X&page=all`` for each letter, out of process.

    Returns rows per letter; a letter whose page failed is in ``errors`` with the reason.
    ``known`` maps letters to the sha256 of the page whose rows the caller already holds:
    such a page, fetched again and byte for byte the same, is not parsed and its letter is
    in ``unchanged``. Raises FetchError when the crawler process itself fails.
    """
    letters = sorted({letter.lower() for letter in letters})
    bad = [x for x in letters if len(x) != 1 or not x.isalpha()]
    if bad:
        raise ValueError(f"letters must be single letters a-z, got {bad}")
    with tempfile.TemporaryDirectory(prefix="ufc-crawl-") as tmp:
        out = Path(tmp) / "items.jsonl"
        cmd = [
            sys.executable,
            "-m",
            "ufc_pipeline.sources.ufcstats_spider",
            "--site",
            json.dumps(dataclasses.asdict(cfg)),
            "--letters",
            "".join(letters),
            "--out",
            str(out),
        ]
        if raw_dir is not None:
            cmd += ["--raw-dir", str(raw_dir)]
        if known:
            cmd += ["--known", json.dumps({k: v for k, v in known.items() if k in letters})]
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        stats: dict[str, Any] = {}
        tail: list[str] = []
        assert proc.stdout is not None
        for line in proc.stdout:
            line = line.rstrip("\n")
            if line.startswith("UFC_CRAWL_STATS "):
                stats = json.loads(line[len("UFC_CRAWL_STATS ") :])
                continue
            tail = (tail + [line])[-30:]
            if log is not None and any(
                f"] {level}:" in line or f" {level}:" in line
                for level in ("ERROR", "WARNING", "CRITICAL")
            ):
                log(line)
        rc = proc.wait(timeout=timeout_s)
        if rc != 0:
            raise FetchError(
                cfg.name,
                cfg.url("/statistics/fighters"),
                f"the Scrapy crawler exited with code {rc}; last log lines:\n" + "\n".join(tail),
                "see the step log for the crawler output",
            )
        return _read_feed(out, letters, cfg, stats)


def _read_feed(
    out: Path, letters: list[str], cfg: SiteConfig, stats: dict[str, Any]
) -> ListCrawlResult:
    """The crawl's JSON-lines feed: rows per letter, and why a letter has none."""
    result = ListCrawlResult(stats=stats)
    seen_pages: set[str] = set()
    lines = out.read_text(encoding="utf8").splitlines() if out.exists() else []
    for raw in filter(str.strip, lines):
        item = json.loads(raw)
        kind = item.pop("_type")
        letter = item.pop("letter", None)
        if kind == "page":
            seen_pages.add(letter)
            result.urls[letter] = item["url"]
            result.shas[letter] = item["sha256"]
            result.table_rows[letter] = item["table_rows"]
            rows = result.rows.setdefault(letter, [])
            rows += [UFCStatsListRow.from_dict(r) for r in item["rows"]]
        elif kind == "unchanged":
            seen_pages.add(letter)
            result.urls[letter] = item["url"]
            result.shas[letter] = item["sha256"]
            result.unchanged.add(letter)
        elif kind == "error":
            result.errors[letter or "?"] = f"{item.get('url')}: {item.get('error')}"
    for letter in letters:
        if letter not in seen_pages and letter not in result.errors:
            result.errors[letter] = (
                f"{cfg.url(f'/statistics/fighters?char={letter}&page=all')}: "
                "no page was crawled (see the crawler log)"
            )
    for letter in result.errors:
        result.rows.pop(letter, None)
        result.unchanged.discard(letter)
    return result
