"""Backend-independent warehouse scenarios, run on SQLite and on PostgreSQL.

Any test function that takes a ``scenario`` argument is parametrized with every entry of
:data:`SCENARIOS`; each test module supplies its own ``engine`` fixture (schema already
ensured). Each scenario is a plain function of the engine that asserts what it checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError

from ufc_pipeline.parsing.records import SherdogFight
from ufc_pipeline.warehouse.bouts import bout_row
from ufc_pipeline.warehouse.load import (
    UpsertStats,
    record_quarantine,
    record_quarantines,
    table_digest,
    update_image_paths,
    upsert_fight_details,
    upsert_fight_stats,
    upsert_fight_stats_rounds,
    upsert_fighters,
    upsert_fights,
    upsert_ufc_bouts,
)
from ufc_pipeline.warehouse.schema import (
    SCHEMA_VERSION,
    STAT_COLUMNS,
    SchemaVersionError,
    ensure_schema,
    fight_details,
    fight_stats,
    fight_stats_rounds,
    fighters,
    fights,
    quarantine,
    schema_version,
)

UFC_100 = {"event_id": 5000, "event_name": "UFC 100", "date": dt.date(2009, 7, 11)}


def fight(**overrides: Any) -> SherdogFight:
    """A completed pro fight row as it appears on some fighter's page."""
    values: dict[str, Any] = {
        "section": "pro",
        "result": "win",
        "opponent_name": "Bravo Beta",
        "opponent_id": 200,
        **UFC_100,
        "method": "KO (Punches)",
        "referee": "Herb Dean",
        "round": 1,
        "time": "4:12",
    }
    values.update(overrides)
    return SherdogFight(**values)


def fighter_row(ufcstats_id: str, **overrides: Any) -> dict[str, Any]:
    """A complete ``fighters`` row."""
    row: dict[str, Any] = {
        "ufcstats_id": ufcstats_id,
        "sherdog_id": None,
        "name": f"Fighter {ufcstats_id}",
        "nickname": None,
        "first_name": "Fighter",
        "last_name": ufcstats_id,
        "sherdog_name": None,
        "birth_date": dt.date(1990, 1, 2),
        "nationality": "United States",
        "height_in": 71.0,
        "weight_lbs": 155.0,
        "reach_in": 72.5,
        "stance": "Orthodox",
        "weight_class": "Lightweight",
        "association": None,
        "wins": 10,
        "losses": 2,
        "draws": 0,
        "no_contests": 0,
        "match_confidence": 97.5,
        "match_source": "auto",
        "image_path": None,
        "letter": "f",
    }
    row.update(overrides)
    return row


def sample_fights() -> list[dict[str, Any]]:
    """Bouts of Alpha (sh:100) read from Alpha's page, plus the same bouts from the
    opponents' pages, so the set holds duplicates by construction."""
    alpha = (100, "Alpha Aardvark")
    rows = [
        bout_row(*alpha, fight()),
        bout_row(200, "Bravo Beta", fight(result="loss", opponent_name=alpha[1], opponent_id=100)),
        bout_row(*alpha, fight(opponent_name="Charlie Cee", opponent_id=300, event_id=5001)),
        bout_row(*alpha, fight(result="draw", opponent_name="Delta No-Link", opponent_id=None)),
        bout_row(*alpha, fight(section="amateur", event_id=None, event_name="Local Show 3")),
    ]
    return rows


def _utc_naive(value: dt.datetime) -> dt.datetime:
    """SQLite returns naive UTC, PostgreSQL aware datetimes in the session time zone."""
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def _all(engine: Engine, table: Any) -> list[dict[str, Any]]:
    pk = list(table.primary_key.columns)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table).order_by(*pk))]


def same_bout_from_both_pages(engine: Engine) -> None:
    from_a = bout_row(100, "Alpha Aardvark", fight())
    from_b = bout_row(
        200, "Bravo Beta", fight(result="loss", opponent_name="Alpha Aardvark", opponent_id=100)
    )
    assert upsert_fights(engine, [from_a]) == UpsertStats(inserted=1)
    assert upsert_fights(engine, [from_b]) == UpsertStats(unchanged=1)
    (row,) = _all(engine, fights)
    assert (row["fighter1_key"], row["fighter2_key"]) == ("sh:100", "sh:200")
    assert (row["fighter1_name"], row["fighter2_name"]) == ("Alpha Aardvark", "Bravo Beta")
    assert (row["result1"], row["winner_key"]) == ("win", "sh:100")
    assert row["date"] == dt.date(2009, 7, 11)


