"""``python -m ufc_mirror serve`` and ``python -m ufc_mirror truth``.

``serve`` also takes the fault flags (``--faults 0.1 --fault-seed 3 --fault-kinds
429=0.05,reset=0.02 --slow-s 5 --challenge-difficulty 4 --drift-letter m``) and
``--bad-input``; a running mirror accepts ``POST /__mirror/add_event`` and
``POST /__mirror/add_late_fight`` on its UFCStats port (see ``mirror/server.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any


def _world_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed", type=int, default=7, help="world seed (default 7)")
    p.add_argument("--fighters", type=int, default=None, help="small mode: N UFC fighters")
    p.add_argument("--letters", default=None, help="small mode: only these list letters, e.g. abc")
    p.add_argument(
        "--bad-input",
        action="store_true",
        help="plant hostile inputs: a huge fighter page, SQL/odd-Unicode Sherdog "
        "names, a decompression-bomb image (see mirror/badinput.py)",
    )
    p.add_argument(
        "--huge-page-mb",
        type=float,
        default=8.0,
        help="size of the huge page with --bad-input (default 8)",
    )


def _fault_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("faults (off by default; see ufc_mirror/faults.py)")
    g.add_argument(
        "--faults",
        type=float,
        default=0.0,
        metavar="RATE",
        help="overall fault rate per request, spread over all kinds (e.g. 0.1)",
    )
    g.add_argument("--fault-seed", type=int, default=0, help="seed of the fault decisions")
    g.add_argument(
        "--fault-kinds",
        default=None,
        metavar="K=R,...",
        help="per-kind rates instead, e.g. 429=0.05,reset=0.02,challenge (a bare "
        "kind gets --faults); kinds: 429 500 502 503 cloudflare challenge "
        "slow reset truncated",
    )
    g.add_argument("--slow-s", type=float, default=5.0, help="delay of a slow answer (5 s)")
    g.add_argument(
        "--challenge-difficulty",
        type=int,
        default=4,
        help="leading hex zeros of the UFCStats challenge (default 4)",
    )
    g.add_argument(
        "--drift-letter",
        default=None,
        metavar="L",
        help="UFCStats pages of this fighters-list letter use renamed classes",
    )


def _fault_config(args: argparse.Namespace) -> Any:
    from ufc_mirror.faults import FaultConfig

    return FaultConfig(
        rate=args.faults, kinds=FaultConfig.parse_kinds(args.fault_kinds, args.faults),
        seed=args.fault_seed, slow_s=args.slow_s,
        challenge_difficulty=args.challenge_difficulty, drift_letter=args.drift_letter,
    )  # fmt: skip


def _build(args: argparse.Namespace) -> Any:
    from ufc_mirror.world import build_world

    return build_world(args.seed, fighters=args.fighters, letters=args.letters,
                       bad_input=args.bad_input, huge_page_mb=args.huge_page_mb)  # fmt: skip


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=str(path.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cmd_serve(args: argparse.Namespace) -> int:
    from ufc_mirror.server import start_mirror

    try:
        faults = _fault_config(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    world = _build(args)
    built = time.perf_counter() - t0
    try:
        handle = start_mirror(world, args.host, args.ufcstats_port, args.sherdog_port,
                              faults=faults, ufccom_port=args.ufccom_port,
                              wikimedia_port=args.wikimedia_port)  # fmt: skip
    except OSError as exc:
        print(f"error: cannot listen: {exc}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def _on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    ready = {"ufcstats_url": handle.ufcstats_url, "sherdog_url": handle.sherdog_url,
             "ufccom_url": handle.ufccom_url, "wikimedia_url": handle.wikimedia_url,
             "pid": os.getpid(), "as_of": world.as_of.isoformat()}  # fmt: skip
    print(f"UFCStats mirror:  {handle.ufcstats_url}", flush=True)
    print(f"Sherdog mirror:   {handle.sherdog_url}", flush=True)
    print(f"UFC.com mirror:   {handle.ufccom_url}", flush=True)
    print(f"Wikimedia mirror: {handle.wikimedia_url}", flush=True)
    print(
        f"world seed={args.seed}: {sum(f.listed for f in world.fighters.values())} listed "
        f"UFC fighters, {len(world.persons)} Sherdog persons, built in {built:.1f}s",
        flush=True,
    )
    if faults.enabled or faults.drift_letter:
        rates = {site: dict(faults.rates(site)) for site in ("ufcstats", "sherdog")}
        print(f"faults seed={faults.seed}: {json.dumps(rates)} drift={faults.drift_letter}",
              flush=True)  # fmt: skip
    if world.bad:
        print(f"bad input: {json.dumps(world.bad)}", flush=True)
    ready_path = Path(args.ready_file) if args.ready_file else None
    if ready_path is not None:
        _write_atomic(ready_path, json.dumps(ready) + "\n")
    try:
        while not stop.wait(0.5):
            pass
    finally:
        handle.stop()
        if ready_path is not None:
            try:
                if json.loads(ready_path.read_text()).get("pid") == os.getpid():
                    ready_path.unlink()
            except (OSError, ValueError):
                pass
    print("mirror stopped", flush=True)
    return 0


def _cmd_truth(args: argparse.Namespace) -> int:
    world = _build(args)
    truth = world.truth()
    _write_atomic(Path(args.out), json.dumps(truth, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(truth)} fighters to {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """``python -m ufc_mirror serve`` / ``python -m ufc_mirror truth``."""
    parser = argparse.ArgumentParser(
        prog="python -m ufc_mirror",
        description="A local HTTP mirror of UFCStats and Sherdog built from seeded real data.",
    )
    sub = parser.add_subparsers(dest="mirror_command", required=True)
    p_serve = sub.add_parser("serve", help="serve both sites until SIGINT/SIGTERM")
    p_serve.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    p_serve.add_argument("--ufcstats-port", type=int, default=8801, help="0 = ephemeral")
    p_serve.add_argument("--sherdog-port", type=int, default=8802, help="0 = ephemeral")
    p_serve.add_argument("--ufccom-port", type=int, default=8803, help="0 = ephemeral")
    p_serve.add_argument("--wikimedia-port", type=int, default=8804, help="0 = ephemeral")
    p_serve.add_argument(
        "--ready-file",
        default=None,
        help="write {ufcstats_url, sherdog_url, ufccom_url, wikimedia_url, pid} JSON here "
        "once listening",
    )
    _world_args(p_serve)
    _fault_args(p_serve)
    p_serve.set_defaults(func=_cmd_serve)
    p_truth = sub.add_parser("truth", help="write the truth file (JSON) of a world")
    p_truth.add_argument("--out", required=True, help="output JSON file")
    _world_args(p_truth)
    p_truth.set_defaults(func=_cmd_truth)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)
