"""The baseline ``make bench`` compares against: a plain sequential scraper.

It reads the same pages as ``fighters_list`` + ``fighter_details`` (the 26 list pages and
every fighter page they link) the way most public UFCStats scrapers do: one
``requests.get`` after another, each page parsed with BeautifulSoup, the fighter's name,
record, tale of the tape and fight-history rows taken out. No politeness delays (the
mirror is local), no retries, no raw store. Used as a library by ``incremental_bench.py``
and runnable alone: ``python bench/baseline_sequential.py URL``.
"""

from __future__ import annotations

import argparse
import json
import resource
import string
import time
from typing import Any

import requests
from bs4 import BeautifulSoup


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def list_page(base_url: str, letter: str) -> list[str]:
    """Fighter page URLs of one list page (every row's first link)."""
    html = requests.get(f"{base_url}/statistics/fighters?char={letter}&page=all", timeout=60).text
    soup = BeautifulSoup(html, "html.parser")
    urls = []
    for row in soup.select("tr.b-statistics__table-row"):
        link = row.select_one("td a")
        if link and link.get("href"):
            urls.append(str(link["href"]))
    return urls


def fighter_page(url: str) -> dict[str, Any]:
    html = requests.get(url, timeout=60).text
    soup = BeautifulSoup(html, "html.parser")
    name = soup.select_one("span.b-content__title-highlight")
    record = soup.select_one("span.b-content__title-record")
    tott: dict[str, str] = {}
    for li in soup.select("li.b-list__box-list-item"):
        label = li.select_one("i")
        if label:
            key = label.get_text(strip=True).rstrip(":")
            tott[key] = li.get_text(" ", strip=True).replace(label.get_text(strip=True), "").strip()
    rows = []
    for tr in soup.select("tr.b-fight-details__table-row"):
        cells = [td.get_text(" ", strip=True) for td in tr.select("td")]
        if cells:
            rows.append(cells)
    return {
        "name": name.get_text(strip=True) if name else None,
        "record": record.get_text(strip=True) if record else None,
        "dob": tott.get("DOB"),
        "fights": len(rows),
    }


def run(base_url: str, letters: str = string.ascii_lowercase) -> dict[str, Any]:
    """Read every list page and fighter page; wall and CPU seconds, pages, fighters."""
    base_url = base_url.rstrip("/")
    wall0, cpu0 = time.perf_counter(), _cpu()
    urls: list[str] = []
    for letter in letters:
        urls += list_page(base_url, letter)
    fighters = []
    for url in urls:
        # the pages link to the site they came from: read them from the server asked
        path = url.split("://", 1)[-1].split("/", 1)[-1]
        fighters.append(fighter_page(f"{base_url}/{path}"))
    wall, cpu = time.perf_counter() - wall0, _cpu() - cpu0
    pages = len(letters) + len(urls)
    return {
        "pages": pages,
        "fighters": len(fighters),
        "with_dob": sum(1 for f in fighters if f["dob"] and f["dob"] != "--"),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "cpu_ms_per_page": round(1000 * cpu / max(pages, 1), 3),
        "pages_per_s": round(pages / wall, 1) if wall else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("base_url")
    ap.add_argument("--letters", default=string.ascii_lowercase)
    args = ap.parse_args(argv)
    print(json.dumps(run(args.base_url, args.letters), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
