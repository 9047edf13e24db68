"""One settings table: defaults, validation naming the variable, and the README agrees."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from ufc_pipeline.settings import VARS, SettingError, env_value, settings_from_env

README = Path(__file__).resolve().parent.parent / "README.md"


def test_defaults_are_polite_for_the_live_sites() -> None:
    s = settings_from_env({})
    assert s.ufcstats.base_url == "http://ufcstats.com"
    assert s.sherdog.base_url == "https://www.sherdog.com"
    for site in (s.ufcstats, s.sherdog):
        assert site.rate_per_s == 1.0 and site.concurrency == 2 and site.obey_robots
        assert "ufc-pipeline" in site.user_agent
    assert s.data_dir == Path("data") and s.database_url == ""
    assert s.warehouse_url.startswith("sqlite:///") and s.today is None
    assert (s.assign.auto_threshold, s.assign.review_floor) == (70.0, 30.0)
    assert s.full_refresh is False


def test_values_are_read_and_typed() -> None:
    s = settings_from_env(
        {
            "SHERDOG_BASE_URL": "http://127.0.0.1:9",
            "SHERDOG_RATE": "0",
            "UFCSTATS_CONCURRENCY": "8",
            "UFC_HTTP_MAX_RETRIES": "2",
            "UFC_FULL_REFRESH": "yes",
            "UFC_TODAY": "2026-11-30",
            "UFC_DATA_DIR": "/tmp/x",
            "UFC_AUTO_THRESHOLD": "80",
        }
    )
    assert s.sherdog.base_url == "http://127.0.0.1:9" and s.sherdog.rate_per_s == 0.0
    assert s.ufcstats.concurrency == 8 and s.sherdog.concurrency == 2
    assert s.ufcstats.max_retries == s.sherdog.max_retries == 2
    assert s.full_refresh is True and s.today == dt.date(2026, 11, 30)
    assert s.data_dir == Path("/tmp/x") and s.assign.auto_threshold == 80.0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("UFCSTATS_RATE", "fast"),
        ("SHERDOG_RATE", "-1"),
        ("SHERDOG_CONCURRENCY", "0"),
        ("UFC_TODAY", "30/11/2026"),
        ("UFC_FULL_REFRESH", "maybe"),
        ("UFC_PAGES_TO_CHECK", "2.5"),
        ("SHERDOG_BASE_URL", "sherdog.com"),
    ],
)
def test_bad_value_names_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingError, match=name):
        settings_from_env({name: value})


def test_env_value_default_and_read() -> None:
    assert env_value("UFC_DATA_DIR", {}) == "data"
    assert env_value("UFC_ALERT_WEBHOOK_URL", {}) is None
    assert env_value("UFC_ALERT_WEBHOOK_URL", {"UFC_ALERT_WEBHOOK_URL": "http://h/x"}) == (
        "http://h/x"
    )


def test_readme_configuration_table_lists_exactly_these_variables() -> None:
    text = README.read_text(encoding="utf-8")
    table = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = {
        name
        for line in table.splitlines()
        if line.startswith("| `")
        for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1])
    }
    documented -= {"DAGSTER_HOME", "DAGSTER_CONFIG"}  # the instance's, not the pipeline's
    assert documented == {v.name for v in VARS}
