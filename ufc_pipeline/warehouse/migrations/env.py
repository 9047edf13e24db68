"""Alembic environment of the warehouse (configured in code, see :mod:`.`).

Runs online only, on the connection passed in ``config.attributes["connection"]`` (what
:func:`~ufc_pipeline.warehouse.schema.ensure_schema` does) or, failing that, on an engine
built with :func:`~ufc_pipeline.warehouse.engine.make_engine` from the ``sqlalchemy.url``
option (the command line). SQLite gets ``render_as_batch`` so that ALTERs are emitted as
table copies.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from ufc_pipeline.warehouse import schema
from ufc_pipeline.warehouse.engine import make_engine

config = context.config
target_metadata = schema.metadata


def _ours(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Only the warehouse's own tables: a database shared with a Dagster instance holds
    tables this metadata does not know, which autogenerate must not propose to drop."""
    return not (type_ == "table" and reflected and compare_to is None)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table=schema.VERSION_TABLE,
        include_object=_ours,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database: pass --url or set sqlalchemy.url")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("the warehouse migrations run online only (no --sql)")
run_migrations_online()
