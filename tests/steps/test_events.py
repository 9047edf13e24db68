"""events_list_step and fight_cards_step: the events list and one month of fight cards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.steps.helpers import (
    LETTERS,
    Truth,
    checks_by_name,
    copy_data_dir,
    read_json,
    requests_since,
    settings_for,
    table_rows,
    tiny_world,
    with_changes,
)
from ufc_mirror.server import MirrorHandle, start_mirror
from ufc_pipeline.steps.details import fighter_details_step
from ufc_pipeline.steps.events import (
    RECHECK_DAYS,
    CardsResult,
    EventsListResult,
    EventsStepError,
    events_list_step,
    fight_cards_step,
)
from ufc_pipeline.steps.fingerprint import fingerprints
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.steps.watch import stored_bouts
from ufc_pipeline.warehouse.schema import events, ufc_bouts

EVENTS_KEYS = {
    "dagster/row_count",
    "completed",
    "newest",
    "new_events",
    "changed_events",
    "not_modified",
}
CARDS_KEYS = {
    "dagster/row_count",
    "events",
    "cards_read",
    "new_bouts",
    "errors",
    "fetched",
    "not_modified",
}


def month_events(truth: Truth, month: str) -> list[str]:
    return [eid for eid, day in truth.completed_events() if day.startswith(month)]


@dataclass
class EventsRun:
    """Events list twice, then one month of cards three times (the last one recent)."""

    settings: Settings
    month: str
    lists: list[EventsListResult] = field(default_factory=list)
    list_requests: list[dict[str, int]] = field(default_factory=list)
    cards: list[CardsResult] = field(default_factory=list)
    card_requests: list[dict[str, int]] = field(default_factory=list)
    recheck_today: dt.date | None = None


@pytest.fixture(scope="module")
def run(mirror: MirrorHandle, truth: Truth, tmp_path_factory: pytest.TempPathFactory) -> EventsRun:
    settings = settings_for(mirror, tmp_path_factory.mktemp("events") / "data")
    newest = truth.completed_events()[0][1]
    out = EventsRun(settings, month=newest[:7])
    for _ in range(2):
        before = mirror.stats()
        out.lists.append(events_list_step(settings, today=truth.as_of))
        out.list_requests.append(requests_since(mirror, before))
    out.recheck_today = dt.date.fromisoformat(newest) + dt.timedelta(days=1)
    for today in (truth.as_of, truth.as_of, out.recheck_today):
        before = mirror.stats()
        out.cards.append(fight_cards_step(settings, [out.month], today=today))
        out.card_requests.append(requests_since(mirror, before))
    return out


def test_events_list_stores_every_event(run: EventsRun, truth: Truth) -> None:
    md = run.lists[0].metadata()
    assert EVENTS_KEYS <= set(md)
    completed = truth.completed_events()
    upcoming = 1 if truth.has_upcoming() else 0
    assert md["dagster/row_count"] == len(completed) + upcoming
    assert md["completed"] == len(completed)
    assert md["newest"] == max(day for _, day in completed)
    stored = read_json(run.settings.processed.root / "events" / "list.json")["events"]
    assert [e["event_id"] for e in stored if not e["upcoming"]] == [eid for eid, _ in completed]
    assert sum(1 for e in stored if e["upcoming"]) == upcoming
    assert {e["event_id"]: e["date"] for e in stored if not e["upcoming"]} == dict(completed)
    assert md["new_events"] == [e["event_id"] for e in stored][:50]
    assert md["changed_events"] == [] and md["not_modified"] == 0
    assert run.list_requests[0] == {"ufcstats_events": 1}
    rows = table_rows(run.settings, events)
    assert {r["event_id"]: r["date"].isoformat() for r in rows if not r["upcoming"]} == dict(
        completed
    )
    assert len(rows) == md["dagster/row_count"]
    assert checks_by_name(run.lists[0])["events_parsed"].passed


def test_second_events_list_is_a_304_with_nothing_new(run: EventsRun) -> None:
    md = run.lists[1].metadata()
    assert (md["new_events"], md["changed_events"], md["not_modified"]) == ([], [], 1)
    assert run.list_requests[1] == {"ufcstats_events": 1, "not_modified": 1}
    assert run.lists[1].upsert == {"inserted": 0, "updated": 0}
    assert checks_by_name(run.lists[1])["events_parsed"].passed


def test_events_list_seen_from_before_every_event_fails_the_check(
    mirror: MirrorHandle, truth: Truth, tmp_path: Path
) -> None:
    settings = settings_for(mirror, tmp_path / "data")
    oldest = dt.date.fromisoformat(truth.completed_events()[-1][1])
    result = events_list_step(settings, today=oldest - dt.timedelta(days=1))
    assert result.completed == 0
    check = checks_by_name(result)["events_parsed"]
    assert not check.passed and check.description == "0 completed events"


def test_fight_cards_of_one_month(run: EventsRun, truth: Truth) -> None:
    result = run.cards[0]
    md = result.metadata()
    assert CARDS_KEYS <= set(md)
    ids = month_events(truth, run.month)
    bouts = {b: eid for eid in ids for b in truth.event_bouts(eid)}
    assert (md["events"], md["cards_read"], md["fetched"]) == (len(ids), len(ids), len(ids))
    assert md["dagster/row_count"] == len(bouts)
    assert md["new_bouts"] == [] and md["errors"].rows == ()
    assert run.card_requests[0] == {"ufcstats_event": len(ids)}
    stored = read_json(run.settings.processed.root / "fight_cards" / f"{run.month}.json")
    assert sorted(stored["events"]) == sorted(ids)
    assert {
        b["fight_id"]: eid for eid, ev in stored["events"].items() for b in ev["bouts"]
    } == bouts
    rows = table_rows(run.settings, ufc_bouts)
    assert {r["fight_id"]: r["event_id"] for r in rows} == bouts
    index = read_json(run.settings.processed.root / "card_index.json")
    on_cards = set().union(*(truth.event_fighters(eid) for eid in ids))
    assert set(index) == on_cards
    assert sorted(b for v in index.values() for b in v) == sorted(2 * list(bouts))
    assert result.fighters_indexed == len(on_cards)
    assert set(stored_bouts(run.settings)) == set(bouts)
    assert checks_by_name(result)["cards_fetched"].passed


def test_old_cards_are_not_fetched_again(run: EventsRun, truth: Truth) -> None:
    md = run.cards[1].metadata()
    n_bouts = run.cards[0].bouts
    assert (md["fetched"], md["not_modified"], md["cards_read"]) == (0, 0, md["events"])
    assert md["dagster/row_count"] == n_bouts and md["new_bouts"] == []
    assert run.cards[1].upsert == {"inserted": 0, "updated": 0, "unchanged": n_bouts}
    assert run.card_requests[1] == {}


def test_recent_cards_are_revalidated(run: EventsRun, truth: Truth) -> None:
    """Cards younger than the recheck window are asked for again, conditionally."""
    assert run.recheck_today is not None
    recent = [
        eid
        for eid, day in truth.completed_events()
        if day.startswith(run.month)
        and (run.recheck_today - dt.date.fromisoformat(day)).days <= RECHECK_DAYS
    ]
    assert recent
    md = run.cards[2].metadata()
    assert (md["fetched"], md["not_modified"]) == (0, len(recent))
    assert run.card_requests[2] == {
        "ufcstats_event": len(recent),
        "not_modified": len(recent),
    }
    assert md["new_bouts"] == []


def _older_month(truth: Truth, than: str) -> str:
    return next(day[:7] for _, day in truth.completed_events() if day[:7] < than)


def test_failed_cards_fail_the_check(
    run: EventsRun, failing_mirror: MirrorHandle, truth: Truth, tmp_path: Path
) -> None:
    data_dir = copy_data_dir(run.settings.data_dir, tmp_path / "data")
    month = _older_month(truth, run.month)
    broken = settings_for(failing_mirror, data_dir, UFC_HTTP_MAX_RETRIES="0")
    result = fight_cards_step(with_changes(broken, max_error_fraction=1.0), [month])
    ids = month_events(truth, month)
    assert (result.events, result.cards) == (len(ids), 0)
    assert sorted(result.errors) == sorted(ids)
    assert {r["event"] for r in result.metadata()["errors"].rows} == set(ids)
    check = checks_by_name(result)["cards_fetched"]
    assert not check.passed and check.description == f"0 of {len(ids)} cards read"


def test_too_many_failed_cards_raise_and_write_nothing(
    run: EventsRun, failing_mirror: MirrorHandle, truth: Truth, tmp_path: Path
) -> None:
    data_dir = copy_data_dir(run.settings.data_dir, tmp_path / "data")
    month = _older_month(truth, run.month)
    broken = settings_for(failing_mirror, data_dir, UFC_HTTP_MAX_RETRIES="0")
    index = (data_dir / "processed" / "card_index.json").read_bytes()
    with pytest.raises(EventsStepError, match="fight cards failed; nothing was written"):
        fight_cards_step(broken, [month])
    assert not (data_dir / "processed" / "fight_cards" / f"{month}.json").exists()
    assert (data_dir / "processed" / "card_index.json").read_bytes() == index


# ---------------------------------------------------------------- a fight published late


@pytest.fixture
def late_mirror() -> Iterator[MirrorHandle]:
    """A private copy of the world (it is changed by the test)."""
    with start_mirror(tiny_world(), host="127.0.0.1") as handle:
        yield handle


def test_late_fight_is_a_new_bout_and_marks_exactly_its_two_fighters(
    chain: Any, late_mirror: MirrorHandle, tmp_path: Path
) -> None:
    truth = Truth(late_mirror.world)
    settings = settings_for(late_mirror, copy_data_dir(chain.data_dir, tmp_path / "data"))
    event_id, day = truth.completed_events()[0]
    month, today = day[:7], dt.date.fromisoformat(day) + dt.timedelta(days=2)
    events_list_step(settings, today=today)
    fight_cards_step(settings, [month], today=today)
    fighter_details_step(settings, LETTERS)  # fighters on these cards are now up to date
    on_card = truth.event_fighters(event_id)
    red, blue = (next(f for f in truth.listed_ids(x) if f not in on_card) for x in LETTERS)
    bouts_before = {x: truth.ufc_bout_count(f) for x, f in zip(LETTERS, (red, blue), strict=True)}
    fps_before = {x: fingerprints(settings, x) for x in LETTERS}

    late = late_mirror.add_late_fight(event_id, red_id=red, blue_id=blue)
    (bout_id,) = late.bout_ids
    before = late_mirror.stats()
    cards = fight_cards_step(settings, [month], today=today)
    assert cards.new_bouts == [bout_id]
    recent = [
        eid
        for eid, d in truth.completed_events()
        if d.startswith(month) and (today - dt.date.fromisoformat(d)).days <= RECHECK_DAYS
    ]
    assert event_id in recent
    assert requests_since(late_mirror, before)["ufcstats_event"] == len(recent)
    assert bout_id in {r["fight_id"] for r in table_rows(settings, ufc_bouts)}
    index = read_json(settings.processed.root / "card_index.json")
    assert bout_id in index[red] and bout_id in index[blue]
    changed = {
        fid
        for x in LETTERS
        for fid, fp in fingerprints(settings, x).items()
        if fps_before[x][fid] != fp
    }
    assert changed == {red, blue}

    before = late_mirror.stats()
    details = fighter_details_step(settings, LETTERS)
    assert details.fetched == 2
    assert requests_since(late_mirror, before)["ufcstats_fighter"] == 2
    for x, fid in zip(LETTERS, (red, blue), strict=True):
        entry = settings.processed.require("fighter_details", x)["fighters"][fid]
        assert len(entry["details"]["fights"]) == bouts_before[x] + 1
