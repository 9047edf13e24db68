"""The fighter chain on two Celery workers (``ufc_pipeline.celery_definitions``).

Two ``dagster-celery worker start`` processes (nodes ``…-w1`` and ``…-w2``, the same code and
environment: a PostgreSQL Dagster instance from ``dagster.celery.yaml``, a PostgreSQL
warehouse, one data directory, the mirror's URLs) and Redis on 127.0.0.1:6379 as broker and
result backend. The chain for a...c is launched with ``dagster asset materialize``, the pools
mapped to queues so that w1 takes the ``ufcstats`` steps and w2 the others.

Which worker ran a step: dagster-celery's task writes an engine event "Executing steps <key>
in celery worker" to the run's event log before it runs the step, with the metadata entry
``Celery worker`` = the worker's node name (Celery's ``request.hostname``, ``<name>@<host>``).
The test reads those from the instance and checks them against the workers' own logs (each
logs ``Task execute_plan[...] succeeded`` once per step it ran).

The warehouse tables must equal an in-process run of the same chain on the same world.
Each run gets fresh databases and queue names of its own; without Redis or PostgreSQL the
test skips locally and fails in CI (CI is set there).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
import sqlalchemy as sa

from tests.e2e.helpers import run_chain
from ufc_mirror.envs import source_env
from ufc_mirror.server import start_mirror
from ufc_mirror.world import build_world
from ufc_pipeline.warehouse.engine import make_engine
from ufc_pipeline.warehouse.load import table_digest

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ADMIN_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"
TABLES = ("fighters", "fights")
START, END = "a", "c"
UFCSTATS_STEPS = {"fighters_list", "fighter_details"}  # pool ufcstats -> w1
OTHER_STEPS = {  # -> w2 (pool sherdog, the other pools and no pool: the default queue)
    "sherdog_matches",
    "verified_matches",
    "ufc_com_athletes",
    "ufc_com_matches",
    "wikidata_fighters",
    "fighter_locations",
    "fighter_images",
    "fights",
}
# The site settings of tests.e2e.helpers.resources, as environment variables.
FAST_SITE_ENV = {
    "UFCSTATS_RATE": "0",
    "SHERDOG_RATE": "0",
    "UFCSTATS_CONCURRENCY": "4",
    "SHERDOG_CONCURRENCY": "4",
    "UFCSTATS_TIMEOUT": "10",
    "SHERDOG_TIMEOUT": "10",
    "UFC_HTTP_MAX_RETRIES": "3",
    "UFC_HTTP_BACKOFF_BASE": "0.01",
    "UFC_HTTP_BACKOFF_MAX": "0.1",
}
OWN_PREFIXES = ("UFC_", "UFCSTATS_", "SHERDOG_", "DAGSTER_", "CELERY_")


def _unreachable(what: str, exc: Exception) -> None:
    if os.environ.get("CI"):
        raise exc
    pytest.skip(f"{what} is not reachable: {exc}")


@pytest.fixture
def redis_client() -> Iterator[Any]:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        _unreachable("Redis on 127.0.0.1:6379", exc)
    yield client
    client.close()


@pytest.fixture
def databases() -> Iterator[Any]:
    """``databases(n)`` -> n fresh PostgreSQL database URLs, dropped afterwards."""
    created: list[str] = []
    try:
        admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect():
            pass
    except sa.exc.OperationalError as exc:
        _unreachable("PostgreSQL on 127.0.0.1:5432", exc)

    def make(count: int) -> list[str]:
        urls = []
        for _ in range(count):
            name = f"ufc_t_{uuid.uuid4().hex[:10]}"
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            created.append(name)
            urls.append(f"postgresql+psycopg2://postgres@127.0.0.1:5432/{name}")
        return urls

    yield make
    with admin.connect() as conn:
        for name in created:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
                ),
                {"n": name},
            )
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture
def tiny_mirror(redis_client, databases) -> Iterator[Any]:  # built once both are reachable
    with start_mirror(build_world(seed=11, fighters=40, letters="abc")) as handle:
        yield handle


def _environment(home: Path, instance_url: str, warehouse_url: str, data: Path, mirror: Any):
    env = {k: v for k, v in os.environ.items() if not k.startswith(OWN_PREFIXES)}
    env.update(FAST_SITE_ENV)
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PYTHONPATH=str(ROOT),
        DAGSTER_HOME=str(home),
        DAGSTER_PG_URL=instance_url,
        UFC_DATABASE_URL=warehouse_url,
        UFC_DATA_DIR=str(data),
        **source_env(mirror),
        UFC_CELERY_BROKER=REDIS_URL,
        UFC_CELERY_BACKEND=REDIS_URL,
    )
    return env


def _start_worker(name: str, queues: list[str], env: dict[str, str], log: Path):
    """``dagster-celery worker start`` as its own process group (it runs ``celery worker``)."""
    with open(log, "wb") as out:
        return subprocess.Popen(
            [
                str(BIN / "dagster-celery"),
                "worker",
                "start",
                "-A",
                "ufc_pipeline.celery_definitions",
                "--name",
                name,
                # Celery reads one -Q (a comma-separated list): several -q would keep the last.
                "--queue",
                ",".join(queues),
                "--",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_ready(workers: dict[str, tuple[subprocess.Popen, Path]], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    waiting = set(workers)
    while waiting and time.monotonic() < deadline:
        for name in list(waiting):
            proc, log = workers[name]
            text = log.read_text(errors="replace")
            if re.search(rf"{re.escape(name)}@\S+ ready\.", text):
                waiting.discard(name)
            elif proc.poll() is not None:
                raise AssertionError(f"worker {name} exited early:\n{text[-3000:]}")
        time.sleep(0.3)
    assert not waiting, f"workers not ready after {timeout_s:.0f} s: {sorted(waiting)}"


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the worker's process group (warm shutdown), SIGKILL if it lingers."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


def _step_workers(instance: dg.DagsterInstance, run_id: str) -> dict[str, str]:
    """step key -> node name of the Celery worker that ran it, from the run's event log."""
    ran_on: dict[str, str] = {}
    records = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ENGINE_EVENT, limit=10_000
    ).records
    for record in records:
        event = record.event_log_entry.dagster_event
        data = event.engine_event_data if event else None
        if data is not None and "Celery worker" in data.metadata:
            assert event is not None and event.step_key
            worker = str(data.metadata["Celery worker"].value)
            assert ran_on.setdefault(event.step_key, worker) == worker, event.step_key
    return ran_on


