"""Small pure helpers turning the sites' raw strings into numbers, dates and clean text.

Every helper returns ``None`` for the sites' "missing" markers (``--``, ``---``, ``N/A``,
empty) and raises ``ValueError`` for text that is present but not in a known shape, so a
layout change is noticed instead of silently becoming ``None``.
"""

from __future__ import annotations

import datetime as dt
import re

# Only the markers the sites print: a fighter may really be called "Na" (Liang Na) or "Null".
MISSING_MARKERS = frozenset({"", "-", "--", "---", "n/a"})

# 5' 11"  5'11"  6'5"  6' 0''  (also typographic quotes, normalised first)
_HEIGHT_RE = re.compile(r"^(\d+)\s*'\s*(\d+(?:\.\d+)?)?\s*(?:\"|'')?$")
_INCHES_ONLY_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:\"|''|in\.?|inches)?$")
_WEIGHT_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*(?:lbs?\.?|pounds)?$", re.IGNORECASE)
_RECORD_RE = re.compile(
    r"^(?:record:\s*)?(\d+)\s*-\s*(\d+)\s*-\s*(\d+)(?:\s*\(\s*(\d+)\s*nc\s*\))?$",
    re.IGNORECASE,
)
_SLASH_DATE_RE = re.compile(r"^([A-Za-z]{3,9})\.?\s*/\s*(\d{1,2})\s*/\s*(\d{4})$")
_WORD_DATE_RE = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$")

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_FULL_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}


def normalize_ws(text: str | None) -> str:
    """Collapse every run of whitespace (incl. NBSP, newlines) to one space and strip.

    ``str.split`` splits on exactly the characters of the regular expression ``\\s`` (a
    test holds it to ``re.sub(r"\\s+", " ", text).strip()`` over every code point), in a
    fifth of the time: parsers call this for every cell they read."""
    if text is None:
        return ""
    return " ".join(text.split())


def clean_text(text: str | None) -> str | None:
    """``normalize_ws`` that maps the missing markers (``--``, ``N/A``, empty) to ``None``."""
    value = normalize_ws(text)
    if value.lower() in MISSING_MARKERS:
        return None
    return value


def _quotes(text: str) -> str:
    return (
        text.replace("\u2019", "'")
        .replace("\u2032", "'")
        .replace("\u201d", '"')
        .replace("\u2033", '"')
        .replace("\u201c", '"')
    )


def parse_height(text: str | None) -> float | None:
    """``5' 11"`` / ``5'11"`` / ``6'5"`` -> inches as float (71.0); missing -> None."""
    value = clean_text(text)
    if value is None:
        return None
    value = _quotes(value).replace(" ", "")
    m = _HEIGHT_RE.match(value)
    if m:
        feet = int(m.group(1))
        inches = float(m.group(2)) if m.group(2) else 0.0
        return feet * 12 + inches
    raise ValueError(f"not a height: {text!r}")


def parse_reach(text: str | None) -> float | None:
    """``72.0"`` / ``72"`` -> 72.0 inches; missing -> None."""
    value = clean_text(text)
    if value is None:
        return None
    m = _INCHES_ONLY_RE.match(_quotes(value))
    if m:
        return float(m.group(1))
    raise ValueError(f"not a reach in inches: {text!r}")


def parse_weight(text: str | None) -> float | None:
    """``155 lbs.`` / ``155 lbs`` / ``155`` -> 155.0 pounds; missing -> None."""
    value = clean_text(text)
    if value is None:
        return None
    m = _WEIGHT_RE.match(value)
    if m:
        return float(m.group(1))
    raise ValueError(f"not a weight in pounds: {text!r}")


def parse_int(text: str | None) -> int | None:
    """``"3"`` -> 3; missing -> None; anything else raises ValueError."""
    value = clean_text(text)
    if value is None:
        return None
    if value.isdigit():
        return int(value)
    raise ValueError(f"not an integer: {text!r}")


def _month(name: str, original: str) -> int:
    key = name.lower().rstrip(".")
    if key in _FULL_MONTHS:
        return _FULL_MONTHS[key]
    if key in _MONTHS:
        return _MONTHS[key]
    raise ValueError(f"unknown month in date: {original!r}")


def parse_date(text: str | None) -> dt.date | None:
    """Dates as the two sites print them -> ``datetime.date``; missing -> None.

    Accepted: ``Dec 13, 1996`` and ``Jul 03, 1983`` (UFCStats DOB), ``Aug. 15, 2026``
    (UFCStats fight history), ``September 05, 2026`` (UFCStats events), ``Apr 11, 1993``
    (Sherdog birth date), ``Oct / 25 / 2025`` (Sherdog fight dates), ISO ``2025-10-25``.
    """
    value = clean_text(text)
    if value is None:
        return None
    m = _SLASH_DATE_RE.match(value) or _WORD_DATE_RE.match(value)
    if m:
        month = _month(m.group(1), value)
        try:
            return dt.date(int(m.group(3)), month, int(m.group(2)))
        except ValueError as exc:
            raise ValueError(f"impossible date: {text!r}") from exc
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date: {text!r}") from None


def parse_record(text: str | None) -> tuple[int, int, int, int]:
    """``Record: 22-8-0 (1 NC)`` -> (22, 8, 0, 1); ``13-2-0`` -> (13, 2, 0, 0)."""
    value = normalize_ws(text)
    m = _RECORD_RE.match(value)
    if not m:
        raise ValueError(f"not a W-L-D record: {text!r}")
    wins, losses, draws = int(m.group(1)), int(m.group(2)), int(m.group(3))
    return wins, losses, draws, int(m.group(4) or 0)
