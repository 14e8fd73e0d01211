"""Compose the final answer of a turn from its tool results."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.engine import account_answer as account
from assistant.engine import change_answer as change
from assistant.engine.history import ToolStep
from assistant.engine.knowledge_answer import answer_from_search
from assistant.engine.memory import Memory
from assistant.engine.templates import say

if TYPE_CHECKING:
    from assistant.engine.understand import Understanding

_LIST_RENDERERS: dict[str, Callable[[list[dict[str, Any]], str], str]] = {
    "get_usage": account.render_usage,
    "get_payments": account.render_payments,
    "list_available_plans": account.render_plans,
    "list_addons": account.render_addons,
}
_DICT_RENDERERS: dict[str, Callable[[dict[str, Any], str], str]] = {
    "get_account_overview": account.render_overview,
    "get_bill": account.render_bill,
    "explain_bill": account.render_explanation,
    "quote_plan_change": change.render_plan_quote,
    "quote_addon": change.render_addon_quote,
    "hand_off_to_human": change.render_ticket,
}


def _applied_name(steps: list[ToolStep], memory: Memory) -> str:
    """Name of the plan or add-on whose quote was just applied."""
    quotes = [s.result for s in steps if s.name in ("quote_plan_change", "quote_addon") and s.ok]
    quote = quotes[-1] if quotes else (memory.quote or {})
    raw = quote.get("addon")
    addon = raw if isinstance(raw, dict) else {}
    return str(quote.get("to_plan_name") or addon.get("name") or "")


def compose(
    u: Understanding,
    steps: list[ToolStep],
    memory: Memory,
    embed_sentences: Callable[[list[str]], np.ndarray],
    products: dict[str, str] | None = None,
) -> str:
    """The reply for a turn whose tool steps are done."""
    last = steps[-1]
    result = last.result
    lang = u.lang
    if last.name == "search_knowledge":
        if u.intent == "out_of_scope" and not _clearly_covered(result):
            return say(lang, "out_of_scope")
        if u.uncertain and not _clearly_covered(result):
            return say(lang, "unanswerable")
        question = str(last.args.get("query") or u.text)
        vector = u.vector if question == u.text else _embed_one(question, embed_sentences)
        answer = answer_from_search(question, vector, result, lang, embed_sentences, products)
        if u.guest_account:
            return f"{answer}\n\n{say(lang, 'not_signed_in')}"
        if u.intent == "complaint":
            # An unhappy customer hears an apology, their ticket, and the complaints process
            # (or, if the ticket could not be opened, the offer of a person).
            tickets = [s for s in steps if s.name == "hand_off_to_human" and s.ok
                       and isinstance(s.result, dict)]
            opened = (change.render_ticket(tickets[-1].result, lang) if tickets
                      else say(lang, "offer_handoff"))
            if not payload_answerable(result):
                return f"{say(lang, 'complaint_sorry')}\n\n{opened}"
            return f"{say(lang, 'complaint_sorry')}\n\n{opened}\n\n{answer}"
        return answer
    if last.error:
        return change.render_error(result, lang)
    if last.name == "withdraw_consent" and isinstance(result, dict):
        key = ("withdrawn_retention" if result.get("purpose") == "transcript_retention"
               else "withdrawn_account")
        return say(lang, key)
    if last.name in ("change_plan", "add_addon") and isinstance(result, dict):
        return change.render_applied(result, lang, _applied_name(steps, memory))
    if last.name == "get_usage" and isinstance(result, list):
        return account.render_usage(result, lang, u.line)
    if last.name in _LIST_RENDERERS and isinstance(result, list):
        return _LIST_RENDERERS[last.name](result, lang)
    if last.name == "get_account_overview" and isinstance(result, dict):
        return account.render_overview(result, lang, u.text)
    if last.name == "get_bill" and isinstance(result, dict):
        bill = account.render_bill(result, lang, u.text, u.category)
        before = steps[-2] if len(steps) > 1 else None
        if before is not None and before.name == "explain_bill" and isinstance(
                before.result, dict) and account.unchanged(before.result):
            return f"{account.render_explanation(before.result, lang)} {bill}"
        return bill
    if last.name in _DICT_RENDERERS and isinstance(result, dict):
        return _DICT_RENDERERS[last.name](result, lang)
    return say(lang, "error", message=str(result)[:200] if result is not None else last.name)


#: A question the classifier thought out of scope, or could not place, is answered from the
#: documents only when the search is this sure (its answerable threshold is lower): a wrong
#: answer with citations is worse than a polite decline. Chosen on the dev split.
OUT_OF_SCOPE_SEARCH_BAR = 0.55


def _clearly_covered(payload: Any) -> bool:
    if not payload_answerable(payload):
        return False
    sure = payload.get("confidence")
    return isinstance(sure, int | float) and sure >= OUT_OF_SCOPE_SEARCH_BAR


def payload_answerable(payload: Any) -> bool:
    """True when a search result has passages it deems an answer."""
    return isinstance(payload, dict) and bool(payload.get("answerable")) and bool(
        payload.get("passages"))


def _embed_one(text: str, embed_sentences: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    return embed_sentences([text])[0]
