"""Turn account tool results into short, friendly replies with the results' exact figures.

Each renderer takes the JSON a tool returned (see ``assistant/records/views.py``) and reads it
defensively: a missing field drops a clause rather than failing the turn. Free text from a
result (item descriptions, reasons, summaries) is data: text that reads like instructions to
the assistant or carries an outside link is left out (``safety.clean``). Texts the records
layer wrote in English are said in the customer's language by their codes (``assistant.i18n``).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from assistant.engine.referents import bill_category
from assistant.engine.safety import clean
from assistant.engine.templates import bullets, join, say
from assistant.engine.text import fold
from assistant.i18n import localize, localize_each, money, term


def _status(lang: str, status: Any) -> str:
    key = f"status_{status}"
    return say(lang, key) if status in ("paid", "issued", "overdue") else str(status or "")


#: A question about money owed: the answer leads with the overdue bills.
_OWED = re.compile(r"\b(owe\w*|overdue|unpaid|debt|arrears|late|outstanding|pay\w*|due|"
                   r"debo|debe\w*|deuda|vencid\w*|impagad\w*|pendiente\w*|pag\w*|"
                   r"deni|nilipe|kulipa|lipa)\b")


def render_overview(data: dict[str, Any], lang: str, question: str = "") -> str:
    """Account overview: lines and plans, latest bill, balance, arrears (first, when the
    question is about money owed)."""
    currency = data.get("currency")
    lines = []
    for line in data.get("lines") or []:
        number = line.get("msisdn_masked", "")
        if line.get("status") == "suspended":
            lines.append(say(lang, "overview_suspended", number=number,
                             reason=term(line.get("suspension_reason") or "-", lang)))
            continue
        contract = ""
        if line.get("contract_end") and line.get("in_minimum_term"):
            contract = say(lang, "overview_contract", date=line["contract_end"])
        lines.append(say(lang, "overview_line", number=number, plan=line.get("plan_name", ""),
                         price=money(line.get("monthly_price"), currency, lang),
                         contract=contract))
    parts = [say(lang, "overview", lines=join(lines, lang))] if lines else []
    bill = data.get("latest_bill")
    if isinstance(bill, dict):
        parts.append(say(lang, "overview_bill", period=bill.get("period"),
                         total=money(bill.get("total"), bill.get("currency", currency), lang),
                         due=bill.get("due_date"), status=_status(lang, bill.get("status"))))
    if data.get("prepaid_balance") is not None:
        parts.append(say(lang, "overview_balance",
                         balance=money(data["prepaid_balance"], currency, lang)))
    overdue = [b for b in data.get("overdue_bills") or [] if isinstance(b, dict)]
    if overdue and data.get("arrears") not in (None, "0", "0.00"):
        bills = [say(lang, "overview_overdue_bill", period=b.get("period"),
                     amount=money(b.get("balance_due", b.get("total")), currency, lang),
                     due=b.get("due_date")) for b in overdue]
        arrears = say(lang, "overview_arrears", arrears=money(data["arrears"], currency, lang),
                      bills=join(bills, lang))
        if _OWED.search(fold(question)):
            return " ".join([arrears, *parts])
        parts.append(arrears)
    return " ".join(parts)


def _item_label(item: dict[str, Any], repeated: bool, lang: str) -> str:
    """An item's description, which is shown only when it reads like a bill line."""
    described = localize(item.get("description_code"), lang, str(item.get("description") or ""))
    text = clean(described) or str(item.get("category", ""))
    if repeated and item.get("msisdn_masked"):
        return f"{text} ({item['msisdn_masked']})"
    return text


