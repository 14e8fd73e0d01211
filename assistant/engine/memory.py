"""What earlier turns established: plans mentioned, the last quote, the market, the clock.

Re-derived from the message history on every call (the engine keeps no state between
calls), from tool calls and results and from the engine's own earlier answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from assistant.engine.catalog import CURRENCY_MARKET, Catalog
from assistant.engine.history import Conversation, ToolStep
from assistant.engine.referents import Focus, bill_category, focus_of, phrase_of
from assistant.engine.templates import handoff_offers
from assistant.nlu.entities import line_digits

QUOTE_TOOLS = {"quote_plan_change": "change_plan", "quote_addon": "add_addon"}
APPLY_TOOLS = {v: k for k, v in QUOTE_TOOLS.items()}


@dataclass
class Memory:
    """Facts from the turns before the current one."""

    mentioned: list[str] = field(default_factory=list)
    """Plan ids in the order they were last mentioned (most recent last)."""
    group: list[str] = field(default_factory=list)
    """The most recent set of several plans shown or named together."""
    quote: dict[str, Any] | None = None
    quote_tool: str | None = None
    quote_state: str | None = None
    """pending | applied | cancelled | failed:<error code>."""
    offered_handoff: bool = False
    answer_plans: list[str] = field(default_factory=list)
    """The plans the previous answer named, in order."""
    market: str | None = None
    latest_period: str | None = None
    """The most recent bill period seen in any result (YYYY-MM)."""
    own_plan: str | None = None
    """The plan of the customer's main line, when a result has shown it."""
    last_user_text: str = ""
    """The customer's previous message (what an accepted hand-off offer was about)."""
    topic: str | None = None
    """The tool-backed intent the previous turns were last about (``knowledge``, ``bill``,
    ``usage``, ``quote_plan``...): what an elliptical follow-up ("and in the US?") continues."""
    last_query: str | None = None
    """The last documents search's query."""
    last_period: str | None = None
    """The billing period the last bill look-up asked for."""
    ticket: str | None = None
    """The reference of the hand-off ticket opened in this conversation."""
    line: str | None = None
    """The last digits of the line the latest message that named one asked about."""
    asked_category: str | None = None
    """The bill item category the message of the turn being read named ("the cloud seats")."""
    lines: dict[str, str] = field(default_factory=dict)
    """Line ids by the last three digits of their numbers, as results showed them."""
    focus: Focus | None = None
    """What the last tool-backed answer dwelt on: what "that" or "which month?" points at."""
    topics: list[tuple[str, str, str | None]] = field(default_factory=list)
    """Every earlier tool-backed turn: (topic, the customer's message, its search query), so
    "back to my data" can return to a topic left two turns ago."""

    def mention(self, plan_ids: list[str], *, as_group: bool = False) -> None:
        """Record plans as just mentioned; a set of several becomes the current group."""
        for plan_id in plan_ids:
            if plan_id in self.mentioned:
                self.mentioned.remove(plan_id)
            self.mentioned.append(plan_id)
        if as_group and len(plan_ids) > 1:
            self.group = list(dict.fromkeys(plan_ids))

    @property
    def pending_quote_id(self) -> str | None:
        """The quote that can still be applied, if the last quote was never acted on."""
        if self.quote and self.quote_state == "pending":
            return str(self.quote.get("quote_id") or "")
        return None


def _find_market(value: Any, depth: int = 0) -> str | None:
    if depth > 3:
        return None
    if isinstance(value, dict):
        customer = value.get("customer")
        if isinstance(customer, dict) and customer.get("country") in ("GB", "ES", "KE"):
            return customer["country"]
        market = CURRENCY_MARKET.get(str(value.get("currency")))
        if market:
            return market
        children = list(value.values())
    elif isinstance(value, list):
        children = value[:3]
    else:
        return None
    for child in children:
        found = _find_market(child, depth + 1)
        if found:
            return found
    return None


def _bill_period(step: ToolStep) -> str | None:
    result = step.result
    if not isinstance(result, dict):
        return None
    if step.name == "get_bill":
        return result.get("period")
    if step.name == "get_account_overview" and isinstance(result.get("latest_bill"), dict):
        return result["latest_bill"].get("period")
    return None


def _own_plan(step: ToolStep) -> str | None:
    """The main line's plan, from an overview, usage, a quote or an applied change."""
    result = step.result
    if step.name == "get_account_overview" and isinstance(result, dict) and result.get("lines"):
        return result["lines"][0].get("plan_id")
    if step.name == "get_usage" and isinstance(result, list) and result:
        return result[0].get("plan_id") if isinstance(result[0], dict) else None
    if step.name == "quote_plan_change" and step.ok and isinstance(result, dict):
        return result.get("from_plan_id")
    return None


