"""The instance storage of the project's ``dagster.yaml``: Dagster's SQLite files, its event
log on open connections (``ufc_pipeline.defs.instance_storage``).

Every test builds a real instance from the project's ``dagster.yaml`` in a temporary
``DAGSTER_HOME`` and runs real (tiny) jobs on it.
"""

from __future__ import annotations

import multiprocessing
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa
from dagster._core.storage.event_log import SqliteEventLogStorage
from sqlalchemy.pool import Pool

from ufc_pipeline.defs.instance_storage import PooledSqliteEventLogStorage, SqliteStorage

ROOT = Path(__file__).resolve().parents[2]
LETTERS = dg.StaticPartitionsDefinition(["a", "b", "c"])


@dg.asset(partitions_def=LETTERS)
def letter_page(context) -> None:  # noqa: ANN001 (Dagster reads the annotation)
    context.log.info(f"page {context.partition_key}")


@dg.asset(partitions_def=LETTERS, deps=[letter_page])
def letter_rows() -> None:
    return None


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home


@pytest.fixture
def instance(home: Path) -> Iterator[dg.DagsterInstance]:
    with dg.DagsterInstance.get() as instance:
        yield instance


def _materialize(instance: dg.DagsterInstance, partition: str) -> str:
    result = dg.materialize([letter_page, letter_rows], instance=instance, partition_key=partition)
    assert result.success
    return result.run_id


def test_project_instance_uses_the_pooled_event_log(instance: dg.DagsterInstance, home: Path):
    assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
    run_id = _materialize(instance, "a")
    # Dagster's own files: one database per run and the index, under history/runs/
    assert (home / "history" / "runs" / f"{run_id}.db").exists()
    assert (home / "history" / "runs" / "index.db").exists()
    assert (home / "history" / "runs.db").exists()


def test_connections_are_reused_across_events(instance: dg.DagsterInstance):
    opened: list[str] = []

    def on_connect(dbapi_connection, _record) -> None:
        path = dbapi_connection.execute("PRAGMA database_list").fetchone()[2]
        opened.append(Path(path).stem)

    sa.event.listen(Pool, "connect", on_connect)
    try:
        run_id = _materialize(instance, "a")
    finally:
        sa.event.remove(Pool, "connect", on_connect)
    events = instance.all_logs(run_id)
    assert len(events) > 15
    # Dagster's own event log opens a connection per event and database (dozens here);
    # this one keeps them open: creating a database opens two at once (Dagster's schema
    # set-up inspects the tables while it holds one), then they serve every event
    assert opened.count(run_id) <= 3, opened
    assert opened.count("index") <= 3, opened


def test_dagsters_own_storage_reads_what_it_wrote(instance: dg.DagsterInstance, home: Path):
    runs = [_materialize(instance, p) for p in ("a", "b", "c")]
    stock = SqliteEventLogStorage(str(home / "history" / "runs"))
    for run_id in runs:
        ours = [entry.message for entry in instance.all_logs(run_id)]
        theirs = [r.event_log_entry.message for r in stock.get_records_for_run(run_id).records]
        assert ours == theirs
    materialized = stock.get_materialized_partitions(dg.AssetKey("letter_rows"))
    assert materialized == {"a", "b", "c"}


def test_the_ui_sees_each_event_as_it_is_written(instance: dg.DagsterInstance, home: Path):
    """The UI follows a run by watching its database file (its own storage object, another
    process in real life): every event must reach the file when it is stored."""
    run_id = _materialize(instance, "a")  # a run whose database exists
    seen: list[str] = []
    got_all = threading.Event()
    stored = len(instance.all_logs(run_id))
    reader = SqliteStorage(str(home)).event_log_storage

    def callback(entry: dg.EventLogEntry, _cursor: str) -> None:
        seen.append(entry.message)
        if len(seen) >= stored + 3:
            got_all.set()

    try:
        reader.watch(run_id, None, callback)
        time.sleep(0.3)  # the observer thread starts
        for n in range(3):
            instance.report_engine_event(f"live {n}", instance.get_run_by_id(run_id))
            time.sleep(0.05)
        assert got_all.wait(10), f"the watcher saw {len(seen)} of {stored + 3} events"
        assert seen[-3:] == ["live 0", "live 1", "live 2"]
    finally:
        reader.end_watch(run_id, callback)
        reader.dispose()


def _child_materializes(home: str) -> None:
    import os

    os.environ["DAGSTER_HOME"] = home
    instance = _FORKED["instance"]
    _materialize(instance, "b")


_FORKED: dict[str, dg.DagsterInstance] = {}


def test_forked_child_opens_its_own_connections(instance: dg.DagsterInstance, home: Path):
    """A prefork worker inherits the parent's storage object: it must not write through the
    parent's connections, and the parent's must still work afterwards."""
    _materialize(instance, "a")  # the parent has the index open
    _FORKED["instance"] = instance
    child = multiprocessing.get_context("fork").Process(
        target=_child_materializes, args=(str(home),)
    )
    child.start()
    child.join(60)
    assert child.exitcode == 0
    _materialize(instance, "c")
    materialized = instance.get_materialized_partitions(dg.AssetKey("letter_rows"))
    assert materialized == {"a", "b", "c"}


def test_wipe_closes_and_deletes_the_run_databases(instance: dg.DagsterInstance, home: Path):
    run_id = _materialize(instance, "a")
    instance.event_log_storage.wipe()
    assert not (home / "history" / "runs" / f"{run_id}.db").exists()
    assert instance.all_logs(run_id) == []
    again = _materialize(instance, "b")
    assert len(instance.all_logs(again)) > 15
