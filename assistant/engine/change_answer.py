"""Replies about changes: quotes, applied or cancelled changes, tickets and refusals.

Quote notes and refusal reasons are written by the records layer in English; they are said in
the customer's language by their codes (``assistant.i18n``).
"""

from __future__ import annotations

from typing import Any

from assistant.engine.safety import clean
from assistant.engine.templates import say
from assistant.i18n import localize_each, money


def render_plan_quote(quote: dict[str, Any], lang: str, *, ask: bool = True) -> str:
    """A plan-change quote: price, proration, fees, effective date, then the question."""
    currency = quote.get("currency")
    fees = quote.get("fees")
    has_fees = fees not in (None, "0", "0.00", 0)
    text = say(
        lang, "quote",
        line=quote.get("msisdn_masked", ""),
        from_plan=quote.get("from_plan_name", ""),
        plan=quote.get("to_plan_name") or quote.get("to_plan_id", ""),
        price=money(quote.get("new_monthly_price"), currency, lang),
        tax="" if quote.get("price_includes_tax", True) else say(lang, "quote_tax_excluded"),
        proration=money(quote.get("proration"), currency, lang),
        fees=say(lang, "quote_fees", fees=money(fees, currency, lang)) if has_fees else "",
        effective=quote.get("effective_date"),
        contract=(say(lang, "quote_contract", contract_end=quote["contract_end"])
                  if quote.get("contract_end") else ""),
    )
    said = localize_each(quote.get("notes"), quote.get("note_codes"), lang)
    notes = " ".join(c for c in (clean(n) for n in said) if c)
    parts = [text, notes, say(lang, "quote_ask") if ask else ""]
    return " ".join(p for p in parts if p)


def render_addon_quote(quote: dict[str, Any], lang: str, *, ask: bool = True) -> str:
    """An add-on quote: name, price, validity and how it is paid."""
    addon = quote.get("addon") or {}
    charged = quote.get("charged_to")
    text = say(
        lang, "addon_quote",
        addon=addon.get("name", ""),
        price=money(quote.get("price"), quote.get("currency"), lang),
        tax="" if addon.get("price_includes_tax", True) else say(lang, "quote_tax_excluded"),
        valid_from=quote.get("valid_from"), valid_to=quote.get("valid_to"),
        line=quote.get("msisdn_masked", ""),
        charged_to=say(lang, f"charged_to_{charged}") if charged in (
            "next_bill", "prepaid_balance") else str(charged or ""),
    )
    return f"{text} {say(lang, 'quote_ask')}" if ask else text


def render_applied(result: dict[str, Any], lang: str, name: str) -> str:
    """A confirmed change (or a cancellation) with its reference and effective date."""
    if result.get("status") == "cancelled":
        return say(lang, "cancelled")
    key = "change_done" if result.get("kind") == "plan_change" else "addon_done"
    if not name:
        key = "change_done_generic"
    text = say(lang, key, plan=name, addon=name, reference=result.get("reference"),
               effective=result.get("effective_date"))
    if result.get("already_applied"):
        text += " " + say(lang, "already_applied")
    return text


def render_ticket(result: dict[str, Any], lang: str) -> str:
    """The hand-off confirmation with its ticket reference."""
    return say(lang, "handoff_done", reference=result.get("reference"))


def render_error(result: dict[str, Any], lang: str) -> str:
    """A refusal from the tool layer, explained plainly with a way forward."""
    code = str(result.get("error"))
    message = clean(str(result.get("message") or "")).rstrip(".")
    if code == "not_eligible":
        said = localize_each(result.get("reasons"), result.get("reason_codes"), lang)
        reasons = "; ".join(c for c in (clean(r) for r in said) if c)
        reasons = reasons or message
        return f"{say(lang, 'not_eligible', reasons=reasons)} {say(lang, 'not_eligible_next')}"
    if code in ("not_signed_in", "consent_required", "quote_expired", "conflict", "refused"):
        return say(lang, code)
    if code in ("not_found", "invalid_input"):
        return say(lang, code, message=message)
    return say(lang, "error", message=message or code)
