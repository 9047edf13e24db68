"""Method texts: UFCStats bouts rendered the Sherdog way and the UFCStats way.

Sherdog writes ``KO (Punch)``, ``TKO (Punches)``, ``Submission (Rear-Naked Choke)``,
``Decision (Unanimous)``, ``Draw (Majority)``, ``No Contest (Accidental Eye Poke)``...
UFCStats fighter pages show a short code (``KO/TKO``, ``SUB``, ``U-DEC``) and a detail.
Generated regional fights draw from :data:`REGIONAL_METHODS`.
"""

from __future__ import annotations

import random
import re

from ufc_mirror.seed import SeedBout

RESULTS = {"W": "win", "L": "loss", "D": "draw", "NC": "nc"}
OPPOSITE = {"win": "loss", "loss": "win", "draw": "draw", "nc": "nc"}

_POSITION = re.compile(
    r"\s+(?:Technical Submission|From .*|On Ground.*|Standing.*|After .*|In Clinch.*|"
    r"At Distance.*|to Head.*|to Body.*|to Leg.*)$"
)
_SUB_NAMES = {
    "rear naked choke": "Rear-Naked Choke",
    "arm triangle": "Arm-Triangle Choke",
    "triangle choke": "Triangle Choke",
    "triangle armbar": "Triangle Armbar",
    "guillotine choke": "Guillotine Choke",
    "armbar": "Armbar",
    "kimura": "Kimura",
    "keylock": "Keylock",
    "kneebar": "Kneebar",
    "heel hook": "Heel Hook",
    "ankle lock": "Ankle Lock",
    "d'arce choke": "D'Arce Choke",
    "anaconda choke": "Anaconda Choke",
    "north-south choke": "North-South Choke",
    "neck crank": "Neck Crank",
    "scarf hold": "Scarf Hold Choke",
    "bulldog choke": "Bulldog Choke",
    "peruvian necktie": "Peruvian Necktie",
    "von flue choke": "Von Flue Choke",
    "twister": "Twister",
    "punches": "Punches",
    "strikes": "Strikes",
}
_UFCSTATS_SHORT = {
    "Decision - Unanimous": "U-DEC",
    "Decision - Split": "S-DEC",
    "Decision - Majority": "M-DEC",
    "Decision": "Decision",
    "KO/TKO": "KO/TKO",
    "Submission": "SUB",
    "TKO - Doctor's Stoppage": "TKO - Doctor's Stoppage",
    "Overturned": "Overturned",
    "Could Not Continue": "CNC",
    "DQ": "DQ",
    "Other": "Other",
}

# (method, weight, finish?) for generated regional fights
REGIONAL_METHODS: tuple[tuple[str, int], ...] = (
    ("KO (Punch)", 8),
    ("KO (Punches)", 5),
    ("TKO (Punches)", 24),
    ("TKO (Elbows)", 3),
    ("TKO (Knee and Punches)", 2),
    ("KO (Head Kick)", 3),
    ("TKO (Doctor Stoppage)", 2),
    ("TKO (Corner Stoppage)", 2),
    ("TKO (Leg Kicks)", 1),
    ("Submission (Rear-Naked Choke)", 12),
    ("Submission (Guillotine Choke)", 6),
    ("Submission (Armbar)", 6),
    ("Submission (Triangle Choke)", 3),
    ("Submission (Arm-Triangle Choke)", 3),
    ("Submission (Kimura)", 1),
    ("Submission (Heel Hook)", 1),
    ("Submission (D'Arce Choke)", 1),
    ("Submission (Punches)", 2),
    ("Decision (Unanimous)", 18),
    ("Decision (Split)", 5),
    ("Decision (Majority)", 1),
    ("DQ (Illegal Knee)", 1),
)
_REG_NAMES = [m for m, _ in REGIONAL_METHODS]
_REG_WEIGHTS = [w for _, w in REGIONAL_METHODS]


def mmss(seconds: int) -> str:
    """``4:35`` from seconds."""
    return f"{seconds // 60}:{seconds % 60:02d}"


def submission_name(details: str | None) -> str:
    """Sherdog submission name from a UFCStats detail such as ``Armbar From Mount``."""
    text = _POSITION.sub("", (details or "").strip())
    text = _POSITION.sub("", text)
    key = text.lower()
    for pattern, name in _SUB_NAMES.items():
        if key.startswith(pattern):
            return name
    return text.title() if text else ""


def _strike(details: str, rng: random.Random) -> str:
    d = details.lower()
    if d in ("", "to") or "corner" in d:
        return "TKO (Corner Stoppage)"
    if "cut" in d or "doctor" in d:
        return "TKO (Doctor Stoppage)"
    if "injury" in d:
        return "TKO (Injury)"
    if "retire" in d:
        return "TKO (Retirement)"
    if d.startswith("punch to"):
        return "KO (Punch)" if rng.random() < 0.65 else "TKO (Punch)"
    if d.startswith("punches"):
        return "KO (Punches)" if rng.random() < 0.15 else "TKO (Punches)"
    if "flying knee" in d:
        return "KO (Flying Knee)"
    if "spinning" in d:
        if "back kick" in d:
            return "TKO (Spinning Back Kick and Punches)"
        if "elbow" in d:
            return "KO (Spinning Back Elbow)"
        return (
            "KO (Spinning Wheel Kick)" if "wheel" in d or "heel" in d else "KO (Spinning Back Fist)"
        )
    if "kick to head" in d or "head kick" in d:
        return "KO (Head Kick)" if rng.random() < 0.6 else "TKO (Head Kick and Punches)"
    if "kick to body" in d or "body" in d:
        return "TKO (Body Kick)"
    if "leg" in d:
        return "TKO (Leg Kicks)"
    if d.startswith("knees"):
        return "TKO (Knees)"
    if d.startswith("knee"):
        return "KO (Knee)" if rng.random() < 0.5 else "TKO (Knee and Punches)"
    if "elbow" in d:
        return "TKO (Elbows)" if rng.random() < 0.7 else "TKO (Elbows and Punches)"
    if "slam" in d:
        return "KO (Slam)"
    if "stomp" in d:
        return "TKO (Stomps)"
    if "kick" in d:
        return "TKO (Kick)"
    return "TKO (Punches)"


