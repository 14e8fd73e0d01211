"""Billing periods from free text ("October", "last month", "2026-09", "octubre").

Relative phrases are resolved against ``today``. A bare month name means the most recent
such month that has started: in November 2026 "December" is December 2025.
"""

from __future__ import annotations

import re
from datetime import date

from rapidfuzz import fuzz, process

from assistant.engine.text import fold

_MONTHS = {
    "january": 1, "jan": 1, "enero": 1,
    "february": 2, "feb": 2, "febrero": 2,
    "march": 3, "mar": 3, "marzo": 3,
    "april": 4, "apr": 4, "abril": 4,
    "may": 5, "mayo": 5,
    "june": 6, "jun": 6, "junio": 6,
    "july": 7, "jul": 7, "julio": 7,
    "august": 8, "aug": 8, "agosto": 8,
    "september": 9, "sept": 9, "sep": 9, "septiembre": 9, "setiembre": 9,
    "october": 10, "oct": 10, "octubre": 10, "ocotber": 10, "octuber": 10,
    "november": 11, "nov": 11, "noviembre": 11,
    "december": 12, "dec": 12, "diciembre": 12,
}
# "may" and "mar" are also ordinary words; they count as months only after a preposition
# ("in May", "de mayo" is unambiguous anyway) or with a year.
_AMBIGUOUS = {"may", "mar"}
_ISO = re.compile(r"\b(20\d\d)[-/.](0?[1-9]|1[0-2])\b")
_MONTH_YEAR = re.compile(r"\b([a-z]+)(?:\s+(?:de(?:l)?\s+)?(20\d\d))?\b")
_AGO = re.compile(
    r"\b(two|three|four|2|3|4|dos|tres|cuatro)\s+(?:months?|meses)\s+(?:ago|back|atras)\b"
    r"|\bhace\s+(dos|tres|cuatro|2|3|4)\s+meses\b"
)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "dos": 2, "tres": 3, "cuatro": 4}
_LAST = re.compile(
    r"\b(last|previous|past)\s+month\b|\bmes\s+(pasado|anterior)\b|\bultimo\s+mes\b"
)
_THIS = re.compile(r"\b(this|current)\s+month\b|\beste\s+mes\b|\bmes\s+actual\b")
_PREPOSITION = re.compile(r"\b(in|for|from|of|de|en|since|until)\s+$")


_FULL_NAMES = [name for name in _MONTHS if len(name) >= 5]


def _misspelt_month(word: str) -> int | None:
    """The month a misspelt name ("octobr", "setiembre", "novembre") stands for, if close."""
    if len(word) < 5:
        return None
    found = process.extractOne(word, _FULL_NAMES, scorer=fuzz.ratio, score_cutoff=85)
    return _MONTHS[found[0]] if found else None


def _shift(today: date, months_back: int) -> str:
    index = today.year * 12 + (today.month - 1) - months_back
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _month_period(month: int, year: int | None, today: date) -> str:
    if year is None:
        year = today.year if month <= today.month else today.year - 1
    return f"{year:04d}-{month:02d}"


def parse_period(text: str, today: date) -> str | None:
    """The billing period (YYYY-MM) named in ``text``, or None when none is named."""
    folded = fold(text)
    iso = _ISO.search(folded)
    if iso:
        return f"{int(iso.group(1)):04d}-{int(iso.group(2)):02d}"
    if _LAST.search(folded):
        return _shift(today, 1)
    if _THIS.search(folded):
        return _shift(today, 0)
    ago = _AGO.search(folded)
    if ago:
        token = ago.group(1) or ago.group(2)
        return _shift(today, _NUMBERS.get(token) or int(token))
    for match in _MONTH_YEAR.finditer(folded):
        word, year = match.group(1), match.group(2)
        month = _MONTHS.get(word) or _misspelt_month(word)
        if month is None:
            continue
        before = folded[: match.start()]
        if word in _AMBIGUOUS and year is None and not _PREPOSITION.search(before):
            continue
        return _month_period(month, int(year) if year else None, today)
    return None


def period_of(value: str | None) -> date | None:
    """First day of a YYYY-MM period, or None when ``value`` is not one."""
    if not value or not re.fullmatch(r"\d{4}-\d{2}", value):
        return None
    return date(int(value[:4]), int(value[5:7]), 1)
