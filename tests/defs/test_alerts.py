"""The failure and staleness alerts reach a real local webhook receiver."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import dagster as dg
import pytest

from ufc_pipeline.defs.automation import alert_on_failure, stale_partitions


class Receiver:
    def __init__(self) -> None:
        self.posts: list[dict] = []
        outer = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.posts.append(json.loads(body))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiver(monkeypatch):
    r = Receiver()
    monkeypatch.setenv("UFC_ALERT_WEBHOOK_URL", r.url)
    yield r
    r.stop()


@dg.asset(partitions_def=dg.StaticPartitionsDefinition(["m"]))
def broken_asset():
    raise RuntimeError("sherdog: could not fetch /fighter/x-1: HTTP 503 after 6 tries")


@dg.asset(
    check_specs=[dg.AssetCheckSpec("enough_rows", asset="upstream_asset")],
)
def upstream_asset():
    return dg.MaterializeResult(
        metadata={"dagster/row_count": 12},
        check_results=[
            dg.AssetCheckResult(
                check_name="enough_rows", passed=False, description="12 rows, 20 expected"
            )
        ],
    )


@dg.asset(deps=[upstream_asset])
def broken_downstream():
    raise RuntimeError("ufcstats: could not fetch /fighter-details/x: HTTP 503 after 6 tries")


def test_failure_alert_is_posted_with_asset_partition_run_and_error(receiver):
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [broken_asset], partition_key="m", instance=instance, raise_on_error=False
        )
        assert not result.success
        run = instance.get_run_by_id(result.run_id)
        records = instance.all_logs(result.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
        failure = records[0].dagster_event
        ctx = dg.build_run_status_sensor_context(
            sensor_name="alert_on_failure",
            dagster_instance=instance,
            dagster_run=run,
            dagster_event=failure,
        ).for_run_failure()
        alert_on_failure(ctx)
    assert len(receiver.posts) == 1
    post = receiver.posts[0]
    assert post["kind"] == "failure"
    assert post["run_id"] == result.run_id
    assert post["partition"] == "m"
    assert "broken_asset" in post["asset"]
    assert "HTTP 503" in post["error"]
    assert post["link"].endswith(f"/runs/{result.run_id}")
    assert "text" in post and "broken_asset" in post["text"]


def test_failure_alert_carries_the_runs_step_report(receiver):
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [upstream_asset, broken_downstream], instance=instance, raise_on_error=False
        )
        run = instance.get_run_by_id(result.run_id)
        failure = instance.all_logs(result.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)[0]
        ctx = dg.build_run_status_sensor_context(
            sensor_name="alert_on_failure",
            dagster_instance=instance,
            dagster_run=run,
            dagster_event=failure.dagster_event,
        ).for_run_failure()
        alert_on_failure(ctx)
    report = receiver.posts[0]["report"]
    assert report["run_id"] == result.run_id and report["status"] == "failure"
    steps = {s["step"]: s for s in report["steps"]}
    assert list(steps) == ["upstream_asset", "broken_downstream"]
    up, broken = steps["upstream_asset"], steps["broken_downstream"]
    assert up["status"] == "success" and up["rows"] == 12 and up["duration_s"] >= 0
    assert up["issues"] == ["check enough_rows failed: 12 rows, 20 expected"]
    assert broken["status"] == "failure" and broken["retries"] == 0
    assert any("HTTP 503" in issue for issue in broken["issues"])
    text = receiver.posts[0]["text"]
    assert "• upstream_asset: success, 12 items" in text
    assert "• broken_downstream: failure" in text


def test_staleness_alert_once_per_window(receiver, monkeypatch):
    with dg.instance_for_test() as instance:
        instance.report_runless_asset_event(dg.AssetMaterialization("fights", partition="q"))
        later = time.time() + 49 * 3600
        monkeypatch.setattr("ufc_pipeline.defs.automation.time.time", lambda: later)
        ctx = dg.build_sensor_context(instance=instance)
        requests = stale_partitions(ctx)
        assert [r.partition_key for r in requests] == ["q"]
        stale_partitions(dg.build_sensor_context(instance=instance, cursor=ctx.cursor))
    assert len(receiver.posts) == 1
    assert receiver.posts[0]["kind"] == "stale" and receiver.posts[0]["partition"] == "q"


def test_no_webhook_configured_sends_nothing(monkeypatch):
    from ufc_pipeline.alerts import send_alert

    monkeypatch.delenv("UFC_ALERT_WEBHOOK_URL", raising=False)
    assert send_alert({"text": "x"}) is False
