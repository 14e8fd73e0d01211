"""Applying and cancelling plan-change quotes (one transaction each, audited).

Applying is idempotent by quote id and guarded by an optimistic lock on the line's version:
of concurrent conflicting changes on one line exactly one wins, the others get Conflict.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from assistant.errors import Conflict, NotEligible, NotFound
from assistant.records.models import Line, PlanChangeRequest, Subscription
from assistant.records.services import audit, lookups
from assistant.records.services.eligibility import (
    LineContext,
    load_context,
    plan_change_reasons,
)
from assistant.records.services.quote_lifecycle import already_applied, cancel_quoted
from assistant.records.views import ChangeResult


def _digest(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest().upper()


def reference_for(quote_id: str) -> str:
    """Deterministic confirmation reference of a plan-change quote."""
    return "PC-" + _digest("plan-change", quote_id)[:8]


def _locked_request(session: Session, customer_id: str, quote_id: str) -> PlanChangeRequest:
    lookups.customer(session, customer_id)
    row = session.scalars(
        select(PlanChangeRequest).where(PlanChangeRequest.id == quote_id).with_for_update()
    ).first()
    if row is None or row.customer_id != customer_id:
        raise NotFound(f"plan-change quote {quote_id!r} not found", quote_id=quote_id)
    return row


def _result(row: PlanChangeRequest, already: bool) -> ChangeResult:
    when = "today" if row.direction == "upgrade" else f"on {row.effective_date.isoformat()}"
    return ChangeResult(
        kind="plan_change",
        reference=row.reference or "",
        quote_id=row.id,
        line_id=row.line_id,
        effective_date=row.effective_date,
        already_applied=already,
        message=f"Plan change to {row.to_plan_id} confirmed (reference {row.reference}); "
        f"it takes effect {when}.",
    )


def apply(
    session: Session, now: datetime, customer_id: str, quote_id: str, actor: str
) -> ChangeResult:
    """Apply a stored quote once; re-applying returns the same reference and changes nothing."""
    row = _locked_request(session, customer_id, quote_id)
    if already_applied(row, quote_id, now):
        return _result(row, already=True)
    ctx, _ = load_context(session, customer_id, row.line_id, now.date())
    if ctx.line.version != row.line_version:
        raise Conflict(
            f"line {row.line_id} changed since quote {quote_id} was made; nothing was applied",
            quote_id=quote_id,
        )
    target = lookups.plan(session, row.to_plan_id)
    reasons = plan_change_reasons(ctx, target)
    if reasons:
        raise NotEligible(
            f"{target.name} cannot be chosen: " + "; ".join(reasons.texts), **reasons.refusal()
        )
    bump = (
        update(Line)
        .where(Line.id == row.line_id, Line.version == row.line_version)
        .values(version=Line.version + 1)
        .execution_options(synchronize_session=False)
    )
    bumped = cast(CursorResult[Any], session.execute(bump))  # an UPDATE yields a CursorResult
    if bumped.rowcount != 1:
        raise Conflict(
            f"another change to line {row.line_id} won the race; nothing was applied",
            quote_id=quote_id,
        )
    _reschedule(session, now, ctx, row, actor)
    row.status, row.reference, row.applied_at = "applied", reference_for(row.id), now
    audit.record(
        session,
        now,
        actor,
        "plan_change.applied",
        customer_id,
        quote_id=row.id,
        reference=row.reference,
        line_id=row.line_id,
        from_plan=row.from_plan_id,
        to_plan=row.to_plan_id,
        effective_date=row.effective_date,
        proration=row.proration,
        fees=row.fees,
    )
    return _result(row, already=False)


def _reschedule(
    session: Session, now: datetime, ctx: LineContext, row: PlanChangeRequest, actor: str
) -> None:
    """End the current subscription at the effective date, replacing any pending one."""
    today = now.date()
    for pending in lookups.pending_subscriptions(session, row.line_id, today):
        superseded = session.get(PlanChangeRequest, pending.change_request_id or "")
        if superseded is not None and superseded.status == "applied":
            superseded.status = "cancelled"
            audit.record(
                session,
                now,
                actor,
                "plan_change.superseded",
                ctx.customer.id,
                reference=superseded.reference,
                superseded_by=row.id,
            )
        session.delete(pending)
    ctx.subscription.end_date = row.effective_date
    session.add(
        Subscription(
            line_id=row.line_id,
            plan_id=row.to_plan_id,
            start_date=row.effective_date,
            end_date=None,
            contract_end=row.contract_end,
            change_request_id=row.id,
        )
    )


def cancel(session: Session, now: datetime, customer_id: str, quote_id: str, actor: str) -> bool:
    """Cancel a quoted change; False when ``quote_id`` is not a plan-change quote."""
    return cancel_quoted(
        session, now, PlanChangeRequest, customer_id, quote_id, actor, "plan_change.cancelled"
    )
