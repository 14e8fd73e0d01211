"""The payments flow of the offline engine: what is owed → a quote → confirmation → reference.

``first`` takes a signed-in customer's payment message ("pay my overdue bill", "what do I
owe?", "can I pay by the 27th?"), ``after`` reacts to the payment tools' results, and
``answer`` words them. A Kenyan customer's saved VelaPesa wallet makes the quote a VelaPesa
request. The guard pauses every write for the customer's own Confirm; nothing here can pay.
Returns None whenever the message or step is not a payment one, so the policy goes on as before.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from assistant.engine.actions import Action, Call, Hints, Say
from assistant.engine.history import Conversation, ToolStep
from assistant.engine.pay_dates import parse_day
from assistant.engine.referents import bill_category
from assistant.engine.text import fold
from assistant.engine.understand import Understanding
from assistant.i18n.formats import money

#: The payment tools (all account tools).
TOOLS = frozenset({"get_amount_owed", "quote_payment", "pay_bill", "request_velapesa_payment",
                   "quote_payment_arrangement", "set_up_payment_arrangement"})  # fmt: skip
WRITES = {"payment": "pay_bill", "velapesa": "request_velapesa_payment"}
_PAY = re.compile(
    r"\b(pay|paying|settle|clear (it|my|the)|pagar|pago|pagarla|pagala|abonar|"
    r"lipa|kulipa|lipia|(velapesa|m-?pesa) (payment )?request|payment request)\b"
)
_OWE = re.compile(
    r"\b(owe|owing|overdue|arrears|outstanding|unpaid|past due|behind on|debo|"
    r"deuda|vencid\w*|impagad\w*|pendientes? de pago|deni|nadaiwa)\b"
)
_PROMISE = re.compile(
    r"\b(extension|extend|more time|promise to pay|arrangement|postpone|"
    r"pay (it )?later|until|prorroga|mas tiempo|aplaz\w*|acuerdo de pago|"
    r"compromiso de pago|hasta el)\b"
)
#: A question about how paying works ("ugh ok. how do i pay it then"): answered, never paid.
_HOW = re.compile(
    r"\b(how (do|can|would|should|to)|how i|what happens|what if|what is|what's|whats|why|"
    r"can i|como (pago|puedo|se)|que pasa|que es|por ?que|puedo)\b"
)
_AMOUNT = re.compile(r"(?:[£€]\s?|\b(?:kes|ksh|gbp|eur)\s?)(\d+(?:[.,]\d+)?)|\b(\d+[.,]\d+)\b")
_MONTHS = {"en": ("January February March April May June July August September October "
                  "November December").split(),
           "es": ("enero febrero marzo abril mayo junio julio agosto septiembre octubre "
                  "noviembre diciembre").split()}  # fmt: skip
#: Refusals the policy answers for every tool alike.
_GENERAL_ERRORS = frozenset({"consent_required", "not_signed_in", "refused"})
#: Intents a payment message may get ("payments" is the history: never routed here).
_ROUTED = frozenset({"pay_bill", "account_overview", "bill", "knowledge"})


@cache
def _table() -> dict[str, dict[str, str]]:
    source = resources.files("assistant.engine").joinpath("data", "payments.yaml")
    return yaml.safe_load(source.read_text("utf-8"))


def say(lang: str, key: str, **values: Any) -> str:
    """A payments reply in ``lang`` (English if missing)."""
    table = _table()
    return (table.get(lang, {}).get(key) or table["en"][key]).format(**values)


def day_text(value: Any, lang: str) -> str:
    """'2026-11-14' -> '14 November 2026' / '14 de noviembre de 2026'."""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    month = _MONTHS["es" if lang == "es" else "en"][day.month - 1]
    return (
        f"{day.day} de {month} de {day.year}" if lang == "es" else f"{day.day} {month} {day.year}"
    )


def kind_of(u: Understanding) -> str | None:
    """'promise', 'pay' or 'owed' for a payment message, else None."""
    text = fold(u.text)
    pay, owe, how = _PAY.search(text), _OWE.search(text), _HOW.search(text)
    if u.intent not in _ROUTED:
        return None
    if pay and not owe and bill_category(text) and re.search(r"\bpa(y|ying|id) for\b", text):
        return None  # "how many cloud seats are we paying for?" asks about a charge
    if _PROMISE.search(text) and (pay or owe or u.intent == "pay_bill"):
        return "promise"
    if pay and not how:
        return "pay"
    if owe and not (how and u.intent == "knowledge"):
        return "owed"
    return "owed" if u.intent == "pay_bill" else None


def first(u: Understanding, convo: Conversation, hints: Hints, today: date) -> Action | None:
    """The first step of a signed-in customer's payment message, else None."""
    if hints.signed_in is False:
        return None  # guests: the policy invites them to sign in
    if u.intent == "confirm" and _offered(convo):
        return Call("quote_payment", {})
    kind = kind_of(u)
    if kind == "promise":
        day = parse_day(u.text, today)
        if day is not None:
            return Call("quote_payment_arrangement", {"pay_by": day.isoformat()})
    return Call("get_amount_owed", {}) if kind else None


def _offered(convo: Conversation) -> bool:
    """True when the previous answer showed what is owed and offered to pay it."""
    if not convo.past or not convo.past[-1].steps:
        return False
    last = convo.past[-1].steps[-1]
    owed = last.result if last.name == "get_amount_owed" and last.ok else {}
    return (
        bool(owed)
        and owed.get("total_due") not in ("0.00", "0")
        and bool(owed.get("saved_methods"))
    )


