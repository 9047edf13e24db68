"""Baseline: the warehouse as schema version 3 (the last pre-Alembic version).

Revision ID: 0001
Revises:
Create Date: 2026-12-02

A frozen copy of the tables as ``schema.py`` defined them at version 3; later changes go in
later revisions, never here. Each table is created only if it is missing, so a database
made by the pre-Alembic ``ensure_schema`` (schema_version 1, 2 or 3) is brought to v3
without touching its rows (v1 and v2 lacked the events/bouts and fight-page tables) and
stamped at this revision. The ``schema_version`` row is set to 3.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BASELINE_VERSION = 3

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

#: Creation order (referenced tables first); downgrade drops in reverse.
TABLES = (
    "events",
    "fighters",
    "fights",
    "quarantine",
    "schema_version",
    "ufc_bouts",
    "fight_details",
    "fight_stats",
    "fight_stats_rounds",
)


def _stats() -> list[sa.Column]:
    return [sa.Column(name, sa.Integer(), nullable=True) for name in STAT_COLUMNS]


def _bout_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["fight_id"], ["ufc_bouts.fight_id"], name=op.f(f"fk_{table}_fight_id_ufc_bouts")
    )


def _definitions() -> dict[str, tuple[list[Any], list[str]]]:
    """Per table: its columns and constraints, and its indexed columns (one index each)."""
    text, integer = sa.Text, sa.Integer
    return {
        "events": (
            [
                sa.Column("event_id", text(), nullable=False),
                sa.Column("name", text(), nullable=False),
                sa.Column("date", sa.Date(), nullable=True),
                sa.Column("location", text(), nullable=True),
                sa.Column("upcoming", integer(), nullable=False),
                sa.Column("bouts", integer(), nullable=True),
                sa.PrimaryKeyConstraint("event_id", name=op.f("pk_events")),
            ],
            [],
        ),
        "fighters": (
            [
                sa.Column("ufcstats_id", text(), nullable=False),
                sa.Column("sherdog_id", integer(), nullable=True),
                sa.Column("name", text(), nullable=False),
                *[
                    sa.Column(name, text(), nullable=True)
                    for name in ("nickname", "first_name", "last_name", "sherdog_name")
                ],
                sa.Column("birth_date", sa.Date(), nullable=True),
                sa.Column("nationality", text(), nullable=True),
                sa.Column("height_in", sa.Float(), nullable=True),
                sa.Column("weight_lbs", sa.Float(), nullable=True),
                sa.Column("reach_in", sa.Float(), nullable=True),
                sa.Column("stance", text(), nullable=True),
                sa.Column("weight_class", text(), nullable=True),
                sa.Column("association", text(), nullable=True),
                *[
                    sa.Column(name, integer(), nullable=True)
                    for name in ("wins", "losses", "draws", "no_contests")
                ],
                sa.Column("match_confidence", sa.Float(), nullable=True),
                sa.Column("match_source", text(), nullable=True),
                sa.Column("image_path", text(), nullable=True),
                sa.Column("letter", text(), nullable=True),
                sa.CheckConstraint(
                    "match_source IS NULL OR match_source IN ('auto', 'override')",
                    name=op.f("ck_fighters_match_source"),
                ),
                sa.CheckConstraint(
                    "match_confidence IS NULL OR "
                    "(match_confidence >= 0 AND match_confidence <= 100)",
                    name=op.f("ck_fighters_match_confidence"),
                ),
                sa.PrimaryKeyConstraint("ufcstats_id", name=op.f("pk_fighters")),
                sa.UniqueConstraint("sherdog_id", name=op.f("uq_fighters_sherdog_id")),
            ],
            ["letter"],
        ),
        "fights": (
            [
                sa.Column("bout_key", text(), nullable=False),
                sa.Column("event_id", integer(), nullable=True),
                sa.Column("event_name", text(), nullable=True),
                sa.Column("date", sa.Date(), nullable=True),
                sa.Column("section", text(), nullable=False),
                sa.Column("fighter1_key", text(), nullable=False),
                sa.Column("fighter1_sherdog_id", integer(), nullable=True),
                sa.Column("fighter1_name", text(), nullable=True),
                sa.Column("fighter2_key", text(), nullable=False),
                sa.Column("fighter2_sherdog_id", integer(), nullable=True),
                sa.Column("fighter2_name", text(), nullable=True),
                sa.Column("result1", text(), nullable=False),
                sa.Column("winner_key", text(), nullable=True),
                sa.Column("method", text(), nullable=True),
                sa.Column("referee", text(), nullable=True),
                sa.Column("round", integer(), nullable=True),
                sa.Column("time", text(), nullable=True),
                sa.CheckConstraint(
                    "section IN ('pro', 'pro_exhibition', 'amateur', 'other')",
                    name=op.f("ck_fights_section"),
                ),
                sa.CheckConstraint(
                    "result1 IN ('win', 'loss', 'draw', 'nc', 'unknown')",
                    name=op.f("ck_fights_result1"),
                ),
                sa.CheckConstraint(
                    "fighter1_key <> fighter2_key", name=op.f("ck_fights_distinct_fighters")
                ),
                sa.CheckConstraint(
                    "winner_key IS NULL OR winner_key = fighter1_key OR winner_key = fighter2_key",
                    name=op.f("ck_fights_winner_is_a_fighter"),
                ),
                sa.PrimaryKeyConstraint("bout_key", name=op.f("pk_fights")),
            ],
            ["fighter1_sherdog_id", "fighter2_sherdog_id", "date"],
        ),
        "quarantine": (
            [
                sa.Column("id", integer(), autoincrement=True, nullable=False),
                sa.Column("kind", text(), nullable=False),
                sa.Column("subject", text(), nullable=False),
                sa.Column("reason", text(), nullable=False),
                sa.Column("detail", text(), nullable=True),
                sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
                sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
                sa.PrimaryKeyConstraint("id", name=op.f("pk_quarantine")),
                sa.UniqueConstraint(
                    "kind", "subject", "reason", name=op.f("uq_quarantine_kind_subject_reason")
                ),
            ],
            [],
        ),
        "schema_version": (
            [
                sa.Column("id", integer(), autoincrement=False, nullable=False),
                sa.Column("version", integer(), nullable=False),
                sa.CheckConstraint("id = 1", name=op.f("ck_schema_version_single_row")),
                sa.PrimaryKeyConstraint("id", name=op.f("pk_schema_version")),
            ],
            [],
        ),
        "ufc_bouts": (
            [
                sa.Column("fight_id", text(), nullable=False),
                sa.Column("event_id", text(), nullable=False),
                sa.Column("date", sa.Date(), nullable=True),
                sa.Column("fighter1_id", text(), nullable=False),
                sa.Column("fighter1_name", text(), nullable=True),
                sa.Column("fighter2_id", text(), nullable=False),
                sa.Column("fighter2_name", text(), nullable=True),
                sa.Column("result", text(), nullable=False),
                sa.Column("winner_id", text(), nullable=True),
                sa.Column("weight_class", text(), nullable=True),
                sa.Column("title_fight", integer(), nullable=False),
                sa.Column("bonuses", text(), nullable=True),
                sa.Column("method", text(), nullable=True),
                sa.Column("method_detail", text(), nullable=True),
                sa.Column("round", integer(), nullable=True),
                sa.Column("time", text(), nullable=True),
                sa.PrimaryKeyConstraint("fight_id", name=op.f("pk_ufc_bouts")),
            ],
            ["event_id"],
        ),
        "fight_details": (
            [
                sa.Column("fight_id", text(), nullable=False),
                sa.Column("event_id", text(), nullable=True),
                sa.Column("bout_type", text(), nullable=True),
                sa.Column("weight_class", text(), nullable=True),
                sa.Column("title_bout", integer(), nullable=False),
                sa.Column("method", text(), nullable=True),
                sa.Column("method_detail", text(), nullable=True),
                sa.Column("judges", text(), nullable=True),
                sa.Column("round", integer(), nullable=True),
                sa.Column("time", text(), nullable=True),
                sa.Column("time_format", text(), nullable=True),
                sa.Column("referee", text(), nullable=True),
                sa.Column("bonuses", text(), nullable=True),
                sa.Column("stats_status", text(), nullable=False),
                sa.CheckConstraint(
                    "stats_status IN ('loaded', 'pending', 'unavailable', 'quarantined')",
                    name=op.f("ck_fight_details_stats_status"),
                ),
                _bout_fk("fight_details"),
                sa.PrimaryKeyConstraint("fight_id", name=op.f("pk_fight_details")),
            ],
            ["event_id"],
        ),
        "fight_stats": (
            [
                sa.Column("fight_id", text(), nullable=False),
                sa.Column("fighter_id", text(), nullable=False),
                sa.Column("fighter_name", text(), nullable=True),
                sa.Column("corner", text(), nullable=False),
                sa.Column("result", text(), nullable=True),
                *_stats(),
                sa.CheckConstraint("corner IN ('red', 'blue')", name=op.f("ck_fight_stats_corner")),
                _bout_fk("fight_stats"),
                sa.PrimaryKeyConstraint("fight_id", "fighter_id", name=op.f("pk_fight_stats")),
            ],
            ["fighter_id"],
        ),
        "fight_stats_rounds": (
            [
                sa.Column("fight_id", text(), nullable=False),
                sa.Column("fighter_id", text(), nullable=False),
                sa.Column("round", integer(), autoincrement=False, nullable=False),
                *_stats(),
                sa.CheckConstraint("round >= 1", name=op.f("ck_fight_stats_rounds_round")),
                _bout_fk("fight_stats_rounds"),
                sa.PrimaryKeyConstraint(
                    "fight_id", "fighter_id", "round", name=op.f("pk_fight_stats_rounds")
                ),
            ],
            ["fighter_id"],
        ),
    }


def upgrade() -> None:
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    definitions = _definitions()
    for name in TABLES:
        if name in existing:  # made by the pre-Alembic ensure_schema: keep it and its rows
            continue
        elements, indexed = definitions[name]
        op.create_table(name, *elements)
        for column in indexed:
            op.create_index(op.f(f"ix_{name}_{column}"), name, [column], unique=False)
    version = sa.table("schema_version", sa.column("id"), sa.column("version"))
    found = bind.execute(sa.select(version.c.version).where(version.c.id == 1)).scalar()
    if found is None:
        op.execute(version.insert().values(id=1, version=BASELINE_VERSION))
    elif found != BASELINE_VERSION:
        op.execute(version.update().where(version.c.id == 1).values(version=BASELINE_VERSION))


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