def _note_context(memory: Memory, step: ToolStep) -> None:
    """Market, clock and own plan: what any result, even this turn's, can tell."""
    memory.market = _find_market(step.result) or memory.market
    period = _bill_period(step)
    if period and (memory.latest_period is None or period > memory.latest_period):
        memory.latest_period = period
    memory.own_plan = _own_plan(step) or memory.own_plan
    memory.lines.update(_line_ids(step.result))


def _line_ids(result: Any) -> dict[str, str]:
    """Line ids by the last three digits of their masked numbers, wherever a result shows
    both (an overview's lines, usage rows, bill items, quotes)."""
    rows = result.get("lines") or [result] if isinstance(result, dict) else result
    found = {}
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict) and row.get("line_id") and row.get("msisdn_masked"):
            digits = "".join(ch for ch in str(row["msisdn_masked"]) if ch.isdigit())
            found[digits[-3:]] = str(row["line_id"])
    return found


#: Which intent a turn was about, read from the tools it called (as a model reads them).
TOOL_TOPICS = {"search_knowledge": "knowledge", "get_bill": "bill", "explain_bill": "explain_bill",
               "get_usage": "usage", "get_payments": "payments",
               "get_account_overview": "account_overview", "list_available_plans": "list_plans",
               "quote_plan_change": "quote_plan", "list_addons": "addons",
               "quote_addon": "buy_addon", "get_amount_owed": "pay_bill"}


def _note_topic(memory: Memory, step: ToolStep) -> None:
    topic = TOOL_TOPICS.get(step.name)
    if topic is None:
        return
    memory.topic = topic
    focus = (focus_of(step.name, step.args, step.result, memory.line, memory.asked_category)
             or memory.focus)
    if (focus is not None and step.name == "search_knowledge" and memory.focus is not None
            and memory.focus.noun
            and phrase_of(memory.focus) in str(step.args.get("query") or "")):
        # A documents question about the overdue bill keeps the overdue bill in focus.
        focus = replace(focus, noun=memory.focus.noun)
    memory.focus = focus
    if step.name == "search_knowledge" and step.args.get("query"):
        memory.last_query = str(step.args["query"])
    if step.name in ("get_bill", "explain_bill"):
        memory.last_period = str(step.args.get("period") or "") or None


def _note_step(memory: Memory, step: ToolStep) -> None:
    result = step.result
    _note_context(memory, step)
    _note_topic(memory, step)
    if step.name == "hand_off_to_human" and isinstance(result, dict) and result.get("reference"):
        memory.ticket = str(result["reference"])
    if step.name == "quote_plan_change" and step.args.get("plan_id"):
        memory.mention([str(step.args["plan_id"])])
    if step.name in QUOTE_TOOLS and step.ok and isinstance(result, dict):
        memory.quote, memory.quote_tool, memory.quote_state = result, step.name, "pending"
        if result.get("to_plan_id"):
            memory.mention([str(result["to_plan_id"])])
    elif step.name in APPLY_TOOLS and memory.quote is not None:
        if str(step.args.get("quote_id")) == str(memory.quote.get("quote_id")):
            if isinstance(result, dict) and result.get("reference"):
                memory.quote_state = "applied"
                memory.own_plan = memory.quote.get("to_plan_id") or memory.own_plan
            elif isinstance(result, dict) and result.get("status") == "cancelled":
                memory.quote_state = "cancelled"
            elif step.error:
                memory.quote_state = f"failed:{step.error}"
    elif step.name == "list_available_plans" and step.ok and isinstance(result, list):
        eligible = [o["plan"]["id"] for o in result if isinstance(o, dict)
                    and o.get("eligible") and isinstance(o.get("plan"), dict)]
        memory.mention(eligible, as_group=True)


def recall(
    convo: Conversation, catalog: Catalog, plans_in_text: Callable[[str], list[str]]
) -> Memory:
    """Everything the past turns of ``convo`` established (the current turn excluded).

    ``plans_in_text`` finds the plans a customer's message names (fuzzy, market-aware).
    """
    memory = Memory()
    offers = handoff_offers()
    for turn in convo.past:
        memory.mention(plans_in_text(turn.user_text), as_group=True)
        before = memory.topic, memory.last_query, memory.focus
        memory.line = line_digits(turn.user_text) or memory.line
        memory.asked_category = bill_category(turn.user_text)
        memory.topic = None
        for step in turn.steps:
            _note_step(memory, step)
        if memory.topic is None:  # a turn without tools leaves the topic where it was
            memory.topic, memory.last_query, memory.focus = before
        else:
            memory.topics.append((memory.topic, turn.user_text, memory.last_query))
        answer_plans = [p.id for p in catalog.named_in(turn.answer)]
        memory.mention(answer_plans, as_group=True)
        memory.answer_plans = answer_plans
        memory.offered_handoff = any(offer in turn.answer for offer in offers)
        memory.last_user_text = turn.user_text
    return memory


def note_current(memory: Memory, steps: list[ToolStep]) -> Memory:
    """Fold the current turn's finished steps into ``memory`` (market, clock, own plan)."""
    for step in steps:
        _note_context(memory, step)
    return memory