def _digests(url: str) -> dict[str, str]:
    engine = make_engine(url)
    try:
        return {t: table_digest(engine, t) for t in TABLES}
    finally:
        engine.dispose()


def _row_diff(url: str, reference_url: str, limit: int = 10) -> str:
    """The rows (as column -> value) found in one database's tables and not the other's."""
    out: list[str] = []
    for table in TABLES:
        found: list[set[str]] = []
        for which in (url, reference_url):
            engine = make_engine(which)
            try:
                with engine.connect() as conn:
                    rows = conn.execute(sa.text(f"SELECT * FROM {table}")).mappings()
                    found.append({json.dumps(dict(r), default=str, sort_keys=True) for r in rows})
            finally:
                engine.dispose()
        for label, rows in (
            ("celery only", found[0] - found[1]),
            ("reference only", found[1] - found[0]),
        ):
            out += [f"{table} {label}: {row}" for row in sorted(rows)[:limit]]
    return "\n".join(out)


def test_chain_runs_on_two_celery_workers(
    tiny_mirror, tmp_path: Path, redis_client, databases, monkeypatch
):
    instance_url, warehouse_url, reference_url = databases(3)
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "dagster.celery.yaml", home / "dagster.yaml")
    env = _environment(home, instance_url, warehouse_url, tmp_path / "data", tiny_mirror)
    tag = f"ufc-t-{uuid.uuid4().hex[:8]}"
    queues = {"ufcstats": f"{tag}-ufcstats", "sherdog": f"{tag}-sherdog"}
    default_queue = f"{tag}-default"
    names = {"w1": f"{tag}-w1", "w2": f"{tag}-w2"}
    workers: dict[str, tuple[subprocess.Popen, Path]] = {}
    try:
        for key, queue_list in (
            ("w1", [queues["ufcstats"]]),
            ("w2", [queues["sherdog"], default_queue]),
        ):
            log = tmp_path / f"{key}.log"
            workers[names[key]] = (_start_worker(names[key], queue_list, env, log), log)
        # The reference: the same chain in process, while the workers boot.
        reference = run_chain(
            tiny_mirror, tmp_path / "reference", start=START, end=END, database_url=reference_url
        )
        assert reference.success
        _wait_ready(workers, timeout_s=90)

        run_config = {
            "execution": {
                "config": {
                    "pool_queues": queues,
                    "config_source": {"task_default_queue": default_queue},
                }
            }
        }
        launch = subprocess.run(
            [
                str(BIN / "dagster"),
                "asset",
                "materialize",
                "-m",
                "ufc_pipeline.celery_definitions",
                "--select",
                "*",
                "--partition-range",
                f"{START}...{END}",
                "--config-json",
                json.dumps(run_config),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert launch.returncode == 0, launch.stdout[-4000:] + launch.stderr[-4000:]

        monkeypatch.setenv("DAGSTER_PG_URL", instance_url)
        with dg.DagsterInstance.from_config(str(home)) as instance:
            (run,) = instance.get_runs()
            assert run.status == dg.DagsterRunStatus.SUCCESS
            ran_on = _step_workers(instance, run.run_id)
        host_of = {step: worker.split("@", 1)[0] for step, worker in ran_on.items()}
        assert host_of == {
            **{step: names["w1"] for step in UFCSTATS_STEPS},
            **{step: names["w2"] for step in OTHER_STEPS},
        }, ran_on
        # The workers' own logs agree: one succeeded task per step each ran.
        for name, (_proc, log) in workers.items():
            succeeded = re.findall(r"Task execute_plan\[[0-9a-f-]+\] succeeded", log.read_text())
            assert len(succeeded) == sum(w == name for w in host_of.values()), name

        engine = make_engine(warehouse_url)
        try:
            with engine.connect() as conn:
                for table in TABLES:
                    count = conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
                    assert count > 0, f"the celery run loaded no {table}"
        finally:
            engine.dispose()
        if _digests(warehouse_url) != _digests(reference_url):
            pytest.fail(
                "the celery run's tables differ from the in-process run's:\n"
                + _row_diff(warehouse_url, reference_url)
            )
    finally:
        for proc, _log in workers.values():
            _stop(proc)
        # Queue bindings name the tag; task results name the worker that stored them.
        for key in redis_client.scan_iter(match=f"*{tag}*"):
            redis_client.delete(key)
        for key in redis_client.scan_iter(match="celery-task-meta-*"):
            if tag.encode() in (redis_client.get(key) or b""):
                redis_client.delete(key)
