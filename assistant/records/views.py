"""Read models returned by the Records facade: frozen, documented, JSON-ready.

Every view serialises with ``model_dump(mode="json")`` (Decimals become strings, dates ISO
strings). Phone numbers only ever appear masked.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class View(BaseModel):
    """Base of every view: immutable and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class TextCode(View):
    """The form of an English text the records layer wrote, for a reply to say it in the
    customer's language: a stable code and the values filled into it."""

    code: str = Field(description="Stable code of the text's form, e.g. 'reason.arrears'.")
    values: dict[str, str] = Field(
        description="Values in the text: names, ISO dates, amounts as plain numbers, currency."
    )


class CustomerView(View):
    """Who the signed-in customer is."""

    id: str = Field(description="Customer id, e.g. C-1001.")
    name: str = Field(description="Full name, or company name for business customers.")
    contact_name: str | None = Field(description="Named contact of a business customer.")
    email: str = Field(description="Sign-in e-mail address.")
    segment: Literal["consumer", "business"] = Field(description="Customer segment.")
    country: Literal["GB", "ES", "KE"] = Field(description="Country of the account.")
    language: Literal["en", "es"] = Field(description="Preferred language.")
    currency: str = Field(description="Currency of the account: GBP, EUR or KES.")


class PlanView(View):
    """A catalog plan."""

    id: str = Field(description="Catalog plan id.")
    name: str = Field(description="Plan name.")
    country: str = Field(description="Country where it is sold.")
    currency: str = Field(description="Currency of the price.")
    segment: str = Field(description="consumer or business.")
    billing: str = Field(description="postpaid or prepaid.")
    monthly_price: Decimal = Field(description="Price per month.")
    price_includes_tax: bool = Field(description="True for prepaid; postpaid prices exclude tax.")
    data_gb: Decimal | None = Field(description="Data allowance in GB; null = unlimited.")
    minutes: int | None = Field(description="Minutes allowance; null = unlimited.")
    sms: int | None = Field(description="SMS allowance; null = unlimited.")
    roaming_zones: list[str] = Field(description="Roaming zones included at no extra cost.")
    five_g: bool = Field(description="5G access.")
    contract_months: int = Field(description="Minimum term in months; 0 = none.")
    early_termination_percent: int = Field(description="Share of remaining fees due on leaving.")
    on_sale: bool = Field(description="Whether the plan can be chosen today.")


class LineView(View):
    """A line on the account with its current plan."""

    line_id: str = Field(description="Line id, used to name a line in other calls.")
    msisdn_masked: str = Field(description="Masked phone number.")
    status: Literal["active", "suspended"] = Field(description="Line status.")
    suspension_reason: str | None = Field(description="Why the line is suspended, if it is.")
    plan_id: str = Field(description="Current plan id.")
    plan_name: str = Field(description="Current plan name.")
    monthly_price: Decimal = Field(description="Current plan monthly price.")
    contract_end: date | None = Field(description="End of the minimum term; null = none.")
    in_minimum_term: bool = Field(description="True while the minimum term runs.")
    pending_plan_id: str | None = Field(description="Plan scheduled to start later, if any.")
    pending_effective_date: date | None = Field(description="When the scheduled plan starts.")


class BillSummary(View):
    """One bill in a list."""

    period: str = Field(description="Billing period YYYY-MM.")
    issue_date: date = Field(description="Issue date.")
    due_date: date = Field(description="Due date.")
    status: Literal["issued", "paid", "overdue"] = Field(description="Status as of today.")
    currency: str = Field(description="Currency.")
    total: Decimal = Field(description="Total including tax.")
    amount_paid: Decimal = Field(description="Paid so far.")
    balance_due: Decimal = Field(description="Still to pay.")


class AccountOverview(View):
    """The customer's account at a glance."""

    customer: CustomerView = Field(description="The customer.")
    account_id: str = Field(description="Billing account id.")
    billing_type: Literal["postpaid", "prepaid"] = Field(description="postpaid or prepaid.")
    status: Literal["active", "suspended"] = Field(description="Account status.")
    currency: str = Field(description="Account currency.")
    prepaid_balance: Decimal | None = Field(description="Prepaid balance; null for postpaid.")
    lines: list[LineView] = Field(description="Lines on the account, primary first.")
    latest_bill: BillSummary | None = Field(description="Most recent bill; null for prepaid.")
    overdue_bills: list[BillSummary] = Field(description="Bills past their due date and unpaid.")
    arrears: Decimal = Field(description="Total owed on overdue bills.")


