"""Quoting and buying add-ons: same idempotency and audit rules as plan changes.

Postpaid add-ons are charged on the next bill (price excludes tax); prepaid ones are paid from
the balance at once (price includes tax), with an atomic conditional debit.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from assistant.errors import NotEligible, NotFound
from assistant.records import money
from assistant.records.models import Account, Addon, AddonPurchase
from assistant.records.present import addon_view
from assistant.records.services import audit, lookups
from assistant.records.services.eligibility import LineContext, account_blockers, load_context
from assistant.records.services.quote_lifecycle import already_applied, cancel_quoted, own_quote
from assistant.records.texts import Texts
from assistant.records.views import AddonQuote, ChangeResult

QUOTE_TTL = timedelta(minutes=30)


def _digest(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest().upper()


def reference_for(quote_id: str) -> str:
    """Deterministic confirmation reference of an add-on quote."""
    return "AO-" + _digest("addon", quote_id)[:8]


def addon_reasons(ctx: LineContext, addon: Addon) -> Texts:
    """Every rule buying ``addon`` on this line fails; empty when allowed."""
    reasons = Texts()
    if addon.country != ctx.customer.country:
        reasons.add(
            "reason.addon_other_country",
            f"{addon.name} is sold in {addon.country} only; your account is in "
            f"{ctx.customer.country}",
            addon=addon.name, sold_in=addon.country, country=ctx.customer.country,
        )  # fmt: skip
    reasons.extend(account_blockers(ctx))
    if ctx.account.billing_type == "prepaid" and ctx.account.balance < addon.price:
        balance = money.format_money(ctx.account.balance, ctx.account.currency)
        reasons.add(
            "reason.balance_below_price",
            f"your balance {balance} is "
            f"below the price {money.format_money(addon.price, addon.currency)}; please top up",
            balance=ctx.account.balance, price=addon.price, currency=addon.currency,
        )  # fmt: skip
    return reasons


def quote(
    session: Session,
    now: datetime,
    customer_id: str,
    addon_id: str,
    line_id: str | None,
    actor: str,
) -> AddonQuote:
    """Price and store an add-on purchase; NotEligible lists every failing rule."""
    ctx, defaulted = load_context(session, customer_id, line_id, now.date())
    addon = lookups.addon(session, addon_id)
    reasons = addon_reasons(ctx, addon)
    if reasons:
        raise NotEligible(
            f"{addon.name} cannot be bought: " + "; ".join(reasons.texts), **reasons.refusal()
        )
    seq = session.scalar(
        select(func.count()).select_from(AddonPurchase).where(AddonPurchase.line_id == ctx.line.id)
    )
    quote_id = "AQ-" + _digest(ctx.line.id, addon.id, now.isoformat(), seq)[:10]
    session.add(
        AddonPurchase(
            id=quote_id,
            customer_id=ctx.customer.id,
            line_id=ctx.line.id,
            addon_id=addon.id,
            price=addon.price,
            currency=addon.currency,
            created_at=now,
            expires_at=now + QUOTE_TTL,
            status="quoted",
            idempotency_key=quote_id,
        )
    )
    audit.record(
        session,
        now,
        actor,
        "addon.quoted",
        ctx.customer.id,
        quote_id=quote_id,
        line_id=ctx.line.id,
        addon_id=addon.id,
        price=addon.price,
    )
    row = session.get(AddonPurchase, quote_id)
    assert row is not None
    return quote_view(row, addon, ctx, defaulted, now)


def quote_view(
    row: AddonPurchase, addon: Addon, ctx: LineContext, defaulted: bool, now: datetime
) -> AddonQuote:
    """The stored add-on quote as the customer sees it (validity as if applied at ``now``)."""
    prepaid = ctx.account.billing_type == "prepaid"
    start = row.valid_from or now
    return AddonQuote(
        quote_id=row.id,
        line_id=row.line_id,
        msisdn_masked=money.mask_msisdn(ctx.line.msisdn),
        line_defaulted=defaulted,
        addon=addon_view(addon, prepaid),
        price=row.price,
        currency=row.currency,
        charged_to="prepaid_balance" if prepaid else "next_bill",
        valid_from=start,
        valid_to=row.valid_to or start + timedelta(days=addon.validity_days),
        expires_at=row.expires_at,
    )


def stored_quote(
    session: Session, now: datetime, customer_id: str, quote_id: str
) -> AddonQuote | None:
    """A stored add-on quote of this customer (any status), or None."""
    row = own_quote(session, AddonPurchase, customer_id, quote_id)
    if row is None:
        return None
    ctx, _ = load_context(session, customer_id, row.line_id, now.date())
    return quote_view(row, lookups.addon(session, row.addon_id), ctx, False, now)


def _result(row: AddonPurchase, already: bool) -> ChangeResult:
    assert row.valid_from is not None
    return ChangeResult(
        kind="addon",
        reference=row.reference or "",
        quote_id=row.id,
        line_id=row.line_id,
        effective_date=row.valid_from.date(),
        already_applied=already,
        message=f"Add-on {row.addon_id} is active on line {row.line_id} "
        f"(reference {row.reference}).",
    )


def apply(
    session: Session, now: datetime, customer_id: str, quote_id: str, actor: str
) -> ChangeResult:
    """Buy a quoted add-on once; re-applying returns the same reference and changes nothing."""
    lookups.customer(session, customer_id)
    row = session.scalars(
        select(AddonPurchase).where(AddonPurchase.id == quote_id).with_for_update()
    ).first()
    if row is None or row.customer_id != customer_id:
        raise NotFound(f"add-on quote {quote_id!r} not found", quote_id=quote_id)
    if already_applied(row, quote_id, now):
        return _result(row, already=True)
    ctx, _ = load_context(session, customer_id, row.line_id, now.date())
    addon = lookups.addon(session, row.addon_id)
    reasons = addon_reasons(ctx, addon)
    if reasons:
        raise NotEligible(
            f"{addon.name} cannot be bought: " + "; ".join(reasons.texts), **reasons.refusal()
        )
    if ctx.account.billing_type == "prepaid":
        debit = (
            update(Account)
            .where(Account.id == ctx.account.id, Account.balance >= row.price)
            .values(balance=Account.balance - row.price)
            .execution_options(synchronize_session=False)
        )
        debited = cast(CursorResult[Any], session.execute(debit))  # an UPDATE: a CursorResult
        if debited.rowcount != 1:
            low = Texts()
            low.add("reason.balance_too_low", "the balance is too low for this add-on")
            raise NotEligible("the balance is too low for this add-on", **low.refusal())
    validity = timedelta(days=addon.validity_days)
    row.status, row.reference = "applied", reference_for(row.id)
    row.valid_from, row.valid_to = now, now + validity
    audit.record(
        session,
        now,
        actor,
        "addon.applied",
        customer_id,
        quote_id=row.id,
        reference=row.reference,
        line_id=row.line_id,
        addon_id=row.addon_id,
        price=row.price,
        charged_to="prepaid_balance" if ctx.account.billing_type == "prepaid" else "next_bill",
    )
    return _result(row, already=False)


def cancel(session: Session, now: datetime, customer_id: str, quote_id: str, actor: str) -> bool:
    """Cancel a quoted add-on; False when ``quote_id`` is not an add-on quote."""
    return cancel_quoted(
        session, now, AddonPurchase, customer_id, quote_id, actor, "addon.cancelled"
    )
