"""``ufc-pipeline review``: decide pending Sherdog matches in the terminal.

Shows each pair of ``<data_dir>/review/queue.json`` (most useful first) with the reasons for
and against, and asks: [a]pprove, [r]eject, [n]o Sherdog page, [s]kip, [q]uit. Decisions are
appended to ``<data_dir>/manual/sherdog_overrides.csv`` as they are made, so quitting keeps
them; the next run of ``verified_matches`` obeys them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from ufc_pipeline.matching.overrides import Override, append_decisions, load_overrides

CHOICES = {"a": "approve", "r": "reject", "n": "none", "s": "skip", "q": "quit"}


def review(data_dir: Path, stdin: TextIO, stdout: TextIO) -> dict[str, int]:
    queue_path = data_dir / "review" / "queue.json"
    overrides_path = data_dir / "manual" / "sherdog_overrides.csv"
    if not queue_path.exists():
        stdout.write(f"No review queue at {queue_path}: materialize verified_matches first.\n")
        return {}
    items = json.loads(queue_path.read_text(encoding="utf8"))
    done = load_overrides(overrides_path)
    decided = {(e.ufcstats_id, e.sherdog_id) for e in done.entries}
    items = [
        i
        for i in items
        if (i["ufcstats_id"], i["sherdog_id"]) not in decided
        and i["ufcstats_id"] not in done.no_match
    ]
    counts = {"approve": 0, "reject": 0, "none": 0, "skip": 0}
    stdout.write(f"{len(items)} pair(s) to review. Decisions go to {overrides_path}\n")
    for n, item in enumerate(items, start=1):
        stdout.write(_describe(n, len(items), item))
        while True:
            stdout.write("[a]pprove  [r]eject  [n]o Sherdog page  [s]kip  [q]uit > ")
            stdout.flush()
            line = stdin.readline()
            if not line:
                return counts
            choice = CHOICES.get(line.strip().lower()[:1])
            if choice:
                break
            stdout.write("please answer a, r, n, s or q\n")
        if choice == "quit":
            break
        counts[choice] += 1
        if choice == "skip":
            continue
        append_decisions(
            overrides_path,
            [
                Override(
                    item["ufcstats_id"],
                    None if choice == "none" else item["sherdog_id"],
                    choice,
                    note=f"review: {item.get('name')} / {item.get('sherdog_name')}",
                )
            ],
        )
    stdout.write(f"done: {counts}\n")
    return counts


def _describe(n: int, total: int, item: dict) -> str:
    conf = item.get("confidence")
    lines = [
        "",
        f"[{n}/{total}] UFCStats {item.get('name')} ({item['ufcstats_id']})",
        f"        Sherdog  {item.get('sherdog_name')} ({item.get('sherdog_id')})"
        + (f"   confidence {conf:.0f}" if conf is not None else ""),
    ]
    lines += [f"        {r}" for r in item.get("reasons", [])]
    lines += [f"        ! {r}" for r in item.get("notes", [])]
    runner = item.get("runner_up")
    if runner:
        lines.append(
            f"        runner-up: {runner['sherdog_name']} ({runner['sherdog_id']}) "
            f"{runner['confidence']:.0f}"
        )
    return "\n".join(lines) + "\n"
