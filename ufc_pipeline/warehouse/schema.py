"""Warehouse tables (SQLAlchemy Core), identical on SQLite and PostgreSQL.

* ``fighters``: one row per UFCStats fighter, enriched with the matched Sherdog profile
  (``match_confidence`` is the matcher's 0-100 score, ``match_source`` auto/override).
* ``fights``: one row per bout (see :mod:`ufc_pipeline.warehouse.bouts` for the key), built
  from Sherdog fight histories; the same bout seen on both fighters' pages is one row.
* ``quarantine``: inputs that were rejected (bad images, unparsable rows, broken pages),
  one row per (kind, subject, reason) so re-runs only bump ``last_seen_at``.
* ``events``: UFCStats completed (and the next upcoming) events.
* ``ufc_bouts``: the bouts on UFCStats fight cards, keyed by the UFCStats fight id.
* ``fight_details``: what a UFCStats fight page says about the bout as a whole (bout type,
  method and detail, judges' cards, round, time, time format, referee) and whether its
  statistics are ``loaded``, ``pending`` (not published yet) or ``unavailable``; one row
  per fight id.
* ``fight_stats``: each fighter's statistics for the whole fight, one row per (fight id,
  fighter id); ``fight_stats_rounds``: the same per round, one row per (fight id, fighter
  id, round). Values the page shows as ``--``/``---`` are NULL, never 0.
* ``fighter_locations``: where each fighter was born (city, region, country), their
  nationality and gym, one row per value a source gave (``ufccom``, ``sherdog``,
  ``wikidata``) plus one ``resolved`` row per field holding the value the pipeline chose;
  ``chosen`` marks the resolved row and the source rows agreeing with it, ``conflict``
  every row of a field on which the sources disagree. Country fields carry the ISO 3166-1
  alpha-2 ``code``.
* ``images``: every portrait candidate tried for a fighter (source, URL, outcome and why,
  perceptual hash, faces found, licence), in the order of the waterfall (``rank``); the
  one saved is also on ``fighters`` (``image_path``, ``image_source``, ``image_licence``,
  ``image_attribution``).
* ``schema_version``: a single row holding :data:`SCHEMA_VERSION`.

The three fight-page tables reference ``ufc_bouts(fight_id)`` (foreign keys, enforced by
PostgreSQL and by SQLite with ``PRAGMA foreign_keys = ON``, which
:func:`~ufc_pipeline.warehouse.engine.make_engine` sets), so a fight page is loaded only
for a bout its card has stored.

:func:`ensure_schema` upgrades the database to the newest Alembic revision (see
:mod:`ufc_pipeline.warehouse.migrations`); it is idempotent and safe to call at the start
of every run.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    func,
    inspect,
    select,
    text,
)

from ufc_pipeline.warehouse import migrations
from ufc_pipeline.warehouse.engine import write_transaction

#: The schema version recorded in ``schema_version``. Changes to the tables are made by
#: Alembic revisions (``ufc_pipeline/warehouse/migrations``); a revision that changes what
#: older code may write into bumps this and writes the new number, so older code refuses
#: the database. 3 is the last pre-Alembic version, the baseline revision; 4 (revision
#: 0002) added the image provenance columns of ``fighters`` and the ``fighter_locations``
#: and ``images`` tables.
SCHEMA_VERSION = 4
#: Older versions the migrations upgrade in place: pre-Alembic 1 and 2 (taken over by the
#: baseline, which only adds tables: v3 the fight-page tables fight_details, fight_stats,
#: fight_stats_rounds) and 3 (pre-Alembic or at the baseline revision).
UPGRADABLE_FROM = (1, 2, 3)
#: Alembic's table of applied revisions: named for the warehouse, because the warehouse may
#: share its PostgreSQL database with a Dagster instance, whose own migrations (also
#: Alembic) keep theirs in ``alembic_version``.
VERSION_TABLE = "ufc_warehouse_version"
#: PostgreSQL advisory lock key serialising concurrent upgrades.
_MIGRATION_LOCK = 0x5546_4357  # "UFCW"

SECTIONS = ("pro", "pro_exhibition", "amateur", "other")
RESULTS = ("win", "loss", "draw", "nc", "unknown")
MATCH_SOURCES = ("auto", "override")
#: Where a portrait can come from (the image waterfall's sources).
IMAGE_SOURCES = ("wikimedia", "sherdog", "ufccom")
#: What became of a portrait candidate: kept, refused by a check, or not fetched.
IMAGE_OUTCOMES = ("saved", "rejected", "skipped")
#: The location facts of a fighter (``fighter_locations.field``).
LOCATION_FIELDS = ("birth_city", "birth_region", "birth_country", "nationality", "gym")
#: The sources of location facts, and ``resolved`` for the value the pipeline chose.
LOCATION_SOURCES = ("ufccom", "sherdog", "wikidata", "resolved")

# Deterministic constraint names, so they are the same on every backend and in errors.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
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
    # provenance of the saved portrait (NULL with image_path when no candidate was kept)
    Column("image_source", Text, nullable=True),
    Column("image_licence", Text, nullable=True),
    Column("image_attribution", Text, nullable=True),
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

STATS_STATUSES = ("loaded", "pending", "unavailable", "quarantined")
CORNERS = ("red", "blue")
#: Statistics columns of ``fight_stats`` and ``fight_stats_rounds``, in page order: KD,
#: significant and total strikes, takedowns (landed/attempted, percentages as shown),
#: submission attempts, reversals, control time in seconds (since Oct 2020) or passes
#: (before), and significant strikes by target and by position.
STAT_COLUMNS = (
    "kd",
    "sig_str_landed",
    "sig_str_attempted",
    "sig_str_pct",
    "total_str_landed",
    "total_str_attempted",
    "td_landed",
    "td_attempted",
    "td_pct",
    "sub_att",
    "rev",
    "ctrl_seconds",
    "passes",
    "head_landed",
    "head_attempted",
    "body_landed",
    "body_attempted",
    "leg_landed",
    "leg_attempted",
    "distance_landed",
    "distance_attempted",
    "clinch_landed",
    "clinch_attempted",
    "ground_landed",
    "ground_attempted",
)


def _bout_key() -> Column:
    return Column("fight_id", Text, ForeignKey("ufc_bouts.fight_id"), primary_key=True)


def _stat_columns() -> list[Column]:
    return [Column(name, Integer) for name in STAT_COLUMNS]


fight_details = Table(
    "fight_details",
    metadata,
    _bout_key(),
    Column("event_id", Text),
    Column("bout_type", Text),
    Column("weight_class", Text),
    Column("title_bout", Integer, nullable=False),
    Column("method", Text),
    Column("method_detail", Text),
    Column("judges", Text),
    Column("round", Integer),
    Column("time", Text),
    Column("time_format", Text),
    Column("referee", Text),
    Column("bonuses", Text),
    Column("stats_status", Text, nullable=False),
    CheckConstraint(_in("stats_status", STATS_STATUSES), name="stats_status"),
    Index(None, "event_id"),
)

fight_stats = Table(
    "fight_stats",
    metadata,
    _bout_key(),
    Column("fighter_id", Text, primary_key=True),
    Column("fighter_name", Text),
    Column("corner", Text, nullable=False),
    Column("result", Text),
    *_stat_columns(),
    CheckConstraint(_in("corner", CORNERS), name="corner"),
    Index(None, "fighter_id"),
)

fight_stats_rounds = Table(
    "fight_stats_rounds",
    metadata,
    _bout_key(),
    Column("fighter_id", Text, primary_key=True),
    Column("round", Integer, primary_key=True, autoincrement=False),
    *_stat_columns(),
    CheckConstraint("round >= 1", name="round"),
    Index(None, "fighter_id"),
)


fighter_locations = Table(
    "fighter_locations",
    metadata,
    # no foreign key: locations may be loaded before (or without) the fighters row
    Column("ufcstats_id", Text, primary_key=True),
    Column("field", Text, primary_key=True),
    Column("source", Text, primary_key=True),
    # part of the key: a source may give several values (two citizenships on Wikidata)
    Column("value", Text, primary_key=True),
    Column("code", Text),  # ISO 3166-1 alpha-2 of birth_country / nationality
    Column("chosen", Boolean, nullable=False),
    Column("conflict", Boolean, nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    CheckConstraint(_in("field", LOCATION_FIELDS), name="field"),
    CheckConstraint(_in("source", LOCATION_SOURCES), name="source"),
)

images = Table(
    "images",
    metadata,
    Column("ufcstats_id", Text, primary_key=True),
    Column("source", Text, primary_key=True),
    Column("url", Text, primary_key=True),  # '' for a candidate skipped before it had a URL
    Column("rank", Integer, nullable=False),  # position in the fighter's waterfall, from 0
    Column("outcome", Text, nullable=False),
    Column("reason", Text),
    Column("detail", Text),
    Column("phash", Text),
    Column("faces", Integer),
    Column("licence", Text),
    Column("tried_at", DateTime(timezone=True), nullable=False),
    CheckConstraint(_in("source", IMAGE_SOURCES), name="source"),
    CheckConstraint(_in("outcome", IMAGE_OUTCOMES), name="outcome"),
)


class SchemaVersionError(RuntimeError):
    """The database was created by a different (newer or unknown) schema version."""


def _state(conn: Connection) -> tuple[frozenset[str], int | None]:
    """The Alembic revisions recorded in the database and its ``schema_version`` (empty /
    None where the table is missing)."""
    names = set(inspect(conn).get_table_names())
    revisions: frozenset[str] = frozenset()
    if VERSION_TABLE in names:
        query = text(f"SELECT version_num FROM {VERSION_TABLE}")
        revisions = frozenset(conn.execute(query).scalars())
    version = None
    if schema_version.name in names:
        query = select(schema_version.c.version).where(schema_version.c.id == 1)
        version = conn.execute(query).scalar_one_or_none()
    return revisions, version


def _refuse_unknown(revisions: frozenset[str], version: int | None) -> None:
    if version is not None and version not in (*UPGRADABLE_FROM, SCHEMA_VERSION):
        raise SchemaVersionError(
            f"database schema version is {version}, this code expects {SCHEMA_VERSION}"
        )
    unknown = revisions - migrations.known_revisions()
    if unknown:
        raise SchemaVersionError(
            f"database is at migration {', '.join(sorted(unknown))}, unknown to this code "
            f"(newer?); this code expects {migrations.head_revision()}"
        )


def ensure_schema(engine: Engine) -> int:
    """Bring the database to the current schema (``alembic upgrade head``); return
    :data:`SCHEMA_VERSION`.

    Idempotent and cheap when the database is up to date (one look at the version tables).
    A database made before the migrations (``schema_version`` 1 to 3, no
    ``ufc_warehouse_version``) is taken over by the baseline revision, which creates only the
    missing tables, so no rows are lost. Raises :class:`SchemaVersionError` if the
    database holds a newer or unknown version, rather than writing into tables whose shape
    this code does not know. Concurrent callers are serialised (a transaction-level
    advisory lock on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite).
    """
    head = migrations.head_revision()
    with engine.connect() as conn:
        revisions, version = _state(conn)
    if revisions == {head} and version == SCHEMA_VERSION:
        return SCHEMA_VERSION
    _refuse_unknown(revisions, version)
    with write_transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
        revisions, version = _state(conn)  # again: another process may have upgraded
        _refuse_unknown(revisions, version)
        if revisions != {head}:
            from alembic import command

            command.upgrade(migrations.alembic_config(connection=conn), "head")
        if _state(conn)[1] != SCHEMA_VERSION:
            conn.execute(
                schema_version.update()
                .where(schema_version.c.id == 1)
                .values(version=SCHEMA_VERSION)
            )
    return SCHEMA_VERSION
