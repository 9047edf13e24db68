"""Warehouse tables (SQLAlchemy Core), identical on SQLite and PostgreSQL.

* ``fighters``: one row per UFCStats fighter, enriched with the matched Sherdog profile
  (``match_confidence`` is the matcher's 0-100 score, ``match_source`` auto/override).
* ``fights``: one row per bout (see :mod:`ufc_pipeline.warehouse.bouts` for the key), built
  from Sherdog fight histories; the same bout seen on both fighters' pages is one row.
* ``quarantine``: inputs that were rejected (bad images, unparsable rows, broken pages),
  one row per (kind, subject, reason) so re-runs only bump ``last_seen_at``.
* ``events``: UFCStats completed (and the next upcoming) events.
* ``ufc_bouts``: the bouts on UFCStats fight cards, keyed by the UFCStats fight id.
* ``schema_version``: a single row holding :data:`SCHEMA_VERSION`.

:func:`ensure_schema` creates whatever is missing and records the version; it is
idempotent and safe to call at the start of every run.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.exc import IntegrityError

#: Bump when the table definitions change (and add a migration step to ensure_schema).
SCHEMA_VERSION = 2
#: Versions ensure_schema upgrades in place (v2 only added tables, created by create_all).
UPGRADABLE_FROM = (1,)

SECTIONS = ("pro", "pro_exhibition", "amateur", "other")
RESULTS = ("win", "loss", "draw", "nc", "unknown")
MATCH_SOURCES = ("auto", "override")

# Deterministic constraint names, so they are the same on every backend and in errors.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _in(column: str, values: tuple[str, ...]) -> str:
    """CHECK text for an enumerated text column (constants only, no user values)."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


fighters = Table(
    "fighters",
    metadata,
    Column("ufcstats_id", Text, primary_key=True),
    Column("sherdog_id", Integer, nullable=True, unique=True),
    Column("name", Text, nullable=False),
    Column("nickname", Text),
    Column("first_name", Text),
    Column("last_name", Text),
    Column("sherdog_name", Text),
    Column("birth_date", Date),
    Column("nationality", Text),
    Column("height_in", Float),
    Column("weight_lbs", Float),
    Column("reach_in", Float),
    Column("stance", Text),
    Column("weight_class", Text),
    Column("association", Text),
    Column("wins", Integer),
    Column("losses", Integer),
    Column("draws", Integer),
    Column("no_contests", Integer),
    Column("match_confidence", Float),
    Column("match_source", Text),
    Column("image_path", Text, nullable=True),
    Column("letter", Text),
    CheckConstraint(
        "match_source IS NULL OR " + _in("match_source", MATCH_SOURCES), name="match_source"
    ),
    CheckConstraint(
        "match_confidence IS NULL OR (match_confidence >= 0 AND match_confidence <= 100)",
        name="match_confidence",
    ),
    Index(None, "letter"),
)

fights = Table(
    "fights",
    metadata,
    Column("bout_key", Text, primary_key=True),
    Column("event_id", Integer, nullable=True),
    Column("event_name", Text),
    Column("date", Date),
    Column("section", Text, nullable=False),
    Column("fighter1_key", Text, nullable=False),
    Column("fighter1_sherdog_id", Integer, nullable=True),
    Column("fighter1_name", Text),
    Column("fighter2_key", Text, nullable=False),
    Column("fighter2_sherdog_id", Integer, nullable=True),
    Column("fighter2_name", Text),
    Column("result1", Text, nullable=False),
    Column("winner_key", Text, nullable=True),
    Column("method", Text),
    Column("referee", Text),
    Column("round", Integer),
    Column("time", Text),
    CheckConstraint(_in("section", SECTIONS), name="section"),
    CheckConstraint(_in("result1", RESULTS), name="result1"),
    CheckConstraint("fighter1_key <> fighter2_key", name="distinct_fighters"),
    CheckConstraint(
        "winner_key IS NULL OR winner_key = fighter1_key OR winner_key = fighter2_key",
        name="winner_is_a_fighter",
    ),
    Index(None, "fighter1_sherdog_id"),
    Index(None, "fighter2_sherdog_id"),
    Index(None, "date"),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("detail", Text),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("kind", "subject", "reason"),
)

schema_version = Table(
    "schema_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, nullable=False),
    CheckConstraint("id = 1", name="single_row"),
)


events = Table(
    "events",
    metadata,
    Column("event_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("date", Date),
    Column("location", Text),
    Column("upcoming", Integer, nullable=False),
    Column("bouts", Integer),
)

ufc_bouts = Table(
    "ufc_bouts",
    metadata,
    Column("fight_id", Text, primary_key=True),
    Column("event_id", Text, nullable=False, index=True),
    Column("date", Date),
    Column("fighter1_id", Text, nullable=False),
    Column("fighter1_name", Text),
    Column("fighter2_id", Text, nullable=False),
    Column("fighter2_name", Text),
    Column("result", Text, nullable=False),
    Column("winner_id", Text),
    Column("weight_class", Text),
    Column("title_fight", Integer, nullable=False),
    Column("bonuses", Text),
    Column("method", Text),
    Column("method_detail", Text),
    Column("round", Integer),
    Column("time", Text),
)


class SchemaVersionError(RuntimeError):
    """The database was created by a different (newer or unknown) schema version."""


def ensure_schema(engine: Engine) -> int:
    """Create missing tables and record :data:`SCHEMA_VERSION`; return the version.

    Idempotent: existing tables and data are left alone. Raises
    :class:`SchemaVersionError` if the database holds another version, rather than
    writing into tables whose shape this code does not know.
    """
    metadata.create_all(engine, checkfirst=True)
    query = select(schema_version.c.version).where(schema_version.c.id == 1)
    try:
        with engine.begin() as conn:
            found = conn.execute(query).scalar_one_or_none()
            if found is None:
                conn.execute(schema_version.insert().values(id=1, version=SCHEMA_VERSION))
                return SCHEMA_VERSION
    except IntegrityError:  # another process recorded the version at the same moment
        with engine.connect() as conn:
            found = conn.execute(query).scalar_one()
    if found in UPGRADABLE_FROM:
        with engine.begin() as conn:
            conn.execute(
                schema_version.update()
                .where(schema_version.c.id == 1)
                .values(version=SCHEMA_VERSION)
            )
        return SCHEMA_VERSION
    if found != SCHEMA_VERSION:
        raise SchemaVersionError(
            f"database schema version is {found}, this code expects {SCHEMA_VERSION}"
        )
    return found
