"""Markdown/HTML for the UI's panels: sources, consent and change cards, account, consent state.

Every text comes from ``ui.i18n`` in the customer's language; every value that comes from a
document, the database or the customer is HTML-escaped here (Gradio sanitises too, but the
cards must not depend on that).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from html import escape
from typing import Any

from assistant.i18n import consent_notice, localize_each
from assistant.replies import Citation, PendingConfirmation, PendingConsent
from ui.i18n import Locale


def sources_html(citations: Iterable[Citation], loc: Locale) -> str:
    """Numbered sources the reader can open: one <details> per citation."""
    blocks = []
    for c in citations:
        section = f" — {escape(c.section)}" if c.section else ""
        document = loc.t("source_document", doc=escape(c.doc_id), version=c.version)
        blocks.append(
            f'<details class="vela-source"><summary>[{c.number}] {escape(c.title)}{section}'
            f"</summary><blockquote>{escape(c.snippet)}</blockquote>"
            f"<small>{document}</small></details>"
        )
    if not blocks:
        return ""
    heading = escape(loc.t("sources"))
    return f'\n\n<div class="vela-sources"><strong>{heading}</strong>' + "".join(blocks) + "</div>"


def consent_card(pending: PendingConsent, loc: Locale) -> str:
    """The inline consent request: purpose, notice and its version, in the customer's language."""
    title, notice = consent_notice(pending.version, loc.lang, pending.title, pending.notice)
    return (
        f"### {loc.t('consent_heading')}\n"
        + loc.t("consent_notice_line", title=escape(title), version=escape(pending.version))
        + f"\n\n{escape(notice)}\n\n{loc.t('consent_choose')}"
    )


#: Quote notes the card's own lines already state (in the customer's format and with tax as
#: they pay it): repeating them would show a net price or an ISO date beside the real one.
SHOWN_ABOVE = frozenset(
    {
        "note.minimum_term_until",
        "note.prices_exclude_tax",
        "note.early_termination_fee",
        "note.upgrade_today",
        "note.change_on_date",
    }
)


def _text(q: Mapping[str, Any], key: str, default: str = "") -> str:
    return escape(str(q.get(key) or default))


def _nonzero(value: Any) -> bool:
    return str(value or "0").strip("0.,") != ""


def _plan_change_lines(q: Mapping[str, Any], loc: Locale) -> list[str]:
    """What matters first: the plan, the price they will pay, the new minimum term and the
    fee for leaving early; then the charge now and the start date; then the fine print."""
    cur = str(q.get("currency", ""))
    includes = bool(q.get("price_includes_tax", True))
    # The plan's name only: an internal plan id is never shown to a customer.
    to_name = _text(q, "to_plan_name")
    lines = [
        loc.t(
            "change_what",
            to=to_name,
            from_=_text(q, "from_plan_name"),
            line=_text(q, "msisdn_masked"),
        ),
        "- "
        + loc.t(
            "change_price",
            price=loc.price(q.get("new_monthly_price"), cur, includes, monthly=True),
            old=loc.price(q.get("old_monthly_price"), cur, includes, monthly=True),
        ),
    ]
    if q.get("contract_end"):
        lines.append("- " + loc.t("change_term", date=loc.day(q.get("contract_end"))))
    else:
        lines.append("- " + loc.t("change_no_term"))
    if _nonzero(q.get("fees")):
        lines.append("- " + loc.t("change_fee", amount=loc.price(q.get("fees"), cur, includes)))
    if _nonzero(q.get("proration")):
        lines.append(
            "- " + loc.t("change_proration", amount=loc.price(q.get("proration"), cur, includes))
        )
    lines.append("- " + loc.t("change_effective", date=loc.day(q.get("effective_date"))))
    texts = [str(note) for note in q.get("notes") or []]
    codes = q.get("note_codes") or []
    notes = localize_each(texts, codes, loc.lang)
    for index, note in enumerate(notes):
        code = (
            codes[index].get("code")
            if index < len(codes) and isinstance(codes[index], Mapping)
            else None
        )
        if code not in SHOWN_ABOVE:  # a term the lines above do not state yet
            lines.append(f"- {escape(note)}")
    return lines


def _addon_lines(q: Mapping[str, Any], loc: Locale) -> list[str]:
    raw = q.get("addon")
    addon = raw if isinstance(raw, Mapping) else {}
    cur = str(q.get("currency", ""))
    includes = bool(addon.get("price_includes_tax", q.get("price_includes_tax", True)))
    charged = loc.t("addon_next_bill" if q.get("charged_to") == "next_bill" else "addon_prepaid")
    return [
        loc.t("addon_what", name=_text(addon, "name"), line=_text(q, "msisdn_masked")),
        "- "
        + loc.t("addon_price", price=loc.price(q.get("price"), cur, includes), charged=charged),
        "- "
        + loc.t(
            "addon_valid", start=loc.moment(q.get("valid_from")), end=loc.moment(q.get("valid_to"))
        ),
    ]


