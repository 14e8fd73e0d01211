"""Markdown/HTML for the UI's panels: sources, consent and change cards, account, consent state.

Every value that comes from a document, the database or the customer is HTML-escaped here;
Gradio sanitises too, but the cards must not depend on that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any

from assistant.records.money import format_money
from assistant.replies import Citation, PendingConfirmation, PendingConsent


def money(amount: Any, currency: str) -> str:
    """'£35.00' from a Decimal or the string a JSON quote carries; unparsable values as given."""
    try:
        return format_money(Decimal(str(amount)), currency)
    except (InvalidOperation, ValueError):
        return escape(str(amount))


def day(value: Any) -> str:
    """'20 Nov 2026' from a date, a datetime or an ISO string."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return escape(value)
    if isinstance(value, datetime):
        value = value.date()
    return f"{value.day} {value:%b %Y}" if isinstance(value, date) else ""


def sources_html(citations: Iterable[Citation]) -> str:
    """Numbered sources the reader can open: one <details> per citation."""
    blocks = []
    for c in citations:
        section = f" — {escape(c.section)}" if c.section else ""
        blocks.append(
            f'<details class="vela-source"><summary>[{c.number}] {escape(c.title)}{section}'
            f"</summary><blockquote>{escape(c.snippet)}</blockquote>"
            f"<small>Document {escape(c.doc_id)}, version {c.version}</small></details>"
        )
    if not blocks:
        return ""
    return '\n\n<div class="vela-sources"><strong>Sources</strong>' + "".join(blocks) + "</div>"


def consent_card(pending: PendingConsent) -> str:
    """The inline consent request: purpose, notice and its version."""
    return (
        f"### May I use your account data?\n"
        f"**{escape(pending.title)}** (notice {escape(pending.version)})\n\n"
        f"{escape(pending.notice)}\n\n"
        "Choose **Allow** to let me continue, or **Not now** to keep your account private."
    )


def _text(q: Mapping[str, Any], key: str, default: str = "") -> str:
    return escape(str(q.get(key) or default))


def _plan_change_lines(q: Mapping[str, Any]) -> list[str]:
    cur = str(q.get("currency", ""))
    tax = "" if q.get("price_includes_tax", True) else " + tax"
    lines = [
        f"**{_text(q, 'to_plan_name', str(q.get('to_plan_id', '')))}** instead of "
        f"{_text(q, 'from_plan_name')} (line {_text(q, 'msisdn_masked')})",
        f"- New monthly price: **{money(q.get('new_monthly_price'), cur)}**{tax} "
        f"(now {money(q.get('old_monthly_price'), cur)})",
        f"- Charged now for the rest of this month (proration): "
        f"{money(q.get('proration', 0), cur)}",
        f"- Fees: {money(q.get('fees', 0), cur)}",
        f"- Effective date: **{day(q.get('effective_date'))}**",
    ]
    lines += [f"- {escape(str(note))}" for note in q.get("notes") or []]
    return lines


def _addon_lines(q: Mapping[str, Any]) -> list[str]:
    raw = q.get("addon")
    addon = raw if isinstance(raw, Mapping) else {}
    cur = str(q.get("currency", ""))
    charged = "your next bill" if q.get("charged_to") == "next_bill" else "your prepaid balance"
    return [
        f"**{_text(addon, 'name')}** (line {_text(q, 'msisdn_masked')})",
        f"- Price: **{money(q.get('price'), cur)}**, charged to {charged}",
        f"- Valid from {day(q.get('valid_from'))} to {day(q.get('valid_to'))}",
    ]