def _accident(details: str) -> str:
    d = details.lower()
    if "drug" in d or "greasing" in d:
        return "Overturned"
    if "eye" in d:
        return "Accidental Eye Poke"
    if "groin" in d or "low blow" in d:
        return "Accidental Kick to Groin" if "kick" in d else "Accidental Knee to Groin"
    if "head butt" in d or "headbutt" in d or "clash" in d:
        return "Accidental Clash of Heads"
    if "back of head" in d:
        return "Illegal Strikes to Back of Head"
    if "illegal" in d or "knee" in d:
        return "Illegal Knee"
    if "cut" in d:
        return "Accidental Cut"
    if "out of cage" in d:
        return "Fighters Fell Out of Cage"
    return "Injury"


def _decision_kind(method: str) -> str:
    for kind in ("Split", "Majority", "Unanimous"):
        if kind in method:
            return kind
    return "Unanimous"


def sherdog_method(bout: SeedBout, rng: random.Random) -> str:
    """The ``td.winby b`` text Sherdog shows for a UFCStats bout."""
    method, details = bout.method, (bout.details or "").strip()
    if bout.red_outcome == "D":
        if method.startswith("Decision"):
            return f"Draw ({_decision_kind(method)})"
        return "Technical Draw" if "Technical" in details or method != "Other" else "Draw"
    if bout.red_outcome == "NC":
        if method == "Overturned":
            return "No Contest (Overturned)"
        reason = _accident(details)
        return f"No Contest ({reason})"
    if method.startswith("Decision"):
        return f"Decision ({_decision_kind(method)})"
    if method == "KO/TKO":
        return _strike(details, rng)
    if method == "TKO - Doctor's Stoppage":
        return "TKO (Doctor Stoppage)"
    if method == "Submission":
        name = submission_name(details)
        return f"Submission ({name})" if name else "Submission"
    if method == "DQ":
        reason = re.sub(r"\s+by\s+.*$", "", details).strip() or "Illegal Strike"
        return f"DQ ({reason.title() if reason.islower() else reason})"
    if method == "Could Not Continue":
        return "TKO (Injury)"
    if method == "Other":
        return "Forfeit" if details.startswith("Forfeit") else "Decision (Unanimous)"
    return "Decision (Unanimous)"


def ufcstats_method(bout: SeedBout) -> tuple[str, str]:
    """The two ``p`` texts of the method cell on a UFCStats fighter page."""
    short = _UFCSTATS_SHORT.get(bout.method, bout.method)
    details = (bout.details or "").strip()
    if bout.method == "Submission":
        return short, _POSITION.sub("", details)
    if bout.method == "KO/TKO":
        words = re.split(r"\s+(?:to|At|On|In|From)\s+", details)
        return short, words[0] if words and words[0] != "to" else ""
    if bout.method in ("DQ", "Could Not Continue", "Overturned", "Other"):
        return short, details if len(details) < 40 else details[:40].rsplit(" ", 1)[0]
    return short, ""


def regional_method(rng: random.Random, result: str) -> tuple[str, int, str]:
    """A generated (method, round, time) for a non-UFC fight with the given result."""
    if result == "draw":
        return rng.choice(("Draw (Majority)", "Draw (Split)", "Draw (Unanimous)")), 3, "5:00"
    if result == "nc":
        reason = rng.choice(("Accidental Clash of Heads", "Accidental Eye Poke", "Overturned"))
        return f"No Contest ({reason})", 1, mmss(rng.randint(10, 299))
    method = rng.choices(_REG_NAMES, _REG_WEIGHTS)[0]
    if method.startswith("Decision"):
        return method, 5 if rng.random() < 0.04 else 3, "5:00"
    rnd = rng.choices((1, 2, 3), (56, 30, 14))[0]
    return method, rnd, mmss(rng.randint(8, 299))


def ufcstats_fight_stats(bout_id: str, old: bool, rng_seed: int) -> list[tuple[str, str]]:
    """KD/STR/TD/SUB pairs (red, blue) for the UFCStats fight-history row."""
    if old:
        return [("--", "--")] * 4
    rng = random.Random(f"{rng_seed}:ufcstats:{bout_id}")
    kd = (rng.choice((0, 0, 0, 0, 1, 1, 2)), rng.choice((0, 0, 0, 0, 0, 1)))
    st = (rng.randint(0, 130), rng.randint(0, 120))
    td = (rng.choice((0, 0, 1, 1, 2, 3, 4, 6)), rng.choice((0, 0, 0, 1, 2, 3)))
    sb = (rng.choice((0, 0, 0, 1, 2)), rng.choice((0, 0, 0, 0, 1)))
    return [(str(a), str(b)) for a, b in (kd, st, td, sb)]