def _payment_lines(q: Mapping[str, Any], loc: Locale) -> tuple[str, list[str]]:
    """A payment, VelaPesa request or promise to pay: the amount and how, first."""
    cur = str(q.get("currency", ""))
    today = date.min  # a card names the bill's month with its year
    raw = q.get("allocations")
    bills = raw if isinstance(raw, Mapping) else {}
    lines = [
        "- " + loc.t("payment_bill", period=loc.month(str(p), today), amount=loc.amount(a, cur))
        for p, a in sorted(bills.items())
    ]
    raw_method = q.get("method")
    method = raw_method if isinstance(raw_method, Mapping) else {}
    amount = loc.amount(q.get("amount"), cur)
    if q.get("kind") == "arrangement":
        lines.insert(0, loc.t("promise_what", amount=amount, date=loc.day(q.get("pay_by"))))
        return loc.t("promise_heading"), lines
    last4 = _text(method, "last4")
    if q.get("kind") == "velapesa":
        lines.insert(0, loc.t("velapesa_what", amount=amount, last4=last4))
        return loc.t("velapesa_heading"), lines
    lines.insert(0, loc.t("payment_what", amount=amount, method=_text(method, "label"),
                          last4=last4))  # fmt: skip
    if q.get("lifts_suspension"):
        lines.append("- " + loc.t("payment_reconnects"))
    return loc.t("payment_heading"), lines


def change_card(pending: PendingConfirmation, loc: Locale) -> str:
    """The confirmation card of a pending write: what changes and what it costs first."""
    q = pending.quote
    if pending.action == "change_plan" or "to_plan_id" in q:
        heading, lines = loc.t("change_heading"), _plan_change_lines(q, loc)
    elif q.get("kind") in ("payment", "velapesa", "arrangement"):
        heading, lines = _payment_lines(q, loc)
    else:
        heading, lines = loc.t("addon_heading"), _addon_lines(q, loc)
    until = ""
    if q.get("expires_at"):
        until = " " + loc.t("valid_until", time=loc.moment(q.get("expires_at")))
    return f"### {heading}\n" + "\n".join(lines) + f"\n\n{loc.t('nothing_changes')}{until}"


def consent_line(state: Any, current_version: str, loc: Locale) -> str:
    """One purpose's current state, e.g. 'Granted since 20 Nov 2026 (notice AD-2026.09)'."""
    if state is None or (not state.granted and state.since is None):
        return loc.t("consent_not_granted")
    if not state.granted:
        return loc.t("consent_withdrawn", date=loc.day(state.since))
    line = loc.t(
        "consent_granted", date=loc.day(state.since), version=escape(str(state.notice_version))
    )
    if state.notice_version != current_version:
        line += " " + loc.t("consent_changed")
    return line


def _gb(mb: int | float) -> str:
    return f"{mb / 1024:.1f}"


def _usage_line(u: Any, loc: Locale) -> str:
    used = _gb(u.data_used_mb)
    if u.data_allowance_mb is None:
        data = loc.t("usage_data_unlimited", used=used)
    else:
        data = loc.t(
            "usage_data", used=used, allowance=_gb(u.data_allowance_mb), percent=u.data_used_percent
        )
    if u.minutes_allowance is None:
        minutes = loc.t("usage_minutes_unlimited", used=u.minutes_used)
    else:
        minutes = loc.t("usage_minutes", used=u.minutes_used, allowance=u.minutes_allowance)
    if loc.lang == "es":
        data = data.replace(".", ",")  # the decimal comma
    heading = loc.t("usage", line=escape(u.msisdn_masked), date=loc.day(u.cycle_ends))
    return f"\n{heading} {data}; {minutes}"


def account_panel(overview: Any, usage: Iterable[Any], loc: Locale, today: date) -> str:
    """Plan, what there is to pay, and this cycle's usage, for a customer who gave consent.

    It agrees with itself: a bill already paid is not shown as a balance of zero beside an
    overdue amount, and a minimum term that ended is not shown as a term.
    """
    cur = overview.currency
    billing = loc.t("billing_prepaid" if overview.billing_type == "prepaid" else "billing_postpaid")
    parts = [f"### {loc.t('account_heading')}\n**{escape(overview.customer.name)}** · {billing}"]
    includes = overview.billing_type == "prepaid"
    for line in overview.lines:
        extras = []
        if line.contract_end and line.contract_end >= today:
            extras.append(loc.t("account_term", date=loc.day(line.contract_end)))
        if line.pending_plan_id and line.pending_effective_date:
            extras.append(loc.t("account_pending", date=loc.day(line.pending_effective_date)))
        price = loc.price(line.monthly_price, cur, includes, monthly=True)
        row = loc.t(
            "account_line",
            plan=escape(line.plan_name),
            line=escape(line.msisdn_masked),
            price=price,
        )
        parts.append(f"- {row}" + (f" ({'; '.join(extras)})" if extras else ""))
    bill = overview.latest_bill
    if bill is not None:
        total = loc.amount(bill.total, bill.currency)
        paid = f", {loc.t('bill_paid')}" if bill.balance_due <= 0 else ""
        parts.append(
            "\n" + loc.t("latest_bill", period=loc.month(bill.period, today), total=total) + paid
        )
        overdue_periods = {b.period for b in overview.overdue_bills}
        if bill.balance_due > 0 and bill.period not in overdue_periods:
            due = loc.amount(bill.balance_due, bill.currency)
            parts.append("\n" + loc.t("bill_due", amount=due, date=loc.day(bill.due_date)))
    if overview.prepaid_balance is not None:
        parts.append(
            "\n" + loc.t("prepaid_balance", amount=loc.amount(overview.prepaid_balance, cur))
        )
    if overview.arrears and overview.arrears > 0:
        parts.append("\n" + loc.t("overdue", amount=loc.amount(overview.arrears, cur)))
    parts += [_usage_line(u, loc) for u in usage]
    return "\n".join(parts)
