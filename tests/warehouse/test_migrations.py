"""The warehouse schema under Alembic: models and migrations agree, upgrade/downgrade
round-trips, pre-Alembic databases are taken over without losing rows, and
``ensure_schema`` stays cheap when the database is up to date. Each test runs on SQLite
and on PostgreSQL (a throw-away schema, skipped when the server is not reachable)."""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event, func, inspect, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.schema import CreateSchema, DropSchema

from ufc_pipeline.warehouse import schema
from ufc_pipeline.warehouse.engine import make_engine, redact_url
from ufc_pipeline.warehouse.migrations import alembic_config, head_revision
from ufc_pipeline.warehouse.migrations.__main__ import main as migrations_cli
from ufc_pipeline.warehouse.schema import SCHEMA_VERSION, SchemaVersionError, ensure_schema

PG_URL = os.environ.get("UFC_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
TABLES = set(schema.metadata.tables)
#: The tables of pre-Alembic schema version 2 (v3 added the fight-page tables).
V2_TABLES = ("fighters", "fights", "quarantine", "schema_version", "events", "ufc_bouts")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty warehouse database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'w.sqlite'}")
        yield eng
        eng.dispose()
        return
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
    name = f"t_{uuid.uuid4().hex}"
    with admin.begin() as conn:
        conn.execute(CreateSchema(name))
    eng = make_engine(PG_URL, schema=name)
    try:
        yield eng
    finally:
        eng.dispose()
        with admin.begin() as conn:
            conn.execute(DropSchema(name, cascade=True))
        admin.dispose()


def _alembic(engine: Engine, name: str, revision: str) -> None:
    with engine.begin() as conn:
        getattr(command, name)(alembic_config(connection=conn), revision)


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def _differences(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": schema.VERSION_TABLE})
        return compare_metadata(context, schema.metadata)


def _revision(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(text("SELECT version_num FROM ufc_warehouse_version")).scalars())


def test_models_and_migrations_agree(engine: Engine) -> None:
    _alembic(engine, "upgrade", "head")
    assert _differences(engine) == []
    assert _tables(engine) == TABLES | {"ufc_warehouse_version"}
    assert _revision(engine) == {head_revision()}


def test_upgrade_downgrade_upgrade_round_trips(engine: Engine) -> None:
    _alembic(engine, "upgrade", "head")
    assert _tables(engine) == TABLES | {"ufc_warehouse_version"}
    _alembic(engine, "downgrade", "base")
    assert _tables(engine) == {"ufc_warehouse_version"}
    assert _revision(engine) == set()
    _alembic(engine, "upgrade", "head")
    assert _tables(engine) == TABLES | {"ufc_warehouse_version"}
    assert _differences(engine) == []
    assert ensure_schema(engine) == SCHEMA_VERSION


def _make_v2_database(engine: Engine) -> None:
    """What the pre-Alembic ensure_schema left behind at version 2, with one row of data."""
    schema.metadata.create_all(engine, tables=[schema.metadata.tables[t] for t in V2_TABLES])
    with engine.begin() as conn:
        conn.execute(schema.schema_version.insert().values(id=1, version=2))
        conn.execute(
            schema.fighters.insert().values(
                ufcstats_id="keep", name="Kept Fighter", birth_date=dt.date(1990, 1, 2)
            )
        )
        conn.execute(
            schema.ufc_bouts.insert().values(
                fight_id="f1",
                event_id="e1",
                fighter1_id="a",
                fighter2_id="b",
                result="win",
                title_fight=0,
            )
        )


def test_pre_alembic_v2_database_is_taken_over_without_losing_rows(engine: Engine) -> None:
    _make_v2_database(engine)
    assert "ufc_warehouse_version" not in _tables(engine)
    assert ensure_schema(engine) == SCHEMA_VERSION
    assert _tables(engine) == TABLES | {"ufc_warehouse_version"}
    assert _revision(engine) == {head_revision()}
    assert _differences(engine) == []
    with engine.connect() as conn:
        assert conn.execute(select(schema.schema_version.c.version)).scalar_one() == 4
        kept = conn.execute(select(schema.fighters.c.name, schema.fighters.c.birth_date)).all()
        assert [tuple(r) for r in kept] == [("Kept Fighter", dt.date(1990, 1, 2))]
        assert conn.execute(select(schema.ufc_bouts.c.fight_id)).scalars().all() == ["f1"]
    # the new tables work, including their foreign key to the old ufc_bouts rows
    with engine.begin() as conn:
        conn.execute(
            schema.fight_details.insert().values(
                fight_id="f1", title_bout=0, stats_status="pending"
            )
        )
    assert ensure_schema(engine) == SCHEMA_VERSION


def test_pre_alembic_v3_database_is_stamped(engine: Engine) -> None:
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(schema.schema_version.insert().values(id=1, version=3))
        conn.execute(schema.fighters.insert().values(ufcstats_id="v3", name="Three"))
    assert ensure_schema(engine) == SCHEMA_VERSION
    assert _revision(engine) == {head_revision()}
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.fighters)).scalar() == 1


def test_newer_database_is_refused(engine: Engine) -> None:
    ensure_schema(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE ufc_warehouse_version SET version_num = 'f00dfeed'"))
    with pytest.raises(SchemaVersionError, match="f00dfeed"):
        ensure_schema(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM ufc_warehouse_version"))
        conn.execute(update(schema.schema_version).values(version=SCHEMA_VERSION + 1))
    with pytest.raises(SchemaVersionError, match="expects"):
        ensure_schema(engine)


def test_up_to_date_check_is_a_few_reads(engine: Engine) -> None:
    ensure_schema(engine)
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        assert ensure_schema(engine) == SCHEMA_VERSION
    finally:
        event.remove(engine, "before_cursor_execute", record)
    reads = [s for s in statements if not s.upper().startswith("BEGIN")]
    assert len(reads) <= 3, statements
    assert all(s.lstrip().upper().startswith("SELECT") for s in reads), statements


def test_concurrent_first_starts_upgrade_once(engine: Engine) -> None:
    errors: list[BaseException] = []

    def start() -> None:
        try:
            assert ensure_schema(engine) == SCHEMA_VERSION
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert _revision(engine) == {head_revision()}
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.schema_version)).scalar() == 1


def test_command_line_check_finds_no_pending_changes() -> None:
    # ``check`` fails (CommandError) if an autogenerated revision would not be empty
    assert migrations_cli(["check"]) == 0


def test_the_head_is_read_as_alembic_reads_it() -> None:
    from ufc_pipeline.warehouse import migrations

    assert migrations._plain_head() == migrations._alembic_head() == head_revision()


def test_a_current_database_is_checked_without_alembic(tmp_path: Path) -> None:
    """The up-to-date check of a process that finds the schema current does not import
    Alembic (0.2 s in every step process that loads the warehouse)."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    engine = make_engine(url)
    try:
        ensure_schema(engine)
    finally:
        engine.dispose()
    code = (
        "import sys\n"
        "from ufc_pipeline.warehouse.engine import make_engine\n"
        "from ufc_pipeline.warehouse.schema import ensure_schema\n"
        f"engine = make_engine({url!r})\n"
        "ensure_schema(engine)\n"
        "print(sorted(m for m in sys.modules if m == 'alembic' or m.startswith('alembic.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stderr
