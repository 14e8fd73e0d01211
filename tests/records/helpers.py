"""Assertion helpers for the records tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine

from assistant.errors import DomainError
from assistant.records.snapshot import database_digest


def refused_without_change(
    engine: Engine, error: type[DomainError], fn: Callable[[], Any], *, mentions: str
) -> DomainError:
    """Assert ``fn`` raises ``error`` naming ``mentions`` and leaves every table unchanged."""
    before = database_digest(engine)
    with pytest.raises(error) as caught:
        fn()
    assert mentions in caught.value.message, caught.value.message
    assert database_digest(engine) == before, "a refused request changed the database"
    return caught.value
