"""Engine construction for the warehouse (SQLite file or PostgreSQL) and URL redaction.

The same code runs on both backends; :func:`make_engine` applies the per-backend settings:

* SQLite: creates the database's parent directory, turns on foreign keys and WAL, waits up
  to 30 s on locks, and takes over transaction control from the ``sqlite3`` module so
  ``BEGIN`` is emitted by SQLAlchemy (pysqlite's implicit transactions are unreliable).
  :func:`write_transaction` begins with ``BEGIN IMMEDIATE`` so concurrent writers queue on
  the lock instead of failing half-way with "database is locked".
* PostgreSQL: ``pool_pre_ping`` to survive server restarts, and optionally a
  ``search_path`` (used by the tests to work inside a throw-away schema).

Never log a raw URL: use :func:`redact_url`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DB_FILENAME = "warehouse.sqlite"
_BEGIN_OPTION = "ufc_sqlite_begin"
_SCHEMA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_SECRET_QUERY_KEYS = frozenset({"password", "passwd", "pwd", "sslpassword"})
_MASK = "***"


def default_sqlite_url(data_dir: Path | str = "data") -> str:
    """URL of the default SQLite warehouse file inside ``data_dir`` (absolute path)."""
    return f"sqlite:///{Path(data_dir).resolve() / DEFAULT_DB_FILENAME}"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA busy_timeout = 30000")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        if mode not in ("DEFERRED", "IMMEDIATE"):
            raise ValueError(f"bad SQLite BEGIN mode {mode!r}")
        conn.exec_driver_sql(f"BEGIN {mode}")


def warehouse_key(url: str) -> str:
    """A short, stable name of the warehouse at ``url`` (no credentials in it): what a
    step's state records which warehouse it loaded."""
    return hashlib.sha1(url.encode()).hexdigest()[:12]


def make_engine(url: str | URL, *, schema: str | None = None, echo: bool = False) -> Engine:
    """Create the warehouse engine for ``url`` (``sqlite:///...`` or ``postgresql+...://``).

    ``schema`` (PostgreSQL only) sets the connection's ``search_path`` so every unqualified
    table lives in that schema; it must be a plain identifier. Raises ``ValueError`` for
    other backends or a bad schema name.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if schema is not None:
            raise ValueError("schema= is only supported on PostgreSQL")
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, echo=echo, connect_args={"timeout": 30})
        _configure_sqlite(engine)
        return engine
    if backend == "postgresql":
        connect_args: dict[str, Any] = {}
        if schema is not None:
            if _SCHEMA_NAME.fullmatch(schema) is None:
                raise ValueError(f"invalid schema name {schema!r}")
            connect_args["options"] = f"-csearch_path={schema}"
        return create_engine(parsed, echo=echo, pool_pre_ping=True, connect_args=connect_args)
    raise ValueError(f"unsupported warehouse backend {backend!r} in {redact_url(parsed)}")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection inside one transaction meant for writing: commit on success, else
    roll back. On SQLite the transaction starts with ``BEGIN IMMEDIATE``."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        with conn.begin():
            yield conn


def redact_url(url: str | URL) -> str:
    """``url`` as a string with any password replaced by ``***`` (safe for logs).

    Handles the password in the authority part and in query parameters (``?password=``).
    Unparsable input is scrubbed with a regex rather than returned as is.
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError, TypeError):
        text = str(url)
        text = re.sub(r"(//[^/:@]*:)[^@]*@", rf"\g<1>{_MASK}@", text)
        return re.sub(
            r"((?:password|passwd|pwd|sslpassword)=)[^&;]*", rf"\g<1>{_MASK}", text, flags=re.I
        )
    secret_keys = [key for key in parsed.query if key.lower() in _SECRET_QUERY_KEYS]
    if secret_keys:
        parsed = parsed.update_query_dict({key: _MASK for key in secret_keys})
    return parsed.render_as_string(hide_password=True)