def _payment_lines(q: Mapping[str, Any]) -> tuple[str, list[str]]:
    cur = str(q.get("currency", ""))
    raw = q.get("allocations")
    bills = raw if isinstance(raw, Mapping) else {}
    lines = [f"- Bill {escape(str(p))}: {money(a, cur)}" for p, a in sorted(bills.items())]
    raw_method = q.get("method")
    method = raw_method if isinstance(raw_method, Mapping) else {}
    if q.get("kind") == "arrangement":
        lines.insert(0, f"**Promise to pay {money(q.get('amount'), cur)}** by "
                        f"**{day(q.get('pay_by'))}**")  # fmt: skip
        return "Confirm your promise to pay", lines
    via = f"{_text(method, 'label')} ending {_text(method, 'last4')}"
    if q.get("kind") == "velapesa":
        phone = _text(method, "last4")
        lines.insert(0, f"**{money(q.get('amount'), cur)}** by a VelaPesa request to your "
                        f"phone ending {phone}: approve it with your PIN")  # fmt: skip
        return "Confirm your VelaPesa payment", lines
    lines.insert(0, f"**{money(q.get('amount'), cur)}** with your saved {via}")
    if q.get("lifts_suspension"):
        lines.append("- Your suspended line is reconnected once this is paid")
    return "Confirm your payment", lines


def change_card(pending: PendingConfirmation) -> str:
    """The confirmation card of a pending write: plan, price, proration, fees, effective date."""
    q = pending.quote
    if pending.action == "change_plan" or "to_plan_id" in q:
        heading, lines = "Confirm your plan change", _plan_change_lines(q)
    elif q.get("kind") in ("payment", "velapesa", "arrangement"):
        heading, lines = _payment_lines(q)
    else:
        heading, lines = "Confirm your add-on", _addon_lines(q)
    expires = q.get("expires_at")
    until = f" This offer is valid until {escape(str(expires)[11:16])} UTC." if expires else ""
    return (
        f"### {heading}\n"
        + "\n".join(lines)
        + f"\n\nNothing changes until you press **Confirm**.{until}"
    )


def consent_line(state: Any, current_version: str) -> str:
    """One purpose's current state, e.g. 'Granted since 20 Nov 2026 (notice AD-2026.09)'."""
    if state is None or (not state.granted and state.since is None):
        return "**Not granted.**"
    if not state.granted:
        return f"**Withdrawn** on {day(state.since)}."
    line = f"**Granted** since {day(state.since)} (notice {escape(str(state.notice_version))})."
    if state.notice_version != current_version:
        line += " The notice has changed since; grant again to accept the new version."
    return line


def account_panel(overview: Any, usage: Iterable[Any]) -> str:
    """Plan, balance, due date and this cycle's usage, for a customer who gave consent."""
    cur = overview.currency
    parts = [f"### Your account\n**{escape(overview.customer.name)}** · {overview.billing_type}"]
    for line in overview.lines:
        term = f", minimum term to {day(line.contract_end)}" if line.contract_end else ""
        parts.append(
            f"- **{escape(line.plan_name)}** on {escape(line.msisdn_masked)}: "
            f"{money(line.monthly_price, cur)}/month{term}"
        )
    bill = overview.latest_bill
    if bill is not None:
        parts.append(
            f"\n**Latest bill** ({escape(bill.period)}): {money(bill.total, bill.currency)}, "
            f"{bill.status}\n\n**Balance due:** {money(bill.balance_due, bill.currency)}"
            f" · **due** {day(bill.due_date)}"
        )
    if overview.prepaid_balance is not None:
        parts.append(f"\n**Prepaid balance:** {money(overview.prepaid_balance, cur)}")
    if overview.arrears:
        parts.append(f"\n**Overdue:** {money(overview.arrears, cur)}")
    for u in usage:
        allowance = (
            "unlimited"
            if u.data_allowance_mb is None
            else f"{u.data_allowance_mb / 1024:.1f} GB ({u.data_used_percent}% used)"
        )
        minutes = "unlimited" if u.minutes_allowance is None else str(u.minutes_allowance)
        parts.append(
            f"\n**Usage** on {escape(u.msisdn_masked)} (cycle ends {day(u.cycle_ends)}): "
            f"data {u.data_used_mb / 1024:.1f} GB of {allowance}; "
            f"minutes {u.minutes_used} of {minutes}"
        )
    return "\n".join(parts)
