"""One PII redaction for everything that is written down: logs, checkpoints, tickets.

Phone numbers, e-mail addresses, payment card numbers and IBANs are replaced by typed
placeholders (``[PHONE]``, ``[EMAIL]``, ``[CARD]``, ``[IBAN]``). Digits may be grouped with
spaces, dots, dashes or slashes (``4111.1111.1111.1111``, ``+44 7700-900.123``), since
customers write them every way. Dates, times, amounts and our own references (``PC-10001``,
``L-1003-1``) are left alone: a candidate phone number needs at least nine digits and is not a
date or a decimal amount. This module imports nothing of the product, so every layer may use it.
"""

from __future__ import annotations

import re
from typing import Any

#: A separator customers put between digit groups.
_SEP = r"[ .\-/]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Country code, check digits, then 11 to 30 alphanumerics in groups (GB 22, ES 24, DE 22...).
_IBAN = re.compile(
    rf"\b[A-Za-z]{{2}}\d{{2}}(?:{_SEP}?[A-Za-z0-9]{{4}}){{2,7}}(?:{_SEP}?[A-Za-z0-9]{{1,4}})?\b"
)
# 13 to 19 digits, each optionally followed by one separator.
_CARD = re.compile(rf"(?<![\w.])(?:\d{_SEP}?){{12,18}}\d(?![\w])")
_PHONE = re.compile(r"(?<![\w.])(?:\+|00)?\(?\d[\d ().\-/]{6,}\d(?![\w])")
_DATE_LIKE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}")
_AMOUNT = re.compile(r"\d+(?:[ ,]\d{3})*[.,]\d{1,2}")
#: A phone number has at least this many digits (ES 9, KE 9-12, GB 10-13 with the code).
MIN_PHONE_DIGITS = 9


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = sum(ch.isdigit() for ch in text)
    if digits < MIN_PHONE_DIGITS or _DATE_LIKE.search(text) or _AMOUNT.fullmatch(text):
        return text
    return "[PHONE]"


def redact(text: str) -> str:
    """Replace PII in ``text`` with placeholders ([EMAIL], [IBAN], [CARD], [PHONE])."""
    if not text:
        return text
    text = _EMAIL.sub("[EMAIL]", text)
    text = _IBAN.sub(
        lambda m: "[IBAN]" if sum(c.isdigit() for c in m.group(0)) >= 8 else m.group(0), text
    )
    text = _CARD.sub("[CARD]", text)
    return _PHONE.sub(_phone, text)


def redact_value(value: Any) -> Any:
    """``redact`` applied to every string inside dicts, lists and tuples (keys are kept)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_value(item) for item in value)
    return value
