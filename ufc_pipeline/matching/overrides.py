"""Manual decisions: ``data/manual/sherdog_overrides.csv`` wins over automatic matching.

Columns: ``ufcstats_id, sherdog_id, decision, note, decided_at``; decision is ``approve``
(this pair is right: use it whatever the score), ``reject`` (this pair is wrong: never use
it) or ``none`` (this fighter has no Sherdog page: stop matching him). The file is edited
by hand or by ``ufc-pipeline review``; later lines win over earlier ones for the same pair.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from ufc_pipeline.fileio import atomic_write

FIELDS = ["ufcstats_id", "sherdog_id", "decision", "note", "decided_at"]
DECISIONS = ("approve", "reject", "none")


class OverridesError(ValueError):
    pass


@dataclass(frozen=True)
class Override:
    ufcstats_id: str
    sherdog_id: int | None
    decision: str
    note: str = ""
    decided_at: str = ""


@dataclass
class Overrides:
    approved: dict[str, int]  # ufcstats_id -> sherdog_id
    rejected: set[tuple[str, int]]
    no_match: set[str]
    entries: list[Override]

    def is_rejected(self, ufcstats_id: str, sherdog_id: int) -> bool:
        return (ufcstats_id, sherdog_id) in self.rejected


def load_overrides(path: str | Path) -> Overrides:
    path = Path(path)
    entries: list[Override] = []
    if path.exists():
        with path.open(newline="", encoding="utf8") as fh:
            reader = csv.DictReader(fh)
            missing = [
                f
                for f in ("ufcstats_id", "sherdog_id", "decision")
                if f not in (reader.fieldnames or [])
            ]
            if missing:
                raise OverridesError(f"{path}: missing column(s) {missing}; expected {FIELDS}")
            for lineno, row in enumerate(reader, start=2):
                decision = (row.get("decision") or "").strip().lower()
                if decision not in DECISIONS:
                    raise OverridesError(
                        f"{path} line {lineno}: decision {row.get('decision')!r} is not one of "
                        f"{', '.join(DECISIONS)}"
                    )
                ufc = (row.get("ufcstats_id") or "").strip()
                sid_text = (row.get("sherdog_id") or "").strip()
                if not ufc or (decision != "none" and not sid_text.isdigit()):
                    raise OverridesError(
                        f"{path} line {lineno}: needs a ufcstats_id and a numeric sherdog_id"
                    )
                entries.append(
                    Override(
                        ufc,
                        int(sid_text) if sid_text.isdigit() else None,
                        decision,
                        row.get("note") or "",
                        row.get("decided_at") or "",
                    )
                )
    approved: dict[str, int] = {}
    rejected: set[tuple[str, int]] = set()
    no_match: set[str] = set()
    for e in entries:  # later lines win
        if e.decision == "approve" and e.sherdog_id is not None:
            approved[e.ufcstats_id] = e.sherdog_id
            rejected.discard((e.ufcstats_id, e.sherdog_id))
            no_match.discard(e.ufcstats_id)
        elif e.decision == "reject" and e.sherdog_id is not None:
            rejected.add((e.ufcstats_id, e.sherdog_id))
            if approved.get(e.ufcstats_id) == e.sherdog_id:
                del approved[e.ufcstats_id]
        elif e.decision == "none":
            no_match.add(e.ufcstats_id)
            approved.pop(e.ufcstats_id, None)
    return Overrides(approved, rejected, no_match, entries)


def append_decisions(path: str | Path, decisions: list[Override]) -> None:
    """Append decisions to the overrides file atomically (header written when new)."""
    path = Path(path)
    existing = path.read_text(encoding="utf8") if path.exists() else ""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
    if not existing.strip():
        writer.writeheader()
    elif not existing.endswith("\n"):
        buf.write("\n")
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    for d in decisions:
        writer.writerow(
            {
                "ufcstats_id": d.ufcstats_id,
                "sherdog_id": "" if d.sherdog_id is None else d.sherdog_id,
                "decision": d.decision,
                "note": d.note,
                "decided_at": d.decided_at or now,
            }
        )
    atomic_write(path, (existing + buf.getvalue()).encode("utf8"))
