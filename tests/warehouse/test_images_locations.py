"""Schema v4 (revision 0002): the portrait provenance on ``fighters`` and the
``fighter_locations`` and ``images`` tables, their migration from a v3 database, and their
loaders. Each test runs on SQLite and on PostgreSQL (a throw-away schema ``t_<uuid>``,
skipped when the server is not reachable unless ``CI`` is set)."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.schema import CreateSchema, DropSchema

from ufc_pipeline.warehouse import schema
from ufc_pipeline.warehouse.engine import make_engine, redact_url
from ufc_pipeline.warehouse.images import replace_image_candidates, update_fighter_images
from ufc_pipeline.warehouse.load import upsert_fighters
from ufc_pipeline.warehouse.locations import replace_fighter_locations
from ufc_pipeline.warehouse.migrations import alembic_config, head_revision
from ufc_pipeline.warehouse.schema import (
    SCHEMA_VERSION,
    ensure_schema,
    fighter_locations,
    fighters,
    images,
)

PG_URL = os.environ.get("UFC_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
T0 = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
T1 = dt.datetime(2026, 12, 8, 9, 30, tzinfo=dt.UTC)
NEW_COLUMNS = {"image_source", "image_licence", "image_attribution"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database: a SQLite file, or a fresh PostgreSQL schema."""
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


@pytest.fixture
def engine(empty: Engine) -> Engine:
    """A warehouse at head with three fighters."""
    ensure_schema(empty)
    upsert_fighters(
        empty,
        [
            {"ufcstats_id": fid, "name": name, "image_path": None}
            for fid, name in (("a1", "Alpha One"), ("b2", "Bravo Two"), ("c3", "Charlie Three"))
        ],
    )
    return empty


def _alembic(engine: Engine, name: str, revision: str) -> None:
    with engine.begin() as conn:
        getattr(command, name)(alembic_config(connection=conn), revision)


