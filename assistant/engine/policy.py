"""Decide the engine's next step: a tool call, or the final answer of the turn.

The first step of a turn comes from the message's intent and slots. Later steps react to
tool results: a plan quote made for a change request is followed at once by ``change_plan``
with its quote id (the guard then pauses for the customer's own confirmation), a plan named
ambiguously is looked up in the customer's options, and everything else is answered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np

from assistant.engine import account_answer as account
from assistant.engine import payments
from assistant.engine.actions import Action, Call, Hints, Say, ticket_summary, ticket_topic
from assistant.engine.answers import compose, payload_answerable
from assistant.engine.catalog import Catalog, Product
from assistant.engine.history import Conversation, ToolStep
from assistant.engine.memory import Memory, note_current, recall
from assistant.engine.periods import parse_period, period_of
from assistant.engine.referents import bill_category, query_noun
from assistant.engine.slots import match_addon, match_plans
from assistant.engine.templates import say
from assistant.engine.text import fold
from assistant.engine.understand import CHAINABLE, Understander, Understanding, is_question
from assistant.i18n.language import detect_language
from assistant.nlu.entities import countries as countries_in
from assistant.nlu.entities import region_terms
from assistant.nlu.gloss import english_gloss

#: Intents answered with a fixed text and no tool.
FIXED = frozenset({"greeting", "thanks", "goodbye", "identity", "injection", "other_customer",
                   "sensitive", "out_of_scope", "clarify", "bulk_change",
                   "discount", "decline"})
SIMPLE_TOOLS = {"account_overview": "get_account_overview", "usage": "get_usage",
                # What is owed, overdue bills first (payments.first refines it: pay, promise).
                "pay_bill": "get_amount_owed",
                "payments": "get_payments", "list_plans": "list_available_plans",
                "addons": "list_addons"}
ACCOUNT_TOOLS = frozenset({"get_account_overview", "get_bill", "explain_bill", "get_usage",
                           "get_payments", "list_available_plans", "quote_plan_change",
                           "change_plan", "list_addons", "quote_addon", "add_addon",
                           *payments.TOOLS})
#: Intents a guest gets answered from the documents instead.
GUEST_DOCS = frozenset({"list_plans", "quote_plan", "change_plan", "addons", "buy_addon"})
ACCOUNT_READS = frozenset({"account_overview", "bill", "explain_bill", "usage", "payments",
                           "pay_bill"})
#: Account intents a guest may mean in general ("why do bills go up?", "how do I pay?"):
#: answered from the documents as well as with the invitation to sign in.
GENERAL_TOO = frozenset({"explain_bill", "pay_bill"})
_HOW_WHY = re.compile(r"^\W*(how|why|what (happens|if|does|do)|when|can i|is there|como|por ?que|"
                      r"que pasa|cuando|puedo|hay|vipi|kwa nini|aje)\b")
#: A question about the conversation's own ticket ("what was my ticket number?").
_TICKET = re.compile(r"\b(ticket|reference|ref|case number|referencia|numero de caso|"
                     r"incidencia|tiketi)\b")
#: "stop keeping my transcript": the retention permission, not account data.
_TRANSCRIPT = re.compile(r"\b(transcript|conversation|chat history|record\w*|keep\w* (the|this|my) "
                         r"chat|transcripcion|conversacion|historial|guard\w* (el|la|mi) chat|"
                         r"mazungumzo)\b")
#: Asking whether one may move to a plan (the plan is named in the message).
_CAN_SWITCH = re.compile(r"^\W*(can|could|may) (i|we) (switch|change|move|upgrade|downgrade|go)|"
                         r"^\W*(puedo|podria|podemos) (cambiar|pasar|subir|bajar)")
#: Moving between plans, said any way ("dropping down to", "subir a la", "go up to").
_MOVE = re.compile(r"\b(switch\w*|chang\w*|mov\w*|upgrad\w*|downgrad\w*|drop\w* (down|to)|"
                   r"go(ing)? (up|down)|step (up|down)|cambi\w*|pasar\w*|subir\w*|bajar\w*)\b")
#: The price of something for this customer ("what would that cost me", "¿cuánto me sale?").
_PRICE_FOR_ME = re.compile(r"\b(cost|costs|charge|pay)\b.*\b(me|us)\b|\bfor (me|us)\b|"
                           r"how much (extra|more)|\bme (sale|saldria|costaria|cuesta)\b|"
                           r"\bnos (sale|saldria|costaria|cuesta)\b")
#: Paying for something now, or being charged for it.
_PAYING = re.compile(r"\b(paying|paid|charged|charging|billed|pagando|pagamos|cobrando|"
                     r"cobrado)\b")
#: Out of scope below this confidence is checked against the documents first.
OUT_OF_SCOPE_SURE = 0.9
#: A turn never takes more tool steps than this.
MAX_STEPS = 4
_MY_PLAN = re.compile(r"\bmy (current )?(plan|tariff|contract|deal)\b|\bmi tarifa\b|\bmi plan\b")
#: The customer asking about themselves ("will I be charged...", "what would it cost me").
_PERSONAL = re.compile(r"\b(i|me|my|we|us|our|mi|mis|me|nos|nuestr[oa]s?|yo|mimi|yangu|wangu)\b")
#: Terms each plan sets for itself: a personal question about them is about the customer's
#: own plan (its roaming, its minimum term and leaving fee, its allowance and upgrades).
_PLAN_TERMS = re.compile(
    r"roam|abroad|overseas|travel|trip|holiday|itineran|extranjero|viaje|"
    r"\b(leave|leaving|cancel\w*|terminat\w*|contract|minimum term|permanencia|"
    r"darme de baja|baja|irme)\b|allowance|data (run|ran|runs)|run out|upgrad|downgrad|"
    r"\bin (the )?(eu|europe|usa|us)\b"
)


def _served_extras(u: Understanding) -> list[tuple[str, str]]:
    """The further requests this turn answers: a guest's account requests are not."""
    return [(i, w) for i, w in u.extra if i == "knowledge" or u.signed_in is not False]