def render_bill(
    data: dict[str, Any], lang: str, question: str = "", category: str | None = None
) -> str:
    """A bill: total, due date, status and its biggest charges (or those asked about: the
    ``category`` a follow-up pointed at, else the one ``question`` names)."""
    currency = data.get("currency")
    parts = [say(lang, "bill", period=data.get("period"), total=money(data.get("total"),
                 currency, lang), due=data.get("due_date"),
                 status=_status(lang, data.get("status")))]
    every = [i for i in data.get("items") or [] if isinstance(i, dict)]
    focus = category or bill_category(question)
    items = [i for i in every if i.get("category") == focus] if focus else []
    if not items:
        items = [i for i in every if i.get("category") != "tax"]
        items.sort(key=lambda i: -abs(float(i.get("amount") or 0)))
        items = items[:3]
    counts = Counter(str(i.get("description")) for i in every)
    if items:
        listed = [f"{_item_label(i, counts[str(i.get('description'))] > 1, lang)} "
                  f"{money(i.get('amount'), currency, lang)}" for i in items[:6]]
        parts.append(say(lang, "bill_items", items=join(listed, lang)))
    if data.get("status") != "paid" and data.get("amount_paid") not in (None, "0", "0.00"):
        parts.append(say(lang, "bill_paid", paid=money(data.get("amount_paid"), currency, lang),
                         due_amount=money(data.get("balance_due"), currency, lang)))
    return " ".join(parts)


def render_explanation(data: dict[str, Any], lang: str) -> str:
    """Why a bill changed: a headline, the top drivers and the items behind them.

    In English the service's own one-sentence summary is the headline; in Spanish it is
    built from the totals, since the summary is written in English.
    """
    currency = data.get("currency")
    parts = []
    if not data.get("previous_period"):
        parts.append(say(lang, "explain_first"))
    elif lang == "en" and clean(str(data.get("summary") or "")):
        parts.append(clean(str(data["summary"])))
    elif data.get("total_prev") is not None:
        delta = str(data.get("delta") or "0")
        key = ("explain_same" if _is_zero(delta) else
               "explain_down" if delta.startswith("-") else "explain_up")
        parts.append(say(lang, key,
                         period=data.get("period"), previous=data.get("previous_period"),
                         total_now=money(data.get("total_now"), currency, lang),
                         total_prev=money(data.get("total_prev"), currency, lang),
                         delta=money(delta.lstrip("-"), currency, lang)))
    drivers = [_driver(d, currency, lang) for d in data.get("drivers") or [] if d.get("text")]
    drivers = [d for d in drivers if d]
    summarised = lang == "en" and bool(clean(str(data.get("summary") or "")))
    if drivers and not summarised:  # the service's summary already names them
        parts.append(say(lang, "explain_drivers", drivers=join(drivers[:3], lang)))
    details = [d for d in (clean(d) for d in _details(data, lang)) if d][:3]
    if details:
        parts.append(say(lang, "explain_details", details=join(details, lang)))
    return " ".join(p for p in parts if p)


def _is_zero(amount: str) -> bool:
    try:
        return float(amount) == 0
    except ValueError:
        return False


def unchanged(data: dict[str, Any]) -> bool:
    """True when an explanation found nothing that changed: what the bill is made of is
    then the answer ("why is my bill 48.60 when my plan is only 18?")."""
    return bool(data.get("previous_period")) and not data.get("drivers")


def _driver(driver: dict[str, Any], currency: Any, lang: str) -> str:
    """'roaming +£38.40' as the result wrote it, or its category and change in ``lang``."""
    text = str(driver.get("text"))
    delta = str(driver.get("delta") or "")
    code = {"code": f"category.{driver.get('category')}", "values": {}}
    word = localize(code, lang, "")
    if not word or not delta:
        return clean(text)
    sign = "" if delta.startswith("-") else "+"
    return clean(f"{word} {sign}{money(delta, currency, lang)}")


def _details(data: dict[str, Any], lang: str) -> list[str]:
    """The items behind the biggest changes: the result's English lines, or in ``lang`` from
    the items themselves."""
    english = [str(d) for d in data.get("details") or []]
    items = data.get("detail_items")
    if (lang == "en" or not isinstance(items, list) or len(items) != len(english)
            or not all(isinstance(i, dict) for i in items)):
        return english
    currency = data.get("currency")
    return [f"{_item_label(i, False, lang)}: {money(i.get('amount'), currency, lang)}"
            for i in items]


