"""Warehouse on SQLite: the shared scenarios (conftest.py) plus SQLite/engine specifics."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from ufc_pipeline.warehouse.engine import (
    default_sqlite_url,
    make_engine,
    redact_url,
    write_transaction,
)
from ufc_pipeline.warehouse.load import UpsertStats, prepare_rows, table_digest, upsert_fighters
from ufc_pipeline.warehouse.schema import SCHEMA_VERSION, ensure_schema, fighters


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{tmp_path / 'data' / 'warehouse.sqlite'}")
    ensure_schema(eng)
    yield eng
    eng.dispose()


def test_backend_contract(engine, scenario):
    scenario(engine)


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(fighters)).scalar_one()


def test_make_engine_creates_directory_and_sets_pragmas(tmp_path):
    path = tmp_path / "a" / "b" / "w.sqlite"
    eng = make_engine(f"sqlite:///{path}")
    with eng.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    assert path.parent.is_dir()
    eng.dispose()


def test_default_url_points_into_data_dir(tmp_path):
    url = default_sqlite_url(tmp_path / "data")
    assert url == f"sqlite:///{tmp_path / 'data' / 'warehouse.sqlite'}"
    eng = make_engine(url)
    assert ensure_schema(eng) == SCHEMA_VERSION
    assert (tmp_path / "data" / "warehouse.sqlite").is_file()
    eng.dispose()


def test_in_memory_database_works():
    eng = make_engine("sqlite://")
    ensure_schema(eng)
    assert set(inspect(eng).get_table_names()) == {
        "events",
        "fighters",
        "fights",
        "quarantine",
        "schema_version",
        "ufc_warehouse_version",
        "ufc_bouts",
        "fight_details",
        "fight_stats",
        "fight_stats_rounds",
        "fighter_locations",
        "images",
    }


def test_version_1_database_is_upgraded_in_place(tmp_path):
    from sqlalchemy import text

    eng = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    with eng.begin() as conn:
        conn.execute(text("CREATE TABLE schema_version (id INTEGER PRIMARY KEY, version INTEGER)"))
        conn.execute(text("INSERT INTO schema_version VALUES (1, 1)"))
    assert ensure_schema(eng) == SCHEMA_VERSION
    assert {"events", "ufc_bouts"} <= set(inspect(eng).get_table_names())


def test_make_engine_rejects_schema_and_other_backends():
    with pytest.raises(ValueError, match="only supported on PostgreSQL"):
        make_engine("sqlite://", schema="x")
    with pytest.raises(ValueError, match="unsupported warehouse backend") as info:
        make_engine("mysql://user:hunter2@db/x")
    assert "hunter2" not in str(info.value)


def test_large_input_is_chunked_in_one_transaction(engine, make_fighter_row):
    rows = [make_fighter_row(f"big{i:05d}", sherdog_id=i) for i in range(2_345)]
    assert upsert_fighters(engine, rows) == UpsertStats(inserted=2_345)
    rows[-1]["wins"] = 99
    assert upsert_fighters(engine, rows, chunk_size=1_000) == UpsertStats(
        updated=1, unchanged=2_344
    )
    assert _count(engine) == 2_345


def test_digest_is_independent_of_insertion_order(tmp_path, make_fighter_row):
    rows = [make_fighter_row(f"o{i}", sherdog_id=i) for i in range(30)]
    engines = [make_engine(f"sqlite:///{tmp_path / name}.sqlite") for name in ("a", "b")]
    for eng, order in zip(engines, (rows, rows[::-1]), strict=True):
        ensure_schema(eng)
        for row in order:  # one row per call: physical order follows the input
            upsert_fighters(eng, [row])
    assert table_digest(engines[0], fighters) == table_digest(engines[1], "fighters")
    upsert_fighters(engines[1], [make_fighter_row("o7", sherdog_id=7, reach_in=72.6)])
    assert table_digest(engines[0], fighters) != table_digest(engines[1], fighters)


def test_write_transaction_rolls_back_on_error(engine, make_fighter_row):
    with pytest.raises(RuntimeError, match="boom"):
        with write_transaction(engine) as conn:
            conn.execute(fighters.insert().values(make_fighter_row("tx1")))
            raise RuntimeError("boom")
    assert _count(engine) == 0


def test_concurrent_writers_all_succeed(engine, make_fighter_row):
    errors: list[BaseException] = []

    def load(worker: int) -> None:
        try:
            for batch in range(5):
                rows = [make_fighter_row(f"w{worker}-{batch}-{i}") for i in range(20)]
                upsert_fighters(engine, rows)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=load, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _count(engine) == 4 * 5 * 20


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"ufcstats_id": "a", "name": "A", "colour": "red"}], "unknown columns"),
        ([{"name": "A"}], "primary key"),
        ([{"ufcstats_id": "a", "name": "A"}, {"ufcstats_id": "b"}], "different columns"),
        ([{"ufcstats_id": "", "name": "A"}], "empty ufcstats_id"),
        ([{"ufcstats_id": None, "name": "A"}], "empty ufcstats_id"),
    ],
)
def test_prepare_rows_rejects_malformed_input(rows, message):
    with pytest.raises(ValueError, match=message):
        prepare_rows(fighters, rows)


def test_prepare_rows_sorts_and_dedupes():
    rows = [
        {"ufcstats_id": "b", "name": "B1"},
        {"ufcstats_id": "a", "name": "A"},
        {"ufcstats_id": "b", "name": "B2"},
    ]
    columns, prepared = prepare_rows(fighters, rows)
    assert columns == ["ufcstats_id", "name"]
    assert prepared == [{"ufcstats_id": "a", "name": "A"}, {"ufcstats_id": "b", "name": "B2"}]


@pytest.mark.parametrize(
    "override",
    [{"match_confidence": 100.5}, {"match_confidence": -1.0}, {"match_source": "guess"}],
)
def test_fighter_constraints(engine, make_fighter_row, override):
    with pytest.raises(IntegrityError):
        upsert_fighters(engine, [make_fighter_row("c1", **override)])
    assert _count(engine) == 0


def test_empty_input_is_a_no_op(engine):
    assert upsert_fighters(engine, []) == UpsertStats()


def test_upsert_statements_use_bound_parameters(engine, make_fighter_row):
    """The hostile value must reach the database as a parameter, never in the SQL text."""
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def capture(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    upsert_fighters(engine, [make_fighter_row("sql1", name="Robert'); DROP TABLE fights;--")])
    event.remove(engine, "before_cursor_execute", capture)
    assert seen and not any("DROP TABLE" in s for s in seen)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM fights")).scalar() == 0


@pytest.mark.parametrize(
    ("url", "secret"),
    [
        ("postgresql+psycopg2://bob:hunter2@db.example:5432/mma", "hunter2"),
        ("postgresql://bob:p%40ss%3Aw%2Frd@db/mma", "p%40ss%3Aw%2Frd"),
        ("postgresql://bob:p%40ss%3Aw%2Frd@db/mma", "p@ss:w/rd"),
        ("postgresql://bob@db/mma?password=topsecret&sslmode=require", "topsecret"),
        ("postgresql+psycopg2://:onlypass@db/mma", "onlypass"),
        ("garbage://user:leaky@[not-a-host", "leaky"),
    ],
)
def test_redact_url_hides_password(url, secret):
    redacted = redact_url(url)
    assert secret not in redacted
    assert "***" in redacted or "%2A%2A%2A" in redacted


def test_redact_url_keeps_the_rest():
    assert redact_url("postgresql+psycopg2://bob:hunter2@db:5432/mma") == (
        "postgresql+psycopg2://bob:***@db:5432/mma"
    )
    assert redact_url("sqlite:///data/warehouse.sqlite") == "sqlite:///data/warehouse.sqlite"
    eng = make_engine("sqlite://")
    assert redact_url(eng.url) == "sqlite://"