def opponent_without_id(engine: Engine) -> None:
    row = bout_row(100, "Alpha Aardvark", fight(opponent_name="Zé Ninguém", opponent_id=None))
    assert upsert_fights(engine, [row]).inserted == 1
    (stored,) = _all(engine, fights)
    # "name:zeninguem" sorts before "sh:100": the opponent is fighter 1, result flipped.
    assert stored["fighter1_key"] == "name:zeninguem"
    assert stored["fighter1_sherdog_id"] is None
    assert (stored["result1"], stored["winner_key"]) == ("loss", "sh:100")


def rerun_changes_nothing(engine: Engine) -> None:
    people = [fighter_row(f"u{i:03d}", sherdog_id=1000 + i) for i in range(25)]
    bouts = sample_fights()
    first = (upsert_fighters(engine, people, chunk_size=7), upsert_fights(engine, bouts))
    assert first == (UpsertStats(inserted=25), UpsertStats(inserted=4))
    digests = (table_digest(engine, "fighters"), table_digest(engine, fights))
    second = (upsert_fighters(engine, people, chunk_size=7), upsert_fights(engine, bouts))
    assert second == (UpsertStats(unchanged=25), UpsertStats(unchanged=4))
    assert (table_digest(engine, "fighters"), table_digest(engine, fights)) == digests


def changed_method_updates(engine: Engine) -> None:
    upsert_fights(engine, sample_fights())
    before = table_digest(engine, fights)
    corrected = bout_row(100, "Alpha Aardvark", fight(method="TKO (Punches)", time="4:13"))
    assert upsert_fights(engine, [corrected]) == UpsertStats(updated=1)
    assert table_digest(engine, fights) != before
    with engine.connect() as conn:
        method, time = conn.execute(
            select(fights.c.method, fights.c.time).where(fights.c.bout_key == corrected["bout_key"])
        ).one()
    assert (method, time) == ("TKO (Punches)", "4:13")
    # NULL vs value counts as a change too, and back.
    for value in (None, "TKO (Punches)"):
        assert upsert_fights(engine, [{**corrected, "referee": value}]).updated == 1


def failed_batch_rolls_back_fighters(engine: Engine) -> None:
    upsert_fighters(engine, [fighter_row("keep", sherdog_id=1)])
    before = table_digest(engine, fighters)
    batch = [fighter_row(f"n{i:02d}", sherdog_id=10 + i) for i in range(10)]
    batch.append(fighter_row("keep", name="Renamed"))  # an update in the same batch
    batch.append(fighter_row("zz-dup", sherdog_id=10))  # unique sherdog_id violated, last chunk
    with pytest.raises(IntegrityError):
        upsert_fighters(engine, batch, chunk_size=3)
    assert table_digest(engine, fighters) == before
    assert [r["ufcstats_id"] for r in _all(engine, fighters)] == ["keep"]


def failed_batch_rolls_back_fights(engine: Engine) -> None:
    good = sample_fights()
    bad = {**bout_row(100, "Alpha Aardvark", fight(opponent_id=999)), "section": "bogus"}
    with pytest.raises(IntegrityError):
        upsert_fights(engine, [*good, bad], chunk_size=2)
    assert _all(engine, fights) == []


HOSTILE = [
    "Robert'); DROP TABLE fights;--",
    'Tom "The Quote" O\'Neil',
    "x' OR '1'='1",
    "%s %(name)s :name ? $1 \\x00",
    "back\\slash; -- comment /* c */",
]


