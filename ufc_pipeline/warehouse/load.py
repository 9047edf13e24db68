"""Idempotent loading into the warehouse: upserts, quarantine records and table digests.

The upserts use the dialect's ``INSERT ... ON CONFLICT (pk) DO UPDATE SET ... WHERE`` with
a WHERE clause that is true only when some column actually differs (``IS DISTINCT FROM``,
which treats NULLs as comparable). Identical rows are therefore never rewritten and a
re-run reports everything as unchanged. Each call is one transaction (all or nothing),
written in chunks of bound-parameter ``executemany`` batches; no SQL text is ever built
from values.

Counting: inside the transaction each chunk first reads which of its keys already exist,
then runs the upsert with ``RETURNING pk``. Returned keys were inserted or updated
(existing ones = updated); keys not returned were left unchanged by the WHERE clause.

A primary key may span several columns (``fight_stats``: fight id and fighter id); a key is
then the tuple of those columns' values, none of which may be empty.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    MetaData,
    Table,
    bindparam,
    delete,
    func,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from ufc_pipeline.warehouse.engine import make_engine, write_transaction
from ufc_pipeline.warehouse.schema import (
    events,
    fight_details,
    fight_stats,
    fight_stats_rounds,
    fighters,
    fights,
    metadata,
    quarantine,
    ufc_bouts,
)

DEFAULT_CHUNK_SIZE = 500
MAX_DETAIL_CHARS = 4000


@dataclass(frozen=True)
class UpsertStats:
    """How many distinct keys an upsert inserted, updated or left untouched."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.unchanged

    def __add__(self, other: UpsertStats) -> UpsertStats:
        return UpsertStats(
            self.inserted + other.inserted,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )


def _insert_for(conn: Connection | Engine) -> Callable[[Table], Any]:
    """The dialect-specific ``insert`` construct that supports ``on_conflict_*``."""
    name = conn.dialect.name
    if name == "postgresql":
        return postgresql.insert
    if name == "sqlite":
        return sqlite.insert
    raise NotImplementedError(f"upserts are implemented for SQLite and PostgreSQL, not {name}")


def _primary_key(table: Table) -> list[str]:
    names = [c.name for c in table.primary_key.columns]
    if not names:
        raise ValueError(f"{table.name}: upserts need a primary key")
    return names


def prepare_rows(table: Table, rows: Iterable[dict[str, Any]]) -> tuple[list[str], list[dict]]:
    """Validate and deduplicate ``rows`` for ``table``; return (columns, rows sorted by key).

    All rows must carry the same keys, all of them columns of ``table``, including every
    primary-key column (non-null). Columns absent from the rows are not touched on update.
    For duplicate keys the later row wins; rows are sorted by key first (stable sort), so
    identical duplicates give the same output whatever the input order.
    """
    pk = _primary_key(table)
    rows = list(rows)
    if not rows:
        return [], []
    keys = set(rows[0])
    unknown = keys - set(table.c.keys())
    if unknown:
        raise ValueError(f"{table.name}: unknown columns {sorted(unknown)}")
    lacking = [k for k in pk if k not in keys]
    if lacking:
        raise ValueError(f"{table.name}: rows lack the primary key {', '.join(map(repr, lacking))}")
    deduped: dict[Any, dict[str, Any]] = {}
    for index, row in enumerate(rows):
        if row.keys() != keys:
            diff = sorted(set(row) ^ keys)
            raise ValueError(f"{table.name}: row {index} has different columns: {diff}")
        key = tuple(row[k] for k in pk)
        for k, value in zip(pk, key, strict=True):
            if value is None or value == "":
                raise ValueError(f"{table.name}: row {index} has an empty {k}")
        deduped[key] = row  # a later duplicate wins
    columns = [c.name for c in table.columns if c.name in keys]
    # the rows themselves, not copies (they are bound by column name; a load of the fight
    # statistics holds some 70,000 of them)
    return columns, [deduped[key] for key in sorted(deduped)]


