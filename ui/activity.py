"""Tool activity as collapsible chat messages: "Looked up your bill for October".

Each tool call of a turn becomes one assistant message whose ``metadata.title`` Gradio shows as
a closed accordion; its body is a one-line summary of what came back.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from assistant.replies import ToolCallRecord
from assistant.tools.registry import label
from ui.state import ChatItem

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
    done, todo = label(call.name)  # the tool registry's labels
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