def _searchable(query: str, lang: str) -> str:
    """The search query with what the documents need to find it: English glosses of Swahili
    words, and the region an EU/EEA country is in."""
    extra = [t for t in (english_gloss(query), region_terms(query, lang)) if t]
    return f"{query} ({'; '.join(extra)})" if extra else query


class Policy:
    """Chooses the next action for a conversation."""

    def __init__(
        self,
        understander: Understander,
        catalog: Catalog,
        embed_sentences: Callable[[list[str]], np.ndarray],
        today: date | None = None,
    ) -> None:
        self.understander = understander
        self.catalog = catalog
        self.embed_sentences = embed_sentences
        self.today = today
        # Plan and add-on names (as folded words) and currencies, for answer focus.
        self.products = {fold(re.sub(r"\s*\(.*?\)", "", p.name)): p.currency
                         for p in catalog.plans + catalog.addons}

    # -- entry point -------------------------------------------------------------------

    def decide(self, convo: Conversation, tools: set[str] | None, hints: Hints) -> Action:
        """The next action for ``convo``, using only ``tools`` (None: any tool)."""
        turn = convo.current
        if turn is None or not turn.user_text:
            return Say(say(hints.language or "en", "greeting"))
        memory = recall(convo, self.catalog, self.understander.plans_in_text(hints.country))
        memory = note_current(memory, turn.steps)
        u = self.understander.understand(
            turn.user_text, memory, today=self._today(memory),
            market=hints.country or memory.market, business=hints.segment == "business",
            default_lang=self._conversation_language(convo, hints),
        )
        # A guest asking about an account: the answer also invites them to sign in.
        u.guest_account = hints.signed_in is False and u.intent in ACCOUNT_READS
        u.signed_in = hints.signed_in
        if turn.steps:
            action = payments.after(u, turn.steps) or self._after(u, memory, turn.steps)
        else:
            first = payments.first(u, convo, hints, self._today(memory))
            action = first or self._first(u, memory, hints)
        if isinstance(action, Call) and tools is not None and action.name not in tools:
            key = "not_signed_in" if action.name in ACCOUNT_TOOLS else "search_unavailable"
            return Say(say(u.lang, key))
        return action

    @staticmethod
    def _conversation_language(convo: Conversation, hints: Hints) -> str:
        """The language of the latest earlier message that shows one, else the session's."""
        for turn in reversed(convo.past):
            lang = detect_language(turn.user_text, default="")
            if lang:
                return lang
        return hints.language or "en"

    def _today(self, memory: Memory) -> date:
        if self.today is not None:
            return self.today
        latest = period_of(memory.latest_period)
        if latest is not None:  # a bill is issued the month after its period
            return date(latest.year + latest.month // 12, latest.month % 12 + 1, 1)
        return date.today()

    # -- the first step of a turn --------------------------------------------------------

    def _first(self, u: Understanding, memory: Memory, hints: Hints) -> Action:
        intent = u.intent
        if hints.signed_in is False and intent in GUEST_DOCS:
            intent = "knowledge"  # a guest's plan and add-on questions: from the documents
        if hints.signed_in is False and intent in ACCOUNT_READS:
            # A guest has no account to read. A general question is also answered from the
            # documents; either way the reply invites them to sign in.
            general = intent in GENERAL_TOO or _HOW_WHY.search(fold(u.text))
            if not general:
                return Say(say(u.lang, "not_signed_in"))
            intent = "knowledge"
        if memory.ticket and (intent == "handoff" or _TICKET.search(fold(u.text))):
            # One ticket per conversation: asking again, or asking for its number, gets it.
            return Say(say(u.lang, "ticket_reminder", reference=memory.ticket))
        if (intent == "out_of_scope" and not u.by_rule and u.score < OUT_OF_SCOPE_SURE
                and is_question(u.text)):
            # Not sure it is out of scope: the documents get a say (compose answers from
            # them only if the search is clearly sure, else says it is out of scope).
            return Call("search_knowledge", {"query": self._query(u, memory)})
        if intent in FIXED:
            return Say(say(u.lang, "declined" if intent == "decline" else intent))
        if intent == "confirm":
            return self._confirm(u, memory)
        if intent == "withdraw_consent":
            if hints.signed_in is False:
                return Say(say(u.lang, "withdraw_consent"))
            purpose = "transcript_retention" if _TRANSCRIPT.search(fold(u.text)) else "account_data"
            return Call("withdraw_consent", {"purpose": purpose})
        if intent in ("handoff", "complaint"):
            return Call("hand_off_to_human", {"topic": ticket_topic(u.text, intent),
                                              "summary": ticket_summary(u.text)})
        if intent in SIMPLE_TOOLS:
            return Call(SIMPLE_TOOLS[intent], {})
        if intent in ("bill", "explain_bill"):
            asked = u.period or (memory.last_period if u.follow_up else None)
            return self._bill_call(intent, asked, memory)
        category = bill_category(u.text)
        if (intent == "knowledge" and hints.signed_in and category and _PAYING.search(
                fold(u.text)) and _PERSONAL.search(fold(u.text))):
            # "how many cloud office seats are we paying for?": their bill says.
            u.category = category
            return self._bill_call("bill", u.period, memory)
        if intent in ("knowledge", "list_plans") and hints.signed_in and self._asks_own_move(
                u, memory, hints.country or memory.market):
            # "can I upgrade to Plus 30?", "thinking of dropping down to Flex 10, what would
            # that cost me": whether the customer can, and at what price, is their account's
            # answer (eligibility, proration, fees), not the plan leaflet's.
            intent = "quote_plan"
        if intent in ("quote_plan", "change_plan"):
            if u.plan is not None:
                if u.line and u.line[-3:] not in memory.lines and hints.signed_in:
                    # "move the 202 line onto...": which line that is, the overview says.
                    return Call("get_account_overview", {})
                if u.line_id:
                    return Call("quote_plan_change", {"plan_id": u.plan.id, "line_id": u.line_id})
                return self._quote(u.plan.id, u.line, memory)
            return Call("list_available_plans", {})
        if intent == "buy_addon":
            known_market = hints.country or memory.market
            if u.slots.addon is not None and known_market:
                return Call("quote_addon", {"addon_id": u.slots.addon.id})
            return Call("list_addons", {})
        return Call("search_knowledge", {"query": self._query(u, memory)})

    def _query(self, u: Understanding, memory: Memory) -> str:
        """The search query: the message (a follow-up's rewritten in context), plus the plan
        a reference or "my plan" points at, or the complaints process for a complaint."""
        return _searchable(self._own_query(u, memory), u.lang)

    def _own_query(self, u: Understanding, memory: Memory) -> str:
        if u.intent == "complaint" and not u.query:
            return f"{u.text.rstrip()} ({say(u.lang, 'complaint_topic')})"
        base = u.query or u.text
        if u.plan is not None and not u.slots.plans and u.plan.name not in base:
            return f"{base.rstrip()} ({u.plan.name})"
        noun = query_noun(memory.focus, u.text, u.lang)
        if noun and not u.query:
            # "what happens if I don't pay it?" after arrears: say what "it" stood for.
            base = f"{base.rstrip()} ({noun})"
        own = self.catalog.get(memory.own_plan)
        lowered = fold(base)
        personal = _PERSONAL.search(lowered) and (
            _PLAN_TERMS.search(lowered) or countries_in(base))
        if (own is not None and not u.slots.plans and own.name not in base
                and (_MY_PLAN.search(base.lower()) or personal)):
            # A question about the customer's own terms is about their plan's terms.
            return f"{base.rstrip()} ({own.name})"
        return base

    @staticmethod
    def _quote(plan_id: str, line: str | None, memory: Memory) -> Call:
        """A plan-change quote, for the line the message named when it is known."""
        line_id = memory.lines.get(line[-3:]) if line else None
        return Call("quote_plan_change",
                    {"plan_id": plan_id, **({"line_id": line_id} if line_id else {})})

    @staticmethod
    def _asks_own_move(u: Understanding, memory: Memory, market: str | None) -> bool:
        """A customer asking about moving to a plan of their market, or its price for them."""
        plan = u.slots.plans[0] if u.slots.plans else None
        if plan is None and u.plan is not None and memory.focus is not None and (
                memory.focus.kind in ("doc", "plan")):
            plan = u.plan  # "how much extra would that be for me" after a plan was named
        if plan is None or plan.country != market:
            return False
        folded = fold(u.text)
        return bool(_CAN_SWITCH.search(folded) or _MOVE.search(folded)
                    or _PRICE_FOR_ME.search(folded))

    def _confirm(self, u: Understanding, memory: Memory) -> Action:
        """'Yes, do it': apply the pending quote, re-quote a lapsed one, or take the offer."""
        quote = memory.quote or {}
        if memory.pending_quote_id and memory.quote_tool:
            apply = "change_plan" if memory.quote_tool == "quote_plan_change" else "add_addon"
            return Call(apply, {"quote_id": memory.pending_quote_id})
        lapsed = memory.quote_state in ("cancelled", "failed:quote_expired", "failed:conflict")
        if lapsed and memory.quote_tool == "quote_plan_change" and quote.get("to_plan_id"):
            return Call("quote_plan_change", {"plan_id": quote["to_plan_id"]})
        addon = quote.get("addon") if isinstance(quote.get("addon"), dict) else None
        if lapsed and memory.quote_tool == "quote_addon" and addon and addon.get("id"):
            return Call("quote_addon", {"addon_id": addon["id"]})
        if len(set(memory.answer_plans)) == 1 and memory.topic in ("knowledge", "list_plans"):
            # "ok go on then, do it" after an answer about one plan: that plan, quoted (the
            # change itself still waits for the customer's Confirm).
            return Call("quote_plan_change", {"plan_id": memory.answer_plans[0]})
        if memory.offered_handoff:
            about = memory.last_user_text or u.text
            return Call("hand_off_to_human", {"topic": ticket_topic(about, ""),
                                              "summary": ticket_summary(about)})
        return Say(say(u.lang, "nothing_to_confirm"))

    # -- after a tool result -------------------------------------------------------------

    def _after(self, u: Understanding, memory: Memory, steps: list[ToolStep]) -> Action:
        last = steps[-1]
        done = {s.name for s in steps}
        if len(steps) < MAX_STEPS and last.ok:
            wants_change = u.intent in ("change_plan", "confirm")
            if last.name == "quote_plan_change" and wants_change and "change_plan" not in done:
                return Call("change_plan", {"quote_id": str(last.result.get("quote_id", ""))})
            wants_addon = u.intent in ("buy_addon", "confirm")
            if last.name == "quote_addon" and wants_addon and "add_addon" not in done:
                return Call("add_addon", {"quote_id": str(last.result.get("quote_id", ""))})
            if (last.name == "list_available_plans" and "quote_plan_change" not in done
                    and u.intent in ("quote_plan", "change_plan")):
                plan = self._plan_among(u, last.result)
                if plan is not None:
                    return Call("quote_plan_change", {"plan_id": plan.id})
            searches = [s for s in steps if s.name == "search_knowledge"]
            if (last.name == "search_knowledge" and len(searches) == 1 and memory.last_query
                    and not u.follow_up and not payload_answerable(last.result)
                    and len(u.text.split()) <= 10
                    and fold(memory.last_query) not in fold(str(last.args.get("query")))):
                # A short question the documents don't answer alone may lean on the topic
                # before it ("how long do you have to reply?" after a complaint): ask again
                # with that topic.
                query = f"{u.text.rstrip()} ({memory.last_query})"
                return Call("search_knowledge", {"query": query})
            if (last.name == "get_account_overview" and u.plan is not None and u.line
                    and "quote_plan_change" not in done
                    and u.intent in ("quote_plan", "change_plan", "knowledge", "list_plans")):
                return self._quote(u.plan.id, u.line, memory)
            if (last.name == "explain_bill" and account.unchanged(last.result)
                    and "get_bill" not in done and last.result.get("period")):
                # Nothing changed since last month: what the bill is made of explains it.
                return Call("get_bill", {"period": str(last.result["period"])})
            if (last.name == "hand_off_to_human" and u.intent == "complaint"
                    and "search_knowledge" not in done):
                # The ticket is open; the complaints process is the other half of the answer.
                return Call("search_knowledge", {"query": self._query(u, memory)})
            if last.name == "list_addons" and u.intent == "buy_addon" and "quote_addon" not in done:
                addon = self._addon_among(u, last.result)
                if addon is not None:
                    return Call("quote_addon", {"addon_id": addon.id})
        if len(steps) < MAX_STEPS and u.intent in CHAINABLE:
            for intent, words_ in _served_extras(u):
                call = self._extra_call(intent, words_, memory, u.lang)
                if call.name not in done:
                    return call  # the message's next request ("... and my usage?")
        return Say(self._compose_all(u, memory, steps))

    def _bill_call(self, intent: str, period: str | None, memory: Memory) -> Call:
        """``get_bill`` or ``explain_bill``, for ``period`` when it is billed already ("this
        month's bill" is the latest one: the current month is not billed yet)."""
        tool = "get_bill" if intent == "bill" else "explain_bill"
        current = self._today(memory).strftime("%Y-%m")
        return Call(tool, {"period": period} if period and period < current else {})

    def _extra_call(self, intent: str, text: str, memory: Memory, lang: str) -> Call:
        """The tool call that answers one further request of the message."""
        if intent in SIMPLE_TOOLS:
            return Call(SIMPLE_TOOLS[intent], {})
        if intent in ("bill", "explain_bill"):
            return self._bill_call(intent, parse_period(text, self._today(memory)), memory)
        return Call("search_knowledge", {"query": _searchable(text, lang)})

    def _compose_all(self, u: Understanding, memory: Memory, steps: list[ToolStep]) -> str:
        """The answer to the message's first request, then one per further request served."""
        calls = [(self._extra_call(i, w, memory, u.lang), i, w) for i, w in _served_extras(u)]
        answered: list[tuple[int, str, str]] = []
        for call, intent, text in calls:
            at = next((n for n, s in enumerate(steps) if s.name == call.name and n > 0), None)
            if at is not None:
                answered.append((at, intent, text))
        if not answered:
            return compose(u, steps, memory, self.embed_sentences, self.products)
        first = min(at for at, _, _ in answered)
        parts = [compose(u, steps[:first], memory, self.embed_sentences, self.products)]
        for at, intent, text in sorted(answered):
            vector = self.understander.router.embed(text)
            sub_u = replace(u, text=text, intent=intent, vector=vector, query=None,
                            guest_account=False, extra=[])
            parts.append(
                compose(sub_u, [steps[at]], memory, self.embed_sentences, self.products))
        return "\n\n".join(parts)

    def _plan_among(self, u: Understanding, options: Any) -> Product | None:
        """The plan the message names, among the customer's options (any market)."""
        if not isinstance(options, list):
            return None
        ids = {o["plan"]["id"] for o in options if isinstance(o, dict) and
               isinstance(o.get("plan"), dict)}
        if u.plan is not None and u.plan.id in ids:
            return u.plan
        plans = [p for p in self.catalog.plans if p.id in ids]
        found = match_plans(u.text, plans)
        return found[0] if found else None

    def _addon_among(self, u: Understanding, addons: Any) -> Product | None:
        """The add-on the message asks for, among those on sale to the customer."""
        if not isinstance(addons, list):
            return None
        ids = {a.get("id") for a in addons if isinstance(a, dict)}
        return match_addon(u.text, [a for a in self.catalog.addons if a.id in ids])
