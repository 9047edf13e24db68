"""The fighter location with its steps spread over Celery workers (README "More than one
machine").

Same assets, jobs, schedules, sensors and resources as :mod:`ufc_pipeline.definitions`; only
the executor differs: each step is a Celery task that any worker listening on its queue may
run, on any machine that shares the Dagster instance database, the warehouse, the data
directory and this code.

* Launch: ``dagster asset materialize -m ufc_pipeline.celery_definitions --select '*'
  --partition-range a...c`` (or a job, from the UI or a schedule).
* Workers: ``dagster-celery worker start -A ufc_pipeline.celery_definitions -n w1`` on every
  machine; ``app`` below is their Celery app, built from the same settings as the executor
  (``UFC_CELERY_BROKER``, ``UFC_CELERY_BACKEND``), so the two cannot point at different
  brokers (a ``-y`` config file of ``dagster-celery worker start`` is not read).
* Queues: every step goes to the queue ``dagster`` unless the run config maps pools to
  queues, e.g. ``execution: {config: {pool_queues: {ufcstats: ufcstats, sherdog: sherdog}}}``:
  a step of the ``ufcstats`` pool then goes to the queue ``ufcstats``, and a single worker
  with ``-q ufcstats --concurrency=1`` bounds that site to one step at a time whatever the
  number of runs and workers. A step's ``dagster-celery/queue`` tag still wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from celery import Celery
from dagster._core.execution.retries import RetryMode
from dagster_celery.executor import CELERY_CONFIG, CeleryExecutor, _submit_task
from dagster_celery.make_app import make_app
from dagster_celery.tags import DAGSTER_CELERY_QUEUE_TAG
from dagster_celery.tasks import create_task

import ufc_pipeline.quiet  # noqa: F401  (Dagster's beta/preview warnings, before the defs load)
from ufc_pipeline.defs.assets import ASSETS
from ufc_pipeline.defs.automation import JOBS, SCHEDULES, SENSORS
from ufc_pipeline.defs.resources import build_resources
from ufc_pipeline.heap import freeze_loaded
from ufc_pipeline.settings import env_value

DEFAULT_QUEUE = "dagster"  # dagster-celery's queue for steps that name none


def celery_urls(environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(broker, result backend) from ``UFC_CELERY_BROKER`` / ``UFC_CELERY_BACKEND``."""
    return env_value("UFC_CELERY_BROKER", environ), env_value("UFC_CELERY_BACKEND", environ)


class PoolQueueCeleryExecutor(CeleryExecutor):
    """dagster-celery's executor, sending each step to the queue its pool maps to."""

    def __init__(self, retries: RetryMode, pool_queues: Mapping[str, str], **kwargs: Any):
        super().__init__(retries, **kwargs)
        self.pool_queues = dict(pool_queues)

    def queue_for(self, step: Any, queue: str) -> str:
        if DAGSTER_CELERY_QUEUE_TAG in step.tags:
            return queue
        return self.pool_queues.get(step.pool or "", queue)

    def execute(self, plan_context, execution_plan):  # noqa: ANN001 - dagster's signature
        from dagster_celery.core_execution_loop import core_celery_execution_loop

        def submit(app, context, step, queue, priority, known_state):  # noqa: ANN001
            routed = self.queue_for(step, queue)
            if routed != queue:
                context.log.info(f'step "{step.key}" (pool {step.pool}) goes to queue "{routed}"')
            return _submit_task(app, context, step, routed, priority, known_state)

        return core_celery_execution_loop(plan_context, execution_plan, step_execution_fn=submit)


@dg.executor(
    name="celery",
    config_schema={
        **CELERY_CONFIG,
        "pool_queues": dg.Field(
            dg.Map(str, str),
            is_required=False,
            default_value={},
            description="Pool name -> Celery queue for the steps of that pool (e.g. "
            "{ufcstats: ufcstats, sherdog: sherdog}); other steps go to the default queue.",
        ),
    },
    requirements=dg.multiple_process_executor_requirements(),
)
def pool_queue_celery_executor(init_context: dg.InitExecutorContext) -> PoolQueueCeleryExecutor:
    config = init_context.executor_config
    return PoolQueueCeleryExecutor(
        retries=RetryMode.from_config(config["retries"]),
        pool_queues=config.get("pool_queues") or {},
        broker=config.get("broker"),
        backend=config.get("backend"),
        include=config.get("include"),
        config_source=config.get("config_source"),
    )


def _from_settings(config: dict[str, Any]) -> dict[str, Any]:
    """Run config of the executor -> its full config, broker and backend from the settings
    (read when the run starts: the URLs, which may hold a password, never reach the UI)."""
    broker, backend = celery_urls()
    return {**config, "broker": broker, "backend": backend}


celery_executor = pool_queue_celery_executor.configured(
    _from_settings,
    name="celery",
    config_schema={
        "pool_queues": dg.Field(
            dg.Map(str, str),
            is_required=False,
            default_value={},
            description="Pool name -> Celery queue for the steps of that pool; other steps "
            "go to the queue 'dagster'. Workers must listen on every queue used.",
        ),
        "config_source": dg.Field(
            dg.Noneable(dg.Permissive()),
            is_required=False,
            description="Additional settings for the Celery app (lowercase Celery settings).",
        ),
        "retries": CELERY_CONFIG["retries"],
    },
)


def make_worker_app(environ: Mapping[str, str] | None = None) -> Celery:
    """The workers' Celery app: dagster-celery's, on the broker and backend of the settings."""
    broker, backend = celery_urls(environ)
    worker_app = make_app(CeleryExecutor.for_cli(broker=broker, backend=backend).app_args())
    create_task(worker_app)
    return worker_app


app = make_worker_app()

defs = dg.Definitions(
    executor=celery_executor,
    assets=ASSETS,
    jobs=JOBS,
    schedules=SCHEDULES,
    sensors=SENSORS,
    resources=build_resources(),
)

# Built: what this process imported lives until it exits (see ufc_pipeline.heap).
freeze_loaded()