def hostile_text_stored_verbatim(engine: Engine) -> None:
    rows = [
        fighter_row(f"h{i}", name=text, nickname=text, association=text)
        for i, text in enumerate(HOSTILE)
    ]
    upsert_fighters(engine, rows)
    bouts = [
        bout_row(None, text, fight(opponent_name=text[::-1], opponent_id=None, method=text))
        for text in HOSTILE
    ]
    assert upsert_fights(engine, bouts).inserted == len(HOSTILE)
    record_quarantine(engine, "page", HOSTILE[0], "bad'reason", HOSTILE[1])
    stored = {r["ufcstats_id"]: r for r in _all(engine, fighters)}
    for i, text in enumerate(HOSTILE):
        assert (stored[f"h{i}"]["name"], stored[f"h{i}"]["nickname"]) == (text, text)
    assert sorted(r["method"] for r in _all(engine, fights)) == sorted(HOSTILE)
    assert upsert_fights(engine, bouts) == UpsertStats(unchanged=len(HOSTILE))
    (q,) = _all(engine, quarantine)
    assert (q["subject"], q["reason"], q["detail"]) == (HOSTILE[0], "bad'reason", HOSTILE[1])


ODD_UNICODE = [
    "Khabib Nurmagomedov / Хабиб Нурмагомедов",
    "José Aldo",  # precomposed é
    "Jose\u0301 Aldo",  # e + combining acute
    "Żaneta Wąsik-Øvergård",
    "長谷川 賢",
    "محمد صلاح",
    "Fighter 🥊🇧🇷",
    "zero\u200bwidth\u200djoiner",
    "Ǆ Ligature ﬁ",
]


def odd_unicode_stored_verbatim(engine: Engine) -> None:
    rows = [fighter_row(f"x{i}", name=name) for i, name in enumerate(ODD_UNICODE)]
    upsert_fighters(engine, rows)
    assert [r["name"] for r in _all(engine, fighters)] == ODD_UNICODE
    digest = table_digest(engine, fighters)
    assert upsert_fighters(engine, rows) == UpsertStats(unchanged=len(rows))
    assert table_digest(engine, fighters) == digest
    # The precomposed and decomposed spellings are the same fighter key.
    a = bout_row(1, ODD_UNICODE[0], fight(opponent_name=ODD_UNICODE[1], opponent_id=None))
    b = bout_row(1, ODD_UNICODE[0], fight(opponent_name=ODD_UNICODE[2], opponent_id=None))
    assert upsert_fights(engine, [a, b]) == UpsertStats(inserted=1)
    (stored,) = _all(engine, fights)
    assert stored["fighter1_name"] == ODD_UNICODE[2]  # later row wins, stored verbatim


def duplicates_independent_of_input_order(engine: Engine) -> None:
    rows = [fighter_row(f"d{i}") for i in range(6)]
    upsert_fighters(engine, rows + rows[::-1] + rows)
    forward = table_digest(engine, fighters)
    with engine.begin() as conn:
        conn.execute(fighters.delete())
    stats = upsert_fighters(engine, rows[::-1] + rows)
    assert stats == UpsertStats(inserted=6)
    assert table_digest(engine, fighters) == forward
    # Different rows for one key: the later one in the input wins.
    later = [fighter_row("d0", name="First"), fighter_row("d0", name="Second")]
    assert upsert_fighters(engine, later) == UpsertStats(updated=1)
    assert _all(engine, fighters)[0]["name"] == "Second"


def partial_columns_keep_others(engine: Engine) -> None:
    upsert_fighters(engine, [fighter_row("p1", nickname="Old", image_path="img/p1.jpg")])
    stats = upsert_fighters(engine, [{"ufcstats_id": "p1", "name": "Fighter p1", "wins": 11}])
    assert stats == UpsertStats(updated=1)
    (row,) = _all(engine, fighters)
    assert (row["wins"], row["nickname"], row["image_path"]) == (11, "Old", "img/p1.jpg")
    assert update_image_paths(engine, {"p1": "img/p1b.jpg", "missing": "x.jpg"}) == 1
    assert update_image_paths(engine, {"p1": "img/p1b.jpg"}) == 0
    assert _all(engine, fighters)[0]["image_path"] == "img/p1b.jpg"


