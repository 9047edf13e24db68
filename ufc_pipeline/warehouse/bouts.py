"""Natural keys for fighters and bouts, and orientation of Sherdog fight rows.

Every bout appears twice on Sherdog: once in each fighter's history, each time from that
fighter's point of view ("win vs B" on A's page, "loss vs A" on B's page). To store it
once, a bout is identified by what both pages agree on:

``fighter_key(sherdog_id, name)``
    ``"sh:<id>"`` when the Sherdog id is known, else ``"name:<normalised name>"``; the
    name is casefolded, accents are folded (Unicode NFKD, combining marks dropped) and
    every non-alphanumeric character removed, so ``"José Aldo"`` and ``"jose aldo"`` agree.

``bout_key(event_id, event_name, date, key_a, key_b, section)``
    SHA-1 (hex) of the text ``"bout/v1|<lo>|<hi>|<event>|<date>|<section>"`` where
    ``lo``/``hi`` are the two fighter keys sorted (so the argument order and the page it
    came from do not matter), ``event`` is ``"ev:<id>"`` or ``"evname:<normalised name>"``
    (or ``"ev:?"`` when neither is known), ``date`` is ISO ``YYYY-MM-DD`` or empty.
    The hash keeps the key short and opaque; the ``v1`` prefix is there so a future change
    of recipe cannot silently collide with old keys.

Known limits: if one page links the opponent and the other does not, the two sides get
different fighter keys and the bout is stored twice; two bouts between the same pair at
the same event and date (one-night tournaments with a rematch) collapse into one row.

:func:`bout_row` turns one fight-history row into a ``fights`` table row oriented so that
fighter 1 is the fighter with the smaller key (Python string order) and ``result1`` is
fighter 1's result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from typing import Any

from ufc_pipeline.parsing.records import SherdogFight

BOUT_KEY_VERSION = "bout/v1"
_FLIP = {"win": "loss", "loss": "win", "draw": "draw", "nc": "nc", "unknown": "unknown"}


class BoutError(ValueError):
    """A fight row that cannot become a ``fights`` row (quarantine it as ``fight_row``)."""


def normalise_name(name: str) -> str:
    """Casefolded, accent-free, alphanumeric-only form of a name ("" if nothing is left)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def fighter_key(sherdog_id: int | None, name: str | None) -> str:
    """Stable key of a fighter as seen on Sherdog: ``sh:<id>`` or ``name:<normalised>``.

    Raises :class:`BoutError` when there is no id and the name is missing or normalises to
    nothing (e.g. ``"???"``), since such a key would merge unrelated fighters.
    """
    if sherdog_id is not None:
        if isinstance(sherdog_id, bool) or not isinstance(sherdog_id, int):
            raise BoutError(f"sherdog id must be an int, got {sherdog_id!r}")
        return f"sh:{sherdog_id}"
    normalised = normalise_name(name or "")
    if not normalised:
        raise BoutError(f"fighter has neither a Sherdog id nor a usable name ({name!r})")
    return f"name:{normalised}"


def _event_part(event_id: int | None, event_name: str | None) -> str:
    if event_id is not None:
        return f"ev:{event_id}"
    normalised = normalise_name(event_name or "")
    return f"evname:{normalised}" if normalised else "ev:?"


def bout_key(
    event_id: int | None,
    event_name: str | None,
    date: dt.date | None,
    key_a: str,
    key_b: str,
    section: str,
) -> str:
    """Natural key of a bout, identical whichever fighter's page it was read from.

    See the module docstring for the exact recipe. ``key_a``/``key_b`` are
    :func:`fighter_key` values in any order.
    """
    lo, hi = sorted((key_a, key_b))
    parts = (
        BOUT_KEY_VERSION,
        lo,
        hi,
        _event_part(event_id, event_name),
        date.isoformat() if date is not None else "",
        section,
    )
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()


def bout_row(own_sherdog_id: int | None, own_name: str, fight: SherdogFight) -> dict[str, Any]:
    """The ``fights`` row for ``fight`` as listed on the page of ``own_sherdog_id``/``own_name``.

    Fighter 1 is whichever of the two has the smaller :func:`fighter_key`; when the page's
    own fighter ends up as fighter 2 the result is flipped (win <-> loss; draw, nc and
    unknown stay). ``winner_key`` is the winner's key, or None unless someone won.

    Raises :class:`BoutError` for upcoming bouts (``result == "next"``), rows without a
    usable opponent, and a fighter listed as their own opponent.
    """
    if fight.result == "next":
        raise BoutError("upcoming bout (result 'next') is not a completed fight")
    result = fight.result if fight.result in _FLIP else "unknown"
    own_key = fighter_key(own_sherdog_id, own_name)
    opp_key = fighter_key(fight.opponent_id, fight.opponent_name)
    if own_key == opp_key:
        raise BoutError(f"fighter {own_key} is listed as their own opponent")

    own = (own_key, own_sherdog_id, own_name)
    opp = (opp_key, fight.opponent_id, fight.opponent_name)
    if own_key < opp_key:
        first, second, result1 = own, opp, result
    else:
        first, second, result1 = opp, own, _FLIP[result]
    winner_key = first[0] if result1 == "win" else second[0] if result1 == "loss" else None
    return {
        "bout_key": bout_key(
            fight.event_id, fight.event_name, fight.date, own_key, opp_key, fight.section
        ),
        "event_id": fight.event_id,
        "event_name": fight.event_name,
        "date": fight.date,
        "section": fight.section,
        "fighter1_key": first[0],
        "fighter1_sherdog_id": first[1],
        "fighter1_name": first[2],
        "fighter2_key": second[0],
        "fighter2_sherdog_id": second[1],
        "fighter2_name": second[2],
        "result1": result1,
        "winner_key": winner_key,
        "method": fight.method,
        "referee": fight.referee,
        "round": fight.round,
        "time": fight.time,
    }
