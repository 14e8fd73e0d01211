"""Numeric grounding, shared by the reply verifier (run time) and the eval (measurement).

Every number a reply writes must also appear in a source of the same turn: a tool result, a
passage the reply cites, or the customer's own message (repeating a number is not inventing
it). Ids, references, links and citation marks carry digits that are not quantities, so they
are removed before numbers are read. ``1,500`` may mean 1500 and ``18,00`` 18: a number is
grounded when any value it can mean is a value some source number can mean.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

# Ids and references carry digits that are not quantities (C-1001, L-1001-1, PC-3F2A19C0).
REFERENCE_IDS = re.compile(r"\b(?:PC|AO|TK|PY|VP|PA|PQ|AR|PM|Q|C|A|L)-[A-Z0-9]+(?:-[A-Z0-9]+)*\b")
#: Any reference-shaped token ("XX-..." with a digit): what the verifier checks is backed.
REFERENCE = re.compile(r"\b[A-Z]{1,4}-(?=[A-Z0-9-]*\d)[A-Z0-9]+(?:-[A-Z0-9]+)*\b")
CITATION = re.compile(r"\[\d{1,2}\]")
URL = re.compile(
    r"(?:https?://|www\.)[^\s)\]>\"']+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|uk|es|ke|example|info|biz|xyz|ru|me"
    r"|ly|app|dev|site|online)\b(?:/[^\s)\]>\"']*)?",
    re.IGNORECASE,
)
NUMBER = re.compile(r"(?<![A-Za-z0-9])(\d+(?:[.,]\d+)*)([A-Za-z]*)")
#: Letters that may follow a number and still make it a quantity ("30GB", "5p", "2nd").
_UNITS = frozenset(
    {"", "gb", "mb", "kb", "tb", "g", "p", "k", "m", "min", "mins", "h", "hr", "hrs", "x",
     "st", "nd", "rd", "th", "am", "pm", "ghz", "mbps", "gbps", "d"}
)  # fmt: skip


def _strip_non_quantities(text: str) -> str:
    text = URL.sub(" ", text)
    text = REFERENCE_IDS.sub(" ", text)
    text = CITATION.sub(" ", text)
    return re.sub(r"(?<=\d)T(?=\d)", " ", text)  # ISO instants: 2026-11-20T10:00


def number_values(token: str) -> frozenset[Decimal]:
    """Every value a written number can mean (``1,500`` is 1500; ``18,00`` is 18)."""
    try:
        if "," in token and "." in token:
            decimal_sep = "," if token.rfind(",") > token.rfind(".") else "."
            group_sep = "." if decimal_sep == "," else ","
            return frozenset({Decimal(token.replace(group_sep, "").replace(decimal_sep, "."))})
        for sep in (",", "."):
            if sep in token:
                parts = token.split(sep)
                values = set()
                if all(len(p) == 3 for p in parts[1:]):
                    values.add(Decimal("".join(parts)))
                if len(parts) == 2:
                    values.add(Decimal(f"{parts[0]}.{parts[1]}"))
                return frozenset(values)
        return frozenset({Decimal(token)})
    except InvalidOperation:
        return frozenset()


def numbers_in(text: str) -> list[str]:
    """Quantities written in ``text`` (ids, references, links and citation marks excluded)."""
    found = []
    for match in NUMBER.finditer(_strip_non_quantities(text)):
        if match.group(2).lower() in _UNITS:
            found.append(match.group(1))
    return found


def value_set(texts: Iterable[str]) -> set[Decimal]:
    """Every value any number in ``texts`` can mean."""
    values: set[Decimal] = set()
    for text in texts:
        for token in numbers_in(text):
            values |= number_values(token)
    return values


def ungrounded_numbers(text: str, sources: Iterable[str]) -> list[str]:
    """The numbers of ``text`` that no source of the turn has (in order, as written)."""
    available = value_set(sources)
    return [n for n in numbers_in(text) if not (number_values(n) & available)]