class BillItemView(View):
    """One line of a bill."""

    category: str = Field(description="plan_fee, addon, roaming, out_of_bundle, ..., tax.")
    description: str = Field(description="What the charge is.")
    description_code: TextCode | None = Field(
        default=None, description="The description's form; null for a text of no known form."
    )
    amount: Decimal = Field(description="Signed amount; discounts and credits are negative.")
    line_id: str | None = Field(description="Line charged; null for account-level items.")
    msisdn_masked: str | None = Field(description="Masked number of that line.")


class BillView(BillSummary):
    """A bill with all its items."""

    subtotal: Decimal = Field(description="Before tax.")
    tax: Decimal = Field(description="Tax charged.")
    tax_name: str = Field(description="e.g. VAT 20%.")
    items: list[BillItemView] = Field(description="Items, in bill order.")


class CategoryDelta(View):
    """How one category changed between two bills."""

    category: str = Field(description="Bill category.")
    amount_prev: Decimal = Field(description="Amount on the previous bill.")
    amount_now: Decimal = Field(description="Amount on this bill.")
    delta: Decimal = Field(description="amount_now - amount_prev.")
    text: str = Field(description="Human form, e.g. 'roaming +£38.40'.")


class BillExplanation(View):
    """Why a bill differs from the previous one, biggest drivers first."""

    period: str = Field(description="The bill explained.")
    previous_period: str | None = Field(description="The bill compared with; null if first.")
    currency: str = Field(description="Currency.")
    total_now: Decimal = Field(description="Total of this bill.")
    total_prev: Decimal | None = Field(description="Total of the previous bill.")
    delta: Decimal = Field(description="Difference in total.")
    drivers: list[CategoryDelta] = Field(description="Changed categories, largest change first.")
    details: list[str] = Field(description="Items behind the top drivers, e.g. roaming lines.")
    detail_items: list[BillItemView] = Field(
        default_factory=list, description="The items behind ``details``, in the same order."
    )
    summary: str = Field(description="One-sentence explanation.")


class PaymentView(View):
    """A payment received."""

    period: str = Field(description="Bill period the payment was for.")
    amount: Decimal = Field(description="Amount.")
    currency: str = Field(description="Currency.")
    method: str = Field(description="direct_debit, card, bank_transfer or mpesa.")
    paid_on: date = Field(description="Date received.")
    reference_masked: str = Field(description="Masked payment reference.")


class LineUsage(View):
    """Use of one line in the current cycle against its allowances."""

    line_id: str = Field(description="Line id.")
    msisdn_masked: str = Field(description="Masked phone number.")
    cycle: str = Field(description="Billing cycle YYYY-MM.")
    cycle_ends: date = Field(description="Last day of the cycle.")
    plan_id: str = Field(description="Plan the allowances come from.")
    data_used_mb: int = Field(description="Domestic data used, MB.")
    data_allowance_mb: int | None = Field(description="Plan + add-on data, MB; null = unlimited.")
    data_used_percent: int | None = Field(description="Share of data used; null if unlimited.")
    minutes_used: int = Field(description="Minutes used.")
    minutes_allowance: int | None = Field(description="null = unlimited.")
    sms_used: int = Field(description="Texts sent.")
    sms_allowance: int | None = Field(description="null = unlimited.")
    roaming_mb: dict[str, int] = Field(description="Roaming data by zone (EU, EA, Z1, Z2), MB.")
    roaming_included_zones: list[str] = Field(description="Zones included in the plan.")


class PlanOption(View):
    """A plan the customer could move to, with every reason it is refused (if it is)."""

    plan: PlanView = Field(description="The plan.")
    eligible: bool = Field(description="True when every rule passes.")
    reasons: list[str] = Field(description="Every failing rule, human-readable; empty if eligible.")
    reason_codes: list[TextCode] = Field(
        default_factory=list, description="The form of each of ``reasons``, in the same order."
    )
    direction: Literal["upgrade", "downgrade"] = Field(description="Relative to the current plan.")
    monthly_difference: Decimal = Field(description="New minus current monthly price.")
    early_termination_fee: Decimal = Field(description="Fee for leaving the term early; 0 if none.")
    contract_end: date | None = Field(description="End of the current minimum term, if any.")
    line_id: str = Field(description="Line the option is for.")


