"""What the sensors look at: the events list, the letters of names, the gaps of the outputs."""

from __future__ import annotations

from typing import Any

from tests.steps.helpers import LETTERS, Truth, read_json, requests_since, write_json
from ufc_mirror.server import MirrorHandle
from ufc_pipeline.steps.settings import Settings
from ufc_pipeline.steps.watch import (
    event_signature,
    gaps,
    known_letters,
    letter_of_name,
    poll_events,
)


def test_poll_events_returns_the_completed_events(
    chain: Any, mirror: MirrorHandle, truth: Truth
) -> None:
    before = mirror.stats()
    polled = poll_events(chain.settings, today=truth.as_of)
    assert requests_since(mirror, before) == {"ufcstats_events": 1}
    assert [(e["event_id"], e["date"]) for e in polled] == truth.completed_events()
    assert not any(e["upcoming"] for e in polled)
    first = polled[0]
    assert event_signature(first) == f"{first['name']}|{first['date']}"


def test_letter_of_name_and_known_letters(chain: Any, truth: Truth) -> None:
    assert letter_of_name("José Aldo") == "a"
    assert letter_of_name("Conor McGregor") == "m"
    assert letter_of_name("Zhang Weili") == "w"
    assert letter_of_name("B.J. Penn") == "p"
    assert letter_of_name("") is None
    assert letter_of_name("!!!") is None
    assert known_letters(chain.settings) == {fid: x for x in LETTERS for fid in truth.listed_ids(x)}


def test_a_complete_run_leaves_no_gap(chain: Any) -> None:
    assert gaps(chain.settings) == []


def _last_active(settings: Settings, letter: str, fids: set[str] | None = None) -> str:
    fighters = settings.processed.require("fighter_details", letter)["fighters"]
    return max(
        f["date"]
        for fid, e in fighters.items()
        if fids is None or fid in fids
        for f in e["details"]["fights"]
        if f.get("date")
    )


def test_gaps_name_missing_outputs_and_failed_fighters(chain_copy: Settings) -> None:
    chain_copy.processed.path("fighter_images", "m").unlink()
    path = chain_copy.processed.path("sherdog_matches", "k")
    data = read_json(path)
    failed = data["fighters"][0]["ufcstats_id"]
    data["fighters"][0]["error"] = "sherdog: HTTP 503"
    write_json(path, data)
    found = {g["letter"]: g for g in gaps(chain_copy)}
    assert found == {
        "m": {
            "letter": "m",
            "missing": ["fighter_images"],
            "fighters": [],
            "last_active": _last_active(chain_copy, "m"),
        },
        "k": {
            "letter": "k",
            "missing": [],
            "fighters": [failed],
            "last_active": _last_active(chain_copy, "k", {failed}),
        },
    }
    ordered = [g["letter"] for g in gaps(chain_copy)]
    assert ordered == sorted(found, key=lambda x: (found[x]["last_active"], x), reverse=True)
