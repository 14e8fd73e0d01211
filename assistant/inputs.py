"""Checks on what SDK callers pass in, so bad input is a clear UsageError, not a crash deep
inside the tokenizer or the consent ledger."""

from __future__ import annotations

import re

from assistant.errors import UsageError

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")


def check_text(text: str) -> str:
    """``text`` unchanged, or UsageError naming a lone surrogate (it cannot be encoded as
    UTF-8, so the tokenizer, the checkpointer and every log would fail on it)."""
    found = _SURROGATE.search(text)
    if found is not None:
        raise UsageError(
            f"message has an invalid character at position {found.start()} "
            f"(lone surrogate U+{ord(found.group()):04X}); send valid Unicode text"
        )
    return text


def check_customer_id(customer_id: object) -> str:
    """The customer id without surrounding spaces, or UsageError saying what is wrong."""
    if not isinstance(customer_id, str):
        raise UsageError(f"customer_id must be a str, got {type(customer_id).__name__}")
    cleaned = customer_id.strip()
    if not _ID.fullmatch(cleaned):
        raise UsageError(f"customer_id {customer_id!r} is not a valid customer id (e.g. C-1003)")
    return cleaned