class PlanChangeQuote(View):
    """A priced, stored offer to change a line's plan; valid until ``expires_at``."""

    quote_id: str = Field(description="Quote id to apply or cancel.")
    line_id: str = Field(description="Line the change is for.")
    msisdn_masked: str = Field(description="Masked number of that line.")
    line_defaulted: bool = Field(
        description="True when no line was named and the primary was used."
    )
    from_plan_id: str = Field(description="Current plan id.")
    from_plan_name: str = Field(description="Current plan name.")
    to_plan_id: str = Field(description="New plan id.")
    to_plan_name: str = Field(description="New plan name.")
    old_monthly_price: Decimal = Field(description="Current monthly price.")
    new_monthly_price: Decimal = Field(description="New monthly price.")
    currency: str = Field(description="Currency.")
    price_includes_tax: bool = Field(description="False for postpaid (tax added on the bill).")
    direction: Literal["upgrade", "downgrade"] = Field(description="Upgrade or downgrade.")
    proration: Decimal = Field(description="One-off charge for the rest of this cycle.")
    fees: Decimal = Field(description="Early-termination fee.")
    effective_date: date = Field(description="When the new plan starts.")
    contract_end: date | None = Field(description="End of the minimum term after the change.")
    expires_at: datetime = Field(description="The quote cannot be applied after this.")
    notes: list[str] = Field(description="Plain-language terms to tell the customer.")
    note_codes: list[TextCode] = Field(
        default_factory=list, description="The form of each of ``notes``, in the same order."
    )


class ChangeResult(View):
    """Outcome of applying a quote."""

    kind: Literal["plan_change", "addon"] = Field(description="What was applied.")
    reference: str = Field(description="Confirmation reference, PC-... or AO-....")
    quote_id: str = Field(description="The quote applied.")
    line_id: str = Field(description="Line changed.")
    effective_date: date = Field(description="When it takes effect.")
    already_applied: bool = Field(description="True when this quote had been applied before.")
    message: str = Field(description="Plain-language confirmation.")


class AddonView(View):
    """A catalog add-on."""

    id: str = Field(description="Add-on id.")
    name: str = Field(description="Name.")
    kind: str = Field(description="data, roaming_day or roaming_bundle.")
    price: Decimal = Field(description="Price.")
    currency: str = Field(description="Currency.")
    price_includes_tax: bool = Field(description="True for prepaid customers.")
    data_gb: Decimal | None = Field(description="Data included, GB.")
    zone: str | None = Field(description="Roaming zone covered.")
    validity_days: int = Field(description="Days it lasts.")


class AddonQuote(View):
    """A priced, stored offer to buy an add-on; valid until ``expires_at``."""

    quote_id: str = Field(description="Quote id to apply or cancel.")
    line_id: str = Field(description="Line it is for.")
    msisdn_masked: str = Field(description="Masked number of that line.")
    line_defaulted: bool = Field(description="True when no line was named.")
    addon: AddonView = Field(description="The add-on.")
    price: Decimal = Field(description="Price charged.")
    currency: str = Field(description="Currency.")
    charged_to: Literal["next_bill", "prepaid_balance"] = Field(description="How it is paid.")
    valid_from: datetime = Field(description="Start of validity if applied now.")
    valid_to: datetime = Field(description="End of validity if applied now.")
    expires_at: datetime = Field(description="The quote cannot be applied after this.")


class ConsentPurpose(View):
    """A purpose the assistant may ask consent for, with its notice."""

    purpose: str = Field(description="Purpose key.")
    title: str = Field(description="Short title.")
    notice: str = Field(description="Plain-language notice to show before asking.")
    version: str = Field(description="Current notice version, quoted when granting.")


class ConsentState(View):
    """Current state of one purpose for one customer (the latest record)."""

    purpose: str = Field(description="Purpose key.")
    granted: bool = Field(description="True when the latest record is a grant.")
    notice_version: str | None = Field(description="Notice version of the latest record.")
    channel: str | None = Field(description="Channel of the latest record.")
    since: datetime | None = Field(description="When the latest record was made.")


class ConsentRecordView(View):
    """One entry of the consent ledger."""

    purpose: str = Field(description="Purpose key.")
    action: Literal["granted", "withdrawn"] = Field(description="What happened.")
    notice_version: str = Field(description="Notice version shown.")
    channel: str = Field(description="Where.")
    at: datetime = Field(description="When.")


class TicketView(View):
    """A hand-off to a human."""

    reference: str = Field(description="Ticket reference, TK-<n>.")
    customer_id: str | None = Field(description="Customer, or null for a guest.")
    topic: str = Field(description="Topic.")
    summary: str = Field(description="Summary for the human agent.")
    status: str = Field(description="open or closed.")
    created_at: datetime = Field(description="When opened.")


class AuditEventView(View):
    """One audit-log entry."""

    at: datetime = Field(description="When.")
    actor: str = Field(description="Who acted.")
    action: str = Field(description="What was done.")
    customer_id: str | None = Field(description="Customer concerned.")
    details: dict[str, Any] = Field(description="Ids and amounts; never raw PII.")
