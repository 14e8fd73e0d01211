"""Tool activity as collapsible chat messages: "Looked up your bill for October".

Each tool call of a turn becomes one assistant message whose ``metadata.title`` Gradio shows as
a closed accordion; its body is a one-line summary of what came back. English labels are the
tool registry's; other languages come from ``ui/texts.yaml``. A customer's own choice ("Not
now", "Cancel") is worded as such, never tagged as an error, and internal ids (plan and add-on
ids, raw error messages) are never shown.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from assistant.replies import ToolCallRecord
from assistant.tools.registry import label
from ui.i18n import Locale
from ui.state import ChatItem

#: Payment writes whose reference the activity line shows, as a plan change's.
_PAYMENT_WRITES = ("pay_bill", "request_velapesa_payment", "set_up_payment_arrangement")
#: Codes of a tool call that did not run because the customer said no: not a failure.
CUSTOMER_CHOICES = ("declined", "consent_required")


def _labels(name: str, loc: Locale) -> tuple[str, str]:
    done, todo = label(name)  # the tool registry's labels (English)
    if loc.lang == "en":
        return done, todo
    return (
        str(loc.find(f"activity_done.{name}") or done),
        str(loc.find(f"activity_todo.{name}") or todo),
    )


def _detail(call: ToolCallRecord, loc: Locale, today: date) -> str:
    result = call.result if isinstance(call.result, dict) else {}
    if call.name == "search_knowledge":
        query = str(call.args.get("query", "")).strip()
        short = f"{query[:60]}{'…' if len(query) > 60 else ''}"
        return loc.t("detail_query", query=escape(short)) if query else ""
    if call.name in ("get_bill", "explain_bill"):
        period = call.args.get("period") or result.get("period")
        return loc.t("detail_period", period=loc.month(str(period), today)) if period else ""
    if call.name == "quote_plan_change":
        plan = result.get("to_plan_name")  # a name only: the model's plan id is internal
        return loc.t("detail_plan", plan=escape(str(plan))) if plan else ""
    if call.name in ("change_plan", *_PAYMENT_WRITES):
        ref = result.get("reference")
        return loc.t("detail_reference", reference=escape(str(ref))) if ref else ""
    if call.name in ("quote_addon", "add_addon"):
        raw = result.get("addon")
        addon = raw if isinstance(raw, dict) else {}
        name = addon.get("name")
        return loc.t("detail_addon", name=escape(str(name))) if name else ""
    return ""


def _customer_said_no(call: ToolCallRecord) -> bool:
    return call.outcome == "cancelled" or call.code in CUSTOMER_CHOICES


def activity_title(call: ToolCallRecord, loc: Locale, today: date) -> str:
    """The accordion title for one tool call, worded by how it ended."""
    done, todo = _labels(call.name, loc)
    detail = _detail(call, loc, today)
    if call.outcome == "ok":
        return done.format(detail=detail)
    doing = todo.format(detail=detail)
    if call.outcome == "pending":
        return loc.t("activity_waiting", todo=doing)
    if call.outcome == "cancelled":
        return loc.t("activity_cancelled", todo=doing)
    if call.code == "consent_required":
        return loc.t("activity_no_consent", todo=doing)
    return loc.t("activity_failed", todo=doing)


def activity_body(call: ToolCallRecord, loc: Locale) -> str:
    """One or two lines on what the tool returned (never the raw JSON or an internal id)."""
    result = call.result
    if call.outcome == "pending":
        return loc.t("body_pending")
    if call.code == "consent_required":
        return loc.t("body_no_consent")
    if call.outcome == "cancelled":
        return loc.t("body_cancelled")
    if call.outcome != "ok":
        return loc.t("body_failed")
    if isinstance(result, list):
        return loc.t("body_items", count=len(result))
    if not isinstance(result, dict):
        return loc.t("body_done")
    if call.name == "search_knowledge":
        titles = sorted({str(p.get("title")) for p in result.get("passages", [])})
        return (
            loc.t("body_read", titles=escape("; ".join(titles)))
            if titles
            else loc.t("body_nothing_found")
        )
    if result.get("reference"):
        return loc.t("body_reference", reference=escape(str(result["reference"])))
    if "total" in result and "currency" in result:
        return loc.t(
            "body_total",
            amount=loc.amount(result["total"], str(result["currency"])),
            date=loc.day(result.get("due_date", "")),
        )
    return loc.t("body_done")


def activity_messages(calls: list[ToolCallRecord], loc: Locale, today: date) -> list[ChatItem]:
    """One collapsed assistant message per tool call, in call order."""
    items: list[ChatItem] = []
    for call in calls:
        metadata: dict[str, Any] = {"title": activity_title(call, loc, today), "status": "done"}
        if call.outcome not in ("ok", "pending") and not _customer_said_no(call):
            metadata["log"] = loc.t("activity_failed_tag")
        items.append(
            {"role": "assistant", "content": activity_body(call, loc), "metadata": metadata}
        )
    return items
