"""The chain with a PostgreSQL Dagster instance (dagster-postgres) and a PostgreSQL warehouse.

Each test creates its own database on 127.0.0.1:5432 and drops it afterwards. Without the
server the tests skip locally and fail in CI (CI is set there).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa

from tests.e2e.helpers import run_chain
from ufc_pipeline.warehouse.engine import make_engine
from ufc_pipeline.warehouse.load import table_digest
from ufc_pipeline.warehouse.schema import fights

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
ADMIN_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def pg_database():
    name = f"ufc_t_{uuid.uuid4().hex[:10]}"
    try:
        admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL on 127.0.0.1:5432 is not reachable: {exc}")
    yield f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}"
    with admin.connect() as conn:
        conn.execute(
            sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
            {"n": name},
        )
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def test_postgres_instance_and_warehouse(mirror, tmp_path: Path, pg_database: str):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        "telemetry:\n  enabled: false\n"
        "storage:\n  postgres:\n    postgres_url:\n      env: UFC_TEST_DAGSTER_PG_URL\n"
    )
    os.environ["UFC_TEST_DAGSTER_PG_URL"] = pg_database
    try:
        with dg.DagsterInstance.from_config(str(home)) as instance:
            result = run_chain(
                mirror,
                tmp_path / "data",
                start="a",
                end="c",
                database_url=pg_database,
                instance=instance,
            )
            assert result.success
            mats = instance.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=dg.AssetKey("fights"), asset_partitions=["b"]),
                limit=1,
            )
            assert mats.records, "the Postgres instance recorded the materialization"
            engine = make_engine(pg_database)
            with engine.connect() as conn:
                assert conn.execute(sa.select(sa.func.count()).select_from(fights)).scalar_one() > 0
            before = table_digest(engine, "fights")
            again = run_chain(
                mirror,
                tmp_path / "data",
                start="a",
                end="c",
                database_url=pg_database,
                instance=instance,
            )
            assert again.success
            assert table_digest(engine, "fights") == before
            engine.dispose()
    finally:
        os.environ.pop("UFC_TEST_DAGSTER_PG_URL", None)


def test_database_password_never_appears_in_events_or_metadata(mirror, tmp_path, pg_database):
    secret = "s3cret-Pa55word"
    url = pg_database.replace("postgres@", f"postgres:{secret}@")  # trust auth ignores it
    result = run_chain(mirror, tmp_path / "data", start="a", end="b", database_url=url)
    assert result.success
    text = "\n".join(
        f"{e.message} {getattr(e.event_specific_data, 'materialization', '')}"
        for e in result.all_events
    )
    assert "warehouse" in text  # the metadata names the warehouse...
    assert secret not in text  # ...without its password
    assert "***" in text