def _rows(engine: Engine, table: Any, *, drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    pk = list(table.primary_key.columns)
    with engine.connect() as conn:
        found = conn.execute(select(table).order_by(*pk)).mappings()
        return [{k: v for k, v in r.items() if k not in drop} for r in found]


def _image_columns(engine: Engine, fid: str) -> tuple[Any, ...]:
    t = fighters
    query = select(t.c.image_path, t.c.image_source, t.c.image_licence, t.c.image_attribution)
    with engine.connect() as conn:
        return tuple(conn.execute(query.where(t.c.ufcstats_id == fid)).one())


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite gives naive UTC back, PostgreSQL an aware datetime."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


# --- migration ---------------------------------------------------------------------------


def test_v3_database_upgrades_to_v4_keeping_its_rows(empty: Engine) -> None:
    _alembic(empty, "upgrade", "0001")
    with empty.begin() as conn:
        assert conn.execute(select(schema.schema_version.c.version)).scalar_one() == 3
        conn.execute(
            text(
                "INSERT INTO fighters (ufcstats_id, name, birth_date, image_path, letter) "
                "VALUES ('keep', 'Kept Fighter', '1990-01-02', 'images/keep.jpg', 'k')"
            )
        )
    before = set(inspect(empty).get_table_names())
    assert not {"images", "fighter_locations"} & before

    assert ensure_schema(empty) == SCHEMA_VERSION == 4
    assert set(inspect(empty).get_table_names()) == before | {"images", "fighter_locations"}
    assert NEW_COLUMNS <= {c["name"] for c in inspect(empty).get_columns("fighters")}
    with empty.connect() as conn:
        assert conn.execute(select(schema.schema_version.c.version)).scalar_one() == 4
        assert conn.execute(text("SELECT version_num FROM ufc_warehouse_version")).all() == [
            (head_revision(),)
        ]
        context = MigrationContext.configure(conn, opts={"version_table": schema.VERSION_TABLE})
        assert compare_metadata(context, schema.metadata) == []
    (kept,) = _rows(empty, fighters)
    assert (kept["name"], kept["birth_date"], kept["letter"]) == (
        "Kept Fighter",
        dt.date(1990, 1, 2),
        "k",
    )
    assert kept["image_path"] == "images/keep.jpg"
    assert (kept["image_source"], kept["image_licence"], kept["image_attribution"]) == (
        None,
        None,
        None,
    )
    # the new columns and tables take rows
    assert update_fighter_images(empty, [_saved("keep")]) == 1
    assert replace_fighter_locations(empty, [_locations("keep")], loaded_at=T0) > 0


def test_downgrade_to_v3_drops_only_what_v4_added(empty: Engine) -> None:
    ensure_schema(empty)
    upsert_fighters(empty, [{"ufcstats_id": "d1", "name": "Down Grade", "letter": "d"}])
    update_fighter_images(empty, [_saved("d1")])
    replace_image_candidates(empty, [_saved("d1")], tried_at=T0)
    _alembic(empty, "downgrade", "0001")
    assert not {"images", "fighter_locations"} & set(inspect(empty).get_table_names())
    assert not NEW_COLUMNS & {c["name"] for c in inspect(empty).get_columns("fighters")}
    with empty.connect() as conn:
        assert conn.execute(select(schema.schema_version.c.version)).scalar_one() == 3
        row = conn.execute(text("SELECT name, image_path, letter FROM fighters")).one()
    assert tuple(row) == ("Down Grade", "data/images/d1.jpg", "d")
    # the table copy SQLite makes to drop columns keeps the constraints of v3
    with pytest.raises(IntegrityError), empty.begin() as conn:
        conn.execute(
            text("INSERT INTO fighters (ufcstats_id, name, match_source) VALUES ('x', 'X', 'bad')")
        )
    assert ensure_schema(empty) == SCHEMA_VERSION
    assert _image_columns(empty, "d1") == ("data/images/d1.jpg", None, None, None)


def test_new_tables_refuse_unknown_sources_and_outcomes(engine: Engine) -> None:
    base = {"ufcstats_id": "a1", "url": "u", "rank": 0, "tried_at": T0}
    for bad in ({"source": "google", "outcome": "saved"}, {"source": "sherdog", "outcome": "ok"}):
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(images.insert().values(**base, **bad))
    loc = {"ufcstats_id": "a1", "value": "v", "chosen": True, "conflict": False, "loaded_at": T0}
    for bad in ({"field": "city", "source": "sherdog"}, {"field": "gym", "source": "tapology"}):
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(fighter_locations.insert().values(**loc, **bad))


# --- images ------------------------------------------------------------------------------


def _saved(fid: str, **overrides: Any) -> dict[str, Any]:
    """A fighter_images row: no free Wikimedia picture, Sherdog's photo saved."""
    sherdog_url = f"https://www.sherdog.com/image_crop/200/300/_images/fighter/{fid}.jpg"
    row: dict[str, Any] = {
        "ufcstats_id": fid,
        "sherdog_id": 100,
        "status": "saved",
        "source": "sherdog",
        "url": sherdog_url,
        "path": f"data/images/{fid}.jpg",
        "licence": None,
        "licence_url": None,
        "author": None,
        "attribution": None,
        "phash": "c3c3c3c3c3c3c3c3",
        "sha256": "0" * 64,
        "width": 200,
        "height": 300,
        "faces": 1,
        "reason": None,
        "detail": None,
        "fingerprint": "f" * 16,
        "candidates": [
            {
                "source": "wikimedia",
                "url": f"https://upload.wikimedia.org/wikipedia/en/{fid}.jpg",
                "outcome": "skipped",
                "reason": "non_free",
                "detail": "page image is fair use (not on Commons)",
                "phash": None,
                "faces": None,
            },
            {
                "source": "sherdog",
                "url": sherdog_url,
                "outcome": "saved",
                "reason": None,
                "detail": None,
                "phash": "c3c3c3c3c3c3c3c3",
                "faces": 1,
            },
        ],
    }
    row.update(overrides)
    return row


def _commons(fid: str) -> dict[str, Any]:
    """A fighter_images row saved from Wikimedia Commons, licence and attribution known."""
    url = f"https://upload.wikimedia.org/wikipedia/commons/a/ab/{fid}.jpg"
    return _saved(
        fid,
        source="wikimedia",
        url=url,
        licence="CC BY-SA 4.0",
        licence_url="https://creativecommons.org/licenses/by-sa/4.0",
        author="Jane Doe",
        attribution="Jane Doe, CC BY-SA 4.0, via Wikimedia Commons",
        candidates=[
            {"source": "wikimedia", "url": url, "outcome": "saved", "phash": "ab", "faces": 1}
        ],
    )


def _failed(fid: str) -> dict[str, Any]:
    return _saved(
        fid,
        status="failed",
        source=None,
        url=None,
        path=None,
        reason="no_face",
        candidates=[
            {"source": "wikimedia", "url": None, "outcome": "skipped", "reason": "no_page"},
            {
                "source": "sherdog",
                "url": f"https://www.sherdog.com/_images/fighter/{fid}.jpg",
                "outcome": "rejected",
                "reason": "no_face",
                "detail": "0 faces found",
                "phash": "0f0f",
                "faces": 0,
            },
            {"source": "ufccom", "url": None, "outcome": "skipped", "reason": "disabled"},
        ],
    )


def test_saved_image_sets_path_source_licence_attribution(engine: Engine) -> None:
    rows = [_saved("a1"), _commons("b2")]
    assert update_fighter_images(engine, rows) == 2
    assert _image_columns(engine, "a1") == ("data/images/a1.jpg", "sherdog", None, None)
    assert _image_columns(engine, "b2") == (
        "data/images/b2.jpg",
        "wikimedia",
        "CC BY-SA 4.0",
        "Jane Doe, CC BY-SA 4.0, via Wikimedia Commons",
    )
    assert _image_columns(engine, "c3") == (None, None, None, None)  # no row: untouched
    assert update_fighter_images(engine, rows) == 0  # idempotent
    # relative to the data directory, as the fights step stores image_path
    assert update_fighter_images(engine, [_saved("a1")], base_dir="data") == 1
    assert _image_columns(engine, "a1")[0] == os.path.join("images", "a1.jpg")


def test_failed_image_leaves_nulls(engine: Engine) -> None:
    update_fighter_images(engine, [_commons("a1")])
    assert update_fighter_images(engine, [_failed("a1"), _failed("b2")]) == 1  # b2 was NULL
    assert _image_columns(engine, "a1") == (None, None, None, None)
    assert _image_columns(engine, "b2") == (None, None, None, None)
    assert update_fighter_images(engine, [_failed("a1")]) == 0


def test_unknown_fighters_are_ignored_and_bad_rows_write_nothing(engine: Engine) -> None:
    assert update_fighter_images(engine, [_saved("nobody")]) == 0
    bad_rows = (
        [_saved("a1"), _saved("b2", source="google")],
        [_saved("a1"), _saved("b2", path=None)],
        [_saved("a1"), _saved("a1")],
        [_saved("a1"), _saved("b2", status="ok")],
    )
    for rows in bad_rows:
        with pytest.raises(ValueError, match="a1|b2"):
            update_fighter_images(engine, rows)
    assert _image_columns(engine, "a1") == (None, None, None, None)


def test_candidates_are_stored_in_waterfall_order(engine: Engine) -> None:
    assert replace_image_candidates(engine, [_failed("a1"), _commons("b2")], tried_at=T0) == 4
    stored = sorted(_rows(engine, images), key=lambda r: (r["ufcstats_id"], r["rank"]))
    assert [(r["ufcstats_id"], r["rank"], r["source"], r["outcome"]) for r in stored] == [
        ("a1", 0, "wikimedia", "skipped"),
        ("a1", 1, "sherdog", "rejected"),
        ("a1", 2, "ufccom", "skipped"),
        ("b2", 0, "wikimedia", "saved"),
    ]
    skipped, rejected, _, saved = stored
    assert (skipped["url"], skipped["reason"], skipped["phash"]) == ("", "no_page", None)
    assert (rejected["reason"], rejected["detail"], rejected["faces"]) == (
        "no_face",
        "0 faces found",
        0,
    )
    assert (saved["licence"], saved["phash"], saved["faces"]) == ("CC BY-SA 4.0", "ab", 1)
    assert {_utc(r["tried_at"]) for r in stored} == {T0}


def test_candidates_are_replaced_not_appended(engine: Engine) -> None:
    replace_image_candidates(engine, [_failed("a1"), _saved("b2")], tried_at=T0)
    # re-run with the same rows: nothing written, tried_at kept
    assert replace_image_candidates(engine, [_failed("a1"), _saved("b2")], tried_at=T1) == 0
    assert {_utc(r["tried_at"]) for r in _rows(engine, images)} == {T0}
    # a1 now gets a Commons picture: its three old candidates go, one comes; b2 untouched
    assert replace_image_candidates(engine, [_commons("a1")], tried_at=T1) == 4
    a1 = [r for r in _rows(engine, images) if r["ufcstats_id"] == "a1"]
    assert [(r["source"], r["outcome"], _utc(r["tried_at"])) for r in a1] == [
        ("wikimedia", "saved", T1)
    ]
    assert len([r for r in _rows(engine, images) if r["ufcstats_id"] == "b2"]) == 2
    # the same candidate with a new outcome is updated in place
    retried = _saved("b2")
    retried["candidates"][1] |= {"outcome": "rejected", "reason": "placeholder", "faces": None}
    retried["status"] = "failed"
    assert replace_image_candidates(engine, [retried], tried_at=T1) == 1
    b2 = {r["source"]: r for r in _rows(engine, images) if r["ufcstats_id"] == "b2"}
    assert (b2["sherdog"]["outcome"], b2["sherdog"]["reason"]) == ("rejected", "placeholder")
    assert (_utc(b2["sherdog"]["tried_at"]), _utc(b2["wikimedia"]["tried_at"])) == (T1, T0)
    # no candidates any more: the fighter's rows go
    assert replace_image_candidates(engine, [_saved("b2", candidates=[])]) == 2
    assert {r["ufcstats_id"] for r in _rows(engine, images)} == {"a1"}


def test_the_same_picture_tried_twice_is_one_row(engine: Engine) -> None:
    url = "https://upload.wikimedia.org/wikipedia/commons/a/ab/a1.jpg"
    row = _commons("a1")
    row["candidates"] = [
        {"source": "wikimedia", "url": url, "outcome": "rejected", "reason": "tiny"},
        {"source": "wikimedia", "url": url, "outcome": "saved", "phash": "ab", "faces": 1},
    ]
    assert replace_image_candidates(engine, [row], tried_at=T0) == 1
    (stored,) = _rows(engine, images)
    assert (stored["outcome"], stored["rank"], stored["licence"]) == ("saved", 1, "CC BY-SA 4.0")


def test_bad_candidates_are_refused_naming_the_fighter(engine: Engine) -> None:
    old_format = _saved("b2")
    del old_format["candidates"]
    bad = _saved("b2")
    bad["candidates"][0]["outcome"] = "maybe"
    for rows in ([_saved("a1"), old_format], [_saved("a1"), bad]):
        with pytest.raises(ValueError, match="b2"):
            replace_image_candidates(engine, rows)
    assert _rows(engine, images) == []


# --- locations ---------------------------------------------------------------------------


def _locations(fid: str, **overrides: Any) -> dict[str, Any]:
    """A ``fighter_locations`` row as the step writes it: born in Atlanta, Georgia (the US
    state); the sources name the country differently (same code), Wikidata lists two
    citizenships, and the gyms of Sherdog and UFC.com differ."""
    row: dict[str, Any] = {
        "ufcstats_id": fid,
        "birth_city": "Atlanta",
        "birth_region": "Georgia",
        "birth_country": "United States",
        "birth_country_code": "US",
        "nationality": "United States",
        "nationality_code": "US",
        "gym": "American Top Team",
        "values": [
            {"field": "birth_city", "source": "sherdog", "value": "atlanta ", "code": None},
            {"field": "birth_region", "source": "sherdog", "value": "Georgia", "code": None},
            {"field": "birth_country", "source": "sherdog", "value": "USA", "code": "US"},
            {"field": "nationality", "source": "sherdog", "value": "American", "code": "US"},
            {"field": "gym", "source": "sherdog", "value": "Hard Knocks 365", "code": None},
            {"field": "birth_city", "source": "ufccom", "value": "Atlanta", "code": None},
            {"field": "birth_country", "source": "ufccom", "value": "United States", "code": "US"},
            {"field": "gym", "source": "ufccom", "value": "American Top Team", "code": None},
            {"field": "birth_city", "source": "wikidata", "value": "Atlanta", "code": None},
            {"field": "nationality", "source": "wikidata", "value": "United States", "code": "US"},
            {"field": "nationality", "source": "wikidata", "value": "Nigeria", "code": "NG"},
        ],
        "chosen": {"birth_city": "ufccom", "gym": "ufccom"},  # more keys than the loader reads
        "conflicts": ["nationality", "gym"],
        "key": "0123456789abcdef",
    }
    row.update(overrides)
    return row


def _by_key(engine: Engine) -> dict[tuple[str, str, str, str], dict[str, Any]]:
    out = {}
    for r in _rows(engine, fighter_locations):
        out[(r["ufcstats_id"], r["field"], r["source"], r["value"])] = r
    return out


def test_locations_keep_every_source_and_flag_chosen_and_conflicts(engine: Engine) -> None:
    assert replace_fighter_locations(engine, [_locations("a1")], loaded_at=T0) == 16
    rows = _by_key(engine)
    flags = {k[1:]: (r["code"], r["chosen"], r["conflict"]) for k, r in rows.items()}
    assert flags == {
        ("birth_city", "sherdog", "atlanta"): (None, True, False),  # case and spaces aside
        ("birth_city", "ufccom", "Atlanta"): (None, True, False),
        ("birth_city", "wikidata", "Atlanta"): (None, True, False),
        ("birth_city", "resolved", "Atlanta"): (None, True, False),
        ("birth_region", "sherdog", "Georgia"): (None, True, False),
        ("birth_region", "resolved", "Georgia"): (None, True, False),
        ("birth_country", "sherdog", "USA"): ("US", True, False),  # same code
        ("birth_country", "ufccom", "United States"): ("US", True, False),
        ("birth_country", "resolved", "United States"): ("US", True, False),
        ("nationality", "sherdog", "American"): ("US", True, True),
        ("nationality", "wikidata", "United States"): ("US", True, True),
        ("nationality", "wikidata", "Nigeria"): ("NG", False, True),  # second citizenship
        ("nationality", "resolved", "United States"): ("US", True, True),
        ("gym", "sherdog", "Hard Knocks 365"): (None, False, True),
        ("gym", "ufccom", "American Top Team"): (None, True, True),
        ("gym", "resolved", "American Top Team"): (None, True, True),
    }
    assert {_utc(r["loaded_at"]) for r in rows.values()} == {T0}
    resolved = {k[1]: k[3] for k in rows if k[2] == "resolved"}
    assert resolved["birth_region"] == "Georgia"  # the state, kept apart from the country
    assert ("a1", "birth_country", "resolved", "Georgia") not in rows


def test_locations_rerun_changes_nothing_and_changes_replace(engine: Engine) -> None:
    rows = [_locations("a1"), _locations("b2")]
    replace_fighter_locations(engine, rows, loaded_at=T0)
    assert replace_fighter_locations(engine, rows, loaded_at=T1) == 0
    assert {_utc(r["loaded_at"]) for r in _by_key(engine).values()} == {T0}
    # a1: Sherdog now names UFC.com's gym with its branch (the same gym to the resolver, no
    # conflict any more), and Wikidata lost Nigeria
    changed = _locations("a1", conflicts=[])
    changed["values"] = [v for v in changed["values"] if v["value"] != "Nigeria"]
    changed["values"][4]["value"] = "American Top Team Coconut Creek"
    # gym: Sherdog's row renamed (1 deleted, 1 inserted), ufccom and resolved rows lose the
    # conflict flag (2 updated); nationality: Nigeria deleted, three rows lose the flag
    assert replace_fighter_locations(engine, [changed], loaded_at=T1) == 8
    after = _by_key(engine)
    gym = {k[2:]: (r["chosen"], r["conflict"]) for k, r in after.items() if k[:2] == ("a1", "gym")}
    assert gym == {
        ("sherdog", "American Top Team Coconut Creek"): (True, False),
        ("ufccom", "American Top Team"): (True, False),
        ("resolved", "American Top Team"): (True, False),
    }
    assert ("a1", "nationality", "wikidata", "Nigeria") not in after
    assert ("b2", "nationality", "wikidata", "Nigeria") in after  # other fighter untouched
    assert after[("b2", "gym", "sherdog", "Hard Knocks 365")]["conflict"] is True
    assert _utc(after[("a1", "birth_city", "ufccom", "Atlanta")]["loaded_at"]) == T0
    assert _utc(after[("a1", "gym", "ufccom", "American Top Team")]["loaded_at"]) == T1


def test_unresolved_field_has_no_chosen_row(engine: Engine) -> None:
    row = _locations("a1", gym=None)
    replace_fighter_locations(engine, [row], loaded_at=T0)
    gym = [r for k, r in _by_key(engine).items() if k[1] == "gym"]
    assert {r["source"] for r in gym} == {"sherdog", "ufccom"}
    assert not any(r["chosen"] for r in gym) and all(r["conflict"] for r in gym)
    # a fighter whose sources say nothing any more loses every row
    empty = _locations("a1", values=[], conflicts=[])
    empty |= dict.fromkeys(("birth_city", "birth_region", "birth_country", "nationality", "gym"))
    assert len(_by_key(engine)) == 15  # 11 source values and 4 resolved fields
    assert replace_fighter_locations(engine, [empty]) == 15
    assert _rows(engine, fighter_locations) == []


def test_bad_location_rows_are_refused_naming_the_fighter(engine: Engine) -> None:
    def with_value(**value: Any) -> dict[str, Any]:
        row = _locations("b2")
        row["values"].append({"field": "gym", "source": "sherdog", "value": "x"} | value)
        return row

    bad_rows = (
        with_value(field="hometown"),
        with_value(source="tapology"),
        with_value(source="resolved"),
        with_value(value=42),
        _locations("b2", conflicts=["weight"]),
    )
    for bad in bad_rows:
        with pytest.raises(ValueError, match="b2"):
            replace_fighter_locations(engine, [_locations("a1"), bad])
    with pytest.raises(ValueError, match="two rows for fighter a1"):
        replace_fighter_locations(engine, [_locations("a1"), _locations("a1")])
    assert _rows(engine, fighter_locations) == []