def _usage_line(line: dict[str, Any], lang: str) -> str:
    if line.get("data_allowance_mb") is None:
        data = say(lang, "usage_data_unlimited", used=line.get("data_used_mb"))
    else:
        data = say(lang, "usage_data", used=line.get("data_used_mb"),
                   allowance=line.get("data_allowance_mb"), percent=line.get("data_used_percent"))
    minutes = (say(lang, "usage_minutes_unlimited", used=line.get("minutes_used"))
               if line.get("minutes_allowance") is None else
               say(lang, "usage_minutes", used=line.get("minutes_used"),
                   allowance=line.get("minutes_allowance")))
    sms = (say(lang, "usage_sms_unlimited", used=line.get("sms_used"))
           if line.get("sms_allowance") is None else
           say(lang, "usage_sms", used=line.get("sms_used"), allowance=line.get("sms_allowance")))
    text = say(lang, "usage_line", number=line.get("msisdn_masked", ""), data=data,
               minutes=minutes, sms=sms)
    roaming = {z: mb for z, mb in (line.get("roaming_mb") or {}).items() if mb}
    if roaming:
        zones = join([f"{zone} {mb} MB" for zone, mb in sorted(roaming.items())], lang)
        text += "; " + say(lang, "usage_roaming", zones=zones)
    return text


def on_line(rows: list[dict[str, Any]], digits: str | None) -> list[dict[str, Any]]:
    """The rows of the line whose number ends in ``digits`` (all rows when none does)."""
    if not digits:
        return rows
    mine = [r for r in rows if str(r.get("msisdn_masked") or "").replace(" ", "").endswith(digits)]
    return mine or rows


def render_usage(data: list[dict[str, Any]], lang: str, line: str | None = None) -> str:
    """This cycle's usage per line against its allowances (only the ``line`` asked about)."""
    data = on_line([d for d in data if isinstance(d, dict)], line)
    if not data:
        return say(lang, "usage_none")
    intro = say(lang, "usage_intro", ends=data[0].get("cycle_ends"))
    return intro + "\n" + bullets([_usage_line(line, lang) for line in data])


def render_payments(data: list[dict[str, Any]], lang: str) -> str:
    """The most recent payments."""
    if not data:
        return say(lang, "payments_none")
    lines = []
    for p in data[:5]:
        method = p.get("method")
        label = say(lang, f"method_{method}") if method in (
            "direct_debit", "card", "bank_transfer", "mpesa") else str(method)
        lines.append(say(lang, "payment_line", date=p.get("paid_on"), method=label,
                         amount=money(p.get("amount"), p.get("currency"), lang),
                         period=p.get("period")))
    return say(lang, "payments_intro") + "\n" + bullets(lines)


def data_label(gb: Any, lang: str) -> str:
    """'30GB data' or 'unlimited data'."""
    return say(lang, "unlimited_data") if gb is None else say(lang, "data_gb", gb=gb)


def render_plans(options: list[dict[str, Any]], lang: str, *, ask: bool = True) -> str:
    """Plans the customer may switch to, then the ones refused with every reason."""
    eligible = [o for o in options if o.get("eligible")]
    refused = [o for o in options if not o.get("eligible")]
    parts = []
    if eligible:
        lines = [say(lang, "plan_line", plan=o["plan"].get("name"),
                     price=money(o["plan"].get("monthly_price"), o["plan"].get("currency"), lang),
                     data=data_label(o["plan"].get("data_gb"), lang)) for o in eligible]
        parts.append(say(lang, "plans_eligible") + "\n" + bullets(lines))
    else:
        parts.append(say(lang, "plans_none"))
    if refused:
        lines = [say(lang, "plan_line_ineligible", plan=o["plan"].get("name"),
                     reasons="; ".join(clean(r) for r in localize_each(
                         o.get("reasons"), o.get("reason_codes"), lang)))
                 for o in refused[:5]]
        parts.append(say(lang, "plans_ineligible") + "\n" + bullets(lines))
    if eligible and ask:
        parts.append(say(lang, "plans_next"))
    return "\n\n".join(parts)


def render_addons(addons: list[dict[str, Any]], lang: str) -> str:
    """Add-ons on sale to this customer."""
    if not addons:
        return say(lang, "addons_none")
    lines = [say(lang, "addon_line", addon=a.get("name"), days=a.get("validity_days"),
                 price=money(a.get("price"), a.get("currency"), lang)) for a in addons]
    return say(lang, "addons_intro") + "\n" + bullets(lines) + "\n\n" + say(lang, "addons_next")
