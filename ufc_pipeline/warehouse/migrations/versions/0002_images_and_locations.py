"""Schema version 4: image provenance on fighters, fighter_locations and images.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-09

* ``fighters`` gains ``image_source``, ``image_licence`` and ``image_attribution`` (text,
  NULL until the images are loaded again; existing rows and ``image_path`` are kept).
* ``fighter_locations``: each birthplace / nationality / gym value a source gave, plus the
  value the pipeline resolved to (source ``resolved``), keyed by (ufcstats_id, field,
  source, value), with ``chosen`` and ``conflict`` flags.
* ``images``: every portrait candidate tried, keyed by (ufcstats_id, source, url).

The primary keys lead with ``ufcstats_id``, so they serve the per-fighter reads and
deletes; no separate index. A column or table that already exists is left alone (a
database created from a newer ``schema.py`` by ``create_all`` and stamped as version 3).
``schema_version`` is set to 4, and back to 3 by the downgrade, which drops the two tables
and the three columns (with their values).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSION = 4
PREVIOUS_VERSION = 3

#: Frozen copies of the enumerations in ``schema.py`` as of this revision.
LOCATION_FIELDS = ("birth_city", "birth_region", "birth_country", "nationality", "gym")
LOCATION_SOURCES = ("ufccom", "sherdog", "wikidata", "resolved")
IMAGE_SOURCES = ("wikimedia", "sherdog", "ufccom")
IMAGE_OUTCOMES = ("saved", "rejected", "skipped")
FIGHTER_COLUMNS = ("image_source", "image_licence", "image_attribution")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _tables() -> dict[str, list[sa.SchemaItem]]:
    text, boolean = sa.Text, sa.Boolean
    return {
        "fighter_locations": [
            sa.Column("ufcstats_id", text(), nullable=False),
            sa.Column("field", text(), nullable=False),
            sa.Column("source", text(), nullable=False),
            sa.Column("value", text(), nullable=False),
            sa.Column("code", text(), nullable=True),
            sa.Column("chosen", boolean(), nullable=False),
            sa.Column("conflict", boolean(), nullable=False),
            sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
            sa.CheckConstraint(
                _in("field", LOCATION_FIELDS), name=op.f("ck_fighter_locations_field")
            ),
            sa.CheckConstraint(
                _in("source", LOCATION_SOURCES), name=op.f("ck_fighter_locations_source")
            ),
            sa.PrimaryKeyConstraint(
                "ufcstats_id", "field", "source", "value", name=op.f("pk_fighter_locations")
            ),
        ],
        "images": [
            sa.Column("ufcstats_id", text(), nullable=False),
            sa.Column("source", text(), nullable=False),
            sa.Column("url", text(), nullable=False),
            sa.Column("rank", sa.Integer(), nullable=False),
            sa.Column("outcome", text(), nullable=False),
            sa.Column("reason", text(), nullable=True),
            sa.Column("detail", text(), nullable=True),
            sa.Column("phash", text(), nullable=True),
            sa.Column("faces", sa.Integer(), nullable=True),
            sa.Column("licence", text(), nullable=True),
            sa.Column("tried_at", sa.DateTime(timezone=True), nullable=False),
            sa.CheckConstraint(_in("source", IMAGE_SOURCES), name=op.f("ck_images_source")),
            sa.CheckConstraint(_in("outcome", IMAGE_OUTCOMES), name=op.f("ck_images_outcome")),
            sa.PrimaryKeyConstraint("ufcstats_id", "source", "url", name=op.f("pk_images")),
        ],
    }


def _set_version(value: int) -> None:
    version = sa.table("schema_version", sa.column("id"), sa.column("version"))
    op.execute(version.update().where(version.c.id == 1).values(version=value))


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    existing = {c["name"] for c in inspector.get_columns("fighters")}
    for name in FIGHTER_COLUMNS:
        if name not in existing:
            op.add_column("fighters", sa.Column(name, sa.Text(), nullable=True))
    tables = set(inspector.get_table_names())
    for name, elements in _tables().items():
        if name not in tables:
            op.create_table(name, *elements)
    _set_version(VERSION)


def downgrade() -> None:
    for name in reversed(list(_tables())):
        op.drop_table(name)
    with op.batch_alter_table("fighters") as batch:
        for name in reversed(FIGHTER_COLUMNS):
            batch.drop_column(name)
    _set_version(PREVIOUS_VERSION)
