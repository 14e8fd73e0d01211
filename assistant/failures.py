"""What went wrong in a failed turn, told apart so the customer reads the right thing.

Only a failure of the language service (the provider's client raised, or the connection
timed out) may say "I couldn't reach the language service". A tool loop (LangGraph's
recursion limit), a storage fault (SQLite or PostgreSQL refused, the disk is full, a file is
corrupt) and any other internal error each get their own reply and their own log event, and
the log names the store's file where there is one. The conversation's last checkpoint and
the records are untouched: a failed turn is not saved (``durability="exit"``) and every
records write is one transaction.
"""

from __future__ import annotations

import logging
import sqlite3
import traceback
from typing import Literal

from langgraph.errors import GraphRecursionError
from sqlalchemy.exc import SQLAlchemyError

from assistant.errors import StorageError

log = logging.getLogger("assistant.failures")

Failure = Literal["provider_unavailable", "tool_loop", "storage_unavailable", "internal_error"]

#: Packages whose exceptions (or frames) mean the model provider failed.
_PROVIDER_PACKAGES = ("openai", "httpx", "httpcore", "langchain_openai", "anthropic")


def _from_provider(exc: BaseException) -> bool:
    if isinstance(exc, ConnectionError | TimeoutError):
        return True
    if type(exc).__module__.split(".")[0] in _PROVIDER_PACKAGES:
        return True
    frames = traceback.extract_tb(exc.__traceback__)
    return any(
        f"/{package}/" in frame.filename for frame in frames[-3:] for package in _PROVIDER_PACKAGES
    )


def _is_storage(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.Error | SQLAlchemyError | StorageError):
        return True
    if type(exc).__module__.split(".")[0] == "psycopg":
        return True
    return isinstance(exc, OSError) and not isinstance(exc, ConnectionError | TimeoutError)


def classify(exc: BaseException) -> Failure:
    """The kind of failure ``exc`` is (see the module docstring)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:  # look through wrapping errors
        seen.add(id(current))
        if isinstance(current, GraphRecursionError):
            return "tool_loop"
        if _is_storage(current):
            return "storage_unavailable"
        if _from_provider(current):
            return "provider_unavailable"
        current = current.__cause__ or current.__context__
    return "internal_error"


def report(exc: BaseException, session: str) -> Failure:
    """Classify ``exc`` and log it (an error for our faults, a warning for the provider's)."""
    kind = classify(exc)
    extra = {
        "session": session[:8],
        "failure": kind,
        "error_type": type(exc).__name__,
        "detail": str(exc)[:300],
    }
    if kind == "provider_unavailable":
        log.warning("turn_failed", extra=extra)
    else:
        log.error("turn_failed", extra=extra, exc_info=exc)
    return kind


def message_keys(kind: str) -> tuple[str, str]:
    """The SDK message keys for ``kind``: (nothing was written, a write went through)."""
    if kind == "provider_unavailable":
        return "provider_unavailable", "provider_unavailable_after_write"
    if kind == "tool_loop":
        return "tool_loop", "tool_loop_after_write"
    return kind, "after_write"
