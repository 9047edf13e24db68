"""fighters_list_step / usable_letters: the Scrapy crawl of the letters' list pages."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.steps.helpers import (
    LETTERS,
    Truth,
    checks_by_name,
    copy_data_dir,
    read_json,
    requests_since,
    settings_for,
)
from ufc_mirror.server import FaultConfig, MirrorHandle, start_mirror
from ufc_pipeline.steps.report import Table
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.steps.ufcstats import (
    PREVIEW_COLUMNS,
    ListResult,
    ListStepError,
    fighters_list_step,
    usable_letters,
)

LIST_KEYS = {"dagster/row_count", "rows_per_letter", "crawler", "preview"}
CHECKS = {"required_fields", "rows_parsed", "unique_ids", "selectors_match"}
DRIFTED = "m"
NAMELESS_ID = "feedfacefeedface"
FACTS = ("first_name", "last_name", "nickname", "height_in", "weight_lbs", "reach_in", "stance")


def test_first_run_stores_every_listed_fighter(chain: Any, truth: Truth) -> None:
    result: ListResult = chain.first["fighters_list"]
    md = result.metadata()
    assert LIST_KEYS <= set(md)
    expected = {x: len(truth.listed_ids(x)) for x in LETTERS}
    assert md["rows_per_letter"] == expected
    assert md["dagster/row_count"] == sum(expected.values()) == len(result.rows)
    preview = md["preview"]
    assert isinstance(preview, Table)
    assert preview.columns == PREVIEW_COLUMNS
    assert list(preview.rows) == result.rows[:10]
    for letter in LETTERS:
        stored = json.loads(chain.processed_after_first[f"fighters_list/{letter}.json"])
        facts = truth.list_facts(letter)
        assert [r["ufcstats_id"] for r in stored["rows"]] == list(facts)
        assert {r["ufcstats_id"]: _facts(r) for r in stored["rows"]} == facts
        assert stored["duplicate_ids"] == []
        assert stored["table_rows"] == len(facts)
        assert stored["changes"]["new"] == sorted(facts)
        assert stored["url"].endswith(f"/statistics/fighters?char={letter}&page=all")
    # one list page per letter, nothing else
    assert chain.first_requests["fighters_list"] == {"ufcstats_list": len(LETTERS)}


def _facts(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[k] for k in FACTS)


def test_clean_world_passes_every_check(chain: Any) -> None:
    for run in (chain.first, chain.second):
        checks = checks_by_name(run["fighters_list"])
        assert set(checks) == CHECKS
        failed = {name: c.description for name, c in checks.items() if not c.passed}
        assert failed == {}
    rows_parsed = checks_by_name(chain.first["fighters_list"])["rows_parsed"]
    n = len(chain.first["fighters_list"].rows)
    assert rows_parsed.details == {"parsed": n, "table_rows": n}


def test_letters_read_well_are_usable(chain: Any) -> None:
    assert usable_letters(chain.settings, LETTERS) == (sorted(LETTERS), {})
    status = read_json(chain.settings.processed.root / "list_status.json")
    assert {x: (status[x]["ok"], status[x]["error"]) for x in LETTERS} == {
        x: (True, None) for x in LETTERS
    }


def test_second_run_rereads_the_lists_and_reports_no_change(chain: Any, truth: Truth) -> None:
    """The list is what change detection starts from: it is read on every run, and an
    unchanged list reports every fighter as unchanged and rewrites the same rows. The pages
    are asked for conditionally (the stored copies' validators): the mirror answers 304."""
    assert chain.second_requests["fighters_list"] == {
        "ufcstats_list": len(LETTERS),
        "not_modified": len(LETTERS),
    }
    first, second = chain.first["fighters_list"], chain.second["fighters_list"]
    n = {x: len(truth.listed_ids(x)) for x in LETTERS}
    assert first.changes == {
        x: {"new": n[x], "changed": 0, "unchanged": 0, "removed": 0} for x in LETTERS
    }
    assert second.changes == {
        x: {"new": 0, "changed": 0, "unchanged": n[x], "removed": 0} for x in LETTERS
    }
    assert second.rows == first.rows
    for letter in LETTERS:
        before = json.loads(chain.processed_after_first[f"fighters_list/{letter}.json"])
        assert chain.settings.processed.require("fighters_list", letter)["rows"] == before["rows"]


def test_an_unchanged_rerun_starts_no_crawler(chain: Any) -> None:
    """Every page asked for again by the client and the same: the rows stand, no Scrapy
    process is started (its stats hold only the recheck)."""
    crawler = chain.second["fighters_list"].metadata()["crawler"]
    assert crawler == {"recheck/unchanged": len(LETTERS)}
    first = chain.first["fighters_list"].metadata()["crawler"]
    assert "recheck/unchanged" not in first and int(first["downloader/request_count"]) > 0


def test_crawler_metadata_reports_the_requests_made(chain: Any) -> None:
    crawler = chain.first["fighters_list"].metadata()["crawler"]
    served = sum(chain.first_requests["fighters_list"].values())
    # the list pages, and robots.txt, which the crawler reads once (the mirror counts apart)
    assert int(crawler.get("downloader/request_count", 0)) == served + 1
    # one item per list page, holding that page's rows
    assert int(crawler.get("item_scraped_count", 0)) == len(chain.first["fighters_list"].per_letter)


def test_rows_parsed_fails_when_the_table_has_more_rows(chain: Any) -> None:
    result: ListResult = chain.first["fighters_list"]
    parsed = len(result.rows)
    bigger = {x: n * 2 for x, n in result.table_rows.items()}
    check = checks_by_name(dataclasses.replace(result, table_rows=bigger))["rows_parsed"]
    assert not check.passed
    assert check.details == {"parsed": parsed, "table_rows": 2 * parsed}


# ---------------------------------------------------------------- a letter whose markup drifted


@dataclass
class Drifted:
    settings: Settings
    result: ListResult
    planted_file: bytes
    duplicated_id: str
    requests: dict[str, int]


@pytest.fixture(scope="module")
def drift_mirror(truth: Truth) -> Iterator[MirrorHandle]:
    """The same world, but every UFCStats page of letter ``m`` uses new class names."""
    with start_mirror(truth.world, host="127.0.0.1", faults=FaultConfig(drift_letter=DRIFTED)) as h:
        yield h


def _plant_bad_rows(settings: Settings) -> tuple[bytes, str]:
    """Give the stored ``m`` list a duplicated id and a row without a last name."""
    path = settings.processed.path("fighters_list", DRIFTED)
    data = read_json(path)
    rows = data["rows"]
    nameless = {**rows[1], "ufcstats_id": NAMELESS_ID, "last_name": ""}
    data["rows"] = [*rows, dict(rows[0]), nameless]
    path.write_text(json.dumps(data), encoding="utf8")
    return path.read_bytes(), rows[0]["ufcstats_id"]


@pytest.fixture(scope="module")
def drifted(
    chain: Any, drift_mirror: MirrorHandle, tmp_path_factory: pytest.TempPathFactory
) -> Drifted:
    data_dir = copy_data_dir(chain.data_dir, tmp_path_factory.mktemp("drift") / "data")
    settings = settings_for(drift_mirror, data_dir)
    planted, dup = _plant_bad_rows(settings)
    before = drift_mirror.stats()
    result = fighters_list_step(settings, LETTERS)
    return Drifted(settings, result, planted, dup, requests_since(drift_mirror, before))


def test_drifted_letter_keeps_its_previous_rows(drifted: Drifted, truth: Truth) -> None:
    r = drifted.result
    # k's page is the same (asked for once by the client); m's changed: the client's
    # request found it, and the crawler read it again
    assert LETTERS == ("k", "m")
    assert drifted.requests == {"ufcstats_list": len(LETTERS) + 1, "not_modified": 1}
    crawler = r.metadata()["crawler"]
    assert crawler["recheck/unchanged"] == 1
    assert int(crawler["downloader/request_count"]) == 2  # robots.txt and m's page
    assert set(r.errors) == {DRIFTED}
    assert "table.b-statistics__table" in r.errors[DRIFTED]
    n_k = len(truth.listed_ids("k"))
    assert r.per_letter == {"k": n_k}
    path = drifted.settings.processed.path("fighters_list", DRIFTED)
    assert path.read_bytes() == drifted.planted_file  # untouched
    kept = read_json(path)["rows"]
    k_ids = truth.listed_ids("k")
    assert [row["ufcstats_id"] for row in r.rows] == k_ids + [row["ufcstats_id"] for row in kept]
    assert usable_letters(drifted.settings, LETTERS) == (["k"], {DRIFTED: r.errors[DRIFTED]})
    status = read_json(drifted.settings.processed.root / "list_status.json")
    assert status[DRIFTED]["ok"] is False and status["k"]["ok"] is True


def test_drifted_letter_and_bad_kept_rows_fail_their_checks(drifted: Drifted) -> None:
    checks = checks_by_name(drifted.result)
    assert not checks["selectors_match"].passed
    assert checks["selectors_match"].details == {"failed_letters": [DRIFTED]}
    assert not checks["unique_ids"].passed
    assert checks["unique_ids"].details == {"duplicates": [drifted.duplicated_id]}
    assert not checks["required_fields"].passed
    assert checks["required_fields"].details == {"missing": [NAMELESS_ID]}


def test_rows_parsed_counts_only_letters_read_this_run(drifted: Drifted) -> None:
    check = checks_by_name(drifted.result)["rows_parsed"]
    read_now = sum(drifted.result.per_letter.values())
    assert check.details == {"parsed": read_now, "table_rows": read_now}


def test_every_letter_failing_raises_and_writes_nothing(
    chain: Any, drift_mirror: MirrorHandle, tmp_path: Path
) -> None:
    settings = settings_for(drift_mirror, copy_data_dir(chain.data_dir, tmp_path / "data"))
    path = settings.processed.path("fighters_list", DRIFTED)
    before = path.read_bytes()
    with pytest.raises(ListStepError, match=f"letter {DRIFTED}: .*Previous data is untouched"):
        fighters_list_step(settings, [DRIFTED])
    assert path.read_bytes() == before
    assert usable_letters(settings, [DRIFTED])[0] == []


def test_an_unchanged_list_page_is_not_parsed_or_rewritten(chain: Any, truth: Truth) -> None:
    """The second run reads every page again, finds each the same (sha256) as the page its
    stored rows came from, and keeps the stored output as it is."""
    second: ListResult = chain.second["fighters_list"]
    first = chain.first_requests["fighters_list"]["ufcstats_list"]
    assert chain.second_requests["fighters_list"]["ufcstats_list"] == first
    for letter in chain.letters:
        n = len(truth.listed_ids(letter))
        assert second.changes[letter] == {"new": 0, "changed": 0, "unchanged": n, "removed": 0}
        assert (second.per_letter[letter], second.table_rows[letter]) == (n, n)
        key = f"fighters_list/{letter}.json"
        path = chain.settings.processed.path("fighters_list", letter)
        assert path.read_bytes() == chain.processed_after_first[key]
        stored = chain.settings.raw.get("ufcstats", "fighters_list", f"char={letter}")
        assert json.loads(path.read_bytes())["page_sha256"] == stored.meta["sha256"]
    assert sorted(r["ufcstats_id"] for r in second.rows) == sorted(truth.all_listed_ids())


def test_the_crawler_enables_no_control_server(tmp_path: Path) -> None:
    """Scrapy 2.19 enables a remote-control extension by default: an HTTP server on
    127.0.0.1 that executes the code it is sent (behind a token). The one-shot crawl
    enables neither it nor the telnet console, and reads http(s) pages only."""
    from scrapy.settings import Settings as ScrapySettings
    from scrapy.utils.conf import build_component_list

    from ufc_pipeline.sources.config import SiteConfig
    from ufc_pipeline.sources.ufcstats_spider import crawl_settings

    cfg = SiteConfig(name="ufcstats", base_url="http://127.0.0.1:9")
    settings = ScrapySettings(crawl_settings(cfg, str(tmp_path / "out.jsonl"), None))
    enabled = build_component_list(settings.getwithbase("EXTENSIONS"))
    assert "scrapy.extensions.corestats.CoreStats" in enabled
    assert not [e for e in enabled if "RemoteControl" in e or "TelnetConsole" in e]
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
    handlers = {k for k, v in settings.getwithbase("DOWNLOAD_HANDLERS").items() if v}
    assert handlers == {"http", "https"}


def test_the_crawler_does_not_import_what_it_leaves_out(truth: Truth, tmp_path: Path) -> None:
    """Left-out extensions are not imported at all: the remote control's module imports
    aiohttp, which a crawl otherwise never loads."""
    import subprocess
    import sys

    script = tmp_path / "crawl.py"
    script.write_text(
        "import sys, runpy\n"
        "sys.argv = ['spider'] + sys.argv[1:]\n"
        "try:\n"
        "    runpy.run_module('ufc_pipeline.sources.ufcstats_spider', run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith(('aiohttp', "
        "'scrapy.extensions.remote_control', 'scrapy.extensions.telnet'))))\n"
    )
    out = tmp_path / "items.jsonl"
    with start_mirror(truth.world, host="127.0.0.1") as handle:
        cfg = settings_for(handle, tmp_path / "data").ufcstats
        done = subprocess.run(
            [sys.executable, str(script), "--site", json.dumps(dataclasses.asdict(cfg))]
            + ["--letters", "ab", "--out", str(out)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "LOADED []" in done.stdout, done.stdout[-500:]
    pages = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(p["letter"] for p in pages if p["_type"] == "page") == ["a", "b"]
