"""Stable codes for the English texts the records layer writes, so replies can localize them.

Refusal reasons and quote notes are built through ``Texts.add``: each English text is kept
with a ``TextCode`` (its form and the values in it), in step, so a renderer can say it in the
customer's language (``assistant/i18n``) and fall back to the English for a code it does not
know. Bill item descriptions are stored as free text written by the seed, so ``item_code``
recognises the forms the seed writes; any other text (edited by hand, or planted) gets no code
and is shown as stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.records.views import TextCode


def text_code(code: str, **values: Any) -> TextCode:
    """A ``TextCode``; values are written as strings (Decimals as digits, dates ISO)."""
    return TextCode(
        code=code,
        values={
            k: v.isoformat() if hasattr(v, "isoformat") else str(v)
            for k, v in values.items()
            if v is not None
        },
    )


@dataclass
class Texts:
    """English texts and their codes, index for index."""

    texts: list[str] = field(default_factory=list)
    codes: list[TextCode] = field(default_factory=list)

    def add(self, code: str, text: str, **values: Any) -> None:
        """Append ``text`` with its code and the values written into it."""
        self.texts.append(text)
        self.codes.append(text_code(code, **values))

    def extend(self, other: Texts) -> None:
        """Append every text of ``other``."""
        self.texts += other.texts
        self.codes += other.codes

    def __bool__(self) -> bool:
        return bool(self.texts)

    def refusal(self) -> dict[str, Any]:
        """The ``reasons`` and ``reason_codes`` details of a NotEligible error."""
        return {
            "reasons": list(self.texts),
            "reason_codes": [c.model_dump(mode="json") for c in self.codes],
        }


#: (code, pattern) for the bill item descriptions the seed writes
#: (``assistant/records/seed/writer.py``, ``generator.py``, ``personas.py``).
_ITEM_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (code, re.compile(pattern))
    for code, pattern in (
        ("item.plan_fee", r"(?P<plan>.+) monthly fee"),
        ("item.device_instalment", r"Device instalment: (?P<device>.+) \((?P<months>\d+) months\)"),
        (
            "item.roaming_data_rate",
            r"Data roaming in zone (?P<zone>\w+) \((?P<zone_name>[^)]+)\): (?P<mb>\d+) MB"
            r" at (?:£|€|KES )(?P<rate>\d+(?:\.\d+)?)/MB",
        ),
        (
            "item.roaming_data",
            r"Data roaming in zone (?P<zone>\w+) \((?P<zone_name>[^)]+)\): (?P<mb>\d+) MB",
        ),
        ("item.beyond_plan", r"Calls and texts beyond the plan"),
        ("item.premium_calls", r"Calls to premium numbers"),
        (
            "item.cloud_office_seats",
            r"Cloud Office: (?P<seats>\d+) seats x (?:£|€|KES )(?P<seat_price>\d+(?:\.\d+)?)",
        ),
        ("item.cloud_office", r"Cloud Office: (?P<seats>\d+) seats"),
        ("item.cloud_backup", r"Cloud Backup (?P<size>\S+)"),
        ("item.goodwill_credit_outage", r"Goodwill credit: network outage (?P<date>[\d-]+)"),
        ("item.goodwill_credit", r"Goodwill credit"),
        ("item.tax", r"(?:VAT|IVA) (?P<rate>\d+)%"),
    )
)


def item_code(description: str, currency: str) -> TextCode | None:
    """The form of a bill item's description, or None when it is not one the seed writes."""
    for code, pattern in _ITEM_FORMS:
        match = pattern.fullmatch(description)
        if match:
            return text_code(code, currency=currency, **match.groupdict())
    return None
