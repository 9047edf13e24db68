"""The MMA fighter warehouse: schema, engines, bout keys and idempotent loads (no Dagster).

Pure SQLAlchemy Core; runs unchanged on SQLite (default, a file under ``data/``) and
PostgreSQL.
"""

from ufc_pipeline.warehouse.bouts import BoutError, bout_key, bout_row, fighter_key
from ufc_pipeline.warehouse.engine import (
    default_sqlite_url,
    make_engine,
    redact_url,
    write_transaction,
)
from ufc_pipeline.warehouse.load import (
    UpsertStats,
    clear_quarantine,
    record_quarantine,
    table_digest,
    update_image_paths,
    upsert_fighters,
    upsert_fights,
)
from ufc_pipeline.warehouse.schema import SCHEMA_VERSION, SchemaVersionError, ensure_schema

__all__ = [
    "SCHEMA_VERSION",
    "BoutError",
    "SchemaVersionError",
    "UpsertStats",
    "bout_key",
    "bout_row",
    "clear_quarantine",
    "default_sqlite_url",
    "ensure_schema",
    "fighter_key",
    "make_engine",
    "record_quarantine",
    "redact_url",
    "table_digest",
    "update_image_paths",
    "upsert_fighters",
    "upsert_fights",
    "write_transaction",
]
