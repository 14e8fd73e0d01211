"""Loading the rows a rule needs, raising NotFound with the value that was not found."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from assistant.errors import InvalidInput, NotFound
from assistant.records.models import Account, Addon, Bill, Customer, Line, Plan, Subscription


def _check_id(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        raise InvalidInput(f"{what} {value!r} is not a valid id", value=repr(value))
    return value.strip()


def customer(session: Session, customer_id: str) -> Customer:
    """The customer, or NotFound."""
    found = session.get(Customer, _check_id(customer_id, "customer id"))
    if found is None:
        raise NotFound(f"customer {customer_id!r} not found", customer_id=customer_id)
    return found


def account(session: Session, customer_id: str) -> Account:
    """The customer's billing account (customer must exist)."""
    customer(session, customer_id)
    found = session.scalars(
        select(Account).where(Account.customer_id == customer_id).order_by(Account.id)
    ).first()
    if found is None:
        raise NotFound(f"customer {customer_id!r} has no account", customer_id=customer_id)
    return found


def lines(session: Session, account_id: str) -> list[Line]:
    """Lines of an account, ordered by id."""
    return list(
        session.scalars(select(Line).where(Line.account_id == account_id).order_by(Line.id))
    )


def primary_first(all_lines: list[Line]) -> list[Line]:
    """Lines with the primary one (first active line by id) first."""
    active = [line for line in all_lines if line.status == "active"]
    primary = active[0] if active else (all_lines[0] if all_lines else None)
    return [primary, *[x for x in all_lines if x is not primary]] if primary else []


def resolve_line(session: Session, acct: Account, line_id: str | None) -> tuple[Line, bool]:
    """The named line of this account, or the primary one; second value: was it defaulted."""
    all_lines = lines(session, acct.id)
    if line_id is None:
        ordered = primary_first(all_lines)
        if not ordered:
            raise NotFound(f"account {acct.id} has no lines", account_id=acct.id)
        return ordered[0], True
    wanted = _check_id(line_id, "line id")
    for line in all_lines:
        if line.id == wanted:
            return line, False
    raise NotFound(f"line {line_id!r} not found on this account", line_id=line_id)


def plan(session: Session, plan_id: str) -> Plan:
    """The catalog plan, or NotFound."""
    found = session.get(Plan, _check_id(plan_id, "plan id"))
    if found is None:
        raise NotFound(f"plan {plan_id!r} not found in the catalog", plan_id=plan_id)
    return found


def addon(session: Session, addon_id: str) -> Addon:
    """The catalog add-on, or NotFound."""
    found = session.get(Addon, _check_id(addon_id, "add-on id"))
    if found is None:
        raise NotFound(f"add-on {addon_id!r} not found in the catalog", addon_id=addon_id)
    return found


def current_subscription(session: Session, line_id: str, today: date) -> Subscription:
    """The subscription in force on ``today``."""
    found = session.scalars(
        select(Subscription)
        .where(
            Subscription.line_id == line_id,
            Subscription.start_date <= today,
            or_(Subscription.end_date.is_(None), Subscription.end_date > today),
        )
        .order_by(Subscription.start_date.desc(), Subscription.id.desc())
    ).first()
    if found is None:
        raise NotFound(f"line {line_id!r} has no plan in force", line_id=line_id)
    return found


def pending_subscriptions(session: Session, line_id: str, today: date) -> list[Subscription]:
    """Subscriptions scheduled to start after ``today`` (applied, not yet effective)."""
    return list(
        session.scalars(
            select(Subscription)
            .where(Subscription.line_id == line_id, Subscription.start_date > today)
            .order_by(Subscription.start_date, Subscription.id)
        )
    )


def overdue_bills(session: Session, account_id: str, today: date) -> list[Bill]:
    """Bills past their due date and not fully paid."""
    return list(
        session.scalars(
            select(Bill)
            .where(
                Bill.account_id == account_id,
                Bill.due_date < today,
                Bill.amount_paid < Bill.total,
            )
            .order_by(Bill.period)
        )
    )
