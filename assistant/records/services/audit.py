"""Writes to the audit log. Details carry ids and amounts only, never raw PII."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from assistant.records.models import AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def record(
    session: Session,
    at: datetime,
    actor: str,
    action: str,
    customer_id: str | None,
    **details: Any,
) -> None:
    """Append one audit event in the caller's transaction."""
    session.add(
        AuditEvent(
            at=at,
            actor=actor,
            action=action,
            customer_id=customer_id,
            details={key: _jsonable(value) for key, value in sorted(details.items())},
        )
    )
