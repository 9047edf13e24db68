"""``python -m ufc_mirror truth`` and ``python -m ufc_mirror serve``."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from ufc_mirror.cli import main


def test_truth_command(tmp_path: Path) -> None:
    out = tmp_path / "truth.json"
    assert main(["truth", "--out", str(out), "--fighters", "30", "--seed", "7"]) == 0
    rows = json.loads(out.read_text())
    assert len(rows) == 30
    assert {"ufcstats_id", "sherdog_id", "in_crosswalk", "variants", "image"} <= set(rows[0])
    again = tmp_path / "again.json"
    main(["truth", "--out", str(again), "--fighters", "30", "--seed", "7"])
    assert again.read_text() == out.read_text()


def test_serve_command(tmp_path: Path) -> None:
    ready = tmp_path / "ready.json"
    cmd = [sys.executable, "-m", "ufc_mirror", "serve", "--ufcstats-port", "0",
           "--sherdog-port", "0", "--ufccom-port", "0", "--wikimedia-port", "0",
           "--letters", "q", "--ready-file", str(ready)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "mirror did not get ready"
            time.sleep(0.05)
        info = json.loads(ready.read_text())
        assert info["pid"] == proc.pid
        assert info["ufcstats_url"].startswith("http://127.0.0.1:")
        assert info["sherdog_url"].startswith("http://127.0.0.1:")
        r = httpx.get(info["ufcstats_url"] + "/statistics/fighters?char=q&page=all")
        assert r.status_code == 200 and "b-statistics__table" in r.text
        assert httpx.get(info["sherdog_url"] + "/robots.txt").status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert info["ufcstats_url"] in out and info["sherdog_url"] in out
    assert not ready.exists()


def test_serve_with_faults_and_mutations(tmp_path: Path) -> None:
    ready = tmp_path / "ready.json"
    cmd = [sys.executable, "-m", "ufc_mirror", "serve", "--ufcstats-port", "0",
           "--sherdog-port", "0", "--ufccom-port", "0", "--wikimedia-port", "0",
           "--letters", "q", "--ready-file", str(ready),
           "--fault-kinds", "503=1.0", "--fault-seed", "3", "--drift-letter", "q"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "mirror did not get ready"
            time.sleep(0.05)
        info = json.loads(ready.read_text())
        ufc = info["ufcstats_url"]
        assert httpx.get(ufc + "/statistics/fighters?char=q&page=all").status_code == 503
        assert httpx.get(ufc + "/robots.txt").status_code == 200
        added = httpx.post(ufc + "/__mirror/add_event", json={"bouts": 1, "new_fighters": 1})
        assert added.status_code == 200 and len(added.json()["new_fighter_ids"]) == 1
        stats = httpx.get(info["sherdog_url"] + "/__mirror/stats").json()
        assert stats["faults"] == {"503": 1} and stats["mutation"] == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert "faults seed=3" in out


def test_serve_rejects_unknown_fault_kind() -> None:
    assert main(["serve", "--fault-kinds", "teapot=1"]) == 2