def _upsert(
    engine: Engine, table: Table, rows: Iterable[dict[str, Any]], chunk_size: int
) -> UpsertStats:
    if chunk_size < 1:
        raise ValueError("chunk_size must be positive")
    columns, prepared = prepare_rows(table, rows)
    if not prepared:
        return UpsertStats()
    pk = _primary_key(table)
    pk_cols = [table.c[k] for k in pk]
    stmt = _insert_for(engine)(table)
    updatable = [c for c in columns if c not in pk]
    if updatable:
        stmt = stmt.on_conflict_do_update(
            index_elements=pk_cols,
            set_={c: stmt.excluded[c] for c in updatable},
            where=or_(*(table.c[c].is_distinct_from(stmt.excluded[c]) for c in updatable)),
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=pk_cols)
    stmt = stmt.returning(*pk_cols)
    key_expr = pk_cols[0] if len(pk_cols) == 1 else tuple_(*pk_cols)

    inserted = updated = 0
    with write_transaction(engine) as conn:
        for start in range(0, len(prepared), chunk_size):
            chunk = prepared[start : start + chunk_size]
            keys = [row[pk[0]] if len(pk) == 1 else tuple(row[k] for k in pk) for row in chunk]
            found = conn.execute(select(*pk_cols).where(key_expr.in_(keys)))
            existing = {tuple(r) for r in found}
            touched = {tuple(r) for r in conn.execute(stmt, chunk)}
            updated += len(touched & existing)
            inserted += len(touched - existing)
    return UpsertStats(inserted, updated, len(prepared) - inserted - updated)


