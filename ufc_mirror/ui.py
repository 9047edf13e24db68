"""``make ui``: the local mirror plus ``dagster dev`` on 127.0.0.1, pointed at it.

Ctrl-C stops both. Set UFCSTATS_BASE_URL / SHERDOG_BASE_URL yourself and run
``dagster dev -m ufc_pipeline.definitions`` instead to use other servers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from ufc_mirror.demo import mirror_env, start_mirror, stop
from ufc_pipeline.settings import env_value


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    # Ctrl-C in a terminal, or SIGTERM from a supervisor, stops dagster dev and the mirror.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    data_dir = Path(env_value("UFC_DATA_DIR")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    mirror, urls = start_mirror(data_dir, [])
    env = mirror_env(urls, data_dir)
    port = env.get("DAGSTER_PORT", "3000")
    print(f"mirror: UFCStats {urls['ufcstats_url']}  Sherdog {urls['sherdog_url']}")
    print(f"Dagster UI: http://127.0.0.1:{port}  (Ctrl-C to stop)", flush=True)
    dagster = str(Path(sys.executable).parent / "dagster")
    proc = subprocess.Popen(
        [dagster, "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", port],
        env=env,
        start_new_session=True,
    )
    try:
        return proc.wait()
    except KeyboardInterrupt:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        return 0
    finally:
        stop(mirror)


if __name__ == "__main__":
    raise SystemExit(main())
