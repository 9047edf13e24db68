"""Warehouse on PostgreSQL, each test inside its own throw-away schema ``t_<uuid>``.

Needs the server at 127.0.0.1:5432 (override with ``UFC_TEST_PG_URL``). When it is not
reachable the tests are skipped, unless the ``CI`` environment variable is set, in which
case they fail: CI must not silently lose its PostgreSQL coverage.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.schema import CreateSchema, DropSchema

from ufc_pipeline.warehouse.engine import make_engine, redact_url
from ufc_pipeline.warehouse.load import table_digest, upsert_fighters, upsert_fights
from ufc_pipeline.warehouse.schema import ensure_schema

pytestmark = pytest.mark.postgres

PG_URL = os.environ.get("UFC_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")


@pytest.fixture
def pg_schema() -> Iterator[tuple[Engine, str]]:
    """(admin engine, name of a freshly created empty schema); dropped afterwards."""
    admin = create_engine(PG_URL, connect_args={"connect_timeout": 3})
    try:
        with admin.connect():
            pass
    except OperationalError as exc:
        admin.dispose()
        message = f"PostgreSQL not reachable at {redact_url(PG_URL)}: {exc.orig}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    schema = f"t_{uuid.uuid4().hex}"
    with admin.begin() as conn:
        conn.execute(CreateSchema(schema))
    try:
        yield admin, schema
    finally:
        with admin.begin() as conn:
            conn.execute(DropSchema(schema, cascade=True))
        admin.dispose()


@pytest.fixture
def engine(pg_schema: tuple[Engine, str]) -> Iterator[Engine]:
    _admin, schema = pg_schema
    eng = make_engine(PG_URL, schema=schema)
    ensure_schema(eng)
    yield eng
    eng.dispose()


def test_backend_contract(engine, scenario):
    scenario(engine)


def test_tables_live_in_the_test_schema_only(engine, pg_schema):
    admin, schema = pg_schema
    names = set(inspect(admin).get_table_names(schema=schema))
    assert names == {
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
    with engine.connect() as conn:
        assert conn.execute(text("SELECT current_schema()")).scalar() == schema


def test_engine_settings(engine):
    assert engine.pool._pre_ping is True
    assert engine.dialect.name == "postgresql"


def test_digests_match_sqlite_for_the_same_data(
    engine, tmp_path: Path, make_fighter_row, make_sample_fights
):
    lite = make_engine(f"sqlite:///{tmp_path / 'w.sqlite'}")
    ensure_schema(lite)
    people = [make_fighter_row(f"m{i}", sherdog_id=i, name=f"Nåme {i}") for i in range(40)]
    for eng in (engine, lite):
        upsert_fighters(eng, people, chunk_size=9)
        upsert_fights(eng, make_sample_fights())
    for table in ("fighters", "fights"):
        assert table_digest(engine, table) == table_digest(lite, table)
    lite.dispose()


@pytest.mark.parametrize("bad", ["x; DROP SCHEMA public", "a b", "1abc", "", "x" * 64])
def test_schema_name_is_validated(bad):
    with pytest.raises(ValueError, match="invalid schema name"):
        make_engine(PG_URL, schema=bad)