def upsert_fighters(
    engine: Engine, rows: list[dict[str, Any]], *, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> UpsertStats:
    """Insert or update ``fighters`` rows keyed by ``ufcstats_id`` in one transaction.

    Rows may carry a subset of the columns (at least ``ufcstats_id`` and ``name``, which
    is NOT NULL); columns left out keep their stored values. A constraint violation
    anywhere rolls back the whole call and re-raises the ``sqlalchemy.exc.IntegrityError``.
    To set only ``image_path`` of existing fighters use :func:`update_image_paths`.
    """
    return _upsert(engine, fighters, rows, chunk_size)


def update_image_paths(engine: Engine, paths: dict[str, str | None]) -> int:
    """Set ``fighters.image_path`` for existing fighters (``{ufcstats_id: path}``), in one
    transaction; unknown ids are ignored and unchanged paths not rewritten. Returns the
    number of rows changed."""
    stmt = (
        update(fighters)
        .where(
            fighters.c.ufcstats_id == bindparam("b_id"),
            fighters.c.image_path.is_distinct_from(bindparam("b_path")),
        )
        .values(image_path=bindparam("b_path"))
    )
    changed = 0
    with write_transaction(engine) as conn:
        for key in sorted(paths):
            changed += conn.execute(stmt, {"b_id": key, "b_path": paths[key]}).rowcount
    return changed


def upsert_fights(
    engine: Engine, rows: list[dict[str, Any]], *, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> UpsertStats:
    """Insert or update ``fights`` rows (from :func:`~.bouts.bout_row`) keyed by
    ``bout_key``, in one transaction; same semantics as :func:`upsert_fighters`."""
    return _upsert(engine, fights, rows, chunk_size)


def upsert_events(
    engine: Engine, rows: list[dict[str, Any]], *, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> UpsertStats:
    """Insert or update ``events`` rows keyed by ``event_id``, in one transaction."""
    return _upsert(engine, events, rows, chunk_size)


def upsert_ufc_bouts(
    engine: Engine, rows: list[dict[str, Any]], *, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> UpsertStats:
    """Insert or update ``ufc_bouts`` rows keyed by ``fight_id``, in one transaction."""
    return _upsert(engine, ufc_bouts, rows, chunk_size)


def upsert_fight_details(
    engine: Engine, rows: list[dict[str, Any]], *, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> UpsertStats:
    """Insert or update ``fight_details`` rows keyed by ``fight_id``, in one transaction;
    every ``fight_id`` must be in ``ufc_bouts`` (foreign key)."""
    return _upsert(engine, fight_details, rows, chunk_size)


def upsert_fight_stats(
    engine: Engine, rows: list[dict[str, Any]], *, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> UpsertStats:
    """Insert or update ``fight_stats`` rows keyed by (``fight_id``, ``fighter_id``), in one
    transaction; every ``fight_id`` must be in ``ufc_bouts`` (foreign key)."""
    return _upsert(engine, fight_stats, rows, chunk_size)


def upsert_fight_stats_rounds(
    engine: Engine, rows: list[dict[str, Any]], *, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> UpsertStats:
    """Insert or update ``fight_stats_rounds`` rows keyed by (``fight_id``, ``fighter_id``,
    ``round``), in one transaction. Rounds of those fights beyond the last round given for
    the fight (a corrected page that lost a round) are deleted in the same transaction."""
    stats = _upsert(engine, fight_stats_rounds, rows, chunk_size)
    last: dict[str, int] = {}
    for row in rows:
        last[row["fight_id"]] = max(last.get(row["fight_id"], 0), int(row["round"]))
    t = fight_stats_rounds
    stmt = delete(t).where(t.c.fight_id == bindparam("b_id"), t.c.round > bindparam("b_last"))
    if last:
        with write_transaction(engine) as conn:  # one executemany, not one call per fight
            conn.execute(stmt, [{"b_id": f, "b_last": last[f]} for f in sorted(last)])
    return stats


def replace_owned_rows(
    conn: Connection,
    table: Table,
    owner: str,
    rows_by_owner: dict[str, list[dict[str, Any]]],
    *,
    stamp: str,
    now: dt.datetime,
) -> int:
    """Make the rows of ``table`` whose ``owner`` column is a key of ``rows_by_owner``
    exactly the rows given for it, inside the caller's transaction ``conn``.

    Rows are matched on the primary key: stored rows whose key is not given any more are
    deleted, new keys inserted, and rows whose other columns differ updated; identical rows
    are not written and keep their ``stamp`` column, which is set to ``now`` on the rows
    written (the given rows must not carry it). Owners not in ``rows_by_owner`` are not
    touched; an owner mapped to ``[]`` loses all its rows. Returns the number of rows
    deleted, inserted or updated (0 on a re-run with the same rows).
    """
    pk = _primary_key(table)
    if owner not in pk:
        raise ValueError(f"{table.name}: {owner!r} is not part of the primary key")
    compared = [c.name for c in table.columns if c.name not in pk and c.name != stamp]
    stored: dict[tuple[Any, ...], dict[str, Any]] = {}
    owners = sorted(rows_by_owner)
    for start in range(0, len(owners), DEFAULT_CHUNK_SIZE):
        chunk = owners[start : start + DEFAULT_CHUNK_SIZE]
        query = select(table).where(table.c[owner].in_(chunk))
        for row in conn.execute(query).mappings():
            stored[tuple(row[k] for k in pk)] = dict(row)
    wanted: dict[tuple[Any, ...], dict[str, Any]] = {}
    for key_owner, rows in rows_by_owner.items():
        for row in rows:
            if row[owner] != key_owner:
                raise ValueError(f"{table.name}: a row of {key_owner!r} names {row[owner]!r}")
            wanted[tuple(row[k] for k in pk)] = row
    gone = [dict(zip(pk, key, strict=True)) for key in sorted(stored.keys() - wanted.keys())]
    new = [{**wanted[key], stamp: now} for key in sorted(wanted.keys() - stored.keys())]
    changed = [
        {**wanted[key], stamp: now}
        for key in sorted(wanted.keys() & stored.keys())
        if any(wanted[key][c] != stored[key][c] for c in compared)
    ]
    by_key = [table.c[k] == bindparam(f"b_{k}") for k in pk]
    if gone:
        conn.execute(delete(table).where(*by_key), [{f"b_{k}": r[k] for k in pk} for r in gone])
    if new:
        conn.execute(table.insert(), new)
    if changed:
        columns = [*compared, stamp]
        stmt = update(table).where(*by_key).values({c: bindparam(f"v_{c}") for c in columns})
        params = [{f"b_{k}": r[k] for k in pk} | {f"v_{c}": r[c] for c in columns} for r in changed]
        conn.execute(stmt, params)
    return len(gone) + len(new) + len(changed)


def existing_keys(engine: Engine, table: Table, column: str, values: Iterable[str]) -> set[str]:
    """Which of ``values`` are in ``table.column`` (read in chunks of bound parameters)."""
    wanted = sorted(set(values))
    col = table.c[column]
    found: set[str] = set()
    with engine.connect() as conn:
        for start in range(0, len(wanted), DEFAULT_CHUNK_SIZE):
            chunk = wanted[start : start + DEFAULT_CHUNK_SIZE]
            found.update(conn.execute(select(col).where(col.in_(chunk))).scalars())
    return found


def owner_ids(engine: Engine, table: Table | str, column: str = "ufcstats_id") -> set[str]:
    """The distinct ``column`` values of ``table``: whose rows it holds (one query)."""
    t = _resolve_table(engine, table)
    with engine.connect() as conn:
        return {str(v) for (v,) in conn.execute(select(t.c[column]).distinct())}


def owners_held(url: str, table: Table) -> int | None:
    """How many fighters (distinct ``ufcstats_id``) the warehouse at ``url`` holds rows of
    in ``table``; None when it cannot be read (no such table, no database). What a step's
    no-op record is checked against."""
    engine = make_engine(url)
    try:
        return len(owner_ids(engine, table))
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def duplicate_bouts(engine: Engine) -> tuple[int, int]:
    """(bouts stored more than once, rows in ``fights``): the same event, date and pair."""
    t = fights
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(t)).scalar_one()
        grouped = (
            select(t.c.event_name, t.c.date, t.c.fighter1_key, t.c.fighter2_key)
            .group_by(t.c.event_name, t.c.date, t.c.fighter1_key, t.c.fighter2_key)
            .having(func.count() > 1)
        ).subquery()
        dupes = conn.execute(select(func.count()).select_from(grouped)).scalar_one()
    return int(dupes), int(total)


def totals_differing_from_rounds(
    engine: Engine, fight_ids: Iterable[str], columns: Sequence[str]
) -> dict[str, list[str]]:
    """Fight id -> ``fighter:column total != sum of rounds`` for the stored statistics of
    ``fight_ids`` (a column NULL in the totals or in a round is not compared)."""
    from ufc_pipeline.warehouse.schema import fight_stats, fight_stats_rounds

    ids = sorted(set(fight_ids))
    if not ids:
        return {}
    t, r = fight_stats, fight_stats_rounds
    sums = (
        select(
            r.c.fight_id,
            r.c.fighter_id,
            *[func.sum(r.c[c]).label(c) for c in columns],
            *[func.count(r.c[c]).label(f"n_{c}") for c in columns],
            func.count().label("rounds"),
        )
        .where(r.c.fight_id.in_(bindparam("ids", expanding=True)))
        .group_by(r.c.fight_id, r.c.fighter_id)
        .subquery()
    )
    query = select(t, sums).join(
        sums, (t.c.fight_id == sums.c.fight_id) & (t.c.fighter_id == sums.c.fighter_id)
    )
    out: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for row in conn.execute(query, {"ids": ids}).mappings():
            for c in columns:
                total, summed = row[t.c[c]], row[sums.c[c]]
                if total is None or row[sums.c[f"n_{c}"]] != row[sums.c.rounds]:
                    continue
                if int(total) != int(summed):
                    fid, who = row[t.c.fight_id], row[t.c.fighter_id]
                    out.setdefault(fid, []).append(f"{who}:{c} {total} != {summed}")
    return out


def record_quarantine(
    engine: Engine,
    kind: str,
    subject: str,
    reason: str,
    detail: str,
    *,
    seen_at: dt.datetime | None = None,
) -> None:
    """Record that ``subject`` (an id or URL) of ``kind`` was rejected for ``reason``.

    One row per (kind, subject, reason): a repeat keeps ``first_seen_at`` and refreshes
    ``detail`` and ``last_seen_at`` (``seen_at``, default now; naive values are taken as
    UTC, aware ones converted to UTC). ``detail`` is cut to :data:`MAX_DETAIL_CHARS`.
    """
    record_quarantines(engine, [(kind, subject, reason, detail)], seen_at=seen_at)


def record_quarantines(
    engine: Engine,
    items: Iterable[tuple[str, str, str, str]],
    *,
    seen_at: dt.datetime | None = None,
) -> int:
    """:func:`record_quarantine` for many ``(kind, subject, reason, detail)`` at once, in
    one transaction and one batched statement; when an item repeats, the last one's
    ``detail`` is kept (as successive calls would). Every item is checked before anything
    is written. Returns the number of distinct rows recorded."""
    wanted: dict[tuple[str, str, str], str] = {}
    for kind, subject, reason, detail in items:
        for label, value in (("kind", kind), ("subject", subject), ("reason", reason)):
            if not isinstance(value, str) or not value:
                raise ValueError(f"quarantine {label} must be a non-empty string, got {value!r}")
        wanted[(kind, subject, reason)] = (detail or "")[:MAX_DETAIL_CHARS]
    if not wanted:
        return 0
    now = seen_at or dt.datetime.now(dt.UTC)
    now = now.astimezone(dt.UTC) if now.tzinfo else now.replace(tzinfo=dt.UTC)
    stmt = _insert_for(engine)(quarantine)
    stmt = stmt.on_conflict_do_update(
        index_elements=[quarantine.c.kind, quarantine.c.subject, quarantine.c.reason],
        set_={"detail": stmt.excluded.detail, "last_seen_at": stmt.excluded.last_seen_at},
    )
    rows = [
        {
            "kind": kind,
            "subject": subject,
            "reason": reason,
            "detail": detail,
            "first_seen_at": now,
            "last_seen_at": now,
        }
        for (kind, subject, reason), detail in wanted.items()
    ]
    with write_transaction(engine) as conn:
        for start in range(0, len(rows), DEFAULT_CHUNK_SIZE):
            conn.execute(stmt, rows[start : start + DEFAULT_CHUNK_SIZE])
    return len(rows)


def clear_quarantine(engine: Engine, kind: str, subject: str) -> int:
    """Delete every quarantine row of ``kind``/``subject`` (it has since been loaded
    successfully); return how many rows were removed."""
    with write_transaction(engine) as conn:
        result = conn.execute(
            delete(quarantine).where(quarantine.c.kind == kind, quarantine.c.subject == subject)
        )
        return result.rowcount


def _canonical(value: Any) -> Any:
    """JSON-ready value that is the same for equal data on every backend."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return value


def _resolve_table(engine: Engine, table: Table | str) -> Table:
    if isinstance(table, Table):
        return table
    if table in metadata.tables:
        return metadata.tables[table]
    return Table(table, MetaData(), autoload_with=engine)


def table_digest(engine: Engine, table: Table | str) -> str:
    """SHA-256 (hex) of the table's column names and full contents, ordered by primary key.

    Two runs that produced identical tables give identical digests. Rows are sorted in
    Python (not by the database collation), so equal data also digests equally on SQLite
    and PostgreSQL. Meant for verification; it reads the whole table into memory.
    """
    resolved = _resolve_table(engine, table)
    columns = list(resolved.columns)
    pk_positions: Sequence[int] = [i for i, c in enumerate(columns) if c.primary_key]
    if not pk_positions:  # reflected table without a primary key: order by every column
        pk_positions = range(len(columns))
    with engine.connect() as conn:
        rows = [[_canonical(v) for v in row] for row in conn.execute(select(*columns))]
    lines = [
        (_sort_key(row[i] for i in pk_positions), json.dumps(row, **_JSON_OPTIONS)) for row in rows
    ]
    lines.sort()
    digest = hashlib.sha256()
    header = {"table": resolved.name, "columns": [c.name for c in columns]}
    digest.update(json.dumps(header, sort_keys=True).encode("utf-8") + b"\n")
    for _key, line in lines:
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


_JSON_OPTIONS: dict[str, Any] = {"ensure_ascii": False, "separators": (",", ":")}


def _sort_key(values: Iterable[Any]) -> tuple[tuple[bool, str, Any], ...]:
    """Total order over key values even with NULLs or mixed types (SQLite typing)."""
    return tuple((v is None, type(v).__name__, "" if v is None else v) for v in values)
