"""Tool activity as collapsible chat messages: "Looked up your bill for October".

Each tool call of a turn becomes one assistant message whose ``metadata.title`` Gradio shows as
a closed accordion; its body is a one-line summary of what came back.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from assistant.replies import ToolCallRecord
from ui.state import ChatItem

#: tool -> (what was done, what it is about to do); "{detail}" is filled from the call.
_PHRASES: dict[str, tuple[str, str]] = {
    "search_knowledge": ("Searched Vela's documents{detail}", "search Vela's documents{detail}"),
    "get_account_overview": ("Looked up your account", "look up your account"),
    "get_bill": ("Looked up your bill{detail}", "look up your bill{detail}"),
    "explain_bill": (
        "Compared your bill{detail} with the one before",
        "compare your bill{detail} with the one before",
    ),
    "get_usage": ("Checked your usage this month", "check your usage this month"),
    "get_payments": ("Looked up your payments", "look up your payments"),
    "list_available_plans": (
        "Checked which plans you can move to",
        "check which plans you can move to",
    ),
    "quote_plan_change": ("Priced a move{detail}", "price a move{detail}"),
    "change_plan": ("Changed your plan{detail}", "change your plan{detail}"),
    "list_addons": ("Listed the add-ons you can buy", "list the add-ons you can buy"),
    "quote_addon": ("Priced an add-on{detail}", "price an add-on{detail}"),
    "add_addon": ("Added an add-on{detail}", "add an add-on{detail}"),
    "get_amount_owed": ("Checked what you owe", "check what you owe"),
    "quote_payment": ("Priced a payment{detail}", "price a payment{detail}"),
    "pay_bill": ("Paid your bill{detail}", "pay your bill{detail}"),
    "request_velapesa_payment": (
        "Sent a VelaPesa request to your phone{detail}",
        "send a VelaPesa request to your phone{detail}",
    ),
    "quote_payment_arrangement": (
        "Priced a promise to pay{detail}",
        "price a promise to pay{detail}",
    ),
    "set_up_payment_arrangement": (
        "Set up your promise to pay{detail}",
        "set up your promise to pay{detail}",
    ),
    "hand_off_to_human": ("Opened a ticket for a person", "open a ticket for a person"),
    "withdraw_consent": ("Withdrew your permission, as you asked", "withdraw your permission"),
}


_PAYMENT_WRITES = ("pay_bill", "request_velapesa_payment", "set_up_payment_arrangement")


def month_label(period: str, today: date) -> str:
    """'2026-10' -> 'October' (this year) or 'October 2025'; anything else is returned as is."""
    year, _, month = period.partition("-")
    if not (year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
        return period
    name = calendar.month_name[int(month)]
    return name if int(year) == today.year else f"{name} {year}"


def _detail(call: ToolCallRecord, today: date) -> str:
    result = call.result if isinstance(call.result, dict) else {}
    if call.name == "search_knowledge":
        query = str(call.args.get("query", "")).strip()
        return f' for "{query[:60]}{"…" if len(query) > 60 else ""}"' if query else ""
    if call.name in ("get_bill", "explain_bill"):
        period = call.args.get("period") or result.get("period")
        return f" for {month_label(str(period), today)}" if period else ""
    if call.name == "quote_plan_change":
        plan = result.get("to_plan_name") or call.args.get("plan_id")
        return f" to {plan}" if plan else ""
    if call.name in ("change_plan", *_PAYMENT_WRITES):
        return f" ({result['reference']})" if result.get("reference") else ""
    if call.name in ("quote_addon", "add_addon"):
        raw = result.get("addon")
        addon = raw if isinstance(raw, dict) else {}
        name = addon.get("name") or call.args.get("addon_id")
        return f": {name}" if name else ""
    return ""


def activity_title(call: ToolCallRecord, today: date) -> str:
    """The accordion title for one tool call, worded by how it ended."""
    done, todo = _PHRASES.get(call.name, (f"Used {call.name}", f"use {call.name}"))
    detail = _detail(call, today)
    if call.outcome == "ok":
        return done.format(detail=detail)
    if call.outcome == "pending":
        return f"Waiting for your answer before I {todo.format(detail=detail)}"
    if call.outcome == "cancelled":
        return f"Did not {todo.format(detail=detail)}: you cancelled"
    return f"Could not {todo.format(detail=detail)}"


def activity_body(call: ToolCallRecord) -> str:
    """One or two lines on what the tool returned (never the raw JSON)."""
    result = call.result
    if call.outcome == "pending":
        return "Nothing has been looked up or changed yet."
    if isinstance(result, dict) and result.get("message") and call.outcome != "ok":
        return str(result["message"])
    if isinstance(result, list):
        return f"{len(result)} item(s) found."
    if not isinstance(result, dict):
        return "Done."
    if call.name == "search_knowledge":
        titles = sorted({str(p.get("title")) for p in result.get("passages", [])})
        return ("Read: " + "; ".join(titles)) if titles else "Nothing relevant was found."
    if result.get("reference"):
        return f"Reference {result['reference']}."
    if "total" in result and "currency" in result:
        return f"Total {result['currency']} {result['total']}, due {result.get('due_date', '?')}."
    return "Done."


def activity_messages(calls: list[ToolCallRecord], today: date) -> list[ChatItem]:
    """One collapsed assistant message per tool call, in call order."""
    items: list[ChatItem] = []
    for call in calls:
        metadata: dict[str, Any] = {"title": activity_title(call, today), "status": "done"}
        if call.outcome not in ("ok", "pending"):
            metadata["log"] = call.outcome
        items.append({"role": "assistant", "content": activity_body(call), "metadata": metadata})
    return items
