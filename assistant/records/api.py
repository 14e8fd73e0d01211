"""The Records facade: the one door every caller (agent tools, eval, UI, CLI) uses.

Each method is one unit of work: it commits on success and rolls back on any error, so a
refused request leaves the database unchanged. Errors are the typed ``assistant.errors``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, select

from assistant.errors import NotFound
from assistant.records.db import make_engine, unit_of_work
from assistant.records.models import AuditEvent, Customer
from assistant.records.passwords import verify_password
from assistant.records.payment_views import AmountOwed, PaymentQuote, PaymentResult
from assistant.records.present import customer_view
from assistant.records.services import (
    account,
    addons,
    arrangements,
    billing,
    consent,
    dunning,
    lookups,
    payments,
    plan_change,
    plan_quotes,
    tickets,
    usage,
)
from assistant.records.snapshot import snapshot
from assistant.records.views import (
    AccountOverview,
    AddonQuote,
    AddonView,
    AuditEventView,
    BillExplanation,
    BillSummary,
    BillView,
    ChangeResult,
    ConsentPurpose,
    ConsentRecordView,
    ConsentState,
    CustomerView,
    LineUsage,
    PaymentView,
    PlanChangeQuote,
    PlanOption,
    PlanView,
    TicketView,
)


class Records:
    """The operator's system of record, as seen by the assistant."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock
        #: Called as ``listener(customer_id, purpose)`` after a withdrawal is committed, so the
        #: layers above act on it at once (the SDK deletes kept transcripts).
        self.withdrawal_listeners: list[Callable[[str, str], None]] = []

    @classmethod
    def from_settings(cls, settings: Any) -> Records:
        """Records on ``settings.resolved_database_url()`` with ``settings.now`` as the clock."""
        return cls(make_engine(settings.resolved_database_url()), settings.now)

    def _read(self, fn: Callable[..., Any], *args: Any) -> Any:
        with unit_of_work(self.engine, write=False) as session:
            return fn(session, *args)

    def _write(self, fn: Callable[..., Any], *args: Any) -> Any:
        with unit_of_work(self.engine, write=True) as session:
            return fn(session, self.clock(), *args)

    # -- identity ---------------------------------------------------------------------------

    def authenticate(self, email: str, password: str) -> CustomerView | None:
        """The customer whose e-mail and password match, else None (no hint which was wrong)."""
        wanted = (email or "").strip().lower()
        with unit_of_work(self.engine, write=False) as session:
            row = session.scalars(select(Customer).where(Customer.email == wanted)).first()
            ok = verify_password(password or "", row.password_hash if row else None)
            return customer_view(row) if row is not None and ok else None

    def get_customer(self, customer_id: str) -> CustomerView:
        """The customer, or NotFound."""
        return self._read(lambda s, cid: customer_view(lookups.customer(s, cid)), customer_id)

    def account_overview(self, customer_id: str) -> AccountOverview:
        """Account, lines with plans (primary first), latest bill and arrears."""
        return self._read(account.overview, customer_id, self.clock())

    # -- bills and usage --------------------------------------------------------------------

    def list_bills(self, customer_id: str, limit: int = 12) -> list[BillSummary]:
        """Most recent bills first (empty for prepaid accounts)."""
        return self._read(billing.list_bills, customer_id, limit, self.clock())

    def get_bill(self, customer_id: str, period: str | None = None) -> BillView:
        """The bill of ``period`` (YYYY-MM) with its items; None = the latest."""
        return self._read(billing.bill_view, customer_id, period, self.clock())

    def explain_bill(self, customer_id: str, period: str | None = None) -> BillExplanation:
        """Why the bill differs from the previous one, biggest drivers first."""
        return self._read(billing.explain, customer_id, period)

    def list_payments(self, customer_id: str, limit: int = 12) -> list[PaymentView]:
        """Most recent payments first."""
        return self._read(billing.list_payments, customer_id, limit)

    def current_usage(self, customer_id: str) -> list[LineUsage]:
        """This cycle's use of every line against its allowances."""
        return self._read(usage.current_usage, customer_id, self.clock())

    # -- plan changes -------------------------------------------------------------------------

    def eligible_plans(self, customer_id: str, line_id: str | None = None) -> list[PlanOption]:
        """Every other plan of the customer's country: eligible first, each with its reasons."""
        return self._read(account.plan_options, customer_id, line_id, self.clock())

    def quote_plan_change(
        self,
        customer_id: str,
        plan_id: str,
        line_id: str | None = None,
        *,
        actor: str = "assistant",
    ) -> PlanChangeQuote:
        """Price and store a plan change (valid 30 minutes); NotEligible lists every reason."""
        return self._write(plan_quotes.quote, customer_id, plan_id, line_id, actor)

    def apply_plan_change(
        self, customer_id: str, quote_id: str, *, actor: str = "assistant"
    ) -> ChangeResult:
        """Apply a quote: idempotent; QuoteExpired, Conflict or NotEligible leave no trace."""
        return self._write(plan_change.apply, customer_id, quote_id, actor)

    def get_quote(
        self, customer_id: str, quote_id: str
    ) -> PlanChangeQuote | AddonQuote | PaymentQuote:
        """A stored plan-change, add-on or payment quote of this customer (any status)."""

        def read(session: Any) -> PlanChangeQuote | AddonQuote | PaymentQuote:
            now = self.clock()
            found: PlanChangeQuote | AddonQuote | PaymentQuote | None
            found = plan_quotes.stored_quote(session, now, customer_id, quote_id)
            found = found or addons.stored_quote(session, now, customer_id, quote_id)
            found = found or payments.stored_quote(session, now, customer_id, quote_id)
            if found is None:
                raise NotFound(f"quote {quote_id!r} not found", quote_id=quote_id)
            return found

        return self._read(read)

    def cancel_quote(self, customer_id: str, quote_id: str, *, actor: str = "assistant") -> None:
        """Cancel a plan-change or add-on quote that has not been applied."""

        def cancel(session: Any, now: datetime) -> None:
            if plan_change.cancel(session, now, customer_id, quote_id, actor):
                return
            if addons.cancel(session, now, customer_id, quote_id, actor):
                return
            if payments.cancel(session, now, customer_id, quote_id, actor):
                return
            raise NotFound(f"quote {quote_id!r} not found", quote_id=quote_id)

        self._write(cancel)

    # -- add-ons ----------------------------------------------------------------------------

    def list_addons(self, customer_id: str) -> list[AddonView]:
        """Add-ons sold in the customer's country."""
        return self._read(account.addons_for, customer_id)

    def quote_addon(
        self,
        customer_id: str,
        addon_id: str,
        line_id: str | None = None,
        *,
        actor: str = "assistant",
    ) -> AddonQuote:
        """Price and store an add-on purchase (valid 30 minutes)."""
        return self._write(addons.quote, customer_id, addon_id, line_id, actor)

    def apply_addon(
        self, customer_id: str, quote_id: str, *, actor: str = "assistant"
    ) -> ChangeResult:
        """Buy a quoted add-on: idempotent by quote id."""
        return self._write(addons.apply, customer_id, quote_id, actor)

    # -- money in -----------------------------------------------------------------------------

    def record_payment(
        self,
        customer_id: str,
        period: str,
        amount: Decimal | str | int,
        method: str = "card",
        reference_last4: str = "0000",
        *,
        actor: str = "customer",
    ) -> PaymentView:
        """Record a payment against a bill (0 < amount <= what is owed, at most 100000)."""
        return self._write(
            billing.record_payment, customer_id, period, amount, method, reference_last4, actor
        )

    def amount_owed(self, customer_id: str) -> AmountOwed:
        """What is owed, overdue bills first, with the policy's suspension dates."""
        return self._read(payments.owed, customer_id, self.clock())

    def quote_payment(
        self,
        customer_id: str,
        period: str | None = None,
        amount: Decimal | str | int | None = None,
        method_id: str | None = None,
        *,
        actor: str = "assistant",
    ) -> PaymentQuote:
        """Price and store a payment with a saved method: one bill (``period``) or the whole
        balance (None); ``amount`` None = everything owed on it. Valid 30 minutes."""
        return self._write(payments.quote, customer_id, period, amount, method_id, actor)

    def apply_payment(
        self, customer_id: str, quote_id: str, *, actor: str = "assistant"
    ) -> PaymentResult:
        """Pay a card/direct-debit quote once (PY- reference); lifts a non-payment suspension
        when nothing overdue is left."""
        return self._write(payments.apply, customer_id, quote_id, "payment", actor)

    def request_velapesa_payment(
        self, customer_id: str, quote_id: str, *, actor: str = "assistant"
    ) -> PaymentResult:
        """Push a VelaPesa quote to the customer's phone; the simulated handset approves it and
        the bill is paid (VP- reference). Idempotent by quote id."""
        return self._write(payments.apply, customer_id, quote_id, "velapesa", actor)

    def quote_arrangement(
        self, customer_id: str, pay_by: str, *, actor: str = "assistant"
    ) -> PaymentQuote:
        """Store a promise to pay everything overdue by ``pay_by`` (at most 14 days away)."""
        return self._write(arrangements.quote, customer_id, pay_by, actor)

    def apply_arrangement(
        self, customer_id: str, quote_id: str, *, actor: str = "assistant"
    ) -> PaymentResult:
        """Agree a quoted promise to pay once (PA- reference)."""
        return self._write(arrangements.apply, customer_id, quote_id, actor)

    def run_dunning(self, *, actor: str = "dunning") -> list[str]:
        """The nightly job: suspend lines of accounts 30+ days overdue; returns their ids."""
        return self._write(dunning.run, actor)

    def top_up(
        self, customer_id: str, amount: Decimal | str | int, *, actor: str = "customer"
    ) -> Decimal:
        """Add credit to a prepaid balance (0 < amount <= 100000); returns the new balance."""
        return self._write(account.top_up, customer_id, amount, actor)

    # -- consent ------------------------------------------------------------------------------

    def consent_purposes(self) -> list[ConsentPurpose]:
        """Every purpose with its title, plain-language notice and current version."""
        return list(consent.purposes())

    def grant_consent(
        self,
        customer_id: str,
        purpose: str,
        notice_version: str,
        channel: str,
        *,
        actor: str = "customer",
    ) -> ConsentState:
        """Append a grant (the notice version must be current); effective at once."""
        return self._write(consent.grant, customer_id, purpose, notice_version, channel, actor)

    def withdraw_consent(
        self, customer_id: str, purpose: str, channel: str, *, actor: str = "customer"
    ) -> ConsentState:
        """Append a withdrawal; effective at once (and the withdrawal listeners are told)."""
        state = self._write(consent.withdraw, customer_id, purpose, channel, actor)
        for listener in self.withdrawal_listeners:
            listener(customer_id, purpose)
        return state

    def consent_state(self, customer_id: str) -> dict[str, ConsentState]:
        """Every purpose's current state (latest record; no record = not granted)."""
        return self._read(consent.states, customer_id)

    def has_consent(self, customer_id: str, purpose: str) -> bool:
        """True when the latest record for ``purpose`` is a grant."""
        consent.purpose(purpose)
        return self.consent_state(customer_id)[purpose].granted

    def consent_history(self, customer_id: str) -> list[ConsentRecordView]:
        """Every consent record of the customer, oldest first."""
        return self._read(consent.history, customer_id)

    # -- tickets, catalog, audit ------------------------------------------------------------

    def open_ticket(
        self, customer_id: str | None, topic: str, summary: str, *, actor: str = "assistant"
    ) -> TicketView:
        """Hand off to a human; ``customer_id`` None for a guest."""
        return self._write(tickets.open_ticket, customer_id, topic, summary, actor)

    def tickets_of(self, customer_id: str) -> list[TicketView]:
        """The customer's tickets, oldest first (for the subject-access export)."""
        return self._read(tickets.tickets_of, customer_id)

    def plan_catalog(self, country: str | None = None) -> list[PlanView]:
        """Catalog plans, optionally of one country (GB, ES, KE)."""
        return self._read(account.catalog, country, self.clock())

    def audit_events(self, customer_id: str | None = None) -> list[AuditEventView]:
        """Audit events, oldest first (of one customer when given)."""

        def read(session: Any) -> list[AuditEventView]:
            query = select(AuditEvent).order_by(AuditEvent.id)
            if customer_id is not None:
                query = query.where(AuditEvent.customer_id == customer_id)
            return [
                AuditEventView(
                    at=e.at,
                    actor=e.actor,
                    action=e.action,
                    customer_id=e.customer_id,
                    details=e.details,
                )
                for e in session.scalars(query)
            ]

        return self._read(read)

    def snapshot(self) -> dict[str, Any]:
        """Deterministic dump of business state, for end-state comparison and seed tests."""
        return self._read(snapshot)