def quarantine_upsert(engine: Engine) -> None:
    t0 = dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.UTC)
    t1 = t0 + dt.timedelta(days=1)
    record_quarantine(engine, "image", "u1", "truncated", "cut at 10 KB", seen_at=t0)
    record_quarantine(engine, "image", "u1", "truncated", "cut at 12 KB", seen_at=t1)
    record_quarantine(engine, "image", "u1", "placeholder", "silhouette", seen_at=t1)
    rows = _all(engine, quarantine)
    assert [(r["reason"], r["detail"]) for r in rows] == [
        ("truncated", "cut at 12 KB"),
        ("placeholder", "silhouette"),
    ]
    first, last = rows[0]["first_seen_at"], rows[0]["last_seen_at"]
    assert (_utc_naive(first), _utc_naive(last)) == (_utc_naive(t0), _utc_naive(t1))
    # A non-UTC timestamp is stored as the same instant.
    paris = dt.timezone(dt.timedelta(hours=2))
    record_quarantine(engine, "image", "u1", "truncated", "x", seen_at=t1.astimezone(paris))
    assert _utc_naive(_all(engine, quarantine)[0]["last_seen_at"]) == _utc_naive(t1)
    with pytest.raises(ValueError):
        record_quarantine(engine, "image", "", "truncated", "no subject")


def quarantine_batch(engine: Engine) -> None:
    """Many records in one call: as many calls in a row, and nothing written on a bad one."""
    t0 = dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.UTC)
    items = [
        ("image", "u1", "truncated", "cut at 10 KB"),
        ("page", "s9", "page_unavailable", "gone"),
        ("image", "u1", "truncated", "cut at 12 KB"),  # a repeat: its detail wins
    ]
    assert record_quarantines(engine, items, seen_at=t0) == 2
    rows = _all(engine, quarantine)
    assert [(r["kind"], r["subject"], r["reason"], r["detail"]) for r in rows] == [
        ("image", "u1", "truncated", "cut at 12 KB"),
        ("page", "s9", "page_unavailable", "gone"),
    ]
    t1 = t0 + dt.timedelta(days=1)
    with pytest.raises(ValueError):
        record_quarantines(engine, [("page", "s9", "page_unavailable", "new"), ("x", "", "r", "")])
    assert [r["detail"] for r in _all(engine, quarantine)] == ["cut at 12 KB", "gone"]
    record_quarantines(engine, [("page", "s9", "page_unavailable", "back")], seen_at=t1)
    (_, again) = _all(engine, quarantine)
    assert (again["detail"], _utc_naive(again["first_seen_at"])) == ("back", _utc_naive(t0))
    assert _utc_naive(again["last_seen_at"]) == _utc_naive(t1)
    assert record_quarantines(engine, []) == 0


def ensure_schema_is_idempotent(engine: Engine) -> None:
    upsert_fighters(engine, [fighter_row("s1")])
    assert ensure_schema(engine) == SCHEMA_VERSION
    assert ensure_schema(engine) == SCHEMA_VERSION
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema_version)).scalar() == 1
        assert conn.execute(select(func.count()).select_from(fighters)).scalar() == 1
    with engine.begin() as conn:
        conn.execute(update(schema_version).values(version=SCHEMA_VERSION + 1))
    with pytest.raises(SchemaVersionError, match="expects"):
        ensure_schema(engine)


def ufc_bout(fight_id: str) -> dict[str, Any]:
    """A ``ufc_bouts`` row (what the fight-page tables reference)."""
    return {
        "fight_id": fight_id,
        "event_id": "e1",
        "date": dt.date(2024, 3, 9),
        "fighter1_id": "a",
        "fighter1_name": "Alpha",
        "fighter2_id": "b",
        "fighter2_name": "Bravo",
        "result": "win",
        "winner_id": "a",
        "weight_class": "Lightweight",
        "title_fight": 0,
        "bonuses": None,
        "method": "KO/TKO",
        "method_detail": "Punch",
        "round": 2,
        "time": "1:05",
    }


def stat_row(fight_id: str, fighter_id: str, rnd: int | None = None, **values: Any) -> dict:
    """A ``fight_stats`` row (``rnd`` None) or a ``fight_stats_rounds`` row; stats NULL
    unless given."""
    row: dict[str, Any] = {"fight_id": fight_id, "fighter_id": fighter_id}
    if rnd is None:
        row.update(fighter_name=fighter_id.upper(), corner="red", result="W")
    else:
        row["round"] = rnd
    row.update({c: values.get(c) for c in STAT_COLUMNS})
    return row


