"""A day from free text, for a promise to pay ("by 27 November", "el viernes", "in 10 days").

Resolved against ``today`` and always in the future or today: "the 3rd" in late November is
3 December. English and Spanish; None when the text names no day.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from assistant.engine.periods import _MONTHS
from assistant.engine.text import fold

_WEEKDAYS = {
    "monday": 0, "lunes": 0, "tuesday": 1, "martes": 1, "wednesday": 2, "miercoles": 2,
    "thursday": 3, "jueves": 3, "friday": 4, "viernes": 4, "saturday": 5, "sabado": 5,
    "sunday": 6, "domingo": 6,
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ISO = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+|de\s+)?({_MONTH})\b")
_MONTH_DAY = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b")
_ORDINAL = re.compile(r"\b(?:the|el|dia)\s+(\d{1,2})(?:st|nd|rd|th)?\b")
_IN_DAYS = re.compile(r"\b(?:in|within|en|dentro de)\s+(\d{1,2})\s+(?:days?|dias?)\b")
_WEEKDAY = re.compile(rf"\b(next\s+|proximo\s+)?({'|'.join(_WEEKDAYS)})(\s+que viene)?\b")
_RELATIVE = {"tomorrow": 1, "manana": 1, "today": 0, "hoy": 0}


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _on_or_after(month: int, day: int, today: date) -> date | None:
    """That day this year, or next year when it has passed."""
    found = _safe(today.year, month, day)
    if found is not None and found < today:
        found = _safe(today.year + 1, month, day)
    return found


def parse_day(text: str, today: date) -> date | None:
    """The day ``text`` names, on or after ``today``; None when it names none."""
    folded = fold(text)
    if match := _ISO.search(folded):
        return _safe(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if match := _DAY_MONTH.search(folded):
        return _on_or_after(_MONTHS[match.group(2)], int(match.group(1)), today)
    if match := _MONTH_DAY.search(folded):
        return _on_or_after(_MONTHS[match.group(1)], int(match.group(2)), today)
    if match := _IN_DAYS.search(folded):
        return today + timedelta(days=int(match.group(1)))
    if match := _WEEKDAY.search(folded):
        ahead = (_WEEKDAYS[match.group(2)] - today.weekday()) % 7
        if ahead == 0 or match.group(1) or match.group(3):
            ahead = ahead or 7
        return today + timedelta(days=ahead)
    for word, days in _RELATIVE.items():
        if re.search(rf"\b{word}\b", folded):
            return today + timedelta(days=days)
    if match := _ORDINAL.search(folded):
        day = int(match.group(1))
        found = _safe(today.year, today.month, day)
        if found is None or found < today:
            nxt = date(today.year + today.month // 12, today.month % 12 + 1, 1)
            found = _safe(nxt.year, nxt.month, day)
        return found
    return None