def after(u: Understanding, steps: list[ToolStep]) -> Action | None:
    """The next step after a payment tool's result, else None (not a payment step)."""
    last = steps[-1]
    if last.name not in TOOLS or last.error in _GENERAL_ERRORS:
        return None  # consent refused, not signed in...: answered like any other tool's
    result = last.result if isinstance(last.result, dict) else {}
    if last.name == "get_amount_owed" and last.ok and kind_of(u) == "pay" and _payable(result):
        args: dict[str, Any] = {}
        if u.period and any(b.get("period") == u.period for b in result.get("bills", [])):
            args["period"] = u.period
        amount = _amount(u.text)
        if amount:
            args["amount"] = amount
        return Call("quote_payment", args)
    if last.name == "quote_payment" and last.ok and len(steps) < 4:
        return Call(WRITES.get(str(result.get("kind")), "pay_bill"),
                    {"quote_id": str(result.get("quote_id", ""))})  # fmt: skip
    if last.name == "quote_payment_arrangement" and last.ok and len(steps) < 4:
        return Call("set_up_payment_arrangement", {"quote_id": str(result.get("quote_id", ""))})
    return Say(answer(u, last))


def _payable(owed: dict[str, Any]) -> bool:
    return owed.get("total_due") not in (None, "0", "0.00") and bool(owed.get("saved_methods"))


def _amount(text: str) -> str | None:
    """An amount the customer names ('£5.50', '5,50 €', 'KES 500'), as written."""
    match = _AMOUNT.search(text.lower())
    if match is None:
        return None
    return (match.group(1) or match.group(2)).replace(",", ".")


def answer(u: Understanding, step: ToolStep) -> str:
    """The reply to a payment tool's result (or refusal)."""
    lang, result = u.lang, step.result if isinstance(step.result, dict) else {}
    if result.get("status") == "cancelled":
        return say(lang, "cancelled")
    if step.error:
        latest = day_text(result.get("latest", ""), lang)
        return _refusal(lang, str(result.get("message", "")), latest)
    if step.name == "get_amount_owed":
        return _owed(lang, result, kind_of(u), day_text(result.get("promise_latest"), lang))
    if step.name in WRITES.values() or step.name == "set_up_payment_arrangement":
        return _done(lang, result)
    return say(lang, "refused", message=str(result.get("message", "")))


def _refusal(lang: str, message: str, latest: str) -> str:
    if "two decimals" in message:
        return say(lang, "refused_decimals")
    if "more than" in message:
        return say(lang, "refused_too_much", message=message)
    if "at the latest" in message:
        return say(lang, "refused_too_late", latest=latest)
    return say(lang, "refused", message=message)


def _owed(lang: str, owed: dict[str, Any], kind: str | None, latest: str) -> str:
    if owed.get("billing_type") == "prepaid":
        return say(lang, "prepaid")
    cur = owed.get("currency")
    bills = owed.get("bills") or []
    if not bills:
        return say(lang, "nothing_owed")
    parts = [say(lang, "owed_total", total=money(owed.get("total_due"), cur, lang))]
    for bill in bills:
        key = "owed_overdue" if bill.get("status") == "overdue" else "owed_issued"
        parts.append(say(lang, key, period=bill.get("period"), due=day_text(bill["due_date"], lang),
                         amount=money(bill.get("balance_due"), cur, lang),
                         suspend=day_text(bill["suspension_date"], lang)))  # fmt: skip
    if owed.get("suspended_for_non_payment"):
        parts.append(say(lang, "suspended_ours"))
    if owed.get("other_suspensions"):
        parts.append(say(lang, "suspended_other"))
    promise = owed.get("arrangement")
    if isinstance(promise, dict):
        parts.append(say(lang, "promise_open", amount=money(promise.get("amount"), cur, lang),
                         date=day_text(promise.get("pay_by"), lang),
                         reference=promise.get("reference")))  # fmt: skip
    methods = owed.get("saved_methods") or []
    if kind == "promise" and not promise:
        parts.append(say(lang, "promise_need_date", latest=latest))
        return " ".join(parts)
    if not methods:
        parts.append(say(lang, "offer_none"))
    else:
        method = methods[0]
        key = "offer_velapesa" if method.get("kind") == "velapesa" else "offer_card"
        parts.append(say(lang, key, amount=money(owed.get("total_due"), cur, lang),
                         label=method.get("label"), last4=method.get("last4")))  # fmt: skip
    if any(b.get("status") == "overdue" for b in bills) and not promise:
        parts.append(say(lang, "promise_hint", latest=latest))
    return " ".join(parts)


def _done(lang: str, result: dict[str, Any]) -> str:
    cur = result.get("currency")
    amount = money(result.get("amount"), cur, lang)
    if result.get("kind") == "arrangement":
        return say(lang, "promise_agreed", amount=amount, reference=result.get("reference"),
                   date=day_text(result.get("pay_by"), lang))  # fmt: skip
    raw = result.get("method")
    method: dict[str, Any] = raw if isinstance(raw, dict) else {}
    key = "paid_velapesa" if result.get("kind") == "velapesa" else "paid"
    parts = [say(lang, key, amount=amount, reference=result.get("reference"),
                 label=method.get("label", ""), last4=method.get("last4", ""))]  # fmt: skip
    if result.get("lines_restored"):
        parts.append(say(lang, "restored"))
    remaining = result.get("remaining_due")
    if remaining in ("0", "0.00"):
        parts.append(say(lang, "all_paid"))
    else:
        parts.append(say(lang, "still_owed", amount=money(remaining, cur, lang)))
    return " ".join(parts)