def fight_stats_keyed_by_fight_and_fighter(engine: Engine) -> None:
    upsert_ufc_bouts(engine, [ufc_bout("f1"), ufc_bout("f2")])
    rows = [
        stat_row("f1", "a", kd=1, sig_str_landed=10, sig_str_attempted=20, ctrl_seconds=65),
        stat_row("f1", "b", kd=0, sig_str_landed=7, sig_str_attempted=30, ctrl_seconds=None),
        stat_row("f2", "a", kd=0, passes=3),
    ]
    assert upsert_fight_stats(engine, rows) == UpsertStats(inserted=3)
    assert upsert_fight_stats(engine, list(reversed(rows))) == UpsertStats(unchanged=3)
    rows[1]["kd"] = 1
    assert upsert_fight_stats(engine, rows) == UpsertStats(updated=1, unchanged=2)
    stored = {(r["fight_id"], r["fighter_id"]): r for r in _all(engine, fight_stats)}
    assert stored[("f1", "b")]["kd"] == 1
    assert stored[("f1", "b")]["ctrl_seconds"] is None  # "--" on the page: NULL, not 0
    assert stored[("f2", "a")]["passes"] == 3 and stored[("f2", "a")]["ctrl_seconds"] is None


def fight_stats_rounds_keyed_by_round(engine: Engine) -> None:
    upsert_ufc_bouts(engine, [ufc_bout("f1"), ufc_bout("f2")])
    rounds = [stat_row(f, x, r, kd=r) for f in ("f1", "f2") for x in "ab" for r in (1, 2)]
    assert upsert_fight_stats_rounds(engine, rounds) == UpsertStats(inserted=8)
    assert upsert_fight_stats_rounds(engine, rounds) == UpsertStats(unchanged=8)
    # a corrected page of f1 with one round only: its second round goes, f2 is untouched
    fewer = [r for r in rounds if r["fight_id"] == "f1" and r["round"] == 1]
    assert upsert_fight_stats_rounds(engine, fewer) == UpsertStats(unchanged=2)
    keys = [(r["fight_id"], r["fighter_id"], r["round"]) for r in _all(engine, fight_stats_rounds)]
    assert keys == [("f1", "a", 1), ("f1", "b", 1)] + [("f2", x, r) for x in "ab" for r in (1, 2)]


def fight_tables_reference_ufc_bouts(engine: Engine) -> None:
    upsert_ufc_bouts(engine, [ufc_bout("f1")])
    for upsert, row in (
        (upsert_fight_stats, stat_row("nope", "a")),
        (upsert_fight_stats_rounds, stat_row("nope", "a", 1)),
        (
            upsert_fight_details,
            {"fight_id": "nope", "title_bout": 0, "stats_status": "pending"},
        ),
    ):
        with pytest.raises(IntegrityError):
            upsert(engine, [stat_row("f1", "a"), row] if upsert is upsert_fight_stats else [row])
    assert _all(engine, fight_stats) == [] and _all(engine, fight_details) == []
    with pytest.raises(IntegrityError):
        upsert_fight_details(engine, [{"fight_id": "f1", "title_bout": 0, "stats_status": "?"}])


def schema_v2_upgrades_in_place(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(update(schema_version).values(version=2))
    assert ensure_schema(engine) == SCHEMA_VERSION == 4
    with engine.connect() as conn:
        assert conn.execute(select(schema_version.c.version)).scalar_one() == 4


SCENARIOS: dict[str, Callable[[Engine], None]] = {
    f.__name__: f
    for f in (
        same_bout_from_both_pages,
        opponent_without_id,
        rerun_changes_nothing,
        changed_method_updates,
        failed_batch_rolls_back_fighters,
        failed_batch_rolls_back_fights,
        hostile_text_stored_verbatim,
        odd_unicode_stored_verbatim,
        duplicates_independent_of_input_order,
        partial_columns_keep_others,
        quarantine_upsert,
        quarantine_batch,
        ensure_schema_is_idempotent,
        fight_stats_keyed_by_fight_and_fighter,
        fight_stats_rounds_keyed_by_round,
        fight_tables_reference_ufc_bouts,
        schema_v2_upgrades_in_place,
    )
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "scenario" in metafunc.fixturenames:
        metafunc.parametrize("scenario", list(SCENARIOS.values()), ids=list(SCENARIOS))


@pytest.fixture
def make_fighter_row() -> Callable[..., dict[str, Any]]:
    """:func:`fighter_row` for test modules (they cannot import this conftest)."""
    return fighter_row


@pytest.fixture
def make_sample_fights() -> Callable[[], list[dict[str, Any]]]:
    """:func:`sample_fights` for test modules."""
    return sample_fights
