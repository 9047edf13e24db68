"""UFCStats' JavaScript proof-of-work page ("Checking your browser..."), read and solved.

Since mid-2026 UFCStats may answer any URL with a small page holding ``var nonce="<hex>"``
and a difficulty, usually written ``target=new Array(N+1).join('0')`` (N hex zeros). The
browser finds the first n = 0, 1, 2, ... whose ``sha256(f"{nonce}:{n}")`` hex digest starts
with N zeros, POSTs the form fields ``nonce`` and ``n`` to ``/__c`` (which sets a cookie)
and loads the page again. This module is pure: it parses the page and finds n; the HTTP
client does the POST in the same session and retries.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from dataclasses import dataclass, field

DEFAULT_ACTION = "/__c"
MAX_DIFFICULTY = 64  # a sha256 hex digest has 64 characters

_NONCE_RE = re.compile(r"\b(?:var|let|const)\s+nonce\s*=\s*([\"'])([^\"'\\\s]+)\1")
# new Array(4+1).join('0') -> 4 zeros; Array(5).join("0") -> 4 zeros as well
_ARRAY_RE = re.compile(r"\bArray\(\s*(\d+)\s*(?:\+\s*(\d+)\s*)?\)\s*\.\s*join\(\s*([\"'])0\3\s*\)")
# var difficulty = 4;  difficulty: "4"
_DIFFICULTY_RE = re.compile(r"\bdifficulty\s*[:=]\s*([\"']?)(\d+)\1")
# var target = "0000";
_TARGET_LITERAL_RE = re.compile(r"\btarget\s*=\s*([\"'])(0+)\1")
_FORM_RE = re.compile(r"<form\b([^>]*)>(.*?)(?:</form\s*>|$)", re.I | re.S)
_INPUT_RE = re.compile(r"<input\b([^>]*)>", re.I)
_ATTR_RE = re.compile(r"""([A-Za-z_:][-\w:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_SOLUTION_FIELDS = frozenset({"nonce", "n"})


class ChallengeError(RuntimeError):
    """A challenge page could not be read, or no n was found within the allowed tries."""


@dataclass
class Challenge:
    """What the page asks for: the nonce, the number of leading hex zeros and the POST path."""

    nonce: str
    difficulty: int
    action: str = DEFAULT_ACTION
    # other hidden inputs of the page's form (a browser posts them too), e.g. a return path
    hidden: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0 <= self.difficulty <= MAX_DIFFICULTY:
            raise ChallengeError(
                f"UFCStats challenge (nonce {self.nonce!r}): difficulty {self.difficulty} "
                f"is not between 0 and {MAX_DIFFICULTY} hex zeros"
            )


def _text(html: str | bytes) -> str:
    if isinstance(html, bytes):
        return html.decode("utf-8", errors="replace")
    return html


def _difficulty(text: str) -> int | None:
    m = _ARRAY_RE.search(text)
    if m:
        return int(m.group(1)) + int(m.group(2) or 0) - 1
    m = _DIFFICULTY_RE.search(text)
    if m:
        return int(m.group(2))
    m = _TARGET_LITERAL_RE.search(text)
    if m:
        return len(m.group(2))
    return None


def _attrs(tag_body: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR_RE.finditer(tag_body):
        value = next((v for v in m.group(2, 3, 4) if v is not None), "")
        out.setdefault(m.group(1).lower(), html_lib.unescape(value))
    return out


def _form(text: str) -> tuple[str, dict[str, str]]:
    """The ``action`` of the page's form (default ``/__c``) and its other hidden inputs.

    The form holding a ``nonce`` input is preferred, else the first form of the page.
    """
    forms = list(_FORM_RE.finditer(text))
    if not forms:
        return DEFAULT_ACTION, {}
    inputs = [[_attrs(i.group(1)) for i in _INPUT_RE.finditer(f.group(2))] for f in forms]
    pick = next(
        (k for k, ins in enumerate(inputs) if any(i.get("name") == "nonce" for i in ins)), 0
    )
    action = _attrs(forms[pick].group(1)).get("action", "").strip() or DEFAULT_ACTION
    hidden = {
        i["name"]: i.get("value", "")
        for i in inputs[pick]
        if i.get("type", "").lower() == "hidden"
        and i.get("name")
        and i["name"] not in _SOLUTION_FIELDS
    }
    return action, hidden


def parse_challenge(html: str | bytes) -> Challenge | None:
    """The challenge on a "Checking your browser" page, or None for any other page.

    Reads ``var nonce="..."`` (single or double quotes, any spacing; ``let``/``const``
    too), the difficulty from ``new Array(N+1).join('0')``, ``var difficulty = N`` or a
    literal ``target="000"``, and the ``action`` and other hidden inputs of the page's
    form (default action ``/__c``).
    A page with a nonce variable and the challenge wording but no readable difficulty
    raises :class:`ChallengeError` rather than passing for a normal page.
    """
    text = _text(html)
    m = _NONCE_RE.search(text)
    if m is None:
        return None
    nonce = m.group(2)
    difficulty = _difficulty(text)
    if difficulty is None:
        lower = text.lower()
        if "checking your browser" in lower or DEFAULT_ACTION in text:
            raise ChallengeError(
                f"UFCStats challenge page (nonce {nonce!r}) without a difficulty this "
                "parser knows (new Array(N+1).join('0'), var difficulty = N, "
                "target = '000'): the page changed, update ufc_pipeline.sources.challenge"
            )
        return None
    action, hidden = _form(text)
    return Challenge(nonce=nonce, difficulty=difficulty, action=action, hidden=hidden)


def solve(challenge: Challenge, max_iterations: int = 50_000_000) -> int:
    """The first n >= 0 whose ``sha256(f"{nonce}:{n}")`` hex digest starts with
    ``difficulty`` zeros; tries n = 0 .. max_iterations - 1, else raises ChallengeError."""
    target = "0" * challenge.difficulty
    prefix = hashlib.sha256(f"{challenge.nonce}:".encode())
    for n in range(max_iterations):
        h = prefix.copy()
        h.update(str(n).encode())
        if h.hexdigest().startswith(target):
            return n
    raise ChallengeError(
        f"UFCStats challenge (nonce {challenge.nonce!r}, difficulty {challenge.difficulty}): "
        f"no n found in {max_iterations:,} tries; raise max_iterations or slow down so the "
        "site stops asking"
    )


def challenge_form(challenge: Challenge, n: int) -> dict[str, str]:
    """The form fields to POST to ``challenge.action``: ``{"nonce": ..., "n": "<n>"}``
    plus the form's other hidden inputs, if any (as a browser submitting it would)."""
    return {**challenge.hidden, "nonce": challenge.nonce, "n": str(n)}
